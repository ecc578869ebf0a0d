/* The engine's health tracking, notify scripts and sync groups: the glue
 * between the instances and vrrpd/track/ (trackers, runner, watches) and
 * vrrpd/proc/ (spawner, notifier). Owned by the engine (engine.c); it
 * reaches the instances only through the functions below.
 *
 * - A tracker's status change recomputes the effective priority and Fault
 *   demand of exactly the instances that follow it (track_set.h), and
 *   hands them to instance_set_tracking().
 * - Every state change (the engine's state-change hook) runs the
 *   instance's notify scripts and, for a sync group member, moves the
 *   other members (keepalived vrrp_sync_group: one Fault -> all Fault, one
 *   Master -> all Master, one Backup -> all Backup) and runs the group's
 *   notify scripts once per group state. */
#ifndef VRRPD_ENGINE_TRACK_H
#define VRRPD_ENGINE_TRACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "fsm.h"

struct instance;
struct loop;
struct eng_track;
struct tracker_status;
struct spawner;

struct eng_track_ops {
	void *arg;
	/* A tracker changed status (for the event stream); may be NULL. */
	void (*tracker_changed)(void *arg, const struct tracker_status *st);
	/* The instance at index i of the running configuration, or NULL. */
	struct instance *(*instance_at)(void *arg, size_t i);
	/* Interface state by name, for interface trackers. */
	bool (*link_up)(void *arg, const char *ifname);
};

struct eng_track *eng_track_new(struct loop *l, const struct eng_track_ops *ops,
				const struct script_global_cfg *g, char *err,
				size_t errlen);
/* Kills running scripts without waiting; call eng_track_drain() first to
 * let the stop notifications run. */
void eng_track_free(struct eng_track *t);

/* The running configuration c changed (c outlives the next call): rebuild
 * the trackers keeping the state of unchanged ones, and give every
 * instance its effective priority (new instances before they start). */
int eng_track_apply(struct eng_track *t, const struct vrrpd_config *c,
		    char *err, size_t errlen);
/* An interface came up or went down. */
void eng_track_link(struct eng_track *t, const char *ifname, bool up);
/* The state-change hook: instance number idx left old. */
void eng_track_on_state(struct eng_track *t, struct instance *in, size_t idx,
			enum vrrp_state old);
/* At shutdown: run the loop until the notify scripts queued so far have
 * started and finished, at most timeout_us. */
void eng_track_drain(struct eng_track *t, struct loop *l, uint64_t timeout_us);

/* For readers (RPC): the trackers and what they do to an instance. */
struct tracker_status {
	const char *name;
	enum track_type type;
	bool ok;
	bool known;
	const char *last_result;   /* scripts: "ok", "failed", "timeout"...; else NULL */
	uint32_t streak;
	uint64_t runs, failures, timeouts;
	long value;                /* file trackers */
	unsigned count;            /* process trackers: processes found */
	size_t n_affected;
};
/* The spawner of every script (privilege separation hands it to the parent). */
struct spawner *eng_track_spawner(struct eng_track *t);

size_t eng_track_count(const struct eng_track *t);
int eng_track_status_at(const struct eng_track *t, size_t i,
			struct tracker_status *out);

/* One line of an instance's priority breakdown. */
struct track_contrib {
	const char *name;
	enum track_type type;
	bool ok;
	int weight;
	bool reverse;
	bool applied;              /* false: weight dropped (owner, sync group) */
	long added;                /* what it adds now */
	bool demands_fault;
};
/* Up to max contributions of instance idx; returns how many. */
size_t eng_track_breakdown(const struct eng_track *t, size_t idx,
			   struct track_contrib *out, size_t max);

#endif
