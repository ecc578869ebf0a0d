/* Shared by test_fsm.c and test_fsm_sim.c: the clock, configurations,
 * adverts and machines in a known state. */
#ifndef FSM_TEST_UTIL_H
#define FSM_TEST_UTIL_H

#include "fsm.h"

#define S 1000000ull            /* one second in microseconds */
#define T0 (1000 * S)           /* an arbitrary start time */

/* The VIPs and gratuitous ARP of Master are entry actions of the state
 * (instance_transition.c), not action bits: a takeover is an advert and
 * the state change. */
#define TAKEOVER (VRRP_ACT_SEND_ADVERT | VRRP_ACT_STATE_CHANGED)
#define DEMOTED (VRRP_ACT_STATE_CHANGED | VRRP_ACT_MASTER_CHANGED)

static __attribute__((unused)) struct vrrp_fsm_cfg cfg_of(uint8_t version, uint8_t prio)
{
	struct vrrp_fsm_cfg c = {
		.version = version,
		.priority = prio,
		.preempt = true,
		.preempt_delay_ms = 0,
		.adv_interval_cs = 100,
	};
	return c;
}

static __attribute__((unused)) struct vaddr addr(const char *s)
{
	struct vaddr a;

	assert_int_equal(vaddr_parse(s, &a, NULL), 0);
	return a;
}

static __attribute__((unused)) void mk(struct vrrp_fsm *f, const struct vrrp_fsm_cfg *c, const char *primary)
{
	vrrp_fsm_init(f, c);
	f->primary = addr(primary);
}

static __attribute__((unused)) struct vrrp_fsm_adv adv(uint8_t prio, uint16_t interval_cs, const char *src)
{
	struct vrrp_fsm_adv a = { .priority = prio, .interval_cs = interval_cs };

	a.src = addr(src);
	return a;
}

/* A v2 backup (priority prio, 10.0.0.2) started at T0. */
static __attribute__((unused)) void backup_v2(struct vrrp_fsm *f, uint8_t prio)
{
	struct vrrp_fsm_cfg c = cfg_of(2, prio);

	mk(f, &c, "10.0.0.2");
	assert_int_equal(vrrp_fsm_startup(f, T0, true), VRRP_ACT_STATE_CHANGED);
	assert_int_equal(f->state, VRRP_STATE_BACKUP);
}

/* The only way a non-owner becomes master (RFC 5798 6.4.1 / 6.4.2): start
 * as backup at at_us - Master_Down_Interval, hear nothing, and take over
 * when the Master_Down_Timer fires at its deadline, exactly at_us. */
static __attribute__((unused)) void master_at(struct vrrp_fsm *f, const struct vrrp_fsm_cfg *c,
		      const char *primary, uint64_t at_us)
{
	mk(f, c, primary);
	uint64_t start_us = at_us - vrrp_master_down_interval_us(f);
	assert_int_equal(vrrp_fsm_startup(f, start_us, true), VRRP_ACT_STATE_CHANGED);
	assert_int_equal(f->state, VRRP_STATE_BACKUP);
	assert_int_equal(f->master_down_timer_us, at_us);
	assert_int_equal(vrrp_fsm_on_master_down_timer(f, at_us), TAKEOVER);
	assert_int_equal(f->state, VRRP_STATE_MASTER);
	assert_int_equal(f->old_state, VRRP_STATE_BACKUP);
	assert_int_equal(f->reason, VRRP_R_MASTER_DOWN);
}

/* A v2 master (priority prio, 10.0.0.2) since T0, via the master-down timer. */
static __attribute__((unused)) void master_v2(struct vrrp_fsm *f, uint8_t prio)
{
	struct vrrp_fsm_cfg c = cfg_of(2, prio);

	master_at(f, &c, "10.0.0.2", T0);
}

#endif
