/* graph_states.c - RFC 9293's state diagram (Figure 5), laid out as the
 * textbook figure, with each endpoint's path of a trace drawn on it.
 *
 * The graph is built with cgraph and laid out by dot. The shape comes from
 * rows, each a rank=same subgraph kept in order by invisible edges: CLOSED
 * at the top (the legend beside it), LISTEN, the handshake states
 * (SYN_RECEIVED left, SYN_SENT right), ESTABLISHED in the middle, the
 * active-close states down the left, the passive-close states down the
 * right, CLOSING and TIME_WAIT in the centre, and a second CLOSED that only
 * the final arcs reach: beside TIME_WAIT as in the textbook, or a row below
 * it when arcs outside Figure 5 come down to it. Three `group`s keep the
 * columns straight. The back arcs (CLOSE to CLOSED, rcv RST to LISTEN) bend
 * around the others.
 *
 * With a trace, each shown endpoint's state changes are numbered 1, 2, 3...
 * in trace order; an arc it took is drawn in its colour and line style
 * (client solid blue, server dashed orange: Okabe-Ito, colour-blind safe and
 * apart in grey-scale), labelled with a badge of its numbers in that colour
 * and the arc's words; an arc both took is two such edges. The rest is
 * light grey. Arcs outside Figure 5 (resets, ABORT, T28 ...) are drawn only
 * when taken; self-loops never.
 *
 * The pictures are rendered from the DOT text as written (dot's result
 * depends on the order of the declarations), so they are exactly what
 * `dot -Tsvg NAME.states.dot` gives; the text is laid out with a few row
 * and column gaps in turn until nothing overlaps.
 *
 * Every edge carries `arc` (the state table's ID, "" when the trace gave
 * none we know), a unique `id`, and on a path `endpoint` and `steps`
 * ("2" or "3,7"), so that the DOT file can be checked and edited. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>
#include "proto/arcs.h"
#include "output/graph.h"
#include "output/graph_render.h"

#define COLOUR_CLIENT "#0072B2"      /* Okabe-Ito blue */
#define COLOUR_SERVER "#E69F00"      /* Okabe-Ito orange */
#define COLOUR_IDLE "#C4C4C4"        /* arcs not traversed */
#define COLOUR_IDLE_TEXT "#5A5A5A"
#define TITLE_WIDTH 96               /* characters a title line holds */
#define HTML_MAX 4096
#define STEPS_MAX 48

#define NODE_CLOSED_END TCP_NSTATES  /* the second CLOSED, at the bottom */
#define N_NODES (TCP_NSTATES + 1)

enum { CLIENT = 0, SERVER = 1, N_SIDES = 2 };

/* How an arc takes part in dot's layout. */
enum arc_layout {
	RANKED,                      /* an ordinary edge: ranks its head below its tail */
	UNRANKED,                    /* constraint=false: drawn, but no say in the ranks */
	BENDS,                       /* ranked with weight 0: the other edges stay straight */
};

/* An arc of Figure 5, in the figure's words. */
struct fig5_arc {
	const char *id;
	enum tcp_state from, to;
	const char *label;
	enum arc_layout layout;
	const char *headport;        /* where it enters its head, NULL: dot's choice */
};

static const struct fig5_arc figure5[] = {
	{ "T01", TCPS_CLOSED, TCPS_LISTEN, "passive OPEN / create TCB", RANKED, NULL },
	{ "T02", TCPS_CLOSED, TCPS_SYN_SENT, "active OPEN / create TCB, snd SYN", RANKED, NULL },
	{ "T03", TCPS_LISTEN, TCPS_CLOSED, "CLOSE / delete TCB", BENDS, NULL },
	{ "T04", TCPS_LISTEN, TCPS_SYN_RECEIVED, "rcv SYN / snd SYN,ACK", RANKED, NULL },
	{ "T05", TCPS_LISTEN, TCPS_SYN_SENT, "SEND / snd SYN", RANKED, NULL },
	{ "T06", TCPS_SYN_SENT, TCPS_CLOSED, "CLOSE / delete TCB", BENDS, NULL },
	{ "T07", TCPS_SYN_SENT, TCPS_SYN_RECEIVED, "rcv SYN / snd SYN,ACK", UNRANKED, NULL },
	{ "T08", TCPS_SYN_SENT, TCPS_ESTABLISHED, "rcv SYN,ACK / snd ACK", RANKED, NULL },
	{ "T09", TCPS_SYN_RECEIVED, TCPS_ESTABLISHED, "rcv ACK of SYN / x", RANKED, NULL },
	{ "T10", TCPS_SYN_RECEIVED, TCPS_FIN_WAIT_1, "CLOSE / snd FIN", RANKED, NULL },
	{ "T11", TCPS_SYN_RECEIVED, TCPS_LISTEN, "rcv RST / x", RANKED, NULL },
	{ "T12", TCPS_ESTABLISHED, TCPS_FIN_WAIT_1, "CLOSE / snd FIN", RANKED, NULL },
	{ "T13", TCPS_ESTABLISHED, TCPS_CLOSE_WAIT, "rcv FIN / snd ACK", RANKED, NULL },
	{ "T14", TCPS_FIN_WAIT_1, TCPS_FIN_WAIT_2, "rcv ACK of FIN / x", RANKED, NULL },
	{ "T15", TCPS_FIN_WAIT_1, TCPS_CLOSING, "rcv FIN / snd ACK", RANKED, NULL },
	{ "T16", TCPS_FIN_WAIT_1, TCPS_TIME_WAIT, "rcv FIN,ACK of FIN / snd ACK", RANKED, "n" },
	{ "T17", TCPS_FIN_WAIT_2, TCPS_TIME_WAIT, "rcv FIN / snd ACK", RANKED, NULL },
	{ "T18", TCPS_CLOSE_WAIT, TCPS_LAST_ACK, "CLOSE / snd FIN", RANKED, NULL },
	{ "T19", TCPS_CLOSING, TCPS_TIME_WAIT, "rcv ACK of FIN / x", RANKED, NULL },
	{ "T20", TCPS_LAST_ACK, TCPS_CLOSED, "rcv ACK of FIN / x", RANKED, NULL },
	{ "T21", TCPS_TIME_WAIT, TCPS_CLOSED, "Timeout=2MSL / delete TCB", RANKED, NULL },
};
#define N_FIG5 (sizeof figure5 / sizeof figure5[0])

/* The other state-changing rows, labelled in the figure's style. */
static const struct {
	const char *id, *label;
} extra_labels[] = {
	{ "T22", "active OPEN / snd SYN" },
	{ "T23", "rcv SYN / x" },
	{ "T24", "rcv RST / x" },
	{ "T25", "rcv RST / x" },
	{ "T26", "rcv FIN,ACK of SYN / snd ACK" },
	{ "T27", "rcv SYN,ACK,FIN / snd ACK" },
	{ "T28", "rcv SYN,ACK / x" },
	{ "T29", "rcv SYN / x" },
	{ "T30", "rcv data / snd RST" },
	{ "T31", "FIN_WAIT_2 timeout / delete TCB" },
	{ "T34", "rcv RST / x" }, { "T35", "rcv RST / x" }, { "T36", "rcv RST / x" },
	{ "T37", "rcv RST / x" }, { "T38", "rcv RST / x" }, { "T39", "rcv RST / x" },
	{ "T40", "rcv RST / x" },
	{ "T42", "ABORT / x" }, { "T43", "ABORT / x" },
	{ "T44", "ABORT / snd RST" }, { "T45", "ABORT / snd RST" }, { "T46", "ABORT / snd RST" },
	{ "T47", "ABORT / snd RST" }, { "T48", "ABORT / snd RST" },
	{ "T49", "ABORT / x" }, { "T50", "ABORT / x" }, { "T51", "ABORT / x" },
	{ "T53", "retries exhausted / x" },
	{ "T54", "user timeout / x" },
};
#define N_EXTRA_LABELS (sizeof extra_labels / sizeof extra_labels[0])

/* An arc of the picture: Figure 5's, or another one the trace traversed. */
struct pic_arc {
	char id[8];                  /* "T15", "T53b", "" when unknown */
	char dot_id[48];             /* unique: "T15", "T54_FIN_WAIT_1", "x3" */
	enum tcp_state from;
	int head;                    /* a state, or NODE_CLOSED_END */
	const char *label;
	enum arc_layout layout;
	const char *headport;
	char steps[N_SIDES][STEPS_MAX];  /* "3,7": when each side traversed it */
};

struct picture {
	const struct trace_log *log;
	int ep[N_SIDES];             /* endpoint index per side, -1: not shown */
	struct pic_arc *arcs;
	size_t n_arcs, cap_arcs;
	bool end_below;              /* the bottom CLOSED a row below TIME_WAIT */
	Agraph_t *g;
	Agnode_t *node[N_NODES];
};

static const char *const side_style[N_SIDES] = { "solid", "dashed" };
static const char *const side_colour[N_SIDES] = { COLOUR_CLIENT, COLOUR_SERVER };
static const char *const side_text[N_SIDES] = { "white", "black" };  /* on the badge */

/* ---- which endpoints -------------------------------------------------- */

/* The client shown ("client", else the first "client#K") and its server
 * (the peer by name, else "server", else the first "server#K"), as the
 * ladder picks them; side leaves one out. */
static void pick_endpoints(struct picture *p, enum graph_side side)
{
	int c, s;

	trace_pick_pair(p->log->trace, &c, &s);
	p->ep[CLIENT] = side == GRAPH_SERVER ? -1 : c;
	p->ep[SERVER] = side == GRAPH_CLIENT ? -1 : s;
}

/* The side endpoint ep is drawn on, -1 when it is not shown. */
static int side_of(const struct picture *p, int ep)
{
	for (int s = 0; s < N_SIDES; s++)
		if (ep >= 0 && p->ep[s] == ep)
			return s;
	return -1;
}

/* ---- the arcs --------------------------------------------------------- */

/* The node an arc from `from` to `to` ends at: arcs into CLOSED from
 * LISTEN and SYN_SENT go back up to the top CLOSED, beside the figure's
 * "CLOSE / delete TCB" (T03, T06); from anywhere else, to the bottom one. */
static int head_node(enum tcp_state from, enum tcp_state to)
{
	if (to == TCPS_CLOSED && from != TCPS_LISTEN && from != TCPS_SYN_SENT)
		return NODE_CLOSED_END;
	return (int)to;
}

static const char *node_name(int node)
{
	return node == NODE_CLOSED_END ? "CLOSED_END" : tcp_state_name((enum tcp_state)node);
}

/* Appends an arc; returns its index, or -1 when out of memory. */
static int add_arc(struct picture *p, const char *id, enum tcp_state from, int head,
		   const char *label, enum arc_layout layout, const char *headport)
{
	struct pic_arc *a;

	if (p->n_arcs == p->cap_arcs) {
		size_t cap = p->cap_arcs ? 2 * p->cap_arcs : 32;
		struct pic_arc *na = realloc(p->arcs, cap * sizeof *na);
		if (!na)
			return -1;
		p->arcs = na;
		p->cap_arcs = cap;
	}
	a = &p->arcs[p->n_arcs];
	memset(a, 0, sizeof *a);
	snprintf(a->id, sizeof a->id, "%s", id);
	if (p->n_arcs < N_FIG5)
		snprintf(a->dot_id, sizeof a->dot_id, "%s", id);
	else if (*id)
		snprintf(a->dot_id, sizeof a->dot_id, "%s_%s", id, tcp_state_name(from));
	else
		snprintf(a->dot_id, sizeof a->dot_id, "x%zu", p->n_arcs);
	a->from = from;
	a->head = head;
	a->label = label;
	a->layout = layout;
	a->headport = headport;
	return (int)p->n_arcs++;
}

static int add_figure5(struct picture *p)
{
	for (size_t i = 0; i < N_FIG5; i++) {
		const struct fig5_arc *f = &figure5[i];
		if (add_arc(p, f->id, f->from, head_node(f->from, f->to), f->label, f->layout,
			    f->headport) < 0)
			return -1;
	}
	return 0;
}

/* Figure 5's arc from `from` to `to`, the one named id when given; -1. */
static int find_figure5(enum tcp_state from, enum tcp_state to, const char *id)
{
	for (size_t i = 0; i < N_FIG5; i++)
		if (figure5[i].from == from && figure5[i].to == to &&
		    (!id || strcmp(figure5[i].id, id) == 0))
			return (int)i;
	return -1;
}

static const char *extra_label(const char *id)
{
	for (size_t i = 0; i < N_EXTRA_LABELS; i++)
		if (strcmp(extra_labels[i].id, id) == 0)
			return extra_labels[i].label;
	return NULL;
}

/* The arc a state event traversed, added when the picture lacks it: by the
 * event's arc ID, else (an ID we do not know) Figure 5's arc between the
 * same states, else one labelled with the event's cause. Returns its index,
 * -1 when out of memory. */
static int arc_of_event(struct picture *p, const struct trace_event *ev)
{
	enum tcp_state from = ev->u.state.from, to = ev->u.state.to;
	char id[8] = "", base[8] = "";
	const char *label;
	int i;

	if (ev->u.state.arc && arc_find(ev->u.state.arc)) {
		snprintf(id, sizeof id, "%s", ev->u.state.arc);
		arc_base_id(id, base);
	}
	if ((i = find_figure5(from, to, base)) >= 0)
		return i;
	label = extra_label(base);
	if (!label) {
		if ((i = find_figure5(from, to, NULL)) >= 0)
			return i;
		id[0] = '\0';
		label = ev->u.state.cause ? ev->u.state.cause : "?";
	}
	for (size_t k = N_FIG5; k < p->n_arcs; k++) {
		struct pic_arc *a = &p->arcs[k];
		if (a->from == from && a->head == head_node(from, to) && strcmp(a->id, id) == 0 &&
		    strcmp(a->label, label) == 0)
			return (int)k;
	}
	return add_arc(p, id, from, head_node(from, to), label, RANKED, NULL);
}

/* Appends step number n to a "3,7" list, marking a full one with "+". */
static void add_step(char steps[STEPS_MAX], unsigned n)
{
	size_t len = strlen(steps);
	char num[16];

	snprintf(num, sizeof num, "%s%u", len ? "," : "", n);
	if (len + strlen(num) < STEPS_MAX - 2)
		memcpy(steps + len, num, strlen(num) + 1);
	else if (len && steps[len - 1] != '+')
		memcpy(steps + len, "+", 2);
}

/* Numbers each shown endpoint's state events in trace order and marks the
 * arcs they traversed. Self-loops are not state changes: skipped. */
static int trace_paths(struct picture *p)
{
	unsigned step[N_SIDES] = { 0, 0 };

	for (size_t k = 0; k < p->log->n; k++) {
		const struct trace_event *ev = &p->log->ev[k];
		int s = ev->type == TRACE_STATE ? side_of(p, ev->endpoint) : -1;
		if (s < 0 || ev->u.state.from == ev->u.state.to)
			continue;
		int i = arc_of_event(p, ev);
		if (i < 0)
			return -1;
		add_step(p->arcs[i].steps[s], ++step[s]);
	}
	return 0;
}

/* ---- cgraph helpers --------------------------------------------------- */

static void set(void *obj, const char *name, const char *value)
{
	agsafeset(obj, (char *)name, (char *)value, "");
}

/* Sets an HTML-like label (html without the outer <>). */
static void set_html(void *obj, const char *name, const char *html)
{
	Agraph_t *g = agraphof(obj);
	char *h = agstrdup_html(g, (char *)html);

	agsafeset(obj, (char *)name, h, "");
	agstrfree(g, h);
}

/* s with &, <, > and " escaped, appended to out (of size n). */
static void html_escape(char *out, size_t n, const char *s)
{
	size_t len = strlen(out);

	for (; *s && len + 7 < n; s++) {
		const char *rep = *s == '&' ? "&amp;" : *s == '<' ? "&lt;" : *s == '>' ? "&gt;" :
				  *s == '"' ? "&quot;" : NULL;
		if (rep) {
			memcpy(out + len, rep, strlen(rep));
			len += strlen(rep);
		} else {
			out[len++] = *s;
		}
	}
	out[len] = '\0';
}

/* Appends printf-style text to out (of size n). */
static void append(char *out, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void append(char *out, size_t n, const char *fmt, ...)
{
	size_t len = strlen(out);
	va_list ap;

	if (len + 1 >= n)
		return;
	va_start(ap, fmt);
	vsnprintf(out + len, n - len, fmt, ap);
	va_end(ap);
}

static void invisible_edge(Agraph_t *g, Agnode_t *t, Agnode_t *h)
{
	Agedge_t *e = agedge(g, t, h, NULL, 1);

	set(e, "style", "invis");
}

/* ---- the graph -------------------------------------------------------- */

static void set_defaults(Agraph_t *g)
{
	agattr(g, AGRAPH, "fontname", "Helvetica");
	agattr(g, AGRAPH, "fontsize", "20");
	agattr(g, AGRAPH, "labelloc", "t");
	agattr(g, AGRAPH, "newrank", "true");
	agattr(g, AGRAPH, "pad", "0.3");
	agattr(g, AGRAPH, "bgcolor", "white");
	agattr(g, AGRAPH, "outputorder", "edgesfirst");
	agattr(g, AGNODE, "label", "\\N");
	agattr(g, AGNODE, "shape", "box");
	agattr(g, AGNODE, "style", "rounded,filled");
	agattr(g, AGNODE, "fillcolor", "#F4F4F4");
	agattr(g, AGNODE, "color", "#333333");
	agattr(g, AGNODE, "fontname", "Helvetica-Bold");
	agattr(g, AGNODE, "fontsize", "16");
	agattr(g, AGNODE, "width", "1.9");
	agattr(g, AGNODE, "height", "0.55");
	agattr(g, AGEDGE, "fontname", "Helvetica");
	agattr(g, AGEDGE, "fontsize", "12");
	agattr(g, AGEDGE, "color", COLOUR_IDLE);
	agattr(g, AGEDGE, "fontcolor", COLOUR_IDLE_TEXT);
	agattr(g, AGEDGE, "arrowsize", "0.8");
	agattr(g, AGEDGE, "penwidth", "1.2");
}

/* The column each node sits in: left (active close), centre, right (passive
 * close and the bottom CLOSED, unless that goes below TIME_WAIT). */
static const char *node_group(const struct picture *p, int node)
{
	if (node == NODE_CLOSED_END && p->end_below)
		return "centre";
	switch (node) {
	case TCPS_SYN_RECEIVED: case TCPS_FIN_WAIT_1: case TCPS_FIN_WAIT_2:
		return "left";
	case TCPS_SYN_SENT: case TCPS_CLOSE_WAIT: case TCPS_LAST_ACK: case NODE_CLOSED_END:
		return "right";
	default:
		return "centre";
	}
}

/* The rows of the figure, top to bottom, each left to right (-1: none). */
static const int rows[][3] = {
	{ TCPS_CLOSED, -1, -1 },
	{ TCPS_LISTEN, -1, -1 },
	{ TCPS_SYN_RECEIVED, TCPS_SYN_SENT, -1 },
	{ TCPS_ESTABLISHED, -1, -1 },
	{ TCPS_FIN_WAIT_1, TCPS_CLOSE_WAIT, -1 },
	{ TCPS_FIN_WAIT_2, TCPS_CLOSING, TCPS_LAST_ACK },
	{ TCPS_TIME_WAIT, NODE_CLOSED_END, -1 },
	{ NODE_CLOSED_END, -1, -1 },
};
#define N_ROWS (sizeof rows / sizeof rows[0])

/* Whether row r holds the node: the bottom CLOSED is in the last row when
 * it goes below TIME_WAIT, else beside it. */
static bool in_row(const struct picture *p, size_t r, int node)
{
	if (node == NODE_CLOSED_END)
		return r == (p->end_below ? N_ROWS - 1 : N_ROWS - 2);
	return node >= 0;
}

/* The nodes, row by row, each row a rank=same subgraph kept in order by
 * invisible edges; the legend left of the top CLOSED. The DOT file then
 * declares the nodes top to bottom, which dot needs: it breaks the
 * figure's cycles (CLOSE back to CLOSED, rcv RST back to LISTEN) by a
 * depth-first walk from the first node, which must be the top CLOSED.
 * The subgraphs are anonymous: agwrite orders subgraphs by ID, and a named
 * one's ID is the address of its name (the file would change with the
 * heap); anonymous ones are numbered as they are made. */
static void add_nodes(struct picture *p)
{
	for (size_t r = 0; r < N_ROWS; r++) {
		Agnode_t *prev = NULL;
		Agraph_t *sg = agsubg(p->g, NULL, 1);
		set(sg, "rank", "same");
		for (size_t i = 0; i < 3; i++) {
			int n = rows[r][i];
			if (!in_row(p, r, n))
				continue;
			p->node[n] = agsubnode(sg, agnode(p->g, (char *)node_name(n), 1), 1);
			set(p->node[n], "group", node_group(p, n));
			if (prev)
				invisible_edge(p->g, prev, p->node[n]);
			prev = p->node[n];
		}
		if (r == 0 && p->log)
			agsubnode(sg, agnode(p->g, "legend", 1), 1);
	}
	set(p->node[NODE_CLOSED_END], "label", "CLOSED");
}

/* Whether the bottom CLOSED goes a row below TIME_WAIT, in the centre
 * column: when an arc outside Figure 5 reaches it from elsewhere than
 * TIME_WAIT, which would cross or crowd T21's label on its way to the
 * textbook's place beside TIME_WAIT. */
static bool closed_end_below(const struct picture *p)
{
	for (size_t i = N_FIG5; i < p->n_arcs; i++)
		if (p->arcs[i].head == NODE_CLOSED_END && p->arcs[i].from != TCPS_TIME_WAIT)
			return true;
	return false;
}

/* The columns: LISTEN, ESTABLISHED and CLOSING in the centre; SYN_SENT
 * above CLOSE_WAIT on the right. */
static void add_columns(struct picture *p)
{
	invisible_edge(p->g, p->node[TCPS_LISTEN], p->node[TCPS_ESTABLISHED]);
	invisible_edge(p->g, p->node[TCPS_ESTABLISHED], p->node[TCPS_CLOSING]);
	invisible_edge(p->g, p->node[TCPS_SYN_SENT], p->node[TCPS_CLOSE_WAIT]);
}

/* A numbered badge in the side's colour: white on blue, black on orange. */
static void badge(char *out, size_t n, int s, const char *steps)
{
	append(out, n, "<TD BGCOLOR=\"%s\" STYLE=\"rounded\"><FONT COLOR=\"%s\" POINT-SIZE=\"14\">"
		       "<B>&nbsp;%s&nbsp;</B></FONT></TD>", side_colour[s], side_text[s], steps);
}

/* The label of side s's edge of arc a: its badge and the arc's words. */
static void path_label(char *out, size_t n, const struct pic_arc *a, int s)
{
	out[0] = '\0';
	append(out, n, "<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"4\" CELLPADDING=\"1\"><TR>");
	badge(out, n, s, a->steps[s]);
	append(out, n, "<TD>");
	html_escape(out, n, a->label);
	append(out, n, "</TD></TR></TABLE>");
}

/* "T15: FIN_WAIT_1, rcv FIN ... -> CLOSING: send ACK (3.10.7.4 (8))". */
static void tooltip(char *out, size_t n, const struct pic_arc *a)
{
	const struct arc_row *r = *a->id ? arc_find(a->id) : NULL;

	if (r)
		snprintf(out, n, "%s: %s, %s -> %s: %s (RFC 9293 %s)", r->id, r->from, r->event, r->to,
			 r->action, r->section);
	else
		snprintf(out, n, "%s", a->label);
}

static Agedge_t *arc_edge(struct picture *p, const struct pic_arc *a, const char *dot_id)
{
	Agedge_t *e = agedge(p->g, p->node[a->from], p->node[a->head], NULL, 1);
	char tip[512];

	set(e, "id", dot_id);
	set(e, "arc", a->id);
	tooltip(tip, sizeof tip, a);
	set(e, "tooltip", tip);
	if (a->layout == UNRANKED)
		set(e, "constraint", "false");
	if (a->layout == BENDS)
		set(e, "weight", "0");
	if (a->headport)
		set(e, "headport", a->headport);
	return e;
}

/* Arc a: one grey edge, or one edge per side that traversed it, each
 * with its own badge and the arc's words (dot may route twins apart: each
 * must read on its own). */
static void add_arc_edges(struct picture *p, const struct pic_arc *a)
{
	char nbuf[TRACE_NAME_MAX];
	char html[HTML_MAX], dot_id[64];
	bool drawn = false;
	bool twin = a->steps[CLIENT][0] && a->steps[SERVER][0];

	for (int s = 0; s < N_SIDES; s++) {
		if (!a->steps[s][0])
			continue;
		snprintf(dot_id, sizeof dot_id, "%s_%s", a->dot_id, s == CLIENT ? "client" : "server");
		Agedge_t *e = arc_edge(p, a, dot_id);
		set(e, "endpoint", (char *)trace_endpoint_name(p->log->trace, p->ep[s], nbuf));
		set(e, "steps", a->steps[s]);
		set(e, "color", side_colour[s]);
		set(e, "style", side_style[s]);
		set(e, "penwidth", "3");
		set(e, "fontcolor", "black");
		path_label(html, sizeof html, a, s);
		/* Graphviz 2.43's dot crashes when laying out two labelled
		 * edges on one rank between the same two states (T07 taken by
		 * both ends, then T09): such twins carry an xlabel, placed
		 * after the layout. */
		set_html(e, a->layout == UNRANKED && twin ? "xlabel" : "label", html);
		drawn = true;
	}
	if (!drawn)
		set(arc_edge(p, a, a->dot_id), "label", a->label);
}

/* A state no shown endpoint entered or left, in a trace picture: greyed. */
static void grey_unvisited(struct picture *p)
{
	bool seen[N_NODES] = { false };

	for (size_t i = 0; i < p->n_arcs; i++) {
		if (!p->arcs[i].steps[CLIENT][0] && !p->arcs[i].steps[SERVER][0])
			continue;
		seen[p->arcs[i].from] = true;
		seen[p->arcs[i].head] = true;
	}
	for (int n = 0; n < N_NODES; n++) {
		if (seen[n])
			continue;
		set(p->node[n], "color", "#AAAAAA");
		set(p->node[n], "fontcolor", "#808080");
		set(p->node[n], "fillcolor", "#FAFAFA");
	}
}

/* A line sample for the legend. */
static void legend_row(char *out, size_t n, const char *colour, const char *sample, const char *text)
{
	append(out, n, "<TR><TD><FONT COLOR=\"%s\">%s</FONT></TD><TD ALIGN=\"LEFT\">", colour, sample);
	html_escape(out, n, text);
	append(out, n, "</TD></TR>");
}

/* The legend: a table left of the top CLOSED. */
static void add_legend(struct picture *p)
{
	char nbuf[TRACE_NAME_MAX];
	static const char *const sample[N_SIDES] = { "&#x2501;&#x2501;&#x2501;", "&#x254D;&#x254D;&#x254D;" };
	char html[HTML_MAX] = "", text[96];
	Agnode_t *n = agnode(p->g, "legend", 0);

	append(html, sizeof html, "<TABLE BORDER=\"1\" COLOR=\"#999999\" CELLBORDER=\"0\" CELLSPACING=\"2\" "
				  "CELLPADDING=\"3\">");
	for (int s = 0; s < N_SIDES; s++) {
		if (p->ep[s] < 0)
			continue;
		snprintf(text, sizeof text, "%s (%s)", trace_endpoint_name(p->log->trace, p->ep[s], nbuf), side_style[s]);
		legend_row(html, sizeof html, side_colour[s], sample[s], text);
	}
	legend_row(html, sizeof html, COLOUR_IDLE, sample[CLIENT], "unvisited arcs grey");
	append(html, sizeof html, "<TR><TD><TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"2\" "
				  "CELLPADDING=\"1\"><TR>");
	for (int s = 0; s < N_SIDES; s++)
		if (p->ep[s] >= 0)
			badge(html, sizeof html, s, "1");
	append(html, sizeof html, "</TR></TABLE></TD><TD ALIGN=\"LEFT\">steps, in order</TD></TR></TABLE>");
	set(n, "shape", "plaintext");
	set(n, "style", "");
	set(n, "fontname", "Helvetica");
	set(n, "fontsize", "14");
	set(n, "width", "0");
	set(n, "height", "0");
	set_html(n, "label", html);
	invisible_edge(p->g, n, p->node[TCPS_CLOSED]);
}

/* Word-wraps s into HTML lines of at most TITLE_WIDTH characters, each
 * after a line break but the first when `first_break` is false. */
static void wrap_into(char *out, size_t n, const char *s, bool first_break)
{
	for (bool first = true; *s; first = false) {
		size_t len = strlen(s), cut = len;
		char line[TITLE_WIDTH + 1];

		if (len > TITLE_WIDTH) {
			cut = TITLE_WIDTH;
			while (cut > 0 && s[cut] != ' ')
				cut--;
			if (cut == 0)
				cut = TITLE_WIDTH;
		}
		memcpy(line, s, cut);
		line[cut] = '\0';
		if (!first || first_break)
			append(out, n, "<BR/>");
		html_escape(out, n, line);
		s += cut;
		while (*s == ' ')
			s++;
	}
}

/* The title: `title` (else the scenario's name) in bold, the summary below. */
static void add_title(struct picture *p, const char *title)
{
	const char *head = title ? title : p->log ? p->log->name : NULL;
	const char *summary = p->log ? p->log->summary : NULL;
	char html[HTML_MAX] = "";

	if (head && !*head)
		head = NULL;
	if (summary && !*summary)
		summary = NULL;
	if (!head && !summary)
		return;
	if (head) {
		append(html, sizeof html, "<B>");
		html_escape(html, sizeof html, head);
		append(html, sizeof html, "</B>");
	}
	if (summary) {
		append(html, sizeof html, "<FONT POINT-SIZE=\"16\">");
		wrap_into(html, sizeof html, summary, head != NULL);
		append(html, sizeof html, "</FONT>");
	}
	set_html(p->g, "label", html);
}

/* Builds the whole graph in p->g. Returns 0, or -1 when out of memory. */
static int build(struct picture *p, enum graph_side side, const char *title)
{
	if (add_figure5(p) < 0)
		return -1;
	if (p->log) {
		pick_endpoints(p, side);
		if (trace_paths(p) < 0)
			return -1;
	}
	p->end_below = closed_end_below(p);
	p->g = agopen("tcp_states", Agdirected, NULL);
	if (!p->g)
		return -1;
	set_defaults(p->g);
	add_title(p, title);
	add_nodes(p);
	if (p->log)
		add_legend(p);
	for (size_t i = 0; i < p->n_arcs; i++)
		add_arc_edges(p, &p->arcs[i]);
	add_columns(p);
	if (p->log)
		grey_unvisited(p);
	return 0;
}

/* ---- output ----------------------------------------------------------- */

/* Graphviz's messages during one call: kept, not printed. An error fails
 * the call with its text; warnings are dropped. */
static struct {
	char text[256];
	bool error, in_error;
} gv_msg;

/* agusererrf: Graphviz hands a message over in pieces ("Error", ": ",
 * the text). */
static int keep_message(char *piece)
{
	size_t n;

	if (strcmp(piece, "Error") == 0 || strcmp(piece, "Warning") == 0) {
		gv_msg.in_error = piece[0] == 'E';
		if (gv_msg.in_error && !gv_msg.error)
			gv_msg.text[0] = '\0';
		gv_msg.error |= gv_msg.in_error;
		return 0;
	}
	if (!gv_msg.in_error || strcmp(piece, ": ") == 0)
		return 0;
	n = strlen(gv_msg.text);
	snprintf(gv_msg.text + n, sizeof gv_msg.text - n, "%s", piece);
	for (char *c = gv_msg.text; *c; c++)
		if (*c == '\n')
			*c = ' ';
	n = strlen(gv_msg.text);
	while (n && gv_msg.text[n - 1] == ' ')
		gv_msg.text[--n] = '\0';
	return 0;
}

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

static struct box label_box(const textlabel_t *l)
{
	struct box b = { l->pos.x - l->dimen.x / 2, l->pos.y - l->dimen.y / 2,
			 l->pos.x + l->dimen.x / 2, l->pos.y + l->dimen.y / 2 };
	return b;
}

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

/* A laid-out candidate: the DOT text and its graph. */
struct candidate {
	char *dot;
	size_t len;
	Agraph_t *g;                 /* laid out by dot */
	int overlaps;
};

static void drop_candidate(struct candidate *c)
{
	if (c->g) {
		gvFreeLayout(graph_gvc(), c->g);
		agclose(c->g);
	}
	free(c->dot);
	memset(c, 0, sizeof *c);
}

/* p->g with spacing i, written and read back (the file's declaration order
 * is what dot sees) and laid out. */
static int try_spacing(struct picture *p, size_t i, struct candidate *c)
{
	memset(c, 0, sizeof *c);
	set(p->g, "ranksep", spacings[i].ranksep);
	set(p->g, "nodesep", spacings[i].nodesep);
	if (write_dot(p->g, &c->dot, &c->len) < 0)
		return -1;
	c->g = agmemread(c->dot);
	if (!c->g || gvLayout(graph_gvc(), c->g, "dot") != 0) {
		if (c->g)
			agclose(c->g);
		c->g = NULL;
		return -1;
	}
	c->overlaps = count_overlaps(c->g);
	return 0;
}

/* The first spacing with nothing overlapping, else the one with least. */
static int choose_spacing(struct picture *p, struct candidate *best)
{
	memset(best, 0, sizeof *best);
	for (size_t i = 0; i < N_SPACINGS; i++) {
		struct candidate c;
		if (try_spacing(p, i, &c) < 0) {
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
	return 0;
}

/* Renders the laid-out candidate in format (a PNG laid out again at 144
 * dpi, sharp on a full-HD slide); the buffer is malloc'ed. The pictures
 * are exactly what `dot -Tsvg NAME.states.dot` gives. */
static int render(struct candidate *c, const char *format, char **data, size_t *len)
{
	GVC_t *gvc = graph_gvc();
	Agraph_t *g = c->g;
	char *out = NULL;
	unsigned int n = 0;
	int rc = -1;

	if (strcmp(format, "png") == 0) {
		g = agmemread(c->dot);
		if (!g)
			return -1;
		set(g, "dpi", "144");
		if (gvLayout(gvc, g, "dot") != 0) {
			agclose(g);
			return -1;
		}
	}
	if (gvRenderData(gvc, g, graph_renderer(format), &out, &n) == 0 && out && (*data = malloc(n ? n : 1))) {
		memcpy(*data, out, n);
		*len = n;
		if (strcmp(format, "pdf") == 0)
			graph_pdf_fix_date(*data, n);
		rc = 0;
	}
	if (out)
		gvFreeRenderData(out);
	if (g != c->g) {
		gvFreeLayout(gvc, g);
		agclose(g);
	}
	return rc;
}

static bool known_format(const char *format)
{
	static const char *const formats[] = { "svg", "png", "pdf", "dot" };

	for (size_t i = 0; format && i < sizeof formats / sizeof formats[0]; i++)
		if (strcmp(format, formats[i]) == 0)
			return true;
	return false;
}

/* Builds the picture and turns it into the bytes of the file. */
static int produce(struct picture *p, enum graph_side side, const char *title, const char *format,
		   char **data, size_t *len, char *err, size_t errlen)
{
	struct candidate c;
	int rc = -1;

	if (build(p, side, title) < 0) {
		snprintf(err, errlen, "state diagram: out of memory");
		return -1;
	}
	if (!graph_gvc() || choose_spacing(p, &c) < 0) {
		snprintf(err, errlen, "state diagram: Graphviz cannot lay it out%s%s",
			 gv_msg.text[0] ? ": " : "", gv_msg.text);
		return -1;
	}
	if (strcmp(format, "dot") == 0) {
		*data = c.dot;
		*len = c.len;
		c.dot = NULL;
		rc = 0;
	} else {
		rc = render(&c, format, data, len);
	}
	drop_candidate(&c);
	if (rc < 0 || gv_msg.error) {
		snprintf(err, errlen, "state diagram: Graphviz cannot render %s%s%s", format,
			 gv_msg.text[0] ? ": " : "", gv_msg.text);
		return -1;
	}
	return 0;
}

int graph_states_write(const struct trace_log *log, enum graph_side side, const char *title,
		       const char *format, const char *path, char *err, size_t errlen)
{
	char *data = NULL;
	size_t len = 0;

	if (!known_format(format)) {
		snprintf(err, errlen, "%s: unknown format \"%s\" (svg, png, pdf or dot)", path,
			 format ? format : "");
		return -1;
	}
	int rc = graph_states_render(log, side, title, format, &data, &len, err, errlen);
	if (rc == 0)
		rc = graph_write_file(path, data, len, err, errlen);
	free(data);
	return rc;
}

int graph_states_render(const struct trace_log *log, enum graph_side side, const char *title,
			const char *format, char **data, size_t *len, char *err, size_t errlen)
{
	struct picture p = { .log = log, .ep = { -1, -1 } };

	*data = NULL;
	*len = 0;
	if (!known_format(format)) {
		snprintf(err, errlen, "unknown format \"%s\" (svg, png, pdf or dot)", format ? format : "");
		return -1;
	}
	memset(&gv_msg, 0, sizeof gv_msg);
	agusererrf old_f = agseterrf(keep_message);
	agerrlevel_t old_level = agseterr(AGWARN);
	int rc = produce(&p, side, title, format, data, len, err, errlen);
	agseterr(old_level);
	agseterrf(old_f);
	if (p.g)
		agclose(p.g);
	free(p.arcs);
	if (rc < 0) {
		free(*data);
		*data = NULL;
	}
	return rc;
}
