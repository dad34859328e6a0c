/* ladder.h - the exchange as a ladder: two columns, client and server, their
 * states and the segments between them in time order, drops marked. Reads only
 * the trace. */
#ifndef TCPSIM_LADDER_H
#define TCPSIM_LADDER_H

#include <stdio.h>
#include "trace/trace_log.h"

/* Plain text for a terminal (UTF-8 arrows). */
int ladder_write_text(FILE *out, const struct trace_log *log);
/* A markdown table like a lecture handout: time, client state, the segment
 * with its arrow, server state. */
int ladder_write_markdown(FILE *out, const struct trace_log *log);

/* The two-party view that the text ladder and the picture (graph_ladder.c)
 * share: one row per event, in trace order (see sim/output/ladder.c). */
enum ladder_side { LADDER_LEFT = 0, LADDER_RIGHT = 1 };   /* client, server */
enum ladder_row_kind { LADDER_ROW_INITIAL, LADDER_ROW_STATE, LADDER_ROW_SEGMENT };

struct ladder_row {
	enum ladder_row_kind kind;
	usec_t t;
	int side;                    /* state: whose; segment: the sender's */
	enum tcp_state state[2];     /* initial: both; state: [side] */
	const char *cause;           /* state: may be NULL */
	bool forged;                 /* segment */
	struct seg_line line;        /* segment, dropped marked, no time */
	size_t ev;                   /* state, segment: the event's index in the log */
	const char *drop_reason;     /* segment: why the host it reached dropped it
					("backlog full"); NULL: delivered, or lost on the link */
	size_t drop_ev;              /* segment with a drop_reason: the drop event's index */
};

struct ladder {
	const struct trace_log *log;
	int ep[2];                   /* the client's and the server's index, -1: none */
	char name[2][TRACE_NAME_MAX];    /* their names */
	size_t left_out;             /* endpoints not shown */
	struct ladder_row *rows;
	size_t n_rows;
};

/* Reads the log into lad: the client and the server shown, the initial row,
 * then their state changes and the segments between them. Returns 0, or -1
 * when out of memory or the log is incomplete; call ladder_free either way. */
int ladder_build(struct ladder *lad, const struct trace_log *log);
void ladder_free(struct ladder *lad);
/* The name heading a side's column ("client" when nobody is on that side). */
const char *ladder_side_name(const struct ladder *lad, int side);
/* What a side's state column holds on row r ("" for nothing): the state, with
 * its cause when no arrow shows it ("FIN_WAIT_1 (close)"); on a segment row,
 * "(forged)" by the sender, and by the receiver why its host dropped the
 * segment ("(backlog full)"). */
void ladder_state_cell(const struct ladder_row *r, int side, char *buf, size_t cap);
/* The segment label without "SRC > DST " (a pointer into label). */
const char *ladder_without_endpoints(const struct ladder_row *r, const char *label);

#endif
