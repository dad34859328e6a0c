/* tcp_tlp.c - the linux profile's tail loss probe (RFC 8985 section 7), as
 * Linux 6.18 sends it (net/ipv4/tcp_output.c: tcp_schedule_loss_probe(),
 * tcp_send_loss_probe(); net.ipv4.tcp_early_retrans = 3).
 *
 * When the last segments of a flight are lost, no duplicate ACK comes to
 * tell it; the sender would wait for its RTO. Linux sends the last segment
 * again earlier, a probe timeout (PTO) after the flight's last send or ACK:
 * two smoothed RTTs, plus room for the peer's delayed ACK when one segment
 * is out (the minimum RTO) or TCP_TIMEOUT_MIN (2 ms) when more are, and
 * never later than the RTO would fire. The probe is not a timeout: the RTO
 * is not backed off, it restarts from the probe (tcp_rearm_rto()). One
 * probe at a time (tlp_high_seq), and none while recovering from a timeout
 * (Linux: only in the Open congestion state) or before the handshake is
 * acknowledged. The rfc9293 profile has none (RFC 9293 knows only the RTO). */
#include "proto/seq.h"
#include "tcp/tcp.h"

#define TCP_TIMEOUT_INIT (1 * USEC_PER_SEC)      /* no RTT sample yet */
#define TCP_TIMEOUT_MIN_US (2 * USEC_PER_MS)     /* TCP_TIMEOUT_MIN_US (include/net/tcp.h) */

/* Segments in flight (tp->packets_out), as the simulator cut them: the
 * unacknowledged bytes in MSS-sized segments, a FIN alone one. */
static uint32_t packets_out(const struct tcb *tcb)
{
	uint32_t space = tcb->snd_max - tcb->snd_una;
	bool fin = tcb->fin_sent && seq_ge(tcb->fin_seq, tcb->snd_una);
	uint32_t bytes = fin ? space - 1 : space;
	if (!bytes)
		return fin ? 1 : 0;
	return (bytes + tcb->snd_mss - 1) / tcb->snd_mss;
}

/* Whether the connection is in Linux's Open state for this purpose: its
 * SYN acknowledged, data or a FIN out, no timeout being recovered from. */
static bool may_probe(const struct tcb *tcb)
{
	switch (tcb->state) {
	case TCPS_ESTABLISHED: case TCPS_CLOSE_WAIT: case TCPS_FIN_WAIT_1: case TCPS_CLOSING: case TCPS_LAST_ACK:
		break;
	default:
		return false;
	}
	return tcb->snd_una != tcb->iss && tcb->snd_una != tcb->snd_max && tcb->rtx_count == 0 &&
	       !seq_lt(tcb->snd_una, tcb->recover);
}

void tcp_tlp_schedule(struct tcp_host *h, struct tcb *tcb, bool advancing)
{
	if (h->profile != PROFILE_LINUX)
		return;
	if (!may_probe(tcb)) {
		tcb_timer_cancel(h, tcb, TIMER_TLP);
		return;
	}
	usec_t pto = TCP_TIMEOUT_INIT;
	if (tcb->have_rtt)
		pto = 2 * tcb->srtt + (packets_out(tcb) == 1 ? h->params->rto_min : TCP_TIMEOUT_MIN_US);
	/* "If the RTO formula yields an earlier time, then use that time." */
	usec_t rto_left = tcb->rto;
	if (!advancing && tcb->timer_on[TIMER_RTO])
		rto_left = tcb->timer_due[TIMER_RTO] > h->now ? tcb->timer_due[TIMER_RTO] - h->now : 0;
	if (rto_left > 0 && rto_left < pto)
		pto = rto_left;
	/* Linux's one retransmission timer holds the probe instead of the
	 * RTO; here the RTO keeps running, and one due at the probe's instant
	 * gives way to it (tcp_tlp_first()). */
	tcb_timer_set(h, tcb, TIMER_TLP, pto);
}

bool tcp_tlp_first(struct tcp_host *h, struct tcb *tcb)
{
	if (!tcb->timer_on[TIMER_TLP] || tcb->timer_due[TIMER_TLP] != h->now || tcb->tlp_out || !may_probe(tcb))
		return false;
	/* The probe's own event, due at this instant, goes unfired. */
	tcb_timer_drop(h, tcb, TIMER_TLP);
	return true;
}

void tcp_tlp_timeout(struct tcp_host *h, struct tcb *tcb)
{
	/* "At most one outstanding TLP": the RTO, still running, stands. */
	if (tcb->tlp_out || !may_probe(tcb))
		return;
	/* New data would go first, if the window allowed it; the simulator
	 * sends all it may at once, so the probe is the last segment again. */
	tcp_retransmit_tail(h, tcb);
	tcb->tlp_out = true;
	tcb->tlp_high_seq = tcb->snd_nxt;
	/* "Reset s.t. tcp_rearm_rto will restart timer from now". */
	tcb_timer_set(h, tcb, TIMER_RTO, tcb->rto);
}

void tcp_tlp_acked(struct tcp_host *h, struct tcb *tcb, uint32_t ack)
{
	if (tcb->tlp_out && seq_ge(ack, tcb->tlp_high_seq))
		tcb->tlp_out = false;
	if (tcb->snd_una == tcb->snd_max)
		tcb_timer_cancel(h, tcb, TIMER_TLP);
}
