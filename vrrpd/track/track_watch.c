/* File and process trackers on the loop (track_watch.h). */
#include "track_watch.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "log.h"
#include "loop.h"
#include "process_scan.h"

struct track_watch {
	struct loop *loop;
	track_change_cb cb;
	void *arg;
	struct track_set *set;
	char proc_root[64];
	int ifd;                  /* inotify; -1 when nothing is watched */
	bool unwatched;           /* some file's directory is not watched */
	bool initial;             /* first reports still to give */
	struct loop_timer poll;
};

int track_file_read(const char *path, long *value)
{
	char buf[64];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n <= 0)
		return -1;
	return tracker_file_parse(buf, (size_t)n, value);
}

static void report(struct track_watch *w, struct tracker *t, bool changed)
{
	if (changed && w->cb)
		w->cb(w->arg, t);
}

static void read_files(struct track_watch *w)
{
	uint64_t now = loop_now_us();

	for (size_t k = 0; w->set && k < w->set->n_trackers; k++) {
		struct tracker *t = &w->set->trackers[k];
		long v = 0;
		bool ok;

		if (t->cfg->type != TRACK_FILE)
			continue;
		ok = track_file_read(t->cfg->path, &v) == 0;
		if (!ok && t->readable)
			log_warn("track file %s: %s unreadable or not an "
				 "integer", t->cfg->name, t->cfg->path);
		report(w, t, tracker_file_update(t, ok, v, now));
	}
}

static void scan_processes(struct track_watch *w)
{
	const struct tracker_cfg **cfgs;
	unsigned *counts;
	size_t n = 0, k, j = 0;
	uint64_t now = loop_now_us();

	for (k = 0; k < w->set->n_trackers; k++)
		n += w->set->trackers[k].cfg->type == TRACK_PROCESS;
	if (n == 0)
		return;
	cfgs = calloc(n, sizeof(*cfgs));
	counts = calloc(n, sizeof(*counts));
	if (cfgs && counts) {
		for (k = 0; k < w->set->n_trackers; k++) {
			if (w->set->trackers[k].cfg->type == TRACK_PROCESS)
				cfgs[j++] = w->set->trackers[k].cfg;
		}
		if (process_scan(cfgs, n, counts, w->proc_root) == 0) {
			for (k = 0, j = 0; k < w->set->n_trackers; k++) {
				struct tracker *t = &w->set->trackers[k];

				if (t->cfg->type == TRACK_PROCESS)
					report(w, t,
					       tracker_process_update(
						       t, counts[j++], now));
			}
		}
	}
	free(cfgs);
	free(counts);
}

static bool has_type(const struct track_set *s, enum track_type ty)
{
	for (size_t k = 0; s && k < s->n_trackers; k++) {
		if (s->trackers[k].cfg->type == ty)
			return true;
	}
	return false;
}

static void on_poll(void *arg)
{
	struct track_watch *w = arg;

	if (!w->set)
		return;
	scan_processes(w);
	if (w->initial || w->unwatched)
		read_files(w);
	w->initial = false;
	if (has_type(w->set, TRACK_PROCESS) ||
	    (w->unwatched && has_type(w->set, TRACK_FILE)))
		loop_timer_at(w->loop, &w->poll,
			      loop_now_us() + TRACK_WATCH_POLL_MS * 1000ull);
}

/* Which file changed does not matter: re-reading a handful of small
 * files is cheaper than mapping names back to trackers. */
static void on_inotify(void *arg, uint32_t events)
{
	struct track_watch *w = arg;
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));

	(void)events;
	while (read(w->ifd, buf, sizeof(buf)) > 0)
		;
	read_files(w);
}

static void close_inotify(struct track_watch *w)
{
	if (w->ifd < 0)
		return;
	loop_del_fd(w->loop, w->ifd);
	close(w->ifd);
	w->ifd = -1;
}

static void watch_dirs(struct track_watch *w)
{
	w->unwatched = false;
	for (size_t k = 0; k < w->set->n_trackers; k++) {
		const struct tracker_cfg *c = w->set->trackers[k].cfg;
		char dir[PATH_MAX];
		const char *slash;

		if (c->type != TRACK_FILE)
			continue;
		slash = strrchr(c->path, '/');
		snprintf(dir, sizeof(dir), "%.*s",
			 slash == c->path ? 1 : (int)(slash - c->path), c->path);
		if (w->ifd < 0) {
			w->ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
			if (w->ifd >= 0 &&
			    loop_add_fd(w->loop, w->ifd, EPOLLIN, on_inotify, w) < 0)
				close_inotify(w);
		}
		/* A directory watched twice gets the same descriptor. */
		if (w->ifd < 0 ||
		    inotify_add_watch(w->ifd, dir,
				      IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE |
					      IN_DELETE | IN_MOVED_FROM) < 0) {
			log_warn("track file %s: cannot watch %s (%s), polling",
				 c->name, dir, strerror(errno));
			w->unwatched = true;
		}
	}
}

struct track_watch *track_watch_new(struct loop *l, track_change_cb cb,
				    void *arg)
{
	struct track_watch *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	w->loop = l;
	w->cb = cb;
	w->arg = arg;
	w->ifd = -1;
	loop_timer_init(&w->poll, on_poll, w);
	return w;
}

void track_watch_set(struct track_watch *w, struct track_set *s,
		     const char *proc_root)
{
	close_inotify(w);
	loop_timer_cancel(w->loop, &w->poll);
	w->set = s;
	snprintf(w->proc_root, sizeof(w->proc_root), "%s",
		 proc_root ? proc_root : "/proc");
	if (!s)
		return;
	watch_dirs(w);
	/* The first reports come from the loop, at once. */
	w->initial = true;
	if (has_type(s, TRACK_FILE) || has_type(s, TRACK_PROCESS))
		loop_timer_at(w->loop, &w->poll, loop_now_us());
}

void track_watch_free(struct track_watch *w)
{
	if (!w)
		return;
	close_inotify(w);
	loop_timer_cancel(w->loop, &w->poll);
	free(w);
}
