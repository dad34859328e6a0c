/* page_steps.h - a run as the steps of the step-through page (page.c): one
 * step per thing that happens to the shown connection, in trace order, each
 * with what it did in words and where both endpoints stand after it.
 *
 * A step starts with an input or an output of one endpoint: a user call, a
 * segment sent, arriving, lost or copied on the link, dropped by the host
 * it reached, a timer's expiry. What the endpoint does about it at the same
 * instant (its state change or response row, its timers) belongs to that
 * step; what it sends is the next step, so that each segment is its own
 * moment on the ladder. Reads only the trace (the log, with its TRACE_VARS
 * snapshots when kept: trace_log.keep_vars). */
#ifndef TCPSIM_PAGE_STEPS_H
#define TCPSIM_PAGE_STEPS_H

#include <stdbool.h>
#include <stddef.h>
#include "output/ladder.h"
#include "trace/trace_log.h"

#define PAGE_STEPS_MAX 5000          /* a longer run's page stops there, and says so */
#define PAGE_TEXT_MAX 1024
#define PAGE_NOTE_MAX 512

enum page_step_kind {
	PAGE_START,                  /* before anything: both sides' first states */
	PAGE_CALL,                   /* side calls (connect, close, ...) */
	PAGE_SEND,                   /* side sends segment `seg` */
	PAGE_DELIVER,                /* side receives it */
	PAGE_LINK_DROP,              /* the link loses side's segment */
	PAGE_HOST_DROP,              /* side's host drops what arrived (a full backlog) */
	PAGE_DUPLICATE,              /* the link copies side's segment: it arrives twice */
	PAGE_TIMER,                  /* one of side's timers expires */
	PAGE_STATE,                  /* side changes state, with none of the above at that instant */
};

/* A timer of one side after a step. */
struct page_timer {
	bool on;
	usec_t due;                  /* when it fires */
	usec_t len;                  /* what it was set for */
};

struct page_step {
	enum page_step_kind kind;
	usec_t t;
	int side;                    /* who acts (LADDER_LEFT client, LADDER_RIGHT server); -1 at the start */
	size_t ev;                   /* its first log event */
	size_t last_ev;              /* the last log event it takes in */
	size_t seg;                  /* the segment's send event (the ladder draws it as "ev<seg>_seg"),
					SIZE_MAX for none */
	enum tcp_state state[2];     /* each side's state after the step */
	const char *arc[2];          /* the RFC row a side took at this step ("T17", "S16"), NULL */
	unsigned arc_step[2];        /* its number on the state diagram; 0 for a row that keeps the state */
	enum tcp_state arc_state[2]; /* the state it was taken in (a listener's row: LISTEN) */
	struct page_timer timers[2][TIMER_KINDS];
	struct trace_vars vars[2];   /* each side's variables after the step ... */
	bool has_vars[2];            /* ... when the log kept them */
	char note[PAGE_NOTE_MAX];    /* the scenario's `note:` that comes with the step, "" for none */
	char text[PAGE_TEXT_MAX];    /* what happened, in words; then a line ("\n...") for each RFC
					row taken, with its section */
};

struct page_steps {
	struct ladder lad;           /* the shown pair, their names, the segments' words */
	struct page_step *steps;
	size_t n, cap;
	bool cut;                    /* more happened than PAGE_STEPS_MAX steps */
};

/* Reads log into ps. Returns 0, or -1 when out of memory or the log is
 * incomplete; call page_steps_free either way. */
int page_steps_build(struct page_steps *ps, const struct trace_log *log);
void page_steps_free(struct page_steps *ps);
/* The words for a timer ("retransmission timer", "2MSL timer"). */
const char *page_timer_words(enum timer_kind k);

#endif
