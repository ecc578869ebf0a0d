/* Decoding the vrrpd-tracking part of a validated data tree
 * (yang/vrrpd-tracking.yang): named trackers, what each instance or sync
 * group follows, notify scripts, sync groups and the global script
 * settings. As in model_decode.c, libyang has checked types, ranges,
 * leafrefs and must expressions already; this file still refuses what
 * would not fit the C structs. */
#include "model_decode.h"

#include <libyang/libyang.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static bool is_named(const struct lyd_node *n, const char *name)
{
	return n->schema && strcmp(LYD_NAME(n), name) == 0;
}

static size_t count_children(const struct lyd_node *parent, const char *name)
{
	const struct lyd_node *n;
	size_t count = 0;

	LY_LIST_FOR(lyd_child(parent), n) {
		if (is_named(n, name))
			count++;
	}
	return count;
}

/* A leaf-list as a NULL-terminated malloc'd vector, in the user's order
 * (ordered-by user keeps the data order). */
static int get_strv(const struct lyd_node *parent, const char *name,
		    char ***out, size_t *n_out, struct model_error *err)
{
	const struct lyd_node *n;
	size_t count = count_children(parent, name), i = 0;
	char **v;

	*out = NULL;
	*n_out = 0;
	if (count == 0)
		return 0;
	v = calloc(count + 1, sizeof(*v));
	if (!v)
		return md_fail(err, parent, name, "out of memory");
	LY_LIST_FOR(lyd_child(parent), n) {
		if (!is_named(n, name))
			continue;
		v[i] = strdup(lyd_get_value(n));
		if (!v[i]) {
			for (size_t j = 0; j < i; j++)
				free(v[j]);
			free(v);
			return md_fail(err, parent, name, "out of memory");
		}
		i++;
	}
	*out = v;
	*n_out = count;
	return 0;
}

static int get_int(const struct lyd_node *parent, const char *name, long min,
		   long max, int *out, struct model_error *err)
{
	const char *v = md_leaf_value(parent, name);
	char *end;
	long x;

	if (!v)
		return md_fail(err, parent, name, "missing value");
	x = strtol(v, &end, 10);
	if (*end != '\0' || x < min || x > max)
		return md_fail(err, parent, name, "value %s not in %ld..%ld", v,
			       min, max);
	*out = (int)x;
	return 0;
}

static int get_path(const struct lyd_node *parent, const char *name,
		    char **out, struct model_error *err)
{
	const char *v = md_leaf_value(parent, name);

	*out = NULL;
	if (!v || v[0] != '/')
		return md_fail(err, parent, name, "not an absolute path: %s",
			       v ? v : "(missing)");
	*out = strdup(v);
	return *out ? 0 : md_fail(err, parent, name, "out of memory");
}

static int decode_cmd(const struct lyd_node *n, struct script_cmd_cfg *c,
		      struct model_error *err)
{
	if (get_strv(n, "command", &c->argv, &c->argc, err))
		return -1;
	if (c->argc == 0)
		return md_fail(err, n, "command", "a command is required");
	if (md_get_bool(n, "shell", &c->shell, err))
		return -1;
	if (c->shell && c->argc != 1)
		return md_fail(err, n, "shell",
			       "with shell true, command is a single line");
	return md_get_str(n, "user", c->user, sizeof(c->user), false, err) ||
			       md_get_str(n, "group", c->group,
					  sizeof(c->group), false, err)
		       ? -1
		       : 0;
}

/* weight (optional when may_lack) and weight-reverse of a tracker. */
static int decode_weight(const struct lyd_node *n, long lim, bool may_lack,
			 struct tracker_cfg *t, struct model_error *err)
{
	t->has_weight = md_leaf_value(n, "weight") != NULL;
	if (!t->has_weight && !may_lack)
		return md_fail(err, n, "weight", "missing value");
	if (t->has_weight && get_int(n, "weight", -lim, lim, &t->weight, err))
		return -1;
	t->reverse = false;
	return md_leaf_value(n, "weight-reverse")
		       ? md_get_bool(n, "weight-reverse", &t->reverse, err)
		       : 0;
}

static int decode_script(const struct lyd_node *n, struct tracker_cfg *t,
			 struct model_error *err)
{
	unsigned long v;
	const char *init;

	if (decode_cmd(n, &t->cmd, err) || decode_weight(n, 253, false, t, err))
		return -1;
	if (md_get_uint(n, "interval", 100, 3600000, &v, err))
		return -1;
	t->interval_ms = (uint32_t)v;
	t->timeout_ms = t->interval_ms;
	if (md_leaf_value(n, "timeout")) {
		if (md_get_uint(n, "timeout", 100, 3600000, &v, err))
			return -1;
		t->timeout_ms = (uint32_t)v;
	}
	if (md_get_uint(n, "rise", 1, UINT16_MAX, &v, err))
		return -1;
	t->rise = (uint16_t)v;
	if (md_get_uint(n, "fall", 1, UINT16_MAX, &v, err))
		return -1;
	t->fall = (uint16_t)v;
	init = md_leaf_value(n, "init-state");
	t->init = init && strcmp(init, "failed") == 0 ? TRACK_INIT_FAILED
						      : TRACK_INIT_OK;
	return 0;
}

static int decode_process(const struct lyd_node *n, struct tracker_cfg *t,
			  struct model_error *err)
{
	unsigned long v;

	if (decode_weight(n, 254, false, t, err) ||
	    get_strv(n, "arguments", &t->args, &t->n_args, err))
		return -1;
	t->match_args = t->n_args > 0;
	t->process_name = strdup(md_leaf_value(n, "process-name") ?: "");
	if (!t->process_name)
		return md_fail(err, n, "process-name", "out of memory");
	if (!t->process_name[0])
		return md_fail(err, n, "process-name", "missing value");
	if (md_get_uint(n, "quorum", 1, UINT16_MAX, &v, err))
		return -1;
	t->quorum = (uint16_t)v;
	t->quorum_max = UINT16_MAX;
	if (md_leaf_value(n, "quorum-max")) {
		if (md_get_uint(n, "quorum-max", t->quorum, UINT16_MAX, &v, err))
			return -1;
		t->quorum_max = (uint16_t)v;
	}
	return 0;
}

static int decode_tracker(const struct lyd_node *n, enum track_type type,
			  struct tracker_cfg *t, struct model_error *err)
{
	t->type = type;
	if (md_get_str(n, "name", t->name, sizeof(t->name), true, err))
		return -1;
	switch (type) {
	case TRACK_SCRIPT:
		return decode_script(n, t, err);
	case TRACK_INTERFACE:
		return decode_weight(n, 253, true, t, err);
	case TRACK_FILE:
		return decode_weight(n, 254, false, t, err) ||
				       get_path(n, "path", &t->path, err)
			       ? -1
			       : 0;
	case TRACK_PROCESS:
		return decode_process(n, t, err);
	default:
		return md_fail(err, n, NULL, "unknown tracker type");
	}
}

/* The children of a track container, one list per tracker type. */
static size_t count_typed(const struct lyd_node *track)
{
	size_t count = 0;

	for (int ty = 0; ty < TRACK_TYPE_COUNT; ty++)
		count += count_children(track, track_type_name(ty));
	return count;
}

typedef int (*typed_fn)(const struct lyd_node *n, enum track_type ty,
			void *ctx, struct model_error *err);

/* Type by type (script, interface, file, process), in data order. */
static int for_each_typed(const struct lyd_node *track, typed_fn fn, void *ctx,
			  struct model_error *err)
{
	const struct lyd_node *n;

	for (int ty = 0; ty < TRACK_TYPE_COUNT; ty++) {
		LY_LIST_FOR(lyd_child(track), n) {
			if (is_named(n, track_type_name(ty)) &&
			    fn(n, ty, ctx, err))
				return -1;
		}
	}
	return 0;
}

static int add_tracker(const struct lyd_node *n, enum track_type ty,
		       void *ctx, struct model_error *err)
{
	struct tracking_cfg *out = ctx;

	/* Count it first so tracking_cfg_free() releases it. */
	out->n_trackers++;
	return decode_tracker(n, ty, &out->trackers[out->n_trackers - 1], err);
}

static int decode_trackers(const struct lyd_node *track,
			   struct tracking_cfg *out, struct model_error *err)
{
	size_t count = count_typed(track);

	if (count == 0)
		return 0;
	out->trackers = calloc(count, sizeof(*out->trackers));
	if (!out->trackers)
		return md_fail(err, track, NULL, "out of memory");
	return for_each_typed(track, add_tracker, out, err);
}

static int decode_ref(const struct lyd_node *n, enum track_type type,
		      struct track_ref_cfg *r, struct model_error *err)
{
	long lim = type == TRACK_FILE || type == TRACK_PROCESS ? 254 : 253;

	r->type = type;
	if (md_get_str(n, "name", r->name, sizeof(r->name), true, err))
		return -1;
	r->has_weight = md_leaf_value(n, "weight") != NULL;
	if (r->has_weight && get_int(n, "weight", -lim, lim, &r->weight, err))
		return -1;
	r->has_reverse = md_leaf_value(n, "weight-reverse") != NULL;
	return r->has_reverse
		       ? md_get_bool(n, "weight-reverse", &r->reverse, err)
		       : 0;
}

static int add_ref(const struct lyd_node *n, enum track_type ty, void *ctx,
		   struct model_error *err)
{
	struct follow_cfg *f = ctx;

	if (decode_ref(n, ty, &f->track[f->n_track], err))
		return -1;
	f->n_track++;
	return 0;
}

static int decode_refs(const struct lyd_node *track, struct follow_cfg *f,
		       struct model_error *err)
{
	size_t count = count_typed(track);

	if (count == 0)
		return 0;
	f->track = calloc(count, sizeof(*f->track));
	if (!f->track)
		return md_fail(err, track, NULL, "out of memory");
	return for_each_typed(track, add_ref, f, err);
}

static int decode_notify(const struct lyd_node *notify, struct notify_cfg *nc,
			 struct model_error *err)
{
	const struct lyd_node *n;

	if (md_get_bool(notify, "priority-changes", &nc->priority_changes, err))
		return -1;
	LY_LIST_FOR(lyd_child(notify), n) {
		const char *ev;
		int e;

		if (!is_named(n, "script"))
			continue;
		ev = md_leaf_value(n, "event");
		for (e = 0; e < NOTIFY_EVENT_COUNT; e++) {
			if (ev && strcmp(ev, notify_event_name(e)) == 0)
				break;
		}
		if (e == NOTIFY_EVENT_COUNT)
			return md_fail(err, n, "event", "unknown event %s",
				       ev ? ev : "(missing)");
		if (nc->script[e].argc)
			return md_fail(err, n, "event", "event %s twice", ev);
		if (decode_cmd(n, &nc->script[e], err))
			return -1;
	}
	return 0;
}

int md_decode_follow(const struct lyd_node *parent, struct follow_cfg *out,
		     struct model_error *err)
{
	const struct lyd_node *track = md_child_node(parent, "track");
	const struct lyd_node *notify = md_child_node(parent, "notify");

	memset(out, 0, sizeof(*out));
	if (track && decode_refs(track, out, err))
		return -1;
	return notify ? decode_notify(notify, &out->notify, err) : 0;
}

static int decode_sync_group(const struct lyd_node *n,
			     struct sync_group_cfg *sg, struct model_error *err)
{
	const struct lyd_node *m;
	size_t count = count_children(n, "member");

	if (md_get_str(n, "name", sg->name, sizeof(sg->name), true, err) ||
	    md_get_bool(n, "tracking-weight", &sg->tracking_weight, err))
		return -1;
	if (count == 0)
		return md_fail(err, n, "member", "a sync group needs members");
	sg->members = calloc(count, sizeof(*sg->members));
	if (!sg->members)
		return md_fail(err, n, NULL, "out of memory");
	LY_LIST_FOR(lyd_child(n), m) {
		const char *v;

		if (!is_named(m, "member"))
			continue;
		v = lyd_get_value(m);
		if (strlen(v) >= sizeof(sg->members[0]))
			return md_fail(err, n, "member", "name too long: %s", v);
		memcpy(sg->members[sg->n_members++], v, strlen(v) + 1);
	}
	return md_decode_follow(n, &sg->follow, err);
}

static int decode_sync_groups(const struct lyd_node *top,
			      struct tracking_cfg *out, struct model_error *err)
{
	const struct lyd_node *n;
	size_t count = count_children(top, "sync-group");

	if (count == 0)
		return 0;
	out->sync_groups = calloc(count, sizeof(*out->sync_groups));
	if (!out->sync_groups)
		return md_fail(err, top, NULL, "out of memory");
	LY_LIST_FOR(lyd_child(top), n) {
		if (!is_named(n, "sync-group"))
			continue;
		out->n_sync_groups++;
		if (decode_sync_group(n, &out->sync_groups[out->n_sync_groups - 1],
				      err))
			return -1;
	}
	return 0;
}

int md_decode_tracking(const struct lyd_node *top, struct tracking_cfg *out,
		       struct model_error *err)
{
	const struct lyd_node *track = md_child_node(top, "track");

	memset(out, 0, sizeof(*out));
	if (track && decode_trackers(track, out, err))
		return -1;
	return decode_sync_groups(top, out, err);
}

void md_script_global_defaults(struct script_global_cfg *s)
{
	memset(s, 0, sizeof(*s));
	s->script_security = true;
	s->notify_timeout_s = 30;
}

int md_decode_script_global(const struct lyd_node *g,
			    struct script_global_cfg *out,
			    struct model_error *err)
{
	unsigned long v;

	md_script_global_defaults(out);
	if (md_get_str(g, "notify-fifo", out->notify_fifo,
		       sizeof(out->notify_fifo), false, err) ||
	    md_get_str(g, "script-user", out->script_user,
		       sizeof(out->script_user), false, err) ||
	    md_get_str(g, "script-group", out->script_group,
		       sizeof(out->script_group), false, err) ||
	    md_get_bool(g, "enable-script-security", &out->script_security,
			err))
		return -1;
	if (out->notify_fifo[0] && out->notify_fifo[0] != '/')
		return md_fail(err, g, "notify-fifo", "not an absolute path");
	if (md_get_uint(g, "notify-timeout", 1, 3600, &v, err))
		return -1;
	out->notify_timeout_s = (unsigned)v;
	return 0;
}

/* Every followed tracker exists (libyang's leafrefs guarantee it for a
 * validated tree; a hand-built tree gets the same answer here). */
static int check_follow(const struct tracking_cfg *t,
			const struct follow_cfg *f, const char *owner,
			struct model_error *err)
{
	for (size_t i = 0; i < f->n_track; i++) {
		const struct track_ref_cfg *r = &f->track[i];

		if (!tracking_find(t, r->type, r->name))
			return md_fail(err, NULL, NULL,
				       "%s follows unknown %s tracker %s",
				       owner, track_type_name(r->type), r->name);
	}
	return 0;
}

int md_check_tracking_refs(const struct vrrpd_config *c,
			   struct model_error *err)
{
	const struct tracking_cfg *t = &c->tracking;

	for (size_t i = 0; i < c->n_instances; i++) {
		if (check_follow(t, &c->instances[i].follow,
				 c->instances[i].name, err))
			return -1;
	}
	for (size_t g = 0; g < t->n_sync_groups; g++) {
		const struct sync_group_cfg *sg = &t->sync_groups[g];

		if (check_follow(t, &sg->follow, sg->name, err))
			return -1;
		for (size_t m = 0; m < sg->n_members; m++) {
			if (!vrrpd_config_find(c, sg->members[m]))
				return md_fail(err, NULL, NULL,
					       "sync group %s: no instance %s",
					       sg->name, sg->members[m]);
			if (tracking_sync_group_of(t, sg->members[m]) != sg)
				return md_fail(err, NULL, NULL,
					       "instance %s is in two sync groups",
					       sg->members[m]);
		}
	}
	return 0;
}
