/* tcp_output.c - building and sending segments; RFC 6298's RTT estimate. */
#include "proto/seq.h"
#include "tcp/tcp.h"

static uint16_t window_field(const struct tcb *tcb)
{
	return (uint16_t)(tcb->rcv_wnd > 65535 ? 65535 : tcb->rcv_wnd);
}

static void send_segment(struct tcp_host *h, struct tcb *tcb, uint32_t seq, uint32_t ack, uint8_t flags,
			 const uint8_t *data, uint32_t len)
{
	struct segment s = {
		.src_ip = tcb->local_ip, .dst_ip = tcb->remote_ip,
		.src_port = tcb->local_port, .dst_port = tcb->remote_port,
		.seq = seq, .ack = (flags & TH_ACK) ? ack : 0,
		.win = window_field(tcb), .flags = flags,
		.len = len, .data = data,
	};
	/* Section 3.7.1: a SYN carries our MSS. */
	if (flags & TH_SYN)
		s.mss = (uint16_t)h->params->mss;
	h->ops->output(h, tcb->ep, &s);
	/* linux: any segment carries the ACK a delayed ACK owes. */
	tcp_delack_sent(h, tcb, flags, len);
}

void tcp_send_control(struct tcp_host *h, struct tcb *tcb, uint32_t seq, uint32_t ack, uint8_t flags)
{
	send_segment(h, tcb, seq, ack, flags, NULL, 0);
}

/* Bytes of the send queue before seq: sent (or, for SND.UNA, acknowledged
 * up to the queue's start). seq is SND.NXT or SND.UNA, at most a window
 * past the queue's first byte (or one past its end, after the FIN), so the
 * 32-bit difference is exact however long the queue. */
static uint64_t queue_offset(const struct tcb *tcb, uint32_t seq)
{
	return (uint32_t)(seq - tcb->snd_buf_seq);
}

/* Queued bytes from seq on (0 when seq is at the end or past it, the FIN's
 * place). 64-bit: the queue may hold 2^32 bytes or more, which sequence
 * numbers cannot tell from none. */
static uint64_t queued_from(const struct tcb *tcb, uint32_t seq)
{
	uint64_t at = queue_offset(tcb, seq), len = sndbuf_len(&tcb->snd);
	return at < len ? len - at : 0;
}

static void start_rtt_timing(struct tcp_host *h, struct tcb *tcb, uint32_t end)
{
	if (tcb->rtt_timing)
		return;
	tcb->rtt_timing = true;
	tcb->rtt_seq = end;
	tcb->rtt_start = h->now;
}

/* RFC 6298 (5.1): start the timer when sending something that occupies
 * sequence space, if it is not running. */
static void arm_rto(struct tcp_host *h, struct tcb *tcb)
{
	if (!tcb->timer_on[TIMER_RTO])
		tcb_timer_set(h, tcb, TIMER_RTO, tcb->rto);
}

/* Sends the queued data from seq on, at most `avail` bytes and one MSS, with
 * the FIN when it reaches the FIN's place (the end of the queue), and PSH
 * on the segment that empties the queue (section 3.9.1.2). The payload is
 * read from the queue (sndbuf_read(): the pattern, or the `data:` bytes,
 * across their boundaries). Returns the sequence space used: 0 when there
 * was nothing to send. */
static uint32_t send_data_at(struct tcp_host *h, struct tcb *tcb, uint32_t seq, uint32_t avail)
{
	uint64_t at = queue_offset(tcb, seq), len = sndbuf_len(&tcb->snd);
	uint32_t n = avail < tcb->snd_mss ? avail : tcb->snd_mss;
	if (at > len || n > len - at)
		return 0;
	bool at_end = at + n == len;
	uint8_t flags = TH_ACK;
	if (n && at_end)
		flags |= TH_PSH;
	if (tcb->fin_queued && at_end)
		flags |= TH_FIN;
	if (!n && !(flags & TH_FIN))
		return 0;
	uint8_t scratch[SNDBUF_READ_MAX];
	const uint8_t *p = n ? sndbuf_read(&tcb->snd, at, n, scratch) : NULL;
	send_segment(h, tcb, seq, tcb->rcv_nxt, flags, p, n);
	return n + ((flags & TH_FIN) ? 1u : 0u);
}

void tcp_output(struct tcp_host *h, struct tcb *tcb)
{
	/* Data and FIN go out only once the connection is synchronized;
	 * a FIN may also leave SYN-RECEIVED (T10). */
	bool may_send = tcps_synchronized(tcb->state) ||
			(tcb->state == TCPS_SYN_RECEIVED && tcb->fin_queued);
	bool sent = false;
	while (may_send && tcb->state != TCPS_TIME_WAIT) {
		/* What the window allows (section 3.8.6) of what is queued. */
		uint32_t wnd_edge = tcb->snd_una + tcb->snd_wnd;
		uint32_t room = seq_gt(wnd_edge, tcb->snd_nxt) ? wnd_edge - tcb->snd_nxt : 0;
		uint64_t unsent = queued_from(tcb, tcb->snd_nxt);
		uint32_t avail = unsent < room ? (uint32_t)unsent : room;
		bool fin_due = tcb->fin_queued && !tcb->fin_sent &&
			       queue_offset(tcb, tcb->snd_nxt) == sndbuf_len(&tcb->snd);
		if (!avail && !fin_due)
			break;
		uint32_t seq = tcb->snd_nxt;
		uint32_t used = send_data_at(h, tcb, seq, avail);
		if (!used)
			break;
		if (tcb->fin_queued && queue_offset(tcb, seq) + used == sndbuf_len(&tcb->snd) + 1) {
			tcb->fin_sent = true;
			tcb->fin_seq = seq + used - 1;
		}
		tcb->snd_nxt = seq + used;
		if (seq_gt(tcb->snd_nxt, tcb->snd_max)) {
			tcb->snd_max = tcb->snd_nxt;
			start_rtt_timing(h, tcb, tcb->snd_nxt);
		}
		arm_rto(h, tcb);
		tcb->ack_now = false;
		sent = true;
	}
	if (sent)
		tcp_tlp_schedule(h, tcb, false);      /* linux: the tail loss probe (tcp_tlp.c) */
	if (tcb->ack_now) {
		tcb->ack_now = false;
		tcp_send_control(h, tcb, tcb->snd_nxt, tcb->rcv_nxt, TH_ACK);
	}
}

void tcp_retransmit_tail(struct tcp_host *h, struct tcb *tcb)
{
	uint32_t end = tcb->fin_sent && seq_ge(tcb->fin_seq, tcb->snd_una) ? tcb->snd_max - 1 : tcb->snd_max;
	uint32_t bytes = end - tcb->snd_una, last = bytes % tcb->snd_mss;
	if (bytes && !last)
		last = tcb->snd_mss;
	h->n_retransmits++;
	tcb->rtt_timing = false;           /* Karn: no sample from a retransmission */
	send_data_at(h, tcb, end - last, last);
}

void tcp_retransmit_front(struct tcp_host *h, struct tcb *tcb)
{
	h->n_retransmits++;
	tcb->rtt_timing = false;           /* Karn: no sample from a retransmission */
	if (tcb->state == TCPS_SYN_SENT) {
		tcp_send_control(h, tcb, tcb->iss, 0, TH_SYN);
		return;
	}
	/* Our SYN is unacknowledged: it is the front of the queue, also in
	 * FIN-WAIT-1 after a CLOSE in SYN-RECEIVED (T10). RFC 9293 section
	 * 3.10.8: "send the segment at the front of the retransmission queue". */
	if (tcb->snd_una == tcb->iss) {
		tcp_send_control(h, tcb, tcb->iss, tcb->rcv_nxt, TH_SYN | TH_ACK);
		return;
	}
	uint32_t flight = tcb->snd_max - tcb->snd_una;
	uint64_t left = queued_from(tcb, tcb->snd_una);
	send_data_at(h, tcb, tcb->snd_una, left < flight ? (uint32_t)left : flight);
}

void tcp_rtt_sample(struct tcp_host *h, struct tcb *tcb, usec_t r)
{
	const struct tcp_params *p = h->params;
	if (!tcb->have_rtt) {
		/* (2.2) */
		tcb->srtt = r;
		tcb->rttvar = r / 2;
		tcb->have_rtt = true;
	} else {
		/* (2.3): RTTVAR first, with the old SRTT; beta 1/4, alpha 1/8. */
		usec_t diff = tcb->srtt > r ? tcb->srtt - r : r - tcb->srtt;
		tcb->rttvar = (3 * tcb->rttvar + diff) / 4;
		tcb->srtt = (7 * tcb->srtt + r) / 8;
	}
	/* G, the clock granularity, is the virtual clock's 1 us. */
	usec_t var = 4 * tcb->rttvar > 1 ? 4 * tcb->rttvar : 1;
	usec_t rto = tcb->srtt + var;
	if (rto < p->rto_min)
		rto = p->rto_min;                  /* (2.4) */
	if (rto > p->rto_max)
		rto = p->rto_max;                  /* (2.5) */
	tcb->rto = rto;
}
