/* The shared VRRP sockets and the VRID demultiplexer; see vsock_table.h. */
#include "vsock_table.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>

#include "log.h"
#include "loop.h"
#include "vsock.h"

/* Bounded drain per wakeup: the timers that run after the input see every
 * advert that arrived before them, and a flood can't hold the loop. */
#define RX_ROUNDS 64

struct vtab_ent {
	struct vtab *t;
	struct vsock *vs;
	int ifindex;
	int addr_ifindex;
	int af;
	unsigned users;
	void *by_vrid[256];
	bool addr_dirty;
	struct vtab_ent *next;
};

struct vtab {
	struct loop *loop;
	struct vtab_ops ops;
	struct vtab_ent *ents;
	unsigned ndirty; /* entries with addr_dirty: none is the usual turn */
	/* the shared receiver's entries sorted by ifindex, for its packets'
	 * arrival interface */
	struct vtab_ent **by_ifindex;
	size_t nby, capby;
};

struct vtab *vtab_new(struct loop *loop, const struct vtab_ops *ops)
{
	struct vtab *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->loop = loop;
	t->ops = *ops;
	return t;
}

static size_t by_ifindex_pos(const struct vtab *t, int ifindex)
{
	size_t lo = 0, hi = t->nby;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->by_ifindex[mid]->ifindex < ifindex)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static struct vtab_ent *shared_ent(const struct vtab *t, int ifindex)
{
	size_t i = by_ifindex_pos(t, ifindex);
	return i < t->nby && t->by_ifindex[i]->ifindex == ifindex ? t->by_ifindex[i]
								   : NULL;
}

static void ent_close(struct vtab *t, struct vtab_ent *se)
{
	if (se->addr_dirty)
		t->ndirty--;
	if (vsock_is_shared_rx(se->vs)) {
		size_t i = by_ifindex_pos(t, se->ifindex);
		if (i < t->nby && t->by_ifindex[i] == se) {
			memmove(&t->by_ifindex[i], &t->by_ifindex[i + 1],
				(t->nby - i - 1) * sizeof(*t->by_ifindex));
			t->nby--;
		}
		/* the last one: the receiver closes with its socket */
		if (!t->nby)
			loop_del_fd(t->loop, vsock_shared_rx_fd());
	} else {
		loop_del_fd(t->loop, vsock_fd(se->vs));
	}
	vsock_close(se->vs);
	free(se);
}

void vtab_free(struct vtab *t)
{
	if (!t)
		return;
	while (t->ents) {
		struct vtab_ent *se = t->ents;
		t->ents = se->next;
		ent_close(t, se);
	}
	free(t->by_ifindex);
	free(t);
}

static void dispatch(struct vtab *t, struct vtab_ent *se, struct vsock_pkt *p)
{
	static struct vrrp_adv adv; /* large; the loop is single threaded */

	if (p->bad_ip) {
		t->ops.global_drop(t->ops.arg, VRRP_DROP_LENGTH, &p->meta.src,
				   se->ifindex);
		return;
	}
	enum vrrp_drop d = vrrp_decode(p->payload, p->len, &p->meta, &adv);
	void *owner = adv.vrid ? se->by_vrid[adv.vrid] : NULL;
	if (!owner)
		t->ops.global_drop(t->ops.arg, d == VRRP_OK ? VRRP_DROP_VRID : d,
				   &p->meta.src, se->ifindex);
	else if (d != VRRP_OK)
		t->ops.drop(owner, d, &p->meta.src);
	else
		t->ops.packet(owner, &adv, &p->meta);
}

static void readable(void *arg, uint32_t events)
{
	struct vtab_ent *se = arg;
	struct vsock_pkt pkts[VSOCK_BATCH];
	(void)events;

	for (int round = 0; round < RX_ROUNDS; round++) {
		int n = vsock_recv(se->vs, pkts);
		for (int i = 0; i < n; i++)
			dispatch(se->t, se, &pkts[i]);
		if (n < VSOCK_BATCH)
			break;
	}
}

/* The shared receiver of the IPv4 virtual MACs: each packet goes to the
 * entry of its arrival interface. One the filter let through before it
 * knew of the entry's removal (or from a filterless socket) has none and
 * is not ours: the socket bound to its interface, if any, has its copy. */
static void readable_shared(void *arg, uint32_t events)
{
	struct vtab *t = arg;
	struct vsock_pkt pkts[VSOCK_BATCH];
	(void)events;

	for (int round = 0; round < RX_ROUNDS; round++) {
		int n = vsock_recv_shared(pkts);
		for (int i = 0; i < n; i++) {
			struct vtab_ent *se = shared_ent(t, pkts[i].ifindex);
			if (se)
				dispatch(t, se, &pkts[i]);
		}
		if (n < VSOCK_BATCH)
			break;
	}
}

static int shared_insert(struct vtab *t, struct vtab_ent *se)
{
	if (t->nby == t->capby) {
		size_t cap = t->capby ? t->capby * 2 : 16;
		struct vtab_ent **p = realloc(t->by_ifindex, cap * sizeof(*p));
		if (!p)
			return -1;
		t->by_ifindex = p;
		t->capby = cap;
	}
	if (!t->nby && loop_add_fd(t->loop, vsock_shared_rx_fd(), EPOLLIN,
				   readable_shared, t) < 0)
		return -1;
	size_t i = by_ifindex_pos(t, se->ifindex);
	memmove(&t->by_ifindex[i + 1], &t->by_ifindex[i],
		(t->nby - i) * sizeof(*t->by_ifindex));
	t->by_ifindex[i] = se;
	t->nby++;
	return 0;
}

/* parent_ifindex: where the addresses live, another interface than
 * ifindex for a virtual MAC */
static struct vtab_ent *ent_open(struct vtab *t, int ifindex, const char *ifname,
				 int af, int parent_ifindex, char *err, size_t errlen)
{
	bool vmac = parent_ifindex != ifindex;
	struct vtab_ent *se = calloc(1, sizeof(*se));
	if (!se) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	se->t = t;
	se->ifindex = ifindex;
	se->af = af;
	/* an IPv4 virtual MAC reads through the shared receiver */
	se->vs = vmac && af == AF_INET
			 ? vsock_open_vmac4(ifindex, ifname, parent_ifindex, err, errlen)
			 : vsock_open(ifindex, ifname, af, err, errlen);
	if (!se->vs) {
		free(se);
		return NULL;
	}
	int rc = vsock_is_shared_rx(se->vs) ? shared_insert(t, se)
			       : loop_add_fd(t->loop, vsock_fd(se->vs), EPOLLIN,
					     readable, se);
	if (rc < 0) {
		snprintf(err, errlen, "epoll: %s", strerror(errno));
		vsock_close(se->vs);
		free(se);
		return NULL;
	}
	se->next = t->ents;
	t->ents = se;
	return se;
}

static void ent_unlink(struct vtab *t, struct vtab_ent *se)
{
	for (struct vtab_ent **pp = &t->ents; *pp; pp = &(*pp)->next) {
		if (*pp == se) {
			*pp = se->next;
			ent_close(t, se);
			return;
		}
	}
}

struct vsock *vtab_attach(struct vtab *t, int ifindex, const char *ifname,
			  int addr_ifindex, int af, uint8_t vrid, void *owner,
			  char *err, size_t errlen)
{
	struct vtab_ent *se;

	for (se = t->ents; se; se = se->next)
		if (se->ifindex == ifindex && se->af == af)
			break;
	/* a virtual MAC: its addresses are its parent's */
	if (!se && !(se = ent_open(t, ifindex, ifname, af, addr_ifindex, err, errlen)))
		return NULL;
	se->addr_ifindex = addr_ifindex;
	if (se->by_vrid[vrid] && se->by_vrid[vrid] != owner) {
		snprintf(err, errlen, "VRID %u on %s is already used by %s", vrid,
			 ifname, t->ops.owner_name(se->by_vrid[vrid]));
		if (!se->users)
			ent_unlink(t, se); /* freshly opened for nothing */
		return NULL;
	}
	if (!se->by_vrid[vrid])
		se->users++;
	se->by_vrid[vrid] = owner;
	return se->vs;
}

void vtab_detach(struct vtab *t, struct vsock *vs, uint8_t vrid,
		 const void *owner)
{
	for (struct vtab_ent *se = t->ents; se; se = se->next) {
		if (se->vs != vs)
			continue;
		if (se->by_vrid[vrid] != owner)
			return;
		se->by_vrid[vrid] = NULL;
		if (--se->users == 0)
			ent_unlink(t, se);
		return;
	}
}

void vtab_mark_addr_dirty(struct vtab *t, int ifindex)
{
	for (struct vtab_ent *se = t->ents; se; se = se->next)
		if (se->addr_ifindex == ifindex && !se->addr_dirty) {
			se->addr_dirty = true;
			t->ndirty++;
		}
}

bool vtab_next_dirty(struct vtab *t, int *ifindex, int *af, void *owners[256],
		     size_t *n)
{
	if (!t->ndirty)
		return false;
	for (struct vtab_ent *se = t->ents; se; se = se->next) {
		if (!se->addr_dirty)
			continue;
		se->addr_dirty = false;
		t->ndirty--;
		*ifindex = se->addr_ifindex;
		*af = se->af;
		*n = 0;
		for (int v = 1; v < 256; v++)
			if (se->by_vrid[v])
				owners[(*n)++] = se->by_vrid[v];
		return true;
	}
	return false;
}

void vtab_flush_all(struct vtab *t)
{
	vsock_shared_rx_sync();
	/* with virtual MACs every advert waits on the shared sender: no
	 * need to look at a thousand empty queues */
	for (struct vtab_ent *se = t->ents;
	     se && vsock_pending_total() > vsock_pending_shared(); se = se->next) {
		if (!vsock_pending(se->vs))
			continue;
		int failed = vsock_flush(se->vs);
		if (failed)
			log_warn("sending adverts on ifindex %d: %d refused (%s)",
				 se->ifindex, failed, strerror(errno));
	}
	if (vsock_pending_shared()) {
		int failed = vsock_flush_shared();
		if (failed)
			log_warn("sending adverts on virtual MACs: %d refused (%s)",
				 failed, strerror(errno));
	}
}
