/* An instance's lifecycle and the events that reach it: start and stop,
 * configuration updates, received adverts, timers, link and address
 * changes, administrative failover. What the state machine decides is
 * performed by instance_apply() (instance_transition.c). */
#include "instance.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "instance_int.h"

/* Timer callbacks are given the deadline as "now" when they run on time, so
 * adverts keep an exact cadence instead of drifting by the loop's latency. */
#define ON_TIME_SLACK_US 5000

static void adver_expired(void *arg);
static void mdown_expired(void *arg);

static struct vrrp_fsm_cfg fsm_cfg_of(const struct instance_cfg *c)
{
	struct vrrp_fsm_cfg f = {
		.version = c->version,
		.priority = c->priority,
		.preempt = c->preempt,
		.preempt_delay_ms = (uint32_t)c->preempt_delay_s * 1000u,
		.adv_interval_cs = c->adv_interval_cs,
		.down_adverts = c->down_adverts,
	};
	return f;
}

static void dests_free(struct instance *in)
{
	for (size_t i = 0; in->dests && i < in->n_dests; i++)
		free(in->dests[i].pkt);
	free(in->dests);
	in->dests = NULL;
	in->n_dests = 0;
}

/* RFC 5798 5.2.9 / RFC 3768 5.3.9: the advert lists the virtual addresses
 * of the instance's family; receivers compare against the same list. */
static int derive_expect(struct instance *in)
{
	const struct instance_cfg *c = &in->cfg;
	struct vaddr *a = calloc(c->n_vips ? c->n_vips : 1, sizeof(*a));
	size_t n = 0;

	size_t nd = c->ucast.n_peers ? c->ucast.n_peers : 1;
	struct advert_dest *d = calloc(nd, sizeof(*d));

	if (!a || !d) {
		free(a);
		free(d);
		return -1;
	}
	for (size_t i = 0; i < nd; i++) {
		d[i].dst = c->ucast.n_peers ? c->ucast.peers[i].addr : c->group;
		d[i].prio = -1;
	}
	dests_free(in);
	in->dests = d;
	in->n_dests = nd;
	for (size_t i = 0; i < c->n_vips && n < VRRP_MAX_ADDRS; i++)
		if (c->vips[i].addr.af == c->af && !c->vips[i].excluded)
			a[n++] = c->vips[i].addr;
	free(in->adv_addrs);
	in->adv_addrs = a;
	memset(&in->expect, 0, sizeof(in->expect));
	in->expect.version = c->version;
	in->expect.interval_cs = c->adv_interval_cs;
	in->expect.addrs = a;
	in->expect.naddr = n;
	if (c->auth == AUTH_CFG_SIMPLE) {
		in->expect.auth_type = VRRP_AUTH_SIMPLE;
		memcpy(in->expect.auth_data, c->auth_pass,
		       strnlen(c->auth_pass, VRRP_AUTH_LEN));
	}
	return 0;
}

struct instance *instance_new(const struct instance_env *env,
			      const struct instance_cfg *cfg, uint64_t serial)
{
	struct instance *in = calloc(1, sizeof(*in));
	if (!in || instance_cfg_copy(&in->cfg, cfg) < 0) {
		free(in);
		return NULL;
	}
	in->serial = serial;
	in->env = env;
	if (derive_expect(in) < 0) {
		instance_cfg_release(&in->cfg);
		free(in->adv_addrs);
		dests_free(in);
		free(in);
		return NULL;
	}
	struct vrrp_fsm_cfg fc = fsm_cfg_of(cfg);
	vrrp_fsm_init(&in->fsm, &fc);
	loop_timer_init(&in->adver_t, adver_expired, in);
	loop_timer_init(&in->mdown_t, mdown_expired, in);
	loop_timer_init(&in->garp_t, garp_expired, in);
	clock_gettime(CLOCK_REALTIME, &in->stats.discontinuity);
	return in;
}

static void detach(struct instance *in);

void instance_free(struct instance *in)
{
	if (!in)
		return;
	ENV(in, timer_cancel, &in->adver_t);
	ENV(in, timer_cancel, &in->mdown_t);
	ENV(in, timer_cancel, &in->garp_t);
	ENV(in, vip_forget, in); /* queued deletes, too */
	detach(in);
	instance_cfg_release(&in->cfg);
	free(in->adv_addrs);
	dests_free(in);
	free(in->foreign);
	free(in);
}

static uint64_t timer_now(const struct instance *in, const struct loop_timer *t)
{
	uint64_t now = ENV(in, now_us);
	if (now >= t->deadline_us && now - t->deadline_us < ON_TIME_SLACK_US)
		return t->deadline_us;
	return now;
}

static void adver_expired(void *arg)
{
	struct instance *in = arg;
	instance_apply(in, vrrp_fsm_on_adver_timer(&in->fsm, timer_now(in, &in->adver_t)));
}

static void mdown_expired(void *arg)
{
	struct instance *in = arg;
	instance_apply(in, vrrp_fsm_on_master_down_timer(&in->fsm,
							 timer_now(in, &in->mdown_t)));
}

/* ---- the interface ---- */

/* RFC 5798 5.1.2.1 / 5.1.1.1: the source is our primary address on the
 * interface, never one of the virtual addresses. */
static void adverts_stale(struct instance *in)
{
	for (size_t i = 0; i < in->n_dests; i++)
		in->dests[i].prio = -1;
}

/* A configured source (keepalived mcast_src_ip / unicast_src_ip) replaces
 * the primary address: it is the advert's source and our address in the
 * election. */
static bool set_primary(struct instance *in, const struct vaddr *p)
{
	if (p && vaddr_is_set(&in->cfg.src))
		p = &in->cfg.src;
	if (vrrp_fsm_set_primary(&in->fsm, p))
		adverts_stale(in);
	return p != NULL;
}

static bool refresh_primary(struct instance *in)
{
	struct vaddr p;

	return set_primary(in, in->ifindex &&
			   ENV(in, primary, in->ifindex, in->cfg.af, &p) == 0
			   ? &p : NULL);
}

static void usable_now(struct instance *in, bool link_ok);

static bool link_usable(struct instance *in)
{
	/* keepalived unicast_fault_no_peer: no peers means no election */
	if (in->cfg.ucast.fault_no_peer && !in->cfg.ucast.n_peers)
		return false;
	return in->ifindex && in->vs &&
	       (in->cfg.ignore_link_down || ENV(in, link_up, in->ifindex)) &&
	       refresh_primary(in);
}

/* keepalived use_vmac: the macvlan with the virtual router MAC, created
 * at start (Backup too, so a takeover only moves addresses) and removed at
 * stop. IPv6 adverts need a link-local source on the macvlan: the
 * parent's, which is our address in the election anyway. */
static int vmac_attach(struct instance *in)
{
	char err[256];
	struct vaddr ll;

	in->vmac[0] = 0x00;
	in->vmac[1] = 0x00;
	in->vmac[2] = 0x5e;
	in->vmac[3] = 0x00;
	in->vmac[4] = in->cfg.af == AF_INET6 ? 0x02 : 0x01;
	in->vmac[5] = in->cfg.vrid;
	in->vmac_ifindex = ENV(in, vmac_create, in->ifindex, in->cfg.ifname,
			       in->cfg.vmac.ifname, in->vmac, in->cfg.af, err,
			       sizeof(err));
	if (in->vmac_ifindex <= 0) {
		in->vmac_ifindex = 0;
		ILOG(err, in, "cannot create virtual MAC interface %s: %s",
		     in->cfg.vmac.ifname, err);
		return -1;
	}
	ILOG(info, in, "virtual MAC interface %s (ifindex %d) on %s",
	     in->cfg.vmac.ifname, in->vmac_ifindex, in->cfg.ifname);
	if (in->cfg.af == AF_INET6 && !in->cfg.vmac.xmit_base &&
	    ENV(in, primary, in->ifindex, AF_INET6, &ll) == 0) {
		int r = ENV(in, vip_add, in, in->vmac_ifindex,
			    &(struct vip_cfg){ .addr = ll, .plen = 64, .scope = -1 },
			    err, sizeof(err));
		if (r == VIP_ADD_QUEUED)
			in->vips_queued++; /* a failure is logged when it comes */
		else if (r < 0)
			ILOG(warn, in, "link-local address on %s: %s", in->cfg.vmac.ifname, err);
	}
	return 0;
}

static void attach(struct instance *in)
{
	char err[256];

	in->ifindex = ENV(in, ifindex, in->cfg.ifname);
	if (!in->ifindex) {
		ILOG(warn, in, "interface %s not found; waiting for it", in->cfg.ifname);
		return;
	}
	in->sock_ifindex = in->ifindex;
	snprintf(in->sock_ifname, sizeof(in->sock_ifname), "%s", in->cfg.ifname);
	if (in->cfg.vmac.enabled) {
		if (vmac_attach(in) < 0)
			return;
		if (!in->cfg.vmac.xmit_base) {
			in->sock_ifindex = in->vmac_ifindex;
			snprintf(in->sock_ifname, sizeof(in->sock_ifname), "%s",
				 in->cfg.vmac.ifname);
		}
	}
	in->vs = ENV(in, attach, in, err, sizeof(err));
	if (!in->vs) {
		ILOG(err, in, "cannot open VRRP socket on %s: %s", in->cfg.ifname, err);
		return;
	}
	/* unicast adverts need no group membership */
	if (in->cfg.ucast.n_peers)
		return;
	if (ENV(in, join, in->vs, &in->cfg.group, err, sizeof(err)) < 0)
		ILOG(err, in, "%s", err);
	else
		in->joined = true;
}

static void detach(struct instance *in)
{
	if (in->vs) {
		if (in->joined)
			ENV(in, leave, in->vs, &in->cfg.group);
		ENV(in, detach, in);
	}
	if (in->vmac_ifindex)
		ENV(in, vmac_delete, in->vmac_ifindex);
	in->joined = false;
	in->vs = NULL;
	in->ifindex = in->vmac_ifindex = in->sock_ifindex = 0;
}

/* ---- lifecycle ---- */

void instance_start(struct instance *in)
{
	attach(in);
	if (in->cfg.promote_secondaries && in->cfg.af == AF_INET)
		ENV(in, promote_secondaries, in->cfg.ifname);
	if (in->cfg.ucast.fault_no_peer && !in->cfg.ucast.n_peers)
		ILOG(warn, in, "unicast fault-no-peer is set and no unicast peer is configured: staying in FAULT");
	/* the address owner re-adds them at once: no blip for it */
	if (in->ifindex && in->cfg.priority != VRRP_PRIO_OWNER)
		vips_remove_stale(in);
	bool ok = link_usable(in);
	if (!ok && in->ifindex)
		ILOG(warn, in, "%s is down or has no %s address", in->cfg.ifname,
		     in->cfg.af == AF_INET ? "IPv4" : "link-local IPv6");
	instance_apply(in, vrrp_fsm_startup(&in->fsm, ENV(in, now_us),
					    ok && !in->track_fault));
}

/* RFC 5798 6.4.3 Shutdown: the priority-0 advert and the release of the
 * addresses are the machine's and the table's (Master -> Initialize);
 * only the socket is left here. */
void instance_stop(struct instance *in)
{
	instance_apply(in, vrrp_fsm_shutdown(&in->fsm, ENV(in, now_us)));
	detach(in);
}

void instance_update(struct instance *in, const struct instance_cfg *cfg)
{
	struct instance_cfg nc;
	uint64_t now = ENV(in, now_us);

	if (instance_cfg_copy(&nc, cfg) < 0) {
		ILOG(err, in, "out of memory applying configuration");
		return;
	}
	vips_reconcile(in, &nc);
	routes_reconcile(in, &nc); /* after the VIPs a route may use */
	instance_cfg_release(&in->cfg);
	in->cfg = nc;
	if (derive_expect(in) < 0)
		ILOG(err, in, "out of memory applying configuration");
	if (in->vs)
		refresh_primary(in); /* the source address may have changed */
	if (in->garp_pending) {
		in->garp_pending = false;
		garp_burst(in);
	}

	struct vrrp_fsm_cfg fc = fsm_cfg_of(&nc);
	unsigned acts = 0;
	/* A tracked instance's priority is the engine's to set, from the new
	 * configured one, right after this (instance_set_tracking). */
	if (!in->tracked && fc.priority != in->fsm.cfg.priority) {
		ILOG(info, in, "priority changed from %u to %u", in->fsm.cfg.priority,
		     fc.priority);
		acts |= vrrp_fsm_set_priority(&in->fsm, now, fc.priority);
	}
	acts |= vrrp_fsm_set_cfg(&in->fsm, now, &fc);
	instance_apply(in, acts);
	/* ignore-link-down may have changed what a down link means */
	if (in->ifindex && !ENV(in, link_up, in->ifindex))
		usable_now(in, in->cfg.ignore_link_down && link_usable(in));
}

/* ---- events from the network and the kernel ---- */

void instance_count_drop(struct instance *in, enum vrrp_drop d,
			 const struct vaddr *src)
{
	char buf[VADDR_STRLEN];
	in->stats.drops[d]++;
	ILOG(debug, in, "dropped advert from %s: %s",
	     vaddr_ntop(src, buf, sizeof(buf)), vrrp_drop_name(d));
}

/* What the codec leaves to the instance: the TTL of unicast adverts, and
 * whether their sender is one of our peers (keepalived check_unicast_src,
 * min_ttl, max_ttl). A multicast instance keeps the RFC's TTL 255. */
static enum vrrp_drop check_sender(const struct instance *in,
				   const struct vrrp_rx_meta *meta)
{
	const struct unicast_cfg *u = &in->cfg.ucast;
	const struct peer_cfg *p = NULL;

	if (!u->n_peers)
		return meta->ttl == VRRP_TTL ? VRRP_OK : VRRP_DROP_TTL;
	for (size_t i = 0; i < u->n_peers && !p; i++)
		if (vaddr_cmp(&u->peers[i].addr, &meta->src) == 0)
			p = &u->peers[i];
	if (!p)
		return u->check_src ? VRRP_DROP_PEER : VRRP_OK;
	if ((p->min_ttl >= 0 && meta->ttl < p->min_ttl) ||
	    (p->max_ttl >= 0 && meta->ttl > p->max_ttl))
		return VRRP_DROP_TTL;
	return VRRP_OK;
}

void instance_on_packet(struct instance *in, const struct vrrp_adv *adv,
			const struct vrrp_rx_meta *meta)
{
	char buf[VADDR_STRLEN];
	enum vrrp_drop d;

	/* Our own adverts can come back through another socket on a bridge. */
	if (vaddr_cmp(&meta->src, &in->fsm.primary) == 0)
		return;
	in->expect.check_addrs = ENV(in, global)->check_adv_addrs;
	d = check_sender(in, meta);
	if (d == VRRP_OK)
		d = vrrp_check_expected(adv, &in->expect);
	if (d != VRRP_OK) {
		instance_count_drop(in, d, &meta->src);
		return;
	}
	in->stats.adverts_rcvd++;
	if (adv->priority == 0)
		in->stats.prio0_rcvd++;

	struct vrrp_fsm_adv fa = { .priority = adv->priority,
				   .interval_cs = adv->interval_cs,
				   .src = meta->src };
	enum vrrp_state before = in->fsm.state;
	/* RFC 5798 6.4.2: Skew_Time after a priority-0 advert runs from its
	 * receipt, the kernel's stamp when it gave one, not from when we read
	 * it (the resigning master often keeps our core busy). Any other
	 * advert restarts the Master_Down_Timer from its stamp too, but at
	 * most INSTANCE_RX_LEAD_MAX_US before the read: a master-down timer
	 * from the stamps of a backlog read late would fire before the
	 * fresher adverts behind them are read (1210 false takeovers at
	 * 1000 x 10 ms when it was unbounded); bounded, it fires at most that
	 * much sooner than when timed from the read, which never did. (The
	 * state machine's other uses of this time, preemption and the
	 * master's own timers, move by the same millisecond at most.) */
	uint64_t now = ENV(in, now_us);
	if (meta->rx_us && meta->rx_us < now) {
		if (adv->priority == 0 || now - meta->rx_us <= INSTANCE_RX_LEAD_MAX_US)
			now = meta->rx_us;
		else
			now -= INSTANCE_RX_LEAD_MAX_US;
	}
	unsigned acts = vrrp_fsm_on_advert(&in->fsm, now, &fa);

	if (adv->priority > in->fsm.cfg.priority &&
	    (acts & (VRRP_ACT_MASTER_CHANGED | VRRP_ACT_STATE_CHANGED)))
		ILOG(info, in, "Received advert with higher priority %u, ours %u",
		     adv->priority, in->fsm.cfg.priority);
	else if (adv->priority == 0 && before == VRRP_STATE_BACKUP)
		ILOG(info, in, "Received advert with priority 0, master resigned");
	else if (acts & VRRP_ACT_DISCARDED)
		ILOG(debug, in, "discarded advert from %s priority %u: %s",
		     vaddr_ntop(&meta->src, buf, sizeof(buf)), adv->priority,
		     vrrp_discard_name(in->fsm.discard));
	instance_apply(in, acts);
}

/* Usable or not, as just found for the link (a tracker's Fault demand
 * counts too): enter or leave Fault if that changed. */
static void usable_now(struct instance *in, bool link_ok)
{
	bool ok = link_ok && !in->track_fault;
	bool was_ok = in->fsm.state != VRRP_STATE_FAULT &&
		      in->fsm.state != VRRP_STATE_INIT;
	enum vrrp_reason why;

	if (ok == was_ok || in->fsm.state == VRRP_STATE_INIT)
		return;
	/* Its own link and trackers are fine, but the group is in Fault
	 * (keepalived: a sync group member stays in Fault while any member
	 * is): an address event must not take it out behind the group. */
	if (ok && in->sync_fault)
		return;
	if (!link_ok)
		ILOG(warn, in, "%s is down; entering fault", in->cfg.ifname);
	else if (!ok)
		ILOG(warn, in, "a tracker is failing; entering fault");
	else
		ILOG(info, in, "%s is up and no tracker demands fault", in->cfg.ifname);
	why = !link_ok ? VRRP_R_LINK_DOWN : in->track_fault ? VRRP_R_TRACK :
	      in->fsm.reason == VRRP_R_TRACK ? VRRP_R_TRACK : VRRP_R_LINK_UP;
	instance_apply(in, vrrp_fsm_on_usable(&in->fsm, ENV(in, now_us), ok, why));
	if (!ok && ENV(in, ifindex, in->cfg.ifname) != in->ifindex)
		detach(in); /* the interface is gone, not just down */
}

/* The instance follows its interface by name: after a rename (or a
 * delete and re-create) the name points elsewhere, so the old socket goes
 * and the instance attaches to whatever carries the name now. */
/* Someone deleted our virtual MAC: make it again at once, and a master
 * puts its VIPs back on it and announces them. */
static void vmac_gone(struct instance *in)
{
	ILOG(warn, in, "virtual MAC interface %s was removed; re-creating it",
	     in->cfg.vmac.ifname);
	in->vmac_ifindex = 0; /* gone: nothing to delete */
	detach(in);
	attach(in);
	if (!in->vs || in->fsm.state != VRRP_STATE_MASTER)
		return;
	vips_add(in);
	routes_restore(in); /* those on the macvlan went with it */
	garp_burst(in);
}

void instance_on_link(struct instance *in, int ifindex, bool up)
{
	int now_ifi = ENV(in, ifindex, in->cfg.ifname);

	if (in->vmac_ifindex && ifindex == in->vmac_ifindex && !up &&
	    ENV(in, ifindex, in->cfg.vmac.ifname) != in->vmac_ifindex) {
		vmac_gone(in);
		return;
	}
	if (in->vmac_ifindex && ifindex == in->vmac_ifindex)
		return; /* the macvlan follows its parent */

	if (in->ifindex && now_ifi != in->ifindex) {
		ILOG(warn, in, "interface %s is gone (ifindex %d); waiting for it",
		     in->cfg.ifname, in->ifindex);
		usable_now(in, false);
		detach(in);
	}
	if (!in->vs && now_ifi)
		attach(in);
	up = in->ifindex == ifindex ? up : ENV(in, link_up, in->ifindex);
	/* keepalived dont_track_primary: our link going down is no fault */
	usable_now(in, (up || in->cfg.ignore_link_down) && link_usable(in));
}

void instance_set_tracking(struct instance *in, uint8_t prio, bool fault,
			   bool tracked)
{
	unsigned acts = 0;

	in->tracked = tracked;
	in->track_prio = prio;
	if (prio != in->fsm.cfg.priority) {
		/* keepalived's wording */
		ILOG(info, in, "Changing effective priority from %u to %u",
		     in->fsm.cfg.priority, prio);
		acts = vrrp_fsm_set_priority(&in->fsm, ENV(in, now_us), prio);
		instance_apply(in, acts);
	}
	if (fault == in->track_fault)
		return;
	in->track_fault = fault;
	if (in->fsm.state != VRRP_STATE_INIT)
		usable_now(in, link_usable(in));
}

void instance_sync(struct instance *in, enum vrrp_state to)
{
	in->sync_fault = to == VRRP_STATE_FAULT &&
			 (in->sync_fault || in->fsm.state != VRRP_STATE_FAULT);
	/* A member that cannot run (its own link, its own trackers) stays
	 * in Fault whatever the group does. */
	if (in->fsm.state == VRRP_STATE_FAULT && (in->track_fault || !link_usable(in)))
		return;
	instance_apply(in, vrrp_fsm_sync(&in->fsm, ENV(in, now_us), to));
}

void instance_on_addr_removed(struct instance *in, int ifindex,
			      const struct vaddr *a)
{
	vips_restore(in, ifindex, a);
}

void instance_on_addr(struct instance *in, const struct vaddr *primary)
{
	if (!in->ifindex || !in->vs)
		return;
	bool has = set_primary(in, primary);
	usable_now(in, has && ENV(in, link_up, in->ifindex));
}

int instance_failover(struct instance *in, uint64_t hold_us, char *err,
		      size_t errlen)
{
	char buf[VADDR_STRLEN];

	if (in->fsm.state != VRRP_STATE_MASTER) {
		if (vaddr_is_set(&in->fsm.master_addr))
			snprintf(err, errlen, "%s is %s; the master is %s (priority %u)",
				 in->cfg.name, vrrp_state_name(in->fsm.state),
				 vaddr_ntop(&in->fsm.master_addr, buf, sizeof(buf)),
				 in->fsm.master_prio);
		else
			snprintf(err, errlen, "%s is %s, not master; no master known",
				 in->cfg.name, vrrp_state_name(in->fsm.state));
		return -1;
	}
	ILOG(info, in, "administrative failover, holding off for %llu s",
	     (unsigned long long)(hold_us / 1000000u));
	instance_apply(in, vrrp_fsm_failover(&in->fsm, ENV(in, now_us), hold_us));
	return 0;
}

void instance_status(const struct instance *in, struct instance_status *st)
{
	uint64_t now = ENV(in, now_us);

	memset(st, 0, sizeof(*st));
	st->cfg = &in->cfg;
	st->state = in->fsm.state;
	st->effective_priority = in->fsm.cfg.priority;
	st->master_addr = in->fsm.master_addr;
	st->master_priority = in->fsm.master_prio;
	st->master_adver_interval_cs = in->fsm.master_adver_interval_cs;
	st->primary_addr = in->fsm.primary;
	st->last_transition = in->last_transition;
	st->last_reason = in->last_reason;
	if (in->fsm.hold_until_us > now)
		st->hold_remaining_ms = (in->fsm.hold_until_us - now) / 1000u;
	st->stats = &in->stats;
}
