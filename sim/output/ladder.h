/* ladder.h - the exchange as a ladder: two columns, client and server, their
 * states and the segments between them in time order, drops marked. Reads only
 * the trace. ladder_rows.c builds the rows, ladder_words.c writes what they
 * say, ladder.c the text and markdown ladders. */
#ifndef TCPSIM_LADDER_H
#define TCPSIM_LADDER_H

#include <stdio.h>
#include "output/resend.h"
#include "trace/trace_log.h"

/* Plain text for a terminal (UTF-8 arrows). */
int ladder_write_text(FILE *out, const struct trace_log *log);
/* A markdown table like a lecture handout: time, client state, the segment
 * with its arrow, server state. */
int ladder_write_markdown(FILE *out, const struct trace_log *log);

/* The two-party view that the text ladder and the picture (graph_ladder.c)
 * share: one row per event, in trace order (see sim/output/ladder.c). */
enum ladder_side { LADDER_LEFT = 0, LADDER_RIGHT = 1 };   /* client, server */
enum ladder_row_kind { LADDER_ROW_INITIAL, LADDER_ROW_STATE, LADDER_ROW_SEGMENT, LADDER_ROW_TIMER };


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
	enum tcp_state from;         /* state: the state left */
	const char *arc;             /* state: the RFC row ("T15"), may be NULL */
	unsigned step;               /* state: the state diagram's step number of this change
					for its side (1, 2, ...), 0 when from == to */
	bool timer_fired;            /* state: a timer's expiry caused it */
	usec_t time_wait;            /* state into CLOSED by the time-wait timer: how long it ran */
	const uint8_t *payload;      /* segment: the first bytes of a `data:` send's payload (the
					log's, trace_log.h), NULL for none or a `bytes:` send's pattern */
	uint32_t payload_len;        /* how many of them */
	enum resend_kind resend;     /* segment: sent again, and why (output/resend.h) */
	unsigned resend_n;           /* then: the how-many-th time (RTO 2, SYN retry 3) */
	bool delayed_ack;            /* segment: the ACK the delayed-ACK timer (linux) sent */
	enum timer_kind timer;       /* timer: which (TIME_WAIT, FIN_WAIT_2 or DELACK set) */
	bool restarted;              /* timer: it was running already */
	usec_t timer_len;            /* timer: how long it was set for */
	const char *timer_cause;     /* timer: the response that restarted it ("rcv FIN again") */
	const char *timer_arc;       /* timer: and its row ("S16"), may be NULL */
	bool picture;                /* the picture's words (ladder_for_picture) */
};

struct ladder {
	const struct trace_log *log;
	int ep[2];                   /* the client's and the server's index, -1: none */
	char name[2][TRACE_NAME_MAX];    /* their names */
	size_t left_out;             /* endpoints not shown */
	struct ladder_row *rows;
	size_t n_rows;
};

/* How the ladders label a segment (--labels): tcpdump's notation (the
 * default, as expect.segments is written) or short words for a slide (SYN,
 * SYN+ACK, ACK, FIN+ACK, RST, "data 1-1000"). The setting is the log's
 * (trace_log.labels), as the shown connection is. */

/* Reads the log into lad: the client and the server shown, the initial row,
 * then their state changes and the segments between them. Returns 0, or -1
 * when out of memory or the log is incomplete; call ladder_free either way. */
int ladder_build(struct ladder *lad, const struct trace_log *log);
void ladder_free(struct ladder *lad);
/* Makes the rows say the picture's words: a state's cause that is a
 * segment's arrival ("rcv FIN") is the arrow that ends there, and is left
 * out (the RFC row of an unusual change stays: "CLOSED (T34)"), so that
 * the state columns leave a slide's width to the arrows; the text ladders,
 * without arrows that end anywhere, give every cause. */
void ladder_for_picture(struct ladder *lad);
/* Which side endpoint i is on (LADDER_LEFT, LADDER_RIGHT), -1 when it is
 * not shown. */
int ladder_side_of(const struct ladder *lad, int i);
/* The name heading a side's column ("client" when nobody is on that side). */
const char *ladder_side_name(const struct ladder *lad, int side);
/* What a side's state column holds on row r ("" for nothing): the state, with
 * its cause when no arrow shows it ("FIN_WAIT_1 (close)"); on a segment row,
 * "(forged)" by the sender, and by the receiver why its host dropped the
 * segment ("(backlog full)"). */
void ladder_state_cell(const struct ladder_row *r, int side, char *buf, size_t cap);
/* The segment label without "SRC > DST " (a pointer into label). */
const char *ladder_without_endpoints(const struct ladder_row *r, const char *label);
/* A segment row in the log's label style, tcpdump's with "SRC > DST ": the
 * text ladder's. */
void ladder_segment_label(const struct ladder *lad, const struct ladder_row *r, char *buf, size_t cap);
/* A segment row's words in the log's label style, without "SRC > DST":
 * "S. 0:0(0) ack 1 win 65535 <mss 1460>" or "SYN+ACK". */
void ladder_segment_words(const struct ladder *lad, const struct ladder_row *r, char *buf, size_t cap);
/* Why a segment row was sent again, "" for a first send: "RTO 2",
 * "SYN retry 3", "SYN+ACK retry 1", "retransmission". */
void ladder_resend_text(const struct ladder_row *r, char *buf, size_t cap);
/* What a `data:` send carries, quoted as a C string, "…" after the quote
 * when the segment carries more than the log kept: "\"GET / HTTP/1.0\\r\\n…\"";
 * "" for none. */
void ladder_payload_text(const struct ladder_row *r, char *buf, size_t cap);
/* The words as the picture says them: without tcpdump's " dropped", which
 * the picture marks with its cross (STYLE_DROP_MARK) instead. */
void ladder_picture_words(const struct ladder *lad, const struct ladder_row *r, char *buf, size_t cap);
/* The picture's label of a segment row: its marks first (the retransmit
 * mark; why, "RTO 2", the picture writes beside the sender's lifeline, as
 * the text ladders in the sender's column, so that a slide's labels stay
 * short), then its words, what a `data:` send carries, the drop's cross,
 * forged, duplicated (see style.h).
 * duplicated: the link delivered it twice (the picture knows, the row not).
 * payload false: without what a `data:` send carries, forged and
 * duplicated (written under it). */
void ladder_arrow_label(const struct ladder *lad, const struct ladder_row *r, bool duplicated, bool payload,
			char *buf, size_t cap);
/* The state diagram's numbered badge of step n, as text: ❶..❿, ⓫..⓴,
 * then "(21)"; "" for 0. */
void ladder_step_badge(unsigned n, char *buf, size_t cap);
/* The mark of a timer on a lifeline (U+25F7, a clock face). */
#define LADDER_TIMER_MARK "\u25F7"
/* What a timer row says: "◷ 2MSL started (4 s)", "◷ 2MSL restarted: rcv
 * FIN again (S16)", "◷ FIN_WAIT_2 timer started (60 s)", "◷ delayed-ACK timer started
 * (40 ms)". */
void ladder_timer_text(const struct ladder_row *r, char *buf, size_t cap);

#endif
