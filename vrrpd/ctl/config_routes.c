/* Route and rule lists of the plain C configuration (config.h): copy,
 * release and the field-by-field comparison a reload uses. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

int route_list_copy(struct route_list *dst, const struct route_list *src)
{
	struct route_cfg *r = NULL;
	struct rule_cfg *u = NULL;

	if (src->n_routes && !(r = calloc(src->n_routes, sizeof(*r))))
		return -1;
	if (src->n_rules && !(u = calloc(src->n_rules, sizeof(*u)))) {
		free(r);
		return -1;
	}
	if (r)
		memcpy(r, src->routes, src->n_routes * sizeof(*r));
	if (u)
		memcpy(u, src->rules, src->n_rules * sizeof(*u));
	*dst = *src;
	dst->routes = r;
	dst->rules = u;
	return 0;
}

void route_list_release(struct route_list *rl)
{
	free(rl->routes);
	free(rl->rules);
	memset(rl, 0, sizeof(*rl));
}

/* Field by field: the structs have padding and bytes after each string's
 * terminator that carry no meaning. */
bool route_cfg_equal(const struct route_cfg *a, const struct route_cfg *b)
{
	return a->id == b->id && vaddr_cmp(&a->dst, &b->dst) == 0 &&
	       a->dst_plen == b->dst_plen && a->type == b->type &&
	       vaddr_cmp(&a->gateway, &b->gateway) == 0 &&
	       strcmp(a->dev, b->dev) == 0 && vaddr_cmp(&a->src, &b->src) == 0 &&
	       a->table == b->table && a->metric == b->metric &&
	       a->scope == b->scope;
}

bool rule_cfg_equal(const struct rule_cfg *a, const struct rule_cfg *b)
{
	return a->id == b->id && a->af == b->af &&
	       vaddr_cmp(&a->from, &b->from) == 0 && a->from_plen == b->from_plen &&
	       vaddr_cmp(&a->to, &b->to) == 0 && a->to_plen == b->to_plen &&
	       a->table == b->table && a->priority == b->priority &&
	       strcmp(a->iif, b->iif) == 0 && strcmp(a->oif, b->oif) == 0 &&
	       a->fwmark == b->fwmark;
}

bool route_list_routes_equal(const struct route_list *a, const struct route_list *b)
{
	if (a->n_routes != b->n_routes)
		return false;
	for (size_t i = 0; i < a->n_routes; i++)
		if (!route_cfg_equal(&a->routes[i], &b->routes[i]))
			return false;
	return true;
}

bool route_list_rules_equal(const struct route_list *a, const struct route_list *b)
{
	if (a->n_rules != b->n_rules)
		return false;
	for (size_t i = 0; i < a->n_rules; i++)
		if (!rule_cfg_equal(&a->rules[i], &b->rules[i]))
			return false;
	return true;
}
