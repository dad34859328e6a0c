/* graph_states_build.c - the state diagram as a cgraph graph: the rows
 * and columns that give it the textbook's shape, each arc an edge (one per
 * side that took it, with its badge), the legend and the title. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "proto/arcs.h"
#include "output/graph_states_int.h"

static const char *const side_style[N_SIDES] = { STYLE_CLIENT_LINE, STYLE_SERVER_LINE };
static const char *const side_colour[N_SIDES] = { STYLE_CLIENT_COLOUR, STYLE_SERVER_COLOUR };
static const char *const side_text[N_SIDES] = { STYLE_CLIENT_BADGE_TEXT, STYLE_SERVER_BADGE_TEXT };

/* A node's name in the DOT text: its state's, CLOSED_END for the bottom CLOSED. */
static const char *node_name(int node)
{
	return node == NODE_CLOSED_END ? "CLOSED_END" : tcp_state_name((enum tcp_state)node);
}

/* ---- cgraph helpers --------------------------------------------------- */

/* Sets attribute name of a graph, node or edge (declared as needed). */
void set(void *obj, const char *name, const char *value)
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
void states_html_escape(char *out, size_t n, const char *s)
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
void states_append(char *out, size_t n, const char *fmt, ...)
{
	size_t len = strlen(out);
	va_list ap;

	if (len + 1 >= n)
		return;
	va_start(ap, fmt);
	vsnprintf(out + len, n - len, fmt, ap);
	va_end(ap);
}

/* An edge from t to h that only keeps the layout's order. */
static void invisible_edge(Agraph_t *g, Agnode_t *t, Agnode_t *h)
{
	Agedge_t *e = agedge(g, t, h, NULL, 1);

	set(e, "style", "invis");
}

/* ---- the graph -------------------------------------------------------- */

/* The attributes every node and edge of g starts with. */
static void set_defaults(Agraph_t *g)
{
	agattr(g, AGRAPH, "fontname", STYLE_FONT);
	agattr(g, AGRAPH, "fontsize", "20");
	agattr(g, AGRAPH, "fontcolor", STYLE_TEXT_COLOUR);
	agattr(g, AGRAPH, "labelloc", "t");
	agattr(g, AGRAPH, "newrank", "true");
	agattr(g, AGRAPH, "pad", "0.3");
	agattr(g, AGRAPH, "bgcolor", "white");
	agattr(g, AGRAPH, "outputorder", "edgesfirst");
	agattr(g, AGNODE, "label", "\\N");
	agattr(g, AGNODE, "shape", "box");
	agattr(g, AGNODE, "style", "rounded,filled");
	agattr(g, AGNODE, "fillcolor", STYLE_NODE_FILL);
	agattr(g, AGNODE, "color", STYLE_TEXT_COLOUR);
	agattr(g, AGNODE, "fontcolor", STYLE_TEXT_COLOUR);
	agattr(g, AGNODE, "fontname", STYLE_FONT_BOLD);  /* and <B>: bold_label */
	agattr(g, AGNODE, "fontsize", "16");
	agattr(g, AGNODE, "width", "1.9");
	agattr(g, AGNODE, "height", "0.55");
	agattr(g, AGEDGE, "fontname", STYLE_FONT);
	agattr(g, AGEDGE, "fontsize", "12");
	agattr(g, AGEDGE, "color", STYLE_IDLE_COLOUR);
	agattr(g, AGEDGE, "fontcolor", STYLE_IDLE_TEXT_COLOUR);
	agattr(g, AGEDGE, "arrowsize", "0.8");
	agattr(g, AGEDGE, "penwidth", "1.2");
}

/* The column each node sits in: left (active close), centre, right (passive
 * close and the bottom CLOSED). */
static const char *node_group(int node)
{
	switch (node) {
	case TCPS_SYN_RECEIVED: case TCPS_FIN_WAIT_1: case TCPS_FIN_WAIT_2:
		return "left";
	case TCPS_SYN_SENT: case TCPS_CLOSE_WAIT: case TCPS_LAST_ACK: case NODE_CLOSED_END:
		return "right";
	default:
		return "centre";
	}
}

/* A state's name in bold: the weight of STYLE_FONT (an SVG font-weight),
 * not a family of its own, so that every viewer finds the face. */
static void bold_label(Agnode_t *n, const char *name)
{
	char html[64];

	snprintf(html, sizeof html, "<B>%s</B>", name);
	set_html(n, "label", html);
}

/* The rows of the figure, top to bottom, each left to right (-1: none):
 * the bottom CLOSED beside TIME_WAIT as in the textbook, always (arcs
 * outside Figure 5 that reach it are routed around the rest). */
static const int rows[][3] = {
	{ TCPS_CLOSED, -1, -1 },
	{ TCPS_LISTEN, -1, -1 },
	{ TCPS_SYN_RECEIVED, TCPS_SYN_SENT, -1 },
	{ TCPS_ESTABLISHED, -1, -1 },
	{ TCPS_FIN_WAIT_1, TCPS_CLOSE_WAIT, -1 },
	{ TCPS_FIN_WAIT_2, TCPS_CLOSING, TCPS_LAST_ACK },
	{ TCPS_TIME_WAIT, NODE_CLOSED_END, -1 },
};
#define N_ROWS (sizeof rows / sizeof rows[0])

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
			if (n < 0)
				continue;
			p->node[n] = agsubnode(sg, agnode(p->g, (char *)node_name(n), 1), 1);
			set(p->node[n], "group", node_group(n));
			bold_label(p->node[n], n == NODE_CLOSED_END ? "CLOSED" : node_name(n));
			pin_node(p, p->node[n]);
			if (prev)
				invisible_edge(p->g, prev, p->node[n]);
			prev = p->node[n];
		}
		if (r == 0 && p->legend)
			agsubnode(sg, agnode(p->g, "legend", 1), 1);
	}
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
	states_append(out, n, "<TD BGCOLOR=\"%s\" STYLE=\"rounded\" WIDTH=\"24\" CELLPADDING=\"2\"><FONT COLOR=\"%s\" POINT-SIZE=\"14\">"
		       "<B>%s</B></FONT></TD>", side_colour[s], side_text[s], steps);
}

/* The width of side s's badge slot on arc a: BADGE_SLOT_PT, or what its
 * steps need when longer ("1,6,11": about 9 points a character of bold
 * 14 pt, and the spaces around). */
static int slot_width(const struct pic_arc *a, int s)
{
	int need = 9 * (int)strlen(a->steps[s]) + 16;
	return need > BADGE_SLOT_PT ? need : BADGE_SLOT_PT;
}

/* The row of a Figure 5 arc's badges: a table of fixed size (so that the
 * cells keep their width and the label its size, taken or not), the
 * client's slot left, the server's right, each a badge or empty. */
static void badge_row(char *out, size_t n, const struct pic_arc *a)
{
	int w[N_SIDES] = { slot_width(a, CLIENT), slot_width(a, SERVER) };

	states_append(out, n, "<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"2\" CELLPADDING=\"0\" "
		       "FIXEDSIZE=\"TRUE\" WIDTH=\"%d\" HEIGHT=\"%d\"><TR>", w[CLIENT] + w[SERVER] + 10, BADGE_HEIGHT_PT);
	for (int s = 0; s < N_SIDES; s++) {
		if (a->steps[s][0])
			states_append(out, n, "<TD WIDTH=\"%d\" BGCOLOR=\"%s\" STYLE=\"rounded\"><FONT COLOR=\"%s\" "
				       "POINT-SIZE=\"14\"><B>%s</B></FONT></TD>", w[s], side_colour[s], side_text[s],
			       a->steps[s]);
		else
			states_append(out, n, "<TD WIDTH=\"%d\"></TD>", w[s]);
	}
	states_append(out, n, "</TR></TABLE>");
}

/* The label of arc a, one whoever took it. A Figure 5 arc's: the row of
 * both sides' badge slots above the words, so that it is as large in every
 * picture as in the skeleton, where it was laid out (and no wider than the
 * words). Another arc's: the badges of the sides that took it, then the
 * words. */
static void path_label(char *out, size_t n, const struct pic_arc *a)
{
	out[0] = '\0';
	states_append(out, n, "<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"2\" CELLPADDING=\"1\"><TR>");
	if (a->figure5) {
		states_append(out, n, "<TD>");
		badge_row(out, n, a);
		states_append(out, n, "</TD></TR><TR><TD>");
	} else {
		for (int s = 0; s < N_SIDES; s++)
			if (a->steps[s][0])
				badge(out, n, s, a->steps[s]);
		states_append(out, n, "<TD>");
	}
	states_html_escape(out, n, a->label);
	states_append(out, n, "</TD></TR></TABLE>");
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

/* The Figure 5 arc between the same states as a, in the same direction;
 * NULL when none (or a is one). */
static const struct pic_arc *figure5_alike(const struct picture *p, const struct pic_arc *a)
{
	for (size_t i = 0; !a->figure5 && i < p->n_arcs; i++)
		if (p->arcs[i].figure5 && p->arcs[i].from == a->from && p->arcs[i].head == a->head)
			return &p->arcs[i];
	return NULL;
}

/* An edge of arc a named dot_id, with its attributes but no path's
 * colour. A Figure 5 arc's pinned where the skeleton has it (`second`: a
 * twin's second line, beside the first); another arc between the same
 * states as a Figure 5 one runs beside that one (routed, it would be drawn
 * on it); the rest are routed by the layout. */
static Agedge_t *arc_edge(struct picture *p, const struct pic_arc *a, const char *dot_id, bool second)
{
	const struct pic_arc *alike = figure5_alike(p, a);
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
	if (a->figure5)
		pin_edge(p, e, a->dot_id, second ? 1 : 0);
	else if (alike && pin_edge(p, e, alike->dot_id, second ? 3 : 2) != 0)
		set(e, "pos", "");   /* no lane beside it is clear of labels: routed */
	return e;
}

/* Classes naming the steps side s took arc edge e at ("3,7": "step_client_3
 * step_client_7"), for the step-through page (output/page.c), which bolds
 * the arc a step takes. */
static void step_classes(Agedge_t *e, int s, const char *steps)
{
	char cls[STEPS_MAX * 16] = "";
	size_t len = 0;

	for (const char *p = steps; *p && len < sizeof cls - 32;) {
		unsigned k = (unsigned)strtoul(p, (char **)&p, 10);
		len += (size_t)snprintf(cls + len, sizeof cls - len, "%sstep_%s_%u", len ? " " : "",
					s == CLIENT ? "client" : "server", k);
		while (*p && (*p < '0' || *p > '9'))
			p++;
	}
	set(e, "class", cls);
}

/* Arc a: one grey edge, or one edge per side that traversed it, and one
 * label (both badges when both took it) on the first; a twin's second
 * line runs beside the first (pinned on Figure 5's arcs; routed as a
 * neighbour elsewhere). */
static void add_arc_edges(struct picture *p, const struct pic_arc *a)
{
	char nbuf[TRACE_NAME_MAX];
	char html[HTML_MAX], dot_id[64];
	bool drawn = false;

	for (int s = 0; s < N_SIDES; s++) {
		if (!a->steps[s][0])
			continue;
		snprintf(dot_id, sizeof dot_id, "%s_%s", a->dot_id, s == CLIENT ? "client" : "server");
		Agedge_t *e = arc_edge(p, a, dot_id, drawn);
		set(e, "endpoint", (char *)trace_endpoint_name(p->log->trace, p->ep[s], nbuf));
		set(e, "steps", a->steps[s]);
		step_classes(e, s, a->steps[s]);
		set(e, "color", side_colour[s]);
		set(e, "style", side_style[s]);
		set(e, "penwidth", "3");
		set(e, "fontcolor", STYLE_TEXT_COLOUR);
		if (!drawn) {
			path_label(html, sizeof html, a);
			set_html(e, "label", html);
		}
		drawn = true;
	}
	if (!drawn) {
		Agedge_t *e = arc_edge(p, a, a->dot_id, false);
		if (a->figure5) {
			path_label(html, sizeof html, a);
			set_html(e, "label", html);
		} else {
			set(e, "label", a->label);
		}
	}
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
		set(p->node[n], "color", STYLE_IDLE_COLOUR);
		set(p->node[n], "fontcolor", STYLE_IDLE_TEXT_COLOUR);
		set(p->node[n], "fillcolor", "white");
	}
}

/* A line sample for the legend. */
static void legend_row(char *out, size_t n, const char *colour, const char *sample, const char *text)
{
	states_append(out, n, "<TR><TD><FONT COLOR=\"%s\">%s</FONT></TD><TD ALIGN=\"LEFT\">", colour, sample);
	states_html_escape(out, n, text);
	states_append(out, n, "</TD></TR>");
}

/* The legend: a table left of the top CLOSED (the skeleton's, with no
 * trace, names the sides "client" and "server"). */
static void add_legend(struct picture *p)
{
	char nbuf[TRACE_NAME_MAX];
	static const char *const sample[N_SIDES] = { "&#x2501;&#x2501;&#x2501;", "&#x254D;&#x254D;&#x254D;" };
	char html[HTML_MAX] = "", text[96];
	Agnode_t *n = agnode(p->g, "legend", 0);

	states_append(html, sizeof html, "<TABLE BORDER=\"1\" COLOR=\"" STYLE_LINE_COLOUR "\" CELLBORDER=\"0\" CELLSPACING=\"2\" "
				  "CELLPADDING=\"3\">");
	for (int s = 0; s < N_SIDES; s++) {
		if (p->ep[s] < 0)
			continue;
		const char *name = p->log ? trace_endpoint_name(p->log->trace, p->ep[s], nbuf) :
				   s == CLIENT ? "client" : "server";
		snprintf(text, sizeof text, "%s (%s)", name, side_style[s]);
		legend_row(html, sizeof html, side_colour[s], sample[s], text);
	}
	legend_row(html, sizeof html, STYLE_IDLE_COLOUR, sample[CLIENT], "unvisited arcs grey");
	states_append(html, sizeof html, "<TR><TD><TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"2\" "
				  "CELLPADDING=\"1\"><TR>");
	for (int s = 0; s < N_SIDES; s++)
		if (p->ep[s] >= 0)
			badge(html, sizeof html, s, "1");
	states_append(html, sizeof html, "</TR></TABLE></TD><TD ALIGN=\"LEFT\">steps, in order</TD></TR></TABLE>");
	set(n, "shape", "plaintext");
	set(n, "style", "");
	set(n, "fontname", STYLE_FONT);
	set(n, "fontsize", "14");
	set(n, "width", "0");
	set(n, "height", "0");
	set_html(n, "label", html);
	pin_node(p, n);
	invisible_edge(p->g, n, p->node[TCPS_CLOSED]);
}

/* Word-wraps s into HTML lines of at most TITLE_WIDTH characters, each
 * after a line break but the first when `first_break` is false. Returns
 * how many lines. */
static int wrap_into(char *out, size_t n, const char *s, bool first_break)
{
	int lines = 0;

	for (bool first = true; *s; first = false, lines++) {
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
			states_append(out, n, "<BR/>");
		states_html_escape(out, n, line);
		s += cut;
		while (*s == ' ')
			s++;
	}
	return lines;
}

/* The title: `title` (else the scenario's name) in bold, the summary below,
 * in a trace's picture padded to TITLE_LINES lines, so that the figure
 * below starts at the same height in every picture of a series. */
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
		states_append(html, sizeof html, "<B>");
		states_html_escape(html, sizeof html, head);
		states_append(html, sizeof html, "</B>");
	}
	if (summary || p->log) {
		int lines = 0;
		states_append(html, sizeof html, "<FONT POINT-SIZE=\"16\">");
		if (summary)
			lines = wrap_into(html, sizeof html, summary, head != NULL);
		for (; lines < TITLE_LINES; lines++)
			states_append(html, sizeof html, "<BR/> ");
		states_append(html, sizeof html, "</FONT>");
	}
	set_html(p->g, "label", html);
}

/* Builds the whole graph in p->g. Returns 0, or -1 when out of memory. */
int build(struct picture *p, enum graph_side side, const char *title)
{
	if (add_figure5(p) < 0)
		return -1;
	if (p->log) {
		pick_endpoints(p, side);
		if (trace_paths(p) < 0)
			return -1;
	}
	p->g = agopen("tcp_states", Agdirected, NULL);
	if (!p->g)
		return -1;
	set_defaults(p->g);
	add_title(p, title);
	add_nodes(p);
	if (p->legend)
		add_legend(p);
	for (size_t i = 0; i < p->n_arcs; i++)
		add_arc_edges(p, &p->arcs[i]);
	add_columns(p);
	if (p->log)
		grey_unvisited(p);
	return 0;
}
