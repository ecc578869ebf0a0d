#include "vsock.h"

#include <errno.h>
#include <linux/filter.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <stdbool.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

#define MAX_GROUPS 8

struct group_ref {
	struct vaddr group;
	unsigned refs;
};

/* One queued outgoing packet: adverts due in the same loop iteration leave
 * with one sendmmsg() instead of one syscall each. */
struct out_pkt {
	uint8_t buf[ETH_HLEN + sizeof(struct iphdr) + VSOCK_PKT_MAX];
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
	/* IPv4 on a virtual MAC (vsock_open_vmac4): adverts leave through
	 * a shared sender (as frames from mac on the parent, or with this
	 * socket's interface in IP_PKTINFO) and arrive on the shared
	 * receiver */
	bool shared_tx, shared_rx;
	int parent_ifindex;
	uint8_t mac[ETH_ALEN];
};

static int queued_total; /* packets queued on every socket */

/* The shared senders of every IPv4 socket on a virtual MAC. With one
 * socket per macvlan, each advert was a sendmmsg(2) of its own: 1000
 * instances with virtual MACs cost 5.8 times the CPU of 1000 without.
 *
 * tx4 sends the multicast adverts as whole Ethernet frames from the
 * virtual MAC on the parent interface (AF_PACKET): on the wire that is
 * exactly what the macvlan would send, but the kernel skips the route
 * lookup, the macvlan's transmit and the ifindex lookups IP_PKTINFO
 * costs, which made 1000 virtual MACs cost 1.6 times the bench floor's
 * sender (bench/floor.c send-vmac raw vs packet; packet is at the plain
 * floor). It never receives (protocol 0).
 *
 * tx4u sends the unicast ones (unicast peers): their destination MAC is
 * the neighbour table's business, so they go through IP on an
 * IPPROTO_RAW socket with the macvlan pinned per packet (IP_PKTINFO);
 * opened at the first unicast advert. IPPROTO_RAW never receives. */
static struct vsock *tx4, *tx4u;
static unsigned tx4_users;
static uint16_t tx4_ip_id; /* the IP ID of the frames we build */

/* The shared receiver (vsock.h): the interfaces it accepts, sorted, one
 * entry per open virtual-MAC socket. */
static struct {
	int fd;
	int *ifindex;
	size_t n, cap;
	bool stale;   /* the filter does not match the list yet */
	bool too_big; /* reported once: more ranges than a filter holds */
} vrx = { .fd = -1 };

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

/* Room for bursts of adverts from many instances: as root past
 * net.core.rmem_max, else as far as it goes. */
static void big_rcvbuf(int fd)
{
	int rcv = 4 << 20;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcv, sizeof(rcv)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
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
	big_rcvbuf(vs->fd);
	if (!what && set_int(vs->fd, SOL_SOCKET, SO_TIMESTAMPNS, 1) < 0)
		what = "SO_TIMESTAMPNS";
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

static struct vsock *tx4_open(bool frames, char *err, size_t errlen)
{
	struct vsock *vs = calloc(1, sizeof(*vs));
	if (!vs) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	vs->af = AF_INET;
	if (frames)
		vs->fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	else
		vs->fd = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
				IPPROTO_RAW);
	if (vs->fd < 0 ||
	    (!frames && set_int(vs->fd, IPPROTO_IP, IP_MULTICAST_LOOP, 0) < 0)) {
		snprintf(err, errlen, "shared advert sender: %s", strerror(errno));
		if (vs->fd >= 0)
			close(vs->fd);
		free(vs);
		return NULL;
	}
	return vs;
}

static int send_shared(struct vsock *vs, char *err, size_t errlen)
{
	if (!tx4 && !(tx4 = tx4_open(true, err, errlen)))
		return -1;
	tx4_users++;
	vs->shared_tx = true;
	return 0;
}

/* A classic BPF program on the arrival interface (SKF_AD_IFINDEX) that
 * accepts the sorted list's interfaces, range by range: macvlans made
 * together have consecutive indexes, so a thousand are usually one range.
 * Per range: below it, reject (every later range is higher); inside it,
 * accept; above it, go on. Returns the instruction count, 0 if more
 * than max are needed. */
static size_t build_filter(const int *ifx, size_t n, struct sock_filter *f,
			   size_t max)
{
	size_t k = 0;

	if (max < 2)
		return 0;
	f[k++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					      (uint32_t)(SKF_AD_OFF + SKF_AD_IFINDEX));
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j + 1 < n && ifx[j + 1] <= ifx[j] + 1)
			j++;
		if (k + 4 + 1 > max)
			return 0;
		f[k++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K,
						      (uint32_t)ifx[i], 1, 0);
		f[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, 0);
		f[k++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K,
						      (uint32_t)ifx[j], 1, 0);
		f[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, 0xffffffffu);
		i = j + 1;
	}
	f[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, 0);
	return k;
}

static int attach_filter(int fd, struct sock_filter *f, size_t len)
{
	struct sock_fprog prog = { .len = (unsigned short)len, .filter = f };
	return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog));
}

void vsock_shared_rx_sync(void)
{
	static struct sock_filter f[BPF_MAXINSNS];

	if (vrx.fd < 0 || !vrx.stale)
		return;
	vrx.stale = false;
	size_t len = build_filter(vrx.ifindex, vrx.n, f, BPF_MAXINSNS);
	if (!len) {
		/* let everything through: the table drops what is not ours */
		f[0] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, 0xffffffffu);
		len = 1;
		if (!vrx.too_big)
			log_info("virtual MACs: %zu interfaces are too scattered for one "
				 "packet filter; adverts of other interfaces are dropped "
				 "in the daemon", vrx.n);
		vrx.too_big = true;
	}
	if (attach_filter(vrx.fd, f, len) < 0)
		log_warn("virtual MACs: packet filter of the shared receiver: %s",
			 strerror(errno));
}

static int vrx_open(char *err, size_t errlen)
{
	/* until the first sync, nothing: a packet that arrived on another
	 * interface would only be dropped */
	struct sock_filter none = BPF_STMT(BPF_RET | BPF_K, 0);
	int fd = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, VRRP_IPPROTO);

	if (fd < 0 || attach_filter(fd, &none, 1) < 0 ||
	    set_int(fd, IPPROTO_IP, IP_PKTINFO, 1) < 0 ||
	    set_int(fd, SOL_SOCKET, SO_TIMESTAMPNS, 1) < 0) {
		snprintf(err, errlen, "shared advert receiver: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	big_rcvbuf(fd);
	vrx.fd = fd;
	return 0;
}

static int vrx_add(int ifindex)
{
	if (vrx.n == vrx.cap) {
		size_t cap = vrx.cap ? vrx.cap * 2 : 16;
		int *p = realloc(vrx.ifindex, cap * sizeof(*p));
		if (!p)
			return -1;
		vrx.ifindex = p;
		vrx.cap = cap;
	}
	size_t i = vrx.n;
	while (i > 0 && vrx.ifindex[i - 1] > ifindex) {
		vrx.ifindex[i] = vrx.ifindex[i - 1];
		i--;
	}
	vrx.ifindex[i] = ifindex;
	vrx.n++;
	vrx.stale = true;
	return 0;
}

static void vrx_remove(int ifindex)
{
	for (size_t i = 0; i < vrx.n; i++) {
		if (vrx.ifindex[i] != ifindex)
			continue;
		memmove(&vrx.ifindex[i], &vrx.ifindex[i + 1],
			(vrx.n - i - 1) * sizeof(*vrx.ifindex));
		vrx.n--;
		vrx.stale = true;
		break;
	}
	if (!vrx.n && vrx.fd >= 0) {
		close(vrx.fd);
		vrx.fd = -1;
		free(vrx.ifindex);
		vrx.ifindex = NULL;
		vrx.cap = 0;
		vrx.stale = false;
	}
}

struct vsock *vsock_open_vmac4(int ifindex, const char *ifname,
			       int parent_ifindex, char *err, size_t errlen)
{
	struct vsock *vs = calloc(1, sizeof(*vs));
	if (!vs) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	vs->af = AF_INET;
	vs->ifindex = ifindex;
	/* holds the memberships only: unbound, it never receives */
	vs->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (vs->fd < 0) {
		snprintf(err, errlen, "membership socket on %s: %s", ifname,
			 strerror(errno));
		free(vs);
		return NULL;
	}
	/* the frames' source: the macvlan's own address, whatever made it */
	struct ifreq ifr = { 0 };
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(vs->fd, SIOCGIFHWADDR, &ifr) < 0) {
		snprintf(err, errlen, "MAC address of %s: %s", ifname, strerror(errno));
		vsock_close(vs);
		return NULL;
	}
	memcpy(vs->mac, ifr.ifr_hwaddr.sa_data, ETH_ALEN);
	vs->parent_ifindex = parent_ifindex;
	if (send_shared(vs, err, errlen) < 0 ||
	    (vrx.fd < 0 && vrx_open(err, errlen) < 0)) {
		vsock_close(vs);
		return NULL;
	}
	if (vrx_add(ifindex) < 0) {
		snprintf(err, errlen, "out of memory");
		vsock_close(vs);
		return NULL;
	}
	vs->shared_rx = true;
	return vs;
}

bool vsock_is_shared_rx(const struct vsock *vs)
{
	return vs->shared_rx;
}

int vsock_shared_rx_fd(void)
{
	return vrx.fd;
}

int vsock_pending_total(void)
{
	return queued_total;
}

int vsock_flush_shared(void)
{
	return (tx4 && tx4->nout ? vsock_flush(tx4) : 0) +
	       (tx4u && tx4u->nout ? vsock_flush(tx4u) : 0);
}

int vsock_pending_shared(void)
{
	return (tx4 ? tx4->nout : 0) + (tx4u ? tx4u->nout : 0);
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
	if (vs->shared_rx)
		vrx_remove(vs->ifindex);
	if (vs->shared_tx && tx4_users && --tx4_users == 0) {
		if (tx4)
			vsock_free(tx4);
		if (tx4u)
			vsock_free(tx4u);
		tx4 = tx4u = NULL;
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
	if (vs->shared_tx)
		return vsock_flush_shared(); /* its adverts wait there */
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
	queued_total -= vs->nout;
	vs->nout = 0;
	return failed;
}

int vsock_pending(const struct vsock *vs)
{
	return vs->nout;
}

/* The Ethernet frame of a multicast advert from a virtual MAC, for tx4:
 * what the macvlan would put on the wire (RFC 5798 7.3: source the
 * virtual router MAC; destination the group's MAC, RFC 1112 6.4), with
 * the IP ID and header checksum the kernel fills in on the IP path. */
static void frame_v4(struct out_pkt *o, const struct vsock *vm,
		     const struct vaddr *src, const struct vaddr *dst,
		     uint8_t ttl, const uint8_t *payload, size_t len)
{
	uint32_t g = ntohl(dst->u.v4.s_addr);
	uint8_t *eth = o->buf;
	struct iphdr ip = {
		.version = 4, .ihl = 5, .tos = IPTOS_PREC_INTERNETCONTROL,
		.tot_len = htons((uint16_t)(sizeof(ip) + len)),
		.id = htons(++tx4_ip_id), .ttl = ttl, .protocol = VRRP_IPPROTO,
		.saddr = src->u.v4.s_addr, .daddr = dst->u.v4.s_addr,
	};
	uint16_t type = htons(ETHERTYPE_IP);

	ip.check = htons(vrrp_cksum(&ip, sizeof(ip), 0)); /* numeric value, lib/vrrp_pkt.c */
	eth[0] = 0x01;
	eth[1] = 0x00;
	eth[2] = 0x5e;
	eth[3] = (uint8_t)((g >> 16) & 0x7f);
	eth[4] = (uint8_t)(g >> 8);
	eth[5] = (uint8_t)g;
	memcpy(eth + ETH_ALEN, vm->mac, ETH_ALEN);
	memcpy(eth + 2 * ETH_ALEN, &type, sizeof(type));
	memcpy(eth + ETH_HLEN, &ip, sizeof(ip));
	memcpy(eth + ETH_HLEN + sizeof(ip), payload, len);
	o->len = ETH_HLEN + sizeof(ip) + len;
	struct sockaddr_ll *to = (struct sockaddr_ll *)&o->to;
	memset(to, 0, sizeof(*to));
	to->sll_family = AF_PACKET;
	to->sll_protocol = htons(ETH_P_IP);
	to->sll_ifindex = vm->parent_ifindex;
	to->sll_halen = ETH_ALEN;
	memcpy(to->sll_addr, eth, ETH_ALEN);
	o->tolen = sizeof(*to);
}

int vsock_send(struct vsock *vs, const struct vaddr *src,
	       const struct vaddr *dst, uint8_t ttl, const uint8_t *payload,
	       size_t len)
{
	if (len > VSOCK_PKT_MAX) {
		errno = EMSGSIZE;
		return -1;
	}
	/* a virtual MAC's advert waits on a shared sender: multicast as a
	 * frame from its MAC on the parent, unicast with its interface named
	 * in the packet */
	int pin_ifindex = 0;
	const struct vsock *frame_of = NULL;
	if (vs->shared_tx && vaddr_is_multicast(dst) && tx4) {
		frame_of = vs;
		vs = tx4;
	} else if (vs->shared_tx) {
		char err[128];
		if (!tx4u && !(tx4u = tx4_open(false, err, sizeof(err))))
			return -1;
		pin_ifindex = vs->ifindex;
		vs = tx4u;
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
	if (frame_of) {
		frame_v4(o, frame_of, src, dst, ttl, payload, len);
	} else if (vs->af == AF_INET) {
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
	queued_total++;
	return 0;
}

/* The data of the first control message of (level, type) in h that
 * holds at least want bytes, or NULL. The messages are walked by offset
 * rather than with CMSG_NXTHDR: glibc checks the next header against
 * msg_controllen but not the current one's length, so a message too long
 * or too short for its data is ignored here, never read past. */
static const uint8_t *cmsg_find(const struct msghdr *h, int level, int type,
				size_t want)
{
	const uint8_t *ctl = h ? h->msg_control : NULL;
	size_t clen = ctl ? h->msg_controllen : 0, off = 0;
	struct cmsghdr c;

	while (clen - off >= sizeof(c)) {
		memcpy(&c, ctl + off, sizeof(c));
		if (c.cmsg_len < sizeof(c) || c.cmsg_len > clen - off)
			break;
		if (c.cmsg_level == level && c.cmsg_type == type &&
		    c.cmsg_len >= CMSG_LEN(want))
			return ctl + off + CMSG_LEN(0);
		if (CMSG_ALIGN(c.cmsg_len) >= clen - off)
			break;
		off += CMSG_ALIGN(c.cmsg_len);
	}
	return NULL;
}

/* RFC 5798 6.4.2 times the skew takeover from the advert's receipt: the
 * kernel's receive stamp, so the time the daemon took to wake up and read
 * it (1-3 ms measured on a loaded two-core host) does not delay the
 * takeover. */
static void parse_stamp(struct vsock_pkt *p, const struct msghdr *h)
{
	const uint8_t *d = cmsg_find(h, SOL_SOCKET, SCM_TIMESTAMPNS, sizeof(struct timespec));
	if (d) {
		struct timespec ts;
		memcpy(&ts, d, sizeof(ts));
		if (ts.tv_sec > 0 && ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000L &&
		    ts.tv_sec < INT64_MAX / 1000000000 - 1)
			p->rx_real_ns = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
	}
}

/* IPv4 raw sockets deliver the IP header: check it before trusting the
 * payload offset, and take TTL, source and destination from it; the
 * arrival interface from IP_PKTINFO, where the socket asked for it. */
static void parse_v4(struct vsock_pkt *p, const struct msghdr *h,
		     const uint8_t *buf, size_t n)
{
	struct iphdr ip;
	size_t ihl;
	const uint8_t *d;

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
	if ((d = cmsg_find(h, IPPROTO_IP, IP_PKTINFO, sizeof(struct in_pktinfo)))) {
		struct in_pktinfo pi;
		memcpy(&pi, d, sizeof(pi));
		p->ifindex = pi.ipi_ifindex;
	}
}

/* IPv6 raw sockets deliver the payload only: the source comes from the
 * sender's address, hop limit, destination and arrival interface from
 * the IPV6_HOPLIMIT and IPV6_PKTINFO control messages (RFC 3542 6.3,
 * 6.1). A missing hop limit leaves ttl at -1, which the codec drops
 * (RFC 5798 7.1). */
static void parse_v6(struct vsock_pkt *p, const struct msghdr *h,
		     const uint8_t *buf, size_t n)
{
	struct sockaddr_in6 from;
	const uint8_t *d;

	if (!h->msg_name || h->msg_namelen < sizeof(from)) {
		p->bad_ip = 1;
		return;
	}
	memcpy(&from, h->msg_name, sizeof(from));
	p->payload = buf;
	p->len = n;
	p->meta.ttl = -1;
	vaddr_from_raw(&p->meta.src, AF_INET6, &from.sin6_addr);
	if ((d = cmsg_find(h, IPPROTO_IPV6, IPV6_HOPLIMIT, sizeof(int)))) {
		int hl;
		memcpy(&hl, d, sizeof(hl));
		p->meta.ttl = hl;
	}
	if ((d = cmsg_find(h, IPPROTO_IPV6, IPV6_PKTINFO, sizeof(struct in6_pktinfo)))) {
		struct in6_pktinfo pi;
		memcpy(&pi, d, sizeof(pi));
		vaddr_from_raw(&p->meta.dst, AF_INET6, &pi.ipi6_addr);
		p->ifindex = (int)pi.ipi6_ifindex;
	}
}

void vsock_parse_rx(int af, const uint8_t *buf, size_t n,
		    const struct msghdr *h, struct vsock_pkt *out)
{
	memset(out, 0, sizeof(*out));
	if (af == AF_INET) {
		parse_v4(out, h, buf, n);
	} else if (af == AF_INET6 && h) {
		parse_v6(out, h, buf, n);
	} else {
		out->bad_ip = 1;
	}
	if (!out->bad_ip)
		parse_stamp(out, h);
}

uint64_t vsock_rx_mono_us(int64_t rx_real_ns, int64_t now_real_ns, uint64_t now_mono_us)
{
	int64_t age_ns = now_real_ns - rx_real_ns;

	/* a stamp from the future or older than any queue holds a packet is
	 * the wall clock stepping, not the packet's age: not told */
	if (!rx_real_ns || age_ns < 0 || age_ns > VSOCK_STAMP_MAX_AGE_NS ||
	    (uint64_t)(age_ns / 1000) >= now_mono_us)
		return 0;
	return now_mono_us - (uint64_t)(age_ns / 1000);
}

static int recv_batch(int fd, int af, struct vsock_pkt *out)
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
	int n = recvmmsg(fd, rx.msgs, VSOCK_BATCH, MSG_DONTWAIT, NULL);
	if (n <= 0)
		return 0;
	struct timespec real, mono;
	clock_gettime(CLOCK_REALTIME, &real);
	clock_gettime(CLOCK_MONOTONIC, &mono);
	int64_t real_ns = (int64_t)real.tv_sec * 1000000000 + real.tv_nsec;
	uint64_t mono_us = (uint64_t)mono.tv_sec * 1000000u + (uint64_t)mono.tv_nsec / 1000u;
	for (int i = 0; i < n; i++) {
		vsock_parse_rx(af, rx.bufs[i], rx.msgs[i].msg_len,
			       &rx.msgs[i].msg_hdr, &out[i]);
		out[i].meta.rx_us = vsock_rx_mono_us(out[i].rx_real_ns, real_ns, mono_us);
	}
	return n;
}

int vsock_recv(struct vsock *vs, struct vsock_pkt *out)
{
	return recv_batch(vs->fd, vs->af, out);
}

int vsock_recv_shared(struct vsock_pkt *out)
{
	return vrx.fd < 0 ? 0 : recv_batch(vrx.fd, AF_INET, out);
}
