/* graph_states_spacing.c - the row and column gaps of the state diagram:
 * each candidate written as DOT, read back and laid out by dot, its
 * overlaps counted (labels, nodes, lines); the first with none is kept. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "output/graph_render.h"
#include "output/graph_states_int.h"

/* The unlaid graph as DOT text, in a malloc'ed buffer. */
static int write_dot(Agraph_t *g, char **data, size_t *len)
{
	FILE *f = open_memstream(data, len);

	if (!f)
		return -1;
	int rc = agwrite(g, f);
	if (fclose(f) != 0 || rc != 0) {
		free(*data);
		*data = NULL;
		return -1;
	}
	return 0;
}

/* ---- the spacing: the first that leaves nothing overlapping ------------- */

/* Row and column gaps (inches) to try, in turn: dot keeps nodes and labels
 * apart, but its splines may still graze a label; a little more room
 * elsewhere usually routes them clear. */
static const struct {
	const char *ranksep, *nodesep;
} spacings[] = {
	{ "0.45", "0.5" }, { "0.65", "0.7" }, { "0.6", "0.8" }, { "0.55", "0.6" },
	{ "0.8", "0.5" }, { "0.65", "1.0" }, { "0.5", "0.9" }, { "0.75", "0.8" },
};
#define N_SPACINGS (sizeof spacings / sizeof spacings[0])

struct box {
	double x0, y0, x1, y1;
};

/* The box a laid-out label takes. */
static struct box label_box(const textlabel_t *l)
{
	struct box b = { l->pos.x - l->dimen.x / 2, l->pos.y - l->dimen.y / 2,
			 l->pos.x + l->dimen.x / 2, l->pos.y + l->dimen.y / 2 };
	return b;
}

/* The box a laid-out node takes. */
static struct box node_box(Agnode_t *n)
{
	double w = ND_width(n) * 36, h = ND_height(n) * 36;   /* half, in points */
	struct box b = { ND_coord(n).x - w, ND_coord(n).y - h, ND_coord(n).x + w, ND_coord(n).y + h };
	return b;
}

/* Whether p lies inside b shrunk by a point (touching is allowed). */
static bool inside(const struct box *b, pointf p)
{
	return p.x > b->x0 + 1 && p.x < b->x1 - 1 && p.y > b->y0 + 1 && p.y < b->y1 - 1;
}

/* Whether a and b overlap by more than a point. */
static bool boxes_meet(const struct box *a, const struct box *b)
{
	return a->x0 < b->x1 - 1 && b->x0 < a->x1 - 1 && a->y0 < b->y1 - 1 && b->y0 < a->y1 - 1;
}

/* A point of the cubic Bezier segment p[0..3]. */
static pointf bezier_at(const pointf *p, double t)
{
	double u = 1 - t;
	pointf r = {
		u * u * u * p[0].x + 3 * u * u * t * p[1].x + 3 * u * t * t * p[2].x + t * t * t * p[3].x,
		u * u * u * p[0].y + 3 * u * u * t * p[1].y + 3 * u * t * t * p[2].y + t * t * t * p[3].y,
	};
	return r;
}

/* Whether e's drawn line, arrowhead included, enters b. */
static bool edge_enters(Agedge_t *e, const struct box *b)
{
	const splines *spl = ED_spl(e);

	for (int i = 0; spl && i < spl->size; i++) {
		const bezier *bz = &spl->list[i];
		for (int k = 0; k + 3 < bz->size; k += 3)
			for (int s = 0; s <= 20; s++)
				if (inside(b, bezier_at(bz->list + k, s / 20.0)))
					return true;
		for (int s = 0; bz->eflag && bz->size && s <= 10; s++) {
			pointf a = bz->list[bz->size - 1], q = { a.x + (bz->ep.x - a.x) * s / 10,
								a.y + (bz->ep.y - a.y) * s / 10 };
			if (inside(b, q))
				return true;
		}
	}
	return false;
}

/* Whether e is drawn (not one of the invisible edges). */
static bool drawn(Agedge_t *e)
{
	const char *style = agget(e, "style");
	return !style || strcmp(style, "invis") != 0;
}

/* How often label b (of edge owner, NULL for the title) meets something:
 * a node, a later label, a line not its own. */
static int label_overlaps(Agraph_t *g, const struct box *b, Agedge_t *owner, bool *later)
{
	int n = 0;

	for (Agnode_t *v = agfstnode(g); v; v = agnxtnode(g, v)) {
		struct box nb = node_box(v);
		n += boxes_meet(b, &nb);
		for (Agedge_t *e = agfstout(g, v); e; e = agnxtout(g, e)) {
			if (e == owner) {
				*later = true;
				continue;
			}
			if (ED_label(e) && *later) {
				struct box lb = label_box(ED_label(e));
				n += boxes_meet(b, &lb);
			}
			n += drawn(e) && edge_enters(e, b);
		}
	}
	return n;
}

/* How often a line passes through a node other than its ends. */
static int node_crossings(Agraph_t *g)
{
	int n = 0;

	for (Agnode_t *v = agfstnode(g); v; v = agnxtnode(g, v)) {
		struct box nb = node_box(v);
		for (Agnode_t *t = agfstnode(g); t; t = agnxtnode(g, t))
			for (Agedge_t *e = agfstout(g, t); e; e = agnxtout(g, e))
				n += drawn(e) && t != v && aghead(e) != v && edge_enters(e, &nb);
	}
	return n;
}

/* How many overlaps the laid-out g has: labels meeting labels or nodes,
 * lines through labels (but their own) or nodes (but their ends). */
static int count_overlaps(Agraph_t *g)
{
	bool later = true;
	int n = node_crossings(g);

	if (GD_label(g)) {
		struct box b = label_box(GD_label(g));
		n += label_overlaps(g, &b, NULL, &later);
	}
	for (Agnode_t *v = agfstnode(g); v; v = agnxtnode(g, v))
		for (Agedge_t *e = agfstout(g, v); e; e = agnxtout(g, e))
			if (ED_label(e)) {
				struct box b = label_box(ED_label(e));
				later = false;
				n += label_overlaps(g, &b, e, &later);
			}
	return n;
}

/* Frees c's graph and its layout, keeping its text (safe when it has none). */
void drop_layout(struct candidate *c)
{
	if (c->g) {
		gvFreeLayout(graph_gvc(), c->g);
		agclose(c->g);
		c->g = NULL;
	}
}

/* Frees c's text and graph and empties it (safe on an empty one). */
void drop_candidate(struct candidate *c)
{
	drop_layout(c);
	free(c->dot);
	memset(c, 0, sizeof *c);
}

/* Reads c's text into c->g and lays it out. */
static int lay_out(struct candidate *c)
{
	c->g = agmemread(c->dot);
	if (!c->g || gvLayout(graph_gvc(), c->g, "dot") != 0) {
		if (c->g)
			agclose(c->g);
		c->g = NULL;
		return -1;
	}
	return 0;
}

/* p->g with spacing i, written and read back (the file's declaration order
 * is what dot sees) and laid out. */
static int try_spacing(struct picture *p, size_t i, struct candidate *c)
{
	memset(c, 0, sizeof *c);
	set(p->g, "ranksep", spacings[i].ranksep);
	set(p->g, "nodesep", spacings[i].nodesep);
	if (write_dot(p->g, &c->dot, &c->len) < 0 || lay_out(c) < 0)
		return -1;
	c->overlaps = count_overlaps(c->g);
	return 0;
}

/* The first spacing with nothing overlapping, else the one with least,
 * laid out and ready to render.
 *
 * Graphviz lays out one graph at a time: each layout points its global
 * attribute handles (E_penwidth, N_fontsize, ...) at its graph, and its
 * layout phases keep buffers from one graph to the next, so a graph still
 * laid out when another is laid out is later rendered through, or freed
 * into, memory no longer its own (a replay's trace of many odd arcs
 * segfaulted; under ASan, a double free in gvFreeLayout). So the best so
 * far gives up its layout before the next is tried, and is laid out again
 * from its text when it was not the last tried. */
int choose_spacing(struct picture *p, struct candidate *best)
{
	memset(best, 0, sizeof *best);
	for (size_t i = 0; i < N_SPACINGS; i++) {
		struct candidate c;
		drop_layout(best);
		if (try_spacing(p, i, &c) < 0) {
			drop_candidate(&c);
			drop_candidate(best);
			return -1;
		}
		if (!best->dot || c.overlaps < best->overlaps) {
			drop_candidate(best);
			*best = c;
		} else {
			drop_candidate(&c);
		}
		if (best->overlaps == 0)
			break;
	}
	if (!best->g && lay_out(best) < 0) {
		drop_candidate(best);
		return -1;
	}
	return 0;
}
