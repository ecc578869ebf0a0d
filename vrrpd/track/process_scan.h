/* Counting running processes for process trackers (keepalived
 * vrrp_track_process) by reading /proc: one pass over /proc serves every
 * process tracker. The daemon calls it on a timer; the counts go to
 * tracker_process_update(). */
#ifndef VRRPD_PROCESS_SCAN_H
#define VRRPD_PROCESS_SCAN_H

#include <stdbool.h>
#include <stddef.h>

#include "config_track.h"

/* Linux keeps 15 characters of a program name (TASK_COMM_LEN - 1). */
#define PROC_COMM_MAX 15

/* Does one process match? comm: its name (from /proc/PID/comm, without
 * the newline); cmdline: its NUL-separated command line of cmdlen
 * bytes. Without arguments configured the name is compared (the
 * configured name cut to 15 characters, as the kernel cuts it); with
 * arguments, the command line must be exactly process-name followed by
 * them. */
bool process_matches(const struct tracker_cfg *c, const char *comm,
		     const char *cmdline, size_t cmdlen);

/* Count the processes matching each of n trackers into counts[]. root is
 * "/proc" (another directory in tests). Returns 0, or -1 when root cannot
 * be read (counts untouched). Processes that vanish mid-scan are skipped. */
int process_scan(const struct tracker_cfg *const *cfgs, size_t n,
		 unsigned *counts, const char *root);

#endif
