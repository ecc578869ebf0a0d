/* Sending notifications of state changes: the notify scripts of an
 * instance or sync group (through the spawner, never waiting for them)
 * and the line on the global notify FIFO. A subscriber of the engine's
 * state-change hook calls notifier_send() for every transition.
 *
 * The FIFO is opened read-write and non-blocking (created with mode 0600
 * when missing, like keepalived): opening never waits for a reader, and a
 * reader that stops reading costs dropped lines (counted, logged), never
 * a blocked daemon. */
#ifndef VRRPD_NOTIFIER_H
#define VRRPD_NOTIFIER_H

#include <stddef.h>
#include <stdint.h>

#include "config_track.h"
#include "notify.h"

struct spawner;
struct notifier;

struct notifier_stats {
	uint64_t scripts_started;
	uint64_t scripts_refused;   /* insecure, missing, not executable */
	uint64_t scripts_failed;    /* non-zero exit, signal or timeout */
	uint64_t fifo_lines;
	uint64_t fifo_dropped;      /* reader too slow or gone */
};

/* g must stay valid until the next notifier_reconfigure(). Returns NULL
 * with err filled when the FIFO cannot be opened or created. */
struct notifier *notifier_new(struct spawner *sp,
			      const struct script_global_cfg *g, char *err,
			      size_t errlen);
/* Scripts still running report to the notifier: free the spawner first
 * (spawner_free() kills them without callbacks). */
void notifier_free(struct notifier *n);
/* A new configuration: reopens the FIFO when its path changed. On error
 * the old settings stay and -1 is returned with err filled. */
int notifier_reconfigure(struct notifier *n, const struct script_global_cfg *g,
			 char *err, size_t errlen);

/* A transition of an instance (priority: its effective priority) or a
 * group: the state's own script, then the generic one (keepalived's
 * order), then the FIFO line. nc may be NULL (FIFO only). The scripts
 * are checked at once (a refusal is logged now) and started from the
 * loop, a few per turn, in order: a mass failover never holds the loop.
 * Returns the number of scripts queued. */
int notifier_send(struct notifier *n, const struct notify_cfg *nc,
		  enum notify_kind k, const char *name, enum notify_state s,
		  unsigned priority);
/* An effective priority change of an instance: a FIFO line
 * (MASTER_PRIORITY or BACKUP_PRIORITY) when nc->priority_changes. */
void notifier_priority(struct notifier *n, const struct notify_cfg *nc,
		       const char *name, bool master, unsigned priority);

/* Scripts queued and not started yet. */
size_t notifier_pending(const struct notifier *n);
const struct notifier_stats *notifier_stats(const struct notifier *n);

#endif
