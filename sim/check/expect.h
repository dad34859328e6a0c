/* expect.h - checks a scenario's `expect` against the trace. */
#ifndef TCPSIM_EXPECT_H
#define TCPSIM_EXPECT_H

#include <stdbool.h>
#include <stddef.h>
#include "trace/trace.h"
#include "scenario/scenario.h"
#include "trace/trace_log.h"

struct expect_result {
	char **failures;             /* each a readable expected-versus-actual text */
	size_t n_failures;
};

/* Compares, from the log, states per endpoint (the sequence: the first state
 * event's `from`, then each `to`, with a `from` inserted where it differs from
 * the previous `to`) and delivered bytes (sum of data events) for a run of
 * one client, and segments (every SEGEV_SEND, a dropped one marked). The
 * rest streams (expect_stream below). Returns 0 (the result may hold
 * failures), -1 when out of memory. */
int expect_check(const struct scenario *sc, const struct trace_log *log, struct expect_result *res);
void expect_result_free(struct expect_result *res);
/* Appends a failure: text (malloc'd, owned from now on), or a formatted one.
 * Return -1 when out of memory. */
int expect_result_add(struct expect_result *res, char *text);
int expect_result_addf(struct expect_result *res, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The checks that stream (expect_stream.c): expect.final for every run, and,
 * for a run of several clients, each client#K's and server#K's states and
 * delivered bytes, a few bytes per endpoint. Attach the sink before the run,
 * call finish after it; failures are appended to res. */
struct expect_stream;
/* Whether sc asks anything of the streaming checks (a run may skip them). */
bool expect_stream_needed(const struct scenario *sc);
struct expect_stream *expect_stream_new(const struct scenario *sc, const struct trace *tr);
struct trace_sink expect_stream_sink(struct expect_stream *x);
int expect_stream_finish(struct expect_stream *x, struct expect_result *res);
void expect_stream_free(struct expect_stream *x);


#endif
