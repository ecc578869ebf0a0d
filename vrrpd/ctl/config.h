/* The running configuration as plain C data, decoded from the libyang tree
 * (model.c). The engine reads only this; it never walks YANG data. */
#ifndef VRRPD_CONFIG_H
#define VRRPD_CONFIG_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config_track.h"
#include "vaddr.h"

#define VRRP_NAME_MAX 64
#define VRRP_PASS_MAX 8

struct vip_cfg {
	struct vaddr addr;
	uint8_t plen;
	char dev[IFNAMSIZ]; /* empty: the instance's interface */
};

enum vrrp_auth_cfg { AUTH_CFG_NONE = 0, AUTH_CFG_SIMPLE };

struct instance_cfg {
	char name[VRRP_NAME_MAX];
	char ifname[IFNAMSIZ];
	int af;                  /* AF_INET / AF_INET6 */
	uint8_t vrid;
	uint8_t version;         /* 2 or 3 */
	uint8_t priority;
	bool preempt;
	uint16_t preempt_delay_s;
	bool accept_mode;
	uint16_t adv_interval_cs;
	bool start_as_master;    /* initial-state master */
	enum vrrp_auth_cfg auth;
	char auth_pass[VRRP_PASS_MAX + 1];
	struct vaddr group;      /* resolved: instance value or global default */
	size_t n_vips;
	struct vip_cfg *vips;
	struct follow_cfg follow; /* trackers followed, notify scripts */
};

struct global_cfg {
	char router_id[VRRP_NAME_MAX];
	struct vaddr group4;     /* default 224.0.0.18 */
	struct vaddr group6;     /* default ff02::12 */
	unsigned garp_delay_s;   /* second burst after this; 0 = none (default 5) */
	unsigned garp_repeat;    /* packets per burst (default 5) */
	unsigned garp_refresh_s; /* periodic refresh while master; 0 = off */
	bool check_adv_addrs;    /* default true; keepalived vrrp_skip_check_adv_addr */
	struct script_global_cfg scripts;
};

struct vrrpd_config {
	struct global_cfg global;
	size_t n_instances;
	struct instance_cfg *instances;
	struct tracking_cfg tracking; /* named trackers, sync groups */
};

void vrrpd_config_free(struct vrrpd_config *c);
const struct instance_cfg *vrrpd_config_find(const struct vrrpd_config *c,
					     const char *name);
bool instance_cfg_equal(const struct instance_cfg *a,
			const struct instance_cfg *b);
/* True if going from a to b needs a stop and start (identity changes). */
bool instance_cfg_needs_restart(const struct instance_cfg *a,
				const struct instance_cfg *b);

#endif
