/* ladder_words.c - the words of the ladders (ladder.h): a state with its
 * step badge and cause, a timer's row, why a segment was sent again, what it
 * carries, the segment in tcpdump's notation or in short words, and the
 * picture's label with its marks (style.h). The text, the markdown and the
 * picture ladders all write these. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "proto/arcs.h"
#include "output/ladder.h"
#include "output/style.h"

#define LABEL_MAX 256

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
 * zero is not a 2MSL timeout, an unusual change names its RFC row, and the
 * picture leaves out what its arrows show (ladder_for_picture). */
static void cause_text(const struct ladder_row *r, char *buf, size_t cap)
{
	const char *cause = r->cause && *r->cause ? r->cause : NULL;
	bool no_tw = r->timer_fired && r->time_wait == 0 && cause && strcmp(cause, "timeout 2MSL") == 0;
	bool arc = !usual_arc(r->arc);

	buf[0] = '\0';
	if (no_tw)
		cause = "time_wait 0";
	if (r->picture && cause && strncmp(cause, "rcv ", 4) == 0)
		cause = NULL;                /* the arrow that ends there */
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
	const char *name = r->timer == TIMER_TIME_WAIT ? "2MSL" :
			   r->timer == TIMER_DELACK ? "delayed-ACK timer" : "FIN_WAIT_2 timer";

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
	resend_words(r->resend, r->resend_n, buf, cap);
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

/* See ladder.h. */
void ladder_payload_text(const struct ladder_row *r, char *buf, size_t cap)
{
	size_t len = 0;

	buf[0] = '\0';
	if (!r->payload || cap < 8)
		return;
	buf[len++] = '"';
	for (uint32_t i = 0; i < r->payload_len && len + 6 < cap; i++) {
		uint8_t c = r->payload[i];
		const char *esc = c == '\r' ? "\\r" : c == '\n' ? "\\n" : c == '\t' ? "\\t" :
				  c == '"' ? "\\\"" : c == '\\' ? "\\\\" : NULL;
		if (esc)
			len += (size_t)snprintf(buf + len, cap - len, "%s", esc);
		else if (c >= 0x20 && c < 0x7f)
			buf[len++] = (char)c;
		else
			len += (size_t)snprintf(buf + len, cap - len, "\\x%02x", c);
	}
	if (len + 5 < cap) {
		buf[len++] = '"';
		if (r->line.len > r->payload_len)
			len += (size_t)snprintf(buf + len, cap - len, "\u2026");
	}
	buf[len < cap ? len : cap - 1] = '\0';
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
	} else if (r->kind == LADDER_ROW_SEGMENT && r->side == side && r->delayed_ack && !r->resend && !r->forged) {
		snprintf(buf, cap, "%s delayed ACK", LADDER_TIMER_MARK);
	} else if (r->kind == LADDER_ROW_SEGMENT && r->side == side && (r->forged || r->resend || r->payload)) {
		char payload[64];
		ladder_resend_text(r, cause, sizeof cause);
		ladder_payload_text(r, payload, sizeof payload);
		snprintf(buf, cap, "%s%s%s%s%s", r->forged ? "(forged)" : "", r->resend ? "(" : "", cause,
			 r->resend ? ")" : "", payload[0] && (r->forged || r->resend) ? " " : "");
		snprintf(buf + strlen(buf), cap - strlen(buf), "%s", payload);
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

/* See ladder.h. */
void ladder_segment_label(const struct ladder *lad, const struct ladder_row *r, char *buf, size_t cap)
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
void ladder_picture_words(const struct ladder *lad, const struct ladder_row *r, char *buf, size_t cap)
{
	struct ladder_row quiet = *r;

	quiet.line.dropped = false;
	ladder_segment_words(lad, &quiet, buf, cap);
}

/* See ladder.h. */
void ladder_arrow_label(const struct ladder *lad, const struct ladder_row *r, bool duplicated, bool with_payload,
			char *buf, size_t cap)
{
	char resend[64], words[LABEL_MAX];
	size_t len = 0;

	buf[0] = '\0';
	ladder_resend_text(r, resend, sizeof resend);
	ladder_picture_words(lad, r, words, sizeof words);
	if (resend[0])
		len = (size_t)snprintf(buf, cap, "%s ", STYLE_RETRANSMIT_MARK);
	if (len < cap)
		len += (size_t)snprintf(buf + len, cap - len, "%s", words);
	char payload[64];
	payload[0] = '\0';
	if (with_payload)
		ladder_payload_text(r, payload, sizeof payload);
	if (payload[0] && len < cap)
		len += (size_t)snprintf(buf + len, cap - len, " %s", payload);
	if (r->line.dropped && len < cap)
		len += (size_t)snprintf(buf + len, cap - len, "  %s", STYLE_DROP_MARK);
	if (r->forged && with_payload && len < cap)
		len += (size_t)snprintf(buf + len, cap - len, "  %s forged", STYLE_FORGED_MARK);
	if (duplicated && with_payload && len < cap)
		snprintf(buf + len, cap - len, "  %s duplicated", STYLE_DUPLICATE_MARK);
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
