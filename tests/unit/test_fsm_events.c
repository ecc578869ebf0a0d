/* Unit tests for the VRRP state machine (vrrpd/vrrp/fsm.c), timers, shutdown,
 * link, configuration changes and admin failover; test_fsm.c has startup and
 * the advert rules. The clock is the
 * now_us argument and the returned action bits are the fake transport; the
 * last group steps several machines against each other on a shared clock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fsm.h"
#include "fsm_test_util.h"

/* ---- timers ---- */

static void test_master_down_timer_takeover(void **state)
{
	struct vrrp_fsm f;
	(void)state;

	backup_v2(&f, 98);
	assert_int_equal(vrrp_fsm_on_master_down_timer(&f, T0 + 3617187), TAKEOVER);
	assert_int_equal(f.state, VRRP_STATE_MASTER);
	assert_int_equal(f.old_state, VRRP_STATE_BACKUP);
	assert_int_equal(f.reason, VRRP_R_MASTER_DOWN);
	assert_int_equal(f.adver_timer_us, T0 + 3617187 + S);
	assert_int_equal(f.master_down_timer_us, 0);
}

static void test_stale_timer_calls(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_cfg c = cfg_of(2, 100);
	(void)state;

	mk(&f, &c, "10.0.0.2");
	assert_int_equal(vrrp_fsm_on_master_down_timer(&f, T0), 0);
	assert_int_equal(vrrp_fsm_on_adver_timer(&f, T0), 0);
	assert_int_equal(f.state, VRRP_STATE_INIT);

	master_v2(&f, 100);
	assert_int_equal(vrrp_fsm_on_master_down_timer(&f, T0 + 5 * S), 0);
	assert_int_equal(f.state, VRRP_STATE_MASTER);

	backup_v2(&f, 100);
	assert_int_equal(vrrp_fsm_on_adver_timer(&f, T0 + 5 * S), 0);
	assert_int_equal(f.adver_timer_us, 0);
	/* backup whose timer is not running (forced) */
	f.master_down_timer_us = 0;
	assert_int_equal(vrrp_fsm_on_master_down_timer(&f, T0 + 5 * S), 0);
	assert_int_equal(f.state, VRRP_STATE_BACKUP);

	mk(&f, &c, "10.0.0.2");
	vrrp_fsm_startup(&f, T0, false);
	assert_int_equal(vrrp_fsm_on_master_down_timer(&f, T0 + 5 * S), 0);
	assert_int_equal(vrrp_fsm_on_adver_timer(&f, T0 + 5 * S), 0);
	assert_int_equal(f.state, VRRP_STATE_FAULT);
}

static void test_adver_timer_rearms(void **state)
{
	struct vrrp_fsm f;
	(void)state;

	master_v2(&f, 100);
	assert_int_equal(vrrp_fsm_on_adver_timer(&f, T0 + S), VRRP_ACT_SEND_ADVERT);
	assert_int_equal(f.adver_timer_us, T0 + 2 * S);
	/* late expiry: rearmed from now */
	assert_int_equal(vrrp_fsm_on_adver_timer(&f, T0 + 2 * S + 7), VRRP_ACT_SEND_ADVERT);
	assert_int_equal(f.adver_timer_us, T0 + 3 * S + 7);
	assert_int_equal(f.state, VRRP_STATE_MASTER);
}

/* ---- shutdown ---- */

static void test_shutdown_master(void **state)
{
	struct vrrp_fsm f;
	(void)state;

	master_v2(&f, 100);
	assert_int_equal(vrrp_fsm_shutdown(&f, T0 + S),
			 VRRP_ACT_SEND_PRIO0 | VRRP_ACT_STATE_CHANGED);
	assert_int_equal(f.state, VRRP_STATE_INIT);
	assert_int_equal(f.old_state, VRRP_STATE_MASTER);
	assert_int_equal(f.reason, VRRP_R_SHUTDOWN);
	assert_int_equal(f.adver_timer_us, 0);
	assert_int_equal(f.master_down_timer_us, 0);
	assert_int_equal(vrrp_fsm_shutdown(&f, T0 + S), 0);
	/* can start again, as Backup: a restarting non-owner must not grab
	 * the addresses before hearing the current master (6.4.1) */
	assert_int_equal(vrrp_fsm_startup(&f, T0 + 2 * S, true), VRRP_ACT_STATE_CHANGED);
	assert_int_equal(f.state, VRRP_STATE_BACKUP);
	assert_int_equal(f.master_down_timer_us, T0 + 2 * S + 3609375);
	assert_int_equal(vrrp_fsm_on_master_down_timer(&f, T0 + 2 * S + 3609375), TAKEOVER);
}

static void test_shutdown_backup_and_fault(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_cfg c = cfg_of(2, 100);
	(void)state;

	backup_v2(&f, 100);
	assert_int_equal(vrrp_fsm_shutdown(&f, T0 + S), VRRP_ACT_STATE_CHANGED);
	assert_int_equal(f.state, VRRP_STATE_INIT);
	assert_int_equal(f.old_state, VRRP_STATE_BACKUP);
	assert_int_equal(f.reason, VRRP_R_SHUTDOWN);
	assert_int_equal(f.master_down_timer_us, 0);

	mk(&f, &c, "10.0.0.2");
	vrrp_fsm_startup(&f, T0, false);
	assert_int_equal(vrrp_fsm_shutdown(&f, T0 + S), VRRP_ACT_STATE_CHANGED);
	assert_int_equal(f.old_state, VRRP_STATE_FAULT);
	assert_int_equal(f.state, VRRP_STATE_INIT);
}

/* ---- link ---- */

static void test_link_down_master(void **state)
{
	struct vrrp_fsm f;
	(void)state;

	master_v2(&f, 100);
	assert_int_equal(vrrp_fsm_on_link(&f, T0 + S, false),
			 VRRP_ACT_STATE_CHANGED);
	assert_int_equal(f.state, VRRP_STATE_FAULT);
	assert_int_equal(f.old_state, VRRP_STATE_MASTER);
	assert_int_equal(f.reason, VRRP_R_LINK_DOWN);
	assert_int_equal(f.adver_timer_us, 0);
	assert_int_equal(f.master_down_timer_us, 0);
	assert_false(f.link_up);
	/* down again: nothing */
	assert_int_equal(vrrp_fsm_on_link(&f, T0 + 2 * S, false), 0);
	/* up: initialize again (6.4.1); a non-owner waits as Backup ... */
	assert_int_equal(vrrp_fsm_on_link(&f, T0 + 3 * S, true), VRRP_ACT_STATE_CHANGED);
	assert_int_equal(f.state, VRRP_STATE_BACKUP);
	assert_int_equal(f.old_state, VRRP_STATE_FAULT);
	assert_int_equal(f.reason, VRRP_R_LINK_UP);
	assert_int_equal(f.adver_timer_us, 0);
	assert_int_equal(f.master_down_timer_us, T0 + 3 * S + 3609375);
	assert_true(f.link_up);
	/* ... and is master again when nobody else speaks up */
	assert_int_equal(vrrp_fsm_on_master_down_timer(&f, T0 + 3 * S + 3609375), TAKEOVER);
	assert_int_equal(f.state, VRRP_STATE_MASTER);
	assert_int_equal(f.adver_timer_us, T0 + 4 * S + 3609375);
}

static void test_link_down_backup_up_again(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_adv a = adv(100, 100, "10.0.0.1");
	(void)state;

	backup_v2(&f, 98);
	vrrp_fsm_on_advert(&f, T0 + S, &a);
	assert_int_equal(vrrp_fsm_on_link(&f, T0 + 2 * S, false), VRRP_ACT_STATE_CHANGED);
	assert_int_equal(f.state, VRRP_STATE_FAULT);
	assert_int_equal(f.old_state, VRRP_STATE_BACKUP);
	assert_int_equal(f.reason, VRRP_R_LINK_DOWN);
	assert_int_equal(f.master_down_timer_us, 0);
	assert_false(vaddr_is_set(&f.master_addr));
	assert_int_equal(vrrp_fsm_on_link(&f, T0 + 3 * S, true), VRRP_ACT_STATE_CHANGED);
	assert_int_equal(f.state, VRRP_STATE_BACKUP);
	assert_int_equal(f.reason, VRRP_R_LINK_UP);
	assert_int_equal(f.master_down_timer_us, T0 + 3 * S + 3617187);
	/* link up while already running: nothing */
	assert_int_equal(vrrp_fsm_on_link(&f, T0 + 4 * S, true), 0);
	assert_int_equal(f.state, VRRP_STATE_BACKUP);
}

static void test_link_up_owner_from_fault(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_cfg c = cfg_of(3, 255);
	(void)state;

	mk(&f, &c, "10.0.0.2");
	vrrp_fsm_startup(&f, T0, false);
	assert_int_equal(vrrp_fsm_on_link(&f, T0 + S, true), TAKEOVER);
	assert_int_equal(f.state, VRRP_STATE_MASTER);
	assert_int_equal(f.reason, VRRP_R_LINK_UP);
}

static void test_link_in_init(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_cfg c = cfg_of(2, 100);
	(void)state;

	mk(&f, &c, "10.0.0.2");
	assert_int_equal(vrrp_fsm_on_link(&f, T0, false), 0);
	assert_false(f.link_up);
	assert_int_equal(vrrp_fsm_on_link(&f, T0, true), 0);
	assert_true(f.link_up);
	assert_int_equal(f.state, VRRP_STATE_INIT);
}

/* Link up restarts the preempt-delay window like a startup. */
static void test_link_up_restarts_preempt_delay(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_cfg c = cfg_of(2, 100);
	struct vrrp_fsm_adv a = adv(98, 100, "10.0.0.1");
	(void)state;

	c.preempt_delay_ms = 1000;
	mk(&f, &c, "10.0.0.2");
	vrrp_fsm_startup(&f, T0, true);
	vrrp_fsm_on_link(&f, T0 + 10 * S, false);
	vrrp_fsm_on_link(&f, T0 + 20 * S, true);
	assert_int_equal(f.preempt_after_us, T0 + 21 * S);
	assert_int_equal(vrrp_fsm_on_advert(&f, T0 + 21 * S - 1, &a), VRRP_ACT_MASTER_CHANGED);
	assert_int_equal(vrrp_fsm_on_advert(&f, T0 + 21 * S, &a), VRRP_ACT_DISCARDED);
}

/* ---- priority and configuration changes ---- */

static void test_set_priority_master(void **state)
{
	struct vrrp_fsm f;
	(void)state;

	master_v2(&f, 100);
	assert_int_equal(vrrp_fsm_set_priority(&f, T0 + 1, 50), 0);
	assert_int_equal(f.cfg.priority, 50);
	assert_int_equal(f.state, VRRP_STATE_MASTER);
	assert_int_equal(f.adver_timer_us, T0 + S);
	/* the next advert carries it; a 60 now demotes us */
	struct vrrp_fsm_adv a = adv(60, 100, "10.0.0.1");
	assert_int_equal(vrrp_fsm_on_advert(&f, T0 + 2, &a), DEMOTED);
}

static void test_set_priority_backup_outranks(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_adv a = adv(100, 100, "10.0.0.1");
	(void)state;

	backup_v2(&f, 98);
	vrrp_fsm_on_advert(&f, T0 + S, &a);
	uint64_t mdt = f.master_down_timer_us;
	assert_int_equal(vrrp_fsm_set_priority(&f, T0 + S + 10, 120), 0);
	assert_int_equal(f.state, VRRP_STATE_BACKUP);
	assert_int_equal(f.master_down_timer_us, mdt); /* nothing recomputed */
	/* the master's adverts are now discarded ... */
	assert_int_equal(vrrp_fsm_on_advert(&f, T0 + 2 * S, &a), VRRP_ACT_DISCARDED);
	assert_int_equal(f.master_down_timer_us, mdt);
	/* ... and the timer brings preemption */
	assert_int_equal(vrrp_fsm_on_master_down_timer(&f, mdt), TAKEOVER);
	assert_int_equal(f.master_prio, 120);
}

static void test_set_priority_backup_lower(void **state)
{
	struct vrrp_fsm f;
	(void)state;

	backup_v2(&f, 98);
	uint64_t mdt = f.master_down_timer_us;
	assert_int_equal(vrrp_fsm_set_priority(&f, T0 + 10, 50), 0);
	assert_int_equal(f.master_down_timer_us, mdt);
	assert_int_equal(f.state, VRRP_STATE_BACKUP);
}

static void test_set_priority_backup_to_owner(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_adv a = adv(100, 100, "10.0.0.1");
	(void)state;

	backup_v2(&f, 98);
	vrrp_fsm_on_advert(&f, T0 + S, &a);
	assert_int_equal(vrrp_fsm_set_priority(&f, T0 + S + 10, 255), TAKEOVER);
	assert_int_equal(f.state, VRRP_STATE_MASTER);
	assert_int_equal(f.old_state, VRRP_STATE_BACKUP);
	assert_int_equal(f.adver_timer_us, T0 + S + 10 + S);
	assert_int_equal(f.master_down_timer_us, 0);
	assert_int_equal(f.master_prio, 255);
}

static void test_set_priority_fault_init(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_cfg c = cfg_of(2, 100);
	(void)state;

	mk(&f, &c, "10.0.0.2");
	assert_int_equal(vrrp_fsm_set_priority(&f, T0, 255), 0);
	assert_int_equal(f.state, VRRP_STATE_INIT);
	vrrp_fsm_startup(&f, T0, false);
	assert_int_equal(vrrp_fsm_set_priority(&f, T0, 200), 0);
	assert_int_equal(f.state, VRRP_STATE_FAULT);
	assert_int_equal(f.cfg.priority, 200);
}

static void test_set_cfg_master_interval(void **state)
{
	struct vrrp_fsm f;
	(void)state;

	master_v2(&f, 100);
	struct vrrp_fsm_cfg c = f.cfg;
	/* unchanged interval: timer kept */
	assert_int_equal(vrrp_fsm_set_cfg(&f, T0 + 300000, &c), 0);
	assert_int_equal(f.adver_timer_us, T0 + S);
	c.adv_interval_cs = 300;
	assert_int_equal(vrrp_fsm_set_cfg(&f, T0 + 400000, &c), 0);
	assert_int_equal(f.adver_timer_us, T0 + 400000 + 3 * S);
	assert_int_equal(vrrp_fsm_on_adver_timer(&f, T0 + 3400000), VRRP_ACT_SEND_ADVERT);
	assert_int_equal(f.adver_timer_us, T0 + 6400000);
}

static void test_set_cfg_backup_keeps_timers(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_adv a = adv(100, 100, "10.0.0.1");
	(void)state;

	backup_v2(&f, 98);
	vrrp_fsm_on_advert(&f, T0 + S, &a);
	uint64_t mdt = f.master_down_timer_us;
	struct vrrp_fsm_cfg c = f.cfg;
	c.adv_interval_cs = 200;
	assert_int_equal(vrrp_fsm_set_cfg(&f, T0 + 2 * S, &c), 0);
	assert_int_equal(f.master_down_timer_us, mdt);
	assert_int_equal(f.cfg.adv_interval_cs, 200);
	/* the next advert uses the new configured interval (v2) */
	vrrp_fsm_on_advert(&f, T0 + 3 * S, &a);
	assert_int_equal(f.master_down_timer_us, T0 + 3 * S + 6617187);
}

static void test_set_cfg_preempt_toggle(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_adv a = adv(98, 100, "10.0.0.1");
	(void)state;

	backup_v2(&f, 100);
	assert_int_equal(vrrp_fsm_on_advert(&f, T0 + S, &a), VRRP_ACT_DISCARDED);
	struct vrrp_fsm_cfg c = f.cfg;
	c.preempt = false;
	c.version = 3;  /* not changed in place */
	c.priority = 7; /* set_priority's job */
	vrrp_fsm_set_cfg(&f, T0 + 2 * S, &c);
	assert_false(f.cfg.preempt);
	assert_int_equal(f.cfg.version, 2);
	assert_int_equal(f.cfg.priority, 100);
	assert_int_equal(vrrp_fsm_on_advert(&f, T0 + 3 * S, &a), VRRP_ACT_MASTER_CHANGED);
	c.preempt = true;
	vrrp_fsm_set_cfg(&f, T0 + 4 * S, &c);
	assert_int_equal(vrrp_fsm_on_advert(&f, T0 + 5 * S, &a), VRRP_ACT_DISCARDED);
}

/* Changing the preempt delay keeps the window anchored at startup. */
static void test_set_cfg_preempt_delay(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_cfg c = cfg_of(2, 100);
	struct vrrp_fsm_adv a = adv(98, 100, "10.0.0.1");
	(void)state;

	c.preempt_delay_ms = 60000;
	mk(&f, &c, "10.0.0.2");
	vrrp_fsm_startup(&f, T0, true);
	assert_int_equal(vrrp_fsm_on_advert(&f, T0 + 20 * S, &a), VRRP_ACT_MASTER_CHANGED);
	c.preempt_delay_ms = 10000;
	vrrp_fsm_set_cfg(&f, T0 + 21 * S, &c);
	assert_int_equal(f.preempt_after_us, T0 + 10 * S);
	assert_int_equal(vrrp_fsm_on_advert(&f, T0 + 22 * S, &a), VRRP_ACT_DISCARDED);
	/* a configuration change never changes the state by itself */
	uint64_t mdt = f.master_down_timer_us;
	assert_int_equal(vrrp_fsm_set_cfg(&f, T0 + 23 * S, &c), 0);
	assert_int_equal(f.state, VRRP_STATE_BACKUP);
	assert_int_equal(f.master_down_timer_us, mdt);
}

/* ---- admin failover ---- */

static void test_failover_not_master(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_cfg c = cfg_of(2, 100);
	(void)state;

	mk(&f, &c, "10.0.0.2");
	assert_int_equal(vrrp_fsm_failover(&f, T0, 10 * S), 0);
	backup_v2(&f, 100);
	uint64_t mdt = f.master_down_timer_us;
	assert_int_equal(vrrp_fsm_failover(&f, T0 + 1, 10 * S), 0);
	assert_int_equal(f.state, VRRP_STATE_BACKUP);
	assert_int_equal(f.master_down_timer_us, mdt);
	assert_int_equal(f.hold_until_us, 0);
	mk(&f, &c, "10.0.0.2");
	vrrp_fsm_startup(&f, T0, false);
	assert_int_equal(vrrp_fsm_failover(&f, T0 + 1, 10 * S), 0);
	assert_int_equal(f.state, VRRP_STATE_FAULT);
}

static void test_failover_master(void **state)
{
	struct vrrp_fsm f;
	(void)state;

	master_v2(&f, 100);
	assert_int_equal(vrrp_fsm_failover(&f, T0 + S, 10 * S),
			 VRRP_ACT_SEND_PRIO0 | VRRP_ACT_STATE_CHANGED);
	assert_int_equal(f.state, VRRP_STATE_BACKUP);
	assert_int_equal(f.old_state, VRRP_STATE_MASTER);
	assert_int_equal(f.reason, VRRP_R_ADMIN_FAILOVER);
	assert_int_equal(f.hold_until_us, T0 + 11 * S);
	assert_int_equal(f.adver_timer_us, 0);
	assert_int_equal(f.master_down_timer_us, T0 + S + 3609375);
	assert_false(vaddr_is_set(&f.master_addr));
	/* alone on the link: back after Master_Down_Interval */
	assert_int_equal(vrrp_fsm_on_master_down_timer(&f, T0 + S + 3609375), TAKEOVER);
	assert_int_equal(f.reason, VRRP_R_MASTER_DOWN);
}

static void test_failover_hold_window(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_adv a = adv(98, 100, "10.0.0.1");
	(void)state;

	master_v2(&f, 100);
	vrrp_fsm_failover(&f, T0 + S, 10 * S);
	/* during the hold the lower-priority new master is followed */
	assert_int_equal(vrrp_fsm_on_advert(&f, T0 + 2 * S, &a), VRRP_ACT_MASTER_CHANGED);
	assert_int_equal(f.master_down_timer_us, T0 + 2 * S + 3609375);
	assert_int_equal(vrrp_fsm_on_advert(&f, T0 + 11 * S - 1, &a), 0);
	assert_int_equal(f.master_down_timer_us, T0 + 11 * S - 1 + 3609375);
	/* after the hold its adverts are discarded and we take over */
	assert_int_equal(vrrp_fsm_on_advert(&f, T0 + 11 * S, &a), VRRP_ACT_DISCARDED);
	assert_int_equal(f.master_down_timer_us, T0 + 11 * S - 1 + 3609375);
	assert_int_equal(vrrp_fsm_on_master_down_timer(&f, T0 + 11 * S - 1 + 3609375),
			 TAKEOVER);
	assert_int_equal(f.state, VRRP_STATE_MASTER);
}

/* RFC 5798 6.1: the owner preempts even with preempt off. */
static void test_owner_always_preempts(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_cfg c = cfg_of(2, 255);
	struct vrrp_fsm_adv a = adv(98, 100, "10.0.0.1");
	(void)state;

	c.preempt = false;
	mk(&f, &c, "10.0.0.2");
	vrrp_fsm_startup(&f, T0, true);
	vrrp_fsm_failover(&f, T0 + S, 0);
	assert_int_equal(vrrp_fsm_on_advert(&f, T0 + 2 * S, &a), VRRP_ACT_DISCARDED);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(vrrp_state_name(VRRP_STATE_INIT), "INIT");
	assert_string_equal(vrrp_state_name(VRRP_STATE_BACKUP), "BACKUP");
	assert_string_equal(vrrp_state_name(VRRP_STATE_MASTER), "MASTER");
	assert_string_equal(vrrp_state_name(VRRP_STATE_FAULT), "FAULT");
	assert_string_equal(vrrp_reason_name(VRRP_R_NONE), "none");
	assert_string_equal(vrrp_reason_name(VRRP_R_STARTUP), "startup");
	assert_string_equal(vrrp_reason_name(VRRP_R_MASTER_DOWN), "master-down");
	assert_string_equal(vrrp_reason_name(VRRP_R_PRIO_ZERO), "priority-zero");
	assert_string_equal(vrrp_reason_name(VRRP_R_HIGHER_PRIO), "higher-priority");
	assert_string_equal(vrrp_reason_name(VRRP_R_PREEMPTED), "preempted");
	assert_string_equal(vrrp_reason_name(VRRP_R_SHUTDOWN), "shutdown");
	assert_string_equal(vrrp_reason_name(VRRP_R_LINK_DOWN), "link-down");
	assert_string_equal(vrrp_reason_name(VRRP_R_LINK_UP), "link-up");
	assert_string_equal(vrrp_reason_name(VRRP_R_ADMIN_FAILOVER), "admin-failover");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_master_down_timer_takeover),
		cmocka_unit_test(test_stale_timer_calls),
		cmocka_unit_test(test_adver_timer_rearms),
		cmocka_unit_test(test_shutdown_master),
		cmocka_unit_test(test_shutdown_backup_and_fault),
		cmocka_unit_test(test_link_down_master),
		cmocka_unit_test(test_link_down_backup_up_again),
		cmocka_unit_test(test_link_up_owner_from_fault),
		cmocka_unit_test(test_link_in_init),
		cmocka_unit_test(test_link_up_restarts_preempt_delay),
		cmocka_unit_test(test_set_priority_master),
		cmocka_unit_test(test_set_priority_backup_outranks),
		cmocka_unit_test(test_set_priority_backup_lower),
		cmocka_unit_test(test_set_priority_backup_to_owner),
		cmocka_unit_test(test_set_priority_fault_init),
		cmocka_unit_test(test_set_cfg_master_interval),
		cmocka_unit_test(test_set_cfg_backup_keeps_timers),
		cmocka_unit_test(test_set_cfg_preempt_toggle),
		cmocka_unit_test(test_set_cfg_preempt_delay),
		cmocka_unit_test(test_failover_not_master),
		cmocka_unit_test(test_failover_master),
		cmocka_unit_test(test_failover_hold_window),
		cmocka_unit_test(test_owner_always_preempts),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
