/* test_tcp_data.c - data transfer: SEND segmentized by the peer's MSS
 * (RFC 9293 section 3.7.1) within its window (section 3.8.6), PSH, the FIN on
 * the last data segment, receiving in order, out of order (SHLD-31), twice,
 * and beyond the window (section 3.10.7.4 first and seventh steps), SEND
 * before ESTABLISHED (U03), and retransmission (RFC 6298 (5.4), T52c).
 *
 * The client's ISN is 1000, the server's 5000; numbers are relative, except
 * in the tests that choose another ISN. */
#include "proto/payload.h"
#include "tcp_script.h"

#define SEC USEC_PER_SEC
#define MS USEC_PER_MS

/* ---- helpers ------------------------------------------------------------ */

/* The client through a handshake whose SYN,ACK offers window win. */
static void client_established_win(struct script *s, uint16_t win)
{
	script_connect(s, CLIENT);
	SENT(s, CLIENT, TH_SYN, 0, 0, 0);
	script_recv_opt(s, CLIENT, TH_SYN | TH_ACK, 0, 1, 0, win, 1460);
	SENT(s, CLIENT, TH_ACK, 1, 1, 0);
	STATE(s, CLIENT, TCPS_ESTABLISHED, "T08");
}

/* ---- sending ------------------------------------------------------------- */

/* Section 3.7.1: segments are at most the MSS the peer's SYN announced; PSH
 * on the last one (section 3.9.1.2). */
static void test_send_segments_by_peer_mss(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_listen(&s, SERVER);
	script_recv_opt(&s, SERVER, TH_SYN, 0, 0, 0, 65535, 1000);
	SENT(&s, SERVER, TH_SYN | TH_ACK, 0, 1, 0);
	RECV(&s, SERVER, TH_ACK, 1, 1, 0);
	CU_ASSERT_EQUAL(script_send(&s, SERVER, 2500), TCP_OK);
	SENT(&s, SERVER, TH_ACK, 1, 1, 1000);
	SENT(&s, SERVER, TH_ACK, 1001, 1, 1000);
	SENT(&s, SERVER, TH_PSH | TH_ACK, 2001, 1, 500);
	NOTHING_SENT(&s);
	script_free(&s);
}

/* Section 3.7.1 (MUST-15): without an MSS option the peer takes 536. */
static void test_send_uses_536_without_mss_option(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_connect(&s, CLIENT);
	SENT(&s, CLIENT, TH_SYN, 0, 0, 0);
	script_recv_opt(&s, CLIENT, TH_SYN | TH_ACK, 0, 1, 0, 65535, 0);
	SENT(&s, CLIENT, TH_ACK, 1, 1, 0);
	script_send(&s, CLIENT, 1000);
	SENT(&s, CLIENT, TH_ACK, 1, 1, 536);
	SENT(&s, CLIENT, TH_PSH | TH_ACK, 537, 1, 464);
	NOTHING_SENT(&s);
	script_free(&s);
}

/* Section 3.7.1: a peer MSS above our own segment size is capped by it. */
static void test_send_caps_mss_at_our_own(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_connect(&s, CLIENT);
	SENT(&s, CLIENT, TH_SYN, 0, 0, 0);
	script_recv_opt(&s, CLIENT, TH_SYN | TH_ACK, 0, 1, 0, 65535, 9000);
	SENT(&s, CLIENT, TH_ACK, 1, 1, 0);
	script_send(&s, CLIENT, 3000);
	SENT(&s, CLIENT, TH_ACK, 1, 1, 1460);
	SENT(&s, CLIENT, TH_ACK, 1461, 1, 1460);
	SENT(&s, CLIENT, TH_PSH | TH_ACK, 2921, 1, 80);
	NOTHING_SENT(&s);
	script_free(&s);
}

/* Section 3.8.6: no more than SND.UNA + SND.WND goes out; each ACK that
 * opens the window lets the next 4000 bytes go. */
static void test_send_respects_peer_window(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	client_established_win(&s, 4000);
	script_send(&s, CLIENT, 10000);
	SENT(&s, CLIENT, TH_ACK, 1, 1, 1460);
	SENT(&s, CLIENT, TH_ACK, 1461, 1, 1460);
	SENT(&s, CLIENT, TH_ACK, 2921, 1, 1080);
	NOTHING_SENT(&s);
	/* An ACK of half: 2000 more bytes fit. */
	script_recv_opt(&s, CLIENT, TH_ACK, 1, 2001, 0, 4000, 0);
	SENT(&s, CLIENT, TH_ACK, 4001, 1, 1460);
	SENT(&s, CLIENT, TH_ACK, 5461, 1, 540);
	NOTHING_SENT(&s);
	/* Up to 10000: the last segment ends the data, with PSH. */
	script_recv_opt(&s, CLIENT, TH_ACK, 1, 6001, 0, 4000, 0);
	SENT(&s, CLIENT, TH_ACK, 6001, 1, 1460);
	SENT(&s, CLIENT, TH_ACK, 7461, 1, 1460);
	SENT(&s, CLIENT, TH_PSH | TH_ACK, 8921, 1, 1080);
	NOTHING_SENT(&s);
	script_recv_opt(&s, CLIENT, TH_ACK, 1, 10001, 0, 4000, 0);
	NOTHING_SENT(&s);
	CU_ASSERT_FALSE(script_must_tcb(&s, CLIENT)->timer_on[TIMER_RTO]);
	script_free(&s);
}

/* Section 3.8.6: a pure window update (same ACK) opens the window too. */
static void test_window_update_without_new_ack_opens_window(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	client_established_win(&s, 1000);
	script_send(&s, CLIENT, 3000);
	SENT(&s, CLIENT, TH_ACK, 1, 1, 1000);
	NOTHING_SENT(&s);
	script_recv_opt(&s, CLIENT, TH_ACK, 1, 1, 0, 3000, 0);
	SENT(&s, CLIENT, TH_ACK, 1001, 1, 1460);
	SENT(&s, CLIENT, TH_PSH | TH_ACK, 2461, 1, 540);
	NOTHING_SENT(&s);
	script_free(&s);
}

/* Section 3.9.1.2: PSH marks the end of what one SEND handed over. */
static void test_psh_on_last_segment_of_each_send(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_to_state(&s, CLIENT, TCPS_ESTABLISHED);
	script_send(&s, CLIENT, 100);
	SENT(&s, CLIENT, TH_PSH | TH_ACK, 1, 1, 100);
	script_send(&s, CLIENT, 1500);
	SENT(&s, CLIENT, TH_ACK, 101, 1, 1460);
	SENT(&s, CLIENT, TH_PSH | TH_ACK, 1561, 1, 40);
	NOTHING_SENT(&s);
	script_free(&s);
}

/* T12 with data queued (section 3.10.4, "queue this until all preceding
 * SENDs have been segmentized"): the FIN rides on the last data segment. */
static void test_fin_piggybacked_on_last_data_segment(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	client_established_win(&s, 4000);
	script_send(&s, CLIENT, 5000);
	SENT(&s, CLIENT, TH_ACK, 1, 1, 1460);
	SENT(&s, CLIENT, TH_ACK, 1461, 1, 1460);
	SENT(&s, CLIENT, TH_ACK, 2921, 1, 1080);
	CU_ASSERT_EQUAL(script_close(&s, CLIENT), TCP_OK);
	NOTHING_SENT(&s);
	STATE(&s, CLIENT, TCPS_FIN_WAIT_1, "T12");
	script_recv_opt(&s, CLIENT, TH_ACK, 1, 4001, 0, 4000, 0);
	SENT(&s, CLIENT, TH_FIN | TH_PSH | TH_ACK, 4001, 1, 1000);
	NOTHING_SENT(&s);
	script_recv_opt(&s, CLIENT, TH_ACK, 1, 5002, 0, 4000, 0);
	STATE(&s, CLIENT, TCPS_FIN_WAIT_2, "T14");
	script_free(&s);
}

/* U09: SEND in CLOSE-WAIT still sends (section 3.10.2). */
static void test_send_in_close_wait(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_to_state(&s, SERVER, TCPS_ESTABLISHED);
	RECV(&s, SERVER, TH_FIN | TH_ACK, 1, 1, 0);
	SENT(&s, SERVER, TH_ACK, 1, 2, 0);
	CU_ASSERT_EQUAL(script_send(&s, SERVER, 100), TCP_OK);
	SENT(&s, SERVER, TH_PSH | TH_ACK, 1, 2, 100);
	script_close(&s, SERVER);
	SENT(&s, SERVER, TH_FIN | TH_ACK, 101, 2, 0);
	STATE(&s, SERVER, TCPS_LAST_ACK, "T18");
	script_free(&s);
}

/* U03: SEND in SYN-SENT is queued; the data goes once ESTABLISHED, carrying
 * the handshake's ACK (section 3.10.7.3: queued data MAY be included). */
static void test_send_in_syn_sent_is_queued(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_connect(&s, CLIENT);
	SENT(&s, CLIENT, TH_SYN, 0, 0, 0);
	CU_ASSERT_EQUAL(script_send(&s, CLIENT, 100), TCP_OK);
	NOTHING_SENT(&s);
	/* The SYN is resent alone. */
	script_advance(&s, 1 * SEC);
	SENT(&s, CLIENT, TH_SYN, 0, 0, 0);
	NOTHING_SENT(&s);
	RECV(&s, CLIENT, TH_SYN | TH_ACK, 0, 1, 0);
	SENT(&s, CLIENT, TH_PSH | TH_ACK, 1, 1, 100);
	NOTHING_SENT(&s);
	STATE(&s, CLIENT, TCPS_ESTABLISHED, "T08");
	script_free(&s);
}

/* U03: SEND in SYN-RECEIVED is queued until the ACK of our SYN (3.10.2). */
static void test_send_in_syn_received_is_queued(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_to_state(&s, SERVER, TCPS_SYN_RECEIVED);
	CU_ASSERT_EQUAL(script_send(&s, SERVER, 100), TCP_OK);
	NOTHING_SENT(&s);
	RECV(&s, SERVER, TH_ACK, 1, 1, 0);
	SENT(&s, SERVER, TH_PSH | TH_ACK, 1, 1, 100);
	NOTHING_SENT(&s);
	STATE(&s, SERVER, TCPS_ESTABLISHED, "T09");
	script_free(&s);
}

/* ---- receiving ----------------------------------------------------------- */

/* Section 3.10.7.4 seventh step: in-order text goes to the application,
 * RCV.NXT advances, an ACK is sent. */
static void test_in_order_data_is_delivered(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_to_state(&s, SERVER, TCPS_ESTABLISHED);
	RECV(&s, SERVER, TH_PSH | TH_ACK, 1, 1, 100);
	SENT(&s, SERVER, TH_ACK, 1, 101, 0);
	CU_ASSERT_EQUAL(s.delivered[SERVER], 100);
	RECV(&s, SERVER, TH_PSH | TH_ACK, 101, 1, 50);
	SENT(&s, SERVER, TH_ACK, 1, 151, 0);
	NOTHING_SENT(&s);
	CU_ASSERT_EQUAL(s.delivered[SERVER], 150);
	/* Text on the ACK that completes the handshake is delivered as well. */
	script_free(&s);
	script_init(&s, PROFILE_RFC9293);
	script_to_state(&s, SERVER, TCPS_SYN_RECEIVED);
	RECV(&s, SERVER, TH_PSH | TH_ACK, 1, 1, 20);
	SENT(&s, SERVER, TH_ACK, 1, 21, 0);
	STATE(&s, SERVER, TCPS_ESTABLISHED, "T09");
	CU_ASSERT_EQUAL(s.delivered[SERVER], 20);
	script_free(&s);
}

/* SHLD-31: text beyond RCV.NXT is held (each arrival ACKs RCV.NXT) and
 * delivered when the gap fills, with one cumulative ACK. */
static void test_out_of_order_data_held_until_gap_fills(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_to_state(&s, SERVER, TCPS_ESTABLISHED);
	RECV(&s, SERVER, TH_PSH | TH_ACK, 201, 1, 100);
	SENT(&s, SERVER, TH_ACK, 1, 1, 0);
	RECV(&s, SERVER, TH_ACK, 101, 1, 100);
	SENT(&s, SERVER, TH_ACK, 1, 1, 0);
	CU_ASSERT_EQUAL(s.delivered[SERVER], 0);
	RECV(&s, SERVER, TH_ACK, 1, 1, 100);
	SENT(&s, SERVER, TH_ACK, 1, 301, 0);
	NOTHING_SENT(&s);
	CU_ASSERT_EQUAL(s.delivered[SERVER], 300);
	CU_ASSERT_PTR_NULL(script_must_tcb(&s, SERVER)->ooo);
	script_free(&s);
}

/* SHLD-31 with a FIN: a FIN held beyond a gap counts once the gap fills
 * (T13 then), not before. */
static void test_out_of_order_fin_counts_when_gap_fills(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_to_state(&s, SERVER, TCPS_ESTABLISHED);
	RECV(&s, SERVER, TH_FIN | TH_PSH | TH_ACK, 101, 1, 100);
	SENT(&s, SERVER, TH_ACK, 1, 1, 0);
	STATE(&s, SERVER, TCPS_ESTABLISHED, "T09");
	RECV(&s, SERVER, TH_ACK, 1, 1, 100);
	SENT(&s, SERVER, TH_ACK, 1, 202, 0);
	NOTHING_SENT(&s);
	STATE(&s, SERVER, TCPS_CLOSE_WAIT, "T13");
	CU_ASSERT_EQUAL(s.delivered[SERVER], 200);
	script_free(&s);
}

/* Section 3.10.7.4 first step: a duplicate is ACKed (S09) and not delivered
 * again; a partial overlap delivers only the new bytes. */
static void test_duplicate_data_acked_not_delivered_twice(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_to_state(&s, SERVER, TCPS_ESTABLISHED);
	RECV(&s, SERVER, TH_PSH | TH_ACK, 1, 1, 100);
	SENT(&s, SERVER, TH_ACK, 1, 101, 0);
	RECV(&s, SERVER, TH_PSH | TH_ACK, 1, 1, 100);
	SENT(&s, SERVER, TH_ACK, 1, 101, 0);
	CU_ASSERT_EQUAL(s.delivered[SERVER], 100);
	RECV(&s, SERVER, TH_PSH | TH_ACK, 51, 1, 100);
	SENT(&s, SERVER, TH_ACK, 1, 151, 0);
	NOTHING_SENT(&s);
	CU_ASSERT_EQUAL(s.delivered[SERVER], 150);
	/* The same out-of-order segment twice is held once. */
	RECV(&s, SERVER, TH_ACK, 201, 1, 50);
	SENT(&s, SERVER, TH_ACK, 1, 151, 0);
	RECV(&s, SERVER, TH_ACK, 201, 1, 50);
	SENT(&s, SERVER, TH_ACK, 1, 151, 0);
	RECV(&s, SERVER, TH_ACK, 151, 1, 50);
	SENT(&s, SERVER, TH_ACK, 1, 251, 0);
	CU_ASSERT_EQUAL(s.delivered[SERVER], 250);
	script_free(&s);
}

/* Section 3.10.7.4 first step, "idealized segment": text beyond RCV.NXT +
 * RCV.WND is trimmed, with the FIN that follows it. */
static void test_data_beyond_window_is_trimmed(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	s.params.window = 1000;
	script_to_state(&s, SERVER, TCPS_ESTABLISHED);
	RECV(&s, SERVER, TH_PSH | TH_ACK, 1, 1, 1500);
	SENT(&s, SERVER, TH_ACK, 1, 1001, 0);
	CU_ASSERT_EQUAL(s.delivered[SERVER], 1000);
	RECV(&s, SERVER, TH_FIN | TH_PSH | TH_ACK, 1001, 1, 1500);
	SENT(&s, SERVER, TH_ACK, 1, 2001, 0);
	NOTHING_SENT(&s);
	CU_ASSERT_EQUAL(s.delivered[SERVER], 2000);
	STATE(&s, SERVER, TCPS_ESTABLISHED, "T09");
	/* The rest, with the FIN, completes it. */
	RECV(&s, SERVER, TH_FIN | TH_PSH | TH_ACK, 2001, 1, 500);
	SENT(&s, SERVER, TH_ACK, 1, 2502, 0);
	STATE(&s, SERVER, TCPS_CLOSE_WAIT, "T13");
	CU_ASSERT_EQUAL(s.delivered[SERVER], 2500);
	script_free(&s);
}

/* T09, not T26: when the FIN on the segment completing the handshake is
 * trimmed off by the window, the ACK still takes SYN-RECEIVED to ESTABLISHED
 * (section 3.10.7.4 fifth step) and the next segment is no bad ACK (S07). */
static void test_fin_trimmed_by_window_in_syn_received(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	s.params.window = 1000;
	script_to_state(&s, SERVER, TCPS_SYN_RECEIVED);
	RECV(&s, SERVER, TH_FIN | TH_PSH | TH_ACK, 1, 1, 1500);
	SENT(&s, SERVER, TH_ACK, 1, 1001, 0);
	NOTHING_SENT(&s);
	STATE(&s, SERVER, TCPS_ESTABLISHED, "T09");
	CU_ASSERT_EQUAL(s.delivered[SERVER], 1000);
	RECV(&s, SERVER, TH_ACK, 1001, 1, 0);
	NOTHING_SENT(&s);
	STATE(&s, SERVER, TCPS_ESTABLISHED, "T09");
	script_free(&s);
}

/* T14, not T16: in FIN-WAIT-1 an ACK of our FIN whose own FIN is trimmed off
 * by the window gives FIN-WAIT-2 (section 3.10.7.4 fifth step). */
static void test_fin_trimmed_by_window_in_fin_wait_1(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	s.params.window = 1000;
	script_to_state(&s, CLIENT, TCPS_ESTABLISHED);
	script_close(&s, CLIENT);
	SENT(&s, CLIENT, TH_FIN | TH_ACK, 1, 1, 0);
	RECV(&s, CLIENT, TH_FIN | TH_PSH | TH_ACK, 1, 2, 1500);
	SENT(&s, CLIENT, TH_ACK, 2, 1001, 0);
	NOTHING_SENT(&s);
	STATE(&s, CLIENT, TCPS_FIN_WAIT_2, "T14");
	CU_ASSERT_EQUAL(s.delivered[CLIENT], 1000);
	script_free(&s);
}

/* ---- retransmission ------------------------------------------------------ */

/* T52c, RFC 6298 (5.4): the RTO resends the earliest unacknowledged segment
 * only (at most one MSS). */
static void test_rto_resends_earliest_unacked_segment(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_to_state(&s, CLIENT, TCPS_ESTABLISHED);
	script_send(&s, CLIENT, 3000);
	SENT(&s, CLIENT, TH_ACK, 1, 1, 1460);
	SENT(&s, CLIENT, TH_ACK, 1461, 1, 1460);
	SENT(&s, CLIENT, TH_PSH | TH_ACK, 2921, 1, 80);
	script_advance(&s, 1 * SEC - 1);
	NOTHING_SENT(&s);
	script_advance(&s, 1);
	SENT(&s, CLIENT, TH_ACK, 1, 1, 1460);
	NOTHING_SENT(&s);
	/* A partial ACK moves the front: the next expiry resends from there. */
	RECV(&s, CLIENT, TH_ACK, 1, 1001, 0);
	SENT(&s, CLIENT, TH_ACK, 1001, 1, 1460);
	NOTHING_SENT(&s);
	script_free(&s);
}

/* After a timeout one segment is resent per ACK until everything sent before
 * the timeout is acknowledged (docs/decisions.md; RFC 5681 3.1 slow start
 * from one segment); data sent after recovery is not resent per ACK. */
static void test_after_timeout_one_segment_per_ack(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_to_state(&s, CLIENT, TCPS_ESTABLISHED);
	script_send(&s, CLIENT, 3000);
	SENT(&s, CLIENT, TH_ACK, 1, 1, 1460);
	SENT(&s, CLIENT, TH_ACK, 1461, 1, 1460);
	SENT(&s, CLIENT, TH_PSH | TH_ACK, 2921, 1, 80);
	script_advance(&s, 1 * SEC);
	SENT(&s, CLIENT, TH_ACK, 1, 1, 1460);
	NOTHING_SENT(&s);
	RECV(&s, CLIENT, TH_ACK, 1, 1461, 0);
	SENT(&s, CLIENT, TH_ACK, 1461, 1, 1460);
	NOTHING_SENT(&s);
	RECV(&s, CLIENT, TH_ACK, 1, 2921, 0);
	SENT(&s, CLIENT, TH_PSH | TH_ACK, 2921, 1, 80);
	NOTHING_SENT(&s);
	/* Everything sent before the timeout is acknowledged: no more. */
	RECV(&s, CLIENT, TH_ACK, 1, 3001, 0);
	NOTHING_SENT(&s);
	/* New data afterwards is sent once, not resent per ACK. */
	script_send(&s, CLIENT, 3000);
	SENT(&s, CLIENT, TH_ACK, 3001, 1, 1460);
	SENT(&s, CLIENT, TH_ACK, 4461, 1, 1460);
	SENT(&s, CLIENT, TH_PSH | TH_ACK, 5921, 1, 80);
	RECV(&s, CLIENT, TH_ACK, 1, 4461, 0);
	NOTHING_SENT(&s);
	RECV(&s, CLIENT, TH_ACK, 1, 6001, 0);
	NOTHING_SENT(&s);
	CU_ASSERT_FALSE(script_must_tcb(&s, CLIENT)->timer_on[TIMER_RTO]);
	script_free(&s);
}

/* RFC 6298 (5.3) and (5.4): with no timeout, an ACK of part of the data
 * resends nothing, whatever the ISN (here above 2^31). */
static void test_ack_without_timeout_resends_nothing_high_isn(void)
{
	const uint32_t isn = 0x90000000u;
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	s.eps[CLIENT].isn = isn;
	script_connect(&s, CLIENT);
	SENT_ABS(&s, CLIENT, TH_SYN, isn, 0, 0);
	script_recv_abs(&s, CLIENT, TH_SYN | TH_ACK, SERVER_ISN, isn + 1, 0, 65535);
	SENT_ABS(&s, CLIENT, TH_ACK, isn + 1, SERVER_ISN + 1, 0);
	script_send(&s, CLIENT, 3000);
	SENT_ABS(&s, CLIENT, TH_ACK, isn + 1, SERVER_ISN + 1, 1460);
	SENT_ABS(&s, CLIENT, TH_ACK, isn + 1461, SERVER_ISN + 1, 1460);
	SENT_ABS(&s, CLIENT, TH_PSH | TH_ACK, isn + 2921, SERVER_ISN + 1, 80);
	script_recv_abs(&s, CLIENT, TH_ACK, SERVER_ISN + 1, isn + 1461, 0, 65535);
	NOTHING_SENT(&s);
	script_recv_abs(&s, CLIENT, TH_ACK, SERVER_ISN + 1, isn + 2921, 0, 65535);
	NOTHING_SENT(&s);
	CU_ASSERT_EQUAL(s.host->n_retransmits, 0);
	script_free(&s);

	/* The passive side chooses its ISS as well. */
	script_init(&s, PROFILE_RFC9293);
	s.eps[SERVER].isn = isn;
	script_listen(&s, SERVER);
	RECV(&s, SERVER, TH_SYN, 0, 0, 0);
	SENT_ABS(&s, SERVER, TH_SYN | TH_ACK, isn, CLIENT_ISN + 1, 0);
	script_recv_abs(&s, SERVER, TH_ACK, CLIENT_ISN + 1, isn + 1, 0, 65535);
	script_send(&s, SERVER, 2000);
	SENT_ABS(&s, SERVER, TH_ACK, isn + 1, CLIENT_ISN + 1, 1460);
	SENT_ABS(&s, SERVER, TH_PSH | TH_ACK, isn + 1461, CLIENT_ISN + 1, 540);
	script_recv_abs(&s, SERVER, TH_ACK, CLIENT_ISN + 1, isn + 1461, 0, 65535);
	NOTHING_SENT(&s);
	CU_ASSERT_EQUAL(s.host->n_retransmits, 0);
	script_free(&s);
}

/* Section 3.4: sequence numbers wrap modulo 2^32; a transfer and close
 * across the wrap behave as anywhere else. */
static void test_sequence_numbers_wrap(void)
{
	const uint32_t isn = 0xFFFFFF00u;
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	s.eps[CLIENT].isn = isn;
	script_connect(&s, CLIENT);
	SENT_ABS(&s, CLIENT, TH_SYN, isn, 0, 0);
	script_recv_abs(&s, CLIENT, TH_SYN | TH_ACK, SERVER_ISN, isn + 1, 0, 65535);
	SENT_ABS(&s, CLIENT, TH_ACK, isn + 1, SERVER_ISN + 1, 0);
	script_send(&s, CLIENT, 3000);
	SENT_ABS(&s, CLIENT, TH_ACK, isn + 1, SERVER_ISN + 1, 1460);
	SENT_ABS(&s, CLIENT, TH_ACK, isn + 1461, SERVER_ISN + 1, 1460);
	SENT_ABS(&s, CLIENT, TH_PSH | TH_ACK, isn + 2921, SERVER_ISN + 1, 80);
	script_recv_abs(&s, CLIENT, TH_ACK, SERVER_ISN + 1, isn + 1461, 0, 65535);
	NOTHING_SENT(&s);
	script_close(&s, CLIENT);
	SENT_ABS(&s, CLIENT, TH_FIN | TH_ACK, isn + 3001, SERVER_ISN + 1, 0);
	script_recv_abs(&s, CLIENT, TH_ACK, SERVER_ISN + 1, isn + 3002, 0, 65535);
	NOTHING_SENT(&s);
	STATE(&s, CLIENT, TCPS_FIN_WAIT_2, "T14");
	script_free(&s);
}

TCPSIM_SUITE(tcp_data,
	{ "SEND segmentized by the peer's MSS", test_send_segments_by_peer_mss },
	{ "no MSS option: 536", test_send_uses_536_without_mss_option },
	{ "peer MSS capped by ours", test_send_caps_mss_at_our_own },
	{ "SEND respects the peer's window", test_send_respects_peer_window },
	{ "window update opens the window", test_window_update_without_new_ack_opens_window },
	{ "PSH on the last segment of each SEND", test_psh_on_last_segment_of_each_send },
	{ "FIN piggybacked on the last data segment (FP.)", test_fin_piggybacked_on_last_data_segment },
	{ "SEND in CLOSE-WAIT (U09)", test_send_in_close_wait },
	{ "SEND in SYN-SENT is queued (U03)", test_send_in_syn_sent_is_queued },
	{ "SEND in SYN-RECEIVED is queued (U03)", test_send_in_syn_received_is_queued },
	{ "in-order data is delivered", test_in_order_data_is_delivered },
	{ "out-of-order data held until the gap fills", test_out_of_order_data_held_until_gap_fills },
	{ "out-of-order FIN counts when the gap fills", test_out_of_order_fin_counts_when_gap_fills },
	{ "duplicate data ACKed, not delivered twice", test_duplicate_data_acked_not_delivered_twice },
	{ "data beyond the window is trimmed", test_data_beyond_window_is_trimmed },
	{ "FIN trimmed by the window in SYN-RECEIVED: T09", test_fin_trimmed_by_window_in_syn_received },
	{ "FIN trimmed by the window in FIN-WAIT-1: T14", test_fin_trimmed_by_window_in_fin_wait_1 },
	{ "RTO resends the earliest unacked segment (T52c)", test_rto_resends_earliest_unacked_segment },
	{ "after a timeout one segment per ACK", test_after_timeout_one_segment_per_ack },
	{ "no timeout, no resend (ISN above 2^31)", test_ack_without_timeout_resends_nothing_high_isn },
	{ "sequence numbers wrap", test_sequence_numbers_wrap })
