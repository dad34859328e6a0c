/* compare.h - the simulator's trace and the kernel's side by side: each
 * endpoint's state sequence and the segments, aligned (a longest common
 * subsequence), each difference classified as known (a rule of
 * docs/linux-differences.md, K1 ...) or unexpected. Reads two trace_logs
 * only; nothing here runs anything. */
#ifndef TCPSIM_COMPARE_H
#define TCPSIM_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "trace/trace_log.h"

enum cmp_kind {
	CMP_SAME,          /* on both sides, times within the tolerance */
	CMP_TIME,          /* on both sides, times differ by more */
	CMP_SIM_ONLY,      /* only the simulator has it */
	CMP_KERNEL_ONLY,   /* only the kernel has it */
};

/* One line of a side-by-side table. */
struct cmp_row {
	enum cmp_kind kind;
	const char *known;           /* "K1" ... for a known difference, NULL otherwise */
	bool has_sim, has_kernel;
	usec_t sim_t, kernel_t;
	char sim[96], kernel[96];    /* the state name, or the segment without time */
};

#define CMP_SECTIONS 3           /* client states, server states, segments */

struct cmp_section {
	char title[64];
	struct cmp_row *rows;
	size_t n, cap;
};

struct compare_result {
	struct cmp_section sec[CMP_SECTIONS];
	size_t n_known, n_unexpected;
	usec_t tolerance_us;
};

/* Compares sim (the simulator's log) with kernel (the replay's). link_delay_us
 * is the scenario's largest one-way delay plus jitter: the time tolerance is
 * 5 ms + 10% of it (K7). Returns 0, or -1 when out of memory. */
int compare_logs(const struct trace_log *sim, const struct trace_log *kernel, usec_t link_delay_us,
		 struct compare_result *res);
void compare_free(struct compare_result *res);

/* Whether row is a difference (anything but CMP_SAME). */
bool cmp_row_differs(const struct cmp_row *row);

/* The two-column text (simulator | kernel), each difference tagged
 * `known Kn` or `UNEXPECTED`, then the summary line. */
void compare_print_text(FILE *out, const char *name, const struct compare_result *res);
/* The same as markdown tables. */
void compare_print_markdown(FILE *out, const char *name, const char *summary,
			    const struct compare_result *res);

#endif
