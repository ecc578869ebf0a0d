/* What the keepalived importer understood, between the keyword mapping
 * (convert.c, instance.c) and the JSON output (json.c). Internal to
 * kaconf/. Values are resolved to
 * keepalived's effective semantics by ka_instance_finish() before output. */
#ifndef VRRPD_KEEPALIVED_IR_H
#define VRRPD_KEEPALIVED_IR_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>

#include "keepalived_lex.h"
#include "keepalived_track.h"
#include "vaddr.h"

#define KA_NAME_MAX 64            /* instance names: 1..63 characters */
#define KA_PASS_MAX 8             /* RFC 3768 5.3.10: 8 octets */

struct ka_garp {
	unsigned delay_s, repeat, refresh_s, refresh_repeat;
	bool has_delay, has_repeat, has_refresh, has_refresh_repeat;
};

struct ka_global {
	char router_id[KA_NAME_MAX];  /* empty: not set */
	struct vaddr group4, group6;
	unsigned garp_delay_s;
	unsigned garp_repeat;
	unsigned garp_refresh_s;
	unsigned garp_refresh_repeat;   /* 0: not set */
	unsigned down_adverts;          /* 0: not set (3) */
	bool check_adv_addrs;
	unsigned version;             /* default for instances: 2 or 3 */
	bool strict;                  /* vrrp_strict */
	bool check_unicast_src;       /* vrrp_check_unicast_src */
	struct ka_script_global sg;   /* notify.c */
};

struct ka_vip {
	struct vaddr addr;
	int plen;                     /* -1: none given (host address) */
	char dev[IFNAMSIZ];           /* empty: the instance's interface */
	bool excluded;                /* virtual_ipaddress_excluded */
	char label[IFNAMSIZ];         /* empty: none */
	struct vaddr brd;             /* unset: none */
	char scope[8];                /* global, site, link, host; empty: none */
	const char *file;
	unsigned line;
};

struct ka_peer {
	struct vaddr addr;
	int min_ttl, max_ttl;         /* -1: not given */
	const char *file;
	unsigned line;
};

/* routes.c: virtual_routes / virtual_rules / static_* entries. */
enum ka_route_type { KA_RT_UNICAST, KA_RT_BLACKHOLE, KA_RT_UNREACHABLE,
		     KA_RT_PROHIBIT };

struct ka_route {
	enum ka_route_type type;
	struct vaddr dst, gw, src;    /* gw / src af 0: none */
	int dst_plen;
	char dev[IFNAMSIZ];
	long long table;              /* -1: not given (main) */
	long long metric;             /* -1: not given */
	const char *scope;            /* YANG enum name, NULL: not given */
};

struct ka_rule {
	struct vaddr from, to;        /* af 0: all */
	int from_plen, to_plen;
	long long table;              /* -1: not given (an error at the end) */
	long long prio;               /* -1: not given */
	char iif[IFNAMSIZ], oif[IFNAMSIZ];
	long long fwmark;             /* -1: not given */
};

struct ka_routes {
	struct ka_route *routes;
	size_t n_routes;
	struct ka_rule *rules;
	size_t n_rules;
};

struct ka_saddr {
	struct vaddr addr;
	int plen;                     /* -1: host */
	char dev[IFNAMSIZ];
};

enum ka_state { KA_STATE_UNSET, KA_STATE_BACKUP, KA_STATE_MASTER };
enum ka_auth { KA_AUTH_UNSET, KA_AUTH_PASS };

/* Where a keyword was found; line 0: not given. */
struct ka_loc {
	const char *file;
	unsigned line;
};

static inline struct ka_loc ka_loc_of(const struct ka_stmt *s)
{
	return (struct ka_loc){.file = s->file, .line = s->line};
}

/* One vrrp_instance. */
struct ka_instance {
	char name[KA_NAME_MAX];
	const char *file;
	unsigned line;
	char ifname[IFNAMSIZ];
	unsigned vrid;
	struct ka_loc vrid_at;
	unsigned version;                   /* 0: global default */
	struct ka_loc version_at;
	const char *version_kw;             /* "version" or "vrrp_version" */
	unsigned priority;                  /* 0: not set */
	struct ka_loc priority_at;
	enum ka_state state;
	struct ka_loc state_at;
	bool nopreempt;
	struct ka_loc nopreempt_at;
	unsigned preempt_delay_s;
	struct ka_loc preempt_delay_at;
	int accept;                         /* -1: not set */
	struct ka_loc accept_at;
	unsigned adv_cs;
	struct ka_loc adv_at;
	char adv_text[32];
	int strict_mode;                    /* -1: global vrrp_strict */
	enum ka_auth auth;
	char auth_pass[KA_PASS_MAX + 1];
	struct ka_loc auth_at, auth_type_at, auth_pass_at;
	struct ka_vip *vips;
	size_t n_vips;
	/* instance_net.c */
	bool unicast;                       /* any unicast keyword */
	struct ka_peer *peers;
	size_t n_peers;
	struct vaddr src;                   /* mcast_src_ip / unicast_src_ip */
	struct vaddr group;                 /* mcast_dst_ip; unset: the global */
	int ucast_ttl;                      /* -1: not set */
	bool ucast_fault_no_peer;
	int check_ucast_src;                /* -1: global */
	bool promote_secondaries;
	bool dont_track_primary;
	struct ka_garp garp;                /* instance_garp.c */
	unsigned down_adverts;              /* 0: global / the RFC's 3 */
	bool use_vmac;
	char vmac_name[IFNAMSIZ];           /* empty: vrrpd's default */
	bool vmac_xmit_base;
	/* follow.c, notify.c */
	struct ka_follows fol;
	struct ka_notify nfy;
	/* routes.c: virtual_routes / virtual_rules */
	struct ka_routes vr;
	/* resolved by ka_instance_finish() */
	int af;
	bool strict;
};

struct ka_config {
	struct ka_global g;
	/* routes.c: static_ipaddress / static_routes / static_rules */
	struct ka_routes st;
	struct ka_saddr *saddrs;
	size_t n_saddrs;
	struct ka_instance *inst;
	size_t n_inst;
	struct ka_tracking trk;
};

/* Shared state of one conversion. */
struct ka_ctx {
	struct ka_report *r;
	struct ka_config *cfg;
};

/* Names that become list keys: 1..63 characters of A-Z a-z 0-9 and
 * `extra`. keepalived takes any word; other characters become '_' with a
 * warning unless quiet (a reference to a name already warned about). */
#define KA_INSTANCE_NAME_EXTRA "_.:+-"
#define KA_TRACKER_NAME_EXTRA "_.:-"
int ka_name_map(struct ka_ctx *cx, const struct ka_stmt *s, const char *kw,
		const char *in, const char *extra, bool quiet,
		char out[KA_NAME_MAX]);

/* Value helpers (values.c). Each reports its own error naming the
 * keyword and returns -1 on a bad value. */
int ka_arg_count(struct ka_ctx *cx, const struct ka_stmt *s, size_t min,
		 size_t max, const char *expected);
/* Decimal digits only, value <= max. */
bool ka_parse_decimal(const char *v, unsigned long max, unsigned long *out);
int ka_uint(struct ka_ctx *cx, const struct ka_stmt *s, unsigned min,
	    unsigned max, unsigned *out);
int ka_flag(struct ka_ctx *cx, const struct ka_stmt *s, bool *out);
int ka_no_block(struct ka_ctx *cx, const struct ka_stmt *s);
int ka_ifname(struct ka_ctx *cx, const struct ka_stmt *s, const char *kw,
	      const char *value, char out[IFNAMSIZ]);

/* A number of seconds with up to two decimals ("1", "0.5", "2.75"), in
 * centiseconds, 1..max_cs. False when not such a number. */
bool ka_parse_seconds_cs(const char *v, unsigned long max_cs,
			 unsigned long *out_cs);

/* unsupported.c: the one table of keywords read but not converted. */
enum ka_scope {
	KA_SCOPE_TOP,        /* top-level keywords */
	KA_SCOPE_GLOBAL,     /* inside global_defs */
	KA_SCOPE_INSTANCE,   /* inside vrrp_instance */
	KA_SCOPE_VIP_OPTION, /* options of a virtual_ipaddress entry */
};
/* Warns that s is ignored (error when strict) if the table lists it (every
 * keyword in global_defs counts as listed); false if it is not listed. */
bool ka_unsupported(struct ka_report *r, enum ka_scope scope,
		    const struct ka_stmt *s);
/* Whether opt is a known virtual_ipaddress option, and if it takes a value. */
bool ka_vip_option_known(const char *opt, bool *has_value);

/* instance_garp.c: GARP/NA and timer keywords */
int ka_inst_garp(struct ka_ctx *cx, struct ka_instance *in, const struct ka_stmt *s);
/* A global_defs keyword of that family; *handled false if it is not one. */
int ka_global_garp(struct ka_ctx *cx, const struct ka_stmt *s, bool *handled);

/* instance_net.c: unicast and virtual MAC keywords */
int ka_inst_unicast_peer(struct ka_ctx *cx, struct ka_instance *in,
			 const struct ka_stmt *s);
int ka_inst_unicast(struct ka_ctx *cx, struct ka_instance *in,
		    const struct ka_stmt *s);
int ka_inst_vmac(struct ka_ctx *cx, struct ka_instance *in, const struct ka_stmt *s);
int ka_inst_mcast_dst(struct ka_ctx *cx, struct ka_instance *in, const struct ka_stmt *s);
int ka_instance_net_finish(struct ka_ctx *cx, struct ka_instance *in);

/* notify.c: script command lines, notify keywords, global script
 * settings. ka_notify_stmt() and ka_global_script_stmt() return 1 when the
 * keyword is not theirs. */
/* 0: *out set; 1: disabled as keepalived disables it (warned; *out
 * unchanged); -1: error reported. */
int ka_cmd_parse(struct ka_ctx *cx, const struct ka_stmt *s, const char *text,
		 struct ka_cmd *out);
int ka_account(struct ka_ctx *cx, const struct ka_stmt *s, const char *v,
	       char out[KA_ACCOUNT_MAX]);
void ka_cmd_free(struct ka_cmd *c);
void ka_notify_init(struct ka_notify *n);
int ka_notify_stmt(struct ka_ctx *cx, struct ka_notify *n,
		   const struct ka_stmt *s);
void ka_notify_free(struct ka_notify *n);
int ka_global_script_stmt(struct ka_ctx *cx, const struct ka_stmt *s);
void ka_script_global_free(struct ka_script_global *g);
/* A warning when scripts will run without script security. */
void ka_script_security_note(struct ka_ctx *cx);

/* track.c: the named trackers (vrrp_script, track_file,
 * vrrp_track_process); returns 1 when the keyword is not one of them. */
int ka_track_def(struct ka_ctx *cx, const struct ka_stmt *s);
void ka_tracking_free(struct ka_tracking *t);

/* follow.c: track_script / track_interface / track_file / track_process
 * blocks of an instance or sync group (1: not such a keyword), and after the
 * whole file, dropping followers of trackers that do not exist. */
int ka_follow_stmt(struct ka_ctx *cx, struct ka_follows *fol,
		   const struct ka_stmt *s);
void ka_follows_resolve(struct ka_ctx *cx, const char *owner,
			struct ka_follows *fol);
void ka_follows_free(struct ka_follows *fol);
/* ka_follows_resolve() for an instance, and its own interface dropped
 * from track_interface as keepalived does. */
void ka_instance_track_finish(struct ka_ctx *cx, struct ka_instance *in);

/* sync_group.c */
int ka_sync_group_parse(struct ka_ctx *cx, const struct ka_stmt *s);
/* After instances are finished: members that are not converted instances
 * are dropped, groups left without members too (warned). */
int ka_sync_groups_finish(struct ka_ctx *cx);

/* json_track.c */
struct json_object;
int ka_json_script_global(struct json_object *global, const struct ka_config *c);
int ka_json_follow_notify(struct json_object *o, const struct ka_follows *fol,
			  const struct ka_notify *nfy, const struct ka_config *c);
int ka_json_tracking(struct json_object *vrrpd, const struct ka_config *c);
/* routes.c: virtual_routes / virtual_rules blocks of an instance, the
 * static_* blocks at the top level, their JSON (NULL: out of memory), and
 * release. A rule given `inet6` without addresses gets from ::/0. */
int ka_inst_routes(struct ka_ctx *cx, struct ka_instance *in,
		   const struct ka_stmt *s);
int ka_static_parse(struct ka_ctx *cx, const struct ka_stmt *s);
struct json_object;
int ka_routes_json(const struct ka_routes *rl, struct json_object *o,
		   const char *route_key, const char *rule_key);
struct json_object *ka_static_json(const struct ka_config *c);
void ka_routes_free(struct ka_routes *rl);

/* instance.c */
int ka_instance_parse(struct ka_ctx *cx, const struct ka_stmt *s);
void ka_instance_free(struct ka_instance *in);
void ka_config_free(struct ka_config *c);

/* finish.c: defaults, keepalived's corrections (vrrp_strict's
 * included), then checks across instances. ka_instance_finish() returns 0,
 * 1 when the instance is left out (warned), or -1 (reported). */
int ka_instance_finish(struct ka_ctx *cx, struct ka_instance *in);
int ka_instances_check(struct ka_ctx *cx);

/* json.c: malloc'd pretty JSON text, or NULL (out of memory). */
char *ka_config_to_json(const struct ka_config *c);

#endif
