/* test_tcp_send_queue.c - SEND's queue in the TCP (RFC 9293 section
 * 3.10.2) at sizes past 2^31 and 2^32, as segments and as scenario runs:
 * the two reproducers of a send that hung (2^31+1 bytes on a connection
 * being opened) and one that wrote past its buffer (1 then 2^32-1 bytes),
 * the end of a queue of 2^32 bytes where sequence numbers wrap, and
 * segments whose text spans `data:` and pattern bytes.
 *
 * A hang or a crash of the code under test would stop the whole suite, so
 * the queueing is first tried in a child process bounded in time
 * (survives()); the checks then run here. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "proto/payload.h"
#include "engine/sim.h"
#include "tcp_script.h"
#include "yaml_fixture.h"

#define GIB4 ((uint64_t)1 << 32)
#define TWO_31_PLUS_1 (((uint32_t)1 << 31) + 1)

/* Runs fn in a child process that SIGALRM ends after `seconds` (its default
 * action set here, not inherited): true when fn returned. */
static bool survives(void (*fn)(void), unsigned seconds)
{
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0) {
		signal(SIGALRM, SIG_DFL);
		alarm(seconds);
		fn();
		_exit(0);
	}
	int status;
	CU_ASSERT_FATAL(waitpid(pid, &status, 0) == pid);
	if (WIFSIGNALED(status))
		fprintf(stderr, "\n  the child was ended by signal %d (%s)\n", WTERMSIG(status),
			WTERMSIG(status) == SIGALRM ? "a hang" : "a crash");
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* Payloads the client sent, in order: seq and the first and last bytes. */
struct sent_text {
	int n;
	uint32_t seq[64], len[64];
	uint8_t first[64][8], last[64];
};

static void on_send(void *ctx, const struct trace *tr, const struct trace_event *ev)
{
	struct sent_text *t = ctx;
	const struct segment *g = &ev->u.segment.seg;
	if (ev->u.segment.src != CLIENT || !g->len || t->n == 64)
		return;
	t->seq[t->n] = g->seq;
	t->len[t->n] = g->len;
	memcpy(t->first[t->n], g->data, g->len < 8 ? g->len : 8);
	t->last[t->n] = g->data[g->len - 1];
	t->n++;
}

static void watch_text(struct script *s, struct sent_text *t)
{
	memset(t, 0, sizeof *t);
	trace_add_sink(&s->tr, (struct trace_sink){ .event = on_send, .ctx = t, .mask = trace_seg_bit(SEGEV_SEND) });
}

/* The client sends a whole window (65535 bytes, the script peer's) from
 * relative seq `from` on: 44 segments of 1460 bytes and one of 1295, no
 * PSH (more is queued). */
static void expect_full_window(struct script *s, uint32_t from)
{
	for (int i = 0; i < 44; i++)
		SENT(s, CLIENT, TH_ACK, from + 1460u * (uint32_t)i, 1, 1460);
	SENT(s, CLIENT, TH_ACK, from + 44u * 1460, 1, 1295);
	NOTHING_SENT(s);
}

/* ---- reproducer 1: 2^31+1 bytes while the connection is being opened ---- */

static void queue_2_31_plus_1_in_syn_sent(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_connect(&s, CLIENT);
	int err = script_send(&s, CLIENT, TWO_31_PLUS_1);
	script_free(&s);
	if (err)
		_exit(1);
}

/* U03: the text waits for ESTABLISHED, then goes out a window at a time;
 * the queue counts 2^31+1 bytes, and so ACKs of the first window leave
 * 2^31+1-65535 (once the capacity doubled past 2^31 wrapped to 0 and
 * queueing never ended). */
static void test_send_2_31_plus_1_in_syn_sent(void)
{
	CU_ASSERT_FATAL(survives(queue_2_31_plus_1_in_syn_sent, 60));
	struct script s;
	struct sent_text t;
	script_init(&s, PROFILE_RFC9293);
	watch_text(&s, &t);
	script_connect(&s, CLIENT);
	SENT(&s, CLIENT, TH_SYN, 0, 0, 0);
	CU_ASSERT_EQUAL(script_send(&s, CLIENT, TWO_31_PLUS_1), TCP_OK);
	struct tcb *tcb = script_tcb(&s, CLIENT);
	CU_ASSERT_PTR_NOT_NULL_FATAL(tcb);
	CU_ASSERT_EQUAL(sndbuf_len(&tcb->snd), TWO_31_PLUS_1);
	NOTHING_SENT(&s);
	RECV(&s, CLIENT, TH_SYN | TH_ACK, 0, 1, 0);
	expect_full_window(&s, 1);                /* the first carries the ACK of the SYN */
	CU_ASSERT_EQUAL(t.first[0][0], 'a');
	CU_ASSERT_EQUAL(t.first[44][0], payload_pattern_byte(44 * 1460));
	RECV(&s, CLIENT, TH_ACK, 1, 1 + 65535, 0);
	CU_ASSERT_EQUAL(sndbuf_len(&tcb->snd), TWO_31_PLUS_1 - 65535);
	expect_full_window(&s, 1 + 65535);
	script_free(&s);
}

/* ---- reproducer 2: 1 then 2^32-1 bytes, 2^32 in all -------------------- */

static void queue_1_then_2_32_minus_1(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_to_state(&s, CLIENT, TCPS_ESTABLISHED);
	int err = script_send(&s, CLIENT, 1) || script_send(&s, CLIENT, UINT32_MAX);
	script_free(&s);
	if (err)
		_exit(1);
}

/* 2^32 bytes queued: one more than sequence numbers count, so the queue's
 * end, read as a sequence number, is its start. The TCP still sends what
 * the window allows, without PSH, and takes an ACK as bytes acknowledged
 * (once the total wrapped, the pattern was written past the buffer). */
static void test_send_1_then_2_32_minus_1(void)
{
	CU_ASSERT_FATAL(survives(queue_1_then_2_32_minus_1, 60));
	struct script s;
	struct sent_text t;
	script_init(&s, PROFILE_RFC9293);
	watch_text(&s, &t);
	script_to_state(&s, CLIENT, TCPS_ESTABLISHED);
	CU_ASSERT_EQUAL(script_send(&s, CLIENT, 1), TCP_OK);
	SENT(&s, CLIENT, TH_ACK | TH_PSH, 1, 1, 1);
	CU_ASSERT_EQUAL(script_send(&s, CLIENT, UINT32_MAX), TCP_OK);
	struct tcb *tcb = script_tcb(&s, CLIENT);
	CU_ASSERT_PTR_NOT_NULL_FATAL(tcb);
	CU_ASSERT_EQUAL(sndbuf_len(&tcb->snd), GIB4);
	/* The window's 65534 bytes left: 44 of 1460 and one of 1294. */
	for (int i = 0; i < 44; i++)
		SENT(&s, CLIENT, TH_ACK, 2 + 1460u * (uint32_t)i, 1, 1460);
	SENT(&s, CLIENT, TH_ACK, 2 + 44u * 1460, 1, 1294);
	NOTHING_SENT(&s);
	CU_ASSERT_EQUAL(t.first[1][0], 'b');
	CU_ASSERT_EQUAL(t.last[45], payload_pattern_byte(65534));
	RECV(&s, CLIENT, TH_ACK, 1, 1 + 65535, 0);
	CU_ASSERT_EQUAL(sndbuf_len(&tcb->snd), GIB4 - 65535);
	expect_full_window(&s, 1 + 65535);
	script_free(&s);
}

/* The end of that queue, 2^32 bytes on: too many segments to exchange one
 * by one, so the test acknowledges all but the last 3000 bytes as if they
 * had been sent (SND.UNA, SND.NXT and SND.MAX 2^32-3000 on, a sequence
 * number that has wrapped past the ISN). The rest goes out with PSH on the
 * last segment, the pattern at stream offsets past 2^32, and the FIN after
 * it; the ACK of the FIN empties the queue. */
static void test_end_of_2_32_queue_wraps(void)
{
	struct script s;
	struct sent_text t;
	script_init(&s, PROFILE_RFC9293);
	watch_text(&s, &t);
	script_to_state(&s, CLIENT, TCPS_ESTABLISHED);
	CU_ASSERT_EQUAL(script_send(&s, CLIENT, 1), TCP_OK);
	CU_ASSERT_EQUAL(script_send(&s, CLIENT, UINT32_MAX), TCP_OK);
	CU_ASSERT_EQUAL(script_send(&s, CLIENT, 2000), TCP_OK);
	struct tcb *tcb = script_tcb(&s, CLIENT);
	CU_ASSERT_PTR_NOT_NULL_FATAL(tcb);
	uint64_t skip = GIB4 + 2000 - 3000;
	tcb->snd_una = tcb->snd_nxt = tcb->snd_max = tcb->snd_buf_seq = CLIENT_ISN + 1 + (uint32_t)skip;
	tcb->recover = tcb->snd_una;
	tcb->snd_wl2 = tcb->snd_una;
	sndbuf_drop(&tcb->snd, skip);
	tcb_timer_cancel(s.host, tcb, TIMER_RTO);
	s.next_out = s.n_out;
	t.n = 0;
	CU_ASSERT_EQUAL(script_close(&s, CLIENT), TCP_OK);
	uint32_t at = 1 + (uint32_t)skip;         /* relative: 1 + 2^32 - 1000, wrapped */
	SENT(&s, CLIENT, TH_ACK, at, 1, 1460);
	SENT(&s, CLIENT, TH_ACK, at + 1460, 1, 1460);
	SENT(&s, CLIENT, TH_ACK | TH_PSH | TH_FIN, at + 2920, 1, 80);
	NOTHING_SENT(&s);
	STATE(&s, CLIENT, TCPS_FIN_WAIT_1, "T12");
	CU_ASSERT_EQUAL_FATAL(t.n, 3);
	CU_ASSERT_EQUAL(t.first[0][0], payload_pattern_byte(skip));
	CU_ASSERT_EQUAL(t.last[2], payload_pattern_byte(GIB4 + 2000 - 1));
	RECV(&s, CLIENT, TH_ACK, 1, at + 3001, 0);
	STATE(&s, CLIENT, TCPS_FIN_WAIT_2, "T14");
	CU_ASSERT_EQUAL(sndbuf_len(&tcb->snd), 0);
	CU_ASSERT_PTR_NULL(tcb->snd.first);
	script_free(&s);
}

/* recover, the point up to which ACKs resend after a timeout, starts at
 * the ISS: 2^31 bytes later it must not read as ahead of SND.UNA (every
 * ACK then resent a segment: 1.5 million needless retransmissions in a
 * 4 GiB run). The client sends 2^31 bytes and 2 windows, the peer
 * acknowledging each window whole, then part of the next: nothing is
 * resent. */
static void test_no_resend_after_2_31_bytes(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_to_state(&s, CLIENT, TCPS_ESTABLISHED);
	CU_ASSERT_EQUAL(script_send(&s, CLIENT, UINT32_MAX), TCP_OK);
	struct tcb *tcb = script_tcb(&s, CLIENT);
	CU_ASSERT_PTR_NOT_NULL_FATAL(tcb);
	uint32_t acked = 1;
	for (uint32_t round = 0; round < ((uint32_t)1 << 31) / 65535 + 2; round++) {
		acked += 65535;
		RECV(&s, CLIENT, TH_ACK, 1, acked, 0);
		script_advance(&s, 0);
		s.n_out = s.next_out = 0;
	}
	/* Past 2^31: an ACK of part of the window (the kind that resent). */
	RECV(&s, CLIENT, TH_ACK, 1, acked + 1460, 0);
	SENT(&s, CLIENT, TH_ACK, acked + 65535, 1, 1460);   /* new data the window lets in */
	NOTHING_SENT(&s);
	acked += 1460;
	CU_ASSERT_EQUAL(s.host->n_retransmits, 0);
	CU_ASSERT_EQUAL(tcb->snd_una, CLIENT_ISN + acked);
	CU_ASSERT_EQUAL(sndbuf_len(&tcb->snd), (uint64_t)UINT32_MAX - (acked - 1));
	script_free(&s);
}

/* ---- data: and pattern in one segment ------------------------------------ */

/* Section 3.7.1's segmentizing does not care where a SEND began: a
 * segment holds the end of one send's data, pattern bytes (at the stream
 * offsets they occupy) and the start of the next data. */
static void test_segments_span_data_and_pattern(void)
{
	struct script s;
	struct sent_text t;
	script_init(&s, PROFILE_RFC9293);
	watch_text(&s, &t);
	script_connect(&s, CLIENT);
	SENT(&s, CLIENT, TH_SYN, 0, 0, 0);
	struct tcb *tcb = script_tcb(&s, CLIENT);
	CU_ASSERT_PTR_NOT_NULL_FATAL(tcb);
	/* Queued in SYN-SENT (U03): 1458 of data, 4 pattern, 1500 of data. */
	static uint8_t one[1458], two[1500];
	memset(one, 'X', sizeof one);
	memset(two, 'Y', sizeof two);
	CU_ASSERT_EQUAL(tcp_send(s.host, tcb, one, sizeof one), TCP_OK);
	CU_ASSERT_EQUAL(tcp_send(s.host, tcb, NULL, 4), TCP_OK);
	CU_ASSERT_EQUAL(tcp_send(s.host, tcb, two, sizeof two), TCP_OK);
	RECV(&s, CLIENT, TH_SYN | TH_ACK, 0, 1, 0);
	SENT(&s, CLIENT, TH_ACK, 1, 1, 1460);     /* with the ACK of the SYN */
	SENT(&s, CLIENT, TH_ACK, 1461, 1, 1460);
	SENT(&s, CLIENT, TH_ACK | TH_PSH, 2921, 1, 42);
	NOTHING_SENT(&s);
	CU_ASSERT_EQUAL_FATAL(t.n, 3);
	/* Offsets 1458, 1459 are the pattern's: 1458 % 26 = 2, "cd". */
	CU_ASSERT_EQUAL(t.last[0], 'd');
	CU_ASSERT_EQUAL(memcmp(t.first[1], "efYYYYYY", 8), 0);
	CU_ASSERT_EQUAL(t.last[1], 'Y');
	CU_ASSERT_EQUAL(t.last[2], 'Y');
	/* A partial ACK, inside the first data chunk, then one past it. */
	RECV(&s, CLIENT, TH_ACK, 1, 1 + 1000, 0);
	CU_ASSERT_EQUAL(sndbuf_len(&tcb->snd), 2962 - 1000);
	CU_ASSERT_PTR_NOT_NULL(tcb->snd.first);
	RECV(&s, CLIENT, TH_ACK, 1, 1 + 1470, 0);
	CU_ASSERT_EQUAL(sndbuf_len(&tcb->snd), 2962 - 1470);
	CU_ASSERT_PTR_EQUAL(tcb->snd.first, tcb->snd.last);
	RECV(&s, CLIENT, TH_ACK, 1, 1 + 2962, 0);
	CU_ASSERT_EQUAL(sndbuf_len(&tcb->snd), 0);
	CU_ASSERT_PTR_NULL(tcb->snd.first);
	script_free(&s);
}

/* ---- the reproducers as scenario runs ------------------------------------ */

/* What a run delivered: bytes per endpoint, checked against the pattern,
 * and each endpoint's last state. */
struct delivered {
	uint64_t bytes[4];
	bool wrong;
	enum tcp_state last[4];
};

static void on_delivery(void *ctx, const struct trace *tr, const struct trace_event *ev)
{
	struct delivered *d = ctx;
	if (ev->endpoint < 0 || ev->endpoint >= 4)
		return;
	if (ev->type == TRACE_STATE) {
		d->last[ev->endpoint] = ev->u.state.to;
		return;
	}
	uint64_t off = d->bytes[ev->endpoint];
	for (uint64_t i = 0; i < ev->u.data.bytes; i++)
		if (ev->u.data.data[i] != payload_pattern_byte(off + i))
			d->wrong = true;
	d->bytes[ev->endpoint] = off + ev->u.data.bytes;
}

static void run_scenario(const char *yaml, struct delivered *d, struct sim_stats *stats)
{
	struct scenario sc;
	struct trace tr;
	char err[300];
	memset(d, 0, sizeof *d);
	yaml_fixture_load(yaml, &sc);
	trace_init(&tr);
	trace_add_sink(&tr, (struct trace_sink){ .event = on_delivery, .ctx = d, .mask = trace_bit(TRACE_DATA) | trace_bit(TRACE_STATE) });
	CU_ASSERT_EQUAL(sim_run(&sc, NULL, &tr, stats, err, sizeof err), 0);
	trace_free(&tr);
	scenario_free(&sc);
}

static const char repro_hang[] =
	"timeline:\n"
	"  - {at: 0ms, client: connect}\n"
	"  - {at: 0ms, client: send, bytes: 2147483649}\n";

static void run_repro_hang(void)
{
	struct delivered d;
	struct sim_stats stats;
	run_scenario(repro_hang, &d, &stats);
}

/* The first reproducer, whole: nobody listens, the SYN draws a
 * RST, and the client, its 2^31+1 bytes queued, is CLOSED. */
static void test_scenario_send_2_31_plus_1(void)
{
	CU_ASSERT_FATAL(survives(run_repro_hang, 60));
	struct delivered d;
	struct sim_stats stats;
	run_scenario(repro_hang, &d, &stats);
	CU_ASSERT_EQUAL(d.last[0], TCPS_CLOSED);
	CU_ASSERT_EQUAL(stats.segments_sent, 2);
}

/* The second reproducer, with a link delay and an `until` that
 * stops it after 40 round trips (the whole 4 GiB takes minutes under
 * ASan): the run ends, and what the server got is the stream's pattern,
 * a window a round trip. */
static const char repro_overflow[] =
	"link: { delay: 1ms }\n"
	"until: 81ms\n"
	"timeline:\n"
	"  - {at: 0ms, server: listen}\n"
	"  - {at: 0ms, client: connect}\n"
	"  - {at: 1ms, client: send, bytes: 1}\n"
	"  - {at: 1ms, client: send, bytes: 4294967295}\n";

static void run_repro_overflow(void)
{
	struct delivered d;
	struct sim_stats stats;
	run_scenario(repro_overflow, &d, &stats);
}

static void test_scenario_send_1_then_2_32_minus_1(void)
{
	CU_ASSERT_FATAL(survives(run_repro_overflow, 60));
	struct delivered d;
	struct sim_stats stats;
	run_scenario(repro_overflow, &d, &stats);
	CU_ASSERT_FALSE(d.wrong);
	CU_ASSERT(stats.stop == SIM_STOP_UNTIL);
	CU_ASSERT_EQUAL(stats.retransmissions, 0);
	/* Endpoints: client, server (the listener), the accepted connection. */
	uint64_t got = d.bytes[1] + d.bytes[2];
	CU_ASSERT(got >= 38 * (uint64_t)65535);
	CU_ASSERT(got <= 41 * (uint64_t)65535);
}

TCPSIM_SUITE(tcp_send_queue,
	{ "2^31+1 bytes sent in SYN-SENT go out a window at a time", test_send_2_31_plus_1_in_syn_sent },
	{ "1 then 2^32-1 bytes: 2^32 queued, sent and acknowledged", test_send_1_then_2_32_minus_1 },
	{ "the end of a 2^32-byte queue, sequence numbers wrapped", test_end_of_2_32_queue_wraps },
	{ "after 2^31 bytes, ACKs resend nothing", test_no_resend_after_2_31_bytes },
	{ "segments span data: and pattern bytes; partial ACKs", test_segments_span_data_and_pattern },
	{ "scenario: 2^31+1 bytes on a connection being opened ends", test_scenario_send_2_31_plus_1 },
	{ "scenario: 1 then 2^32-1 bytes ends, the pattern delivered", test_scenario_send_1_then_2_32_minus_1 })
