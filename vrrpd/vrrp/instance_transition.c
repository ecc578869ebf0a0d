/* The one state-change path of an instance (the idea of FRR's
 * vrrp_change_state): the state machine decides, this file performs.
 *
 * Order of work on a transition, and why:
 *  1. the advert the machine asked for (RFC 5798 6.4.2 / 6.4.3 put it first)
 *     is queued and the socket flushed, so it leaves before any netlink work;
 *  2. the log line `Entering NEW STATE (from OLD: reason)`, keepalived's
 *     wording, before the lines it causes (VIPs, gratuitous ARP);
 *  3. the exit actions of the old state, then the entry actions of the new
 *     one, from the table below: nothing else adds or removes VIPs on a
 *     state change or cancels the GARP timer;
 *  4. counters, then the state-change hook (env->publish): JSON-RPC
 *     notifications, later notify scripts and sync groups;
 *  5. the timers the machine asked for, on the advert phase grid. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "advert_sched.h"
#include "instance_int.h"

/* ---- adverts ---- */

static int encode_advert(struct instance *in, struct advert_dest *d, uint8_t prio)
{
	struct vrrp_adv adv;

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
	for (size_t n = 0; n < in->expect.naddr; n++)
		adv.addrs[n] = in->adv_addrs[n];
	adv.naddr = (uint8_t)in->expect.naddr;
	uint8_t buf[VSOCK_PKT_MAX];
	size_t len = vrrp_encode(buf, sizeof(buf), &adv, &in->fsm.primary, &d->dst);
	uint8_t *p = len && len != d->len ? realloc(d->pkt, len) : d->pkt;

	d->prio = -1;
	if (!len || !p)
		return -1;
	memcpy(p, buf, len);
	d->pkt = p;
	d->len = len;
	d->prio = prio;
	return 0;
}

static void send_advert(struct instance *in, uint8_t prio)
{
	/* TTL 255 proves a multicast advert is from the link (RFC 5798
	 * 5.1.1.3); unicast adverts carry the configured unicast TTL. */
	uint8_t ttl = in->cfg.ucast.n_peers ? in->cfg.ucast.ttl : VRRP_TTL;
	char buf[VADDR_STRLEN];
	bool sent = false;

	if (!in->vs || !vaddr_is_set(&in->fsm.primary))
		return;
	for (size_t i = 0; i < in->n_dests; i++) {
		struct advert_dest *d = &in->dests[i];
		if (d->prio != prio && encode_advert(in, d, prio) < 0) {
			ILOG(err, in, "cannot encode advert (check version, interval and addresses)");
			return;
		}
		if (ENV(in, send, in->vs, &in->fsm.primary, &d->dst, ttl, d->pkt,
			d->len) < 0) {
			ILOG(warn, in, "sending advert to %s on %s: %s",
			     vaddr_ntop(&d->dst, buf, sizeof(buf)), in->cfg.ifname,
			     strerror(errno));
			continue;
		}
		sent = true;
	}
	if (!sent)
		return;
	in->stats.adverts_sent++;
	if (prio == 0)
		in->stats.prio0_sent++;
}

/* ---- the state table ---- */

/* Order on entry: the accept-mode filter first (RFC 5798 6.4.3: a
 * non-owner must not accept packets to the VIPs, so they are blocked
 * before they exist), then the VIPs, then the virtual routes and rules,
 * because a route may name a VIP as its source (`src VIP`) or go through
 * a device the VIP lives on, and the kernel refuses a preferred source
 * that is not a local address. Exit undoes it in reverse: routes go
 * before the VIPs they depend on. */
static void master_enter(struct instance *in)
{
	accept_filter_set(in, true);
	vips_add(in);
	routes_add(in); /* netlink sends queued VIP adds before a route */
	garp_burst(in);
	garp_schedule(in, true);
	in->stats.master_transitions++;
}

static void master_exit(struct instance *in)
{
	garp_cancel(in);
	garp_drop_queued(in); /* repeats still queued would claim the VIPs */
	routes_del(in);
	vips_del(in);
	accept_filter_set(in, false);
}

/* Backup, Fault and Initialize hold nothing of their own: leaving Master
 * released it all. */
static const struct {
	void (*enter)(struct instance *in);
	void (*exit)(struct instance *in);
} state_actions[] = {
	[VRRP_STATE_INIT] = { NULL, NULL },
	[VRRP_STATE_BACKUP] = { NULL, NULL },
	[VRRP_STATE_MASTER] = { master_enter, master_exit },
	[VRRP_STATE_FAULT] = { NULL, NULL },
};

static void change_state(struct instance *in, enum vrrp_state from,
			 enum vrrp_state to, enum vrrp_reason why)
{
	ILOG(info, in, "Entering %s STATE (from %s: %s)", vrrp_state_name(to),
	     vrrp_state_name(from), vrrp_reason_name(why));
	if (state_actions[from].exit)
		state_actions[from].exit(in);
	if (state_actions[to].enter)
		state_actions[to].enter(in);
	clock_gettime(CLOCK_REALTIME, &in->last_transition);
	in->last_reason = why;
	ENV(in, publish, in, from);
}

static void sync_timer(struct instance *in, struct loop_timer *t, uint64_t when)
{
	if (!when)
		ENV(in, timer_cancel, t);
	else if (!loop_timer_armed(t) || t->deadline_us != when)
		ENV(in, timer_at, t, when);
}

void instance_apply(struct instance *in, unsigned acts)
{
	uint64_t iv_us = (uint64_t)in->cfg.adv_interval_cs * 10000u;

	if (acts & VRRP_ACT_SEND_PRIO0) {
		send_advert(in, 0);
		ILOG(info, in, "sent priority 0 advert");
	}
	if (acts & VRRP_ACT_SEND_ADVERT)
		send_advert(in, in->fsm.cfg.priority);
	if (acts & VRRP_ACT_STATE_CHANGED) {
		if (in->vs)
			ENV(in, flush, in->vs);
		if (in->fsm.state != VRRP_STATE_FAULT)
			in->sync_fault = false;
		change_state(in, in->fsm.old_state, in->fsm.state, in->fsm.reason);
	}
	if (in->fsm.adver_timer_us &&
	    in->fsm.adver_timer_us % iv_us != advert_phase_us(in->serial, iv_us)) {
		uint64_t now = ENV(in, now_us);
		vrrp_fsm_pull_adver_timer(&in->fsm,
			advert_on_phase_us(in->serial, iv_us, now,
					   in->fsm.adver_timer_us));
	}
	sync_timer(in, &in->adver_t, in->fsm.adver_timer_us);
	sync_timer(in, &in->mdown_t, in->fsm.master_down_timer_us);
}
