/* Checks made before a script is run, like keepalived's
 * enable_script_security (keepalived.conf(5), 2.2.7): a script that a
 * user other than root could modify would let that user run code as
 * whoever the script runs as (root by default), so it is refused.
 *
 * Refused means: a tracking script is not run and counts as failed (its
 * followers see a failure, exactly as keepalived marks such a script
 * failed rather than refusing the whole configuration: the rest of the
 * configuration keeps working, and fixing the file's mode fixes the
 * tracker without a reload); a notify script is not run. Either way one
 * log line says which file and why. */
#ifndef VRRPD_SCRIPT_SECURITY_H
#define VRRPD_SCRIPT_SECURITY_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "config_track.h"

/* The program is runnable: it exists, is a regular file, and uid (the
 * user it will run as) may execute it. With secure, also: the file and
 * every directory on its real path (symbolic links resolved) is owned
 * by root, not writable by group unless the group is root's, and not
 * writable by others (a directory with the sticky bit, like /tmp, may
 * be: nobody else can replace what root put in it). Returns 0, or -1
 * with the reason in why ("/etc/ka/chk.sh: writable by others"). */
int script_check(const char *path, uid_t uid, gid_t gid, bool secure,
		 char *why, size_t whylen);

/* script_check() on what a command runs: argv[0], or with shell
 * /bin/sh and the line's first word when it is an absolute path. */
int script_check_cmd(const struct script_cmd_cfg *cmd, uid_t uid, gid_t gid,
		     bool secure, char *why, size_t whylen);

/* Resolve user and group names (empty: root, and the user's primary
 * group). Returns 0, or -1 with the reason. */
int script_resolve_ids(const char *user, const char *group, uid_t *uid,
		       gid_t *gid, char *why, size_t whylen);

/* Who a command runs as (names for script_resolve_ids): its own user,
 * with that user's primary group unless it names a group; else the
 * global script-user and script-group. */
void script_cmd_account(const struct script_cmd_cfg *cmd,
			const struct script_global_cfg *g, const char **user,
			const char **group);

/* The argv to execute for a command: its own argv, or
 * {"/bin/sh", "-c", line} with shell; extra (n_extra strings, may be 0)
 * are appended: keepalived's generic notify arguments. With shell they
 * are handed over as positional parameters, never pasted into the line:
 * {"/bin/sh", "-c", "LINE \"$@\"", "sh", EXTRA...}, so a name or state
 * is never parsed by the shell. Everything is copied; free with
 * script_argv_free(). NULL when out of memory. */
char **script_argv(const struct script_cmd_cfg *cmd, const char *const *extra,
		   size_t n_extra);
void script_argv_free(char **argv);

#endif
