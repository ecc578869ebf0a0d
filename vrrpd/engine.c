/* The engine: instances, sockets, netlink, the running configuration and
 * its whole-tree apply (a change of one instance is engine_edit.c's). */
#include "engine.h"
#include "engine_int.h"

#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_track.h"
#include "instance.h"
#include "log.h"
#include "loop.h"
#include "netlink.h"
#include "nft_accept.h"
#include "statics.h"
#include "vsock.h"
#include "vsock_table.h"

/* ---- the instances' environment (instance_env.h) ---- */

static uint64_t env_now_us(void *arg)
{
	(void)arg;
	return loop_now_us();
}

static void env_timer_at(void *arg, struct loop_timer *t, uint64_t deadline_us)
{
	struct engine *e = arg;
	loop_timer_at(e->loop, t, deadline_us);
}

static void env_timer_cancel(void *arg, struct loop_timer *t)
{
	struct engine *e = arg;
	loop_timer_cancel(e->loop, t);
}

static const struct global_cfg *env_global(void *arg)
{
	struct engine *e = arg;
	return &e->cfg.global;
}

static int env_ifindex(void *arg, const char *ifname)
{
	struct engine *e = arg;
	return nlw_ifindex(e->nl, ifname);
}

static bool env_link_up(void *arg, int ifindex)
{
	struct engine *e = arg;
	return nlw_link_up(e->nl, ifindex);
}

static int env_link_mac(void *arg, int ifindex, uint8_t mac[6])
{
	struct engine *e = arg;
	return nlw_link_mac(e->nl, ifindex, mac);
}

/* Our source address on ifindex for af: the primary address that is not a
 * VIP of any instance on that interface. */
static int env_primary(void *arg, int ifindex, int af, struct vaddr *out)
{
	struct engine *e = arg;
	size_t n = 0, cap = 0;

	for (size_t i = 0; i < e->ninst; i++)
		if (e->inst[i]->ifindex == ifindex)
			cap += e->inst[i]->cfg.n_vips;
	struct vaddr *excl = calloc(cap ? cap : 1, sizeof(*excl));
	if (!excl)
		return -1;
	for (size_t i = 0; i < e->ninst; i++) {
		const struct instance *in = e->inst[i];
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

/* Queued: on_idle sends the iteration's adds after its adverts. */
static int env_vip_add(void *arg, struct instance *in, int ifindex,
		       const struct vip_cfg *v, char *err, size_t errlen)
{
	struct engine *e = arg;
	struct nlw_addr_opts o = { .label = v->label[0] ? v->label : NULL,
				   .brd = vaddr_is_set(&v->brd) ? &v->brd : NULL,
				   .scope = v->scope };
	if (nlw_vip_add_queue(e->nl, ifindex, &v->addr, v->plen, &o, in, err, errlen) < 0)
		return -1;
	return VIP_ADD_QUEUED;
}

static void env_vip_settle(void *arg)
{
	struct engine *e = arg;
	nlw_vip_flush(e->nl);
}

static void env_vip_forget(void *arg, struct instance *in)
{
	struct engine *e = arg;
	nlw_vip_forget(e->nl, in);
}

static void vip_done(void *arg, void *owner, bool add, int ifindex,
		     const struct vaddr *a, int result, const char *err)
{
	(void)arg;
	if (add)
		instance_vip_added(owner, ifindex, a, result, err);
	else
		instance_vip_removed(owner, ifindex, a, result, err);
}

static void env_promote_secondaries(void *arg, const char *ifname)
{
	(void)arg;
	if (nlw_sysctl_if("ipv4", ifname, "promote_secondaries", "1") < 0)
		log_warn("cannot set promote_secondaries on %s: %s", ifname,
			 strerror(errno));
}

/* Queued like the adds, in the same order. */
static int env_vip_del(void *arg, struct instance *in, int ifindex,
		       const struct vaddr *a, int plen, char *err, size_t errlen)
{
	struct engine *e = arg;
	return nlw_vip_del_queue(e->nl, ifindex, a, plen, in, err, errlen);
}

static bool env_vip_stale(void *arg, int ifindex, const struct vaddr *a)
{
	struct engine *e = arg;
	return nlw_vip_stale(e->nl, ifindex, a);
}

static int env_announce(void *arg, int ifindex, const uint8_t mac[6],
			const struct vaddr *vip)
{
	(void)arg;
	return announce_queue(ifindex, mac, vip); /* on_idle sends them */
}

static void env_announce_cancel(void *arg, int ifindex, const struct vaddr *vip)
{
	(void)arg;
	announce_cancel(ifindex, vip);
}

static void announce_failed(void *arg, int ifindex, const struct vaddr *vip,
			    int err)
{
	char buf[VADDR_STRLEN], name[IF_NAMESIZE] = "?";

	(void)arg;
	if_indextoname((unsigned)ifindex, name);
	log_warn("%s on %s for %s: %s",
		 vip->af == AF_INET6 ? "unsolicited neighbour advert" : "gratuitous ARP",
		 name, vaddr_ntop(vip, buf, sizeof(buf)), strerror(err));
}

static struct vsock *env_attach(void *arg, struct instance *in, char *err,
				size_t errlen)
{
	struct engine *e = arg;
	return vtab_attach(e->socks, in->sock_ifindex, in->sock_ifname, in->ifindex,
			   in->cfg.af, in->cfg.vrid, in, err, errlen);
}

static int env_vmac_create(void *arg, int parent, const char *parent_name,
			   const char *name, const uint8_t mac[6], int af,
			   char *err, size_t errlen)
{
	struct engine *e = arg;
	return nlw_vmac_create(e->nl, parent, parent_name, name, mac, af, err, errlen);
}

static void env_vmac_delete(void *arg, int ifindex)
{
	struct engine *e = arg;
	char err[256];

	if (nlw_vmac_delete(e->nl, ifindex, err, sizeof(err)) < 0)
		log_warn("%s", err);
}

static void env_detach(void *arg, struct instance *in)
{
	struct engine *e = arg;
	vtab_detach(e->socks, in->vs, in->cfg.vrid, in);
}

static int env_join(void *arg, struct vsock *vs, const struct vaddr *group,
		    char *err, size_t errlen)
{
	(void)arg;
	return vsock_join(vs, group, err, errlen);
}

static void env_leave(void *arg, struct vsock *vs, const struct vaddr *group)
{
	(void)arg;
	vsock_leave(vs, group);
}

static int env_send(void *arg, struct vsock *vs, const struct vaddr *src,
		    const struct vaddr *dst, uint8_t ttl, const uint8_t *pkt,
		    size_t len)
{
	(void)arg;
	return vsock_send(vs, src, dst, ttl, pkt, len);
}

static void env_flush(void *arg, struct vsock *vs)
{
	(void)arg;
	vsock_flush(vs);
}

/* ---- virtual routes and the accept-mode filter ---- */

static int env_route(void *arg, const struct route_cfg *r, bool add, char *err,
		     size_t errlen)
{
	struct engine *e = arg;
	return nlw_route(e->nl, r, add, err, errlen);
}

static int env_rule(void *arg, const struct rule_cfg *u, bool add, char *err,
		    size_t errlen)
{
	struct engine *e = arg;
	return nlw_rule(e->nl, u, add, err, errlen);
}

/* Queued; on_idle sends the whole iteration's changes as one batch. */
static void env_accept_block(void *arg, const struct vaddr *a, size_t n, bool block)
{
	struct engine *e = arg;
	nft_accept_block(e->nft, a, n, block);
}

static void accept_flush(struct engine *e)
{
	char err[512];
	uint64_t t0 = loop_now_us();
	int n = nft_accept_flush(e->nft, err, sizeof(err));

	if (n < 0)
		log_err("accept-mode filter not updated: %s", err);
	else if (n > 0)
		log_debug("accept-mode filter: %d addresses changed in one nftables batch (%.1f ms)",
			  n, (double)(loop_now_us() - t0) / 1000.0);
}

static size_t index_of(const struct engine *e, const struct instance *in)
{
	for (size_t i = 0; i < e->ninst; i++)
		if (e->inst[i] == in)
			return i;
	return (size_t)-1;
}

static void flush_queued(struct engine *e, bool end_of_turn);

/* The state-change hook: notify scripts and sync groups first (they may
 * move other instances, which publish in turn), then every subscriber. */
static void env_publish(void *arg, struct instance *in, enum vrrp_state old_state)
{
	struct engine *e = arg;
	struct instance_status st;

	e->publishing++;
	if (e->track)
		eng_track_on_state(e->track, in, index_of(e, in), old_state);
	instance_status(in, &st);
	for (size_t i = 0; i < e->nsubs; i++)
		e->subs[i].cb(e->subs[i].arg, &st, old_state);
	/* A mass takeover (a thousand skew timers due in the same turn) goes
	 * out in chunks: each chunk's adverts, VIPs and first announcements
	 * leave before the next chunk's takeovers run, so the last VIP is
	 * not behind every advert and VIP add of the turn. Not inside a sync
	 * group's nested transitions: the group moves as one. */
	/* Any instance becoming master, on any interface, holds every repeat
	 * announcement back (flush_queued): they share the sender's CPU. */
	if (st.state == VRRP_STATE_MASTER)
		e->last_takeover_us = loop_now_us();
	if (--e->publishing == 0 && st.state == VRRP_STATE_MASTER &&
	    ++e->takeovers >= ENGINE_TAKEOVER_CHUNK) {
		e->takeovers = 0;
		flush_queued(e, false);
	}
}

static void env_init(struct engine *e)
{
	e->env = (struct instance_env){
		.arg = e,
		.now_us = env_now_us,
		.timer_at = env_timer_at,
		.timer_cancel = env_timer_cancel,
		.global = env_global,
		.ifindex = env_ifindex,
		.link_up = env_link_up,
		.link_mac = env_link_mac,
		.primary = env_primary,
		.vip_add = env_vip_add,
		.vip_settle = env_vip_settle,
		.vip_forget = env_vip_forget,
		.vip_del = env_vip_del,
		.vip_stale = env_vip_stale,
		.promote_secondaries = env_promote_secondaries,
		.announce = env_announce,
		.announce_cancel = env_announce_cancel,
		.vmac_create = env_vmac_create,
		.vmac_delete = env_vmac_delete,
		.attach = env_attach,
		.detach = env_detach,
		.join = env_join,
		.leave = env_leave,
		.send = env_send,
		.flush = env_flush,
		.publish = env_publish,
		.route = env_route,
		.rule = env_rule,
		.accept_block = env_accept_block,
	};
}

int engine_subscribe(struct engine *e, engine_state_cb cb, void *arg)
{
	if (e->nsubs == e->cap_subs) {
		size_t cap = e->cap_subs ? 2 * e->cap_subs : 8;
		struct subscriber *v = realloc(e->subs, cap * sizeof(*v));
		if (!v)
			return -1;
		e->subs = v;
		e->cap_subs = cap;
	}
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

/* ---- the sockets' receive path (vsock_table.h) ---- */

static void rx_packet(void *owner, const struct vrrp_adv *adv,
		      const struct vrrp_rx_meta *meta)
{
	instance_on_packet(owner, adv, meta);
}

static void rx_drop(void *owner, enum vrrp_drop d, const struct vaddr *src)
{
	instance_count_drop(owner, d, src);
}

static void rx_global_drop(void *arg, enum vrrp_drop d, const struct vaddr *src,
			   int ifindex)
{
	struct engine *e = arg;
	char buf[VADDR_STRLEN];

	e->drops[d]++;
	log_debug("dropped VRRP packet from %s on ifindex %d: %s",
		  vaddr_ntop(src, buf, sizeof(buf)), ifindex, vrrp_drop_name(d));
}

static const char *rx_owner_name(const void *owner)
{
	return ((const struct instance *)owner)->cfg.name;
}

/* Address events only mark the interface; once per loop iteration its
 * primary address is recomputed for all instances on it. Per event and
 * instance, a mass transition of 1000 VIPs cost O(n^2) and stalled the
 * loop. Then the adverts queued during this iteration leave together. */
static void flush_queued(struct engine *e, bool end_of_turn)
{
	void *owners[256];
	size_t n;
	int ifindex, af;

	while (vtab_next_dirty(e->socks, &ifindex, &af, owners, &n)) {
		struct vaddr p;
		bool has = env_primary(e, ifindex, af, &p) == 0;
		for (size_t i = 0; i < n; i++)
			instance_on_addr(owners[i], has ? &p : NULL);
	}
	vtab_flush_all(e->socks);
	accept_flush(e);
	/* after the adverts and the filter: the VIPs, then their announcements */
	nlw_vip_flush(e->nl);
	/* Repeat copies (keepalived's garp_master_repeat) yield to takeovers:
	 * in a mass takeover the first copies of those still due matter more,
	 * and every frame costs the sender its delivery on the LAN. */
	uint64_t next_us;
	uint64_t hold = e->last_takeover_us ? e->last_takeover_us + ENGINE_REPEAT_HOLD_US : 0;
	if (announce_flush(announce_failed, e, end_of_turn, hold, loop_now_us(), &next_us))
		loop_timer_at(e->loop, &e->announce_more, next_us);
}

static void on_idle(void *arg)
{
	struct engine *e = arg;

	e->takeovers = 0;
	flush_queued(e, true);
}

/* Only wakes the loop: on_idle sends the repeat copies now due. */
static void announce_wake(void *arg)
{
	(void)arg;
}

/* ---- kernel events ---- */

static void on_link(void *arg, int ifindex, const char *ifname, bool up)
{
	struct engine *e = arg;

	if (e->track)
		eng_track_link(e->track, ifname, up);
	for (size_t i = 0; i < e->ninst; i++) {
		struct instance *in = e->inst[i];
		if (in->ifindex == ifindex || (in->vmac_ifindex && in->vmac_ifindex == ifindex) ||
		    (ifname && strcmp(in->cfg.ifname, ifname) == 0))
			instance_on_link(in, ifindex, up);
	}
}

static void on_addr_removed(void *arg, int ifindex, const struct vaddr *a)
{
	struct engine *e = arg;
	for (size_t i = 0; i < e->ninst; i++)
		if (e->inst[i]->vips_on)
			instance_on_addr_removed(e->inst[i], ifindex, a);
}

static void on_addr(void *arg, int ifindex)
{
	struct engine *e = arg;
	vtab_mark_addr_dirty(e->socks, ifindex);
}

/* ---- lifecycle and configuration ---- */

static void track_changed(void *arg, const struct tracker_status *st)
{
	struct engine *e = arg;
	if (e->tracker_cb)
		e->tracker_cb(e->tracker_arg, st);
}

void engine_subscribe_trackers(struct engine *e, engine_tracker_cb cb, void *arg)
{
	e->tracker_cb = cb;
	e->tracker_arg = arg;
}

static struct instance *track_instance_at(void *arg, size_t i)
{
	struct engine *e = arg;
	return i < e->ninst ? e->inst[i] : NULL;
}

static bool track_link_up(void *arg, const char *ifname)
{
	struct engine *e = arg;
	int ifi = nlw_ifindex(e->nl, ifname);
	return ifi && nlw_link_up(e->nl, ifi);
}

struct engine *engine_new(struct loop *loop, struct model *model, char *err,
			  size_t errlen)
{
	struct engine *e = calloc(1, sizeof(*e));
	struct model_error me;

	if (!e) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	e->loop = loop;
	e->model = model;
	env_init(e);
	struct vtab_ops ops = { .arg = e, .packet = rx_packet, .drop = rx_drop,
				.global_drop = rx_global_drop,
				.owner_name = rx_owner_name };
	e->socks = vtab_new(loop, &ops);
	struct nlw_callbacks cb = { .link_changed = on_link,
				    .addr_changed = on_addr,
				    .addr_removed = on_addr_removed, .arg = e };
	if (!e->socks) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	e->nl = nlw_new(loop, &cb, err, errlen);
	if (!e->nl)
		goto fail;
	nlw_vip_set_done(e->nl, vip_done, e);
	/* Nothing is master yet: routes and rules of our protocol are what
	 * a vrrpd killed with -9 left behind (keepalived removes them too). */
	int stale = nlw_routes_flush_ours(e->nl);
	if (stale > 0)
		log_info("removed %d routes and rules left by a previous vrrpd", stale);
	char nerr[512];
	e->nft = nft_accept_new(nerr, sizeof(nerr));
	if (!e->nft)
		log_warn("accept-mode is not enforced (RFC 5798 6.4.3): %s", nerr);
	if (model_tree_to_config(NULL, &e->cfg, &me) < 0) {
		snprintf(err, errlen, "%s", me.msg);
		goto fail;
	}
	struct eng_track_ops tops = { .arg = e, .instance_at = track_instance_at,
				      .link_up = track_link_up,
				      .tracker_changed = track_changed };
	e->track = eng_track_new(loop, &tops, &e->cfg.global.scripts, err, errlen);
	if (!e->track)
		goto fail;
	loop_timer_init(&e->announce_more, announce_wake, e);
	loop_set_idle(loop, on_idle, e);
	return e;
fail:
	vrrpd_config_free(&e->cfg);
	nft_accept_free(e->nft);
	nlw_free(e->nl);
	vtab_free(e->socks);
	free(e);
	return NULL;
}

void engine_free(struct engine *e)
{
	if (!e)
		return;
	loop_set_idle(e->loop, NULL, NULL);
	loop_timer_cancel(e->loop, &e->announce_more);
	/* Every master's priority-0 advert first (each stop flushes its own),
	 * then all the VIP deletes in one pipeline, then the instances go. */
	for (size_t i = 0; i < e->ninst; i++)
		instance_stop(e->inst[i]);
	vtab_flush_all(e->socks);
	nlw_vip_flush(e->nl);
	for (size_t i = 0; i < e->ninst; i++)
		instance_free(e->inst[i]);
	statics_apply(e->nl, &e->cfg.statics, NULL);
	nft_accept_free(e->nft); /* the whole table: nothing of ours stays */
	announce_reset(); /* nobody is master any more: nothing to announce */
	/* keepalived runs notify_stop at shutdown: let those scripts run */
	eng_track_drain(e->track, e->loop, 2000000u);
	eng_track_free(e->track);
	free(e->inst);
	vrrpd_config_free(&e->cfg);
	model_tree_free(e->tree);
	vtab_free(e->socks);
	nlw_free(e->nl);
	free(e->subs);
	free(e);
}

static struct instance *find_in(struct instance **v, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] && strcmp(v[i]->cfg.name, name) == 0)
			return v[i];
	return NULL;
}

/* Every allocation a new configuration needs happens before anything
 * changes: an apply either completes or leaves the running state alone. */
static int prepare_apply(struct engine *e, const struct vrrpd_config *nc,
			 struct instance **ni, bool *fresh)
{
	uint64_t serial = e->serials;

	for (size_t i = 0; i < nc->n_instances; i++) {
		const struct instance_cfg *c = &nc->instances[i];
		struct instance *in = find_in(e->inst, e->ninst, c->name);
		if (in && !instance_cfg_needs_restart(&in->cfg, c)) {
			ni[i] = in;
			continue;
		}
		ni[i] = instance_new(&e->env, c, serial++);
		fresh[i] = true;
		if (!ni[i]) {
			for (size_t k = 0; k < i; k++)
				if (fresh[k])
					instance_free(ni[k]);
			return -1;
		}
	}
	e->serials = serial;
	return 0;
}

static bool kept(struct instance *in, struct instance **ni, const bool *fresh,
		 size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (ni[i] == in && !fresh[i])
			return true;
	return false;
}

int engine_apply_tree(struct engine *e, struct lyd_node *tree,
		      struct model_error *err)
{
	struct vrrpd_config nc;
	if (model_tree_to_config(tree, &nc, err) < 0)
		return -1;
	size_t n = nc.n_instances;
	struct instance **ni = calloc(n ? n : 1, sizeof(*ni));
	bool *fresh = calloc(n ? n : 1, sizeof(*fresh));
	if (!ni || !fresh || prepare_apply(e, &nc, ni, fresh) < 0) {
		free(ni);
		free(fresh);
		vrrpd_config_free(&nc);
		snprintf(err->msg, sizeof(err->msg),
			 "out of memory: configuration not applied");
		err->path[0] = '\0';
		return -1;
	}
	/* Restarted and removed instances release their sockets and VRIDs
	 * before new ones claim them. */
	for (size_t i = 0; i < e->ninst; i++) {
		struct instance *in = e->inst[i];
		if (kept(in, ni, fresh, n))
			continue;
		if (!vrrpd_config_find(&nc, in->cfg.name))
			log_info("VRRP_Instance(%s) removed from configuration",
				 in->cfg.name);
		instance_stop(in);
		instance_free(in);
	}
	free(e->inst);

	/* Static entries do not depend on any instance; a reload changes
	 * only the entries that differ. */
	statics_apply(e->nl, &e->cfg.statics, &nc.statics);
	/* The global part is read through env->global(): swap it first. */
	e->cfg.global = nc.global;
	e->inst = ni;
	e->ninst = n;
	for (size_t i = 0; i < n; i++)
		if (!fresh[i] && !instance_cfg_equal(&ni[i]->cfg, &nc.instances[i]))
			instance_update(ni[i], &nc.instances[i]);
	vrrpd_config_free(&e->cfg);
	e->cfg = nc;
	/* Trackers follow the new configuration (they point into it), and
	 * give every instance its effective priority before new ones start. */
	char terr[256];
	if (eng_track_apply(e->track, &e->cfg, terr, sizeof(terr)) < 0)
		log_err("tracking: %s", terr);
	/* Start new ones only once every instance is in the table, so the
	 * primary-address choice sees every VIP on the interface. */
	for (size_t i = 0; i < n; i++)
		if (fresh[i])
			instance_start(ni[i]);
	free(fresh);
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

struct spawner *engine_spawner(struct engine *e)
{
	return eng_track_spawner(e->track);
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

size_t engine_tracker_count(const struct engine *e)
{
	return eng_track_count(e->track);
}

int engine_tracker_at(const struct engine *e, size_t i, struct tracker_status *out)
{
	return eng_track_status_at(e->track, i, out);
}

ssize_t engine_instance_breakdown(const struct engine *e, const char *name,
				  struct track_contrib *out, size_t max)
{
	for (size_t i = 0; i < e->ninst; i++)
		if (strcmp(e->inst[i]->cfg.name, name) == 0)
			return (ssize_t)eng_track_breakdown(e->track, i, out, max);
	return -1;
}
