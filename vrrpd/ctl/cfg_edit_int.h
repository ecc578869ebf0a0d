/* Helpers shared by cfg_edit.c and cfg_edit_follow.c; nothing else
 * includes this. */
#ifndef VRRPD_CFG_EDIT_INT_H
#define VRRPD_CFG_EDIT_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "cfg_edit.h"

struct lysc_node;

/* parent[key] of the given type, created when asked (else NULL). */
json_object *cfge_child(json_object *parent, const char *key, json_type type,
			bool create);
/* The "vrrpd:vrrpd" object of config, created when missing. */
json_object *cfge_top(json_object *config);
/* The entry of arr whose member key is value, or NULL. */
json_object *cfge_find(json_object *arr, const char *key, const char *value,
		       size_t *idx);
void cfge_prune(json_object *parent, const char *key);
/* A required non-empty string parameter / a tracker type. */
int cfge_string(json_object *params, const char *key, const char **out,
		struct jsonrpc_err *err);
int cfge_type(json_object *params, const char *key, const char **out,
	      struct jsonrpc_err *err);
const struct lysc_node *cfge_setting(struct model *m, const char *base,
				     const char *key, const char *what,
				     struct jsonrpc_err *err);
int cfge_put(json_object *entry, const struct lysc_node *n, const char *key,
	     json_object *v, struct jsonrpc_err *err);
int cfge_finish_commands(json_object *entry, struct jsonrpc_err *err);
/* Every member of params but skip[] set in entry as a setting below base
 * (its name appended to changed when given). */
int cfge_apply(struct model *m, json_object *entry, json_object *params,
	       const char *base, const char *what, const char *const *skip,
	       json_object *changed, struct jsonrpc_err *err);
json_object *cfge_name_result(const char *type, const char *name);

#endif
