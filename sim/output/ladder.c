/* ladder.c - the exchange between the client and the server as a ladder, for
 * a terminal (plain text, UTF-8 arrows) or a lecture handout (a markdown
 * table: time | client | segment | server); the rows and the label text the
 * picture (graph_ladder*.c) shares.
 *
 * One row per event, in trace order: a state the client or the server
 * entered, a segment one of them sent (deliveries are not rows: the state a
 * segment's arrival causes is), or a timer a lecture speaks of (TIME_WAIT's
 * 2MSL started or restarted, FIN_WAIT_2's). The first row shows both
 * initial states. The story the trace tells is on the rows:
 *   - every state change with its cause ("CLOSE_WAIT (rcv FIN)"), the RFC
 *     row when the change is not one of Figure 5's normal open and close
 *     ("CLOSING (rcv FIN, T15)"), and the state diagram's step badge: the
 *     diagram numbers each side's changes (from != to) 1, 2, 3... in trace
 *     order (graph_states_arcs.c, trace_paths), and so does this, so that
 *     a slide pair reads together ("❸ FIN_WAIT_1 (close)");
 *   - a time-wait of 0 is no 2MSL timeout: "CLOSED (time_wait 0)";
 *   - a segment sent again is marked in its sender's column with the timer
 *     that sent it and how often ("(RTO 2)", "(SYN retry 3)"), counted as
 *     the summary counts retransmissions (summary.c): sequence space below
 *     the highest end sent, or the same SYN again;
 *   - a forged segment (inject) is marked "(forged)" in its sender's column,
 *     a host's drop gives its reason in the receiver's.
 * Segments are printed in the notation of expect.segments (tcpdump's),
 * without the time, so that they can be pasted into a scenario; or in short
 * words (--labels short: SYN, SYN+ACK, ACK, FIN+ACK, RST, "data 1-1000");
 * numbers relative to each side's ISN, or absolute (--abs-seq). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "proto/arcs.h"
#include "output/ladder.h"
#include "output/style.h"

#define LABEL_MAX 256
#define MIDDLE_MAX 2048
#define STATE_MIN_WIDTH 13

enum side { LEFT = LADDER_LEFT, RIGHT = LADDER_RIGHT };

/* Which side endpoint i is on, -1 when it is not shown. */
static int side_of(const struct ladder *lad, int i)
{
	if (i >= 0 && i == lad->ep[LEFT])
		return LEFT;
	if (i >= 0 && i == lad->ep[RIGHT])
		return RIGHT;
	return -1;
}

/* The state endpoint i starts in: the `from` of its first state event. */
static enum tcp_state initial_state(const struct trace_log *log, int i)
{
	for (size_t k = 0; k < log->n; k++)
		if (log->ev[k].type == TRACE_STATE && log->ev[k].endpoint == i)
			return log->ev[k].u.state.from;
	return TCPS_CLOSED;
}

/* What the walk through the log remembers per shown side, to tell the
 * story the rows carry: the step count, the timers running, the last
 * response row and timer expiry, and what it has sent (for resends). */
struct side_story {
	unsigned steps;              /* state changes so far (the state diagram's numbering) */
	bool timer_on[TIMER_KINDS];
	usec_t time_wait;            /* the time-wait timer's length when last set */
	bool fired;                  /* a timer expired just now ... */
	usec_t fired_t;              /* ... at this time */
	enum timer_kind fired_kind;
	bool rto_fired;              /* the retransmission timer expired since the last send */
	const char *arc_cause, *arc; /* the last response row (TRACE_ARC) ... */
	usec_t arc_t;                /* ... and its time */
	/* Retransmissions, counted as the summary counts them (summary.c). */
	bool sent, syn_alone;
	uint32_t syn_seq, snd_max;
	uint32_t resend_seq;         /* the segment resent last, and how often */
	unsigned resend_n;
};

/* Appends a zeroed row of kind k at ev's time for side s. */
static struct ladder_row *new_row(struct ladder *lad, const struct trace_event *ev, enum ladder_row_kind k,
				  int s)
{
	struct ladder_row *r = &lad->rows[lad->n_rows++];

	memset(r, 0, sizeof *r);
	r->kind = k;
	r->t = ev->t_us;
	r->ev = (size_t)(ev - lad->log->ev);
	r->side = s;
	return r;
}

/* A state change of a shown side: numbered as the state diagram numbers
 * it (graph_states_arcs.c, trace_paths: from != to, per side, in trace
 * order), with the timer that caused it when one expired at that time. */
static void add_state_row(struct ladder *lad, struct side_story *st, const struct trace_event *ev, int s)
{
	struct ladder_row *r = new_row(lad, ev, LADDER_ROW_STATE, s);

	r->state[s] = ev->u.state.to;
	r->from = ev->u.state.from;
	r->cause = ev->u.state.cause;
	r->arc = ev->u.state.arc;
	if (r->from != r->state[s])
		r->step = ++st->steps;
	if (st->fired && st->fired_t == ev->t_us) {
		r->timer_fired = true;
		if (st->fired_kind == TIMER_TIME_WAIT)
			r->time_wait = st->time_wait;
	}
	st->fired = false;
}

/* A timer event of a shown side: remembered, and a row for the timers a
 * lecture speaks of (TIME_WAIT's 2MSL started or restarted, FIN_WAIT_2's).
 * The retransmission and user timers are told otherwise: by the segment
 * resent, by the state change their expiry causes. */
static void timer_event(struct ladder *lad, struct side_story *st, const struct trace_event *ev, int s)
{
	enum timer_kind k = ev->u.timer.timer;
	bool was_on = st->timer_on[k];

	if (ev->u.timer.event != TIMER_SET) {
		st->timer_on[k] = false;
		if (ev->u.timer.event == TIMER_FIRE) {
			st->fired = true;
			st->fired_t = ev->t_us;
			st->fired_kind = k;
			st->rto_fired |= k == TIMER_RTO;
		}
		return;
	}
	st->timer_on[k] = true;
	usec_t len = ev->u.timer.due > ev->t_us ? ev->u.timer.due - ev->t_us : 0;
	if (k == TIMER_TIME_WAIT)
		st->time_wait = len;
	if ((k != TIMER_TIME_WAIT && k != TIMER_FIN_WAIT_2) || len == 0)
		return;     /* a time-wait of 0 closes at once: no 2MSL to speak of */
	struct ladder_row *r = new_row(lad, ev, LADDER_ROW_TIMER, s);
	r->timer = k;
	r->restarted = was_on;
	r->timer_len = len;
	if (was_on && st->arc_cause && st->arc_t == ev->t_us) {
		r->timer_cause = st->arc_cause;
		r->timer_arc = st->arc;
	}
}

/* Whether a send by a side is a segment sent again, and why; updates what
 * the side has sent. As the summary counts: sequence space that starts
 * below the highest end sent, or the same SYN again; the SYN,ACK that
 * answers the peer's SYN in a simultaneous open is the open going on. A
 * forged segment is nobody's TCB speaking. */
static void classify_send(struct side_story *st, const struct trace_event *ev, struct ladder_row *r)
{
	const struct segment *seg = &ev->u.segment.seg;
	uint32_t space = seg_seqlen(seg), end = seg->seq + space;
	bool resent = false, syn = (seg->flags & TH_SYN) != 0, ack = (seg->flags & TH_ACK) != 0;

	if (ev->u.segment.forged)
		return;
	if (syn && (!st->sent || seg->seq != st->syn_seq)) {
		st->sent = true;
		st->syn_alone = !ack;
		st->syn_seq = seg->seq;
		st->snd_max = end;
	} else if (syn && ack && st->syn_alone) {
		st->syn_alone = false;
	} else if (syn) {
		resent = true;
	} else if (space > 0 && !st->sent) {
		st->sent = true;
		st->syn_seq = seg->seq - 1;
		st->snd_max = end;
	} else if (space > 0) {
		resent = (int32_t)(seg->seq - st->snd_max) < 0;
		if ((int32_t)(end - st->snd_max) > 0)
			st->snd_max = end;
	}
	if (resent) {
		st->resend_n = st->resend_n && st->resend_seq == seg->seq ? st->resend_n + 1 : 1;
		st->resend_seq = seg->seq;
		r->resend = syn ? (ack ? RESEND_SYN_ACK : RESEND_SYN) : st->rto_fired ? RESEND_RTO : RESEND_OTHER;
		r->resend_n = st->resend_n;
	}
	st->rto_fired = false;
}

/* A segment sent from one shown side to the other. */
static void add_segment_row(struct ladder *lad, struct side_story *st, const struct trace_event *ev,
			    const struct seg_line *line, int s)
{
	struct ladder_row *r = new_row(lad, ev, LADDER_ROW_SEGMENT, s);

	r->forged = ev->u.segment.forged;
	r->line = *line;
	r->line.has_time = false;
	classify_send(st, ev, r);
}

/* The first row: both endpoints' initial states. */
static void add_initial_row(struct ladder *lad)
{
	struct ladder_row *r = &lad->rows[lad->n_rows++];

	memset(r, 0, sizeof *r);
	r->kind = LADDER_ROW_INITIAL;
	for (int s = LEFT; s <= RIGHT; s++)
		r->state[s] = initial_state(lad->log, lad->ep[s]);
}

/* Walks the log into rows; every send goes through the numbering, shown or
 * not, so that the relative numbers stay right. */
static void build_rows(struct ladder *lad, struct seg_numbering *nb, const size_t *drops)
{
	const struct trace_log *log = lad->log;
	struct side_story story[2];
	struct seg_line line;

	memset(story, 0, sizeof story);
	add_initial_row(lad);
	for (size_t k = 0; k < log->n; k++) {
		const struct trace_event *ev = &log->ev[k];
		int s = side_of(lad, ev->endpoint);
		if (ev->type == TRACE_STATE && s >= 0) {
			add_state_row(lad, &story[s], ev, s);
		} else if (ev->type == TRACE_TIMER && s >= 0) {
			timer_event(lad, &story[s], ev, s);
		} else if (ev->type == TRACE_ARC && s >= 0) {
			story[s].arc_cause = ev->u.arc.cause;
			story[s].arc = ev->u.arc.arc;
			story[s].arc_t = ev->t_us;
		} else if (ev->type == TRACE_SEGMENT && ev->u.segment.event == SEGEV_SEND) {
			size_t n = lad->n_rows;
			seg_numbering_line(nb, log->trace, ev, drops[k] != TRACE_LOG_NO_DROP, &line);
			s = side_of(lad, ev->u.segment.src);
			if (s < 0 || side_of(lad, ev->u.segment.dst) != 1 - s)
				continue;
			add_segment_row(lad, &story[s], ev, &line, s);
			if (drops[k] != TRACE_LOG_NO_DROP && log->ev[drops[k]].u.segment.reason) {
				lad->rows[n].drop_reason = log->ev[drops[k]].u.segment.reason;
				lad->rows[n].drop_ev = drops[k];
			}
		}
	}
}

/* Reads the log into lad. Returns -1 when out of memory or when the log is
 * incomplete. */
int ladder_build(struct ladder *lad, const struct trace_log *log)
{
	const struct trace *tr = log->trace;
	struct seg_numbering nb;
	size_t *drops;

	memset(lad, 0, sizeof *lad);
	if (!tr || log->out_of_memory)
		return -1;
	lad->log = log;
	trace_pick_pair(tr, log->shown_connection, &lad->ep[LEFT], &lad->ep[RIGHT]);
	trace_endpoint_name(tr, lad->ep[LEFT], lad->name[LEFT]);
	trace_endpoint_name(tr, lad->ep[RIGHT], lad->name[RIGHT]);
	lad->left_out = tr->n_endpoints - (lad->ep[LEFT] >= 0) - (lad->ep[RIGHT] >= 0);
	lad->rows = calloc(log->n + 1, sizeof *lad->rows);
	if (!lad->rows)
		return -1;
	drops = trace_log_drops(log);
	if (!drops || seg_numbering_init(&nb, tr) < 0) {
		free(drops);
		return -1;
	}
	nb.absolute = log->abs_seq;
	build_rows(lad, &nb, drops);
	seg_numbering_free(&nb);
	free(drops);
	return 0;
}

/* Frees what ladder_build allocated (safe after a failed build). */
void ladder_free(struct ladder *lad)
{
	free(lad->rows);
	lad->rows = NULL;
}

/* The name heading a side's column. */
const char *ladder_side_name(const struct ladder *lad, int side)
{
	int i = lad->ep[side];

	if (i < 0)
		return side == LEFT ? "client" : "server";
	return lad->name[side];
}

/* The state changes a lecture knows by heart (Figure 5's normal open and
 * close); any other is given its RFC row beside its cause ("rcv FIN, T15"). */
static bool usual_arc(const char *arc)
{
	static const char *const usual[] = { "T01", "T02", "T04", "T08", "T09", "T12", "T13",
					     "T14", "T17", "T18", "T20", "T21" };
	char base[8];

	if (!arc || !arc_find(arc))
		return true;                 /* no row to name */
	arc_base_id(arc, base);
	for (size_t i = 0; i < sizeof usual / sizeof usual[0]; i++)
		if (strcmp(base, usual[i]) == 0)
			return true;
	return false;
}

/* A state row's cause as it reads: the trace's words, but a time-wait of
 * zero is not a 2MSL timeout, and an unusual change names its RFC row. */
static void cause_text(const struct ladder_row *r, char *buf, size_t cap)
{
	const char *cause = r->cause && *r->cause ? r->cause : NULL;
	bool no_tw = r->timer_fired && r->time_wait == 0 && cause && strcmp(cause, "timeout 2MSL") == 0;
	bool arc = !usual_arc(r->arc);

	buf[0] = '\0';
	if (no_tw)
		cause = "time_wait 0";
	if (cause && arc)
		snprintf(buf, cap, "%s, %s", cause, r->arc);
	else if (cause || arc)
		snprintf(buf, cap, "%s", cause ? cause : r->arc);
}

/* How long a timer was set for: "4 s", "500 ms", "1.5 s". */
static void duration_text(usec_t d, char *buf, size_t cap)
{
	if (d >= USEC_PER_SEC && d % (USEC_PER_SEC / 10) == 0 && d % USEC_PER_SEC != 0)
		snprintf(buf, cap, "%.1f s", (double)d / USEC_PER_SEC);
	else if (d >= USEC_PER_SEC)
		snprintf(buf, cap, "%.0f s", (double)d / USEC_PER_SEC);
	else
		snprintf(buf, cap, "%.0f ms", (double)d / USEC_PER_MS);
}

/* See ladder.h. */
void ladder_timer_text(const struct ladder_row *r, char *buf, size_t cap)
{
	char len[32];
	const char *name = r->timer == TIMER_TIME_WAIT ? "2MSL" : "FIN_WAIT_2 timer";

	duration_text(r->timer_len, len, sizeof len);
	if (r->restarted && r->timer_cause && r->timer_arc)
		snprintf(buf, cap, "%s %s restarted: %s (%s)", LADDER_TIMER_MARK, name, r->timer_cause, r->timer_arc);
	else if (r->restarted && r->timer_cause)
		snprintf(buf, cap, "%s %s restarted: %s", LADDER_TIMER_MARK, name, r->timer_cause);
	else
		snprintf(buf, cap, "%s %s %s (%s)", LADDER_TIMER_MARK, name, r->restarted ? "restarted" : "started",
			 len);
}

/* See ladder.h. */
void ladder_resend_text(const struct ladder_row *r, char *buf, size_t cap)
{
	switch (r->resend) {
	case RESEND_NONE:
		buf[0] = '\0';
		break;
	case RESEND_RTO:
		snprintf(buf, cap, "RTO %u", r->resend_n);
		break;
	case RESEND_SYN:
		snprintf(buf, cap, "SYN retry %u", r->resend_n);
		break;
	case RESEND_SYN_ACK:
		snprintf(buf, cap, "SYN+ACK retry %u", r->resend_n);
		break;
	case RESEND_OTHER:
		snprintf(buf, cap, "retransmission");
		break;
	}
}

/* See ladder.h: the state diagram's badge of step n. */
void ladder_step_badge(unsigned n, char *buf, size_t cap)
{
	/* ❶..❿ are U+2776..277F, ⓫..⓴ U+24EB..24F4 (three UTF-8 bytes each). */
	unsigned cp = n >= 1 && n <= 10 ? 0x2775 + n : n <= 20 ? 0x24EA + (n - 10) : 0;

	if (n == 0)
		buf[0] = '\0';
	else if (cp)
		snprintf(buf, cap, "%c%c%c", (char)(0xE0 | cp >> 12), (char)(0x80 | ((cp >> 6) & 0x3F)),
			 (char)(0x80 | (cp & 0x3F)));
	else
		snprintf(buf, cap, "(%u)", n);
}

/* What a side's state column holds on row r ("" for nothing). */
void ladder_state_cell(const struct ladder_row *r, int side, char *buf, size_t cap)
{
	char cause[LABEL_MAX], badge[16] = "";

	buf[0] = '\0';
	if (r->kind == LADDER_ROW_INITIAL) {
		snprintf(buf, cap, "%s", tcp_state_name(r->state[side]));
	} else if (r->kind == LADDER_ROW_STATE && r->side == side) {
		cause_text(r, cause, sizeof cause);
		ladder_step_badge(r->step, badge, sizeof badge);
		snprintf(buf, cap, "%s%s%s%s%s%s", badge, badge[0] ? " " : "", tcp_state_name(r->state[side]),
			 cause[0] ? " (" : "", cause, cause[0] ? ")" : "");
	} else if (r->kind == LADDER_ROW_TIMER && r->side == side) {
		ladder_timer_text(r, buf, cap);
	} else if (r->kind == LADDER_ROW_SEGMENT && r->side == side && r->forged) {
		snprintf(buf, cap, "(forged)");
	} else if (r->kind == LADDER_ROW_SEGMENT && r->side == side && r->resend) {
		ladder_resend_text(r, cause, sizeof cause);
		snprintf(buf, cap, "(%s)", cause);
	} else if (r->kind == LADDER_ROW_SEGMENT && r->side != side && r->drop_reason) {
		snprintf(buf, cap, "(%s)", r->drop_reason);
	}
}

/* A segment in short words: its flags joined by '+' (SYN, SYN+ACK, FIN+ACK,
 * RST, ACK), or "data A-B" for the bytes it carries (first and last, in
 * the ladder's numbering), "+FIN" after them when it ends the stream. */
static void short_words(const struct seg_line *l, char *buf, size_t cap)
{
	static const struct { uint8_t bit; const char *name; } words[] = {
		{ TH_SYN, "SYN" }, { TH_FIN, "FIN" }, { TH_RST, "RST" }, { TH_ACK, "ACK" },
	};
	size_t len = 0;

	buf[0] = '\0';
	if (l->len > 0) {
		len = (size_t)snprintf(buf, cap, "data %" PRIu32 "-%" PRIu32, l->seq, l->seq + l->len - 1);
		if ((l->flags & TH_FIN) && len < cap)
			len += (size_t)snprintf(buf + len, cap - len, "+FIN");
		return;
	}
	for (size_t i = 0; i < sizeof words / sizeof words[0] && len < cap; i++)
		if (l->flags & words[i].bit)
			len += (size_t)snprintf(buf + len, cap - len, "%s%s", len ? "+" : "", words[i].name);
	if (len == 0)
		snprintf(buf, cap, "no flags");
}

/* The segment in the log's label style, with "SRC > DST " in tcpdump's. */
static void segment_label(const struct ladder *lad, const struct ladder_row *r, char *buf, size_t cap)
{
	if (lad->log->labels == TRACE_LABELS_SHORT)
		short_words(&r->line, buf, cap);
	else
		seg_line_format(&r->line, buf, cap);
}

/* See ladder.h. */
void ladder_segment_words(const struct ladder *lad, const struct ladder_row *r, char *buf, size_t cap)
{
	char label[LABEL_MAX];

	if (lad->log->labels == TRACE_LABELS_SHORT) {
		short_words(&r->line, buf, cap);
		return;
	}
	seg_line_format(&r->line, label, sizeof label);
	snprintf(buf, cap, "%s", ladder_without_endpoints(r, label));
}

/* See ladder.h. */
void ladder_arrow_label(const struct ladder *lad, const struct ladder_row *r, bool duplicated, char *buf,
			size_t cap)
{
	char resend[64], words[LABEL_MAX];
	size_t len = 0;

	buf[0] = '\0';
	ladder_resend_text(r, resend, sizeof resend);
	ladder_segment_words(lad, r, words, sizeof words);
	if (resend[0])
		len = (size_t)snprintf(buf, cap, "%s %s  ", STYLE_RETRANSMIT_MARK, resend);
	if (len < cap)
		len += (size_t)snprintf(buf + len, cap - len, "%s", words);
	if (r->forged && len < cap)
		len += (size_t)snprintf(buf + len, cap - len, "  %s forged", STYLE_FORGED_MARK);
	if (duplicated && len < cap)
		snprintf(buf + len, cap - len, "  %s duplicated", STYLE_DUPLICATE_MARK);
}

/* How many characters the UTF-8 text s shows (a terminal's columns: the
 * badges and marks are one each). */
static size_t shown_len(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* Widths of the columns: the two state columns, and the longest segment
 * label (without its arrow). */
struct widths {
	size_t state[2];
	size_t label;
};

/* The widths every row fits in. */
static void measure(const struct ladder *lad, struct widths *w)
{
	char buf[LABEL_MAX];

	w->state[LEFT] = w->state[RIGHT] = STATE_MIN_WIDTH;
	w->label = 0;
	for (size_t k = 0; k < lad->n_rows; k++) {
		const struct ladder_row *r = &lad->rows[k];
		for (int s = LEFT; s <= RIGHT; s++) {
			ladder_state_cell(r, s, buf, sizeof buf);
			if (shown_len(buf) > w->state[s])
				w->state[s] = shown_len(buf);
		}
		if (r->kind == LADDER_ROW_SEGMENT) {
			segment_label(lad, r, buf, sizeof buf);
			if (shown_len(buf) > w->label)
				w->label = shown_len(buf);
		}
	}
	if (strlen(ladder_side_name(lad, LEFT)) > w->state[LEFT])
		w->state[LEFT] = strlen(ladder_side_name(lad, LEFT));
}

/* Appends n copies of the UTF-8 string s to buf (of cap bytes, holding len). */
static size_t append_repeat(char *buf, size_t cap, size_t len, const char *s, size_t n)
{
	size_t sl = strlen(s);

	for (size_t i = 0; i < n && len + sl < cap; i++, len += sl)
		memcpy(buf + len, s, sl);
	buf[len] = '\0';
	return len;
}

/* The middle column of a segment row, `cols` columns wide: the label and an
 * arrow stretched to reach the receiver's column ("label ───▶", "◀─── label"),
 * with a cross instead of the head when the link dropped it. */
static void text_arrow(const struct ladder *lad, const struct ladder_row *r, size_t cols, char *buf, size_t cap)
{
	char label[LABEL_MAX];
	const char *head;
	size_t len, shaft;

	segment_label(lad, r, label, sizeof label);
	shaft = cols > shown_len(label) + 2 ? cols - shown_len(label) - 2 : 0;
	if (r->side == LEFT) {
		head = r->line.dropped ? "✕" : "▶";
		len = (size_t)snprintf(buf, cap, "%s ", label);
		len = append_repeat(buf, cap, len, "─", shaft);
		append_repeat(buf, cap, len, head, 1);
	} else {
		head = r->line.dropped ? "✕" : "◀";
		len = append_repeat(buf, cap, 0, head, 1);
		len = append_repeat(buf, cap, len, "─", shaft);
		snprintf(buf + len, cap - len, " %s", label);
	}
}

/* One text line: the time right-aligned in tw columns, then the cells, each
 * padded to its width, two spaces apart, nothing after the last non-empty one.
 * cols[i] is the width cells[i] takes on screen. */
static void text_line(FILE *out, const char *time, int tw, const char *cells[3], const size_t cols[3],
		      const size_t width[3])
{
	int last = -1;

	for (int i = 0; i < 3; i++)
		if (cells[i][0])
			last = i;
	fprintf(out, "%*s", tw, time);
	for (int i = 0; i <= last; i++) {
		fprintf(out, "  %s", cells[i]);
		if (i < last && width[i] > cols[i])
			fprintf(out, "%*s", (int)(width[i] - cols[i]), "");
	}
	fputc('\n', out);
}

/* Writes row r as a text line. */
static void text_row(FILE *out, const struct ladder *lad, const struct ladder_row *r, int tw,
		     const size_t width[3])
{
	char time[32], left[LABEL_MAX], right[LABEL_MAX], middle[MIDDLE_MAX] = "";
	const char *cells[3] = { left, middle, right };
	size_t cols[3];

	time_format(r->t, time);
	ladder_state_cell(r, LEFT, left, sizeof left);
	ladder_state_cell(r, RIGHT, right, sizeof right);
	if (r->kind == LADDER_ROW_SEGMENT)
		text_arrow(lad, r, width[1], middle, sizeof middle);
	cols[0] = shown_len(left);
	cols[1] = r->kind == LADDER_ROW_SEGMENT ? width[1] : 0;
	cols[2] = shown_len(right);
	text_line(out, time, tw, cells, cols, width);
}

/* The title line: the scenario's name and its summary, when the log has them. */
static void text_title(FILE *out, const struct trace_log *log)
{
	if (log->name && log->summary)
		fprintf(out, "%s — %s\n\n", log->name, log->summary);
	else if (log->name || log->summary)
		fprintf(out, "%s\n\n", log->name ? log->name : log->summary);
}

/* The closing line when endpoints were left out of the two-party view. */
static void left_out_line(FILE *out, const struct ladder *lad)
{
	if (lad->left_out)
		fprintf(out, "(%zu other endpoint%s not shown)\n", lad->left_out,
			lad->left_out == 1 ? "" : "s");
}

/* Title, header, one line per row, the left-out count. Returns 0, or -1 when
 * out of memory, the log is incomplete or a write failed. */
int ladder_write_text(FILE *out, const struct trace_log *log)
{
	struct ladder lad;
	struct widths w;
	size_t width[3];
	const char *head[3];
	size_t head_cols[3];

	if (ladder_build(&lad, log) < 0) {
		ladder_free(&lad);
		return -1;
	}
	measure(&lad, &w);
	width[0] = w.state[LEFT];
	width[1] = w.label + 4;     /* " ──▶" after the longest label */
	if (width[1] < strlen("segment"))
		width[1] = strlen("segment");
	width[2] = w.state[RIGHT];
	head[0] = ladder_side_name(&lad, LEFT);
	head[1] = "segment";
	head[2] = ladder_side_name(&lad, RIGHT);
	for (int i = 0; i < 3; i++)
		head_cols[i] = strlen(head[i]);
	/* The time column: 8 wide ("   0.050"), wider for the long times of
	 * a run past ten seconds with microseconds ("20.001100"). */
	int tw = 8;
	for (size_t k = 0; k < lad.n_rows; k++) {
		char t[32];
		time_format(lad.rows[k].t, t);
		if ((int)strlen(t) > tw)
			tw = (int)strlen(t);
	}
	text_title(out, log);
	text_line(out, "time", tw, head, head_cols, width);
	for (size_t k = 0; k < lad.n_rows; k++)
		text_row(out, &lad, &lad.rows[k], tw, width);
	left_out_line(out, &lad);
	ladder_free(&lad);
	return ferror(out) ? -1 : 0;
}

/* True for the characters markdown may take as markup in a table cell. */
static bool md_special(char c)
{
	return c && strchr("\\`*[]<>|&~", c) != NULL;
}

/* ASCII letters and digits, whatever the locale. */
static bool is_alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Writes s as markdown text: specials escaped; an underscore only when it is
 * not inside a word (SYN_SENT stays readable in the source and cannot start
 * emphasis there). */
static void md_text(FILE *out, const char *s)
{
	for (const char *p = s; *p; p++) {
		bool inner = p > s && is_alnum(p[-1]) && is_alnum(p[1]);
		if (md_special(*p) || (*p == '_' && !inner))
			fputc('\\', out);
		fputc(*p, out);
	}
}

/* Writes s as a code span that markdown renders verbatim (a fence longer than
 * any run of backticks inside; '|' escaped, which a table needs even in code). */
static void md_code(FILE *out, const char *s)
{
	size_t run = 0, longest = 0;
	bool pad;

	for (const char *p = s; *p; p++) {
		run = *p == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	pad = s[0] == '`' || (s[0] && s[strlen(s) - 1] == '`');
	for (size_t i = 0; i <= longest; i++)
		fputc('`', out);
	if (pad)
		fputc(' ', out);
	for (const char *p = s; *p; p++) {
		if (*p == '|')
			fputc('\\', out);
		fputc(*p, out);
	}
	if (pad)
		fputc(' ', out);
	for (size_t i = 0; i <= longest; i++)
		fputc('`', out);
}

/* The label without "SRC > DST ": the arrow already says who sends. */
const char *ladder_without_endpoints(const struct ladder_row *r, const char *label)
{
	size_t ls = strlen(r->line.src), ld = strlen(r->line.dst);

	if (strncmp(label, r->line.src, ls) == 0 && strncmp(label + ls, " > ", 3) == 0 &&
	    strncmp(label + ls + 3, r->line.dst, ld) == 0 && label[ls + 3 + ld] == ' ')
		return label + ls + 3 + ld + 1;
	return label;
}

/* The segment cell: `S 0:0(0) ...` ──▶ or ◀── `S. 0:0(0) ...`, a cross for
 * a drop. */
static void md_arrow(FILE *out, const struct ladder *lad, const struct ladder_row *r)
{
	char text[LABEL_MAX];

	ladder_segment_words(lad, r, text, sizeof text);
	if (r->side == LEFT) {
		md_code(out, text);
		fputs(r->line.dropped ? " ──✕" : " ──▶", out);
	} else {
		fputs(r->line.dropped ? "✕── " : "◀── ", out);
		md_code(out, text);
	}
}

/* Writes row r as a table row. */
static void md_row(FILE *out, const struct ladder *lad, const struct ladder_row *r)
{
	char time[32], cell[LABEL_MAX];

	time_format(r->t, time);
	fprintf(out, "| %s | ", time);
	ladder_state_cell(r, LEFT, cell, sizeof cell);
	md_text(out, cell);
	fputs(" | ", out);
	if (r->kind == LADDER_ROW_SEGMENT)
		md_arrow(out, lad, r);
	fputs(" | ", out);
	ladder_state_cell(r, RIGHT, cell, sizeof cell);
	md_text(out, cell);
	fputs(" |\n", out);
}

/* The title: the name in bold and the summary, as a paragraph. */
static void md_title(FILE *out, const struct trace_log *log)
{
	if (!log->name && !log->summary)
		return;
	if (log->name) {
		fputs("**", out);
		md_text(out, log->name);
		fputs("**", out);
	}
	if (log->name && log->summary)
		fputs(" — ", out);
	if (log->summary)
		md_text(out, log->summary);
	fputs("\n\n", out);
}

/* Title paragraph, then the table. Returns as ladder_write_text. */
int ladder_write_markdown(FILE *out, const struct trace_log *log)
{
	struct ladder lad;

	if (ladder_build(&lad, log) < 0) {
		ladder_free(&lad);
		return -1;
	}
	md_title(out, log);
	fputs("| time | ", out);
	md_text(out, ladder_side_name(&lad, LEFT));
	fputs(" | segment | ", out);
	md_text(out, ladder_side_name(&lad, RIGHT));
	fputs(" |\n|---:|---|:---:|---|\n", out);
	for (size_t k = 0; k < lad.n_rows; k++)
		md_row(out, &lad, &lad.rows[k]);
	if (lad.left_out) {
		fputc('\n', out);
		left_out_line(out, &lad);
	}
	ladder_free(&lad);
	return ferror(out) ? -1 : 0;
}
