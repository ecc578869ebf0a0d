/* Accept-mode enforcement (RFC 5798 6.4.3) with nftables: one table of
 * ours, `inet vrrpd`, whose input chain drops packets addressed to the
 * VIPs of masters that neither own them nor run in accept mode. The VIPs
 * are elements of two sets (vips4, vips6); the set changes are queued and
 * sent as one nftables batch per event-loop iteration (nft_accept_flush),
 * so 1000 masters changing state together cost one transaction. */
#ifndef VRRPD_NFT_ACCEPT_H
#define VRRPD_NFT_ACCEPT_H

#include <stdbool.h>
#include <stddef.h>

#include "vaddr.h"

#define NFT_ACCEPT_TABLE "vrrpd"

struct nft_accept;

/* Create the table (replacing one a killed vrrpd left). NULL with err when
 * nftables is unavailable: accept mode is then not enforced. */
struct nft_accept *nft_accept_new(char *err, size_t errlen);
/* Delete the table. */
void nft_accept_free(struct nft_accept *na);
/* Block (or stop blocking) input to n addresses. Counted per address: two
 * instances blocking one address need two unblocks. Queued until flush. */
void nft_accept_block(struct nft_accept *na, const struct vaddr *a, size_t n,
		      bool block);
/* Send the queued changes as one batch: how many addresses changed, or -1
 * with err. A batch the
 * kernel refuses (our table was changed by hand) makes the table again and
 * sends every counted address; if that fails too, the next change tries
 * again. */
int nft_accept_flush(struct nft_accept *na, char *err, size_t errlen);
/* Addresses currently in the sets (for tests and status). */
size_t nft_accept_count(const struct nft_accept *na);

#endif
