/* Live methods for trackers, sync groups and what instances and groups
 * follow: tracker.create/set/delete, sync-group.create/set/delete,
 * instance.track/untrack, sync-group.track/untrack. Each is one edit of
 * cfg_edit.c on a copy of running, then the commit every configuration
 * change goes through (rpc_commit_config: libyang validates the whole
 * tree, the engine applies only what differs). */
#include "cfg_edit.h"
#include "rpc_int.h"

/* Take running, edit it, commit it: the result of the edit, or NULL with
 * err (nothing changed). */
json_object *rpc_edit_running(struct rpc *r, cfg_edit_fn edit,
			      json_object *params, struct jsonrpc_err *err)
{
	json_object *config = rpc_running_json(r, false, err), *res;

	if (!config)
		return NULL;
	res = edit(r->b.model, config, params, err);
	if (res && rpc_commit_config(r, config, err) < 0) {
		json_object_put(res);
		res = NULL;
	}
	json_object_put(config);
	return res;
}

#define EDIT_METHOD(fn, edit)						\
	json_object *fn(struct rpc *r, struct rpc_caller *c,		\
			json_object *params, struct jsonrpc_err *err)	\
	{								\
		(void)c;						\
		return rpc_edit_running(r, edit, params, err);		\
	}

EDIT_METHOD(rpc_tracker_create, cfg_tracker_create)
EDIT_METHOD(rpc_tracker_set, cfg_tracker_set)
EDIT_METHOD(rpc_tracker_delete, cfg_tracker_delete)
EDIT_METHOD(rpc_group_create, cfg_group_create)
EDIT_METHOD(rpc_group_set, cfg_group_set)
EDIT_METHOD(rpc_group_delete, cfg_group_delete)
EDIT_METHOD(rpc_group_track, cfg_group_track)
EDIT_METHOD(rpc_group_untrack, cfg_group_untrack)
EDIT_METHOD(rpc_instance_track, cfg_instance_track)
EDIT_METHOD(rpc_instance_untrack, cfg_instance_untrack)
