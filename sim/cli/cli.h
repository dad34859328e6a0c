/* cli.h - what the tcpsim commands share: options, exit codes, loading the
 * scenarios, checks made before anything is written. */
#ifndef TCPSIM_CLI_H
#define TCPSIM_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include "output/graph.h"
#include "scenario/scenario.h"
#include "engine/sim.h"
#include "trace/trace_log.h"

#define EXIT_EXPECT 1
#define EXIT_USAGE 2
#define EXIT_ENV 3

/* The options a command accepts (a bit set for cli_parse). */
enum cli_opt {
	CLI_OUTPUT = 1 << 0,     /* -o DIR */
	CLI_SEED = 1 << 1,       /* --seed N */
	CLI_PROFILE = 1 << 2,    /* --profile rfc9293|linux */
	CLI_FORMAT = 1 << 3,     /* --format F (each command checks F) */
	CLI_QUIET = 1 << 4,      /* -q */
	CLI_NO_FILES = 1 << 5,   /* --no-trace, --no-pcap, --no-graphs */
	CLI_LADDER = 1 << 6,     /* --ladder */
	CLI_ENDPOINT = 1 << 7,   /* --endpoint client|server */
	CLI_CONNECTION = 1 << 8, /* --connection K */
	CLI_LADDER_VIEW = 1 << 9, /* --time linear|log|compressed, --from T, --to T, --slides */
	CLI_LABELS = 1 << 15,    /* --labels short|tcpdump, --abs-seq (the ladders' words) */
	CLI_STATES_VIEW = 1 << 16, /* --self-loops (the state diagram's) */
};

struct cli_opts {
	const char *out_dir;         /* default "out" */
	bool out_dir_given;          /* -o was given */
	struct sim_options sim;
	const char *format;          /* NULL: the command's default */
	bool quiet, no_trace, no_pcap, no_pcapng, no_graphs, no_page, ladder;
	enum graph_side side;
	struct graph_ladder_view ladder_view;   /* the ladder picture's time axis and window */
	bool slides;                 /* --slides: the ladder as 16:9 pages too */
	uint32_t connection;         /* --connection K: the connection the pictures show; 0: the first */
	int first_arg, n_args;       /* the operands: argv[first_arg ...] */
	enum trace_labels labels;    /* --labels: tcpdump (default) or short */
	bool abs_seq;                /* --abs-seq: absolute sequence numbers */
	struct graph_states_view states_view;   /* --self-loops: what the state diagram shows */
};

/* Parses argv (argv[0] is the command's name) allowing the options in
 * `allowed`; `help` is printed for --help (then exit 0). Returns 0, or
 * EXIT_USAGE after printing the problem. */
int cli_parse(int argc, char **argv, unsigned allowed, const char *help, struct cli_opts *o);
/* The message for an option getopt_long refused: c is ':' (a value is
 * missing: "option -o needs WHAT", as the user spelt it: "option --output
 * needs a directory"), '?' (unknown: "unknown option -x"; a long one close to
 * one of names, NULL-terminated, gets "(did you mean --connection?)"), or an
 * option the command does not take (unknown too). arg is argv[optind - 1],
 * opt getopt's optopt (or c). */
void cli_option_message(int c, const char *arg, int opt, const char *what, const char *const *names,
			char *msg, size_t cap);
/* Prints "tcpsim CMD: msg" and the usage; returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *msg);

/* Loads every scenario before anything runs, printing each error as
 * FILE:LINE:COL: message. Returns NULL (after printing) when one is bad or
 * memory ran out; *status is then EXIT_USAGE or EXIT_ENV. */
struct scenario *cli_load_all(int n, char **paths, int *status);
void cli_free_all(int n, struct scenario *scs);

/* Checks --connection K against each of the n scenarios before anything
 * runs. Returns 0, or EXIT_USAGE after printing "tcpsim CMD: FILE:
 * --connection K: the scenario has N connections". */
int cli_check_connection(const char *cmd, const struct cli_opts *o, const struct scenario *scs, int n);
/* Points the pictures and the ladder of a run of sc at connection
 * o->connection (client#K and server#K; the first by default; checked by
 * cli_check_connection) and, when the run has many clients, makes the log
 * keep only that connection's and the listener's events (unless keep_all). */
void cli_show_connection(const struct scenario *sc, const struct cli_opts *o, bool keep_all, struct trace_log *log);
/* The endpoints of the shown connection of a scenario of many clients
 * (its listener, client#K and server#K) in eps: 3; 0 for one client (both
 * ends are the pair: every endpoint is shown). */
int cli_shown_endpoints(const struct scenario *sc, const struct cli_opts *o, int eps[3]);
/* Gives the log the ladders' label settings (--labels, --abs-seq). */
void cli_show_labels(const struct cli_opts *o, struct trace_log *log);

/* mkdir -p. Returns 0, or -1 with a message. */
int cli_make_dirs(const char *path, char *err, size_t errlen);

/* Two scenarios of one command with the same base name (a/x.yaml and
 * b/x.yml) would write the same files in DIR, the second over the first.
 * Checked before anything runs. Returns 0, or EXIT_USAGE after printing
 * "tcpsim CMD: A and B would both write DIR/NAME.*: ...". */
int cli_check_names(const char *cmd, const struct cli_opts *o, const struct scenario *scs, int n);
/* The scenarios of a command that writes files (run, handout), loaded and
 * checked before anything is written: each file loads (its message printed
 * if not), --connection exists in each (cli_check_connection), no two write
 * the same names (cli_check_names), and -o DIR is made. Returns them (free
 * with cli_free_all), or NULL with *status the exit status. */
struct scenario *cli_load_for_files(const char *cmd, const struct cli_opts *o, char **argv, int *status);

extern const char cli_usage_text[];

int cmd_run(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_coverage(int argc, char **argv);
int cmd_graph(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_handout(int argc, char **argv);
int cmd_page(int argc, char **argv);

#endif
