#include "instance.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "netlink.h"

#define ILOG(lvl, in, fmt, ...) \
	log_##lvl("VRRP_Instance(%s) " fmt, (in)->cfg.name, ##__VA_ARGS__)

/* Timer callbacks are given the deadline as "now" when they run on time, so
 * adverts keep an exact cadence instead of drifting by the loop's latency. */
#define ON_TIME_SLACK_US 5000

static void adver_expired(void *arg);
static void mdown_expired(void *arg);
static void garp_expired(void *arg);
static void apply(struct instance *in, unsigned acts);

static struct vrrp_fsm_cfg fsm_cfg_of(const struct instance_cfg *c)
{
	struct vrrp_fsm_cfg f = {
		.version = c->version,
		.priority = c->priority,
		.preempt = c->preempt,
		.preempt_delay_ms = (uint32_t)c->preempt_delay_s * 1000u,
		.adv_interval_cs = c->adv_interval_cs,
	};
	return f;
}

static int copy_cfg(struct instance_cfg *dst, const struct instance_cfg *src)
{
	struct vip_cfg *v = NULL;
	if (src->n_vips) {
		v = calloc(src->n_vips, sizeof(*v));
		if (!v)
			return -1;
		memcpy(v, src->vips, src->n_vips * sizeof(*v));
	}
	*dst = *src;
	dst->vips = v;
	return 0;
}

/* RFC 5798 5.2.9 / RFC 3768 5.3.9: the advert lists the virtual addresses
 * of the instance's family; receivers compare against the same list. */
static int derive_expect(struct instance *in)
{
	const struct instance_cfg *c = &in->cfg;
	struct vaddr *a = calloc(c->n_vips ? c->n_vips : 1, sizeof(*a));
	size_t n = 0;

	if (!a)
		return -1;
	for (size_t i = 0; i < c->n_vips && n < VRRP_MAX_ADDRS; i++)
		if (c->vips[i].addr.af == c->af)
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

struct instance *instance_new(struct engine *e, const struct instance_cfg *cfg)
{
	static uint64_t serials;
	struct instance *in = calloc(1, sizeof(*in));
	if (!in || copy_cfg(&in->cfg, cfg) < 0) {
		free(in);
		return NULL;
	}
	in->serial = serials++;
	in->e = e;
	if (derive_expect(in) < 0) {
		free(in->cfg.vips);
		free(in);
		return NULL;
	}
	struct vrrp_fsm_cfg fc = fsm_cfg_of(cfg);
	vrrp_fsm_init(&in->fsm, &fc);
	loop_timer_init(&in->adver_t, adver_expired, in);
	loop_timer_init(&in->mdown_t, mdown_expired, in);
	loop_timer_init(&in->garp_t, garp_expired, in);
	in->pkt_prio = -1;
	clock_gettime(CLOCK_REALTIME, &in->stats.discontinuity);
	return in;
}

void instance_free(struct instance *in)
{
	if (!in)
		return;
	struct loop *l = engine_loop(in->e);
	loop_timer_cancel(l, &in->adver_t);
	loop_timer_cancel(l, &in->mdown_t);
	loop_timer_cancel(l, &in->garp_t);
	if (in->vs)
		engine_detach(in->e, in);
	free(in->cfg.vips);
	free(in->adv_addrs);
	free(in);
}

static uint64_t timer_now(const struct loop_timer *t)
{
	uint64_t now = loop_now_us();
	if (now >= t->deadline_us && now - t->deadline_us < ON_TIME_SLACK_US)
		return t->deadline_us;
	return now;
}

/* ---- addresses ---- */

static int vip_ifindex(struct instance *in, const struct vip_cfg *v)
{
	if (!v->dev[0] || strcmp(v->dev, in->cfg.ifname) == 0)
		return in->ifindex;
	return nlw_ifindex(engine_nlw(in->e), v->dev);
}

static const char *vip_ifname(const struct instance *in, const struct vip_cfg *v)
{
	return v->dev[0] ? v->dev : in->cfg.ifname;
}

/* RFC 5798 5.1.2.1 / 5.1.1.1: the source is our primary address on the
 * interface, never one of the virtual addresses. */
static bool set_primary(struct instance *in, const struct vaddr *p)
{
	if (!p) {
		memset(&in->fsm.primary, 0, sizeof(in->fsm.primary));
		return false;
	}
	if (vaddr_cmp(p, &in->fsm.primary) != 0) {
		in->fsm.primary = *p;
		in->pkt_prio = -1;
	}
	return true;
}

static bool refresh_primary(struct instance *in)
{
	struct vaddr p;

	return set_primary(in, in->ifindex &&
			   engine_primary(in->e, in->ifindex, in->cfg.af, &p) == 0
			   ? &p : NULL);
}

static bool link_usable(struct instance *in)
{
	return in->ifindex && in->vs && nlw_link_up(engine_nlw(in->e), in->ifindex) &&
	       refresh_primary(in);
}

static void vips_add(struct instance *in)
{
	char err[256], buf[VADDR_STRLEN];
	ILOG(info, in, "adding VIPs");
	for (size_t i = 0; i < in->cfg.n_vips; i++) {
		const struct vip_cfg *v = &in->cfg.vips[i];
		int ifi = vip_ifindex(in, v);
		if (!ifi || nlw_vip_add(engine_nlw(in->e), ifi, &v->addr, v->plen,
					err, sizeof(err)) < 0)
			ILOG(err, in, "cannot add VIP %s/%u on %s: %s",
			     vaddr_ntop(&v->addr, buf, sizeof(buf)), v->plen,
			     vip_ifname(in, v), ifi ? err : "no such interface");
	}
	in->vips_on = true;
}

static void vips_del(struct instance *in)
{
	char err[256], buf[VADDR_STRLEN];
	ILOG(info, in, "removing protocol VIPs");
	for (size_t i = 0; i < in->cfg.n_vips; i++) {
		const struct vip_cfg *v = &in->cfg.vips[i];
		int ifi = vip_ifindex(in, v);
		if (ifi && nlw_vip_del(engine_nlw(in->e), ifi, &v->addr, v->plen,
				       err, sizeof(err)) < 0)
			ILOG(err, in, "cannot remove VIP %s/%u on %s: %s",
			     vaddr_ntop(&v->addr, buf, sizeof(buf)), v->plen,
			     vip_ifname(in, v), err);
	}
	in->vips_on = false;
}

static void garp_burst(struct instance *in)
{
	const struct global_cfg *g = engine_global(in->e);
	char buf[VADDR_STRLEN];
	uint8_t mac[6];

	for (size_t i = 0; i < in->cfg.n_vips; i++) {
		const struct vip_cfg *v = &in->cfg.vips[i];
		int ifi = vip_ifindex(in, v);
		if (!ifi || nlw_link_mac(engine_nlw(in->e), ifi, mac) < 0)
			continue;
		bool v6 = v->addr.af == AF_INET6;
		ILOG(info, in, "Sending %s on %s for %s",
		     v6 ? "unsolicited neighbour advert" : "gratuitous ARP",
		     vip_ifname(in, v), vaddr_ntop(&v->addr, buf, sizeof(buf)));
		for (unsigned k = 0; k < g->garp_repeat; k++) {
			int r = v6 ? send_unsolicited_na(ifi, mac, &v->addr)
				   : send_garp(ifi, mac, &v->addr);
			if (r < 0) {
				ILOG(warn, in, "gratuitous ARP on %s: %s",
				     vip_ifname(in, v), strerror(errno));
				break;
			}
		}
	}
}

/* keepalived's defaults: a burst at once, another garp_master_delay
 * seconds later, then every garp_master_refresh seconds if set. */
static void garp_schedule(struct instance *in, bool first)
{
	const struct global_cfg *g = engine_global(in->e);
	struct loop *l = engine_loop(in->e);
	unsigned delay_s = 0;

	if (first && g->garp_delay_s) {
		delay_s = g->garp_delay_s;
	} else if (g->garp_refresh_s) {
		delay_s = g->garp_refresh_s;
	}
	if (delay_s)
		loop_timer_at(l, &in->garp_t, loop_now_us() + (uint64_t)delay_s * 1000000u);
	else
		loop_timer_cancel(l, &in->garp_t);
}

static void garp_expired(void *arg)
{
	struct instance *in = arg;
	if (in->fsm.state != VRRP_STATE_MASTER)
		return;
	garp_burst(in);
	garp_schedule(in, false);
}

/* ---- adverts ---- */

static int encode_advert(struct instance *in, uint8_t prio)
{
	struct vrrp_adv adv;
	size_t n = 0;

	memset(&adv, 0, offsetof(struct vrrp_adv, addrs));
	adv.version = in->cfg.version;
	adv.type = VRRP_TYPE_ADVERT;
	adv.vrid = in->cfg.vrid;
	adv.priority = prio;
	adv.interval_cs = in->cfg.adv_interval_cs;
	if (in->cfg.auth == AUTH_CFG_SIMPLE) {
		adv.auth_type = VRRP_AUTH_SIMPLE;
		memcpy(adv.auth_data, in->cfg.auth_pass,
		       strnlen(in->cfg.auth_pass, VRRP_AUTH_LEN));
	}
	for (n = 0; n < in->expect.naddr; n++)
		adv.addrs[n] = in->adv_addrs[n];
	adv.naddr = (uint8_t)n;
	in->pkt_len = vrrp_encode(in->pkt, sizeof(in->pkt), &adv,
				  &in->fsm.primary, &in->cfg.group);
	in->pkt_prio = in->pkt_len ? prio : -1;
	return in->pkt_len ? 0 : -1;
}

static void send_advert(struct instance *in, uint8_t prio)
{
	if (!in->vs || !vaddr_is_set(&in->fsm.primary))
		return;
	if (in->pkt_prio != prio && encode_advert(in, prio) < 0) {
		ILOG(err, in, "cannot encode advert (check version, interval and addresses)");
		return;
	}
	if (vsock_send(in->vs, &in->fsm.primary, &in->cfg.group, in->pkt,
		       in->pkt_len) < 0) {
		ILOG(warn, in, "sending advert on %s: %s", in->cfg.ifname,
		     strerror(errno));
		return;
	}
	in->stats.adverts_sent++;
	if (prio == 0)
		in->stats.prio0_sent++;
}

/* ---- applying what the state machine decided ---- */

/* Every VRRP interval is a whole number of centiseconds. A master's advert
 * timer is put on a fixed phase of its interval, on the 10 ms grid of the
 * monotonic clock, and the exact cadence keeps it there. The adverts of
 * many instances then fall due together, a few per grid slot: one wakeup
 * and one sendmmsg() for each slot instead of a wakeup per advert, while
 * spreading instances over the slots (by creation order) keeps each burst
 * short, so the spacing each router sees stays even. Only the first
 * interval after becoming master is shortened to reach the phase, which
 * is safe: only sooner than the RFC's deadline, never later. */
#define ADVERT_GRID_US 10000u
/* Instances created one after another share a slot in groups of this
 * size: a wakeup then carries a full sendmmsg() batch, and a hundred
 * instances need four wakeups per interval, not a hundred. */
#define ADVERT_SLOT_SHARE 32u

static uint64_t advert_interval_us(const struct instance *in)
{
	return (uint64_t)in->cfg.adv_interval_cs * 10000u;
}

static uint64_t advert_phase_us(const struct instance *in)
{
	uint64_t slots = advert_interval_us(in) / ADVERT_GRID_US;

	return ((in->serial / ADVERT_SLOT_SHARE) % (slots ? slots : 1)) * ADVERT_GRID_US;
}

static uint64_t on_advert_phase(const struct instance *in, uint64_t now_us,
				uint64_t when_us)
{
	uint64_t iv = advert_interval_us(in);
	uint64_t ph = advert_phase_us(in);
	/* the last point of our phase not after when: never later than the
	 * RFC's deadline, at most one interval early */
	uint64_t t = when_us - (when_us + iv - ph) % iv;

	if (t <= now_us)
		t += iv;
	return t;
}

static void sync_timer(struct instance *in, struct loop_timer *t, uint64_t when)
{
	struct loop *l = engine_loop(in->e);
	if (!when)
		loop_timer_cancel(l, t);
	else if (!loop_timer_armed(t) || t->deadline_us != when)
		loop_timer_at(l, t, when);
}

static void apply(struct instance *in, unsigned acts)
{
	/* Logged first, as keepalived does: the lines that follow (VIPs,
	 * gratuitous ARP) read as consequences of the transition. */
	if (acts & VRRP_ACT_STATE_CHANGED)
		ILOG(info, in, "Entering %s STATE", vrrp_state_name(in->fsm.state));
	if (acts & VRRP_ACT_SEND_PRIO0) {
		send_advert(in, 0);
		ILOG(info, in, "sent priority 0 advert");
	}
	if (acts & VRRP_ACT_SEND_ADVERT)
		send_advert(in, in->fsm.cfg.priority);
	/* RFC 5798 6.4.2 / 6.4.3 put the advert first: on a transition it
	 * leaves now, not after the synchronous netlink work below. */
	if ((acts & (VRRP_ACT_ADD_VIPS | VRRP_ACT_DEL_VIPS)) && in->vs)
		vsock_flush(in->vs);
	if ((acts & VRRP_ACT_DEL_VIPS) && in->vips_on)
		vips_del(in);
	if (acts & VRRP_ACT_ADD_VIPS)
		vips_add(in);
	if (acts & VRRP_ACT_SEND_GARP) {
		garp_burst(in);
		garp_schedule(in, true);
	}
	if (acts & VRRP_ACT_STATE_CHANGED) {
		if (in->fsm.state == VRRP_STATE_MASTER)
			in->stats.master_transitions++;
		else
			loop_timer_cancel(engine_loop(in->e), &in->garp_t);
		clock_gettime(CLOCK_REALTIME, &in->last_transition);
		in->last_reason = in->fsm.reason;
		engine_publish(in->e, in, in->fsm.old_state);
	}
	if (in->fsm.adver_timer_us &&
	    in->fsm.adver_timer_us % advert_interval_us(in) != advert_phase_us(in))
		in->fsm.adver_timer_us = on_advert_phase(in, loop_now_us(),
							  in->fsm.adver_timer_us);
	sync_timer(in, &in->adver_t, in->fsm.adver_timer_us);
	sync_timer(in, &in->mdown_t, in->fsm.master_down_timer_us);
}

static void adver_expired(void *arg)
{
	struct instance *in = arg;
	apply(in, vrrp_fsm_on_adver_timer(&in->fsm, timer_now(&in->adver_t)));
}

static void mdown_expired(void *arg)
{
	struct instance *in = arg;
	apply(in, vrrp_fsm_on_master_down_timer(&in->fsm, timer_now(&in->mdown_t)));
}

/* ---- lifecycle ---- */

static void attach(struct instance *in)
{
	char err[256];

	in->ifindex = nlw_ifindex(engine_nlw(in->e), in->cfg.ifname);
	if (!in->ifindex) {
		ILOG(warn, in, "interface %s not found; waiting for it", in->cfg.ifname);
		return;
	}
	in->vs = engine_attach(in->e, in, err, sizeof(err));
	if (!in->vs) {
		ILOG(err, in, "cannot open VRRP socket on %s: %s", in->cfg.ifname, err);
		return;
	}
	if (vsock_join(in->vs, &in->cfg.group, err, sizeof(err)) < 0)
		ILOG(err, in, "%s", err);
	else
		in->joined = true;
}

static void detach(struct instance *in)
{
	if (in->vs) {
		if (in->joined)
			vsock_leave(in->vs, &in->cfg.group);
		engine_detach(in->e, in);
	}
	in->joined = false;
	in->vs = NULL;
	in->ifindex = 0;
}

void instance_start(struct instance *in)
{
	attach(in);
	bool ok = link_usable(in);
	if (!ok && in->ifindex)
		ILOG(warn, in, "%s is down or has no %s address", in->cfg.ifname,
		     in->cfg.af == AF_INET ? "IPv4" : "link-local IPv6");
	apply(in, vrrp_fsm_startup(&in->fsm, loop_now_us(), ok));
}

void instance_stop(struct instance *in)
{
	apply(in, vrrp_fsm_shutdown(&in->fsm, loop_now_us()));
	if (in->vips_on)
		vips_del(in);
	detach(in);
}

static bool has_vip(const struct instance_cfg *c, const struct vip_cfg *v)
{
	for (size_t i = 0; i < c->n_vips; i++)
		if (vaddr_cmp(&c->vips[i].addr, &v->addr) == 0 &&
		    c->vips[i].plen == v->plen &&
		    strcmp(c->vips[i].dev, v->dev) == 0)
			return true;
	return false;
}

/* Move a master's VIPs to the new list without touching the ones that
 * stay, so a change never makes a kept address flap. */
static void update_vips(struct instance *in, const struct instance_cfg *nc)
{
	char err[256], buf[VADDR_STRLEN];
	struct nlw *nl = engine_nlw(in->e);
	bool added = false;

	for (size_t i = 0; i < in->cfg.n_vips; i++) {
		const struct vip_cfg *v = &in->cfg.vips[i];
		int ifi = vip_ifindex(in, v);
		if (!has_vip(nc, v) && ifi &&
		    nlw_vip_del(nl, ifi, &v->addr, v->plen, err, sizeof(err)) < 0)
			ILOG(err, in, "cannot remove VIP %s: %s",
			     vaddr_ntop(&v->addr, buf, sizeof(buf)), err);
	}
	for (size_t i = 0; i < nc->n_vips; i++) {
		const struct vip_cfg *v = &nc->vips[i];
		int ifi = vip_ifindex(in, v);
		if (has_vip(&in->cfg, v))
			continue;
		added = true;
		if (!ifi || nlw_vip_add(nl, ifi, &v->addr, v->plen, err, sizeof(err)) < 0)
			ILOG(err, in, "cannot add VIP %s: %s",
			     vaddr_ntop(&v->addr, buf, sizeof(buf)),
			     ifi ? err : "no such interface");
	}
	if (added)
		garp_burst(in);
}

void instance_update(struct instance *in, const struct instance_cfg *cfg)
{
	struct instance_cfg nc;
	uint64_t now = loop_now_us();

	if (copy_cfg(&nc, cfg) < 0) {
		ILOG(err, in, "out of memory applying configuration");
		return;
	}
	if (in->vips_on)
		update_vips(in, &nc);
	free(in->cfg.vips);
	in->cfg = nc;
	in->pkt_prio = -1;
	if (derive_expect(in) < 0)
		ILOG(err, in, "out of memory applying configuration");

	struct vrrp_fsm_cfg fc = fsm_cfg_of(&nc);
	unsigned acts = 0;
	if (fc.priority != in->fsm.cfg.priority) {
		ILOG(info, in, "priority changed from %u to %u", in->fsm.cfg.priority,
		     fc.priority);
		acts |= vrrp_fsm_set_priority(&in->fsm, now, fc.priority);
	}
	acts |= vrrp_fsm_set_cfg(&in->fsm, now, &fc);
	apply(in, acts);
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

void instance_on_packet(struct instance *in, const struct vrrp_adv *adv,
			const struct vrrp_rx_meta *meta)
{
	/* Our own adverts can come back through another socket on a bridge. */
	if (vaddr_cmp(&meta->src, &in->fsm.primary) == 0)
		return;
	in->expect.check_addrs = engine_global(in->e)->check_adv_addrs;
	enum vrrp_drop d = vrrp_check_expected(adv, &in->expect);
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
	unsigned acts = vrrp_fsm_on_advert(&in->fsm, loop_now_us(), &fa);

	if (adv->priority > in->fsm.cfg.priority &&
	    (acts & (VRRP_ACT_MASTER_CHANGED | VRRP_ACT_STATE_CHANGED)))
		ILOG(info, in, "Received advert with higher priority %u, ours %u",
		     adv->priority, in->fsm.cfg.priority);
	else if (adv->priority == 0 && before == VRRP_STATE_BACKUP)
		ILOG(info, in, "Received advert with priority 0, master resigned");
	apply(in, acts);
}

/* Usable or not, as just found: enter or leave Fault if that changed. */
static void usable_now(struct instance *in, bool ok)
{
	bool was_ok = in->fsm.state != VRRP_STATE_FAULT &&
		      in->fsm.state != VRRP_STATE_INIT;
	if (ok == was_ok)
		return;
	if (!ok)
		ILOG(warn, in, "%s is down; entering fault", in->cfg.ifname);
	else
		ILOG(info, in, "%s is up", in->cfg.ifname);
	apply(in, vrrp_fsm_on_link(&in->fsm, loop_now_us(), ok));
	if (!ok && nlw_ifindex(engine_nlw(in->e), in->cfg.ifname) != in->ifindex)
		detach(in); /* the interface is gone, not just down */
}

void instance_on_link(struct instance *in, int ifindex, bool up)
{
	(void)ifindex;
	if (!in->vs && up)
		attach(in);
	usable_now(in, up && link_usable(in));
}

void instance_on_addr(struct instance *in, const struct vaddr *primary)
{
	if (!in->ifindex || !in->vs)
		return;
	bool has = set_primary(in, primary);
	usable_now(in, has && nlw_link_up(engine_nlw(in->e), in->ifindex));
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
	apply(in, vrrp_fsm_failover(&in->fsm, loop_now_us(), hold_us));
	return 0;
}

void instance_status(const struct instance *in, struct instance_status *st)
{
	uint64_t now = loop_now_us();

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
