/* Internals shared by the rpc_*.c files; nothing outside them includes
 * this. */
#ifndef VRRPD_RPC_INT_H
#define VRRPD_RPC_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "rpc.h"

struct rpc {
	struct rpc_backend b;
	char *config_path;
	char *socket_path;
	struct timespec started;     /* realtime, for daemon.info */
	struct timespec started_mono;
	/* The running configuration with defaults, as JSON, for readers
	 * (instance.get): printing 1000 instances per request cost 25 ms.
	 * Shared read-only; valid while wd_gen is the engine's generation. */
	json_object *wd_cache;
	uint64_t wd_gen;
	json_object *cfg_cache;      /* the same without defaults (copied out) */
	uint64_t cfg_gen;
	struct cands *cands;         /* candidates and commits (candidate.c) */
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
json_object *rpc_statistics_get(struct rpc *r, struct rpc_caller *c,
				json_object *params, struct jsonrpc_err *err);
json_object *rpc_instance_failover(struct rpc *r, struct rpc_caller *c,
				   json_object *params, struct jsonrpc_err *err);

/* ---- configuration changes (rpc_config.c) ------------------------------ */
/* The running configuration as a json-c object ({"vrrpd:vrrpd": {...}}
 * always present); with_defaults adds every default value. */
json_object *rpc_running_json(struct rpc *r, bool with_defaults,
			      struct jsonrpc_err *err);
/* The instance object named name inside a config object, or NULL. */
json_object *rpc_config_instance(json_object *config, const char *name,
				 size_t *idx);

json_object *rpc_config_get(struct rpc *r, struct rpc_caller *c,
			    json_object *params, struct jsonrpc_err *err);
json_object *rpc_config_replace(struct rpc *r, struct rpc_caller *c,
				json_object *params, struct jsonrpc_err *err);
json_object *rpc_config_save(struct rpc *r, struct rpc_caller *c,
			     json_object *params, struct jsonrpc_err *err);
json_object *rpc_instance_create(struct rpc *r, struct rpc_caller *c,
				 json_object *params, struct jsonrpc_err *err);
json_object *rpc_instance_delete(struct rpc *r, struct rpc_caller *c,
				 json_object *params, struct jsonrpc_err *err);
json_object *rpc_instance_set(struct rpc *r, struct rpc_caller *c,
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
json_object *rpc_config_lines(json_object *config, struct jsonrpc_err *err);

/* Atomic file replacement (rpc_save.c): temporary file in the same
 * directory, fsync, rename, fsync of the directory. On failure the old
 * file is untouched and why holds the reason. */
int rpc_write_file_atomic(const char *path, const char *data, size_t len,
			  char *why, size_t whylen);

#endif
