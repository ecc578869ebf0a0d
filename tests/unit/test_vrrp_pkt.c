/* Unit tests for the VRRP codec (lib/vrrp_pkt.c): RFC 3768 v2 and
 * RFC 5798 v3 encoding, decoding and every drop reason. Known-good
 * packets are written out as bytes so the tests do not only check the
 * codec against itself. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "vrrp_pkt.h"

#include "vrrp_pkt_test_util.h"
/* ---- checksum --------------------------------------------------------- */

static void test_cksum_rfc1071(void **state)
{
	(void)state;
	/* RFC 1071 3: 0001 f203 f4f5 f6f7 sums to ddf2, checksum 220d. */
	static const uint8_t d[8] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
	static const uint8_t odd[3] = { 0x12, 0x34, 0x56 };

	assert_int_equal(vrrp_cksum(d, sizeof(d), 0), 0x220d);
	/* The initial sum is added like extra words. */
	assert_int_equal(vrrp_cksum(d + 4, 4, 0x0001 + 0xf203), 0x220d);
	/* Odd length: last byte padded with a zero low byte -> 1234+5600. */
	assert_int_equal(vrrp_cksum(odd, 3, 0), (uint16_t)~0x6834);
	assert_int_equal(vrrp_cksum(odd, 0, 0), 0xffff);
	/* A buffer including its correct checksum sums to zero. */
	assert_int_equal(vrrp_cksum(keepalived_v2, sizeof(keepalived_v2), 0), 0);
}

/* ---- known-good packets ----------------------------------------------- */

static void test_keepalived_v2_decodes(void **state)
{
	(void)state;
	uint8_t p[20];
	struct vrrp_rx_meta m = meta_of("10.10.10.101", "224.0.122.22");
	struct vrrp_adv out;

	/* The hand-computed checksum agrees with the reference sum. */
	memcpy(p, keepalived_v2, sizeof(p));
	fix_cksum_v2(p, sizeof(p));
	assert_int_equal(wire16(p + 6), 0xa820);

	assert_int_equal(decode_exact(keepalived_v2, 20, &m, &out), VRRP_OK);
	assert_int_equal(out.version, 2);
	assert_int_equal(out.type, VRRP_TYPE_ADVERT);
	assert_int_equal(out.vrid, 11);
	assert_int_equal(out.priority, 100);
	assert_int_equal(out.naddr, 1);
	assert_int_equal(out.auth_type, VRRP_AUTH_SIMPLE);
	assert_memory_equal(out.auth_data, "11112222", 8);
	assert_int_equal(out.interval_cs, 100);
	assert_int_equal(out.addrs[0].af, AF_INET);
	struct vaddr vip = A("10.10.1.1");
	assert_int_equal(vaddr_cmp(&out.addrs[0], &vip), 0);

	/* It passes the instance checks of VI_1 on node2. */
	struct vrrp_expect e = expect_v2(&vip, 1);
	assert_int_equal(vrrp_check_expected(&out, &e), VRRP_OK);
}

static void test_encode_matches_keepalived_v2(void **state)
{
	(void)state;
	struct vrrp_adv a = adv_v2();
	struct vaddr src = A("10.10.10.101"), dst = A("224.0.122.22");
	uint8_t buf[64];

	memset(buf, 0xee, sizeof(buf));
	assert_int_equal(vrrp_encode(buf, sizeof(buf), &a, &src, &dst), 20);
	assert_memory_equal(buf, keepalived_v2, 20);
	assert_int_equal(buf[20], 0xee); /* nothing written past the end */
}

static void test_scapy_v3_ipv4(void **state)
{
	(void)state;
	struct vrrp_rx_meta m = meta_of("10.10.10.101", "224.0.0.18");
	struct vrrp_adv out, a;
	uint8_t pseudo[40], p[16], buf[16];
	size_t plen = pseudo_bytes(&m, 16, pseudo);

	/* Independent check of the scapy bytes: checksum over the RFC 5798
	 * 5.2.8 IPv4 pseudo-header plus the message. */
	memcpy(p, scapy_v3_v4, sizeof(p));
	p[6] = p[7] = 0;
	assert_int_equal(plen, 12);
	assert_int_equal(ref_cksum(p, 16, pseudo, plen), 0xfb36);

	assert_int_equal(decode_exact(scapy_v3_v4, 16, &m, &out), VRRP_OK);
	assert_int_equal(out.version, 3);
	assert_int_equal(out.vrid, 21);
	assert_int_equal(out.priority, 200);
	assert_int_equal(out.naddr, 2);
	assert_int_equal(out.interval_cs, 150);
	assert_int_equal(out.auth_type, 0);
	struct vaddr a2 = A("10.10.1.2"), a3 = A("10.10.1.3");
	assert_int_equal(vaddr_cmp(&out.addrs[0], &a2), 0);
	assert_int_equal(vaddr_cmp(&out.addrs[1], &a3), 0);

	a = out;
	assert_int_equal(vrrp_encode(buf, sizeof(buf), &a, &m.src, &m.dst), 16);
	assert_memory_equal(buf, scapy_v3_v4, 16);
}

static void test_scapy_v3_ipv6(void **state)
{
	(void)state;
	struct vrrp_rx_meta m = meta_of("fe80::1", "ff02::12");
	struct vrrp_adv out;
	uint8_t buf[40], p[40], pseudo[40];

	assert_int_equal(pseudo_bytes(&m, 40, pseudo), 40);
	memcpy(p, scapy_v3_v6, sizeof(p));
	p[6] = p[7] = 0;
	assert_int_equal(ref_cksum(p, 40, pseudo, 40), 0x3e29);

	assert_int_equal(decode_exact(scapy_v3_v6, 40, &m, &out), VRRP_OK);
	assert_int_equal(out.version, 3);
	assert_int_equal(out.vrid, 7);
	assert_int_equal(out.naddr, 2);
	assert_int_equal(out.interval_cs, 100);
	struct vaddr l = A("fe80::100"), g = A("2001:db8::100");
	assert_int_equal(vaddr_cmp(&out.addrs[0], &l), 0);
	assert_int_equal(vaddr_cmp(&out.addrs[1], &g), 0);

	assert_int_equal(vrrp_encode(buf, sizeof(buf), &out, &m.src, &m.dst), 40);
	assert_memory_equal(buf, scapy_v3_v6, 40);
}

/* ---- round trips ------------------------------------------------------ */

static void roundtrip(const struct vrrp_adv *a, const char *src, const char *dst,
		      size_t want_len)
{
	struct vrrp_rx_meta m = meta_of(src, dst);
	uint8_t buf[VRRP_HDR_LEN + VRRP_MAX_ADDRS * 16 + VRRP_AUTH_LEN];
	struct vrrp_adv out;
	size_t n = vrrp_encode(buf, sizeof(buf), a, &m.src, &m.dst);

	assert_int_equal(n, want_len);
	assert_int_equal(decode_exact(buf, n, &m, &out), VRRP_OK);
	assert_adv_equal(a, &out);
}

static void test_roundtrip_v2(void **state)
{
	(void)state;
	struct vrrp_adv a = adv_v2();

	roundtrip(&a, "10.0.0.1", "224.0.0.18", 20);
	a.naddr = 3;
	a.priority = 0;
	a.interval_cs = 25500;
	a.addrs[1] = A("192.168.1.1");
	a.addrs[2] = A("255.255.255.255");
	roundtrip(&a, "10.0.0.1", "224.0.0.18", 8 + 12 + 8);
	a.auth_type = VRRP_AUTH_NONE;
	memset(a.auth_data, 0, 8);
	roundtrip(&a, "10.0.0.1", "224.0.0.18", 28);
}

static void test_roundtrip_v3_ipv4(void **state)
{
	(void)state;
	struct vrrp_adv a = adv_v2();

	a.version = 3;
	a.auth_type = 0;
	memset(a.auth_data, 0, 8);
	a.interval_cs = 4095;
	a.priority = 255;
	roundtrip(&a, "10.0.0.1", "224.0.0.18", 12);
	a.interval_cs = 1;
	roundtrip(&a, "10.0.0.1", "224.0.0.18", 12);
}

static void test_roundtrip_v3_ipv6_max(void **state)
{
	(void)state;
	struct vrrp_adv a;
	unsigned i;

	memset(&a, 0, sizeof(a));
	a.version = 3;
	a.type = VRRP_TYPE_ADVERT;
	a.vrid = 255;
	a.priority = 1;
	a.interval_cs = 3000;
	a.naddr = 1;
	a.addrs[0] = A("fe80::1");
	roundtrip(&a, "fe80::2", "ff02::12", 8 + 16);
	/* The largest message: 255 IPv6 addresses, 4088 bytes. */
	a.naddr = VRRP_MAX_ADDRS;
	for (i = 1; i < VRRP_MAX_ADDRS; i++) {
		a.addrs[i] = A("2001:db8::");
		a.addrs[i].u.bytes[14] = (uint8_t)(i >> 8);
		a.addrs[i].u.bytes[15] = (uint8_t)i;
	}
	roundtrip(&a, "fe80::2", "ff02::12", 8 + 255 * 16);
}

static void test_encode_details(void **state)
{
	(void)state;
	struct vrrp_adv a = adv_v2();
	struct vaddr src = A("10.0.0.1"), dst = A("224.0.0.18");
	uint8_t buf[32];

	/* v2 without authentication sends zeroed auth data, whatever the
	 * struct held (RFC 3768 5.3.6.1). */
	a.auth_type = VRRP_AUTH_NONE;
	memcpy(a.auth_data, "garbage!", 8);
	assert_int_equal(vrrp_encode(buf, sizeof(buf), &a, &src, &dst), 20);
	assert_int_equal(buf[4], VRRP_AUTH_NONE);
	assert_memory_equal(buf + 12, "\0\0\0\0\0\0\0\0", 8);
	assert_int_equal(buf[5], 1);

	/* v3: reserved nibble zero, interval split over 12 bits. */
	a.version = 3;
	a.interval_cs = 0x0abc;
	assert_int_equal(vrrp_encode(buf, sizeof(buf), &a, &src, &dst), 12);
	assert_int_equal(buf[0], 0x31);
	assert_int_equal(buf[4], 0x0a);
	assert_int_equal(buf[5], 0xbc);

	/* The type written is always "advertisement". */
	a.type = 7;
	assert_int_equal(vrrp_encode(buf, sizeof(buf), &a, &src, &dst), 12);
	assert_int_equal(buf[0] & 0x0f, VRRP_TYPE_ADVERT);
}

/* ---- encode refusals -------------------------------------------------- */

static void test_encode_refusals(void **state)
{
	(void)state;
	struct vaddr s4 = A("10.0.0.1"), d4 = A("224.0.0.18");
	struct vaddr s6 = A("fe80::1"), d6 = A("ff02::12"), unset;
	uint8_t buf[64];
	struct vrrp_adv a;

	memset(&unset, 0, sizeof(unset));
#define REFUSED(adv, s, d) assert_int_equal(vrrp_encode(buf, sizeof(buf), &(adv), &(s), &(d)), 0)

	a = adv_v2(); a.version = 1; REFUSED(a, s4, d4);
	a = adv_v2(); a.version = 4; REFUSED(a, s4, d4);
	a = adv_v2(); a.version = 0; REFUSED(a, s4, d4);
	a = adv_v2(); a.naddr = 0; REFUSED(a, s4, d4);
	/* v2 is IPv4 only (RFC 3768). */
	a = adv_v2(); a.addrs[0] = A("fe80::10"); REFUSED(a, s6, d6);
	/* Address family of the list must match src/dst. */
	a = adv_v2(); a.version = 3; a.addrs[0] = A("fe80::10"); REFUSED(a, s4, d4);
	a = adv_v2(); a.version = 3; REFUSED(a, s6, d6);
	a = adv_v2(); a.version = 3; a.naddr = 2; a.addrs[1] = A("::1"); REFUSED(a, s4, d4);
	a = adv_v2(); a.naddr = 2; REFUSED(a, s4, d4); /* addrs[1] unset */
	/* src and dst must agree and be set. */
	a = adv_v2(); a.version = 3; REFUSED(a, s4, d6);
	a = adv_v2(); REFUSED(a, unset, d4);
	a = adv_v2(); REFUSED(a, unset, unset);
	/* v2 interval: whole seconds 1..255. */
	a = adv_v2(); a.interval_cs = 150; REFUSED(a, s4, d4);
	a = adv_v2(); a.interval_cs = 0; REFUSED(a, s4, d4);
	a = adv_v2(); a.interval_cs = 99; REFUSED(a, s4, d4);
	a = adv_v2(); a.interval_cs = 25600; REFUSED(a, s4, d4);
	/* v3 interval: 1..4095 centiseconds. */
	a = adv_v2(); a.version = 3; a.interval_cs = 0; REFUSED(a, s4, d4);
	a = adv_v2(); a.version = 3; a.interval_cs = 4096; REFUSED(a, s4, d4);
	/* v2 auth types other than none/simple (AH was removed). */
	a = adv_v2(); a.auth_type = VRRP_AUTH_AH; REFUSED(a, s4, d4);
	a = adv_v2(); a.auth_type = 9; REFUSED(a, s4, d4);
#undef REFUSED

	/* Buffer size: one byte short is refused, exact fits. */
	a = adv_v2();
	assert_int_equal(vrrp_encode(buf, 19, &a, &s4, &d4), 0);
	assert_int_equal(vrrp_encode(buf, 0, &a, &s4, &d4), 0);
	assert_int_equal(vrrp_encode(buf, 20, &a, &s4, &d4), 20);
	a.version = 3;
	a.addrs[0] = A("fe80::10");
	assert_int_equal(vrrp_encode(buf, 23, &a, &s6, &d6), 0);
	assert_int_equal(vrrp_encode(buf, 24, &a, &s6, &d6), 24);
}

/* ---- decode drops ----------------------------------------------------- */

static void test_drop_length_truncated(void **state)
{
	(void)state;
	struct {
		const uint8_t *p;
		size_t len;
		const char *src, *dst;
	} cases[] = {
		{ keepalived_v2, sizeof(keepalived_v2), "10.10.10.101", "224.0.122.22" },
		{ scapy_v3_v4, sizeof(scapy_v3_v4), "10.10.10.101", "224.0.0.18" },
		{ scapy_v3_v6, sizeof(scapy_v3_v6), "fe80::1", "ff02::12" },
	};
	struct vrrp_adv out;
	size_t c, n;

	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		struct vrrp_rx_meta m = meta_of(cases[c].src, cases[c].dst);

		for (n = 0; n < cases[c].len; n++) {
			memset(&out, 0xaa, sizeof(out));
			assert_int_equal(decode_exact(cases[c].p, n, &m, &out),
					 VRRP_DROP_LENGTH);
			/* VRID known once the fixed header is there, else 0. */
			assert_int_equal(out.vrid, n < VRRP_HDR_LEN ? 0 : cases[c].p[1]);
		}
		assert_int_equal(decode_exact(cases[c].p, n, &m, &out), VRRP_OK);
	}
}

static void test_drop_length_inconsistent(void **state)
{
	(void)state;
	struct vrrp_rx_meta m = meta_of("10.10.10.101", "224.0.122.22");
	struct vrrp_rx_meta m6 = meta_of("fe80::1", "ff02::12");
	uint8_t p[64];
	struct vrrp_adv out;

	/* One trailing byte (v2 and v3 are both strict). */
	memcpy(p, keepalived_v2, 20);
	p[20] = 0;
	fix_cksum_v2(p, 21);
	assert_int_equal(vrrp_decode(p, 21, &m, &out), VRRP_DROP_LENGTH);
	assert_int_equal(out.vrid, 11);
	memcpy(p, scapy_v3_v4, 16);
	p[16] = 0;
	m.dst = A("224.0.0.18");
	fix_cksum_v3(p, 17, &m);
	assert_int_equal(vrrp_decode(p, 17, &m, &out), VRRP_DROP_LENGTH);

	/* Count says 2 addresses, only one present. */
	memcpy(p, keepalived_v2, 20);
	p[3] = 2;
	m.dst = A("224.0.122.22");
	assert_int_equal(vrrp_decode(p, 20, &m, &out), VRRP_DROP_LENGTH);
	/* Count says 255. */
	p[3] = 255;
	assert_int_equal(vrrp_decode(p, 20, &m, &out), VRRP_DROP_LENGTH);
	/* v2 without the 8 auth bytes (a v3-shaped v2 packet). */
	memcpy(p, keepalived_v2, 12);
	assert_int_equal(vrrp_decode(p, 12, &m, &out), VRRP_DROP_LENGTH);

	/* An IPv4-sized v3 address list received over IPv6. */
	memcpy(p, scapy_v3_v4, 16);
	assert_int_equal(vrrp_decode(p, 16, &m6, &out), VRRP_DROP_LENGTH);
}

static void test_drop_ttl(void **state)
{
	(void)state;
	struct vrrp_rx_meta m = meta_of("10.10.10.101", "224.0.122.22");
	static const int bad[] = { 0, 1, 64, 254, 256, -1 };
	struct vrrp_adv out;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		m.ttl = bad[i];
		assert_int_equal(vrrp_decode(keepalived_v2, 20, &m, &out), VRRP_DROP_TTL);
		assert_int_equal(out.vrid, 11);
	}
	/* Hop limit for IPv6 too. */
	struct vrrp_rx_meta m6 = meta_of("fe80::1", "ff02::12");
	m6.ttl = 1;
	assert_int_equal(vrrp_decode(scapy_v3_v6, 40, &m6, &out), VRRP_DROP_TTL);
	assert_int_equal(out.vrid, 7);
}

static void test_drop_version(void **state)
{
	(void)state;
	struct vrrp_rx_meta m = meta_of("10.10.10.101", "224.0.122.22");
	struct vrrp_adv out;
	uint8_t p[20];
	unsigned v;

	for (v = 0; v < 16; v++) {
		if (v == 2 || v == 3)
			continue;
		memcpy(p, keepalived_v2, 20);
		p[0] = (uint8_t)(v << 4 | 1);
		fix_cksum_v2(p, 20);
		assert_int_equal(vrrp_decode(p, 20, &m, &out), VRRP_DROP_VERSION);
		assert_int_equal(out.vrid, 11);
	}

	/* v2 over IPv6 (RFC 3768 is IPv4 only): a packet that would be a
	 * well-formed v2 with one IPv6 address. */
	uint8_t p6[32] = { 0x21, 0x0b, 0x64, 0x01, 0x00, 0x01 };
	p6[8] = 0xfe;
	p6[9] = 0x80;
	p6[23] = 1;
	fix_cksum_v2(p6, 32);
	struct vrrp_rx_meta m6 = meta_of("fe80::1", "ff02::12");
	assert_int_equal(vrrp_decode(p6, 32, &m6, &out), VRRP_DROP_VERSION);
	assert_int_equal(vrrp_decode(keepalived_v2, 20, &m6, &out), VRRP_DROP_VERSION);

	/* IP header families that disagree or are unset. */
	m6.src = A("10.10.10.101");
	assert_int_equal(vrrp_decode(scapy_v3_v6, 40, &m6, &out), VRRP_DROP_VERSION);
	memset(&m.src, 0, sizeof(m.src));
	memset(&m.dst, 0, sizeof(m.dst));
	assert_int_equal(vrrp_decode(keepalived_v2, 20, &m, &out), VRRP_DROP_VERSION);
}

static void test_drop_type(void **state)
{
	(void)state;
	struct vrrp_rx_meta m = meta_of("10.10.10.101", "224.0.122.22");
	struct vrrp_adv out;
	uint8_t p[20];
	unsigned t;

	for (t = 0; t < 16; t++) {
		if (t == VRRP_TYPE_ADVERT)
			continue;
		memcpy(p, keepalived_v2, 20);
		p[0] = (uint8_t)(0x20 | t);
		fix_cksum_v2(p, 20);
		assert_int_equal(vrrp_decode(p, 20, &m, &out), VRRP_DROP_TYPE);
		assert_int_equal(out.vrid, 11);
	}
}

/* Every single-bit flip outside the version/type and count bytes is a
 * checksum error; the internet checksum detects all of them. */
static void check_bitflips(const uint8_t *pkt, size_t len, struct vrrp_rx_meta *m)
{
	uint8_t p[64];
	struct vrrp_adv out;
	size_t i;
	int b;

	for (i = 0; i < len; i++) {
		if (i == 0 || i == 3)
			continue;
		for (b = 0; b < 8; b++) {
			memcpy(p, pkt, len);
			p[i] ^= (uint8_t)(1 << b);
			assert_int_equal(vrrp_decode(p, len, m, &out), VRRP_DROP_CHECKSUM);
			assert_int_equal(out.vrid, p[1]);
		}
	}
}

static void test_drop_checksum(void **state)
{
	(void)state;
	struct vrrp_rx_meta m = meta_of("10.10.10.101", "224.0.122.22");
	struct vrrp_rx_meta m4 = meta_of("10.10.10.101", "224.0.0.18");
	struct vrrp_rx_meta m6 = meta_of("fe80::1", "ff02::12");

	check_bitflips(keepalived_v2, 20, &m);
	check_bitflips(scapy_v3_v4, 16, &m4);
	check_bitflips(scapy_v3_v6, 40, &m6);
}

static void test_v3_pseudo_header(void **state)
{
	(void)state;
	struct vrrp_rx_meta m4 = meta_of("10.10.10.101", "224.0.0.18");
	struct vrrp_rx_meta m6 = meta_of("fe80::1", "ff02::12");
	struct vrrp_rx_meta m2 = meta_of("10.10.10.101", "224.0.122.22");
	struct vrrp_adv out;

	/* RFC 5798 5.2.8: the v3 checksum covers src and dst, IPv4 too. */
	m4.src = A("10.10.10.102");
	assert_int_equal(vrrp_decode(scapy_v3_v4, 16, &m4, &out), VRRP_DROP_CHECKSUM);
	m4.src = A("10.10.10.101");
	m4.dst = A("224.0.122.22");
	assert_int_equal(vrrp_decode(scapy_v3_v4, 16, &m4, &out), VRRP_DROP_CHECKSUM);
	m6.src = A("fe80::2");
	assert_int_equal(vrrp_decode(scapy_v3_v6, 40, &m6, &out), VRRP_DROP_CHECKSUM);
	m6.src = A("fe80::1");
	m6.dst = A("ff02::1");
	assert_int_equal(vrrp_decode(scapy_v3_v6, 40, &m6, &out), VRRP_DROP_CHECKSUM);

	/* RFC 3768 5.3.8: the v2 checksum does not, any src/dst is fine. */
	m2.src = A("192.0.2.99");
	m2.dst = A("224.0.0.18");
	assert_int_equal(vrrp_decode(keepalived_v2, 20, &m2, &out), VRRP_OK);
}

static void test_decode_v3_ignores_reserved(void **state)
{
	(void)state;
	struct vrrp_rx_meta m = meta_of("10.10.10.101", "224.0.0.18");
	struct vrrp_adv out;
	uint8_t p[16];

	/* RFC 5798 5.2.6: reserved bits are ignored on reception. */
	memcpy(p, scapy_v3_v4, 16);
	p[4] |= 0xf0;
	fix_cksum_v3(p, 16, &m);
	assert_int_equal(vrrp_decode(p, 16, &m, &out), VRRP_OK);
	assert_int_equal(out.interval_cs, 150);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cksum_rfc1071),
		cmocka_unit_test(test_keepalived_v2_decodes),
		cmocka_unit_test(test_encode_matches_keepalived_v2),
		cmocka_unit_test(test_scapy_v3_ipv4),
		cmocka_unit_test(test_scapy_v3_ipv6),
		cmocka_unit_test(test_roundtrip_v2),
		cmocka_unit_test(test_roundtrip_v3_ipv4),
		cmocka_unit_test(test_roundtrip_v3_ipv6_max),
		cmocka_unit_test(test_encode_details),
		cmocka_unit_test(test_encode_refusals),
		cmocka_unit_test(test_drop_length_truncated),
		cmocka_unit_test(test_drop_length_inconsistent),
		cmocka_unit_test(test_drop_ttl),
		cmocka_unit_test(test_drop_version),
		cmocka_unit_test(test_drop_type),
		cmocka_unit_test(test_drop_checksum),
		cmocka_unit_test(test_v3_pseudo_header),
		cmocka_unit_test(test_decode_v3_ignores_reserved),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
