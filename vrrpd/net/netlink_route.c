/* Routes and policy rules through libnl (rtnl_route / rtnl_rule):
 * virtual routes of a master, static routes of the daemon.
 *
 * Every route and rule we add carries routing protocol NLW_ROUTE_PROTO
 * (112, like the VIPs' IFA_PROTO). Why: the kernel matches the protocol
 * when deleting (fib_table_delete / ip6_route_del / fib_nl_delrule skip
 * an entry of another protocol), so removing ours can never remove the
 * operator's identical route; and the routes a killed vrrpd left behind
 * can be found and removed at start (nlw_routes_flush_ours). */
#include <errno.h>
#include <string.h>

#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>
#include <netlink/netlink.h>
#include <netlink/route/nexthop.h>
#include <netlink/route/route.h>
#include <netlink/route/rule.h>

#include "config.h"
#include "netlink_int.h"

static struct nl_addr *addr_of(const struct vaddr *a, int plen)
{
	struct nl_addr *na = nl_addr_build(a->af, a->u.bytes, vaddr_len(a));

	if (na)
		nl_addr_set_prefixlen(na, plen);
	return na;
}

static const uint8_t rtn_type[] = {
	[ROUTE_UNICAST] = RTN_UNICAST, [ROUTE_BLACKHOLE] = RTN_BLACKHOLE,
	[ROUTE_UNREACHABLE] = RTN_UNREACHABLE, [ROUTE_PROHIBIT] = RTN_PROHIBIT,
};

/* The one place a route_cfg becomes an rtnl_route; NULL with err. */
static struct rtnl_route *route_object(struct nlw *n, const struct route_cfg *r,
				       char *err, size_t errlen)
{
	struct rtnl_route *rt = rtnl_route_alloc();
	struct nl_addr *dst = addr_of(&r->dst, r->dst_plen), *a = NULL;
	struct rtnl_nexthop *nh = NULL;
	int ifindex = 0;

	if (!rt || !dst)
		goto nomem;
	if (r->dev[0] && (ifindex = nlw_ifindex(n, r->dev)) <= 0) {
		nlw_set_err(err, errlen, "no interface %s", r->dev);
		goto fail;
	}
	rtnl_route_set_family(rt, (uint8_t)r->dst.af);
	rtnl_route_set_dst(rt, dst);
	rtnl_route_set_table(rt, r->table);
	rtnl_route_set_protocol(rt, NLW_ROUTE_PROTO);
	rtnl_route_set_type(rt, rtn_type[r->type]);
	if (r->metric >= 0)
		rtnl_route_set_priority(rt, (uint32_t)r->metric);
	/* the kernel's default scope, which libnl would guess the same way */
	rtnl_route_set_scope(rt, (uint8_t)(r->scope >= 0 ? r->scope
		: r->type == ROUTE_UNICAST && !vaddr_is_set(&r->gateway)
		? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE));
	if (vaddr_is_set(&r->src)) {
		if (!(a = addr_of(&r->src, r->src.af == AF_INET ? 32 : 128)))
			goto nomem;
		rtnl_route_set_pref_src(rt, a);
		nl_addr_put(a);
		a = NULL;
	}
	if (r->type == ROUTE_UNICAST) {
		if (!(nh = rtnl_route_nh_alloc()))
			goto nomem;
		if (ifindex)
			rtnl_route_nh_set_ifindex(nh, ifindex);
		if (vaddr_is_set(&r->gateway)) {
			if (!(a = addr_of(&r->gateway, r->gateway.af == AF_INET ? 32 : 128))) {
				rtnl_route_nh_free(nh);
				goto nomem;
			}
			rtnl_route_nh_set_gateway(nh, a);
			nl_addr_put(a);
		}
		rtnl_route_add_nexthop(rt, nh); /* rt owns nh now */
	}
	nl_addr_put(dst);
	return rt;
nomem:
	nlw_set_err(err, errlen, "out of memory");
fail:
	nl_addr_put(dst);
	rtnl_route_put(rt);
	return NULL;
}

int nlw_route(struct nlw *n, const struct route_cfg *r, bool add, char *err,
	      size_t errlen)
{
	struct rtnl_route *rt;
	int e;

	nlw_vip_flush(n); /* queued VIP adds first: requests in our order */

	if (!n) {
		nlw_set_err(err, errlen, "netlink is not running");
		return -1;
	}
	if (!(rt = route_object(n, r, err, errlen)))
		return -1;
	/* NLM_F_EXCL: an identical route that is already there (ours from
	 * another instance, or the operator's) is left alone and reported. */
	e = add ? rtnl_route_add(n->req_sock, rt, NLM_F_CREATE | NLM_F_EXCL)
		: rtnl_route_delete(n->req_sock, rt, 0);
	rtnl_route_put(rt);
	if (add && e == -NLE_EXIST)
		return NLW_ROUTE_EXISTS;
	/* deleting what is gone already is the state we wanted */
	if (!add && (e == -NLE_OBJ_NOTFOUND || e == -NLE_NOADDR))
		return 0;
	if (e < 0) {
		nlw_set_err(err, errlen, "%s", nl_geterror(e));
		return -1;
	}
	return 0;
}

static struct rtnl_rule *rule_object(const struct rule_cfg *u, char *err,
				     size_t errlen)
{
	struct rtnl_rule *ru = rtnl_rule_alloc();
	struct nl_addr *a;

	if (!ru)
		goto nomem;
	rtnl_rule_set_family(ru, u->af);
	rtnl_rule_set_action(ru, FR_ACT_TO_TBL);
	rtnl_rule_set_table(ru, u->table);
	rtnl_rule_set_protocol(ru, NLW_ROUTE_PROTO);
	if (u->priority >= 0)
		rtnl_rule_set_prio(ru, (uint32_t)u->priority);
	if (u->fwmark >= 0) {
		rtnl_rule_set_mark(ru, (uint32_t)u->fwmark);
		rtnl_rule_set_mask(ru, 0xffffffffu);
	}
	if (u->iif[0] && rtnl_rule_set_iif(ru, u->iif) < 0)
		goto nomem;
	if (u->oif[0] && rtnl_rule_set_oif(ru, u->oif) < 0)
		goto nomem;
	if (vaddr_is_set(&u->from)) {
		if (!(a = addr_of(&u->from, u->from_plen)))
			goto nomem;
		rtnl_rule_set_src(ru, a);
		nl_addr_put(a);
	}
	if (vaddr_is_set(&u->to)) {
		if (!(a = addr_of(&u->to, u->to_plen)))
			goto nomem;
		rtnl_rule_set_dst(ru, a);
		nl_addr_put(a);
	}
	return ru;
nomem:
	nlw_set_err(err, errlen, "out of memory");
	rtnl_rule_put(ru);
	return NULL;
}

int nlw_rule(struct nlw *n, const struct rule_cfg *u, bool add, char *err,
	     size_t errlen)
{
	struct rtnl_rule *ru;
	int e;

	nlw_vip_flush(n); /* queued VIP adds first: requests in our order */

	if (!n) {
		nlw_set_err(err, errlen, "netlink is not running");
		return -1;
	}
	if (!(ru = rule_object(u, err, errlen)))
		return -1;
	e = add ? rtnl_rule_add(n->req_sock, ru, NLM_F_CREATE | NLM_F_EXCL)
		: rtnl_rule_delete(n->req_sock, ru, 0);
	rtnl_rule_put(ru);
	if (add && e == -NLE_EXIST)
		return NLW_ROUTE_EXISTS;
	if (!add && (e == -NLE_OBJ_NOTFOUND || e == -NLE_NOADDR))
		return 0;
	if (e < 0) {
		nlw_set_err(err, errlen, "%s", nl_geterror(e));
		return -1;
	}
	return 0;
}

/* ---- leftovers of a vrrpd that was killed ---- */

struct flush_ctx {
	struct nl_sock *sk;
	int count;
};

static void drop_route_sk(struct nl_object *o, void *arg)
{
	struct flush_ctx *c = arg;
	struct rtnl_route *rt = (struct rtnl_route *)o;

	if (rtnl_route_get_protocol(rt) == NLW_ROUTE_PROTO &&
	    rtnl_route_delete(c->sk, rt, 0) == 0)
		c->count++;
}

static void drop_rule_sk(struct nl_object *o, void *arg)
{
	struct flush_ctx *c = arg;
	struct rtnl_rule *ru = (struct rtnl_rule *)o;
	uint8_t proto = 0;

	if (rtnl_rule_get_protocol(ru, &proto) == 0 && proto == NLW_ROUTE_PROTO &&
	    rtnl_rule_delete(c->sk, ru, 0) == 0)
		c->count++;
}

int nlw_routes_flush_ours(struct nlw *n)
{
	struct flush_ctx c = { .sk = n ? n->req_sock : NULL, .count = 0 };
	struct nl_cache *cache = NULL;

	if (!n)
		return 0;
	/* ROUTE_CACHE_CONTENT is not asked for: cloned entries are not ours */
	if (rtnl_route_alloc_cache(n->req_sock, AF_UNSPEC, 0, &cache) == 0) {
		nl_cache_foreach(cache, drop_route_sk, &c);
		nl_cache_free(cache);
	}
	cache = NULL;
	if (rtnl_rule_alloc_cache(n->req_sock, AF_UNSPEC, &cache) == 0) {
		nl_cache_foreach(cache, drop_rule_sk, &c);
		nl_cache_free(cache);
	}
	return c.count;
}
