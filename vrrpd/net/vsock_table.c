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

static void ent_close(struct vtab *t, struct vtab_ent *se)
{
	loop_del_fd(t->loop, vsock_fd(se->vs));
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
	free(t);
}

static void readable(void *arg, uint32_t events)
{
	struct vtab_ent *se = arg;
	struct vtab *t = se->t;
	struct vsock_pkt pkts[VSOCK_BATCH];
	static struct vrrp_adv adv; /* large; the loop is single threaded */
	(void)events;

	for (int round = 0; round < RX_ROUNDS; round++) {
		int n = vsock_recv(se->vs, pkts);
		for (int i = 0; i < n; i++) {
			struct vsock_pkt *p = &pkts[i];
			if (p->bad_ip) {
				t->ops.global_drop(t->ops.arg, VRRP_DROP_LENGTH,
						   &p->meta.src, se->ifindex);
				continue;
			}
			enum vrrp_drop d = vrrp_decode(p->payload, p->len, &p->meta, &adv);
			void *owner = adv.vrid ? se->by_vrid[adv.vrid] : NULL;
			if (!owner)
				t->ops.global_drop(t->ops.arg,
						   d == VRRP_OK ? VRRP_DROP_VRID : d,
						   &p->meta.src, se->ifindex);
			else if (d != VRRP_OK)
				t->ops.drop(owner, d, &p->meta.src);
			else
				t->ops.packet(owner, &adv, &p->meta);
		}
		if (n < VSOCK_BATCH)
			break;
	}
}

static struct vtab_ent *ent_open(struct vtab *t, int ifindex, const char *ifname,
				 int af, char *err, size_t errlen)
{
	struct vtab_ent *se = calloc(1, sizeof(*se));
	if (!se) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	se->vs = vsock_open(ifindex, ifname, af, err, errlen);
	if (!se->vs) {
		free(se);
		return NULL;
	}
	if (loop_add_fd(t->loop, vsock_fd(se->vs), EPOLLIN, readable, se) < 0) {
		snprintf(err, errlen, "epoll: %s", strerror(errno));
		vsock_close(se->vs);
		free(se);
		return NULL;
	}
	se->t = t;
	se->ifindex = ifindex;
	se->af = af;
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
	if (!se && !(se = ent_open(t, ifindex, ifname, af, err, errlen)))
		return NULL;
	se->addr_ifindex = addr_ifindex;
	/* a virtual MAC (its addresses are its parent's): one socket each */
	if (addr_ifindex != ifindex && vsock_send_shared(se->vs, err, errlen) < 0) {
		if (!se->users)
			ent_unlink(t, se);
		return NULL;
	}
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
		if (se->addr_ifindex == ifindex)
			se->addr_dirty = true;
}

bool vtab_next_dirty(struct vtab *t, int *ifindex, int *af, void *owners[256],
		     size_t *n)
{
	for (struct vtab_ent *se = t->ents; se; se = se->next) {
		if (!se->addr_dirty)
			continue;
		se->addr_dirty = false;
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
	for (struct vtab_ent *se = t->ents; se; se = se->next) {
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
