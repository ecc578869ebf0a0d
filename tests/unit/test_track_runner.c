/* Unit tests for vrrpd/track/track_runner.c: script trackers run by the
 * real loop and spawner from a real model configuration, every wait
 * bounded. A script followed by 1000 instances runs once per interval; a
 * failing check goes through fall and rise; a hanging one is killed at
 * its timeout and counts as failed; an insecure one is refused and
 * counts as failed; a reload that keeps a tracker keeps its running
 * check. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "loop.h"
#include "proc_fixture.h"
#include "model.h"
#include "spawner.h"
#include "track/track_runner.h"
#include "track/track_set.h"

struct fx {
	struct model *m;
	struct loop *loop;
	struct spawner *sp;
	struct track_runner *r;
	char dir[64];
	struct vrrpd_config cfg;
	struct track_set set;
	/* what the change callback saw */
	int changes;
	bool ok_seen[8];
	size_t affected;
	int stop_after;
	char flag[128];
};

static void on_change(void *arg, struct tracker *t)
{
	struct fx *f = arg;

	if (f->changes < 8)
		f->ok_seen[f->changes] = t->ok;
	f->changes++;
	tracker_affected(t, &f->affected);
	/* The check fails until the flag file exists. */
	if (!t->ok && f->flag[0])
		close(open(f->flag, O_CREAT | O_WRONLY, 0600));
	if (f->changes >= f->stop_after)
		loop_stop(f->loop);
}

/* n instances following script "chk" (weight -20) with these options. */
static void load(struct fx *f, const char *script, const char *opts, int n)
{
	size_t cap = 1 << 20, len = 0;
	char *s = malloc(cap);
	struct model_error err;
	struct lyd_node *tree = NULL;
	char e[256];

	len += (size_t)snprintf(s + len, cap - len,
		"{\"vrrpd:vrrpd\": {\"track\": {\"script\": [{\"name\": \"chk\","
		" \"command\": [\"%s\"], \"weight\": -20 %s}]},"
		" \"instance\": [", script, opts);
	for (int i = 0; i < n; i++)
		len += (size_t)snprintf(s + len, cap - len,
			"%s{\"name\": \"VI_%d\", \"interface\": \"eth%d\","
			" \"vrid\": %d, \"virtual-address\": [{\"address\":"
			" \"10.0.0.1\"}], \"track\": {\"script\": [{\"name\":"
			" \"chk\"}]}}", i ? "," : "", i, i / 250, i % 250 + 1);
	snprintf(s + len, cap - len, "]}}");
	if (model_parse_json(f->m, s, &tree, &err) ||
	    model_tree_to_config(tree, &f->cfg, &err))
		fail_msg("%s: %s", err.path, err.msg);
	model_tree_free(tree);
	free(s);
	assert_int_equal(track_set_build(&f->set, &f->cfg, loop_now_us(), e,
					 sizeof(e)), 0);
	track_runner_set(f->r, &f->set, &f->cfg.global.scripts);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct model_error err;

	f->m = model_new(&err);
	f->loop = loop_new();
	f->sp = spawner_new(f->loop);
	f->r = track_runner_new(f->loop, f->sp, on_change, f);
	snprintf(f->dir, sizeof(f->dir), "/tmp/vrrpd-runner-XXXXXX");
	if (!f->m || !f->loop || !f->sp || !f->r || !mkdtemp(f->dir))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	spawner_free(f->sp);
	track_runner_free(f->r);
	track_set_free(&f->set);
	vrrpd_config_free(&f->cfg);
	loop_free(f->loop);
	model_free(f->m);
	if (remove_tree(f->dir))
		return -1;
	free(f);
	return 0;
}

static int count_lines(const char *path)
{
	FILE *fp = fopen(path, "r");
	int n = 0, c;

	if (!fp)
		return 0;
	while ((c = fgetc(fp)) != EOF)
		n += c == '\n';
	fclose(fp);
	return n;
}

static void test_fall_rise_once_per_interval(void **state)
{
	struct fx *f = *state;
	char script[128], body[400], runs[128];
	struct tracker *t;
	struct track_prio p;
	uint64_t t0;
	double elapsed_s;

	snprintf(runs, sizeof(runs), "%s/runs", f->dir);
	snprintf(f->flag, sizeof(f->flag), "%s/flag", f->dir);
	snprintf(script, sizeof(script), "%s/chk.sh", f->dir);
	snprintf(body, sizeof(body), "echo run >> %s; test -e %s", runs,
		 f->flag);
	write_script(script, body, 0755);
	f->stop_after = 2;
	t0 = loop_now_us();
	load(f, script, ", \"interval\": 100, \"fall\": 2, \"rise\": 2", 1000);
	t = track_set_find(&f->set, TRACK_SCRIPT, "chk");
	run_bounded(f->loop, 5000);
	elapsed_s = (double)(loop_now_us() - t0) / 1e6;
	/* OK -> FAILED after two failures, back after two successes. */
	assert_int_equal(f->changes, 2);
	assert_false(f->ok_seen[0]);
	assert_true(f->ok_seen[1]);
	assert_int_equal(f->affected, 1000);
	/* Four runs in ~0.3 s: one per interval for all 1000 followers. */
	assert_true(t->runs >= 4);
	assert_true(t->runs <= 2 + (uint64_t)(elapsed_s * 10));
	assert_int_equal(count_lines(runs), (int)t->runs);
	track_set_priority(&f->set, 999, &p);
	assert_int_equal(p.priority, 100);
	assert_false(p.fault);
	fprintf(stderr, "1000 followers: %llu runs in %.2f s\n",
		(unsigned long long)t->runs, elapsed_s);
}

static void test_timeout_counts_as_failure(void **state)
{
	struct fx *f = *state;
	char script[128];
	struct tracker *t;
	uint64_t t0 = loop_now_us();

	snprintf(script, sizeof(script), "%s/hang.sh", f->dir);
	write_script(script, "sleep 10", 0755);
	f->stop_after = 1;
	load(f, script, ", \"interval\": 1000, \"timeout\": 200", 1);
	t = track_set_find(&f->set, TRACK_SCRIPT, "chk");
	run_bounded(f->loop, 5000);
	assert_int_equal(f->changes, 1);
	assert_false(t->ok);
	assert_int_equal(t->last_result, SCRIPT_TIMEOUT);
	assert_int_equal(t->timeouts, 1);
	assert_true(loop_now_us() - t0 < 1500000);
}

static void test_insecure_script_refused(void **state)
{
	struct fx *f = *state;
	char script[128];
	struct tracker *t;
	struct track_prio p;

	snprintf(script, sizeof(script), "%s/ww.sh", f->dir);
	write_script(script, "exit 0", 0777);
	f->stop_after = 1;
	load(f, script, ", \"interval\": 100", 1);
	t = track_set_find(&f->set, TRACK_SCRIPT, "chk");
	run_bounded(f->loop, 3000);
	assert_int_equal(f->changes, 1);
	assert_false(t->ok);
	assert_int_equal(t->last_result, SCRIPT_REFUSED);
	assert_int_equal(spawner_running(f->sp), 0);
	track_set_priority(&f->set, 0, &p);
	assert_int_equal(p.priority, 80);
	/* Fixing the mode heals it without a reload. */
	chmod(script, 0755);
	f->stop_after = 2;
	run_bounded(f->loop, 3000);
	assert_int_equal(f->changes, 2);
	assert_true(t->ok);
}

static void test_unknown_user_refused(void **state)
{
	struct fx *f = *state;
	struct tracker *t;

	f->stop_after = 1;
	load(f, "/bin/true", ", \"interval\": 100, \"user\": \"no-such-user-x\"",
	     1);
	t = track_set_find(&f->set, TRACK_SCRIPT, "chk");
	run_bounded(f->loop, 3000);
	assert_int_equal(f->changes, 1);
	assert_false(t->ok);
	assert_int_equal(t->last_result, SCRIPT_REFUSED);
	assert_int_equal(t->refusals, 1);
}

static void test_reload_keeps_running_check(void **state)
{
	struct fx *f = *state;
	char script[128];
	struct vrrpd_config old_cfg;
	struct track_set old_set;
	struct tracker *t;

	snprintf(script, sizeof(script), "%s/slow.sh", f->dir);
	write_script(script, "sleep 0.3; exit 1", 0755);
	f->stop_after = 1;
	load(f, script, ", \"interval\": 100, \"timeout\": 2000", 2);
	/* Let the first run start, then reload the same configuration. */
	run_bounded(f->loop, 50);
	assert_int_equal(spawner_running(f->sp), 1);
	old_cfg = f->cfg;
	old_set = f->set;
	load(f, script, ", \"interval\": 100, \"timeout\": 2000", 2);
	track_set_carry(&f->set, &old_set);
	track_runner_set(f->r, &f->set, &f->cfg.global.scripts);
	track_set_free(&old_set);
	vrrpd_config_free(&old_cfg);
	t = track_set_find(&f->set, TRACK_SCRIPT, "chk");
	assert_true(t->running);
	run_bounded(f->loop, 3000);
	/* The run started before the reload reported to the new tracker. */
	assert_int_equal(f->changes, 1);
	assert_false(t->ok);
	assert_int_equal(t->last_result, SCRIPT_FAILURE);
	assert_int_equal(t->runs, 1);
	/* Starts that came while it ran were skipped, never overlapped. */
	assert_true(t->skipped >= 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_fall_rise_once_per_interval,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeout_counts_as_failure,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_insecure_script_refused,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_user_refused, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_reload_keeps_running_check,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
