/* page.c - the step-through page (page.h): the two pictures inline, the
 * steps as JSON, the script and style sheet (page.js, page.css, built in by
 * page_assets.c) inline, in one HTML file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/out_set.h"
#include "output/page.h"
#include "output/page_steps.h"

extern const char page_js[], page_css[];   /* page_assets.c */

#define OTHERS_LISTED 100            /* the other connections the page names */

/* s as a JSON string, safe inside <script>: "<" is written \u003c, so no
 * "</script>" or "<!--" can end the block early. */
static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (*p == '\t')
			fputs("\\t", f);
		else if (*p < 0x20 || *p == '<' || *p == '>' || *p == '&')
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

/* s as HTML text. */
static void html_text(FILE *f, const char *s)
{
	for (const char *p = s ? s : ""; *p; p++) {
		switch (*p) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*p, f);
		}
	}
}

static const char *kind_name(enum page_step_kind k)
{
	static const char *const names[] = {
		[PAGE_START] = "start", [PAGE_CALL] = "call", [PAGE_SEND] = "send", [PAGE_DELIVER] = "deliver",
		[PAGE_LINK_DROP] = "drop", [PAGE_HOST_DROP] = "hostdrop", [PAGE_DUPLICATE] = "duplicate",
		[PAGE_TIMER] = "timer", [PAGE_STATE] = "state",
	};
	return names[k];
}

/* One side's variables as a JSON object (null when the log has none). */
static void vars_json(FILE *f, const struct page_step *st, int s)
{
	const struct trace_vars *v = &st->vars[s];

	if (!st->has_vars[s]) {
		fputs("null", f);
		return;
	}
	fprintf(f, "{\"state\":\"%s\",\"has_irs\":%s,\"iss\":%u,\"irs\":%u,\"snd_una\":%u,\"snd_nxt\":%u,"
		   "\"snd_wnd\":%u,\"rcv_nxt\":%u,\"rcv_wnd\":%u,\"unacked\":%u,\"rto\":%llu,\"srtt\":%llu}",
		tcp_state_name(v->state), v->has_irs ? "true" : "false", v->iss, v->irs, v->snd_una, v->snd_nxt,
		v->snd_wnd, v->rcv_nxt, v->rcv_wnd, v->unacked, (unsigned long long)v->rto,
		(unsigned long long)v->srtt);
}

/* One step as a JSON object. */
static void step_json(FILE *f, const struct page_step *st)
{
	fprintf(f, "{\"t\":%llu,\"k\":\"%s\",\"s\":%d,\"seg\":%lld,\"first\":%zu,\"last\":%zu,\"st\":[\"%s\",\"%s\"],"
		   "\"arc\":[",
		(unsigned long long)st->t, kind_name(st->kind), st->side,
		st->seg == SIZE_MAX ? -1LL : (long long)st->seg, st->ev, st->last_ev, tcp_state_name(st->state[0]),
		tcp_state_name(st->state[1]));
	for (int s = 0; s < 2; s++) {
		fputs(s ? "," : "", f);
		if (!st->arc[s]) {
			fputs("null", f);
			continue;
		}
		fputc('[', f);
		json_str(f, st->arc[s]);
		fprintf(f, ",%u,\"%s\"]", st->arc_step[s], tcp_state_name(st->arc_state[s]));
	}
	fputs("],\"tm\":[", f);
	for (int s = 0; s < 2; s++) {
		bool any = false;
		fputs(s ? ",[" : "[", f);
		for (int k = 0; k < TIMER_KINDS; k++) {
			const struct page_timer *t = &st->timers[s][k];
			if (!t->on)
				continue;
			fprintf(f, "%s[\"%s\",%llu,%llu]", any ? "," : "", page_timer_words((enum timer_kind)k),
				(unsigned long long)t->due, (unsigned long long)t->len);
			any = true;
		}
		fputc(']', f);
	}
	fputs("],\"v\":[", f);
	vars_json(f, st, 0);
	fputc(',', f);
	vars_json(f, st, 1);
	fputs("],\"text\":", f);
	json_str(f, st->text);
	fputs(",\"note\":", f);
	json_str(f, st->note);
	fputc('}', f);
}

static int cmp_usec(const void *a, const void *b)
{
	usec_t x = *(const usec_t *)a, y = *(const usec_t *)b;
	return x < y ? -1 : x > y;
}

/* One one-way delay: the median time a delivered segment took, the unit
 * of "play" (the ladder's too); 50 ms when nothing was delivered. */
static usec_t one_way_delay(const struct page_steps *ps)
{
	usec_t *d = malloc((ps->n + 1) * sizeof *d), unit = 50000;
	size_t n = 0;

	if (!d)
		return unit;
	for (size_t i = 0; i < ps->n; i++) {
		const struct page_step *st = &ps->steps[i];
		if (st->kind == PAGE_DELIVER && st->seg != SIZE_MAX && st->seg < ps->lad.log->n)
			d[n++] = st->t - ps->lad.log->ev[st->seg].t_us;
	}
	if (n) {
		qsort(d, n, sizeof *d, cmp_usec);
		unit = d[n / 2] ? d[n / 2] : 1000;
	}
	free(d);
	return unit;
}

/* The page's data: the scenario, the sides, the steps. */
static void data_json(FILE *f, const struct trace_log *log, const struct page_steps *ps,
		      const struct page_context *ctx)
{
	fputs("{\"name\":", f);
	json_str(f, log->name);
	fputs(",\"summary\":", f);
	json_str(f, log->summary);
	fputs(",\"profile\":", f);
	json_str(f, log->profile);
	fputs(",\"sides\":[", f);
	json_str(f, ladder_side_name(&ps->lad, 0));
	fputc(',', f);
	json_str(f, ladder_side_name(&ps->lad, 1));
	fprintf(f, "],\"unit_us\":%llu,\"cut\":%s,\"connections\":%u,\"shown\":%u,\"scenario\":",
		(unsigned long long)one_way_delay(ps), ps->cut ? "true" : "false",
		ctx && ctx->connections > 1 ? ctx->connections : 1, ctx && ctx->shown ? ctx->shown : 1);
	json_str(f, ctx && ctx->scenario_path ? ctx->scenario_path : "");
	fputs(",\"steps\":[\n", f);
	for (size_t i = 0; i < ps->n; i++) {
		step_json(f, &ps->steps[i]);
		fputs(i + 1 < ps->n ? ",\n" : "\n", f);
	}
	fputs("]}", f);
}

/* An SVG picture without its XML prolog and DOCTYPE, to sit inline. */
static void svg_inline(FILE *f, const char *svg, size_t len)
{
	const char *start = strstr(svg, "<svg");

	if (!start)
		return;
	fwrite(start, 1, len - (size_t)(start - svg), f);
}

/* The other connections, named with the command that shows each. */
static void others_html(FILE *f, const struct page_context *ctx)
{
	uint32_t listed = 0;

	if (!ctx || ctx->connections <= 1)
		return;
	fprintf(f, "<details id=\"others\"><summary>This page shows connection %u of %u (client#%u and "
		   "server#%u). The others</summary>\n<ul>\n", ctx->shown, ctx->connections, ctx->shown, ctx->shown);
	for (uint32_t k = 1; k <= ctx->connections && listed < OTHERS_LISTED; k++) {
		if (k == ctx->shown)
			continue;
		fprintf(f, "<li>client#%u and server#%u: <code>tcpsim page ", k, k);
		html_text(f, ctx->scenario_path);
		fprintf(f, " --connection %u</code></li>\n", k);
		listed++;
	}
	if (ctx->connections - 1 > listed)
		fprintf(f, "<li>and %u more: <code>--connection K</code> for K up to %u</li>\n",
			ctx->connections - 1 - listed, ctx->connections);
	fputs("</ul></details>\n", f);
}

/* The page around the pictures and the data. */
static void page_html(FILE *f, const struct trace_log *log, const struct page_steps *ps,
		      const struct page_context *ctx, const char *ladder, size_t ladder_len, const char *states,
		      size_t states_len)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<meta name=\"generator\" content=\"tcpsim " TCPSIM_VERSION "\">\n<title>", f);
	html_text(f, log->name);
	fputs(" \xe2\x80\x94 tcpsim step by step</title>\n<style>\n", f);
	fputs(page_css, f);
	fputs("</style>\n</head>\n<body>\n<header>\n<h1>", f);
	html_text(f, log->name);
	fputs("</h1>\n<p class=\"summary\">", f);
	html_text(f, log->summary);
	fputs("</p>\n", f);
	others_html(f, ctx);
	fputs("</header>\n"
	      "<nav id=\"controls\" aria-label=\"steps\">\n"
	      "<button id=\"first\" title=\"first step (Home)\">\xe2\x87\xa4</button>"
	      "<button id=\"prev\" title=\"previous step (\xe2\x86\x90)\">\xe2\x97\x80</button>"
	      "<button id=\"play\" title=\"play (p)\">\xe2\x96\xb6 play</button>"
	      "<button id=\"next\" title=\"next step (\xe2\x86\x92 or space)\">\xe2\x96\xb6\xef\xb8\x8e</button>"
	      "<button id=\"last\" title=\"last step (End)\">\xe2\x87\xa5</button>\n"
	      "<label>speed <select id=\"speed\"><option value=\"0.25\">\xc2\xbc\xc3\x97</option>"
	      "<option value=\"0.5\">\xc2\xbd\xc3\x97</option><option value=\"1\" selected>1\xc3\x97</option>"
	      "<option value=\"2\">2\xc3\x97</option><option value=\"4\">4\xc3\x97</option></select></label>\n"
	      "<input id=\"slider\" type=\"range\" min=\"0\" max=\"0\" value=\"0\" aria-label=\"step\">\n"
	      "<span id=\"where\"></span>\n"
	      "<button id=\"present\" title=\"presentation mode (f)\">present</button>\n"
	      "</nav>\n<main>\n<section id=\"ladder\" aria-label=\"ladder\">\n", f);
	svg_inline(f, ladder, ladder_len);
	fputs("</section>\n<section id=\"diagram\" aria-label=\"state diagram\">\n", f);
	svg_inline(f, states, states_len);
	fputs("</section>\n</main>\n<div id=\"below\">\n<div id=\"story\">\n"
	      "<p id=\"sentence\" aria-live=\"polite\"></p>\n<p id=\"note\"></p>\n<div id=\"timers\"></div>\n"
	      "</div>\n<table id=\"vars\"></table>\n</div>\n"
	      "<footer>Keys: \xe2\x86\x92 or space next, \xe2\x86\x90 previous, Home and End, p play, f presentation "
	      "mode, Esc leaves it. The step is in the address (#step=12): a slide can link to it. Made by "
	      "tcpsim " TCPSIM_VERSION " from the run's trace.</footer>\n"
	      "<script id=\"steps\" type=\"application/json\">\n", f);
	data_json(f, log, ps, ctx);
	fputs("\n</script>\n<script>\n", f);
	fputs(page_js, f);
	fputs("</script>\n</body>\n</html>\n", f);
}

int page_render(const struct trace_log *log, const struct page_context *ctx, char **data, size_t *len, char *err,
		size_t errlen)
{
	struct graph_states_view sv = { .self_loops = true };
	struct graph_ladder_view lv = { 0 };
	struct page_steps ps;
	char *ladder = NULL, *states = NULL;
	size_t ladder_len = 0, states_len = 0;
	FILE *f;
	int rc = -1;

	*data = NULL;
	*len = 0;
	if (ctx && ctx->view)
		lv.time = ctx->view->time;
	if (page_steps_build(&ps, log) < 0) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (ctx && ctx->ladder_svg) {
		if (!(ladder = malloc(ctx->ladder_len + 1))) {
			snprintf(err, errlen, "out of memory");
			goto out;
		}
		memcpy(ladder, ctx->ladder_svg, ctx->ladder_len);
		ladder[ctx->ladder_len] = '\0';
		ladder_len = ctx->ladder_len;
	} else if (graph_ladder_render_view(log, GRAPH_BOTH, &lv, "svg", &ladder, &ladder_len, err, errlen) < 0) {
		goto out;
	}
	if (graph_states_render_view(log, GRAPH_BOTH, NULL, &sv, "svg", &states, &states_len, err, errlen) < 0)
		goto out;
	if (!(f = open_memstream(data, len))) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	page_html(f, log, &ps, ctx, ladder, ladder_len, states, states_len);
	if (fclose(f) != 0 || !*data) {
		snprintf(err, errlen, "out of memory");
		free(*data);
		*data = NULL;
		goto out;
	}
	rc = 0;
out:
	page_steps_free(&ps);
	free(ladder);
	free(states);
	return rc;
}

int page_put(struct out_set *set, const char *name, const struct trace_log *log, const struct page_context *ctx,
	     char *err, size_t errlen)
{
	char *data;
	size_t len;
	int rc = page_render(log, ctx, &data, &len, err, errlen);

	if (rc == 0)
		rc = out_set_write(set, name, data, len, err, errlen);
	free(data);
	return rc;
}
