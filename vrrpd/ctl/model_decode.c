/* Decoding a validated vrrpd data tree into struct vrrpd_config: the one
 * place where YANG data becomes the plain C the engine reads. libyang has
 * already checked every type, range and constraint; this file still
 * refuses anything that would not fit the C structs (a tree built by hand
 * and never validated), so the engine can trust what it gets. */
#include "model.h"
#include "model_decode.h"
#include "model_decode_routes.h"

#include <arpa/inet.h>
#include <libyang/libyang.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The value of a leaf child: the data node's canonical value, else the
 * schema default (a tree that was not validated has no implicit nodes),
 * else NULL. */
const char *md_leaf_value(const struct lyd_node *parent, const char *name)
{
	const struct lyd_node *n;
	const struct lysc_node *s;
	const struct lysc_node_leaf *leaf;

	LY_LIST_FOR(lyd_child(parent), n) {
		if (n->schema && strcmp(LYD_NAME(n), name) == 0)
			return lyd_get_value(n);
	}
	s = lys_find_child(parent->schema, parent->schema->module, name, 0,
			   LYS_LEAF, 0);
	if (!s)
		return NULL;
	leaf = (const struct lysc_node_leaf *)s;
	return leaf->dflt ? lyd_value_get_canonical(s->module->ctx, leaf->dflt)
			  : NULL;
}

const struct lyd_node *md_child_node(const struct lyd_node *parent,
					 const char *name)
{
	const struct lyd_node *n;

	LY_LIST_FOR(lyd_child(parent), n) {
		if (n->schema && strcmp(LYD_NAME(n), name) == 0)
			return n;
	}
	return NULL;
}

int md_fail(struct model_error *err, const struct lyd_node *parent,
		const char *name, const char *fmt, ...)
{
	char path[400] = "/";
	va_list ap;

	if (!err)
		return -1;
	if (parent)
		lyd_path(parent, LYD_PATH_STD, path, sizeof(path));
	snprintf(err->path, sizeof(err->path), "%s%s%s", path,
		 strcmp(path, "/") && name ? "/" : "", name ? name : "");
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

/* An unsigned leaf in [min, max]; an absent leaf without a default is an
 * error. */
int md_get_uint(const struct lyd_node *parent, const char *name,
		    unsigned long min, unsigned long max, unsigned long *out,
		    struct model_error *err)
{
	const char *v = md_leaf_value(parent, name);
	char *end;

	if (!v)
		return md_fail(err, parent, name, "missing value");
	*out = strtoul(v, &end, 10);
	if (*end != '\0' || *out < min || *out > max)
		return md_fail(err, parent, name, "value %s not in %lu..%lu", v,
			    min, max);
	return 0;
}

int md_get_bool(const struct lyd_node *parent, const char *name, bool *out,
		    struct model_error *err)
{
	const char *v = md_leaf_value(parent, name);

	if (!v)
		return md_fail(err, parent, name, "missing value");
	*out = strcmp(v, "true") == 0;
	return 0;
}

/* Copy a string leaf into a fixed buffer; absent = "" unless required. */
int md_get_str(const struct lyd_node *parent, const char *name, char *dst,
		   size_t len, bool required, struct model_error *err)
{
	const char *v = md_leaf_value(parent, name);

	dst[0] = '\0';
	if (!v)
		return required ? md_fail(err, parent, name, "missing value") : 0;
	if (strlen(v) >= len)
		return md_fail(err, parent, name, "longer than %zu characters",
			    len - 1);
	memcpy(dst, v, strlen(v) + 1);
	return 0;
}

static int get_addr(const struct lyd_node *parent, const char *name,
		    struct vaddr *a, struct model_error *err)
{
	const char *v = md_leaf_value(parent, name);

	if (!v || vaddr_parse(v, a, NULL) != 0)
		return md_fail(err, parent, name, "not an IP address: %s",
			    v ? v : "(missing)");
	return 0;
}

/* Defaults of container global, for a configuration with no vrrpd data at
 * all (NULL tree). They mirror yang/vrrpd.yang; test_model checks that the
 * two agree. */
static void global_defaults(struct global_cfg *g)
{
	memset(g, 0, sizeof(*g));
	g->group4.af = AF_INET;
	inet_pton(AF_INET, "224.0.0.18", &g->group4.u.v4);
	g->group6.af = AF_INET6;
	inet_pton(AF_INET6, "ff02::12", &g->group6.u.v6);
	g->garp_delay_s = 5;
	g->garp_repeat = 5;
	g->garp_refresh_s = 0;
	g->garp_refresh_repeat = 1;
	g->check_adv_addrs = true;
	md_script_global_defaults(&g->scripts);
}

static int decode_global(const struct lyd_node *g, struct global_cfg *out,
			 struct model_error *err)
{
	unsigned long v;

	if (md_get_str(g, "router-id", out->router_id, sizeof(out->router_id),
		    false, err) ||
	    get_addr(g, "multicast-group-v4", &out->group4, err) ||
	    get_addr(g, "multicast-group-v6", &out->group6, err) ||
	    md_get_bool(g, "check-unicast-source", &out->check_unicast_src, err) ||
	    md_get_bool(g, "check-advert-addresses", &out->check_adv_addrs, err))
		return -1;
	if (md_get_uint(g, "garp-master-delay", 0, UINT16_MAX, &v, err))
		return -1;
	out->garp_delay_s = (unsigned)v;
	if (md_get_uint(g, "garp-master-repeat", 1, UINT8_MAX, &v, err))
		return -1;
	out->garp_repeat = (unsigned)v;
	if (md_get_uint(g, "garp-master-refresh", 0, UINT16_MAX, &v, err))
		return -1;
	out->garp_refresh_s = (unsigned)v;
	if (md_get_uint(g, "garp-master-refresh-repeat", 1, UINT8_MAX, &v, err))
		return -1;
	out->garp_refresh_repeat = (unsigned)v;
	return md_decode_script_global(g, &out->scripts, err);
}

static int decode_vip(const struct lyd_node *va, int af, struct vip_cfg *vip,
		      struct model_error *err)
{
	unsigned long plen;
	unsigned max;

	const char *scope;

	if (get_addr(va, "address", &vip->addr, err) ||
	    md_get_bool(va, "excluded", &vip->excluded, err))
		return -1;
	if (vip->addr.af != af && !vip->excluded)
		return md_fail(err, va, "address",
			    "address family differs from the instance's");
	max = vip->addr.af == AF_INET ? 32 : 128;
	if (md_get_str(va, "label", vip->label, sizeof(vip->label), false, err))
		return -1;
	memset(&vip->brd, 0, sizeof(vip->brd));
	if (md_leaf_value(va, "broadcast") && get_addr(va, "broadcast", &vip->brd, err))
		return -1;
	scope = md_leaf_value(va, "scope");
	vip->scope = !scope ? -1 : !strcmp(scope, "host") ? 254 : !strcmp(scope, "link") ? 253 :
		     !strcmp(scope, "site") ? 200 : 0; /* RT_SCOPE_* */
	/* RFC 5798 leaves the prefix to the operator; no prefix = host. */
	if (md_leaf_value(va, "prefix-length")) {
		if (md_get_uint(va, "prefix-length", 1, max, &plen, err))
			return -1;
	} else {
		plen = max;
	}
	vip->plen = (uint8_t)plen;
	return md_get_str(va, "device", vip->dev, sizeof(vip->dev), false, err);
}

static int decode_vips(const struct lyd_node *inst, struct instance_cfg *ic,
		       struct model_error *err)
{
	const struct lyd_node *n;
	size_t count = 0;

	LY_LIST_FOR(lyd_child(inst), n) {
		if (n->schema && strcmp(LYD_NAME(n), "virtual-address") == 0)
			count++;
	}
	if (count == 0)
		return md_fail(err, inst, "virtual-address",
			    "at least one virtual address is required");
	ic->vips = calloc(count, sizeof(*ic->vips));
	if (!ic->vips)
		return md_fail(err, inst, NULL, "out of memory");
	LY_LIST_FOR(lyd_child(inst), n) {
		if (!n->schema || strcmp(LYD_NAME(n), "virtual-address"))
			continue;
		if (decode_vip(n, ic->af, &ic->vips[ic->n_vips], err))
			return -1;
		ic->n_vips++;
	}
	return 0;
}

static int decode_auth(const struct lyd_node *inst, struct instance_cfg *ic,
		       struct model_error *err)
{
	const struct lyd_node *auth = md_child_node(inst, "authentication");
	const char *type = auth ? md_leaf_value(auth, "type") : NULL;

	ic->auth = AUTH_CFG_NONE;
	ic->auth_pass[0] = '\0';
	if (!type || strcmp(type, "none") == 0)
		return 0;
	if (strcmp(type, "simple-password") != 0)
		return md_fail(err, auth, "type", "unknown authentication type %s",
			    type);
	ic->auth = AUTH_CFG_SIMPLE;
	return md_get_str(auth, "password", ic->auth_pass, sizeof(ic->auth_pass),
		       true, err);
}

static int decode_numbers(const struct lyd_node *inst, struct instance_cfg *ic,
			  struct model_error *err)
{
	unsigned long v;

	if (md_get_uint(inst, "vrid", 1, 255, &v, err))
		return -1;
	ic->vrid = (uint8_t)v;
	if (md_get_uint(inst, "version", 2, 3, &v, err))
		return -1;
	ic->version = (uint8_t)v;
	if (md_get_uint(inst, "priority", 1, 255, &v, err))
		return -1;
	ic->priority = (uint8_t)v;
	if (md_get_uint(inst, "preempt-delay", 0, 3600, &v, err))
		return -1;
	ic->preempt_delay_s = (uint16_t)v;
	if (md_get_uint(inst, "advertisement-interval", 1, 25500, &v, err))
		return -1;
	ic->adv_interval_cs = (uint16_t)v;
	return 0;
}

static int get_ttl(const struct lyd_node *peer, const char *name, int *out,
		   struct model_error *err)
{
	unsigned long v;

	*out = -1;
	if (!md_leaf_value(peer, name))
		return 0;
	if (md_get_uint(peer, name, 0, 255, &v, err))
		return -1;
	*out = (int)v;
	return 0;
}

/* An instance leaf overrides the global one of the same name. */
static int garp_leaf(const struct lyd_node *gc, const char *name, unsigned long max,
		     unsigned min, unsigned *v, struct model_error *err)
{
	unsigned long x;

	if (!gc || !md_leaf_value(gc, name))
		return 0;
	if (md_get_uint(gc, name, min, max, &x, err))
		return -1;
	*v = (unsigned)x;
	return 0;
}

static int decode_garp(const struct lyd_node *inst, const struct global_cfg *g,
		       struct instance_cfg *ic, struct model_error *err)
{
	const struct lyd_node *gc = md_child_node(inst, "garp");
	unsigned long v;

	ic->garp = (struct garp_cfg){ g->garp_delay_s, g->garp_repeat, g->garp_refresh_s,
				      g->garp_refresh_repeat };
	if (garp_leaf(gc, "master-delay", UINT16_MAX, 0, &ic->garp.delay_s, err) ||
	    garp_leaf(gc, "master-repeat", UINT8_MAX, 1, &ic->garp.repeat, err) ||
	    garp_leaf(gc, "master-refresh", UINT16_MAX, 0, &ic->garp.refresh_s, err) ||
	    garp_leaf(gc, "master-refresh-repeat", UINT8_MAX, 1, &ic->garp.refresh_repeat, err) ||
	    md_get_uint(inst, "master-down-adverts", 1, 100, &v, err))
		return -1;
	ic->down_adverts = (uint8_t)v;
	return 0;
}

static int decode_vmac(const struct lyd_node *inst, struct instance_cfg *ic,
		       struct model_error *err)
{
	const struct lyd_node *vm = md_child_node(inst, "virtual-mac");

	memset(&ic->vmac, 0, sizeof(ic->vmac));
	if (!vm)
		return 0;
	if (md_get_bool(vm, "enabled", &ic->vmac.enabled, err) ||
	    md_get_bool(vm, "transmit-on-base", &ic->vmac.xmit_base, err))
		return -1;
	if (md_leaf_value(vm, "interface"))
		return md_get_str(vm, "interface", ic->vmac.ifname,
			       sizeof(ic->vmac.ifname), true, err);
	snprintf(ic->vmac.ifname, sizeof(ic->vmac.ifname), "%s.%u",
		 ic->af == AF_INET6 ? "vrrp6" : "vrrp", ic->vrid);
	return 0;
}

/* keepalived: a peer with min_ttl or max_ttl turns source checking on. */
static int decode_unicast(const struct lyd_node *inst, const struct global_cfg *g,
			  struct unicast_cfg *u, struct model_error *err)
{
	const struct lyd_node *uc = md_child_node(inst, "unicast"), *n;
	unsigned long v;
	size_t count = 0;

	memset(u, 0, sizeof(*u));
	u->ttl = 255;
	u->check_src = g->check_unicast_src;
	if (!uc)
		return 0;
	if (md_get_uint(uc, "ttl", 1, 255, &v, err) ||
	    md_get_bool(uc, "fault-no-peer", &u->fault_no_peer, err))
		return -1;
	u->ttl = (uint8_t)v;
	if (md_leaf_value(uc, "check-source") &&
	    md_get_bool(uc, "check-source", &u->check_src, err))
		return -1;
	LY_LIST_FOR(lyd_child(uc), n)
		count += n->schema && strcmp(LYD_NAME(n), "peer") == 0;
	if (!count)
		return 0;
	u->peers = calloc(count, sizeof(*u->peers));
	if (!u->peers)
		return md_fail(err, uc, NULL, "out of memory");
	LY_LIST_FOR(lyd_child(uc), n) {
		if (!n->schema || strcmp(LYD_NAME(n), "peer"))
			continue;
		struct peer_cfg *p = &u->peers[u->n_peers++];
		if (get_addr(n, "address", &p->addr, err) ||
		    get_ttl(n, "min-ttl", &p->min_ttl, err) ||
		    get_ttl(n, "max-ttl", &p->max_ttl, err))
			return -1;
		if (p->min_ttl >= 0 || p->max_ttl >= 0)
			u->check_src = true;
	}
	return 0;
}

static int decode_instance(const struct lyd_node *inst,
			   const struct global_cfg *g, struct instance_cfg *ic,
			   struct model_error *err)
{
	const char *v;

	if (md_get_str(inst, "name", ic->name, sizeof(ic->name), true, err) ||
	    md_get_str(inst, "interface", ic->ifname, sizeof(ic->ifname), true,
		    err) ||
	    decode_numbers(inst, ic, err) ||
	    md_get_bool(inst, "preempt", &ic->preempt, err) ||
	    md_get_bool(inst, "accept-mode", &ic->accept_mode, err))
		return -1;

	v = md_leaf_value(inst, "address-family");
	ic->af = v && strcmp(v, "ipv6") == 0 ? AF_INET6 : AF_INET;
	v = md_leaf_value(inst, "initial-state");
	ic->start_as_master = v && strcmp(v, "master") == 0;

	/* An instance without its own group uses the global one of its
	 * family (keepalived vrrp_mcast_group4/6). */
	if (md_leaf_value(inst, "multicast-group")) {
		if (get_addr(inst, "multicast-group", &ic->group, err))
			return -1;
		if (ic->group.af != ic->af)
			return md_fail(err, inst, "multicast-group",
				    "address family differs from the instance's");
	} else {
		ic->group = ic->af == AF_INET ? g->group4 : g->group6;
	}
	if (md_get_bool(inst, "promote-secondaries", &ic->promote_secondaries, err) ||
	    md_get_bool(inst, "ignore-link-down", &ic->ignore_link_down, err))
		return -1;
	memset(&ic->src, 0, sizeof(ic->src));
	if (md_leaf_value(inst, "source-address") &&
	    get_addr(inst, "source-address", &ic->src, err))
		return -1;
	if (decode_auth(inst, ic, err) || decode_unicast(inst, g, &ic->ucast, err) ||
	    decode_vmac(inst, ic, err) || decode_garp(inst, g, ic, err))
		return -1;
	/* virtual-route / virtual-rule (model_decode_routes.c) */
	if (model_decode_route_list(inst, "virtual-route", "virtual-rule", ic->af,
				    &ic->vroutes, err))
		return -1;
	if (decode_vips(inst, ic, err))
		return -1;
	return md_decode_follow(inst, &ic->follow, err);
}

/* The top-level vrrpd container among the tree's siblings, or NULL. */
static const struct lyd_node *find_top(const struct lyd_node *tree)
{
	const struct lyd_node *n;

	LY_LIST_FOR(lyd_first_sibling(tree), n) {
		if (n->schema && strcmp(LYD_NAME(n), "vrrpd") == 0 &&
		    strcmp(n->schema->module->name, "vrrpd") == 0)
			return n;
	}
	return NULL;
}

/* One instance of a change (instance.create/set): decoded against the
 * running configuration's globals and trackers, which the change leaves
 * alone. */
int model_instance_to_config(const struct lyd_node *inst,
			     const struct vrrpd_config *running,
			     struct instance_cfg *out, struct model_error *err)
{
	struct vrrpd_config one = { .n_instances = 1, .instances = out };

	memset(out, 0, sizeof(*out));
	if (decode_instance(inst, &running->global, out, err) < 0) {
		instance_cfg_release(out);
		return -1;
	}
	/* the same check as a whole tree's, on this instance alone */
	one.tracking = running->tracking;
	one.tracking.n_sync_groups = 0;
	if (md_check_tracking_refs(&one, err) < 0) {
		instance_cfg_release(out);
		return -1;
	}
	return 0;
}

int model_tree_to_config(const struct lyd_node *tree, struct vrrpd_config *out,
			 struct model_error *err)
{
	const struct lyd_node *top, *n, *global;
	size_t count = 0;

	memset(out, 0, sizeof(*out));
	global_defaults(&out->global);
	top = tree ? find_top(tree) : NULL;
	if (!top)
		return 0;

	global = md_child_node(top, "global");
	if (global && decode_global(global, &out->global, err))
		return -1;
	if (md_decode_tracking(top, &out->tracking, err)) {
		vrrpd_config_free(out);
		return -1;
	}
	/* container static (model_decode_routes.c) */
	if (model_decode_static(top, &out->statics, err)) {
		vrrpd_config_free(out);
		return -1;
	}

	LY_LIST_FOR(lyd_child(top), n) {
		if (n->schema && strcmp(LYD_NAME(n), "instance") == 0)
			count++;
	}
	out->instances = count ? calloc(count, sizeof(*out->instances)) : NULL;
	if (count && !out->instances) {
		vrrpd_config_free(out);
		return md_fail(err, top, NULL, "out of memory");
	}
	LY_LIST_FOR(lyd_child(top), n) {
		if (!n->schema || strcmp(LYD_NAME(n), "instance"))
			continue;
		/* Count it first so vrrpd_config_free() releases its VIPs. */
		out->n_instances++;
		if (decode_instance(n, &out->global,
				    &out->instances[out->n_instances - 1], err)) {
			vrrpd_config_free(out);
			return -1;
		}
	}
	if (md_check_tracking_refs(out, err)) {
		vrrpd_config_free(out);
		return -1;
	}
	return 0;
}
