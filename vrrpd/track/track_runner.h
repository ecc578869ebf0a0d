/* Running the script trackers of a track_set on the event loop: one loop
 * timer at the earliest due script, each due script started through the
 * spawner (once per interval however many instances follow it), its exit
 * status fed to tracker_script_result(), and a callback when a tracker's
 * status changes so the caller recomputes the priority of the instances
 * tracker_affected() lists.
 *
 * Users and groups are resolved when a set is taken (getpwnam() may ask
 * a directory server; the loop must not wait at every run). Before each
 * run the script is checked (script_security.h); a refused script (an
 * unknown user, a missing, non-executable or insecure file) is not run
 * and counts as a failure, logged once when it starts being refused.
 * Checking the file at every run, not at load, means fixing its mode
 * heals the tracker without a reload. */
#ifndef VRRPD_TRACK_RUNNER_H
#define VRRPD_TRACK_RUNNER_H

#include "config_track.h"
#include "track_set.h"

struct loop;
struct spawner;
struct track_runner;

/* Script starts per loop turn (see on_timer() in track_runner.c). */
#define TRACK_RUNNER_BURST 2

typedef void (*track_change_cb)(void *arg, struct tracker *t);

struct track_runner *track_runner_new(struct loop *l, struct spawner *sp,
				      track_change_cb cb, void *arg);
/* Follow set s (after a reload: the new set, already track_set_carry()'d
 * from the old one); s and g must stay valid until the next call or
 * track_runner_free(). A run still going for a tracker that survived the
 * reload reports to its new incarnation; others' results are dropped. */
void track_runner_set(struct track_runner *r, struct track_set *s,
		      const struct script_global_cfg *g);
/* Free the spawner first, or scripts still running report here. */
void track_runner_free(struct track_runner *r);

#endif
