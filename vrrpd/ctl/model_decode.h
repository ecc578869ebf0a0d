/* Leaf readers shared by the decoders of the vrrpd data tree
 * (model_decode.c for instances and globals, model_decode_track.c for
 * trackers, notify scripts and sync groups). Internal to vrrpd/ctl. */
#ifndef VRRPD_MODEL_DECODE_H
#define VRRPD_MODEL_DECODE_H

#include <stdbool.h>
#include <stddef.h>

#include "model.h"

struct lyd_node;

/* The canonical value of a leaf child, else its schema default, else NULL. */
const char *md_leaf_value(const struct lyd_node *parent, const char *name);
const struct lyd_node *md_child_node(const struct lyd_node *parent,
				     const char *name);
/* Fill err with the data path of parent/name and a reason; returns -1. */
int md_fail(struct model_error *err, const struct lyd_node *parent,
	    const char *name, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
int md_get_uint(const struct lyd_node *parent, const char *name,
		unsigned long min, unsigned long max, unsigned long *out,
		struct model_error *err);
int md_get_bool(const struct lyd_node *parent, const char *name, bool *out,
		struct model_error *err);
int md_get_str(const struct lyd_node *parent, const char *name, char *dst,
	       size_t len, bool required, struct model_error *err);

/* model_decode_track.c */
void md_script_global_defaults(struct script_global_cfg *s);
int md_decode_script_global(const struct lyd_node *global,
			    struct script_global_cfg *out,
			    struct model_error *err);
/* The follow grouping (track + notify) of an instance or sync group. */
int md_decode_follow(const struct lyd_node *parent, struct follow_cfg *out,
		     struct model_error *err);
/* /vrrpd/track and /vrrpd/sync-group. */
int md_decode_tracking(const struct lyd_node *top, struct tracking_cfg *out,
		       struct model_error *err);
/* After instances are decoded: every followed tracker and every sync
 * group member exists, no instance is in two groups. */
int md_check_tracking_refs(const struct vrrpd_config *c,
			   struct model_error *err);

#endif
