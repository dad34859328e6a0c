/* tcp_tcb.c - the one place a TCB changes state, and its timers. */
#include "host/stack.h"
#include "tcp/tcp.h"

static void emit_timer(struct stack *st, struct tcb *tcb, enum timer_kind k, enum timer_event what, usec_t due)
{
	if (!trace_wants(st->trace, trace_bit(TRACE_TIMER)))
		return;
	struct trace_event ev = { .type = TRACE_TIMER, .t_us = st->now, .endpoint = tcb->ep };
	ev.u.timer.timer = k;
	ev.u.timer.event = what;
	ev.u.timer.due = due;
	trace_emit(st->trace, &ev);
}

_Static_assert(TIMER_KINDS <= EVQ_TIMER_KINDS, "the event queue keys timers by kind");

/* A timer has one queued event at most: setting it again moves that event,
 * cancelling removes it (eventq.h), so idle connections leave nothing behind
 * in the queue. The generation guards the fire all the same (sim.c). */
void tcb_timer_set(struct stack *st, struct tcb *tcb, enum timer_kind k, usec_t after)
{
	usec_t due = st->now + after;
	tcb->timer_gen[k]++;
	tcb->timer_on[k] = true;
	tcb->timer_due[k] = due;
	if (k == TIMER_TIME_WAIT) {
		/* Queued on the TIME_WAIT lane when the TCB shrinks to its
		 * record after this event, with the order stamp of now. */
		tcb->tw_order = eventq_reserve(st->q, 1);
		stack_settle_later(st, tcb);
	} else if (eventq_timer_set(st->q, tcb->id, (uint32_t)k, due, tcb->timer_gen[k]) < 0) {
		st->oom = true;
	}
	emit_timer(st, tcb, k, TIMER_SET, due);
	/* The user timeout runs while something is unacknowledged: it
	 * starts with the retransmission timer and stops with it. */
	if (k == TIMER_RTO && st->params->user_timeout && !tcb->timer_on[TIMER_USER])
		tcb_timer_set(st, tcb, TIMER_USER, st->params->user_timeout);
}

void tcb_timer_cancel(struct stack *st, struct tcb *tcb, enum timer_kind k)
{
	if (!tcb->timer_on[k])
		return;
	tcb->timer_gen[k]++;
	tcb->timer_on[k] = false;
	eventq_timer_cancel(st->q, tcb->id, (uint32_t)k);
	emit_timer(st, tcb, k, TIMER_CANCEL, 0);
	if (k == TIMER_RTO)
		tcb_timer_cancel(st, tcb, TIMER_USER);
}

void tcb_timers_cancel_all(struct stack *st, struct tcb *tcb)
{
	for (int k = 0; k < TIMER_KINDS; k++)
		tcb_timer_cancel(st, tcb, (enum timer_kind)k);
}

void tcp_note_arc(struct stack *st, int ep, enum tcp_state state, const char *arc, const char *cause)
{
	struct trace_event ev = { .type = TRACE_ARC, .t_us = st->now, .endpoint = ep };
	ev.u.arc.state = state;
	ev.u.arc.arc = arc;
	ev.u.arc.cause = cause;
	trace_emit(st->trace, &ev);
}

void tcb_set_state(struct stack *st, struct tcb *tcb, enum tcp_state to, const char *cause, const char *arc)
{
	enum tcp_state from = tcb->state;
	tcb->state = to;
	/* The listen queue (`backlog`): a passive connection counts while it
	 * is in SYN-RECEIVED. */
	if (from == TCPS_LISTEN && to == TCPS_SYN_RECEIVED) {
		tcb->in_listen_queue = true;
		st->syn_received++;
	} else if (tcb->in_listen_queue && to != TCPS_SYN_RECEIVED) {
		tcb->in_listen_queue = false;
		st->syn_received--;
	}

	struct trace_event ev;            /* each field set: no zeroing of the whole union */
	ev.type = TRACE_STATE;
	ev.t_us = st->now;
	ev.endpoint = tcb->ep;
	ev.u.state.from = from;
	ev.u.state.to = to;
	ev.u.state.cause = cause;
	ev.u.state.arc = arc;
	trace_emit(st->trace, &ev);
	if (st->app_state)
		st->app_state(st->app_state_ctx, tcb->ep, to);

	switch (to) {
	case TCPS_CLOSED:
		/* "delete the TCB" */
		tcb_timers_cancel_all(st, tcb);
		stack_tcb_release(st, tcb);
		break;
	case TCPS_LISTEN:
		/* A passive connection returning to LISTEN (T11, T23): as with
		 * sockets, the connection is gone and the listener remains. */
		if (!tcb->listener) {
			tcb_timers_cancel_all(st, tcb);
			stack_tcb_release(st, tcb);
		}
		break;
	case TCPS_TIME_WAIT:
		/* Section 3.10.7.4, eighth step: "start the time-wait timer, turn
		 * off the other timers". */
		tcb_timer_cancel(st, tcb, TIMER_RTO);
		tcb_timer_cancel(st, tcb, TIMER_FIN_WAIT_2);
		tcb_timer_set(st, tcb, TIMER_TIME_WAIT, st->params->time_wait);
		break;
	case TCPS_FIN_WAIT_2:
		/* No RFC timer here; the linux profile bounds an orphaned
		 * FIN-WAIT-2 with tcp_fin_timeout (T31). */
		if (st->params->fin_wait_2_timeout)
			tcb_timer_set(st, tcb, TIMER_FIN_WAIT_2, st->params->fin_wait_2_timeout);
		break;
	default:
		break;
	}
}
