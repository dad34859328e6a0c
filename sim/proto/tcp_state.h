/* tcp_state.h - the eleven states of RFC 9293 section 3.3.2.
 *
 * The order follows OpenBSD's tcp_fsm.h so that state questions are comparisons:
 * every state >= TCPS_ESTABLISHED is synchronized (section 3.5), every state
 * >= TCPS_SYN_RECEIVED has received a SYN, and the states after CLOSE_WAIT have
 * sent a FIN. */
#ifndef TCPSIM_TCP_STATE_H
#define TCPSIM_TCP_STATE_H

#include <stdbool.h>

enum tcp_state {
	TCPS_CLOSED = 0,
	TCPS_LISTEN,
	TCPS_SYN_SENT,
	TCPS_SYN_RECEIVED,
	TCPS_ESTABLISHED,
	TCPS_CLOSE_WAIT,
	TCPS_FIN_WAIT_1,   /* states from here on have sent a FIN */
	TCPS_CLOSING,
	TCPS_LAST_ACK,
	TCPS_FIN_WAIT_2,
	TCPS_TIME_WAIT,
};
#define TCP_NSTATES 11

static inline bool tcps_synchronized(enum tcp_state s) { return s >= TCPS_ESTABLISHED; }
static inline bool tcps_have_sent_fin(enum tcp_state s) { return s >= TCPS_FIN_WAIT_1; }

/* The state a connection (a client and its server side) is counted in by
 * expect.final and the summary: CLOSED when both ends are; else the
 * client's state, unless the client is CLOSED, then the server side's (so a
 * connection is in TIME_WAIT while either end still is). A server side back
 * in LISTEN (a passive open reset, T11/T23) holds no connection any more:
 * with the client CLOSED, the connection is CLOSED. */
static inline enum tcp_state tcp_connection_state(enum tcp_state client, enum tcp_state server)
{
	if (client != TCPS_CLOSED)
		return client;
	return server == TCPS_LISTEN ? TCPS_CLOSED : server;
}

/* The contract's spelling: "SYN_RECEIVED", "FIN_WAIT_1", ... */
const char *tcp_state_name(enum tcp_state s);
/* Accepts the contract's names and, case-insensitively, the RFC's hyphenated
 * names, SYN_RCVD, and Linux's SYN_RECV, FIN_WAIT1, FIN_WAIT2.
 * Returns 0 and sets *out, or -1 for a name that is no state. */
int tcp_state_parse(const char *name, enum tcp_state *out);

#endif
