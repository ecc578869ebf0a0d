/* keepalived import: the completed configuration as RFC 7951 JSON of module
 * vrrpd, built with json-c. Keys are added in a fixed order (json-c keeps
 * insertion order) so the text is stable and diffable. Every leaf is
 * written out, defaults included, so a reviewer sees what will run. */
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "keepalived_ir.h"

static int add(json_object *o, const char *key, json_object *v)
{
	if (!v)
		return -1;
	if (json_object_object_add(o, key, v) < 0) {
		json_object_put(v);
		return -1;
	}
	return 0;
}

static json_object *addr_string(const struct vaddr *a)
{
	char buf[VADDR_STRLEN];
	return json_object_new_string(vaddr_ntop(a, buf, sizeof(buf)));
}

static json_object *global_json(const struct ka_global *g)
{
	json_object *o = json_object_new_object();
	if (!o)
		return NULL;
	int rc = 0;
	if (g->router_id[0])
		rc |= add(o, "router-id", json_object_new_string(g->router_id));
	rc |= add(o, "multicast-group-v4", addr_string(&g->group4));
	rc |= add(o, "multicast-group-v6", addr_string(&g->group6));
	rc |= add(o, "garp-master-delay",
		  json_object_new_int((int)g->garp_delay_s));
	rc |= add(o, "garp-master-repeat",
		  json_object_new_int((int)g->garp_repeat));
	rc |= add(o, "garp-master-refresh",
		  json_object_new_int((int)g->garp_refresh_s));
	if (g->garp_refresh_repeat)
		rc |= add(o, "garp-master-refresh-repeat",
			  json_object_new_int((int)g->garp_refresh_repeat));
	rc |= add(o, "check-advert-addresses",
		  json_object_new_boolean(g->check_adv_addrs));
	if (g->check_unicast_src)
		rc |= add(o, "check-unicast-source", json_object_new_boolean(true));
	if (rc) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static json_object *global_all_json(const struct ka_config *c)
{
	json_object *o = global_json(&c->g);
	if (o && ka_json_script_global(o, c) < 0) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static json_object *vip_json(const struct ka_vip *v)
{
	json_object *o = json_object_new_object();
	if (!o)
		return NULL;
	int rc = add(o, "address", addr_string(&v->addr));
	if (v->plen >= 0)
		rc |= add(o, "prefix-length", json_object_new_int(v->plen));
	if (v->dev[0])
		rc |= add(o, "device", json_object_new_string(v->dev));
	if (v->excluded)
		rc |= add(o, "excluded", json_object_new_boolean(true));
	if (v->label[0])
		rc |= add(o, "label", json_object_new_string(v->label));
	if (vaddr_is_set(&v->brd))
		rc |= add(o, "broadcast", addr_string(&v->brd));
	if (v->scope[0])
		rc |= add(o, "scope", json_object_new_string(v->scope));
	if (rc) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static json_object *auth_json(const struct ka_instance *in)
{
	json_object *o = json_object_new_object();
	if (!o)
		return NULL;
	if (add(o, "type", json_object_new_string("simple-password")) < 0 ||
	    add(o, "password", json_object_new_string(in->auth_pass)) < 0) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static json_object *unicast_json(const struct ka_instance *in)
{
	json_object *o = json_object_new_object(), *peers = json_object_new_array();
	int rc = !o || !peers;

	for (size_t i = 0; i < in->n_peers && !rc; i++) {
		const struct ka_peer *p = &in->peers[i];
		json_object *e = json_object_new_object();
		rc |= !e || add(e, "address", addr_string(&p->addr)) < 0;
		if (!rc && p->min_ttl >= 0)
			rc |= add(e, "min-ttl", json_object_new_int(p->min_ttl));
		if (!rc && p->max_ttl >= 0)
			rc |= add(e, "max-ttl", json_object_new_int(p->max_ttl));
		if (!rc)
			rc |= json_object_array_add(peers, e) < 0;
		else
			json_object_put(e);
	}
	if (!rc && in->ucast_ttl >= 1)
		rc |= add(o, "ttl", json_object_new_int(in->ucast_ttl));
	if (!rc && in->ucast_fault_no_peer)
		rc |= add(o, "fault-no-peer", json_object_new_boolean(true));
	if (!rc && in->check_ucast_src >= 0)
		rc |= add(o, "check-source", json_object_new_boolean(in->check_ucast_src));
	if (!rc && in->n_peers) {
		rc |= add(o, "peer", peers);
		peers = NULL;
	}
	json_object_put(peers);
	if (rc) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static json_object *vmac_json(const struct ka_instance *in)
{
	json_object *o = json_object_new_object();
	int rc = !o || add(o, "enabled", json_object_new_boolean(true)) < 0;

	if (!rc && in->vmac_name[0])
		rc |= add(o, "interface", json_object_new_string(in->vmac_name));
	if (!rc && in->vmac_xmit_base)
		rc |= add(o, "transmit-on-base", json_object_new_boolean(true));
	if (rc) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static json_object *instance_json(const struct ka_instance *in,
				  const struct ka_config *cfg)
{
	json_object *o = json_object_new_object();
	json_object *vips = json_object_new_array();
	if (!o || !vips) {
		json_object_put(o);
		json_object_put(vips);
		return NULL;
	}
	int rc = 0;
	for (size_t i = 0; i < in->n_vips && rc == 0; i++) {
		json_object *v = vip_json(&in->vips[i]);
		if (!v || json_object_array_add(vips, v) < 0) {
			json_object_put(v);
			rc = -1;
		}
	}
	rc |= add(o, "name", json_object_new_string(in->name));
	rc |= add(o, "interface", json_object_new_string(in->ifname));
	rc |= add(o, "vrid", json_object_new_int((int)in->vrid));
	rc |= add(o, "version", json_object_new_int((int)in->version));
	rc |= add(o, "address-family",
		  json_object_new_string(in->af == AF_INET6 ? "ipv6" : "ipv4"));
	rc |= add(o, "priority", json_object_new_int((int)in->priority));
	rc |= add(o, "preempt", json_object_new_boolean(!in->nopreempt));
	rc |= add(o, "preempt-delay",
		  json_object_new_int((int)in->preempt_delay_s));
	rc |= add(o, "accept-mode", json_object_new_boolean(in->accept > 0));
	rc |= add(o, "advertisement-interval",
		  json_object_new_int((int)in->adv_cs));
	rc |= add(o, "initial-state",
		  json_object_new_string(in->state == KA_STATE_MASTER
						 ? "master"
						 : "backup"));
	if (in->auth == KA_AUTH_PASS)
		rc |= add(o, "authentication", auth_json(in));
	if (in->garp.has_delay || in->garp.has_repeat || in->garp.has_refresh ||
	    in->garp.has_refresh_repeat) {
		json_object *gj = json_object_new_object();
		if (in->garp.has_delay)
			add(gj, "master-delay", json_object_new_int((int)in->garp.delay_s));
		if (in->garp.has_repeat)
			add(gj, "master-repeat", json_object_new_int((int)in->garp.repeat));
		if (in->garp.has_refresh)
			add(gj, "master-refresh", json_object_new_int((int)in->garp.refresh_s));
		if (in->garp.has_refresh_repeat)
			add(gj, "master-refresh-repeat",
			    json_object_new_int((int)in->garp.refresh_repeat));
		rc |= add(o, "garp", gj);
	}
	if (in->down_adverts && in->down_adverts != 3)
		rc |= add(o, "master-down-adverts", json_object_new_int((int)in->down_adverts));
	if (in->dont_track_primary)
		rc |= add(o, "ignore-link-down", json_object_new_boolean(true));
	if (in->promote_secondaries)
		rc |= add(o, "promote-secondaries", json_object_new_boolean(true));
	if (vaddr_is_set(&in->src))
		rc |= add(o, "source-address", addr_string(&in->src));
	if (vaddr_is_set(&in->group))
		rc |= add(o, "multicast-group", addr_string(&in->group));
	if (in->unicast)
		rc |= add(o, "unicast", unicast_json(in));
	if (in->use_vmac)
		rc |= add(o, "virtual-mac", vmac_json(in));
	if (!rc)
		rc |= ka_json_follow_notify(o, &in->fol, &in->nfy, cfg);
	if (!rc && ka_routes_json(&in->vr, o, "virtual-route", "virtual-rule") < 0)
		rc = -1;
	if (rc) {
		json_object_put(vips);
		json_object_put(o);
		return NULL;
	}
	if (add(o, "virtual-address", vips) < 0) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static json_object *config_json(const struct ka_config *c)
{
	json_object *top = json_object_new_object();
	json_object *vrrpd = json_object_new_object();
	if (!top || !vrrpd || add(top, "vrrpd:vrrpd", vrrpd) < 0) {
		json_object_put(top);
		return NULL;
	}
	if (add(vrrpd, "global", global_all_json(c)) < 0 ||
	    ka_json_tracking(vrrpd, c) < 0) {
		json_object_put(top);
		return NULL;
	}
	if ((c->n_saddrs || c->st.n_routes || c->st.n_rules) &&
	    add(vrrpd, "static", ka_static_json(c)) < 0) {
		json_object_put(top);
		return NULL;
	}
	if (c->n_inst == 0)
		return top;
	json_object *list = json_object_new_array();
	if (add(vrrpd, "instance", list) < 0) {
		json_object_put(top);
		return NULL;
	}
	for (size_t i = 0; i < c->n_inst; i++) {
		json_object *in = instance_json(&c->inst[i], c);
		if (!in || json_object_array_add(list, in) < 0) {
			json_object_put(in);
			json_object_put(top);
			return NULL;
		}
	}
	return top;
}

char *ka_config_to_json(const struct ka_config *c)
{
	json_object *top = config_json(c);
	if (!top)
		return NULL;
	const char *text = json_object_to_json_string_ext(
		top, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
			     JSON_C_TO_STRING_NOSLASHESCAPE);
	char *out = NULL;
	if (text && asprintf(&out, "%s\n", text) < 0)
		out = NULL;
	json_object_put(top);
	return out;
}
