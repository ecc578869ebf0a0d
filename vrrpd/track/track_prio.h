/* The effective priority of an instance from the trackers it follows:
 * pure arithmetic, keepalived's rules (keepalived.conf(5) 2.2.7, and
 * vrrp_complete_instance() / sync_group_tracking_init() in its vrrp.c).
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
 *    an address owner (255) stays 255.
 *  - weights that would make priorities differ where they must not are
 *    not applied (track_weight_use()): on an address owner, and on a
 *    sync group member without tracking-weight ("to avoid inconsistent
 *    priorities across instances"), a weighted tracker of the instance's
 *    own is dropped (script, process, file with a weight other than 1,
 *    interface of an owner) or turned into weight 0 (interface of a sync
 *    member; file with weight 1, keepalived's default); the group's own
 *    trackers keep their weights unless a member is an address owner,
 *    then they act as weight 0. */
#ifndef VRRPD_TRACK_PRIO_H
#define VRRPD_TRACK_PRIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config_track.h"
#include "vrrp_pkt.h"

#define TRACK_PRIO_OWNER VRRP_PRIO_OWNER
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

/* What the follower is. */
struct track_follower {
	uint8_t configured;      /* configured priority; 255: address owner */
	bool sync_no_weight;     /* sync group member, no tracking-weight */
	bool group_has_owner;    /* its sync group has an address owner */
};

enum track_weight_use {
	TRACK_WEIGHT_APPLY,      /* as configured */
	TRACK_WEIGHT_ZERO,       /* as weight 0: failing means FAULT */
	TRACK_WEIGHT_IGNORED,    /* not followed at all */
};

struct track_prio {
	uint8_t priority;    /* configured + offset, clamped; 255 for owner */
	bool fault;          /* some tracker demands FAULT */
	long offset;         /* sum of the weights applied (before clamping) */
	size_t fault_index;  /* first input demanding FAULT, when fault */
	size_t n;            /* inputs added */
	size_t n_ignored;    /* of which dropped by track_weight_use() */
};

enum track_weight_use track_weight_use(const struct track_input *in,
				       const struct track_follower *f);
const char *track_weight_use_why(const struct track_input *in,
				 const struct track_follower *f);

void track_prio_compute(const struct track_follower *f,
			const struct track_input *in, size_t n,
			struct track_prio *out);
/* The same one input at a time, for callers without an array. */
void track_prio_begin(struct track_prio *out);
void track_prio_add(struct track_prio *out, const struct track_follower *f,
		    const struct track_input *in);
void track_prio_end(struct track_prio *out, const struct track_follower *f);

/* What one input adds to the priority as weighted (0 when it demands
 * FAULT) and whether it demands FAULT. as_zero: treat it as weight 0. */
long track_input_offset(const struct track_input *in, bool as_zero,
			bool *fault);

#endif
