/* tracking.get, and the priority breakdown instance.get shows: what the
 * trackers are and what they do to each instance (see engine_track.h). */
#include <string.h>

#include "config_track.h"
#include "rpc_int.h"

#define MAX_BREAKDOWN 64

static const char *status_word(bool known, bool ok)
{
	return !known ? "unknown" : ok ? "ok" : "failed";
}

static void add_u64(json_object *o, const char *k, uint64_t v)
{
	json_object_object_add(o, k, json_object_new_int64((int64_t)v));
}

static json_object *tracker_json(const struct tracker_status *t)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "name", json_object_new_string(t->name));
	json_object_object_add(o, "type", json_object_new_string(track_type_name(t->type)));
	json_object_object_add(o, "status", json_object_new_string(status_word(t->known, t->ok)));
	if (t->type == TRACK_SCRIPT) {
		if (t->last_result)
			json_object_object_add(o, "last-result",
					       json_object_new_string(t->last_result));
		add_u64(o, "consecutive", t->streak);
		add_u64(o, "runs", t->runs);
		add_u64(o, "failures", t->failures);
		add_u64(o, "timeouts", t->timeouts);
	} else if (t->type == TRACK_FILE) {
		json_object_object_add(o, "value", json_object_new_int64(t->value));
	} else if (t->type == TRACK_PROCESS) {
		add_u64(o, "processes", t->count);
	}
	add_u64(o, "instances-affected", t->n_affected);
	return o;
}

json_object *rpc_tracker_notification(const struct tracker_status *st)
{
	return jsonrpc_notification(RPC_EVENT_TRACKER_CHANGED, tracker_json(st));
}

json_object *rpc_tracking_get(struct rpc *r, struct rpc_caller *c,
			      json_object *params, struct jsonrpc_err *err)
{
	static const char *const none[] = { NULL };
	json_object *o, *arr;
	struct tracker_status t;
	size_t n;

	(void)c;
	if (rpc_params_only(params, none, err) < 0)
		return NULL;
	o = json_object_new_object();
	arr = json_object_new_array();
	n = r->b.tracker_count ? r->b.tracker_count(r->b.arg) : 0;
	for (size_t i = 0; i < n; i++)
		if (r->b.tracker_at(r->b.arg, i, &t) == 0)
			json_object_array_add(arr, tracker_json(&t));
	json_object_object_add(o, "trackers", arr);
	return o;
}

json_object *rpc_priority_breakdown(struct rpc *r, const char *name,
				    unsigned configured, unsigned effective)
{
	struct track_contrib tc[MAX_BREAKDOWN];
	json_object *o = json_object_new_object(), *arr = json_object_new_array();
	ssize_t n = r->b.breakdown ? r->b.breakdown(r->b.arg, name, tc, MAX_BREAKDOWN) : 0;

	add_u64(o, "configured", configured);
	add_u64(o, "effective", effective);
	for (ssize_t i = 0; i < n; i++) {
		json_object *e = json_object_new_object();
		json_object_object_add(e, "tracker", json_object_new_string(tc[i].name));
		json_object_object_add(e, "type", json_object_new_string(track_type_name(tc[i].type)));
		json_object_object_add(e, "status", json_object_new_string(tc[i].ok ? "ok" : "failed"));
		json_object_object_add(e, "weight", json_object_new_int(tc[i].weight));
		if (tc[i].reverse)
			json_object_object_add(e, "reverse", json_object_new_boolean(true));
		json_object_object_add(e, "applied", json_object_new_boolean(tc[i].applied));
		json_object_object_add(e, "adds", json_object_new_int64(tc[i].added));
		if (tc[i].demands_fault)
			json_object_object_add(e, "demands-fault", json_object_new_boolean(true));
		json_object_array_add(arr, e);
	}
	json_object_object_add(o, "trackers", arr);
	return o;
}
