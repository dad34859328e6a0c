/* cmd_sweep.c - `tcpsim sweep`: one scenario over a grid of --set values
 * and seeds, a CSV row per run and a plot of the completion times (or of
 * another column, --y). */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cli/cli.h"
#include "base/out_set.h"
#include "base/path.h"
#include "sweep/sweep.h"

static const char sweep_help[] =
	"usage: tcpsim sweep SCENARIO.yaml --set KEY=V1,V2,... [--set KEY2=...] [options]\n"
	"       tcpsim sweep --plot SWEEP.csv [--y COLUMN] [-o DIR]\n"
	"\n"
	"Runs the scenario once for every combination of the --set values (the first\n"
	"key varies slowest) and every seed, keeping only each run's totals, and writes\n"
	"DIR/NAME.sweep.csv (one row per run, in run order) and DIR/NAME.sweep.svg (the\n"
	"median and 10th-90th percentile of the completion time against the first key,\n"
	"one line per value of the second key; drawn with gnuplot). KEY is a dotted path\n"
	"of the scenario's keys (link.loss, tcp.rto_min, endpoints.client.count), each\n"
	"value a YAML scalar checked as the file's would be.\n"
	"\n"
	"      --set KEY=V1,V2,...  a key and its values (repeatable)\n"
	"      --seeds A..B     run every combination with seeds A to B (default: the\n"
	"                       scenario's seed only)\n"
	"  -j, --jobs N         N worker processes (default 1; 0: one per CPU); the CSV\n"
	"                       is the same bytes for any N\n"
	"      --shard I/N      run only the I-th of N contiguous blocks of the runs;\n"
	"                       the header is in shard 1's CSV only, so that the N CSVs\n"
	"                       concatenated are the unsharded CSV; no plot is drawn\n"
	"      --plot CSV       draw DIR/NAME.sweep.svg from a sweep's CSV (shards\n"
	"                       concatenated) instead of running\n"
	"      --y COLUMN       plot that column instead of complete_us, into\n"
	"                       DIR/NAME.sweep.COLUMN.svg: establish_us (the handshake),\n"
	"                       retransmissions, segments, bytes_delivered, dropped,\n"
	"                       dropped_by_host, established\n"
	"  -o, --output DIR     where the files go (default ./out)\n"
	"  -q, --quiet          print nothing but errors (no progress bar either)\n"
	"\n"
	"CSV columns: the --set keys, seed, established (0/1; with several clients\n"
	"how many), establish_us and complete_us (connect -> ESTABLISHED, connect ->\n"
	"both ends CLOSED or TIME_WAIT; the median with several clients; empty when\n"
	"not reached), retransmissions, segments (sent by the TCPs), bytes_delivered\n"
	"(to both applications), end_client, end_server (the last state; with several\n"
	"clients STATE=N;STATE=N), dropped (by the link or a host), dropped_by_host\n"
	"(SYNs a full listen queue dropped). A progress bar is drawn on stderr when it\n"
	"is a terminal.\n"
	"\n"
	"Exit status: 0 done, 2 bad input or usage (unknown key, bad value, bad --seeds\n"
	"or --shard; nothing is written), 3 a run, a file or gnuplot failed.\n";

enum { OPT_SET = 256, OPT_SEEDS, OPT_SHARD, OPT_PLOT, OPT_Y, OPT_HELP };

static const struct option sweep_options[] = {
	{ "set", required_argument, NULL, OPT_SET },
	{ "seeds", required_argument, NULL, OPT_SEEDS },
	{ "jobs", required_argument, NULL, 'j' },
	{ "shard", required_argument, NULL, OPT_SHARD },
	{ "plot", required_argument, NULL, OPT_PLOT },
	{ "y", required_argument, NULL, OPT_Y },
	{ "output", required_argument, NULL, 'o' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, OPT_HELP },
	{ 0, 0, 0, 0 },
};

/* The command line, parsed. */
struct sweep_opts {
	struct sweep sw;
	const char *out_dir, *plot_csv;
	const struct sweep_metric *metric;   /* what the plot shows (--y) */
	unsigned jobs;
	bool sharded, quiet;
	uint64_t shard_i, shard_n;
};

/* What an option's value is, for "option --seeds needs A..B". */
static const char *sweep_value_name(int c)
{
	switch (c) {
	case OPT_SET: return "KEY=V1,V2,...";
	case OPT_SEEDS: return "A..B";
	case 'j': return "a number of processes";
	case OPT_SHARD: return "I/N";
	case OPT_PLOT: return "a CSV file";
	case OPT_Y: return "a column name";
	case 'o': return "a directory";
	default: return "a value";
	}
}

/* Parses the options into o (whose sweep gets the --set axes). Returns 0,
 * or EXIT_USAGE after printing the problem. */
static int parse_options(int argc, char **argv, struct sweep_opts *o)
{
	char err[1024];
	int c;

	optind = 1;
	opterr = 0;
	/* The leading ':' makes getopt tell a missing value (':') from an
	 * unknown option ('?'). */
	while ((c = getopt_long(argc, argv, ":o:qj:", sweep_options, NULL)) != -1) {
		switch (c) {
		case OPT_HELP:
			fputs(sweep_help, stdout);
			exit(0);
		case OPT_SET:
			if (sweep_add_set(&o->sw, optarg, err, sizeof err) < 0)
				return cli_usage_error(argv[0], err);
			break;
		case OPT_SEEDS:
			if (sweep_parse_seeds(optarg, &o->sw.seed_first, &o->sw.seed_last) < 0)
				return cli_usage_error(argv[0], "--seeds is A..B (A <= B) or N, such as 1..200");
			o->sw.has_seeds = true;
			break;
		case 'j': {
			char *end;
			errno = 0;
			unsigned long v = strtoul(optarg, &end, 10);
			if (!*optarg || *end || *optarg == '-' || errno || v > 4096)
				return cli_usage_error(argv[0], "--jobs is a number of processes, 0 to 4096 (0: one per CPU)");
			o->jobs = (unsigned)v;
			if (v == 0) {
				long n = sysconf(_SC_NPROCESSORS_ONLN);
				o->jobs = n > 0 ? (unsigned)n : 1;
			}
			break;
		}
		case OPT_SHARD:
			if (sweep_parse_shard(optarg, &o->shard_i, &o->shard_n) < 0)
				return cli_usage_error(argv[0], "--shard is I/N with 1 <= I <= N, such as 2/8");
			o->sharded = true;
			break;
		case OPT_PLOT:
			o->plot_csv = optarg;
			break;
		case OPT_Y:
			if (!(o->metric = sweep_metric(optarg))) {
				snprintf(err, sizeof err, "--y is one of %s, not %s", sweep_metric_names(), optarg);
				return cli_usage_error(argv[0], err);
			}
			break;
		case 'o':
			o->out_dir = optarg;
			break;
		case 'q':
			o->quiet = true;
			break;
		default: {
			static const char *const names[] = { "set", "seeds", "jobs", "shard", "plot", "y",
							     "output", "quiet", "help", NULL };
			cli_option_message(c, argv[optind - 1], optopt, sweep_value_name(optopt), names, err,
					   sizeof err);
			return cli_usage_error(argv[0], err);
		}
		}
	}
	return 0;
}

/* NAME of a sweep CSV's path: its base name without .sweep.csv or .csv. */
static char *csv_name(const char *path)
{
	static const char *const suffixes[] = { ".sweep.csv", ".csv", NULL };
	return path_base_name(path, suffixes);
}

/* Reads csv for the plot of m, or prints why not (NULL). */
static struct sweep_plot *read_plot(const char *csv, const struct sweep_metric *m)
{
	char err[1024];
	struct sweep_plot *p = sweep_plot_read(csv, m, err, sizeof err);

	if (!p)
		fprintf(stderr, "tcpsim sweep: %s\n", err);
	return p;
}

/* Draws p, the plot of m, as DIR/NAME.sweep.svg (complete_us) or
 * DIR/NAME.sweep.COLUMN.svg (written under a temporary name, then put in
 * place: out_set.h). Returns 0, or an exit status after printing why. */
static int draw_plot(struct sweep_plot *p, const struct sweep_metric *m, const char *dir, const char *name,
		     bool quiet)
{
	struct out_set set = OUT_SET_INIT;
	char err[1024], file[TMPFILES_NAME_MAX + 1];
	int fd = -1, rc = -1;

	if (m == sweep_metric(NULL))
		snprintf(file, sizeof file, "%s.sweep.svg", name);
	else
		snprintf(file, sizeof file, "%s.sweep.%s.svg", name, m->column);
	if (out_set_open(&set, dir, err, sizeof err) == 0 && (fd = out_set_create(&set, file, err, sizeof err)) >= 0 &&
	    sweep_plot_draw(p, name, fd, err, sizeof err) == 0) {
		rc = close(fd);
		fd = -1;
		if (rc < 0)
			snprintf(err, sizeof err, "%s/%s: %s", dir, file, strerror(errno));
		else
			rc = out_set_commit(&set, err, sizeof err);
	}
	if (fd >= 0)
		close(fd);
	out_set_close(&set);
	if (rc < 0) {
		fprintf(stderr, "tcpsim sweep: %s\n", err);
		return EXIT_ENV;
	}
	if (!quiet)
		printf("%s/%s\n", dir, file);
	return 0;
}

/* `tcpsim sweep --plot CSV`. A CSV that is not a sweep's is refused before
 * -o DIR is made. */
static int plot_only(const struct sweep_opts *o)
{
	char err[1024];
	char *name = csv_name(o->plot_csv);
	struct sweep_plot *p = NULL;
	int rc;

	if (!name) {
		fprintf(stderr, "tcpsim sweep: out of memory\n");
		return EXIT_ENV;
	}
	if (!(p = read_plot(o->plot_csv, o->metric))) {
		rc = EXIT_USAGE;
	} else if (cli_make_dirs(o->out_dir, err, sizeof err) < 0) {
		fprintf(stderr, "tcpsim sweep: %s\n", err);
		rc = EXIT_ENV;
	} else {
		rc = draw_plot(p, o->metric, o->out_dir, name, o->quiet);
	}
	sweep_plot_free(p);
	free(name);
	return rc;
}

/* The progress bar's state: when the runs started and it was last drawn. */
struct bar {
	double start, last;
};

/* The monotonic clock in seconds. */
static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* "[#####.....]  512/1400 runs  3 s" on stderr, redrawn in place at most
 * ten times a second (always at the end): the sweep's progress callback. */
static void bar_draw(void *ctx, uint64_t done, uint64_t total)
{
	struct bar *b = ctx;
	const int width = 40;
	double t = now_s();

	if (done < total && t - b->last < 0.1)
		return;
	b->last = t;
	int full = total ? (int)(done * width / total) : width;
	fputs("\r[", stderr);
	for (int i = 0; i < width; i++)
		fputc(i < full ? '#' : '.', stderr);
	fprintf(stderr, "] %" PRIu64 "/%" PRIu64 " runs  %.0f s", done, total, t - b->start);
	if (done == total)
		fputs("\r\033[K", stderr);
	fflush(stderr);
}

/* The rows of runs [first, end) into DIR/NAME.sweep.csv (the header unless
 * this is a shard other than the first), put in place once complete (the
 * plot follows, on its own: a sweep's rows are kept even when the plot
 * cannot be drawn). With plot not NULL, *plot is the plot of o->metric read
 * back from the file before it is put in place, from the temporary this
 * process made (the final name, which another process could have replaced
 * by a link meanwhile, is never opened); NULL when it cannot be read (said).
 * Returns 0, or EXIT_ENV after printing why; nothing is left behind on
 * failure. */
static int write_csv(const struct sweep_opts *o, const char *name, uint64_t first, uint64_t end,
		     struct sweep_plot **plot)
{
	struct out_set set = OUT_SET_INIT;
	char err[1024], file[TMPFILES_NAME_MAX + 1], tmp[4096];
	FILE *f = NULL;
	int rc = -1;

	snprintf(file, sizeof file, "%s.sweep.csv", name);
	if (out_set_open(&set, o->out_dir, err, sizeof err) == 0 && (f = out_set_fopen(&set, file, err, sizeof err))) {
		if (!o->sharded || o->shard_i == 1)
			sweep_write_header(&o->sw, f);
		struct bar b = { now_s(), 0 };
		struct sweep_progress progress = { bar_draw, &b };
		rc = sweep_write_rows(&o->sw, first, end, o->jobs, f, !o->quiet && isatty(2) ? &progress : NULL, err,
				      sizeof err);
		if (fclose(f) != 0 && rc == 0) {
			snprintf(err, sizeof err, "%s/%s: write failed", o->out_dir, file);
			rc = -1;
		}
		if (rc == 0 && plot) {
			snprintf(tmp, sizeof tmp, "%s/%s", o->out_dir, set.f[0].tmp);
			*plot = read_plot(tmp, o->metric);
		}
		if (rc == 0)
			rc = out_set_commit(&set, err, sizeof err);
	}
	out_set_close(&set);
	if (rc < 0) {
		fprintf(stderr, "tcpsim sweep: %s\n", err);
		return EXIT_ENV;
	}
	return 0;
}

/* The monotonic clock in seconds, for the time a sweep took. */
static double wall_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* `tcpsim sweep`: check every combination, run the block of runs this
 * process owns, write the CSV, draw the plot unless sharded. */
int cmd_sweep(int argc, char **argv)
{
	struct sweep_opts o = { .out_dir = "out", .jobs = 1, .metric = sweep_metric(NULL) };
	char err[2048];
	int rc = parse_options(argc, argv, &o);

	if (rc)
		goto out;
	if (o.plot_csv) {
		if (optind != argc || o.sw.n_axes || o.sharded || o.sw.has_seeds) {
			rc = cli_usage_error(argv[0], "--plot takes a CSV, --y COLUMN and -o DIR only");
			goto out;
		}
		rc = plot_only(&o);
		goto out;
	}
	if (argc - optind != 1) {
		rc = cli_usage_error(argv[0], argc == optind ? "no scenario given" : "one scenario at a time");
		goto out;
	}
	if (o.sw.n_axes == 0) {
		rc = cli_usage_error(argv[0], "no --set KEY=V1,V2,... given");
		goto out;
	}
	o.sw.path = argv[optind];
	if (sweep_check(&o.sw, err, sizeof err) < 0) {
		fprintf(stderr, "%s\n", err);
		rc = EXIT_USAGE;
		goto out;
	}
	uint64_t first = 0, end = o.sw.n_runs;
	if (o.sharded)
		sweep_shard_range(o.sw.n_runs, o.shard_i, o.shard_n, &first, &end);
	if (cli_make_dirs(o.out_dir, err, sizeof err) < 0) {
		fprintf(stderr, "tcpsim sweep: %s\n", err);
		rc = EXIT_ENV;
		goto out;
	}
	struct scenario sc;
	if (scenario_load(o.sw.path, &sc, err, sizeof err) < 0) {
		fprintf(stderr, "%s\n", err);
		rc = EXIT_USAGE;
		goto out;
	}
	char *name = strdup(sc.base);
	scenario_free(&sc);
	if (!name) {
		fprintf(stderr, "tcpsim sweep: out of memory\n");
		rc = EXIT_ENV;
		goto out;
	}
	char csv[4096];
	snprintf(csv, sizeof csv, "%s/%s.sweep.csv", o.out_dir, name);
	double t0 = wall_s();
	struct sweep_plot *p = NULL;
	rc = write_csv(&o, name, first, end, o.sharded ? NULL : &p);
	if (rc == 0 && !o.quiet) {
		printf("%s: %" PRIu64 " run%s", name, end - first, end - first == 1 ? "" : "s");
		if (o.sharded && end > first)
			printf(" (shard %" PRIu64 "/%" PRIu64 ": runs %" PRIu64 " to %" PRIu64 " of 0 to %" PRIu64 ")",
			       o.shard_i, o.shard_n, first, end - 1, o.sw.n_runs - 1);
		else if (o.sharded)
			printf(" (shard %" PRIu64 "/%" PRIu64 " of %" PRIu64 " runs is empty)", o.shard_i, o.shard_n,
			       o.sw.n_runs);
		double took = wall_s() - t0;
		printf(" in %.*f s with %u job%s: %s\n", took < 1 ? 2 : 1, took, o.jobs, o.jobs == 1 ? "" : "s",
		       csv);
		if (o.sharded)
			printf("no plot for a shard: cat the shards' CSVs in order, then tcpsim sweep --plot ALL.csv\n");
	}
	if (rc == 0 && !o.sharded)
		rc = p ? draw_plot(p, o.metric, o.out_dir, name, o.quiet) : EXIT_USAGE;
	sweep_plot_free(p);
	free(name);
out:
	sweep_free(&o.sw);
	return rc;
}
