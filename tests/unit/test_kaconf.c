/* Unit tests for the keepalived importer (vrrpd/keepalived_*.c): the four
 * seed configurations convert to the checked-in JSON, keepalived's syntax
 * quirks parse, and every bad input is refused with FILE:LINE and the
 * keyword. Produced JSON is also validated against the YANG model. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "keepalived_conf.h"
#include "model.h"

/* tests/data/keepalived, found from this file's own path so the test runs
 * from the repository root (make unit) or with an absolute __FILE__. */
static char data_dir[1024];

static void init_data_dir(void)
{
	const char *src = __FILE__; /* .../tests/unit/test_kaconf.c */
	const char *cut = strstr(src, "unit/test_kaconf.c");
	int n = cut ? (int)(cut - src) : 0;
	snprintf(data_dir, sizeof(data_dir), "%.*sdata/keepalived", n, src);
	if (!cut)
		snprintf(data_dir, sizeof(data_dir), "tests/data/keepalived");
}

static char *data_path(const char *name)
{
	char *p;
	assert_true(asprintf(&p, "%s/%s", data_dir, name) > 0);
	return p;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char *buf = NULL;
	size_t cap = 0, len = 0;
	for (;;) {
		if (len + 4096 + 1 > cap) {
			cap = cap * 2 + 8192;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		size_t n = fread(buf + len, 1, 4096, f);
		len += n;
		if (n == 0)
			break;
	}
	fclose(f);
	buf[len] = '\0';
	return buf;
}

/* ---- helpers ------------------------------------------------------------ */

static struct model *model;

static void assert_model_accepts(const char *json)
{
	if (!model)
		return;
	struct lyd_node *tree = NULL;
	struct model_error err = {0};
	int rc = model_parse_json(model, json, &tree, &err);
	if (rc != 0)
		fprintf(stderr, "model rejects: %s: %s\n%s\n", err.path,
			err.msg, json);
	assert_int_equal(rc, 0);
	model_tree_free(tree);
}

static bool has_msg(const struct kaconf_diag *d, enum kaconf_severity sev,
		    const char *text)
{
	for (size_t i = 0; i < d->n_msgs; i++)
		if (d->msgs[i].severity == sev && !strcmp(d->msgs[i].text, text))
			return true;
	return false;
}

static void assert_msg(const struct kaconf_diag *d, enum kaconf_severity sev,
		       const char *text)
{
	if (!has_msg(d, sev, text)) {
		fprintf(stderr, "missing %s: %s\nmessages:\n",
			sev == KACONF_ERROR ? "error" : "warning", text);
		kaconf_diag_print(d, stderr);
	}
	assert_true(has_msg(d, sev, text));
}

/* Convert `text` as "t.conf"; on success the JSON is validated against the
 * model and parsed with json-c into *root (caller puts). */
static int convert(const char *text, bool strict, struct kaconf_diag *d,
		   json_object **root)
{
	struct kaconf_opts o = {.strict = strict};
	char *json = (char *)0x1;
	int rc = kaconf_convert_text("t.conf", text, strlen(text), &o, &json,
				     d);
	if (root)
		*root = NULL;
	if (rc != 0) {
		assert_null(json); /* nothing half converted */
		assert_true(d->n_errors > 0);
		return rc;
	}
	assert_non_null(json);
	assert_int_equal(d->n_errors, 0);
	assert_model_accepts(json);
	if (root) {
		*root = json_tokener_parse(json);
		assert_non_null(*root);
	}
	free(json);
	return 0;
}

static json_object *jget(json_object *o, const char *key)
{
	json_object *v = NULL;
	if (!o || !json_object_object_get_ex(o, key, &v))
		return NULL;
	return v;
}

static json_object *instance(json_object *root, size_t i)
{
	json_object *list = jget(jget(root, "vrrpd:vrrpd"), "instance");
	assert_non_null(list);
	assert_true(i < json_object_array_length(list));
	return json_object_array_get_idx(list, i);
}

static int jint(json_object *o, const char *key)
{
	json_object *v = jget(o, key);
	assert_non_null(v);
	return json_object_get_int(v);
}

static const char *jstr(json_object *o, const char *key)
{
	json_object *v = jget(o, key);
	assert_non_null(v);
	return json_object_get_string(v);
}

static bool jbool(json_object *o, const char *key)
{
	json_object *v = jget(o, key);
	assert_non_null(v);
	return json_object_get_boolean(v);
}

/* One instance with the given extra lines, for the many small cases. */
#define INSTANCE(extra)                                   \
	"vrrp_instance VI_1 {\n"                          \
	"    interface eth0\n"                            \
	"    virtual_router_id 11\n"                      \
	extra                                             \
	"    virtual_ipaddress {\n"                       \
	"        10.10.1.1/16\n"                          \
	"    }\n"                                         \
	"}\n"

/* Expect failure and exactly this error among the messages. */
static void expect_error(const char *text, bool strict, const char *msg)
{
	struct kaconf_diag d = {0};
	assert_int_equal(convert(text, strict, &d, NULL), -1);
	assert_msg(&d, KACONF_ERROR, msg);
	kaconf_diag_free(&d);
}

/* ---- the seed configurations -------------------------------------------- */

static void check_seed(const char *base)
{
	char conf[256], exp[256];
	snprintf(conf, sizeof(conf), "%s.conf", base);
	snprintf(exp, sizeof(exp), "%s.expected.json", base);
	char *conf_path = data_path(conf), *exp_path = data_path(exp);
	char *expected = slurp(exp_path);
	struct kaconf_diag d = {0};
	char *json = NULL;

	assert_int_equal(kaconf_convert(conf_path, NULL, &json, &d), 0);
	assert_non_null(json);
	if (strcmp(json, expected))
		fprintf(stderr, "%s: got\n%s", base, json);
	assert_string_equal(json, expected);
	assert_model_accepts(expected);

	/* The mail settings in global_defs are named, with their lines. */
	assert_int_equal(d.n_errors, 0);
	assert_int_equal(d.n_warnings, 4);
	static const struct {
		unsigned line;
		const char *kw;
	} w[] = {{4, "notification_email"},
		 {7, "notification_email_from"},
		 {8, "smtp_server"},
		 {9, "smtp_connect_timeout"}};
	for (size_t i = 0; i < 4; i++) {
		char msg[512];
		snprintf(msg, sizeof(msg),
			 "%s:%u: keyword '%s' is outside VRRP; ignored",
			 conf_path, w[i].line, w[i].kw);
		assert_msg(&d, KACONF_WARNING, msg);
		assert_int_equal(d.msgs[i].line, w[i].line);
		assert_string_equal(d.msgs[i].file, conf_path);
	}
	kaconf_diag_free(&d);

	/* --strict: the same four are errors and nothing is produced. */
	struct kaconf_opts strict = {.strict = true};
	free(json);
	json = NULL;
	assert_int_equal(kaconf_convert(conf_path, &strict, &json, &d), -1);
	assert_null(json);
	assert_int_equal(d.n_errors, 4);
	char msg[512];
	snprintf(msg, sizeof(msg),
		 "%s:8: keyword 'smtp_server' is outside VRRP (rejected in strict mode)",
		 conf_path);
	assert_msg(&d, KACONF_ERROR, msg);
	kaconf_diag_free(&d);

	free(expected);
	free(conf_path);
	free(exp_path);
}

/* The model's own seed equivalents (tests/data/<seed>.json, interface
 * "eth0") must mean the same as our conversion with ens33 renamed, except
 * accept-mode: keepalived without vrrp_strict accepts traffic for the VIPs
 * (it installs no filter), so the import says accept-mode true. */
static void check_seed_same_as_model_json(const char *base)
{
	char name[256];
	snprintf(name, sizeof(name), "../%s.json", base);
	char *model_path = data_path(name);
	if (!model || access(model_path, R_OK) != 0) {
		free(model_path);
		return;
	}
	snprintf(name, sizeof(name), "%s.expected.json", base);
	char *exp_path = data_path(name);
	char *ours = slurp(exp_path), *theirs = slurp(model_path);
	for (char *p; (p = strstr(ours, "\"ens33\""));)
		memcpy(p, "\"eth0\" ", 7); /* same length, JSON still valid */

	struct lyd_node *t1 = NULL, *t2 = NULL;
	struct model_error err = {0};
	struct vrrpd_config c1 = {0}, c2 = {0};
	assert_int_equal(model_parse_json(model, ours, &t1, &err), 0);
	assert_int_equal(model_parse_json(model, theirs, &t2, &err), 0);
	assert_int_equal(model_tree_to_config(t1, &c1, &err), 0);
	assert_int_equal(model_tree_to_config(t2, &c2, &err), 0);
	assert_int_equal(c1.n_instances, c2.n_instances);
	for (size_t i = 0; i < c1.n_instances; i++) {
		assert_true(c1.instances[i].accept_mode);
		c1.instances[i].accept_mode = c2.instances[i].accept_mode;
		assert_true(instance_cfg_equal(&c1.instances[i],
					       &c2.instances[i]));
	}
	assert_string_equal(c1.global.router_id, c2.global.router_id);
	assert_int_equal(vaddr_cmp(&c1.global.group4, &c2.global.group4), 0);
	assert_int_equal(c1.global.garp_delay_s, c2.global.garp_delay_s);
	assert_int_equal(c1.global.garp_repeat, c2.global.garp_repeat);
	assert_int_equal(c1.global.check_adv_addrs, c2.global.check_adv_addrs);
	vrrpd_config_free(&c1);
	vrrpd_config_free(&c2);
	model_tree_free(t1);
	model_tree_free(t2);
	free(ours);
	free(theirs);
	free(exp_path);
	free(model_path);
}

static void test_seed_single_master_node1(void **state)
{
	(void)state;
	check_seed("single-master-node1");
	check_seed_same_as_model_json("single-master-node1");
}

static void test_seed_single_master_node2(void **state)
{
	(void)state;
	check_seed("single-master-node2");
	check_seed_same_as_model_json("single-master-node2");
}

static void test_seed_dual_master_node1(void **state)
{
	(void)state;
	check_seed("dual-master-node1");
	check_seed_same_as_model_json("dual-master-node1");
}

static void test_seed_dual_master_node2(void **state)
{
	(void)state;
	check_seed("dual-master-node2");
	check_seed_same_as_model_json("dual-master-node2");
}

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

static void test_unknown_keyword_in_instance(void **state)
{
	(void)state;
	expect_error(INSTANCE("    priorty 100\n"), false,
		     "t.conf:4: keyword 'priorty': unknown keyword in vrrp_instance 'VI_1'");
	expect_error(INSTANCE("    authentication {\n        auth_typ PASS\n    }\n"),
		     false,
		     "t.conf:5: keyword 'auth_typ': unknown keyword in authentication (expected auth_type or auth_pass)");
}

static void test_bad_vrid(void **state)
{
	(void)state;
	const char *fmt = "vrrp_instance VI_1 {\n"
			  "    interface eth0\n"
			  "    virtual_router_id %s\n"
			  "    virtual_ipaddress {\n 10.0.0.1\n }\n}\n";
	static const char *const bad[] = {"0", "256", "eleven", "-1", "1.5",
					  "99999999999999999999"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		char text[512], msg[256];
		snprintf(text, sizeof(text), fmt, bad[i]);
		snprintf(msg, sizeof(msg),
			 "t.conf:3: keyword 'virtual_router_id': expected an integer 1..255, got '%s'",
			 bad[i]);
		expect_error(text, false, msg);
	}
	expect_error("vrrp_instance VI_1 {\n    interface eth0\n"
		     "    virtual_router_id\n}\n",
		     false,
		     "t.conf:3: keyword 'virtual_router_id': expected an integer 1..255, got nothing");
	expect_error("vrrp_instance VI_1 {\n    interface eth0\n"
		     "    virtual_ipaddress {\n 10.0.0.1\n }\n}\n",
		     false,
		     "t.conf:1: vrrp_instance 'VI_1': keyword 'virtual_router_id' is missing");
}

static void test_password_too_long(void **state)
{
	(void)state;
	expect_error(INSTANCE("    authentication {\n"
			      "        auth_type PASS\n"
			      "        auth_pass 111122223\n"
			      "    }\n"),
		     false,
		     "t.conf:6: keyword 'auth_pass': expected a password of 1..8 characters, got 9 characters (password too long)");
	expect_error(INSTANCE("    authentication {\n"
			      "        auth_type AH\n"
			      "    }\n"),
		     false,
		     "t.conf:5: keyword 'auth_type': AH (IPsec authentication header) is not supported by vrrpd; use PASS or none");
}

static void test_priority_0(void **state)
{
	(void)state;
	expect_error(INSTANCE("    priority 0\n"), false,
		     "t.conf:4: keyword 'priority': expected an integer 1..255, got '0'");
	expect_error(INSTANCE("    priority 256\n"), false,
		     "t.conf:4: keyword 'priority': expected an integer 1..255, got '256'");
	expect_error(INSTANCE("    priority high\n"), false,
		     "t.conf:4: keyword 'priority': expected an integer 1..255, got 'high'");
	expect_error(INSTANCE("    priority 100 101\n"), false,
		     "t.conf:4: keyword 'priority': expected an integer 1..255, got extra argument '101'");
}

static void test_other_bad_values(void **state)
{
	(void)state;
	expect_error(INSTANCE("    state LEADER\n"), false,
		     "t.conf:4: keyword 'state': expected MASTER or BACKUP, got 'LEADER'");
	expect_error("vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 1\n"
		     "    virtual_ipaddress {\n        10.0.0.256/24\n    }\n}\n",
		     false,
		     "t.conf:5: keyword 'virtual_ipaddress': expected an address ADDR[/PREFIX] with a prefix length 1..32, got '10.0.0.256/24'");
	expect_error("vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 1\n"
		     "    virtual_ipaddress {\n        10.0.0.1/24 dev\n    }\n}\n",
		     false,
		     "t.conf:5: keyword 'virtual_ipaddress': option 'dev' of address 10.0.0.1/24 expects a value, got nothing");
	expect_error("vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 1\n"
		     "    virtual_ipaddress {\n        10.0.0.1 frobnicate\n    }\n}\n",
		     false,
		     "t.conf:5: keyword 'virtual_ipaddress': unknown option 'frobnicate' for address 10.0.0.1 (expected dev, label, brd, scope, ...)");
	expect_error("global_defs {\n    vrrp_mcast_group4 10.0.0.1\n}\n" INSTANCE(""),
		     false,
		     "t.conf:2: keyword 'vrrp_mcast_group4': expected an IPv4 multicast address 224.0.0.0/4, got '10.0.0.1'");
	expect_error(INSTANCE("    interface this-name-is-too-long\n"), false,
		     "t.conf:4: keyword 'interface': expected an interface name of 1..15 characters without '/', ':' or spaces, got 'this-name-is-too-long'");
	expect_error("vrrp_instance VI/1 {\n}\n", false,
		     "t.conf:1: keyword 'vrrp_instance': expected an instance name of 1..63 characters A-Z a-z 0-9 _ . : -, got 'VI/1'");
	expect_error("vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 1\n}\n",
		     false,
		     "t.conf:1: vrrp_instance 'VI_1': no virtual_ipaddress; vrrpd needs at least one address");
	expect_error(INSTANCE("") INSTANCE(""), false,
		     "t.conf:8: keyword 'vrrp_instance': name 'VI_1' already used at t.conf:1");
	expect_error(INSTANCE("")
		     "vrrp_instance VI_2 {\n    interface eth0\n    virtual_router_id 11\n"
		     "    virtual_ipaddress {\n        10.10.1.9\n    }\n}\n",
		     false,
		     "t.conf:10: keyword 'virtual_router_id': 11 on eth0 (IPv4) is already used by vrrp_instance 'VI_1' at t.conf:1");
	expect_error("vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 1\n"
		     "    virtual_ipaddress {\n        10.0.0.1\n        2001:db8::1\n    }\n}\n",
		     false,
		     "t.conf:6: keyword 'virtual_ipaddress': 2001:db8::1 is IPv6 but the instance's first address is IPv4; one family per instance");
}

static void test_nothing_half_converted(void **state)
{
	(void)state;
	struct kaconf_diag d = {0};
	/* a good instance followed by a bad one: no JSON at all */
	const char *text = INSTANCE("")
		"vrrp_instance VI_2 {\n    interface eth0\n    virtual_router_id 12\n"
		"    priority 0\n"
		"    virtual_ipaddress {\n        10.10.1.2\n    }\n}\n";
	assert_int_equal(convert(text, false, &d, NULL), -1);
	assert_int_equal(d.n_errors, 1);
	kaconf_diag_free(&d);
}

/* ---- mapping -------------------------------------------------------------- */

static void test_defaults_follow_keepalived(void **state)
{
	(void)state;
	struct kaconf_diag d = {0};
	json_object *root;
	/* no state, no priority: backup at 100; state MASTER without a
	 * priority: keepalived makes it the address owner (255) */
	const char *text =
		INSTANCE("")
		"vrrp_instance VI_2 {\n    state MASTER\n    interface eth0\n"
		"    virtual_router_id 12\n"
		"    virtual_ipaddress {\n        10.10.2.1\n    }\n}\n";
	assert_int_equal(convert(text, false, &d, &root), 0);
	json_object *a = instance(root, 0), *b = instance(root, 1);
	assert_int_equal(jint(a, "priority"), 100);
	assert_string_equal(jstr(a, "initial-state"), "backup");
	assert_int_equal(jint(a, "version"), 2);
	assert_int_equal(jint(a, "advertisement-interval"), 100);
	assert_true(jbool(a, "preempt"));
	assert_true(jbool(a, "accept-mode")); /* keepalived without strict */
	assert_null(jget(a, "authentication"));
	assert_int_equal(jint(b, "priority"), 255);
	assert_string_equal(jstr(b, "initial-state"), "master");
	json_object *g = jget(jget(root, "vrrpd:vrrpd"), "global");
	assert_null(jget(g, "router-id"));
	assert_string_equal(jstr(g, "multicast-group-v4"), "224.0.0.18");
	assert_true(jbool(g, "check-advert-addresses"));
	json_object_put(root);
	kaconf_diag_free(&d);
}

static void test_global_defs_mapping(void **state)
{
	(void)state;
	struct kaconf_diag d = {0};
	json_object *root;
	const char *text = "global_defs {\n"
			   "    router_id lb1\n"
			   "    vrrp_mcast_group4 224.0.0.30\n"
			   "    vrrp_mcast_group6 ff02::1:12\n"
			   "    vrrp_garp_master_delay 10\n"
			   "    vrrp_garp_master_repeat 3\n"
			   "    vrrp_garp_master_refresh 60\n"
			   "    vrrp_skip_check_adv_addr\n"
			   "    vrrp_version 3\n"
			   "    vrrp_garp_interval 0.001\n"
			   "}\n" INSTANCE("    advert_int 0.5\n");
	assert_int_equal(convert(text, false, &d, &root), 0);
	json_object *g = jget(jget(root, "vrrpd:vrrpd"), "global");
	assert_string_equal(jstr(g, "router-id"), "lb1");
	assert_string_equal(jstr(g, "multicast-group-v4"), "224.0.0.30");
	assert_string_equal(jstr(g, "multicast-group-v6"), "ff02::1:12");
	assert_int_equal(jint(g, "garp-master-delay"), 10);
	assert_int_equal(jint(g, "garp-master-repeat"), 3);
	assert_int_equal(jint(g, "garp-master-refresh"), 60);
	assert_false(jbool(g, "check-advert-addresses"));
	json_object *in = instance(root, 0);
	assert_int_equal(jint(in, "version"), 3);
	assert_int_equal(jint(in, "advertisement-interval"), 50);
	assert_msg(&d, KACONF_WARNING,
		   "t.conf:10: 'vrrp_garp_interval' is not supported by vrrpd yet; ignored");
	json_object_put(root);
	kaconf_diag_free(&d);
}

static void test_instance_mapping(void **state)
{
	(void)state;
	struct kaconf_diag d = {0};
	json_object *root;
	const char *text = INSTANCE("    state BACKUP\n"
				    "    priority 90\n"
				    "    advert_int 3\n"
				    "    nopreempt\n"
				    "    no_accept\n");
	assert_int_equal(convert(text, false, &d, &root), 0);
	json_object *in = instance(root, 0);
	assert_int_equal(jint(in, "priority"), 90);
	assert_int_equal(jint(in, "advertisement-interval"), 300);
	assert_false(jbool(in, "preempt"));
	assert_false(jbool(in, "accept-mode"));
	json_object_put(root);
	kaconf_diag_free(&d);

	/* keepalived's instance keyword is `version` (vrrp_version also
	 * read); `preempt` undoes an earlier nopreempt */
	text = INSTANCE("    version 3\n    advert_int 0.25\n"
			"    nopreempt\n    preempt\n");
	assert_int_equal(convert(text, false, &d, &root), 0);
	in = instance(root, 0);
	assert_int_equal(jint(in, "version"), 3);
	assert_int_equal(jint(in, "advertisement-interval"), 25);
	assert_true(jbool(in, "preempt"));
	json_object_put(root);
	kaconf_diag_free(&d);

	text = INSTANCE("    preempt_delay 30\n    accept\n");
	assert_int_equal(convert(text, false, &d, &root), 0);
	in = instance(root, 0);
	assert_int_equal(jint(in, "preempt-delay"), 30);
	assert_true(jbool(in, "accept-mode"));
	json_object_put(root);
	kaconf_diag_free(&d);
}

static void test_advert_int(void **state)
{
	(void)state;
	struct kaconf_diag d = {0};
	json_object *root;
	assert_int_equal(convert(INSTANCE("    vrrp_version 3\n    advert_int 0.05\n"),
				 false, &d, &root),
			 0);
	assert_int_equal(jint(instance(root, 0), "advertisement-interval"), 5);
	json_object_put(root);
	kaconf_diag_free(&d);
	assert_int_equal(convert(INSTANCE("    vrrp_version 3\n    advert_int 40.95\n"),
				 false, &d, &root),
			 0);
	assert_int_equal(jint(instance(root, 0), "advertisement-interval"),
			 4095);
	json_object_put(root);
	kaconf_diag_free(&d);
	assert_int_equal(convert(INSTANCE("    advert_int 255\n"), false, &d,
				 &root),
			 0);
	assert_int_equal(jint(instance(root, 0), "advertisement-interval"),
			 25500);
	json_object_put(root);
	kaconf_diag_free(&d);

	expect_error(INSTANCE("    advert_int 0.5\n"), false,
		     "t.conf:4: keyword 'advert_int': expected whole seconds 1..255 with VRRP version 2, got '0.5'");
	expect_error(INSTANCE("    vrrp_version 3\n    advert_int 41\n"), false,
		     "t.conf:5: keyword 'advert_int': expected 0.01..40.95 seconds with VRRP version 3, got '41'");
	expect_error(INSTANCE("    advert_int 0\n"), false,
		     "t.conf:4: keyword 'advert_int': expected seconds (1..255, or 0.01..40.95 with VRRPv3), got '0'");
	expect_error(INSTANCE("    advert_int 0.125\n"), false,
		     "t.conf:4: keyword 'advert_int': expected seconds (1..255, or 0.01..40.95 with VRRPv3), got '0.125'");
}

static void test_ipv6_instance(void **state)
{
	(void)state;
	struct kaconf_diag d = {0};
	json_object *root;
	const char *text = "vrrp_instance V6 {\n"
			   "    interface eth0\n"
			   "    virtual_router_id 11\n"
			   "    advert_int 0.5\n"
			   "    virtual_ipaddress {\n"
			   "        fe80::1\n"
			   "        2001:DB8:0:0::10/64 dev eth1\n"
			   "    }\n"
			   "}\n";
	assert_int_equal(convert(text, false, &d, &root), 0);
	json_object *in = instance(root, 0);
	assert_string_equal(jstr(in, "address-family"), "ipv6");
	assert_int_equal(jint(in, "version"), 3);
	assert_int_equal(jint(in, "advertisement-interval"), 50);
	json_object *v = json_object_array_get_idx(jget(in, "virtual-address"), 1);
	assert_string_equal(jstr(v, "address"), "2001:db8::10");
	assert_int_equal(jint(v, "prefix-length"), 64);
	assert_string_equal(jstr(v, "device"), "eth1");
	json_object_put(root);
	kaconf_diag_free(&d);

	/* an explicit version 2 is corrected to 3, as keepalived does */
	const char *v2 = "vrrp_instance V6 {\n    interface eth0\n"
			 "    virtual_router_id 11\n    vrrp_version 2\n"
			 "    virtual_ipaddress {\n        fe80::1\n    }\n}\n";
	assert_int_equal(convert(v2, false, &d, &root), 0);
	assert_int_equal(jint(instance(root, 0), "version"), 3);
	assert_msg(&d, KACONF_WARNING,
		   "t.conf:4: keyword 'vrrp_version': VRRP version 2 is IPv4 only (RFC 3768); using version 3 for this IPv6 instance");
	json_object_put(root);
	kaconf_diag_free(&d);
}

static void test_auth_dropped_with_v3(void **state)
{
	(void)state;
	struct kaconf_diag d = {0};
	json_object *root;
	const char *text = INSTANCE("    vrrp_version 3\n"
				    "    authentication {\n"
				    "        auth_type PASS\n"
				    "        auth_pass secret\n"
				    "    }\n");
	assert_int_equal(convert(text, false, &d, &root), 0);
	assert_null(jget(instance(root, 0), "authentication"));
	assert_msg(&d, KACONF_WARNING,
		   "t.conf:5: keyword 'authentication': VRRP version 3 has no authentication (RFC 5798); no authentication is used");
	json_object_put(root);
	kaconf_diag_free(&d);
}

static void test_unsupported_features(void **state)
{
	(void)state;
	struct kaconf_diag d = {0};
	json_object *root;
	const char *text =
		"vrrp_script chk {\n    script \"/bin/true\"\n}\n"
		"vrrp_sync_group G1 {\n    group {\n        VI_1\n    }\n}\n"
		"virtual_server 10.0.0.1 80 {\n    real_server 10.0.0.2 80 {\n    }\n}\n"
		"vrrp_instance VI_1 {\n"                     /* 13 */
		"    interface eth0\n"
		"    virtual_router_id 11\n"
		"    use_vmac\n"                             /* 16 */
		"    unicast_src_ip 10.0.0.1\n"
		"    unicast_peer {\n        10.0.0.2\n    }\n" /* 18 */
		"    track_interface {\n        eth1\n    }\n" /* 21 */
		"    notify_master \"/usr/bin/logger master\"\n" /* 24 */
		"    garp_master_delay 1\n"                  /* 25 */
		"    virtual_ipaddress {\n"
		"        10.10.1.1/16 dev eth0 label eth0:1 brd 10.10.255.255 scope global\n" /* 27 */
		"    }\n"
		"    virtual_ipaddress_excluded {\n"         /* 29 */
		"        10.10.1.50\n"
		"    }\n"
		"}\n";
	assert_int_equal(convert(text, false, &d, &root), 0);
	static const char *const w[] = {
		"t.conf:1: 'vrrp_script' is not supported by vrrpd yet; ignored",
		"t.conf:4: 'vrrp_sync_group' is not supported by vrrpd yet; ignored",
		"t.conf:9: keyword 'virtual_server' is outside VRRP; ignored",
		"t.conf:16: 'use_vmac' is not supported by vrrpd yet; ignored",
		"t.conf:17: 'unicast_src_ip' is not supported by vrrpd yet; ignored",
		"t.conf:18: 'unicast_peer' is not supported by vrrpd yet (advertisements stay multicast); ignored",
		"t.conf:21: 'track_interface' is not supported by vrrpd yet; ignored",
		"t.conf:24: 'notify_master' is not supported by vrrpd yet; ignored",
		"t.conf:25: 'garp_master_delay' is not supported by vrrpd yet; ignored",
		"t.conf:27: 'label' (option of address 10.10.1.1/16) is not supported by vrrpd yet; ignored",
		"t.conf:27: 'brd' (option of address 10.10.1.1/16) is not supported by vrrpd yet; ignored",
		"t.conf:27: 'scope' (option of address 10.10.1.1/16) is not supported by vrrpd yet; ignored",
		"t.conf:29: 'virtual_ipaddress_excluded' is not supported by vrrpd yet; ignored",
	};
	for (size_t i = 0; i < sizeof(w) / sizeof(*w); i++)
		assert_msg(&d, KACONF_WARNING, w[i]);
	assert_int_equal(d.n_warnings, sizeof(w) / sizeof(*w));
	/* only the real VIP is converted; the excluded one is not */
	json_object *vips = jget(instance(root, 0), "virtual-address");
	assert_int_equal(json_object_array_length(vips), 1);
	assert_string_equal(jstr(json_object_array_get_idx(vips, 0), "device"),
			    "eth0");
	json_object_put(root);
	kaconf_diag_free(&d);

	/* --strict: each one is an error of its own */
	assert_int_equal(convert(text, true, &d, NULL), -1);
	assert_int_equal(d.n_errors, sizeof(w) / sizeof(*w));
	assert_msg(&d, KACONF_ERROR,
		   "t.conf:16: 'use_vmac' is not supported by vrrpd yet (rejected in strict mode)");
	kaconf_diag_free(&d);
}

static void test_vrrp_strict(void **state)
{
	(void)state;
	const char *g = "global_defs {\n    vrrp_strict\n}\n";
	char text[1024];

	snprintf(text, sizeof(text), "%s%s", g,
		 INSTANCE("    authentication {\n        auth_type PASS\n"
			  "        auth_pass secret\n    }\n"));
	expect_error(text, false,
		     "t.conf:7: keyword 'authentication': not allowed with vrrp_strict (keepalived ignores it there)");

	snprintf(text, sizeof(text), "%s%s", g,
		 INSTANCE("    state MASTER\n    priority 100\n"));
	expect_error(text, false,
		     "t.conf:7: keyword 'state': with vrrp_strict, state MASTER must match being the address owner (priority 255)");

	snprintf(text, sizeof(text), "%s%s", g,
		 INSTANCE("    unicast_peer {\n        10.0.0.2\n    }\n"));
	struct kaconf_diag d = {0};
	assert_int_equal(convert(text, false, &d, NULL), -1);
	assert_msg(&d, KACONF_ERROR,
		   "t.conf:7: keyword 'unicast_peer': not allowed with vrrp_strict");
	kaconf_diag_free(&d);

	snprintf(text, sizeof(text), "%s%s", g, INSTANCE("    accept\n"));
	expect_error(text, false,
		     "t.conf:7: keyword 'accept': accept mode with VRRP version 2 does not comply with RFC 3768 (vrrp_strict)");

	/* a strict-clean instance: accept mode off by default */
	json_object *root;
	snprintf(text, sizeof(text), "%s%s", g, INSTANCE("    priority 50\n"));
	assert_int_equal(convert(text, false, &d, &root), 0);
	assert_false(jbool(instance(root, 0), "accept-mode"));
	json_object_put(root);
	kaconf_diag_free(&d);

	/* per-instance strict_mode, same checks */
	expect_error(INSTANCE("    strict_mode on\n    preempt_delay 5\n"), false,
		     "t.conf:5: keyword 'preempt_delay': not allowed with strict_mode");
}

static void test_keepalived_corrections(void **state)
{
	(void)state;
	struct kaconf_diag d = {0};
	json_object *root;
	const char *text = INSTANCE("    state MASTER\n    priority 150\n"
				    "    nopreempt\n    preempt_delay 10\n");
	assert_int_equal(convert(text, false, &d, &root), 0);
	json_object *in = instance(root, 0);
	assert_true(jbool(in, "preempt"));
	assert_int_equal(jint(in, "preempt-delay"), 0);
	assert_msg(&d, KACONF_WARNING,
		   "t.conf:6: keyword 'nopreempt': does not work with state MASTER; reset as keepalived does");
	assert_msg(&d, KACONF_WARNING,
		   "t.conf:7: keyword 'preempt_delay': does not work with state MASTER; reset to 0 as keepalived does");
	json_object_put(root);
	kaconf_diag_free(&d);

	/* duplicate VIP dropped with a warning */
	text = "vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 1\n"
	       "    virtual_ipaddress {\n        10.0.0.1\n        10.0.0.1/24\n    }\n}\n";
	assert_int_equal(convert(text, false, &d, &root), 0);
	assert_int_equal(json_object_array_length(
				 jget(instance(root, 0), "virtual-address")),
			 1);
	assert_msg(&d, KACONF_WARNING,
		   "t.conf:6: keyword 'virtual_ipaddress': address 10.0.0.1/24 is listed twice; the second entry is ignored");
	json_object_put(root);
	kaconf_diag_free(&d);
}

static int setup(void **state)
{
	(void)state;
	init_data_dir();
	struct model_error err = {0};
	model = model_new(&err);
	if (!model)
		fprintf(stderr, "model unavailable (%s); JSON not validated\n",
			err.msg);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	if (model)
		model_free(model);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_single_master_node1),
		cmocka_unit_test(test_seed_single_master_node2),
		cmocka_unit_test(test_seed_dual_master_node1),
		cmocka_unit_test(test_seed_dual_master_node2),
		cmocka_unit_test(test_glued_opener),
		cmocka_unit_test(test_brace_on_next_line_and_odd_layout),
		cmocka_unit_test(test_comments),
		cmocka_unit_test(test_quoted_strings),
		cmocka_unit_test(test_include_glob),
		cmocka_unit_test(test_include_errors),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_unbalanced_braces),
		cmocka_unit_test(test_unknown_keyword_in_instance),
		cmocka_unit_test(test_bad_vrid),
		cmocka_unit_test(test_password_too_long),
		cmocka_unit_test(test_priority_0),
		cmocka_unit_test(test_other_bad_values),
		cmocka_unit_test(test_nothing_half_converted),
		cmocka_unit_test(test_defaults_follow_keepalived),
		cmocka_unit_test(test_global_defs_mapping),
		cmocka_unit_test(test_instance_mapping),
		cmocka_unit_test(test_advert_int),
		cmocka_unit_test(test_ipv6_instance),
		cmocka_unit_test(test_auth_dropped_with_v3),
		cmocka_unit_test(test_unsupported_features),
		cmocka_unit_test(test_vrrp_strict),
		cmocka_unit_test(test_keepalived_corrections),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
