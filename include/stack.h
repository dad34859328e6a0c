/* stack.h - the hosts around the state machine: named endpoints, the pool of
 * TCBs, demultiplexing of arriving segments (by hash, never by list), the
 * virtual clock and the way out to the link.
 *
 * An endpoint ("client", "server", "server#3") is what the trace and the
 * scenario name. It may hold a listener (a LISTEN TCB, which stays in LISTEN
 * as a socket does) and one connection TCB. */
#ifndef TCPSIM_STACK_H
#define TCPSIM_STACK_H

#include <stdbool.h>
#include <stdint.h>
#include "eventq.h"
#include "link.h"
#include "scenario.h"
#include "tcp.h"
#include "trace.h"

#define NO_TCB UINT32_MAX

struct endpoint {
	enum role role;
	uint32_t ip;
	uint16_t port;
	uint32_t isn;                 /* configured ISN: the first connection's */
	uint32_t last_isn;            /* the ISN of the latest SYN it sent (for inject) */
	uint32_t n_connections;
	bool iss_floor_set;           /* T29: the next ISS must be at least iss_floor */
	uint32_t iss_floor;
	bool on_eof_close;
	bool half_duplex;             /* its TCBs answer data after CLOSE with RST (T30) */
	uint32_t listener;            /* tcb id or NO_TCB */
	uint32_t conn;                /* tcb id or NO_TCB */
	int peer;                     /* the endpoint `connect` and `inject` aim at */
	enum tcp_state shown;         /* the last state the trace gave it */
	uint64_t delivered;
};

/* An open-addressing hash table from a 64-bit key to a 32-bit value. */
struct hmap {
	uint64_t *keys;
	uint32_t *vals;
	uint32_t cap, n;              /* cap a power of two */
};

struct stack {
	usec_t now;
	enum profile profile;
	const struct tcp_params *params;
	struct trace *trace;
	struct eventq *q;
	struct link *link;

	struct endpoint *eps;         /* index = trace endpoint index */
	uint32_t n_eps;

	struct tcb *tcbs;
	uint32_t n_tcbs, cap_tcbs, free_tcb;
	uint32_t live_tcbs;

	struct hmap conns;            /* 4-tuple hash -> tcb id (chained through collisions by probing) */
	struct hmap addrs;            /* ip:port -> endpoint index */

	uint64_t n_retransmits;
	bool oom;                     /* an allocation failed: the run reports it */
};

int stack_init(struct stack *st, enum profile profile, const struct tcp_params *params,
	       struct trace *tr, struct eventq *q, struct link *link);
void stack_free(struct stack *st);

/* Adds an endpoint; its index equals the trace endpoint index `ep`. */
int stack_add_endpoint(struct stack *st, int ep, enum role role, uint32_t ip, uint16_t port,
		       uint32_t isn, bool on_eof_close);

/* A fresh TCB in CLOSED for endpoint ep, addressed to its peer. NULL when out
 * of memory. */
struct tcb *stack_tcb_new(struct stack *st, int ep);
/* The SYN to a listener: a copy of it in LISTEN, addressed to the SYN's
 * sender, registered as the endpoint's connection. */
struct tcb *stack_tcb_from_listener(struct stack *st, struct tcb *listener, const struct segment *syn);
/* Called by tcb_set_state() when a TCB has reached CLOSED, or a passive copy
 * has gone back to LISTEN: unregisters and frees it. */
void stack_tcb_release(struct stack *st, struct tcb *tcb);
struct tcb *stack_tcb(struct stack *st, uint32_t id);
/* An active OPEN turns tcb (new, or the endpoint's listener: T22) into the
 * endpoint's connection to its peer. */
void stack_tcb_make_connection(struct stack *st, struct tcb *tcb);
/* Makes tcb the endpoint's listener. */
void stack_tcb_make_listener(struct stack *st, struct tcb *tcb);

/* The ISS for endpoint ep's next connection (section 3.4.1): the configured
 * ISN for the first, then the configured ISN plus the RFC's 4-microsecond
 * clock. */
uint32_t stack_choose_iss(struct stack *st, int ep);

/* Demultiplexes an arriving segment: connection by 4-tuple, else listener by
 * address, else the CLOSED answer from the addressed endpoint; a segment to
 * no endpoint at all is dropped. */
void stack_segment_arrives(struct stack *st, const struct segment *seg);

/* Puts a segment sent by endpoint ep on the link. */
void stack_output(struct stack *st, int ep, const struct segment *seg);
/* The application of endpoint ep reads len bytes (a `data` trace event). */
void stack_app_data(struct stack *st, struct tcb *tcb, const uint8_t *data, uint32_t len);
/* The application of the TCB's endpoint reads end-of-file. */
void stack_app_eof(struct stack *st, struct tcb *tcb);

#endif
