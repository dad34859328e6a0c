/* eventq.h - the event queue, ordered by (time, order).
 *
 * `order` is a counter stamped when the event is scheduled, so events due at
 * one instant run in the order they were scheduled: the contract's tie-break.
 *
 * Three structures keep every operation cheap however many connections a run
 * holds (a discrete-event program is as fast as its queue):
 *  - a binary min-heap for events in general;
 *  - FIFO lanes for sources whose due times only grow (the link's arrivals
 *    with a fixed delay, TIME_WAIT expiries with a fixed 2MSL): O(1) each; an
 *    event pushed to a lane earlier than the lane's last one goes to the heap;
 *  - timers (EV_TIMER) are keyed by (tcb id, timer kind), so setting a timer
 *    replaces its one queued event and cancelling removes it. A timer due
 *    later than the events at hand waits in a timing wheel (buckets of
 *    EVQ_WHEEL_SLOT_US, a list each; O(1) to set and to cancel) and enters
 *    the heap only when the queue reaches its bucket: a retransmission timer
 *    is nearly always cancelled long before that, and never costs a sift.
 *    Wherever it waits, a timer pops by (at, order) like every event.
 * Events are stored by value in arrays that only grow: no allocation per
 * event in the steady state. */
#ifndef TCPSIM_EVENTQ_H
#define TCPSIM_EVENTQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/duration.h"

enum ev_kind {
	EV_TIMELINE,      /* a = timeline entry index, b = client instance (0: not a client's) */
	EV_ARRIVAL,       /* a = link flight slot */
	EV_TIMER,         /* a = tcb id, b = timer kind (< EVQ_TIMER_KINDS), gen = the timer's generation */
	EV_TW_EXPIRE,     /* a = time-wait record id, gen = its generation */
};

#define EVQ_TIMER_KINDS 6
#define EVQ_LANES 3
/* The lanes: TIME_WAIT expiries, then the arrivals of each direction
 * (EVQ_LANE_ARRIVAL + the sender's role). */
enum { EVQ_LANE_TIME_WAIT = 0, EVQ_LANE_ARRIVAL = 1 };

struct event {
	usec_t at;
	uint64_t order;
	uint32_t kind;
	uint32_t a;
	uint32_t b;
	uint32_t gen;
};

/* A lane's event: its kind is the lane's, its b is 0 (24 bytes, not 32: a
 * million TIME_WAIT expiries wait in a lane). */
struct evq_lane_ev {
	usec_t at;
	uint64_t order;
	uint32_t a, gen;
};

struct evq_lane {
	struct evq_lane_ev *v;        /* a ring: v[head .. head+n) modulo cap */
	size_t head, n, cap;
	uint32_t kind;                /* of the events it holds */
};

#define EVQ_WHEEL_SHIFT 10                              /* buckets of 1024 us */
#define EVQ_WHEEL_SLOT_US (1u << EVQ_WHEEL_SHIFT)
#define EVQ_WHEEL_SLOTS 4096                            /* 4.2 s ahead; later timers: the heap */

/* A timer (tcb, kind), keyed tcb * EVQ_TIMER_KINDS + kind. */
struct evq_timer {
	usec_t at;                    /* while in the wheel: its event's fields */
	uint64_t order;
	uint32_t gen;
	uint32_t heap_pos;            /* heap index + 1, 0: not in the heap */
	uint32_t next, prev;          /* in its wheel bucket: keys + 1, 0: none */
	bool in_wheel;
};

struct eventq {
	struct event *heap;
	size_t n, cap;
	uint64_t next_order;
	struct evq_lane lane[EVQ_LANES];
	struct evq_timer *timers;     /* by key */
	size_t n_timers;
	uint32_t wheel[EVQ_WHEEL_SLOTS];   /* first key + 1 of each bucket, 0: empty */
	uint64_t wheel_cursor;        /* buckets (at >> EVQ_WHEEL_SHIFT) below it are in the heap */
	size_t wheel_n;               /* timers in the wheel */
	struct event peeked;          /* eventq_peek's answer when a lane holds the earliest */
};

void eventq_init(struct eventq *q);
void eventq_free(struct eventq *q);
/* Schedules an event on the heap; returns 0, or -1 when out of memory. */
int eventq_push(struct eventq *q, usec_t at, enum ev_kind kind, uint32_t a, uint32_t b, uint32_t gen);
/* Schedules an event with an order stamp taken earlier (eventq_reserve). */
int eventq_push_order(struct eventq *q, usec_t at, uint64_t order, enum ev_kind kind, uint32_t a, uint32_t b,
		      uint32_t gen);
/* Reserves n order stamps, the first of which it returns: events pushed
 * later with them run as if they had been scheduled now. */
uint64_t eventq_reserve(struct eventq *q, uint64_t n);
/* Schedules an event on a FIFO lane (the heap when `at` is earlier than the
 * lane's last event, or b is not 0, or the lane holds events of another
 * kind). */
int eventq_push_lane(struct eventq *q, int lane, usec_t at, enum ev_kind kind, uint32_t a, uint32_t b, uint32_t gen);
/* eventq_push_lane() with an order stamp taken earlier (eventq_reserve). */
int eventq_push_lane_order(struct eventq *q, int lane, usec_t at, uint64_t order, enum ev_kind kind, uint32_t a,
			   uint32_t b, uint32_t gen);
/* Sets timer (tcb, kind) to fire at `at` (an EV_TIMER event with gen),
 * replacing the timer's queued event if it has one. */
int eventq_timer_set(struct eventq *q, uint32_t tcb, uint32_t kind, usec_t at, uint32_t gen);
/* Removes timer (tcb, kind)'s queued event, if any. */
void eventq_timer_cancel(struct eventq *q, uint32_t tcb, uint32_t kind);
/* Removes the earliest event into *out; false when the queue is empty. */
bool eventq_pop(struct eventq *q, struct event *out);
/* The earliest event, or NULL (valid until the queue changes). */
const struct event *eventq_peek(struct eventq *q);
/* How many events are queued. */
size_t eventq_size(const struct eventq *q);

#endif
