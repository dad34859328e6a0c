/* cmd_coverage.c - `tcpsim coverage`: which rows of the state table a set
 * of scenarios traverses. */
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"
#include "output/coverage.h"

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

int cmd_coverage(int argc, char **argv)
{
	struct cli_opts o;
	int rc = cli_parse(argc, argv, CLI_SEED | CLI_PROFILE | CLI_FORMAT, coverage_help, &o);
	if (rc)
		return rc;
	bool markdown = o.format && strcmp(o.format, "markdown") == 0;
	if (o.format && !markdown && strcmp(o.format, "text") != 0)
		return cli_usage_error(argv[0], "--format is text or markdown");
	if (o.n_args == 0)
		return cli_usage_error(argv[0], "no scenario given");
	int n = o.n_args, status = 0;
	struct scenario *scs = cli_load_all(n, argv + o.first_arg, &status);
	if (!scs)
		return status;
	struct coverage cov;
	coverage_init(&cov);
	for (int i = 0; i < n && status == 0; i++)
		if (cover_one(&scs[i], &o.sim, &cov) < 0)
			status = EXIT_ENV;
	if (status == 0) {
		if (markdown)
			coverage_write_markdown(stdout, &cov);
		else
			coverage_write_text(stdout, &cov);
		int tc, ta, sc, sa;
		coverage_totals(&cov, &tc, &ta, &sc, &sa);
		status = tc == ta && sc == sa ? 0 : EXIT_EXPECT;
	}
	coverage_free(&cov);
	cli_free_all(n, scs);
	return status;
}
