#include "engine.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>

#include "instance.h"
#include "log.h"
#include "loop.h"
#include "vsock.h"
#include "netlink.h"

#define MAX_SUBSCRIBERS 64

/* A shared raw socket for one (interface, family) and the instances on it,
 * indexed by VRID: the receive path finds its instance in O(1). */
struct vsock_ent {
	struct vsock *vs;
	struct engine *e;
	int ifindex;
	int af;
	unsigned users;
	struct instance *by_vrid[256];
	bool addr_dirty;
	struct vsock_ent *next;
};

struct subscriber {
	engine_state_cb cb;
	void *arg;
};

struct engine {
	struct loop *loop;
	struct model *model;
	struct nlw *nl;
	struct lyd_node *tree;
	struct vrrpd_config cfg;
	struct instance **inst;
	size_t ninst;
	struct vsock_ent *socks;
	struct subscriber subs[MAX_SUBSCRIBERS];
	size_t nsubs;
	uint64_t drops[VRRP_DROP__MAX];
	uint64_t generation;
};

/* Address events only mark the interface; the idle hook recomputes its
 * primary address once for all instances on it. Per event and instance,
 * a mass transition of 1000 VIPs cost O(n^2) and stalled the loop. */

/* ---- services for instances ---- */

struct loop *engine_loop(struct engine *e)
{
	return e->loop;
}

struct nlw *engine_nlw(struct engine *e)
{
	return e->nl;
}

const struct global_cfg *engine_global(const struct engine *e)
{
	return &e->cfg.global;
}

static void global_drop(struct engine *e, enum vrrp_drop d,
			const struct vaddr *src, int ifindex)
{
	char buf[VADDR_STRLEN];
	e->drops[d]++;
	log_debug("dropped VRRP packet from %s on ifindex %d: %s",
		  vaddr_ntop(src, buf, sizeof(buf)), ifindex, vrrp_drop_name(d));
}

/* Every packet goes through the codec before an instance sees it; drops
 * are counted on the instance that owns the VRID, or daemon-wide. */
static void vsock_readable(void *arg, uint32_t events)
{
	struct vsock_ent *se = arg;
	struct vsock_pkt pkts[VSOCK_BATCH];
	static struct vrrp_adv adv; /* large; the loop is single threaded */
	(void)events;

	/* Drain what is queued (bounded), so the timers that run after this
	 * see every advert that arrived before them. */
	for (int round = 0; round < 64; round++) {
		int n = vsock_recv(se->vs, pkts);
		for (int i = 0; i < n; i++) {
			struct vsock_pkt *p = &pkts[i];
			if (p->bad_ip) {
				global_drop(se->e, VRRP_DROP_LENGTH, &p->meta.src,
					    se->ifindex);
				continue;
			}
			enum vrrp_drop d = vrrp_decode(p->payload, p->len, &p->meta, &adv);
			struct instance *in = adv.vrid ? se->by_vrid[adv.vrid] : NULL;
			if (!in) {
				global_drop(se->e, d == VRRP_OK ? VRRP_DROP_VRID : d,
					    &p->meta.src, se->ifindex);
				continue;
			}
			if (d != VRRP_OK)
				instance_count_drop(in, d, &p->meta.src);
			else
				instance_on_packet(in, &adv, &p->meta);
		}
		if (n < VSOCK_BATCH)
			break;
	}
}

struct vsock *engine_attach(struct engine *e, struct instance *in, char *err,
			    size_t errlen)
{
	struct vsock_ent *se;
	for (se = e->socks; se; se = se->next)
		if (se->ifindex == in->ifindex && se->af == in->cfg.af)
			break;
	if (!se) {
		se = calloc(1, sizeof(*se));
		if (!se) {
			snprintf(err, errlen, "out of memory");
			return NULL;
		}
		se->vs = vsock_open(in->ifindex, in->cfg.ifname, in->cfg.af, err, errlen);
		if (!se->vs) {
			free(se);
			return NULL;
		}
		if (loop_add_fd(e->loop, vsock_fd(se->vs), EPOLLIN, vsock_readable, se) < 0) {
			snprintf(err, errlen, "epoll: %s", strerror(errno));
			vsock_close(se->vs);
			free(se);
			return NULL;
		}
		se->e = e;
		se->ifindex = in->ifindex;
		se->af = in->cfg.af;
		se->next = e->socks;
		e->socks = se;
	}
	if (se->by_vrid[in->cfg.vrid] && se->by_vrid[in->cfg.vrid] != in) {
		snprintf(err, errlen, "VRID %u on %s is already used by %s",
			 in->cfg.vrid, in->cfg.ifname,
			 se->by_vrid[in->cfg.vrid]->cfg.name);
		if (!se->users) {
			/* freshly created for nothing: undo */
			e->socks = se->next;
			loop_del_fd(e->loop, vsock_fd(se->vs));
			vsock_close(se->vs);
			free(se);
		}
		return NULL;
	}
	se->by_vrid[in->cfg.vrid] = in;
	se->users++;
	return se->vs;
}

void engine_detach(struct engine *e, struct instance *in)
{
	for (struct vsock_ent **pp = &e->socks; *pp; pp = &(*pp)->next) {
		struct vsock_ent *se = *pp;
		if (se->vs != in->vs)
			continue;
		if (se->by_vrid[in->cfg.vrid] == in)
			se->by_vrid[in->cfg.vrid] = NULL;
		if (--se->users == 0) {
			*pp = se->next;
			loop_del_fd(e->loop, vsock_fd(se->vs));
			vsock_close(se->vs);
			free(se);
		}
		return;
	}
}

int engine_primary(struct engine *e, int ifindex, int af, struct vaddr *out)
{
	size_t n = 0, cap = 0;

	for (size_t i = 0; i < e->ninst; i++)
		if (e->inst[i]->ifindex == ifindex)
			cap += e->inst[i]->cfg.n_vips;
	struct vaddr *excl = calloc(cap ? cap : 1, sizeof(*excl));
	if (!excl)
		return -1;
	for (size_t i = 0; i < e->ninst; i++) {
		struct instance *in = e->inst[i];
		if (in->ifindex != ifindex)
			continue;
		for (size_t k = 0; k < in->cfg.n_vips; k++)
			if (in->cfg.vips[k].addr.af == af)
				excl[n++] = in->cfg.vips[k].addr;
	}
	int r = nlw_primary_addr(e->nl, ifindex, af, excl, n, out);
	free(excl);
	return r;
}

void engine_publish(struct engine *e, struct instance *in,
		    enum vrrp_state old_state)
{
	struct instance_status st;
	instance_status(in, &st);
	for (size_t i = 0; i < e->nsubs; i++)
		e->subs[i].cb(e->subs[i].arg, &st, old_state);
}

int engine_subscribe(struct engine *e, engine_state_cb cb, void *arg)
{
	if (e->nsubs == MAX_SUBSCRIBERS)
		return -1;
	e->subs[e->nsubs].cb = cb;
	e->subs[e->nsubs].arg = arg;
	e->nsubs++;
	return 0;
}

void engine_unsubscribe(struct engine *e, engine_state_cb cb, void *arg)
{
	for (size_t i = 0; i < e->nsubs; i++) {
		if (e->subs[i].cb == cb && e->subs[i].arg == arg) {
			e->subs[i] = e->subs[--e->nsubs];
			return;
		}
	}
}

/* Adverts queued during this loop iteration leave together. */
static void refresh_addresses(struct engine *e)
{
	for (struct vsock_ent *se = e->socks; se; se = se->next) {
		if (!se->addr_dirty)
			continue;
		se->addr_dirty = false;
		struct vaddr p;
		bool has = engine_primary(e, se->ifindex, se->af, &p) == 0;
		/* instance_on_addr may detach and free this entry */
		struct instance *list[256];
		size_t n = 0;
		for (int v = 1; v < 256; v++)
			if (se->by_vrid[v])
				list[n++] = se->by_vrid[v];
		for (size_t i = 0; i < n; i++)
			instance_on_addr(list[i], has ? &p : NULL);
		break; /* the list may have changed: next iteration does the rest */
	}
}

static void flush_sockets(void *arg)
{
	struct engine *e = arg;
	bool more;
	do {
		more = false;
		for (struct vsock_ent *se = e->socks; se; se = se->next)
			more |= se->addr_dirty;
		if (more)
			refresh_addresses(e);
	} while (more);
	for (struct vsock_ent *se = e->socks; se; se = se->next) {
		if (!vsock_pending(se->vs))
			continue;
		int failed = vsock_flush(se->vs);
		if (failed)
			log_warn("sending adverts on ifindex %d: %d refused (%s)",
				 se->ifindex, failed, strerror(errno));
	}
}

/* ---- kernel events ---- */

static void on_link(void *arg, int ifindex, const char *ifname, bool up)
{
	struct engine *e = arg;
	for (size_t i = 0; i < e->ninst; i++) {
		struct instance *in = e->inst[i];
		if (in->ifindex == ifindex ||
		    (!in->ifindex && ifname && strcmp(in->cfg.ifname, ifname) == 0))
			instance_on_link(in, ifindex, up);
	}
}

static void on_addr(void *arg, int ifindex)
{
	struct engine *e = arg;
	for (struct vsock_ent *se = e->socks; se; se = se->next)
		if (se->ifindex == ifindex)
			se->addr_dirty = true;
}

/* ---- lifecycle and configuration ---- */

struct engine *engine_new(struct loop *loop, struct model *model, char *err,
			  size_t errlen)
{
	struct engine *e = calloc(1, sizeof(*e));
	if (!e) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	e->loop = loop;
	e->model = model;
	loop_set_idle(loop, flush_sockets, e);
	struct nlw_callbacks cb = { .link_changed = on_link,
				    .addr_changed = on_addr, .arg = e };
	e->nl = nlw_new(loop, &cb, err, errlen);
	if (!e->nl) {
		free(e);
		return NULL;
	}
	struct model_error me;
	if (model_tree_to_config(NULL, &e->cfg, &me) < 0) {
		snprintf(err, errlen, "%s", me.msg);
		nlw_free(e->nl);
		free(e);
		return NULL;
	}
	return e;
}

void engine_free(struct engine *e)
{
	if (!e)
		return;
	loop_set_idle(e->loop, NULL, NULL);
	for (size_t i = 0; i < e->ninst; i++) {
		instance_stop(e->inst[i]);
		instance_free(e->inst[i]);
	}
	free(e->inst);
	vrrpd_config_free(&e->cfg);
	model_tree_free(e->tree);
	nlw_free(e->nl);
	free(e);
}

static struct instance *take_by_name(struct instance **v, size_t n,
				     const char *name)
{
	for (size_t i = 0; i < n; i++) {
		if (v[i] && strcmp(v[i]->cfg.name, name) == 0) {
			struct instance *in = v[i];
			v[i] = NULL;
			return in;
		}
	}
	return NULL;
}

int engine_apply_tree(struct engine *e, struct lyd_node *tree,
		      struct model_error *err)
{
	struct vrrpd_config nc;
	if (model_tree_to_config(tree, &nc, err) < 0)
		return -1;
	struct instance **ni = calloc(nc.n_instances ? nc.n_instances : 1, sizeof(*ni));
	if (!ni) {
		vrrpd_config_free(&nc);
		snprintf(err->msg, sizeof(err->msg), "out of memory");
		err->path[0] = '\0';
		return -1;
	}
	/* Sockets and VRIDs are released before new instances claim them. */
	struct instance **old = e->inst;
	size_t nold = e->ninst;
	for (size_t i = 0; i < nc.n_instances; i++) {
		struct instance *in = take_by_name(old, nold, nc.instances[i].name);
		if (in && instance_cfg_needs_restart(&in->cfg, &nc.instances[i])) {
			instance_stop(in);
			instance_free(in);
			in = NULL;
		}
		ni[i] = in;
	}
	for (size_t i = 0; i < nold; i++) {
		if (old[i]) {
			log_info("VRRP_Instance(%s) removed from configuration",
				 old[i]->cfg.name);
			instance_stop(old[i]);
			instance_free(old[i]);
		}
	}
	free(old);

	/* The global part is read through engine_global(): swap it first. */
	e->cfg.global = nc.global;
	e->inst = ni;
	e->ninst = nc.n_instances;
	bool *fresh = calloc(nc.n_instances ? nc.n_instances : 1, sizeof(*fresh));
	for (size_t i = 0; i < nc.n_instances; i++) {
		if (ni[i]) {
			if (!instance_cfg_equal(&ni[i]->cfg, &nc.instances[i]))
				instance_update(ni[i], &nc.instances[i]);
			continue;
		}
		ni[i] = instance_new(e, &nc.instances[i]);
		if (!ni[i])
			log_err("VRRP_Instance(%s) out of memory", nc.instances[i].name);
		else if (fresh)
			fresh[i] = true;
	}
	/* Start new ones only once every instance is in the table, so the
	 * primary-address choice sees every VIP on the interface. */
	for (size_t i = 0; i < nc.n_instances; i++)
		if (ni[i] && fresh && fresh[i])
			instance_start(ni[i]);
	free(fresh);
	/* drop NULLs left by allocation failures */
	size_t k = 0;
	for (size_t i = 0; i < e->ninst; i++)
		if (ni[i])
			ni[k++] = ni[i];
	e->ninst = k;

	vrrpd_config_free(&e->cfg);
	e->cfg = nc;
	model_tree_free(e->tree);
	e->tree = tree;
	e->generation++;
	return 0;
}

uint64_t engine_config_generation(const struct engine *e)
{
	return e->generation;
}

const struct lyd_node *engine_running_tree(const struct engine *e)
{
	return e->tree;
}

const struct vrrpd_config *engine_running_config(const struct engine *e)
{
	return &e->cfg;
}

size_t engine_instance_count(const struct engine *e)
{
	return e->ninst;
}

int engine_instance_status_at(const struct engine *e, size_t idx,
			      struct instance_status *out)
{
	if (idx >= e->ninst)
		return -1;
	instance_status(e->inst[idx], out);
	return 0;
}

static struct instance *find(const struct engine *e, const char *name)
{
	for (size_t i = 0; i < e->ninst; i++)
		if (strcmp(e->inst[i]->cfg.name, name) == 0)
			return e->inst[i];
	return NULL;
}

int engine_instance_status(const struct engine *e, const char *name,
			   struct instance_status *out)
{
	struct instance *in = find(e, name);
	if (!in)
		return -1;
	instance_status(in, out);
	return 0;
}

int engine_failover(struct engine *e, const char *name, unsigned hold_s,
		    char *err, size_t errlen)
{
	struct instance *in = find(e, name);
	if (!in) {
		snprintf(err, errlen, "no instance named '%s'", name);
		return -1;
	}
	return instance_failover(in, (uint64_t)hold_s * 1000000u, err, errlen);
}

const uint64_t *engine_global_drops(const struct engine *e)
{
	return e->drops;
}
