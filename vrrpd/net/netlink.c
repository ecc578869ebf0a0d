/* Kernel links and addresses through libnl-3 (route).
 *
 * Two sockets:
 *  - the cache manager's socket, subscribed to link and address events and
 *    registered in the event loop; libnl keeps the "route/link" and
 *    "route/addr" caches current and calls us on every change;
 *  - a blocking request socket for synchronous, acknowledged VIP add/remove
 *    and for the full dumps used to resynchronise the caches.
 * All lookups answer from the caches, so they never touch the kernel. */
#include "netlink.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <linux/if.h>
#include <linux/if_addr.h>

#include <netlink/cache.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/socket.h>

#include "log.h"
#include "loop.h"
#include "netlink_int.h"

/* A burst of address changes (a thousand VIPs moving at once) is queued in
 * the event socket until the loop reads it; each notification costs about
 * a kilobyte of skb truesize, so the default ~200 KiB would overflow. The
 * kernel doubles the value given. */
#define EVENT_RCVBUF_BYTES (8 * 1024 * 1024)
/* Bounded drain of stale notifications after an overflow. */
#define DRAIN_MAX_MSGS 100000

void nlw_set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* Operationally usable: administratively up and the kernel says RUNNING
 * (IFF_RUNNING = oper state UP/UNKNOWN, which needs carrier). A link the
 * kernel removed is never up. */
static bool link_is_up(struct rtnl_link *link)
{
	unsigned int flags = rtnl_link_get_flags(link);

	return (flags & IFF_UP) && (flags & IFF_RUNNING);
}

/* libnl quirk: "route/link" also listens to RTNLGRP_IPV6_IFINFO (and
 * AF_BRIDGE messages), and keeps those as separate cache objects keyed by
 * (ifindex, family). They are per-family snapshots that RTM_DELLINK never
 * removes, and rtnl_link_get()/rtnl_link_name2i() return whichever object
 * comes first, so a stale IPv6 snapshot can answer "up" for a link that is
 * down or gone. Only the AF_UNSPEC object is the link itself. */
static bool is_link_object(struct rtnl_link *link)
{
	return rtnl_link_get_family(link) == AF_UNSPEC;
}

/* Drops the per-family snapshots of a deleted link so they neither leak
 * nor answer lookups. Not during nl_cache_resync(), which walks the list
 * itself (and removes them anyway, as they are absent from the dump). */
static void purge_family_objects(struct nlw *n, int ifindex)
{
	struct nl_object *obj, *next;

	if (n->resyncing)
		return;
	for (obj = nl_cache_get_first(n->links); obj; obj = next) {
		next = nl_cache_get_next(obj);
		if (rtnl_link_get_ifindex((struct rtnl_link *)obj) == ifindex)
			nl_cache_remove(obj);
	}
}

static void on_link_change(struct nl_cache *cache, struct nl_object *obj,
			   int action, void *arg)
{
	struct nlw *n = arg;
	struct rtnl_link *link = (struct rtnl_link *)obj;
	const char *name = rtnl_link_get_name(link);
	int ifindex = rtnl_link_get_ifindex(link);
	bool up = action != NL_ACT_DEL && link_is_up(link);

	(void)cache;
	if (!is_link_object(link))
		return;
	if (action == NL_ACT_DEL)
		purge_family_objects(n, ifindex);
	if (n->cb.link_changed)
		n->cb.link_changed(n->cb.arg, ifindex, name ? name : "", up);
}

static void on_addr_change(struct nl_cache *cache, struct nl_object *obj,
			   int action, void *arg)
{
	struct nlw *n = arg;
	struct rtnl_addr *addr = (struct rtnl_addr *)obj;

	struct nl_addr *local = rtnl_addr_get_local(addr);
	int af = rtnl_addr_get_family(addr);
	struct vaddr a;

	(void)cache;
	if (action == NL_ACT_DEL && n->cb.addr_removed && local &&
	    (af == AF_INET || af == AF_INET6) &&
	    nl_addr_get_len(local) == (af == AF_INET ? 4u : 16u)) {
		vaddr_from_raw(&a, af, nl_addr_get_binary_addr(local));
		n->cb.addr_removed(n->cb.arg, rtnl_addr_get_ifindex(addr), &a);
	}
	if (n->cb.addr_changed)
		n->cb.addr_changed(n->cb.arg, rtnl_addr_get_ifindex(addr));
}

/* After ENOBUFS the queued notifications are older than the dump we are
 * about to take; applying them after it could resurrect deleted addresses,
 * so they are read and dropped first. Anything arriving after this point is
 * newer than (or included in) the dump and converges when applied. */
static void drain_events(struct nlw *n)
{
	static char buf[16384];

	for (int i = 0; i < DRAIN_MAX_MSGS; i++) {
		ssize_t r = recv(n->ev_fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && errno == ENOBUFS)
			continue; /* the overflow report itself */
		if (r < 0)
			break;
	}
}

/* Full dumps diffed against the caches: the change callbacks fire for every
 * link/address that appeared, changed or vanished while events were lost. */
static void resync(struct nlw *n)
{
	uint64_t t0_us = loop_now_us();
	int err;

	drain_events(n);
	n->resyncing = true;
	err = nl_cache_resync(n->req_sock, n->links, on_link_change, n);
	if (err < 0)
		log_err("netlink: link cache resync: %s", nl_geterror(err));
	err = nl_cache_resync(n->req_sock, n->addrs, on_addr_change, n);
	if (err < 0)
		log_err("netlink: address cache resync: %s", nl_geterror(err));
	n->resyncing = false;
	/* The loop is blocked while this runs: say how long, for operators
	 * tuning bursts (~20 ms for a thousand addresses in our tests). */
	log_warn("netlink: event socket overflowed; caches resynchronised in %llu ms",
		 (unsigned long long)((loop_now_us() - t0_us) / 1000));
}

static void on_event_fd(void *arg, uint32_t events)
{
	struct nlw *n = arg;
	int err;

	(void)events;
	/* Reads until the socket is empty; each message updates one cache
	 * object and calls one change callback. */
	err = nl_cache_mngr_data_ready(n->mngr);
	if (err >= 0)
		return;
	/* libnl maps ENOBUFS (kernel dropped notifications) to NLE_NOMEM. */
	if (err == -NLE_NOMEM) {
		resync(n);
		return;
	}
	log_warn("netlink: reading events: %s", nl_geterror(err));
}

static int open_event_side(struct nlw *n, char *err, size_t errlen)
{
	int e;

	n->ev_sock = nl_socket_alloc();
	if (!n->ev_sock) {
		nlw_set_err(err, errlen, "netlink: out of memory");
		return -1;
	}
	/* The manager connects the socket and makes it non-blocking. */
	e = nl_cache_mngr_alloc(n->ev_sock, NETLINK_ROUTE, NL_AUTO_PROVIDE,
				&n->mngr);
	if (e < 0) {
		nlw_set_err(err, errlen, "netlink: cache manager: %s", nl_geterror(e));
		return -1;
	}
	n->ev_fd = nl_socket_get_fd(n->ev_sock);
	/* SO_RCVBUF is capped by net.core.rmem_max; as root we may exceed it
	 * with SO_RCVBUFFORCE. Either one succeeding is enough. */
	e = nl_socket_set_buffer_size(n->ev_sock, EVENT_RCVBUF_BYTES, 0);
	int sz = EVENT_RCVBUF_BYTES;
	if (setsockopt(n->ev_fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)) < 0 &&
	    e < 0)
		log_warn("netlink: cannot enlarge event buffer: %s", nl_geterror(e));

	e = nl_cache_mngr_add(n->mngr, "route/link", on_link_change, n, &n->links);
	if (e < 0) {
		nlw_set_err(err, errlen, "netlink: link cache: %s", nl_geterror(e));
		return -1;
	}
	e = nl_cache_mngr_add(n->mngr, "route/addr", on_addr_change, n, &n->addrs);
	if (e < 0) {
		nlw_set_err(err, errlen, "netlink: address cache: %s", nl_geterror(e));
		return -1;
	}
	return 0;
}

static int open_request_side(struct nlw *n, char *err, size_t errlen)
{
	int e;
	struct timeval tv = { .tv_sec = REQ_TIMEOUT_MS / 1000,
			      .tv_usec = (REQ_TIMEOUT_MS % 1000) * 1000 };

	n->req_sock = nl_socket_alloc();
	if (!n->req_sock) {
		nlw_set_err(err, errlen, "netlink: out of memory");
		return -1;
	}
	e = nl_connect(n->req_sock, NETLINK_ROUTE);
	if (e < 0) {
		nlw_set_err(err, errlen, "netlink: connect: %s", nl_geterror(e));
		return -1;
	}
	if (setsockopt(nl_socket_get_fd(n->req_sock), SOL_SOCKET, SO_RCVTIMEO,
		       &tv, sizeof(tv)) < 0)
		log_warn("netlink: SO_RCVTIMEO: %s", strerror(errno));
	return 0;
}

struct nlw *nlw_new(struct loop *loop, const struct nlw_callbacks *cb,
		    char *err, size_t errlen)
{
	struct nlw *n = calloc(1, sizeof(*n));

	if (!n) {
		nlw_set_err(err, errlen, "netlink: out of memory");
		return NULL;
	}
	n->loop = loop;
	n->ev_fd = -1;
	if (cb)
		n->cb = *cb;
	if (open_request_side(n, err, errlen) < 0 ||
	    nlw_pipe_open(n, err, errlen) < 0 ||
	    open_event_side(n, err, errlen) < 0)
		goto fail;
	if (loop) {
		if (loop_add_fd(loop, n->ev_fd, EPOLLIN, on_event_fd, n) < 0) {
			nlw_set_err(err, errlen, "netlink: loop_add_fd: %s", strerror(errno));
			goto fail;
		}
		n->registered = true;
	}
	return n;
fail:
	nlw_free(n);
	return NULL;
}

void nlw_free(struct nlw *n)
{
	if (!n)
		return;
	if (n->registered)
		loop_del_fd(n->loop, n->ev_fd);
	/* Frees the caches (and withdraws them from NL_AUTO_PROVIDE) and
	 * closes, but does not free, a socket the caller passed in. */
	nl_cache_mngr_free(n->mngr);
	nl_socket_free(n->ev_sock);
	nl_socket_free(n->req_sock);
	nlw_pipe_close(n);
	free(n);
}

/* Linear scans rather than rtnl_link_get()/rtnl_link_name2i(), which may
 * return a per-family snapshot (see is_link_object). No reference taken:
 * the result is used before control returns to the loop. */
static struct rtnl_link *find_link(struct nlw *n, int ifindex, const char *name)
{
	struct nl_object *obj;

	for (obj = nl_cache_get_first(n->links); obj; obj = nl_cache_get_next(obj)) {
		struct rtnl_link *link = (struct rtnl_link *)obj;
		const char *lname;

		if (!is_link_object(link))
			continue;
		if (name) {
			lname = rtnl_link_get_name(link);
			if (lname && strcmp(lname, name) == 0)
				return link;
		} else if (rtnl_link_get_ifindex(link) == ifindex) {
			return link;
		}
	}
	return NULL;
}

int nlw_ifindex(struct nlw *n, const char *ifname)
{
	struct rtnl_link *link;

	if (!n || !ifname || !(link = find_link(n, 0, ifname)))
		return 0;
	return rtnl_link_get_ifindex(link);
}

bool nlw_link_up(struct nlw *n, int ifindex)
{
	struct rtnl_link *link;

	if (!n || ifindex <= 0 || !(link = find_link(n, ifindex, NULL)))
		return false;
	return link_is_up(link);
}

int nlw_link_mac(struct nlw *n, int ifindex, uint8_t mac[6])
{
	struct rtnl_link *link;
	struct nl_addr *lladdr;

	if (!n || !mac || ifindex <= 0 || !(link = find_link(n, ifindex, NULL)))
		return -1;
	lladdr = rtnl_link_get_addr(link);
	if (!lladdr || nl_addr_get_len(lladdr) != 6)
		return -1;
	memcpy(mac, nl_addr_get_binary_addr(lladdr), 6);
	return 0;
}

/* The local address of a cached address object as a vaddr; false if the
 * object is not an address of family af on ifindex. */
static bool addr_local(struct rtnl_addr *addr, int ifindex, int af,
		       struct vaddr *out)
{
	struct nl_addr *local;
	size_t want = af == AF_INET ? 4 : 16;

	if (rtnl_addr_get_ifindex(addr) != ifindex ||
	    rtnl_addr_get_family(addr) != af)
		return false;
	local = rtnl_addr_get_local(addr);
	if (!local || nl_addr_get_len(local) != want)
		return false;
	vaddr_from_raw(out, af, nl_addr_get_binary_addr(local));
	return true;
}

static bool excluded(const struct vaddr *a, const struct vaddr *exclude,
		     size_t nexclude)
{
	for (size_t i = 0; i < nexclude; i++)
		if (vaddr_cmp(a, &exclude[i]) == 0)
			return true;
	return false;
}

static bool is_link_local6(const struct vaddr *a)
{
	return a->u.bytes[0] == 0xfe && (a->u.bytes[1] & 0xc0) == 0x80;
}

/* RFC 3768 5.1.1.1 / RFC 5798 5.1.1.1: IPv4 source = the interface's primary
 * address. Kernel order puts primaries before secondaries; the first
 * non-secondary address not in exclude[] (our own VIPs) wins. If every
 * primary is excluded (a VIP happens to be the primary), the first
 * non-excluded address of any kind is used. */
static int primary4(struct nlw *n, int ifindex, const struct vaddr *exclude,
		    size_t nexclude, struct vaddr *out)
{
	struct nl_object *obj;
	struct vaddr a, fallback = { 0 };

	for (obj = nl_cache_get_first(n->addrs); obj; obj = nl_cache_get_next(obj)) {
		struct rtnl_addr *addr = (struct rtnl_addr *)obj;

		if (!addr_local(addr, ifindex, AF_INET, &a) ||
		    excluded(&a, exclude, nexclude))
			continue;
		if (!(rtnl_addr_get_flags(addr) & IFA_F_SECONDARY)) {
			*out = a;
			return 0;
		}
		if (!vaddr_is_set(&fallback))
			fallback = a;
	}
	if (!vaddr_is_set(&fallback))
		return -1;
	*out = fallback;
	return 0;
}

/* RFC 5798 5.1.2.1: IPv6 source = the interface's link-local address.
 * One that failed DAD is unusable; a tentative one becomes usable shortly
 * (and its change is notified), so it is taken only when nothing better
 * exists. */
static int primary6(struct nlw *n, int ifindex, const struct vaddr *exclude,
		    size_t nexclude, struct vaddr *out)
{
	struct nl_object *obj;
	struct vaddr a, tentative = { 0 };

	for (obj = nl_cache_get_first(n->addrs); obj; obj = nl_cache_get_next(obj)) {
		struct rtnl_addr *addr = (struct rtnl_addr *)obj;
		unsigned int flags = rtnl_addr_get_flags(addr);

		if (!addr_local(addr, ifindex, AF_INET6, &a) ||
		    !is_link_local6(&a) || excluded(&a, exclude, nexclude) ||
		    (flags & IFA_F_DADFAILED))
			continue;
		if (!(flags & IFA_F_TENTATIVE)) {
			*out = a;
			return 0;
		}
		if (!vaddr_is_set(&tentative))
			tentative = a;
	}
	if (!vaddr_is_set(&tentative))
		return -1;
	*out = tentative;
	return 0;
}

int nlw_primary_addr(struct nlw *n, int ifindex, int af,
		     const struct vaddr *exclude, size_t nexclude,
		     struct vaddr *out)
{
	if (!n || !out || ifindex <= 0 || (nexclude && !exclude))
		return -1;
	if (af == AF_INET)
		return primary4(n, ifindex, exclude, nexclude, out);
	if (af == AF_INET6)
		return primary6(n, ifindex, exclude, nexclude, out);
	return -1;
}

bool nlw_has_addr(struct nlw *n, int ifindex, const struct vaddr *a)
{
	struct nl_object *obj;
	struct vaddr cur;

	if (!n || !a || ifindex <= 0 || !vaddr_is_set(a))
		return false;
	for (obj = nl_cache_get_first(n->addrs); obj; obj = nl_cache_get_next(obj))
		if (addr_local((struct rtnl_addr *)obj, ifindex, a->af, &cur) &&
		    vaddr_cmp(&cur, a) == 0)
			return true;
	return false;
}

