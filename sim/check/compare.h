/* compare.h - the simulator's trace and the kernel's side by side: each
 * endpoint's state sequence and the segments, aligned (a longest common
 * subsequence), each difference classified as known (a rule of
 * docs/linux-differences.md, K1 ...), "Linux cannot" (after a call the
 * replay could not make as the scenario means it) or unexpected. Reads two trace_logs
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
	bool cannot;                 /* no rule, but after a call Linux cannot make
					(compare_result.cannot) */
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

/* A call the replay could not make as the scenario means it (the kernel
 * log's call events with `cannot`): from the first one on the two runs tell
 * different stories, and a difference no rule explains is "Linux cannot". */
struct cmp_cannot {
	usec_t t;
	const char *endpoint;        /* "client", "server" */
	enum user_call call;
	const char *why;             /* the event's, static storage */
};

#define CMP_CANNOT_MAX 8         /* the calls kept; n_cannot_calls counts all */

struct compare_result {
	struct cmp_section sec[CMP_SECTIONS];
	size_t n_known, n_cannot, n_unexpected;
	usec_t tolerance_us;
	struct cmp_cannot cannot[CMP_CANNOT_MAX];
	size_t n_cannot_calls;
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
 * `known Kn`, `Linux cannot` or `UNEXPECTED`, then the calls Linux cannot
 * make and the summary line. */
void compare_print_text(FILE *out, const char *name, const struct compare_result *res);
/* The same as markdown tables. */
void compare_print_markdown(FILE *out, const char *name, const char *summary,
			    const struct compare_result *res);

#endif
