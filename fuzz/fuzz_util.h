/* Helpers shared by the libFuzzer harnesses (fuzz/fuzz_*.c). Header only:
 * each harness is one translation unit linked with the libraries. */
#ifndef VRRPD_FUZZ_UTIL_H
#define VRRPD_FUZZ_UTIL_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vrrp_pkt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An exactly sized, NUL-terminated copy of the input, so ASan flags any
 * read past its end (libFuzzer's own buffer is not terminated). */
static inline char *fuzz_strndup(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s) {
		memcpy(s, data, size);
		s[size] = '\0';
	}
	return s;
}

/* Fix the checksum the way a sender would, so the fuzzer gets past it to
 * the field decoding: v2 over the message, v3 with the pseudo-header
 * (RFC 5798 5.2.8). The folded pseudo-header sum is the complement of its
 * checksum. The IPv4 layout (src, dst, zero, protocol, 16-bit length) is
 * used for IPv6 too: the RFC 2460 layout has the same non-zero 16-bit
 * words, so the sum is identical. */
static inline void fuzz_fix_cksum(uint8_t *p, size_t len,
				  const struct vrrp_rx_meta *m)
{
	uint8_t ph[40] = { 0 };
	size_t alen = vaddr_len(&m->src), plen = 2 * alen + 4;
	uint16_t ck;
	uint32_t sum = 0;

	if (len < VRRP_HDR_LEN || len > 0xffff)
		return;
	if (p[0] >> 4 == 3 && alen && m->src.af == m->dst.af) {
		memcpy(ph, m->src.u.bytes, alen);
		memcpy(ph + alen, m->dst.u.bytes, alen);
		ph[2 * alen + 1] = VRRP_IPPROTO;
		ph[2 * alen + 2] = (uint8_t)(len >> 8);
		ph[2 * alen + 3] = (uint8_t)len;
		sum = (uint16_t)~vrrp_cksum(ph, plen, 0);
	}
	p[6] = p[7] = 0;
	ck = vrrp_cksum(p, len, sum);
	p[6] = (uint8_t)(ck >> 8);
	p[7] = (uint8_t)ck;
}

#endif
