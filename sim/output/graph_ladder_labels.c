/* graph_ladder_labels.c - where each arrow of the ladder picture ends, and
 * where its label sits on it: free places that cross fewest arrows, else
 * all stacked in send order (see graph_ladder.c, "Labels"). */
#include <math.h>
#include <stdlib.h>
#include "output/graph_ladder_int.h"

/* ---- arrows and labels ---------------------------------------------------- */

/* Where each arrow starts and ends: a delivered one at its (first) delivery;
 * one that never arrived (dropped, or in flight when the run ended) where it
 * would have, one delay of its direction later, drawn to scale (so that two
 * drops one after the other stay apart), one the link dropped only halfway;
 * one the receiving host dropped reaches its lifeline, where it was dropped. */
void arrow_ends(struct layout *L)
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
void place_labels(struct layout *L)
{
	if (!place_labels_free(L))
		place_labels_stacked(L);
}
