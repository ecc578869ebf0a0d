/* Configuration mode of the shell: `configure` opens a private candidate
 * in the daemon (candidate.open); set/create/delete then edit it
 * (candidate.edit) instead of running, and show compare / show candidate
 * / commit [check|confirmed] / confirm / rollback / discard / exit work on
 * it. The candidate lives as long as the connection (vrrpd-rpc(7)). */
#ifndef VRRPCTL_CONFIGMODE_H
#define VRRPCTL_CONFIGMODE_H

#include <stdbool.h>

#include "client.h"
#include "commands.h"

enum { EXIT_REFUSED = 1, EXIT_USAGE = 2, EXIT_UNREACHABLE = 3 };

struct cfgmode {
	unsigned id;         /* the candidate; 0: not in configuration mode */
	bool json;           /* --json: print results as JSON */
	bool interactive;    /* may ask questions on the terminal */
	bool leave;          /* set when exit left the program */
};

/* Run p if it belongs to configuration mode (the mode's commands, and
 * set/create/delete/exit while in it). Returns -1 when p is not ours,
 * else the exit status. */
int cfgmode_run(struct cfgmode *m, struct ctl_conn *conn,
		const struct cli_parsed *p);

/* "commit confirmed" argument: N minutes or Ns seconds; -1 if bad. */
long cfgmode_confirm_seconds(const char *arg);

#endif
