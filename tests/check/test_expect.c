/* test_expect.c - expect_check on the hand-built simultaneous close, with
 * scenarios filled in by hand (no loader involved). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check/expect.h"
#include "testing.h"
#include "trace_fixture.h"

#define MAX_LINES 16


static const enum tcp_state client_states[] = {
	TCPS_CLOSED, TCPS_SYN_SENT, TCPS_ESTABLISHED, TCPS_FIN_WAIT_1, TCPS_CLOSING,
	TCPS_TIME_WAIT, TCPS_CLOSED,
};
static const enum tcp_state server_states[] = {
	TCPS_CLOSED, TCPS_LISTEN, TCPS_SYN_RECEIVED, TCPS_ESTABLISHED, TCPS_FIN_WAIT_1,
	TCPS_CLOSING, TCPS_TIME_WAIT, TCPS_CLOSED,
};
/* The contract's expect.segments for scenarios/simultaneous_close.yaml. */
static const char *const contract_lines[] = {
	"0.010 client > server S 0:0(0)",
	"0.060 server > client S. 0:0(0) ack 1",
	"0.110 client > server . 1:1(0) ack 1",
	"1.000 client > server F. 1:1(0) ack 1",
	"1.000 server > client F. 1:1(0) ack 1",
	"1.050 server > client . 2:2(0) ack 2",
	"1.050 client > server . 2:2(0) ack 2",
};
#define N_CONTRACT_LINES (sizeof contract_lines / sizeof contract_lines[0])

/* A scenario and the storage its expect points into. */
struct fixture_scenario {
	struct scenario sc;
	enum tcp_state states[NROLES][16];
	struct seg_line lines[MAX_LINES];
	struct src_pos pos[MAX_LINES];
};

/* No expectation yet; one client; the file name the messages cite. */
static void fs_init(struct fixture_scenario *fs)
{
	memset(fs, 0, sizeof *fs);
	fs->sc.path = "scenarios/simultaneous_close.yaml";
	fs->sc.ep[ROLE_CLIENT].count = 1;
	fs->sc.ep[ROLE_SERVER].count = 1;
}

static void fs_states(struct fixture_scenario *fs, enum role r, const enum tcp_state *v, size_t n)
{
	memcpy(fs->states[r], v, n * sizeof *v);
	fs->sc.expect.has_states[r] = true;
	fs->sc.expect.states[r] = fs->states[r];
	fs->sc.expect.n_states[r] = n;
}

/* expect.segments: the lines, as if written from line 14 of the file, column 7. */
static void fs_segments(struct fixture_scenario *fs, const char *const *text, size_t n)
{
	char err[128];
	int col;

	CU_ASSERT_FATAL(n <= MAX_LINES);
	for (size_t i = 0; i < n; i++) {
		CU_ASSERT_EQUAL_FATAL(seg_line_parse(text[i], &fs->lines[i], &col, err, sizeof err), 0);
		fs->pos[i] = (struct src_pos){ .line = 14 + (int)i, .col = 7 };
	}
	fs->sc.expect.has_segments = true;
	fs->sc.expect.segments = fs->lines;
	fs->sc.expect.segments_pos = fs->pos;
	fs->sc.expect.n_segments = n;
}

/* The contract's full expectation for the simultaneous close. */
static void fs_contract(struct fixture_scenario *fs)
{
	fs_init(fs);
	fs_states(fs, ROLE_CLIENT, client_states, 7);
	fs_states(fs, ROLE_SERVER, server_states, 8);
	fs_segments(fs, contract_lines, N_CONTRACT_LINES);
}

/* Runs expect_check on the simultaneous close; asserts the failures are
 * exactly want (n of them). */
static void assert_failures(const struct scenario *sc, const struct trace_log *log,
			    const char *const *want, size_t n)
{
	struct expect_result res;
	struct expect_stream *xs = expect_stream_new(sc, log->trace);
	struct trace_sink sink = expect_stream_sink(xs);

	CU_ASSERT_PTR_NOT_NULL_FATAL(xs);
	CU_ASSERT_EQUAL_FATAL(expect_check(sc, log, &res), 0);
	/* The streaming checks see the same events the log kept. */
	for (size_t i = 0; i < log->n; i++)
		sink.event(sink.ctx, log->trace, &log->ev[i]);
	CU_ASSERT_EQUAL_FATAL(expect_stream_finish(xs, &res), 0);
	expect_stream_free(xs);
	for (size_t i = 0; i < res.n_failures && i < n; i++) {
		if (strcmp(res.failures[i], want[i]) != 0)
			fprintf(stderr, "\n--- want\n%s\n--- got\n%s\n---\n", want[i], res.failures[i]);
		CU_ASSERT_STRING_EQUAL(res.failures[i], want[i]);
	}
	for (size_t i = n; i < res.n_failures; i++)
		fprintf(stderr, "\nunexpected failure: %s\n", res.failures[i]);
	CU_ASSERT_EQUAL(res.n_failures, n);
	expect_result_free(&res);
}

static void check_simclose(const struct fixture_scenario *fs, const char *const *want, size_t n)
{
	struct trace tr;
	struct trace_log log;

	fixture_simultaneous_close(&tr, &log);
	assert_failures(&fs->sc, &log, want, n);
	fixture_free(&tr, &log);
}

static void test_contract_expectations_hold(void)
{
	struct fixture_scenario fs;

	fs_contract(&fs);
	fs.sc.expect.has_delivered[ROLE_SERVER] = true;   /* 0 bytes */
	fs.sc.expect.has_final = true;
	fs.sc.expect.final_set[TCPS_CLOSED] = true;
	fs.sc.expect.final[TCPS_CLOSED] = 1;             /* one connection */
	check_simclose(&fs, NULL, 0);
}

/* The contract's list is the segments a TCP sent: a forged one (inject) is
 * not among them, wherever it stands. */
static void test_forged_segments_not_listed(void)
{
	struct fixture_scenario fs;
	struct trace tr;
	struct trace_log log;

	fs_contract(&fs);
	fixture_simultaneous_close(&tr, &log);
	struct trace_event ev = { .type = TRACE_SEGMENT, .t_us = MS(500), .endpoint = 0 };
	ev.u.segment.src = 0;
	ev.u.segment.dst = 1;
	ev.u.segment.event = SEGEV_SEND;
	ev.u.segment.forged = true;
	ev.u.segment.seg.flags = TH_RST;
	ev.u.segment.seg.seq = 1005;
	trace_emit(&tr, &ev);
	assert_failures(&fs.sc, &log, NULL, 0);
	fixture_free(&tr, &log);
}

static void test_wrong_states(void)
{
	static const enum tcp_state client[] = {
		TCPS_CLOSED, TCPS_SYN_SENT, TCPS_ESTABLISHED, TCPS_FIN_WAIT_1, TCPS_FIN_WAIT_2,
		TCPS_TIME_WAIT, TCPS_CLOSED,
	};
	static const char *const want[] = {
		"client states: expected CLOSED SYN_SENT ESTABLISHED FIN_WAIT_1 FIN_WAIT_2 TIME_WAIT CLOSED, "
		"got CLOSED SYN_SENT ESTABLISHED FIN_WAIT_1 CLOSING TIME_WAIT CLOSED "
		"(first difference at position 5: FIN_WAIT_2 vs CLOSING)",
		"server states: expected CLOSED LISTEN SYN_RECEIVED ESTABLISHED FIN_WAIT_1 CLOSING TIME_WAIT, "
		"got CLOSED LISTEN SYN_RECEIVED ESTABLISHED FIN_WAIT_1 CLOSING TIME_WAIT CLOSED "
		"(first difference at position 8: nothing vs CLOSED)",
	};
	struct fixture_scenario fs;

	fs_contract(&fs);
	fs_states(&fs, ROLE_CLIENT, client, 7);
	fs_states(&fs, ROLE_SERVER, server_states, 7);
	check_simclose(&fs, want, 2);
}

static void test_wrong_ack(void)
{
	static const char *const lines[] = {
		"0.010 client > server S 0:0(0)",
		"0.060 server > client S. 0:0(0) ack 1",
		"0.110 client > server . 1:1(0) ack 1",
		"1.000 client > server F. 1:1(0) ack 1",
		"1.000 server > client F. 1:1(0) ack 1 win 1024",
		"1.050 server > client . 2:2(0) ack 3",
		"1.050 client > server . 2:2(0) ack 2",
	};
	static const char *const want[] = {
		"segment 5 (scenarios/simultaneous_close.yaml:18:7): expected "
		"`1.000 server > client F. 1:1(0) ack 1 win 1024`, got "
		"`1.000 server > client F. 1:1(0) ack 1 win 65535` (differs in win)",
		"segment 6 (scenarios/simultaneous_close.yaml:19:7): expected "
		"`1.050 server > client . 2:2(0) ack 3`, got "
		"`1.050 server > client . 2:2(0) ack 2 win 65535` (differs in ack)",
	};
	struct fixture_scenario fs;

	fs_init(&fs);
	fs_segments(&fs, lines, 7);
	check_simclose(&fs, want, 2);
}

/* Relative times count from the previous segment sent (0 for the first);
 * a wrong one is shown against the actual gap, ready to paste. */
static void test_relative_times(void)
{
	static const char *const lines[] = {
		"+0.010 client > server S 0:0(0)",
		"+0.050 server > client S. 0:0(0) ack 1",
		"+0.060 client > server . 1:1(0) ack 1",
		"+0.890 client > server F. 1:1(0) ack 1",
		"+0 server > client F. 1:1(0) ack 1",
		"+0.050 server > client . 2:2(0) ack 2",
		"client > server . 2:2(0) ack 2",
	};
	static const char *const want[] = {
		"segment 3 (scenarios/simultaneous_close.yaml:16:7): expected "
		"`+0.060 client > server . 1:1(0) ack 1`, got "
		"`+0.050 client > server . 1:1(0) ack 1 win 65535` (differs in time)",
	};
	struct fixture_scenario fs;

	fs_init(&fs);
	fs_segments(&fs, lines, 7);
	check_simclose(&fs, want, 1);
}

static void test_wrong_count(void)
{
	static const char *const want[] = {
		"segments: expected 6 segments, got 7\n"
		"  the run sent:\n"
		"    - \"0.010 client > server S 0:0(0) win 65535 <mss 1460>\"\n"
		"    - \"0.060 server > client S. 0:0(0) ack 1 win 65535 <mss 1460>\"\n"
		"    - \"0.110 client > server . 1:1(0) ack 1 win 65535\"\n"
		"    - \"1.000 client > server F. 1:1(0) ack 1 win 65535\"\n"
		"    - \"1.000 server > client F. 1:1(0) ack 1 win 65535\"\n"
		"    - \"1.050 server > client . 2:2(0) ack 2 win 65535\"\n"
		"    - \"1.050 client > server . 2:2(0) ack 2 win 65535\"",
	};
	struct fixture_scenario fs;

	fs_init(&fs);
	fs_segments(&fs, contract_lines, 6);
	check_simclose(&fs, want, 1);
}

/* More lines expected than sent, one of them wrong before the end. */
static void test_missing_lines(void)
{
	static const char *const lines[] = {
		"0.010 client > server S 0:0(0)",
		"0.060 server > client S. 0:0(0) ack 1",
		"0.110 client > server . 1:1(0) ack 1",
		"1.000 server > client F. 1:1(0) ack 1",
		"1.000 client > server F. 1:1(0) ack 1",
		"1.050 server > client . 2:2(0) ack 2",
		"1.050 client > server . 2:2(0) ack 2",
		"1.100 client > server R 2:2(0)",
	};
	static const char *const want[] = {
		"segments: expected 8 segments, got 7\n"
		"  first difference: segment 4 (scenarios/simultaneous_close.yaml:17:7): expected "
		"`1.000 server > client F. 1:1(0) ack 1`, got "
		"`1.000 client > server F. 1:1(0) ack 1 win 65535` (differs in endpoints)\n"
		"  missing: segment 8 (scenarios/simultaneous_close.yaml:21:7) `1.100 client > server R 2:2(0)`\n"
		"  the run sent:\n"
		"    - \"0.010 client > server S 0:0(0) win 65535 <mss 1460>\"\n"
		"    - \"0.060 server > client S. 0:0(0) ack 1 win 65535 <mss 1460>\"\n"
		"    - \"0.110 client > server . 1:1(0) ack 1 win 65535\"\n"
		"    - \"1.000 client > server F. 1:1(0) ack 1 win 65535\"\n"
		"    - \"1.000 server > client F. 1:1(0) ack 1 win 65535\"\n"
		"    - \"1.050 server > client . 2:2(0) ack 2 win 65535\"\n"
		"    - \"1.050 client > server . 2:2(0) ack 2 win 65535\"",
	};
	struct fixture_scenario fs;

	fs_init(&fs);
	fs_segments(&fs, lines, 8);
	check_simclose(&fs, want, 1);
}

/* A long run: only the extra lines, and not all of them. */
static void test_many_extra_lines(void)
{
	static const char *const lines[] = { "client > server S 0:0(0)" };
	char want[4096];
	const char *wantp = want;
	size_t n;
	struct fixture_scenario fs;
	struct trace tr;
	struct trace_log log;

	fs_init(&fs);
	fs.sc.path = NULL;
	fs_segments(&fs, lines, 1);
	fixture_init(&tr, &log);
	fixture_segment(&tr, 0, 0, 1, SEGEV_SEND, TH_SYN, 1000, 0, 0);
	for (uint32_t i = 0; i < 24; i++)
		fixture_segment(&tr, MS(i + 1), 0, 1, SEGEV_SEND, TH_PSH | TH_ACK, 1001 + i, 5001, 1);
	n = (size_t)snprintf(want, sizeof want, "segments: expected 1 segment, got 25");
	for (uint32_t i = 0; i < 20; i++)
		n += (size_t)snprintf(want + n, sizeof want - n,
				      "\n  extra: segment %u `0.%03u client > server P. %u:%u(1) ack 1 win 65535`",
				      i + 2, i + 1, i + 1, i + 2);
	snprintf(want + n, sizeof want - n, "\n  ... and 4 more");
	assert_failures(&fs.sc, &log, &wantp, 1);
	fixture_free(&tr, &log);
}

/* Without the file's name, the place is a line and column. */
static void test_place_without_path(void)
{
	static const char *const lines[] = { "client > server S 1:1(0)" };
	static const char *const want[] = {
		"segment 1 (line 14, column 7): expected `client > server S 1:1(0)`, "
		"got `0.000 client > server S 0:0(0) win 65535 <mss 1460>` (differs in seq)",
	};
	struct fixture_scenario fs;
	struct trace tr;
	struct trace_log log;

	fs_init(&fs);
	fs.sc.path = NULL;
	fs_segments(&fs, lines, 1);
	fixture_init(&tr, &log);
	fixture_segment(&tr, 0, 0, 1, SEGEV_SEND, TH_SYN, 1000, 0, 0);
	assert_failures(&fs.sc, &log, want, 1);
	fixture_free(&tr, &log);
}

static void test_wrong_delivered(void)
{
	static const char *const want[] = {
		"client delivered: expected 0 bytes, got 100",
		"server delivered: expected 100 bytes, got 0",
	};
	struct fixture_scenario fs;
	struct trace tr;
	struct trace_log log;
	struct trace_event ev = { .type = TRACE_DATA, .t_us = MS(2000), .endpoint = 0 };

	fs_init(&fs);
	fs.sc.expect.has_delivered[ROLE_CLIENT] = true;
	fs.sc.expect.has_delivered[ROLE_SERVER] = true;
	fs.sc.expect.delivered[ROLE_SERVER] = 100;
	fixture_simultaneous_close(&tr, &log);
	ev.u.data.bytes = 60;
	trace_emit(&tr, &ev);
	ev.u.data.bytes = 40;
	trace_emit(&tr, &ev);
	assert_failures(&fs.sc, &log, want, 2);
	fixture_free(&tr, &log);
}

/* A connection counts once: the simultaneous close ends with both ends
 * CLOSED, one connection CLOSED (not two endpoints). */
static void test_wrong_final(void)
{
	static const char *const want[] = {
		"final CLOSED: expected 2, got 1 (the 1 connections end CLOSED 1)",
		"final TIME_WAIT: expected 1, got 0 (the 1 connections end CLOSED 1)",
	};
	struct fixture_scenario fs;

	fs_init(&fs);
	fs.sc.expect.has_final = true;
	fs.sc.expect.final_set[TCPS_CLOSED] = true;
	fs.sc.expect.final[TCPS_CLOSED] = 2;
	fs.sc.expect.final_set[TCPS_TIME_WAIT] = true;
	fs.sc.expect.final[TCPS_TIME_WAIT] = 1;
	check_simclose(&fs, want, 2);
}

/* A dropped segment is listed, marked; a line may leave the mark out. */
static void test_dropped_segments(void)
{
	static const char *const lines[] = {
		"0.010 client > server S 0:0(0) dropped",
		"1.010 client > server S 0:0(0)",
		"1.060 server > client S. 0:0(0) ack 1 dropped",
	};
	static const char *const want[] = {
		"segment 3 (scenarios/simultaneous_close.yaml:16:7): expected "
		"`1.060 server > client S. 0:0(0) ack 1 dropped`, got "
		"`1.060 server > client S. 0:0(0) ack 1 win 65535 <mss 1460>` (differs in dropped)",
	};
	struct fixture_scenario fs;
	struct trace tr;
	struct trace_log log;

	fs_init(&fs);
	fs_segments(&fs, lines, 3);
	fixture_init(&tr, &log);
	fixture_segment(&tr, MS(10), 0, 1, SEGEV_SEND, TH_SYN, 1000, 0, 0);
	fixture_segment(&tr, MS(10), 0, 1, SEGEV_DROP, TH_SYN, 1000, 0, 0);
	fixture_segment(&tr, MS(1010), 0, 1, SEGEV_SEND, TH_SYN, 1000, 0, 0);
	fixture_segment(&tr, MS(1060), 1, 0, SEGEV_SEND, TH_SYN | TH_ACK, 5000, 1001, 0);
	assert_failures(&fs.sc, &log, want, 1);
	fixture_free(&tr, &log);
}

/* Several clients: expect.client holds for each client#K, expect.server for
 * each server#K; the listener is neither. */
static void test_many_clients(void)
{
	static const enum tcp_state client[] = { TCPS_CLOSED, TCPS_SYN_SENT };
	static const enum tcp_state server[] = { TCPS_CLOSED };
	static const char *const want[] = {
		"client#2 states: expected CLOSED SYN_SENT, got a different sequence "
		"(first difference at position 3: nothing vs ESTABLISHED)",
		"final SYN_SENT: expected 3, got 1 (the 2 connections end SYN_SENT 1, ESTABLISHED 1)",
	};
	struct fixture_scenario fs;
	struct trace tr;
	struct trace_log log;
	int listener, c1, c2;

	fs_init(&fs);
	fs.sc.ep[ROLE_CLIENT].count = 2;
	fs_states(&fs, ROLE_CLIENT, client, 2);
	fs_states(&fs, ROLE_SERVER, server, 1);
	fs.sc.expect.has_final = true;
	fs.sc.expect.final_set[TCPS_SYN_SENT] = true;
	fs.sc.expect.final[TCPS_SYN_SENT] = 3;
	trace_init(&tr);
	listener = trace_add_endpoint(&tr, "server", 0x0a000002, 80, 5000);
	c1 = trace_add_endpoint(&tr, "client#1", 0x0a000001, 40000, 1000);
	c2 = trace_add_endpoint(&tr, "client#2", 0x0a000003, 40000, 2000);
	trace_add_endpoint(&tr, "server#1", 0x0a000002, 80, 5000);
	trace_add_endpoint(&tr, "server#2", 0x0a000002, 80, 6000);
	trace_log_init(&log, &tr);
	trace_add_sink(&tr, trace_log_sink(&log));
	fixture_state(&tr, 0, listener, TCPS_CLOSED, TCPS_LISTEN, "listen");
	fixture_state(&tr, MS(10), c1, TCPS_CLOSED, TCPS_SYN_SENT, "connect");
	fixture_state(&tr, MS(20), c2, TCPS_CLOSED, TCPS_SYN_SENT, "connect");
	fixture_state(&tr, MS(30), c2, TCPS_SYN_SENT, TCPS_ESTABLISHED, "rcv SYN,ACK");
	assert_failures(&fs.sc, &log, want, 2);
	fixture_free(&tr, &log);
}

/* A state event whose `from` is not the previous `to` (a change the trace
 * did not show) puts that `from` in the sequence. */
static void test_from_inserted(void)
{
	static const enum tcp_state client[] = { TCPS_CLOSED, TCPS_SYN_SENT, TCPS_FIN_WAIT_1 };
	static const char *const want[] = {
		"client states: expected CLOSED SYN_SENT FIN_WAIT_1, "
		"got CLOSED SYN_SENT ESTABLISHED FIN_WAIT_1 "
		"(first difference at position 3: FIN_WAIT_1 vs ESTABLISHED)",
	};
	struct fixture_scenario fs;
	struct trace tr;
	struct trace_log log;

	fs_init(&fs);
	fs_states(&fs, ROLE_CLIENT, client, 3);
	fixture_init(&tr, &log);
	fixture_state(&tr, MS(10), 0, TCPS_CLOSED, TCPS_SYN_SENT, "connect");
	fixture_state(&tr, MS(900), 0, TCPS_ESTABLISHED, TCPS_FIN_WAIT_1, "close");
	assert_failures(&fs.sc, &log, want, 1);
	fixture_free(&tr, &log);
}

static void test_no_such_endpoint(void)
{
	static const char *const want[] = {
		"client: the trace has no endpoint named client#K",
		"server: the trace has no endpoint named server#K",
	};
	struct fixture_scenario fs;

	fs_contract(&fs);
	fs.sc.expect.has_segments = false;
	fs.sc.ep[ROLE_CLIENT].count = 3;
	check_simclose(&fs, want, 2);
}

TCPSIM_SUITE(expect,
	{ "forged segments are not in the list of segments sent", test_forged_segments_not_listed },
	{ "the contract's expectations hold", test_contract_expectations_hold },
	{ "wrong states: expected vs got, first difference", test_wrong_states },
	{ "wrong ack and win: the line, the actual line", test_wrong_ack },
	{ "relative times and a wrong one", test_relative_times },
	{ "wrong count: the run's lines listed", test_wrong_count },
	{ "missing lines and the first difference", test_missing_lines },
	{ "a long run: the extra lines, capped", test_many_extra_lines },
	{ "a place without the file name", test_place_without_path },
	{ "wrong delivered bytes", test_wrong_delivered },
	{ "final counts each connection once", test_wrong_final },
	{ "dropped segments are listed and marked", test_dropped_segments },
	{ "several clients: every client#K, every server#K", test_many_clients },
	{ "a `from` that is not the previous `to` is inserted", test_from_inserted },
	{ "an expectation about no endpoint fails", test_no_such_endpoint })
