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

long track_input_offset(const struct track_input *in, bool ignore_weight,
			bool *fault)
{
	long w = in->weighted ? in->weight : 0;
	long sign = in->reverse ? -1 : 1;

	*fault = false;
	if (w == 0 || ignore_weight)
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

void track_prio_begin(struct track_prio *out)
{
	out->priority = 0;
	out->fault = false;
	out->offset = 0;
	out->fault_index = 0;
	out->n = 0;
}

void track_prio_add(struct track_prio *out, uint8_t configured,
		    const struct track_input *in, bool ignore_own_weights)
{
	bool fault;
	bool ignore = configured == TRACK_PRIO_OWNER ||
		      (ignore_own_weights && in->own);
	long off = track_input_offset(in, ignore, &fault);

	if (fault && !out->fault) {
		out->fault = true;
		out->fault_index = out->n;
	}
	out->offset += off;
	out->n++;
}

void track_prio_end(struct track_prio *out, uint8_t configured)
{
	long p;

	if (configured == TRACK_PRIO_OWNER) {
		out->priority = TRACK_PRIO_OWNER;
		return;
	}
	p = (long)configured + out->offset;
	if (p > TRACK_PRIO_MAX)
		p = TRACK_PRIO_MAX;
	if (p < TRACK_PRIO_MIN)
		p = TRACK_PRIO_MIN;
	out->priority = (uint8_t)p;
}

void track_prio_compute(uint8_t configured, const struct track_input *in,
			size_t n, bool ignore_own_weights,
			struct track_prio *out)
{
	track_prio_begin(out);
	for (size_t i = 0; i < n; i++)
		track_prio_add(out, configured, &in[i], ignore_own_weights);
	track_prio_end(out, configured);
}
