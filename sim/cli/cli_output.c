/* cli_output.c - the files and the ladder of a run or a replay (cli_output.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli_output.h"
#include "output/graph.h"
#include "output/ladder.h"

int cli_output_open(struct cli_output *w, const struct scenario *sc, const char *dir,
		    const struct cli_output_files *files, struct trace *tr, char *err, size_t errlen)
{
	char name[TMPFILES_NAME_MAX + 1];

	w->sc = sc;
	w->files = *files;
	if ((files->trace || files->pcap || files->pcapng || files->graphs || files->page) && out_set_open(&w->set, dir, err, errlen) < 0)
		return -1;
	if (files->trace) {
		snprintf(name, sizeof name, "%s%s.trace.jsonl", sc->base, files->kind);
		if (!(w->jf = out_set_fopen(&w->set, name, err, errlen)))
			return -1;
		if (!(w->jo = json_out_new(w->jf))) {
			snprintf(err, errlen, "%s: out of memory", sc->path);
			return -1;
		}
		trace_add_sink(tr, json_out_sink(w->jo));
	}
	if (files->pcap) {
		FILE *pf;
		snprintf(name, sizeof name, "%s%s.pcap", sc->base, files->kind);
		if (!(pf = out_set_fopen(&w->set, name, err, errlen)) ||
		    !(w->po = pcap_out_open_stream(pf, err, errlen)))
			return -1;
		trace_add_sink(tr, pcap_out_sink(w->po));
	}
	if (files->pcapng) {
		FILE *pf;
		snprintf(name, sizeof name, "%s%s.pcapng", sc->base, files->kind);
		if (!(pf = out_set_fopen(&w->set, name, err, errlen)) ||
		    !(w->pn = pcapng_trace_open(pf, files->keep, files->n_keep, err, errlen)))
			return -1;
		trace_add_sink(tr, pcapng_trace_sink(w->pn));
	}
	return 0;
}

/* The pictures, into the set: the state diagram as DOT (when asked) and SVG,
 * the ladder, and its pages when asked. The ladder's SVG is kept in
 * *ladder (malloc'd; the caller frees it) for the page, which shows the
 * same picture when it is the whole run (no --from, --to). */
static int write_graphs(struct cli_output *w, const struct trace_log *log, char **ladder, size_t *ladder_len,
			char *err, size_t errlen)
{
	char name[TMPFILES_NAME_MAX + 1];
	const struct graph_ladder_view *v = w->files.view;

	if (w->files.dot) {
		snprintf(name, sizeof name, "%s%s.states.dot", w->sc->base, w->files.kind);
		if (graph_put_states(&w->set, name, log, w->files.states_view, "dot", err, errlen) < 0)
			return -1;
	}
	snprintf(name, sizeof name, "%s%s.states.svg", w->sc->base, w->files.kind);
	if (graph_put_states(&w->set, name, log, w->files.states_view, "svg", err, errlen) < 0)
		return -1;
	snprintf(name, sizeof name, "%s%s.ladder.svg", w->sc->base, w->files.kind);
	if (graph_ladder_render_view(log, GRAPH_BOTH, v, "svg", ladder, ladder_len, err, errlen) < 0 ||
	    out_set_write(&w->set, name, *ladder, *ladder_len, err, errlen) < 0)
		return -1;
	if (v && (v->has_from || v->has_to)) {       /* a stretch: not the page's */
		free(*ladder);
		*ladder = NULL;
	}
	if (w->files.slides) {
		char prefix[TMPFILES_NAME_MAX + 1];
		snprintf(prefix, sizeof prefix, "%s%s.ladder", w->sc->base, w->files.kind);
		if (graph_put_ladder_pages(&w->set, prefix, log, v, "svg", err, errlen) < 0)
			return -1;
	}
	return 0;
}

int cli_output_finish(struct cli_output *w, const struct trace_log *log, char *err, size_t errlen)
{
	if (w->jo) {
		int bad = json_out_finish(w->jo);
		w->jo = NULL;
		bad |= fclose(w->jf);
		w->jf = NULL;
		if (bad) {
			snprintf(err, errlen, "%s/%s%s.trace.jsonl: write failed", w->set.dir, w->sc->base,
				 w->files.kind);
			return -1;
		}
	}
	if (w->po) {
		int bad = pcap_out_close(w->po, err, errlen);
		w->po = NULL;
		if (bad)
			return -1;
	}
	if (w->pn) {
		char msg[200];
		int bad = pcapng_trace_close(w->pn, msg, sizeof msg);
		w->pn = NULL;
		if (bad) {
			snprintf(err, errlen, "%s/%s%s.pcapng: %s", w->set.dir, w->sc->base, w->files.kind, msg);
			return -1;
		}
	}
	char *ladder = NULL;
	size_t ladder_len = 0;
	int rc = 0;
	if (w->files.graphs)
		rc = write_graphs(w, log, &ladder, &ladder_len, err, errlen);
	if (rc == 0 && w->files.page) {
		char name[TMPFILES_NAME_MAX + 1];
		struct page_context ctx = w->files.page_ctx;
		ctx.ladder_svg = ladder;
		ctx.ladder_len = ladder_len;
		snprintf(name, sizeof name, "%s%s.html", w->sc->base, w->files.kind);
		rc = page_put(&w->set, name, log, &ctx, err, errlen);
	}
	free(ladder);
	return rc;
}

void cli_output_close(struct cli_output *w)
{
	if (w->jo)
		json_out_finish(w->jo);
	w->jo = NULL;
	if (w->jf)
		fclose(w->jf);
	w->jf = NULL;
	if (w->po) {
		char e2[256];
		pcap_out_close(w->po, e2, sizeof e2);
	}
	w->po = NULL;
	if (w->pn) {
		char e2[256];
		pcapng_trace_close(w->pn, e2, sizeof e2);
	}
	w->pn = NULL;
	out_set_close(&w->set);          /* what was not committed goes */
}

void cli_print_ladder(FILE *out, const struct trace_log *log, bool markdown)
{
	if (markdown)
		ladder_write_markdown(out, log);
	else
		ladder_write_text(out, log);
}
