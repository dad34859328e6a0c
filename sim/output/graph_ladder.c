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
 * time since the previous event moves down by UNIT_PT per one-way delay (the
 * shortest delay a delivered segment took), so arrows slope; a gap longer than
 * IDLE_UNITS delays is drawn BREAK_PT high instead, with a zig-zag on the
 * axis, dashed lifelines and "≈ 3.9 s idle". A label needs room: a segment
 * sent, or a state written beside a lifeline, is at least PITCH_PT below the
 * previous one in its column, and two arrivals at a lifeline are ARRIVE_PT
 * apart, whatever the time says (a window of segments sent at one instant
 * becomes a fan of arrows). The axis prints the time at the first event of
 * each instant that has room for it.
 *
 * Labels. Each segment's label sits on its arrow (a white box the arrow
 * passes behind): at the middle, or a little towards either end when that
 * crosses fewer other arrows, and never within PITCH_PT of a label placed
 * before it that shares its columns. When some label finds no such place (a
 * crowded picture), all of them are stacked instead: in send order, each at
 * least PITCH_PT below the previous one, each still on its arrow. No two
 * labels overlap either way. A dropped segment's label stays clear of its
 * cross; the space between the lifelines holds two labels side by side.
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

/* See graph.h: graph_ladder_render, and the file through graph_write_file,
 * as graph_states_write does. */
int graph_ladder_write(const struct trace_log *log, enum graph_side side, const char *format,
		       const char *file, char *err, size_t errlen)
{
	char *data;
	size_t len;
	int rc = graph_ladder_render(log, side, format, &data, &len, err, errlen);

	if (rc == 0)
		rc = graph_write_file(file, data, len, err, errlen);
	free(data);
	return rc;
}

/* What one ladder is made of, for its process (isolate_run). */
struct ladder_job {
	const struct trace_log *log;
	enum graph_side side;
	const char *format;
};

/* Draws job's ladder (in a child process). */
static int ladder_job_run(void *ctx, char **data, size_t *len, char *err, size_t errlen)
{
	const struct ladder_job *job = ctx;
	struct layout L;
	Agraph_t *g = NULL;
	int rc = -1;

	int level = agseterr(AGMAX);
	if (layout_build(&L, job->log, job->side) < 0 || !(g = build_graph(&L)))
		snprintf(err, errlen, "out of memory");
	else
		rc = render(g, job->format, data, len, err, errlen);
	if (g)
		agclose(g);
	layout_free(&L);
	agseterr(level);
	return rc;
}

/* See graph.h. Graphviz runs in a child process, as for the state diagram
 * (isolate.h): a crash in it costs the picture, not the run. */
int graph_ladder_render(const struct trace_log *log, enum graph_side side, const char *format, char **data,
			size_t *len, char *err, size_t errlen)
{
	struct ladder_job job = { log, side, format };
	char why[256];

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
	if (!log || !log->trace || log->out_of_memory) {
		snprintf(err, errlen, "the trace is incomplete");
		return -1;
	}
	int rc = isolate_run(ladder_job_run, &job, data, len, err, errlen);
	if (rc == -2) {
		snprintf(why, sizeof why, "%s", err);
		snprintf(err, errlen, "ladder: Graphviz %s drawing it", why);
	}
	return rc < 0 ? -1 : 0;
}
