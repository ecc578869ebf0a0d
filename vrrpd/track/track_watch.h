/* Feeding the file and process trackers of a track_set from the system,
 * on the event loop:
 *  - files (keepalived track_file): read at once, then again whenever
 *    inotify reports a change in the file's directory (written and
 *    closed, created, moved, deleted: an editor's rename is caught too).
 *    A file whose directory cannot be watched is re-read at every poll;
 *  - processes (keepalived vrrp_track_process): one pass over /proc per
 *    poll (TRACK_WATCH_POLL_MS) serves every process tracker.
 * A tracker whose status or value changed is passed to the callback, from
 * the loop (never from inside track_watch_set), so the caller recomputes
 * the priority of the instances tracker_affected() lists. Interface
 * trackers are the engine's: it has the netlink link events. */
#ifndef VRRPD_TRACK_WATCH_H
#define VRRPD_TRACK_WATCH_H

#include "track_runner.h"
#include "track_set.h"

/* keepalived follows processes through the proc connector; a poll every
 * second costs one readdir of /proc and is bounded by it. */
#define TRACK_WATCH_POLL_MS 1000

struct loop;
struct track_watch;

struct track_watch *track_watch_new(struct loop *l, track_change_cb cb,
				    void *arg);
/* Follow set s (which must stay valid until the next call or free);
 * the first reports come at once from the loop. proc_root: "/proc"
 * (another directory in tests). */
void track_watch_set(struct track_watch *w, struct track_set *s,
		     const char *proc_root);
void track_watch_free(struct track_watch *w);

/* Read a track file: 0 with *value, or -1 when missing, unreadable or
 * not an integer (tracker_file_parse). */
int track_file_read(const char *path, long *value);

#endif
