/* cli_replay.c - what `replay` and `compare` share (cli_replay.h). */
#include <stdio.h>
#include <string.h>
#include "cli/cli_replay.h"

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

void cli_replay_init(struct cli_replay *rp)
{
	memset(rp, 0, sizeof *rp);
	rp->out = (struct cli_output)CLI_OUTPUT_INIT;
	trace_init(&rp->tr);
	trace_log_init(&rp->log, &rp->tr);
	trace_add_sink(&rp->tr, trace_log_sink(&rp->log));
}

int cli_replay_run(struct cli_replay *rp, const struct scenario *sc, const struct cli_opts *o, char *err,
		   size_t errlen)
{
	static const struct cli_output_files kernel_files = {
		.kind = ".kernel", .trace = true, .pcap = true, .graphs = true, .dot = false, .pcapng = true,
	};

	if (cli_output_open(&rp->out, sc, o->out_dir, &kernel_files, &rp->tr, err, errlen) < 0 ||
	    replay_run(sc, &rp->tr, &rp->st, err, errlen) < 0)
		return -1;
	/* A replay that ran to its end is ok: what it shows is the kernel's. */
	struct trace_event rev = { .type = TRACE_RESULT, .t_us = rp->st.end_us, .endpoint = -1 };
	rev.u.result.ok = true;
	trace_emit(&rp->tr, &rev);
	return cli_output_finish(&rp->out, &rp->log, err, errlen);
}

void cli_replay_free(struct cli_replay *rp)
{
	cli_output_close(&rp->out);
	trace_log_free(&rp->log);
	trace_free(&rp->tr);
}

void cli_replay_print_summary(FILE *out, const struct scenario *sc, const struct replay_stats *st)
{
	char t[32];
	time_format(st->end_us, t);
	fprintf(out, "%s: replayed on Linux, %llu segments sent (%llu dropped), %llu kernel state changes, "
		     "ended at %s s%s: ok\n",
		sc->name, (unsigned long long)st->segments_sent, (unsigned long long)st->segments_dropped,
		(unsigned long long)st->states, t,
		st->stopped_by_until ? " (until)" : st->quiet_end ? " (quiet)" :
		st->stopped_by_limit ? " (the scenario's timers' bound; the kernel was still retrying)" : "");
}

void cli_replay_print_cannot(FILE *out, const struct scenario *sc, const struct trace_log *log)
{
	char t[32], name[TRACE_NAME_MAX];

	for (size_t i = 0; i < log->n; i++) {
		const struct trace_event *ev = &log->ev[i];
		if (ev->type != TRACE_CALL || !ev->u.call.cannot)
			continue;
		time_format(ev->t_us, t);
		fprintf(out, "tcpsim replay: %s: at %s s the %s's %s: %s\n", sc->name, t,
			trace_endpoint_name(log->trace, ev->endpoint, name), user_call_name(ev->u.call.call),
			ev->u.call.cannot);
	}
}
