/* test_tcp_close.c - closing: the active, passive and simultaneous close of
 * RFC 9293 section 3.6 (Figures 12 and 13), the arcs that leave the handshake
 * for a close (T10, T26, T27, U06), CLOSE in LISTEN and SYN-SENT (T03, T06),
 * the answers to a retransmitted FIN (S15) and to a stale ACK in CLOSING
 * (S17), and the CLOSE/SEND errors (U04, U05, U07).
 *
 * The client's ISN is 1000, the server's 5000; numbers are relative. */
#include <stdio.h>
#include <string.h>
#include "tcp_script.h"

#define SEC USEC_PER_SEC

/* ---- helpers ------------------------------------------------------------ */

/* The arcs of every state event of ep so far, in order, as "T02 T08 T12". */
static void expect_arcs(struct script *s, int ep, const char *want, const char *file, int line)
{
	char got[256] = "", msg[400];
	size_t n = 0;
	for (int i = 0; i < s->n_states; i++) {
		if (s->states[i].ep != ep)
			continue;
		n += (size_t)snprintf(got + n, sizeof got - n, "%s%s", n ? " " : "", s->states[i].arc);
		if (n >= sizeof got)
			break;
	}
	if (strcmp(got, want) != 0) {
		snprintf(msg, sizeof msg, "%s: expected arcs \"%s\", got \"%s\"", ep == CLIENT ? "client" : "server",
			 want, got);
		CU_assertImplementation(CU_FALSE, (unsigned)line, msg, file, "", CU_FALSE);
		return;
	}
	CU_assertImplementation(CU_TRUE, (unsigned)line, "ok", file, "", CU_FALSE);
}
#define ARCS(s, ep, want) expect_arcs(s, ep, want, __FILE__, __LINE__)

/* ---- the three closes ---------------------------------------------------- */

/* T12, T14, T17, T21: RFC 9293 section 3.6 Figure 12, the active side. */
static void test_active_close_passes_fin_wait_and_time_wait(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_to_state(&s, CLIENT, TCPS_ESTABLISHED);
	CU_ASSERT_EQUAL(script_close(&s, CLIENT), TCP_OK);
	SENT(&s, CLIENT, TH_FIN | TH_ACK, 1, 1, 0);
	STATE(&s, CLIENT, TCPS_FIN_WAIT_1, "T12");
	RECV(&s, CLIENT, TH_ACK, 1, 2, 0);
	NOTHING_SENT(&s);
	STATE(&s, CLIENT, TCPS_FIN_WAIT_2, "T14");
	RECV(&s, CLIENT, TH_FIN | TH_ACK, 1, 2, 0);
	SENT(&s, CLIENT, TH_ACK, 2, 2, 0);
	STATE(&s, CLIENT, TCPS_TIME_WAIT, "T17");
	script_advance(&s, 240 * SEC - 1);
	STATE(&s, CLIENT, TCPS_TIME_WAIT, "T17");
	script_advance(&s, 1);
	STATE(&s, CLIENT, TCPS_CLOSED, "T21");
	NOTHING_SENT(&s);
	CU_ASSERT_PTR_NULL(script_tcb(&s, CLIENT));
	ARCS(&s, CLIENT, "T02 T08 T12 T14 T17 T21");
	script_free(&s);
}

/* T13, T18, T20: RFC 9293 section 3.6 Figure 12, the passive side. */
static void test_passive_close_passes_close_wait_and_last_ack(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_to_state(&s, SERVER, TCPS_ESTABLISHED);
	RECV(&s, SERVER, TH_FIN | TH_ACK, 1, 1, 0);
	SENT(&s, SERVER, TH_ACK, 1, 2, 0);
	STATE(&s, SERVER, TCPS_CLOSE_WAIT, "T13");
	CU_ASSERT_EQUAL(script_close(&s, SERVER), TCP_OK);
	SENT(&s, SERVER, TH_FIN | TH_ACK, 1, 2, 0);
	STATE(&s, SERVER, TCPS_LAST_ACK, "T18");
	RECV(&s, SERVER, TH_ACK, 2, 2, 0);
	NOTHING_SENT(&s);
	STATE(&s, SERVER, TCPS_CLOSED, "T20");
	CU_ASSERT_PTR_NULL(s.eps[SERVER].conn);
	ARCS(&s, SERVER, "T01 T04 T09 T13 T18 T20");
	script_free(&s);
}

/* T15, T19, T21: RFC 9293 section 3.6 Figure 13, simultaneous close. */
static void test_simultaneous_close_passes_closing(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_to_state(&s, CLIENT, TCPS_CLOSING);
	RECV(&s, CLIENT, TH_ACK, 2, 2, 0);
	NOTHING_SENT(&s);
	STATE(&s, CLIENT, TCPS_TIME_WAIT, "T19");
	script_advance(&s, 240 * SEC - 1);
	STATE(&s, CLIENT, TCPS_TIME_WAIT, "T19");
	script_advance(&s, 1);
	STATE(&s, CLIENT, TCPS_CLOSED, "T21");
	NOTHING_SENT(&s);
	ARCS(&s, CLIENT, "T02 T08 T12 T15 T19 T21");
	script_free(&s);
}

/* T16: FIN-WAIT-1 gets FIN and the ACK of our FIN at once: one state event to
 * TIME-WAIT (RFC 9293 section 3.10.7.4 fifth+eighth steps, Figure 5 note 2). */
static void test_fin_ack_in_fin_wait_1_goes_straight_to_time_wait(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_to_state(&s, CLIENT, TCPS_ESTABLISHED);
	script_close(&s, CLIENT);
	SENT(&s, CLIENT, TH_FIN | TH_ACK, 1, 1, 0);
	int mark = s.n_states;
	RECV(&s, CLIENT, TH_FIN | TH_ACK, 1, 2, 0);
	SENT(&s, CLIENT, TH_ACK, 2, 2, 0);
	NOTHING_SENT(&s);
	STATE(&s, CLIENT, TCPS_TIME_WAIT, "T16");
	CU_ASSERT_EQUAL(s.n_states, mark + 1);
	CU_ASSERT_EQUAL(s.states[mark].from, TCPS_FIN_WAIT_1);
	CU_ASSERT_EQUAL(s.states[mark].to, TCPS_TIME_WAIT);
	script_advance(&s, 240 * SEC);
	STATE(&s, CLIENT, TCPS_CLOSED, "T21");
	ARCS(&s, CLIENT, "T02 T08 T12 T16 T21");
	script_free(&s);
}

/* ---- closes that leave the handshake --------------------------------------- */

/* T10: CLOSE in SYN-RECEIVED with nothing queued sends the FIN at once
 * (RFC 9293 section 3.10.4); the peer's ACK of SYN and FIN then gives T14. */
static void test_close_in_syn_received_sends_fin(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_to_state(&s, SERVER, TCPS_SYN_RECEIVED);
	CU_ASSERT_EQUAL(script_close(&s, SERVER), TCP_OK);
	SENT(&s, SERVER, TH_FIN | TH_ACK, 1, 1, 0);
	NOTHING_SENT(&s);
	STATE(&s, SERVER, TCPS_FIN_WAIT_1, "T10");
	/* An ACK of the SYN only: still FIN-WAIT-1. */
	RECV(&s, SERVER, TH_ACK, 1, 1, 0);
	NOTHING_SENT(&s);
	STATE(&s, SERVER, TCPS_FIN_WAIT_1, "T10");
	RECV(&s, SERVER, TH_ACK, 1, 2, 0);
	NOTHING_SENT(&s);
	STATE(&s, SERVER, TCPS_FIN_WAIT_2, "T14");
	RECV(&s, SERVER, TH_FIN | TH_ACK, 1, 2, 0);
	SENT(&s, SERVER, TH_ACK, 2, 2, 0);
	STATE(&s, SERVER, TCPS_TIME_WAIT, "T17");
	ARCS(&s, SERVER, "T01 T04 T10 T14 T17");
	script_free(&s);
}

/* T52b/T52d after T10: the SYN,ACK is still the front of the retransmission
 * queue, so the RTO resends it, not the FIN; once the SYN is acked the FIN
 * follows (RFC 9293 section 3.10.8, RFC 6298 (5.4)). */
static void test_close_in_syn_received_then_rto_resends_syn_ack_first(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_to_state(&s, SERVER, TCPS_SYN_RECEIVED);
	script_close(&s, SERVER);
	SENT(&s, SERVER, TH_FIN | TH_ACK, 1, 1, 0);
	script_advance(&s, 1 * SEC - 1);
	NOTHING_SENT(&s);
	script_advance(&s, 1);
	SENT(&s, SERVER, TH_SYN | TH_ACK, 0, 1, 0);
	NOTHING_SENT(&s);
	STATE(&s, SERVER, TCPS_FIN_WAIT_1, "T10");
	RECV(&s, SERVER, TH_ACK, 1, 1, 0);
	SENT(&s, SERVER, TH_FIN | TH_ACK, 1, 1, 0);
	NOTHING_SENT(&s);
	RECV(&s, SERVER, TH_ACK, 1, 2, 0);
	STATE(&s, SERVER, TCPS_FIN_WAIT_2, "T14");
	script_free(&s);
}

/* U06: CLOSE in SYN-RECEIVED with a SEND pending waits for ESTABLISHED, then
 * acts as T12; the FIN rides on the data (RFC 9293 section 3.10.4). */
static void test_close_in_syn_received_with_data_is_deferred(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_to_state(&s, SERVER, TCPS_SYN_RECEIVED);
	CU_ASSERT_EQUAL(script_send(&s, SERVER, 100), TCP_OK);
	CU_ASSERT_EQUAL(script_close(&s, SERVER), TCP_OK);
	NOTHING_SENT(&s);
	STATE(&s, SERVER, TCPS_SYN_RECEIVED, "T04");
	/* The close is queued: a second CLOSE or a SEND is "connection closing". */
	CU_ASSERT_EQUAL(script_send(&s, SERVER, 1), TCP_ERR_CLOSING);
	CU_ASSERT_EQUAL(script_close(&s, SERVER), TCP_ERR_CLOSING);
	RECV(&s, SERVER, TH_ACK, 1, 1, 0);
	SENT(&s, SERVER, TH_FIN | TH_PSH | TH_ACK, 1, 1, 100);
	NOTHING_SENT(&s);
	STATE(&s, SERVER, TCPS_FIN_WAIT_1, "T12");
	ARCS(&s, SERVER, "T01 T04 T09 T12");
	RECV(&s, SERVER, TH_ACK, 1, 102, 0);
	STATE(&s, SERVER, TCPS_FIN_WAIT_2, "T14");
	script_free(&s);
}

/* U06 with T26: the queued CLOSE survives a handshake completed by the peer's
 * FIN, so CLOSE-WAIT goes on to LAST-ACK with data and FIN (section 3.10.4:
 * "queue for processing after entering ESTABLISHED state"). */
static void test_deferred_close_runs_after_fin_completes_handshake(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_to_state(&s, SERVER, TCPS_SYN_RECEIVED);
	script_send(&s, SERVER, 100);
	CU_ASSERT_EQUAL(script_close(&s, SERVER), TCP_OK);
	NOTHING_SENT(&s);
	RECV(&s, SERVER, TH_FIN | TH_ACK, 1, 1, 0);
	SENT(&s, SERVER, TH_FIN | TH_PSH | TH_ACK, 1, 2, 100);
	NOTHING_SENT(&s);
	STATE(&s, SERVER, TCPS_LAST_ACK, "T18");
	ARCS(&s, SERVER, "T01 T04 T26 T18");
	RECV(&s, SERVER, TH_ACK, 2, 102, 0);
	STATE(&s, SERVER, TCPS_CLOSED, "T20");
	script_free(&s);
}

/* U06: the queued CLOSE runs after the text of the segment that completes
 * the handshake, so its FIN acknowledges that text (one segment, not a FIN
 * with a stale ACK followed by an ACK). */
static void test_deferred_close_acks_the_text_that_completes_handshake(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_to_state(&s, SERVER, TCPS_SYN_RECEIVED);
	script_send(&s, SERVER, 2);
	CU_ASSERT_EQUAL(script_close(&s, SERVER), TCP_OK);
	NOTHING_SENT(&s);
	RECV(&s, SERVER, TH_PSH | TH_ACK, 1, 1, 5);
	SENT(&s, SERVER, TH_FIN | TH_PSH | TH_ACK, 1, 6, 2);
	NOTHING_SENT(&s);
	STATE(&s, SERVER, TCPS_FIN_WAIT_1, "T12");
	CU_ASSERT_EQUAL(s.delivered[SERVER], 5);
	script_free(&s);
}

/* A FIN,ACK that acknowledges our FIN in FIN-WAIT-1: RFC 9293's eighth
 * step goes to TIME-WAIT in one (T16); Linux sets FIN_WAIT2 on the ACK and
 * then takes the FIN there (T14, T17), as its tracepoint shows (compare's
 * K9 before the profile did). */
static void test_fin_ack_in_fin_wait_1(void)
{
	static const char *const want[] = { "T02 T08 T12 T16", "T02 T08 T12 T14 T17" };
	static const enum profile prof[] = { PROFILE_RFC9293, PROFILE_LINUX };

	for (int i = 0; i < 2; i++) {
		struct script s;
		script_init(&s, prof[i]);
		script_to_state(&s, CLIENT, TCPS_FIN_WAIT_1);
		RECV(&s, CLIENT, TH_FIN | TH_ACK, 1, 2, 0);
		SENT(&s, CLIENT, TH_ACK, 2, 2, 0);
		NOTHING_SENT(&s);
		ARCS(&s, CLIENT, want[i]);
		script_free(&s);
	}
}

/* T29, MAY-2 (1): a SYN that reopens TIME-WAIT gets an ISS above every
 * sequence number of the old incarnation (Linux: SND.NXT + 65535 + 2), even
 * when the ISN clock has not moved past them. */
static void test_reopen_from_time_wait_iss_above_old_incarnation(void)
{
	struct script s;
	script_init(&s, PROFILE_LINUX);
	script_listen(&s, SERVER);
	RECV(&s, SERVER, TH_SYN, 0, 0, 0);
	SENT(&s, SERVER, TH_SYN | TH_ACK, 0, 1, 0);
	RECV(&s, SERVER, TH_ACK, 1, 1, 0);
	script_send(&s, SERVER, 60000);
	RECV(&s, SERVER, TH_ACK, 1, 60001, 0);
	script_close(&s, SERVER);
	RECV(&s, SERVER, TH_FIN | TH_ACK, 1, 60002, 0);
	STATE(&s, SERVER, TCPS_TIME_WAIT, "T17");   /* linux: through FIN-WAIT-2 */
	s.next_out = s.n_out;
	uint32_t old_snd_nxt = SERVER_ISN + 60002;
	/* A new SYN beyond RCV.NXT, 10 ms in: the clock alone would give
	 * 5000 + 2500, far below the old SND.NXT. */
	script_advance(&s, 10 * USEC_PER_MS);
	script_recv_abs(&s, SERVER, TH_SYN, CLIENT_ISN + 100000, 0, 0, 65535);
	CU_ASSERT_EQUAL_FATAL(s.n_out, s.next_out + 1);
	const struct segment *syn_ack = &s.out[s.next_out];
	CU_ASSERT_EQUAL(syn_ack->flags, TH_SYN | TH_ACK);
	CU_ASSERT_EQUAL(syn_ack->seq, old_snd_nxt + 65535 + 2);
	STATE(&s, SERVER, TCPS_SYN_RECEIVED, "T04");
	script_free(&s);
}

/* The linux profile passes ESTABLISHED on the way, as
 * tcp_rcv_state_process() does: T09 for the ACK, then T13 for the FIN, one
 * ACK sent. */
static void test_fin_completes_handshake_linux(void)
{
	struct script s;
	script_init(&s, PROFILE_LINUX);
	script_to_state(&s, SERVER, TCPS_SYN_RECEIVED);
	int mark = s.n_states;
	RECV(&s, SERVER, TH_FIN | TH_ACK, 1, 1, 0);
	NOTHING_SENT(&s);                         /* the FIN's ACK is delayed (tcp_delack.c) */
	script_advance(&s, 4 * USEC_PER_MS);
	SENT(&s, SERVER, TH_ACK, 1, 2, 0);
	NOTHING_SENT(&s);
	STATE(&s, SERVER, TCPS_CLOSE_WAIT, "T13");
	CU_ASSERT_EQUAL_FATAL(s.n_states, mark + 2);
	CU_ASSERT_EQUAL(s.states[mark].from, TCPS_SYN_RECEIVED);
	CU_ASSERT_EQUAL(s.states[mark].to, TCPS_ESTABLISHED);
	CU_ASSERT_STRING_EQUAL(s.states[mark].arc, "T09");
	CU_ASSERT_EQUAL(s.states[mark + 1].from, TCPS_ESTABLISHED);
	CU_ASSERT_EQUAL(s.states[mark + 1].to, TCPS_CLOSE_WAIT);
	ARCS(&s, SERVER, "T01 T04 T09 T13");
	script_close(&s, SERVER);
	SENT(&s, SERVER, TH_FIN | TH_ACK, 1, 2, 0);
	STATE(&s, SERVER, TCPS_LAST_ACK, "T18");
	script_free(&s);
}

/* T26: a FIN carrying the ACK of our SYN: SYN-RECEIVED to CLOSE-WAIT in one
 * state event (RFC 9293 section 3.10.7.4 fifth+eighth steps). */
static void test_fin_completes_handshake(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_to_state(&s, SERVER, TCPS_SYN_RECEIVED);
	int mark = s.n_states;
	RECV(&s, SERVER, TH_FIN | TH_ACK, 1, 1, 0);
	SENT(&s, SERVER, TH_ACK, 1, 2, 0);
	NOTHING_SENT(&s);
	STATE(&s, SERVER, TCPS_CLOSE_WAIT, "T26");
	CU_ASSERT_EQUAL(s.n_states, mark + 1);
	CU_ASSERT_EQUAL(s.states[mark].from, TCPS_SYN_RECEIVED);
	CU_ASSERT_EQUAL(s.states[mark].to, TCPS_CLOSE_WAIT);
	/* The handshake did complete: CLOSE now is T18 with a FIN. */
	script_close(&s, SERVER);
	SENT(&s, SERVER, TH_FIN | TH_ACK, 1, 2, 0);
	STATE(&s, SERVER, TCPS_LAST_ACK, "T18");
	script_free(&s);
}

/* T27: SYN,ACK,FIN in SYN-SENT: ESTABLISHED, then the FIN (section 3.10.7.3
 * "continue processing at the sixth step"); one ACK covering SYN and FIN. */
static void test_syn_ack_fin_in_syn_sent_goes_to_close_wait(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_connect(&s, CLIENT);
	SENT(&s, CLIENT, TH_SYN, 0, 0, 0);
	RECV(&s, CLIENT, TH_SYN | TH_ACK | TH_FIN, 0, 1, 0);
	SENT(&s, CLIENT, TH_ACK, 1, 2, 0);
	NOTHING_SENT(&s);
	STATE(&s, CLIENT, TCPS_CLOSE_WAIT, "T27");
	ARCS(&s, CLIENT, "T02 T27");
	CU_ASSERT_EQUAL(script_must_tcb(&s, CLIENT)->rcv_nxt, SERVER_ISN + 2);
	script_free(&s);
}

/* The linux profile: the SYN,ACK,FIN completes the open, and its FIN is
 * not taken (tcp_rcv_synsent_state_process frees the segment): ESTABLISHED,
 * ACK 1; the FIN, sent again, is taken in ESTABLISHED (T13). A SYN,ACK with
 * text: the text is not taken either. */
static void test_syn_ack_fin_in_syn_sent_linux(void)
{
	struct script s;
	script_init(&s, PROFILE_LINUX);
	script_connect(&s, CLIENT);
	SENT(&s, CLIENT, TH_SYN, 0, 0, 0);
	RECV(&s, CLIENT, TH_SYN | TH_ACK | TH_FIN, 0, 1, 0);
	SENT(&s, CLIENT, TH_ACK, 1, 1, 0);
	NOTHING_SENT(&s);
	STATE(&s, CLIENT, TCPS_ESTABLISHED, "T08");
	CU_ASSERT_EQUAL(script_must_tcb(&s, CLIENT)->rcv_nxt, SERVER_ISN + 1);
	RECV(&s, CLIENT, TH_FIN | TH_ACK, 1, 1, 0);
	NOTHING_SENT(&s);                         /* the FIN's ACK is delayed (tcp_delack.c) */
	script_advance(&s, 4 * USEC_PER_MS);
	SENT(&s, CLIENT, TH_ACK, 1, 2, 0);
	STATE(&s, CLIENT, TCPS_CLOSE_WAIT, "T13");
	script_free(&s);

	script_init(&s, PROFILE_LINUX);
	script_connect(&s, CLIENT);
	SENT(&s, CLIENT, TH_SYN, 0, 0, 0);
	RECV(&s, CLIENT, TH_SYN | TH_ACK | TH_PSH, 0, 1, 5);
	SENT(&s, CLIENT, TH_ACK, 1, 1, 0);
	STATE(&s, CLIENT, TCPS_ESTABLISHED, "T08");
	script_free(&s);
}

/* T03: CLOSE in LISTEN deletes the TCB, sends nothing (section 3.10.4); the
 * port is closed afterwards (S02). */
static void test_close_in_listen(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_listen(&s, SERVER);
	CU_ASSERT_EQUAL(script_close(&s, SERVER), TCP_OK);
	NOTHING_SENT(&s);
	STATE(&s, SERVER, TCPS_CLOSED, "T03");
	CU_ASSERT_PTR_NULL(script_tcb(&s, SERVER));
	RECV(&s, SERVER, TH_SYN, 0, 0, 0);
	SENT_ABS(&s, SERVER, TH_RST | TH_ACK, 0, CLIENT_ISN + 1, 0);
	script_free(&s);
}

/* T06: CLOSE in SYN-SENT deletes the TCB with no RST and no more SYNs
 * (section 3.10.4); a late SYN,ACK then gets the CLOSED answer (S01). */
static void test_close_in_syn_sent(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_connect(&s, CLIENT);
	SENT(&s, CLIENT, TH_SYN, 0, 0, 0);
	CU_ASSERT_EQUAL(script_close(&s, CLIENT), TCP_OK);
	NOTHING_SENT(&s);
	STATE(&s, CLIENT, TCPS_CLOSED, "T06");
	script_advance(&s, 300 * SEC);
	NOTHING_SENT(&s);
	RECV(&s, CLIENT, TH_SYN | TH_ACK, 0, 1, 0);
	SENT(&s, CLIENT, TH_RST, 1, 0, 0);
	ARCS(&s, CLIENT, "T02 T06");
	script_free(&s);
}

/* ---- retransmitted FINs and stale ACKs ----------------------------------- */

/* S15: a retransmitted FIN in CLOSE-WAIT fails Table 6 and is ACKed; the
 * state stays (section 3.10.7.4 first and eighth steps). */
static void test_retransmitted_fin_in_close_wait_is_acked(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_to_state(&s, SERVER, TCPS_ESTABLISHED);
	RECV(&s, SERVER, TH_FIN | TH_ACK, 1, 1, 0);
	SENT(&s, SERVER, TH_ACK, 1, 2, 0);
	int mark = s.n_states;
	RECV(&s, SERVER, TH_FIN | TH_ACK, 1, 1, 0);
	SENT(&s, SERVER, TH_ACK, 1, 2, 0);
	NOTHING_SENT(&s);
	STATE(&s, SERVER, TCPS_CLOSE_WAIT, "T13");
	CU_ASSERT_EQUAL(s.n_states, mark);
	script_free(&s);
}

/* S15: the same in LAST-ACK (section 3.10.7.4); the ACK's SEQ is past our FIN. */
static void test_retransmitted_fin_in_last_ack_is_acked(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_to_state(&s, SERVER, TCPS_LAST_ACK);
	RECV(&s, SERVER, TH_FIN | TH_ACK, 1, 1, 0);
	SENT(&s, SERVER, TH_ACK, 2, 2, 0);
	NOTHING_SENT(&s);
	STATE(&s, SERVER, TCPS_LAST_ACK, "T18");
	RECV(&s, SERVER, TH_ACK, 2, 2, 0);
	STATE(&s, SERVER, TCPS_CLOSED, "T20");
	script_free(&s);
}

/* S15: the same in CLOSING (section 3.10.7.4 first and eighth steps). */
static void test_retransmitted_fin_in_closing_is_acked(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_to_state(&s, CLIENT, TCPS_CLOSING);
	RECV(&s, CLIENT, TH_FIN | TH_ACK, 1, 1, 0);
	SENT(&s, CLIENT, TH_ACK, 2, 2, 0);
	NOTHING_SENT(&s);
	STATE(&s, CLIENT, TCPS_CLOSING, "T15");
	script_free(&s);
}

/* The linux profile: a retransmitted FIN in CLOSING that acknowledges our
 * FIN takes the connection to TIME-WAIT (T19) and draws no ACK
 * (tcp_rcv_state_process(), case TCP_CLOSING: tcp_time_wait(), then
 * consume); one that does not acknowledge it is ACKed, as in the RFC (S15). */
static void test_retransmitted_fin_acking_ours_in_closing_linux(void)
{
	struct script s;
	script_init(&s, PROFILE_LINUX);
	script_to_state(&s, CLIENT, TCPS_CLOSING);
	RECV(&s, CLIENT, TH_FIN | TH_ACK, 1, 1, 0);
	SENT(&s, CLIENT, TH_ACK, 2, 2, 0);
	NOTHING_SENT(&s);
	STATE(&s, CLIENT, TCPS_CLOSING, "T15");
	RECV(&s, CLIENT, TH_FIN | TH_ACK, 1, 2, 0);
	NOTHING_SENT(&s);
	STATE(&s, CLIENT, TCPS_TIME_WAIT, "T19");
	/* Our FIN is acknowledged: nothing is resent, and 2MSL runs. */
	script_advance(&s, 59 * SEC);
	NOTHING_SENT(&s);
	STATE(&s, CLIENT, TCPS_TIME_WAIT, "T19");
	script_advance(&s, 2 * SEC);
	STATE(&s, CLIENT, TCPS_CLOSED, "T21");
	script_free(&s);
}

/* S17: in CLOSING an ACK that does not cover our FIN is ignored (section
 * 3.10.7.4 fifth step, "otherwise, ignore the segment"). */
static void test_closing_ignores_ack_not_covering_fin(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_to_state(&s, CLIENT, TCPS_CLOSING);
	int mark = s.n_states;
	RECV(&s, CLIENT, TH_ACK, 2, 1, 0);
	NOTHING_SENT(&s);
	STATE(&s, CLIENT, TCPS_CLOSING, "T15");
	CU_ASSERT_EQUAL(s.n_states, mark);
	/* The FIN is still unacknowledged: its retransmission timer runs. */
	script_advance(&s, 1 * SEC);
	SENT(&s, CLIENT, TH_FIN | TH_ACK, 1, 2, 0);
	RECV(&s, CLIENT, TH_ACK, 2, 2, 0);
	STATE(&s, CLIENT, TCPS_TIME_WAIT, "T19");
	script_free(&s);
}

/* ---- user-call errors ------------------------------------------------------ */

/* U04: SEND after CLOSE is "connection closing" in FIN-WAIT-1, FIN-WAIT-2 and
 * TIME-WAIT, and nothing goes out (RFC 9293 section 3.10.2). */
static void test_send_after_close_is_closing_error(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_to_state(&s, CLIENT, TCPS_ESTABLISHED);
	script_close(&s, CLIENT);
	SENT(&s, CLIENT, TH_FIN | TH_ACK, 1, 1, 0);
	CU_ASSERT_EQUAL(script_send(&s, CLIENT, 10), TCP_ERR_CLOSING);
	CU_ASSERT_EQUAL(tcp_call_error(script_tcb(&s, CLIENT), CALL_SEND), TCP_ERR_CLOSING);
	NOTHING_SENT(&s);
	RECV(&s, CLIENT, TH_ACK, 1, 2, 0);
	STATE(&s, CLIENT, TCPS_FIN_WAIT_2, "T14");
	CU_ASSERT_EQUAL(script_send(&s, CLIENT, 10), TCP_ERR_CLOSING);
	NOTHING_SENT(&s);
	RECV(&s, CLIENT, TH_FIN | TH_ACK, 1, 2, 0);
	SENT(&s, CLIENT, TH_ACK, 2, 2, 0);
	CU_ASSERT_EQUAL(script_send(&s, CLIENT, 10), TCP_ERR_CLOSING);
	NOTHING_SENT(&s);
	CU_ASSERT_STRING_EQUAL(tcp_error_text(TCP_ERR_CLOSING), "connection closing");
	script_free(&s);
}

/* U04: SEND in CLOSING and LAST-ACK is "connection closing" (section 3.10.2). */
static void test_send_in_closing_and_last_ack_is_closing_error(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_to_state(&s, CLIENT, TCPS_CLOSING);
	CU_ASSERT_EQUAL(script_send(&s, CLIENT, 10), TCP_ERR_CLOSING);
	script_to_state(&s, SERVER, TCPS_LAST_ACK);
	CU_ASSERT_EQUAL(script_send(&s, SERVER, 10), TCP_ERR_CLOSING);
	NOTHING_SENT(&s);
	script_free(&s);
}

/* U05: a second CLOSE is "connection closing" and sends no second FIN, in
 * every state after the first (RFC 9293 section 3.10.4). */
static void test_close_twice_sends_no_second_fin(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_to_state(&s, CLIENT, TCPS_ESTABLISHED);
	CU_ASSERT_EQUAL(script_close(&s, CLIENT), TCP_OK);
	SENT(&s, CLIENT, TH_FIN | TH_ACK, 1, 1, 0);
	CU_ASSERT_EQUAL(script_close(&s, CLIENT), TCP_ERR_CLOSING);
	NOTHING_SENT(&s);
	STATE(&s, CLIENT, TCPS_FIN_WAIT_1, "T12");
	RECV(&s, CLIENT, TH_ACK, 1, 2, 0);
	CU_ASSERT_EQUAL(script_close(&s, CLIENT), TCP_ERR_CLOSING);
	NOTHING_SENT(&s);
	STATE(&s, CLIENT, TCPS_FIN_WAIT_2, "T14");
	RECV(&s, CLIENT, TH_FIN | TH_ACK, 1, 2, 0);
	SENT(&s, CLIENT, TH_ACK, 2, 2, 0);
	CU_ASSERT_EQUAL(script_close(&s, CLIENT), TCP_ERR_CLOSING);
	NOTHING_SENT(&s);
	STATE(&s, CLIENT, TCPS_TIME_WAIT, "T17");

	script_to_state(&s, SERVER, TCPS_LAST_ACK);
	CU_ASSERT_EQUAL(script_close(&s, SERVER), TCP_ERR_CLOSING);
	NOTHING_SENT(&s);
	STATE(&s, SERVER, TCPS_LAST_ACK, "T18");
	script_free(&s);
}

/* U05: CLOSE in CLOSING is "connection closing" (section 3.10.4). */
static void test_close_in_closing_is_closing_error(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_to_state(&s, CLIENT, TCPS_CLOSING);
	CU_ASSERT_EQUAL(script_close(&s, CLIENT), TCP_ERR_CLOSING);
	NOTHING_SENT(&s);
	STATE(&s, CLIENT, TCPS_CLOSING, "T15");
	script_free(&s);
}

/* U07: SEND, CLOSE and ABORT with no connection: "connection does not exist"
 * (RFC 9293 sections 3.10.2, 3.10.4, 3.10.5), before and after one. */
static void test_calls_without_connection_are_noconn_error(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	CU_ASSERT_EQUAL(tcp_call_error(NULL, CALL_SEND), TCP_ERR_NOCONN);
	CU_ASSERT_EQUAL(tcp_call_error(NULL, CALL_CLOSE), TCP_ERR_NOCONN);
	CU_ASSERT_EQUAL(tcp_call_error(NULL, CALL_ABORT), TCP_ERR_NOCONN);
	CU_ASSERT_EQUAL(tcp_call_error(NULL, CALL_LISTEN), TCP_OK);
	CU_ASSERT_EQUAL(tcp_call_error(NULL, CALL_CONNECT), TCP_OK);
	CU_ASSERT_EQUAL(script_send(&s, CLIENT, 10), TCP_ERR_NOCONN);
	CU_ASSERT_EQUAL(script_close(&s, CLIENT), TCP_ERR_NOCONN);
	CU_ASSERT_EQUAL(script_abort(&s, CLIENT), TCP_ERR_NOCONN);
	/* A fresh TCB in CLOSED is no connection either. */
	struct tcb *fresh = script_tcb_new(&s, CLIENT);
	CU_ASSERT_EQUAL(tcp_send(s.host, fresh, NULL, 10), TCP_ERR_NOCONN);
	CU_ASSERT_EQUAL(tcp_close(s.host, fresh), TCP_ERR_NOCONN);
	CU_ASSERT_EQUAL(tcp_abort(s.host, fresh), TCP_ERR_NOCONN);
	NOTHING_SENT(&s);
	CU_ASSERT_STRING_EQUAL(tcp_error_text(TCP_ERR_NOCONN), "connection does not exist");
	script_free(&s);

	/* After a passive close has deleted the TCB. */
	script_init(&s, PROFILE_RFC9293);
	script_to_state(&s, SERVER, TCPS_LAST_ACK);
	RECV(&s, SERVER, TH_ACK, 2, 2, 0);
	STATE(&s, SERVER, TCPS_CLOSED, "T20");
	script_close(&s, SERVER);              /* the listener: T03 */
	STATE(&s, SERVER, TCPS_CLOSED, "T03");
	CU_ASSERT_EQUAL(script_send(&s, SERVER, 10), TCP_ERR_NOCONN);
	CU_ASSERT_EQUAL(script_close(&s, SERVER), TCP_ERR_NOCONN);
	CU_ASSERT_EQUAL(script_abort(&s, SERVER), TCP_ERR_NOCONN);
	NOTHING_SENT(&s);
	script_free(&s);
}

TCPSIM_SUITE(tcp_close,
	{ "a FIN,ACK of our FIN in FIN-WAIT-1: T16; linux through FIN-WAIT-2 (T14, T17)", test_fin_ack_in_fin_wait_1 },
	{ "U06: deferred CLOSE's FIN acks the text that completed the handshake",
	  test_deferred_close_acks_the_text_that_completes_handshake },
	{ "T29: reopened ISS above the old incarnation's SND.NXT",
	  test_reopen_from_time_wait_iss_above_old_incarnation },
	{ "active close: T12 T14 T17 T21", test_active_close_passes_fin_wait_and_time_wait },
	{ "passive close: T13 T18 T20", test_passive_close_passes_close_wait_and_last_ack },
	{ "simultaneous close: T15 T19 T21", test_simultaneous_close_passes_closing },
	{ "FIN+ACK in FIN-WAIT-1: one event to TIME-WAIT (T16)", test_fin_ack_in_fin_wait_1_goes_straight_to_time_wait },
	{ "CLOSE in SYN-RECEIVED sends FIN (T10)", test_close_in_syn_received_sends_fin },
	{ "after T10 the RTO resends the SYN,ACK first", test_close_in_syn_received_then_rto_resends_syn_ack_first },
	{ "CLOSE in SYN-RECEIVED with data waits for ESTABLISHED (U06)", test_close_in_syn_received_with_data_is_deferred },
	{ "deferred CLOSE runs after a FIN completes the handshake (U06, T26)", test_deferred_close_runs_after_fin_completes_handshake },
	{ "FIN completes the handshake: SYN-RECEIVED to CLOSE-WAIT (T26)", test_fin_completes_handshake },
	{ "linux: FIN completes the handshake: ESTABLISHED, then CLOSE-WAIT (T09, T13)", test_fin_completes_handshake_linux },
	{ "SYN,ACK,FIN in SYN-SENT: CLOSE-WAIT (T27)", test_syn_ack_fin_in_syn_sent_goes_to_close_wait },
	{ "linux: SYN,ACK,FIN in SYN-SENT: ESTABLISHED, the FIN not taken", test_syn_ack_fin_in_syn_sent_linux },
	{ "CLOSE in LISTEN (T03)", test_close_in_listen },
	{ "CLOSE in SYN-SENT (T06)", test_close_in_syn_sent },
	{ "retransmitted FIN in CLOSE-WAIT is ACKed (S15)", test_retransmitted_fin_in_close_wait_is_acked },
	{ "retransmitted FIN in LAST-ACK is ACKed (S15)", test_retransmitted_fin_in_last_ack_is_acked },
	{ "retransmitted FIN in CLOSING is ACKed (S15)", test_retransmitted_fin_in_closing_is_acked },
	{ "linux: retransmitted FIN that ACKs ours in CLOSING: TIME-WAIT, no ACK (T19)", test_retransmitted_fin_acking_ours_in_closing_linux },
	{ "CLOSING ignores an ACK not covering our FIN (S17)", test_closing_ignores_ack_not_covering_fin },
	{ "SEND after CLOSE: connection closing (U04)", test_send_after_close_is_closing_error },
	{ "SEND in CLOSING and LAST-ACK: connection closing (U04)", test_send_in_closing_and_last_ack_is_closing_error },
	{ "CLOSE twice: no second FIN (U05)", test_close_twice_sends_no_second_fin },
	{ "CLOSE in CLOSING: connection closing (U05)", test_close_in_closing_is_closing_error },
	{ "calls without a connection: does not exist (U07)", test_calls_without_connection_are_noconn_error })
