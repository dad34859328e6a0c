/* cmd_replay.c - `tcpsim replay`: each scenario on real Linux sockets (replay.c). */
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"
#include "base/out_set.h"
#include "replay/replay.h"

static const char replay_help[] =
	"usage: tcpsim replay SCENARIO.yaml... [-o DIR] [-q]\n"
	"       tcpsim replay --cleanup [-o DIR]\n"
	"\n"
	"Replays each scenario on real Linux sockets: two network namespaces, one\n"
	"per endpoint, joined through the simulator's link model on a real clock.\n"
	"Writes DIR/NAME.kernel.pcap, DIR/NAME.kernel.trace.jsonl (the trace\n"
	"format of `run`, with the kernels' own state changes), and the pictures\n"
	"DIR/NAME.kernel.states.svg and DIR/NAME.kernel.ladder.svg, all put in\n"
	"place together once all are written, and prints the ladder. Needs root\n"
	"and /dev/net/tun. See docs/replay.md.\n"
	"\n"
	"  -o, --output DIR     where the files go (default ./out)\n"
	"  -q, --quiet          print nothing but errors\n"
	"      --cleanup        remove the namespaces and tracing instances a killed\n"
	"                       run left behind (with -o DIR, its temporary files in\n"
	"                       DIR too), then exit\n"
	"\n"
	"Exit status: 0 replayed, 2 bad input or usage, 3 the machine lacks root,\n"
	"/dev/net/tun or the tracepoint (said in one line), or a replay failed.\n";

struct scenario *cli_replay_setup(const char *cmd, const struct cli_opts *o, char **argv, int *status)
{
	char why[1024];
	int n = o->n_args;
	struct scenario *scs = cli_load_all(n, argv + o->first_arg, status);

	if (!scs)
		return NULL;
	if ((*status = cli_check_names(cmd, o, scs, n))) {
		cli_free_all(n, scs);
		return NULL;
	}
	if (!replay_available(why, sizeof(why)) || cli_make_dirs(o->out_dir, why, sizeof(why)) < 0) {
		fprintf(stderr, "tcpsim %s: %s\n", cmd, why);
		cli_free_all(n, scs);
		*status = EXIT_ENV;
		return NULL;
	}
	replay_install_signals();
	return scs;
}

/* `replay --cleanup [-o DIR]`. */
static int cleanup(int argc, char **argv)
{
	struct cli_opts o;
	char why[1024];

	argv[1] = argv[0];               /* the options after --cleanup */
	int rc = cli_parse(argc - 1, argv + 1, CLI_OUTPUT, replay_help, &o);
	if (rc)
		return rc;
	if (o.n_args)
		return cli_usage_error(argv[0], "--cleanup takes -o DIR only");
	if (!replay_available(why, sizeof(why))) {
		fprintf(stderr, "tcpsim replay: %s\n", why);
		return EXIT_ENV;
	}
	if (replay_cleanup(stdout, why, sizeof(why)) < 0) {
		fprintf(stderr, "tcpsim replay: %s\n", why);
		return EXIT_ENV;
	}
	if (o.out_dir_given) {
		int n = out_set_remove_stale(o.out_dir, why, sizeof(why));
		if (n < 0) {
			fprintf(stderr, "tcpsim replay: %s\n", why);
			return EXIT_ENV;
		}
		printf("removed %d temporary file%s in %s\n", n, n == 1 ? "" : "s", o.out_dir);
	}
	return 0;
}

int cmd_replay(int argc, char **argv)
{
	char why[1024];

	if (argc >= 2 && strcmp(argv[1], "--cleanup") == 0)
		return cleanup(argc, argv);
	struct cli_opts o;
	int rc = cli_parse(argc, argv, CLI_OUTPUT | CLI_QUIET, replay_help, &o);
	if (rc)
		return rc;
	if (o.n_args == 0)
		return cli_usage_error(argv[0], "no scenario given");
	int n = o.n_args, status = 0;
	struct scenario *scs = cli_replay_setup("replay", &o, argv, &status);
	if (!scs)
		return status;
	for (int i = 0; i < n; i++) {
		struct replay_stats st;
		struct out_set set = OUT_SET_INIT;
		if (out_set_open(&set, o.out_dir, why, sizeof(why)) < 0 ||
		    replay_run(&scs[i], &set, o.quiet ? NULL : stdout, &st, why, sizeof(why)) < 0 ||
		    out_set_commit(&set, why, sizeof(why)) < 0) {
			fprintf(stderr, "tcpsim replay: %s\n", why);
			status = EXIT_ENV;
		}
		out_set_close(&set);
		if (i + 1 < n && !o.quiet)
			putchar('\n');
	}
	cli_free_all(n, scs);
	return status;
}
