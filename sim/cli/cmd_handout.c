/* cmd_handout.c - `tcpsim handout`: for each scenario, a Markdown handout
 * (NAME.handout.md) beside the two pictures it embeds (NAME.ladder.svg,
 * NAME.states.svg): the scenario's name and summary, the run's totals, the
 * markdown ladder, the pictures and a legend of the notation. The three
 * files are one set (out_set.h): all in place together, or none.
 *
 * No PDF: the handout is Markdown for the lecturer's own tool chain (a
 * Markdown-to-PDF converter that takes SVG is a large install: pandoc with
 * a LaTeX engine); the pictures are `tcpsim graph --format pdf` already. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/out_set.h"
#include "cli/cli.h"
#include "output/graph.h"
#include "output/ladder.h"
#include "output/summary.h"
#include "trace/trace_log.h"

static const char handout_help[] =
	"usage: tcpsim handout SCENARIO.yaml... [options]\n"
	"\n"
	"Runs each scenario and writes a handout for a lecture: DIR/NAME.handout.md, a\n"
	"Markdown page with the scenario's name and summary, the run's totals, the\n"
	"exchange as a table (the markdown ladder), the two pictures it embeds, written\n"
	"beside it (DIR/NAME.ladder.svg and DIR/NAME.states.svg), and a legend of the\n"
	"notation. The three files are put in place together once all are written (an\n"
	"interrupted or failed run leaves the previous ones as they were). Prints the\n"
	"handout's path. No PDF (the pictures alone: tcpsim graph --format pdf).\n"
	"\n"
	"  -o, --output DIR     where the files go (default ./out)\n"
	"      --seed N         overrides the scenario's seed\n"
	"      --profile P      rfc9293 or linux: the timer defaults (overrides the scenario's)\n"
	"      --connection K   with several clients, the ladder and pictures show\n"
	"                       client#K and server#K (default 1)\n"
	"      --self-loops     the state diagram also draws the rows a side took without\n"
	"                       changing state, as loops (see tcpsim run --help)\n"
	"\n"
	"The scenario's `expect` is not checked (tcpsim run does). Exit status: 0 the\n"
	"handouts are written (a run stopped by a bound or the loop guard is said on\n"
	"stderr and in the handout), 2 bad input or usage (FILE:LINE:COL: message, or\n"
	"two scenarios with the same file name; nothing is written), 3 a file could not\n"
	"be written.\n";

/* The legend: what the ladder's notation means. */
static const char legend[] =
	"## Notation\n"
	"\n"
	"- **Time** in seconds since the scenario's start (simulated time).\n"
	"- **States** are RFC 9293's (LISTEN, SYN\\_SENT, ESTABLISHED, TIME\\_WAIT, ...). "
	"In brackets, what caused the change when the ladder does not show it as an "
	"arrow: an application call (`close`) or a timer (`timeout 2MSL`).\n"
	"- **Segments** are written as tcpdump prints them: `FLAGS SEQ:END(LEN) ack N win N`.\n"
	"- **Flags**: `S` SYN (opens), `S.` SYN and ACK, `.` ACK alone, `P.` data pushed, "
	"with ACK, `F.` FIN (the sender has no more data) with ACK, `R` reset (abandon the "
	"connection), `R.` reset with ACK.\n"
	"- **Relative numbers**: `SEQ` counts from the sender's initial sequence number "
	"(its SYN is 0), `ack` from the receiver's, as tcpdump and Wireshark show them. "
	"`SEQ:END(LEN)`: the segment holds bytes SEQ up to END (not included), LEN of them. "
	"A SYN and a FIN each take one number too, outside LEN: after `F. 1:1(0)` the "
	"other side answers `ack 2`.\n"
	"- `ack N`: the next number the sender expects from the other side: everything "
	"before N arrived.\n"
	"- `win N`: the receive window, how many bytes the sender can take in now.\n"
	"- `<mss N>`: the largest segment the sender takes (an option of the SYN).\n"
	"- **Arrows**: `──▶` client to server, `◀──` server to client; `✕` and "
	"`dropped`: lost on the way; `(forged)`: a segment put on the link by the "
	"scenario (`inject`), which no TCP sent.\n"
	"- *Italics*: the scenario's notes, at their time.\n";

/* Writes text as Markdown that shows it as it is (specials escaped). */
static void md_plain(FILE *out, const char *text)
{
	for (const char *p = text; *p; p++) {
		if (strchr("\\`*_[]<>|&#~", *p))
			fputc('\\', out);
		fputc(*p, out);
	}
}

/* The markdown ladder without its title paragraph (the handout has its
 * own heading): the log's name and summary hidden for the call. */
static void ladder_untitled(FILE *out, struct trace_log *log)
{
	char *name = log->name, *summary = log->summary;
	log->name = log->summary = NULL;
	ladder_write_markdown(out, log);
	log->name = name;
	log->summary = summary;
}

/* The handout's Markdown into f: heading, summary, totals, the ladder, the
 * pictures (by their names beside it) and the legend. */
static void write_handout(FILE *f, const struct scenario *sc, struct trace_log *log,
			  const struct summary_totals *t, const char *stop_msg)
{
	fputs("# ", f);
	md_plain(f, sc->name);
	fputs("\n\n", f);
	if (sc->summary) {
		md_plain(f, sc->summary);
		fputs("\n\n", f);
	}
	fputs("## The run\n\n```text\n", f);
	summary_print_text(f, t);
	fputs("```\n\n", f);
	if (stop_msg[0]) {
		fputs("The run was cut short: ", f);
		md_plain(f, stop_msg);
		fputs(".\n\n", f);
	}
	fputs("## The exchange\n\n", f);
	ladder_untitled(f, log);
	fprintf(f, "## Pictures\n\n![The exchange as a ladder: time flows down](%s.ladder.svg)\n\n"
		   "![The state diagram: the path each endpoint took, step by step](%s.states.svg)\n\n",
		sc->base, sc->base);
	fputs(legend, f);
}

/* Runs sc and writes its handout and pictures as one set in dir. Returns 0,
 * or -1 with err set. */
static int handout_one(const struct scenario *sc, const struct cli_opts *o, char *err, size_t errlen)
{
	struct trace tr;
	struct trace_log log;
	struct summary *sum = NULL;
	struct out_set set = OUT_SET_INIT;
	struct sim_stats stats;
	struct summary_totals t;
	char name[TMPFILES_NAME_MAX + 1], stop_msg[512] = "";
	FILE *f;
	int rc = -1;

	trace_init(&tr);
	trace_log_init(&log, &tr);
	cli_show_connection(sc, o, false, &log);
	trace_add_sink(&tr, trace_log_sink(&log));
	if (!(sum = summary_new(&tr))) {
		snprintf(err, errlen, "%s: out of memory", sc->path);
		goto out;
	}
	trace_add_sink(&tr, summary_sink(sum));
	if (sim_run(sc, &o->sim, &tr, &stats, err, errlen) < 0)
		goto out;
	if (sim_stopped_early(&stats)) {
		sim_stop_message(sc, &stats, &tr, stop_msg, sizeof stop_msg);
		fprintf(stderr, "tcpsim: %s: %s\n", sc->path, stop_msg);
	}
	if (summary_totals(sum, &t) < 0 || log.out_of_memory) {
		snprintf(err, errlen, "%s: out of memory", sc->path);
		goto out;
	}
	if (out_set_open(&set, o->out_dir, err, errlen) < 0)
		goto out;
	snprintf(name, sizeof name, "%s.handout.md", sc->base);
	if (!(f = out_set_fopen(&set, name, err, errlen)))
		goto out;
	write_handout(f, sc, &log, &t, stop_msg);
	if (ferror(f) | (fclose(f) != 0)) {
		snprintf(err, errlen, "%s/%s: cannot write: %s", o->out_dir, name, strerror(errno));
		goto out;
	}
	snprintf(name, sizeof name, "%s.ladder.svg", sc->base);
	if (graph_put(&set, name, &log, true, "svg", err, errlen) < 0)
		goto out;
	snprintf(name, sizeof name, "%s.states.svg", sc->base);
	if (graph_put_states(&set, name, &log, &o->states_view, "svg", err, errlen) < 0)
		goto out;
	if (out_set_commit(&set, err, errlen) < 0)
		goto out;
	printf("%s/%s.handout.md\n", o->out_dir, sc->base);
	rc = 0;
out:
	out_set_close(&set);             /* what was not committed goes */
	summary_free(sum);
	trace_log_free(&log);
	trace_free(&tr);
	return rc;
}

int cmd_handout(int argc, char **argv)
{
	struct cli_opts o;
	int rc = cli_parse(argc, argv, CLI_OUTPUT | CLI_SEED | CLI_PROFILE | CLI_CONNECTION | CLI_STATES_VIEW,
			   handout_help, &o);
	if (rc)
		return rc;
	if (o.n_args == 0)
		return cli_usage_error(argv[0], "no scenario given");
	int n = o.n_args, status = 0;
	struct scenario *scs = cli_load_for_files(argv[0], &o, argv, &status);
	if (!scs)
		return status;
	char err[1024];
	for (int i = 0; i < n; i++) {
		if (handout_one(&scs[i], &o, err, sizeof err) < 0) {
			fprintf(stderr, "tcpsim: %s\n", err);
			status = EXIT_ENV;
		}
	}
	cli_free_all(n, scs);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "tcpsim handout: standard output could not be written\n");
		status = EXIT_ENV;
	}
	return status;
}
