/* One VRRP instance: its configuration copy, its state machine, its timers
 * and the I/O the state machine asks for. The engine owns instances and the
 * shared sockets; an instance reaches the outside world only through its
 * struct instance_env (instance_env.h).
 *
 * Files: instance.c (lifecycle, events), instance_transition.c (the one
 * state-change path: exit/entry actions, log, counters, hook),
 * instance_vips.c (virtual addresses, GARP/NA), instance_routes.c (virtual
 * routes and rules, the accept-mode filter), advert_sched.c (the advert
 * phase grid, pure). */
#ifndef VRRPD_INSTANCE_H
#define VRRPD_INSTANCE_H

#include <time.h>

#include "config.h"
#include "fsm.h"
#include "instance_env.h"
#include "loop.h"
#include "vsock.h"

/* An advert restarts the Master_Down_Timer from its kernel receive stamp,
 * but at most this long before it was read (see instance_on_packet). */
#define INSTANCE_RX_LEAD_MAX_US 1000u

/* Per-instance counters, RFC 8347 names (see yang/vrrpd.yang). */
struct instance_stats {
	uint64_t master_transitions;
	uint64_t adverts_rcvd;
	uint64_t adverts_sent;
	uint64_t prio0_rcvd;
	uint64_t prio0_sent;
	uint64_t drops[VRRP_DROP__MAX]; /* indexed by enum vrrp_drop */
	struct timespec discontinuity;  /* realtime when counters started */
};

/* A snapshot of one instance for readers (RPC, logs). */
struct instance_status {
	const struct instance_cfg *cfg;
	enum vrrp_state state;
	uint8_t effective_priority;
	struct vaddr master_addr;      /* unset if unknown */
	uint8_t master_priority;
	uint16_t master_adver_interval_cs;
	struct vaddr primary_addr;     /* our source address on the interface */
	struct timespec last_transition; /* realtime; 0 if never */
	enum vrrp_reason last_reason;
	uint64_t hold_remaining_ms;    /* admin failover hold */
	const struct instance_stats *stats;
};

struct instance {
	const struct instance_env *env;
	uint64_t serial;           /* creation order (advert slot) */
	struct instance_cfg cfg;   /* own deep copy */
	struct vrrp_fsm fsm;
	int ifindex;               /* 0 while the interface is missing */
	int vmac_ifindex;          /* the virtual MAC macvlan; 0 = none */
	uint8_t vmac[6];           /* its address (RFC 5798 7.3) */
	int sock_ifindex;          /* where adverts go and come: vmac or ifindex */
	char sock_ifname[IFNAMSIZ];
	struct vsock *vs;          /* shared, owned by the engine */
	bool joined;
	bool vips_on;
	bool routes_on;            /* virtual routes / rules installed */
	bool filter_on;            /* our VIPs are in the accept-mode filter */
	bool garp_pending;         /* VIPs added by a config change: announce */
	bool garp_refreshing;      /* garp_t's next burst is a refresh */
	/* VIPs that were configured by someone else before we added them:
	 * never removed by us (cfg.vips indexes, as addresses). */
	struct vaddr *foreign;
	size_t n_foreign;
	unsigned vips_queued;      /* adds whose result has not come back */
	/* Health tracking (the engine computes, track/track_set.h): the
	 * effective priority replaces the configured one while tracked. */
	bool tracked;
	bool track_fault;
	bool sync_fault;  /* in Fault because its sync group is: the group lifts it */
	uint8_t track_prio;
	struct loop_timer adver_t, mdown_t, garp_t;
	struct instance_stats stats;
	struct timespec last_transition;
	enum vrrp_reason last_reason;
	/* What received adverts must match, derived from cfg once per
	 * configuration change instead of once per packet. */
	struct vrrp_expect expect;
	struct vaddr *adv_addrs;   /* the VIPs of our family, advert order */
	/* Where adverts go: the multicast group, or each unicast peer. */
	struct advert_dest *dests;
	size_t n_dests;
};

/* The advert only changes with priority, source or configuration, so it is
 * encoded once per destination (the v3 checksum covers the destination
 * address, RFC 5798 5.2.8) and re-sent. */
struct advert_dest {
	struct vaddr dst;
	int prio;                  /* priority pkt was encoded with; -1 = stale */
	size_t len;
	/* the encoded advert, exactly len bytes: a VSOCK_PKT_MAX array here
	 * was 2 of the 12 MB a 1000-instance daemon held */
	uint8_t *pkt;
};

/* serial: creation order, which spreads masters over the advert phase
 * grid (advert_sched.h). */
struct instance *instance_new(const struct instance_env *env,
			      const struct instance_cfg *cfg, uint64_t serial);
void instance_free(struct instance *in);
void instance_start(struct instance *in);
/* Shutdown event: priority 0 from a master, VIPs released, socket left. */
void instance_stop(struct instance *in);

/* Apply a configuration change that doesn't need a restart. */
void instance_update(struct instance *in, const struct instance_cfg *cfg);

void instance_on_packet(struct instance *in, const struct vrrp_adv *adv,
			const struct vrrp_rx_meta *meta);
void instance_count_drop(struct instance *in, enum vrrp_drop d,
			 const struct vaddr *src);
void instance_on_link(struct instance *in, int ifindex, bool up);
/* The interface's addresses changed; primary is its new primary address
 * for our family (NULL: none), computed once for every instance on it. */
void instance_on_addr(struct instance *in, const struct vaddr *primary);
/* The effective priority and Fault demand from the trackers the instance
 * follows (tracked false: it follows none; prio is then the configured
 * one). Logged as keepalived does; a change takes effect as a configured
 * priority change would (RFC 5798 6.4.2: in the next advert). */
void instance_set_tracking(struct instance *in, uint8_t prio, bool fault,
			   bool tracked);
/* Sync group: follow a member that entered `to`. */
void instance_sync(struct instance *in, enum vrrp_state to);
/* Address a disappeared from ifindex; a master restores its VIPs. */
void instance_on_addr_removed(struct instance *in, int ifindex,
			      const struct vaddr *a);
/* The result of a VIP add the env queued (VIP_ADD_QUEUED): as vip_add
 * would have returned it (0, 1 = someone else's address, -1 with err). */
void instance_vip_added(struct instance *in, int ifindex, const struct vaddr *a,
			int result, const char *err);
/* A queued delete failed (result -1, err says why). */
void instance_vip_removed(struct instance *in, int ifindex, const struct vaddr *a,
			  int result, const char *err);
int instance_failover(struct instance *in, uint64_t hold_us, char *err,
		      size_t errlen);
void instance_status(const struct instance *in, struct instance_status *st);

#endif
