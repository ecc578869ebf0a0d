/* Helpers on the plain C configuration (config.h): release, look-up by
 * name, and the deep comparison a reload uses to leave unchanged instances
 * alone. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

void vrrpd_config_free(struct vrrpd_config *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n_instances; i++)
		free(c->instances[i].vips);
	free(c->instances);
	c->instances = NULL;
	c->n_instances = 0;
}

const struct instance_cfg *vrrpd_config_find(const struct vrrpd_config *c,
					     const char *name)
{
	if (!c || !name)
		return NULL;
	for (size_t i = 0; i < c->n_instances; i++) {
		if (strcmp(c->instances[i].name, name) == 0)
			return &c->instances[i];
	}
	return NULL;
}

static bool vip_equal(const struct vip_cfg *a, const struct vip_cfg *b)
{
	return vaddr_cmp(&a->addr, &b->addr) == 0 && a->plen == b->plen &&
	       strcmp(a->dev, b->dev) == 0;
}

/* Field by field, not memcmp: the structs have padding and bytes after
 * each string's terminator that carry no meaning. */
#define EQ_SCALAR(fn, m) \
	static bool fn(const struct instance_cfg *a, const struct instance_cfg *b) \
	{ return a->m == b->m; }
#define EQ_STRING(fn, m) \
	static bool fn(const struct instance_cfg *a, const struct instance_cfg *b) \
	{ return strcmp(a->m, b->m) == 0; }

EQ_STRING(eq_name, name)
EQ_STRING(eq_ifname, ifname)
EQ_SCALAR(eq_vrid, vrid)
EQ_SCALAR(eq_version, version)
EQ_SCALAR(eq_af, af)
EQ_SCALAR(eq_priority, priority)
EQ_SCALAR(eq_preempt, preempt)
EQ_SCALAR(eq_preempt_delay, preempt_delay_s)
EQ_SCALAR(eq_accept_mode, accept_mode)
EQ_SCALAR(eq_adv_interval, adv_interval_cs)
EQ_SCALAR(eq_start_as_master, start_as_master)
EQ_SCALAR(eq_auth, auth)
EQ_STRING(eq_auth_pass, auth_pass)

static bool eq_group(const struct instance_cfg *a, const struct instance_cfg *b)
{
	return vaddr_cmp(&a->group, &b->group) == 0;
}

/* The order of the VIPs counts: it is the order of the advertisement's
 * address list. */
static bool eq_vips(const struct instance_cfg *a, const struct instance_cfg *b)
{
	if (a->n_vips != b->n_vips)
		return false;
	for (size_t i = 0; i < a->n_vips; i++) {
		if (!vip_equal(&a->vips[i], &b->vips[i]))
			return false;
	}
	return true;
}

/* Every configuration leaf of an instance in yang/vrrpd.yang, how a
 * change of it is applied, and the comparison that sees the change.
 * Restart: the identity of the instance on the wire (RFC 5798 6.1: the
 * VRID, the interface, the family and the version select the virtual
 * router; the group where its adverts go) -- a stop (priority-0 advert,
 * VIPs released) and a fresh start. In place: everything else, applied
 * by instance_update() while the instance runs. tests/unit/test_config.c
 * walks the libyang schema and fails when a leaf is missing here or its
 * comparison does not see a change of it. */
const struct instance_field instance_fields[] = {
	{ "name", FIELD_KEY, eq_name },
	{ "interface", FIELD_RESTART, eq_ifname },
	{ "vrid", FIELD_RESTART, eq_vrid },
	{ "version", FIELD_RESTART, eq_version },
	{ "address-family", FIELD_RESTART, eq_af },
	{ "priority", FIELD_IN_PLACE, eq_priority },
	{ "preempt", FIELD_IN_PLACE, eq_preempt },
	{ "preempt-delay", FIELD_IN_PLACE, eq_preempt_delay },
	{ "accept-mode", FIELD_IN_PLACE, eq_accept_mode },
	{ "advertisement-interval", FIELD_IN_PLACE, eq_adv_interval },
	{ "initial-state", FIELD_IN_PLACE, eq_start_as_master },
	/* Resolved: the instance's own group or the global default. */
	{ "multicast-group", FIELD_RESTART, eq_group },
	{ "authentication/type", FIELD_IN_PLACE, eq_auth },
	{ "authentication/password", FIELD_IN_PLACE, eq_auth_pass },
	{ "virtual-address/address", FIELD_IN_PLACE, eq_vips },
	{ "virtual-address/prefix-length", FIELD_IN_PLACE, eq_vips },
	{ "virtual-address/device", FIELD_IN_PLACE, eq_vips },
	{ NULL, FIELD_KEY, NULL },
};

bool instance_cfg_equal(const struct instance_cfg *a,
			const struct instance_cfg *b)
{
	if (a == b)
		return true;
	if (!a || !b)
		return false;
	for (const struct instance_field *f = instance_fields; f->leaf; f++) {
		if (!f->equal(a, b))
			return false;
	}
	return true;
}

bool instance_cfg_needs_restart(const struct instance_cfg *a,
				const struct instance_cfg *b)
{
	for (const struct instance_field *f = instance_fields; f->leaf; f++) {
		if (f->apply == FIELD_RESTART && !f->equal(a, b))
			return true;
	}
	return false;
}
