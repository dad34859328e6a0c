/* graph_states_pin.c - the fixed layout of the state diagram: every
 * picture puts the states, Figure 5's arcs and their labels exactly where
 * the plain figure (the skeleton) has them, so that a series of slides,
 * one per scenario, lines up; only the arcs' colours and the badges change.
 *
 * The skeleton is Figure 5 with the legend, laid out by dot (with the
 * spacing that leaves nothing overlapping, graph_states_spacing.c); each
 * Figure 5 label keeps room for both sides' badges, so a label is as wide
 * in every picture as in the skeleton. A picture copies the skeleton's
 * positions (nodes' pos, edges' pos and lp) and is laid out by Graphviz's
 * nop2 (`neato -n2`): what has a position keeps it, and the arcs outside
 * Figure 5 that a trace took are routed around the states; each of their
 * labels is then put where it meets least along its line. The DOT file
 * written holds every position, so `dot -Tsvg NAME.states.dot` (the file
 * says layout=nop2) draws the very same picture. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/bigarray.h"
#include "output/graph_render.h"
#include "output/graph_states_int.h"

/* ---- the skeleton --------------------------------------------------------- */

/* A laid-out graph as DOT text with its positions, read back: a graph
 * whose attributes hold them (pos, lp, bb). NULL when Graphviz fails. */
static Agraph_t *positions_of(Agraph_t *laid_out, char **text_out, size_t *len_out)
{
	char *out = NULL, *text;
	unsigned int n = 0;
	Agraph_t *g = NULL;

	if (gvRenderData(graph_gvc(), laid_out, "dot", &out, &n) != 0 || !out)
		return NULL;
	text = malloc((size_t)n + 1);
	if (text) {
		memcpy(text, out, n);
		text[n] = '\0';
		g = agmemread(text);
	}
	gvFreeRenderData(out);
	if (g && text_out) {
		*text_out = text;
		*len_out = n;
	} else {
		free(text);
	}
	return g;
}

/* See graph_states_int.h. */
int skeleton_layout(Agraph_t **skeleton)
{
	struct picture sk = { .log = NULL, .ep = { 0, 0 }, .legend = true };
	struct candidate c = { 0 };
	int rc = -1;

	*skeleton = NULL;
	if (build(&sk, GRAPH_BOTH, NULL) == 0 && choose_spacing(&sk, &c) == 0) {
		/* each label's size, for the obstacles of add_label_obstacles */
		for (Agnode_t *v = agfstnode(c.g); v; v = agnxtnode(c.g, v))
			for (Agedge_t *e = agfstout(c.g, v); e; e = agnxtout(c.g, e))
				if (ED_label(e)) {
					char size[64];
					snprintf(size, sizeof size, "%.2f,%.2f", ED_label(e)->dimen.x, ED_label(e)->dimen.y);
					set(e, "label_size", size);
				}
		*skeleton = positions_of(c.g, NULL, NULL);
		rc = *skeleton ? 0 : -1;
	}
	drop_candidate(&c);
	if (sk.g)
		agclose(sk.g);
	bigarray_free(sk.arcs, sk.cap_arcs * sizeof *sk.arcs);
	return rc;
}

/* ---- pinning a picture to it ---------------------------------------------- */

/* See graph_states_int.h. */
void pin_node(const struct picture *p, Agnode_t *n)
{
	Agnode_t *k = p->skeleton ? agnode(p->skeleton, agnameof(n), 0) : NULL;
	const char *pos = k ? agget(k, "pos") : NULL;

	if (pos && *pos)
		set(n, "pos", pos);
}

/* The skeleton's edge whose id is id, NULL when none. */
static Agedge_t *skeleton_edge(Agraph_t *sk, const char *id)
{
	for (Agnode_t *v = agfstnode(sk); v; v = agnxtnode(sk, v))
		for (Agedge_t *e = agfstout(sk, v); e; e = agnxtout(sk, e)) {
			const char *eid = agget(e, "id");
			if (eid && strcmp(eid, id) == 0)
				return e;
		}
	return NULL;
}

/* A spline's "e,x,y s,x,y x,y ..." moved by (dx, dy), into out. */
static void shift_pos(const char *pos, double dx, double dy, char *out, size_t n)
{
	size_t len = 0;

	out[0] = '\0';
	while (*pos && len + 48 < n) {
		char tag[3] = "";
		double x, y;
		int used = 0;
		if ((pos[0] == 'e' || pos[0] == 's') && pos[1] == ',') {
			tag[0] = pos[0];
			tag[1] = ',';
			pos += 2;
		}
		if (sscanf(pos, "%lf,%lf%n", &x, &y, &used) != 2)
			break;
		len += (size_t)snprintf(out + len, n - len, "%s%s%.2f,%.2f", len ? " " : "", tag, x + dx, y + dy);
		pos += used;
		while (*pos == ' ')
			pos++;
	}
}

/* The first and last point of a spline's pos (its ends: the arrowhead's
 * tip is an "e," point, read as any other). */
static bool spline_ends(const char *pos, double *x0, double *y0, double *x1, double *y1)
{
	bool any = false;

	while (*pos) {
		double x, y;
		int used = 0;
		if ((pos[0] == 'e' || pos[0] == 's') && pos[1] == ',')
			pos += 2;
		if (sscanf(pos, "%lf,%lf%n", &x, &y, &used) != 2)
			break;
		if (!any) {
			*x0 = x;
			*y0 = y;
		}
		*x1 = x;
		*y1 = y;
		any = true;
		pos += used;
		while (*pos == ' ')
			pos++;
	}
	return any;
}

/* The points of a spline's pos ("e,x,y s,x,y x,y ..."), the arrowhead's
 * tip and the start point left out: its Bezier control points, into pts
 * (at most max). Returns how many. */
static size_t control_points(const char *pos, pointf *pts, size_t max)
{
	size_t n = 0;

	while (*pos && n < max) {
		double x, y;
		int used = 0;
		bool tip = (pos[0] == 'e' || pos[0] == 's') && pos[1] == ',';
		if (tip)
			pos += 2;
		if (sscanf(pos, "%lf,%lf%n", &x, &y, &used) != 2)
			break;
		if (!tip)
			pts[n++] = (pointf){ x, y };
		pos += used;
		while (*pos == ' ')
			pos++;
	}
	return n;
}

/* How many of the skeleton's labels the spline pos passes through. */
static int labels_crossed(Agraph_t *sk, const char *pos)
{
	pointf c[256];
	size_t n = control_points(pos, c, sizeof c / sizeof c[0]);
	int hits = 0;

	for (Agnode_t *v = agfstnode(sk); v; v = agnxtnode(sk, v))
		for (Agedge_t *e = agfstout(sk, v); e; e = agnxtout(sk, e)) {
			const char *lp = agget(e, "lp"), *size = agget(e, "label_size");
			double x, y, w, h;
			if (!lp || !size || sscanf(lp, "%lf,%lf", &x, &y) != 2 || sscanf(size, "%lf,%lf", &w, &h) != 2)
				continue;
			bool hit = false;
			for (size_t k = 0; !hit && k + 3 < n; k += 3)
				for (int t = 0; !hit && t <= 20; t++) {
					double u = t / 20.0, r = 1 - u;
					double px = r * r * r * c[k].x + 3 * r * r * u * c[k + 1].x + 3 * r * u * u * c[k + 2].x +
						    u * u * u * c[k + 3].x;
					double py = r * r * r * c[k].y + 3 * r * r * u * c[k + 1].y + 3 * r * u * u * c[k + 2].y +
						    u * u * u * c[k + 3].y;
					hit = fabs(px - x) < w / 2 - 1 && fabs(py - y) < h / 2 - 1;
				}
			hits += hit;
		}
	return hits;
}

/* See graph_states_int.h. A line in lane k runs k times TWIN_GAP_PT to
 * the side of the skeleton's, across the direction from its tail to its head:
 * the side where it passes through no label (away from its own first),
 * else a little closer, else where it passes through fewest. */
int pin_edge(const struct picture *p, Agedge_t *e, const char *skeleton_id, int lane)
{
	Agedge_t *k = p->skeleton ? skeleton_edge(p->skeleton, skeleton_id) : NULL;
	const char *pos = k ? agget(k, "pos") : NULL, *lp = k ? agget(k, "lp") : NULL;
	double x0, y0, x1, y1;
	char moved[2][2048];

	if (!pos || !*pos)
		return -1;
	if (lane == 0) {
		set(e, "pos", pos);
		if (lp && *lp)
			set(e, "lp", lp);
		return 0;
	}
	if (!spline_ends(pos, &x0, &y0, &x1, &y1))
		return -1;
	double dx = x1 - x0, dy = y1 - y0, len = sqrt(dx * dx + dy * dy);
	if (len < 1)
		len = 1;
	double nx = -dy / len, ny = dx / len, lx, ly;
	if (lp && sscanf(lp, "%lf,%lf", &lx, &ly) == 2 && (lx - (x0 + x1) / 2) * nx + (ly - (y0 + y1) / 2) * ny > 0) {
		nx = -nx;
		ny = -ny;
	}
	/* each side at the full gap, then closer; the first through no label */
	const double gaps[] = { TWIN_GAP_PT * lane, TWIN_GAP_PT * (lane - 0.3), TWIN_GAP_PT * (lane + 1),
				TWIN_GAP_PT * (lane + 2), TWIN_GAP_PT * (lane + 3), TWIN_GAP_PT * (lane + 5) };
	int least = -1;
	for (size_t g = 0; least != 0 && g < sizeof gaps / sizeof gaps[0]; g++)
		for (int side = 1; least != 0 && side >= -1; side -= 2) {
			shift_pos(pos, side * nx * gaps[g], side * ny * gaps[g], moved[1], sizeof moved[1]);
			int hits = labels_crossed(p->skeleton, moved[1]);
			if (least < 0 || hits < least) {
				least = hits;
				memcpy(moved[0], moved[1], sizeof moved[0]);
			}
		}
	set(e, "pos", moved[0]);
	return least;
}

/* ---- the arcs outside Figure 5 --------------------------------------------- */

/* A point of e's first Bezier, t of the way along its control points. */
static bool point_along(Agedge_t *e, double t, pointf *at)
{
	const splines *spl = ED_spl(e);

	if (!spl || spl->size < 1 || spl->list[0].size < 4)
		return false;
	const bezier *bz = &spl->list[0];
	int segs = (bz->size - 1) / 3;
	double u = t * segs;
	int k = (int)u;
	if (k >= segs)
		k = segs - 1;
	u -= k;
	const pointf *c = bz->list + 3 * k;
	double v = 1 - u;
	at->x = v * v * v * c[0].x + 3 * v * v * u * c[1].x + 3 * v * u * u * c[2].x + u * u * u * c[3].x;
	at->y = v * v * v * c[0].y + 3 * v * v * u * c[1].y + 3 * v * u * u * c[2].y + u * u * u * c[3].y;
	return true;
}

/* Puts routed edge e's label where it meets least: beside its line (to
 * each of eight sides, touching the line, then further off) at points from
 * the middle outwards, inside the picture; the first place that meets
 * nothing wins. */
static void place_label(Agraph_t *g, Agedge_t *e)
{
	static const double along[] = { 0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.15, 0.85 };
	static const double dirs[][2] = { { 1, 0 }, { -1, 0 }, { 0, 1 }, { 0, -1 },
					  { 1, 1 }, { -1, 1 }, { 1, -1 }, { -1, -1 } };
	static const double far[] = { 1, 1.7 };
	textlabel_t *l = ED_label(e);
	pointf best = l->pos;
	int least = label_meets(g, l, e);
	boxf bb = GD_bb(g);
	const double w = l->dimen.x / 2 + 4, h = l->dimen.y / 2 + 4;

	for (size_t f = 0; least > 0 && f < sizeof far / sizeof far[0]; f++)
		for (size_t i = 0; least > 0 && i < sizeof along / sizeof along[0]; i++) {
			pointf at;
			if (!point_along(e, along[i], &at))
				return;
			for (size_t k = 0; least > 0 && k < sizeof dirs / sizeof dirs[0]; k++) {
				pointf c = { at.x + dirs[k][0] * w * far[f], at.y + dirs[k][1] * h * far[f] };
				if (c.x - w < bb.LL.x || c.x + w > bb.UR.x || c.y - h < bb.LL.y || c.y + h > bb.UR.y)
					continue;
				l->pos = c;
				int n = label_meets(g, l, e);
				if (n < least) {
					least = n;
					best = c;
				}
			}
		}
	l->pos = best;
}

/* Whether p draws an arc outside Figure 5 (only taken ones are drawn). */
static bool has_routed_arcs(const struct picture *p)
{
	for (size_t i = 0; i < p->n_arcs; i++)
		if (!p->arcs[i].figure5)
			return true;
	return false;
}

/* How far beyond a label its obstacle's box reaches (points; negative:
 * inside it), tried in turn until a picture has nothing overlapping, and
 * the router's margin around a node (esep). Each box is held back from
 * its neighbours (nodes and the other labels) so that no two obstacles
 * with their margins touch: when any do, the router gives up and draws
 * straight lines through everything. */
static const double obstacle_growths[] = { 4, 2, 0, -2 };
#define ROUTING_MARGIN "+1"

/* The room (points) between the box centred x,y of half-size hw,hh and
 * the nearest state or other label of the skeleton sk (but `self`). */
static double room_around(Agraph_t *sk, Agedge_t *self, double x, double y, double hw, double hh)
{
	double room = 1e9;

	for (Agnode_t *v = agfstnode(sk); v; v = agnxtnode(sk, v)) {
		double nx, ny, nw = atof(agget(v, "width") ? agget(v, "width") : "0") * 36,
			      nh = atof(agget(v, "height") ? agget(v, "height") : "0") * 36;
		const char *pos = agget(v, "pos");
		if (pos && sscanf(pos, "%lf,%lf", &nx, &ny) == 2)
			room = fmin(room, fmax(fabs(x - nx) - hw - nw, fabs(y - ny) - hh - nh));
		for (Agedge_t *e = agfstout(sk, v); e; e = agnxtout(sk, e)) {
			const char *lp = agget(e, "lp"), *size = agget(e, "label_size");
			double lx, ly, lw, lh;
			if (e == self || !lp || !size || sscanf(lp, "%lf,%lf", &lx, &ly) != 2 ||
			    sscanf(size, "%lf,%lf", &lw, &lh) != 2)
				continue;
			room = fmin(room, fmax(fabs(x - lx) - hw - lw / 2, fabs(y - ly) - hh - lh / 2));
		}
	}
	return room;
}

/* An invisible box on each Figure 5 label of the skeleton, named
 * "label_ID", reaching `growth` points beyond it where there is room: nop2
 * routes the other arcs around every node, and so around these labels
 * too. Only in a picture with arcs to route. */
static void add_label_obstacles(struct picture *p, double growth)
{
	Agraph_t *sk = p->skeleton;

	for (Agnode_t *v = agfstnode(sk); v; v = agnxtnode(sk, v))
		for (Agedge_t *e = agfstout(sk, v); e; e = agnxtout(sk, e)) {
			const char *lp = agget(e, "lp"), *size = agget(e, "label_size"), *id = agget(e, "id");
			double w, h, x, y;
			char name[64], num[32];
			if (!lp || !size || !id || sscanf(size, "%lf,%lf", &w, &h) != 2 ||
			    sscanf(lp, "%lf,%lf", &x, &y) != 2)
				continue;
			/* both neighbours may grow as much, each keeps its margin */
			double g = fmin(growth, (room_around(sk, e, x, y, w / 2, h / 2) - 3) / 2);
			snprintf(name, sizeof name, "label_%s", id);
			Agnode_t *n = agnode(p->g, name, 1);
			set(n, "shape", "box");
			set(n, "style", "invis");
			set(n, "label", "");
			set(n, "fixedsize", "true");
			snprintf(num, sizeof num, "%.3f", (w + 2 * g) / 72);
			set(n, "width", num);
			snprintf(num, sizeof num, "%.3f", (h + 2 * g) / 72);
			set(n, "height", num);
			set(n, "pos", lp);
		}
}

/* The point of a spline's pos at t of the way along its Bezier segments. */
static bool pos_point(const char *pos, double t, pointf *at)
{
	pointf c[256];
	size_t n = control_points(pos, c, sizeof c / sizeof c[0]);

	if (n < 4)
		return false;
	size_t segs = (n - 1) / 3;
	double u = t * (double)segs;
	size_t k = (size_t)u < segs ? (size_t)u : segs - 1;
	u -= (double)k;
	double r = 1 - u;
	const pointf *q = c + 3 * k;
	at->x = r * r * r * q[0].x + 3 * r * r * u * q[1].x + 3 * r * u * u * q[2].x + u * u * u * q[3].x;
	at->y = r * r * r * q[0].y + 3 * r * r * u * q[1].y + 3 * r * u * u * q[2].y + u * u * u * q[3].y;
	return true;
}

/* Whether a drawn arc outside Figure 5 joins the two states of skeleton
 * edge e (either way round): it would be routed over e's line. */
static bool shares_ends(const struct picture *p, Agedge_t *e)
{
	const char *t = agnameof(agtail(e)), *h = agnameof(aghead(e));

	for (size_t i = 0; i < p->n_arcs; i++) {
		const struct pic_arc *a = &p->arcs[i];
		if (a->figure5)
			continue;
		const char *from = agnameof(p->node[a->from]), *to = agnameof(p->node[a->head]);
		if ((!strcmp(from, t) && !strcmp(to, h)) || (!strcmp(from, h) && !strcmp(to, t)))
			return true;
	}
	return false;
}

/* Small invisible boxes along the line of each Figure 5 arc that an arc
 * outside it joins the same states as, named "line_ID_K": the router
 * bends the other around them instead of drawing it on top. */
static void add_line_obstacles(struct picture *p)
{
	static const double along[] = { 0.35, 0.5, 0.65 };
	Agraph_t *sk = p->skeleton;

	for (Agnode_t *v = agfstnode(sk); v; v = agnxtnode(sk, v))
		for (Agedge_t *e = agfstout(sk, v); e; e = agnxtout(sk, e)) {
			const char *pos = agget(e, "pos"), *id = agget(e, "id");
			if (!pos || !*pos || !id || !*id || !shares_ends(p, e))
				continue;
			for (size_t k = 0; k < sizeof along / sizeof along[0]; k++) {
				pointf at;
				char name[64], xy[64];
				/* none where it would touch a label's obstacle (the
				 * router would give up): a label sits beside its line */
				if (!pos_point(pos, along[k], &at) ||
				    room_around(sk, NULL, at.x, at.y, 2.7, 2.7) < 3 + 2 * obstacle_growths[0])
					continue;
				snprintf(name, sizeof name, "line_%s_%zu", id, k);
				snprintf(xy, sizeof xy, "%.2f,%.2f", at.x, at.y);
				Agnode_t *n = agnode(p->g, name, 1);
				set(n, "shape", "box");
				set(n, "style", "invis");
				set(n, "label", "");
				set(n, "fixedsize", "true");
				set(n, "width", "0.075");
				set(n, "height", "0.075");
				set(n, "pos", xy);
			}
		}
}

/* Two invisible points FRAME_MARGIN_PT beyond the skeleton's corners,
 * "frame_ll" and "frame_ur": every picture's drawing is that frame (the
 * arcs routed around the figure stay within it), so that a series of
 * pictures puts every state at the same place on the slide. */
#define FRAME_MARGIN_PT 30
static void add_frame(struct picture *p)
{
	const char *bb = p->skeleton ? agget(p->skeleton, "bb") : NULL;
	double x0, y0, x1, y1;
	char xy[64];

	if (!bb || sscanf(bb, "%lf,%lf,%lf,%lf", &x0, &y0, &x1, &y1) != 4)
		return;
	for (int k = 0; k < 2; k++) {
		Agnode_t *n = agnode(p->g, k ? "frame_ur" : "frame_ll", 1);
		set(n, "shape", "point");
		set(n, "style", "invis");
		set(n, "label", "");
		set(n, "width", "0.01");
		set(n, "height", "0.01");
		snprintf(xy, sizeof xy, "%.2f,%.2f", k ? x1 + FRAME_MARGIN_PT : x0 - FRAME_MARGIN_PT,
			 k ? y1 + FRAME_MARGIN_PT : y0 - FRAME_MARGIN_PT);
		set(n, "pos", xy);
	}
}

/* One pinned layout of p->g with label obstacles `growth` points beyond
 * the labels, into *out (see pinned_layout). */
static int pinned_try(struct picture *p, double growth, struct candidate *out)
{
	char *text = NULL;
	size_t len = 0;
	Agedge_t **routed = NULL;
	size_t n_routed = 0, cap = 0;
	int rc = -1;

	memset(out, 0, sizeof *out);
	set(p->g, "layout", PINNED_ENGINE);
	set(p->g, "splines", "true");
	/* the skeleton's coordinates as they are, and its frame at least: a
	 * series of pictures puts every state at the same place */
	set(p->g, "notranslate", "true");
	add_frame(p);
	if (p->skeleton && has_routed_arcs(p)) {
		add_label_obstacles(p, growth);
		add_line_obstacles(p);
		set(p->g, "esep", ROUTING_MARGIN);
	}
	if (write_dot(p->g, &text, &len) < 0)
		return -1;
	Agraph_t *g = agmemread(text);
	free(text);
	if (!g)
		return -1;
	/* the labels without a position: the arcs outside Figure 5 */
	for (Agnode_t *v = agfstnode(g); v; v = agnxtnode(g, v))
		for (Agedge_t *e = agfstout(g, v); e; e = agnxtout(g, e)) {
			const char *lp = agget(e, "lp"), *label = agget(e, "label");
			if ((lp && *lp) || !label || !*label)
				continue;
			Agedge_t **grown = bigarray_grow(routed, &cap, n_routed + 1, sizeof *routed, 16);
			if (!grown)
				goto out;
			routed = grown;
			routed[n_routed++] = e;
		}
	if (gvLayout(graph_gvc(), g, PINNED_ENGINE) != 0)
		goto out;
	for (size_t i = 0; i < n_routed; i++)
		if (ED_label(routed[i])) {
			place_label(g, routed[i]);
			ED_label(routed[i])->set = true;
		}
	Agraph_t *final = positions_of(g, &out->dot, &out->len);
	gvFreeLayout(graph_gvc(), g);
	agclose(g);
	g = NULL;
	if (!final)
		goto out;
	if (gvLayout(graph_gvc(), final, PINNED_ENGINE) != 0) {
		agclose(final);
		goto out;
	}
	out->g = final;
	out->overlaps = count_overlaps(final, 0);
	rc = 0;
out:
	if (g)
		agclose(g);
	bigarray_free(routed, cap * sizeof *routed);
	if (rc < 0) {
		free(out->dot);
		memset(out, 0, sizeof *out);
	}
	return rc;
}

/* See graph_states_int.h: the first obstacle growth with nothing
 * overlapping, else the one with least (laid out last, as rendering
 * needs: see choose_spacing). */
int pinned_layout(struct picture *p, struct candidate *out)
{
	size_t tries = has_routed_arcs(p) ? sizeof obstacle_growths / sizeof obstacle_growths[0] : 1;
	size_t best_i = 0;

	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < tries; i++) {
		struct candidate c;
		if (pinned_try(p, obstacle_growths[i], &c) < 0) {
			drop_candidate(out);
			return -1;
		}
		if (!out->dot || c.overlaps < out->overlaps) {
			drop_candidate(out);
			*out = c;
			best_i = i;
		} else {
			drop_candidate(&c);
		}
		if (out->overlaps == 0)
			break;
	}
	if (best_i + 1 < tries && out->overlaps > 0) {
		/* not the last laid out: lay it out again (Graphviz's globals) */
		gvFreeLayout(graph_gvc(), out->g);
		if (gvLayout(graph_gvc(), out->g, PINNED_ENGINE) != 0) {
			drop_candidate(out);
			return -1;
		}
	}
	return 0;
}
