/* Edits of a configuration object (RFC 7951 JSON, {"vrrpd:vrrpd": {...}})
 * for the trackers (/vrrpd/track/TYPE), the sync groups (/vrrpd/sync-group)
 * and the trackers an instance or a sync group follows (.../track/TYPE).
 * One set of functions behind both the live methods (tracker.*,
 * sync-group.*, instance.track/untrack: rpc_track_config.c, which commit
 * the edited running configuration) and candidate.edit (candidate.c,
 * which keeps the edit in the candidate).
 *
 * An edit checks only what a configuration could never recover from: the
 * parameters' shape, member names that are no configuration node of the
 * model, an object that exists (create) or does not (set, delete). Types,
 * ranges, must, mandatory and leafref (a deleted tracker still followed)
 * are libyang's, when the whole tree is validated. On failure config may
 * be half edited: callers edit a copy. Empty lists are removed, since RFC
 * 7951 has no empty list. */
#ifndef VRRPD_CFG_EDIT_H
#define VRRPD_CFG_EDIT_H

#include <json-c/json.h>

#include "jsonrpc.h"
#include "model.h"

/* Returns the method's result (new object), or NULL with err set. params
 * holds only the method's own members. */
typedef json_object *(*cfg_edit_fn)(struct model *m, json_object *config,
				    json_object *params, struct jsonrpc_err *err);

/* tracker.create/set/delete: type, name, and leaves of the tracker. */
json_object *cfg_tracker_create(struct model *m, json_object *config,
				json_object *params, struct jsonrpc_err *err);
json_object *cfg_tracker_set(struct model *m, json_object *config,
			     json_object *params, struct jsonrpc_err *err);
json_object *cfg_tracker_delete(struct model *m, json_object *config,
				json_object *params, struct jsonrpc_err *err);
/* sync-group.create/set/delete: name, member (list), other settings. */
json_object *cfg_group_create(struct model *m, json_object *config,
			      json_object *params, struct jsonrpc_err *err);
json_object *cfg_group_set(struct model *m, json_object *config,
			   json_object *params, struct jsonrpc_err *err);
json_object *cfg_group_delete(struct model *m, json_object *config,
			      json_object *params, struct jsonrpc_err *err);
/* instance.track/untrack, sync-group.track/untrack: name (the follower),
 * type, tracker, and for track weight / weight-reverse. */
json_object *cfg_instance_track(struct model *m, json_object *config,
				json_object *params, struct jsonrpc_err *err);
json_object *cfg_instance_untrack(struct model *m, json_object *config,
				  json_object *params, struct jsonrpc_err *err);
json_object *cfg_group_track(struct model *m, json_object *config,
			     json_object *params, struct jsonrpc_err *err);
json_object *cfg_group_untrack(struct model *m, json_object *config,
			       json_object *params, struct jsonrpc_err *err);

/* The edit of a method name ("tracker.create"), for candidate.edit; NULL
 * when there is none. */
cfg_edit_fn cfg_edit_by_method(const char *method);

/* "/usr/bin/check -p 80" as argv: split at blanks, 'single quotes' group
 * (the shell's one-word spelling of a command, see vrrpctl(8)). Returns a
 * new array, or NULL when a quote is not closed. */
json_object *cfg_split_command(const char *s);

#endif
