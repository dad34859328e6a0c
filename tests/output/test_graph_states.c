/* test_graph_states.c - the state diagram: written as dot, read back with
 * cgraph and checked arc by arc (the attributes graph_states.c promises:
 * arc, endpoint, steps), laid out again to check the textbook's shape and
 * that nothing overlaps, and rendered as svg, png and pdf. */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>
#include "output/graph.h"
#include "output/style.h"
#include "scenario_run.h"
#include "testing.h"
#include "trace_fixture.h"

#define HTML_LABEL_MAX 4096
#define COLOUR_CLIENT STYLE_CLIENT_COLOUR
#define COLOUR_SERVER STYLE_SERVER_COLOUR
#define COLOUR_IDLE STYLE_IDLE_COLOUR
#define MAX_EDGES 128

static const char *const figure5_ids[] = {
	"T01", "T02", "T03", "T04", "T05", "T06", "T07", "T08", "T09", "T10", "T11",
	"T12", "T13", "T14", "T15", "T16", "T17", "T18", "T19", "T20", "T21",
};
#define N_FIGURE5 (sizeof figure5_ids / sizeof figure5_ids[0])

/* ---- helpers -------------------------------------------------------------- */

static char tmpdir[64];

/* A path in this run's temporary directory. */
static const char *tmp_path(const char *name)
{
	static char path[128];

	if (!tmpdir[0]) {
		snprintf(tmpdir, sizeof tmpdir, "/tmp/tcpsim_gs_XXXXXX");
		CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(tmpdir));
	}
	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	return path;
}

/* How many entries the temporary directory holds (leftovers show here). */
static int tmp_entries(void)
{
	DIR *d = opendir(tmpdir);
	struct dirent *de;
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static void tmp_clean(void)
{
	DIR *d = opendir(tmpdir);
	struct dirent *de;
	char path[192];

	if (!d)
		return;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(path, sizeof path, "%s/%s", tmpdir, de->d_name);
		if (remove(path) != 0)
			rmdir(path);
	}
	closedir(d);
}

/* The whole file (NUL-terminated, *len its size), NULL when absent. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	if (buf)
		buf[n] = '\0';
	if (len)
		*len = (size_t)n;
	return buf;
}

/* The diagram of log drawn as view says (NULL: the default) as dot text
 * (the caller frees it). */
static char *states_dot_view(const struct trace_log *log, enum graph_side side, const char *title,
			     const struct graph_states_view *view)
{
	char err[256] = "";
	const char *path = tmp_path("x.states.dot");
	int rc = view ? graph_states_write_view(log, side, title, view, "dot", path, err, sizeof err) :
			graph_states_write(log, side, title, "dot", path, err, sizeof err);

	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_STRING_EQUAL(err, "");
	char *text = slurp(path, NULL);
	remove(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	return text;
}

/* The diagram of log as dot text (the caller frees it). */
static char *states_dot(const struct trace_log *log, enum graph_side side, const char *title)
{
	return states_dot_view(log, side, title, NULL);
}

/* The diagram of log, parsed back by cgraph (the caller agcloses it). */
static Agraph_t *states_graph(const struct trace_log *log, enum graph_side side, const char *title)
{
	char *text = states_dot(log, side, title);
	Agraph_t *g = agmemread(text);

	free(text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(g);
	return g;
}

/* An edge attribute, "" when unset. */
static const char *eattr(Agedge_t *e, const char *name)
{
	char *v = agget(e, (char *)name);
	return v ? v : "";
}

/* Every edge that stands for an arc (has `arc`), in file order. */
static size_t arc_edges(Agraph_t *g, Agedge_t **out, size_t max)
{
	size_t n = 0;

	for (Agnode_t *v = agfstnode(g); v; v = agnxtnode(g, v))
		for (Agedge_t *e = agfstout(g, v); e; e = agnxtout(g, e))
			if (agget(e, "arc") && strcmp(eattr(e, "style"), "invis") != 0 && n < max)
				out[n++] = e;
	return n;
}

/* How many arc edges carry this arc ID (and, when endpoint is not NULL,
 * that endpoint; "" for the grey ones). */
static int count_arc(Agraph_t *g, const char *id, const char *endpoint)
{
	Agedge_t *e[MAX_EDGES];
	size_t n = arc_edges(g, e, MAX_EDGES);
	int c = 0;

	for (size_t i = 0; i < n; i++)
		if (!strcmp(eattr(e[i], "arc"), id) && (!endpoint || !strcmp(eattr(e[i], "endpoint"), endpoint)))
			c++;
	return c;
}

/* The edge of arc id for endpoint ("" for grey), NULL when none. */
static Agedge_t *find_arc(Agraph_t *g, const char *id, const char *endpoint)
{
	Agedge_t *e[MAX_EDGES];
	size_t n = arc_edges(g, e, MAX_EDGES);

	for (size_t i = 0; i < n; i++)
		if (!strcmp(eattr(e[i], "arc"), id) && !strcmp(eattr(e[i], "endpoint"), endpoint))
			return e[i];
	return NULL;
}

/* An endpoint's path: the arc IDs of its edges ordered by their steps,
 * joined with spaces ("T02 T08 ..."); an edge taken twice appears twice,
 * one without an ID as "?". */
static void path_of(Agraph_t *g, const char *endpoint, char *out, size_t outlen)
{
	Agedge_t *e[MAX_EDGES];
	size_t n = arc_edges(g, e, MAX_EDGES);
	const char *by_step[64] = { NULL };

	for (size_t i = 0; i < n; i++) {
		if (strcmp(eattr(e[i], "endpoint"), endpoint))
			continue;
		const char *s = eattr(e[i], "steps");
		while (*s) {
			int k = atoi(s);
			if (k > 0 && k < 64)
				by_step[k] = *eattr(e[i], "arc") ? eattr(e[i], "arc") : "?";
			s += strcspn(s, ",");
			s += *s == ',';
		}
	}
	out[0] = '\0';
	for (int k = 1; k < 64 && by_step[k]; k++)
		snprintf(out + strlen(out), outlen - strlen(out), "%s%s", k > 1 ? " " : "", by_step[k]);
}

/* Whether a rank=same subgraph holds both nodes. */
static bool same_row(Agraph_t *g, const char *a, const char *b)
{
	for (Agraph_t *sg = agfstsubg(g); sg; sg = agnxtsubg(sg))
		if (agsubnode(sg, agnode(g, (char *)a, 0), 0) && agsubnode(sg, agnode(g, (char *)b, 0), 0))
			return true;
	return false;
}

static const char *tail_name(Agedge_t *e) { return agnameof(agtail(e)); }
static const char *head_name(Agedge_t *e) { return agnameof(aghead(e)); }

/* ---- the plain diagram ---------------------------------------------------- */

static void test_plain_states_and_arcs(void)
{
	Agraph_t *g = states_graph(NULL, GRAPH_BOTH, NULL);
	Agedge_t *e[MAX_EDGES];
	size_t n = arc_edges(g, e, MAX_EDGES);

	/* the second CLOSED; no legend; the two invisible corners of the frame */
	CU_ASSERT_EQUAL(agnnodes(g), TCP_NSTATES + 1 + 2);
	CU_ASSERT_PTR_NOT_NULL(agnode(g, "frame_ll", 0));
	CU_ASSERT_PTR_NOT_NULL(agnode(g, "frame_ur", 0));
	for (int s = 0; s < TCP_NSTATES; s++)
		CU_ASSERT_PTR_NOT_NULL(agnode(g, (char *)tcp_state_name((enum tcp_state)s), 0));
	Agnode_t *end = agnode(g, "CLOSED_END", 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(end);
	/* the state's name in bold: STYLE_FONT's bold weight, not a family */
	CU_ASSERT_STRING_EQUAL(agget(end, "label"), "<B>CLOSED</B>");
	CU_ASSERT_STRING_EQUAL(agget(agnode(g, "LISTEN", 0), "label"), "<B>LISTEN</B>");
	CU_ASSERT(same_row(g, "CLOSED_END", "TIME_WAIT"));
	CU_ASSERT(same_row(g, "SYN_RECEIVED", "SYN_SENT"));
	CU_ASSERT(same_row(g, "FIN_WAIT_2", "LAST_ACK"));
	/* exactly Figure 5: each arc once, grey, nothing else */
	CU_ASSERT_EQUAL(n, N_FIGURE5);
	for (size_t i = 0; i < N_FIGURE5; i++)
		CU_ASSERT_EQUAL(count_arc(g, figure5_ids[i], ""), 1);
	for (size_t i = 0; i < n; i++) {
		CU_ASSERT_STRING_EQUAL(eattr(e[i], "color"), COLOUR_IDLE);
		CU_ASSERT_STRING_EQUAL(eattr(e[i], "endpoint"), "");
	}
	agclose(g);
}

/* Arc id runs from `from` to `to` and reads `label` (below the row kept
 * for the badges: `<TD>label</TD>`). */
static void check_arc(Agraph_t *g, const char *id, const char *from, const char *to, const char *label)
{
	Agedge_t *e = find_arc(g, id, "");
	char cell[128];

	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_STRING_EQUAL(tail_name(e), from);
	CU_ASSERT_STRING_EQUAL(head_name(e), to);
	snprintf(cell, sizeof cell, "<TD>%s</TD>", label);
	CU_ASSERT_PTR_NOT_NULL(strstr(eattr(e, "label"), cell));
}

static void test_plain_labels(void)
{
	Agraph_t *g = states_graph(NULL, GRAPH_BOTH, "RFC 9293 & <friends>");

	check_arc(g, "T01", "CLOSED", "LISTEN", "passive OPEN / create TCB");
	check_arc(g, "T02", "CLOSED", "SYN_SENT", "active OPEN / create TCB, snd SYN");
	check_arc(g, "T03", "LISTEN", "CLOSED", "CLOSE / delete TCB");
	check_arc(g, "T04", "LISTEN", "SYN_RECEIVED", "rcv SYN / snd SYN,ACK");
	check_arc(g, "T06", "SYN_SENT", "CLOSED", "CLOSE / delete TCB");
	check_arc(g, "T07", "SYN_SENT", "SYN_RECEIVED", "rcv SYN / snd SYN,ACK");
	check_arc(g, "T09", "SYN_RECEIVED", "ESTABLISHED", "rcv ACK of SYN / x");
	check_arc(g, "T11", "SYN_RECEIVED", "LISTEN", "rcv RST / x");
	check_arc(g, "T16", "FIN_WAIT_1", "TIME_WAIT", "rcv FIN,ACK of FIN / snd ACK");
	check_arc(g, "T20", "LAST_ACK", "CLOSED_END", "rcv ACK of FIN / x");
	check_arc(g, "T21", "TIME_WAIT", "CLOSED_END", "Timeout=2MSL / delete TCB");
	/* the title, escaped for the HTML-like label */
	CU_ASSERT_PTR_NOT_NULL(strstr(agget(g, "label"), "RFC 9293 &amp; &lt;friends&gt;"));
	agclose(g);
}

/* ---- paths ---------------------------------------------------------------- */

static void test_fixture_paths(void)
{
	struct trace tr;
	struct trace_log log;
	char path[256];

	fixture_simultaneous_close(&tr, &log);
	Agraph_t *g = states_graph(&log, GRAPH_BOTH, NULL);
	path_of(g, "client", path, sizeof path);
	CU_ASSERT_STRING_EQUAL(path, "T02 T08 T12 T15 T19 T21");
	path_of(g, "server", path, sizeof path);
	CU_ASSERT_STRING_EQUAL(path, "T01 T04 T09 T12 T15 T19 T21");

	Agedge_t *c = find_arc(g, "T15", "client"), *s = find_arc(g, "T15", "server");
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_STRING_EQUAL(eattr(c, "color"), COLOUR_CLIENT);
	CU_ASSERT_STRING_EQUAL(eattr(c, "style"), "solid");
	CU_ASSERT_STRING_EQUAL(eattr(s, "color"), COLOUR_SERVER);
	CU_ASSERT_STRING_EQUAL(eattr(s, "style"), "dashed");
	CU_ASSERT_STRING_EQUAL(eattr(c, "steps"), "4");
	CU_ASSERT_STRING_EQUAL(eattr(s, "steps"), "5");
	/* both took it: one label, on the client's line, with each badge in
	 * its path's colour above the arc's words; the server's line beside */
	CU_ASSERT_PTR_NOT_NULL(strstr(eattr(c, "label"), "BGCOLOR=\"" COLOUR_CLIENT "\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(eattr(c, "label"), "BGCOLOR=\"" COLOUR_SERVER "\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(eattr(c, "label"), "rcv FIN / snd ACK"));
	CU_ASSERT_STRING_EQUAL(eattr(s, "label"), "");
	/* the arcs not taken: once each, grey; every Figure 5 arc is there */
	for (size_t i = 0; i < N_FIGURE5; i++)
		CU_ASSERT(count_arc(g, figure5_ids[i], NULL) >= 1);
	Agedge_t *grey = find_arc(g, "T13", "");
	CU_ASSERT_PTR_NOT_NULL_FATAL(grey);
	CU_ASSERT_STRING_EQUAL(eattr(grey, "color"), COLOUR_IDLE);
	CU_ASSERT_EQUAL(count_arc(g, "T15", ""), 0);
	/* legend and title */
	Agnode_t *legend = agnode(g, "legend", 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(legend);
	CU_ASSERT_PTR_NOT_NULL(strstr(agget(legend, "label"), "client (solid)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(agget(legend, "label"), "server (dashed)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(agget(legend, "label"), "unvisited arcs grey"));
	CU_ASSERT_PTR_NOT_NULL(strstr(agget(g, "label"), "simultaneous_close"));
	CU_ASSERT_PTR_NOT_NULL(strstr(agget(g, "label"), "Both applications close at once; the FINs cross."));
	agclose(g);
	fixture_free(&tr, &log);
}

static void test_one_side(void)
{
	struct trace tr;
	struct trace_log log;
	char path[256];

	fixture_simultaneous_close(&tr, &log);
	Agraph_t *g = states_graph(&log, GRAPH_CLIENT, NULL);
	path_of(g, "client", path, sizeof path);
	CU_ASSERT_STRING_EQUAL(path, "T02 T08 T12 T15 T19 T21");
	path_of(g, "server", path, sizeof path);
	CU_ASSERT_STRING_EQUAL(path, "");
	CU_ASSERT_PTR_NULL(strstr(agget(agnode(g, "legend", 0), "label"), "server"));
	CU_ASSERT_EQUAL(count_arc(g, "T01", ""), 1);
	agclose(g);

	g = states_graph(&log, GRAPH_SERVER, NULL);
	path_of(g, "server", path, sizeof path);
	CU_ASSERT_STRING_EQUAL(path, "T01 T04 T09 T12 T15 T19 T21");
	path_of(g, "client", path, sizeof path);
	CU_ASSERT_STRING_EQUAL(path, "");
	agclose(g);
	fixture_free(&tr, &log);
}

/* The client connects, is reset by the server's ABORT (T34; the server's
 * T45), reconnects and closes from SYN_SENT (T06); the server also makes a
 * transition the table does not name. */
static void aborted_trace(struct trace *tr, struct trace_log *log)
{
	const int c = 0, s = 1;

	fixture_init(tr, log);
	fixture_state_arc(tr, 0, s, TCPS_CLOSED, TCPS_LISTEN, "listen", "T01");
	fixture_state_arc(tr, MS(10), c, TCPS_CLOSED, TCPS_SYN_SENT, "connect", "T02");
	fixture_state_arc(tr, MS(60), s, TCPS_LISTEN, TCPS_SYN_RECEIVED, "rcv SYN", "T04");
	fixture_state_arc(tr, MS(110), c, TCPS_SYN_SENT, TCPS_ESTABLISHED, "rcv SYN,ACK", "T08");
	fixture_state_arc(tr, MS(160), s, TCPS_SYN_RECEIVED, TCPS_ESTABLISHED, "rcv ACK", "T09");
	fixture_state_arc(tr, MS(500), s, TCPS_ESTABLISHED, TCPS_CLOSED, "abort", "T45");
	fixture_state_arc(tr, MS(550), c, TCPS_ESTABLISHED, TCPS_CLOSED, "rcv RST", "T34");
	fixture_state_arc(tr, MS(600), c, TCPS_CLOSED, TCPS_SYN_SENT, "connect", "T02");
	fixture_state_arc(tr, MS(600), c, TCPS_SYN_SENT, TCPS_SYN_SENT, "timeout", "T52a");   /* not a change */
	fixture_state_arc(tr, MS(700), c, TCPS_SYN_SENT, TCPS_CLOSED, "close", "T06");
	fixture_state_arc(tr, MS(800), s, TCPS_CLOSED, TCPS_LISTEN, "listen", "T01");
	fixture_state_arc(tr, MS(900), s, TCPS_LISTEN, TCPS_SYN_RECEIVED, "rcv SYN", "T04");
	fixture_state_arc(tr, MS(950), s, TCPS_SYN_RECEIVED, TCPS_CLOSED, "something new", NULL);
}

static void test_arcs_outside_figure5(void)
{
	struct trace tr;
	struct trace_log log;
	char path[256];

	aborted_trace(&tr, &log);
	Agraph_t *g = states_graph(&log, GRAPH_BOTH, NULL);
	path_of(g, "client", path, sizeof path);
	CU_ASSERT_STRING_EQUAL(path, "T02 T08 T34 T02 T06");
	Agedge_t *e = find_arc(g, "T02", "client");
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_STRING_EQUAL(eattr(e, "steps"), "1,4");
	/* into CLOSED: from ESTABLISHED at the bottom, from SYN_SENT at the top */
	e = find_arc(g, "T34", "client");
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_STRING_EQUAL(head_name(e), "CLOSED_END");
	CU_ASSERT_PTR_NOT_NULL(strstr(eattr(e, "label"), "rcv RST / x"));
	e = find_arc(g, "T45", "server");
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_STRING_EQUAL(tail_name(e), "ESTABLISHED");
	CU_ASSERT_STRING_EQUAL(head_name(e), "CLOSED_END");
	CU_ASSERT_PTR_NOT_NULL(strstr(eattr(e, "label"), "ABORT / snd RST"));
	e = find_arc(g, "T06", "client");
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_STRING_EQUAL(head_name(e), "CLOSED");
	/* a transition without a known ID: drawn in its endpoint's colour,
	 * labelled with its cause */
	e = find_arc(g, "", "server");
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_STRING_EQUAL(tail_name(e), "SYN_RECEIVED");
	CU_ASSERT_STRING_EQUAL(head_name(e), "CLOSED_END");
	CU_ASSERT_STRING_EQUAL(eattr(e, "steps"), "7");
	CU_ASSERT_PTR_NOT_NULL(strstr(eattr(e, "label"), "something new"));
	path_of(g, "server", path, sizeof path);
	CU_ASSERT_STRING_EQUAL(path, "T01 T04 T09 T45 T01 T04 ?");
	/* only what was traversed: no T22, no T34 for the server */
	CU_ASSERT_EQUAL(count_arc(g, "T22", NULL), 0);
	CU_ASSERT_EQUAL(count_arc(g, "T34", NULL), 1);
	/* the fixed layout: the bottom CLOSED stays beside TIME_WAIT, the arcs
	 * from the middle routed to it */
	CU_ASSERT_TRUE(same_row(g, "CLOSED_END", "TIME_WAIT"));
	agclose(g);
	fixture_free(&tr, &log);
}

/* Several clients: client#1 and its server#1 are drawn, the others not;
 * server#1's path starts CLOSED -> LISTEN, with the listener's T01. */
static void test_many_clients(void)
{
	struct trace tr;
	struct trace_log log;
	char path[256];

	trace_init(&tr);
	trace_add_endpoint(&tr, "server", 0x0a000002u, 80, 5000);
	trace_add_endpoint(&tr, "client#1", 0x0a000001u, 40000, 1000);
	trace_add_endpoint(&tr, "server#1", 0x0a000002u, 80, 5000);
	trace_add_endpoint(&tr, "client#2", 0x0a000003u, 40000, 1000);
	trace_add_endpoint(&tr, "server#2", 0x0a000002u, 80, 5000);
	trace_log_init(&log, &tr);
	trace_add_sink(&tr, trace_log_sink(&log));
	fixture_state_arc(&tr, 0, 0, TCPS_CLOSED, TCPS_LISTEN, "listen", "T01");
	fixture_state_arc(&tr, MS(10), 1, TCPS_CLOSED, TCPS_SYN_SENT, "connect", "T02");
	fixture_state_arc(&tr, MS(20), 3, TCPS_CLOSED, TCPS_SYN_SENT, "connect", "T02");
	fixture_state_arc(&tr, MS(60), 2, TCPS_LISTEN, TCPS_SYN_RECEIVED, "rcv SYN", "T04");
	fixture_state_arc(&tr, MS(70), 4, TCPS_LISTEN, TCPS_SYN_RECEIVED, "rcv SYN", "T04");
	fixture_state_arc(&tr, MS(110), 1, TCPS_SYN_SENT, TCPS_ESTABLISHED, "rcv SYN,ACK", "T08");
	Agraph_t *g = states_graph(&log, GRAPH_BOTH, NULL);
	path_of(g, "client#1", path, sizeof path);
	CU_ASSERT_STRING_EQUAL(path, "T02 T08");
	/* server#1 was born of the listener's TCB: its path starts with the
	 * listener's passive OPEN, CLOSED -> LISTEN, step 1 */
	path_of(g, "server#1", path, sizeof path);
	CU_ASSERT_STRING_EQUAL(path, "T01 T04");
	path_of(g, "client#2", path, sizeof path);
	CU_ASSERT_STRING_EQUAL(path, "");
	CU_ASSERT_PTR_NOT_NULL(strstr(agget(agnode(g, "legend", 0), "label"), "client#1 (solid)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(agget(agnode(g, "legend", 0), "label"), "server#1 (dashed)"));
	agclose(g);
	trace_log_free(&log);
	trace_free(&tr);
}

/* ---- files ---------------------------------------------------------------- */

/* Writes the fixture's diagram as format; returns the bytes (caller frees). */
static char *render_fixture(const char *format, const char *name, size_t *len)
{
	struct trace tr;
	struct trace_log log;
	char err[256] = "";

	fixture_simultaneous_close(&tr, &log);
	int rc = graph_states_write(&log, GRAPH_BOTH, NULL, format, tmp_path(name), err, sizeof err);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_STRING_EQUAL(err, "");
	fixture_free(&tr, &log);
	return slurp(tmp_path(name), len);
}

static void test_formats(void)
{
	size_t len = 0;
	char *svg = render_fixture("svg", "f.svg", &len);

	CU_ASSERT_PTR_NOT_NULL_FATAL(svg);
	CU_ASSERT(len > 1000);
	CU_ASSERT(strncmp(svg, "<?xml", 5) == 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(svg, "<svg"));
	CU_ASSERT_PTR_NOT_NULL(strstr(svg, "FIN_WAIT_1"));
	free(svg);
	char *png = render_fixture("png", "f.png", &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(png);
	CU_ASSERT(len > 1000 && memcmp(png, "\x89PNG\r\n\x1a\n", 8) == 0);
	free(png);
	char *pdf = render_fixture("pdf", "f.pdf", &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pdf);
	CU_ASSERT(len > 1000 && memcmp(pdf, "%PDF", 4) == 0);
	free(pdf);
	char *dot = render_fixture("dot", "f.dot", &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(dot);
	CU_ASSERT(strncmp(dot, "digraph", 7) == 0);
	free(dot);
	tmp_clean();
	CU_ASSERT_EQUAL(tmp_entries(), 0);
}

static void test_unknown_format(void)
{
	char err[256] = "";

	CU_ASSERT_EQUAL(graph_states_write(NULL, GRAPH_BOTH, NULL, "gif", tmp_path("u.gif"), err, sizeof err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "gif"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "svg, png, pdf or dot"));
	CU_ASSERT_EQUAL(tmp_entries(), 0);
	err[0] = '\0';
	CU_ASSERT_EQUAL(graph_states_write(NULL, GRAPH_BOTH, NULL, NULL, tmp_path("u.x"), err, sizeof err), -1);
	CU_ASSERT_NOT_EQUAL(err[0], '\0');
}

static void test_unwritable(void)
{
	char err[256] = "", want[192];
	const char *dir = tmp_path("a_directory");

	CU_ASSERT_EQUAL(graph_states_write(NULL, GRAPH_BOTH, NULL, "svg", "/nonexistent/x.svg", err,
					   sizeof err), -1);
	CU_ASSERT(strncmp(err, "/nonexistent/x.svg: cannot write: ", 34) == 0);
	/* the rename onto a directory fails: the temporary file goes too */
	CU_ASSERT_EQUAL_FATAL(mkdir(dir, 0755), 0);
	CU_ASSERT_EQUAL(graph_states_write(NULL, GRAPH_BOTH, NULL, "dot", dir, err, sizeof err), -1);
	snprintf(want, sizeof want, "%s: cannot write: ", dir);
	CU_ASSERT(strncmp(err, want, strlen(want)) == 0);
	CU_ASSERT_EQUAL(tmp_entries(), 1);
	tmp_clean();
}

/* Another picture, drawn between two renderings of the fixture. */
static void draw_something_else(void)
{
	struct trace tr;
	struct trace_log log;
	char err[256];

	aborted_trace(&tr, &log);
	CU_ASSERT_EQUAL(graph_states_write(&log, GRAPH_BOTH, NULL, "svg", tmp_path("other.svg"), err, sizeof err), 0);
	CU_ASSERT_EQUAL(graph_states_write(NULL, GRAPH_BOTH, "x", "dot", tmp_path("other.dot"), err, sizeof err), 0);
	fixture_free(&tr, &log);
}

/* The same bytes every time, whatever was drawn before in the process
 * (Graphviz keeps state between layouts; cgraph orders named subgraphs by
 * the address of their names). */
static void test_deterministic(void)
{
	static const char *const formats[] = { "dot", "svg", "png", "pdf" };

	for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
		size_t n1 = 0, n2 = 0;
		char *a = render_fixture(formats[i], "d1", &n1);
		draw_something_else();
		char *b = render_fixture(formats[i], "d2", &n2);
		CU_ASSERT_PTR_NOT_NULL(a);
		CU_ASSERT_PTR_NOT_NULL(b);
		CU_ASSERT(a && b && n1 == n2 && memcmp(a, b, n1) == 0);
		free(a);
		free(b);
	}
	tmp_clean();
}

/* ---- the layout ----------------------------------------------------------- */

static char gv_said[1024];

/* agusererrf: whatever Graphviz says, kept. */
static int gv_listen(char *msg)
{
	snprintf(gv_said + strlen(gv_said), sizeof gv_said - strlen(gv_said), "%s", msg);
	return 0;
}

/* One Graphviz context for the tests, never freed: Graphviz 2.43's pango
 * text layout keeps a pointer into the context that measured text last
 * (graph_states.c keeps its own context for the same reason). */
static GVC_t *test_gvc(void)
{
	static GVC_t *gvc;

	if (!gvc)
		gvc = gvContext();
	CU_ASSERT_PTR_NOT_NULL_FATAL(gvc);
	return gvc;
}

/* Lays out dot text with the engine it names (layout=nop2: every position
 * is in the file), as `dot -Tsvg FILE` does; the caller frees with
 * unlayout(). */
static Agraph_t *layout(GVC_t *gvc, const char *text)
{
	Agraph_t *g = agmemread(text);

	CU_ASSERT_PTR_NOT_NULL_FATAL(g);
	const char *engine = agget(g, "layout");
	CU_ASSERT_STRING_EQUAL(engine ? engine : "", "nop2");
	CU_ASSERT_EQUAL_FATAL(gvLayout(gvc, g, engine && *engine ? engine : "dot"), 0);
	return g;
}

static void unlayout(GVC_t *gvc, Agraph_t *g)
{
	gvFreeLayout(gvc, g);
	agclose(g);
}

/* The DOT file renders with dot without a word from Graphviz, into the very
 * svg graph_states_write wrote. */
static void test_dot_rerenders(void)
{
	struct trace tr;
	struct trace_log log;
	char err[256] = "", *svg = NULL;
	unsigned int len = 0;
	size_t written_len = 0;

	fixture_simultaneous_close(&tr, &log);
	char *text = states_dot(&log, GRAPH_BOTH, NULL);
	CU_ASSERT_EQUAL(graph_states_write(&log, GRAPH_BOTH, NULL, "svg", tmp_path("r.svg"), err, sizeof err), 0);
	char *written = slurp(tmp_path("r.svg"), &written_len);
	gv_said[0] = '\0';
	agusererrf old = agseterrf(gv_listen);
	agerrlevel_t old_level = agseterr(AGWARN);
	GVC_t *gvc = test_gvc();
	Agraph_t *g = layout(gvc, text);
	CU_ASSERT_EQUAL(gvRenderData(gvc, g, "svg", &svg, &len), 0);
	unlayout(gvc, g);
	agseterr(old_level);
	agseterrf(old);
	CU_ASSERT_STRING_EQUAL(gv_said, "");
	CU_ASSERT_PTR_NOT_NULL_FATAL(written);
	CU_ASSERT(svg && len == written_len && memcmp(svg, written, len) == 0);
	gvFreeRenderData(svg);
	free(written);
	free(text);
	fixture_free(&tr, &log);
	tmp_clean();
}

static pointf at(Agraph_t *g, const char *name)
{
	Agnode_t *n = agnode(g, (char *)name, 0);
	pointf none = { 0, 0 };

	CU_ASSERT_PTR_NOT_NULL(n);
	return n ? ND_coord(n) : none;
}

/* Graphviz's y grows upwards: "a above b" is a.y > b.y. */
static void check_textbook_shape(Agraph_t *g)
{
	static const char *const down[] = {
		"CLOSED", "LISTEN", "SYN_SENT", "ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2", "TIME_WAIT",
	};

	for (size_t i = 1; i < sizeof down / sizeof down[0]; i++)
		CU_ASSERT(at(g, down[i - 1]).y > at(g, down[i]).y);
	CU_ASSERT_DOUBLE_EQUAL(at(g, "SYN_RECEIVED").y, at(g, "SYN_SENT").y, 0.01);
	CU_ASSERT_DOUBLE_EQUAL(at(g, "FIN_WAIT_1").y, at(g, "CLOSE_WAIT").y, 0.01);
	CU_ASSERT_DOUBLE_EQUAL(at(g, "FIN_WAIT_2").y, at(g, "CLOSING").y, 0.01);
	CU_ASSERT_DOUBLE_EQUAL(at(g, "CLOSING").y, at(g, "LAST_ACK").y, 0.01);
	CU_ASSERT(at(g, "CLOSED_END").y <= at(g, "TIME_WAIT").y + 0.01);
	/* active close on the left, passive close on the right */
	CU_ASSERT(at(g, "SYN_RECEIVED").x < at(g, "ESTABLISHED").x);
	CU_ASSERT(at(g, "ESTABLISHED").x < at(g, "SYN_SENT").x);
	CU_ASSERT(at(g, "FIN_WAIT_1").x < at(g, "ESTABLISHED").x);
	CU_ASSERT(at(g, "ESTABLISHED").x < at(g, "CLOSE_WAIT").x);
	CU_ASSERT(at(g, "FIN_WAIT_2").x < at(g, "CLOSING").x);
	CU_ASSERT(at(g, "CLOSING").x < at(g, "LAST_ACK").x);
	CU_ASSERT(at(g, "TIME_WAIT").x < at(g, "LAST_ACK").x);
}

struct box {
	double x0, y0, x1, y1;
	const char *what;
};

/* Whether p lies inside b shrunk by 1pt (touching the edge is allowed). */
static bool inside(const struct box *b, pointf p)
{
	return p.x > b->x0 + 1 && p.x < b->x1 - 1 && p.y > b->y0 + 1 && p.y < b->y1 - 1;
}

static bool boxes_meet(const struct box *a, const struct box *b)
{
	return a->x0 < b->x1 - 1 && b->x0 < a->x1 - 1 && a->y0 < b->y1 - 1 && b->y0 < a->y1 - 1;
}

static struct box label_box(textlabel_t *l, const char *what)
{
	struct box b = { l->pos.x - l->dimen.x / 2, l->pos.y - l->dimen.y / 2,
			 l->pos.x + l->dimen.x / 2, l->pos.y + l->dimen.y / 2, what };
	return b;
}

static struct box node_box(Agnode_t *n)
{
	pointf c = ND_coord(n);
	double w = ND_width(n) * 72 / 2, h = ND_height(n) * 72 / 2;
	struct box b = { c.x - w, c.y - h, c.x + w, c.y + h, agnameof(n) };
	return b;
}

/* A point of a cubic Bezier segment. */
static pointf bezier_at(const pointf *p, double t)
{
	double u = 1 - t;
	pointf r = {
		u * u * u * p[0].x + 3 * u * u * t * p[1].x + 3 * u * t * t * p[2].x + t * t * t * p[3].x,
		u * u * u * p[0].y + 3 * u * u * t * p[1].y + 3 * u * t * t * p[2].y + t * t * t * p[3].y,
	};
	return r;
}

/* Whether e's drawn line (arrowhead included) enters b. */
static bool edge_crosses(Agedge_t *e, const struct box *b)
{
	splines *spl = ED_spl(e);

	for (int i = 0; spl && i < spl->size; i++) {
		bezier *bz = &spl->list[i];
		for (int k = 0; k + 3 < bz->size; k += 3)
			for (int s = 0; s <= 20; s++)
				if (inside(b, bezier_at(bz->list + k, s / 20.0)))
					return true;
		if (bz->eflag)
			for (int s = 0; s <= 10; s++) {
				pointf a = bz->list[bz->size - 1], q = { a.x + (bz->ep.x - a.x) * s / 10,
									a.y + (bz->ep.y - a.y) * s / 10 };
				if (inside(b, q))
					return true;
			}
	}
	return false;
}

/* Nothing overlaps: no two labels, no label and node, and no drawn line
 * through a label (but its own) or through a node (but its ends). */
static void check_nothing_overlaps(Agraph_t *g, const char *name)
{
	struct box labels[MAX_EDGES + 1], nodes[32];
	Agedge_t *owner[MAX_EDGES + 1];
	size_t nl = 0, nn = 0;
	int bad = 0;

	if (GD_label(g)) {
		owner[nl] = NULL;
		labels[nl++] = label_box(GD_label(g), "title");
	}
	for (Agnode_t *v = agfstnode(g); v; v = agnxtnode(g, v)) {
		/* an invisible box (an obstacle the router went around) is no node */
		if (strcmp(agget(v, "style") ? agget(v, "style") : "", "invis") != 0)
			nodes[nn++] = node_box(v);
		for (Agedge_t *e = agfstout(g, v); e; e = agnxtout(g, e)) {
			if (ED_label(e) && nl < MAX_EDGES + 1) {
				owner[nl] = e;
				labels[nl++] = label_box(ED_label(e), eattr(e, "id"));
			}
			/* an xlabel is placed after the layout: it may lie anywhere */
			if (ED_xlabel(e) && ED_xlabel(e)->set && nl < MAX_EDGES + 1) {
				owner[nl] = e;
				labels[nl++] = label_box(ED_xlabel(e), eattr(e, "id"));
			}
		}
	}
	for (size_t i = 0; i < nl; i++) {
		for (size_t j = i + 1; j < nl; j++)
			if (boxes_meet(&labels[i], &labels[j]) && bad++ < 5)
				printf("\n%s: labels %s and %s overlap", name, labels[i].what, labels[j].what);
		for (size_t j = 0; j < nn; j++)
			if (boxes_meet(&labels[i], &nodes[j]) && bad++ < 5)
				printf("\n%s: label %s overlaps node %s", name, labels[i].what, nodes[j].what);
	}
	for (Agnode_t *v = agfstnode(g); v; v = agnxtnode(g, v))
		for (Agedge_t *e = agfstout(g, v); e; e = agnxtout(g, e)) {
			if (!strcmp(eattr(e, "style"), "invis"))
				continue;
			for (size_t i = 0; i < nl; i++)
				if (owner[i] != e && edge_crosses(e, &labels[i]) && bad++ < 5)
					printf("\n%s: edge %s crosses label %s", name, eattr(e, "id"), labels[i].what);
			for (size_t j = 0; j < nn; j++) {
				if (!strcmp(nodes[j].what, agnameof(agtail(e))) ||
				    !strcmp(nodes[j].what, agnameof(aghead(e))))
					continue;
				if (edge_crosses(e, &nodes[j]) && bad++ < 5)
					printf("\n%s: edge %s crosses node %s", name, eattr(e, "id"), nodes[j].what);
			}
		}
	CU_ASSERT_EQUAL(bad, 0);
}

static void test_textbook_shape(void)
{
	struct trace tr;
	struct trace_log log;
	GVC_t *gvc = test_gvc();
	char *text = states_dot(NULL, GRAPH_BOTH, "plain");
	Agraph_t *g = layout(gvc, text);

	check_textbook_shape(g);
	CU_ASSERT_DOUBLE_EQUAL(at(g, "CLOSED_END").y, at(g, "TIME_WAIT").y, 0.01);
	CU_ASSERT(at(g, "CLOSED_END").x > at(g, "TIME_WAIT").x);
	check_nothing_overlaps(g, "plain");
	unlayout(gvc, g);
	free(text);
	fixture_simultaneous_close(&tr, &log);
	text = states_dot(&log, GRAPH_BOTH, NULL);
	g = layout(gvc, text);
	check_textbook_shape(g);
	CU_ASSERT(at(g, "legend").x < at(g, "CLOSED").x);
	unlayout(gvc, g);
	free(text);
	fixture_free(&tr, &log);
}

/* Every shipped scenario's picture (the slides' simultaneous close,
 * simultaneous open, where both ends take T07, and lost final ACK among
 * them), by default and with its self-loops (--self-loops): laid out
 * without a word, in the textbook's shape, nothing overlapping, every
 * state exactly where the plain figure has it, in the same frame. */
static void test_every_scenario(void)
{
	struct dirent **list;
	int n = scandir("scenarios", &list, fixture_yaml_only, alphasort);
	char file[300];
	/* the fixed layout: every state where the plain figure has it */
	char *plain_text = states_dot(NULL, GRAPH_BOTH, NULL);
	Agraph_t *plain = layout(test_gvc(), plain_text);
	pointf plain_at[TCP_NSTATES + 1];
	boxf first_bb = { { 0, 0 }, { 0, 0 } };
	for (int k = 0; k <= TCP_NSTATES; k++)
		plain_at[k] = at(plain, k < TCP_NSTATES ? tcp_state_name((enum tcp_state)k) : "CLOSED_END");
	unlayout(test_gvc(), plain);
	free(plain_text);

	CU_ASSERT_FATAL(n > 0);
	for (int i = 0; i < n; i++) {
		struct scenario sc;
		struct trace tr;
		struct trace_log log;
		snprintf(file, sizeof file, "scenarios/%s", list[i]->d_name);
		free(list[i]);
		if (fixture_run_scenario(file, &sc, &tr, &log) < 0) {
			CU_FAIL("scenario did not run");
			continue;
		}
		for (int loops = 0; loops < 2; loops++) {
			const struct graph_states_view with_loops = { .self_loops = true };
			char *text = states_dot_view(&log, GRAPH_BOTH, NULL, loops ? &with_loops : NULL);
			char what[320];
			snprintf(what, sizeof what, "%s%s", file, loops ? " --self-loops" : "");
			gv_said[0] = '\0';
			agusererrf old = agseterrf(gv_listen);
			agerrlevel_t old_level = agseterr(AGWARN);
			Agraph_t *g = layout(test_gvc(), text);
			agseterr(old_level);
			agseterrf(old);
			if (gv_said[0])
				printf("\n%s: Graphviz says: %s", what, gv_said);
			CU_ASSERT_STRING_EQUAL(gv_said, "");
			check_textbook_shape(g);
			check_nothing_overlaps(g, what);
			/* the same frame (so the states are at the same place on the slide) */
			if (i == 0 && !loops)
				first_bb = GD_bb(g);
			if (fabs(GD_bb(g).UR.x - first_bb.UR.x) > 0.01 || fabs(GD_bb(g).UR.y - first_bb.UR.y) > 0.01 ||
			    fabs(GD_bb(g).LL.x - first_bb.LL.x) > 0.01 || fabs(GD_bb(g).LL.y - first_bb.LL.y) > 0.01) {
				printf("\n%s: drawing %.1f,%.1f-%.1f,%.1f, not the first's", what, GD_bb(g).LL.x, GD_bb(g).LL.y,
				       GD_bb(g).UR.x, GD_bb(g).UR.y);
				CU_FAIL("the frame moved");
			}
			for (int k = 0; k <= TCP_NSTATES; k++) {
				pointf p = at(g, k < TCP_NSTATES ? tcp_state_name((enum tcp_state)k) : "CLOSED_END");
				if (fabs(p.x - plain_at[k].x) > 0.01 || fabs(p.y - plain_at[k].y) > 0.01) {
					printf("\n%s: state %d at %.2f,%.2f, not where the plain figure has it", what, k, p.x, p.y);
					CU_FAIL("a state moved");
				}
			}
			unlayout(test_gvc(), g);
			free(text);
		}
		fixture_run_free(&sc, &tr, &log);
	}
	free(list);
}

static void test_cleanup(void)
{
	tmp_clean();
	CU_ASSERT_EQUAL(rmdir(tmpdir), 0);
}

/* Both ends take T07 (SYN_SENT -> SYN_RECEIVED, one rank) and then T09:
 * Graphviz 2.43's dot crashed laying out the two labelled twins. */
static void test_both_ends_t07_then_t09_draws(void)
{
	static const char *const arcs[] = { "T02", "T07", "T09" };
	static const enum tcp_state path[] = { TCPS_CLOSED, TCPS_SYN_SENT, TCPS_SYN_RECEIVED, TCPS_ESTABLISHED };
	struct trace tr;
	struct trace_log log;
	char err[256], file[] = "/tmp/tcpsim_t07_XXXXXX";
	int fd = mkstemp(file);

	CU_ASSERT_TRUE_FATAL(fd >= 0);
	close(fd);
	trace_init(&tr);
	trace_log_init(&log, &tr);
	trace_add_sink(&tr, trace_log_sink(&log));
	trace_add_endpoint(&tr, "client", 0x0a000001, 40000, 1000);
	trace_add_endpoint(&tr, "server", 0x0a000002, 80, 5000);
	for (int ep = 0; ep < 2; ep++)
		for (int i = 0; i < 3; i++) {
			struct trace_event ev = { .type = TRACE_STATE, .t_us = (usec_t)i, .endpoint = ep };
			ev.u.state.from = path[i];
			ev.u.state.to = path[i + 1];
			ev.u.state.cause = "test";
			ev.u.state.arc = arcs[i];
			trace_emit(&tr, &ev);
		}
	CU_ASSERT_EQUAL(graph_states_write(&log, GRAPH_BOTH, NULL, "svg", file, err, sizeof err), 0);
	unlink(file);
	trace_log_free(&log);
	trace_free(&tr);
}

/* A kernel's path as a replay disturbed by another namespace's sockets
 * recorded it (arcs no RFC row has, both ends round the diagram three times):
 * no spacing draws it without an overlap, so the best is one laid out
 * before the last tried. Rendering it read attributes of the last, already
 * closed (a segfault, or memory corruption, in `tcpsim replay`). */
static void test_best_spacing_not_last_renders(void)
{
	static const struct { usec_t t; int ep; enum tcp_state from, to; } steps[] = {
		{ 9596, 0, TCPS_CLOSED, TCPS_ESTABLISHED }, { 9648, 0, TCPS_ESTABLISHED, TCPS_FIN_WAIT_1 },
		{ 10080, 0, TCPS_FIN_WAIT_1, TCPS_SYN_SENT }, { 29774, 1, TCPS_CLOSED, TCPS_SYN_RECEIVED },
		{ 29792, 1, TCPS_SYN_RECEIVED, TCPS_ESTABLISHED }, { 29817, 1, TCPS_ESTABLISHED, TCPS_CLOSE_WAIT },
		{ 29841, 1, TCPS_CLOSE_WAIT, TCPS_LAST_ACK }, { 49955, 0, TCPS_SYN_SENT, TCPS_FIN_WAIT_2 },
		{ 49971, 0, TCPS_FIN_WAIT_2, TCPS_CLOSED }, { 70181, 1, TCPS_LAST_ACK, TCPS_CLOSED },
		{ 225783, 1, TCPS_CLOSED, TCPS_LISTEN }, { 225797, 0, TCPS_CLOSED, TCPS_SYN_SENT },
		{ 266108, 0, TCPS_SYN_SENT, TCPS_ESTABLISHED }, { 266154, 0, TCPS_ESTABLISHED, TCPS_FIN_WAIT_1 },
		{ 286284, 1, TCPS_LISTEN, TCPS_SYN_RECEIVED }, { 286303, 1, TCPS_SYN_RECEIVED, TCPS_ESTABLISHED },
		{ 286329, 1, TCPS_ESTABLISHED, TCPS_CLOSE_WAIT }, { 286354, 1, TCPS_CLOSE_WAIT, TCPS_LAST_ACK },
		{ 306480, 0, TCPS_FIN_WAIT_1, TCPS_FIN_WAIT_2 }, { 306498, 0, TCPS_FIN_WAIT_2, TCPS_CLOSED },
		{ 326620, 1, TCPS_LAST_ACK, TCPS_CLOSED }, { 469616, 1, TCPS_CLOSED, TCPS_LISTEN },
		{ 469631, 0, TCPS_CLOSED, TCPS_SYN_SENT }, { 1525061, 0, TCPS_SYN_SENT, TCPS_ESTABLISHED },
		{ 1525116, 0, TCPS_ESTABLISHED, TCPS_FIN_WAIT_1 }, { 1545230, 1, TCPS_LISTEN, TCPS_SYN_RECEIVED },
		{ 1545244, 1, TCPS_SYN_RECEIVED, TCPS_ESTABLISHED }, { 1545276, 1, TCPS_ESTABLISHED, TCPS_CLOSE_WAIT },
		{ 1545298, 1, TCPS_CLOSE_WAIT, TCPS_LAST_ACK }, { 1565409, 0, TCPS_FIN_WAIT_1, TCPS_FIN_WAIT_2 },
		{ 1565420, 0, TCPS_FIN_WAIT_2, TCPS_CLOSED }, { 1585534, 1, TCPS_LAST_ACK, TCPS_CLOSED },
	};
	struct trace tr;
	struct trace_log log;
	char err[256], *data = NULL;
	size_t len = 0;

	fixture_init(&tr, &log);
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
		fixture_state(&tr, steps[i].t, steps[i].ep, steps[i].from, steps[i].to, "kernel");
	CU_ASSERT_EQUAL(graph_states_render(&log, GRAPH_BOTH, "disturbed", "svg", &data, &len, err, sizeof err), 0);
	CU_ASSERT_TRUE(data && len > 6 && memmem(data, len, "</svg>", 6) != NULL);
	free(data);
	fixture_free(&tr, &log);
}

/* A kernel trace disturbed by other namespaces' sockets, whose diagram
 * makes Graphviz 2.43's dot layout double-free (a back arc beside a flat
 * arc with constraint=false, both labelled): the picture fails, or is drawn
 * by a Graphviz without the bug, and the process lives (Graphviz runs in a
 * child). Without the child, tcpsim replay aborted ("double free"). */
static void test_graphviz_crash_costs_the_picture(void)
{
	static const struct { usec_t t; int ep; enum tcp_state from, to; } steps[] = {
		{ 2168, 1, TCPS_CLOSED, TCPS_LISTEN }, { 4559, 0, TCPS_CLOSED, TCPS_ESTABLISHED },
		{ 10686, 0, TCPS_ESTABLISHED, TCPS_SYN_SENT }, { 25626, 1, TCPS_LISTEN, TCPS_SYN_RECEIVED },
		{ 25643, 1, TCPS_SYN_RECEIVED, TCPS_ESTABLISHED }, { 29574, 1, TCPS_ESTABLISHED, TCPS_LISTEN },
		{ 31303, 1, TCPS_LISTEN, TCPS_SYN_RECEIVED }, { 31317, 1, TCPS_SYN_RECEIVED, TCPS_ESTABLISHED },
		{ 54772, 1, TCPS_ESTABLISHED, TCPS_SYN_RECEIVED }, { 54787, 1, TCPS_SYN_RECEIVED, TCPS_ESTABLISHED },
		{ 64984, 0, TCPS_SYN_SENT, TCPS_FIN_WAIT_1 }, { 85132, 1, TCPS_ESTABLISHED, TCPS_CLOSE_WAIT },
		{ 111072, 0, TCPS_FIN_WAIT_1, TCPS_ESTABLISHED }, { 152623, 0, TCPS_ESTABLISHED, TCPS_FIN_WAIT_2 },
		{ 161261, 1, TCPS_CLOSE_WAIT, TCPS_SYN_RECEIVED }, { 161273, 1, TCPS_SYN_RECEIVED, TCPS_ESTABLISHED },
		{ 189076, 1, TCPS_ESTABLISHED, TCPS_SYN_RECEIVED }, { 189084, 1, TCPS_SYN_RECEIVED, TCPS_ESTABLISHED },
		{ 385741, 0, TCPS_FIN_WAIT_2, TCPS_FIN_WAIT_1 }, { 435935, 1, TCPS_ESTABLISHED, TCPS_CLOSE_WAIT },
		{ 454978, 1, TCPS_CLOSE_WAIT, TCPS_LAST_ACK }, { 475252, 0, TCPS_FIN_WAIT_1, TCPS_CLOSED },
		{ 496703, 1, TCPS_LAST_ACK, TCPS_CLOSED }, { 528611, 0, TCPS_CLOSED, TCPS_FIN_WAIT_1 },
		{ 529818, 0, TCPS_FIN_WAIT_1, TCPS_FIN_WAIT_2 }, { 578781, 1, TCPS_CLOSED, TCPS_CLOSE_WAIT },
		{ 685710, 1, TCPS_CLOSE_WAIT, TCPS_LAST_ACK }, { 735907, 0, TCPS_FIN_WAIT_2, TCPS_CLOSED },
		{ 787367, 1, TCPS_LAST_ACK, TCPS_CLOSED }, { 828500, 1, TCPS_CLOSED, TCPS_LAST_ACK },
		{ 868695, 0, TCPS_CLOSED, TCPS_FIN_WAIT_1 }, { 868712, 1, TCPS_LAST_ACK, TCPS_FIN_WAIT_1 },
		{ 878690, 0, TCPS_FIN_WAIT_1, TCPS_CLOSED }, { 918871, 1, TCPS_FIN_WAIT_1, TCPS_CLOSING },
		{ 918883, 0, TCPS_CLOSED, TCPS_CLOSING }, { 969109, 1, TCPS_CLOSING, TCPS_CLOSED },
		{ 969129, 0, TCPS_CLOSING, TCPS_CLOSED },
	};
	struct trace tr;
	struct trace_log log;
	char err[256] = "", *data = NULL;
	size_t len = 0;

	fixture_init(&tr, &log);
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
		fixture_state(&tr, steps[i].t, steps[i].ep, steps[i].from, steps[i].to, "kernel");
	int rc = graph_states_render(&log, GRAPH_BOTH, "disturbed", "svg", &data, &len, err, sizeof err);
	if (rc == 0) {
		CU_ASSERT_TRUE(data && memmem(data, len, "</svg>", 6) != NULL);
	} else {
		CU_ASSERT_EQUAL(rc, -1);
		CU_ASSERT_PTR_NOT_NULL(strstr(err, "state diagram: Graphviz crashed (signal"));
		CU_ASSERT_PTR_NULL(data);
	}
	free(data);
	fixture_free(&tr, &log);
}

/* A client through TIME_WAIT whose 2MSL timer lasts `length` (0: a
 * profile's time_wait: 0): T21's words. */
static void time_wait_label(usec_t length, char *out, size_t n)
{
	struct trace tr;
	struct trace_log log;

	fixture_init(&tr, &log);
	fixture_state_arc(&tr, 1, 0, TCPS_CLOSED, TCPS_SYN_SENT, "active OPEN", "T02");
	fixture_state_arc(&tr, 2, 0, TCPS_SYN_SENT, TCPS_ESTABLISHED, "rcv SYN,ACK", "T08");
	fixture_state_arc(&tr, 3, 0, TCPS_ESTABLISHED, TCPS_FIN_WAIT_1, "CLOSE", "T12");
	fixture_state_arc(&tr, 4, 0, TCPS_FIN_WAIT_1, TCPS_FIN_WAIT_2, "rcv ACK of FIN", "T14");
	fixture_state_arc(&tr, 5, 0, TCPS_FIN_WAIT_2, TCPS_TIME_WAIT, "rcv FIN", "T17");
	struct trace_event ev = { .type = TRACE_TIMER, .t_us = 5, .endpoint = 0 };
	ev.u.timer.timer = TIMER_TIME_WAIT;
	ev.u.timer.event = TIMER_SET;
	ev.u.timer.due = 5 + length;
	trace_emit(&tr, &ev);
	fixture_state_arc(&tr, 5 + length, 0, TCPS_TIME_WAIT, TCPS_CLOSED, "timeout 2MSL", "T21");
	Agraph_t *g = states_graph(&log, GRAPH_CLIENT, NULL);
	Agedge_t *e = find_arc(g, "T21", "client");
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	snprintf(out, n, "%s", eattr(e, "label"));
	agclose(g);
	fixture_free(&tr, &log);
}

/* "Timeout=2MSL" only when TIME_WAIT lasted: a time_wait of 0 says so. */
static void test_time_wait_zero_label(void)
{
	char label[HTML_LABEL_MAX];

	time_wait_label(0, label, sizeof label);
	CU_ASSERT_PTR_NOT_NULL(strstr(label, "Timeout=0 / delete TCB"));
	CU_ASSERT_PTR_NULL(strstr(label, "2MSL"));
	time_wait_label(4000000, label, sizeof label);
	CU_ASSERT_PTR_NOT_NULL(strstr(label, "Timeout=2MSL / delete TCB"));
}

TCPSIM_SUITE(graph_states,
	     { "a diagram Graphviz crashes on costs the picture, not the process",
	       test_graphviz_crash_costs_the_picture },
	     { "T21 says Timeout=0 when TIME_WAIT lasted no time (time_wait: 0)", test_time_wait_zero_label },
	     { "a best spacing laid out before the last renders (Graphviz read a closed graph)",
	       test_best_spacing_not_last_renders },
	{ "both ends taking T07 then T09 draws (Graphviz crash)", test_both_ends_t07_then_t09_draws },
	     { "plain diagram: the 11 states, a second CLOSED, exactly Figure 5's arcs", test_plain_states_and_arcs },
	     { "plain diagram: arcs between the right states, in the RFC's words; title escaped", test_plain_labels },
	     { "fixture: each endpoint's path in trace order, in its colour and style; the rest grey", test_fixture_paths },
	     { "side: one endpoint's path only", test_one_side },
	     { "arcs outside Figure 5 only when traversed; CLOSED top or bottom; repeated steps", test_arcs_outside_figure5 },
	     { "several clients: client#1 and server#1 drawn, server#1 from the listener's CLOSED -> LISTEN", test_many_clients },
	     { "svg, png, pdf and dot files start with their magic", test_formats },
	     { "unknown format: -1 and a message, no file", test_unknown_format },
	     { "unwritable path: -1, PATH: cannot write, no temporary file left", test_unwritable },
	     { "same trace, same bytes, whatever was drawn before", test_deterministic },
	     { "the dot file re-renders silently into the same svg", test_dot_rerenders },
	     { "layout: the textbook's rows and columns, nothing overlaps", test_textbook_shape },
	     { "every shipped scenario, with and without --self-loops: laid out silently, textbook shape, nothing overlaps, states where the plain figure has them", test_every_scenario },
	     { "temporary directory removed", test_cleanup })
