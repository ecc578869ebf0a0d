/* Shared by cfglines.c (global settings, instances, the diff) and
 * cfglines_track.c (trackers, sync groups, follow lists). */
#ifndef VRRP_CFGLINES_INT_H
#define VRRP_CFGLINES_INT_H

#include "cfglines.h"

/* Sections, in the order a replay needs them: trackers exist before an
 * instance follows them, instances before a sync group names them. */
enum {
	CFGL_SEC_GLOBAL = 0,
	CFGL_SEC_TRACKER = 1,   /* + the type: script, interface, file, process */
	CFGL_SEC_INSTANCE = 5,
	CFGL_SEC_GROUP = 6,
};

struct cfgl_kw {
	const char *member;  /* JSON member below an instance, or the path from
			      * the top (track/script/interval) for the others */
	const char *kw;      /* the shell's option keyword */
	bool repeat;         /* a list given once per element */
};

/* A growing string. */
struct buf {
	char *s;
	size_t len, cap;
	bool oom;
};

void cfgl_put(struct buf *b, const char *s, size_t n);
void cfgl_puts(struct buf *b, const char *s);
void cfgl_put_word(struct buf *b, const char *s);
void cfgl_put_scalar(struct buf *b, json_object *v);
/* Takes b's text as a line with its sort key; -1 when out of memory. */
int cfgl_add_line(struct cfgl *l, struct buf *b, int section, const char *inst,
		  int kw, const char *tie);
int cfgl_kw_index(const char *member);
const struct cfgl_kw *cfgl_kw_at(size_t i);

/* cfglines_track.c: the lines of /vrrpd/track, /vrrpd/sync-group, and of
 * the track container of an instance or group ("instance", name). */
int cfgl_render_trackers(struct cfgl *l, json_object *top);
int cfgl_render_groups(struct cfgl *l, json_object *top);
int cfgl_render_follows(struct cfgl *l, int section, const char *what,
			const char *name, json_object *track);

#endif
