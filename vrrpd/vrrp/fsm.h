/* The VRRP state machine (RFC 3768 section 6, RFC 5798 section 6.4).
 *
 * Pure: no sockets, no clocks, no logging. Each event is one function that
 * takes the current time, updates the machine and returns the actions the
 * caller must perform (send an advert, add or remove the virtual addresses,
 * send gratuitous ARP / unsolicited NA). Timers are represented as absolute
 * deadlines in microseconds; the caller arms real timers to match them after
 * every event and calls the matching expiry function when one fires.
 * Tests drive it with an injected clock and inspect the actions. */
#ifndef VRRPD_FSM_H
#define VRRPD_FSM_H

#include <stdbool.h>
#include <stdint.h>

#include "vaddr.h"
#include "vrrp_pkt.h"

enum vrrp_state {
	VRRP_STATE_INIT = 0,
	VRRP_STATE_BACKUP,
	VRRP_STATE_MASTER,
	VRRP_STATE_FAULT,
};

/* Why the machine changed state; reported with the transition. */
enum vrrp_reason {
	VRRP_R_NONE = 0,
	VRRP_R_STARTUP,          /* Initialize -> Backup/Master */
	VRRP_R_MASTER_DOWN,      /* master-down timer expired */
	VRRP_R_PRIO_ZERO,        /* (via skew timer) master resigned */
	VRRP_R_HIGHER_PRIO,      /* master saw a better advert */
	VRRP_R_PREEMPTED,        /* alias for logs: a better router took over */
	VRRP_R_SHUTDOWN,
	VRRP_R_LINK_DOWN,
	VRRP_R_LINK_UP,
	VRRP_R_ADMIN_FAILOVER,
	VRRP_R_SYNC,             /* a member of its sync group changed */
	VRRP_R_TRACK,            /* a tracker demands Fault, or no longer does */
};

/* Action bits returned by every event function. What a state implies
 * (the virtual addresses and gratuitous ARP / unsolicited NA of Master) is
 * not an action: the caller runs it from its table of entry and exit
 * actions when it sees VRRP_ACT_STATE_CHANGED (instance_transition.c). */
enum vrrp_action {
	VRRP_ACT_SEND_ADVERT = 1u << 0,     /* advert with current priority */
	VRRP_ACT_SEND_PRIO0 = 1u << 1,      /* advert with priority 0 */
	VRRP_ACT_STATE_CHANGED = 1u << 5,   /* old_state/reason describe it */
	VRRP_ACT_MASTER_CHANGED = 1u << 6,  /* master_addr/master_prio updated */
	VRRP_ACT_DISCARDED = 1u << 7,       /* advert discarded; see f->discard */
};

/* Why a valid advert was discarded (RFC 5798 6.4.2 / 6.4.3); reported
 * with VRRP_ACT_DISCARDED for the debug log. */
enum vrrp_discard {
	VRRP_DISCARD_NONE = 0,
	VRRP_DISCARD_LOWER_PREEMPT,  /* backup: lower priority, we preempt */
	VRRP_DISCARD_LOWER_MASTER,   /* master: lower priority (or equal, lower address) */
	VRRP_DISCARD_NOT_RUNNING,    /* Initialize or Fault: no election */
};

struct vrrp_fsm_cfg {
	uint8_t version;            /* 2 or 3 */
	uint8_t priority;           /* 1..255; VRRP_PRIO_OWNER = address owner */
	bool preempt;
	uint32_t preempt_delay_ms;  /* no preemption this long after startup */
	uint16_t adv_interval_cs;   /* configured Advertisement_Interval */
	uint8_t down_adverts;       /* intervals in Master_Down_Interval; 0 = RFC's 3 */
	/* No "start as master" hint: RFC 5798 6.4.1 makes only the address
	 * owner (priority 255) Master at startup; the config leaf
	 * initial-state (keepalived "state") does not reach the machine. */
};

/* Decoded fields of a received advert the machine needs. The caller has
 * already validated the packet (codec) and matched it to this instance. */
struct vrrp_fsm_adv {
	uint8_t priority;
	uint16_t interval_cs;
	struct vaddr src; /* IP source: the sender's primary address */
};

struct vrrp_fsm {
	struct vrrp_fsm_cfg cfg;
	enum vrrp_state state;
	enum vrrp_state old_state;   /* valid after VRRP_ACT_STATE_CHANGED */
	enum vrrp_reason reason;     /* valid after VRRP_ACT_STATE_CHANGED */
	enum vrrp_discard discard;   /* valid after VRRP_ACT_DISCARDED */

	struct vaddr primary;        /* our primary address on the interface */
	uint16_t master_adver_interval_cs; /* learned from the master (v3) */

	/* Deadlines in microseconds on the caller's clock; 0 = not running. */
	uint64_t adver_timer_us;
	uint64_t master_down_timer_us;

	uint64_t preempt_after_us;   /* preempt only when now >= this */
	uint64_t hold_until_us;      /* admin failover: no preempt before this */

	struct vaddr master_addr;    /* current master as we know it */
	uint8_t master_prio;
	bool link_up;
	/* RFC 5798 6.4.2: a priority-0 advert set the master-down timer to
	 * Skew_Time; its expiry is then reported as VRRP_R_PRIO_ZERO. */
	bool master_resigned;
};

/* Arithmetic, RFC 5798 6.1 / RFC 3768 6.1, in microseconds. v2 uses the
 * configured interval and skew (256 - prio)/256 s; v3 uses the learned
 * Master_Adver_Interval and skew ((256 - prio) * MAI / 256) cs. */
uint64_t vrrp_skew_time_us(const struct vrrp_fsm *f);
uint64_t vrrp_master_down_interval_us(const struct vrrp_fsm *f);

void vrrp_fsm_init(struct vrrp_fsm *f, const struct vrrp_fsm_cfg *cfg);

/* Startup event (RFC 5798 6.4.1): the address owner (priority 255) becomes
 * Master at once; every other router enters Backup with the
 * Master_Down_Timer at now + Master_Down_Interval. With link down, goes to
 * Fault. */
unsigned vrrp_fsm_startup(struct vrrp_fsm *f, uint64_t now_us, bool link_up);
/* Shutdown event: master sends priority 0 and releases VIPs; -> Init. */
unsigned vrrp_fsm_shutdown(struct vrrp_fsm *f, uint64_t now_us);
/* A valid advert for this VRID arrived (RFC 5798 6.4.2 / 6.4.3). */
unsigned vrrp_fsm_on_advert(struct vrrp_fsm *f, uint64_t now_us,
			    const struct vrrp_fsm_adv *adv);
unsigned vrrp_fsm_on_master_down_timer(struct vrrp_fsm *f, uint64_t now_us);
unsigned vrrp_fsm_on_adver_timer(struct vrrp_fsm *f, uint64_t now_us);
/* Link state from netlink: down -> Fault; up from Fault -> Initialize
 * again, with the same 6.4.1 rule as startup. */
unsigned vrrp_fsm_on_link(struct vrrp_fsm *f, uint64_t now_us, bool up);
/* The same for any cause (a tracker demanding Fault: VRRP_R_TRACK). */
unsigned vrrp_fsm_on_usable(struct vrrp_fsm *f, uint64_t now_us, bool up,
			    enum vrrp_reason why);
/* Configured priority changed; takes effect in the next advert. A backup
 * that now outranks the master preempts when its master-down timer fires
 * (lower-priority adverts are discarded), exactly as the RFC says. */
unsigned vrrp_fsm_set_priority(struct vrrp_fsm *f, uint64_t now_us,
			       uint8_t priority);
/* Other configuration changes that don't need a restart (preempt,
 * preempt delay, interval); version and priority are not taken from cfg. */
unsigned vrrp_fsm_set_cfg(struct vrrp_fsm *f, uint64_t now_us,
			  const struct vrrp_fsm_cfg *cfg);
/* Sync group (keepalived vrrp_sync_group): follow a member that changed
 * to `to`. Master from Backup; Backup from Master (as if preempted) or
 * from Fault (initialized as at link up); Fault from Backup or Master.
 * Anything else does nothing (returns 0). */
unsigned vrrp_fsm_sync(struct vrrp_fsm *f, uint64_t now_us, enum vrrp_state to);

/* Our primary address on the interface (the advert's source, RFC 5798
 * 5.1.2.1); an unset address clears it. Returns true if it changed. */
bool vrrp_fsm_set_primary(struct vrrp_fsm *f, const struct vaddr *primary);
/* Bring a running Adver_Timer forward to when (the caller's advert phase
 * grid); a later time is ignored: never later than the RFC deadline. */
void vrrp_fsm_pull_adver_timer(struct vrrp_fsm *f, uint64_t when_us);

/* Admin failover on a master: priority-0 advert, release VIPs, go Backup
 * and do not preempt before now + hold. Returns 0 (nothing done) if the
 * machine is not master. */
unsigned vrrp_fsm_failover(struct vrrp_fsm *f, uint64_t now_us,
			   uint64_t hold_us);

const char *vrrp_state_name(enum vrrp_state s);   /* "MASTER", ... */
const char *vrrp_reason_name(enum vrrp_reason r);
const char *vrrp_discard_name(enum vrrp_discard d);

#endif
