/* JSON-RPC method table, dispatch with permission checks, parameter
 * checking, and the engine behind struct rpc_backend. */
#include "rpc.h"

#include <stdlib.h>
#include <string.h>

#include "candidate.h"
#include "model_edit.h"
#include "rpc_int.h"

static json_object *rpc_events_subscribe(struct rpc *r, struct rpc_caller *c,
					 json_object *params,
					 struct jsonrpc_err *err);
static json_object *rpc_events_unsubscribe(struct rpc *r, struct rpc_caller *c,
					   json_object *params,
					   struct jsonrpc_err *err);
static json_object *rpc_daemon_methods(struct rpc *r, struct rpc_caller *c,
				       json_object *params,
				       struct jsonrpc_err *err);

struct rpc_method {
	struct rpc_method_info info;
	rpc_handler fn;
	/* Changes something beyond its answer (every write, and the event
	 * subscription). Only these run when sent as a notification: the
	 * answer of any other method is thrown away, so running it is work
	 * for nothing. 64 KB of config.get notifications stalled the loop
	 * 8 s at 1000 instances. */
	bool effects;
};

/* The one list of methods; man/vrrpd-rpc.7 documents each. */
static const struct rpc_method methods[] = {
	{ { "daemon.info", false, "version, pid, uptime, instance count" }, rpc_daemon_info, false },
	{ { "daemon.methods", false, "this list" }, rpc_daemon_methods, false },
	{ { "instance.list", false, "summary of every instance" }, rpc_instance_list, false },
	{ { "instance.get", false, "configuration, state and counters of one instance" }, rpc_instance_get, false },
	{ { "instance.create", true, "add an instance" }, rpc_instance_create, true },
	{ { "instance.delete", true, "remove an instance" }, rpc_instance_delete, true },
	{ { "instance.set", true, "change configurable leaves of an instance" }, rpc_instance_set, true },
	{ { "instance.failover", true, "master resigns and holds off preemption" }, rpc_instance_failover, true },
	{ { "instance.track", true, "follow a tracker (or change its weight)" }, rpc_instance_track, true },
	{ { "instance.untrack", true, "stop following a tracker" }, rpc_instance_untrack, true },
	{ { "tracker.create", true, "add a script, interface, file or process tracker" }, rpc_tracker_create, true },
	{ { "tracker.set", true, "change settings of a tracker" }, rpc_tracker_set, true },
	{ { "tracker.delete", true, "remove a tracker nothing follows" }, rpc_tracker_delete, true },
	{ { "sync-group.create", true, "add a sync group" }, rpc_group_create, true },
	{ { "sync-group.set", true, "change settings of a sync group" }, rpc_group_set, true },
	{ { "sync-group.delete", true, "remove a sync group" }, rpc_group_delete, true },
	{ { "sync-group.track", true, "a sync group follows a tracker" }, rpc_group_track, true },
	{ { "sync-group.untrack", true, "a sync group stops following a tracker" }, rpc_group_untrack, true },
	{ { "statistics.get", false, "daemon-wide and per-instance counters" }, rpc_statistics_get, false },
	{ { "tracking.get", false, "every tracker: status, last result, counts, instances affected" }, rpc_tracking_get, false },
	{ { "config.get", false, "the running configuration (RFC 7951 JSON)" }, rpc_config_get, false },
	{ { "config.replace", true, "replace the whole running configuration" }, rpc_config_replace, true },
	{ { "config.save", true, "write the running configuration to the startup file" }, rpc_config_save, true },
	{ { "candidate.open", true, "open a private candidate copied from running" }, rpc_candidate_open, true },
	{ { "candidate.close", true, "drop a candidate" }, rpc_candidate_close, true },
	{ { "candidate.edit", true, "set/create/delete in a candidate" }, rpc_candidate_edit, true },
	{ { "candidate.get", true, "a candidate (JSON or lines)" }, rpc_candidate_get, false },
	{ { "candidate.compare", true, "what committing a candidate would change" }, rpc_candidate_compare, false },
	{ { "candidate.validate", true, "validate a candidate, apply nothing" }, rpc_candidate_validate, false },
	{ { "candidate.discard", true, "reset a candidate to running" }, rpc_candidate_discard, true },
	{ { "candidate.commit", true, "apply a candidate (optionally confirmed)" }, rpc_candidate_commit, true },
	{ { "commit.list", false, "commit history" }, rpc_commit_list, false },
	{ { "commit.rollback", true, "load an earlier commit into a candidate" }, rpc_commit_rollback, true },
	{ { "commit.confirm", true, "confirm a confirmed commit" }, rpc_commit_confirm, true },
	{ { "events.subscribe", false, "receive instance.state-changed notifications" }, rpc_events_subscribe, true },
	{ { "events.unsubscribe", false, "stop notifications" }, rpc_events_unsubscribe, true },
};

#define N_METHODS (sizeof(methods) / sizeof(methods[0]))

const struct rpc_method_info *rpc_method_info(size_t *n)
{
	static struct rpc_method_info infos[N_METHODS];

	for (size_t i = 0; i < N_METHODS; i++)
		infos[i] = methods[i].info;
	*n = N_METHODS;
	return infos;
}

struct rpc *rpc_new(const struct rpc_backend *b, const struct rpc_opts *o)
{
	struct rpc *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->b = *b;
	if (o && o->config_path)
		r->config_path = strdup(o->config_path);
	if (o && o->socket_path)
		r->socket_path = strdup(o->socket_path);
	if (o && o->save_dir)
		r->save_dir = strdup(o->save_dir);
	if (o) {
		r->save = o->save;
		r->save_arg = o->save_arg;
	}
	if ((b->model && !(r->edit = model_edit_new(b->model))) ||
	    cands_new(r, o) < 0) {
		rpc_free(r);
		return NULL;
	}
	clock_gettime(CLOCK_REALTIME, &r->started);
	clock_gettime(CLOCK_MONOTONIC, &r->started_mono);
	return r;
}

void rpc_open_history(struct rpc *r)
{
	cands_open_history(r);
}

void rpc_free(struct rpc *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < 2; i++)
		for (size_t k = 0; k < 2; k++)
			json_object_put(r->views[i][k].obj);
	free(r->save_dir);
	cands_free(r);
	model_edit_free(r->edit);
	json_object_put(r->cfg_cache);
	free(r->config_path);
	free(r->socket_path);
	free(r);
}

void rpc_caller_gone(struct rpc *r, const struct rpc_caller *c)
{
	cands_caller_gone(r, c);
}

struct dispatch_ctx {
	struct rpc *r;
	struct rpc_caller *c;
};

static json_object *dispatch(void *arg, const struct jsonrpc_req *req,
			     struct jsonrpc_err *err)
{
	struct dispatch_ctx *d = arg;
	const struct rpc_method *m = NULL;
	json_object *params = req->params;
	json_object *res;
	bool own_params = false;

	for (size_t i = 0; i < N_METHODS; i++) {
		if (strcmp(methods[i].info.name, req->method) == 0) {
			m = &methods[i];
			break;
		}
	}
	if (!m) {
		jsonrpc_err_set(err, JSONRPC_METHOD_NOT_FOUND, NULL,
				"unknown method \"%.100s\"", req->method);
		return NULL;
	}
	/* JSON-RPC 2.0 section 4.1: a notification is never answered, so a
	 * method without effects has nothing left to do. */
	if (req->notification && !m->effects)
		return NULL;
	if (!d->c->may_read || (m->info.write && !d->c->may_write)) {
		json_object *data = json_object_new_object();

		json_object_object_add(data, "uid", json_object_new_int64(d->c->uid));
		json_object_object_add(data, "gid", json_object_new_int64(d->c->gid));
		json_object_object_add(data, "method", json_object_new_string(m->info.name));
		jsonrpc_err_set(err, JSONRPC_PERMISSION_DENIED, data,
				"uid %u may not call %s", (unsigned)d->c->uid,
				m->info.name);
		return NULL;
	}
	/* All our methods take named parameters (an object). */
	if (params && !json_object_is_type(params, json_type_object)) {
		jsonrpc_err_set(err, JSONRPC_INVALID_PARAMS, NULL,
				"params must be an object");
		return NULL;
	}
	if (!params) {
		params = json_object_new_object();
		own_params = true;
	}
	res = m->fn(d->r, d->c, params, err);
	if (own_params)
		json_object_put(params);
	return res;
}

int rpc_job_start(struct rpc_job *job, struct rpc *r, struct rpc_caller *c,
		  const char *line, size_t len)
{
	memset(job, 0, sizeof(*job));
	job->r = r;
	job->c = c;
	return jsonrpc_job_start(&job->j, line, len, 0);
}

void rpc_job_step(struct rpc_job *job)
{
	struct dispatch_ctx d = { job->r, job->c };

	job->r->cont = &job->cont;
	jsonrpc_job_step(&job->j, dispatch, &d);
	job->r->cont = NULL;
}

void rpc_job_free(struct rpc_job *job)
{
	jsonrpc_job_free(&job->j);
	free(job->cont.text);
	memset(&job->cont, 0, sizeof(job->cont));
}

/* The whole line at once, through the same steps the server takes. */
json_object *rpc_handle_line(struct rpc *r, struct rpc_caller *c,
			     const char *line, size_t len)
{
	struct rpc_job job;
	json_object *out = NULL;
	size_t tlen = 0;
	char *text;

	if (rpc_job_start(&job, r, c, line, len) < 0)
		return NULL;
	while (!job.j.done)
		rpc_job_step(&job);
	text = jsonrpc_job_take(&job.j, &tlen);
	if (text) {
		struct json_tokener *tok = json_tokener_new_ex(64);

		if (tok) {
			out = json_tokener_parse_ex(tok, text, (int)tlen);
			json_tokener_free(tok);
		}
	}
	free(text);
	rpc_job_free(&job);
	return out;
}

/* ---- parameters -------------------------------------------------------- */

static int param_get(json_object *params, const char *key, bool required,
		     json_object **v, struct jsonrpc_err *err)
{
	if (!json_object_object_get_ex(params, key, v) || *v == NULL) {
		if (!required)
			return 1;
		jsonrpc_err_set(err, JSONRPC_INVALID_PARAMS, NULL,
				"missing parameter \"%s\"", key);
		return -1;
	}
	return 0;
}

int rpc_param_string(json_object *params, const char *key, bool required,
		     const char **out, struct jsonrpc_err *err)
{
	json_object *v;
	int rc = param_get(params, key, required, &v, err);

	if (rc != 0)
		return rc;
	if (!json_object_is_type(v, json_type_string) ||
	    json_object_get_string_len(v) == 0) {
		jsonrpc_err_set(err, JSONRPC_INVALID_PARAMS, NULL,
				"parameter \"%s\" must be a non-empty string", key);
		return -1;
	}
	*out = json_object_get_string(v);
	return 0;
}

int rpc_param_uint(json_object *params, const char *key, bool required,
		   uint64_t min, uint64_t max, uint64_t *out,
		   struct jsonrpc_err *err)
{
	json_object *v;
	int64_t x;
	int rc = param_get(params, key, required, &v, err);

	if (rc != 0)
		return rc;
	x = json_object_get_int64(v);
	if (!json_object_is_type(v, json_type_int) || x < 0 ||
	    (uint64_t)x < min || (uint64_t)x > max) {
		jsonrpc_err_set(err, JSONRPC_INVALID_PARAMS, NULL,
				"parameter \"%s\" must be an integer %llu..%llu",
				key, (unsigned long long)min,
				(unsigned long long)max);
		return -1;
	}
	*out = (uint64_t)x;
	return 0;
}

int rpc_param_bool(json_object *params, const char *key, bool *out,
		   struct jsonrpc_err *err)
{
	json_object *v;
	int rc = param_get(params, key, false, &v, err);

	if (rc != 0)
		return rc;
	if (!json_object_is_type(v, json_type_boolean)) {
		jsonrpc_err_set(err, JSONRPC_INVALID_PARAMS, NULL,
				"parameter \"%s\" must be true or false", key);
		return -1;
	}
	*out = json_object_get_boolean(v);
	return 0;
}

int rpc_params_only(json_object *params, const char *const *allowed,
		    struct jsonrpc_err *err)
{
	json_object_object_foreach(params, key, val) {
		bool ok = false;

		(void)val;
		for (const char *const *a = allowed; *a; a++)
			ok = ok || strcmp(*a, key) == 0;
		if (!ok) {
			jsonrpc_err_set(err, JSONRPC_INVALID_PARAMS, NULL,
					"unknown parameter \"%.100s\"", key);
			return -1;
		}
	}
	return 0;
}

/* ---- small methods ------------------------------------------------------ */

static const char *const no_params[] = { NULL };

static json_object *rpc_events_subscribe(struct rpc *r, struct rpc_caller *c,
					 json_object *params,
					 struct jsonrpc_err *err)
{
	json_object *res;

	(void)r;
	if (rpc_params_only(params, no_params, err) < 0)
		return NULL;
	c->subscribed = true;
	res = json_object_new_object();
	json_object_object_add(res, "subscribed", json_object_new_boolean(true));
	json_object_object_add(res, "events", json_object_new_string(RPC_EVENT_STATE_CHANGED));
	return res;
}

static json_object *rpc_events_unsubscribe(struct rpc *r, struct rpc_caller *c,
					   json_object *params,
					   struct jsonrpc_err *err)
{
	json_object *res;

	(void)r;
	if (rpc_params_only(params, no_params, err) < 0)
		return NULL;
	c->subscribed = false;
	res = json_object_new_object();
	json_object_object_add(res, "subscribed", json_object_new_boolean(false));
	return res;
}

static json_object *rpc_daemon_methods(struct rpc *r, struct rpc_caller *c,
				       json_object *params,
				       struct jsonrpc_err *err)
{
	json_object *arr;

	(void)r;
	(void)c;
	if (rpc_params_only(params, no_params, err) < 0)
		return NULL;
	arr = json_object_new_array();
	for (size_t i = 0; i < N_METHODS; i++) {
		json_object *m = json_object_new_object();

		json_object_object_add(m, "name", json_object_new_string(methods[i].info.name));
		json_object_object_add(m, "write", json_object_new_boolean(methods[i].info.write));
		json_object_object_add(m, "summary", json_object_new_string(methods[i].info.summary));
		json_object_array_add(arr, m);
	}
	return arr;
}

/* ---- the real engine ---------------------------------------------------- */

static const struct lyd_node *eng_running_tree(void *arg)
{
	return engine_running_tree(arg);
}

static int eng_apply_tree(void *arg, struct lyd_node *tree,
			  struct model_error *err)
{
	return engine_apply_tree(arg, tree, err);
}

static int eng_apply_instance(void *arg, const char *name, struct lyd_node *inst,
			      struct model_error *err)
{
	return engine_apply_instance(arg, name, inst, err);
}

static size_t eng_instance_count(void *arg)
{
	return engine_instance_count(arg);
}

static int eng_status_at(void *arg, size_t idx, struct instance_status *out)
{
	return engine_instance_status_at(arg, idx, out);
}

static int eng_status(void *arg, const char *name, struct instance_status *out)
{
	return engine_instance_status(arg, name, out);
}

static int eng_failover(void *arg, const char *name, unsigned hold_s,
			char *err, size_t errlen)
{
	return engine_failover(arg, name, hold_s, err, errlen);
}

static const uint64_t *eng_global_drops(void *arg)
{
	return engine_global_drops(arg);
}

static size_t eng_tracker_count(void *arg)
{
	return engine_tracker_count(arg);
}

static int eng_tracker_at(void *arg, size_t i, struct tracker_status *out)
{
	return engine_tracker_at(arg, i, out);
}

static ssize_t eng_breakdown(void *arg, const char *name, struct track_contrib *out,
			     size_t max)
{
	return engine_instance_breakdown(arg, name, out, max);
}

static uint64_t eng_config_generation(void *arg)
{
	return engine_config_generation(arg);
}

void rpc_backend_engine(struct rpc_backend *b, struct engine *e,
			struct model *m)
{
	memset(b, 0, sizeof(*b));
	b->arg = e;
	b->model = m;
	b->running_tree = eng_running_tree;
	b->apply_tree = eng_apply_tree;
	b->apply_instance = eng_apply_instance;
	b->instance_count = eng_instance_count;
	b->status_at = eng_status_at;
	b->status = eng_status;
	b->failover = eng_failover;
	b->tracker_count = eng_tracker_count;
	b->tracker_at = eng_tracker_at;
	b->breakdown = eng_breakdown;
	b->global_drops = eng_global_drops;
	b->config_generation = eng_config_generation;
}
