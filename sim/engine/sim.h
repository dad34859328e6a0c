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
#include "scenario/scenario.h"
#include "trace/trace.h"

struct sim_options {
	bool has_seed;
	uint64_t seed;               /* --seed */
	bool has_profile;
	enum profile profile;        /* --profile */
	/* Tighter bounds than the defaults (0: the default), for the fuzzer. */
	uint64_t max_events;
	usec_t max_time;
};

/* Every run ends by itself (docs/scenario-format.md, "Every run ends"):
 *  - at `until`, or without it SIM_TIME_AFTER_TIMELINE after the last
 *    timeline call (the last client's), and never past VTIME_MAX (what a
 *    pcap timestamp holds);
 *  - after SIM_EVENTS_BASE events plus SIM_EVENTS_PER_CONNECTION for each
 *    client beyond the first, plus SIM_EVENTS_PER_SEGMENT for each full-size
 *    segment the timeline's sends make (a 100 MB send is 68,494 segments of
 *    1460 bytes, two events each without loss: the bound grows with what the
 *    scenario asks for, not with what an exchange gone wrong does);
 *    max_events: in the scenario sets it;
 *  - when two endpoints answer each other with the same segments,
 *    SIM_LOOP_SEGMENTS times each way in a row at one instant: an exchange
 *    (an ACK war) that would never let the clock advance. */
#define SIM_TIME_AFTER_TIMELINE (86400ull * USEC_PER_SEC)
#define SIM_EVENTS_BASE 20000ull
#define SIM_EVENTS_PER_CONNECTION 1000ull
#define SIM_EVENTS_PER_SEGMENT 16ull
#define SIM_LOOP_SEGMENTS 1000u

/* Why a run stopped. */
enum sim_stop {
	SIM_STOP_END,                /* no event left */
	SIM_STOP_UNTIL,              /* the scenario's until */
	SIM_STOP_TIME,               /* the default virtual-time bound */
	SIM_STOP_EVENTS,             /* the event bound */
	SIM_STOP_LOOP,               /* an exchange at one instant that never ends */
};

struct sim_stats {
	usec_t end_us;               /* the time of the last event that did something */
	uint64_t events;
	uint64_t segments_sent, segments_dropped, segments_duplicated;
	uint64_t retransmissions;
	uint64_t host_drops;         /* SYNs a full listen queue discarded */
	enum sim_stop stop;
	usec_t time_bound;           /* the bound in force (until, or the default) */
	uint64_t event_bound;
	/* SIM_STOP_LOOP: the two endpoints (trace indexes), the instant, and
	 * how many segments arrived at it. */
	int loop_ep[2];
	usec_t loop_since;
	uint64_t loop_segments;
};

/* True when the run was cut short by a bound or the loop guard: the
 * command exits 1 and prints sim_stop_message(). */
static inline bool sim_stopped_early(const struct sim_stats *s)
{
	return s->stop == SIM_STOP_TIME || s->stop == SIM_STOP_EVENTS || s->stop == SIM_STOP_LOOP;
}

/* The one-line explanation of a run stopped early, without the file name:
 * what happened (which endpoints, how many segments, since when, or which
 * bound) and how to show it (until:, a link delay, max_events:). Names come
 * from tr. */
void sim_stop_message(const struct scenario *sc, const struct sim_stats *s, const struct trace *tr, char *buf,
		      size_t len);

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
