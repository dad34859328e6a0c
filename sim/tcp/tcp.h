/* tcp.h - one TCP endpoint's connection state machine, RFC 9293 section 3.10.
 *
 * Event processing is split as the RFC splits it: user calls (tcp_user.c,
 * sections 3.10.1-3.10.6), segment arrival (tcp_input.c, section 3.10.7) and
 * timeouts (tcp_timer.c, section 3.10.8, with RFC 6298 for the retransmission
 * timer). tcp_output.c builds and sends segments. tcb_set_state() in
 * tcp_tcb.c is the one place that changes state, and it emits the trace event.
 *
 * The state machine knows no output file: it talks to the world through its
 * host (tcp_host.h), which owns the TCBs, the clock and the link. */
#ifndef TCPSIM_TCP_H
#define TCPSIM_TCP_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include "base/duration.h"
#include "scenario/scenario.h"
#include "proto/segment.h"
#include "tcp/sndbuf.h"
#include "tcp/tcp_host.h"
#include "proto/tcp_state.h"
#include "trace/trace.h"


/* The out-of-order queue: segments (their text) that begin beyond RCV.NXT. */
struct ooo_seg {
	struct ooo_seg *next;
	uint32_t seq;                 /* first byte */
	uint32_t len;
	bool fin;                     /* a FIN follows the last byte */
	uint8_t data[];
};

/* The linux profile's delayed-ACK state (tcp_delack.c), as Linux keeps it in
 * icsk->icsk_ack and tp->rcv_wup; all zero in the rfc9293 profile, which
 * acknowledges at once. */
struct tcp_delack {
	usec_t ato;                   /* icsk_ack.ato: the delay estimate; 0 until the first data */
	usec_t lrcvtime;              /* icsk_ack.lrcvtime: when data last arrived */
	uint32_t rcv_wup;             /* tp->rcv_wup: RCV.NXT when our last ACK went */
	uint32_t rcv_mss;             /* icsk_ack.rcv_mss: the peer's segment size as seen (0: not yet) */
	uint32_t last_seg_size;       /* icsk_ack.last_seg_size */
	uint8_t quick;                /* icsk_ack.quick: ACKs still sent at once (quick-ack mode) */
	uint8_t pingpong;             /* icsk_ack.pingpong: interactive, ACKs wait for a reply */
	uint8_t pending;              /* DACK_* bits of tcp_delack.c (icsk_ack.pending) */
};

/* A member added here must be named in TCB_IN_TIME_WAIT (host/tw_rec.h), with
 * what a connection in TIME_WAIT keeps of it: the build fails until it is. */
struct tcb {
	uint32_t id;                  /* index in the host's pool */
	uint32_t gen;                 /* bumped when the slot is reused */
	bool in_use;
	enum tcp_state state;
	int ep;                       /* the host's endpoint (and trace endpoint) it belongs to */
	bool listener;                /* a LISTEN TCB that accepts: stays in LISTEN */
	bool passive;                 /* reached SYN-RECEIVED from LISTEN (MUST-11) */

	uint32_t local_ip, remote_ip;
	uint16_t local_port, remote_port;

	/* Send sequence space (section 3.3.1). */
	uint32_t iss, snd_una, snd_nxt, snd_wnd, snd_wl1, snd_wl2, max_snd_wnd;
	uint32_t snd_max;             /* highest sequence number sent + 1 */
	/* Receive sequence space. */
	uint32_t irs, rcv_nxt, rcv_wnd;

	uint32_t snd_mss;             /* what we may put in one segment */
	struct sndbuf snd;            /* from SND.UNA's byte on (after the SYN) */
	uint32_t snd_buf_seq;         /* sequence number of the first byte snd holds */
	bool fin_queued;              /* CLOSE: a FIN follows the queued data */
	bool fin_wait_2_passing;      /* linux: FIN-WAIT-2 for an instant, the peer's FIN
					 in the same segment (no FIN-WAIT-2 timer) */
	bool fin_sent;
	uint32_t fin_seq;             /* the FIN's sequence number, once sent */
	bool close_deferred;          /* CLOSE in SYN-RECEIVED with data queued (U06) */
	bool ack_now;                 /* an ACK is owed: send one unless data carries it */
	bool peer_fin;                /* the peer's FIN was received */
	struct ooo_seg *ooo;

	/* Retransmission timer, RFC 6298. */
	usec_t srtt, rttvar, rto;
	bool have_rtt;
	bool rtt_timing;              /* one segment timed at a time (Karn) */
	uint32_t rtt_seq;
	usec_t rtt_start;
	int rtx_count;                /* retransmissions of the current front segment */
	bool syn_retransmitted;       /* RFC 6298 (5.7) */
	uint32_t recover;             /* after a timeout: resend one segment per ACK up to here */

	usec_t timer_due[TIMER_KINDS];
	uint32_t timer_gen[TIMER_KINDS];
	bool timer_on[TIMER_KINDS];
	bool half_duplex;             /* after CLOSE, arriving data draws a RST (T30) */
	bool eof_close;               /* the app read EOF and closes once this segment is processed */
	bool in_listen_queue;         /* counted in tcp_host.syn_received */
	bool settle;                  /* in the stack's settle list (host bookkeeping) */
	uint32_t tw_rec;              /* its TIME_WAIT record + 1, 0: none */
	uint32_t oow_ack_ms;          /* linux: its last out-of-window ACK, in ms + 1 (0: none);
					 fills a hole: the TCB is the hot path's */
	uint64_t tw_order;            /* the order stamp its 2MSL timer was set with */
	struct tcp_delack dack;       /* linux: delayed ACKs (tcp_delack.c) */
	bool tlp_out;                 /* linux: a loss probe is unacknowledged (tcp_tlp.c) ... */
	uint32_t tlp_high_seq;        /* ... SND.NXT when it went (tp->tlp_high_seq) */
};

/* tcp_tcb.c: state and timers -------------------------------------------- */

/* Makes the pool slot tcb a fresh TCB numbered id, in CLOSED, with the
 * defaults of h's parameters. Its generation and timer generations go on
 * from the slot's, so that nothing of an earlier TCB in the slot (a stale
 * timer event) matches the new one. */
void tcb_reset(const struct tcp_host *h, struct tcb *tcb, uint32_t id);
/* Frees what tcb holds besides itself: its send queue and out-of-order
 * segments. */
void tcb_free_buffers(struct tcb *tcb);

/* The one place where a TCB changes state. Emits the trace event with the
 * cause ("rcv SYN") and the row of docs/state-table.md ("T04"). Entering
 * CLOSED stops every timer and releases the TCB: the caller must not touch
 * tcb afterwards. */
void tcb_set_state(struct tcp_host *h, struct tcb *tcb, enum tcp_state to, const char *cause, const char *arc);
void tcb_timer_set(struct tcp_host *h, struct tcb *tcb, enum timer_kind k, usec_t after);
void tcb_timer_cancel(struct tcp_host *h, struct tcb *tcb, enum timer_kind k);
/* Takes timer k off without a trace event: another timer's expiry stands
 * for its (tcp_tlp_first()). */
void tcb_timer_drop(struct tcp_host *h, struct tcb *tcb, enum timer_kind k);
void tcb_timers_cancel_all(struct tcp_host *h, struct tcb *tcb);
/* A row of the state table that keeps the state (S01..S18, T32, T33, T41,
 * T52a-f): emits an `arc` trace event for endpoint ep. */
void tcp_note_arc(struct tcp_host *h, int ep, enum tcp_state state, const char *arc, const char *cause);

/* Section 3.4.1's ISS for a connection of an endpoint configured with ISN
 * isn: isn itself for its first connection, then isn plus the RFC's
 * 4-microsecond clock at `now`; at least `floor` when floor_set (T29's
 * MAY-2). */
uint32_t tcp_iss(usec_t now, uint32_t isn, bool first, bool floor_set, uint32_t floor);

/* tcp_user.c: user calls, section 3.10.1-3.10.5 ---------------------------
 * Each returns 0, or a negative error whose text tcp_error_text() gives
 * ("connection already exists"): errors are reported, never fatal. */
enum tcp_error {
	TCP_OK = 0,
	TCP_ERR_EXISTS = -1,          /* connection already exists */
	TCP_ERR_NOCONN = -2,          /* connection does not exist */
	TCP_ERR_CLOSING = -3,         /* connection closing */
	TCP_ERR_NOMEM = -4,
};
const char *tcp_error_text(int err);
/* The error `call` would return on tcb (NULL: the endpoint has no TCB),
 * without doing it: TCP_OK when the call is allowed in that state. */
int tcp_call_error(const struct tcb *tcb, enum user_call call);

int tcp_open_passive(struct tcp_host *h, struct tcb *tcb);
int tcp_open_active(struct tcp_host *h, struct tcb *tcb);
int tcp_send(struct tcp_host *h, struct tcb *tcb, const uint8_t *data, uint32_t len);
int tcp_close(struct tcp_host *h, struct tcb *tcb);
int tcp_abort(struct tcp_host *h, struct tcb *tcb);

/* tcp_input.c: SEGMENT ARRIVES, section 3.10.7 --------------------------- */

/* seg arrived for tcb (found by the host's demultiplexing; a LISTEN TCB for
 * a SYN to a listener is a fresh copy of the listener). */
void tcp_input(struct tcp_host *h, struct tcb *tcb, const struct segment *seg);
/* No TCB at all: the CLOSED state's answer (section 3.10.7.1), sent from the
 * endpoint `ep` the segment was addressed to. */
void tcp_input_closed(struct tcp_host *h, int ep, const struct segment *seg);

/* tcp_oow.c: the linux profile's limit on out-of-window ACKs --------------- */

/* __tcp_oow_rate_limited(): whether the challenge ACK tcb would send now is
 * skipped (one per 500 ms); false in the rfc9293 profile. */
bool tcp_oow_rate_limited_any(struct tcp_host *h, struct tcb *tcb);
/* tcp_oow_rate_limited(): the same for the ACK of an unacceptable segment,
 * which is limited only when seg carries no data or a SYN. */
bool tcp_oow_rate_limited(struct tcp_host *h, struct tcb *tcb, const struct segment *seg);

/* tcp_delack.c: the linux profile's delayed ACK ---------------------------
 * Each does nothing in the rfc9293 profile, which acknowledges at once. */

/* tcp_event_data_recv(): in-order text of len bytes (psh: its PSH bit)
 * arrived and was read; the ACK it owes is scheduled. */
void tcp_delack_data_recv(struct tcp_host *h, struct tcb *tcb, uint32_t len, bool psh);
/* Text arrived out of order, or filled the gap before the out-of-order
 * queue: the ACK goes at once (tcp_data_queue_ofo(), ICSK_ACK_NOW). */
void tcp_delack_ack_now(struct tcp_host *h, struct tcb *tcb);
/* A segment that repeats what was received (a retransmission, or the SYN
 * of a simultaneous open's SYN,ACK): quick-ack mode (tcp_enter_quickack_mode()). */
void tcp_delack_quickack(struct tcp_host *h, struct tcb *tcb);
/* tcp_fin(): the peer's FIN, taken in state `from`. */
void tcp_delack_fin(struct tcp_host *h, struct tcb *tcb, enum tcp_state from);
/* __tcp_ack_snd_check(), once a segment is processed: the ACK it owes
 * (tcb->ack_now) goes at once, or waits for the delayed-ACK timer or for
 * the next segment tcb sends (tcb->ack_now cleared). */
void tcp_delack_check(struct tcp_host *h, struct tcb *tcb);
/* tcb sends a segment with flags and len bytes: tcp_event_ack_sent() (it
 * carries the ACK: the timer stops) and tcp_event_data_sent(). */
void tcp_delack_sent(struct tcp_host *h, struct tcb *tcb, uint8_t flags, uint32_t len);
/* The delayed-ACK timer fired: tcp_delack_timer_handler(). */
void tcp_delack_timeout(struct tcp_host *h, struct tcb *tcb);

/* tcp_tlp.c: the linux profile's tail loss probe (RFC 8985) ---------------
 * Each does nothing in the rfc9293 profile. */

/* tcp_schedule_loss_probe(): new data or a FIN went out (advancing false),
 * or an ACK of new data came with more outstanding (true): the loss-probe
 * timer, PTO from now, when the connection is not recovering from a
 * timeout. */
void tcp_tlp_schedule(struct tcp_host *h, struct tcb *tcb, bool advancing);
/* The loss-probe timer fired: tcp_send_loss_probe(). */
void tcp_tlp_timeout(struct tcp_host *h, struct tcb *tcb);
/* The RTO fires: whether a probe due at this same instant goes in its place
 * (Linux's one timer would hold the probe); if so the probe's own timer is
 * taken off without a trace event, and the caller fires the probe, which
 * always restarts the RTO. */
bool tcp_tlp_first(struct tcp_host *h, struct tcb *tcb);
/* SND.UNA advanced to ack: a probe it covers is done (tcp_process_tlp_ack()). */
void tcp_tlp_acked(struct tcp_host *h, struct tcb *tcb, uint32_t ack);

/* tcp_timer.c: timeouts, section 3.10.8 ---------------------------------- */

/* Timer k of tcb fires (the host calls it when the timer it was given comes
 * due, still running and of the same generation): the trace event, then the
 * timeout. */
void tcp_timer_fire(struct tcp_host *h, struct tcb *tcb, enum timer_kind k);

/* tcp_output.c ----------------------------------------------------------- */

/* Sends what the window allows of the queued data and FIN, or an ACK when
 * one is owed and nothing else carried it. */
void tcp_output(struct tcp_host *h, struct tcb *tcb);
/* Sends <SEQ=seq><ACK=ack><CTL=flags> from tcb's addresses. */
void tcp_send_control(struct tcp_host *h, struct tcb *tcb, uint32_t seq, uint32_t ack, uint8_t flags);
/* Sends the last segment sent again (its last MSS of data, with the FIN
 * if that was sent): the linux profile's loss probe. */
void tcp_retransmit_tail(struct tcp_host *h, struct tcb *tcb);
/* Sends the segment that starts at seq again (SYN, SYN-ACK, data, FIN). */
void tcp_retransmit_front(struct tcp_host *h, struct tcb *tcb);
/* RFC 6298: a new RTT sample, in microseconds. */
void tcp_rtt_sample(struct tcp_host *h, struct tcb *tcb, usec_t r);
#endif
