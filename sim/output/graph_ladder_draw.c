/* graph_ladder_draw.c - the laid-out ladder picture as a cgraph graph:
 * every node pinned where the layout put it (title, endpoint heads,
 * lifelines, time axis, states, arrows with their labels, drops' crosses). */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gvc.h>
#include "output/graph_ladder_int.h"

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

/* Sets a size in points. */
static void set_pt(void *obj, const char *name, double pt)
{
	char buf[32];

	snprintf(buf, sizeof buf, "%g", pt);
	set(obj, name, buf);
}

/* Pins node n at (x, y), y downwards from the top. */
static void pin(struct pic *P, Agnode_t *n, double x, double y)
{
	char buf[64];

	snprintf(buf, sizeof buf, "%.2f,%.2f!", x, P->height - y);
	set(n, "pos", buf);
}

/* Names obj in the SVG "evN_part": the log event N it draws (a segment's
 * send, a state change, a note) and which part of it, so that the
 * step-through page (output/page.c) finds what each step shows. */
static void set_ev_id(void *obj, size_t ev, const char *part)
{
	char id[48];

	snprintf(id, sizeof id, "ev%zu_%s", ev, part);
	set(obj, "id", id);
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

/* The colour of side s: the state diagram's (style.h). */
static const char *side_color(int s)
{
	return s == LADDER_LEFT ? STYLE_CLIENT_COLOUR : STYLE_SERVER_COLOUR;
}

/* The line style of what side s draws: the client solid, the server dashed. */
static const char *side_line(int s)
{
	return s == LADDER_LEFT ? STYLE_CLIENT_LINE : STYLE_SERVER_LINE;
}

/* Appends text to out (of cap, holding *len) with the characters an HTML
 * label reads as markup escaped, and spaces made no-break: Graphviz writes
 * each span of a line as an SVG text element of its own, and SVG drops a
 * plain space at the edge of one ("SYN_SENT(connect)"). */
static void html_append(char *out, size_t cap, size_t *len, const char *text)
{
	for (const char *p = text; *p && *len + 8 < cap; p++) {
		const char *esc = *p == '<' ? "&lt;" : *p == '>' ? "&gt;" : *p == '&' ? "&amp;" :
				  *p == ' ' ? "&#160;" : NULL;
		if (esc) {
			memcpy(out + *len, esc, strlen(esc));
			*len += strlen(esc);
		} else {
			out[(*len)++] = *p;
		}
	}
	out[*len] = '\0';
}

/* Appends text in colour (NULL: the node's) and bold when asked. */
static void html_span(char *out, size_t cap, size_t *len, const char *text, const char *colour, bool bold)
{
	if (colour)
		*len += (size_t)snprintf(out + *len, *len < cap ? cap - *len : 0, "<FONT COLOR=\"%s\">", colour);
	if (bold && *len + 3 < cap)
		*len += (size_t)snprintf(out + *len, cap - *len, "<B>");
	html_append(out, cap, len, text);
	if (bold && *len + 4 < cap)
		*len += (size_t)snprintf(out + *len, cap - *len, "</B>");
	if (colour && *len + 7 < cap)
		*len += (size_t)snprintf(out + *len, cap - *len, "</FONT>");
}

/* A text node like text_at whose label is the HTML-like html (one line;
 * just: 'c', 'l' or 'r'). */
static Agnode_t *html_at(struct pic *P, const char *cls, double x, double y, double w, const char *html,
			 char just)
{
	char label[TEXT_MAX + 64];
	Agnode_t *n = text_at(P, cls, x, y, w, "", just);
	char *h;

	snprintf(label, sizeof label, "%s%s", html,
		 just == 'l' ? "<BR ALIGN=\"LEFT\"/>" : just == 'r' ? "<BR ALIGN=\"RIGHT\"/>" : "");
	h = agstrdup_html(P->g, label);
	agsafeset(n, "label", h, "");
	agstrfree(P->g, h);
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

/* Whether the summary is under the title: on the whole picture and on a
 * first page (the later ones have the room for the exchange). */
static bool shows_summary(const struct layout *L)
{
	return L->lad.log->summary && L->page <= 1;
}

/* A page of --slides: its corners (a 16:9 page, however little it holds)
 * and, but on the last, "continued" at its foot. */
static void draw_page_frame(struct pic *P, const struct layout *L)
{
	char buf[64];
	Agnode_t *n;

	point_at(P, 0, 0);
	point_at(P, L->width, L->page_h);
	if (L->page >= L->n_pages)
		return;
	snprintf(buf, sizeof buf, "continued on page %zu", L->page + 1);
	n = text_at(P, "continued", L->width - MARGIN_PT - text_width(buf) / 2, L->page_h - MARGIN_PT - SUMMARY_PT / 2,
		    text_width(buf), buf, 'r');
	set(n, "fontname", STYLE_FONT);
	set(n, "fontcolor", COLOR_AXIS);
}

/* The height of the foot of a page that says "continued". */
double page_foot_height(void)
{
	return MARGIN_PT + 2 * (SUMMARY_PT + 8);      /* the legend, "continued" */
}

/* The title (the scenario's name; a page's number) and the summary under it. */
static void draw_title(struct pic *P, const struct layout *L)
{
	const struct trace_log *log = L->lad.log;
	char buf[TEXT_MAX];
	double y = MARGIN_PT;
	Agnode_t *n;

	if (log->name) {
		char title[TEXT_MAX];
		if (L->n_pages)
			snprintf(title, sizeof title, "%s (%zu/%zu%s)", log->name, L->page, L->n_pages,
				 L->page > 1 ? ", continued" : "");
		else
			snprintf(title, sizeof title, "%s", log->name);
		n = text_at(P, "title", L->width / 2, y + TITLE_PT / 2, L->width / 2, title, 'c');
		set_pt(n, "fontsize", TITLE_PT);
		set(n, "fontname", STYLE_FONT);
		y += TITLE_PT + 6;
	}
	if (L->page_h > 0)
		draw_page_frame(P, L);
	if (shows_summary(L)) {
		int lines = wrapped_lines(log->summary, summary_cols(L));
		wrap(log->summary, summary_cols(L), buf, sizeof buf);
		n = text_at(P, "summary", L->width / 2, y + lines * SUMMARY_PT * 1.2 / 2,
			    L->width / 2, buf, 'c');
		set_pt(n, "fontsize", SUMMARY_PT);
		set(n, "fontname", STYLE_FONT);
		y += lines * SUMMARY_PT * 1.2 + 6;
	}
	if (L->rows_left_out) {
		char line[TEXT_MAX];
		left_out_line(L, line, sizeof line);
		int lines = wrapped_lines(line, summary_cols(L));
		wrap(line, summary_cols(L), buf, sizeof buf);
		n = text_at(P, "cut", L->width / 2, y + lines * SUMMARY_PT * 1.2 / 2,
			    L->width / 2, buf, 'c');
		set_pt(n, "fontsize", SUMMARY_PT);
		set(n, "fontname", STYLE_FONT);
		set(n, "fontcolor", STYLE_TEXT_COLOUR);
	}
}

/* The height the title and the summary take. */
double title_height(const struct layout *L)
{
	const struct trace_log *log = L->lad.log;
	double h = MARGIN_PT;

	if (log->name)
		h += TITLE_PT + 6;
	if (shows_summary(L))
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
	set(n, "style", s == LADDER_LEFT ? "rounded,bold" : "rounded,bold," STYLE_SERVER_LINE);
	snprintf(buf, sizeof buf, "%.4f", HEAD_PT / 72);
	set(n, "height", buf);
	set(n, "color", side_color(s));
	set(n, "fontcolor", side_color(s));
}

/* The two lifelines, from their heads to the bottom: in the side's line
 * style, dotted across a compressed gap (time not to scale). */
static void draw_lifelines(struct pic *P, const struct layout *L, double top)
{
	for (int s = 0; s < 2; s++) {
		double y = top;
		for (size_t i = 0; i <= L->n_gaps; i++) {
			double y1 = i < L->n_gaps ? L->gaps[i].y0 : L->bottom;
			Agedge_t *e = line(P, "lifeline", L->x_life[s], y, L->x_life[s], y1);
			set(e, "penwidth", "2");
			set(e, "color", side_color(s));
			set(e, "style", side_line(s));
			if (i == L->n_gaps)
				break;
			e = line(P, "lifeline", L->x_life[s], y1, L->x_life[s], L->gaps[i].y1);
			set(e, "style", STYLE_COMPRESSED_LINE);
			set(e, "penwidth", "2");
			set(e, "color", side_color(s));
			y = L->gaps[i].y1;
		}
	}
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

/* A state label of side s at height y, in the side's colour: a state
 * with its step badge and cause in bold, a timer's words plain. One span
 * per label: a line of several spans is placed by Graphviz's estimate of
 * each span's width, which renderers do not keep to. */
static void draw_state(struct pic *P, const struct layout *L, int s, double y, const char *text,
		       const struct ladder_row *r)
{
	double w = L->state_w[s];
	double x = s == LADDER_LEFT ? L->x_state[0] - w / 2 : L->x_state[1] + w / 2;
	char html[TEXT_MAX];
	size_t len = 0;
	Agnode_t *n;

	html[0] = '\0';
	html_span(html, sizeof html, &len, text, NULL, r->kind != LADDER_ROW_TIMER);
	n = html_at(P, r->kind == LADDER_ROW_TIMER ? "timer" : "state", x, y, w, html,
		    s == LADDER_LEFT ? 'r' : 'l');
	set(n, "fontcolor", side_color(s));
	set(n, "text", text);
	if (r->kind == LADDER_ROW_INITIAL)
		set(n, "id", s == LADDER_LEFT ? "init_state0" : "init_state1");
	else
		set_ev_id(n, r->ev, s == LADDER_LEFT ? "state0" : "state1");
	if (r->step) {
		char buf[16];
		snprintf(buf, sizeof buf, "%u", r->step);
		set(n, "step", buf);
	}
}

/* A timer's mark on side s's lifeline at y: a small clock face (set,
 * restarted, or expired causing the state change beside it). */
static void draw_timer_mark(struct pic *P, const struct layout *L, int s, double y, size_t ev)
{
	Agnode_t *n = node_at(P, "timermark", L->x_life[s], y);

	set_ev_id(n, ev, s == LADDER_LEFT ? "mark0" : "mark1");
	set(n, "shape", "circle");
	set(n, "label", "");
	set(n, "width", "0.14");
	set(n, "height", "0.14");
	set(n, "fixedsize", "true");
	set(n, "style", "filled");
	set(n, "fillcolor", "white");
	set(n, "color", side_color(s));
	set(n, "penwidth", "1.5");
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
			if (r->kind != LADDER_ROW_INITIAL && r->kind != LADDER_ROW_STATE &&
			    r->kind != LADDER_ROW_TIMER)
				continue;      /* rows of other kinds draw themselves */
			ladder_state_cell(r, s, buf, sizeof buf);
			if (buf[0])
				draw_state(P, L, s, y, buf, r);
			if (r->side == s && (r->kind == LADDER_ROW_TIMER ||
					     (r->kind == LADDER_ROW_STATE && r->timer_fired)))
				draw_timer_mark(P, L, s, y, r->ev);
		}
	}
}

/* The red cross where a dropped segment ends. */
static void draw_cross(struct pic *P, double x, double y, size_t ev)
{
	const double r = CROSS_PT;
	Agedge_t *e;

	for (int i = 0; i < 2; i++) {
		e = line(P, "cross", x - r, y - r * (i ? -1 : 1), x + r, y + r * (i ? -1 : 1));
		set_ev_id(e, ev, i ? "cross1" : "cross0");
		set(e, "color", STYLE_DROP_COLOUR);
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
	set_ev_id(e, a->row->ev, "copy");
	set(e, "color", STYLE_DUPLICATE_COLOUR);
	set(e, "style", "dashed");
}

/* Why arrow a was sent again ("↻ RTO 2", "↻ SYN retry 3"), beside the
 * sender's lifeline where the arrow leaves it (a line lower when its label
 * is there), in the state column: a timer sent it, and the lifeline is
 * where timers are drawn. */
static void draw_resend(struct pic *P, const struct layout *L, const struct arrow *a)
{
	char text[80], html[160];
	size_t len = 0;
	int s = a->from;

	resend_tag(a, text, sizeof text);
	double w = text_width(text), y = a->ys + lines_below(a) * PITCH_PT;    /* under an outside label */
	double x = s == LADDER_LEFT ? L->x_state[0] - w / 2 : L->x_state[1] + w / 2;
	html[0] = '\0';
	html_span(html, sizeof html, &len, text, NULL, true);
	Agnode_t *n = html_at(P, "resend", x, y, w, html, s == LADDER_LEFT ? 'r' : 'l');
	set_ev_id(n, a->row->ev, "resend");
	set(n, "fontcolor", STYLE_RETRANSMIT_COLOUR);
	set(n, "text", text);
}

/* Appends the texts[k] that are on, each in colours[k] (the first plain,
 * the marks after it bold), with the two spaces before a mark at the end
 * of the span before it: Graphviz starts each span where it estimates the
 * one before ends, which a renderer with wider glyphs overruns (the spaces
 * are the slack), and rsvg draws no space at the start of a span. */
static void html_marks(char *html, size_t cap, size_t *len, const char *const *texts, const char *const *colours,
		       const bool *on, int n)
{
	char span[LABEL_MAX + 100];

	for (int k = 0; k < n; k++) {
		if (!on[k])
			continue;
		bool more = false;
		for (int j = k + 1; j < n; j++)
			more |= on[j];
		snprintf(span, sizeof span, "%s%s", texts[k], more ? "  " : "");
		html_span(html, cap, len, span, colours[k], k > 0);
	}
}

/* What goes under a label outside the lifelines (label_below): what a
 * `data:` send carries, in the arrow's colour, forged and duplicated in
 * theirs, aligned with the label. */
static void draw_payload_below(struct pic *P, const struct layout *L, const struct arrow *a, const char *colour)
{
	char text[LABEL_MAX], payload[80], html[TEXT_MAX];
	size_t len = 0;
	int s = a->from;

	html[0] = '\0';
	label_below(a, text, sizeof text);
	ladder_payload_text(a->row, payload, sizeof payload);
	const char *texts[3] = { payload, STYLE_FORGED_MARK " forged", STYLE_DUPLICATE_MARK " duplicated" };
	const char *colours[3] = { colour, STYLE_FORGED_COLOUR, STYLE_DUPLICATE_COLOUR };
	bool on[3] = { payload[0] != '\0', a->row->forged, a->duplicated };
	html_marks(html, sizeof html, &len, texts, colours, on, 3);
	double w = text_width(text);
	double x = s == LADDER_LEFT ? L->x_state[0] - w / 2 : L->x_state[1] + w / 2;
	Agnode_t *n = html_at(P, "below", x, a->ys + PITCH_PT, w, html, s == LADDER_LEFT ? 'r' : 'l');
	set_ev_id(n, a->row->ev, "below");
	set(n, "fontcolor", colour);
	set(n, "text", text);
}

/* Arrow a's label as HTML: the marks in their colours (style.h), the
 * words in the arrow's; the same characters as a->label, whose width the
 * layout measured (ladder_arrow_label). */
static void arrow_html(const struct layout *L, const struct arrow *a, const char *colour, char *html,
		       size_t cap)
{
	char resend[64], words[LABEL_MAX], payload[80], words_payload[LABEL_MAX + 96];
	size_t len = 0;

	html[0] = '\0';
	ladder_resend_text(a->row, resend, sizeof resend);
	ladder_picture_words(&L->lad, a->row, words, sizeof words);
	if (resend[0])
		html_span(html, cap, &len, STYLE_RETRANSMIT_MARK " ", STYLE_RETRANSMIT_COLOUR, true);
	/* What a data: send carries in the words' span (see html_marks);
	 * outside the lifelines, on a line under the label. */
	payload[0] = '\0';
	if (!a->outside)
		ladder_payload_text(a->row, payload, sizeof payload);
	snprintf(words_payload, sizeof words_payload, "%s%s%s", words, payload[0] ? " " : "", payload);
	const char *texts[4] = { words_payload, STYLE_DROP_MARK, STYLE_FORGED_MARK " forged",
				 STYLE_DUPLICATE_MARK " duplicated" };
	const char *colours[4] = { colour, STYLE_DROP_COLOUR, STYLE_FORGED_COLOUR, STYLE_DUPLICATE_COLOUR };
	bool on[4] = { true, a->row->line.dropped, a->row->forged && !a->outside, a->duplicated && !a->outside };
	html_marks(html, cap, &len, texts, colours, on, 4);
}

/* Arrow a: the line in its sender's colour and line style (a forged one in
 * the forged colour, dashed), its head (a cross halfway when dropped, an
 * open head when it never arrived), the link's copy when it made one, the
 * label. */
static void draw_arrow(struct pic *P, const struct layout *L, const struct arrow *a, size_t i)
{
	const char *color = a->row->forged ? STYLE_FORGED_COLOUR : side_color(a->from);
	Agnode_t *from = point_at(P, L->x_life[a->from], a->ys);
	Agnode_t *to = point_at(P, a->x_end, a->y_end), *lab;
	Agedge_t *e = agedge(P->g, from, to, NULL, 1);
	char buf[32], html[TEXT_MAX];

	set(to, "class", a->dropped ? "drop" : "arrival");
	set(e, "class", "segment");
	set_ev_id(e, a->row->ev, "seg");
	snprintf(buf, sizeof buf, "%zu", i + 1);
	set(e, "segment", buf);
	set(e, "color", color);
	set(e, "penwidth", a->row->resend ? "2" : "1.3");
	set(e, "style", a->row->forged ? "dashed" : side_line(a->from));
	if (a->dropped) {
		set(e, "arrowhead", "none");
		draw_cross(P, a->x_end, a->y_end, a->row->ev);
	} else if (!a->delivered) {
		set(e, "arrowhead", "empty");
	}
	if (a->drop_reason) {
		/* The host's reason, beside the cross, outside the lifelines. */
		char note[LABEL_MAX];
		int s = 1 - a->from;
		snprintf(note, sizeof note, "%s", a->drop_reason);
		double w = text_width(note), gap = 2 * CROSS_PT;
		double x = s == LADDER_LEFT ? a->x_end - gap - w / 2 : a->x_end + gap + w / 2;
		Agnode_t *n = text_at(P, "dropnote", x, a->y_end, w, note, s == LADDER_LEFT ? 'r' : 'l');
		set_ev_id(n, a->row->ev, "dropnote");
		set(n, "fontcolor", STYLE_DROP_COLOUR);
	}
	if (a->dup_delivered)
		draw_copy(P, L, a, from, color);
	if (a->row->resend)
		draw_resend(P, L, a);
	if (a->payload_below)
		draw_payload_below(P, L, a, color);
	arrow_html(L, a, color, html, sizeof html);
	lab = html_at(P, "seglabel", a->lx, a->ly, a->w, html, 'c');
	set_ev_id(lab, a->row->ev, "label");
	set(lab, "fontcolor", color);
	set(lab, "text", a->label);
	if (a->row->resend) {
		char resend[64];
		ladder_resend_text(a->row, resend, sizeof resend);
		set(e, "resend", resend);
	}
	set(lab, "segment", buf);
}

/* The scenario's notes (TRACE_NOTE), each at its place (in its side's
 * state column, placed with the events: graph_ladder_layout.c), "✎ " and
 * the text wrapped, in the neutral ink, upright: the one family installed
 * (fonts-dejavu-core) has no oblique face, and the slanted stand-in a
 * machine finds measures differently from one machine to the next. */
static void draw_notes(struct pic *P, const struct layout *L)
{
	const struct trace_log *log = L->lad.log;
	char buf[TEXT_MAX], lines[TEXT_MAX];

	for (size_t k = 0; k < L->end_ev; k++) {
		const struct trace_event *ev = &log->ev[k];
		if (ev->type != TRACE_NOTE || L->col[k] == COL_NONE)
			continue;
		int n = note_text(ev, lines, sizeof lines), s = note_side(L, ev);
		snprintf(buf, sizeof buf, "\u270E %s", ev->u.note.text);
		double w = note_width(ev);
		double x = s == LADDER_LEFT ? L->x_state[0] - w / 2 : L->x_state[1] + w / 2;
		Agnode_t *nd = text_at(P, "note", x, L->y[k] + (n - 1) * NOTE_LINE_PT / 2, w, lines,
				       s == LADDER_LEFT ? 'r' : 'l');
		set(nd, "fontname", STYLE_FONT);
		set(nd, "fontcolor", STYLE_TEXT_COLOUR);
		set(nd, "text", buf);
		set_ev_id(nd, k, "note");
	}
}

/* Which marks the picture uses, for its legend. */
struct marks {
	bool drop, resend, forged, duplicate, timer, step;
};

/* The marks the layout's rows and arrows use. */
static struct marks used_marks(const struct layout *L)
{
	struct marks m = { 0 };

	for (size_t i = 0; i < L->n_arrows; i++) {
		m.drop |= L->arrows[i].dropped;
		m.resend |= L->arrows[i].row->resend != RESEND_NONE;
		m.forged |= L->arrows[i].row->forged;
		m.duplicate |= L->arrows[i].duplicated;
	}
	for (size_t k = 0; k < L->lad.n_rows; k++) {
		const struct ladder_row *r = &L->lad.rows[k];
		m.timer |= r->kind == LADDER_ROW_TIMER || (r->kind == LADDER_ROW_STATE && r->timer_fired);
		m.step |= r->kind == LADDER_ROW_STATE && r->step && shows_states(L, r->side);
	}
	return m;
}

/* The legend under the picture, when it uses a mark: each mark in its
 * colour and what it means, on one line. Returns the height it takes. */
static double draw_legend(struct pic *P, const struct layout *L, double y)
{
	struct marks m = used_marks(L);
	char html[TEXT_MAX * 2], plain[TEXT_MAX];
	size_t len = 0, plen = 0;
	const struct { bool on; const char *mark, *colour, *words; } items[] = {
		{ m.step, "\u2776", NULL, "step, numbered as in the state diagram" },
		{ m.drop, STYLE_DROP_MARK, STYLE_DROP_COLOUR, "lost" },
		{ m.resend, STYLE_RETRANSMIT_MARK, STYLE_RETRANSMIT_COLOUR, "sent again (timer, how often)" },
		{ m.timer, LADDER_TIMER_MARK, NULL, "timer set or expired" },
		{ m.forged, STYLE_FORGED_MARK, STYLE_FORGED_COLOUR, "forged (inject)" },
		{ m.duplicate, STYLE_DUPLICATE_MARK, STYLE_DUPLICATE_COLOUR, "delivered twice" },
	};

	html[0] = plain[0] = '\0';
	for (size_t i = 0; i < sizeof items / sizeof items[0]; i++) {
		if (!items[i].on)
			continue;
		char mark[32];
		/* The spaces after a mark inside its span: slack for a renderer
		 * whose glyph is wider than Graphviz's estimate. */
		snprintf(mark, sizeof mark, "%s  ", items[i].mark);
		html_span(html, sizeof html, &len, mark, items[i].colour, true);
		html_span(html, sizeof html, &len, items[i].words, NULL, false);
		html_span(html, sizeof html, &len, "      ", NULL, false);
		plen += (size_t)snprintf(plain + plen, plen < sizeof plain ? sizeof plain - plen : 0, "%s%s %s",
					 plen ? "     " : "", items[i].mark, items[i].words);
	}
	if (!len)
		return 0;
	Agnode_t *n = html_at(P, "legend", L->width / 2, y + PITCH_PT / 2, text_width(plain), html, 'c');
	set(n, "fontname", STYLE_FONT);
	set(n, "fontcolor", STYLE_TEXT_COLOUR);
	set(n, "text", plain);
	return 2 * PITCH_PT;
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
	agattr(P->g, AGNODE, "fontname", STYLE_FONT_MONO);
	agattr(P->g, AGNODE, "fontsize", FONT_SIZE);
	agattr(P->g, AGNODE, "margin", "0.04,0.02");
	agattr(P->g, AGNODE, "style", "filled");
	agattr(P->g, AGNODE, "fillcolor", "#ffffffdd");
	agattr(P->g, AGNODE, "color", "transparent");
	agattr(P->g, AGNODE, "label", "\\N");
	agattr(P->g, AGEDGE, "color", STYLE_LINE_COLOUR);
	agattr(P->g, AGEDGE, "arrowsize", "0.8");
	agattr(P->g, AGEDGE, "segment", "");
	agattr(P->g, AGNODE, "segment", "");
	agattr(P->g, AGNODE, "step", "");
	/* The plain text of an HTML-like label (states, segment labels), for
	 * whoever reads the dot output back. */
	agattr(P->g, AGNODE, "text", "");
	agattr(P->g, AGEDGE, "resend", "");
}

/* The whole picture as a graph. The layout's y are shifted below the title
 * and the endpoint heads first. */
Agraph_t *build_graph(struct layout *L)
{
	struct pic P = { 0 };

	P.g = agopen(L->lad.log->name ? L->lad.log->name : "ladder", Agdirected, NULL);
	if (!P.g)
		return NULL;
	/* The legend under the picture; on a page of --slides, of the marks
	 * that page uses, in its foot above "continued". */
	double legend_y = L->bottom + (L->lad.left_out ? 2 * PITCH_PT : 0);
	struct marks m = used_marks(L);
	bool legend = m.drop || m.resend || m.forged || m.duplicate || m.timer || m.step;
	if (L->page_h > 0)
		legend_y = L->page_h - MARGIN_PT - 1.5 * SUMMARY_PT - 8 - PITCH_PT / 2;
	P.height = L->page_h > 0 ? L->page_h : legend_y + (legend ? 2 * PITCH_PT : 0) + MARGIN_PT;
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
	draw_notes(&P, L);
	if (legend)
		draw_legend(&P, L, legend_y);
	return P.g;
}
