/* replay.h - `tcpsim replay`: a scenario played on real Linux sockets in two
 * network namespaces (hosts.h), joined through the simulator's link on a real
 * clock (bridge.h), with the kernels' own state changes (kstate.h) in the
 * trace. A trace source, as the engine's run is (engine/sim.h): it fills the
 * caller's trace, whose sinks write what is to be written; nothing here
 * prints or names a file. */
#ifndef TCPSIM_REPLAY_H
#define TCPSIM_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include "scenario/scenario.h"
#include "trace/trace.h"

struct replay_stats {
	uint64_t segments_sent, segments_dropped, states;
	usec_t end_us;               /* bridge clock when the replay stopped */
	bool stopped_by_until, quiet_end;   /* ended by `until` / by the quiet period */
	bool stopped_by_limit;              /* ended by the bound of the scenario's timers
					       (replay_timers_bound), the kernel still busy */
	char cannot_follow[512];     /* the settings Linux cannot follow, "a, b, ..."; "" none */
};

/* (Whether the machine can replay, the cleanup after killed runs and the
 * signal handlers are in replay_setup.h.) */

/* Replays sc into tr, whose sinks the caller added: adds the two endpoints
 * to tr, emits the scenario event and then every event of the replay, not
 * the result (the caller's, as after sim_run). Creates and removes the hosts
 * and the tracing instance on every path. Fills *st, cannot_follow as soon
 * as it is known (a failure after it keeps it). Returns 0, or -1 with the
 * reason in err. */
int replay_run(const struct scenario *sc, struct trace *tr, struct replay_stats *st, char *err, size_t errlen);

#endif
