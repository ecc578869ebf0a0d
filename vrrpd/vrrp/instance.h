/* One VRRP instance: its configuration copy, its state machine, its timers
 * and the I/O the state machine asks for. The engine owns instances and the
 * shared sockets; an instance reaches engine services only through the
 * functions declared at the bottom. */
#ifndef VRRPD_INSTANCE_H
#define VRRPD_INSTANCE_H

#include "config.h"
#include "engine.h"
#include "fsm.h"
#include "loop.h"
#include "vsock.h"

struct instance {
	struct engine *e;
	uint64_t serial;           /* creation order (advert slot) */
	struct instance_cfg cfg;   /* own deep copy */
	struct vrrp_fsm fsm;
	int ifindex;               /* 0 while the interface is missing */
	struct vsock *vs;          /* shared, owned by the engine */
	bool joined;
	bool vips_on;
	struct loop_timer adver_t, mdown_t, garp_t;
	struct instance_stats stats;
	struct timespec last_transition;
	enum vrrp_reason last_reason;
	/* What received adverts must match, derived from cfg once per
	 * configuration change instead of once per packet. */
	struct vrrp_expect expect;
	struct vaddr *adv_addrs;   /* the VIPs of our family, advert order */
	/* The advert only changes with priority or configuration, so it is
	 * encoded once and re-sent. */
	uint8_t pkt[VSOCK_PKT_MAX];
	size_t pkt_len;
	int pkt_prio;              /* priority pkt was encoded with; -1 = stale */
};

struct instance *instance_new(struct engine *e, const struct instance_cfg *cfg);
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
int instance_failover(struct instance *in, uint64_t hold_us, char *err,
		      size_t errlen);
void instance_status(const struct instance *in, struct instance_status *st);

/* ---- engine services used by instances (engine.c) ---- */
struct loop *engine_loop(struct engine *e);
struct nlw *engine_nlw(struct engine *e);
const struct global_cfg *engine_global(const struct engine *e);
/* Attach in to the shared socket for (ifindex, af) and claim its VRID. */
struct vsock *engine_attach(struct engine *e, struct instance *in, char *err,
			    size_t errlen);
void engine_detach(struct engine *e, struct instance *in);
/* Our source address on ifindex for af: the primary address that is not a
 * VIP of any instance. Returns 0 or -1 (none). */
int engine_primary(struct engine *e, int ifindex, int af, struct vaddr *out);
void engine_publish(struct engine *e, struct instance *in,
		    enum vrrp_state old_state);

#endif
