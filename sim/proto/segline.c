/* segline.c - the segment-line notation:
 *
 *   [TIME] SRC > DST FLAGS SEQ:END(LEN) [ack N] [win N] [<options>] [dropped]
 *
 * Tokens are separated by any whitespace. After FLAGS, SEQ:END(LEN) comes
 * first when given; ack, win, the option list and dropped may follow in any
 * order, each at most once. The only option is <mss N>. */
#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "base/duration.h"
#include "proto/segline.h"
#include "proto/segment.h"

#define TOKEN_MAX 64

/* The parse position and where errors go. */
struct seg_parser {
	const char *text;
	size_t pos;            /* next byte to read */
	size_t tok_start;      /* offset of the last token read */
	char tok[TOKEN_MAX];   /* the last token read, cut at TOKEN_MAX-1 bytes */
	size_t tok_len;        /* its full length */
	int *err_col;
	char *err;
	size_t errlen;
};

/* Records an error at offset col; always returns -1. */
static int seg_fail(struct seg_parser *p, size_t col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int seg_fail(struct seg_parser *p, size_t col, const char *fmt, ...)
{
	va_list ap;

	if (p->err_col)
		*p->err_col = (int)col;
	if (p->err && p->errlen) {
		va_start(ap, fmt);
		vsnprintf(p->err, p->errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* Moves past whitespace. */
static void skip_space(struct seg_parser *p)
{
	while (p->text[p->pos] && isspace((unsigned char)p->text[p->pos]))
		p->pos++;
}

/* Reads the next whitespace-delimited token into p->tok; 0 at the end. */
static int next_token(struct seg_parser *p)
{
	size_t n = 0;

	skip_space(p);
	p->tok_start = p->pos;
	while (p->text[p->pos] && !isspace((unsigned char)p->text[p->pos])) {
		if (n < TOKEN_MAX - 1)
			p->tok[n++] = p->text[p->pos];
		p->pos++;
	}
	p->tok[n] = '\0';
	p->tok_len = p->pos - p->tok_start;
	return p->tok_len > 0;
}

/* Looks at the next token without consuming it: its first byte, or 0. */
static char peek_char(struct seg_parser *p)
{
	skip_space(p);
	return p->text[p->pos];
}

/* Reads an unsigned 32-bit decimal number of exactly the bytes [s, s+n). */
static int parse_u32_span(const char *s, size_t n, uint32_t *out)
{
	uint64_t v = 0;

	if (n == 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
		if (v > UINT32_MAX)
			return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

/* A relative number, [s, s+n): unsigned, or "-N" (0 < N <= 2^31), an
 * offset before the ISN, kept modulo 2^32 with *before set. */
static int parse_offset_span(const char *s, size_t n, uint32_t *out, bool *before)
{
	uint32_t v;

	*before = false;
	if (n == 0 || s[0] != '-')
		return parse_u32_span(s, n, out);
	if (parse_u32_span(s + 1, n - 1, &v) < 0 || v == 0 || v > 0x80000000u)
		return -1;
	*out = 0u - v;
	*before = true;
	return 0;
}

/* "1.050" or "+0.050": seconds with at most six decimals. */
static int parse_time(struct seg_parser *p, struct seg_line *out)
{
	const char *s = p->tok;
	char buf[TOKEN_MAX + 2];

	out->time_relative = *s == '+';
	if (out->time_relative)
		s++;
	/* Seconds are a duration with the unit "s", which also rules out a
	 * fraction below one microsecond. */
	snprintf(buf, sizeof(buf), "%ss", s);
	if (p->tok_len >= TOKEN_MAX - 1 || (*s < '0' || *s > '9') ||
	    duration_parse(buf, &out->time_us) < 0)
		return seg_fail(p, p->tok_start,
				"bad time '%s': expected seconds such as 1.050 or +0.050", p->tok);
	out->has_time = true;
	return 0;
}

/* An endpoint name: a letter, then letters, digits, '_' or '#'. */
static int parse_name(struct seg_parser *p, const char *what, char out[SEGLINE_NAME_MAX])
{
	bool ok = p->tok_len > 0 && p->tok_len < SEGLINE_NAME_MAX &&
		  isalpha((unsigned char)p->tok[0]);

	for (size_t i = 0; ok && i < p->tok_len; i++) {
		unsigned char c = (unsigned char)p->tok[i];
		ok = isalnum(c) || c == '_' || c == '#';
	}
	if (!p->tok_len)
		return seg_fail(p, p->tok_start, "missing %s endpoint name", what);
	if (!ok)
		return seg_fail(p, p->tok_start, "bad %s endpoint name '%s'", what, p->tok);
	memcpy(out, p->tok, p->tok_len + 1);
	return 0;
}

/* SEQ:END(LEN), where END - SEQ must equal LEN (modulo 2^32). */
static int parse_seq_range(struct seg_parser *p, struct seg_line *out)
{
	const char *t = p->tok, *colon = strchr(t, ':'), *open = strchr(t, '(');
	size_t n = p->tok_len;

	bool end_before;

	if (n >= TOKEN_MAX - 1 || !colon || !open || open < colon || t[n - 1] != ')' ||
	    parse_offset_span(t, (size_t)(colon - t), &out->seq, &out->seq_before) < 0 ||
	    parse_offset_span(colon + 1, (size_t)(open - colon - 1), &out->end, &end_before) < 0 ||
	    (end_before && !out->seq_before) ||
	    parse_u32_span(open + 1, (size_t)(t + n - 1 - open - 1), &out->len) < 0)
		return seg_fail(p, p->tok_start,
				"bad sequence range '%s': expected SEQ:END(LEN) such as 1:101(100)", t);
	if (out->end - out->seq != out->len)
		return seg_fail(p, p->tok_start,
				"bad sequence range '%s': END - SEQ is %" PRIu32 ", not LEN",
				t, out->end - out->seq);
	out->has_seq = true;
	return 0;
}

/* The number after a keyword ("ack 1", "win 65535"); with before, a
 * relative one that may be negative ("ack -37399"). */
static int parse_keyword_number(struct seg_parser *p, const char *kw, bool *has, uint32_t *v, bool *before)
{
	size_t kw_col = p->tok_start;

	if (*has)
		return seg_fail(p, kw_col, "'%s' given twice", kw);
	if (!next_token(p))
		return seg_fail(p, p->tok_start, "missing number after '%s'", kw);
	if (before ? parse_offset_span(p->tok, p->tok_len, v, before) < 0 : parse_u32_span(p->tok, p->tok_len, v) < 0)
		return seg_fail(p, p->tok_start, "bad number after '%s': '%s'", kw, p->tok);
	*has = true;
	return 0;
}

/* One item of the option list: "mss 1460"; s is trimmed, at text offset col. */
static int parse_option(struct seg_parser *p, const char *s, size_t n, size_t col,
			struct seg_line *out)
{
	size_t name_len = 0;

	while (name_len < n && !isspace((unsigned char)s[name_len]))
		name_len++;
	if (name_len == 3 && memcmp(s, "mss", 3) == 0) {
		size_t i = name_len;
		while (i < n && isspace((unsigned char)s[i]))
			i++;
		if (out->has_mss)
			return seg_fail(p, col, "option mss given twice");
		if (parse_u32_span(s + i, n - i, &out->mss) < 0)
			return seg_fail(p, col + i, "bad mss option: expected <mss N>");
		out->has_mss = true;
		return 0;
	}
	if (name_len == 0)
		return seg_fail(p, col, "empty option in <...>");
	return seg_fail(p, col, "unsupported option '%.*s' (only <mss N> is supported)",
			(int)(name_len < 40 ? name_len : 40), s);
}

/* "<mss 1460>" (comma-separated items, as tcpdump writes them), which may
 * span several whitespace-separated tokens. */
static int parse_options(struct seg_parser *p, struct seg_line *out)
{
	const char *t = p->text;
	size_t open = p->pos, close = open + 1;

	if (out->has_mss)
		return seg_fail(p, open, "option list given twice");
	while (t[close] && t[close] != '>')
		close++;
	if (!t[close])
		return seg_fail(p, open, "option list '<' without '>'");
	for (size_t i = open + 1; i <= close;) {
		size_t j = i, a = i, b;
		while (j < close && t[j] != ',')
			j++;
		while (a < j && isspace((unsigned char)t[a]))
			a++;
		b = j;
		while (b > a && isspace((unsigned char)t[b - 1]))
			b--;
		if (parse_option(p, t + a, b - a, a, out) < 0)
			return -1;
		i = j + 1;
	}
	p->pos = close + 1;
	if (t[p->pos] && !isspace((unsigned char)t[p->pos]))
		return seg_fail(p, p->pos, "unexpected text after '>'");
	return 0;
}

/* Everything after SEQ:END(LEN): ack, win, options, dropped. */
static int parse_tail(struct seg_parser *p, struct seg_line *out)
{
	for (;;) {
		if (peek_char(p) == '<') {
			if (parse_options(p, out) < 0)
				return -1;
			continue;
		}
		if (!next_token(p))
			return 0;
		if (strcmp(p->tok, "ack") == 0) {
			if (parse_keyword_number(p, "ack", &out->has_ack, &out->ack, &out->ack_before) < 0)
				return -1;
		} else if (strcmp(p->tok, "win") == 0) {
			if (parse_keyword_number(p, "win", &out->has_win, &out->win, NULL) < 0)
				return -1;
		} else if (strcmp(p->tok, "dropped") == 0) {
			if (out->dropped)
				return seg_fail(p, p->tok_start, "'dropped' given twice");
			out->dropped = true;
		} else {
			return seg_fail(p, p->tok_start,
					"unexpected '%s' (expected ack N, win N, <mss N> or dropped)",
					p->tok);
		}
	}
}

/* [TIME] SRC > DST FLAGS */
static int parse_head(struct seg_parser *p, struct seg_line *out)
{
	next_token(p);
	if (p->tok[0] == '+' || isdigit((unsigned char)p->tok[0]) || p->tok[0] == '.') {
		if (parse_time(p, out) < 0)
			return -1;
		next_token(p);
	}
	if (parse_name(p, "source", out->src) < 0)
		return -1;
	if (!next_token(p) || strcmp(p->tok, ">") != 0)
		return seg_fail(p, p->tok_start, "expected '>' after the source '%s'", out->src);
	next_token(p);
	if (parse_name(p, "destination", out->dst) < 0)
		return -1;
	if (!next_token(p))
		return seg_fail(p, p->tok_start, "missing flags (such as S, S., ., P., F., R)");
	if (p->tok_len >= 8 || tcp_flags_parse(p->tok, &out->flags) < 0)
		return seg_fail(p, p->tok_start,
				"bad flags '%s': expected tcpdump letters S F P R U and . for ACK, "
				"or none (or -) for no flag",
				p->tok);
	return 0;
}

/* The whole line; on error *err_col is the offset of the bad token. */
int seg_line_parse(const char *text, struct seg_line *out, int *err_col, char *err, size_t errlen)
{
	struct seg_parser p = {
		.text = text ? text : "", .err_col = err_col, .err = err, .errlen = errlen,
	};

	memset(out, 0, sizeof(*out));
	if (parse_head(&p, out) < 0)
		return -1;
	if (isdigit((unsigned char)peek_char(&p)) ||
	    (peek_char(&p) == '-' && isdigit((unsigned char)p.text[p.pos + 1]))) {
		next_token(&p);
		if (parse_seq_range(&p, out) < 0)
			return -1;
	}
	return parse_tail(&p, out);
}

/* Appends to buf[*len], never past cap; *len counts what would have been
 * written so truncation is harmless. */
static void append(char *buf, size_t cap, size_t *len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void append(char *buf, size_t cap, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(*len < cap ? buf + *len : NULL, *len < cap ? cap - *len : 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		*len += (size_t)n;
}

/* Every field present, in the notation's order, cut to cap bytes. */
void seg_line_format(const struct seg_line *l, char *buf, size_t cap)
{
	char tbuf[32], fbuf[8];
	size_t len = 0;

	if (!cap)
		return;
	buf[0] = '\0';
	if (l->has_time) {
		time_format(l->time_us, tbuf);
		append(buf, cap, &len, "%s%s ", l->time_relative ? "+" : "", tbuf);
	}
	tcp_flags_format(l->flags, fbuf);
	append(buf, cap, &len, "%s > %s %s", l->src, l->dst, fbuf);
	if (l->has_seq && l->seq_before)
		append(buf, cap, &len, " %" PRId64 ":%" PRId64 "(%" PRIu32 ")", (int64_t)(int32_t)l->seq,
		       (int32_t)l->end < 0 ? (int64_t)(int32_t)l->end : (int64_t)l->end, l->len);
	else if (l->has_seq)
		append(buf, cap, &len, " %" PRIu32 ":%" PRIu32 "(%" PRIu32 ")", l->seq, l->end, l->len);
	if (l->has_ack && l->ack_before)
		append(buf, cap, &len, " ack %" PRId64, (int64_t)(int32_t)l->ack);
	else if (l->has_ack)
		append(buf, cap, &len, " ack %" PRIu32, l->ack);
	if (l->has_win)
		append(buf, cap, &len, " win %" PRIu32, l->win);
	if (l->has_mss)
		append(buf, cap, &len, " <mss %" PRIu32 ">", l->mss);
	if (l->dropped)
		append(buf, cap, &len, " dropped");
}

/* Names and flags always; other fields only when want has them; time never. */
bool seg_line_matches(const struct seg_line *want, const struct seg_line *got)
{
	if (strcmp(want->src, got->src) != 0 || strcmp(want->dst, got->dst) != 0)
		return false;
	if (want->flags != got->flags)
		return false;
	if (want->has_seq && (!got->has_seq || want->seq != got->seq ||
			      want->end != got->end || want->len != got->len))
		return false;
	if (want->has_ack && (!got->has_ack || want->ack != got->ack))
		return false;
	if (want->has_win && (!got->has_win || want->win != got->win))
		return false;
	if (want->has_mss && (!got->has_mss || want->mss != got->mss))
		return false;
	if (want->dropped && !got->dropped)
		return false;
	return true;
}
