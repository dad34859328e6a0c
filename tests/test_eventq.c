/* test_eventq.c - the event queue orders by time, then by scheduling order. */
#include "eventq.h"
#include "rng.h"
#include "testing.h"

static void test_time_order(void)
{
	struct eventq q;
	eventq_init(&q);
	eventq_push(&q, 30, EV_TIMER, 3, 0, 0);
	eventq_push(&q, 10, EV_TIMER, 1, 0, 0);
	eventq_push(&q, 20, EV_TIMER, 2, 0, 0);
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
		eventq_push(&q, last_at + rng_upto(&r, 50), EV_TIMER, (uint32_t)i, 0, 0);
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

TCPSIM_SUITE(eventq,
	{ "pops in time order", test_time_order },
	{ "ties run in the order scheduled", test_ties_in_schedule_order },
	{ "random pushes and pops stay ordered", test_random_heap })
