/* test_inject.c - a forged segment carries no option unless given: a forged
 * SYN without `mss` makes the server send 536-byte segments (RFC 9293
 * section 3.7.1's default), one with `mss: 1200` lets it send 1000 bytes
 * in one. The server's segments are lost on the way back, so that the
 * client's TCB, which never opened, takes no part. */
#include <stdio.h>
#include <string.h>
#include "check/expect.h"
#include "engine/sim.h"
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

TCPSIM_SUITE(inject,
	{ "a forged SYN without mss: the peer sends 536 bytes a segment", test_forged_syn_without_mss },
	{ "a forged SYN with mss: 1200: the peer uses it", test_forged_syn_with_mss })
