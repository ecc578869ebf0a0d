/* The engine: owns every VRRP instance, the shared per-interface sockets,
 * netlink and the running configuration. The control socket (rpc.c) and
 * main.c talk to it only through this header. */
#ifndef VRRPD_ENGINE_H
#define VRRPD_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "config.h"
#include "fsm.h"
#include "model.h"
#include "instance.h"
#include "vrrp_pkt.h"

struct engine;
struct loop;
struct lyd_node;
struct spawner;

struct engine_opts {
	const char *config_path;       /* startup file, may be NULL */
};

struct engine *engine_new(struct loop *loop, struct model *model, char *err,
			  size_t errlen);
/* Shutdown event for every instance (priority-0 adverts, VIPs removed),
 * then frees everything. */
void engine_free(struct engine *e);

/* Replace the running configuration by a validated tree. Instances are
 * diffed by name: unchanged ones are untouched, changed ones are updated in
 * place where the RFC allows (priority, preempt, interval, VIPs, auth) and
 * recreated otherwise (interface, vrid, version, family), removed ones shut
 * down, new ones started. On success the engine owns tree and returns 0; on
 * failure nothing changed, err says why, the caller still owns tree. */
int engine_apply_tree(struct engine *e, struct lyd_node *tree,
		      struct model_error *err);
/* One instance changed (rpc_backend.apply_instance): inst is its new
 * list entry, validated with model_edit_check() against the running tree,
 * or NULL when name is removed. Only that instance is started, updated,
 * recreated or stopped; the running tree and configuration follow. On
 * success the engine owns inst and returns 0; on failure nothing changed
 * and the caller still owns inst. */
int engine_apply_instance(struct engine *e, const char *name,
			  struct lyd_node *inst, struct model_error *err);
/* The running configuration tree (never NULL after engine_new). */
const struct lyd_node *engine_running_tree(const struct engine *e);
const struct vrrpd_config *engine_running_config(const struct engine *e);
/* Bumped by every successful engine_apply_tree(): readers cache views of
 * the running configuration against it. */
uint64_t engine_config_generation(const struct engine *e);

size_t engine_instance_count(const struct engine *e);
/* Where tracking and notify scripts are started (spawner.h). */
struct spawner *engine_spawner(struct engine *e);
/* Status by index (0..count-1, configuration order) or by name;
 * return -1 if absent. */
int engine_instance_status_at(const struct engine *e, size_t idx,
			      struct instance_status *out);
int engine_instance_status(const struct engine *e, const char *name,
			   struct instance_status *out);

/* Admin failover (see fsm.h). Errors: no such instance, not master
 * (message names the current master). */
int engine_failover(struct engine *e, const char *name, unsigned hold_s,
		    char *err, size_t errlen);

/* Health tracking, for readers (engine_track.h has the structs). */
struct tracker_status;
struct track_contrib;
size_t engine_tracker_count(const struct engine *e);
int engine_tracker_at(const struct engine *e, size_t i, struct tracker_status *out);
/* What the trackers do to instance name's priority; -1 if no such instance. */
ssize_t engine_instance_breakdown(const struct engine *e, const char *name,
				  struct track_contrib *out, size_t max);

/* Tracker status changes (JSON-RPC tracker.changed); one subscriber. */
typedef void (*engine_tracker_cb)(void *arg, const struct tracker_status *st);
void engine_subscribe_trackers(struct engine *e, engine_tracker_cb cb, void *arg);

/* Daemon-wide drops that can't be attributed to an instance (unknown VRID,
 * or a packet too short to name one). */
const uint64_t *engine_global_drops(const struct engine *e);

/* The state-change hook: any number of subscribers (JSON-RPC
 * notifications today; notify scripts and sync groups), each called once
 * per transition after its exit and entry actions ran. */
typedef void (*engine_state_cb)(void *arg, const struct instance_status *st,
				enum vrrp_state old_state);
int engine_subscribe(struct engine *e, engine_state_cb cb, void *arg);
void engine_unsubscribe(struct engine *e, engine_state_cb cb, void *arg);

#endif
