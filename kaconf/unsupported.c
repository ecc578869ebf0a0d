/* Every keepalived keyword the importer reads but does not convert, in one
 * table: VRRP features vrrpd does not have yet (a feature issue that adds one
 * removes its line here and gives it a handler) and keywords that are not
 * about VRRP at all. Each is a warning naming FILE:LINE, "; ignored" (an
 * error with --strict). A keyword in neither the handlers nor this table is
 * an error inside a vrrp_instance: it may change what the router does. */
#include <string.h>

#include "keepalived_ir.h"

struct ka_gap {
	enum ka_scope scope;
	const char *kw;
	bool outside;      /* not VRRP (LVS, mail, process settings) */
	bool has_value;    /* address options: takes one argument */
	const char *note;  /* what the operator should know, or NULL */
};

static const struct ka_gap gaps[] = {
	/* top level: VRRP features not in vrrpd yet */
	{KA_SCOPE_TOP, "vrrp_track_bfd", false, false, NULL},
	{KA_SCOPE_TOP, "garp_group", false, false, NULL},
	{KA_SCOPE_TOP, "linkbeat_interfaces", false, false, NULL},
	{KA_SCOPE_TOP, "track_group", false, false, NULL},
	/* top level: not VRRP */
	{KA_SCOPE_TOP, "virtual_server", true, false, NULL},
	{KA_SCOPE_TOP, "virtual_server_group", true, false, NULL},
	{KA_SCOPE_TOP, "real_server", true, false, NULL},
	{KA_SCOPE_TOP, "bfd_instance", true, false, NULL},
	{KA_SCOPE_TOP, "linkbeat_use_polling", true, false, NULL},
	{KA_SCOPE_TOP, "net_namespace", true, false, NULL},
	{KA_SCOPE_TOP, "net_namespace_ipvs", true, false, NULL},
	{KA_SCOPE_TOP, "instance", true, false, NULL},
	{KA_SCOPE_TOP, "use_pid_dir", true, false, NULL},
	{KA_SCOPE_TOP, "namespace_with_ipsets", true, false, NULL},
	{KA_SCOPE_TOP, "child_wait_time", true, false, NULL},

	/* vrrp_instance: not in vrrpd yet */
	{KA_SCOPE_INSTANCE, "old_unicast_checksum", false, false,
	 "vrrpd computes the RFC 5798 checksum only (keepalived after 1.3.6)"},
	{KA_SCOPE_INSTANCE, "track_bfd", false, false, NULL},
	{KA_SCOPE_INSTANCE, "track_src_ip", false, false,
	 "the source address is fixed by source-address or the primary address"},
	{KA_SCOPE_INSTANCE, "garp_extra_if", false, false,
	 "vrrpd announces VIPs on their own devices at each transition and refresh"},
	{KA_SCOPE_INSTANCE, "use_ipvlan", false, false, NULL},
	{KA_SCOPE_INSTANCE, "native_ipv6", false, false,
	 "the family comes from the first virtual address"},
	{KA_SCOPE_INSTANCE, "use_vmac_addr", false, false,
	 "addresses on other interfaces stay on those interfaces, without a virtual MAC"},
	{KA_SCOPE_INSTANCE, "vrf", false, false, "VRFs are not supported"},
	{KA_SCOPE_INSTANCE, "skip_check_adv_addr", false, false,
	 "vrrpd has the daemon-wide check-advert-addresses (vrrp_skip_check_adv_addr) only"},
	{KA_SCOPE_INSTANCE, "notify_deleted", false, false, NULL},
	{KA_SCOPE_INSTANCE, "notify_master_rx_lower_pri", false, false, NULL},
	{KA_SCOPE_INSTANCE, "kernel_rx_buf_size", false, false,
	 "vrrpd sizes its receive buffers itself (4 MiB per socket)"},
	{KA_SCOPE_INSTANCE, "linkbeat_use_polling", false, false,
	 "vrrpd follows links through netlink events"},
	{KA_SCOPE_INSTANCE, "debug", false, false,
	 "use vrrpd --log-level debug"},
	/* vrrp_instance: not VRRP (mail alerts and LVS) */
	{KA_SCOPE_INSTANCE, "smtp_alert", true, false, NULL},
	{KA_SCOPE_INSTANCE, "lvs_sync_daemon_interface", true, false, NULL},

	/* options of a virtual_ipaddress entry */
	{KA_SCOPE_VIP_OPTION, "track_group", false, true, NULL},
	{KA_SCOPE_VIP_OPTION, "preferred_lft", false, true, NULL},
	{KA_SCOPE_VIP_OPTION, "peer", false, true, NULL},
	{KA_SCOPE_VIP_OPTION, "no_track", false, false, NULL},
	{KA_SCOPE_VIP_OPTION, "home", false, false, NULL},
	{KA_SCOPE_VIP_OPTION, "-nodad", false, false, NULL},
	{KA_SCOPE_VIP_OPTION, "nodad", false, false, NULL},
	{KA_SCOPE_VIP_OPTION, "noprefixroute", false, false, NULL},
	{KA_SCOPE_VIP_OPTION, "autojoin", false, false, NULL},
	{KA_SCOPE_VIP_OPTION, "mngtmpaddr", false, false, NULL},
};

static const struct ka_gap *find(enum ka_scope scope, const char *kw)
{
	for (size_t i = 0; i < sizeof(gaps) / sizeof(*gaps); i++)
		if (gaps[i].scope == scope && !strcmp(gaps[i].kw, kw))
			return &gaps[i];
	return NULL;
}

bool ka_vip_option_known(const char *opt, bool *has_value)
{
	const struct ka_gap *g = find(KA_SCOPE_VIP_OPTION, opt);
	if (g)
		*has_value = g->has_value;
	return g != NULL;
}

/* global_defs holds dozens of process, mail, LVS, SNMP and script
 * settings; only its vrrp_* ones are about VRRP. */
/* The vrrp_* keywords of global_defs that are about the process, not the
 * protocol, with what a vrrpd user does instead. */
static const struct { const char *kw, *why; } global_notes[] = {
	{"vrrp_priority", "set Nice= in the systemd unit"},
	{"vrrp_rt_priority", "set CPUSchedulingPolicy=/CPUSchedulingPriority= in the systemd unit"},
	{"vrrp_cpu_affinity", "set CPUAffinity= in the systemd unit"},
	{"vrrp_rlimit_rttime", "set LimitRTTIME= in the systemd unit"},
	{"vrrp_no_swap", "set MemoryLock or LimitMEMLOCK= in the systemd unit"},
	{"vrrp_process_name", "vrrpd is one process"},
	{"vrrp_iptables", "accept-mode uses an nftables table of vrrpd's own (inet vrrpd)"},
	{"vrrp_ipsets", "accept-mode uses an nftables table of vrrpd's own (inet vrrpd)"},
	{"vrrp_netlink_cmd_rcv_bufs", "vrrpd sizes its netlink buffers itself"},
	{"vrrp_netlink_cmd_rcv_bufs_force", "vrrpd sizes its netlink buffers itself"},
	{"vrrp_netlink_monitor_rcv_bufs", "vrrpd sizes its netlink buffers itself"},
	{"vrrp_netlink_monitor_rcv_bufs_force", "vrrpd sizes its netlink buffers itself"},
	{"vrrp_rx_bufs_policy", "vrrpd sizes its receive buffers itself (4 MiB per socket)"},
	{"vrrp_rx_bufs_multiplier", "vrrpd sizes its receive buffers itself (4 MiB per socket)"},
	{"vrrp_garp_extra_if", "vrrpd announces VIPs on their own devices at each transition and refresh"},
	{"vrrp_startup_delay", "not implemented: instances start at once"},
};

static void global_gap(struct ka_report *r, const struct ka_stmt *s)
{
	for (size_t i = 0; i < sizeof(global_notes) / sizeof(*global_notes); i++)
		if (!strcmp(s->argv[0], global_notes[i].kw)) {
			ka_ignored(r, s->file, s->line, "'%s' is not used by vrrpd (%s)",
				   s->argv[0], global_notes[i].why);
			return;
		}
	if (!strncmp(s->argv[0], "vrrp_", 5))
		ka_ignored(r, s->file, s->line,
			   "'%s' is not supported by vrrpd yet", s->argv[0]);
	else
		ka_ignored(r, s->file, s->line,
			   "keyword '%s' is outside VRRP", s->argv[0]);
}

bool ka_unsupported(struct ka_report *r, enum ka_scope scope,
		    const struct ka_stmt *s)
{
	if (scope == KA_SCOPE_GLOBAL) {
		global_gap(r, s);
		return true;
	}
	const struct ka_gap *g = find(scope, s->argv[0]);
	if (!g)
		return false;
	if (g->outside)
		ka_ignored(r, s->file, s->line, "keyword '%s' is outside VRRP",
			   g->kw);
	else if (g->note)
		ka_ignored(r, s->file, s->line,
			   "'%s' is not supported by vrrpd yet (%s)", g->kw,
			   g->note);
	else
		ka_ignored(r, s->file, s->line,
			   "'%s' is not supported by vrrpd yet", g->kw);
	return true;
}
