/* The event loop: epoll for file descriptors, a binary min-heap of timers
 * behind one timerfd (absolute CLOCK_MONOTONIC deadlines, so timers are exact
 * to the microsecond, not rounded to epoll's millisecond timeout). Single
 * threaded; callbacks run to completion. */
#ifndef VRRPD_LOOP_H
#define VRRPD_LOOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct loop;
struct loop_timer;

typedef void (*loop_fd_cb)(void *arg, uint32_t events);
typedef void (*loop_timer_cb)(void *arg);

/* Embed in the owner; zero-initialise, then loop_timer_init(). */
struct loop_timer {
	uint64_t deadline_us;
	size_t heap_idx;         /* (size_t)-1 when not armed */
	uint64_t seq;            /* creation order: tie-break of equal deadlines */
	loop_timer_cb cb;
	void *arg;
};

struct loop *loop_new(void);
void loop_free(struct loop *l);

/* Monotonic clock in microseconds. */
uint64_t loop_now_us(void);

/* events: EPOLLIN/EPOLLOUT/...; returns 0 or -1 (errno). */
int loop_add_fd(struct loop *l, int fd, uint32_t events, loop_fd_cb cb, void *arg);
int loop_mod_fd(struct loop *l, int fd, uint32_t events);
void loop_del_fd(struct loop *l, int fd);

void loop_timer_init(struct loop_timer *t, loop_timer_cb cb, void *arg);
/* Arm (or re-arm) at an absolute monotonic deadline. */
void loop_timer_at(struct loop *l, struct loop_timer *t, uint64_t deadline_us);
void loop_timer_cancel(struct loop *l, struct loop_timer *t);
bool loop_timer_armed(const struct loop_timer *t);

/* Called once per loop iteration after all ready events and timers were
 * handled, before the loop sleeps again: the place to flush batched output. */
void loop_set_idle(struct loop *l, loop_timer_cb cb, void *arg);

/* Run until loop_stop(). Returns 0, or -1 on a fatal epoll error. */
int loop_run(struct loop *l);
void loop_stop(struct loop *l);

#endif
