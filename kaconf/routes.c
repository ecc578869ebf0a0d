/* keepalived's virtual_routes, virtual_rules (per vrrp_instance) and
 * static_ipaddress, static_routes, static_rules (top level), one entry per
 * line with `ip route` / `ip rule` words (keepalived.conf(5)). They map onto
 * an instance's virtual-route / virtual-rule lists and container static;
 * entries get ids 1, 2, ... in their order.
 *
 * What vrrpd cannot do is an error naming the word, never a silently
 * different route: multipath (`or`, `nexthop`), route metrics like mtu,
 * rule actions other than a table look-up. `no_track` and `track_group`
 * (keepalived's reaction to a route deleted by hand) are ignored with a
 * warning: vrrpd re-adds nothing until the next transition, which is what
 * no_track means anyway. */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keepalived_ir.h"

/* A line vrrpd cannot use is left out with a warning (an error with
 * --strict), as keepalived skips an entry it cannot parse ("VRRP parsed
 * invalid IP ... skipping"); -1. Out of memory is an error: -2. */
#define ERR(s, ...) (ka_ignored(cx->r, (s)->file, (s)->line, __VA_ARGS__), -1)
#define NOMEM(s) (ka_error(cx->r, (s)->file, (s)->line, "out of memory"), -2)

static int prefix_arg(struct ka_ctx *cx, const struct ka_stmt *s, const char *what,
		      const char *text, bool inet6, struct vaddr *a, int *plen)
{
	if (!strcmp(text, "default") || !strcmp(text, "all")) {
		memset(a, 0, sizeof(*a));
		a->af = inet6 ? AF_INET6 : AF_INET;
		*plen = 0;
		return 0;
	}
	if (vaddr_parse(text, a, plen) < 0)
		return ERR(s, "expected an IP prefix after '%s', got '%s'", what, text);
	/* `ip route` refuses host bits; the intent is plain: keep the network */
	size_t len = vaddr_len(a);
	bool cleared = false;
	for (size_t b = (size_t)*plen; b < len * 8; b++) {
		uint8_t bit = (uint8_t)(0x80 >> (b % 8));
		cleared |= (a->u.bytes[b / 8] & bit) != 0;
		a->u.bytes[b / 8] &= (uint8_t)~bit;
	}
	if (cleared)
		ka_warn(cx->r, s->file, s->line,
			"%s: prefix '%s' has host bits set; the network is used", what, text);
	return 0;
}

static int addr_arg(struct ka_ctx *cx, const struct ka_stmt *s, const char *what,
		    const char *text, struct vaddr *a)
{
	if (vaddr_parse(text, a, NULL) < 0)
		return ERR(s, "expected an IP address after '%s', got '%s'", what, text);
	return 0;
}

/* A table number or one of iproute2's fixed names. */
static int table_arg(struct ka_ctx *cx, const struct ka_stmt *s, const char *text,
		     long long *out)
{
	unsigned long v;

	if (!strcmp(text, "main"))
		v = 254;
	else if (!strcmp(text, "local"))
		v = 255;
	else if (!strcmp(text, "default"))
		v = 253;
	else if (!ka_parse_decimal(text, 0xffffffffUL, &v) || v == 0)
		return ERR(s, "table '%s': expected a table number 1..4294967295 (names from rt_tables other than main, local, default are not read)",
			   text);
	*out = (long long)v;
	return 0;
}

static int u32_arg(struct ka_ctx *cx, const struct ka_stmt *s, const char *what,
		   const char *text, long long *out)
{
	unsigned long v;

	if (!ka_parse_decimal(text, 0xffffffffUL, &v))
		return ERR(s, "%s: expected a number 0..4294967295, got '%s'", what, text);
	*out = (long long)v;
	return 0;
}

static bool ignorable(struct ka_ctx *cx, const struct ka_stmt *s, size_t *i)
{
	const char *w = s->argv[*i];

	if (!strcmp(w, "no_track")) {
		ka_warn(cx->r, s->file, s->line,
			"'no_track' ignored: vrrpd never re-adds a route or rule deleted by hand before the next transition");
		return true;
	}
	if (!strcmp(w, "track_group") && *i + 1 < s->argc) {
		ka_warn(cx->r, s->file, s->line, "'track_group %s' ignored: vrrpd has no track groups",
			s->argv[*i + 1]);
		(*i)++;
		return true;
	}
	if ((!strcmp(w, "protocol") || !strcmp(w, "proto")) && *i + 1 < s->argc) {
		ka_warn(cx->r, s->file, s->line,
			"'%s %s' ignored: vrrpd tags its routes and rules with protocol 112",
			w, s->argv[*i + 1]);
		(*i)++;
		return true;
	}
	return false;
}

static const char *const scopes[] = { "global", "site", "link", "host", NULL };

static int route_word(struct ka_ctx *cx, const struct ka_stmt *s, size_t *i,
		      struct ka_route *r, bool inet6)
{
	const char *w = s->argv[*i], *v = *i + 1 < s->argc ? s->argv[*i + 1] : NULL;
	bool takes = !strcmp(w, "src") || !strcmp(w, "to") || !strcmp(w, "via") ||
		     !strcmp(w, "gw") || !strcmp(w, "dev") || !strcmp(w, "oif") ||
		     !strcmp(w, "table") || !strcmp(w, "metric") ||
		     !strcmp(w, "priority") || !strcmp(w, "preference") ||
		     !strcmp(w, "scope");

	if (ignorable(cx, s, i) || !strcmp(w, "inet6") || !strcmp(w, "inet"))
		return 0;
	if (takes && !v)
		return ERR(s, "route: '%s' needs a value", w);
	if (takes)
		(*i)++;
	if (!strcmp(w, "src"))
		return addr_arg(cx, s, w, v, &r->src);
	if (!strcmp(w, "to"))
		return prefix_arg(cx, s, w, v, inet6, &r->dst, &r->dst_plen);
	if (!strcmp(w, "via") || !strcmp(w, "gw"))
		return addr_arg(cx, s, w, v, &r->gw);
	if (!strcmp(w, "dev") || !strcmp(w, "oif"))
		return ka_ifname(cx, s, w, v, r->dev);
	if (!strcmp(w, "table"))
		return table_arg(cx, s, v, &r->table);
	if (!strcmp(w, "metric") || !strcmp(w, "priority") || !strcmp(w, "preference"))
		return u32_arg(cx, s, w, v, &r->metric);
	if (!strcmp(w, "scope")) {
		for (size_t k = 0; scopes[k]; k++)
			if (!strcmp(v, scopes[k]) || (k == 0 && !strcmp(v, "universe"))) {
				r->scope = scopes[k];
				return 0;
			}
		return ERR(s, "route: scope '%s' is not one of global, site, link, host", v);
	}
	if (!strcmp(w, "or") || !strcmp(w, "nexthop"))
		return ERR(s, "route: multipath ('%s') is not supported by vrrpd", w);
	struct vaddr probe;
	int probe_len;
	if (r->dst.af || (strcmp(w, "default") && vaddr_parse(w, &probe, &probe_len) < 0))
		return ERR(s, "route: '%s' is not supported by vrrpd (it takes [blackhole|unreachable|prohibit] [src ADDR] [to] PREFIX [via|gw ADDR] [dev NAME] [table N] [metric N] [scope S])",
			   w);
	return prefix_arg(cx, s, "destination", w, inet6, &r->dst, &r->dst_plen);
}

static bool has_word(const struct ka_stmt *s, const char *w)
{
	for (size_t i = 0; i < s->argc; i++)
		if (!strcmp(s->argv[i], w))
			return true;
	return false;
}

static int route_line(struct ka_ctx *cx, const struct ka_stmt *s, struct ka_routes *rl)
{
	struct ka_route r = { .table = -1, .metric = -1 };
	bool inet6 = has_word(s, "inet6");
	size_t i = 0;

	if (s->has_block)
		return ERR(s, "route: unexpected '{' block");
	if (!strcmp(s->argv[0], "blackhole") || !strcmp(s->argv[0], "unreachable") ||
	    !strcmp(s->argv[0], "prohibit")) {
		r.type = s->argv[0][0] == 'b' ? KA_RT_BLACKHOLE
		       : s->argv[0][0] == 'u' ? KA_RT_UNREACHABLE : KA_RT_PROHIBIT;
		i = 1;
	} else if (!strcmp(s->argv[0], "throw") || !strcmp(s->argv[0], "local") ||
		   !strcmp(s->argv[0], "broadcast") || !strcmp(s->argv[0], "multicast") ||
		   !strcmp(s->argv[0], "nat") || !strcmp(s->argv[0], "anycast")) {
		return ERR(s, "route: type '%s' is not supported by vrrpd (unicast, blackhole, unreachable, prohibit)",
			   s->argv[0]);
	}
	for (; i < s->argc; i++)
		if (route_word(cx, s, &i, &r, inet6) < 0)
			return -1;
	if (!r.dst.af)
		return ERR(s, "route: no destination prefix");
	if ((vaddr_is_set(&r.gw) && r.gw.af != r.dst.af) ||
	    (vaddr_is_set(&r.src) && r.src.af != r.dst.af))
		return ERR(s, "route: the gateway or source is not of the destination's family");
	if (r.type == KA_RT_UNICAST && !vaddr_is_set(&r.gw) && !r.dev[0])
		return ERR(s, "route: a route needs 'via ADDR' or 'dev NAME'");
	if (r.type != KA_RT_UNICAST && (vaddr_is_set(&r.gw) || r.dev[0]))
		return ERR(s, "route: a %s route has no gateway or device", s->argv[0]);
	struct ka_route *v = realloc(rl->routes, (rl->n_routes + 1) * sizeof(*v));
	if (!v)
		return NOMEM(s);
	rl->routes = v;
	rl->routes[rl->n_routes++] = r;
	return 0;
}

static int fwmark_arg(struct ka_ctx *cx, const struct ka_stmt *s, const char *text,
		      long long *out)
{
	char *end;
	unsigned long long v = strtoull(text, &end, 0), m = 0xffffffffULL;

	if (end != text && *end == '/')
		m = strtoull(end + 1, &end, 0);
	if (end == text || *end || v > 0xffffffffULL || text[0] == '-')
		return ERR(s, "rule: expected a fwmark N[/MASK], got '%s'", text);
	if (m != 0xffffffffULL)
		return ERR(s, "rule: fwmark mask '%s' is not supported by vrrpd (the whole mark is matched)",
			   text);
	*out = (long long)v;
	return 0;
}

static int rule_word(struct ka_ctx *cx, const struct ka_stmt *s, size_t *i,
		     struct ka_rule *u, bool inet6)
{
	const char *w = s->argv[*i], *v = *i + 1 < s->argc ? s->argv[*i + 1] : NULL;

	if (ignorable(cx, s, i) || !strcmp(w, "inet6") || !strcmp(w, "inet"))
		return 0;
	static const char *const takes[] = { "from", "to", "table", "lookup",
		"priority", "preference", "order", "prio", "iif", "dev", "oif",
		"fwmark", NULL };
	bool known = false;
	for (size_t k = 0; takes[k]; k++)
		known |= !strcmp(w, takes[k]);
	if (!known)
		return ERR(s, "rule: '%s' is not supported by vrrpd (it takes from, to, table, priority, iif, oif, fwmark)",
			   w);
	if (!v)
		return ERR(s, "rule: '%s' needs a value", w);
	(*i)++;
	if (!strcmp(w, "from"))
		return prefix_arg(cx, s, w, v, inet6, &u->from, &u->from_plen);
	if (!strcmp(w, "to"))
		return prefix_arg(cx, s, w, v, inet6, &u->to, &u->to_plen);
	if (!strcmp(w, "table") || !strcmp(w, "lookup"))
		return table_arg(cx, s, v, &u->table);
	if (!strcmp(w, "iif") || !strcmp(w, "dev"))
		return ka_ifname(cx, s, w, v, u->iif);
	if (!strcmp(w, "oif"))
		return ka_ifname(cx, s, w, v, u->oif);
	if (!strcmp(w, "fwmark"))
		return fwmark_arg(cx, s, v, &u->fwmark);
	return u32_arg(cx, s, w, v, &u->prio);
}

static int rule_line(struct ka_ctx *cx, const struct ka_stmt *s, struct ka_routes *rl)
{
	struct ka_rule u = { .table = -1, .prio = -1, .fwmark = -1 };
	bool inet6 = has_word(s, "inet6");

	if (s->has_block)
		return ERR(s, "rule: unexpected '{' block");
	for (size_t i = 0; i < s->argc; i++)
		if (rule_word(cx, s, &i, &u, inet6) < 0)
			return -1;
	if (u.table < 0)
		return ERR(s, "rule: no 'table N': vrrpd rules look up a table");
	if (u.from.af && u.to.af && u.from.af != u.to.af)
		return ERR(s, "rule: from and to are of different families");
	/* the family of a rule without addresses is the owner's; inet6 says
	 * IPv6 whatever the owner: from ::/0 matches everything */
	if (inet6 && !u.from.af && !u.to.af)
		u.from.af = AF_INET6;
	if (u.prio < 0) {
		ka_warn(cx->r, s->file, s->line,
			"rule: no preference given; priority 16383, as keepalived sets");
		u.prio = 16383;
	}
	struct ka_rule *v = realloc(rl->rules, (rl->n_rules + 1) * sizeof(*v));
	if (!v)
		return NOMEM(s);
	rl->rules = v;
	rl->rules[rl->n_rules++] = u;
	return 0;
}

static int block_of(struct ka_ctx *cx, const struct ka_stmt *s, struct ka_routes *rl,
		    bool rules)
{
	int rc = 0;

	if (!s->has_block) {
		ka_error(cx->r, s->file, s->line, "keyword '%s': expected a '{' block",
			 s->argv[0]);
		return -1;
	}
	for (const struct ka_stmt *c = s->child; c; c = c->next)
		if ((rules ? rule_line(cx, c, rl) : route_line(cx, c, rl)) == -2)
			rc = -1;
	return rc;
}

int ka_inst_routes(struct ka_ctx *cx, struct ka_instance *in, const struct ka_stmt *s)
{
	return block_of(cx, s, &in->vr, !strcmp(s->argv[0], "virtual_rules"));
}

static int saddr_line(struct ka_ctx *cx, const struct ka_stmt *s, struct ka_config *c)
{
	struct ka_saddr a = { .plen = -1 };
	bool hv;

	if (s->has_block || vaddr_parse(s->argv[0], &a.addr, &a.plen) < 0)
		return ERR(s, "static_ipaddress: expected ADDR[/PREFIX] dev NAME, got '%s'",
			   s->argv[0]);
	if (!strchr(s->argv[0], '/'))
		a.plen = -1;
	for (size_t i = 1; i < s->argc; i++) {
		const char *w = s->argv[i];
		if (!strcmp(w, "dev") && i + 1 < s->argc) {
			if (ka_ifname(cx, s, w, s->argv[++i], a.dev) < 0)
				return -1;
		} else if (ignorable(cx, s, &i)) {
			continue;
		} else if (!strcmp(w, "label") || !strcmp(w, "brd") || !strcmp(w, "broadcast") ||
			   !strcmp(w, "scope")) {
			/* VIP options (converted for VIPs) with a value */
			ka_warn(cx->r, s->file, s->line, "static_ipaddress: '%s' ignored", w);
			i++;
		} else if (ka_vip_option_known(w, &hv)) {
			ka_warn(cx->r, s->file, s->line, "static_ipaddress: '%s' ignored", w);
			i += hv;
		} else {
			return ERR(s, "static_ipaddress: '%s' is not an address option", w);
		}
	}
	if (!a.dev[0])
		return ERR(s, "static_ipaddress %s: needs 'dev NAME'", s->argv[0]);
	struct ka_saddr *v = realloc(c->saddrs, (c->n_saddrs + 1) * sizeof(*v));
	if (!v)
		return NOMEM(s);
	c->saddrs = v;
	c->saddrs[c->n_saddrs++] = a;
	return 0;
}

int ka_static_parse(struct ka_ctx *cx, const struct ka_stmt *s)
{
	int rc = 0;

	if (strcmp(s->argv[0], "static_ipaddress"))
		return block_of(cx, s, &cx->cfg->st, !strcmp(s->argv[0], "static_rules"));
	if (!s->has_block) {
		ka_error(cx->r, s->file, s->line,
			 "keyword 'static_ipaddress': expected a '{' block");
		return -1;
	}
	for (const struct ka_stmt *c = s->child; c; c = c->next)
		if (saddr_line(cx, c, cx->cfg) == -2)
			rc = -1;
	return rc;
}

void ka_routes_free(struct ka_routes *rl)
{
	free(rl->routes);
	free(rl->rules);
	memset(rl, 0, sizeof(*rl));
}

/* ---- JSON ---- */

static int put(json_object *o, const char *k, json_object *v)
{
	if (!v)
		return -1;
	json_object_object_add(o, k, v);
	return 0;
}

static json_object *str_of(const struct vaddr *a, int plen)
{
	char buf[VADDR_STRLEN + 5], ab[VADDR_STRLEN];

	if (plen < 0)
		return json_object_new_string(vaddr_ntop(a, ab, sizeof(ab)));
	snprintf(buf, sizeof(buf), "%s/%d", vaddr_ntop(a, ab, sizeof(ab)), plen);
	return json_object_new_string(buf);
}

static json_object *route_json(const struct ka_route *r, int id)
{
	static const char *const types[] = { "unicast", "blackhole", "unreachable",
		"prohibit" };
	json_object *o = json_object_new_object();
	int rc = !o || put(o, "id", json_object_new_int(id)) ||
		 put(o, "destination", str_of(&r->dst, r->dst_plen));

	if (!rc && r->type != KA_RT_UNICAST)
		rc = put(o, "type", json_object_new_string(types[r->type]));
	if (!rc && vaddr_is_set(&r->gw))
		rc = put(o, "gateway", str_of(&r->gw, -1));
	if (!rc && r->dev[0])
		rc = put(o, "device", json_object_new_string(r->dev));
	if (!rc && vaddr_is_set(&r->src))
		rc = put(o, "source", str_of(&r->src, -1));
	if (!rc && r->table >= 0)
		rc = put(o, "table", json_object_new_int64(r->table));
	if (!rc && r->metric >= 0)
		rc = put(o, "metric", json_object_new_int64(r->metric));
	if (!rc && r->scope)
		rc = put(o, "scope", json_object_new_string(r->scope));
	if (rc) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static json_object *rule_json(const struct ka_rule *u, int id)
{
	json_object *o = json_object_new_object();
	int rc = !o || put(o, "id", json_object_new_int(id)) ||
		 put(o, "table", json_object_new_int64(u->table));

	if (!rc && u->from.af)
		rc = put(o, "from", str_of(&u->from, u->from_plen));
	if (!rc && u->to.af)
		rc = put(o, "to", str_of(&u->to, u->to_plen));
	if (!rc && u->prio >= 0)
		rc = put(o, "priority", json_object_new_int64(u->prio));
	if (!rc && u->iif[0])
		rc = put(o, "in-interface", json_object_new_string(u->iif));
	if (!rc && u->oif[0])
		rc = put(o, "out-interface", json_object_new_string(u->oif));
	if (!rc && u->fwmark >= 0)
		rc = put(o, "fwmark", json_object_new_int64(u->fwmark));
	if (rc) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

int ka_routes_json(const struct ka_routes *rl, json_object *o, const char *route_key,
		   const char *rule_key)
{
	json_object *a;

	if (rl->n_routes) {
		if (put(o, route_key, a = json_object_new_array()))
			return -1;
		for (size_t i = 0; i < rl->n_routes; i++)
			if (json_object_array_add(a, route_json(&rl->routes[i], (int)i + 1)))
				return -1;
	}
	if (rl->n_rules) {
		if (put(o, rule_key, a = json_object_new_array()))
			return -1;
		for (size_t i = 0; i < rl->n_rules; i++)
			if (json_object_array_add(a, rule_json(&rl->rules[i], (int)i + 1)))
				return -1;
	}
	return 0;
}

json_object *ka_static_json(const struct ka_config *c)
{
	json_object *o = json_object_new_object(), *a = NULL;

	if (!o)
		return NULL;
	if (c->n_saddrs && put(o, "address", a = json_object_new_array()))
		goto fail;
	for (size_t i = 0; i < c->n_saddrs; i++) {
		const struct ka_saddr *s = &c->saddrs[i];
		json_object *e = json_object_new_object();
		if (!e || json_object_array_add(a, e) ||
		    put(e, "address", str_of(&s->addr, -1)) ||
		    (s->plen >= 0 && put(e, "prefix-length", json_object_new_int(s->plen))) ||
		    put(e, "device", json_object_new_string(s->dev)))
			goto fail;
	}
	if (ka_routes_json(&c->st, o, "route", "rule") < 0)
		goto fail;
	return o;
fail:
	json_object_put(o);
	return NULL;
}
