/* What the keepalived importer understood of health tracking, notify
 * scripts and sync groups (vrrp_script, track_file, vrrp_track_process,
 * track_*, notify*, vrrp_sync_group), for the model's vrrpd-tracking
 * submodule. Internal to kaconf/; included by keepalived_ir.h. */
#ifndef VRRPD_KEEPALIVED_TRACK_H
#define VRRPD_KEEPALIVED_TRACK_H

#include <stdbool.h>
#include <stddef.h>

#define KA_TNAME_MAX 64     /* tracker-name: 1..63 characters */
#define KA_ACCOUNT_MAX 33   /* account-name: 1..32 characters */
#define KA_PATH_MAX 4095    /* the model's paths and command elements */

/* A program to run: argv split as keepalived splits it; shell (one
 * element, run with /bin/sh -c) only where keepalived uses a shell. */
struct ka_cmd {
	char **argv;
	size_t argc;                  /* 0: not set */
	bool shell;
	char user[KA_ACCOUNT_MAX];    /* empty: the global script-user */
	char group[KA_ACCOUNT_MAX];
};

enum ka_trk_kind { KA_TRK_SCRIPT, KA_TRK_INTERFACE, KA_TRK_FILE,
		   KA_TRK_PROCESS, KA_TRK_N };

/* One line of track_script / track_interface / track_file / track_process. */
struct ka_follow {
	char name[KA_TNAME_MAX];
	bool has_weight;
	int weight;
	int reverse;                  /* -1: not given */
	const char *file;
	unsigned line;
};

struct ka_follows {
	struct ka_follow *f[KA_TRK_N];
	size_t n[KA_TRK_N];
};

enum ka_event { KA_EV_MASTER, KA_EV_BACKUP, KA_EV_FAULT, KA_EV_STOP,
		KA_EV_ANY, KA_EV_N };

struct ka_notify {
	struct ka_cmd ev[KA_EV_N];
	int prio_changes;             /* -1: global default */
};

struct ka_script {
	char name[KA_TNAME_MAX];
	const char *file;
	unsigned line;
	struct ka_cmd cmd;
	unsigned interval_ms, timeout_ms; /* timeout 0: the interval */
	unsigned rise, fall;
	int weight;
	bool reverse, init_fail;
	bool disabled;                /* program not found: keepalived drops it */
};

struct ka_tfile {
	char name[KA_TNAME_MAX];
	const char *file;
	unsigned line;
	char *path;
	int weight;
	bool reverse;
};

struct ka_tproc {
	char name[KA_TNAME_MAX];
	const char *file;
	unsigned line;
	char **argv;                  /* process name, then its arguments */
	size_t argc;
	int weight;
	bool reverse;
	unsigned quorum;
	int quorum_max;               /* -1: no limit */
};

struct ka_sync {
	char name[KA_TNAME_MAX];
	const char *file;
	unsigned line;
	char (*members)[KA_TNAME_MAX];
	size_t n_members;
	bool tracking_weight;
	struct ka_follows fol;
	struct ka_notify nfy;
};

/* Global script settings (global_defs). */
struct ka_script_global {
	char *notify_fifo, *vrrp_notify_fifo;
	char user[KA_ACCOUNT_MAX], group[KA_ACCOUNT_MAX];
	bool security;                /* enable_script_security */
	bool prio_changes;            /* vrrp_notify_priority_changes */
	const char *first_file;       /* the first script command read */
	unsigned first_line;
};

struct ka_tracking {
	struct ka_script *scripts;
	size_t n_scripts;
	struct ka_tfile *files;
	size_t n_files;
	struct ka_tproc *procs;
	size_t n_procs;
	struct ka_sync *syncs;
	size_t n_syncs;
};

#endif
