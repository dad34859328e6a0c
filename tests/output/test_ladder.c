/* test_ladder.c - the ladder, text and markdown, on hand-built traces. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "output/ladder.h"
#include "testing.h"
#include "trace_fixture.h"



typedef int (*ladder_fn)(FILE *, const struct trace_log *);

/* What fn writes for log, as a string the caller frees. */
static char *render(ladder_fn fn, const struct trace_log *log)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(fn(f, log), 0);
	fclose(f);
	return buf;
}

/* Asserts that fn writes exactly want; prints both when not. */
static void assert_renders(ladder_fn fn, const struct trace_log *log, const char *want)
{
	char *got = render(fn, log);

	if (strcmp(got, want) != 0)
		fprintf(stderr, "\n--- want\n%s--- got\n%s---\n", want, got);
	CU_ASSERT_STRING_EQUAL(got, want);
	free(got);
}

static const char simclose_text[] =
	"simultaneous_close — Both applications close at once; the FINs cross.\n"
	"\n"
	"    time  client                        segment                                                   server\n"
	"   0.000  CLOSED                                                                                  CLOSED\n"
	"   0.000                                                                                          ❶ LISTEN (listen)\n"
	"   0.010  ❶ SYN_SENT (connect)\n"
	"   0.010                                client > server S 0:0(0) win 65535 <mss 1460> ─────────▶\n"
	"   0.060                                                                                          ❷ SYN_RECEIVED (rcv SYN)\n"
	"   0.060                                ◀── server > client S. 0:0(0) ack 1 win 65535 <mss 1460>\n"
	"   0.110  ❷ ESTABLISHED (rcv SYN,ACK)\n"
	"   0.110                                client > server . 1:1(0) ack 1 win 65535 ──────────────▶\n"
	"   0.160                                                                                          ❸ ESTABLISHED (rcv ACK)\n"
	"   1.000  ❸ FIN_WAIT_1 (close)\n"
	"   1.000                                client > server F. 1:1(0) ack 1 win 65535 ─────────────▶\n"
	"   1.000                                                                                          ❹ FIN_WAIT_1 (close)\n"
	"   1.000                                ◀───────────── server > client F. 1:1(0) ack 1 win 65535\n"
	"   1.050                                                                                          ❺ CLOSING (rcv FIN)\n"
	"   1.050                                ◀────────────── server > client . 2:2(0) ack 2 win 65535\n"
	"   1.050  ❹ CLOSING (rcv FIN)\n"
	"   1.050                                client > server . 2:2(0) ack 2 win 65535 ──────────────▶\n"
	"   1.100  ❺ TIME_WAIT (rcv ACK of FIN)\n"
	"   1.100                                                                                          ❻ TIME_WAIT (rcv ACK of FIN)\n"
	"   5.100  ❻ CLOSED (timeout 2MSL)\n"
	"   5.100                                                                                          ❼ CLOSED (timeout 2MSL)\n";

static const char simclose_markdown[] =
	"**simultaneous_close** — Both applications close at once; the FINs cross.\n"
	"\n"
	"| time | client | segment | server |\n"
	"|---:|---|:---:|---|\n"
	"| 0.000 | CLOSED |  | CLOSED |\n"
	"| 0.000 |  |  | ❶ LISTEN (listen) |\n"
	"| 0.010 | ❶ SYN_SENT (connect) |  |  |\n"
	"| 0.010 |  | `S 0:0(0) win 65535 <mss 1460>` ──▶ |  |\n"
	"| 0.060 |  |  | ❷ SYN_RECEIVED (rcv SYN) |\n"
	"| 0.060 |  | ◀── `S. 0:0(0) ack 1 win 65535 <mss 1460>` |  |\n"
	"| 0.110 | ❷ ESTABLISHED (rcv SYN,ACK) |  |  |\n"
	"| 0.110 |  | `. 1:1(0) ack 1 win 65535` ──▶ |  |\n"
	"| 0.160 |  |  | ❸ ESTABLISHED (rcv ACK) |\n"
	"| 1.000 | ❸ FIN_WAIT_1 (close) |  |  |\n"
	"| 1.000 |  | `F. 1:1(0) ack 1 win 65535` ──▶ |  |\n"
	"| 1.000 |  |  | ❹ FIN_WAIT_1 (close) |\n"
	"| 1.000 |  | ◀── `F. 1:1(0) ack 1 win 65535` |  |\n"
	"| 1.050 |  |  | ❺ CLOSING (rcv FIN) |\n"
	"| 1.050 |  | ◀── `. 2:2(0) ack 2 win 65535` |  |\n"
	"| 1.050 | ❹ CLOSING (rcv FIN) |  |  |\n"
	"| 1.050 |  | `. 2:2(0) ack 2 win 65535` ──▶ |  |\n"
	"| 1.100 | ❺ TIME_WAIT (rcv ACK of FIN) |  |  |\n"
	"| 1.100 |  |  | ❻ TIME_WAIT (rcv ACK of FIN) |\n"
	"| 5.100 | ❻ CLOSED (timeout 2MSL) |  |  |\n"
	"| 5.100 |  |  | ❼ CLOSED (timeout 2MSL) |\n";

static void test_text_simultaneous_close(void)
{
	struct trace tr;
	struct trace_log log;

	fixture_simultaneous_close(&tr, &log);
	assert_renders(ladder_write_text, &log, simclose_text);
	fixture_free(&tr, &log);
}

static void test_markdown_simultaneous_close(void)
{
	struct trace tr;
	struct trace_log log;

	fixture_simultaneous_close(&tr, &log);
	assert_renders(ladder_write_markdown, &log, simclose_markdown);
	fixture_free(&tr, &log);
}

/* The client's SYN is lost and retransmitted; the server's SYN-ACK is lost;
 * then a reset is forged in the server's name. */
static void drop_and_inject_trace(struct trace *tr, struct trace_log *log)
{
	fixture_init(tr, log);
	fixture_state(tr, 0, 1, TCPS_CLOSED, TCPS_LISTEN, "listen");
	fixture_state(tr, MS(10), 0, TCPS_CLOSED, TCPS_SYN_SENT, "connect");
	fixture_segment(tr, MS(10), 0, 1, SEGEV_SEND, TH_SYN, 1000, 0, 0);
	fixture_segment(tr, MS(10), 0, 1, SEGEV_DROP, TH_SYN, 1000, 0, 0);
	fixture_segment(tr, MS(1010), 0, 1, SEGEV_SEND, TH_SYN, 1000, 0, 0);
	fixture_segment(tr, MS(1060), 0, 1, SEGEV_DELIVER, TH_SYN, 1000, 0, 0);
	fixture_state(tr, MS(1060), 1, TCPS_LISTEN, TCPS_SYN_RECEIVED, "rcv SYN");
	fixture_segment(tr, MS(1060), 1, 0, SEGEV_SEND, TH_SYN | TH_ACK, 5000, 1001, 0);
	fixture_segment(tr, MS(1060), 1, 0, SEGEV_DROP, TH_SYN | TH_ACK, 5000, 1001, 0);
	fixture_segment(tr, MS(2000), 1, 0, SEGEV_SEND, TH_RST, 5001, 0, 0);
	log->ev[log->n - 1].u.segment.forged = true;
}

static void test_text_drops_and_forged(void)
{
	static const char want[] =
		"    time  client                segment                                                           server\n"
		"   0.000  CLOSED                                                                                  CLOSED\n"
		"   0.000                                                                                          ❶ LISTEN (listen)\n"
		"   0.010  ❶ SYN_SENT (connect)\n"
		"   0.010                        client > server S 0:0(0) win 65535 <mss 1460> dropped ─────────✕\n"
		"   1.010  (SYN retry 1)         client > server S 0:0(0) win 65535 <mss 1460> ─────────────────▶\n"
		"   1.060                                                                                          ❷ SYN_RECEIVED (rcv SYN)\n"
		"   1.060                        ✕── server > client S. 0:0(0) ack 1 win 65535 <mss 1460> dropped\n"
		"   2.000                        ◀──────────────────────────────── server > client R 1:1(0) win 0  (forged)\n";
	struct trace tr;
	struct trace_log log;

	drop_and_inject_trace(&tr, &log);
	assert_renders(ladder_write_text, &log, want);
	fixture_free(&tr, &log);
}

static void test_markdown_drops_and_forged(void)
{
	static const char want[] =
		"| time | client | segment | server |\n"
		"|---:|---|:---:|---|\n"
		"| 0.000 | CLOSED |  | CLOSED |\n"
		"| 0.000 |  |  | ❶ LISTEN (listen) |\n"
		"| 0.010 | ❶ SYN_SENT (connect) |  |  |\n"
		"| 0.010 |  | `S 0:0(0) win 65535 <mss 1460> dropped` ──✕ |  |\n"
		"| 1.010 | (SYN retry 1) | `S 0:0(0) win 65535 <mss 1460>` ──▶ |  |\n"
		"| 1.060 |  |  | ❷ SYN_RECEIVED (rcv SYN) |\n"
		"| 1.060 |  | ✕── `S. 0:0(0) ack 1 win 65535 <mss 1460> dropped` |  |\n"
		"| 2.000 |  | ◀── `R 1:1(0) win 0` | (forged) |\n";
	struct trace tr;
	struct trace_log log;

	drop_and_inject_trace(&tr, &log);
	assert_renders(ladder_write_markdown, &log, want);
	fixture_free(&tr, &log);
}

/* Two clients: only client#1 and its server side are drawn. */
static void test_other_endpoints_left_out(void)
{
	static const char want[] =
		"    time  client#1              segment                                                server#1\n"
		"   0.000  CLOSED                                                                       CLOSED\n"
		"   0.010  ❶ SYN_SENT (connect)\n"
		"   0.010                        client#1 > server#1 S 0:0(0) win 65535 <mss 1460> ──▶\n"
		"(3 other endpoints not shown)\n";
	struct trace tr;
	struct trace_log log;
	int c1, s1, c2;

	trace_init(&tr);
	trace_add_endpoint(&tr, "server", 0x0a000002, 80, 5000);
	c1 = trace_add_endpoint(&tr, "client#1", 0x0a000001, 40000, 1000);
	c2 = trace_add_endpoint(&tr, "client#2", 0x0a000003, 40000, 2000);
	s1 = trace_add_endpoint(&tr, "server#1", 0x0a000002, 80, 5000);
	trace_add_endpoint(&tr, "server#2", 0x0a000002, 80, 6000);
	trace_log_init(&log, &tr);
	trace_add_sink(&tr, trace_log_sink(&log));
	fixture_state(&tr, MS(10), c1, TCPS_CLOSED, TCPS_SYN_SENT, "connect");
	fixture_segment(&tr, MS(10), c1, s1, SEGEV_SEND, TH_SYN, 1000, 0, 0);
	fixture_state(&tr, MS(20), c2, TCPS_CLOSED, TCPS_SYN_SENT, "connect");
	fixture_segment(&tr, MS(20), c2, 0, SEGEV_SEND, TH_SYN, 2000, 0, 0);
	assert_renders(ladder_write_text, &log, want);
	fixture_free(&tr, &log);
}

/* Markdown specials in the title are escaped; underscores inside words are
 * left alone. */
static void test_markdown_escapes(void)
{
	static const char want[] =
		"**a\\|b \\*c\\* \\_x\\_ snake_case** — \\<b\\> \\[link\\]\n"
		"\n"
		"| time | client | segment | server |\n"
		"|---:|---|:---:|---|\n"
		"| 0.000 | CLOSED |  | CLOSED |\n";
	struct trace tr;
	struct trace_log log;
	struct trace_event ev = { .type = TRACE_SCENARIO };

	fixture_init(&tr, &log);
	ev.u.scenario.name = "a|b *c* _x_ snake_case";
	ev.u.scenario.summary = "<b> [link]";
	ev.u.scenario.profile = "rfc9293";
	trace_emit(&tr, &ev);
	assert_renders(ladder_write_markdown, &log, want);
	fixture_free(&tr, &log);
}

static void test_incomplete_log_is_an_error(void)
{
	struct trace tr;
	struct trace_log log;
	FILE *f = fopen("/dev/null", "w");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fixture_simultaneous_close(&tr, &log);
	log.out_of_memory = true;
	CU_ASSERT_EQUAL(ladder_write_text(f, &log), -1);
	CU_ASSERT_EQUAL(ladder_write_markdown(f, &log), -1);
	fclose(f);
	fixture_free(&tr, &log);
}

/* A time past ten seconds with microseconds widens the time column for
 * every line, so the columns stay aligned. */
static void test_text_long_times_stay_aligned(void)
{
	static const char want[] =
		"     time  client                segment  server\n"
		"    0.000  CLOSED                         CLOSED\n"
		"    0.010  ❶ SYN_SENT (connect)\n"
		"20.001100  ❷ CLOSED (close)\n";
	struct trace tr;
	struct trace_log log;

	fixture_init(&tr, &log);
	fixture_state(&tr, MS(10), 0, TCPS_CLOSED, TCPS_SYN_SENT, "connect");
	fixture_state(&tr, 20001100, 0, TCPS_SYN_SENT, TCPS_CLOSED, "close");
	assert_renders(ladder_write_text, &log, want);
	fixture_free(&tr, &log);
}

/* A SYN the server's host dropped (a full listen queue): the drop comes with
 * the host's reason, which the receiver's column gives. */
static void host_drop_trace(struct trace *tr, struct trace_log *log)
{
	fixture_init(tr, log);
	fixture_state(tr, 0, 1, TCPS_CLOSED, TCPS_LISTEN, "listen");
	fixture_state(tr, MS(10), 0, TCPS_CLOSED, TCPS_SYN_SENT, "connect");
	fixture_segment(tr, MS(10), 0, 1, SEGEV_SEND, TH_SYN, 1000, 0, 0);
	fixture_segment(tr, MS(60), 0, 1, SEGEV_DROP, TH_SYN, 1000, 0, 0);
	log->ev[log->n - 1].u.segment.reason = "backlog full";
	fixture_segment(tr, MS(1010), 0, 1, SEGEV_SEND, TH_SYN, 1000, 0, 0);
	fixture_segment(tr, MS(1060), 0, 1, SEGEV_DELIVER, TH_SYN, 1000, 0, 0);
	fixture_state(tr, MS(1060), 1, TCPS_LISTEN, TCPS_SYN_RECEIVED, "rcv SYN");
}

static void test_text_host_drop_reason(void)
{
	static const char want[] =
		"    time  client                segment                                                    server\n"
		"   0.000  CLOSED                                                                           CLOSED\n"
		"   0.000                                                                                   ❶ LISTEN (listen)\n"
		"   0.010  ❶ SYN_SENT (connect)\n"
		"   0.010                        client > server S 0:0(0) win 65535 <mss 1460> dropped ──✕  (backlog full)\n"
		"   1.010  (SYN retry 1)         client > server S 0:0(0) win 65535 <mss 1460> ──────────▶\n"
		"   1.060                                                                                   ❷ SYN_RECEIVED (rcv SYN)\n";
	struct trace tr;
	struct trace_log log;

	host_drop_trace(&tr, &log);
	assert_renders(ladder_write_text, &log, want);
	fixture_free(&tr, &log);
}

static void test_markdown_host_drop_reason(void)
{
	static const char want[] =
		"| time | client | segment | server |\n"
		"|---:|---|:---:|---|\n"
		"| 0.000 | CLOSED |  | CLOSED |\n"
		"| 0.000 |  |  | ❶ LISTEN (listen) |\n"
		"| 0.010 | ❶ SYN_SENT (connect) |  |  |\n"
		"| 0.010 |  | `S 0:0(0) win 65535 <mss 1460> dropped` ──✕ | (backlog full) |\n"
		"| 1.010 | (SYN retry 1) | `S 0:0(0) win 65535 <mss 1460>` ──▶ |  |\n"
		"| 1.060 |  |  | ❷ SYN_RECEIVED (rcv SYN) |\n";
	struct trace tr;
	struct trace_log log;

	host_drop_trace(&tr, &log);
	assert_renders(ladder_write_markdown, &log, want);
	fixture_free(&tr, &log);
}

TCPSIM_SUITE(ladder,
	{ "text: a host's drop gives its reason", test_text_host_drop_reason },
	{ "markdown: a host's drop gives its reason", test_markdown_host_drop_reason },
	{ "text: a long time widens the time column", test_text_long_times_stay_aligned },
	{ "text: simultaneous close", test_text_simultaneous_close },
	{ "markdown: simultaneous close, handout form", test_markdown_simultaneous_close },
	{ "text: drops crossed out, forged marked", test_text_drops_and_forged },
	{ "markdown: drops crossed out, forged marked", test_markdown_drops_and_forged },
	{ "one client/server pair, the rest counted", test_other_endpoints_left_out },
	{ "markdown specials escaped", test_markdown_escapes },
	{ "an incomplete log is refused", test_incomplete_log_is_an_error })
