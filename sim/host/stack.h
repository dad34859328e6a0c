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
#include "base/eventq.h"
#include "host/hmap.h"
#include "link/link.h"
#include "scenario/scenario.h"
#include "tcp/tcp.h"
#include "trace/trace.h"
#include "host/tw_rec.h"

#define NO_TCB UINT32_MAX

struct endpoint {                     /* 32 bytes: a million clients are two million of them */
	uint32_t ip;
	uint32_t isn;                 /* configured ISN: the first connection's */
	uint32_t last_isn;            /* the ISN of the latest SYN it sent (for inject) */
	uint32_t iss_floor;           /* T29: the next ISS must be at least this, when iss_floor_set */
	uint32_t listener;            /* tcb id or NO_TCB */
	uint32_t conn;                /* tcb id, TW_BIT | record id, or NO_TCB */
	int32_t peer;                 /* the endpoint `connect` and `inject` aim at */
	uint16_t port;
	uint8_t role;                 /* enum role */
	bool iss_floor_set : 1;
	bool on_eof_close : 1;
	bool half_duplex : 1;         /* its TCBs answer data after CLOSE with RST (T30) */
	bool connected : 1;           /* it has chosen an ISS before (the next is clock-driven) */
	bool has_twin : 1;            /* a client#K: its server side server#K, added right after
					 it (endpoint_twin), owns the connection the listener
					 accepts from it */
};

_Static_assert(sizeof(struct endpoint) == 32, "an endpoint is half a cache line");

/* The endpoint that owns the connections the listener accepts from endpoint
 * ep (server#K for client#K), or -1. */
static inline int endpoint_twin(const struct endpoint *eps, int ep)
{
	return eps[ep].has_twin ? ep + 1 : -1;
}

/* An id in the connection map or endpoint.conn with this bit names a record. */
#define TW_BIT 0x80000000u

struct stack {
	struct tcp_host host;         /* what the TCP sees of it: the clock, the parameters, the trace,
					 its operations (stack.c) and the TCP's counters */
	struct eventq *q;
	struct link *link;

	struct endpoint *eps;         /* index = trace endpoint index */
	uint32_t n_eps;
	size_t cap_eps;

	struct tcb **tcbs;            /* chunks of 1 << TCB_CHUNK_BITS: a TCB never moves */
	uint32_t n_tcbs, cap_tcbs, free_tcb;
	uint32_t live_tcbs;
	uint32_t backlog;             /* the listeners' limit of connections in SYN-RECEIVED
					 (host.syn_received); 0: none */

	struct hmap conns;            /* 4-tuple hash -> tcb id, or TW_BIT | record id */
	struct hmap tw_conns;         /* 4-tuple hash -> TW_BIT | record id, when tw_indexed */
	bool tw_indexed;              /* false with many clients: each client#K's and server#K's
					 record is found through the endpoint the link names
					 (endpoint.conn), and a million records need no map */
	struct tw_rec *tws;           /* TIME_WAIT records */
	uint32_t n_tws, free_tw, live_tws;
	size_t cap_tws;
	uint32_t *settle;             /* TCBs to look at after the event (entered TIME_WAIT, inflated) */
	uint32_t n_settle;
	size_t cap_settle;
	struct hmap addrs;            /* ip:port -> endpoint index */
	struct addr_block {           /* many clients: addresses by rule, not a million map entries */
		uint32_t first_ip, count, skip_ip;
		uint16_t port;
		int first_ep, ep_step;
	} block;

	int arriving_from;            /* the sending endpoint of the segment being processed, or -1 */
	uint64_t n_host_drops;        /* segments a host discarded (a full listen queue) */
	bool oom;                     /* an allocation failed: the run reports it */
	bool trace_vars;              /* a sink wants TRACE_VARS (stack_init asks the trace): after
					 each call, arrival and timer of an endpoint, its variables */
};

#define TCB_CHUNK_BITS 8
static inline struct tcb *tcb_at(const struct stack *st, uint32_t id)
{
	return &st->tcbs[id >> TCB_CHUNK_BITS][id & ((1u << TCB_CHUNK_BITS) - 1)];
}

int stack_init(struct stack *st, enum profile profile, const struct tcp_params *params,
	       struct trace *tr, struct eventq *q, struct link *link);
void stack_free(struct stack *st);

/* Sizes the maps for this many endpoints and connections up front (a run
 * of many clients). Returns -1 when out of memory. */
int stack_reserve(struct stack *st, uint32_t endpoints, uint32_t connections);
/* Makes `count` endpoints reachable by address without a map entry each:
 * the i-th (from 0) is endpoint first_ep + i * ep_step at first_ip + i, the
 * addresses stepping over skip_ip, all with the given port (the clients of
 * a many-client run). Their endpoints are added not `addressed`. */
void stack_add_address_block(struct stack *st, uint32_t first_ip, uint32_t count, uint32_t skip_ip, uint16_t port,
			     int first_ep, int ep_step);
/* Adds an endpoint; its index equals the trace endpoint index `ep`.
 * Segments to ip:port reach it when `addressed`; server#K, which shares the
 * listener's address, is reached through its connection only. */
int stack_add_endpoint(struct stack *st, int ep, enum role role, uint32_t ip, uint16_t port,
		       uint32_t isn, bool on_eof_close, bool addressed);

/* A fresh TCB in CLOSED for endpoint ep, addressed to its peer. NULL when out
 * of memory. */
struct tcb *stack_tcb_new(struct stack *st, int ep);
/* The TCB of pool id `id`, NULL if it is not in use. */
struct tcb *stack_tcb(struct stack *st, uint32_t id);

/* Demultiplexes an arriving segment: connection by 4-tuple, else listener by
 * address, else the CLOSED answer from the addressed endpoint; a segment to
 * no endpoint at all is dropped. */
void stack_segment_arrives(struct stack *st, const struct segment *seg);
/* The same, with the link's word on the sending and the addressed endpoint
 * (-1: unknown), which spares the hash lookups of most segments. */
void stack_segment_arrives_from(struct stack *st, const struct segment *seg, int src_ep, int dst_ep);

/* The connection TCB of endpoint ep (inflated from its TIME_WAIT record if
 * it has one), or NULL. */
struct tcb *stack_endpoint_conn(struct stack *st, int ep);
/* After each event: TCBs in TIME_WAIT shrink to records, whose 2MSL expiry
 * is queued on the TIME_WAIT lane (EV_TW_EXPIRE). */
void stack_settle(struct stack *st);
/* Whether an EV_TW_EXPIRE event for record rec with generation gen is
 * still current: the record has not been freed or its 2MSL timer restarted
 * since the event was queued. */
static inline bool stack_tw_expiry_current(const struct stack *st, uint32_t rec, uint32_t gen)
{
	return rec < st->n_tws && st->tws[rec].gen == gen;
}
/* Whether endpoint ep's connection is a TIME_WAIT record now (between
 * events), which only a segment, a call or its timer inflates. */
static inline bool stack_endpoint_conn_is_record(const struct stack *st, int ep)
{
	uint32_t id = st->eps[ep].conn;
	return id != NO_TCB && (id & TW_BIT);
}
/* Whether a timer event (EV_TIMER, EV_TW_EXPIRE) popped from the queue is
 * still current: its timer has not been cancelled or set again, nor its
 * TCB or record freed, since it was queued. */
bool stack_timer_event_current(const struct stack *st, const struct event *ev);
/* Runs a timer event: the timer fires (tcp_timer_fire), if it is still
 * current; a record's 2MSL timer inflates it to a TCB first. */
void stack_timer_event_run(struct stack *st, const struct event *ev);
/* Emits a TRACE_VARS event: endpoint ep's connection variables as they are
 * now (after an event, before stack_settle: a connection in TIME_WAIT is
 * still a TCB), LISTEN when it only listens, CLOSED when it has neither.
 * The stack calls it after an arrival and a timer when st->trace_vars; the
 * engine after a call. */
void stack_trace_vars(struct stack *st, int ep);

/* Emits a `call` trace event for endpoint ep; error NULL when accepted. */
void stack_emit_call(struct stack *st, int ep, enum user_call call, uint64_t bytes, const char *error);

#endif
