/* test_tcp_abort.c - ABORT in every state, RFC 9293 section 3.10.5 (T42-T51):
 * SYN-RECEIVED, ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2 and CLOSE-WAIT send
 * <SEQ=SND.NXT><CTL=RST> (the linux profile RST,ACK, as tcp_disconnect does);
 * LISTEN, SYN-SENT, CLOSING, LAST-ACK and TIME-WAIT send nothing. Every ABORT
 * deletes the TCB: no timer of it fires afterwards.
 *
 * The client's ISN is 1000, the server's 5000; numbers are relative. */
#include "tcp_script.h"

#define SEC USEC_PER_SEC

static const enum profile profiles[] = { PROFILE_RFC9293, PROFILE_LINUX };

/* ---- helpers ------------------------------------------------------------ */

/* ABORT on the client: OK, CLOSED by `arc`, the TCB gone; a second ABORT is
 * "connection does not exist" (U07) and later nothing is sent. The caller
 * has checked what the ABORT itself sent. */
static void after_abort(struct script *s, const char *arc)
{
	STATE(s, CLIENT, TCPS_CLOSED, arc);
	CU_ASSERT_PTR_NULL(script_tcb(s, CLIENT));
	CU_ASSERT_EQUAL(script_abort(s, CLIENT), TCP_ERR_NOCONN);
	script_advance(s, 900 * SEC);
	NOTHING_SENT(s);
}

/* ---- the states that send nothing ------------------------------------------ */

/* T42: ABORT in LISTEN deletes the listener, no segment (section 3.10.5). */
static void test_abort_in_listen_sends_nothing(void)
{
	for (int i = 0; i < 2; i++) {
		struct script s;
		script_init(&s, profiles[i]);
		script_listen(&s, SERVER);
		CU_ASSERT_EQUAL(script_abort(&s, SERVER), TCP_OK);
		NOTHING_SENT(&s);
		STATE(&s, SERVER, TCPS_CLOSED, "T42");
		CU_ASSERT_PTR_NULL(script_tcb(&s, SERVER));
		/* The port is closed now (S02). */
		RECV(&s, SERVER, TH_SYN, 0, 0, 0);
		SENT_ABS(&s, SERVER, TH_RST | TH_ACK, 0, CLIENT_ISN + 1, 0);
		script_free(&s);
	}
}

/* T43: ABORT in SYN-SENT (section 3.10.5) sends no RST and stops the SYN retransmissions. */
static void test_abort_in_syn_sent_sends_nothing(void)
{
	for (int i = 0; i < 2; i++) {
		struct script s;
		script_init(&s, profiles[i]);
		script_connect(&s, CLIENT);
		SENT(&s, CLIENT, TH_SYN, 0, 0, 0);
		CU_ASSERT_EQUAL(script_abort(&s, CLIENT), TCP_OK);
		NOTHING_SENT(&s);
		after_abort(&s, "T43");
		script_free(&s);
	}
}

/* T49: ABORT in CLOSING: "respond with ok" (section 3.10.5), no RST or FIN. */
static void test_abort_in_closing_sends_nothing(void)
{
	for (int i = 0; i < 2; i++) {
		struct script s;
		script_init(&s, profiles[i]);
		script_to_state(&s, CLIENT, TCPS_FIN_WAIT_1);
		RECV(&s, CLIENT, TH_FIN | TH_ACK, 1, 1, 0);
		SENT(&s, CLIENT, TH_ACK, 2, 2, 0);
		STATE(&s, CLIENT, TCPS_CLOSING, "T15");
		CU_ASSERT_EQUAL(script_abort(&s, CLIENT), TCP_OK);
		NOTHING_SENT(&s);
		after_abort(&s, "T49");
		script_free(&s);
	}
}

/* T50: ABORT in LAST-ACK sends nothing, stops the FIN resends (3.10.5). */
static void test_abort_in_last_ack_sends_nothing(void)
{
	for (int i = 0; i < 2; i++) {
		struct script s;
		script_init(&s, profiles[i]);
		script_to_state(&s, CLIENT, TCPS_CLOSE_WAIT);
		script_close(&s, CLIENT);
		SENT(&s, CLIENT, TH_FIN | TH_ACK, 1, 2, 0);
		STATE(&s, CLIENT, TCPS_LAST_ACK, "T18");
		CU_ASSERT_EQUAL(script_abort(&s, CLIENT), TCP_OK);
		NOTHING_SENT(&s);
		after_abort(&s, "T50");
		script_free(&s);
	}
}

/* T51: ABORT in TIME-WAIT sends nothing; the 2MSL timer goes too (3.10.5). */
static void test_abort_in_time_wait_sends_nothing(void)
{
	for (int i = 0; i < 2; i++) {
		struct script s;
		script_init(&s, profiles[i]);
		script_to_state(&s, CLIENT, TCPS_FIN_WAIT_1);
		RECV(&s, CLIENT, TH_FIN | TH_ACK, 1, 2, 0);
		SENT(&s, CLIENT, TH_ACK, 2, 2, 0);
		/* Linux passes FIN-WAIT-2 (T14, then T17). */
		STATE(&s, CLIENT, TCPS_TIME_WAIT, profiles[i] == PROFILE_LINUX ? "T17" : "T16");
		CU_ASSERT_EQUAL(script_abort(&s, CLIENT), TCP_OK);
		NOTHING_SENT(&s);
		int mark = s.n_states;
		after_abort(&s, "T51");
		CU_ASSERT_EQUAL(s.n_states, mark);        /* no T21 later */
		script_free(&s);
	}
}

/* ---- the states that send a reset ------------------------------------------ */

/* T44: ABORT in passive SYN-RECEIVED: <SEQ=SND.NXT><CTL=RST> = seq 1 (section
 * 3.10.5); linux R. 1 ack 1. The listener stays. */
static void test_abort_in_syn_received_sends_rst(void)
{
	for (int i = 0; i < 2; i++) {
		struct script s;
		script_init(&s, profiles[i]);
		script_listen(&s, SERVER);
		RECV(&s, SERVER, TH_SYN, 0, 0, 0);
		SENT(&s, SERVER, TH_SYN | TH_ACK, 0, 1, 0);
		CU_ASSERT_EQUAL(script_abort(&s, SERVER), TCP_OK);
		if (profiles[i] == PROFILE_LINUX)
			SENT(&s, SERVER, TH_RST | TH_ACK, 1, 1, 0);
		else
			SENT(&s, SERVER, TH_RST, 1, 0, 0);
		NOTHING_SENT(&s);
		STATE(&s, SERVER, TCPS_CLOSED, "T44");
		CU_ASSERT_PTR_NULL(s.eps[SERVER].conn);
		CU_ASSERT_PTR_NOT_NULL(s.eps[SERVER].listener);
		script_advance(&s, 300 * SEC);
		NOTHING_SENT(&s);                 /* no SYN,ACK retransmission */
		script_free(&s);
	}
}

/* T44 after a simultaneous open (active SYN-RECEIVED): RST seq 1 (3.10.5). */
static void test_abort_in_active_syn_received_sends_rst(void)
{
	for (int i = 0; i < 2; i++) {
		struct script s;
		script_init(&s, profiles[i]);
		script_connect(&s, CLIENT);
		SENT(&s, CLIENT, TH_SYN, 0, 0, 0);
		RECV(&s, CLIENT, TH_SYN, 0, 0, 0);
		SENT(&s, CLIENT, TH_SYN | TH_ACK, 0, 1, 0);
		script_abort(&s, CLIENT);
		if (profiles[i] == PROFILE_LINUX)
			SENT(&s, CLIENT, TH_RST | TH_ACK, 1, 1, 0);
		else
			SENT(&s, CLIENT, TH_RST, 1, 0, 0);
		after_abort(&s, "T44");
		script_free(&s);
	}
}

/* T45: ABORT in ESTABLISHED: RST at SND.NXT (section 3.10.5). */
static void test_abort_in_established_sends_rst(void)
{
	for (int i = 0; i < 2; i++) {
		struct script s;
		script_init(&s, profiles[i]);
		script_to_state(&s, CLIENT, TCPS_ESTABLISHED);
		CU_ASSERT_EQUAL(script_abort(&s, CLIENT), TCP_OK);
		if (profiles[i] == PROFILE_LINUX)
			SENT(&s, CLIENT, TH_RST | TH_ACK, 1, 1, 0);
		else
			SENT(&s, CLIENT, TH_RST, 1, 0, 0);
		after_abort(&s, "T45");
		script_free(&s);
	}
}

/* T45 with data in flight: SND.NXT is past the unacknowledged data, and the
 * data is not retransmitted (section 3.10.5, "flush all queues"). */
static void test_abort_with_data_in_flight_uses_snd_nxt(void)
{
	for (int i = 0; i < 2; i++) {
		struct script s;
		script_init(&s, profiles[i]);
		script_to_state(&s, CLIENT, TCPS_ESTABLISHED);
		script_send(&s, CLIENT, 100);
		SENT(&s, CLIENT, TH_PSH | TH_ACK, 1, 1, 100);
		RECV(&s, CLIENT, TH_PSH | TH_ACK, 1, 1, 30);
		SENT(&s, CLIENT, TH_ACK, 101, 31, 0);
		script_abort(&s, CLIENT);
		if (profiles[i] == PROFILE_LINUX)
			SENT(&s, CLIENT, TH_RST | TH_ACK, 101, 31, 0);
		else
			SENT(&s, CLIENT, TH_RST, 101, 0, 0);
		after_abort(&s, "T45");
		script_free(&s);
	}
}

/* T46: ABORT in FIN-WAIT-1: SND.NXT already counts our FIN, seq 2 (3.10.5). */
static void test_abort_in_fin_wait_1_sends_rst_past_fin(void)
{
	for (int i = 0; i < 2; i++) {
		struct script s;
		script_init(&s, profiles[i]);
		script_to_state(&s, CLIENT, TCPS_FIN_WAIT_1);
		script_abort(&s, CLIENT);
		if (profiles[i] == PROFILE_LINUX)
			SENT(&s, CLIENT, TH_RST | TH_ACK, 2, 1, 0);
		else
			SENT(&s, CLIENT, TH_RST, 2, 0, 0);
		after_abort(&s, "T46");
		script_free(&s);
	}
}

/* T47: ABORT in FIN-WAIT-2: RST seq 2 (3.10.5); the linux FIN-WAIT-2 timer goes. */
static void test_abort_in_fin_wait_2_sends_rst(void)
{
	for (int i = 0; i < 2; i++) {
		struct script s;
		script_init(&s, profiles[i]);
		script_to_state(&s, CLIENT, TCPS_FIN_WAIT_1);
		RECV(&s, CLIENT, TH_ACK, 1, 2, 0);
		STATE(&s, CLIENT, TCPS_FIN_WAIT_2, "T14");
		script_abort(&s, CLIENT);
		if (profiles[i] == PROFILE_LINUX)
			SENT(&s, CLIENT, TH_RST | TH_ACK, 2, 1, 0);
		else
			SENT(&s, CLIENT, TH_RST, 2, 0, 0);
		int mark = s.n_states;
		after_abort(&s, "T47");
		CU_ASSERT_EQUAL(s.n_states, mark);        /* no T31 later */
		script_free(&s);
	}
}

/* T48: ABORT in CLOSE-WAIT: RST seq 1 (3.10.5); linux's RST,ACK acks the FIN. */
static void test_abort_in_close_wait_sends_rst(void)
{
	for (int i = 0; i < 2; i++) {
		struct script s;
		script_init(&s, profiles[i]);
		script_to_state(&s, CLIENT, TCPS_CLOSE_WAIT);
		script_abort(&s, CLIENT);
		if (profiles[i] == PROFILE_LINUX)
			SENT(&s, CLIENT, TH_RST | TH_ACK, 1, 2, 0);
		else
			SENT(&s, CLIENT, TH_RST, 1, 0, 0);
		after_abort(&s, "T48");
		script_free(&s);
	}
}

/* After ABORT the endpoint is CLOSED: a segment of the old connection gets
 * the CLOSED answer <SEQ=SEG.ACK><CTL=RST> (section 3.10.7.1, S01). */
static void test_after_abort_segments_get_closed_answer(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_to_state(&s, CLIENT, TCPS_ESTABLISHED);
	script_abort(&s, CLIENT);
	SENT(&s, CLIENT, TH_RST, 1, 0, 0);
	RECV(&s, CLIENT, TH_PSH | TH_ACK, 1, 1, 10);
	SENT(&s, CLIENT, TH_RST, 1, 0, 0);
	RECV(&s, CLIENT, TH_RST, 1, 0, 0);            /* T41: discarded */
	NOTHING_SENT(&s);
	script_free(&s);
}

TCPSIM_SUITE(tcp_abort,
	{ "ABORT in LISTEN sends nothing (T42)", test_abort_in_listen_sends_nothing },
	{ "ABORT in SYN-SENT sends nothing (T43)", test_abort_in_syn_sent_sends_nothing },
	{ "ABORT in CLOSING sends nothing (T49)", test_abort_in_closing_sends_nothing },
	{ "ABORT in LAST-ACK sends nothing (T50)", test_abort_in_last_ack_sends_nothing },
	{ "ABORT in TIME-WAIT sends nothing (T51)", test_abort_in_time_wait_sends_nothing },
	{ "ABORT in passive SYN-RECEIVED sends RST (T44)", test_abort_in_syn_received_sends_rst },
	{ "ABORT in active SYN-RECEIVED sends RST (T44)", test_abort_in_active_syn_received_sends_rst },
	{ "ABORT in ESTABLISHED sends RST (T45)", test_abort_in_established_sends_rst },
	{ "ABORT with data in flight: RST at SND.NXT (T45)", test_abort_with_data_in_flight_uses_snd_nxt },
	{ "ABORT in FIN-WAIT-1: RST past the FIN (T46)", test_abort_in_fin_wait_1_sends_rst_past_fin },
	{ "ABORT in FIN-WAIT-2 sends RST (T47)", test_abort_in_fin_wait_2_sends_rst },
	{ "ABORT in CLOSE-WAIT sends RST (T48)", test_abort_in_close_wait_sends_rst },
	{ "after ABORT: the CLOSED answer (S01, T41)", test_after_abort_segments_get_closed_answer })
