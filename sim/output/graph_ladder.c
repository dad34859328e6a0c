/* graph_ladder.c - the ladder (time-sequence) diagram as a picture: time
 * flows down, the client's lifeline on the left, the server's on the right,
 * each segment a sloped arrow from (sender, time sent) to (receiver, time
 * delivered), labelled in the segment notation.
 *
 * The rows are the text ladder's (ladder_build: the initial states, every
 * state entered, every segment sent); deliveries are placed too, so that an
 * arrow ends where its segment arrived. Every node is pinned (pos "x,y!")
 * and Graphviz only draws: the "nop" layout keeps the positions and routes
 * the edges as straight lines.
 *
 * Vertical scale. Events are placed one after the other in trace order. The
 * time since the previous event moves down by UNIT_PT per one-way delay (the
 * shortest delay a delivered segment took), so arrows slope; a gap longer than
 * IDLE_UNITS delays is drawn BREAK_PT high instead, with a zig-zag on the
 * axis, dashed lifelines and "≈ 3.9 s idle". A label needs room: a segment
 * sent, or a state written beside a lifeline, is at least PITCH_PT below the
 * previous one in its column, and two arrivals at a lifeline are ARRIVE_PT
 * apart, whatever the time says (a window of segments sent at one instant
 * becomes a fan of arrows). The axis prints the time at the first event of
 * each instant that has room for it.
 *
 * Labels. Each segment's label sits on its arrow (a white box the arrow
 * passes behind): at the middle, or a little towards either end when that
 * crosses fewer other arrows, and never within PITCH_PT of a label placed
 * before it that shares its columns. When some label finds no such place (a
 * crowded picture), all of them are stacked instead: in send order, each at
 * least PITCH_PT below the previous one, each still on its arrow. No two
 * labels overlap either way. A dropped segment's label stays clear of its
 * cross; the space between the lifelines holds two labels side by side.
 *
 * Length. A picture nobody can read costs memory and minutes all the same
 * (a 2 GiB send is 1.5 million arrows): the picture draws the first
 * GRAPH_LADDER_MAX_ROWS rows and says under the title how many it left out
 * and where it stopped; the trace, the pcap and the text ladder keep all.
 *
 * Graphviz 2.43 needs two workarounds, both in the rendering section: one
 * context for the process, and the nop layout's node list freed by hand. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <gvc.h>
#include "output/graph.h"
#include "output/graph_render.h"
#include "output/ladder.h"

#define PITCH_PT 20.0           /* the least distance between two labels of a column */
#define UNIT_PT 80.0            /* the height of one one-way delay */
#define IDLE_UNITS 2.0          /* a gap of more delays than this is compressed ... */
#define BREAK_PT 72.0           /* ... to this height */
#define ARRIVE_PT 12.0          /* the least distance between two arrivals at a lifeline */
#define CROSS_PT 6.0            /* half a drop's cross */
#define FONT_PT 11.0            /* labels, states, times */
#define CHAR_PT (0.6 * FONT_PT) /* the monospace font's advance */
#define LABEL_PAD_PT 3.0        /* between a label's text and its box */
#define LABEL_H_PT 16.0         /* a label's box */
#define MIN_MIDDLE_PT 380.0     /* between the lifelines */
#define LIFELINE_GAP_PT 8.0     /* between a lifeline and its state labels */
#define HEAD_PT 32.0            /* an endpoint's box above its lifeline */
#define TITLE_PT 16.0
#define SUMMARY_PT 12.0
#define MARGIN_PT 12.0
#define LABEL_MAX 256
#define GRAPH_LADDER_MAX_ROWS 2000  /* rows drawn (the initial states' one included) */
/* Log events past the last row drawn in which its segments' deliveries are
 * still looked for: a segment lost on the link waits for none, and would
 * otherwise make the search read the rest of a long log. */
#define DELIVERY_LOOKAHEAD (4 * GRAPH_LADDER_MAX_ROWS)
#define TEXT_MAX 1024

#define COLOR_SIDE0 "#1f5fa8"   /* the client */
#define COLOR_SIDE1 "#207a3c"   /* the server */
#define COLOR_DROP "#d62728"
#define COLOR_FORGED "#d62728"
#define COLOR_LINE "#555555"
#define COLOR_AXIS "#444444"

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
	signed char *col;            /* per log event: its column, COL_NONE when not placed */
	double *y;                   /* per log event, when placed */
	struct arrow *arrows;
	size_t n_arrows;
	struct place *places;
	size_t n_places;
	struct gap *gaps;
	size_t n_gaps;
	double init_y;               /* the initial states' row */
	double unit_us;              /* one one-way delay */
	double delay_us[2];          /* per direction (sender), for drops */
	double x_axis, x_life[2], x_state[2], head_y, bottom, width;
	double state_w[2], tick_w;
	size_t rows_left_out;        /* rows past GRAPH_LADDER_MAX_ROWS, not drawn */
	size_t end_ev;               /* the log events read: up to the last row drawn and
					DELIVERY_LOOKAHEAD more (all of them when none is left out) */
	/* For crossings(): whether the arrows start in order down the page, and
	 * how far below its start an arrow reaches at most. */
	bool ys_sorted;
	double max_reach;
};

/* Where an event's mark goes; marks of one column keep their distance. */
enum column { COL_NONE = -1, COL_STATE0, COL_MIDDLE, COL_STATE1, COL_ARRIVE0, COL_ARRIVE1, N_COLS };

/* ---- measuring ------------------------------------------------------------ */

/* How many characters the UTF-8 text s shows. */
static size_t text_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* The width of a label box holding s in the monospace font. */
static double text_width(const char *s)
{
	return (double)text_chars(s) * CHAR_PT + 2 * LABEL_PAD_PT;
}

/* ---- arrows and deliveries ------------------------------------------------ */

/* True when two segment events are about the same segment. */
static bool same_segment(const struct trace_event *a, const struct trace_event *b)
{
	const struct segment *x = &a->u.segment.seg, *y = &b->u.segment.seg;

	return a->u.segment.src == b->u.segment.src && a->u.segment.dst == b->u.segment.dst &&
	       x->seq == y->seq && x->ack == y->ack && x->flags == y->flags && x->len == y->len;
}

/* True when ev is a segment event of kind e between the two shown endpoints. */
static bool pair_event(const struct layout *L, const struct trace_event *ev, enum seg_event e)
{
	const int *ep = L->lad.ep;
	int s, d;

	if (ev->type != TRACE_SEGMENT || ev->u.segment.event != e)
		return false;
	s = ev->u.segment.src;
	d = ev->u.segment.dst;
	return s >= 0 && d >= 0 && ((s == ep[0] && d == ep[1]) || (s == ep[1] && d == ep[0]));
}

/* The label of an arrow: the notation without "SRC > DST" (the arrow says
 * who sends), a forged or duplicated segment marked so. */
static void arrow_label(struct arrow *a)
{
	char line[LABEL_MAX];

	seg_line_format(&a->row->line, line, sizeof line);
	snprintf(a->label, sizeof a->label, "%s%s%s", ladder_without_endpoints(a->row, line),
		 a->row->forged ? " (forged)" : "", a->duplicated ? " (duplicated)" : "");
	a->w = text_width(a->label);
}

/* One arrow per segment row. Returns -1 when out of memory. */
static int collect_arrows(struct layout *L)
{
	L->arrows = calloc(L->lad.n_rows ? L->lad.n_rows : 1, sizeof *L->arrows);
	if (!L->arrows)
		return -1;
	for (size_t k = 0; k < L->lad.n_rows; k++) {
		const struct ladder_row *r = &L->lad.rows[k];
		struct arrow *a;
		if (r->kind != LADDER_ROW_SEGMENT)
			continue;
		a = &L->arrows[L->n_arrows++];
		a->row = r;
		a->from = r->side;
		a->dropped = r->line.dropped;
		a->drop_reason = r->drop_reason;
		a->drop_ev = r->drop_ev;
		a->pending = !a->dropped;
	}
	return 0;
}

/* The latest arrow sent before event k that ev is a copy of (a duplicate). */
static struct arrow *dup_arrow(struct layout *L, size_t n_sent, const struct trace_event *ev)
{
	const struct trace_event *log_ev = L->lad.log->ev;

	for (size_t i = n_sent; i-- > 0;) {
		struct arrow *a = &L->arrows[i];
		if (!a->dropped && same_segment(&log_ev[a->row->ev], ev))
			return a;
	}
	return NULL;
}

/* The earliest arrow sent before ev, still waiting for a delivery, that ev
 * delivers; *first skips the arrows that wait for nothing any more. */
static struct arrow *delivered_arrow(struct layout *L, size_t n_sent, size_t *first,
				     const struct trace_event *ev)
{
	const struct trace_event *log_ev = L->lad.log->ev;

	while (*first < n_sent && L->arrows[*first].pending == 0)
		(*first)++;
	for (size_t i = *first; i < n_sent; i++) {
		struct arrow *a = &L->arrows[i];
		if (a->pending > 0 && same_segment(&log_ev[a->row->ev], ev))
			return a;
	}
	return NULL;
}

/* Pairs each delivery (and a duplicate's second one) with its send, and
 * marks the delivery events as placed on the receiver's lifeline. */
static void pair_deliveries(struct layout *L)
{
	const struct trace_log *log = L->lad.log;
	size_t n_sent = 0, first = 0;

	for (size_t k = 0; k < L->end_ev; k++) {
		const struct trace_event *ev = &log->ev[k];
		struct arrow *a;
		if (n_sent < L->n_arrows && L->arrows[n_sent].row->ev == k) {
			n_sent++;
		} else if (pair_event(L, ev, SEGEV_DUPLICATE)) {
			a = dup_arrow(L, n_sent, ev);
			if (a && !a->duplicated) {
				a->duplicated = true;
				a->pending++;
			}
		} else if (pair_event(L, ev, SEGEV_DELIVER)) {
			a = delivered_arrow(L, n_sent, &first, ev);
			if (!a)
				continue;
			if (a->delivered) {
				a->dup_ev = k;
				a->dup_delivered = true;
			} else {
				a->delivered = true;
				a->del_ev = k;
			}
			a->pending--;
			L->col[k] = (signed char)(COL_ARRIVE0 + 1 - a->from);
		}
	}
}

/* The one-way delays: the shortest a delivered segment took, overall and per
 * direction (a drop's cross is drawn halfway along the one it would have
 * taken). When nothing was delivered: the shortest time between two events,
 * else a second. */
static void find_delays(struct layout *L)
{
	const struct trace_event *ev = L->lad.log->ev;
	double best = 0;

	L->delay_us[0] = L->delay_us[1] = 0;
	for (size_t i = 0; i < L->n_arrows; i++) {
		const struct arrow *a = &L->arrows[i];
		double d;
		if (!a->delivered || ev[a->del_ev].t_us <= a->row->t)
			continue;
		d = (double)(ev[a->del_ev].t_us - a->row->t);
		if (best == 0 || d < best)
			best = d;
		if (L->delay_us[a->from] == 0 || d < L->delay_us[a->from])
			L->delay_us[a->from] = d;
	}
	for (size_t k = 1; best == 0 && k < L->lad.n_rows; k++)
		if (L->lad.rows[k].t > L->lad.rows[k - 1].t)
			best = (double)(L->lad.rows[k].t - L->lad.rows[k - 1].t);
	L->unit_us = best > 0 ? best : (double)USEC_PER_SEC;
	for (int s = 0; s < 2; s++)
		if (L->delay_us[s] == 0)
			L->delay_us[s] = L->delay_us[1 - s] ? L->delay_us[1 - s] : L->unit_us;
}

/* ---- the vertical scale --------------------------------------------------- */

/* True when a gap of dt is drawn compressed. */
static bool idle(const struct layout *L, usec_t dt)
{
	return (double)dt > IDLE_UNITS * L->unit_us;
}

/* The height that dt takes. */
static double time_height(const struct layout *L, usec_t dt)
{
	return idle(L, dt) ? BREAK_PT : (double)dt * UNIT_PT / L->unit_us;
}

/* The column of a row's event. */
static enum column row_column(const struct ladder_row *r)
{
	if (r->kind == LADDER_ROW_SEGMENT)
		return COL_MIDDLE;
	return r->side == LADDER_LEFT ? COL_STATE0 : COL_STATE1;
}

/* Places one event at time t in column c, after the previous one. */
static void place_event(struct layout *L, usec_t t, enum column c, double last[N_COLS],
			double *y)
{
	struct place *prev = &L->places[L->n_places - 1];
	double at = prev->y + time_height(L, t - prev->t);
	double room = c >= COL_ARRIVE0 ? ARRIVE_PT : PITCH_PT;

	if (at < last[c] + room)
		at = last[c] + room;
	if (idle(L, t - prev->t))
		L->gaps[L->n_gaps++] = (struct gap){ prev->t, t, prev->y, at };
	last[c] = at;
	L->places[L->n_places++] = (struct place){ t, at };
	*y = at;
}

/* Gives every row and delivery its y, in trace order. Returns -1 when out of
 * memory. */
static int place_events(struct layout *L)
{
	const struct trace_log *log = L->lad.log;
	double last[N_COLS];

	L->places = calloc(log->n + 1, sizeof *L->places);
	L->gaps = calloc(log->n + 1, sizeof *L->gaps);
	if (!L->places || !L->gaps)
		return -1;
	L->places[L->n_places++] = (struct place){ 0, L->init_y };
	for (int c = 0; c < N_COLS; c++)
		last[c] = L->init_y - PITCH_PT;
	last[COL_STATE0] = last[COL_STATE1] = L->init_y;
	for (size_t k = 0; k < L->end_ev; k++)
		if (L->col[k] != COL_NONE)
			place_event(L, log->ev[k].t_us, L->col[k], last, &L->y[k]);
	return 0;
}

/* ---- arrows and labels ---------------------------------------------------- */

/* Where each arrow starts and ends: a delivered one at its (first) delivery;
 * one that never arrived (dropped, or in flight when the run ended) where it
 * would have, one delay of its direction later, drawn to scale (so that two
 * drops one after the other stay apart), one the link dropped only halfway;
 * one the receiving host dropped reaches its lifeline, where it was dropped. */
static void arrow_ends(struct layout *L)
{
	for (size_t i = 0; i < L->n_arrows; i++) {
		struct arrow *a = &L->arrows[i];
		a->ys = L->y[a->row->ev];
		if (a->delivered)
			a->ye = L->y[a->del_ev];
		else
			a->ye = a->ys + fmin(L->delay_us[a->from] * UNIT_PT / L->unit_us,
					     IDLE_UNITS * UNIT_PT);
		if (a->drop_reason)
			a->ye = L->y[a->drop_ev];
		a->x_end = L->x_life[1 - a->from];
		a->y_end = a->ye;
		if (a->dropped && !a->drop_reason) {
			a->x_end = (L->x_life[0] + L->x_life[1]) / 2;
			a->y_end = (a->ys + a->ye) / 2;
		}
	}
	L->ys_sorted = true;
	L->max_reach = 0;
	for (size_t i = 0; i < L->n_arrows; i++) {
		const struct arrow *a = &L->arrows[i];
		if (i && a->ys < a[-1].ys)
			L->ys_sorted = false;
		L->max_reach = fmax(L->max_reach, fmax(a->y_end, a->ys) - a->ys);
	}
}

/* The point at fraction f along arrow a, as drawn. */
static void arrow_point(const struct layout *L, const struct arrow *a, double f, double *x,
			double *y)
{
	double x0 = L->x_life[a->from];

	*x = x0 + f * (a->x_end - x0);
	*y = a->ys + f * (a->y_end - a->ys);
}

/* The label's centre x when its centre is at height y: on the arrow, kept
 * between the lifelines. */
static double label_x(const struct layout *L, const struct arrow *a, double y)
{
	double x0 = L->x_life[a->from], x, lo, hi;

	if (a->y_end - a->ys > 0.5)
		x = x0 + (a->x_end - x0) * (y - a->ys) / (a->y_end - a->ys);
	else
		x = (x0 + a->x_end) / 2;
	lo = L->x_life[0] + LIFELINE_GAP_PT + a->w / 2;
	hi = L->x_life[1] - LIFELINE_GAP_PT - a->w / 2;
	if (a->dropped && a->from == LADDER_LEFT)       /* the cross stays visible */
		hi = a->x_end - 2 * CROSS_PT - a->w / 2;
	else if (a->dropped)
		lo = a->x_end + 2 * CROSS_PT + a->w / 2;
	return fmax(lo, fmin(hi, x));
}

/* True when the segment (x0,y0)-(x1,y1) meets the box centred at (cx,cy). */
static bool crosses_box(double x0, double y0, double x1, double y1, double cx, double cy,
			double w, double h)
{
	double t0 = 0, t1 = 1, d[2] = { x1 - x0, y1 - y0 };
	double p[2] = { x0 - (cx - w / 2), y0 - (cy - h / 2) }, size[2] = { w, h };

	for (int i = 0; i < 2; i++) {           /* Liang-Barsky against the slabs */
		if (fabs(d[i]) < 1e-9) {
			if (p[i] < 0 || p[i] > size[i])
				return false;
			continue;
		}
		double ta = -p[i] / d[i], tb = (size[i] - p[i]) / d[i];
		if (ta > tb) {
			double s = ta;
			ta = tb;
			tb = s;
		}
		t0 = fmax(t0, ta);
		t1 = fmin(t1, tb);
		if (t0 > t1)
			return false;
	}
	return true;
}

/* How many other arrows cross arrow i's label if it is centred at height y. */
static int crossings(const struct layout *L, size_t i, double y)
{
	const struct arrow *a = &L->arrows[i];
	double x = label_x(L, a, y);
	int n = 0;
	size_t j0 = 0;

	/* With the arrows in order down the page, only those starting between
	 * y - LABEL_H_PT - max_reach and y + LABEL_H_PT can come near the label:
	 * a long run's ladder is then not quadratic in its segments. */
	if (L->ys_sorted) {
		size_t hi = L->n_arrows;
		while (j0 < hi) {
			size_t mid = j0 + (hi - j0) / 2;
			if (L->arrows[mid].ys < y - LABEL_H_PT - L->max_reach)
				j0 = mid + 1;
			else
				hi = mid;
		}
	}
	for (size_t j = j0; j < L->n_arrows; j++) {
		const struct arrow *b = &L->arrows[j];
		if (L->ys_sorted && b->ys > y + LABEL_H_PT)
			break;
		if (j == i || b->ys > y + LABEL_H_PT || fmax(b->y_end, b->ys) < y - LABEL_H_PT)
			continue;
		n += crosses_box(L->x_life[b->from], b->ys, b->x_end, b->y_end, x, y, a->w,
				 LABEL_H_PT);
	}
	return n;
}

/* The points along an arrow a label may sit at, best first: the middle,
 * then towards the sender (where the segment comes from), then the receiver. */
static const double label_f[] = { 0.5, 0.4, 0.3, 0.6, 0.2, 0.7, 0.8 };
#define N_LABEL_F (sizeof label_f / sizeof label_f[0])

/* The height along arrow i its label would rather have: of the candidate
 * points, the first that crosses the fewest other arrows. */
static double preferred_y(const struct layout *L, size_t i)
{
	double best_y = 0, x, y;
	int best = -1;

	for (size_t k = 0; k < N_LABEL_F; k++) {
		arrow_point(L, &L->arrows[i], label_f[k], &x, &y);
		int n = crossings(L, i, y);
		if (best < 0 || n < best) {
			best = n;
			best_y = y;
		}
	}
	return best_y;
}

/* True when arrow i's label, centred at (x, y), keeps clear of the labels
 * of arrows 0..i-1: PITCH_PT apart vertically when they share columns. */
static bool label_fits(const struct layout *L, size_t i, double x, double y)
{
	const struct arrow *a = &L->arrows[i];

	/* Latest first: with the arrows in order down the page, a label on an
	 * arrow that starts above y - PITCH_PT - max_reach sits above that too,
	 * and so do all earlier ones (this runs before any label is stacked). */
	for (size_t j = i; j-- > 0;) {
		const struct arrow *b = &L->arrows[j];
		if (L->ys_sorted && b->ys + L->max_reach <= y - PITCH_PT)
			break;
		if (fabs(x - b->lx) < (a->w + b->w) / 2 + 4 && fabs(y - b->ly) < PITCH_PT)
			return false;
	}
	return true;
}

/* First try: each label, in send order, at the candidate point that crosses
 * the fewest other arrows and keeps clear of the labels placed before it.
 * Returns false when some label has no such point (a crowded picture). */
static bool place_labels_free(struct layout *L)
{
	for (size_t i = 0; i < L->n_arrows; i++) {
		struct arrow *a = &L->arrows[i];
		int best = -1;
		for (size_t k = 0; k < N_LABEL_F; k++) {
			double x, y;
			arrow_point(L, a, label_f[k], &x, &y);
			x = label_x(L, a, y);
			if (!label_fits(L, i, x, y))
				continue;
			int cost = crossings(L, i, y) * (int)N_LABEL_F + (int)k;
			if (best < 0 || cost < best) {
				best = cost;
				a->lx = x;
				a->ly = y;
			}
		}
		if (best < 0)
			return false;
	}
	return true;
}

/* Crowded pictures: one label after the other, in send order, each at least
 * PITCH_PT below the previous one. Preferred heights are pushed down to that
 * distance, then pulled up to stay on their arrows (at most four fifths
 * along); the sends are PITCH_PT apart, so the pull never needs to go above
 * an arrow's start, and no two labels can meet. */
static void place_labels_stacked(struct layout *L)
{
	size_t n = L->n_arrows;

	for (size_t i = 0; i < n; i++) {
		double y = preferred_y(L, i);
		if (i > 0 && y < L->arrows[i - 1].ly + PITCH_PT)
			y = L->arrows[i - 1].ly + PITCH_PT;
		L->arrows[i].ly = y;
	}
	for (size_t i = n; i-- > 0;) {
		struct arrow *a = &L->arrows[i];
		double hi = a->ys + 0.8 * fmax(0, a->y_end - a->ys);
		if (a->ly > hi)
			a->ly = hi;
		if (i + 1 < n && a->ly > L->arrows[i + 1].ly - PITCH_PT)
			a->ly = L->arrows[i + 1].ly - PITCH_PT;
		a->lx = label_x(L, a, a->ly);
	}
}

/* Places every label on its arrow, no two overlapping. */
static void place_labels(struct layout *L)
{
	if (!place_labels_free(L))
		place_labels_stacked(L);
}

/* ---- horizontal layout ---------------------------------------------------- */

/* Whether the picture annotates side s's states. */
static bool shows_states(const struct layout *L, int s)
{
	return L->side == GRAPH_BOTH || (L->side == GRAPH_CLIENT) == (s == LADDER_LEFT);
}

/* The widths of the state columns and of the time axis labels. */
static void measure_columns(struct layout *L)
{
	char buf[LABEL_MAX];

	L->state_w[0] = L->state_w[1] = 0;
	L->tick_w = text_width("≈ 9999 s idle");
	for (size_t k = 0; k < L->lad.n_rows; k++) {
		for (int s = 0; s < 2; s++) {
			ladder_state_cell(&L->lad.rows[k], s, buf, sizeof buf);
			if (L->lad.rows[k].kind != LADDER_ROW_SEGMENT && shows_states(L, s))
				L->state_w[s] = fmax(L->state_w[s], text_width(buf));
		}
		time_format(L->lad.rows[k].t, buf);
		L->tick_w = fmax(L->tick_w, text_width(buf));
	}
}

/* The x of the axis, the lifelines and the state columns, and the width. */
static void place_columns(struct layout *L)
{
	double middle = MIN_MIDDLE_PT;

	measure_columns(L);
	for (size_t i = 0; i < L->n_arrows; i++) {
		const struct arrow *a = &L->arrows[i];
		middle = fmax(middle, 2 * a->w + 3 * LIFELINE_GAP_PT);   /* two side by side */
		if (a->dropped)
			middle = fmax(middle, 2 * (a->w + LIFELINE_GAP_PT + 2 * CROSS_PT));
	}
	L->x_axis = MARGIN_PT + L->tick_w + 8;
	L->x_state[0] = L->x_axis + 16 + L->state_w[0];          /* right edge */
	L->x_life[0] = L->x_state[0] + LIFELINE_GAP_PT;
	L->x_life[1] = L->x_life[0] + middle;
	L->x_state[1] = L->x_life[1] + LIFELINE_GAP_PT;          /* left edge */
	L->width = L->x_state[1] + fmax(L->state_w[1], 60) + MARGIN_PT;
}

/* ---- building the graph --------------------------------------------------- */

/* The graph under construction; y is flipped into Graphviz's (up) here. */
struct pic {
	Agraph_t *g;
	double height;
	unsigned n;                  /* for node names */
};

/* Sets attribute name of object obj (declared with an empty default). */
static void set(void *obj, const char *name, const char *value)
{
	agsafeset(obj, (char *)name, (char *)value, "");
}

/* Pins node n at (x, y), y downwards from the top. */
static void pin(struct pic *P, Agnode_t *n, double x, double y)
{
	char buf[64];

	snprintf(buf, sizeof buf, "%.2f,%.2f!", x, P->height - y);
	set(n, "pos", buf);
}

/* A new node of class cls at (x, y). */
static Agnode_t *node_at(struct pic *P, const char *cls, double x, double y)
{
	char name[32];
	Agnode_t *n;

	snprintf(name, sizeof name, "n%u", P->n++);
	n = agnode(P->g, name, 1);
	set(n, "class", cls);
	pin(P, n, x, y);
	return n;
}

/* An invisible point at (x, y), for the ends of lines. */
static Agnode_t *point_at(struct pic *P, double x, double y)
{
	Agnode_t *n = node_at(P, "point", x, y);

	set(n, "shape", "point");
	set(n, "style", "invis");
	set(n, "width", "0.01");
	set(n, "height", "0.01");
	set(n, "fixedsize", "true");
	return n;
}

/* A line of class cls from (x0,y0) to (x1,y1), no head unless said. */
static Agedge_t *line(struct pic *P, const char *cls, double x0, double y0, double x1,
		      double y1)
{
	Agnode_t *a = point_at(P, x0, y0), *b = point_at(P, x1, y1);
	Agedge_t *e = agedge(P->g, a, b, NULL, 1);

	set(e, "class", cls);
	set(e, "dir", "none");
	return e;
}

/* text as a Graphviz label: backslashes kept, each line ended by "\n"
 * (centred), "\l" or "\r" as just says ('c', 'l' or 'r'). */
static void escape_label(const char *text, char just, char *out, size_t cap)
{
	char end = just == 'c' ? 'n' : just;
	size_t len = 0;

	for (const char *p = text; *p && len + 4 < cap; p++) {
		if (*p == '\\' || *p == '\n')
			out[len++] = '\\';
		out[len++] = *p == '\n' ? end : *p;
	}
	if (just != 'c') {
		out[len++] = '\\';
		out[len++] = end;
	}
	out[len] = '\0';
}

/* A text node of class cls centred at (x, y), at least w points wide, the
 * text justified by just ('c', 'l' or 'r'); lines are broken at '\n'. */
static Agnode_t *text_at(struct pic *P, const char *cls, double x, double y, double w,
			 const char *text, char just)
{
	char label[TEXT_MAX], buf[32];
	Agnode_t *n = node_at(P, cls, x, y);

	escape_label(text, just, label, sizeof label);
	set(n, "label", label);
	set(n, "shape", "plaintext");
	snprintf(buf, sizeof buf, "%.4f", w / 72);
	set(n, "width", buf);
	snprintf(buf, sizeof buf, "%.4f", LABEL_H_PT / 72);
	set(n, "height", buf);
	return n;
}

/* The colour of side s. */
static const char *side_color(int s)
{
	return s == LADDER_LEFT ? COLOR_SIDE0 : COLOR_SIDE1;
}

/* Breaks text into lines of at most cols characters (a longer word makes a
 * longer line) at spaces: out holds them joined by '\n'. */
static void wrap(const char *text, size_t cols, char *out, size_t cap)
{
	size_t len = 0, line = 0;
	const char *p = text;

	while (*p == ' ')
		p++;
	while (*p) {
		size_t word = strcspn(p, " ");
		if (len + word + 2 >= cap)
			break;
		if (line)
			out[len++] = line + 1 + word > cols ? '\n' : ' ';
		line = line && out[len - 1] == ' ' ? line + 1 + word : word;
		memcpy(out + len, p, word);
		len += word;
		p += word;
		while (*p == ' ')
			p++;
	}
	out[len] = '\0';
}

/* How many lines wrap() makes of text. */
static int wrapped_lines(const char *text, size_t cols)
{
	char buf[TEXT_MAX];
	int n = 1;

	wrap(text, cols, buf, sizeof buf);
	for (const char *p = buf; (p = strchr(p, '\n')); p++)
		n++;
	return n;
}

/* The characters a summary line holds across the picture. */
static size_t summary_cols(const struct layout *L)
{
	return (size_t)((L->width - 2 * MARGIN_PT) / (0.55 * SUMMARY_PT));
}

/* The line under the title of a picture cut short, in buf. */
static void left_out_line(const struct layout *L, char *buf, size_t cap)
{
	const struct ladder_row *last = &L->lad.rows[L->lad.n_rows - 1];
	snprintf(buf, cap, "drawn: the first %zu rows, up to %.3f s; %zu more are in the trace and the pcap"
		 " (until: draws a part)", L->lad.n_rows, (double)last->t / USEC_PER_SEC, L->rows_left_out);
}

/* The title (the scenario's name) and the summary under it. */
static void draw_title(struct pic *P, const struct layout *L)
{
	const struct trace_log *log = L->lad.log;
	char buf[TEXT_MAX];
	double y = MARGIN_PT;
	Agnode_t *n;

	if (log->name) {
		n = text_at(P, "title", L->width / 2, y + TITLE_PT / 2, L->width / 2, log->name, 'c');
		set(n, "fontsize", "16");
		set(n, "fontname", "Helvetica-Bold");
		y += TITLE_PT + 6;
	}
	if (log->summary) {
		int lines = wrapped_lines(log->summary, summary_cols(L));
		wrap(log->summary, summary_cols(L), buf, sizeof buf);
		n = text_at(P, "summary", L->width / 2, y + lines * SUMMARY_PT * 1.2 / 2,
			    L->width / 2, buf, 'c');
		set(n, "fontsize", "12");
		set(n, "fontname", "Helvetica");
		y += lines * SUMMARY_PT * 1.2 + 6;
	}
	if (L->rows_left_out) {
		char line[TEXT_MAX];
		left_out_line(L, line, sizeof line);
		int lines = wrapped_lines(line, summary_cols(L));
		wrap(line, summary_cols(L), buf, sizeof buf);
		n = text_at(P, "cut", L->width / 2, y + lines * SUMMARY_PT * 1.2 / 2,
			    L->width / 2, buf, 'c');
		set(n, "fontsize", "12");
		set(n, "fontname", "Helvetica-Oblique");
		set(n, "fontcolor", COLOR_DROP);
	}
}

/* The height the title and the summary take. */
static double title_height(const struct layout *L)
{
	const struct trace_log *log = L->lad.log;
	double h = MARGIN_PT;

	if (log->name)
		h += TITLE_PT + 6;
	if (log->summary)
		h += wrapped_lines(log->summary, summary_cols(L)) * SUMMARY_PT * 1.2 + 6;
	if (L->rows_left_out) {
		char line[TEXT_MAX];
		left_out_line(L, line, sizeof line);
		h += wrapped_lines(line, summary_cols(L)) * SUMMARY_PT * 1.2 + 6;
	}
	return h;
}

/* The box naming side s above its lifeline: its name, address and port. */
static void draw_head(struct pic *P, const struct layout *L, int s, double y)
{
	char nbuf[TRACE_NAME_MAX];
	char buf[TEXT_MAX];
	int i = L->lad.ep[s];
	const struct trace_endpoint *e = i >= 0 ? &L->lad.log->trace->endpoints[i] : NULL;
	Agnode_t *n;

	if (e)
		snprintf(buf, sizeof buf, "%s\n%u.%u.%u.%u:%u", trace_endpoint_name(L->lad.log->trace, i, nbuf), e->ip >> 24,
			 (e->ip >> 16) & 255, (e->ip >> 8) & 255, e->ip & 255, e->port);
	else
		snprintf(buf, sizeof buf, "%s", ladder_side_name(&L->lad, s));
	n = text_at(P, "endpoint", L->x_life[s], y, text_width("255.255.255.255:65535") + 8,
		    buf, 'c');
	set(n, "shape", "box");
	set(n, "style", "rounded,bold");
	snprintf(buf, sizeof buf, "%.4f", HEAD_PT / 72);
	set(n, "height", buf);
	set(n, "color", side_color(s));
	set(n, "fontcolor", side_color(s));
}

/* The two lifelines, from their heads to the bottom: solid, dashed across a
 * compressed gap. */
static void draw_lifelines(struct pic *P, const struct layout *L, double top)
{
	for (int s = 0; s < 2; s++) {
		double y = top;
		for (size_t i = 0; i <= L->n_gaps; i++) {
			double y1 = i < L->n_gaps ? L->gaps[i].y0 : L->bottom;
			Agedge_t *e = line(P, "lifeline", L->x_life[s], y, L->x_life[s], y1);
			set(e, "penwidth", "2");
			set(e, "color", side_color(s));
			if (i == L->n_gaps)
				break;
			e = line(P, "lifeline", L->x_life[s], y1, L->x_life[s], L->gaps[i].y1);
			set(e, "style", "dashed");
			set(e, "penwidth", "2");
			set(e, "color", side_color(s));
			y = L->gaps[i].y1;
		}
	}
}

/* An idle gap's length, rounded for reading ("≈ 3.9 s idle", "≈ 840 ms idle"). */
static void idle_text(usec_t dt, char *buf, size_t cap)
{
	uint64_t ms = (dt + 500) / 1000;

	if (dt >= 100 * USEC_PER_SEC)
		snprintf(buf, cap, "≈ %" PRIu64 " s idle", (ms + 500) / 1000);
	else if (dt >= USEC_PER_SEC)
		snprintf(buf, cap, "≈ %" PRIu64 ".%" PRIu64 " s idle", (ms + 50) / 1000,
			 (ms + 50) / 100 % 10);
	else
		snprintf(buf, cap, "≈ %" PRIu64 " ms idle", ms);
}

/* The axis across gap g: a zig-zag, and how long the gap is. */
static void draw_break(struct pic *P, const struct layout *L, const struct gap *g)
{
	const int teeth = 6;
	double x = L->x_axis, h = (g->y1 - g->y0) / (teeth + 1), px = x, py = g->y0;
	char buf[64];
	Agnode_t *n;

	for (int i = 1; i <= teeth + 1; i++) {
		double nx = i <= teeth ? x + (i % 2 ? -5 : 5) : x, ny = g->y0 + i * h;
		line(P, "axis", px, py, nx, ny);
		px = nx;
		py = ny;
	}
	idle_text(g->t1 - g->t0, buf, sizeof buf);
	n = text_at(P, "idle", x - 8 - L->tick_w / 2, (g->y0 + g->y1) / 2, L->tick_w, buf, 'r');
	set(n, "fontcolor", COLOR_AXIS);
}

/* The time axis: a line with breaks, and the time of the first event of each
 * instant that is at least PITCH_PT below the previous time written. */
static void draw_axis(struct pic *P, const struct layout *L, double top)
{
	double y = top, last = -1e9;
	char buf[32];
	usec_t t_last = 0;

	for (size_t i = 0; i <= L->n_gaps; i++) {
		double y1 = i < L->n_gaps ? L->gaps[i].y0 : L->bottom;
		set(line(P, "axis", L->x_axis, y, L->x_axis, y1), "color", COLOR_AXIS);
		if (i < L->n_gaps) {
			draw_break(P, L, &L->gaps[i]);
			y = L->gaps[i].y1;
		}
	}
	for (size_t k = 0; k < L->n_places; k++) {
		const struct place *p = &L->places[k];
		if ((k > 0 && p->t == t_last) || p->y < last + PITCH_PT)
			continue;
		time_format(p->t, buf);
		text_at(P, "tick", L->x_axis - 8 - L->tick_w / 2, p->y, L->tick_w, buf, 'r');
		line(P, "tickmark", L->x_axis - 4, p->y, L->x_axis, p->y);
		last = p->y;
		t_last = p->t;
	}
}

/* A state label of side s at height y. */
static void draw_state(struct pic *P, const struct layout *L, int s, double y, const char *text)
{
	double w = L->state_w[s];
	double x = s == LADDER_LEFT ? L->x_state[0] - w / 2 : L->x_state[1] + w / 2;
	Agnode_t *n = text_at(P, "state", x, y, w, text, s == LADDER_LEFT ? 'r' : 'l');

	set(n, "fontname", "Courier-Bold");
	set(n, "fontcolor", side_color(s));
}

/* Every state each shown side enters, beside its lifeline. */
static void draw_states(struct pic *P, const struct layout *L)
{
	char buf[LABEL_MAX];

	for (size_t k = 0; k < L->lad.n_rows; k++) {
		const struct ladder_row *r = &L->lad.rows[k];
		double y = r->kind == LADDER_ROW_INITIAL ? L->init_y : L->y[r->ev];
		for (int s = 0; s < 2; s++) {
			if (r->kind == LADDER_ROW_SEGMENT || !shows_states(L, s))
				continue;
			ladder_state_cell(r, s, buf, sizeof buf);
			if (buf[0])
				draw_state(P, L, s, y, buf);
		}
	}
}

/* The red cross where a dropped segment ends. */
static void draw_cross(struct pic *P, double x, double y)
{
	const double r = CROSS_PT;
	Agedge_t *e;

	for (int i = 0; i < 2; i++) {
		e = line(P, "cross", x - r, y - r * (i ? -1 : 1), x + r, y + r * (i ? -1 : 1));
		set(e, "color", COLOR_DROP);
		set(e, "penwidth", "2.5");
	}
}

/* The second arrival of a segment the link duplicated: a thin dashed arrow
 * from the same start. */
static void draw_copy(struct pic *P, const struct layout *L, const struct arrow *a,
		      Agnode_t *from, const char *color)
{
	Agnode_t *to = point_at(P, L->x_life[1 - a->from], L->y[a->dup_ev]);
	Agedge_t *e = agedge(P->g, from, to, NULL, 1);

	set(to, "class", "arrival");
	set(e, "class", "copy");
	set(e, "color", color);
	set(e, "style", "dashed");
}

/* Arrow a: the line, its head (a cross halfway when dropped), the link's
 * copy when it made one, the label. */
static void draw_arrow(struct pic *P, const struct layout *L, const struct arrow *a, size_t i)
{
	const char *color = a->row->forged ? COLOR_FORGED : side_color(a->from);
	Agnode_t *from = point_at(P, L->x_life[a->from], a->ys);
	Agnode_t *to = point_at(P, a->x_end, a->y_end), *lab;
	Agedge_t *e = agedge(P->g, from, to, NULL, 1);
	char buf[32];

	set(to, "class", a->dropped ? "drop" : "arrival");
	set(e, "class", "segment");
	snprintf(buf, sizeof buf, "%zu", i + 1);
	set(e, "segment", buf);
	set(e, "color", color);
	set(e, "penwidth", "1.3");
	if (a->dropped) {
		set(e, "arrowhead", "none");
		draw_cross(P, a->x_end, a->y_end);
	}
	if (a->drop_reason) {
		/* The host's reason, beside the cross, outside the lifelines. */
		char note[LABEL_MAX];
		int s = 1 - a->from;
		snprintf(note, sizeof note, "%s", a->drop_reason);
		double w = text_width(note), gap = 2 * CROSS_PT;
		double x = s == LADDER_LEFT ? a->x_end - gap - w / 2 : a->x_end + gap + w / 2;
		Agnode_t *n = text_at(P, "dropnote", x, a->y_end, w, note, s == LADDER_LEFT ? 'r' : 'l');
		set(n, "fontcolor", COLOR_DROP);
	}
	if (a->dup_delivered)
		draw_copy(P, L, a, from, color);
	if (a->row->forged || !(a->delivered || a->dropped))
		set(e, "style", "dashed");
	lab = text_at(P, "seglabel", a->lx, a->ly, a->w, a->label, 'c');
	set(lab, "fontcolor", a->dropped ? COLOR_DROP : color);
	set(lab, "segment", buf);
}

/* Under the lifelines: how many endpoints the two-party view leaves out. */
static void draw_left_out(struct pic *P, const struct layout *L)
{
	size_t n = L->lad.left_out;
	char buf[64];

	snprintf(buf, sizeof buf, "(%zu other endpoint%s not shown)", n, n == 1 ? "" : "s");
	text_at(P, "note", L->width / 2, L->bottom + PITCH_PT, text_width(buf), buf, 'c');
}

/* The graph-wide settings and the attribute defaults. */
static void set_defaults(struct pic *P)
{
	agattr(P->g, AGRAPH, "outputorder", "edgesfirst");
	agattr(P->g, AGRAPH, "bgcolor", "white");
	agattr(P->g, AGRAPH, "pad", "0.1");
	agattr(P->g, AGNODE, "shape", "plaintext");
	agattr(P->g, AGNODE, "fontname", "Courier");
	agattr(P->g, AGNODE, "fontsize", "11");
	agattr(P->g, AGNODE, "margin", "0.04,0.02");
	agattr(P->g, AGNODE, "style", "filled");
	agattr(P->g, AGNODE, "fillcolor", "#ffffffdd");
	agattr(P->g, AGNODE, "color", "transparent");
	agattr(P->g, AGNODE, "label", "\\N");
	agattr(P->g, AGEDGE, "color", COLOR_LINE);
	agattr(P->g, AGEDGE, "arrowsize", "0.8");
	agattr(P->g, AGEDGE, "segment", "");
	agattr(P->g, AGNODE, "segment", "");
}

/* The whole picture as a graph. The layout's y are shifted below the title
 * and the endpoint heads first. */
static Agraph_t *build_graph(struct layout *L)
{
	struct pic P = { 0 };

	P.g = agopen(L->lad.log->name ? L->lad.log->name : "ladder", Agdirected, NULL);
	if (!P.g)
		return NULL;
	P.height = L->bottom + MARGIN_PT + (L->lad.left_out ? 2 * PITCH_PT : 0);
	set_defaults(&P);
	draw_title(&P, L);
	for (int s = 0; s < 2; s++)
		draw_head(&P, L, s, L->head_y);
	draw_lifelines(&P, L, L->head_y + HEAD_PT / 2);
	draw_axis(&P, L, L->init_y);
	draw_states(&P, L);
	for (size_t i = 0; i < L->n_arrows; i++)
		draw_arrow(&P, L, &L->arrows[i], i);
	if (L->lad.left_out)
		draw_left_out(&P, L);
	return P.g;
}

/* ---- the layout ----------------------------------------------------------- */

/* The lowest thing drawn: events, arrow ends, labels. */
static double lowest(const struct layout *L)
{
	double y = L->places[L->n_places - 1].y;

	for (size_t i = 0; i < L->n_arrows; i++) {
		y = fmax(y, L->arrows[i].ye);
		y = fmax(y, L->arrows[i].ly + LABEL_H_PT / 2);
	}
	return y + PITCH_PT;
}

/* Marks the events that get a place: rows (the initial one aside), the
 * drops by a receiving host (on its lifeline, like an arrival) and the
 * deliveries pair_deliveries finds. */
static void mark_rows(struct layout *L)
{
	for (size_t k = 0; k < L->lad.log->n; k++)
		L->col[k] = COL_NONE;
	for (size_t k = 0; k < L->lad.n_rows; k++)
		if (L->lad.rows[k].kind != LADDER_ROW_INITIAL)
			L->col[L->lad.rows[k].ev] = (signed char)row_column(&L->lad.rows[k]);
	for (size_t i = 0; i < L->n_arrows; i++)
		if (L->arrows[i].drop_reason)
			L->col[L->arrows[i].drop_ev] = (signed char)(COL_ARRIVE0 + 1 - L->arrows[i].from);
}

/* Computes every position. Returns -1 when out of memory. */
static int layout_build(struct layout *L, const struct trace_log *log, enum graph_side side)
{
	size_t n = log->n ? log->n : 1;

	memset(L, 0, sizeof *L);
	L->side = side;
	if (ladder_build(&L->lad, log) < 0)
		return -1;
	L->end_ev = log->n;
	if (L->lad.n_rows > GRAPH_LADDER_MAX_ROWS) {
		L->rows_left_out = L->lad.n_rows - GRAPH_LADDER_MAX_ROWS;
		L->lad.n_rows = GRAPH_LADDER_MAX_ROWS;
		size_t last = L->lad.rows[L->lad.n_rows - 1].ev;
		if (log->n - last - 1 > DELIVERY_LOOKAHEAD)
			L->end_ev = last + 1 + DELIVERY_LOOKAHEAD;
	}
	L->col = malloc(n);
	L->y = calloc(n, sizeof *L->y);
	if (!L->col || !L->y || collect_arrows(L) < 0)
		return -1;
	mark_rows(L);
	pair_deliveries(L);
	find_delays(L);
	for (size_t i = 0; i < L->n_arrows; i++)
		arrow_label(&L->arrows[i]);
	place_columns(L);
	L->head_y = title_height(L) + 4 + HEAD_PT / 2;
	L->init_y = L->head_y + HEAD_PT / 2 + PITCH_PT;
	if (place_events(L) < 0)
		return -1;
	arrow_ends(L);
	place_labels(L);
	L->bottom = lowest(L);
	return 0;
}

/* Frees what layout_build allocated (safe after a failed build). */
static void layout_free(struct layout *L)
{
	ladder_free(&L->lad);
	free(L->col);
	free(L->y);
	free(L->arrows);
	free(L->places);
	free(L->gaps);
}

/* ---- rendering ------------------------------------------------------------ */

/* Frees g's layout. Graphviz 2.43's nop layout leaves its node list
 * allocated (neato frees it only after a layout of its own), so it goes
 * here; gvFreeLayout does not touch it. */
static void free_layout(GVC_t *gvc, Agraph_t *g)
{
	free(GD_neato_nlist(g));
	GD_neato_nlist(g) = NULL;
	gvFreeLayout(gvc, g);
}

/* Lays g out (positions kept) and renders it in format to *data (malloc'd)
 * and *data_len. */
static int render(Agraph_t *g, const char *format, char **data, size_t *data_len, char *err, size_t errlen)
{
	GVC_t *gvc = graph_gvc();
	char *buf = NULL;
	unsigned int len = 0;
	int rc = -1;

	if (!gvc) {
		snprintf(err, errlen, "Graphviz could not start");
		return -1;
	}
	if (strcmp(format, "png") == 0)
		agsafeset(g, "dpi", "144", "");
	if (gvLayout(gvc, g, "nop") != 0) {
		snprintf(err, errlen, "Graphviz could not lay out the ladder");
		return -1;
	}
	if (gvRenderData(gvc, g, graph_renderer(format), &buf, &len) != 0 || !buf) {
		snprintf(err, errlen, "Graphviz could not render %s", format);
	} else {
		if (strcmp(format, "pdf") == 0)
			graph_pdf_fix_date(buf, len);
		if ((*data = malloc(len ? len : 1))) {
			memcpy(*data, buf, len);
			*data_len = len;
			rc = 0;
		} else {
			snprintf(err, errlen, "out of memory");
		}
	}
	if (buf)
		gvFreeRenderData(buf);
	free_layout(gvc, g);
	return rc;
}

/* See graph.h: graph_ladder_render, and the file through graph_write_file,
 * as graph_states_write does. */
int graph_ladder_write(const struct trace_log *log, enum graph_side side, const char *format,
		       const char *file, char *err, size_t errlen)
{
	char *data;
	size_t len;
	int rc = graph_ladder_render(log, side, format, &data, &len, err, errlen);

	if (rc == 0)
		rc = graph_write_file(file, data, len, err, errlen);
	free(data);
	return rc;
}

/* See graph.h. */
int graph_ladder_render(const struct trace_log *log, enum graph_side side, const char *format, char **data,
			size_t *len, char *err, size_t errlen)
{
	struct layout L;
	Agraph_t *g = NULL;
	int level, rc = -1;

	*data = NULL;
	*len = 0;
	if (!graph_renderer(format)) {
		snprintf(err, errlen, "unknown format \"%s\" (svg, png, pdf or dot)",
			 format ? format : "");
		return -1;
	}
	if (side != GRAPH_BOTH && side != GRAPH_CLIENT && side != GRAPH_SERVER) {
		snprintf(err, errlen, "unknown side %d", (int)side);
		return -1;
	}
	if (!log || !log->trace || log->out_of_memory) {
		snprintf(err, errlen, "the trace is incomplete");
		return -1;
	}
	level = agseterr(AGMAX);
	if (layout_build(&L, log, side) < 0 || !(g = build_graph(&L)))
		snprintf(err, errlen, "out of memory");
	else
		rc = render(g, format, data, len, err, errlen);
	if (g)
		agclose(g);
	layout_free(&L);
	agseterr(level);
	return rc;
}
