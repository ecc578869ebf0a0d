/* The systemd notifications, against a socket standing in for systemd:
 * nothing without NOTIFY_SOCKET, READY=1 with STATUS= from the first loop
 * iteration, RELOADING=1 with MONOTONIC_USEC=, STOPPING=1, WATCHDOG=1 at
 * half of WATCHDOG_USEC only for our own pid; the STATUS= line's wording. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "fsm.h"
#include "loop.h"
#include "sdnotify.h"

static int mgr = -1;
static char path[108];

static int setup(void **state)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	(void)state;

	snprintf(path, sizeof(path), "/tmp/test_sdnotify.%ld.sock", (long)getpid());
	unlink(path);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	mgr = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	assert_true(mgr >= 0);
	assert_int_equal(bind(mgr, (struct sockaddr *)&sa, sizeof(sa)), 0);
	setenv("NOTIFY_SOCKET", path, 1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	close(mgr);
	unlink(path);
	unsetenv("NOTIFY_SOCKET");
	unsetenv("WATCHDOG_USEC");
	unsetenv("WATCHDOG_PID");
	return 0;
}

/* Next datagram, or "" if none is queued. */
static const char *next_msg(void)
{
	static char buf[512];
	ssize_t n = recv(mgr, buf, sizeof(buf) - 1, 0);

	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static void stop_soon(void *arg)
{
	loop_stop(arg);
}

static void run_for_us(struct loop *l, uint64_t us)
{
	struct loop_timer t;

	loop_timer_init(&t, stop_soon, l);
	loop_timer_at(l, &t, loop_now_us() + us);
	assert_int_equal(loop_run(l), 0);
}

static void test_status_line(void **state)
{
	char buf[128];
	size_t c[4] = { 0 };
	(void)state;

	sdnotify_status_line(c, buf, sizeof(buf));
	assert_string_equal(buf, "0 instances");
	c[VRRP_STATE_MASTER] = 1;
	sdnotify_status_line(c, buf, sizeof(buf));
	assert_string_equal(buf, "1 instance: 1 master");
	c[VRRP_STATE_MASTER] = 2;
	c[VRRP_STATE_BACKUP] = 1;
	sdnotify_status_line(c, buf, sizeof(buf));
	assert_string_equal(buf, "3 instances: 2 master, 1 backup");
	c[VRRP_STATE_INIT] = 4;
	c[VRRP_STATE_FAULT] = 5;
	sdnotify_status_line(c, buf, sizeof(buf));
	assert_string_equal(buf, "12 instances: 2 master, 1 backup, 5 fault, 4 init");
	/* Cut, never overrun. */
	sdnotify_status_line(c, buf, 10);
	assert_string_equal(buf, "12 instan");
}

static void test_no_socket_no_notifier(void **state)
{
	struct loop *l = loop_new();
	(void)state;

	unsetenv("NOTIFY_SOCKET");
	assert_null(sdnotify_new(l));
	/* Every call is a no-op on NULL. */
	sdnotify_ready(NULL);
	sdnotify_reloading(NULL);
	sdnotify_reloaded(NULL, true);
	sdnotify_stopping(NULL);
	sdnotify_free(NULL);
	assert_int_equal(sdnotify_attach(NULL, NULL), 0);
	assert_string_equal(next_msg(), "");
	loop_free(l);
}

static void test_protocol(void **state)
{
	struct loop *l = loop_new();
	struct sdnotify *s = sdnotify_new(l);
	(void)state;

	assert_non_null(s);
	sdnotify_ready(s);
	/* Not before the loop runs. */
	assert_string_equal(next_msg(), "");
	run_for_us(l, 1000);
	assert_string_equal(next_msg(), "READY=1\nSTATUS=0 instances");
	uint64_t before = loop_now_us();
	sdnotify_reloading(s);
	unsigned long long stamp = 0;
	assert_int_equal(sscanf(next_msg(), "RELOADING=1\nMONOTONIC_USEC=%llu", &stamp), 1);
	assert_true(stamp >= before && stamp <= loop_now_us());
	sdnotify_reloaded(s, false);
	assert_string_equal(next_msg(), "READY=1\nSTATUS=0 instances; last reload rejected");
	sdnotify_reloaded(s, true);
	assert_string_equal(next_msg(), "READY=1\nSTATUS=0 instances");
	sdnotify_stopping(s);
	assert_non_null(strstr(next_msg(), "STOPPING=1\n"));
	/* No WATCHDOG_USEC: no pings. */
	run_for_us(l, 20000);
	assert_string_equal(next_msg(), "");
	sdnotify_free(s);
	loop_free(l);
}

static int count_pings(uint64_t *first_us)
{
	int n = 0;
	const char *m;

	while (*(m = next_msg())) {
		if (strcmp(m, "WATCHDOG=1") == 0 && n++ == 0)
			*first_us = loop_now_us();
	}
	return n;
}

static void test_watchdog(void **state)
{
	char pid[32];
	uint64_t t;
	(void)state;

	/* 40 ms: pings every 20 ms, at most 10 in 210 ms; 7 leaves 70 ms for a
	 * loaded machine and still fails a period of the whole 40 ms. */
	setenv("WATCHDOG_USEC", "40000", 1);
	snprintf(pid, sizeof(pid), "%ld", (long)getpid());
	setenv("WATCHDOG_PID", pid, 1);
	struct loop *l = loop_new();
	struct sdnotify *s = sdnotify_new(l);
	assert_non_null(s);
	/* Read and cleared: scripts we run don't inherit it. */
	assert_null(getenv("WATCHDOG_USEC"));
	run_for_us(l, 210000);
	int n = count_pings(&t);
	assert_true(n >= 7 && n <= 10);
	sdnotify_free(s);
	loop_free(l);

	/* Someone else's watchdog: not ours to ping. */
	setenv("WATCHDOG_USEC", "40000", 1);
	setenv("WATCHDOG_PID", "1", 1);
	l = loop_new();
	s = sdnotify_new(l);
	run_for_us(l, 60000);
	assert_int_equal(count_pings(&t), 0);
	sdnotify_free(s);
	loop_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status_line),
		cmocka_unit_test_setup_teardown(test_no_socket_no_notifier, setup, teardown),
		cmocka_unit_test_setup_teardown(test_protocol, setup, teardown),
		cmocka_unit_test_setup_teardown(test_watchdog, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
