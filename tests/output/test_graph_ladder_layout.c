/* test_graph_ladder_layout.c - the ladder picture's geometry, read from its
 * layout (graph_ladder_int.h) for every shipped scenario in every time
 * mode: labels beside their arrows, clear of each other, of the lifelines
 * and of the drops' crosses; a SYN backoff's gaps growing; the window. The
 * checks are this file's own geometry, not the placer's. */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "output/graph_ladder_int.h"
#include "scenario_run.h"
#include "testing.h"

/* Label boxes may come this close to a line or each other (the placer keeps
 * LABEL_CLEAR_PT; rounding aside). */
#define TOUCH_PT 0.5

static const enum graph_time modes[] = { GRAPH_TIME_COMPRESSED, GRAPH_TIME_LINEAR, GRAPH_TIME_LOG };
static const char *const mode_names[] = { "compressed", "linear", "log" };

/* True when the segment (x0,y0)-(x1,y1) passes through the open box centred
 * at (cx,cy), w by h: sampled finely (a label is at least a few points
 * high, a step is a tenth of one). */
static bool segment_in_box(double x0, double y0, double x1, double y1, double cx, double cy, double w,
			   double h)
{
	double len = hypot(x1 - x0, y1 - y0);
	int steps = (int)(len / 0.1) + 1;

	for (int k = 0; k <= steps; k++) {
		double f = (double)k / steps, x = x0 + f * (x1 - x0), y = y0 + f * (y1 - y0);
		if (fabs(x - cx) < w / 2 && fabs(y - cy) < h / 2)
			return true;
	}
	return false;
}

/* True when two boxes (centre, width, height) overlap by more than the
 * rounding allowed. */
static bool boxes_overlap(double ax, double ay, double aw, double ah, double bx, double by, double bw, double bh)
{
	return fabs(ax - bx) < (aw + bw) / 2 - TOUCH_PT && fabs(ay - by) < (ah + bh) / 2 - TOUCH_PT;
}

/* A label outside the lifelines: beside its sender's lifeline at the send,
 * right of the time axis, clear of the states and resend tags written in
 * that column (a box as high as a label, as wide as its text). */
static void check_outside(const struct layout *L, const struct arrow *a, const char *what)
{
	char buf[LABEL_MAX];
	int s = a->from;
	double near = s == LADDER_LEFT ? L->x_life[0] - (a->lx + a->w / 2) : (a->lx - a->w / 2) - L->x_life[1];

	if (near < TOUCH_PT || near > LIFELINE_GAP_PT + TOUCH_PT || fabs(a->ly - a->ys) > TOUCH_PT ||
	    a->lx - a->w / 2 <= L->x_axis) {
		printf("\n%s: outside label \"%s\" not beside its sender at the send", what, a->label);
		CU_FAIL("outside label astray");
	}
	for (size_t k = 0; k < L->lad.n_rows; k++) {
		const struct ladder_row *r = &L->lad.rows[k];
		if (r->kind != LADDER_ROW_STATE && r->kind != LADDER_ROW_TIMER && r->kind != LADDER_ROW_INITIAL)
			continue;
		ladder_state_cell(r, s, buf, sizeof buf);
		double y = r->kind == LADDER_ROW_INITIAL ? L->init_y : L->y[r->ev], w = text_width(buf);
		double x = s == LADDER_LEFT ? L->x_state[0] - w / 2 : L->x_state[1] + w / 2;
		if (buf[0] && shows_states(L, s) && boxes_overlap(a->lx, a->ly, a->w, LABEL_H_PT, x, y, w, LABEL_H_PT)) {
			printf("\n%s: outside label \"%s\" over the state \"%s\"", what, a->label, buf);
			CU_FAIL("outside label over a state");
		}
	}
	for (size_t j = 0; j < L->n_arrows; j++) {
		const struct arrow *b = &L->arrows[j];
		char tag[80];
		resend_tag(b, tag, sizeof tag);
		if (b->from != s || !tag[0])
			continue;
		double w = text_width(tag), y = b->ys + lines_below(b) * PITCH_PT;
		double x = s == LADDER_LEFT ? L->x_state[0] - w / 2 : L->x_state[1] + w / 2;
		if (boxes_overlap(a->lx, a->ly, a->w, LABEL_H_PT, x, y, w, LABEL_H_PT)) {
			printf("\n%s: outside label \"%s\" over the tag \"%s\"", what, a->label, tag);
			CU_FAIL("outside label over a resend tag");
		}
	}
}

/* The checks on one layout; adds the labels crossed by other arrows to
 * *crossed. */
static void check_layout(const struct layout *L, const char *what, int *crossed)
{
	double h = LABEL_H_PT - 2 * TOUCH_PT;

	for (size_t i = 0; i < L->n_arrows; i++) {
		const struct arrow *a = &L->arrows[i];
		double w = a->w - 2 * TOUCH_PT;
		if (a->outside) {
			check_outside(L, a, what);
			continue;
		}
		/* between the lifelines, below the heads */
		if (a->lx - a->w / 2 <= L->x_life[0] || a->lx + a->w / 2 >= L->x_life[1] ||
		    a->ly - LABEL_H_PT / 2 < L->head_y + HEAD_PT / 2) {
			printf("\n%s: label \"%s\" over a lifeline or a head", what, a->label);
			CU_FAIL("label over a lifeline");
		}
		/* beside its own arrow, not on it */
		if (segment_in_box(L->x_life[a->from], a->ys, a->x_end, a->y_end, a->lx, a->ly, w, h)) {
			printf("\n%s: label \"%s\" on its own arrow", what, a->label);
			CU_FAIL("label on its own arrow");
		}
		for (size_t j = 0; j < L->n_arrows; j++) {
			const struct arrow *b = &L->arrows[j];
			if (j == i)
				continue;
			if (j < i && fabs(a->lx - b->lx) < (a->w + b->w) / 2 - TOUCH_PT &&
			    fabs(a->ly - b->ly) < LABEL_H_PT - TOUCH_PT) {
				printf("\n%s: labels \"%s\" and \"%s\" overlap", what, a->label, b->label);
				CU_FAIL("labels overlap");
			}
			if (b->dropped && !b->drop_reason && fabs(a->lx - b->x_end) < a->w / 2 + CROSS_PT &&
			    fabs(a->ly - b->y_end) < LABEL_H_PT / 2 + CROSS_PT) {
				printf("\n%s: label \"%s\" hides a drop's cross", what, a->label);
				CU_FAIL("label over a cross");
			}
			*crossed += segment_in_box(L->x_life[b->from], b->ys, b->x_end, b->y_end, a->lx, a->ly,
						   w, h);
		}
	}
}

/* The same checks on each --slides page of whole; and each page is the
 * 16:9 of the whole picture's width, or holds a single row. */
static void check_pages(const struct layout *whole, const struct graph_ladder_view *view, const char *what,
			int *crossed)
{
	size_t starts[GRAPH_LADDER_MAX_PAGES + 1];
	int n = layout_page_breaks(whole, view, starts);
	char page_what[400];

	CU_ASSERT_FATAL(n >= 0);
	for (int k = 0; k < n; k++) {
		struct layout P;
		struct layout_page pg = { starts[k], starts[k + 1], (size_t)k + 1, (size_t)n, whole };
		snprintf(page_what, sizeof page_what, "%s --slides page %d", what, k + 1);
		CU_ASSERT_EQUAL_FATAL(layout_build_page(&P, whole->lad.log, GRAPH_BOTH, view, &pg), 0);
		check_layout(&P, page_what, crossed);
		CU_ASSERT(P.bottom <= P.page_h || starts[k + 1] == starts[k] + 1);
		layout_free(&P);
	}
}

/* Every shipped scenario, every time mode and label style, the whole
 * picture and its --slides pages: no label over another, over its own
 * arrow, a lifeline or a cross, or crossed by another arrow; a label
 * outside the lifelines beside its sender's at the send, clear of the
 * states; the picture no wider than the slide rule allows. */
static void test_every_scenario_no_overlap(void)
{
	struct dirent **list;
	int n = scandir("scenarios", &list, fixture_yaml_only, alphasort), crossed = 0;
	char file[300], what[340];

	CU_ASSERT_FATAL(n > 0);
	for (int i = 0; i < n; i++) {
		struct scenario sc;
		struct trace tr;
		struct trace_log log;
		snprintf(file, sizeof file, "scenarios/%s", list[i]->d_name);
		free(list[i]);
		if (fixture_run_scenario(file, &sc, &tr, &log) < 0) {
			CU_FAIL("scenario did not run");
			continue;
		}
		for (size_t m = 0; m < sizeof modes / sizeof modes[0] * 3; m++) {
			struct graph_ladder_view view = { .time = modes[m % 3] };
			struct layout L;
			/* tcpdump's labels, short ones, tcpdump's with absolute numbers */
			log.labels = m / 3 == 1 ? TRACE_LABELS_SHORT : TRACE_LABELS_TCPDUMP;
			log.abs_seq = m / 3 == 2;
			snprintf(what, sizeof what, "%s --time %s --labels %s%s", file, mode_names[m % 3],
				 m / 3 == 1 ? "short" : "tcpdump", m / 3 == 2 ? " --abs-seq" : "");
			CU_ASSERT_EQUAL_FATAL(layout_build(&L, &log, GRAPH_BOTH, &view), 0);
			check_layout(&L, what, &crossed);
			check_pages(&L, &view, what, &crossed);
			/* The slide rule, with the default relative numbers
			 * (ten-digit absolute ones are wider by choice); a
			 * point for rounding. */
			if (!log.abs_seq && L.width > MAX_WIDTH_PT + 1) {
				printf("\n%s: %.1f pt wide", what, L.width);
				CU_FAIL("wider than the slide rule allows");
			}
			layout_free(&L);
		}
		fixture_run_free(&sc, &tr, &log);
	}
	free(list);
	if (crossed)
		printf("\nlabels crossed by other arrows: %d\n", crossed);
	CU_ASSERT_EQUAL(crossed, 0);
}

/* A SYN lost until the client gives up (1, 2, 4 ... s, capped at 60 s):
 * each gap between two SYNs is drawn taller than the one before while the
 * time doubles (compressed and log; linear: never shorter, the first ones
 * are a label's room high), as tall once it is capped. */
static void test_syn_backoff_grows(void)
{
	struct scenario sc;
	struct trace tr;
	struct trace_log log;

	CU_ASSERT_EQUAL_FATAL(fixture_run_scenario("scenarios/syn_timeout.yaml", &sc, &tr, &log), 0);
	for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
		struct graph_ladder_view view = { .time = modes[m] };
		struct layout L;
		CU_ASSERT_EQUAL_FATAL(layout_build(&L, &log, GRAPH_BOTH, &view), 0);
		CU_ASSERT_FATAL(L.n_arrows >= 6);
		for (size_t k = 2; k < L.n_arrows; k++) {
			const struct arrow *a = &L.arrows[k - 2], *b = &L.arrows[k - 1], *c = &L.arrows[k];
			usec_t dt0 = b->row->t - a->row->t, dt1 = c->row->t - b->row->t;
			double h0 = b->ys - a->ys, h1 = c->ys - b->ys;
			bool strict = modes[m] != GRAPH_TIME_LINEAR;
			CU_ASSERT(h1 >= h0 - 0.5);
			if (strict && dt1 > dt0 && !(h1 > h0 + 10))
				printf("\n--time %s: gap %zu (%.1f s) drawn %.0f pt, the one before (%.1f s) %.0f pt",
				       mode_names[m], k, dt1 / 1e6, h1, dt0 / 1e6, h0);
			if (strict && dt1 > dt0) {
				CU_ASSERT(h1 > h0 + 10);
			} else if (dt1 == dt0) {
				CU_ASSERT_DOUBLE_EQUAL(h1, h0, 0.5);
			}
		}
		layout_free(&L);
	}
	fixture_run_free(&sc, &tr, &log);
}

/* --from/--to: only the rows of that stretch, headed by the states then. */
static void test_window(void)
{
	struct scenario sc;
	struct trace tr;
	struct trace_log log;
	struct graph_ladder_view all = { 0 }, part = { .has_from = true, .from = 3 * USEC_PER_SEC,
						       .has_to = true, .to = 20 * USEC_PER_SEC };
	struct layout L;

	CU_ASSERT_EQUAL_FATAL(fixture_run_scenario("scenarios/syn_timeout.yaml", &sc, &tr, &log), 0);
	CU_ASSERT_EQUAL_FATAL(layout_build(&L, &log, GRAPH_BOTH, &all), 0);
	size_t n_all = L.n_arrows;
	layout_free(&L);
	CU_ASSERT_EQUAL_FATAL(layout_build(&L, &log, GRAPH_BOTH, &part), 0);
	CU_ASSERT(L.n_arrows < n_all);
	CU_ASSERT_EQUAL(L.n_arrows, 3);                 /* the SYNs at 3, 7 and 15 s */
	for (size_t i = 0; i < L.n_arrows; i++)
		CU_ASSERT(L.arrows[i].row->t >= part.from && L.arrows[i].row->t <= part.to);
	CU_ASSERT_EQUAL(L.lad.rows[0].kind, LADDER_ROW_INITIAL);
	CU_ASSERT_EQUAL(L.lad.rows[0].state[LADDER_LEFT], TCPS_SYN_SENT);
	CU_ASSERT_EQUAL(L.lad.rows[0].state[LADDER_RIGHT], TCPS_LISTEN);
	CU_ASSERT_EQUAL(L.t0, part.from);
	layout_free(&L);
	fixture_run_free(&sc, &tr, &log);
}

/* The width and height an SVG names (points), 0 when absent. */
static void svg_size(const char *svg, double *w, double *h)
{
	const char *p = strstr(svg, "<svg width=\"");

	*w = *h = 0;
	if (p)
		sscanf(p, "<svg width=\"%lfpt\" height=\"%lfpt\"", w, h);
}

/* A 20 kB transfer over a lossy link (sweep_loss at 10 % loss) as --slides:
 * several pages, each 16:9 and at most 71 font sizes wide (18 px text at
 * 1280 px), each titled k/n, every page but the last saying "continued",
 * every page with a drop's cross saying what it means in its legend;
 * every segment drawn on exactly one page. And each page's layout keeps
 * the labels clear as the whole picture's does. */
static void test_slides_lossy_transfer(void)
{
	static const char yaml[] =
		"seed: 3\n"
		"link: { delay: 50ms, loss: 0.1 }\n"
		"tcp: { rto_initial: 200ms, rto_min: 200ms, syn_retries: 6, msl: 2s }\n"
		"endpoints:\n  server: { on_eof: close }\n"
		"timeline:\n"
		"  - { at: 0ms,  server: listen }\n"
		"  - { at: 10ms, client: connect }\n"
		"  - { at: 10ms, client: send, bytes: 20000 }\n"
		"  - { at: 10ms, client: close, wait: established }\n";
	char file[] = "/tmp/tcpsim_slides_XXXXXX.yaml", err[256] = "", title[64];
	int fd = mkstemps(file, 5);
	struct scenario sc;
	struct trace tr;
	struct trace_log log;
	struct graph_pages pages;
	struct layout whole;
	size_t segments = 0, dropped = 0, pages_with_legend = 0;
	int crossed = 0;

	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_FATAL(write(fd, yaml, sizeof yaml - 1) == (ssize_t)(sizeof yaml - 1));
	close(fd);
	CU_ASSERT_EQUAL_FATAL(fixture_run_scenario(file, &sc, &tr, &log), 0);
	unlink(file);
	CU_ASSERT_EQUAL_FATAL(layout_build(&whole, &log, GRAPH_BOTH, NULL), 0);
	for (size_t i = 0; i < whole.n_arrows; i++)
		dropped += whole.arrows[i].dropped;
	CU_ASSERT(dropped > 0);                         /* lossy indeed */
	CU_ASSERT_EQUAL_FATAL(graph_ladder_render_pages(&log, GRAPH_BOTH, NULL, "svg", &pages, err, sizeof err), 0);
	CU_ASSERT(pages.n >= 3);
	for (size_t k = 0; k < pages.n; k++) {
		double w, h;
		char *svg = malloc(pages.len[k] + 1);
		CU_ASSERT_FATAL(svg != NULL);
		memcpy(svg, pages.data[k], pages.len[k]);
		svg[pages.len[k]] = '\0';
		svg_size(svg, &w, &h);
		CU_ASSERT_DOUBLE_EQUAL(h / w, 9.0 / 16, 0.01);
		CU_ASSERT(w <= FONT_PT * 1280 / 18);
		snprintf(title, sizeof title, "(%zu/%zu", k + 1, pages.n);
		CU_ASSERT_PTR_NOT_NULL(strstr(svg, title));
		CU_ASSERT_EQUAL(strstr(svg, "continued on page") != NULL, k + 1 < pages.n);
		for (const char *p = svg; (p = strstr(p, "class=\"edge segment\"")); p++)
			segments++;
		/* a page stands alone: its own legend says what its crosses mean */
		const char *legend = strstr(svg, "class=\"node legend\"");
		CU_ASSERT(!strstr(svg, "class=\"edge cross\"") || (legend && strstr(legend, "lost")));
		pages_with_legend += legend != NULL;
		free(svg);
	}
	CU_ASSERT_EQUAL(segments, whole.n_arrows);
	CU_ASSERT(pages_with_legend > 0);
	/* The pages' own layouts: labels clear, as in the whole picture. */
	struct layout P;
	struct layout_page pg = { whole.rows_skipped + 1, whole.rows_skipped + whole.lad.n_rows / 2, 2, 3, &whole };
	CU_ASSERT_EQUAL_FATAL(layout_build_page(&P, &log, GRAPH_BOTH, NULL, &pg), 0);
	CU_ASSERT(P.width == whole.width);
	check_layout(&P, "a page of the lossy transfer", &crossed);
	layout_free(&P);
	graph_pages_free(&pages);
	layout_free(&whole);
	fixture_run_free(&sc, &tr, &log);
}

TCPSIM_SUITE(graph_ladder_layout,
	     { "--slides: a lossy 20 kB transfer on 16:9 pages", test_slides_lossy_transfer },
	     { "no label overlaps, every scenario, every --time", test_every_scenario_no_overlap },
	     { "a SYN backoff's gaps grow, every --time", test_syn_backoff_grows },
	     { "--from/--to draw a stretch, headed by its states", test_window })
