/* Static addresses, routes and rules (statics.h). They carry our tags
 * (IFA_PROTO / RTPROT 112) like the VIPs and virtual routes, so removing
 * them never removes an identical entry the operator made, and a vrrpd
 * killed with -9 leaves nothing the next start does not clean
 * (nlw_routes_flush_ours; an address of ours is simply adopted). */
#include "statics.h"

#include <string.h>

#include "log.h"
#include "netlink.h"

static bool addr_equal(const struct static_addr_cfg *a, const struct static_addr_cfg *b)
{
	return vaddr_cmp(&a->addr, &b->addr) == 0 && a->plen == b->plen &&
	       strcmp(a->dev, b->dev) == 0;
}

static bool has_addr(const struct static_cfg *c, const struct static_addr_cfg *a)
{
	for (size_t i = 0; c && i < c->n_addrs; i++)
		if (addr_equal(&c->addrs[i], a))
			return true;
	return false;
}

static bool has_route(const struct static_cfg *c, const struct route_cfg *r)
{
	for (size_t i = 0; c && i < c->rl.n_routes; i++)
		if (route_cfg_equal(&c->rl.routes[i], r))
			return true;
	return false;
}

static bool has_rule(const struct static_cfg *c, const struct rule_cfg *u)
{
	for (size_t i = 0; c && i < c->rl.n_rules; i++)
		if (rule_cfg_equal(&c->rl.rules[i], u))
			return true;
	return false;
}

static void addr_one(struct nlw *n, const struct static_addr_cfg *a, bool add)
{
	char err[256] = "", buf[VADDR_STRLEN];
	int ifi = nlw_ifindex(n, a->dev), e;

	vaddr_ntop(&a->addr, buf, sizeof(buf));
	if (ifi <= 0) {
		log_err("static address %s/%u: no interface %s", buf, a->plen, a->dev);
		return;
	}
	if (add) {
		e = nlw_vip_add(n, ifi, &a->addr, a->plen, err, sizeof(err));
		if (e == NLW_VIP_FOREIGN)
			log_warn("static address %s/%u on %s was configured by someone else; it stays at exit",
				 buf, a->plen, a->dev);
	} else {
		/* only ours: an address someone else configured stays */
		e = nlw_vip_stale(n, ifi, &a->addr)
		    ? nlw_vip_del(n, ifi, &a->addr, a->plen, err, sizeof(err)) : 0;
	}
	if (e < 0)
		log_err("cannot %s static address %s/%u on %s: %s",
			add ? "add" : "remove", buf, a->plen, a->dev, err);
}

static void route_one(struct nlw *n, const struct route_cfg *r, bool add)
{
	char err[256] = "", buf[VADDR_STRLEN];
	int e = nlw_route(n, r, add, err, sizeof(err));

	if (e < 0)
		log_err("cannot %s static route %u (%s/%u table %u): %s",
			add ? "add" : "remove", r->id,
			vaddr_ntop(&r->dst, buf, sizeof(buf)), r->dst_plen, r->table, err);
	else if (e > 0)
		log_warn("static route %u (%s/%u table %u) was already there",
			 r->id, vaddr_ntop(&r->dst, buf, sizeof(buf)), r->dst_plen,
			 r->table);
}

static void rule_one(struct nlw *n, const struct rule_cfg *u, bool add)
{
	char err[256] = "";
	int e = nlw_rule(n, u, add, err, sizeof(err));

	if (e < 0)
		log_err("cannot %s static rule %u (table %u): %s",
			add ? "add" : "remove", u->id, u->table, err);
	else if (e > 0)
		log_warn("static rule %u (table %u) was already there", u->id, u->table);
}

void statics_apply(struct nlw *n, const struct static_cfg *old,
		   const struct static_cfg *nw)
{
	/* Removal first, rules before the routes they lead to, routes before
	 * the addresses they may use as source; adding in the other order. */
	for (size_t i = 0; old && i < old->rl.n_rules; i++)
		if (!has_rule(nw, &old->rl.rules[i]))
			rule_one(n, &old->rl.rules[i], false);
	for (size_t i = 0; old && i < old->rl.n_routes; i++)
		if (!has_route(nw, &old->rl.routes[i]))
			route_one(n, &old->rl.routes[i], false);
	for (size_t i = 0; old && i < old->n_addrs; i++)
		if (!has_addr(nw, &old->addrs[i]))
			addr_one(n, &old->addrs[i], false);
	for (size_t i = 0; nw && i < nw->n_addrs; i++)
		if (!has_addr(old, &nw->addrs[i]))
			addr_one(n, &nw->addrs[i], true);
	for (size_t i = 0; nw && i < nw->rl.n_routes; i++)
		if (!has_route(old, &nw->rl.routes[i]))
			route_one(n, &nw->rl.routes[i], true);
	for (size_t i = 0; nw && i < nw->rl.n_rules; i++)
		if (!has_rule(old, &nw->rl.rules[i]))
			rule_one(n, &nw->rl.rules[i], true);
}
