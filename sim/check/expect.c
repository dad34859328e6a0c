/* expect.c - checks a scenario's `expect` against the trace; each failure is
 * one readable "expected X, got Y" text, with the actual values written so
 * that they can be pasted into the scenario.
 *
 * Which trace endpoints an expectation is about: expect.client names the
 * endpoint "client" and expect.server the endpoint "server". When the
 * scenario has several clients, expect.client and expect.server apply to
 * every client#K and server#K and are checked as the trace streams
 * (expect_stream.c); this file then checks expect.segments only.
 *
 * An endpoint that never changed state has the state sequence [CLOSED]:
 * every endpoint starts CLOSED. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/bigarray.h"
#include "check/expect.h"

#define LINE_MAX_TEXT 256
/* A count mismatch lists every segment the run sent when there are at most
 * this many (ready to paste); otherwise only the extra ones, at most this many. */
#define LIST_ALL_MAX 20

static const char *const role_names[NROLES] = { "client", "server" };

/* Frees the failures; res is empty after. */
void expect_result_free(struct expect_result *res)
{
	for (size_t i = 0; i < res->n_failures; i++)
		free(res->failures[i]);
	free(res->failures);
	res->failures = NULL;
	res->n_failures = 0;
}

/* Appends text (owned from now on) to the failures. Returns -1 when text is
 * NULL or the list cannot grow (text is then freed). */
int expect_result_add(struct expect_result *res, char *text)
{
	char **f;

	if (!text)
		return -1;
	/* One more each time: failures are few (one per expectation of the
	 * scenario; expect_stream.c lists the first LIST_FAILING endpoints), and
	 * the list keeps no capacity (expect.h). */
	f = realloc(res->failures, (res->n_failures + 1) * sizeof *f);
	if (!f) {
		free(text);
		return -1;
	}
	res->failures = f;
	res->failures[res->n_failures++] = text;
	return 0;
}

int expect_result_addf(struct expect_result *res, const char *fmt, ...)
{
	va_list ap;
	char *text = NULL;
	va_start(ap, fmt);
	int n = vasprintf(&text, fmt, ap);
	va_end(ap);
	return expect_result_add(res, n < 0 ? NULL : text);
}

/* A text being written with stdio (open_memstream). */
struct text {
	FILE *f;
	char *buf;
	size_t len;
};

/* Starts a text. Returns -1 when out of memory. */
static int text_open(struct text *t)
{
	t->buf = NULL;
	t->len = 0;
	t->f = open_memstream(&t->buf, &t->len);
	return t->f ? 0 : -1;
}

/* Closes t and appends it to the failures. Returns -1 when out of memory. */
static int text_commit(struct text *t, struct expect_result *res)
{
	bool bad = ferror(t->f) != 0;

	if (fclose(t->f) != 0 || bad) {
		free(t->buf);
		return -1;
	}
	return expect_result_add(res, t->buf);
}

struct states {
	enum tcp_state *v;
	size_t n, cap;
};

/* Appends st. Returns -1 when out of memory. */
static int states_push(struct states *s, enum tcp_state st)
{
	enum tcp_state *v = bigarray_grow(s->v, &s->cap, s->n + 1, sizeof *v, 16);
	if (!v)
		return -1;
	s->v = v;
	s->v[s->n++] = st;
	return 0;
}

/* Endpoint ep's state sequence: the first state event's `from`, then each
 * `to`, with a `from` inserted where it differs from the previous `to`;
 * [CLOSED] when it has no state event. Returns -1 when out of memory. */
static int state_sequence(const struct trace_log *log, int ep, struct states *out)
{
	memset(out, 0, sizeof *out);
	for (size_t k = 0; k < log->n; k++) {
		const struct trace_event *ev = &log->ev[k];
		if (ev->type != TRACE_STATE || ev->endpoint != ep)
			continue;
		if ((out->n == 0 || out->v[out->n - 1] != ev->u.state.from) &&
		    states_push(out, ev->u.state.from) < 0)
			return -1;
		if (states_push(out, ev->u.state.to) < 0)
			return -1;
	}
	if (out->n == 0)
		return states_push(out, TCPS_CLOSED);
	return 0;
}

/* Writes the states space-separated. */
static void write_states(FILE *f, const enum tcp_state *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s%s", i ? " " : "", tcp_state_name(v[i]));
}

/* The name of want[i] or got[i], "nothing" past the end. */
static const char *state_at(const enum tcp_state *v, size_t n, size_t i)
{
	return i < n ? tcp_state_name(v[i]) : "nothing";
}

/* Compares endpoint ep's states with the expected list of role r. */
static int check_states(const struct expect *e, enum role r, const struct trace_log *log, int ep,
			struct expect_result *res)
{
	char name[TRACE_NAME_MAX];
	const enum tcp_state *want = e->states[r];
	size_t nw = e->n_states[r], i = 0;
	struct states got;
	struct text t;
	int rc = 0;

	if (state_sequence(log, ep, &got) < 0) {
		bigarray_free(got.v, got.cap * sizeof *got.v);
		return -1;
	}
	while (i < nw && i < got.n && want[i] == got.v[i])
		i++;
	if (i < nw || i < got.n) {
		if (text_open(&t) < 0) {
			bigarray_free(got.v, got.cap * sizeof *got.v);
			return -1;
		}
		fprintf(t.f, "%s states: expected ", trace_endpoint_name(log->trace, ep, name));
		write_states(t.f, want, nw);
		fputs(", got ", t.f);
		write_states(t.f, got.v, got.n);
		fprintf(t.f, " (first difference at position %zu: %s vs %s)", i + 1,
			state_at(want, nw, i), state_at(got.v, got.n, i));
		rc = text_commit(&t, res);
	}
	bigarray_free(got.v, got.cap * sizeof *got.v);
	return rc;
}

/* Compares the bytes endpoint ep's application read with role r's expectation. */
static int check_delivered(const struct expect *e, enum role r, const struct trace_log *log, int ep,
			   struct expect_result *res)
{
	char name[TRACE_NAME_MAX];
	uint64_t got = 0;
	struct text t;

	for (size_t k = 0; k < log->n; k++)
		if (log->ev[k].type == TRACE_DATA && log->ev[k].endpoint == ep)
			got += log->ev[k].u.data.bytes;
	if (got == e->delivered[r])
		return 0;
	if (text_open(&t) < 0)
		return -1;
	fprintf(t.f, "%s delivered: expected %llu bytes, got %llu", trace_endpoint_name(log->trace, ep, name),
		(unsigned long long)e->delivered[r], (unsigned long long)got);
	return text_commit(&t, res);
}

/* Checks expect.client (r = ROLE_CLIENT) or expect.server against the
 * endpoint "client" or "server" of a single-client run. */
static int check_role(const struct scenario *sc, const struct trace_log *log, enum role r,
		      struct expect_result *res)
{
	const struct expect *e = &sc->expect;
	const struct trace *tr = log->trace;
	size_t found = 0;
	struct text t;

	if (!e->has_states[r] && !e->has_delivered[r])
		return 0;
	for (size_t i = 0; i < tr->n_endpoints; i++) {
		uint32_t k;
		if (trace_endpoint_role(tr, (int)i, &k) != (int)r || k != 0)
			continue;
		found++;
		if (e->has_states[r] && check_states(e, r, log, (int)i, res) < 0)
			return -1;
		if (e->has_delivered[r] && check_delivered(e, r, log, (int)i, res) < 0)
			return -1;
	}
	if (found)
		return 0;
	if (text_open(&t) < 0)
		return -1;
	fprintf(t.f, "%s: the trace has no endpoint named %s", role_names[r], role_names[r]);
	return text_commit(&t, res);
}

/* Every segment a TCP sent (SEGEV_SEND, in trace order) as a line, absolute
 * time, dropped ones marked. Forged segments (inject) are not a TCP's: the
 * contract's list leaves them out, as it leaves out the link's duplicates.
 * Returns -1 when out of memory. */
static int actual_segments(const struct trace_log *log, struct seg_line **out, size_t *n)
{
	struct seg_numbering nb;
	bool *dropped = trace_log_dropped(log);
	size_t count = 0;

	*out = calloc(log->n ? log->n : 1, sizeof **out);
	if (!dropped || !*out || seg_numbering_init(&nb, log->trace) < 0) {
		free(dropped);
		free(*out);
		*out = NULL;
		return -1;
	}
	for (size_t k = 0; k < log->n; k++) {
		const struct trace_event *ev = &log->ev[k];
		if (ev->type == TRACE_SEGMENT && ev->u.segment.event == SEGEV_SEND && !ev->u.segment.forged)
			seg_numbering_line(&nb, log->trace, ev, dropped[k], &(*out)[count++]);
	}
	seg_numbering_free(&nb);
	free(dropped);
	*n = count;
	return 0;
}

/* The segments the run sent, in trace order. */
struct actual {
	const struct seg_line *v;
	size_t n;
};

/* The time of the segment before i, 0 for the first. */
static usec_t prev_time(const struct actual *a, size_t i)
{
	return i ? a->v[i - 1].time_us : 0;
}

/* The actual time in the form want gives it: absolute, or since the previous
 * segment. */
static usec_t time_as_written(const struct seg_line *want, const struct actual *a, size_t i)
{
	if (want->time_relative)
		return a->v[i].time_us - prev_time(a, i);
	return a->v[i].time_us;
}

/* True when want (expected line) holds for actual segment i. */
static bool line_holds(const struct seg_line *want, const struct actual *a, size_t i)
{
	if (want->has_time && want->time_us != time_as_written(want, a, i))
		return false;
	return seg_line_matches(want, &a->v[i]);
}

/* Actual segment i in full, its time written the way want writes it (relative
 * when want's is, absolute otherwise). */
static void format_actual(const struct seg_line *want, const struct actual *a, size_t i,
			  char *buf, size_t cap)
{
	struct seg_line l = a->v[i];

	if (want && want->has_time && want->time_relative) {
		l.time_relative = true;
		l.time_us = time_as_written(want, a, i);
	}
	seg_line_format(&l, buf, cap);
}

/* Where expected line i stood: " (FILE:LINE:COL)", or "" when unknown. */
static void where(const struct scenario *sc, size_t i, char *buf, size_t cap)
{
	const struct src_pos *p = sc->expect.segments_pos ? &sc->expect.segments_pos[i] : NULL;

	buf[0] = '\0';
	if (p && p->line > 0 && sc->path)
		snprintf(buf, cap, " (%s:%d:%d)", sc->path, p->line, p->col);
	else if (p && p->line > 0)
		snprintf(buf, cap, " (line %d, column %d)", p->line, p->col);
}

/* Appends name to the list of differing fields in f. */
static void diff_field(FILE *f, bool differs, const char *name, int *n)
{
	if (!differs)
		return;
	fprintf(f, "%s%s", *n ? ", " : " (differs in ", name);
	(*n)++;
}

/* Names the fields written in want that segment i does not have:
 * " (differs in ack, win)". */
static void write_differences(FILE *f, const struct seg_line *w, const struct actual *a, size_t i)
{
	const struct seg_line *g = &a->v[i];
	int n = 0;

	diff_field(f, w->has_time && w->time_us != time_as_written(w, a, i), "time", &n);
	diff_field(f, strcmp(w->src, g->src) != 0 || strcmp(w->dst, g->dst) != 0, "endpoints", &n);
	diff_field(f, w->flags != g->flags, "flags", &n);
	diff_field(f, w->has_seq && (w->seq != g->seq || w->end != g->end || w->len != g->len),
		   "seq", &n);
	diff_field(f, w->has_ack && (!g->has_ack || w->ack != g->ack), "ack", &n);
	diff_field(f, w->has_win && (!g->has_win || w->win != g->win), "win", &n);
	diff_field(f, w->has_mss && (!g->has_mss || w->mss != g->mss), "mss", &n);
	diff_field(f, w->dropped && !g->dropped, "dropped", &n);
	if (n)
		fputc(')', f);
}

/* "segment N (FILE:L:C): expected `...`, got `...` (differs in ...)" */
static void write_line_difference(FILE *f, const struct scenario *sc, const struct actual *a, size_t i)
{
	const struct seg_line *want = &sc->expect.segments[i];
	char at[LINE_MAX_TEXT + 32], w[LINE_MAX_TEXT], g[LINE_MAX_TEXT];

	where(sc, i, at, sizeof at);
	seg_line_format(want, w, sizeof w);
	format_actual(want, a, i, g, sizeof g);
	fprintf(f, "segment %zu%s: expected `%s`, got `%s`", i + 1, at, w, g);
	write_differences(f, want, a, i);
}

/* Same count: one failure per line that does not hold. */
static int check_each_line(const struct scenario *sc, const struct actual *a, struct expect_result *res)
{
	for (size_t i = 0; i < a->n; i++) {
		struct text t;
		if (line_holds(&sc->expect.segments[i], a, i))
			continue;
		if (text_open(&t) < 0)
			return -1;
		write_line_difference(t.f, sc, a, i);
		if (text_commit(&t, res) < 0)
			return -1;
	}
	return 0;
}

/* "N segment(s)" */
static const char *plural(size_t n)
{
	return n == 1 ? "" : "s";
}

/* The expected lines past the run's end (at most LIST_ALL_MAX of them). */
static void write_missing(FILE *f, const struct scenario *sc, size_t from)
{
	size_t nw = sc->expect.n_segments;
	char at[LINE_MAX_TEXT], line[LINE_MAX_TEXT];

	for (size_t i = from; i < nw && i < from + LIST_ALL_MAX; i++) {
		where(sc, i, at, sizeof at);
		seg_line_format(&sc->expect.segments[i], line, sizeof line);
		fprintf(f, "\n  missing: segment %zu%s `%s`", i + 1, at, line);
	}
	if (nw > from + LIST_ALL_MAX)
		fprintf(f, "\n  ... and %zu more missing", nw - from - LIST_ALL_MAX);
}

/* The run's lines: all of them, ready to paste, when there are few; else the
 * ones past the expected count (at most LIST_ALL_MAX of them). */
static void write_actual(FILE *f, const struct actual *a, size_t nw)
{
	char line[LINE_MAX_TEXT];
	size_t from = a->n <= LIST_ALL_MAX ? 0 : nw;

	if (a->n <= LIST_ALL_MAX)
		fputs(a->n ? "\n  the run sent:" : "\n  the run sent no segment", f);
	for (size_t i = from; i < a->n && i < from + LIST_ALL_MAX; i++) {
		format_actual(NULL, a, i, line, sizeof line);
		if (a->n <= LIST_ALL_MAX)
			fprintf(f, "\n    - \"%s\"", line);
		else
			fprintf(f, "\n  extra: segment %zu `%s`", i + 1, line);
	}
	if (a->n > from + LIST_ALL_MAX)
		fprintf(f, "\n  ... and %zu more", a->n - from - LIST_ALL_MAX);
}

/* Different counts: one failure saying so, with the first line that does not
 * hold, the expected lines past the run's end, and the run's lines. */
static int check_count(const struct scenario *sc, const struct actual *a, struct expect_result *res)
{
	size_t nw = sc->expect.n_segments, common = nw < a->n ? nw : a->n;
	struct text t;

	if (text_open(&t) < 0)
		return -1;
	fprintf(t.f, "segments: expected %zu segment%s, got %zu", nw, plural(nw), a->n);
	for (size_t i = 0; i < common; i++) {
		if (line_holds(&sc->expect.segments[i], a, i))
			continue;
		fputs("\n  first difference: ", t.f);
		write_line_difference(t.f, sc, a, i);
		break;
	}
	write_missing(t.f, sc, a->n);
	write_actual(t.f, a, nw);
	return text_commit(&t, res);
}

/* Compares expect.segments with every segment the run sent. */
static int check_segments(const struct scenario *sc, const struct trace_log *log,
			  struct expect_result *res)
{
	struct seg_line *lines;
	struct actual a;
	int rc;

	if (!sc->expect.has_segments)
		return 0;
	if (actual_segments(log, &lines, &a.n) < 0)
		return -1;
	a.v = lines;
	if (a.n == sc->expect.n_segments)
		rc = check_each_line(sc, &a, res);
	else
		rc = check_count(sc, &a, res);
	free(lines);
	return rc;
}

/* See expect.h. On -1 res holds nothing. */
int expect_check(const struct scenario *sc, const struct trace_log *log, struct expect_result *res)
{
	res->failures = NULL;
	res->n_failures = 0;
	if (!log->trace || log->out_of_memory)
		return -1;
	/* Many clients: states and delivered bytes stream (expect_stream.c). */
	bool many = sc->ep[ROLE_CLIENT].count > 1;
	if ((!many && (check_role(sc, log, ROLE_CLIENT, res) < 0 || check_role(sc, log, ROLE_SERVER, res) < 0)) ||
	    check_segments(sc, log, res) < 0) {
		expect_result_free(res);
		return -1;
	}
	return 0;
}
