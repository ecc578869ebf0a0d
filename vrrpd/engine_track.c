/* The engine's health tracking, notify scripts and sync groups; see
 * engine_track.h. */
#include "engine_track.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "instance.h"
#include "log.h"
#include "loop.h"
#include "notifier.h"
#include "spawner.h"
#include "track_prio.h"
#include "track_runner.h"
#include "track_set.h"
#include "track_watch.h"

struct eng_track {
	struct loop *loop;
	struct eng_track_ops ops;
	struct spawner *sp;
	struct notifier *notifier;
	struct track_runner *runner;
	struct track_watch *watch;
	struct track_set set;
	bool have_set;
	const struct vrrpd_config *cfg;
	/* sync groups: the state each group is in (INIT: none yet), and a
	 * guard so the members' own transitions don't propagate again */
	enum vrrp_state *group_state;
	char (*group_names)[TRACK_NAME_MAX]; /* whose state group_state holds */
	size_t n_groups;
	bool syncing;
};

/* A reconfiguration keeps the state of the groups it did not remove (by
 * name): a change elsewhere must not make a group announce, and run its
 * notify scripts for, a state it is already in. */
static char (*carry_groups(struct eng_track *t, const struct tracking_cfg *tc,
			   enum vrrp_state *gs))[TRACK_NAME_MAX]
{
	size_t n = tc->n_sync_groups;
	char (*names)[TRACK_NAME_MAX] = calloc(n ? n : 1, sizeof(*names));

	if (!names)
		return NULL;
	for (size_t g = 0; g < n; g++) {
		snprintf(names[g], sizeof(names[g]), "%s", tc->sync_groups[g].name);
		for (size_t k = 0; k < t->n_groups; k++)
			if (strcmp(t->group_names[k], names[g]) == 0)
				gs[g] = t->group_state[k];
	}
	return names;
}

/* The trackers of instance i changed: give it its effective priority. */
static void recompute(struct eng_track *t, size_t i)
{
	struct instance *in = t->ops.instance_at(t->ops.arg, i);
	struct track_prio p;

	if (!in || i >= t->set.n_instances)
		return;
	track_set_priority(&t->set, i, &p);
	instance_set_tracking(in, p.priority, p.fault, t->set.instances[i].n_links > 0);
}

static void on_tracker(void *arg, struct tracker *tr)
{
	struct eng_track *t = arg;
	size_t n;
	const size_t *aff = tracker_affected(tr, &n);

	/* keepalived: "VRRP_Script(chk) succeeded" / "... failed" */
	log_info("VRRP_%s(%s) %s", tr->cfg->type == TRACK_SCRIPT ? "Script" :
		 tr->cfg->type == TRACK_INTERFACE ? "Interface" :
		 tr->cfg->type == TRACK_FILE ? "Track_File" : "Track_Process",
		 tr->cfg->name, tr->ok ? "succeeded" : "failed");
	for (size_t k = 0; k < n; k++)
		recompute(t, aff[k]);
	if (t->ops.tracker_changed) {
		struct tracker_status st;
		if (eng_track_status_at(t, (size_t)(tr - t->set.trackers), &st) == 0)
			t->ops.tracker_changed(t->ops.arg, &st);
	}
}

struct eng_track *eng_track_new(struct loop *l, const struct eng_track_ops *ops,
				const struct script_global_cfg *g, char *err,
				size_t errlen)
{
	struct eng_track *t = calloc(1, sizeof(*t));

	if (!t) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	t->loop = l;
	t->ops = *ops;
	t->sp = spawner_new(l);
	t->notifier = t->sp ? notifier_new(t->sp, g, err, errlen) : NULL;
	t->runner = t->sp ? track_runner_new(l, t->sp, on_tracker, t) : NULL;
	t->watch = track_watch_new(l, on_tracker, t);
	if (!t->sp || !t->notifier || !t->runner || !t->watch) {
		if (t->sp && t->notifier)
			snprintf(err, errlen, "cannot set up script tracking");
		eng_track_free(t);
		return NULL;
	}
	return t;
}

void eng_track_free(struct eng_track *t)
{
	if (!t)
		return;
	/* the spawner first: it kills children without calling back */
	spawner_free(t->sp);
	track_runner_free(t->runner);
	track_watch_free(t->watch);
	notifier_free(t->notifier);
	if (t->have_set)
		track_set_free(&t->set);
	free(t->group_state);
	free(t->group_names);
	free(t);
}

/* Interface trackers learn their state from netlink, now and on change. */
static void report_interfaces(struct eng_track *t, uint64_t now)
{
	for (size_t k = 0; k < t->set.n_trackers; k++) {
		struct tracker *tr = &t->set.trackers[k];
		if (tr->cfg->type == TRACK_INTERFACE)
			tracker_interface_update(tr, t->ops.link_up(t->ops.arg, tr->cfg->name),
						 now);
	}
}

int eng_track_apply(struct eng_track *t, const struct vrrpd_config *c,
		    char *err, size_t errlen)
{
	struct track_set old = t->set;
	bool had = t->have_set;
	uint64_t now = loop_now_us();
	enum vrrp_state *gs = calloc(c->tracking.n_sync_groups ? c->tracking.n_sync_groups : 1,
				     sizeof(*gs));
	char (*names)[TRACK_NAME_MAX] = gs ? carry_groups(t, &c->tracking, gs) : NULL;
	bool oom = !names;

	/* the runner and the watch keep pointers: build in place */
	if (oom || track_set_build(&t->set, c, now, err, errlen) < 0) {
		free(gs);
		free(names);
		t->set = old;
		if (oom)
			snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (notifier_reconfigure(t->notifier, &c->global.scripts, err, errlen) < 0)
		log_warn("notify: %s", err);
	if (had)
		track_set_carry(&t->set, &old);
	track_runner_set(t->runner, &t->set, &c->global.scripts);
	track_watch_set(t->watch, &t->set, "/proc");
	if (had)
		track_set_free(&old);
	t->have_set = true;
	t->cfg = c;
	free(t->group_state);
	free(t->group_names);
	t->group_state = gs;
	t->group_names = names;
	t->n_groups = c->tracking.n_sync_groups;
	report_interfaces(t, now);
	for (size_t i = 0; i < t->set.n_instances; i++)
		recompute(t, i);
	return 0;
}

void eng_track_link(struct eng_track *t, const char *ifname, bool up)
{
	struct tracker *tr;

	if (!t->have_set || !ifname ||
	    !(tr = track_set_find(&t->set, TRACK_INTERFACE, ifname)))
		return;
	if (tracker_interface_update(tr, up, loop_now_us()))
		on_tracker(t, tr);
}

static enum notify_state notify_state_of(enum vrrp_state s)
{
	switch (s) {
	case VRRP_STATE_MASTER:
		return NOTIFY_ST_MASTER;
	case VRRP_STATE_BACKUP:
		return NOTIFY_ST_BACKUP;
	case VRRP_STATE_FAULT:
		return NOTIFY_ST_FAULT;
	case VRRP_STATE_INIT:
		break;
	}
	return NOTIFY_ST_STOP;
}

static ssize_t group_index(const struct eng_track *t, const char *name)
{
	const struct tracking_cfg *tc = &t->cfg->tracking;

	for (size_t g = 0; g < tc->n_sync_groups; g++)
		for (size_t m = 0; m < tc->sync_groups[g].n_members; m++)
			if (strcmp(tc->sync_groups[g].members[m], name) == 0)
				return (ssize_t)g;
	return -1;
}

static ssize_t instance_index(const struct eng_track *t, const char *name)
{
	for (size_t i = 0; i < t->cfg->n_instances; i++)
		if (strcmp(t->cfg->instances[i].name, name) == 0)
			return (ssize_t)i;
	return -1;
}

/* keepalived vrrp_sync_group: the others follow; the group's notify
 * scripts run once for each state the group enters. */
static void sync_group(struct eng_track *t, struct instance *in, size_t g)
{
	const struct sync_group_cfg *sg = &t->cfg->tracking.sync_groups[g];
	enum vrrp_state to = in->fsm.state;

	if (to == VRRP_STATE_INIT) /* one member stopping is not the group's */
		return;
	if (t->group_state[g] != to) {
		log_info("VRRP_Group(%s) Syncing instances to %s STATE", sg->name,
			 vrrp_state_name(to));
		t->group_state[g] = to;
		notifier_send(t->notifier, &sg->follow.notify, NOTIFY_GROUP, sg->name,
			      notify_state_of(to), 0);
	}
	t->syncing = true;
	for (size_t m = 0; m < sg->n_members; m++) {
		ssize_t i = instance_index(t, sg->members[m]);
		struct instance *other = i >= 0 ? t->ops.instance_at(t->ops.arg, (size_t)i) : NULL;
		if (other && other != in && other->fsm.state != to)
			instance_sync(other, to);
	}
	t->syncing = false;
}

void eng_track_on_state(struct eng_track *t, struct instance *in, size_t idx,
			enum vrrp_state old)
{
	ssize_t g;

	(void)old;
	if (!t->cfg || idx >= t->cfg->n_instances)
		return;
	notifier_send(t->notifier, &in->cfg.follow.notify, NOTIFY_INSTANCE, in->cfg.name,
		      notify_state_of(in->fsm.state), in->fsm.cfg.priority);
	if (!t->syncing && (g = group_index(t, in->cfg.name)) >= 0)
		sync_group(t, in, (size_t)g);
}

struct drain {
	struct eng_track *t;
	struct loop *l;
};

static void drain_check(void *arg)
{
	struct drain *d = arg;

	if (!notifier_pending(d->t->notifier) && !spawner_running(d->t->sp))
		loop_stop(d->l);
}

static void drain_timeout(void *arg)
{
	struct drain *d = arg;

	log_warn("notify scripts still running at exit; not waiting for them");
	loop_stop(d->l);
}

void eng_track_drain(struct eng_track *t, struct loop *l, uint64_t timeout_us)
{
	struct drain d = { t, l };
	struct loop_timer tm, tick;

	if (!notifier_pending(t->notifier) && !spawner_running(t->sp))
		return;
	loop_timer_init(&tm, drain_timeout, &d);
	loop_timer_init(&tick, drain_check, &d);
	loop_timer_at(l, &tm, loop_now_us() + timeout_us);
	loop_set_idle(l, drain_check, &d);
	loop_run(l);
	loop_set_idle(l, NULL, NULL);
	loop_timer_cancel(l, &tm);
	loop_timer_cancel(l, &tick);
}

struct spawner *eng_track_spawner(struct eng_track *t)
{
	return t->sp;
}

size_t eng_track_count(const struct eng_track *t)
{
	return t->have_set ? t->set.n_trackers : 0;
}

int eng_track_status_at(const struct eng_track *t, size_t i,
			struct tracker_status *out)
{
	const struct tracker *tr;

	if (!t->have_set || i >= t->set.n_trackers)
		return -1;
	tr = &t->set.trackers[i];
	memset(out, 0, sizeof(*out));
	out->name = tr->cfg->name;
	out->type = tr->cfg->type;
	out->ok = tr->ok;
	out->known = tr->known;
	out->last_result = tr->has_result ? script_result_name(tr->last_result) : NULL;
	out->streak = tr->streak;
	out->runs = tr->runs;
	out->failures = tr->failures;
	out->timeouts = tr->timeouts;
	out->value = tr->value;
	out->count = tr->count;
	out->n_affected = tr->n_affected;
	return 0;
}

size_t eng_track_breakdown(const struct eng_track *t, size_t idx,
			   struct track_contrib *out, size_t max)
{
	const struct track_instance *ti;
	size_t n = 0;

	if (!t->have_set || idx >= t->set.n_instances)
		return 0;
	ti = &t->set.instances[idx];
	for (size_t k = 0; k < ti->n_links && n < max; k++) {
		const struct track_link *l = &ti->links[k];
		struct track_input in;
		struct track_prio p;

		track_link_input(l, &in);
		track_prio_begin(&p);
		track_prio_add(&p, &ti->follower, &in);
		out[n++] = (struct track_contrib){
			.name = l->t->cfg->name, .type = l->t->cfg->type, .ok = in.ok,
			.weight = l->weight, .reverse = l->reverse,
			.applied = track_weight_use(&in, &ti->follower) == TRACK_WEIGHT_APPLY,
			.added = p.offset, .demands_fault = p.fault,
		};
	}
	return n;
}
