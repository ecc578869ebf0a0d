/* Unit tests for the importer's tracking keywords (kaconf/track.c,
 * follow.c, notify.c, sync_group.c, json_track.c): vrrp_script,
 * track_file, vrrp_track_process, track_* followers, notify scripts, the
 * global script settings and vrrp_sync_group become the vrrpd-tracking
 * nodes with keepalived 2.2.7's meaning, and the output passes the model. */
#include "kaconf_test.h"

static void assert_msg_has(const struct kaconf_diag *d, enum kaconf_severity sev,
			   const char *part)
{
	for (size_t i = 0; i < d->n_msgs; i++)
		if (d->msgs[i].severity == sev && strstr(d->msgs[i].text, part))
			return;
	kaconf_diag_print(d, stderr);
	fail_msg("no message containing: %s", part);
}

static void assert_no_msg_has(const struct kaconf_diag *d, const char *part)
{
	for (size_t i = 0; i < d->n_msgs; i++)
		if (strstr(d->msgs[i].text, part))
			fail_msg("unexpected message: %s", d->msgs[i].text);
}

#define INST(body) \
	"vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 11\n" body \
	" virtual_ipaddress {\n  10.10.1.1/16\n }\n}\n"

static json_object *vrrpd(json_object *root)
{
	return jget(root, "vrrpd:vrrpd");
}

static json_object *idx(json_object *a, size_t i)
{
	assert_non_null(a);
	assert_true(i < json_object_array_length(a));
	return json_object_array_get_idx(a, i);
}

static void assert_argv(json_object *cmd, const char *const *want, size_t n)
{
	assert_non_null(cmd);
	assert_int_equal(json_object_array_length(cmd), n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(json_object_get_string(idx(cmd, i)), want[i]);
}

static void test_vrrp_script(void **state)
{
	(void)state;
	struct kaconf_diag d = {0};
	json_object *root, *s;
	/* keepalived 2.2.7 (-d dump): Command = '/bin/echo' 'a b' 'c' 'd'
	 * 'e f', interval 2 s, timeout 4 s, weight -20 reverse, rise 3,
	 * fall 2, uid of nobody, init state failed. */
	const char *text =
		"vrrp_script chk {\n"
		" script \"/bin/echo 'a b' c\\ d 'e f'\"\n"
		" interval 2\n timeout 4\n weight -20 reverse\n rise 3\n fall 2\n"
		" user nobody nogroup\n init_fail\n}\n"
		INST(" track_script {\n  chk\n }\n");
	assert_int_equal(convert(text, false, &d, &root), 0);
	s = idx(jget(jget(vrrpd(root), "track"), "script"), 0);
	assert_string_equal(jstr(s, "name"), "chk");
	const char *argv[] = {"/bin/echo", "a b", "c", "d", "e f"};
	assert_argv(jget(s, "command"), argv, 5);
	assert_false(jbool(s, "shell"));
	assert_int_equal(jint(s, "interval"), 2000);
	assert_int_equal(jint(s, "timeout"), 4000);
	assert_int_equal(jint(s, "weight"), -20);
	assert_true(jbool(s, "weight-reverse"));
	assert_int_equal(jint(s, "rise"), 3);
	assert_int_equal(jint(s, "fall"), 2);
	assert_string_equal(jstr(s, "user"), "nobody");
	assert_string_equal(jstr(s, "group"), "nogroup");
	assert_string_equal(jstr(s, "init-state"), "failed");
	/* keepalived's default is no script security: the output says so */
	assert_false(jbool(jget(vrrpd(root), "global"), "enable-script-security"));
	assert_msg_has(&d, KACONF_WARNING, "t.conf:2: no enable_script_security");
	json_object_put(root);
	kaconf_diag_free(&d);

	/* defaults; unquoted extra words are dropped, as keepalived does */
	memset(&d, 0, sizeof(d));
	assert_int_equal(convert("global_defs {\n enable_script_security\n}\n"
				 "vrrp_script c2 {\n script /bin/true x y\n}\n"
				 INST(" track_script {\n  c2\n }\n"),
				 false, &d, &root), 0);
	s = idx(jget(jget(vrrpd(root), "track"), "script"), 0);
	const char *argv2[] = {"/bin/true"};
	assert_argv(jget(s, "command"), argv2, 1);
	assert_int_equal(jint(s, "interval"), 1000);
	assert_null(jget(s, "timeout"));
	assert_int_equal(jint(s, "weight"), 0);
	assert_string_equal(jstr(s, "init-state"), "ok");
	assert_true(jbool(jget(vrrpd(root), "global"), "enable-script-security"));
	assert_msg_has(&d, KACONF_WARNING, "'x' and the words after it are ignored");
	assert_no_msg_has(&d, "enable_script_security");
	json_object_put(root);
	kaconf_diag_free(&d);
}

static void test_script_command_forms(void **state)
{
	(void)state;
	struct kaconf_diag d = {0};
	json_object *root, *s;
	/* keepalived resolves a bare program on PATH, and hands a command
	 * starting "</" to /bin/sh -c (the samples'
	 * "</dev/tcp/127.0.0.1/80"; keepalived 2.2.7 runs "</dev/null" as
	 * a succeeding script). */
	setenv("PATH", "/usr/bin:/bin", 1);
	assert_int_equal(convert("vrrp_script a {\n script \"true now\"\n}\n"
				 "vrrp_script b {\n script \"</dev/tcp/127.0.0.1/80\"\n}\n"
				 "vrrp_script c {\n script \"/bin/echo x | y\"\n}\n"
				 INST(""), false, &d, &root), 0);
	json_object *l = jget(jget(vrrpd(root), "track"), "script");
	s = idx(l, 0);
	assert_true(!strcmp(json_object_get_string(idx(jget(s, "command"), 0)), "/usr/bin/true") ||
		    !strcmp(json_object_get_string(idx(jget(s, "command"), 0)), "/bin/true"));
	assert_false(jbool(s, "shell"));
	assert_msg_has(&d, KACONF_WARNING, "program 'true' found on PATH as");
	s = idx(l, 1);
	const char *argv[] = {"</dev/tcp/127.0.0.1/80"};
	assert_argv(jget(s, "command"), argv, 1);
	assert_true(jbool(s, "shell"));
	assert_msg_has(&d, KACONF_WARNING, "runs with /bin/sh -c (shell true), as keepalived runs a command starting with '</'");
	s = idx(l, 2);
	assert_false(jbool(s, "shell"));
	assert_int_equal(json_object_array_length(jget(s, "command")), 4);
	assert_msg_has(&d, KACONF_WARNING, "'|' is passed to /bin/echo as an argument");
	json_object_put(root);
	kaconf_diag_free(&d);

	/* keepalived 2.2.7: "Cannot find script X in path - disabling",
	 * then "Disabling track script x since not found/accessible": the
	 * tracker and its followers go, and so does a notify script. */
	memset(&d, 0, sizeof(d));
	assert_int_equal(convert("vrrp_script x {\n script \"no_such_prog_42 a\"\n}\n"
				 INST(" track_script {\n  x\n }\n notify_master no_such_prog_42\n"),
				 false, &d, &root), 0);
	assert_null(jget(vrrpd(root), "track"));
	assert_null(jget(instance(root, 0), "track"));
	assert_null(jget(instance(root, 0), "notify"));
	assert_msg_has(&d, KACONF_WARNING, "t.conf:2: keyword 'script': program 'no_such_prog_42' is not found on PATH; the script is disabled");
	assert_msg_has(&d, KACONF_WARNING, "t.conf:1: vrrp_script 'x': disabled (its program is not found); the tracker is dropped");
	assert_msg_has(&d, KACONF_WARNING, "t.conf:8: VI_1: track_script 'x' is not defined by a vrrp_script block");
	assert_msg_has(&d, KACONF_WARNING, "t.conf:10: keyword 'notify_master': program 'no_such_prog_42' is not found on PATH");
	json_object_put(root);
	kaconf_diag_free(&d);
}

static void test_script_errors(void **state)
{
	(void)state;
	expect_error("vrrp_script a {\n script /bin/true\n weight 254\n}\n" INST(""),
		     false, "t.conf:3: keyword 'weight': expected an integer -253..253 and optionally reverse, got '254'");
	expect_error("vrrp_script a {\n script /bin/true\n interval 0.05\n}\n" INST(""),
		     false, "t.conf:3: keyword 'interval': expected seconds 0.1..3600 (up to two decimals), got '0.05'");
	expect_error("vrrp_script a {\n script \"/bin/x 'open\"\n}\n" INST(""),
		     false, "t.conf:2: keyword 'script': unterminated quote in the command");
	expect_error("vrrp_script a {\n script \"/bin/echo ''\"\n}\n" INST(""),
		     false, "t.conf:2: keyword 'script': an argument is empty or longer than 4095 characters (vrrpd cannot pass it)");
	expect_error("vrrp_script a {\n script /bin/true\n user -x\n}\n" INST(""),
		     false, "t.conf:3: keyword 'user': expected a user or group name (1..32 letters, digits, '_', '.', '-'), got '-x'");
	expect_error("vrrp_script a {\n script /bin/true\n bogus 1\n}\n" INST(""),
		     false, "t.conf:3: keyword 'bogus': unknown keyword in vrrp_script 'a'");
	expect_error("vrrp_script a {\n script /bin/true\n}\nvrrp_script a {\n script /bin/true\n}\n" INST(""),
		     false, "t.conf:4: keyword 'vrrp_script': name 'a' already used at t.conf:1");
	expect_error(INST(" track_script {\n  a weight x\n }\n"), false,
		     "t.conf:5: keyword 'track_script': a: expected weight -253..253, got 'x'");
	expect_error(INST(" track_script {\n  a weight 1 sideways\n }\n"), false,
		     "t.conf:5: keyword 'track_script': a: expected 'weight N [reverse|noreverse]', got 'sideways'");
}

static void test_followers(void **state)
{
	(void)state;
	struct kaconf_diag d = {0};
	json_object *root, *t, *e;
	assert_int_equal(convert("vrrp_script chk {\n script /bin/true\n weight 10\n}\n"
				 INST(" track_script {\n  chk weight -7 reverse\n  nosuch\n  chk\n }\n"
				      " track_interface {\n  eth1 weight 4\n  eth2\n  eth0 weight 3\n }\n"),
				 false, &d, &root), 0);
	t = jget(instance(root, 0), "track");
	e = idx(jget(t, "script"), 0);
	assert_string_equal(jstr(e, "name"), "chk");
	assert_int_equal(jint(e, "weight"), -7);
	assert_true(jbool(e, "weight-reverse"));
	assert_int_equal(json_object_array_length(jget(t, "script")), 1);
	assert_msg_has(&d, KACONF_WARNING, "track_script 'nosuch' is not defined by a vrrp_script block; ignored");
	assert_msg_has(&d, KACONF_WARNING, "'chk' is listed twice");
	/* the instance's own interface is dropped, as keepalived does */
	assert_int_equal(json_object_array_length(jget(t, "interface")), 2);
	e = idx(jget(t, "interface"), 0);
	assert_string_equal(jstr(e, "name"), "eth1");
	assert_int_equal(jint(e, "weight"), 4);
	assert_null(jget(idx(jget(t, "interface"), 1), "weight"));
	assert_msg_has(&d, KACONF_WARNING, "track_interface eth0 is the instance's own interface");
	/* each tracked interface is a top-level tracker, once */
	json_object *ti = jget(jget(vrrpd(root), "track"), "interface");
	assert_int_equal(json_object_array_length(ti), 2);
	assert_null(jget(idx(ti, 0), "weight"));
	json_object_put(root);
	kaconf_diag_free(&d);
}

static void test_track_file_process(void **state)
{
	(void)state;
	struct kaconf_diag d = {0};
	json_object *root, *f, *p;
	assert_int_equal(convert("vrrp_track_file tf {\n file /run/tf\n weight 3\n init_file 5 overwrite\n}\n"
				 "vrrp_track_process tp {\n process sshd -D \"a b\"\n param_match partial\n"
				 " quorum 2\n quorum_max 4\n weight -10 reverse\n fork_delay 1\n}\n"
				 "track_file t2 {\n file /run/t2\n}\n"
				 INST(" track_file {\n  tf weight 2 reverse\n  t2\n }\n track_process {\n  tp\n }\n"),
				 false, &d, &root), 0);
	json_object *tr = jget(vrrpd(root), "track");
	f = idx(jget(tr, "file"), 0);
	assert_string_equal(jstr(f, "path"), "/run/tf");
	assert_int_equal(jint(f, "weight"), 3);
	assert_int_equal(jint(idx(jget(tr, "file"), 1), "weight"), 1);
	assert_msg_has(&d, KACONF_WARNING, "'vrrp_track_file' is deprecated");
	assert_msg_has(&d, KACONF_WARNING, "t.conf:4: 'init_file' is not supported by vrrpd");
	p = idx(jget(tr, "process"), 0);
	assert_string_equal(jstr(p, "process-name"), "sshd");
	const char *args[] = {"-D", "a b"};
	assert_argv(jget(p, "arguments"), args, 2);
	assert_int_equal(jint(p, "quorum"), 2);
	assert_int_equal(jint(p, "quorum-max"), 4);
	assert_int_equal(jint(p, "weight"), -10);
	assert_true(jbool(p, "weight-reverse"));
	assert_msg_has(&d, KACONF_WARNING, "t.conf:8: 'param_match' is not supported by vrrpd");
	assert_msg_has(&d, KACONF_WARNING, "t.conf:12: 'fork_delay' is not supported by vrrpd");
	json_object *fo = idx(jget(jget(instance(root, 0), "track"), "file"), 0);
	assert_int_equal(jint(fo, "weight"), 2);
	assert_true(jbool(fo, "weight-reverse"));
	assert_string_equal(jstr(idx(jget(jget(instance(root, 0), "track"), "process"), 0), "name"), "tp");
	json_object_put(root);
	kaconf_diag_free(&d);

	expect_error("track_file a {\n file run/x\n}\n" INST(""), false,
		     "t.conf:2: keyword 'file': expected an absolute path, got 'run/x'");
	expect_error("vrrp_track_process a {\n process x\n quorum 3\n quorum_max 2\n}\n" INST(""),
		     false, "t.conf:1: vrrp_track_process 'a': quorum_max 2 is below quorum 3");
}

static void test_notify(void **state)
{
	(void)state;
	struct kaconf_diag d = {0};
	json_object *root, *n, *e;
	assert_int_equal(convert("global_defs {\n notify_fifo /run/f1\n vrrp_notify_fifo /run/f2\n"
				 " script_user nobody nogroup\n enable_script_security\n}\n"
				 INST(" notify_master \"/bin/echo m 'x y'\" daemon\n"
				      " notify_backup /bin/b\n notify_fault /bin/f\n notify_stop /bin/s\n"
				      " notify /bin/any\n notify_priority_changes\n"),
				 false, &d, &root), 0);
	json_object *g = jget(vrrpd(root), "global");
	/* keepalived sends VRRP events to vrrp_notify_fifo when both are set */
	assert_string_equal(jstr(g, "notify-fifo"), "/run/f2");
	assert_string_equal(jstr(g, "script-user"), "nobody");
	assert_string_equal(jstr(g, "script-group"), "nogroup");
	n = jget(instance(root, 0), "notify");
	assert_true(jbool(n, "priority-changes"));
	json_object *l = jget(n, "script");
	assert_int_equal(json_object_array_length(l), 5);
	e = idx(l, 0);
	assert_string_equal(jstr(e, "event"), "master");
	const char *argv[] = {"/bin/echo", "m", "x y"};
	assert_argv(jget(e, "command"), argv, 3);
	assert_string_equal(jstr(e, "user"), "daemon");
	assert_null(jget(e, "group"));
	assert_string_equal(jstr(idx(l, 1), "event"), "backup");
	assert_string_equal(jstr(idx(l, 2), "event"), "fault");
	assert_string_equal(jstr(idx(l, 3), "event"), "stop");
	assert_string_equal(jstr(idx(l, 4), "event"), "any");
	json_object_put(root);
	kaconf_diag_free(&d);

	/* notify_fifo alone; no notify keyword: no notify container */
	memset(&d, 0, sizeof(d));
	assert_int_equal(convert("global_defs {\n notify_fifo /run/f1\n}\n" INST(""),
				 false, &d, &root), 0);
	assert_string_equal(jstr(jget(vrrpd(root), "global"), "notify-fifo"), "/run/f1");
	assert_null(jget(instance(root, 0), "notify"));
	assert_null(jget(instance(root, 0), "track"));
	assert_null(jget(vrrpd(root), "track"));
	json_object_put(root);
	kaconf_diag_free(&d);

	expect_error("global_defs {\n notify_fifo run/f\n}\n" INST(""), false,
		     "t.conf:2: keyword 'notify_fifo': expected an absolute path, got 'run/f'");
	expect_error(INST(" notify_master /bin/m a b c\n"), false,
		     "t.conf:4: keyword 'notify_master': expected a script, then optionally a user and a group, got extra argument 'c'");
}

static void test_sync_group(void **state)
{
	(void)state;
	struct kaconf_diag d = {0};
	json_object *root, *g;
	const char *text =
		"vrrp_script chk {\n script /bin/true\n}\n"
		"vrrp_sync_group G1 {\n group {\n  VI_1\n  VI_2 nosuch\n }\n"
		" notify_master \"/bin/m arg\"\n notify /bin/any\n"
		" track_script {\n  chk weight 5\n }\n track_interface {\n  eth9\n }\n"
		" sync_group_tracking_weight\n smtp_alert\n}\n"
		"vrrp_sync_group G2 {\n group {\n  VI_2\n }\n}\n"
		"vrrp_sync_group G3 {\n VI_1\n}\n"
		INST("")
		"vrrp_instance VI_2 {\n interface eth0\n virtual_router_id 12\n"
		" virtual_ipaddress {\n  10.10.2.1\n }\n}\n";
	assert_int_equal(convert(text, false, &d, &root), 0);
	json_object *l = jget(vrrpd(root), "sync-group");
	assert_int_equal(json_object_array_length(l), 1);
	g = idx(l, 0);
	assert_string_equal(jstr(g, "name"), "G1");
	const char *members[] = {"VI_1", "VI_2"};
	assert_argv(jget(g, "member"), members, 2);
	assert_true(jbool(g, "tracking-weight"));
	assert_int_equal(jint(idx(jget(jget(g, "track"), "script"), 0), "weight"), 5);
	assert_string_equal(jstr(idx(jget(jget(g, "track"), "interface"), 0), "name"), "eth9");
	assert_string_equal(jstr(idx(jget(jget(vrrpd(root), "track"), "interface"), 0), "name"), "eth9");
	json_object *ns = jget(jget(g, "notify"), "script");
	assert_int_equal(json_object_array_length(ns), 2);
	assert_string_equal(jstr(idx(ns, 1), "event"), "any");
	assert_msg_has(&d, KACONF_WARNING, "member 'nosuch' is not a converted vrrp_instance");
	assert_msg_has(&d, KACONF_WARNING, "vrrp_sync_group 'G2': 'VI_2' is already a member of 'G1'");
	assert_msg_has(&d, KACONF_WARNING, "vrrp_sync_group 'G2': no members; the group is removed");
	assert_msg_has(&d, KACONF_WARNING, "keyword 'VI_1' is not a vrrp_sync_group keyword");
	assert_msg_has(&d, KACONF_WARNING, "keyword 'smtp_alert' is outside VRRP");
	json_object_put(root);
	kaconf_diag_free(&d);

	/* strict mode refuses what is ignored */
	memset(&d, 0, sizeof(d));
	assert_int_equal(convert(text, true, &d, NULL), -1);
	kaconf_diag_free(&d);
}

static void test_dont_track_primary(void **state)
{
	(void)state;
	struct kaconf_diag d = {0};
	json_object *root;
	assert_int_equal(convert(INST(" dont_track_primary\n"), false, &d, &root), 0);
	assert_int_equal(d.n_warnings, 0); /* converted, nothing to warn about */
	assert_true(jbool(instance(root, 0), "ignore-link-down"));
	json_object_put(root);
	assert_int_equal(convert(INST(" dont_track_primary 1\n"), false, &d, &root), -1);
	kaconf_diag_free(&d);
	assert_int_equal(convert(INST(""), false, &d, &root), 0);
	assert_false(json_object_object_get_ex(instance(root, 0), "ignore-link-down", NULL));
	json_object_put(root);
	kaconf_diag_free(&d);
}

/* A typical load balancer configuration converts to the checked-in JSON
 * (reviewed against keepalived 2.2.7's -d dump of the same file), without
 * a single warning. */
static void test_golden_tracking(void **state)
{
	(void)state;
	char *conf = data_path("tracking.conf"), *exp = data_path("tracking.expected.json");
	char *expected = slurp(exp), *json = NULL;
	struct kaconf_diag d = {0};
	assert_int_equal(kaconf_convert(conf, NULL, &json, &d), 0);
	if (strcmp(json, expected))
		fprintf(stderr, "got\n%s", json);
	assert_string_equal(json, expected);
	assert_int_equal(d.n_msgs, 0);
	assert_model_accepts(json);
	free(json);
	free(expected);
	free(conf);
	free(exp);
	kaconf_diag_free(&d);
}

/* Every keepalived sample with VRRP content imports and passes the model. */
static void test_samples(void **state)
{
	(void)state;
	static const char *const samples[] = {
		"keepalived.conf.vrrp", "keepalived.conf.vrrp.scripts",
		"keepalived.conf.vrrp.sync", "keepalived.conf.vrrp.localcheck",
		"keepalived.conf.vrrp.lvs_syncd", "keepalived.conf.track_interface",
		"keepalived.conf.sample", "keepalived.conf.vrrp.routes",
		"keepalived.conf.vrrp.rules", "keepalived.conf.vrrp.static_ipaddress",
		"keepalived.conf.conditional_conf",
	};
	const char *dir = "/usr/share/doc/keepalived/samples";
	if (access(dir, R_OK) != 0)
		skip();
	for (size_t i = 0; i < sizeof(samples) / sizeof(*samples); i++) {
		char path[512];
		snprintf(path, sizeof(path), "%s/%s", dir, samples[i]);
		char *text = slurp(path);
		struct kaconf_diag d = {0};
		struct kaconf_opts o = {0};
		char *json = NULL;
		int rc = kaconf_convert_text(path, text, strlen(text), &o, &json, &d);
		if (rc != 0) {
			fprintf(stderr, "%s:\n", samples[i]);
			kaconf_diag_print(&d, stderr);
		}
		assert_int_equal(rc, 0);
		assert_model_accepts(json);
		free(json);
		free(text);
		kaconf_diag_free(&d);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vrrp_script),
		cmocka_unit_test(test_script_command_forms),
		cmocka_unit_test(test_script_errors),
		cmocka_unit_test(test_followers),
		cmocka_unit_test(test_track_file_process),
		cmocka_unit_test(test_notify),
		cmocka_unit_test(test_sync_group),
		cmocka_unit_test(test_dont_track_primary),
		cmocka_unit_test(test_golden_tracking),
		cmocka_unit_test(test_samples),
	};
	return cmocka_run_group_tests(tests, kaconf_setup, kaconf_teardown);
}
