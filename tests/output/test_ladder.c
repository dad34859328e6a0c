/* test_ladder.c - the ladder, text and markdown, on hand-built traces. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "output/ladder.h"
#include "command_output.h"
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
	"| 5.100 |  |  | ❼ CLOSED (timeout 2MSL) |\n"
	"\n";

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
		"| 2.000 |  | ◀── `R 1:1(0) win 0` | (forged) |\n"
		"\n";
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
		"| 0.000 | CLOSED |  | CLOSED |\n"
		"\n";
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
		"| 1.060 |  |  | ❷ SYN_RECEIVED (rcv SYN) |\n"
		"\n";
	struct trace tr;
	struct trace_log log;

	host_drop_trace(&tr, &log);
	assert_renders(ladder_write_markdown, &log, want);
	fixture_free(&tr, &log);
}

/* ---- notes (issue 15) ---------------------------------------------------- */

/* A note in the trace, as the engine emits it. */
static void emit_note(struct trace *tr, usec_t t, int ep, const char *text)
{
	struct trace_event ev = { .type = TRACE_NOTE, .t_us = t, .endpoint = ep };
	ev.u.note.text = text;
	trace_emit(tr, &ev);
}

/* A connect with a note before it (as the engine puts one beside a call),
 * one between two segments, and one after the last event. */
static void notes_trace(struct trace *tr, struct trace_log *log)
{
	fixture_init(tr, log);
	emit_note(tr, MS(10), 0, "the client opens");
	fixture_state(tr, MS(10), 0, TCPS_CLOSED, TCPS_SYN_SENT, "connect");
	fixture_segment(tr, MS(10), 0, 1, SEGEV_SEND, TH_SYN, 1000, 0, 0);
	fixture_segment(tr, MS(10), 0, 1, SEGEV_DROP, TH_SYN, 1000, 0, 0);
	emit_note(tr, MS(500), -1, "the SYN is lost: *nothing* | arrives");
	fixture_state(tr, MS(1010), 0, TCPS_SYN_SENT, TCPS_CLOSED, "abort");
	emit_note(tr, MS(3000), -1, "the client gave up");
}

/* Text: each note its own row at its time, centred on the segment column
 * between dotted rules; after the last row, the later notes. */
static void test_text_notes(void)
{
	static const char want[] =
		"    time  client                segment                                                    server\n"
		"   0.000  CLOSED                                                                           CLOSED\n"
		"   0.010                                         ┄┄ the client opens ┄┄\n"
		"   0.010  ❶ SYN_SENT (connect)\n"
		"   0.010                        client > server S 0:0(0) win 65535 <mss 1460> dropped ──✕\n"
		"   0.500                               ┄┄ the SYN is lost: *nothing* | arrives ┄┄\n"
		"   1.010  ❷ CLOSED (abort)\n"
		"   3.000                                        ┄┄ the client gave up ┄┄\n";
	struct trace tr;
	struct trace_log log;

	notes_trace(&tr, &log);
	assert_renders(ladder_write_text, &log, want);
	fixture_free(&tr, &log);
}

/* Markdown: a note is a row with its text in italics in the segment
 * column, markdown's specials escaped. */
static void test_markdown_notes(void)
{
	static const char want[] =
		"| time | client | segment | server |\n"
		"|---:|---|:---:|---|\n"
		"| 0.000 | CLOSED |  | CLOSED |\n"
		"| 0.010 |  | *the client opens* |  |\n"
		"| 0.010 | ❶ SYN_SENT (connect) |  |  |\n"
		"| 0.010 |  | `S 0:0(0) win 65535 <mss 1460> dropped` ──✕ |  |\n"
		"| 0.500 |  | *the SYN is lost: \\*nothing\\* \\| arrives* |  |\n"
		"| 1.010 | ❷ CLOSED (abort) |  |  |\n"
		"| 3.000 |  | *the client gave up* |  |\n"
		"\n";
	struct trace tr;
	struct trace_log log;

	notes_trace(&tr, &log);
	assert_renders(ladder_write_markdown, &log, want);
	fixture_free(&tr, &log);
}

/* Renders markdown with cmark-gfm (its table extension, as GitHub's
 * renderer) and returns the HTML, which the caller frees. */
static char *render_gfm(const char *markdown)
{
	char path[] = "/tmp/tcpsim-gfm-XXXXXX.md", cmd[128], *html;
	int fd = mkstemps(path, 3), status;

	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_FATAL(write(fd, markdown, strlen(markdown)) == (ssize_t)strlen(markdown));
	close(fd);
	snprintf(cmd, sizeof cmd, "cmark-gfm --extension table %s", path);
	html = command_output(cmd, &status);
	unlink(path);
	/* cmark-gfm is one of tools/deps.sh's packages: missing, it fails. */
	CU_ASSERT_EQUAL(status, 0);
	return html;
}

/* The markdown ladder ends with a blank line: the run's summary line that
 * follows it is a paragraph of its own, not one more row of the table
 * (GitHub's renderer took it as one before). Rendered by cmark-gfm. */
static void test_markdown_summary_is_a_paragraph(void)
{
	struct trace tr;
	struct trace_log log;

	fixture_simultaneous_close(&tr, &log);
	char *md = render(ladder_write_markdown, &log);
	fixture_free(&tr, &log);
	size_t len = strlen(md);
	char *page = malloc(len + 128);
	CU_ASSERT_FATAL(page != NULL);
	snprintf(page, len + 128, "%ssimultaneous_close: 37 events, 7 segments sent: ok\n", md);
	char *html = render_gfm(page);
	CU_ASSERT_PTR_NOT_NULL_FATAL(html);
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "<table>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "</table>\n<p>simultaneous_close: 37 events, 7 segments sent: ok</p>"));
	CU_ASSERT_PTR_NULL(strstr(html, "<td align=\"right\">simultaneous_close: 37 events"));
	/* The last row of the table is the ladder's last. */
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "<td>\u277C CLOSED (timeout 2MSL)</td>\n</tr>\n</tbody>\n</table>"));
	free(html);
	free(page);
	free(md);
}

/* ---- the story (issue 15) -------------------------------------------------- */

/* A timer event of endpoint ep. */
static void timer_ev(struct trace *tr, usec_t t, int ep, enum timer_kind k, enum timer_event e, usec_t due)
{
	struct trace_event ev = { .type = TRACE_TIMER, .t_us = t, .endpoint = ep };

	ev.u.timer.timer = k;
	ev.u.timer.event = e;
	ev.u.timer.due = due;
	trace_emit(tr, &ev);
}

/* A response row that changes no state (S16, T52f). */
static void arc_ev(struct trace *tr, usec_t t, int ep, enum tcp_state st, const char *arc, const char *cause)
{
	struct trace_event ev = { .type = TRACE_ARC, .t_us = t, .endpoint = ep };

	ev.u.arc.state = st;
	ev.u.arc.arc = arc;
	ev.u.arc.cause = cause;
	trace_emit(tr, &ev);
}

/* From ESTABLISHED: the client's FIN is lost twice and resent by its
 * retransmission timer; the server's FIN is lost once and resent, which
 * restarts the client's 2MSL in TIME_WAIT (S16); the server is reset at the
 * end (an unusual change: its RFC row is named). */
static void story_trace(struct trace *tr, struct trace_log *log, usec_t time_wait)
{
	const int c = 0, s = 1;

	fixture_init(tr, log);
	fixture_state(tr, 0, c, TCPS_ESTABLISHED, TCPS_FIN_WAIT_1, "close");
	fixture_segment(tr, 0, c, s, SEGEV_SEND, TH_FIN | TH_ACK, 1001, 5001, 0);
	timer_ev(tr, 0, c, TIMER_RTO, TIMER_SET, MS(1000));
	fixture_segment(tr, MS(50), c, s, SEGEV_DROP, TH_FIN | TH_ACK, 1001, 5001, 0);
	timer_ev(tr, MS(1000), c, TIMER_RTO, TIMER_FIRE, 0);
	arc_ev(tr, MS(1000), c, TCPS_FIN_WAIT_1, "T52d", "timeout RTO");
	fixture_segment(tr, MS(1000), c, s, SEGEV_SEND, TH_FIN | TH_ACK, 1001, 5001, 0);
	fixture_segment(tr, MS(1050), c, s, SEGEV_DROP, TH_FIN | TH_ACK, 1001, 5001, 0);
	timer_ev(tr, MS(3000), c, TIMER_RTO, TIMER_FIRE, 0);
	fixture_segment(tr, MS(3000), c, s, SEGEV_SEND, TH_FIN | TH_ACK, 1001, 5001, 0);
	fixture_segment(tr, MS(3050), c, s, SEGEV_DELIVER, TH_FIN | TH_ACK, 1001, 5001, 0);
	fixture_state(tr, MS(3050), s, TCPS_ESTABLISHED, TCPS_CLOSE_WAIT, "rcv FIN");
	fixture_state(tr, MS(3050), s, TCPS_CLOSE_WAIT, TCPS_LAST_ACK, "close");
	fixture_segment(tr, MS(3050), s, c, SEGEV_SEND, TH_FIN | TH_ACK, 5001, 1002, 0);
	fixture_segment(tr, MS(3100), s, c, SEGEV_DELIVER, TH_FIN | TH_ACK, 5001, 1002, 0);
	fixture_state(tr, MS(3100), c, TCPS_FIN_WAIT_1, TCPS_TIME_WAIT, "rcv FIN");
	timer_ev(tr, MS(3100), c, TIMER_TIME_WAIT, TIMER_SET, MS(3100) + time_wait);
	if (time_wait == 0) {
		timer_ev(tr, MS(3100), c, TIMER_TIME_WAIT, TIMER_FIRE, 0);
		fixture_state(tr, MS(3100), c, TCPS_TIME_WAIT, TCPS_CLOSED, "timeout 2MSL");
		return;
	}
	fixture_segment(tr, MS(3100), c, s, SEGEV_SEND, TH_ACK, 1002, 5002, 0);
	fixture_segment(tr, MS(3150), c, s, SEGEV_DROP, TH_ACK, 1002, 5002, 0);
	timer_ev(tr, MS(4050), s, TIMER_RTO, TIMER_FIRE, 0);
	fixture_segment(tr, MS(4050), s, c, SEGEV_SEND, TH_FIN | TH_ACK, 5001, 1002, 0);
	fixture_segment(tr, MS(4100), s, c, SEGEV_DELIVER, TH_FIN | TH_ACK, 5001, 1002, 0);
	arc_ev(tr, MS(4100), c, TCPS_TIME_WAIT, "S16", "rcv FIN again");
	fixture_segment(tr, MS(4100), c, s, SEGEV_SEND, TH_ACK, 1002, 5002, 0);
	timer_ev(tr, MS(4100), c, TIMER_TIME_WAIT, TIMER_SET, MS(4100) + time_wait);
	fixture_segment(tr, MS(4150), s, c, SEGEV_SEND, TH_RST, 5002, 0, 0);
	fixture_state(tr, MS(4150), s, TCPS_LAST_ACK, TCPS_CLOSED, "rcv RST");
	log->ev[log->n - 1].u.state.arc = "T40";
	timer_ev(tr, MS(4100) + time_wait, c, TIMER_TIME_WAIT, TIMER_FIRE, 0);
	fixture_state(tr, MS(4100) + time_wait, c, TCPS_TIME_WAIT, TCPS_CLOSED, "timeout 2MSL");
}

/* Every state change with its cause and the state diagram's step badge,
 * the RFC row of an unusual one; segments sent again with the timer and
 * how often; TIME_WAIT's 2MSL started and restarted, with the response that
 * restarted it. */
static void test_text_story(void)
{
	static const char want[] =
		"    time  client                                 segment                                                server\n"
		"   0.000  ESTABLISHED                                                                                   ESTABLISHED\n"
		"   0.000  ❶ FIN_WAIT_1 (close)\n"
		"   0.000                                         client > server F. 1:1(0) ack 1 win 65535 dropped ──✕\n"
		"   1.000  (RTO 1)                                client > server F. 1:1(0) ack 1 win 65535 dropped ──✕\n"
		"   3.000  (RTO 2)                                client > server F. 1:1(0) ack 1 win 65535 ──────────▶\n"
		"   3.050                                                                                                ❶ CLOSE_WAIT (rcv FIN)\n"
		"   3.050                                                                                                ❷ LAST_ACK (close)\n"
		"   3.050                                         ◀────────── server > client F. 1:1(0) ack 2 win 65535\n"
		"   3.100  ❷ TIME_WAIT (rcv FIN)\n"
		"   3.100  ◷ 2MSL started (4 s)\n"
		"   3.100                                         client > server . 2:2(0) ack 2 win 65535 dropped ───✕\n"
		"   4.050                                         ◀────────── server > client F. 1:1(0) ack 2 win 65535  (RTO 1)\n"
		"   4.100                                         client > server . 2:2(0) ack 2 win 65535 ───────────▶\n"
		"   4.100  ◷ 2MSL restarted: rcv FIN again (S16)\n"
		"   4.150                                         ◀───────────────────── server > client R 2:2(0) win 0\n"
		"   4.150                                                                                                ❸ CLOSED (rcv RST, T40)\n"
		"   8.100  ❸ CLOSED (timeout 2MSL)\n";
	struct trace tr;
	struct trace_log log;

	story_trace(&tr, &log, 4 * USEC_PER_SEC);
	assert_renders(ladder_write_text, &log, want);
	fixture_free(&tr, &log);
}

/* A time-wait of 0 closes at once: no 2MSL to speak of, in the row or in
 * the cause. */
static void test_text_time_wait_zero(void)
{
	static const char want[] =
		"    time  client                  segment                                                server\n"
		"   0.000  ESTABLISHED                                                                    ESTABLISHED\n"
		"   0.000  ❶ FIN_WAIT_1 (close)\n"
		"   0.000                          client > server F. 1:1(0) ack 1 win 65535 dropped ──✕\n"
		"   1.000  (RTO 1)                 client > server F. 1:1(0) ack 1 win 65535 dropped ──✕\n"
		"   3.000  (RTO 2)                 client > server F. 1:1(0) ack 1 win 65535 ──────────▶\n"
		"   3.050                                                                                 ❶ CLOSE_WAIT (rcv FIN)\n"
		"   3.050                                                                                 ❷ LAST_ACK (close)\n"
		"   3.050                          ◀────────── server > client F. 1:1(0) ack 2 win 65535\n"
		"   3.100  ❷ TIME_WAIT (rcv FIN)\n"
		"   3.100  ❸ CLOSED (time_wait 0)\n";
	struct trace tr;
	struct trace_log log;

	story_trace(&tr, &log, 0);
	assert_renders(ladder_write_text, &log, want);
	fixture_free(&tr, &log);
}

/* The linux profile's delayed ACK: its timer's row when set, and the ACK
 * its expiry sends marked as such (not a resend); an ACK sent at another
 * time is not. */
static void test_text_delayed_ack(void)
{
	static const char want[] =
		"    time  client                         segment                                        server\n"
		"   0.000  ESTABLISHED                                                                   ESTABLISHED\n"
		"   0.000  ❶ FIN_WAIT_1 (close)\n"
		"   0.000                                 client > server F. 1:1(0) ack 1 win 65535 ──▶\n"
		"   0.050                                                                                ❶ CLOSE_WAIT (rcv FIN)\n"
		"   0.050                                                                                ◷ delayed-ACK timer started (4 ms)\n"
		"   0.054                                 ◀─── server > client . 1:1(0) ack 2 win 65535  ◷ delayed ACK\n"
		"   0.104  ❷ FIN_WAIT_2 (rcv ACK of FIN)\n"
		"   0.200                                 ◀─── server > client . 1:1(0) ack 2 win 65535\n";
	struct trace tr;
	struct trace_log log;

	fixture_init(&tr, &log);
	fixture_state(&tr, 0, 0, TCPS_ESTABLISHED, TCPS_FIN_WAIT_1, "close");
	fixture_segment(&tr, 0, 0, 1, SEGEV_SEND, TH_FIN | TH_ACK, 1001, 5001, 0);
	fixture_segment(&tr, MS(50), 0, 1, SEGEV_DELIVER, TH_FIN | TH_ACK, 1001, 5001, 0);
	fixture_state(&tr, MS(50), 1, TCPS_ESTABLISHED, TCPS_CLOSE_WAIT, "rcv FIN");
	timer_ev(&tr, MS(50), 1, TIMER_DELACK, TIMER_SET, MS(54));
	timer_ev(&tr, MS(54), 1, TIMER_DELACK, TIMER_FIRE, 0);
	fixture_segment(&tr, MS(54), 1, 0, SEGEV_SEND, TH_ACK, 5001, 1002, 0);
	fixture_segment(&tr, MS(104), 1, 0, SEGEV_DELIVER, TH_ACK, 5001, 1002, 0);
	fixture_state(&tr, MS(104), 0, TCPS_FIN_WAIT_1, TCPS_FIN_WAIT_2, "rcv ACK of FIN");
	fixture_segment(&tr, MS(200), 1, 0, SEGEV_SEND, TH_ACK, 5001, 1002, 0);
	assert_renders(ladder_write_text, &log, want);
	fixture_free(&tr, &log);
}

/* The linux profile's tail loss probe: the resend its timer made says
 * TLP, the RTO's after it RTO. */
static void test_text_tlp(void)
{
	struct trace tr;
	struct trace_log log;

	fixture_init(&tr, &log);
	fixture_segment(&tr, 0, 0, 1, SEGEV_SEND, TH_ACK | TH_PSH, 1001, 5001, 100);
	fixture_segment(&tr, 0, 0, 1, SEGEV_DROP, TH_ACK | TH_PSH, 1001, 5001, 100);
	timer_ev(&tr, MS(300), 0, TIMER_TLP, TIMER_FIRE, 0);
	fixture_segment(&tr, MS(300), 0, 1, SEGEV_SEND, TH_ACK | TH_PSH, 1001, 5001, 100);
	fixture_segment(&tr, MS(300), 0, 1, SEGEV_DROP, TH_ACK | TH_PSH, 1001, 5001, 100);
	timer_ev(&tr, MS(600), 0, TIMER_RTO, TIMER_FIRE, 0);
	fixture_segment(&tr, MS(600), 0, 1, SEGEV_SEND, TH_ACK | TH_PSH, 1001, 5001, 100);
	char *text = render(ladder_write_text, &log);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "   0.300  (TLP)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "   0.600  (RTO 2)"));
	if (!strstr(text, "(TLP)"))
		printf("\n%s", text);
	free(text);
	fixture_free(&tr, &log);
}

/* --labels short: words for a slide; data as its first and last byte. */
static void test_text_short_labels(void)
{
	static const char want[] =
		"    time  client         segment           server\n"
		"   0.000  CLOSED                           CLOSED\n"
		"   0.010                 SYN ───────────▶\n"
		"   0.020                 ◀─────── SYN+ACK\n"
		"   0.030                 ACK ───────────▶\n"
		"   0.040                 data 1-1000 ───▶\n"
		"   0.050                 FIN+ACK ───────▶\n"
		"   0.060                 ◀── data 1-5+FIN\n"
		"   0.070                 ◀─────────── RST\n";
	struct trace tr;
	struct trace_log log;

	fixture_init(&tr, &log);
	fixture_segment(&tr, MS(10), 0, 1, SEGEV_SEND, TH_SYN, 1000, 0, 0);
	fixture_segment(&tr, MS(20), 1, 0, SEGEV_SEND, TH_SYN | TH_ACK, 5000, 1001, 0);
	fixture_segment(&tr, MS(30), 0, 1, SEGEV_SEND, TH_ACK, 1001, 5001, 0);
	fixture_segment(&tr, MS(40), 0, 1, SEGEV_SEND, TH_PSH | TH_ACK, 1001, 5001, 1000);
	fixture_segment(&tr, MS(50), 0, 1, SEGEV_SEND, TH_FIN | TH_ACK, 2001, 5001, 0);
	fixture_segment(&tr, MS(60), 1, 0, SEGEV_SEND, TH_FIN | TH_PSH | TH_ACK, 5001, 2002, 5);
	fixture_segment(&tr, MS(70), 1, 0, SEGEV_SEND, TH_RST, 5007, 0, 0);
	log.labels = TRACE_LABELS_SHORT;
	assert_renders(ladder_write_text, &log, want);
	fixture_free(&tr, &log);
}

/* --abs-seq: the numbers as sent (tcpdump -S), in the markdown too. */
static void test_markdown_abs_seq(void)
{
	static const char want[] =
		"| time | client | segment | server |\n"
		"|---:|---|:---:|---|\n"
		"| 0.000 | CLOSED |  | CLOSED |\n"
		"| 0.010 |  | `S 1000:1000(0) win 65535 <mss 1460>` ──▶ |  |\n"
		"| 0.020 |  | ◀── `S. 5000:5000(0) ack 1001 win 65535 <mss 1460>` |  |\n"
		"\n";
	struct trace tr;
	struct trace_log log;

	fixture_init(&tr, &log);
	fixture_segment(&tr, MS(10), 0, 1, SEGEV_SEND, TH_SYN, 1000, 0, 0);
	fixture_segment(&tr, MS(20), 1, 0, SEGEV_SEND, TH_SYN | TH_ACK, 5000, 1001, 0);
	log.abs_seq = true;
	assert_renders(ladder_write_markdown, &log, want);
	fixture_free(&tr, &log);
}

/* The client reconnects from the same port with a new ISN; the server,
 * still in the old connection, answers with a challenge ACK for the old
 * bytes: a number before the new ISN, printed as a negative offset (it was
 * "ack 4294966397"), and so is the RST the client sends for it. */
static void test_text_challenge_ack(void)
{
	static const char want[] =
		"    time  client         segment                                                   server\n"
		"   0.000  CLOSED                                                                   CLOSED\n"
		"   0.010                 client > server S 0:0(0) win 65535 <mss 1460> ─────────▶\n"
		"   0.020                 ◀── server > client S. 0:0(0) ack 1 win 65535 <mss 1460>\n"
		"   0.030                 client > server P. 1:101(100) ack 1 win 65535 ─────────▶\n"
		"   0.100                 client > server S 0:0(0) win 65535 <mss 1460> ─────────▶\n"
		"   0.110                 ◀─────────── server > client . 1:1(0) ack -899 win 65535\n"
		"   0.120                 client > server R -899:-899(0) win 0 ──────────────────▶\n";
	struct trace tr;
	struct trace_log log;

	fixture_init(&tr, &log);
	fixture_segment(&tr, MS(10), 0, 1, SEGEV_SEND, TH_SYN, 1000, 0, 0);
	fixture_segment(&tr, MS(20), 1, 0, SEGEV_SEND, TH_SYN | TH_ACK, 5000, 1001, 0);
	fixture_segment(&tr, MS(30), 0, 1, SEGEV_SEND, TH_PSH | TH_ACK, 1001, 5001, 100);
	fixture_segment(&tr, MS(100), 0, 1, SEGEV_SEND, TH_SYN, 2000, 0, 0);
	fixture_segment(&tr, MS(110), 1, 0, SEGEV_SEND, TH_ACK, 5001, 1101, 0);
	fixture_segment(&tr, MS(120), 0, 1, SEGEV_SEND, TH_RST, 1101, 0, 0);
	assert_renders(ladder_write_text, &log, want);
	fixture_free(&tr, &log);
}

/* A sent segment carrying len bytes of data (PSH, ACK). */
static void data_send(struct trace *tr, usec_t t, uint32_t seq, const uint8_t *data, uint32_t len)
{
	struct trace_event ev = { .type = TRACE_SEGMENT, .t_us = t, .endpoint = 0 };

	ev.u.segment.src = 0;
	ev.u.segment.dst = 1;
	ev.u.segment.event = SEGEV_SEND;
	ev.u.segment.seg.flags = TH_PSH | TH_ACK;
	ev.u.segment.seg.seq = seq;
	ev.u.segment.seg.ack = 5001;
	ev.u.segment.seg.len = len;
	ev.u.segment.seg.win = 65535;
	ev.u.segment.seg.data = data;
	trace_emit(tr, &ev);
}

/* What a `data:` send carries is shown by its sender, quoted, "…" when the
 * log kept only its first bytes; a `bytes:` send's pattern ("abc...") and
 * binary bytes say nothing. */
static void test_text_payload(void)
{
	static const char want[] =
		"    time  client                 segment                                            server\n"
		"   0.000  CLOSED                                                                    CLOSED\n"
		"   0.010                         client > server S 0:0(0) win 65535 <mss 1460> ──▶\n"
		"   0.020  \"GET / HTTP/1.0\\r\\n\"…  client > server P. 1:19(18) ack 1 win 65535 ────▶\n"
		"   0.030                         client > server P. 19:24(5) ack 1 win 65535 ────▶\n"
		"   0.040  \"bye\"                  client > server P. 24:27(3) ack 1 win 65535 ────▶\n"
		"   0.050                         client > server P. 27:31(4) ack 1 win 65535 ────▶\n";
	static const uint8_t request[] = "GET / HTTP/1.0\r\n\r\n", pattern[] = "stuvw", binary[4] = { 0 };
	struct trace tr;
	struct trace_log log;

	fixture_init(&tr, &log);
	fixture_segment(&tr, MS(10), 0, 1, SEGEV_SEND, TH_SYN, 1000, 0, 0);
	data_send(&tr, MS(20), 1001, request, 18);
	data_send(&tr, MS(30), 1019, pattern, 5);       /* stream offset 18: 's' */
	data_send(&tr, MS(40), 1024, (const uint8_t *)"bye", 3);
	data_send(&tr, MS(50), 1027, binary, 4);
	assert_renders(ladder_write_text, &log, want);
	fixture_free(&tr, &log);
}

TCPSIM_SUITE(ladder,
	{ "text: what a data: send carries", test_text_payload },
	{ "text: the story (causes, steps, RFC rows, resends, 2MSL restarted)", test_text_story },
	{ "text: a time-wait of 0 is no 2MSL", test_text_time_wait_zero },
	{ "text: the linux profile's delayed ACK, its timer and its ACK", test_text_delayed_ack },
	{ "text: the linux profile's loss probe says TLP", test_text_tlp },
	{ "text: --labels short", test_text_short_labels },
	{ "markdown: --abs-seq", test_markdown_abs_seq },
	{ "text: a challenge ACK before the new ISN is a negative offset", test_text_challenge_ack },
	{ "text: a host's drop gives its reason", test_text_host_drop_reason },
	{ "markdown: a host's drop gives its reason", test_markdown_host_drop_reason },
	{ "text: a long time widens the time column", test_text_long_times_stay_aligned },
	{ "text: simultaneous close", test_text_simultaneous_close },
	{ "markdown: simultaneous close, handout form", test_markdown_simultaneous_close },
	{ "text: drops crossed out, forged marked", test_text_drops_and_forged },
	{ "markdown: drops crossed out, forged marked", test_markdown_drops_and_forged },
	{ "one client/server pair, the rest counted", test_other_endpoints_left_out },
	{ "markdown specials escaped", test_markdown_escapes },
	{ "an incomplete log is refused", test_incomplete_log_is_an_error },
	{ "text: notes at their time", test_text_notes },
	{ "markdown: notes at their time", test_markdown_notes },
	{ "markdown: the summary after the ladder is a paragraph (cmark-gfm)", test_markdown_summary_is_a_paragraph })
