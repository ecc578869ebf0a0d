/* Unit tests for an instance (vrrpd/vrrp/instance*.c, advert_sched.c)
 * behind a fake struct instance_env: the fake records every call in one
 * ordered journal (adverts sent, flushes, VIP adds/removes, announcements,
 * published transitions), owns the clock and fires timers by hand. No
 * sockets, no netlink, no loop. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "advert_sched.h"
#include "instance.h"
#include "log.h"

#define S 1000000ull
#define T0 (1000 * S)
#define IFI 7

enum ev { EV_SEND, EV_FLUSH, EV_ADD, EV_DEL, EV_ANNOUNCE, EV_PUBLISH,
	  EV_VMAC_NEW, EV_VMAC_DEL, EV_ROUTE_ADD, EV_ROUTE_DEL, EV_RULE_ADD,
	  EV_RULE_DEL, EV_BLOCK, EV_UNBLOCK, EV_UNANNOUNCE };

struct event {
	enum ev kind;
	uint8_t prio;            /* EV_SEND: the advert's priority field */
	struct vaddr addr;       /* EV_ADD/DEL/ANNOUNCE/UNANNOUNCE */
	enum vrrp_state old, now; /* EV_PUBLISH */
	uint8_t ttl;             /* EV_SEND */
	int ifi;                 /* EV_ADD/DEL/ANNOUNCE/VMAC_*/
	uint8_t mac[6];          /* EV_VMAC_NEW, EV_ANNOUNCE */
	unsigned id;             /* EV_ROUTE_* / EV_RULE_*: the entry's id */
};

struct fake {
	uint64_t now;
	struct global_cfg g;
	bool link_up;
	struct vaddr primary;
	struct event ev[512];
	size_t n;
	struct vsock *vs;        /* a non-NULL token, never dereferenced */
	struct vaddr foreign;    /* vip_add finds it configured by someone else */
	struct vaddr stale;      /* left by a killed predecessor */
	struct instance *in;
	unsigned fail_id;        /* f_route fails for this id (0: none) */
	bool queue_adds;         /* vip_add queues, as the engine does */
	struct { struct instance *in; int ifi; struct vaddr a; } queued[8];
	size_t n_queued;
	unsigned settles;
};

static struct fake F;

static void record(struct event e)
{
	assert_true(F.n < sizeof(F.ev) / sizeof(F.ev[0]));
	F.ev[F.n++] = e;
}

static uint64_t f_now(void *a) { (void)a; return F.now; }

static void f_timer_at(void *a, struct loop_timer *t, uint64_t when)
{
	(void)a;
	t->deadline_us = when;
	t->heap_idx = 0;
}

static void f_timer_cancel(void *a, struct loop_timer *t)
{
	(void)a;
	t->heap_idx = (size_t)-1;
}

static const struct global_cfg *f_global(void *a) { (void)a; return &F.g; }
#define VMAC_IFI 42
static bool vmac_exists;

static int f_ifindex(void *a, const char *n)
{
	(void)a;
	if (strncmp(n, "vrrp", 4) == 0)
		return vmac_exists ? VMAC_IFI : 0;
	return IFI;
}

static int f_vmac_create(void *a, int parent, const char *pname, const char *name,
			 const uint8_t mac[6], int af, char *err, size_t errlen)
{
	struct event e = { .kind = EV_VMAC_NEW, .ifi = parent };
	(void)a; (void)pname; (void)af; (void)err; (void)errlen;
	assert_string_equal(name, "vrrp.11");
	memcpy(e.mac, mac, 6);
	record(e);
	vmac_exists = true;
	return VMAC_IFI;
}

static void f_vmac_delete(void *a, int ifi)
{
	(void)a;
	record((struct event){ .kind = EV_VMAC_DEL, .ifi = ifi });
	vmac_exists = false;
}
static bool f_link_up(void *a, int i) { (void)a; (void)i; return F.link_up; }

static int f_link_mac(void *a, int i, uint8_t mac[6])
{
	(void)a; (void)i;
	memset(mac, 0x02, 6);
	return 0;
}

static int f_primary(void *a, int i, int af, struct vaddr *out)
{
	(void)a; (void)i; (void)af;
	if (!vaddr_is_set(&F.primary))
		return -1;
	*out = F.primary;
	return 0;
}

static int f_vip_add(void *a, struct instance *in, int i, const struct vip_cfg *vc,
		     char *err, size_t errlen)
{
	const struct vaddr *v = &vc->addr;
	(void)a; (void)err; (void)errlen;
	record((struct event){ .kind = EV_ADD, .addr = *v, .ifi = i });
	if (F.queue_adds) {
		assert_true(F.n_queued < 8);
		F.queued[F.n_queued].in = in;
		F.queued[F.n_queued].ifi = i;
		F.queued[F.n_queued++].a = *v;
		return VIP_ADD_QUEUED;
	}
	return vaddr_cmp(v, &F.foreign) == 0 ? 1 : 0;
}

/* The results of the queued adds, as nlw_vip_flush delivers them. */
static void f_vip_settle(void *a)
{
	(void)a;
	F.settles++;
	for (size_t k = 0; k < F.n_queued; k++)
		if (F.queued[k].in)
			instance_vip_added(F.queued[k].in, F.queued[k].ifi, &F.queued[k].a,
					   vaddr_cmp(&F.queued[k].a, &F.foreign) == 0 ? 1 : 0, "");
	F.n_queued = 0;
}

static void f_vip_forget(void *a, struct instance *in)
{
	(void)a;
	for (size_t k = 0; k < F.n_queued; k++)
		if (F.queued[k].in == in)
			F.queued[k].in = NULL;
}

static bool f_vip_stale(void *a, int i, const struct vaddr *v)
{
	(void)a; (void)i;
	return vaddr_cmp(v, &F.stale) == 0;
}

static int f_vip_del(void *a, struct instance *in, int i, const struct vaddr *v,
		     int plen, char *err, size_t errlen)
{
	(void)a; (void)in; (void)i; (void)plen; (void)err; (void)errlen;
	record((struct event){ .kind = EV_DEL, .addr = *v });
	return 0;
}

static void f_announce_cancel(void *a, int i, const struct vaddr *v)
{
	(void)a;
	record((struct event){ .kind = EV_UNANNOUNCE, .addr = *v, .ifi = i });
}

static int f_announce(void *a, int i, const uint8_t mac[6], const struct vaddr *v)
{
	struct event e = { .kind = EV_ANNOUNCE, .addr = *v, .ifi = i };
	(void)a;
	memcpy(e.mac, mac, 6);
	record(e);
	return 0;
}

static struct vsock *f_attach(void *a, struct instance *in, char *err, size_t errlen)
{
	(void)a; (void)in; (void)err; (void)errlen;
	return F.vs;
}

static void f_detach(void *a, struct instance *in) { (void)a; (void)in; }

static int f_join(void *a, struct vsock *vs, const struct vaddr *g, char *err,
		  size_t errlen)
{
	(void)a; (void)vs; (void)g; (void)err; (void)errlen;
	return 0;
}

static void f_leave(void *a, struct vsock *vs, const struct vaddr *g)
{
	(void)a; (void)vs; (void)g;
}

static int f_send(void *a, struct vsock *vs, const struct vaddr *src,
		  const struct vaddr *dst, uint8_t ttl, const uint8_t *pkt, size_t len)
{
	(void)a; (void)vs; (void)src;
	assert_true(len >= 4);
	record((struct event){ .kind = EV_SEND, .prio = pkt[2], .addr = *dst,
			       .ttl = ttl });
	return 0;
}

static void f_flush(void *a, struct vsock *vs)
{
	(void)a; (void)vs;
	record((struct event){ .kind = EV_FLUSH });
}

static void f_publish(void *a, struct instance *in, enum vrrp_state old)
{
	(void)a;
	record((struct event){ .kind = EV_PUBLISH, .old = old, .now = in->fsm.state });
}

/* Routes and rules: the entry with id F.fail_id fails, as a route the
 * kernel refuses would. */
static int f_route(void *a, const struct route_cfg *r, bool add, char *err,
		   size_t errlen)
{
	(void)a;
	record((struct event){ .kind = add ? EV_ROUTE_ADD : EV_ROUTE_DEL, .id = r->id });
	snprintf(err, errlen, "refused");
	return r->id == F.fail_id ? -1 : 0;
}

static int f_rule(void *a, const struct rule_cfg *u, bool add, char *err,
		  size_t errlen)
{
	(void)a; (void)err; (void)errlen;
	record((struct event){ .kind = add ? EV_RULE_ADD : EV_RULE_DEL, .id = u->id });
	return 0;
}

static void f_accept_block(void *a, const struct vaddr *v, size_t n, bool block)
{
	(void)a;
	for (size_t i = 0; i < n; i++)
		record((struct event){ .kind = block ? EV_BLOCK : EV_UNBLOCK, .addr = v[i] });
}

static const struct instance_env ENVF = {
	.route = f_route, .rule = f_rule, .accept_block = f_accept_block,
	.now_us = f_now, .timer_at = f_timer_at, .timer_cancel = f_timer_cancel,
	.global = f_global, .ifindex = f_ifindex, .link_up = f_link_up,
	.link_mac = f_link_mac, .primary = f_primary, .vip_add = f_vip_add,
	.vip_settle = f_vip_settle, .vip_forget = f_vip_forget,
	.vmac_create = f_vmac_create, .vmac_delete = f_vmac_delete,
	.vip_del = f_vip_del, .vip_stale = f_vip_stale, .announce = f_announce,
	.announce_cancel = f_announce_cancel, .attach = f_attach,
	.detach = f_detach, .join = f_join, .leave = f_leave, .send = f_send,
	.flush = f_flush, .publish = f_publish,
};

static struct vaddr A(const char *s)
{
	struct vaddr a;

	assert_int_equal(vaddr_parse(s, &a, NULL), 0);
	return a;
}

static struct vip_cfg VIPS[3];

static struct instance_cfg cfg_of(uint8_t prio, size_t nvips)
{
	struct instance_cfg c;

	memset(&c, 0, sizeof(c));
	snprintf(c.name, sizeof(c.name), "VI_1");
	snprintf(c.ifname, sizeof(c.ifname), "eth0");
	c.af = AF_INET;
	c.vrid = 11;
	c.version = 3;
	c.priority = prio;
	c.preempt = true;
	c.adv_interval_cs = 100;
	c.group = A("224.0.0.18");
	c.garp = (struct garp_cfg){ .delay_s = F.g.garp_delay_s, .repeat = F.g.garp_repeat,
				    .refresh_s = F.g.garp_refresh_s, .refresh_repeat = 1 };
	c.n_vips = nvips;
	c.vips = VIPS;
	return c;
}

static int setup(void **state)
{
	(void)state;
	memset(&F, 0, sizeof(F));
	F.now = T0;
	F.link_up = true;
	F.primary = A("10.0.0.1");
	F.g.garp_delay_s = 5;
	F.g.garp_repeat = 2;
	F.g.check_adv_addrs = true;
	F.vs = (struct vsock *)&F;
	vmac_exists = false;
	VIPS[0] = (struct vip_cfg){ .addr = A("10.0.1.1"), .plen = 24 };
	VIPS[1] = (struct vip_cfg){ .addr = A("10.0.1.2"), .plen = 24 };
	VIPS[2] = (struct vip_cfg){ .addr = A("10.0.1.3"), .plen = 24 };
	log_init("test_instance", LOG_LVL_ERR, true);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	if (F.in)
		instance_free(F.in);
	F.in = NULL;
	return 0;
}

static struct instance *start(uint8_t prio, size_t nvips, uint64_t serial)
{
	struct instance_cfg c = cfg_of(prio, nvips);

	F.in = instance_new(&ENVF, &c, serial);
	assert_non_null(F.in);
	instance_start(F.in);
	return F.in;
}

/* Fire a timer at its deadline, as the loop would. */
static void fire(struct loop_timer *t)
{
	assert_true(loop_timer_armed(t));
	F.now = t->deadline_us;
	t->heap_idx = (size_t)-1;
	t->cb(t->arg);
}

/* A VRRPv3 advert for VRID 11 at 1 s, listing the first naddr VIPS. */
static struct vrrp_adv advert_of(uint8_t prio, size_t naddr)
{
	struct vrrp_adv adv;

	memset(&adv, 0, sizeof(adv));
	adv.version = 3;
	adv.vrid = 11;
	adv.priority = prio;
	adv.interval_cs = 100;
	adv.naddr = naddr;
	for (size_t i = 0; i < naddr; i++)
		adv.addrs[i] = VIPS[i].addr;
	return adv;
}

static size_t count(enum ev k)
{
	size_t n = 0;
	for (size_t i = 0; i < F.n; i++)
		n += F.ev[i].kind == k;
	return n;
}

static ssize_t first(enum ev k)
{
	for (size_t i = 0; i < F.n; i++)
		if (F.ev[i].kind == k)
			return (ssize_t)i;
	return -1;
}

static void become_master(struct instance *in)
{
	fire(&in->mdown_t);
	assert_int_equal(in->fsm.state, VRRP_STATE_MASTER);
}

/* RFC 5798 6.4.2: on taking over, the advert leaves (queued and flushed)
 * before any netlink work; then VIPs, then the announcements; the hook
 * hears the transition last, once. */
static void test_takeover_advert_before_netlink(void **state)
{
	(void)state;
	struct instance *in = start(100, 2, 0);

	assert_int_equal(in->fsm.state, VRRP_STATE_BACKUP);
	assert_int_equal(count(EV_PUBLISH), 1); /* Init -> Backup */
	F.n = 0;
	become_master(in);
	ssize_t send = first(EV_SEND), flush = first(EV_FLUSH),
		add = first(EV_ADD), ann = first(EV_ANNOUNCE),
		pub = first(EV_PUBLISH);
	assert_true(send >= 0 && flush > send && add > flush && ann > add &&
		    pub > ann);
	assert_int_equal(F.ev[send].prio, 100);
	assert_int_equal(count(EV_ADD), 2);
	assert_int_equal(count(EV_ANNOUNCE), 2 * 2); /* 2 VIPs x garp_repeat */
	assert_int_equal(count(EV_PUBLISH), 1);
	assert_int_equal(F.ev[pub].old, VRRP_STATE_BACKUP);
	assert_int_equal(F.ev[pub].now, VRRP_STATE_MASTER);
	assert_int_equal(in->stats.master_transitions, 1);
	assert_int_equal(in->last_reason, VRRP_R_MASTER_DOWN);
}

/* Leaving Master by a better advert: no advert of ours, VIPs removed, the
 * GARP timer cancelled (exit actions), the hook told. */
static void test_demotion_exit_actions(void **state)
{
	(void)state;
	struct instance *in = start(100, 2, 0);
	become_master(in);
	assert_true(loop_timer_armed(&in->garp_t));
	F.n = 0;

	struct vrrp_adv adv = advert_of(200, 2);
	struct vrrp_rx_meta meta = { .src = A("10.0.0.2"), .dst = A("224.0.0.18"),
				     .ttl = 255 };
	instance_on_packet(in, &adv, &meta);

	assert_int_equal(in->fsm.state, VRRP_STATE_BACKUP);
	assert_int_equal(count(EV_SEND), 0);
	assert_int_equal(count(EV_DEL), 2);
	assert_int_equal(count(EV_ADD), 0);
	assert_false(loop_timer_armed(&in->garp_t));
	assert_false(in->vips_on);
	assert_int_equal(count(EV_PUBLISH), 1);
	assert_true(first(EV_DEL) < first(EV_PUBLISH));
}

/* RFC 5798 6.4.2: Skew_Time after a priority-0 advert runs from its
 * receipt, the kernel's receive stamp (meta.rx_us), not from when the
 * daemon read it; a stamp after now (or none) means now. The master-down
 * interval of an ordinary advert runs from its stamp too, but at most
 * INSTANCE_RX_LEAD_MAX_US before the read, so a backlog read late cannot
 * fire it before the fresher adverts behind are read. */
static void test_timers_from_receipt(void **state)
{
	(void)state;
	struct instance *in = start(98, 2, 0);
	assert_int_equal(in->fsm.state, VRRP_STATE_BACKUP);

	struct vrrp_adv adv = advert_of(100, 2);
	struct vrrp_rx_meta meta = { .src = A("10.0.0.2"), .dst = A("224.0.0.18"),
				     .ttl = 255 };
	/* Master_Down_Interval = 3 * 1 s + (256 - 98) * 1 s / 256 */
	const uint64_t skew = 158u * S / 256u, mdi = 3 * S + skew;

	/* an ordinary advert: from its stamp, at most 1 ms before the read */
	F.now += 5 * S;
	meta.rx_us = F.now - 700;
	instance_on_packet(in, &adv, &meta);
	assert_int_equal(in->mdown_t.deadline_us, F.now - 700 + mdi);
	F.now += S;
	meta.rx_us = F.now - 2500; /* read late (a backlog): bounded */
	instance_on_packet(in, &adv, &meta);
	assert_int_equal(in->mdown_t.deadline_us, F.now - INSTANCE_RX_LEAD_MAX_US + mdi);
	F.now += S;
	meta.rx_us = F.now - INSTANCE_RX_LEAD_MAX_US; /* just within the bound */
	instance_on_packet(in, &adv, &meta);
	assert_int_equal(in->mdown_t.deadline_us, F.now - INSTANCE_RX_LEAD_MAX_US + mdi);
	F.now += S;
	meta.rx_us = F.now + 5; /* ahead of the clock: the read */
	instance_on_packet(in, &adv, &meta);
	assert_int_equal(in->mdown_t.deadline_us, F.now + mdi);

	meta.rx_us = 0;
	F.now += S;
	instance_on_packet(in, &adv, &meta);
	assert_int_equal(in->mdown_t.deadline_us, F.now + mdi);

	F.now += S;
	adv.priority = 0;
	meta.rx_us = F.now + 7777; /* a stamp ahead of now: now */
	instance_on_packet(in, &adv, &meta);
	assert_int_equal(in->mdown_t.deadline_us, F.now + skew);

	/* the priority-0 advert: Skew_Time from its receipt */
	F.now += S / 2;
	meta.rx_us = F.now - 3000;
	instance_on_packet(in, &adv, &meta);
	assert_int_equal(in->mdown_t.deadline_us, F.now - 3000 + skew);
	assert_int_equal(in->fsm.state, VRRP_STATE_BACKUP);
	fire(&in->mdown_t);
	assert_int_equal(in->fsm.state, VRRP_STATE_MASTER);
}

/* A configuration change that keeps the VIP list touches no address; one
 * that adds a VIP adds only that one and announces the new list. */
static void test_update_no_vip_flap(void **state)
{
	(void)state;
	struct instance *in = start(100, 2, 0);
	become_master(in);
	F.n = 0;

	struct instance_cfg c = cfg_of(120, 2);
	c.preempt_delay_s = 3;
	instance_update(in, &c);
	assert_int_equal(count(EV_ADD), 0);
	assert_int_equal(count(EV_DEL), 0);
	assert_int_equal(count(EV_ANNOUNCE), 0);
	assert_int_equal(in->fsm.cfg.priority, 120);

	F.n = 0;
	c = cfg_of(120, 3);
	instance_update(in, &c);
	assert_int_equal(count(EV_DEL), 0);
	assert_int_equal(count(EV_ADD), 1);
	assert_int_equal(vaddr_cmp(&F.ev[first(EV_ADD)].addr, &VIPS[2].addr), 0);
	/* announced from the new list: all three addresses */
	assert_int_equal(count(EV_ANNOUNCE), 3 * 2);

	F.n = 0;
	c = cfg_of(120, 1);
	instance_update(in, &c);
	assert_int_equal(count(EV_DEL), 2);
	assert_int_equal(count(EV_ADD), 0);
	assert_int_equal(count(EV_PUBLISH), 0);
}

/* keepalived's schedule: a burst at once, another garp_master_delay later,
 * then none without garp_master_refresh; with a refresh, one every
 * refresh interval. */
static void test_garp_schedule(void **state)
{
	(void)state;
	struct instance *in = start(100, 1, 0);
	uint64_t took_over;

	become_master(in);
	took_over = F.now;
	assert_int_equal(count(EV_ANNOUNCE), 2);
	assert_true(loop_timer_armed(&in->garp_t));
	assert_int_equal(in->garp_t.deadline_us, took_over + 5 * S);
	F.n = 0;
	fire(&in->garp_t);
	assert_int_equal(count(EV_ANNOUNCE), 2);
	assert_false(loop_timer_armed(&in->garp_t));

	/* with garp_master_refresh the delayed burst re-arms itself every
	 * refresh interval (after the next takeover), with refresh-repeat
	 * packets from then on */
	in->cfg.garp.refresh_s = 30;
	in->cfg.garp.refresh_repeat = 3;
	instance_failover(in, 60 * S, (char[64]){0}, 64);
	assert_int_equal(in->fsm.state, VRRP_STATE_BACKUP);
	assert_false(loop_timer_armed(&in->garp_t));
	become_master(in);
	F.n = 0;
	fire(&in->garp_t);
	assert_int_equal(count(EV_ANNOUNCE), 2);  /* the delayed burst */
	assert_true(loop_timer_armed(&in->garp_t));
	assert_int_equal(in->garp_t.deadline_us, F.now + 30 * S);
	F.n = 0;
	fire(&in->garp_t);
	assert_int_equal(count(EV_ANNOUNCE), 3);  /* a refresh */
}

/* The advert phase grid: a new master's first interval is shortened to its
 * phase, then the cadence keeps it there; instances in groups of
 * ADVERT_SLOT_SHARE share a 10 ms slot. */
static void test_advert_phase_grid(void **state)
{
	(void)state;
	uint64_t iv = 100 * 10000u; /* 1 s */

	assert_int_equal(advert_phase_us(0, iv), 0);
	assert_int_equal(advert_phase_us(ADVERT_SLOT_SHARE - 1, iv), 0);
	assert_int_equal(advert_phase_us(ADVERT_SLOT_SHARE, iv), ADVERT_GRID_US);
	assert_int_equal(advert_phase_us(100 * ADVERT_SLOT_SHARE, iv), 0); /* wraps */
	/* never later than asked, at most one interval early */
	uint64_t t = advert_on_phase_us(ADVERT_SLOT_SHARE * 3, iv, T0 + 123, T0 + 123 + iv);
	assert_true(t <= T0 + 123 + iv && t > T0 + 123);
	assert_int_equal(t % iv, 3 * ADVERT_GRID_US);

	struct instance *in = start(100, 1, ADVERT_SLOT_SHARE * 3);
	F.now += 4321;
	become_master(in);
	uint64_t first_t = in->adver_t.deadline_us;
	assert_int_equal(first_t % iv, 3 * ADVERT_GRID_US);
	assert_true(first_t <= F.now + iv);
	F.n = 0;
	fire(&in->adver_t);
	assert_int_equal(count(EV_SEND), 1);
	assert_int_equal(in->adver_t.deadline_us, first_t + iv);
}

/* Shutdown of a master: the priority-0 advert, flushed, before the VIPs
 * go; the hook hears Master -> Initialize. A backup sends nothing. */
static void test_shutdown_order(void **state)
{
	(void)state;
	struct instance *in = start(100, 2, 0);
	become_master(in);
	F.n = 0;
	instance_stop(in);
	ssize_t send = first(EV_SEND), flush = first(EV_FLUSH), del = first(EV_DEL),
		pub = first(EV_PUBLISH);
	assert_true(send >= 0 && flush > send && del > flush && pub > del);
	assert_int_equal(F.ev[send].prio, 0);
	assert_int_equal(count(EV_DEL), 2);
	/* the announcements still queued are dropped with the VIPs */
	assert_int_equal(count(EV_UNANNOUNCE), 2);
	assert_true(first(EV_UNANNOUNCE) < pub);
	assert_int_equal(F.ev[pub].now, VRRP_STATE_INIT);
	assert_int_equal(in->stats.prio0_sent, 1);
	assert_false(loop_timer_armed(&in->adver_t));
	assert_false(loop_timer_armed(&in->garp_t));

	instance_free(in);
	in = F.in = start(100, 2, 0);
	F.n = 0;
	instance_stop(in);
	assert_int_equal(count(EV_SEND), 0);
	assert_int_equal(count(EV_DEL), 0);
	assert_int_equal(count(EV_PUBLISH), 1);
}

/* Link down on a master: Fault, VIPs released through the same exit
 * actions; link back: Backup again, nothing added until it wins. */
static void test_link_fault(void **state)
{
	(void)state;
	struct instance *in = start(100, 1, 0);
	become_master(in);
	F.n = 0;
	F.link_up = false;
	instance_on_link(in, IFI, false);
	assert_int_equal(in->fsm.state, VRRP_STATE_FAULT);
	assert_int_equal(count(EV_DEL), 1);
	assert_int_equal(count(EV_SEND), 0);
	F.n = 0;
	F.link_up = true;
	instance_on_link(in, IFI, true);
	assert_int_equal(in->fsm.state, VRRP_STATE_BACKUP);
	assert_int_equal(count(EV_ADD), 0);
	assert_int_equal(count(EV_PUBLISH), 1);
}

/* A sync group member in Fault because of the group: an address event
 * (its own interface fine) does not take it out; the group does. A member
 * that faulted on its own link leaves Fault when the link is back, even
 * if the group recovered meanwhile. */
static void test_sync_fault_held_by_group(void **state)
{
	(void)state;
	struct instance *in = start(100, 1, 0);
	struct vaddr primary = A("10.10.1.101");
	become_master(in);
	instance_sync(in, VRRP_STATE_FAULT);
	assert_int_equal(in->fsm.state, VRRP_STATE_FAULT);
	instance_on_addr(in, &primary);
	assert_int_equal(in->fsm.state, VRRP_STATE_FAULT);
	instance_on_link(in, IFI, true);
	assert_int_equal(in->fsm.state, VRRP_STATE_FAULT);
	instance_sync(in, VRRP_STATE_BACKUP);
	assert_int_equal(in->fsm.state, VRRP_STATE_BACKUP);

	/* the group faults; the member's own link goes down too; the group
	 * recovers (the member cannot follow); the link comes back */
	instance_sync(in, VRRP_STATE_FAULT);
	F.link_up = false;
	instance_on_link(in, IFI, false);
	instance_sync(in, VRRP_STATE_BACKUP);
	assert_int_equal(in->fsm.state, VRRP_STATE_FAULT);
	F.link_up = true;
	instance_on_link(in, IFI, true);
	assert_int_equal(in->fsm.state, VRRP_STATE_BACKUP);
}

/* keepalived dont_track_primary (ignore-link-down): the instance's own
 * link going down changes nothing; turned off while the link is down,
 * the instance goes to FAULT at once. */
static void test_ignore_link_down(void **state)
{
	(void)state;
	struct instance_cfg c = cfg_of(100, 1);
	c.ignore_link_down = true;
	F.in = instance_new(&ENVF, &c, 0);
	instance_start(F.in);
	struct instance *in = F.in;
	become_master(in);
	F.n = 0;
	F.link_up = false;
	instance_on_link(in, IFI, false);
	assert_int_equal(in->fsm.state, VRRP_STATE_MASTER);
	assert_int_equal(count(EV_DEL), 0);
	c.ignore_link_down = false;
	instance_update(in, &c);
	assert_int_equal(in->fsm.state, VRRP_STATE_FAULT);
	assert_int_equal(count(EV_DEL), 1);
}

/* Issue 10: an address the operator had configured before stays when the
 * master releases; a VIP a killed vrrpd left is removed at start; a VIP
 * deleted by hand on the master comes back. */
static void test_foreign_stale_restore(void **state)
{
	(void)state;
	F.stale = A("10.0.1.2");
	F.foreign = A("10.0.1.1");
	struct instance *in = start(100, 2, 0);
	assert_int_equal(count(EV_DEL), 1);
	assert_int_equal(vaddr_cmp(&F.ev[first(EV_DEL)].addr, &F.stale), 0);

	become_master(in);
	F.n = 0;
	instance_on_addr_removed(in, IFI, &VIPS[1].addr);
	assert_int_equal(count(EV_ADD), 1);
	assert_int_equal(vaddr_cmp(&F.ev[first(EV_ADD)].addr, &VIPS[1].addr), 0);
	instance_on_addr_removed(in, IFI + 1, &VIPS[1].addr); /* other interface */
	assert_int_equal(count(EV_ADD), 1);

	F.n = 0;
	instance_failover(in, S, (char[64]){0}, 64);
	assert_int_equal(count(EV_DEL), 1); /* only ours: 10.0.1.2 */
	assert_int_equal(vaddr_cmp(&F.ev[first(EV_DEL)].addr, &VIPS[1].addr), 0);
	instance_on_addr_removed(in, IFI, &VIPS[1].addr); /* not master: nothing */
	assert_int_equal(count(EV_ADD), 0);
}

/* Queued adds (the engine's pipeline): a release right after a takeover,
 * before the results came back, first waits for them, so the operator's
 * address found by the add is still left in place; results for an
 * instance that went away are dropped. */
static void test_queued_adds(void **state)
{
	(void)state;
	F.queue_adds = true;
	F.foreign = A("10.0.1.1");
	struct instance *in = start(100, 2, 0);

	become_master(in);
	assert_int_equal(count(EV_ADD), 2);
	assert_int_equal(in->vips_queued, 2);
	assert_int_equal(F.settles, 0); /* nothing waits on a takeover */
	F.n = 0;
	instance_failover(in, S, (char[64]){0}, 64);
	assert_int_equal(F.settles, 1);
	assert_int_equal(in->vips_queued, 0);
	assert_int_equal(count(EV_DEL), 1); /* 10.0.1.1 is someone else's */
	assert_int_equal(vaddr_cmp(&F.ev[first(EV_DEL)].addr, &VIPS[1].addr), 0);

	/* master again, then the instance is deleted with adds in flight */
	instance_free(in);
	F.in = NULL;
	in = start(100, 1, 0);
	become_master(in);
	assert_int_equal(F.n_queued, 1);
	instance_free(in);
	F.in = NULL;
	assert_null(F.queued[0].in);
	f_vip_settle(NULL); /* must not reach the freed instance */
}

static struct peer_cfg PEERS[2];

/* Unicast (issue 12): one advert per peer, each encoded for its own
 * destination (the v3 checksum covers it), with the unicast TTL; a
 * configured source is our address; strangers are dropped when checking. */
static void test_unicast_per_destination(void **state)
{
	(void)state;
	struct instance_cfg c = cfg_of(100, 1);
	PEERS[0] = (struct peer_cfg){ .addr = A("10.0.0.2"), .min_ttl = -1, .max_ttl = -1 };
	PEERS[1] = (struct peer_cfg){ .addr = A("10.0.0.3"), .min_ttl = 250, .max_ttl = -1 };
	c.ucast.peers = PEERS;
	c.ucast.n_peers = 2;
	c.ucast.ttl = 64;
	c.ucast.check_src = true;
	c.src = A("10.0.0.9");
	F.in = instance_new(&ENVF, &c, 0);
	instance_start(F.in);
	struct instance *in = F.in;
	assert_int_equal(vaddr_cmp(&in->fsm.primary, &c.src), 0);
	F.n = 0;
	become_master(in);
	assert_int_equal(count(EV_SEND), 2);
	assert_int_equal(vaddr_cmp(&F.ev[0].addr, &PEERS[0].addr), 0);
	assert_int_equal(vaddr_cmp(&F.ev[1].addr, &PEERS[1].addr), 0);
	assert_int_equal(F.ev[0].ttl, 64);
	assert_int_equal(in->stats.adverts_sent, 1); /* one advert, two copies */
	assert_int_equal(in->dests[0].len, in->dests[1].len);
	assert_memory_not_equal(in->dests[0].pkt, in->dests[1].pkt, in->dests[0].len);

	struct vrrp_adv adv = advert_of(200, 1);
	struct vrrp_rx_meta stranger = { .src = A("10.0.0.7"), .dst = A("10.0.0.9"), .ttl = 255 };
	instance_on_packet(in, &adv, &stranger);
	assert_int_equal(in->stats.drops[VRRP_DROP_PEER], 1);
	struct vrrp_rx_meta low = { .src = A("10.0.0.3"), .dst = A("10.0.0.9"), .ttl = 249 };
	instance_on_packet(in, &adv, &low);
	assert_int_equal(in->stats.drops[VRRP_DROP_TTL], 1);
	assert_int_equal(in->fsm.state, VRRP_STATE_MASTER);
	struct vrrp_rx_meta routed = { .src = A("10.0.0.2"), .dst = A("10.0.0.9"), .ttl = 61 };
	instance_on_packet(in, &adv, &routed);
	assert_int_equal(in->fsm.state, VRRP_STATE_BACKUP);
}

/* Issue 12, virtual MAC: the macvlan with 00:00:5e:00:01:VRID is made at
 * start (Backup too), carries the socket, the VIPs and the gratuitous ARPs
 * (with the virtual MAC), is made again when someone deletes it (a master
 * puts its VIPs back), and goes at stop. */
static void test_virtual_mac(void **state)
{
	(void)state;
	static const uint8_t vmac[6] = { 0x00, 0x00, 0x5e, 0x00, 0x01, 11 };
	static struct route_cfg vmac_route = { .id = 5, .table = 254 };
	struct instance_cfg c = cfg_of(100, 1);
	c.vmac.enabled = true;
	snprintf(c.vmac.ifname, sizeof(c.vmac.ifname), "vrrp.11");
	c.vroutes = (struct route_list){ 1, &vmac_route, 0, NULL };
	F.in = instance_new(&ENVF, &c, 0);
	instance_start(F.in);
	struct instance *in = F.in;
	assert_int_equal(count(EV_VMAC_NEW), 1);
	assert_int_equal(F.ev[first(EV_VMAC_NEW)].ifi, IFI);
	assert_memory_equal(F.ev[first(EV_VMAC_NEW)].mac, vmac, 6);
	assert_int_equal(in->sock_ifindex, VMAC_IFI);
	assert_int_equal(in->fsm.state, VRRP_STATE_BACKUP);

	F.n = 0;
	become_master(in);
	assert_int_equal(F.ev[first(EV_ADD)].ifi, VMAC_IFI);
	assert_int_equal(F.ev[first(EV_ANNOUNCE)].ifi, VMAC_IFI);
	assert_memory_equal(F.ev[first(EV_ANNOUNCE)].mac, vmac, 6);

	F.n = 0;
	vmac_exists = false;
	instance_on_link(in, VMAC_IFI, false);
	assert_int_equal(count(EV_VMAC_NEW), 1);
	assert_int_equal(count(EV_VMAC_DEL), 0); /* it was gone already */
	assert_int_equal(count(EV_ADD), 1);
	assert_int_equal(F.ev[first(EV_ADD)].ifi, VMAC_IFI);
	/* the routes that went with the macvlan come back after the VIPs */
	assert_int_equal(count(EV_ROUTE_ADD), 1);
	assert_true(first(EV_ROUTE_ADD) > first(EV_ADD));
	assert_true(count(EV_ANNOUNCE) > 0);
	assert_int_equal(in->fsm.state, VRRP_STATE_MASTER);

	F.n = 0;
	instance_stop(in);
	assert_int_equal(count(EV_VMAC_DEL), 1);
	assert_true(first(EV_DEL) < first(EV_VMAC_DEL));
}

/* Virtual routes and rules (keepalived virtual_routes / virtual_rules) and
 * the accept-mode filter, in the table's order: entering Master blocks the
 * VIPs, adds them, then the routes (a route may use a VIP as source), then
 * the rules; a route the kernel refuses is skipped and the instance stays
 * master. Leaving undoes it in reverse. */
static struct route_cfg ROUTES[2] = { { .id = 1, .table = 254 },
				      { .id = 2, .table = 100 } };
static struct rule_cfg RULES[1] = { { .id = 7, .table = 100 } };

static void test_routes_and_filter_order(void **state)
{
	(void)state;
	struct instance_cfg c = cfg_of(100, 2);

	c.vroutes = (struct route_list){ 2, ROUTES, 1, RULES };
	F.fail_id = 1;
	F.in = instance_new(&ENVF, &c, 0);
	instance_start(F.in);
	assert_int_equal(count(EV_ROUTE_ADD) + count(EV_BLOCK), 0); /* Backup */
	become_master(F.in);
	ssize_t blk = first(EV_BLOCK), add = first(EV_ADD), rt = first(EV_ROUTE_ADD),
		ru = first(EV_RULE_ADD), ann = first(EV_ANNOUNCE);
	assert_true(blk >= 0 && add > blk && rt > add && ru > rt && ann > ru);
	assert_true(F.ev[add + 1].kind == EV_ADD && F.ev[rt - 1].kind == EV_ADD);
	assert_int_equal(count(EV_BLOCK), 2);
	assert_int_equal(count(EV_ROUTE_ADD), 2); /* the refused one did not stop #2 */
	assert_int_equal(F.ev[rt].id, 1);
	assert_int_equal(F.ev[rt + 1].id, 2);
	assert_int_equal(F.in->fsm.state, VRRP_STATE_MASTER);
	F.n = 0;
	instance_stop(F.in);
	ssize_t rud = first(EV_RULE_DEL), rtd = first(EV_ROUTE_DEL), del = first(EV_DEL),
		ub = first(EV_UNBLOCK);
	assert_true(rud >= 0 && rtd > rud && del > rtd && ub > del);
	assert_int_equal(F.ev[rtd].id, 2); /* reverse order */
	assert_int_equal(count(EV_ROUTE_DEL), 2);
	assert_int_equal(count(EV_UNBLOCK), 2);
	assert_int_equal(count(EV_BLOCK), 0);
}

/* RFC 5798 6.1 / 6.4.3: the owner always accepts, accept mode lets a
 * non-owner accept; turning accept mode off on a running master blocks its
 * VIPs at once, on unblocks them; a route change swaps old for new. */
static void test_accept_mode_and_update(void **state)
{
	(void)state;
	struct instance *in = start(255, 2, 0);

	assert_int_equal(in->fsm.state, VRRP_STATE_MASTER);
	assert_int_equal(count(EV_BLOCK), 0);
	instance_stop(in);
	instance_free(in);
	F.n = 0;
	struct instance_cfg c = cfg_of(100, 2);
	c.accept_mode = true;
	F.in = in = instance_new(&ENVF, &c, 0);
	instance_start(in);
	become_master(in);
	assert_int_equal(count(EV_BLOCK), 0);
	c.accept_mode = false;
	instance_update(in, &c);
	assert_int_equal(count(EV_BLOCK), 2);
	assert_int_equal(count(EV_UNBLOCK), 0);
	F.n = 0;
	c.vroutes = (struct route_list){ 1, ROUTES, 0, NULL };
	instance_update(in, &c);
	assert_int_equal(count(EV_ROUTE_ADD), 1);
	assert_int_equal(count(EV_ROUTE_DEL), 0);
	/* the filter keeps the same VIPs: unblock + block, counted per address */
	assert_int_equal(count(EV_BLOCK), count(EV_UNBLOCK));
	F.n = 0;
	c.vroutes = (struct route_list){ 1, ROUTES + 1, 0, NULL };
	c.accept_mode = true;
	instance_update(in, &c);
	ssize_t d = first(EV_ROUTE_DEL), a = first(EV_ROUTE_ADD);
	assert_true(d >= 0 && a > d);
	assert_int_equal(F.ev[d].id, 1);
	assert_int_equal(F.ev[a].id, 2);
	assert_int_equal(count(EV_UNBLOCK), 2);
	assert_int_equal(count(EV_BLOCK), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_takeover_advert_before_netlink, setup, teardown),
		cmocka_unit_test_setup_teardown(test_demotion_exit_actions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timers_from_receipt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_update_no_vip_flap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_garp_schedule, setup, teardown),
		cmocka_unit_test_setup_teardown(test_advert_phase_grid, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shutdown_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_link_fault, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sync_fault_held_by_group, setup, teardown),
		cmocka_unit_test_setup_teardown(test_foreign_stale_restore, setup, teardown),
		cmocka_unit_test_setup_teardown(test_queued_adds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ignore_link_down, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unicast_per_destination, setup, teardown),
		cmocka_unit_test_setup_teardown(test_virtual_mac, setup, teardown),
		cmocka_unit_test_setup_teardown(test_routes_and_filter_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_accept_mode_and_update, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
