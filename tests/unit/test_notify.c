/* Unit tests for vrrpd/proc/notify.c (pure: keepalived's notify argv and
 * FIFO lines) and notifier.c (a real FIFO and real notify scripts run
 * through the loop, receiving exactly keepalived's arguments). */
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
#include "proc/notifier.h"
#include "proc/notify.h"
#include "proc/script_security.h"
#include "spawner.h"

static void test_words(void **state)
{
	(void)state;
	assert_string_equal(notify_kind_word(NOTIFY_INSTANCE), "INSTANCE");
	assert_string_equal(notify_kind_word(NOTIFY_GROUP), "GROUP");
	assert_string_equal(notify_state_word(NOTIFY_ST_MASTER), "MASTER");
	assert_string_equal(notify_state_word(NOTIFY_ST_BACKUP), "BACKUP");
	assert_string_equal(notify_state_word(NOTIFY_ST_FAULT), "FAULT");
	assert_string_equal(notify_state_word(NOTIFY_ST_STOP), "STOP");
	assert_string_equal(notify_state_word(NOTIFY_ST_MASTER_PRIORITY),
			    "MASTER_PRIORITY");
	assert_int_equal(notify_event_of_state(NOTIFY_ST_FAULT), NOTIFY_FAULT);
	assert_int_equal(notify_event_of_state(NOTIFY_ST_BACKUP_PRIORITY), -1);
}

static void test_fifo_lines(void **state)
{
	char buf[128], tiny[10];

	(void)state;
	assert_int_equal(notify_fifo_line(buf, sizeof(buf), NOTIFY_INSTANCE,
					  "VI_1", NOTIFY_ST_MASTER, 100), 27);
	assert_string_equal(buf, "INSTANCE \"VI_1\" MASTER 100\n");
	/* A group always says 0 (keepalived notify_group_fifo). */
	notify_fifo_line(buf, sizeof(buf), NOTIFY_GROUP, "G1",
			 NOTIFY_ST_BACKUP, 77);
	assert_string_equal(buf, "GROUP \"G1\" BACKUP 0\n");
	notify_fifo_line(buf, sizeof(buf), NOTIFY_INSTANCE, "VI_1",
			 NOTIFY_ST_BACKUP_PRIORITY, 90);
	assert_string_equal(buf, "INSTANCE \"VI_1\" BACKUP_PRIORITY 90\n");
	assert_int_equal(notify_fifo_line(tiny, sizeof(tiny), NOTIFY_INSTANCE,
					  "VI_1", NOTIFY_ST_MASTER, 100), -1);
}

static void test_argv(void **state)
{
	char *master[] = { "/etc/ka/master.sh", "--vip", "10.0.0.1", NULL };
	char *any[] = { "/etc/ka/notify.sh", "extra", NULL };
	char *line[] = { "logger -t ka", NULL };
	struct notify_cfg nc = { 0 };
	bool configured;
	char **v;

	(void)state;
	nc.script[NOTIFY_MASTER] = (struct script_cmd_cfg){ .argv = master,
							    .argc = 3 };
	nc.script[NOTIFY_ANY] = (struct script_cmd_cfg){ .argv = any,
							 .argc = 2 };
	/* notify_master: as configured, nothing added. */
	v = notify_script_argv(&nc, NOTIFY_MASTER, NOTIFY_INSTANCE, "VI_1",
			       NOTIFY_ST_MASTER, 100, &configured);
	assert_true(configured);
	assert_string_equal(v[0], "/etc/ka/master.sh");
	assert_string_equal(v[2], "10.0.0.1");
	assert_null(v[3]);
	script_argv_free(v);
	/* The generic notify: configured arguments, then the four. */
	v = notify_script_argv(&nc, NOTIFY_ANY, NOTIFY_INSTANCE, "VI_1",
			       NOTIFY_ST_MASTER, 100, &configured);
	assert_string_equal(v[0], "/etc/ka/notify.sh");
	assert_string_equal(v[1], "extra");
	assert_string_equal(v[2], "INSTANCE");
	assert_string_equal(v[3], "VI_1");
	assert_string_equal(v[4], "MASTER");
	assert_string_equal(v[5], "100");
	assert_null(v[6]);
	script_argv_free(v);
	v = notify_script_argv(&nc, NOTIFY_ANY, NOTIFY_GROUP, "G1",
			       NOTIFY_ST_FAULT, 100, &configured);
	assert_string_equal(v[2], "GROUP");
	assert_string_equal(v[3], "G1");
	assert_string_equal(v[4], "FAULT");
	assert_string_equal(v[5], "0");
	script_argv_free(v);
	/* Nothing configured for backup. */
	assert_null(notify_script_argv(&nc, NOTIFY_BACKUP, NOTIFY_INSTANCE,
				       "VI_1", NOTIFY_ST_BACKUP, 100,
				       &configured));
	assert_false(configured);
	/* A shell line gets the four as positional parameters. */
	nc.script[NOTIFY_ANY] = (struct script_cmd_cfg){ .argv = line,
							 .argc = 1,
							 .shell = true };
	v = notify_script_argv(&nc, NOTIFY_ANY, NOTIFY_INSTANCE, "VI_1",
			       NOTIFY_ST_STOP, 0, &configured);
	assert_string_equal(v[0], "/bin/sh");
	assert_string_equal(v[2], "logger -t ka \"$@\"");
	assert_string_equal(v[3], "sh");
	assert_string_equal(v[4], "INSTANCE");
	assert_string_equal(v[6], "STOP");
	assert_string_equal(v[7], "0");
	assert_null(v[8]);
	script_argv_free(v);
}

struct fx {
	struct loop *loop;
	struct spawner *sp;
	char dir[64];
};

/* Run the loop until every queued script started and ended, or max_ms
 * passed. */
static void drain(struct fx *f, struct notifier *n, unsigned max_ms)
{
	uint64_t end = loop_now_us() + max_ms * 1000ull;
	struct loop_timer t;

	loop_timer_init(&t, fixture_stop, f->loop);
	while ((spawner_running(f->sp) || notifier_pending(n)) &&
	       loop_now_us() < end) {
		loop_timer_at(f->loop, &t, loop_now_us() + 20000);
		loop_run(f->loop);
	}
	loop_timer_cancel(f->loop, &t);
}

static char *slurp(const char *path)
{
	static char buf[4096];
	int fd = open(path, O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static void test_notifier_scripts_and_fifo(void **state)
{
	struct fx f = { 0 };
	struct script_global_cfg g = { .script_security = true,
				       .notify_timeout_s = 5 };
	char master[128], any[128], out[128], bad[128], cmd[160];
	char *margv[] = { master, NULL }, *aargv[] = { any, NULL };
	char *bargv[] = { bad, NULL };
	struct notify_cfg nc = { 0 };
	struct notifier *n;
	char err[256], buf[4096];
	int rd;
	ssize_t len;

	(void)state;
	if (getuid() != 0)
		skip();
	f.loop = loop_new();
	f.sp = spawner_new(f.loop);
	snprintf(f.dir, sizeof(f.dir), "/tmp/vrrpd-notify-XXXXXX");
	assert_non_null(mkdtemp(f.dir));
	snprintf(out, sizeof(out), "%s/out", f.dir);
	snprintf(master, sizeof(master), "%s/master.sh", f.dir);
	snprintf(any, sizeof(any), "%s/any.sh", f.dir);
	snprintf(bad, sizeof(bad), "%s/bad.sh", f.dir);
	snprintf(cmd, sizeof(cmd), "echo \"master $#\" >> %s", out);
	write_script(master, cmd, 0755);
	snprintf(cmd, sizeof(cmd), "echo \"any $*\" >> %s", out);
	write_script(any, cmd, 0755);
	write_script(bad, "exit 0", 0777);
	snprintf(g.notify_fifo, sizeof(g.notify_fifo), "%s/fifo", f.dir);
	nc.script[NOTIFY_MASTER] = (struct script_cmd_cfg){ .argv = margv,
							    .argc = 1 };
	nc.script[NOTIFY_ANY] = (struct script_cmd_cfg){ .argv = aargv,
							 .argc = 1 };
	nc.script[NOTIFY_FAULT] = (struct script_cmd_cfg){ .argv = bargv,
							   .argc = 1 };

	/* The FIFO is created; a reader may come later. */
	n = notifier_new(f.sp, &g, err, sizeof(err));
	assert_non_null(n);
	rd = open(g.notify_fifo, O_RDONLY | O_NONBLOCK);
	assert_true(rd >= 0);

	assert_int_equal(notifier_send(n, &nc, NOTIFY_INSTANCE, "VI_1",
				       NOTIFY_ST_MASTER, 100), 2);
	drain(&f, n, 5000);
	/* The specific script runs first, without arguments; both end
	 * before we look, so the order in the file is theirs. */
	assert_non_null(strstr(slurp(out), "master 0\n"));
	assert_non_null(strstr(slurp(out), "any INSTANCE VI_1 MASTER 100\n"));

	/* A failover of many instances queues, never starts at once. */
	{
		char name[16];
		unsigned before = (unsigned)notifier_stats(n)->scripts_started;

		for (int i = 0; i < 20; i++) {
			snprintf(name, sizeof(name), "VI_%d", 100 + i);
			assert_int_equal(notifier_send(n, &nc, NOTIFY_INSTANCE,
						       name, NOTIFY_ST_MASTER,
						       100), 2);
		}
		assert_int_equal(notifier_pending(n), 40);
		assert_int_equal(spawner_running(f.sp), 0);
		drain(&f, n, 10000);
		assert_int_equal(notifier_pending(n), 0);
		assert_int_equal(notifier_stats(n)->scripts_started, before + 40);
		assert_non_null(strstr(slurp(out), "any INSTANCE VI_119 MASTER 100\n"));
	}

	/* A world-writable notify_fault is refused; the generic one runs. */
	assert_int_equal(notifier_send(n, &nc, NOTIFY_INSTANCE, "VI_1",
				       NOTIFY_ST_FAULT, 100), 1);
	drain(&f, n, 5000);
	assert_int_equal(notifier_stats(n)->scripts_refused, 1);
	assert_non_null(strstr(slurp(out), "any INSTANCE VI_1 FAULT 100\n"));

	notifier_send(n, NULL, NOTIFY_GROUP, "G1", NOTIFY_ST_BACKUP, 0);
	nc.priority_changes = false;
	notifier_priority(n, &nc, "VI_1", true, 90);  /* off: no line */
	nc.priority_changes = true;
	notifier_priority(n, &nc, "VI_1", false, 80);
	len = read(rd, buf, sizeof(buf) - 1);
	assert_true(len > 0);
	buf[len] = '\0';
	assert_int_equal(strncmp(buf, "INSTANCE \"VI_1\" MASTER 100\n"
				      "INSTANCE \"VI_100\" MASTER 100\n", 56), 0);
	assert_non_null(strstr(buf, "INSTANCE \"VI_119\" MASTER 100\n"
				    "INSTANCE \"VI_1\" FAULT 100\n"
				    "GROUP \"G1\" BACKUP 0\n"
				    "INSTANCE \"VI_1\" BACKUP_PRIORITY 80\n"));
	assert_int_equal(buf[len - 1], '\n');
	assert_null(strstr(buf, "MASTER_PRIORITY"));
	assert_int_equal(notifier_stats(n)->fifo_lines, 24);
	assert_int_equal(notifier_stats(n)->scripts_started, 43);
	close(rd);

	/* A path that is not a FIFO is refused, the old one stays. */
	{
		struct script_global_cfg g2 = g;

		snprintf(g2.notify_fifo, sizeof(g2.notify_fifo), "%s", master);
		assert_int_equal(notifier_reconfigure(n, &g2, err, sizeof(err)),
				 -1);
		assert_non_null(strstr(err, "not a FIFO"));
	}
	spawner_free(f.sp);
	notifier_free(n);
	loop_free(f.loop);
	assert_int_equal(remove_tree(f.dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_fifo_lines),
		cmocka_unit_test(test_argv),
		cmocka_unit_test(test_notifier_scripts_and_fifo),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
