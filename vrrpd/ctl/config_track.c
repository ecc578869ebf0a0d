/* Helpers on the tracking part of the plain C configuration
 * (config_track.h): release, look-up, and the deep comparisons a reload
 * uses to keep trackers and sync groups whose configuration did not
 * change (a running check keeps its rise/fall count). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

_Static_assert(TRACK_NAME_MAX == VRRP_NAME_MAX,
	       "sync-group members hold instance names");

static void strv_free(char **v, size_t n)
{
	if (!v)
		return;
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void script_cmd_cfg_free(struct script_cmd_cfg *c)
{
	strv_free(c->argv, c->argc);
	c->argv = NULL;
	c->argc = 0;
}

void follow_cfg_free(struct follow_cfg *f)
{
	free(f->track);
	f->track = NULL;
	f->n_track = 0;
	for (int e = 0; e < NOTIFY_EVENT_COUNT; e++)
		script_cmd_cfg_free(&f->notify.script[e]);
}

static int script_cmd_cfg_copy(struct script_cmd_cfg *dst,
			       const struct script_cmd_cfg *src)
{
	*dst = *src;
	dst->argv = NULL;
	if (!src->argv)
		return 0;
	dst->argv = calloc(src->argc + 1, sizeof(*dst->argv));
	if (!dst->argv)
		return -1;
	for (size_t i = 0; i < src->argc; i++)
		if (!(dst->argv[i] = strdup(src->argv[i]))) {
			strv_free(dst->argv, i);
			dst->argv = NULL;
			return -1;
		}
	return 0;
}

int follow_cfg_copy(struct follow_cfg *dst, const struct follow_cfg *src)
{
	memset(dst, 0, sizeof(*dst));
	dst->notify.priority_changes = src->notify.priority_changes;
	if (src->n_track) {
		dst->track = calloc(src->n_track, sizeof(*dst->track));
		if (!dst->track)
			return -1;
		memcpy(dst->track, src->track, src->n_track * sizeof(*dst->track));
		dst->n_track = src->n_track;
	}
	for (int e = 0; e < NOTIFY_EVENT_COUNT; e++)
		if (script_cmd_cfg_copy(&dst->notify.script[e], &src->notify.script[e]) < 0) {
			follow_cfg_free(dst);
			return -1;
		}
	return 0;
}

static void tracker_cfg_free(struct tracker_cfg *t)
{
	script_cmd_cfg_free(&t->cmd);
	free(t->path);
	free(t->process_name);
	strv_free(t->args, t->n_args);
	t->path = t->process_name = NULL;
	t->args = NULL;
	t->n_args = 0;
}

void tracking_cfg_free(struct tracking_cfg *t)
{
	for (size_t i = 0; i < t->n_trackers; i++)
		tracker_cfg_free(&t->trackers[i]);
	free(t->trackers);
	for (size_t i = 0; i < t->n_sync_groups; i++) {
		free(t->sync_groups[i].members);
		follow_cfg_free(&t->sync_groups[i].follow);
	}
	free(t->sync_groups);
	memset(t, 0, sizeof(*t));
}

static bool str_eq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

static bool strv_eq(char *const *a, char *const *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!str_eq(a[i], b[i]))
			return false;
	}
	return true;
}

bool script_cmd_cfg_equal(const struct script_cmd_cfg *a,
			  const struct script_cmd_cfg *b)
{
	return a->argc == b->argc && strv_eq(a->argv, b->argv, a->argc) &&
	       a->shell == b->shell && strcmp(a->user, b->user) == 0 &&
	       strcmp(a->group, b->group) == 0;
}

/* Field by field like instance_cfg_equal(): padding and bytes after the
 * strings' terminators carry no meaning. */
bool tracker_cfg_equal(const struct tracker_cfg *a, const struct tracker_cfg *b)
{
	return a->type == b->type && strcmp(a->name, b->name) == 0 &&
	       a->has_weight == b->has_weight && a->weight == b->weight &&
	       a->reverse == b->reverse && script_cmd_cfg_equal(&a->cmd, &b->cmd) &&
	       a->interval_ms == b->interval_ms &&
	       a->timeout_ms == b->timeout_ms && a->rise == b->rise &&
	       a->fall == b->fall && a->init == b->init &&
	       str_eq(a->path, b->path) &&
	       str_eq(a->process_name, b->process_name) &&
	       a->match_args == b->match_args && a->n_args == b->n_args &&
	       strv_eq(a->args, b->args, a->n_args) && a->quorum == b->quorum &&
	       a->quorum_max == b->quorum_max;
}

static bool ref_equal(const struct track_ref_cfg *a,
		      const struct track_ref_cfg *b)
{
	return a->type == b->type && strcmp(a->name, b->name) == 0 &&
	       a->has_weight == b->has_weight && a->weight == b->weight &&
	       a->has_reverse == b->has_reverse && a->reverse == b->reverse;
}

bool follow_cfg_equal(const struct follow_cfg *a, const struct follow_cfg *b)
{
	if (a->n_track != b->n_track ||
	    a->notify.priority_changes != b->notify.priority_changes)
		return false;
	for (size_t i = 0; i < a->n_track; i++) {
		if (!ref_equal(&a->track[i], &b->track[i]))
			return false;
	}
	for (int e = 0; e < NOTIFY_EVENT_COUNT; e++) {
		if (!script_cmd_cfg_equal(&a->notify.script[e],
					  &b->notify.script[e]))
			return false;
	}
	return true;
}

bool sync_group_cfg_equal(const struct sync_group_cfg *a,
			  const struct sync_group_cfg *b)
{
	if (strcmp(a->name, b->name) || a->n_members != b->n_members ||
	    a->tracking_weight != b->tracking_weight)
		return false;
	for (size_t i = 0; i < a->n_members; i++) {
		if (strcmp(a->members[i], b->members[i]))
			return false;
	}
	return follow_cfg_equal(&a->follow, &b->follow);
}

const struct tracker_cfg *tracking_find(const struct tracking_cfg *t,
					enum track_type type, const char *name)
{
	for (size_t i = 0; t && name && i < t->n_trackers; i++) {
		if (t->trackers[i].type == type &&
		    strcmp(t->trackers[i].name, name) == 0)
			return &t->trackers[i];
	}
	return NULL;
}

const struct sync_group_cfg *tracking_sync_group_of(const struct tracking_cfg *t,
						    const char *instance)
{
	for (size_t g = 0; t && instance && g < t->n_sync_groups; g++) {
		const struct sync_group_cfg *sg = &t->sync_groups[g];

		for (size_t i = 0; i < sg->n_members; i++) {
			if (strcmp(sg->members[i], instance) == 0)
				return sg;
		}
	}
	return NULL;
}

const char *track_type_name(enum track_type t)
{
	static const char *const names[TRACK_TYPE_COUNT] = {
		[TRACK_SCRIPT] = "script",
		[TRACK_INTERFACE] = "interface",
		[TRACK_FILE] = "file",
		[TRACK_PROCESS] = "process",
	};

	return (unsigned)t < TRACK_TYPE_COUNT ? names[t] : "?";
}

/* The YANG enum names of /notify/script/event. */
const char *notify_event_name(enum notify_event e)
{
	static const char *const names[NOTIFY_EVENT_COUNT] = {
		[NOTIFY_MASTER] = "master",
		[NOTIFY_BACKUP] = "backup",
		[NOTIFY_FAULT] = "fault",
		[NOTIFY_STOP] = "stop",
		[NOTIFY_ANY] = "any",
	};

	return (unsigned)e < NOTIFY_EVENT_COUNT ? names[e] : "?";
}
