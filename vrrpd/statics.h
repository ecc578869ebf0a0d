/* Static addresses, routes and rules (container static; keepalived
 * static_ipaddress / static_routes / static_rules): installed when a
 * configuration is applied, whatever the VRRP state, removed at exit. */
#ifndef VRRPD_STATICS_H
#define VRRPD_STATICS_H

#include "config.h"

struct nlw;

/* Move the kernel from old's entries to nw's: the entries of old that nw
 * does not have are removed, the entries of nw that old does not have
 * are added, the ones both have are not touched (a reload never flaps
 * them). old NULL: add all of nw; nw NULL: remove all of old. Failures
 * are logged per entry and never stop the others. */
void statics_apply(struct nlw *n, const struct static_cfg *old,
		   const struct static_cfg *nw);

#endif
