/* tcp_input.c - SEGMENT ARRIVES, RFC 9293 section 3.10.7, in the RFC's order.
 *
 * Decisions the RFC leaves open are written down in docs/decisions.md; each
 * is marked here with its note (N1 ... N6 of the reference). */
#include <stdlib.h>
#include <string.h>
#include "proto/seq.h"
#include "tcp/tcp.h"
#include "tcp/tcp_input_int.h"

/* ---- answers that do not need a TCB ------------------------------------ */

/* The reset that answers seg (sections 3.10.7.1 and 3.5.2): <SEQ=SEG.ACK>
 * <CTL=RST> if seg carries an ACK, else <SEQ=0><ACK=SEG.SEQ+SEG.LEN>
 * <CTL=RST,ACK>. Sent from endpoint ep to seg's sender. */
void tcp_in_reset_reply(struct tcp_host *h, int ep, const struct segment *seg)
{
	struct segment r = {
		.src_ip = seg->dst_ip, .dst_ip = seg->src_ip,
		.src_port = seg->dst_port, .dst_port = seg->src_port,
	};
	if (seg->flags & TH_ACK) {
		r.seq = seg->ack;
		r.flags = TH_RST;
	} else {
		r.seq = 0;
		r.ack = seg->seq + seg_seqlen(seg);
		r.flags = TH_RST | TH_ACK;
	}
	h->ops->output(h, ep, &r);
}

/* Section 3.10.7.1, CLOSED: "all data in the incoming segment is discarded.
 * An incoming segment containing a RST is discarded (T41). An incoming
 * segment not containing a RST causes a RST to be sent in response (S01,
 * S02)." */
void tcp_input_closed(struct tcp_host *h, int ep, const struct segment *seg)
{
	if (seg->flags & TH_RST) {
		tcp_note_arc(h, ep, TCPS_CLOSED, "T41", "rcv RST, no connection");
		return;
	}
	if (seg->flags & TH_ACK)
		tcp_note_arc(h, ep, TCPS_CLOSED, "S01", "rcv ACK, no connection");
	else
		tcp_note_arc(h, ep, TCPS_CLOSED, "S02", "rcv segment, no connection");
	tcp_in_reset_reply(h, ep, seg);
}

/* <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>: the answer to an unacceptable segment
 * and the RFC 5961 challenge ACK. */
void tcp_in_ack_now(struct tcp_host *h, struct tcb *tcb)
{
	tcp_send_control(h, tcb, tcb->snd_nxt, tcb->rcv_nxt, TH_ACK);
}

/* ---- LISTEN, section 3.10.7.2 ------------------------------------------- */

/* Third step in LISTEN, a SYN (T04). As with sockets, the listener stays in
 * LISTEN and a copy of it becomes the connection. Text on the SYN is not
 * kept (docs/decisions.md). */
static void listen_syn(struct tcp_host *h, struct tcb *listener, const struct segment *seg)
{
	struct tcb *tcb = h->ops->tcb_from_listener(h, listener, seg);
	if (!tcb)
		return;
	tcb->passive = true;
	tcb->irs = seg->seq;
	tcb->rcv_nxt = seg->seq + 1;
	tcb->iss = h->ops->choose_iss(h, tcb->ep);
	tcb->snd_una = tcb->iss;
	tcb->snd_nxt = tcb->snd_max = tcb->iss + 1;
	tcb->snd_buf_seq = tcb->iss + 1;
	tcb->recover = tcb->iss;                /* no timeout yet: nothing to resend per ACK */
	tcb->snd_wnd = tcb->max_snd_wnd = seg->win;
	tcb->snd_wl1 = seg->seq;
	tcb->snd_mss = seg->mss ? seg->mss : 536;
	if (tcb->snd_mss > h->params->mss)
		tcb->snd_mss = h->params->mss;
	tcb_set_state(h, tcb, TCPS_SYN_RECEIVED, "rcv SYN", "T04");
	tcp_send_control(h, tcb, tcb->iss, tcb->rcv_nxt, TH_SYN | TH_ACK);
	tcb->rtt_timing = true;
	tcb->rtt_seq = tcb->snd_nxt;
	tcb->rtt_start = h->now;
	tcb_timer_set(h, tcb, TIMER_RTO, tcb->rto);
}

static void input_listen(struct tcp_host *h, struct tcb *listener, const struct segment *seg)
{
	/* First, check for a RST: "An incoming RST segment could not be valid
	 * ... it should be ignored" (T32). */
	if (seg->flags & TH_RST) {
		tcp_note_arc(h, listener->ep, TCPS_LISTEN, "T32", "rcv RST");
		return;
	}
	/* Second, check for an ACK: "Any acknowledgment is bad if it arrives
	 * on a connection still in the LISTEN state. An acceptable reset
	 * segment should be formed for any arriving ACK-bearing segment"
	 * (S03). */
	if (seg->flags & TH_ACK) {
		tcp_note_arc(h, listener->ep, TCPS_LISTEN, "S03", "rcv ACK");
		tcp_in_reset_reply(h, listener->ep, seg);
		return;
	}
	/* Third, check for a SYN (T04). */
	if (seg->flags & TH_SYN) {
		listen_syn(h, listener, seg);
		return;
	}
	/* Fourth, other text or control: "drop the segment and return" (S04). */
	tcp_note_arc(h, listener->ep, TCPS_LISTEN, "S04", "rcv segment without SYN");
}

/* ---- shared by SYN-SENT and the synchronized states --------------------- */

/* Our SYN is acknowledged: take the handshake's RTT sample and set the RTO
 * that data starts with (RFC 6298 (5.7): 3 s after a SYN was retransmitted). */
void tcp_in_handshake_acked(struct tcp_host *h, struct tcb *tcb)
{
	if (tcb->rtt_timing && seq_ge(tcb->snd_una, tcb->rtt_seq))
		tcp_rtt_sample(h, tcb, h->now - tcb->rtt_start);
	tcb->rtt_timing = false;
	if (tcb->syn_retransmitted && !tcb->have_rtt) {
		tcb->rto = 3 * USEC_PER_SEC;
		if (tcb->rto < h->params->rto_min)
			tcb->rto = h->params->rto_min;
		if (tcb->rto > h->params->rto_max)
			tcb->rto = h->params->rto_max;
	}
	tcb->rtx_count = 0;
	tcb_timer_cancel(h, tcb, TIMER_RTO);
}

/* Drops the acknowledged bytes from the send queue (section 3.10.7.4, fifth
 * step: "Any segments on the retransmission queue that are thereby entirely
 * acknowledged are removed"). The ACK is acceptable, at most SND.NXT, so it
 * lies at most a window (or the FIN's one) past snd_buf_seq, and the 32-bit
 * difference is the count of bytes; the queue behind it may hold 2^32 bytes
 * or more, which is why it is never compared as sequence numbers. The queue
 * frees what it drops: an idle connection holds no buffer, and a million
 * of them in TIME_WAIT would otherwise keep a million. */
static void sndbuf_ack(struct tcb *tcb, uint32_t ack)
{
	if (!seq_gt(ack, tcb->snd_buf_seq))
		return;
	uint64_t n = ack - tcb->snd_buf_seq;
	if (n > sndbuf_len(&tcb->snd))
		n = sndbuf_len(&tcb->snd);         /* the ACK of our FIN */
	sndbuf_drop(&tcb->snd, n);
	tcb->snd_buf_seq += (uint32_t)n;
}

static bool our_fin_acked(const struct tcb *tcb)
{
	return tcb->fin_sent && seq_gt(tcb->snd_una, tcb->fin_seq);
}

/* Hands in-order bytes to the application, which reads them at once (a
 * `data` trace event), and advances RCV.NXT. */
static void deliver(struct tcp_host *h, struct tcb *tcb, const uint8_t *data, uint32_t len)
{
	tcb->rcv_nxt += len;
	struct trace_event ev = { .type = TRACE_DATA, .t_us = h->now, .endpoint = tcb->ep };
	ev.u.data.bytes = len;
	ev.u.data.data = data;
	trace_emit(h->trace, &ev);
}

/* Keeps text that begins beyond RCV.NXT for later (SHLD-31), in order. */
static void ooo_insert(struct tcb *tcb, uint32_t seq, const uint8_t *data, uint32_t len, bool fin)
{
	struct ooo_seg **pp = &tcb->ooo;
	while (*pp && seq_lt((*pp)->seq, seq))
		pp = &(*pp)->next;
	if (*pp && (*pp)->seq == seq && (*pp)->len >= len && ((*pp)->fin || !fin))
		return;                                 /* a duplicate */
	struct ooo_seg *o = malloc(sizeof *o + len);
	if (!o)
		return;                                 /* as if lost: it will be resent */
	o->seq = seq;
	o->len = len;
	o->fin = fin;
	if (len)
		memcpy(o->data, data, len);
	o->next = *pp;
	*pp = o;
}

static void receive_fin(struct tcp_host *h, struct tcb *tcb, const char *arc_override);

/* Section 3.10.7.4, seventh and eighth steps for the text [seq, seq+len)
 * and a FIN after it: in-order bytes go to the application, bytes beyond
 * RCV.NXT wait in the out-of-order queue, and the FIN counts once every
 * byte before it has arrived. */
static void receive_text(struct tcp_host *h, struct tcb *tcb, uint32_t seq, const uint8_t *data, uint32_t len,
			 bool fin, bool psh, const char *fin_arc)
{
	uint32_t wnd_end = tcb->rcv_nxt + tcb->rcv_wnd;
	if (len || fin)
		tcb->ack_now = true;
	/* Trim what lies beyond the window ("idealized segment"). */
	if (len && seq_gt(seq + len, wnd_end)) {
		len = seq_gt(wnd_end, seq) ? wnd_end - seq : 0;
		fin = false;
	}
	if (seq_gt(seq, tcb->rcv_nxt)) {
		ooo_insert(tcb, seq, data, len, fin);
		tcp_delack_ack_now(h, tcb);            /* linux: a hole, ACKed at once */
		return;
	}
	uint32_t skip = tcb->rcv_nxt - seq;
	if (skip < len) {
		deliver(h, tcb, data + skip, len - skip);
		tcp_delack_data_recv(h, tcb, len, psh);
		if (tcb->ooo)
			tcp_delack_ack_now(h, tcb);    /* linux: into the hole, ACKed at once */
	}
	else if (skip > len)
		fin = false;                            /* an old FIN: already counted */
	/* Pull what the out-of-order queue now continues. */
	while (tcb->ooo && !seq_gt(tcb->ooo->seq, tcb->rcv_nxt)) {
		struct ooo_seg *o = tcb->ooo;
		tcb->ooo = o->next;
		uint32_t oskip = tcb->rcv_nxt - o->seq;
		if (oskip < o->len)
			deliver(h, tcb, o->data + oskip, o->len - oskip);
		if (o->fin && oskip <= o->len)
			fin = true;
		free(o);
	}
	if (fin && !tcb->peer_fin)
		receive_fin(h, tcb, fin_arc);
}

/* Section 3.10.7.4, eighth step: the FIN, once it is in sequence. */
static void receive_fin(struct tcp_host *h, struct tcb *tcb, const char *arc_override)
{
	/* "advance RCV.NXT over the FIN, and send an acknowledgment for the
	 * FIN"; "signal the user connection closing". */
	tcb->rcv_nxt += 1;
	tcb->peer_fin = true;
	tcb->ack_now = true;
	tcp_delack_fin(h, tcb, tcb->state);
	while (tcb->ooo) {                       /* nothing can follow a FIN */
		struct ooo_seg *o = tcb->ooo;
		tcb->ooo = o->next;
		free(o);
	}
	switch (tcb->state) {
	case TCPS_SYN_SENT:                      /* a SYN,ACK,FIN (T27) */
	case TCPS_SYN_RECEIVED:                  /* the handshake completed by a FIN (T26) */
	case TCPS_ESTABLISHED:
		tcb_set_state(h, tcb, TCPS_CLOSE_WAIT, "rcv FIN", arc_override ? arc_override : "T13");
		break;
	case TCPS_FIN_WAIT_1:
		/* "If our FIN has been ACKed (perhaps in this segment), then
		 * enter TIME-WAIT ... otherwise, enter the CLOSING state." */
		if (our_fin_acked(tcb))
			tcb_set_state(h, tcb, TCPS_TIME_WAIT, "rcv FIN,ACK", "T16");
		else
			tcb_set_state(h, tcb, TCPS_CLOSING, "rcv FIN", "T15");
		break;
	case TCPS_FIN_WAIT_2:
		tcb_set_state(h, tcb, TCPS_TIME_WAIT, "rcv FIN", "T17");
		break;
	default:
		break;
	}
	h->ops->app_eof(h, tcb);
}

/* ---- SYN-SENT, section 3.10.7.3 ----------------------------------------- */

/* Fourth step in SYN-SENT, the SYN bit (the ACK, if any, was acceptable). */
static void syn_sent_syn(struct tcp_host *h, struct tcb *tcb, const struct segment *seg)
{
	bool ack = seg->flags & TH_ACK;
	tcb->irs = seg->seq;
	tcb->rcv_nxt = seg->seq + 1;
	tcb->snd_mss = seg->mss ? seg->mss : 536;
	if (tcb->snd_mss > h->params->mss)
		tcb->snd_mss = h->params->mss;
	tcb->snd_wnd = tcb->max_snd_wnd = seg->win;
	tcb->snd_wl1 = seg->seq;
	tcb->snd_wl2 = seg->ack;
	if (ack) {
		tcb->snd_una = seg->ack;
		sndbuf_ack(tcb, seg->ack);
	}
	if (seq_gt(tcb->snd_una, tcb->iss)) {
		/* "If SND.UNA > ISS (our SYN has been ACKed), change the
		 * connection state to ESTABLISHED, form an ACK segment ... and
		 * send it" (T08). A FIN on the SYN,ACK takes the connection on
		 * to CLOSE-WAIT in one arc (T27). */
		if (h->profile == PROFILE_LINUX) {
			syn_sent_synack_linux(h, tcb);
			return;
		}
		tcp_in_handshake_acked(h, tcb);
		const uint8_t *text = seg->data;
		bool fin = seg->flags & TH_FIN;
		if (fin && seg->len == 0) {
			tcb->ack_now = true;
			receive_text(h, tcb, seg->seq + 1, text, 0, true, false, "T27");
		} else {
			tcb_set_state(h, tcb, TCPS_ESTABLISHED, "rcv SYN,ACK", "T08");
			tcb->ack_now = true;
			receive_text(h, tcb, seg->seq + 1, text, seg->len, fin, false, NULL);
		}
		return;
	}
	/* "Otherwise, enter SYN-RECEIVED, form a SYN,ACK segment
	 * <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK> and send it" (T07, simultaneous
	 * open). The SYN,ACK resends our SYN's sequence number: no RTT sample
	 * from it (Karn). */
	tcb->rtt_timing = false;
	tcb_set_state(h, tcb, TCPS_SYN_RECEIVED, "rcv SYN", "T07");
	tcp_send_control(h, tcb, tcb->iss, tcb->rcv_nxt, TH_SYN | TH_ACK);
}

static void input_syn_sent(struct tcp_host *h, struct tcb *tcb, const struct segment *seg)
{
	bool ack = seg->flags & TH_ACK;
	/* First, check the ACK bit: "If SEG.ACK =< ISS or SEG.ACK > SND.NXT,
	 * send a reset (unless the RST bit is set, if so drop the segment and
	 * return)" (S05). */
	if (ack && (seq_le(seg->ack, tcb->iss) || seq_gt(seg->ack, tcb->snd_nxt))) {
		if (seg->flags & TH_RST) {
			tcp_note_arc(h, tcb->ep, tcb->state, "T33", "rcv RST with unacceptable ACK");
		} else {
			tcp_note_arc(h, tcb->ep, tcb->state, "S05", "rcv unacceptable ACK");
			tcp_in_reset_reply(h, tcb->ep, seg);
		}
		if (h->profile == PROFILE_LINUX)
			syn_sent_bad_ack_linux(h, tcb);
		return;
	}
	/* Second, check the RST bit: "If the ACK was acceptable, then signal
	 * to the user 'error: connection reset', drop the segment, enter
	 * CLOSED state" (T25); else drop it (T33). Erratum 8167: no RCV.NXT
	 * test here (N4). */
	if (seg->flags & TH_RST) {
		if (ack)
			tcb_set_state(h, tcb, TCPS_CLOSED, "rcv RST", "T25");
		else
			tcp_note_arc(h, tcb->ep, tcb->state, "T33", "rcv RST without ACK");
		return;
	}
	/* Third, security: always matches here. Fourth, check the SYN bit. */
	if (seg->flags & TH_SYN) {
		syn_sent_syn(h, tcb, seg);
		return;
	}
	/* Fifth: "If neither of the SYN or RST bits is set, then drop the
	 * segment and return" (S06). */
	tcp_note_arc(h, tcb->ep, tcb->state, "S06", "rcv segment without SYN");
}

/* ---- SYN-RECEIVED and the synchronized states, section 3.10.7.4 --------- */

/* Table 6: is the segment [seq, seq+seqlen) acceptable? */
static bool seq_acceptable(const struct tcb *tcb, uint32_t seq, uint32_t seqlen)
{
	uint32_t nxt = tcb->rcv_nxt, wnd = tcb->rcv_wnd;
	if (seqlen == 0)
		return wnd == 0 ? seq == nxt : seq_in_window(seq, nxt, wnd);
	if (wnd == 0)
		return false;
	return seq_in_window(seq, nxt, wnd) || seq_in_window(seq + seqlen - 1, nxt, wnd);
}

/* First step, when the segment is not acceptable. */
static void unacceptable(struct tcp_host *h, struct tcb *tcb, const struct segment *seg)
{
	/* "If an incoming segment is not acceptable, an acknowledgment should
	 * be sent in reply (unless the RST bit is set, if so drop the segment
	 * and return)" (S09, S10, S15). */
	if (seg->flags & TH_RST) {
		tcp_note_arc(h, tcb->ep, tcb->state, "S10", "rcv RST outside the window");
		return;
	}
	bool retransmitted_fin = (seg->flags & TH_FIN) && seg->seq + seg_seqlen(seg) == tcb->rcv_nxt;
	bool fin_received = tcb->state == TCPS_CLOSE_WAIT || tcb->state == TCPS_CLOSING ||
			    tcb->state == TCPS_LAST_ACK;
	if (tcb->state == TCPS_TIME_WAIT && retransmitted_fin)
		tcp_note_arc(h, tcb->ep, tcb->state, "S16", "rcv FIN again");
	else if (fin_received && retransmitted_fin)
		tcp_note_arc(h, tcb->ep, tcb->state, "S15", "rcv FIN again");
	else if (tcb->state == TCPS_SYN_RECEIVED && (seg->flags & TH_SYN) && seg->seq == tcb->irs)
		tcp_note_arc(h, tcb->ep, tcb->state, "S08", "rcv SYN again");
	else
		tcp_note_arc(h, tcb->ep, tcb->state, "S09", "rcv unacceptable segment");
	/* linux: tcp_validate_incoming() sends this ACK unless
	 * tcp_oow_rate_limited() (tcp_oow.c); a SYN takes the challenge path. */
	if (!((seg->flags & TH_SYN) ? tcp_oow_rate_limited_any(h, tcb) : tcp_oow_rate_limited(h, tcb, seg))) {
		/* linux: tcp_send_dupack() enters quick-ack mode for a
		 * segment that repeats received text or a FIN. */
		if (!(seg->flags & TH_SYN) && seg_seqlen(seg) && seq_lt(seg->seq, tcb->rcv_nxt))
			tcp_delack_quickack(h, tcb);
		tcp_in_ack_now(h, tcb);
	}
	if (tcb->state != TCPS_TIME_WAIT)
		return;
	/* TIME-WAIT: "The only thing that can arrive in this state is a
	 * retransmission of the remote FIN. Acknowledge it, and restart the 2
	 * MSL timeout" (S16). Literally step 1 would reject that FIN first;
	 * we follow the fifth step's intent (N3). */
	if (retransmitted_fin)
		tcb_timer_set(h, tcb, TIMER_TIME_WAIT, h->params->time_wait);
}

/* Second step, the RST bit (RFC 5961 section 3.2). Returns true when the
 * segment was consumed. */
static bool check_rst(struct tcp_host *h, struct tcb *tcb, const struct segment *seg)
{
	if (!(seg->flags & TH_RST))
		return false;
	/* "If the RST bit is set and the sequence number does not exactly
	 * match the next expected sequence value, yet is within the current
	 * receive window, TCP endpoints MUST send an acknowledgment (challenge
	 * ACK)" (S11). Out-of-window resets were dropped in step 1 (S10). */
	if (seg->seq != tcb->rcv_nxt) {
		tcp_note_arc(h, tcb->ep, tcb->state, "S11", "rcv RST in window, not at RCV.NXT");
		if (!tcp_oow_rate_limited_any(h, tcb))   /* linux: tcp_send_challenge_ack() */
			tcp_in_ack_now(h, tcb);
		return true;
	}
	switch (tcb->state) {
	case TCPS_SYN_RECEIVED:
		/* "If this connection was initiated with a passive OPEN, then
		 * return this connection to the LISTEN state" (T11); from an
		 * active OPEN: "connection refused" (T24). */
		if (tcb->passive)
			tcb_set_state(h, tcb, TCPS_LISTEN, "rcv RST", "T11");
		else
			tcb_set_state(h, tcb, TCPS_CLOSED, "rcv RST", "T24");
		break;
	case TCPS_ESTABLISHED: tcb_set_state(h, tcb, TCPS_CLOSED, "rcv RST", "T34"); break;
	case TCPS_FIN_WAIT_1: tcb_set_state(h, tcb, TCPS_CLOSED, "rcv RST", "T35"); break;
	case TCPS_FIN_WAIT_2: tcb_set_state(h, tcb, TCPS_CLOSED, "rcv RST", "T36"); break;
	case TCPS_CLOSE_WAIT: tcb_set_state(h, tcb, TCPS_CLOSED, "rcv RST", "T37"); break;
	case TCPS_CLOSING: tcb_set_state(h, tcb, TCPS_CLOSED, "rcv RST", "T38"); break;
	case TCPS_LAST_ACK: tcb_set_state(h, tcb, TCPS_CLOSED, "rcv RST", "T39"); break;
	case TCPS_TIME_WAIT: tcb_set_state(h, tcb, TCPS_CLOSED, "rcv RST", "T40"); break;
	default: break;
	}
	return true;
}

/* Fourth step, the SYN bit (RFC 5961 section 4.2). Returns true when the
 * segment was consumed. */
static bool check_syn(struct tcp_host *h, struct tcb *tcb, const struct segment *seg)
{
	if (!(seg->flags & TH_SYN))
		return false;
	/* "If the SYN bit is set, irrespective of the sequence number, TCP
	 * endpoints MUST send a challenge ACK" (S12); a passive SYN-RECEIVED
	 * returns to LISTEN instead (T23). */
	if (tcb->state == TCPS_SYN_RECEIVED && tcb->passive && h->profile == PROFILE_LINUX) {
		syn_received_syn_linux(h, tcb, seg);
	} else if (tcb->state == TCPS_SYN_RECEIVED && tcb->passive) {
		tcb_set_state(h, tcb, TCPS_LISTEN, "rcv SYN", "T23");
	} else {
		tcp_note_arc(h, tcb->ep, tcb->state, "S12", "rcv SYN");
		if (!tcp_oow_rate_limited_any(h, tcb))   /* linux: tcp_send_challenge_ack() */
			tcp_in_ack_now(h, tcb);
	}
	return true;
}

/* Fifth step, SYN-RECEIVED: the ACK of our SYN. Returns false when the
 * segment was consumed. `defer` leaves the move to ESTABLISHED to the
 * eighth step, when the same segment carries the FIN (T26). */
bool tcp_in_ack_in_syn_received(struct tcp_host *h, struct tcb *tcb, const struct segment *seg,
				const char *cause, const char *arc, bool defer)
{
	/* "If SND.UNA < SEG.ACK =< SND.NXT, then enter ESTABLISHED state and
	 * continue processing with the variables below set to: SND.WND <-
	 * SEG.WND, SND.WL1 <- SEG.SEQ, SND.WL2 <- SEG.ACK" (T09); "If the
	 * segment acknowledgment is not acceptable, form a reset segment
	 * <SEQ=SEG.ACK><CTL=RST> and send it" (S07). */
	if (!(seq_lt(tcb->snd_una, seg->ack) && seq_le(seg->ack, tcb->snd_nxt))) {
		tcp_note_arc(h, tcb->ep, tcb->state, "S07", "rcv unacceptable ACK");
		tcp_in_reset_reply(h, tcb->ep, seg);
		return false;
	}
	tcb->snd_wnd = seg->win;
	tcb->snd_wl1 = seg->seq;
	tcb->snd_wl2 = seg->ack;
	if (seg->win > tcb->max_snd_wnd)
		tcb->max_snd_wnd = seg->win;
	tcb->snd_una = seq_lt(tcb->iss + 1, seg->ack) ? tcb->iss + 1 : seg->ack;
	tcp_in_handshake_acked(h, tcb);
	if (!defer)
		tcb_set_state(h, tcb, TCPS_ESTABLISHED, cause, arc);
	return true;
}

/* Fifth step in the synchronized states: the ESTABLISHED processing of
 * SEG.ACK. Returns false when the segment was consumed. */
bool tcp_in_process_ack(struct tcp_host *h, struct tcb *tcb, const struct segment *seg)
{
	/* RFC 5961 section 5.2: acceptable only when SND.UNA - MAX.SND.WND =<
	 * SEG.ACK =< SND.NXT; "If SEG.ACK > SND.NXT then send an ACK, drop
	 * the segment, and return" (S13). */
	if (seq_gt(seg->ack, tcb->snd_nxt) || seq_lt(seg->ack, tcb->snd_una - tcb->max_snd_wnd)) {
		tcp_note_arc(h, tcb->ep, tcb->state, "S13", "rcv ACK of something not sent");
		if (!tcp_oow_rate_limited_any(h, tcb))   /* linux: tcp_ack()'s tcp_send_challenge_ack() */
			tcp_in_ack_now(h, tcb);
		return false;
	}
	/* S14: a duplicate ACK, SEG.ACK =< SND.UNA, of a segment that carries
	 * nothing else while data is outstanding, or an old one. */
	if (seg->len == 0 && !(seg->flags & (TH_FIN | TH_SYN)) &&
	    (seq_lt(seg->ack, tcb->snd_una) || (seg->ack == tcb->snd_una && tcb->snd_una != tcb->snd_max)))
		tcp_note_arc(h, tcb->ep, tcb->state, "S14", "rcv duplicate ACK");
	if (seq_lt(tcb->snd_una, seg->ack)) {
		/* New data acknowledged: "SND.UNA <- SEG.ACK", RFC 6298 (5.2),
		 * (5.3), and Karn's sample. */
		if (tcb->rtt_timing && seq_ge(seg->ack, tcb->rtt_seq)) {
			tcb->rtt_timing = false;
			tcp_rtt_sample(h, tcb, h->now - tcb->rtt_start);
		}
		sndbuf_ack(tcb, seg->ack);
		tcb->snd_una = seg->ack;
		tcb->rtx_count = 0;
		if (tcb->snd_una == tcb->snd_max) {
			tcb_timer_cancel(h, tcb, TIMER_RTO);
		} else {
			tcb_timer_cancel(h, tcb, TIMER_USER);   /* data got through */
			tcb_timer_set(h, tcb, TIMER_RTO, tcb->rto);
		}
		tcp_tlp_acked(h, tcb, seg->ack);       /* linux (tcp_tlp.c) */
		/* After a timeout, resend one segment per ACK until everything
		 * sent before the timeout is acknowledged (docs/decisions.md). */
		if (seq_lt(tcb->snd_una, tcb->recover) && seq_lt(tcb->snd_una, tcb->snd_max))
			tcp_retransmit_front(h, tcb);
		else if (!seq_lt(tcb->snd_una, tcb->recover))
			/* Passed: recover trails SND.UNA, so that after 2^31
			 * bytes a stale value (the ISS, or an old timeout's)
			 * never reads as ahead of it in sequence space. */
			tcb->recover = tcb->snd_una;
		if (tcb->snd_una != tcb->snd_max)
			tcp_tlp_schedule(h, tcb, true);  /* linux: tcp_set_xmit_timer() */
	}
	/* (S14: a duplicate ACK changes nothing but the window.) Window
	 * update: "If SND.UNA =< SEG.ACK =< SND.NXT ... if (SND.WL1 < SEG.SEQ
	 * or (SND.WL1 = SEG.SEQ and SND.WL2 =< SEG.ACK))". */
	if (seq_le(tcb->snd_una, seg->ack) &&
	    (seq_lt(tcb->snd_wl1, seg->seq) || (tcb->snd_wl1 == seg->seq && seq_le(tcb->snd_wl2, seg->ack)))) {
		tcb->snd_wnd = seg->win;
		tcb->snd_wl1 = seg->seq;
		tcb->snd_wl2 = seg->ack;
		if (seg->win > tcb->max_snd_wnd)
			tcb->max_snd_wnd = seg->win;
	}
	return true;
}

/* FIN-WAIT-1 -> FIN-WAIT-2 on the ACK of our FIN (T14). In the linux
 * profile also when the same segment carries the peer's FIN:
 * tcp_rcv_state_process()'s case TCP_FIN_WAIT1 (net/ipv4/tcp_input.c) sets
 * TCP_FIN_WAIT2 once tcp_ack() has taken the ACK, and only then does
 * tcp_data_queue()'s tcp_fin() see the FIN, in FIN_WAIT2 (T17), where the
 * RFC's eighth step goes from FIN-WAIT-1 to TIME-WAIT in one (T16). The
 * tracepoint reports both changes (compare's K9 before this). */
static void fin_wait_1_acked(struct tcp_host *h, struct tcb *tcb, bool fin_follows)
{
	/* Passing through (the FIN is taken below, at this instant), it
	 * starts no FIN-WAIT-2 timer. */
	tcb->fin_wait_2_passing = fin_follows;
	tcb_set_state(h, tcb, TCPS_FIN_WAIT_2, "rcv ACK of FIN", "T14");
	tcb->fin_wait_2_passing = false;
}

/* True when seg's FIN will be taken in the eighth step now: it begins at or
 * before RCV.NXT and its FIN lies at or after RCV.NXT, and the FIN is not
 * trimmed off with text beyond the window as receive_text() does (section
 * 3.10.7.4 first step, "idealized segment ... including SYN and FIN"). */
static bool fin_in_sequence(const struct tcb *tcb, const struct segment *seg, uint32_t seq)
{
	return (seg->flags & TH_FIN) && seq_le(seq, tcb->rcv_nxt) && seq_ge(seq + seg->len, tcb->rcv_nxt) &&
	       !seq_gt(seq + seg->len, tcb->rcv_nxt + tcb->rcv_wnd);
}

static void input_synchronized(struct tcp_host *h, struct tcb *tcb, const struct segment *seg)
{
	uint32_t seq = seg->seq;
	uint8_t flags = seg->flags;
	const char *established_cause = "rcv ACK", *established_arc = "T09";
	bool repeated_syn = false;

	/* N1, simultaneous open: the peer's SYN,ACK reaching SYN-RECEIVED
	 * repeats its SYN (SEG.SEQ = IRS). As Figure 7 draws it, the SYN is
	 * trimmed off ("idealized segment") and its ACK completes the
	 * handshake (T28). */
	if (tcb->state == TCPS_SYN_RECEIVED && !tcb->passive && (flags & TH_SYN) && (flags & TH_ACK) &&
	    !(flags & TH_RST) && seq == tcb->irs) {
		seq += 1;
		flags &= (uint8_t)~TH_SYN;
		established_cause = "rcv SYN,ACK";
		established_arc = "T28";
		repeated_syn = true;
	}
	/* N2: the linux profile answers a retransmitted SYN in SYN-RECEIVED
	 * with the SYN,ACK again (tcp_check_req); the rfc9293 profile sends
	 * the ACK of step 1 (S08). */
	if (tcb->state == TCPS_SYN_RECEIVED && (flags & TH_SYN) && !(flags & (TH_ACK | TH_RST)) &&
	    seq == tcb->irs && h->profile == PROFILE_LINUX) {
		/* A retransmission: RFC 6298 section 3 (Karn), no RTT sample
		 * from the ACK that follows. */
		tcp_note_arc(h, tcb->ep, tcb->state, "S08", "rcv SYN again");
		tcp_retransmit_front(h, tcb);
		return;
	}
	if (tcb->state == TCPS_TIME_WAIT && h->profile == PROFILE_LINUX) {
		input_time_wait_linux(h, tcb, seg);
		return;
	}
	if (tcb->state == TCPS_CLOSING && h->profile == PROFILE_LINUX && closing_fin_again_linux(h, tcb, seg))
		return;

	struct segment s = *seg;
	s.seq = seq;
	s.flags = flags;

	/* First, check the sequence number (Table 6). */
	if (!seq_acceptable(tcb, s.seq, seg_seqlen(&s))) {
		unacceptable(h, tcb, &s);
		return;
	}
	/* Second, the RST bit; third, security (always matches here); fourth,
	 * the SYN bit. */
	if (check_rst(h, tcb, &s) || check_syn(h, tcb, &s))
		return;
	/* Fifth, the ACK field: "if the ACK bit is off, drop the segment and
	 * return" (S18). */
	if (!(s.flags & TH_ACK)) {
		tcp_note_arc(h, tcb->ep, tcb->state, "S18", "rcv segment without ACK");
		return;
	}
	bool fin_now = fin_in_sequence(tcb, &s, s.seq);
	const char *fin_arc = NULL;
	switch (tcb->state) {
	case TCPS_SYN_RECEIVED:
		if (fin_now && h->profile == PROFILE_LINUX) {
			if (!syn_recv_ack_fin_linux(h, tcb, &s, established_cause, established_arc))
				return;
			break;
		}
		if (!tcp_in_ack_in_syn_received(h, tcb, &s, established_cause, established_arc, fin_now))
			return;
		if (repeated_syn && h->profile == PROFILE_LINUX)
			simultaneous_synack_linux(h, tcb);
		if (fin_now) {
			fin_arc = "T26";
			break;
		}
		if (!tcp_in_process_ack(h, tcb, &s))
			return;
		break;
	case TCPS_ESTABLISHED:
	case TCPS_CLOSE_WAIT:
	case TCPS_FIN_WAIT_2:
		if (!tcp_in_process_ack(h, tcb, &s))
			return;
		break;
	case TCPS_FIN_WAIT_1:
		if (!tcp_in_process_ack(h, tcb, &s))
			return;
		/* "if the FIN segment is now acknowledged, then enter
		 * FIN-WAIT-2" (T14), unless this segment's FIN takes us
		 * straight to TIME-WAIT in the eighth step (T16); the linux
		 * profile passes FIN-WAIT-2 then too (fin_wait_1_acked()). */
		if (our_fin_acked(tcb) && (!fin_now || h->profile == PROFILE_LINUX))
			fin_wait_1_acked(h, tcb, fin_now);
		break;
	case TCPS_CLOSING:
		/* "If the ACK acknowledges our FIN, then enter the TIME-WAIT
		 * state (T19); otherwise, ignore the segment" (S17). */
		if (!tcp_in_process_ack(h, tcb, &s))
			return;
		if (our_fin_acked(tcb))
			tcb_set_state(h, tcb, TCPS_TIME_WAIT, "rcv ACK of FIN", "T19");
		else
			tcp_note_arc(h, tcb->ep, tcb->state, "S17", "rcv ACK not covering our FIN");
		return;
	case TCPS_LAST_ACK:
		/* "If our FIN is now acknowledged, delete the TCB, enter the
		 * CLOSED state, and return" (T20). */
		if (!tcp_in_process_ack(h, tcb, &s))
			return;
		if (our_fin_acked(tcb))
			tcb_set_state(h, tcb, TCPS_CLOSED, "rcv ACK of FIN", "T20");
		return;
	case TCPS_TIME_WAIT:
		/* Only a retransmitted FIN can arrive here, and step 1 took it
		 * (S16). */
		return;
	default:
		return;
	}
	/* Sixth, URG: not modelled. Seventh, the segment text, in
	 * ESTABLISHED, FIN-WAIT-1 and FIN-WAIT-2 (and SYN-RECEIVED on its way
	 * to CLOSE-WAIT); eighth, the FIN. In CLOSE-WAIT, CLOSING, LAST-ACK
	 * and TIME-WAIT text "should not occur": it is ignored. */
	if (tcb->state == TCPS_CLOSE_WAIT)
		return;
	/* T30, MAY-1 and SHLD-3: an endpoint with a half-duplex close cannot
	 * read after its CLOSE, so new data then "SHOULD send a RST to show
	 * that data was lost". */
	if (tcb->half_duplex && tcb->fin_queued && s.len && seq_gt(s.seq + s.len, tcb->rcv_nxt)) {
		/* Linux answers the segment itself (tcp_rcv_state_process
		 * returns 1 and tcp_v4_send_reset replies <SEQ=SEG.ACK>). */
		if (h->profile == PROFILE_LINUX)
			tcp_in_reset_reply(h, tcb->ep, seg);
		else
			tcp_send_control(h, tcb, tcb->snd_nxt, 0, TH_RST);
		tcb_set_state(h, tcb, TCPS_CLOSED, "rcv data after close", "T30");
		return;
	}
	receive_text(h, tcb, s.seq, s.data, s.len, (s.flags & TH_FIN) != 0, (s.flags & TH_PSH) != 0, fin_arc);
	/* U06: the CLOSE queued in SYN-RECEIVED runs once ESTABLISHED was
	 * reached (section 3.10.4: "queue for processing after entering
	 * ESTABLISHED state"), after this segment's text and FIN, so that its
	 * FIN acknowledges them. */
	if (tcb->close_deferred && (tcb->state == TCPS_ESTABLISHED || tcb->state == TCPS_CLOSE_WAIT)) {
		tcb->close_deferred = false;
		tcp_close(h, tcb);
	}
}

/* ---- dispatch ----------------------------------------------------------- */

/* Whether tcb, whose generation was gen, is still the TCB it was: the host
 * keeps a released TCB's memory readable (tcp_host.h, tcb_release). */
static bool still_there(const struct tcb *tcb, uint32_t gen)
{
	return tcb->in_use && tcb->gen == gen;
}

void tcp_input(struct tcp_host *h, struct tcb *tcb, const struct segment *seg)
{
	uint32_t gen = tcb->gen;
	switch (tcb->state) {
	case TCPS_CLOSED:
		tcp_input_closed(h, tcb->ep, seg);
		return;
	case TCPS_LISTEN:
		input_listen(h, tcb, seg);
		return;
	case TCPS_SYN_SENT:
		input_syn_sent(h, tcb, seg);
		break;
	default:
		input_synchronized(h, tcb, seg);
		break;
	}
	/* The TCB may be gone (CLOSED, or back to LISTEN). */
	if (!still_there(tcb, gen))
		return;
	/* linux: the ACK owed goes now, or waits (tcp_delack.c), before the
	 * application runs: its reply, or its FIN, may carry it. */
	tcp_delack_check(h, tcb);
	/* An application that closes on EOF does so as soon as it has read
	 * the FIN, before the ACK owed for it goes out: one FIN,ACK carries
	 * both, as from a real stack whose app closes at once. */
	if (tcb->eof_close) {
		tcb->eof_close = false;
		h->ops->app_close(h, tcb);
		if (!still_there(tcb, gen))
			return;
	}
	tcp_output(h, tcb);
}
