/* cmd_run.c - `tcpsim run`: run scenarios, print the ladder, write the
 * files, check `expect`. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "base/out_set.h"
#include "check/expect.h"
#include "cli/cli.h"
#include "cli/cli_output.h"
#include "output/json_out.h"
#include "output/summary.h"
#include "trace/trace_log.h"

static const char run_help[] =
	"usage: tcpsim run SCENARIO.yaml... [options]\n"
	"\n"
	"Runs each scenario in the simulator, prints the exchange as a ladder, writes\n"
	"DIR/NAME.trace.jsonl, DIR/NAME.pcap, DIR/NAME.pcapng, DIR/NAME.states.dot,\n"
	"DIR/NAME.states.svg, DIR/NAME.ladder.svg and DIR/NAME.html, the page that\n"
	"steps through the run (put in place together once all are written: an\n"
	"interrupted or failed run leaves the previous run's files as they were),\n"
	"and checks the scenario's `expect`.\n"
	"\n"
	"  -o, --output DIR     where the files go (default ./out)\n"
	"      --seed N         overrides the scenario's seed\n"
	"      --profile P      rfc9293 or linux: the timer defaults (overrides the scenario's)\n"
	"      --format F       text (the ladder, default), markdown (a handout table),\n"
	"                       json (the trace lines; with more than one client, the\n"
	"                       summary as one JSON object), summary (totals, end states,\n"
	"                       percentiles; the default with more than one client),\n"
	"                       summary-json (the summary as one JSON object)\n"
	"  -q, --quiet          print nothing but failures\n"
	"      --no-trace       do not write NAME.trace.jsonl\n"
	"      --no-pcap        do not write NAME.pcap and NAME.pcapng\n"
	"      --no-pcapng      do not write NAME.pcapng (the capture at each end, with\n"
	"                       comments): a run of many connections is faster without\n"
	"      --no-graphs      do not write the pictures (nor the page)\n"
	"      --no-page        do not write NAME.html, the page that steps through the\n"
	"                       run (see tcpsim page --help)\n"
	"      --connection K   with several clients, the ladder and pictures show\n"
	"                       client#K and server#K (default 1)\n"
	"      --time M         the ladder picture's time axis: compressed (default: to\n"
	"                       scale up to two one-way delays, longer gaps shrunk as\n"
	"                       their fourth root, marked and labelled with their\n"
	"                       length; a backoff's doublings still grow), linear (one\n"
	"                       scale, no breaks) or log (every gap as log2(1 + gap/delay))\n"
	"      --from T, --to T the ladder picture shows the rows from T to T only\n"
	"                       (1.5s, 200ms; the states at T head it)\n"
	"      --slides         also writes the ladder as 16:9 pages that each stand\n"
	"                       alone: DIR/NAME.ladder-1.svg, NAME.ladder-2.svg, ...\n"
	"                       (at most 40; pages of a longer earlier run stay)\n"
	"      --labels L       the ladders' segment words: tcpdump (the notation of\n"
	"                       expect.segments, default) or short (SYN, SYN+ACK, ACK,\n"
	"                       FIN+ACK, RST, data 1-1000)\n"
	"      --abs-seq        absolute sequence numbers in the ladders (tcpdump -S)\n"
	"      --self-loops     the state diagram also draws, as a loop on its state, each\n"
	"                       row a side took without changing state (a response such\n"
	"                       as S16 \"rcv FIN again / snd ACK, restart 2MSL\", a\n"
	"                       retransmission T52a-f), with the row's ID, no step number\n"
	"\n"
	"Exit status: 0 every expectation held, 1 one failed (the difference is printed)\n"
	"or the run was stopped by a bound or the loop guard (said on stderr),\n"
	"2 bad input or usage (FILE:LINE:COL: message, or two scenarios with the same\n"
	"file name; nothing is written), 3 a file (or standard output) could not be\n"
	"written. Standard output closed early (| head) ends the run by SIGPIPE (the\n"
	"files not yet in place are not written); with SIGPIPE ignored, the run goes\n"
	"on, writes its files and exits 3.\n";

enum format { FMT_TEXT, FMT_MARKDOWN, FMT_JSON, FMT_SUMMARY, FMT_SUMMARY_JSON };

/* The closing line of the text and markdown formats. Its counts are the
 * summary's (t), read from the trace as every other output's are, so that
 * no two formats disagree (segments sent are the TCPs'; forged ones are
 * counted apart); the event count is the engine's. */
static void print_summary(FILE *out, const struct scenario *sc, const struct sim_stats *s,
			  const struct summary_totals *t, const struct expect_result *res)
{
	char until[64] = "", host[64] = "", forged[32] = "";
	if (t->segments_dropped_by_host)
		snprintf(host, sizeof host, ", %llu SYNs dropped by the listener (backlog full)",
			 (unsigned long long)t->segments_dropped_by_host);
	if (t->segments_forged)
		snprintf(forged, sizeof forged, " and %llu forged", (unsigned long long)t->segments_forged);
	if (s->stop == SIM_STOP_UNTIL)
		snprintf(until, sizeof until, ", stopped by until at %.6f s", (double)sc->until / 1e6);
	fprintf(out, "%s: %llu events, %llu segments sent%s (%llu dropped, %llu duplicated), "
		     "%llu retransmissions%s, last event at %.6f s%s: %s\n",
		sc->name, (unsigned long long)s->events, (unsigned long long)t->segments_sent, forged,
		(unsigned long long)t->segments_dropped, (unsigned long long)t->segments_duplicated,
		(unsigned long long)t->retransmissions, host, (double)t->end_us / 1e6, until,
		res->n_failures ? "FAILED" : "ok");
}

/* Runs one scenario and writes its files, as one set (out_set.h): all of
 * them are put in place once all are written, or none is. Returns 0
 * (expectations held), EXIT_EXPECT, or -1 with err set (an I/O error or out
 * of memory). */
static int run_one(const struct scenario *sc, const struct cli_opts *o, enum format fmt, char *err, size_t errlen)
{
	struct trace tr;
	struct trace_log log;
	struct json_out *so = NULL;
	struct cli_output w = CLI_OUTPUT_INIT;
	struct cli_output_files files = {
		.kind = "", .trace = !o->no_trace, .pcap = !o->no_pcap, .graphs = !o->no_graphs, .dot = true,
		.view = &o->ladder_view, .slides = o->slides && !o->no_graphs, .states_view = &o->states_view,
		.pcapng = !o->no_pcap && !o->no_pcapng, .page = !o->no_graphs && !o->no_page,
		.page_ctx = { .scenario_path = sc->path, .connections = sc->ep[ROLE_CLIENT].count,
			      .shown = scenario_shown_connection(sc, o->connection), .view = &o->ladder_view },
	};
	struct sim_stats stats;
	struct expect_result res = { 0 };
	files.n_keep = cli_shown_endpoints(sc, o, files.keep);
	struct expect_stream *xs = NULL;
	struct summary *sum = NULL;
	int rc = -1;

	bool many = sc->ep[ROLE_CLIENT].count > 1;
	/* The in-memory log feeds the ladder, the pictures and expect.segments.
	 * A run of many clients keeps only the events of the connection the
	 * pictures show (--connection) unless expect.segments needs them all. */
	bool want_log = !many || sc->expect.has_segments || !o->no_graphs || files.page ||
			(!o->quiet && (fmt == FMT_TEXT || fmt == FMT_MARKDOWN));

	trace_init(&tr);
	trace_log_init(&log, &tr);
	cli_show_connection(sc, o, sc->expect.has_segments, &log);
	cli_show_labels(o, &log);
	log.keep_vars = files.page;
	if (want_log)
		trace_add_sink(&tr, trace_log_sink(&log));
	if (expect_stream_needed(sc)) {
		if (!(xs = expect_stream_new(sc, &tr)))
			goto oom;
		trace_add_sink(&tr, expect_stream_sink(xs));
	}
	/* Every format but json prints totals: the summary counts them. */
	if (!o->quiet && fmt != FMT_JSON) {
		if (!(sum = summary_new(&tr)))
			goto oom;
		trace_add_sink(&tr, summary_sink(sum));
	}
	if (cli_output_open(&w, sc, o->out_dir, &files, &tr, err, errlen) < 0)
		goto out;
	if (!o->quiet && fmt == FMT_JSON) {
		if (!(so = json_out_new(stdout)))
			goto oom;
		trace_add_sink(&tr, json_out_sink(so));
	}
	if (sim_run(sc, &o->sim, &tr, &stats, err, errlen) < 0)
		goto out;
	if ((want_log && expect_check(sc, &log, &res) < 0) || (xs && expect_stream_finish(xs, &res) < 0))
		goto oom;
	/* A run cut short by a bound or the loop guard (docs/scenario-format.md,
	 * "Every run ends") writes everything up to there, says why on stderr
	 * and exits 1; the trace's result line carries the same words. */
	size_t n_expect_failures = res.n_failures;
	char stop_msg[512] = "";
	if (sim_stopped_early(&stats)) {
		sim_stop_message(sc, &stats, &tr, stop_msg, sizeof stop_msg);
		if (expect_result_addf(&res, "%s", stop_msg) < 0)
			goto oom;
	}
	struct trace_event rev = { .type = TRACE_RESULT, .t_us = stats.end_us, .endpoint = -1 };
	rev.u.result.ok = res.n_failures == 0;
	rev.u.result.failures = (const char *const *)res.failures;
	rev.u.result.n_failures = res.n_failures;
	trace_emit(&tr, &rev);
	if (so) {
		json_out_finish(so);
		so = NULL;
	}
	if (cli_output_finish(&w, &log, err, errlen) < 0 || out_set_commit(&w.set, err, errlen) < 0)
		goto out;

	if (!o->quiet) {
		if (many && (fmt == FMT_TEXT || fmt == FMT_MARKDOWN))
			printf("Connection %u of %u:\n", scenario_shown_connection(sc, o->connection),
			       sc->ep[ROLE_CLIENT].count);
		if (fmt == FMT_TEXT || fmt == FMT_MARKDOWN)
			cli_print_ladder(stdout, &log, fmt == FMT_MARKDOWN);
		if (sum) {
			struct summary_totals t;
			if (summary_totals(sum, &t) < 0)
				goto oom;
			if (fmt == FMT_SUMMARY_JSON) {
				summary_print_json(stdout, &t);
			} else if (fmt == FMT_SUMMARY) {
				summary_print_text(stdout, &t);
				printf("  result    %s\n", res.n_failures ? "FAILED" : "ok");
			} else {
				print_summary(stdout, sc, &stats, &t, &res);
			}
		}
	}
	for (size_t i = 0; i < n_expect_failures; i++)
		fprintf(o->quiet || fmt == FMT_JSON || fmt == FMT_SUMMARY_JSON ? stderr : stdout, "%s: %s\n", sc->path,
			res.failures[i]);
	if (stop_msg[0])
		fprintf(stderr, "tcpsim: %s: %s\n", sc->path, stop_msg);
	rc = res.n_failures ? EXIT_EXPECT : 0;
	goto out;
oom:
	snprintf(err, errlen, "%s: out of memory", sc->path);
out:
	if (so)
		json_out_finish(so);
	cli_output_close(&w);            /* what was not committed goes */
	expect_result_free(&res);
	expect_stream_free(xs);
	summary_free(sum);
	trace_log_free(&log);
	trace_free(&tr);
	fflush(stdout);
	return rc;
}

static int parse_format(const char *s, enum format *fmt)
{
	static const char *const names[] = { "text", "markdown", "json", "summary", "summary-json" };
	for (int i = 0; i < 5; i++)
		if (strcmp(s, names[i]) == 0) {
			*fmt = (enum format)i;
			return 0;
		}
	return -1;
}

int cmd_run(int argc, char **argv)
{
	struct cli_opts o;
	int rc = cli_parse(argc, argv, CLI_OUTPUT | CLI_SEED | CLI_PROFILE | CLI_FORMAT | CLI_QUIET | CLI_NO_FILES |
			   CLI_CONNECTION | CLI_LADDER_VIEW | CLI_LABELS | CLI_STATES_VIEW, run_help, &o);
	if (rc)
		return rc;
	enum format fmt = FMT_TEXT;
	if (o.format && parse_format(o.format, &fmt) < 0)
		return cli_usage_error(argv[0], "--format is text, markdown, json, summary or summary-json");
	if (o.ladder_view.has_from && o.ladder_view.has_to && o.ladder_view.to < o.ladder_view.from)
		return cli_usage_error(argv[0], "--to is before --from");
	if (o.n_args == 0)
		return cli_usage_error(argv[0], "no scenario given");
	int n = o.n_args, status = 0;
	struct scenario *scs = cli_load_for_files(argv[0], &o, argv, &status);
	if (!scs)
		return status;
	char err[1024];
	for (int i = 0; i < n; i++) {
		enum format f = fmt;
		bool many = scs[i].ep[ROLE_CLIENT].count > 1;
		if (!o.format && many)
			f = FMT_SUMMARY;
		if (f == FMT_JSON && many)     /* a million connections' trace lines are the file's job */
			f = FMT_SUMMARY_JSON;
		int r = run_one(&scs[i], &o, f, err, sizeof err);
		if (r < 0) {
			fprintf(stderr, "tcpsim: %s\n", err);
			status = EXIT_ENV;
		} else if (r == EXIT_EXPECT && status == 0) {
			status = EXIT_EXPECT;
		}
		if (i + 1 < n && !o.quiet && f != FMT_JSON && f != FMT_SUMMARY_JSON)
			putchar('\n');
	}
	cli_free_all(n, scs);
	/* Standard output closed early with SIGPIPE ignored (at its default,
	 * the signal ends the run, its temporaries removed): the files are
	 * complete and in place, but what was printed is not. */
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "tcpsim run: standard output could not be written%s\n",
			errno == EPIPE ? " (closed early)" : "");
		status = EXIT_ENV;
	}
	return status;
}

static const char check_help[] =
	"usage: tcpsim check SCENARIO.yaml...\n"
	"\n"
	"Validates the scenarios without running them: prints FILE: ok for each valid\n"
	"one, and for each invalid one a single FILE:LINE:COL: message, its first\n"
	"error (a later one may only follow from it, and YAML cannot be read past a\n"
	"syntax error): fix it and check again. Every file is checked.\n"
	"Exit 0 when all are valid, 2 otherwise.\n";

int cmd_check(int argc, char **argv)
{
	struct cli_opts o;
	int rc = cli_parse(argc, argv, 0, check_help, &o);
	if (rc)
		return rc;
	if (o.n_args == 0)
		return cli_usage_error(argv[0], "no scenario given");
	int bad = 0;
	for (int i = o.first_arg; i < argc; i++) {
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
