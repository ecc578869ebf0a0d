/* Control socket server (see ctl_server.h): accepting, per-client framing
 * and output queues, peer credentials, and pushing state-change
 * notifications to subscribers. Requests themselves are rpc.c's. */
#include "ctl_server.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "engine.h"
#include "jsonrpc.h"
#include "log.h"
#include "loop.h"
#include "rpc.h"

/* Bytes read per readiness event: bounds the work one client can cause
 * before the loop gets back to VRRP timers. */
#define CTL_READ_CHUNK 65536
/* Stop reading a client's requests while this much of its output waits:
 * a pipelining client that doesn't read gets back-pressure first. */
#define CTL_PAUSE_READ_BYTES (256u * 1024u)
#define CTL_ACCEPT_BURST 16

struct ctl_client {
	struct ctl_server *srv;
	struct ctl_client *next;
	int fd;
	struct jsonrpc_framer in;
	char *out;
	size_t out_off, out_len, out_cap;
	uint32_t events;         /* currently registered with the loop */
	struct rpc_caller caller;
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
	size_t max_queue;
	unsigned n_clients;
	struct ctl_client *clients;
	struct loop_timer reap_t;
};

/* ---- output ----------------------------------------------------------- */

static void client_kill(struct ctl_client *c, const char *why);

static void client_update_events(struct ctl_client *c)
{
	uint32_t ev = 0;

	if (c->dead)
		return;
	if (!c->eof && c->out_len - c->out_off < CTL_PAUSE_READ_BYTES)
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
	if (c->out_len - c->out_off + len > c->srv->max_queue) {
		free(text);
		client_kill(c, "output queue full (client not reading)");
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

/* ---- lifecycle -------------------------------------------------------- */

static void client_free(struct ctl_client *c)
{
	if (c->fd >= 0)
		close(c->fd);
	jsonrpc_framer_free(&c->in);
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
			s->n_clients--;
			client_free(c);
		} else {
			pp = &c->next;
		}
	}
}

/* ---- input ------------------------------------------------------------ */

static void handle_line(struct ctl_client *c, const char *line, size_t len)
{
	json_object *resp = rpc_handle_line(c->srv->rpc, &c->caller, line, len);

	if (resp) {
		client_send(c, resp);
		json_object_put(resp);
	}
}

static void client_read(struct ctl_client *c)
{
	char buf[CTL_READ_CHUNK];
	ssize_t n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT);
	enum jsonrpc_frame_rc rc;
	char *line;
	size_t len;

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
	while (!c->dead &&
	       (rc = jsonrpc_framer_next(&c->in, &line, &len)) != JSONRPC_FRAME_NONE) {
		if (rc == JSONRPC_FRAME_OVERSIZE) {
			json_object *e = jsonrpc_error(NULL, JSONRPC_INVALID_REQUEST,
						       "message exceeds 1048576 bytes",
						       NULL);
			client_send(c, e);
			json_object_put(e);
			continue;
		}
		handle_line(c, line, len);
	}
	/* A last message without its '\n' still gets an answer. */
	if (c->eof && !c->dead && jsonrpc_framer_take_rest(&c->in, &line, &len))
		handle_line(c, line, len);
}

static void on_client(void *arg, uint32_t events)
{
	struct ctl_client *c = arg;

	if (events & EPOLLOUT)
		client_flush(c);
	if (!c->dead && (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) && !c->eof)
		client_read(c);
	if (!c->dead && (events & EPOLLERR))
		client_kill(c, "socket error");
	if (c->dead)
		return;
	if (c->eof && c->out_len == c->out_off) {
		client_kill(c, NULL);
		return;
	}
	/* Peer gone for writing too: nothing more can be delivered. */
	if (c->eof && (events & EPOLLHUP)) {
		client_kill(c, "hang-up");
		return;
	}
	client_update_events(c);
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

static void accept_one(struct ctl_server *s, int fd)
{
	struct ucred cred;
	socklen_t cl = sizeof(cred);
	struct ctl_client *c;

	if (s->n_clients >= s->max_clients) {
		log_warn("control: refusing a client: limit of %u clients reached",
			 s->max_clients);
		refuse(fd, JSONRPC_TOO_MANY_CLIENTS, "too many clients");
		return;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &cl) < 0) {
		log_warn("control: SO_PEERCRED: %s", strerror(errno));
		close(fd);
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
	c->next = s->clients;
	s->clients = c;
	s->n_clients++;
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

/* ---- socket setup ----------------------------------------------------- */

static int parse_group(const char *name, gid_t *gid, char *err, size_t errlen)
{
	struct group gr, *res = NULL;
	char buf[4096], *end;
	unsigned long g = strtoul(name, &end, 10);

	if (*name && *end == '\0') {
		*gid = (gid_t)g;
		return 0;
	}
	if (getgrnam_r(name, &gr, buf, sizeof(buf), &res) != 0 || !res) {
		snprintf(err, errlen, "unknown group \"%s\"", name);
		return -1;
	}
	*gid = res->gr_gid;
	return 0;
}

/* A socket file left by a daemon that died is removed; one that answers
 * belongs to a running daemon and is left alone. */
static int clear_stale(const struct sockaddr_un *sa, char *err, size_t errlen)
{
	struct stat st;
	int fd;

	if (lstat(sa->sun_path, &st) < 0)
		return 0;
	if (!S_ISSOCK(st.st_mode)) {
		snprintf(err, errlen, "%s exists and is not a socket", sa->sun_path);
		return -1;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0 && connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) == 0) {
		close(fd);
		snprintf(err, errlen, "%s: another vrrpd is listening", sa->sun_path);
		return -1;
	}
	if (fd >= 0)
		close(fd);
	unlink(sa->sun_path);
	return 0;
}

static int make_parent_dir(const char *path)
{
	char dir[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char *slash;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = '\0';
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return -1;
	return 0;
}

static int open_socket(struct ctl_server *s, char *err, size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;
	mode_t old_umask;
	int rc;

	if (strlen(s->path) >= sizeof(sa.sun_path)) {
		snprintf(err, errlen, "socket path too long: %s", s->path);
		return -1;
	}
	memcpy(sa.sun_path, s->path, strlen(s->path) + 1);
	if (make_parent_dir(s->path) < 0) {
		snprintf(err, errlen, "cannot create the directory of %s: %s",
			 s->path, strerror(errno));
		return -1;
	}
	if (clear_stale(&sa, err, errlen) < 0)
		return -1;
	s->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	/* The socket must never exist with wider permissions than 0660. */
	old_umask = umask(0117);
	rc = bind(s->fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old_umask);
	if (rc < 0) {
		snprintf(err, errlen, "bind %s: %s", s->path, strerror(errno));
		return -1;
	}
	if (chown(s->path, (uid_t)-1, s->sock_gid) < 0 || chmod(s->path, 0660) < 0 ||
	    stat(s->path, &st) < 0) {
		snprintf(err, errlen, "%s: cannot set owner/mode: %s", s->path,
			 strerror(errno));
		unlink(s->path);
		return -1;
	}
	s->dev = st.st_dev;
	s->ino = st.st_ino;
	if (listen(s->fd, 64) < 0) {
		snprintf(err, errlen, "listen %s: %s", s->path, strerror(errno));
		unlink(s->path);
		return -1;
	}
	return 0;
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
	s->sock_gid = getegid();
	loop_timer_init(&s->reap_t, reap, s);
	if (!s->path ||
	    (opts->group && parse_group(opts->group, &s->sock_gid, err, errlen) < 0) ||
	    (opts->admin_group &&
	     parse_group(opts->admin_group, &s->admin_gid, err, errlen) < 0))
		goto fail;
	s->have_admin_gid = opts->admin_group != NULL;
	ro.config_path = opts->config_path;
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
	if (open_socket(s, err, errlen) < 0)
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

void ctl_server_free(struct ctl_server *s)
{
	struct stat st;

	if (!s)
		return;
	engine_unsubscribe(s->engine, on_state, s);
	for (struct ctl_client *c = s->clients; c; c = c->next)
		client_kill(c, NULL);
	reap(s);
	loop_timer_cancel(s->loop, &s->reap_t);
	loop_del_fd(s->loop, s->fd);
	close(s->fd);
	/* Remove the socket only if it is still ours. */
	if (stat(s->path, &st) == 0 && st.st_dev == s->dev && st.st_ino == s->ino)
		unlink(s->path);
	rpc_free(s->rpc);
	free(s->path);
	free(s);
}
