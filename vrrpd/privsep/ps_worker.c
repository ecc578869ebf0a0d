/* The worker's side of the channels (privsep.h): script requests out,
 * results and reloads in, from the event loop; config.save is the one
 * synchronous call, as it was (the file was always fsync'ed in the loop). */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "errbuf.h"
#include "log.h"
#include "loop.h"
#include "privsep.h"
#include "spawner.h"

struct ps_worker {
	struct loop *loop;
	int chan, sync;
	struct spawner *sp;
	ps_reload_cb reload;
	void *reload_arg;
	unsigned char buf[PS_MSG_MAX];
};

static int start_remote(void *arg, uint32_t id, const struct spawn_opts *o,
			char *err, size_t errlen)
{
	struct ps_worker *w = arg;
	struct ps_run r = { .id = id, .uid = o->uid, .gid = o->gid,
			    .name = o->name };
	ssize_t n;

	if (!o->set_ids)
		r.uid = r.gid = 0;
	while (r.argc <= PS_ARGC_MAX && o->argv[r.argc]) {
		if (r.argc == PS_ARGC_MAX)
			return errbuf_set(err, errlen, "more than %d arguments",
				       PS_ARGC_MAX);
		r.argv[r.argc] = o->argv[r.argc];
		r.argc++;
	}
	n = ps_run_encode(w->buf, sizeof(w->buf), &r);
	if (n < 0)
		return errbuf_set(err, errlen, "command longer than %u bytes",
			       PS_MSG_MAX);
	/* Never wait for the parent here: a full channel fails this run. */
	if (ps_send(w->chan, w->buf, (size_t)n, -1, MSG_DONTWAIT) < 0)
		return errbuf_set(err, errlen, "privileged parent: %s",
			       strerror(errno));
	return 0;
}

static void handle_done(struct ps_worker *w, size_t len)
{
	struct ps_done d;
	struct spawn_result r;
	char why[128];

	if (ps_done_decode(w->buf, len, &d, why, sizeof(why)) < 0) {
		log_err("privsep: bad result from the parent: %s", why);
		return;
	}
	memset(&r, 0, sizeof(r));
	r.outcome = (enum spawn_outcome)d.outcome;
	r.status = d.status;
	r.runtime_us = d.runtime_us;
	r.err_text = d.err;
	r.err_len = d.err_len;
	r.err_dropped = d.err_dropped;
	if (w->sp)
		spawner_remote_done(w->sp, d.id, &r);
}

static void handle_reload(struct ps_worker *w, size_t len, int fd)
{
	enum ps_reload_kind k;
	char why[256];
	char *json = NULL;
	size_t n;

	if (ps_reload_decode(w->buf, len, &k, why, sizeof(why)) < 0) {
		log_err("privsep: bad reload from the parent: %s", why);
		return;
	}
	if (k == PS_RELOAD_CONFIG) {
		json = fd >= 0 ? ps_memfd_read(fd, PS_SAVE_MAX, &n, why, sizeof(why))
			       : NULL;
		if (!json) {
			log_err("privsep: reload: %s", fd >= 0 ? why : "no configuration");
			k = PS_RELOAD_FAILED;
		}
	}
	if (w->reload)
		w->reload(w->reload_arg, k, json);
	free(json);
}

static void on_chan(void *arg, uint32_t events)
{
	struct ps_worker *w = arg;
	ssize_t n;
	int fd;

	(void)events;
	while ((n = ps_recv(w->chan, w->buf, sizeof(w->buf), &fd)) > 0) {
		switch (ps_msg_type(w->buf, (size_t)n)) {
		case PS_DONE:
			handle_done(w, (size_t)n);
			break;
		case PS_RELOAD:
			handle_reload(w, (size_t)n, fd);
			break;
		default:
			log_err("privsep: unexpected message from the parent");
			break;
		}
		if (fd >= 0)
			close(fd);
	}
	if (n == 0 || (n < 0 && errno != EAGAIN)) {
		/* without the parent no script can run: stop cleanly */
		log_err("privsep: the privileged parent is gone; stopping");
		loop_del_fd(w->loop, w->chan);
		loop_stop(w->loop);
	}
}

struct ps_worker *ps_worker_new(struct loop *l, int chan[2], ps_reload_cb cb,
				void *arg, char *err, size_t errlen)
{
	struct ps_worker *w = calloc(1, sizeof(*w));

	if (!w) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	w->loop = l;
	w->chan = chan[0];
	w->sync = chan[1];
	w->reload = cb;
	w->reload_arg = arg;
	if (loop_add_fd(l, w->chan, EPOLLIN, on_chan, w) < 0) {
		snprintf(err, errlen, "cannot watch the parent's channel: %s",
			 strerror(errno));
		free(w);
		return NULL;
	}
	return w;
}

void ps_worker_free(struct ps_worker *w)
{
	if (!w)
		return;
	if (w->sp)
		spawner_set_remote(w->sp, NULL);
	loop_del_fd(w->loop, w->chan);
	close(w->chan);
	close(w->sync);
	free(w);
}

void ps_worker_attach(struct ps_worker *w, struct spawner *sp)
{
	struct spawn_remote r = { .start = start_remote, .arg = w };

	w->sp = sp;
	spawner_set_remote(sp, &r);
}

/* Wait for the one reply, bounded. */
static int await_reply(struct ps_worker *w, char *why, size_t whylen)
{
	struct pollfd pfd = { .fd = w->sync, .events = POLLIN };
	const char *reason;
	bool ok;
	ssize_t n;
	int fd, r;

	do
		r = poll(&pfd, 1, PS_SAVE_TIMEOUT_MS);
	while (r < 0 && errno == EINTR);
	if (r <= 0)
		return errbuf_set(why, whylen, "the privileged parent did not answer");
	n = ps_recv(w->sync, w->buf, sizeof(w->buf), &fd);
	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return errbuf_set(why, whylen, "the privileged parent is gone");
	if (ps_save_reply_decode(w->buf, (size_t)n, &ok, &reason, why, whylen) < 0)
		return -1;
	if (!ok)
		return errbuf_set(why, whylen, "%s", reason);
	return 0;
}

int ps_worker_save(void *arg, const char *path, const char *data, size_t len,
		   char *why, size_t whylen)
{
	struct ps_worker *w = arg;
	int fd = ps_memfd_from("vrrpd-save", data, len);
	ssize_t n;
	int r, stale;

	if (fd < 0)
		return errbuf_set(why, whylen, "memfd: %s", strerror(errno));
	/* A reply that came after its save timed out is not this one's. */
	while (ps_recv(w->sync, w->buf, sizeof(w->buf), &stale) > 0)
		if (stale >= 0)
			close(stale);
	n = ps_save_encode(w->buf, sizeof(w->buf), path);
	if (n < 0 || ps_send(w->sync, w->buf, (size_t)n, fd, MSG_DONTWAIT) < 0) {
		close(fd);
		return errbuf_set(why, whylen, "privileged parent: %s",
			       n < 0 ? "path too long" : strerror(errno));
	}
	close(fd);
	r = await_reply(w, why, whylen);
	return r;
}
