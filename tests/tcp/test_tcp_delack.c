/* test_tcp_delack.c - the linux profile's delayed ACK (sim/tcp/tcp_delack.c):
 * quick-ack mode at the start, then an ACK every second full-sized segment
 * or at the delayed-ACK timer; at once for text out of order; the peer's
 * FIN in ESTABLISHED makes the connection interactive, and its ACK waits
 * for the application's FIN; a reply sent within ATO of the request does
 * too. The rfc9293 profile acknowledges everything at once.
 *
 * The client's ISN is 1000, the server's 5000; numbers are relative. */
#include "tcp_script.h"

#define MS USEC_PER_MS

static bool delack_on(struct script *s, int ep)
{
	return script_must_tcb(s, ep)->timer_on[TIMER_DELACK];
}

/* A bare FIN right after the handshake: no data came, ATO is still 0, so
 * tcp_send_delayed_ack() sets the timer to the current jiffy, which fires
 * at the next tick (4 ms): the ACK goes alone, later. */
static void test_fin_ack_waits_a_jiffy(void)
{
	struct script s;
	script_init(&s, PROFILE_LINUX);
	script_to_state(&s, SERVER, TCPS_ESTABLISHED);
	RECV(&s, SERVER, TH_FIN | TH_ACK, 1, 1, 0);
	STATE(&s, SERVER, TCPS_CLOSE_WAIT, "T13");
	NOTHING_SENT(&s);
	CU_ASSERT_TRUE(delack_on(&s, SERVER));
	script_advance(&s, 4 * MS - 1);
	NOTHING_SENT(&s);
	script_advance(&s, 1);
	SENT(&s, SERVER, TH_ACK, 1, 2, 0);
	CU_ASSERT_FALSE(delack_on(&s, SERVER));
	script_free(&s);
}

/* The close a capture shows: the application closes before the timer, and
 * its FIN carries the ACK of the peer's FIN (FIN, FIN+ACK, ACK); the timer
 * stops (tcp_event_ack_sent()). */
static void test_fin_ack_rides_on_our_fin(void)
{
	struct script s;
	script_init(&s, PROFILE_LINUX);
	script_to_state(&s, SERVER, TCPS_ESTABLISHED);
	RECV(&s, SERVER, TH_FIN | TH_ACK, 1, 1, 0);
	NOTHING_SENT(&s);
	script_advance(&s, 2 * MS);
	CU_ASSERT_EQUAL(script_close(&s, SERVER), TCP_OK);
	SENT(&s, SERVER, TH_FIN | TH_ACK, 1, 2, 0);
	NOTHING_SENT(&s);
	CU_ASSERT_FALSE(delack_on(&s, SERVER));
	script_advance(&s, 300 * MS);
	STATE(&s, SERVER, TCPS_LAST_ACK, "T18");
	script_free(&s);
}

/* The first data goes in quick-ack mode (tcp_incr_quickack()): ACKed at
 * once; ATO becomes TCP_ATO_MIN, 40 ms, and the FIN after it (pingpong)
 * waits that long. */
static void test_data_acked_at_once_then_fin_waits_ato(void)
{
	struct script s;
	script_init(&s, PROFILE_LINUX);
	script_to_state(&s, SERVER, TCPS_ESTABLISHED);
	RECV(&s, SERVER, TH_ACK | TH_PSH, 1, 1, 100);
	SENT(&s, SERVER, TH_ACK, 1, 101, 0);
	CU_ASSERT_FALSE(delack_on(&s, SERVER));
	script_advance(&s, 300 * MS);
	RECV(&s, SERVER, TH_FIN | TH_ACK, 101, 1, 0);
	NOTHING_SENT(&s);
	script_advance(&s, 40 * MS - 1);
	NOTHING_SENT(&s);
	script_advance(&s, 1);
	SENT(&s, SERVER, TH_ACK, 1, 102, 0);
	script_free(&s);
}

/* The rfc9293 profile: every ACK at once, no timer. */
static void test_rfc9293_acks_at_once(void)
{
	struct script s;
	script_init(&s, PROFILE_RFC9293);
	script_to_state(&s, SERVER, TCPS_ESTABLISHED);
	RECV(&s, SERVER, TH_ACK, 1, 1, 1000);
	SENT(&s, SERVER, TH_ACK, 1, 1001, 0);
	RECV(&s, SERVER, TH_FIN | TH_ACK, 1001, 1, 0);
	SENT(&s, SERVER, TH_ACK, 1, 1002, 0);
	CU_ASSERT_FALSE(delack_on(&s, SERVER));
	script_free(&s);
}

/* Full-sized segments (1000 bytes, no PSH, the peer's MSS as seen): the
 * first 16 ACKs go at once (TCP_MAX_QUICKACKS: half the window holds more
 * segments), then the 17th waits for the timer (ATO, 40 ms) and the 18th,
 * a second full segment unacknowledged, draws the ACK at once
 * (__tcp_ack_snd_check()). */
static void test_quick_acks_then_every_second_segment(void)
{
	struct script s;
	script_init(&s, PROFILE_LINUX);
	script_to_state(&s, SERVER, TCPS_ESTABLISHED);
	uint32_t seq = 1;
	for (int i = 0; i < 16; i++, seq += 1000) {
		RECV(&s, SERVER, TH_ACK, seq, 1, 1000);
		SENT(&s, SERVER, TH_ACK, 1, seq + 1000, 0);
	}
	RECV(&s, SERVER, TH_ACK, seq, 1, 1000);
	NOTHING_SENT(&s);
	CU_ASSERT_TRUE(delack_on(&s, SERVER));
	seq += 1000;
	RECV(&s, SERVER, TH_ACK, seq, 1, 1000);
	SENT(&s, SERVER, TH_ACK, 1, seq + 1000, 0);
	CU_ASSERT_FALSE(delack_on(&s, SERVER));
	seq += 1000;
	/* One more alone: the timer sends its ACK 40 ms later. */
	RECV(&s, SERVER, TH_ACK, seq, 1, 1000);
	NOTHING_SENT(&s);
	script_advance(&s, 40 * MS);
	SENT(&s, SERVER, TH_ACK, 1, seq + 1000, 0);
	seq += 1000;
	/* A short pushed segment, which the application reads at once: ACKed
	 * at once (tcp_cleanup_rbuf(), ICSK_ACK_PUSHED, not interactive). */
	RECV(&s, SERVER, TH_ACK | TH_PSH, seq, 1, 100);
	SENT(&s, SERVER, TH_ACK, 1, seq + 100, 0);
	script_free(&s);
}

/* A reply within ATO of the request makes the connection interactive
 * (tcp_event_data_sent(): pingpong), so the next request's ACK waits; the
 * reply to it carries the ACK and stops the timer. Text out of order is
 * ACKed at once all the same. */
static void test_reply_carries_the_ack_in_pingpong(void)
{
	struct script s;
	script_init(&s, PROFILE_LINUX);
	script_to_state(&s, SERVER, TCPS_ESTABLISHED);
	RECV(&s, SERVER, TH_ACK | TH_PSH, 1, 1, 100);
	SENT(&s, SERVER, TH_ACK, 1, 101, 0);          /* quick-ack mode */
	script_advance(&s, 10 * MS);
	CU_ASSERT_EQUAL(script_send(&s, SERVER, 50), TCP_OK);
	SENT(&s, SERVER, TH_ACK | TH_PSH, 1, 101, 50);
	RECV(&s, SERVER, TH_ACK | TH_PSH, 101, 51, 100);
	NOTHING_SENT(&s);                              /* pingpong: no quick ACK */
	CU_ASSERT_TRUE(delack_on(&s, SERVER));
	script_advance(&s, 5 * MS);
	CU_ASSERT_EQUAL(script_send(&s, SERVER, 50), TCP_OK);
	SENT(&s, SERVER, TH_ACK | TH_PSH, 51, 201, 50);
	CU_ASSERT_FALSE(delack_on(&s, SERVER));
	/* Out of order: a hole at 201, ACKed at once. */
	RECV(&s, SERVER, TH_ACK | TH_PSH, 301, 101, 100);
	SENT(&s, SERVER, TH_ACK, 101, 201, 0);
	/* The hole filled: at once again. */
	RECV(&s, SERVER, TH_ACK, 201, 101, 100);
	SENT(&s, SERVER, TH_ACK, 101, 401, 0);
	script_free(&s);
}

/* In pingpong mode the timer's ACK ends it (tcp_delack_timer_handler():
 * "leave pingpong mode"), and the next short segment the application reads
 * is ACKed at once again (tcp_cleanup_rbuf(), ICSK_ACK_PUSHED). */
static void test_timer_ends_pingpong(void)
{
	struct script s;
	script_init(&s, PROFILE_LINUX);
	script_to_state(&s, SERVER, TCPS_ESTABLISHED);
	RECV(&s, SERVER, TH_ACK | TH_PSH, 1, 1, 100);
	SENT(&s, SERVER, TH_ACK, 1, 101, 0);
	CU_ASSERT_EQUAL(script_send(&s, SERVER, 50), TCP_OK);
	SENT(&s, SERVER, TH_ACK | TH_PSH, 1, 101, 50);
	RECV(&s, SERVER, TH_ACK | TH_PSH, 101, 51, 100);
	NOTHING_SENT(&s);
	script_advance(&s, 40 * MS);
	SENT(&s, SERVER, TH_ACK, 51, 201, 0);
	CU_ASSERT_EQUAL(script_must_tcb(&s, SERVER)->dack.pingpong, 0);
	script_advance(&s, 1000 * MS);
	RECV(&s, SERVER, TH_ACK | TH_PSH, 201, 51, 100);
	SENT(&s, SERVER, TH_ACK, 51, 301, 0);
	script_free(&s);
}

/* FIN-WAIT-2 (and FIN-WAIT-1) ACK the peer's FIN at once (tcp_fin() calls
 * tcp_send_ack()). */
static void test_fin_in_fin_wait_2_acked_at_once(void)
{
	struct script s;
	script_init(&s, PROFILE_LINUX);
	script_to_state(&s, CLIENT, TCPS_TIME_WAIT);      /* checks the ACK at once */
	CU_ASSERT_FALSE(delack_on(&s, CLIENT));
	script_free(&s);
}

/* Simultaneous open, linux: the peer's SYN,ACK in SYN-RECEIVED repeats its
 * SYN, so tcp_data_queue() finds it all old: quick-ack mode and an ACK at
 * once (the ACK the rfc9293 profile does not send). ATO is then 40 ms, and
 * the peer's FIN later waits that long for its ACK, not a jiffy: Linux 6.18
 * sends it 40 ms after the FIN (simultaneous_open under compare). */
static void test_simultaneous_open_quickack(void)
{
	struct script s;
	script_init(&s, PROFILE_LINUX);
	script_connect(&s, CLIENT);
	SENT(&s, CLIENT, TH_SYN, 0, 0, 0);
	RECV(&s, CLIENT, TH_SYN, 0, 0, 0);
	SENT(&s, CLIENT, TH_SYN | TH_ACK, 0, 1, 0);
	RECV(&s, CLIENT, TH_SYN | TH_ACK, 0, 1, 0);
	STATE(&s, CLIENT, TCPS_ESTABLISHED, "T28");
	SENT(&s, CLIENT, TH_ACK, 1, 1, 0);
	NOTHING_SENT(&s);
	script_advance(&s, 400 * MS);
	RECV(&s, CLIENT, TH_FIN | TH_ACK, 1, 1, 0);
	STATE(&s, CLIENT, TCPS_CLOSE_WAIT, "T13");
	NOTHING_SENT(&s);
	script_advance(&s, 40 * MS - 1);
	NOTHING_SENT(&s);
	script_advance(&s, 1);
	SENT(&s, CLIENT, TH_ACK, 1, 2, 0);
	script_free(&s);
}

TCPSIM_SUITE(tcp_delack,
	{ "simultaneous open: the SYN,ACK in SYN-RECEIVED is ACKed at once, the FIN later after ATO", test_simultaneous_open_quickack },
	{ "linux: a bare FIN's ACK waits one jiffy", test_fin_ack_waits_a_jiffy },
	{ "linux: the FIN's ACK rides on the application's FIN", test_fin_ack_rides_on_our_fin },
	{ "linux: first data ACKed at once, then the FIN waits ATO", test_data_acked_at_once_then_fin_waits_ato },
	{ "rfc9293: every ACK at once", test_rfc9293_acks_at_once },
	{ "linux: 16 quick ACKs, then every second full segment", test_quick_acks_then_every_second_segment },
	{ "linux: pingpong, the reply carries the ACK; out of order at once", test_reply_carries_the_ack_in_pingpong },
	{ "linux: the timer ends pingpong mode", test_timer_ends_pingpong },
	{ "linux: FIN in FIN-WAIT-2 ACKed at once", test_fin_in_fin_wait_2_acked_at_once })
