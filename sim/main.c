/* main.c - the tcpsim command line. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "coverage.h"
#include "expect.h"
#include "json_out.h"
#include "ladder.h"
#include "pcap_out.h"
#include "scenario.h"
#include "sim.h"
#include "trace.h"
#include "trace_log.h"

#ifndef TCPSIM_VERSION
#define TCPSIM_VERSION "0.0.0"
#endif

#define EXIT_EXPECT 1
#define EXIT_USAGE 2
#define EXIT_ENV 3

static const char usage_text[] =
	"usage: tcpsim run      SCENARIO.yaml... [-o DIR] [--seed N] [--profile rfc9293|linux]\n"
	"                       [--format text|markdown|json|summary] [-q] [--no-trace] [--no-pcap] [--no-graphs]\n"
	"       tcpsim check    SCENARIO.yaml...\n"
	"       tcpsim replay   SCENARIO.yaml... [-o DIR]\n"
	"       tcpsim compare  SCENARIO.yaml... [-o DIR]\n"
	"       tcpsim graph    [SCENARIO.yaml] [-o DIR] [--format svg|png|pdf|dot]\n"
	"       tcpsim coverage SCENARIO.yaml...\n"
	"       tcpsim sweep    SCENARIO.yaml --set KEY=V1,V2,... [--seeds A..B] [--jobs N] [--shard I/N] [-o DIR]\n"
	"       tcpsim --help | tcpsim COMMAND --help | tcpsim --version\n";

static const char run_help[] =
	"usage: tcpsim run SCENARIO.yaml... [options]\n"
	"\n"
	"Runs each scenario in the simulator, prints the exchange as a ladder, writes\n"
	"DIR/NAME.trace.jsonl and DIR/NAME.pcap, and checks the scenario's `expect`.\n"
	"\n"
	"  -o, --output DIR     where the files go (default ./out)\n"
	"      --seed N         overrides the scenario's seed\n"
	"      --profile P      rfc9293 or linux: the timer defaults (overrides the scenario's)\n"
	"      --format F       text (the ladder, default), markdown (a handout table),\n"
	"                       json (the trace lines), summary (totals)\n"
	"  -q, --quiet          print nothing but failures\n"
	"      --no-trace       do not write NAME.trace.jsonl\n"
	"      --no-pcap        do not write NAME.pcap\n"
	"      --no-graphs      do not write the pictures\n"
	"\n"
	"Exit status: 0 every expectation held, 1 one failed (the difference is printed),\n"
	"2 bad input or usage (FILE:LINE:COL: message; nothing is written).\n";

static const char check_help[] =
	"usage: tcpsim check SCENARIO.yaml...\n"
	"\n"
	"Validates the scenarios without running them. Exit 0 when all are valid,\n"
	"2 otherwise, with one FILE:LINE:COL: message per error.\n";

enum format { FMT_TEXT, FMT_MARKDOWN, FMT_JSON, FMT_SUMMARY };

struct run_opts {
	const char *out_dir;
	struct sim_options sim;
	enum format format;
	bool format_given;
	bool quiet, no_trace, no_pcap, no_graphs;
};

/* mkdir -p */
static int make_dirs(const char *path, char *err, size_t errlen)
{
	char buf[4096];
	if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) {
		snprintf(err, errlen, "%s: path too long", path);
		return -1;
	}
	for (char *p = buf + 1;; p++) {
		char c = *p;
		if (c == '/' || c == '\0') {
			*p = '\0';
			if (mkdir(buf, 0777) < 0 && errno != EEXIST) {
				snprintf(err, errlen, "%s: cannot create: %s", buf, strerror(errno));
				return -1;
			}
			*p = c;
		}
		if (c == '\0')
			break;
	}
	return 0;
}

/* Loads every scenario before running any: one bad file and nothing runs. */
static int load_all(int n, char **paths, struct scenario *scs)
{
	int bad = 0;
	for (int i = 0; i < n; i++) {
		char err[1024];
		if (scenario_load(paths[i], &scs[i], err, sizeof err) < 0) {
			fprintf(stderr, "%s\n", err);
			memset(&scs[i], 0, sizeof scs[i]);
			bad++;
		}
	}
	return bad;
}

static void free_all(int n, struct scenario *scs)
{
	for (int i = 0; i < n; i++)
		scenario_free(&scs[i]);
	free(scs);
}

/* Output files are written under a temporary name and renamed into place
 * once complete: an interrupted run never leaves a half-written file. */
struct out_file {
	char final[4096];
	char tmp[4096];
};

static void out_file_names(struct out_file *f, const char *dir, const char *base, const char *ext)
{
	snprintf(f->final, sizeof f->final, "%s/%s%s", dir, base, ext);
	snprintf(f->tmp, sizeof f->tmp, "%s/.%s%s.tmp", dir, base, ext);
}

static int out_file_commit(const struct out_file *f, char *err, size_t errlen)
{
	if (rename(f->tmp, f->final) < 0) {
		snprintf(err, errlen, "%s: %s", f->final, strerror(errno));
		unlink(f->tmp);
		return -1;
	}
	return 0;
}

static void print_summary(FILE *out, const struct scenario *sc, const struct sim_stats *s,
			  const struct expect_result *res)
{
	fprintf(out, "%s: %llu events, %llu segments sent (%llu dropped, %llu duplicated), "
		     "%llu retransmissions, ended at %.6f s%s: %s\n",
		sc->name, (unsigned long long)s->events, (unsigned long long)s->segments_sent,
		(unsigned long long)s->segments_dropped, (unsigned long long)s->segments_duplicated,
		(unsigned long long)s->retransmissions, (double)s->end_us / 1e6,
		s->stopped_by_until ? " (until)" : "", res->n_failures ? "FAILED" : "ok");
}

/* Runs one scenario and writes its files. Returns 0 (expectations held),
 * EXIT_EXPECT, or -1 with err set (an I/O error or out of memory). */
static int run_one(const struct scenario *sc, const struct run_opts *o, char *err, size_t errlen)
{
	struct trace tr;
	struct trace_log log;
	struct json_out *jo = NULL;
	struct pcap_out *po = NULL;
	struct json_out *so = NULL;
	FILE *jf = NULL;
	struct out_file jfile, pfile;
	struct sim_stats stats;
	struct expect_result res = { 0 };
	int rc = -1;

	trace_init(&tr);
	trace_log_init(&log, &tr);
	trace_add_sink(&tr, trace_log_sink(&log));
	out_file_names(&jfile, o->out_dir, sc->base, ".trace.jsonl");
	out_file_names(&pfile, o->out_dir, sc->base, ".pcap");
	if (!o->no_trace) {
		if (!(jf = fopen(jfile.tmp, "w"))) {
			snprintf(err, errlen, "%s: %s", jfile.final, strerror(errno));
			goto out;
		}
		if (!(jo = json_out_new(jf)))
			goto oom;
		trace_add_sink(&tr, json_out_sink(jo));
	}
	if (!o->no_pcap) {
		if (!(po = pcap_out_open(pfile.tmp, err, errlen)))
			goto out;
		trace_add_sink(&tr, pcap_out_sink(po));
	}
	if (!o->quiet && o->format == FMT_JSON) {
		if (!(so = json_out_new(stdout)))
			goto oom;
		trace_add_sink(&tr, json_out_sink(so));
	}
	if (sim_run(sc, &o->sim, &tr, &stats, err, errlen) < 0)
		goto out;
	if (expect_check(sc, &log, &res) < 0)
		goto oom;
	struct trace_event rev = { .type = TRACE_RESULT, .t_us = stats.end_us, .endpoint = -1 };
	rev.u.result.ok = res.n_failures == 0;
	rev.u.result.failures = (const char *const *)res.failures;
	rev.u.result.n_failures = res.n_failures;
	trace_emit(&tr, &rev);
	if (so) {
		json_out_finish(so);
		so = NULL;
	}

	if (jo) {
		int bad = json_out_finish(jo);
		jo = NULL;
		bad |= fclose(jf);
		jf = NULL;
		if (bad) {
			snprintf(err, errlen, "%s: write failed", jfile.final);
			goto out;
		}
		if (out_file_commit(&jfile, err, errlen) < 0)
			goto out;
	}
	if (po) {
		int bad = pcap_out_close(po, err, errlen);
		po = NULL;
		if (bad || out_file_commit(&pfile, err, errlen) < 0)
			goto out;
	}

	if (!o->quiet) {
		if (o->format == FMT_TEXT)
			ladder_write_text(stdout, &log);
		else if (o->format == FMT_MARKDOWN)
			ladder_write_markdown(stdout, &log);
		if (o->format != FMT_JSON)
			print_summary(stdout, sc, &stats, &res);
	}
	for (size_t i = 0; i < res.n_failures; i++)
		fprintf(o->quiet || o->format == FMT_JSON ? stderr : stdout, "%s: %s\n", sc->path, res.failures[i]);
	rc = res.n_failures ? EXIT_EXPECT : 0;
	goto out;
oom:
	snprintf(err, errlen, "%s: out of memory", sc->path);
out:
	if (so)
		json_out_finish(so);
	if (jo)
		json_out_finish(jo);
	if (jf) {
		fclose(jf);
		unlink(jfile.tmp);
	}
	if (po) {
		char e2[256];
		pcap_out_close(po, e2, sizeof e2);
		unlink(pfile.tmp);
	}
	if (rc < 0) {
		unlink(jfile.tmp);
		unlink(pfile.tmp);
	}
	expect_result_free(&res);
	trace_log_free(&log);
	trace_free(&tr);
	fflush(stdout);
	return rc;
}

static int parse_u64(const char *s, uint64_t *out)
{
	char *end;
	errno = 0;
	if (!*s || *s == '-')
		return -1;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

enum { OPT_SEED = 256, OPT_PROFILE, OPT_FORMAT, OPT_NO_TRACE, OPT_NO_PCAP, OPT_NO_GRAPHS, OPT_HELP };

static const struct option run_options[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "profile", required_argument, NULL, OPT_PROFILE },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "quiet", no_argument, NULL, 'q' },
	{ "no-trace", no_argument, NULL, OPT_NO_TRACE },
	{ "no-pcap", no_argument, NULL, OPT_NO_PCAP },
	{ "no-graphs", no_argument, NULL, OPT_NO_GRAPHS },
	{ "help", no_argument, NULL, OPT_HELP },
	{ 0, 0, 0, 0 },
};

static int usage_error(const char *cmd, const char *msg)
{
	fprintf(stderr, "tcpsim %s: %s\n%s", cmd, msg, usage_text);
	return EXIT_USAGE;
}

static int parse_run_options(int argc, char **argv, struct run_opts *o)
{
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:q", run_options, NULL)) != -1) {
		switch (c) {
		case 'o':
			o->out_dir = optarg;
			break;
		case OPT_SEED:
			if (parse_u64(optarg, &o->sim.seed) < 0)
				return usage_error(argv[0], "--seed needs a non-negative integer");
			o->sim.has_seed = true;
			break;
		case OPT_PROFILE:
			if (strcmp(optarg, "rfc9293") == 0)
				o->sim.profile = PROFILE_RFC9293;
			else if (strcmp(optarg, "linux") == 0)
				o->sim.profile = PROFILE_LINUX;
			else
				return usage_error(argv[0], "--profile is rfc9293 or linux");
			o->sim.has_profile = true;
			break;
		case OPT_FORMAT:
			o->format_given = true;
			if (strcmp(optarg, "text") == 0)
				o->format = FMT_TEXT;
			else if (strcmp(optarg, "markdown") == 0)
				o->format = FMT_MARKDOWN;
			else if (strcmp(optarg, "json") == 0)
				o->format = FMT_JSON;
			else if (strcmp(optarg, "summary") == 0)
				o->format = FMT_SUMMARY;
			else
				return usage_error(argv[0], "--format is text, markdown, json or summary");
			break;
		case 'q':
			o->quiet = true;
			break;
		case OPT_NO_TRACE:
			o->no_trace = true;
			break;
		case OPT_NO_PCAP:
			o->no_pcap = true;
			break;
		case OPT_NO_GRAPHS:
			o->no_graphs = true;
			break;
		case OPT_HELP:
			fputs(run_help, stdout);
			exit(0);
		default: {
			char msg[128];
			snprintf(msg, sizeof msg, "unknown option %s", argv[optind - 1]);
			return usage_error(argv[0], msg);
		}
		}
	}
	if (optind >= argc)
		return usage_error(argv[0], "no scenario given");
	return 0;
}

static int cmd_run(int argc, char **argv)
{
	struct run_opts o = { .out_dir = "out" };
	int rc = parse_run_options(argc, argv, &o);
	if (rc)
		return rc;
	int n = argc - optind;
	char **paths = argv + optind;
	struct scenario *scs = calloc((size_t)n, sizeof *scs);
	if (!scs)
		return EXIT_ENV;
	if (load_all(n, paths, scs)) {
		free_all(n, scs);
		return EXIT_USAGE;
	}
	char err[1024];
	if (make_dirs(o.out_dir, err, sizeof err) < 0) {
		fprintf(stderr, "tcpsim: %s\n", err);
		free_all(n, scs);
		return EXIT_ENV;
	}
	int status = 0;
	for (int i = 0; i < n; i++) {
		struct run_opts oi = o;
		if (!o.format_given && scs[i].ep[ROLE_CLIENT].count > 1)
			oi.format = FMT_SUMMARY;
		int r = run_one(&scs[i], &oi, err, sizeof err);
		if (r < 0) {
			fprintf(stderr, "tcpsim: %s\n", err);
			status = EXIT_ENV;
		} else if (r == EXIT_EXPECT && status == 0) {
			status = EXIT_EXPECT;
		}
		if (i + 1 < n && !o.quiet && oi.format != FMT_JSON)
			putchar('\n');
	}
	free_all(n, scs);
	return status;
}

static int cmd_check(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--help") == 0) {
		fputs(check_help, stdout);
		return 0;
	}
	if (argc < 2)
		return usage_error(argv[0], "no scenario given");
	int bad = 0;
	for (int i = 1; i < argc; i++) {
		struct scenario sc;
		char err[1024];
		if (scenario_load(argv[i], &sc, err, sizeof err) < 0) {
			fprintf(stderr, "%s\n", err);
			bad++;
			continue;
		}
		printf("%s: ok\n", argv[i]);
		scenario_free(&sc);
	}
	return bad ? EXIT_USAGE : 0;
}

static const char coverage_help[] =
	"usage: tcpsim coverage SCENARIO.yaml... [--format text|markdown] [--profile P] [--seed N]\n"
	"\n"
	"Runs the scenarios (writing nothing) and prints, for each row of the state\n"
	"table (docs/state-table.md), the scenarios that traverse it, then the totals.\n"
	"Exit 0 when every row is covered, 1 while one is not, 2 for bad input.\n";

/* Runs sc into the coverage sink only. */
static int cover_one(const struct scenario *sc, const struct sim_options *opt, struct coverage *cov)
{
	struct trace tr;
	struct sim_stats stats;
	char err[1024];
	trace_init(&tr);
	if (coverage_begin(cov, sc->base) < 0) {
		trace_free(&tr);
		return -1;
	}
	trace_add_sink(&tr, coverage_sink(cov));
	int rc = sim_run(sc, opt, &tr, &stats, err, sizeof err);
	if (rc < 0)
		fprintf(stderr, "tcpsim: %s\n", err);
	trace_free(&tr);
	return rc;
}

static int cmd_coverage(int argc, char **argv)
{
	struct run_opts o = { .out_dir = "out" };
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0) {
			fputs(coverage_help, stdout);
			return 0;
		}
	int rc = parse_run_options(argc, argv, &o);
	if (rc)
		return rc;
	if (o.format != FMT_TEXT && o.format != FMT_MARKDOWN)
		return usage_error(argv[0], "--format is text or markdown");
	int n = argc - optind;
	struct scenario *scs = calloc((size_t)n, sizeof *scs);
	if (!scs)
		return EXIT_ENV;
	if (load_all(n, argv + optind, scs)) {
		free_all(n, scs);
		return EXIT_USAGE;
	}
	struct coverage cov;
	coverage_init(&cov);
	int status = 0;
	for (int i = 0; i < n && status == 0; i++)
		if (cover_one(&scs[i], &o.sim, &cov) < 0)
			status = EXIT_ENV;
	if (status == 0) {
		if (o.format == FMT_MARKDOWN)
			coverage_write_markdown(stdout, &cov);
		else
			coverage_write_text(stdout, &cov);
		int tc, ta, sc, sa;
		coverage_totals(&cov, &tc, &ta, &sc, &sa);
		status = tc == ta && sc == sa ? 0 : EXIT_EXPECT;
	}
	coverage_free(&cov);
	free_all(n, scs);
	return status;
}

static int cmd_later(const char *cmd)
{
	fprintf(stderr, "tcpsim %s: not available in this version yet\n", cmd);
	return EXIT_USAGE;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs(usage_text, stderr);
		return EXIT_USAGE;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
		fputs(usage_text, stdout);
		return 0;
	}
	if (strcmp(cmd, "--version") == 0) {
		printf("tcpsim %s\n", TCPSIM_VERSION);
		return 0;
	}
	if (strcmp(cmd, "run") == 0)
		return cmd_run(argc - 1, argv + 1);
	if (strcmp(cmd, "check") == 0)
		return cmd_check(argc - 1, argv + 1);
	if (strcmp(cmd, "coverage") == 0)
		return cmd_coverage(argc - 1, argv + 1);
	if (strcmp(cmd, "replay") == 0 || strcmp(cmd, "compare") == 0 || strcmp(cmd, "graph") == 0 ||
	    strcmp(cmd, "sweep") == 0)
		return cmd_later(cmd);
	fprintf(stderr, "tcpsim: unknown command '%s'\n%s", cmd, usage_text);
	return EXIT_USAGE;
}
