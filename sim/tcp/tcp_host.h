/* tcp_host.h - what the TCP needs from whatever hosts it.
 *
 * The state machine (tcp.h) owns no TCB pool, no clock, no link and no
 * application: its host does. Every function of the TCP takes the host as a
 * struct tcp_host, reads the clock and the parameters from it, and reaches
 * the rest through its table of operations. host/stack.c is the simulator's
 * host (the TCBs of many endpoints, the event queue, the link);
 * tests/fixtures/tcp_script.c is a host of its own, which drives one TCP
 * without the engine.
 *
 * A table of function pointers, not calls resolved at link time, so that
 * both hosts live in one test binary; on the benchmark's workload
 * (docs/performance.md) the indirect calls cost no measurable time. */
#ifndef TCPSIM_TCP_HOST_H
#define TCPSIM_TCP_HOST_H

#include <stdbool.h>
#include <stdint.h>
#include "base/duration.h"
#include "proto/segment.h"
#include "proto/tcp_state.h"
#include "scenario/scenario.h"
#include "trace/trace.h"

struct tcb;
struct tcp_host;

struct tcp_host_ops {
	/* Puts seg, sent by endpoint ep, on its way to the peer. */
	void (*output)(struct tcp_host *h, int ep, const struct segment *seg);

	/* Timer k of tcb was set to fire at tcb->timer_due[k], generation
	 * tcb->timer_gen[k] (a timer set again replaces its earlier due time):
	 * the host fires it then through tcp_timer_fire() unless it is
	 * cancelled or set again first. */
	void (*timer_set)(struct tcp_host *h, struct tcb *tcb, enum timer_kind k);
	/* Timer k of tcb, which was running, is cancelled. */
	void (*timer_cancel)(struct tcp_host *h, struct tcb *tcb, enum timer_kind k);

	/* A SYN to listener: a new TCB in LISTEN for the connection, addressed
	 * to the SYN's sender and registered as its endpoint's connection, so
	 * that the peer's next segments find it. NULL when out of memory. */
	struct tcb *(*tcb_from_listener)(struct tcp_host *h, struct tcb *listener, const struct segment *syn);
	/* tcb has reached CLOSED, or a passive copy has gone back to LISTEN:
	 * the host unregisters and frees it. Its memory stays readable, with
	 * in_use false (or, taken again in the same event, a greater gen), so
	 * that the TCP can tell a TCB it held has gone. */
	void (*tcb_release)(struct tcp_host *h, struct tcb *tcb);
	/* A passive OPEN: tcb becomes its endpoint's listener. */
	void (*make_listener)(struct tcp_host *h, struct tcb *tcb);
	/* An active OPEN: tcb (new, or its endpoint's listener, T22) becomes
	 * its endpoint's connection to the endpoint's peer. */
	void (*make_connection)(struct tcp_host *h, struct tcb *tcb);
	/* The ISS for endpoint ep's next connection (section 3.4.1): the host
	 * keeps each endpoint's configured ISN, and tcp_iss() computes it. */
	uint32_t (*choose_iss)(struct tcp_host *h, int ep);

	/* The application of tcb's endpoint, which has read the in-order bytes
	 * as they came (the TCP's `data` trace events), reads end-of-file; one
	 * that closes on EOF sets tcb->eof_close, and tcp_input() then calls
	 * app_close. */
	void (*app_eof)(struct tcp_host *h, struct tcb *tcb);
	/* The application calls CLOSE on tcb (through tcp_close()). */
	void (*app_close)(struct tcp_host *h, struct tcb *tcb);

	/* T29, the linux profile's SYN to a connection in TIME-WAIT: whether
	 * endpoint ep has a listener to take it; the least ISS the endpoint's
	 * next connection may choose; and the SYN handed to the host again,
	 * once the TIME-WAIT TCB is gone, as if it had just arrived. */
	bool (*has_listener)(struct tcp_host *h, int ep);
	void (*set_iss_floor)(struct tcp_host *h, int ep, uint32_t floor);
	void (*segment_arrives)(struct tcp_host *h, const struct segment *seg);
};

struct tcp_host {
	const struct tcp_host_ops *ops;
	/* Kept by the host, read by the TCP. */
	usec_t now;                   /* the virtual clock */
	enum profile profile;
	const struct tcp_params *params;
	struct trace *trace;          /* where the TCP's events go */
	/* The application's view of its connections' states: called after each
	 * state change (the engine releases the calls that wait for an
	 * established connection); NULL: nobody asks. */
	void (*app_state)(void *ctx, int ep, enum tcp_state to);
	void *app_state_ctx;
	/* Counters kept by the TCP, read by the host. */
	uint64_t n_retransmits;
	uint32_t syn_received;        /* passive connections in SYN-RECEIVED now (the listen queue) */
};

#endif
