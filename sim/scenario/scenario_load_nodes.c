/* scenario_load_nodes.c - the loader's messages ("FILE:LINE:COL: what is
 * wrong", pointing at a node) and its walk over the document's nodes:
 * mappings key by key (unknown and duplicate keys caught there), lists. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <yaml.h>
#include "base/suggest.h"
#include "scenario/scenario_load_int.h"

/* ---- messages ---------------------------------------------------------- */

/* libyaml's 0-based mark as a 1-based position. */
struct src_pos pos_of_mark(yaml_mark_t m)
{
	return (struct src_pos){ .line = (int)m.line + 1, .col = (int)m.column + 1 };
}

/* Where a node starts; 1:1 for no node. */
struct src_pos node_pos(const yaml_node_t *n)
{
	return n ? pos_of_mark(n->start_mark) : (struct src_pos){ 1, 1 };
}

/* Replaces control bytes (a value may hold any) so a message stays one line. */
void sanitize(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
}

/* Writes "FILE:LINE:COL: message" into ld->err; always returns -1. */
static int vfail_at(struct loader *ld, struct src_pos pos, const char *fmt, va_list ap)
{
	char msg[MSG_MAX];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	sanitize(msg);
	if (ld->has_end_fix && pos.line == ld->end_mark.line && pos.col == ld->end_mark.col)
		pos = ld->end_pos;
	snprintf(ld->err, ld->errlen, "%s:%d:%d: %s", ld->path, pos.line, pos.col, msg);
	return -1;
}

/* An error at pos; always returns -1. */
int fail_at(struct loader *ld, struct src_pos pos, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail_at(ld, pos, fmt, ap);
	va_end(ap);
	return -1;
}

/* An error at node's first character. */
int fail(struct loader *ld, const yaml_node_t *node, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail_at(ld, node_pos(node), fmt, ap);
	va_end(ap);
	return -1;
}

/* Out of memory while reading node. */
int fail_oom(struct loader *ld, const yaml_node_t *node)
{
	return fail(ld, node, "out of memory");
}

/* How a value reads in a message: the scalar (cut at about 40 bytes), "an
 * empty value", "a list" or "a mapping". buf holds SHOW_MAX bytes. */
const char *shown(const yaml_node_t *n, char *buf)
{
	size_t len;

	if (!n)
		return "nothing";
	if (n->type == YAML_SEQUENCE_NODE)
		return "a list";
	if (n->type == YAML_MAPPING_NODE)
		return "a mapping";
	len = strnlen((const char *)n->data.scalar.value, n->data.scalar.length);
	if (len == 0)
		return "an empty value";
	if (len > 40) {
		len = 40;
		while (len > 0 && ((unsigned char)n->data.scalar.value[len] & 0xc0) == 0x80)
			len--;   /* do not cut a UTF-8 character */
		snprintf(buf, SHOW_MAX, "%.*s...", (int)len, (const char *)n->data.scalar.value);
	} else {
		snprintf(buf, SHOW_MAX, "%.*s", (int)len, (const char *)n->data.scalar.value);
	}
	return buf;
}

/* ---- nodes ------------------------------------------------------------- */

/* The node with libyaml's id, or NULL. */
yaml_node_t *node_at(struct loader *ld, int id)
{
	return yaml_document_get_node(ld->doc, id);
}

/* A scalar: a string, a number, a name. */
bool is_scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE;
}

/* The scalar's bytes (NUL-terminated by libyaml). */
const char *scalar_text(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

/* A scalar whose bytes hold no NUL, so that it reads as a C string. */
bool is_text(const yaml_node_t *n)
{
	return is_scalar(n) && strlen(scalar_text(n)) == n->data.scalar.length;
}

/* True when an earlier key of map has the same bytes as the key of pair. */
static bool key_seen_before(struct loader *ld, const yaml_node_t *map, const yaml_node_pair_t *pair)
{
	const yaml_node_t *k = node_at(ld, pair->key);

	for (const yaml_node_pair_t *p = map->data.mapping.pairs.start; p < pair; p++) {
		const yaml_node_t *o = node_at(ld, p->key);
		if (o && is_scalar(o) && o->data.scalar.length == k->data.scalar.length &&
		    memcmp(o->data.scalar.value, k->data.scalar.value, k->data.scalar.length) == 0)
			return true;
	}
	return false;
}

/* True when s is one of the NULL-terminated list. */
bool in_list(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (strcmp(*list, s) == 0)
			return true;
	return false;
}

/* "a, b, c" into buf. */
const char *join(const char *const *list, char *buf, size_t cap)
{
	size_t len = 0;

	buf[0] = '\0';
	for (; *list && len < cap; list++)
		len += (size_t)snprintf(buf + len, cap - len, "%s%s", len ? ", " : "", *list);
	return buf;
}

/* " (did you mean NAME?)" when one name of list is close to word, else "";
 * buf holds MSG_MAX / 4 bytes. */
const char *did_you_mean(const char *word, const char *const *list, char *buf)
{
	const char *guess = suggest_closest(word, list);

	if (!guess)
		return "";
	snprintf(buf, MSG_MAX / 4, " (did you mean %s?)", guess);
	return buf;
}

/* Calls fn for each pair of map in file order, after checking that map is a
 * mapping, each key a string, known (when keys is not NULL) and not given
 * before. what names the mapping in messages ("tcp", "a timeline entry"). */
int walk_mapping(struct loader *ld, yaml_node_t *map, const char *what,
			const char *const *keys, pair_fn fn, void *ctx)
{
	char list[256];

	if (map->type != YAML_MAPPING_NODE)
		return fail(ld, map, "%s must be a mapping of keys, not %s", what, SHOW(map));
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = node_at(ld, p->key), *v = node_at(ld, p->value);
		if (!k || !v)
			return fail(ld, map, "malformed mapping in %s", what);
		if (!is_text(k))
			return fail(ld, k, "keys in %s must be plain names, not %s", what, SHOW(k));
		if (keys && !in_list(keys, scalar_text(k))) {
			/* The one close name, else the whole list. */
			const char *guess = DID_YOU_MEAN(scalar_text(k), keys);
			if (*guess)
				return fail(ld, k, "unknown key '%s' in %s%s", SHOW(k), what, guess);
			return fail(ld, k, "unknown key '%s' in %s (expected %s)", SHOW(k), what,
				    join(keys, list, sizeof(list)));
		}
		if (key_seen_before(ld, map, p))
			return fail(ld, k, "duplicate key '%s' in %s", SHOW(k), what);
		if (fn(ld, scalar_text(k), k, v, ctx) < 0)
			return -1;
	}
	return 0;
}

/* Checks that n is a list; "what must be a list of ...". */
int expect_list(struct loader *ld, yaml_node_t *n, const char *what, const char *of)
{
	if (n->type != YAML_SEQUENCE_NODE)
		return fail(ld, n, "%s must be a list of %s, not %s", what, of, SHOW(n));
	return 0;
}

/* How many items a sequence node holds. */
size_t list_len(const yaml_node_t *n)
{
	return (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
}

/* The i-th item of a sequence node. */
yaml_node_t *list_item(struct loader *ld, const yaml_node_t *n, size_t i)
{
	return node_at(ld, n->data.sequence.items.start[i]);
}
