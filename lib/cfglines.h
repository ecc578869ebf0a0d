/* The configuration as lines in the shell's grammar ("set instance VI_1
 * priority 100"), one item per line in a stable order, and the unified
 * diff of two such renderings. One pure unit shared by the daemon
 * (candidate.compare, config.get format "lines") and vrrpctl, so `show
 * running-config` and `show compare` always speak the same language.
 *
 * Order: global leaves first (by name), then instances by name, and inside
 * an instance the settings in the order of vrrpctl's option table (the YANG
 * schema order). A list the shell sets in one go (address, unicast-peer) is
 * one line, since `set` replaces the whole list. What the shell cannot
 * express (a VIP's device, per-peer TTL bounds, global settings) is
 * rendered as a '#' comment line: replaying the lines in the shell skips
 * them, the diff still shows them. */
#ifndef VRRP_CFGLINES_H
#define VRRP_CFGLINES_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

struct cfgl_line {
	char *text;
	int section;         /* 0 global, 1 instance */
	const char *inst;    /* instance name (points into text's owner json) */
	int kw;              /* index in the keyword table; unknown: after all */
	char *tie;           /* tie-break: member name or text of a comment */
};

struct cfgl {
	struct cfgl_line *v;
	size_t n, cap;
	json_object *hold;   /* keeps inst names alive */
};

/* Render an RFC 7951 configuration ({"vrrpd:vrrpd": {...}} or {}).
 * Returns 0, or -1 when out of memory (out freed). */
int cfgl_render(json_object *config, struct cfgl *out);
void cfgl_free(struct cfgl *l);

/* All lines, each ending in '\n' (malloc'd; NULL when out of memory). */
char *cfgl_text(const struct cfgl *l);

/* What turns a into b: "-line" for removed, "+line" for added lines, each
 * ending in '\n', grouped by instance in the rendering order; a changed
 * setting is its old line followed by its new one. *changes (may be NULL)
 * gets the number of +/- lines. "" when equal; NULL when out of memory. */
char *cfgl_diff(const struct cfgl *a, const struct cfgl *b, size_t *changes);

#endif
