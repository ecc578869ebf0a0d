/* Edits of trackers and sync groups in a configuration object; see
 * cfg_edit.h. The follow lists (instance.track ...) are cfg_edit_follow.c's. */
#include "cfg_edit_int.h"

#include <libyang/libyang.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOP "vrrpd:vrrpd"

static const char *const track_types[] = { "script", "interface", "file",
					   "process", NULL };

/* ---- the configuration object ------------------------------------------ */

json_object *cfge_child(json_object *parent, const char *key, json_type type,
			bool create)
{
	json_object *o;

	if (json_object_object_get_ex(parent, key, &o) && json_object_is_type(o, type))
		return o;
	if (!create)
		return NULL;
	o = type == json_type_array ? json_object_new_array() : json_object_new_object();
	json_object_object_add(parent, key, o);
	return o;
}

json_object *cfge_top(json_object *config)
{
	return cfge_child(config, TOP, json_type_object, true);
}

json_object *cfge_find(json_object *arr, const char *key, const char *value,
		       size_t *idx)
{
	size_t n = arr ? json_object_array_length(arr) : 0;

	for (size_t i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(arr, i), *v;

		if (json_object_object_get_ex(e, key, &v) &&
		    json_object_is_type(v, json_type_string) &&
		    strcmp(json_object_get_string(v), value) == 0) {
			if (idx)
				*idx = i;
			return e;
		}
	}
	return NULL;
}

/* Remove parent[key] when it is an empty array or object. */
void cfge_prune(json_object *parent, const char *key)
{
	json_object *o;

	if (!parent || !json_object_object_get_ex(parent, key, &o))
		return;
	if ((json_object_is_type(o, json_type_array) && json_object_array_length(o) == 0) ||
	    (json_object_is_type(o, json_type_object) && json_object_object_length(o) == 0))
		json_object_object_del(parent, key);
}

/* ---- parameters ---------------------------------------------------------- */

int cfge_string(json_object *params, const char *key, const char **out,
		struct jsonrpc_err *err)
{
	json_object *v;

	if (!json_object_object_get_ex(params, key, &v) ||
	    !json_object_is_type(v, json_type_string) || !*json_object_get_string(v)) {
		jsonrpc_err_set(err, JSONRPC_INVALID_PARAMS, NULL,
				"parameter \"%s\" (a non-empty string) is required", key);
		return -1;
	}
	*out = json_object_get_string(v);
	return 0;
}

int cfge_type(json_object *params, const char *key, const char **out,
	      struct jsonrpc_err *err)
{
	if (cfge_string(params, key, out, err) < 0)
		return -1;
	for (int i = 0; track_types[i]; i++)
		if (strcmp(*out, track_types[i]) == 0)
			return 0;
	jsonrpc_err_set(err, JSONRPC_INVALID_PARAMS, NULL,
			"parameter \"%s\" must be script, interface, file or process",
			key);
	return -1;
}

/* The schema node of a setting below base ("/vrrpd:vrrpd/track/script"),
 * NULL with err set when key is no configuration node there or is one of
 * the keys the method takes itself. */
const struct lysc_node *cfge_setting(struct model *m, const char *base,
				     const char *key, const char *what,
				     struct jsonrpc_err *err)
{
	const struct lysc_node *n = NULL;
	char path[256];

	if (strlen(key) < 64 && !strchr(key, '/') && !strchr(key, '[') &&
	    strcmp(key, "name") != 0) {
		snprintf(path, sizeof(path), "%s/%s", base, key);
		n = lys_find_path(model_ctx(m), NULL, path, 0);
	}
	if (!n || !(n->flags & LYS_CONFIG_W)) {
		jsonrpc_err_set(err, JSONRPC_INVALID_PARAMS, NULL,
				"\"%.64s\" is not a setting of %s", key, what);
		return NULL;
	}
	return n;
}

/* Set entry[key] to v as the schema node n wants it: a leaf-list given as
 * one value becomes a list of one; null removes the setting (back to its
 * default). A command written as one string is split later
 * (cfge_finish_commands), once shell is known. */
int cfge_put(json_object *entry, const struct lysc_node *n, const char *key,
	     json_object *v, struct jsonrpc_err *err)
{
	if (!v) {
		json_object_object_del(entry, key);
		return 0;
	}
	if ((n->nodetype & (LYS_CONTAINER | LYS_LIST)) &&
	    !json_object_is_type(v, n->nodetype == LYS_LIST ? json_type_array
							    : json_type_object)) {
		jsonrpc_err_set(err, JSONRPC_INVALID_PARAMS, NULL,
				"\"%s\" is a %s (RFC 7951 JSON)", key,
				n->nodetype == LYS_LIST ? "list" : "container");
		return -1;
	}
	if (n->nodetype == LYS_LEAFLIST && !json_object_is_type(v, json_type_array) &&
	    !(json_object_is_type(v, json_type_string) &&
	      (!strcmp(key, "command") || !strcmp(key, "arguments")))) {
		json_object *arr = json_object_new_array();

		json_object_array_add(arr, json_object_get(v));
		json_object_object_add(entry, key, arr);
		return 0;
	}
	json_object_object_add(entry, key, json_object_get(v));
	return 0;
}

json_object *cfg_split_command(const char *s)
{
	json_object *arr = json_object_new_array();
	char *buf = malloc(strlen(s) + 1);

	if (!buf) {
		json_object_put(arr);
		return NULL;
	}
	while (*s) {
		size_t o = 0;

		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		while (*s && *s != ' ' && *s != '\t') {
			if (*s == '\'') {
				const char *q = strchr(s + 1, '\'');

				if (!q) {
					free(buf);
					json_object_put(arr);
					return NULL;
				}
				memcpy(buf + o, s + 1, (size_t)(q - s - 1));
				o += (size_t)(q - s - 1);
				s = q + 1;
			} else {
				buf[o++] = *s++;
			}
		}
		json_object_array_add(arr, json_object_new_string_len(buf, (int)o));
	}
	free(buf);
	return arr;
}

/* A leaf-list member written as one string (command, arguments): with
 * shell true the command is one shell command line, otherwise the words
 * of the string are the program and its arguments. */
int cfge_finish_commands(json_object *entry, struct jsonrpc_err *err)
{
	static const char *const keys[] = { "command", "arguments", NULL };
	json_object *shell = NULL;

	json_object_object_get_ex(entry, "shell", &shell);
	for (int i = 0; keys[i]; i++) {
		json_object *v, *arr;

		if (!json_object_object_get_ex(entry, keys[i], &v) ||
		    !json_object_is_type(v, json_type_string))
			continue;
		if (!strcmp(keys[i], "command") && shell && json_object_get_boolean(shell)) {
			arr = json_object_new_array();
			json_object_array_add(arr, json_object_get(v));
		} else if (!(arr = cfg_split_command(json_object_get_string(v)))) {
			jsonrpc_err_set(err, JSONRPC_INVALID_PARAMS, NULL,
					"%s: a quote is not closed", keys[i]);
			return -1;
		}
		json_object_object_add(entry, keys[i], arr);
	}
	return 0;
}

/* Apply every member of params except the skipped ones to entry. */
int cfge_apply(struct model *m, json_object *entry, json_object *params,
	       const char *base, const char *what, const char *const *skip,
	       json_object *changed, struct jsonrpc_err *err)
{
	json_object_object_foreach(params, key, val) {
		const struct lysc_node *n;
		bool skipped = false;

		for (int i = 0; skip[i]; i++)
			skipped = skipped || !strcmp(key, skip[i]);
		if (skipped)
			continue;
		if (!(n = cfge_setting(m, base, key, what, err)) ||
		    cfge_put(entry, n, key, val, err) < 0)
			return -1;
		if (changed)
			json_object_array_add(changed, json_object_new_string(key));
	}
	return cfge_finish_commands(entry, err);
}

json_object *cfge_name_result(const char *type, const char *name)
{
	json_object *o = json_object_new_object();

	if (type)
		json_object_object_add(o, "type", json_object_new_string(type));
	json_object_object_add(o, "name", json_object_new_string(name));
	return o;
}

/* ---- trackers ------------------------------------------------------------ */

static json_object *tracker_list(json_object *config, const char *type, bool create)
{
	json_object *track = cfge_child(cfge_top(config), "track", json_type_object, create);

	return track ? cfge_child(track, type, json_type_array, create) : NULL;
}

enum op { OP_CREATE, OP_SET, OP_DELETE };

static json_object *tracker_edit(struct model *m, json_object *config,
				 json_object *params, enum op op,
				 struct jsonrpc_err *err)
{
	static const char *const skip[] = { "type", "name", NULL };
	const char *type, *name;
	json_object *arr, *e, *changed, *res;
	char base[64], what[160];
	size_t idx;

	if (!json_object_is_type(params, json_type_object)) {
		jsonrpc_err_set(err, JSONRPC_INVALID_PARAMS, NULL, "params must be an object");
		return NULL;
	}
	if (cfge_type(params, "type", &type, err) < 0 ||
	    cfge_string(params, "name", &name, err) < 0)
		return NULL;
	arr = tracker_list(config, type, op == OP_CREATE);
	e = cfge_find(arr, "name", name, &idx);
	if (op == OP_CREATE && e) {
		jsonrpc_err_set(err, JSONRPC_EXISTS, cfge_name_result(type, name),
				"%s tracker \"%.100s\" already exists", type, name);
		return NULL;
	}
	if (op != OP_CREATE && !e) {
		jsonrpc_err_set(err, JSONRPC_NOT_FOUND, cfge_name_result(type, name),
				"no %s tracker \"%.100s\"", type, name);
		return NULL;
	}
	if (op == OP_DELETE) {
		if (json_object_object_length(params) > 2) {
			jsonrpc_err_set(err, JSONRPC_INVALID_PARAMS, NULL,
					"delete takes only the type and the name");
			return NULL;
		}
		json_object_array_del_idx(arr, idx, 1);
		cfge_prune(cfge_child(cfge_top(config), "track", json_type_object, false), type);
		cfge_prune(cfge_top(config), "track");
		res = cfge_name_result(type, name);
		json_object_object_add(res, "deleted", json_object_new_boolean(true));
		return res;
	}
	if (op == OP_SET && json_object_object_length(params) < 3) {
		jsonrpc_err_set(err, JSONRPC_INVALID_PARAMS, NULL,
				"nothing to set: give at least one leaf and its value");
		return NULL;
	}
	if (!e) {
		e = json_object_new_object();
		json_object_object_add(e, "name", json_object_new_string(name));
		json_object_array_add(arr, e);
	}
	snprintf(base, sizeof(base), "/vrrpd:vrrpd/track/%s", type);
	snprintf(what, sizeof(what), "a %s tracker", type);
	changed = op == OP_SET ? json_object_new_array() : NULL;
	if (cfge_apply(m, e, params, base, what, skip, changed, err) < 0) {
		json_object_put(changed);
		return NULL;
	}
	res = cfge_name_result(type, name);
	if (changed)
		json_object_object_add(res, "changed", changed);
	return res;
}

json_object *cfg_tracker_create(struct model *m, json_object *config,
				json_object *params, struct jsonrpc_err *err)
{
	return tracker_edit(m, config, params, OP_CREATE, err);
}

json_object *cfg_tracker_set(struct model *m, json_object *config,
			     json_object *params, struct jsonrpc_err *err)
{
	return tracker_edit(m, config, params, OP_SET, err);
}

json_object *cfg_tracker_delete(struct model *m, json_object *config,
				json_object *params, struct jsonrpc_err *err)
{
	return tracker_edit(m, config, params, OP_DELETE, err);
}

/* ---- sync groups --------------------------------------------------------- */

static json_object *group_edit(struct model *m, json_object *config,
			       json_object *params, enum op op,
			       struct jsonrpc_err *err)
{
	static const char *const skip[] = { "name", NULL };
	json_object *arr, *e, *changed, *res;
	const char *name;
	size_t idx;

	if (!json_object_is_type(params, json_type_object)) {
		jsonrpc_err_set(err, JSONRPC_INVALID_PARAMS, NULL, "params must be an object");
		return NULL;
	}
	if (cfge_string(params, "name", &name, err) < 0)
		return NULL;
	arr = cfge_child(cfge_top(config), "sync-group", json_type_array, op == OP_CREATE);
	e = cfge_find(arr, "name", name, &idx);
	if (op == OP_CREATE && e) {
		jsonrpc_err_set(err, JSONRPC_EXISTS, cfge_name_result(NULL, name),
				"sync group \"%.100s\" already exists", name);
		return NULL;
	}
	if (op != OP_CREATE && !e) {
		jsonrpc_err_set(err, JSONRPC_NOT_FOUND, cfge_name_result(NULL, name),
				"no sync group \"%.100s\"", name);
		return NULL;
	}
	if (op == OP_DELETE) {
		if (json_object_object_length(params) > 1) {
			jsonrpc_err_set(err, JSONRPC_INVALID_PARAMS, NULL,
					"delete takes only the name");
			return NULL;
		}
		json_object_array_del_idx(arr, idx, 1);
		cfge_prune(cfge_top(config), "sync-group");
		res = cfge_name_result(NULL, name);
		json_object_object_add(res, "deleted", json_object_new_boolean(true));
		return res;
	}
	if (op == OP_SET && json_object_object_length(params) < 2) {
		jsonrpc_err_set(err, JSONRPC_INVALID_PARAMS, NULL,
				"nothing to set: give at least one leaf and its value");
		return NULL;
	}
	if (!e) {
		e = json_object_new_object();
		json_object_object_add(e, "name", json_object_new_string(name));
		json_object_array_add(arr, e);
	}
	changed = op == OP_SET ? json_object_new_array() : NULL;
	if (cfge_apply(m, e, params, "/vrrpd:vrrpd/sync-group", "a sync group", skip,
		       changed, err) < 0) {
		json_object_put(changed);
		return NULL;
	}
	res = cfge_name_result(NULL, name);
	if (changed)
		json_object_object_add(res, "changed", changed);
	return res;
}

json_object *cfg_group_create(struct model *m, json_object *config,
			      json_object *params, struct jsonrpc_err *err)
{
	return group_edit(m, config, params, OP_CREATE, err);
}

json_object *cfg_group_set(struct model *m, json_object *config,
			   json_object *params, struct jsonrpc_err *err)
{
	return group_edit(m, config, params, OP_SET, err);
}

json_object *cfg_group_delete(struct model *m, json_object *config,
			      json_object *params, struct jsonrpc_err *err)
{
	return group_edit(m, config, params, OP_DELETE, err);
}

/* ---- by method name ------------------------------------------------------ */

static const struct {
	const char *method;
	cfg_edit_fn fn;
} edits[] = {
	{ "tracker.create", cfg_tracker_create },
	{ "tracker.set", cfg_tracker_set },
	{ "tracker.delete", cfg_tracker_delete },
	{ "sync-group.create", cfg_group_create },
	{ "sync-group.set", cfg_group_set },
	{ "sync-group.delete", cfg_group_delete },
	{ "sync-group.track", cfg_group_track },
	{ "sync-group.untrack", cfg_group_untrack },
	{ "instance.track", cfg_instance_track },
	{ "instance.untrack", cfg_instance_untrack },
};

cfg_edit_fn cfg_edit_by_method(const char *method)
{
	for (size_t i = 0; method && i < sizeof(edits) / sizeof(edits[0]); i++)
		if (strcmp(edits[i].method, method) == 0)
			return edits[i].fn;
	return NULL;
}
