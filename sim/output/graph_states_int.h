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
 *                           overlapping, and counting what overlaps
 *   graph_states_pin.c      the fixed layout: every picture's states where
 *                           the plain Figure 5 puts them
 *   graph_states_loops.c    the self-loops (--self-loops), put on the
 *                           laid-out picture */
#ifndef TCPSIM_GRAPH_STATES_INT_H
#define TCPSIM_GRAPH_STATES_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>
#include "output/graph.h"
#include "output/style.h"
#include "proto/tcp_state.h"

#define TITLE_WIDTH 96               /* characters a title line holds */
#define TITLE_LINES 4                /* the summary's lines, padded to */
#define BADGE_SLOT_PT 44             /* width kept for a side's badge ("2,8") on a Figure 5 arc */
#define BADGE_HEIGHT_PT 26           /* a badge's row, kept when empty too */
#define TWIN_GAP_PT 6                /* between a twin's two lines: client's and server's */
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
	bool figure5;                /* one of Figure 5's: drawn where the plain figure has it */
	char steps[N_SIDES][STEPS_MAX];  /* "3,7": when each side traversed it */
};

struct picture {
	const struct trace_log *log;
	int ep[N_SIDES];             /* endpoint index per side, -1: not shown */
	struct pic_arc *arcs;
	size_t n_arcs, cap_arcs;
	Agraph_t *skeleton;          /* the plain figure laid out, NULL while building it */
	bool legend;                 /* drawn: a trace's picture, and the skeleton */
	bool self_loops;             /* the rows a side took without changing state, as loops */
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

/* The node an arc from `from` to `to` ends at: `to`, but for the two
 * CLOSEDs (the top one, or NODE_CLOSED_END at the bottom). */
int head_node(enum tcp_state from, enum tcp_state to);
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

/* ---- graph_states_build.c ------------------------------------------------- */

/* s with &, <, > and " escaped for an HTML-like label, appended to out (of
 * size n; cut short when it is full). */
void states_html_escape(char *out, size_t n, const char *s);
/* Appends printf-style text to out (of size n). */
void states_append(char *out, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Sets attribute name of a graph, node or edge (declared as needed). */
void set(void *obj, const char *name, const char *value);
/* Builds the whole graph in p->g, pinned to p->skeleton when there is
 * one. Returns 0, or -1 when out of memory. */
int build(struct picture *p, enum graph_side side, const char *title);

/* ---- graph_states_spacing.c ----------------------------------------------- */

/* The first spacing with nothing overlapping, else the one with least,
 * into *best. Returns 0, or -1 when Graphviz fails (*best then empty). */
int choose_spacing(struct picture *p, struct candidate *best);
/* Frees c's text and graph and empties it. */
void drop_candidate(struct candidate *c);
/* g (not laid out) as DOT text in a malloc'ed buffer. Returns 0 or -1. */
int write_dot(Agraph_t *g, char **data, size_t *len);
/* How many overlaps the laid-out g has: labels meeting labels or nodes,
 * lines through labels (but their own; closer than clearance points) or
 * through nodes (but their ends). */
int count_overlaps(Agraph_t *g, double clearance);
/* How often label l (of edge owner) meets a node, another edge's label or
 * a drawn line (its own too: a label is put beside its line), in the
 * laid-out g. */
int label_meets(Agraph_t *g, const textlabel_t *l, Agedge_t *owner);

/* ---- graph_states_pin.c --------------------------------------------------- */

/* The layout engine of a pinned picture (Graphviz's `neato -n2`: every
 * node where its pos says, every edge with a pos kept, the rest routed). */
#define PINNED_ENGINE "nop2"
/* Lays out the plain figure (every Figure 5 arc's label with room for both
 * badges, the legend) into *skeleton, the positions every picture takes.
 * Returns 0, or -1 when Graphviz fails. */
int skeleton_layout(Agraph_t **skeleton);
/* Puts node n where the skeleton has the node of the same name. */
void pin_node(const struct picture *p, Agnode_t *n);
/* Gives edge e the route of the skeleton's edge skeleton_id: in lane 0 on
 * it, with its label position; in lane k, k gaps aside (a twin's second
 * line in lane 1, an arc outside Figure 5 between the same states in 2
 * and 3), its label left to be placed. Returns how many of the skeleton's
 * labels the line passes through, -1 when the skeleton lacks the edge. */
int pin_edge(const struct picture *p, Agedge_t *e, const char *skeleton_id, int lane);
/* Lays out the pinned p->g (the arcs outside Figure 5 routed around the
 * states, their labels put where they meet least) into *out: its DOT text
 * with every position, and that text laid out, ready to render. Returns
 * 0, or -1 when Graphviz fails. */
int pinned_layout(struct picture *p, struct candidate *out);

/* ---- graph_states_loops.c ------------------------------------------------- */

/* Adds to the laid-out c a loop for each row of the state table a shown
 * endpoint of p->log took without changing state (its TRACE_ARC events:
 * S01-S18, T32, T33, T41, T52a-f), on its state, in its side's colour
 * and line style, labelled with the row's words and ID; nothing else
 * moves. c is then that picture laid out. Returns 0 (c unchanged when
 * there are none), or -1 when Graphviz fails (c unchanged). */
int add_self_loops(struct picture *p, struct candidate *c);

#endif
