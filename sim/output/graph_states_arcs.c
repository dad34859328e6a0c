/* graph_states_arcs.c - the arcs of the state diagram: Figure 5's, in the
 * figure's words, and with a trace the endpoints shown and the arcs each
 * took, numbered in trace order (those outside Figure 5 added). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/bigarray.h"
#include "proto/arcs.h"
#include "output/graph_states_int.h"

/* An arc of Figure 5, in the figure's words. */
struct fig5_arc {
	const char *id;
	enum tcp_state from, to;
	const char *label;
	enum arc_layout layout;
	const char *headport;        /* where it enters its head, NULL: dot's choice */
};

static const struct fig5_arc figure5[] = {
	{ "T01", TCPS_CLOSED, TCPS_LISTEN, "passive OPEN / create TCB", RANKED, NULL },
	{ "T02", TCPS_CLOSED, TCPS_SYN_SENT, "active OPEN / create TCB, snd SYN", RANKED, NULL },
	{ "T03", TCPS_LISTEN, TCPS_CLOSED, "CLOSE / delete TCB", BENDS, NULL },
	{ "T04", TCPS_LISTEN, TCPS_SYN_RECEIVED, "rcv SYN / snd SYN,ACK", RANKED, NULL },
	{ "T05", TCPS_LISTEN, TCPS_SYN_SENT, "SEND / snd SYN", RANKED, NULL },
	{ "T06", TCPS_SYN_SENT, TCPS_CLOSED, "CLOSE / delete TCB", BENDS, NULL },
	{ "T07", TCPS_SYN_SENT, TCPS_SYN_RECEIVED, "rcv SYN / snd SYN,ACK", UNRANKED, NULL },
	{ "T08", TCPS_SYN_SENT, TCPS_ESTABLISHED, "rcv SYN,ACK / snd ACK", RANKED, NULL },
	{ "T09", TCPS_SYN_RECEIVED, TCPS_ESTABLISHED, "rcv ACK of SYN / x", RANKED, NULL },
	{ "T10", TCPS_SYN_RECEIVED, TCPS_FIN_WAIT_1, "CLOSE / snd FIN", RANKED, NULL },
	{ "T11", TCPS_SYN_RECEIVED, TCPS_LISTEN, "rcv RST / x", RANKED, NULL },
	{ "T12", TCPS_ESTABLISHED, TCPS_FIN_WAIT_1, "CLOSE / snd FIN", RANKED, NULL },
	{ "T13", TCPS_ESTABLISHED, TCPS_CLOSE_WAIT, "rcv FIN / snd ACK", RANKED, NULL },
	{ "T14", TCPS_FIN_WAIT_1, TCPS_FIN_WAIT_2, "rcv ACK of FIN / x", RANKED, NULL },
	{ "T15", TCPS_FIN_WAIT_1, TCPS_CLOSING, "rcv FIN / snd ACK", RANKED, NULL },
	{ "T16", TCPS_FIN_WAIT_1, TCPS_TIME_WAIT, "rcv FIN,ACK of FIN / snd ACK", RANKED, "n" },
	{ "T17", TCPS_FIN_WAIT_2, TCPS_TIME_WAIT, "rcv FIN / snd ACK", RANKED, NULL },
	{ "T18", TCPS_CLOSE_WAIT, TCPS_LAST_ACK, "CLOSE / snd FIN", RANKED, NULL },
	{ "T19", TCPS_CLOSING, TCPS_TIME_WAIT, "rcv ACK of FIN / x", RANKED, NULL },
	{ "T20", TCPS_LAST_ACK, TCPS_CLOSED, "rcv ACK of FIN / x", RANKED, NULL },
	{ "T21", TCPS_TIME_WAIT, TCPS_CLOSED, "Timeout=2MSL / delete TCB", RANKED, NULL },
};
#define N_FIG5 (sizeof figure5 / sizeof figure5[0])

/* The other state-changing rows, labelled in the figure's style. */
static const struct {
	const char *id, *label;
} extra_labels[] = {
	{ "T22", "active OPEN / snd SYN" },
	{ "T23", "rcv SYN / x" },
	{ "T24", "rcv RST / x" },
	{ "T25", "rcv RST / x" },
	{ "T26", "rcv FIN,ACK of SYN / snd ACK" },
	{ "T27", "rcv SYN,ACK,FIN / snd ACK" },
	{ "T28", "rcv SYN,ACK / x" },
	{ "T29", "rcv SYN / x" },
	{ "T30", "rcv data / snd RST" },
	{ "T31", "FIN_WAIT_2 timeout / delete TCB" },
	{ "T34", "rcv RST / x" }, { "T35", "rcv RST / x" }, { "T36", "rcv RST / x" },
	{ "T37", "rcv RST / x" }, { "T38", "rcv RST / x" }, { "T39", "rcv RST / x" },
	{ "T40", "rcv RST / x" },
	{ "T42", "ABORT / x" }, { "T43", "ABORT / x" },
	{ "T44", "ABORT / snd RST" }, { "T45", "ABORT / snd RST" }, { "T46", "ABORT / snd RST" },
	{ "T47", "ABORT / snd RST" }, { "T48", "ABORT / snd RST" },
	{ "T49", "ABORT / x" }, { "T50", "ABORT / x" }, { "T51", "ABORT / x" },
	{ "T53", "retries exhausted / x" },
	{ "T54", "user timeout / x" },
};
#define N_EXTRA_LABELS (sizeof extra_labels / sizeof extra_labels[0])

/* ---- which endpoints -------------------------------------------------- */

/* The client shown ("client", else the first "client#K") and its server
 * (the peer by name, else "server", else the first "server#K"), as the
 * ladder picks them; side leaves one out. */
void pick_endpoints(struct picture *p, enum graph_side side)
{
	int c, s;

	trace_pick_pair(p->log->trace, p->log->shown_connection, &c, &s);
	p->ep[CLIENT] = side == GRAPH_SERVER ? -1 : c;
	p->ep[SERVER] = side == GRAPH_CLIENT ? -1 : s;
}

/* The side endpoint ep is drawn on, -1 when it is not shown. */
static int side_of(const struct picture *p, int ep)
{
	for (int s = 0; s < N_SIDES; s++)
		if (ep >= 0 && p->ep[s] == ep)
			return s;
	return -1;
}

/* ---- the arcs --------------------------------------------------------- */

/* See graph_states_int.h: arcs into CLOSED from LISTEN and SYN_SENT go
 * back up to the top CLOSED, beside the figure's "CLOSE / delete TCB"
 * (T03, T06); from anywhere else, to the bottom one. */
int head_node(enum tcp_state from, enum tcp_state to)
{
	if (to == TCPS_CLOSED && from != TCPS_LISTEN && from != TCPS_SYN_SENT)
		return NODE_CLOSED_END;
	return (int)to;
}

/* Appends an arc; returns its index, or -1 when out of memory. */
static int add_arc(struct picture *p, const char *id, enum tcp_state from, int head,
		   const char *label, enum arc_layout layout, const char *headport)
{
	struct pic_arc *a;

	struct pic_arc *na = bigarray_grow(p->arcs, &p->cap_arcs, p->n_arcs + 1, sizeof *na, 32);
	if (!na)
		return -1;
	p->arcs = na;
	a = &p->arcs[p->n_arcs];
	memset(a, 0, sizeof *a);
	snprintf(a->id, sizeof a->id, "%s", id);
	a->figure5 = p->n_arcs < N_FIG5;
	if (a->figure5)
		snprintf(a->dot_id, sizeof a->dot_id, "%s", id);
	else if (*id)
		snprintf(a->dot_id, sizeof a->dot_id, "%s_%s", id, tcp_state_name(from));
	else
		snprintf(a->dot_id, sizeof a->dot_id, "x%zu", p->n_arcs);
	a->from = from;
	a->head = head;
	a->label = label;
	a->layout = layout;
	a->headport = headport;
	return (int)p->n_arcs++;
}

/* Adds Figure 5's arcs, in the figure's order, first in p->arcs. Returns
 * 0, or -1 when out of memory. */
int add_figure5(struct picture *p)
{
	for (size_t i = 0; i < N_FIG5; i++) {
		const struct fig5_arc *f = &figure5[i];
		if (add_arc(p, f->id, f->from, head_node(f->from, f->to), f->label, f->layout,
			    f->headport) < 0)
			return -1;
	}
	return 0;
}

/* Figure 5's arc from `from` to `to`, the one named id when given; -1. */
static int find_figure5(enum tcp_state from, enum tcp_state to, const char *id)
{
	for (size_t i = 0; i < N_FIG5; i++)
		if (figure5[i].from == from && figure5[i].to == to &&
		    (!id || strcmp(figure5[i].id, id) == 0))
			return (int)i;
	return -1;
}

/* The figure-style words of an arc outside Figure 5, NULL when none. */
static const char *extra_label(const char *id)
{
	for (size_t i = 0; i < N_EXTRA_LABELS; i++)
		if (strcmp(extra_labels[i].id, id) == 0)
			return extra_labels[i].label;
	return NULL;
}

/* The arc a state event traversed, added when the picture lacks it: by the
 * event's arc ID, else (an ID we do not know) Figure 5's arc between the
 * same states, else one labelled with the event's cause. Returns its index,
 * -1 when out of memory. */
static int arc_of_event(struct picture *p, const struct trace_event *ev)
{
	enum tcp_state from = ev->u.state.from, to = ev->u.state.to;
	char id[8] = "", base[8] = "";
	const char *label;
	int i;

	if (ev->u.state.arc && arc_find(ev->u.state.arc)) {
		snprintf(id, sizeof id, "%s", ev->u.state.arc);
		arc_base_id(id, base);
	}
	if ((i = find_figure5(from, to, base)) >= 0)
		return i;
	label = extra_label(base);
	if (!label) {
		if ((i = find_figure5(from, to, NULL)) >= 0)
			return i;
		id[0] = '\0';
		label = ev->u.state.cause ? ev->u.state.cause : "?";
	}
	for (size_t k = N_FIG5; k < p->n_arcs; k++) {
		struct pic_arc *a = &p->arcs[k];
		if (a->from == from && a->head == head_node(from, to) && strcmp(a->id, id) == 0 &&
		    strcmp(a->label, label) == 0)
			return (int)k;
	}
	return add_arc(p, id, from, head_node(from, to), label, RANKED, NULL);
}

/* Appends step number n to a "3,7" list, marking a full one with "+". */
static void add_step(char steps[STEPS_MAX], unsigned n)
{
	size_t len = strlen(steps);
	char num[16];

	snprintf(num, sizeof num, "%s%u", len ? "," : "", n);
	if (len + strlen(num) < STEPS_MAX - 2)
		memcpy(steps + len, num, strlen(num) + 1);
	else if (len && steps[len - 1] != '+')
		memcpy(steps + len, "+", 2);
}

/* Whether event k (a state event leaving TIME_WAIT) ended a TIME_WAIT
 * timer of no length: the last one its endpoint set was due when set (a
 * profile's `time_wait: 0`). */
static bool zero_time_wait(const struct trace_log *log, size_t k)
{
	int ep = log->ev[k].endpoint;

	while (k-- > 0) {
		const struct trace_event *ev = &log->ev[k];
		if (ev->type == TRACE_TIMER && ev->endpoint == ep && ev->u.timer.timer == TIMER_TIME_WAIT &&
		    ev->u.timer.event == TIMER_SET)
			return ev->u.timer.due == ev->t_us;
	}
	return false;
}

/* The listener's passive OPEN that side s's connection was born of
 * (trace_log_listener_open), SIZE_MAX when none. */
static size_t listener_open(const struct picture *p, int s)
{
	return trace_log_listener_open(p->log, p->ep[s], p->ep[1 - s]);
}

/* Numbers each shown endpoint's state events in trace order and marks the
 * arcs they traversed, a connection born of a listener starting with the
 * listener's passive OPEN (listener_open). Self-loops are not state
 * changes: skipped. T21's
 * words say what happened: "Timeout=0" when TIME_WAIT lasted no time. */
int trace_paths(struct picture *p)
{
	unsigned step[N_SIDES] = { 0, 0 };
	size_t listen_at[N_SIDES];

	for (int s = 0; s < N_SIDES; s++)
		listen_at[s] = listener_open(p, s);
	for (size_t k = 0; k < p->log->n; k++) {
		const struct trace_event *ev = &p->log->ev[k];
		for (int s = 0; s < N_SIDES; s++)
			if (listen_at[s] == k) {
				int i = arc_of_event(p, ev);
				if (i < 0)
					return -1;
				add_step(p->arcs[i].steps[s], ++step[s]);
			}
		int s = ev->type == TRACE_STATE ? side_of(p, ev->endpoint) : -1;
		if (s < 0 || ev->u.state.from == ev->u.state.to)
			continue;
		int i = arc_of_event(p, ev);
		if (i < 0)
			return -1;
		if (ev->u.state.from == TCPS_TIME_WAIT && strcmp(p->arcs[i].id, "T21") == 0 && zero_time_wait(p->log, k))
			p->arcs[i].label = "Timeout=0 / delete TCB";
		add_step(p->arcs[i].steps[s], ++step[s]);
	}
	return 0;
}
