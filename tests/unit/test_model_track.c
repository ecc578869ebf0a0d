/* Unit tests for the tracking part of the YANG model
 * (yang/vrrpd-tracking.yang, vrrpd/ctl/model_decode_track.c,
 * config_track.c): every tracker, follower, notify and sync-group leaf
 * decodes to the right C value; bad configurations are refused with the
 * offending node's data path (a followed tracker that does not exist is a
 * leafref error on the follower); equality sees every field. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "model.h"

#include <libyang/libyang.h>

#define INST(extra)                                                 \
	"{\"name\": \"VI_1\", \"interface\": \"eth0\", \"vrid\": 11, " \
	"\"virtual-address\": [{\"address\": \"10.10.1.1\"}]" extra "}"
#define INST2(extra)                                                \
	"{\"name\": \"VI_2\", \"interface\": \"eth0\", \"vrid\": 12, " \
	"\"virtual-address\": [{\"address\": \"10.10.1.2\"}]" extra "}"
#define TRACKERS                                                         \
	"\"track\": {"                                                   \
	" \"script\": [{\"name\": \"chk\", \"command\": [\"/usr/bin/curl\"," \
	"   \"-fs\", \"http://127.0.0.1/\"], \"interval\": 2000,"           \
	"   \"timeout\": 500, \"rise\": 3, \"fall\": 2, \"weight\": -30,"    \
	"   \"weight-reverse\": true, \"user\": \"nobody\","                \
	"   \"group\": \"nogroup\", \"init-state\": \"failed\"},"           \
	"  {\"name\": \"sh\", \"command\": [\"pidof haproxy\"],"           \
	"   \"shell\": true}],"                                             \
	" \"interface\": [{\"name\": \"eth1\"}, {\"name\": \"eth2\","       \
	"   \"weight\": 10}],"                                              \
	" \"file\": [{\"name\": \"f\", \"path\": \"/run/prio\","            \
	"   \"weight\": 254}],"                                             \
	" \"process\": [{\"name\": \"hap\", \"process-name\": \"haproxy\"," \
	"   \"arguments\": [\"-f\", \"/etc/haproxy.cfg\"], \"quorum\": 2,"   \
	"   \"quorum-max\": 4, \"weight\": 0}]}"
#define TOP(body) "{\"vrrpd:vrrpd\": {" body "}}"

#define VI1 "/vrrpd:vrrpd/instance[name='VI_1']"

static int setup(void **state)
{
	struct model_error err;

	*state = model_new(&err);
	if (!*state)
		fprintf(stderr, "model_new: %s\n", err.msg);
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	model_free(*state);
	return 0;
}

static void parse_ok(struct model *m, const char *json, struct vrrpd_config *c)
{
	struct model_error err = { { 0 }, { 0 } };
	struct lyd_node *tree = NULL;

	if (model_parse_json(m, json, &tree, &err) != 0)
		fail_msg("rejected: %s: %s", err.path, err.msg);
	if (model_tree_to_config(tree, c, &err) != 0)
		fail_msg("decode failed: %s: %s", err.path, err.msg);
	model_tree_free(tree);
}

static const char full[] = TOP(
	"\"global\": {\"notify-fifo\": \"/run/vrrpd.fifo\","
	" \"script-user\": \"nobody\", \"enable-script-security\": false,"
	" \"notify-timeout\": 7},"
	TRACKERS ","
	"\"sync-group\": [{\"name\": \"G1\", \"member\": [\"VI_1\", \"VI_2\"],"
	" \"tracking-weight\": true,"
	" \"track\": {\"interface\": [{\"name\": \"eth1\"}]},"
	" \"notify\": {\"script\": [{\"event\": \"master\", \"command\":"
	"   [\"/etc/g-master.sh\"]}]}}],"
	"\"instance\": [" INST(", \"track\": {"
	"  \"script\": [{\"name\": \"chk\", \"weight\": 15,"
	"    \"weight-reverse\": false}, {\"name\": \"sh\"}],"
	"  \"interface\": [{\"name\": \"eth2\"}],"
	"  \"file\": [{\"name\": \"f\", \"weight\": -2}],"
	"  \"process\": [{\"name\": \"hap\"}]},"
	" \"notify\": {\"priority-changes\": true, \"script\": ["
	"  {\"event\": \"master\", \"command\": [\"/etc/ka/m.sh\", \"up\"],"
	"   \"user\": \"root\"},"
	"  {\"event\": \"any\", \"command\": [\"/etc/ka/n.sh\"]},"
	"  {\"event\": \"stop\", \"command\": [\"logger stop\"],"
	"   \"shell\": true}]}") "," INST2("") "]");

static void test_full_decode(void **state)
{
	struct vrrpd_config c;
	const struct tracker_cfg *t;
	const struct instance_cfg *i;
	const struct sync_group_cfg *g;

	parse_ok(*state, full, &c);
	assert_string_equal(c.global.scripts.notify_fifo, "/run/vrrpd.fifo");
	assert_string_equal(c.global.scripts.script_user, "nobody");
	assert_false(c.global.scripts.script_security);
	assert_int_equal(c.global.scripts.notify_timeout_s, 7);
	assert_int_equal(c.tracking.n_trackers, 6);

	t = tracking_find(&c.tracking, TRACK_SCRIPT, "chk");
	assert_non_null(t);
	assert_int_equal(t->cmd.argc, 3);
	assert_string_equal(t->cmd.argv[2], "http://127.0.0.1/");
	assert_null(t->cmd.argv[3]);
	assert_false(t->cmd.shell);
	assert_int_equal(t->interval_ms, 2000);
	assert_int_equal(t->timeout_ms, 500);
	assert_int_equal(t->rise, 3);
	assert_int_equal(t->fall, 2);
	assert_true(t->has_weight);
	assert_int_equal(t->weight, -30);
	assert_true(t->reverse);
	assert_string_equal(t->cmd.user, "nobody");
	assert_string_equal(t->cmd.group, "nogroup");
	assert_int_equal(t->init, TRACK_INIT_FAILED);
	/* Defaults: timeout = interval, rise = fall = 1, weight 0, OK. */
	t = tracking_find(&c.tracking, TRACK_SCRIPT, "sh");
	assert_true(t->cmd.shell);
	assert_int_equal(t->interval_ms, 1000);
	assert_int_equal(t->timeout_ms, 1000);
	assert_int_equal(t->rise, 1);
	assert_int_equal(t->weight, 0);
	assert_int_equal(t->init, TRACK_INIT_OK);
	/* An interface without a weight is unweighted (down: FAULT). */
	assert_false(tracking_find(&c.tracking, TRACK_INTERFACE, "eth1")
			     ->has_weight);
	assert_int_equal(tracking_find(&c.tracking, TRACK_INTERFACE, "eth2")
				 ->weight, 10);
	t = tracking_find(&c.tracking, TRACK_FILE, "f");
	assert_string_equal(t->path, "/run/prio");
	assert_int_equal(t->weight, 254);
	t = tracking_find(&c.tracking, TRACK_PROCESS, "hap");
	assert_string_equal(t->process_name, "haproxy");
	assert_true(t->match_args);
	assert_int_equal(t->n_args, 2);
	assert_string_equal(t->args[1], "/etc/haproxy.cfg");
	assert_int_equal(t->quorum, 2);
	assert_int_equal(t->quorum_max, 4);
	assert_null(tracking_find(&c.tracking, TRACK_FILE, "chk"));

	i = &c.instances[0];
	assert_int_equal(i->follow.n_track, 5);
	assert_int_equal(i->follow.track[0].type, TRACK_SCRIPT);
	assert_string_equal(i->follow.track[0].name, "chk");
	assert_true(i->follow.track[0].has_weight);
	assert_int_equal(i->follow.track[0].weight, 15);
	assert_true(i->follow.track[0].has_reverse);
	assert_false(i->follow.track[0].reverse);
	assert_false(i->follow.track[1].has_weight);
	assert_false(i->follow.track[1].has_reverse);
	assert_int_equal(i->follow.track[2].type, TRACK_INTERFACE);
	assert_int_equal(i->follow.track[3].weight, -2);
	assert_int_equal(i->follow.track[4].type, TRACK_PROCESS);
	assert_true(i->follow.notify.priority_changes);
	assert_int_equal(i->follow.notify.script[NOTIFY_MASTER].argc, 2);
	assert_string_equal(i->follow.notify.script[NOTIFY_MASTER].argv[1],
			    "up");
	assert_string_equal(i->follow.notify.script[NOTIFY_MASTER].user,
			    "root");
	assert_int_equal(i->follow.notify.script[NOTIFY_BACKUP].argc, 0);
	assert_int_equal(i->follow.notify.script[NOTIFY_ANY].argc, 1);
	assert_true(i->follow.notify.script[NOTIFY_STOP].shell);
	assert_int_equal(c.instances[1].follow.n_track, 0);

	assert_int_equal(c.tracking.n_sync_groups, 1);
	g = tracking_sync_group_of(&c.tracking, "VI_2");
	assert_non_null(g);
	assert_string_equal(g->name, "G1");
	assert_int_equal(g->n_members, 2);
	assert_string_equal(g->members[0], "VI_1");
	assert_true(g->tracking_weight);
	assert_int_equal(g->follow.n_track, 1);
	assert_int_equal(g->follow.notify.script[NOTIFY_MASTER].argc, 1);
	assert_null(tracking_sync_group_of(&c.tracking, "VI_3"));
	vrrpd_config_free(&c);
}

static void test_defaults(void **state)
{
	struct vrrpd_config c;

	parse_ok(*state, TOP("\"instance\": [" INST("") "]"), &c);
	assert_true(c.global.scripts.script_security);
	assert_int_equal(c.global.scripts.notify_timeout_s, 30);
	assert_string_equal(c.global.scripts.notify_fifo, "");
	assert_int_equal(c.tracking.n_trackers, 0);
	assert_int_equal(c.instances[0].follow.n_track, 0);
	vrrpd_config_free(&c);
	/* The NULL tree gets the same defaults. */
	assert_int_equal(model_tree_to_config(NULL, &c, NULL), 0);
	assert_true(c.global.scripts.script_security);
	assert_int_equal(c.global.scripts.notify_timeout_s, 30);
}

struct bad_case {
	const char *what;
	const char *json;
	const char *path;
	const char *reason;
};

static const struct bad_case bad_cases[] = {
	{"unknown script tracker",
	 TOP("\"instance\": [" INST(", \"track\": {\"script\":"
				    " [{\"name\": \"nope\"}]}") "]"),
	 VI1 "/track/script[name='nope']/name", "nope"},
	{"script name given as an interface tracker",
	 TOP(TRACKERS ", \"instance\": [" INST(", \"track\": {\"interface\":"
					      " [{\"name\": \"chk\"}]}") "]"),
	 VI1 "/track/interface[name='chk']/name", "no target instance"},
	{"unknown sync group member",
	 TOP("\"sync-group\": [{\"name\": \"G\", \"member\": [\"VI_9\"]}],"
	     " \"instance\": [" INST("") "]"),
	 "/vrrpd:vrrpd/sync-group[name='G']/member[.='VI_9']", "VI_9"},
	{"instance in two sync groups",
	 TOP("\"sync-group\": [{\"name\": \"A\", \"member\": [\"VI_1\"]},"
	     " {\"name\": \"B\", \"member\": [\"VI_1\"]}],"
	     " \"instance\": [" INST("") "]"),
	 "/vrrpd:vrrpd/sync-group[name='A']/member[.='VI_1']",
	 "at most one sync group"},
	{"sync group without members",
	 TOP("\"sync-group\": [{\"name\": \"G\"}]"),
	 "/vrrpd:vrrpd/sync-group[name='G']/member", "Too few"},
	{"weight 254 on a script",
	 TOP("\"track\": {\"script\": [{\"name\": \"s\", \"command\":"
	     " [\"/bin/true\"], \"weight\": 254}]}"),
	 "/vrrpd:vrrpd/track/script[name='s']/weight", "-253..253"},
	{"per-instance weight -254 on a script",
	 TOP("\"track\": {\"script\": [{\"name\": \"s\", \"command\":"
	     " [\"/bin/true\"]}]}, \"instance\": [" INST(", \"track\":"
	     " {\"script\": [{\"name\": \"s\", \"weight\": -254}]}") "]"),
	 VI1 "/track/script[name='s']/weight", "-253..253"},
	{"file weight 255",
	 TOP("\"track\": {\"file\": [{\"name\": \"f\", \"path\": \"/x\","
	     " \"weight\": 255}]}"),
	 "/vrrpd:vrrpd/track/file[name='f']/weight", "-254..254"},
	{"script without command",
	 TOP("\"track\": {\"script\": [{\"name\": \"s\"}]}"),
	 "/vrrpd:vrrpd/track/script[name='s']/command", "Too few"},
	{"shell with two elements",
	 TOP("\"track\": {\"script\": [{\"name\": \"s\", \"command\":"
	     " [\"a\", \"b\"], \"shell\": true}]}"),
	 "/vrrpd:vrrpd/track/script[name='s']/shell", "single shell command"},
	{"interval below 100 ms",
	 TOP("\"track\": {\"script\": [{\"name\": \"s\", \"command\":"
	     " [\"/bin/true\"], \"interval\": 10}]}"),
	 "/vrrpd:vrrpd/track/script[name='s']/interval", "10"},
	{"rise 0",
	 TOP("\"track\": {\"script\": [{\"name\": \"s\", \"command\":"
	     " [\"/bin/true\"], \"rise\": 0}]}"),
	 "/vrrpd:vrrpd/track/script[name='s']/rise", "0"},
	{"relative track file",
	 TOP("\"track\": {\"file\": [{\"name\": \"f\", \"path\": \"x\"}]}"),
	 "/vrrpd:vrrpd/track/file[name='f']/path", "absolute path"},
	{"file without path",
	 TOP("\"track\": {\"file\": [{\"name\": \"f\"}]}"),
	 "/vrrpd:vrrpd/track/file[name='f']/path", "Mandatory"},
	{"quorum-max below quorum",
	 TOP("\"track\": {\"process\": [{\"name\": \"p\", \"process-name\":"
	     " \"x\", \"quorum\": 3, \"quorum-max\": 2}]}"),
	 "/vrrpd:vrrpd/track/process[name='p']/quorum-max", "at least quorum"},
	{"relative notify FIFO",
	 TOP("\"global\": {\"notify-fifo\": \"fifo\"}"),
	 "/vrrpd:vrrpd/global/notify-fifo", "absolute path"},
	{"unknown notify event",
	 TOP("\"instance\": [" INST(", \"notify\": {\"script\": [{\"event\":"
				    " \"backup-ish\", \"command\": [\"/x\"]}]}")
	     "]"),
	 VI1 "/notify/script/event", "backup-ish"},
	{"bad user name",
	 TOP("\"global\": {\"script-user\": \"a b\"}"),
	 "/vrrpd:vrrpd/global/script-user", "user or group name"},
	{"tracked interface ..",
	 TOP("\"track\": {\"interface\": [{\"name\": \"..\"}]}"),
	 "/vrrpd:vrrpd/track/interface/name", "not valid interface names"},
	{"bad tracker name",
	 TOP("\"track\": {\"script\": [{\"name\": \"a b\", \"command\":"
	     " [\"/bin/true\"]}]}"),
	 "/vrrpd:vrrpd/track/script/name", "letters"},
};

static void test_invalid(void **state)
{
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];
		struct model_error err = { { 0 }, { 0 } };
		struct lyd_node *tree = NULL;

		if (model_parse_json(*state, c->json, &tree, &err) == 0)
			fail_msg("%s: accepted", c->what);
		assert_null(tree);
		if (strcmp(err.path, c->path) != 0 || !strstr(err.msg, c->reason))
			fail_msg("%s: got path '%s' reason '%s'; want path '%s'"
				 " reason containing '%s'",
				 c->what, err.path, err.msg, c->path, c->reason);
	}
}

/* A tree that never went through validation still cannot hand the
 * engine a follower of a missing tracker. */
static void test_decode_checks_refs(void **state)
{
	struct model_error err = { { 0 }, { 0 } };
	struct lyd_node *tree = NULL;
	struct vrrpd_config c;
	const char *json = TOP("\"instance\": [" INST(", \"track\": {\"file\":"
						    " [{\"name\": \"nope\"}]}") "]");

	assert_int_equal(lyd_parse_data_mem(model_ctx(*state), json, LYD_JSON,
					    LYD_PARSE_ONLY, 0, &tree),
			 LY_SUCCESS);
	assert_int_equal(model_tree_to_config(tree, &c, &err), -1);
	assert_non_null(strstr(err.msg, "VI_1 follows unknown file tracker nope"));
	assert_int_equal(c.n_instances, 0);
	model_tree_free(tree);
}

static void test_equality(void **state)
{
	struct vrrpd_config a, b;
	struct tracker_cfg saved;
	struct track_ref_cfg ref;

	parse_ok(*state, full, &a);
	parse_ok(*state, full, &b);
	for (size_t k = 0; k < a.tracking.n_trackers; k++)
		assert_true(tracker_cfg_equal(&a.tracking.trackers[k],
					      &b.tracking.trackers[k]));
	assert_true(instance_cfg_equal(&a.instances[0], &b.instances[0]));
	assert_true(sync_group_cfg_equal(&a.tracking.sync_groups[0],
					 &b.tracking.sync_groups[0]));
	/* Each kind of field counts. */
	saved = b.tracking.trackers[0];
	b.tracking.trackers[0].fall = 9;
	assert_false(tracker_cfg_equal(&a.tracking.trackers[0],
				       &b.tracking.trackers[0]));
	b.tracking.trackers[0] = saved;
	b.tracking.trackers[0].cmd.argv[1][0] = 'X';
	assert_false(tracker_cfg_equal(&a.tracking.trackers[0],
				       &b.tracking.trackers[0]));
	b.tracking.trackers[0].cmd.argv[1][0] = '-';
	assert_true(tracker_cfg_equal(&a.tracking.trackers[0],
				      &b.tracking.trackers[0]));
	/* A follower's weight override is an instance change, not a
	 * restart. */
	ref = b.instances[0].follow.track[0];
	b.instances[0].follow.track[0].weight = 16;
	assert_false(instance_cfg_equal(&a.instances[0], &b.instances[0]));
	assert_false(instance_cfg_needs_restart(&a.instances[0],
						&b.instances[0]));
	b.instances[0].follow.track[0] = ref;
	b.instances[0].follow.notify.priority_changes = false;
	assert_false(instance_cfg_equal(&a.instances[0], &b.instances[0]));
	b.instances[0].follow.notify.priority_changes = true;
	b.instances[0].follow.notify.script[NOTIFY_ANY].argv[0][1] = 'X';
	assert_false(instance_cfg_equal(&a.instances[0], &b.instances[0]));
	b.tracking.sync_groups[0].tracking_weight = false;
	assert_false(sync_group_cfg_equal(&a.tracking.sync_groups[0],
					  &b.tracking.sync_groups[0]));
	assert_string_equal(track_type_name(TRACK_PROCESS), "process");
	assert_string_equal(notify_event_name(NOTIFY_ANY), "any");
	vrrpd_config_free(&a);
	vrrpd_config_free(&b);
	assert_int_equal(b.tracking.n_trackers, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_decode),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_decode_checks_refs),
		cmocka_unit_test(test_equality),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
