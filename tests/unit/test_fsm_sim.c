/* Multi-router simulations of the VRRP state machine (vrrpd/vrrp/fsm.c):
 * several machines stepped against each other on a shared clock, with
 * zero-latency delivery of the action bits as the transport. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fsm.h"
#include "fsm_test_util.h"

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
		cmocka_unit_test(test_sim_pair_converge_and_skew_takeover),
		cmocka_unit_test(test_sim_pair_nopreempt),
		cmocka_unit_test(test_sim_pair_crash),
		cmocka_unit_test(test_sim_three_best_backup_wins),
		cmocka_unit_test(test_sim_v3_learned_interval),
		cmocka_unit_test(test_sim_failover),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
