/* Effective priority arithmetic (track_prio.h). */
#include "track_prio.h"

/* weight 0 and an unweighted tracker: no adjustment, FAULT while failing
 * (or, reversed, while OK). */
static long unweighted(const struct track_input *in, bool *fault)
{
	bool failing = in->type == TRACK_FILE ? !in->ok || in->value != 0
					      : !in->ok;

	*fault = in->reverse ? !failing : failing;
	return 0;
}

long track_input_offset(const struct track_input *in, bool as_zero,
			bool *fault)
{
	long w = in->weighted ? in->weight : 0;
	long sign = in->reverse ? -1 : 1;

	*fault = false;
	if (w == 0 || as_zero)
		return unweighted(in, fault);
	if (in->type == TRACK_FILE) {
		long r;

		/* An unreadable file reports nothing we can weigh. */
		if (!in->ok) {
			*fault = true;
			return 0;
		}
		r = in->value * w * sign;
		if (r < TRACK_FILE_FAULT_BELOW) {
			*fault = true;
			return 0;
		}
		return r;
	}
	if (w > 0)
		return in->ok ? w * sign : 0;
	return in->ok ? 0 : w * sign;
}

/* keepalived vrrp_complete_instance(): an owner's or a sync member's own
 * weighted trackers; sync_group_tracking_init(): the group's trackers
 * when a member is an owner. */
enum track_weight_use track_weight_use(const struct track_input *in,
				       const struct track_follower *f)
{
	bool owner = f->configured == TRACK_PRIO_OWNER;

	if (!in->weighted || in->weight == 0)
		return TRACK_WEIGHT_APPLY;
	if (!in->own)
		return f->group_has_owner ? TRACK_WEIGHT_ZERO
					  : TRACK_WEIGHT_APPLY;
	if (!owner && !f->sync_no_weight)
		return TRACK_WEIGHT_APPLY;
	switch (in->type) {
	case TRACK_INTERFACE:
		return f->sync_no_weight ? TRACK_WEIGHT_ZERO
					 : TRACK_WEIGHT_IGNORED;
	case TRACK_FILE:
		return in->weight == 1 ? TRACK_WEIGHT_ZERO : TRACK_WEIGHT_IGNORED;
	default:
		return TRACK_WEIGHT_IGNORED;
	}
}

const char *track_weight_use_why(const struct track_input *in,
				 const struct track_follower *f)
{
	if (!in->own)
		return "in a sync group with an address owner";
	return f->sync_no_weight
		       ? "on a member of a sync group without tracking-weight"
		       : "on an address owner";
}

void track_prio_begin(struct track_prio *out)
{
	out->priority = 0;
	out->fault = false;
	out->offset = 0;
	out->fault_index = 0;
	out->n = 0;
	out->n_ignored = 0;
}

void track_prio_add(struct track_prio *out, const struct track_follower *f,
		    const struct track_input *in)
{
	enum track_weight_use use = track_weight_use(in, f);
	bool fault;
	long off;

	if (use == TRACK_WEIGHT_IGNORED) {
		out->n_ignored++;
		out->n++;
		return;
	}
	off = track_input_offset(in, use == TRACK_WEIGHT_ZERO, &fault);
	if (fault && !out->fault) {
		out->fault = true;
		out->fault_index = out->n;
	}
	out->offset += off;
	out->n++;
}

void track_prio_end(struct track_prio *out, const struct track_follower *f)
{
	long p;

	if (f->configured == TRACK_PRIO_OWNER) {
		out->priority = TRACK_PRIO_OWNER;
		return;
	}
	p = (long)f->configured + out->offset;
	if (p > TRACK_PRIO_MAX)
		p = TRACK_PRIO_MAX;
	if (p < TRACK_PRIO_MIN)
		p = TRACK_PRIO_MIN;
	out->priority = (uint8_t)p;
}

void track_prio_compute(const struct track_follower *f,
			const struct track_input *in, size_t n,
			struct track_prio *out)
{
	track_prio_begin(out);
	for (size_t i = 0; i < n; i++)
		track_prio_add(out, f, &in[i]);
	track_prio_end(out, f);
}
