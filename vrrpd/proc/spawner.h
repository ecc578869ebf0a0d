/* Running external programs (tracking and notify scripts) as child
 * processes without ever blocking the event loop.
 *
 * Each child is watched through a pidfd (pidfd_open(2), Linux 5.3) that
 * the loop polls: no SIGCHLD handler, no signalfd, and no reaping of
 * children that are not ours. Its stderr is a non-blocking pipe read as
 * it comes, bounded, and logged with the program's name when it ends. A
 * child still running at its timeout gets SIGTERM, and SIGKILL if it is
 * still there after the grace period. Exactly one completion callback per
 * started child, from the loop (never from inside spawn_run). */
#ifndef VRRPD_SPAWNER_H
#define VRRPD_SPAWNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct loop;
struct spawner;

/* Bytes of a child's stderr kept (and logged); the rest is counted and
 * dropped. A check script has no business writing more. */
#define SPAWN_STDERR_MAX 4096
/* Between SIGTERM and SIGKILL at a timeout. */
#define SPAWN_KILL_GRACE_MS 1000

struct spawn_opts {
	const char *name;        /* for log lines, e.g. "script chk_haproxy" */
	char *const *argv;       /* argv[0]: absolute path; NULL-terminated */
	bool set_ids;            /* run as uid/gid (else as we are) */
	uid_t uid;
	gid_t gid;
	uint32_t timeout_ms;     /* 0: no timeout */
	uint32_t kill_grace_ms;  /* 0: SPAWN_KILL_GRACE_MS */
};

enum spawn_outcome {
	SPAWN_EXITED,            /* status: the exit code */
	SPAWN_SIGNALED,          /* status: the signal (not ours) */
	SPAWN_TIMED_OUT,         /* killed by us at its timeout */
};

struct spawn_result {
	const char *name;
	pid_t pid;
	enum spawn_outcome outcome;
	int status;
	uint64_t runtime_us;
	const char *err_text;    /* captured stderr, NUL-terminated */
	size_t err_len;
	size_t err_dropped;      /* bytes beyond SPAWN_STDERR_MAX */
};

typedef void (*spawn_done_cb)(void *arg, const struct spawn_result *r);

struct spawner *spawner_new(struct loop *l);
/* Kills (SIGKILL) and reaps children still running, without callbacks. */
void spawner_free(struct spawner *s);

/* Start the program: posix_spawn (vfork-like, cheap) when it runs as we
 * do, fork + setgid/setuid + execve when it changes user. Returns the
 * child's pid, or -1 with err filled and no callback: a bad argv, an
 * execve failure of posix_spawn ("cannot execute /x: No such file or
 * directory"), no resources. After fork, an execve failure is reported
 * through the callback as exit code 127 with the reason on stderr, like a
 * shell. */
pid_t spawn_run(struct spawner *s, const struct spawn_opts *o,
		spawn_done_cb cb, void *arg, char *err, size_t errlen);

/* Forget the callback of a running child (its owner went away); the
 * child still runs to its end or timeout and is reaped. */
void spawn_detach(struct spawner *s, pid_t pid);

/* Leave the logging of a child's stderr to the callback (the privileged
 * parent hands it to the worker, which logs it). */
void spawner_set_quiet(struct spawner *s, bool quiet);

/* Privilege separation (privsep.h): the children are started by the
 * privileged parent. start() sends the request (id stands in for the
 * pid) and returns 0, or -1 with err; the result comes back later through
 * spawner_remote_done(), from the loop, and is logged and handed to the
 * callback exactly as a local child's. NULL: start children here. */
struct spawn_remote {
	int (*start)(void *arg, uint32_t id, const struct spawn_opts *o,
		     char *err, size_t errlen);
	void *arg;
};
void spawner_set_remote(struct spawner *s, const struct spawn_remote *r);
void spawner_remote_done(struct spawner *s, uint32_t id,
			 const struct spawn_result *r);

size_t spawner_running(const struct spawner *s);
struct loop *spawner_loop(const struct spawner *s);

/* "exit 0", "exit 3", "signal 9", "timed out after 2000 ms" */
void spawn_describe(const struct spawn_result *r, uint32_t timeout_ms,
		    char *buf, size_t len);

#endif
