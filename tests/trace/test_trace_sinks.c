/* test_trace_sinks.c - which sinks an event reaches: a sink's mask, and a
 * sink about a few endpoints (trace_sink.only), which sees their events,
 * the segments to or from them and the events of no endpoint, and makes
 * the engine build a segment event only when some sink wants it
 * (trace_wants_segment). */
#include <string.h>
#include "trace/trace.h"
#include "testing.h"

struct counts {
	int segments, states, scenarios;
};

static void count(void *ctx, const struct trace *tr, const struct trace_event *ev)
{
	struct counts *c = ctx;
	(void)tr;
	c->segments += ev->type == TRACE_SEGMENT;
	c->states += ev->type == TRACE_STATE;
	c->scenarios += ev->type == TRACE_SCENARIO;
}

static void emit_segment(struct trace *tr, int src, int dst, enum seg_event e)
{
	struct trace_event ev = { .type = TRACE_SEGMENT, .endpoint = src,
				  .u.segment = { .src = src, .dst = dst, .event = e } };
	trace_emit(tr, &ev);
}

static void emit_state(struct trace *tr, int ep)
{
	struct trace_event ev = { .type = TRACE_STATE, .endpoint = ep };
	trace_emit(tr, &ev);
}

/* A sink of endpoints 2 and 5 beside one of every endpoint's sends. */
static void test_only_some_endpoints(void)
{
	struct trace tr;
	struct counts all = { 0 }, some = { 0 };
	struct trace_sink s = { .event = count, .ctx = &some, .n_only = 2, .only = { 2, 5 } };

	trace_init(&tr);
	trace_add_sink(&tr, (struct trace_sink){ .event = count, .ctx = &all, .mask = trace_seg_bit(SEGEV_SEND) });
	trace_add_sink(&tr, s);
	emit_segment(&tr, 0, 1, SEGEV_SEND);             /* neither end: the first sink only */
	emit_segment(&tr, 2, 3, SEGEV_SEND);             /* from 2 */
	emit_segment(&tr, 4, 5, SEGEV_DELIVER);          /* to 5: the second only (mask) */
	emit_segment(&tr, -1, 1, SEGEV_SEND);            /* forged, no source: everyone's */
	emit_state(&tr, 0);
	emit_state(&tr, 5);
	struct trace_event sc = { .type = TRACE_SCENARIO, .endpoint = -1 };
	trace_emit(&tr, &sc);
	CU_ASSERT_EQUAL(all.segments, 3);
	CU_ASSERT_EQUAL(all.states, 0);
	CU_ASSERT_EQUAL(some.segments, 3);
	CU_ASSERT_EQUAL(some.states, 1);
	CU_ASSERT_EQUAL(some.scenarios, 1);
	/* a delivery between 0 and 1 has no sink; between 0 and 5 it has */
	CU_ASSERT_FALSE(trace_wants_segment(&tr, trace_seg_bit(SEGEV_DELIVER), 0, 1));
	CU_ASSERT_TRUE(trace_wants_segment(&tr, trace_seg_bit(SEGEV_DELIVER), 0, 5));
	CU_ASSERT_TRUE(trace_wants_segment(&tr, trace_seg_bit(SEGEV_SEND), 0, 1));
	CU_ASSERT_FALSE(trace_wants_segment(&tr, trace_seg_bit(SEGEV_DUPLICATE), 6, 7));
	CU_ASSERT_TRUE(trace_wants_segment(&tr, trace_seg_bit(SEGEV_DUPLICATE), 2, 3));
	trace_free(&tr);
}

TCPSIM_SUITE(trace_sinks,
	{ "a sink of some endpoints sees theirs and none other", test_only_some_endpoints })
