/* The deadline of a confirmed commit (NETCONF's confirmed commit, RFC 6241
 * 8.4; Junos `commit confirmed`): the change is applied at once and rolled
 * back to the configuration before it unless confirmed in time. Pure: the
 * clock is passed in, so tests drive it; candidate.c arms a loop timer at
 * confirm_deadline(). */
#ifndef VRRPD_CONFIRM_H
#define VRRPD_CONFIRM_H

#include <stdbool.h>
#include <stdint.h>

#include <json-c/json.h>

struct confirm {
	bool pending;
	uint64_t deadline_us;     /* monotonic */
	json_object *restore;     /* the configuration before the first
				   * unconfirmed commit */
	unsigned commit_no;       /* the commit waiting for confirmation */
};

/* A confirmed commit at now_us. The first one saves restore (the running
 * configuration it replaced); a second one while pending only moves the
 * deadline (RFC 6241 8.4.5.1: a follow-up confirmed commit resets the
 * timer), so a timeout still goes back to before the first. */
void confirm_arm(struct confirm *c, uint64_t now_us, uint64_t timeout_us,
		 json_object *restore, unsigned commit_no);
/* Confirmed: nothing to roll back any more. */
void confirm_clear(struct confirm *c);
bool confirm_due(const struct confirm *c, uint64_t now_us);
/* Seconds left, rounded up (0 when not pending or due). */
uint64_t confirm_left_s(const struct confirm *c, uint64_t now_us);

#endif
