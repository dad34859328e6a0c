/* replay.h - `tcpsim replay`: a scenario played on real Linux sockets in two
 * network namespaces (hosts.h), joined through the simulator's link on a real
 * clock (bridge.h), with the kernels' own state changes (kstate.h) in the
 * trace. Nothing here prints except where an output stream is passed. */
#ifndef TCPSIM_REPLAY_H
#define TCPSIM_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "scenario/scenario.h"
#include "trace/trace.h"

struct replay_stats {
	uint64_t segments_sent, segments_dropped, states;
	usec_t end_us;               /* bridge clock when the replay stopped */
	bool stopped_by_until, quiet_end;   /* ended by `until` / by the quiet period */
};

/* Whether this machine can replay: root, /dev/net/tun, namespaces, the
 * tracepoint. Returns true, or false with one line of reason in why. */
bool replay_available(char *why, size_t whylen);

/* Removes the namespaces and tracing instances killed runs left, naming each
 * kind's count on out. Returns the number removed, or -1 with err set. */
int replay_cleanup(FILE *out, char *err, size_t errlen);

/* Installs SIGINT/SIGTERM/SIGHUP handlers that remove the current run's
 * hosts, tracing instance and temporary files, then _exit(128 + the
 * signal). The hosts and the instance are made and removed with the signals
 * held back, so that a handler always knows of everything there is. */
void replay_install_signals(void);

/* Replays sc, writing BASE.kernel.trace.jsonl, BASE.kernel.pcap,
 * BASE.kernel.states.svg and BASE.kernel.ladder.svg into set (the caller
 * commits it: out_set.h), and, when out is not NULL, the line of settings
 * Linux cannot follow, the ladder and a summary on out. Creates and removes
 * the hosts and the tracing instance on every path. Returns 0, or -1 with the
 * reason in err (the set then holds files to drop: out_set_close). */
struct out_set;
int replay_run(const struct scenario *sc, struct out_set *set, FILE *out, struct replay_stats *st,
	       char *err, size_t errlen);

/* Adds sink to the trace of every later replay_run (after its own sinks);
 * a sink with no event function removes it. For `compare`, which reads the
 * kernel's trace: the sink's trace argument lives during the run only. */
void replay_tap(struct trace_sink sink);

#endif
