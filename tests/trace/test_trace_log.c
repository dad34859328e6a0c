/* test_trace_log.c - the in-memory trace and the relative numbers.
 *
 * Also holds the hand-built trace of the contract's simultaneous close that
 * test_ladder.c and test_expect.c use (fixture_* below). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/role.h"
#include "testing.h"
#include "trace_fixture.h"
#include "trace/trace_log.h"

#define CLIENT_IP 0x0a000001u   /* 10.0.0.1 */
#define SERVER_IP 0x0a000002u   /* 10.0.0.2 */

/* A trace with client 10.0.0.1:40000 (ISN 1000) and server 10.0.0.2:80
 * (ISN 5000), a trace_log attached. */

void fixture_init(struct trace *tr, struct trace_log *log)
{
	trace_init(tr);
	trace_add_endpoint(tr, "client", CLIENT_IP, 40000, 1000);
	trace_add_endpoint(tr, "server", SERVER_IP, 80, 5000);
	trace_log_init(log, tr);
	trace_add_sink(tr, trace_log_sink(log));
}

void fixture_free(struct trace *tr, struct trace_log *log)
{
	trace_log_free(log);
	trace_free(tr);
}

void fixture_state(struct trace *tr, usec_t t, int ep, enum tcp_state from, enum tcp_state to,
		   const char *cause)
{
	fixture_state_arc(tr, t, ep, from, to, cause, "T0");
}

void fixture_state_arc(struct trace *tr, usec_t t, int ep, enum tcp_state from, enum tcp_state to,
		       const char *cause, const char *arc)
{
	struct trace_event ev = { .type = TRACE_STATE, .t_us = t, .endpoint = ep };

	ev.u.state.from = from;
	ev.u.state.to = to;
	ev.u.state.cause = cause;
	ev.u.state.arc = arc;
	trace_emit(tr, &ev);
}

void fixture_arc(struct trace *tr, usec_t t, int ep, enum tcp_state in, const char *arc, const char *cause)
{
	struct trace_event ev = { .type = TRACE_ARC, .t_us = t, .endpoint = ep };

	ev.u.arc.state = in;
	ev.u.arc.arc = arc;
	ev.u.arc.cause = cause;
	trace_emit(tr, &ev);
}

void fixture_call(struct trace *tr, usec_t t, int ep, enum user_call call, const char *cannot)
{
	struct trace_event ev = { .type = TRACE_CALL, .t_us = t, .endpoint = ep };

	ev.u.call.call = call;
	ev.u.call.cannot = cannot;
	trace_emit(tr, &ev);
}

/* A segment event with window 65535 and, on a SYN, the MSS option 1460. */
void fixture_segment(struct trace *tr, usec_t t, int src, int dst, enum seg_event e,
		     uint8_t flags, uint32_t seq, uint32_t ack, uint32_t len)
{
	static const uint8_t payload[1500];
	struct trace_event ev = { .type = TRACE_SEGMENT, .t_us = t, .endpoint = src };
	struct segment *s = &ev.u.segment.seg;

	ev.u.segment.src = src;
	ev.u.segment.dst = dst;
	ev.u.segment.event = e;
	s->src_ip = tr->endpoints[src].ip;
	s->dst_ip = tr->endpoints[dst].ip;
	s->src_port = tr->endpoints[src].port;
	s->dst_port = tr->endpoints[dst].port;
	s->seq = seq;
	s->ack = ack;
	s->win = (flags & TH_RST) ? 0 : 65535;
	s->flags = flags;
	s->mss = (flags & TH_SYN) ? 1460 : 0;
	s->len = len;
	s->data = len ? payload : NULL;
	trace_emit(tr, &ev);
}

/* A segment sent, and (below) one delivered. */
static void sent(struct trace *tr, usec_t t, int src, int dst, uint8_t flags,
			 uint32_t seq, uint32_t ack)
{
	fixture_segment(tr, t, src, dst, SEGEV_SEND, flags, seq, ack, 0);
}

static void deliver(struct trace *tr, usec_t t, int src, int dst, uint8_t flags,
		    uint32_t seq, uint32_t ack)
{
	fixture_segment(tr, t, src, dst, SEGEV_DELIVER, flags, seq, ack, 0);
}

static void scenario_event(struct trace *tr)
{
	char name[] = "simultaneous_close";
	struct trace_event ev = { .type = TRACE_SCENARIO };

	ev.u.scenario.name = name;
	ev.u.scenario.summary = "Both applications close at once; the FINs cross.";
	ev.u.scenario.seed = 1;
	ev.u.scenario.profile = "rfc9293";
	trace_emit(tr, &ev);
	strcpy(name, "overwritten!!!!!!!");   /* the log must have its own copy */
}

/* The contract's simultaneous close: 7 segments, link delay 50ms, 2*MSL 4s. */
void fixture_simultaneous_close(struct trace *tr, struct trace_log *log)
{
	const int c = 0, s = 1;
	const uint8_t A = TH_ACK;

	fixture_init(tr, log);
	scenario_event(tr);
	fixture_state(tr, 0, s, TCPS_CLOSED, TCPS_LISTEN, "listen");
	fixture_state(tr, MS(10), c, TCPS_CLOSED, TCPS_SYN_SENT, "connect");
	sent(tr, MS(10), c, s, TH_SYN, 1000, 0);
	deliver(tr, MS(60), c, s, TH_SYN, 1000, 0);
	fixture_state(tr, MS(60), s, TCPS_LISTEN, TCPS_SYN_RECEIVED, "rcv SYN");
	sent(tr, MS(60), s, c, TH_SYN | A, 5000, 1001);
	deliver(tr, MS(110), s, c, TH_SYN | A, 5000, 1001);
	fixture_state(tr, MS(110), c, TCPS_SYN_SENT, TCPS_ESTABLISHED, "rcv SYN,ACK");
	sent(tr, MS(110), c, s, A, 1001, 5001);
	deliver(tr, MS(160), c, s, A, 1001, 5001);
	fixture_state(tr, MS(160), s, TCPS_SYN_RECEIVED, TCPS_ESTABLISHED, "rcv ACK");
	fixture_state(tr, MS(1000), c, TCPS_ESTABLISHED, TCPS_FIN_WAIT_1, "close");
	sent(tr, MS(1000), c, s, TH_FIN | A, 1001, 5001);
	fixture_state(tr, MS(1000), s, TCPS_ESTABLISHED, TCPS_FIN_WAIT_1, "close");
	sent(tr, MS(1000), s, c, TH_FIN | A, 5001, 1001);
	deliver(tr, MS(1050), c, s, TH_FIN | A, 1001, 5001);
	fixture_state(tr, MS(1050), s, TCPS_FIN_WAIT_1, TCPS_CLOSING, "rcv FIN");
	sent(tr, MS(1050), s, c, A, 5002, 1002);
	deliver(tr, MS(1050), s, c, TH_FIN | A, 5001, 1001);
	fixture_state(tr, MS(1050), c, TCPS_FIN_WAIT_1, TCPS_CLOSING, "rcv FIN");
	sent(tr, MS(1050), c, s, A, 1002, 5002);
	deliver(tr, MS(1100), s, c, A, 5002, 1002);
	fixture_state(tr, MS(1100), c, TCPS_CLOSING, TCPS_TIME_WAIT, "rcv ACK of FIN");
	deliver(tr, MS(1100), c, s, A, 1002, 5002);
	fixture_state(tr, MS(1100), s, TCPS_CLOSING, TCPS_TIME_WAIT, "rcv ACK of FIN");
	fixture_state(tr, MS(5100), c, TCPS_TIME_WAIT, TCPS_CLOSED, "timeout 2MSL");
	fixture_state(tr, MS(5100), s, TCPS_TIME_WAIT, TCPS_CLOSED, "timeout 2MSL");
}

/* Every send of the log as a full line, numbered as tcpdump would. */
static size_t sent_lines(const struct trace_log *log, char lines[][128], size_t max)
{
	struct seg_numbering nb;
	struct seg_line l;
	bool *dropped = trace_log_dropped(log);
	size_t n = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(dropped);
	CU_ASSERT_EQUAL_FATAL(seg_numbering_init(&nb, log->trace), 0);
	for (size_t k = 0; k < log->n && n < max; k++) {
		if (log->ev[k].type != TRACE_SEGMENT || log->ev[k].u.segment.event != SEGEV_SEND)
			continue;
		seg_numbering_line(&nb, log->trace, &log->ev[k], dropped[k], &l);
		seg_line_format(&l, lines[n++], 128);
	}
	seg_numbering_free(&nb);
	free(dropped);
	return n;
}

static void test_copies_events(void)
{
	/* Causes, arcs and errors are string literals (trace.h): the log keeps
	 * the pointers. Payloads are valid during the callback only: copied, the
	 * first TRACE_LOG_PAYLOAD_MAX bytes of a send's. */
	static const char cause[] = "close", error[] = "connection does not exist";
	struct trace tr;
	struct trace_log log;
	struct trace_event call = { .type = TRACE_CALL, .t_us = MS(7), .endpoint = 1 };
	uint8_t payload[100] = { 0 };

	fixture_init(&tr, &log);
	fixture_state(&tr, MS(5), 0, TCPS_ESTABLISHED, TCPS_FIN_WAIT_1, cause);
	struct trace_event seg = { .type = TRACE_SEGMENT, .t_us = MS(6), .endpoint = 0 };
	seg.u.segment.src = 0;
	seg.u.segment.dst = 1;
	seg.u.segment.event = SEGEV_SEND;
	seg.u.segment.seg.flags = TH_PSH | TH_ACK;
	seg.u.segment.seg.len = 100;
	seg.u.segment.seg.data = payload;
	trace_emit(&tr, &seg);
	call.u.call.call = CALL_SEND;
	call.u.call.error = error;
	trace_emit(&tr, &call);
	CU_ASSERT_EQUAL_FATAL(log.n, 3);
	CU_ASSERT_PTR_EQUAL(log.ev[2].u.call.error, error);
	CU_ASSERT_FALSE(log.out_of_memory);
	CU_ASSERT_EQUAL(log.ev[0].type, TRACE_STATE);
	CU_ASSERT_EQUAL(log.ev[0].t_us, MS(5));
	CU_ASSERT_PTR_EQUAL(log.ev[0].u.state.cause, cause);
	CU_ASSERT_STRING_EQUAL(log.ev[0].u.state.arc, "T0");
	CU_ASSERT_EQUAL(log.ev[1].u.segment.seg.len, 100);
	/* A sent segment keeps its payload's first bytes (the ladders' hint of
	 * what it carries), in a copy of the log's own. */
	CU_ASSERT_PTR_NOT_NULL_FATAL(log.ev[1].u.segment.seg.data);
	CU_ASSERT_PTR_NOT_EQUAL(log.ev[1].u.segment.seg.data, payload);
	CU_ASSERT_EQUAL(memcmp(log.ev[1].u.segment.seg.data, payload, TRACE_LOG_PAYLOAD_MAX), 0);
	fixture_free(&tr, &log);
}

static void test_scenario_strings_owned(void)
{
	struct trace tr;
	struct trace_log log;

	fixture_simultaneous_close(&tr, &log);
	CU_ASSERT_STRING_EQUAL(log.name, "simultaneous_close");
	CU_ASSERT_STRING_EQUAL(log.profile, "rfc9293");
	CU_ASSERT_STRING_EQUAL(log.summary, "Both applications close at once; the FINs cross.");
	CU_ASSERT_EQUAL_FATAL(log.ev[0].type, TRACE_SCENARIO);
	CU_ASSERT_STRING_EQUAL(log.ev[0].u.scenario.name, "simultaneous_close");
	fixture_free(&tr, &log);
}

static void test_simultaneous_close_lines(void)
{
	static const char *const want[] = {
		"0.010 client > server S 0:0(0) win 65535 <mss 1460>",
		"0.060 server > client S. 0:0(0) ack 1 win 65535 <mss 1460>",
		"0.110 client > server . 1:1(0) ack 1 win 65535",
		"1.000 client > server F. 1:1(0) ack 1 win 65535",
		"1.000 server > client F. 1:1(0) ack 1 win 65535",
		"1.050 server > client . 2:2(0) ack 2 win 65535",
		"1.050 client > server . 2:2(0) ack 2 win 65535",
	};
	struct trace tr;
	struct trace_log log;
	char got[16][128];
	size_t n;

	fixture_simultaneous_close(&tr, &log);
	n = sent_lines(&log, got, 16);
	CU_ASSERT_EQUAL_FATAL(n, 7);
	for (size_t i = 0; i < n; i++)
		CU_ASSERT_STRING_EQUAL(got[i], want[i]);
	fixture_free(&tr, &log);
}

static void test_data_numbers(void)
{
	struct trace tr;
	struct trace_log log;
	char got[4][128];

	fixture_init(&tr, &log);
	fixture_segment(&tr, MS(200), 0, 1, SEGEV_SEND, TH_SYN, 1000, 0, 0);
	fixture_segment(&tr, MS(300), 0, 1, SEGEV_SEND, TH_PSH | TH_ACK, 1001, 5001, 100);
	fixture_segment(&tr, MS(400), 1, 0, SEGEV_SEND, TH_ACK, 5001, 1101, 0);
	CU_ASSERT_EQUAL_FATAL(sent_lines(&log, got, 4), 3);
	CU_ASSERT_STRING_EQUAL(got[1], "0.300 client > server P. 1:101(100) ack 1 win 65535");
	CU_ASSERT_STRING_EQUAL(got[2], "0.400 server > client . 1:1(0) ack 101 win 65535");
	fixture_free(&tr, &log);
}

/* A reset from a port with no connection has SEQ 0 (RFC 9293 3.10.7.1) and
 * prints as 0, whatever the sender's ISN. */
static void test_rst_seq_zero(void)
{
	struct trace tr;
	struct trace_log log;
	char got[4][128];

	fixture_init(&tr, &log);
	fixture_segment(&tr, MS(10), 0, 1, SEGEV_SEND, TH_SYN, 1000, 0, 0);
	fixture_segment(&tr, MS(60), 1, 0, SEGEV_SEND, TH_RST | TH_ACK, 0, 1001, 0);
	fixture_segment(&tr, MS(70), 1, 0, SEGEV_SEND, TH_RST, 5001, 0, 0);
	CU_ASSERT_EQUAL_FATAL(sent_lines(&log, got, 4), 3);
	CU_ASSERT_STRING_EQUAL(got[1], "0.060 server > client R. 0:0(0) ack 1 win 0");
	CU_ASSERT_STRING_EQUAL(got[2], "0.070 server > client R 1:1(0) win 0");
	fixture_free(&tr, &log);
}

/* A new SYN (a new incarnation) moves the base; a forged one does not. */
static void test_syn_rebases_forged_does_not(void)
{
	struct trace tr;
	struct trace_log log;
	char got[4][128];

	fixture_init(&tr, &log);
	fixture_segment(&tr, MS(10), 0, 1, SEGEV_SEND, TH_SYN, 7000, 0, 0);
	fixture_segment(&tr, MS(20), 1, 0, SEGEV_SEND, TH_SYN, 9000, 0, 0);
	log.ev[log.n - 1].u.segment.forged = true;
	fixture_segment(&tr, MS(30), 1, 0, SEGEV_SEND, TH_SYN | TH_ACK, 5000, 7001, 0);
	CU_ASSERT_EQUAL_FATAL(sent_lines(&log, got, 4), 3);
	CU_ASSERT_STRING_EQUAL(got[0], "0.010 client > server S 0:0(0) win 65535 <mss 1460>");
	CU_ASSERT_STRING_EQUAL(got[1], "0.020 server > client S 4000:4000(0) win 65535 <mss 1460>");
	CU_ASSERT_STRING_EQUAL(got[2],
			       "0.030 server > client S. 0:0(0) ack 1 win 65535 <mss 1460>");
	fixture_free(&tr, &log);
}

/* The link's drop right after the send marks that send, not a later
 * retransmission of the same segment. */
static void test_dropped_send(void)
{
	struct trace tr;
	struct trace_log log;
	char got[4][128];
	bool *dropped;

	fixture_init(&tr, &log);
	fixture_segment(&tr, MS(10), 0, 1, SEGEV_SEND, TH_SYN, 1000, 0, 0);
	fixture_segment(&tr, MS(10), 0, 1, SEGEV_DROP, TH_SYN, 1000, 0, 0);
	fixture_segment(&tr, MS(1010), 0, 1, SEGEV_SEND, TH_SYN, 1000, 0, 0);
	fixture_segment(&tr, MS(1060), 0, 1, SEGEV_DELIVER, TH_SYN, 1000, 0, 0);
	dropped = trace_log_dropped(&log);
	CU_ASSERT_PTR_NOT_NULL_FATAL(dropped);
	CU_ASSERT_TRUE(dropped[0]);
	CU_ASSERT_FALSE(dropped[1]);
	CU_ASSERT_FALSE(dropped[2]);
	free(dropped);
	CU_ASSERT_EQUAL_FATAL(sent_lines(&log, got, 4), 2);
	CU_ASSERT_STRING_EQUAL(got[0], "0.010 client > server S 0:0(0) win 65535 <mss 1460> dropped");
	CU_ASSERT_STRING_EQUAL(got[1], "1.010 client > server S 0:0(0) win 65535 <mss 1460>");
	fixture_free(&tr, &log);
}

/* Endpoints added after the numbering started take their ISN as base. */
static void test_late_endpoint(void)
{
	struct trace tr;
	struct trace_log log;
	struct seg_numbering nb;
	struct seg_line l;
	char buf[128];
	int k;

	fixture_init(&tr, &log);
	CU_ASSERT_EQUAL_FATAL(seg_numbering_init(&nb, &tr), 0);
	k = trace_add_endpoint(&tr, "client#2", CLIENT_IP + 1, 40001, 3000);
	fixture_segment(&tr, MS(10), k, 1, SEGEV_SEND, TH_SYN, 3000, 0, 0);
	fixture_segment(&tr, MS(20), k, 1, SEGEV_SEND, TH_ACK, 3001, 5001, 0);
	seg_numbering_line(&nb, &tr, &log.ev[0], false, &l);
	seg_numbering_line(&nb, &tr, &log.ev[1], false, &l);
	seg_line_format(&l, buf, sizeof buf);
	CU_ASSERT_STRING_EQUAL(buf, "0.020 client#2 > server . 1:1(0) ack 1 win 65535");
	seg_numbering_free(&nb);
	fixture_free(&tr, &log);
}

/* An endpoint's role and K, from ("client", K) or from a whole name. */
static void test_endpoint_role(void)
{
	static const struct {
		const char *name;
		uint32_t instance;
		int role;
		uint32_t k;
	} cases[] = {
		{ "client", 0, ROLE_CLIENT, 0 }, { "server", 0, ROLE_SERVER, 0 },
		{ "client", 7, ROLE_CLIENT, 7 }, { "server#3", 0, ROLE_SERVER, 3 },
		{ "client#12", 0, ROLE_CLIENT, 12 }, { "client#", 0, -1, 0 }, { "client#3x", 0, -1, 0 },
		{ "clientele", 0, -1, 0 }, { "listener", 0, -1, 0 }, { "client#99999999999", 0, -1, 0 },
	};
	struct trace tr;
	trace_init(&tr);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		trace_add_instance(&tr, cases[i].name, cases[i].instance, 0, 0, 0);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		uint32_t k = 0;
		CU_ASSERT_EQUAL(trace_endpoint_role(&tr, (int)i, &k), cases[i].role);
		if (cases[i].role >= 0)
			CU_ASSERT_EQUAL(k, cases[i].k);
	}
	uint32_t k;
	CU_ASSERT_EQUAL(trace_endpoint_role(&tr, -1, &k), -1);
	CU_ASSERT_EQUAL(trace_endpoint_role(&tr, 99, &k), -1);
	trace_free(&tr);
}

TCPSIM_SUITE(trace_log,
	{ "an endpoint's role and instance", test_endpoint_role },
	{ "the log keeps events, their static strings, a send's first payload bytes", test_copies_events },
	{ "the scenario's name, summary, profile are copied", test_scenario_strings_owned },
	{ "simultaneous close: the seven segment lines", test_simultaneous_close_lines },
	{ "data: P. 1:101(100) and the ack that follows", test_data_numbers },
	{ "a reset with SEQ 0 prints seq 0", test_rst_seq_zero },
	{ "a SYN moves the base, a forged SYN does not", test_syn_rebases_forged_does_not },
	{ "a drop marks the send it follows", test_dropped_send },
	{ "an endpoint added later numbers from its ISN", test_late_endpoint })
