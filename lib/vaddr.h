/* Address-family-neutral IP addresses: one type for IPv4 and IPv6 so the
 * codec, state machine and instance code never branch on the family
 * except where the wire format or a kernel API demands it. */
#ifndef VRRP_VADDR_H
#define VRRP_VADDR_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vaddr {
	int af; /* AF_INET or AF_INET6; 0 = unset */
	union {
		struct in_addr v4;
		struct in6_addr v6;
		uint8_t bytes[16];
	} u;
};

#define VADDR_STRLEN 46 /* INET6_ADDRSTRLEN */

/* Length of the address in bytes for its family (4 or 16; 0 if unset). */
size_t vaddr_len(const struct vaddr *a);
/* Parse "A" or "A/P". plen may be NULL (then a prefix is an error); when no
 * prefix is given *plen is set to the host length (32 or 128).
 * Returns 0 or -1. */
int vaddr_parse(const char *s, struct vaddr *a, int *plen);
/* Print the address (no prefix) into buf; returns buf ("?" if unset). */
const char *vaddr_ntop(const struct vaddr *a, char *buf, size_t len);
/* Total order: family first, then bytes in network order (RFC 5798 6.4.3
 * compares primary addresses as unsigned integers). */
int vaddr_cmp(const struct vaddr *a, const struct vaddr *b);
bool vaddr_is_set(const struct vaddr *a);
/* 224.0.0.0/4 or ff00::/8 */
bool vaddr_is_multicast(const struct vaddr *a);
void vaddr_from_raw(struct vaddr *a, int af, const void *raw);

#endif
