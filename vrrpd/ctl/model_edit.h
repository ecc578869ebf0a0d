/* A change of one instance, validated at the cost of that instance
 * (instance.create / instance.set / instance.delete): issue 11 asks for
 * < 1 ms at 1000 instances where validating the whole tree took 20-40 ms.
 *
 * The change is validated by libyang, as a whole tree is, but on a small
 * tree: the new instance, everything outside the instance list (globals,
 * trackers, statics, sync groups: what instances refer to, and what refers
 * to instances), the instances that the outside names (sync-group members)
 * and the instances the new one collides with under a list `unique`
 * (found with an index, not by comparing 1000 instances). That small tree
 * is valid exactly when the whole new configuration is, provided running
 * was valid and the schema keeps to these rules, checked when the model
 * is loaded (model_edit_new):
 *  - a constraint inside an instance (must, when, leafref) reaches only
 *    into the same instance (relative paths that do not climb out of it)
 *    or outside the instance list (absolute paths);
 *  - a constraint outside the instance list reaches an instance only by
 *    naming it (a leafref to the list key);
 *  - the list has no min/max-elements, and its uniques are leaves of the
 *    entry itself.
 * If the schema breaks a rule, model_edit_usable() is false and callers
 * validate the whole tree as before. */
#ifndef VRRPD_MODEL_EDIT_H
#define VRRPD_MODEL_EDIT_H

#include <stdbool.h>
#include <stdint.h>

#include "model.h"

struct lyd_node;
struct model_edit;

/* NULL when out of memory. */
struct model_edit *model_edit_new(struct model *m);
void model_edit_free(struct model_edit *x);
/* The schema keeps to the rules above (false: validate whole trees). */
bool model_edit_usable(const struct model_edit *x);

/* The instance list entry named name in a configuration tree, or NULL. */
const struct lyd_node *model_instance_find(const struct lyd_node *tree,
					   const char *name);
/* One instance as {"vrrpd:vrrpd":{"instance":[{...}]}} (defaults
 * trimmed, as config.get prints it); malloc'd, NULL when out of memory. */
char *model_instance_to_json(const struct lyd_node *inst);

/* Validate running (at configuration generation gen, 0 if unknown) with
 * instance name replaced by, or completed with, the single instance of
 * json ({"vrrpd:vrrpd":{"instance":[...]}}), or without it when json is
 * NULL. Returns 0 with *out the validated new entry (detached, defaults
 * added; NULL for a removal), -1 with err as model_parse_json() would
 * have reported it for the whole new tree, or 1 when the small tree does
 * not apply (running has no vrrpd container yet, more than 64 instances
 * named by sync groups or collisions): validate the whole tree. */
int model_edit_check(struct model_edit *x, const struct lyd_node *running,
		     uint64_t gen, const char *name, const char *json,
		     struct lyd_node **out, struct model_error *err);
/* The change last checked is running now, at generation gen: the unique
 * index follows it (any other change of running rebuilds the index). */
void model_edit_done(struct model_edit *x, uint64_t gen);

/* For the owner of the running tree: put a checked instance in place of
 * the one of the same name (its position in the list kept) or after the
 * last one; the tree takes inst, even on failure (-1: out of memory in
 * libyang's child hash, inst freed, the entry may hold part of it). Remove
 * one. */
int model_tree_put_instance(struct lyd_node *tree, struct lyd_node *inst);
void model_tree_drop_instance(struct lyd_node *tree, const char *name);

#endif
