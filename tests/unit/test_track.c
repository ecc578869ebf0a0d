/* Unit tests for vrrpd/track/: the tracker state machines with an
 * injected clock (tracker.c), keepalived's priority arithmetic
 * (track_prio.c), the tracker set built from a real model configuration
 * with its followers and state carried over a reload (track_set.c), and
 * process matching on /proc (process_scan.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "model.h"
#include "track/process_scan.h"
#include "track/track_prio.h"
#include "track/track_set.h"
#include "track/tracker.h"

#define MS 1000ull

static struct tracker_cfg script_cfg(uint16_t rise, uint16_t fall,
				     enum track_init init)
{
	struct tracker_cfg c = { .type = TRACK_SCRIPT, .name = "chk",
				 .has_weight = true, .interval_ms = 1000,
				 .timeout_ms = 1000, .rise = rise, .fall = fall,
				 .init = init, .quorum = 1 };
	return c;
}

static void test_script_fall_and_rise(void **state)
{
	struct tracker_cfg c = script_cfg(2, 3, TRACK_INIT_OK);
	struct tracker t = { 0 };

	(void)state;
	tracker_init(&t, &c, 0);
	assert_true(t.ok);
	/* Two failures, then a success: the streak resets, still OK. */
	assert_false(tracker_script_result(&t, SCRIPT_FAILURE, 1 * MS));
	assert_false(tracker_script_result(&t, SCRIPT_FAILURE, 2 * MS));
	assert_false(tracker_script_result(&t, SCRIPT_SUCCESS, 3 * MS));
	assert_true(t.ok);
	/* fall = 3: the third failure in a row flips it. */
	assert_false(tracker_script_result(&t, SCRIPT_FAILURE, 4 * MS));
	assert_false(tracker_script_result(&t, SCRIPT_TIMEOUT, 5 * MS));
	assert_true(tracker_script_result(&t, SCRIPT_REFUSED, 6 * MS));
	assert_false(t.ok);
	assert_int_equal(t.changed_us, 6 * MS);
	assert_int_equal(t.timeouts, 1);
	assert_int_equal(t.refusals, 1);
	assert_int_equal(t.failures, 5);
	/* Failing more changes nothing. */
	assert_false(tracker_script_result(&t, SCRIPT_FAILURE, 7 * MS));
	/* rise = 2: one success is not enough, a failure resets. */
	assert_false(tracker_script_result(&t, SCRIPT_SUCCESS, 8 * MS));
	assert_false(tracker_script_result(&t, SCRIPT_FAILURE, 9 * MS));
	assert_false(tracker_script_result(&t, SCRIPT_SUCCESS, 10 * MS));
	assert_true(tracker_script_result(&t, SCRIPT_SUCCESS, 11 * MS));
	assert_true(t.ok);
	assert_int_equal(t.last_result, SCRIPT_SUCCESS);
}

static void test_script_init_failed(void **state)
{
	struct tracker_cfg c = script_cfg(3, 1, TRACK_INIT_FAILED);
	struct tracker t = { 0 };

	(void)state;
	tracker_init(&t, &c, 0);
	assert_false(t.ok);
	assert_false(tracker_script_result(&t, SCRIPT_SUCCESS, 1));
	assert_false(tracker_script_result(&t, SCRIPT_SUCCESS, 2));
	assert_true(tracker_script_result(&t, SCRIPT_SUCCESS, 3));
	/* fall = 1: a single timeout is enough. */
	assert_true(tracker_script_result(&t, SCRIPT_TIMEOUT, 4));
	assert_false(t.ok);
}

static void test_script_schedule(void **state)
{
	struct tracker_cfg c = script_cfg(1, 1, TRACK_INIT_OK);
	struct tracker t = { 0 };

	(void)state;
	tracker_init(&t, &c, 5000 * MS);
	assert_false(tracker_script_due(&t, 4999 * MS));
	assert_true(tracker_script_due(&t, 5000 * MS));
	tracker_script_started(&t, 5000 * MS);
	assert_true(t.running);
	/* Interval from start to start; never two runs at once. */
	assert_int_equal(t.next_run_us, 6000 * MS);
	assert_false(tracker_script_due(&t, 6000 * MS));
	tracker_script_skip(&t, 6000 * MS);
	assert_int_equal(t.skipped, 1);
	assert_int_equal(t.next_run_us, 7000 * MS);
	tracker_script_result(&t, SCRIPT_SUCCESS, 6500 * MS);
	assert_false(t.running);
	assert_false(tracker_script_due(&t, 6999 * MS));
	assert_true(tracker_script_due(&t, 7000 * MS));
	assert_int_equal(t.runs, 1);
}

static void test_interface_file_process(void **state)
{
	struct tracker_cfg ic = { .type = TRACK_INTERFACE, .name = "eth0" };
	struct tracker_cfg fc = { .type = TRACK_FILE, .name = "f",
				  .has_weight = true, .weight = 1 };
	struct tracker_cfg pc = { .type = TRACK_PROCESS, .name = "p",
				  .quorum = 2, .quorum_max = 3 };
	struct tracker t = { 0 };

	(void)state;
	tracker_init(&t, &ic, 0);
	assert_false(t.known);
	/* The first report is a change even when it says "down". */
	assert_true(tracker_interface_update(&t, false, 1));
	assert_false(tracker_interface_update(&t, false, 2));
	assert_true(tracker_interface_update(&t, true, 3));
	assert_true(t.ok);

	memset(&t, 0, sizeof(t));
	tracker_init(&t, &fc, 0);
	assert_true(tracker_file_update(&t, true, 5, 1));
	assert_false(tracker_file_update(&t, true, 5, 2));
	/* A new value is a change although the status stays OK. */
	assert_true(tracker_file_update(&t, true, -7, 3));
	assert_int_equal(t.value, -7);
	assert_true(tracker_file_update(&t, false, 0, 4));
	assert_false(t.ok);

	memset(&t, 0, sizeof(t));
	tracker_init(&t, &pc, 0);
	assert_true(tracker_process_update(&t, 1, 1));
	assert_false(t.ok);
	assert_true(tracker_process_update(&t, 2, 2));
	assert_true(t.ok);
	assert_false(tracker_process_update(&t, 3, 3));
	assert_true(tracker_process_update(&t, 4, 4)); /* above quorum-max */
	assert_false(t.ok);
	assert_int_equal(t.count, 4);
}

static void test_file_parse(void **state)
{
	long v = 99;

	(void)state;
	assert_int_equal(tracker_file_parse("42\n", 3, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(tracker_file_parse("  -17 ", 6, &v), 0);
	assert_int_equal(v, -17);
	assert_int_equal(tracker_file_parse("+3", 2, &v), 0);
	assert_int_equal(v, 3);
	assert_int_equal(tracker_file_parse("99999999999999999999", 20, &v), 0);
	assert_int_equal(v, 1000000);
	v = 5;
	assert_int_equal(tracker_file_parse("", 0, &v), -1);
	assert_int_equal(tracker_file_parse("abc", 3, &v), -1);
	assert_int_equal(tracker_file_parse("12abc", 5, &v), -1);
	assert_int_equal(tracker_file_parse("-", 1, &v), -1);
	assert_int_equal(v, 5);
}

static struct track_input in_script(bool ok, int w, bool reverse)
{
	struct track_input i = { .type = TRACK_SCRIPT, .ok = ok, .weight = w,
				 .weighted = true, .reverse = reverse,
				 .own = true };
	return i;
}

static void prio(uint8_t cfg, const struct track_input *in, size_t n,
		 bool ignore, uint8_t want, bool want_fault)
{
	struct track_follower f = { .configured = cfg,
				    .sync_no_weight = ignore };
	struct track_prio p;

	track_prio_compute(&f, in, n, &p);
	assert_int_equal(p.priority, want);
	assert_int_equal(p.fault, want_fault);
}

static void test_prio_signs(void **state)
{
	struct track_input i;

	(void)state;
	/* Positive: added while OK, nothing while failing. */
	i = in_script(true, 10, false);
	prio(100, &i, 1, false, 110, false);
	i = in_script(false, 10, false);
	prio(100, &i, 1, false, 100, false);
	/* Negative: subtracted while failing, nothing while OK. */
	i = in_script(false, -30, false);
	prio(100, &i, 1, false, 70, false);
	i = in_script(true, -30, false);
	prio(100, &i, 1, false, 100, false);
	/* reverse: a positive weight is subtracted while OK ... */
	i = in_script(true, 10, true);
	prio(100, &i, 1, false, 90, false);
	i = in_script(false, 10, true);
	prio(100, &i, 1, false, 100, false);
	/* ... a negative one added while failing. */
	i = in_script(false, -30, true);
	prio(100, &i, 1, false, 130, false);
	/* weight 0: FAULT while failing; reversed, while OK. */
	i = in_script(false, 0, false);
	prio(100, &i, 1, false, 100, true);
	i = in_script(true, 0, false);
	prio(100, &i, 1, false, 100, false);
	i = in_script(true, 0, true);
	prio(100, &i, 1, false, 100, true);
	i = in_script(false, 0, true);
	prio(100, &i, 1, false, 100, false);
	/* An interface tracked without a weight: down means FAULT. */
	i = (struct track_input){ .type = TRACK_INTERFACE, .ok = false,
				  .weight = 50, .weighted = false };
	prio(100, &i, 1, false, 100, true);
}

static void test_prio_clamp_sum(void **state)
{
	struct track_follower f = { .configured = 100 };
	struct track_input in[3];
	struct track_prio p;

	(void)state;
	in[0] = in_script(true, 200, false);
	prio(100, in, 1, false, 254, false);   /* never 255 by weights */
	in[0] = in_script(false, -253, false);
	prio(100, in, 1, false, 1, false);     /* never 0 */
	in[0] = in_script(true, 20, false);
	in[1] = in_script(false, -50, false);
	in[2] = in_script(true, -5, false);
	track_prio_compute(&f, in, 3, &p);
	assert_int_equal(p.offset, -30);
	assert_int_equal(p.priority, 70);
	assert_int_equal(p.n, 3);
	assert_int_equal(p.n_ignored, 0);
	in[2] = in_script(false, 0, false);
	track_prio_compute(&f, in, 3, &p);
	assert_true(p.fault);
	assert_int_equal(p.fault_index, 2);
}

/* keepalived vrrp_complete_instance() and sync_group_tracking_init(). */
static void test_prio_owner_and_sync(void **state)
{
	struct track_follower owner = { .configured = 255 };
	struct track_follower member = { .configured = 100,
					 .sync_no_weight = true };
	struct track_follower with_owner = { .configured = 100,
					     .group_has_owner = true };
	struct track_input s = in_script(false, -20, false);
	struct track_input i = { .type = TRACK_INTERFACE, .ok = false,
				 .weight = -20, .weighted = true, .own = true };
	struct track_input f1 = { .type = TRACK_FILE, .ok = true, .value = 3,
				  .weight = 1, .weighted = true, .own = true };
	struct track_input f5 = f1;
	struct track_input unweighted = in_script(false, 0, false);
	struct track_input g = in_script(false, -20, false);
	struct track_prio p;

	(void)state;
	f5.weight = 5;
	g.own = false;
	/* A weighted script of an owner or a sync member is not followed. */
	assert_int_equal(track_weight_use(&s, &owner), TRACK_WEIGHT_IGNORED);
	assert_int_equal(track_weight_use(&s, &member), TRACK_WEIGHT_IGNORED);
	track_prio_compute(&owner, &s, 1, &p);
	assert_int_equal(p.priority, 255);
	assert_false(p.fault);
	assert_int_equal(p.n_ignored, 1);
	track_prio_compute(&member, &s, 1, &p);
	assert_int_equal(p.priority, 100);
	assert_false(p.fault);
	/* A weighted interface: weight 0 on a member, dropped on an owner. */
	assert_int_equal(track_weight_use(&i, &member), TRACK_WEIGHT_ZERO);
	assert_int_equal(track_weight_use(&i, &owner), TRACK_WEIGHT_IGNORED);
	track_prio_compute(&member, &i, 1, &p);
	assert_true(p.fault);
	assert_int_equal(p.priority, 100);
	/* A file with keepalived's default weight 1 acts as weight 0 (its
	 * non-zero value means FAULT), any other weight drops it. */
	assert_int_equal(track_weight_use(&f1, &member), TRACK_WEIGHT_ZERO);
	assert_int_equal(track_weight_use(&f5, &owner), TRACK_WEIGHT_IGNORED);
	track_prio_compute(&owner, &f1, 1, &p);
	assert_true(p.fault);
	assert_int_equal(p.priority, 255);
	/* Unweighted trackers always count: an owner goes to FAULT too. */
	assert_int_equal(track_weight_use(&unweighted, &owner),
			 TRACK_WEIGHT_APPLY);
	track_prio_compute(&owner, &unweighted, 1, &p);
	assert_true(p.fault);
	/* The group's own trackers keep their weights ... */
	assert_int_equal(track_weight_use(&g, &member), TRACK_WEIGHT_APPLY);
	track_prio_compute(&member, &g, 1, &p);
	assert_int_equal(p.priority, 80);
	/* ... unless a member is an address owner: then weight 0. */
	assert_int_equal(track_weight_use(&g, &with_owner), TRACK_WEIGHT_ZERO);
	track_prio_compute(&with_owner, &g, 1, &p);
	assert_true(p.fault);
	/* A plain instance applies everything. */
	member.sync_no_weight = false;
	assert_int_equal(track_weight_use(&s, &member), TRACK_WEIGHT_APPLY);
	assert_string_equal(track_weight_use_why(&s, &owner), "on an address owner");
}

static void test_prio_file(void **state)
{
	struct track_input f = { .type = TRACK_FILE, .ok = true, .value = 5,
				 .weight = 10, .weighted = true };

	(void)state;
	prio(100, &f, 1, false, 150, false);
	f.value = -3;
	prio(100, &f, 1, false, 70, false);
	f.reverse = true;
	prio(100, &f, 1, false, 130, false);
	f.reverse = false;
	/* Below -253: FAULT (weight 254 lets -1 mean it). */
	f.value = -1;
	f.weight = 254;
	prio(100, &f, 1, false, 100, true);
	f.weight = 253;
	prio(100, &f, 1, false, 1, false);
	/* Weight 0: non-zero means FAULT, zero OK. */
	f.weight = 0;
	f.value = 7;
	prio(100, &f, 1, false, 100, true);
	f.value = 0;
	prio(100, &f, 1, false, 100, false);
	/* Unreadable: FAULT whatever the weight. */
	f.ok = false;
	f.weight = 10;
	prio(100, &f, 1, false, 100, true);
}

/* 1000 instances follow one script (weight -20), instance 0 also a file;
 * a sync group G holds VI_1 and VI_2 and follows interface eth9. */
static char *big_config(void)
{
	size_t cap = 1 << 20, n = 0;
	char *s = malloc(cap);

	n += (size_t)snprintf(s + n, cap - n,
		"{\"vrrpd:vrrpd\": {\"track\": {"
		" \"script\": [{\"name\": \"chk\", \"command\": [\"/bin/true\"],"
		"   \"weight\": -20, \"rise\": 2},"
		"  {\"name\": \"unused\", \"command\": [\"/bin/true\"]}],"
		" \"interface\": [{\"name\": \"eth9\"}],"
		" \"file\": [{\"name\": \"f\", \"path\": \"/tmp/x\", \"weight\": 2}]},"
		" \"sync-group\": [{\"name\": \"G\", \"member\": [\"VI_1\", \"VI_2\"],"
		"   \"track\": {\"interface\": [{\"name\": \"eth9\"}]}}],"
		" \"instance\": [");
	for (int i = 0; i < 1000; i++)
		n += (size_t)snprintf(s + n, cap - n,
			"%s{\"name\": \"VI_%d\", \"interface\": \"eth%d\","
			" \"vrid\": %d, \"priority\": %d,"
			" \"virtual-address\": [{\"address\": \"10.0.0.1\"}],"
			" \"track\": {\"script\": [{\"name\": \"chk\"%s}]%s}}",
			i ? "," : "", i, i / 250, i % 250 + 1, i == 3 ? 255 : 100,
			i == 2 ? ", \"weight\": 30" : "",
			i == 0 ? ", \"file\": [{\"name\": \"f\"}]" : "");
	snprintf(s + n, cap - n, "]}}");
	return s;
}

static void load(struct model *m, const char *json, struct vrrpd_config *c)
{
	struct model_error err;
	struct lyd_node *tree = NULL;

	if (model_parse_json(m, json, &tree, &err) ||
	    model_tree_to_config(tree, c, &err))
		fail_msg("%s: %s", err.path, err.msg);
	model_tree_free(tree);
}

static void test_set_followers(void **state)
{
	struct model *m = *state;
	struct vrrpd_config c;
	struct track_set s;
	struct track_prio p;
	struct tracker *chk, *eth9;
	const size_t *aff;
	size_t n;
	char err[256];
	char *json = big_config();

	load(m, json, &c);
	free(json);
	assert_int_equal(track_set_build(&s, &c, 0, err, sizeof(err)), 0);
	/* "unused" nobody follows: not in the set, never run. */
	assert_int_equal(s.n_trackers, 3);
	assert_null(track_set_find(&s, TRACK_SCRIPT, "unused"));
	chk = track_set_find(&s, TRACK_SCRIPT, "chk");
	eth9 = track_set_find(&s, TRACK_INTERFACE, "eth9");
	assert_non_null(chk);
	aff = tracker_affected(chk, &n);
	/* VI_1, VI_2 (sync members) and VI_3 (owner) drop its weighted
	 * link: 997 instances affected. */
	assert_int_equal(n, 997);
	assert_int_equal(aff[0], 0);
	assert_int_equal(aff[1], 4);
	assert_int_equal(aff[996], 999);
	aff = tracker_affected(eth9, &n);
	assert_int_equal(n, 2);
	assert_int_equal(aff[0], 1);
	assert_int_equal(aff[1], 2);
	assert_int_equal(track_set_next_script_us(&s), 0);

	/* One script result serves all 1000 followers. */
	tracker_script_started(chk, 0);
	assert_true(tracker_script_result(chk, SCRIPT_FAILURE, 10));
	tracker_interface_update(eth9, true, 10);
	track_set_priority(&s, 500, &p);
	assert_int_equal(p.priority, 80);
	assert_false(p.fault);
	/* VI_0: the file is not reported yet: FAULT. */
	track_set_priority(&s, 0, &p);
	assert_true(p.fault);
	tracker_file_update(track_set_find(&s, TRACK_FILE, "f"), true, 10, 11);
	track_set_priority(&s, 0, &p);
	assert_false(p.fault);
	assert_int_equal(p.priority, 100);  /* -20 + 10 * 2 */
	/* VI_1 is in G without tracking-weight: its weighted script is not
	 * followed (keepalived); G's unweighted eth9 is up. */
	track_set_priority(&s, 1, &p);
	assert_false(p.fault);
	assert_int_equal(p.priority, 100);
	assert_int_equal(s.instances[1].n_ignored, 1);
	assert_int_equal(s.instances[1].n_links, 1);
	/* eth9 going down puts both members in FAULT. */
	tracker_interface_update(eth9, false, 12);
	track_set_priority(&s, 2, &p);
	assert_true(p.fault);
	assert_int_equal(p.fault_index, 0); /* the only link left */
	/* VI_3 is the address owner: 255, its weighted script dropped. */
	track_set_priority(&s, 3, &p);
	assert_int_equal(p.priority, 255);
	assert_false(p.fault);
	track_set_free(&s);
	vrrpd_config_free(&c);
}

static const char reload_a[] =
	"{\"vrrpd:vrrpd\": {\"track\": {\"script\": ["
	" {\"name\": \"a\", \"command\": [\"/bin/true\"], \"fall\": 2},"
	" {\"name\": \"b\", \"command\": [\"/bin/true\"]}]},"
	" \"instance\": [{\"name\": \"VI_1\", \"interface\": \"eth0\","
	"  \"vrid\": 1, \"virtual-address\": [{\"address\": \"10.0.0.1\"}],"
	"  \"track\": {\"script\": [{\"name\": \"a\"}, {\"name\": \"b\"}]}}]}}";
static const char reload_b[] =
	"{\"vrrpd:vrrpd\": {\"track\": {\"script\": ["
	" {\"name\": \"a\", \"command\": [\"/bin/true\"], \"fall\": 2},"
	" {\"name\": \"b\", \"command\": [\"/bin/false\"]}]},"
	" \"instance\": [{\"name\": \"VI_1\", \"interface\": \"eth0\","
	"  \"vrid\": 1, \"priority\": 50,"
	"  \"virtual-address\": [{\"address\": \"10.0.0.1\"}],"
	"  \"track\": {\"script\": [{\"name\": \"a\"}, {\"name\": \"b\"}]}}]}}";

static void test_set_carry(void **state)
{
	struct model *m = *state;
	struct vrrpd_config ca, cb;
	struct track_set sa, sb;
	struct tracker *a, *b;
	char err[256];

	load(m, reload_a, &ca);
	load(m, reload_b, &cb);
	assert_false(tracker_cfg_equal(&ca.tracking.trackers[1],
				       &cb.tracking.trackers[1]));
	assert_true(tracker_cfg_equal(&ca.tracking.trackers[0],
				      &cb.tracking.trackers[0]));
	assert_false(instance_cfg_equal(&ca.instances[0], &cb.instances[0]));
	assert_int_equal(track_set_build(&sa, &ca, 0, err, sizeof(err)), 0);
	a = track_set_find(&sa, TRACK_SCRIPT, "a");
	b = track_set_find(&sa, TRACK_SCRIPT, "b");
	tracker_script_result(a, SCRIPT_FAILURE, 1); /* streak 1 of 2 */
	tracker_script_result(b, SCRIPT_FAILURE, 1);
	assert_false(b->ok);
	assert_int_equal(track_set_build(&sb, &cb, 5, err, sizeof(err)), 0);
	track_set_carry(&sb, &sa);
	a = track_set_find(&sb, TRACK_SCRIPT, "a");
	b = track_set_find(&sb, TRACK_SCRIPT, "b");
	/* Unchanged "a" keeps its streak: one more failure flips it. */
	assert_int_equal(a->streak, 1);
	assert_ptr_equal(a->cfg, &cb.tracking.trackers[0]);
	assert_true(tracker_script_result(a, SCRIPT_FAILURE, 6));
	/* Changed "b" starts afresh, the second of two scripts: half its
	 * interval after the build (first runs are spread). */
	assert_true(b->ok);
	assert_int_equal(b->streak, 0);
	assert_int_equal(b->next_run_us, 5 + 500 * MS);
	/* "a" kept its own phase from the first set. */
	assert_int_equal(a->next_run_us, 0);
	track_set_free(&sa);
	track_set_free(&sb);
	vrrpd_config_free(&ca);
	vrrpd_config_free(&cb);
}

static void test_set_unknown_tracker(void **state)
{
	struct vrrpd_config c;
	struct instance_cfg inst = { .name = "VI_1", .priority = 100 };
	struct track_ref_cfg ref = { .type = TRACK_SCRIPT, .name = "nope" };
	struct track_set s;
	char err[256] = "";

	(void)state;
	memset(&c, 0, sizeof(c));
	inst.follow.n_track = 1;
	inst.follow.track = &ref;
	c.n_instances = 1;
	c.instances = &inst;
	assert_int_equal(track_set_build(&s, &c, 0, err, sizeof(err)), -1);
	assert_string_equal(err, "VI_1 follows unknown script tracker nope");
}

static void test_process_match(void **state)
{
	char *args[] = { "-f", "/etc/haproxy.cfg" };
	struct tracker_cfg c = { .type = TRACK_PROCESS,
				 .process_name = "haproxy", .quorum = 1 };
	static const char cmd[] = "haproxy\0-f\0/etc/haproxy.cfg";

	(void)state;
	assert_true(process_matches(&c, "haproxy", "", 0));
	assert_false(process_matches(&c, "haproxy2", "", 0));
	assert_false(process_matches(&c, "haprox", "", 0));
	/* The kernel keeps 15 characters of a name. */
	c.process_name = "a-very-long-program-name";
	assert_true(process_matches(&c, "a-very-long-pro", "", 0));
	c.process_name = "haproxy";
	c.match_args = true;
	c.n_args = 2;
	c.args = args;
	assert_true(process_matches(&c, "x", cmd, sizeof(cmd)));
	assert_true(process_matches(&c, "x", cmd, sizeof(cmd) - 1));
	assert_false(process_matches(&c, "x", cmd, sizeof(cmd) - 3));
	c.n_args = 1;
	assert_false(process_matches(&c, "x", cmd, sizeof(cmd)));
}

/* On the real /proc: a child of ours, by name and by command line. */
static void test_process_scan(void **state)
{
	char *args[] = { "4242" };
	struct tracker_cfg by_name = { .type = TRACK_PROCESS,
				       .process_name = "sleep", .quorum = 1 };
	struct tracker_cfg by_args = { .type = TRACK_PROCESS,
				       .process_name = "/bin/sleep",
				       .match_args = true, .n_args = 1,
				       .args = args, .quorum = 1 };
	struct tracker_cfg none = { .type = TRACK_PROCESS,
				    .process_name = "no-such-proc-xyz" };
	const struct tracker_cfg *cfgs[] = { &by_name, &by_args, &none };
	unsigned counts[3];
	pid_t pid = fork();

	(void)state;
	assert_true(pid >= 0);
	if (pid == 0) {
		execl("/bin/sleep", "/bin/sleep", "4242", (char *)NULL);
		_exit(127);
	}
	/* Wait until the child has exec'd (its name becomes "sleep"). */
	for (int i = 0; i < 200; i++) {
		assert_int_equal(process_scan(cfgs, 3, counts, "/proc"), 0);
		if (counts[1] >= 1)
			break;
		usleep(10000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	assert_true(counts[0] >= 1);
	assert_int_equal(counts[1], 1);
	assert_int_equal(counts[2], 0);
	assert_int_equal(process_scan(cfgs, 3, counts, "/nonexistent"), -1);
}

static int setup(void **state)
{
	struct model_error err;

	*state = model_new(&err);
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	model_free(*state);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_script_fall_and_rise),
		cmocka_unit_test(test_script_init_failed),
		cmocka_unit_test(test_script_schedule),
		cmocka_unit_test(test_interface_file_process),
		cmocka_unit_test(test_file_parse),
		cmocka_unit_test(test_prio_signs),
		cmocka_unit_test(test_prio_clamp_sum),
		cmocka_unit_test(test_prio_owner_and_sync),
		cmocka_unit_test(test_prio_file),
		cmocka_unit_test(test_set_followers),
		cmocka_unit_test(test_set_carry),
		cmocka_unit_test(test_set_unknown_tracker),
		cmocka_unit_test(test_process_match),
		cmocka_unit_test(test_process_scan),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
