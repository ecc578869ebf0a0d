/* Internals shared by the rpc_*.c files; nothing outside them includes
 * this. */
#ifndef VRRPD_RPC_INT_H
#define VRRPD_RPC_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "rpc.h"
#include "rpc_save.h"

struct rpc {
	struct rpc_backend b;
	char *config_path;
	char *socket_path;
	struct timespec started;     /* realtime, for daemon.info */
	struct timespec started_mono;
	char *save_dir;              /* config.save may also write here */
	rpc_save_fn save;            /* NULL: rpc_write_file_atomic */
	void *save_arg;
	/* Continuation of the request being stepped (rpc_job_step), NULL
	 * when a handler runs outside a job: then it answers at once. */
	struct rpc_cont *cont;
	/* The running configuration as readers get it (config.get,
	 * instance.get), [with-defaults][passwords masked], each with its
	 * serialized text: printing 1000 instances cost 25 ms per request and
	 * serializing them again 2 ms, so every reader after the first gets
	 * a copy of the text. Shared read-only; valid while gen is the
	 * engine's configuration generation. */
	struct rpc_view {
		json_object *obj;
		uint64_t gen;
	} views[2][2];
	json_object *cfg_cache;      /* running without defaults (copied out) */
	uint64_t cfg_gen;
	struct cands *cands;         /* candidates and commits (candidate.c) */
	struct model_edit *edit;     /* one-instance changes (model_edit.h) */
};

typedef json_object *(*rpc_handler)(struct rpc *r, struct rpc_caller *c,
				    json_object *params, struct jsonrpc_err *err);

/* ---- parameters (rpc.c): every params object is checked here ---------- */
/* Each returns 0 (found, *out set), 1 (absent and optional) or -1 (err set
 * to JSONRPC_INVALID_PARAMS). */
int rpc_param_string(json_object *params, const char *key, bool required,
		     const char **out, struct jsonrpc_err *err);
int rpc_param_uint(json_object *params, const char *key, bool required,
		   uint64_t min, uint64_t max, uint64_t *out,
		   struct jsonrpc_err *err);
int rpc_param_bool(json_object *params, const char *key, bool *out,
		   struct jsonrpc_err *err);
/* Refuse members other than the listed ones (NULL-terminated). */
int rpc_params_only(json_object *params, const char *const *allowed,
		    struct jsonrpc_err *err);

/* ---- read-only views (rpc_status.c) ------------------------------------ */
/* A value that serializes as text (a JSON text made elsewhere); takes
 * text (malloc'd). Its json-c type is an empty array: only for output. */
json_object *rpc_json_text(char *text, size_t len);
const char *rpc_state_name(enum vrrp_state s);
void rpc_format_time(const struct timespec *ts, char *buf, size_t len);
json_object *rpc_instance_summary(const struct instance_status *st);
json_object *rpc_instance_state(const struct instance_status *st);
json_object *rpc_instance_counters(const struct instance_stats *s);
json_object *rpc_drop_counters(const uint64_t *drops);

json_object *rpc_daemon_info(struct rpc *r, struct rpc_caller *c,
			     json_object *params, struct jsonrpc_err *err);
json_object *rpc_instance_list(struct rpc *r, struct rpc_caller *c,
			       json_object *params, struct jsonrpc_err *err);
json_object *rpc_instance_get(struct rpc *r, struct rpc_caller *c,
			      json_object *params, struct jsonrpc_err *err);
/* rpc_track.c */
json_object *rpc_tracking_get(struct rpc *r, struct rpc_caller *c,
			      json_object *params, struct jsonrpc_err *err);
json_object *rpc_priority_breakdown(struct rpc *r, const char *name,
				    unsigned configured, unsigned effective);
json_object *rpc_statistics_get(struct rpc *r, struct rpc_caller *c,
				json_object *params, struct jsonrpc_err *err);
json_object *rpc_instance_failover(struct rpc *r, struct rpc_caller *c,
				   json_object *params, struct jsonrpc_err *err);

/* ---- configuration changes (rpc_config.c) ------------------------------ */
/* The running configuration as a json-c object ({"vrrpd:vrrpd": {...}}
 * always present); with_defaults adds every default value. */
json_object *rpc_running_json(struct rpc *r, bool with_defaults,
			      struct jsonrpc_err *err);
/* The same for readers, from the cache: shared, never to be modified
 * (a new reference; the caller puts it). masked: authentication
 * passwords replaced by RPC_PASSWORD_MASK, for callers who may not
 * change the configuration (they may not see the password either). */
#define RPC_PASSWORD_MASK "********"
json_object *rpc_running_view(struct rpc *r, bool with_defaults, bool masked,
			      struct jsonrpc_err *err);
/* Readers who get masked passwords. */
void rpc_mask_passwords(json_object *config);
bool rpc_caller_masked(const struct rpc_caller *c);
struct model_edit;

/* The instance object named name inside a config object, or NULL. */
json_object *rpc_config_instance(json_object *config, const char *name,
				 size_t *idx);

json_object *rpc_config_get(struct rpc *r, struct rpc_caller *c,
			    json_object *params, struct jsonrpc_err *err);
json_object *rpc_config_replace(struct rpc *r, struct rpc_caller *c,
				json_object *params, struct jsonrpc_err *err);
json_object *rpc_config_save(struct rpc *r, struct rpc_caller *c,
			     json_object *params, struct jsonrpc_err *err);
/* rpc_instance.c */
json_object *rpc_instance_create(struct rpc *r, struct rpc_caller *c,
				 json_object *params, struct jsonrpc_err *err);
json_object *rpc_instance_delete(struct rpc *r, struct rpc_caller *c,
				 json_object *params, struct jsonrpc_err *err);
json_object *rpc_instance_set(struct rpc *r, struct rpc_caller *c,
			      json_object *params, struct jsonrpc_err *err);

/* rpc_track_config.c: trackers, sync groups, follow lists. Built on
 * rpc_edit_running(): take running, apply one cfg_edit.h edit, commit. */
#define RPC_DECL(fn) json_object *fn(struct rpc *r, struct rpc_caller *c, \
				     json_object *params, struct jsonrpc_err *err)
RPC_DECL(rpc_tracker_create);
RPC_DECL(rpc_tracker_set);
RPC_DECL(rpc_tracker_delete);
RPC_DECL(rpc_group_create);
RPC_DECL(rpc_group_set);
RPC_DECL(rpc_group_delete);
RPC_DECL(rpc_group_track);
RPC_DECL(rpc_group_untrack);
RPC_DECL(rpc_instance_track);
RPC_DECL(rpc_instance_untrack);
#include "cfg_edit.h"
json_object *rpc_edit_running(struct rpc *r, cfg_edit_fn edit,
			      json_object *params, struct jsonrpc_err *err);
/* Shared with candidate.c: the instance list of a config object (created
 * when asked), one member of an instance set as instance.set does, the
 * whole-tree validation + apply of a changed config, and a config object
 * as {"lines": TEXT} (lib/cfglines.h; consumes config). */
json_object *rpc_instance_array(json_object *config, bool create);
int rpc_set_member(json_object *in, const char *key, json_object *v,
		   struct jsonrpc_err *err);
int rpc_commit_config(struct rpc *r, json_object *config,
		      struct jsonrpc_err *err);
/* JSONRPC_VALIDATION_FAILED with data {path, reason}. */
void rpc_validation_error(struct jsonrpc_err *err, const struct model_error *me);
json_object *rpc_config_lines(json_object *config, struct jsonrpc_err *err);


#endif
