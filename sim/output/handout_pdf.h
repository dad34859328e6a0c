/* handout_pdf.h - a scenario's handout as a PDF for printing: the same
 * words as NAME.handout.md (title, summary, the run's totals, the exchange
 * as the text ladder, the notation) and the same pictures (the ladder as
 * its 16:9 --slides pages, the state diagram), laid out on A4 pages. */
#ifndef TCPSIM_HANDOUT_PDF_H
#define TCPSIM_HANDOUT_PDF_H

#include <stddef.h>
#include "output/graph.h"

/* What the handout says and shows; text is UTF-8, plain (no markup). */
struct handout_pdf {
	const char *title;
	const char *summary;             /* NULL: none */
	const char *totals;              /* the run's totals, as `tcpsim run` prints them */
	const char *stopped;             /* "" or why the run was cut short */
	const char *ladder_text;         /* the exchange as the text ladder */
	const char *notation;            /* the notation, one item a line */
	const struct graph_pages *ladder_pages;   /* the ladder's pages, as SVG */
	const char *states_svg;          /* the state diagram, as SVG */
	size_t states_len;
};

/* Composes the PDF into *data (malloc'ed, *len bytes; the caller frees it),
 * in a child process (base/isolate.h: fonts and the SVG renderer keep
 * their state there). The same input gives the same bytes (no date).
 * Returns 0, or -1 with a message in err. */
int handout_pdf_render(const struct handout_pdf *h, char **data, size_t *len, char *err, size_t errlen);

#endif
