/* JSON-RPC methods of the control socket: one table of methods, their
 * handlers and the permission each needs (see man/vrrpd-rpc.7). The socket
 * code (ctl_server.c) hands every received line to rpc_handle_line() and
 * sends back what it returns; it never looks inside a request.
 *
 * Handlers reach the engine only through struct rpc_backend, so they can be
 * unit-tested against a fake engine (tests/unit/test_rpc.c). A change of
 * the whole configuration is made on a copy of the running configuration
 * as RFC 7951 JSON, then parsed and validated by libyang
 * (model_parse_json) and only then handed to the engine; a change of one
 * instance is validated with what it refers to and what refers to it
 * (model_edit.h) and handed over alone. A rejected change changes
 * nothing. */
#ifndef VRRPD_RPC_H
#define VRRPD_RPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <json-c/json.h>

#include "engine.h"
#include "engine_track.h"
#include "jsonrpc.h"
#include "model.h"

/* Default hold time of instance.failover, seconds. */
#define RPC_FAILOVER_HOLD_DEFAULT_S 60
#define RPC_FAILOVER_HOLD_MAX_S 86400

/* What the handlers need from the engine. */
struct rpc_backend {
	void *arg;
	struct model *model;
	const struct lyd_node *(*running_tree)(void *arg);
	int (*apply_tree)(void *arg, struct lyd_node *tree, struct model_error *err);
	/* One instance changed: inst is its new entry, validated against
	 * running (model_edit_check), or NULL when name is removed. On
	 * success the backend owns inst, puts it into its running tree and
	 * bumps the generation by one. NULL: every change goes through
	 * apply_tree. */
	int (*apply_instance)(void *arg, const char *name, struct lyd_node *inst,
			      struct model_error *err);
	size_t (*instance_count)(void *arg);
	int (*status_at)(void *arg, size_t idx, struct instance_status *out);
	int (*status)(void *arg, const char *name, struct instance_status *out);
	int (*failover)(void *arg, const char *name, unsigned hold_s, char *err,
			size_t errlen);
	const uint64_t *(*global_drops)(void *arg);
	/* Changes whenever the running configuration does; NULL = unknown
	 * (then nothing is cached). */
	uint64_t (*config_generation)(void *arg);
	/* Health tracking; NULL = none (the fake engine of the tests). */
	size_t (*tracker_count)(void *arg);
	int (*tracker_at)(void *arg, size_t i, struct tracker_status *out);
	ssize_t (*breakdown)(void *arg, const char *name, struct track_contrib *out,
			     size_t max);
};

/* The real engine behind the interface. */
void rpc_backend_engine(struct rpc_backend *b, struct engine *e,
			struct model *m);

/* Who sent a request (from SO_PEERCRED) and what the peer may do. */
struct rpc_caller {
	uid_t uid;
	gid_t gid;
	pid_t pid;
	bool may_read;
	bool may_write;
	bool subscribed;   /* set by events.subscribe */
};

struct loop;

/* Push a notification to every subscribed client (ctl_server.c). */
typedef void (*rpc_notify_fn)(void *arg, json_object *notification);

/* Write the startup file (config.save): rpc_write_file_atomic() when
 * NULL; under privilege separation the privileged parent does it. */
typedef int (*rpc_save_fn)(void *arg, const char *path, const char *data,
			   size_t len, char *why, size_t whylen);

struct rpc_opts {
	const char *config_path;  /* default target of config.save; may be NULL;
				   * commit history in CONFIG_PATH.commits/ */
	const char *save_dir;     /* config.save may also write files here; may be NULL */
	const char *socket_path;  /* reported by daemon.info */
	struct loop *loop;        /* timer of commit confirmed; NULL: none */
	rpc_notify_fn notify;     /* commit and rollback notifications */
	void *notify_arg;
	rpc_save_fn save;         /* NULL: write the file ourselves */
	void *save_arg;
	bool history_later;       /* the commit history is read by
				   * rpc_open_history() (privilege separation:
				   * after the change of user, as its owner) */
};

struct rpc;

struct rpc *rpc_new(const struct rpc_backend *b, const struct rpc_opts *o);
void rpc_free(struct rpc *r);
void rpc_open_history(struct rpc *r);

/* The client behind c disconnected: its candidates are dropped. */
void rpc_caller_gone(struct rpc *r, const struct rpc_caller *c);

/* Handle one received line (NUL-terminated at len). Returns the response
 * to send (caller puts it), or NULL when there is nothing to send. */
json_object *rpc_handle_line(struct rpc *r, struct rpc_caller *c,
			     const char *line, size_t len);

/* The same, a step at a time (see struct jsonrpc_job): the server runs
 * rpc_job_step() within its per-iteration budget until job->j.done, then
 * sends jsonrpc_job_take(&job->j) and frees it with rpc_job_free(). c
 * must stay valid until then. rpc_job_start returns -1 when out of
 * memory. */
/* A method answered in pieces (instance.list, statistics.get: 1000
 * instances took 20-35 ms in one go): RPC_LIST_CHUNK instances per step,
 * each serialized at once; the job calls the handler again until done. */
/* Instances per step: building and serializing one summary costs ~10 us,
 * so a piece stays inside the server's time slice (CTL_SLICE_US). */
#define RPC_LIST_CHUNK 16
struct rpc_cont {
	bool active;
	size_t next;       /* next instance index */
	uint64_t gen;      /* configuration generation at the start */
	char *text;        /* the items so far, as JSON text */
	size_t len, cap;
};

struct rpc_job {
	struct jsonrpc_job j;
	struct rpc *r;
	struct rpc_caller *c;
	struct rpc_cont cont;
};
int rpc_job_start(struct rpc_job *job, struct rpc *r, struct rpc_caller *c,
		  const char *line, size_t len);
void rpc_job_step(struct rpc_job *job);
void rpc_job_free(struct rpc_job *job);

/* The notification pushed to subscribers on a state change. */
#define RPC_EVENT_STATE_CHANGED "instance.state-changed"
json_object *rpc_state_notification(const struct instance_status *st,
				    enum vrrp_state old_state);
#define RPC_EVENT_TRACKER_CHANGED "tracker.changed"
json_object *rpc_tracker_notification(const struct tracker_status *st);

/* The method table, for documentation and tests. */
struct rpc_method_info {
	const char *name;
	bool write;        /* needs the admin permission */
	const char *summary;
};
const struct rpc_method_info *rpc_method_info(size_t *n);

#endif
