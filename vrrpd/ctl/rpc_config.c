/* Configuration methods: config.get/replace/save, and what every change
 * shares: a change of the whole configuration is made on a copy of the
 * running configuration as RFC 7951 JSON, then parsed and validated as a
 * whole by libyang (model_parse_json: types, ranges, must, unique,
 * mandatory) and only then handed to the engine, which diffs it against
 * the running instances. A rejected change returns
 * JSONRPC_VALIDATION_FAILED with the YANG data path and libyang's reason,
 * and nothing changes. The methods that change one instance are
 * rpc_instance.c's. */
#include <json-c/printbuf.h>
#include <libyang/libyang.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rpc_int.h"

#define TOP "vrrpd:vrrpd"

/* The top container and its instance list, created when missing. */
json_object *rpc_instance_array(json_object *config, bool create)
{
	json_object *top, *arr;

	if (!json_object_object_get_ex(config, TOP, &top) ||
	    !json_object_is_type(top, json_type_object)) {
		if (!create)
			return NULL;
		top = json_object_new_object();
		json_object_object_add(config, TOP, top);
	}
	if (!json_object_object_get_ex(top, "instance", &arr) ||
	    !json_object_is_type(arr, json_type_array)) {
		if (!create)
			return NULL;
		arr = json_object_new_array();
		json_object_object_add(top, "instance", arr);
	}
	return arr;
}

json_object *rpc_config_instance(json_object *config, const char *name,
				 size_t *idx)
{
	json_object *arr = rpc_instance_array(config, false);
	size_t n = arr ? json_object_array_length(arr) : 0;

	for (size_t i = 0; i < n; i++) {
		json_object *in = json_object_array_get_idx(arr, i), *v;

		if (json_object_object_get_ex(in, "name", &v) &&
		    strcmp(json_object_get_string(v), name) == 0) {
			if (idx)
				*idx = i;
			return in;
		}
	}
	return NULL;
}

json_object *rpc_running_json(struct rpc *r, bool with_defaults,
			      struct jsonrpc_err *err)
{
	const struct lyd_node *tree = r->b.running_tree(r->b.arg);
	json_object *config = NULL;
	char *text = NULL;

	/* Without defaults callers edit what they get: a private copy of the
	 * cached print (a deep copy is a fraction of print + parse, and a
	 * commit reads running three times). */
	if (!with_defaults && r->b.config_generation && r->cfg_cache &&
	    r->cfg_gen == r->b.config_generation(r->b.arg)) {
		if (json_object_deep_copy(r->cfg_cache, &config, NULL) == 0)
			return config;
		json_object_put(config);
		config = NULL;
	}
	if (!tree) {
		text = strdup("{}");
	} else if (with_defaults) {
		if (lyd_print_mem(&text, lyd_first_sibling(tree), LYD_JSON,
				  LYD_PRINT_WITHSIBLINGS | LYD_PRINT_WD_ALL) !=
		    LY_SUCCESS) {
			free(text);
			text = NULL;
		}
	} else {
		text = model_tree_to_json(tree);
	}
	if (text)
		config = json_tokener_parse(text);
	free(text);
	if (!config || !json_object_is_type(config, json_type_object)) {
		json_object_put(config);
		jsonrpc_err_set(err, JSONRPC_INTERNAL_ERROR, NULL,
				"cannot print the running configuration");
		return NULL;
	}
	if (!json_object_object_get_ex(config, TOP, NULL))
		json_object_object_add(config, TOP, json_object_new_object());
	if (!with_defaults && r->b.config_generation) {
		json_object *copy = NULL;

		if (json_object_deep_copy(config, &copy, NULL) == 0) {
			json_object_put(r->cfg_cache);
			r->cfg_cache = copy;
			r->cfg_gen = r->b.config_generation(r->b.arg);
		} else {
			json_object_put(copy);
		}
	}
	return config;
}

bool rpc_caller_masked(const struct rpc_caller *c)
{
	return !c->may_write;
}

void rpc_mask_passwords(json_object *config)
{
	json_object *arr = rpc_instance_array(config, false);
	size_t n = arr ? json_object_array_length(arr) : 0;

	for (size_t i = 0; i < n; i++) {
		json_object *auth;

		if (json_object_object_get_ex(json_object_array_get_idx(arr, i),
					      "authentication", &auth) &&
		    json_object_is_type(auth, json_type_object) &&
		    json_object_object_get_ex(auth, "password", NULL))
			json_object_object_add(auth, "password",
					       json_object_new_string(RPC_PASSWORD_MASK));
	}
}

/* A cached view serializes as the text printed when it was cached. */
struct view_text {
	size_t len;
	char text[];
};

static int view_serialize(json_object *o, struct printbuf *pb, int level,
			  int flags)
{
	const struct view_text *t = json_object_get_userdata(o);

	(void)level;
	(void)flags;
	return printbuf_memappend(pb, t->text, (int)t->len);
}

static void view_text_free(json_object *o, void *userdata)
{
	(void)o;
	free(userdata);
}

json_object *rpc_json_text(char *text, size_t len)
{
	struct view_text *t = malloc(sizeof(*t) + len);
	json_object *o = t ? json_object_new_array() : NULL;

	if (o) {
		t->len = len;
		memcpy(t->text, text, len);
		json_object_set_serializer(o, view_serialize, t, view_text_free);
	} else {
		free(t);
	}
	free(text);
	return o;
}

static void freeze_text(json_object *config)
{
	size_t len = 0;
	const char *text = json_object_to_json_string_length(
		config, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
	struct view_text *t = malloc(sizeof(*t) + len);

	if (!t)
		return; /* serialized the ordinary way then */
	t->len = len;
	memcpy(t->text, text, len);
	json_object_set_serializer(config, view_serialize, t, view_text_free);
}

json_object *rpc_running_view(struct rpc *r, bool with_defaults, bool masked,
			      struct jsonrpc_err *err)
{
	struct rpc_view *v = &r->views[with_defaults][masked];
	bool cacheable = r->b.config_generation != NULL;
	uint64_t gen = cacheable ? r->b.config_generation(r->b.arg) : 0;
	json_object *config;

	if (cacheable && v->obj && v->gen == gen)
		return json_object_get(v->obj);
	config = rpc_running_json(r, with_defaults, err);
	if (!config)
		return NULL;
	if (masked)
		rpc_mask_passwords(config);
	freeze_text(config);
	if (cacheable) {
		json_object_put(v->obj);
		v->obj = json_object_get(config);
		v->gen = gen;
	}
	return config;
}

void rpc_validation_error(struct jsonrpc_err *err, const struct model_error *me)
{
	json_object *data = json_object_new_object();

	json_object_object_add(data, "path", json_object_new_string(me->path));
	json_object_object_add(data, "reason", json_object_new_string(me->msg));
	jsonrpc_err_set(err, JSONRPC_VALIDATION_FAILED, data, "%s: %s",
			me->path[0] ? me->path : "/", me->msg);
}

/* Validate config as a whole and hand it to the engine. */
int rpc_commit_config(struct rpc *r, json_object *config, struct jsonrpc_err *err)
{
	struct model_error me = { "", "" };
	struct lyd_node *tree = NULL;
	json_object *arr = rpc_instance_array(config, false);
	const char *text;

	/* An empty list is not valid RFC 7951; drop it instead. */
	if (arr && json_object_array_length(arr) == 0) {
		json_object *top;

		json_object_object_get_ex(config, TOP, &top);
		json_object_object_del(top, "instance");
	}
	text = json_object_to_json_string_ext(config, JSON_C_TO_STRING_PLAIN |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
	if (model_parse_json(r->b.model, text, &tree, &me) < 0) {
		rpc_validation_error(err, &me);
		return -1;
	}
	if (r->b.apply_tree(r->b.arg, tree, &me) < 0) {
		model_tree_free(tree);
		rpc_validation_error(err, &me);
		return -1;
	}
	return 0;
}

/* "A/P" or "A" shorthand for a virtual-address entry, as vrrpctl and
 * operators write it; objects pass through for libyang to check. */
static json_object *vip_entry(json_object *v, struct jsonrpc_err *err)
{
	const char *s, *slash;
	json_object *o;
	char *end;
	long plen;

	if (!json_object_is_type(v, json_type_string))
		return json_object_get(v);
	s = json_object_get_string(v);
	o = json_object_new_object();
	slash = strchr(s, '/');
	if (!slash) {
		json_object_object_add(o, "address", json_object_new_string(s));
		return o;
	}
	plen = strtol(slash + 1, &end, 10);
	if (slash[1] == '\0' || *end != '\0' || plen < 0 || plen > 128) {
		json_object_put(o);
		jsonrpc_err_set(err, JSONRPC_INVALID_PARAMS, NULL,
				"virtual address \"%.100s\": bad prefix length", s);
		return NULL;
	}
	json_object_object_add(o, "address",
			       json_object_new_string_len(s, (int)(slash - s)));
	json_object_object_add(o, "prefix-length", json_object_new_int((int)plen));
	return o;
}

static json_object *vip_list(json_object *v, struct jsonrpc_err *err)
{
	json_object *arr = json_object_new_array();

	if (!json_object_is_type(v, json_type_array)) {
		json_object *e = vip_entry(v, err);

		if (!e) {
			json_object_put(arr);
			return NULL;
		}
		json_object_array_add(arr, e);
		return arr;
	}
	for (size_t i = 0; i < json_object_array_length(v); i++) {
		json_object *e = vip_entry(json_object_array_get_idx(v, i), err);

		if (!e) {
			json_object_put(arr);
			return NULL;
		}
		json_object_array_add(arr, e);
	}
	return arr;
}

/* A unicast peer written as its address, as vrrpctl sends it; objects
 * pass through for libyang to check. */
static json_object *peer_list(json_object *v)
{
	json_object *arr = json_object_new_array();
	size_t n = json_object_is_type(v, json_type_array) ? json_object_array_length(v) : 1;

	for (size_t i = 0; i < n; i++) {
		json_object *e = json_object_is_type(v, json_type_array)
				 ? json_object_array_get_idx(v, i) : v;
		json_object *o;

		if (!json_object_is_type(e, json_type_string)) {
			json_object_array_add(arr, json_object_get(e));
			continue;
		}
		o = json_object_new_object();
		json_object_object_add(o, "address", json_object_get(e));
		json_object_array_add(arr, o);
	}
	return arr;
}

/* Set member key of instance in to v (NULL: remove, back to default).
 * "authentication/password" addresses a member of a container. */
int rpc_set_member(json_object *in, const char *key, json_object *v,
		      struct jsonrpc_err *err)
{
	const char *slash = strchr(key, '/');

	if (strcmp(key, "name") == 0) {
		jsonrpc_err_set(err, JSONRPC_INVALID_PARAMS, NULL,
				"an instance cannot be renamed; delete and create it");
		return -1;
	}
	if (slash) {
		char parent[64];
		json_object *c;

		if ((size_t)(slash - key) >= sizeof(parent) || strchr(slash + 1, '/')) {
			jsonrpc_err_set(err, JSONRPC_INVALID_PARAMS, NULL,
					"bad member path \"%.100s\"", key);
			return -1;
		}
		snprintf(parent, sizeof(parent), "%.*s", (int)(slash - key), key);
		if (!json_object_object_get_ex(in, parent, &c) ||
		    !json_object_is_type(c, json_type_object)) {
			c = json_object_new_object();
			json_object_object_add(in, parent, c);
		}
		return rpc_set_member(c, slash + 1, v, err);
	}
	if (!v) {
		json_object_object_del(in, key);
		return 0;
	}
	if (strcmp(key, "virtual-address") == 0) {
		json_object *l = vip_list(v, err);

		if (!l)
			return -1;
		json_object_object_add(in, key, l);
		return 0;
	}
	if (strcmp(key, "peer") == 0) {
		json_object_object_add(in, key, peer_list(v));
		return 0;
	}
	json_object_object_add(in, key, json_object_get(v));
	return 0;
}

json_object *rpc_config_get(struct rpc *r, struct rpc_caller *c,
			    json_object *params, struct jsonrpc_err *err)
{
	static const char *const allowed[] = { "with-defaults", "format", NULL };
	bool with_defaults = false;
	const char *format = "json";
	json_object *config;

	if (rpc_params_only(params, allowed, err) < 0 ||
	    rpc_param_bool(params, "with-defaults", &with_defaults, err) < 0 ||
	    rpc_param_string(params, "format", false, &format, err) < 0)
		return NULL;
	if (strcmp(format, "json") != 0 && strcmp(format, "lines") != 0) {
		jsonrpc_err_set(err, JSONRPC_INVALID_PARAMS, NULL,
				"parameter \"format\" must be \"json\" or \"lines\"");
		return NULL;
	}
	/* JSON: the cached view (passwords masked for readers); lines: a
	 * private copy to render */
	if (strcmp(format, "lines") != 0)
		return rpc_running_view(r, with_defaults, rpc_caller_masked(c), err);
	config = rpc_running_json(r, with_defaults, err);
	if (!config)
		return NULL;
	if (rpc_caller_masked(c))
		rpc_mask_passwords(config);
	return rpc_config_lines(config, err);
}

json_object *rpc_config_replace(struct rpc *r, struct rpc_caller *c,
				json_object *params, struct jsonrpc_err *err)
{
	static const char *const allowed[] = { "config", NULL };
	json_object *config, *res;

	(void)c;
	if (rpc_params_only(params, allowed, err) < 0)
		return NULL;
	if (!json_object_object_get_ex(params, "config", &config) ||
	    !json_object_is_type(config, json_type_object)) {
		jsonrpc_err_set(err, JSONRPC_INVALID_PARAMS, NULL,
				"parameter \"config\" must be an object "
				"(RFC 7951 JSON of module vrrpd)");
		return NULL;
	}
	config = json_object_get(config);
	if (rpc_commit_config(r, config, err) < 0) {
		json_object_put(config);
		return NULL;
	}
	json_object_put(config);
	res = json_object_new_object();
	json_object_object_add(res, "instances",
			       json_object_new_int64((int64_t)r->b.instance_count(r->b.arg)));
	return res;
}

json_object *rpc_config_save(struct rpc *r, struct rpc_caller *c,
			     json_object *params, struct jsonrpc_err *err)
{
	static const char *const allowed[] = { "path", NULL };
	const char *path = r->config_path;
	char why[300];
	json_object *res, *data;
	char *text;

	(void)c;
	if (rpc_params_only(params, allowed, err) < 0 ||
	    rpc_param_string(params, "path", false, &path, err) < 0)
		return NULL;
	if (!path) {
		jsonrpc_err_set(err, JSONRPC_SAVE_FAILED, NULL,
				"no startup file: vrrpd runs without --config; "
				"give a path in the --save-dir directory");
		return NULL;
	}
	if (rpc_save_path_allowed(r->config_path, r->save_dir, path, why,
				  sizeof(why)) < 0) {
		data = json_object_new_object();
		json_object_object_add(data, "path", json_object_new_string(path));
		json_object_object_add(data, "reason", json_object_new_string(why));
		jsonrpc_err_set(err, JSONRPC_PERMISSION_DENIED, data, "%.200s: %s",
				path, why);
		return NULL;
	}
	text = model_tree_to_json(r->b.running_tree(r->b.arg));
	if (!text) {
		jsonrpc_err_set(err, JSONRPC_INTERNAL_ERROR, NULL,
				"cannot print the running configuration");
		return NULL;
	}
	if ((r->save ? r->save(r->save_arg, path, text, strlen(text), why,
			       sizeof(why))
		     : rpc_write_file_atomic(path, text, strlen(text), why,
					     sizeof(why))) < 0) {
		data = json_object_new_object();
		json_object_object_add(data, "path", json_object_new_string(path));
		json_object_object_add(data, "reason", json_object_new_string(why));
		jsonrpc_err_set(err, JSONRPC_SAVE_FAILED, data, "%s: %s", path, why);
		free(text);
		return NULL;
	}
	res = json_object_new_object();
	json_object_object_add(res, "path", json_object_new_string(path));
	json_object_object_add(res, "bytes", json_object_new_int64((int64_t)strlen(text)));
	free(text);
	return res;
}
