/* replay.h - `tcpsim replay`: a scenario played on real Linux sockets in two
 * network namespaces (hosts.h), joined through the simulator's link on a real
 * clock (bridge.h), with the kernels' own state changes (kstate.h) in the
 * trace. Nothing here prints except where an output stream is passed. */
#ifndef TCPSIM_REPLAY_H
#define TCPSIM_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "scenario.h"
#include "trace.h"

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

/* Installs SIGINT/SIGTERM handlers that remove the current run's hosts and
 * tracing instance, then _exit(130/143). */
void replay_install_signals(void);

/* Replays sc, writing DIR/BASE.kernel.trace.jsonl and DIR/BASE.kernel.pcap
 * (through temporary names), and, when out is not NULL, the line of
 * settings Linux cannot follow, the ladder and a summary on out. Creates and
 * removes the hosts and the tracing instance on every path. Returns 0, or -1
 * with the reason in err (nothing written then). */
int replay_run(const struct scenario *sc, const char *out_dir, FILE *out, struct replay_stats *st,
	       char *err, size_t errlen);

/* Adds sink to the trace of every later replay_run (after its own sinks);
 * a sink with no event function removes it. For `compare`, which reads the
 * kernel's trace: the sink's trace argument lives during the run only. */
void replay_tap(struct trace_sink sink);

#endif
