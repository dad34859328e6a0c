/* test_many_clients.c - count/every/backlog in the engine: names, addresses,
 * ISNs, the shifted timelines, the listen queue, TIME_WAIT records, and the
 * segments each connection exchanges, read from the trace. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check/expect.h"
#include "engine/sim.h"
#include "tcp_script.h"
#include "testing.h"
#include "yaml_fixture.h"
#include "trace/trace_log.h"

#define IP(a, b, c, d) (((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (uint32_t)(d))

/* A run of yaml, its trace kept whole. */
struct run {
	struct scenario sc;
	struct trace tr;
	struct trace_log log;
	struct sim_stats stats;
	struct expect_stream *xs;
	struct expect_result res;
};

static void run_yaml(struct run *r, const char *yaml)
{
	char err[600];
	yaml_fixture_load(yaml, &r->sc);
	trace_init(&r->tr);
	trace_log_init(&r->log, &r->tr);
	trace_add_sink(&r->tr, trace_log_sink(&r->log));
	r->xs = expect_stream_new(&r->sc, &r->tr);
	trace_add_sink(&r->tr, expect_stream_sink(r->xs));
	CU_ASSERT_EQUAL_FATAL(sim_run(&r->sc, NULL, &r->tr, &r->stats, err, sizeof err), 0);
	memset(&r->res, 0, sizeof r->res);
	CU_ASSERT_EQUAL(expect_stream_finish(r->xs, &r->res), 0);
}

static void run_free(struct run *r)
{
	expect_result_free(&r->res);
	expect_stream_free(r->xs);
	trace_log_free(&r->log);
	trace_free(&r->tr);
	scenario_free(&r->sc);
}

/* The i-th segment event of kind e (from 0), or NULL. */
static const struct trace_event *nth_segment(const struct run *r, enum seg_event e, int i)
{
	for (size_t k = 0; k < r->log.n; k++) {
		const struct trace_event *ev = &r->log.ev[k];
		if (ev->type == TRACE_SEGMENT && ev->u.segment.event == e && i-- == 0)
			return ev;
	}
	return NULL;
}

static const char *name(const struct run *r, int i, char buf[TRACE_NAME_MAX])
{
	return trace_endpoint_name(&r->tr, i, buf);
}

static const char three_clients[] =
	"link: { delay: 10ms }\n"
	"endpoints:\n"
	"  client: { ip: 10.0.0.1, count: 3, every: 1ms }\n"
	"  server: { ip: 10.0.0.2, on_eof: close }\n"
	"timeline:\n"
	"  - { at: 0ms, server: listen }\n"
	"  - { at: 5ms, client: connect }\n"
	"  - { at: 100ms, client: close }\n"
	"expect:\n"
	"  client: [CLOSED, SYN_SENT, ESTABLISHED, FIN_WAIT_1, TIME_WAIT, CLOSED]\n"
	"  server: [CLOSED, LISTEN, SYN_RECEIVED, ESTABLISHED, CLOSE_WAIT, LAST_ACK, CLOSED]\n"
	"  final: { CLOSED: 3 }\n";

/* The listener "server", then client#K and server#K; each client its own
 * address stepping over the server's, the ISNs 64000 apart. */
static void test_names_addresses_isns(void)
{
	struct run r;
	char b[TRACE_NAME_MAX];
	run_yaml(&r, three_clients);
	CU_ASSERT_EQUAL_FATAL(r.tr.n_endpoints, 7);
	CU_ASSERT_STRING_EQUAL(name(&r, 0, b), "server");
	CU_ASSERT_STRING_EQUAL(name(&r, 1, b), "client#1");
	CU_ASSERT_STRING_EQUAL(name(&r, 2, b), "server#1");
	CU_ASSERT_STRING_EQUAL(name(&r, 5, b), "client#3");
	CU_ASSERT_STRING_EQUAL(name(&r, 6, b), "server#3");
	CU_ASSERT_EQUAL(r.tr.endpoints[1].ip, IP(10, 0, 0, 1));
	CU_ASSERT_EQUAL(r.tr.endpoints[3].ip, IP(10, 0, 0, 3));   /* 10.0.0.2 is the server's */
	CU_ASSERT_EQUAL(r.tr.endpoints[5].ip, IP(10, 0, 0, 4));
	CU_ASSERT_EQUAL(r.tr.endpoints[6].ip, IP(10, 0, 0, 2));
	CU_ASSERT_EQUAL(r.tr.endpoints[3].isn, r.tr.endpoints[1].isn + 64000);
	CU_ASSERT_EQUAL(r.tr.endpoints[4].isn, r.tr.endpoints[2].isn + 64000);
	CU_ASSERT_EQUAL(r.res.n_failures, 0);
	run_free(&r);
}

/* client#K runs the timeline (K-1)*every later, and its segments go to
 * server#K, not to the listener. */
static void test_shifted_timelines_and_pairs(void)
{
	struct run r;
	char a[TRACE_NAME_MAX], b[TRACE_NAME_MAX];
	run_yaml(&r, three_clients);
	for (int k = 0; k < 3; k++) {
		const struct trace_event *syn = nth_segment(&r, SEGEV_SEND, k);
		CU_ASSERT_PTR_NOT_NULL_FATAL(syn);
		CU_ASSERT_EQUAL(syn->t_us, (usec_t)(5000 + 1000 * k));
		CU_ASSERT_EQUAL(syn->u.segment.seg.flags, TH_SYN);
		snprintf(a, sizeof a, "client#%d", k + 1);
		snprintf(b, sizeof b, "server#%d", k + 1);
		CU_ASSERT_STRING_EQUAL(trace_endpoint_name(&r.tr, syn->u.segment.src, a), a);
		CU_ASSERT_STRING_EQUAL(trace_endpoint_name(&r.tr, syn->u.segment.dst, b), b);
	}
	/* Six segments a connection: the server's FIN carries the ACK of the client's. */
	CU_ASSERT_EQUAL(r.stats.segments_sent, 3 * 6);
	run_free(&r);
}

/* Clients due at one instant run in order: client#1's SYN first. */
static void test_same_instant_in_order(void)
{
	static const char yaml[] =
		"endpoints: { client: { count: 4, every: 0ms } }\n"
		"timeline:\n"
		"  - { at: 0ms, server: listen }\n"
		"  - { at: 1ms, client: connect }\n";
	struct run r;
	run_yaml(&r, yaml);
	for (int k = 0; k < 4; k++) {
		const struct trace_event *syn = nth_segment(&r, SEGEV_SEND, k);
		CU_ASSERT_PTR_NOT_NULL_FATAL(syn);
		CU_ASSERT_EQUAL(syn->u.segment.src, 1 + 2 * k);
	}
	run_free(&r);
}

/* A backlog of 2 and 5 SYNs at once: the linux profile drops the three
 * that find the queue full ("backlog full"). Their retransmissions, a second
 * later, find two places (the first two have left SYN-RECEIVED): one more
 * drop, whose SYN gets in at the second retransmission (3 s). Every
 * connection completes. */
static void test_backlog_drops_syn(void)
{
	static const char yaml[] =
		"profile: linux\n"
		"tcp: { time_wait: 1s }\n"
		"link: { delay: 50ms }\n"
		"endpoints:\n"
		"  client: { count: 5, every: 0ms }\n"
		"  server: { backlog: 2, on_eof: close }\n"
		"timeline:\n"
		"  - { at: 0ms, server: listen }\n"
		"  - { at: 10ms, client: connect }\n"
		"  - { at: 5s, client: close }\n"
		"expect:\n"
		"  final: { CLOSED: 5 }\n";
	static const usec_t when[] = { 60000, 60000, 60000, 1060000 };
	static const int from[] = { 5, 7, 9, 9 };       /* client#3, #4, #5, #5 again */
	struct run r;
	int n = 0;
	run_yaml(&r, yaml);
	for (size_t k = 0; k < r.log.n; k++) {
		const struct trace_event *ev = &r.log.ev[k];
		if (ev->type != TRACE_SEGMENT || ev->u.segment.event != SEGEV_DROP)
			continue;
		CU_ASSERT_PTR_NOT_NULL_FATAL(ev->u.segment.reason);
		CU_ASSERT_STRING_EQUAL(ev->u.segment.reason, "backlog full");
		CU_ASSERT_EQUAL(ev->u.segment.seg.flags, TH_SYN);
		if (n < 4) {
			CU_ASSERT_EQUAL(ev->t_us, when[n]);
			CU_ASSERT_EQUAL(ev->u.segment.src, from[n]);
		}
		n++;
	}
	CU_ASSERT_EQUAL(n, 4);
	CU_ASSERT_EQUAL(r.stats.host_drops, 4);
	CU_ASSERT_EQUAL(r.stats.retransmissions, 4);
	CU_ASSERT_EQUAL(r.res.n_failures, 0);
	run_free(&r);
}

/* Without a backlog nothing is dropped by the host. */
static void test_no_backlog_no_drop(void)
{
	static const char yaml[] =
		"profile: linux\n"
		"endpoints: { client: { count: 5, every: 0ms } }\n"
		"timeline:\n"
		"  - { at: 0ms, server: listen }\n"
		"  - { at: 10ms, client: connect }\n";
	struct run r;
	run_yaml(&r, yaml);
	CU_ASSERT_EQUAL(r.stats.host_drops, 0);
	CU_ASSERT_EQUAL(r.stats.retransmissions, 0);
	run_free(&r);
}

/* TIME_WAIT ends in a record: a thousand clients in TIME_WAIT at `until`
 * keep no TCB, and expect.final counts them. */
static void test_time_wait_records(void)
{
	static const char yaml[] =
		"profile: linux\n"
		"link: { delay: 50us }\n"
		"endpoints:\n"
		"  client: { count: 1000, every: 10us }\n"
		"  server: { on_eof: close }\n"
		"timeline:\n"
		"  - { at: 0ms, server: listen }\n"
		"  - { at: 1ms, client: connect }\n"
		"  - { at: 1200us, client: send, bytes: 100 }\n"
		"  - { at: 1400us, client: close }\n"
		"until: 30s\n"
		"expect:\n"
		"  client: [CLOSED, SYN_SENT, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, TIME_WAIT]\n"
		"  delivered: { server: 100 }\n"
		"  final: { TIME_WAIT: 1000 }\n";
	struct run r;
	run_yaml(&r, yaml);
	CU_ASSERT_TRUE(r.stats.stop == SIM_STOP_UNTIL);
	CU_ASSERT_EQUAL(r.stats.segments_sent, 8000);
	CU_ASSERT_EQUAL(r.res.n_failures, 0);
	for (size_t i = 0; i < r.res.n_failures; i++)
		fprintf(stderr, "\n%s\n", r.res.failures[i]);
	run_free(&r);
}

/* The pictures' connection: sim_connection_endpoints names the listener,
 * client#K and server#K; a log kept to them holds their events only, and the
 * pair a picture shows is client#K and server#K. */
static void test_shown_connection(void)
{
	struct scenario sc;
	char err[600], a[TRACE_NAME_MAX], b[TRACE_NAME_MAX];
	int eps[3], c, v;
	yaml_fixture_load(three_clients, &sc);
	CU_ASSERT_EQUAL(sim_connection_endpoints(&sc, 0, eps), 0);
	CU_ASSERT_EQUAL(sim_connection_endpoints(&sc, 4, eps), 0);
	CU_ASSERT_EQUAL_FATAL(sim_connection_endpoints(&sc, 2, eps), 3);

	struct trace tr;
	struct trace_log log;
	struct sim_stats stats;
	trace_init(&tr);
	trace_log_init(&log, &tr);
	trace_log_keep(&log, eps, 3);
	log.shown_connection = 2;
	trace_add_sink(&tr, trace_log_sink(&log));
	CU_ASSERT_EQUAL_FATAL(sim_run(&sc, NULL, &tr, &stats, err, sizeof err), 0);
	trace_pick_pair(&tr, log.shown_connection, &c, &v);
	CU_ASSERT_STRING_EQUAL(trace_endpoint_name(&tr, c, a), "client#2");
	CU_ASSERT_STRING_EQUAL(trace_endpoint_name(&tr, v, b), "server#2");
	size_t segments = 0;
	for (size_t k = 0; k < log.n; k++) {
		const struct trace_event *ev = &log.ev[k];
		if (ev->type == TRACE_SEGMENT) {
			CU_ASSERT_TRUE(ev->u.segment.src == eps[1] || ev->u.segment.src == eps[2]);
			segments += ev->u.segment.event == SEGEV_SEND;
		} else if (ev->endpoint >= 0) {
			CU_ASSERT_TRUE(ev->endpoint == eps[0] || ev->endpoint == eps[1] || ev->endpoint == eps[2]);
		}
	}
	CU_ASSERT_EQUAL(segments, 6);                 /* one connection's */
	trace_log_free(&log);
	trace_free(&tr);
	scenario_free(&sc);
}

/* The clients' addresses are a rule (stack_add_address_block), not map
 * entries: a segment to each client's address, found without the link's
 * hint, reaches that client, whose CLOSED port answers with RST; addresses
 * outside the block, the skipped one and other ports reach nobody. */
static void check_block(uint32_t first_ip, uint32_t skip_ip)
{
	struct script s;
	script_init_on_stack(&s, PROFILE_RFC9293);
	enum { N = 5 };
	int first = (int)s.tr.n_endpoints;
	uint32_t ip = first_ip;
	for (int i = 0; i < N; i++, ip++) {
		if (ip == skip_ip)
			ip++;
		int ep = trace_add_endpoint(&s.tr, "client", ip, 5000, 1);
		CU_ASSERT_EQUAL_FATAL(stack_add_endpoint(&s.st, ep, ROLE_CLIENT, ip, 5000, 1, false, false), 0);
		/* every other endpoint, as client#K between the server#K */
		ep = trace_add_endpoint(&s.tr, "server", 0x0a000002, 80, 1);
		CU_ASSERT_EQUAL_FATAL(stack_add_endpoint(&s.st, ep, ROLE_SERVER, 0x0a000002, 80, 1, false, false), 0);
	}
	stack_add_address_block(&s.st, first_ip, N, skip_ip, 5000, first, 2);
	uint32_t last_ip = ip - 1;
	for (ip = first_ip - 1; ip <= last_ip + 1; ip++) {
		for (int port = 4999; port <= 5000; port++) {
			struct segment seg = { .src_ip = 0x0a000002, .dst_ip = ip, .src_port = 80,
					       .dst_port = (uint16_t)port, .seq = 7, .ack = 9, .flags = TH_ACK };
			int before = s.n_out;
			stack_segment_arrives(&s.st, &seg);
			bool in_block = port == 5000 && ip >= first_ip && ip <= last_ip && ip != skip_ip;
			CU_ASSERT_EQUAL(s.n_out - before, in_block ? 1 : 0);
			if (in_block && s.n_out > before) {
				int ep = s.out_ep[before];
				CU_ASSERT_EQUAL(s.tr.endpoints[ep].ip, ip);
				CU_ASSERT_EQUAL((ep - first) % 2, 0);
				CU_ASSERT_EQUAL(s.out[before].flags, TH_RST);
			}
		}
	}
	script_free(&s);
}

static void test_address_block(void)
{
	check_block(IP(10, 0, 0, 10), IP(10, 0, 0, 2));   /* the server's address below */
	check_block(IP(10, 0, 0, 2), IP(10, 0, 0, 2));    /* at the start */
	check_block(IP(10, 0, 0, 1), IP(10, 0, 0, 3));    /* in the middle */
}

TCPSIM_SUITE(many_clients,
	{ "client addresses by rule: each reaches its client", test_address_block },
	{ "the pictures' connection: client#K and server#K", test_shown_connection },
	{ "names, addresses and ISNs of client#K and server#K", test_names_addresses_isns },
	{ "timelines shifted by every, segments between the pair", test_shifted_timelines_and_pairs },
	{ "clients due at one instant run in order", test_same_instant_in_order },
	{ "a full listen queue drops the SYN (linux)", test_backlog_drops_syn },
	{ "no backlog, no host drop", test_no_backlog_no_drop },
	{ "a thousand connections in TIME_WAIT", test_time_wait_records })
