/* Unit tests for vrrpd/net/netlink.c against the real kernel. The binary moves
 * itself into a fresh network namespace (unshare(CLONE_NEWNET)) before any
 * test runs, so the host's interfaces are never seen or touched; it builds
 * its own veth links there with libnl. Without root (or without
 * namespace support) every test is skipped with the reason. */
#include <errno.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>

#include <netlink/cache.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/veth.h>
#include <netlink/socket.h>

#include <cmocka.h>

#include "log.h"
#include "loop.h"
#include "netlink.h"

#define MAX_IFINDEX 1024
#define BURST 1000

struct link_ev {
	int count;
	bool up;
	char name[IFNAMSIZ];
};

static struct {
	const char *skip;      /* why the tests cannot run, or NULL */
	struct loop *loop;
	struct nlw *nlw;
	struct nl_sock *sk;    /* the test's own socket for building links */
	int ifx;               /* ifindex of vt-if0, the main test link */
	struct link_ev link[MAX_IFINDEX];
	int addr_events[MAX_IFINDEX];
} g;

/* ---- callbacks under test ---------------------------------------------- */

static void on_link(void *arg, int ifindex, const char *ifname, bool up)
{
	(void)arg;
	if (ifindex <= 0 || ifindex >= MAX_IFINDEX)
		return;
	g.link[ifindex].count++;
	g.link[ifindex].up = up;
	snprintf(g.link[ifindex].name, sizeof(g.link[ifindex].name), "%s", ifname);
}

static void on_addr(void *arg, int ifindex)
{
	(void)arg;
	if (ifindex > 0 && ifindex < MAX_IFINDEX)
		g.addr_events[ifindex]++;
}

/* ---- pumping the loop until a condition holds (bounded) ----------------- */

struct pump {
	bool (*cond)(void *);
	void *arg;
	uint64_t deadline_us;
	bool met;
	struct loop_timer t;
};

static void pump_tick(void *arg)
{
	struct pump *p = arg;
	uint64_t now = loop_now_us();

	if (p->cond(p->arg)) {
		p->met = true;
		loop_stop(g.loop);
	} else if (now >= p->deadline_us) {
		loop_stop(g.loop);
	} else {
		loop_timer_at(g.loop, &p->t, now + 5000);
	}
}

static bool pump_until(bool (*cond)(void *), void *arg, int timeout_ms)
{
	struct pump p = { .cond = cond, .arg = arg };

	if (cond(arg))
		return true;
	p.deadline_us = loop_now_us() + (uint64_t)timeout_ms * 1000;
	loop_timer_init(&p.t, pump_tick, &p);
	loop_timer_at(g.loop, &p.t, loop_now_us() + 1000);
	assert_int_equal(loop_run(g.loop), 0);
	loop_timer_cancel(g.loop, &p.t);
	return p.met;
}

/* Run the loop for a while regardless (to let stray events arrive). */
static bool never(void *arg)
{
	(void)arg;
	return false;
}

/* ---- conditions --------------------------------------------------------- */

struct link_cond {
	int ifindex;
	int min_count;
	bool up;
};

static bool link_event_is(void *arg)
{
	struct link_cond *c = arg;

	return g.link[c->ifindex].count >= c->min_count &&
	       g.link[c->ifindex].up == c->up &&
	       nlw_link_up(g.nlw, c->ifindex) == c->up;
}

static bool link_event_seen(void *arg)
{
	struct link_cond *c = arg;

	return g.link[c->ifindex].count >= c->min_count;
}

struct name_cond {
	const char *name;
	bool present;
};

static bool name_is(void *arg)
{
	struct name_cond *c = arg;

	return (nlw_ifindex(g.nlw, c->name) > 0) == c->present;
}

struct addr_cond {
	int ifindex;
	const struct vaddr *a;
	size_t n;
	bool present;
};

static bool addrs_are(void *arg)
{
	struct addr_cond *c = arg;

	for (size_t i = 0; i < c->n; i++)
		if (nlw_has_addr(g.nlw, c->ifindex, &c->a[i]) != c->present)
			return false;
	return true;
}

static bool primary6_ready(void *arg)
{
	struct vaddr out;

	(void)arg;
	return nlw_primary_addr(g.nlw, g.ifx, AF_INET6, NULL, 0, &out) == 0;
}

/* ---- helpers ------------------------------------------------------------ */

#define SKIP_UNLESS_READY()                                              \
	do {                                                             \
		if (g.skip) {                                            \
			print_message("skipped: %s\n", g.skip);          \
			skip();                                          \
		}                                                        \
	} while (0)

static struct vaddr A(const char *s)
{
	struct vaddr a;

	assert_int_equal(vaddr_parse(s, &a, NULL), 0);
	return a;
}

static int kernel_ifindex(const char *name)
{
	struct rtnl_link *link = NULL;
	int idx;

	if (rtnl_link_get_kernel(g.sk, 0, name, &link) < 0)
		return 0;
	idx = rtnl_link_get_ifindex(link);
	rtnl_link_put(link);
	return idx;
}

static void delete_link(const char *name)
{
	struct rtnl_link *link = rtnl_link_alloc();

	assert_non_null(link);
	rtnl_link_set_name(link, name);
	assert_int_equal(rtnl_link_delete(g.sk, link), 0);
	rtnl_link_put(link);
}

static void set_admin_up(int ifindex, bool up)
{
	struct rtnl_link *orig = NULL, *change = rtnl_link_alloc();
	int e;

	assert_non_null(change);
	assert_int_equal(rtnl_link_get_kernel(g.sk, ifindex, NULL, &orig), 0);
	if (up)
		rtnl_link_set_flags(change, IFF_UP);
	else
		rtnl_link_unset_flags(change, IFF_UP);
	e = rtnl_link_change(g.sk, orig, change, 0);
	if (e < 0)
		fail_msg("link %d up=%d: %s", ifindex, up, nl_geterror(e));
	rtnl_link_put(orig);
	rtnl_link_put(change);
}

/* A veth pair rather than a dummy: the dummy driver is not built into
 * every kernel (it is missing on ours), veth is. The peer is brought up when
 * asked, so that the link has carrier once it is itself up. */
static int make_veth(const char *name, const char *peer, bool peer_up)
{
	int e = rtnl_link_veth_add(g.sk, name, peer, getpid());
	int idx;

	if (e < 0)
		fail_msg("creating %s/%s: %s", name, peer, nl_geterror(e));
	idx = kernel_ifindex(name);
	assert_true(idx > 0 && idx < MAX_IFINDEX);
	if (peer_up)
		set_admin_up(kernel_ifindex(peer), true);
	return idx;
}

static void vip_add_ok(int ifindex, const char *addr, int plen)
{
	char err[256] = "";
	struct vaddr a = A(addr);

	if (nlw_vip_add(g.nlw, ifindex, &a, plen, err, sizeof(err)) != 0)
		fail_msg("add %s/%d: %s", addr, plen, err);
}

static void vip_del_ok(int ifindex, const char *addr, int plen)
{
	char err[256] = "";
	struct vaddr a = A(addr);

	if (nlw_vip_del(g.nlw, ifindex, &a, plen, err, sizeof(err)) != 0)
		fail_msg("del %s/%d: %s", addr, plen, err);
}

static void wait_addrs(int ifindex, const struct vaddr *a, size_t n, bool present,
		       int timeout_ms)
{
	struct addr_cond c = { ifindex, a, n, present };

	assert_true(pump_until(addrs_are, &c, timeout_ms));
}

static void assert_vaddr(const struct vaddr *got, const char *want)
{
	char buf[VADDR_STRLEN];
	struct vaddr w = A(want);

	if (vaddr_cmp(got, &w) != 0)
		fail_msg("got %s, want %s", vaddr_ntop(got, buf, sizeof(buf)), want);
}

/* The cache manager's socket is the only NETLINK_ROUTE socket here that is
 * subscribed to groups; found by inspection so the test needs no hook. */
static int find_event_fd(void)
{
	for (int fd = 3; fd < 1024; fd++) {
		struct sockaddr_nl sa;
		socklen_t len = sizeof(sa);
		int proto;
		socklen_t plen = sizeof(proto);

		if (getsockname(fd, (struct sockaddr *)&sa, &len) < 0 ||
		    sa.nl_family != AF_NETLINK)
			continue;
		if (getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &proto, &plen) < 0 ||
		    proto != NETLINK_ROUTE)
			continue;
		if (sa.nl_groups != 0)
			return fd;
	}
	return -1;
}

/* The kernel's drop counter for a netlink socket (/proc/net/netlink,
 * column Drops, matched by inode). */
static long netlink_drops(int fd)
{
	struct stat st;
	char line[512];
	long drops = -1;
	FILE *f;

	if (fstat(fd, &st) < 0 || !(f = fopen("/proc/net/netlink", "r")))
		return -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long sk;
		int eth, locks, dump;
		unsigned int pid, groups, rmem, wmem;
		long d;
		unsigned long ino;

		if (sscanf(line, "%llx %d %u %x %u %u %d %d %ld %lu", &sk, &eth, &pid,
			   &groups, &rmem, &wmem, &dump, &locks, &d, &ino) == 10 &&
		    ino == (unsigned long)st.st_ino)
			drops = d;
	}
	fclose(f);
	return drops;
}

static struct vaddr *burst_addrs(int base)
{
	struct vaddr *a = calloc(BURST, sizeof(*a));
	char s[32];

	assert_non_null(a);
	for (int i = 0; i < BURST; i++) {
		snprintf(s, sizeof(s), "10.%d.%d.%d", base, i / 250, i % 250 + 1);
		a[i] = A(s);
	}
	return a;
}

static void burst(const struct vaddr *a, bool add)
{
	char err[256];

	for (int i = 0; i < BURST; i++) {
		int rc = add ? nlw_vip_add(g.nlw, g.ifx, &a[i], 32, err, sizeof(err))
			     : nlw_vip_del(g.nlw, g.ifx, &a[i], 32, err, sizeof(err));
		if (rc != 0)
			fail_msg("%s #%d: %s", add ? "add" : "del", i, err);
	}
}

/* ---- tests -------------------------------------------------------------- */

static void test_ifindex_and_mac(void **state)
{
	struct rtnl_link *link = NULL;
	uint8_t mac[6];

	(void)state;
	SKIP_UNLESS_READY();
	assert_int_equal(nlw_ifindex(g.nlw, "lo"), 1);
	assert_true(g.ifx > 1);
	assert_int_equal(nlw_ifindex(g.nlw, "vt-if0"), g.ifx);
	assert_int_equal(nlw_ifindex(g.nlw, "vt-nosuch"), 0);

	assert_int_equal(nlw_link_mac(g.nlw, g.ifx, mac), 0);
	assert_int_equal(rtnl_link_get_kernel(g.sk, g.ifx, NULL, &link), 0);
	assert_memory_equal(mac, nl_addr_get_binary_addr(rtnl_link_get_addr(link)), 6);
	rtnl_link_put(link);
	assert_int_equal(nlw_link_mac(g.nlw, 4000, mac), -1);
	assert_false(nlw_link_up(g.nlw, 4000));
	assert_int_equal(nlw_ifindex(NULL, "lo"), 0);
	nlw_free(NULL);
}

static void test_new_and_deleted_link(void **state)
{
	struct name_cond appear = { "vt-if1", true }, gone = { "vt-if1", false };
	int idx;

	(void)state;
	SKIP_UNLESS_READY();
	idx = make_veth("vt-if1", "vt-if1p", true);
	assert_true(pump_until(name_is, &appear, 2000));
	assert_int_equal(nlw_ifindex(g.nlw, "vt-if1"), idx);
	assert_true(g.link[idx].count >= 1);
	assert_string_equal(g.link[idx].name, "vt-if1");
	assert_false(g.link[idx].up);

	set_admin_up(idx, true);
	struct link_cond up = { idx, g.link[idx].count + 1, true };
	assert_true(pump_until(link_event_is, &up, 2000));

	/* A deleted link reports down, whatever its last flags were. */
	int before = g.link[idx].count;
	delete_link("vt-if1");
	assert_true(pump_until(name_is, &gone, 2000));
	assert_true(g.link[idx].count > before);
	assert_false(g.link[idx].up);
	assert_false(nlw_link_up(g.nlw, idx));
}

static void test_link_up_down(void **state)
{
	(void)state;
	SKIP_UNLESS_READY();
	set_admin_up(g.ifx, true);
	struct link_cond up = { g.ifx, g.link[g.ifx].count + 1, true };
	assert_true(pump_until(link_event_is, &up, 2000));
	assert_true(nlw_link_up(g.nlw, g.ifx));

	set_admin_up(g.ifx, false);
	struct link_cond down = { g.ifx, g.link[g.ifx].count + 1, false };
	assert_true(pump_until(link_event_is, &down, 2000));
	assert_false(nlw_link_up(g.nlw, g.ifx));
}

/* Admin up is not enough: without carrier (veth whose peer is down) the
 * link is not usable for VRRP. */
static void test_carrier(void **state)
{
	int va, vb;

	(void)state;
	SKIP_UNLESS_READY();
	va = make_veth("vt-va", "vt-vb", false);
	vb = kernel_ifindex("vt-vb");
	assert_true(vb > 0 && vb < MAX_IFINDEX);
	struct name_cond appear = { "vt-vb", true };
	assert_true(pump_until(name_is, &appear, 2000));

	int before = g.link[va].count;
	set_admin_up(va, true);
	struct link_cond seen = { va, before + 1, false };
	assert_true(pump_until(link_event_seen, &seen, 2000));
	pump_until(never, NULL, 100);
	assert_false(g.link[va].up);
	assert_false(nlw_link_up(g.nlw, va));

	set_admin_up(vb, true);
	struct link_cond carrier = { va, g.link[va].count + 1, true };
	assert_true(pump_until(link_event_is, &carrier, 3000));

	set_admin_up(vb, false);
	struct link_cond lost = { va, g.link[va].count + 1, false };
	assert_true(pump_until(link_event_is, &lost, 3000));
	delete_link("vt-va");
}

static void test_primary_addr4(void **state)
{
	struct vaddr out, ex[3];
	struct vaddr want[3] = { A("10.0.0.1"), A("10.0.0.2"), A("10.1.0.1") };

	(void)state;
	SKIP_UNLESS_READY();
	assert_int_equal(nlw_primary_addr(g.nlw, g.ifx, AF_INET, NULL, 0, &out), -1);
	/* 10.0.0.2 falls in 10.0.0.1's subnet: the kernel makes it secondary. */
	vip_add_ok(g.ifx, "10.0.0.1", 24);
	vip_add_ok(g.ifx, "10.0.0.2", 24);
	vip_add_ok(g.ifx, "10.1.0.1", 24);
	wait_addrs(g.ifx, want, 3, true, 2000);

	assert_int_equal(nlw_primary_addr(g.nlw, g.ifx, AF_INET, NULL, 0, &out), 0);
	assert_vaddr(&out, "10.0.0.1");

	/* Our own VIP is never the source: next primary. */
	ex[0] = A("10.0.0.1");
	assert_int_equal(nlw_primary_addr(g.nlw, g.ifx, AF_INET, ex, 1, &out), 0);
	assert_vaddr(&out, "10.1.0.1");

	/* All primaries excluded: first remaining (secondary) address. */
	ex[1] = A("10.1.0.1");
	assert_int_equal(nlw_primary_addr(g.nlw, g.ifx, AF_INET, ex, 2, &out), 0);
	assert_vaddr(&out, "10.0.0.2");

	/* Excludes of another family or not configured change nothing. */
	ex[0] = A("2001:db8::1");
	ex[1] = A("192.0.2.99");
	assert_int_equal(nlw_primary_addr(g.nlw, g.ifx, AF_INET, ex, 2, &out), 0);
	assert_vaddr(&out, "10.0.0.1");

	/* Everything excluded: none. */
	ex[0] = want[0];
	ex[1] = want[1];
	ex[2] = want[2];
	assert_int_equal(nlw_primary_addr(g.nlw, g.ifx, AF_INET, ex, 3, &out), -1);

	assert_int_equal(nlw_primary_addr(g.nlw, 4000, AF_INET, NULL, 0, &out), -1);
	assert_int_equal(nlw_primary_addr(g.nlw, g.ifx, AF_UNIX, NULL, 0, &out), -1);

	vip_del_ok(g.ifx, "10.0.0.2", 24);
	vip_del_ok(g.ifx, "10.0.0.1", 24);
	vip_del_ok(g.ifx, "10.1.0.1", 24);
	wait_addrs(g.ifx, want, 3, false, 2000);
}

static void test_primary_addr6(void **state)
{
	struct vaddr out, ll, g6 = A("2001:db8::1");

	(void)state;
	SKIP_UNLESS_READY();
	set_admin_up(g.ifx, true);
	/* The kernel generates the link-local address when the link comes up. */
	assert_true(pump_until(primary6_ready, NULL, 3000));
	vip_add_ok(g.ifx, "2001:db8::1", 64);
	wait_addrs(g.ifx, &g6, 1, true, 2000);

	assert_int_equal(nlw_primary_addr(g.nlw, g.ifx, AF_INET6, NULL, 0, &ll), 0);
	assert_int_equal(ll.af, AF_INET6);
	assert_int_equal(ll.u.bytes[0], 0xfe);
	assert_int_equal(ll.u.bytes[1] & 0xc0, 0x80);
	/* A global address is never the VRRPv3 IPv6 source. */
	assert_int_equal(nlw_primary_addr(g.nlw, g.ifx, AF_INET6, &g6, 1, &out), 0);
	assert_int_equal(vaddr_cmp(&out, &ll), 0);
	assert_int_equal(nlw_primary_addr(g.nlw, g.ifx, AF_INET6, &ll, 1, &out), -1);

	vip_del_ok(g.ifx, "2001:db8::1", 64);
	wait_addrs(g.ifx, &g6, 1, false, 2000);
}

static void test_vip_add_del4(void **state)
{
	struct vaddr vip = A("192.0.2.10"), other = A("192.0.2.11");
	char err[256] = "";

	(void)state;
	SKIP_UNLESS_READY();
	int before = g.addr_events[g.ifx];
	vip_add_ok(g.ifx, "192.0.2.10", 32);
	vip_add_ok(g.ifx, "192.0.2.10", 32); /* exists: still success */
	wait_addrs(g.ifx, &vip, 1, true, 2000);
	assert_true(g.addr_events[g.ifx] > before);
	assert_false(nlw_has_addr(g.nlw, g.ifx, &other));
	assert_false(nlw_has_addr(g.nlw, 1, &vip));

	vip_del_ok(g.ifx, "192.0.2.10", 32);
	vip_del_ok(g.ifx, "192.0.2.10", 32); /* absent: still success */
	vip_del_ok(g.ifx, "192.0.2.11", 32); /* never there */
	wait_addrs(g.ifx, &vip, 1, false, 2000);

	/* Failures come back with a message. */
	assert_int_equal(nlw_vip_add(g.nlw, 4000, &vip, 32, err, sizeof(err)), -1);
	assert_true(strlen(err) > 0);
	err[0] = '\0';
	assert_int_equal(nlw_vip_add(g.nlw, g.ifx, &vip, 33, err, sizeof(err)), -1);
	assert_true(strlen(err) > 0);
	assert_int_equal(nlw_vip_del(g.nlw, 0, &vip, 32, NULL, 0), -1);
}

static bool nodad_in_kernel(const char *s, unsigned int *flags_out)
{
	struct nl_cache *cache = NULL;
	struct nl_object *obj;
	struct vaddr want = A(s);
	bool found = false;

	assert_int_equal(rtnl_addr_alloc_cache(g.sk, &cache), 0);
	for (obj = nl_cache_get_first(cache); obj; obj = nl_cache_get_next(obj)) {
		struct rtnl_addr *ad = (struct rtnl_addr *)obj;
		struct nl_addr *l = rtnl_addr_get_local(ad);

		if (rtnl_addr_get_ifindex(ad) == g.ifx && l &&
		    nl_addr_get_family(l) == AF_INET6 &&
		    memcmp(nl_addr_get_binary_addr(l), want.u.bytes, 16) == 0) {
			*flags_out = rtnl_addr_get_flags(ad);
			found = true;
		}
	}
	nl_cache_free(cache);
	return found;
}

static void test_vip_add_del6_nodad(void **state)
{
	struct vaddr vip = A("2001:db8:1::10");
	unsigned int flags = 0;

	(void)state;
	SKIP_UNLESS_READY();
	set_admin_up(g.ifx, true);
	vip_add_ok(g.ifx, "2001:db8:1::10", 64);
	vip_add_ok(g.ifx, "2001:db8:1::10", 64);
	/* Usable at once: NODAD set and never tentative. */
	assert_true(nodad_in_kernel("2001:db8:1::10", &flags));
	assert_true(flags & IFA_F_NODAD);
	assert_false(flags & IFA_F_TENTATIVE);
	wait_addrs(g.ifx, &vip, 1, true, 2000);

	vip_del_ok(g.ifx, "2001:db8:1::10", 64);
	vip_del_ok(g.ifx, "2001:db8:1::10", 64);
	wait_addrs(g.ifx, &vip, 1, false, 2000);
	assert_false(nodad_in_kernel("2001:db8:1::10", &flags));
}

/* A thousand changes queued before the loop reads any: the enlarged
 * buffer holds them all, nothing is dropped. */
static void test_burst_no_overflow(void **state)
{
	struct vaddr *a;
	int fd, before;

	(void)state;
	SKIP_UNLESS_READY();
	a = burst_addrs(200);
	fd = find_event_fd();
	before = g.addr_events[g.ifx];
	assert_true(fd >= 0);
	burst(a, true);
	wait_addrs(g.ifx, a, BURST, true, 5000);
	assert_true(g.addr_events[g.ifx] - before >= BURST);
	burst(a, false);
	wait_addrs(g.ifx, a, BURST, false, 5000);
	assert_int_equal(netlink_drops(fd), 0);
	free(a);
}

/* ---- the VIP pipeline -------------------------------------------------- */

static struct {
	int calls, ok, foreign, failed, dels;
	void *owner;
	char last_err[256];
} pipe_res;

static void pipe_done(void *arg, void *owner, bool add, int ifindex,
		      const struct vaddr *a, int result, const char *err)
{
	(void)arg; (void)ifindex; (void)a;
	pipe_res.calls++;
	pipe_res.dels += !add;
	pipe_res.owner = owner;
	if (result == 0)
		pipe_res.ok++;
	else if (result == NLW_VIP_FOREIGN)
		pipe_res.foreign++;
	else {
		pipe_res.failed++;
		snprintf(pipe_res.last_err, sizeof(pipe_res.last_err), "%s", err);
	}
}

/* An address someone else configured: no protocol tag. */
static void add_untagged(int ifindex, const char *s, int plen)
{
	struct rtnl_addr *ad = rtnl_addr_alloc();
	struct vaddr v = A(s);
	struct nl_addr *l = nl_addr_build(v.af, v.u.bytes, vaddr_len(&v));

	nl_addr_set_prefixlen(l, plen);
	rtnl_addr_set_ifindex(ad, ifindex);
	rtnl_addr_set_local(ad, l);
	assert_int_equal(rtnl_addr_add(g.sk, ad, 0), 0);
	nl_addr_put(l);
	rtnl_addr_put(ad);
}

/* 1000 adds queued, flushed in a few system calls, each with its own
 * result: one is the operator's address (foreign), one was ours already
 * (ok), one names a link that does not exist (failed, with a reason); a
 * forgotten owner hears nothing; a synchronous delete sends the queue
 * first, so a delete queued behind an add never overtakes it. */
static void test_vip_pipeline(void **state)
{
	struct vaddr *a;
	char err[256];
	int owner = 0, other = 0;

	(void)state;
	SKIP_UNLESS_READY();
	memset(&pipe_res, 0, sizeof(pipe_res));
	nlw_vip_set_done(g.nlw, pipe_done, NULL);
	a = burst_addrs(210);
	add_untagged(g.ifx, "10.211.0.1", 32);
	vip_add_ok(g.ifx, "10.211.0.2", 32);
	for (int i = 0; i < BURST; i++)
		assert_int_equal(nlw_vip_add_queue(g.nlw, g.ifx, &a[i], 32, NULL, &owner,
						   err, sizeof(err)), 0);
	struct vaddr f = A("10.211.0.1"), o = A("10.211.0.2"), x = A("10.211.0.3");
	assert_int_equal(nlw_vip_add_queue(g.nlw, g.ifx, &f, 32, NULL, &owner, err, sizeof(err)), 0);
	assert_int_equal(nlw_vip_add_queue(g.nlw, g.ifx, &o, 32, NULL, &owner, err, sizeof(err)), 0);
	assert_int_equal(nlw_vip_add_queue(g.nlw, 3999, &x, 32, NULL, &owner, err, sizeof(err)), 0);
	assert_int_equal(nlw_vip_add_queue(g.nlw, g.ifx, &x, 32, NULL, &other, err, sizeof(err)), 0);
	nlw_vip_forget(g.nlw, &other);
	assert_int_equal(nlw_vip_pending(g.nlw), BURST + 4);
	assert_int_equal(pipe_res.calls, 0); /* nothing left before the flush */
	assert_int_equal(nlw_vip_flush(g.nlw), BURST + 4);
	assert_int_equal(nlw_vip_pending(g.nlw), 0);
	assert_int_equal(pipe_res.calls, BURST + 3);
	assert_int_equal(pipe_res.ok, BURST + 1);
	assert_int_equal(pipe_res.foreign, 1);
	assert_int_equal(pipe_res.failed, 1);
	assert_non_null(strstr(pipe_res.last_err, "10.211.0.3/32 on ifindex 3999"));
	assert_ptr_equal(pipe_res.owner, &owner);
	wait_addrs(g.ifx, a, BURST, true, 5000);
	wait_addrs(g.ifx, &x, 1, true, 5000); /* the forgotten one was still added */

	/* queued add, then a synchronous delete: the add goes first */
	struct vaddr y = A("10.211.0.4");
	assert_int_equal(nlw_vip_add_queue(g.nlw, g.ifx, &y, 32, NULL, &owner, err, sizeof(err)), 0);
	assert_int_equal(nlw_vip_del(g.nlw, g.ifx, &y, 32, err, sizeof(err)), 0);
	assert_int_equal(nlw_vip_pending(g.nlw), 0);
	wait_addrs(g.ifx, &y, 1, false, 5000);

	/* queued deletes: in order behind a queued add of the same address,
	 * an absent address is no failure, a missing link is */
	memset(&pipe_res, 0, sizeof(pipe_res));
	assert_int_equal(nlw_vip_add_queue(g.nlw, g.ifx, &y, 32, NULL, &owner, err, sizeof(err)), 0);
	for (int i = 0; i < BURST; i++)
		assert_int_equal(nlw_vip_del_queue(g.nlw, g.ifx, &a[i], 32, &owner, err,
						   sizeof(err)), 0);
	assert_int_equal(nlw_vip_del_queue(g.nlw, g.ifx, &y, 32, &owner, err, sizeof(err)), 0);
	assert_int_equal(nlw_vip_del_queue(g.nlw, g.ifx, &y, 32, &owner, err, sizeof(err)), 0);
	assert_int_equal(nlw_vip_del_queue(g.nlw, 3999, &y, 32, &owner, err, sizeof(err)), 0);
	assert_int_equal(nlw_vip_flush(g.nlw), BURST + 4);
	assert_int_equal(pipe_res.dels, BURST + 3);
	assert_int_equal(pipe_res.ok, BURST + 3);
	assert_int_equal(pipe_res.failed, 1);
	assert_non_null(strstr(pipe_res.last_err, "delete 10.211.0.4/32 on ifindex 3999"));
	wait_addrs(g.ifx, a, BURST, false, 5000);
	wait_addrs(g.ifx, &y, 1, false, 5000);
	for (const char *s2 = "10.211.0.1\0" "10.211.0.2\0" "10.211.0.3\0"; *s2; s2 += strlen(s2) + 1)
		vip_del_ok(g.ifx, s2, 32);
	nlw_vip_set_done(g.nlw, NULL, NULL);
	free(a);
}

/* Force the overflow the large buffer normally prevents: the kernel drops
 * notifications, reports ENOBUFS, and the caches must be refilled from a
 * dump, so adds and deletes made during the overflow are still seen. */
static void test_overflow_resync(void **state)
{
	struct vaddr *a;
	int fd, small = 4096;
	enum log_level saved = log_get_level();

	(void)state;
	SKIP_UNLESS_READY();
	a = burst_addrs(201);
	fd = find_event_fd();
	assert_true(fd >= 0);
	assert_int_equal(setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small)), 0);
	if (!getenv("NLW_TEST_VERBOSE"))
		log_set_level(LOG_LVL_ERR); /* the expected overflow warning */
	burst(a, true);
	assert_true(netlink_drops(fd) > 0);
	wait_addrs(g.ifx, a, BURST, true, 5000);
	long drops = netlink_drops(fd);
	burst(a, false);
	assert_true(netlink_drops(fd) > drops);
	wait_addrs(g.ifx, a, BURST, false, 5000);
	log_set_level(saved);
	free(a);
}

/* ---- setup -------------------------------------------------------------- */

static int group_setup(void **state)
{
	struct nlw_callbacks cb = { .link_changed = on_link, .addr_changed = on_addr };
	char err[256] = "";
	int e;

	(void)state;
	if (g.skip)
		return 0;
	g.sk = nl_socket_alloc();
	if (!g.sk || (e = nl_connect(g.sk, NETLINK_ROUTE)) < 0) {
		fprintf(stderr, "netlink socket failed\n");
		return -1;
	}
	/* Created before nlw_new: must be found by the initial cache fill. */
	g.ifx = make_veth("vt-if0", "vt-if0p", true);
	g.loop = loop_new();
	if (!g.loop)
		return -1;
	g.nlw = nlw_new(g.loop, &cb, err, sizeof(err));
	if (!g.nlw) {
		fprintf(stderr, "nlw_new: %s\n", err);
		return -1;
	}
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	nlw_free(g.nlw);
	loop_free(g.loop);
	nl_socket_free(g.sk);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ifindex_and_mac),
		cmocka_unit_test(test_new_and_deleted_link),
		cmocka_unit_test(test_link_up_down),
		cmocka_unit_test(test_carrier),
		cmocka_unit_test(test_primary_addr4),
		cmocka_unit_test(test_primary_addr6),
		cmocka_unit_test(test_vip_add_del4),
		cmocka_unit_test(test_vip_add_del6_nodad),
		cmocka_unit_test(test_burst_no_overflow),
		cmocka_unit_test(test_vip_pipeline),
		cmocka_unit_test(test_overflow_resync),
	};

	/* Every link and address this binary makes lives and dies in its own
	 * namespace: the host is never touched, even if a test fails midway. */
	if (geteuid() != 0)
		g.skip = "needs root for a private network namespace";
	else if (unshare(CLONE_NEWNET) < 0)
		g.skip = "unshare(CLONE_NEWNET) failed";
	log_init("test_netlink", LOG_LVL_WARN, true);
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
