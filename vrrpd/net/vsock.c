#include "vsock.h"

#include <errno.h>
#include <stdbool.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_GROUPS 8

struct group_ref {
	struct vaddr group;
	unsigned refs;
};

/* One queued outgoing packet: adverts due in the same loop iteration leave
 * with one sendmmsg() instead of one syscall each. */
struct out_pkt {
	uint8_t buf[sizeof(struct iphdr) + VSOCK_PKT_MAX];
	size_t len;
	struct sockaddr_storage to;
	socklen_t tolen;
	struct {
		uint8_t cbuf[CMSG_SPACE(sizeof(struct in6_pktinfo)) +
			     CMSG_SPACE(sizeof(int))];
	} __attribute__((aligned(__alignof__(struct cmsghdr)))) cm;
	size_t cmsg_len;         /* 0: none */
};

struct vsock {
	int fd;
	int af;
	int ifindex;
	struct group_ref groups[MAX_GROUPS];
	/* grown as sends are queued, up to VSOCK_BATCH: with a virtual MAC
	 * every instance has a socket of its own and sends one advert at a
	 * time (a full batch per socket was 145 KB, 145 MB at 1000) */
	struct out_pkt *out;
	int nout, capout;
	/* IPv4 on a virtual MAC: adverts leave through the shared sender
	 * with this socket's interface in IP_PKTINFO (vsock_send_shared) */
	bool shared_tx;
};

/* The shared sender: one send-only IPPROTO_RAW socket for every IPv4
 * socket on a virtual MAC. With one socket per macvlan, each advert was a
 * sendmmsg(2) of its own: 1000 instances with virtual MACs cost 5.8 times
 * the CPU of 1000 without. IPPROTO_RAW never receives, so it costs nothing
 * on the receive path; the interface comes per packet (IP_PKTINFO), the
 * source is in the header we build. */
static struct vsock *tx4;
static unsigned tx4_users;

/* One receive batch for every socket: the loop is single threaded and a
 * batch is handled before the next recvmmsg (vsock.h). */
static struct {
	uint8_t bufs[VSOCK_BATCH][VSOCK_PKT_MAX];
	uint8_t cbufs[VSOCK_BATCH][128];
	struct sockaddr_storage from[VSOCK_BATCH];
	struct iovec iov[VSOCK_BATCH];
	struct mmsghdr msgs[VSOCK_BATCH];
} rx;

static int set_int(int fd, int level, int opt, int v)
{
	return setsockopt(fd, level, opt, &v, sizeof(v));
}

struct vsock *vsock_open(int ifindex, const char *ifname, int af, char *err,
			 size_t errlen)
{
	struct vsock *vs = calloc(1, sizeof(*vs));
	if (!vs) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	vs->af = af;
	vs->ifindex = ifindex;
	vs->fd = socket(af, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, VRRP_IPPROTO);
	if (vs->fd < 0) {
		snprintf(err, errlen, "raw socket: %s", strerror(errno));
		free(vs);
		return NULL;
	}
	const char *what = NULL;
	if (setsockopt(vs->fd, SOL_SOCKET, SO_BINDTODEVICE, ifname,
		       (socklen_t)strlen(ifname)) < 0)
		what = "SO_BINDTODEVICE";
	/* Room for bursts of adverts from many instances. */
	int rcv = 4 << 20;
	if (setsockopt(vs->fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcv, sizeof(rcv)) < 0)
		setsockopt(vs->fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	if (af == AF_INET) {
		struct ip_mreqn mr = { .imr_ifindex = ifindex };
		/* We build the IPv4 header ourselves: TTL 255 and our chosen
		 * source are what the checksum (v3) and receivers rely on. */
		if (!what && set_int(vs->fd, IPPROTO_IP, IP_HDRINCL, 1) < 0)
			what = "IP_HDRINCL";
		if (!what && set_int(vs->fd, IPPROTO_IP, IP_MULTICAST_LOOP, 0) < 0)
			what = "IP_MULTICAST_LOOP";
		if (!what && setsockopt(vs->fd, IPPROTO_IP, IP_MULTICAST_IF, &mr,
					sizeof(mr)) < 0)
			what = "IP_MULTICAST_IF";
		if (!what && set_int(vs->fd, IPPROTO_IP, IP_MULTICAST_ALL, 0) < 0)
			what = "IP_MULTICAST_ALL";
	} else {
		if (!what && set_int(vs->fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, 255) < 0)
			what = "IPV6_MULTICAST_HOPS";
		if (!what && set_int(vs->fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, 255) < 0)
			what = "IPV6_UNICAST_HOPS";
		if (!what && set_int(vs->fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, 0) < 0)
			what = "IPV6_MULTICAST_LOOP";
		if (!what && set_int(vs->fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, ifindex) < 0)
			what = "IPV6_MULTICAST_IF";
		if (!what && set_int(vs->fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1) < 0)
			what = "IPV6_RECVHOPLIMIT";
		if (!what && set_int(vs->fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1) < 0)
			what = "IPV6_RECVPKTINFO";
	}
	if (what) {
		snprintf(err, errlen, "%s on %s: %s", what, ifname, strerror(errno));
		vsock_close(vs);
		return NULL;
	}
	return vs;
}

static struct vsock *tx4_open(char *err, size_t errlen)
{
	struct vsock *vs = calloc(1, sizeof(*vs));
	if (!vs) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	vs->af = AF_INET;
	vs->fd = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_RAW);
	if (vs->fd < 0 || set_int(vs->fd, IPPROTO_IP, IP_MULTICAST_LOOP, 0) < 0) {
		snprintf(err, errlen, "shared advert sender: %s", strerror(errno));
		if (vs->fd >= 0)
			close(vs->fd);
		free(vs);
		return NULL;
	}
	return vs;
}

int vsock_send_shared(struct vsock *vs, char *err, size_t errlen)
{
	if (vs->af != AF_INET || vs->shared_tx)
		return 0;
	if (!tx4 && !(tx4 = tx4_open(err, errlen)))
		return -1;
	tx4_users++;
	vs->shared_tx = true;
	return 0;
}

int vsock_flush_shared(void)
{
	return tx4 && tx4->nout ? vsock_flush(tx4) : 0;
}

int vsock_pending_shared(void)
{
	return tx4 ? tx4->nout : 0;
}

static void vsock_free(struct vsock *vs)
{
	if (vs->fd >= 0 && vs->nout)
		vsock_flush(vs); /* priority-0 adverts queued at shutdown */
	if (vs->fd >= 0)
		close(vs->fd);
	free(vs->out);
	free(vs);
}

void vsock_close(struct vsock *vs)
{
	if (!vs)
		return;
	if (vs->shared_tx && tx4 && --tx4_users == 0) {
		vsock_free(tx4);
		tx4 = NULL;
	}
	vsock_free(vs);
}

int vsock_fd(const struct vsock *vs)
{
	return vs->fd;
}

int vsock_af(const struct vsock *vs)
{
	return vs->af;
}

int vsock_ifindex(const struct vsock *vs)
{
	return vs->ifindex;
}

static int membership(struct vsock *vs, const struct vaddr *g, bool join)
{
	if (vs->af == AF_INET) {
		struct ip_mreqn mr = { .imr_multiaddr = g->u.v4,
				       .imr_ifindex = vs->ifindex };
		return setsockopt(vs->fd, IPPROTO_IP,
				  join ? IP_ADD_MEMBERSHIP : IP_DROP_MEMBERSHIP,
				  &mr, sizeof(mr));
	}
	struct ipv6_mreq mr6 = { .ipv6mr_multiaddr = g->u.v6,
				 .ipv6mr_interface = (unsigned)vs->ifindex };
	return setsockopt(vs->fd, IPPROTO_IPV6,
			  join ? IPV6_ADD_MEMBERSHIP : IPV6_DROP_MEMBERSHIP,
			  &mr6, sizeof(mr6));
}

int vsock_join(struct vsock *vs, const struct vaddr *group, char *err,
	       size_t errlen)
{
	struct group_ref *free_slot = NULL;
	for (int i = 0; i < MAX_GROUPS; i++) {
		struct group_ref *r = &vs->groups[i];
		if (r->refs && vaddr_cmp(&r->group, group) == 0) {
			r->refs++;
			return 0;
		}
		if (!r->refs && !free_slot)
			free_slot = r;
	}
	char buf[VADDR_STRLEN];
	if (!free_slot) {
		snprintf(err, errlen, "too many multicast groups on one interface");
		return -1;
	}
	if (membership(vs, group, true) < 0) {
		snprintf(err, errlen, "join %s: %s",
			 vaddr_ntop(group, buf, sizeof(buf)), strerror(errno));
		return -1;
	}
	free_slot->group = *group;
	free_slot->refs = 1;
	return 0;
}

void vsock_leave(struct vsock *vs, const struct vaddr *group)
{
	for (int i = 0; i < MAX_GROUPS; i++) {
		struct group_ref *r = &vs->groups[i];
		if (r->refs && vaddr_cmp(&r->group, group) == 0) {
			if (--r->refs == 0)
				membership(vs, group, false);
			return;
		}
	}
}

int vsock_flush(struct vsock *vs)
{
	if (vs->shared_tx && tx4)
		vs = tx4; /* its adverts wait there */
	struct mmsghdr msgs[VSOCK_BATCH];
	struct iovec iov[VSOCK_BATCH];
	int sent = 0, failed = 0;

	for (int i = 0; i < vs->nout; i++) {
		struct out_pkt *o = &vs->out[i];
		iov[i].iov_base = o->buf;
		iov[i].iov_len = o->len;
		memset(&msgs[i], 0, sizeof(msgs[i]));
		msgs[i].msg_hdr.msg_name = &o->to;
		msgs[i].msg_hdr.msg_namelen = o->tolen;
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
		if (o->cmsg_len) {
			msgs[i].msg_hdr.msg_control = o->cm.cbuf;
			msgs[i].msg_hdr.msg_controllen = o->cmsg_len;
		}
	}
	/* sendmmsg stops at the first failing message: skip it and go on, so
	 * one bad packet never holds back the others. */
	while (sent + failed < vs->nout) {
		int n = sendmmsg(vs->fd, msgs + sent + failed,
				 (unsigned)(vs->nout - sent - failed), 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			failed++;
		} else {
			sent += n;
		}
	}
	vs->nout = 0;
	return failed;
}

int vsock_pending(const struct vsock *vs)
{
	return vs->nout;
}

int vsock_send(struct vsock *vs, const struct vaddr *src,
	       const struct vaddr *dst, uint8_t ttl, const uint8_t *payload,
	       size_t len)
{
	if (len > VSOCK_PKT_MAX) {
		errno = EMSGSIZE;
		return -1;
	}
	/* a virtual MAC's advert waits on the shared sender, its interface
	 * named in the packet */
	int pin_ifindex = 0;
	if (vs->shared_tx && tx4) {
		pin_ifindex = vs->ifindex;
		vs = tx4;
	}
	if (vs->nout == VSOCK_BATCH)
		vsock_flush(vs);
	if (vs->nout == vs->capout) {
		int cap = vs->capout ? vs->capout * 2 : 1;
		struct out_pkt *q = realloc(vs->out, (size_t)(cap < VSOCK_BATCH ? cap : VSOCK_BATCH) *
						     sizeof(*q));
		if (!q) {
			errno = ENOMEM;
			return -1;
		}
		vs->out = q;
		vs->capout = cap < VSOCK_BATCH ? cap : VSOCK_BATCH;
	}
	struct out_pkt *o = &vs->out[vs->nout];
	o->cmsg_len = 0;
	if (vs->af == AF_INET) {
		struct iphdr *ip = (struct iphdr *)o->buf;
		memset(ip, 0, sizeof(*ip));
		ip->version = 4;
		ip->ihl = 5;
		ip->tos = IPTOS_PREC_INTERNETCONTROL;
		ip->tot_len = htons((uint16_t)(sizeof(*ip) + len));
		ip->ttl = ttl;
		ip->protocol = VRRP_IPPROTO;
		ip->saddr = src->u.v4.s_addr;
		ip->daddr = dst->u.v4.s_addr;
		/* id and header checksum are filled in by the kernel */
		memcpy(o->buf + sizeof(*ip), payload, len);
		o->len = sizeof(*ip) + len;
		struct sockaddr_in *to = (struct sockaddr_in *)&o->to;
		memset(to, 0, sizeof(*to));
		to->sin_family = AF_INET;
		to->sin_addr = dst->u.v4;
		o->tolen = sizeof(*to);
		if (pin_ifindex) {
			memset(&o->cm, 0, sizeof(o->cm));
			struct cmsghdr *c = (struct cmsghdr *)o->cm.cbuf;
			c->cmsg_level = IPPROTO_IP;
			c->cmsg_type = IP_PKTINFO;
			c->cmsg_len = CMSG_LEN(sizeof(struct in_pktinfo));
			struct in_pktinfo pi = { .ipi_ifindex = pin_ifindex,
						 .ipi_spec_dst = src->u.v4 };
			memcpy(CMSG_DATA(c), &pi, sizeof(pi));
			o->cmsg_len = CMSG_SPACE(sizeof(pi));
		}
	} else {
		/* The source is pinned with IPV6_PKTINFO so it is the
		 * link-local address the checksum was computed with. */
		memcpy(o->buf, payload, len);
		o->len = len;
		struct sockaddr_in6 *to = (struct sockaddr_in6 *)&o->to;
		memset(to, 0, sizeof(*to));
		to->sin6_family = AF_INET6;
		to->sin6_addr = dst->u.v6;
		to->sin6_scope_id = (uint32_t)vs->ifindex;
		o->tolen = sizeof(*to);
		memset(&o->cm, 0, sizeof(o->cm));
		struct cmsghdr *c = (struct cmsghdr *)o->cm.cbuf;
		c->cmsg_level = IPPROTO_IPV6;
		c->cmsg_type = IPV6_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(struct in6_pktinfo));
		struct in6_pktinfo pi = { .ipi6_addr = src->u.v6,
					  .ipi6_ifindex = (unsigned)vs->ifindex };
		memcpy(CMSG_DATA(c), &pi, sizeof(pi));
		o->cmsg_len = CMSG_SPACE(sizeof(pi));
		/* the socket's default hop limit is 255 (RFC 5798 5.1.2.3);
		 * only a unicast TTL below it needs its own */
		if (ttl != VRRP_TTL) {
			int hl = ttl;
			c = (struct cmsghdr *)(o->cm.cbuf + o->cmsg_len);
			c->cmsg_level = IPPROTO_IPV6;
			c->cmsg_type = IPV6_HOPLIMIT;
			c->cmsg_len = CMSG_LEN(sizeof(hl));
			memcpy(CMSG_DATA(c), &hl, sizeof(hl));
			o->cmsg_len += CMSG_SPACE(sizeof(hl));
		}
	}
	vs->nout++;
	return 0;
}

/* IPv4 raw sockets deliver the IP header: check it before trusting the
 * payload offset, and take TTL, source and destination from it. */
static void parse_v4(struct vsock_pkt *p, const uint8_t *buf, size_t n)
{
	struct iphdr ip;
	size_t ihl;

	if (n < sizeof(ip)) {
		p->bad_ip = 1;
		return;
	}
	/* A copy: the buffer need not be aligned for struct iphdr. */
	memcpy(&ip, buf, sizeof(ip));
	if (ip.version != 4 || (ihl = (size_t)ip.ihl * 4) < sizeof(ip) ||
	    ihl > n) {
		p->bad_ip = 1;
		return;
	}
	size_t tot = ntohs(ip.tot_len);
	if (tot < ihl || tot > n)
		tot = n; /* some stacks report odd totals; trust what we read */
	p->payload = buf + ihl;
	p->len = tot - ihl;
	p->meta.ttl = ip.ttl;
	vaddr_from_raw(&p->meta.src, AF_INET, &ip.saddr);
	vaddr_from_raw(&p->meta.dst, AF_INET, &ip.daddr);
}

/* The data of the control message at `at` (whose length is already known
 * to lie inside the buffer) if it holds at least want bytes. */
static const uint8_t *cmsg_data(const struct cmsghdr *c, const uint8_t *at,
				size_t want)
{
	return c->cmsg_len >= CMSG_LEN(want) ? at + CMSG_LEN(0) : NULL;
}

/* IPv6 raw sockets deliver the payload only: the source comes from the
 * sender's address, hop limit and destination from the IPV6_HOPLIMIT and
 * IPV6_PKTINFO control messages (RFC 3542 6.3, 6.1). A missing hop limit
 * leaves ttl at -1, which the codec drops (RFC 5798 7.1). The messages are
 * walked by offset rather than with CMSG_NXTHDR: glibc checks the next
 * header against msg_controllen but not the current one's length, so a
 * message too long or too short for its data is ignored here, never read
 * past. */
static void parse_v6(struct vsock_pkt *p, const struct msghdr *h,
		     const uint8_t *buf, size_t n)
{
	struct sockaddr_in6 from;
	const uint8_t *ctl = h->msg_control, *d;
	size_t clen = ctl ? h->msg_controllen : 0, off = 0;
	struct cmsghdr c;

	if (!h->msg_name || h->msg_namelen < sizeof(from)) {
		p->bad_ip = 1;
		return;
	}
	memcpy(&from, h->msg_name, sizeof(from));
	p->payload = buf;
	p->len = n;
	p->meta.ttl = -1;
	vaddr_from_raw(&p->meta.src, AF_INET6, &from.sin6_addr);
	while (clen - off >= sizeof(c)) {
		memcpy(&c, ctl + off, sizeof(c));
		if (c.cmsg_len < sizeof(c) || c.cmsg_len > clen - off)
			break;
		if (c.cmsg_level == IPPROTO_IPV6 && c.cmsg_type == IPV6_HOPLIMIT &&
		    (d = cmsg_data(&c, ctl + off, sizeof(int)))) {
			int hl;
			memcpy(&hl, d, sizeof(hl));
			p->meta.ttl = hl;
		} else if (c.cmsg_level == IPPROTO_IPV6 && c.cmsg_type == IPV6_PKTINFO &&
			   (d = cmsg_data(&c, ctl + off, sizeof(struct in6_pktinfo)))) {
			struct in6_pktinfo pi;
			memcpy(&pi, d, sizeof(pi));
			vaddr_from_raw(&p->meta.dst, AF_INET6, &pi.ipi6_addr);
		}
		if (CMSG_ALIGN(c.cmsg_len) >= clen - off)
			break;
		off += CMSG_ALIGN(c.cmsg_len);
	}
}

void vsock_parse_rx(int af, const uint8_t *buf, size_t n,
		    const struct msghdr *h, struct vsock_pkt *out)
{
	memset(out, 0, sizeof(*out));
	if (af == AF_INET) {
		parse_v4(out, buf, n);
	} else if (af == AF_INET6 && h) {
		parse_v6(out, h, buf, n);
	} else {
		out->bad_ip = 1;
	}
}

int vsock_recv(struct vsock *vs, struct vsock_pkt *out)
{
	for (int i = 0; i < VSOCK_BATCH; i++) {
		struct msghdr *h = &rx.msgs[i].msg_hdr;
		memset(h, 0, sizeof(*h));
		rx.iov[i].iov_base = rx.bufs[i];
		rx.iov[i].iov_len = VSOCK_PKT_MAX;
		h->msg_iov = &rx.iov[i];
		h->msg_iovlen = 1;
		h->msg_name = &rx.from[i];
		h->msg_namelen = sizeof(rx.from[i]);
		h->msg_control = rx.cbufs[i];
		h->msg_controllen = sizeof(rx.cbufs[i]);
	}
	int n = recvmmsg(vs->fd, rx.msgs, VSOCK_BATCH, MSG_DONTWAIT, NULL);
	if (n <= 0)
		return 0;
	for (int i = 0; i < n; i++)
		vsock_parse_rx(vs->af, rx.bufs[i], rx.msgs[i].msg_len,
			       &rx.msgs[i].msg_hdr, &out[i]);
	return n;
}
