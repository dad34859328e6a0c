/* graph_ladder_labels.c - where each arrow of the ladder picture ends, and
 * where its label sits beside it: the first of a few places along the
 * arrow, above it or below, that touches no arrow, no drop's cross and no
 * label placed before (see graph_ladder.c, "Labels"). */
#include <math.h>
#include <stdlib.h>
#include "output/graph_ladder_int.h"

/* ---- arrows and labels ---------------------------------------------------- */

/* Where each arrow starts and ends: a delivered one at its (first) delivery;
 * one that never arrived (dropped, or in flight when the run ended) where it
 * would have, one delay of its direction later, drawn to scale (so that two
 * drops one after the other stay apart), one the link dropped only halfway
 * (or further, for its label to fit before the cross);
 * one the receiving host dropped reaches its lifeline, where it was dropped. */
void arrow_ends(struct layout *L)
{
	for (size_t i = 0; i < L->n_arrows; i++) {
		struct arrow *a = &L->arrows[i];
		a->ys = L->y[a->row->ev];
		if (a->delivered)
			a->ye = L->y[a->del_ev];
		else
			a->ye = a->ys + time_height(L, (usec_t)L->delay_us[a->from]);
		if (a->drop_reason)
			a->ye = L->y[a->drop_ev];
		a->x_end = L->x_life[1 - a->from];
		a->y_end = a->ye;
		if (a->dropped && !a->drop_reason) {
			/* Halfway, or as far as its label needs to lie clear
			 * of the cross. */
			double middle = L->x_life[1] - L->x_life[0];
			double w = a->outside ? 0 : a->w;
			double f = fmin(1, fmax(0.5, (w + LIFELINE_GAP_PT + 3 * CROSS_PT) / middle));
			a->x_end = L->x_life[a->from] + f * (L->x_life[1 - a->from] - L->x_life[a->from]);
			a->y_end = a->ys + f * (a->ye - a->ys);
		}
	}
	/* For first_near(): the lowest an arrow or its label reaches (a label
	 * below the arrow's line extended across the lifelines: a drop's line
	 * is at most half as long as that), the most of it so far. */
	L->ys_sorted = true;
	for (size_t i = 0; i < L->n_arrows; i++) {
		struct arrow *a = &L->arrows[i];
		double lowest = a->ys + 2 * (a->ye - a->ys) + LABEL_H_PT + LABEL_CLEAR_PT + MAX_AWAY_PT;
		if (i && a->ys < a[-1].ys)
			L->ys_sorted = false;
		a->lowest_so_far = i && a[-1].lowest_so_far > lowest ? a[-1].lowest_so_far : lowest;
	}
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
		t0 = ta > t0 ? ta : t0;         /* not fmax: a libm call in the hot loop */
		t1 = tb < t1 ? tb : t1;
		if (t0 > t1)
			return false;
	}
	return true;
}

/* A label's box: centre, width, height. */
struct box {
	double x, y, w, h;
};

/* True when two boxes come closer than LABEL_CLEAR_PT. */
static bool boxes_meet(const struct box *a, const struct box *b)
{
	return fabs(a->x - b->x) < (a->w + b->w) / 2 + LABEL_CLEAR_PT &&
	       fabs(a->y - b->y) < (a->h + b->h) / 2 + LABEL_CLEAR_PT;
}

/* The first arrow that, or whose label, may reach as low as y: with the
 * arrows in order down the page, a binary search on their running lowest
 * point (0 otherwise). A long run's ladder is then not quadratic in its
 * segments, even with one arrow that reaches far down. */
static size_t first_near(const struct layout *L, double y)
{
	size_t lo = 0, hi = L->n_arrows;

	if (!L->ys_sorted)
		return 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (L->arrows[mid].lowest_so_far < y)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* A label over another label or a drop's cross hides it: far worse than
 * an arrow passing behind a label (its box is filled white), the last
 * resort where arrows cross each other at a window's ACKs. */
#define COST_HIDES 1000

/* What box b meets, arrow i's label: other arrows and its own (the box is
 * beside it, never on it), drops' crosses, the labels of arrows placed
 * (placed[j]); a line must keep half LABEL_CLEAR_PT away (beside() puts
 * the box a whole one from its own arrow). Returns the cost: how many
 * arrows, and COST_HIDES for each label or cross. */
static int conflicts(const struct layout *L, size_t i, const struct box *b, const bool *placed)
{
	double top = b->y - b->h / 2 - LABEL_CLEAR_PT, bottom = b->y + b->h / 2 + LABEL_CLEAR_PT;
	/* A label sits at most this far above its arrow's start (the arrows
	 * slope down, and a label stays between the lifelines); nothing of an
	 * arrow starting lower than bottom + below can meet b. */
	double below = LABEL_H_PT + LABEL_CLEAR_PT + MAX_AWAY_PT;
	int n = 0;
	(void)i;

	for (size_t j = first_near(L, top); j < L->n_arrows; j++) {
		const struct arrow *a = &L->arrows[j];
		if (a->ys > bottom + below) {
			if (L->ys_sorted)
				break;
			continue;
		}
		if (a->y_end >= top && a->ys <= bottom &&
		    crosses_box(L->x_life[a->from], a->ys, a->x_end, a->y_end, b->x, b->y,
				b->w + LABEL_CLEAR_PT, b->h + LABEL_CLEAR_PT))
			n++;
		if (a->dropped && !a->drop_reason) {
			struct box cross = { a->x_end, a->y_end, 2 * CROSS_PT, 2 * CROSS_PT };
			n += COST_HIDES * boxes_meet(b, &cross);
		}
		if (placed[j]) {
			struct box other = { a->lx, a->ly, a->w, LABEL_H_PT };
			n += COST_HIDES * boxes_meet(b, &other);
		}
	}
	return n;
}

/* The box of arrow a's label at fraction f along it, above the arrow's
 * line (above true) or below it, LABEL_CLEAR_PT from it, kept between the
 * lifelines. */
static struct box beside(const struct layout *L, const struct arrow *a, double f, bool above, double away)
{
	double x0 = L->x_life[a->from], dx = a->x_end - x0, dy = a->y_end - a->ys;
	double lo = L->x_life[0] + LIFELINE_GAP_PT + a->w / 2, hi = L->x_life[1] - LIFELINE_GAP_PT - a->w / 2;
	struct box b = { x0 + f * dx, 0, a->w, LABEL_H_PT };
	double slope = fabs(dx) > 1e-9 ? dy / dx : 0, y_left, y_right;

	b.x = fmax(lo, fmin(hi, b.x));
	y_left = a->ys + slope * (b.x - b.w / 2 - x0);
	y_right = a->ys + slope * (b.x + b.w / 2 - x0);
	if (above)
		b.y = fmin(y_left, y_right) - LABEL_CLEAR_PT - away - b.h / 2;
	else
		b.y = fmax(y_left, y_right) + LABEL_CLEAR_PT + away + b.h / 2;
	return b;
}

/* The places along an arrow a label may sit at, best first: the middle,
 * then towards the sender (where the segment comes from), then the receiver. */
static const double label_f[] = { 0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.1, 0.9, 0.0, 1.0,
				   0.45, 0.55, 0.35, 0.65, 0.25, 0.75, 0.15, 0.85 };
#define N_LABEL_F (sizeof label_f / sizeof label_f[0])
/* How much further than LABEL_CLEAR_PT from its arrow a label may sit when
 * no place right beside it is free (between crossing arrows): still
 * closer to its own arrow than a label's height. */
static const double label_away[] = { 0, MAX_AWAY_PT / 2, MAX_AWAY_PT };
#define N_AWAY (sizeof label_away / sizeof label_away[0])

/* Places every label beside its arrow, in send order: the first place
 * (label_f, above before below) that meets nothing; when none does, the one
 * that costs least (its cost in a->cost). A label outside the lifelines
 * sits beside its sender's, at the send. Returns how many labels meet
 * something (-1 when out of memory). Spreading the events further does not
 * help those: arrows that cross each other still cross when drawn taller. */
int place_labels(struct layout *L)
{
	bool *placed = calloc(L->n_arrows ? L->n_arrows : 1, sizeof *placed);
	double top = L->head_y + HEAD_PT / 2 + LABEL_CLEAR_PT;
	int bad = 0;

	if (!placed)
		return -1;
	for (size_t i = 0; i < L->n_arrows; i++) {
		struct arrow *a = &L->arrows[i];
		struct box best = { 0 };
		int least = -1;
		if (a->outside) {
			/* In the sender's state column, where the arrow leaves
			 * its lifeline (the send reserved the column there). */
			a->lx = a->from == LADDER_LEFT ? L->x_life[0] - LIFELINE_GAP_PT - a->w / 2
						       : L->x_life[1] + LIFELINE_GAP_PT + a->w / 2;
			a->ly = a->ys;
			a->cost = 0;
			placed[i] = true;
			continue;
		}
		for (size_t k = 0; k < N_AWAY * 2 * N_LABEL_F && least != 0; k++) {
			size_t place = k % (2 * N_LABEL_F);
			struct box b = beside(L, a, label_f[place / 2], place % 2 == 0, label_away[k / (2 * N_LABEL_F)]);
			int n = conflicts(L, i, &b, placed) + COST_HIDES * (b.y - b.h / 2 < top);
			if (least < 0 || n < least) {
				least = n;
				best = b;
			}
		}
		a->lx = best.x;
		a->ly = best.y;
		a->cost = least;
		placed[i] = true;
		bad += least > 0;
	}
	free(placed);
	return bad;
}
