/* graph_ladder_layout.c - every position of the ladder picture (see
 * graph_ladder.c): the ladder's rows, each segment's arrow paired with its
 * deliveries, the vertical scale (idle gaps compressed), the columns. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "output/graph_ladder_int.h"

/* ---- arrows and deliveries ------------------------------------------------ */

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

/* See graph_ladder_int.h: ladder.c's label (the marks, the words in the
 * label style; without "SRC > DST": the arrow says who sends). */
void arrow_label(const struct layout *L, struct arrow *a)
{
	char below[LABEL_MAX];

	label_below(a, below, sizeof below);
	a->payload_below = a->outside && below[0];
	ladder_arrow_label(&L->lad, a->row, a->duplicated, !a->outside, a->label, sizeof a->label);
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
		if (!a->dropped && trace_log_same_segment(&log_ev[a->row->ev], ev))
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
		if (a->pending > 0 && trace_log_same_segment(&log_ev[a->row->ev], ev))
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

/* True when a gap of dt is drawn compressed (and marked as a break): longer
 * than IDLE_UNITS delays, except on the linear axis, which compresses none. */
bool idle(const struct layout *L, usec_t dt)
{
	return L->time != GRAPH_TIME_LINEAR && (double)dt > IDLE_UNITS * L->unit_us;
}

/* The height that dt takes (graph.h, enum graph_time). Each mode is
 * continuous and increasing in dt, so time order and size order hold. */
double time_height(const struct layout *L, usec_t dt)
{
	double u = (double)dt / L->unit_us;

	switch (L->time) {
	case GRAPH_TIME_LINEAR:
		return u * UNIT_PT;
	case GRAPH_TIME_LOG:
		return UNIT_PT * log2(1 + u);
	case GRAPH_TIME_COMPRESSED:
	default:
		/* A power rather than a logarithm: a backoff's doublings are
		 * drawn growing by a factor (2^0.25), so they look exponential,
		 * not as equal steps. */
		return u <= IDLE_UNITS ? u * UNIT_PT : IDLE_UNITS * UNIT_PT * pow(u / IDLE_UNITS, COMPRESS_POWER);
	}
}

/* The linear axis's unit: one one-way delay, or, for a run longer than
 * LINEAR_MAX_UNITS delays, that fraction of it (a 2-minute SYN backoff at
 * 50 ms would otherwise be 200 000 points tall). */
static void linear_unit(struct layout *L)
{
	usec_t span;

	if (L->time != GRAPH_TIME_LINEAR || L->lad.n_rows < 2)
		return;
	span = L->lad.rows[L->lad.n_rows - 1].t - L->t0;
	if ((double)span / L->unit_us > LINEAR_MAX_UNITS)
		L->unit_us = (double)span / LINEAR_MAX_UNITS;
}

/* The column of a row's event. */
static enum column row_column(const struct ladder_row *r)
{
	if (r->kind == LADDER_ROW_SEGMENT)
		return COL_MIDDLE;
	return r->side == LADDER_LEFT ? COL_STATE0 : COL_STATE1;
}

/* The room a send or an arrival of arrow a needs above it in its column:
 * its label's box beside it, between it and the arrow before, which runs
 * parallel when both were sent at one instant (a window of segments is
 * drawn as a fan of parallel arrows, each label between two of them). */
static double arrow_room(const struct layout *L, const struct arrow *a)
{
	double slope = time_height(L, (usec_t)L->delay_us[a->from]) / (L->x_life[1] - L->x_life[0]);

	return fmax(PITCH_PT, LABEL_H_PT + 3 * LABEL_CLEAR_PT + slope * a->w);
}

/* See graph_ladder_int.h. */
double send_column_width(const struct arrow *a)
{
	char text[80];
	double w = a->outside ? a->w : 0;

	if (a->payload_below) {
		char below[LABEL_MAX];
		label_below(a, below, sizeof below);
		w = fmax(w, text_width(below));
	}
	resend_tag(a, text, sizeof text);
	return text[0] ? fmax(w, text_width(text)) : w;
}

/* See graph_ladder_int.h. */
int lines_below(const struct arrow *a)
{
	return a->outside ? a->payload_below + a->row->resend : 0;
}

/* Puts in y[k], until the event is placed, the room event k needs above it
 * in its column: a state PITCH_PT, a send, an arrival or a host's drop its
 * arrow's room. */
static void event_rooms(struct layout *L)
{
	for (size_t k = 0; k < L->end_ev; k++)
		L->y[k] = L->col[k] >= COL_ARRIVE0 ? ARRIVE_PT : PITCH_PT;
	for (size_t i = 0; i < L->n_arrows; i++) {
		const struct arrow *a = &L->arrows[i];
		double r = arrow_room(L, a);
		if (a->outside) {       /* no label between the lifelines to make room for */
			L->y[a->row->ev] = PITCH_PT;
			continue;
		}
		L->y[a->row->ev] = r;
		if (a->delivered)
			L->y[a->del_ev] = r;
		if (a->dup_delivered)
			L->y[a->dup_ev] = r;
		if (a->drop_reason)
			L->y[a->drop_ev] = r;
	}
}

/* Places one event at time t in column c (and c2, unless COL_NONE), after
 * the previous one, room below the previous one of its columns; *y is its
 * room, then its place. */
static void place_event(struct layout *L, usec_t t, enum column c, enum column c2, double last[N_COLS],
			double *y)
{
	struct place *prev = &L->places[L->n_places - 1];
	usec_t dt = t > prev->t ? t - prev->t : 0;      /* a log out of time order: no gap */
	double at = prev->y + time_height(L, dt);
	double room = *y;

	if (at < last[c] + room)
		at = last[c] + room;
	if (c2 != COL_NONE && at < last[c2] + room)
		at = last[c2] + room;
	if (idle(L, dt))
		L->gaps[L->n_gaps++] = (struct gap){ prev->t, t, prev->y, at };
	last[c] = at;
	if (c2 != COL_NONE)
		last[c2] = at;
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
	event_rooms(L);
	L->places[L->n_places++] = (struct place){ L->t0, L->init_y };
	for (int c = 0; c < N_COLS; c++)
		last[c] = L->init_y - PITCH_PT;
	last[COL_STATE0] = last[COL_STATE1] = L->init_y;
	size_t from = L->lad.n_rows > 1 ? L->lad.rows[1].ev : 0;

	for (size_t k = L->notes_from < from ? L->notes_from : from, i = 0; k < L->end_ev; k++) {
		enum column c2 = COL_NONE;
		while (i < L->n_arrows && L->arrows[i].row->ev < k)
			i++;
		if (i < L->n_arrows && L->arrows[i].row->ev == k && send_column_width(&L->arrows[i]) > 0)
			c2 = L->arrows[i].from == LADDER_LEFT ? COL_STATE0 : COL_STATE1;
		if (L->col[k] != COL_NONE)
			place_event(L, log->ev[k].t_us, L->col[k], c2, last, &L->y[k]);
		if (c2 != COL_NONE)
			last[c2] += lines_below(&L->arrows[i]) * PITCH_PT;   /* payload, tag */
		if (L->col[k] != COL_NONE && log->ev[k].type == TRACE_NOTE) {
			char lines[TEXT_MAX];
			last[(int)L->col[k]] += (note_text(&log->ev[k], lines, sizeof lines) - 1) * PITCH_PT;
		}
	}
	return 0;
}

/* ---- horizontal layout ---------------------------------------------------- */

/* Whether the picture annotates side s's states. */
bool shows_states(const struct layout *L, int s)
{
	return L->side == GRAPH_BOTH || (L->side == GRAPH_CLIENT) == (s == LADDER_LEFT);
}

/* See graph_ladder_int.h. */
int note_side(const struct layout *L, const struct trace_event *ev)
{
	return ev->endpoint == L->lad.ep[0] ? LADDER_LEFT : LADDER_RIGHT;
}

/* The widths of the state columns and of the time axis labels. */
static void measure_columns(struct layout *L)
{
	char buf[LABEL_MAX];

	L->state_w[0] = L->state_w[1] = 0;
	/* The widest idle gap's length ("≈ 9999 s", its first line) and time. */
	L->tick_w = text_width("≈ 9999 s");
	for (size_t k = 0; k < L->lad.n_rows; k++) {
		for (int s = 0; s < 2; s++) {
			ladder_state_cell(&L->lad.rows[k], s, buf, sizeof buf);
			if (L->lad.rows[k].kind != LADDER_ROW_SEGMENT && shows_states(L, s))
				L->state_w[s] = fmax(L->state_w[s], text_width(buf));
		}
		time_format(L->lad.rows[k].t, buf);
		L->tick_w = fmax(L->tick_w, text_width(buf));
	}
	for (size_t i = 0; i < L->n_arrows; i++)
		L->state_w[L->arrows[i].from] = fmax(L->state_w[L->arrows[i].from], send_column_width(&L->arrows[i]));
	for (size_t k = 0; k < L->end_ev; k++) {
		const struct trace_event *ev = &L->lad.log->ev[k];
		if (ev->type == TRACE_NOTE && L->col[k] != COL_NONE)
			L->state_w[note_side(L, ev)] = fmax(L->state_w[note_side(L, ev)], note_width(ev));
	}
}

/* The room between the lifelines arrow a's label needs there: itself
 * beside its arrow, and a drop's cross past it. */
static double middle_need(const struct arrow *a)
{
	return a->w + 2 * LIFELINE_GAP_PT + 4 * CROSS_PT;
}

/* Measures the columns and returns the width the picture takes, *middle
 * the room between the lifelines: MIN_MIDDLE_PT when that fits the slide
 * rule (see FONT_PT), narrower, to NARROW_MIDDLE_PT, when the state
 * columns (with labels outside) take the room, and as wide as the labels
 * left between the lifelines need. */
static double columns_width(struct layout *L, double *middle)
{
	double sides, need = 0, base;

	measure_columns(L);
	sides = MARGIN_PT + L->tick_w + 8 + 16 + L->state_w[0] + 2 * LIFELINE_GAP_PT + fmax(L->state_w[1], 60) +
		MARGIN_PT;
	for (size_t i = 0; i < L->n_arrows; i++)
		if (!L->arrows[i].outside)
			need = fmax(need, middle_need(&L->arrows[i]));
	base = sides + MIN_MIDDLE_PT <= MAX_WIDTH_PT ? MIN_MIDDLE_PT : fmax(NARROW_MIDDLE_PT, MAX_WIDTH_PT - sides);
	*middle = fmax(base, need);
	return sides + *middle;
}

/* The widest label left between the lifelines narrower than `below` (0
 * when none is). */
static double widest_inside(const struct layout *L, double below)
{
	double w = 0;

	for (size_t i = 0; i < L->n_arrows; i++)
		if (!L->arrows[i].outside && L->arrows[i].w < below)
			w = fmax(w, L->arrows[i].w);
	return w;
}

/* Moves the labels at least w wide outside (on) or back (off; only those
 * moved, marked in moved). */
static void move_wide(struct layout *L, double w, bool on, bool *moved)
{
	for (size_t i = 0; i < L->n_arrows; i++) {
		struct arrow *a = &L->arrows[i];
		if (on && !a->outside && a->w >= w)
			a->outside = moved[i] = true;
		else if (!on && moved[i])
			a->outside = moved[i] = false;
		else
			continue;
		arrow_label(L, a);
	}
}

/* The x of the axis, the lifelines and the state columns, and the width.
 * When the picture is wider than the slide rule allows (MAX_WIDTH_PT),
 * the widest labels between the lifelines go outside, as many as it takes
 * (the fewest that make it fit, else those that make it narrowest), when
 * may_move (a page keeps the whole picture's). */
static void place_columns(struct layout *L, bool may_move)
{
	double middle, width = columns_width(L, &middle), w = 1e9, best = width, best_w = 0, m;
	bool *moved = may_move && width > MAX_WIDTH_PT ? calloc(L->n_arrows + 1, 1) : NULL;

	while (moved && width > MAX_WIDTH_PT && (w = widest_inside(L, w)) > 0) {
		move_wide(L, w, true, moved);
		width = columns_width(L, &m);
		if (width < best - 0.5) {
			best = width;
			best_w = w;
		}
	}
	if (moved && width > MAX_WIDTH_PT) {     /* none fits: the narrowest */
		move_wide(L, 0, false, moved);
		if (best_w > 0)
			move_wide(L, best_w, true, moved);
	}
	free(moved);
	width = columns_width(L, &middle);
	L->x_axis = MARGIN_PT + L->tick_w + 8;
	L->x_state[0] = L->x_axis + 16 + L->state_w[0];          /* right edge */
	L->x_life[0] = L->x_state[0] + LIFELINE_GAP_PT;
	L->x_life[1] = L->x_life[0] + middle;
	L->x_state[1] = L->x_life[1] + LIFELINE_GAP_PT;          /* left edge */
	L->width = L->x_state[1] + fmax(L->state_w[1], 60) + MARGIN_PT;
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
	/* The notes go with the row after them, in their side's column. */
	size_t until = L->notes_to_end ? L->end_ev : L->lad.n_rows > 1 ? L->lad.rows[L->lad.n_rows - 1].ev : 0;
	for (size_t k = L->notes_from; k < until && k < L->end_ev; k++) {
		const struct trace_event *ev = &L->lad.log->ev[k];
		if (ev->type == TRACE_NOTE && ev->u.note.text)
			L->col[k] = (signed char)(note_side(L, ev) == LADDER_LEFT ? COL_STATE0 : COL_STATE1);
	}
}

/* The rows view selects, [*r0, *r1) (row 0 the initial one, so *r0 >= 1),
 * and the time the picture starts at. */
static void window_rows(const struct ladder *lad, const struct graph_ladder_view *view, size_t *r0, size_t *r1,
			usec_t *t0)
{
	*r0 = 1;
	*r1 = lad->n_rows;
	*t0 = 0;
	if (!view)
		return;
	if (view->has_to)
		while (*r1 > 1 && lad->rows[*r1 - 1].t > view->to)
			(*r1)--;
	if (!view->has_from)
		return;
	*t0 = view->from;
	while (*r0 < *r1 && lad->rows[*r0].t < view->from)
		(*r0)++;
}

/* Keeps rows [r0, r1) of the ladder, headed by an initial row at time t0
 * holding each side's state then: the row before r0 becomes it (lad.rows
 * is moved past the rows before it; layout_free moves it back). */
static void keep_rows(struct layout *L, size_t r0, size_t r1, usec_t t0)
{
	struct ladder *lad = &L->lad;

	L->t0 = t0;
	L->notes_to_end = r1 >= lad->n_rows;
	lad->n_rows = r1 < lad->n_rows ? r1 : lad->n_rows;
	if (lad->n_rows == 0 || r0 <= 1)
		return;
	L->notes_from = r0 - 1 < lad->n_rows ? lad->rows[r0 - 1].ev + 1 : 0;
	struct ladder_row init = lad->rows[0];
	for (size_t k = 1; k < r0; k++)
		if (lad->rows[k].kind == LADDER_ROW_STATE)
			init.state[lad->rows[k].side] = lad->rows[k].state[lad->rows[k].side];
	init.t = t0;
	lad->rows[r0 - 1] = init;
	L->rows_skipped = r0 - 1;
	lad->rows += r0 - 1;
	lad->n_rows -= r0 - 1;
}

/* A page takes the whole picture's columns and scale, so that the pages
 * of one exchange line up. */
static void take_whole(struct layout *L, const struct layout *whole)
{
	L->unit_us = whole->unit_us;
	L->delay_us[0] = whole->delay_us[0];
	L->delay_us[1] = whole->delay_us[1];
	L->x_axis = whole->x_axis;
	L->x_life[0] = whole->x_life[0];
	L->x_life[1] = whole->x_life[1];
	L->x_state[0] = whole->x_state[0];
	L->x_state[1] = whole->x_state[1];
	L->width = whole->width;
	L->state_w[0] = whole->state_w[0];
	L->state_w[1] = whole->state_w[1];
	L->tick_w = whole->tick_w;
}

/* Where labels between the lifelines meet something (between arrows that
 * cross each other, a window's data and its ACKs, there is no free place:
 * two families of crossing lines leave cells too small for a label as wide
 * as the lifelines are apart): those labels move outside, beside their
 * sender's lifeline at the send; all of them (last true) when some still
 * meet something after OUTSIDE_PASSES tries. */
static void move_outside(struct layout *L, bool last)
{
	for (size_t i = 0; i < L->n_arrows; i++)
		if ((L->arrows[i].cost > 0 || last) && !L->arrows[i].outside) {
			L->arrows[i].outside = true;
			arrow_label(L, &L->arrows[i]);
		}
	free(L->places);
	free(L->gaps);
	L->places = NULL;
	L->gaps = NULL;
	L->n_places = L->n_gaps = 0;
}

/* A page's labels are outside where the whole picture's are (both lists
 * of arrows are in send order). */
static void take_outside(struct layout *L, const struct layout *whole)
{
	size_t j = 0;

	for (size_t i = 0; i < L->n_arrows; i++) {
		while (j < whole->n_arrows && whole->arrows[j].row->ev < L->arrows[i].row->ev)
			j++;
		L->arrows[i].outside = j < whole->n_arrows && whole->arrows[j].row->ev == L->arrows[i].row->ev &&
				       whole->arrows[j].outside;
		arrow_label(L, &L->arrows[i]);
	}
}

/* Computes every position. Returns -1 when out of memory. */
int layout_build(struct layout *L, const struct trace_log *log, enum graph_side side,
		 const struct graph_ladder_view *view)
{
	return layout_build_page(L, log, side, view, NULL);
}

/* See graph_ladder_int.h. */
int layout_build_page(struct layout *L, const struct trace_log *log, enum graph_side side,
		      const struct graph_ladder_view *view, const struct layout_page *pg)
{
	size_t n = log->n ? log->n : 1, r0, r1;
	usec_t t0;

	memset(L, 0, sizeof *L);
	L->side = side;
	L->time = view ? view->time : GRAPH_TIME_COMPRESSED;
	if (ladder_build(&L->lad, log) < 0)
		return -1;
	ladder_for_picture(&L->lad);
	window_rows(&L->lad, view, &r0, &r1, &t0);
	if (pg) {
		L->page = pg->page;
		L->n_pages = pg->n_pages;
		L->page_h = pg->whole->width * 9 / 16;
		if (pg->r0 > r0)                /* the gap since the last page's row heads this one */
			t0 = L->lad.rows[pg->r0 - 1].t;
		r0 = pg->r0;
		r1 = pg->r1;
	}
	keep_rows(L, r0, r1, t0);
	L->end_ev = log->n;
	if (L->lad.n_rows > GRAPH_LADDER_MAX_ROWS) {
		L->notes_to_end = false;
		L->rows_left_out = L->lad.n_rows - GRAPH_LADDER_MAX_ROWS;
		L->lad.n_rows = GRAPH_LADDER_MAX_ROWS;
	}
	if ((L->rows_left_out || pg) && L->lad.n_rows > 0) {
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
	linear_unit(L);
	for (size_t i = 0; i < L->n_arrows; i++)
		arrow_label(L, &L->arrows[i]);
	if (pg)
		take_outside(L, pg->whole);
	place_columns(L, !pg);
	if (pg)
		take_whole(L, pg->whole);
	L->head_y = title_height(L) + 4 + HEAD_PT / 2;
	L->init_y = L->head_y + HEAD_PT / 2 + PITCH_PT;
	for (int pass = 1;; pass++) {
		if (place_events(L) < 0)
			return -1;
		arrow_ends(L);
		if ((L->label_conflicts = place_labels(L)) < 0)
			return -1;
		/* A page keeps the whole picture's choice (and columns). */
		if (L->label_conflicts == 0 || pg || pass > OUTSIDE_PASSES)
			break;
		move_outside(L, pass == OUTSIDE_PASSES);
		place_columns(L, true);
	}
	L->bottom = lowest(L);
	return 0;
}

/* Frees what layout_build allocated (safe after a failed build). */
void layout_free(struct layout *L)
{
	L->lad.rows -= L->rows_skipped;
	L->rows_skipped = 0;
	ladder_free(&L->lad);
	free(L->col);
	free(L->y);
	free(L->arrows);
	free(L->places);
	free(L->gaps);
}
