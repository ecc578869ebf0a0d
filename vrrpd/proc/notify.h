/* What keepalived hands to notify scripts and writes to its notify FIFO,
 * built as pure data (keepalived.conf(5) and vrrp_notify.c, 2.2.7):
 *
 *  - notify_master / _backup / _fault / _stop run exactly as configured,
 *    with no arguments added;
 *  - the generic 'notify' runs with four more arguments:
 *      INSTANCE|GROUP  NAME  MASTER|BACKUP|FAULT|STOP  PRIORITY
 *    e.g. "INSTANCE" "VI_1" "MASTER" "100"; a group's priority is 0;
 *  - the FIFO gets one line per event, the name in double quotes:
 *      INSTANCE "VI_1" MASTER 100
 *      GROUP "G1" BACKUP 0
 *    plus, with priority-changes, INSTANCE "VI_1" MASTER_PRIORITY 90. */
#ifndef VRRPD_NOTIFY_H
#define VRRPD_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config_track.h"

enum notify_kind { NOTIFY_INSTANCE = 0, NOTIFY_GROUP };

enum notify_state {
	NOTIFY_ST_MASTER = 0,
	NOTIFY_ST_BACKUP,
	NOTIFY_ST_FAULT,
	NOTIFY_ST_STOP,
	/* FIFO only: */
	NOTIFY_ST_MASTER_RX_LOWER_PRI,
	NOTIFY_ST_MASTER_PRIORITY,
	NOTIFY_ST_BACKUP_PRIORITY,
};

const char *notify_kind_word(enum notify_kind k);     /* "INSTANCE" */
const char *notify_state_word(enum notify_state s);   /* "MASTER" */

/* The specific script of a state (NOTIFY_MASTER for NOTIFY_ST_MASTER...);
 * -1 for the FIFO-only events, which run no script. */
int notify_event_of_state(enum notify_state s);

/* The four generic arguments; the strings live in *a. */
struct notify_args {
	char prio[4];
	const char *v[4];
};
void notify_generic_args(struct notify_args *a, enum notify_kind k,
			 const char *name, enum notify_state s,
			 unsigned priority);

/* argv of the script for event ev of nc (the generic one gets the four
 * arguments), to be freed with script_argv_free(); NULL when nc has no
 * script for ev or out of memory (*configured tells which). */
char **notify_script_argv(const struct notify_cfg *nc, enum notify_event ev,
			  enum notify_kind k, const char *name,
			  enum notify_state s, unsigned priority,
			  bool *configured);

/* The FIFO line with its newline. Returns its length, or -1 if it does
 * not fit in len (nothing usable written). */
int notify_fifo_line(char *buf, size_t len, enum notify_kind k,
		     const char *name, enum notify_state s, unsigned priority);

#endif
