/* instance.create, instance.set, instance.delete: a change of one
 * instance, at the cost of that instance (issue 11: < 1 ms at 1000
 * instances, where printing, parsing and validating the whole
 * configuration took 35 ms per call).
 *
 * The new instance is built as RFC 7951 JSON from the running one and the
 * parameters (rpc_set_member, as candidate.edit does), validated by
 * libyang together with what it refers to and what refers to it
 * (model_edit.h says why that decides as the whole tree would) and
 * handed to the engine as that one instance (rpc_backend.apply_instance:
 * the others are not touched). When the small tree cannot be used (a
 * backend without apply_instance, a schema that breaks model_edit.h's
 * rules, no configuration yet) the whole configuration is validated and
 * applied as before. Either way a rejected change changes nothing. */
#include <libyang/libyang.h>
#include <stdlib.h>
#include <string.h>

#include "model_edit.h"
#include "rpc_int.h"

#define TOP "vrrpd:vrrpd"

static json_object *name_result(const char *name)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "name", json_object_new_string(name));
	return o;
}

static void not_found(struct jsonrpc_err *err, const char *name)
{
	jsonrpc_err_set(err, JSONRPC_NOT_FOUND, name_result(name),
			"no instance \"%.100s\"", name);
}

static uint64_t generation(struct rpc *r)
{
	return r->b.config_generation ? r->b.config_generation(r->b.arg) : 0;
}

/* {"vrrpd:vrrpd":{"instance":[in]}}; takes a reference to in. */
static json_object *wrap(json_object *in)
{
	json_object *config = json_object_new_object();

	json_object_array_add(rpc_instance_array(config, true), json_object_get(in));
	return config;
}

/* The old way: the whole running configuration with the one change. */
static int change_whole(struct rpc *r, const char *name, json_object *in,
			struct jsonrpc_err *err)
{
	json_object *config = rpc_running_json(r, false, err), *arr;
	size_t idx;
	int rc;

	if (!config)
		return -1;
	arr = rpc_instance_array(config, true);
	if (rpc_config_instance(config, name, &idx)) {
		if (in)
			json_object_array_put_idx(arr, idx, json_object_get(in));
		else
			json_object_array_del_idx(arr, idx, 1);
	} else if (in) {
		json_object_array_add(arr, json_object_get(in));
	}
	rc = rpc_commit_config(r, config, err);
	json_object_put(config);
	return rc;
}

/* Replace (or add) instance name by in, or remove it (in NULL). */
static int change_instance(struct rpc *r, const char *name, json_object *in,
			   struct jsonrpc_err *err)
{
	struct model_error me = { "", "" };
	struct lyd_node *inst = NULL;
	json_object *config = NULL;
	int rc = 1;

	if (r->edit && r->b.apply_instance) {
		config = in ? wrap(in) : NULL;
		rc = model_edit_check(r->edit, r->b.running_tree(r->b.arg),
				      generation(r), name,
				      config ? json_object_to_json_string_ext(
					      config, JSON_C_TO_STRING_PLAIN |
					      JSON_C_TO_STRING_NOSLASHESCAPE) : NULL,
				      &inst, &me);
		json_object_put(config);
	}
	if (rc > 0)
		return change_whole(r, name, in, err);
	if (rc < 0 || r->b.apply_instance(r->b.arg, name, inst, &me) < 0) {
		model_tree_free(inst);
		rpc_validation_error(err, &me);
		return -1;
	}
	model_edit_done(r->edit, generation(r));
	return 0;
}

static const struct lyd_node *running_instance(struct rpc *r, const char *name)
{
	return model_instance_find(r->b.running_tree(r->b.arg), name);
}

json_object *rpc_instance_create(struct rpc *r, struct rpc_caller *c,
				 json_object *params, struct jsonrpc_err *err)
{
	json_object *in;
	const char *name;

	(void)c;
	if (rpc_param_string(params, "name", true, &name, err) < 0)
		return NULL;
	if (running_instance(r, name)) {
		jsonrpc_err_set(err, JSONRPC_EXISTS, name_result(name),
				"instance \"%.100s\" already exists", name);
		return NULL;
	}
	in = json_object_new_object();
	json_object_object_add(in, "name", json_object_new_string(name));
	json_object_object_foreach(params, key, val) {
		if (strcmp(key, "name") == 0)
			continue;
		if (rpc_set_member(in, key, val, err) < 0) {
			json_object_put(in);
			return NULL;
		}
	}
	if (change_instance(r, name, in, err) < 0) {
		json_object_put(in);
		return NULL;
	}
	json_object_put(in);
	return name_result(name);
}

json_object *rpc_instance_delete(struct rpc *r, struct rpc_caller *c,
				 json_object *params, struct jsonrpc_err *err)
{
	static const char *const allowed[] = { "name", NULL };
	json_object *res;
	const char *name;

	(void)c;
	if (rpc_params_only(params, allowed, err) < 0 ||
	    rpc_param_string(params, "name", true, &name, err) < 0)
		return NULL;
	if (!running_instance(r, name)) {
		not_found(err, name);
		return NULL;
	}
	if (change_instance(r, name, NULL, err) < 0)
		return NULL;
	res = name_result(name);
	json_object_object_add(res, "deleted", json_object_new_boolean(true));
	return res;
}

/* The running instance as a json-c object to edit (a new reference). */
static json_object *instance_object(const struct lyd_node *inst,
				    const char *name, struct jsonrpc_err *err)
{
	char *text = model_instance_to_json(inst);
	json_object *config = text ? json_tokener_parse(text) : NULL;
	json_object *in = config ? rpc_config_instance(config, name, NULL) : NULL;

	free(text);
	if (in)
		json_object_get(in);
	else
		jsonrpc_err_set(err, JSONRPC_INTERNAL_ERROR, NULL,
				"cannot print the running configuration");
	json_object_put(config);
	return in;
}

json_object *rpc_instance_set(struct rpc *r, struct rpc_caller *c,
			      json_object *params, struct jsonrpc_err *err)
{
	const struct lyd_node *old;
	json_object *in, *changed, *res;
	const char *name;

	(void)c;
	if (rpc_param_string(params, "name", true, &name, err) < 0)
		return NULL;
	if (json_object_object_length(params) < 2) {
		jsonrpc_err_set(err, JSONRPC_INVALID_PARAMS, NULL,
				"nothing to set: give at least one leaf and its value");
		return NULL;
	}
	if (!(old = running_instance(r, name))) {
		not_found(err, name);
		return NULL;
	}
	if (!(in = instance_object(old, name, err)))
		return NULL;
	changed = json_object_new_array();
	json_object_object_foreach(params, key, val) {
		if (strcmp(key, "name") == 0)
			continue;
		if (rpc_set_member(in, key, val, err) < 0)
			goto fail;
		json_object_array_add(changed, json_object_new_string(key));
	}
	if (change_instance(r, name, in, err) < 0)
		goto fail;
	json_object_put(in);
	res = name_result(name);
	json_object_object_add(res, "changed", changed);
	return res;
fail:
	json_object_put(changed);
	json_object_put(in);
	return NULL;
}
