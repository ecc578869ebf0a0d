/* Gratuitous ARP (RFC 5227 style ARP request with sender = target = VIP)
 * and unsolicited neighbour advertisements (RFC 4861 7.2.6), sent when an
 * instance becomes master so switches and hosts learn the new owner. */
#include <errno.h>
#include <net/ethernet.h>
#include <net/if_arp.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "vsock.h"

/* Send-only sockets (protocol 0 / never bound to receive), created once. */
static int packet_fd = -1;

static int packet_socket(void)
{
	if (packet_fd < 0)
		packet_fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	return packet_fd;
}

struct garp {
	uint8_t frame[42];
	struct sockaddr_ll to;
};

static void garp_build(struct garp *g, int ifindex, const uint8_t mac[6],
		       const struct vaddr *vip)
{
	struct ether_header *eh = (struct ether_header *)g->frame;
	struct arphdr *ah = (struct arphdr *)(g->frame + sizeof(*eh));
	uint8_t *p = g->frame + sizeof(*eh) + sizeof(*ah);

	memset(eh->ether_dhost, 0xff, ETH_ALEN);
	memcpy(eh->ether_shost, mac, ETH_ALEN);
	eh->ether_type = htons(ETHERTYPE_ARP);
	ah->ar_hrd = htons(ARPHRD_ETHER);
	ah->ar_pro = htons(ETHERTYPE_IP);
	ah->ar_hln = ETH_ALEN;
	ah->ar_pln = 4;
	ah->ar_op = htons(ARPOP_REQUEST);
	memcpy(p, mac, ETH_ALEN);            /* sender hardware address */
	memcpy(p + 6, &vip->u.v4, 4);        /* sender protocol address */
	memset(p + 10, 0xff, ETH_ALEN);      /* target hardware address */
	memcpy(p + 16, &vip->u.v4, 4);       /* target protocol address */
	g->to = (struct sockaddr_ll){ .sll_family = AF_PACKET,
				      .sll_protocol = htons(ETHERTYPE_ARP),
				      .sll_ifindex = ifindex,
				      .sll_halen = ETH_ALEN };
	memset(g->to.sll_addr, 0xff, ETH_ALEN);
}

int send_garp(int ifindex, const uint8_t mac[6], const struct vaddr *vip)
{
	struct garp g;

	if (vip->af != AF_INET) {
		errno = EAFNOSUPPORT;
		return -1;
	}
	if (packet_socket() < 0)
		return -1;
	garp_build(&g, ifindex, mac, vip);
	return sendto(packet_fd, g.frame, sizeof(g.frame), 0,
		      (struct sockaddr *)&g.to, sizeof(g.to)) < 0 ? -1 : 0;
}

static int icmp6_fd = -1;

int send_unsolicited_na(int ifindex, const uint8_t mac[6],
			const struct vaddr *vip)
{
	if (vip->af != AF_INET6) {
		errno = EAFNOSUPPORT;
		return -1;
	}
	if (icmp6_fd < 0) {
		icmp6_fd = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMPV6);
		if (icmp6_fd < 0)
			return -1;
		int hops = 255;
		setsockopt(icmp6_fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops,
			   sizeof(hops));
		/* Don't receive anything on this socket. */
		struct icmp6_filter f;
		ICMP6_FILTER_SETBLOCKALL(&f);
		setsockopt(icmp6_fd, IPPROTO_ICMPV6, ICMP6_FILTER, &f, sizeof(f));
	}
	struct {
		struct nd_neighbor_advert na;
		struct nd_opt_hdr opt;
		uint8_t lladdr[6];
	} __attribute__((packed)) msg;
	memset(&msg, 0, sizeof(msg));
	msg.na.nd_na_type = ND_NEIGHBOR_ADVERT;
	msg.na.nd_na_flags_reserved = ND_NA_FLAG_OVERRIDE | ND_NA_FLAG_ROUTER;
	msg.na.nd_na_target = vip->u.v6;
	msg.opt.nd_opt_type = ND_OPT_TARGET_LINKADDR;
	msg.opt.nd_opt_len = 1; /* units of 8 bytes */
	memcpy(msg.lladdr, mac, 6);

	struct sockaddr_in6 to = { .sin6_family = AF_INET6,
				   .sin6_scope_id = (uint32_t)ifindex };
	inet_pton(AF_INET6, "ff02::1", &to.sin6_addr);
	if (setsockopt(icmp6_fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &ifindex,
		       sizeof(ifindex)) < 0)
		return -1;
	/* The kernel computes the ICMPv6 checksum on raw ICMPv6 sockets. */
	return sendto(icmp6_fd, &msg, sizeof(msg), 0, (struct sockaddr *)&to,
		      sizeof(to)) < 0 ? -1 : 0;
}

/* ---- the queue ---- */

struct announce {
	int ifindex;
	uint8_t mac[6];
	struct vaddr vip;
	unsigned count;     /* copies asked for */
	unsigned sent;      /* copies sent */
	uint64_t next_us;   /* the next copy not before (monotonic µs) */
};

static struct announce *queue;
static size_t nqueue, capqueue;

int announce_queue(int ifindex, const uint8_t mac[6], const struct vaddr *vip)
{
	struct announce *last = nqueue ? &queue[nqueue - 1] : NULL;

	if (vip->af != AF_INET && vip->af != AF_INET6) {
		errno = EAFNOSUPPORT;
		return -1;
	}
	/* a burst asks for its copies one after the other; a burst already
	 * under way is not joined: the new one's first copy goes at once */
	if (last && last->sent == 0 && last->ifindex == ifindex &&
	    memcmp(last->mac, mac, 6) == 0 && vaddr_cmp(&last->vip, vip) == 0) {
		last->count++;
		return 0;
	}
	if (nqueue == capqueue) {
		size_t cap = capqueue ? capqueue * 2 : 256;
		struct announce *q;
		if (cap > ANNOUNCE_QUEUE_MAX ||
		    !(q = realloc(queue, cap * sizeof(*q))))
			/* no room: at once, as before there was a queue */
			return vip->af == AF_INET6 ? send_unsolicited_na(ifindex, mac, vip)
						   : send_garp(ifindex, mac, vip);
		queue = q;
		capqueue = cap;
	}
	queue[nqueue++] = (struct announce){ .ifindex = ifindex, .vip = *vip, .count = 1 };
	memcpy(queue[nqueue - 1].mac, mac, 6);
	return 0;
}

void announce_cancel(int ifindex, const struct vaddr *vip)
{
	for (size_t i = 0; i < nqueue; i++)
		if (queue[i].ifindex == ifindex && vaddr_cmp(&queue[i].vip, vip) == 0)
			queue[i].sent = queue[i].count; /* dropped at the next flush */
}

#define GARP_BATCH 64

static uint64_t flush_now_us;  /* the time of the announce_flush() running */
static uint64_t flush_hold_us; /* its hold_until_us */

/* When a repeat copy due at next_us may leave: not while takeovers hold
 * the repeats back, but never more than ANNOUNCE_HOLD_MAX_US late. */
static uint64_t repeat_at(uint64_t next_us)
{
	uint64_t latest = next_us + ANNOUNCE_HOLD_MAX_US;

	if (next_us >= flush_hold_us)
		return next_us;
	return flush_hold_us < latest ? flush_hold_us : latest;
}

static bool due(const struct announce *a, unsigned round)
{
	return a->sent == round && a->count > round &&
	       (round == 0 || repeat_at(a->next_us) <= flush_now_us);
}

static void copy_sent(struct announce *a)
{
	a->sent++;
	a->next_us = flush_now_us + ANNOUNCE_REPEAT_GAP_US;
}

/* A copy the kernel refused: reported once, the address's other copies
 * are dropped (the next ones would fail the same way). */
static void refused(struct announce *a, int err, announce_fail_fn fail, void *arg)
{
	if (fail)
		fail(arg, a->ifindex, &a->vip, err);
	a->sent = a->count;
}

/* Send copy number `round` of every IPv4 address that is due for it, up to
 * *budget frames, GARP_BATCH per sendmmsg(2). Without a packet socket
 * announce_flush() has refused every IPv4 address: none is due here. */
static void flush_garps(unsigned round, size_t *budget, announce_fail_fn fail,
			void *arg)
{
	struct garp g[GARP_BATCH];
	struct mmsghdr mm[GARP_BATCH];
	struct iovec iov[GARP_BATCH];
	struct announce *who[GARP_BATCH];
	size_t i = 0;

	while (i < nqueue && *budget) {
		int n = 0;
		for (; i < nqueue && n < GARP_BATCH && (size_t)n < *budget; i++) {
			struct announce *a = &queue[i];
			if (a->vip.af != AF_INET || !due(a, round))
				continue;
			garp_build(&g[n], a->ifindex, a->mac, &a->vip);
			iov[n] = (struct iovec){ g[n].frame, sizeof(g[n].frame) };
			mm[n] = (struct mmsghdr){ .msg_hdr = {
				.msg_name = &g[n].to, .msg_namelen = sizeof(g[n].to),
				.msg_iov = &iov[n], .msg_iovlen = 1 } };
			who[n++] = a;
		}
		*budget -= (size_t)n;
		for (int k = 0; k < n;) {
			int r = sendmmsg(packet_fd, mm + k, (unsigned)(n - k), 0);
			if (r < 0) {
				/* only the first frame's fate is known: report it, go on */
				refused(who[k], errno, fail, arg);
				k++;
				continue;
			}
			for (int j = k; j < k + r; j++)
				copy_sent(who[j]);
			k += r;
		}
	}
}

static void flush_nas(unsigned round, size_t *budget, announce_fail_fn fail,
		      void *arg)
{
	for (size_t i = 0; i < nqueue && *budget; i++) {
		struct announce *a = &queue[i];
		if (a->vip.af != AF_INET6 || !due(a, round))
			continue;
		(*budget)--;
		if (send_unsolicited_na(a->ifindex, a->mac, &a->vip) < 0)
			refused(a, errno, fail, arg);
		else
			copy_sent(a);
	}
}

bool announce_flush(announce_fail_fn fail, void *arg, bool repeats,
		    uint64_t hold_until_us, uint64_t now_us, uint64_t *next_us)
{
	unsigned rounds = 0;
	size_t n = 0;

	if (!nqueue)
		return false;
	flush_now_us = now_us;
	flush_hold_us = hold_until_us;
	for (size_t i = 0; i < nqueue; i++)
		if (queue[i].count > rounds)
			rounds = queue[i].count;
	if (packet_socket() < 0) {
		int err = errno;
		for (size_t i = 0; i < nqueue; i++)
			if (queue[i].vip.af == AF_INET && queue[i].sent < queue[i].count)
				refused(&queue[i], err, fail, arg);
	}
	/* Every address's first copy now, whatever the number: that is the
	 * announcement RFC 5798 6.4.2 asks for. */
	size_t unbounded = SIZE_MAX;
	flush_garps(0, &unbounded, fail, arg);
	flush_nas(0, &unbounded, fail, arg);
	/* The repeats (keepalived's garp_master_repeat) ANNOUNCE_REPEAT_GAP_US
	 * apart, round by round, a bounded number per call: in a mass
	 * takeover the first copies of the takeovers still to come are not
	 * behind four repeats of each one before them. */
	size_t budget = repeats ? ANNOUNCE_REPEATS_PER_TURN : 0;
	for (unsigned r = 1; r < rounds && budget; r++) {
		flush_garps(r, &budget, fail, arg);
		flush_nas(r, &budget, fail, arg);
	}
	uint64_t next = UINT64_MAX;
	for (size_t i = 0; i < nqueue; i++)
		if (queue[i].sent < queue[i].count) {
			uint64_t at = repeat_at(queue[i].next_us);
			if (at < next)
				next = at;
			queue[n++] = queue[i];
		}
	nqueue = n;
	if (next_us)
		*next_us = next < now_us ? now_us : next;
	return nqueue > 0;
}

size_t announce_pending(void)
{
	size_t n = 0;
	for (size_t i = 0; i < nqueue; i++)
		n += queue[i].count - queue[i].sent;
	return n;
}

void announce_reset(void)
{
	free(queue);
	queue = NULL;
	nqueue = capqueue = 0;
}
