/* cmd_compare.c - `tcpsim compare`: each scenario run in the simulator and
 * replayed on Linux, the two traces side by side (compare.c). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "base/out_set.h"
#include "check/compare.h"
#include "cli/cli_replay.h"
#include "replay/replay_timers.h"
#include "trace/trace_log.h"

static const char compare_help[] =
	"usage: tcpsim compare SCENARIO.yaml... [-o DIR] [-q]\n"
	"\n"
	"Runs each scenario in the simulator (the linux profile unless the scenario\n"
	"names one) and replays it on real Linux sockets (as `tcpsim replay`), then\n"
	"prints, per endpoint, the two state sequences side by side and the segments\n"
	"side by side, each difference tagged `known Kn` (docs/linux-differences.md)\n"
	"or UNEXPECTED. Writes DIR/NAME.compare.md (the same as markdown tables) and\n"
	"the replay's files (as `tcpsim replay`), all put in place together.\n"
	"\n"
	"  -o, --output DIR     where the files go (default ./out)\n"
	"  -q, --quiet          print only the summary line of each scenario\n"
	"\n"
	"Exit status: 0 nothing unexpected differs, 1 something does, 2 bad input or\n"
	"usage, 3 the machine cannot replay (said in one line) or a replay failed.\n";

static usec_t link_delay(const struct scenario *sc)
{
	usec_t d = 0;

	for (int i = 0; i < NROLES; i++)
		if (sc->link.dir[i].delay + sc->link.dir[i].jitter > d)
			d = sc->link.dir[i].delay + sc->link.dir[i].jitter;
	return d;
}

/* DIR/NAME.compare.md, into the scenario's set. */
static int write_markdown(const struct scenario *sc, struct out_set *set, const struct compare_result *res,
			  char *err, size_t errlen)
{
	char name[TMPFILES_NAME_MAX + 1];
	FILE *fp;

	snprintf(name, sizeof name, "%s.compare.md", sc->base);
	if (!(fp = out_set_fopen(set, name, err, errlen)))
		return -1;
	compare_print_markdown(fp, sc->name, sc->summary, res);
	if (fclose(fp) != 0) {
		snprintf(err, errlen, "%s/%s: write failed", set->dir, name);
		return -1;
	}
	return 0;
}

/* One scenario: 0 nothing unexpected, 1 something, EXIT_ENV a failure. */
static int compare_one(const struct scenario *orig, const struct cli_opts *o)
{
	struct scenario sc = *orig;
	struct sim_options opt = { 0 };
	struct sim_stats ss;
	struct trace str;
	struct trace_log slog;
	struct cli_replay rp;
	struct compare_result res = { 0 };
	char err[1024];
	int rc = EXIT_ENV;

	if (!sc.has_profile)
		sc.profile = PROFILE_LINUX;
	/* The linux profile's kernel-dependent values, as this kernel has them
	 * (docs/decisions.md): without tcp_syn_linear_timeouts (before Linux
	 * 6.5, e.g. Debian 12's 6.1) SYN timeouts back off from the first. */
	if (sc.profile == PROFILE_LINUX && !sc.tcp.has_syn_linear_timeouts &&
	    !replay_kernel_has_sysctl("tcp_syn_linear_timeouts")) {
		sc.tcp.has_syn_linear_timeouts = true;
		sc.tcp.v.syn_linear_timeouts = 0;
		if (!o->quiet)
			printf("%s: this kernel has no tcp_syn_linear_timeouts: the simulator runs with "
			       "syn_linear_timeouts 0\n", sc.name);
	}
	trace_init(&str);
	trace_log_init(&slog, &str);
	trace_add_sink(&str, trace_log_sink(&slog));
	cli_replay_init(&rp);
	if (sim_run(&sc, &opt, &str, &ss, err, sizeof err) < 0)
		goto out;
	if (cli_replay_run(&rp, &sc, o, err, sizeof err) < 0)
		goto out;
	if (slog.out_of_memory || rp.log.out_of_memory ||
	    compare_logs(&slog, &rp.log, link_delay(&sc), &res) < 0) {
		snprintf(err, sizeof err, "%s: out of memory", sc.path);
		goto out;
	}
	if (!o->quiet && rp.st.cannot_follow[0])
		printf("%s: the replay: Linux cannot follow: %s\n", sc.name, rp.st.cannot_follow);
	if (!o->quiet)
		compare_print_text(stdout, sc.name, &res);
	else
		printf("%s: %zu known differences, %zu Linux cannot, %zu unexpected: %s\n", sc.name, res.n_known,
		       res.n_cannot, res.n_unexpected, res.n_unexpected ? "DIFFERENT" : "ok");
	/* The replay's files and the comparison, in place together. */
	if (write_markdown(&sc, &rp.out.set, &res, err, sizeof err) < 0 ||
	    out_set_commit(&rp.out.set, err, sizeof err) < 0)
		goto out;
	rc = res.n_unexpected ? EXIT_EXPECT : 0;
out:
	if (rc == EXIT_ENV)
		fprintf(stderr, "tcpsim compare: %s\n", err);
	cli_replay_free(&rp);
	compare_free(&res);
	trace_log_free(&slog);
	trace_free(&str);
	fflush(stdout);
	return rc;
}

int cmd_compare(int argc, char **argv)
{
	struct cli_opts o;
	int rc = cli_parse(argc, argv, CLI_OUTPUT | CLI_QUIET, compare_help, &o);

	if (rc)
		return rc;
	if (o.n_args == 0)
		return cli_usage_error(argv[0], "no scenario given");
	int n = o.n_args, status = 0;
	struct scenario *scs = cli_replay_setup("compare", &o, argv, &status);
	if (!scs)
		return status;
	for (int i = 0; i < n; i++) {
		int r = compare_one(&scs[i], &o);
		if (r > status)
			status = r;
		if (i + 1 < n && !o.quiet)
			putchar('\n');
	}
	cli_free_all(n, scs);
	return status;
}
