/* handout_pdf.c - a scenario's handout as a PDF (see handout_pdf.h): A4
 * portrait pages of text flowed with Pango (DejaVu, as every picture), the
 * ladder's 16:9 pages two to a page, the state diagram on a landscape page
 * of its own, all drawn with cairo; the pictures are the SVGs the other
 * outputs write, drawn by librsvg, so the PDF shows what they show. */
#include <cairo-pdf.h>
#include <cairo.h>
#include <dlfcn.h>
#include <librsvg/rsvg.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/isolate.h"
#include "output/handout_pdf.h"
#include "output/style.h"

#define PAGE_W 595.0            /* A4 portrait, points */
#define PAGE_H 842.0
#define MARGIN 48.0
#define TEXT_W (PAGE_W - 2 * MARGIN)
#define MONO_MAX_PT 8.0         /* the text ladder's size, smaller when its lines are long */
#define MONO_ADVANCE 0.602      /* DejaVu Sans Mono's advance, in font sizes */

/* The libraries are loaded when a handout is drawn, in its child process
 * (dlopen), not linked: linked, their forty-odd shared objects and their
 * set-up cost every run of tcpsim 15 ms and 8 MiB. Each function used is
 * called through a pointer of its own type, F(name). */
#define PDF_FUNCS(X) \
	X(cairo_create) \
	X(cairo_destroy) \
	X(cairo_move_to) \
	X(cairo_pdf_surface_create_for_stream) \
	X(cairo_pdf_surface_set_metadata) \
	X(cairo_pdf_surface_set_size) \
	X(cairo_set_source_rgb) \
	X(cairo_show_page) \
	X(cairo_status_to_string) \
	X(cairo_surface_destroy) \
	X(cairo_surface_finish) \
	X(cairo_surface_status) \
	X(g_error_free) \
	X(g_object_unref) \
	X(pango_cairo_context_set_resolution) \
	X(pango_cairo_create_layout) \
	X(pango_cairo_show_layout_line) \
	X(pango_font_description_free) \
	X(pango_font_description_from_string) \
	X(pango_layout_context_changed) \
	X(pango_layout_get_context) \
	X(pango_layout_get_iter) \
	X(pango_layout_iter_free) \
	X(pango_layout_iter_get_baseline) \
	X(pango_layout_iter_get_line_extents) \
	X(pango_layout_iter_get_line_readonly) \
	X(pango_layout_iter_next_line) \
	X(pango_layout_set_font_description) \
	X(pango_layout_set_text) \
	X(pango_layout_set_width) \
	X(pango_layout_set_wrap) \
	X(rsvg_handle_new_from_data) \
	X(rsvg_handle_render_document) \
	X(rsvg_handle_set_dpi)
#define DECLARE(fn) static __typeof__(fn) *p_##fn;
PDF_FUNCS(DECLARE)
#undef DECLARE
#define F(fn) (*p_##fn)

/* The shared objects, by the names Debian 12 installs them under (the
 * runtime packages of libcairo2-dev, libpango1.0-dev, librsvg2-dev). */
static const char *const pdf_libs[] = {
	"libglib-2.0.so.0", "libgobject-2.0.so.0", "libcairo.so.2", "libpango-1.0.so.0",
	"libpangocairo-1.0.so.0", "librsvg-2.so.2",
};

/* Loads the libraries and finds the functions. Returns 0, or -1 with err
 * set (a library or a function missing). */
static int load_libs(char *err, size_t errlen)
{
	for (size_t i = 0; i < sizeof pdf_libs / sizeof pdf_libs[0]; i++)
		if (!dlopen(pdf_libs[i], RTLD_NOW | RTLD_GLOBAL)) {
			snprintf(err, errlen, "the handout's PDF needs %s: %s", pdf_libs[i], dlerror());
			return -1;
		}
#define LOAD(fn)                                                                                  \
	if (!(*(void **)&p_##fn = dlsym(RTLD_DEFAULT, #fn))) {                                   \
		snprintf(err, errlen, "the handout's PDF: no function %s in its libraries", #fn); \
		return -1;                                                                        \
	}
	PDF_FUNCS(LOAD)
#undef LOAD
	return 0;
}

/* The PDF's bytes as cairo writes them. */
struct pdf_buf {
	char *data;
	size_t len, cap;
	bool out_of_memory;
};

/* cairo's write callback: appends to the buffer. */
static cairo_status_t pdf_write(void *closure, const unsigned char *bytes, unsigned int n)
{
	struct pdf_buf *b = closure;

	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 65536;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *p = realloc(b->data, cap);
		if (!p) {
			b->out_of_memory = true;
			return CAIRO_STATUS_WRITE_ERROR;
		}
		b->data = p;
		b->cap = cap;
	}
	memcpy(b->data + b->len, bytes, n);
	b->len += n;
	return CAIRO_STATUS_SUCCESS;
}

/* Where the text has got to: the page being drawn and the height on it. */
struct flow {
	cairo_surface_t *surface;
	cairo_t *cr;
	double y;
};

/* Ends the page and starts a portrait one. */
static void next_page(struct flow *f)
{
	F(cairo_show_page)(f->cr);
	F(cairo_pdf_surface_set_size)(f->surface, PAGE_W, PAGE_H);
	f->y = MARGIN;
}

/* Writes text in font (a Pango description: "DejaVu Sans 11") and colour
 * (#rrggbb), wrapped to the text's width (wrap false: lines as they are),
 * line by line down the pages, then `after` points of space. */
static void flow_text(struct flow *f, const char *text, const char *font, const char *colour, bool wrap,
		      double after)
{
	PangoLayout *lay = F(pango_cairo_create_layout)(f->cr);
	PangoFontDescription *fd = F(pango_font_description_from_string)(font);
	PangoLayoutIter *it;
	unsigned r = 0, g = 0, b = 0;
	double off = f->y, bottom = f->y;

	/* Font sizes in points, as the page is (Pango's default is 96 dpi). */
	F(pango_cairo_context_set_resolution)(F(pango_layout_get_context)(lay), 72);
	F(pango_layout_context_changed)(lay);
	sscanf(colour, "#%2x%2x%2x", &r, &g, &b);
	F(cairo_set_source_rgb)(f->cr, r / 255.0, g / 255.0, b / 255.0);
	F(pango_layout_set_font_description)(lay, fd);
	if (wrap) {
		F(pango_layout_set_width)(lay, (int)(TEXT_W * PANGO_SCALE));
		F(pango_layout_set_wrap)(lay, PANGO_WRAP_WORD_CHAR);
	}
	F(pango_layout_set_text)(lay, text, -1);
	it = F(pango_layout_get_iter)(lay);
	do {
		PangoRectangle line;
		F(pango_layout_iter_get_line_extents)(it, NULL, &line);
		double top = (double)line.y / PANGO_SCALE, h = (double)line.height / PANGO_SCALE;
		if (off + top + h > PAGE_H - MARGIN && off + top > MARGIN) {   /* a line at a page's top always fits */
			next_page(f);
			off = MARGIN - top;
		}
		F(cairo_move_to)(f->cr, MARGIN + (double)line.x / PANGO_SCALE,
			      off + (double)F(pango_layout_iter_get_baseline)(it) / PANGO_SCALE);
		F(pango_cairo_show_layout_line)(f->cr, F(pango_layout_iter_get_line_readonly)(it));
		bottom = off + top + h;
	} while (F(pango_layout_iter_next_line)(it));
	F(pango_layout_iter_free)(it);
	F(pango_font_description_free)(fd);
	F(g_object_unref)(lay);
	f->y = bottom + after;
}

/* A heading: bold, a little space before it when it is not at a page's top. */
static void heading(struct flow *f, const char *text, double size)
{
	char font[64];

	if (f->y > MARGIN)
		f->y += size * 0.6;
	if (f->y + 3 * size > PAGE_H - MARGIN)     /* not alone at a page's foot */
		next_page(f);
	snprintf(font, sizeof font, "%s Bold %.0f", STYLE_FONT, size);
	flow_text(f, text, font, STYLE_TEXT_COLOUR, true, size * 0.5);
}

/* The size at which the longest line of text fits the text's width in the
 * monospace font, MONO_MAX_PT at most. */
static double mono_size(const char *text)
{
	size_t longest = 1, n = 0;

	for (const char *p = text;; p++) {
		if (*p == '\n' || !*p) {
			longest = n > longest ? n : longest;
			n = 0;
			if (!*p)
				break;
		} else {
			n += ((unsigned char)*p & 0xc0) != 0x80;
		}
	}
	return fmin(MONO_MAX_PT, TEXT_W / ((double)longest * MONO_ADVANCE));
}

/* Draws an SVG fitted into the box (x, y, w, h), its proportions kept.
 * Returns 0, or -1 with err set. */
static int draw_svg(cairo_t *cr, const char *svg, size_t len, double x, double y, double w, double h, char *err,
		    size_t errlen)
{
	GError *e = NULL;
	RsvgHandle *hd = F(rsvg_handle_new_from_data)((const guint8 *)svg, len, &e);
	RsvgRectangle box = { x, y, w, h };

	if (hd) {
		F(rsvg_handle_set_dpi)(hd, 72);     /* the SVGs are in points */
		if (F(rsvg_handle_render_document)(hd, cr, &box, &e)) {
			F(g_object_unref)(hd);
			return 0;
		}
		F(g_object_unref)(hd);
	}
	snprintf(err, errlen, "the handout's PDF: a picture could not be drawn: %s", e ? e->message : "?");
	if (e)
		F(g_error_free)(e);
	return -1;
}

/* The pages: the words, the ladder's pages two to a page, the state
 * diagram on a landscape page. Returns 0, or -1 with err set. */
static int compose(struct flow *f, const struct handout_pdf *h, char *err, size_t errlen)
{
	char font[64];
	const double slide_h = TEXT_W * 9 / 16, gap = 18;

	heading(f, h->title, 20);
	snprintf(font, sizeof font, "%s 11", STYLE_FONT);
	if (h->summary)
		flow_text(f, h->summary, font, STYLE_TEXT_COLOUR, true, 8);
	heading(f, "The run", 14);
	snprintf(font, sizeof font, "%s %.1f", STYLE_FONT_MONO, mono_size(h->totals));
	flow_text(f, h->totals, font, STYLE_TEXT_COLOUR, false, 6);
	if (h->stopped[0]) {
		snprintf(font, sizeof font, "%s 11", STYLE_FONT);
		flow_text(f, h->stopped, font, STYLE_TEXT_COLOUR, true, 6);
	}
	heading(f, "The exchange", 14);
	snprintf(font, sizeof font, "%s %.1f", STYLE_FONT_MONO, mono_size(h->ladder_text));
	flow_text(f, h->ladder_text, font, STYLE_TEXT_COLOUR, false, 6);
	heading(f, "Notation", 14);
	snprintf(font, sizeof font, "%s 10", STYLE_FONT);
	flow_text(f, h->notation, font, STYLE_TEXT_COLOUR, true, 0);

	for (size_t k = 0; k < h->ladder_pages->n; k++) {
		if (k % 2 == 0) {
			next_page(f);
			if (k == 0)
				heading(f, "The ladder", 14);
		}
		if (draw_svg(f->cr, h->ladder_pages->data[k], h->ladder_pages->len[k], MARGIN, f->y, TEXT_W, slide_h,
			     err, errlen) < 0)
			return -1;
		f->y += slide_h + gap;
	}
	F(cairo_show_page)(f->cr);
	F(cairo_pdf_surface_set_size)(f->surface, PAGE_H, PAGE_W);   /* landscape */
	f->y = MARGIN;
	snprintf(font, sizeof font, "%s Bold 14", STYLE_FONT);
	flow_text(f, "The state diagram", font, STYLE_TEXT_COLOUR, true, 7);
	return draw_svg(f->cr, h->states_svg, h->states_len, MARGIN, f->y, PAGE_H - 2 * MARGIN,
			PAGE_W - MARGIN - f->y, err, errlen);
}

/* isolate_fn: the PDF of the handout ctx points to. */
static int render_child(void *ctx, char **data, size_t *len, char *err, size_t errlen)
{
	const struct handout_pdf *h = ctx;
	struct pdf_buf buf = { 0 };
	struct flow f = { 0 };
	int rc;

	if (load_libs(err, errlen) < 0)
		return -1;
	f.surface = F(cairo_pdf_surface_create_for_stream)(pdf_write, &buf, PAGE_W, PAGE_H);
	/* No date: the same scenario gives the same bytes. */
	F(cairo_pdf_surface_set_metadata)(f.surface, CAIRO_PDF_METADATA_CREATE_DATE, "1970-01-01T00:00:00Z");
	F(cairo_pdf_surface_set_metadata)(f.surface, CAIRO_PDF_METADATA_TITLE, h->title);
	F(cairo_pdf_surface_set_metadata)(f.surface, CAIRO_PDF_METADATA_CREATOR, "tcpsim " TCPSIM_VERSION);
	f.cr = F(cairo_create)(f.surface);
	f.y = MARGIN;
	rc = compose(&f, h, err, errlen);
	F(cairo_destroy)(f.cr);
	F(cairo_surface_finish)(f.surface);
	if (rc == 0 && (F(cairo_surface_status)(f.surface) != CAIRO_STATUS_SUCCESS || buf.out_of_memory)) {
		snprintf(err, errlen, "the handout's PDF: %s",
			 buf.out_of_memory ? "out of memory" : F(cairo_status_to_string)(F(cairo_surface_status)(f.surface)));
		rc = -1;
	}
	F(cairo_surface_destroy)(f.surface);
	if (rc < 0) {
		free(buf.data);
		return -1;
	}
	*data = buf.data;
	*len = buf.len;
	return 0;
}

int handout_pdf_render(const struct handout_pdf *h, char **data, size_t *len, char *err, size_t errlen)
{
	int rc = isolate_run(render_child, (void *)h, data, len, err, errlen);

	return rc == -2 ? -1 : rc;
}
