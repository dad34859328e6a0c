/* tcp_input_int.h - what tcp_input.c (the RFC's segment arrival) and
 * tcp_input_linux.c (the linux profile's departures from it) share. Not for
 * other files. */
#ifndef TCPSIM_TCP_INPUT_INT_H
#define TCPSIM_TCP_INPUT_INT_H

#include "tcp/tcp.h"

/* tcp_input.c: steps of RFC 9293 3.10.7 the linux profile's code reuses. */
/* The reset that answers seg (sections 3.10.7.1, 3.5.2): <SEQ=SEG.ACK><CTL=RST>, or
 * <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK> when seg has no ACK; from ep. */
void tcp_in_reset_reply(struct tcp_host *h, int ep, const struct segment *seg);
/* <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>, now. */
void tcp_in_ack_now(struct tcp_host *h, struct tcb *tcb);
/* Our SYN is acknowledged: the handshake's RTT sample and the RTO data starts with. */
void tcp_in_handshake_acked(struct tcp_host *h, struct tcb *tcb);
/* SYN-RECEIVED's fifth step: ESTABLISHED (T09, or arc) on an acceptable ACK,
 * unless defer; a reset and false for an unacceptable one (S07). */
bool tcp_in_ack_in_syn_received(struct tcp_host *h, struct tcb *tcb, const struct segment *seg,
				const char *cause, const char *arc, bool defer);
/* The fifth step in the synchronized states; false when the segment was
 * consumed. */
bool tcp_in_process_ack(struct tcp_host *h, struct tcb *tcb, const struct segment *seg);

/* tcp_input_linux.c: each described there. */
void syn_sent_synack_linux(struct tcp_host *h, struct tcb *tcb);
void syn_sent_bad_ack_linux(struct tcp_host *h, struct tcb *tcb);
void syn_received_syn_linux(struct tcp_host *h, struct tcb *tcb, const struct segment *seg);
bool syn_recv_ack_fin_linux(struct tcp_host *h, struct tcb *tcb, const struct segment *seg,
				   const char *cause, const char *arc);
bool closing_fin_again_linux(struct tcp_host *h, struct tcb *tcb, const struct segment *seg);
void simultaneous_synack_linux(struct tcp_host *h, struct tcb *tcb);
void input_time_wait_linux(struct tcp_host *h, struct tcb *tcb, const struct segment *seg);

#endif
