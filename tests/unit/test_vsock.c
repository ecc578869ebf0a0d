/* Unit tests for the receive half of vrrpd/net/vsock.c: vsock_parse_rx()
 * turns what recvmsg() returned (IPv4 header in the data; IPv6 sender
 * address and IPV6_HOPLIMIT / IPV6_PKTINFO control messages) into payload
 * and struct vrrp_rx_meta, and never reads past what it was given; the
 * kernel's receive stamp (SCM_TIMESTAMPNS) becomes a monotonic arrival
 * time, unless the wall clock stepped. The fuzzer (fuzz/fuzz_rx.c) drives the same function with arbitrary bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "vsock.h"

/* A 20-byte IPv4 header from 10.0.0.1 to 224.0.0.18, TTL ttl, protocol
 * 112, total length tot, followed by plen payload bytes 0xaa. */
static size_t v4_packet(uint8_t *buf, uint8_t ihl_words, uint16_t tot,
			uint8_t ttl, size_t plen)
{
	struct iphdr ip = { .version = 4, .ihl = ihl_words, .ttl = ttl,
			    .protocol = VRRP_IPPROTO, .tot_len = htons(tot) };

	ip.saddr = htonl(0x0a000001);
	ip.daddr = htonl(0xe0000012);
	memset(buf, 0, (size_t)ihl_words * 4);
	memcpy(buf, &ip, sizeof(ip));
	memset(buf + (size_t)ihl_words * 4, 0xaa, plen);
	return (size_t)ihl_words * 4 + plen;
}

static void test_v4_header_stripped(void **state)
{
	uint8_t buf[64];
	struct vsock_pkt p;
	size_t n = v4_packet(buf, 5, 20 + 16, 255, 16);

	(void)state;
	vsock_parse_rx(AF_INET, buf, n, NULL, &p);
	assert_int_equal(p.bad_ip, 0);
	assert_ptr_equal(p.payload, buf + 20);
	assert_int_equal(p.len, 16);
	assert_int_equal(p.meta.ttl, 255);
	assert_int_equal(p.meta.src.af, AF_INET);
	assert_memory_equal(p.meta.src.u.bytes, "\x0a\x00\x00\x01", 4);
	assert_memory_equal(p.meta.dst.u.bytes, "\xe0\x00\x00\x12", 4);
}

/* IP options: the payload starts after ihl words, not after 20 bytes. */
static void test_v4_options(void **state)
{
	uint8_t buf[64];
	struct vsock_pkt p;
	size_t n = v4_packet(buf, 6, 24 + 8, 1, 8);

	(void)state;
	vsock_parse_rx(AF_INET, buf, n, NULL, &p);
	assert_int_equal(p.bad_ip, 0);
	assert_ptr_equal(p.payload, buf + 24);
	assert_int_equal(p.len, 8);
	assert_int_equal(p.meta.ttl, 1);
}

/* A total length beyond what was read, or inside the header, is not
 * trusted: the bytes actually read bound the payload. A shorter total
 * (padding after the datagram) is. */
static void test_v4_total_length(void **state)
{
	uint8_t buf[64];
	struct vsock_pkt p;
	size_t n;

	(void)state;
	n = v4_packet(buf, 5, 1000, 255, 16);
	vsock_parse_rx(AF_INET, buf, n, NULL, &p);
	assert_int_equal(p.len, 16);
	n = v4_packet(buf, 5, 4, 255, 16);
	vsock_parse_rx(AF_INET, buf, n, NULL, &p);
	assert_int_equal(p.len, 16);
	n = v4_packet(buf, 5, 20 + 8, 255, 16);
	vsock_parse_rx(AF_INET, buf, n, NULL, &p);
	assert_int_equal(p.len, 8);
}

static void test_v4_malformed(void **state)
{
	uint8_t buf[64];
	struct vsock_pkt p;
	size_t n;

	(void)state;
	n = v4_packet(buf, 5, 36, 255, 16);
	vsock_parse_rx(AF_INET, buf, 19, NULL, &p);      /* short header */
	assert_int_equal(p.bad_ip, 1);
	vsock_parse_rx(AF_INET, buf, 0, NULL, &p);
	assert_int_equal(p.bad_ip, 1);
	buf[0] = 0x65;                                  /* version 6 */
	vsock_parse_rx(AF_INET, buf, n, NULL, &p);
	assert_int_equal(p.bad_ip, 1);
	buf[0] = 0x44;                                  /* ihl 16 bytes */
	vsock_parse_rx(AF_INET, buf, n, NULL, &p);
	assert_int_equal(p.bad_ip, 1);
	n = v4_packet(buf, 15, 60, 255, 0);             /* ihl 60 > 36 read */
	vsock_parse_rx(AF_INET, buf, 36, NULL, &p);
	assert_int_equal(p.bad_ip, 1);
	/* The header alone is a valid, empty payload (the codec drops it). */
	vsock_parse_rx(AF_INET, buf, 60, NULL, &p);
	assert_int_equal(p.bad_ip, 0);
	assert_int_equal(p.len, 0);
}

/* ---- IPv6 --------------------------------------------------------------- */

struct v6msg {
	struct sockaddr_in6 from;
	struct {
		uint8_t buf[128];
	} __attribute__((aligned(__alignof__(struct cmsghdr)))) cm;
	struct msghdr h;
};

static void v6_init(struct v6msg *m)
{
	memset(m, 0, sizeof(*m));
	m->from.sin6_family = AF_INET6;
	inet_pton(AF_INET6, "fe80::1", &m->from.sin6_addr);
	m->h.msg_name = &m->from;
	m->h.msg_namelen = sizeof(m->from);
	m->h.msg_control = m->cm.buf;
	m->h.msg_controllen = 0;
}

/* Append a control message of type with dlen data bytes; cmsg_len is set
 * to CMSG_LEN(dlen) minus short_by. */
static void v6_cmsg(struct v6msg *m, int type, const void *data, size_t dlen,
		    size_t short_by)
{
	struct cmsghdr *c = (struct cmsghdr *)(m->cm.buf + m->h.msg_controllen);

	c->cmsg_level = IPPROTO_IPV6;
	c->cmsg_type = type;
	c->cmsg_len = CMSG_LEN(dlen) - short_by;
	memcpy(CMSG_DATA(c), data, dlen);
	m->h.msg_controllen += CMSG_SPACE(dlen);
}

static void test_v6_cmsgs(void **state)
{
	struct v6msg m;
	struct vsock_pkt p;
	uint8_t payload[20] = { 0x31 };
	int hl = 255;
	struct in6_pktinfo pi = { .ipi6_ifindex = 3 };

	(void)state;
	v6_init(&m);
	inet_pton(AF_INET6, "ff02::12", &pi.ipi6_addr);
	v6_cmsg(&m, IPV6_HOPLIMIT, &hl, sizeof(hl), 0);
	v6_cmsg(&m, IPV6_PKTINFO, &pi, sizeof(pi), 0);
	vsock_parse_rx(AF_INET6, payload, sizeof(payload), &m.h, &p);
	assert_int_equal(p.bad_ip, 0);
	assert_ptr_equal(p.payload, payload);
	assert_int_equal(p.len, sizeof(payload));
	assert_int_equal(p.meta.ttl, 255);
	assert_int_equal(p.meta.src.af, AF_INET6);
	assert_memory_equal(p.meta.src.u.bytes, &m.from.sin6_addr, 16);
	assert_int_equal(p.meta.dst.af, AF_INET6);
	assert_memory_equal(p.meta.dst.u.bytes, &pi.ipi6_addr, 16);
}

/* No hop limit: ttl -1, which the codec counts as a TTL error. */
static void test_v6_no_cmsg(void **state)
{
	struct v6msg m;
	struct vsock_pkt p;
	uint8_t payload[8] = { 0 };

	(void)state;
	v6_init(&m);
	vsock_parse_rx(AF_INET6, payload, sizeof(payload), &m.h, &p);
	assert_int_equal(p.bad_ip, 0);
	assert_int_equal(p.meta.ttl, -1);
	assert_int_equal(p.meta.dst.af, 0);
}

/* A control message whose cmsg_len is too short for its data is ignored:
 * its bytes were never the kernel's (RFC 3542 20.2 sizes). */
static void test_v6_short_cmsg(void **state)
{
	struct v6msg m;
	struct vsock_pkt p;
	uint8_t payload[8] = { 0 };
	int hl = 255;
	struct in6_pktinfo pi = { .ipi6_ifindex = 3 };

	(void)state;
	v6_init(&m);
	v6_cmsg(&m, IPV6_HOPLIMIT, &hl, sizeof(hl), 1);
	v6_cmsg(&m, IPV6_PKTINFO, &pi, sizeof(pi), 4);
	vsock_parse_rx(AF_INET6, payload, sizeof(payload), &m.h, &p);
	assert_int_equal(p.meta.ttl, -1);
	assert_int_equal(p.meta.dst.af, 0);
	/* A first message claiming more than the buffer holds (glibc's
	 * CMSG_FIRSTHDR does not check it) is not read. */
	v6_init(&m);
	v6_cmsg(&m, IPV6_PKTINFO, &pi, sizeof(pi), 0);
	m.h.msg_controllen = sizeof(struct cmsghdr);
	vsock_parse_rx(AF_INET6, payload, sizeof(payload), &m.h, &p);
	assert_int_equal(p.meta.dst.af, 0);
	((struct cmsghdr *)m.cm.buf)->cmsg_len = (size_t)-1;
	m.h.msg_controllen = sizeof(m.cm.buf);
	vsock_parse_rx(AF_INET6, payload, sizeof(payload), &m.h, &p);
	assert_int_equal(p.meta.dst.af, 0);
	/* Other levels are skipped. */
	v6_init(&m);
	v6_cmsg(&m, IPV6_HOPLIMIT, &hl, sizeof(hl), 0);
	((struct cmsghdr *)m.cm.buf)->cmsg_level = SOL_SOCKET;
	vsock_parse_rx(AF_INET6, payload, sizeof(payload), &m.h, &p);
	assert_int_equal(p.meta.ttl, -1);
}

/* Without a whole sender address nothing can be attributed. */
static void test_v6_no_sender(void **state)
{
	struct v6msg m;
	struct vsock_pkt p;
	uint8_t payload[8] = { 0 };

	(void)state;
	v6_init(&m);
	m.h.msg_namelen = sizeof(struct sockaddr_in);
	vsock_parse_rx(AF_INET6, payload, sizeof(payload), &m.h, &p);
	assert_int_equal(p.bad_ip, 1);
	vsock_parse_rx(AF_INET6, payload, sizeof(payload), NULL, &p);
	assert_int_equal(p.bad_ip, 1);
	vsock_parse_rx(AF_UNIX, payload, sizeof(payload), &m.h, &p);
	assert_int_equal(p.bad_ip, 1);
}

/* ---- receive stamps ----------------------------------------------------- */

static void stamp_cmsg(struct v6msg *m, const struct timespec *ts)
{
	struct cmsghdr *c = (struct cmsghdr *)(m->cm.buf + m->h.msg_controllen);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_TIMESTAMPNS;
	c->cmsg_len = CMSG_LEN(sizeof(*ts));
	memcpy(CMSG_DATA(c), ts, sizeof(*ts));
	m->h.msg_controllen += CMSG_SPACE(sizeof(*ts));
}

static void test_receive_stamp(void **state)
{
	struct v6msg m;
	struct vsock_pkt p;
	uint8_t payload[8] = { 0 }, buf[64];
	int hl = 255;
	struct timespec ts = { .tv_sec = 1800000000, .tv_nsec = 123456789 };

	(void)state;
	v6_init(&m);
	v6_cmsg(&m, IPV6_HOPLIMIT, &hl, sizeof(hl), 0);
	stamp_cmsg(&m, &ts);
	vsock_parse_rx(AF_INET6, payload, sizeof(payload), &m.h, &p);
	assert_int_equal(p.meta.ttl, 255);
	assert_true(p.rx_real_ns == 1800000000123456789LL);

	/* IPv4: the same message beside the header in the data */
	size_t n = v4_packet(buf, 5, 28, 255, 8);
	vsock_parse_rx(AF_INET, buf, n, &m.h, &p);
	assert_int_equal(p.bad_ip, 0);
	assert_true(p.rx_real_ns == 1800000000123456789LL);
	vsock_parse_rx(AF_INET, buf, n, NULL, &p);
	assert_true(p.rx_real_ns == 0);

	/* nanoseconds out of range: not a stamp */
	ts.tv_nsec = 1000000000L;
	v6_init(&m);
	stamp_cmsg(&m, &ts);
	vsock_parse_rx(AF_INET, buf, n, &m.h, &p);
	assert_true(p.rx_real_ns == 0);
}

static void test_stamp_to_monotonic(void **state)
{
	const int64_t now_real = 1800000000000000000LL;
	const uint64_t now_mono = 5000000000ull; /* 5000 s since boot */

	(void)state;
	/* 2.5 ms ago on the wall clock is 2.5 ms ago on the monotonic one */
	assert_true(vsock_rx_mono_us(now_real - 2500000, now_real, now_mono) ==
		    now_mono - 2500);
	assert_true(vsock_rx_mono_us(now_real, now_real, now_mono) == now_mono);
	assert_true(vsock_rx_mono_us(0, now_real, now_mono) == 0);
	/* from the future, or older than a queue holds: the clock stepped */
	assert_true(vsock_rx_mono_us(now_real + 1000, now_real, now_mono) == 0);
	assert_true(vsock_rx_mono_us(now_real - VSOCK_STAMP_MAX_AGE_NS - 1, now_real,
				     now_mono) == 0);
	/* never before the monotonic clock's start */
	assert_true(vsock_rx_mono_us(now_real - 3000000, now_real, 2000) == 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v4_header_stripped),
		cmocka_unit_test(test_v4_options),
		cmocka_unit_test(test_v4_total_length),
		cmocka_unit_test(test_v4_malformed),
		cmocka_unit_test(test_v6_cmsgs),
		cmocka_unit_test(test_v6_no_cmsg),
		cmocka_unit_test(test_v6_short_cmsg),
		cmocka_unit_test(test_v6_no_sender),
		cmocka_unit_test(test_receive_stamp),
		cmocka_unit_test(test_stamp_to_monotonic),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
