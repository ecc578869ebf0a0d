/* Virtual addresses added and removed in a pipeline: requests queued during a loop
 * iteration leave together, PIPE_CHUNK per sendmsg(2), and their
 * acknowledgements are matched to the requests by sequence number.
 *
 * Why: a mass takeover added 1000 VIPs one request and one wait at a time,
 * behind every instance's advert and log lines; queued, the adverts of the
 * whole iteration leave first and the VIPs follow in a handful of system
 * calls (bench/mass.py). rtnetlink handles a request inside sendmsg(2), so
 * when it returns the acknowledgements are already on our socket: reading
 * them right away costs no waiting, and every VIP still gets its own
 * result, reported through the done callback. An address already present
 * is told apart (ours or the operator's) as in nlw_vip_add. */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "netlink_int.h"

/* Requests per sendmsg(2): their acknowledgements (up to ~1 KiB of buffer
 * each) must fit the socket's receive buffer before we read them. */
#define PIPE_CHUNK 128
#define PIPE_RCVBUF_BYTES (1024 * 1024)
/* An address request with label, broadcast and tag is ~100 bytes. */
#define PIPE_REQ_MAX 512

struct nlw_pending {
	/* the request's bytes: libnl allocates a page per message, so a
	 * thousand queued nl_msg held 2.3 MB at the peak of a mass takeover */
	struct nlmsghdr *req;
	uint32_t seq;
	int ifindex;
	struct vaddr a;
	int plen;
	void *owner;   /* NULL: forgotten */
	bool add;      /* RTM_NEWADDR, or RTM_DELADDR */
	bool done;
};

int nlw_pipe_open(struct nlw *n, char *err, size_t errlen)
{
	int e;

	n->pipe_sock = nl_socket_alloc();
	if (!n->pipe_sock) {
		nlw_set_err(err, errlen, "netlink: out of memory");
		return -1;
	}
	e = nl_connect(n->pipe_sock, NETLINK_ROUTE);
	if (e < 0) {
		nlw_set_err(err, errlen, "netlink: connect: %s", nl_geterror(e));
		return -1;
	}
	nl_socket_set_buffer_size(n->pipe_sock, PIPE_RCVBUF_BYTES, 0);
	return 0;
}

void nlw_pipe_close(struct nlw *n)
{
	for (size_t i = 0; i < n->npipe; i++)
		free(n->pipe[i].req);
	free(n->pipe);
	n->pipe = NULL;
	n->npipe = n->cappipe = 0;
	nl_socket_free(n->pipe_sock);
	n->pipe_sock = NULL;
}

void nlw_vip_set_done(struct nlw *n, nlw_vip_done_fn fn, void *arg)
{
	n->pipe_done = fn;
	n->pipe_done_arg = arg;
}

static int enqueue(struct nlw *n, bool add, int ifindex, const struct vaddr *a,
		   int plen, const struct nlw_addr_opts *o, void *owner, char *err,
		   size_t errlen)
{
	struct nl_msg *msg;

	if (!n || !n->pipe_sock) {
		nlw_set_err(err, errlen, "netlink: no request socket");
		return -1;
	}
	if (n->npipe >= NLW_PIPE_MAX && !n->pipe_flushing) {
		/* a queue that long means nobody flushes: do it now */
		nlw_vip_flush(n);
	}
	if (n->npipe == n->cappipe) {
		size_t cap = n->cappipe ? n->cappipe * 2 : 64;
		struct nlw_pending *p = realloc(n->pipe, cap * sizeof(*p));
		if (!p) {
			nlw_set_err(err, errlen, "netlink: out of memory");
			return -1;
		}
		n->pipe = p;
		n->cappipe = cap;
	}
	if (nlw_vip_msg(ifindex, a, plen, o, add, &msg, err, errlen) < 0)
		return -1;
	struct nlmsghdr *h = nlmsg_hdr(msg), *req = malloc(NLMSG_ALIGN(h->nlmsg_len));
	if (!req || h->nlmsg_len > PIPE_REQ_MAX) {
		nlw_set_err(err, errlen, req ? "netlink: address request of %u bytes"
					     : "netlink: out of memory", h->nlmsg_len);
		free(req);
		nlmsg_free(msg);
		return -1;
	}
	memset(req, 0, NLMSG_ALIGN(h->nlmsg_len));
	memcpy(req, h, h->nlmsg_len);
	nlmsg_free(msg);
	n->pipe[n->npipe++] = (struct nlw_pending){ .req = req, .ifindex = ifindex, .a = *a,
						    .plen = plen, .owner = owner, .add = add };
	return 0;
}

int nlw_vip_add_queue(struct nlw *n, int ifindex, const struct vaddr *a, int plen,
		      const struct nlw_addr_opts *o, void *owner, char *err,
		      size_t errlen)
{
	return enqueue(n, true, ifindex, a, plen, o, owner, err, errlen);
}

int nlw_vip_del_queue(struct nlw *n, int ifindex, const struct vaddr *a, int plen,
		      void *owner, char *err, size_t errlen)
{
	return enqueue(n, false, ifindex, a, plen, NULL, owner, err, errlen);
}

void nlw_vip_forget(struct nlw *n, void *owner)
{
	for (size_t i = 0; n && i < n->npipe; i++)
		if (n->pipe[i].owner == owner)
			n->pipe[i].owner = NULL;
}

size_t nlw_vip_pending(const struct nlw *n)
{
	return n ? n->npipe : 0;
}

static void finish(struct nlw *n, struct nlw_pending *p, int error)
{
	char err[256] = "";
	int r = 0;

	if (p->done)
		return;
	p->done = true;
	if (p->add && error == -EEXIST) {
		r = nlw_addr_proto(p->ifindex, &p->a) == NLW_VIP_PROTO ? 0 : NLW_VIP_FOREIGN;
	} else if (!p->add && (error == -EADDRNOTAVAIL || error == -ENOENT)) {
		r = 0; /* already gone: the state we wanted */
	} else if (error < 0) {
		nlw_vip_err(err, sizeof(err), p->add, p->ifindex, &p->a, p->plen,
			    strerror(-error));
		r = -1;
	}
	if (p->owner && n->pipe_done)
		n->pipe_done(n->pipe_done_arg, p->owner, p->add, p->ifindex, &p->a, r, err);
}

/* Read acknowledgements until every request of [from, to) has one, or the
 * kernel stays silent for REQ_TIMEOUT_MS. */
static void read_acks(struct nlw *n, size_t from, size_t to)
{
	static char buf[65536];
	int fd = nl_socket_get_fd(n->pipe_sock);
	size_t left = to - from;
	uint32_t base = n->pipe[from].seq;

	while (left) {
		ssize_t r = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (r < 0 && (errno == EAGAIN || errno == EINTR)) {
			struct pollfd pf = { .fd = fd, .events = POLLIN };
			if (errno == EINTR || poll(&pf, 1, REQ_TIMEOUT_MS) > 0)
				continue;
			break;
		}
		if (r <= 0)
			break;
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)r);
		     h = NLMSG_NEXT(h, r)) {
			if (h->nlmsg_type != NLMSG_ERROR)
				continue;
			uint32_t k = h->nlmsg_seq - base;
			if (k >= to - from || h->nlmsg_len < NLMSG_LENGTH(sizeof(struct nlmsgerr)))
				continue;
			struct nlw_pending *p = &n->pipe[from + k];
			if (p->done)
				continue;
			finish(n, p, ((struct nlmsgerr *)NLMSG_DATA(h))->error);
			left--;
		}
	}
	for (size_t i = from; i < to; i++)
		if (!n->pipe[i].done)
			finish(n, &n->pipe[i], -ETIMEDOUT);
}

size_t nlw_vip_flush(struct nlw *n)
{
	static char out[PIPE_CHUNK * NLMSG_ALIGN(PIPE_REQ_MAX)];
	size_t total;
	int fd;

	if (!n || !n->npipe)
		return 0;
	fd = nl_socket_get_fd(n->pipe_sock);
	total = n->npipe;
	n->pipe_flushing = true;
	for (size_t from = 0; from < total;) {
		size_t to = from, len = 0;
		for (; to < total && to - from < PIPE_CHUNK; to++) {
			struct nlmsghdr *h = n->pipe[to].req;
			size_t l = NLMSG_ALIGN(h->nlmsg_len);
			h->nlmsg_seq = n->pipe[to].seq = ++n->pipe_seq;
			h->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
			memcpy(out + len, h, l);
			len += l;
		}
		if (send(fd, out, len, 0) < 0) {
			int e = errno;
			for (size_t i = from; i < to; i++)
				finish(n, &n->pipe[i], -e);
		} else {
			read_acks(n, from, to);
		}
		from = to;
	}
	n->pipe_flushing = false;
	for (size_t i = 0; i < total; i++)
		free(n->pipe[i].req);
	/* a done callback may have queued more: keep those */
	memmove(n->pipe, n->pipe + total, (n->npipe - total) * sizeof(*n->pipe));
	n->npipe -= total;
	return total;
}
