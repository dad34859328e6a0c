/* graph_render.h - what the two pictures share to get from a cgraph graph
 * to a file: the Graphviz context, the renderer for a format, and writing
 * the bytes whole or not at all. */
#ifndef TCPSIM_GRAPH_RENDER_H
#define TCPSIM_GRAPH_RENDER_H

#include <stddef.h>
#include <graphviz/gvc.h>

/* The Graphviz context, made once and kept for the life of the process:
 * Graphviz 2.43's pango text layout keeps a pointer to the last font name
 * it measured, which belongs to the context that measured it, so freeing a
 * context makes the next layout, in any context, read freed memory. NULL
 * when Graphviz cannot start. */
GVC_t *graph_gvc(void);

/* The Graphviz renderer for "svg", "png", "pdf" or "dot" (cairo's for png
 * and pdf), NULL for any other format. */
const char *graph_renderer(const char *format);

/* Cairo stamps a PDF with the time it was made; the same trace must give
 * the same bytes, so the stamp becomes the epoch (same length: the offsets
 * in the file stay right). */
void graph_pdf_fix_date(char *buf, size_t len);

/* Writes len bytes to path through a temporary file beside it (out_set.h:
 * a new name, never a link followed), renamed into place on success and
 * removed on failure. Returns 0, or -1 with "PATH: cannot write: reason" in
 * err. */
int graph_write_file(const char *path, const char *data, size_t len, char *err, size_t errlen);

#endif
