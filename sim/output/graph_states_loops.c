/* graph_states_loops.c - the self-loops of the state diagram (--self-loops):
 * the rows of the state table a shown endpoint took without changing state
 * (the trace's TRACE_ARC events: the responses S01-S18, the resets ignored,
 * the retransmissions T52a-f), each a small loop on its state in the side's
 * colour and line style, labelled with the row's words in the figure's style
 * and its ID ("rcv FIN again / snd ACK, restart 2MSL  S16"), with no step
 * number: the steps count state changes only.
 *
 * The loops are put on the finished pinned picture (graph_states_pin.c), so
 * that nothing else moves: each one on the side of its state, and its words
 * beside it, where they meet nothing drawn yet (the states, the labels, the
 * lines and the loops before it), inside the picture's frame when they can. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "proto/arcs.h"
#include "output/graph_render.h"
#include "output/graph_states_int.h"

#define LOOPS_MAX (N_SIDES * N_NODES) /* a loop a side and state at most */
#define LOOP_FOOT_PT 12              /* half the gap between a loop's two ends on its state */
#define LOOP_DEPTH_PT 22             /* how far a loop reaches out of its state */
#define LOOP_LABEL_GAP_PT 4          /* between a loop and its words */
#define ARROW_PT 8                   /* the arrowhead's length (arrowsize 0.8) */

/* The rows that keep the state, in the figure's words ("event / action"). */
static const struct {
	const char *id, *words;
} loop_words[] = {
	{ "S01", "rcv ACK / snd RST" },
	{ "S02", "rcv no ACK / snd RST,ACK" },
	{ "S03", "rcv ACK / snd RST" },
	{ "S04", "rcv other / x" },
	{ "S05", "rcv ACK of nothing sent / snd RST" },
	{ "S06", "rcv other / x" },
	{ "S07", "rcv bad ACK / snd RST" },
	{ "S08", "rcv SYN again / snd ACK" },
	{ "S09", "rcv unacceptable / snd ACK" },
	{ "S10", "rcv RST outside window / x" },
	{ "S11", "rcv RST in window / snd challenge ACK" },
	{ "S12", "rcv SYN / snd challenge ACK" },
	{ "S13", "rcv ACK of nothing sent / snd ACK" },
	{ "S14", "rcv duplicate ACK / x" },
	{ "S15", "rcv FIN again / snd ACK" },
	{ "S16", "rcv FIN again / snd ACK, restart 2MSL" },
	{ "S17", "rcv old ACK / x" },
	{ "S18", "rcv no ACK / x" },
	{ "T32", "rcv RST / x" },
	{ "T33", "rcv RST / x" },
	{ "T41", "rcv RST / x" },
	{ "T52a", STYLE_RETRANSMIT_MARK " timeout RTO / snd SYN" },
	{ "T52b", STYLE_RETRANSMIT_MARK " timeout RTO / snd SYN,ACK" },
	{ "T52c", STYLE_RETRANSMIT_MARK " timeout RTO / snd data" },
	{ "T52d", STYLE_RETRANSMIT_MARK " timeout RTO / snd FIN" },
	{ "T52e", STYLE_RETRANSMIT_MARK " timeout RTO / snd FIN" },
	{ "T52f", STYLE_RETRANSMIT_MARK " timeout RTO / snd FIN" },
};
#define N_LOOP_WORDS (sizeof loop_words / sizeof loop_words[0])

static const char *const side_style[N_SIDES] = { STYLE_CLIENT_LINE, STYLE_SERVER_LINE };
static const char *const side_colour[N_SIDES] = { STYLE_CLIENT_COLOUR, STYLE_SERVER_COLOUR };

#define LOOP_ROWS_MAX 8              /* rows one loop lists; more are left out */

/* A row a side took in a state, and how often. */
struct loop_row {
	char id[8];
	const char *cause;           /* the trace's, for a row without words here */
	unsigned times;
};

/* A loop to draw: the rows one side took in one state, each a line of its
 * label (one loop a side and state: several would crowd a busy state). */
struct loop {
	int side, node;
	struct loop_row rows[LOOP_ROWS_MAX];
	size_t n_rows;
	Agedge_t *e;                 /* in the graph being laid out */
};

/* ---- which loops ------------------------------------------------------- */

/* The figure-style words of row id, NULL when none. */
static const char *words_of(const char *id)
{
	for (size_t i = 0; i < N_LOOP_WORDS; i++)
		if (strcmp(loop_words[i].id, id) == 0)
			return loop_words[i].words;
	return NULL;
}

/* The side endpoint ep is drawn on, -1 when it is not shown. */
static int side_of(const struct picture *p, int ep)
{
	for (int s = 0; s < N_SIDES; s++)
		if (ep >= 0 && p->ep[s] == ep)
			return s;
	return -1;
}

/* The loops of p's shown endpoints, in trace order of their first time,
 * into loops (LOOPS_MAX long: one a side and state), each with its rows
 * in trace order of their first time. A row taken in CLOSED is on the
 * CLOSED the side's path is at: the top one until an arc into the bottom
 * one (head_node). Returns how many. */
static size_t find_loops(const struct picture *p, struct loop *loops)
{
	int at[N_SIDES] = { TCPS_CLOSED, TCPS_CLOSED };
	size_t n = 0;

	for (size_t k = 0; p->log && k < p->log->n; k++) {
		const struct trace_event *ev = &p->log->ev[k];
		int s = side_of(p, ev->endpoint);
		if (s < 0)
			continue;
		if (ev->type == TRACE_STATE && ev->u.state.from != ev->u.state.to)
			at[s] = head_node(ev->u.state.from, ev->u.state.to);
		if (ev->type != TRACE_ARC || !ev->u.arc.arc)
			continue;
		int node = ev->u.arc.state == TCPS_CLOSED ? at[s] : (int)ev->u.arc.state;
		size_t i = 0;
		while (i < n && !(loops[i].side == s && loops[i].node == node))
			i++;
		if (i == n) {
			if (n == LOOPS_MAX)
				continue;
			memset(&loops[n], 0, sizeof loops[n]);
			loops[n].side = s;
			loops[n].node = node;
			n++;
		}
		struct loop *l = &loops[i];
		size_t r = 0;
		while (r < l->n_rows && strcmp(l->rows[r].id, ev->u.arc.arc) != 0)
			r++;
		if (r < l->n_rows) {
			l->rows[r].times++;
		} else if (r < LOOP_ROWS_MAX) {
			snprintf(l->rows[r].id, sizeof l->rows[r].id, "%s", ev->u.arc.arc);
			l->rows[r].cause = ev->u.arc.cause;
			l->rows[r].times = 1;
			l->n_rows++;
		}
	}
	return n;
}

/* Loop l's label as HTML (without the outer <>): a line a row, left
 * aligned: its words, "N times" when more than once, its ID in bold. */
static void loop_label(char *out, size_t n, const struct loop *l)
{
	out[0] = '\0';
	states_append(out, n, "<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"1\">");
	for (size_t r = 0; r < l->n_rows; r++) {
		const struct loop_row *row = &l->rows[r];
		const char *words = words_of(row->id);
		states_append(out, n, "<TR><TD ALIGN=\"LEFT\">");
		states_html_escape(out, n, words ? words : row->cause ? row->cause : "?");
		if (row->times > 1)
			states_append(out, n, ", %u times", row->times);
		states_append(out, n, "  <B>");
		states_html_escape(out, n, row->id);
		states_append(out, n, "</B></TD></TR>");
	}
	states_append(out, n, "</TABLE>");
}

/* Adds loop l's edge to g, unplaced: its label, colour, line style, and
 * the attributes every edge carries (arc, id, endpoint). */
static Agedge_t *add_loop_edge(const struct picture *p, Agraph_t *g, const struct loop *l)
{
	char nbuf[TRACE_NAME_MAX], id[64], html[HTML_MAX], tip[1024] = "", arcs[96] = "", times[96] = "";
	const char *name = l->node == NODE_CLOSED_END ? "CLOSED_END" : tcp_state_name((enum tcp_state)l->node);
	Agnode_t *v = agnode(g, (char *)name, 0);

	if (!v)
		return NULL;
	Agedge_t *e = agedge(g, v, v, NULL, 1);
	snprintf(id, sizeof id, "loop_%s_%s", name, l->side == CLIENT ? "client" : "server");
	set(e, "id", id);
	for (size_t k = 0; k < l->n_rows; k++) {
		const struct arc_row *r = arc_find(l->rows[k].id);
		states_append(arcs, sizeof arcs, "%s%s", k ? "," : "", l->rows[k].id);
		states_append(times, sizeof times, "%s%u", k ? "," : "", l->rows[k].times);
		if (r)
			states_append(tip, sizeof tip, "%s%s: %s, %s -> %s: %s (RFC 9293 %s)", k ? "; " : "", r->id, r->from,
			       r->event, r->to, r->action, r->section);
		else
			states_append(tip, sizeof tip, "%s%s", k ? "; " : "", l->rows[k].id);
	}
	set(e, "arc", arcs);                 /* "S12,S11": the rows, in order */
	set(e, "times", times);              /* "1,2": how often each was taken */
	set(e, "loop", "true");
	set(e, "endpoint", trace_endpoint_name(p->log->trace, p->ep[l->side], nbuf));
	set(e, "color", side_colour[l->side]);
	set(e, "style", side_style[l->side]);
	set(e, "penwidth", "3");
	set(e, "fontcolor", STYLE_TEXT_COLOUR);
	set(e, "tooltip", tip);
	loop_label(html, sizeof html, l);
	char *h = agstrdup_html(g, html);
	agsafeset(e, "label", h, "");
	agstrfree(g, h);
	return e;
}

/* ---- where they go ------------------------------------------------------ */

struct box {
	double x0, y0, x1, y1;
};

/* What a loop must keep clear of: boxes (states, labels, the loops placed)
 * and the points of the drawn lines. */
struct obstacles {
	struct box *boxes;
	size_t n_boxes, cap_boxes;
	pointf *pts;
	size_t n_pts, cap_pts;
	struct box frame;
	bool has_frame;
};

static bool add_box(struct obstacles *o, struct box b)
{
	if (o->n_boxes == o->cap_boxes) {
		size_t cap = o->cap_boxes ? 2 * o->cap_boxes : 64;
		struct box *nb = realloc(o->boxes, cap * sizeof *nb);
		if (!nb)
			return false;
		o->boxes = nb;
		o->cap_boxes = cap;
	}
	o->boxes[o->n_boxes++] = b;
	return true;
}

static bool add_point(struct obstacles *o, pointf q)
{
	if (o->n_pts == o->cap_pts) {
		size_t cap = o->cap_pts ? 2 * o->cap_pts : 1024;
		pointf *np = realloc(o->pts, cap * sizeof *np);
		if (!np)
			return false;
		o->pts = np;
		o->cap_pts = cap;
	}
	o->pts[o->n_pts++] = q;
	return true;
}

/* A point of the cubic Bezier segment c[0..3]. */
static pointf bezier_at(const pointf *c, double t)
{
	double u = 1 - t;
	pointf r = {
		u * u * u * c[0].x + 3 * u * u * t * c[1].x + 3 * u * t * t * c[2].x + t * t * t * c[3].x,
		u * u * u * c[0].y + 3 * u * u * t * c[1].y + 3 * u * t * t * c[2].y + t * t * t * c[3].y,
	};
	return r;
}

static bool invisible(void *obj)
{
	const char *style = agget(obj, "style");
	return style && strcmp(style, "invis") == 0;
}

static struct box node_box(Agnode_t *v)
{
	double w = ND_width(v) * 36, h = ND_height(v) * 36;
	return (struct box){ ND_coord(v).x - w, ND_coord(v).y - h, ND_coord(v).x + w, ND_coord(v).y + h };
}

static struct box label_box(const textlabel_t *l)
{
	return (struct box){ l->pos.x - l->dimen.x / 2, l->pos.y - l->dimen.y / 2, l->pos.x + l->dimen.x / 2,
			     l->pos.y + l->dimen.y / 2 };
}

/* Everything drawn in the laid-out g but the loops: the states, the
 * legend, the title, the labels and the lines; the frame (frame_ll,
 * frame_ur) as the picture's bounds. Returns false when out of memory. */
static bool gather(Agraph_t *g, struct obstacles *o)
{
	Agnode_t *ll = agnode(g, "frame_ll", 0), *ur = agnode(g, "frame_ur", 0);

	if (ll && ur) {
		o->frame = (struct box){ ND_coord(ll).x, ND_coord(ll).y, ND_coord(ur).x, ND_coord(ur).y };
		o->has_frame = true;
	}
	if (GD_label(g) && !add_box(o, label_box(GD_label(g))))
		return false;
	for (Agnode_t *v = agfstnode(g); v; v = agnxtnode(g, v)) {
		if (!invisible(v) && !add_box(o, node_box(v)))
			return false;
		for (Agedge_t *e = agfstout(g, v); e; e = agnxtout(g, e)) {
			const char *loop = agget(e, "loop");
			if ((loop && strcmp(loop, "true") == 0) || invisible(e))
				continue;
			if (ED_label(e) && !add_box(o, label_box(ED_label(e))))
				return false;
			const splines *spl = ED_spl(e);
			for (int i = 0; spl && i < spl->size; i++) {
				const bezier *bz = &spl->list[i];
				for (int k = 0; k + 3 < bz->size; k += 3)
					for (int t = 0; t <= 20; t++)
						if (!add_point(o, bezier_at(bz->list + k, t / 20.0)))
							return false;
				if (bz->eflag && bz->size && !add_point(o, bz->ep))
					return false;
			}
		}
	}
	return true;
}

static bool boxes_meet(const struct box *a, const struct box *b)
{
	return a->x0 < b->x1 - 1 && b->x0 < a->x1 - 1 && a->y0 < b->y1 - 1 && b->y0 < a->y1 - 1;
}

static bool inside(const struct box *b, pointf q, double margin)
{
	return q.x > b->x0 - margin && q.x < b->x1 + margin && q.y > b->y0 - margin && q.y < b->y1 + margin;
}

/* A loop's shape: its Bezier (c[0] on the state, c[3] the arrowhead's base),
 * the arrowhead's tip, its box (its control points too: Graphviz's
 * drawing reaches them), and its label's box. */
struct shape {
	pointf c[4], tip;
	struct box loop, label;
};

/* Where a loop and its words may go: the side of the state (0 below, 1
 * above, 2 left, 3 right), how far along it (-1..1, from the middle to the
 * corners), its words beyond the loop (place 0) or beside it (1, 2), and
 * `off` points further out. */
struct spot {
	int side;
	double along;
	int place;
	double off;
};

/* The shape of a loop at spot sp of state box nb, its words w by h. */
static struct shape shape_of(const struct box *nb, const struct spot *sp, double w, double h)
{
	static const double normals[4][2] = { { 0, -1 }, { 0, 1 }, { -1, 0 }, { 1, 0 } };
	double nx = normals[sp->side][0], ny = normals[sp->side][1], tx = -ny, ty = nx;
	double cx = (nb->x0 + nb->x1) / 2, cy = (nb->y0 + nb->y1) / 2;
	double hw = (nb->x1 - nb->x0) / 2, hh = (nb->y1 - nb->y0) / 2;
	/* where it leaves the state: on the side, kept off the rounded corners */
	double room = tx ? hw - 2 * LOOP_FOOT_PT : hh - 2 * LOOP_FOOT_PT;
	double ax = cx + nx * hw + tx * sp->along * fmax(room, 0);
	double ay = cy + ny * hh + ty * sp->along * fmax(room, 0);
	double reach = LOOP_DEPTH_PT * 4 / 3.0, f = LOOP_FOOT_PT, g = LOOP_LABEL_GAP_PT;
	struct shape s;

	s.c[0] = (pointf){ ax - tx * f, ay - ty * f };
	s.c[1] = (pointf){ ax - tx * f * 1.8 + nx * reach, ay - ty * f * 1.8 + ny * reach };
	s.c[2] = (pointf){ ax + tx * f * 1.8 + nx * reach, ay + ty * f * 1.8 + ny * reach };
	s.c[3] = (pointf){ ax + tx * f + nx * ARROW_PT, ay + ty * f + ny * ARROW_PT };
	s.tip = (pointf){ ax + tx * f, ay + ty * f };
	s.loop = (struct box){ 1e9, 1e9, -1e9, -1e9 };
	for (int k = 0; k < 4; k++) {
		s.loop.x0 = fmin(s.loop.x0, s.c[k].x);
		s.loop.x1 = fmax(s.loop.x1, s.c[k].x);
		s.loop.y0 = fmin(s.loop.y0, s.c[k].y);
		s.loop.y1 = fmax(s.loop.y1, s.c[k].y);
	}
	double lcx, lcy;
	if (sp->place == 0) {        /* beyond the loop, centred on it */
		lcx = nx > 0 ? s.loop.x1 + g + w / 2 : nx < 0 ? s.loop.x0 - g - w / 2 : ax;
		lcy = ny > 0 ? s.loop.y1 + g + h / 2 : ny < 0 ? s.loop.y0 - g - h / 2 : ay;
	} else if (tx) {             /* below or above: words left or right of the loop */
		lcx = sp->place == 1 ? s.loop.x1 + g + w / 2 : s.loop.x0 - g - w / 2;
		lcy = ny > 0 ? fmax(ay + h / 2 + 1, (s.loop.y0 + s.loop.y1) / 2) :
			       fmin(ay - h / 2 - 1, (s.loop.y0 + s.loop.y1) / 2);
	} else {                     /* left or right: words above or below the loop */
		lcx = nx > 0 ? s.loop.x0 + w / 2 : s.loop.x1 - w / 2;
		lcy = sp->place == 1 ? s.loop.y1 + g + h / 2 : s.loop.y0 - g - h / 2;
	}
	lcx += nx * sp->off;
	lcy += ny * sp->off;
	s.label = (struct box){ lcx - w / 2, lcy - h / 2, lcx + w / 2, lcy + h / 2 };
	return s;
}

/* How badly shape s sits among o (its own state's box, own, left out of
 * the loop's test): 1000 for each thing it meets or each way it leaves the
 * frame, and how far its words are from the loop. */
static double badness(const struct obstacles *o, const struct shape *s, const struct box *own)
{
	double bad = 0;

	for (size_t i = 0; i < o->n_boxes; i++) {
		const struct box *b = &o->boxes[i];
		bad += 1000 * boxes_meet(&s->label, b);
		if (memcmp(b, own, sizeof *b) == 0)
			continue;
		bad += 1000 * boxes_meet(&s->loop, b);
	}
	for (size_t i = 0; i < o->n_pts; i++)
		bad += 1000 * (inside(&s->label, o->pts[i], 2) || inside(&s->loop, o->pts[i], 2));
	if (o->has_frame) {
		double x0 = fmin(s->label.x0, s->loop.x0), x1 = fmax(s->label.x1, s->loop.x1);
		double y0 = fmin(s->label.y0, s->loop.y0), y1 = fmax(s->label.y1, s->loop.y1);
		bad += 1000 * ((x0 < o->frame.x0) + (x1 > o->frame.x1) + (y0 < o->frame.y0) + (y1 > o->frame.y1));
	}
	/* the words close to their loop */
	double dx = fmax(0, fmax(s->label.x0 - s->loop.x1, s->loop.x0 - s->label.x1));
	double dy = fmax(0, fmax(s->label.y0 - s->loop.y1, s->loop.y0 - s->label.y1));
	return bad + dx + dy;
}

/* Puts loop edge e (laid out in g, its label measured) where it meets
 * least, its words nearest it, sets its pos and lp, and adds it to o.
 * Returns false when out of memory. */
static bool place_loop(Agedge_t *e, struct obstacles *o)
{
	static const double alongs[] = { 0, 0.5, -0.5, 1, -1 };
	static const double offs[] = { 0, 12, 24, 40 };
	const textlabel_t *l = ED_label(e);
	struct box own = node_box(agtail(e));
	double w = l ? l->dimen.x : 0, h = l ? l->dimen.y : 0, least = -1;
	struct shape best = { 0 };
	char pos[512], lp[64];

	for (int side = 0; side < 4; side++)
		for (size_t a = 0; a < sizeof alongs / sizeof alongs[0]; a++)
			for (int place = 0; place < 3; place++)
				for (size_t f = 0; f < sizeof offs / sizeof offs[0]; f++) {
					struct spot sp = { side, alongs[a], place, offs[f] };
					struct shape s = shape_of(&own, &sp, w, h);
					double bad = badness(o, &s, &own);
					if (least < 0 || bad < least) {
						least = bad;
						best = s;
					}
				}
	snprintf(pos, sizeof pos, "e,%.2f,%.2f %.2f,%.2f %.2f,%.2f %.2f,%.2f %.2f,%.2f", best.tip.x, best.tip.y,
		 best.c[0].x, best.c[0].y, best.c[1].x, best.c[1].y, best.c[2].x, best.c[2].y, best.c[3].x, best.c[3].y);
	set(e, "pos", pos);
	snprintf(lp, sizeof lp, "%.2f,%.2f", (best.label.x0 + best.label.x1) / 2, (best.label.y0 + best.label.y1) / 2);
	set(e, "lp", lp);
	if (!add_box(o, best.loop) || !add_box(o, best.label))
		return false;
	for (int t = 0; t <= 20; t++)
		if (!add_point(o, bezier_at(best.c, t / 20.0)))
			return false;
	return true;
}

/* See graph_states_int.h. */
int add_self_loops(struct picture *p, struct candidate *c)
{
	struct loop loops[LOOPS_MAX];
	struct obstacles o = { 0 };
	size_t n = find_loops(p, loops);
	char *text = NULL;
	size_t len = 0;
	int rc = -1;

	if (n == 0)
		return 0;
	Agraph_t *g = agmemread(c->dot);
	if (!g)
		return -1;
	for (size_t i = 0; i < n; i++)
		loops[i].e = add_loop_edge(p, g, &loops[i]);
	/* laid out once as they are, for their labels' sizes */
	if (gvLayout(graph_gvc(), g, PINNED_ENGINE) != 0)
		goto out;
	bool placed = gather(g, &o);
	for (size_t i = 0; placed && i < n; i++)
		placed = !loops[i].e || place_loop(loops[i].e, &o);
	gvFreeLayout(graph_gvc(), g);
	if (!placed)
		goto out;
	if (write_dot(g, &text, &len) < 0)
		goto out;
	Agraph_t *final = agmemread(text);
	if (!final || gvLayout(graph_gvc(), final, PINNED_ENGINE) != 0) {
		if (final)
			agclose(final);
		goto out;
	}
	drop_candidate(c);
	c->dot = text;
	c->len = len;
	c->g = final;
	c->overlaps = count_overlaps(final, 0);
	text = NULL;
	rc = 0;
out:
	agclose(g);
	free(text);
	free(o.boxes);
	free(o.pts);
	return rc;
}
