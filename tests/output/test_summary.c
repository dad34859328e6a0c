/* test_summary.c - the summary sink on hand-made traces: counts, exact
 * nearest-rank percentiles, retransmissions, the listener left out, the
 * connection state rule, and the two printed forms. */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scenario/scenario.h"
#include "proto/segment.h"
#include "engine/sim.h"
#include "output/summary.h"
#include "testing.h"

#define MS(x) ((usec_t)(x) * USEC_PER_MS)
#define CLIENT_ISN 1000u
#define SERVER_ISN 5000u

/* A trace with a summary attached, and the endpoints added so far. */
struct fx {
	struct trace tr;
	struct summary *s;
};

static void fx_init(struct fx *f)
{
	trace_init(&f->tr);
	f->s = summary_new(&f->tr);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f->s);
	trace_add_sink(&f->tr, summary_sink(f->s));
}

static void fx_free(struct fx *f)
{
	summary_free(f->s);
	trace_free(&f->tr);
}

static int fx_endpoint(struct fx *f, const char *name, uint32_t instance)
{
	int i = trace_add_instance(&f->tr, name, instance, 0x0a000001u + instance, (uint16_t)(40000 + instance),
				   strcmp(name, "client") == 0 ? CLIENT_ISN : SERVER_ISN);
	CU_ASSERT_FATAL(i >= 0);
	return i;
}

static void fx_scenario(struct fx *f)
{
	struct trace_event ev = { .type = TRACE_SCENARIO, .t_us = 0, .endpoint = -1 };

	ev.u.scenario.name = "fixture";
	ev.u.scenario.seed = 7;
	ev.u.scenario.profile = "rfc9293";
	trace_emit(&f->tr, &ev);
}

static void fx_call(struct fx *f, usec_t t, int ep, enum user_call call)
{
	struct trace_event ev = { .type = TRACE_CALL, .t_us = t, .endpoint = ep };

	ev.u.call.call = call;
	trace_emit(&f->tr, &ev);
}

static void fx_state(struct fx *f, usec_t t, int ep, enum tcp_state from, enum tcp_state to, const char *cause)
{
	struct trace_event ev = { .type = TRACE_STATE, .t_us = t, .endpoint = ep };

	ev.u.state.from = from;
	ev.u.state.to = to;
	ev.u.state.cause = cause;
	ev.u.state.arc = "T0";
	trace_emit(&f->tr, &ev);
}

static void fx_seg(struct fx *f, usec_t t, int src, int dst, enum seg_event e, uint8_t flags, uint32_t seq,
		   uint32_t len, bool forged)
{
	struct trace_event ev = { .type = TRACE_SEGMENT, .t_us = t, .endpoint = src };

	ev.u.segment.src = src;
	ev.u.segment.dst = dst;
	ev.u.segment.event = e;
	ev.u.segment.forged = forged;
	ev.u.segment.seg.seq = seq;
	ev.u.segment.seg.flags = flags;
	ev.u.segment.seg.len = len;
	trace_emit(&f->tr, &ev);
}

static void fx_send(struct fx *f, usec_t t, int src, int dst, uint8_t flags, uint32_t seq, uint32_t len)
{
	fx_seg(f, t, src, dst, SEGEV_SEND, flags, seq, len, false);
}

static void fx_data(struct fx *f, usec_t t, int ep, uint64_t bytes)
{
	struct trace_event ev = { .type = TRACE_DATA, .t_us = t, .endpoint = ep };

	ev.u.data.bytes = bytes;
	trace_emit(&f->tr, &ev);
}

/* A whole connection between c and s: connect at t0, the client
 * ESTABLISHED at t0 + est, the client in TIME_WAIT at t0 + cpl - 1 ms and
 * the server CLOSED at t0 + cpl (completion), the client CLOSED later. */
static void fx_connection(struct fx *f, int c, int s, usec_t t0, usec_t est, usec_t cpl)
{
	fx_call(f, t0, c, CALL_CONNECT);
	fx_state(f, t0, c, TCPS_CLOSED, TCPS_SYN_SENT, "connect");
	fx_send(f, t0, c, s, TH_SYN, CLIENT_ISN, 0);
	fx_state(f, t0 + est / 2, s, TCPS_LISTEN, TCPS_SYN_RECEIVED, "rcv SYN");
	fx_send(f, t0 + est / 2, s, c, TH_SYN | TH_ACK, SERVER_ISN, 0);
	fx_state(f, t0 + est, c, TCPS_SYN_SENT, TCPS_ESTABLISHED, "rcv SYN,ACK");
	fx_send(f, t0 + est, c, s, TH_ACK, CLIENT_ISN + 1, 0);
	fx_state(f, t0 + est + 1, s, TCPS_SYN_RECEIVED, TCPS_ESTABLISHED, "rcv ACK");
	fx_state(f, t0 + est + 2, c, TCPS_ESTABLISHED, TCPS_FIN_WAIT_1, "close");
	fx_send(f, t0 + est + 2, c, s, TH_FIN | TH_ACK, CLIENT_ISN + 1, 0);
	fx_state(f, t0 + est + 3, s, TCPS_ESTABLISHED, TCPS_CLOSE_WAIT, "rcv FIN");
	fx_state(f, t0 + est + 4, s, TCPS_CLOSE_WAIT, TCPS_LAST_ACK, "close");
	fx_send(f, t0 + est + 4, s, c, TH_FIN | TH_ACK, SERVER_ISN + 1, 0);
	fx_state(f, t0 + est + 5, c, TCPS_FIN_WAIT_1, TCPS_FIN_WAIT_2, "rcv ACK of FIN");
	fx_state(f, t0 + cpl - MS(1), c, TCPS_FIN_WAIT_2, TCPS_TIME_WAIT, "rcv FIN");
	fx_state(f, t0 + cpl, s, TCPS_LAST_ACK, TCPS_CLOSED, "rcv ACK of FIN");
	fx_state(f, t0 + cpl + MS(4000), c, TCPS_TIME_WAIT, TCPS_CLOSED, "timeout 2MSL");
}

static void totals(struct fx *f, struct summary_totals *t)
{
	CU_ASSERT_EQUAL_FATAL(summary_totals(f->s, t), 0);
}

static uint64_t sum_states(const uint64_t *v)
{
	uint64_t n = 0;

	for (int i = 0; i < TCP_NSTATES; i++)
		n += v[i];
	return n;
}

static void test_single_connection(void)
{
	struct fx f;
	struct summary_totals t;

	fx_init(&f);
	int c = fx_endpoint(&f, "client", 0), s = fx_endpoint(&f, "server", 0);
	fx_scenario(&f);
	fx_state(&f, 0, s, TCPS_CLOSED, TCPS_LISTEN, "listen");
	fx_connection(&f, c, s, MS(10), MS(100), MS(1200));
	fx_data(&f, MS(500), s, 100);
	fx_data(&f, MS(600), c, 5);
	totals(&f, &t);
	CU_ASSERT_STRING_EQUAL(t.name, "fixture");
	CU_ASSERT_EQUAL(t.seed, 7);
	CU_ASSERT_STRING_EQUAL(t.profile, "rfc9293");
	CU_ASSERT_EQUAL(t.connections, 1);
	CU_ASSERT_EQUAL(t.established, 1);
	CU_ASSERT_EQUAL(t.completed, 1);
	CU_ASSERT_EQUAL(t.reset, 0);
	CU_ASSERT_EQUAL(t.segments_sent, 5);
	CU_ASSERT_EQUAL(t.retransmissions, 0);
	CU_ASSERT_EQUAL(t.bytes_delivered[0], 5);
	CU_ASSERT_EQUAL(t.bytes_delivered[1], 100);
	CU_ASSERT_EQUAL(t.end_client[TCPS_CLOSED], 1);
	CU_ASSERT_EQUAL(t.end_server[TCPS_CLOSED], 1);
	CU_ASSERT_EQUAL(t.end_connection[TCPS_CLOSED], 1);
	CU_ASSERT_EQUAL(t.end_us, MS(10 + 1200 + 4000));
	CU_ASSERT_EQUAL(t.establish.n, 1);
	CU_ASSERT_EQUAL(t.establish.p50, MS(100));
	CU_ASSERT_EQUAL(t.complete.n, 1);
	CU_ASSERT_EQUAL(t.complete.min, MS(1200));
	CU_ASSERT_EQUAL(t.complete.max, MS(1200));
	fx_free(&f);
}

/* Twenty connections whose establish times are 1..20 ms in shuffled order:
 * nearest rank, not interpolation (p50 is 10 ms, not 10.5). */
static void test_percentiles_nearest_rank(void)
{
	static const unsigned est_ms[20] = { 7, 20, 3, 15, 1, 12, 9, 18, 5, 11, 2, 16, 8, 19, 4, 14, 6, 13, 10, 17 };
	struct fx f;
	struct summary_totals t;
	int c[20], s[20];

	fx_init(&f);
	int listener = fx_endpoint(&f, "server", 0);
	for (uint32_t k = 1; k <= 20; k++) {
		c[k - 1] = fx_endpoint(&f, "client", k);
		s[k - 1] = fx_endpoint(&f, "server", k);
	}
	fx_scenario(&f);
	fx_state(&f, 0, listener, TCPS_CLOSED, TCPS_LISTEN, "listen");
	for (int k = 0; k < 20; k++)
		fx_connection(&f, c[k], s[k], MS(100 * k), MS(est_ms[k]), MS(1000 + 10 * est_ms[k]));
	totals(&f, &t);
	CU_ASSERT_EQUAL(t.connections, 20);
	CU_ASSERT_EQUAL(t.establish.n, 20);
	CU_ASSERT_EQUAL(t.establish.min, MS(1));
	CU_ASSERT_EQUAL(t.establish.p10, MS(2));
	CU_ASSERT_EQUAL(t.establish.p50, MS(10));
	CU_ASSERT_EQUAL(t.establish.p90, MS(18));
	CU_ASSERT_EQUAL(t.establish.p99, MS(20));
	CU_ASSERT_EQUAL(t.establish.max, MS(20));
	CU_ASSERT_DOUBLE_EQUAL(t.establish.mean, 10500.0, 1e-6);
	CU_ASSERT_EQUAL(t.complete.n, 20);
	CU_ASSERT_EQUAL(t.complete.p10, MS(1020));
	CU_ASSERT_EQUAL(t.complete.p50, MS(1100));
	CU_ASSERT_EQUAL(t.complete.p90, MS(1180));
	CU_ASSERT_EQUAL(t.complete.p99, MS(1200));
	fx_free(&f);
}

/* Three values: p10 is the first (rank 1), p50 the second, p90 and p99 the third. */
static void test_percentiles_small_set(void)
{
	struct fx f;
	struct summary_totals t;

	fx_init(&f);
	int listener = fx_endpoint(&f, "server", 0);
	(void)listener;
	for (uint32_t k = 1; k <= 3; k++) {
		int c = fx_endpoint(&f, "client", k), s = fx_endpoint(&f, "server", k);
		fx_connection(&f, c, s, 0, MS(100 * (4 - k)), MS(2000));
	}
	totals(&f, &t);
	CU_ASSERT_EQUAL(t.establish.p10, MS(100));
	CU_ASSERT_EQUAL(t.establish.p50, MS(200));
	CU_ASSERT_EQUAL(t.establish.p90, MS(300));
	CU_ASSERT_EQUAL(t.establish.p99, MS(300));
	fx_free(&f);
}

/* Sequence space sent again counts; empty segments, a new SYN and forged
 * segments do not. */
static void test_retransmissions(void)
{
	struct fx f;
	struct summary_totals t;

	fx_init(&f);
	int c = fx_endpoint(&f, "client", 0), s = fx_endpoint(&f, "server", 0);
	fx_send(&f, MS(0), c, s, TH_SYN, 1000, 0);
	fx_send(&f, MS(1000), c, s, TH_SYN, 1000, 0);                  /* 1: the SYN again */
	fx_send(&f, MS(1050), s, c, TH_SYN | TH_ACK, 5000, 0);
	fx_send(&f, MS(1100), c, s, TH_ACK, 1001, 0);
	fx_send(&f, MS(1200), c, s, TH_PSH | TH_ACK, 1001, 100);
	fx_send(&f, MS(2200), c, s, TH_PSH | TH_ACK, 1001, 100);         /* 2 */
	fx_send(&f, MS(2250), c, s, TH_PSH | TH_ACK, 1101, 50);
	fx_send(&f, MS(2260), c, s, TH_ACK, 1101, 0);                    /* empty: not one */
	fx_send(&f, MS(2270), c, s, TH_RST, 9999, 0);                    /* a RST at the peer's ACK: moves nothing */
	fx_send(&f, MS(2300), c, s, TH_PSH | TH_ACK, 1051, 100);         /* 3: starts inside */
	fx_send(&f, MS(2400), s, c, TH_SYN | TH_ACK, 5000, 0);          /* 4: the SYN-ACK again */
	fx_send(&f, MS(2450), s, c, TH_ACK, 5001, 0);
	fx_send(&f, MS(2500), c, s, TH_FIN | TH_ACK, 1151, 0);
	fx_send(&f, MS(3500), c, s, TH_FIN | TH_ACK, 1151, 0);          /* 5: the FIN again */
	fx_seg(&f, MS(3600), c, s, SEGEV_SEND, TH_RST, 1000, 0, true);   /* forged */
	fx_seg(&f, MS(3700), s, c, SEGEV_SEND, TH_PSH | TH_ACK, 5001, 10, true);
	fx_send(&f, MS(9000), c, s, TH_SYN, 70000, 0);                  /* a new connection */
	fx_send(&f, MS(9100), c, s, TH_PSH | TH_ACK, 70001, 10);
	fx_send(&f, MS(9200), s, c, TH_SYN | TH_ACK, 90000, 0);          /* the server's new one */
	fx_seg(&f, MS(9300), c, s, SEGEV_DROP, TH_ACK, 70011, 0, false);
	fx_seg(&f, MS(9300), c, s, SEGEV_DUPLICATE, TH_ACK, 70011, 0, false);
	totals(&f, &t);
	CU_ASSERT_EQUAL(t.retransmissions, 5);
	CU_ASSERT_EQUAL(t.segments_sent, 17);
	CU_ASSERT_EQUAL(t.segments_forged, 2);
	CU_ASSERT_EQUAL(t.segments_dropped, 1);
	CU_ASSERT_EQUAL(t.segments_duplicated, 1);
	fx_free(&f);
}

/* Sequence numbers wrap: a segment just past 2^32 is not below one before it. */
static void test_retransmissions_across_wrap(void)
{
	struct fx f;
	struct summary_totals t;

	fx_init(&f);
	int c = fx_endpoint(&f, "client", 0), s = fx_endpoint(&f, "server", 0);
	fx_send(&f, 0, c, s, TH_SYN, 0xffffff00u, 0);
	fx_send(&f, 1, c, s, TH_ACK, 0xffffff01u, 0x100);
	fx_send(&f, 2, c, s, TH_ACK, 0x00000001u, 0x100);
	fx_send(&f, 3, c, s, TH_ACK, 0xffffff80u, 0x10);                 /* 1 */
	totals(&f, &t);
	CU_ASSERT_EQUAL(t.retransmissions, 1);
	fx_free(&f);
}

/* Many clients: the listener ("server", instance 0) is no connection's end.
 * Were it counted, end_server would hold a LISTEN and four server sides. */
static void test_listener_excluded(void)
{
	struct fx f;
	struct summary_totals t;

	fx_init(&f);
	int listener = fx_endpoint(&f, "server", 0);
	fx_scenario(&f);
	fx_state(&f, 0, listener, TCPS_CLOSED, TCPS_LISTEN, "listen");
	for (uint32_t k = 1; k <= 3; k++) {
		int c = fx_endpoint(&f, "client", k), s = fx_endpoint(&f, "server", k);
		fx_connection(&f, c, s, MS(100 * k), MS(100), MS(1000));
	}
	fx_data(&f, MS(50), listener, 7);   /* never happens; must not count as a server's */
	totals(&f, &t);
	CU_ASSERT_EQUAL(t.connections, 3);
	CU_ASSERT_EQUAL(t.end_server[TCPS_LISTEN], 0);
	CU_ASSERT_EQUAL(sum_states(t.end_server), 3);
	CU_ASSERT_EQUAL(t.end_server[TCPS_CLOSED], 3);
	CU_ASSERT_EQUAL(sum_states(t.end_client), 3);
	CU_ASSERT_EQUAL(sum_states(t.end_connection), 3);
	CU_ASSERT_EQUAL(t.end_connection[TCPS_LISTEN], 0);
	CU_ASSERT_EQUAL(t.completed, 3);
	fx_free(&f);
}

/* client#k pairs with server#k, whatever order the trace lists them in. */
static void test_pairing_by_instance(void)
{
	struct fx f;
	struct summary_totals t;

	fx_init(&f);
	fx_endpoint(&f, "server", 0);
	int s2 = fx_endpoint(&f, "server", 2), c1 = fx_endpoint(&f, "client", 1);
	int c2 = fx_endpoint(&f, "client", 2), s1 = fx_endpoint(&f, "server", 1);
	fx_connection(&f, c1, s1, 0, MS(100), MS(1000));
	/* client#2 established, its server side stuck in LAST_ACK: not complete */
	fx_call(&f, 0, c2, CALL_CONNECT);
	fx_state(&f, MS(1), c2, TCPS_CLOSED, TCPS_SYN_SENT, "connect");
	fx_state(&f, MS(2), s2, TCPS_LISTEN, TCPS_SYN_RECEIVED, "rcv SYN");
	fx_state(&f, MS(3), c2, TCPS_SYN_SENT, TCPS_ESTABLISHED, "rcv SYN,ACK");
	fx_state(&f, MS(4), s2, TCPS_SYN_RECEIVED, TCPS_LAST_ACK, "x");
	fx_state(&f, MS(5), c2, TCPS_ESTABLISHED, TCPS_TIME_WAIT, "x");
	fx_state(&f, MS(6), c2, TCPS_TIME_WAIT, TCPS_CLOSED, "timeout 2MSL");
	totals(&f, &t);
	CU_ASSERT_EQUAL(t.connections, 2);
	CU_ASSERT_EQUAL(t.established, 2);
	CU_ASSERT_EQUAL(t.completed, 1);
	CU_ASSERT_EQUAL(t.end_server[TCPS_LAST_ACK], 1);
	CU_ASSERT_EQUAL(t.end_server[TCPS_CLOSED], 1);
	CU_ASSERT_EQUAL(t.end_connection[TCPS_LAST_ACK], 1);
	CU_ASSERT_EQUAL(t.end_connection[TCPS_CLOSED], 1);
	CU_ASSERT_EQUAL(t.establish.n, 2);
	CU_ASSERT_EQUAL(t.establish.min, MS(3));
	CU_ASSERT_EQUAL(t.complete.n, 1);
	fx_free(&f);
}

static void test_connection_state_rule(void)
{
	CU_ASSERT_EQUAL(tcp_connection_state(TCPS_CLOSED, TCPS_CLOSED), TCPS_CLOSED);
	CU_ASSERT_EQUAL(tcp_connection_state(TCPS_TIME_WAIT, TCPS_CLOSED), TCPS_TIME_WAIT);
	CU_ASSERT_EQUAL(tcp_connection_state(TCPS_CLOSED, TCPS_LAST_ACK), TCPS_LAST_ACK);
	CU_ASSERT_EQUAL(tcp_connection_state(TCPS_FIN_WAIT_2, TCPS_CLOSE_WAIT), TCPS_FIN_WAIT_2);
	CU_ASSERT_EQUAL(tcp_connection_state(TCPS_SYN_SENT, TCPS_LISTEN), TCPS_SYN_SENT);
	CU_ASSERT_EQUAL(tcp_connection_state(TCPS_CLOSED, TCPS_TIME_WAIT), TCPS_TIME_WAIT);
	CU_ASSERT_EQUAL(tcp_connection_state(TCPS_CLOSED, TCPS_LISTEN), TCPS_CLOSED);   /* reset to LISTEN */
}

/* Not established: the SYN never answered; both ends CLOSED is no completion.
 * Reset: a RST took the client to CLOSED. */
static void test_failed_and_reset(void)
{
	struct fx f;
	struct summary_totals t;

	fx_init(&f);
	fx_endpoint(&f, "server", 0);
	int c1 = fx_endpoint(&f, "client", 1), s1 = fx_endpoint(&f, "server", 1);
	int c2 = fx_endpoint(&f, "client", 2), s2 = fx_endpoint(&f, "server", 2);
	(void)s1;
	fx_call(&f, 0, c1, CALL_CONNECT);
	fx_state(&f, 0, c1, TCPS_CLOSED, TCPS_SYN_SENT, "connect");
	fx_state(&f, MS(75000), c1, TCPS_SYN_SENT, TCPS_CLOSED, "timeout: SYN retries exhausted");
	fx_call(&f, 0, c2, CALL_CONNECT);
	fx_state(&f, MS(1), c2, TCPS_CLOSED, TCPS_SYN_SENT, "connect");
	fx_state(&f, MS(2), s2, TCPS_LISTEN, TCPS_SYN_RECEIVED, "rcv SYN");
	fx_state(&f, MS(3), c2, TCPS_SYN_SENT, TCPS_ESTABLISHED, "rcv SYN,ACK");
	fx_state(&f, MS(4), s2, TCPS_SYN_RECEIVED, TCPS_ESTABLISHED, "rcv ACK");
	fx_state(&f, MS(5), c2, TCPS_ESTABLISHED, TCPS_CLOSED, "rcv RST");
	totals(&f, &t);
	CU_ASSERT_EQUAL(t.connections, 2);
	CU_ASSERT_EQUAL(t.established, 1);
	CU_ASSERT_EQUAL(t.completed, 0);
	CU_ASSERT_EQUAL(t.reset, 1);
	CU_ASSERT_EQUAL(t.end_connection[TCPS_CLOSED], 1);        /* client#1 */
	CU_ASSERT_EQUAL(t.end_connection[TCPS_ESTABLISHED], 1);   /* client#2: server side ESTABLISHED */
	CU_ASSERT_EQUAL(t.establish.n, 1);
	CU_ASSERT_EQUAL(t.complete.n, 0);
	fx_free(&f);
}

/* Endpoints added after the sink's first events are taken in. */
static void test_endpoints_appear_late(void)
{
	struct fx f;
	struct summary_totals t;

	fx_init(&f);
	int listener = fx_endpoint(&f, "server", 0);
	fx_scenario(&f);
	fx_state(&f, 0, listener, TCPS_CLOSED, TCPS_LISTEN, "listen");
	for (uint32_t k = 1; k <= 100; k++) {
		int c = fx_endpoint(&f, "client", k), s = fx_endpoint(&f, "server", k);
		fx_connection(&f, c, s, MS(k), MS(50), MS(500));
	}
	totals(&f, &t);
	CU_ASSERT_EQUAL(t.connections, 100);
	CU_ASSERT_EQUAL(t.completed, 100);
	CU_ASSERT_EQUAL(t.end_connection[TCPS_CLOSED], 100);
	CU_ASSERT_EQUAL(t.complete.p99, MS(500));
	fx_free(&f);
}

/* Prints into a string (freed by the caller). */
static char *printed(void (*print)(FILE *, const struct summary_totals *), const struct summary_totals *t)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	print(m, t);
	fclose(m);
	return buf;
}

/* A drop by the host the segment reached (a reason in the trace) counts
 * among the drops, and apart: the listen queue's drops are no link loss. */
static void test_host_drops_apart(void)
{
	struct fx f;
	struct summary_totals t;

	fx_init(&f);
	int c = fx_endpoint(&f, "client", 0), s = fx_endpoint(&f, "server", 0);
	fx_scenario(&f);
	fx_send(&f, MS(10), c, s, TH_SYN, CLIENT_ISN, 0);
	fx_seg(&f, MS(10), c, s, SEGEV_DROP, TH_SYN, CLIENT_ISN, 0, false);          /* the link */
	fx_send(&f, MS(1010), c, s, TH_SYN, CLIENT_ISN, 0);
	struct trace_event ev = { .type = TRACE_SEGMENT, .t_us = MS(1060), .endpoint = c };
	ev.u.segment.src = c;
	ev.u.segment.dst = s;
	ev.u.segment.event = SEGEV_DROP;
	ev.u.segment.seg.seq = CLIENT_ISN;
	ev.u.segment.seg.flags = TH_SYN;
	ev.u.segment.reason = "backlog full";                                  /* the host */
	trace_emit(&f.tr, &ev);
	totals(&f, &t);
	CU_ASSERT_EQUAL(t.segments_dropped, 2);
	CU_ASSERT_EQUAL(t.segments_dropped_by_host, 1);
	char *json = printed(summary_print_json, &t), *text = printed(summary_print_text, &t);
	CU_ASSERT_PTR_NOT_NULL(strstr(json, "\"segments_dropped\":2,\"segments_dropped_by_host\":1,"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "2 dropped (1 by the receiving host), 0 duplicated"));
	free(json);
	free(text);
	fx_free(&f);
}

static void test_printed_forms(void)
{
	struct fx f;
	struct summary_totals t;

	fx_init(&f);
	int c = fx_endpoint(&f, "client", 0), s = fx_endpoint(&f, "server", 0);
	fx_scenario(&f);
	fx_connection(&f, c, s, MS(10), MS(100), MS(1200));
	totals(&f, &t);
	char *json = printed(summary_print_json, &t), *text = printed(summary_print_text, &t);
	CU_ASSERT_PTR_NOT_NULL(strstr(json, "{\"name\":\"fixture\",\"seed\":7,\"profile\":\"rfc9293\","));
	CU_ASSERT_PTR_NOT_NULL(strstr(json, "\"connections\":1,\"established\":1,\"completed\":1,"));
	CU_ASSERT_PTR_NOT_NULL(strstr(json, "\"end_client\":{\"CLOSED\":1}"));
	CU_ASSERT_PTR_NOT_NULL(strstr(json, "\"establish_us\":{\"n\":1,\"min\":100000,\"p10\":100000,"));
	CU_ASSERT_PTR_NOT_NULL(strstr(json, "\"complete_us\":{\"n\":1,\"min\":1200000,"));
	CU_ASSERT_EQUAL(strchr(json, '\n'), json + strlen(json) - 1);   /* one line */
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "fixture: 1 connection, 1 established, 1 completed, 0 reset"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "establish (ms) p10 100.000 p50 100.000 p90 100.000 p99 100.000 max 100.000"));
	free(json);
	free(text);
	fx_free(&f);
}

/* The TCP's own count of retransmissions (the engine's, of every segment a
 * timer sent again) equals the one the summary reads from the trace, for
 * every shipped scenario under both profiles: the two definitions cannot
 * drift apart unnoticed. They did: the SYN,ACK of a simultaneous open was
 * two retransmissions in the summary and none in run's closing line. */
static void test_retransmissions_agree_with_the_tcp(void)
{
	glob_t g;
	char err[1024];
	CU_ASSERT_EQUAL_FATAL(glob("scenarios/*.yaml", 0, NULL, &g), 0);
	CU_ASSERT_FATAL(g.gl_pathc >= 50);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		for (int p = 0; p < 2; p++) {
			struct scenario sc;
			struct sim_options opt = { .has_profile = true, .profile = p ? PROFILE_LINUX : PROFILE_RFC9293 };
			struct sim_stats stats;
			struct summary_totals t;
			struct fx f;
			CU_ASSERT_EQUAL_FATAL(scenario_load(g.gl_pathv[i], &sc, err, sizeof err), 0);
			fx_init(&f);
			CU_ASSERT_EQUAL_FATAL(sim_run(&sc, &opt, &f.tr, &stats, err, sizeof err), 0);
			CU_ASSERT_EQUAL_FATAL(summary_totals(f.s, &t), 0);
			if (t.retransmissions != stats.retransmissions)
				fprintf(stderr, "\n  %s (%s): the TCP retransmitted %llu, the trace shows %llu",
					g.gl_pathv[i], p ? "linux" : "rfc9293",
					(unsigned long long)stats.retransmissions, (unsigned long long)t.retransmissions);
			CU_ASSERT_EQUAL(t.retransmissions, stats.retransmissions);
			fx_free(&f);
			scenario_free(&sc);
		}
	}
	globfree(&g);
}

TCPSIM_SUITE(summary,
	     { "one connection: counts, bytes, end states, times", test_single_connection },
	     { "percentiles are nearest-rank", test_percentiles_nearest_rank },
	     { "percentiles of three values", test_percentiles_small_set },
	     { "retransmissions: sequence space sent again", test_retransmissions },
	     { "retransmissions across the sequence wrap", test_retransmissions_across_wrap },
	     { "the listener is no connection's end", test_listener_excluded },
	     { "client#k pairs with server#k", test_pairing_by_instance },
	     { "the connection state rule", test_connection_state_rule },
	     { "not established, reset", test_failed_and_reset },
	     { "endpoints added late", test_endpoints_appear_late },
	     { "text and JSON forms", test_printed_forms },
	     { "drops by the receiving host counted apart", test_host_drops_apart },
	     { "retransmissions: the trace's count is the TCP's", test_retransmissions_agree_with_the_tcp })
