/* summary.h - a run's totals, computed from the trace as it streams by.
 *
 * The summary sink reads trace events only (no TCB, no engine): how many
 * connections, the segments and retransmissions, the bytes delivered, the
 * end states of each side, and, per connection, the time from the client's
 * `connect` to ESTABLISHED and to completion. It keeps a few bytes per
 * endpoint (never the events), so a run of a million connections can have
 * one. `run --format summary` prints it, `--format summary-json` (and `json`
 * for runs of more than one client) prints it as one JSON object, and
 * `sweep` turns it into a CSV row.
 *
 * A connection is a client endpoint ("client", or "client#K") with its
 * server side ("server", or "server#K"); in a run with many clients the
 * endpoint named plain "server" is the listener, not a connection's end. */
#ifndef TCPSIM_SUMMARY_H
#define TCPSIM_SUMMARY_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "proto/tcp_state.h"
#include "trace/trace.h"

/* Percentiles of a set of durations, in microseconds; n = 0 when the set is empty. */
struct summary_dist {
	uint64_t n;
	usec_t min, p10, p50, p90, p99, max;
	double mean;
};

struct summary_totals {
	const char *name;             /* the scenario's name (valid while the trace lives) */
	uint64_t seed;
	const char *profile;
	usec_t end_us;                /* the time of the last event */
	uint64_t connections;         /* client endpoints */
	uint64_t established;         /* connections whose client reached ESTABLISHED */
	uint64_t completed;           /* ... and then both ends reached CLOSED or TIME_WAIT */
	uint64_t reset;               /* connections that a RST ended (either end) */
	uint64_t segments_sent;       /* by the TCPs, retransmissions included, forged ones not */
	uint64_t segments_dropped, segments_duplicated, segments_forged;
	uint64_t segments_dropped_by_host;   /* of segments_dropped: discarded by the host they reached */
	uint64_t retransmissions;     /* sends of sequence space sent before */
	uint64_t bytes_delivered[2];  /* to the client side [0] and the server side [1] applications */
	uint64_t end_client[TCP_NSTATES];   /* the last state of each client endpoint */
	uint64_t end_server[TCP_NSTATES];   /* ... of each connection's server side */
	uint64_t end_connection[TCP_NSTATES];   /* per connection: see tcp_connection_state() */
	struct summary_dist establish;      /* connect -> ESTABLISHED */
	struct summary_dist complete;       /* connect -> both ends CLOSED or TIME_WAIT */
};

struct summary;

/* A summary reading tr's events. NULL when out of memory. */
struct summary *summary_new(const struct trace *tr);
void summary_free(struct summary *s);
struct trace_sink summary_sink(struct summary *s);
/* Computes the totals (percentiles included) from what the sink saw.
 * Returns 0, or -1 when out of memory. */
int summary_totals(struct summary *s, struct summary_totals *out);


/* Prints the totals for a reader (a few lines) or as one JSON object on one line. */
void summary_print_text(FILE *f, const struct summary_totals *t);
void summary_print_json(FILE *f, const struct summary_totals *t);

/* Sorts n durations in place, ascending: the first step of summary_rank(). */
void summary_sort(uint64_t *v, size_t n);
/* The nearest-rank p-th percentile (0 < p <= 100) of n > 0 sorted values:
 * the summary's percentiles, and the sweep plot's, are this one rule. */
uint64_t summary_rank(const uint64_t *v, uint64_t n, unsigned p);

#endif
