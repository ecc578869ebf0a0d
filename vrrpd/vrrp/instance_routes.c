/* A master's virtual routes and rules (keepalived virtual_routes /
 * virtual_rules) and its accept-mode filter (RFC 5798 6.4.3). Added by
 * master_enter() after the VIPs and removed by master_exit() before them
 * (instance_transition.c), moved in place by a configuration change. Each
 * failure is logged for that route and the others go on: a route the
 * kernel refuses must not keep a router from being master. */
#include <stdio.h>
#include <string.h>

#include "instance_int.h"

static const char *route_str(const struct route_cfg *r, char *buf, size_t len)
{
	static const char *const types[] = { "", "blackhole ", "unreachable ",
		"prohibit " };
	char d[VADDR_STRLEN], g[VADDR_STRLEN];

	snprintf(buf, len, "%s%s/%u%s%s%s%s table %u", types[r->type],
		 vaddr_ntop(&r->dst, d, sizeof(d)), r->dst_plen,
		 vaddr_is_set(&r->gateway) ? " via " : "",
		 vaddr_is_set(&r->gateway) ? vaddr_ntop(&r->gateway, g, sizeof(g)) : "",
		 r->dev[0] ? " dev " : "", r->dev, r->table);
	return buf;
}

/* quiet: restoring after a deleted interface, when the entries that are
 * still there answer "exists", which is no news. */
static void route_one(struct instance *in, const struct route_cfg *r, bool add,
		      bool quiet)
{
	char err[256] = "", buf[160];
	int e = ENV(in, route, r, add, err, sizeof(err));

	if (e < 0)
		ILOG(err, in, "cannot %s virtual route %s: %s", add ? "add" : "remove",
		     route_str(r, buf, sizeof(buf)), err);
	else if (e > 0 && !quiet)
		ILOG(warn, in, "virtual route %s was already there; it is removed when this instance leaves MASTER only if it is ours",
		     route_str(r, buf, sizeof(buf)));
}

static void rule_one(struct instance *in, const struct rule_cfg *u, bool add,
		     bool quiet)
{
	char err[256] = "";
	int e = ENV(in, rule, u, add, err, sizeof(err));

	if (e < 0)
		ILOG(err, in, "cannot %s virtual rule %u (table %u): %s",
		     add ? "add" : "remove", u->id, u->table, err);
	else if (e > 0 && !quiet)
		ILOG(warn, in, "virtual rule %u (table %u) was already there", u->id,
		     u->table);
}

static void apply_list(struct instance *in, const struct route_list *rl, bool add,
		       bool quiet)
{
	/* Rules after the routes they lead to, and gone before them, so a
	 * matching packet never meets an empty table. */
	if (add) {
		for (size_t i = 0; i < rl->n_routes; i++)
			route_one(in, &rl->routes[i], true, quiet);
		for (size_t i = 0; i < rl->n_rules; i++)
			rule_one(in, &rl->rules[i], true, quiet);
	} else {
		for (size_t i = rl->n_rules; i-- > 0;)
			rule_one(in, &rl->rules[i], false, quiet);
		for (size_t i = rl->n_routes; i-- > 0;)
			route_one(in, &rl->routes[i], false, quiet);
	}
}

void routes_add(struct instance *in)
{
	apply_list(in, &in->cfg.vroutes, true, false);
	in->routes_on = true;
}

void routes_restore(struct instance *in)
{
	if (!in->routes_on)
		return;
	apply_list(in, &in->cfg.vroutes, true, true);
}

void routes_del(struct instance *in)
{
	if (!in->routes_on)
		return;
	apply_list(in, &in->cfg.vroutes, false, false);
	in->routes_on = false;
}

/* RFC 5798 6.1: the owner (priority 255) always accepts; another master
 * only with Accept_Mode. */
static bool must_filter(const struct instance_cfg *c)
{
	return !c->accept_mode && c->priority != VRRP_PRIO_OWNER;
}

static void filter_vips(struct instance *in, const struct instance_cfg *c, bool block)
{
	struct vaddr a[64];
	size_t k = 0;

	for (size_t i = 0; i < c->n_vips; i++) {
		a[k++] = c->vips[i].addr;
		if (k == sizeof(a) / sizeof(a[0]) || i + 1 == c->n_vips) {
			ENV(in, accept_block, a, k, block);
			k = 0;
		}
	}
}

void accept_filter_set(struct instance *in, bool on)
{
	if (on && !in->filter_on && must_filter(&in->cfg)) {
		filter_vips(in, &in->cfg, true);
		in->filter_on = true;
	} else if (!on && in->filter_on) {
		filter_vips(in, &in->cfg, false);
		in->filter_on = false;
	}
}

void routes_reconcile(struct instance *in, const struct instance_cfg *nc)
{
	bool same_routes = route_list_routes_equal(&in->cfg.vroutes, &nc->vroutes) &&
			   route_list_rules_equal(&in->cfg.vroutes, &nc->vroutes);

	if (in->routes_on && !same_routes) {
		apply_list(in, &in->cfg.vroutes, false, false);
		apply_list(in, &nc->vroutes, true, false);
	}
	/* counted per address: unchanged VIPs never leave the set */
	if (in->filter_on) {
		filter_vips(in, &in->cfg, false);
		in->filter_on = false;
	}
	if (in->fsm.state == VRRP_STATE_MASTER && must_filter(nc)) {
		filter_vips(in, nc, true);
		in->filter_on = true;
	}
}
