/* Unit tests for vrrpd/proc/spawn.c and script_security.c, with real
 * children driven through the real event loop (every wait bounded):
 * exit statuses, stderr captured and bounded and logged with the name,
 * a sleeping script killed at its timeout (SIGTERM, then SIGKILL when it
 * ignores SIGTERM), an execve failure, running as another user, and the
 * script security checks (non-executable, world-writable file or
 * directory, foreign owner). */
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
#include <sys/stat.h>
#include <unistd.h>

#include "loop.h"
#include "proc_fixture.h"
#include "proc/script_security.h"
#include "spawner.h"

struct fixture {
	struct loop *loop;
	struct spawner *sp;
	char dir[64];
};

struct outcome {
	struct loop *loop;
	int calls;
	struct spawn_result r;
	char err[SPAWN_STDERR_MAX + 1];
};

static void on_done(void *arg, const struct spawn_result *r)
{
	struct outcome *o = arg;

	o->calls++;
	o->r = *r;
	memcpy(o->err, r->err_text, r->err_len + 1);
	o->r.err_text = o->err;
	loop_stop(o->loop);
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	fx->loop = loop_new();
	fx->sp = spawner_new(fx->loop);
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/vrrpd-spawn-XXXXXX");
	if (!fx->loop || !fx->sp || !mkdtemp(fx->dir))
		return -1;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	spawner_free(fx->sp);
	loop_free(fx->loop);
	if (remove_tree(fx->dir))
		return -1;
	free(fx);
	return 0;
}

static void run(struct fixture *fx, char *const *argv, uint32_t timeout_ms,
		uint32_t grace_ms, struct outcome *o, unsigned max_ms)
{
	struct spawn_opts so = { .name = "test", .argv = argv,
				 .timeout_ms = timeout_ms,
				 .kill_grace_ms = grace_ms };
	char err[256];

	memset(o, 0, sizeof(*o));
	o->loop = fx->loop;
	assert_true(spawn_run(fx->sp, &so, on_done, o, err, sizeof(err)) > 0);
	/* Never called from inside spawn_run. */
	assert_int_equal(o->calls, 0);
	assert_int_equal(spawner_running(fx->sp), 1);
	run_bounded(fx->loop, max_ms);
	assert_int_equal(o->calls, 1);
	assert_int_equal(spawner_running(fx->sp), 0);
}

static void test_true_false(void **state)
{
	struct fixture *fx = *state;
	char *t[] = { "/bin/true", NULL }, *f[] = { "/bin/false", NULL };
	struct outcome o;
	char how[64];

	run(fx, t, 5000, 0, &o, 5000);
	assert_int_equal(o.r.outcome, SPAWN_EXITED);
	assert_int_equal(o.r.status, 0);
	assert_int_equal(o.r.err_len, 0);
	run(fx, f, 5000, 0, &o, 5000);
	assert_int_equal(o.r.outcome, SPAWN_EXITED);
	assert_int_equal(o.r.status, 1);
	spawn_describe(&o.r, 5000, how, sizeof(how));
	assert_string_equal(how, "exit 1");
}

static void test_stderr_captured_and_logged(void **state)
{
	struct fixture *fx = *state;
	char path[128], logpath[128], log[1024] = "";
	char *argv[] = { path, NULL };
	struct outcome o;
	int saved = dup(2), fd;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/err.sh", fx->dir);
	write_script(path, "echo boom >&2; echo second line >&2; exit 3", 0755);
	snprintf(logpath, sizeof(logpath), "%s/log", fx->dir);
	fd = open(logpath, O_RDWR | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	/* vrrpd logs to stderr in the foreground: catch those lines. */
	dup2(fd, 2);
	run(fx, argv, 5000, 0, &o, 5000);
	dup2(saved, 2);
	close(saved);
	assert_int_equal(o.r.outcome, SPAWN_EXITED);
	assert_int_equal(o.r.status, 3);
	assert_string_equal(o.r.err_text, "boom\nsecond line\n");
	n = pread(fd, log, sizeof(log) - 1, 0);
	close(fd);
	assert_true(n > 0);
	log[n] = '\0';
	assert_non_null(strstr(log, "test: stderr: boom\n"));
	assert_non_null(strstr(log, "test: stderr: second line\n"));
}

static void test_stderr_bounded(void **state)
{
	struct fixture *fx = *state;
	char path[128];
	char *argv[] = { path, NULL };
	struct outcome o;

	snprintf(path, sizeof(path), "%s/big.sh", fx->dir);
	/* 10000 bytes: more than SPAWN_STDERR_MAX, less than a pipe. */
	write_script(path, "head -c 10000 /dev/zero | tr '\\0' x >&2", 0755);
	run(fx, argv, 5000, 0, &o, 5000);
	assert_int_equal(o.r.status, 0);
	assert_int_equal(o.r.err_len, SPAWN_STDERR_MAX);
	assert_int_equal(o.r.err_dropped, 10000 - SPAWN_STDERR_MAX);
}

static void test_timeout_sigterm(void **state)
{
	struct fixture *fx = *state;
	char path[128];
	char *argv[] = { path, NULL };
	struct outcome o;
	uint64_t t0 = loop_now_us();
	char how[64];

	snprintf(path, sizeof(path), "%s/sleep.sh", fx->dir);
	write_script(path, "sleep 10", 0755);
	run(fx, argv, 200, 0, &o, 5000);
	assert_int_equal(o.r.outcome, SPAWN_TIMED_OUT);
	assert_int_equal(o.r.status, 15);
	assert_true(o.r.runtime_us >= 200000);
	assert_true(loop_now_us() - t0 < 1500000);
	spawn_describe(&o.r, 200, how, sizeof(how));
	assert_string_equal(how, "timed out after 200 ms");
}

static void test_timeout_sigkill(void **state)
{
	struct fixture *fx = *state;
	char path[128];
	char *argv[] = { path, NULL };
	struct outcome o;

	snprintf(path, sizeof(path), "%s/stubborn.sh", fx->dir);
	/* Ignores SIGTERM (and so does its sleep, which inherits that). */
	write_script(path, "trap '' TERM; sleep 10", 0755);
	run(fx, argv, 200, 300, &o, 5000);
	assert_int_equal(o.r.outcome, SPAWN_TIMED_OUT);
	assert_int_equal(o.r.status, 9);
	assert_true(o.r.runtime_us >= 500000);
	assert_true(o.r.runtime_us < 3000000);
}

static void test_exec_failure(void **state)
{
	struct fixture *fx = *state;
	char *argv[] = { "/nonexistent/script", NULL };
	char *rel[] = { "relative.sh", NULL };
	struct spawn_opts so = { .name = "rel", .argv = rel };
	struct spawn_opts as_root = { .name = "test", .argv = argv,
				      .set_ids = true };
	struct outcome o = { .loop = fx->loop };
	char err[256];

	/* posix_spawn reports it at once, no callback. */
	so.argv = argv;
	assert_int_equal(spawn_run(fx->sp, &so, on_done, &o, err, sizeof(err)),
			 -1);
	assert_string_equal(err, "cannot execute /nonexistent/script: No such "
				 "file or directory");
	assert_int_equal(spawner_running(fx->sp), 0);
	/* After fork (a change of user) it comes back as exit 127. */
	if (getuid() == 0) {
		assert_true(spawn_run(fx->sp, &as_root, on_done, &o, err,
				      sizeof(err)) > 0);
		run_bounded(fx->loop, 5000);
		assert_int_equal(o.calls, 1);
		assert_int_equal(o.r.outcome, SPAWN_EXITED);
		assert_int_equal(o.r.status, 127);
		assert_non_null(strstr(o.r.err_text,
				       "cannot execute /nonexistent/script"));
	}
	so.argv = rel;
	assert_int_equal(spawn_run(fx->sp, &so, on_done, &o, err, sizeof(err)),
			 -1);
	assert_string_equal(err, "rel: not an absolute path: relative.sh");
}

/* The daemon ignores SIGPIPE and blocks SIGTERM/SIGINT/SIGHUP for its
 * signalfd; a script must get neither (both survive execve). glibc 2.36's
 * posix_spawn leaves its two internal signals (32, 33) ignored in every
 * child it starts; glibc and musl programs install their own handlers for
 * them when they need them, so only the classic signals 1..31 count
 * (make(1) starts its recipes through posix_spawn too, so under make the
 * test itself runs with 32 and 33 ignored). */
static void test_clean_signals(void **state)
{
	struct fixture *fx = *state;
	char *argv[] = { "/bin/sh", "-c",
			 "grep -E '^Sig(Ign|Blk)' /proc/self/status >&2", NULL };
	struct spawn_opts so = { .name = "sig", .argv = argv };
	struct outcome o = { .loop = fx->loop };
	sigset_t block, old;
	char err[256];

	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &old);
	signal(SIGPIPE, SIG_IGN);
	for (int pass = 0; pass < (getuid() == 0 ? 2 : 1); pass++) {
		so.set_ids = pass == 1;   /* the fork path as root */
		o.calls = 0;
		assert_true(spawn_run(fx->sp, &so, on_done, &o, err,
				      sizeof(err)) > 0);
		run_bounded(fx->loop, 5000);
		assert_int_equal(o.calls, 1);
		unsigned long long blk = 1, ign = 1;

		assert_int_equal(sscanf(o.r.err_text, "SigBlk:\t%llx\nSigIgn:\t%llx",
					&blk, &ign), 2);
		assert_int_equal(blk, 0);
		assert_int_equal(ign & 0x7fffffffull, 0);
	}
	signal(SIGPIPE, SIG_DFL);
	sigprocmask(SIG_SETMASK, &old, NULL);
}

static void test_run_as_user(void **state)
{
	struct fixture *fx = *state;
	char path[128];
	char *argv[] = { path, NULL };
	struct spawn_opts so = { .name = "ids", .argv = argv };
	struct outcome o = { .loop = fx->loop };
	char err[256];

	if (getuid() != 0)
		skip();
	assert_int_equal(script_resolve_ids("nobody", "", &so.uid, &so.gid,
					    err, sizeof(err)), 0);
	assert_int_equal(so.uid, 65534);
	so.set_ids = true;
	snprintf(path, sizeof(path), "%s/id.sh", fx->dir);
	write_script(path, "echo $(id -u):$(id -g):$(id -G) >&2", 0755);
	/* nobody must be able to reach the script. */
	chmod(fx->dir, 0755);
	assert_true(spawn_run(fx->sp, &so, on_done, &o, err, sizeof(err)) > 0);
	run_bounded(fx->loop, 5000);
	chmod(fx->dir, 0700);
	assert_int_equal(o.calls, 1);
	assert_int_equal(o.r.status, 0);
	assert_string_equal(o.r.err_text, "65534:65534:65534\n");
	assert_int_equal(script_resolve_ids("no-such-user-x", "", &so.uid,
					    &so.gid, err, sizeof(err)), -1);
	assert_string_equal(err, "unknown user no-such-user-x");
}

static void test_detach_and_free_with_children(void **state)
{
	struct fixture *fx = *state;
	struct spawner *sp = spawner_new(fx->loop);
	char *argv[] = { "/bin/sleep", "10", NULL };
	struct spawn_opts so = { .name = "s", .argv = argv };
	struct outcome o = { .loop = fx->loop };
	char err[256];
	pid_t pid = spawn_run(sp, &so, on_done, &o, err, sizeof(err));

	assert_true(pid > 0);
	spawn_detach(sp, pid);
	/* Kills and reaps without calling back. */
	spawner_free(sp);
	assert_int_equal(o.calls, 0);
	assert_int_equal(kill(pid, 0), -1);
}

static void expect_refused(const char *path, bool secure, const char *why_has)
{
	char why[512] = "";

	assert_int_equal(script_check(path, 0, 0, secure, why, sizeof(why)), -1);
	if (!strstr(why, why_has))
		fail_msg("reason \"%s\" lacks \"%s\"", why, why_has);
}

static void test_security(void **state)
{
	struct fixture *fx = *state;
	char ok[128], noexec[128], ww[128], sub[128], insub[160], foreign[128];
	char why[512];

	if (getuid() != 0)
		skip();
	snprintf(ok, sizeof(ok), "%s/ok.sh", fx->dir);
	write_script(ok, "exit 0", 0755);
	assert_int_equal(script_check(ok, 0, 0, true, why, sizeof(why)), 0);
	/* /tmp is world-writable but sticky: allowed. */
	assert_int_equal(script_check("/bin/true", 65534, 65534, true, why,
				      sizeof(why)), 0);

	snprintf(noexec, sizeof(noexec), "%s/noexec.sh", fx->dir);
	write_script(noexec, "exit 0", 0644);
	expect_refused(noexec, false, "not executable");

	snprintf(ww, sizeof(ww), "%s/ww.sh", fx->dir);
	write_script(ww, "exit 0", 0777);
	expect_refused(ww, true, "ww.sh: writable by others");
	/* Without script security it may run. */
	assert_int_equal(script_check(ww, 0, 0, false, why, sizeof(why)), 0);

	snprintf(ww, sizeof(ww), "%s/gw.sh", fx->dir);
	write_script(ww, "exit 0", 0775);
	assert_int_equal(chown(ww, 0, 65534), 0);
	expect_refused(ww, true, "writable by group 65534");

	snprintf(sub, sizeof(sub), "%s/open", fx->dir);
	assert_int_equal(mkdir(sub, 0777), 0);
	assert_int_equal(chmod(sub, 0777), 0);
	snprintf(insub, sizeof(insub), "%s/s.sh", sub);
	write_script(insub, "exit 0", 0755);
	expect_refused(insub, true, "/open: writable by others");

	snprintf(foreign, sizeof(foreign), "%s/foreign.sh", fx->dir);
	write_script(foreign, "exit 0", 0755);
	assert_int_equal(chown(foreign, 65534, 65534), 0);
	expect_refused(foreign, true, "owned by uid 65534, not root");

	expect_refused("/nonexistent/x.sh", false, "No such file");
	expect_refused("relative.sh", false, "not an absolute path");
	expect_refused("/tmp", false, "not a regular file");
}

static void test_security_cmd_and_argv(void **state)
{
	struct fixture *fx = *state;
	char ww[128], line[200], why[512];
	char *argv1[] = { ww, NULL };
	char *argv2[] = { line, NULL };
	struct script_cmd_cfg direct = { .argv = argv1, .argc = 1 };
	struct script_cmd_cfg sh = { .argv = argv2, .argc = 1, .shell = true };
	const char *extra[] = { "INSTANCE", "VI_1" };
	char **v;

	snprintf(ww, sizeof(ww), "%s/cmd-ww.sh", fx->dir);
	write_script(ww, "exit 0", 0777);
	assert_int_equal(script_check_cmd(&direct, 0, 0, true, why, sizeof(why)),
			 -1);
	/* With a shell the line's first word is checked too. */
	snprintf(line, sizeof(line), "  %s arg; echo x", ww);
	assert_int_equal(script_check_cmd(&sh, 0, 0, true, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "cmd-ww.sh: writable by others"));
	snprintf(line, sizeof(line), "test -e /etc/passwd");
	assert_int_equal(script_check_cmd(&sh, 0, 0, true, why, sizeof(why)), 0);

	v = script_argv(&sh, NULL, 0);
	assert_string_equal(v[0], "/bin/sh");
	assert_string_equal(v[1], "-c");
	assert_string_equal(v[2], "test -e /etc/passwd");
	assert_null(v[3]);
	script_argv_free(v);
	v = script_argv(&sh, extra, 2);
	assert_string_equal(v[2], "test -e /etc/passwd \"$@\"");
	assert_string_equal(v[3], "sh");
	assert_string_equal(v[4], "INSTANCE");
	assert_string_equal(v[5], "VI_1");
	assert_null(v[6]);
	script_argv_free(v);
	v = script_argv(&direct, extra, 2);
	assert_string_equal(v[0], ww);
	assert_string_equal(v[1], "INSTANCE");
	assert_null(v[3]);
	script_argv_free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_true_false),
		cmocka_unit_test(test_stderr_captured_and_logged),
		cmocka_unit_test(test_stderr_bounded),
		cmocka_unit_test(test_timeout_sigterm),
		cmocka_unit_test(test_timeout_sigkill),
		cmocka_unit_test(test_exec_failure),
		cmocka_unit_test(test_clean_signals),
		cmocka_unit_test(test_run_as_user),
		cmocka_unit_test(test_detach_and_free_with_children),
		cmocka_unit_test(test_security),
		cmocka_unit_test(test_security_cmd_and_argv),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
