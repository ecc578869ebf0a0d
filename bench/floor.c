/* The physical floor of VRRP on this machine: the least work a master and
 * a backup can do for n instances (bench/README.md, "Floor probes").
 *
 *   floor send INTERVAL_CS PRIORITY N IF...  every interval, the N adverts
 *       (VRRPv3, VRIDs 1..250 per interface, VIP 10.(100+k).0.VRID, as
 *       benchlab.scale_config) in one sendmmsg(2) per interface, on the
 *       raw IP socket vrrpd uses (IP_HDRINCL, TTL 255), on an absolute
 *       CLOCK_MONOTONIC schedule; nothing else.
 *   floor recv IF...  recvmmsg(2) on one raw socket per interface (4 MiB
 *       buffer, 224.0.0.18 joined, as vrrpd's), every packet decoded and
 *       checked with our codec (lib/vrrp_pkt.c); nothing else.
 *
 *   floor send-vmac raw|packet INTERVAL_CS PRIORITY N IF...  the same
 *       adverts for instances on virtual MACs: instance VRID of interface
 *       ethK lives on macvlan vmK.VRID (bench/features.py's names, made by
 *       the bench), source address the parent's. raw: one IPPROTO_RAW
 *       socket, each packet's macvlan named by IP_PKTINFO (what vrrpd
 *       does); packet: one AF_PACKET socket per parent, the Ethernet
 *       frame built here with the virtual MAC as source, qdisc bypassed
 *       (no routing, no macvlan transmit: the cheapest way onto the wire).
 *   floor recv-vmac N IF...  one unbound raw socket without memberships
 *       (the kernel visits each raw socket per packet, and walks a
 *       socket's membership list), the memberships of 224.0.0.18 held by
 *       one UDP socket per macvlan; recvmmsg + decode as recv.
 *
 * All run until SIGTERM/SIGINT and then print "packets N" on stdout. The
 * bench runs them in the same lab and run as vrrpd and keepalived, and
 * reports each daemon's CPU as a multiple of its floor. */
#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <netinet/ip.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "vaddr.h"
#include "vrrp_pkt.h"

#define VRIDS_PER_IF 250
#define MAX_IF 64
#define BATCH 64

static volatile sig_atomic_t stop;

static void on_signal(int s)
{
	(void)s;
	stop = 1;
}

static int primary_v4(const char *ifname, struct in_addr *out)
{
	struct ifaddrs *ifa, *i;
	int r = -1;

	if (getifaddrs(&ifa) < 0)
		return -1;
	for (i = ifa; i; i = i->ifa_next)
		if (i->ifa_addr && i->ifa_addr->sa_family == AF_INET &&
		    strcmp(i->ifa_name, ifname) == 0) {
			*out = ((struct sockaddr_in *)i->ifa_addr)->sin_addr;
			r = 0;
			break;
		}
	freeifaddrs(ifa);
	return r;
}

/* An advert's source (the interface's primary address) and destination. */
static int advert_addrs(const char *ifname, struct in_addr group, struct vaddr *src,
			struct vaddr *dst)
{
	*src = (struct vaddr){ .af = AF_INET };
	*dst = (struct vaddr){ .af = AF_INET, .u.v4 = group };
	if (primary_v4(ifname, &src->u.v4) < 0) {
		fprintf(stderr, "%s: no IPv4 address\n", ifname);
		return -1;
	}
	return 0;
}

static int raw_socket(const char *ifname, int join)
{
	int fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, 112);
	int one = 1, rcv = 4 << 20;
	struct ip_mreqn mr = { .imr_ifindex = (int)if_nametoindex(ifname) };

	if (fd < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname, (socklen_t)strlen(ifname)) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_HDRINCL, &one, sizeof(one)) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mr, sizeof(mr)) < 0) {
		perror(ifname);
		exit(1);
	}
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcv, sizeof(rcv)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	if (join) {
		inet_pton(AF_INET, "224.0.0.18", &mr.imr_multiaddr);
		if (setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof(mr)) < 0) {
			perror("IP_ADD_MEMBERSHIP");
			exit(1);
		}
	}
	return fd;
}

/* Every packet of a recvmmsg() batch decoded and checked as vrrpd would. */
static void decode_batch(uint8_t (*bufs)[256], const struct mmsghdr *mm, int r,
			 unsigned long long *got, unsigned long long *bad)
{
	for (int i = 0; i < r; i++) {
		const uint8_t *p = bufs[i];
		size_t len = mm[i].msg_len, ihl = (size_t)(p[0] & 0x0f) * 4;
		struct vrrp_rx_meta meta = { .src = { .af = AF_INET },
					     .dst = { .af = AF_INET }, .ttl = p[8] };
		struct vrrp_adv adv;
		if (len < ihl + 8) {
			(*bad)++;
			continue;
		}
		memcpy(&meta.src.u.v4, p + 12, 4);
		memcpy(&meta.dst.u.v4, p + 16, 4);
		if (vrrp_decode(p + ihl, len - ihl, &meta, &adv) == VRRP_OK)
			(*got)++;
		else
			(*bad)++;
	}
}

/* Sleep until the next interval of the absolute schedule. */
static void sleep_interval(struct timespec *next, int cs)
{
	next->tv_nsec += cs * 10000000L;
	while (next->tv_nsec >= 1000000000L) {
		next->tv_nsec -= 1000000000L;
		next->tv_sec++;
	}
	while (!stop && clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, next, NULL) == EINTR)
		;
}

/* How many of the n instances live on interface k. */
static int count_on(int n, int k)
{
	int c = n - k * VRIDS_PER_IF;
	return c > VRIDS_PER_IF ? VRIDS_PER_IF : c < 0 ? 0 : c;
}

/* The IP packet of instance v of interface k's advert (VIP 10.(100+k).0.v+1)
 * into ipb (at least 20 + 64 bytes, any alignment); returns its length. */
static size_t ip_advert(uint8_t *ipb, int k, int v, int prio, int cs,
			const struct vaddr *src, const struct vaddr *dst)
{
	struct vrrp_adv adv = { .version = 3, .type = VRRP_TYPE_ADVERT,
				.vrid = (uint8_t)(v + 1), .priority = (uint8_t)prio,
				.naddr = 1, .interval_cs = (uint16_t)cs };
	struct iphdr ip;

	adv.addrs[0].af = AF_INET;
	adv.addrs[0].u.v4.s_addr = htonl((10u << 24) | ((100u + (unsigned)k) << 16) |
					 (unsigned)(v + 1));
	size_t l = vrrp_encode(ipb + 20, 64, &adv, src, dst);
	ip = (struct iphdr){ .version = 4, .ihl = 5, .ttl = 255, .protocol = 112,
			     .tos = IPTOS_PREC_INTERNETCONTROL,
			     .tot_len = htons((uint16_t)(20 + l)),
			     .saddr = src->u.v4.s_addr, .daddr = dst->u.v4.s_addr };
	memcpy(ipb, &ip, sizeof(ip));
	return 20 + l;
}

struct pkt {
	uint8_t buf[20 + 64];
	size_t len;
};

static int do_send(int cs, int prio, int n, char **ifs, int nif)
{
	struct sockaddr_in to = { .sin_family = AF_INET };
	struct timespec next;
	unsigned long long sent = 0;
	int fds[MAX_IF], counts[MAX_IF];
	struct pkt *pk[MAX_IF];

	inet_pton(AF_INET, "224.0.0.18", &to.sin_addr);
	for (int k = 0; k < nif; k++) {
		struct vaddr src, dst;
		if (advert_addrs(ifs[k], to.sin_addr, &src, &dst) < 0)
			return 1;
		fds[k] = raw_socket(ifs[k], 0);
		counts[k] = count_on(n, k);
		pk[k] = calloc((size_t)VRIDS_PER_IF, sizeof(struct pkt));
		for (int v = 0; v < counts[k]; v++)
			pk[k][v].len = ip_advert(pk[k][v].buf, k, v, prio, cs, &src, &dst);
	}
	clock_gettime(CLOCK_MONOTONIC, &next);
	while (!stop) {
		for (int k = 0; k < nif; k++) {
			for (int v0 = 0; v0 < counts[k]; v0 += BATCH) {
				struct mmsghdr mm[BATCH];
				struct iovec iov[BATCH];
				int m = 0;
				for (int v = v0; v < counts[k] && m < BATCH; v++, m++) {
					iov[m] = (struct iovec){ pk[k][v].buf, pk[k][v].len };
					mm[m] = (struct mmsghdr){ .msg_hdr = {
						.msg_name = &to, .msg_namelen = sizeof(to),
						.msg_iov = &iov[m], .msg_iovlen = 1 } };
				}
				int r = sendmmsg(fds[k], mm, (unsigned)m, 0);
				if (r > 0)
					sent += (unsigned)r;
			}
		}
		sleep_interval(&next, cs);
	}
	printf("packets %llu\n", sent);
	return 0;
}

static int do_recv(char **ifs, int nif)
{
	struct pollfd pf[MAX_IF];
	unsigned long long got = 0, bad = 0;
	static uint8_t bufs[BATCH][256];

	for (int k = 0; k < nif; k++)
		pf[k] = (struct pollfd){ .fd = raw_socket(ifs[k], 1), .events = POLLIN };
	while (!stop) {
		if (poll(pf, (nfds_t)nif, -1) < 0)
			continue;
		for (int k = 0; k < nif; k++) {
			if (!(pf[k].revents & POLLIN))
				continue;
			struct mmsghdr mm[BATCH];
			struct iovec iov[BATCH];
			for (int i = 0; i < BATCH; i++) {
				iov[i] = (struct iovec){ bufs[i], sizeof(bufs[i]) };
				mm[i] = (struct mmsghdr){ .msg_hdr = { .msg_iov = &iov[i],
								      .msg_iovlen = 1 } };
			}
			int r = recvmmsg(pf[k].fd, mm, BATCH, MSG_DONTWAIT, NULL);
			decode_batch(bufs, mm, r, &got, &bad);
		}
	}
	printf("packets %llu bad %llu\n", got, bad);
	return 0;
}

static uint16_t ip_cksum(const uint8_t *p, size_t n)
{
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* vmK.VRID for parent ethK, as bench/features.py names them. */
static void vmac_name(const char *parent, int vrid, char *out, size_t len)
{
	snprintf(out, len, "vm%s.%d", parent + 3, vrid);
}

struct vpkt {
	uint8_t buf[14 + 20 + 64];
	size_t len;
	int ifindex; /* the macvlan's */
};

static int do_send_vmac(int packet, int cs, int prio, int n, char **ifs, int nif)
{
	static const uint8_t mcast_mac[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x12 };
	struct sockaddr_in to = { .sin_family = AF_INET };
	struct timespec next;
	unsigned long long sent = 0;
	int fds[MAX_IF], counts[MAX_IF], parent_ix[MAX_IF], raw = -1, one = 1;
	struct vpkt *pk[MAX_IF];

	inet_pton(AF_INET, "224.0.0.18", &to.sin_addr);
	if (!packet && ((raw = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW)) < 0 ||
			setsockopt(raw, IPPROTO_IP, IP_MULTICAST_LOOP, &(int){ 0 }, sizeof(int)) < 0)) {
		perror("IPPROTO_RAW");
		return 1;
	}
	for (int k = 0; k < nif; k++) {
		struct vaddr src, dst;
		if (advert_addrs(ifs[k], to.sin_addr, &src, &dst) < 0)
			return 1;
		parent_ix[k] = (int)if_nametoindex(ifs[k]);
		if (packet) {
			struct sockaddr_ll ll = { .sll_family = AF_PACKET, .sll_ifindex = parent_ix[k] };
			fds[k] = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
			if (fds[k] < 0 || bind(fds[k], (struct sockaddr *)&ll, sizeof(ll)) < 0 ||
			    setsockopt(fds[k], SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one)) < 0) {
				perror("AF_PACKET");
				return 1;
			}
		}
		counts[k] = count_on(n, k);
		pk[k] = calloc((size_t)VRIDS_PER_IF, sizeof(struct vpkt));
		for (int v = 0; v < counts[k]; v++) {
			struct vpkt *q = &pk[k][v];
			uint8_t *ipb = q->buf + (packet ? 14 : 0);
			char name[IF_NAMESIZE + 8];

			vmac_name(ifs[k], v + 1, name, sizeof(name));
			if (!(q->ifindex = (int)if_nametoindex(name))) {
				fprintf(stderr, "%s: no such macvlan\n", name);
				return 1;
			}
			size_t l = ip_advert(ipb, k, v, prio, cs, &src, &dst);
			if (packet) {
				uint16_t c = ip_cksum(ipb, 20), et = htons(ETHERTYPE_IP);
				ipb[10] = (uint8_t)(c >> 8);
				ipb[11] = (uint8_t)c;
				memcpy(q->buf, mcast_mac, 6);
				memcpy(q->buf + 6, (uint8_t[6]){ 0x00, 0x00, 0x5e, 0x00, 0x01,
								 (uint8_t)(v + 1) }, 6);
				memcpy(q->buf + 12, &et, 2);
			}
			q->len = (packet ? 14 : 0) + l;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &next);
	while (!stop) {
		for (int k = 0; k < nif; k++) {
			for (int v0 = 0; v0 < counts[k]; v0 += BATCH) {
				struct mmsghdr mm[BATCH];
				struct iovec iov[BATCH];
				union {
					struct cmsghdr h;
					uint8_t b[CMSG_SPACE(sizeof(struct in_pktinfo))];
				} ctl[BATCH];
				int m = 0;
				for (int v = v0; v < counts[k] && m < BATCH; v++, m++) {
					iov[m] = (struct iovec){ pk[k][v].buf, pk[k][v].len };
					mm[m] = (struct mmsghdr){ .msg_hdr = {
						.msg_iov = &iov[m], .msg_iovlen = 1 } };
					if (packet)
						continue;
					struct in_pktinfo pi = { .ipi_ifindex = pk[k][v].ifindex };
					memset(&ctl[m], 0, sizeof(ctl[m]));
					ctl[m].h.cmsg_level = IPPROTO_IP;
					ctl[m].h.cmsg_type = IP_PKTINFO;
					ctl[m].h.cmsg_len = CMSG_LEN(sizeof(pi));
					memcpy(CMSG_DATA(&ctl[m].h), &pi, sizeof(pi));
					mm[m].msg_hdr.msg_name = &to;
					mm[m].msg_hdr.msg_namelen = sizeof(to);
					mm[m].msg_hdr.msg_control = ctl[m].b;
					mm[m].msg_hdr.msg_controllen = sizeof(ctl[m].b);
				}
				int r = sendmmsg(packet ? fds[k] : raw, mm, (unsigned)m, 0);
				if (r > 0)
					sent += (unsigned)r;
			}
		}
		sleep_interval(&next, cs);
	}
	printf("packets %llu\n", sent);
	return 0;
}

static int do_recv_vmac(int n, char **ifs, int nif)
{
	struct pollfd pf = { .events = POLLIN };
	unsigned long long got = 0, bad = 0;
	static uint8_t bufs[BATCH][256];
	int rcv = 4 << 20;

	pf.fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, 112);
	if (pf.fd < 0) {
		perror("raw socket");
		return 1;
	}
	if (setsockopt(pf.fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcv, sizeof(rcv)) < 0)
		setsockopt(pf.fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	for (int k = 0; k < nif; k++)
		for (int v = 0; v < VRIDS_PER_IF && k * VRIDS_PER_IF + v < n; v++) {
			char name[IF_NAMESIZE + 8];
			struct ip_mreqn mr = { .imr_ifindex = 0 };
			int u = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

			vmac_name(ifs[k], v + 1, name, sizeof(name));
			mr.imr_ifindex = (int)if_nametoindex(name);
			inet_pton(AF_INET, "224.0.0.18", &mr.imr_multiaddr);
			if (u < 0 || !mr.imr_ifindex ||
			    setsockopt(u, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof(mr)) < 0) {
				perror(name);
				return 1;
			}
		}
	while (!stop) {
		if (poll(&pf, 1, -1) < 0)
			continue;
		struct mmsghdr mm[BATCH];
		struct iovec iov[BATCH];
		for (int i = 0; i < BATCH; i++) {
			iov[i] = (struct iovec){ bufs[i], sizeof(bufs[i]) };
			mm[i] = (struct mmsghdr){ .msg_hdr = { .msg_iov = &iov[i], .msg_iovlen = 1 } };
		}
		int r = recvmmsg(pf.fd, mm, BATCH, MSG_DONTWAIT, NULL);
		decode_batch(bufs, mm, r, &got, &bad);
	}
	printf("packets %llu bad %llu\n", got, bad);
	return 0;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 6 && strcmp(argv[1], "send") == 0 && argc - 5 <= MAX_IF)
		return do_send(atoi(argv[2]), atoi(argv[3]), atoi(argv[4]), argv + 5, argc - 5);
	if (argc >= 3 && strcmp(argv[1], "recv") == 0 && argc - 2 <= MAX_IF)
		return do_recv(argv + 2, argc - 2);
	if (argc >= 7 && strcmp(argv[1], "send-vmac") == 0 && argc - 6 <= MAX_IF &&
	    (strcmp(argv[2], "raw") == 0 || strcmp(argv[2], "packet") == 0))
		return do_send_vmac(strcmp(argv[2], "packet") == 0, atoi(argv[3]), atoi(argv[4]),
				    atoi(argv[5]), argv + 6, argc - 6);
	if (argc >= 4 && strcmp(argv[1], "recv-vmac") == 0 && argc - 3 <= MAX_IF)
		return do_recv_vmac(atoi(argv[2]), argv + 3, argc - 3);
	fprintf(stderr, "usage: floor send INTERVAL_CS PRIORITY N IF... | floor recv IF...\n"
		"       floor send-vmac raw|packet INTERVAL_CS PRIORITY N IF... | "
		"floor recv-vmac N IF...\n");
	return 2;
}
