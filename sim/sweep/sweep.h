/* sweep.h - one scenario run over a grid of settings and seeds (`tcpsim sweep`).
 *
 * The runs are the cartesian product of the --set values (the first key
 * varies slowest) times the seeds (fastest), numbered from 0. Each run loads
 * the scenario with its settings (scenario_load_with), runs it with only a
 * summary sink attached and becomes one CSV row. Rows come out in run order
 * whatever the number of worker processes, so a sweep's CSV is the same
 * bytes for any --jobs, and the rows of a contiguous block of runs (a shard)
 * are a contiguous block of its lines. */
#ifndef TCPSIM_SWEEP_H
#define TCPSIM_SWEEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* One --set KEY=V1,V2,...: the key and its values, in the given order. */
struct sweep_axis {
	char *key;
	char **values;
	size_t n_values;
};

struct sweep {
	const char *path;            /* the scenario file */
	struct sweep_axis *axes;
	size_t n_axes;
	bool has_seeds;              /* --seeds A..B; else the scenario's own seed */
	uint64_t seed_first, seed_last;
	uint64_t n_combos;           /* the product of the axes' sizes */
	uint64_t n_seeds;
	uint64_t n_runs;             /* n_combos * n_seeds, set by sweep_check */
};

/* Adds --set KEY=V1,V2,... Returns 0, or -1 with a message in err (no `=`,
 * an empty key or value, a key given twice, out of memory). */
int sweep_add_set(struct sweep *sw, const char *arg, char *err, size_t errlen);
/* "A..B" (A <= B) or "N". Returns 0, or -1. */
int sweep_parse_seeds(const char *arg, uint64_t *first, uint64_t *last);
/* "I/N" with 1 <= I <= N. Returns 0, or -1. */
int sweep_parse_shard(const char *arg, uint64_t *i, uint64_t *n);
/* Shard i of n of runs runs: [floor((i-1)*runs/n), floor(i*runs/n)). */
void sweep_shard_range(uint64_t runs, uint64_t i, uint64_t n, uint64_t *first, uint64_t *end);

/* Loads the scenario with every combination of the settings once, so that a
 * bad key or value is found before anything runs, and counts the runs.
 * Returns 0, or -1 with the loader's message and the combination in err. */
int sweep_check(struct sweep *sw, char *err, size_t errlen);

/* The CSV header line (with its newline). */
void sweep_write_header(const struct sweep *sw, FILE *f);
/* Told after each row is written: done of total rows (the command layer
 * draws a progress bar; the sweep prints nothing itself). */
struct sweep_progress {
	void (*row_done)(void *ctx, uint64_t done, uint64_t total);
	void *ctx;
};

/* Runs [first, end) with `jobs` worker processes (1: in this process) and
 * writes their rows to f in run order, telling progress (may be NULL) after
 * each. Returns 0, or -1 with a message in err. */
int sweep_write_rows(const struct sweep *sw, uint64_t first, uint64_t end, unsigned jobs, FILE *f,
		     const struct sweep_progress *progress, char *err, size_t errlen);

/* What a plot can show on its y axis: a numeric column of the CSV. */
struct sweep_metric {
	const char *column;          /* "complete_us" */
	const char *title;           /* what the plot is of, after "NAME: " */
	const char *axis;            /* the y axis: "completion time" */
	const char *unit;            /* "ms", or NULL for a count */
	const char *missing;         /* a run with an empty cell: "never completed" */
	unsigned divisor;            /* the column's values over it are in `unit` */
};

/* The metric of a CSV column, or NULL when no plot shows it; NULL column:
 * the default, complete_us. */
const struct sweep_metric *sweep_metric(const char *column);
/* The columns sweep_metric() knows, comma-separated, for messages. */
const char *sweep_metric_names(void);

/* What a plot shows, read from a sweep CSV. */
struct sweep_plot;

/* Reads a sweep CSV (one header, then rows; several shards' CSVs
 * concatenated are one) for the plot of metric m's column. Returns the
 * plot, or NULL with a message in err for a CSV that cannot be read, is not
 * a sweep's or lacks the column (read before anything is written). */
struct sweep_plot *sweep_plot_read(const char *csv_path, const struct sweep_metric *m, char *err, size_t errlen);
/* Draws p with gnuplot into svg_fd (a file open for writing, left open;
 * gnuplot writes it as its standard output: it opens no file of ours by
 * name): the median and the 10th-90th percentile band of its column against
 * the first key's values, one line per value of the second key. title names
 * the sweep. Returns 0, or -1 with a message when the plot could not be drawn
 * (no gnuplot, gnuplot failed, a temporary file). */
int sweep_plot_draw(struct sweep_plot *p, const char *title, int svg_fd, char *err, size_t errlen);
void sweep_plot_free(struct sweep_plot *p);

/* Frees the axes that sweep_add_set() made. */
void sweep_free(struct sweep *sw);

#endif
