/* Commits of candidates, the confirmed-commit rollback timer, and the
 * history methods commit.list / commit.rollback / commit.confirm (see
 * candidate.h). */
#include "candidate_int.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"

/* NETCONF's default confirm-timeout is 600 s (RFC 6241 8.4.5.1). */
#define CONFIRM_DEFAULT_S 600
#define CONFIRM_MAX_S 86400

static void notify(struct cands *cs, const char *method, json_object *params)
{
	json_object *n = jsonrpc_notification(method, params);

	if (cs->notify && n)
		cs->notify(cs->notify_arg, n);
	json_object_put(n);
}

static void user_name(uid_t uid, char *buf, size_t len)
{
	struct passwd pw, *res = NULL;
	char tmp[1024];

	if (getpwuid_r(uid, &pw, tmp, sizeof(tmp), &res) == 0 && res)
		snprintf(buf, len, "%s", res->pw_name);
	else
		snprintf(buf, len, "uid %u", (unsigned)uid);
}

static int64_t now_realtime(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec;
}

/* Record the running configuration as a commit. */
static unsigned record(struct rpc *r, uid_t uid, const char *user,
		       const char *comment)
{
	struct jsonrpc_err e = { 0 };
	json_object *run = rpc_running_json(r, false, &e);
	char why[300] = "";
	unsigned no;

	if (!run)
		return 0;
	no = history_add(&r->cands->hist, now_realtime(), uid, user, comment, run,
			 why, sizeof(why));
	if (!no)
		log_warn("commit history: %s", why);
	json_object_put(run);
	return no ? no : r->cands->hist.next - 1;
}

/* The deadline passed without a confirmation: back to the configuration
 * before the first unconfirmed commit, by the daemon itself (the shell
 * that committed may be gone). */
static void on_confirm_timer(void *arg)
{
	struct cands *cs = arg;
	struct jsonrpc_err e = { 0 };
	json_object *restore, *p;
	unsigned no = cs->conf.commit_no, back;

	if (!confirm_due(&cs->conf, loop_now_us()))
		return;
	restore = cand_copy(cs->conf.restore);
	confirm_clear(&cs->conf);
	if (!restore || rpc_commit_config(cs->r, restore, &e) < 0) {
		log_err("commit %u was not confirmed and the rollback failed: %s",
			no, e.msg[0] ? e.msg : "out of memory");
		json_object_put(restore);
		return;
	}
	json_object_put(restore);
	char comment[128];
	snprintf(comment, sizeof(comment), "rollback: commit %u not confirmed", no);
	back = record(cs->r, 0, "vrrpd", comment);
	log_warn("commit %u was not confirmed in time: configuration rolled back "
		 "(commit %u)", no, back);
	p = json_object_new_object();
	json_object_object_add(p, "commit", json_object_new_int64(no));
	json_object_object_add(p, "number", json_object_new_int64(back));
	json_object_object_add(p, "reason", json_object_new_string("not confirmed"));
	notify(cs, RPC_EVENT_ROLLED_BACK, p);
}

int cands_new(struct rpc *r, const struct rpc_opts *o)
{
	struct cands *cs = calloc(1, sizeof(*cs));
	char dir[4200], why[300] = "";

	if (!cs)
		return -1;
	cs->r = r;
	cs->loop = o ? o->loop : NULL;
	cs->notify = o ? o->notify : NULL;
	cs->notify_arg = o ? o->notify_arg : NULL;
	loop_timer_init(&cs->timer, on_confirm_timer, cs);
	if (o && o->config_path)
		snprintf(dir, sizeof(dir), "%s.commits", o->config_path);
	r->cands = cs;
	if (o && o->config_path && o->history_later) {
		history_open(&cs->hist, NULL, why, sizeof(why));
		cs->hist_dir = strdup(dir);
		return cs->hist_dir ? 0 : -1;
	}
	if (history_open(&cs->hist, o && o->config_path ? dir : NULL, why,
			 sizeof(why)) < 0) {
		log_warn("commit history: %s; keeping it in memory only", why);
		history_open(&cs->hist, NULL, why, sizeof(why));
	}
	return 0;
}

void cands_open_history(struct rpc *r)
{
	struct cands *cs = r->cands;
	char why[300] = "";

	if (!cs || !cs->hist_dir)
		return;
	history_close(&cs->hist);
	if (history_open(&cs->hist, cs->hist_dir, why, sizeof(why)) < 0) {
		log_warn("commit history: %s; keeping it in memory only", why);
		history_open(&cs->hist, NULL, why, sizeof(why));
	}
	free(cs->hist_dir);
	cs->hist_dir = NULL;
}

void cands_free(struct rpc *r)
{
	struct cands *cs = r ? r->cands : NULL;

	if (!cs)
		return;
	if (cs->loop)
		loop_timer_cancel(cs->loop, &cs->timer);
	for (size_t i = 0; i < CAND_MAX; i++) {
		if (cs->v[i]) {
			json_object_put(cs->v[i]->cfg);
			json_object_put(cs->v[i]->base);
			free(cs->v[i]);
		}
	}
	confirm_clear(&cs->conf);
	history_close(&cs->hist);
	free(cs->hist_dir);
	free(cs);
	r->cands = NULL;
}

static void confirmed(struct cands *cs, const char *how)
{
	json_object *p = json_object_new_object();
	unsigned no = cs->conf.commit_no;

	confirm_clear(&cs->conf);
	if (cs->loop)
		loop_timer_cancel(cs->loop, &cs->timer);
	log_info("commit %u confirmed (%s)", no, how);
	json_object_object_add(p, "commit", json_object_new_int64(no));
	notify(cs, RPC_EVENT_CONFIRMED, p);
}

CAND_HANDLER(rpc_candidate_commit)
{
	static const char *const allowed[] = { "id", "comment", "confirm-timeout", NULL };
	struct cands *cs = r->cands;
	json_object *run = NULL, *merged, *res, *p;
	const char *comment = "";
	uint64_t timeout = 0;
	int has_timeout;
	struct cand *cd;
	size_t changes = 0;
	char user[64], *d;
	unsigned no = 0;

	if (rpc_params_only(params, allowed, err) < 0 ||
	    !(cd = cand_lookup(r, c, params, err)) ||
	    rpc_param_string(params, "comment", false, &comment, err) < 0 ||
	    (has_timeout = rpc_param_uint(params, "confirm-timeout", false, 1,
					  CONFIRM_MAX_S, &timeout, err)) < 0)
		return NULL;
	if (has_timeout == 0 && !cs->loop) {
		jsonrpc_err_set(err, JSONRPC_INVALID_PARAMS, NULL,
				"confirmed commits need the daemon's loop");
		return NULL;
	}
	merged = cand_rebase(r, cd, &run, err);
	if (!merged) {
		json_object_put(run);
		return NULL;
	}
	d = cand_diff(run, merged, &changes);
	free(d);
	user_name(c->uid, user, sizeof(user));
	/* Running changed outside configuration mode (startup file, SIGHUP,
	 * instance.set): record it first, so rollback 1 always gives what
	 * running was before this commit. */
	if (changes > 0 && (!cs->hist.n ||
			    !json_object_equal(run, history_back(&cs->hist, 1)->config)))
		record(r, 0, "vrrpd", cs->hist.n ? "changed outside configuration mode"
						 : "configuration before the first commit");
	if (changes > 0 && rpc_commit_config(r, merged, err) < 0) {
		json_object_put(run);
		json_object_put(merged);
		return NULL;
	}
	json_object_put(merged);
	if (changes > 0) {
		no = record(r, c->uid, user, comment);
		log_info("commit %u by %s: %zu line(s) changed%s%s", no, user, changes,
			 *comment ? ": " : "", comment);
	}
	if (has_timeout == 0 && !changes && !cs->conf.pending) {
		/* Nothing applied: nothing to roll back. */
		has_timeout = 1;
	} else if (has_timeout == 0) {
		/* The configuration to go back to is the one before the first
		 * unconfirmed commit (confirm_arm keeps it on an extension). */
		confirm_arm(&cs->conf, loop_now_us(), timeout * 1000000u, run,
			    no ? no : cs->conf.commit_no);
		loop_timer_at(cs->loop, &cs->timer, cs->conf.deadline_us);
		log_warn("commit %u must be confirmed within %llu s, or it is rolled back",
			 cs->conf.commit_no, (unsigned long long)timeout);
	} else if (cs->conf.pending) {
		/* A plain commit confirms (RFC 6241 8.4.5.1, Junos). */
		confirmed(cs, "commit");
	}
	json_object_put(run);
	if (cand_reset(r, cd, NULL, err) < 0)
		return NULL;
	res = cand_id_result(cd);
	json_object_object_add(res, "number", json_object_new_int64(no));
	json_object_object_add(res, "changes", json_object_new_int64((int64_t)changes));
	if (has_timeout == 0)
		json_object_object_add(res, "confirm-timeout", json_object_new_int64((int64_t)timeout));
	if (changes > 0) {
		p = json_object_new_object();
		json_object_object_add(p, "number", json_object_new_int64(no));
		json_object_object_add(p, "user", json_object_new_string(user));
		json_object_object_add(p, "comment", json_object_new_string(comment));
		json_object_object_add(p, "changes", json_object_new_int64((int64_t)changes));
		if (has_timeout == 0)
			json_object_object_add(p, "confirm-timeout",
					       json_object_new_int64((int64_t)timeout));
		notify(cs, RPC_EVENT_COMMITTED, p);
	}
	return res;
}

CAND_HANDLER(rpc_commit_list)
{
	static const char *const allowed[] = { NULL };
	struct cands *cs = r->cands;
	json_object *res, *arr;

	(void)c;
	if (rpc_params_only(params, allowed, err) < 0)
		return NULL;
	res = json_object_new_object();
	arr = json_object_new_array();
	for (size_t n = 1; n <= cs->hist.n; n++) {
		const struct hist_entry *e = history_back(&cs->hist, n);
		json_object *o = json_object_new_object();
		char when[64];
		struct tm tm;
		time_t t = (time_t)e->time;

		localtime_r(&t, &tm);
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S%z", &tm);
		/* rollback N loads entry N-1 back: 0 is running. */
		json_object_object_add(o, "rollback", json_object_new_int64((int64_t)n - 1));
		json_object_object_add(o, "number", json_object_new_int64(e->number));
		json_object_object_add(o, "time", json_object_new_string(when));
		json_object_object_add(o, "user", json_object_new_string(e->user));
		json_object_object_add(o, "uid", json_object_new_int64(e->uid));
		json_object_object_add(o, "comment", json_object_new_string(e->comment));
		json_object_array_add(arr, o);
	}
	json_object_object_add(res, "commits", arr);
	if (cs->conf.pending) {
		json_object *p = json_object_new_object();

		json_object_object_add(p, "commit", json_object_new_int64(cs->conf.commit_no));
		json_object_object_add(p, "seconds-left", json_object_new_int64(
			(int64_t)confirm_left_s(&cs->conf, loop_now_us())));
		json_object_object_add(res, "confirm-pending", p);
	}
	return res;
}

CAND_HANDLER(rpc_commit_rollback)
{
	static const char *const allowed[] = { "id", "n", NULL };
	const struct hist_entry *e = NULL;
	struct cand *cd;
	uint64_t n;
	json_object *res;

	if (rpc_params_only(params, allowed, err) < 0 ||
	    !(cd = cand_lookup(r, c, params, err)) ||
	    rpc_param_uint(params, "n", true, 0, HISTORY_KEEP, &n, err) < 0)
		return NULL;
	/* 0 is running; N the configuration N commits back (Junos). The
	 * newest record is what the last commit made running, so rollback N
	 * is record N + 1 counted from the newest. */
	if (n > 0 && !(e = history_back(&r->cands->hist, (size_t)n + 1))) {
		jsonrpc_err_set(err, JSONRPC_NOT_FOUND, NULL,
				"no commit %llu back: the history holds %zu",
				(unsigned long long)n,
				r->cands->hist.n ? r->cands->hist.n - 1 : 0);
		return NULL;
	}
	if (cand_reset(r, cd, e ? e->config : NULL, err) < 0)
		return NULL;
	res = cand_id_result(cd);
	json_object_object_add(res, "rollback", json_object_new_int64((int64_t)n));
	if (e)
		json_object_object_add(res, "number", json_object_new_int64(e->number));
	return res;
}

CAND_HANDLER(rpc_commit_confirm)
{
	static const char *const allowed[] = { NULL };
	struct cands *cs = r->cands;
	json_object *res;
	unsigned no = cs->conf.commit_no;

	(void)c;
	if (rpc_params_only(params, allowed, err) < 0)
		return NULL;
	if (!cs->conf.pending) {
		jsonrpc_err_set(err, RPC_ERR_NOT_PENDING, NULL,
				"no confirmed commit is waiting for confirmation");
		return NULL;
	}
	confirmed(cs, "commit.confirm");
	res = json_object_new_object();
	json_object_object_add(res, "commit", json_object_new_int64(no));
	json_object_object_add(res, "confirmed", json_object_new_boolean(true));
	return res;
}
