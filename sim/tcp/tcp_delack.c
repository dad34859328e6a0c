/* tcp_delack.c - the linux profile's delayed ACK, as Linux 6.18 delays its
 * ACKs (net/ipv4/tcp_input.c, tcp_output.c, tcp_timer.c).
 *
 * RFC 9293 3.10.7.4 lets a receiver delay an ACK (RFC 1122 4.2.3.2: up to
 * 0.5 s, and at least every second full-sized segment); the rfc9293 profile
 * takes no delay. Linux acknowledges at once only
 *  - in quick-ack mode: the first ACKs of new data (tcp_incr_quickack(), up
 *    to TCP_MAX_QUICKACKS = 16) and after a long silence, unless the
 *    connection is interactive (pingpong);
 *  - when more than one full-sized segment is unacknowledged, when text
 *    arrives out of order or fills the gap before it, and when the FIN
 *    arrives in FIN-WAIT-1 or FIN-WAIT-2 (tcp_fin() calls tcp_send_ack());
 *  - when the application reads a short (or pushed) segment and the
 *    connection is not interactive (tcp_cleanup_rbuf(): the application
 *    here reads each byte as it arrives);
 * otherwise the ACK waits for the delayed-ACK timer (TIMER_DELACK, ATO
 * long, tcp_send_delayed_ack()) or rides on the next segment the endpoint
 * sends, which carries the ACK anyway (tcp_event_ack_sent() stops the
 * timer). The peer's FIN in ESTABLISHED makes the connection interactive
 * (tcp_fin() calls inet_csk_enter_pingpong_mode()): its ACK waits, and the
 * application's own FIN, if it closes soon enough, carries it.
 *
 * Linux counts time in jiffies; the compared machine's CONFIG_HZ is 250 (a
 * jiffy is 4 ms), as for LINUX_TCP_TIMEOUT_MIN in tcp_input.c. */
#include "tcp/tcp.h"

#define JIFFY (4 * USEC_PER_MS)
#define TCP_ATO_MIN (40 * USEC_PER_MS)         /* HZ/25 (include/net/tcp.h) */
#define TCP_DELACK_MIN (40 * USEC_PER_MS)      /* HZ/25 */
#define TCP_DELACK_MAX (200 * USEC_PER_MS)     /* HZ/5 */
#define ATO_CAP (500 * USEC_PER_MS)            /* HZ/2, tcp_send_delayed_ack()'s max_ato */
#define TCP_MAX_QUICKACKS 16u
#define TCP_MSS_DEFAULT 536u
#define TCP_MIN_MSS 88u
#define TCP_HEADER 20u                         /* the profile's segments carry no options */
#define PINGPONG_THRESH 1                      /* sysctl tcp_pingpong_thresh, default 1 */

/* icsk_ack.pending (include/net/inet_connection_sock.h), with one of ours. */
enum {
	DACK_SCHED = 1,               /* ICSK_ACK_SCHED: an ACK is owed */
	DACK_NOW = 2,                 /* ICSK_ACK_NOW: and goes at once */
	DACK_PUSHED = 4,              /* ICSK_ACK_PUSHED: a short or pushed segment */
	DACK_PUSHED2 = 8,             /* ICSK_ACK_PUSHED2: two of them */
	DACK_READ = 16,               /* ours: the application read text in this event */
};

static bool linux_profile(const struct tcp_host *h)
{
	return h->profile == PROFILE_LINUX;
}

/* inet_csk_in_pingpong_mode(). */
static bool pingpong(const struct tcb *tcb)
{
	return tcb->dack.pingpong >= PINGPONG_THRESH;
}

/* tcp_initialize_rcv_mss(): the peer's segment size before any is seen,
 * at most TCP_MSS_DEFAULT, half the window and our own MSS. */
static uint32_t initial_rcv_mss(const struct tcp_host *h, const struct tcb *tcb)
{
	uint32_t hint = h->params->mss < tcb->snd_mss ? h->params->mss : tcb->snd_mss;
	if (hint > tcb->rcv_wnd / 2)
		hint = tcb->rcv_wnd / 2;
	if (hint > TCP_MSS_DEFAULT)
		hint = TCP_MSS_DEFAULT;
	return hint < TCP_MIN_MSS ? TCP_MIN_MSS : hint;
}

static uint32_t rcv_mss(const struct tcp_host *h, struct tcb *tcb)
{
	if (!tcb->dack.rcv_mss)
		tcb->dack.rcv_mss = initial_rcv_mss(h, tcb);
	return tcb->dack.rcv_mss;
}

/* tcp_incr_quickack(): quick-ack mode for the next ACKs, as many as half
 * the window holds segments, 2 at least, TCP_MAX_QUICKACKS at most. */
static void incr_quickack(const struct tcp_host *h, struct tcb *tcb)
{
	uint32_t quick = tcb->rcv_wnd / (2 * rcv_mss(h, tcb));
	if (quick == 0)
		quick = 2;
	if (quick > TCP_MAX_QUICKACKS)
		quick = TCP_MAX_QUICKACKS;
	if (quick > tcb->dack.quick)
		tcb->dack.quick = (uint8_t)quick;
}

/* tcp_measure_rcv_mss(): the size of the peer's full segments, and whether
 * this one was short or pushed (tcp_cleanup_rbuf() then ACKs at once). */
static void measure_rcv_mss(const struct tcp_host *h, struct tcb *tcb, uint32_t len, bool psh)
{
	struct tcp_delack *d = &tcb->dack;
	uint32_t lss = d->last_seg_size;
	d->last_seg_size = 0;
	if (len >= rcv_mss(h, tcb)) {
		d->rcv_mss = len < h->params->mss ? len : h->params->mss;
		if (psh)
			d->pending |= DACK_PUSHED;
		return;
	}
	/* "len" with the header; a segment without PSH "should be full sized". */
	uint32_t hlen = len + TCP_HEADER;
	if (hlen >= TCP_MSS_DEFAULT + TCP_HEADER || (hlen >= TCP_MIN_MSS + TCP_HEADER && !psh)) {
		d->last_seg_size = len;
		if (len == lss) {
			d->rcv_mss = len;
			return;
		}
	}
	if (d->pending & DACK_PUSHED)
		d->pending |= DACK_PUSHED2;
	d->pending |= DACK_PUSHED;
}

void tcp_delack_data_recv(struct tcp_host *h, struct tcb *tcb, uint32_t len, bool psh)
{
	if (!linux_profile(h) || !len)
		return;
	struct tcp_delack *d = &tcb->dack;
	d->pending |= DACK_SCHED | DACK_READ;
	measure_rcv_mss(h, tcb, len, psh);
	if (!d->ato) {
		/* "The _first_ data packet received, initialize delayed ACK
		 * engine." */
		incr_quickack(h, tcb);
		d->ato = TCP_ATO_MIN;
	} else {
		usec_t m = h->now - d->lrcvtime;
		if (m <= TCP_ATO_MIN / 2) {
			d->ato = d->ato / 2 + TCP_ATO_MIN / 2;
		} else if (m < d->ato) {
			d->ato = d->ato / 2 + m;
			if (d->ato > tcb->rto)
				d->ato = tcb->rto;
		} else if (m > tcb->rto) {
			/* "Too long gap": the sender restarts, ACK it quickly. */
			incr_quickack(h, tcb);
		}
	}
	d->lrcvtime = h->now;
}

void tcp_delack_ack_now(struct tcp_host *h, struct tcb *tcb)
{
	if (linux_profile(h))
		tcb->dack.pending |= DACK_SCHED | DACK_NOW;
}

/* tcp_enter_quickack_mode(sk, TCP_MAX_QUICKACKS), which tcp_data_queue()
 * (a segment all before RCV.NXT: out_of_window) and tcp_send_dupack() call
 * for a segment that repeats what was received: quick-ack mode, pingpong
 * left, ATO back to TCP_ATO_MIN, so that the next ACKs go at once and a
 * later delayed one waits the ATO, not a jiffy. */
void tcp_delack_quickack(struct tcp_host *h, struct tcb *tcb)
{
	if (!linux_profile(h))
		return;
	incr_quickack(h, tcb);
	tcb->dack.pingpong = 0;
	tcb->dack.ato = TCP_ATO_MIN;
}

/* tcp_fin(): the ACK of the FIN is owed. ESTABLISHED (and SYN-RECEIVED)
 * moving to CLOSE-WAIT enter pingpong mode, so that it waits for the
 * application's reply, its FIN; FIN-WAIT-1 and FIN-WAIT-2 send it at once
 * (tcp_send_ack()). A FIN taken again (CLOSE-WAIT, CLOSING, LAST-ACK) does
 * nothing more. */
void tcp_delack_fin(struct tcp_host *h, struct tcb *tcb, enum tcp_state from)
{
	if (!linux_profile(h))
		return;
	tcb->dack.pending |= DACK_SCHED;
	if (from == TCPS_ESTABLISHED || from == TCPS_SYN_RECEIVED)
		tcb->dack.pingpong = PINGPONG_THRESH;      /* inet_csk_enter_pingpong_mode() */
	else if (from == TCPS_FIN_WAIT_1 || from == TCPS_FIN_WAIT_2)
		tcb->dack.pending |= DACK_NOW;
}

/* tcp_delack_max(): TCP_DELACK_MAX, below the minimum RTO by a jiffy. */
static usec_t delack_max(const struct tcp_host *h)
{
	usec_t from_rto_min = (h->params->rto_min > 2 * JIFFY ? h->params->rto_min : 2 * JIFFY) - JIFFY;
	return from_rto_min < TCP_DELACK_MAX ? from_rto_min : TCP_DELACK_MAX;
}

/* tcp_send_delayed_ack(): the timer, ATO from now, bounded by the RTT and
 * TCP_DELACK_MAX; one running already keeps its earlier expiry, or the ACK
 * goes now when that expiry is a quarter of ATO away. An ATO of 0 (no
 * data has arrived yet: a bare FIN) sets the timer to the current jiffy,
 * which fires at the next tick: one jiffy here. Returns false when the ACK
 * must go now. */
static bool send_delayed_ack(struct tcp_host *h, struct tcb *tcb)
{
	usec_t ato = tcb->dack.ato;
	if (ato > TCP_DELACK_MIN) {
		usec_t max_ato = ATO_CAP;
		if (pingpong(tcb) || (tcb->dack.pending & DACK_PUSHED))
			max_ato = TCP_DELACK_MAX;
		if (tcb->have_rtt) {
			usec_t rtt = tcb->srtt > TCP_DELACK_MIN ? tcb->srtt : TCP_DELACK_MIN;
			if (rtt < max_ato)
				max_ato = rtt;
		}
		if (ato > max_ato)
			ato = max_ato;
	}
	if (ato > delack_max(h))
		ato = delack_max(h);
	usec_t timeout = h->now + (ato ? ato : JIFFY);
	if (tcb->timer_on[TIMER_DELACK]) {
		usec_t old = tcb->timer_due[TIMER_DELACK];
		if (old <= h->now + ato / 4)
			return false;
		if (timeout >= old)
			return true;                   /* the earlier expiry stands */
	}
	tcb_timer_set(h, tcb, TIMER_DELACK, timeout - h->now);
	return true;
}

void tcp_delack_check(struct tcp_host *h, struct tcb *tcb)
{
	struct tcp_delack *d = &tcb->dack;
	if (!linux_profile(h))
		return;
	bool read = d->pending & DACK_READ;
	d->pending &= (uint8_t)~DACK_READ;
	if (!tcb->ack_now || !(d->pending & DACK_SCHED))
		return;                                /* none owed, or one that goes at once */
	bool quickack = d->quick && !pingpong(tcb);        /* tcp_in_quickack_mode() */
	bool two_segments = tcb->rcv_nxt - d->rcv_wup > rcv_mss(h, tcb);
	/* tcp_cleanup_rbuf(): the application read it all, and the segment
	 * was pushed or short: at once unless interactive (or two were). */
	bool read_pushed = read && !tcb->ooo &&
			   ((d->pending & DACK_PUSHED2) || ((d->pending & DACK_PUSHED) && !pingpong(tcb)));
	if (two_segments || quickack || (d->pending & DACK_NOW) || read_pushed)
		return;
	tcb->ack_now = !send_delayed_ack(h, tcb);
}

void tcp_delack_sent(struct tcp_host *h, struct tcb *tcb, uint8_t flags, uint32_t len)
{
	if (!linux_profile(h))
		return;
	struct tcp_delack *d = &tcb->dack;
	if (len && h->now - d->lrcvtime < d->ato && d->pingpong < UINT8_MAX)
		d->pingpong++;                         /* tcp_event_data_sent(): a reply within ATO */
	if (!(flags & TH_ACK))
		return;
	/* tcp_event_ack_sent(): tcp_dec_quickack_mode() counts the ACKs of
	 * new data; the timer and what was owed are cleared
	 * (inet_csk_clear_xmit_timer(ICSK_TIME_DACK)). tcp_select_window()
	 * notes RCV.NXT as acknowledged (rcv_wup). */
	if (d->quick) {
		unsigned pkts = (d->pending & DACK_SCHED) ? 1 : 0;
		if (pkts >= d->quick) {
			d->quick = 0;
			d->ato = TCP_ATO_MIN;
		} else {
			d->quick = (uint8_t)(d->quick - pkts);
		}
	}
	d->pending &= DACK_READ;
	d->rcv_wup = tcb->rcv_nxt;
	tcb_timer_cancel(h, tcb, TIMER_DELACK);
}

void tcp_delack_timeout(struct tcp_host *h, struct tcb *tcb)
{
	struct tcp_delack *d = &tcb->dack;
	if (!(d->pending & DACK_SCHED))
		return;
	if (!pingpong(tcb)) {
		/* "Delayed ACK missed: inflate ATO." */
		d->ato = d->ato * 2 < tcb->rto ? d->ato * 2 : tcb->rto;
	} else {
		/* "Delayed ACK missed: leave pingpong mode and deflate ATO." */
		d->pingpong = 0;
		d->ato = TCP_ATO_MIN;
	}
	tcp_send_control(h, tcb, tcb->snd_nxt, tcb->rcv_nxt, TH_ACK);
}
