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
		 "%s/include/conf.d/20-vi2.conf:4: keyword 'smtp_alert' is outside VRRP; ignored",
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

/* include's relatives (keepalived.conf(5)): includer is include; the
 * others also refuse a pattern that matches nothing. A directory that does
 * not exist matches nothing (it stopped the expansion before). */
static void test_include_variants(void **state)
{
	(void)state;
	struct kaconf_diag d = {0};
	assert_int_equal(convert("includer /nonexistent.d/*.conf\n" INSTANCE(""),
				 false, &d, NULL),
			 0);
	assert_msg(&d, KACONF_WARNING,
		   "t.conf:1: keyword 'includer': no file matches '/nonexistent.d/*.conf'; ignored");
	kaconf_diag_free(&d);
	static const char *const strict_ones[] = {"includem", "includew",
						  "includeb", "includea"};
	for (size_t i = 0; i < 4; i++) {
		char text[512], msg[256];
		snprintf(text, sizeof(text), "%s /nonexistent.d/*.conf\n%s",
			 strict_ones[i], INSTANCE(""));
		snprintf(msg, sizeof(msg),
			 "t.conf:1: keyword '%s': no file matches '/nonexistent.d/*.conf'",
			 strict_ones[i]);
		assert_int_equal(convert(text, false, &d, NULL), -1);
		assert_msg(&d, KACONF_ERROR, msg);
		kaconf_diag_free(&d);
	}
}

/* ---- limits (issue 10) ----------------------------------------------------- */

static char *repeat(const char *piece, size_t n, const char *tail)
{
	size_t len = strlen(piece);
	char *buf = malloc(len * n + strlen(tail) + 1);
	assert_non_null(buf);
	for (size_t i = 0; i < n; i++)
		memcpy(buf + i * len, piece, len);
	strcpy(buf + len * n, tail);
	return buf;
}

/* 50,000 nested braces overflowed the stack of the recursive descent (and
 * of the recursive free). Now the 65th level is refused. */
static void test_deep_braces(void **state)
{
	(void)state;
	struct kaconf_diag d = {0};
	char *open = repeat("a {\n", 50000, ""), *close = repeat("}\n", 50000, "");
	char *text = malloc(strlen(open) + strlen(close) + 1);
	assert_non_null(text);
	strcpy(text, open);
	strcat(text, close);
	assert_int_equal(convert(text, false, &d, NULL), -1);
	assert_msg(&d, KACONF_ERROR,
		   "t.conf:65: keyword 'a': blocks nested deeper than 64");
	kaconf_diag_free(&d);
	free(text);
	free(open);
	free(close);

	/* the same glued on one line */
	text = repeat("a{", 50000, "");
	assert_int_equal(convert(text, false, &d, NULL), -1);
	assert_msg(&d, KACONF_ERROR,
		   "t.conf:1: keyword 'a': blocks nested deeper than 64");
	kaconf_diag_free(&d);
	free(text);

	/* 64 levels are still read (an ignored block, one warning) */
	open = repeat("static_routes {\n", 64, "");
	close = repeat("}\n", 64, INSTANCE(""));
	text = malloc(strlen(open) + strlen(close) + 1);
	assert_non_null(text);
	strcpy(text, open);
	strcat(text, close);
	assert_int_equal(convert(text, false, &d, NULL), 0);
	assert_int_equal(d.n_warnings, 1);
	kaconf_diag_free(&d);
	free(text);
	free(open);
	free(close);
}

/* A FIFO matched by an include glob hung the parser in open(2). alarm()
 * turns a regression into a failed test instead of a hang. */
static void test_include_fifo(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_kaconf.XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	char path[256], fifo[256], msg[1024];
	snprintf(fifo, sizeof(fifo), "%s/b.conf", tmpdir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	write_file("main.conf", "include *.conf.inc\ninclude b.*\n" INSTANCE(""));
	struct kaconf_diag d = {0};
	char *json = NULL;
	alarm(10);
	snprintf(path, sizeof(path), "%s/main.conf", tmpdir);
	assert_int_equal(kaconf_convert(path, NULL, &json, &d), -1);
	snprintf(msg, sizeof(msg),
		 "%s:2: keyword 'include': cannot read '%s': not a regular file (a FIFO, device or socket is never read)",
		 path, fifo);
	assert_msg(&d, KACONF_ERROR, msg);
	kaconf_diag_free(&d);
	/* the main file itself */
	assert_int_equal(kaconf_convert(fifo, NULL, &json, &d), -1);
	snprintf(msg, sizeof(msg),
		 "%s: cannot read: not a regular file (a FIFO, device or socket is never read)",
		 fifo);
	assert_msg(&d, KACONF_ERROR, msg);
	kaconf_diag_free(&d);
	assert_int_equal(kaconf_convert("/dev/zero", NULL, &json, &d), -1);
	kaconf_diag_free(&d);
	alarm(0);
	static const char *const names[] = {"b.conf", "main.conf"};
	remove_files(names, 2);
}

/* A file over 4 MiB is refused before it is read. */
static void test_huge_file(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_kaconf.XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	char path[256], msg[512];
	snprintf(path, sizeof(path), "%s/big.conf", tmpdir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(ftruncate(fileno(f), (4 << 20) + 1), 0);
	fclose(f);
	struct kaconf_diag d = {0};
	char *json = NULL;
	assert_int_equal(kaconf_convert(path, NULL, &json, &d), -1);
	snprintf(msg, sizeof(msg),
		 "%s: cannot read: file larger than 4 MiB: not a keepalived configuration",
		 path);
	assert_msg(&d, KACONF_ERROR, msg);
	kaconf_diag_free(&d);
	/* exactly 4 MiB is read (and refused for what it holds: NULs) */
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(ftruncate(fileno(f), 4 << 20), 0);
	fclose(f);
	assert_int_equal(kaconf_convert(path, NULL, &json, &d), -1);
	snprintf(msg, sizeof(msg), "%s:1: NUL byte in the file: not a text file",
		 path);
	assert_msg(&d, KACONF_ERROR, msg);
	kaconf_diag_free(&d);
	static const char *const names[] = {"big.conf"};
	remove_files(names, 1);
}

/* Messages are capped per kind; the rest is counted and said. */
static void test_diag_cap(void **state)
{
	(void)state;
	struct kaconf_diag d = {0};
	char *text = repeat("smtp_server 10.0.0.1\n", 1000, INSTANCE(""));
	assert_int_equal(convert(text, false, &d, NULL), 0);
	assert_int_equal(d.n_warnings, KACONF_DIAG_MAX);
	assert_int_equal(d.n_msgs, KACONF_DIAG_MAX);
	assert_int_equal(d.n_suppressed, 1000 - KACONF_DIAG_MAX);
	char *out = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&out, &len);
	assert_non_null(mem);
	kaconf_diag_print(&d, mem);
	fclose(mem);
	assert_non_null(strstr(out, "note: 900 more messages suppressed (at most 100 warnings and 100 errors are shown)\n"));
	free(out);
	kaconf_diag_free(&d);
	free(text);

	/* errors past the cap still fail the conversion */
	char *body = repeat("    bogus 1\n", 150, "");
	char *inst = malloc(strlen(body) + 256);
	assert_non_null(inst);
	sprintf(inst, "vrrp_instance VI_1 {\n%s}\n", body);
	assert_int_equal(convert(inst, false, &d, NULL), -1);
	assert_int_equal(d.n_errors, KACONF_DIAG_MAX);
	assert_true(d.n_suppressed >= 50);
	kaconf_diag_free(&d);
	free(inst);
	free(body);
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
		cmocka_unit_test(test_include_variants),
		cmocka_unit_test(test_deep_braces),
		cmocka_unit_test(test_include_fifo),
		cmocka_unit_test(test_huge_file),
		cmocka_unit_test(test_diag_cap),
	};
	return cmocka_run_group_tests(tests, kaconf_setup, kaconf_teardown);
}
