/* Route and rule entries of a validated tree into struct route_cfg /
 * rule_cfg (config.h). libyang has checked types, ranges and the must
 * statements; what would not fit the C structs is still refused here, as
 * in model_decode.c. */
#include "model_decode_routes.h"

#include <libyang/libyang.h>
#include <linux/rtnetlink.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *leaf(const struct lyd_node *parent, const char *name)
{
	const struct lyd_node *n;

	LY_LIST_FOR(lyd_child(parent), n) {
		if (n->schema && strcmp(LYD_NAME(n), name) == 0)
			return lyd_get_value(n);
	}
	return NULL;
}

static int rfail(struct model_error *err, const struct lyd_node *node,
		 const char *name, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int rfail(struct model_error *err, const struct lyd_node *node,
		 const char *name, const char *fmt, ...)
{
	char path[400] = "";
	va_list ap;

	if (!err)
		return -1;
	lyd_path(node, LYD_PATH_STD, path, sizeof(path));
	snprintf(err->path, sizeof(err->path), "%s/%s", path, name);
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

/* An unsigned leaf; absent: dflt (-1 = none). */
static int r_uint(const struct lyd_node *n, const char *name, unsigned long long max,
		  int64_t dflt, int64_t *out, struct model_error *err)
{
	const char *v = leaf(n, name);
	char *end;
	unsigned long long u;

	*out = dflt;
	if (!v)
		return 0;
	u = strtoull(v, &end, 10);
	if (*end || u > max)
		return rfail(err, n, name, "value %s not in 0..%llu", v, max);
	*out = (int64_t)u;
	return 0;
}

static int r_addr(const struct lyd_node *n, const char *name, struct vaddr *a,
		  uint8_t *plen, struct model_error *err)
{
	const char *v = leaf(n, name);
	int p;

	memset(a, 0, sizeof(*a));
	if (!v)
		return 0;
	if (vaddr_parse(v, a, plen ? &p : NULL) != 0)
		return rfail(err, n, name, "not an IP %s: %s",
			     plen ? "prefix" : "address", v);
	if (plen)
		*plen = (uint8_t)p;
	return 0;
}

static int r_str(const struct lyd_node *n, const char *name, char *dst,
		 size_t len, struct model_error *err)
{
	const char *v = leaf(n, name);

	dst[0] = '\0';
	if (!v)
		return 0;
	if (strlen(v) >= len)
		return rfail(err, n, name, "longer than %zu characters", len - 1);
	memcpy(dst, v, strlen(v) + 1);
	return 0;
}

static int enum_index(const char *v, const char *const *names, int dflt)
{
	if (!v)
		return dflt;
	for (int i = 0; names[i]; i++)
		if (strcmp(v, names[i]) == 0)
			return i;
	return -2;
}

static int decode_route(const struct lyd_node *n, struct route_cfg *r,
			struct model_error *err)
{
	static const char *const types[] = { "unicast", "blackhole",
		"unreachable", "prohibit", NULL };
	static const char *const scopes[] = { "global", "site", "link", "host", NULL };
	static const int scope_val[] = { RT_SCOPE_UNIVERSE, RT_SCOPE_SITE,
		RT_SCOPE_LINK, RT_SCOPE_HOST };
	int64_t v;
	int t, s;

	memset(r, 0, sizeof(*r));
	if (r_uint(n, "id", UINT16_MAX, -1, &v, err))
		return -1;
	if (v < 0)
		return rfail(err, n, "id", "missing value");
	r->id = (uint16_t)v;
	if (r_addr(n, "destination", &r->dst, &r->dst_plen, err) ||
	    r_addr(n, "gateway", &r->gateway, NULL, err) ||
	    r_addr(n, "source", &r->src, NULL, err) ||
	    r_str(n, "device", r->dev, sizeof(r->dev), err))
		return -1;
	if (!vaddr_is_set(&r->dst))
		return rfail(err, n, "destination", "missing value");
	if ((vaddr_is_set(&r->gateway) && r->gateway.af != r->dst.af) ||
	    (vaddr_is_set(&r->src) && r->src.af != r->dst.af))
		return rfail(err, n, "destination",
			     "gateway or source of another family");
	t = enum_index(leaf(n, "type"), types, ROUTE_UNICAST);
	s = enum_index(leaf(n, "scope"), scopes, -1);
	if (t < 0)
		return rfail(err, n, "type", "unknown route type");
	if (s < -1)
		return rfail(err, n, "scope", "unknown scope");
	r->type = (enum route_type_cfg)t;
	r->scope = s < 0 ? -1 : scope_val[s];
	if (r->type == ROUTE_UNICAST && !vaddr_is_set(&r->gateway) && !r->dev[0])
		return rfail(err, n, "destination",
			     "a unicast route needs a gateway or a device");
	if (r_uint(n, "table", UINT32_MAX, RT_TABLE_MAIN, &v, err))
		return -1;
	if (v == 0)
		return rfail(err, n, "table", "table 0 is not a table");
	r->table = (uint32_t)v;
	return r_uint(n, "metric", UINT32_MAX, -1, &r->metric, err);
}

static int decode_rule(const struct lyd_node *n, int af, struct rule_cfg *u,
		       struct model_error *err)
{
	int64_t v;

	memset(u, 0, sizeof(*u));
	if (r_uint(n, "id", UINT16_MAX, -1, &v, err))
		return -1;
	if (v < 0)
		return rfail(err, n, "id", "missing value");
	u->id = (uint16_t)v;
	if (r_addr(n, "from", &u->from, &u->from_plen, err) ||
	    r_addr(n, "to", &u->to, &u->to_plen, err) ||
	    r_str(n, "in-interface", u->iif, sizeof(u->iif), err) ||
	    r_str(n, "out-interface", u->oif, sizeof(u->oif), err) ||
	    r_uint(n, "priority", UINT32_MAX, -1, &u->priority, err) ||
	    r_uint(n, "fwmark", UINT32_MAX, -1, &u->fwmark, err) ||
	    r_uint(n, "table", UINT32_MAX, -1, &v, err))
		return -1;
	if (v <= 0)
		return rfail(err, n, "table", "a rule needs a table (1..%u)",
			     UINT32_MAX);
	u->table = (uint32_t)v;
	if (vaddr_is_set(&u->from) && vaddr_is_set(&u->to) &&
	    u->from.af != u->to.af)
		return rfail(err, n, "to", "from and to are of different families");
	u->af = vaddr_is_set(&u->from) ? u->from.af
	      : vaddr_is_set(&u->to) ? u->to.af : af;
	return 0;
}

static size_t count_named(const struct lyd_node *parent, const char *name)
{
	const struct lyd_node *n;
	size_t c = 0;

	LY_LIST_FOR(lyd_child(parent), n)
		c += n->schema && strcmp(LYD_NAME(n), name) == 0;
	return c;
}

int model_decode_route_list(const struct lyd_node *parent, const char *route_name,
			    const char *rule_name, int af, struct route_list *out,
			    struct model_error *err)
{
	size_t nr = count_named(parent, route_name), nu = count_named(parent, rule_name);
	const struct lyd_node *n;

	memset(out, 0, sizeof(*out));
	if ((nr && !(out->routes = calloc(nr, sizeof(*out->routes)))) ||
	    (nu && !(out->rules = calloc(nu, sizeof(*out->rules))))) {
		route_list_release(out);
		return rfail(err, parent, route_name, "out of memory");
	}
	LY_LIST_FOR(lyd_child(parent), n) {
		if (!n->schema)
			continue;
		if (strcmp(LYD_NAME(n), route_name) == 0) {
			if (decode_route(n, &out->routes[out->n_routes], err))
				goto bad;
			out->n_routes++;
		} else if (strcmp(LYD_NAME(n), rule_name) == 0) {
			if (decode_rule(n, af, &out->rules[out->n_rules], err))
				goto bad;
			out->n_rules++;
		}
	}
	return 0;
bad:
	route_list_release(out);
	return -1;
}

static int decode_static_addr(const struct lyd_node *n, struct static_addr_cfg *a,
			      struct model_error *err)
{
	int64_t plen;
	unsigned max;

	if (r_addr(n, "address", &a->addr, NULL, err) ||
	    r_str(n, "device", a->dev, sizeof(a->dev), err))
		return -1;
	if (!vaddr_is_set(&a->addr))
		return rfail(err, n, "address", "missing value");
	if (!a->dev[0])
		return rfail(err, n, "device", "missing value");
	max = a->addr.af == AF_INET ? 32 : 128;
	if (r_uint(n, "prefix-length", max, max, &plen, err))
		return -1;
	if (plen < 1)
		return rfail(err, n, "prefix-length", "not in 1..%u", max);
	a->plen = (uint8_t)plen;
	return 0;
}

int model_decode_static(const struct lyd_node *top, struct static_cfg *out,
			struct model_error *err)
{
	const struct lyd_node *st = NULL, *n;
	size_t na;

	memset(out, 0, sizeof(*out));
	LY_LIST_FOR(lyd_child(top), n) {
		if (n->schema && strcmp(LYD_NAME(n), "static") == 0)
			st = n;
	}
	if (!st)
		return 0;
	if (model_decode_route_list(st, "route", "rule", AF_INET, &out->rl, err))
		return -1;
	if (!(na = count_named(st, "address")))
		return 0;
	if (!(out->addrs = calloc(na, sizeof(*out->addrs)))) {
		route_list_release(&out->rl);
		return rfail(err, st, "address", "out of memory");
	}
	LY_LIST_FOR(lyd_child(st), n) {
		if (!n->schema || strcmp(LYD_NAME(n), "address"))
			continue;
		if (decode_static_addr(n, &out->addrs[out->n_addrs], err)) {
			free(out->addrs);
			out->addrs = NULL;
			out->n_addrs = 0;
			route_list_release(&out->rl);
			return -1;
		}
		out->n_addrs++;
	}
	return 0;
}
