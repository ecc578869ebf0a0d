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
	for (size_t i = 0; i < c->n_instances; i++) {
		free(c->instances[i].vips);
		follow_cfg_free(&c->instances[i].follow);
	}
	tracking_cfg_free(&c->tracking);
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
 * each string's terminator that carry no meaning. The order of the VIPs
 * counts: it is the order of the advertisement's address list. */
bool instance_cfg_equal(const struct instance_cfg *a,
			const struct instance_cfg *b)
{
	if (a == b)
		return true;
	if (!a || !b)
		return false;
	if (strcmp(a->name, b->name) || strcmp(a->ifname, b->ifname) ||
	    a->af != b->af || a->vrid != b->vrid || a->version != b->version ||
	    a->priority != b->priority || a->preempt != b->preempt ||
	    a->preempt_delay_s != b->preempt_delay_s ||
	    a->accept_mode != b->accept_mode ||
	    a->adv_interval_cs != b->adv_interval_cs ||
	    a->start_as_master != b->start_as_master || a->auth != b->auth ||
	    strcmp(a->auth_pass, b->auth_pass) ||
	    vaddr_cmp(&a->group, &b->group) || a->n_vips != b->n_vips)
		return false;
	for (size_t i = 0; i < a->n_vips; i++) {
		if (!vip_equal(&a->vips[i], &b->vips[i]))
			return false;
	}
	return follow_cfg_equal(&a->follow, &b->follow);
}

/* The identity of an instance on the wire: a change of any of these is a
 * stop (priority-0 advert, VIPs released) and a fresh start. */
bool instance_cfg_needs_restart(const struct instance_cfg *a,
				const struct instance_cfg *b)
{
	return strcmp(a->ifname, b->ifname) != 0 || a->af != b->af ||
	       a->vrid != b->vrid || a->version != b->version ||
	       vaddr_cmp(&a->group, &b->group) != 0;
}
