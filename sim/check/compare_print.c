/* compare_print.c - a compare_result as text (two columns, simulator |
 * kernel) and as markdown tables, each difference tagged with its rule,
 * "Linux cannot" or UNEXPECTED, then the calls Linux cannot make and the
 * summary line. Out of compare.c, which classifies. */
#include <stdio.h>
#include "check/compare.h"

static const char *tag(const struct cmp_row *r)
{
	return !cmp_row_differs(r) ? "" : r->known ? r->known : r->cannot ? "Linux cannot" : "UNEXPECTED";
}

/* "1.050" for whole milliseconds, else six decimals, as the ladder. */
static void fmt_time(usec_t t, char *buf, size_t cap)
{
	if (t % USEC_PER_MS == 0)
		snprintf(buf, cap, "%.3f", (double)t / 1e6);
	else
		snprintf(buf, cap, "%.6f", (double)t / 1e6);
}

static void cell(const struct cmp_row *r, bool kernel, char *buf, size_t cap)
{
	char t[32];

	if (!(kernel ? r->has_kernel : r->has_sim)) {
		buf[0] = '\0';
		return;
	}
	fmt_time(kernel ? r->kernel_t : r->sim_t, t, sizeof t);
	snprintf(buf, cap, "%s %s", t, kernel ? r->kernel : r->sim);
}

/* The calls Linux cannot make, one line each after lead. */
static void print_cannot(FILE *out, const struct compare_result *res, const char *lead)
{
	char t[32];

	for (size_t i = 0; i < res->n_cannot_calls && i < CMP_CANNOT_MAX; i++) {
		const struct cmp_cannot *c = &res->cannot[i];
		fmt_time(c->t, t, sizeof t);
		fprintf(out, "%s%s the %s's %s: %s\n", lead, t, c->endpoint, user_call_name(c->call), c->why);
	}
	if (res->n_cannot_calls > CMP_CANNOT_MAX)
		fprintf(out, "%sand %zu more\n", lead, res->n_cannot_calls - CMP_CANNOT_MAX);
}

static void print_summary(FILE *out, const char *name, const struct compare_result *res, const char *pre)
{
	fprintf(out, "%s%s: %zu known differences, %zu Linux cannot, %zu unexpected (time tolerance %.1f ms; "
		     "windows and options not compared: K2, K5): %s\n",
		pre, name, res->n_known, res->n_cannot, res->n_unexpected, (double)res->tolerance_us / 1e3,
		res->n_unexpected ? "DIFFERENT" : "ok");
}

void compare_print_text(FILE *out, const char *name, const struct compare_result *res)
{
	char a[128], b[128];

	fprintf(out, "%s: simulator | kernel\n", name);
	for (int s = 0; s < CMP_SECTIONS; s++) {
		const struct cmp_section *sec = &res->sec[s];
		fprintf(out, "\n%s\n", sec->title);
		for (size_t i = 0; i < sec->n; i++) {
			const struct cmp_row *r = &sec->rows[i];
			cell(r, false, a, sizeof a);
			cell(r, true, b, sizeof b);
			if (!cmp_row_differs(r)) {
				fprintf(out, "  %-48s | %s\n", a, b);
				continue;
			}
			char c[160];
			snprintf(c, sizeof c, "%s", b);
			if (r->kind == CMP_TIME) {
				long long d = (long long)r->kernel_t - (long long)r->sim_t;
				snprintf(c, sizeof c, "%s (%+.1f ms)", b, (double)d / 1e3);
			}
			fprintf(out, "%c %-48s | %-56s %s%s\n", r->known || r->cannot ? '~' : '!', a, c,
				r->known ? "known " : "", tag(r));
		}
	}
	putc('\n', out);
	if (res->n_cannot_calls) {
		fprintf(out, "Linux cannot (from here on the two runs tell different stories):\n");
		print_cannot(out, res, "  ");
		putc('\n', out);
	}
	print_summary(out, name, res, "");
}

void compare_print_markdown(FILE *out, const char *name, const char *summary,
			    const struct compare_result *res)
{
	char a[128], b[128];

	fprintf(out, "# %s: simulator and Linux\n\n", name);
	if (summary)
		fprintf(out, "%s\n\n", summary);
	fprintf(out, "Differences are tagged with their rule in docs/linux-differences.md, \"Linux cannot\" "
		     "(after a call Linux cannot make as the scenario means it, listed below), or UNEXPECTED.\n");
	for (int s = 0; s < CMP_SECTIONS; s++) {
		const struct cmp_section *sec = &res->sec[s];
		fprintf(out, "\n## %s\n\n| simulator | kernel | difference |\n|---|---|---|\n", sec->title);
		for (size_t i = 0; i < sec->n; i++) {
			const struct cmp_row *r = &sec->rows[i];
			cell(r, false, a, sizeof a);
			cell(r, true, b, sizeof b);
			char d[64] = "";
			if (cmp_row_differs(r)) {
				if (r->kind == CMP_TIME)
					snprintf(d, sizeof d, "%s (%+.1f ms)", tag(r),
						 ((double)r->kernel_t - (double)r->sim_t) / 1e3);
				else
					snprintf(d, sizeof d, "%s", tag(r));
			}
			fprintf(out, "| %s | %s | %s |\n", a, b, d);
		}
	}
	if (res->n_cannot_calls) {
		fprintf(out, "\n## Linux cannot\n\nFrom the first of these calls on, the two runs tell different "
			     "stories.\n\n");
		print_cannot(out, res, "- ");
	}
	putc('\n', out);
	print_summary(out, name, res, "");
}
