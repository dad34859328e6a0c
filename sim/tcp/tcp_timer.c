/* tcp_timer.c - timeouts, RFC 9293 section 3.10.8, with RFC 6298 for the
 * retransmission timer and section 3.8.3 for giving up. */
#include "tcp/tcp.h"

/* The SYN retransmissions SYN-SENT makes before it gives up: syn_retries,
 * plus syn_linear_timeouts, as Linux's tcp_write_timeout()
 * (net/ipv4/tcp_timer.c) counts them (max_retransmits = tcp_syn_retries +
 * tcp_syn_linear_timeouts in TCP_SYN_SENT). 0 more in the rfc9293 profile. */
static int syn_sent_retries(const struct tcp_params *p)
{
	return p->syn_retries + p->syn_linear_timeouts;
}

/* Whether the timeout that made tcb's rtx_count-th retransmission keeps the
 * RTO instead of doubling it: in SYN-SENT, the first syn_linear_timeouts
 * ones do, as Linux's tcp_retransmit_timer() (net/ipv4/tcp_timer.c) backs
 * off only once tp->total_rto > tcp_syn_linear_timeouts (default 4 since
 * Linux 6.5), so its SYNs go at 0, 1, 2, 3, 4, 5, 7, 11 ... s. Never in the
 * rfc9293 profile (0: RFC 6298 (5.5) from the first timeout), nor for a
 * SYN,ACK (Linux's request sockets back off at once). */
static bool syn_timeout_linear(const struct tcp_params *p, const struct tcb *tcb)
{
	return tcb->state == TCPS_SYN_SENT && tcb->rtx_count <= p->syn_linear_timeouts;
}

/* RETRANSMISSION TIMEOUT: "send the segment at the front of the
 * retransmission queue again, reinitialize the retransmission timer, and
 * return" (T52a-f); after the profile's retries, give up (T53a, T53b). */
static void rto_expired(struct tcp_host *h, struct tcb *tcb)
{
	const struct tcp_params *p = h->params;
	bool handshake = tcb->state == TCPS_SYN_SENT ||
			 (tcb->state == TCPS_SYN_RECEIVED && tcb->snd_una == tcb->iss);
	int limit = tcb->state == TCPS_SYN_SENT ? syn_sent_retries(p) :
		    tcb->state == TCPS_SYN_RECEIVED ? p->synack_retries : p->retries;
	if (tcb->rtx_count >= limit) {
		/* Section 3.8.3: R2 reached, "close the connection". For a SYN
		 * the RFC asks for at least 3 minutes (MUST-23): the rfc9293
		 * profile's 8 retries give 243 s. */
		if (handshake)
			tcb_set_state(h, tcb, TCPS_CLOSED, "timeout SYN", "T53a");
		else
			tcb_set_state(h, tcb, TCPS_CLOSED, "timeout R2", "T53b");
		return;
	}
	static const char *const arc[TCP_NSTATES] = {
		[TCPS_SYN_SENT] = "T52a", [TCPS_SYN_RECEIVED] = "T52b", [TCPS_ESTABLISHED] = "T52c",
		[TCPS_CLOSE_WAIT] = "T52c", [TCPS_FIN_WAIT_1] = "T52d", [TCPS_CLOSING] = "T52e",
		[TCPS_LAST_ACK] = "T52f",
	};
	if (arc[tcb->state])
		tcp_note_arc(h, tcb->ep, tcb->state, arc[tcb->state], "timeout RTO");
	tcb->rtx_count++;
	if (handshake)
		tcb->syn_retransmitted = true;
	/* (5.5): back off, within the maximum of (2.5). */
	if (!syn_timeout_linear(p, tcb))
		tcb->rto = tcb->rto * 2 > p->rto_max ? p->rto_max : tcb->rto * 2;
	tcb->recover = tcb->snd_max;
	tcb_timer_cancel(h, tcb, TIMER_TLP);           /* linux: recovering from the timeout */
	tcb->tlp_out = false;
	tcp_retransmit_front(h, tcb);
	tcb_timer_set(h, tcb, TIMER_RTO, tcb->rto);        /* (5.6) */
}

static void timeout(struct tcp_host *h, struct tcb *tcb, enum timer_kind k)
{
	switch (k) {
	case TIMER_RTO:
		rto_expired(h, tcb);
		break;
	case TIMER_TIME_WAIT:
		/* "If the time-wait timeout expires on a connection, delete the
		 * TCB, enter the CLOSED state, and return" (T21). */
		tcb_set_state(h, tcb, TCPS_CLOSED, "timeout 2MSL", "T21");
		break;
	case TIMER_FIN_WAIT_2:
		/* The linux profile's tcp_fin_timeout for an orphaned
		 * FIN-WAIT-2 (T31); the RFC has no such timer. */
		tcb_set_state(h, tcb, TCPS_CLOSED, "timeout FIN_WAIT_2", "T31");
		break;
	case TIMER_TLP:
		/* The linux profile's tail loss probe (tcp_tlp.c). */
		tcp_tlp_timeout(h, tcb);
		break;
	case TIMER_DELACK:
		/* The linux profile's delayed ACK (tcp_delack.c); no state
		 * changes, no row of the table. */
		tcp_delack_timeout(h, tcb);
		break;
	case TIMER_USER:
		/* "USER TIMEOUT: For any state if the user timeout expires,
		 * flush all queues, signal the user 'error: connection aborted
		 * due to user timeout' ..., delete the TCB, enter the CLOSED
		 * state" (T54). */
		tcb_set_state(h, tcb, TCPS_CLOSED, "timeout user", "T54");
		break;
	}
}

void tcp_timer_fire(struct tcp_host *h, struct tcb *tcb, enum timer_kind k)
{
	tcb->timer_on[k] = false;
	/* linux: the probe first; it restarts the RTO (tcp_tlp_timeout()). */
	if (k == TIMER_RTO && h->profile == PROFILE_LINUX && tcp_tlp_first(h, tcb))
		k = TIMER_TLP;
	struct trace_event tev = { .type = TRACE_TIMER, .t_us = h->now, .endpoint = tcb->ep };
	tev.u.timer.timer = k;
	tev.u.timer.event = TIMER_FIRE;
	trace_emit(h->trace, &tev);
	timeout(h, tcb, k);
}
