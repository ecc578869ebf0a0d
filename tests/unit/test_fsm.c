/* Unit tests for the VRRP state machine (vrrpd/vrrp/fsm.c). The clock is the
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

/* ---- arithmetic (RFC 3768 6.1, RFC 5798 6.1) ---- */

static void test_skew_v2(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_cfg c = cfg_of(2, 98);
	(void)state;

	vrrp_fsm_init(&f, &c);
	assert_int_equal(vrrp_skew_time_us(&f), 617187);
	assert_int_equal(vrrp_master_down_interval_us(&f), 3617187);
	f.cfg.priority = 100;
	assert_int_equal(vrrp_skew_time_us(&f), 609375);
	assert_int_equal(vrrp_master_down_interval_us(&f), 3609375);
	f.cfg.priority = 255;
	assert_int_equal(vrrp_skew_time_us(&f), 3906);
	f.cfg.priority = 1;
	assert_int_equal(vrrp_skew_time_us(&f), 996093);
}

/* v2 always uses the configured interval, never a learned one. */
static void test_mdi_v2_uses_configured_interval(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_cfg c = cfg_of(2, 98);
	(void)state;

	c.adv_interval_cs = 300;
	vrrp_fsm_init(&f, &c);
	assert_int_equal(vrrp_master_down_interval_us(&f), 9617187);
	f.master_adver_interval_cs = 50;
	assert_int_equal(vrrp_skew_time_us(&f), 617187);
	assert_int_equal(vrrp_master_down_interval_us(&f), 9617187);
}

/* keepalived down_timer_adverts: N intervals instead of the RFC's 3. */
static void test_mdi_down_adverts(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_cfg c = cfg_of(2, 98);
	(void)state;

	c.down_adverts = 5;
	vrrp_fsm_init(&f, &c);
	assert_int_equal(vrrp_master_down_interval_us(&f), 5 * S + 617187);
	c.down_adverts = 0; /* unset: the RFC's 3 */
	vrrp_fsm_set_cfg(&f, T0, &c);
	assert_int_equal(vrrp_master_down_interval_us(&f), 3 * S + 617187);
}

static void test_skew_v3(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_cfg c = cfg_of(3, 200);
	(void)state;

	vrrp_fsm_init(&f, &c);
	assert_int_equal(f.master_adver_interval_cs, 100);
	/* (256-200)*100/256 cs = 21.875 cs */
	assert_int_equal(vrrp_skew_time_us(&f), 218750);
	assert_int_equal(vrrp_master_down_interval_us(&f), 3218750);
	/* v3 follows the learned Master_Adver_Interval */
	f.master_adver_interval_cs = 50;
	f.cfg.priority = 100;
	assert_int_equal(vrrp_skew_time_us(&f), 304687); /* 156*50/256 cs */
	assert_int_equal(vrrp_master_down_interval_us(&f), 1804687);
	f.master_adver_interval_cs = 4095;
	f.cfg.priority = 1;
	assert_int_equal(vrrp_skew_time_us(&f), 40790039);
	assert_int_equal(vrrp_master_down_interval_us(&f), 3 * 40950000ull + 40790039);
}

/* ---- startup (6.4.1) ---- */

static void test_startup_backup(void **state)
{
	struct vrrp_fsm f;
	(void)state;

	backup_v2(&f, 98);
	assert_int_equal(f.old_state, VRRP_STATE_INIT);
	assert_int_equal(f.reason, VRRP_R_STARTUP);
	assert_int_equal(f.master_down_timer_us, T0 + 3617187);
	assert_int_equal(f.adver_timer_us, 0);
	assert_int_equal(f.master_adver_interval_cs, 100);
	assert_false(vaddr_is_set(&f.master_addr));
	assert_true(f.link_up);
	/* a second startup is stale */
	assert_int_equal(vrrp_fsm_startup(&f, T0 + 1, true), 0);
	assert_int_equal(f.master_down_timer_us, T0 + 3617187);
}

static void test_startup_link_down_fault(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_cfg c = cfg_of(2, 255);
	(void)state;

	mk(&f, &c, "10.0.0.2");
	assert_int_equal(vrrp_fsm_startup(&f, T0, false), VRRP_ACT_STATE_CHANGED);
	assert_int_equal(f.state, VRRP_STATE_FAULT);
	assert_int_equal(f.old_state, VRRP_STATE_INIT);
	assert_int_equal(f.reason, VRRP_R_STARTUP);
	assert_int_equal(f.adver_timer_us, 0);
	assert_int_equal(f.master_down_timer_us, 0);
	assert_false(f.link_up);
}

static void test_startup_owner(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_cfg c = cfg_of(2, 255);
	(void)state;

	mk(&f, &c, "10.0.0.2");
	assert_int_equal(vrrp_fsm_startup(&f, T0, true), TAKEOVER);
	assert_int_equal(f.state, VRRP_STATE_MASTER);
	assert_int_equal(f.reason, VRRP_R_STARTUP);
	assert_int_equal(f.adver_timer_us, T0 + S);
	assert_int_equal(f.master_down_timer_us, 0);
	assert_int_equal(vaddr_cmp(&f.master_addr, &f.primary), 0);
	assert_int_equal(f.master_prio, 255);
}

/* RFC 5798 6.4.1: whatever the priority below 255 (and whatever keepalived
 * "state" said), startup enters Backup with the Master_Down_Timer at
 * now + Master_Down_Interval and touches no address; link-up from Fault
 * does the same. */
static void test_startup_non_owner_always_backup(void **state)
{
	static const struct {
		uint8_t version, prio;
		uint16_t interval_cs;
		uint64_t mdi_us;
	} cases[] = {
		{ 2, 1, 100, 3 * S + 996093 },
		{ 2, 100, 100, 3 * S + 609375 },
		{ 2, 254, 100, 3 * S + 7812 },
		{ 2, 254, 300, 9 * S + 7812 },
		{ 3, 100, 100, 3 * S + 609375 },
		{ 3, 254, 50, 1500000 + 3906 },   /* 2*50/256 cs */
		{ 3, 1, 4095, 3 * 40950000ull + 40790039 },
	};
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vrrp_fsm f;
		struct vrrp_fsm_cfg c = cfg_of(cases[i].version, cases[i].prio);

		c.adv_interval_cs = cases[i].interval_cs;
		mk(&f, &c, "10.0.0.2");
		assert_int_equal(vrrp_fsm_startup(&f, T0, true), VRRP_ACT_STATE_CHANGED);
		assert_int_equal(f.state, VRRP_STATE_BACKUP);
		assert_int_equal(f.old_state, VRRP_STATE_INIT);
		assert_int_equal(f.reason, VRRP_R_STARTUP);
		assert_int_equal(f.master_down_timer_us, T0 + cases[i].mdi_us);
		assert_int_equal(f.adver_timer_us, 0);
		assert_false(vaddr_is_set(&f.master_addr));

		/* link-up from Fault (started with link down) */
		mk(&f, &c, "10.0.0.2");
		assert_int_equal(vrrp_fsm_startup(&f, T0, false), VRRP_ACT_STATE_CHANGED);
		assert_int_equal(f.state, VRRP_STATE_FAULT);
		assert_int_equal(vrrp_fsm_on_link(&f, T0 + 7 * S, true),
				 VRRP_ACT_STATE_CHANGED);
		assert_int_equal(f.state, VRRP_STATE_BACKUP);
		assert_int_equal(f.old_state, VRRP_STATE_FAULT);
		assert_int_equal(f.reason, VRRP_R_LINK_UP);
		assert_int_equal(f.master_down_timer_us, T0 + 7 * S + cases[i].mdi_us);
		assert_int_equal(f.adver_timer_us, 0);

		/* link-up from Fault after having been master: Backup too */
		master_at(&f, &c, "10.0.0.2", T0);
		assert_int_equal(vrrp_fsm_on_link(&f, T0 + S, false),
				 VRRP_ACT_STATE_CHANGED);
		assert_int_equal(vrrp_fsm_on_link(&f, T0 + 2 * S, true),
				 VRRP_ACT_STATE_CHANGED);
		assert_int_equal(f.state, VRRP_STATE_BACKUP);
		assert_int_equal(f.reason, VRRP_R_LINK_UP);
		assert_int_equal(f.master_down_timer_us, T0 + 2 * S + cases[i].mdi_us);
		assert_int_equal(f.adver_timer_us, 0);
	}
}

/* A v3 master with its own interval, reached through the master-down timer:
 * it sends at that interval with its priority, and a better master's
 * advert demotes it (6.4.3). */
static void test_master_v3_via_master_down(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_cfg c = cfg_of(3, 100);
	(void)state;

	c.adv_interval_cs = 50;
	master_at(&f, &c, "10.0.0.2", T0);
	assert_int_equal(f.adver_timer_us, T0 + S / 2);
	assert_int_equal(f.master_prio, 100);
	/* a better master's advert demotes it (6.4.3) */
	struct vrrp_fsm_adv a = adv(150, 100, "10.0.0.1");
	assert_int_equal(vrrp_fsm_on_advert(&f, T0 + 10, &a), DEMOTED);
	assert_int_equal(f.state, VRRP_STATE_BACKUP);
}

static void test_startup_preempt_delay_anchor(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_cfg c = cfg_of(2, 100);
	(void)state;

	c.preempt_delay_ms = 2500;
	mk(&f, &c, "10.0.0.2");
	vrrp_fsm_startup(&f, T0, true);
	assert_int_equal(f.preempt_after_us, T0 + 2500000);
}

/* ---- Backup receives adverts (6.4.2) ---- */

static void test_backup_accepts_higher(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_adv a = adv(100, 100, "10.0.0.1");
	(void)state;

	backup_v2(&f, 98);
	assert_int_equal(vrrp_fsm_on_advert(&f, T0 + S, &a), VRRP_ACT_MASTER_CHANGED);
	assert_int_equal(vaddr_cmp(&f.master_addr, &a.src), 0);
	assert_int_equal(f.master_prio, 100);
	assert_int_equal(f.master_down_timer_us, T0 + S + 3617187);
	assert_int_equal(f.state, VRRP_STATE_BACKUP);
	/* the same master again: timer reset, nothing changed */
	assert_int_equal(vrrp_fsm_on_advert(&f, T0 + 2 * S, &a), 0);
	assert_int_equal(f.master_down_timer_us, T0 + 2 * S + 3617187);
	/* the master changes its priority: reported */
	a.priority = 120;
	assert_int_equal(vrrp_fsm_on_advert(&f, T0 + 3 * S, &a), VRRP_ACT_MASTER_CHANGED);
	assert_int_equal(f.master_prio, 120);
}

static void test_backup_accepts_equal(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_adv a = adv(98, 100, "10.0.0.1"); /* lower address */
	(void)state;

	backup_v2(&f, 98);
	assert_int_equal(vrrp_fsm_on_advert(&f, T0 + S, &a), VRRP_ACT_MASTER_CHANGED);
	assert_int_equal(f.master_down_timer_us, T0 + S + 3617187);
}

static void test_backup_v2_ignores_advert_interval(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_adv a = adv(100, 200, "10.0.0.1");
	(void)state;

	backup_v2(&f, 98);
	vrrp_fsm_on_advert(&f, T0 + S, &a);
	assert_int_equal(f.master_adver_interval_cs, 100);
	assert_int_equal(f.master_down_timer_us, T0 + S + 3617187);
}

static void test_backup_v3_learns_mai(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_cfg c = cfg_of(3, 200);
	struct vrrp_fsm_adv a = adv(250, 50, "10.0.0.1");
	(void)state;

	mk(&f, &c, "10.0.0.2");
	vrrp_fsm_startup(&f, T0, true);
	assert_int_equal(f.master_down_timer_us, T0 + 3218750);
	assert_int_equal(vrrp_fsm_on_advert(&f, T0 + S, &a), VRRP_ACT_MASTER_CHANGED);
	assert_int_equal(f.master_adver_interval_cs, 50);
	/* skew (56*50/256 cs = 109375 us) and MDI follow the learned MAI */
	assert_int_equal(vrrp_skew_time_us(&f), 109375);
	assert_int_equal(f.master_down_timer_us, T0 + S + 1500000 + 109375);
	/* the master slows down: learned again */
	a.interval_cs = 200;
	vrrp_fsm_on_advert(&f, T0 + 2 * S, &a);
	assert_int_equal(f.master_adver_interval_cs, 200);
	assert_int_equal(f.master_down_timer_us, T0 + 2 * S + 6000000 + 437500);
}

static void test_backup_preempt_discards_lower(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_adv a = adv(98, 100, "10.0.0.1");
	(void)state;

	backup_v2(&f, 100);
	uint64_t mdt = f.master_down_timer_us;
	assert_int_equal(vrrp_fsm_on_advert(&f, T0 + S, &a), VRRP_ACT_DISCARDED);
	assert_int_equal(f.discard, VRRP_DISCARD_LOWER_PREEMPT);
	assert_int_equal(f.master_down_timer_us, mdt);
	assert_false(vaddr_is_set(&f.master_addr));
	assert_int_equal(vrrp_fsm_on_advert(&f, T0 + 2 * S, &a), VRRP_ACT_DISCARDED);
	assert_int_equal(f.master_down_timer_us, T0 + 3609375);
	/* the timer fires and we preempt */
	assert_int_equal(vrrp_fsm_on_master_down_timer(&f, mdt), TAKEOVER);
	assert_int_equal(f.state, VRRP_STATE_MASTER);
	assert_int_equal(f.reason, VRRP_R_MASTER_DOWN);
}

static void test_backup_nopreempt_accepts_lower(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_cfg c = cfg_of(2, 100);
	struct vrrp_fsm_adv a = adv(98, 100, "10.0.0.1");
	(void)state;

	c.preempt = false;
	mk(&f, &c, "10.0.0.2");
	vrrp_fsm_startup(&f, T0, true);
	assert_int_equal(vrrp_fsm_on_advert(&f, T0 + S, &a), VRRP_ACT_MASTER_CHANGED);
	assert_int_equal(f.master_prio, 98);
	assert_int_equal(f.master_down_timer_us, T0 + S + 3609375);
}

static void test_backup_preempt_delay_window(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_cfg c = cfg_of(2, 100);
	struct vrrp_fsm_adv a = adv(98, 100, "10.0.0.1");
	(void)state;

	c.preempt_delay_ms = 5000;
	mk(&f, &c, "10.0.0.2");
	vrrp_fsm_startup(&f, T0, true);
	/* before the deadline the lower master is followed */
	assert_int_equal(vrrp_fsm_on_advert(&f, T0 + S, &a), VRRP_ACT_MASTER_CHANGED);
	assert_int_equal(vrrp_fsm_on_advert(&f, T0 + 5 * S - 1, &a), 0);
	assert_int_equal(f.master_down_timer_us, T0 + 5 * S - 1 + 3609375);
	/* from the deadline on it is discarded and the timer runs out */
	assert_int_equal(vrrp_fsm_on_advert(&f, T0 + 5 * S, &a), VRRP_ACT_DISCARDED);
	assert_int_equal(f.master_down_timer_us, T0 + 5 * S - 1 + 3609375);
	assert_int_equal(vrrp_fsm_on_master_down_timer(&f, T0 + 5 * S - 1 + 3609375),
			 TAKEOVER);
	assert_int_equal(f.reason, VRRP_R_MASTER_DOWN);
}

static void test_backup_prio0_skew(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_adv a = adv(100, 100, "10.0.0.1");
	struct vrrp_fsm_adv z = adv(0, 100, "10.0.0.1");
	(void)state;

	backup_v2(&f, 98);
	vrrp_fsm_on_advert(&f, T0 + S, &a);
	assert_int_equal(vrrp_fsm_on_advert(&f, T0 + 2 * S, &z), VRRP_ACT_MASTER_CHANGED);
	assert_false(vaddr_is_set(&f.master_addr));
	assert_int_equal(f.master_down_timer_us, T0 + 2 * S + 617187);
	assert_int_equal(f.state, VRRP_STATE_BACKUP);
	assert_int_equal(vrrp_fsm_on_master_down_timer(&f, T0 + 2 * S + 617187), TAKEOVER);
	assert_int_equal(f.state, VRRP_STATE_MASTER);
	assert_int_equal(f.reason, VRRP_R_PRIO_ZERO);
	assert_int_equal(f.adver_timer_us, T0 + 2 * S + 617187 + S);
	assert_int_equal(f.master_down_timer_us, 0);
	assert_int_equal(vaddr_cmp(&f.master_addr, &f.primary), 0);
	assert_int_equal(f.master_prio, 98);
}

/* Priority 0 with no master known: only the timer moves. */
static void test_backup_prio0_no_master_known(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_adv z = adv(0, 100, "10.0.0.1");
	(void)state;

	backup_v2(&f, 98);
	assert_int_equal(vrrp_fsm_on_advert(&f, T0 + 10, &z), 0);
	assert_int_equal(f.master_down_timer_us, T0 + 10 + 617187);
}

/* A new master announcing itself after a priority 0 cancels the skew
 * takeover, and a later expiry is a plain master-down. */
static void test_backup_prio0_then_new_master(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_adv z = adv(0, 100, "10.0.0.1");
	struct vrrp_fsm_adv b = adv(99, 100, "10.0.0.3");
	(void)state;

	backup_v2(&f, 98);
	vrrp_fsm_on_advert(&f, T0 + S, &z);
	assert_int_equal(vrrp_fsm_on_advert(&f, T0 + S + 600000, &b), VRRP_ACT_MASTER_CHANGED);
	assert_int_equal(f.master_down_timer_us, T0 + S + 600000 + 3617187);
	assert_int_equal(vrrp_fsm_on_master_down_timer(&f, f.master_down_timer_us), TAKEOVER);
	assert_int_equal(f.reason, VRRP_R_MASTER_DOWN);
}

static void test_v3_prio0_skew_uses_mai(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_cfg c = cfg_of(3, 98);
	struct vrrp_fsm_adv a = adv(100, 50, "10.0.0.1");
	struct vrrp_fsm_adv z = adv(0, 50, "10.0.0.1");
	(void)state;

	mk(&f, &c, "10.0.0.2");
	vrrp_fsm_startup(&f, T0, true);
	vrrp_fsm_on_advert(&f, T0 + S, &a);
	vrrp_fsm_on_advert(&f, T0 + 2 * S, &z);
	/* 158 * 50 / 256 cs = 308593.75 us */
	assert_int_equal(f.master_down_timer_us, T0 + 2 * S + 308593);
}

/* ---- Master receives adverts (6.4.3) ---- */

static void test_master_demoted_by_higher(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_adv a = adv(101, 100, "10.0.0.1");
	(void)state;

	master_v2(&f, 100);
	assert_int_equal(vrrp_fsm_on_advert(&f, T0 + 5, &a), DEMOTED);
	assert_int_equal(f.state, VRRP_STATE_BACKUP);
	assert_int_equal(f.old_state, VRRP_STATE_MASTER);
	assert_int_equal(f.reason, VRRP_R_HIGHER_PRIO);
	assert_int_equal(f.adver_timer_us, 0);
	assert_int_equal(f.master_down_timer_us, T0 + 5 + 3609375);
	assert_int_equal(vaddr_cmp(&f.master_addr, &a.src), 0);
	assert_int_equal(f.master_prio, 101);
}

static void test_master_v3_demoted_learns_mai(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_cfg c = cfg_of(3, 100);
	struct vrrp_fsm_adv a = adv(200, 25, "10.0.0.1");
	(void)state;

	master_at(&f, &c, "10.0.0.2", T0);
	assert_int_equal(vrrp_fsm_on_advert(&f, T0, &a), DEMOTED);
	assert_int_equal(f.master_adver_interval_cs, 25);
	/* 3 * 250 ms + 156 * 25 / 256 cs */
	assert_int_equal(f.master_down_timer_us, T0 + 750000 + 152343);
}

static void test_master_tie_greater_address_wins(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_adv a = adv(100, 100, "10.0.0.3"); /* > 10.0.0.2 */
	(void)state;

	master_v2(&f, 100);
	assert_int_equal(vrrp_fsm_on_advert(&f, T0 + 5, &a), DEMOTED);
	assert_int_equal(f.state, VRRP_STATE_BACKUP);
	assert_int_equal(f.reason, VRRP_R_HIGHER_PRIO);
}

static void test_master_tie_lower_address_loses(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_adv a = adv(100, 100, "10.0.0.1"); /* < 10.0.0.2 */
	(void)state;

	master_v2(&f, 100);
	assert_int_equal(vrrp_fsm_on_advert(&f, T0 + 5, &a), VRRP_ACT_DISCARDED);
	assert_int_equal(f.state, VRRP_STATE_MASTER);
	assert_int_equal(f.adver_timer_us, T0 + S);
	/* addresses compare as unsigned integers: 10.0.0.2 > 9.255.255.255 */
	a.src = addr("9.255.255.255");
	assert_int_equal(vrrp_fsm_on_advert(&f, T0 + 6, &a), VRRP_ACT_DISCARDED);
	a.src = addr("10.0.0.10");
	assert_int_equal(vrrp_fsm_on_advert(&f, T0 + 7, &a), DEMOTED);
}

static void test_master_tie_ipv6(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_cfg c = cfg_of(3, 100);
	struct vrrp_fsm_adv lo = adv(100, 100, "fe80::1");
	struct vrrp_fsm_adv hi = adv(100, 100, "fe80::1:0");
	(void)state;

	master_at(&f, &c, "fe80::2", T0);
	assert_int_equal(vrrp_fsm_on_advert(&f, T0 + 1, &lo), VRRP_ACT_DISCARDED);
	assert_int_equal(vrrp_fsm_on_advert(&f, T0 + 2, &hi), DEMOTED);
}

static void test_master_discards_lower(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_adv a = adv(99, 100, "10.0.0.200");
	(void)state;

	master_v2(&f, 100);
	assert_int_equal(vrrp_fsm_on_advert(&f, T0 + 5, &a), VRRP_ACT_DISCARDED);
	assert_int_equal(f.discard, VRRP_DISCARD_LOWER_MASTER);
	assert_int_equal(f.state, VRRP_STATE_MASTER);
	assert_int_equal(f.adver_timer_us, T0 + S);
	assert_int_equal(f.master_down_timer_us, 0);
}

static void test_master_prio0_answers(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_adv z = adv(0, 100, "10.0.0.1");
	(void)state;

	master_v2(&f, 100);
	assert_int_equal(vrrp_fsm_on_advert(&f, T0 + 300000, &z), VRRP_ACT_SEND_ADVERT);
	assert_int_equal(f.adver_timer_us, T0 + 300000 + S);
	assert_int_equal(f.state, VRRP_STATE_MASTER);
}

static void test_init_fault_ignore_adverts(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_cfg c = cfg_of(2, 100);
	struct vrrp_fsm_adv a = adv(200, 100, "10.0.0.1");
	struct vrrp_fsm_adv z = adv(0, 100, "10.0.0.1");
	(void)state;

	mk(&f, &c, "10.0.0.2");
	assert_int_equal(vrrp_fsm_on_advert(&f, T0, &a), VRRP_ACT_DISCARDED);
	assert_int_equal(vrrp_fsm_on_advert(&f, T0, &z), VRRP_ACT_DISCARDED);
	assert_int_equal(f.state, VRRP_STATE_INIT);
	vrrp_fsm_startup(&f, T0, false);
	assert_int_equal(vrrp_fsm_on_advert(&f, T0, &a), VRRP_ACT_DISCARDED);
	assert_int_equal(vrrp_fsm_on_advert(&f, T0, &z), VRRP_ACT_DISCARDED);
	assert_int_equal(f.state, VRRP_STATE_FAULT);
	assert_int_equal(f.master_down_timer_us, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_skew_v2),
		cmocka_unit_test(test_mdi_v2_uses_configured_interval),
		cmocka_unit_test(test_mdi_down_adverts),
		cmocka_unit_test(test_skew_v3),
		cmocka_unit_test(test_startup_backup),
		cmocka_unit_test(test_startup_link_down_fault),
		cmocka_unit_test(test_startup_owner),
		cmocka_unit_test(test_startup_non_owner_always_backup),
		cmocka_unit_test(test_master_v3_via_master_down),
		cmocka_unit_test(test_startup_preempt_delay_anchor),
		cmocka_unit_test(test_backup_accepts_higher),
		cmocka_unit_test(test_backup_accepts_equal),
		cmocka_unit_test(test_backup_v2_ignores_advert_interval),
		cmocka_unit_test(test_backup_v3_learns_mai),
		cmocka_unit_test(test_backup_preempt_discards_lower),
		cmocka_unit_test(test_backup_nopreempt_accepts_lower),
		cmocka_unit_test(test_backup_preempt_delay_window),
		cmocka_unit_test(test_backup_prio0_skew),
		cmocka_unit_test(test_backup_prio0_no_master_known),
		cmocka_unit_test(test_backup_prio0_then_new_master),
		cmocka_unit_test(test_v3_prio0_skew_uses_mai),
		cmocka_unit_test(test_master_demoted_by_higher),
		cmocka_unit_test(test_master_v3_demoted_learns_mai),
		cmocka_unit_test(test_master_tie_greater_address_wins),
		cmocka_unit_test(test_master_tie_lower_address_loses),
		cmocka_unit_test(test_master_tie_ipv6),
		cmocka_unit_test(test_master_discards_lower),
		cmocka_unit_test(test_master_prio0_answers),
		cmocka_unit_test(test_init_fault_ignore_adverts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
