/* eventq.h - the event queue: a binary min-heap ordered by (time, order).
 *
 * `order` is a counter stamped when the event is scheduled, so events due at
 * one instant run in the order they were scheduled: the contract's tie-break.
 * Events are stored by value in one array that only grows: no allocation per
 * event in the steady state. */
#ifndef TCPSIM_EVENTQ_H
#define TCPSIM_EVENTQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "duration.h"

enum ev_kind {
	EV_TIMELINE,      /* a = timeline entry index, b = client instance */
	EV_ARRIVAL,       /* a = link flight slot */
	EV_TIMER,         /* a = tcb id, b = timer kind, gen = the timer's generation */
	EV_APP_CLOSE,     /* a = tcb id, gen = tcb generation: the app closes on EOF */
};

struct event {
	usec_t at;
	uint64_t order;
	uint32_t kind;
	uint32_t a;
	uint32_t b;
	uint32_t gen;
};

struct eventq {
	struct event *heap;
	size_t n, cap;
	uint64_t next_order;
};

void eventq_init(struct eventq *q);
void eventq_free(struct eventq *q);
/* Schedules an event; returns 0, or -1 when out of memory. */
int eventq_push(struct eventq *q, usec_t at, enum ev_kind kind, uint32_t a, uint32_t b, uint32_t gen);
/* Removes the earliest event into *out; false when the queue is empty. */
bool eventq_pop(struct eventq *q, struct event *out);
/* The earliest event, or NULL. */
const struct event *eventq_peek(const struct eventq *q);

#endif
