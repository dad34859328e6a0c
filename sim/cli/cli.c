/* cli.c - option parsing and file handling shared by the commands. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli/cli.h"
#include "base/decimal.h"
#include "base/suggest.h"

const char cli_usage_text[] =
	"usage: tcpsim run      SCENARIO.yaml... [-o DIR] [--seed N] [--profile rfc9293|linux]\n"
	"                       [--format text|markdown|json|summary|summary-json] [-q]\n"
	"                       [--no-trace] [--no-pcap] [--no-pcapng] [--no-graphs] [--no-page] [--connection K]\n"
	"                       [--time linear|log|compressed] [--from T] [--to T] [--slides]\n"
	"                       [--labels short|tcpdump] [--abs-seq] [--self-loops]\n"
	"       tcpsim check    SCENARIO.yaml...\n"
	"       tcpsim replay   SCENARIO.yaml... [-o DIR] [-q]\n"
	"       tcpsim replay   --cleanup [-o DIR]\n"
	"       tcpsim compare  SCENARIO.yaml... [-o DIR] [-q]\n"
	"       tcpsim graph    [SCENARIO.yaml] [-o DIR] [--format svg|png|pdf|dot] [--ladder]\n"
	"                       [--endpoint client|server] [--seed N] [--profile rfc9293|linux] [--connection K]\n"
	"                       [--time linear|log|compressed] [--from T] [--to T] [--slides]\n"
	"                       [--labels short|tcpdump] [--abs-seq] [--self-loops]\n"
	"       tcpsim coverage SCENARIO.yaml... [--format text|markdown] [--seed N] [--profile rfc9293|linux]\n"
	"       tcpsim sweep    SCENARIO.yaml --set KEY=V1,V2,... [--seeds A..B] [--jobs N] [--shard I/N] [--y COLUMN] [-o DIR] [-q]\n"
	"       tcpsim sweep    --plot SWEEP.csv [--y COLUMN] [-o DIR]\n"
	"       tcpsim handout  SCENARIO.yaml... [-o DIR] [--seed N] [--profile rfc9293|linux] [--connection K]\n"
	"                       [--self-loops]\n"
	"       tcpsim page     SCENARIO.yaml... [-o DIR] [--seed N] [--profile rfc9293|linux] [--connection K]\n"
	"                       [--time linear|log|compressed] [--labels short|tcpdump] [--abs-seq]\n"
	"       tcpsim --help | tcpsim COMMAND --help | tcpsim --version\n";

int cli_usage_error(const char *cmd, const char *msg)
{
	fprintf(stderr, "tcpsim %s: %s\n%s", cmd, msg, cli_usage_text);
	return EXIT_USAGE;
}

enum {
	OPT_SEED = 256, OPT_PROFILE, OPT_FORMAT, OPT_NO_TRACE, OPT_NO_PCAP, OPT_NO_PCAPNG, OPT_NO_GRAPHS, OPT_HELP,
	OPT_LADDER, OPT_ENDPOINT, OPT_CONNECTION, OPT_TIME, OPT_FROM, OPT_TO, OPT_SLIDES,
};
enum { OPT_LABELS = 320, OPT_ABS_SEQ };   /* the ladders' words (issue 15) */
enum { OPT_SELF_LOOPS = 340 };            /* the state diagram's self-loops (issue 15) */
enum { OPT_NO_PAGE = 360 };               /* the step-through page (issue 16) */

static const struct option long_options[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "profile", required_argument, NULL, OPT_PROFILE },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "quiet", no_argument, NULL, 'q' },
	{ "no-trace", no_argument, NULL, OPT_NO_TRACE },
	{ "no-pcap", no_argument, NULL, OPT_NO_PCAP },
	{ "no-pcapng", no_argument, NULL, OPT_NO_PCAPNG },
	{ "no-graphs", no_argument, NULL, OPT_NO_GRAPHS },
	{ "no-page", no_argument, NULL, OPT_NO_PAGE },
	{ "ladder", no_argument, NULL, OPT_LADDER },
	{ "endpoint", required_argument, NULL, OPT_ENDPOINT },
	{ "connection", required_argument, NULL, OPT_CONNECTION },
	{ "time", required_argument, NULL, OPT_TIME },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "to", required_argument, NULL, OPT_TO },
	{ "slides", no_argument, NULL, OPT_SLIDES },
	{ "labels", required_argument, NULL, OPT_LABELS },
	{ "abs-seq", no_argument, NULL, OPT_ABS_SEQ },
	{ "self-loops", no_argument, NULL, OPT_SELF_LOOPS },
	{ "help", no_argument, NULL, OPT_HELP },
	{ 0, 0, 0, 0 },
};

/* The bit of enum cli_opt an option belongs to. */
static unsigned option_bit(int c)
{
	switch (c) {
	case 'o': return CLI_OUTPUT;
	case OPT_SEED: return CLI_SEED;
	case OPT_PROFILE: return CLI_PROFILE;
	case OPT_FORMAT: return CLI_FORMAT;
	case 'q': return CLI_QUIET;
	case OPT_NO_TRACE: case OPT_NO_PCAP: case OPT_NO_PCAPNG: case OPT_NO_GRAPHS: case OPT_NO_PAGE:
		return CLI_NO_FILES;
	case OPT_LADDER: return CLI_LADDER;
	case OPT_ENDPOINT: return CLI_ENDPOINT;
	case OPT_CONNECTION: return CLI_CONNECTION;
	case OPT_TIME: case OPT_FROM: case OPT_TO: case OPT_SLIDES: return CLI_LADDER_VIEW;
	case OPT_LABELS: case OPT_ABS_SEQ: return CLI_LABELS;
	case OPT_SELF_LOOPS: return CLI_STATES_VIEW;
	default: return 0;
	}
}

/* What an option's value is, for "option -o needs a directory". */
static const char *value_name(int c)
{
	switch (c) {
	case 'o': return "a directory";
	case OPT_SEED: return "a number";
	case OPT_PROFILE: return "a profile, rfc9293 or linux";
	case OPT_FORMAT: return "a format (see the command's --help)";
	case OPT_ENDPOINT: return "client or server";
	case OPT_CONNECTION: return "a connection number";
	case OPT_TIME: return "linear, log or compressed";
	case OPT_FROM: case OPT_TO: return "a time (1.5s, 200ms)";
	case OPT_LABELS: return "short or tcpdump";
	default: return "a value";
	}
}

/* "-o", "-q" or "--NAME" for option c of long_options. */
static void option_spelling(int c, char *buf, size_t cap)
{
	if (c < 256) {
		snprintf(buf, cap, "-%c", c);
		return;
	}
	for (const struct option *lo = long_options; lo->name; lo++)
		if (lo->val == c) {
			snprintf(buf, cap, "--%s", lo->name);
			return;
		}
	snprintf(buf, cap, "?");
}

/* The long options that `allowed` takes, NULL-terminated, for a guess at a
 * misspelt one. */
static void allowed_names(unsigned allowed, const char *names[], size_t cap)
{
	size_t n = 0;

	for (const struct option *lo = long_options; lo->name && n + 1 < cap; lo++)
		if (lo->val == OPT_HELP || (option_bit(lo->val) & allowed))
			names[n++] = lo->name;
	names[n] = NULL;
}

/* "option -o needs a directory", "unknown option --conection (did you mean
 * --connection?)" or "unknown option -x" into msg, for the option getopt
 * refused (c is ':' or '?', or an option this command does not take). */
void cli_option_message(int c, const char *arg, int opt, const char *what, const char *const *names,
			char *msg, size_t cap)
{
	const char *guess;

	if (c == ':') {
		if (strncmp(arg, "--", 2) == 0)
			snprintf(msg, cap, "option %s needs %s", arg, what);
		else
			snprintf(msg, cap, "option -%c needs %s", opt, what);
		return;
	}
	if (strncmp(arg, "--", 2) == 0 && arg[2]) {
		char name[64];
		snprintf(name, sizeof name, "%.*s", (int)strcspn(arg + 2, "="), arg + 2);
		if ((guess = suggest_closest(name, names))) {
			snprintf(msg, cap, "unknown option %s (did you mean --%s?)", arg, guess);
			return;
		}
	}
	if (c == '?' && opt && strncmp(arg, "--", 2) != 0)
		snprintf(msg, cap, "unknown option -%c", opt);
	else
		snprintf(msg, cap, "unknown option %s", arg);
}

/* Applies one option's value. Returns 0, or a message. */
static const char *apply_option(int c, const char *arg, struct cli_opts *o)
{
	switch (c) {
	case 'o':
		o->out_dir = arg;
		o->out_dir_given = true;
		break;
	case OPT_SEED:
		if (decimal_u64(arg, strlen(arg), &o->sim.seed) < 0)
			return "--seed needs a non-negative integer";
		o->sim.has_seed = true;
		break;
	case OPT_PROFILE:
		if (strcmp(arg, "rfc9293") == 0)
			o->sim.profile = PROFILE_RFC9293;
		else if (strcmp(arg, "linux") == 0)
			o->sim.profile = PROFILE_LINUX;
		else
			return "--profile is rfc9293 or linux";
		o->sim.has_profile = true;
		break;
	case OPT_FORMAT: o->format = arg; break;
	case 'q': o->quiet = true; break;
	case OPT_NO_TRACE: o->no_trace = true; break;
	case OPT_NO_PCAP: o->no_pcap = true; break;
	case OPT_NO_PCAPNG: o->no_pcapng = true; break;
	case OPT_NO_GRAPHS: o->no_graphs = true; break;
	case OPT_NO_PAGE: o->no_page = true; break;
	case OPT_LADDER: o->ladder = true; break;
	case OPT_ENDPOINT:
		if (strcmp(arg, "client") == 0)
			o->side = GRAPH_CLIENT;
		else if (strcmp(arg, "server") == 0)
			o->side = GRAPH_SERVER;
		else
			return "--endpoint is client or server";
		break;
	case OPT_TIME:
		if (strcmp(arg, "compressed") == 0)
			o->ladder_view.time = GRAPH_TIME_COMPRESSED;
		else if (strcmp(arg, "linear") == 0)
			o->ladder_view.time = GRAPH_TIME_LINEAR;
		else if (strcmp(arg, "log") == 0)
			o->ladder_view.time = GRAPH_TIME_LOG;
		else
			return "--time is linear, log or compressed";
		break;
	case OPT_FROM:
		if (duration_parse(arg, &o->ladder_view.from) < 0)
			return "--from needs a time with its unit (1.5s, 200ms)";
		o->ladder_view.has_from = true;
		break;
	case OPT_TO:
		if (duration_parse(arg, &o->ladder_view.to) < 0)
			return "--to needs a time with its unit (1.5s, 200ms)";
		o->ladder_view.has_to = true;
		break;
	case OPT_SLIDES: o->slides = true; break;
	case OPT_CONNECTION: {
		uint64_t k;
		if (decimal_u64(arg, strlen(arg), &k) < 0 || k < 1 || k > UINT32_MAX)
			return "--connection needs a connection number, 1 or more";
		o->connection = (uint32_t)k;
		break;
	}
	case OPT_LABELS:
		if (strcmp(arg, "short") == 0)
			o->labels = TRACE_LABELS_SHORT;
		else if (strcmp(arg, "tcpdump") == 0)
			o->labels = TRACE_LABELS_TCPDUMP;
		else
			return "--labels is short or tcpdump";
		break;
	case OPT_ABS_SEQ: o->abs_seq = true; break;
	case OPT_SELF_LOOPS: o->states_view.self_loops = true; break;
	}
	return NULL;
}

int cli_parse(int argc, char **argv, unsigned allowed, const char *help, struct cli_opts *o)
{
	memset(o, 0, sizeof *o);
	o->out_dir = "out";
	optind = 1;
	opterr = 0;
	int c;
	/* The leading ':' makes getopt tell a missing value (':') from an
	 * unknown option ('?'). */
	while ((c = getopt_long(argc, argv, ":o:q", long_options, NULL)) != -1) {
		if (c == OPT_HELP) {
			fputs(help, stdout);
			exit(0);
		}
		char msg[160];
		if (c == ':' && !(option_bit(optopt) & allowed))
			c = '?';                 /* an option this command does not take */
		if (c == '?' || c == ':' || !(option_bit(c) & allowed)) {
			const char *names[24], *arg = argv[optind - 1];
			char spelt[64];
			allowed_names(allowed, names, sizeof names / sizeof names[0]);
			if (c != '?' && c != ':') {
				/* A known option that this command does not take; its value,
				 * if any, is argv[optind - 1]: name the option instead. */
				option_spelling(c, spelt, sizeof spelt);
				arg = spelt;
			}
			cli_option_message(c, arg, c == '?' || c == ':' ? optopt : 0, value_name(optopt), names,
					   msg, sizeof msg);
			return cli_usage_error(argv[0], msg);
		}
		const char *bad = apply_option(c, optarg, o);
		if (bad)
			return cli_usage_error(argv[0], bad);
	}
	o->first_arg = optind;
	o->n_args = argc - optind;
	return 0;
}

struct scenario *cli_load_all(int n, char **paths, int *status)
{
	struct scenario *scs = calloc(n > 0 ? (size_t)n : 1, sizeof *scs);
	if (!scs) {
		fprintf(stderr, "tcpsim: out of memory\n");
		*status = EXIT_ENV;
		return NULL;
	}
	int bad = 0;
	for (int i = 0; i < n; i++) {
		char err[1024];
		if (scenario_load(paths[i], &scs[i], err, sizeof err) < 0) {
			fprintf(stderr, "%s\n", err);
			memset(&scs[i], 0, sizeof scs[i]);
			bad++;
		}
	}
	if (bad) {
		cli_free_all(n, scs);
		*status = EXIT_USAGE;
		return NULL;
	}
	return scs;
}

void cli_free_all(int n, struct scenario *scs)
{
	for (int i = 0; scs && i < n; i++)
		scenario_free(&scs[i]);
	free(scs);
}

int cli_make_dirs(const char *path, char *err, size_t errlen)
{
	char buf[4096];
	if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) {
		snprintf(err, errlen, "%s: path too long", path);
		return -1;
	}
	for (char *p = buf + 1;; p++) {
		char c = *p;
		if (c == '/' || c == '\0') {
			*p = '\0';
			if (mkdir(buf, 0777) < 0 && errno != EEXIST) {
				snprintf(err, errlen, "%s: cannot create: %s", buf, strerror(errno));
				return -1;
			}
			*p = c;
		}
		if (c == '\0')
			break;
	}
	return 0;
}

int cli_check_names(const char *cmd, const struct cli_opts *o, const struct scenario *scs, int n)
{
	for (int i = 0; i < n; i++)
		for (int j = 0; j < i; j++)
			if (strcmp(scs[i].base, scs[j].base) == 0) {
				fprintf(stderr, "tcpsim %s: %s and %s would both write %s/%s.*: "
						"give them different file names, or run them one at a time\n",
					cmd, scs[j].path, scs[i].path, o->out_dir, scs[i].base);
				return EXIT_USAGE;
			}
	return 0;
}

int cli_check_connection(const char *cmd, const struct cli_opts *o, const struct scenario *scs, int n)
{
	for (int i = 0; i < n && o->connection; i++) {
		int eps[3];
		if (sim_connection_endpoints(&scs[i], o->connection, eps))
			continue;
		uint32_t count = scs[i].ep[ROLE_CLIENT].count ? scs[i].ep[ROLE_CLIENT].count : 1;
		fprintf(stderr, "tcpsim %s: %s: --connection %u: the scenario has %u connection%s\n", cmd,
			scs[i].path, o->connection, count, count == 1 ? "" : "s");
		return EXIT_USAGE;
	}
	return 0;
}

void cli_show_labels(const struct cli_opts *o, struct trace_log *log)
{
	log->labels = o->labels;
	log->abs_seq = o->abs_seq;
}

int cli_shown_endpoints(const struct scenario *sc, const struct cli_opts *o, int eps[3])
{
	return sim_connection_endpoints(sc, scenario_shown_connection(sc, o->connection), eps) == 3 ? 3 : 0;
}

void cli_show_connection(const struct scenario *sc, const struct cli_opts *o, bool keep_all, struct trace_log *log)
{
	int eps[3];
	if (cli_shown_endpoints(sc, o, eps) != 3)
		return;                          /* one client: both ends are the pair */
	log->shown_connection = scenario_shown_connection(sc, o->connection);
	if (!keep_all)
		trace_log_keep(log, eps, 3);
}

struct scenario *cli_load_for_files(const char *cmd, const struct cli_opts *o, char **argv, int *status)
{
	int n = o->n_args;
	char err[1024];
	struct scenario *scs;

	*status = 0;
	if (!(scs = cli_load_all(n, argv + o->first_arg, status)))
		return NULL;
	if ((*status = cli_check_connection(cmd, o, scs, n)) ||   /* before anything is written */
	    (*status = cli_check_names(cmd, o, scs, n))) {
		cli_free_all(n, scs);
		return NULL;
	}
	if (cli_make_dirs(o->out_dir, err, sizeof err) < 0) {
		fprintf(stderr, "tcpsim: %s\n", err);
		cli_free_all(n, scs);
		*status = EXIT_ENV;
		return NULL;
	}
	return scs;
}
