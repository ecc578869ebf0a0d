/* The systemd service protocol: what vrrpd tells its service manager. */
#include "sdnotify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <systemd/sd-daemon.h>

#include "engine.h"
#include "log.h"
#include "loop.h"

/* STATUS= is recomputed at most this often: a start-up of 1000 instances
 * is 1000 transitions, and systemd needs one line, not 1000. */
#define STATUS_COALESCE_US 100000

struct sdnotify {
	struct loop *loop;
	struct engine *e;
	uint64_t watchdog_period_us;   /* 0: no watchdog asked for */
	struct loop_timer watchdog_t, status_t, ready_t;
	bool reload_rejected;
	char status[160];              /* last STATUS= sent */
};

static void notify(const char *msg)
{
	int r = sd_notify(0, msg);

	if (r < 0)
		log_debug("sd_notify(%s): %s", msg, strerror(-r));
}

void sdnotify_status_line(const size_t counts[4], char *buf, size_t len)
{
	/* Most interesting first: how many are master is what an operator
	 * reads `systemctl status` for. */
	static const struct { enum vrrp_state st; const char *name; } order[] = {
		{ VRRP_STATE_MASTER, "master" }, { VRRP_STATE_BACKUP, "backup" },
		{ VRRP_STATE_FAULT, "fault" }, { VRRP_STATE_INIT, "init" },
	};
	size_t total = 0, off;
	const char *sep = ": ";

	for (size_t i = 0; i < 4; i++)
		total += counts[i];
	off = (size_t)snprintf(buf, len, "%zu instance%s", total, total == 1 ? "" : "s");
	for (size_t i = 0; i < 4 && off < len; i++) {
		if (!counts[order[i].st])
			continue;
		off += (size_t)snprintf(buf + off, len - off, "%s%zu %s", sep,
					counts[order[i].st], order[i].name);
		sep = ", ";
	}
}

/* prefix (READY=1) goes in the same datagram: systemd then shows the new
 * status with the state change, never one without the other. */
static void send_status(struct sdnotify *s, const char *prefix)
{
	size_t counts[4] = { 0 };
	struct instance_status st;
	char line[sizeof(s->status)], msg[sizeof(line) + 64];
	size_t n = s->e ? engine_instance_count(s->e) : 0;

	for (size_t i = 0; i < n; i++)
		if (engine_instance_status_at(s->e, i, &st) == 0 && st.state < 4)
			counts[st.state]++;
	sdnotify_status_line(counts, line, sizeof(line));
	if (s->reload_rejected) {
		size_t l = strlen(line);
		snprintf(line + l, sizeof(line) - l, "; last reload rejected");
	}
	if (!prefix && strcmp(line, s->status) == 0)
		return;
	snprintf(s->status, sizeof(s->status), "%s", line);
	snprintf(msg, sizeof(msg), "%s%sSTATUS=%s", prefix ? prefix : "",
		 prefix ? "\n" : "", line);
	notify(msg);
}

static void status_expired(void *arg)
{
	send_status(arg, NULL);
}

static void on_state(void *arg, const struct instance_status *st, enum vrrp_state old)
{
	struct sdnotify *s = arg;

	(void)st;
	(void)old;
	if (!loop_timer_armed(&s->status_t))
		loop_timer_at(s->loop, &s->status_t, loop_now_us() + STATUS_COALESCE_US);
}

/* The ping is a loop timer, not a thread: if a handler stalls the loop,
 * pings stop and systemd restarts us (WatchdogSec=). Half the period
 * leaves a whole half for one late iteration, as sd_watchdog_enabled(3)
 * recommends. The status is refreshed here too, which also catches
 * instances removed by a commit (they report no transition). */
static void watchdog_expired(void *arg)
{
	struct sdnotify *s = arg;

	notify("WATCHDOG=1");
	send_status(s, NULL);
	loop_timer_at(s->loop, &s->watchdog_t, loop_now_us() + s->watchdog_period_us);
}

/* READY=1 means "vrrpd serves": the control socket listens and the startup
 * configuration is applied, so `systemctl start vrrpd && vrrpctl show`
 * works and units ordered After=vrrpd.service see every instance. It is
 * sent from the first loop iteration, not before loop_run(), so a client
 * that connects the moment READY arrives is answered by a running loop.
 * Not later (e.g. at the first MASTER): which state an instance reaches
 * depends on the peers, not on whether this service started. */
static void ready_expired(void *arg)
{
	struct sdnotify *s = arg;

	send_status(s, "READY=1");
}

struct sdnotify *sdnotify_new(struct loop *loop)
{
	const char *sock = getenv("NOTIFY_SOCKET");
	uint64_t usec = 0;

	if (!sock || !*sock)
		return NULL;
	struct sdnotify *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->loop = loop;
	loop_timer_init(&s->watchdog_t, watchdog_expired, s);
	loop_timer_init(&s->status_t, status_expired, s);
	loop_timer_init(&s->ready_t, ready_expired, s);
	/* unset_environment: the scripts we run must not believe they are
	 * the watched process. NOTIFY_SOCKET stays: sd_notify() reads it on
	 * every call, and systemd only accepts messages from our pid
	 * (NotifyAccess=main). */
	if (sd_watchdog_enabled(1, &usec) > 0 && usec > 0) {
		s->watchdog_period_us = usec / 2;
		loop_timer_at(loop, &s->watchdog_t, loop_now_us() + s->watchdog_period_us);
		log_info("systemd watchdog: pinging every %llu ms",
			 (unsigned long long)(s->watchdog_period_us / 1000));
	}
	return s;
}

int sdnotify_attach(struct sdnotify *s, struct engine *e)
{
	if (!s)
		return 0;
	s->e = e;
	return engine_subscribe(e, on_state, s);
}

void sdnotify_ready(struct sdnotify *s)
{
	if (s)
		loop_timer_at(s->loop, &s->ready_t, loop_now_us());
}

/* systemd >= 253 (Type=notify-reload) wants MONOTONIC_USEC= with
 * RELOADING=1 to tell this reload from an earlier one; 252 ignores it. */
void sdnotify_reloading(struct sdnotify *s)
{
	char msg[64];

	if (!s)
		return;
	snprintf(msg, sizeof(msg), "RELOADING=1\nMONOTONIC_USEC=%llu",
		 (unsigned long long)loop_now_us());
	notify(msg);
}

void sdnotify_reloaded(struct sdnotify *s, bool ok)
{
	if (!s)
		return;
	s->reload_rejected = !ok;
	send_status(s, "READY=1");
}

void sdnotify_stopping(struct sdnotify *s)
{
	if (s)
		notify("STOPPING=1\nSTATUS=stopping: releasing virtual addresses");
}

void sdnotify_free(struct sdnotify *s)
{
	if (!s)
		return;
	if (s->e)
		engine_unsubscribe(s->e, on_state, s);
	loop_timer_cancel(s->loop, &s->watchdog_t);
	loop_timer_cancel(s->loop, &s->status_t);
	loop_timer_cancel(s->loop, &s->ready_t);
	free(s);
}
