#include "loop.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

#define HEAP_NONE ((size_t)-1)
/* How far ahead rekey_ahead() looks: the loop wakes more often than this
 * when many instances run, which is when it matters. */
#define LOOP_REKEY_AHEAD_US 20000u

struct heap_ent {
	uint64_t key;           /* <= t->deadline_us */
	uint64_t seq;           /* t->seq, here so sifting never reads t */
	struct loop_timer *t;
};

struct fd_entry {
	int fd;
	loop_fd_cb cb;
	void *arg;
	struct fd_entry *next;
};

struct loop {
	int epfd;
	int tfd;
	bool running;
	struct heap_ent *heap;
	size_t nheap, capheap;
	uint64_t tfd_armed_us; /* deadline the timerfd is set to; 0 = none */
	/* fd registrations: a small hash so deletion during dispatch is safe */
	struct fd_entry *fds[256];
	/* Deleted entries may still sit in the current epoll_wait batch, so
	 * they are parked here and freed after the batch. */
	struct fd_entry *graveyard;
	loop_timer_cb idle_cb;
	void *idle_arg;
};

uint64_t loop_now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static struct fd_entry **fd_slot(struct loop *l, int fd)
{
	struct fd_entry **p = &l->fds[(unsigned)fd % 256];
	while (*p && (*p)->fd != fd)
		p = &(*p)->next;
	return p;
}

struct loop *loop_new(void)
{
	struct loop *l = calloc(1, sizeof(*l));
	if (!l)
		return NULL;
	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	l->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (l->epfd < 0 || l->tfd < 0) {
		loop_free(l);
		return NULL;
	}
	/* The timerfd is recognised in loop_run by its data.ptr == NULL. */
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = NULL };
	if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, l->tfd, &ev) < 0) {
		loop_free(l);
		return NULL;
	}
	return l;
}

void loop_free(struct loop *l)
{
	if (!l)
		return;
	while (l->graveyard) {
		struct fd_entry *g = l->graveyard;
		l->graveyard = g->next;
		free(g);
	}
	for (size_t i = 0; i < 256; i++) {
		struct fd_entry *e = l->fds[i];
		while (e) {
			struct fd_entry *n = e->next;
			free(e);
			e = n;
		}
	}
	if (l->epfd >= 0)
		close(l->epfd);
	if (l->tfd >= 0)
		close(l->tfd);
	free(l->heap);
	free(l);
}

int loop_add_fd(struct loop *l, int fd, uint32_t events, loop_fd_cb cb, void *arg)
{
	if (*fd_slot(l, fd)) {
		errno = EEXIST;
		return -1;
	}
	struct fd_entry *e = calloc(1, sizeof(*e));
	if (!e)
		return -1;
	e->fd = fd;
	e->cb = cb;
	e->arg = arg;
	struct epoll_event ev = { .events = events, .data.ptr = e };
	if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		free(e);
		return -1;
	}
	*fd_slot(l, fd) = e;
	return 0;
}

int loop_mod_fd(struct loop *l, int fd, uint32_t events)
{
	struct fd_entry *e = *fd_slot(l, fd);
	if (!e) {
		errno = ENOENT;
		return -1;
	}
	struct epoll_event ev = { .events = events, .data.ptr = e };
	return epoll_ctl(l->epfd, EPOLL_CTL_MOD, fd, &ev);
}

void loop_del_fd(struct loop *l, int fd)
{
	struct fd_entry **p = fd_slot(l, fd);
	struct fd_entry *e = *p;
	if (!e)
		return;
	epoll_ctl(l->epfd, EPOLL_CTL_DEL, fd, NULL);
	*p = e->next;
	e->cb = NULL;
	e->next = l->graveyard;
	l->graveyard = e;
}

/* ---- timer heap ---- */

/* Heap entries carry their own key and tie-break, so sifting reads only
 * the heap array, not the timers' owners (a thousand instances = a
 * thousand cache lines otherwise; it was 60 % of a master's own CPU). The
 * key may be earlier than the timer's deadline: a timer pushed later (a
 * backup's master-down timer on every advert) keeps its place and is
 * re-inserted when its old key comes up. The heap is 4-ary: half the
 * levels of a binary one, and a node's four children are two or three
 * adjacent cache lines, so a pop moves (and re-indexes) half as many timers. */
#define HEAP_D 4

/* Equal deadlines pop in the order the timers were created, so a batch of
 * adverts due together always leaves in the same order (stable spacing on
 * the wire for each instance). */
static bool ent_before(const struct heap_ent *a, const struct heap_ent *b)
{
	return a->key < b->key || (a->key == b->key && a->seq < b->seq);
}

static void heap_set(struct loop *l, size_t i, struct heap_ent e)
{
	l->heap[i] = e;
	e.t->heap_idx = i;
}

static void heap_up(struct loop *l, size_t i)
{
	struct heap_ent e = l->heap[i];
	while (i > 0) {
		size_t p = (i - 1) / HEAP_D;
		if (!ent_before(&e, &l->heap[p]))
			break;
		heap_set(l, i, l->heap[p]);
		i = p;
	}
	heap_set(l, i, e);
}

static void heap_down(struct loop *l, size_t i)
{
	struct heap_ent e = l->heap[i];
	for (;;) {
		size_t c = HEAP_D * i + 1, end = c + HEAP_D;
		if (c >= l->nheap)
			break;
		if (end > l->nheap)
			end = l->nheap;
		size_t m = c;
		for (size_t k = c + 1; k < end; k++)
			if (ent_before(&l->heap[k], &l->heap[m]))
				m = k;
		if (!ent_before(&l->heap[m], &e))
			break;
		heap_set(l, i, l->heap[m]);
		i = m;
	}
	heap_set(l, i, e);
}

static void heap_remove(struct loop *l, struct loop_timer *t)
{
	size_t i = t->heap_idx;
	size_t last = --l->nheap;
	if (i != last) {
		struct heap_ent moved = l->heap[last];
		heap_set(l, i, moved);
		heap_down(l, i);
		heap_up(l, moved.t->heap_idx);
	}
	t->heap_idx = HEAP_NONE;
}

/* Postponed timers whose old key is near are moved to their deadline now,
 * while the loop is awake anyway, instead of waking it for nothing when
 * the key comes up: a thousand backups' master-down timers, postponed by
 * every advert, otherwise woke the loop ~120 times a second at 100 ms. */
static void rekey_ahead(struct loop *l)
{
	uint64_t horizon = loop_now_us() + LOOP_REKEY_AHEAD_US;

	while (l->nheap && l->heap[0].key <= horizon &&
	       l->heap[0].t->deadline_us > l->heap[0].key) {
		l->heap[0].key = l->heap[0].t->deadline_us;
		heap_down(l, 0);
	}
}

/* Keep the timerfd pointing at the earliest deadline. */
static void rearm_timerfd(struct loop *l)
{
	rekey_ahead(l);
	uint64_t next = l->nheap ? l->heap[0].key : 0;
	if (next == l->tfd_armed_us)
		return;
	struct itimerspec its = { 0 };
	if (next) {
		/* 0 would disarm: a deadline already past fires at 1 ns. */
		its.it_value.tv_sec = (time_t)(next / 1000000u);
		its.it_value.tv_nsec = (long)(next % 1000000u) * 1000;
		if (!its.it_value.tv_sec && !its.it_value.tv_nsec)
			its.it_value.tv_nsec = 1;
	}
	if (timerfd_settime(l->tfd, TFD_TIMER_ABSTIME, &its, NULL) < 0)
		log_err("loop: timerfd_settime: %s", strerror(errno));
	l->tfd_armed_us = next;
}

void loop_timer_init(struct loop_timer *t, loop_timer_cb cb, void *arg)
{
	static uint64_t next_seq;

	t->deadline_us = 0;
	t->heap_idx = HEAP_NONE;
	t->seq = ++next_seq;
	t->cb = cb;
	t->arg = arg;
}

bool loop_timer_armed(const struct loop_timer *t)
{
	return t->heap_idx != HEAP_NONE;
}

void loop_timer_at(struct loop *l, struct loop_timer *t, uint64_t deadline_us)
{
	if (deadline_us == 0)
		deadline_us = 1;
	t->deadline_us = deadline_us;
	if (loop_timer_armed(t)) {
		size_t i = t->heap_idx;
		/* later: keep the early key, run_timers re-inserts (lazy) */
		if (deadline_us < l->heap[i].key) {
			l->heap[i].key = deadline_us;
			heap_up(l, i);
		}
		return;
	}
	if (l->nheap == l->capheap) {
		size_t cap = l->capheap ? l->capheap * 2 : 64;
		struct heap_ent *h = realloc(l->heap, cap * sizeof(*h));
		if (!h) {
			log_err("loop: out of memory for timers");
			return;
		}
		l->heap = h;
		l->capheap = cap;
	}
	l->heap[l->nheap] = (struct heap_ent){ .key = deadline_us, .seq = t->seq, .t = t };
	t->heap_idx = l->nheap++;
	heap_up(l, t->heap_idx);
	/* the timerfd follows the heap once per loop iteration (loop_run) */
}

void loop_timer_cancel(struct loop *l, struct loop_timer *t)
{
	if (!loop_timer_armed(t))
		return;
	heap_remove(l, t);
}

static void run_timers(struct loop *l)
{
	uint64_t buf;
	/* Reading clears the expiry count; EAGAIN is fine (spurious wakeup). */
	if (read(l->tfd, &buf, sizeof(buf)) < 0 && errno != EAGAIN)
		log_err("loop: timerfd read: %s", strerror(errno));
	l->tfd_armed_us = 0; /* fired: force rearm */
	uint64_t now = loop_now_us();
	while (l->nheap && l->heap[0].key <= now) {
		struct loop_timer *t = l->heap[0].t;
		if (t->deadline_us > l->heap[0].key) {
			/* postponed since it was keyed: move it to its deadline */
			l->heap[0].key = t->deadline_us;
			heap_down(l, 0);
			continue;
		}
		heap_remove(l, t);
		t->cb(t->arg);
	}
}

void loop_set_idle(struct loop *l, loop_timer_cb cb, void *arg)
{
	l->idle_cb = cb;
	l->idle_arg = arg;
}

void loop_stop(struct loop *l)
{
	l->running = false;
}

int loop_run(struct loop *l)
{
	struct epoll_event evs[64];

	l->running = true;
	/* What was queued before the loop ran (an address owner is master at
	 * once: its adverts, VIPs and announcements) goes out now, not after
	 * the first event. */
	if (l->idle_cb)
		l->idle_cb(l->idle_arg);
	while (l->running) {
		/* One timerfd_settime per iteration at most, not one per timer
		 * change: with a thousand instances that was a third of our CPU. */
		rearm_timerfd(l);
		log_flush(); /* before sleeping: lines of this iteration go out together */
		int n = epoll_wait(l->epfd, evs, 64, -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			log_err("loop: epoll_wait: %s", strerror(errno));
			return -1;
		}
		/* Input first, timers last: an advert that arrived before a
		 * master-down deadline must be seen before that timer fires,
		 * or a busy moment turns into a false takeover. */
		bool timers_due = false;
		for (int i = 0; i < n && l->running; i++) {
			struct fd_entry *e = evs[i].data.ptr;
			if (!e)
				timers_due = true;
			else if (e->cb)
				e->cb(e->arg, evs[i].events);
		}
		if (timers_due && l->running)
			run_timers(l);
		while (l->graveyard) {
			struct fd_entry *g = l->graveyard;
			l->graveyard = g->next;
			free(g);
		}
		if (l->idle_cb)
			l->idle_cb(l->idle_arg);
	}
	log_flush();
	return 0;
}
