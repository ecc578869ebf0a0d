/* One tracker's state machine: pure, the clock is passed in, no I/O.
 * The runner (track_runner.c) feeds it script exit statuses; the engine
 * feeds it link changes, file contents and process counts. Each update
 * returns true when the tracker's status (OK / failed) or, for a file,
 * its value changed: then every follower's priority must be recomputed
 * (track_set.h lists them).
 *
 * keepalived's meaning throughout (keepalived.conf(5), 2.2.7): a script
 * needs `fall` consecutive failures to go from OK to failed and `rise`
 * consecutive successes to come back; a run that outlives its timeout is
 * a failure. */
#ifndef VRRPD_TRACKER_H
#define VRRPD_TRACKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config_track.h"

enum script_result {
	SCRIPT_SUCCESS = 0,   /* exit status 0 */
	SCRIPT_FAILURE,       /* any other exit status, or killed by a signal */
	SCRIPT_TIMEOUT,       /* killed at its timeout: a failure */
	SCRIPT_REFUSED,       /* not run: missing, not executable, insecure */
};

struct tracker {
	const struct tracker_cfg *cfg;  /* in the running configuration */
	bool ok;                        /* current status */
	bool known;                     /* false until the first report */
	uint64_t changed_us;            /* when ok last changed (0: never) */
	/* script */
	uint32_t streak;                /* consecutive results against ok */
	enum script_result last_result;
	bool has_result;
	bool running;
	uint64_t started_us;
	uint64_t next_run_us;           /* next start; running: skip it */
	uint64_t runs, failures, timeouts, refusals, skipped;
	/* file: the integer read (valid only while ok is from a good read) */
	long value;
	bool readable;
	/* process */
	unsigned count;
	/* followers: indices of instances in the configuration */
	size_t n_affected;
	size_t *affected;
};

/* Fresh state from cfg (which must outlive the tracker). A script starts
 * in its init-state and is due at once; an interface, file or process is
 * failed until its first report (the engine reports at start-up). */
void tracker_init(struct tracker *t, const struct tracker_cfg *cfg,
		  uint64_t now_us);

/* Script scheduling: due when not running and next_run_us has come. A
 * start arms the next one an interval later (keepalived counts the
 * interval from start to start); a start that comes while the previous
 * run still goes is skipped, never overlapped. */
bool tracker_script_due(const struct tracker *t, uint64_t now_us);
void tracker_script_started(struct tracker *t, uint64_t now_us);
/* The start time came while the previous run still goes. */
void tracker_script_skip(struct tracker *t, uint64_t now_us);
bool tracker_script_result(struct tracker *t, enum script_result r,
			   uint64_t now_us);

bool tracker_interface_update(struct tracker *t, bool up, uint64_t now_us);
/* readable false: the file is missing, unreadable or holds no integer. */
bool tracker_file_update(struct tracker *t, bool readable, long value,
			 uint64_t now_us);
bool tracker_process_update(struct tracker *t, unsigned count,
			    uint64_t now_us);

/* keepalived's track_file contents: optional white space, an optional
 * sign and decimal digits, then white space or the end. Anything else is
 * -1 (not an integer); 0 on success with *value set (saturated to
 * +-1000000, far beyond any weight range). */
int tracker_file_parse(const char *buf, size_t len, long *value);

const char *script_result_name(enum script_result r);

#endif
