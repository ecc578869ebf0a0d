/* The announcement queue (vrrpd/net/arp.c) against the kernel: frames
 * really leave on the loopback device of a private network namespace and
 * a packet socket there reads them back, in the order they left.
 *
 * What is checked: every address's first copy leaves in the flush that
 * follows its queueing, before any repeat copy; repeats leave round by
 * round, at most ANNOUNCE_REPEATS_PER_TURN per flush, and the flush says
 * whether copies are left; a copy the kernel refuses is reported once
 * and the address's other copies are dropped. */
#include <arpa/inet.h>
#include <errno.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <linux/if_packet.h>
#include <sched.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "log.h"
#include "vsock.h"

static const char *skip;
static int cap = -1;
static int lo;
static const uint8_t mac[6] = { 0x00, 0x00, 0x5e, 0x00, 0x01, 0x07 };

static int group_setup(void **state)
{
	(void)state;
	if (skip)
		return 0;
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	if (fd < 0 || ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		return -1;
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		return -1;
	close(fd);
	lo = (int)if_nametoindex("lo");
	/* outgoing frames reach only ETH_P_ALL taps */
	cap = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK, htons(ETH_P_ALL));
	struct sockaddr_ll sll = { .sll_family = AF_PACKET,
				   .sll_protocol = htons(ETH_P_ALL),
				   .sll_ifindex = lo };
	int rcvbuf = 8 << 20;
	setsockopt(cap, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf));
	return cap < 0 || bind(cap, (struct sockaddr *)&sll, sizeof(sll)) < 0 ? -1 : 0;
}

static int group_teardown(void **state)
{
	(void)state;
	if (cap >= 0)
		close(cap);
	announce_reset();
	return 0;
}

static struct vaddr vip(unsigned i)
{
	struct vaddr v = { .af = AF_INET };
	v.u.v4.s_addr = htonl(0x0a000000u + i);
	return v;
}

/* The target addresses of the frames captured since the last call, in
 * the order they left (one frame may be seen twice on lo: out and in). */
static size_t captured(uint32_t *out, size_t max)
{
	uint8_t f[128];
	struct sockaddr_ll from;
	socklen_t fl;
	size_t n = 0;

	for (;;) {
		fl = sizeof(from);
		ssize_t r = recvfrom(cap, f, sizeof(f), 0, (struct sockaddr *)&from, &fl);
		if (r < 0)
			break;
		if (from.sll_pkttype != PACKET_OUTGOING || r < 42 ||
		    from.sll_protocol != htons(ETH_P_ARP))
			continue;
		uint32_t tip;
		memcpy(&tip, f + 14 + 8 + 6 + 4 + 6, 4); /* ARP target address */
		if (n < max)
			out[n] = ntohl(tip) - 0x0a000000u;
		n++;
	}
	return n;
}

static void queue_burst(unsigned first, unsigned n, unsigned copies)
{
	for (unsigned i = first; i < first + n; i++)
		for (unsigned k = 0; k < copies; k++) {
			struct vaddr v = vip(i);
			assert_int_equal(announce_queue(lo, mac, &v), 0);
		}
}

#define GAP ANNOUNCE_REPEAT_GAP_US

static void test_first_copies_first(void **state)
{
	(void)state;
	if (skip) {
		skip();
		return;
	}
	static uint32_t got[8192];
	const unsigned n = 300, copies = 5;
	uint64_t next = 0;

	captured(got, 0);
	queue_burst(0, n, copies);
	assert_true(announce_flush(NULL, NULL, true, 0, 1000, &next));
	size_t c = captured(got, 8192);
	assert_int_equal(c, n); /* every first copy, in order; no repeat yet */
	for (unsigned i = 0; i < n; i++)
		assert_int_equal(got[i], i);
	assert_int_equal(next, 1000 + GAP);
	assert_int_equal(announce_pending(), n * (copies - 1));

	/* Too early for the repeats: nothing leaves. */
	assert_true(announce_flush(NULL, NULL, true, 0, 1000 + GAP - 1, &next));
	assert_int_equal(captured(got, 8192), 0);

	/* A takeover in a later turn: its first copies before the repeats
	 * that fell due meanwhile, which leave round by round, bounded. */
	queue_burst(1000, 10, copies);
	assert_true(announce_flush(NULL, NULL, true, 0, 1000 + GAP, &next));
	c = captured(got, 8192);
	assert_int_equal(c, 10 + ANNOUNCE_REPEATS_PER_TURN);
	for (unsigned i = 0; i < 10; i++)
		assert_int_equal(got[i], 1000 + i);
	for (unsigned i = 0; i < ANNOUNCE_REPEATS_PER_TURN; i++)
		assert_int_equal(got[10 + i], i); /* second copies, in order */
	assert_int_equal(next, 1000 + GAP); /* the rest of round 1 is due */

	uint64_t now = 1000 + GAP;
	size_t total = n + 10 + ANNOUNCE_REPEATS_PER_TURN, turns = 0;
	while (announce_flush(NULL, NULL, true, 0, now, &next)) {
		total += captured(got, 8192);
		assert_true(next >= now);
		now = next;
		assert_true(++turns < 100);
	}
	total += captured(got, 8192);
	assert_int_equal(total, (n + 10) * copies);
	assert_int_equal(announce_pending(), 0);
	/* five copies: four gaps at least */
	assert_true(now >= 1000 + 4 * GAP);
	assert_false(announce_flush(NULL, NULL, true, 0, now, &next));
}

/* In the middle of a loop turn (a chunk of a mass takeover) only first
 * copies leave, due repeats or not. */
static void test_mid_turn_first_copies_only(void **state)
{
	(void)state;
	if (skip) {
		skip();
		return;
	}
	static uint32_t got[256];
	uint64_t next;

	captured(got, 0);
	queue_burst(2000, 20, 3);
	assert_true(announce_flush(NULL, NULL, false, 0, 0, &next));
	assert_int_equal(captured(got, 256), 20);
	assert_int_equal(announce_pending(), 40);
	assert_true(announce_flush(NULL, NULL, false, 0, 10 * GAP, &next));
	assert_int_equal(captured(got, 256), 0);
	assert_true(announce_flush(NULL, NULL, true, 0, 10 * GAP, &next));
	assert_int_equal(captured(got, 256), 20);
	assert_false(announce_flush(NULL, NULL, true, 0, 11 * GAP, &next));
	assert_int_equal(captured(got, 256), 20);
}

/* While takeovers hold the repeats back, first copies still leave; the
 * repeats go when the hold ends, or ANNOUNCE_HOLD_MAX_US after they fell
 * due if the hold never ends. */
static void test_repeats_held(void **state)
{
	(void)state;
	if (skip) {
		skip();
		return;
	}
	static uint32_t got[256];
	uint64_t next, t0 = 5000, hold = t0 + GAP + 3000;

	captured(got, 0);
	queue_burst(3000, 10, 3);
	assert_true(announce_flush(NULL, NULL, true, hold, t0, &next));
	assert_int_equal(captured(got, 256), 10);
	assert_int_equal(next, hold); /* due at t0 + GAP, held until hold */
	assert_true(announce_flush(NULL, NULL, true, hold, t0 + GAP, &next));
	assert_int_equal(captured(got, 256), 0);
	queue_burst(4000, 2, 1); /* a takeover meanwhile: its copy at once */
	assert_true(announce_flush(NULL, NULL, true, hold, hold - 1, &next));
	assert_int_equal(captured(got, 256), 2);
	assert_int_equal(next, hold);
	assert_true(announce_flush(NULL, NULL, true, hold, hold, &next));
	assert_int_equal(captured(got, 256), 10);
	assert_int_equal(next, hold + GAP);

	/* a hold that never ends: the third copies go HOLD_MAX late */
	uint64_t forever = UINT64_MAX / 2;
	assert_true(announce_flush(NULL, NULL, true, forever, hold + GAP, &next));
	assert_int_equal(captured(got, 256), 0);
	assert_int_equal(next, hold + GAP + ANNOUNCE_HOLD_MAX_US);
	assert_false(announce_flush(NULL, NULL, true, forever, next, &next));
	assert_int_equal(captured(got, 256), 10);
}

/* A new burst for an address whose last burst is under way starts at
 * once (its first copy is not a repeat); announce_cancel drops what is
 * left of an address's copies. */
static void test_new_burst_and_cancel(void **state)
{
	(void)state;
	if (skip) {
		skip();
		return;
	}
	static uint32_t got[64];
	uint64_t next;

	captured(got, 0);
	queue_burst(5000, 1, 3);
	assert_true(announce_flush(NULL, NULL, true, 0, 1000, &next));
	assert_int_equal(captured(got, 64), 1);
	queue_burst(5000, 1, 3); /* master again before the repeats went */
	assert_true(announce_flush(NULL, NULL, true, 0, 1001, &next));
	assert_int_equal(captured(got, 64), 1);
	assert_int_equal(got[0], 5000);
	assert_int_equal(announce_pending(), 4);

	struct vaddr v = vip(5000), other = vip(5001);
	queue_burst(5001, 1, 2);
	announce_cancel(lo, &v);
	assert_int_equal(announce_pending(), 2); /* 5001's, both */
	assert_true(announce_flush(NULL, NULL, true, 0, 1002, &next));
	assert_int_equal(captured(got, 64), 1);
	assert_int_equal(got[0], 5001);
	announce_cancel(lo, &other);
	assert_false(announce_flush(NULL, NULL, true, 0, 1002 + 10 * GAP, &next));
	assert_int_equal(captured(got, 64), 0);
	assert_int_equal(announce_pending(), 0);
}

static int fails;
static void on_fail(void *arg, int ifindex, const struct vaddr *v, int err)
{
	(void)arg;
	(void)v;
	assert_int_equal(ifindex, 9999);
	assert_int_equal(err, ENXIO);
	fails++;
}

static void test_refused_reported_once(void **state)
{
	(void)state;
	if (skip) {
		skip();
		return;
	}
	uint32_t got[64];
	struct vaddr v = vip(7);

	captured(got, 0);
	for (int k = 0; k < 5; k++)
		assert_int_equal(announce_queue(9999, mac, &v), 0);
	queue_burst(8, 1, 2);
	fails = 0;
	uint64_t now = 0, next;
	while (announce_flush(on_fail, NULL, true, 0, now, &next))
		now = next;
	assert_int_equal(fails, 1);
	assert_int_equal(captured(got, 64), 2);
	assert_int_equal(got[0], 8);
	assert_int_equal(announce_pending(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_copies_first),
		cmocka_unit_test(test_mid_turn_first_copies_only),
		cmocka_unit_test(test_repeats_held),
		cmocka_unit_test(test_new_burst_and_cancel),
		cmocka_unit_test(test_refused_reported_once),
	};

	if (geteuid() != 0)
		skip = "needs root for a private network namespace";
	else if (unshare(CLONE_NEWNET) < 0)
		skip = "unshare(CLONE_NEWNET) failed";
	log_init("test_arp", LOG_LVL_WARN, true);
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
