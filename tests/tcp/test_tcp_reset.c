/* test_tcp_reset.c - receiving a RST in every state (RFC 9293 section 3.5.3
 * and 3.10.7.4 second step: T11, T24, T34-T40), RFC 5961's blind-attack
 * checks (S10-S13), the other answers of step 1-5 (S07, S08, S09, S18, T23)
 * and the recovery from an old duplicate SYN (Figure 8, S05 then T11).
 *
 * The client's ISN is 1000, the server's 5000; numbers are relative. */
#include <stdio.h>
#include <string.h>
#include "tcp_script.h"

#define SEC USEC_PER_SEC

/* ---- helpers ------------------------------------------------------------ */

/* An exact RST (SEG.SEQ = RCV.NXT, relative rcv_nxt) closes the client with
 * `arc`, silently, and no timer of the deleted TCB fires afterwards. */
static void rst_closes_client(struct script *s, uint32_t rcv_nxt, const char *arc)
{
	RECV(s, CLIENT, TH_RST, rcv_nxt, 0, 0);
	NOTHING_SENT(s);
	STATE(s, CLIENT, TCPS_CLOSED, arc);
	CU_ASSERT_PTR_NULL(script_tcb(s, CLIENT));
	script_advance(s, 600 * SEC);
	NOTHING_SENT(s);
}

/* ---- RST in every state ---------------------------------------------------- */

/* T11: RST in SYN-RECEIVED reached from LISTEN returns to LISTEN (section
 * 3.10.7.4 second step, Figure 5 note 1); the retransmission queue is gone. */
static void test_rst_in_passive_syn_received_returns_to_listen(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_to_state(&s, SERVER, TCPS_SYN_RECEIVED);
	RECV(&s, SERVER, TH_RST, 1, 0, 0);
	NOTHING_SENT(&s);
	STATE(&s, SERVER, TCPS_LISTEN, "T11");
	CU_ASSERT_PTR_NULL(s.eps[SERVER].conn);
	CU_ASSERT_PTR_NOT_NULL(s.eps[SERVER].listener);
	script_advance(&s, 300 * SEC);
	NOTHING_SENT(&s);                       /* no SYN,ACK retransmission */
	/* The listener takes the next SYN. */
	RECV(&s, SERVER, TH_SYN, 0, 0, 0);
	STATE(&s, SERVER, TCPS_SYN_RECEIVED, "T04");
	script_free(&s);
}

/* T24: RST in SYN-RECEIVED reached by simultaneous open: connection refused,
 * CLOSED (section 3.10.7.4 second step). */
static void test_rst_in_active_syn_received_closes(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_connect(&s, CLIENT);
	SENT(&s, CLIENT, TH_SYN, 0, 0, 0);
	RECV(&s, CLIENT, TH_SYN, 0, 0, 0);
	SENT(&s, CLIENT, TH_SYN | TH_ACK, 0, 1, 0);
	STATE(&s, CLIENT, TCPS_SYN_RECEIVED, "T07");
	rst_closes_client(&s, 1, "T24");
	script_free(&s);
}

/* T34: RST in ESTABLISHED (section 3.10.7.4 second step). */
static void test_rst_in_established_closes(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_to_state(&s, CLIENT, TCPS_ESTABLISHED);
	rst_closes_client(&s, 1, "T34");
	/* The server side too, with its listener left alone. */
	script_to_state(&s, SERVER, TCPS_ESTABLISHED);
	RECV(&s, SERVER, TH_RST, 1, 0, 0);
	NOTHING_SENT(&s);
	STATE(&s, SERVER, TCPS_CLOSED, "T34");
	CU_ASSERT_PTR_NULL(s.eps[SERVER].conn);
	CU_ASSERT_PTR_NOT_NULL(s.eps[SERVER].listener);
	script_free(&s);
}

/* T35: RST in FIN-WAIT-1 (section 3.10.7.4 second step); no FIN resend. */
static void test_rst_in_fin_wait_1_closes(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_to_state(&s, CLIENT, TCPS_FIN_WAIT_1);
	rst_closes_client(&s, 1, "T35");
	script_free(&s);
}

/* T36: RST in FIN-WAIT-2 (section 3.10.7.4 second step). */
static void test_rst_in_fin_wait_2_closes(void)
{
	struct script s;
	script_init(&s, PROFILE_LINUX);            /* the FIN-WAIT-2 timer goes too */
	script_to_state(&s, CLIENT, TCPS_FIN_WAIT_2);
	rst_closes_client(&s, 1, "T36");
	script_free(&s);
}

/* T37: RST in CLOSE-WAIT must match RCV.NXT past the FIN (section 3.10.7.4). */
static void test_rst_in_close_wait_closes(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_to_state(&s, CLIENT, TCPS_CLOSE_WAIT);
	/* SEQ 1 is before RCV.NXT: out of window, dropped (S10). */
	RECV(&s, CLIENT, TH_RST, 1, 0, 0);
	NOTHING_SENT(&s);
	STATE(&s, CLIENT, TCPS_CLOSE_WAIT, "T13");
	rst_closes_client(&s, 2, "T37");
	script_free(&s);
}

/* T38: RST in CLOSING: "enter the CLOSED state, delete the TCB" (3.10.7.4). */
static void test_rst_in_closing_closes(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_to_state(&s, CLIENT, TCPS_CLOSING);
	rst_closes_client(&s, 2, "T38");
	script_free(&s);
}

/* T39: RST in LAST-ACK (section 3.10.7.4 second step). */
static void test_rst_in_last_ack_closes(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_to_state(&s, CLIENT, TCPS_LAST_ACK);
	rst_closes_client(&s, 2, "T39");
	script_free(&s);
}

/* T40: RST in TIME-WAIT ends it early: RFC 9293 keeps RFC 1337's
 * assassination (Linux tcp_rfc1337=0 does the same). */
static void test_rst_in_time_wait_closes(void)
{
	enum profile profiles[] = { PROFILE_RFC9293, PROFILE_LINUX };
	for (int i = 0; i < 2; i++) {
		struct script s;
		script_init(&s, profiles[i]);
		script_to_state(&s, CLIENT, TCPS_TIME_WAIT);
		script_advance(&s, 10 * SEC);
		rst_closes_client(&s, 2, "T40");
		script_free(&s);
	}
}

/* T33: in SYN-SENT a RST whose ACK is unacceptable is dropped, and a RST is
 * never answered (section 3.10.7.3 first step, "unless the RST bit is set"). */
static void test_rst_with_bad_ack_in_syn_sent_is_dropped(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_connect(&s, CLIENT);
	SENT(&s, CLIENT, TH_SYN, 0, 0, 0);
	RECV(&s, CLIENT, TH_RST | TH_ACK, 0, 77, 0);
	NOTHING_SENT(&s);
	STATE(&s, CLIENT, TCPS_SYN_SENT, "T02");
	RECV(&s, CLIENT, TH_RST | TH_ACK, 0, 0, 0);        /* SEG.ACK =< ISS */
	NOTHING_SENT(&s);
	STATE(&s, CLIENT, TCPS_SYN_SENT, "T02");
	script_free(&s);
}

/* ---- RFC 5961 ------------------------------------------------------------ */

/* S11: a RST in the window but not at RCV.NXT draws a challenge ACK
 * <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> and changes nothing (RFC 5961 3.2). */
static void test_inexact_rst_in_window_draws_challenge_ack(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_to_state(&s, CLIENT, TCPS_ESTABLISHED);
	RECV(&s, CLIENT, TH_RST, 100, 0, 0);
	SENT(&s, CLIENT, TH_ACK, 1, 1, 0);
	NOTHING_SENT(&s);
	/* The last sequence number of the window (RCV.NXT + 65535 - 1). */
	RECV(&s, CLIENT, TH_RST, 65535, 0, 0);
	SENT(&s, CLIENT, TH_ACK, 1, 1, 0);
	STATE(&s, CLIENT, TCPS_ESTABLISHED, "T08");
	/* In SYN-RECEIVED as well (RFC 9293 applies 5961 there too). */
	script_to_state(&s, SERVER, TCPS_SYN_RECEIVED);
	RECV(&s, SERVER, TH_RST, 10, 0, 0);
	SENT(&s, SERVER, TH_ACK, 1, 1, 0);
	STATE(&s, SERVER, TCPS_SYN_RECEIVED, "T04");
	script_free(&s);
}

/* S11 in TIME-WAIT (RFC 5961 3.2): the challenge ACK's SEQ is past our FIN. */
static void test_inexact_rst_in_time_wait_draws_challenge_ack(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_to_state(&s, CLIENT, TCPS_TIME_WAIT);
	RECV(&s, CLIENT, TH_RST, 3, 0, 0);
	SENT(&s, CLIENT, TH_ACK, 2, 2, 0);
	STATE(&s, CLIENT, TCPS_TIME_WAIT, "T17");
	script_free(&s);
}

/* S10: a RST outside the window is dropped silently (section 3.10.7.4 first
 * step, "unless the RST bit is set"). */
static void test_rst_outside_window_is_dropped(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_to_state(&s, CLIENT, TCPS_ESTABLISHED);
	RECV(&s, CLIENT, TH_RST, 65536, 0, 0);        /* RCV.NXT + RCV.WND */
	RECV(&s, CLIENT, TH_RST, 65536 + 10, 0, 0);
	RECV(&s, CLIENT, TH_RST, 0, 0, 0);            /* before RCV.NXT */
	RECV(&s, CLIENT, TH_RST | TH_ACK, (uint32_t)-100, 1, 0);
	NOTHING_SENT(&s);
	STATE(&s, CLIENT, TCPS_ESTABLISHED, "T08");
	script_free(&s);
}

/* MUST-66: with a zero receive window the exact RST still resets. */
static void test_rst_with_zero_window_still_resets(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	s.params.window = 0;
	script_to_state(&s, CLIENT, TCPS_ESTABLISHED);
	rst_closes_client(&s, 1, "T34");
	script_free(&s);
}

/* S12: a SYN in a synchronized state draws a challenge ACK, whatever its
 * sequence number; an out-of-window one gets step 1's ACK (RFC 5961 4.2). */
static void test_syn_in_synchronized_state_draws_challenge_ack(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_to_state(&s, CLIENT, TCPS_ESTABLISHED);
	RECV(&s, CLIENT, TH_SYN, 100, 0, 0);
	SENT(&s, CLIENT, TH_ACK, 1, 1, 0);
	RECV(&s, CLIENT, TH_SYN, 1, 0, 0);            /* at RCV.NXT */
	SENT(&s, CLIENT, TH_ACK, 1, 1, 0);
	RECV(&s, CLIENT, TH_SYN | TH_ACK, 0, 1, 0);   /* the old SYN,ACK again */
	SENT(&s, CLIENT, TH_ACK, 1, 1, 0);
	RECV(&s, CLIENT, TH_SYN, 400000, 0, 0);       /* far outside (S09) */
	SENT(&s, CLIENT, TH_ACK, 1, 1, 0);
	NOTHING_SENT(&s);
	STATE(&s, CLIENT, TCPS_ESTABLISHED, "T08");
	script_free(&s);
}

/* S12 in FIN-WAIT-2 and TIME-WAIT (RFC 5961 4.2; rfc9293: no MAY-2 reopen). */
static void test_syn_in_closing_states_draws_challenge_ack(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_to_state(&s, CLIENT, TCPS_FIN_WAIT_2);
	RECV(&s, CLIENT, TH_SYN, 100, 0, 0);
	SENT(&s, CLIENT, TH_ACK, 2, 1, 0);
	STATE(&s, CLIENT, TCPS_FIN_WAIT_2, "T14");
	RECV(&s, CLIENT, TH_FIN | TH_ACK, 1, 2, 0);
	SENT(&s, CLIENT, TH_ACK, 2, 2, 0);
	RECV(&s, CLIENT, TH_SYN, 100, 0, 0);
	SENT(&s, CLIENT, TH_ACK, 2, 2, 0);
	NOTHING_SENT(&s);
	STATE(&s, CLIENT, TCPS_TIME_WAIT, "T17");
	script_free(&s);
}

/* S12 in active SYN-RECEIVED: a new SYN draws a challenge ACK (section
 * 3.10.7.4 fourth step: "otherwise, handle per the synchronized states"). */
static void test_syn_in_active_syn_received_draws_challenge_ack(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_connect(&s, CLIENT);
	SENT(&s, CLIENT, TH_SYN, 0, 0, 0);
	RECV(&s, CLIENT, TH_SYN, 0, 0, 0);
	SENT(&s, CLIENT, TH_SYN | TH_ACK, 0, 1, 0);
	RECV(&s, CLIENT, TH_SYN, 50, 0, 0);
	SENT(&s, CLIENT, TH_ACK, 1, 1, 0);
	NOTHING_SENT(&s);
	STATE(&s, CLIENT, TCPS_SYN_RECEIVED, "T07");
	script_free(&s);
}

/* T23: an in-window SYN in passive SYN-RECEIVED returns it to LISTEN
 * (section 3.10.7.4 fourth step). */
static void test_syn_in_passive_syn_received_returns_to_listen(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_to_state(&s, SERVER, TCPS_SYN_RECEIVED);
	RECV(&s, SERVER, TH_SYN, 50, 0, 0);
	NOTHING_SENT(&s);
	STATE(&s, SERVER, TCPS_LISTEN, "T23");
	CU_ASSERT_PTR_NULL(s.eps[SERVER].conn);
	script_advance(&s, 300 * SEC);
	NOTHING_SENT(&s);
	script_free(&s);
}

/* S13: an ACK of something not yet sent draws an ACK and the segment is
 * dropped, its text too (section 3.10.7.4 fifth step). */
static void test_ack_beyond_snd_nxt_draws_ack(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_to_state(&s, CLIENT, TCPS_ESTABLISHED);
	RECV(&s, CLIENT, TH_ACK, 1, 100, 0);
	SENT(&s, CLIENT, TH_ACK, 1, 1, 0);
	RECV(&s, CLIENT, TH_PSH | TH_ACK, 1, 2, 10);
	SENT(&s, CLIENT, TH_ACK, 1, 1, 0);
	NOTHING_SENT(&s);
	CU_ASSERT_EQUAL(s.delivered[CLIENT], 0);
	/* A FIN with a bad ACK is dropped too. */
	RECV(&s, CLIENT, TH_FIN | TH_ACK, 1, 2, 0);
	SENT(&s, CLIENT, TH_ACK, 1, 1, 0);
	STATE(&s, CLIENT, TCPS_ESTABLISHED, "T08");
	script_free(&s);
}

/* S13 (RFC 5961 5.2): SEG.ACK below SND.UNA - MAX.SND.WND draws an ACK; at
 * the bound it is a harmless duplicate (S14). */
static void test_ack_below_max_window_draws_ack(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_to_state(&s, CLIENT, TCPS_ESTABLISHED);                       /* MAX.SND.WND 65535 */
	RECV(&s, CLIENT, TH_ACK, 1, (uint32_t)(1 - 65535), 0);
	NOTHING_SENT(&s);
	RECV(&s, CLIENT, TH_ACK, 1, (uint32_t)(1 - 65536), 0);
	SENT(&s, CLIENT, TH_ACK, 1, 1, 0);
	NOTHING_SENT(&s);
	script_free(&s);
}

/* S18: in a synchronized state a segment without ACK is dropped, text and
 * FIN too (section 3.10.7.4 fifth step, "if the ACK bit is off"). */
static void test_segment_without_ack_is_dropped(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_to_state(&s, CLIENT, TCPS_ESTABLISHED);
	RECV(&s, CLIENT, TH_PSH, 1, 0, 10);
	RECV(&s, CLIENT, TH_FIN, 1, 0, 0);
	RECV(&s, CLIENT, 0, 1, 0, 0);
	NOTHING_SENT(&s);
	CU_ASSERT_EQUAL(s.delivered[CLIENT], 0);
	STATE(&s, CLIENT, TCPS_ESTABLISHED, "T08");
	/* In SYN-RECEIVED too: it does not complete the handshake. */
	script_to_state(&s, SERVER, TCPS_SYN_RECEIVED);
	RECV(&s, SERVER, TH_PSH, 1, 0, 10);
	NOTHING_SENT(&s);
	STATE(&s, SERVER, TCPS_SYN_RECEIVED, "T04");
	script_free(&s);
}

/* S09: a segment that fails Table 6 gets <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>
 * (section 3.10.7.4 first step). */
static void test_unacceptable_segment_draws_ack(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_to_state(&s, CLIENT, TCPS_ESTABLISHED);
	RECV(&s, CLIENT, TH_PSH | TH_ACK, 70000, 1, 10);     /* beyond the window */
	SENT(&s, CLIENT, TH_ACK, 1, 1, 0);
	RECV(&s, CLIENT, TH_ACK, 65536, 1, 0);               /* empty, at the edge */
	SENT(&s, CLIENT, TH_ACK, 1, 1, 0);
	RECV(&s, CLIENT, TH_ACK, 0, 1, 0);                   /* empty, before RCV.NXT */
	SENT(&s, CLIENT, TH_ACK, 1, 1, 0);
	NOTHING_SENT(&s);
	CU_ASSERT_EQUAL(s.delivered[CLIENT], 0);
	/* SYN-RECEIVED answers the same way. */
	script_to_state(&s, SERVER, TCPS_SYN_RECEIVED);
	RECV(&s, SERVER, TH_ACK, 70000, 1, 0);
	SENT(&s, SERVER, TH_ACK, 1, 1, 0);
	STATE(&s, SERVER, TCPS_SYN_RECEIVED, "T04");
	script_free(&s);
}

/* S09 with a zero receive window: only SEQ = RCV.NXT is acceptable, and text
 * never is (section 3.10.7.4 first step, Table 6). */
static void test_zero_window_accepts_only_empty_segment_at_rcv_nxt(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	s.params.window = 0;
	script_to_state(&s, CLIENT, TCPS_ESTABLISHED);
	RECV(&s, CLIENT, TH_PSH | TH_ACK, 1, 1, 10);
	SENT(&s, CLIENT, TH_ACK, 1, 1, 0);
	RECV(&s, CLIENT, TH_ACK, 2, 1, 0);
	SENT(&s, CLIENT, TH_ACK, 1, 1, 0);
	RECV(&s, CLIENT, TH_ACK, 1, 1, 0);
	NOTHING_SENT(&s);
	CU_ASSERT_EQUAL(s.delivered[CLIENT], 0);
	script_free(&s);
}

/* S07: in SYN-RECEIVED an unacceptable ACK draws <SEQ=SEG.ACK><CTL=RST> and
 * the state stays (section 3.10.7.4 fifth step, section 3.5.2 group 2). */
static void test_bad_ack_in_syn_received_draws_rst(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_to_state(&s, SERVER, TCPS_SYN_RECEIVED);
	RECV(&s, SERVER, TH_ACK, 1, 77, 0);           /* beyond SND.NXT */
	SENT(&s, SERVER, TH_RST, 77, 0, 0);
	RECV(&s, SERVER, TH_ACK, 1, 0, 0);            /* = SND.UNA: acks nothing */
	SENT(&s, SERVER, TH_RST, 0, 0, 0);
	NOTHING_SENT(&s);
	STATE(&s, SERVER, TCPS_SYN_RECEIVED, "T04");
	/* The real ACK still completes it. */
	RECV(&s, SERVER, TH_ACK, 1, 1, 0);
	STATE(&s, SERVER, TCPS_ESTABLISHED, "T09");
	script_free(&s);
}

/* T23 in the linux profile: tcp_check_req()'s embryonic reset answers an
 * in-window SYN that is not the original one, <SEQ=0><ACK=SEG.SEQ+1>
 * <CTL=RST,ACK>, before the request is dropped. */
static void test_syn_in_passive_syn_received_linux_resets(void)
{
	struct script s;
	script_init(&s, PROFILE_LINUX);
	script_to_state(&s, SERVER, TCPS_SYN_RECEIVED);
	RECV(&s, SERVER, TH_SYN, 50, 0, 0);
	SENT(&s, SERVER, TH_RST | TH_ACK, 0, 51, 0);
	NOTHING_SENT(&s);
	STATE(&s, SERVER, TCPS_LISTEN, "T23");
	CU_ASSERT_PTR_NULL(s.eps[SERVER].conn);
	script_advance(&s, 300 * SEC);
	NOTHING_SENT(&s);
	script_free(&s);

	/* With the ACK of our SYN: the reset is <SEQ=SEG.ACK><CTL=RST>. */
	script_init(&s, PROFILE_LINUX);
	script_to_state(&s, SERVER, TCPS_SYN_RECEIVED);
	RECV(&s, SERVER, TH_SYN | TH_ACK, 50, 1, 0);
	SENT(&s, SERVER, TH_RST, 1, 0, 0);
	NOTHING_SENT(&s);
	STATE(&s, SERVER, TCPS_LISTEN, "T23");
	script_free(&s);

	/* With another ACK the listener answers it (the same reset) and the
	 * request stays: the real ACK still completes it. */
	script_init(&s, PROFILE_LINUX);
	script_to_state(&s, SERVER, TCPS_SYN_RECEIVED);
	RECV(&s, SERVER, TH_SYN | TH_ACK, 50, 77, 0);
	SENT(&s, SERVER, TH_RST, 77, 0, 0);
	NOTHING_SENT(&s);
	STATE(&s, SERVER, TCPS_SYN_RECEIVED, "T04");
	RECV(&s, SERVER, TH_ACK, 1, 1, 0);
	STATE(&s, SERVER, TCPS_ESTABLISHED, "T09");
	script_free(&s);
}

/* S08: a retransmitted SYN in SYN-RECEIVED fails Table 6 (SEQ = RCV.NXT-1,
 * section 3.10.7.4 first step): the rfc9293 profile answers <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>. */
static void test_retransmitted_syn_in_syn_received_draws_ack(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_to_state(&s, SERVER, TCPS_SYN_RECEIVED);
	RECV(&s, SERVER, TH_SYN, 0, 0, 0);
	SENT(&s, SERVER, TH_ACK, 1, 1, 0);
	NOTHING_SENT(&s);
	STATE(&s, SERVER, TCPS_SYN_RECEIVED, "T04");
	script_free(&s);
}

/* N2: the linux profile resends the SYN,ACK instead (tcp_check_req). */
static void test_retransmitted_syn_in_syn_received_linux_resends_syn_ack(void)
{
	struct script s;
	script_init(&s, PROFILE_LINUX);
	script_to_state(&s, SERVER, TCPS_SYN_RECEIVED);
	RECV(&s, SERVER, TH_SYN, 0, 0, 0);
	SENT(&s, SERVER, TH_SYN | TH_ACK, 0, 1, 0);
	NOTHING_SENT(&s);
	STATE(&s, SERVER, TCPS_SYN_RECEIVED, "T04");
	RECV(&s, SERVER, TH_ACK, 1, 1, 0);
	STATE(&s, SERVER, TCPS_ESTABLISHED, "T09");
	script_free(&s);
}

/* S05 then T11 (RFC 9293 Figure 8): an old duplicate SYN makes the listener
 * answer; the real client, in SYN-SENT, resets it with <SEQ=SEG.ACK>; the
 * server returns to LISTEN and the real SYN opens the connection. Both ends
 * run here; the test carries the segments between them. */
static void test_old_duplicate_syn_recovery(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_listen(&s, SERVER);
	script_connect(&s, CLIENT);
	SENT(&s, CLIENT, TH_SYN, 0, 0, 0);             /* delayed in the net */
	/* The old duplicate <SEQ=990><CTL=SYN>. */
	script_recv_abs(&s, SERVER, TH_SYN, CLIENT_ISN - 10, 0, 0, 65535);
	SENT_ABS(&s, SERVER, TH_SYN | TH_ACK, SERVER_ISN, CLIENT_ISN - 9, 0);
	STATE(&s, SERVER, TCPS_SYN_RECEIVED, "T04");
	/* The client sees ACK 991 =< ISS: <SEQ=991><CTL=RST> (S05). */
	script_recv_abs(&s, CLIENT, TH_SYN | TH_ACK, SERVER_ISN, CLIENT_ISN - 9, 0, 65535);
	SENT_ABS(&s, CLIENT, TH_RST, CLIENT_ISN - 9, 0, 0);
	STATE(&s, CLIENT, TCPS_SYN_SENT, "T02");
	/* SEQ 991 = RCV.NXT: back to LISTEN (T11). */
	script_recv_abs(&s, SERVER, TH_RST, CLIENT_ISN - 9, 0, 0, 65535);
	NOTHING_SENT(&s);
	STATE(&s, SERVER, TCPS_LISTEN, "T11");
	/* The real SYN arrives. */
	script_advance(&s, 100 * USEC_PER_MS);
	script_recv_abs(&s, SERVER, TH_SYN, CLIENT_ISN, 0, 0, 65535);
	struct tcb *srv = script_tcb(&s, SERVER);
	CU_ASSERT_PTR_NOT_NULL_FATAL(srv);
	SENT_ABS(&s, SERVER, TH_SYN | TH_ACK, srv->iss, CLIENT_ISN + 1, 0);
	STATE(&s, SERVER, TCPS_SYN_RECEIVED, "T04");
	script_recv_abs(&s, CLIENT, TH_SYN | TH_ACK, srv->iss, CLIENT_ISN + 1, 0, 65535);
	SENT_ABS(&s, CLIENT, TH_ACK, CLIENT_ISN + 1, srv->iss + 1, 0);
	STATE(&s, CLIENT, TCPS_ESTABLISHED, "T08");
	script_recv_abs(&s, SERVER, TH_ACK, CLIENT_ISN + 1, srv->iss + 1, 0, 65535);
	NOTHING_SENT(&s);
	STATE(&s, SERVER, TCPS_ESTABLISHED, "T09");
	script_free(&s);
}

TCPSIM_SUITE(tcp_reset,
	{ "RST in passive SYN-RECEIVED: LISTEN (T11)", test_rst_in_passive_syn_received_returns_to_listen },
	{ "RST in active SYN-RECEIVED: CLOSED (T24)", test_rst_in_active_syn_received_closes },
	{ "RST in ESTABLISHED (T34)", test_rst_in_established_closes },
	{ "RST in FIN-WAIT-1 (T35)", test_rst_in_fin_wait_1_closes },
	{ "RST in FIN-WAIT-2 (T36)", test_rst_in_fin_wait_2_closes },
	{ "RST in CLOSE-WAIT (T37)", test_rst_in_close_wait_closes },
	{ "RST in CLOSING (T38)", test_rst_in_closing_closes },
	{ "RST in LAST-ACK (T39)", test_rst_in_last_ack_closes },
	{ "RST in TIME-WAIT (T40)", test_rst_in_time_wait_closes },
	{ "RST with a bad ACK in SYN-SENT is dropped (T33)", test_rst_with_bad_ack_in_syn_sent_is_dropped },
	{ "inexact in-window RST: challenge ACK (S11)", test_inexact_rst_in_window_draws_challenge_ack },
	{ "inexact RST in TIME-WAIT: challenge ACK (S11)", test_inexact_rst_in_time_wait_draws_challenge_ack },
	{ "RST outside the window is dropped (S10)", test_rst_outside_window_is_dropped },
	{ "zero window: exact RST still resets (MUST-66)", test_rst_with_zero_window_still_resets },
	{ "SYN in ESTABLISHED: challenge ACK (S12)", test_syn_in_synchronized_state_draws_challenge_ack },
	{ "SYN in FIN-WAIT-2 and TIME-WAIT: challenge ACK (S12)", test_syn_in_closing_states_draws_challenge_ack },
	{ "SYN in active SYN-RECEIVED: challenge ACK (S12)", test_syn_in_active_syn_received_draws_challenge_ack },
	{ "SYN in passive SYN-RECEIVED: LISTEN (T23)", test_syn_in_passive_syn_received_returns_to_listen },
	{ "linux: SYN in passive SYN-RECEIVED: RST,ACK, LISTEN (T23)", test_syn_in_passive_syn_received_linux_resets },
	{ "ACK beyond SND.NXT: ACK, segment dropped (S13)", test_ack_beyond_snd_nxt_draws_ack },
	{ "ACK below SND.UNA-MAX.SND.WND: ACK (S13, RFC 5961 5.2)", test_ack_below_max_window_draws_ack },
	{ "segment without ACK is dropped (S18)", test_segment_without_ack_is_dropped },
	{ "unacceptable segment: ACK (S09)", test_unacceptable_segment_draws_ack },
	{ "zero window: only an empty segment at RCV.NXT (S09)", test_zero_window_accepts_only_empty_segment_at_rcv_nxt },
	{ "bad ACK in SYN-RECEIVED: RST <SEQ=SEG.ACK> (S07)", test_bad_ack_in_syn_received_draws_rst },
	{ "retransmitted SYN in SYN-RECEIVED: ACK (S08, rfc9293)", test_retransmitted_syn_in_syn_received_draws_ack },
	{ "retransmitted SYN in SYN-RECEIVED: SYN,ACK (N2, linux)", test_retransmitted_syn_in_syn_received_linux_resends_syn_ack },
	{ "old duplicate SYN: S05 then T11 (Figure 8)", test_old_duplicate_syn_recovery })
