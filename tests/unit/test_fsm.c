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

#define S 1000000ull            /* one second in microseconds */
#define T0 (1000 * S)           /* an arbitrary start time */

/* The VIPs and gratuitous ARP of Master are entry actions of the state
 * (instance_transition.c), not action bits: a takeover is an advert and
 * the state change. */
#define TAKEOVER (VRRP_ACT_SEND_ADVERT | VRRP_ACT_STATE_CHANGED)
#define DEMOTED (VRRP_ACT_STATE_CHANGED | VRRP_ACT_MASTER_CHANGED)

static struct vrrp_fsm_cfg cfg_of(uint8_t version, uint8_t prio)
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

static struct vaddr addr(const char *s)
{
	struct vaddr a;

	assert_int_equal(vaddr_parse(s, &a, NULL), 0);
	return a;
}

static void mk(struct vrrp_fsm *f, const struct vrrp_fsm_cfg *c, const char *primary)
{
	vrrp_fsm_init(f, c);
	f->primary = addr(primary);
}

static struct vrrp_fsm_adv adv(uint8_t prio, uint16_t interval_cs, const char *src)
{
	struct vrrp_fsm_adv a = { .priority = prio, .interval_cs = interval_cs };

	a.src = addr(src);
	return a;
}

/* A v2 backup (priority prio, 10.0.0.2) started at T0. */
static void backup_v2(struct vrrp_fsm *f, uint8_t prio)
{
	struct vrrp_fsm_cfg c = cfg_of(2, prio);

	mk(f, &c, "10.0.0.2");
	assert_int_equal(vrrp_fsm_startup(f, T0, true), VRRP_ACT_STATE_CHANGED);
	assert_int_equal(f->state, VRRP_STATE_BACKUP);
}

/* The only way a non-owner becomes master (RFC 5798 6.4.1 / 6.4.2): start
 * as backup at at_us - Master_Down_Interval, hear nothing, and take over
 * when the Master_Down_Timer fires at its deadline, exactly at_us. */
static void master_at(struct vrrp_fsm *f, const struct vrrp_fsm_cfg *c,
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
static void master_v2(struct vrrp_fsm *f, uint8_t prio)
{
	struct vrrp_fsm_cfg c = cfg_of(2, prio);

	master_at(f, &c, "10.0.0.2", T0);
}

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

/* ---- simulated LAN: N machines, one clock, zero-latency delivery ---- */

#define SIM_MAX 4

struct sim_node {
	struct vrrp_fsm f;
	bool alive;       /* process running (crash = false without shutdown) */
	bool vips;        /* holds the VIPs according to the actions seen */
	unsigned n_master;
	uint64_t became_master_us;
	unsigned adverts_sent;
};

struct sim {
	struct sim_node n[SIM_MAX];
	int count;
	uint64_t now_us;
	uint64_t check_from_us; /* exactly one master from here on */
	bool check;
};

static void sim_act(struct sim *s, int i, unsigned act);

static void sim_send(struct sim *s, int from, uint8_t prio)
{
	struct vrrp_fsm_adv a = {
		.priority = prio,
		.interval_cs = s->n[from].f.cfg.adv_interval_cs,
		.src = s->n[from].f.primary,
	};

	s->n[from].adverts_sent++;
	for (int j = 0; j < s->count; j++)
		if (j != from && s->n[j].alive)
			sim_act(s, j, vrrp_fsm_on_advert(&s->n[j].f, s->now_us, &a));
}

static void sim_act(struct sim *s, int i, unsigned act)
{
	struct sim_node *n = &s->n[i];

	/* the instance's entry/exit table: VIPs exactly while Master */
	if (act & VRRP_ACT_STATE_CHANGED)
		n->vips = n->f.state == VRRP_STATE_MASTER;
	if ((act & VRRP_ACT_STATE_CHANGED) && n->f.state == VRRP_STATE_MASTER) {
		n->n_master++;
		n->became_master_us = s->now_us;
	}
	if (act & VRRP_ACT_SEND_ADVERT)
		sim_send(s, i, n->f.cfg.priority);
	if (act & VRRP_ACT_SEND_PRIO0)
		sim_send(s, i, 0);
}

static int sim_masters(const struct sim *s)
{
	int m = 0;

	for (int i = 0; i < s->count; i++) {
		const struct sim_node *n = &s->n[i];

		if (!n->alive)
			continue;
		/* the actions must agree with the state */
		assert_int_equal(n->vips, n->f.state == VRRP_STATE_MASTER);
		m += n->f.state == VRRP_STATE_MASTER;
	}
	return m;
}

static void sim_check(const struct sim *s)
{
	int m = sim_masters(s);

	if (s->check && s->now_us >= s->check_from_us)
		assert_int_equal(m, 1);
}

static void sim_add(struct sim *s, const struct vrrp_fsm_cfg *c, const char *primary)
{
	struct sim_node *n = &s->n[s->count++];

	memset(n, 0, sizeof(*n));
	mk(&n->f, c, primary);
}

static void sim_start(struct sim *s, int i)
{
	s->n[i].alive = true;
	sim_act(s, i, vrrp_fsm_startup(&s->n[i].f, s->now_us, true));
}

static void sim_stop(struct sim *s, int i)
{
	sim_act(s, i, vrrp_fsm_shutdown(&s->n[i].f, s->now_us));
	s->n[i].alive = false;
	s->n[i].vips = false;
}

static void sim_crash(struct sim *s, int i)
{
	s->n[i].alive = false;
	s->n[i].vips = false;
}

/* Fire every timer due up to until_us in time order, then set the clock
 * to until_us. Ties go to the lower index, the master-down timer first. */
static void sim_run(struct sim *s, uint64_t until_us)
{
	for (;;) {
		uint64_t best = UINT64_MAX;
		int who = -1;
		bool down = false;

		for (int i = 0; i < s->count; i++) {
			const struct vrrp_fsm *f = &s->n[i].f;

			if (!s->n[i].alive)
				continue;
			if (f->master_down_timer_us && f->master_down_timer_us < best) {
				best = f->master_down_timer_us;
				who = i;
				down = true;
			}
			if (f->adver_timer_us && f->adver_timer_us < best) {
				best = f->adver_timer_us;
				who = i;
				down = false;
			}
		}
		if (who < 0 || best > until_us)
			break;
		assert_true(best >= s->now_us); /* deadlines never in the past */
		s->now_us = best;
		struct vrrp_fsm *f = &s->n[who].f;
		sim_act(s, who, down ? vrrp_fsm_on_master_down_timer(f, s->now_us)
				     : vrrp_fsm_on_adver_timer(f, s->now_us));
		sim_check(s);
	}
	s->now_us = until_us;
}

/* Two v2 routers as in the write-up: node1 priority 100, node2 98. */
static void sim_pair(struct sim *s, bool preempt)
{
	struct vrrp_fsm_cfg c1 = cfg_of(2, 100), c2 = cfg_of(2, 98);

	memset(s, 0, sizeof(*s));
	c1.preempt = preempt;
	c2.preempt = preempt;
	s->now_us = T0;
	sim_add(s, &c1, "10.10.10.101");
	sim_add(s, &c2, "10.10.10.102");
}

static void test_sim_pair_converge_and_skew_takeover(void **state)
{
	struct sim s;
	(void)state;

	sim_pair(&s, true);
	sim_start(&s, 0);
	sim_start(&s, 1);
	/* both start as backup; node1's shorter skew wins */
	sim_run(&s, T0 + 3609375 - 1);
	assert_int_equal(sim_masters(&s), 0);
	s.check = true;
	s.check_from_us = T0 + 3609375;
	sim_run(&s, T0 + 60 * S);
	assert_int_equal(s.n[0].f.state, VRRP_STATE_MASTER);
	assert_int_equal(s.n[0].became_master_us, T0 + 3609375);
	assert_int_equal(s.n[0].n_master, 1);
	assert_int_equal(s.n[1].n_master, 0);
	assert_int_equal(vaddr_cmp(&s.n[1].f.master_addr, &s.n[0].f.primary), 0);
	/* one advert per second from the master only */
	assert_int_equal(s.n[0].adverts_sent, 1 + 56);
	assert_int_equal(s.n[1].adverts_sent, 0);

	/* graceful stop of the master: node2 takes over after its skew */
	s.check = false;
	uint64_t stop_us = T0 + 60 * S + 123456;
	sim_run(&s, stop_us);
	sim_stop(&s, 0);
	assert_int_equal(s.n[1].f.master_down_timer_us, stop_us + 617187);
	sim_run(&s, stop_us + 617186);
	assert_int_equal(s.n[1].f.state, VRRP_STATE_BACKUP);
	sim_run(&s, stop_us + 617187);
	assert_int_equal(s.n[1].f.state, VRRP_STATE_MASTER);
	assert_int_equal(s.n[1].became_master_us - stop_us, 617187);
	assert_int_equal(s.n[1].f.reason, VRRP_R_PRIO_ZERO);

	/* node1 comes back: backup first, then preempts when its master-down
	 * timer runs out, because node2's adverts are discarded */
	uint64_t restart_us = T0 + 70 * S;
	sim_run(&s, restart_us);
	sim_start(&s, 0);
	assert_int_equal(s.n[0].f.state, VRRP_STATE_BACKUP);
	s.check = true;
	s.check_from_us = restart_us;
	sim_run(&s, restart_us + 120 * S);
	assert_int_equal(s.n[0].f.state, VRRP_STATE_MASTER);
	assert_int_equal(s.n[0].became_master_us, restart_us + 3609375);
	assert_int_equal(s.n[0].f.reason, VRRP_R_MASTER_DOWN);
	assert_int_equal(s.n[1].f.state, VRRP_STATE_BACKUP);
	assert_int_equal(s.n[1].f.reason, VRRP_R_HIGHER_PRIO);
	assert_int_equal(s.n[1].n_master, 1);
}

static void test_sim_pair_nopreempt(void **state)
{
	struct sim s;
	(void)state;

	/* node2 alone becomes master, node1 joins later and stays backup */
	sim_pair(&s, false);
	sim_start(&s, 1);
	sim_run(&s, T0 + 10 * S);
	assert_int_equal(s.n[1].f.state, VRRP_STATE_MASTER);
	sim_start(&s, 0);
	s.check = true;
	s.check_from_us = s.now_us;
	sim_run(&s, T0 + 600 * S);
	assert_int_equal(s.n[0].f.state, VRRP_STATE_BACKUP);
	assert_int_equal(s.n[0].n_master, 0);
	assert_int_equal(s.n[1].n_master, 1);
	assert_int_equal(s.n[0].f.master_prio, 98);
	/* until the master fails */
	s.check = false;
	uint64_t crash_us = s.now_us;
	uint64_t last_adv_us = s.n[1].f.adver_timer_us - S;
	sim_crash(&s, 1);
	sim_run(&s, crash_us + 10 * S);
	assert_int_equal(s.n[0].f.state, VRRP_STATE_MASTER);
	assert_int_equal(s.n[0].became_master_us, last_adv_us + 3609375);
}

static void test_sim_pair_crash(void **state)
{
	struct sim s;
	(void)state;

	sim_pair(&s, true);
	sim_start(&s, 0);
	sim_start(&s, 1);
	sim_run(&s, T0 + 20 * S + 500000);
	uint64_t last_adv_us = s.n[0].f.adver_timer_us - S;
	sim_crash(&s, 0);
	sim_run(&s, T0 + 40 * S);
	assert_int_equal(s.n[1].f.state, VRRP_STATE_MASTER);
	assert_int_equal(s.n[1].became_master_us, last_adv_us + 3617187);
	assert_int_equal(s.n[1].f.reason, VRRP_R_MASTER_DOWN);
}

/* Three routers: after the master resigns only the best backup (shortest
 * skew) takes over; the other follows it. */
static void test_sim_three_best_backup_wins(void **state)
{
	struct sim s;
	struct vrrp_fsm_cfg c1 = cfg_of(2, 100), c2 = cfg_of(2, 98), c3 = cfg_of(2, 90);
	(void)state;

	memset(&s, 0, sizeof(s));
	s.now_us = T0;
	sim_add(&s, &c1, "10.0.0.1");
	sim_add(&s, &c3, "10.0.0.3");
	sim_add(&s, &c2, "10.0.0.2");
	for (int i = 0; i < 3; i++)
		sim_start(&s, i);
	s.check = true;
	s.check_from_us = T0 + 3609375;
	sim_run(&s, T0 + 30 * S);
	assert_int_equal(s.n[0].f.state, VRRP_STATE_MASTER);
	uint64_t stop_us = s.now_us;
	s.check = false;
	sim_stop(&s, 0);
	s.check = true;
	s.check_from_us = stop_us + 617187;
	sim_run(&s, stop_us + 60 * S);
	assert_int_equal(s.n[2].f.state, VRRP_STATE_MASTER);
	assert_int_equal(s.n[2].became_master_us, stop_us + 617187);
	assert_int_equal(s.n[1].f.state, VRRP_STATE_BACKUP);
	assert_int_equal(s.n[1].n_master, 0);
	assert_int_equal(s.n[1].f.master_prio, 98);
}

/* v3: the backup learns the master's faster interval, so both its
 * takeover after a crash and its skew after a resignation shrink. */
static void test_sim_v3_learned_interval(void **state)
{
	struct sim s;
	struct vrrp_fsm_cfg c1 = cfg_of(3, 100), c2 = cfg_of(3, 98);
	(void)state;

	c1.adv_interval_cs = 50;
	memset(&s, 0, sizeof(s));
	s.now_us = T0;
	sim_add(&s, &c1, "10.0.0.1");
	sim_add(&s, &c2, "10.0.0.2");
	sim_start(&s, 0);
	sim_run(&s, T0 + 5 * S);
	sim_start(&s, 1);
	s.check = true;
	s.check_from_us = T0;
	sim_run(&s, T0 + 20 * S + 10);
	assert_int_equal(s.n[1].f.master_adver_interval_cs, 50);
	s.check = false;
	uint64_t stop_us = s.now_us;
	sim_stop(&s, 0);
	sim_run(&s, stop_us + 5 * S);
	assert_int_equal(s.n[1].became_master_us - stop_us, 308593); /* 158*50/256 cs */

	/* node1 returns as backup (preempt) and takes over; then crashes */
	sim_start(&s, 0);
	sim_run(&s, s.now_us + 30 * S);
	assert_int_equal(s.n[0].f.state, VRRP_STATE_MASTER);
	uint64_t last_adv_us = s.n[0].f.adver_timer_us - S / 2;
	sim_crash(&s, 0);
	sim_run(&s, s.now_us + 30 * S);
	assert_int_equal(s.n[1].became_master_us, last_adv_us + 1500000 + 308593);
}

/* Admin failover between two routers: node2 takes over after its skew,
 * node1 holds off, then preempts back. */
static void test_sim_failover(void **state)
{
	struct sim s;
	(void)state;

	sim_pair(&s, true);
	sim_start(&s, 0);
	sim_start(&s, 1);
	sim_run(&s, T0 + 20 * S);
	uint64_t fo_us = s.now_us;
	sim_act(&s, 0, vrrp_fsm_failover(&s.n[0].f, fo_us, 30 * S));
	assert_int_equal(s.n[0].f.state, VRRP_STATE_BACKUP);
	sim_run(&s, fo_us + 617187);
	assert_int_equal(s.n[1].f.state, VRRP_STATE_MASTER);
	assert_int_equal(s.n[1].became_master_us, fo_us + 617187);
	s.check = true;
	s.check_from_us = fo_us + 617187;
	sim_run(&s, fo_us + 30 * S);
	assert_int_equal(s.n[0].f.state, VRRP_STATE_BACKUP);
	sim_run(&s, fo_us + 60 * S);
	assert_int_equal(s.n[0].f.state, VRRP_STATE_MASTER);
	/* node2's last accepted advert came just before the hold ended
	 * (fo + 29.617187 s); its master-down interval runs from there */
	assert_int_equal(s.n[0].became_master_us, fo_us + 29 * S + 617187 + 3609375);
	assert_int_equal(s.n[0].f.reason, VRRP_R_MASTER_DOWN);
	assert_int_equal(s.n[0].n_master, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_skew_v2),
		cmocka_unit_test(test_mdi_v2_uses_configured_interval),
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
		cmocka_unit_test(test_sim_pair_converge_and_skew_takeover),
		cmocka_unit_test(test_sim_pair_nopreempt),
		cmocka_unit_test(test_sim_pair_crash),
		cmocka_unit_test(test_sim_three_best_backup_wins),
		cmocka_unit_test(test_sim_v3_learned_interval),
		cmocka_unit_test(test_sim_failover),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
