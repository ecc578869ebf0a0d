/* Control socket server (see ctl_server.h): accepting with connection
 * limits, per-client framing and output queues, the work budget that runs
 * requests, peer credentials, and pushing state-change notifications to
 * subscribers. Requests themselves are rpc.c's. */
#include "ctl_server.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "ctl_socket.h"
#include "engine.h"
#include "jsonrpc.h"
#include "log.h"
#include "loop.h"
#include "rpc.h"

/* Bytes read per readiness event, and only while the client has no
 * complete request waiting: its buffered input stays below one message
 * (JSONRPC_MAX_MSG) plus one read. */
#define CTL_READ_CHUNK 65536
/* Stop running a client's requests (and reading them) while this much of
 * its output waits: a pipelining client that doesn't read gets
 * back-pressure before its queue reaches the disconnect limit. */
#define CTL_PAUSE_READ_BYTES (256u * 1024u)
#define CTL_ACCEPT_BURST 16
/* Time for requests in one loop iteration, all clients together. Adverts
 * of 1000 instances must leave within 1 ms of schedule; a timer that falls
 * due while requests run waits at most this long (plus the one request
 * running when it expires: a request is never cut in the middle). */
#define CTL_SLICE_US 300
/* What one client gets per iteration, so others get their turn within the
 * slice: requests (each element of a batch is one) and response bytes
 * produced (serializing and copying cost time even from a cache). */
#define CTL_CLIENT_REQUESTS 32
#define CTL_CLIENT_BYTES (256u * 1024u)
/* While a backlog remains, the loop rests this many times as long as the
 * last pass of requests took before the next: requests get at most a
 * quarter of the daemon's time (see run_work). */
#define CTL_WORK_REST_FACTOR 3
/* A single step longer than this is logged (debug): it delays timers. */
#define CTL_SLOW_STEP_US 2000

struct ctl_client {
	struct ctl_server *srv;
	struct ctl_client *next;
	int fd;
	struct jsonrpc_framer in;
	char *out;
	size_t out_off, out_len, out_cap;
	uint32_t events;         /* currently registered with the loop */
	struct rpc_caller caller;
	struct rpc_job job;      /* the line being worked through */
	bool job_active;
	uint64_t active_us;      /* last request received or answered */
	bool eof;                /* peer finished sending: flush, then close */
	bool dead;               /* removed from the loop; freed by the reaper */
};

struct ctl_server {
	struct loop *loop;
	struct engine *engine;
	struct rpc *rpc;
	int fd;
	char *path;
	dev_t dev;
	ino_t ino;
	gid_t sock_gid;
	bool have_admin_gid;
	gid_t admin_gid;
	unsigned max_clients;
	unsigned root_reserved;
	unsigned max_per_uid;
	uint64_t idle_timeout_us;
	size_t max_queue;
	unsigned n_clients;
	struct ctl_client *clients;
	struct ctl_client *rr;   /* first client of the next work pass */
	struct loop_timer reap_t;
	struct loop_timer work_t;
	struct loop_timer idle_t;
};

/* ---- output ----------------------------------------------------------- */

static void client_kill(struct ctl_client *c, const char *why);

static void client_update_events(struct ctl_client *c)
{
	uint32_t ev = 0;

	if (c->dead)
		return;
	if (!c->eof && c->out_len - c->out_off < CTL_PAUSE_READ_BYTES &&
	    !c->job_active && !jsonrpc_framer_has_line(&c->in))
		ev |= EPOLLIN;
	if (c->out_len > c->out_off)
		ev |= EPOLLOUT;
	if (ev != c->events && loop_mod_fd(c->srv->loop, c->fd, ev) == 0)
		c->events = ev;
}

/* Write what the socket takes now; never waits. */
static void client_flush(struct ctl_client *c)
{
	while (!c->dead && c->out_len > c->out_off) {
		ssize_t n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				client_kill(c, strerror(errno));
			break;
		}
		c->out_off += (size_t)n;
	}
	if (c->out_off == c->out_len)
		c->out_off = c->out_len = 0;
}

/* Queue text (a whole line, '\n' included; freed here). */
static void client_send_text(struct ctl_client *c, char *text, size_t len)
{
	if (c->dead) {
		free(text);
		return;
	}
	if (c->out_len - c->out_off + len > c->srv->max_queue) {
		free(text);
		client_kill(c, "output queue full (client not reading)");
		return;
	}
	/* An empty queue adopts the text: a response of megabytes is not
	 * copied once more inside the loop. */
	if (c->out_len == c->out_off && len > 4096) {
		free(c->out);
		c->out = text;
		c->out_off = 0;
		c->out_len = c->out_cap = len;
		client_flush(c);
		return;
	}
	if (c->out_len + len > c->out_cap) {
		size_t cap = c->out_cap ? c->out_cap : 4096;
		char *nb;

		/* Reclaim what was already sent before growing. */
		if (c->out_off > 0) {
			memmove(c->out, c->out + c->out_off, c->out_len - c->out_off);
			c->out_len -= c->out_off;
			c->out_off = 0;
		}
		while (cap < c->out_len + len)
			cap *= 2;
		if (cap != c->out_cap) {
			nb = realloc(c->out, cap);
			if (!nb) {
				free(text);
				client_kill(c, "out of memory");
				return;
			}
			c->out = nb;
			c->out_cap = cap;
		}
	}
	memcpy(c->out + c->out_len, text, len);
	c->out_len += len;
	free(text);
	client_flush(c);
}

static void client_send(struct ctl_client *c, json_object *msg)
{
	size_t len;
	char *text;

	if (c->dead)
		return;
	text = jsonrpc_serialize(msg, &len);
	if (!text) {
		client_kill(c, "out of memory");
		return;
	}
	client_send_text(c, text, len);
}

/* ---- lifecycle -------------------------------------------------------- */

static void client_free(struct ctl_client *c)
{
	if (c->fd >= 0)
		close(c->fd);
	jsonrpc_framer_free(&c->in);
	if (c->job_active)
		rpc_job_free(&c->job);
	free(c->out);
	free(c);
}

/* Leave the loop at once; the memory goes at the next reap, so a client can
 * be killed from inside its own callback or an engine notification. */
static void client_kill(struct ctl_client *c, const char *why)
{
	if (c->dead)
		return;
	if (why)
		log_debug("control: client pid %ld disconnected: %s",
			  (long)c->caller.pid, why);
	c->dead = true;
	c->caller.subscribed = false;
	rpc_caller_gone(c->srv->rpc, &c->caller);
	loop_del_fd(c->srv->loop, c->fd);
	loop_timer_at(c->srv->loop, &c->srv->reap_t, 0);
}

static void reap(void *arg)
{
	struct ctl_server *s = arg;
	struct ctl_client **pp = &s->clients;

	while (*pp) {
		struct ctl_client *c = *pp;

		if (c->dead) {
			*pp = c->next;
			if (s->rr == c)
				s->rr = NULL;
			s->n_clients--;
			client_free(c);
		} else {
			pp = &c->next;
		}
	}
}

/* ---- work: running requests within the budget ------------------------ */

static bool client_times_out(const struct ctl_client *c);
static void arm_idle(struct ctl_server *s);

static uint64_t cpu_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static bool client_has_work(const struct ctl_client *c)
{
	return !c->dead && c->out_len - c->out_off < CTL_PAUSE_READ_BYTES &&
	       (c->job_active || jsonrpc_framer_has_line(&c->in) ||
		(c->eof && jsonrpc_framer_pending(&c->in) > 0));
}

static void schedule_work(struct ctl_server *s)
{
	/* A timer due now runs after this iteration's input and its earlier
	 * timers, and is never run twice in one pass (loop.c). */
	if (!loop_timer_armed(&s->work_t))
		loop_timer_at(s->loop, &s->work_t, loop_now_us());
}

/* Start a job on the client's next line; false when there is none. */
static bool client_next_job(struct ctl_client *c)
{
	enum jsonrpc_frame_rc rc;
	char *line;
	size_t len;

	while ((rc = jsonrpc_framer_next(&c->in, &line, &len)) ==
	       JSONRPC_FRAME_OVERSIZE) {
		char msg[64];
		json_object *e;

		snprintf(msg, sizeof(msg), "message exceeds %u bytes",
			 JSONRPC_MAX_MSG);
		e = jsonrpc_error(NULL, JSONRPC_INVALID_REQUEST, msg, NULL);
		client_send(c, e);
		json_object_put(e);
	}
	/* A last message without its '\n' still gets an answer. */
	if (rc == JSONRPC_FRAME_NONE &&
	    !(c->eof && jsonrpc_framer_take_rest(&c->in, &line, &len)))
		return false;
	if (c->dead || rpc_job_start(&c->job, c->srv->rpc, &c->caller, line, len) < 0) {
		client_kill(c, "out of memory");
		return false;
	}
	c->job_active = true;
	return true;
}

/* Run the client's requests until its share or the slice is used up. */
static void client_work(struct ctl_client *c, uint64_t deadline_us)
{
	size_t bytes = 0;

	for (unsigned n = 0; n < CTL_CLIENT_REQUESTS && bytes < CTL_CLIENT_BYTES &&
	     client_has_work(c) && loop_now_us() < deadline_us; n++) {
		size_t before, len = 0;
		uint64_t t0, t1, cpu0;
		char method[48];
		char *text;

		if (!c->job_active && !client_next_job(c))
			break;
		before = jsonrpc_job_out_bytes(&c->job.j);
		snprintf(method, sizeof(method), "%s", jsonrpc_job_method(&c->job.j));
		t0 = loop_now_us();
		cpu0 = cpu_now_us();
		rpc_job_step(&c->job);
		t1 = loop_now_us();
		/* A step is never cut: one this long is a budget to revisit
		 * (CPU time apart: the rest is the machine preempting us). */
		if (t1 - t0 > CTL_SLOW_STEP_US)
			log_debug("control: a step of %.40s from pid %ld took %.1f ms "
				  "(%.1f ms CPU)", method, (long)c->caller.pid,
				  (double)(t1 - t0) / 1000.0,
				  (double)(cpu_now_us() - cpu0) / 1000.0);
		bytes += jsonrpc_job_out_bytes(&c->job.j) - before;
		if (!c->job.j.done)
			continue;
		text = jsonrpc_job_take(&c->job.j, &len);
		rpc_job_free(&c->job);
		c->job_active = false;
		c->active_us = loop_now_us();
		if (text)
			client_send_text(c, text, len);
	}
}

/* After work or output: close a finished client, else watch what it
 * needs now. */
static void client_settle(struct ctl_client *c)
{
	if (c->dead)
		return;
	if (c->eof && c->out_len == c->out_off && !client_has_work(c) &&
	    !c->job_active) {
		client_kill(c, NULL);
		return;
	}
	client_update_events(c);
	/* It may have become subject to the idle timeout (unsubscribed). */
	if (!loop_timer_armed(&c->srv->idle_t) && client_times_out(c))
		arm_idle(c->srv);
}

/* One pass over the clients with work, starting where the last pass ran
 * out of time so every client gets its turn. While a backlog remains, the
 * next pass waits CTL_WORK_REST_FACTOR times as long as this one ran, and
 * between passes the loop sleeps, so the kernel
 * wakes it promptly when an advert falls due instead of finding it busy
 * (on a loaded machine a busy process is preempted for milliseconds). */
static void run_work(void *arg)
{
	struct ctl_server *s = arg;
	uint64_t t0 = loop_now_us(), deadline = t0 + CTL_SLICE_US;
	struct ctl_client *start = s->rr ? s->rr : s->clients, *c = start;
	bool more = false;

	s->rr = NULL;
	if (!c)
		return;
	do {
		struct ctl_client *next = c->next ? c->next : s->clients;

		if (client_has_work(c)) {
			if (loop_now_us() >= deadline) {
				if (!s->rr)
					s->rr = c;
				more = true;
			} else {
				client_work(c, deadline);
				client_settle(c);
				more = more || client_has_work(c);
			}
		}
		c = next;
	} while (c != start);
	if (more) {
		uint64_t now = loop_now_us();

		loop_timer_at(s->loop, &s->work_t,
			      now + (now - t0) * CTL_WORK_REST_FACTOR);
	}
}

/* ---- input ------------------------------------------------------------ */

static void client_read(struct ctl_client *c)
{
	char buf[CTL_READ_CHUNK];
	ssize_t n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT);

	if (n < 0) {
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			client_kill(c, strerror(errno));
		return;
	}
	if (n == 0) {
		c->eof = true;
	} else if (jsonrpc_framer_feed(&c->in, buf, (size_t)n) < 0) {
		client_kill(c, "out of memory");
		return;
	}
	if (n > 0)
		c->active_us = loop_now_us();
	if (client_has_work(c))
		schedule_work(c->srv);
}

static void on_client(void *arg, uint32_t events)
{
	struct ctl_client *c = arg;

	if (events & EPOLLOUT) {
		client_flush(c);
		/* Back-pressure released: its requests may run again. */
		if (client_has_work(c))
			schedule_work(c->srv);
	}
	if (!c->dead && (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) && !c->eof &&
	    !c->job_active && !jsonrpc_framer_has_line(&c->in))
		client_read(c);
	if (!c->dead && (events & EPOLLERR))
		client_kill(c, "socket error");
	if (c->dead)
		return;
	/* Peer gone for writing too: nothing more can be delivered. */
	if (c->eof && (events & EPOLLHUP) && c->out_len > c->out_off) {
		client_kill(c, "hang-up");
		return;
	}
	client_settle(c);
}

/* ---- idle clients ----------------------------------------------------- */

/* Root and subscribers (who wait for events by design) are never timed
 * out; anyone else idle that long gives its slot back. */
static bool client_times_out(const struct ctl_client *c)
{
	return !c->dead && c->caller.uid != 0 && !c->caller.subscribed &&
	       !c->job_active && c->out_len == c->out_off;
}

static void arm_idle(struct ctl_server *s)
{
	uint64_t first = 0;

	for (struct ctl_client *c = s->clients; c; c = c->next)
		if (client_times_out(c) && (!first || c->active_us < first))
			first = c->active_us;
	if (first)
		loop_timer_at(s->loop, &s->idle_t, first + s->idle_timeout_us);
	else
		loop_timer_cancel(s->loop, &s->idle_t);
}

static void on_idle(void *arg)
{
	struct ctl_server *s = arg;
	uint64_t now = loop_now_us();

	for (struct ctl_client *c = s->clients; c; c = c->next)
		if (client_times_out(c) && now - c->active_us >= s->idle_timeout_us)
			client_kill(c, "idle timeout");
	arm_idle(s);
}

/* ---- credentials ------------------------------------------------------ */

/* Supplementary groups of a peer from /proc (SO_PEERCRED only carries the
 * primary group). */
static bool pid_in_group(pid_t pid, gid_t gid)
{
	char path[64], line[4096];
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/status", (long)pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		char *p, *end;

		if (strncmp(line, "Groups:", 7) != 0)
			continue;
		for (p = line + 7;; p = end) {
			unsigned long g = strtoul(p, &end, 10);

			if (end == p)
				break;
			if ((gid_t)g == gid)
				found = true;
		}
		break;
	}
	fclose(f);
	return found;
}

static void set_permissions(const struct ctl_server *s, struct rpc_caller *c)
{
	bool self = c->uid == 0 || c->uid == geteuid();

	c->may_write = self ||
		       (s->have_admin_gid && (c->gid == s->admin_gid ||
					      pid_in_group(c->pid, s->admin_gid)));
	c->may_read = c->may_write || c->gid == s->sock_gid ||
		      pid_in_group(c->pid, s->sock_gid);
}

/* ---- accepting -------------------------------------------------------- */

static void refuse(int fd, int code, const char *msg)
{
	json_object *e = jsonrpc_error(NULL, code, msg, NULL);
	size_t len;
	char *text = jsonrpc_serialize(e, &len);

	/* Best effort: one small line into an empty socket buffer. */
	if (text && send(fd, text, len, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
		log_debug("control: refusing a client: %s", strerror(errno));
	free(text);
	json_object_put(e);
	close(fd);
}

/* Why a new client of uid may not connect, or false. Root may use every
 * slot; others leave root_reserved free and hold at most max_per_uid. */
static bool refuse_reason(const struct ctl_server *s, uid_t uid, char *why,
			  size_t whylen)
{
	unsigned same = 0;

	if (s->n_clients >= s->max_clients) {
		snprintf(why, whylen, "too many clients (limit %u)", s->max_clients);
		return true;
	}
	if (uid == 0)
		return false;
	if (s->n_clients + s->root_reserved >= s->max_clients) {
		snprintf(why, whylen, "too many clients (the last %u slots are root's)",
			 s->root_reserved);
		return true;
	}
	for (const struct ctl_client *c = s->clients; c; c = c->next)
		same += !c->dead && c->caller.uid == uid;
	if (same >= s->max_per_uid) {
		snprintf(why, whylen, "too many clients of uid %u (limit %u)",
			 (unsigned)uid, s->max_per_uid);
		return true;
	}
	return false;
}

static void accept_one(struct ctl_server *s, int fd)
{
	struct ucred cred;
	socklen_t cl = sizeof(cred);
	struct ctl_client *c;
	char why[96];

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &cl) < 0) {
		log_warn("control: SO_PEERCRED: %s", strerror(errno));
		close(fd);
		return;
	}
	if (refuse_reason(s, cred.uid, why, sizeof(why))) {
		log_warn("control: refusing a client (pid %ld uid %u): %s",
			 (long)cred.pid, (unsigned)cred.uid, why);
		refuse(fd, JSONRPC_TOO_MANY_CLIENTS, why);
		return;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		close(fd);
		return;
	}
	c->srv = s;
	c->fd = fd;
	c->caller.uid = cred.uid;
	c->caller.gid = cred.gid;
	c->caller.pid = cred.pid;
	set_permissions(s, &c->caller);
	jsonrpc_framer_init(&c->in, JSONRPC_MAX_MSG);
	c->events = EPOLLIN;
	if (loop_add_fd(s->loop, fd, EPOLLIN, on_client, c) < 0) {
		log_warn("control: cannot watch a client: %s", strerror(errno));
		client_free(c);
		return;
	}
	c->active_us = loop_now_us();
	c->next = s->clients;
	s->clients = c;
	s->n_clients++;
	if (client_times_out(c) && !loop_timer_armed(&s->idle_t))
		arm_idle(s);
	log_debug("control: client pid %ld uid %u connected (%s)", (long)cred.pid,
		  (unsigned)cred.uid, c->caller.may_write ? "read-write" :
		  c->caller.may_read ? "read-only" : "no access");
}

static void on_listen(void *arg, uint32_t events)
{
	struct ctl_server *s = arg;

	(void)events;
	for (int i = 0; i < CTL_ACCEPT_BURST; i++) {
		int fd = accept4(s->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
				log_warn("control: accept: %s", strerror(errno));
			return;
		}
		accept_one(s, fd);
	}
}

/* ---- notifications ---------------------------------------------------- */

static void on_state(void *arg, const struct instance_status *st,
		     enum vrrp_state old_state)
{
	struct ctl_server *s = arg;
	json_object *n = NULL;

	for (struct ctl_client *c = s->clients; c; c = c->next) {
		if (c->dead || !c->caller.subscribed)
			continue;
		if (!n)
			n = rpc_state_notification(st, old_state);
		client_send(c, n);
		client_update_events(c);
	}
	json_object_put(n);
}

/* Commit and rollback notifications from rpc (candidate_commit.c). */
static void on_rpc_notify(void *arg, json_object *n)
{
	struct ctl_server *s = arg;

	for (struct ctl_client *c = s->clients; c; c = c->next) {
		if (c->dead || !c->caller.subscribed)
			continue;
		client_send(c, n);
		client_update_events(c);
	}
}


static void on_tracker(void *arg, const struct tracker_status *st)
{
	struct ctl_server *s = arg;
	json_object *n = NULL;

	for (struct ctl_client *c = s->clients; c; c = c->next) {
		if (c->dead || !c->caller.subscribed)
			continue;
		if (!n)
			n = rpc_tracker_notification(st);
		client_send(c, n);
		client_update_events(c);
	}
	json_object_put(n);
}

struct ctl_server *ctl_server_new(struct loop *loop, struct engine *e,
				  struct model *m,
				  const struct ctl_server_opts *opts, char *err,
				  size_t errlen)
{
	struct ctl_server *s = calloc(1, sizeof(*s));
	struct ctl_server_opts none = { 0 };
	struct rpc_backend b;
	struct rpc_opts ro;

	if (!s) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (!opts)
		opts = &none;
	s->loop = loop;
	s->engine = e;
	s->fd = -1;
	s->path = strdup(opts->path ? opts->path : VRRPD_SOCKET_DEFAULT);
	s->max_clients = opts->max_clients ? opts->max_clients : CTL_MAX_CLIENTS_DEFAULT;
	s->max_queue = opts->max_queue_bytes ? opts->max_queue_bytes : CTL_MAX_QUEUE_DEFAULT;
	s->root_reserved = opts->root_reserved ? opts->root_reserved :
			   CTL_ROOT_RESERVED_DEFAULT;
	if (s->root_reserved >= s->max_clients)
		s->root_reserved = s->max_clients - 1;
	s->max_per_uid = opts->max_per_uid ? opts->max_per_uid : CTL_MAX_PER_UID_DEFAULT;
	s->idle_timeout_us = (uint64_t)(opts->idle_timeout_s ? opts->idle_timeout_s :
					CTL_IDLE_TIMEOUT_DEFAULT_S) * 1000000u;
	s->sock_gid = getegid();
	loop_timer_init(&s->reap_t, reap, s);
	loop_timer_init(&s->work_t, run_work, s);
	loop_timer_init(&s->idle_t, on_idle, s);
	if (!s->path ||
	    (opts->group && ctl_parse_group(opts->group, &s->sock_gid, err, errlen) < 0) ||
	    (opts->admin_group &&
	     ctl_parse_group(opts->admin_group, &s->admin_gid, err, errlen) < 0))
		goto fail;
	s->have_admin_gid = opts->admin_group != NULL;
	memset(&ro, 0, sizeof(ro));
	ro.config_path = opts->config_path;
	ro.save_dir = opts->save_dir;
	ro.save = opts->save;
	ro.save_arg = opts->save_arg;
	ro.history_later = opts->history_later;
	ro.socket_path = s->path;
	ro.loop = loop;
	ro.notify = on_rpc_notify;
	ro.notify_arg = s;
	rpc_backend_engine(&b, e, m);
	s->rpc = rpc_new(&b, &ro);
	if (!s->rpc) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	s->fd = ctl_socket_open(s->path, s->sock_gid, &s->dev, &s->ino, err, errlen);
	if (s->fd < 0)
		goto fail;
	if (loop_add_fd(loop, s->fd, EPOLLIN, on_listen, s) < 0) {
		snprintf(err, errlen, "cannot watch %s: %s", s->path, strerror(errno));
		unlink(s->path);
		goto fail;
	}
	if (engine_subscribe(e, on_state, s) < 0) {
		snprintf(err, errlen, "cannot subscribe to state changes");
		loop_del_fd(loop, s->fd);
		unlink(s->path);
		goto fail;
	}
	engine_subscribe_trackers(e, on_tracker, s);
	log_info("control socket %s", s->path);
	return s;
fail:
	if (s->fd >= 0)
		close(s->fd);
	rpc_free(s->rpc);
	free(s->path);
	free(s);
	return NULL;
}

void ctl_server_open_history(struct ctl_server *s)
{
	rpc_open_history(s->rpc);
}

void ctl_server_free(struct ctl_server *s)
{
	struct stat st;

	if (!s)
		return;
	engine_unsubscribe(s->engine, on_state, s);
	engine_subscribe_trackers(s->engine, NULL, NULL);
	for (struct ctl_client *c = s->clients; c; c = c->next)
		client_kill(c, NULL);
	reap(s);
	loop_timer_cancel(s->loop, &s->reap_t);
	loop_timer_cancel(s->loop, &s->work_t);
	loop_timer_cancel(s->loop, &s->idle_t);
	loop_del_fd(s->loop, s->fd);
	close(s->fd);
	/* Remove the socket only if it is still ours. */
	if (stat(s->path, &st) == 0 && st.st_dev == s->dev && st.st_ino == s->ino)
		unlink(s->path);
	rpc_free(s->rpc);
	free(s->path);
	free(s);
}
