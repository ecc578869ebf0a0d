/* Trackers of a configuration and their followers (track_set.h). */
#include "track_set.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errbuf.h"
#include "log.h"

/* The follow lists that apply to instance i: its own, then its group's. */
static void follows_of(const struct vrrpd_config *c, size_t i,
		       const struct follow_cfg **own,
		       const struct sync_group_cfg **group)
{
	*own = &c->instances[i].follow;
	*group = tracking_sync_group_of(&c->tracking, c->instances[i].name);
}

static size_t tracker_index(const struct vrrpd_config *c,
			    const struct tracker_cfg *tc)
{
	return (size_t)(tc - c->tracking.trackers);
}

static bool group_has_owner(const struct vrrpd_config *c,
			    const struct sync_group_cfg *g)
{
	for (size_t m = 0; g && m < g->n_members; m++) {
		const struct instance_cfg *ic = vrrpd_config_find(c, g->members[m]);

		if (ic && ic->priority == TRACK_PRIO_OWNER)
			return true;
	}
	return false;
}

static struct track_follower follower_of(const struct vrrpd_config *c,
					 size_t i)
{
	const struct sync_group_cfg *g =
		tracking_sync_group_of(&c->tracking, c->instances[i].name);

	return (struct track_follower){
		.configured = c->instances[i].priority,
		.sync_no_weight = g && !g->tracking_weight,
		.group_has_owner = group_has_owner(c, g),
	};
}

/* The weight that applies to one follower: its override, else the
 * tracker's. */
static void link_from_ref(struct track_link *l, const struct tracker_cfg *tc,
			  const struct track_ref_cfg *r, bool own)
{
	l->t = NULL;
	l->own = own;
	l->weighted = r->has_weight || tc->has_weight;
	l->weight = r->has_weight ? r->weight : tc->weight;
	l->reverse = r->has_reverse ? r->reverse : tc->reverse;
}

static enum track_weight_use link_use(const struct track_link *l,
				      const struct tracker_cfg *tc,
				      const struct track_follower *f)
{
	struct track_input in = { .type = tc->type, .weight = l->weight,
				  .weighted = l->weighted, .own = l->own };

	return track_weight_use(&in, f);
}

/* Mark every tracker that instance i really follows in used[] (indexed
 * like cfg trackers): a link track_weight_use() drops does not count, as
 * keepalived does not run a script only such links name. */
static int mark_used(const struct vrrpd_config *c, size_t i,
		     const struct follow_cfg *f, bool own, const char *owner,
		     bool *used, char *err, size_t errlen)
{
	struct track_follower fl = follower_of(c, i);

	for (size_t k = 0; k < f->n_track; k++) {
		const struct track_ref_cfg *r = &f->track[k];
		const struct tracker_cfg *tc =
			tracking_find(&c->tracking, r->type, r->name);
		struct track_link l;

		if (!tc)
			return errbuf_set(err, errlen,
				       "%s follows unknown %s tracker %s", owner,
				       track_type_name(r->type), r->name);
		link_from_ref(&l, tc, r, own);
		if (link_use(&l, tc, &fl) != TRACK_WEIGHT_IGNORED)
			used[tracker_index(c, tc)] = true;
	}
	return 0;
}

static struct tracker *find_by_cfg(const struct track_set *s,
				   const struct tracker_cfg *tc)
{
	for (size_t k = 0; k < s->n_trackers; k++) {
		if (s->trackers[k].cfg == tc)
			return &s->trackers[k];
	}
	return NULL;
}

static int add_affected(struct tracker *t, size_t i)
{
	size_t *a;

	/* Links are added instance by instance: a repeat is the last one. */
	if (t->n_affected && t->affected[t->n_affected - 1] == i)
		return 0;
	a = realloc(t->affected, (t->n_affected + 1) * sizeof(*a));
	if (!a)
		return -1;
	a[t->n_affected++] = i;
	t->affected = a;
	return 0;
}

/* keepalived logs "(VI_1) ignoring tracked script chk with weights due
 * to SYNC group" at load; so do we, once per link. */
static void log_weight_use(const struct track_set *s, size_t i,
			   const struct track_link *l,
			   const struct tracker_cfg *tc,
			   enum track_weight_use use)
{
	struct track_input in = { .type = tc->type, .own = l->own };

	if (use == TRACK_WEIGHT_APPLY)
		return;
	log_info("%s: tracked %s %s %s: weight %d %s",
		 s->cfg->instances[i].name, track_type_name(tc->type), tc->name,
		 use == TRACK_WEIGHT_IGNORED ? "not followed" : "counts as weight 0",
		 l->weight,
		 track_weight_use_why(&in, &s->instances[i].follower));
}

static int add_links(struct track_set *s, size_t i, const struct follow_cfg *f,
		     bool own)
{
	struct track_instance *ti = &s->instances[i];

	for (size_t k = 0; k < f->n_track; k++) {
		const struct track_ref_cfg *r = &f->track[k];
		const struct tracker_cfg *tc =
			tracking_find(&s->cfg->tracking, r->type, r->name);
		struct track_link *l = &ti->links[ti->n_links];
		enum track_weight_use use;

		link_from_ref(l, tc, r, own);
		use = link_use(l, tc, &ti->follower);
		log_weight_use(s, i, l, tc, use);
		if (use == TRACK_WEIGHT_IGNORED) {
			ti->n_ignored++;
			continue;
		}
		l->t = find_by_cfg(s, tc);
		ti->n_links++;
		if (add_affected(l->t, i))
			return -1;
	}
	return 0;
}

/* A hundred scripts due at the same instant would start back to back
 * and hold the loop for all their process starts at once: the j-th of n
 * scripts first runs j/n of its interval from now, so starts are spread
 * evenly (and every script still runs within its first interval). */
static void spread_first_runs(struct track_set *s, uint64_t now_us)
{
	size_t n = 0, j = 0;

	for (size_t k = 0; k < s->n_trackers; k++)
		n += s->trackers[k].cfg->type == TRACK_SCRIPT;
	for (size_t k = 0; k < s->n_trackers; k++) {
		struct tracker *t = &s->trackers[k];

		if (t->cfg->type != TRACK_SCRIPT)
			continue;
		t->next_run_us = now_us + (uint64_t)t->cfg->interval_ms * 1000u *
						  j++ / n;
	}
}

static int build_trackers(struct track_set *s, const struct vrrpd_config *c,
			  uint64_t now_us, char *err, size_t errlen)
{
	size_t nt = c->tracking.n_trackers;
	bool *used = calloc(nt ? nt : 1, sizeof(*used));
	int rc = -1;

	if (!used)
		return errbuf_set(err, errlen, "out of memory");
	for (size_t i = 0; i < c->n_instances; i++) {
		const struct follow_cfg *own;
		const struct sync_group_cfg *g;

		follows_of(c, i, &own, &g);
		if (mark_used(c, i, own, true, c->instances[i].name, used, err,
			      errlen) ||
		    (g && mark_used(c, i, &g->follow, false, g->name, used, err,
				    errlen)))
			goto out;
	}
	s->trackers = calloc(nt ? nt : 1, sizeof(*s->trackers));
	if (!s->trackers) {
		errbuf_set(err, errlen, "out of memory");
		goto out;
	}
	for (size_t k = 0; k < nt; k++) {
		if (used[k])
			tracker_init(&s->trackers[s->n_trackers++],
				     &c->tracking.trackers[k], now_us);
	}
	spread_first_runs(s, now_us);
	rc = 0;
out:
	free(used);
	return rc;
}

int track_set_build(struct track_set *s, const struct vrrpd_config *c,
		    uint64_t now_us, char *err, size_t errlen)
{
	memset(s, 0, sizeof(*s));
	s->cfg = c;
	if (build_trackers(s, c, now_us, err, errlen))
		goto fail;
	s->n_instances = c->n_instances;
	s->instances = calloc(c->n_instances ? c->n_instances : 1,
			      sizeof(*s->instances));
	if (!s->instances)
		goto oom;
	for (size_t i = 0; i < c->n_instances; i++) {
		const struct follow_cfg *own;
		const struct sync_group_cfg *g;
		struct track_instance *ti = &s->instances[i];
		size_t n;

		follows_of(c, i, &own, &g);
		n = own->n_track + (g ? g->follow.n_track : 0);
		ti->follower = follower_of(c, i);
		if (n == 0)
			continue;
		ti->links = calloc(n, sizeof(*ti->links));
		if (!ti->links || add_links(s, i, own, true) ||
		    (g && add_links(s, i, &g->follow, false)))
			goto oom;
	}
	return 0;
oom:
	errbuf_set(err, errlen, "out of memory");
fail:
	track_set_free(s);
	return -1;
}

void track_set_free(struct track_set *s)
{
	for (size_t k = 0; k < s->n_trackers; k++)
		free(s->trackers[k].affected);
	free(s->trackers);
	for (size_t i = 0; i < s->n_instances; i++)
		free(s->instances[i].links);
	free(s->instances);
	memset(s, 0, sizeof(*s));
}

void track_set_carry(struct track_set *s, const struct track_set *old)
{
	for (size_t k = 0; k < s->n_trackers; k++) {
		struct tracker *t = &s->trackers[k];
		const struct tracker *o =
			track_set_find(old, t->cfg->type, t->cfg->name);
		size_t *aff = t->affected, n_aff = t->n_affected;
		const struct tracker_cfg *cfg = t->cfg;

		if (!o || !tracker_cfg_equal(o->cfg, t->cfg))
			continue;
		*t = *o;
		t->cfg = cfg;
		t->affected = aff;
		t->n_affected = n_aff;
	}
}

struct tracker *track_set_find(const struct track_set *s, enum track_type type,
			       const char *name)
{
	for (size_t k = 0; s && name && k < s->n_trackers; k++) {
		struct tracker *t = &s->trackers[k];

		if (t->cfg->type == type && strcmp(t->cfg->name, name) == 0)
			return t;
	}
	return NULL;
}

const size_t *tracker_affected(const struct tracker *t, size_t *n)
{
	*n = t->n_affected;
	return t->affected;
}

void track_link_input(const struct track_link *l, struct track_input *in)
{
	*in = (struct track_input){
		.type = l->t->cfg->type,
		/* Nothing reported yet counts as failed. */
		.ok = l->t->known && l->t->ok,
		.value = l->t->value,
		.weight = l->weight,
		.weighted = l->weighted,
		.reverse = l->reverse,
		.own = l->own,
	};
}

void track_set_priority(const struct track_set *s, size_t i,
			struct track_prio *out)
{
	const struct track_instance *ti = &s->instances[i];

	track_prio_begin(out);
	for (size_t k = 0; k < ti->n_links; k++) {
		const struct track_link *l = &ti->links[k];
		struct track_input in;

		track_link_input(l, &in);
		track_prio_add(out, &ti->follower, &in);
	}
	track_prio_end(out, &ti->follower);
}

uint64_t track_set_next_script_us(const struct track_set *s)
{
	uint64_t next = UINT64_MAX;

	for (size_t k = 0; k < s->n_trackers; k++) {
		const struct tracker *t = &s->trackers[k];

		if (t->cfg->type == TRACK_SCRIPT && t->next_run_us < next)
			next = t->next_run_us;
	}
	return next;
}
