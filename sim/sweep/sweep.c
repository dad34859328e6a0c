/* sweep.c - a scenario over a grid of settings and seeds: the runs, their
 * CSV rows (in run order, from any number of worker processes) and the plot
 * drawn by gnuplot. */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "base/decimal.h"
#include "scenario/scenario.h"
#include "engine/sim.h"
#include "output/summary.h"
#include "sweep/sweep.h"

#define ROW_MAX 4096

/* ---- the command line's pieces ------------------------------------------ */


int sweep_add_set(struct sweep *sw, const char *arg, char *err, size_t errlen)
{
	const char *eq = strchr(arg, '=');
	struct sweep_axis ax = { 0 }, *na;

	if (!eq || eq == arg) {
		snprintf(err, errlen, "--set %s: expected KEY=V1,V2,... such as link.loss=0,0.1,0.2", arg);
		return -1;
	}
	if (!(ax.key = strndup(arg, (size_t)(eq - arg))))
		goto oom;
	/* The CSV has a seed column of its own: a seed axis would name two
	 * columns alike, and the plot could not read the CSV back. */
	if (strcmp(ax.key, "seed") == 0) {
		snprintf(err, errlen, "--set seed=...: the seeds are --seeds A..B (the CSV's seed column)");
		free(ax.key);
		return -1;
	}
	for (size_t i = 0; i < sw->n_axes; i++) {
		if (strcmp(sw->axes[i].key, ax.key) == 0) {
			snprintf(err, errlen, "--set %s: the key is given twice", ax.key);
			free(ax.key);
			return -1;
		}
	}
	for (const char *v = eq + 1;;) {
		const char *comma = strchr(v, ',');
		size_t len = comma ? (size_t)(comma - v) : strlen(v);
		char **nv;
		if (len == 0) {
			snprintf(err, errlen, "--set %s: an empty value in the list", arg);
			goto fail;
		}
		/* One more each time: the values given on one command line. */
		if (!(nv = realloc(ax.values, (ax.n_values + 1) * sizeof *nv)))
			goto oom;
		ax.values = nv;
		if (!(ax.values[ax.n_values] = strndup(v, len)))
			goto oom;
		ax.n_values++;
		if (!comma)
			break;
		v = comma + 1;
	}
	/* The same for the axes: one per --set. */
	if (!(na = realloc(sw->axes, (sw->n_axes + 1) * sizeof *na)))
		goto oom;
	sw->axes = na;
	sw->axes[sw->n_axes++] = ax;
	return 0;
oom:
	snprintf(err, errlen, "out of memory");
fail:
	for (size_t i = 0; i < ax.n_values; i++)
		free(ax.values[i]);
	free(ax.values);
	free(ax.key);
	return -1;
}

int sweep_parse_seeds(const char *arg, uint64_t *first, uint64_t *last)
{
	const char *dots = strstr(arg, "..");

	if (!dots)
		return decimal_u64(arg, strlen(arg), first) < 0 ? -1 : (*last = *first, 0);
	if (decimal_u64(arg, (size_t)(dots - arg), first) < 0 || decimal_u64(dots + 2, strlen(dots + 2), last) < 0 ||
	    *first > *last)
		return -1;
	return 0;
}

int sweep_parse_shard(const char *arg, uint64_t *i, uint64_t *n)
{
	const char *slash = strchr(arg, '/');

	if (!slash || decimal_u64(arg, (size_t)(slash - arg), i) < 0 ||
	    decimal_u64(slash + 1, strlen(slash + 1), n) < 0 || *i < 1 || *i > *n || *n > UINT32_MAX)
		return -1;
	return 0;
}

void sweep_shard_range(uint64_t runs, uint64_t i, uint64_t n, uint64_t *first, uint64_t *end)
{
	*first = (uint64_t)((unsigned __int128)(i - 1) * runs / n);
	*end = (uint64_t)((unsigned __int128)i * runs / n);
}

void sweep_free(struct sweep *sw)
{
	for (size_t a = 0; a < sw->n_axes; a++) {
		for (size_t v = 0; v < sw->axes[a].n_values; v++)
			free(sw->axes[a].values[v]);
		free(sw->axes[a].values);
		free(sw->axes[a].key);
	}
	free(sw->axes);
	sw->axes = NULL;
	sw->n_axes = 0;
}

/* ---- runs ---------------------------------------------------------------- */

/* The settings of combination `combo` (the last axis varies fastest) in set. */
static void combo_settings(const struct sweep *sw, uint64_t combo, struct scenario_setting *set)
{
	for (size_t a = sw->n_axes; a-- > 0;) {
		const struct sweep_axis *ax = &sw->axes[a];
		set[a].key = ax->key;
		set[a].value = ax->values[combo % ax->n_values];
		combo /= ax->n_values;
	}
}

/* " (with link.loss=1.5, tcp.rto_min=1s)" for a message. */
static void describe(const struct scenario_setting *set, size_t n, char *buf, size_t cap)
{
	size_t len = (size_t)snprintf(buf, cap, " (with ");
	for (size_t i = 0; i < n && len < cap; i++)
		len += (size_t)snprintf(buf + len, cap - len, "%s%s=%s", i ? ", " : "", set[i].key, set[i].value);
	if (len < cap)
		snprintf(buf + len, cap - len, ")");
}

int sweep_check(struct sweep *sw, char *err, size_t errlen)
{
	struct scenario_setting *set = calloc(sw->n_axes ? sw->n_axes : 1, sizeof *set);

	if (!set) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	sw->n_combos = 1;
	for (size_t a = 0; a < sw->n_axes; a++) {
		if (sw->n_combos > UINT32_MAX / sw->axes[a].n_values) {
			snprintf(err, errlen, "too many combinations of --set values");
			free(set);
			return -1;
		}
		sw->n_combos *= sw->axes[a].n_values;
	}
	sw->n_seeds = sw->has_seeds ? sw->seed_last - sw->seed_first + 1 : 1;
	if (sw->n_seeds == 0 || sw->n_seeds > UINT32_MAX || sw->n_combos * sw->n_seeds > UINT32_MAX) {
		snprintf(err, errlen, "too many runs (at most %" PRIu32 ")", UINT32_MAX);
		free(set);
		return -1;
	}
	sw->n_runs = sw->n_combos * sw->n_seeds;
	for (uint64_t c = 0; c < sw->n_combos; c++) {
		struct scenario sc;
		char msg[1024], with[512];
		combo_settings(sw, c, set);
		if (scenario_load_with(sw->path, set, sw->n_axes, &sc, msg, sizeof msg) < 0) {
			describe(set, sw->n_axes, with, sizeof with);
			snprintf(err, errlen, "%s%s", msg, with);
			free(set);
			return -1;
		}
		scenario_free(&sc);
	}
	free(set);
	return 0;
}

/* A CSV field: quoted when it holds a comma, a quote or a line break. */
static size_t csv_field(char *buf, size_t cap, const char *s)
{
	size_t len = 0;

	if (!strpbrk(s, ",\"\r\n"))
		return (size_t)snprintf(buf, cap, "%s", s);
	len += (size_t)snprintf(buf + len, cap - len, "\"");
	for (; *s && len < cap; s++)
		len += (size_t)snprintf(buf + len, cap - len, *s == '"' ? "\"\"" : "%c", *s);
	if (len < cap)
		len += (size_t)snprintf(buf + len, cap - len, "\"");
	return len;
}

void sweep_write_header(const struct sweep *sw, FILE *f)
{
	char buf[1024];

	for (size_t a = 0; a < sw->n_axes; a++) {
		csv_field(buf, sizeof buf, sw->axes[a].key);
		fprintf(f, "%s,", buf);
	}
	fputs("seed,established,establish_us,complete_us,retransmissions,segments,bytes_delivered,"
	      "end_client,end_server,dropped,dropped_by_host\n", f);
}

/* The end states of one side: the state's name for one connection,
 * "CLOSED=98;TIME_WAIT=2" for several, into buf at len. */
static size_t end_states(char *buf, size_t cap, const uint64_t *counts, uint64_t connections)
{
	size_t len = 0;

	for (int st = 0; st < TCP_NSTATES && len < cap; st++) {
		if (!counts[st])
			continue;
		if (connections == 1)
			return (size_t)snprintf(buf, cap, "%s", tcp_state_name((enum tcp_state)st));
		len += (size_t)snprintf(buf + len, cap - len, "%s%s=%" PRIu64, len ? ";" : "",
					tcp_state_name((enum tcp_state)st), counts[st]);
	}
	return len;
}

/* The CSV row of a run's totals (with its newline) into row. */
static void format_row(const struct scenario_setting *set, size_t n_set, uint64_t seed,
		       const struct summary_totals *t, char *row, size_t cap)
{
	size_t len = 0;
	char num[2][32] = { "", "" };

	for (size_t a = 0; a < n_set && len < cap; a++) {
		len += csv_field(row + len, cap - len, set[a].value);
		if (len < cap)
			row[len++] = ',';
	}
	if (t->establish.n)
		snprintf(num[0], sizeof num[0], "%" PRIu64, (uint64_t)t->establish.p50);
	if (t->complete.n)
		snprintf(num[1], sizeof num[1], "%" PRIu64, (uint64_t)t->complete.p50);
	if (len < cap)
		len += (size_t)snprintf(row + len, cap - len, "%" PRIu64 ",%" PRIu64 ",%s,%s,%" PRIu64 ",%" PRIu64
				       ",%" PRIu64 ",",
				       seed, t->established, num[0], num[1], t->retransmissions, t->segments_sent,
				       t->bytes_delivered[0] + t->bytes_delivered[1]);
	if (len < cap)
		len += end_states(row + len, cap - len, t->end_client, t->connections);
	if (len < cap)
		len += (size_t)snprintf(row + len, cap - len, ",");
	if (len < cap)
		len += end_states(row + len, cap - len, t->end_server, t->connections);
	/* Last, so that the columns scripts already read keep their places. */
	if (len < cap)
		snprintf(row + len, cap - len, ",%" PRIu64 ",%" PRIu64 "\n", t->segments_dropped,
			 t->segments_dropped_by_host);
}

/* Runs run number `run` and writes its CSV row into row. Returns 0, or -1
 * with a message in err. */
static int run_row(const struct sweep *sw, uint64_t run, struct scenario_setting *set, char *row, size_t cap,
		   char *err, size_t errlen)
{
	struct scenario sc;
	struct sim_options opt = { 0 };
	struct sim_stats stats;
	struct summary_totals t;
	struct trace tr;
	struct summary *s;
	int rc = -1;

	combo_settings(sw, run / sw->n_seeds, set);
	if (scenario_load_with(sw->path, set, sw->n_axes, &sc, err, errlen) < 0)
		return -1;
	if (sw->has_seeds) {
		opt.has_seed = true;
		opt.seed = sw->seed_first + run % sw->n_seeds;
	}
	trace_init(&tr);
	if (!(s = summary_new(&tr))) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	trace_add_sink(&tr, summary_sink(s));
	if (sim_run(&sc, &opt, &tr, &stats, err, errlen) < 0)
		goto out;
	if (summary_totals(s, &t) < 0) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	format_row(set, sw->n_axes, sim_seed(&sc, &opt), &t, row, cap);
	rc = 0;
out:
	summary_free(s);
	trace_free(&tr);
	scenario_free(&sc);
	return rc;
}

/* ---- workers ------------------------------------------------------------- */

/* A worker: runs first+w, first+w+jobs, ... and writes each row to fd in
 * that order; a failure is a line "!message". Never returns. */
static void worker(const struct sweep *sw, uint64_t first, uint64_t end, unsigned w, unsigned jobs, int fd)
{
	FILE *f = fdopen(fd, "w");
	struct scenario_setting *set = calloc(sw->n_axes ? sw->n_axes : 1, sizeof *set);
	char row[ROW_MAX], err[1024];
	int status = 0;

	if (!f || !set)
		_exit(1);
	for (uint64_t r = first + w; r < end; r += jobs) {
		if (run_row(sw, r, set, row, sizeof row, err, sizeof err) < 0) {
			fprintf(f, "!%s\n", err);
			status = 1;
			break;
		}
		if (fputs(row, f) == EOF)
			break;
	}
	free(set);
	if (fclose(f) != 0)
		status = 1;
	_exit(status);
}

/* Kills and reaps the n workers started. */
static void stop_workers(const pid_t *pids, unsigned n)
{
	for (unsigned w = 0; w < n; w++) {
		kill(pids[w], SIGTERM);
		waitpid(pids[w], NULL, 0);
	}
}

/* The runs in worker processes: worker w does the runs whose offset from
 * first is w modulo jobs, so the parent reads run r's row from worker
 * (r - first) % jobs: the rows come out in run order. */
static int rows_from_workers(const struct sweep *sw, uint64_t first, uint64_t end, unsigned jobs, FILE *out,
			     const struct sweep_progress *progress, char *err, size_t errlen)
{
	pid_t *pids = calloc(jobs, sizeof *pids);
	FILE **in = calloc(jobs, sizeof *in);
	char *line = NULL;
	size_t cap = 0;
	unsigned started = 0;
	int rc = -1;

	if (!pids || !in) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	fflush(NULL);
	for (; started < jobs; started++) {
		int fds[2];
		if (pipe(fds) < 0) {
			snprintf(err, errlen, "pipe: %s", strerror(errno));
			goto out;
		}
		pid_t pid = fork();
		if (pid < 0) {
			snprintf(err, errlen, "fork: %s", strerror(errno));
			close(fds[0]);
			close(fds[1]);
			goto out;
		}
		if (pid == 0) {
			close(fds[0]);
			for (unsigned w = 0; w < started; w++)
				fclose(in[w]);
			worker(sw, first, end, started, jobs, fds[1]);
		}
		close(fds[1]);
		pids[started] = pid;
		if (!(in[started] = fdopen(fds[0], "r"))) {
			close(fds[0]);
			snprintf(err, errlen, "out of memory");
			started++;
			goto out;
		}
	}
	for (uint64_t r = first; r < end; r++) {
		unsigned w = (unsigned)((r - first) % jobs);
		ssize_t n = getline(&line, &cap, in[w]);
		if (n <= 0 || line[n - 1] != '\n') {
			snprintf(err, errlen, "worker %u stopped before run %" PRIu64, w + 1, r);
			goto out;
		}
		if (line[0] == '!') {
			line[n - 1] = '\0';
			snprintf(err, errlen, "%s", line + 1);
			goto out;
		}
		fputs(line, out);
		if (progress)
			progress->row_done(progress->ctx, r + 1 - first, end - first);
	}
	rc = 0;
	for (unsigned w = 0; w < started; w++) {
		int st;
		fclose(in[w]);
		in[w] = NULL;
		if (waitpid(pids[w], &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			snprintf(err, errlen, "worker %u failed", w + 1);
			rc = -1;
		}
	}
	started = 0;
out:
	for (unsigned w = 0; w < started; w++)
		if (in[w])
			fclose(in[w]);
	if (rc < 0 && started)
		stop_workers(pids, started);
	free(line);
	free(pids);
	free(in);
	return rc;
}

int sweep_write_rows(const struct sweep *sw, uint64_t first, uint64_t end, unsigned jobs, FILE *f,
		     const struct sweep_progress *progress, char *err, size_t errlen)
{
	if (end <= first)
		return 0;
	if (jobs > end - first)
		jobs = (unsigned)(end - first);
	if (jobs > 1)
		return rows_from_workers(sw, first, end, jobs, f, progress, err, errlen);

	struct scenario_setting *set = calloc(sw->n_axes ? sw->n_axes : 1, sizeof *set);
	char row[ROW_MAX];

	if (!set) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (uint64_t r = first; r < end; r++) {
		if (run_row(sw, r, set, row, sizeof row, err, errlen) < 0) {
			free(set);
			return -1;
		}
		fputs(row, f);
		if (progress)
			progress->row_done(progress->ctx, r + 1 - first, end - first);
	}
	free(set);
	return 0;
}
