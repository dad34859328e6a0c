/* graph_ladder.c - the ladder (time-sequence) diagram as a picture: time
 * flows down, the client's lifeline on the left, the server's on the right,
 * each segment a sloped arrow from (sender, time sent) to (receiver, time
 * delivered), labelled in the segment notation.
 *
 * The rows are the text ladder's (ladder_build: the initial states, every
 * state entered, every segment sent); deliveries are placed too, so that an
 * arrow ends where its segment arrived. Every node is pinned (pos "x,y!")
 * and Graphviz only draws: the "nop" layout keeps the positions and routes
 * the edges as straight lines.
 *
 * Vertical scale. Events are placed one after the other in trace order. The
 * time since the previous event moves down by a height that grows with it
 * (time_height, graph.h's enum graph_time): by default UNIT_PT per one-way
 * delay (the shortest delay a delivered segment took), so arrows slope, up to
 * IDLE_UNITS delays; a longer gap grows as its fourth root, is drawn with a
 * zig-zag on the axis and dashed lifelines, and says "≈ 3.9 s idle". So a
 * longer gap is never drawn shorter than a shorter one, and a backoff's
 * doublings grow visibly (--time linear and log are the other two rules).
 * A label needs room: a state written beside a lifeline is at least
 * PITCH_PT below the previous one in its column; a send, and an arrival,
 * is below the previous one of its column by what its label needs to lie
 * between two parallel arrows (LABEL_H_PT and the label's width times the
 * arrow's slope), whatever the time says: a window of segments sent at one
 * instant becomes a fan of parallel arrows, a label between each two. The
 * axis prints the time at the first event of each instant that has room for
 * it. --from/--to keep the rows of a stretch of time, headed by the states
 * then.
 *
 * Labels. Each segment's label sits beside its arrow, above it or below it,
 * never on it: at the middle, or towards either end, the first place that
 * meets no arrow, no drop's cross and no label placed before. Where arrows
 * cross each other (a window's data and its ACKs) a label may find none:
 * it then goes where it meets fewest arrows, never over another label, and
 * those arrows pass behind its white box. A dropped segment's cross is
 * halfway, or further when its label needs the room before it. The picture
 * is as narrow as one label beside its arrow allows, so that its text reads
 * on a 16:9 slide (graph_ladder_int.h, FONT_PT).
 *
 * Pages (--slides). The rows are split into 16:9 pages of the whole
 * picture's width (so its text keeps its size), each page as many rows as
 * its own layout fits (found by doubling, then halving, the rows tried);
 * each page is laid out on its own, in the whole picture's columns and
 * scale, headed by the title "NAME (k/n, continued)", the endpoints' heads
 * and the states when it starts, the idle gap since the previous page's
 * last row at its top. A segment is drawn on the page it was sent on, to
 * its delivery, which may lie below that page's last row.
 *
 * Where it falls short: a window of many segments sent at one instant is
 * drawn as a fan of steep parallel arrows (the deliveries come after all
 * the sends), and where such a fan crosses its ACKs, a label may find no
 * place that no other arrow crosses (tests/output/
 * test_graph_ladder_layout.c counts them: KNOWN_LABEL_CROSSINGS).
 *
 * Length. A picture nobody can read costs memory and minutes all the same
 * (a 2 GiB send is 1.5 million arrows): the picture draws the first
 * GRAPH_LADDER_MAX_ROWS rows and says under the title how many it left out
 * and where it stopped; the trace, the pcap and the text ladder keep all.
 *
 * Graphviz 2.43 needs two workarounds, both in the rendering section: one
 * context for the process, and the nop layout's node list freed by hand.
 *
 * This file holds the entry points and the rendering; the layout and the
 * drawing are in the files graph_ladder_int.h lists. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gvc.h>
#include "base/isolate.h"
#include "output/graph.h"
#include "output/graph_render.h"
#include "output/graph_ladder_int.h"

/* ---- rendering ------------------------------------------------------------ */

/* Frees g's layout. Graphviz 2.43's nop layout leaves its node list
 * allocated (neato frees it only after a layout of its own), so it goes
 * here; gvFreeLayout does not touch it. */
static void free_layout(GVC_t *gvc, Agraph_t *g)
{
	free(GD_neato_nlist(g));
	GD_neato_nlist(g) = NULL;
	gvFreeLayout(gvc, g);
}

/* Lays g out (positions kept) and renders it in format to *data (malloc'd)
 * and *data_len. */
static int render(Agraph_t *g, const char *format, char **data, size_t *data_len, char *err, size_t errlen)
{
	GVC_t *gvc = graph_gvc();
	char *buf = NULL;
	unsigned int len = 0;
	int rc = -1;

	if (!gvc) {
		snprintf(err, errlen, "Graphviz could not start");
		return -1;
	}
	if (strcmp(format, "png") == 0)
		agsafeset(g, "dpi", "144", "");
	if (gvLayout(gvc, g, "nop") != 0) {
		snprintf(err, errlen, "Graphviz could not lay out the ladder");
		return -1;
	}
	if (gvRenderData(gvc, g, graph_renderer(format), &buf, &len) != 0 || !buf) {
		snprintf(err, errlen, "Graphviz could not render %s", format);
	} else {
		if (strcmp(format, "pdf") == 0)
			graph_pdf_fix_date(buf, len);
		if ((*data = malloc(len ? len : 1))) {
			memcpy(*data, buf, len);
			*data_len = len;
			rc = 0;
		} else {
			snprintf(err, errlen, "out of memory");
		}
	}
	if (buf)
		gvFreeRenderData(buf);
	free_layout(gvc, g);
	return rc;
}

/* See graph.h: graph_ladder_write_view, all of it, compressed. */
int graph_ladder_write(const struct trace_log *log, enum graph_side side, const char *format,
		       const char *file, char *err, size_t errlen)
{
	return graph_ladder_write_view(log, side, NULL, format, file, err, errlen);
}

/* See graph.h: graph_ladder_render_view, and the file through
 * graph_write_file, as graph_states_write does. */
int graph_ladder_write_view(const struct trace_log *log, enum graph_side side, const struct graph_ladder_view *view,
			    const char *format, const char *file, char *err, size_t errlen)
{
	char *data;
	size_t len;
	int rc = graph_ladder_render_view(log, side, view, format, &data, &len, err, errlen);

	if (rc == 0)
		rc = graph_write_file(file, data, len, err, errlen);
	free(data);
	return rc;
}

/* A laid-out ladder, for its process (isolate_run). */
struct ladder_job {
	struct layout *L;
	const char *format;
};

/* Draws job's laid-out ladder as a graph and renders it (in a child). */
static int ladder_job_run(void *ctx, char **data, size_t *len, char *err, size_t errlen)
{
	const struct ladder_job *job = ctx;
	Agraph_t *g = build_graph(job->L);
	int rc = -1;

	if (!g)
		snprintf(err, errlen, "out of memory");
	else
		rc = render(g, job->format, data, len, err, errlen);
	if (g)
		agclose(g);
	return rc;
}

/* Renders the laid-out L in format into *data. Graphviz runs in a child
 * process, as for the state diagram (isolate.h): a crash in it costs the
 * picture, not the run. */
static int render_isolated(struct layout *L, const char *format, char **data, size_t *len, char *err,
			   size_t errlen)
{
	struct ladder_job job = { L, format };
	char why[256];
	int rc = isolate_run(ladder_job_run, &job, data, len, err, errlen);

	if (rc == -2) {
		snprintf(why, sizeof why, "%s", err);
		snprintf(err, errlen, "ladder: Graphviz %s drawing it", why);
	}
	return rc < 0 ? -1 : 0;
}

/* See graph.h: graph_ladder_render_view, all of it, compressed. */
int graph_ladder_render(const struct trace_log *log, enum graph_side side, const char *format, char **data,
			size_t *len, char *err, size_t errlen)
{
	return graph_ladder_render_view(log, side, NULL, format, data, len, err, errlen);
}

/* See graph.h. */
int graph_ladder_render_view(const struct trace_log *log, enum graph_side side, const struct graph_ladder_view *view,
			     const char *format, char **data, size_t *len, char *err, size_t errlen)
{
	struct layout L;
	int level, rc = -1;

	*data = NULL;
	*len = 0;
	if (!graph_renderer(format)) {
		snprintf(err, errlen, "unknown format \"%s\" (svg, png, pdf or dot)",
			 format ? format : "");
		return -1;
	}
	if (side != GRAPH_BOTH && side != GRAPH_CLIENT && side != GRAPH_SERVER) {
		snprintf(err, errlen, "unknown side %d", (int)side);
		return -1;
	}
	if (view && view->time != GRAPH_TIME_COMPRESSED && view->time != GRAPH_TIME_LINEAR &&
	    view->time != GRAPH_TIME_LOG) {
		snprintf(err, errlen, "unknown time axis %d", (int)view->time);
		return -1;
	}
	if (view && view->has_from && view->has_to && view->to < view->from) {
		snprintf(err, errlen, "the window ends before it starts");
		return -1;
	}
	if (!log || !log->trace || log->out_of_memory) {
		snprintf(err, errlen, "the trace is incomplete");
		return -1;
	}
	level = agseterr(AGMAX);
	if (layout_build(&L, log, side, view) < 0)
		snprintf(err, errlen, "out of memory");
	else
		rc = render_isolated(&L, format, data, len, err, errlen);
	layout_free(&L);
	agseterr(level);
	return rc;
}

/* ---- pages (--slides) ----------------------------------------------------- */

/* Lays out the page of rows [r0, r1) (ladder_build's indices). */
static int page_layout(struct layout *P, const struct layout *whole, const struct graph_ladder_view *view,
		       size_t r0, size_t r1, size_t page, size_t n_pages)
{
	struct layout_page pg = { r0, r1, page, n_pages, whole };

	return layout_build_page(P, whole->lad.log, whole->side, view, &pg);
}

/* True when a page's layout fits its 16:9 page, its foot included. */
static bool page_fits(const struct layout *P)
{
	return P->bottom + page_foot_height() <= P->page_h;
}

/* Whether rows [r0, r1) fit on page k (1-based; "continued" at its foot
 * counted). Returns 1, 0, or -1 when out of memory. */
static int rows_fit(const struct layout *whole, const struct graph_ladder_view *view, size_t r0, size_t r1,
		    size_t k)
{
	struct layout P;
	int rc = page_layout(&P, whole, view, r0, r1, k, k + 1);

	if (rc == 0)
		rc = page_fits(&P);
	layout_free(&P);
	return rc;
}

/* Where the pages break: starts[k] is page k's first row, starts[n] the end.
 * Each page takes as many rows as fit (one at least): found by doubling,
 * then halving, the rows tried. Returns the number of pages, or -1 when
 * out of memory. */
int layout_page_breaks(const struct layout *whole, const struct graph_ladder_view *view, size_t *starts)
{
	size_t first = whole->rows_skipped + 1, end = whole->rows_skipped + whole->lad.n_rows, n = 0;

	starts[0] = first;
	for (size_t r0 = first; r0 < end && n < GRAPH_LADDER_MAX_PAGES; n++) {
		size_t good = r0 + 1, step = 1;            /* rows [r0, good) fit, or are one row */
		int fit = 1;
		while (good < end && (fit = rows_fit(whole, view, r0, good + step < end ? good + step : end, n + 1)) == 1) {
			good = good + step < end ? good + step : end;
			step *= 2;
		}
		for (step /= 2; good < end && step > 0; step /= 2)
			if ((fit = rows_fit(whole, view, r0, good + step < end ? good + step : end, n + 1)) == 1)
				good = good + step < end ? good + step : end;
		if (fit < 0)
			return -1;
		starts[n + 1] = r0 = good;
	}
	return (int)n;
}

/* See graph.h. */
int graph_ladder_render_pages(const struct trace_log *log, enum graph_side side, const struct graph_ladder_view *view,
			      const char *format, struct graph_pages *pages, char *err, size_t errlen)
{
	struct layout whole;
	size_t starts[GRAPH_LADDER_MAX_PAGES + 1];
	int n, level, rc = -1;

	memset(pages, 0, sizeof *pages);
	if (!graph_renderer(format)) {
		snprintf(err, errlen, "unknown format \"%s\" (svg, png, pdf or dot)", format ? format : "");
		return -1;
	}
	if (!log || !log->trace || log->out_of_memory) {
		snprintf(err, errlen, "the trace is incomplete");
		return -1;
	}
	level = agseterr(AGMAX);
	if (layout_build(&whole, log, side, view) < 0 || (n = layout_page_breaks(&whole, view, starts)) < 0) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (n == 0)                      /* nothing in the window: one empty page */
		starts[n++ + 1] = starts[0];
	rc = 0;
	for (int k = 0; rc == 0 && k < n; k++) {
		struct layout P;
		rc = -1;
		if (page_layout(&P, &whole, view, starts[k], starts[k + 1], (size_t)k + 1, (size_t)n) < 0)
			snprintf(err, errlen, "out of memory");
		else
			rc = render_isolated(&P, format, &pages->data[k], &pages->len[k], err, errlen);
		layout_free(&P);
		pages->n = (size_t)k + 1;
	}
out:
	layout_free(&whole);
	agseterr(level);
	return rc;
}

void graph_pages_free(struct graph_pages *pages)
{
	for (size_t i = 0; i < pages->n; i++)
		free(pages->data[i]);
	memset(pages, 0, sizeof *pages);
}
