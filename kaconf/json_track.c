/* keepalived import: JSON of the vrrpd-tracking submodule's nodes — the
 * global script settings, the top-level track lists and sync-group list,
 * and each instance's or group's track and notify containers. Same rules
 * as json.c: fixed key order, defaults written out. */
#include <json-c/json.h>
#include <string.h>

#include "keepalived_ir.h"

#define NOTIFY_TIMEOUT_S 30 /* the model's default; keepalived has none */

static int add(json_object *o, const char *key, json_object *v)
{
	if (!v)
		return -1;
	if (json_object_object_add(o, key, v) < 0) {
		json_object_put(v);
		return -1;
	}
	return 0;
}

static int add_str(json_object *o, const char *key, const char *v)
{
	return add(o, key, json_object_new_string(v));
}

/* Adds `a` under key if it has elements; puts it otherwise. */
static int add_list(json_object *o, const char *key, json_object *a)
{
	if (a && json_object_array_length(a) == 0) {
		json_object_put(a);
		return 0;
	}
	return add(o, key, a);
}

static int push(json_object *a, json_object *v)
{
	if (!v)
		return -1;
	if (json_object_array_add(a, v) < 0) {
		json_object_put(v);
		return -1;
	}
	return 0;
}

static json_object *strv(char *const *v, size_t n)
{
	json_object *a = json_object_new_array();
	for (size_t i = 0; a && i < n; i++)
		if (push(a, json_object_new_string(v[i])) < 0) {
			json_object_put(a);
			return NULL;
		}
	return a;
}

static int cmd_json(json_object *o, const struct ka_cmd *c)
{
	int rc = add(o, "command", strv(c->argv, c->argc));
	rc |= add(o, "shell", json_object_new_boolean(c->shell));
	if (c->user[0])
		rc |= add_str(o, "user", c->user);
	if (c->group[0])
		rc |= add_str(o, "group", c->group);
	return rc;
}

int ka_json_script_global(json_object *global, const struct ka_config *c)
{
	const struct ka_script_global *g = &c->g.sg;
	/* keepalived sends VRRP events to vrrp_notify_fifo when it is set,
	 * to notify_fifo otherwise; vrrpd has VRRP events only. */
	const char *fifo = g->vrrp_notify_fifo ? g->vrrp_notify_fifo : g->notify_fifo;
	int rc = 0;
	if (fifo)
		rc |= add_str(global, "notify-fifo", fifo);
	if (g->user[0])
		rc |= add_str(global, "script-user", g->user);
	if (g->group[0])
		rc |= add_str(global, "script-group", g->group);
	rc |= add(global, "enable-script-security", json_object_new_boolean(g->security));
	rc |= add(global, "notify-timeout", json_object_new_int(NOTIFY_TIMEOUT_S));
	return rc;
}

static int weight_json(json_object *o, int weight, bool reverse)
{
	int rc = add(o, "weight", json_object_new_int(weight));
	if (reverse)
		rc |= add(o, "weight-reverse", json_object_new_boolean(true));
	return rc;
}

static json_object *follow_list(const struct ka_follow *f, size_t n)
{
	json_object *a = json_object_new_array();
	for (size_t i = 0; a && i < n; i++) {
		json_object *e = json_object_new_object();
		int rc = !e || add_str(e, "name", f[i].name) < 0;
		if (!rc && f[i].has_weight)
			rc |= add(e, "weight", json_object_new_int(f[i].weight));
		if (!rc && f[i].reverse >= 0)
			rc |= add(e, "weight-reverse", json_object_new_boolean(f[i].reverse));
		if (rc || push(a, e) < 0) {
			if (rc)
				json_object_put(e);
			json_object_put(a);
			return NULL;
		}
	}
	return a;
}

static const char *const kind_key[KA_TRK_N] = {"script", "interface", "file", "process"};
static const char *const event_name[KA_EV_N] = {"master", "backup", "fault", "stop", "any"};

static json_object *follows_json(const struct ka_follows *fol)
{
	json_object *o = json_object_new_object();
	for (int k = 0; o && k < KA_TRK_N; k++)
		if (add_list(o, kind_key[k], follow_list(fol->f[k], fol->n[k])) < 0) {
			json_object_put(o);
			return NULL;
		}
	return o;
}

static json_object *notify_json(const struct ka_notify *n, bool prio)
{
	json_object *o = json_object_new_object(), *a = json_object_new_array();
	int rc = !o || !a;
	for (int e = 0; !rc && e < KA_EV_N; e++) {
		if (!n->ev[e].argc)
			continue;
		json_object *s = json_object_new_object();
		rc = !s || add_str(s, "event", event_name[e]) < 0 ||
		     cmd_json(s, &n->ev[e]) < 0;
		if (rc || push(a, s) < 0) {
			if (rc)
				json_object_put(s);
			rc = 1;
		}
	}
	if (!rc) {
		rc = add_list(o, "script", a);
		a = NULL;
	}
	if (!rc)
		rc = add(o, "priority-changes", json_object_new_boolean(prio));
	json_object_put(a);
	if (rc) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static bool notify_empty(const struct ka_notify *n, bool prio)
{
	for (int e = 0; e < KA_EV_N; e++)
		if (n->ev[e].argc)
			return false;
	return !prio;
}

int ka_json_follow_notify(json_object *o, const struct ka_follows *fol,
			  const struct ka_notify *nfy, const struct ka_config *c)
{
	int rc = 0;
	json_object *t = follows_json(fol);
	if (t && json_object_object_length(t) == 0)
		json_object_put(t);
	else
		rc |= add(o, "track", t);
	bool prio = nfy->prio_changes >= 0 ? nfy->prio_changes : c->g.sg.prio_changes;
	if (!notify_empty(nfy, prio))
		rc |= add(o, "notify", notify_json(nfy, prio));
	return rc;
}

/* ---- top-level trackers and sync groups --------------------------------- */

static json_object *script_json(const struct ka_script *s)
{
	json_object *o = json_object_new_object();
	int rc = !o || add_str(o, "name", s->name) < 0 || cmd_json(o, &s->cmd) < 0;
	if (!rc) {
		rc |= add(o, "interval", json_object_new_int((int)s->interval_ms));
		if (s->timeout_ms)
			rc |= add(o, "timeout", json_object_new_int((int)s->timeout_ms));
		rc |= add(o, "rise", json_object_new_int((int)s->rise));
		rc |= add(o, "fall", json_object_new_int((int)s->fall));
		rc |= weight_json(o, s->weight, s->reverse);
		rc |= add_str(o, "init-state", s->init_fail ? "failed" : "ok");
	}
	if (rc) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static json_object *file_json(const struct ka_tfile *f)
{
	json_object *o = json_object_new_object();
	int rc = !o || add_str(o, "name", f->name) < 0 ||
		 add_str(o, "path", f->path) < 0 ||
		 weight_json(o, f->weight, f->reverse) < 0;
	if (rc) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static json_object *proc_json(const struct ka_tproc *p)
{
	json_object *o = json_object_new_object();
	int rc = !o || add_str(o, "name", p->name) < 0 ||
		 add_str(o, "process-name", p->argv[0]) < 0;
	if (!rc && p->argc > 1)
		rc |= add(o, "arguments", strv(p->argv + 1, p->argc - 1));
	if (!rc) {
		rc |= weight_json(o, p->weight, p->reverse);
		rc |= add(o, "quorum", json_object_new_int((int)p->quorum));
		if (p->quorum_max >= 0)
			rc |= add(o, "quorum-max", json_object_new_int(p->quorum_max));
	}
	if (rc) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static bool listed(json_object *a, const char *name)
{
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		json_object *n = NULL;
		json_object_object_get_ex(json_object_array_get_idx(a, i), "name", &n);
		if (n && !strcmp(json_object_get_string(n), name))
			return true;
	}
	return false;
}

/* Each interface anybody follows, once; the weights are the followers'. */
static int interfaces_add(json_object *a, const struct ka_follows *fol)
{
	for (size_t i = 0; i < fol->n[KA_TRK_INTERFACE]; i++) {
		const char *n = fol->f[KA_TRK_INTERFACE][i].name;
		if (listed(a, n))
			continue;
		json_object *e = json_object_new_object();
		if (!e || add_str(e, "name", n) < 0 || push(a, e) < 0) {
			json_object_put(e);
			return -1;
		}
	}
	return 0;
}

static json_object *track_json(const struct ka_config *c)
{
	const struct ka_tracking *t = &c->trk;
	json_object *o = json_object_new_object();
	json_object *a[KA_TRK_N];
	int rc = !o;
	for (int k = 0; k < KA_TRK_N; k++)
		rc |= !(a[k] = json_object_new_array());
	for (size_t i = 0; !rc && i < t->n_scripts; i++)
		rc |= push(a[KA_TRK_SCRIPT], script_json(&t->scripts[i])) < 0;
	for (size_t i = 0; !rc && i < c->n_inst; i++)
		rc |= interfaces_add(a[KA_TRK_INTERFACE], &c->inst[i].fol) < 0;
	for (size_t i = 0; !rc && i < t->n_syncs; i++)
		rc |= interfaces_add(a[KA_TRK_INTERFACE], &t->syncs[i].fol) < 0;
	for (size_t i = 0; !rc && i < t->n_files; i++)
		rc |= push(a[KA_TRK_FILE], file_json(&t->files[i])) < 0;
	for (size_t i = 0; !rc && i < t->n_procs; i++)
		rc |= push(a[KA_TRK_PROCESS], proc_json(&t->procs[i])) < 0;
	for (int k = 0; k < KA_TRK_N; k++) {
		if (!rc)
			rc |= add_list(o, kind_key[k], a[k]) < 0;
		else
			json_object_put(a[k]);
	}
	if (rc) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static json_object *sync_json(const struct ka_sync *g, const struct ka_config *c)
{
	json_object *o = json_object_new_object(), *m = json_object_new_array();
	int rc = !o || !m || add_str(o, "name", g->name) < 0;
	for (size_t i = 0; !rc && i < g->n_members; i++)
		rc |= push(m, json_object_new_string(g->members[i])) < 0;
	if (!rc) {
		rc |= add(o, "member", m);
		m = NULL;
	}
	if (!rc) {
		rc |= add(o, "tracking-weight", json_object_new_boolean(g->tracking_weight));
		/* the global vrrp_notify_priority_changes is about instances */
		struct ka_notify n = g->nfy;
		if (n.prio_changes < 0)
			n.prio_changes = 0;
		rc |= ka_json_follow_notify(o, &g->fol, &n, c);
	}
	json_object_put(m);
	if (rc) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

int ka_json_tracking(json_object *vrrpd, const struct ka_config *c)
{
	json_object *t = track_json(c);
	if (t && json_object_object_length(t) == 0)
		json_object_put(t);
	else if (add(vrrpd, "track", t) < 0)
		return -1;
	json_object *a = json_object_new_array();
	for (size_t i = 0; a && i < c->trk.n_syncs; i++)
		if (push(a, sync_json(&c->trk.syncs[i], c)) < 0) {
			json_object_put(a);
			return -1;
		}
	return add_list(vrrpd, "sync-group", a);
}
