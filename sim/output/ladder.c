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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "output/ladder.h"

#define LABEL_MAX 256
#define MIDDLE_MAX 2048
#define STATE_MIN_WIDTH 13

enum side { LEFT = LADDER_LEFT, RIGHT = LADDER_RIGHT };

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
			ladder_segment_label(lad, r, buf, sizeof buf);
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

	ladder_segment_label(lad, r, label, sizeof label);
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

/* ---- the scenario's notes (`note:`) -------------------------------------
 * The writers print them between the rows, from the log itself: each
 * note before the first row whose event comes after it in the log (a note
 * is emitted before its instant's events), those after the last row at the
 * end. Every note of the log is printed, whoever it is of: it tells the
 * scenario's story. */

/* The index of the first note in the log at or after `from` and before
 * `before`, or SIZE_MAX when there is none. */
static size_t next_note(const struct trace_log *log, size_t from, size_t before)
{
	for (size_t i = from; i < before && i < log->n; i++)
		if (log->ev[i].type == TRACE_NOTE && log->ev[i].u.note.text)
			return i;
	return SIZE_MAX;
}

/* A note as a text line: the time, the state columns empty, the text in
 * the middle between dotted rules, centred on the segment column (longer
 * text runs past it). */
static void text_note_row(FILE *out, const struct trace_event *ev, int tw, const size_t width[3])
{
	char time[32];
	size_t cols = shown_len(ev->u.note.text) + 6, pad = width[1] > cols ? (width[1] - cols) / 2 : 0;

	time_format(ev->t_us, time);
	fprintf(out, "%*s  %*s  %*s┄┄ %s ┄┄\n", tw, time, (int)width[0], "", (int)pad, "", ev->u.note.text);
}

/* Prints the notes of the log before event index `before` not yet printed
 * (*cursor: where the last search stopped). */
static void text_notes_before(FILE *out, const struct trace_log *log, size_t *cursor, size_t before, int tw,
			      const size_t width[3])
{
	for (size_t i; (i = next_note(log, *cursor, before)) != SIZE_MAX; *cursor = i + 1)
		text_note_row(out, &log->ev[i], tw, width);
	if (*cursor < before)
		*cursor = before;
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
	size_t note_cursor = 0;
	for (size_t k = 0; k < lad.n_rows; k++) {
		if (lad.rows[k].kind != LADDER_ROW_INITIAL)
			text_notes_before(out, log, &note_cursor, lad.rows[k].ev, tw, width);
		text_row(out, &lad, &lad.rows[k], tw, width);
	}
	text_notes_before(out, log, &note_cursor, log->n, tw, width);
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

/* A note as a table row: the time, the text in italics in the segment
 * column (plain when it starts or ends with a space, which emphasis does
 * not take). */
static void md_note_row(FILE *out, const struct trace_event *ev)
{
	char time[32];
	const char *text = ev->u.note.text;
	bool italic = text[0] != ' ' && text[strlen(text) - 1] != ' ';

	time_format(ev->t_us, time);
	fprintf(out, "| %s |  | %s", time, italic ? "*" : "");
	md_text(out, text);
	fprintf(out, "%s |  |\n", italic ? "*" : "");
}

/* md_note_row for the notes before event index `before` (as
 * text_notes_before). */
static void md_notes_before(FILE *out, const struct trace_log *log, size_t *cursor, size_t before)
{
	for (size_t i; (i = next_note(log, *cursor, before)) != SIZE_MAX; *cursor = i + 1)
		md_note_row(out, &log->ev[i]);
	if (*cursor < before)
		*cursor = before;
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

/* Title paragraph, then the table, then a blank line: whatever is printed
 * next (the run's summary line) is a paragraph of its own, not one more
 * row of the table, as a GitHub-flavoured renderer would take a line
 * right under it. Returns as ladder_write_text. */
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
	size_t note_cursor = 0;
	for (size_t k = 0; k < lad.n_rows; k++) {
		if (lad.rows[k].kind != LADDER_ROW_INITIAL)
			md_notes_before(out, log, &note_cursor, lad.rows[k].ev);
		md_row(out, &lad, &lad.rows[k]);
	}
	md_notes_before(out, log, &note_cursor, log->n);
	if (lad.left_out) {
		fputc('\n', out);
		left_out_line(out, &lad);
	}
	fputc('\n', out);
	ladder_free(&lad);
	return ferror(out) ? -1 : 0;
}
