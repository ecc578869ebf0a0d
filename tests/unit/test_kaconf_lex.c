/* Unit tests for the importer's syntax layer (kaconf/lex.c): keepalived's
 * layout quirks, includes, and the limits that keep a hostile file from
 * crashing or hanging the parser (issue 10). */
#include "kaconf_test.h"

/* ---- syntax -------------------------------------------------------------- */

static void test_glued_opener(void **state)
{
	(void)state;
	struct kaconf_diag d = {0};
	json_object *root;
	const char *text = "vrrp_instance VI_22{\n"
			   "  interface eth0\n"
			   "  virtual_router_id 21\n"
			   "  authentication{\n"
			   "    auth_type PASS\n"
			   "    auth_pass 22221111}\n"
			   "  virtual_ipaddress{ 10.10.1.2/16 dev eth0 }}\n";
	assert_int_equal(convert(text, false, &d, &root), 0);
	json_object *in = instance(root, 0);
	assert_string_equal(jstr(in, "name"), "VI_22");
	assert_int_equal(jint(in, "vrid"), 21);
	assert_string_equal(jstr(jget(in, "authentication"), "password"),
			    "22221111");
	json_object *vip =
		json_object_array_get_idx(jget(in, "virtual-address"), 0);
	assert_string_equal(jstr(vip, "address"), "10.10.1.2");
	assert_int_equal(jint(vip, "prefix-length"), 16);
	assert_string_equal(jstr(vip, "device"), "eth0");
	assert_int_equal(d.n_msgs, 0);
	json_object_put(root);
	kaconf_diag_free(&d);
}

static void test_brace_on_next_line_and_odd_layout(void **state)
{
	(void)state;
	struct kaconf_diag d = {0};
	json_object *root;
	const char *text = "\n\n   vrrp_instance    VI_1\n"
			   "{\n"
			   "\t\tinterface\teth0   \r\n"
			   "\n"
			   "virtual_router_id 7\n"
			   "      virtual_ipaddress\n"
			   "   {\n"
			   "\n"
			   "  10.0.0.1\n"
			   "\n"
			   "                  }\n"
			   "         }\n";
	assert_int_equal(convert(text, false, &d, &root), 0);
	json_object *in = instance(root, 0);
	assert_int_equal(jint(in, "vrid"), 7);
	assert_string_equal(jstr(in, "interface"), "eth0");
	json_object *vip =
		json_object_array_get_idx(jget(in, "virtual-address"), 0);
	assert_string_equal(jstr(vip, "address"), "10.0.0.1");
	assert_null(jget(vip, "prefix-length")); /* host address */
	json_object_put(root);
	kaconf_diag_free(&d);
}

static void test_comments(void **state)
{
	(void)state;
	struct kaconf_diag d = {0};
	json_object *root;
	const char *text = "! keepalived comment\n"
			   "# another one { not a block\n"
			   "vrrp_instance VI_1 { # trailing comment }\n"
			   "    interface eth0 ! trailing\n"
			   "    virtual_router_id 11\n"
			   "    priority 150 # 101 on master, 100 on backup\n"
			   "    !priority 0\n"
			   "    authentication {\n"
			   "        auth_type PASS\n"
			   "        auth_pass \"a#b!c\" # quoted: kept\n"
			   "    }\n"
			   "    virtual_ipaddress {\n"
			   "        10.10.1.1/16 # the VIP\n"
			   "    }\n"
			   "}\n"
			   "! the end";
	assert_int_equal(convert(text, false, &d, &root), 0);
	json_object *in = instance(root, 0);
	assert_int_equal(jint(in, "priority"), 150);
	assert_string_equal(jstr(jget(in, "authentication"), "password"),
			    "a#b!c");
	assert_int_equal(d.n_msgs, 0);
	json_object_put(root);
	kaconf_diag_free(&d);
}

static void test_quoted_strings(void **state)
{
	(void)state;
	struct kaconf_diag d = {0};
	json_object *root;
	const char *text = "global_defs {\n"
			   "    router_id \"edge router 1\"\n"
			   "}\n" INSTANCE("    authentication {\n"
					  "        auth_type PASS\n"
					  "        auth_pass \"a b{c}\"\n"
					  "    }\n");
	assert_int_equal(convert(text, false, &d, &root), 0);
	assert_string_equal(
		jstr(jget(jget(root, "vrrpd:vrrpd"), "global"), "router-id"),
		"edge router 1");
	assert_string_equal(
		jstr(jget(instance(root, 0), "authentication"), "password"),
		"a b{c}");
	json_object_put(root);
	kaconf_diag_free(&d);

	expect_error("global_defs {\n  router_id \"open\n}\n", false,
		     "t.conf:2: unterminated quoted string");

	/* a byte order mark does not glue onto the first keyword */
	assert_int_equal(convert("\xef\xbb\xbf" INSTANCE(""), false, &d, NULL),
			 0);
	assert_int_equal(d.n_msgs, 0);
	kaconf_diag_free(&d);
}

static void test_include_glob(void **state)
{
	(void)state;
	char *main_conf = data_path("include/main.conf");
	struct kaconf_diag d = {0};
	char *json = NULL;
	assert_int_equal(kaconf_convert(main_conf, NULL, &json, &d), 0);
	assert_model_accepts(json);
	json_object *root = json_tokener_parse(json);
	assert_non_null(root);
	/* conf.d/NN-*.conf in glob order; conf.d/README is not matched */
	assert_string_equal(jstr(instance(root, 0), "name"), "VI_1");
	assert_string_equal(jstr(instance(root, 1), "name"), "VI_2");
	json_object *g = jget(jget(root, "vrrpd:vrrpd"), "global");
	assert_string_equal(jstr(g, "router-id"), "inc-test");
	assert_string_equal(jstr(g, "multicast-group-v4"), "224.0.0.20");

	/* Messages name the included file and its own line numbers. */
	char msg[2048];
	snprintf(msg, sizeof(msg),
		 "%s/include/globals.inc:2: keyword 'smtp_server' is outside VRRP; ignored",
		 data_dir);
	assert_msg(&d, KACONF_WARNING, msg);
	snprintf(msg, sizeof(msg),
		 "%s/include/conf.d/20-vi2.conf:4: 'use_vmac' is not supported by vrrpd yet; ignored",
		 data_dir);
	assert_msg(&d, KACONF_WARNING, msg);
	assert_int_equal(d.n_warnings, 2);
	json_object_put(root);
	free(json);
	free(main_conf);
	kaconf_diag_free(&d);
}

/* Temporary directory with files written by the test. */
static char tmpdir[64];

static void write_file(const char *name, const char *text)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void remove_files(const char *const *names, size_t n)
{
	char path[256];
	for (size_t i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", tmpdir, names[i]);
		unlink(path);
	}
	rmdir(tmpdir);
}

static void test_include_errors(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_kaconf.XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	write_file("loop.conf", "! includes itself\ninclude loop.conf\n");
	write_file("main.conf", INSTANCE("    include body.inc\n"));
	write_file("body.inc", "priority 200\n\nbogus_keyword 1\n");
	write_file("nomatch.conf", "include none-*.conf\n" INSTANCE(""));

	char path[256], msg[512];
	struct kaconf_diag d = {0};
	char *json = NULL;

	/* A loop hits the nesting bound instead of running forever. */
	snprintf(path, sizeof(path), "%s/loop.conf", tmpdir);
	assert_int_equal(kaconf_convert(path, NULL, &json, &d), -1);
	assert_null(json);
	snprintf(msg, sizeof(msg),
		 "%s:2: keyword 'include': includes nested deeper than 8 (include loop?)",
		 path);
	assert_msg(&d, KACONF_ERROR, msg);
	kaconf_diag_free(&d);

	/* An include inside a block; the error points into the included
	 * file at its own line. */
	snprintf(path, sizeof(path), "%s/main.conf", tmpdir);
	assert_int_equal(kaconf_convert(path, NULL, &json, &d), -1);
	snprintf(msg, sizeof(msg),
		 "%s/body.inc:3: keyword 'bogus_keyword': unknown keyword in vrrp_instance 'VI_1'",
		 tmpdir);
	assert_msg(&d, KACONF_ERROR, msg);
	kaconf_diag_free(&d);

	/* A glob matching nothing is a warning (an error when strict). */
	snprintf(path, sizeof(path), "%s/nomatch.conf", tmpdir);
	assert_int_equal(kaconf_convert(path, NULL, &json, &d), 0);
	snprintf(msg, sizeof(msg),
		 "%s:1: keyword 'include': no file matches '%s/none-*.conf'; ignored",
		 path, tmpdir);
	assert_msg(&d, KACONF_WARNING, msg);
	free(json);
	json = NULL;
	kaconf_diag_free(&d);
	struct kaconf_opts strict = {.strict = true};
	assert_int_equal(kaconf_convert(path, &strict, &json, &d), -1);
	assert_null(json);
	kaconf_diag_free(&d);

	static const char *const names[] = {"loop.conf", "main.conf",
					    "body.inc", "nomatch.conf"};
	remove_files(names, 4);
}

static void test_missing_file(void **state)
{
	(void)state;
	struct kaconf_diag d = {0};
	char *json = NULL;
	assert_int_equal(
		kaconf_convert("/nonexistent/keepalived.conf", NULL, &json, &d),
		-1);
	assert_null(json);
	assert_msg(&d, KACONF_ERROR,
		   "/nonexistent/keepalived.conf: cannot read: No such file or directory");
	kaconf_diag_free(&d);
	/* diag and opts are optional */
	assert_int_equal(kaconf_convert("/nonexistent/x", NULL, &json, NULL),
			 -1);
	assert_int_equal(kaconf_convert_text("t.conf", INSTANCE(""),
					     strlen(INSTANCE("")), NULL, &json,
					     NULL),
			 0);
	free(json);
}

/* ---- malformed configurations ------------------------------------------- */

static void test_unbalanced_braces(void **state)
{
	(void)state;
	/* a block never closed: reported where it was opened */
	expect_error("global_defs {\n    router_id r1\n}\n"
		     "vrrp_instance VI_1 {\n"
		     "    interface eth0\n"
		     "    virtual_ipaddress {\n"
		     "        10.0.0.1\n"
		     "}\n",
		     false,
		     "t.conf:4: keyword 'vrrp_instance': '{' is not closed by a '}' before the end of the configuration");
	/* one '}' too many */
	expect_error(INSTANCE("") "}\n", false,
		     "t.conf:8: unexpected '}': no block is open");
	expect_error("{\n}\n", false,
		     "t.conf:1: unexpected '{': a block must follow a keyword");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_glued_opener),
		cmocka_unit_test(test_brace_on_next_line_and_odd_layout),
		cmocka_unit_test(test_comments),
		cmocka_unit_test(test_quoted_strings),
		cmocka_unit_test(test_include_glob),
		cmocka_unit_test(test_include_errors),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_unbalanced_braces),
	};
	return cmocka_run_group_tests(tests, kaconf_setup, kaconf_teardown);
}
