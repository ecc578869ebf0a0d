/* keepalived import: vrrp_instance blocks. Each keyword of the block is read
 * by one handler from a table; ka_instance_finish() then applies
 * keepalived's defaults and corrections (vrrp_complete_instance() in
 * keepalived's vrrp.c) so the output means what keepalived would run. */
#include <stdlib.h>
#include <string.h>

#include "keepalived_ir.h"

#define PRIO_OWNER 255   /* RFC 5798 5.2.4: the address owner */
#define PRIO_DEFAULT 100 /* RFC 5798 5.2.4 and keepalived */

typedef int (*inst_fn)(struct ka_ctx *, struct ka_instance *,
		       const struct ka_stmt *);

/* ---- virtual_ipaddress -------------------------------------------------- */

/* Options of a virtual_ipaddress entry that vrrpd does not have yet. */
static const char *const vip_unsupported[] = {
	"label", "brd", "broadcast", "scope", "no_track", "track_group",
	"preferred_lft", "home", "-nodad", "nodad", "noprefixroute",
	"autojoin", "mngtmpaddr", "peer",
};
/* ...and which of them take a value. */
static bool vip_option_has_value(const char *opt)
{
	static const char *const with_value[] = {
		"label", "brd", "broadcast", "scope", "track_group",
		"preferred_lft", "peer",
	};
	for (size_t i = 0; i < sizeof(with_value) / sizeof(*with_value); i++)
		if (!strcmp(opt, with_value[i]))
			return true;
	return false;
}

/* `ADDR[/PLEN] [dev IF] [label L] [brd B] [scope S] ...`; `quiet` skips
 * the per-option warnings (virtual_ipaddress_excluded is ignored whole). */
static int vip_entry(struct ka_ctx *cx, const struct ka_stmt *s,
		     const char *block, struct ka_vip *v, bool quiet)
{
	memset(v, 0, sizeof(*v));
	v->file = s->file;
	v->line = s->line;
	v->plen = -1;
	if (s->has_block) {
		ka_error(cx->r, s->file, s->line,
			 "keyword '%s': entry '%s' takes no '{' block", block,
			 s->argv[0]);
		return -1;
	}
	int plen;
	const char *a = s->argv[0];
	int max = strchr(a, ':') ? 128 : 32;
	if (vaddr_parse(a, &v->addr, &plen) < 0 ||
	    (strchr(a, '/') && plen < 1)) {
		ka_error(cx->r, s->file, s->line,
			 "keyword '%s': expected an address ADDR[/PREFIX] with a prefix length 1..%d, got '%s'",
			 block, max, a);
		return -1;
	}
	if (strchr(a, '/'))
		v->plen = plen;
	for (size_t i = 1; i < s->argc; i++) {
		const char *opt = s->argv[i];
		bool known = !strcmp(opt, "dev");
		for (size_t k = 0; !known && k < sizeof(vip_unsupported) /
						     sizeof(*vip_unsupported);
		     k++)
			known = !strcmp(opt, vip_unsupported[k]);
		if (!known) {
			ka_error(cx->r, s->file, s->line,
				 "keyword '%s': unknown option '%s' for address %s (expected dev, label, brd, scope, ...)",
				 block, opt, a);
			return -1;
		}
		bool valued = !strcmp(opt, "dev") || vip_option_has_value(opt);
		if (valued && i + 1 >= s->argc) {
			ka_error(cx->r, s->file, s->line,
				 "keyword '%s': option '%s' of address %s expects a value, got nothing",
				 block, opt, a);
			return -1;
		}
		if (!strcmp(opt, "dev")) {
			if (ka_ifname(cx, s, "dev", s->argv[i + 1], v->dev) < 0)
				return -1;
		} else if (!quiet) {
			ka_ignored(cx->r, s->file, s->line,
				   "'%s' (option of address %s) is not supported by vrrpd yet",
				   opt, a);
		}
		if (valued)
			i++;
	}
	return 0;
}

static int vip_block(struct ka_ctx *cx, struct ka_instance *in,
		     const struct ka_stmt *s)
{
	if (!s->has_block || s->argc != 1) {
		ka_error(cx->r, s->file, s->line,
			 "keyword '%s': expected a '{' block of addresses",
			 s->argv[0]);
		return -1;
	}
	int rc = 0;
	for (const struct ka_stmt *e = s->child; e; e = e->next) {
		struct ka_vip v;
		if (vip_entry(cx, e, s->argv[0], &v, false) < 0) {
			rc = -1;
			continue;
		}
		bool dup = false;
		for (size_t i = 0; i < in->n_vips && !dup; i++)
			dup = vaddr_cmp(&in->vips[i].addr, &v.addr) == 0;
		if (dup) {
			/* keepalived drops the duplicate with a message. */
			ka_warn(cx->r, e->file, e->line,
				"keyword '%s': address %s is listed twice; the second entry is ignored",
				s->argv[0], e->argv[0]);
			continue;
		}
		struct ka_vip *nv =
			realloc(in->vips, (in->n_vips + 1) * sizeof(*nv));
		if (!nv) {
			ka_error(cx->r, e->file, e->line, "out of memory");
			return -1;
		}
		in->vips = nv;
		nv[in->n_vips++] = v;
	}
	return rc;
}

/* Our model has no excluded addresses: keepalived adds them with the VIPs
 * but leaves them out of advertisements. */
static int vip_excluded(struct ka_ctx *cx, struct ka_instance *in,
			const struct ka_stmt *s)
{
	(void)in;
	if (!s->has_block || s->argc != 1) {
		ka_error(cx->r, s->file, s->line,
			 "keyword '%s': expected a '{' block of addresses",
			 s->argv[0]);
		return -1;
	}
	int rc = 0;
	for (const struct ka_stmt *e = s->child; e; e = e->next) {
		struct ka_vip v;
		if (vip_entry(cx, e, s->argv[0], &v, true) < 0)
			rc = -1;
	}
	if (rc == 0)
		ka_ignored(cx->r, s->file, s->line,
			   "'virtual_ipaddress_excluded' is not supported by vrrpd yet");
	return rc;
}

/* ---- authentication ----------------------------------------------------- */

static int auth_stmt(struct ka_ctx *cx, struct ka_instance *in,
		     const struct ka_stmt *s)
{
	const char *kw = s->argv[0];
	if (!strcmp(kw, "auth_type")) {
		const char *what = "PASS or AH";
		if (ka_no_block(cx, s) < 0 ||
		    ka_arg_count(cx, s, 1, 1, what) < 0)
			return -1;
		if (!strcmp(s->argv[1], "PASS")) {
			in->auth = KA_AUTH_PASS;
			in->auth_type_at = ka_loc_of(s);
			return 0;
		}
		if (!strcmp(s->argv[1], "AH")) {
			/* IPsec AH (RFC 2338) was dropped by RFC 3768; a router
			 * without it cannot talk to peers that use it. */
			ka_error(cx->r, s->file, s->line,
				 "keyword 'auth_type': AH (IPsec authentication header) is not supported by vrrpd; use PASS or none");
			return -1;
		}
		ka_error(cx->r, s->file, s->line,
			 "keyword 'auth_type': expected %s, got '%s'", what,
			 s->argv[1]);
		return -1;
	}
	if (!strcmp(kw, "auth_pass")) {
		const char *what = "a password of 1..8 characters";
		if (ka_no_block(cx, s) < 0 ||
		    ka_arg_count(cx, s, 1, 1, what) < 0)
			return -1;
		size_t n = strlen(s->argv[1]);
		/* RFC 3768 5.3.10: 8 octets. keepalived truncates a longer
		 * one with a warning; we refuse rather than guess. */
		if (n < 1 || n > KA_PASS_MAX) {
			ka_error(cx->r, s->file, s->line,
				 "keyword 'auth_pass': expected %s, got %zu characters%s",
				 what, n, n ? " (password too long)" : "");
			return -1;
		}
		memcpy(in->auth_pass, s->argv[1], n + 1);
		in->auth_pass_at = ka_loc_of(s);
		return 0;
	}
	ka_error(cx->r, s->file, s->line,
		 "keyword '%s': unknown keyword in authentication (expected auth_type or auth_pass)",
		 kw);
	return -1;
}

static int inst_auth(struct ka_ctx *cx, struct ka_instance *in,
		     const struct ka_stmt *s)
{
	if (!s->has_block || s->argc != 1) {
		ka_error(cx->r, s->file, s->line,
			 "keyword 'authentication': expected a '{' block with auth_type and auth_pass");
		return -1;
	}
	in->auth_at = ka_loc_of(s);
	int rc = 0;
	for (const struct ka_stmt *c = s->child; c; c = c->next)
		if (auth_stmt(cx, in, c) < 0)
			rc = -1;
	return rc;
}

/* ---- simple keywords ---------------------------------------------------- */

static int inst_state(struct ka_ctx *cx, struct ka_instance *in,
		      const struct ka_stmt *s)
{
	const char *what = "MASTER or BACKUP";
	if (ka_no_block(cx, s) < 0 || ka_arg_count(cx, s, 1, 1, what) < 0)
		return -1;
	if (!strcmp(s->argv[1], "MASTER"))
		in->state = KA_STATE_MASTER;
	else if (!strcmp(s->argv[1], "BACKUP"))
		in->state = KA_STATE_BACKUP;
	else {
		ka_error(cx->r, s->file, s->line,
			 "keyword 'state': expected %s, got '%s'", what,
			 s->argv[1]);
		return -1;
	}
	in->state_at = ka_loc_of(s);
	return 0;
}

static int inst_interface(struct ka_ctx *cx, struct ka_instance *in,
			  const struct ka_stmt *s)
{
	if (ka_no_block(cx, s) < 0 ||
	    ka_arg_count(cx, s, 1, 1, "an interface name") < 0)
		return -1;
	return ka_ifname(cx, s, "interface", s->argv[1], in->ifname);
}

static int inst_vrid(struct ka_ctx *cx, struct ka_instance *in,
		     const struct ka_stmt *s)
{
	in->vrid_at = ka_loc_of(s);
	return ka_uint(cx, s, 1, 255, &in->vrid);
}

static int inst_priority(struct ka_ctx *cx, struct ka_instance *in,
			 const struct ka_stmt *s)
{
	/* Priority 0 is reserved for the master's resignation (RFC 5798
	 * 5.2.4); it cannot be configured. */
	in->priority_at = ka_loc_of(s);
	return ka_uint(cx, s, 1, 255, &in->priority);
}

static int inst_version(struct ka_ctx *cx, struct ka_instance *in,
			const struct ka_stmt *s)
{
	in->version_at = ka_loc_of(s);
	in->version_kw = strcmp(s->argv[0], "version") ? "vrrp_version"
							: "version";
	return ka_uint(cx, s, 2, 3, &in->version);
}

/* advert_int in seconds; fractions to the centisecond for VRRPv3 (RFC 5798
 * 5.2.7 counts in centiseconds). Whether a fraction is allowed depends on
 * the version, known only at the end of the block. */
static int inst_advert(struct ka_ctx *cx, struct ka_instance *in,
		       const struct ka_stmt *s)
{
	const char *what = "seconds (1..255, or 0.01..40.95 with VRRPv3)";
	if (ka_no_block(cx, s) < 0 || ka_arg_count(cx, s, 1, 1, what) < 0)
		return -1;
	const char *v = s->argv[1];
	unsigned long whole = 0, frac = 0;
	const char *dot = strchr(v, '.');
	char ipart[16] = "", fpart[8] = "";
	size_t ilen = dot ? (size_t)(dot - v) : strlen(v);
	size_t flen = dot ? strlen(dot + 1) : 0;
	bool ok = ilen < sizeof(ipart) && flen <= 2 && (ilen || flen) &&
		  (!dot || flen);
	if (ok) {
		memcpy(ipart, v, ilen);
		if (dot)
			memcpy(fpart, dot + 1, flen);
		if (flen == 1)
			strcat(fpart, "0");
		ok = (!ilen || ka_parse_decimal(ipart, 255, &whole)) &&
		     (!flen || ka_parse_decimal(fpart, 99, &frac));
	}
	if (!ok || whole * 100 + frac == 0) {
		ka_error(cx->r, s->file, s->line,
			 "keyword 'advert_int': expected %s, got '%s'", what, v);
		return -1;
	}
	in->adv_cs = (unsigned)(whole * 100 + frac);
	in->adv_at = ka_loc_of(s);
	snprintf(in->adv_text, sizeof(in->adv_text), "%s", v);
	return 0;
}

/* nopreempt, and keepalived's backwards-compatible `preempt` undoing it. */
static int inst_nopreempt(struct ka_ctx *cx, struct ka_instance *in,
			  const struct ka_stmt *s)
{
	if (ka_no_block(cx, s) < 0 || ka_arg_count(cx, s, 0, 0, "nothing") < 0)
		return -1;
	in->nopreempt = !strcmp(s->argv[0], "nopreempt");
	in->nopreempt_at = ka_loc_of(s);
	return 0;
}

static int inst_preempt_delay(struct ka_ctx *cx, struct ka_instance *in,
			      const struct ka_stmt *s)
{
	in->preempt_delay_at = ka_loc_of(s);
	return ka_uint(cx, s, 0, 1000, &in->preempt_delay_s);
}

static int inst_accept(struct ka_ctx *cx, struct ka_instance *in,
		       const struct ka_stmt *s)
{
	if (ka_no_block(cx, s) < 0 || ka_arg_count(cx, s, 0, 0, "nothing") < 0)
		return -1;
	in->accept = !strcmp(s->argv[0], "accept");
	in->accept_at = ka_loc_of(s);
	return 0;
}

static int inst_strict_mode(struct ka_ctx *cx, struct ka_instance *in,
			    const struct ka_stmt *s)
{
	bool on;
	if (ka_flag(cx, s, &on) < 0)
		return -1;
	in->strict_mode = on;
	return 0;
}

static int inst_unicast_peer(struct ka_ctx *cx, struct ka_instance *in,
			     const struct ka_stmt *s)
{
	in->unicast_at = ka_loc_of(s);
	ka_ignored(cx->r, s->file, s->line,
		   "'unicast_peer' is not supported by vrrpd yet (advertisements stay multicast)");
	return 0;
}

static int inst_unsupported(struct ka_ctx *cx, struct ka_instance *in,
			    const struct ka_stmt *s)
{
	(void)in;
	ka_ignored(cx->r, s->file, s->line,
		   "'%s' is not supported by vrrpd yet", s->argv[0]);
	return 0;
}

static int inst_outside(struct ka_ctx *cx, struct ka_instance *in,
			const struct ka_stmt *s)
{
	(void)in;
	ka_ignored(cx->r, s->file, s->line, "keyword '%s' is outside VRRP",
		   s->argv[0]);
	return 0;
}

static const struct {
	const char *kw;
	inst_fn fn;
} inst_keywords[] = {
	{"state", inst_state},
	{"interface", inst_interface},
	{"virtual_router_id", inst_vrid},
	{"priority", inst_priority},
	{"advert_int", inst_advert},
	{"authentication", inst_auth},
	{"virtual_ipaddress", vip_block},
	{"virtual_ipaddress_excluded", vip_excluded},
	{"nopreempt", inst_nopreempt},
	{"preempt", inst_nopreempt},
	{"preempt_delay", inst_preempt_delay},
	{"vrrp_version", inst_version},
	{"version", inst_version},
	{"accept", inst_accept},
	{"no_accept", inst_accept},
	{"strict_mode", inst_strict_mode},
	{"unicast_peer", inst_unicast_peer},
	/* keepalived features vrrpd does not have yet */
	{"mcast_src_ip", inst_unsupported},
	{"unicast_src_ip", inst_unsupported},
	{"unicast_ttl", inst_unsupported},
	{"unicast_fault_no_peer", inst_unsupported},
	{"check_unicast_src", inst_unsupported},
	{"old_unicast_checksum", inst_unsupported},
	{"track_interface", inst_unsupported},
	{"track_script", inst_unsupported},
	{"track_process", inst_unsupported},
	{"track_file", inst_unsupported},
	{"track_bfd", inst_unsupported},
	{"track_src_ip", inst_unsupported},
	{"dont_track_primary", inst_unsupported},
	{"garp_master_delay", inst_unsupported},
	{"garp_master_repeat", inst_unsupported},
	{"garp_master_refresh", inst_unsupported},
	{"garp_master_refresh_repeat", inst_unsupported},
	{"garp_lower_prio_delay", inst_unsupported},
	{"garp_lower_prio_repeat", inst_unsupported},
	{"garp_extra_if", inst_unsupported},
	{"lower_prio_no_advert", inst_unsupported},
	{"higher_prio_send_advert", inst_unsupported},
	{"use_vmac", inst_unsupported},
	{"vmac_xmit_base", inst_unsupported},
	{"use_ipvlan", inst_unsupported},
	{"native_ipv6", inst_unsupported},
	{"virtual_routes", inst_unsupported},
	{"virtual_rules", inst_unsupported},
	{"promote_secondaries", inst_unsupported},
	{"skip_check_adv_addr", inst_unsupported},
	{"notify_master", inst_unsupported},
	{"notify_backup", inst_unsupported},
	{"notify_fault", inst_unsupported},
	{"notify_stop", inst_unsupported},
	{"notify_deleted", inst_unsupported},
	{"notify", inst_unsupported},
	{"notify_master_rx_lower_pri", inst_unsupported},
	{"notify_priority_changes", inst_unsupported},
	{"kernel_rx_buf_size", inst_unsupported},
	{"down_timer_adverts", inst_unsupported},
	{"linkbeat_use_polling", inst_unsupported},
	{"debug", inst_unsupported},
	/* not VRRP: mail alerts and LVS */
	{"smtp_alert", inst_outside},
	{"lvs_sync_daemon_interface", inst_outside},
};

static int inst_stmt(struct ka_ctx *cx, struct ka_instance *in,
		     const struct ka_stmt *s)
{
	for (size_t i = 0; i < sizeof(inst_keywords) / sizeof(*inst_keywords);
	     i++)
		if (!strcmp(s->argv[0], inst_keywords[i].kw))
			return inst_keywords[i].fn(cx, in, s);
	ka_error(cx->r, s->file, s->line,
		 "keyword '%s': unknown keyword in vrrp_instance '%s'",
		 s->argv[0], in->name);
	return -1;
}

/* Instance names become list keys and log tags: [A-Za-z0-9_.:-]{1,63}. */
static bool valid_name(const char *n)
{
	size_t len = strlen(n);
	if (len < 1 || len >= KA_NAME_MAX)
		return false;
	for (const char *p = n; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || strchr("_.:-", *p)))
			return false;
	return true;
}

int ka_instance_parse(struct ka_ctx *cx, const struct ka_stmt *s)
{
	struct ka_config *c = cx->cfg;
	const char *what = "an instance name of 1..63 characters A-Z a-z 0-9 _ . : -";
	if (ka_arg_count(cx, s, 1, 1, what) < 0)
		return -1;
	if (!valid_name(s->argv[1])) {
		ka_error(cx->r, s->file, s->line,
			 "keyword 'vrrp_instance': expected %s, got '%s'", what,
			 s->argv[1]);
		return -1;
	}
	if (!s->has_block) {
		ka_error(cx->r, s->file, s->line,
			 "keyword 'vrrp_instance': expected a '{' block after '%s'",
			 s->argv[1]);
		return -1;
	}
	for (size_t i = 0; i < c->n_inst; i++) {
		if (!strcmp(c->inst[i].name, s->argv[1])) {
			ka_error(cx->r, s->file, s->line,
				 "keyword 'vrrp_instance': name '%s' already used at %s:%u",
				 s->argv[1], c->inst[i].file, c->inst[i].line);
			return -1;
		}
	}
	struct ka_instance *ni =
		realloc(c->inst, (c->n_inst + 1) * sizeof(*ni));
	if (!ni) {
		ka_error(cx->r, s->file, s->line, "out of memory");
		return -1;
	}
	c->inst = ni;
	struct ka_instance *in = &ni[c->n_inst++];
	memset(in, 0, sizeof(*in));
	snprintf(in->name, sizeof(in->name), "%s", s->argv[1]);
	in->file = s->file;
	in->line = s->line;
	in->accept = -1;
	in->strict_mode = -1;
	int rc = 0;
	for (const struct ka_stmt *k = s->child; k; k = k->next)
		if (inst_stmt(cx, in, k) < 0)
			rc = -1;
	return rc;
}

void ka_config_free(struct ka_config *c)
{
	for (size_t i = 0; i < c->n_inst; i++)
		free(c->inst[i].vips);
	free(c->inst);
	c->inst = NULL;
	c->n_inst = 0;
}
