/* Everything an instance needs from outside itself: the clock and timers,
 * the interfaces and addresses the kernel knows, the shared VRRP sockets,
 * gratuitous ARP / NA, and the state-change hook. The engine fills one of
 * these (engine.c); tests/unit/test_instance.c fills a fake one that
 * records every call. An instance reaches nothing else, so it never calls
 * back into the engine and can be tested without a network. */
#ifndef VRRPD_INSTANCE_ENV_H
#define VRRPD_INSTANCE_ENV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "fsm.h"
#include "vaddr.h"

struct instance;
struct loop_timer;

#define VIP_ADD_QUEUED 2
struct vsock;

struct instance_env {
	void *arg;

	/* Monotonic clock (loop_now_us) and the loop's timers. */
	uint64_t (*now_us)(void *arg);
	void (*timer_at)(void *arg, struct loop_timer *t, uint64_t deadline_us);
	void (*timer_cancel)(void *arg, struct loop_timer *t);

	const struct global_cfg *(*global)(void *arg);

	/* Interfaces, from the netlink cache: 0 / false / -1 when unknown. */
	int (*ifindex)(void *arg, const char *ifname);
	bool (*link_up)(void *arg, int ifindex);
	int (*link_mac)(void *arg, int ifindex, uint8_t mac[6]);
	/* Our source address on ifindex for af: the primary address that is
	 * not a VIP of any instance. 0, or -1 if there is none. */
	int (*primary)(void *arg, int ifindex, int af, struct vaddr *out);
	/* Add / remove a virtual address; 0 or -1 with err. vip_add returns
	 * 1 when the address was there already and is not ours (the
	 * operator's: it must stay when we release the VIPs), or
	 * VIP_ADD_QUEUED: the add leaves with the others of this loop
	 * iteration and its result comes through instance_vip_added().
	 * vip_settle delivers every queued result now; vip_forget drops
	 * those of an instance that is going away. */
	int (*vip_add)(void *arg, struct instance *in, int ifindex,
		       const struct vip_cfg *v, char *err, size_t errlen);
	void (*vip_settle)(void *arg);
	void (*vip_forget)(void *arg, struct instance *in);
	/* 0 when done or queued (a failure of a queued delete comes through
	 * instance_vip_removed()), or -1 with err. */
	int (*vip_del)(void *arg, struct instance *in, int ifindex,
		       const struct vaddr *a, int plen, char *err, size_t errlen);
	/* a is on ifindex, added by a vrrpd that is gone (our tag). */
	bool (*vip_stale)(void *arg, int ifindex, const struct vaddr *a);
	/* net.ipv4.conf.IFNAME.promote_secondaries=1 */
	void (*promote_secondaries)(void *arg, const char *ifname);
	/* One gratuitous ARP (IPv4) or unsolicited NA (IPv6); 0 or -1 (errno). */
	int (*announce)(void *arg, int ifindex, const uint8_t mac[6],
			const struct vaddr *vip);
	/* Drop the copies of vip on ifindex still queued. */
	void (*announce_cancel)(void *arg, int ifindex, const struct vaddr *vip);

	/* The virtual MAC macvlan (use_vmac): ifindex, or -1 with err. */
	int (*vmac_create)(void *arg, int parent, const char *parent_name,
			   const char *name, const uint8_t mac[6], int af,
			   char *err, size_t errlen);
	void (*vmac_delete)(void *arg, int ifindex);

	/* The shared socket for (in->sock_ifindex, in->cfg.af), claiming the VRID
	 * so received adverts reach in; NULL with err (VRID taken, ...). */
	struct vsock *(*attach)(void *arg, struct instance *in, char *err,
				size_t errlen);
	void (*detach)(void *arg, struct instance *in);
	int (*join)(void *arg, struct vsock *vs, const struct vaddr *group,
		    char *err, size_t errlen);
	void (*leave)(void *arg, struct vsock *vs, const struct vaddr *group);
	/* Queue an advert; flush sends what is queued on vs at once. */
	int (*send)(void *arg, struct vsock *vs, const struct vaddr *src,
		    const struct vaddr *dst, uint8_t ttl, const uint8_t *pkt,
		    size_t len);
	void (*flush)(void *arg, struct vsock *vs);

	/* Virtual routes and rules: add (add = true) or remove one; 0, 1
	 * when an identical one is there already, or -1 with err. */
	int (*route)(void *arg, const struct route_cfg *r, bool add, char *err,
		     size_t errlen);
	int (*rule)(void *arg, const struct rule_cfg *u, bool add, char *err,
		    size_t errlen);
	/* Accept mode (RFC 5798 6.4.3): drop (block) or stop dropping input
	 * addressed to these n VIPs. Counted per address; applied in one
	 * batch at the end of the loop iteration. */
	void (*accept_block)(void *arg, const struct vaddr *a, size_t n,
			     bool block);

	/* The state-change hook: called once per transition, after the exit
	 * and entry actions ran (subscribers: JSON-RPC notifications; notify
	 * scripts and sync groups next). */
	void (*publish)(void *arg, struct instance *in, enum vrrp_state old_state);
};

#endif
