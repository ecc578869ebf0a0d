/* Readline glue: Tab completion and the `?` key, both answered by
 * cli_candidates() from the command table, with live instance names asked
 * from the daemon (and from the candidate in configuration mode) and
 * interface names from /sys/class/net. */
#ifndef VRRPCTL_COMPLETE_H
#define VRRPCTL_COMPLETE_H

#include <stddef.h>

#include "client.h"
#include "commands.h"
#include "configmode.h"

/* Where instance names come from: the daemon behind conn (may be NULL:
 * none), and in configuration mode (cm->id set) its candidate too. */
struct complete_src {
	struct ctl_conn *conn;
	const struct cfgmode *cm;
};

/* The environment used for candidates (src must outlive it). */
void complete_env_init(struct cli_env *env, const struct complete_src *src);
/* Install the completion function and bind `?`; cm may be NULL. */
void complete_install(struct ctl_conn *conn, const struct cfgmode *cm);

size_t complete_ifnames(void *arg, char (*names)[64], size_t max);
size_t complete_instances(void *arg, char (*names)[64], size_t max);
/* Names of the running configuration's trackers of a type, sync groups. */
size_t complete_trackers(void *arg, const char *type, char (*names)[64], size_t max);
size_t complete_groups(void *arg, char (*names)[64], size_t max);

#endif
