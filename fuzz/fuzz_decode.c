/* libFuzzer harness for the VRRP codec: vrrp_decode() and
 * vrrp_check_expected() over arbitrary bytes, plus a round-trip property
 * (whatever decodes and re-encodes must decode to the same advert).
 * `make fuzz` builds and runs it (fuzz/README.md).
 *
 * Input layout: byte 0 is a set of flags steering the harness, byte 1 a
 * TTL, the rest is the VRRP payload. One flag makes the harness fix the
 * checksum first, so the fuzzer gets past it and reaches the field
 * decoding and the instance checks. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "fuzz_util.h"
#include "vrrp_pkt.h"

enum {
	F_IPV6 = 1 << 0,         /* packet arrived over IPv6 */
	F_FIX_CKSUM = 1 << 1,    /* recompute the checksum before decoding */
	F_BAD_TTL = 1 << 2,      /* use byte 1 as TTL instead of 255 */
	F_CHECK_ADDRS = 1 << 3,  /* expect.check_addrs */
	F_EXPECT_V3 = 1 << 4,    /* instance runs v3 (else v2) */
	F_ADDRS_FROM_PKT = 1 << 5, /* expected addresses = advertised, reversed */
	F_AUTH_SIMPLE = 1 << 6,  /* instance uses simple password "11112222" */
	F_MIXED_FAMILY = 1 << 7, /* src and dst of different families */
};

static void set_meta(struct vrrp_rx_meta *m, uint8_t flags, uint8_t ttl)
{
	static const uint8_t s4[4] = { 10, 0, 0, 1 }, d4[4] = { 224, 0, 0, 18 };
	static const uint8_t s6[16] = { 0xfe, 0x80, [15] = 1 };
	static const uint8_t d6[16] = { 0xff, 0x02, [15] = 0x12 };

	memset(m, 0, sizeof(*m));
	if (flags & F_IPV6) {
		vaddr_from_raw(&m->src, AF_INET6, s6);
		vaddr_from_raw(&m->dst, AF_INET6, d6);
	} else {
		vaddr_from_raw(&m->src, AF_INET, s4);
		vaddr_from_raw(&m->dst, AF_INET, d4);
	}
	if (flags & F_MIXED_FAMILY)
		vaddr_from_raw(&m->dst, AF_INET6, d6);
	m->ttl = (flags & F_BAD_TTL) ? ttl : VRRP_TTL;
}

static void check_expected(const struct vrrp_adv *adv, uint8_t flags)
{
	static struct vaddr addrs[VRRP_MAX_ADDRS];
	struct vrrp_expect exp;
	size_t i;

	memset(&exp, 0, sizeof(exp));
	exp.version = (flags & F_EXPECT_V3) ? 3 : 2;
	exp.auth_type = (flags & F_AUTH_SIMPLE) ? VRRP_AUTH_SIMPLE : VRRP_AUTH_NONE;
	memcpy(exp.auth_data, "11112222", VRRP_AUTH_LEN);
	exp.interval_cs = 100;
	exp.check_addrs = !!(flags & F_CHECK_ADDRS);
	if (flags & F_ADDRS_FROM_PKT) {
		for (i = 0; i < adv->naddr; i++)
			addrs[i] = adv->addrs[adv->naddr - 1 - i];
		exp.naddr = adv->naddr;
	} else {
		vaddr_parse("10.10.1.1", &addrs[0], NULL);
		exp.naddr = 1;
	}
	exp.addrs = addrs;

	enum vrrp_drop d = vrrp_check_expected(adv, &exp);
	if (d >= VRRP_DROP__MAX || !vrrp_drop_name(d))
		abort();
	/* The same list, reversed, is always acceptable. */
	if ((flags & F_ADDRS_FROM_PKT) && d == VRRP_DROP_ADDRLIST && adv->naddr != 0)
		abort();
}

/* Re-encode a decoded advert with the same addresses: it must decode to
 * the same fields (reserved bits and unused v2 auth data may differ). */
static void check_roundtrip(const struct vrrp_adv *adv, size_t len,
			    const struct vrrp_rx_meta *m)
{
	static uint8_t buf[VRRP_HDR_LEN + VRRP_MAX_ADDRS * 16 + VRRP_AUTH_LEN];
	static struct vrrp_adv again;
	size_t n = vrrp_encode(buf, sizeof(buf), adv, &m->src, &m->dst);

	if (n == 0)
		return;
	if (n != len || vrrp_decode(buf, n, m, &again) != VRRP_OK)
		abort();
	if (again.version != adv->version || again.vrid != adv->vrid ||
	    again.priority != adv->priority || again.naddr != adv->naddr ||
	    again.interval_cs != adv->interval_cs || again.auth_type != adv->auth_type)
		abort();
	for (size_t i = 0; i < adv->naddr; i++)
		if (vaddr_cmp(&again.addrs[i], &adv->addrs[i]) != 0)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vrrp_adv adv;
	struct vrrp_rx_meta meta;
	uint8_t flags, *pkt;
	size_t len;
	enum vrrp_drop d;

	if (size < 2)
		return 0;
	flags = data[0];
	set_meta(&meta, flags, data[1]);
	len = size - 2;
	/* An exactly sized copy so ASan flags any read past the payload. */
	pkt = malloc(len ? len : 1);
	if (!pkt)
		return 0;
	memcpy(pkt, data + 2, len);
	if (flags & F_FIX_CKSUM)
		fuzz_fix_cksum(pkt, len, &meta);

	d = vrrp_decode(pkt, len, &meta, &adv);
	if (d >= VRRP_DROP__MAX)
		abort();
	/* vrid must be attributable as soon as the fixed header is there. */
	if (len >= VRRP_HDR_LEN ? adv.vrid != pkt[1] : adv.vrid != 0)
		abort();
	if (len < VRRP_HDR_LEN && d != VRRP_DROP_LENGTH)
		abort();
	if (d == VRRP_OK) {
		check_expected(&adv, flags);
		check_roundtrip(&adv, len, &meta);
	}
	free(pkt);
	return 0;
}
