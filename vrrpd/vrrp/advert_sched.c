/* The advert phase grid; see advert_sched.h for why. */
#include "advert_sched.h"

uint64_t advert_phase_us(uint64_t serial, uint64_t interval_us)
{
	uint64_t slots = interval_us / ADVERT_GRID_US;

	return ((serial / ADVERT_SLOT_SHARE) % (slots ? slots : 1)) * ADVERT_GRID_US;
}

uint64_t advert_on_phase_us(uint64_t serial, uint64_t interval_us,
			    uint64_t now_us, uint64_t when_us)
{
	uint64_t ph = advert_phase_us(serial, interval_us);
	uint64_t t;

	if (!interval_us)
		return when_us;
	t = when_us - (when_us + interval_us - ph) % interval_us;
	if (t <= now_us)
		t += interval_us;
	return t;
}
