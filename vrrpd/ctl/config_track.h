/* Trackers, notify scripts and sync groups as plain C data, decoded from
 * the vrrpd-tracking part of the YANG model (yang/vrrpd-tracking.yang) by
 * model_decode_track.c. Included by config.h; the daemon reads only this. */
#ifndef VRRPD_CONFIG_TRACK_H
#define VRRPD_CONFIG_TRACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TRACK_NAME_MAX 64    /* tracker-name: 1..63 characters */
#define ACCOUNT_NAME_MAX 33  /* account-name: 1..32 characters */
#define TRACK_PATH_MAX 4096  /* paths and command elements: 1..4095 */

/* How to run a program: argv without a shell, or one /bin/sh -c line. */
struct script_cmd_cfg {
	char **argv;             /* argc strings + NULL; NULL when absent */
	size_t argc;             /* 0: no program configured */
	bool shell;
	char user[ACCOUNT_NAME_MAX];  /* "": the global script-user */
	char group[ACCOUNT_NAME_MAX]; /* "": the user's primary group */
};

enum track_type {
	TRACK_SCRIPT = 0,
	TRACK_INTERFACE,
	TRACK_FILE,
	TRACK_PROCESS,
	TRACK_TYPE_COUNT
};

enum track_init { TRACK_INIT_OK = 0, TRACK_INIT_FAILED };

/* A named tracker (/vrrpd/track/{script,interface,file,process}). The
 * fields of other types stay zero. */
struct tracker_cfg {
	enum track_type type;
	char name[TRACK_NAME_MAX];  /* for an interface: the interface name */
	bool has_weight;            /* false only for an unweighted interface */
	int weight;
	bool reverse;
	/* script */
	struct script_cmd_cfg cmd;
	uint32_t interval_ms;
	uint32_t timeout_ms;        /* the interval when not configured */
	uint16_t rise, fall;
	enum track_init init;
	/* file */
	char *path;
	/* process */
	char *process_name;
	bool match_args;            /* arguments configured (maybe none) */
	size_t n_args;
	char **args;
	uint16_t quorum;
	uint16_t quorum_max;        /* UINT16_MAX when not configured */
};

/* One tracker followed by an instance or a sync group, with the
 * follower's own weight and direction when it set them. */
struct track_ref_cfg {
	enum track_type type;
	char name[TRACK_NAME_MAX];
	bool has_weight;
	int weight;
	bool has_reverse;
	bool reverse;
};

enum notify_event {
	NOTIFY_MASTER = 0,
	NOTIFY_BACKUP,
	NOTIFY_FAULT,
	NOTIFY_STOP,
	NOTIFY_ANY,              /* keepalived's generic 'notify' */
	NOTIFY_EVENT_COUNT
};

struct notify_cfg {
	struct script_cmd_cfg script[NOTIFY_EVENT_COUNT]; /* argc 0: none */
	bool priority_changes;
};

/* What an instance or a sync group follows and runs. */
struct follow_cfg {
	size_t n_track;
	struct track_ref_cfg *track;
	struct notify_cfg notify;
};

struct sync_group_cfg {
	char name[TRACK_NAME_MAX];
	size_t n_members;
	char (*members)[TRACK_NAME_MAX]; /* instance names */
	bool tracking_weight;    /* keepalived sync_group_tracking_weight */
	struct follow_cfg follow;
};

/* Daemon-wide script settings (/vrrpd/global). */
struct script_global_cfg {
	char notify_fifo[TRACK_PATH_MAX]; /* "": none */
	char script_user[ACCOUNT_NAME_MAX];
	char script_group[ACCOUNT_NAME_MAX];
	bool script_security;    /* default true */
	unsigned notify_timeout_s;
};

/* The whole tracking part of a configuration. */
struct tracking_cfg {
	size_t n_trackers;
	struct tracker_cfg *trackers;
	size_t n_sync_groups;
	struct sync_group_cfg *sync_groups;
};

void script_cmd_cfg_free(struct script_cmd_cfg *c);
void follow_cfg_free(struct follow_cfg *f);
/* Deep copy; 0 or -1 (out of memory, dst left empty). */
int follow_cfg_copy(struct follow_cfg *dst, const struct follow_cfg *src);
void tracking_cfg_free(struct tracking_cfg *t);

bool script_cmd_cfg_equal(const struct script_cmd_cfg *a,
			  const struct script_cmd_cfg *b);
bool tracker_cfg_equal(const struct tracker_cfg *a,
		       const struct tracker_cfg *b);
bool follow_cfg_equal(const struct follow_cfg *a, const struct follow_cfg *b);
bool sync_group_cfg_equal(const struct sync_group_cfg *a,
			  const struct sync_group_cfg *b);

const struct tracker_cfg *tracking_find(const struct tracking_cfg *t,
					enum track_type type,
					const char *name);
/* The sync group an instance belongs to, or NULL. */
const struct sync_group_cfg *tracking_sync_group_of(const struct tracking_cfg *t,
						    const char *instance);

const char *track_type_name(enum track_type t);  /* "script", ... */
const char *notify_event_name(enum notify_event e); /* "master", ... */

#endif
