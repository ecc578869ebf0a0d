/* The trackers of a configuration and who follows them.
 *
 * One struct tracker per named tracker that at least one instance follows
 * (directly or through its sync group): a script followed by 1000
 * instances is one tracker, run once per interval, whose status change
 * lists the 1000 instances affected. Each instance has its links: the
 * trackers it follows with the weight that applies to it (the follower's
 * override, else the tracker's), and what it is (address owner, sync
 * group member): track_prio.h says which weights then do not apply;
 * track_set_build() logs each such link once, as keepalived does.
 *
 * Instances are named by their index in the vrrpd_config the set was
 * built from; the set points into that configuration, which must outlive
 * it. Pure: the clock is passed in. */
#ifndef VRRPD_TRACK_SET_H
#define VRRPD_TRACK_SET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "track_prio.h"
#include "tracker.h"

struct track_link {
	struct tracker *t;
	int weight;
	bool weighted;
	bool reverse;
	bool own;                /* false: through the sync group */
};

struct track_instance {
	size_t n_links;
	struct track_link *links;
	struct track_follower follower;
	size_t n_ignored;        /* links track_weight_use() dropped */
};

struct track_set {
	const struct vrrpd_config *cfg;
	size_t n_trackers;
	struct tracker *trackers;
	size_t n_instances;      /* == cfg->n_instances */
	struct track_instance *instances;
};

/* Build from c (trackers nobody follows are left out). Returns 0, or -1
 * with err filled (out of memory, or a followed tracker missing from a
 * configuration that did not come through the model). */
int track_set_build(struct track_set *s, const struct vrrpd_config *c,
		    uint64_t now_us, char *err, size_t errlen);
void track_set_free(struct track_set *s);

/* After a reload: every tracker of s whose configuration is equal to one
 * in old keeps its state (status, streak, counters, next run), so an
 * unrelated change never resets a check. A tracker whose script is
 * running in old stays marked running: the caller re-points the
 * completion of that run at the new tracker (track_set_find). */
void track_set_carry(struct track_set *s, const struct track_set *old);

struct tracker *track_set_find(const struct track_set *s, enum track_type type,
			       const char *name);

/* The instances (indices) whose priority or fault status depends on t. */
const size_t *tracker_affected(const struct tracker *t, size_t *n);

/* What one link of an instance feeds the priority arithmetic now. */
void track_link_input(const struct track_link *l, struct track_input *in);

/* The effective priority of instance i from its current links. */
void track_set_priority(const struct track_set *s, size_t i,
			struct track_prio *out);

/* Earliest next_run_us among scripts, running or not (a start that comes
 * while the script still runs is skipped: tracker_script_skip()), so
 * a script slower than its interval runs every other interval, as in
 * keepalived, not back to back. UINT64_MAX if there is no script. */
uint64_t track_set_next_script_us(const struct track_set *s);

#endif
