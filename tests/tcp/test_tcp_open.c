/* test_tcp_open.c - opening: the three-way handshake from both sides,
 * simultaneous open, and the answers of LISTEN and SYN-SENT. */
#include "tcp_script.h"

static void test_passive_open(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	CU_ASSERT_EQUAL(script_listen(&s, SERVER), TCP_OK);
	STATE(&s, SERVER, TCPS_LISTEN, "T01");
	RECV(&s, SERVER, TH_SYN, 0, 0, 0);
	SENT(&s, SERVER, TH_SYN | TH_ACK, 0, 1, 0);
	STATE(&s, SERVER, TCPS_SYN_RECEIVED, "T04");
	RECV(&s, SERVER, TH_ACK, 1, 1, 0);
	NOTHING_SENT(&s);
	STATE(&s, SERVER, TCPS_ESTABLISHED, "T09");
	/* The listener is still there, as a socket's is. */
	CU_ASSERT_PTR_NOT_NULL(s.eps[SERVER].listener);
	script_free(&s);
}

static void test_active_open(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	CU_ASSERT_EQUAL(script_connect(&s, CLIENT), TCP_OK);
	SENT(&s, CLIENT, TH_SYN, 0, 0, 0);
	STATE(&s, CLIENT, TCPS_SYN_SENT, "T02");
	RECV(&s, CLIENT, TH_SYN | TH_ACK, 0, 1, 0);
	SENT(&s, CLIENT, TH_ACK, 1, 1, 0);
	STATE(&s, CLIENT, TCPS_ESTABLISHED, "T08");
	script_free(&s);
}

/* Figure 7: both SYNs cross; each side answers SYN,ACK and the other's
 * SYN,ACK completes it (N1, T28). */
static void test_simultaneous_open(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_connect(&s, CLIENT);
	SENT(&s, CLIENT, TH_SYN, 0, 0, 0);
	RECV(&s, CLIENT, TH_SYN, 0, 0, 0);
	SENT(&s, CLIENT, TH_SYN | TH_ACK, 0, 1, 0);
	STATE(&s, CLIENT, TCPS_SYN_RECEIVED, "T07");
	RECV(&s, CLIENT, TH_SYN | TH_ACK, 0, 1, 0);
	STATE(&s, CLIENT, TCPS_ESTABLISHED, "T28");
	NOTHING_SENT(&s);
	script_free(&s);
}

/* S05: an ACK for something never sent draws <SEQ=SEG.ACK><CTL=RST>. */
static void test_syn_sent_bad_ack(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_connect(&s, CLIENT);
	SENT(&s, CLIENT, TH_SYN, 0, 0, 0);
	RECV(&s, CLIENT, TH_SYN | TH_ACK, 0, 77, 0);
	SENT(&s, CLIENT, TH_RST, 77, 0, 0);
	STATE(&s, CLIENT, TCPS_SYN_SENT, NULL);
	script_free(&s);
}

/* The linux profile: after an unacceptable ACK in SYN-SENT (S05, and a RST
 * with one, T33) the SYN goes again TCP_TIMEOUT_MIN (8 ms) later when it was
 * not retransmitted yet (tcp_rcv_synsent_state_process()); that
 * retransmission is a timeout (T52a) and backs the RTO off. */
static void test_syn_sent_bad_ack_linux_resends_syn_soon(void)
{
	struct script s;
	script_init(&s, PROFILE_LINUX);
	script_connect(&s, CLIENT);
	SENT(&s, CLIENT, TH_SYN, 0, 0, 0);
	script_advance(&s, 100 * USEC_PER_MS);
	RECV(&s, CLIENT, TH_SYN | TH_ACK, 0, 77, 0);
	SENT(&s, CLIENT, TH_RST, 77, 0, 0);
	struct tcb *c = script_must_tcb(&s, CLIENT);
	CU_ASSERT_TRUE(c->timer_on[TIMER_RTO]);
	CU_ASSERT_EQUAL(c->timer_due[TIMER_RTO], s.host->now + 8 * USEC_PER_MS);
	script_advance(&s, 8 * USEC_PER_MS - 1);
	NOTHING_SENT(&s);
	script_advance(&s, 1);
	SENT(&s, CLIENT, TH_SYN, 0, 0, 0);
	CU_ASSERT_EQUAL(c->rtx_count, 1);
	/* The next SYN comes an RTO after this one: the first of the linear
	 * timeouts (syn_linear_timeouts), so not backed off. */
	CU_ASSERT_EQUAL(c->rto, 1 * USEC_PER_SEC);
	CU_ASSERT_EQUAL(c->timer_due[TIMER_RTO], s.host->now + c->rto);
	/* Retransmitted once now: a second bad ACK keeps the timer. */
	script_advance(&s, 100 * USEC_PER_MS);
	usec_t due = c->timer_due[TIMER_RTO];
	RECV(&s, CLIENT, TH_SYN | TH_ACK, 0, 77, 0);
	SENT(&s, CLIENT, TH_RST, 77, 0, 0);
	CU_ASSERT_EQUAL(c->timer_due[TIMER_RTO], due);
	NOTHING_SENT(&s);
	STATE(&s, CLIENT, TCPS_SYN_SENT, "T02");
	script_free(&s);

	/* A RST with an unacceptable ACK is dropped, and re-arms the timer. */
	script_init(&s, PROFILE_LINUX);
	script_connect(&s, CLIENT);
	SENT(&s, CLIENT, TH_SYN, 0, 0, 0);
	RECV(&s, CLIENT, TH_RST | TH_ACK, 0, 77, 0);
	NOTHING_SENT(&s);
	script_advance(&s, 8 * USEC_PER_MS);
	SENT(&s, CLIENT, TH_SYN, 0, 0, 0);
	STATE(&s, CLIENT, TCPS_SYN_SENT, "T02");
	script_free(&s);

	/* The rfc9293 profile waits for the RTO. */
	script_init(&s, PROFILE_RFC9293);
	script_connect(&s, CLIENT);
	SENT(&s, CLIENT, TH_SYN, 0, 0, 0);
	RECV(&s, CLIENT, TH_SYN | TH_ACK, 0, 77, 0);
	SENT(&s, CLIENT, TH_RST, 77, 0, 0);
	script_advance(&s, 1 * USEC_PER_SEC - 1);
	NOTHING_SENT(&s);
	script_advance(&s, 1);
	SENT(&s, CLIENT, TH_SYN, 0, 0, 0);
	script_free(&s);
}

/* T25: RST,ACK acknowledging our SYN: connection refused. */
static void test_refused(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_connect(&s, CLIENT);
	SENT(&s, CLIENT, TH_SYN, 0, 0, 0);
	script_recv_abs(&s, CLIENT, TH_RST | TH_ACK, 0, CLIENT_ISN + 1, 0, 0);
	NOTHING_SENT(&s);
	STATE(&s, CLIENT, TCPS_CLOSED, "T25");
	script_free(&s);
}

/* T33: a RST without ACK in SYN-SENT is dropped. */
static void test_syn_sent_rst_without_ack(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_connect(&s, CLIENT);
	SENT(&s, CLIENT, TH_SYN, 0, 0, 0);
	RECV(&s, CLIENT, TH_RST, 0, 0, 0);
	NOTHING_SENT(&s);
	STATE(&s, CLIENT, TCPS_SYN_SENT, "T02");
	script_free(&s);
}

/* S02: a SYN to a port with no listener: <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>. */
static void test_closed_port(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	RECV(&s, SERVER, TH_SYN, 0, 0, 0);
	SENT_ABS(&s, SERVER, TH_RST | TH_ACK, 0, CLIENT_ISN + 1, 0);
	/* T41: a RST to a closed port is discarded. */
	RECV(&s, SERVER, TH_RST, 0, 0, 0);
	NOTHING_SENT(&s);
	script_free(&s);
}

/* S03 and T32: LISTEN resets an ACK, ignores a RST. */
static void test_listen_answers(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_listen(&s, SERVER);
	RECV(&s, SERVER, TH_ACK, 5, 77, 0);
	SENT(&s, SERVER, TH_RST, 77, 0, 0);
	RECV(&s, SERVER, TH_RST, 5, 0, 0);
	RECV(&s, SERVER, TH_FIN, 5, 0, 0);           /* S04 */
	NOTHING_SENT(&s);
	STATE(&s, SERVER, TCPS_LISTEN, "T01");
	script_free(&s);
}

/* RFC 6298: SYN retransmitted at 1, 3, 7 s...; the rfc9293 profile gives up
 * after 8 retransmissions (SYNs at 0 1 3 7 15 31 63 123 183, give-up at 243). */
static void test_syn_backoff_and_give_up(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_connect(&s, CLIENT);
	SENT(&s, CLIENT, TH_SYN, 0, 0, 0);
	usec_t sends[] = { 1, 3, 7, 15, 31, 63, 123, 183 };
	for (int i = 0; i < 8; i++) {
		script_advance(&s, sends[i] * USEC_PER_SEC - s.host->now - 1);
		NOTHING_SENT(&s);
		script_advance(&s, 1);
		SENT(&s, CLIENT, TH_SYN, 0, 0, 0);
		STATE(&s, CLIENT, TCPS_SYN_SENT, NULL);
	}
	script_advance(&s, 243 * USEC_PER_SEC - s.host->now - 1);
	STATE(&s, CLIENT, TCPS_SYN_SENT, NULL);
	script_advance(&s, 1);
	STATE(&s, CLIENT, TCPS_CLOSED, "T53a");
	NOTHING_SENT(&s);
	script_free(&s);
}

/* Sends the SYN at each of sends[] (seconds; the first at 0 is the connect)
 * and nothing in between, then expects the give-up (T53a) at give_up s. */
static void expect_syns(struct script *s, const usec_t *sends, int n, usec_t give_up)
{
	script_connect(s, CLIENT);
	SENT(s, CLIENT, TH_SYN, 0, 0, 0);
	for (int i = 1; i < n; i++) {
		script_advance(s, sends[i] * USEC_PER_SEC - s->host->now - 1);
		NOTHING_SENT(s);
		script_advance(s, 1);
		SENT(s, CLIENT, TH_SYN, 0, 0, 0);
	}
	script_advance(s, give_up * USEC_PER_SEC - s->host->now - 1);
	STATE(s, CLIENT, TCPS_SYN_SENT, NULL);
	script_advance(s, 1);
	STATE(s, CLIENT, TCPS_CLOSED, "T53a");
	NOTHING_SENT(s);
}

/* The linux profile, Linux 6.18's tcp_syn_retries 6 and
 * tcp_syn_linear_timeouts 4: the first 4 timeouts keep the 1 s RTO, then it
 * doubles, and the linear ones count on top of the 6 retries
 * (tcp_retransmit_timer(), tcp_write_timeout()): SYNs at 0, 1, 2, 3, 4, 5,
 * 7, 11, 19, 35, 67 s, connect fails at 131 s. */
static void test_linux_syn_give_up(void)
{
	struct script s;
	script_init(&s, PROFILE_LINUX);
	const usec_t sends[] = { 0, 1, 2, 3, 4, 5, 7, 11, 19, 35, 67 };
	expect_syns(&s, sends, 11, 131);
	script_free(&s);
}

/* syn_linear_timeouts 0, as on kernels before 6.5 (Debian 12's 6.1): SYNs at
 * 0, 1, 3, 7, 15, 31, 63 s, connect fails at 127 s. And the rfc9293 profile
 * takes the key too: 2 linear timeouts, then its 8 retries. */
static void test_syn_linear_timeouts_key(void)
{
	struct script s;
	script_init(&s, PROFILE_LINUX);
	s.params.syn_linear_timeouts = 0;
	const usec_t linux61[] = { 0, 1, 3, 7, 15, 31, 63 };
	expect_syns(&s, linux61, 7, 127);
	script_free(&s);

	script_init(&s, PROFILE_RFC9293);
	s.params.syn_linear_timeouts = 2;
	const usec_t rfc2[] = { 0, 1, 2, 3, 5, 9, 17, 33, 65, 125, 185 };
	expect_syns(&s, rfc2, 11, 245);
	script_free(&s);
}

TCPSIM_SUITE(tcp_open,
	{ "passive open: LISTEN, SYN-RECEIVED, ESTABLISHED", test_passive_open },
	{ "active open: SYN-SENT, ESTABLISHED", test_active_open },
	{ "simultaneous open completes on the crossing SYN,ACK (T28)", test_simultaneous_open },
	{ "SYN-SENT resets an unacceptable ACK (S05)", test_syn_sent_bad_ack },
	{ "linux: unacceptable ACK in SYN-SENT: SYN again 8 ms later", test_syn_sent_bad_ack_linux_resends_syn_soon },
	{ "RST,ACK in SYN-SENT: refused (T25)", test_refused },
	{ "RST without ACK in SYN-SENT is dropped (T33)", test_syn_sent_rst_without_ack },
	{ "closed port answers RST,ACK (S02) and ignores RST (T41)", test_closed_port },
	{ "LISTEN resets an ACK (S03), ignores RST (T32) and FIN (S04)", test_listen_answers },
	{ "SYN backoff 1,2,4..60 s and give-up at 243 s (rfc9293)", test_syn_backoff_and_give_up },
	{ "linux profile: SYNs at 0 1 2 3 4 5 7 11 19 35 67 s, gives up at 131 s", test_linux_syn_give_up },
	{ "syn_linear_timeouts: 0 is 1 3 7..63, give-up at 127 s; any profile takes it", test_syn_linear_timeouts_key })
