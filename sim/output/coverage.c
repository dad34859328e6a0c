/* coverage.c - the state table against the traces of a set of runs. */
#include <stdlib.h>
#include <string.h>
#include "proto/arcs.h"
#include "output/coverage.h"

void coverage_init(struct coverage *cov)
{
	memset(cov, 0, sizeof *cov);
	cov->current = -1;
}

void coverage_free(struct coverage *cov)
{
	for (size_t i = 0; i < cov->n_names; i++)
		free(cov->names[i]);
	free(cov->names);
	free(cov->hits);
	coverage_init(cov);
}

/* Grows the name list and the hit matrix by one scenario column. */
int coverage_begin(struct coverage *cov, const char *name)
{
	size_t n = cov->n_names + 1;
	/* One more each time: the hit matrix below is made anew per scenario
	 * anyway (arc_table_len rows of n), so doubling the names saves nothing. */
	char **names = realloc(cov->names, n * sizeof *names);
	if (!names)
		return -1;
	cov->names = names;
	bool *hits = calloc(arc_table_len * n, sizeof *hits);
	char *copy = strdup(name);
	if (!hits || !copy) {
		free(hits);
		free(copy);
		return -1;
	}
	for (size_t r = 0; r < arc_table_len; r++)
		for (size_t k = 0; k < cov->n_names; k++)
			hits[r * n + k] = cov->hits[r * cov->n_names + k];
	free(cov->hits);
	cov->hits = hits;
	cov->names[cov->n_names] = copy;
	cov->current = (int)cov->n_names;
	cov->n_names = n;
	return 0;
}

static void mark(struct coverage *cov, const char *id)
{
	if (!id || cov->current < 0)
		return;
	for (size_t r = 0; r < arc_table_len; r++)
		if (strcmp(arc_table[r].id, id) == 0)
			cov->hits[r * cov->n_names + (size_t)cov->current] = true;
}

static void coverage_event(void *ctx, const struct trace *tr, const struct trace_event *ev)
{
	struct coverage *cov = ctx;
	if (ev->type == TRACE_STATE)
		mark(cov, ev->u.state.arc);
	else if (ev->type == TRACE_ARC)
		mark(cov, ev->u.arc.arc);
}

struct trace_sink coverage_sink(struct coverage *cov)
{
	return (struct trace_sink){ .event = coverage_event, .ctx = cov };
}

static bool row_covered(const struct coverage *cov, size_t r)
{
	for (size_t k = 0; k < cov->n_names; k++)
		if (cov->hits[r * cov->n_names + k])
			return true;
	return false;
}

void coverage_totals(const struct coverage *cov, int *t_cov, int *t_all, int *s_cov, int *s_all)
{
	*t_cov = *t_all = *s_cov = *s_all = 0;
	for (size_t r = 0; r < arc_table_len;) {
		/* A numbered ID and its sub-rows (T52a..T52f) count once. */
		char base[8], next[8];
		arc_base_id(arc_table[r].id, base);
		bool all = true;
		size_t q = r;
		do {
			all &= row_covered(cov, q);
			q++;
			if (q < arc_table_len)
				arc_base_id(arc_table[q].id, next);
		} while (q < arc_table_len && strcmp(next, base) == 0);
		if (arc_table[r].response) {
			(*s_all)++;
			*s_cov += all;
		} else {
			(*t_all)++;
			*t_cov += all;
		}
		r = q;
	}
}

/* The scenarios of row r, comma-separated, at most `max` then "+N more". */
static void row_scenarios(const struct coverage *cov, size_t r, char *buf, size_t cap, int max)
{
	size_t len = 0;
	int shown = 0, more = 0;
	buf[0] = '\0';
	for (size_t k = 0; k < cov->n_names; k++) {
		if (!cov->hits[r * cov->n_names + k])
			continue;
		if (max && shown == max) {
			more++;
			continue;
		}
		int w = snprintf(buf + len, cap - len, "%s%s", shown ? ", " : "", cov->names[k]);
		if (w < 0 || (size_t)w >= cap - len)
			break;
		len += (size_t)w;
		shown++;
	}
	if (more)
		snprintf(buf + len, cap - len, ", +%d more", more);
}

void coverage_write_text(FILE *out, const struct coverage *cov)
{
	char list[4096];
	for (size_t r = 0; r < arc_table_len; r++) {
		const struct arc_row *a = &arc_table[r];
		row_scenarios(cov, r, list, sizeof list, 4);
		fprintf(out, "%-5s %-30s %-40s %-14s %s\n", a->id, a->from, a->event, a->to,
			list[0] ? list : "-- NOT COVERED --");
	}
	int tc, ta, sc, sa;
	coverage_totals(cov, &tc, &ta, &sc, &sa);
	fprintf(out, "%d/%d transitions, %d/%d responses\n", tc, ta, sc, sa);
}

/* A table cell: '|' and '<' would end the cell or open an HTML tag. */
static void md_cell(FILE *out, const char *s)
{
	fputs("| ", out);
	for (; *s; s++) {
		if (*s == '|')
			fputs("\\|", out);
		else if (*s == '<')
			fputs("&lt;", out);
		else
			fputc(*s, out);
	}
	fputc(' ', out);
}

void coverage_write_markdown(FILE *out, const struct coverage *cov)
{
	char list[8192];
	fprintf(out, "| ID | from | event | to | action | RFC 9293 | scenarios |\n");
	fprintf(out, "|---|---|---|---|---|---|---|\n");
	for (size_t r = 0; r < arc_table_len; r++) {
		const struct arc_row *a = &arc_table[r];
		row_scenarios(cov, r, list, sizeof list, 0);
		const char *cells[] = { a->id, a->from, a->event, a->to, a->action, a->section,
					list[0] ? list : "**not covered**" };
		for (size_t c = 0; c < sizeof cells / sizeof cells[0]; c++)
			md_cell(out, cells[c]);
		fputs("|\n", out);
	}
	int tc, ta, sc, sa;
	coverage_totals(cov, &tc, &ta, &sc, &sa);
	fprintf(out, "\n%d/%d transitions, %d/%d responses covered.\n", tc, ta, sc, sa);
}
