/* tcp_user.c - user calls, RFC 9293 sections 3.10.1 to 3.10.5. */
#include "proto/seq.h"
#include "tcp/tcp.h"

const char *tcp_error_text(int err)
{
	switch (err) {
	case TCP_OK: return "ok";
	case TCP_ERR_EXISTS: return "connection already exists";
	case TCP_ERR_NOCONN: return "connection does not exist";
	case TCP_ERR_CLOSING: return "connection closing";
	case TCP_ERR_NOMEM: return "out of memory";
	}
	return "error";
}

int tcp_call_error(const struct tcb *tcb, enum user_call call)
{
	enum tcp_state s = tcb ? tcb->state : TCPS_CLOSED;
	switch (call) {
	case CALL_LISTEN:
		return s == TCPS_CLOSED ? TCP_OK : TCP_ERR_EXISTS;           /* U01 */
	case CALL_CONNECT:
		return s <= TCPS_LISTEN ? TCP_OK : TCP_ERR_EXISTS;           /* U01 */
	case CALL_SEND:
		if (s == TCPS_CLOSED)
			return TCP_ERR_NOCONN;                               /* U07 */
		if (tcps_have_sent_fin(s) || tcb->close_deferred)
			return TCP_ERR_CLOSING;                              /* U04 */
		return TCP_OK;
	case CALL_CLOSE:
		if (s == TCPS_CLOSED)
			return TCP_ERR_NOCONN;                               /* U07 */
		return tcps_have_sent_fin(s) || tcb->close_deferred ? TCP_ERR_CLOSING : TCP_OK; /* U05 */
	case CALL_ABORT:
		return s == TCPS_CLOSED ? TCP_ERR_NOCONN : TCP_OK;           /* U07 */
	case CALL_INJECT:
		return TCP_OK;
	}
	return TCP_OK;
}

uint32_t tcp_iss(usec_t now, uint32_t isn, bool first, bool floor_set, uint32_t floor)
{
	uint32_t iss = first ? isn : isn + (uint32_t)(now / 4);
	return floor_set && seq_lt(iss, floor) ? floor : iss;
}

/* Section 3.10.1, OPEN, passive: CLOSED -> LISTEN. */
int tcp_open_passive(struct tcp_host *h, struct tcb *tcb)
{
	int err = tcp_call_error(tcb, CALL_LISTEN);
	if (err)
		return err;
	h->ops->make_listener(h, tcb);
	tcb_set_state(h, tcb, TCPS_LISTEN, "listen", "T01");
	return TCP_OK;
}

/* Select an ISS, send <SEQ=ISS><CTL=SYN>, set SND.UNA=ISS, SND.NXT=ISS+1. */
static void send_syn(struct tcp_host *h, struct tcb *tcb, const char *cause, const char *arc)
{
	h->ops->make_connection(h, tcb);
	tcb->iss = h->ops->choose_iss(h, tcb->ep);
	tcb->snd_una = tcb->iss;
	tcb->snd_nxt = tcb->snd_max = tcb->iss + 1;
	tcb->snd_buf_seq = tcb->iss + 1;
	/* No timeout yet: nothing to resend per ACK (a zero `recover` lies
	 * "after" any ISS of 2^31 or more in sequence space). */
	tcb->recover = tcb->iss;
	tcb_set_state(h, tcb, TCPS_SYN_SENT, cause, arc);
	tcp_send_control(h, tcb, tcb->iss, 0, TH_SYN);
	tcb->rtt_timing = true;
	tcb->rtt_seq = tcb->snd_nxt;
	tcb->rtt_start = h->now;
	tcb_timer_set(h, tcb, TIMER_RTO, tcb->rto);
}

/* Section 3.10.1, OPEN, active: CLOSED -> SYN-SENT (T02), or a listener
 * turned active, LISTEN -> SYN-SENT (T22). */
int tcp_open_active(struct tcp_host *h, struct tcb *tcb)
{
	int err = tcp_call_error(tcb, CALL_CONNECT);
	if (err)
		return err;
	if (tcb->state == TCPS_CLOSED)
		send_syn(h, tcb, "connect", "T02");
	else
		send_syn(h, tcb, "connect", "T22");
	return TCP_OK;
}

/* Appends len bytes to the send queue (sndbuf.h: the pattern's cost no
 * memory, and the queue's length is 64-bit, so no size wraps it). */
static int queue_data(struct tcb *tcb, const uint8_t *data, uint32_t len)
{
	return sndbuf_append(&tcb->snd, data, len) ? TCP_ERR_NOMEM : TCP_OK;
}

/* Section 3.10.2, SEND. data NULL: len bytes of the pattern. */
int tcp_send(struct tcp_host *h, struct tcb *tcb, const uint8_t *data, uint32_t len)
{
	int err = tcp_call_error(tcb, CALL_SEND);
	if (err)
		return err;
	switch (tcb->state) {
	case TCPS_LISTEN:
		/* T05: the foreign socket is known (the peer), so the passive
		 * open turns active and the data waits for ESTABLISHED. */
		if (queue_data(tcb, data, len))
			return TCP_ERR_NOMEM;
		send_syn(h, tcb, "send", "T05");
		return TCP_OK;
	case TCPS_SYN_SENT:
	case TCPS_SYN_RECEIVED:
		return queue_data(tcb, data, len);              /* U03 */
	case TCPS_ESTABLISHED:
	case TCPS_CLOSE_WAIT:
		if (queue_data(tcb, data, len))
			return TCP_ERR_NOMEM;
		tcp_output(h, tcb);                            /* U09 */
		return TCP_OK;
	default:
		return TCP_ERR_CLOSING;
	}
}

/* Section 3.10.4, CLOSE. */
int tcp_close(struct tcp_host *h, struct tcb *tcb)
{
	int err = tcp_call_error(tcb, CALL_CLOSE);
	if (err)
		return err;
	switch (tcb->state) {
	case TCPS_LISTEN:
		tcb_set_state(h, tcb, TCPS_CLOSED, "close", "T03");
		return TCP_OK;
	case TCPS_SYN_SENT:
		tcb_set_state(h, tcb, TCPS_CLOSED, "close", "T06");
		return TCP_OK;
	case TCPS_SYN_RECEIVED:
		/* "If no SENDs have been issued and there is no pending data to
		 * send, then form a FIN segment and send it, and enter FIN-WAIT-1
		 * state; otherwise, queue for processing after entering
		 * ESTABLISHED state" (U06). */
		if (sndbuf_len(&tcb->snd)) {
			tcb->close_deferred = true;
			return TCP_OK;
		}
		tcb->fin_queued = true;
		tcb_set_state(h, tcb, TCPS_FIN_WAIT_1, "close", "T10");
		tcp_output(h, tcb);
		return TCP_OK;
	case TCPS_ESTABLISHED:
		/* "Queue this until all preceding SENDs have been segmentized,
		 * then form a FIN segment and send it. In any case, enter
		 * FIN-WAIT-1 state." */
		tcb->fin_queued = true;
		tcb_set_state(h, tcb, TCPS_FIN_WAIT_1, "close", "T12");
		tcp_output(h, tcb);
		return TCP_OK;
	case TCPS_CLOSE_WAIT:
		tcb->fin_queued = true;
		tcb_set_state(h, tcb, TCPS_LAST_ACK, "close", "T18");
		tcp_output(h, tcb);
		return TCP_OK;
	default:
		return TCP_ERR_CLOSING;
	}
}

/* Section 3.10.5, ABORT. */
int tcp_abort(struct tcp_host *h, struct tcb *tcb)
{
	static const char *const arc[TCP_NSTATES] = {
		[TCPS_LISTEN] = "T42", [TCPS_SYN_SENT] = "T43", [TCPS_SYN_RECEIVED] = "T44",
		[TCPS_ESTABLISHED] = "T45", [TCPS_FIN_WAIT_1] = "T46", [TCPS_FIN_WAIT_2] = "T47",
		[TCPS_CLOSE_WAIT] = "T48", [TCPS_CLOSING] = "T49", [TCPS_LAST_ACK] = "T50",
		[TCPS_TIME_WAIT] = "T51",
	};
	int err = tcp_call_error(tcb, CALL_ABORT);
	if (err)
		return err;
	enum tcp_state s = tcb->state;
	/* SYN-RECEIVED up to CLOSE-WAIT: "Send a reset segment:
	 * <SEQ=SND.NXT><CTL=RST>". The linux profile sends RST,ACK as the
	 * kernel does. LISTEN, SYN-SENT, CLOSING, LAST-ACK and TIME-WAIT send
	 * nothing. */
	bool reset = s == TCPS_SYN_RECEIVED || s == TCPS_ESTABLISHED || s == TCPS_FIN_WAIT_1 ||
		     s == TCPS_FIN_WAIT_2 || s == TCPS_CLOSE_WAIT;
	if (reset) {
		if (h->profile == PROFILE_LINUX)
			tcp_send_control(h, tcb, tcb->snd_nxt, tcb->rcv_nxt, TH_RST | TH_ACK);
		else
			tcp_send_control(h, tcb, tcb->snd_nxt, 0, TH_RST);
	}
	tcb_set_state(h, tcb, TCPS_CLOSED, "abort", arc[s]);
	return TCP_OK;
}
