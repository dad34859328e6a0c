/* cli_output.h - what `run`, `replay` and `compare` write of a trace: the
 * trace as JSON lines, the pcap, the pictures (one set of files, out_set.h,
 * put in place together), and the ladder they print. The trace comes from
 * the engine (sim_run) or the replay (replay_run); the writer only adds its
 * sinks to it. */
#ifndef TCPSIM_CLI_OUTPUT_H
#define TCPSIM_CLI_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>
#include "base/out_set.h"
#include "output/graph.h"
#include "output/json_out.h"
#include "output/pcap_out.h"
#include "output/page.h"
#include "output/pcapng_trace.h"
#include "scenario/scenario.h"
#include "trace/trace.h"
#include "trace/trace_log.h"

/* Which files, under which names: DIR/NAME<kind>.trace.jsonl, .pcap,
 * .pcapng, .states.dot (dot), .states.svg and .ladder.svg (graphs). */
struct cli_output_files {
	const char *kind;            /* "" for a run, ".kernel" for a replay */
	bool trace, pcap, graphs, dot;
	const struct graph_ladder_view *view;   /* the ladder's axis and window; NULL: default */
	bool slides;                 /* the ladder as 16:9 pages too: NAME<kind>.ladder-1.svg, ... */
	const struct graph_states_view *states_view;   /* the state diagram's (--self-loops); NULL: default */
	bool pcapng;                 /* NAME<kind>.pcapng, the commented capture (output/pcapng_trace.h) ... */
	int keep[3], n_keep;         /* ... of these endpoints (n_keep 0: all) */
	bool page;                   /* NAME<kind>.html, the step-through page (output/page.h); the
					log must keep the variables (trace_log.keep_vars) */
	struct page_context page_ctx;
};

/* One scenario's files while its trace is being made. */
struct cli_output {
	const struct scenario *sc;
	struct cli_output_files files;
	struct out_set set;          /* the files, and the caller's own beside them (compare) */
	FILE *jf;
	struct json_out *jo;
	struct pcap_out *po;
	struct pcapng_trace *pn;
};
#define CLI_OUTPUT_INIT { .set = OUT_SET_INIT }

/* Opens w's set in dir (made already: cli_make_dirs) when any file is
 * wanted, and adds the trace and pcap writers to tr, before the run. w must
 * be CLI_OUTPUT_INIT. Returns 0, or -1 with err set (cli_output_close then
 * drops what was made). */
int cli_output_open(struct cli_output *w, const struct scenario *sc, const char *dir,
		    const struct cli_output_files *files, struct trace *tr, char *err, size_t errlen);

/* After the run, its result event emitted: finishes the trace and pcap
 * files and draws the pictures from log, into the set. Returns 0, or -1 with
 * err set. The caller then commits the set (out_set_commit). */
int cli_output_finish(struct cli_output *w, const struct trace_log *log, char *err, size_t errlen);

/* Closes what is still open and drops the files not committed. Safe on
 * CLI_OUTPUT_INIT and twice. */
void cli_output_close(struct cli_output *w);

/* Prints log's ladder on out: plain text, or a markdown table. */
void cli_print_ladder(FILE *out, const struct trace_log *log, bool markdown);

#endif
