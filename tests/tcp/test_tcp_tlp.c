/* test_tcp_tlp.c - the linux profile's tail loss probe (sim/tcp/tcp_tlp.c,
 * RFC 8985 section 7 as Linux's tcp_schedule_loss_probe() and
 * tcp_send_loss_probe() do it): the last segment sent again a PTO after
 * the flight's last send or ACK, before the RTO, which restarts from the
 * probe without a backoff; one probe at a time; none in rfc9293.
 *
 * The client's ISN is 1000, the server's 5000; numbers are relative. The
 * handshake takes 100 ms: SRTT 100 ms, RTTVAR 50 ms, RTO 300 ms (linux). */
#include "tcp_script.h"

#define MS USEC_PER_MS

static struct tcb *established(struct script *s, enum profile p)
{
	script_init(s, p);
	CU_ASSERT_EQUAL(script_connect(s, CLIENT), TCP_OK);
	SENT(s, CLIENT, TH_SYN, 0, 0, 0);
	script_advance(s, 100 * MS);
	RECV(s, CLIENT, TH_SYN | TH_ACK, 0, 1, 0);
	SENT(s, CLIENT, TH_ACK, 1, 1, 0);
	struct tcb *t = script_must_tcb(s, CLIENT);
	CU_ASSERT_EQUAL(t->srtt, 100 * MS);
	if (p == PROFILE_LINUX)
		CU_ASSERT_EQUAL(t->rto, 300 * MS);     /* rfc9293: its 1 s minimum */
	return t;
}

/* Two segments out, neither acknowledged: PTO = 2 SRTT + 2 ms = 202 ms,
 * before the RTO (300 ms); the probe is the last segment; the RTO restarts
 * from it, 300 ms, not backed off; no second probe before it. */
static void test_probe_resends_the_last_segment(void)
{
	struct script s;
	struct tcb *t = established(&s, PROFILE_LINUX);
	CU_ASSERT_EQUAL(script_send(&s, CLIENT, 2000), TCP_OK);
	SENT(&s, CLIENT, TH_ACK, 1, 1, 1460);
	SENT(&s, CLIENT, TH_ACK | TH_PSH, 1461, 1, 540);
	CU_ASSERT_TRUE(t->timer_on[TIMER_TLP]);
	script_advance(&s, 202 * MS - 1);
	NOTHING_SENT(&s);
	script_advance(&s, 1);
	SENT(&s, CLIENT, TH_ACK | TH_PSH, 1461, 1, 540);
	NOTHING_SENT(&s);
	CU_ASSERT_EQUAL(t->rto, 300 * MS);
	CU_ASSERT_EQUAL(t->timer_due[TIMER_RTO], s.host->now + 300 * MS);
	CU_ASSERT_EQUAL(t->rtx_count, 0);
	script_advance(&s, 300 * MS - 1);
	NOTHING_SENT(&s);
	script_advance(&s, 1);                     /* the RTO: the front, backed off */
	SENT(&s, CLIENT, TH_ACK, 1, 1, 1460);
	CU_ASSERT_EQUAL(t->rto, 600 * MS);
	CU_ASSERT_FALSE(t->timer_on[TIMER_TLP]);
	script_free(&s);
}

/* One segment out: the PTO makes room for the peer's delayed ACK (2 SRTT +
 * rto_min = 400 ms), so the RTO's time (300 ms) bounds it: the probe goes
 * then, and the RTO after it 300 ms later. An ACK of everything stops the
 * probe's timer. */
static void test_one_segment_probe_at_the_rto(void)
{
	struct script s;
	struct tcb *t = established(&s, PROFILE_LINUX);
	CU_ASSERT_EQUAL(script_send(&s, CLIENT, 100), TCP_OK);
	SENT(&s, CLIENT, TH_ACK | TH_PSH, 1, 1, 100);
	CU_ASSERT_EQUAL(t->timer_due[TIMER_TLP], s.host->now + 300 * MS);
	script_advance(&s, 300 * MS);
	SENT(&s, CLIENT, TH_ACK | TH_PSH, 1, 1, 100);  /* the probe, not the RTO */
	NOTHING_SENT(&s);
	CU_ASSERT_EQUAL(t->rtx_count, 0);
	CU_ASSERT_EQUAL(t->timer_due[TIMER_RTO], s.host->now + 300 * MS);
	RECV(&s, CLIENT, TH_ACK, 1, 101, 0);
	CU_ASSERT_FALSE(t->timer_on[TIMER_TLP]);
	CU_ASSERT_FALSE(t->timer_on[TIMER_RTO]);
	CU_ASSERT_FALSE(t->tlp_out);
	script_free(&s);
}

/* A lost FIN: the probe sends it again. */
static void test_probe_resends_the_fin(void)
{
	struct script s;
	struct tcb *t = established(&s, PROFILE_LINUX);
	CU_ASSERT_EQUAL(script_close(&s, CLIENT), TCP_OK);
	SENT(&s, CLIENT, TH_FIN | TH_ACK, 1, 1, 0);
	CU_ASSERT_TRUE(t->timer_on[TIMER_TLP]);
	script_advance(&s, 300 * MS);
	SENT(&s, CLIENT, TH_FIN | TH_ACK, 1, 1, 0);
	STATE(&s, CLIENT, TCPS_FIN_WAIT_1, "T12");
	script_free(&s);
}

/* An ACK of the first segment of three: PTO again from the ACK, capped by
 * the RTO it restarted (2 SRTT + 2 ms with two segments left). */
static void test_ack_reschedules_the_probe(void)
{
	struct script s;
	struct tcb *t = established(&s, PROFILE_LINUX);
	CU_ASSERT_EQUAL(script_send(&s, CLIENT, 4000), TCP_OK);
	SENT(&s, CLIENT, TH_ACK, 1, 1, 1460);
	SENT(&s, CLIENT, TH_ACK, 1461, 1, 1460);
	SENT(&s, CLIENT, TH_ACK | TH_PSH, 2921, 1, 1080);
	script_advance(&s, 100 * MS);
	RECV(&s, CLIENT, TH_ACK, 1, 1461, 0);
	NOTHING_SENT(&s);
	CU_ASSERT_EQUAL(t->timer_due[TIMER_TLP], s.host->now + 2 * t->srtt + 2 * MS);
	script_advance(&s, 2 * t->srtt + 2 * MS);
	SENT(&s, CLIENT, TH_ACK | TH_PSH, 2921, 1, 1080);
	script_free(&s);
}

/* The ACK of everything before the PTO stops the probe's timer. */
static void test_ack_of_all_stops_the_probe(void)
{
	struct script s;
	struct tcb *t = established(&s, PROFILE_LINUX);
	CU_ASSERT_EQUAL(script_send(&s, CLIENT, 100), TCP_OK);
	SENT(&s, CLIENT, TH_ACK | TH_PSH, 1, 1, 100);
	script_advance(&s, 100 * MS);
	RECV(&s, CLIENT, TH_ACK, 1, 101, 0);
	CU_ASSERT_FALSE(t->timer_on[TIMER_TLP]);
	script_advance(&s, 1000 * MS);
	NOTHING_SENT(&s);
	script_free(&s);
}

/* One probe at a time: an ACK of part of the flight schedules the timer
 * again, but while the probe is unacknowledged (below tlp_high_seq) its
 * expiry sends nothing, and the RTO stands. */
static void test_one_probe_at_a_time(void)
{
	struct script s;
	struct tcb *t = established(&s, PROFILE_LINUX);
	CU_ASSERT_EQUAL(script_send(&s, CLIENT, 4000), TCP_OK);
	SENT(&s, CLIENT, TH_ACK, 1, 1, 1460);
	SENT(&s, CLIENT, TH_ACK, 1461, 1, 1460);
	SENT(&s, CLIENT, TH_ACK | TH_PSH, 2921, 1, 1080);
	script_advance(&s, 202 * MS);
	SENT(&s, CLIENT, TH_ACK | TH_PSH, 2921, 1, 1080);  /* the probe */
	CU_ASSERT_TRUE(t->tlp_out);
	RECV(&s, CLIENT, TH_ACK, 1, 1461, 0);
	CU_ASSERT_TRUE(t->timer_on[TIMER_TLP]);
	usec_t rto_due = t->timer_due[TIMER_RTO];
	script_advance(&s, t->timer_due[TIMER_TLP] - s.host->now);
	NOTHING_SENT(&s);
	CU_ASSERT_EQUAL(t->timer_due[TIMER_RTO], rto_due);
	script_free(&s);
}

/* rfc9293: no probe, the RTO alone. */
static void test_rfc9293_has_no_probe(void)
{
	struct script s;
	struct tcb *t = established(&s, PROFILE_RFC9293);
	CU_ASSERT_EQUAL(script_send(&s, CLIENT, 2000), TCP_OK);
	SENT(&s, CLIENT, TH_ACK, 1, 1, 1460);
	SENT(&s, CLIENT, TH_ACK | TH_PSH, 1461, 1, 540);
	CU_ASSERT_FALSE(t->timer_on[TIMER_TLP]);
	usec_t rto = t->rto;
	script_advance(&s, rto - 1);
	NOTHING_SENT(&s);
	script_advance(&s, 1);
	SENT(&s, CLIENT, TH_ACK, 1, 1, 1460);
	CU_ASSERT_EQUAL(t->rto, 2 * rto);
	script_free(&s);
}

TCPSIM_SUITE(tcp_tlp,
	{ "linux: the probe resends the last segment, the RTO restarts unbacked-off", test_probe_resends_the_last_segment },
	{ "linux: one segment out, the probe at the RTO's time", test_one_segment_probe_at_the_rto },
	{ "linux: the probe resends a lost FIN", test_probe_resends_the_fin },
	{ "linux: an ACK schedules the probe again", test_ack_reschedules_the_probe },
	{ "linux: the ACK of everything stops the probe's timer", test_ack_of_all_stops_the_probe },
	{ "linux: one probe at a time", test_one_probe_at_a_time },
	{ "rfc9293: no probe", test_rfc9293_has_no_probe })
