/* The trackers an instance or a sync group follows (RFC 8347 "track"):
 * instance.track/untrack and sync-group.track/untrack; see cfg_edit.h. */
#include "cfg_edit_int.h"

#include <stdio.h>
#include <string.h>

/* Whose follow list: an instance or a sync group of config. */
struct follower {
	const char *list;    /* member of vrrpd:vrrpd */
	const char *what;    /* for messages */
	const char *base;    /* schema path of its track container */
};

static const struct follower of_instance = {
	"instance", "instance", "/vrrpd:vrrpd/instance/track",
};
static const struct follower of_group = {
	"sync-group", "sync group", "/vrrpd:vrrpd/sync-group/track",
};

static json_object *owner_of(const struct follower *f, json_object *config,
			     const char *name, struct jsonrpc_err *err)
{
	json_object *arr = cfge_child(cfge_top(config), f->list, json_type_array, false);
	json_object *o = cfge_find(arr, "name", name, NULL);

	if (!o)
		jsonrpc_err_set(err, JSONRPC_NOT_FOUND, cfge_name_result(NULL, name),
				"no %s \"%.100s\"", f->what, name);
	return o;
}

static json_object *follow_result(const char *name, const char *type,
				  const char *tracker)
{
	json_object *o = cfge_name_result(type, name);

	json_object_object_add(o, "tracker", json_object_new_string(tracker));
	return o;
}

/* Follow tracker (type, name) or change how: an entry is added, or its
 * weight and weight-reverse replaced by the given ones (null: back to the
 * tracker's own). Whether the tracker exists is libyang's leafref check. */
static json_object *track(const struct follower *f, struct model *m,
			  json_object *config, json_object *params,
			  struct jsonrpc_err *err)
{
	static const char *const skip[] = { "name", "type", "tracker", NULL };
	const char *name, *type, *tracker;
	json_object *owner, *arr, *e;
	char base[96], what[160];

	if (!json_object_is_type(params, json_type_object)) {
		jsonrpc_err_set(err, JSONRPC_INVALID_PARAMS, NULL, "params must be an object");
		return NULL;
	}
	if (cfge_string(params, "name", &name, err) < 0 ||
	    cfge_type(params, "type", &type, err) < 0 ||
	    cfge_string(params, "tracker", &tracker, err) < 0 ||
	    !(owner = owner_of(f, config, name, err)))
		return NULL;
	arr = cfge_child(cfge_child(owner, "track", json_type_object, true), type,
			 json_type_array, true);
	e = cfge_find(arr, "name", tracker, NULL);
	if (!e) {
		e = json_object_new_object();
		json_object_object_add(e, "name", json_object_new_string(tracker));
		json_object_array_add(arr, e);
	}
	snprintf(base, sizeof(base), "%s/%s", f->base, type);
	snprintf(what, sizeof(what), "a followed %s tracker", type);
	if (cfge_apply(m, e, params, base, what, skip, NULL, err) < 0)
		return NULL;
	return follow_result(name, type, tracker);
}

static json_object *untrack(const struct follower *f, json_object *config,
			    json_object *params, struct jsonrpc_err *err)
{
	static const char *const allowed[] = { "name", "type", "tracker", NULL };
	const char *name, *type, *tracker;
	json_object *owner, *tr, *arr, *res;
	size_t idx;

	if (!json_object_is_type(params, json_type_object)) {
		jsonrpc_err_set(err, JSONRPC_INVALID_PARAMS, NULL, "params must be an object");
		return NULL;
	}
	json_object_object_foreach(params, key, val) {
		bool ok = false;

		(void)val;
		for (int i = 0; allowed[i]; i++)
			ok = ok || !strcmp(key, allowed[i]);
		if (!ok) {
			jsonrpc_err_set(err, JSONRPC_INVALID_PARAMS, NULL,
					"untrack takes only name, type and tracker, "
					"not \"%.64s\"", key);
			return NULL;
		}
	}
	if (cfge_string(params, "name", &name, err) < 0 ||
	    cfge_type(params, "type", &type, err) < 0 ||
	    cfge_string(params, "tracker", &tracker, err) < 0 ||
	    !(owner = owner_of(f, config, name, err)))
		return NULL;
	tr = cfge_child(owner, "track", json_type_object, false);
	arr = tr ? cfge_child(tr, type, json_type_array, false) : NULL;
	if (!cfge_find(arr, "name", tracker, &idx)) {
		jsonrpc_err_set(err, JSONRPC_NOT_FOUND, follow_result(name, type, tracker),
				"%s \"%.100s\" does not follow %s tracker \"%.100s\"",
				f->what, name, type, tracker);
		return NULL;
	}
	json_object_array_del_idx(arr, idx, 1);
	cfge_prune(tr, type);
	cfge_prune(owner, "track");
	res = follow_result(name, type, tracker);
	json_object_object_add(res, "deleted", json_object_new_boolean(true));
	return res;
}

json_object *cfg_instance_track(struct model *m, json_object *config,
				json_object *params, struct jsonrpc_err *err)
{
	return track(&of_instance, m, config, params, err);
}

json_object *cfg_instance_untrack(struct model *m, json_object *config,
				  json_object *params, struct jsonrpc_err *err)
{
	(void)m;
	return untrack(&of_instance, config, params, err);
}

json_object *cfg_group_track(struct model *m, json_object *config,
			     json_object *params, struct jsonrpc_err *err)
{
	return track(&of_group, m, config, params, err);
}

json_object *cfg_group_untrack(struct model *m, json_object *config,
			       json_object *params, struct jsonrpc_err *err)
{
	(void)m;
	return untrack(&of_group, config, params, err);
}
