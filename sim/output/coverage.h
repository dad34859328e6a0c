/* coverage.h - which rows of the state table (arcs.h) a set of runs
 * traversed, read from their traces: the `arc` of every state event and
 * every arc event. */
#ifndef TCPSIM_COVERAGE_H
#define TCPSIM_COVERAGE_H

#include <stdbool.h>
#include <stdio.h>
#include "trace/trace.h"

struct coverage {
	char **names;                /* scenario names, in the order added */
	size_t n_names;
	/* hits[row * n_names + k]: row traversed in scenario k */
	bool *hits;
	size_t cap_names;
	int current;                 /* the scenario being run */
	bool oom;
};

void coverage_init(struct coverage *cov);
void coverage_free(struct coverage *cov);
/* Starts counting for a new scenario; returns -1 when out of memory. */
int coverage_begin(struct coverage *cov, const char *name);
/* A sink that marks the rows the trace names, for the current scenario. */
struct trace_sink coverage_sink(struct coverage *cov);

/* Counts: transitions (T rows, sub-rows T52a..f counted under T52, covered
 * when all are) and responses (S rows). */
void coverage_totals(const struct coverage *cov, int *t_cov, int *t_all, int *s_cov, int *s_all);
/* Every row with the scenarios that traverse it, then the totals. */
void coverage_write_text(FILE *out, const struct coverage *cov);
void coverage_write_markdown(FILE *out, const struct coverage *cov);

#endif
