/* test_graph_ladder.c - the ladder picture: written as dot, read back with
 * cgraph, and its nodes and edges checked where graph_ladder.c put them
 * (every node pinned; y grows upwards in Graphviz, so later is lower). */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cgraph.h>
#include "output/graph.h"
#include "testing.h"
#include "trace_fixture.h"

#define ROW_PITCH_PT 20.0       /* what graph_ladder.c promises between two labels */

/* ---- helpers -------------------------------------------------------------- */

static char tmpdir[64];

/* A fresh temporary directory for the files of one test. */
static const char *tmp_path(const char *name)
{
	static char path[128];

	if (!tmpdir[0]) {
		snprintf(tmpdir, sizeof tmpdir, "/tmp/tcpsim_gl_XXXXXX");
		CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(tmpdir));
	}
	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	return path;
}

/* The whole file at path (NUL-terminated; *len its size), NULL when absent. */
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

/* The ladder of log as dot, parsed back by cgraph (the caller agcloses it). */
static Agraph_t *ladder_graph(const struct trace_log *log, enum graph_side side)
{
	char err[256] = "";
	const char *path = tmp_path("ladder.dot");
	char *text;
	Agraph_t *g;

	if (graph_ladder_write(log, side, "dot", path, err, sizeof err) != 0)
		fprintf(stderr, "\ngraph_ladder_write: %s\n", err);
	text = slurp(path, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	g = agmemread(text);
	free(text);
	unlink(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(g);
	return g;
}

/* An attribute of a node, an edge or the graph ("" when absent). */
static const char *attr(void *obj, const char *name)
{
	char *v = agget(obj, (char *)name);

	return v ? v : "";
}

static bool is_class(void *obj, const char *cls)
{
	return strcmp(attr(obj, "class"), cls) == 0;
}

/* A node's position, in points. */
static void pos(Agnode_t *n, double *x, double *y)
{
	*x = *y = NAN;
	CU_ASSERT_EQUAL(sscanf(attr(n, "pos"), "%lf,%lf", x, y), 2);
}

/* A node's box (centre, width, height), in points. */
struct box {
	double x, y, w, h;
	const char *label, *cls;
};

static struct box box_of(Agnode_t *n)
{
	struct box b;

	pos(n, &b.x, &b.y);
	b.w = atof(attr(n, "width")) * 72;
	b.h = atof(attr(n, "height")) * 72;
	b.label = attr(n, "label");
	b.cls = attr(n, "class");
	return b;
}

/* The nodes of class cls, in the order of their "segment" attribute when
 * they have one, else in creation order. Returns how many (at most max). */
static size_t nodes_of(Agraph_t *g, const char *cls, Agnode_t **out, size_t max)
{
	size_t n = 0;

	for (Agnode_t *v = agfstnode(g); v; v = agnxtnode(g, v))
		if (is_class(v, cls) && n < max)
			out[n++] = v;
	for (size_t i = 1; i < n; i++)          /* insertion sort by "segment" */
		for (size_t j = i; j > 0 && atoi(attr(out[j - 1], "segment")) >
					     atoi(attr(out[j], "segment")); j--) {
			Agnode_t *t = out[j];
			out[j] = out[j - 1];
			out[j - 1] = t;
		}
	return n;
}

/* The edges of class cls, ordered by their "segment" attribute. */
static size_t edges_of(Agraph_t *g, const char *cls, Agedge_t **out, size_t max)
{
	size_t n = 0;

	for (Agnode_t *v = agfstnode(g); v; v = agnxtnode(g, v))
		for (Agedge_t *e = agfstout(g, v); e; e = agnxtout(g, e))
			if (is_class(e, cls) && n < max)
				out[n++] = e;
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && atoi(attr(out[j - 1], "segment")) >
					     atoi(attr(out[j], "segment")); j--) {
			Agedge_t *t = out[j];
			out[j] = out[j - 1];
			out[j - 1] = t;
		}
	return n;
}

/* The x of the client's and the server's lifelines (their heads' centres). */
static void lifelines(Agraph_t *g, double *xc, double *xs)
{
	Agnode_t *heads[4];
	double y;

	CU_ASSERT_EQUAL_FATAL(nodes_of(g, "endpoint", heads, 4), 2);
	pos(heads[0], xc, &y);
	pos(heads[1], xs, &y);
	CU_ASSERT_PTR_NOT_NULL(strstr(attr(heads[0], "label"), "client"));
	CU_ASSERT_PTR_NOT_NULL(strstr(attr(heads[1], "label"), "server"));
	CU_ASSERT(*xc < *xs);
}

/* The state node of the given side (x left or right of the lifelines) whose
 * label is text, NULL when there is none. */
static Agnode_t *state_node(Agraph_t *g, bool left, const char *text)
{
	double xc, xs, x, y;

	lifelines(g, &xc, &xs);
	for (Agnode_t *v = agfstnode(g); v; v = agnxtnode(g, v)) {
		if (!is_class(v, "state") || strcmp(attr(v, "text"), text) != 0)
			continue;
		pos(v, &x, &y);
		if (left ? x < xc : x > xs)
			return v;
	}
	return NULL;
}

/* The picture's height (the bounding box's). */
static double height(Agraph_t *g)
{
	double x0, y0, x1, y1;

	CU_ASSERT_EQUAL(sscanf(attr(g, "bb"), "%lf,%lf,%lf,%lf", &x0, &y0, &x1, &y1), 4);
	return y1 - y0;
}

/* ---- hand-built traces ---------------------------------------------------- */

static void send_and_deliver(struct trace *tr, usec_t t, usec_t delay, int src, int dst,
			     uint8_t flags, uint32_t seq, uint32_t ack, uint32_t len)
{
	fixture_segment(tr, t, src, dst, SEGEV_SEND, flags, seq, ack, len);
	fixture_segment(tr, t + delay, src, dst, SEGEV_DELIVER, flags, seq, ack, len);
}

/* The handshake of the fixture (50 ms each way), ending at 160 ms. */
static void handshake(struct trace *tr)
{
	const int c = 0, s = 1;

	fixture_state(tr, 0, s, TCPS_CLOSED, TCPS_LISTEN, "listen");
	fixture_state(tr, MS(10), c, TCPS_CLOSED, TCPS_SYN_SENT, "connect");
	send_and_deliver(tr, MS(10), MS(50), c, s, TH_SYN, 1000, 0, 0);
	fixture_state(tr, MS(60), s, TCPS_LISTEN, TCPS_SYN_RECEIVED, "rcv SYN");
	send_and_deliver(tr, MS(60), MS(50), s, c, TH_SYN | TH_ACK, 5000, 1001, 0);
	fixture_state(tr, MS(110), c, TCPS_SYN_SENT, TCPS_ESTABLISHED, "rcv SYN,ACK");
	send_and_deliver(tr, MS(110), MS(50), c, s, TH_ACK, 1001, 5001, 0);
	fixture_state(tr, MS(160), s, TCPS_SYN_RECEIVED, TCPS_ESTABLISHED, "rcv ACK");
}

/* The handshake, `idle` of nothing, then the client aborts (RST). */
static void idle_trace(struct trace *tr, struct trace_log *log, usec_t idle)
{
	usec_t t = MS(160) + idle;

	fixture_init(tr, log);
	handshake(tr);
	fixture_state(tr, t, 0, TCPS_ESTABLISHED, TCPS_CLOSED, "abort");
	send_and_deliver(tr, t, MS(50), 0, 1, TH_RST, 1001, 0, 0);
	fixture_state(tr, t + MS(50), 1, TCPS_ESTABLISHED, TCPS_CLOSED, "rcv RST");
}

/* The handshake, then n data segments sent at one instant (a window), each
 * acknowledged: 3 + 2n segments. */
static void window_trace(struct trace *tr, struct trace_log *log, int n)
{
	const int c = 0, s = 1;

	fixture_init(tr, log);
	handshake(tr);
	for (int i = 0; i < n; i++)
		fixture_segment(tr, MS(200), c, s, SEGEV_SEND, TH_ACK, 1001 + 1460u * i, 5001, 1460);
	for (int i = 0; i < n; i++) {
		fixture_segment(tr, MS(220), c, s, SEGEV_DELIVER, TH_ACK, 1001 + 1460u * i, 5001, 1460);
		fixture_segment(tr, MS(220), s, c, SEGEV_SEND, TH_ACK, 5001, 1001 + 1460u * (i + 1), 0);
	}
	for (int i = 0; i < n; i++)
		fixture_segment(tr, MS(240), s, c, SEGEV_DELIVER, TH_ACK, 5001, 1001 + 1460u * (i + 1), 0);
}

/* ---- the simultaneous close ----------------------------------------------- */

static const char *const simclose_labels[] = {
	"S 0:0(0) win 65535 <mss 1460>",
	"S. 0:0(0) ack 1 win 65535 <mss 1460>",
	". 1:1(0) ack 1 win 65535",
	"F. 1:1(0) ack 1 win 65535",
	"F. 1:1(0) ack 1 win 65535",
	". 2:2(0) ack 2 win 65535",
	". 2:2(0) ack 2 win 65535",
};

/* One arrow per segment sent, each labelled in the notation, in send order. */
static void test_one_arrow_per_segment(void)
{
	struct trace tr;
	struct trace_log log;
	Agedge_t *e[16];
	Agnode_t *lab[16];
	Agraph_t *g;

	fixture_simultaneous_close(&tr, &log);
	g = ladder_graph(&log, GRAPH_BOTH);
	CU_ASSERT_EQUAL(edges_of(g, "segment", e, 16), 7);
	CU_ASSERT_EQUAL_FATAL(nodes_of(g, "seglabel", lab, 16), 7);
	for (size_t i = 0; i < 7; i++) {
		CU_ASSERT_STRING_EQUAL(attr(lab[i], "text"), simclose_labels[i]);
		CU_ASSERT_STRING_EQUAL(attr(lab[i], "segment"), attr(e[i], "segment"));
	}
	agclose(g);
	fixture_free(&tr, &log);
}

/* Each arrow goes from its sender's lifeline down to the other one's, and
 * later sends start lower. */
static void test_arrows_slope_down(void)
{
	struct trace tr;
	struct trace_log log;
	Agedge_t *e[16];
	double xc, xs, x0, y0, x1, y1, prev = INFINITY;
	static const bool from_client[] = { 1, 0, 1, 1, 0, 0, 1 };
	Agraph_t *g;

	fixture_simultaneous_close(&tr, &log);
	g = ladder_graph(&log, GRAPH_BOTH);
	lifelines(g, &xc, &xs);
	CU_ASSERT_EQUAL_FATAL(edges_of(g, "segment", e, 16), 7);
	for (size_t i = 0; i < 7; i++) {
		pos(agtail(e[i]), &x0, &y0);
		pos(aghead(e[i]), &x1, &y1);
		CU_ASSERT_DOUBLE_EQUAL(x0, from_client[i] ? xc : xs, 0.01);
		CU_ASSERT_DOUBLE_EQUAL(x1, from_client[i] ? xs : xc, 0.01);
		CU_ASSERT(y1 < y0 - 30);            /* 50 ms of flight: a visible slope */
		CU_ASSERT(y0 < prev);
		prev = y0;
	}
	agclose(g);
	fixture_free(&tr, &log);
}

/* The states are written beside their lifelines, level with the arrival
 * that caused them. */
static void test_states_beside_lifelines(void)
{
	/* Each state with the state diagram's step badge and its cause, but a
	 * cause that is a segment's arrival: the arrow ending there shows it. */
	static const char *const client[] = { "CLOSED", "\u2778 FIN_WAIT_1 (close)", "\u2779 CLOSING",
					      "\u277A TIME_WAIT", "\u277B CLOSED (timeout 2MSL)" };
	static const char *const server[] = { "CLOSED", "\u2779 FIN_WAIT_1 (close)", "\u277A CLOSING",
					      "\u277B TIME_WAIT", "\u277C CLOSED (timeout 2MSL)" };
	struct trace tr;
	struct trace_log log;
	Agedge_t *e[16];
	double x, y_syn, y_state;
	Agraph_t *g;

	fixture_simultaneous_close(&tr, &log);
	g = ladder_graph(&log, GRAPH_BOTH);
	for (size_t i = 0; i < sizeof client / sizeof client[0]; i++) {
		CU_ASSERT_PTR_NOT_NULL(state_node(g, true, client[i]));
		CU_ASSERT_PTR_NOT_NULL(state_node(g, false, server[i]));
	}
	CU_ASSERT_PTR_NOT_NULL(state_node(g, true, "\u2776 SYN_SENT (connect)"));
	CU_ASSERT_PTR_NOT_NULL(state_node(g, false, "\u2776 LISTEN (listen)"));
	CU_ASSERT_PTR_NULL(state_node(g, true, "\u2776 LISTEN (listen)"));
	CU_ASSERT_PTR_NOT_NULL_FATAL(state_node(g, false, "\u2777 SYN_RECEIVED"));
	CU_ASSERT_EQUAL_FATAL(edges_of(g, "segment", e, 16), 7);
	pos(aghead(e[0]), &x, &y_syn);
	pos(state_node(g, false, "\u2777 SYN_RECEIVED"), &x, &y_state);
	CU_ASSERT_DOUBLE_EQUAL(y_state, y_syn, 0.5);
	pos(agtail(e[3]), &x, &y_syn);          /* the client's FIN leaves as it closes */
	pos(state_node(g, true, "\u2778 FIN_WAIT_1 (close)"), &x, &y_state);
	CU_ASSERT_DOUBLE_EQUAL(y_state, y_syn, 0.5);
	agclose(g);
	fixture_free(&tr, &log);
}

/* The time axis: each instant once, lower as time goes on. */
static void test_axis_times_go_down(void)
{
	static const char *const times[] = { "0.000", "0.010", "0.060", "0.110", "0.160",
					     "1.000", "1.050", "1.100", "5.100" };
	struct trace tr;
	struct trace_log log;
	Agnode_t *ticks[32];
	double x, y, prev = INFINITY;
	size_t n;
	Agraph_t *g;

	fixture_simultaneous_close(&tr, &log);
	g = ladder_graph(&log, GRAPH_BOTH);
	n = nodes_of(g, "tick", ticks, 32);
	CU_ASSERT_EQUAL_FATAL(n, sizeof times / sizeof times[0]);
	for (size_t i = 0; i < n; i++) {
		char want[32];
		snprintf(want, sizeof want, "%s\\r", times[i]);
		CU_ASSERT_STRING_EQUAL(attr(ticks[i], "label"), want);
		pos(ticks[i], &x, &y);
		CU_ASSERT(y < prev);
		prev = y;
	}
	agclose(g);
	fixture_free(&tr, &log);
}

/* Both idle stretches of the fixture (0.84 s, 4 s) are compressed and said. */
static void test_idle_marked_on_axis(void)
{
	struct trace tr;
	struct trace_log log;
	Agnode_t *idle[8];
	Agraph_t *g;

	fixture_simultaneous_close(&tr, &log);
	g = ladder_graph(&log, GRAPH_BOTH);
	CU_ASSERT_EQUAL_FATAL(nodes_of(g, "idle", idle, 8), 2);
	CU_ASSERT_STRING_EQUAL(attr(idle[0], "label"), "≈ 840 ms\\ridle\\r");
	CU_ASSERT_STRING_EQUAL(attr(idle[1], "label"), "≈ 4.0 s\\ridle\\r");
	agclose(g);
	fixture_free(&tr, &log);
}

/* 100 s of nothing is compressed, yet drawn taller than 1 s (a longer gap
 * is never drawn shorter), and the axis says how long. */
static void test_long_idle_compressed(void)
{
	struct trace tr;
	struct trace_log log;
	Agnode_t *idle[4];
	double h_short, h_long;
	Agraph_t *g;

	idle_trace(&tr, &log, 1 * USEC_PER_SEC);
	g = ladder_graph(&log, GRAPH_BOTH);
	h_short = height(g);
	agclose(g);
	fixture_free(&tr, &log);

	idle_trace(&tr, &log, 100 * USEC_PER_SEC);
	g = ladder_graph(&log, GRAPH_BOTH);
	h_long = height(g);
	CU_ASSERT(h_long > h_short + 50);
	CU_ASSERT(h_long < h_short + 1000);
	CU_ASSERT_EQUAL_FATAL(nodes_of(g, "idle", idle, 4), 1);
	CU_ASSERT_STRING_EQUAL(attr(idle[0], "label"), "≈ 100 s\\ridle\\r");
	agclose(g);
	fixture_free(&tr, &log);
}

/* ---- drops, copies, forgeries, others ------------------------------------- */

/* A dropped segment ends halfway, at a cross, and its label ends in one
 * (the picture's mark for a drop, not tcpdump's word). */
static void test_drop_ends_in_cross_halfway(void)
{
	struct trace tr;
	struct trace_log log;
	Agedge_t *e[8], *cross[4];
	Agnode_t *lab[8];
	double xc, xs, x0, y0, x1, y1;
	Agraph_t *g;

	fixture_init(&tr, &log);
	handshake(&tr);
	fixture_segment(&tr, MS(300), 0, 1, SEGEV_SEND, TH_FIN | TH_ACK, 1001, 5001, 0);
	fixture_segment(&tr, MS(300), 0, 1, SEGEV_DROP, TH_FIN | TH_ACK, 1001, 5001, 0);
	send_and_deliver(&tr, MS(1300), MS(50), 0, 1, TH_FIN | TH_ACK, 1001, 5001, 0);
	g = ladder_graph(&log, GRAPH_BOTH);
	lifelines(g, &xc, &xs);
	CU_ASSERT_EQUAL_FATAL(edges_of(g, "segment", e, 8), 5);
	CU_ASSERT_EQUAL(edges_of(g, "cross", cross, 4), 2);
	CU_ASSERT_EQUAL_FATAL(nodes_of(g, "seglabel", lab, 8), 5);
	CU_ASSERT_STRING_EQUAL(attr(lab[3], "text"), "F. 1:1(0) ack 1 win 65535  ✕");
	CU_ASSERT_STRING_EQUAL(attr(lab[4], "text"), "\u21BB F. 1:1(0) ack 1 win 65535");
	CU_ASSERT(is_class(aghead(e[3]), "drop"));
	CU_ASSERT(is_class(aghead(e[4]), "arrival"));
	pos(agtail(e[3]), &x0, &y0);
	pos(aghead(e[3]), &x1, &y1);
	/* Halfway, or further when the label needs it to stay clear of the
	 * cross; never at the receiver. */
	struct box b = box_of(lab[3]);
	CU_ASSERT(x1 >= (xc + xs) / 2 - 0.01);
	CU_ASSERT(x1 < xs - 10);
	CU_ASSERT(b.x + b.w / 2 < x1 - 6);
	CU_ASSERT(y1 < y0 - 10);
	agclose(g);
	fixture_free(&tr, &log);
}

/* The link's copy of a duplicated segment arrives too: a second arrow. */
static void test_duplicate_drawn_twice(void)
{
	struct trace tr;
	struct trace_log log;
	Agedge_t *e[8], *copy[4];
	Agnode_t *lab[8];
	double xs, xc, x, y_first, y_copy;
	Agraph_t *g;

	fixture_init(&tr, &log);
	handshake(&tr);
	fixture_segment(&tr, MS(300), 0, 1, SEGEV_SEND, TH_ACK | TH_PSH, 1001, 5001, 10);
	fixture_segment(&tr, MS(300), 0, 1, SEGEV_DUPLICATE, TH_ACK | TH_PSH, 1001, 5001, 10);
	fixture_segment(&tr, MS(350), 0, 1, SEGEV_DELIVER, TH_ACK | TH_PSH, 1001, 5001, 10);
	fixture_segment(&tr, MS(350), 0, 1, SEGEV_DELIVER, TH_ACK | TH_PSH, 1001, 5001, 10);
	g = ladder_graph(&log, GRAPH_BOTH);
	lifelines(g, &xc, &xs);
	CU_ASSERT_EQUAL_FATAL(edges_of(g, "segment", e, 8), 4);
	CU_ASSERT_EQUAL_FATAL(edges_of(g, "copy", copy, 4), 1);
	CU_ASSERT_EQUAL_FATAL(nodes_of(g, "seglabel", lab, 8), 4);
	CU_ASSERT_STRING_EQUAL(attr(lab[3], "text"), "P. 1:11(10) ack 1 win 65535  \u00D72 duplicated");
	CU_ASSERT_PTR_EQUAL(agtail(copy[0]), agtail(e[3]));
	pos(aghead(e[3]), &x, &y_first);
	pos(aghead(copy[0]), &x, &y_copy);
	CU_ASSERT_DOUBLE_EQUAL(x, xs, 0.01);
	CU_ASSERT(y_copy < y_first);            /* apart, so that both heads show */
	agclose(g);
	fixture_free(&tr, &log);
}

/* A forged segment is dashed red and says so. */
static void test_forged_segment_marked(void)
{
	struct trace tr;
	struct trace_log log;
	struct trace_event ev = { .type = TRACE_SEGMENT, .t_us = MS(500), .endpoint = 1 };
	Agedge_t *e[8];
	Agnode_t *lab[8];
	Agraph_t *g;

	fixture_init(&tr, &log);
	handshake(&tr);
	ev.u.segment.src = 1;
	ev.u.segment.dst = 0;
	ev.u.segment.event = SEGEV_SEND;
	ev.u.segment.forged = true;
	ev.u.segment.seg.flags = TH_RST;
	ev.u.segment.seg.seq = 5001;
	trace_emit(&tr, &ev);
	g = ladder_graph(&log, GRAPH_BOTH);
	CU_ASSERT_EQUAL_FATAL(edges_of(g, "segment", e, 8), 4);
	CU_ASSERT_EQUAL_FATAL(nodes_of(g, "seglabel", lab, 8), 4);
	CU_ASSERT_PTR_NOT_NULL(strstr(attr(lab[3], "text"), "\u26A0 forged"));
	CU_ASSERT_PTR_NOT_NULL(strstr(attr(e[3], "style"), "dashed"));
	CU_ASSERT_PTR_NULL(strstr(attr(e[2], "style"), "dashed"));
	agclose(g);
	fixture_free(&tr, &log);
}

/* GRAPH_CLIENT: the client's states only; every segment still drawn. */
static void test_side_shows_one_sides_states(void)
{
	struct trace tr;
	struct trace_log log;
	Agedge_t *e[16];
	Agraph_t *g;

	fixture_simultaneous_close(&tr, &log);
	g = ladder_graph(&log, GRAPH_CLIENT);
	CU_ASSERT_EQUAL(edges_of(g, "segment", e, 16), 7);
	CU_ASSERT_PTR_NOT_NULL(state_node(g, true, "\u2779 CLOSING"));
	CU_ASSERT_PTR_NULL(state_node(g, false, "\u277A CLOSING"));
	CU_ASSERT_PTR_NULL(state_node(g, false, "\u2776 LISTEN (listen)"));
	agclose(g);
	g = ladder_graph(&log, GRAPH_SERVER);
	CU_ASSERT_EQUAL(edges_of(g, "segment", e, 16), 7);
	CU_ASSERT_PTR_NULL(state_node(g, true, "\u2779 CLOSING"));
	CU_ASSERT_PTR_NOT_NULL(state_node(g, false, "\u277A CLOSING"));
	agclose(g);
	fixture_free(&tr, &log);
}

/* The title is the scenario's name, the summary under it; a third endpoint
 * is left out and counted. */
static void test_title_and_left_out(void)
{
	struct trace tr;
	struct trace_log log;
	Agnode_t *n[4];
	Agraph_t *g;

	fixture_simultaneous_close(&tr, &log);
	trace_add_endpoint(&tr, "client#2", 0x0a000003u, 40001, 7000);
	g = ladder_graph(&log, GRAPH_BOTH);
	CU_ASSERT_EQUAL_FATAL(nodes_of(g, "title", n, 4), 1);
	CU_ASSERT_STRING_EQUAL(attr(n[0], "label"), "simultaneous_close");
	CU_ASSERT_EQUAL_FATAL(nodes_of(g, "summary", n, 4), 1);
	CU_ASSERT_STRING_EQUAL(attr(n[0], "label"),
			       "Both applications close at once; the FINs cross.");
	CU_ASSERT_EQUAL_FATAL(nodes_of(g, "note", n, 4), 1);
	CU_ASSERT_STRING_EQUAL(attr(n[0], "label"), "(1 other endpoint not shown)");
	agclose(g);
	fixture_free(&tr, &log);
}

/* A picture past GRAPH_LADDER_MAX_ROWS (2000) rows draws the first 2000 and
 * says what it left out; the arrows drawn last still end where their
 * segments arrived. Without the cut, a 2 GiB send drew 1.5 million arrows
 * and took more than 9 GB. */
static void test_long_ladder_cut(void)
{
	struct trace tr;
	struct trace_log log;
	enum { MAX = 4096 };
	Agedge_t **e = calloc(MAX, sizeof *e);
	Agnode_t *n[4];
	Agraph_t *g;

	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	/* rows: the initial one, 5 states, 3 + 1000 + 1000 segments: 2009 */
	window_trace(&tr, &log, 1000);
	g = ladder_graph(&log, GRAPH_BOTH);
	CU_ASSERT_EQUAL_FATAL(nodes_of(g, "cut", n, 4), 1);
	CU_ASSERT_STRING_EQUAL(attr(n[0], "label"),
			       "drawn: the first 2000 rows, up to 0.220 s; 9 more are in the trace and "
			       "the pcap (until: draws a part)");
	/* 3 + 1000 data + 991 ACKs */
	CU_ASSERT_EQUAL(edges_of(g, "segment", e, MAX), 1994);
	agclose(g);
	fixture_free(&tr, &log);

	/* 1999 rows: all drawn, nothing said. */
	window_trace(&tr, &log, 995);
	g = ladder_graph(&log, GRAPH_BOTH);
	CU_ASSERT_EQUAL(nodes_of(g, "cut", n, 4), 0);
	CU_ASSERT_EQUAL(edges_of(g, "segment", e, MAX), 3 + 2 * 995);
	agclose(g);
	fixture_free(&tr, &log);
	free(e);
}

/* ---- crowded pictures ----------------------------------------------------- */

/* True when two boxes overlap. */
static bool overlap(const struct box *a, const struct box *b)
{
	return fabs(a->x - b->x) < (a->w + b->w) / 2 - 0.01 &&
	       fabs(a->y - b->y) < (a->h + b->h) / 2 - 0.01;
}

/* Asserts that no two labels of g (segments, states, times, idle marks)
 * overlap, and that two segment labels sharing columns are a row pitch
 * apart. */
static void assert_no_overlap(Agraph_t *g)
{
	static const char *const text_classes[] = { "seglabel", "state", "tick", "idle" };
	Agnode_t *nodes[512];
	struct box boxes[512];
	size_t n = 0, n_lab = 0;

	for (size_t c = 0; c < sizeof text_classes / sizeof text_classes[0]; c++) {
		n += nodes_of(g, text_classes[c], nodes + n, 512 - n);
		if (c == 0)
			n_lab = n;
	}
	for (size_t i = 0; i < n; i++)
		boxes[i] = box_of(nodes[i]);
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < i; j++) {
			const struct box *a = &boxes[i], *b = &boxes[j];
			bool close = i < n_lab && fabs(a->x - b->x) < (a->w + b->w) / 2 &&
				     fabs(a->y - b->y) < ROW_PITCH_PT - 0.01;
			if (overlap(a, b) || close)
				fprintf(stderr, "\ntoo close: %s \"%s\" and %s \"%s\"\n", a->cls,
					a->label, b->cls, b->label);
			CU_ASSERT(!overlap(a, b));
			CU_ASSERT(!close);
		}
}

/* Labels keep clear of each other in a sparse picture (each placed where it
 * crosses fewest arrows) and a crowded one (51 segments, 24 sent at one
 * instant: stacked a row pitch apart). */
static void test_labels_never_overlap(void)
{
	static const int windows[] = { 3, 24 };
	struct trace tr;
	struct trace_log log;
	Agedge_t *e[128];
	Agraph_t *g;

	fixture_simultaneous_close(&tr, &log);
	g = ladder_graph(&log, GRAPH_BOTH);
	assert_no_overlap(g);
	agclose(g);
	fixture_free(&tr, &log);
	for (size_t i = 0; i < sizeof windows / sizeof windows[0]; i++) {
		window_trace(&tr, &log, windows[i]);
		g = ladder_graph(&log, GRAPH_BOTH);
		CU_ASSERT_EQUAL(edges_of(g, "segment", e, 128), (size_t)(3 + 2 * windows[i]));
		assert_no_overlap(g);
		agclose(g);
		fixture_free(&tr, &log);
	}
}

/* ---- files ---------------------------------------------------------------- */

/* Renders the fixture in format; returns the file's bytes (caller frees). */
static char *render_file(const struct trace_log *log, const char *format, size_t *len)
{
	char err[256] = "", name[32];
	const char *path;
	char *buf;

	snprintf(name, sizeof name, "ladder.%s", format);
	path = tmp_path(name);
	CU_ASSERT_EQUAL(graph_ladder_write(log, GRAPH_BOTH, format, path, err, sizeof err), 0);
	CU_ASSERT_STRING_EQUAL(err, "");
	buf = slurp(path, len);
	unlink(path);
	return buf;
}

/* svg, png and pdf come out as such, the same bytes for the same trace. */
static void test_formats_and_same_bytes(void)
{
	static const struct {
		const char *format, *magic;
		size_t within;
	} want[] = {
		{ "svg", "<svg", 400 }, { "png", "\x89PNG", 4 }, { "pdf", "%PDF", 4 },
		{ "dot", "digraph", 7 },
	};
	struct trace tr;
	struct trace_log log;

	fixture_simultaneous_close(&tr, &log);
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		size_t len1 = 0, len2 = 0;
		char *a = render_file(&log, want[i].format, &len1);
		char *b = render_file(&log, want[i].format, &len2);
		CU_ASSERT_PTR_NOT_NULL_FATAL(a);
		CU_ASSERT_PTR_NOT_NULL_FATAL(b);
		CU_ASSERT(len1 > 100);
		CU_ASSERT(memmem(a, len1 < want[i].within ? len1 : want[i].within, want[i].magic,
				 strlen(want[i].magic)) != NULL);
		CU_ASSERT(len1 == len2 && memcmp(a, b, len1) == 0);
		if (strcmp(want[i].format, "pdf") == 0)   /* not the clock: same bytes later too */
			CU_ASSERT(memmem(a, len1, "/CreationDate (D:19700101000000Z)", 33) != NULL);
		free(a);
		free(b);
	}
	fixture_free(&tr, &log);
}

/* True when dir holds nothing. */
static bool dir_empty(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *ent;
	bool empty = true;

	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	while ((ent = readdir(d)))
		if (strcmp(ent->d_name, ".") != 0 && strcmp(ent->d_name, "..") != 0)
			empty = false;
	closedir(d);
	return empty;
}

/* A bad format or an unwritable path: -1, a message, no file left behind. */
static void test_errors(void)
{
	struct trace tr;
	struct trace_log log;
	char err[256] = "";
	const char *path = tmp_path("ladder.gif");

	fixture_simultaneous_close(&tr, &log);
	CU_ASSERT_EQUAL(graph_ladder_write(&log, GRAPH_BOTH, "gif", path, err, sizeof err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "gif"));
	CU_ASSERT_EQUAL(access(path, F_OK), -1);
	err[0] = '\0';
	CU_ASSERT_EQUAL(graph_ladder_write(&log, GRAPH_BOTH, NULL, path, err, sizeof err), -1);
	CU_ASSERT_NOT_EQUAL(err[0], '\0');
	err[0] = '\0';
	CU_ASSERT_EQUAL(graph_ladder_write(&log, (enum graph_side)7, "svg", path, err, sizeof err),
			-1);
	CU_ASSERT_NOT_EQUAL(err[0], '\0');
	err[0] = '\0';
	CU_ASSERT_EQUAL(graph_ladder_write(&log, GRAPH_BOTH, "svg", "/nonexistent/dir/x.svg", err,
					   sizeof err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "/nonexistent/dir/x.svg"));
	log.out_of_memory = true;
	err[0] = '\0';
	CU_ASSERT_EQUAL(graph_ladder_write(&log, GRAPH_BOTH, "svg", path, err, sizeof err), -1);
	CU_ASSERT_NOT_EQUAL(err[0], '\0');
	CU_ASSERT(dir_empty(tmpdir));
	fixture_free(&tr, &log);
}

/* Text is passed to Graphviz as text: a backslash stays a backslash. */
static void test_backslash_kept(void)
{
	struct trace tr;
	struct trace_log log;
	Agnode_t *n[2];
	Agraph_t *g;

	fixture_simultaneous_close(&tr, &log);
	free(log.summary);
	log.summary = strdup("GET / HTTP/1.0\\r\\n");
	g = ladder_graph(&log, GRAPH_BOTH);
	CU_ASSERT_EQUAL_FATAL(nodes_of(g, "summary", n, 2), 1);
	CU_ASSERT_STRING_EQUAL(attr(n[0], "label"), "GET / HTTP/1.0\\\\r\\\\n");
	agclose(g);
	fixture_free(&tr, &log);
}

/* A trace with nothing in it still makes a picture: two lifelines, the
 * initial states. */
static void test_empty_trace(void)
{
	struct trace tr;
	struct trace_log log;
	Agedge_t *e[4];
	Agraph_t *g;

	fixture_init(&tr, &log);
	g = ladder_graph(&log, GRAPH_BOTH);
	CU_ASSERT_EQUAL(edges_of(g, "segment", e, 4), 0);
	CU_ASSERT_PTR_NOT_NULL(state_node(g, true, "CLOSED"));
	CU_ASSERT_PTR_NOT_NULL(state_node(g, false, "CLOSED"));
	agclose(g);
	fixture_free(&tr, &log);
}

/* Removes the temporary directory (empty by then). */
static void test_cleanup(void)
{
	if (tmpdir[0])
		CU_ASSERT_EQUAL(rmdir(tmpdir), 0);
	tmpdir[0] = '\0';
}

/* A segment the receiving host dropped (its listen queue full) reaches the
 * receiver's lifeline when it was dropped, ends in a cross there, and the
 * host's reason stands beside it. */
static void test_host_drop_at_receiver(void)
{
	struct trace tr;
	struct trace_log log;
	Agedge_t *e[8], *cross[4];
	Agnode_t *note[2];
	double xc, xs, x0, y0, x1, y1, xn, yn;
	Agraph_t *g;

	fixture_init(&tr, &log);
	fixture_state(&tr, 0, 1, TCPS_CLOSED, TCPS_LISTEN, "listen");
	fixture_state(&tr, MS(10), 0, TCPS_CLOSED, TCPS_SYN_SENT, "connect");
	fixture_segment(&tr, MS(10), 0, 1, SEGEV_SEND, TH_SYN, 1000, 0, 0);
	fixture_segment(&tr, MS(60), 0, 1, SEGEV_DROP, TH_SYN, 1000, 0, 0);
	log.ev[log.n - 1].u.segment.reason = "backlog full";
	send_and_deliver(&tr, MS(1010), MS(50), 0, 1, TH_SYN, 1000, 0, 0);
	g = ladder_graph(&log, GRAPH_BOTH);
	lifelines(g, &xc, &xs);
	CU_ASSERT_EQUAL_FATAL(edges_of(g, "segment", e, 8), 2);
	CU_ASSERT_EQUAL(edges_of(g, "cross", cross, 4), 2);
	CU_ASSERT(is_class(aghead(e[0]), "drop"));
	pos(agtail(e[0]), &x0, &y0);
	pos(aghead(e[0]), &x1, &y1);
	CU_ASSERT_DOUBLE_EQUAL(x1, xs, 0.01);                  /* at the server, not halfway */
	/* as far down as the delivered SYN's arrow, one delay after its send */
	double x2, y2, x3, y3;
	pos(agtail(e[1]), &x2, &y2);
	pos(aghead(e[1]), &x3, &y3);
	CU_ASSERT_DOUBLE_EQUAL(y0 - y1, y2 - y3, 0.5);
	CU_ASSERT_EQUAL_FATAL(nodes_of(g, "dropnote", note, 2), 1);
	CU_ASSERT_STRING_EQUAL(attr(note[0], "label"), "backlog full\\l");
	pos(note[0], &xn, &yn);
	CU_ASSERT(xn > xs);
	CU_ASSERT_DOUBLE_EQUAL(yn, y1, 0.01);
	agclose(g);
	fixture_free(&tr, &log);
}

/* ---- what the ladder says (issue 15) ---------------------------------------- */

/* The state diagram of log as dot, parsed back (the caller agcloses it). */
static Agraph_t *states_graph(const struct trace_log *log)
{
	char err[256] = "";
	const char *path = tmp_path("states.dot");
	char *text;
	Agraph_t *g;

	if (graph_states_write(log, GRAPH_BOTH, NULL, "dot", path, err, sizeof err) != 0)
		fprintf(stderr, "\ngraph_states_write: %s\n", err);
	text = slurp(path, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	g = agmemread(text);
	free(text);
	unlink(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(g);
	return g;
}

/* The ladder's state node of a side (left: the client's) with step k. */
static Agnode_t *step_node(Agraph_t *g, bool left, int k)
{
	double xc, xs, x, y;

	lifelines(g, &xc, &xs);
	for (Agnode_t *v = agfstnode(g); v; v = agnxtnode(g, v)) {
		if (!is_class(v, "state") || atoi(attr(v, "step")) != k)
			continue;
		pos(v, &x, &y);
		if (left ? x < xc : x > xs)
			return v;
	}
	return NULL;
}

/* The badges the state diagram numbers each side's steps with are on the
 * ladder at the state changes they number: for every step k of a side in
 * the diagram, the ladder's state of that side with step k is the state the
 * diagram's arc leads to, and the ladder has no other steps. */
static void test_badges_match_state_diagram(void)
{
	struct trace tr;
	struct trace_log log;
	Agraph_t *states, *ladder;
	int seen[2] = { 0, 0 }, ladder_steps[2] = { 0, 0 };

	fixture_simultaneous_close(&tr, &log);
	states = states_graph(&log);
	ladder = ladder_graph(&log, GRAPH_BOTH);
	for (Agnode_t *v = agfstnode(states); v; v = agnxtnode(states, v))
		for (Agedge_t *e = agfstout(states, v); e; e = agnxtout(states, e)) {
			const char *steps = attr(e, "steps");
			bool client = strcmp(attr(e, "endpoint"), "client") == 0;
			char head[32];
			snprintf(head, sizeof head, "%s", agnameof(aghead(e)));
			if (strstr(head, "_END"))
				*strstr(head, "_END") = '\0';
			for (const char *p = steps; *p; p += strcspn(p, ","), p += *p == ',') {
				Agnode_t *n = step_node(ladder, client, atoi(p));
				CU_ASSERT_PTR_NOT_NULL(n);
				if (n)
					CU_ASSERT_PTR_NOT_NULL(strstr(attr(n, "text"), head));
				seen[!client]++;
			}
		}
	for (Agnode_t *v = agfstnode(ladder); v; v = agnxtnode(ladder, v)) {
		double xc, xs, x, y;
		if (!is_class(v, "state") || !*attr(v, "step"))
			continue;
		lifelines(ladder, &xc, &xs);
		pos(v, &x, &y);
		ladder_steps[x > xs]++;
	}
	CU_ASSERT_EQUAL(seen[0], 6);        /* the client's six changes, the server's seven */
	CU_ASSERT_EQUAL(seen[1], 7);
	CU_ASSERT_EQUAL(ladder_steps[0], seen[0]);
	CU_ASSERT_EQUAL(ladder_steps[1], seen[1]);
	agclose(states);
	agclose(ladder);
	fixture_free(&tr, &log);
}

/* The sides' colours are the state diagram's (style.h: the client blue,
 * the server orange) and the server's lines are dashed, as there. */
static void test_colours_are_the_state_diagrams(void)
{
	struct trace tr;
	struct trace_log log;
	Agedge_t *e[16];
	Agraph_t *g;

	fixture_simultaneous_close(&tr, &log);
	g = ladder_graph(&log, GRAPH_BOTH);
	CU_ASSERT_EQUAL_FATAL(edges_of(g, "segment", e, 16), 7);
	CU_ASSERT_STRING_EQUAL(attr(e[0], "color"), "#0072B2");       /* the client's SYN */
	CU_ASSERT_STRING_EQUAL(attr(e[0], "style"), "solid");
	CU_ASSERT_STRING_EQUAL(attr(e[1], "color"), "#E69F00");       /* the server's SYN,ACK */
	CU_ASSERT_STRING_EQUAL(attr(e[1], "style"), "dashed");
	agclose(g);
	fixture_free(&tr, &log);
}

/* A timer event of endpoint ep (see test_ladder.c). */
static void timer_at(struct trace *tr, usec_t t, int ep, enum timer_kind k, enum timer_event ev_kind,
		     usec_t due)
{
	struct trace_event ev = { .type = TRACE_TIMER, .t_us = t, .endpoint = ep };

	ev.u.timer.timer = k;
	ev.u.timer.event = ev_kind;
	ev.u.timer.due = due;
	trace_emit(tr, &ev);
}

/* A retransmission is marked with the timer that sent it and how often
 * (an attribute of its arrow, the mark first in its label, the words
 * beside the sender's lifeline); TIME_WAIT's
 * timer is a mark on the lifeline beside its words; the legend names the
 * marks used, and only those. */
static void test_resend_timer_and_legend(void)
{
	struct trace tr;
	struct trace_log log;
	Agedge_t *e[8];
	Agnode_t *lab[8], *legend[2], *marks[4], *timer[2], *resend[2];
	Agraph_t *g;

	fixture_init(&tr, &log);
	handshake(&tr);
	fixture_segment(&tr, MS(300), 0, 1, SEGEV_SEND, TH_FIN | TH_ACK, 1001, 5001, 0);
	fixture_segment(&tr, MS(300), 0, 1, SEGEV_DROP, TH_FIN | TH_ACK, 1001, 5001, 0);
	timer_at(&tr, MS(1300), 0, TIMER_RTO, TIMER_FIRE, 0);
	send_and_deliver(&tr, MS(1300), MS(50), 0, 1, TH_FIN | TH_ACK, 1001, 5001, 0);
	fixture_state(&tr, MS(1350), 0, TCPS_ESTABLISHED, TCPS_TIME_WAIT, "rcv FIN");
	timer_at(&tr, MS(1350), 0, TIMER_TIME_WAIT, TIMER_SET, MS(5350));
	g = ladder_graph(&log, GRAPH_BOTH);
	CU_ASSERT_EQUAL_FATAL(edges_of(g, "segment", e, 8), 5);
	CU_ASSERT_EQUAL_FATAL(nodes_of(g, "seglabel", lab, 8), 5);
	CU_ASSERT_STRING_EQUAL(attr(e[3], "resend"), "");
	CU_ASSERT_STRING_EQUAL(attr(e[4], "resend"), "RTO 1");
	CU_ASSERT_STRING_EQUAL(attr(lab[4], "text"), "\u21BB F. 1:1(0) ack 1 win 65535");
	CU_ASSERT_EQUAL_FATAL(nodes_of(g, "resend", resend, 2), 1);        /* why, by the sender */
	CU_ASSERT_STRING_EQUAL(attr(resend[0], "text"), "\u21BB RTO 1");
	CU_ASSERT_EQUAL(nodes_of(g, "timermark", marks, 4), 1);
	CU_ASSERT_EQUAL_FATAL(nodes_of(g, "timer", timer, 2), 1);
	CU_ASSERT_STRING_EQUAL(attr(timer[0], "text"), "\u25F7 2MSL started (4 s)");
	CU_ASSERT_EQUAL_FATAL(nodes_of(g, "legend", legend, 2), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(attr(legend[0], "text"), "lost"));
	CU_ASSERT_PTR_NOT_NULL(strstr(attr(legend[0], "text"), "sent again"));
	CU_ASSERT_PTR_NOT_NULL(strstr(attr(legend[0], "text"), "timer"));
	CU_ASSERT_PTR_NULL(strstr(attr(legend[0], "text"), "forged"));
	CU_ASSERT_PTR_NULL(strstr(attr(legend[0], "text"), "twice"));
	agclose(g);
	fixture_free(&tr, &log);
}

/* A scenario's note (TRACE_NOTE) is drawn at its time, between the rows
 * before and after it, in its endpoint's state column (the client's: left
 * of its lifeline), not in a column of its own that would widen the
 * picture. */
static void test_note_at_its_time(void)
{
	struct trace tr;
	struct trace_log log;
	struct trace_event note = { .type = TRACE_NOTE, .t_us = MS(110), .endpoint = 0 };
	const int c = 0, srv = 1;
	Agnode_t *n[2], *heads[2];
	Agedge_t *e[8];
	double x, y, xs, y_ack, y_synack, yh;
	Agraph_t *g;

	fixture_init(&tr, &log);
	/* handshake()'s, the note in its place in the log: before its
	 * instant's events, as the engine emits it */
	fixture_state(&tr, 0, srv, TCPS_CLOSED, TCPS_LISTEN, "listen");
	fixture_state(&tr, MS(10), c, TCPS_CLOSED, TCPS_SYN_SENT, "connect");
	send_and_deliver(&tr, MS(10), MS(50), c, srv, TH_SYN, 1000, 0, 0);
	fixture_state(&tr, MS(60), srv, TCPS_LISTEN, TCPS_SYN_RECEIVED, "rcv SYN");
	send_and_deliver(&tr, MS(60), MS(50), srv, c, TH_SYN | TH_ACK, 5000, 1001, 0);
	note.u.note.text = "the handshake's last ACK";
	trace_emit(&tr, &note);
	fixture_state(&tr, MS(110), c, TCPS_SYN_SENT, TCPS_ESTABLISHED, "rcv SYN,ACK");
	send_and_deliver(&tr, MS(110), MS(50), c, srv, TH_ACK, 1001, 5001, 0);
	fixture_state(&tr, MS(160), srv, TCPS_SYN_RECEIVED, TCPS_ESTABLISHED, "rcv ACK");
	g = ladder_graph(&log, GRAPH_BOTH);
	CU_ASSERT_EQUAL_FATAL(nodes_of(g, "note", n, 2), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(attr(n[0], "text"), "\u270E the handshake's last ACK"));
	CU_ASSERT_EQUAL_FATAL(edges_of(g, "segment", e, 8), 3);
	pos(n[0], &x, &y);
	pos(agtail(e[1]), &xs, &y_synack);
	pos(agtail(e[2]), &xs, &y_ack);
	CU_ASSERT(y <= y_synack && y >= y_ack);     /* Graphviz's y grows upwards */
	CU_ASSERT_EQUAL_FATAL(nodes_of(g, "endpoint", heads, 2), 2);
	pos(heads[0], &xs, &yh);
	CU_ASSERT(x < xs);
	agclose(g);
	fixture_free(&tr, &log);
}

/* --labels short reaches the picture: words for a slide. */
static void test_short_labels_in_picture(void)
{
	struct trace tr;
	struct trace_log log;
	Agnode_t *lab[8];
	Agraph_t *g;

	fixture_init(&tr, &log);
	handshake(&tr);
	log.labels = TRACE_LABELS_SHORT;
	g = ladder_graph(&log, GRAPH_BOTH);
	CU_ASSERT_EQUAL_FATAL(nodes_of(g, "seglabel", lab, 8), 3);
	CU_ASSERT_STRING_EQUAL(attr(lab[0], "text"), "SYN");
	CU_ASSERT_STRING_EQUAL(attr(lab[1], "text"), "SYN+ACK");
	CU_ASSERT_STRING_EQUAL(attr(lab[2], "text"), "ACK");
	agclose(g);
	fixture_free(&tr, &log);
}

TCPSIM_SUITE(graph_ladder,
	{ "the state diagram's step badges at the changes they number", test_badges_match_state_diagram },
	{ "the sides' colours and lines are the state diagram's", test_colours_are_the_state_diagrams },
	{ "a resend marked with its timer, timer marks, a legend of the marks used", test_resend_timer_and_legend },
	{ "a note drawn at its time", test_note_at_its_time },
	{ "--labels short in the picture", test_short_labels_in_picture },
	     { "a host's drop ends at the receiver, with its reason", test_host_drop_at_receiver },
	     { "one arrow per sent segment, labelled in the notation", test_one_arrow_per_segment },
	     { "arrows go from sender down to receiver", test_arrows_slope_down },
	     { "states beside their lifelines, when entered", test_states_beside_lifelines },
	     { "the time axis goes down", test_axis_times_go_down },
	     { "idle stretches are marked on the axis", test_idle_marked_on_axis },
	     { "100 s idle is compressed, taller than 1 s", test_long_idle_compressed },
	     { "a drop ends in a cross halfway", test_drop_ends_in_cross_halfway },
	     { "a duplicated segment arrives twice", test_duplicate_drawn_twice },
	     { "a forged segment is marked", test_forged_segment_marked },
	     { "GRAPH_CLIENT/SERVER: one side's states", test_side_shows_one_sides_states },
	     { "title, summary, endpoints left out", test_title_and_left_out },
	     { "a ladder past 2000 rows is cut, and says so", test_long_ladder_cut },
	     { "labels never overlap, up to 51 segments", test_labels_never_overlap },
	     { "svg, png, pdf, dot: magic and same bytes", test_formats_and_same_bytes },
	     { "errors: -1, a message, nothing written", test_errors },
	     { "a backslash in a summary stays one", test_backslash_kept },
	     { "an empty trace still draws", test_empty_trace },
	     { "cleanup", test_cleanup })
