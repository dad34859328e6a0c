/* cmd_page.c - `tcpsim page`: for each scenario, the step-through page
 * alone (NAME.html, output/page.h), as `run` writes it beside its other
 * files. */
#include <stdio.h>
#include "base/out_set.h"
#include "cli/cli.h"
#include "output/page.h"
#include "trace/trace_log.h"

static const char page_help[] =
	"usage: tcpsim page SCENARIO.yaml... [options]\n"
	"\n"
	"Runs each scenario and writes DIR/NAME.html, one file that steps through the\n"
	"run: the ladder and the state diagram side by side, and at each step the\n"
	"segment highlighted on the ladder (in flight, delivered, or lost where the\n"
	"link lost it), each endpoint's state and the arc just taken on the diagram,\n"
	"the event in words with its RFC 9293 row and section, the timers running and\n"
	"both endpoints' variables (SND.UNA, SND.NXT, RCV.NXT, the windows, the\n"
	"retransmission queue, the RTO). It needs no network and no other file: open\n"
	"it from disk in a browser. Keys: right arrow or space next, left arrow\n"
	"previous, Home and End, p play, f presentation mode (the two pictures and the\n"
	"sentence, full screen, for a projector), Esc leaves it. The step is in the\n"
	"address (NAME.html#step=12), so a slide can link to a moment. `tcpsim run`\n"
	"writes the same page beside its other files. Prints the page's path.\n"
	"\n"
	"  -o, --output DIR     where the page goes (default ./out)\n"
	"      --seed N         overrides the scenario's seed\n"
	"      --profile P      rfc9293 or linux: the timer defaults (overrides the scenario's)\n"
	"      --connection K   with several clients, the page shows client#K and\n"
	"                       server#K (default 1, or the scenario's show.connection)\n"
	"                       and lists the others\n"
	"      --time M         the ladder's time axis: compressed (default), linear or log\n"
	"                       (see tcpsim run --help)\n"
	"      --labels L       the ladder's segment words: tcpdump (default) or short\n"
	"      --abs-seq        absolute sequence numbers in the ladder\n"
	"\n"
	"The scenario's `expect` is not checked (tcpsim run does). Exit status: 0 the\n"
	"pages are written (a run stopped by a bound or the loop guard is said on\n"
	"stderr), 2 bad input or usage (FILE:LINE:COL: message, or two scenarios with\n"
	"the same file name; nothing is written), 3 a file could not be written.\n";

/* Runs sc and writes its page, put in place whole or not at all. */
static int page_one(const struct scenario *sc, const struct cli_opts *o, char *err, size_t errlen)
{
	struct trace tr;
	struct trace_log log;
	struct out_set set = OUT_SET_INIT;
	struct sim_stats stats;
	struct page_context ctx = {
		.scenario_path = sc->path, .connections = sc->ep[ROLE_CLIENT].count,
		.shown = scenario_shown_connection(sc, o->connection), .view = &o->ladder_view,
	};
	char name[TMPFILES_NAME_MAX + 1], stop_msg[512];
	int rc = -1;

	trace_init(&tr);
	trace_log_init(&log, &tr);
	cli_show_connection(sc, o, false, &log);
	cli_show_labels(o, &log);
	log.keep_vars = true;
	trace_add_sink(&tr, trace_log_sink(&log));
	if (sim_run(sc, &o->sim, &tr, &stats, err, errlen) < 0)
		goto out;
	if (sim_stopped_early(&stats)) {
		sim_stop_message(sc, &stats, &tr, stop_msg, sizeof stop_msg);
		fprintf(stderr, "tcpsim: %s: %s\n", sc->path, stop_msg);
	}
	if (log.out_of_memory) {
		snprintf(err, errlen, "%s: out of memory", sc->path);
		goto out;
	}
	snprintf(name, sizeof name, "%s.html", sc->base);
	if (out_set_open(&set, o->out_dir, err, errlen) < 0 || page_put(&set, name, &log, &ctx, err, errlen) < 0 ||
	    out_set_commit(&set, err, errlen) < 0)
		goto out;
	printf("%s/%s\n", o->out_dir, name);
	rc = 0;
out:
	out_set_close(&set);             /* what was not committed goes */
	trace_log_free(&log);
	trace_free(&tr);
	return rc;
}

int cmd_page(int argc, char **argv)
{
	struct cli_opts o;
	int rc = cli_parse(argc, argv, CLI_OUTPUT | CLI_SEED | CLI_PROFILE | CLI_CONNECTION | CLI_LADDER_VIEW | CLI_LABELS,
			   page_help, &o);
	if (rc)
		return rc;
	if (o.n_args == 0)
		return cli_usage_error(argv[0], "no scenario given");
	if (o.slides || o.ladder_view.has_from || o.ladder_view.has_to)
		return cli_usage_error(argv[0], "the page shows the whole run: --from, --to and --slides are run's");
	int n = o.n_args, status = 0;
	struct scenario *scs = cli_load_for_files(argv[0], &o, argv, &status);
	if (!scs)
		return status;
	char err[1024];
	for (int i = 0; i < n; i++) {
		if (page_one(&scs[i], &o, err, sizeof err) < 0) {
			fprintf(stderr, "tcpsim: %s\n", err);
			status = EXIT_ENV;
		}
	}
	cli_free_all(n, scs);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "tcpsim page: standard output could not be written\n");
		status = EXIT_ENV;
	}
	return status;
}
