/* test_segline.c - the segment-line notation: parse, format, match. */
#include <string.h>
#include "proto/segline.h"
#include "proto/segment.h"
#include "testing.h"

/* Parses text, asserting success. */
static struct seg_line parse_ok(const char *text)
{
	struct seg_line l;
	char err[200] = "";
	int col = -1;

	CU_ASSERT_EQUAL(seg_line_parse(text, &l, &col, err, sizeof(err)), 0);
	if (err[0])
		CU_FAIL(err);
	return l;
}

static void test_parse_full_line(void)
{
	struct seg_line l = parse_ok("0.060 server > client S. 0:0(0) ack 1 win 65535 <mss 1460>");

	CU_ASSERT_TRUE(l.has_time);
	CU_ASSERT_FALSE(l.time_relative);
	CU_ASSERT_EQUAL(l.time_us, 60000);
	CU_ASSERT_STRING_EQUAL(l.src, "server");
	CU_ASSERT_STRING_EQUAL(l.dst, "client");
	CU_ASSERT_EQUAL(l.flags, TH_SYN | TH_ACK);
	CU_ASSERT_TRUE(l.has_seq);
	CU_ASSERT_EQUAL(l.seq, 0);
	CU_ASSERT_EQUAL(l.end, 0);
	CU_ASSERT_EQUAL(l.len, 0);
	CU_ASSERT_TRUE(l.has_ack);
	CU_ASSERT_EQUAL(l.ack, 1);
	CU_ASSERT_TRUE(l.has_win);
	CU_ASSERT_EQUAL(l.win, 65535);
	CU_ASSERT_TRUE(l.has_mss);
	CU_ASSERT_EQUAL(l.mss, 1460);
	CU_ASSERT_FALSE(l.dropped);
}

static void test_parse_minimal_line(void)
{
	struct seg_line l = parse_ok("client > server F.");

	CU_ASSERT_FALSE(l.has_time);
	CU_ASSERT_STRING_EQUAL(l.src, "client");
	CU_ASSERT_STRING_EQUAL(l.dst, "server");
	CU_ASSERT_EQUAL(l.flags, TH_FIN | TH_ACK);
	CU_ASSERT_FALSE(l.has_seq);
	CU_ASSERT_FALSE(l.has_ack);
	CU_ASSERT_FALSE(l.has_win);
	CU_ASSERT_FALSE(l.has_mss);
	CU_ASSERT_FALSE(l.dropped);
}

static void test_parse_relative_time_and_dropped(void)
{
	struct seg_line l = parse_ok("+0.050 client#3 > server#3 FP. 1:101(100) ack 1 dropped");

	CU_ASSERT_TRUE(l.has_time);
	CU_ASSERT_TRUE(l.time_relative);
	CU_ASSERT_EQUAL(l.time_us, 50000);
	CU_ASSERT_STRING_EQUAL(l.src, "client#3");
	CU_ASSERT_STRING_EQUAL(l.dst, "server#3");
	CU_ASSERT_EQUAL(l.flags, TH_FIN | TH_PSH | TH_ACK);
	CU_ASSERT_EQUAL(l.seq, 1);
	CU_ASSERT_EQUAL(l.end, 101);
	CU_ASSERT_EQUAL(l.len, 100);
	CU_ASSERT_TRUE(l.dropped);

	l = parse_ok("+0 server > client R");
	CU_ASSERT_TRUE(l.time_relative);
	CU_ASSERT_EQUAL(l.time_us, 0);
	l = parse_ok("1.050250 server > client R");
	CU_ASSERT_EQUAL(l.time_us, 1050250);
	l = parse_ok("3 server > client R");
	CU_ASSERT_EQUAL(l.time_us, 3000000);
}

static void test_parse_whitespace_and_order(void)
{
	struct seg_line l = parse_ok("  1.000\tclient  >\n server  .  1:1(0)  dropped  win 0 ack 4294967295  ");

	CU_ASSERT_EQUAL(l.time_us, 1000000);
	CU_ASSERT_EQUAL(l.flags, TH_ACK);
	CU_ASSERT_TRUE(l.dropped);
	CU_ASSERT_TRUE(l.has_win);
	CU_ASSERT_EQUAL(l.win, 0);
	CU_ASSERT_EQUAL(l.ack, 4294967295u);

	l = parse_ok("client > server S 0:0(0) < mss  536 >");
	CU_ASSERT_TRUE(l.has_mss);
	CU_ASSERT_EQUAL(l.mss, 536);
	/* The sequence range wraps like sequence numbers do. */
	l = parse_ok("client > server P. 4294967295:99(100)");
	CU_ASSERT_EQUAL(l.seq, 4294967295u);
	CU_ASSERT_EQUAL(l.end, 99);
}

/* Expects text to fail at column col with a message containing what. */
static void check_bad(const char *text, int col, const char *what)
{
	struct seg_line l;
	char err[200] = "";
	int got_col = -1;

	CU_ASSERT_EQUAL(seg_line_parse(text, &l, &got_col, err, sizeof(err)), -1);
	CU_ASSERT_EQUAL(got_col, col);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, what));
	if (got_col != col || !strstr(err, what))
		fprintf(stderr, "\n  '%s': col %d, '%s'\n", text, got_col, err);
}

static void test_parse_errors(void)
{
	check_bad("", 0, "missing source");
	check_bad("   ", 3, "missing source");
	check_bad("0.010", 5, "missing source");
	check_bad("0.01x client > server S", 0, "bad time '0.01x'");
	check_bad("+-1 client > server S", 0, "bad time");
	check_bad("0.0000001 client > server S", 0, "bad time");
	check_bad("client server S", 7, "expected '>'");
	check_bad("client", 6, "expected '>'");
	check_bad("client >", 8, "missing destination");
	check_bad("client > 3server S", 9, "bad destination endpoint name '3server'");
	check_bad("cli-ent > server S", 0, "bad source endpoint name");
	check_bad("client > server", 15, "missing flags");
	check_bad("client > server X 0:0(0)", 16, "bad flags 'X'");
	check_bad("client > server SS", 16, "bad flags");
	check_bad("client > server S 0:0", 18, "bad sequence range");
	check_bad("client > server S 0:0(0", 18, "bad sequence range");
	check_bad("client > server S 1:5(3)", 18, "END - SEQ is 4");
	check_bad("client > server S 0:4294967296(0)", 18, "bad sequence range");
	check_bad("client > server S 0:0(0) ack", 28, "missing number after 'ack'");
	check_bad("client > server S 0:0(0) ack x", 29, "bad number after 'ack'");
	check_bad("client > server S 0:0(0) ack -0", 29, "bad number after 'ack'");
	check_bad("client > server S 0:0(0) ack -2147483649", 29, "bad number after 'ack'");
	check_bad("client > server S 1:-1(0)", 18, "bad sequence range");   /* END before, SEQ not */
	check_bad("client > server S 0:0(0) win -1", 29, "bad number after 'win'");
	check_bad("client > server S 0:0(0) ack 1 ack 2", 31, "'ack' given twice");
	check_bad("client > server S win 99999999999", 22, "bad number after 'win'");
	check_bad("client > server S dropped dropped", 26, "'dropped' given twice");
	check_bad("client > server S <sackOK>", 19, "unsupported option 'sackOK'");
	check_bad("client > server S <mss 1460,nop,wscale 7>", 28, "unsupported option 'nop'");
	check_bad("client > server S <mss>", 22, "bad mss option");
	check_bad("client > server S <mss 1460", 18, "without '>'");
	check_bad("client > server S <>", 19, "empty option");
	check_bad("client > server S <mss 1> <mss 2>", 26, "option list given twice");
	check_bad("client > server S length 0", 18, "unexpected 'length'");
	check_bad("client > server S 0:0(0) 1:1(0)", 25, "unexpected '1:1(0)'");
	check_bad("client > server S a_name_that_is_much_longer_than_the_token_buffer_can_hold_yes",
		  18, "unexpected");
}

/* Relative numbers before the ISN (a challenge ACK for an old incarnation,
 * a forged SYN below the ISN) read and print as negative offsets, held
 * modulo 2^32 so that they compare with the numbering's; the unsigned
 * spelling of the same number still matches. */
static void test_negative_offsets(void)
{
	struct seg_line l = parse_ok("server > client . 1:1(0) ack -37399"), u;
	char buf[128];

	CU_ASSERT_TRUE(l.ack_before);
	CU_ASSERT_EQUAL(l.ack, 4294929897u);
	seg_line_format(&l, buf, sizeof buf);
	CU_ASSERT_STRING_EQUAL(buf, "server > client . 1:1(0) ack -37399");
	u = parse_ok("server > client . 1:1(0) ack 4294929897");
	CU_ASSERT_FALSE(u.ack_before);
	CU_ASSERT_TRUE(seg_line_matches(&u, &l));
	l = parse_ok("client > server S -10:-10(0)");
	CU_ASSERT_TRUE(l.seq_before);
	CU_ASSERT_EQUAL(l.seq, 4294967286u);
	seg_line_format(&l, buf, sizeof buf);
	CU_ASSERT_STRING_EQUAL(buf, "client > server S -10:-10(0)");
	l = parse_ok("client > server P. -5:5(10)");      /* across the ISN */
	seg_line_format(&l, buf, sizeof buf);
	CU_ASSERT_STRING_EQUAL(buf, "client > server P. -5:5(10)");
}

static void test_parse_without_err_buffers(void)
{
	struct seg_line l;

	CU_ASSERT_EQUAL(seg_line_parse("client > server X", &l, NULL, NULL, 0), -1);
	CU_ASSERT_EQUAL(seg_line_parse(NULL, &l, NULL, NULL, 0), -1);
}

static void test_format(void)
{
	static const char *const lines[] = {
		"0.060 server > client S. 0:0(0) ack 1 win 65535 <mss 1460>",
		"client > server F. 1:1(0) ack 1 dropped",
		"+0.050 client#2 > server#2 P. 1:101(100) ack 1",
		"1.050250 server > client R",
		"client > server none win 0",
	};
	char buf[128];

	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		struct seg_line l = parse_ok(lines[i]);
		seg_line_format(&l, buf, sizeof(buf));
		CU_ASSERT_STRING_EQUAL(buf, lines[i]);
	}
}

static void test_format_normalizes(void)
{
	struct seg_line l = parse_ok("  +0.05   client > server .S  1:1(0) win 7 ack 2 ");
	char buf[128];

	seg_line_format(&l, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "+0.050 client > server S. 1:1(0) ack 2 win 7");
}

static void test_format_truncates_safely(void)
{
	struct seg_line l = parse_ok("0.060 server > client S. 0:0(0) ack 1 win 65535 <mss 1460>");
	char buf[12];

	memset(buf, 'x', sizeof(buf));
	seg_line_format(&l, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "0.060 serve");
	seg_line_format(&l, buf, 0);   /* writes nothing */
	CU_ASSERT_STRING_EQUAL(buf, "0.060 serve");
}

static void test_matches(void)
{
	struct seg_line got = parse_ok("0.060 server > client S. 0:0(0) ack 1 win 65535 <mss 1460>");
	struct seg_line dropped = parse_ok("1.000 client > server F. 1:1(0) ack 1 win 65535 dropped");

	CU_ASSERT_TRUE(seg_line_matches(&got, &got));
	CU_ASSERT_TRUE(seg_line_matches(&(struct seg_line){ 0 }, &(struct seg_line){ 0 }));
	struct seg_line w = parse_ok("server > client S.");
	CU_ASSERT_TRUE(seg_line_matches(&w, &got));
	w = parse_ok("9.999 server > client S. 0:0(0)");   /* time is the caller's */
	CU_ASSERT_TRUE(seg_line_matches(&w, &got));
	w = parse_ok("server > client S. ack 1 win 65535");
	CU_ASSERT_TRUE(seg_line_matches(&w, &got));
	w = parse_ok("server > client S. <mss 1460>");
	CU_ASSERT_TRUE(seg_line_matches(&w, &got));

	w = parse_ok("server > client S");
	CU_ASSERT_FALSE(seg_line_matches(&w, &got));        /* flags always compared */
	w = parse_ok("client > server S.");
	CU_ASSERT_FALSE(seg_line_matches(&w, &got));
	w = parse_ok("server > client#1 S.");
	CU_ASSERT_FALSE(seg_line_matches(&w, &got));
	w = parse_ok("server > client S. 1:1(0)");
	CU_ASSERT_FALSE(seg_line_matches(&w, &got));
	w = parse_ok("server > client S. ack 2");
	CU_ASSERT_FALSE(seg_line_matches(&w, &got));
	w = parse_ok("server > client S. win 1024");
	CU_ASSERT_FALSE(seg_line_matches(&w, &got));
	w = parse_ok("server > client S. <mss 536>");
	CU_ASSERT_FALSE(seg_line_matches(&w, &got));
	w = parse_ok("server > client S. dropped");
	CU_ASSERT_FALSE(seg_line_matches(&w, &got));        /* got was not dropped */

	/* `dropped` is compared only when the expectation says it. */
	w = parse_ok("client > server F. 1:1(0)");
	CU_ASSERT_TRUE(seg_line_matches(&w, &dropped));
	w = parse_ok("client > server F. dropped");
	CU_ASSERT_TRUE(seg_line_matches(&w, &dropped));
	/* A field the segment lacks does not match a written one. */
	w = parse_ok("server > client S ack 0");
	got = parse_ok("server > client S");
	CU_ASSERT_FALSE(seg_line_matches(&w, &got));
}

TCPSIM_SUITE(segline,
	{ "negative offsets before the ISN", test_negative_offsets },
	{ "a full line: time, names, flags, range, ack, win, mss", test_parse_full_line },
	{ "a minimal line: names and flags", test_parse_minimal_line },
	{ "relative times, numbered names, dropped", test_parse_relative_time_and_dropped },
	{ "any whitespace; ack, win, dropped in any order", test_parse_whitespace_and_order },
	{ "errors say what and where (column)", test_parse_errors },
	{ "errors without buffers, NULL text", test_parse_without_err_buffers },
	{ "format writes back what was parsed", test_format },
	{ "format writes the notation's order and spelling", test_format_normalizes },
	{ "format truncates within cap", test_format_truncates_safely },
	{ "matches compares only fields written", test_matches })
