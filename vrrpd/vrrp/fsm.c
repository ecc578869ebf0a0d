/* The VRRP state machine: one function per event of RFC 3768 section 6.4
 * (VRRPv2) and RFC 5798 section 6.4 (VRRPv3). Pure: the caller supplies the
 * time and performs the returned actions; see fsm.h for the contract. */
#include "fsm.h"

#include <string.h>

#define US_PER_S 1000000u
#define US_PER_CS 10000u

/* Timers use 0 as "not running", so a deadline is never 0 (a clock that
 * starts at 0 with a zero delay would otherwise stop the timer). */
static uint64_t deadline_us(uint64_t now_us, uint64_t delay_us)
{
	uint64_t t = now_us + delay_us;

	return t ? t : 1;
}

static uint64_t adver_interval_us(const struct vrrp_fsm *f)
{
	return (uint64_t)f->cfg.adv_interval_cs * US_PER_CS;
}

/* RFC 3768 6.1: Skew_Time = (256 - Priority) / 256 seconds.
 * RFC 5798 6.1: Skew_Time = ((256 - Priority) * Master_Adver_Interval) / 256
 * (centiseconds). Computed in microseconds, truncated, from the configured
 * priority. */
uint64_t vrrp_skew_time_us(const struct vrrp_fsm *f)
{
	uint64_t weight = 256u - f->cfg.priority;

	if (f->cfg.version == 3)
		return weight * f->master_adver_interval_cs * US_PER_CS / 256u;
	return weight * US_PER_S / 256u;
}

/* RFC 3768 6.1: Master_Down_Interval = 3 * Advertisement_Interval + Skew.
 * RFC 5798 6.1: Master_Down_Interval = 3 * Master_Adver_Interval + Skew. */
uint64_t vrrp_master_down_interval_us(const struct vrrp_fsm *f)
{
	uint64_t adv_cs = f->cfg.version == 3 ? f->master_adver_interval_cs
					       : f->cfg.adv_interval_cs;

	uint64_t n = f->cfg.down_adverts ? f->cfg.down_adverts : 3u;

	return n * adv_cs * US_PER_CS + vrrp_skew_time_us(f);
}

void vrrp_fsm_init(struct vrrp_fsm *f, const struct vrrp_fsm_cfg *cfg)
{
	memset(f, 0, sizeof(*f));
	f->cfg = *cfg;
	f->state = VRRP_STATE_INIT;
	f->old_state = VRRP_STATE_INIT;
	f->reason = VRRP_R_NONE;
	f->master_adver_interval_cs = cfg->adv_interval_cs;
}

/* The one place a state changes (the idea of FRR's vrrp_change_state). */
static unsigned change_state(struct vrrp_fsm *f, enum vrrp_state to,
			     enum vrrp_reason why)
{
	f->old_state = f->state;
	f->state = to;
	f->reason = why;
	return VRRP_ACT_STATE_CHANGED;
}

static unsigned discard(struct vrrp_fsm *f, enum vrrp_discard why)
{
	f->discard = why;
	return VRRP_ACT_DISCARDED;
}

static void stop_timers(struct vrrp_fsm *f)
{
	f->adver_timer_us = 0;
	f->master_down_timer_us = 0;
}

static void forget_master(struct vrrp_fsm *f)
{
	memset(&f->master_addr, 0, sizeof(f->master_addr));
	f->master_prio = 0;
	f->master_resigned = false;
}

/* RFC 5798 6.4.1 / 6.4.2 (Master_Down_Timer fires): send an ADVERTISEMENT,
 * broadcast gratuitous ARP (IPv4) or unsolicited NA (IPv6), set the
 * Adver_Timer to Advertisement_Interval and transition to Master. */
static unsigned become_master(struct vrrp_fsm *f, uint64_t now_us,
			      enum vrrp_reason why)
{
	f->adver_timer_us = deadline_us(now_us, adver_interval_us(f));
	f->master_down_timer_us = 0;
	f->master_adver_interval_cs = f->cfg.adv_interval_cs;
	f->master_addr = f->primary;
	f->master_prio = f->cfg.priority;
	f->master_resigned = false;
	return VRRP_ACT_SEND_ADVERT | change_state(f, VRRP_STATE_MASTER, why);
}

/* RFC 5798 6.4.1: set Master_Adver_Interval to Advertisement_Interval, the
 * Master_Down_Timer to Master_Down_Interval and transition to Backup. */
static unsigned become_backup_fresh(struct vrrp_fsm *f, uint64_t now_us,
				    enum vrrp_reason why)
{
	f->master_adver_interval_cs = f->cfg.adv_interval_cs;
	f->adver_timer_us = 0;
	f->master_down_timer_us =
		deadline_us(now_us, vrrp_master_down_interval_us(f));
	forget_master(f);
	return change_state(f, VRRP_STATE_BACKUP, why);
}

/* RFC 5798 6.4.1 Initialize, shared by startup and link-up: only the
 * address owner (priority 255) becomes Master at once; everyone else enters
 * Backup and becomes Master only if the Master_Down_Timer runs out. There is
 * deliberately no "start as master" exception: keepalived 2.2.7 with
 * "state MASTER" also logs "Entering BACKUP STATE (init)" and takes over on
 * the master-down timeout, and a restarting lower-priority router that took
 * over at once would add the VIPs and send gratuitous ARPs, pointing ARP
 * caches at itself until the real master's next GARP. The preempt delay is
 * measured from here. */
static unsigned initialize(struct vrrp_fsm *f, uint64_t now_us,
			   enum vrrp_reason why)
{
	f->preempt_after_us = now_us + (uint64_t)f->cfg.preempt_delay_ms * 1000u;
	if (f->cfg.priority == VRRP_PRIO_OWNER)
		return become_master(f, now_us, why);
	return become_backup_fresh(f, now_us, why);
}

unsigned vrrp_fsm_startup(struct vrrp_fsm *f, uint64_t now_us, bool link_up)
{
	if (f->state != VRRP_STATE_INIT)
		return 0;
	f->link_up = link_up;
	if (!link_up) {
		stop_timers(f);
		forget_master(f);
		return change_state(f, VRRP_STATE_FAULT, VRRP_R_STARTUP);
	}
	return initialize(f, now_us, VRRP_R_STARTUP);
}

/* RFC 5798 6.4.2 / 6.4.3 Shutdown: a Master cancels the Adver_Timer and
 * sends an ADVERTISEMENT with Priority 0 (and releases the addresses); a
 * Backup cancels the Master_Down_Timer. Both transition to Initialize. */
unsigned vrrp_fsm_shutdown(struct vrrp_fsm *f, uint64_t now_us)
{
	unsigned act = 0;

	(void)now_us;
	if (f->state == VRRP_STATE_INIT)
		return 0;
	if (f->state == VRRP_STATE_MASTER)
		act = VRRP_ACT_SEND_PRIO0;
	stop_timers(f);
	forget_master(f);
	return act | change_state(f, VRRP_STATE_INIT, VRRP_R_SHUTDOWN);
}

/* Record the sender of an accepted advert as the current master. */
static unsigned note_master(struct vrrp_fsm *f, const struct vrrp_fsm_adv *adv)
{
	if (vaddr_cmp(&f->master_addr, &adv->src) == 0 &&
	    f->master_prio == adv->priority)
		return 0;
	f->master_addr = adv->src;
	f->master_prio = adv->priority;
	return VRRP_ACT_MASTER_CHANGED;
}

/* RFC 5798 6.1 Preempt_Mode: the address owner always preempts,
 * independent of the flag. */
static bool preempt_allowed(const struct vrrp_fsm *f, uint64_t now_us)
{
	if (!f->cfg.preempt && f->cfg.priority != VRRP_PRIO_OWNER)
		return false;
	/* Preempt delay after startup (keepalived preempt_delay) and the
	 * admin failover hold both keep us from preempting for a while. */
	return now_us >= f->preempt_after_us && now_us >= f->hold_until_us;
}

/* RFC 5798 6.4.2 / RFC 3768 6.4.2: an ADVERTISEMENT received in Backup. */
static unsigned backup_on_advert(struct vrrp_fsm *f, uint64_t now_us,
				 const struct vrrp_fsm_adv *adv)
{
	/* Priority 0: the master resigned; take over after Skew_Time unless
	 * a better backup announces itself first. */
	if (adv->priority == 0) {
		unsigned act = vaddr_is_set(&f->master_addr) ? VRRP_ACT_MASTER_CHANGED : 0;

		forget_master(f);
		f->master_resigned = true;
		f->master_down_timer_us = deadline_us(now_us, vrrp_skew_time_us(f));
		return act;
	}
	/* Not preempting, or the advert is at least as good as us: follow
	 * this master. v3 learns its Master_Adver_Interval and recomputes
	 * Master_Down_Interval from it. */
	if (!preempt_allowed(f, now_us) || adv->priority >= f->cfg.priority) {
		if (f->cfg.version == 3)
			f->master_adver_interval_cs = adv->interval_cs;
		f->master_resigned = false;
		f->master_down_timer_us =
			deadline_us(now_us, vrrp_master_down_interval_us(f));
		return note_master(f, adv);
	}
	/* Otherwise discard: the Master_Down_Timer runs out and we preempt. */
	return discard(f, VRRP_DISCARD_LOWER_PREEMPT);
}

/* RFC 5798 6.4.3 / RFC 3768 6.4.3: an ADVERTISEMENT received in Master. */
static unsigned master_on_advert(struct vrrp_fsm *f, uint64_t now_us,
				 const struct vrrp_fsm_adv *adv)
{
	/* Priority 0: another router resigned; answer at once so backups
	 * do not take over on their skew timers. */
	if (adv->priority == 0) {
		f->adver_timer_us = deadline_us(now_us, adver_interval_us(f));
		return VRRP_ACT_SEND_ADVERT;
	}
	/* Higher priority, or equal priority and a greater primary address
	 * (compared as unsigned integers in network order): step down. */
	if (adv->priority > f->cfg.priority ||
	    (adv->priority == f->cfg.priority &&
	     vaddr_cmp(&adv->src, &f->primary) > 0)) {
		f->adver_timer_us = 0;
		if (f->cfg.version == 3)
			f->master_adver_interval_cs = adv->interval_cs;
		f->master_down_timer_us =
			deadline_us(now_us, vrrp_master_down_interval_us(f));
		f->master_resigned = false;
		note_master(f, adv);
		return VRRP_ACT_MASTER_CHANGED |
		       change_state(f, VRRP_STATE_BACKUP, VRRP_R_HIGHER_PRIO);
	}
	/* Otherwise discard; our own next advert tells the sender. */
	return discard(f, VRRP_DISCARD_LOWER_MASTER);
}

unsigned vrrp_fsm_on_advert(struct vrrp_fsm *f, uint64_t now_us,
			    const struct vrrp_fsm_adv *adv)
{
	switch (f->state) {
	case VRRP_STATE_BACKUP:
		return backup_on_advert(f, now_us, adv);
	case VRRP_STATE_MASTER:
		return master_on_advert(f, now_us, adv);
	case VRRP_STATE_INIT:
	case VRRP_STATE_FAULT:
		break;
	}
	return discard(f, VRRP_DISCARD_NOT_RUNNING);
}

/* RFC 5798 6.4.2: Master_Down_Timer fires in Backup -> Master. A timer set
 * by a priority-0 advert is the skew takeover. Stale expiries do nothing. */
unsigned vrrp_fsm_on_master_down_timer(struct vrrp_fsm *f, uint64_t now_us)
{
	enum vrrp_reason why;

	if (f->state != VRRP_STATE_BACKUP || f->master_down_timer_us == 0)
		return 0;
	why = f->master_resigned ? VRRP_R_PRIO_ZERO : VRRP_R_MASTER_DOWN;
	return become_master(f, now_us, why);
}

/* RFC 5798 6.4.3: Adver_Timer fires in Master: send an ADVERTISEMENT and
 * reset the timer to Advertisement_Interval. */
unsigned vrrp_fsm_on_adver_timer(struct vrrp_fsm *f, uint64_t now_us)
{
	if (f->state != VRRP_STATE_MASTER || f->adver_timer_us == 0)
		return 0;
	f->adver_timer_us = deadline_us(now_us, adver_interval_us(f));
	return VRRP_ACT_SEND_ADVERT;
}

/* Link down: the interface cannot carry VRRP, so Fault (no priority-0
 * advert: it could not be sent). Link up from Fault: initialize again as
 * in RFC 5798 6.4.1. */
unsigned vrrp_fsm_on_usable(struct vrrp_fsm *f, uint64_t now_us, bool up,
			    enum vrrp_reason why)
{
	f->link_up = up;
	if (up)
		return f->state == VRRP_STATE_FAULT ? initialize(f, now_us, why) : 0;
	if (f->state != VRRP_STATE_MASTER && f->state != VRRP_STATE_BACKUP)
		return 0;
	stop_timers(f);
	forget_master(f);
	return change_state(f, VRRP_STATE_FAULT, why);
}

unsigned vrrp_fsm_on_link(struct vrrp_fsm *f, uint64_t now_us, bool up)
{
	return vrrp_fsm_on_usable(f, now_us, up, up ? VRRP_R_LINK_UP : VRRP_R_LINK_DOWN);
}

/* A new priority goes out with the next advert. A backup that now outranks
 * the master discards its adverts (6.4.2) and preempts when the
 * Master_Down_Timer fires; only becoming the address owner (255) takes
 * over at once, as the owner does at startup (6.4.1). */
unsigned vrrp_fsm_set_priority(struct vrrp_fsm *f, uint64_t now_us,
			       uint8_t priority)
{
	uint8_t old = f->cfg.priority;

	f->cfg.priority = priority;
	if (f->state == VRRP_STATE_MASTER)
		f->master_prio = priority; /* we are the master we know */
	if (f->state == VRRP_STATE_BACKUP && priority == VRRP_PRIO_OWNER && old != VRRP_PRIO_OWNER)
		return become_master(f, now_us, VRRP_R_PREEMPTED);
	return 0;
}

/* Preempt, preempt delay and interval change in place.
 * The preempt-delay window stays anchored at the last startup. A master
 * restarts its Adver_Timer with a new interval; a backup keeps its timers
 * (the next advert recomputes them). */
unsigned vrrp_fsm_set_cfg(struct vrrp_fsm *f, uint64_t now_us,
			  const struct vrrp_fsm_cfg *cfg)
{
	uint16_t old_interval_cs = f->cfg.adv_interval_cs;

	if (f->state != VRRP_STATE_INIT) {
		uint64_t started_us = f->preempt_after_us -
				      (uint64_t)f->cfg.preempt_delay_ms * 1000u;

		f->preempt_after_us =
			started_us + (uint64_t)cfg->preempt_delay_ms * 1000u;
	}
	f->cfg.preempt = cfg->preempt;
	f->cfg.preempt_delay_ms = cfg->preempt_delay_ms;
	f->cfg.adv_interval_cs = cfg->adv_interval_cs;
	f->cfg.down_adverts = cfg->down_adverts;
	if (f->state == VRRP_STATE_MASTER && cfg->adv_interval_cs != old_interval_cs) {
		f->master_adver_interval_cs = cfg->adv_interval_cs;
		f->adver_timer_us = deadline_us(now_us, adver_interval_us(f));
	}
	return 0;
}

unsigned vrrp_fsm_sync(struct vrrp_fsm *f, uint64_t now_us, enum vrrp_state to)
{
	if (to == f->state)
		return 0;
	switch (to) {
	case VRRP_STATE_MASTER:
		return f->state == VRRP_STATE_BACKUP ? become_master(f, now_us, VRRP_R_SYNC) : 0;
	case VRRP_STATE_BACKUP:
		if (f->state == VRRP_STATE_FAULT)
			return initialize(f, now_us, VRRP_R_SYNC);
		if (f->state != VRRP_STATE_MASTER)
			return 0;
		/* as a master that saw a better advert (6.4.3), without one */
		f->adver_timer_us = 0;
		f->master_down_timer_us =
			deadline_us(now_us, vrrp_master_down_interval_us(f));
		forget_master(f);
		return change_state(f, VRRP_STATE_BACKUP, VRRP_R_SYNC);
	case VRRP_STATE_FAULT:
		if (f->state != VRRP_STATE_MASTER && f->state != VRRP_STATE_BACKUP)
			return 0;
		stop_timers(f);
		forget_master(f);
		return change_state(f, VRRP_STATE_FAULT, VRRP_R_SYNC);
	case VRRP_STATE_INIT:
		break;
	}
	return 0;
}

bool vrrp_fsm_set_primary(struct vrrp_fsm *f, const struct vaddr *primary)
{
	struct vaddr none;

	if (!primary) {
		memset(&none, 0, sizeof(none));
		primary = &none;
	}
	if (vaddr_cmp(primary, &f->primary) == 0)
		return false;
	f->primary = *primary;
	return true;
}

void vrrp_fsm_pull_adver_timer(struct vrrp_fsm *f, uint64_t when_us)
{
	if (f->adver_timer_us && when_us && when_us < f->adver_timer_us)
		f->adver_timer_us = when_us;
}

/* Admin failover: resign like a shutting-down master (priority 0, so a
 * backup takes over after its Skew_Time), but stay as Backup and refuse to
 * preempt until the hold ends. With no other router the Master_Down_Timer
 * brings us back. */
unsigned vrrp_fsm_failover(struct vrrp_fsm *f, uint64_t now_us,
			   uint64_t hold_us)
{
	if (f->state != VRRP_STATE_MASTER)
		return 0;
	f->hold_until_us = now_us + hold_us;
	f->adver_timer_us = 0;
	forget_master(f);
	f->master_down_timer_us =
		deadline_us(now_us, vrrp_master_down_interval_us(f));
	return VRRP_ACT_SEND_PRIO0 |
	       change_state(f, VRRP_STATE_BACKUP, VRRP_R_ADMIN_FAILOVER);
}

const char *vrrp_state_name(enum vrrp_state s)
{
	switch (s) {
	case VRRP_STATE_INIT:
		return "INIT";
	case VRRP_STATE_BACKUP:
		return "BACKUP";
	case VRRP_STATE_MASTER:
		return "MASTER";
	case VRRP_STATE_FAULT:
		return "FAULT";
	}
	return "?";
}

const char *vrrp_reason_name(enum vrrp_reason r)
{
	switch (r) {
	case VRRP_R_NONE:
		return "none";
	case VRRP_R_STARTUP:
		return "startup";
	case VRRP_R_MASTER_DOWN:
		return "master-down";
	case VRRP_R_PRIO_ZERO:
		return "priority-zero";
	case VRRP_R_HIGHER_PRIO:
		return "higher-priority";
	case VRRP_R_PREEMPTED:
		return "preempted";
	case VRRP_R_SHUTDOWN:
		return "shutdown";
	case VRRP_R_LINK_DOWN:
		return "link-down";
	case VRRP_R_LINK_UP:
		return "link-up";
	case VRRP_R_ADMIN_FAILOVER:
		return "admin-failover";
	case VRRP_R_SYNC:
		return "sync-group";
	case VRRP_R_TRACK:
		return "tracking";
	}
	return "?";
}

const char *vrrp_discard_name(enum vrrp_discard d)
{
	switch (d) {
	case VRRP_DISCARD_NONE:
		return "none";
	case VRRP_DISCARD_LOWER_PREEMPT:
		return "lower priority than ours, preempting";
	case VRRP_DISCARD_LOWER_MASTER:
		return "lower priority than ours as master";
	case VRRP_DISCARD_NOT_RUNNING:
		return "not in Backup or Master";
	}
	return "?";
}
