/* The event loop's timer heap and fd dispatch, on the real clock with
 * deadlines a few milliseconds ahead: order of expiry, re-arming earlier
 * and later (the lazy path), cancellation, and fd callbacks. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "loop.h"

#define NT 300

struct rec {
	struct loop *l;
	struct loop_timer t[NT];
	uint64_t want[NT];     /* expected deadline; 0 = cancelled */
	int order[NT];
	uint64_t fired_at[NT];
	int nfired;
	int expected;
};

static struct rec R;

static void fire(void *arg)
{
	int i = (int)(intptr_t)arg;
	R.fired_at[i] = loop_now_us();
	R.order[R.nfired++] = i;
	if (R.nfired == R.expected)
		loop_stop(R.l);
}

static void stop_cb(void *arg)
{
	loop_stop(arg);
}

static void test_timers_fire_in_deadline_order(void **state)
{
	(void)state;
	memset(&R, 0, sizeof(R));
	R.l = loop_new();
	assert_non_null(R.l);
	srand(42);
	uint64_t base = loop_now_us() + 20000;
	for (int i = 0; i < NT; i++) {
		loop_timer_init(&R.t[i], fire, (void *)(intptr_t)i);
		R.want[i] = base + (uint64_t)(rand() % 40000);
		loop_timer_at(R.l, &R.t[i], R.want[i]);
	}
	/* move some later (lazy path), some earlier, cancel some */
	for (int i = 0; i < NT; i += 3) {
		R.want[i] += 5000 + (uint64_t)(rand() % 20000);
		loop_timer_at(R.l, &R.t[i], R.want[i]);
	}
	for (int i = 1; i < NT; i += 5) {
		R.want[i] -= (uint64_t)(rand() % 15000);
		loop_timer_at(R.l, &R.t[i], R.want[i]);
	}
	for (int i = 2; i < NT; i += 7) {
		loop_timer_cancel(R.l, &R.t[i]);
		assert_false(loop_timer_armed(&R.t[i]));
		R.want[i] = 0;
	}
	for (int i = 0; i < NT; i++)
		R.expected += R.want[i] != 0;

	struct loop_timer guard;
	loop_timer_init(&guard, stop_cb, R.l);
	loop_timer_at(R.l, &guard, base + 2000000); /* bound: 2 s */
	assert_int_equal(loop_run(R.l), 0);
	assert_int_equal(R.nfired, R.expected);
	for (int k = 0; k < R.nfired; k++) {
		int i = R.order[k];
		assert_true(R.want[i] != 0);
		/* never early */
		assert_true(R.fired_at[i] >= R.want[i]);
		if (k > 0)
			assert_true(R.want[R.order[k - 1]] <= R.want[i]);
		assert_false(loop_timer_armed(&R.t[i]));
	}
	loop_timer_cancel(R.l, &guard);
	loop_free(R.l);
}

/* Equal deadlines (the advert phase grid: a hundred adverts due in the
 * same slot) fire in the order the timers were created, whatever order
 * they were armed in and however the heap moved them. */
static void test_equal_deadlines_in_creation_order(void **state)
{
	(void)state;
	memset(&R, 0, sizeof(R));
	R.l = loop_new();
	assert_non_null(R.l);
	srand(7);
	uint64_t base = loop_now_us() + 20000;
	for (int i = 0; i < NT; i++)
		loop_timer_init(&R.t[i], fire, (void *)(intptr_t)i);
	int perm[NT];
	for (int i = 0; i < NT; i++)
		perm[i] = i;
	for (int i = NT - 1; i > 0; i--) {
		int j = rand() % (i + 1), x = perm[i];
		perm[i] = perm[j];
		perm[j] = x;
	}
	for (int k = 0; k < NT; k++) {
		int i = perm[k];
		R.want[i] = base + (uint64_t)(i % 3) * 1000; /* three slots */
		loop_timer_at(R.l, &R.t[i], R.want[i]);
	}
	R.expected = NT;
	struct loop_timer guard;
	loop_timer_init(&guard, stop_cb, R.l);
	loop_timer_at(R.l, &guard, base + 2000000);
	assert_int_equal(loop_run(R.l), 0);
	assert_int_equal(R.nfired, NT);
	for (int k = 1; k < NT; k++) {
		int a = R.order[k - 1], b = R.order[k];
		assert_true(R.want[a] < R.want[b] || (R.want[a] == R.want[b] && a < b));
	}
	loop_timer_cancel(R.l, &guard);
	loop_free(R.l);
}

/* A timer re-armed from its own callback (the advert timer pattern). */
static int periodic_count;
static struct loop_timer periodic;
static uint64_t periodic_next;

static void periodic_cb(void *arg)
{
	struct loop *l = arg;
	if (++periodic_count == 20) {
		loop_stop(l);
		return;
	}
	periodic_next += 1000;
	loop_timer_at(l, &periodic, periodic_next);
}

static void test_periodic_rearm(void **state)
{
	(void)state;
	struct loop *l = loop_new();
	loop_timer_init(&periodic, periodic_cb, l);
	uint64_t start = loop_now_us();
	periodic_next = start + 1000;
	loop_timer_at(l, &periodic, periodic_next);
	assert_int_equal(loop_run(l), 0);
	assert_int_equal(periodic_count, 20);
	/* 20 periods of 1 ms cannot finish before 20 ms */
	assert_true(loop_now_us() - start >= 20000);
	loop_free(l);
}

static int idle_calls;
static bool safety_fired;

static void idle_stop(void *arg)
{
	idle_calls++;
	loop_stop(arg);
}

static void safety(void *arg)
{
	safety_fired = true;
	loop_stop(arg);
}

/* What was queued before the loop ran leaves before the first sleep: the
 * idle hook runs once at start, with no event and no timer due. */
static void test_idle_before_first_sleep(void **state)
{
	(void)state;
	struct loop *l = loop_new();
	struct loop_timer t;
	loop_timer_init(&t, safety, l);
	loop_timer_at(l, &t, loop_now_us() + 2000000);
	loop_set_idle(l, idle_stop, l);
	assert_int_equal(loop_run(l), 0);
	assert_int_equal(idle_calls, 1);
	assert_false(safety_fired);
	loop_timer_cancel(l, &t);
	loop_free(l);
}

static int fd_events;

static void on_fd(void *arg, uint32_t ev)
{
	int *p = arg;
	char c;
	assert_true(ev & EPOLLIN);
	assert_int_equal(read(p[0], &c, 1), 1);
	fd_events++;
}

static struct loop *fd_loop;

static void on_fd_stop(void *arg, uint32_t ev)
{
	on_fd(arg, ev);
	if (fd_events == 3)
		loop_stop(fd_loop);
}

static void test_fd_dispatch_and_delete(void **state)
{
	(void)state;
	int p[2];
	assert_int_equal(pipe(p), 0);
	fd_loop = loop_new();
	assert_int_equal(loop_add_fd(fd_loop, p[0], EPOLLIN, on_fd_stop, p), 0);
	/* a second registration of the same fd is refused */
	assert_int_equal(loop_add_fd(fd_loop, p[0], EPOLLIN, on_fd_stop, p), -1);
	assert_int_equal(write(p[1], "abc", 3), 3);
	struct loop_timer guard;
	loop_timer_init(&guard, stop_cb, fd_loop);
	loop_timer_at(fd_loop, &guard, loop_now_us() + 2000000);
	assert_int_equal(loop_run(fd_loop), 0);
	assert_int_equal(fd_events, 3);
	loop_del_fd(fd_loop, p[0]);
	loop_timer_cancel(fd_loop, &guard);
	loop_free(fd_loop);
	close(p[0]);
	close(p[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timers_fire_in_deadline_order),
		cmocka_unit_test(test_equal_deadlines_in_creation_order),
		cmocka_unit_test(test_periodic_rearm),
		cmocka_unit_test(test_idle_before_first_sleep),
		cmocka_unit_test(test_fd_dispatch_and_delete),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
