/* Child processes watched by the event loop (spawner.h). */
#include "spawner.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "errbuf.h"
#include "log.h"
#include "loop.h"

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

struct child {
	struct spawner *s;
	struct child *next;
	pid_t pid;
	int pidfd;
	int errfd;               /* read end of the stderr pipe; -1 at EOF */
	char name[128];
	spawn_done_cb cb;
	void *arg;
	struct loop_timer timer;
	bool timed_out;          /* SIGTERM sent */
	uint32_t grace_ms;
	uint64_t start_us;
	size_t err_len, err_dropped;
	char err[SPAWN_STDERR_MAX + 1];
};

/* A child another process started for us (spawner_set_remote). */
struct remote_child {
	struct remote_child *next;
	uint32_t id;
	char name[128];
	spawn_done_cb cb;
	void *arg;
};

struct spawner {
	struct loop *loop;
	struct child *children;
	size_t n_running;
	bool quiet;              /* stderr goes to the caller only */
	/* privilege separation: children are started by the parent */
	bool have_remote;
	struct spawn_remote remote;
	struct remote_child *remotes;
	uint32_t next_id;
};

/* A fixed environment: a script must not depend on how vrrpd was started
 * (nor see its variables). */
static char *const child_env[] = {
	"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
	"LANG=C",
	NULL,
};

struct spawner *spawner_new(struct loop *l)
{
	struct spawner *s = calloc(1, sizeof(*s));

	if (s)
		s->loop = l;
	return s;
}

static void unlink_child(struct spawner *s, struct child *c)
{
	struct child **p = &s->children;

	while (*p && *p != c)
		p = &(*p)->next;
	if (*p)
		*p = c->next;
	s->n_running--;
}

static void close_fds(struct spawner *s, struct child *c)
{
	loop_timer_cancel(s->loop, &c->timer);
	if (c->errfd >= 0) {
		loop_del_fd(s->loop, c->errfd);
		close(c->errfd);
		c->errfd = -1;
	}
	loop_del_fd(s->loop, c->pidfd);
	close(c->pidfd);
}

void spawner_free(struct spawner *s)
{
	if (!s)
		return;
	while (s->children) {
		struct child *c = s->children;
		siginfo_t si;

		kill(-c->pid, SIGKILL);
		kill(c->pid, SIGKILL);
		waitid((idtype_t)P_PIDFD, (id_t)c->pidfd, &si, WEXITED);
		close_fds(s, c);
		unlink_child(s, c);
		free(c);
	}
	while (s->remotes) {
		struct remote_child *rc = s->remotes;

		s->remotes = rc->next;
		free(rc);
	}
	free(s);
}

size_t spawner_running(const struct spawner *s)
{
	return s->n_running;
}

struct loop *spawner_loop(const struct spawner *s)
{
	return s->loop;
}

/* Keep the first SPAWN_STDERR_MAX bytes, count the rest. */
static void drain_stderr(struct child *c)
{
	char buf[4096];
	ssize_t n;

	while (c->errfd >= 0) {
		n = read(c->errfd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0) {
			loop_del_fd(c->s->loop, c->errfd);
			close(c->errfd);
			c->errfd = -1;
			return;
		}
		size_t room = SPAWN_STDERR_MAX - c->err_len;
		size_t take = (size_t)n < room ? (size_t)n : room;

		memcpy(c->err + c->err_len, buf, take);
		c->err_len += take;
		c->err_dropped += (size_t)n - take;
	}
}

static void on_stderr(void *arg, uint32_t events)
{
	(void)events;
	drain_stderr(arg);
}

/* One log line per line of stderr, so that a multi-line message stays
 * readable in syslog; the script's name starts each one. */
static void log_stderr(const char *name, const char *err, size_t err_len,
		       size_t err_dropped)
{
	const char *p = err, *end = err + err_len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);

		/* A log line is no place for a 4 KiB blob. */
		if (len)
			log_warn("%s: stderr: %.*s%s", name,
				 (int)(len > 400 ? 400 : len), p,
				 len > 400 ? "..." : "");
		p += len + 1;
	}
	if (err_dropped)
		log_warn("%s: stderr: %zu more bytes dropped", name, err_dropped);
}

static void finish(struct child *c, const siginfo_t *si)
{
	struct spawner *s = c->s;
	struct spawn_result r = {
		.name = c->name,
		.pid = c->pid,
		.runtime_us = loop_now_us() - c->start_us,
	};

	drain_stderr(c);
	c->err[c->err_len] = '\0';
	close_fds(s, c);
	unlink_child(s, c);
	if (c->timed_out) {
		r.outcome = SPAWN_TIMED_OUT;
		r.status = si->si_status;
	} else if (si->si_code == CLD_EXITED) {
		r.outcome = SPAWN_EXITED;
		r.status = si->si_status;
	} else {
		r.outcome = SPAWN_SIGNALED;
		r.status = si->si_status;
	}
	r.err_text = c->err;
	r.err_len = c->err_len;
	r.err_dropped = c->err_dropped;
	if (!s->quiet)
		log_stderr(c->name, c->err, c->err_len, c->err_dropped);
	if (c->cb)
		c->cb(c->arg, &r);
	free(c);
}

static void on_exit_ready(void *arg, uint32_t events)
{
	struct child *c = arg;
	siginfo_t si;

	(void)events;
	memset(&si, 0, sizeof(si));
	if (waitid((idtype_t)P_PIDFD, (id_t)c->pidfd, &si, WEXITED | WNOHANG) < 0) {
		if (errno == EINTR)
			return;
		/* Somebody else reaped it (a SIGCHLD set to SIG_IGN?): we
		 * cannot know its status; call it a failure. */
		log_err("%s: cannot reap pid %d: %s", c->name, (int)c->pid,
			strerror(errno));
		si.si_code = CLD_EXITED;
		si.si_status = 255;
	} else if (si.si_pid == 0) {
		return;  /* spurious wake-up */
	}
	finish(c, &si);
}

/* SIGTERM at the timeout, SIGKILL after the grace period. The whole
 * process group: a shell script's own children must not outlive it. */
static void on_timer(void *arg)
{
	struct child *c = arg;
	int sig = c->timed_out ? SIGKILL : SIGTERM;

	if (!c->timed_out)
		log_warn("%s: still running after its timeout, sending SIGTERM",
			 c->name);
	else
		log_warn("%s: still running %u ms after SIGTERM, sending SIGKILL",
			 c->name, c->grace_ms);
	kill(-c->pid, sig);
	kill(c->pid, sig);
	if (!c->timed_out) {
		c->timed_out = true;
		loop_timer_at(c->s->loop, &c->timer,
			      loop_now_us() + (uint64_t)c->grace_ms * 1000u);
	}
}

/* In the child between fork and execve, when it must change user. The
 * daemon is single-threaded, so the child may use libc freely; it still
 * does no more than it must. */
static void __attribute__((noreturn))
child_exec(const struct spawn_opts *o, int errw)
{
	sigset_t none;
	int null = open("/dev/null", O_RDWR);

	/* The daemon blocks SIGTERM/SIGINT/SIGHUP for its signalfd and
	 * ignores SIGPIPE; both survive execve and would break scripts. */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (int sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);
	setsid();
	if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 ||
	    dup2(errw, 2) < 0)
		_exit(126);
	syscall(SYS_close_range, 3U, ~0U, 0U);
	if (o->set_ids &&
	    (setgroups(1, &o->gid) < 0 || setgid(o->gid) < 0 ||
	     setuid(o->uid) < 0)) {
		dprintf(2, "cannot switch to uid %u gid %u: %s\n",
			(unsigned)o->uid, (unsigned)o->gid, strerror(errno));
		_exit(126);
	}
	execve(o->argv[0], o->argv, child_env);
	dprintf(2, "cannot execute %s: %s\n", o->argv[0], strerror(errno));
	_exit(127);
}

/* Without a change of user, posix_spawn: glibc starts the child with
 * CLONE_VM | CLONE_VFORK, so the daemon's page tables are not copied
 * (fork() of a daemon holding thousands of instances costs milliseconds,
 * a hundred scripts a second would cost a core). The child gets what
 * child_exec() gives it: default signals, empty mask, its own session,
 * /dev/null on stdin and stdout, our pipe on stderr, nothing else open.
 * An execve failure is reported here, synchronously. */
static int spawn_vfork(const struct spawn_opts *o, int errw, pid_t *pid,
		       char *err, size_t errlen)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, all;
	int rc;

	sigemptyset(&none);
	sigfillset(&all);
	if (posix_spawn_file_actions_init(&fa))
		return errbuf_set(err, errlen, "out of memory");
	if (posix_spawnattr_init(&at)) {
		posix_spawn_file_actions_destroy(&fa);
		return errbuf_set(err, errlen, "out of memory");
	}
	rc = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	rc = rc ?: posix_spawn_file_actions_addopen(&fa, 1, "/dev/null",
						    O_WRONLY, 0);
	rc = rc ?: posix_spawn_file_actions_adddup2(&fa, errw, 2);
	rc = rc ?: posix_spawn_file_actions_addclosefrom_np(&fa, 3);
	rc = rc ?: posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK |
						    POSIX_SPAWN_SETSIGDEF |
						    POSIX_SPAWN_SETSID);
	rc = rc ?: posix_spawnattr_setsigmask(&at, &none);
	rc = rc ?: posix_spawnattr_setsigdefault(&at, &all);
	rc = rc ?: posix_spawn(pid, o->argv[0], &fa, &at, o->argv, child_env);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	if (rc)
		return errbuf_set(err, errlen, "cannot execute %s: %s", o->argv[0],
			       strerror(rc));
	return 0;
}

static int watch_child(struct spawner *s, struct child *c, uint32_t timeout_ms)
{
	if (loop_add_fd(s->loop, c->pidfd, EPOLLIN, on_exit_ready, c) < 0)
		return -1;
	if (loop_add_fd(s->loop, c->errfd, EPOLLIN, on_stderr, c) < 0) {
		loop_del_fd(s->loop, c->pidfd);
		return -1;
	}
	loop_timer_init(&c->timer, on_timer, c);
	if (timeout_ms)
		loop_timer_at(s->loop, &c->timer,
			      c->start_us + (uint64_t)timeout_ms * 1000u);
	return 0;
}

void spawner_set_quiet(struct spawner *s, bool quiet)
{
	s->quiet = quiet;
}

void spawner_set_remote(struct spawner *s, const struct spawn_remote *r)
{
	s->have_remote = r != NULL;
	if (r)
		s->remote = *r;
}

/* The id stands in for the pid: positive, and not reused while a child
 * that has it is still running. */
static uint32_t next_remote_id(struct spawner *s)
{
	for (;;) {
		bool used = false;

		if (++s->next_id > INT32_MAX)
			s->next_id = 1;
		for (struct remote_child *rc = s->remotes; rc && !used; rc = rc->next)
			used = rc->id == s->next_id;
		if (!used)
			return s->next_id;
	}
}

static pid_t spawn_remote(struct spawner *s, const struct spawn_opts *o,
			  spawn_done_cb cb, void *arg, char *err, size_t errlen)
{
	struct remote_child *rc = calloc(1, sizeof(*rc));

	if (!rc)
		return errbuf_set(err, errlen, "out of memory");
	rc->id = next_remote_id(s);
	snprintf(rc->name, sizeof(rc->name), "%s", o->name ? o->name : o->argv[0]);
	rc->cb = cb;
	rc->arg = arg;
	if (s->remote.start(s->remote.arg, rc->id, o, err, errlen) < 0) {
		free(rc);
		return -1;
	}
	rc->next = s->remotes;
	s->remotes = rc;
	s->n_running++;
	return (pid_t)rc->id;
}

void spawner_remote_done(struct spawner *s, uint32_t id,
			 const struct spawn_result *res)
{
	struct remote_child **p = &s->remotes, *rc;
	struct spawn_result r = *res;

	while (*p && (*p)->id != id)
		p = &(*p)->next;
	if (!(rc = *p)) {
		log_warn("privsep: result for unknown child %u ignored", id);
		return;
	}
	*p = rc->next;
	s->n_running--;
	r.name = rc->name;
	r.pid = (pid_t)rc->id;
	log_stderr(rc->name, r.err_text, r.err_len, r.err_dropped);
	if (rc->cb)
		rc->cb(rc->arg, &r);
	free(rc);
}

pid_t spawn_run(struct spawner *s, const struct spawn_opts *o,
		spawn_done_cb cb, void *arg, char *err, size_t errlen)
{
	struct child *c;
	int pfd[2];

	if (!o->argv || !o->argv[0] || o->argv[0][0] != '/')
		return errbuf_set(err, errlen, "%s: not an absolute path: %s",
			       o->name, o->argv && o->argv[0] ? o->argv[0] : "");
	if (s->have_remote)
		return spawn_remote(s, o, cb, arg, err, errlen);
	c = calloc(1, sizeof(*c));
	if (!c)
		return errbuf_set(err, errlen, "out of memory");
	if (pipe2(pfd, O_CLOEXEC) < 0) {
		free(c);
		return errbuf_set(err, errlen, "pipe: %s", strerror(errno));
	}
	/* Only our end is non-blocking: the script's writes may block. */
	fcntl(pfd[0], F_SETFL, O_NONBLOCK);
	snprintf(c->name, sizeof(c->name), "%s", o->name ? o->name : o->argv[0]);
	c->s = s;
	c->cb = cb;
	c->arg = arg;
	c->errfd = pfd[0];
	c->grace_ms = o->kill_grace_ms ? o->kill_grace_ms : SPAWN_KILL_GRACE_MS;
	c->start_us = loop_now_us();
	if (!o->set_ids) {
		if (spawn_vfork(o, pfd[1], &c->pid, err, errlen) < 0) {
			close(pfd[0]);
			close(pfd[1]);
			free(c);
			return -1;
		}
	} else {
		c->pid = fork();
		if (c->pid == 0)
			child_exec(o, pfd[1]);
		if (c->pid < 0) {
			close(pfd[0]);
			close(pfd[1]);
			free(c);
			return errbuf_set(err, errlen, "fork: %s", strerror(errno));
		}
	}
	close(pfd[1]);
	c->pidfd = (int)syscall(SYS_pidfd_open, c->pid, 0);
	if (c->pidfd < 0 || watch_child(s, c, o->timeout_ms) < 0) {
		int e = errno;

		kill(c->pid, SIGKILL);
		waitpid(c->pid, NULL, 0);
		if (c->pidfd >= 0)
			close(c->pidfd);
		close(pfd[0]);
		free(c);
		return errbuf_set(err, errlen, "cannot watch child: %s",
			       strerror(e));
	}
	c->next = s->children;
	s->children = c;
	s->n_running++;
	return c->pid;
}

void spawn_detach(struct spawner *s, pid_t pid)
{
	for (struct child *c = s->children; c; c = c->next) {
		if (c->pid == pid) {
			c->cb = NULL;
			c->arg = NULL;
		}
	}
	for (struct remote_child *rc = s->remotes; rc; rc = rc->next) {
		if ((pid_t)rc->id == pid) {
			rc->cb = NULL;
			rc->arg = NULL;
		}
	}
}

void spawn_describe(const struct spawn_result *r, uint32_t timeout_ms,
		    char *buf, size_t len)
{
	switch (r->outcome) {
	case SPAWN_EXITED:
		snprintf(buf, len, "exit %d", r->status);
		break;
	case SPAWN_SIGNALED:
		snprintf(buf, len, "signal %d", r->status);
		break;
	case SPAWN_TIMED_OUT:
		snprintf(buf, len, "timed out after %u ms", timeout_ms);
		break;
	}
}
