/* graph_states.c - RFC 9293's state diagram (Figure 5), laid out as the
 * textbook figure, with each endpoint's path of a trace drawn on it.
 *
 * The shape is the plain figure's (the skeleton, graph_states_pin.c), laid
 * out by dot once from rows, each a rank=same subgraph kept in order by
 * invisible edges: CLOSED at the top (the legend beside it), LISTEN, the
 * handshake states (SYN_RECEIVED left, SYN_SENT right), ESTABLISHED in the
 * middle, the active-close states down the left, the passive-close states
 * down the right, CLOSING and TIME_WAIT in the centre and the second CLOSED
 * beside TIME_WAIT; three `group`s keep the columns straight, the back arcs
 * (CLOSE to CLOSED, rcv RST to LISTEN) bend around the others, and the row
 * and column gaps are the first that leave nothing overlapping
 * (graph_states_spacing.c). Every picture then puts the states, Figure 5's
 * arcs and their labels exactly there (a fixed layout: a series of slides
 * lines up) and only the arcs' colours and badges change; the arcs outside
 * Figure 5 a trace took are routed around the rest.
 *
 * With a trace, each shown endpoint's state changes are numbered 1, 2, 3...
 * in trace order; an arc it took is drawn in its colour and line style
 * (style.h: client solid blue, server dashed orange, Okabe-Ito, colour-blind
 * safe and apart in grey-scale) with a badge of its numbers in that colour
 * above the arc's words; an arc both took is two lines side by side under
 * one label with both badges. The rest is light grey. Arcs outside Figure 5
 * (resets, ABORT, T28 ...) are drawn only when taken; self-loops only when
 * asked (--self-loops, graph_states_loops.c), without a step number.
 *
 * The DOT file holds every position (layout=nop2), so `dot -Tsvg
 * NAME.states.dot` draws exactly the pictures written.
 *
 * Every edge carries `arc` (the state table's ID, "" when the trace gave
 * none we know), a unique `id`, and on a path `endpoint` and `steps`
 * ("2" or "3,7"), so that the DOT file can be checked and edited.
 *
 * This file holds the entry points, Graphviz's messages and the rendering;
 * the parts that build and lay out are in the files graph_states_int.h
 * lists. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>
#include "base/bigarray.h"
#include "output/graph.h"
#include "base/isolate.h"
#include "output/graph_render.h"
#include "output/graph_states_int.h"

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
		if (c->g) {                  /* Graphviz lays out one graph at a time */
			gvFreeLayout(gvc, c->g);
			agclose(c->g);
			c->g = NULL;
		}
		g = agmemread(c->dot);
		if (!g)
			return -1;
		set(g, "dpi", "144");
		if (gvLayout(gvc, g, PINNED_ENGINE) != 0) {
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

/* Whether format is one the diagram is written in: svg, png, pdf, dot. */
static bool known_format(const char *format)
{
	static const char *const formats[] = { "svg", "png", "pdf", "dot" };

	for (size_t i = 0; format && i < sizeof formats / sizeof formats[0]; i++)
		if (strcmp(format, formats[i]) == 0)
			return true;
	return false;
}

/* Builds the picture on the skeleton's positions and turns it into the
 * bytes of the file. */
static int produce(struct picture *p, enum graph_side side, const char *title, const char *format,
		   char **data, size_t *len, char *err, size_t errlen)
{
	struct candidate c;
	int rc = -1;

	if (!graph_gvc() || skeleton_layout(&p->skeleton) < 0) {
		snprintf(err, errlen, "state diagram: Graphviz cannot lay out Figure 5%s%s",
			 gv_msg.text[0] ? ": " : "", gv_msg.text);
		return -1;
	}
	if (build(p, side, title) < 0) {
		snprintf(err, errlen, "state diagram: out of memory");
		return -1;
	}
	if (pinned_layout(p, &c) < 0 || (p->self_loops && p->log && add_self_loops(p, &c) < 0)) {
		drop_candidate(&c);
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

/* See graph.h: the default picture. */
int graph_states_write(const struct trace_log *log, enum graph_side side, const char *title,
		       const char *format, const char *path, char *err, size_t errlen)
{
	return graph_states_write_view(log, side, title, NULL, format, path, err, errlen);
}

/* See graph.h: graph_states_render_view, and the file through graph_write_file. */
int graph_states_write_view(const struct trace_log *log, enum graph_side side, const char *title,
			    const struct graph_states_view *view, const char *format, const char *path, char *err,
			    size_t errlen)
{
	char *data = NULL;
	size_t len = 0;

	if (!known_format(format)) {
		snprintf(err, errlen, "%s: unknown format \"%s\" (svg, png, pdf or dot)", path,
			 format ? format : "");
		return -1;
	}
	int rc = graph_states_render_view(log, side, title, view, format, &data, &len, err, errlen);
	if (rc == 0)
		rc = graph_write_file(path, data, len, err, errlen);
	free(data);
	return rc;
}

/* What one state diagram is made of, for its process (isolate_run). */
struct states_job {
	const struct trace_log *log;
	enum graph_side side;
	const char *title, *format;
	struct graph_states_view view;
};

/* Draws job's picture (in a child process): Graphviz's messages are kept
 * (keep_message) while it runs. */
static int states_job_run(void *ctx, char **data, size_t *len, char *err, size_t errlen)
{
	const struct states_job *job = ctx;
	struct picture p = { .log = job->log, .ep = { -1, -1 }, .legend = job->log != NULL,
			     .self_loops = job->view.self_loops };

	memset(&gv_msg, 0, sizeof gv_msg);
	agusererrf old_f = agseterrf(keep_message);
	agerrlevel_t old_level = agseterr(AGWARN);
	int rc = produce(&p, job->side, job->title, job->format, data, len, err, errlen);
	agseterr(old_level);
	agseterrf(old_f);
	if (p.g)
		agclose(p.g);
	if (p.skeleton)
		agclose(p.skeleton);
	bigarray_free(p.arcs, p.cap_arcs * sizeof *p.arcs);
	if (rc < 0) {
		free(*data);
		*data = NULL;
	}
	return rc;
}

/* See graph.h. Graphviz runs in a child process: its layout double-frees
 * on some graphs (isolate.h), which then cost this picture, not the run.
 * The ladder's too, so that Graphviz's fonts never start threads in this
 * process, which a later fork would copy in the middle of their work. */
int graph_states_render_view(const struct trace_log *log, enum graph_side side, const char *title,
			     const struct graph_states_view *view, const char *format, char **data, size_t *len,
			     char *err, size_t errlen)
{
	struct states_job job = { log, side, title, format, view ? *view : (struct graph_states_view){ 0 } };
	char why[256];

	*data = NULL;
	*len = 0;
	if (!known_format(format)) {
		snprintf(err, errlen, "unknown format \"%s\" (svg, png, pdf or dot)", format ? format : "");
		return -1;
	}
	int rc = isolate_run(states_job_run, &job, data, len, err, errlen);
	if (rc == -2) {
		snprintf(why, sizeof why, "%s", err);
		snprintf(err, errlen, "state diagram: Graphviz %s drawing it", why);
	}
	return rc < 0 ? -1 : 0;
}

/* See graph.h: the default picture. */
int graph_states_render(const struct trace_log *log, enum graph_side side, const char *title,
			const char *format, char **data, size_t *len, char *err, size_t errlen)
{
	return graph_states_render_view(log, side, title, NULL, format, data, len, err, errlen);
}
