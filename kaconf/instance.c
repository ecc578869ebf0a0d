/* keepalived import: vrrp_instance blocks. Each keyword of the block is read
 * by one handler from a table; ka_instance_finish() then applies
 * keepalived's defaults and corrections (vrrp_complete_instance() in
 * keepalived's vrrp.c) so the output means what keepalived would run. */
#include <stdlib.h>
#include <string.h>

#include "keepalived_ir.h"
#include "vrrp_pkt.h"

#define PRIO_DEFAULT 100 /* RFC 5798 5.2.4 and keepalived */

typedef int (*inst_fn)(struct ka_ctx *, struct ka_instance *,
		       const struct ka_stmt *);

/* ---- virtual_ipaddress -------------------------------------------------- */

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
		bool valued = true;
		/* converted: dev, label, brd/broadcast, scope */
		bool known = !strcmp(opt, "dev") || !strcmp(opt, "label") ||
			     !strcmp(opt, "brd") || !strcmp(opt, "broadcast") ||
			     !strcmp(opt, "scope") || ka_vip_option_known(opt, &valued);
		if (!known) {
			ka_error(cx->r, s->file, s->line,
				 "keyword '%s': unknown option '%s' for address %s (expected dev, label, brd, scope, ...)",
				 block, opt, a);
			return -1;
		}
		if (valued && i + 1 >= s->argc) {
			ka_error(cx->r, s->file, s->line,
				 "keyword '%s': option '%s' of address %s expects a value, got nothing",
				 block, opt, a);
			return -1;
		}
		if (!strcmp(opt, "dev")) {
			if (ka_ifname(cx, s, "dev", s->argv[i + 1], v->dev) < 0)
				return -1;
		} else if (!strcmp(opt, "label")) {
			const char *lb = s->argv[i + 1];
			if (strlen(lb) >= sizeof(v->label) || strpbrk(lb, "/ \t")) {
				ka_error(cx->r, s->file, s->line,
					 "keyword '%s': label of address %s: expected 1..15 characters without '/' or spaces, got '%s'",
					 block, a, lb);
				return -1;
			}
			snprintf(v->label, sizeof(v->label), "%s", lb);
		} else if (!strcmp(opt, "brd") || !strcmp(opt, "broadcast")) {
			if (vaddr_parse(s->argv[i + 1], &v->brd, NULL) < 0 ||
			    v->brd.af != AF_INET) {
				ka_error(cx->r, s->file, s->line,
					 "keyword '%s': option '%s' of address %s expects an IPv4 address, got '%s'",
					 block, opt, a, s->argv[i + 1]);
				return -1;
			}
		} else if (!strcmp(opt, "scope")) {
			const char *sc = s->argv[i + 1];
			if (strcmp(sc, "global") && strcmp(sc, "site") && strcmp(sc, "link") &&
			    strcmp(sc, "host")) {
				ka_error(cx->r, s->file, s->line,
					 "keyword '%s': scope of address %s: expected global, site, link or host, got '%s'",
					 block, a, sc);
				return -1;
			}
			snprintf(v->scope, sizeof(v->scope), "%s", sc);
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
	bool excluded = !strcmp(s->argv[0], "virtual_ipaddress_excluded");
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
		v.excluded = excluded;
		bool dup = false;
		for (size_t i = 0; i < in->n_vips && !dup; i++)
			dup = vaddr_cmp(&in->vips[i].addr, &v.addr) == 0;
		if (dup) {
			/* keepalived 2.2.7 keeps both silently and advertises
			 * the address twice; our model lists an address once
			 * (the list is keyed by it), so the repeat is dropped
			 * with a warning. */
			ka_warn(cx->r, e->file, e->line,
				"keyword '%s': address %s is listed twice; the second entry is ignored (keepalived would advertise it twice)",
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
		if (n < 1) {
			ka_error(cx->r, s->file, s->line,
				 "keyword 'auth_pass': expected %s, got an empty one",
				 what);
			return -1;
		}
		/* RFC 3768 5.3.10: 8 octets. keepalived 2.2.7 truncates a
		 * longer one ("Truncating auth_pass to 8 characters") and
		 * sends the first 8: so do we, or the peers would disagree. */
		if (n > KA_PASS_MAX) {
			ka_warn(cx->r, s->file, s->line,
				"keyword 'auth_pass': %zu characters; truncated to the first %d, as keepalived does (RFC 3768 5.3.10)",
				n, KA_PASS_MAX);
			n = KA_PASS_MAX;
		}
		memcpy(in->auth_pass, s->argv[1], n);
		in->auth_pass[n] = '\0';
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
	if (!strcmp(s->argv[1], "MASTER")) {
		in->state = KA_STATE_MASTER;
	} else if (!strcmp(s->argv[1], "BACKUP")) {
		in->state = KA_STATE_BACKUP;
	} else {
		/* keepalived 2.2.7 compares case-sensitively and runs any
		 * other word, `master` included, as BACKUP. */
		ka_warn(cx->r, s->file, s->line,
			"keyword 'state': expected %s (upper case), got '%s'; using BACKUP, as keepalived does",
			what, s->argv[1]);
		in->state = KA_STATE_BACKUP;
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
	 * 5.2.4); keepalived 2.2.7 answers 0 or a number over 255 with
	 * "Priority not valid! ... Using default 100" and so do we. */
	in->priority_at = ka_loc_of(s);
	unsigned long v;
	if (s->argc == 2 && !s->has_block &&
	    ka_parse_decimal(s->argv[1], ~0ul / 10, &v) && (v == 0 || v > 255)) {
		ka_warn(cx->r, s->file, s->line,
			"keyword 'priority': expected an integer 1..255, got '%s'; using the default, as keepalived does",
			s->argv[1]);
		in->priority = PRIO_DEFAULT;
		return 0;
	}
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
	unsigned long cs;
	if (!ka_parse_seconds_cs(s->argv[1], 25500, &cs)) {
		ka_error(cx->r, s->file, s->line,
			 "keyword 'advert_int': expected %s, got '%s'", what,
			 s->argv[1]);
		return -1;
	}
	in->adv_cs = (unsigned)cs;
	in->adv_at = ka_loc_of(s);
	snprintf(in->adv_text, sizeof(in->adv_text), "%s", s->argv[1]);
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

static int inst_dont_track_primary(struct ka_ctx *cx, struct ka_instance *in,
				   const struct ka_stmt *s)
{
	if (ka_no_block(cx, s) < 0 || ka_arg_count(cx, s, 0, 0, "nothing") < 0)
		return -1;
	in->dont_track_primary = true;
	return 0;
}

static int inst_promote(struct ka_ctx *cx, struct ka_instance *in,
			const struct ka_stmt *s)
{
	if (ka_no_block(cx, s) < 0 || ka_arg_count(cx, s, 0, 0, "nothing") < 0)
		return -1;
	in->promote_secondaries = true;
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
	{"virtual_ipaddress_excluded", vip_block},
	{"promote_secondaries", inst_promote},
	{"dont_track_primary", inst_dont_track_primary},
	{"nopreempt", inst_nopreempt},
	{"preempt", inst_nopreempt},
	{"preempt_delay", inst_preempt_delay},
	{"vrrp_version", inst_version},
	{"version", inst_version},
	{"accept", inst_accept},
	{"no_accept", inst_accept},
	{"strict_mode", inst_strict_mode},
	{"unicast_peer", ka_inst_unicast_peer},
	{"unicast_src_ip", ka_inst_unicast},
	{"mcast_src_ip", ka_inst_unicast},
	{"mcast_dst_ip", ka_inst_mcast_dst},
	{"unicast_ttl", ka_inst_unicast},
	{"unicast_fault_no_peer", ka_inst_unicast},
	{"check_unicast_src", ka_inst_unicast},
	{"use_vmac", ka_inst_vmac},
	{"garp_master_delay", ka_inst_garp},
	{"garp_master_repeat", ka_inst_garp},
	{"garp_master_refresh", ka_inst_garp},
	{"garp_master_refresh_repeat", ka_inst_garp},
	{"garp_lower_prio_delay", ka_inst_garp},
	{"garp_lower_prio_repeat", ka_inst_garp},
	{"lower_prio_no_advert", ka_inst_garp},
	{"higher_prio_send_advert", ka_inst_garp},
	{"down_timer_adverts", ka_inst_garp},
	{"vmac_xmit_base", ka_inst_vmac},
	{"virtual_routes", ka_inst_routes},
	{"virtual_rules", ka_inst_routes},
};

static int inst_stmt(struct ka_ctx *cx, struct ka_instance *in,
		     const struct ka_stmt *s)
{
	for (size_t i = 0; i < sizeof(inst_keywords) / sizeof(*inst_keywords);
	     i++)
		if (!strcmp(s->argv[0], inst_keywords[i].kw))
			return inst_keywords[i].fn(cx, in, s);
	int rc = ka_follow_stmt(cx, &in->fol, s);
	if (rc != 1)
		return rc;
	if ((rc = ka_notify_stmt(cx, &in->nfy, s)) != 1)
		return rc;
	if (ka_unsupported(cx->r, KA_SCOPE_INSTANCE, s))
		return 0;
	ka_error(cx->r, s->file, s->line,
		 "keyword '%s': unknown keyword in vrrp_instance '%s'",
		 s->argv[0], in->name);
	return -1;
}

/* Instance names become list keys and log tags: the YANG type
 * instance-name, [A-Za-z0-9_.:+-]{1,63}. keepalived takes any word; a name
 * with other characters is mapped ('_' for each) with a warning, so the
 * operator sees the name vrrpd will log. */
static bool name_char_ok(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || strchr("_.:+-", c);
}

static int instance_name(struct ka_ctx *cx, const struct ka_stmt *s,
			 char out[KA_NAME_MAX])
{
	const char *n = s->argv[1];
	size_t len = strlen(n);
	if (len < 1 || len >= KA_NAME_MAX) {
		ka_error(cx->r, s->file, s->line,
			 "keyword 'vrrp_instance': expected a name of 1..%d characters, got %zu",
			 KA_NAME_MAX - 1, len);
		return -1;
	}
	bool mapped = false;
	for (size_t i = 0; i <= len; i++) {
		out[i] = n[i] && !name_char_ok(n[i]) ? '_' : n[i];
		mapped |= out[i] != n[i];
	}
	if (mapped)
		ka_warn(cx->r, s->file, s->line,
			"keyword 'vrrp_instance': name '%s' becomes '%s' (vrrpd names use A-Z a-z 0-9 _ . : + -)",
			n, out);
	return 0;
}

int ka_instance_parse(struct ka_ctx *cx, const struct ka_stmt *s)
{
	struct ka_config *c = cx->cfg;
	char name[KA_NAME_MAX];
	if (ka_arg_count(cx, s, 1, 1, "an instance name") < 0 ||
	    instance_name(cx, s, name) < 0)
		return -1;
	if (!s->has_block) {
		ka_error(cx->r, s->file, s->line,
			 "keyword 'vrrp_instance': expected a '{' block after '%s'",
			 s->argv[1]);
		return -1;
	}
	for (size_t i = 0; i < c->n_inst; i++) {
		if (!strcmp(c->inst[i].name, name)) {
			ka_error(cx->r, s->file, s->line,
				 "keyword 'vrrp_instance': name '%s' already used at %s:%u",
				 name, c->inst[i].file, c->inst[i].line);
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
	memcpy(in->name, name, sizeof(in->name));
	in->file = s->file;
	in->line = s->line;
	in->accept = -1;
	in->strict_mode = -1;
	in->ucast_ttl = -1;
	in->check_ucast_src = -1;
	ka_notify_init(&in->nfy);
	int rc = 0;
	for (const struct ka_stmt *k = s->child; k; k = k->next)
		if (inst_stmt(cx, in, k) < 0)
			rc = -1;
	return rc;
}

void ka_instance_free(struct ka_instance *in)
{
	free(in->vips);
	free(in->peers);
	ka_follows_free(&in->fol);
	ka_notify_free(&in->nfy);
	in->vips = NULL;
	in->peers = NULL;
}

void ka_config_free(struct ka_config *c)
{
	for (size_t i = 0; i < c->n_inst; i++) {
		ka_instance_free(&c->inst[i]);
		ka_routes_free(&c->inst[i].vr);
	}
	ka_routes_free(&c->st);
	free(c->saddrs);
	c->saddrs = NULL;
	c->n_saddrs = 0;
	free(c->inst);
	c->inst = NULL;
	c->n_inst = 0;
	ka_tracking_free(&c->trk);
	ka_script_global_free(&c->g.sg);
}
