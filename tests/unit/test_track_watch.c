/* Unit tests for vrrpd/track/track_watch.c through the real loop, every
 * wait bounded: a track file read at once and re-read on inotify (written
 * in place, replaced by rename, deleted), its value times the weight in
 * the priority; a process tracker following a real child through /proc. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "loop.h"
#include "proc_fixture.h"
#include "model.h"
#include "track/track_set.h"
#include "track/track_watch.h"

struct fx {
	struct model *m;
	struct loop *loop;
	struct track_watch *w;
	char dir[64];
	char file[128];
	struct vrrpd_config cfg;
	struct track_set set;
	int changes;
};

static void on_change(void *arg, struct tracker *t)
{
	struct fx *f = arg;

	(void)t;
	f->changes++;
	loop_stop(f->loop);
}

/* Run until the next change or max_ms; true if a change came. */
static bool next_change(struct fx *f, unsigned max_ms)
{
	int before = f->changes;
	struct loop_timer t;

	loop_timer_init(&t, fixture_stop, f->loop);
	loop_timer_at(f->loop, &t, loop_now_us() + max_ms * 1000ull);
	loop_run(f->loop);
	loop_timer_cancel(f->loop, &t);
	return f->changes > before;
}

static void load(struct fx *f, const char *json)
{
	struct model_error err;
	struct lyd_node *tree = NULL;
	char e[256];

	if (model_parse_json(f->m, json, &tree, &err) ||
	    model_tree_to_config(tree, &f->cfg, &err))
		fail_msg("%s: %s", err.path, err.msg);
	model_tree_free(tree);
	assert_int_equal(track_set_build(&f->set, &f->cfg, loop_now_us(), e,
					 sizeof(e)), 0);
	track_watch_set(f->w, &f->set, "/proc");
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct model_error err;

	f->m = model_new(&err);
	f->loop = loop_new();
	f->w = track_watch_new(f->loop, on_change, f);
	snprintf(f->dir, sizeof(f->dir), "/tmp/vrrpd-watch-XXXXXX");
	if (!f->m || !f->loop || !f->w || !mkdtemp(f->dir))
		return -1;
	snprintf(f->file, sizeof(f->file), "%s/prio", f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	track_watch_free(f->w);
	track_set_free(&f->set);
	vrrpd_config_free(&f->cfg);
	loop_free(f->loop);
	model_free(f->m);
	if (remove_tree(f->dir))
		return -1;
	free(f);
	return 0;
}

static void put(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static void expect_prio(struct fx *f, uint8_t prio, bool fault)
{
	struct track_prio p;

	track_set_priority(&f->set, 0, &p);
	assert_int_equal(p.fault, fault);
	if (!fault)
		assert_int_equal(p.priority, prio);
}

static void test_file(void **state)
{
	struct fx *f = *state;
	char json[1024], tmp[160];
	struct tracker *t;

	snprintf(json, sizeof(json),
		 "{\"vrrpd:vrrpd\": {\"track\": {\"file\": [{\"name\": \"f\","
		 " \"path\": \"%s\", \"weight\": 10}]}, \"instance\": [{"
		 "\"name\": \"VI_1\", \"interface\": \"eth0\", \"vrid\": 1,"
		 " \"virtual-address\": [{\"address\": \"10.0.0.1\"}],"
		 " \"track\": {\"file\": [{\"name\": \"f\"}]}}]}}", f->file);
	put(f->file, "5\n");
	load(f, json);
	t = track_set_find(&f->set, TRACK_FILE, "f");
	/* The first read is reported from the loop, not from _set. */
	assert_int_equal(f->changes, 0);
	assert_true(next_change(f, 2000));
	assert_true(t->ok);
	assert_int_equal(t->value, 5);
	expect_prio(f, 150, false);

	/* Written in place. */
	put(f->file, "-3\n");
	assert_true(next_change(f, 2000));
	assert_int_equal(t->value, -3);
	expect_prio(f, 70, false);

	/* Replaced by rename, as editors and atomic writers do. */
	snprintf(tmp, sizeof(tmp), "%s/prio.new", f->dir);
	put(tmp, "-30\n");
	assert_int_equal(rename(tmp, f->file), 0);
	while (t->value != -30 && next_change(f, 2000))
		;
	assert_int_equal(t->value, -30);
	expect_prio(f, 0, true);    /* -300 is below -253 */

	/* Deleted: unreadable means fault. */
	unlink(f->file);
	while (t->ok && next_change(f, 2000))
		;
	assert_false(t->ok);
	expect_prio(f, 0, true);
	/* Garbage is not an integer. */
	put(f->file, "up\n");
	next_change(f, 300);
	assert_false(t->ok);
	assert_false(t->readable);
}

static void test_process(void **state)
{
	struct fx *f = *state;
	struct tracker *t;
	pid_t pid;

	load(f, "{\"vrrpd:vrrpd\": {\"track\": {\"process\": [{\"name\": \"p\","
		" \"process-name\": \"/bin/sleep\", \"arguments\": [\"4243\"],"
		" \"weight\": 0}]}, \"instance\": [{"
		"\"name\": \"VI_1\", \"interface\": \"eth0\", \"vrid\": 1,"
		" \"virtual-address\": [{\"address\": \"10.0.0.1\"}],"
		" \"track\": {\"process\": [{\"name\": \"p\"}]}}]}}");
	t = track_set_find(&f->set, TRACK_PROCESS, "p");
	assert_true(next_change(f, 2000));
	assert_false(t->ok);
	expect_prio(f, 0, true);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		execl("/bin/sleep", "/bin/sleep", "4243", (char *)NULL);
		_exit(127);
	}
	/* Seen at the next poll (one second). */
	assert_true(next_change(f, 3000));
	assert_true(t->ok);
	assert_int_equal(t->count, 1);
	expect_prio(f, 100, false);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	assert_true(next_change(f, 3000));
	assert_false(t->ok);
}

static void test_file_read(void **state)
{
	struct fx *f = *state;
	long v = 1;

	put(f->file, "  42 \n");
	assert_int_equal(track_file_read(f->file, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(track_file_read("/nonexistent/prio", &v), -1);
	put(f->file, "");
	assert_int_equal(track_file_read(f->file, &v), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_process, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_read, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
