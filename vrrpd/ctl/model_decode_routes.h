/* Decoding of route and rule lists (virtual-route / virtual-rule of an
 * instance, container static), called by model_decode.c. */
#ifndef VRRPD_MODEL_DECODE_ROUTES_H
#define VRRPD_MODEL_DECODE_ROUTES_H

#include "config.h"
#include "model.h"

struct lyd_node;

/* The lists route_name and rule_name below parent; a rule without from
 * or to is of family af. 0, or -1 with err (out is then released). */
int model_decode_route_list(const struct lyd_node *parent, const char *route_name,
			    const char *rule_name, int af, struct route_list *out,
			    struct model_error *err);
/* Container static below the top container (absent: empty). */
int model_decode_static(const struct lyd_node *top, struct static_cfg *out,
			struct model_error *err);

#endif
