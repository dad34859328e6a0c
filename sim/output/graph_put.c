/* graph_put.c - a picture of a run into its set of output files. Above
 * both pictures (graph_ladder.c, graph_states.c) and the set (out_set.c):
 * graph_render.c, which both pictures use, stays below them. */
#include <stdio.h>
#include <stdlib.h>
#include "output/graph.h"
#include "base/out_set.h"

int graph_put(struct out_set *set, const char *name, const struct trace_log *log, bool ladder, const char *format,
	      char *err, size_t errlen)
{
	char *data;
	size_t len;
	int rc = ladder ? graph_ladder_render(log, GRAPH_BOTH, format, &data, &len, err, errlen) :
			  graph_states_render(log, GRAPH_BOTH, NULL, format, &data, &len, err, errlen);

	if (rc == 0)
		rc = out_set_write(set, name, data, len, err, errlen);
	free(data);
	return rc;
}

int graph_put_states(struct out_set *set, const char *name, const struct trace_log *log,
		     const struct graph_states_view *view, const char *format, char *err, size_t errlen)
{
	char *data;
	size_t len;
	int rc = graph_states_render_view(log, GRAPH_BOTH, NULL, view, format, &data, &len, err, errlen);

	if (rc == 0)
		rc = out_set_write(set, name, data, len, err, errlen);
	free(data);
	return rc;
}

int graph_put_ladder(struct out_set *set, const char *name, const struct trace_log *log,
		     const struct graph_ladder_view *view, const char *format, char *err, size_t errlen)
{
	char *data;
	size_t len;
	int rc = graph_ladder_render_view(log, GRAPH_BOTH, view, format, &data, &len, err, errlen);

	if (rc == 0)
		rc = out_set_write(set, name, data, len, err, errlen);
	free(data);
	return rc;
}

int graph_put_ladder_pages(struct out_set *set, const char *prefix, const struct trace_log *log,
			   const struct graph_ladder_view *view, const char *format, char *err, size_t errlen)
{
	struct graph_pages pages;
	int rc = graph_ladder_render_pages(log, GRAPH_BOTH, view, format, &pages, err, errlen);

	for (size_t i = 0; rc == 0 && i < pages.n; i++) {
		char name[TMPFILES_NAME_MAX + 1];
		snprintf(name, sizeof name, "%s-%zu.%s", prefix, i + 1, format);
		rc = out_set_write(set, name, pages.data[i], pages.len[i], err, errlen);
	}
	graph_pages_free(&pages);
	return rc;
}
