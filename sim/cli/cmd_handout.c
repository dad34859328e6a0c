/* cmd_handout.c - `tcpsim handout`: for each scenario, a Markdown handout
 * (NAME.handout.md) beside the two pictures it embeds (NAME.ladder.svg,
 * NAME.states.svg), and the same handout as a PDF for printing
 * (NAME.handout.pdf: output/handout_pdf.h): the scenario's name and
 * summary, the run's totals, the exchange as a table (the text ladder in
 * the PDF), the pictures and a legend of the notation. The four files are
 * one set (out_set.h): all in place together, or none. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/out_set.h"
#include "cli/cli.h"
#include "output/graph.h"
#include "output/handout_pdf.h"
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
	"notation; and DIR/NAME.handout.pdf, the same for printing on A4 (the exchange\n"
	"as the text ladder, the ladder as its 16:9 pages, two to a page, the state\n"
	"diagram on a landscape page). The four files are put in place together once\n"
	"all are written (an interrupted or failed run leaves the previous ones as\n"
	"they were). Prints the handout's path.\n"
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

/* The legend: what the ladder's notation means, one item each, in
 * Markdown (the PDF takes them as plain text: notation_plain). */
static const char *const notation[] = {
	"**Time** in seconds since the scenario's start (simulated time).",
	"**States** are RFC 9293's (LISTEN, SYN\\_SENT, ESTABLISHED, TIME\\_WAIT, ...). "
	"In brackets, what caused the change when the ladder does not show it as an "
	"arrow: an application call (`close`) or a timer (`timeout 2MSL`).",
	"**Segments** are written as tcpdump prints them: `FLAGS SEQ:END(LEN) ack N win N`.",
	"**Flags**: `S` SYN (opens), `S.` SYN and ACK, `.` ACK alone, `P.` data pushed, "
	"with ACK, `F.` FIN (the sender has no more data) with ACK, `R` reset (abandon the "
	"connection), `R.` reset with ACK.",
	"**Relative numbers**: `SEQ` counts from the sender's initial sequence number "
	"(its SYN is 0), `ack` from the receiver's, as tcpdump and Wireshark show them. "
	"`SEQ:END(LEN)`: the segment holds bytes SEQ up to END (not included), LEN of them. "
	"A SYN and a FIN each take one number too, outside LEN: after `F. 1:1(0)` the "
	"other side answers `ack 2`.",
	"`ack N`: the next number the sender expects from the other side: everything "
	"before N arrived.",
	"`win N`: the receive window, how many bytes the sender can take in now.",
	"`<mss N>`: the largest segment the sender takes (an option of the SYN).",
	"**Arrows**: `──▶` client to server, `◀──` server to client; `✕` and "
	"`dropped`: lost on the way; `(forged)`: a segment put on the link by the "
	"scenario (`inject`), which no TCP sent.",
	"**Notes**: the scenario's own words (`note:`) at their time, in italics in the "
	"table, between ┄┄ in the text ladder.",
};

/* The notation as Markdown. */
static void notation_markdown(FILE *f)
{
	fputs("## Notation\n\n", f);
	for (size_t i = 0; i < sizeof notation / sizeof notation[0]; i++)
		fprintf(f, "- %s\n", notation[i]);
}

/* The notation as plain text, one item a line ("• "): Markdown's marks
 * (**, `, \\) left out (a text_of writer, below). */
static void notation_plain(FILE *f, const void *unused)
{
	(void)unused;
	for (size_t i = 0; i < sizeof notation / sizeof notation[0]; i++) {
		fputs("• ", f);
		for (const char *p = notation[i]; *p; p++) {
			if (*p == '`' || (p[0] == '*' && p[1] == '*'))
				p += *p == '*';
			else if (*p == '\\' && p[1])
				fputc(*++p, f);
			else
				fputc(*p, f);
		}
		fputc('\n', f);
	}
}

/* Writes text as Markdown that shows it as it is (specials escaped). */
static void md_plain(FILE *out, const char *text)
{
	for (const char *p = text; *p; p++) {
		if (strchr("\\`*_[]<>|&#~", *p))
			fputc('\\', out);
		fputc(*p, out);
	}
}

/* A ladder (write: the markdown or the text one) without its title
 * paragraph (the handout has its own heading): the log's name and summary
 * hidden for the call. */
static void ladder_untitled(FILE *out, struct trace_log *log, int (*write)(FILE *, const struct trace_log *))
{
	char *name = log->name, *summary = log->summary;
	log->name = log->summary = NULL;
	write(out, log);
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
	ladder_untitled(f, log, ladder_write_markdown);
	fprintf(f, "## Pictures\n\n![The exchange as a ladder: time flows down](%s.ladder.svg)\n\n"
		   "![The state diagram: the path each endpoint took, step by step](%s.states.svg)\n\n",
		sc->base, sc->base);
	notation_markdown(f);
}

/* What fn writes, as a malloc'ed string (NULL when out of memory). */
static char *text_of(void (*fn)(FILE *, const void *), const void *arg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	fn(f, arg);
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* text_of's writers: the totals, the text ladder without its title. */
static void totals_text(FILE *f, const void *t)
{
	summary_print_text(f, t);
}

static void ladder_text(FILE *f, const void *log)
{
	ladder_untitled(f, (struct trace_log *)log, ladder_write_text);
}

/* The handout as a PDF into the set as `name`. Returns 0, or -1 with err
 * set. */
static int put_pdf(struct out_set *set, const char *name, const struct scenario *sc, struct trace_log *log,
		   const struct summary_totals *t, const char *stop_msg, const struct cli_opts *o, char *err,
		   size_t errlen)
{
	struct graph_pages pages = { 0 };
	char *totals = text_of(totals_text, t), *ladder = text_of(ladder_text, log), *plain = text_of(notation_plain, NULL);
	char *states = NULL, *pdf = NULL;
	size_t states_len, pdf_len;
	int rc = -1;

	if (!totals || !ladder || !plain) {
		snprintf(err, errlen, "%s: out of memory", sc->path);
		goto out;
	}
	if (graph_ladder_render_pages(log, GRAPH_BOTH, NULL, "svg", &pages, err, errlen) < 0 ||
	    graph_states_render_view(log, GRAPH_BOTH, NULL, &o->states_view, "svg", &states, &states_len, err,
				     errlen) < 0)
		goto out;
	struct handout_pdf h = { sc->name, sc->summary, totals, stop_msg, ladder, plain, &pages, states, states_len };
	if (handout_pdf_render(&h, &pdf, &pdf_len, err, errlen) == 0)
		rc = out_set_write(set, name, pdf, pdf_len, err, errlen);
out:
	graph_pages_free(&pages);
	free(totals);
	free(ladder);
	free(plain);
	free(states);
	free(pdf);
	return rc;
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
	snprintf(name, sizeof name, "%s.handout.pdf", sc->base);
	if (put_pdf(&set, name, sc, &log, &t, stop_msg, o, err, errlen) < 0)
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
