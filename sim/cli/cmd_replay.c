/* cmd_replay.c - `tcpsim replay`: each scenario on real Linux sockets (replay.c). */
#include <stdio.h>
#include <string.h>
#include "base/out_set.h"
#include "cli/cli_replay.h"

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
	struct replay_cleanup_counts removed;
	if (replay_cleanup(&removed, why, sizeof(why)) < 0) {
		fprintf(stderr, "tcpsim replay: %s\n", why);
		return EXIT_ENV;
	}
	printf("removed %d namespace%s (%s*) and %d tracing instance%s (%s*)\n", removed.namespaces,
	       removed.namespaces == 1 ? "" : "s", removed.namespace_prefix, removed.instances,
	       removed.instances == 1 ? "" : "s", removed.instance_prefix);
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

/* Replays sc, prints (unless -q) the settings Linux cannot follow, the
 * ladder and the closing line, and puts the files in place. Returns 0, or -1
 * with err set (the files then stay as they were). */
static int replay_one(const struct scenario *sc, const struct cli_opts *o, char *err, size_t errlen)
{
	struct cli_replay rp;
	cli_replay_init(&rp);
	int rc = cli_replay_run(&rp, sc, o, err, errlen);

	if (!o->quiet && rp.st.cannot_follow[0])
		printf("tcpsim replay: %s: Linux cannot follow: %s\n", sc->name, rp.st.cannot_follow);
	if (rc == 0 && !o->quiet) {
		cli_print_ladder(stdout, &rp.log, false);
		cli_replay_print_cannot(stdout, sc, &rp.log);
		cli_replay_print_summary(stdout, sc, &rp.st);
	}
	if (rc == 0)
		rc = out_set_commit(&rp.out.set, err, errlen);
	cli_replay_free(&rp);
	fflush(stdout);
	return rc;
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
		if (replay_one(&scs[i], &o, why, sizeof(why)) < 0) {
			fprintf(stderr, "tcpsim replay: %s\n", why);
			status = EXIT_ENV;
		}
		if (i + 1 < n && !o.quiet)
			putchar('\n');
	}
	cli_free_all(n, scs);
	return status;
}
