/* test_pcapng_trace.c - the run's commented capture, from a hand-built
 * trace: each packet on its sender's interface when sent and on its
 * receiver's when it arrives, a lost one at the sender only, and the
 * comments the events after a frame give it (the link's drop, a resend
 * and its timer, the copy's delay, the state change an arrival caused);
 * read back with tshark. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "output/pcapng_trace.h"
#include "command_output.h"
#include "trace_fixture.h"
#include "testing.h"

/* A hand-built trace with the capture's sink on it, written to a
 * temporary file. */
struct capture {
	struct trace tr;
	struct trace_log log;
	struct pcapng_trace *pt;
	char path[64];
};

/* Starts c, capturing endpoints keep[0..n_keep) (n_keep 0: all). */
static void capture_open(struct capture *c, const int *keep, int n_keep)
{
	char err[256] = "";
	int fd;

	snprintf(c->path, sizeof c->path, "/tmp/tcpsim_test_pcapng_trace_XXXXXX");
	fd = mkstemp(c->path);
	CU_ASSERT_FATAL(fd >= 0);
	fixture_init(&c->tr, &c->log);
	c->pt = pcapng_trace_open(fdopen(fd, "wb"), keep, n_keep, err, sizeof err);
	CU_ASSERT_FATAL(c->pt != NULL);
	trace_add_sink(&c->tr, pcapng_trace_sink(c->pt));
}

/* Closes c's file and returns what cmd (a printf format taking the file's
 * path once or twice) prints of it (malloc'ed); removes the file. */
static char *capture_read(struct capture *c, const char *cmd)
{
	char err[256] = "", line[768];
	int status;

	CU_ASSERT_EQUAL(pcapng_trace_close(c->pt, err, sizeof err), 0);
	fixture_free(&c->tr, &c->log);
	snprintf(line, sizeof line, cmd, c->path, c->path);
	char *out = command_output(line, &status);
	unlink(c->path);
	return out;
}

/* A SYN lost by the link, sent again after its timer, delivered: the
 * server goes to SYN_RECEIVED (the fixture's rows are all "T0"); its
 * SYN,ACK arrives and the client is ESTABLISHED. */
static void test_frames_and_comments(void)
{
	struct capture c;

	capture_open(&c, NULL, 0);
	struct trace *tr = &c.tr;
	fixture_state(tr, 0, 1, TCPS_CLOSED, TCPS_LISTEN, "listen");
	fixture_state(tr, MS(10), 0, TCPS_CLOSED, TCPS_SYN_SENT, "connect");
	fixture_segment(tr, MS(10), 0, 1, SEGEV_SEND, TH_SYN, 1000, 0, 0);
	fixture_segment(tr, MS(10), 0, 1, SEGEV_DROP, TH_SYN, 1000, 0, 0);
	fixture_arc(tr, MS(1010), 0, TCPS_SYN_SENT, "T52a", "timeout RTO");   /* before the resend */
	fixture_segment(tr, MS(1010), 0, 1, SEGEV_SEND, TH_SYN, 1000, 0, 0);
	fixture_segment(tr, MS(1060), 0, 1, SEGEV_DELIVER, TH_SYN, 1000, 0, 0);
	fixture_state(tr, MS(1060), 1, TCPS_LISTEN, TCPS_SYN_RECEIVED, "rcv SYN");
	fixture_segment(tr, MS(1060), 1, 0, SEGEV_SEND, TH_SYN | TH_ACK, 5000, 1001, 0);
	fixture_segment(tr, MS(1110), 1, 0, SEGEV_DELIVER, TH_SYN | TH_ACK, 5000, 1001, 0);
	fixture_state(tr, MS(1110), 0, TCPS_SYN_SENT, TCPS_ESTABLISHED, "rcv SYN,ACK");
	char *out = capture_read(&c, "tshark -o tcp.check_checksum:TRUE -r %s -T fields -E separator='|' "
				     "-e frame.number -e frame.interface_id -e frame.time_relative -e tcp.flags.str "
				     "-e tcp.checksum.status -e frame.comment 2>/dev/null");
	static const char want[] =
		"1|0|0.000000000|··········S·|1|dropped by the link\n"
		"2|0|1.000000000|··········S·|1|retransmission (SYN retry 1)\n"
		"3|1|1.050000000|··········S·|1|copy of frame 2, 50.0 ms on the link,server: LISTEN -> SYN_RECEIVED (T0)\n"
		"4|1|1.050000000|·······A··S·|1|\n"
		"5|0|1.100000000|·······A··S·|1|copy of frame 4, 50.0 ms on the link,client: SYN_SENT -> ESTABLISHED (T0)\n";
	CU_ASSERT_STRING_EQUAL(out, want);
	if (strcmp(out, want) != 0)
		printf("\n%s", out);
	free(out);
}

/* The linux profile's delayed-ACK timer expires and the server's ACK goes:
 * that frame says so; the ACK the server sends later, at no expiry, does
 * not. */
static void test_delayed_ack(void)
{
	struct capture c;

	capture_open(&c, NULL, 0);
	struct trace *tr = &c.tr;
	struct trace_event fire = { .type = TRACE_TIMER, .t_us = MS(54), .endpoint = 1 };
	fire.u.timer.timer = TIMER_DELACK;
	fire.u.timer.event = TIMER_FIRE;
	fixture_segment(tr, 0, 0, 1, SEGEV_SEND, TH_FIN | TH_ACK, 1001, 5001, 0);
	fixture_segment(tr, MS(50), 0, 1, SEGEV_DELIVER, TH_FIN | TH_ACK, 1001, 5001, 0);
	trace_emit(tr, &fire);
	fixture_segment(tr, MS(54), 1, 0, SEGEV_SEND, TH_ACK, 5001, 1002, 0);
	fixture_segment(tr, MS(200), 1, 0, SEGEV_SEND, TH_ACK, 5001, 1002, 0);
	char *out = capture_read(&c, "tshark -r %s -T fields -E separator='|' -e frame.number -e frame.comment "
				     "2>/dev/null");
	static const char want[] =
		"1|\n"
		"2|copy of frame 1, 50.0 ms on the link\n"
		"3|delayed ACK: the delayed-ACK timer expired\n"
		"4|\n";
	CU_ASSERT_STRING_EQUAL(out, want);
	if (strcmp(out, want) != 0)
		printf("\n%s", out);
	free(out);
}

/* The linux profile's loss-probe timer expires and the client's last
 * segment goes again: a retransmission, the TLP. */
static void test_tlp(void)
{
	struct capture c;

	capture_open(&c, NULL, 0);
	struct trace *tr = &c.tr;
	struct trace_event fire = { .type = TRACE_TIMER, .t_us = MS(300), .endpoint = 0 };
	fire.u.timer.timer = TIMER_TLP;
	fire.u.timer.event = TIMER_FIRE;
	fixture_segment(tr, 0, 0, 1, SEGEV_SEND, TH_ACK | TH_PSH, 1001, 5001, 100);
	fixture_segment(tr, 0, 0, 1, SEGEV_DROP, TH_ACK | TH_PSH, 1001, 5001, 100);
	trace_emit(tr, &fire);
	fixture_segment(tr, MS(300), 0, 1, SEGEV_SEND, TH_ACK | TH_PSH, 1001, 5001, 100);
	char *out = capture_read(&c, "tshark -r %s -T fields -E separator='|' -e frame.number -e frame.comment "
				     "2>/dev/null");
	static const char want[] =
		"1|dropped by the link\n"
		"2|retransmission (TLP)\n";
	CU_ASSERT_STRING_EQUAL(out, want);
	if (strcmp(out, want) != 0)
		printf("\n%s", out);
	free(out);
}

/* Only the endpoints kept are captured: a segment between others is left
 * out, and a run without a packet still gives a file tshark reads. */
static void test_keep_and_empty(void)
{
	struct capture c;
	int keep[1] = { 1 };

	capture_open(&c, keep, 1);
	fixture_segment(&c.tr, MS(10), 0, 1, SEGEV_SEND, TH_SYN, 1000, 0, 0);   /* the client is not kept */
	char *out = capture_read(&c, "tshark -r %s 2>&1 | grep -v 'Running as user' | wc -l; capinfos -c -M %s");
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "0\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "Number of packets:   0"));
	free(out);
}

/* A SYN the server's host delivered and dropped (its listen queue full):
 * its arrival says so. */
static void test_host_drop(void)
{
	struct capture c;

	capture_open(&c, NULL, 0);
	fixture_segment(&c.tr, MS(10), 0, 1, SEGEV_SEND, TH_SYN, 1000, 0, 0);
	fixture_segment(&c.tr, MS(60), 0, 1, SEGEV_DELIVER, TH_SYN, 1000, 0, 0);
	struct trace_event drop = { .type = TRACE_SEGMENT, .t_us = MS(60),
				    .u.segment = { .src = 0, .dst = 1, .event = SEGEV_DROP, .reason = "backlog full",
						   .seg = { .src_ip = 0x0a000001, .dst_ip = 0x0a000002, .src_port = 40000,
							    .dst_port = 80, .seq = 1000, .flags = TH_SYN } } };
	trace_emit(&c.tr, &drop);
	char *out = capture_read(&c, "tshark -r %s -T fields -e frame.interface_id -e frame.comment 2>/dev/null");
	CU_ASSERT_STRING_EQUAL(out, "0\t\n1\tcopy of frame 1, 50.0 ms on the link,dropped by the receiver: backlog full\n");
	free(out);
}

/* A kernel's state change comes some 100 us after the arrival that caused
 * it (its tracepoint, replay): still the arrival's; one 5 ms later is not. */
static void test_reaction_window(void)
{
	struct capture c;

	capture_open(&c, NULL, 0);
	fixture_segment(&c.tr, MS(10), 0, 1, SEGEV_SEND, TH_FIN | TH_ACK, 1001, 5001, 0);
	fixture_segment(&c.tr, MS(60), 0, 1, SEGEV_DELIVER, TH_FIN | TH_ACK, 1001, 5001, 0);
	fixture_state(&c.tr, MS(60) + 100, 1, TCPS_ESTABLISHED, TCPS_CLOSE_WAIT, "kernel");
	fixture_state(&c.tr, MS(65), 1, TCPS_CLOSE_WAIT, TCPS_LAST_ACK, "kernel");
	char *out = capture_read(&c, "tshark -r %s -T fields -e frame.comment 2>/dev/null");
	CU_ASSERT_STRING_EQUAL(out, "\ncopy of frame 1, 50.0 ms on the link,server: ESTABLISHED -> CLOSE_WAIT (T0)\n");
	free(out);
}

TCPSIM_SUITE(pcapng_trace,
	{ "a kernel's state change 100 us after the arrival", test_reaction_window },
	{ "a SYN delivered and dropped by the receiving host", test_host_drop },
	{ "frames at each end and their comments", test_frames_and_comments },
	{ "the linux profile's delayed ACK says so", test_delayed_ack },
	{ "the linux profile's loss probe is a TLP", test_tlp },
	{ "only the kept endpoints; an empty run's file reads", test_keep_and_empty })
