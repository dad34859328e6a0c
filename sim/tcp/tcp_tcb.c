/* tcp_tcb.c - the one place a TCB changes state, and its timers. */
#include <stdlib.h>
#include <string.h>
#include "tcp/tcp.h"

void tcb_reset(const struct tcp_host *h, struct tcb *tcb, uint32_t id)
{
	uint32_t gen = tcb->gen + 1, tg[TIMER_KINDS];
	memcpy(tg, tcb->timer_gen, sizeof tg);
	memset(tcb, 0, sizeof *tcb);
	memcpy(tcb->timer_gen, tg, sizeof tg);
	tcb->id = id;
	tcb->gen = gen;
	tcb->in_use = true;
	tcb->state = TCPS_CLOSED;
	tcb->rcv_wnd = h->params->window;
	tcb->rto = h->params->rto_initial;
	tcb->snd_mss = 536;                    /* RFC 9293 section 3.7.1 default */
}

void tcb_free_buffers(struct tcb *tcb)
{
	sndbuf_free(&tcb->snd);
	while (tcb->ooo) {
		struct ooo_seg *next = tcb->ooo->next;
		free(tcb->ooo);
		tcb->ooo = next;
	}
}

static void emit_timer(struct tcp_host *h, struct tcb *tcb, enum timer_kind k, enum timer_event what, usec_t due)
{
	if (!trace_wants(h->trace, trace_bit(TRACE_TIMER)))
		return;
	struct trace_event ev = { .type = TRACE_TIMER, .t_us = h->now, .endpoint = tcb->ep };
	ev.u.timer.timer = k;
	ev.u.timer.event = what;
	ev.u.timer.due = due;
	trace_emit(h->trace, &ev);
}

/* The host queues the timer (tcp_host.h); the TCB keeps its due time and
 * generation, which the host's fire is checked against. */
void tcb_timer_set(struct tcp_host *h, struct tcb *tcb, enum timer_kind k, usec_t after)
{
	usec_t due = h->now + after;
	tcb->timer_gen[k]++;
	tcb->timer_on[k] = true;
	tcb->timer_due[k] = due;
	h->ops->timer_set(h, tcb, k);
	emit_timer(h, tcb, k, TIMER_SET, due);
	/* The user timeout runs while something is unacknowledged: it
	 * starts with the retransmission timer and stops with it. */
	if (k == TIMER_RTO && h->params->user_timeout && !tcb->timer_on[TIMER_USER])
		tcb_timer_set(h, tcb, TIMER_USER, h->params->user_timeout);
}

void tcb_timer_drop(struct tcp_host *h, struct tcb *tcb, enum timer_kind k)
{
	tcb->timer_gen[k]++;
	tcb->timer_on[k] = false;
	h->ops->timer_cancel(h, tcb, k);
}

void tcb_timer_cancel(struct tcp_host *h, struct tcb *tcb, enum timer_kind k)
{
	if (!tcb->timer_on[k])
		return;
	tcb_timer_drop(h, tcb, k);
	emit_timer(h, tcb, k, TIMER_CANCEL, 0);
	if (k == TIMER_RTO)
		tcb_timer_cancel(h, tcb, TIMER_USER);
}

void tcb_timers_cancel_all(struct tcp_host *h, struct tcb *tcb)
{
	for (int k = 0; k < TIMER_KINDS; k++)
		tcb_timer_cancel(h, tcb, (enum timer_kind)k);
}

void tcp_note_arc(struct tcp_host *h, int ep, enum tcp_state state, const char *arc, const char *cause)
{
	struct trace_event ev = { .type = TRACE_ARC, .t_us = h->now, .endpoint = ep };
	ev.u.arc.state = state;
	ev.u.arc.arc = arc;
	ev.u.arc.cause = cause;
	trace_emit(h->trace, &ev);
}

void tcb_set_state(struct tcp_host *h, struct tcb *tcb, enum tcp_state to, const char *cause, const char *arc)
{
	enum tcp_state from = tcb->state;
	tcb->state = to;
	/* The listen queue (`backlog`): a passive connection counts while it
	 * is in SYN-RECEIVED. */
	if (from == TCPS_LISTEN && to == TCPS_SYN_RECEIVED) {
		tcb->in_listen_queue = true;
		h->syn_received++;
	} else if (tcb->in_listen_queue && to != TCPS_SYN_RECEIVED) {
		tcb->in_listen_queue = false;
		h->syn_received--;
	}

	struct trace_event ev;            /* each field set: no zeroing of the whole union */
	ev.type = TRACE_STATE;
	ev.t_us = h->now;
	ev.endpoint = tcb->ep;
	ev.u.state.from = from;
	ev.u.state.to = to;
	ev.u.state.cause = cause;
	ev.u.state.arc = arc;
	trace_emit(h->trace, &ev);
	if (h->app_state)
		h->app_state(h->app_state_ctx, tcb->ep, to);

	switch (to) {
	case TCPS_CLOSED:
		/* "delete the TCB" */
		tcb_timers_cancel_all(h, tcb);
		h->ops->tcb_release(h, tcb);
		break;
	case TCPS_LISTEN:
		/* A passive connection returning to LISTEN (T11, T23): as with
		 * sockets, the connection is gone and the listener remains. */
		if (!tcb->listener) {
			tcb_timers_cancel_all(h, tcb);
			h->ops->tcb_release(h, tcb);
		}
		break;
	case TCPS_TIME_WAIT:
		/* Section 3.10.7.4, eighth step: "start the time-wait timer, turn
		 * off the other timers". */
		tcb_timer_cancel(h, tcb, TIMER_RTO);
		tcb_timer_cancel(h, tcb, TIMER_FIN_WAIT_2);
		tcb_timer_cancel(h, tcb, TIMER_DELACK);
		tcb_timer_cancel(h, tcb, TIMER_TLP);
		tcb_timer_set(h, tcb, TIMER_TIME_WAIT, h->params->time_wait);
		break;
	case TCPS_FIN_WAIT_2:
		/* No RFC timer here; the linux profile bounds an orphaned
		 * FIN-WAIT-2 with tcp_fin_timeout (T31). */
		if (h->params->fin_wait_2_timeout && !tcb->fin_wait_2_passing)
			tcb_timer_set(h, tcb, TIMER_FIN_WAIT_2, h->params->fin_wait_2_timeout);
		break;
	default:
		break;
	}
}
