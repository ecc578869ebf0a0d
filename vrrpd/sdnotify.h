/* The systemd service protocol (sd_notify(3), systemd.service(5)
 * Type=notify): READY=1 once vrrpd serves, WATCHDOG=1 from the event loop,
 * RELOADING=1/READY=1 around a SIGHUP reload, STOPPING=1, and a STATUS=
 * line with the instance states. Without $NOTIFY_SOCKET sdnotify_new()
 * returns NULL and every other function does nothing with NULL. */
#ifndef VRRPD_SDNOTIFY_H
#define VRRPD_SDNOTIFY_H

#include <stdbool.h>
#include <stddef.h>

struct engine;
struct loop;
struct sdnotify;

/* Reads (and clears, so scripts we run don't inherit them) the watchdog
 * variables; arms the watchdog timer at half of WATCHDOG_USEC. */
struct sdnotify *sdnotify_new(struct loop *loop);
/* Follow the engine's state changes for STATUS=. */
int sdnotify_attach(struct sdnotify *s, struct engine *e);
/* READY=1 from the first loop iteration (see sdnotify.c for why then). */
void sdnotify_ready(struct sdnotify *s);
void sdnotify_reloading(struct sdnotify *s);
/* READY=1 after a reload; ok false notes in STATUS= that it was rejected. */
void sdnotify_reloaded(struct sdnotify *s, bool ok);
void sdnotify_stopping(struct sdnotify *s);
/* Unsubscribes from the engine: call before engine_free(). */
void sdnotify_free(struct sdnotify *s);

/* "3 instances: 2 master, 1 backup"; counts indexed by enum vrrp_state.
 * Pure, for the tests. */
void sdnotify_status_line(const size_t counts[4], char *buf, size_t len);

#endif
