/* Script trackers on the loop (track_runner.h). */
#include "track_runner.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "loop.h"
#include "proc/script_security.h"
#include "spawner.h"

/* Users and groups are resolved when a set is taken, not at every run:
 * getpwnam() may ask a directory server, and the loop must not wait. */
struct run_ids {
	bool ok;
	uid_t uid;
	gid_t gid;
	char why[160];
};

struct track_runner {
	struct run_ids *ids;      /* one per tracker of set */
	struct loop *loop;
	struct spawner *sp;
	track_change_cb cb;
	void *arg;
	struct track_set *set;
	const struct script_global_cfg *g;
	struct loop_timer timer;
};

/* What a finished run needs to find its tracker again: by name, since a
 * reload may have replaced the tracker (and its set) meanwhile. */
struct run_ctx {
	struct track_runner *r;
	char name[TRACK_NAME_MAX];
	uint64_t started_us;
};

static void arm(struct track_runner *r)
{
	uint64_t next = r->set ? track_set_next_script_us(r->set) : UINT64_MAX;

	if (next == UINT64_MAX)
		loop_timer_cancel(r->loop, &r->timer);
	else
		loop_timer_at(r->loop, &r->timer, next);
}

static void report(struct track_runner *r, struct tracker *t,
		   enum script_result res, uint64_t now_us)
{
	bool was_ok = t->ok;

	if (!tracker_script_result(t, res, now_us))
		return;
	log_info("track script %s: %s -> %s (%s)", t->cfg->name,
		 was_ok ? "OK" : "FAILED", t->ok ? "OK" : "FAILED",
		 script_result_name(res));
	if (r->cb)
		r->cb(r->arg, t);
}

static void on_done(void *arg, const struct spawn_result *res)
{
	struct run_ctx *ctx = arg;
	struct track_runner *r = ctx->r;
	struct tracker *t = track_set_find(r->set, TRACK_SCRIPT, ctx->name);
	enum script_result sr;

	if (t && t->running && t->started_us == ctx->started_us) {
		if (res->outcome == SPAWN_TIMED_OUT)
			sr = SCRIPT_TIMEOUT;
		else if (res->outcome == SPAWN_EXITED && res->status == 0)
			sr = SCRIPT_SUCCESS;
		else
			sr = SCRIPT_FAILURE;
		if (sr == SCRIPT_TIMEOUT)
			log_warn("track script %s: killed at its %u ms timeout",
				 ctx->name, t->cfg->timeout_ms);
		report(r, t, sr, loop_now_us());
		arm(r);
	}
	free(ctx);
}

/* Refusal is logged when it starts, not at every interval. */
static void refuse(struct track_runner *r, struct tracker *t, const char *why,
		   uint64_t now_us)
{
	if (!(t->has_result && t->last_result == SCRIPT_REFUSED))
		log_err("track script %s: not run, counted as failed: %s",
			t->cfg->name, why);
	tracker_script_started(t, now_us);
	report(r, t, SCRIPT_REFUSED, now_us);
}

static void resolve_ids(struct track_runner *r)
{
	free(r->ids);
	r->ids = r->set ? calloc(r->set->n_trackers + 1, sizeof(*r->ids))
			: NULL;
	for (size_t k = 0; r->ids && k < r->set->n_trackers; k++) {
		const struct script_cmd_cfg *cmd = &r->set->trackers[k].cfg->cmd;
		const char *user, *group;
		struct run_ids *id = &r->ids[k];

		if (r->set->trackers[k].cfg->type != TRACK_SCRIPT)
			continue;
		script_cmd_account(cmd, r->g, &user, &group);
		id->ok = script_resolve_ids(user, group, &id->uid, &id->gid,
					    id->why, sizeof(id->why)) == 0;
	}
}

static void start(struct track_runner *r, size_t k, uint64_t now_us)
{
	struct tracker *t = &r->set->trackers[k];
	const struct script_cmd_cfg *cmd = &t->cfg->cmd;
	char why[512], label[TRACK_NAME_MAX + 16];
	struct spawn_opts o = { .name = label };
	struct run_ctx *ctx;
	char **argv;

	snprintf(label, sizeof(label), "track script %s", t->cfg->name);
	if (!r->ids) {
		refuse(r, t, "out of memory", now_us);
		return;
	}
	if (!r->ids[k].ok) {
		refuse(r, t, r->ids[k].why, now_us);
		return;
	}
	o.uid = r->ids[k].uid;
	o.gid = r->ids[k].gid;
	if (script_check_cmd(cmd, o.uid, o.gid, r->g->script_security, why,
			     sizeof(why))) {
		refuse(r, t, why, now_us);
		return;
	}
	o.set_ids = o.uid != 0 || o.gid != 0;
	o.timeout_ms = t->cfg->timeout_ms;
	argv = script_argv(cmd, NULL, 0);
	ctx = calloc(1, sizeof(*ctx));
	if (!argv || !ctx) {
		script_argv_free(argv);
		free(ctx);
		refuse(r, t, "out of memory", now_us);
		return;
	}
	o.argv = argv;
	ctx->r = r;
	snprintf(ctx->name, sizeof(ctx->name), "%s", t->cfg->name);
	ctx->started_us = now_us;
	tracker_script_started(t, now_us);
	if (spawn_run(r->sp, &o, on_done, ctx, why, sizeof(why)) < 0) {
		free(ctx);
		t->running = false;
		log_err("track script %s: cannot start: %s", t->cfg->name, why);
		report(r, t, SCRIPT_FAILURE, now_us);
	}
	script_argv_free(argv);
}

/* Starting a process holds the loop until the child has exec'd (about a
 * millisecond): at most TRACK_RUNNER_BURST starts per turn, then the
 * loop serves sockets and timers before the next ones. */
static void on_timer(void *arg)
{
	struct track_runner *r = arg;
	uint64_t now = loop_now_us();
	unsigned started = 0;

	for (size_t k = 0; r->set && k < r->set->n_trackers; k++) {
		struct tracker *t = &r->set->trackers[k];

		if (t->cfg->type != TRACK_SCRIPT || now < t->next_run_us)
			continue;
		if (t->running) {
			tracker_script_skip(t, now);
			continue;
		}
		if (started++ == TRACK_RUNNER_BURST) {
			loop_timer_at(r->loop, &r->timer, now);
			return;
		}
		start(r, k, now);
	}
	arm(r);
}

struct track_runner *track_runner_new(struct loop *l, struct spawner *sp,
				      track_change_cb cb, void *arg)
{
	struct track_runner *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->loop = l;
	r->sp = sp;
	r->cb = cb;
	r->arg = arg;
	loop_timer_init(&r->timer, on_timer, r);
	return r;
}

void track_runner_set(struct track_runner *r, struct track_set *s,
		      const struct script_global_cfg *g)
{
	r->set = s;
	r->g = g;
	resolve_ids(r);
	arm(r);
}

void track_runner_free(struct track_runner *r)
{
	if (!r)
		return;
	loop_timer_cancel(r->loop, &r->timer);
	free(r->ids);
	free(r);
}
