/* Helpers on the plain C configuration (config.h): release, look-up by
 * name, and the deep comparison a reload uses to leave unchanged instances
 * alone. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

void vrrpd_config_free(struct vrrpd_config *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n_instances; i++)
		instance_cfg_release(&c->instances[i]);
	tracking_cfg_free(&c->tracking);
	free(c->instances);
	c->instances = NULL;
	c->n_instances = 0;
	free(c->statics.addrs);
	c->statics.addrs = NULL;
	c->statics.n_addrs = 0;
	route_list_release(&c->statics.rl);
}

void instance_cfg_release(struct instance_cfg *c)
{
	free(c->vips);
	free(c->ucast.peers);
	follow_cfg_free(&c->follow);
	c->vips = NULL;
	c->ucast.peers = NULL;
	c->n_vips = c->ucast.n_peers = 0;
	route_list_release(&c->vroutes);
}

static void *dup_array(const void *src, size_t n, size_t size)
{
	void *p;

	if (!n)
		return NULL;
	p = calloc(n, size);
	if (p)
		memcpy(p, src, n * size);
	return p;
}

int instance_cfg_copy(struct instance_cfg *dst, const struct instance_cfg *src)
{
	struct vip_cfg *v = dup_array(src->vips, src->n_vips, sizeof(*v));
	struct peer_cfg *p = dup_array(src->ucast.peers, src->ucast.n_peers,
				       sizeof(*p));

	struct route_list rl;

	if ((src->n_vips && !v) || (src->ucast.n_peers && !p) ||
	    route_list_copy(&rl, &src->vroutes) < 0) {
		free(v);
		free(p);
		return -1;
	}
	*dst = *src;
	dst->vips = v;
	dst->ucast.peers = p;
	if (follow_cfg_copy(&dst->follow, &src->follow) < 0) {
		free(v);
		free(p);
		return -1;
	}
	dst->vroutes = rl;
	return 0;
}

const struct instance_cfg *vrrpd_config_find(const struct vrrpd_config *c,
					     const char *name)
{
	if (!c || !name)
		return NULL;
	for (size_t i = 0; i < c->n_instances; i++) {
		if (strcmp(c->instances[i].name, name) == 0)
			return &c->instances[i];
	}
	return NULL;
}

static bool vip_equal(const struct vip_cfg *a, const struct vip_cfg *b)
{
	return vaddr_cmp(&a->addr, &b->addr) == 0 && a->plen == b->plen &&
	       strcmp(a->dev, b->dev) == 0 && a->excluded == b->excluded &&
	       strcmp(a->label, b->label) == 0 && vaddr_cmp(&a->brd, &b->brd) == 0 &&
	       a->scope == b->scope;
}

static bool unicast_equal(const struct unicast_cfg *a, const struct unicast_cfg *b)
{
	if (a->ttl != b->ttl ||
	    a->fault_no_peer != b->fault_no_peer || a->check_src != b->check_src ||
	    a->n_peers != b->n_peers)
		return false;
	for (size_t i = 0; i < a->n_peers; i++)
		if (vaddr_cmp(&a->peers[i].addr, &b->peers[i].addr) ||
		    a->peers[i].min_ttl != b->peers[i].min_ttl ||
		    a->peers[i].max_ttl != b->peers[i].max_ttl)
			return false;
	return true;
}

/* Field by field, not memcmp: the structs have padding and bytes after
 * each string's terminator that carry no meaning. */
#define EQ_SCALAR(fn, m) \
	static bool fn(const struct instance_cfg *a, const struct instance_cfg *b) \
	{ return a->m == b->m; }
#define EQ_STRING(fn, m) \
	static bool fn(const struct instance_cfg *a, const struct instance_cfg *b) \
	{ return strcmp(a->m, b->m) == 0; }

EQ_STRING(eq_name, name)
EQ_STRING(eq_ifname, ifname)
EQ_SCALAR(eq_vrid, vrid)
EQ_SCALAR(eq_version, version)
EQ_SCALAR(eq_af, af)
EQ_SCALAR(eq_priority, priority)
EQ_SCALAR(eq_preempt, preempt)
EQ_SCALAR(eq_preempt_delay, preempt_delay_s)
EQ_SCALAR(eq_accept_mode, accept_mode)
EQ_SCALAR(eq_adv_interval, adv_interval_cs)
EQ_SCALAR(eq_start_as_master, start_as_master)
EQ_SCALAR(eq_auth, auth)
EQ_STRING(eq_auth_pass, auth_pass)

static bool eq_group(const struct instance_cfg *a, const struct instance_cfg *b)
{
	return vaddr_cmp(&a->group, &b->group) == 0;
}

/* The order of the VIPs counts: it is the order of the advertisement's
 * address list. */
static bool eq_vips(const struct instance_cfg *a, const struct instance_cfg *b)
{
	if (a->n_vips != b->n_vips)
		return false;
	for (size_t i = 0; i < a->n_vips; i++) {
		if (!vip_equal(&a->vips[i], &b->vips[i]))
			return false;
	}
	return true;
}

/* What the instance follows: trackers (with its own weights) and notify
 * scripts; applied in place by the tracking subsystem. */
static bool eq_follow(const struct instance_cfg *a, const struct instance_cfg *b)
{
	return follow_cfg_equal(&a->follow, &b->follow);
}

static bool eq_src(const struct instance_cfg *a, const struct instance_cfg *b)
{
	return vaddr_cmp(&a->src, &b->src) == 0;
}

EQ_SCALAR(eq_ucast_ttl, ucast.ttl)
EQ_SCALAR(eq_ucast_fault_no_peer, ucast.fault_no_peer)
EQ_SCALAR(eq_ucast_check_src, ucast.check_src)

EQ_SCALAR(eq_promote, promote_secondaries)
EQ_SCALAR(eq_ignore_link_down, ignore_link_down)
EQ_SCALAR(eq_down_adverts, down_adverts)

static bool eq_garp(const struct instance_cfg *a, const struct instance_cfg *b)
{
	return memcmp(&a->garp, &b->garp, sizeof(a->garp)) == 0;
}
EQ_SCALAR(eq_vmac_enabled, vmac.enabled)
EQ_STRING(eq_vmac_ifname, vmac.ifname)
EQ_SCALAR(eq_vmac_xmit_base, vmac.xmit_base)

/* Multicast or unicast: the socket joins the group or not. */
static bool eq_ucast_mode(const struct instance_cfg *a, const struct instance_cfg *b)
{
	return (a->ucast.n_peers == 0) == (b->ucast.n_peers == 0);
}

static bool eq_ucast_peers(const struct instance_cfg *a, const struct instance_cfg *b)
{
	return unicast_equal(&a->ucast, &b->ucast);
}

/* ---- virtual routes and rules (whole lists: the order of install) ---- */

static bool eq_vroutes(const struct instance_cfg *a, const struct instance_cfg *b)
{
	return route_list_routes_equal(&a->vroutes, &b->vroutes);
}

static bool eq_vrules(const struct instance_cfg *a, const struct instance_cfg *b)
{
	return route_list_rules_equal(&a->vroutes, &b->vroutes);
}

/* Every configuration leaf of an instance in yang/vrrpd.yang, how a
 * change of it is applied, and the comparison that sees the change.
 * Restart: the identity of the instance on the wire (RFC 5798 6.1: the
 * VRID, the interface, the family and the version select the virtual
 * router; the group where its adverts go) -- a stop (priority-0 advert,
 * VIPs released) and a fresh start. In place: everything else, applied
 * by instance_update() while the instance runs. tests/unit/test_config.c
 * walks the libyang schema and fails when a leaf is missing here or its
 * comparison does not see a change of it. */
const struct instance_field instance_fields[] = {
	{ "name", FIELD_KEY, eq_name },
	{ "interface", FIELD_RESTART, eq_ifname },
	{ "vrid", FIELD_RESTART, eq_vrid },
	{ "version", FIELD_RESTART, eq_version },
	{ "address-family", FIELD_RESTART, eq_af },
	{ "priority", FIELD_IN_PLACE, eq_priority },
	{ "preempt", FIELD_IN_PLACE, eq_preempt },
	{ "preempt-delay", FIELD_IN_PLACE, eq_preempt_delay },
	{ "accept-mode", FIELD_IN_PLACE, eq_accept_mode },
	{ "advertisement-interval", FIELD_IN_PLACE, eq_adv_interval },
	{ "initial-state", FIELD_IN_PLACE, eq_start_as_master },
	/* Resolved: the instance's own group or the global default. */
	{ "multicast-group", FIELD_RESTART, eq_group },
	{ "authentication/type", FIELD_IN_PLACE, eq_auth },
	{ "authentication/password", FIELD_IN_PLACE, eq_auth_pass },
	{ "virtual-address/address", FIELD_IN_PLACE, eq_vips },
	{ "virtual-address/prefix-length", FIELD_IN_PLACE, eq_vips },
	{ "virtual-address/device", FIELD_IN_PLACE, eq_vips },
	{ "virtual-address/excluded", FIELD_IN_PLACE, eq_vips },
	{ "virtual-address/label", FIELD_IN_PLACE, eq_vips },
	{ "virtual-address/broadcast", FIELD_IN_PLACE, eq_vips },
	{ "virtual-address/scope", FIELD_IN_PLACE, eq_vips },
	{ "promote-secondaries", FIELD_IN_PLACE, eq_promote },
	/* instance_update() looks at the link again */
	{ "ignore-link-down", FIELD_IN_PLACE, eq_ignore_link_down },
	/* resolved with the global defaults, so a global change is seen too */
	{ "garp/master-delay", FIELD_IN_PLACE, eq_garp },
	{ "garp/master-repeat", FIELD_IN_PLACE, eq_garp },
	{ "garp/master-refresh", FIELD_IN_PLACE, eq_garp },
	{ "garp/master-refresh-repeat", FIELD_IN_PLACE, eq_garp },
	{ "master-down-adverts", FIELD_IN_PLACE, eq_down_adverts },
	/* The macvlan carries the socket and the VIPs. */
	{ "virtual-mac/enabled", FIELD_RESTART, eq_vmac_enabled },
	{ "virtual-mac/interface", FIELD_RESTART, eq_vmac_ifname },
	{ "virtual-mac/transmit-on-base", FIELD_RESTART, eq_vmac_xmit_base },
	{ "source-address", FIELD_IN_PLACE, eq_src },
	{ "unicast/ttl", FIELD_IN_PLACE, eq_ucast_ttl },
	{ "unicast/fault-no-peer", FIELD_IN_PLACE, eq_ucast_fault_no_peer },
	/* absent: the global check-unicast-source or a peer's TTL bound */
	{ "unicast/check-source", FIELD_IN_PLACE, eq_ucast_check_src },
	/* The first peer turns multicast into unicast (and the last one
	 * back): a restart. Peers are otherwise edited in place, which the
	 * whole-list comparison of the TTL rows sees. */
	{ "unicast/peer/address", FIELD_RESTART, eq_ucast_mode },
	{ "unicast/peer/min-ttl", FIELD_IN_PLACE, eq_ucast_peers },
	{ "unicast/peer/max-ttl", FIELD_IN_PLACE, eq_ucast_peers },
	/* Whole subtrees (a path ending in '/'): every leaf below shares the
	 * comparison; tests/unit/test_config.c changes one per subtree. */
	{ "track/", FIELD_IN_PLACE, eq_follow },
	{ "notify/", FIELD_IN_PLACE, eq_follow },
	/* Virtual routes and rules: a master swaps the old set for the new
	 * (instance_update); no restart. */
	{ "virtual-route/id", FIELD_IN_PLACE, eq_vroutes },
	{ "virtual-route/destination", FIELD_IN_PLACE, eq_vroutes },
	{ "virtual-route/type", FIELD_IN_PLACE, eq_vroutes },
	{ "virtual-route/gateway", FIELD_IN_PLACE, eq_vroutes },
	{ "virtual-route/device", FIELD_IN_PLACE, eq_vroutes },
	{ "virtual-route/source", FIELD_IN_PLACE, eq_vroutes },
	{ "virtual-route/table", FIELD_IN_PLACE, eq_vroutes },
	{ "virtual-route/metric", FIELD_IN_PLACE, eq_vroutes },
	{ "virtual-route/scope", FIELD_IN_PLACE, eq_vroutes },
	{ "virtual-rule/id", FIELD_IN_PLACE, eq_vrules },
	{ "virtual-rule/from", FIELD_IN_PLACE, eq_vrules },
	{ "virtual-rule/to", FIELD_IN_PLACE, eq_vrules },
	{ "virtual-rule/table", FIELD_IN_PLACE, eq_vrules },
	{ "virtual-rule/priority", FIELD_IN_PLACE, eq_vrules },
	{ "virtual-rule/in-interface", FIELD_IN_PLACE, eq_vrules },
	{ "virtual-rule/out-interface", FIELD_IN_PLACE, eq_vrules },
	{ "virtual-rule/fwmark", FIELD_IN_PLACE, eq_vrules },
	{ NULL, FIELD_KEY, NULL },
};

bool instance_cfg_equal(const struct instance_cfg *a,
			const struct instance_cfg *b)
{
	if (a == b)
		return true;
	if (!a || !b)
		return false;
	for (const struct instance_field *f = instance_fields; f->leaf; f++) {
		if (!f->equal(a, b))
			return false;
	}
	return true;
}

bool instance_cfg_needs_restart(const struct instance_cfg *a,
				const struct instance_cfg *b)
{
	for (const struct instance_field *f = instance_fields; f->leaf; f++) {
		if (f->apply == FIELD_RESTART && !f->equal(a, b))
			return true;
	}
	return false;
}
