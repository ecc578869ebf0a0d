/* keepalived import: vrrp_sync_group blocks, onto the model's sync-group
 * list: `group { INSTANCE ... }`, the group's notify scripts and trackers,
 * sync_group_tracking_weight. Members are checked against the converted
 * instances once the whole file is read, with keepalived 2.2.7's answers:
 * an unknown member or one already in another group is ignored, a group
 * left without members is removed. */
#include <stdlib.h>
#include <string.h>

#include "keepalived_ir.h"

static int group_block(struct ka_ctx *cx, struct ka_sync *g,
		       const struct ka_stmt *s)
{
	if (!s->has_block || s->argc != 1) {
		ka_error(cx->r, s->file, s->line,
			 "keyword 'group': expected a '{' block of vrrp_instance names");
		return -1;
	}
	for (const struct ka_stmt *e = s->child; e; e = e->next) {
		/* keepalived also reads several names on one line */
		for (size_t i = 0; i < e->argc; i++) {
			char n[KA_NAME_MAX];
			if (e->has_block ||
			    ka_name_map(cx, e, "group", e->argv[i],
					KA_INSTANCE_NAME_EXTRA, true, n) < 0) {
				ka_error(cx->r, e->file, e->line,
					 "keyword 'group': expected vrrp_instance names, got '%s'",
					 e->argv[i]);
				return -1;
			}
			char (*v)[KA_TNAME_MAX] =
				realloc(g->members, (g->n_members + 1) * sizeof(*v));
			if (!v)
				return -1;
			g->members = v;
			memcpy(v[g->n_members++], n, KA_TNAME_MAX);
		}
	}
	return 0;
}

static int sync_stmt(struct ka_ctx *cx, struct ka_sync *g,
		     const struct ka_stmt *s)
{
	const char *kw = s->argv[0];
	int rc;
	if (!strcmp(kw, "group"))
		return group_block(cx, g, s);
	if (!strcmp(kw, "sync_group_tracking_weight"))
		return ka_flag(cx, s, &g->tracking_weight);
	if ((rc = ka_follow_stmt(cx, &g->fol, s)) != 1)
		return rc;
	if ((rc = ka_notify_stmt(cx, &g->nfy, s)) != 1)
		return rc;
	if (!strcmp(kw, "global_tracking")) {
		/* keepalived 2.2.7: deprecated synonym */
		ka_warn(cx->r, s->file, s->line,
			"'global_tracking' is deprecated, read as 'sync_group_tracking_weight' (as keepalived does)");
		return ka_flag(cx, s, &g->tracking_weight);
	}
	if (!strcmp(kw, "smtp_alert")) {
		ka_ignored(cx->r, s->file, s->line, "keyword 'smtp_alert' is outside VRRP");
		return 0;
	}
	if (!strcmp(kw, "track_bfd") || !strcmp(kw, "notify_deleted")) {
		ka_ignored(cx->r, s->file, s->line,
			   "'%s' is not supported by vrrpd yet", kw);
		return 0;
	}
	/* keepalived 2.2.7 logs "Unknown keyword" and goes on; the old
	 * sample syntax with member names straight in the block (no group
	 * block) ends up here. */
	ka_ignored(cx->r, s->file, s->line,
		   "keyword '%s' is not a vrrp_sync_group keyword (members go in a 'group { }' block)",
		   kw);
	return 0;
}

int ka_sync_group_parse(struct ka_ctx *cx, const struct ka_stmt *s)
{
	struct ka_tracking *t = &cx->cfg->trk;
	struct ka_sync g = {.file = s->file, .line = s->line};
	ka_notify_init(&g.nfy);
	if (ka_arg_count(cx, s, 1, 1, "a group name") < 0)
		return -1;
	if (!s->has_block) {
		ka_error(cx->r, s->file, s->line,
			 "keyword 'vrrp_sync_group': expected a '{' block after '%s'",
			 s->argv[1]);
		return -1;
	}
	int rc = ka_name_map(cx, s, "vrrp_sync_group", s->argv[1],
			     KA_TRACKER_NAME_EXTRA, false, g.name);
	for (size_t i = 0; rc == 0 && i < t->n_syncs; i++)
		if (!strcmp(t->syncs[i].name, g.name)) {
			ka_error(cx->r, s->file, s->line,
				 "keyword 'vrrp_sync_group': name '%s' already used at %s:%u",
				 g.name, t->syncs[i].file, t->syncs[i].line);
			rc = -1;
		}
	for (const struct ka_stmt *c = s->child; c && rc == 0; c = c->next)
		rc = sync_stmt(cx, &g, c);
	struct ka_sync *v = rc ? NULL : realloc(t->syncs, (t->n_syncs + 1) * sizeof(*v));
	if (!v) {
		free(g.members);
		ka_follows_free(&g.fol);
		ka_notify_free(&g.nfy);
		return -1;
	}
	t->syncs = v;
	v[t->n_syncs++] = g;
	return 0;
}

static bool member_taken(const struct ka_tracking *t, size_t upto,
			 const struct ka_sync *self, size_t self_upto,
			 const char *name, const char **where)
{
	for (size_t i = 0; i < upto; i++)
		for (size_t m = 0; m < t->syncs[i].n_members; m++)
			if (!strcmp(t->syncs[i].members[m], name)) {
				*where = t->syncs[i].name;
				return true;
			}
	for (size_t m = 0; m < self_upto; m++)
		if (!strcmp(self->members[m], name)) {
			*where = self->name;
			return true;
		}
	return false;
}

static bool instance_kept(const struct ka_config *c, const char *name)
{
	for (size_t i = 0; i < c->n_inst; i++)
		if (!strcmp(c->inst[i].name, name))
			return true;
	return false;
}

int ka_sync_groups_finish(struct ka_ctx *cx)
{
	struct ka_tracking *t = &cx->cfg->trk;
	size_t kept_groups = 0;
	for (size_t i = 0; i < t->n_syncs; i++) {
		struct ka_sync *g = &t->syncs[i];
		size_t kept = 0;
		const char *where;
		for (size_t m = 0; m < g->n_members; m++) {
			const char *n = g->members[m];
			if (!instance_kept(cx->cfg, n))
				ka_warn(cx->r, g->file, g->line,
					"vrrp_sync_group '%s': member '%s' is not a converted vrrp_instance; ignored, as keepalived does",
					g->name, n);
			else if (member_taken(t, kept_groups, g, kept, n, &where))
				ka_warn(cx->r, g->file, g->line,
					"vrrp_sync_group '%s': '%s' is already a member of '%s'; ignored, as keepalived does",
					g->name, n, where);
			else
				memmove(g->members[kept++], n, KA_TNAME_MAX);
		}
		g->n_members = kept;
		if (!kept) {
			ka_warn(cx->r, g->file, g->line,
				"vrrp_sync_group '%s': no members; the group is removed, as keepalived does",
				g->name);
			free(g->members);
			ka_follows_free(&g->fol);
			ka_notify_free(&g->nfy);
			continue;
		}
		if (kept == 1)
			ka_warn(cx->r, g->file, g->line,
				"vrrp_sync_group '%s' has only 1 member; kept, as keepalived does (probably not what you want)",
				g->name);
		ka_follows_resolve(cx, g->name, &g->fol);
		t->syncs[kept_groups++] = *g;
	}
	t->n_syncs = kept_groups;
	return 0;
}
