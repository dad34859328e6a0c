/* test_eventq.c - the event queue orders by time, then by scheduling order. */
#include <string.h>
#include "base/eventq.h"
#include "base/rng.h"
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

/* The wheel against a model: timers set at every distance (this bucket,
 * the next ones, seconds ahead, beyond the wheel's reach), moved, cancelled,
 * mixed with plain events and pops that advance the clock; every pop is the
 * model's earliest (at, order), with its key and generation. */
static void test_timer_wheel_against_model(void)
{
	enum { KEYS = 300, PLAIN = 4096 };
	struct item { usec_t at; uint64_t order; uint32_t id; bool live; };
	static struct item timer[KEYS], plain[PLAIN];   /* plain: the live ones, packed */
	size_t n_plain = 0, live = 0;
	uint32_t next_id = 0;
	struct eventq q;
	struct rng r;
	eventq_init(&q);
	rng_seed(&r, 2024);
	memset(timer, 0, sizeof timer);
	usec_t now = 0;
	uint64_t order = 0;
	int pops = 0;
	const usec_t reach[] = { 0, 5, EVQ_WHEEL_SLOT_US, 3 * EVQ_WHEEL_SLOT_US, 200000, 4000000,
				 (usec_t)EVQ_WHEEL_SLOTS * EVQ_WHEEL_SLOT_US + 12345, 30000000 };
	for (int step = 0; step < 100000; step++) {
		uint32_t op = (uint32_t)rng_upto(&r, 9), k = (uint32_t)rng_upto(&r, KEYS - 1);
		if (op <= 3) {
			usec_t at = now + rng_upto(&r, reach[rng_upto(&r, 7)]);
			CU_ASSERT_EQUAL_FATAL(eventq_timer_set(&q, k, 2, at, (uint32_t)step), 0);
			live += !timer[k].live;
			timer[k] = (struct item){ at, order++, (uint32_t)step, true };
		} else if (op <= 5) {
			eventq_timer_cancel(&q, k, 2);
			live -= timer[k].live;
			timer[k].live = false;
		} else if (op == 6 && n_plain < PLAIN) {
			usec_t at = now + rng_upto(&r, reach[rng_upto(&r, 7)]);
			CU_ASSERT_EQUAL_FATAL(eventq_push(&q, at, EV_ARRIVAL, next_id, 0, 0), 0);
			plain[n_plain++] = (struct item){ at, order++, next_id++, true };
			live++;
		} else {
			/* the model's earliest */
			const struct item *best = NULL;
			bool best_timer = false;
			uint32_t best_i = 0;
			for (uint32_t i = 0; i < KEYS; i++)
				if (timer[i].live && (!best || timer[i].at < best->at ||
						      (timer[i].at == best->at && timer[i].order < best->order))) {
					best = &timer[i];
					best_timer = true;
					best_i = i;
				}
			for (uint32_t i = 0; i < n_plain; i++)
				if (!best || plain[i].at < best->at ||
				    (plain[i].at == best->at && plain[i].order < best->order)) {
					best = &plain[i];
					best_timer = false;
					best_i = i;
				}
			struct event ev;
			bool got = eventq_pop(&q, &ev);
			CU_ASSERT_EQUAL_FATAL(got, best != NULL);
			if (!got)
				continue;
			CU_ASSERT_EQUAL_FATAL(ev.at, best->at);
			CU_ASSERT_EQUAL_FATAL(ev.order, best->order);
			CU_ASSERT_EQUAL_FATAL(ev.kind, best_timer ? EV_TIMER : EV_ARRIVAL);
			CU_ASSERT_EQUAL_FATAL(ev.a, best_timer ? best_i : best->id);
			if (best_timer) {
				CU_ASSERT_EQUAL_FATAL(ev.gen, best->id);
				timer[best_i].live = false;
			} else {
				plain[best_i] = plain[--n_plain];
			}
			live--;
			now = ev.at;
			pops++;
		}
		CU_ASSERT_EQUAL_FATAL(eventq_size(&q), live);
	}
	CU_ASSERT(pops > 10000);
	CU_ASSERT(now > 10000000);              /* the clock went round the wheel */
	eventq_free(&q);
}

/* With only the wheel holding events, a pop finds the next timer however
 * far ahead its bucket is, and a timer set on the current bucket (due now)
 * pops before later ones. */
static void test_timer_wheel_alone(void)
{
	struct eventq q;
	struct event ev;
	eventq_init(&q);
	CU_ASSERT_EQUAL(eventq_timer_set(&q, 1, 0, 3900000, 1), 0);
	CU_ASSERT_EQUAL(eventq_timer_set(&q, 2, 0, 2000, 1), 0);
	CU_ASSERT_EQUAL(eventq_size(&q), 2);
	CU_ASSERT_TRUE(eventq_pop(&q, &ev) && ev.a == 2 && ev.at == 2000);
	CU_ASSERT_EQUAL(eventq_timer_set(&q, 3, 0, 2000, 1), 0);       /* due now */
	CU_ASSERT_EQUAL(eventq_timer_set(&q, 4, 0, 2001, 1), 0);
	CU_ASSERT_TRUE(eventq_pop(&q, &ev) && ev.a == 3);
	CU_ASSERT_TRUE(eventq_pop(&q, &ev) && ev.a == 4);
	const struct event *top = eventq_peek(&q);
	CU_ASSERT_TRUE(top && top->a == 1 && top->at == 3900000);
	CU_ASSERT_TRUE(eventq_pop(&q, &ev) && ev.a == 1 && ev.at == 3900000);
	CU_ASSERT_FALSE(eventq_pop(&q, &ev));
	CU_ASSERT_EQUAL(eventq_size(&q), 0);
	eventq_free(&q);
}

/* A lane keeps its events' kind once, and b = 0: an event of another kind
 * or with a b goes to the heap, and every event pops back whole, in order. */
static void test_lane_events_pop_whole(void)
{
	struct eventq q;
	struct event ev;
	eventq_init(&q);
	CU_ASSERT_EQUAL(eventq_push_lane(&q, 1, 10, EV_ARRIVAL, 1, 0, 7), 0);
	CU_ASSERT_EQUAL(eventq_push_lane(&q, 1, 20, EV_TW_EXPIRE, 2, 0, 8), 0);    /* another kind */
	CU_ASSERT_EQUAL(eventq_push_lane(&q, 1, 30, EV_ARRIVAL, 3, 5, 9), 0);      /* a b */
	CU_ASSERT_EQUAL(eventq_push_lane(&q, 1, 40, EV_ARRIVAL, 4, 0, 10), 0);
	CU_ASSERT_EQUAL(q.lane[1].n, 2);
	CU_ASSERT_EQUAL(q.n, 2);
	const struct event *top = eventq_peek(&q);
	CU_ASSERT_TRUE(top && top->kind == EV_ARRIVAL && top->a == 1 && top->gen == 7 && top->b == 0);
	const struct event want[] = { { 10, 0, EV_ARRIVAL, 1, 0, 7 }, { 20, 1, EV_TW_EXPIRE, 2, 0, 8 },
				      { 30, 2, EV_ARRIVAL, 3, 5, 9 }, { 40, 3, EV_ARRIVAL, 4, 0, 10 } };
	for (int i = 0; i < 4; i++) {
		CU_ASSERT_TRUE_FATAL(eventq_pop(&q, &ev));
		CU_ASSERT_EQUAL(ev.at, want[i].at);
		CU_ASSERT_EQUAL(ev.order, want[i].order);
		CU_ASSERT_EQUAL(ev.kind, want[i].kind);
		CU_ASSERT_EQUAL(ev.a, want[i].a);
		CU_ASSERT_EQUAL(ev.b, want[i].b);
		CU_ASSERT_EQUAL(ev.gen, want[i].gen);
	}
	CU_ASSERT_FALSE(eventq_pop(&q, &ev));
	/* empty again: the lane takes the other kind now */
	CU_ASSERT_EQUAL(eventq_push_lane(&q, 1, 50, EV_TW_EXPIRE, 5, 0, 1), 0);
	CU_ASSERT_EQUAL(q.lane[1].n, 1);
	CU_ASSERT_TRUE(eventq_pop(&q, &ev) && ev.kind == EV_TW_EXPIRE && ev.a == 5);
	eventq_free(&q);
}

TCPSIM_SUITE(eventq,
	{ "lane events pop whole; other kinds go to the heap", test_lane_events_pop_whole },
	{ "the timer wheel pops as a model does", test_timer_wheel_against_model },
	{ "a wheel alone finds its next timer", test_timer_wheel_alone },
	{ "lanes merge with the heap by (at, order)", test_lanes_merge_with_heap },
	{ "a lane's ring grows after wrapping", test_lane_ring_grows },
	{ "a timer set again moves, cancelled is removed", test_timer_set_moves_cancel_removes },
	{ "random timer sets and cancels match a model", test_timers_random_against_model },
	{ "reserved order stamps win ties", test_reserved_orders },
	{ "pops in time order", test_time_order },
	{ "ties run in the order scheduled", test_ties_in_schedule_order },
	{ "random pushes and pops stay ordered", test_random_heap })
