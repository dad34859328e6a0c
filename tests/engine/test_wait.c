/* test_wait.c - `wait: established`: a blocking application's call is made
 * once its endpoint's connection is established, as a new event of that
 * instant (after the segment that established it and the stack's answer);
 * at once when it already is or has no connection; with an error when the
 * open fails instead. Read from the trace. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check/expect.h"
#include "engine/sim.h"
#include "testing.h"
#include "yaml_fixture.h"
#include "trace/trace_log.h"

#define MS(x) ((usec_t)(x) * USEC_PER_MS)

struct run {
	struct scenario sc;
	struct trace tr;
	struct trace_log log;
};

static void run_yaml(struct run *r, const char *yaml)
{
	char err[600];
	yaml_fixture_load(yaml, &r->sc);
	trace_init(&r->tr);
	trace_log_init(&r->log, &r->tr);
	trace_add_sink(&r->tr, trace_log_sink(&r->log));
	struct sim_stats stats;
	CU_ASSERT_EQUAL_FATAL(sim_run(&r->sc, NULL, &r->tr, &stats, err, sizeof err), 0);
}

static void run_free(struct run *r)
{
	trace_log_free(&r->log);
	trace_free(&r->tr);
	scenario_free(&r->sc);
}

/* The scenario's own expectations hold for the run. */
static void assert_expectations_hold(const struct run *r)
{
	struct expect_result res;
	memset(&res, 0, sizeof res);
	CU_ASSERT_EQUAL(expect_check(&r->sc, &r->log, &res), 0);
	CU_ASSERT_EQUAL(res.n_failures, 0);
	expect_result_free(&res);
}

/* The index in the log of the i-th (from 0) call event of kind c by endpoint
 * ep, or -1. */
static long nth_call(const struct run *r, int ep, enum user_call c, int i)
{
	for (size_t k = 0; k < r->log.n; k++) {
		const struct trace_event *ev = &r->log.ev[k];
		if (ev->type == TRACE_CALL && ev->endpoint == ep && ev->u.call.call == c && i-- == 0)
			return (long)k;
	}
	return -1;
}

/* The index of the first state event of ep entering `to`, or -1. */
static long first_state(const struct run *r, int ep, enum tcp_state to)
{
	for (size_t k = 0; k < r->log.n; k++) {
		const struct trace_event *ev = &r->log.ev[k];
		if (ev->type == TRACE_STATE && ev->endpoint == ep && ev->u.state.to == to)
			return (long)k;
	}
	return -1;
}

/* The index of the first send of a segment with payload by ep, or -1. */
static long first_data_send(const struct run *r, int ep)
{
	for (size_t k = 0; k < r->log.n; k++) {
		const struct trace_event *ev = &r->log.ev[k];
		if (ev->type == TRACE_SEGMENT && ev->u.segment.event == SEGEV_SEND && ev->u.segment.src == ep &&
		    ev->u.segment.seg.len > 0)
			return (long)k;
	}
	return -1;
}

/* connect at 10 ms, send and close waiting: they are made at 110 ms, when
 * the SYN,ACK arrives, after the ACK the stack sent for it: the data and
 * the FIN follow the handshake's ACK, and the run ends as a blocking
 * client's does. */
static void test_calls_made_when_established(void)
{
	struct run r;
	run_yaml(&r, "link: { delay: 50ms }\n"
		     "endpoints: { server: { on_eof: close } }\n"
		     "timeline:\n"
		     "  - { at: 0ms, server: listen }\n"
		     "  - { at: 10ms, client: connect }\n"
		     "  - { at: 10ms, client: send, bytes: 100, wait: established }\n"
		     "  - { at: 10ms, client: close, wait: established }\n"
		     "expect:\n"
		     "  client: [CLOSED, SYN_SENT, ESTABLISHED, FIN_WAIT_1, TIME_WAIT, CLOSED]\n"
		     "  delivered: { server: 100 }\n");
	long est = first_state(&r, ROLE_CLIENT, TCPS_ESTABLISHED);
	long send = nth_call(&r, ROLE_CLIENT, CALL_SEND, 0), cl = nth_call(&r, ROLE_CLIENT, CALL_CLOSE, 0);
	CU_ASSERT_FATAL(est >= 0 && send >= 0 && cl >= 0);
	CU_ASSERT_EQUAL(r.log.ev[est].t_us, MS(110));
	CU_ASSERT_EQUAL(r.log.ev[send].t_us, MS(110));
	CU_ASSERT_EQUAL(r.log.ev[cl].t_us, MS(110));
	CU_ASSERT_PTR_NULL(r.log.ev[send].u.call.error);
	CU_ASSERT_PTR_NULL(r.log.ev[cl].u.call.error);
	CU_ASSERT(est < send && send < cl);
	/* the handshake's ACK, then the data, in that order */
	long ack = -1;
	for (long k = est; k < send; k++)
		if (r.log.ev[k].type == TRACE_SEGMENT && r.log.ev[k].u.segment.event == SEGEV_SEND &&
		    r.log.ev[k].u.segment.src == ROLE_CLIENT && r.log.ev[k].u.segment.seg.flags == TH_ACK)
			ack = k;
	CU_ASSERT(ack > est);
	long data = first_data_send(&r, ROLE_CLIENT);
	CU_ASSERT(data > send);
	CU_ASSERT_EQUAL(r.log.ev[data].t_us, MS(110));
	CU_ASSERT_EQUAL(first_state(&r, ROLE_CLIENT, TCPS_FIN_WAIT_1) > cl, true);
	assert_expectations_hold(&r);             /* the 100 bytes delivered, the states */
	run_free(&r);
}

/* Established already, or no connection at all: the call is made at `at`. */
static void test_made_at_once_otherwise(void)
{
	struct run r;
	run_yaml(&r, "link: { delay: 50ms }\n"
		     "timeline:\n"
		     "  - { at: 0ms, server: listen }\n"
		     "  - { at: 5ms, server: send, data: early, wait: established }\n"
		     "  - { at: 10ms, client: connect }\n"
		     "  - { at: 500ms, client: send, bytes: 10, wait: established }\n"
		     "  - { at: 600ms, client: abort }\n"
		     "  - { at: 700ms, client: close, wait: established }\n");
	long send = nth_call(&r, ROLE_CLIENT, CALL_SEND, 0), cl = nth_call(&r, ROLE_CLIENT, CALL_CLOSE, 0);
	CU_ASSERT_FATAL(send >= 0 && cl >= 0);
	CU_ASSERT_EQUAL(r.log.ev[send].t_us, MS(500));
	CU_ASSERT_PTR_NULL(r.log.ev[send].u.call.error);
	CU_ASSERT_EQUAL(r.log.ev[cl].t_us, MS(700));                 /* no connection: made, and fails */
	CU_ASSERT_STRING_EQUAL(r.log.ev[cl].u.call.error, "connection does not exist");
	/* the server's send waited in LISTEN for its connection: made when it
	 * was established, at 160 ms */
	long ssend = nth_call(&r, ROLE_SERVER, CALL_SEND, 0);
	CU_ASSERT_FATAL(ssend >= 0);
	CU_ASSERT_EQUAL(r.log.ev[ssend].t_us, MS(160));
	CU_ASSERT(ssend > first_state(&r, ROLE_SERVER, TCPS_ESTABLISHED));
	run_free(&r);
}

/* The open fails (nobody listens: RST): the waiting call is made when the
 * connection is gone, and fails as a blocking client's would. */
static void test_failed_open_fails_the_call(void)
{
	struct run r;
	run_yaml(&r, "link: { delay: 50ms }\n"
		     "timeline:\n"
		     "  - { at: 10ms, client: connect }\n"
		     "  - { at: 20ms, client: send, bytes: 10, wait: established }\n");
	long closed = first_state(&r, ROLE_CLIENT, TCPS_CLOSED), send = nth_call(&r, ROLE_CLIENT, CALL_SEND, 0);
	CU_ASSERT_FATAL(closed >= 0 && send >= 0);
	CU_ASSERT_EQUAL(r.log.ev[closed].t_us, MS(110));
	CU_ASSERT_EQUAL(r.log.ev[send].t_us, MS(110));
	CU_ASSERT(send > closed);
	CU_ASSERT_STRING_EQUAL(r.log.ev[send].u.call.error, "connection does not exist");
	CU_ASSERT_EQUAL(first_data_send(&r, ROLE_CLIENT), -1);
	run_free(&r);
}

/* Many clients: each client#K's waiting call is made when its own
 * connection is established, (K-1)*every apart. */
static void test_each_client_its_own(void)
{
	struct run r;
	run_yaml(&r, "link: { delay: 10ms }\n"
		     "endpoints: { client: { count: 3, every: 1ms }, server: { on_eof: close } }\n"
		     "timeline:\n"
		     "  - { at: 0ms, server: listen }\n"
		     "  - { at: 5ms, client: connect }\n"
		     "  - { at: 5ms, client: send, bytes: 10, wait: established }\n"
		     "  - { at: 5ms, client: close, wait: established }\n"
		     "expect:\n"
		     "  final: { TIME_WAIT: 3 }\n"
		     "  delivered: { server: 10 }\n");
	char name[TRACE_NAME_MAX];
	for (uint32_t k = 1; k <= 3; k++) {
		int ep = (int)(2 * k - 1);                 /* client#K */
		CU_ASSERT_STRING_EQUAL(trace_endpoint_name(&r.tr, ep, name), k == 1 ? "client#1" : k == 2 ? "client#2" : "client#3");
		long send = nth_call(&r, ep, CALL_SEND, 0), est = first_state(&r, ep, TCPS_ESTABLISHED);
		CU_ASSERT_FATAL(send >= 0 && est >= 0);
		CU_ASSERT_EQUAL(r.log.ev[send].t_us, MS(25) + MS(1) * (k - 1));
		CU_ASSERT(send > est);
		CU_ASSERT_EQUAL(nth_call(&r, ep, CALL_SEND, 1), -1);    /* made once */
	}
	assert_expectations_hold(&r);
	run_free(&r);
}

TCPSIM_SUITE(wait,
	{ "calls wait for the connection, made after its ACK", test_calls_made_when_established },
	{ "made at once when established or without a connection", test_made_at_once_otherwise },
	{ "a failed open fails the waiting call", test_failed_open_fails_the_call },
	{ "each client#K waits for its own connection", test_each_client_its_own })
