/* graph_ladder_words.c - the ladder picture's words, measured: a label's
 * width in the monospace font, the lines under an outside label, a note
 * wrapped, an idle gap's length, a resend's tag (see graph_ladder.c). */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "output/graph_ladder_int.h"

/* How many characters the UTF-8 text s shows. */
static size_t text_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* The width of a label box holding s in the monospace font. */
double text_width(const char *s)
{
	return (double)text_chars(s) * CHAR_PT + 2 * LABEL_PAD_PT;
}

/* See graph_ladder_int.h. */
void resend_tag(const struct arrow *a, char *buf, size_t cap)
{
	char why[64];

	buf[0] = '\0';
	if (!a->row->resend)
		return;
	ladder_resend_text(a->row, why, sizeof why);
	snprintf(buf, cap, "%s %s", STYLE_RETRANSMIT_MARK, why);
}

/* See graph_ladder_int.h. */
void label_below(const struct arrow *a, char *buf, size_t cap)
{
	char payload[80];
	size_t len = 0;

	ladder_payload_text(a->row, payload, sizeof payload);
	buf[0] = '\0';
	if (payload[0])
		len += (size_t)snprintf(buf, cap, "%s", payload);
	if (a->row->forged && len < cap)
		len += (size_t)snprintf(buf + len, cap - len, "%s%s forged", len ? "  " : "", STYLE_FORGED_MARK);
	if (a->duplicated && len < cap)
		snprintf(buf + len, cap - len, "%s%s duplicated", len ? "  " : "", STYLE_DUPLICATE_MARK);
}

/* See graph_ladder_int.h. */
void wrap(const char *text, size_t cols, char *out, size_t cap)
{
	size_t len = 0, line = 0;
	const char *p = text;

	while (*p == ' ')
		p++;
	while (*p) {
		size_t word = strcspn(p, " ");
		if (len + word + 2 >= cap)
			break;
		if (line)
			out[len++] = line + 1 + word > cols ? '\n' : ' ';
		line = line && out[len - 1] == ' ' ? line + 1 + word : word;
		memcpy(out + len, p, word);
		len += word;
		p += word;
		while (*p == ' ')
			p++;
	}
	out[len] = '\0';
}

/* See graph_ladder_int.h. */
int wrapped_lines(const char *text, size_t cols)
{
	char buf[TEXT_MAX];
	int n = 1;

	wrap(text, cols, buf, sizeof buf);
	for (const char *p = buf; (p = strchr(p, '\n')); p++)
		n++;
	return n;
}

/* See graph_ladder_int.h. */
int note_text(const struct trace_event *ev, char *buf, size_t cap)
{
	char text[TEXT_MAX];
	int n = 1;

	snprintf(text, sizeof text, "\u270E %s", ev->u.note.text ? ev->u.note.text : "");
	wrap(text, NOTE_COLS, buf, cap);
	for (const char *p = buf; (p = strchr(p, '\n')); p++)
		n++;
	return n;
}

/* See graph_ladder_int.h. */
double note_width(const struct trace_event *ev)
{
	char lines[TEXT_MAX], line[TEXT_MAX];
	double w = 0;

	note_text(ev, lines, sizeof lines);
	for (const char *p = lines; *p;) {
		size_t len = strcspn(p, "\n");
		snprintf(line, sizeof line, "%.*s", (int)len, p);
		w = fmax(w, text_width(line));
		p += len + (p[len] == '\n');
	}
	return w;
}

/* See graph_ladder_int.h. */
void idle_text(usec_t dt, char *buf, size_t cap)
{
	uint64_t ms = (dt + 500) / 1000;

	if (dt >= 100 * USEC_PER_SEC)
		snprintf(buf, cap, "≈ %" PRIu64 " s\nidle", (ms + 500) / 1000);
	else if (dt >= USEC_PER_SEC)
		snprintf(buf, cap, "≈ %" PRIu64 ".%" PRIu64 " s\nidle", (ms + 50) / 1000, (ms + 50) / 100 % 10);
	else
		snprintf(buf, cap, "≈ %" PRIu64 " ms\nidle", ms);
}
