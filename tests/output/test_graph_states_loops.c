/* test_graph_states_loops.c - the state diagram's self-loops (--self-loops):
 * a hand-built trace whose client answers the peer's FIN again in TIME_WAIT
 * (S16) and whose server resends its FIN from LAST_ACK (T52f) twice, drawn
 * with and without them; the loops in the side's colour and line style,
 * labelled with the rows' words and IDs, no step number; nothing else
 * moved; the default picture unchanged. (Every shipped scenario with
 * --self-loops laid out with nothing overlapping: test_graph_states.c.) */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>
#include "output/graph.h"
#include "output/style.h"
#include "testing.h"
#include "trace_fixture.h"

/* The lost final ACK by hand: the client closes first and answers the
 * resent FIN in TIME_WAIT (S16); the server resends its FIN twice (T52f). */
static void lost_final_ack(struct trace *tr, struct trace_log *log)
{
	fixture_init(tr, log);
	fixture_state_arc(tr, MS(0), 1, TCPS_CLOSED, TCPS_LISTEN, "passive OPEN", "T01");
	fixture_state_arc(tr, MS(10), 0, TCPS_CLOSED, TCPS_SYN_SENT, "active OPEN", "T02");
	fixture_state_arc(tr, MS(60), 1, TCPS_LISTEN, TCPS_SYN_RECEIVED, "rcv SYN", "T04");
	fixture_state_arc(tr, MS(110), 0, TCPS_SYN_SENT, TCPS_ESTABLISHED, "rcv SYN,ACK", "T08");
	fixture_state_arc(tr, MS(160), 1, TCPS_SYN_RECEIVED, TCPS_ESTABLISHED, "rcv ACK of SYN", "T09");
	fixture_state_arc(tr, MS(500), 0, TCPS_ESTABLISHED, TCPS_FIN_WAIT_1, "CLOSE", "T12");
	fixture_state_arc(tr, MS(550), 1, TCPS_ESTABLISHED, TCPS_CLOSE_WAIT, "rcv FIN", "T13");
	fixture_state_arc(tr, MS(600), 0, TCPS_FIN_WAIT_1, TCPS_FIN_WAIT_2, "rcv ACK of FIN", "T14");
	fixture_state_arc(tr, MS(800), 1, TCPS_CLOSE_WAIT, TCPS_LAST_ACK, "CLOSE", "T18");
	fixture_state_arc(tr, MS(850), 0, TCPS_FIN_WAIT_2, TCPS_TIME_WAIT, "rcv FIN", "T17");
	fixture_arc(tr, MS(1800), 1, TCPS_LAST_ACK, "T52f", "timeout RTO");
	fixture_arc(tr, MS(1850), 0, TCPS_TIME_WAIT, "S16", "rcv FIN again");
	fixture_arc(tr, MS(3800), 1, TCPS_LAST_ACK, "T52f", "timeout RTO");
	fixture_state_arc(tr, MS(3850), 1, TCPS_LAST_ACK, TCPS_CLOSED, "rcv ACK of FIN", "T20");
}

/* log's diagram as DOT text (view NULL: the default); the caller frees it. */
static char *dot_of(const struct trace_log *log, const struct graph_states_view *view, size_t *len)
{
	char err[256] = "", *data = NULL;
	int rc = view ? graph_states_render_view(log, GRAPH_BOTH, NULL, view, "dot", &data, len, err, sizeof err) :
			graph_states_render(log, GRAPH_BOTH, NULL, "dot", &data, len, err, sizeof err);

	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_STRING_EQUAL(err, "");
	CU_ASSERT_PTR_NOT_NULL_FATAL(data);
	return data;
}

static const char *eattr(void *obj, const char *name)
{
	const char *v = agget(obj, (char *)name);
	return v ? v : "";
}

/* The loop edge of graph g on `state` for `endpoint`, NULL when none. */
static Agedge_t *loop_on(Agraph_t *g, const char *state, const char *endpoint)
{
	Agnode_t *v = agnode(g, (char *)state, 0);

	for (Agedge_t *e = v ? agfstout(g, v) : NULL; e; e = agnxtout(g, e))
		if (aghead(e) == v && !strcmp(eattr(e, "endpoint"), endpoint))
			return e;
	return NULL;
}

/* How many edges of g begin and end at the same state. */
static int self_edges(Agraph_t *g)
{
	int n = 0;

	for (Agnode_t *v = agfstnode(g); v; v = agnxtnode(g, v))
		for (Agedge_t *e = agfstout(g, v); e; e = agnxtout(g, e))
			n += aghead(e) == v;
	return n;
}

/* Asked for, a loop on TIME_WAIT for the client (S16, solid blue) and one
 * on LAST_ACK for the server (T52f twice, dashed orange), each labelled
 * with the row's words and ID, with no step number; not asked for, none. */
static void test_loops_drawn_when_asked(void)
{
	struct trace tr;
	struct trace_log log;
	const struct graph_states_view loops = { .self_loops = true };
	size_t len;

	lost_final_ack(&tr, &log);
	char *text = dot_of(&log, &loops, &len);
	Agraph_t *g = agmemread(text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(g);
	CU_ASSERT_EQUAL(self_edges(g), 2);
	Agedge_t *tw = loop_on(g, "TIME_WAIT", "client");
	CU_ASSERT_PTR_NOT_NULL_FATAL(tw);
	CU_ASSERT_STRING_EQUAL(eattr(tw, "arc"), "S16");
	CU_ASSERT_STRING_EQUAL(eattr(tw, "times"), "1");
	CU_ASSERT_STRING_EQUAL(eattr(tw, "color"), STYLE_CLIENT_COLOUR);
	CU_ASSERT_STRING_EQUAL(eattr(tw, "style"), STYLE_CLIENT_LINE);
	CU_ASSERT_PTR_NOT_NULL(strstr(eattr(tw, "label"), "rcv FIN again / snd ACK, restart 2MSL"));
	CU_ASSERT_PTR_NOT_NULL(strstr(eattr(tw, "label"), "<B>S16</B>"));
	CU_ASSERT_STRING_EQUAL(eattr(tw, "steps"), "");    /* steps count state changes only */
	CU_ASSERT_PTR_NULL(strstr(eattr(tw, "label"), "BGCOLOR"));   /* no badge */
	CU_ASSERT_STRING_NOT_EQUAL(eattr(tw, "pos"), "");
	CU_ASSERT_STRING_NOT_EQUAL(eattr(tw, "lp"), "");
	Agedge_t *la = loop_on(g, "LAST_ACK", "server");
	CU_ASSERT_PTR_NOT_NULL_FATAL(la);
	CU_ASSERT_STRING_EQUAL(eattr(la, "arc"), "T52f");
	CU_ASSERT_STRING_EQUAL(eattr(la, "times"), "2");
	CU_ASSERT_STRING_EQUAL(eattr(la, "color"), STYLE_SERVER_COLOUR);
	CU_ASSERT_STRING_EQUAL(eattr(la, "style"), STYLE_SERVER_LINE);
	CU_ASSERT_PTR_NOT_NULL(strstr(eattr(la, "label"), "timeout RTO / snd FIN, 2 times"));
	CU_ASSERT_PTR_NOT_NULL(strstr(eattr(la, "label"), "<B>T52f</B>"));
	/* the steps of the paths are those of the picture without loops */
	Agedge_t *t20 = NULL;
	for (Agnode_t *v = agfstnode(g); v; v = agnxtnode(g, v))
		for (Agedge_t *e = agfstout(g, v); e; e = agnxtout(g, e))
			if (!strcmp(eattr(e, "arc"), "T20"))
				t20 = e;
	CU_ASSERT_PTR_NOT_NULL_FATAL(t20);
	CU_ASSERT_STRING_EQUAL(eattr(t20, "steps"), "6");
	agclose(g);
	free(text);

	text = dot_of(&log, NULL, &len);
	g = agmemread(text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(g);
	CU_ASSERT_EQUAL(self_edges(g), 0);
	CU_ASSERT_PTR_NULL(strstr(text, "S16"));
	agclose(g);
	free(text);
	fixture_free(&tr, &log);
}

/* A view that asks for nothing draws the default picture, byte for byte. */
static void test_view_off_is_default(void)
{
	struct trace tr;
	struct trace_log log;
	const struct graph_states_view off = { .self_loops = false };
	size_t len_default, len_off;

	lost_final_ack(&tr, &log);
	char *plain = dot_of(&log, NULL, &len_default), *with_off = dot_of(&log, &off, &len_off);
	CU_ASSERT_EQUAL(len_default, len_off);
	CU_ASSERT(len_default == len_off && memcmp(plain, with_off, len_off) == 0);
	free(plain);
	free(with_off);
	fixture_free(&tr, &log);
}

/* The loops move nothing: every state and every other edge's line and
 * label where the picture without them has them; each loop starts and
 * ends on its state's border. */
static void test_loops_move_nothing(void)
{
	struct trace tr;
	struct trace_log log;
	const struct graph_states_view loops = { .self_loops = true };
	size_t len;

	lost_final_ack(&tr, &log);
	char *plain_text = dot_of(&log, NULL, &len), *loop_text = dot_of(&log, &loops, &len);
	Agraph_t *plain = agmemread(plain_text), *g = agmemread(loop_text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(plain);
	CU_ASSERT_PTR_NOT_NULL_FATAL(g);
	for (Agnode_t *v = agfstnode(plain); v; v = agnxtnode(plain, v)) {
		Agnode_t *w = agnode(g, agnameof(v), 0);
		CU_ASSERT_PTR_NOT_NULL_FATAL(w);
		if (strcmp(eattr(v, "pos"), eattr(w, "pos")) != 0)
			printf("\n%s moved: %s -> %s", agnameof(v), eattr(v, "pos"), eattr(w, "pos"));
		CU_ASSERT_STRING_EQUAL(eattr(v, "pos"), eattr(w, "pos"));
		for (Agedge_t *e = agfstout(plain, v); e; e = agnxtout(plain, e)) {
			if (!*eattr(e, "id"))
				continue;
			Agedge_t *f = NULL;
			for (Agedge_t *k = agfstout(g, w); k && !f; k = agnxtout(g, k))
				if (!strcmp(eattr(k, "id"), eattr(e, "id")))
					f = k;
			CU_ASSERT_PTR_NOT_NULL_FATAL(f);
			CU_ASSERT_STRING_EQUAL(eattr(e, "pos"), eattr(f, "pos"));
			CU_ASSERT_STRING_EQUAL(eattr(e, "lp"), eattr(f, "lp"));
		}
	}
	/* the loop on TIME_WAIT leaves and enters it on its border */
	Agedge_t *tw = loop_on(g, "TIME_WAIT", "client");
	CU_ASSERT_PTR_NOT_NULL_FATAL(tw);
	double nx, ny, w = atof(eattr(agnode(g, "TIME_WAIT", 0), "width")) * 36,
		       h = atof(eattr(agnode(g, "TIME_WAIT", 0), "height")) * 36;
	double tipx, tipy, x0, y0;
	CU_ASSERT_EQUAL_FATAL(sscanf(eattr(agnode(g, "TIME_WAIT", 0), "pos"), "%lf,%lf", &nx, &ny), 2);
	CU_ASSERT_EQUAL_FATAL(sscanf(eattr(tw, "pos"), "e,%lf,%lf %lf,%lf", &tipx, &tipy, &x0, &y0), 4);
	CU_ASSERT(fabs(fabs(y0 - ny) - h) < 1 || fabs(fabs(x0 - nx) - w) < 1);
	CU_ASSERT(fabs(fabs(tipy - ny) - h) < 1 || fabs(fabs(tipx - nx) - w) < 1);
	agclose(plain);
	agclose(g);
	free(plain_text);
	free(loop_text);
	fixture_free(&tr, &log);
}

/* A row taken in CLOSED is drawn on the CLOSED the side's path is at: the
 * top one after a refused connect (SYN_SENT -> CLOSED goes back up, T25),
 * the bottom one after TIME_WAIT's timeout (T21). */
static void test_closed_loops_where_the_path_is(void)
{
	struct trace tr;
	struct trace_log log;
	const struct graph_states_view loops = { .self_loops = true };
	size_t len;

	fixture_init(&tr, &log);
	fixture_state_arc(&tr, MS(0), 0, TCPS_CLOSED, TCPS_SYN_SENT, "active OPEN", "T02");
	fixture_state_arc(&tr, MS(50), 0, TCPS_SYN_SENT, TCPS_CLOSED, "rcv RST", "T25");
	fixture_arc(&tr, MS(60), 0, TCPS_CLOSED, "T41", "rcv RST, no connection");
	fixture_state_arc(&tr, MS(1), 1, TCPS_CLOSED, TCPS_SYN_SENT, "active OPEN", "T02");
	fixture_state_arc(&tr, MS(2), 1, TCPS_SYN_SENT, TCPS_ESTABLISHED, "rcv SYN,ACK", "T08");
	fixture_state_arc(&tr, MS(3), 1, TCPS_ESTABLISHED, TCPS_FIN_WAIT_1, "CLOSE", "T12");
	fixture_state_arc(&tr, MS(4), 1, TCPS_FIN_WAIT_1, TCPS_TIME_WAIT, "rcv FIN,ACK", "T16");
	fixture_state_arc(&tr, MS(5), 1, TCPS_TIME_WAIT, TCPS_CLOSED, "timeout 2MSL", "T21");
	fixture_arc(&tr, MS(70), 1, TCPS_CLOSED, "S01", "rcv ACK, no connection");
	char *text = dot_of(&log, &loops, &len);
	Agraph_t *g = agmemread(text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(g);
	Agedge_t *top = loop_on(g, "CLOSED", "client"), *bottom = loop_on(g, "CLOSED_END", "server");
	CU_ASSERT_PTR_NOT_NULL(top);
	CU_ASSERT_PTR_NOT_NULL(bottom);
	CU_ASSERT_PTR_NULL(loop_on(g, "CLOSED_END", "client"));
	CU_ASSERT_PTR_NULL(loop_on(g, "CLOSED", "server"));
	if (top)
		CU_ASSERT_STRING_EQUAL(eattr(top, "arc"), "T41");
	if (bottom)
		CU_ASSERT_STRING_EQUAL(eattr(bottom, "arc"), "S01");
	agclose(g);
	free(text);
	fixture_free(&tr, &log);
}

TCPSIM_SUITE(graph_states_loops,
	     { "--self-loops: S16 on TIME_WAIT and T52f twice on LAST_ACK, in the side's colour and style, words and ID, no step; none by default",
	       test_loops_drawn_when_asked },
	     { "a view asking for nothing draws the default picture byte for byte", test_view_off_is_default },
	     { "the loops move no state, line or label; each starts and ends on its state", test_loops_move_nothing },
	     { "a row in CLOSED is on the CLOSED the path is at: top after T25, bottom after T21", test_closed_loops_where_the_path_is })
