/* test_eventq.c - the event queue orders by time, then by scheduling order. */
#include "eventq.h"
#include "rng.h"
#include "testing.h"

static void test_time_order(void)
{
	struct eventq q;
	eventq_init(&q);
	eventq_push(&q, 30, EV_ARRIVAL, 3, 0, 0);
	eventq_push(&q, 10, EV_ARRIVAL, 1, 0, 0);
	eventq_push(&q, 20, EV_ARRIVAL, 2, 0, 0);
	struct event ev;
	CU_ASSERT_TRUE(eventq_pop(&q, &ev));
	CU_ASSERT_EQUAL(ev.a, 1);
	CU_ASSERT_TRUE(eventq_pop(&q, &ev));
	CU_ASSERT_EQUAL(ev.a, 2);
	CU_ASSERT_TRUE(eventq_pop(&q, &ev));
	CU_ASSERT_EQUAL(ev.a, 3);
	CU_ASSERT_FALSE(eventq_pop(&q, &ev));
	eventq_free(&q);
}

/* The contract's tie-break: at one instant, in the order scheduled. */
static void test_ties_in_schedule_order(void)
{
	struct eventq q;
	eventq_init(&q);
	for (uint32_t i = 0; i < 100; i++)
		eventq_push(&q, 1000, EV_ARRIVAL, i, 0, 0);
	eventq_push(&q, 999, EV_ARRIVAL, 1000, 0, 0);
	struct event ev;
	CU_ASSERT_TRUE(eventq_pop(&q, &ev));
	CU_ASSERT_EQUAL(ev.a, 1000);
	for (uint32_t i = 0; i < 100; i++) {
		CU_ASSERT_TRUE(eventq_pop(&q, &ev));
		CU_ASSERT_EQUAL(ev.a, i);
	}
	eventq_free(&q);
}

/* Many random pushes interleaved with pops come out sorted by (at, order). */
static void test_random_heap(void)
{
	struct eventq q;
	struct rng r;
	eventq_init(&q);
	rng_seed(&r, 7);
	usec_t last_at = 0;
	uint64_t last_order = 0;
	int popped = 0;
	for (int i = 0; i < 20000; i++) {
		eventq_push(&q, last_at + rng_upto(&r, 50), EV_ARRIVAL, (uint32_t)i, 0, 0);
		if (i % 3 == 0) {
			struct event ev;
			CU_ASSERT_TRUE_FATAL(eventq_pop(&q, &ev));
			CU_ASSERT_TRUE(ev.at > last_at || (ev.at == last_at && ev.order > last_order) || popped == 0);
			last_at = ev.at;
			last_order = ev.order;
			popped++;
		}
	}
	struct event ev;
	while (eventq_pop(&q, &ev)) {
		CU_ASSERT_TRUE(ev.at > last_at || (ev.at == last_at && ev.order > last_order));
		last_at = ev.at;
		last_order = ev.order;
	}
	CU_ASSERT_PTR_NULL(eventq_peek(&q));
	eventq_free(&q);
}

/* A lane and the heap merge by (at, order); a lane push earlier than the
 * lane's last event still comes out in time order. */
static void test_lanes_merge_with_heap(void)
{
	struct eventq q;
	struct event ev;
	eventq_init(&q);
	eventq_push_lane(&q, EVQ_LANE_TIME_WAIT, 50, EV_TW_EXPIRE, 1, 0, 0);
	eventq_push(&q, 50, EV_ARRIVAL, 2, 0, 0);
	eventq_push_lane(&q, EVQ_LANE_TIME_WAIT, 70, EV_TW_EXPIRE, 3, 0, 0);
	eventq_push_lane(&q, EVQ_LANE_TIME_WAIT, 60, EV_TW_EXPIRE, 4, 0, 0);   /* earlier: the heap */
	eventq_push_lane(&q, EVQ_LANE_ARRIVAL, 10, EV_ARRIVAL, 5, 0, 0);
	CU_ASSERT_EQUAL(eventq_size(&q), 5);
	static const uint32_t want[] = { 5, 1, 2, 4, 3 };
	for (int i = 0; i < 5; i++) {
		CU_ASSERT_TRUE_FATAL(eventq_pop(&q, &ev));
		CU_ASSERT_EQUAL(ev.a, want[i]);
	}
	CU_ASSERT_FALSE(eventq_pop(&q, &ev));
	eventq_free(&q);
}

/* A lane grows past its first capacity as a ring that has wrapped. */
static void test_lane_ring_grows(void)
{
	struct eventq q;
	struct event ev;
	eventq_init(&q);
	uint32_t next = 0, out = 0;
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < 300; i++, next++)
			eventq_push_lane(&q, EVQ_LANE_ARRIVAL, next, EV_ARRIVAL, next, 0, 0);
		for (int i = 0; i < 200; i++, out++) {
			CU_ASSERT_TRUE_FATAL(eventq_pop(&q, &ev));
			CU_ASSERT_EQUAL(ev.a, out);
		}
	}
	while (eventq_pop(&q, &ev))
		CU_ASSERT_EQUAL(ev.a, out++);
	CU_ASSERT_EQUAL(out, next);
	CU_ASSERT_EQUAL(q.n, 0);      /* nothing went to the heap */
	eventq_free(&q);
}

/* A timer has one queued event: setting it again moves it, cancelling
 * removes it, so the heap holds live timers only. */
static void test_timer_set_moves_cancel_removes(void)
{
	struct eventq q;
	struct event ev;
	eventq_init(&q);
	for (uint32_t t = 0; t < 100; t++)
		eventq_timer_set(&q, t, 0, 1000 + t, 1);
	for (uint32_t t = 0; t < 100; t++)
		eventq_timer_set(&q, t, 0, 5000 - t, 2);      /* moved, not added */
	CU_ASSERT_EQUAL(eventq_size(&q), 100);
	for (uint32_t t = 0; t < 100; t += 2)
		eventq_timer_cancel(&q, t, 0);
	eventq_timer_cancel(&q, 1000, 3);                  /* never set: nothing */
	CU_ASSERT_EQUAL(eventq_size(&q), 50);
	usec_t last = 0;
	for (int i = 0; i < 50; i++) {
		CU_ASSERT_TRUE_FATAL(eventq_pop(&q, &ev));
		CU_ASSERT_EQUAL(ev.kind, EV_TIMER);
		CU_ASSERT_EQUAL(ev.a % 2, 1);
		CU_ASSERT_EQUAL(ev.gen, 2);
		CU_ASSERT_EQUAL(ev.at, 5000 - ev.a);
		CU_ASSERT_TRUE(ev.at >= last);
		last = ev.at;
	}
	CU_ASSERT_FALSE(eventq_pop(&q, &ev));
	/* A fired timer can be set again. */
	eventq_timer_set(&q, 1, 0, 7000, 3);
	CU_ASSERT_TRUE(eventq_pop(&q, &ev) && ev.a == 1 && ev.gen == 3);
	eventq_free(&q);
}

/* Random timer sets and cancels against a model: the queue pops exactly the
 * live timers, in (due, last set) order. */
static void test_timers_random_against_model(void)
{
	enum { N = 64 };
	struct eventq q;
	struct rng r;
	usec_t due[N];
	bool on[N] = { false };
	eventq_init(&q);
	rng_seed(&r, 11);
	for (int step = 0; step < 20000; step++) {
		uint32_t t = (uint32_t)rng_upto(&r, N - 1);
		if (rng_upto(&r, 2) == 0) {
			eventq_timer_cancel(&q, t, 1);
			on[t] = false;
		} else {
			due[t] = 100000 + rng_upto(&r, 1000);
			on[t] = true;
			eventq_timer_set(&q, t, 1, due[t], 0);
		}
	}
	size_t live = 0;
	for (int t = 0; t < N; t++)
		live += on[t];
	CU_ASSERT_EQUAL(eventq_size(&q), live);
	struct event ev;
	usec_t last = 0;
	while (eventq_pop(&q, &ev)) {
		CU_ASSERT_TRUE(on[ev.a]);
		CU_ASSERT_EQUAL(ev.at, due[ev.a]);
		CU_ASSERT_TRUE(ev.at >= last);
		on[ev.a] = false;
		last = ev.at;
	}
	for (int t = 0; t < N; t++)
		CU_ASSERT_FALSE(on[t]);
	eventq_free(&q);
}

/* Order stamps reserved early make events pushed late run as if scheduled
 * then: ties go to the reserved stamps. */
static void test_reserved_orders(void)
{
	struct eventq q;
	struct event ev;
	eventq_init(&q);
	uint64_t first = eventq_reserve(&q, 10);
	eventq_push(&q, 100, EV_ARRIVAL, 1, 0, 0);
	eventq_push_order(&q, 100, first + 9, EV_TIMELINE, 2, 0, 0);
	CU_ASSERT_TRUE(eventq_pop(&q, &ev) && ev.a == 2);
	CU_ASSERT_TRUE(eventq_pop(&q, &ev) && ev.a == 1);
	eventq_free(&q);
}

TCPSIM_SUITE(eventq,
	{ "lanes merge with the heap by (at, order)", test_lanes_merge_with_heap },
	{ "a lane's ring grows after wrapping", test_lane_ring_grows },
	{ "a timer set again moves, cancelled is removed", test_timer_set_moves_cancel_removes },
	{ "random timer sets and cancels match a model", test_timers_random_against_model },
	{ "reserved order stamps win ties", test_reserved_orders },
	{ "pops in time order", test_time_order },
	{ "ties run in the order scheduled", test_ties_in_schedule_order },
	{ "random pushes and pops stay ordered", test_random_heap })
