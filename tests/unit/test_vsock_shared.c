/* The shared advert sender and receiver of IPv4 sockets on virtual MACs
 * (vrrpd/net/vsock.c), against the kernel: two interfaces of a private
 * network namespace (a veth pair), a socket on each, their adverts queued
 * on the one shared socket and sent in one flush; packet sockets read back
 * what left on each interface, and the shared receiver what arrived.
 *
 * What is checked: a socket that sends shared queues nothing of its own;
 * one flush sends every queued advert, each on its own socket's interface
 * with the source, TTL and protocol it was given, a multicast one as a
 * frame from the interface's MAC to the group's MAC with a valid IP
 * header checksum, a unicast one through IP to the neighbour's MAC; flushing a member
 * socket flushes the shared queue (the priority-0 adverts at shutdown);
 * the shared sockets go away with their last member. The receiver gets
 * the adverts that arrive on a virtual-MAC socket's interface, tagged
 * with it, and its filter keeps out those of an interface with a socket
 * of its own. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/ip.h>
#include <poll.h>
#include <netlink/netlink.h>
#include <netlink/route/link.h>
#include <netlink/route/link/veth.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "log.h"
#include "vsock.h"

static const char *skip;
static int ifa, ifb, cap_a = -1, cap_b = -1;
/* of the last frame left() saw, and how many had a bad IP checksum */
static uint8_t last_src_mac[ETH_ALEN], last_dst_mac[ETH_ALEN];
static int bad_cksum;
static uint8_t mac_a[ETH_ALEN], mac_b[ETH_ALEN];

static int hwaddr(const char *name, uint8_t *mac)
{
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM, 0), rc = -1;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (fd >= 0 && ioctl(fd, SIOCGIFHWADDR, &ifr) == 0) {
		memcpy(mac, ifr.ifr_hwaddr.sa_data, ETH_ALEN);
		rc = 0;
	}
	if (fd >= 0)
		close(fd);
	return rc;
}

/* 10.0.0.100/24 on sha (not the adverts' sources: an arrival from a local
 * address would be a martian) and 10.0.0.2 a permanent neighbour there with shb's
 * MAC: a unicast advert from sha leaves without ARP. */
static int unicast_setup(void)
{
	struct ifreq ifr = { 0 };
	struct arpreq ar = { 0 };
	struct sockaddr_in *sin = (struct sockaddr_in *)&ifr.ifr_addr;
	int fd = socket(AF_INET, SOCK_DGRAM, 0), rc = -1;

	if (fd < 0)
		return -1;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "sha");
	sin->sin_family = AF_INET;
	inet_pton(AF_INET, "10.0.0.100", &sin->sin_addr);
	if (ioctl(fd, SIOCSIFADDR, &ifr) < 0)
		goto out;
	inet_pton(AF_INET, "255.255.255.0", &sin->sin_addr);
	if (ioctl(fd, SIOCSIFNETMASK, &ifr) < 0)
		goto out;
	sin = (struct sockaddr_in *)&ar.arp_pa;
	sin->sin_family = AF_INET;
	inet_pton(AF_INET, "10.0.0.2", &sin->sin_addr);
	ar.arp_ha.sa_family = ARPHRD_ETHER;
	memcpy(ar.arp_ha.sa_data, mac_b, ETH_ALEN);
	ar.arp_flags = ATF_PERM | ATF_COM;
	snprintf(ar.arp_dev, sizeof(ar.arp_dev), "sha");
	rc = ioctl(fd, SIOCSARP, &ar);
out:
	close(fd);
	return rc;
}

static int up(const char *name)
{
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM, 0), rc = -1;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (fd >= 0 && ioctl(fd, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP;
		rc = ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	if (fd >= 0)
		close(fd);
	return rc;
}

static int capture(int ifindex)
{
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK, htons(ETH_P_ALL));
	struct sockaddr_ll sll = { .sll_family = AF_PACKET,
				   .sll_protocol = htons(ETH_P_ALL),
				   .sll_ifindex = ifindex };
	if (fd < 0 || bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		return -1;
	return fd;
}

static int group_setup(void **state)
{
	(void)state;
	if (skip)
		return 0;
	struct nl_sock *sk = nl_socket_alloc();
	if (!sk || nl_connect(sk, NETLINK_ROUTE) < 0 ||
	    rtnl_link_veth_add(sk, "sha", "shb", getpid()) < 0)
		return -1;
	nl_socket_free(sk);
	if (up("sha") < 0 || up("shb") < 0)
		return -1;
	ifa = (int)if_nametoindex("sha");
	ifb = (int)if_nametoindex("shb");
	if (hwaddr("sha", mac_a) < 0 || hwaddr("shb", mac_b) < 0 || unicast_setup() < 0)
		return -1;
	cap_a = capture(ifa);
	cap_b = capture(ifb);
	return ifa && ifb && cap_a >= 0 && cap_b >= 0 ? 0 : -1;
}

static int group_teardown(void **state)
{
	(void)state;
	if (cap_a >= 0)
		close(cap_a);
	if (cap_b >= 0)
		close(cap_b);
	return 0;
}

/* The sources of the VRRP packets that left on the capture's interface
 * since the last call (n of them, up to max), with their TTL. */
static size_t left(int fd, uint32_t *src, uint8_t *ttl, size_t max)
{
	uint8_t f[256];
	struct sockaddr_ll from;
	socklen_t fl;
	size_t n = 0;

	for (;;) {
		fl = sizeof(from);
		ssize_t r = recvfrom(fd, f, sizeof(f), 0, (struct sockaddr *)&from, &fl);
		if (r < 0)
			break;
		if (from.sll_pkttype != PACKET_OUTGOING || from.sll_protocol != htons(ETH_P_IP) ||
		    r < 14 + 20)
			continue;
		struct iphdr ip; /* the frame's IP header is not 4-byte aligned */
		memcpy(&ip, f + 14, sizeof(ip));
		if (ip.protocol != VRRP_IPPROTO)
			continue;
		if (vrrp_cksum(&ip, sizeof(ip), 0) != 0)
			bad_cksum++;
		memcpy(last_dst_mac, f, ETH_ALEN);
		memcpy(last_src_mac, f + ETH_ALEN, ETH_ALEN);
		if (n < max) {
			src[n] = ntohl(ip.saddr);
			ttl[n] = ip.ttl;
		}
		n++;
	}
	return n;
}

static struct vaddr v4(const char *s)
{
	struct vaddr a = { .af = AF_INET };
	inet_pton(AF_INET, s, &a.u.v4);
	return a;
}

static void test_one_flush_each_on_its_interface(void **state)
{
	(void)state;
	if (skip) {
		skip();
		return;
	}
	char err[256];
	uint32_t src[8];
	uint8_t ttl[8];
	const uint8_t payload[20] = { 0x31, 7, 100, 1 };
	struct vaddr group = v4("224.0.0.18"), sa = v4("10.0.0.1"), sb = v4("10.0.0.2");
	struct vsock *a = vsock_open_vmac4(ifa, "sha", ifa, err, sizeof(err));
	struct vsock *b = vsock_open_vmac4(ifb, "shb", ifb, err, sizeof(err));

	assert_non_null(a);
	assert_non_null(b);
	assert_true(vsock_is_shared_rx(a));
	left(cap_a, src, ttl, 0);
	left(cap_b, src, ttl, 0);

	assert_int_equal(vsock_send(a, &sa, &group, 255, payload, sizeof(payload)), 0);
	assert_int_equal(vsock_send(b, &sb, &group, 255, payload, sizeof(payload)), 0);
	assert_int_equal(vsock_send(a, &sa, &group, 255, payload, sizeof(payload)), 0);
	assert_int_equal(vsock_pending(a), 0);
	assert_int_equal(vsock_pending(b), 0);
	assert_int_equal(vsock_pending_shared(), 3);
	assert_int_equal(vsock_pending_total(), 3);
	assert_int_equal(vsock_flush_shared(), 0);
	assert_int_equal(vsock_pending_total(), 0);
	assert_int_equal(vsock_pending_shared(), 0);

	assert_int_equal(left(cap_a, src, ttl, 8), 2);
	assert_int_equal(src[0], 0x0a000001);
	assert_int_equal(src[1], 0x0a000001);
	assert_int_equal(ttl[0], 255);
	assert_int_equal(left(cap_b, src, ttl, 8), 1);
	assert_int_equal(src[0], 0x0a000002);
	/* as a frame from the interface's own MAC to 224.0.0.18's */
	assert_memory_equal(last_src_mac, mac_b, ETH_ALEN);
	assert_memory_equal(last_dst_mac, ((uint8_t[]){ 1, 0, 0x5e, 0, 0, 0x12 }), ETH_ALEN);
	assert_int_equal(bad_cksum, 0);

	/* unicast: through IP, to the neighbour's MAC, in the same flush */
	struct vaddr peer = v4("10.0.0.2");
	assert_int_equal(vsock_send(a, &sa, &peer, 255, payload, sizeof(payload)), 0);
	assert_int_equal(vsock_send(b, &sb, &group, 255, payload, sizeof(payload)), 0);
	assert_int_equal(vsock_pending_shared(), 2);
	assert_int_equal(vsock_flush_shared(), 0);
	assert_int_equal(left(cap_a, src, ttl, 8), 1);
	assert_int_equal(src[0], 0x0a000001);
	assert_memory_equal(last_dst_mac, mac_b, ETH_ALEN);
	assert_memory_equal(last_src_mac, mac_a, ETH_ALEN);
	assert_int_equal(left(cap_b, src, ttl, 8), 1);
	assert_int_equal(bad_cksum, 0);

	/* a member's own flush (a stop's priority-0 advert) empties the queue */
	assert_int_equal(vsock_send(b, &sb, &group, 255, payload, sizeof(payload)), 0);
	assert_int_equal(vsock_flush(b), 0);
	assert_int_equal(vsock_pending_shared(), 0);
	assert_int_equal(left(cap_b, src, ttl, 8), 1);

	/* queued at close: sent as the last member goes */
	assert_int_equal(vsock_send(a, &sa, &group, 255, payload, sizeof(payload)), 0);
	vsock_close(b);
	assert_int_equal(vsock_pending_shared(), 1);
	assert_int_not_equal(vsock_shared_rx_fd(), -1);
	vsock_close(a);
	assert_int_equal(vsock_pending_shared(), 0);
	assert_int_equal(vsock_shared_rx_fd(), -1);
	assert_int_equal(left(cap_a, src, ttl, 8), 1);
}

/* The shared receiver's packets, waiting up to 1 s for the first (veth
 * delivers before the send returns; the wait only bounds a failure). */
static int arrived(struct vsock_pkt *out)
{
	struct pollfd p = { .fd = vsock_shared_rx_fd(), .events = POLLIN };
	if (poll(&p, 1, 1000) <= 0)
		return 0;
	return vsock_recv_shared(out);
}

static void test_shared_receiver_by_interface(void **state)
{
	(void)state;
	if (skip) {
		skip();
		return;
	}
	char err[256];
	const uint8_t payload[20] = { 0x31, 7, 100, 1 };
	struct vaddr group = v4("224.0.0.18"), sa = v4("10.0.0.1"), sb = v4("10.0.0.2");
	struct vsock_pkt pkts[VSOCK_BATCH];
	/* sha: a virtual MAC's socket; shb: a plain socket of its own */
	struct vsock *a = vsock_open_vmac4(ifa, "sha", ifa, err, sizeof(err));
	struct vsock *b = vsock_open(ifb, "shb", AF_INET, err, sizeof(err));

	assert_non_null(a);
	assert_non_null(b);
	assert_false(vsock_is_shared_rx(b));
	assert_int_equal(vsock_join(a, &group, err, sizeof(err)), 0);
	assert_int_equal(vsock_join(b, &group, err, sizeof(err)), 0);
	vsock_shared_rx_sync();

	/* a -> the wire of sha -> arrives on shb: b's, not the receiver's */
	assert_int_equal(vsock_send(a, &sa, &group, 255, payload, sizeof(payload)), 0);
	assert_int_equal(vsock_flush_shared(), 0);
	struct pollfd pb = { .fd = vsock_fd(b), .events = POLLIN };
	assert_int_equal(poll(&pb, 1, 1000), 1);
	assert_int_equal(vsock_recv(b, pkts), 1);
	assert_int_equal(ntohl(pkts[0].meta.src.u.v4.s_addr), 0x0a000001);

	/* b -> arrives on sha: the receiver's, tagged with sha */
	assert_int_equal(vsock_send(b, &sb, &group, 255, payload, sizeof(payload)), 0);
	assert_int_equal(vsock_flush(b), 0);
	assert_int_equal(arrived(pkts), 1);
	assert_int_equal(pkts[0].ifindex, ifa);
	assert_false(pkts[0].bad_ip);
	assert_int_equal(ntohl(pkts[0].meta.src.u.v4.s_addr), 0x0a000002);
	assert_int_equal(pkts[0].len, sizeof(payload));
	assert_int_equal(pkts[0].meta.ttl, 255);
	/* the kernel's receive stamp, as monotonic time, before now */
	struct timespec mono;
	clock_gettime(CLOCK_MONOTONIC, &mono);
	uint64_t now_us = (uint64_t)mono.tv_sec * 1000000u + (uint64_t)mono.tv_nsec / 1000u;
	assert_true(pkts[0].meta.rx_us != 0);
	assert_true(pkts[0].meta.rx_us <= now_us && now_us - pkts[0].meta.rx_us < 1000000);
	/* and nothing else: the advert on shb was kept out */
	assert_int_equal(vsock_recv_shared(pkts), 0);

	/* with shb a virtual MAC too, its adverts come in, tagged shb */
	vsock_close(b);
	b = vsock_open_vmac4(ifb, "shb", ifb, err, sizeof(err));
	assert_non_null(b);
	assert_int_equal(vsock_join(b, &group, err, sizeof(err)), 0);
	vsock_shared_rx_sync();
	assert_int_equal(vsock_send(a, &sa, &group, 255, payload, sizeof(payload)), 0);
	assert_int_equal(vsock_flush_shared(), 0);
	assert_int_equal(arrived(pkts), 1);
	assert_int_equal(pkts[0].ifindex, ifb);
	vsock_close(a);
	vsock_close(b);
	assert_int_equal(vsock_shared_rx_fd(), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_flush_each_on_its_interface),
		cmocka_unit_test(test_shared_receiver_by_interface),
	};

	if (geteuid() != 0)
		skip = "needs root for a private network namespace";
	else if (unshare(CLONE_NEWNET) < 0)
		skip = "unshare(CLONE_NEWNET) failed";
	log_init("test_vsock_shared", LOG_LVL_WARN, true);
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
