/* Readline glue: Tab completion and the `?` key, both answered by
 * cli_candidates() from the command table, with live instance names asked
 * from the daemon and interface names from /sys/class/net. */
#ifndef VRRPCTL_COMPLETE_H
#define VRRPCTL_COMPLETE_H

#include <stddef.h>

#include "client.h"
#include "commands.h"

/* The environment used for candidates; conn may be NULL (no instance
 * names). */
void complete_env_init(struct cli_env *env, struct ctl_conn *conn);
/* Install the completion function and bind `?`. */
void complete_install(struct ctl_conn *conn);

size_t complete_ifnames(void *arg, char (*names)[64], size_t max);
size_t complete_instances(void *arg, char (*names)[64], size_t max);
/* Names of the running configuration's trackers of a type, sync groups. */
size_t complete_trackers(void *arg, const char *type, char (*names)[64], size_t max);
size_t complete_groups(void *arg, char (*names)[64], size_t max);

#endif
