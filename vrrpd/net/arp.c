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

/* ---- the queue of one loop iteration ---- */

struct announce {
	int ifindex;
	uint8_t mac[6];
	struct vaddr vip;
	unsigned count;     /* copies asked for */
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
	/* a burst asks for its copies one after the other */
	if (last && last->ifindex == ifindex && memcmp(last->mac, mac, 6) == 0 &&
	    vaddr_cmp(&last->vip, vip) == 0) {
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

#define GARP_BATCH 64

/* Send the IPv4 frames of round `round` from idx on, up to GARP_BATCH per
 * sendmmsg(2); a frame the kernel refuses is reported and skipped. */
static size_t flush_garps(unsigned round, announce_fail_fn fail, void *arg)
{
	struct garp g[GARP_BATCH];
	struct mmsghdr mm[GARP_BATCH];
	struct iovec iov[GARP_BATCH];
	const struct announce *who[GARP_BATCH];
	size_t sent = 0, i = 0;

	while (i < nqueue) {
		int n = 0;
		for (; i < nqueue && n < GARP_BATCH; i++) {
			const struct announce *a = &queue[i];
			if (a->vip.af != AF_INET || a->count <= round)
				continue;
			garp_build(&g[n], a->ifindex, a->mac, &a->vip);
			iov[n] = (struct iovec){ g[n].frame, sizeof(g[n].frame) };
			mm[n] = (struct mmsghdr){ .msg_hdr = {
				.msg_name = &g[n].to, .msg_namelen = sizeof(g[n].to),
				.msg_iov = &iov[n], .msg_iovlen = 1 } };
			who[n++] = a;
		}
		for (int k = 0; k < n;) {
			int r = sendmmsg(packet_fd, mm + k, (unsigned)(n - k), 0);
			if (r < 0) {
				/* only the first frame's fate is known: report it, go on */
				if (fail)
					fail(arg, who[k]->ifindex, &who[k]->vip, errno);
				k++;
				continue;
			}
			sent += (size_t)r;
			k += r;
		}
	}
	return sent;
}

size_t announce_flush(announce_fail_fn fail, void *arg)
{
	unsigned rounds = 0;
	size_t sent = 0;

	if (!nqueue)
		return 0;
	for (size_t i = 0; i < nqueue; i++)
		if (queue[i].count > rounds)
			rounds = queue[i].count;
	if (packet_socket() < 0) {
		for (size_t i = 0; i < nqueue; i++)
			if (fail && queue[i].vip.af == AF_INET)
				fail(arg, queue[i].ifindex, &queue[i].vip, errno);
	}
	/* Round by round: every address's first copy before anyone's second. */
	for (unsigned r = 0; r < rounds; r++) {
		if (packet_fd >= 0)
			sent += flush_garps(r, fail, arg);
		for (size_t i = 0; i < nqueue; i++) {
			const struct announce *a = &queue[i];
			if (a->vip.af != AF_INET6 || a->count <= r)
				continue;
			if (send_unsolicited_na(a->ifindex, a->mac, &a->vip) < 0) {
				if (fail)
					fail(arg, a->ifindex, &a->vip, errno);
			} else {
				sent++;
			}
		}
	}
	nqueue = 0;
	return sent;
}

void announce_reset(void)
{
	free(queue);
	queue = NULL;
	nqueue = capqueue = 0;
}
