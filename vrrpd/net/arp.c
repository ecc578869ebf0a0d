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
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "vsock.h"

/* Send-only sockets (protocol 0 / never bound to receive), created once. */
static int packet_fd = -1;

int send_garp(int ifindex, const uint8_t mac[6], const struct vaddr *vip)
{
	if (vip->af != AF_INET) {
		errno = EAFNOSUPPORT;
		return -1;
	}
	if (packet_fd < 0) {
		packet_fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
		if (packet_fd < 0)
			return -1;
	}
	uint8_t frame[42];
	struct ether_header *eh = (struct ether_header *)frame;
	struct arphdr *ah = (struct arphdr *)(frame + sizeof(*eh));
	uint8_t *p = frame + sizeof(*eh) + sizeof(*ah);

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

	struct sockaddr_ll to = { .sll_family = AF_PACKET,
				  .sll_protocol = htons(ETHERTYPE_ARP),
				  .sll_ifindex = ifindex,
				  .sll_halen = ETH_ALEN };
	memset(to.sll_addr, 0xff, ETH_ALEN);
	return sendto(packet_fd, frame, sizeof(frame), 0, (struct sockaddr *)&to,
		      sizeof(to)) < 0 ? -1 : 0;
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
