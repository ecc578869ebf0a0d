/* keepalived import: completing an instance the way keepalived 2.2.7 does
 * (vrrp_complete_instance() in keepalived's vrrp.c), so the converted
 * configuration runs what keepalived would run. Where keepalived corrects a
 * value and logs it, we make the same correction with a warning naming the
 * line (an error with --strict); vrrp_strict is one of those: keepalived's
 * strict mode corrects, it does not refuse. Each correction below was
 * checked against `keepalived -n -l -D -d` of the same file. */
#include <string.h>

#include "keepalived_ir.h"
#include "vrrp_pkt.h"

#define PRIO_DEFAULT 100 /* RFC 5798 5.2.4 and keepalived */
#define V2_ADV_MAX_CS 25500 /* RFC 3768 5.3.7: 8-bit field, seconds */
#define V3_ADV_MAX_CS 4095  /* RFC 5798 5.2.7: 12-bit field, centiseconds */

static const char *strict_name(const struct ka_instance *in)
{
	return in->strict_mode == 1 ? "strict_mode" : "vrrp_strict";
}

/* The family comes from the first address, as in keepalived; addresses of
 * the other family are dropped with a warning, as keepalived 2.2.7 does
 * ("address family must match VRRP instance ... - ignoring"). Returns 1 if
 * the instance has no address at all: keepalived runs it ("No VIP
 * specified; at least one is sensible") but our model needs one, so it is
 * left out with a warning rather than converted into something else. */
static int finish_family(struct ka_ctx *cx, struct ka_instance *in)
{
	if (in->n_vips == 0) {
		ka_warn(cx->r, in->file, in->line,
			"vrrp_instance '%s': no virtual_ipaddress; keepalived runs it without addresses, vrrpd needs at least one: instance not converted",
			in->name);
		return 1;
	}
	/* the family comes from the first advertised address; excluded
	 * addresses may be of either family (keepalived eVIPs) */
	size_t first = 0;
	while (first < in->n_vips && in->vips[first].excluded)
		first++;
	if (first == in->n_vips) {
		ka_warn(cx->r, in->file, in->line,
			"vrrp_instance '%s': only excluded addresses; vrrpd needs one to advertise: instance not converted",
			in->name);
		return 1;
	}
	in->af = in->vips[first].addr.af;
	size_t kept = 0;
	for (size_t i = 0; i < in->n_vips; i++) {
		const struct ka_vip *v = &in->vips[i];
		if (v->addr.af == in->af || v->excluded) {
			in->vips[kept++] = *v;
			continue;
		}
		char buf[VADDR_STRLEN];
		ka_warn(cx->r, v->file, v->line,
			"keyword 'virtual_ipaddress': %s is %s but the instance's first address is %s; ignored, as keepalived does",
			vaddr_ntop(&v->addr, buf, sizeof(buf)),
			v->addr.af == AF_INET ? "IPv4" : "IPv6",
			in->af == AF_INET ? "IPv4" : "IPv6");
	}
	in->n_vips = kept;
	if (in->af == AF_INET6 && in->strict && !in->vips[0].excluded &&
	    !IN6_IS_ADDR_LINKLOCAL(&in->vips[0].addr.u.v6)) {
		/* RFC 5798 5.2.9: the first IPv6 address is link-local.
		 * keepalived only logs it and runs the list as given. */
		ka_warn(cx->r, in->vips[0].file, in->vips[0].line,
			"keyword 'virtual_ipaddress': with %s the first IPv6 address should be link-local (RFC 5798 5.2.9); kept as keepalived does",
			strict_name(in));
	}
	return 0;
}

/* VRRPv2 is IPv4 only (RFC 3768); keepalived runs IPv6 instances as v3. */
static int finish_version(struct ka_ctx *cx, struct ka_instance *in)
{
	if (in->af == AF_INET6) {
		if (in->version == 2) {
			const struct ka_loc *at = &in->version_at;
			ka_warn(cx->r, at->file, at->line,
				"keyword '%s': VRRP version 2 is IPv4 only (RFC 3768); using version 3 for this IPv6 instance, as keepalived does",
				in->version_kw);
		}
		in->version = 3;
	} else if (in->version == 0) {
		in->version = cx->cfg->g.version;
	}
	return 0;
}

/* keepalived: no priority and state MASTER means the address owner (255);
 * no state means master only for the owner. */
static int finish_priority_state(struct ka_ctx *cx, struct ka_instance *in)
{
	bool master = in->state == KA_STATE_MASTER;
	if (in->priority == 0)
		in->priority = master ? VRRP_PRIO_OWNER : PRIO_DEFAULT;
	bool owner = in->priority == VRRP_PRIO_OWNER;
	if (in->state == KA_STATE_UNSET)
		in->state = owner ? KA_STATE_MASTER : KA_STATE_BACKUP;
	else if (in->strict && master && !owner) {
		/* keepalived: "State MASTER must match being address owner",
		 * then it starts as BACKUP. */
		ka_warn(cx->r, in->state_at.file, in->state_at.line,
			"keyword 'state': with %s, state MASTER needs priority 255 (the address owner); starting as BACKUP, as keepalived does",
			strict_name(in));
		in->state = KA_STATE_BACKUP;
	}
	return 0;
}

static int finish_auth(struct ka_ctx *cx, struct ka_instance *in)
{
	if (!in->auth_at.line)
		return 0;
	const char *why = NULL;
	if (in->strict)
		why = "not allowed in strict mode (RFC 5798 has none)";
	else if (in->version == 3)
		why = "VRRP version 3 has no authentication (RFC 5798)";
	else if (in->auth == KA_AUTH_PASS && !in->auth_pass_at.line)
		why = "auth_type PASS without auth_pass";
	else if (in->auth != KA_AUTH_PASS && in->auth_pass_at.line)
		why = "auth_pass without auth_type PASS";
	if (why) {
		/* keepalived also drops such authentication with a message. */
		ka_warn(cx->r, in->auth_at.file, in->auth_at.line,
			"keyword 'authentication': %s; no authentication is used",
			why);
		in->auth = KA_AUTH_UNSET;
	}
	return 0;
}

static int finish_preempt(struct ka_ctx *cx, struct ka_instance *in)
{
	if (in->nopreempt && in->priority == VRRP_PRIO_OWNER) {
		ka_warn(cx->r, in->nopreempt_at.file, in->nopreempt_at.line,
			"keyword 'nopreempt': the address owner (priority 255) always preempts; nopreempt is reset as keepalived does");
		in->nopreempt = false;
	}
	if (in->nopreempt && in->state == KA_STATE_MASTER) {
		ka_warn(cx->r, in->nopreempt_at.file, in->nopreempt_at.line,
			"keyword 'nopreempt': does not work with state MASTER; reset as keepalived does");
		in->nopreempt = false;
	}
	if (!in->preempt_delay_s)
		return 0;
	const struct ka_loc *at = &in->preempt_delay_at;
	const char *why = in->strict ? "is incompatible with strict mode"
			  : in->state == KA_STATE_MASTER
				  ? "does not work with state MASTER"
			  : in->nopreempt ? "has no meaning with nopreempt"
					  : NULL;
	if (why) {
		ka_warn(cx->r, at->file, at->line,
			"keyword 'preempt_delay': %s; reset to 0 as keepalived does",
			why);
		in->preempt_delay_s = 0;
	}
	return 0;
}

/* keepalived accepts packets for the VIPs unless strict (it installs no
 * filter), so its default is accept mode on; strict mode defaults it off
 * except for the address owner, and forbids it with VRRPv2 (RFC 3768 has no
 * Accept_Mode). */
static int finish_accept(struct ka_ctx *cx, struct ka_instance *in)
{
	if (in->accept < 0)
		in->accept = in->priority == VRRP_PRIO_OWNER || !in->strict;
	if (in->accept && in->priority != VRRP_PRIO_OWNER && in->strict &&
	    in->version == 2) {
		/* keepalived: "accept mode for VRRP version 2 does not comply
		 * with RFC3768 - resetting". */
		ka_warn(cx->r, in->accept_at.file, in->accept_at.line,
			"keyword 'accept': accept mode with VRRP version 2 does not comply with RFC 3768 (%s); reset, as keepalived does",
			strict_name(in));
		in->accept = 0;
	}
	return 0;
}

static int finish_advert(struct ka_ctx *cx, struct ka_instance *in)
{
	if (!in->adv_at.line) {
		in->adv_cs = 100; /* keepalived: 1 s */
		return 0;
	}
	if (in->version == 2 && in->adv_cs > V2_ADV_MAX_CS) {
		ka_error(cx->r, in->adv_at.file, in->adv_at.line,
			 "keyword 'advert_int': expected 1..255 seconds with VRRP version 2, got '%s'",
			 in->adv_text);
		return -1;
	}
	if (in->version == 2 && in->adv_cs % 100) {
		/* RFC 3768 5.3.7 counts whole seconds. keepalived 2.2.7 rounds
		 * to the nearest (0.5 -> 1, 1.6 -> 2, 2.5 -> 3), at least 1:
		 * "VRRPv2 advertisement interval 0.5s must be an integer.
		 * rounding". */
		unsigned s_rounded = (in->adv_cs + 50) / 100;
		if (s_rounded == 0)
			s_rounded = 1;
		ka_warn(cx->r, in->adv_at.file, in->adv_at.line,
			"keyword 'advert_int': VRRP version 2 counts whole seconds; '%s' rounded to %u, as keepalived does",
			in->adv_text, s_rounded);
		in->adv_cs = s_rounded * 100;
	}
	if (in->version == 3 && in->adv_cs > V3_ADV_MAX_CS) {
		ka_error(cx->r, in->adv_at.file, in->adv_at.line,
			 "keyword 'advert_int': expected 0.01..40.95 seconds with VRRP version 3, got '%s'",
			 in->adv_text);
		return -1;
	}
	return 0;
}

int ka_instance_finish(struct ka_ctx *cx, struct ka_instance *in)
{
	int rc = 0;
	in->strict = in->strict_mode >= 0 ? in->strict_mode : cx->cfg->g.strict;
	if (!in->ifname[0]) {
		ka_error(cx->r, in->file, in->line,
			 "vrrp_instance '%s': keyword 'interface' is missing; vrrpd needs the interface to advertise on",
			 in->name);
		rc = -1;
	}
	if (!in->vrid) {
		ka_error(cx->r, in->file, in->line,
			 "vrrp_instance '%s': keyword 'virtual_router_id' is missing",
			 in->name);
		rc = -1;
	}
	if (rc < 0)
		return -1;
	if (finish_family(cx, in) > 0)
		return 1;
	if (finish_version(cx, in) < 0)
		rc = -1;
	if (finish_priority_state(cx, in) < 0)
		rc = -1;
	if (finish_auth(cx, in) < 0)
		rc = -1;
	if (finish_preempt(cx, in) < 0)
		rc = -1;
	if (finish_accept(cx, in) < 0)
		rc = -1;
	if (finish_advert(cx, in) < 0)
		rc = -1;
	if (ka_instance_net_finish(cx, in) < 0)
		rc = -1;
	if (!in->down_adverts)
		in->down_adverts = cx->cfg->g.down_adverts; /* vrrp_down_timer_adverts */
	return rc;
}

/* RFC 5798 6.1: a virtual router is one VRID on one LAN; two instances on
 * the same interface, VRID and family would be the same router. */
int ka_instances_check(struct ka_ctx *cx)
{
	const struct ka_config *c = cx->cfg;
	int rc = 0;
	for (size_t i = 1; i < c->n_inst; i++) {
		const struct ka_instance *b = &c->inst[i];
		for (size_t j = 0; j < i; j++) {
			const struct ka_instance *a = &c->inst[j];
			if (a->vrid != b->vrid || a->af != b->af ||
			    strcmp(a->ifname, b->ifname))
				continue;
			ka_error(cx->r, b->vrid_at.file, b->vrid_at.line,
				 "keyword 'virtual_router_id': %u on %s (%s) is already used by vrrp_instance '%s' at %s:%u",
				 b->vrid, b->ifname,
				 b->af == AF_INET ? "IPv4" : "IPv6", a->name,
				 a->file, a->line);
			rc = -1;
			break;
		}
	}
	return rc;
}
