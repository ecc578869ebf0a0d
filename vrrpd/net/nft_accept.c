/* Accept-mode enforcement through libnftables (nft_accept.h).
 *
 * Why nftables and one table of ours: RFC 5798 6.4.3 says a master that is
 * not the address owner "MUST NOT accept packets addressed to the IPvX
 * address(es) associated with the virtual router" unless Accept_Mode is
 * set; the kernel would deliver them, so a filter must drop them. A table
 * of our own (like keepalived's vrrp_strict table) never touches the
 * operator's rules, and deleting it at exit removes everything we made.
 *
 * What the chain lets through: VRRP itself (IP protocol 112) and IPv6
 * neighbour discovery to the VIP (a unicast neighbour solicitation for
 * NUD is addressed to it; ARP is not IP and never reaches this chain).
 *
 * The sets are counted here (refs per address) and only the difference
 * with what the kernel has is sent, in one batch per loop iteration:
 * nftables refuses a batch deleting an element that is absent (Debian 12's
 * nft 1.0.6 has no `destroy element`), and a batch is atomic, so a stale
 * guess would lose the whole batch. */
#include "nft_accept.h"

#include <nftables/libnftables.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

struct nft_entry {
	struct vaddr a;
	int refs;
	bool in_kernel;
};

struct nft_accept {
	struct nft_ctx *ctx;
	struct nft_entry *e;
	size_t n, cap;
	bool dirty;
};

static const char table_def[] =
	"table inet " NFT_ACCEPT_TABLE " {}\n"
	"delete table inet " NFT_ACCEPT_TABLE "\n"
	"table inet " NFT_ACCEPT_TABLE " {\n"
	"  set vips4 { type ipv4_addr; }\n"
	"  set vips6 { type ipv6_addr; }\n"
	"  chain input {\n"
	"    type filter hook input priority filter; policy accept;\n"
	"    meta l4proto 112 accept\n"
	"    ip daddr @vips4 drop\n"
	"    icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } accept\n"
	"    ip6 daddr @vips6 drop\n"
	"  }\n"
	"}\n";

static int run(struct nft_accept *na, const char *cmd, char *err, size_t errlen)
{
	const char *msg;

	if (nft_run_cmd_from_buffer(na->ctx, cmd) == 0)
		return 0;
	msg = nft_ctx_get_error_buffer(na->ctx);
	snprintf(err, errlen, "nftables: %s", msg && *msg ? msg : "command failed");
	/* one line is enough for a log */
	char *nl = strchr(err, '\n');
	if (nl)
		*nl = '\0';
	return -1;
}

struct nft_accept *nft_accept_new(char *err, size_t errlen)
{
	struct nft_accept *na = calloc(1, sizeof(*na));

	if (!na || !(na->ctx = nft_ctx_new(NFT_CTX_DEFAULT))) {
		snprintf(err, errlen, "nftables: out of memory");
		free(na);
		return NULL;
	}
	/* messages come back to us, never to the daemon's stdout/stderr */
	nft_ctx_buffer_output(na->ctx);
	nft_ctx_buffer_error(na->ctx);
	if (run(na, table_def, err, errlen) < 0) {
		nft_ctx_free(na->ctx);
		free(na);
		return NULL;
	}
	return na;
}

void nft_accept_free(struct nft_accept *na)
{
	char err[256];

	if (!na)
		return;
	(void)run(na, "delete table inet " NFT_ACCEPT_TABLE "\n", err, sizeof(err));
	nft_ctx_free(na->ctx);
	free(na->e);
	free(na);
}

static struct nft_entry *find(struct nft_accept *na, const struct vaddr *a)
{
	for (size_t i = 0; i < na->n; i++)
		if (vaddr_cmp(&na->e[i].a, a) == 0)
			return &na->e[i];
	return NULL;
}

void nft_accept_block(struct nft_accept *na, const struct vaddr *a, size_t n,
		      bool block)
{
	if (!na)
		return;
	for (size_t i = 0; i < n; i++) {
		struct nft_entry *x = find(na, &a[i]);
		if (!x && block) {
			if (na->n == na->cap) {
				size_t cap = na->cap ? na->cap * 2 : 16;
				struct nft_entry *v = realloc(na->e, cap * sizeof(*v));
				if (!v)
					continue; /* not blocked: fails open, never wedges */
				na->e = v;
				na->cap = cap;
			}
			x = &na->e[na->n++];
			memset(x, 0, sizeof(*x));
			x->a = a[i];
		}
		if (!x)
			continue;
		x->refs += block ? 1 : -1;
		if (x->refs < 0)
			x->refs = 0;
		na->dirty = true;
	}
}

/* "add|delete element inet vrrpd vipsF { a, b }\n" for the entries that
 * differ from the kernel in that direction; returns how many. */
static size_t emit(FILE *f, struct nft_accept *na, int af, bool add)
{
	char buf[VADDR_STRLEN];
	size_t k = 0;

	for (size_t i = 0; i < na->n; i++) {
		struct nft_entry *x = &na->e[i];
		if (x->a.af != af || (x->refs > 0) == x->in_kernel ||
		    (x->refs > 0) != add)
			continue;
		if (k++ == 0)
			fprintf(f, "%s element inet " NFT_ACCEPT_TABLE " vips%c { ",
				add ? "add" : "delete", af == AF_INET ? '4' : '6');
		else
			fputs(", ", f);
		fputs(vaddr_ntop(&x->a, buf, sizeof(buf)), f);
	}
	if (k)
		fputs(" }\n", f);
	return k;
}

static int send_diff(struct nft_accept *na, char *err, size_t errlen)
{
	char *cmd = NULL;
	size_t len = 0, k = 0;
	FILE *f;
	int rc = 0;

	if (!(f = open_memstream(&cmd, &len))) {
		snprintf(err, errlen, "nftables: out of memory");
		return -1;
	}
	k += emit(f, na, AF_INET, false) + emit(f, na, AF_INET6, false);
	k += emit(f, na, AF_INET, true) + emit(f, na, AF_INET6, true);
	fclose(f);
	if (k)
		rc = run(na, cmd, err, errlen);
	free(cmd);
	return rc < 0 ? rc : (int)k;
}

int nft_accept_flush(struct nft_accept *na, char *err, size_t errlen)
{
	size_t w = 0;
	int rc;

	if (!na || !na->dirty)
		return 0;
	rc = send_diff(na, err, errlen);
	if (rc < 0) {
		/* Someone changed our table (`nft flush ruleset`): make it
		 * again, empty, and send every counted address. */
		char e2[256];
		for (size_t i = 0; i < na->n; i++)
			na->e[i].in_kernel = false;
		if (run(na, table_def, e2, sizeof(e2)) == 0)
			rc = send_diff(na, e2, sizeof(e2));
		if (rc >= 0)
			log_warn("accept-mode: table inet " NFT_ACCEPT_TABLE " was changed by someone else; made again");
	}
	int sent = rc;
	/* On success the kernel has exactly the counted addresses; on failure
	 * the next change tries again (and the caller logs this one), rather
	 * than every loop iteration. */
	for (size_t i = 0; i < na->n; i++) {
		if (rc >= 0)
			na->e[i].in_kernel = na->e[i].refs > 0;
		if (na->e[i].refs > 0 || na->e[i].in_kernel)
			na->e[w++] = na->e[i];
	}
	na->n = w;
	na->dirty = false;
	return rc < 0 ? -1 : sent;
}

size_t nft_accept_count(const struct nft_accept *na)
{
	return na ? na->n : 0;
}
