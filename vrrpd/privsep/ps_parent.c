/* The privileged parent (privsep.h): root, and nothing but the worker's
 * few requests, its signals and its exit.
 *
 * It has its own event loop and spawner (the same code the daemon uses
 * without privilege separation), so a script's start, timeout and reaping
 * work as they always did; only the result travels to the worker. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "loop.h"
#include "model.h"
#include "privsep.h"
#include "rpc_save.h"
#include "script_security.h"
#include "spawner.h"

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

struct parent {
	const struct ps_parent_opts *o;
	struct loop *loop;
	struct spawner *sp;
	struct ps_policy *policy;
	int sigfd, pidfd;
	int status;
	unsigned char buf[PS_MSG_MAX];
	unsigned char out[PS_MSG_MAX];
};

struct run_ctx {
	struct parent *p;
	uint32_t id;
};

/* A blocking send: the worker reads its channel from its loop, and a
 * result must never be lost (its tracker would wait for it forever). */
static void send_done(struct parent *p, const struct ps_done *d)
{
	ssize_t n = ps_done_encode(p->out, sizeof(p->out), d);

	if (n < 0 || ps_send(p->o->chan[0], p->out, (size_t)n, -1, 0) < 0)
		log_err("privsep: cannot report script %u to the worker: %s", d->id,
			n < 0 ? "too long" : strerror(errno));
}

/* Refused or not started: the worker sees what a shell would say, exit
 * 126 (cannot execute) or 127 (not found), with the reason on stderr. */
static void send_failure(struct parent *p, uint32_t id, int status,
			 const char *why)
{
	char text[600];
	int n = snprintf(text, sizeof(text), "%s\n", why);
	struct ps_done d = { .id = id, .outcome = SPAWN_EXITED, .status = status,
			     .err = text,
			     .err_len = n < 0 ? 0 : (size_t)n >= sizeof(text) ?
					sizeof(text) - 1 : (size_t)n };

	send_done(p, &d);
}

static void on_script_done(void *arg, const struct spawn_result *r)
{
	struct run_ctx *ctx = arg;
	struct ps_done d = {
		.id = ctx->id, .outcome = (uint8_t)r->outcome, .status = r->status,
		.runtime_us = r->runtime_us,
		.err_dropped = r->err_dropped > UINT32_MAX ? UINT32_MAX
							   : (uint32_t)r->err_dropped,
		.err = r->err_text, .err_len = r->err_len,
	};

	send_done(ctx->p, &d);
	free(ctx);
}

static void handle_run(struct parent *p, size_t len)
{
	struct ps_run r;
	struct ps_allowed a;
	struct spawn_opts so = { 0 };
	struct run_ctx *ctx;
	char why[512];

	if (ps_run_decode(p->buf, len, &r, why, sizeof(why)) < 0) {
		/* no id to answer: the worker that sent it is broken */
		log_err("privsep: malformed script request refused: %s", why);
		return;
	}
	if (spawner_running(p->sp) >= PS_CHILDREN_MAX) {
		snprintf(why, sizeof(why), "%u scripts already running",
			 PS_CHILDREN_MAX);
		goto refuse;
	}
	if (ps_policy_check(p->policy, &r, &a, why, sizeof(why)) < 0 ||
	    script_check_cmd(a.cmd, r.uid, r.gid, a.secure, why, sizeof(why)) < 0)
		goto refuse;
	ctx = calloc(1, sizeof(*ctx));
	if (!ctx) {
		send_failure(p, r.id, 126, "out of memory");
		return;
	}
	ctx->p = p;
	ctx->id = r.id;
	so.name = r.argv[0];
	so.argv = (char *const *)r.argv;
	so.uid = r.uid;
	so.gid = r.gid;
	so.set_ids = r.uid != 0 || r.gid != 0;
	so.timeout_ms = a.timeout_ms;
	if (spawn_run(p->sp, &so, on_script_done, ctx, why, sizeof(why)) < 0) {
		free(ctx);
		send_failure(p, r.id, 127, why);
	}
	return;
refuse:
	log_warn("privsep: refused to run %.200s: %s", r.argv[0], why);
	send_failure(p, r.id, 126, why);
}

static void on_chan(void *arg, uint32_t events)
{
	struct parent *p = arg;
	ssize_t n;
	int fd;

	(void)events;
	while ((n = ps_recv(p->o->chan[0], p->buf, sizeof(p->buf), &fd)) > 0) {
		if (fd >= 0)
			close(fd);  /* nothing on this channel carries one */
		if (ps_msg_type(p->buf, (size_t)n) == PS_RUN)
			handle_run(p, (size_t)n);
		else
			log_err("privsep: unexpected message from the worker ignored");
	}
	if (n == 0 || (n < 0 && errno != EAGAIN)) {
		/* the worker closed its end: its exit (pidfd) follows */
		loop_del_fd(p->loop, p->o->chan[0]);
	}
}

/* config.save: the parent's own idea of where, and only a configuration. */
static int do_save(struct parent *p, const char *path, int fd, char *why,
		   size_t whylen)
{
	struct lyd_node *tree = NULL;
	struct model_error me;
	size_t len = 0;
	char *text;
	int r;

	if (rpc_save_path_allowed(p->o->config_path, p->o->save_dir, path, why,
				  whylen) < 0)
		return -1;
	if (fd < 0) {
		snprintf(why, whylen, "no contents");
		return -1;
	}
	if (!(text = ps_memfd_read(fd, PS_SAVE_MAX, &len, why, whylen)))
		return -1;
	if (model_parse_json(p->o->model, text, &tree, &me) < 0) {
		snprintf(why, whylen, "not a valid vrrpd configuration: %.200s%s%.200s",
			 me.path, me.path[0] ? ": " : "", me.msg);
		free(text);
		return -1;
	}
	model_tree_free(tree);
	r = rpc_write_file_atomic(path, text, len, why, whylen);
	free(text);
	return r;
}

static void on_sync(void *arg, uint32_t events)
{
	struct parent *p = arg;
	char why[512] = "";
	const char *path;
	ssize_t n, m;
	int fd, r;

	(void)events;
	while ((n = ps_recv(p->o->chan[1], p->buf, sizeof(p->buf), &fd)) > 0) {
		r = ps_save_decode(p->buf, (size_t)n, &path, why, sizeof(why));
		if (r == 0)
			r = do_save(p, path, fd, why, sizeof(why));
		if (fd >= 0)
			close(fd);
		if (r < 0)
			log_warn("privsep: config.save refused: %s", why);
		else
			log_info("privsep: config.save wrote %s", path);
		m = ps_save_reply_encode(p->out, sizeof(p->out), r == 0, why);
		if (m < 0 || ps_send(p->o->chan[1], p->out, (size_t)m, -1, 0) < 0)
			log_err("privsep: cannot answer config.save: %s",
				strerror(errno));
	}
	if (n == 0 || (n < 0 && errno != EAGAIN))
		loop_del_fd(p->loop, p->o->chan[1]);
}

static int set_policy(struct parent *p, const struct lyd_node *tree)
{
	struct vrrpd_config c;
	struct model_error me;
	struct ps_policy *np;
	char err[256];

	memset(&c, 0, sizeof(c));
	if (tree && model_tree_to_config(tree, &c, &me) < 0) {
		log_err("privsep: startup configuration: %s", me.msg);
		return -1;
	}
	np = ps_policy_new(&c, err, sizeof(err));
	if (tree)
		vrrpd_config_free(&c);
	if (!np) {
		log_err("privsep: %s", err);
		return -1;
	}
	ps_policy_free(p->policy);
	p->policy = np;
	log_info("privsep: %zu script command(s) of the startup configuration "
		 "may run", ps_policy_count(np));
	return 0;
}

static void send_reload(struct parent *p, enum ps_reload_kind k, int fd)
{
	ssize_t n = ps_reload_encode(p->out, sizeof(p->out), k);

	if (n < 0 || ps_send(p->o->chan[0], p->out, (size_t)n, fd, 0) < 0)
		log_err("privsep: cannot hand the reload to the worker: %s",
			strerror(errno));
}

/* SIGHUP: the parent reads the file (it may be root's alone, and so may
 * its includes), learns its scripts, and hands the worker the result. */
static void reload(struct parent *p)
{
	struct lyd_node *tree = NULL;
	char *json;
	int fd;

	if (!p->o->load || p->o->load(p->o->load_arg, &tree) < 0) {
		send_reload(p, PS_RELOAD_FAILED, -1);
		return;
	}
	if (!tree) {
		send_reload(p, PS_RELOAD_NONE, -1);
		return;
	}
	json = model_tree_to_json(tree);
	fd = json ? ps_memfd_from("vrrpd-reload", json, strlen(json)) : -1;
	if (fd < 0 || set_policy(p, tree) < 0) {
		log_err("privsep: reload: cannot pass the configuration on");
		send_reload(p, PS_RELOAD_FAILED, -1);
	} else {
		send_reload(p, PS_RELOAD_CONFIG, fd);
	}
	if (fd >= 0)
		close(fd);
	free(json);
	model_tree_free(tree);
}

static void on_signal(void *arg, uint32_t events)
{
	struct parent *p = arg;
	struct signalfd_siginfo si;

	(void)events;
	while (read(p->sigfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGHUP) {
			reload(p);
			continue;
		}
		/* the worker stops: priority-0 adverts, VIPs removed; we
		 * follow when it has exited */
		log_info("privsep: signal %u, stopping the worker", si.ssi_signo);
		kill(p->o->worker, (int)si.ssi_signo);
	}
}

static void on_worker_exit(void *arg, uint32_t events)
{
	struct parent *p = arg;
	siginfo_t si;

	(void)events;
	memset(&si, 0, sizeof(si));
	if (waitid((idtype_t)P_PIDFD, (id_t)p->pidfd, &si, WEXITED | WNOHANG) < 0) {
		if (errno == EINTR)
			return;
		p->status = 1;
	} else if (si.si_pid == 0) {
		return;
	} else if (si.si_code == CLD_EXITED) {
		p->status = si.si_status;
	} else {
		log_err("privsep: the worker died of signal %d", si.si_status);
		p->status = 128 + si.si_status;
	}
	loop_stop(p->loop);
}

/* The control socket is in a directory of root's: the worker cannot
 * remove it when it stops. */
static void remove_socket(const char *path)
{
	struct stat st;

	if (path && lstat(path, &st) == 0 && S_ISSOCK(st.st_mode))
		unlink(path);
}

static int setup(struct parent *p, const struct lyd_node *startup)
{
	sigset_t ss;

	sigemptyset(&ss);
	sigaddset(&ss, SIGTERM);
	sigaddset(&ss, SIGINT);
	sigaddset(&ss, SIGHUP);
	p->loop = loop_new();
	p->sp = p->loop ? spawner_new(p->loop) : NULL;
	p->sigfd = signalfd(-1, &ss, SFD_NONBLOCK | SFD_CLOEXEC);
	p->pidfd = (int)syscall(SYS_pidfd_open, p->o->worker, 0);
	if (!p->sp || p->sigfd < 0 || p->pidfd < 0 ||
	    loop_add_fd(p->loop, p->sigfd, EPOLLIN, on_signal, p) < 0 ||
	    loop_add_fd(p->loop, p->pidfd, EPOLLIN, on_worker_exit, p) < 0 ||
	    loop_add_fd(p->loop, p->o->chan[0], EPOLLIN, on_chan, p) < 0 ||
	    loop_add_fd(p->loop, p->o->chan[1], EPOLLIN, on_sync, p) < 0) {
		log_err("privsep: cannot set up the parent: %s", strerror(errno));
		return -1;
	}
	spawner_set_quiet(p->sp, true);
	return set_policy(p, startup);
}

int ps_parent_run(const struct ps_parent_opts *o, const struct lyd_node *startup)
{
	struct parent *p = calloc(1, sizeof(*p));
	int status = 1;

	if (!p) {
		kill(o->worker, SIGTERM);
		return 1;
	}
	p->o = o;
	p->sigfd = p->pidfd = -1;
	if (setup(p, startup) == 0) {
		log_info("privsep: parent pid %ld serves worker pid %ld",
			 (long)getpid(), (long)o->worker);
		if (loop_run(p->loop) == 0)
			status = p->status;
	} else {
		kill(o->worker, SIGTERM);
		waitpid(o->worker, NULL, 0);
	}
	/* the worker is gone: nobody waits for these any more */
	spawner_free(p->sp);
	ps_policy_free(p->policy);
	remove_socket(o->socket_path);
	if (o->pidfile)
		unlink(o->pidfile);
	if (p->pidfd >= 0)
		close(p->pidfd);
	if (p->sigfd >= 0)
		close(p->sigfd);
	loop_free(p->loop);
	free(p);
	return status;
}
