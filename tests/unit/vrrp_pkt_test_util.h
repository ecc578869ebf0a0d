/* Shared by the codec tests: addresses, metadata, an independent reference
 * checksum, and canonical adverts. */
#ifndef VRRP_PKT_TEST_UTIL_H
#define VRRP_PKT_TEST_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>
#include "vrrp_pkt.h"

/* ---- helpers ---------------------------------------------------------- */

static __attribute__((unused)) struct vaddr A(const char *s)
{
	struct vaddr a;

	assert_int_equal(vaddr_parse(s, &a, NULL), 0);
	return a;
}

static __attribute__((unused)) struct vrrp_rx_meta meta_of(const char *src, const char *dst)
{
	struct vrrp_rx_meta m;

	memset(&m, 0, sizeof(m));
	m.src = A(src);
	m.dst = A(dst);
	m.ttl = VRRP_TTL;
	return m;
}

/* Reference RFC 1071 checksum written independently of the codec: sums
 * even and odd bytes separately and combines them at the end (RFC 1071
 * 2(B), byte-order independence). data includes a zeroed checksum field. */
static __attribute__((unused)) uint16_t ref_cksum(const uint8_t *p, size_t len, const uint8_t *pseudo,
			  size_t plen)
{
	uint32_t hi = 0, lo = 0, s;
	size_t i;

	for (i = 0; i < plen; i++)
		*(i % 2 ? &lo : &hi) += pseudo[i];
	for (i = 0; i < len; i++)
		*(i % 2 ? &lo : &hi) += p[i];
	s = (hi << 8) + lo;
	while (s > 0xffff)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)(~s & 0xffff);
}

static __attribute__((unused)) uint16_t wire16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static __attribute__((unused)) void fix_cksum_v2(uint8_t *p, size_t len)
{
	uint16_t c;

	p[6] = p[7] = 0;
	c = ref_cksum(p, len, NULL, 0);
	p[6] = (uint8_t)(c >> 8);
	p[7] = (uint8_t)c;
}

/* Pseudo-header bytes as laid out on paper: RFC 768 style for IPv4
 * (src, dst, zero, protocol, 16-bit length), RFC 2460 8.1 for IPv6 (src,
 * dst, 32-bit length, three zero bytes, next header). Returns its size. */
static __attribute__((unused)) size_t pseudo_bytes(const struct vrrp_rx_meta *m, size_t len, uint8_t *ph)
{
	memset(ph, 0, 40);
	if (m->src.af == AF_INET) {
		memcpy(ph, m->src.u.bytes, 4);
		memcpy(ph + 4, m->dst.u.bytes, 4);
		ph[9] = VRRP_IPPROTO;
		ph[10] = (uint8_t)(len >> 8);
		ph[11] = (uint8_t)len;
		return 12;
	}
	memcpy(ph, m->src.u.bytes, 16);
	memcpy(ph + 16, m->dst.u.bytes, 16);
	ph[34] = (uint8_t)(len >> 8);
	ph[35] = (uint8_t)len;
	ph[39] = VRRP_IPPROTO;
	return 40;
}

static __attribute__((unused)) void fix_cksum_v3(uint8_t *p, size_t len, const struct vrrp_rx_meta *m)
{
	uint8_t ph[40];
	size_t plen = pseudo_bytes(m, len, ph);
	uint16_t c;

	p[6] = p[7] = 0;
	c = ref_cksum(p, len, ph, plen);
	p[6] = (uint8_t)(c >> 8);
	p[7] = (uint8_t)c;
}

/* A v2 advert as keepalived sends it in the field write-up:
 * vrid 11, prio 100, 1 address 10.10.1.1, auth type 1 "11112222", 1 s.
 * Checksum by hand (16-bit words, RFC 3768 5.3.8, VRRP message only):
 * 210b+6401+0101+0000+0a0a+0101+3131+3131+3232+3232 = 0x157de,
 * folded 0x57de+1 = 0x57df, complemented = 0xa820. */
static __attribute__((unused)) const uint8_t keepalived_v2[20] = {
	0x21, 0x0b, 0x64, 0x01, 0x01, 0x01, 0xa8, 0x20, 0x0a, 0x0a,
	0x01, 0x01, '1',  '1',  '1',  '1',  '2',  '2',  '2',  '2',
};

/* v3 over IPv4 10.10.10.101 -> 224.0.0.18, vrid 21, prio 200, 150 cs,
 * 10.10.1.2 and 10.10.1.3; bytes produced by scapy's VRRPv3 layer (which
 * includes the IPv4 pseudo-header, RFC 5798 5.2.8). */
static __attribute__((unused)) const uint8_t scapy_v3_v4[16] = {
	0x31, 0x15, 0xc8, 0x02, 0x00, 0x96, 0xfb, 0x36,
	0x0a, 0x0a, 0x01, 0x02, 0x0a, 0x0a, 0x01, 0x03,
};

/* v3 over IPv6 fe80::1 -> ff02::12, vrid 7, prio 100, 100 cs, fe80::100
 * and 2001:db8::100; bytes produced by scapy's VRRPv3 layer. */
static __attribute__((unused)) const uint8_t scapy_v3_v6[40] = {
	0x31, 0x07, 0x64, 0x02, 0x00, 0x64, 0x3e, 0x29, 0xfe, 0x80,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x01, 0x00, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00,
};

static __attribute__((unused)) struct vrrp_adv adv_v2(void)
{
	struct vrrp_adv a;

	memset(&a, 0, sizeof(a));
	a.version = 2;
	a.type = VRRP_TYPE_ADVERT;
	a.vrid = 11;
	a.priority = 100;
	a.naddr = 1;
	a.auth_type = VRRP_AUTH_SIMPLE;
	a.interval_cs = 100;
	memcpy(a.auth_data, "11112222", VRRP_AUTH_LEN);
	a.addrs[0] = A("10.10.1.1");
	return a;
}

static __attribute__((unused)) struct vrrp_expect expect_v2(const struct vaddr *addrs, size_t n)
{
	struct vrrp_expect e;

	memset(&e, 0, sizeof(e));
	e.version = 2;
	e.auth_type = VRRP_AUTH_SIMPLE;
	memcpy(e.auth_data, "11112222", VRRP_AUTH_LEN);
	e.interval_cs = 100;
	e.addrs = addrs;
	e.naddr = n;
	e.check_addrs = 1;
	return e;
}

/* Decode from an exactly sized heap copy so ASan sees any over-read. */
static __attribute__((unused)) enum vrrp_drop decode_exact(const uint8_t *p, size_t len,
				   const struct vrrp_rx_meta *m, struct vrrp_adv *out)
{
	uint8_t *copy = malloc(len ? len : 1);
	enum vrrp_drop d;

	assert_non_null(copy);
	if (len)
		memcpy(copy, p, len);
	d = vrrp_decode(copy, len, m, out);
	free(copy);
	return d;
}

static __attribute__((unused)) void assert_adv_equal(const struct vrrp_adv *a, const struct vrrp_adv *b)
{
	unsigned i;

	assert_int_equal(a->version, b->version);
	assert_int_equal(a->type, b->type);
	assert_int_equal(a->vrid, b->vrid);
	assert_int_equal(a->priority, b->priority);
	assert_int_equal(a->naddr, b->naddr);
	assert_int_equal(a->interval_cs, b->interval_cs);
	if (a->version == 2) {
		assert_int_equal(a->auth_type, b->auth_type);
		assert_memory_equal(a->auth_data, b->auth_data, VRRP_AUTH_LEN);
	}
	for (i = 0; i < a->naddr; i++)
		assert_int_equal(vaddr_cmp(&a->addrs[i], &b->addrs[i]), 0);
}

#endif
