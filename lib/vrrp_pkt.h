/* VRRP advertisement codec (RFC 3768 version 2, RFC 5798 version 3).
 * Pure functions: no sockets, no global state. Every received packet is
 * checked here, in one place, before anything else looks at it. */
#ifndef VRRP_PKT_H
#define VRRP_PKT_H

#include <stddef.h>
#include <stdint.h>

#include "vaddr.h"

#define VRRP_IPPROTO 112
#define VRRP_TYPE_ADVERT 1
#define VRRP_TTL 255
#define VRRP_HDR_LEN 8
#define VRRP_AUTH_LEN 8 /* v2 authentication data */
#define VRRP_MAX_ADDRS 255
#define VRRP_PRIO_OWNER 255
#define VRRP_PRIO_STOP 0

enum vrrp_auth_type { VRRP_AUTH_NONE = 0, VRRP_AUTH_SIMPLE = 1, VRRP_AUTH_AH = 2 };

/* Why a received packet was dropped. Names follow RFC 8347 counters. */
enum vrrp_drop {
	VRRP_OK = 0,
	VRRP_DROP_LENGTH,    /* packet-length-errors */
	VRRP_DROP_TTL,       /* ip-ttl-errors */
	VRRP_DROP_VERSION,   /* version-errors */
	VRRP_DROP_TYPE,      /* invalid-type-pkts-rcvd */
	VRRP_DROP_CHECKSUM,  /* checksum-errors */
	VRRP_DROP_VRID,      /* vrid-errors */
	VRRP_DROP_AUTH,      /* auth-errors (v2) */
	VRRP_DROP_INTERVAL,  /* interval-errors */
	VRRP_DROP_ADDRLIST,  /* address-list-errors */
	VRRP_DROP_PEER,      /* unicast-source-errors (not RFC 8347) */
	VRRP_DROP__MAX
};

/* A decoded advertisement. For v2 the interval is converted to
 * centiseconds so the rest of the daemon uses one unit. */
struct vrrp_adv {
	uint8_t version;  /* 2 or 3 */
	uint8_t type;     /* VRRP_TYPE_ADVERT */
	uint8_t vrid;
	uint8_t priority;
	uint8_t naddr;
	uint8_t auth_type;             /* v2 only */
	uint16_t interval_cs;          /* v3: 12 bits; v2: seconds * 100 */
	char auth_data[VRRP_AUTH_LEN]; /* v2 only, not NUL-terminated */
	struct vaddr addrs[VRRP_MAX_ADDRS];
};

/* What the network layer knows about a received packet besides its
 * VRRP payload: the IP source and destination and the TTL/hop limit. */
struct vrrp_rx_meta {
	struct vaddr src;
	struct vaddr dst;
	int ttl;
	/* when the kernel received it, CLOCK_MONOTONIC microseconds; 0 if
	 * unknown. Not the codec's: the instance times its timers from it. */
	uint64_t rx_us;
};

/* Encode adv into buf. af of src/dst must match adv->addrs. v3 checksum
 * uses the pseudo-header from src and dst (RFC 5798 5.2.8), for IPv4 too.
 * Returns bytes written or 0 if buf is too small or adv is inconsistent. */
size_t vrrp_encode(uint8_t *buf, size_t buflen, const struct vrrp_adv *adv,
		   const struct vaddr *src, const struct vaddr *dst);

/* Decode and check the packet-level rules (RFC 5798 7.1, RFC 3768 7.1):
 * TTL 255, version 2/3, type advertisement, length consistent with the
 * address count and family, checksum. buf is the VRRP payload (IP header
 * already stripped). Returns VRRP_OK and fills out, or the drop reason.
 * out->vrid is filled as soon as the fixed header is readable, so callers
 * can attribute a drop to an instance. */
enum vrrp_drop vrrp_decode(const uint8_t *buf, size_t len,
			   const struct vrrp_rx_meta *meta, struct vrrp_adv *out);

/* What an instance expects of adverts for its VRID. */
struct vrrp_expect {
	uint8_t version;
	uint8_t auth_type;             /* v2 */
	char auth_data[VRRP_AUTH_LEN]; /* v2, zero padded */
	uint16_t interval_cs;          /* checked for v2 only */
	const struct vaddr *addrs;     /* configured virtual addresses */
	size_t naddr;
	int check_addrs;               /* 0 = skip (vrrp_skip_check_adv_addr) */
};

/* Instance-level checks after demultiplexing by VRID: version match, v2
 * authentication, v2 interval, address list (skipped when the sender is
 * the address owner, priority 255, per RFC 3768 7.1). */
enum vrrp_drop vrrp_check_expected(const struct vrrp_adv *adv,
				   const struct vrrp_expect *exp);

/* Counter names, RFC 8347 style ("checksum-errors", ...). */
const char *vrrp_drop_name(enum vrrp_drop d);

/* Internet checksum over a buffer with an initial partial sum. */
uint16_t vrrp_cksum(const void *data, size_t len, uint32_t sum);

#endif
