/* trace_fixture.h - hand-built traces for the tests of what reads a trace
 * (the ladder, the expectation check, the trace log). Defined in
 * tests/test_trace_log.c. Endpoint 0 is "client" (10.0.0.1:40000, ISN 1000),
 * 1 is "server" (10.0.0.2:80, ISN 5000). */
#ifndef TCPSIM_TRACE_FIXTURE_H
#define TCPSIM_TRACE_FIXTURE_H

#include "trace_log.h"

#define MS(x) ((usec_t)(x) * USEC_PER_MS)

void fixture_init(struct trace *tr, struct trace_log *log);
void fixture_free(struct trace *tr, struct trace_log *log);
void fixture_state(struct trace *tr, usec_t t, int ep, enum tcp_state from, enum tcp_state to,
		   const char *cause);
void fixture_segment(struct trace *tr, usec_t t, int src, int dst, enum seg_event e,
		     uint8_t flags, uint32_t seq, uint32_t ack, uint32_t len);
/* The contract's simultaneous close: 7 segments and every state change. */
void fixture_simultaneous_close(struct trace *tr, struct trace_log *log);

#endif
