/* Raw IP protocol 112 sockets: one per interface and address family,
 * shared by every instance on it (the engine demultiplexes by VRID). */
#ifndef VRRPD_NET_VRRP_H
#define VRRPD_NET_VRRP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vaddr.h"
#include "vrrp_pkt.h"

#define VSOCK_BATCH 32
#define VSOCK_PKT_MAX 2048

struct vsock;

/* One received packet: the VRRP payload (IP header stripped) and what the
 * IP layer told us about it. */
struct vsock_pkt {
	const uint8_t *payload;
	size_t len;
	struct vrrp_rx_meta meta;
	int bad_ip; /* IPv4 header malformed: count as a length error */
	int ifindex; /* the arrival interface (IP_PKTINFO), 0 if not told */
	/* the kernel's receive time (SO_TIMESTAMPNS, CLOCK_REALTIME ns), 0 if
	 * not told; vsock_recv turns it into meta.rx_us */
	int64_t rx_real_ns;
};

struct vsock *vsock_open(int ifindex, const char *ifname, int af, char *err,
			 size_t errlen);
void vsock_close(struct vsock *vs);
int vsock_fd(const struct vsock *vs);
int vsock_af(const struct vsock *vs);
int vsock_ifindex(const struct vsock *vs);

/* Multicast membership, reference counted per group. */
int vsock_join(struct vsock *vs, const struct vaddr *group, char *err,
	       size_t errlen);
void vsock_leave(struct vsock *vs, const struct vaddr *group);

/* Queue a VRRP payload from src to dst with TTL / hop limit ttl (255 but
 * for a configured unicast TTL). Queued
 * packets leave with one sendmmsg() in vsock_flush(), which the engine calls
 * once per event-loop iteration (and vsock_send itself when the queue is
 * full). Returns 0 or -1 (errno). */
int vsock_send(struct vsock *vs, const struct vaddr *src,
	       const struct vaddr *dst, uint8_t ttl, const uint8_t *payload,
	       size_t len);
/* Send what is queued; returns the number of packets the kernel refused. */
int vsock_flush(struct vsock *vs);
int vsock_pending(const struct vsock *vs);
/* An IPv4 socket on a virtual MAC. It shares everything that costs per
 * socket with the other virtual MACs:
 * - its multicast adverts are queued on one send-only AF_PACKET socket
 *   as Ethernet frames from the socket's MAC (read from ifname) on
 *   parent_ifindex, its unicast ones on one IPPROTO_RAW socket with the
 *   interface pinned per packet (IP_PKTINFO), so a thousand of them leave
 *   in a few sendmmsg(2) calls, not one each; vsock_flush_shared() sends
 *   them (once per loop iteration) and returns the number refused;
 * - its adverts arrive on one unbound receiving socket, which tells the
 *   arrival interface (vsock_pkt.ifindex) and whose packet filter lets
 *   through only the interfaces of open virtual-MAC sockets. The kernel
 *   offers every incoming protocol-112 packet to every raw socket of the
 *   namespace in turn: with a raw socket per macvlan that walk was half
 *   the sender's CPU at 1000 virtual MACs;
 * - its own descriptor (vsock_fd) is a UDP socket that only holds the
 *   multicast memberships (vsock_join), since the macvlan must have joined
 *   224.0.0.18 for the IP layer to accept the advert. It never receives.
 * vsock_shared_rx_fd() is the receiving socket (-1 while no virtual MAC
 * is open); vsock_recv_shared() reads it as vsock_recv does;
 * vsock_shared_rx_sync() installs the filter for the current interfaces
 * (once per loop iteration; a packet read before that, or with more
 * interface ranges than a filter can hold, is the caller's to drop by
 * its ifindex). */
struct vsock *vsock_open_vmac4(int ifindex, const char *ifname,
			       int parent_ifindex, char *err, size_t errlen);
bool vsock_is_shared_rx(const struct vsock *vs);
int vsock_flush_shared(void);
int vsock_pending_shared(void);
int vsock_shared_rx_fd(void);
int vsock_recv_shared(struct vsock_pkt *out);
void vsock_shared_rx_sync(void);
/* Packets queued on all sockets, the shared sender's included. */
int vsock_pending_total(void);

/* Turn one datagram as recvmsg() returned it (n bytes in buf; for IPv6
 * also h's sender address; for both, h's control messages, from which
 * come the arrival interface, the receive stamp and for IPv6 hop limit and
 * destination) into payload + meta. Pure
 * and bounded by n, msg_namelen and msg_controllen, whatever they hold, so
 * it is unit-tested and fuzzed without a socket (fuzz/fuzz_rx.c). Sets
 * bad_ip when nothing can be trusted (short or malformed IPv4 header, no
 * IPv6 sender address). */
struct msghdr;
void vsock_parse_rx(int af, const uint8_t *buf, size_t n,
		    const struct msghdr *h, struct vsock_pkt *out);

/* A receive stamp (CLOCK_REALTIME ns) as CLOCK_MONOTONIC microseconds,
 * given both clocks read now; 0 when the stamp is missing, in the future
 * or older than VSOCK_STAMP_MAX_AGE_NS (the wall clock stepped). Pure. */
#define VSOCK_STAMP_MAX_AGE_NS 10000000000LL
uint64_t vsock_rx_mono_us(int64_t rx_real_ns, int64_t now_real_ns, uint64_t now_mono_us);

/* Read up to VSOCK_BATCH packets with one recvmmsg(); the payload pointers
 * stay valid until the next call on any socket (one receive batch serves
 * them all). Returns the count, 0 if none. */
int vsock_recv(struct vsock *vs, struct vsock_pkt *out);

/* Gratuitous ARP (IPv4) or unsolicited neighbour advertisement (IPv6) for
 * vip on ifindex with our MAC. Returns 0 or -1 (errno). */
int send_garp(int ifindex, const uint8_t mac[6], const struct vaddr *vip);
int send_unsolicited_na(int ifindex, const uint8_t mac[6],
			const struct vaddr *vip);

/* Announcements, queued as instances ask for them (a burst of N copies is
 * N calls) and sent by announce_flush() once the loop turn's adverts are
 * out: every address's first copy at once, IPv4 frames GARP_BATCH per
 * sendmmsg(2); then, if `repeats`, the repeat copies that are due: an
 * address's copies leave ANNOUNCE_REPEAT_GAP_US apart, round by round
 * (every address's second copy before anyone's third), at most
 * ANNOUNCE_REPEATS_PER_TURN frames per call (the loop's end of turn asks
 * for repeats; a flush in the middle of a turn does not). While copies
 * are left it returns true and sets *next_us to when the next one may leave:
 * the caller flushes again then. So in a mass takeover the last VIP's
 * first gratuitous ARP is behind neither the repeats of the VIPs before it
 * nor those of an earlier turn, and the repeats of one address are not
 * one burst that a congested link loses whole. No repeat leaves before
 * hold_until_us (the caller holds them while a mass takeover goes on: every
 * repeat frame delays the first copies of the takeovers still to come)
 * unless it has been due ANNOUNCE_HOLD_MAX_US already. A copy the kernel refuses
 * is reported through fail (errno value) and that address's remaining
 * copies are dropped. announce_queue returns -1 only for an unknown
 * family. Beyond ANNOUNCE_QUEUE_MAX entries it sends at once. */
#define ANNOUNCE_QUEUE_MAX 65536
#define ANNOUNCE_REPEATS_PER_TURN 256
#define ANNOUNCE_REPEAT_GAP_US 10000u
#define ANNOUNCE_HOLD_MAX_US 100000u
typedef void (*announce_fail_fn)(void *arg, int ifindex, const struct vaddr *vip,
				 int err);
int announce_queue(int ifindex, const uint8_t mac[6], const struct vaddr *vip);
bool announce_flush(announce_fail_fn fail, void *arg, bool repeats,
		    uint64_t hold_until_us, uint64_t now_us, uint64_t *next_us);
/* Drop the copies of vip on ifindex not sent yet: an instance that is no
 * longer master must not keep pointing neighbours at itself. */
void announce_cancel(int ifindex, const struct vaddr *vip);
size_t announce_pending(void); /* copies queued, not sent yet */
void announce_reset(void);

#endif
