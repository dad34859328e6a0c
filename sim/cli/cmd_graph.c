/* cmd_graph.c - `tcpsim graph`: the state diagram, plain or with a
 * scenario's paths, or a scenario's ladder, as svg, png, pdf or dot. */
#include <stdio.h>
#include <string.h>
#include "base/out_set.h"
#include "cli/cli.h"
#include "output/graph.h"
#include "trace/trace_log.h"

static const char graph_help[] =
	"usage: tcpsim graph [SCENARIO.yaml] [-o DIR] [--format svg|png|pdf|dot] [--ladder]\n"
	"                    [--endpoint client|server] [--seed N] [--profile P] [--connection K]\n"
	"                    [--time linear|log|compressed] [--from T] [--to T] [--slides]\n"
	"                    [--labels short|tcpdump] [--abs-seq] [--self-loops]\n"
	"\n"
	"Without a scenario, draws RFC 9293's state diagram: DIR/rfc9293.states.FORMAT.\n"
	"With one, runs it and draws each endpoint's path on the diagram\n"
	"(DIR/NAME.states.FORMAT), or with --ladder its time-sequence diagram\n"
	"(DIR/NAME.ladder.FORMAT). --endpoint draws one side only. With several\n"
	"clients, the pictures show client#1 and server#1, or client#K and server#K\n"
	"with --connection K. Default format: svg.\n"
	"--time (the ladder's time axis: compressed, the default, linear or log),\n"
	"--from T and --to T (the rows between two times, 1.5s, 200ms), --slides\n"
	"(the ladder as 16:9 pages DIR/NAME.ladder-1.FORMAT, ...): see `tcpsim run --help`.\n"
	"On the ladder, --labels short writes SYN, SYN+ACK, ACK, FIN+ACK, RST,\n"
	"data 1-1000 instead of tcpdump's notation, and --abs-seq absolute sequence\n"
	"numbers (tcpdump -S).\n"
	"On the state diagram, --self-loops draws each row of the state table a side\n"
	"took without changing state (S16 \"rcv FIN again / snd ACK, restart 2MSL\",\n"
	"a retransmission T52a-f) as a loop on its state, with the row's ID.\n";

static bool known_format(const char *f)
{
	return !strcmp(f, "svg") || !strcmp(f, "png") || !strcmp(f, "pdf") || !strcmp(f, "dot");
}

/* --slides: the ladder's pages, DIR/NAME.ladder-1.FORMAT, ..., written as
 * one set (all of them or none), each name printed. */
static int graph_slides(const struct scenario *sc, const struct cli_opts *o, const char *fmt,
			const struct trace_log *log, char *err, size_t errlen)
{
	struct out_set set = OUT_SET_INIT;
	char prefix[TMPFILES_NAME_MAX + 1];
	int rc;

	snprintf(prefix, sizeof prefix, "%s.ladder", sc->base);
	rc = out_set_open(&set, o->out_dir, err, errlen);
	if (rc == 0)
		rc = graph_put_ladder_pages(&set, prefix, log, &o->ladder_view, fmt, err, errlen);
	for (int i = 0; rc == 0 && i < set.n; i++)
		printf("%s/%s\n", o->out_dir, set.f[i].name);
	if (rc == 0)
		rc = out_set_commit(&set, err, errlen);
	out_set_close(&set);
	return rc;
}

/* Runs sc into a trace log and draws it. */
static int graph_scenario(const struct scenario *sc, const struct cli_opts *o, const char *fmt,
			  char *err, size_t errlen)
{
	struct trace tr;
	struct trace_log log;
	struct sim_stats stats;
	char path[4096];
	trace_init(&tr);
	trace_log_init(&log, &tr);
	cli_show_connection(sc, o, false, &log);
	cli_show_labels(o, &log);
	trace_add_sink(&tr, trace_log_sink(&log));
	int rc = sim_run(sc, &o->sim, &tr, &stats, err, errlen);
	if (rc == 0 && o->slides) {
		rc = graph_slides(sc, o, fmt, &log, err, errlen);
	} else if (rc == 0) {
		snprintf(path, sizeof path, "%s/%s.%s.%s", o->out_dir, sc->base, o->ladder ? "ladder" : "states", fmt);
		rc = o->ladder ? graph_ladder_write_view(&log, o->side, &o->ladder_view, fmt, path, err, errlen) :
				 graph_states_write_view(&log, o->side, NULL, &o->states_view, fmt, path, err, errlen);
		if (rc == 0)
			printf("%s\n", path);
	}
	trace_log_free(&log);
	trace_free(&tr);
	return rc;
}

int cmd_graph(int argc, char **argv)
{
	struct cli_opts o;
	int rc = cli_parse(argc, argv, CLI_OUTPUT | CLI_FORMAT | CLI_LADDER | CLI_ENDPOINT | CLI_SEED | CLI_PROFILE |
			   CLI_CONNECTION | CLI_LADDER_VIEW | CLI_LABELS | CLI_STATES_VIEW, graph_help, &o);
	if (rc)
		return rc;
	const char *fmt = o.format ? o.format : "svg";
	if (!known_format(fmt))
		return cli_usage_error(argv[0], "--format is svg, png, pdf or dot");
	if (o.n_args > 1)
		return cli_usage_error(argv[0], "one scenario at most");
	bool view_given = o.ladder_view.time != GRAPH_TIME_COMPRESSED || o.ladder_view.has_from ||
			  o.ladder_view.has_to || o.slides;
	if (view_given && !o.ladder)
		return cli_usage_error(argv[0], "--time, --from, --to and --slides draw the ladder: add --ladder");
	if (o.ladder_view.has_from && o.ladder_view.has_to && o.ladder_view.to < o.ladder_view.from)
		return cli_usage_error(argv[0], "--to is before --from");
	if (o.n_args == 0 && (o.ladder || o.side != GRAPH_BOTH))
		return cli_usage_error(argv[0], "--ladder and --endpoint draw a scenario: give one");
	if (o.states_view.self_loops && o.ladder)
		return cli_usage_error(argv[0], "--self-loops draws on the state diagram: leave out --ladder");
	if (o.states_view.self_loops && o.n_args == 0)
		return cli_usage_error(argv[0], "--self-loops draws a scenario's: give one");
	int status = 0;
	struct scenario *scs = NULL;
	if (o.n_args == 1 && !(scs = cli_load_all(1, argv + o.first_arg, &status)))
		return status;
	if (o.connection && !scs)
		return cli_usage_error(argv[0], "--connection draws a scenario: give one");
	if ((status = cli_check_connection(argv[0], &o, scs, 1))) {
		cli_free_all(1, scs);
		return status;
	}
	char err[1024];
	if (cli_make_dirs(o.out_dir, err, sizeof err) < 0) {
		fprintf(stderr, "tcpsim: %s\n", err);
		cli_free_all(1, scs);
		return EXIT_ENV;
	}
	if (scs) {
		rc = graph_scenario(&scs[0], &o, fmt, err, sizeof err);
	} else {
		char path[4096];
		snprintf(path, sizeof path, "%s/rfc9293.states.%s", o.out_dir, fmt);
		rc = graph_states_write(NULL, GRAPH_BOTH, "The TCP connection state diagram (RFC 9293)", fmt,
					path, err, sizeof err);
		if (rc == 0)
			printf("%s\n", path);
	}
	if (rc < 0) {
		fprintf(stderr, "tcpsim: %s\n", err);
		status = EXIT_ENV;
	}
	cli_free_all(1, scs);
	return status;
}
