/* graph_states_int.h - what the files of the state diagram share, and
 * nothing outside sim/output/graph_states*.c reads: the picture being
 * built, its arcs, a laid-out candidate, and the steps from one file to the
 * next.
 *
 * The parts, one job each (graph_states.c says how the diagram is drawn):
 *   graph_states.c          the entry points: build, lay out, render
 *   graph_states_arcs.c     which arcs: Figure 5's, and those a trace took
 *   graph_states_build.c    the arcs and states as a cgraph graph
 *   graph_states_spacing.c  the row and column gaps that leave nothing
 *                           overlapping */
#ifndef TCPSIM_GRAPH_STATES_INT_H
#define TCPSIM_GRAPH_STATES_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>
#include "output/graph.h"
#include "proto/tcp_state.h"

#define COLOUR_CLIENT "#0072B2"      /* Okabe-Ito blue */
#define COLOUR_SERVER "#E69F00"      /* Okabe-Ito orange */
#define COLOUR_IDLE "#C4C4C4"        /* arcs not traversed */
#define COLOUR_IDLE_TEXT "#5A5A5A"
#define TITLE_WIDTH 96               /* characters a title line holds */
#define HTML_MAX 4096
#define STEPS_MAX 48

#define NODE_CLOSED_END TCP_NSTATES  /* the second CLOSED, at the bottom */
#define N_NODES (TCP_NSTATES + 1)

enum { CLIENT = 0, SERVER = 1, N_SIDES = 2 };

/* How an arc takes part in dot's layout. */
enum arc_layout {
	RANKED,                      /* an ordinary edge: ranks its head below its tail */
	UNRANKED,                    /* constraint=false: drawn, but no say in the ranks */
	BENDS,                       /* ranked with weight 0: the other edges stay straight */
};

/* An arc of the picture: Figure 5's, or another one the trace traversed. */
struct pic_arc {
	char id[8];                  /* "T15", "T53b", "" when unknown */
	char dot_id[48];             /* unique: "T15", "T54_FIN_WAIT_1", "x3" */
	enum tcp_state from;
	int head;                    /* a state, or NODE_CLOSED_END */
	const char *label;
	enum arc_layout layout;
	const char *headport;
	char steps[N_SIDES][STEPS_MAX];  /* "3,7": when each side traversed it */
};

struct picture {
	const struct trace_log *log;
	int ep[N_SIDES];             /* endpoint index per side, -1: not shown */
	struct pic_arc *arcs;
	size_t n_arcs, cap_arcs;
	bool end_below;              /* the bottom CLOSED a row below TIME_WAIT */
	Agraph_t *g;
	Agnode_t *node[N_NODES];
};

/* A laid-out candidate: the DOT text and its graph. */
struct candidate {
	char *dot;
	size_t len;
	Agraph_t *g;                 /* laid out by dot */
	int overlaps;
};

/* ---- graph_states_arcs.c -------------------------------------------------- */

/* Adds Figure 5's arcs to p. Returns 0, or -1 when out of memory. */
int add_figure5(struct picture *p);
/* The client shown ("client", else the first "client#K") and its server
 * (the peer by name, else "server", else the first "server#K"), as the
 * ladder picks them, into p->ep; side leaves one out. */
void pick_endpoints(struct picture *p, enum graph_side side);
/* Numbers each shown endpoint's state events in trace order and marks the
 * arcs they traversed (added when outside Figure 5). Returns 0, or -1 when
 * out of memory. */
int trace_paths(struct picture *p);
/* Whether the bottom CLOSED goes a row below TIME_WAIT (see
 * graph_states_arcs.c). */
bool closed_end_below(const struct picture *p);

/* ---- graph_states_build.c ------------------------------------------------- */

/* Sets attribute name of a graph, node or edge (declared as needed). */
void set(void *obj, const char *name, const char *value);
/* Builds the whole graph in p->g. Returns 0, or -1 when out of memory. */
int build(struct picture *p, enum graph_side side, const char *title);

/* ---- graph_states_spacing.c ----------------------------------------------- */

/* The first spacing with nothing overlapping, else the one with least,
 * into *best. Returns 0, or -1 when Graphviz fails (*best then empty). */
int choose_spacing(struct picture *p, struct candidate *best);
/* Frees c's text and graph and empties it. */
void drop_candidate(struct candidate *c);
/* Frees c's graph and its layout, keeping its text: Graphviz lays out one
 * graph at a time (choose_spacing). */
void drop_layout(struct candidate *c);

#endif
