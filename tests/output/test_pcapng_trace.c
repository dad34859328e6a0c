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
#include "trace_fixture.h"
#include "testing.h"

/* Runs a shell command and returns its output (malloc'ed). */
static char *output_of(const char *cmd)
{
	FILE *f = popen(cmd, "r");
	char *buf = calloc(1, 65536);
	size_t n = 0, r;

	CU_ASSERT_FATAL(f != NULL && buf != NULL);
	while (n + 1 < 65536 && (r = fread(buf + n, 1, 65535 - n, f)) > 0)
		n += r;
	pclose(f);
	return buf;
}

/* The retransmission timer's row, as the TCP notes it before a resend. */
static void rto_arc(struct trace *tr, usec_t t, int ep)
{
	struct trace_event ev = { .type = TRACE_ARC, .t_us = t, .endpoint = ep,
				  .u.arc = { .state = TCPS_SYN_SENT, .arc = "T52a", .cause = "timeout RTO" } };
	trace_emit(tr, &ev);
}

/* A SYN lost by the link, sent again after its timer, delivered: the
 * server goes to SYN_RECEIVED (the fixture's rows are all "T0"); its
 * SYN,ACK arrives and the client is ESTABLISHED. */
static void test_frames_and_comments(void)
{
	struct trace tr;
	struct trace_log log;
	char path[] = "/tmp/tcpsim_test_pcapng_trace_XXXXXX", err[256] = "", cmd[512];
	int fd = mkstemp(path);
	FILE *f;

	CU_ASSERT_FATAL(fd >= 0);
	f = fdopen(fd, "wb");
	CU_ASSERT_FATAL(f != NULL);
	fixture_init(&tr, &log);
	struct pcapng_trace *pt = pcapng_trace_open(f, NULL, 0, err, sizeof err);
	CU_ASSERT_FATAL(pt != NULL);
	trace_add_sink(&tr, pcapng_trace_sink(pt));
	fixture_state(&tr, 0, 1, TCPS_CLOSED, TCPS_LISTEN, "listen");
	fixture_state(&tr, MS(10), 0, TCPS_CLOSED, TCPS_SYN_SENT, "connect");
	fixture_segment(&tr, MS(10), 0, 1, SEGEV_SEND, TH_SYN, 1000, 0, 0);
	fixture_segment(&tr, MS(10), 0, 1, SEGEV_DROP, TH_SYN, 1000, 0, 0);
	rto_arc(&tr, MS(1010), 0);
	fixture_segment(&tr, MS(1010), 0, 1, SEGEV_SEND, TH_SYN, 1000, 0, 0);
	fixture_segment(&tr, MS(1060), 0, 1, SEGEV_DELIVER, TH_SYN, 1000, 0, 0);
	fixture_state(&tr, MS(1060), 1, TCPS_LISTEN, TCPS_SYN_RECEIVED, "rcv SYN");
	fixture_segment(&tr, MS(1060), 1, 0, SEGEV_SEND, TH_SYN | TH_ACK, 5000, 1001, 0);
	fixture_segment(&tr, MS(1110), 1, 0, SEGEV_DELIVER, TH_SYN | TH_ACK, 5000, 1001, 0);
	fixture_state(&tr, MS(1110), 0, TCPS_SYN_SENT, TCPS_ESTABLISHED, "rcv SYN,ACK");
	CU_ASSERT_EQUAL(pcapng_trace_close(pt, err, sizeof err), 0);
	fixture_free(&tr, &log);

	snprintf(cmd, sizeof cmd,
		 "tshark -o tcp.check_checksum:TRUE -r %s -T fields -E separator='|' -e frame.number "
		 "-e frame.interface_id -e frame.time_relative -e tcp.flags.str -e tcp.checksum.status "
		 "-e frame.comment 2>/dev/null",
		 path);
	char *out = output_of(cmd);
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
	unlink(path);
}

/* Only the endpoints kept are captured: a segment between others is left
 * out, and a run without a packet still gives a file tshark reads. */
static void test_keep_and_empty(void)
{
	struct trace tr;
	struct trace_log log;
	char path[] = "/tmp/tcpsim_test_pcapng_trace_XXXXXX", err[256] = "", cmd[512];
	int fd = mkstemp(path), keep[1] = { 1 };

	CU_ASSERT_FATAL(fd >= 0);
	fixture_init(&tr, &log);
	struct pcapng_trace *pt = pcapng_trace_open(fdopen(fd, "wb"), keep, 1, err, sizeof err);
	CU_ASSERT_FATAL(pt != NULL);
	trace_add_sink(&tr, pcapng_trace_sink(pt));
	fixture_segment(&tr, MS(10), 0, 1, SEGEV_SEND, TH_SYN, 1000, 0, 0);   /* the client is not kept */
	CU_ASSERT_EQUAL(pcapng_trace_close(pt, err, sizeof err), 0);
	fixture_free(&tr, &log);
	snprintf(cmd, sizeof cmd, "tshark -r %s 2>&1 | grep -v 'Running as user' | wc -l; capinfos -c -M %s", path,
		 path);
	char *out = output_of(cmd);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "0\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "Number of packets:   0"));
	free(out);
	unlink(path);
}

/* A SYN the server's host delivered and dropped (its listen queue full):
 * its arrival says so. */
static void test_host_drop(void)
{
	struct trace tr;
	struct trace_log log;
	char path[] = "/tmp/tcpsim_test_pcapng_trace_XXXXXX", err[256] = "", cmd[512];
	int fd = mkstemp(path);

	CU_ASSERT_FATAL(fd >= 0);
	fixture_init(&tr, &log);
	struct pcapng_trace *pt = pcapng_trace_open(fdopen(fd, "wb"), NULL, 0, err, sizeof err);
	CU_ASSERT_FATAL(pt != NULL);
	trace_add_sink(&tr, pcapng_trace_sink(pt));
	fixture_segment(&tr, MS(10), 0, 1, SEGEV_SEND, TH_SYN, 1000, 0, 0);
	fixture_segment(&tr, MS(60), 0, 1, SEGEV_DELIVER, TH_SYN, 1000, 0, 0);
	struct trace_event drop = { .type = TRACE_SEGMENT, .t_us = MS(60),
				    .u.segment = { .src = 0, .dst = 1, .event = SEGEV_DROP, .reason = "backlog full",
						   .seg = { .src_ip = 0x0a000001, .dst_ip = 0x0a000002, .src_port = 40000,
							    .dst_port = 80, .seq = 1000, .flags = TH_SYN } } };
	trace_emit(&tr, &drop);
	CU_ASSERT_EQUAL(pcapng_trace_close(pt, err, sizeof err), 0);
	fixture_free(&tr, &log);
	snprintf(cmd, sizeof cmd, "tshark -r %s -T fields -e frame.interface_id -e frame.comment 2>/dev/null", path);
	char *out = output_of(cmd);
	CU_ASSERT_STRING_EQUAL(out, "0\t\n1\tcopy of frame 1, 50.0 ms on the link,dropped by the receiver: backlog full\n");
	free(out);
	unlink(path);
}

/* A kernel's state change comes some 100 us after the arrival that caused
 * it (its tracepoint, replay): still the arrival's; one 5 ms later is not. */
static void test_reaction_window(void)
{
	struct trace tr;
	struct trace_log log;
	char path[] = "/tmp/tcpsim_test_pcapng_trace_XXXXXX", err[256] = "", cmd[512];
	int fd = mkstemp(path);

	CU_ASSERT_FATAL(fd >= 0);
	fixture_init(&tr, &log);
	struct pcapng_trace *pt = pcapng_trace_open(fdopen(fd, "wb"), NULL, 0, err, sizeof err);
	CU_ASSERT_FATAL(pt != NULL);
	trace_add_sink(&tr, pcapng_trace_sink(pt));
	fixture_segment(&tr, MS(10), 0, 1, SEGEV_SEND, TH_FIN | TH_ACK, 1001, 5001, 0);
	fixture_segment(&tr, MS(60), 0, 1, SEGEV_DELIVER, TH_FIN | TH_ACK, 1001, 5001, 0);
	fixture_state(&tr, MS(60) + 100, 1, TCPS_ESTABLISHED, TCPS_CLOSE_WAIT, "kernel");
	fixture_state(&tr, MS(65), 1, TCPS_CLOSE_WAIT, TCPS_LAST_ACK, "kernel");
	CU_ASSERT_EQUAL(pcapng_trace_close(pt, err, sizeof err), 0);
	fixture_free(&tr, &log);
	snprintf(cmd, sizeof cmd, "tshark -r %s -T fields -e frame.comment 2>/dev/null", path);
	char *out = output_of(cmd);
	CU_ASSERT_STRING_EQUAL(out, "\ncopy of frame 1, 50.0 ms on the link,server: ESTABLISHED -> CLOSE_WAIT (T0)\n");
	free(out);
	unlink(path);
}

TCPSIM_SUITE(pcapng_trace,
	{ "a kernel's state change 100 us after the arrival", test_reaction_window },
	{ "a SYN delivered and dropped by the receiving host", test_host_drop },
	{ "frames at each end and their comments", test_frames_and_comments },
	{ "only the kept endpoints; an empty run's file reads", test_keep_and_empty })
