/* An instance's virtual addresses and their announcements: added on
 * entering Master, removed on leaving it (instance_transition.c is the only
 * caller of vips_add/vips_del), moved in place on a configuration change,
 * and announced with gratuitous ARP (IPv4) or unsolicited neighbour
 * advertisements (IPv6) on keepalived's schedule. */
#include <errno.h>
#include <stdlib.h>
#include <sys/types.h>
#include <stdio.h>
#include <string.h>

#include "instance_int.h"

/* A VIP without a device of its own lives on the instance's interface,
 * or on its virtual MAC interface when there is one. */
static bool on_own_interface(const struct instance *in, const struct vip_cfg *v)
{
	return !v->dev[0] || strcmp(v->dev, in->cfg.ifname) == 0;
}

static int vip_ifindex(struct instance *in, const struct vip_cfg *v)
{
	if (on_own_interface(in, v))
		return in->vmac_ifindex ? in->vmac_ifindex : in->ifindex;
	return ENV(in, ifindex, v->dev);
}

static const char *vip_ifname(const struct instance *in, const struct vip_cfg *v)
{
	if (on_own_interface(in, v))
		return in->vmac_ifindex ? in->cfg.vmac.ifname : in->cfg.ifname;
	return v->dev;
}

/* The configured VIP a on ifindex (addresses are the list's key: one). */
static const struct vip_cfg *vip_on(struct instance *in, int ifindex,
				    const struct vaddr *a)
{
	for (size_t i = 0; i < in->cfg.n_vips; i++)
		if (vaddr_cmp(&in->cfg.vips[i].addr, a) == 0 &&
		    vip_ifindex(in, &in->cfg.vips[i]) == ifindex)
			return &in->cfg.vips[i];
	return NULL;
}

static ssize_t foreign_idx(const struct instance *in, const struct vaddr *a)
{
	for (size_t i = 0; i < in->n_foreign; i++)
		if (vaddr_cmp(&in->foreign[i], a) == 0)
			return (ssize_t)i;
	return -1;
}

static void foreign_mark(struct instance *in, const struct vaddr *a, bool is)
{
	ssize_t i = foreign_idx(in, a);

	if (is && i < 0) {
		struct vaddr *v = realloc(in->foreign, (in->n_foreign + 1) * sizeof(*v));
		if (!v)
			return;
		in->foreign = v;
		in->foreign[in->n_foreign++] = *a;
	} else if (!is && i >= 0) {
		in->foreign[i] = in->foreign[--in->n_foreign];
	}
}

/* What an add came to, now or when its queued result arrives. */
static void vip_result(struct instance *in, const struct vip_cfg *v, int ifi,
		       int r, const char *err)
{
	char buf[VADDR_STRLEN];

	if (r < 0) {
		ILOG(err, in, "cannot add VIP %s/%u on %s: %s",
		     vaddr_ntop(&v->addr, buf, sizeof(buf)), v->plen,
		     vip_ifname(in, v), ifi ? err : "no such interface");
		return;
	}
	if (r > 0 && foreign_idx(in, &v->addr) < 0)
		ILOG(warn, in, "VIP %s was already configured on %s by someone else; it stays when this instance releases its VIPs",
		     vaddr_ntop(&v->addr, buf, sizeof(buf)), vip_ifname(in, v));
	foreign_mark(in, &v->addr, r > 0);
}

static void vip_add_one(struct instance *in, const struct vip_cfg *v)
{
	char err[256];
	int ifi = vip_ifindex(in, v);
	int r = ifi ? ENV(in, vip_add, in, ifi, v, err, sizeof(err)) : -1;

	if (r == VIP_ADD_QUEUED) {
		in->vips_queued++;
		return;
	}
	vip_result(in, v, ifi, r, err);
}

void instance_vip_added(struct instance *in, int ifindex, const struct vaddr *a,
			int result, const char *err)
{
	const struct vip_cfg *v = vip_on(in, ifindex, a);

	if (in->vips_queued)
		in->vips_queued--;
	if (v)
		vip_result(in, v, ifindex, result, err);
	/* the configuration moved on meanwhile: only a failure is news */
	else if (result < 0)
		ILOG(err, in, "%s", err);
}

void instance_vip_removed(struct instance *in, int ifindex, const struct vaddr *a,
			  int result, const char *err)
{
	const struct vip_cfg *v = vip_on(in, ifindex, a);
	char buf[VADDR_STRLEN], name[24];

	if (result >= 0)
		return;
	if (v)
		snprintf(name, sizeof(name), "%s", vip_ifname(in, v));
	else
		snprintf(name, sizeof(name), "ifindex %d", ifindex);
	ILOG(err, in, "cannot remove VIP %s on %s: %s", vaddr_ntop(a, buf, sizeof(buf)),
	     name, err);
}

/* Before anything that depends on the adds being done (a release, which
 * must know whose addresses they are; a route with a VIP as source). */
void vips_settle(struct instance *in)
{
	if (in->vips_queued)
		ENV(in, vip_settle);
}

static void vip_del_one(struct instance *in, const struct vip_cfg *v)
{
	char err[256], buf[VADDR_STRLEN];
	int ifi = vip_ifindex(in, v);

	vips_settle(in);
	if (foreign_idx(in, &v->addr) >= 0) {
		ILOG(info, in, "leaving %s on %s: it was configured before vrrpd added it",
		     vaddr_ntop(&v->addr, buf, sizeof(buf)), vip_ifname(in, v));
		return;
	}
	if (ifi && ENV(in, vip_del, in, ifi, &v->addr, v->plen, err, sizeof(err)) < 0)
		ILOG(err, in, "cannot remove VIP %s/%u on %s: %s",
		     vaddr_ntop(&v->addr, buf, sizeof(buf)), v->plen,
		     vip_ifname(in, v), err);
}

void vips_add(struct instance *in)
{
	ILOG(info, in, "adding VIPs");
	for (size_t i = 0; i < in->cfg.n_vips; i++)
		vip_add_one(in, &in->cfg.vips[i]);
	in->vips_on = true;
}

void vips_del(struct instance *in)
{
	if (!in->vips_on)
		return;
	ILOG(info, in, "removing protocol VIPs");
	for (size_t i = 0; i < in->cfg.n_vips; i++)
		vip_del_one(in, &in->cfg.vips[i]);
	in->vips_on = false;
}

/* keepalived removes the VIPs it finds at start; we remove only those
 * tagged as ours (netlink_vip.c), so an operator's address survives. */
void vips_remove_stale(struct instance *in)
{
	char err[256], buf[VADDR_STRLEN];

	for (size_t i = 0; i < in->cfg.n_vips; i++) {
		const struct vip_cfg *v = &in->cfg.vips[i];
		int ifi = vip_ifindex(in, v);
		if (!ifi || !ENV(in, vip_stale, ifi, &v->addr))
			continue;
		ILOG(warn, in, "removing stale VIP %s on %s left by a previous vrrpd",
		     vaddr_ntop(&v->addr, buf, sizeof(buf)), vip_ifname(in, v));
		if (ENV(in, vip_del, in, ifi, &v->addr, v->plen, err, sizeof(err)) < 0)
			ILOG(err, in, "%s", err);
	}
}

/* keepalived restores a VIP deleted by hand on the master; so do we. Our
 * own removals happen with vips_on false or the VIP out of cfg already. */
void vips_restore(struct instance *in, int ifindex, const struct vaddr *a)
{
	const struct vip_cfg *v;
	char buf[VADDR_STRLEN];

	if (!in->vips_on || !(v = vip_on(in, ifindex, a)))
		return;
	ILOG(warn, in, "VIP %s was removed from %s; restoring it",
	     vaddr_ntop(a, buf, sizeof(buf)), vip_ifname(in, v));
	foreign_mark(in, a, false);
	vip_add_one(in, v);
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

void vips_reconcile(struct instance *in, const struct instance_cfg *nc)
{
	bool added = false;

	if (!in->vips_on)
		return;
	for (size_t i = 0; i < in->cfg.n_vips; i++)
		if (!has_vip(nc, &in->cfg.vips[i]))
			vip_del_one(in, &in->cfg.vips[i]);
	for (size_t i = 0; i < nc->n_vips; i++) {
		if (has_vip(&in->cfg, &nc->vips[i]))
			continue;
		added = true;
		vip_add_one(in, &nc->vips[i]);
	}
	/* the burst reads in->cfg: announce once the new list is in place */
	in->garp_pending = added;
}

void garp_burst(struct instance *in)
{
	garp_burst_n(in, in->cfg.garp.repeat);
}

void garp_burst_n(struct instance *in, unsigned repeat)
{
	char buf[VADDR_STRLEN];
	uint8_t mac[6];

	for (size_t i = 0; i < in->cfg.n_vips; i++) {
		const struct vip_cfg *v = &in->cfg.vips[i];
		int ifi = vip_ifindex(in, v);
		/* the new macvlan may not be in the netlink cache yet */
		if (ifi && ifi == in->vmac_ifindex)
			memcpy(mac, in->vmac, sizeof(mac));
		else if (!ifi || ENV(in, link_mac, ifi, mac) < 0)
			continue;
		bool v6 = v->addr.af == AF_INET6;
		ILOG(info, in, "Sending %s on %s for %s",
		     v6 ? "unsolicited neighbour advert" : "gratuitous ARP",
		     vip_ifname(in, v), vaddr_ntop(&v->addr, buf, sizeof(buf)));
		for (unsigned k = 0; k < repeat; k++) {
			if (ENV(in, announce, ifi, mac, &v->addr) < 0) {
				ILOG(warn, in, "%s on %s: %s",
				     v6 ? "unsolicited neighbour advert" : "gratuitous ARP",
				     vip_ifname(in, v), strerror(errno));
				break;
			}
		}
	}
}

/* keepalived's defaults: a burst at once, another garp_master_delay
 * seconds later, then every garp_master_refresh seconds if set (with
 * garp_master_refresh_repeat packets). */
void garp_schedule(struct instance *in, bool first)
{
	const struct garp_cfg *g = &in->cfg.garp;
	unsigned delay_s = 0;

	/* the timer's next burst: the delayed one, then refreshes */
	in->garp_refreshing = !(first && g->delay_s);
	if (first && g->delay_s)
		delay_s = g->delay_s;
	else if (g->refresh_s)
		delay_s = g->refresh_s;
	uint64_t now = ENV(in, now_us);

	if (delay_s)
		ENV(in, timer_at, &in->garp_t, now + (uint64_t)delay_s * 1000000u);
	else
		garp_cancel(in);
}

void garp_cancel(struct instance *in)
{
	ENV(in, timer_cancel, &in->garp_t);
}

void garp_drop_queued(struct instance *in)
{
	for (size_t i = 0; i < in->cfg.n_vips; i++) {
		const struct vip_cfg *v = &in->cfg.vips[i];
		int ifi = vip_ifindex(in, v);
		if (ifi)
			ENV(in, announce_cancel, ifi, &v->addr);
	}
}

void garp_expired(void *arg)
{
	struct instance *in = arg;

	if (in->fsm.state != VRRP_STATE_MASTER)
		return;
	garp_burst_n(in, in->garp_refreshing ? in->cfg.garp.refresh_repeat
					      : in->cfg.garp.repeat);
	garp_schedule(in, false);
}
