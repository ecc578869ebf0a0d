/* Live methods for trackers, sync groups and follow lists
 * (vrrpd/ctl/rpc_track_config.c, cfg_edit*.c) against the fake engine and
 * the real YANG model: each change validated by libyang as a whole and
 * applied once; refusals (unknown setting, bad value, a tracker still
 * followed -- libyang's leafref, with the YANG path) change nothing;
 * candidate.edit takes the same edits and keeps them across a rebase. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "candidate.h"
#include "config.h"
#include "model.h"
#include "rpc.h"

#include "fake_engine.h"

struct t {
	struct fake f;
	struct rpc *r;
	struct rpc_caller admin;
};

#define START "{\"vrrpd:vrrpd\":{\"instance\":[" \
	"{\"name\":\"VI_1\",\"interface\":\"eth0\",\"vrid\":1," \
	"\"virtual-address\":[{\"address\":\"10.0.0.1\"}]}," \
	"{\"name\":\"VI_2\",\"interface\":\"eth0\",\"vrid\":2," \
	"\"virtual-address\":[{\"address\":\"10.0.0.2\"}]}]}}"

static int setup(void **state)
{
	struct t *t = calloc(1, sizeof(*t));
	struct model_error me;
	struct lyd_node *tree;
	struct rpc_backend b = {
		.arg = &t->f, .running_tree = f_running, .apply_tree = f_apply,
		.instance_count = f_count, .status_at = f_status_at,
		.status = f_status, .global_drops = f_drops,
		.config_generation = f_gen,
	};
	struct rpc_opts o = { .socket_path = "/run/test.sock" };

	t->f.m = model_new(&me);
	assert_non_null(t->f.m);
	b.model = t->f.m;
	assert_int_equal(model_parse_json(t->f.m, START, &tree, &me), 0);
	assert_int_equal(f_apply(&t->f, tree, &me), 0);
	t->f.applies = 0;
	t->r = rpc_new(&b, &o);
	t->admin = (struct rpc_caller){ .may_read = true, .may_write = true };
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct t *t = *state;

	rpc_free(t->r);
	model_tree_free(t->f.tree);
	vrrpd_config_free(&t->f.cfg);
	model_free(t->f.m);
	free(t);
	return 0;
}

static json_object *call(struct t *t, const char *method, const char *params)
{
	char line[4096];

	snprintf(line, sizeof(line),
		 "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"%s\",\"params\":%s}",
		 method, params ? params : "{}");
	return rpc_handle_line(t->r, &t->admin, line, strlen(line));
}

static json_object *get(json_object *o, const char *path)
{
	char buf[256], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *k = strtok_r(buf, ".", &save); k && o; k = strtok_r(NULL, ".", &save)) {
		json_object *v = NULL;

		if (json_object_is_type(o, json_type_array))
			v = json_object_array_get_idx(o, (size_t)atoi(k));
		else if (!json_object_object_get_ex(o, k, &v))
			v = NULL;
		o = v;
	}
	return o;
}

static int code_of(json_object *resp)
{
	json_object *c = get(resp, "error.code");
	return c ? json_object_get_int(c) : 0;
}

static void ok(struct t *t, const char *method, const char *params)
{
	json_object *resp = call(t, method, params);

	if (code_of(resp) != 0)
		fail_msg("%s %s: %s", method, params, json_object_to_json_string(resp));
	json_object_put(resp);
}

/* Expect error code; returns the response's error.data.path ("" if none)
 * in path. */
static void refused(struct t *t, const char *method, const char *params, int code,
		    const char *path_part)
{
	json_object *r = call(t, method, params);
	json_object *p = get(r, "error.data.path");

	if (code_of(r) != code)
		fail_msg("%s %s: want %d, got %s", method, params, code,
			 json_object_to_json_string(r));
	if (path_part && (!p || !strstr(json_object_get_string(p), path_part)))
		fail_msg("%s %s: want a path with %s, got %s", method, params, path_part,
			 json_object_to_json_string(r));
	json_object_put(r);
}

#define CHK "{\"type\":\"script\",\"name\":\"chk\",\"command\":\"/usr/bin/check -p 80\"," \
	"\"interval\":2000,\"weight\":-20}"

static void test_tracker_create_set_delete(void **state)
{
	struct t *t = *state;
	const struct tracker_cfg *tc;

	ok(t, "tracker.create", CHK);
	assert_int_equal(t->f.applies, 1);
	tc = tracking_find(&t->f.cfg.tracking, TRACK_SCRIPT, "chk");
	assert_non_null(tc);
	/* one string is split into the program and its arguments */
	assert_int_equal(tc->cmd.argc, 3);
	assert_string_equal(tc->cmd.argv[0], "/usr/bin/check");
	assert_string_equal(tc->cmd.argv[2], "80");
	assert_int_equal(tc->interval_ms, 2000);
	assert_int_equal(tc->weight, -20);
	refused(t, "tracker.create", CHK, JSONRPC_EXISTS, NULL);

	ok(t, "tracker.set", "{\"type\":\"script\",\"name\":\"chk\",\"fall\":3,"
	   "\"command\":[\"/bin/sh\",\"-c\",\"exit 0\"],\"interval\":null}");
	tc = tracking_find(&t->f.cfg.tracking, TRACK_SCRIPT, "chk");
	assert_int_equal(tc->fall, 3);
	assert_int_equal(tc->cmd.argc, 3);
	assert_string_equal(tc->cmd.argv[2], "exit 0");
	assert_int_equal(tc->interval_ms, 1000); /* null: the default again */
	/* shell true: the string is one command line */
	ok(t, "tracker.set", "{\"type\":\"script\",\"name\":\"chk\",\"shell\":true,"
	   "\"command\":\"pidof haproxy >/dev/null\"}");
	tc = tracking_find(&t->f.cfg.tracking, TRACK_SCRIPT, "chk");
	assert_int_equal(tc->cmd.argc, 1);
	assert_true(tc->cmd.shell);

	ok(t, "tracker.create", "{\"type\":\"interface\",\"name\":\"eth1\",\"weight\":10}");
	ok(t, "tracker.create", "{\"type\":\"file\",\"name\":\"f1\",\"path\":\"/run/w\"}");
	ok(t, "tracker.create", "{\"type\":\"process\",\"name\":\"p1\","
	   "\"process-name\":\"haproxy\",\"arguments\":\"-f /etc/h.cfg\"}");
	tc = tracking_find(&t->f.cfg.tracking, TRACK_PROCESS, "p1");
	assert_non_null(tc);
	assert_int_equal(tc->n_args, 2);
	assert_int_equal(t->f.cfg.tracking.n_trackers, 4);
	assert_int_equal(t->f.applies, 6);

	ok(t, "tracker.delete", "{\"type\":\"script\",\"name\":\"chk\"}");
	assert_null(tracking_find(&t->f.cfg.tracking, TRACK_SCRIPT, "chk"));
	ok(t, "tracker.delete", "{\"type\":\"interface\",\"name\":\"eth1\"}");
	ok(t, "tracker.delete", "{\"type\":\"file\",\"name\":\"f1\"}");
	/* the last one goes, the empty lists with it (RFC 7951 has none) */
	ok(t, "tracker.delete", "{\"type\":\"process\",\"name\":\"p1\"}");
	assert_int_equal(t->f.cfg.tracking.n_trackers, 0);
	refused(t, "tracker.delete", "{\"type\":\"process\",\"name\":\"p1\"}",
		JSONRPC_NOT_FOUND, NULL);
}

static void test_tracker_refusals_change_nothing(void **state)
{
	struct t *t = *state;

	/* parameters */
	refused(t, "tracker.create", "{\"name\":\"x\",\"command\":\"/bin/true\"}",
		JSONRPC_INVALID_PARAMS, NULL);
	refused(t, "tracker.create", "{\"type\":\"bogus\",\"name\":\"x\"}",
		JSONRPC_INVALID_PARAMS, NULL);
	refused(t, "tracker.create", "{\"type\":\"script\",\"name\":\"x\","
		"\"command\":\"/bin/true\",\"no-such\":1}", JSONRPC_INVALID_PARAMS, NULL);
	refused(t, "tracker.create", "{\"type\":\"script\",\"name\":\"x\","
		"\"command\":\"/bin/check 'unclosed\"}", JSONRPC_INVALID_PARAMS, NULL);
	refused(t, "tracker.set", "{\"type\":\"script\",\"name\":\"x\",\"fall\":2}",
		JSONRPC_NOT_FOUND, NULL);
	/* libyang: range, mandatory, pattern, the must of shell */
	refused(t, "tracker.create", "{\"type\":\"script\",\"name\":\"x\","
		"\"command\":\"/bin/true\",\"weight\":300}", JSONRPC_VALIDATION_FAILED,
		"weight");
	refused(t, "tracker.create", "{\"type\":\"script\",\"name\":\"x\"}",
		JSONRPC_VALIDATION_FAILED, "script");
	refused(t, "tracker.create", "{\"type\":\"file\",\"name\":\"f\"}",
		JSONRPC_VALIDATION_FAILED, "file");
	refused(t, "tracker.create", "{\"type\":\"script\",\"name\":\"bad name\","
		"\"command\":\"/bin/true\"}", JSONRPC_VALIDATION_FAILED, "name");
	refused(t, "tracker.create", "{\"type\":\"script\",\"name\":\"x\",\"shell\":true,"
		"\"command\":[\"/bin/a\",\"/bin/b\"]}", JSONRPC_VALIDATION_FAILED, "shell");
	assert_int_equal(t->f.applies, 0);
	assert_int_equal(t->f.cfg.tracking.n_trackers, 0);

	ok(t, "tracker.create", CHK);
	refused(t, "tracker.set", "{\"type\":\"script\",\"name\":\"chk\"}",
		JSONRPC_INVALID_PARAMS, NULL);
	refused(t, "tracker.set", "{\"type\":\"script\",\"name\":\"chk\",\"rise\":0}",
		JSONRPC_VALIDATION_FAILED, "rise");
	refused(t, "tracker.delete", "{\"type\":\"script\",\"name\":\"chk\",\"fall\":1}",
		JSONRPC_INVALID_PARAMS, NULL);
	assert_int_equal(t->f.applies, 1);
	assert_int_equal(tracking_find(&t->f.cfg.tracking, TRACK_SCRIPT, "chk")->rise, 1);
}

static void test_instance_track_untrack(void **state)
{
	struct t *t = *state;
	const struct instance_cfg *ic;

	ok(t, "tracker.create", CHK);
	/* following a tracker that does not exist: libyang's leafref */
	refused(t, "instance.track", "{\"name\":\"VI_1\",\"type\":\"script\","
		"\"tracker\":\"nope\"}", JSONRPC_VALIDATION_FAILED, "track/script");
	refused(t, "instance.track", "{\"name\":\"VI_9\",\"type\":\"script\","
		"\"tracker\":\"chk\"}", JSONRPC_NOT_FOUND, NULL);
	refused(t, "instance.track", "{\"name\":\"VI_1\",\"type\":\"script\","
		"\"tracker\":\"chk\",\"interval\":5}", JSONRPC_INVALID_PARAMS, NULL);
	refused(t, "instance.track", "{\"name\":\"VI_1\",\"type\":\"script\","
		"\"tracker\":\"chk\",\"weight\":999}", JSONRPC_VALIDATION_FAILED, "weight");
	assert_int_equal(t->f.applies, 1);

	ok(t, "instance.track", "{\"name\":\"VI_1\",\"type\":\"script\",\"tracker\":\"chk\"}");
	ic = vrrpd_config_find(&t->f.cfg, "VI_1");
	assert_int_equal(ic->follow.n_track, 1);
	assert_string_equal(ic->follow.track[0].name, "chk");
	assert_false(ic->follow.track[0].has_weight);
	/* again: changes how, not a second entry */
	ok(t, "instance.track", "{\"name\":\"VI_1\",\"type\":\"script\",\"tracker\":\"chk\","
	   "\"weight\":-50}");
	ic = vrrpd_config_find(&t->f.cfg, "VI_1");
	assert_int_equal(ic->follow.n_track, 1);
	assert_int_equal(ic->follow.track[0].weight, -50);
	assert_int_equal(vrrpd_config_find(&t->f.cfg, "VI_2")->follow.n_track, 0);

	/* still followed: libyang refuses the delete and names the follower */
	refused(t, "tracker.delete", "{\"type\":\"script\",\"name\":\"chk\"}",
		JSONRPC_VALIDATION_FAILED, "VI_1");
	assert_non_null(tracking_find(&t->f.cfg.tracking, TRACK_SCRIPT, "chk"));

	refused(t, "instance.untrack", "{\"name\":\"VI_2\",\"type\":\"script\","
		"\"tracker\":\"chk\"}", JSONRPC_NOT_FOUND, NULL);
	refused(t, "instance.untrack", "{\"name\":\"VI_1\",\"type\":\"script\","
		"\"tracker\":\"chk\",\"weight\":1}", JSONRPC_INVALID_PARAMS, NULL);
	ok(t, "instance.untrack", "{\"name\":\"VI_1\",\"type\":\"script\",\"tracker\":\"chk\"}");
	assert_int_equal(vrrpd_config_find(&t->f.cfg, "VI_1")->follow.n_track, 0);
	ok(t, "tracker.delete", "{\"type\":\"script\",\"name\":\"chk\"}");
}

static void test_sync_groups(void **state)
{
	struct t *t = *state;
	const struct sync_group_cfg *sg;

	refused(t, "sync-group.create", "{\"name\":\"G\"}", JSONRPC_VALIDATION_FAILED,
		"member");
	refused(t, "sync-group.create", "{\"name\":\"G\",\"member\":\"VI_9\"}",
		JSONRPC_VALIDATION_FAILED, "member");
	ok(t, "sync-group.create", "{\"name\":\"G\",\"member\":[\"VI_1\",\"VI_2\"]}");
	sg = &t->f.cfg.tracking.sync_groups[0];
	assert_int_equal(t->f.cfg.tracking.n_sync_groups, 1);
	assert_int_equal(sg->n_members, 2);
	refused(t, "sync-group.create", "{\"name\":\"G\",\"member\":\"VI_1\"}",
		JSONRPC_EXISTS, NULL);
	/* an instance is in one group at most (a YANG must) */
	refused(t, "sync-group.create", "{\"name\":\"H\",\"member\":\"VI_1\"}",
		JSONRPC_VALIDATION_FAILED, "member");
	/* a member cannot be deleted while in a group (leafref) */
	refused(t, "instance.delete", "{\"name\":\"VI_2\"}", JSONRPC_VALIDATION_FAILED,
		"sync-group");
	ok(t, "sync-group.set", "{\"name\":\"G\",\"member\":\"VI_1\",\"tracking-weight\":true}");
	sg = &t->f.cfg.tracking.sync_groups[0];
	assert_int_equal(sg->n_members, 1);
	assert_true(sg->tracking_weight);
	refused(t, "sync-group.set", "{\"name\":\"G\",\"bogus\":1}", JSONRPC_INVALID_PARAMS,
		NULL);

	ok(t, "tracker.create", "{\"type\":\"interface\",\"name\":\"eth1\"}");
	ok(t, "sync-group.track", "{\"name\":\"G\",\"type\":\"interface\",\"tracker\":\"eth1\"}");
	assert_int_equal(t->f.cfg.tracking.sync_groups[0].follow.n_track, 1);
	refused(t, "tracker.delete", "{\"type\":\"interface\",\"name\":\"eth1\"}",
		JSONRPC_VALIDATION_FAILED, "sync-group");
	ok(t, "sync-group.untrack", "{\"name\":\"G\",\"type\":\"interface\",\"tracker\":\"eth1\"}");
	assert_int_equal(t->f.cfg.tracking.sync_groups[0].follow.n_track, 0);
	ok(t, "sync-group.delete", "{\"name\":\"G\"}");
	assert_int_equal(t->f.cfg.tracking.n_sync_groups, 0);
	refused(t, "sync-group.delete", "{\"name\":\"G\"}", JSONRPC_NOT_FOUND, NULL);
	ok(t, "instance.delete", "{\"name\":\"VI_2\"}");
}

/* candidate.edit takes the live methods' edits (object + op); nothing is
 * applied before commit; a tracker added in the candidate survives a
 * rebase over a running that another session changed meanwhile. */
static void test_candidate_edits(void **state)
{
	struct t *t = *state;
	json_object *r;
	char p[512];
	int id;

	r = call(t, "candidate.open", NULL);
	id = json_object_get_int(get(r, "result.id"));
	json_object_put(r);
	snprintf(p, sizeof(p), "{\"id\":%d,\"object\":\"tracker\",\"op\":\"create\","
		 "\"type\":\"script\",\"name\":\"chk\",\"command\":\"/bin/true\"}", id);
	ok(t, "candidate.edit", p);
	snprintf(p, sizeof(p), "{\"id\":%d,\"object\":\"instance\",\"op\":\"track\","
		 "\"name\":\"VI_1\",\"type\":\"script\",\"tracker\":\"chk\",\"weight\":-10}", id);
	ok(t, "candidate.edit", p);
	snprintf(p, sizeof(p), "{\"id\":%d,\"object\":\"tracker\",\"op\":\"rename\","
		 "\"type\":\"script\",\"name\":\"chk\"}", id);
	refused(t, "candidate.edit", p, JSONRPC_INVALID_PARAMS, NULL);
	snprintf(p, sizeof(p), "{\"id\":%d,\"object\":\"tracker\",\"op\":\"create\","
		 "\"type\":\"script\",\"name\":\"chk\",\"command\":\"/bin/true\"}", id);
	refused(t, "candidate.edit", p, JSONRPC_EXISTS, NULL);
	assert_int_equal(t->f.applies, 0);

	snprintf(p, sizeof(p), "{\"id\":%d}", id);
	r = call(t, "candidate.compare", p);
	assert_non_null(strstr(json_object_get_string(get(r, "result.diff")),
			       "+create tracker script chk command /bin/true\n"));
	assert_non_null(strstr(json_object_get_string(get(r, "result.diff")),
			       "+set instance VI_1 track script chk weight -10\n"));
	json_object_put(r);

	/* instance edits as vrrpctl sends them (object given) */
	snprintf(p, sizeof(p), "{\"id\":%d,\"object\":\"instance\",\"op\":\"set\","
		 "\"name\":\"VI_1\",\"priority\":97}", id);
	ok(t, "candidate.edit", p);
	snprintf(p, sizeof(p), "{\"id\":%d,\"object\":\"instance\",\"op\":\"set\","
		 "\"name\":\"VI_1\"}", id);
	refused(t, "candidate.edit", p, JSONRPC_INVALID_PARAMS, NULL);
	snprintf(p, sizeof(p), "{\"id\":%d,\"object\":\"instance\",\"op\":\"delete\","
		 "\"name\":\"VI_1\",\"priority\":1}", id);
	refused(t, "candidate.edit", p, JSONRPC_INVALID_PARAMS, NULL);

	/* another session changes running meanwhile */
	ok(t, "instance.set", "{\"name\":\"VI_2\",\"priority\":50}");
	snprintf(p, sizeof(p), "{\"id\":%d}", id);
	ok(t, "candidate.commit", p);
	assert_non_null(tracking_find(&t->f.cfg.tracking, TRACK_SCRIPT, "chk"));
	assert_int_equal(vrrpd_config_find(&t->f.cfg, "VI_1")->follow.n_track, 1);
	assert_int_equal(vrrpd_config_find(&t->f.cfg, "VI_2")->priority, 50);
	assert_int_equal(vrrpd_config_find(&t->f.cfg, "VI_1")->priority, 97);

	/* a tracker changed in both: a conflict, not a silent loss */
	snprintf(p, sizeof(p), "{\"id\":%d,\"object\":\"tracker\",\"op\":\"set\","
		 "\"type\":\"script\",\"name\":\"chk\",\"fall\":4}", id);
	ok(t, "candidate.edit", p);
	ok(t, "tracker.set", "{\"type\":\"script\",\"name\":\"chk\",\"rise\":2}");
	snprintf(p, sizeof(p), "{\"id\":%d}", id);
	refused(t, "candidate.commit", p, RPC_ERR_CONFLICT, NULL);
	assert_int_equal(tracking_find(&t->f.cfg.tracking, TRACK_SCRIPT, "chk")->fall, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_tracker_create_set_delete, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tracker_refusals_change_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_instance_track_untrack, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sync_groups, setup, teardown),
		cmocka_unit_test_setup_teardown(test_candidate_edits, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
