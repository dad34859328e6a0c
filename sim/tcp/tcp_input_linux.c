/* tcp_input_linux.c - the linux profile's departures from RFC 9293 section
 * 3.10.7's segment arrival, each named after the Linux 6.18 function it
 * follows (net/ipv4/tcp_input.c, tcp_minisocks.c). tcp_input.c calls them at
 * the step where Linux goes its own way; the rfc9293 profile never does.
 * Out of tcp_input.c, which reads as the RFC's steps. */
#include "proto/seq.h"
#include "tcp/tcp.h"
#include "tcp/tcp_input_int.h"

/* TCP_TIMEOUT_MIN (include/net/tcp.h): 2 jiffies, 8 ms at CONFIG_HZ=250,
 * Debian's kernels' and the compared machine's. */
#define LINUX_TCP_TIMEOUT_MIN (8 * USEC_PER_MS)

/* The linux profile's SYN,ACK in SYN-SENT, as tcp_rcv_synsent_state_process()
 * takes it: the open completes (tcp_finish_connect) and the ACK goes out,
 * and the segment is freed there ("step6 onward by hand" reads only URG):
 * text or a FIN on it is not taken, and the peer sends it again. The RFC
 * takes both (T27, section 3.10.7.3, "continue processing at the sixth
 * step"). */
void syn_sent_synack_linux(struct tcp_host *h, struct tcb *tcb)
{
	tcp_in_handshake_acked(h, tcb);
	tcb_set_state(h, tcb, TCPS_ESTABLISHED, "rcv SYN,ACK", "T08");
	tcb->ack_now = true;
}

/* The linux profile's unacceptable ACK in SYN-SENT, after the RFC's answer
 * (the reset of S05, or nothing for a RST, T33): tcp_rcv_synsent_state_process()
 * (net/ipv4/tcp_input.c) re-arms the retransmission timer to TCP_TIMEOUT_MIN
 * when the SYN has not been retransmitted yet ("Previous FIN/ACK or RST/ACK
 * might be ignored": the peer may have held an old connection, which the
 * reset has just cleared), so the SYN goes again at once, not an RTO later.
 * The RTO is kept: that retransmission is a timeout like any (T52a), it
 * counts against the SYN's retries and is backed off as the timer's are
 * (tcp_timer.c: one of the linear timeouts while there are any). */
void syn_sent_bad_ack_linux(struct tcp_host *h, struct tcb *tcb)
{
	if (tcb->rtx_count == 0)
		tcb_timer_set(h, tcb, TIMER_RTO, LINUX_TCP_TIMEOUT_MIN);
}

/* The linux profile's SYN in the window of a passive SYN-RECEIVED (not the
 * retransmitted one, N2), as tcp_check_req() (net/ipv4/tcp_minisocks.c)
 * takes it: "fourth, check the SYN bit" jumps to embryonic_reset, which
 * answers the segment with a reset (tcp_v4_send_reset(): <SEQ=0>
 * <ACK=SEG.SEQ+1><CTL=RST,ACK> for a SYN without ACK, <SEQ=SEG.ACK>
 * <CTL=RST> for one with) and drops the request: back to LISTEN (T23). The
 * RFC's T23 returns to LISTEN without a word. tcp_check_req() tests the ACK
 * before the SYN: an ACK other than ISS+1 hands the segment to the listener,
 * which answers it with the same reset and leaves the request be (S07). */
void syn_received_syn_linux(struct tcp_host *h, struct tcb *tcb, const struct segment *seg)
{
	tcp_in_reset_reply(h, tcb->ep, seg);
	if ((seg->flags & TH_ACK) && seg->ack != tcb->iss + 1)
		tcp_note_arc(h, tcb->ep, tcb->state, "S07", "rcv unacceptable ACK");
	else
		tcb_set_state(h, tcb, TCPS_LISTEN, "rcv SYN", "T23");
}

/* The linux profile's ACK of our SYN that carries the peer's FIN, in
 * SYN-RECEIVED, as tcp_rcv_state_process() (net/ipv4/tcp_input.c) takes it:
 * case TCP_SYN_RECV sets TCP_ESTABLISHED once tcp_ack() found the ACK
 * acceptable (T09), and step 7 hands the segment to tcp_data_queue(), whose
 * tcp_fin() moves ESTABLISHED to CLOSE_WAIT (T13, in the eighth step): two
 * state changes, both reported by the tracepoint. The RFC's reading goes
 * SYN_RECEIVED -> CLOSE_WAIT in one (T26). Returns false when the segment
 * was consumed. */
bool syn_recv_ack_fin_linux(struct tcp_host *h, struct tcb *tcb, const struct segment *seg,
				   const char *cause, const char *arc)
{
	if (!tcp_in_ack_in_syn_received(h, tcb, seg, cause, arc, false))
		return false;
	return tcp_in_process_ack(h, tcb, seg);
}

/* The linux profile's retransmitted FIN in CLOSING that acknowledges our
 * FIN, as tcp_rcv_state_process() (net/ipv4/tcp_input.c) takes it:
 * tcp_sequence() accepts a segment that ends at RCV.NXT (it drops only one
 * that ends before rcv_wup), tcp_ack() takes the ACK, and case TCP_CLOSING
 * calls tcp_time_wait() and `goto consume`: TIME-WAIT (T19), and the FIN,
 * received already, is never queued, so no ACK answers it. The RFC's first
 * step finds the segment unacceptable and ACKs it (S15), and CLOSING waits
 * for an ACK that comes alone. Returns false, having done nothing, for any
 * other segment. */
bool closing_fin_again_linux(struct tcp_host *h, struct tcb *tcb, const struct segment *seg)
{
	bool retransmitted_fin = (seg->flags & TH_FIN) && seg->seq + seg_seqlen(seg) == tcb->rcv_nxt;
	if (!retransmitted_fin || (seg->flags & (TH_SYN | TH_RST)) || !(seg->flags & TH_ACK) ||
	    !tcb->fin_sent || !seq_gt(seg->ack, tcb->fin_seq) || seq_gt(seg->ack, tcb->snd_nxt))
		return false;
	if (!tcp_in_process_ack(h, tcb, seg))
		return true;
	tcb_set_state(h, tcb, TCPS_TIME_WAIT, "rcv ACK of FIN", "T19");
	return true;
}

/* The linux profile's simultaneous open, on the peer's SYN,ACK in
 * SYN-RECEIVED: tcp_rcv_state_process() takes the ACK (ESTABLISHED), and
 * tcp_data_queue() finds the segment all before RCV.NXT (its SYN was
 * received already): out_of_window, tcp_enter_quickack_mode() and an ACK
 * at once, which the RFC's reading (the SYN trimmed, N1) does not send
 * (compare's K8 before this). */
void simultaneous_synack_linux(struct tcp_host *h, struct tcb *tcb)
{
	tcp_delack_quickack(h, tcb);
	tcp_delack_ack_now(h, tcb);
	tcb->ack_now = true;
}

/* TIME-WAIT in the linux profile, as tcp_timewait_state_process() handles
 * it (the kernel replaces the socket by a mini-socket with rules of its own):
 *  - a segment at RCV.NXT that is a RST ends TIME-WAIT (T40, tcp_rfc1337=0),
 *    a bare ACK there restarts the timer and draws no answer;
 *  - a SYN (no ACK, no RST) beyond RCV.NXT goes to the endpoint's listener,
 *    if it has one (T29, MAY-2);
 *  - any other segment but a RST is ACKed, and restarts the timer when it
 *    carries an ACK (S16 for the peer's FIN again, S09 otherwise);
 *  - any other RST is dropped silently (S10). */
void input_time_wait_linux(struct tcp_host *h, struct tcb *tcb, const struct segment *seg)
{
	bool rst = seg->flags & TH_RST;
	if (seg->seq == tcb->rcv_nxt && (rst || seg_seqlen(seg) == 0)) {
		if (rst)
			tcb_set_state(h, tcb, TCPS_CLOSED, "rcv RST", "T40");
		else
			tcb_timer_set(h, tcb, TIMER_TIME_WAIT, h->params->time_wait);
		return;
	}
	if ((seg->flags & TH_SYN) && !(seg->flags & (TH_ACK | TH_RST)) && seq_gt(seg->seq, tcb->rcv_nxt) &&
	    h->ops->has_listener(h, tcb->ep)) {
		/* MAY-2 (1): the new connection's ISS must be "larger than
		 * the largest sequence number it used on the previous
		 * connection incarnation"; Linux takes SND.NXT + 65535 + 2. */
		h->ops->set_iss_floor(h, tcb->ep, tcb->snd_nxt + 65535 + 2);
		tcb_set_state(h, tcb, TCPS_CLOSED, "rcv SYN", "T29");
		h->ops->segment_arrives(h, seg);
		return;
	}
	if (rst) {
		tcp_note_arc(h, tcb->ep, tcb->state, "S10", "rcv RST not at RCV.NXT");
		return;
	}
	bool retransmitted_fin = (seg->flags & TH_FIN) && seg->seq + seg_seqlen(seg) == tcb->rcv_nxt;
	tcp_note_arc(h, tcb->ep, tcb->state, retransmitted_fin ? "S16" : "S09",
		     retransmitted_fin ? "rcv FIN again" : "rcv unacceptable segment");
	if (seg->flags & TH_ACK)
		tcb_timer_set(h, tcb, TIMER_TIME_WAIT, h->params->time_wait);
	/* tcp_timewait_check_oow_rate_limit(): tcp_oow_rate_limited() again. */
	if (!tcp_oow_rate_limited(h, tcb, seg))
		tcp_in_ack_now(h, tcb);
}
