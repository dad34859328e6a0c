/* tcp_oow.c - the linux profile's rate limit on out-of-window ACKs.
 *
 * RFC 9293 3.10.7.4 answers an unacceptable segment with an ACK, and RFC
 * 5961 answers a RST or SYN in the window, or an ACK of something not sent,
 * with a challenge ACK. Two endpoints that each find the other's ACK
 * unacceptable (a forged segment can start it) answer each other for ever:
 * an ACK war. Linux damps it: net/ipv4/tcp_input.c sends such an ACK at
 * most once per tcp_invalid_ratelimit (sysctl, default HZ/2: 500 ms) per
 * socket, remembering the last one in tp->last_oow_ack_time. The rfc9293
 * profile keeps the RFC's unbounded answer. (Linux's host-wide challenge ACK
 * budget, tcp_challenge_ack_limit, is not modelled: one connection never
 * reaches it through the per-socket limit.) */
#include "tcp/tcp.h"

/* sysctl net.ipv4.tcp_invalid_ratelimit's default, HZ/2. */
#define TCP_INVALID_RATELIMIT (500 * USEC_PER_MS)

/* Follows __tcp_oow_rate_limited(): true when tcb sent an out-of-window ACK
 * less than TCP_INVALID_RATELIMIT ago (this one is skipped); else records
 * now as the last one's time and returns false. Always false outside the
 * linux profile. */
bool tcp_oow_rate_limited_any(struct tcp_host *h, struct tcb *tcb)
{
	if (h->profile != PROFILE_LINUX)
		return false;
	/* A 32-bit millisecond clock, as the kernel's tcp_jiffies32 at HZ=1000,
	 * plus 1 so that time 0 is not the kernel's 0, "never". */
	uint32_t now = (uint32_t)(h->now / USEC_PER_MS) + 1;
	if (tcb->oow_ack_ms) {
		int32_t elapsed = (int32_t)(now - tcb->oow_ack_ms);
		if (elapsed >= 0 && (usec_t)elapsed * USEC_PER_MS < TCP_INVALID_RATELIMIT)
			return true;
	}
	tcb->oow_ack_ms = now;
	return false;
}

/* Follows tcp_oow_rate_limited(), which tcp_validate_incoming() asks before
 * the duplicate ACK of a segment outside the window: only a segment with no
 * data (SEG.LEN 0, the FIN counted) or with a SYN is limited; one carrying
 * data is always answered (its sender may be retransmitting). */
bool tcp_oow_rate_limited(struct tcp_host *h, struct tcb *tcb, const struct segment *seg)
{
	if (seg_seqlen(seg) != 0 && !(seg->flags & TH_SYN))
		return false;
	return tcp_oow_rate_limited_any(h, tcb);
}
