/* graph_ladder_int.h - what the files of the ladder picture share, and
 * nothing outside sim/output/graph_ladder*.c reads: the picture's measures
 * and colours, the layout every position is computed into, and the steps
 * from one file to the next.
 *
 * The parts, one job each (graph_ladder.c says how the picture is laid out):
 *   graph_ladder.c         the entry points: layout, graph, rendered bytes
 *   graph_ladder_layout.c  every position: arrows paired with deliveries,
 *                          the vertical scale, the columns
 *   graph_ladder_labels.c  where each arrow ends and where its label goes
 *   graph_ladder_draw.c    the positions as a cgraph graph, pinned */
#ifndef TCPSIM_GRAPH_LADDER_INT_H
#define TCPSIM_GRAPH_LADDER_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <gvc.h>
#include "output/graph.h"
#include "output/ladder.h"

/* Sizes. The rule (docs/style.md): the picture scaled to 1280 px wide
 * shows its text at 18 px or more, so the width stays under
 * FONT_PT * 1280 / 18 = 71 font sizes (graph_ladder_layout.c,
 * place_columns, narrows the space between the lifelines to fit). */
#define FONT_PT 14.0            /* labels, states, times */
#define FONT_SIZE "14"          /* the same, as Graphviz's fontsize */
#define PITCH_PT 24.0           /* the least distance between two labels of a column */
#define UNIT_PT 56.0            /* the height of one one-way delay */
#define IDLE_UNITS 2.0          /* a gap of more delays than this is compressed */
#define COMPRESS_POWER 0.25     /* ... as the fourth root of its length */
#define LINEAR_MAX_UNITS 60.0   /* --time linear: the run takes at most this many UNIT_PT */
#define ARRIVE_PT 24.0          /* the least distance between two arrivals at a lifeline */
#define CROSS_PT 7.0            /* half a drop's cross */
#define CHAR_PT (0.6 * FONT_PT) /* the monospace font's advance */
#define LABEL_PAD_PT 3.0        /* between a label's text and its box */
#define LABEL_H_PT 20.0         /* a label's box */
#define LABEL_CLEAR_PT 2.0      /* between a label's box and any line or other label */
#define OUTSIDE_PASSES 4        /* layouts tried moving labels outside, before all go */
#define NOTE_COLS 28            /* a note's line, at most (wrapped at spaces) */
#define NOTE_LINE_PT (1.2 * FONT_PT)  /* Graphviz's distance between two lines of a label */
#define MAX_AWAY_PT 12.0        /* a label's furthest from its arrow, when no closer place is free */
#define MIN_MIDDLE_PT 420.0     /* between the lifelines */
#define NARROW_MIDDLE_PT 200.0  /* ... at the least, to keep under MAX_WIDTH_PT */
#define MAX_WIDTH_PT (FONT_PT * 1280 / 18 - 2 * PAD_PT - 2)  /* the SVG's, pad and page corners included */
#define PAD_PT 7.2              /* Graphviz's pad around the picture (0.1 in) */
#define LIFELINE_GAP_PT 8.0     /* between a lifeline and its state labels */
#define HEAD_PT 40.0            /* an endpoint's box above its lifeline */
#define TITLE_PT 22.0
#define SUMMARY_PT 15.0
#define MARGIN_PT 12.0
#define LABEL_MAX 256
#define GRAPH_LADDER_MAX_ROWS 2000  /* rows drawn (the initial states' one included) */
/* Log events past the last row drawn in which its segments' deliveries are
 * still looked for: a segment lost on the link waits for none, and would
 * otherwise make the search read the rest of a long log. */
#define DELIVERY_LOOKAHEAD (4 * GRAPH_LADDER_MAX_ROWS)
#define TEXT_MAX 1024

/* Colours, line styles and fonts: output/style.h, the one place every
 * picture takes them from. */
#include "output/style.h"
#define COLOR_AXIS STYLE_LINE_COLOUR

/* One arrow: a segment sent by one side to the other. */
struct arrow {
	const struct ladder_row *row;
	int from;                    /* LADDER_LEFT or LADDER_RIGHT */
	bool dropped, delivered, duplicated;
	const char *drop_reason;     /* dropped by the receiving host, not the link: why */
	size_t drop_ev;              /* then: the drop event, placed on the receiver's lifeline */
	size_t del_ev, dup_ev;       /* the delivery events, when there are */
	bool dup_delivered;          /* the link's copy arrived too (at dup_ev) */
	int pending;                 /* deliveries not paired yet */
	double ys, ye;               /* sent; arrived (or would have) */
	double x_end, y_end;         /* where it is drawn to (a drop: halfway) */
	char label[LABEL_MAX];
	double w;                    /* the label's width */
	double lx, ly;               /* the label's centre */
	bool outside;                /* the label sits outside the lifelines, beside the
					sender's at the send (no free place between them) */
	int cost;                    /* what the label meets where it was placed (0: nothing) */
	bool payload_below;          /* outside: what a `data:` send carries, forged and
					duplicated go a line under it (label_below) */
	double lowest_so_far;        /* the lowest this arrow, its label or any before reach */
};

/* An event with a place on the time axis. */
struct place {
	usec_t t;
	double y;
};

/* A compressed idle gap between two consecutive events. */
struct gap {
	usec_t t0, t1;
	double y0, y1;
};

/* Everything the picture is built from; y grows downwards here. */
struct layout {
	struct ladder lad;
	enum graph_side side;
	enum graph_time time;
	usec_t t0;                   /* the time of the first row drawn (the window's start) */
	size_t rows_skipped;         /* rows before the window, not drawn (lad.rows is moved
					past them: layout_free moves it back) */
	signed char *col;            /* per log event: its column, COL_NONE when not placed */
	double *y;                   /* per log event, when placed */
	struct arrow *arrows;
	size_t n_arrows;
	struct place *places;
	size_t n_places;
	struct gap *gaps;
	size_t n_gaps;
	double init_y;               /* the initial states' row */
	int label_conflicts;         /* labels that meet a line or another label (0 normally) */
	double unit_us;              /* one one-way delay */
	double delay_us[2];          /* per direction (sender), for drops */
	double x_axis, x_life[2], x_state[2], head_y, bottom, width;
	double state_w[2], tick_w;
	size_t rows_left_out;        /* rows past GRAPH_LADDER_MAX_ROWS, not drawn */
	size_t notes_from;           /* the scenario's notes drawn: from this log event (past
					the row before the first drawn) ... */
	bool notes_to_end;           /* ... to the last row drawn, or past it when it is the
					ladder's last (a note goes with the row after it) */
	size_t page, n_pages;        /* --slides: this page, 1..n_pages; 0: the whole picture */
	double page_h;               /* a page's height, 9/16 of its width; 0: as tall as it needs */
	size_t end_ev;               /* the log events read: up to the last row drawn and
					DELIVERY_LOOKAHEAD more (all of them when none is left out) */
	/* For the labels' placing: whether the arrows start in order down the
	 * page. */
	bool ys_sorted;
};

/* Where an event's mark goes; marks of one column keep their distance. */
enum column { COL_NONE = -1, COL_STATE0, COL_MIDDLE, COL_STATE1, COL_ARRIVE0, COL_ARRIVE1, N_COLS };

/* ---- graph_ladder_layout.c ------------------------------------------------ */

/* Computes every position of the rows view selects (NULL: all, compressed).
 * Returns -1 when out of memory. */
int layout_build(struct layout *L, const struct trace_log *log, enum graph_side side,
		 const struct graph_ladder_view *view);
/* One page of --slides: rows [r0, r1) of the ladder (indices of
 * ladder_build's rows, r0 >= 1), headed by the states when it starts, laid
 * out in the whole picture's columns and scale, page_h high at most where
 * it can be. */
struct layout_page {
	size_t r0, r1;
	size_t page, n_pages;
	const struct layout *whole;
};
int layout_build_page(struct layout *L, const struct trace_log *log, enum graph_side side,
		      const struct graph_ladder_view *view, const struct layout_page *pg);
/* Where --slides breaks the whole picture into pages (graph_ladder.c):
 * starts[k] is page k's first row, starts[n] the end; starts holds
 * GRAPH_LADDER_MAX_PAGES + 1. Returns n, or -1 when out of memory. */
int layout_page_breaks(const struct layout *whole, const struct graph_ladder_view *view, size_t *starts);
/* Frees what layout_build allocated (safe after a failed build). */
void layout_free(struct layout *L);
/* True when a gap of dt is drawn compressed (and marked as a break). */
bool idle(const struct layout *L, usec_t dt);
/* The height a gap of dt takes in L's time mode. */
double time_height(const struct layout *L, usec_t dt);
/* The side whose state column a note is written in: its endpoint's, the
 * right one for an endpoint not shown. */
int note_side(const struct layout *L, const struct trace_event *ev);
/* Whether the picture annotates side s's states. */
bool shows_states(const struct layout *L, int s);
/* The width arrow a's send takes in its sender's state column, at the
 * send: its label when outside the lifelines (its payload a line under
 * it), its resend tag (a line lower still then); 0 for none. */
double send_column_width(const struct arrow *a);
/* How many lines under an outside label its send takes (payload, tag). */
int lines_below(const struct arrow *a);
/* Arrow a's label (and its width) as it is drawn: beside the arrow, or
 * outside, where what a `data:` send carries goes a line under it. */
void arrow_label(const struct layout *L, struct arrow *a);

/* ---- graph_ladder_words.c ------------------------------------------------- */

/* The width of a label box holding s in the monospace font. */
double text_width(const char *s);
/* An idle gap's length, rounded for reading, on two lines ("≈ 3.9 s\nidle",
 * "≈ 840 ms\nidle"). */
void idle_text(usec_t dt, char *buf, size_t cap);
/* Breaks text into lines of at most cols characters (a longer word makes a
 * longer line) at spaces: out holds them joined by '\n'. */
void wrap(const char *text, size_t cols, char *out, size_t cap);
/* How many lines wrap() makes of text. */
int wrapped_lines(const char *text, size_t cols);
/* A scenario's note (TRACE_NOTE event ev) as drawn: "✎ " and its words,
 * wrapped to NOTE_COLS, in buf; returns its lines. */
int note_text(const struct trace_event *ev, char *buf, size_t cap);
/* The widest line of a note as drawn. */
double note_width(const struct trace_event *ev);
/* The "↻ RTO 2" tag of a segment sent again, in buf ("" for a first send). */
void resend_tag(const struct arrow *a, char *buf, size_t cap);
/* What goes under an outside label, in buf ("" for nothing): what a
 * `data:` send carries, forged, duplicated. */
void label_below(const struct arrow *a, char *buf, size_t cap);

/* ---- graph_ladder_labels.c ------------------------------------------------ */

/* Where each arrow starts and ends on the page (see graph_ladder_labels.c). */
void arrow_ends(struct layout *L);
/* Places every label beside its arrow. Returns how many meet a line or
 * another label (0 when all have room), -1 when out of memory. */
int place_labels(struct layout *L);

/* ---- graph_ladder_draw.c -------------------------------------------------- */

/* The height the title and the summary take. */
double title_height(const struct layout *L);
/* The height of the foot of a page that says "continued". */
double page_foot_height(void);
/* The whole picture as a graph (NULL when out of memory). The layout's y
 * are shifted below the title and the endpoint heads first. */
Agraph_t *build_graph(struct layout *L);

#endif
