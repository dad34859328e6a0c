/* scenario_load_yaml.c - a scenario file's bytes into a libyaml document:
 * read whole (at most FILE_MAX_BYTES), parsed once as events to bound the
 * nesting, then loaded; a syntax error reads "FILE:LINE:COL: YAML syntax
 * error: ..." with advice for the mistakes newcomers make most. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>
#include "scenario/scenario_load_int.h"

/* ---- the file ---------------------------------------------------------- */

/* The whole file into *buf (NUL-terminated); -1 with "FILE: cannot read: why". */
int read_file(const char *path, char **buf, size_t *len, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 4096, n = 0, got;
	char *b = NULL, *nb;
	int e = 0;

	if (!f)
		goto fail;
	/* A realloc of its own, not a bigarray: the text goes to libyaml and
	 * back to free() as a plain string (one NUL past cap), read once. */
	for (;;) {
		if (!(nb = realloc(b, cap + 1))) {
			errno = ENOMEM;
			goto fail;
		}
		b = nb;
		got = fread(b + n, 1, cap - n, f);
		n += got;
		if (n < cap)
			break;
		if (cap >= FILE_MAX_BYTES) {
			errno = EFBIG;
			goto fail;
		}
		cap *= 2;
	}
	if (ferror(f))
		goto fail;
	fclose(f);
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
fail:
	e = errno ? errno : EIO;
	if (f)
		fclose(f);
	free(b);
	snprintf(err, errlen, "%s: cannot read: %s", path, strerror(e));
	return -1;
}

/* Line and column of a byte offset, counting UTF-8 characters as libyaml does. */
static struct src_pos offset_pos(const char *buf, size_t len, size_t off)
{
	struct src_pos p = { 1, 1 };

	for (size_t i = 0; i < off && i < len; i++) {
		if (buf[i] == '\n') {
			p.line++;
			p.col = 1;
		} else if (((unsigned char)buf[i] & 0xc0) != 0x80) {
			p.col++;
		}
	}
	return p;
}

/* What to do about libyaml's problem, "; ..." to follow its words (which
 * say what the scanner found, not what the writer should change), or "".
 * The two mistakes that newcomers make most: a plain value holding ": "
 * (`summary: Step 1: the handshake`), and a tab in the indentation. buf
 * holds MSG_MAX / 2 bytes. */
static const char *yaml_hint(const yaml_parser_t *parser, const char *text, size_t len, char *buf)
{
	const char *line = text, *end, *colon;
	size_t col = 0, at, lead;

	for (size_t l = 0; l < parser->problem_mark.line; l++) {
		const char *nl = memchr(line, '\n', len - (size_t)(line - text));
		if (!nl)
			return "";
		line = nl + 1;
	}
	end = memchr(line, '\n', len - (size_t)(line - text));
	if (!end)
		end = text + len;
	if (line == text && len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		line += 3;                          /* the BOM takes no column */
	/* The problem's byte: columns count UTF-8 characters. */
	for (at = 0; line + at < end && col < parser->problem_mark.column; at++)
		if (((unsigned char)line[at + 1] & 0xc0) != 0x80)
			col++;
	for (lead = 0; line + lead < end && (line[lead] == ' ' || line[lead] == '\t'); lead++)
		;
	if (memchr(line, '\t', lead) || (line + at < end && line[at] == '\t'))
		return "; indent with spaces, not tabs";
	if (!parser->problem || strcmp(parser->problem, "mapping values are not allowed in this context") != 0)
		return "";
	for (colon = line; colon + 1 < line + at && !(colon[0] == ':' && (colon[1] == ' ' || colon[1] == '\t'));
	     colon++)
		;
	if (colon + 1 >= line + at)
		return "; check this line's indentation: the keys of one mapping start in one column";
	if (end - line < 70 && !memchr(line, '"', (size_t)(end - line)) && !memchr(line, '\r', (size_t)(end - line)))
		snprintf(buf, MSG_MAX / 2, "; quote a value that contains ': ', as in %.*s: \"%.*s\"",
			 (int)(colon - line - (ptrdiff_t)lead), line + lead, (int)(end - colon - 2), colon + 2);
	else
		snprintf(buf, MSG_MAX / 2, "; quote a value that contains ': ', as in summary: \"Step 1: the handshake\"");
	return buf;
}

/* libyaml's error as "FILE:LINE:COL: YAML syntax error: problem (context)",
 * with yaml_hint()'s advice. */
static int yaml_error(struct loader *ld, const yaml_parser_t *parser, const char *buf, size_t len)
{
	struct src_pos pos = pos_of_mark(parser->problem_mark);
	const char *problem = parser->problem ? parser->problem : "unknown error";
	const char *hint = yaml_hint(parser, buf, len, (char[MSG_MAX / 2]){ 0 });

	if (parser->error == YAML_MEMORY_ERROR)
		return fail_at(ld, (struct src_pos){ 1, 1 }, "out of memory while reading YAML");
	if (parser->error == YAML_READER_ERROR) {
		pos = offset_pos(buf, len, parser->problem_offset);
		return fail_at(ld, pos, "not a readable YAML text: %s", problem);
	}
	if (parser->context)
		return fail_at(ld, pos, "YAML syntax error: %s (%s)%s", problem, parser->context, hint);
	return fail_at(ld, pos, "YAML syntax error: %s%s", problem, hint);
}

/* The length of the line break that ends just before buf[i]: LF, CR, or
 * UTF-8's NEL, LS and PS, which libyaml counts too; 0 for none. */
static size_t break_before(const char *buf, size_t i)
{
	const unsigned char *b = (const unsigned char *)buf;

	if (i >= 1 && (b[i - 1] == '\n' || b[i - 1] == '\r'))
		return 1;
	if (i >= 2 && b[i - 2] == 0xc2 && b[i - 1] == 0x85)
		return 2;
	if (i >= 3 && b[i - 3] == 0xe2 && b[i - 2] == 0x80 && (b[i - 1] == 0xa8 || b[i - 1] == 0xa9))
		return 3;
	return 0;
}

/* With a parser that has read all of a UTF-8 input: when the last line has
 * no line break, libyaml's final mark is on the line after it; remember
 * where that line really ends (see struct loader). */
static void note_end(struct loader *ld, const yaml_parser_t *parser, const char *buf, size_t len)
{
	/* At the end the reader holds one NUL of its own, nothing else. */
	bool all_read = parser->eof &&
			(parser->unread == 0 || (parser->unread == 1 && !*parser->buffer.pointer));
	size_t start = len;

	if (!all_read || parser->encoding != YAML_UTF8_ENCODING || parser->mark.column != 0 ||
	    parser->mark.line == 0 || len == 0 || break_before(buf, len))
		return;
	while (start > 0 && !break_before(buf, start))
		start--;
	if (start == 0 && len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		start = 3;                          /* the BOM takes no column */
	ld->has_end_fix = true;
	ld->end_mark = pos_of_mark(parser->mark);
	ld->end_pos = offset_pos(buf + start, len - start, len - start);
	ld->end_pos.line = ld->end_mark.line - 1;
}

/* A first pass over the events: syntax errors, and nesting past NESTING_MAX
 * (no scenario needs more than five levels), before libyaml builds nodes. */
int check_nesting(struct loader *ld, const char *buf, size_t len)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	int depth = 0, rc = 0;
	bool done = false;

	if (!yaml_parser_initialize(&parser))
		return fail_at(ld, (struct src_pos){ 1, 1 }, "out of memory while reading YAML");
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	while (!done && rc == 0) {
		if (!yaml_parser_parse(&parser, &ev)) {
			note_end(ld, &parser, buf, len);
			rc = yaml_error(ld, &parser, buf, len);
			break;
		}
		if (ev.type == YAML_SEQUENCE_START_EVENT || ev.type == YAML_MAPPING_START_EVENT)
			depth++;
		else if (ev.type == YAML_SEQUENCE_END_EVENT || ev.type == YAML_MAPPING_END_EVENT)
			depth--;
		if (depth > NESTING_MAX)
			rc = fail_at(ld, pos_of_mark(ev.start_mark), "nesting deeper than %d levels",
				     NESTING_MAX);
		done = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
	}
	if (done)
		note_end(ld, &parser, buf, len);
	yaml_parser_delete(&parser);
	return rc;
}

/* Loads the first document into doc; a second one is an error. */
int load_document(struct loader *ld, const char *buf, size_t len, yaml_document_t *doc)
{
	yaml_parser_t parser;
	yaml_document_t extra;
	int rc = 0;

	if (!yaml_parser_initialize(&parser))
		return fail_at(ld, (struct src_pos){ 1, 1 }, "out of memory while reading YAML");
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	if (!yaml_parser_load(&parser, doc)) {
		rc = yaml_error(ld, &parser, buf, len);
	} else if (yaml_document_get_root_node(doc)) {
		if (!yaml_parser_load(&parser, &extra)) {
			rc = yaml_error(ld, &parser, buf, len);
		} else {
			if (yaml_document_get_root_node(&extra))
				rc = fail_at(ld, pos_of_mark(extra.start_mark),
					     "a scenario file holds one YAML document, this is a second one");
			yaml_document_delete(&extra);
		}
		if (rc < 0)
			yaml_document_delete(doc);
	}
	yaml_parser_delete(&parser);
	return rc;
}
