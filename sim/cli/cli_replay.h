/* cli_replay.h - what `replay` and `compare` share: the checks before the
 * first scenario, and one scenario replayed with its files written. */
#ifndef TCPSIM_CLI_REPLAY_H
#define TCPSIM_CLI_REPLAY_H

#include <stdio.h>
#include "cli/cli.h"
#include "cli/cli_output.h"
#include "replay/replay.h"
#include "replay/replay_setup.h"

/* What replay and compare do before the first scenario: load them all, check
 * the machine can replay, create DIR, install the signal cleanup. Prints
 * "tcpsim CMD: why" on failure and returns NULL with *status set (EXIT_USAGE
 * or EXIT_ENV). */
struct scenario *cli_replay_setup(const char *cmd, const struct cli_opts *o, char **argv, int *status);

/* One scenario's replay: its trace, the log of it (the ladder, compare's
 * side), its files (NAME.kernel.*) and its figures. */
struct cli_replay {
	struct trace tr;
	struct trace_log log;
	struct cli_output out;
	struct replay_stats st;
};

/* Makes rp ready for cli_replay_run: an empty trace with the log on it.
 * cli_replay_free(rp) follows, run or not. */
void cli_replay_init(struct cli_replay *rp);
/* Replays sc into rp (once, after cli_replay_init) and writes the replay's
 * files into rp->out.set, opened in o->out_dir, for the caller to commit
 * (with its own files beside them, if any). Returns 0, or -1 with err set. */
int cli_replay_run(struct cli_replay *rp, const struct scenario *sc, const struct cli_opts *o, char *err,
		   size_t errlen);
/* Frees what rp holds; the files not committed are dropped. */
void cli_replay_free(struct cli_replay *rp);

/* One line for each call of the replay's that Linux cannot make as the
 * scenario means it (a call event's `cannot`): when, whose, and what the
 * replay did instead. */
void cli_replay_print_cannot(FILE *out, const struct scenario *sc, const struct trace_log *log);
/* The closing line of a replay: its counts, how it ended. */
void cli_replay_print_summary(FILE *out, const struct scenario *sc, const struct replay_stats *st);

#endif
