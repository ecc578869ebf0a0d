/* VRRP advertisement codec: RFC 3768 section 5 (v2, IPv4 only) and
 * RFC 5798 section 5 (v3, IPv4 and IPv6). Pure functions over byte
 * buffers; every received packet is validated here before use.
 *
 * Wire layout (both versions share the first four bytes and the checksum):
 *   0: version(4) | type(4)   1: VRID   2: priority   3: count of addresses
 *   v2: 4: auth type  5: advertisement interval (seconds)
 *   v3: 4-5: reserved(4) | max advertisement interval (12, centiseconds)
 *   6-7: checksum, then the addresses, then (v2 only) 8 bytes auth data. */
#include "vrrp_pkt.h"

#include <string.h>
#include <sys/socket.h>

#define V2_MAX_INTERVAL_S 255
#define V3_MAX_INTERVAL_CS 0x0fff

/* Checksum convention: sums and the result are the numeric values of
 * big-endian 16-bit words, so the result is stored high byte first and a
 * buffer that includes a correct checksum sums to 0. */
static uint64_t sum_words(const uint8_t *p, size_t len, uint64_t sum)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	/* RFC 1071: an odd trailing byte is padded with a zero low byte. */
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

uint16_t vrrp_cksum(const void *data, size_t len, uint32_t sum)
{
	uint64_t s = sum_words(data, len, sum);

	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* RFC 5798 5.2.8: the v3 checksum covers a pseudo-header (RFC 2460 8.1
 * for IPv6, the RFC 768 style one for IPv4): source, destination, upper
 * layer length, zero padding and protocol 112. Zero bytes add nothing,
 * so only the non-zero parts are summed; the 32-bit IPv6 length has a
 * zero upper half because a VRRP message is at most 4088 bytes. */
static uint32_t pseudo_sum(const struct vaddr *src, const struct vaddr *dst,
			   size_t vrrp_len)
{
	uint64_t s = 0;

	s = sum_words(src->u.bytes, vaddr_len(src), s);
	s = sum_words(dst->u.bytes, vaddr_len(dst), s);
	s += VRRP_IPPROTO;
	s += vrrp_len & 0xffff;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint32_t)s;
}

/* The address family the packet's IP header says it arrived over / will
 * leave with; 0 if src and dst disagree or are unset. */
static int meta_family(const struct vaddr *src, const struct vaddr *dst)
{
	if (!vaddr_is_set(src) || src->af != dst->af)
		return 0;
	return src->af;
}

static size_t family_addr_len(int af)
{
	return af == AF_INET ? 4 : af == AF_INET6 ? 16 : 0;
}

/* Total message length for a version, family and address count. */
static size_t vrrp_msg_len(int version, size_t alen, size_t naddr)
{
	return VRRP_HDR_LEN + naddr * alen + (version == 2 ? VRRP_AUTH_LEN : 0);
}

/* Refuse anything a peer could not decode, so we never send what we
 * would ourselves drop (RFC 3768 5.3, RFC 5798 5.2). */
static int encode_valid(const struct vrrp_adv *adv, int af)
{
	unsigned i;

	if (adv->version != 2 && adv->version != 3)
		return 0;
	if (af == 0 || (adv->version == 2 && af != AF_INET))
		return 0;
	if (adv->naddr < 1)
		return 0;
	for (i = 0; i < adv->naddr; i++)
		if (adv->addrs[i].af != af)
			return 0;
	if (adv->version == 2) {
		/* RFC 3768 5.3.7: a whole number of seconds in one byte. */
		if (adv->interval_cs % 100 != 0 || adv->interval_cs < 100 ||
		    adv->interval_cs / 100 > V2_MAX_INTERVAL_S)
			return 0;
		/* RFC 3768 5.3.6: only "none" and "simple" are left. */
		if (adv->auth_type != VRRP_AUTH_NONE &&
		    adv->auth_type != VRRP_AUTH_SIMPLE)
			return 0;
	} else if (adv->interval_cs < 1 || adv->interval_cs > V3_MAX_INTERVAL_CS) {
		return 0;
	}
	return 1;
}

size_t vrrp_encode(uint8_t *buf, size_t buflen, const struct vrrp_adv *adv,
		   const struct vaddr *src, const struct vaddr *dst)
{
	int af = meta_family(src, dst);
	size_t alen = family_addr_len(af);
	size_t len, off, i;
	uint16_t ck;

	if (!encode_valid(adv, af))
		return 0;
	len = vrrp_msg_len(adv->version, alen, adv->naddr);
	if (buflen < len)
		return 0;

	/* Advertisement is the only type defined by either RFC. */
	buf[0] = (uint8_t)(adv->version << 4 | VRRP_TYPE_ADVERT);
	buf[1] = adv->vrid;
	buf[2] = adv->priority;
	buf[3] = adv->naddr;
	if (adv->version == 2) {
		buf[4] = adv->auth_type;
		buf[5] = (uint8_t)(adv->interval_cs / 100);
	} else {
		/* RFC 5798 5.2.6: reserved bits are sent as zero. */
		buf[4] = (uint8_t)(adv->interval_cs >> 8 & 0x0f);
		buf[5] = (uint8_t)(adv->interval_cs & 0xff);
	}
	buf[6] = buf[7] = 0;
	off = VRRP_HDR_LEN;
	for (i = 0; i < adv->naddr; i++, off += alen)
		memcpy(buf + off, adv->addrs[i].u.bytes, alen);
	if (adv->version == 2) {
		/* RFC 3768 5.3.6.1: with no authentication the field is zero. */
		if (adv->auth_type == VRRP_AUTH_SIMPLE)
			memcpy(buf + off, adv->auth_data, VRRP_AUTH_LEN);
		else
			memset(buf + off, 0, VRRP_AUTH_LEN);
	}

	/* RFC 3768 5.3.8: v2 sums the VRRP message only; RFC 5798 5.2.8: v3
	 * adds the pseudo-header. */
	ck = vrrp_cksum(buf, len, adv->version == 3 ? pseudo_sum(src, dst, len) : 0);
	buf[6] = (uint8_t)(ck >> 8);
	buf[7] = (uint8_t)(ck & 0xff);
	return len;
}

enum vrrp_drop vrrp_decode(const uint8_t *buf, size_t len,
			   const struct vrrp_rx_meta *meta, struct vrrp_adv *out)
{
	int af, version;
	size_t alen, off, i;

	memset(out, 0, sizeof(*out));
	if (len < VRRP_HDR_LEN)
		return VRRP_DROP_LENGTH;
	out->vrid = buf[1];

	/* RFC 3768 7.1 / RFC 5798 7.1: TTL (hop limit) must be 255, which
	 * proves the sender is on the link. The RFCs define multicast only:
	 * a unicast advert (keepalived unicast_peer) is checked by the
	 * instance against its peers' TTL bounds instead. */
	if (meta->ttl != VRRP_TTL && vaddr_is_multicast(&meta->dst))
		return VRRP_DROP_TTL;

	version = buf[0] >> 4;
	af = meta_family(&meta->src, &meta->dst);
	if ((version != 2 && version != 3) || af == 0 ||
	    (version == 2 && af != AF_INET))
		return VRRP_DROP_VERSION;
	if ((buf[0] & 0x0f) != VRRP_TYPE_ADVERT)
		return VRRP_DROP_TYPE;

	/* The length must match the address count exactly; v2 carries the
	 * 8 bytes of authentication data after the addresses (RFC 3768 5.1). */
	alen = family_addr_len(af);
	if (len != vrrp_msg_len(version, alen, buf[3]))
		return VRRP_DROP_LENGTH;

	if (vrrp_cksum(buf, len,
		       version == 3 ? pseudo_sum(&meta->src, &meta->dst, len) : 0) != 0)
		return VRRP_DROP_CHECKSUM;

	out->version = (uint8_t)version;
	out->type = VRRP_TYPE_ADVERT;
	out->priority = buf[2];
	out->naddr = buf[3];
	if (version == 2) {
		out->auth_type = buf[4];
		out->interval_cs = (uint16_t)(buf[5] * 100);
	} else {
		out->interval_cs = (uint16_t)((buf[4] & 0x0f) << 8 | buf[5]);
	}
	off = VRRP_HDR_LEN;
	for (i = 0; i < out->naddr; i++, off += alen)
		vaddr_from_raw(&out->addrs[i], af, buf + off);
	if (version == 2)
		memcpy(out->auth_data, buf + off, VRRP_AUTH_LEN);
	return VRRP_OK;
}

static int addr_in(const struct vaddr *a, const struct vaddr *set, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (vaddr_cmp(a, &set[i]) == 0)
			return 1;
	return 0;
}

/* RFC 3768 7.1 / RFC 5798 7.1: the advertised addresses must be the ones
 * configured for the VRID, in any order. Checking both directions with
 * equal counts also catches duplicates hiding a missing address. */
static int addrs_match(const struct vrrp_adv *adv, const struct vrrp_expect *exp)
{
	size_t i;

	if (adv->naddr != exp->naddr)
		return 0;
	for (i = 0; i < adv->naddr; i++)
		if (!addr_in(&adv->addrs[i], exp->addrs, exp->naddr))
			return 0;
	for (i = 0; i < exp->naddr; i++)
		if (!addr_in(&exp->addrs[i], adv->addrs, adv->naddr))
			return 0;
	return 1;
}

enum vrrp_drop vrrp_check_expected(const struct vrrp_adv *adv,
				   const struct vrrp_expect *exp)
{
	if (adv->version != exp->version)
		return VRRP_DROP_VERSION;
	if (adv->version == 2) {
		/* RFC 3768 7.1: authentication type must match the configured
		 * one; for simple text the 8 bytes must match too. */
		if (adv->auth_type != exp->auth_type)
			return VRRP_DROP_AUTH;
		if (adv->auth_type == VRRP_AUTH_SIMPLE &&
		    memcmp(adv->auth_data, exp->auth_data, VRRP_AUTH_LEN) != 0)
			return VRRP_DROP_AUTH;
		/* RFC 3768 7.1: the interval must match the configured one. */
		if (adv->interval_cs != exp->interval_cs)
			return VRRP_DROP_INTERVAL;
	} else if (adv->interval_cs == 0) {
		/* RFC 5798 6.4.2: a backup learns the master's interval, so a
		 * different one is fine; zero would make Master_Down_Interval
		 * just the skew time and is never valid (RFC 8347: 1..4095). */
		return VRRP_DROP_INTERVAL;
	}
	/* RFC 5798 5.2.5: at least one address; an empty list is never valid. */
	if (adv->naddr == 0)
		return VRRP_DROP_ADDRLIST;
	/* RFC 3768 7.1: a mismatch is only tolerated from the address owner. */
	if (exp->check_addrs && adv->priority != VRRP_PRIO_OWNER &&
	    !addrs_match(adv, exp))
		return VRRP_DROP_ADDRLIST;
	return VRRP_OK;
}

const char *vrrp_drop_name(enum vrrp_drop d)
{
	static const char *const names[VRRP_DROP__MAX] = {
		[VRRP_OK] = "ok",
		[VRRP_DROP_LENGTH] = "packet-length-errors",
		[VRRP_DROP_TTL] = "ip-ttl-errors",
		[VRRP_DROP_VERSION] = "version-errors",
		[VRRP_DROP_TYPE] = "invalid-type-pkts-rcvd",
		[VRRP_DROP_CHECKSUM] = "checksum-errors",
		[VRRP_DROP_VRID] = "vrid-errors",
		[VRRP_DROP_AUTH] = "auth-errors",
		[VRRP_DROP_INTERVAL] = "interval-errors",
		[VRRP_DROP_ADDRLIST] = "address-list-errors",
		[VRRP_DROP_PEER] = "unicast-source-errors",
	};

	if ((unsigned)d >= VRRP_DROP__MAX)
		return "unknown";
	return names[d];
}
