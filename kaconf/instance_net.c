/* The keywords of a vrrp_instance that say where its adverts go and which
 * MAC it answers with: unicast_peer, unicast_src_ip, unicast_ttl,
 * unicast_fault_no_peer, check_unicast_src, use_vmac, vmac_xmit_base.
 * They map onto the instance's unicast and virtual-mac containers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keepalived_ir.h"

static int addr_arg(struct ka_ctx *cx, const struct ka_stmt *s, const char *text,
		    struct vaddr *out)
{
	if (vaddr_parse(text, out, NULL) < 0) {
		ka_error(cx->r, s->file, s->line,
			 "keyword '%s': expected an IP address, got '%s'", s->argv[0], text);
		return -1;
	}
	return 0;
}

static int ttl_arg(struct ka_ctx *cx, const struct ka_stmt *s, const char *text,
		   int *out)
{
	unsigned long v;
	if (!ka_parse_decimal(text, 255, &v)) {
		ka_error(cx->r, s->file, s->line,
			 "keyword '%s': expected a TTL 0..255, got '%s'", s->argv[0], text);
		return -1;
	}
	*out = (int)v;
	return 0;
}

/* One line of the unicast_peer block: ADDR [min_ttl N] [max_ttl N]. */
static int peer_line(struct ka_ctx *cx, struct ka_instance *in, const struct ka_stmt *s)
{
	struct ka_peer p = { .min_ttl = -1, .max_ttl = -1, .file = s->file, .line = s->line };

	if (s->has_block || addr_arg(cx, s, s->argv[0], &p.addr) < 0)
		return -1;
	for (size_t i = 1; i < s->argc; i += 2) {
		int *t = !strcmp(s->argv[i], "min_ttl") ? &p.min_ttl :
			 !strcmp(s->argv[i], "max_ttl") ? &p.max_ttl : NULL;
		if (!t || i + 1 >= s->argc) {
			ka_error(cx->r, s->file, s->line,
				 "unicast_peer %s: expected min_ttl N or max_ttl N, got '%s'",
				 s->argv[0], s->argv[i]);
			return -1;
		}
		if (ttl_arg(cx, s, s->argv[i + 1], t) < 0)
			return -1;
	}
	for (size_t i = 0; i < in->n_peers; i++)
		if (vaddr_cmp(&in->peers[i].addr, &p.addr) == 0) {
			ka_warn(cx->r, s->file, s->line,
				"unicast_peer %s is listed twice; kept once", s->argv[0]);
			return 0;
		}
	struct ka_peer *v = realloc(in->peers, (in->n_peers + 1) * sizeof(*v));
	if (!v) {
		ka_error(cx->r, s->file, s->line, "out of memory");
		return -1;
	}
	in->peers = v;
	in->peers[in->n_peers++] = p;
	return 0;
}

int ka_inst_unicast_peer(struct ka_ctx *cx, struct ka_instance *in,
			 const struct ka_stmt *s)
{
	int rc = 0;
	if (!s->has_block) {
		ka_error(cx->r, s->file, s->line,
			 "keyword 'unicast_peer': expected a '{' block of addresses");
		return -1;
	}
	in->unicast = true;
	for (const struct ka_stmt *c = s->child; c; c = c->next)
		if (peer_line(cx, in, c) < 0)
			rc = -1;
	return rc;
}

int ka_inst_unicast(struct ka_ctx *cx, struct ka_instance *in, const struct ka_stmt *s)
{
	const char *kw = s->argv[0];
	bool on;

	if (ka_no_block(cx, s) < 0)
		return -1;
	/* keepalived: mcast_src_ip and unicast_src_ip set one source */
	if (!strcmp(kw, "unicast_src_ip") || !strcmp(kw, "mcast_src_ip")) {
		in->unicast = in->unicast || kw[0] == 'u';
		return ka_arg_count(cx, s, 1, 1, "an IP address") < 0 ? -1 :
		       addr_arg(cx, s, s->argv[1], &in->src);
	}
	in->unicast = true;
	if (!strcmp(kw, "unicast_ttl"))
		return ka_arg_count(cx, s, 1, 1, "a TTL") < 0 ? -1 :
		       ttl_arg(cx, s, s->argv[1], &in->ucast_ttl);
	if (ka_flag(cx, s, &on) < 0)
		return -1;
	if (!strcmp(kw, "unicast_fault_no_peer"))
		in->ucast_fault_no_peer = on;
	else
		in->check_ucast_src = on;   /* check_unicast_src */
	return 0;
}

/* mcast_dst_ip: the instance's own multicast group. */
int ka_inst_mcast_dst(struct ka_ctx *cx, struct ka_instance *in, const struct ka_stmt *s)
{
	if (ka_no_block(cx, s) < 0 || ka_arg_count(cx, s, 1, 1, "a multicast address") < 0 ||
	    addr_arg(cx, s, s->argv[1], &in->group) < 0)
		return -1;
	if (!vaddr_is_multicast(&in->group)) {
		ka_error(cx->r, s->file, s->line,
			 "keyword 'mcast_dst_ip': expected a multicast address, got '%s'", s->argv[1]);
		return -1;
	}
	return 0;
}

/* use_vmac [NAME] [MAC]: the name is kept; the MAC is always the RFC's. */
int ka_inst_vmac(struct ka_ctx *cx, struct ka_instance *in, const struct ka_stmt *s)
{
	if (ka_no_block(cx, s) < 0)
		return -1;
	if (!strcmp(s->argv[0], "vmac_xmit_base")) {
		if (ka_arg_count(cx, s, 0, 0, "nothing") < 0)
			return -1;
		in->vmac_xmit_base = true;
		return 0;
	}
	if (ka_arg_count(cx, s, 0, 2, "an interface name and a MAC address") < 0)
		return -1;
	in->use_vmac = true;
	if (s->argc >= 2 && strchr(s->argv[1], ':') && s->argc == 2) {
		ka_warn(cx->r, s->file, s->line,
			"keyword 'use_vmac': MAC address '%s' ignored; vrrpd always uses 00:00:5e:00:01:VRID (RFC 5798 7.3)",
			s->argv[1]);
		return 0;
	}
	if (s->argc >= 2 && ka_ifname(cx, s, "use_vmac", s->argv[1], in->vmac_name) < 0)
		return -1;
	if (s->argc == 3)
		ka_warn(cx->r, s->file, s->line,
			"keyword 'use_vmac': MAC address '%s' ignored; vrrpd always uses 00:00:5e:00:01:VRID (RFC 5798 7.3)",
			s->argv[2]);
	return 0;
}

/* After the family is known: peers and the source of the other family are
 * dropped with a warning, as keepalived drops mixed addresses. */
int ka_instance_net_finish(struct ka_ctx *cx, struct ka_instance *in)
{
	char buf[VADDR_STRLEN];
	size_t k = 0;

	for (size_t i = 0; i < in->n_peers; i++) {
		if (in->peers[i].addr.af == in->af) {
			in->peers[k++] = in->peers[i];
			continue;
		}
		ka_warn(cx->r, in->peers[i].file, in->peers[i].line,
			"unicast_peer %s is not of the instance's address family; ignored, as keepalived does",
			vaddr_ntop(&in->peers[i].addr, buf, sizeof(buf)));
	}
	in->n_peers = k;
	if (vaddr_is_set(&in->group) && in->group.af != in->af) {
		ka_warn(cx->r, in->file, in->line,
			"vrrp_instance '%s': mcast_dst_ip %s is not of the instance's address family; ignored",
			in->name, vaddr_ntop(&in->group, buf, sizeof(buf)));
		memset(&in->group, 0, sizeof(in->group));
	}
	if (vaddr_is_set(&in->src) && in->src.af != in->af) {
		ka_warn(cx->r, in->file, in->line,
			"vrrp_instance '%s': source address %s is not of the instance's address family; ignored",
			in->name, vaddr_ntop(&in->src, buf, sizeof(buf)));
		memset(&in->src, 0, sizeof(in->src));
	}
	if (in->unicast && !in->n_peers && !in->ucast_fault_no_peer)
		ka_warn(cx->r, in->file, in->line,
			"vrrp_instance '%s': unicast keywords but no unicast_peer: advertisements are multicast, as keepalived does (unicast_fault_no_peer stops that)",
			in->name);
	if (in->use_vmac && in->n_peers && !in->vmac_xmit_base)
		ka_warn(cx->r, in->file, in->line,
			"vrrp_instance '%s': use_vmac with unicast peers needs vmac_xmit_base (keepalived's rule)",
			in->name);
	return 0;
}
