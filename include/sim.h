/* sim.h - one run of a scenario: the event engine with its virtual clock.
 *
 * The engine turns the scenario's timeline into user calls, the link's
 * arrivals into segment processing and timer expiries into timeouts, one
 * event at a time in (time, scheduling order). Everything observable goes to
 * the trace. */
#ifndef TCPSIM_SIM_H
#define TCPSIM_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "scenario.h"
#include "trace.h"

struct sim_options {
	bool has_seed;
	uint64_t seed;               /* --seed */
	bool has_profile;
	enum profile profile;        /* --profile */
};

struct sim_stats {
	usec_t end_us;               /* the time of the last event that did something */
	uint64_t events;
	uint64_t segments_sent, segments_dropped, segments_duplicated;
	uint64_t retransmissions;
	uint64_t host_drops;         /* SYNs a full listen queue discarded */
	bool stopped_by_until;
};

/* Runs sc, emitting the scenario event first and every later event to tr
 * (whose sinks the caller attached). Does not emit the result event. Returns
 * 0, or -1 with a message in err (out of memory). */
int sim_run(const struct scenario *sc, const struct sim_options *opt, struct trace *tr,
	    struct sim_stats *stats, char *err, size_t errlen);

/* The trace endpoint indexes of connection K (1-based) of a run of sc: the
 * listener, client#K and server#K (with one client: client and server).
 * Returns how many it wrote (3, or 2 with one client), 0 when K is not a
 * connection of sc. */
int sim_connection_endpoints(const struct scenario *sc, uint32_t k, int eps[3]);

/* The profile and seed a run of sc with opt uses. */
enum profile sim_profile(const struct scenario *sc, const struct sim_options *opt);
uint64_t sim_seed(const struct scenario *sc, const struct sim_options *opt);

#endif
