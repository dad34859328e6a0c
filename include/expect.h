/* expect.h - checks a scenario's `expect` against the trace. */
#ifndef TCPSIM_EXPECT_H
#define TCPSIM_EXPECT_H

#include <stddef.h>
#include "scenario.h"
#include "trace_log.h"

struct expect_result {
	char **failures;             /* each a readable expected-versus-actual text */
	size_t n_failures;
};

/* Compares states per endpoint (the sequence: the first state event's `from`,
 * then each `to`, with a `from` inserted where it differs from the previous
 * `to`), delivered bytes (sum of data events), segments (every SEGEV_SEND, a
 * dropped one marked) and final states. Returns 0 (the result may hold
 * failures), -1 when out of memory. */
int expect_check(const struct scenario *sc, const struct trace_log *log, struct expect_result *res);
void expect_result_free(struct expect_result *res);

#endif
