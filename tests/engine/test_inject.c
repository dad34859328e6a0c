/* test_inject.c - a forged segment carries no option unless given: a forged
 * SYN without `mss` makes the server send 536-byte segments (RFC 9293
 * section 3.7.1's default), one with `mss: 1200` lets it send 1000 bytes
 * in one. The server's segments are lost on the way back, so that the
 * client's TCB, which never opened, takes no part.
 *
 * And the forged segment itself (scenario/inject.h), which the engine and
 * the replay both put on their links: its numbers, window and payload. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check/expect.h"
#include "engine/sim.h"
#include "scenario/inject.h"
#include "testing.h"
#include "trace/trace_log.h"
#include "yaml_fixture.h"

/* Runs yaml and asserts that its expect (the server's segments) holds. */
static void run_and_expect(const char *yaml)
{
	struct scenario sc;
	struct trace tr;
	struct trace_log log;
	struct sim_stats stats;
	struct expect_result res;
	char err[600];

	yaml_fixture_load(yaml, &sc);
	trace_init(&tr);
	trace_log_init(&log, &tr);
	trace_add_sink(&tr, trace_log_sink(&log));
	CU_ASSERT_EQUAL_FATAL(sim_run(&sc, NULL, &tr, &stats, err, sizeof err), 0);
	memset(&res, 0, sizeof res);
	CU_ASSERT_EQUAL(expect_check(&sc, &log, &res), 0);
	CU_ASSERT_EQUAL(res.n_failures, 0);
	for (size_t i = 0; i < res.n_failures; i++)
		fprintf(stderr, "\n  %s", res.failures[i]);
	expect_result_free(&res);
	trace_log_free(&log);
	trace_free(&tr);
	scenario_free(&sc);
}

#define FORGED_OPEN(SYN_OPTIONS)                                                        \
	"link: { server_to_client: { loss: 1 } }\n"                                     \
	"timeline:\n"                                                                   \
	"  - { at: 0ms, server: listen }\n"                                             \
	"  - { at: 10ms, inject: { from: client, flags: S, seq: 0" SYN_OPTIONS " } }\n" \
	"  - { at: 20ms, inject: { from: client, flags: ., seq: 1, ack: 1 } }\n"        \
	"  - { at: 30ms, server: send, bytes: 1000 }\n"                                 \
	"until: 100ms\n"

static void test_forged_syn_without_mss(void)
{
	run_and_expect(FORGED_OPEN("")
		       "expect:\n"
		       "  server: [CLOSED, LISTEN, SYN_RECEIVED, ESTABLISHED]\n"
		       "  segments:\n"
		       "    - \"0.010 server > client S. 0:0(0) ack 1 win 65535 <mss 1460> dropped\"\n"
		       "    - \"0.030 server > client . 1:537(536) ack 1 dropped\"\n"
		       "    - \"0.030 server > client P. 537:1001(464) ack 1 dropped\"\n");
}

static void test_forged_syn_with_mss(void)
{
	run_and_expect(FORGED_OPEN(", mss: 1200")
		       "expect:\n"
		       "  server: [CLOSED, LISTEN, SYN_RECEIVED, ESTABLISHED]\n"
		       "  segments:\n"
		       "    - \"0.010 server > client S. 0:0(0) ack 1 win 65535 <mss 1460> dropped\"\n"
		       "    - \"0.030 server > client P. 1:1001(1000) ack 1 dropped\"\n");
}

static const struct inject_ends ENDS = {
	.src_ip = 0x0a000001, .dst_ip = 0x0a000002, .src_port = 40000, .dst_port = 80,
	.src_isn = 1000, .dst_isn = 0xfffffff0u,
};

/* seq and ack count from each end's ISN (wrapping as sequence numbers do);
 * the addresses, ports, flags and MSS are the spec's and the ends'. */
static void test_segment_numbers(void)
{
	struct inject_spec in = { .from = ROLE_CLIENT, .flags = TH_ACK, .has_seq = true, .seq = 5,
				  .has_ack = true, .ack = 0x20, .mss = 1200 };
	struct segment s;
	uint8_t *pattern;

	CU_ASSERT_EQUAL_FATAL(inject_segment(&in, &ENDS, 65535, &s, &pattern), 0);
	CU_ASSERT_PTR_NULL(pattern);
	CU_ASSERT_EQUAL(s.src_ip, 0x0a000001);
	CU_ASSERT_EQUAL(s.dst_ip, 0x0a000002);
	CU_ASSERT_EQUAL(s.src_port, 40000);
	CU_ASSERT_EQUAL(s.dst_port, 80);
	CU_ASSERT_EQUAL(s.seq, 1005);
	CU_ASSERT_EQUAL(s.ack, 0x10);
	CU_ASSERT_EQUAL(s.flags, TH_ACK);
	CU_ASSERT_EQUAL(s.mss, 1200);
	CU_ASSERT_EQUAL(s.len, 0);
}

/* Without seq, SEQ is the ISN; without ack and ACK, ACK is 0; with ACK and
 * no ack, the peer's ISN. */
static void test_segment_defaults(void)
{
	struct inject_spec in = { .from = ROLE_CLIENT, .flags = TH_RST };
	struct segment s;
	uint8_t *pattern;

	CU_ASSERT_EQUAL_FATAL(inject_segment(&in, &ENDS, 65535, &s, &pattern), 0);
	CU_ASSERT_EQUAL(s.seq, 1000);
	CU_ASSERT_EQUAL(s.ack, 0);
	in.flags = TH_RST | TH_ACK;
	CU_ASSERT_EQUAL_FATAL(inject_segment(&in, &ENDS, 65535, &s, &pattern), 0);
	CU_ASSERT_EQUAL(s.ack, 0xfffffff0u);
}

/* The window given, else the endpoint's capped at 65535 (no scaling). */
static void test_segment_window(void)
{
	struct inject_spec in = { .from = ROLE_CLIENT, .flags = TH_ACK };
	struct segment s;
	uint8_t *pattern;

	CU_ASSERT_EQUAL_FATAL(inject_segment(&in, &ENDS, 1u << 20, &s, &pattern), 0);
	CU_ASSERT_EQUAL(s.win, 65535);
	CU_ASSERT_EQUAL_FATAL(inject_segment(&in, &ENDS, 4096, &s, &pattern), 0);
	CU_ASSERT_EQUAL(s.win, 4096);
	in.has_win = true;
	in.win = 0;
	CU_ASSERT_EQUAL_FATAL(inject_segment(&in, &ENDS, 4096, &s, &pattern), 0);
	CU_ASSERT_EQUAL(s.win, 0);
}

/* `len` alone: the pattern from its first byte, as many bytes as the
 * loader allows; `data`: the text, nothing allocated. */
static void test_segment_payload(void)
{
	struct inject_spec in = { .from = ROLE_SERVER, .flags = TH_ACK | TH_PSH, .len = 65495 };
	struct segment s;
	uint8_t *pattern;

	CU_ASSERT_EQUAL_FATAL(inject_segment(&in, &ENDS, 65535, &s, &pattern), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pattern);
	CU_ASSERT_PTR_EQUAL(s.data, pattern);
	CU_ASSERT_EQUAL(s.len, 65495);
	CU_ASSERT_EQUAL(memcmp(s.data, "abcdefghijklmnopqrstuvwxyzab", 28), 0);
	CU_ASSERT_EQUAL(s.data[65494], 'a' + 65494 % 26);
	free(pattern);
	char text[] = "hello";
	in.data = text;
	in.len = 5;
	CU_ASSERT_EQUAL_FATAL(inject_segment(&in, &ENDS, 65535, &s, &pattern), 0);
	CU_ASSERT_PTR_NULL(pattern);
	CU_ASSERT_PTR_EQUAL(s.data, (const uint8_t *)text);
	CU_ASSERT_EQUAL(s.len, 5);
}

TCPSIM_SUITE(inject,
	{ "inject_segment: seq and ack from each end's ISN", test_segment_numbers },
	{ "inject_segment: no seq is the ISN, no ack without ACK is 0", test_segment_defaults },
	{ "inject_segment: the window given, else the endpoint's up to 65535", test_segment_window },
	{ "inject_segment: the pattern for len, the text for data", test_segment_payload },
	{ "a forged SYN without mss: the peer sends 536 bytes a segment", test_forged_syn_without_mss },
	{ "a forged SYN with mss: 1200: the peer uses it", test_forged_syn_with_mss })
