/* Internal to instance*.c: what the instance files share. */
#ifndef VRRPD_INSTANCE_INT_H
#define VRRPD_INSTANCE_INT_H

#include "instance.h"
#include "log.h"

/* The text names the instance; under journald the line also carries its
 * name, state and priority as fields (lib/log.h, vrrpd/journal.h). */
static inline const struct log_fields *instance_log_fields(const struct instance *in)
{
	static struct log_fields f;

	f.instance = in->cfg.name;
	f.state = vrrp_state_name(in->fsm.state);
	f.priority = in->fsm.cfg.priority;
	return &f;
}

#define ILOG(lvl, in, fmt, ...) \
	log_instance_##lvl(instance_log_fields(in), "VRRP_Instance(%s) " fmt, \
			   (in)->cfg.name, ##__VA_ARGS__)

#define ENV(in, fn, ...) ((in)->env->fn((in)->env->arg, ##__VA_ARGS__))

/* instance_transition.c: perform what the state machine returned (adverts
 * first, then the state change with its exit/entry actions, then timers). */
void instance_apply(struct instance *in, unsigned acts);

/* instance_vips.c */
void vips_add(struct instance *in);
void vips_settle(struct instance *in);
void vips_del(struct instance *in);
/* Move a master's VIPs from the running list to nc's without touching the
 * ones that stay (a kept address never flaps); announces added ones. */
void vips_reconcile(struct instance *in, const struct instance_cfg *nc);
/* At start: remove VIPs a killed predecessor left on the interface. */
void vips_remove_stale(struct instance *in);
void vips_restore(struct instance *in, int ifindex, const struct vaddr *a);
/* instance_routes.c: virtual routes and rules, and the accept-mode
 * filter of a master (added after the VIPs, removed before them). */
void routes_add(struct instance *in);
void routes_del(struct instance *in);
void accept_filter_set(struct instance *in, bool on);
/* A master's virtual MAC came back: re-add the routes that went with it. */
void routes_restore(struct instance *in);
/* A master's configuration change: swap routes and the filter for nc's. */
void routes_reconcile(struct instance *in, const struct instance_cfg *nc);
/* One burst of gratuitous ARP / unsolicited NA for every VIP. */
void garp_burst(struct instance *in);
void garp_burst_n(struct instance *in, unsigned repeat);
/* Arm the next burst: garp_delay after becoming master (first), then every
 * garp_refresh; cancel if neither is configured. */
void garp_schedule(struct instance *in, bool first);
void garp_cancel(struct instance *in);
void garp_drop_queued(struct instance *in); /* queued copies of every VIP */
void garp_expired(void *arg);

#endif
