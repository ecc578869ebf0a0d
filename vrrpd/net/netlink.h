/* Kernel interfaces and addresses through libnl-3 (route): a cache manager
 * watching links and addresses (its socket is one more fd in the event loop)
 * and a synchronous socket for adding and removing virtual addresses. */
#ifndef VRRPD_NETLINK_H
#define VRRPD_NETLINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vaddr.h"

struct loop;
struct nlw;
struct route_cfg;
struct rule_cfg;

struct nlw_callbacks {
	/* A link appeared, changed or disappeared (up = IFF_UP and carrier,
	 * i.e. operationally usable; gone links report up = false). */
	void (*link_changed)(void *arg, int ifindex, const char *ifname, bool up);
	/* Some address on ifindex was added or removed. */
	void (*addr_changed)(void *arg, int ifindex);
	/* Address a was removed from ifindex (by anyone, us included). */
	void (*addr_removed)(void *arg, int ifindex, const struct vaddr *a);
	void *arg;
};

struct nlw *nlw_new(struct loop *loop, const struct nlw_callbacks *cb,
		    char *err, size_t errlen);
void nlw_free(struct nlw *n);

/* Lookups from the cache; 0 / false / -1 when unknown. */
int nlw_ifindex(struct nlw *n, const char *ifname);
bool nlw_link_up(struct nlw *n, int ifindex);
int nlw_link_mac(struct nlw *n, int ifindex, uint8_t mac[6]);
/* The address VRRP uses as its source on ifindex: IPv4 = the first primary
 * (non-secondary) address that is not in exclude[]; IPv6 = the link-local
 * address (RFC 5798 5.1.2.1). Returns 0 or -1 if there is none. */
int nlw_primary_addr(struct nlw *n, int ifindex, int af,
		     const struct vaddr *exclude, size_t nexclude,
		     struct vaddr *out);
/* True if the address is currently configured on ifindex. */
bool nlw_has_addr(struct nlw *n, int ifindex, const struct vaddr *a);

/* The address protocol (IFA_PROTO) our VIPs carry: VRRP's IP protocol
 * number, so `ip -d addr` shows which addresses are vrrpd's. */
#define NLW_VIP_PROTO 112
/* nlw_vip_add: the address was there already and is not ours. */
#define NLW_VIP_FOREIGN 1

/* Add / remove a virtual address (RTM_NEWADDR / RTM_DELADDR, synchronous,
 * acknowledged). Adding an address that exists and removing one that is
 * absent both succeed; adding one that someone else configured returns
 * NLW_VIP_FOREIGN (leave it in place when releasing). IPv6 VIPs are added
 * with IFA_F_NODAD so the address is usable at once. Returns 0 or -1 with
 * err (netlink_vip.c). */
int nlw_vip_add(struct nlw *n, int ifindex, const struct vaddr *a, int plen,
		char *err, size_t errlen);
int nlw_vip_del(struct nlw *n, int ifindex, const struct vaddr *a, int plen,
		char *err, size_t errlen);
/* Per-address options (keepalived label, brd, scope). */
struct nlw_addr_opts {
	const char *label;        /* NULL: none */
	const struct vaddr *brd;  /* NULL: none */
	int scope;                /* RT_SCOPE_*; -1: the kernel's default */
};
int nlw_vip_add_opts(struct nlw *n, int ifindex, const struct vaddr *a, int plen,
		     const struct nlw_addr_opts *o, char *err, size_t errlen);
/* The VIP pipeline (netlink_pipe.c): adds and deletes queued during a
 * loop iteration leave together, in order, in nlw_vip_flush() (the engine
 * calls it once the iteration's adverts are out), and each one's result
 * reaches done: 0, NLW_VIP_FOREIGN (add: the address is someone else's),
 * or -1 with err, for the owner given at queueing; a delete of an absent
 * address succeeds. A synchronous request (any other nlw_* call that
 * changes the kernel) flushes the queue first, so the kernel sees requests
 * in our order. nlw_vip_forget: owner is going away; its results are
 * dropped (the requests still go). */
typedef void (*nlw_vip_done_fn)(void *arg, void *owner, bool add, int ifindex,
				const struct vaddr *a, int result, const char *err);
#define NLW_PIPE_MAX 65536
void nlw_vip_set_done(struct nlw *n, nlw_vip_done_fn fn, void *arg);
int nlw_vip_add_queue(struct nlw *n, int ifindex, const struct vaddr *a, int plen,
		      const struct nlw_addr_opts *o, void *owner, char *err,
		      size_t errlen);
int nlw_vip_del_queue(struct nlw *n, int ifindex, const struct vaddr *a, int plen,
		      void *owner, char *err, size_t errlen);
size_t nlw_vip_flush(struct nlw *n);
size_t nlw_vip_pending(const struct nlw *n);
void nlw_vip_forget(struct nlw *n, void *owner);
/* Write /proc/sys/net/FAMILY/conf/IFNAME/KNOB; 0 or -1 (errno). */
int nlw_sysctl_if(const char *family, const char *ifname, const char *knob,
		  const char *value);
/* The virtual MAC of an instance: a macvlan NAME on parent with mac, up,
 * with the sysctls that keep ARP / ND answers on it (netlink_vmac.c). An
 * existing macvlan of that name on parent with mac is adopted. Returns its
 * ifindex, or -1 with err. */
int nlw_vmac_create(struct nlw *n, int parent, const char *parent_name,
		    const char *name, const uint8_t mac[6], int af, char *err,
		    size_t errlen);
int nlw_vmac_delete(struct nlw *n, int ifindex, char *err, size_t errlen);
/* a is on ifindex with our protocol: left by a vrrpd that was killed. */
bool nlw_vip_stale(struct nlw *n, int ifindex, const struct vaddr *a);

/* ---- routes and rules (netlink_route.c) ---- */

/* The routing protocol (rtm_protocol, FRA_PROTOCOL) of our routes and
 * rules: `ip route show proto 112`. */
#define NLW_ROUTE_PROTO 112
/* nlw_route / nlw_rule add: an identical entry is there already. */
#define NLW_ROUTE_EXISTS 1

/* Add or remove one route / rule, synchronous and acknowledged. Removing
 * an absent one succeeds; removal only matches entries of our protocol.
 * 0, NLW_ROUTE_EXISTS, or -1 with err. */
int nlw_route(struct nlw *n, const struct route_cfg *r, bool add, char *err,
	      size_t errlen);
int nlw_rule(struct nlw *n, const struct rule_cfg *u, bool add, char *err,
	     size_t errlen);
/* At start: remove every route and rule of our protocol (left by a vrrpd
 * that was killed). Returns how many went. */
int nlw_routes_flush_ours(struct nlw *n);

#endif
