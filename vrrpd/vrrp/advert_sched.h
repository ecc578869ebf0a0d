/* Where a master's adverts fall in time. Pure arithmetic, unit-tested in
 * tests/unit/test_instance.c.
 *
 * Every VRRP interval is a whole number of centiseconds. A master's advert
 * timer is put on a fixed phase of its interval, on the 10 ms grid of the
 * monotonic clock, and the exact cadence keeps it there. The adverts of
 * many instances then fall due together, a few per grid slot: one wakeup
 * and one sendmmsg() for each slot instead of a wakeup per advert, while
 * spreading instances over the slots (by creation order) keeps each burst
 * short, so the spacing each router sees stays even. Only the first
 * interval after becoming master is shortened to reach the phase, which
 * is safe: only sooner than the RFC's deadline, never later. */
#ifndef VRRPD_ADVERT_SCHED_H
#define VRRPD_ADVERT_SCHED_H

#include <stdint.h>

#define ADVERT_GRID_US 10000u
/* Instances created one after another share a slot in groups of this
 * size: a hundred instances need one wakeup per interval, a thousand
 * eight. Each wakeup costs both routers more than a few dozen adverts do:
 * at 1000 x 1 s, groups of 32 (32 wakeups a second) cost the master 0.36
 * and the backup 0.21 CPU-s/min, groups of 256 0.26 and 0.15 (the floor
 * probe, one burst per interval, 0.18 and 0.11). But a slot's instances
 * also fall due together when their master crashes: groups of 256 put 256
 * takeovers at one instant and made the last VIP of a mass crash at 100 ms
 * twice as late (8 -> 15 ms). 128 keeps a slot at the size groups of 32
 * gave at 100 ms (10 slots, 96-128 instances each). */
#define ADVERT_SLOT_SHARE 128u

/* The phase (offset within the interval) of the instance created serial-th. */
uint64_t advert_phase_us(uint64_t serial, uint64_t interval_us);
/* The last point of that phase not after when_us, moved one interval on if
 * it is not after now_us: never later than the RFC's deadline, at most one
 * interval early. */
uint64_t advert_on_phase_us(uint64_t serial, uint64_t interval_us,
			    uint64_t now_us, uint64_t when_us);

#endif
