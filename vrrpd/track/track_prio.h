/* The effective priority of an instance from the trackers it follows:
 * pure arithmetic, keepalived's rules (keepalived.conf(5), 2.2.7).
 *
 *  - weight w > 0: w is added while the tracker is OK;
 *    weight w < 0: w is added (subtracted) while it fails;
 *    reverse flips the sign of what is added.
 *  - weight 0 (or an interface tracked without a weight): a failing
 *    tracker puts the instance in FAULT; with reverse, an OK one does.
 *  - file: the value read times the weight is added (reverse: minus
 *    that); a result below -253 means FAULT; with weight 0, a non-zero
 *    value means FAULT. An unreadable file means FAULT.
 *  - the sum is added to the configured priority and clamped to 1..254;
 *    an address owner (255) stays 255 and ignores weights, so for it
 *    every failing tracker means FAULT (keepalived: "if the vrrp
 *    instance is the address owner, weight 0 must be set").
 *  - a sync group member ignores the weights of its own trackers unless
 *    the group has tracking-weight (keepalived sets them to 0 "to avoid
 *    inconsistent priorities across instances"). */
#ifndef VRRPD_TRACK_PRIO_H
#define VRRPD_TRACK_PRIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config_track.h"

#define TRACK_PRIO_OWNER 255
#define TRACK_PRIO_MAX 254      /* highest priority of a non-owner */
#define TRACK_PRIO_MIN 1
#define TRACK_FILE_FAULT_BELOW (-253)

/* One followed tracker as one follower sees it. */
struct track_input {
	enum track_type type;
	bool ok;             /* status; for a file: read and parsed */
	long value;          /* file: the integer read */
	int weight;          /* after the follower's override */
	bool weighted;       /* false: interface tracked without a weight */
	bool reverse;
	bool own;            /* the instance's own, not its sync group's */
};

struct track_prio {
	uint8_t priority;    /* configured + offset, clamped; 255 for owner */
	bool fault;          /* some tracker demands FAULT */
	long offset;         /* sum of the weights applied (before clamping) */
	size_t fault_index;  /* first input demanding FAULT, when fault */
	size_t n;            /* inputs added */
};

/* ignore_own_weights: sync group member without tracking-weight. */
void track_prio_compute(uint8_t configured, const struct track_input *in,
			size_t n, bool ignore_own_weights,
			struct track_prio *out);

/* The same one input at a time, for callers without an array. */
void track_prio_begin(struct track_prio *out);
void track_prio_add(struct track_prio *out, uint8_t configured,
		    const struct track_input *in, bool ignore_own_weights);
void track_prio_end(struct track_prio *out, uint8_t configured);

/* What one input adds to the priority (0 when it demands FAULT or when
 * weights are ignored) and whether it demands FAULT. */
long track_input_offset(const struct track_input *in, bool ignore_weight,
			bool *fault);

#endif
