/* ladder_rows.c - the two-party rows the ladders share (ladder.h), read
 * from the trace in order, each with the story the trace tells of it: the
 * step number, the timer behind it, a resend and why, what a `data:` send
 * carries (see ladder.c for what the ladders make of them). */
#include <stdlib.h>
#include <string.h>
#include "proto/payload.h"
#include "output/ladder.h"

enum side { LEFT = LADDER_LEFT, RIGHT = LADDER_RIGHT };

int ladder_side_of(const struct ladder *lad, int i)
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
	const char *arc_cause, *arc; /* the last response row (TRACE_ARC) ... */
	usec_t arc_t;                /* ... and its time */
	struct resend_state resends; /* what it has sent: output/resend.h */
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
 * lecture speaks of (TIME_WAIT's 2MSL started or restarted, FIN_WAIT_2's,
 * the linux profile's delayed ACK: its ACK's row says it, add_segment_row).
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
			if (k == TIMER_RTO)
				resend_rto_fired(&st->resends);
			else if (k == TIMER_TLP)
				resend_tlp_fired(&st->resends);
		}
		return;
	}
	st->timer_on[k] = true;
	usec_t len = ev->u.timer.due > ev->t_us ? ev->u.timer.due - ev->t_us : 0;
	if (k == TIMER_TIME_WAIT)
		st->time_wait = len;
	if ((k != TIMER_TIME_WAIT && k != TIMER_FIN_WAIT_2 && k != TIMER_DELACK) || len == 0)
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

/* Whether the first n bytes of a segment's payload are the pattern a
 * `bytes: N` send fills the stream with (proto/payload.h) at their stream
 * offset: then they say nothing. */
static bool is_pattern(const uint8_t *p, uint32_t n, uint64_t offset)
{
	for (uint32_t i = 0; i < n; i++)
		if (p[i] != payload_pattern_byte(offset + i))
			return false;
	return true;
}

/* Whether n bytes read as text (printable ASCII, tabs and line ends): what
 * a `data:` send in a lecture's scenario carries ("GET / HTTP/1.0\r\n"). */
static bool is_text(const uint8_t *p, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if ((p[i] < 0x20 || p[i] >= 0x7f) && p[i] != '\r' && p[i] != '\n' && p[i] != '\t')
			return false;
	return true;
}

/* A segment sent from one shown side to the other; what it carries kept
 * when it is text and not the `bytes:` pattern. */
static void add_segment_row(struct ladder *lad, struct side_story *st, const struct trace_event *ev,
			    const struct seg_line *line, int s)
{
	struct ladder_row *r = new_row(lad, ev, LADDER_ROW_SEGMENT, s);
	const struct segment *seg = &ev->u.segment.seg;

	r->forged = ev->u.segment.forged;
	r->line = *line;
	r->line.has_time = false;
	r->resend = resend_classify(&st->resends, ev, &r->resend_n);
	if (st->fired && st->fired_kind == TIMER_DELACK && st->fired_t == ev->t_us) {
		r->delayed_ack = true;       /* the ACK the delayed-ACK timer sent */
		st->fired = false;
	}
	if (seg->data && seg->len > 0) {
		uint32_t n = seg->len < TRACE_LOG_PAYLOAD_MAX ? seg->len : TRACE_LOG_PAYLOAD_MAX;
		uint32_t offset = seg->seq - st->resends.syn_seq - 1;   /* the stream's offset of the first byte */
		if (is_text(seg->data, n) && !is_pattern(seg->data, n, offset)) {
			r->payload = seg->data;
			r->payload_len = n;
		}
	}
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
	/* A connection born of a listener: the listener's OPEN is its path's
	 * first step, as the state diagram numbers it. */
	for (int s = 0; s < 2; s++)
		if (trace_log_listener_open(log, lad->ep[s], lad->ep[1 - s]) != SIZE_MAX)
			story[s].steps = 1;
	add_initial_row(lad);
	for (size_t k = 0; k < log->n; k++) {
		const struct trace_event *ev = &log->ev[k];
		int s = ladder_side_of(lad, ev->endpoint);
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
			s = ladder_side_of(lad, ev->u.segment.src);
			if (s < 0 || ladder_side_of(lad, ev->u.segment.dst) != 1 - s)
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

/* See ladder.h. */
void ladder_for_picture(struct ladder *lad)
{
	for (size_t k = 0; k < lad->n_rows; k++)
		lad->rows[k].picture = true;
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
