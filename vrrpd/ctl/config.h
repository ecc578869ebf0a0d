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
	bool excluded;      /* not in adverts (keepalived virtual_ipaddress_excluded) */
	char label[IFNAMSIZ]; /* IPv4 label; empty: none */
	struct vaddr brd;   /* IPv4 broadcast; unset: none */
	int scope;          /* RT_SCOPE_*; -1: the kernel's default */
};

enum vrrp_auth_cfg { AUTH_CFG_NONE = 0, AUTH_CFG_SIMPLE };

/* A unicast peer (keepalived unicast_peer); TTL bounds 0..255, -1 = none. */
struct peer_cfg {
	struct vaddr addr;
	int min_ttl;
	int max_ttl;
};

/* The GARP/NA schedule of an instance, resolved from the global defaults
 * and the instance's overrides. */
struct garp_cfg {
	unsigned delay_s;        /* second burst after this; 0 = none */
	unsigned repeat;         /* packets per address and burst */
	unsigned refresh_s;      /* refresh while master; 0 = off */
	unsigned refresh_repeat; /* packets per address and refresh */
};

/* keepalived use_vmac: the name is resolved (vrrp.VRID / vrrp6.VRID). */
struct vmac_cfg {
	bool enabled;
	char ifname[IFNAMSIZ];
	bool xmit_base;
};

struct unicast_cfg {
	uint8_t ttl;             /* of sent adverts, default 255 */
	bool fault_no_peer;
	bool check_src;          /* resolved: instance, global or a TTL bound */
	size_t n_peers;
	struct peer_cfg *peers;  /* none: multicast */
};

/* ---- routes and rules (virtual-route / virtual-rule, static) ---- */

enum route_type_cfg { ROUTE_UNICAST = 0, ROUTE_BLACKHOLE, ROUTE_UNREACHABLE,
		      ROUTE_PROHIBIT };

/* One route; unset addresses (af 0) and -1 mean absent. */
struct route_cfg {
	uint16_t id;
	struct vaddr dst;
	uint8_t dst_plen;
	enum route_type_cfg type;
	struct vaddr gateway;
	char dev[IFNAMSIZ];      /* empty: none */
	struct vaddr src;
	uint32_t table;          /* default 254 (main) */
	int64_t metric;          /* -1: none */
	int scope;               /* RT_SCOPE_*, -1: the kernel's default */
};

/* One policy rule (FR_ACT_TO_TBL); af from from/to or the owner's. */
struct rule_cfg {
	uint16_t id;
	int af;
	struct vaddr from, to;   /* af 0: any */
	uint8_t from_plen, to_plen;
	uint32_t table;
	int64_t priority;        /* -1: the kernel picks */
	char iif[IFNAMSIZ], oif[IFNAMSIZ];
	int64_t fwmark;          /* -1: none */
};

struct route_list {
	size_t n_routes;
	struct route_cfg *routes;
	size_t n_rules;
	struct rule_cfg *rules;
};

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
	struct vaddr src;        /* source-address; unset: the primary address */
	bool promote_secondaries;
	bool ignore_link_down;     /* keepalived dont_track_primary */
	struct garp_cfg garp;
	uint8_t down_adverts;    /* Master_Down_Interval in intervals (RFC: 3) */
	struct unicast_cfg ucast;
	struct vmac_cfg vmac;
	struct route_list vroutes; /* virtual-route / virtual-rule */
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
	unsigned garp_refresh_repeat; /* packets per refresh burst (default 1) */
	bool check_adv_addrs;    /* default true; keepalived vrrp_skip_check_adv_addr */
	bool check_unicast_src;  /* default false; keepalived vrrp_check_unicast_src */
	struct script_global_cfg scripts;
};

/* container static: a static address (keepalived static_ipaddress). */
struct static_addr_cfg {
	struct vaddr addr;
	uint8_t plen;
	char dev[IFNAMSIZ];
};

struct static_cfg {
	size_t n_addrs;
	struct static_addr_cfg *addrs;
	struct route_list rl;
};

struct vrrpd_config {
	struct global_cfg global;
	struct static_cfg statics;
	size_t n_instances;
	struct instance_cfg *instances;
	struct tracking_cfg tracking; /* named trackers, sync groups */
};

/* How a change of one leaf of an instance is applied. */
enum field_apply {
	FIELD_KEY,       /* the list key: a new name is another instance */
	FIELD_RESTART,   /* stop and start the instance */
	FIELD_IN_PLACE,  /* instance_update() while it runs */
};

/* One configuration leaf of an instance (path below the instance list,
 * "authentication/type"), its class and the comparison of the decoded
 * fields it sets. The one list behind instance_cfg_equal() and
 * instance_cfg_needs_restart(); NULL-terminated. */
struct instance_field {
	const char *leaf;
	enum field_apply apply;
	bool (*equal)(const struct instance_cfg *a, const struct instance_cfg *b);
};
extern const struct instance_field instance_fields[];

void vrrpd_config_free(struct vrrpd_config *c);
/* Route lists (config_routes.c): deep copy (0 or -1), release, equality
 * entry by entry (the order counts: it is the order of installation). */
int route_list_copy(struct route_list *dst, const struct route_list *src);
void route_list_release(struct route_list *rl);
bool route_cfg_equal(const struct route_cfg *a, const struct route_cfg *b);
bool rule_cfg_equal(const struct rule_cfg *a, const struct rule_cfg *b);
bool route_list_routes_equal(const struct route_list *a, const struct route_list *b);
bool route_list_rules_equal(const struct route_list *a, const struct route_list *b);
/* Deep copy of one instance's configuration (its arrays malloc'd);
 * instance_cfg_release() frees what it holds. 0 or -1 (out of memory). */
int instance_cfg_copy(struct instance_cfg *dst, const struct instance_cfg *src);
void instance_cfg_release(struct instance_cfg *c);
const struct instance_cfg *vrrpd_config_find(const struct vrrpd_config *c,
					     const char *name);
bool instance_cfg_equal(const struct instance_cfg *a,
			const struct instance_cfg *b);
/* True if going from a to b changes a FIELD_RESTART leaf (identity). */
bool instance_cfg_needs_restart(const struct instance_cfg *a,
				const struct instance_cfg *b);

#endif
