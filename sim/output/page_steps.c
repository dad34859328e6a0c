/* page_steps.c - the steps of the step-through page, read from the trace
 * (page_steps.h says what a step is). */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "proto/arcs.h"
#include "output/page_steps.h"

/* How far back an arrival looks for its send: a segment waits on the link
 * for a bounded number of events (the link's delay), never the whole log. */
#define SEND_LOOKBACK 20000

/* The walk through the log: what runs on from one step to the next. */
struct walk {
	struct page_steps *ps;
	const struct trace_log *log;
	size_t *row_of;              /* per log event: its ladder row + 1, 0 for none */
	unsigned char *arrivals;     /* per send event: arrivals (or losses) still to come */
	enum tcp_state state[2];
	struct page_timer timers[2][TIMER_KINDS];
	struct trace_vars vars[2];
	bool has_vars[2];
	size_t input[2];             /* the latest step an input of this side began (SIZE_MAX: none) */
	char note[PAGE_NOTE_MAX];    /* notes waiting for the next step ("" none) */
};

const char *page_timer_words(enum timer_kind k)
{
	switch (k) {
	case TIMER_RTO: return "retransmission timer";
	case TIMER_TIME_WAIT: return "2MSL timer";
	case TIMER_FIN_WAIT_2: return "FIN_WAIT_2 timer";
	case TIMER_USER: return "user timeout";
	case TIMER_DELACK: return "delayed-ACK timer";
	case TIMER_TLP: return "loss-probe timer";
	}
	return "timer";
}

/* Appends printf-style text to a step's words (cut at PAGE_TEXT_MAX). */
static void say(struct page_step *st, const char *fmt, ...)
{
	size_t len = strlen(st->text);
	va_list ap;

	if (len + 1 >= sizeof st->text)
		return;
	va_start(ap, fmt);
	vsnprintf(st->text + len, sizeof st->text - len, fmt, ap);
	va_end(ap);
}

/* The ladder row of log event k, NULL when the ladder has none. */
static const struct ladder_row *row_at(const struct walk *w, size_t k)
{
	return w->row_of[k] ? &w->ps->lad.rows[w->row_of[k] - 1] : NULL;
}

/* The send event of the segment that arrives (or is lost, or copied) at
 * log event k: the latest send before it of the same segment that still
 * has an arrival to come (pending), or that arrived already (a drop by
 * the host it reached, which follows its delivery). SIZE_MAX when none. */
static size_t send_of_pending(struct walk *w, size_t k, bool pending)
{
	const struct trace_event *a = &w->log->ev[k];
	size_t stop = k > SEND_LOOKBACK ? k - SEND_LOOKBACK : 0;

	for (size_t j = k; j-- > stop;) {
		const struct trace_event *b = &w->log->ev[j];
		if (b->type != TRACE_SEGMENT || b->u.segment.event != SEGEV_SEND || (pending && !w->arrivals[j]))
			continue;
		if (trace_log_same_segment(a, b))
			return j;
	}
	return SIZE_MAX;
}

static size_t send_of(struct walk *w, size_t k)
{
	return send_of_pending(w, k, true);
}

/* The segment's words as the ladder picture writes them, and whose it is:
 * "the server's F. 1:1(0) ack 2 win 65535". */
static void seg_words(const struct walk *w, size_t send, char *buf, size_t cap)
{
	const struct ladder_row *r = send != SIZE_MAX ? row_at(w, send) : NULL;
	char words[400];

	if (!r) {
		snprintf(buf, cap, "a segment");
		return;
	}
	ladder_picture_words(&w->ps->lad, r, words, sizeof words);
	if (r->forged)
		snprintf(buf, cap, "the forged %s (in the %s's name)", words, w->ps->lad.name[r->side]);
	else
		snprintf(buf, cap, "the %s's %s", w->ps->lad.name[r->side], words);
}

/* Ends the step before a new one: it takes the states, timers and
 * variables as they are now (a snapshot of TRACE_VARS already given to it
 * stays: on_vars). */
static void finish(struct walk *w)
{
	struct page_steps *ps = w->ps;
	struct page_step *st;

	if (ps->n == 0)
		return;
	st = &ps->steps[ps->n - 1];
	memcpy(st->state, w->state, sizeof st->state);
	memcpy(st->timers, w->timers, sizeof st->timers);
	for (int s = 0; s < 2; s++) {
		if (w->has_vars[s] && !st->has_vars[s]) {
			st->vars[s] = w->vars[s];
			st->has_vars[s] = true;
		}
	}
}

/* Starts a step of kind k for side s at log event k_ev. NULL when the page
 * is full (ps->cut set). */
static struct page_step *begin(struct walk *w, enum page_step_kind kind, int s, size_t k_ev)
{
	struct page_steps *ps = w->ps;
	struct page_step *st;

	finish(w);
	if (ps->n == ps->cap) {
		ps->cut = true;
		return NULL;
	}
	st = &ps->steps[ps->n++];
	memset(st, 0, sizeof *st);
	st->kind = kind;
	st->t = w->log->ev[k_ev].t_us;
	st->side = s;
	st->ev = st->last_ev = k_ev;
	st->seg = SIZE_MAX;
	memcpy(st->note, w->note, sizeof st->note);
	w->note[0] = '\0';
	if (kind == PAGE_CALL || kind == PAGE_DELIVER || kind == PAGE_TIMER || kind == PAGE_HOST_DROP ||
	    kind == PAGE_STATE)
		w->input[s] = ps->n - 1;
	return st;
}

/* The step a state change or row of side s (log event k) belongs to: the
 * latest step, when it is s's input (a call, an arrival, a timer) at the
 * same instant; else a new PAGE_STATE step. */
static struct page_step *step_for(struct walk *w, int s, size_t k)
{
	struct page_steps *ps = w->ps;
	size_t i = w->input[s];

	if (ps->n && i == ps->n - 1 && ps->steps[i].t == w->log->ev[k].t_us)
		return &ps->steps[i];
	return begin(w, PAGE_STATE, s, k);
}

/* Says which RFC row side s took: "T17: FIN_WAIT_2 -> TIME_WAIT on rcv
 * FIN / send ACK, start 2MSL (RFC 9293 3.10.7.4 (8))". */
static void say_row(struct page_step *st, const struct ladder *lad, int s, const char *id, enum tcp_state from,
		    enum tcp_state to, const char *cause)
{
	const struct arc_row *r = id ? arc_find(id) : NULL;
	const char *who = lad->name[s];

	if (r && from == to)
		say(st, "\n%s: the %s stays in %s on %s / %s (RFC 9293 %s).", r->id, who, tcp_state_name(from),
		    r->event, r->action, r->section);
	else if (r)
		say(st, "\n%s: the %s goes %s -> %s on %s / %s (RFC 9293 %s).", r->id, who, tcp_state_name(from),
		    tcp_state_name(to), r->event, r->action, r->section);
	else if (from == to)
		say(st, "\nThe %s stays in %s (%s).", who, tcp_state_name(from), cause ? cause : "no row");
	else
		say(st, "\nThe %s goes %s -> %s (%s).", who, tcp_state_name(from), tcp_state_name(to),
		    cause ? cause : "no row");
}

/* A segment event of the shown pair. */
static void on_segment(struct walk *w, size_t k)
{
	const struct trace_event *ev = &w->log->ev[k];
	const struct ladder *lad = &w->ps->lad;
	int src = ladder_side_of(lad, ev->u.segment.src), dst = ladder_side_of(lad, ev->u.segment.dst);
	char words[600], why[64];
	struct page_step *st;
	size_t send;

	if (src < 0 || dst != 1 - src)
		return;
	if (ev->u.segment.event == SEGEV_SEND) {
		const struct ladder_row *r = row_at(w, k);
		w->arrivals[k] = 1;
		if (!(st = begin(w, PAGE_SEND, src, k)))
			return;
		st->seg = k;
		snprintf(words, sizeof words, "a segment");
		if (r)
			ladder_picture_words(lad, r, words, sizeof words);
		if (r && r->forged) {
			say(st, "A forged segment in the %s's name is put on the link (inject): %s.", lad->name[src],
			    words);
			return;
		}
		say(st, "The %s sends %s", lad->name[src], words);
		if (r && r->resend) {
			ladder_resend_text(r, why, sizeof why);
			say(st, " again: a retransmission (%s).", why);
		} else {
			say(st, ".");
		}
		return;
	}
	send = ev->u.segment.event == SEGEV_DROP && ev->u.segment.reason ? send_of_pending(w, k, false) : send_of(w, k);
	seg_words(w, send, words, sizeof words);
	if (send != SIZE_MAX && w->arrivals[send] && ev->u.segment.event != SEGEV_DUPLICATE)
		w->arrivals[send]--;
	switch (ev->u.segment.event) {
	case SEGEV_DELIVER:
		if (!(st = begin(w, PAGE_DELIVER, dst, k)))
			return;
		st->seg = send;
		say(st, "The %s receives %s", lad->name[dst], words);
		if (send != SIZE_MAX)
			say(st, " after %g ms on the link.", (double)(ev->t_us - w->log->ev[send].t_us) / 1000.0);
		else
			say(st, ".");
		break;
	case SEGEV_DROP:
		if (ev->u.segment.reason) {
			/* The host drops what the link delivered: the same arrival's step. */
			st = w->ps->n && w->ps->steps[w->ps->n - 1].kind == PAGE_DELIVER &&
					     w->ps->steps[w->ps->n - 1].seg == send && send != SIZE_MAX ?
				     &w->ps->steps[w->ps->n - 1] : begin(w, PAGE_HOST_DROP, dst, k);
			if (!st)
				return;
			if (st->kind == PAGE_DELIVER)
				say(st, " The %s's host drops it: %s.", lad->name[dst], ev->u.segment.reason);
			else
				say(st, "The %s's host drops %s: %s.", lad->name[dst], words, ev->u.segment.reason);
			st->kind = PAGE_HOST_DROP;
			st->seg = send;
			st->last_ev = k;
			break;
		}
		if (!(st = begin(w, PAGE_LINK_DROP, src, k)))
			return;
		st->seg = send;
		say(st, "The link loses %s: it never arrives.", words);
		break;
	case SEGEV_DUPLICATE:
		if (send != SIZE_MAX && w->arrivals[send] < 255)
			w->arrivals[send]++;
		if (!(st = begin(w, PAGE_DUPLICATE, src, k)))
			return;
		st->seg = send;
		say(st, "The link copies %s: it will arrive twice.", words);
		break;
	case SEGEV_SEND:
		break;
	}
}

/* A timer event of side s: the running timers, and a step when it fires. */
static void on_timer(struct walk *w, size_t k, int s)
{
	const struct trace_event *ev = &w->log->ev[k];
	struct page_timer *t = &w->timers[s][ev->u.timer.timer];
	struct page_step *st;

	switch (ev->u.timer.event) {
	case TIMER_SET:
		t->on = true;
		t->due = ev->u.timer.due;
		t->len = ev->u.timer.due - ev->t_us;
		break;
	case TIMER_CANCEL:
		t->on = false;
		break;
	case TIMER_FIRE:
		st = begin(w, PAGE_TIMER, s, k);     /* first: the step before keeps the timer running */
		t->on = false;
		if (st)
			say(st, "The %s's %s expires.", w->ps->lad.name[s], page_timer_words(ev->u.timer.timer));
		break;
	}
	if (w->ps->n)
		w->ps->steps[w->ps->n - 1].last_ev = k;
}

/* A state change or a response row (TRACE_ARC) of side s. */
static void on_row(struct walk *w, size_t k, int s)
{
	const struct trace_event *ev = &w->log->ev[k];
	const struct ladder_row *r = row_at(w, k);
	struct page_step *st = step_for(w, s, k);    /* first: the step before keeps the old state */
	bool change = ev->type == TRACE_STATE;
	enum tcp_state from = change ? ev->u.state.from : ev->u.arc.state;
	enum tcp_state to = change ? ev->u.state.to : ev->u.arc.state;

	/* A response row changes no state; and it may be the listener's
	 * (LISTEN) while the endpoint's connection is elsewhere: the state
	 * shown stays the connection's, as the ladder's. */
	if (change)
		w->state[s] = to;
	if (!st)
		return;
	st->last_ev = k;
	st->arc[s] = change ? ev->u.state.arc : ev->u.arc.arc;
	st->arc_step[s] = change && r ? r->step : 0;
	st->arc_state[s] = from;
	if (st->kind == PAGE_STATE && !st->text[0])
		say(st, "The %s changes state (%s).", w->ps->lad.name[s],
		    change && ev->u.state.cause ? ev->u.state.cause : "no cause given");
	say_row(st, &w->ps->lad, s, st->arc[s], from, to, change ? ev->u.state.cause : ev->u.arc.cause);
}

/* A snapshot of side s's variables (the log's, trace_log_vars): the
 * variables after the event that began with s's latest input step, for
 * that step and those after it. */
static void on_vars(struct walk *w, const struct trace_log_vars *lv, int s)
{
	size_t from = w->input[s];

	w->vars[s] = lv->v;
	w->has_vars[s] = true;
	if (from == SIZE_MAX || from >= w->ps->n || w->ps->steps[from].t != lv->t_us)
		return;
	for (size_t i = from; i < w->ps->n; i++) {
		w->ps->steps[i].vars[s] = lv->v;
		w->ps->steps[i].has_vars[s] = true;
	}
}

/* A scenario's note: it goes with the next step ("a / b" for two). */
static void on_note(struct walk *w, const struct trace_event *ev)
{
	size_t len = strlen(w->note);

	if (ev->u.note.text)
		snprintf(w->note + len, sizeof w->note - len, "%s%s", len ? " / " : "", ev->u.note.text);
}

/* The first step: where both sides start. */
static void start(struct walk *w)
{
	const struct ladder *lad = &w->ps->lad;
	struct page_step *st;

	for (int s = 0; s < 2; s++) {
		w->state[s] = lad->n_rows ? lad->rows[0].state[s] : TCPS_CLOSED;
		w->input[s] = SIZE_MAX;
	}
	st = begin(w, PAGE_START, -1, 0);
	say(st, "The %s starts in %s, the %s in %s.", lad->name[LADDER_LEFT], tcp_state_name(w->state[0]),
	    lad->name[LADDER_RIGHT], tcp_state_name(w->state[1]));
}

int page_steps_build(struct page_steps *ps, const struct trace_log *log)
{
	struct walk w;
	int rc = -1;

	memset(ps, 0, sizeof *ps);
	memset(&w, 0, sizeof w);
	if (ladder_build(&ps->lad, log) < 0)
		return -1;
	w.ps = ps;
	w.log = log;
	w.row_of = calloc(log->n + 1, sizeof *w.row_of);
	w.arrivals = calloc(log->n + 1, 1);
	/* A step begins with an event: the log's events and the start bound them. */
	ps->cap = log->n + 1 < PAGE_STEPS_MAX ? log->n + 1 : PAGE_STEPS_MAX;
	ps->steps = calloc(ps->cap, sizeof *ps->steps);
	if (!w.row_of || !w.arrivals || !ps->steps)
		goto out;
	for (size_t i = 0; i < ps->lad.n_rows; i++)
		if (ps->lad.rows[i].kind == LADDER_ROW_STATE || ps->lad.rows[i].kind == LADDER_ROW_SEGMENT)
			w.row_of[ps->lad.rows[i].ev] = i + 1;
	start(&w);
	size_t v = 0;                /* the next of the log's variables' snapshots */
	for (size_t k = 0; k < log->n && !ps->cut; k++) {
		const struct trace_event *ev = &log->ev[k];
		int s = ev->type == TRACE_SEGMENT ? -1 : ladder_side_of(&ps->lad, ev->endpoint);
		switch (ev->type) {
		case TRACE_SEGMENT:
			on_segment(&w, k);
			break;
		case TRACE_CALL:
			if (s >= 0) {
				struct page_step *st = begin(&w, PAGE_CALL, s, k);
				if (st && ev->u.call.call == CALL_INJECT)
					say(st, "The scenario forges a segment in the %s's name (inject).", ps->lad.name[s]);
				else if (st)
					say(st, "The %s calls %s%s%s.", ps->lad.name[s], user_call_name(ev->u.call.call),
					    ev->u.call.error ? ": refused, " : "",
					    ev->u.call.error ? ev->u.call.error : "");
			}
			break;
		case TRACE_STATE:
		case TRACE_ARC:
			if (s >= 0)
				on_row(&w, k, s);
			break;
		case TRACE_TIMER:
			if (s >= 0)
				on_timer(&w, k, s);
			break;
		case TRACE_NOTE:
			on_note(&w, ev);
			break;
		default:
			break;
		}
		/* The snapshots made after event k. */
		while (v < log->n_vars && log->vars[v].at <= k + 1) {
			int vs = ladder_side_of(&ps->lad, log->vars[v].endpoint);
			if (vs >= 0)
				on_vars(&w, &log->vars[v], vs);
			v++;
		}
	}
	finish(&w);
	rc = 0;
out:
	free(w.row_of);
	free(w.arrivals);
	return rc;
}

void page_steps_free(struct page_steps *ps)
{
	ladder_free(&ps->lad);
	free(ps->steps);
	ps->steps = NULL;
	ps->n = 0;
}
