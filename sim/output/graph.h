/* graph.h - pictures for slides, drawn with Graphviz (cgraph builds the
 * graph, gvc lays it out and renders it). Both read only the trace.
 *
 * format is "svg", "png", "pdf" or "dot". Each function writes the whole
 * file or nothing: errors are returned with a message, never printed. */
#ifndef TCPSIM_GRAPH_H
#define TCPSIM_GRAPH_H

#include <stdbool.h>
#include <stddef.h>
#include "trace/trace_log.h"

/* Which endpoints a picture shows. */
enum graph_side { GRAPH_BOTH = 0, GRAPH_CLIENT, GRAPH_SERVER };

/* The RFC 9293 state diagram, laid out as the textbook figure. With a
 * trace (log not NULL), each endpoint's path is drawn on it: the client's
 * and the server's in their own colour and line style, each traversed arc
 * numbered in the order it happened, the rest light grey, with a legend
 * and the scenario's summary as title. log NULL: the plain diagram, titled
 * `title` (may be NULL). Returns 0, or -1 with a message in err. */
int graph_states_write(const struct trace_log *log, enum graph_side side, const char *title,
		       const char *format, const char *path, char *err, size_t errlen);

/* What the state diagram shows besides the paths. Zeroed (or NULL): the
 * default picture. self_loops: the rows of the state table a shown side
 * took without changing state (S01-S18, the resets ignored, the
 * retransmissions T52a-f), each a small loop on its state in the side's
 * colour and line style, labelled with the row's words and ID, no step
 * number; the states and arcs stay where they are. */
struct graph_states_view {
	bool self_loops;
};
int graph_states_write_view(const struct trace_log *log, enum graph_side side, const char *title,
			    const struct graph_states_view *view, const char *format, const char *path, char *err,
			    size_t errlen);

/* How the ladder's time axis maps time to height (graph_ladder.c,
 * "Vertical scale"). Every mode keeps time order, and a longer gap between
 * two events is never drawn shorter than a shorter one (where labels need
 * no room):
 *   COMPRESSED (default) to scale up to two one-way delays; a longer gap
 *              grows as its fourth root, so each doubling of a backoff is
 *              drawn about 1.19 times taller, marked as a break and
 *              labelled with its length;
 *   LINEAR     one scale throughout (one one-way delay, or 1/60 of the run
 *              when that is longer), no breaks;
 *   LOG        every gap as log2(1 + gap / one-way delay), breaks marked. */
enum graph_time { GRAPH_TIME_COMPRESSED = 0, GRAPH_TIME_LINEAR, GRAPH_TIME_LOG };

/* What part of the run the ladder shows, and how. Zeroed: all of it,
 * compressed. */
struct graph_ladder_view {
	enum graph_time time;
	bool has_from, has_to;
	usec_t from, to;             /* the rows of times from..to (inclusive) */
};

/* The time-sequence (ladder) diagram: time flows down, two lifelines,
 * each segment a sloped arrow labelled in the segment notation, a dropped
 * one ending in a cross halfway, states written beside the lifelines when
 * entered, the time axis on the left with long idle gaps compressed (and
 * marked so). view NULL: all of it, compressed. Returns 0, or -1 with a
 * message in err. */
int graph_ladder_write(const struct trace_log *log, enum graph_side side,
		       const char *format, const char *path, char *err, size_t errlen);
int graph_ladder_write_view(const struct trace_log *log, enum graph_side side, const struct graph_ladder_view *view,
			    const char *format, const char *path, char *err, size_t errlen);

/* The same pictures as bytes, for files written together (out_set.h):
 * *data (malloc'd, the caller frees it) holds *len bytes of the picture.
 * Returns 0, or -1 with a message in err (*data NULL then). */
int graph_states_render(const struct trace_log *log, enum graph_side side, const char *title,
			const char *format, char **data, size_t *len, char *err, size_t errlen);
int graph_states_render_view(const struct trace_log *log, enum graph_side side, const char *title,
			     const struct graph_states_view *view, const char *format, char **data, size_t *len,
			     char *err, size_t errlen);
int graph_ladder_render(const struct trace_log *log, enum graph_side side, const char *format, char **data,
			size_t *len, char *err, size_t errlen);
int graph_ladder_render_view(const struct trace_log *log, enum graph_side side, const struct graph_ladder_view *view,
			     const char *format, char **data, size_t *len, char *err, size_t errlen);

/* --slides: the ladder as 16:9 pages that each stand alone (the title with
 * "k/n" and "continued", the endpoints' heads and the states at its start
 * repeated, "continued on page k+1" at the foot), the rows split between
 * them where they fill a page; a page holds one row at least (a gap taller
 * than a page makes it taller). At most GRAPH_LADDER_MAX_PAGES pages: rows
 * past them are on no page (the whole picture keeps them). */
#define GRAPH_LADDER_MAX_PAGES 40
struct graph_pages {
	size_t n;
	char *data[GRAPH_LADDER_MAX_PAGES];   /* malloc'd */
	size_t len[GRAPH_LADDER_MAX_PAGES];
};
/* Renders the pages into *pages (zeroed first; graph_pages_free frees it,
 * also after a failure). Returns 0, or -1 with a message in err. */
int graph_ladder_render_pages(const struct trace_log *log, enum graph_side side, const struct graph_ladder_view *view,
			      const char *format, struct graph_pages *pages, char *err, size_t errlen);
void graph_pages_free(struct graph_pages *pages);

/* Renders the state diagram (ladder false) or the ladder of both endpoints
 * in format and writes it as `name` into a set of files (out_set.h), which
 * puts it in place with the rest. Returns 0, or -1 with a message in err. */
struct out_set;
int graph_put(struct out_set *set, const char *name, const struct trace_log *log, bool ladder, const char *format,
	      char *err, size_t errlen);
/* The state diagram of both endpoints drawn as view says (NULL: the
 * default), as `name`. */
int graph_put_states(struct out_set *set, const char *name, const struct trace_log *log,
		     const struct graph_states_view *view, const char *format, char *err, size_t errlen);
/* The ladder drawn as view says (NULL: the default), as `name`. */
int graph_put_ladder(struct out_set *set, const char *name, const struct trace_log *log,
		     const struct graph_ladder_view *view, const char *format, char *err, size_t errlen);
/* The ladder's pages (--slides) as PREFIX-1.FORMAT, PREFIX-2.FORMAT, ...
 * into the set. Returns 0, or -1 with a message in err. */
int graph_put_ladder_pages(struct out_set *set, const char *prefix, const struct trace_log *log,
			   const struct graph_ladder_view *view, const char *format, char *err, size_t errlen);

#endif
