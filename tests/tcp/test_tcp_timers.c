/* test_tcp_timers.c - the timeouts of RFC 9293 section 3.10.8 and the
 * retransmission timer of RFC 6298: TIME-WAIT's 2*MSL (T21) and its restart
 * (S16), FIN and SYN,ACK retransmission (T52b, T52d-f), giving up (T53a,
 * T53b), the linux profile's FIN-WAIT-2 timeout (T31), the RTT estimator,
 * Karn's algorithm, backoff and (5.7).
 *
 * The client's ISN is 1000, the server's 5000; numbers are relative. */
#include "tcp_script.h"

#define SEC USEC_PER_SEC
#define MS USEC_PER_MS

/* ---- helpers ------------------------------------------------------------ */

/* The client through the handshake with a round trip of rtt. */
static void client_established(struct script *s, usec_t rtt)
{
	CU_ASSERT_EQUAL(script_connect(s, CLIENT), TCP_OK);
	SENT(s, CLIENT, TH_SYN, 0, 0, 0);
	script_advance(s, rtt);
	RECV(s, CLIENT, TH_SYN | TH_ACK, 0, 1, 0);
	SENT(s, CLIENT, TH_ACK, 1, 1, 0);
	STATE(s, CLIENT, TCPS_ESTABLISHED, "T08");
}

static void server_established(struct script *s, usec_t rtt)
{
	script_listen(s, SERVER);
	RECV(s, SERVER, TH_SYN, 0, 0, 0);
	SENT(s, SERVER, TH_SYN | TH_ACK, 0, 1, 0);
	script_advance(s, rtt);
	RECV(s, SERVER, TH_ACK, 1, 1, 0);
	STATE(s, SERVER, TCPS_ESTABLISHED, "T09");
}

/* Runs until `at` (absolute virtual time). */
static void advance_to(struct script *s, usec_t at)
{
	CU_ASSERT_FATAL(at >= s->host->now);
	script_advance(s, at - s->host->now);
}

/* TIME-WAIT ends exactly `len` after now: not one microsecond before. */
static void time_wait_lasts(struct script *s, usec_t len)
{
	usec_t start = s->host->now;
	advance_to(s, start + len - 1);
	STATE(s, CLIENT, TCPS_TIME_WAIT, NULL);
	script_advance(s, 1);
	STATE(s, CLIENT, TCPS_CLOSED, "T21");
	NOTHING_SENT(s);
}

/* ---- TIME-WAIT ----------------------------------------------------------- */

/* T21: the rfc9293 profile's TIME-WAIT is 2*MSL = 240 s (section 3.4.2,
 * MUST-13 in section 3.6.1). */
static void test_time_wait_is_240s_in_rfc9293(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	CU_ASSERT_EQUAL(s.params.msl, 120 * SEC);
	script_to_state(&s, CLIENT, TCPS_FIN_WAIT_2);
	script_advance(&s, 7 * SEC);
	RECV(&s, CLIENT, TH_FIN | TH_ACK, 1, 2, 0);
	SENT(&s, CLIENT, TH_ACK, 2, 2, 0);
	CU_ASSERT_EQUAL(script_must_tcb(&s, CLIENT)->timer_due[TIMER_TIME_WAIT], s.host->now + 240 * SEC);
	time_wait_lasts(&s, 240 * SEC);
	script_free(&s);
}

/* T21: the linux profile's TIME-WAIT is TCP_TIMEWAIT_LEN = 60 s (section 3.10.8). */
static void test_time_wait_is_60s_in_linux(void)
{
	struct script s;
	script_init(&s, PROFILE_LINUX);
	script_to_state(&s, CLIENT, TCPS_TIME_WAIT);
	time_wait_lasts(&s, 60 * SEC);
	script_free(&s);
}

/* T21 with `msl` overridden: TIME-WAIT is 2*msl (section 3.6.1 MUST-13), unless
 * `time_wait` is given, in either profile (tcp_params_resolve). */
static void test_time_wait_follows_msl_override(void)
{
	struct tcp_overrides ov = { 0 };
	ov.has_msl = true;
	ov.v.msl = 2 * SEC;

	struct script s;
	script_init(&s, PROFILE_RFC9293);
	tcp_params_resolve(PROFILE_RFC9293, &ov, &s.params);
	CU_ASSERT_EQUAL(s.params.time_wait, 4 * SEC);
	script_to_state(&s, CLIENT, TCPS_TIME_WAIT);
	time_wait_lasts(&s, 4 * SEC);
	script_free(&s);

	script_init(&s, PROFILE_LINUX);
	ov.v.msl = 10 * SEC;
	tcp_params_resolve(PROFILE_LINUX, &ov, &s.params);
	script_to_state(&s, CLIENT, TCPS_TIME_WAIT);
	time_wait_lasts(&s, 20 * SEC);
	script_free(&s);

	script_init(&s, PROFILE_RFC9293);
	ov.has_time_wait = true;
	ov.v.time_wait = 3 * SEC;
	tcp_params_resolve(PROFILE_RFC9293, &ov, &s.params);
	script_to_state(&s, CLIENT, TCPS_TIME_WAIT);
	time_wait_lasts(&s, 3 * SEC);
	script_free(&s);
}

/* S16: a retransmitted FIN in TIME-WAIT is ACKed and restarts 2MSL: CLOSED
 * comes 2MSL after the retransmitted FIN (section 3.10.7.4 fifth and eighth
 * steps, N3). */
static void test_retransmitted_fin_restarts_time_wait(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_to_state(&s, CLIENT, TCPS_TIME_WAIT);
	script_advance(&s, 100 * SEC);
	RECV(&s, CLIENT, TH_FIN | TH_ACK, 1, 2, 0);
	SENT(&s, CLIENT, TH_ACK, 2, 2, 0);
	NOTHING_SENT(&s);
	STATE(&s, CLIENT, TCPS_TIME_WAIT, "T17");
	/* 240 s after the first FIN it is still there ... */
	script_advance(&s, 140 * SEC);
	STATE(&s, CLIENT, TCPS_TIME_WAIT, NULL);
	/* ... a second retransmission restarts it again ... */
	RECV(&s, CLIENT, TH_FIN | TH_ACK, 1, 2, 0);
	SENT(&s, CLIENT, TH_ACK, 2, 2, 0);
	/* ... and it ends 240 s after the last one. */
	time_wait_lasts(&s, 240 * SEC);
	script_free(&s);
}

/* S16 in the linux profile: 60 s after the retransmitted FIN (section 3.10.7.4). */
static void test_retransmitted_fin_restarts_time_wait_linux(void)
{
	struct script s;
	script_init(&s, PROFILE_LINUX);
	script_to_state(&s, CLIENT, TCPS_TIME_WAIT);
	script_advance(&s, 30 * SEC);
	RECV(&s, CLIENT, TH_FIN | TH_ACK, 1, 2, 0);
	SENT(&s, CLIENT, TH_ACK, 2, 2, 0);
	time_wait_lasts(&s, 60 * SEC);
	script_free(&s);
}

/* ---- retransmission of FIN and SYN,ACK ------------------------------------- */

/* T52f: an unacknowledged FIN in LAST-ACK is resent after RTO, 2*RTO, ...
 * (section 3.10.8, RFC 6298 (5.4)-(5.6)). */
static void test_fin_retransmitted_in_last_ack(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	server_established(&s, 100 * MS);
	RECV(&s, SERVER, TH_FIN | TH_ACK, 1, 1, 0);
	SENT(&s, SERVER, TH_ACK, 1, 2, 0);
	script_close(&s, SERVER);
	usec_t t0 = s.host->now;
	SENT(&s, SERVER, TH_FIN | TH_ACK, 1, 2, 0);
	STATE(&s, SERVER, TCPS_LAST_ACK, "T18");
	usec_t at[] = { 1, 3, 7 };
	for (int i = 0; i < 3; i++) {
		advance_to(&s, t0 + at[i] * SEC - 1);
		NOTHING_SENT(&s);
		script_advance(&s, 1);
		SENT(&s, SERVER, TH_FIN | TH_ACK, 1, 2, 0);
		NOTHING_SENT(&s);
		STATE(&s, SERVER, TCPS_LAST_ACK, "T18");
	}
	RECV(&s, SERVER, TH_ACK, 2, 2, 0);
	STATE(&s, SERVER, TCPS_CLOSED, "T20");
	script_free(&s);
}

/* T52d: the FIN in FIN-WAIT-1 is resent at 1 s and 3 s (3.10.8, RFC 6298 5.5). */
static void test_fin_retransmitted_in_fin_wait_1(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	client_established(&s, 0);
	script_close(&s, CLIENT);
	SENT(&s, CLIENT, TH_FIN | TH_ACK, 1, 1, 0);
	script_advance(&s, 1 * SEC - 1);
	NOTHING_SENT(&s);
	script_advance(&s, 1);
	SENT(&s, CLIENT, TH_FIN | TH_ACK, 1, 1, 0);
	script_advance(&s, 2 * SEC);
	SENT(&s, CLIENT, TH_FIN | TH_ACK, 1, 1, 0);
	NOTHING_SENT(&s);
	STATE(&s, CLIENT, TCPS_FIN_WAIT_1, "T12");
	RECV(&s, CLIENT, TH_ACK, 1, 2, 0);
	STATE(&s, CLIENT, TCPS_FIN_WAIT_2, "T14");
	script_advance(&s, 600 * SEC);
	NOTHING_SENT(&s);
	script_free(&s);
}

/* T52e: the FIN in CLOSING is resent (section 3.10.8); its ACK gives T19. */
static void test_fin_retransmitted_in_closing(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	client_established(&s, 0);
	script_close(&s, CLIENT);
	SENT(&s, CLIENT, TH_FIN | TH_ACK, 1, 1, 0);
	RECV(&s, CLIENT, TH_FIN | TH_ACK, 1, 1, 0);
	SENT(&s, CLIENT, TH_ACK, 2, 2, 0);
	STATE(&s, CLIENT, TCPS_CLOSING, "T15");
	script_advance(&s, 1 * SEC);
	SENT(&s, CLIENT, TH_FIN | TH_ACK, 1, 2, 0);
	STATE(&s, CLIENT, TCPS_CLOSING, "T15");
	RECV(&s, CLIENT, TH_ACK, 2, 2, 0);
	STATE(&s, CLIENT, TCPS_TIME_WAIT, "T19");
	script_free(&s);
}

/* T52b: SYN,ACK resent at 1, 3, 7 s in SYN-RECEIVED (RFC 6298 (5.5)). */
static void test_syn_ack_retransmitted(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_listen(&s, SERVER);
	RECV(&s, SERVER, TH_SYN, 0, 0, 0);
	SENT(&s, SERVER, TH_SYN | TH_ACK, 0, 1, 0);
	usec_t at[] = { 1, 3, 7 };
	for (int i = 0; i < 3; i++) {
		advance_to(&s, at[i] * SEC - 1);
		NOTHING_SENT(&s);
		script_advance(&s, 1);
		SENT(&s, SERVER, TH_SYN | TH_ACK, 0, 1, 0);
		STATE(&s, SERVER, TCPS_SYN_RECEIVED, "T04");
	}
	RECV(&s, SERVER, TH_ACK, 1, 1, 0);
	STATE(&s, SERVER, TCPS_ESTABLISHED, "T09");
	script_free(&s);
}

/* T53a (section 3.8.3): the linux profile gives a SYN,ACK up after 5 retries:
 * SYN,ACKs at 0 1 3 7 15 31 s, the connection closed at 63 s; the listener
 * stays. */
static void test_syn_ack_give_up_linux(void)
{
	struct script s;
	script_init(&s, PROFILE_LINUX);
	CU_ASSERT_EQUAL(s.params.synack_retries, 5);
	script_listen(&s, SERVER);
	RECV(&s, SERVER, TH_SYN, 0, 0, 0);
	SENT(&s, SERVER, TH_SYN | TH_ACK, 0, 1, 0);
	usec_t at[] = { 1, 3, 7, 15, 31 };
	for (int i = 0; i < 5; i++) {
		advance_to(&s, at[i] * SEC);
		SENT(&s, SERVER, TH_SYN | TH_ACK, 0, 1, 0);
	}
	advance_to(&s, 63 * SEC - 1);
	STATE(&s, SERVER, TCPS_SYN_RECEIVED, "T04");
	script_advance(&s, 1);
	NOTHING_SENT(&s);
	STATE(&s, SERVER, TCPS_CLOSED, "T53a");
	CU_ASSERT_PTR_NULL(s.eps[SERVER].conn);
	CU_ASSERT_PTR_NOT_NULL(s.eps[SERVER].listener);
	script_free(&s);
}

/* ---- giving up (R2) ------------------------------------------------------ */

/* T53b: data unacknowledged after `retries` retransmissions closes the
 * connection at the next expiry, with no segment (section 3.8.3). */
static void test_data_give_up_after_retries(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	s.params.retries = 3;
	client_established(&s, 0);
	usec_t t0 = s.host->now;
	script_send(&s, CLIENT, 100);
	SENT(&s, CLIENT, TH_PSH | TH_ACK, 1, 1, 100);
	usec_t at[] = { 1, 3, 7 };
	for (int i = 0; i < 3; i++) {
		advance_to(&s, t0 + at[i] * SEC);
		SENT(&s, CLIENT, TH_PSH | TH_ACK, 1, 1, 100);
		STATE(&s, CLIENT, TCPS_ESTABLISHED, "T08");
	}
	advance_to(&s, t0 + 15 * SEC - 1);
	STATE(&s, CLIENT, TCPS_ESTABLISHED, "T08");
	script_advance(&s, 1);
	NOTHING_SENT(&s);
	STATE(&s, CLIENT, TCPS_CLOSED, "T53b");
	script_free(&s);
}

/* T53b with the rfc9293 default of 15 retries and the 60 s cap: the last
 * resend at 603 s, the give-up at 663 s (SHLD-11: R2 >= 100 s). */
static void test_data_give_up_default_rfc9293(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	client_established(&s, 0);
	usec_t t0 = s.host->now;
	script_send(&s, CLIENT, 100);
	SENT(&s, CLIENT, TH_PSH | TH_ACK, 1, 1, 100);
	usec_t at[] = { 1, 3, 7, 15, 31, 63, 123, 183, 243, 303, 363, 423, 483, 543, 603 };
	for (int i = 0; i < 15; i++) {
		advance_to(&s, t0 + at[i] * SEC - 1);
		NOTHING_SENT(&s);
		script_advance(&s, 1);
		SENT(&s, CLIENT, TH_PSH | TH_ACK, 1, 1, 100);
	}
	advance_to(&s, t0 + 663 * SEC - 1);
	STATE(&s, CLIENT, TCPS_ESTABLISHED, "T08");
	script_advance(&s, 1);
	STATE(&s, CLIENT, TCPS_CLOSED, "T53b");
	NOTHING_SENT(&s);
	script_free(&s);
}

/* T53b for a FIN in FIN-WAIT-1 (section 3.8.3, R2). */
static void test_fin_give_up_after_retries(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	s.params.retries = 2;
	client_established(&s, 0);
	usec_t t0 = s.host->now;
	script_close(&s, CLIENT);
	SENT(&s, CLIENT, TH_FIN | TH_ACK, 1, 1, 0);
	advance_to(&s, t0 + 1 * SEC);
	SENT(&s, CLIENT, TH_FIN | TH_ACK, 1, 1, 0);
	advance_to(&s, t0 + 3 * SEC);
	SENT(&s, CLIENT, TH_FIN | TH_ACK, 1, 1, 0);
	advance_to(&s, t0 + 7 * SEC - 1);
	STATE(&s, CLIENT, TCPS_FIN_WAIT_1, "T12");
	script_advance(&s, 1);
	NOTHING_SENT(&s);
	STATE(&s, CLIENT, TCPS_CLOSED, "T53b");
	script_free(&s);
}

/* ---- FIN-WAIT-2 ---------------------------------------------------------- */

/* T31: the linux profile closes FIN-WAIT-2 after tcp_fin_timeout = 60 s,
 * silently (no RFC 9293 timer; reference section 4.4). */
static void test_fin_wait_2_timeout_linux(void)
{
	struct script s;
	script_init(&s, PROFILE_LINUX);
	script_to_state(&s, CLIENT, TCPS_FIN_WAIT_2);
	usec_t t0 = s.host->now;
	advance_to(&s, t0 + 60 * SEC - 1);
	STATE(&s, CLIENT, TCPS_FIN_WAIT_2, "T14");
	script_advance(&s, 1);
	NOTHING_SENT(&s);
	STATE(&s, CLIENT, TCPS_CLOSED, "T31");
	script_free(&s);
}

/* The RFC has no FIN-WAIT-2 timer: the rfc9293 profile stays there. */
static void test_fin_wait_2_stays_in_rfc9293(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_to_state(&s, CLIENT, TCPS_FIN_WAIT_2);
	script_advance(&s, 3600 * SEC);
	NOTHING_SENT(&s);
	STATE(&s, CLIENT, TCPS_FIN_WAIT_2, "T14");
	CU_ASSERT_FALSE(script_must_tcb(&s, CLIENT)->timer_on[TIMER_FIN_WAIT_2]);
	script_free(&s);
}

/* T17 in the linux profile: the peer's FIN stops the FIN-WAIT-2 timer, and
 * TIME-WAIT runs its full 60 s from the FIN (section 3.10.7.4: "turn off the
 * other timers"). */
static void test_fin_stops_fin_wait_2_timer_linux(void)
{
	struct script s;
	script_init(&s, PROFILE_LINUX);
	script_to_state(&s, CLIENT, TCPS_FIN_WAIT_2);
	usec_t t0 = s.host->now;
	advance_to(&s, t0 + 40 * SEC);
	RECV(&s, CLIENT, TH_FIN | TH_ACK, 1, 2, 0);
	SENT(&s, CLIENT, TH_ACK, 2, 2, 0);
	STATE(&s, CLIENT, TCPS_TIME_WAIT, "T17");
	time_wait_lasts(&s, 60 * SEC);
	script_free(&s);
}

/* ---- RFC 6298 -------------------------------------------------------------- */

/* RFC 6298 (2.2): the first sample R gives SRTT = R, RTTVAR = R/2, RTO =
 * SRTT + 4*RTTVAR, rounded up to the 1 s minimum of (2.4). */
static void test_first_rtt_sample_clamped_to_rto_min(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	client_established(&s, 100 * MS);
	struct tcb *t = script_must_tcb(&s, CLIENT);
	CU_ASSERT_TRUE(t->have_rtt);
	CU_ASSERT_EQUAL(t->srtt, 100 * MS);
	CU_ASSERT_EQUAL(t->rttvar, 50 * MS);
	CU_ASSERT_EQUAL(t->rto, 1 * SEC);
	script_free(&s);

	/* The linux profile's TCP_RTO_MIN is 200 ms: 3 * 10 ms becomes 200 ms. */
	script_init(&s, PROFILE_LINUX);
	client_established(&s, 10 * MS);
	t = script_must_tcb(&s, CLIENT);
	CU_ASSERT_EQUAL(t->srtt, 10 * MS);
	CU_ASSERT_EQUAL(t->rto, 200 * MS);
	script_free(&s);
}

/* RFC 6298 (2.2) and (2.3) with a lower rto_min: RTO = SRTT + 4*RTTVAR
 * exactly, RTTVAR updated with the old SRTT, alpha 1/8, beta 1/4. */
static void test_rtt_samples_give_exact_rto(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	s.params.rto_min = 100 * MS;
	/* The server's SYN,ACK is acked 100 ms later: 100 + 4*50 = 300 ms. */
	server_established(&s, 100 * MS);
	struct tcb *t = script_must_tcb(&s, SERVER);
	CU_ASSERT_EQUAL(t->srtt, 100000);
	CU_ASSERT_EQUAL(t->rttvar, 50000);
	CU_ASSERT_EQUAL(t->rto, 300000);
	/* R' = 200 ms: RTTVAR = 3/4*50 + 1/4*|100-200| = 62.5 ms, SRTT =
	 * 7/8*100 + 1/8*200 = 112.5 ms, RTO = 362.5 ms. */
	script_send(&s, SERVER, 10);
	SENT(&s, SERVER, TH_PSH | TH_ACK, 1, 1, 10);
	script_advance(&s, 200 * MS);
	RECV(&s, SERVER, TH_ACK, 1, 11, 0);
	CU_ASSERT_EQUAL(t->rttvar, 62500);
	CU_ASSERT_EQUAL(t->srtt, 112500);
	CU_ASSERT_EQUAL(t->rto, 362500);
	/* R'' = 100 ms: RTTVAR = (3*62500 + 12500)/4 = 50000, SRTT =
	 * (7*112500 + 100000)/8 = 110937 (us, truncated), RTO = 310937. */
	script_send(&s, SERVER, 10);
	SENT(&s, SERVER, TH_PSH | TH_ACK, 11, 1, 10);
	script_advance(&s, 100 * MS);
	RECV(&s, SERVER, TH_ACK, 1, 21, 0);
	CU_ASSERT_EQUAL(t->rttvar, 50000);
	CU_ASSERT_EQUAL(t->srtt, 110937);
	CU_ASSERT_EQUAL(t->rto, 310937);
	/* The timer runs with it: the next segment is resent 310937 us later. */
	script_send(&s, SERVER, 10);
	SENT(&s, SERVER, TH_PSH | TH_ACK, 21, 1, 10);
	script_advance(&s, 310937 - 1);
	NOTHING_SENT(&s);
	script_advance(&s, 1);
	SENT(&s, SERVER, TH_PSH | TH_ACK, 21, 1, 10);
	script_free(&s);
}

/* RFC 6298 section 3 (Karn): the ACK of a retransmitted segment gives no
 * sample, and the backed-off RTO stays until a fresh sample (section 5). */
static void test_karn_no_sample_from_retransmitted_data(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	client_established(&s, 100 * MS);
	struct tcb *t = script_must_tcb(&s, CLIENT);
	usec_t t0 = s.host->now;
	script_send(&s, CLIENT, 100);
	SENT(&s, CLIENT, TH_PSH | TH_ACK, 1, 1, 100);
	advance_to(&s, t0 + 1 * SEC);
	SENT(&s, CLIENT, TH_PSH | TH_ACK, 1, 1, 100);
	CU_ASSERT_EQUAL(t->rto, 2 * SEC);
	advance_to(&s, t0 + 1500 * MS);
	RECV(&s, CLIENT, TH_ACK, 1, 101, 0);
	CU_ASSERT_EQUAL(t->srtt, 100 * MS);
	CU_ASSERT_EQUAL(t->rttvar, 50 * MS);
	CU_ASSERT_EQUAL(t->rto, 2 * SEC);
	/* New data, acked 200 ms later: a valid sample collapses the RTO. */
	script_send(&s, CLIENT, 100);
	SENT(&s, CLIENT, TH_PSH | TH_ACK, 101, 1, 100);
	script_advance(&s, 200 * MS);
	RECV(&s, CLIENT, TH_ACK, 1, 201, 0);
	CU_ASSERT_EQUAL(t->srtt, 112500);
	CU_ASSERT_EQUAL(t->rttvar, 62500);
	CU_ASSERT_EQUAL(t->rto, 1 * SEC);
	script_free(&s);
}

/* RFC 6298 section 3 (Karn) with N2: the linux profile's SYN,ACK resent for a
 * retransmitted SYN is a retransmission, so the ACK after it gives no
 * sample (Linux's tcp_synack_rtt_meas skips a retransmitted SYN-ACK too). */
static void test_karn_no_sample_after_syn_ack_resent_for_syn(void)
{
	struct script s;
	script_init(&s, PROFILE_LINUX);
	script_listen(&s, SERVER);
	RECV(&s, SERVER, TH_SYN, 0, 0, 0);
	SENT(&s, SERVER, TH_SYN | TH_ACK, 0, 1, 0);
	script_advance(&s, 500 * MS);
	RECV(&s, SERVER, TH_SYN, 0, 0, 0);
	SENT(&s, SERVER, TH_SYN | TH_ACK, 0, 1, 0);
	script_advance(&s, 100 * MS);
	RECV(&s, SERVER, TH_ACK, 1, 1, 0);
	STATE(&s, SERVER, TCPS_ESTABLISHED, "T09");
	struct tcb *t = script_must_tcb(&s, SERVER);
	CU_ASSERT_FALSE(t->have_rtt);
	CU_ASSERT_EQUAL(t->rto, 1 * SEC);
	script_free(&s);
}

/* RFC 6298 (5.5) and (2.5): each expiry doubles the RTO, up to rto_max (60 s
 * rfc9293, 120 s linux). */
static void test_backoff_doubles_up_to_rto_max(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	client_established(&s, 0);
	struct tcb *t = script_must_tcb(&s, CLIENT);
	CU_ASSERT_EQUAL(t->rto, 1 * SEC);
	script_send(&s, CLIENT, 100);
	SENT(&s, CLIENT, TH_PSH | TH_ACK, 1, 1, 100);
	usec_t want[] = { 2, 4, 8, 16, 32, 60, 60, 60 };
	for (int i = 0; i < 8; i++) {
		usec_t before = t->rto;
		script_advance(&s, before);
		SENT(&s, CLIENT, TH_PSH | TH_ACK, 1, 1, 100);
		CU_ASSERT_EQUAL(t->rto, want[i] * SEC);
		CU_ASSERT_EQUAL(t->timer_due[TIMER_RTO], s.host->now + want[i] * SEC);
	}
	script_free(&s);

	/* linux: from the 200 ms minimum, doubling to the 120 s cap. */
	script_init(&s, PROFILE_LINUX);
	client_established(&s, 0);
	t = script_must_tcb(&s, CLIENT);
	CU_ASSERT_EQUAL(t->rto, 200 * MS);
	script_send(&s, CLIENT, 100);
	SENT(&s, CLIENT, TH_PSH | TH_ACK, 1, 1, 100);
	/* The first resend is the tail loss probe, at the RTO's time (the
	 * PTO is capped by it): no backoff, the RTO restarts from it. */
	script_advance(&s, 200 * MS);
	SENT(&s, CLIENT, TH_PSH | TH_ACK, 1, 1, 100);
	CU_ASSERT_EQUAL(t->rto, 200 * MS);
	CU_ASSERT_EQUAL(t->timer_due[TIMER_RTO], s.host->now + 200 * MS);
	usec_t rto = 200 * MS;
	for (int i = 0; i < 12; i++) {
		script_advance(&s, t->rto);
		SENT(&s, CLIENT, TH_PSH | TH_ACK, 1, 1, 100);
		rto = rto * 2 > 120 * SEC ? 120 * SEC : rto * 2;
		CU_ASSERT_EQUAL(t->rto, rto);
	}
	CU_ASSERT_EQUAL(t->rto, 120 * SEC);
	script_free(&s);
}

/* RFC 6298 (5.7): after a retransmitted SYN (and no sample, Karn) data starts
 * with an RTO of 3 s. */
static void test_rto_is_3s_after_retransmitted_syn(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_connect(&s, CLIENT);
	SENT(&s, CLIENT, TH_SYN, 0, 0, 0);
	script_advance(&s, 1 * SEC);
	SENT(&s, CLIENT, TH_SYN, 0, 0, 0);
	script_advance(&s, 100 * MS);
	RECV(&s, CLIENT, TH_SYN | TH_ACK, 0, 1, 0);
	SENT(&s, CLIENT, TH_ACK, 1, 1, 0);
	struct tcb *t = script_must_tcb(&s, CLIENT);
	CU_ASSERT_FALSE(t->have_rtt);
	CU_ASSERT_EQUAL(t->rto, 3 * SEC);
	usec_t t0 = s.host->now;
	script_send(&s, CLIENT, 100);
	SENT(&s, CLIENT, TH_PSH | TH_ACK, 1, 1, 100);
	advance_to(&s, t0 + 3 * SEC - 1);
	NOTHING_SENT(&s);
	script_advance(&s, 1);
	SENT(&s, CLIENT, TH_PSH | TH_ACK, 1, 1, 100);
	script_free(&s);
}

/* RFC 6298 (5.7) on the passive side: a retransmitted SYN,ACK as well. */
static void test_rto_is_3s_after_retransmitted_syn_ack(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_listen(&s, SERVER);
	RECV(&s, SERVER, TH_SYN, 0, 0, 0);
	SENT(&s, SERVER, TH_SYN | TH_ACK, 0, 1, 0);
	script_advance(&s, 1 * SEC);
	SENT(&s, SERVER, TH_SYN | TH_ACK, 0, 1, 0);
	RECV(&s, SERVER, TH_ACK, 1, 1, 0);
	struct tcb *t = script_must_tcb(&s, SERVER);
	CU_ASSERT_FALSE(t->have_rtt);
	CU_ASSERT_EQUAL(t->rto, 3 * SEC);
	script_free(&s);
}

/* RFC 6298 (5.3): an ACK of new data restarts the timer; (5.2): an ACK of
 * everything stops it. */
static void test_ack_restarts_and_stops_rto(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	client_established(&s, 0);
	usec_t t0 = s.host->now;
	script_send(&s, CLIENT, 2000);
	SENT(&s, CLIENT, TH_ACK, 1, 1, 1460);
	SENT(&s, CLIENT, TH_PSH | TH_ACK, 1461, 1, 540);
	advance_to(&s, t0 + 500 * MS);
	RECV(&s, CLIENT, TH_ACK, 1, 1461, 0);
	NOTHING_SENT(&s);
	CU_ASSERT_EQUAL(script_must_tcb(&s, CLIENT)->rto, 1 * SEC);
	advance_to(&s, t0 + 1500 * MS - 1);
	NOTHING_SENT(&s);
	script_advance(&s, 1);
	SENT(&s, CLIENT, TH_PSH | TH_ACK, 1461, 1, 540);
	RECV(&s, CLIENT, TH_ACK, 1, 2001, 0);
	CU_ASSERT_FALSE(script_must_tcb(&s, CLIENT)->timer_on[TIMER_RTO]);
	script_advance(&s, 600 * SEC);
	NOTHING_SENT(&s);
	script_free(&s);
}

/* The client, linux profile, in TIME-WAIT at t = 0 via T14 and T17 (Linux
 * passes FIN-WAIT-2 on the FIN,ACK): our FIN is 1:1, theirs 1:1, both
 * ACKed. */
static void linux_client_in_time_wait(struct script *s)
{
	script_init(s, PROFILE_LINUX);
	script_connect(s, CLIENT);
	RECV(s, CLIENT, TH_SYN | TH_ACK, 0, 1, 0);
	script_close(s, CLIENT);
	RECV(s, CLIENT, TH_FIN | TH_ACK, 1, 2, 0);
	STATE(s, CLIENT, TCPS_TIME_WAIT, "T17");
	s->next_out = s->n_out;
}

/* linux profile (tcp_timewait_state_process): an in-window bare ACK in
 * TIME-WAIT restarts the 60 s timer and draws no answer. */
static void test_linux_time_wait_bare_ack_restarts_timer(void)
{
	struct script s;
	linux_client_in_time_wait(&s);
	script_advance(&s, 10 * USEC_PER_SEC);
	RECV(&s, CLIENT, TH_ACK, 2, 2, 0);
	NOTHING_SENT(&s);
	script_advance(&s, 60 * USEC_PER_SEC - 1);
	STATE(&s, CLIENT, TCPS_TIME_WAIT, NULL);
	script_advance(&s, 1);
	STATE(&s, CLIENT, TCPS_CLOSED, "T21");
	script_free(&s);
}

/* linux profile: a RST in TIME-WAIT that is not at RCV.NXT is dropped
 * silently, not answered by a challenge ACK. */
static void test_linux_time_wait_inexact_rst_dropped(void)
{
	struct script s;
	linux_client_in_time_wait(&s);
	RECV(&s, CLIENT, TH_RST, 5, 0, 0);
	NOTHING_SENT(&s);
	STATE(&s, CLIENT, TCPS_TIME_WAIT, NULL);
	RECV(&s, CLIENT, TH_RST, 2, 0, 0);
	STATE(&s, CLIENT, TCPS_CLOSED, "T40");
	script_free(&s);
}

/* T30 in the linux profile: the reset answers the offending segment,
 * <SEQ=SEG.ACK><CTL=RST>, as tcp_v4_send_reset does. */
static void test_linux_half_duplex_reset_answers_segment(void)
{
	struct script s;
	script_init(&s, PROFILE_LINUX);
	s.eps[CLIENT].half_duplex = true;
	script_connect(&s, CLIENT);
	RECV(&s, CLIENT, TH_SYN | TH_ACK, 0, 1, 0);
	script_close(&s, CLIENT);
	s.next_out = s.n_out;
	RECV(&s, CLIENT, TH_PSH | TH_ACK, 1, 1, 10);        /* does not ACK our FIN */
	SENT(&s, CLIENT, TH_RST, 1, 0, 0);
	STATE(&s, CLIENT, TCPS_CLOSED, "T30");
	script_free(&s);
}

TCPSIM_SUITE(tcp_timers,
	{ "linux TIME-WAIT: in-window bare ACK restarts the timer, no answer",
	  test_linux_time_wait_bare_ack_restarts_timer },
	{ "linux TIME-WAIT: inexact RST dropped, exact RST ends it",
	  test_linux_time_wait_inexact_rst_dropped },
	{ "linux T30: the reset answers the segment <SEQ=SEG.ACK>",
	  test_linux_half_duplex_reset_answers_segment },
	{ "TIME-WAIT is 240 s in rfc9293 (T21)", test_time_wait_is_240s_in_rfc9293 },
	{ "TIME-WAIT is 60 s in linux (T21)", test_time_wait_is_60s_in_linux },
	{ "TIME-WAIT follows msl and time_wait overrides (T21)", test_time_wait_follows_msl_override },
	{ "retransmitted FIN restarts TIME-WAIT (S16)", test_retransmitted_fin_restarts_time_wait },
	{ "retransmitted FIN restarts TIME-WAIT, linux (S16)", test_retransmitted_fin_restarts_time_wait_linux },
	{ "FIN retransmitted in LAST-ACK (T52f)", test_fin_retransmitted_in_last_ack },
	{ "FIN retransmitted in FIN-WAIT-1 (T52d)", test_fin_retransmitted_in_fin_wait_1 },
	{ "FIN retransmitted in CLOSING (T52e)", test_fin_retransmitted_in_closing },
	{ "SYN,ACK retransmitted (T52b)", test_syn_ack_retransmitted },
	{ "SYN,ACK give-up after 5 retries, linux (T53a)", test_syn_ack_give_up_linux },
	{ "data give-up after `retries` (T53b)", test_data_give_up_after_retries },
	{ "data give-up at 663 s with rfc9293 defaults (T53b)", test_data_give_up_default_rfc9293 },
	{ "FIN give-up after `retries` (T53b)", test_fin_give_up_after_retries },
	{ "FIN-WAIT-2 timeout after 60 s, linux (T31)", test_fin_wait_2_timeout_linux },
	{ "FIN-WAIT-2 has no timer in rfc9293", test_fin_wait_2_stays_in_rfc9293 },
	{ "FIN stops the FIN-WAIT-2 timer, linux (T17)", test_fin_stops_fin_wait_2_timer_linux },
	{ "first RTT sample, clamped to rto_min (RFC 6298 2.2, 2.4)", test_first_rtt_sample_clamped_to_rto_min },
	{ "RTT samples give exact RTOs (RFC 6298 2.2, 2.3)", test_rtt_samples_give_exact_rto },
	{ "Karn: no sample from retransmitted data (RFC 6298 3)", test_karn_no_sample_from_retransmitted_data },
	{ "Karn: no sample after a SYN,ACK resent for a SYN (N2, linux)", test_karn_no_sample_after_syn_ack_resent_for_syn },
	{ "backoff doubles up to rto_max (RFC 6298 5.5, 2.5)", test_backoff_doubles_up_to_rto_max },
	{ "RTO is 3 s after a retransmitted SYN (RFC 6298 5.7)", test_rto_is_3s_after_retransmitted_syn },
	{ "RTO is 3 s after a retransmitted SYN,ACK (RFC 6298 5.7)", test_rto_is_3s_after_retransmitted_syn_ack },
	{ "ACK restarts and stops the RTO timer (RFC 6298 5.2, 5.3)", test_ack_restarts_and_stops_rto })
