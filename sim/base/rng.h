/* rng.h - the run's one pseudo-random generator (xoshiro256**, seeded with
 * splitmix64). Every random choice of a run draws from it, in event order, so
 * a scenario and a seed give the same run on any machine. */
#ifndef TCPSIM_RNG_H
#define TCPSIM_RNG_H

#include <stdint.h>

struct rng {
	uint64_t s[4];
};

void rng_seed(struct rng *r, uint64_t seed);
uint64_t rng_next(struct rng *r);
/* A uniform double in [0, 1). */
double rng_unit(struct rng *r);
/* A uniform integer in [0, n]; 0 when n is 0. */
uint64_t rng_upto(struct rng *r, uint64_t n);

#endif
