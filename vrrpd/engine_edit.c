/* A change of one instance (instance.create / set / delete, through
 * rpc_backend.apply_instance): the engine's side of model_edit.h. Only
 * that instance is touched; the others keep running as they are, which is
 * what engine_apply_tree's diff would have found for them. All or
 * nothing: what can fail (decoding, memory, the new instance object)
 * happens before the first change. */
#include "engine_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "instance.h"
#include "log.h"
#include "model_edit.h"

static int not_applied(struct model_error *err)
{
	snprintf(err->msg, sizeof(err->msg), "out of memory: configuration not applied");
	err->path[0] = '\0';
	return -1;
}

static size_t index_of_name(const struct engine *e, const char *name)
{
	for (size_t i = 0; i < e->ninst; i++)
		if (strcmp(e->inst[i]->cfg.name, name) == 0)
			return i;
	return (size_t)-1;
}

/* The running tree takes the new entry (or loses one); libyang can fail
 * here only for memory of its child hash, after the engine has changed:
 * said loudly, since config.get then lags behind. */
static void tree_follow(struct engine *e, const char *name, struct lyd_node *inst)
{
	if (inst && model_tree_put_instance(e->tree, inst) < 0)
		log_err("out of memory: the running configuration tree lacks the "
			"change of instance %s", name);
	if (!inst)
		model_tree_drop_instance(e->tree, name);
}

/* Trackers point into the configuration's instance array: rebuilt after
 * every change of it (eng_track_apply keeps the state of the trackers). */
static void track_follow(struct engine *e)
{
	char terr[256];

	if (eng_track_apply(e->track, &e->cfg, terr, sizeof(terr)) < 0)
		log_err("tracking: %s", terr);
}

static int add_one(struct engine *e, struct instance_cfg *ic,
		   struct lyd_node *inst, struct model_error *err)
{
	struct instance *fresh = instance_new(&e->env, ic, e->serials);
	struct instance **v = fresh ? realloc(e->inst, (e->ninst + 1) * sizeof(*v)) : NULL;
	struct instance_cfg *c;

	if (v)
		e->inst = v; /* larger, same content: nothing changed yet */
	c = v ? realloc(e->cfg.instances, (e->cfg.n_instances + 1) * sizeof(*c)) : NULL;
	if (!c) {
		instance_free(fresh);
		return not_applied(err);
	}
	e->cfg.instances = c;
	e->serials++;
	e->inst[e->ninst++] = fresh;
	e->cfg.instances[e->cfg.n_instances++] = *ic;
	tree_follow(e, ic->name, inst);
	track_follow(e);
	instance_start(fresh);
	return 0;
}

static void remove_one(struct engine *e, size_t k, const char *name)
{
	struct instance *in = e->inst[k];
	size_t after = e->ninst - k - 1;

	log_info("VRRP_Instance(%s) removed from configuration", name);
	/* stopped while still in the tables, as a whole-tree apply does */
	instance_stop(in);
	instance_free(in);
	memmove(&e->inst[k], &e->inst[k + 1], after * sizeof(*e->inst));
	e->ninst--;
	instance_cfg_release(&e->cfg.instances[k]);
	memmove(&e->cfg.instances[k], &e->cfg.instances[k + 1],
		after * sizeof(*e->cfg.instances));
	e->cfg.n_instances--;
	tree_follow(e, name, NULL);
	track_follow(e);
}

/* Updated in place where the RFC allows, recreated when its identity
 * changes (instance_cfg_needs_restart), as engine_apply_tree does. */
static int replace_one(struct engine *e, size_t k, struct instance_cfg *ic,
		       struct lyd_node *inst, struct model_error *err)
{
	struct instance *in = e->inst[k], *fresh = NULL;
	struct instance_cfg old = e->cfg.instances[k];

	if (instance_cfg_needs_restart(&in->cfg, ic) &&
	    !(fresh = instance_new(&e->env, ic, e->serials)))
		return not_applied(err);
	if (fresh) {
		e->serials++;
		instance_stop(in);
		instance_free(in);
		e->inst[k] = fresh;
		e->cfg.instances[k] = *ic;
	} else {
		e->cfg.instances[k] = *ic;
		if (!instance_cfg_equal(&in->cfg, &e->cfg.instances[k]))
			instance_update(in, &e->cfg.instances[k]);
	}
	instance_cfg_release(&old);
	tree_follow(e, ic->name, inst);
	track_follow(e);
	if (fresh)
		instance_start(fresh);
	return 0;
}

int engine_apply_instance(struct engine *e, const char *name,
			  struct lyd_node *inst, struct model_error *err)
{
	size_t k = index_of_name(e, name);
	struct instance_cfg ic;
	int rc;

	if (!inst) {
		if (k == (size_t)-1) {
			snprintf(err->path, sizeof(err->path), "/");
			snprintf(err->msg, sizeof(err->msg), "no instance %s", name);
			return -1;
		}
		remove_one(e, k, name);
		e->generation++;
		return 0;
	}
	if (!e->tree || model_instance_to_config(inst, &e->cfg, &ic, err) < 0)
		return e->tree ? -1 : not_applied(err);
	if (strcmp(ic.name, name) != 0) {
		instance_cfg_release(&ic);
		snprintf(err->path, sizeof(err->path), "/");
		snprintf(err->msg, sizeof(err->msg), "not instance %s", name);
		return -1;
	}
	rc = k == (size_t)-1 ? add_one(e, &ic, inst, err)
			     : replace_one(e, k, &ic, inst, err);
	if (rc < 0) {
		instance_cfg_release(&ic);
		return -1;
	}
	e->generation++;
	return 0;
}
