/* test_time_wait.c - what a connection in TIME_WAIT keeps of its TCB when it
 * shrinks to a record between events (tw_rec.h, TCB_IN_TIME_WAIT).
 *
 * The round trip fills every member of a TIME_WAIT TCB with a value of its
 * own, lets the stack shrink it to a record and bring it back, and requires
 * every member to come back as it was, except those this file names as
 * ones TIME_WAIT may forget. The list here is kept apart from the header's
 * on purpose: a member the header stops carrying (or a new one it does not
 * carry) fails here until this file agrees that TIME_WAIT can do without
 * it. Then the record's life on the stack: it answers a retransmitted FIN
 * and expires, and a TCB it cannot hold whole stays a TCB.
 * The client's ISN is 1000, the server's 5000; numbers are relative. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "tcp_script.h"

#define MS USEC_PER_MS
#define SEC USEC_PER_SEC

/* Members of struct tcb the round trip does not write: the stack's own
 * bookkeeping and what a TCB in TIME_WAIT has by definition (its state,
 * its endpoint and that endpoint's address, SND.UNA = SND.MAX = SND.NXT,
 * the 2MSL timer running, empty buffers). */
static const char *const not_written[] = {
	"id", "gen", "in_use", "state", "ep", "listener", "local_ip", "local_port", "snd_una", "snd_max",
	"snd", "ooo", "timer_on", "settle", "tw_rec",
};

/* Members TIME_WAIT may forget, and why. Anything else must come back. */
static const char *const may_forget[] = {
	"id", "gen",                  /* the pool slot's: inflation takes a new one */
	"settle", "tw_rec",           /* the stack's bookkeeping */
	"snd", "ooo", "snd_mss", "snd_buf_seq", /* no data moves: all sent is acknowledged, the peer's FIN was last */
	"fin_queued",                 /* a FIN queued is a FIN sent here */
	"fin_wait_2_passing",         /* linux: set only while FIN-WAIT-2 is entered */
	"close_deferred", "in_listen_queue", /* SYN-RECEIVED's */
	"ack_now", "eof_close",       /* cleared by the event that set them */
	"srtt", "rttvar", "rto", "have_rtt", "rtt_timing", "rtt_seq", "rtt_start", "rtx_count",
	"syn_retransmitted", "recover", /* retransmission: nothing is left to resend */
	"tw_order",                   /* read in the event that (re)started 2MSL only */
	"dack",                       /* linux: no ACK waits in TIME_WAIT */
	"tlp_out", "tlp_high_seq",    /* linux: no loss probe in TIME_WAIT */
};

/* A failure that says what failed (CU_FAIL would print its argument's
 * name). */
static void fail(const char *msg, int line)
{
	CU_assertImplementation(CU_FALSE, (unsigned)line, msg, __FILE__, "", CU_FALSE);
}

static bool named_in(const char *name, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i], name) == 0)
			return true;
	return false;
}

/* Every member of struct tcb, from TCB_IN_TIME_WAIT (which the build keeps
 * complete): for an array indexed by timer kind, its TIME_WAIT element (the
 * other timers are off in TIME_WAIT). */
struct member {
	const char *name;
	size_t off, size;
	bool timer;
};
#define M_NAMED(name, ...) { #name, offsetof(struct tcb, name), sizeof(((struct tcb *)0)->name), false },
#define M_TYPED(type, name) M_NAMED(name)
#define M_TIMER(type, name) { #name, offsetof(struct tcb, name[TIMER_TIME_WAIT]), sizeof(type), true },
#define M_TIMER_NAMED(name, ...) \
	{ #name, offsetof(struct tcb, name[TIMER_TIME_WAIT]), sizeof(((struct tcb *)0)->name[0]), true },
static const struct member members[] = {
	TCB_IN_TIME_WAIT(M_TYPED, M_TYPED, M_NAMED, M_TIMER, M_NAMED, M_NAMED, M_TIMER_NAMED, M_NAMED, M_NAMED)
};
#define N_MEMBERS (sizeof members / sizeof members[0])

/* The client in TIME_WAIT, a record (T12, T14, T17), in profile p. */
static void client_time_wait(struct script *s, enum profile p)
{
	script_init_on_stack(s, p);
	script_to_state(s, CLIENT, TCPS_TIME_WAIT);
	CU_ASSERT_TRUE(stack_endpoint_conn_is_record(&s->st, CLIENT));
}

static void test_every_member_is_named_once(void)
{
	/* The build checks that every member is named; here, that none is
	 * named twice (two entries over the same bytes). */
	for (size_t i = 0; i < N_MEMBERS; i++)
		for (size_t j = i + 1; j < N_MEMBERS; j++) {
			const struct member *a = &members[i], *b = &members[j];
			bool overlap = a->off < b->off + b->size && b->off < a->off + a->size;
			if (overlap) {
				char msg[128];
				snprintf(msg, sizeof msg, "%s and %s overlap", a->name, b->name);
				fail(msg, __LINE__);
			}
		}
	CU_ASSERT_TRUE(N_MEMBERS > 40);
}

/* Every member TIME_WAIT needs comes back from the record: written with a
 * value of its own (bools true), shrunk, inflated, compared. */
static void test_record_round_trip_keeps_every_member_needed(void)
{
	struct script s;
	client_time_wait(&s, PROFILE_LINUX);
	struct tcb *tcb = stack_endpoint_conn(&s.st, CLIENT);
	CU_ASSERT_PTR_NOT_NULL_FATAL(tcb);
	unsigned char *p = (unsigned char *)tcb;
	for (size_t i = 0; i < N_MEMBERS; i++) {
		const struct member *m = &members[i];
		if (named_in(m->name, not_written, sizeof not_written / sizeof not_written[0]))
			continue;
		if (m->size == 1)
			p[m->off] = 1;        /* every 1-byte member is a bool */
		else
			memset(p + m->off, (int)(0x11 + i), m->size);
	}
	tcb->snd_una = tcb->snd_max = tcb->snd_nxt;
	struct tcb before = *tcb;
	stack_settle(&s.st);
	CU_ASSERT_TRUE_FATAL(stack_endpoint_conn_is_record(&s.st, CLIENT));
	tcb = stack_endpoint_conn(&s.st, CLIENT);
	CU_ASSERT_PTR_NOT_NULL_FATAL(tcb);
	const unsigned char *was = (const unsigned char *)&before, *now = (const unsigned char *)tcb;
	for (size_t i = 0; i < N_MEMBERS; i++) {
		const struct member *m = &members[i];
		if (named_in(m->name, may_forget, sizeof may_forget / sizeof may_forget[0]))
			continue;
		if (memcmp(was + m->off, now + m->off, m->size) != 0) {
			char msg[160];
			snprintf(msg, sizeof msg, "%s%s did not come back from the TIME_WAIT record", m->name,
				 m->timer ? "[TIMER_TIME_WAIT]" : "");
			fail(msg, __LINE__);
		}
	}
	script_free(&s);
}

/* linux: tcp_time_wait() carries tp->last_oow_ack_time into the timewait
 * sock, so that tcp_timewait_check_oow_rate_limit() limits the ACKs to
 * out-of-window segments across the events of TIME_WAIT: one per 500 ms. */
static void test_linux_time_wait_limits_out_of_window_acks_across_events(void)
{
	struct script s;
	client_time_wait(&s, PROFILE_LINUX);
	RECV(&s, CLIENT, TH_ACK, 1000, 2, 0);           /* out of window: S09, answered */
	SENT(&s, CLIENT, TH_ACK, 2, 2, 0);
	script_advance(&s, 100 * MS);
	CU_ASSERT_TRUE(stack_endpoint_conn_is_record(&s.st, CLIENT));
	RECV(&s, CLIENT, TH_ACK, 1000, 2, 0);           /* 100 ms later: limited */
	NOTHING_SENT(&s);
	STATE(&s, CLIENT, TCPS_TIME_WAIT, "T17");
	script_advance(&s, 400 * MS);
	RECV(&s, CLIENT, TH_ACK, 1000, 2, 0);           /* 500 ms after the first: answered */
	SENT(&s, CLIENT, TH_ACK, 2, 2, 0);
	script_free(&s);
}

/* Between events a connection in TIME-WAIT is a small record, not a TCB
 * (as Linux's timewait sock): the record answers a retransmitted FIN with
 * an ACK and restarts 2MSL, and expires when its timer does. */
static void test_time_wait_shrinks_to_a_record(void)
{
	struct script s;
	script_init_on_stack(&s, PROFILE_RFC9293);
	script_to_state(&s, CLIENT, TCPS_ESTABLISHED);
	uint32_t tcbs = s.st.live_tcbs;
	script_close(&s, CLIENT);
	SENT(&s, CLIENT, TH_FIN | TH_ACK, 1, 1, 0);
	RECV(&s, CLIENT, TH_FIN | TH_ACK, 1, 2, 0);
	SENT(&s, CLIENT, TH_ACK, 2, 2, 0);
	STATE(&s, CLIENT, TCPS_TIME_WAIT, "T16");
	CU_ASSERT_EQUAL(s.st.live_tws, 1);
	CU_ASSERT_EQUAL(s.st.live_tcbs, tcbs - 1);
	CU_ASSERT_TRUE(s.st.eps[CLIENT].conn & TW_BIT);
	script_advance(&s, 100 * SEC);
	RECV(&s, CLIENT, TH_FIN | TH_ACK, 1, 2, 0);       /* the peer's FIN again */
	SENT(&s, CLIENT, TH_ACK, 2, 2, 0);
	STATE(&s, CLIENT, TCPS_TIME_WAIT, "T16");
	CU_ASSERT_EQUAL(s.st.live_tws, 1);
	CU_ASSERT_EQUAL(s.st.live_tcbs, tcbs - 1);
	script_advance(&s, 240 * SEC - 1);                /* restarted: 240 s from the second FIN */
	STATE(&s, CLIENT, TCPS_TIME_WAIT, "T16");
	script_advance(&s, 1);
	STATE(&s, CLIENT, TCPS_CLOSED, "T21");
	CU_ASSERT_EQUAL(s.st.live_tws, 0);
	CU_ASSERT_EQUAL(s.st.live_tcbs, tcbs - 1);
	script_free(&s);
}

/* A record holds SND.UNA = SND.NXT = SND.MAX only: a TIME-WAIT TCB that
 * differs (made up here: TIME-WAIT means our FIN is acknowledged) stays a
 * TCB, with its 2MSL timer queued like any other, and still expires. The
 * record brings back every field it took. */
static void test_time_wait_record_only_when_whole(void)
{
	struct script s;
	script_init_on_stack(&s, PROFILE_RFC9293);
	script_to_state(&s, CLIENT, TCPS_ESTABLISHED);
	script_close(&s, CLIENT);
	SENT(&s, CLIENT, TH_FIN | TH_ACK, 1, 1, 0);
	RECV(&s, CLIENT, TH_FIN | TH_ACK, 1, 2, 0);
	SENT(&s, CLIENT, TH_ACK, 2, 2, 0);
	CU_ASSERT_TRUE_FATAL(s.st.eps[CLIENT].conn & TW_BIT);
	struct tcb *t = stack_endpoint_conn(&s.st, CLIENT);     /* inflated for a look */
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_EQUAL(t->state, TCPS_TIME_WAIT);
	CU_ASSERT_EQUAL(t->snd_una, CLIENT_ISN + 2);
	CU_ASSERT_EQUAL(t->snd_nxt, CLIENT_ISN + 2);
	CU_ASSERT_EQUAL(t->snd_max, CLIENT_ISN + 2);
	CU_ASSERT_EQUAL(t->rcv_nxt, SERVER_ISN + 2);
	CU_ASSERT_EQUAL(t->local_ip, 0x0a000001);
	CU_ASSERT_EQUAL(t->local_port, 40000);
	CU_ASSERT_EQUAL(t->remote_port, 80);
	CU_ASSERT_TRUE(t->fin_sent && t->peer_fin && !t->passive);
	t->snd_max++;
	stack_settle(&s.st);
	CU_ASSERT_FALSE(s.st.eps[CLIENT].conn & TW_BIT);         /* still a TCB */
	CU_ASSERT_EQUAL(s.st.live_tws, 0);
	script_advance(&s, 240 * SEC);
	STATE(&s, CLIENT, TCPS_CLOSED, "T21");
	script_free(&s);
}

TCPSIM_SUITE(time_wait,
	     { "every member of struct tcb is named once", test_every_member_is_named_once },
	     { "the record round trip keeps every member TIME_WAIT needs",
	       test_record_round_trip_keeps_every_member_needed },
	     { "linux: TIME_WAIT limits out-of-window ACKs across events",
	       test_linux_time_wait_limits_out_of_window_acks_across_events },
	     { "a record only when it holds the TCB whole", test_time_wait_record_only_when_whole },
	     { "TIME-WAIT shrinks to a record that answers and expires", test_time_wait_shrinks_to_a_record })
