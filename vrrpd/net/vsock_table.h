/* The shared VRRP sockets: one raw socket per (interface, address family),
 * shared by every instance on it, with a 256-entry table that hands each
 * received advert to the owner of its VRID in O(1). Every packet goes
 * through the codec (lib/vrrp_pkt.c) before an owner sees it; what fails
 * is counted on the owner of the VRID, or daemon-wide when no one owns it. */
#ifndef VRRPD_VSOCK_TABLE_H
#define VRRPD_VSOCK_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vaddr.h"
#include "vrrp_pkt.h"

struct loop;
struct vsock;
struct vtab;

struct vtab_ops {
	void *arg;
	/* A valid advert for owner's VRID. */
	void (*packet)(void *owner, const struct vrrp_adv *adv,
		       const struct vrrp_rx_meta *meta);
	/* An advert for owner's VRID that failed the codec. */
	void (*drop)(void *owner, enum vrrp_drop d, const struct vaddr *src);
	/* A packet no owner claims (unknown VRID, too short to name one). */
	void (*global_drop)(void *arg, enum vrrp_drop d, const struct vaddr *src,
			    int ifindex);
	/* The owner's name, for "VRID 11 on eth0 is already used by VI_1". */
	const char *(*owner_name)(const void *owner);
};

struct vtab *vtab_new(struct loop *loop, const struct vtab_ops *ops);
/* Closes every socket; owners must have detached. */
void vtab_free(struct vtab *t);

/* The socket for (ifindex, af), opened on first use, with vrid claimed by
 * owner. addr_ifindex is the interface whose addresses give the source
 * (ifindex itself, or the parent of a virtual MAC). NULL with err when the
 * socket can't be opened or the VRID is claimed by another owner. */
struct vsock *vtab_attach(struct vtab *t, int ifindex, const char *ifname,
			  int addr_ifindex, int af, uint8_t vrid, void *owner,
			  char *err, size_t errlen);
/* Release vrid; the last owner closes the socket. */
void vtab_detach(struct vtab *t, struct vsock *vs, uint8_t vrid,
		 const void *owner);

/* Addresses on ifindex changed: vtab_next_dirty() reports the sockets
 * whose addr_ifindex it is once, so the primary address is recomputed once per interface and
 * loop iteration, not once per event and instance. */
void vtab_mark_addr_dirty(struct vtab *t, int ifindex);
/* One dirty socket: its interface, family and owners (copied, since the
 * owners' reactions may detach). Returns false when none is left. */
bool vtab_next_dirty(struct vtab *t, int *ifindex, int *af, void *owners[256],
		     size_t *n);

/* Send what every socket has queued (once per loop iteration). */
void vtab_flush_all(struct vtab *t);

#endif
