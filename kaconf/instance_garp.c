/* The gratuitous ARP / NA and timer keywords of keepalived: the instance's
 * garp_master_* overrides, down_timer_adverts, and the global defaults
 * (vrrp_garp_master_refresh_repeat, vrrp_min_garp, vrrp_down_timer_adverts).
 * Keywords for behaviour the RFC leaves out are accepted with a warning
 * saying what vrrpd does instead. */
#include <string.h>

#include "keepalived_ir.h"

int ka_inst_garp(struct ka_ctx *cx, struct ka_instance *in, const struct ka_stmt *s)
{
	const char *kw = s->argv[0];
	struct ka_garp *g = &in->garp;

	if (!strcmp(kw, "garp_master_delay"))
		return ka_uint(cx, s, 0, 65535, &g->delay_s) < 0 ? -1 : (g->has_delay = true, 0);
	if (!strcmp(kw, "garp_master_repeat"))
		return ka_uint(cx, s, 1, 255, &g->repeat) < 0 ? -1 : (g->has_repeat = true, 0);
	if (!strcmp(kw, "garp_master_refresh"))
		return ka_uint(cx, s, 0, 65535, &g->refresh_s) < 0 ? -1 : (g->has_refresh = true, 0);
	if (!strcmp(kw, "garp_master_refresh_repeat"))
		return ka_uint(cx, s, 1, 255, &g->refresh_repeat) < 0 ? -1 :
		       (g->has_refresh_repeat = true, 0);
	if (!strcmp(kw, "down_timer_adverts"))
		return ka_uint(cx, s, 1, 100, &in->down_adverts);
	if (!strcmp(kw, "lower_prio_no_advert")) {
		bool on;
		if (ka_flag(cx, s, &on) < 0)
			return -1;
		/* RFC 5798 6.4.3: a master discards a lower-priority advert;
		 * vrrpd always does, which is what this keyword asks for */
		if (!on)
			ka_warn(cx->r, s->file, s->line,
				"keyword 'lower_prio_no_advert false': vrrpd follows RFC 5798 6.4.3 and never answers a lower-priority advert");
		return 0;
	}
	/* higher_prio_send_advert, garp_lower_prio_delay/repeat: reactions to
	 * adverts the RFC says to discard or to follow silently */
	ka_warn(cx->r, s->file, s->line,
		"keyword '%s': vrrpd follows RFC 5798 6.4.3 (no advert or gratuitous ARP in answer to another router's advert); ignored",
		kw);
	return 0;
}

int ka_global_garp(struct ka_ctx *cx, const struct ka_stmt *s, bool *handled)
{
	struct ka_global *g = &cx->cfg->g;
	const char *kw = s->argv[0];
	bool on;

	*handled = true;
	if (!strcmp(kw, "vrrp_garp_master_refresh_repeat"))
		return ka_uint(cx, s, 1, 255, &g->garp_refresh_repeat);
	if (!strcmp(kw, "vrrp_down_timer_adverts"))
		return ka_uint(cx, s, 1, 100, &g->down_adverts);
	if (!strcmp(kw, "vrrp_min_garp")) {
		if (ka_flag(cx, s, &on) < 0)
			return -1;
		/* keepalived: one message at once, no repeat 5 s later */
		if (on) {
			g->garp_delay_s = 0;
			g->garp_repeat = 1;
			g->garp_refresh_s = 0;
			g->garp_refresh_repeat = 1;
		}
		return 0;
	}
	if (!strcmp(kw, "vrrp_garp_interval") || !strcmp(kw, "vrrp_gna_interval") ||
	    !strcmp(kw, "vrrp_garp_lower_prio_delay") || !strcmp(kw, "vrrp_garp_lower_prio_repeat") ||
	    !strcmp(kw, "vrrp_higher_prio_send_advert") ||
	    !strcmp(kw, "vrrp_lower_prio_no_advert")) {
		ka_warn(cx->r, s->file, s->line, "keyword '%s': %s; ignored", kw,
			kw[5] == 'g' && (kw[10] == 'i' || kw[9] == 'i') ?
			"vrrpd sends the packets of a burst back to back" :
			"vrrpd follows RFC 5798 6.4.3 (no answer to another router's advert)");
		return 0;
	}
	*handled = false;
	return 0;
}
