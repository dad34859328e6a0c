/* page.h - the step-through page: NAME.html, one self-contained file that
 * shows the ladder and the state diagram side by side and walks through
 * the run one step at a time (page_steps.h), the current segment
 * highlighted on the ladder, each endpoint's state and the arc just taken
 * on the diagram, the event in words with its RFC 9293 row, the timers
 * running and both endpoints' variables. Its script and style sheet
 * (page.js, page.css) are inside it: it opens from disk with the network
 * off. Reads only the trace. */
#ifndef TCPSIM_PAGE_H
#define TCPSIM_PAGE_H

#include <stddef.h>
#include <stdint.h>
#include "output/graph.h"
#include "trace/trace_log.h"

/* What the page says beyond the trace. */
struct page_context {
	const char *scenario_path;   /* the file the run read, for the other connections' command */
	uint32_t connections;        /* connections the scenario makes (its clients); 0 or 1: one */
	uint32_t shown;              /* the one shown, 1..connections */
	const struct graph_ladder_view *view;   /* the ladder's time axis (NULL: compressed); its
						   window (--from/--to) is not the page's */
	const char *ladder_svg;      /* the ladder already rendered as SVG for this log and axis, whole
					(run's NAME.ladder.svg), or NULL: the page renders it */
	size_t ladder_len;
};

/* The page of log (kept with trace_log.keep_vars for the variables table)
 * as bytes: *data (malloc'd, the caller frees it) holds *len bytes.
 * Returns 0, or -1 with a message in err (*data NULL then). */
int page_render(const struct trace_log *log, const struct page_context *ctx, char **data, size_t *len, char *err,
		size_t errlen);

/* page_render's bytes as `name` into a set of files (out_set.h). */
struct out_set;
int page_put(struct out_set *set, const char *name, const struct trace_log *log, const struct page_context *ctx,
	     char *err, size_t errlen);

#endif
