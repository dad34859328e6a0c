/* tcp_script.h - drive one TCP as a script of segments in and out, as
 * smoltcp's socket tests read:
 *
 *   script_listen(&s, SERVER);
 *   RECV(&s, SERVER, TH_SYN, 0, 0, 0);                      // the peer's SYN
 *   SENT(&s, SERVER, TH_SYN | TH_ACK, 0, 1, 0);             // our SYN,ACK
 *   STATE(&s, SERVER, TCPS_SYN_RECEIVED, "T04");
 *
 * The test plays the peer: nothing the endpoint sends is delivered anywhere.
 * Numbers are relative, as in the segment notation: our SEQ from our ISN,
 * ACK from the peer's ISN (client ISN 1000, server ISN 5000). */
#ifndef TCPSIM_TCP_SCRIPT_H
#define TCPSIM_TCP_SCRIPT_H

#include "link.h"
#include "stack.h"
#include "testing.h"

enum { CLIENT = 0, SERVER = 1 };
#define CLIENT_ISN 1000u
#define SERVER_ISN 5000u

#define SCRIPT_MAX 256

struct script_state {
	int ep;
	enum tcp_state from, to;
	char arc[8];
};

struct script {
	struct tcp_params params;
	struct link_params lp;
	struct trace tr;
	struct eventq q;
	struct rng rng;
	struct link link;
	struct stack st;
	struct segment out[SCRIPT_MAX];
	int out_ep[SCRIPT_MAX];
	int n_out, next_out;
	struct script_state states[SCRIPT_MAX];
	int n_states;
	uint64_t delivered[2];
	enum tcp_state shown[2];      /* the last state the trace gave each */
	int eofs[2];
};

/* Two endpoints, the profile's parameters; tcp_params may be changed
 * before the first call. */
void script_init(struct script *s, enum profile p);
void script_free(struct script *s);

/* The endpoint's connection, else its listener; NULL if none. */
struct tcb *script_tcb(struct script *s, int ep);

/* User calls, as the scenario's timeline makes them; return tcp_error values. */
int script_listen(struct script *s, int ep);
int script_connect(struct script *s, int ep);
int script_send(struct script *s, int ep, uint32_t len);
int script_close(struct script *s, int ep);
int script_abort(struct script *s, int ep);

/* The peer of ep sends ep a segment: seq relative to the peer's ISN, ack
 * relative to ep's ISN, `len` bytes of payload. */
void script_recv(struct script *s, int ep, uint8_t flags, uint32_t seq, uint32_t ack, uint32_t len);
/* The same with absolute numbers and a window. */
void script_recv_abs(struct script *s, int ep, uint8_t flags, uint32_t seq, uint32_t ack, uint32_t len, uint16_t win);

/* Common openings, checked segment by segment: the client through T02 and
 * T08 (SYN out, SYN,ACK in, ACK out); the server through T01 and T04 (SYN
 * in, SYN,ACK out); and on through T09 (the ACK of its SYN, nothing sent). */
void script_client_established(struct script *s);
void script_server_syn_received(struct script *s);
void script_server_established(struct script *s);

/* Runs the timers due within `us` from now. */
void script_advance(struct script *s, usec_t us);

/* Checks, reported at the caller's line. */
void script_expect_sent(struct script *s, int ep, uint8_t flags, uint32_t seq, uint32_t ack, uint32_t len,
			const char *file, int line);
void script_expect_sent_abs(struct script *s, int ep, uint8_t flags, uint32_t seq, uint32_t ack, uint32_t len,
			    const char *file, int line);
void script_expect_nothing(struct script *s, const char *file, int line);
void script_expect_state(struct script *s, int ep, enum tcp_state st, const char *arc, const char *file, int line);

#define SENT(s, ep, flags, seq, ack, len) script_expect_sent(s, ep, flags, seq, ack, len, __FILE__, __LINE__)
#define SENT_ABS(s, ep, flags, seq, ack, len) script_expect_sent_abs(s, ep, flags, seq, ack, len, __FILE__, __LINE__)
#define NOTHING_SENT(s) script_expect_nothing(s, __FILE__, __LINE__)
/* The endpoint's state now; arc, when not NULL, is the last state event's. */
#define STATE(s, ep, st, arc) script_expect_state(s, ep, st, arc, __FILE__, __LINE__)
#define RECV(s, ep, flags, seq, ack, len) script_recv(s, ep, flags, seq, ack, len)

#endif
