/* test_run_ends.c - every run ends by itself (docs/scenario-format.md, "Every
 * run ends"): the loop guard stops an ACK war at one instant, the event and
 * time bounds stop what never ends, no legitimate burst at one instant trips
 * the guard, and the linux profile damps the war as Linux does
 * (tcp_oow_rate_limited). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check/expect.h"
#include "engine/sim.h"
#include "testing.h"
#include "trace/trace_log.h"
#include "yaml_fixture.h"

#define MS(x) ((usec_t)(x) * USEC_PER_MS)
#define SEC(x) ((usec_t)(x) * USEC_PER_SEC)

/* The reproducer: a forged in-window segment, no link delay. */
#define WAR_TIMELINE \
	"timeline:\n" \
	"  - { at: 0ms, server: listen }\n" \
	"  - { at: 0ms, client: connect }\n" \
	"  - { at: 1s, inject: { from: client, flags: \"P.\", seq: 1, ack: 1, data: \"x\" } }\n"

struct run {
	struct scenario sc;
	struct trace tr;
	struct trace_log log;
	struct sim_stats stats;
};

/* Runs yaml with the log attached (and opt, may be NULL). */
static void run_yaml(struct run *r, const char *yaml, const struct sim_options *opt)
{
	char err[600];
	yaml_fixture_load(yaml, &r->sc);
	trace_init(&r->tr);
	trace_log_init(&r->log, &r->tr);
	trace_add_sink(&r->tr, trace_log_sink(&r->log));
	CU_ASSERT_EQUAL_FATAL(sim_run(&r->sc, opt, &r->tr, &r->stats, err, sizeof err), 0);
}

static void run_free(struct run *r)
{
	trace_log_free(&r->log);
	trace_free(&r->tr);
	scenario_free(&r->sc);
}

/* The zero-delay war stops at once, naming both ends, the count and the
 * instant, and saying how to show it. */
static void test_ack_war_at_one_instant(void)
{
	struct run r;
	char msg[512], a[TRACE_NAME_MAX], b[TRACE_NAME_MAX];
	run_yaml(&r, WAR_TIMELINE, NULL);
	CU_ASSERT_EQUAL(r.stats.stop, SIM_STOP_LOOP);
	CU_ASSERT(sim_stopped_early(&r.stats));
	CU_ASSERT_STRING_EQUAL(trace_endpoint_name(&r.tr, r.stats.loop_ep[0], a), "client");
	CU_ASSERT_STRING_EQUAL(trace_endpoint_name(&r.tr, r.stats.loop_ep[1], b), "server");
	CU_ASSERT_EQUAL(r.stats.loop_since, SEC(1));
	CU_ASSERT_EQUAL(r.stats.end_us, SEC(1));
	/* The guard watches an instant after 64 arrivals, then stops at 1000
	 * repeats each way (the first of each direction seeds it): 64 + 2 +
	 * 2000 arrivals at 1 s, the forged segment the first. */
	CU_ASSERT_EQUAL(r.stats.loop_segments, 64 + 2 + 2 * SIM_LOOP_SEGMENTS);
	/* Sent: the handshake, then every segment that arrived at 1 s (the
	 * run stops at the last arrival, before its answer). */
	CU_ASSERT_EQUAL(r.stats.segments_sent, 3 + r.stats.loop_segments);
	sim_stop_message(&r.sc, &r.stats, &r.tr, msg, sizeof msg);
	CU_ASSERT_PTR_NOT_NULL(strstr(msg, "stopped at 1.000 s: client and server kept answering each other with "
					   "the same segments, 2066 segments at 1.000 s without the clock advancing"));
	CU_ASSERT_PTR_NOT_NULL(strstr(msg, "link: { delay: 1ms }"));
	CU_ASSERT_PTR_NOT_NULL(strstr(msg, "until:"));
	run_free(&r);
}

/* With a delay and until, the war is shown up to until: a normal end. */
static void test_ack_war_with_delay_and_until(void)
{
	struct run r;
	run_yaml(&r, "link: { delay: 1ms }\nuntil: 1010ms\n" WAR_TIMELINE, NULL);
	CU_ASSERT_EQUAL(r.stats.stop, SIM_STOP_UNTIL);
	CU_ASSERT(r.stats.stop == SIM_STOP_UNTIL);
	CU_ASSERT_FALSE(sim_stopped_early(&r.stats));
	/* handshake 3, forged 1, one answer a millisecond from 1.001 to 1.010 s */
	CU_ASSERT_EQUAL(r.stats.segments_sent, 3 + 1 + 10);
	run_free(&r);
}

/* With a delay and no until, the event bound ends it. */
static void test_ack_war_with_delay_hits_the_event_bound(void)
{
	struct run r;
	char msg[512];
	run_yaml(&r, "link: { delay: 1ms }\n" WAR_TIMELINE, NULL);
	CU_ASSERT_EQUAL(r.stats.stop, SIM_STOP_EVENTS);
	CU_ASSERT_EQUAL(r.stats.event_bound, SIM_EVENTS_BASE);
	CU_ASSERT_EQUAL(r.stats.events, SIM_EVENTS_BASE);
	sim_stop_message(&r.sc, &r.stats, &r.tr, msg, sizeof msg);
	CU_ASSERT_PTR_NOT_NULL(strstr(msg, "after 20000 events"));
	CU_ASSERT_PTR_NOT_NULL(strstr(msg, "max_events:"));
	run_free(&r);

	/* max_events: sets the bound; the sim options (the fuzzer's) lower it. */
	run_yaml(&r, "max_events: 500\nlink: { delay: 1ms }\n" WAR_TIMELINE, NULL);
	CU_ASSERT_EQUAL(r.stats.stop, SIM_STOP_EVENTS);
	CU_ASSERT_EQUAL(r.stats.events, 500);
	run_free(&r);
	struct sim_options opt = { .max_events = 50 };
	run_yaml(&r, "max_events: 500\nlink: { delay: 1ms }\n" WAR_TIMELINE, &opt);
	CU_ASSERT_EQUAL(r.stats.events, 50);
	run_free(&r);
}

/* Without until, a run ends a day after its last timeline call. */
static void test_default_time_bound(void)
{
	static const char yaml[] =
		"tcp: { time_wait: 2880min }\n"
		"timeline:\n"
		"  - { at: 0ms, server: listen }\n"
		"  - { at: 0ms, client: connect }\n"
		"  - { at: 1s, client: close }\n"
		"  - { at: 2s, server: close }\n";
	struct run r;
	run_yaml(&r, yaml, NULL);
	CU_ASSERT_EQUAL(r.stats.stop, SIM_STOP_TIME);
	CU_ASSERT_EQUAL(r.stats.time_bound, SEC(2) + SIM_TIME_AFTER_TIMELINE);
	run_free(&r);

	/* until: longer than that runs to the end. */
	char with_until[512];
	snprintf(with_until, sizeof with_until, "until: 2890min\n%s", yaml);
	run_yaml(&r, with_until, NULL);
	CU_ASSERT_EQUAL(r.stats.stop, SIM_STOP_END);
	CU_ASSERT_EQUAL(r.stats.end_us, SEC(2) + SEC(2880 * 60));   /* the last TIME_WAIT ends */
	run_free(&r);

	/* Many clients: the last client's call counts. */
	run_yaml(&r,
		 "endpoints: { client: { count: 3, every: 1min } }\n"
		 "timeline:\n  - { at: 0ms, server: listen }\n  - { at: 5s, client: connect }\n",
		 NULL);
	CU_ASSERT_EQUAL(r.stats.time_bound, SEC(5) + SEC(120) + SIM_TIME_AFTER_TIMELINE);
	CU_ASSERT_EQUAL(r.stats.stop, SIM_STOP_END);
	run_free(&r);
}

/* 2000 clients at one instant over a zero-delay link: millions of events
 * at one instant, no loop. */
static void test_flash_crowd_at_one_instant(void)
{
	struct run r;
	run_yaml(&r,
		 "endpoints: { client: { count: 2000, every: 0 }, server: { on_eof: close } }\n"
		 "tcp: { time_wait: 1s }\n"
		 "timeline:\n"
		 "  - { at: 0ms, server: listen }\n"
		 "  - { at: 0ms, client: connect }\n"
		 "  - { at: 0ms, client: send, bytes: 100, wait: established }\n"
		 "  - { at: 0ms, client: close, wait: established }\n",
		 NULL);
	CU_ASSERT_EQUAL(r.stats.stop, SIM_STOP_END);
	CU_ASSERT_EQUAL(r.stats.segments_sent, 2000 * 8);
	run_free(&r);
}

/* A burst of identical duplicate ACKs in one direction at one instant (3000
 * one-byte segments, the first lost) is not a loop: the other direction
 * carries data, all different. */
static void test_duplicate_acks_at_one_instant(void)
{
	struct run r;
	run_yaml(&r,
		 "tcp: { mss: 1 }\n"
		 "link: { drop: [ { from: client, nth: 3 } ] }\n"
		 "timeline:\n"
		 "  - { at: 0ms, server: listen }\n"
		 "  - { at: 0ms, client: connect }\n"
		 "  - { at: 1ms, client: send, bytes: 3000 }\n",
		 NULL);
	CU_ASSERT_EQUAL(r.stats.stop, SIM_STOP_END);
	/* handshake 3, 3000 data (the first dropped), 2999 duplicate ACKs at
	 * 1 ms, then at 1.001 s the retransmission and the ACK of all. */
	CU_ASSERT_EQUAL(r.stats.segments_sent, 3 + 3000 + 2999 + 2);
	run_free(&r);
}

/* The linux profile damps the war as tcp_oow_rate_limited() does: the
 * client's challenge ACK and the server's duplicate ACK go, and the
 * client's next challenge ACK, within 500 ms of its first, does not. */
static void test_linux_damps_the_ack_war(void)
{
	struct run r;
	struct expect_result res = { 0 };
	run_yaml(&r,
		 "profile: linux\n" WAR_TIMELINE
		 "expect:\n"
		 "  segments:\n"
		 "    - \"0.000 client > server S 0:0(0)\"\n"
		 "    - \"0.000 server > client S. 0:0(0) ack 1\"\n"
		 "    - \"0.000 client > server . 1:1(0) ack 1\"\n"
		 "    - \"1.000 server > client . 1:1(0) ack 2\"\n"
		 "    - \"1.000 client > server . 1:1(0) ack 1\"\n"
		 "    - \"1.000 server > client . 1:1(0) ack 2\"\n",
		 NULL);
	CU_ASSERT_EQUAL(r.stats.stop, SIM_STOP_END);
	CU_ASSERT_EQUAL(expect_check(&r.sc, &r.log, &res), 0);
	for (size_t i = 0; i < res.n_failures; i++)
		fprintf(stderr, "\n  %s", res.failures[i]);
	CU_ASSERT_EQUAL(res.n_failures, 0);
	expect_result_free(&res);
	run_free(&r);

	/* Forged again 600 ms later: the limit has passed, each side answers once more. */
	run_yaml(&r,
		 "profile: linux\n" WAR_TIMELINE
		 "  - { at: 1600ms, inject: { from: client, flags: \"P.\", seq: 1, ack: 1, data: \"y\" } }\n",
		 NULL);
	CU_ASSERT_EQUAL(r.stats.stop, SIM_STOP_END);
	/* 3 + forged + 3, then forged + the server's dupack (seq 1 < RCV.NXT 2:
	 * data, never limited) + the client's challenge ACK + the server's
	 * dupack of that ACK (its last one was 600 ms ago). */
	CU_ASSERT_EQUAL(r.stats.segments_sent, 3 + 1 + 3 + 1 + 3);
	run_free(&r);
}

/* The event bound grows with the data the timeline sends: a 40 MB send
 * (27,398 segments and as many ACKs, more events than SIM_EVENTS_BASE) runs
 * to its end, every byte delivered. Without the allowance it stopped at
 * 20,000 events, a quarter of the way. */
static void test_event_bound_grows_with_the_data_sent(void)
{
	struct run r;
	run_yaml(&r,
		 "link: { delay: 1ms }\n"
		 "timeline:\n"
		 "  - { at: 0ms, server: listen }\n"
		 "  - { at: 0ms, client: connect }\n"
		 "  - { at: 10ms, client: send, bytes: 40000000 }\n"
		 "  - { at: 10ms, client: close }\n"
		 "expect: { delivered: { server: 40000000 } }\n",
		 NULL);
	CU_ASSERT_EQUAL(r.stats.stop, SIM_STOP_END);
	CU_ASSERT_FALSE(sim_stopped_early(&r.stats));
	struct expect_result res = { 0 };
	CU_ASSERT_EQUAL(expect_check(&r.sc, &r.log, &res), 0);
	CU_ASSERT_EQUAL(res.n_failures, 0);
	expect_result_free(&res);
	CU_ASSERT_EQUAL(r.stats.event_bound,
			SIM_EVENTS_BASE + (40000000 / 1460 + 1) * SIM_EVENTS_PER_SEGMENT);
	CU_ASSERT(r.stats.events > SIM_EVENTS_BASE);
	run_free(&r);

	/* A client's sends count once for each client. */
	run_yaml(&r,
		 "endpoints: { client: { count: 3, every: 1ms } }\n"
		 "timeline:\n"
		 "  - { at: 0ms, server: listen }\n"
		 "  - { at: 0ms, client: connect }\n"
		 "  - { at: 10ms, client: send, bytes: 2920 }\n",
		 NULL);
	CU_ASSERT_EQUAL(r.stats.event_bound,
			SIM_EVENTS_BASE + 2 * SIM_EVENTS_PER_CONNECTION + 3 * 3 * SIM_EVENTS_PER_SEGMENT);
	run_free(&r);
}

TCPSIM_SUITE(run_ends,
	{ "an ACK war at one instant stops with who, how many, since when", test_ack_war_at_one_instant },
	{ "an ACK war over a delay runs to until", test_ack_war_with_delay_and_until },
	{ "an ACK war over a delay without until hits the event bound", test_ack_war_with_delay_hits_the_event_bound },
	{ "without until a run ends a day after its last call", test_default_time_bound },
	{ "2000 clients at one instant are no loop", test_flash_crowd_at_one_instant },
	{ "duplicate ACKs at one instant are no loop", test_duplicate_acks_at_one_instant },
	{ "the linux profile damps the ACK war (tcp_oow_rate_limited)", test_linux_damps_the_ack_war },
	{ "the event bound grows with the data the timeline sends", test_event_bound_grows_with_the_data_sent })
