/* scenario_load_timeline.c - timeline:, the list of what the endpoints'
 * users do and when: a call (listen, connect, send with its bytes or data,
 * close, abort) or a forged segment (inject), and the notes told beside
 * them or alone (note: "text"), which the ladders print at their time. */
#include <stdlib.h>
#include <string.h>
#include <yaml.h>
#include "scenario/scenario_load_int.h"

/* ---- timeline: --------------------------------------------------------- */

static const char *const entry_keys[] = { "at", "client", "server", "inject", "bytes", "data", "wait", "note", NULL };
static const char *const wait_names[] = { "established", NULL };
static const char *const inject_keys[] = { "from", "flags", "seq", "ack", "win", "mss", "len", "data", NULL };
static const char *const call_names[] = { "listen", "connect", "send", "close", "abort", NULL };

/* The keys of one timeline entry, checked together once all are known. */
struct entry_nodes {
	yaml_node_t *at;
	yaml_node_t *call_key, *call;   /* client:, server: or inject: */
	yaml_node_t *bytes_key, *bytes;
	yaml_node_t *data_key, *data;
	yaml_node_t *wait_key, *wait;
	yaml_node_t *note;
};

/* One key of a timeline entry, remembered for load_entry(); ctx is the
 * struct entry_nodes. */
static int entry_pair(struct loader *ld, const char *key, yaml_node_t *k, yaml_node_t *v, void *ctx)
{
	struct entry_nodes *en = ctx;

	if (strcmp(key, "at") == 0) {
		en->at = v;
	} else if (strcmp(key, "bytes") == 0) {
		en->bytes_key = k;
		en->bytes = v;
	} else if (strcmp(key, "data") == 0) {
		en->data_key = k;
		en->data = v;
	} else if (strcmp(key, "wait") == 0) {
		en->wait_key = k;
		en->wait = v;
	} else if (strcmp(key, "note") == 0) {
		en->note = v;
	} else if (en->call_key) {
		return fail(ld, k, "a timeline entry holds one call, not both %s and %s",
			    scalar_text(en->call_key), key);
	} else {
		en->call_key = k;
		en->call = v;
	}
	return 0;
}

/* The keys of an inject, checked together once all are known. */
struct inject_ctx {
	struct inject_spec *spec;
	yaml_node_t *from, *flags, *len_key, *data_key;
};

/* One key of inject: {...}; ctx is the struct inject_ctx. */
static int inject_pair(struct loader *ld, const char *key, yaml_node_t *k, yaml_node_t *v, void *ctx)
{
	struct inject_ctx *ic = ctx;
	struct inject_spec *in = ic->spec;
	uint32_t win;

	if (strcmp(key, "from") == 0) {
		ic->from = v;
		return get_role(ld, key, v, &in->from);
	}
	if (strcmp(key, "flags") == 0) {
		ic->flags = v;
		return get_flags(ld, key, v, &in->flags);
	}
	if (strcmp(key, "seq") == 0) {
		in->has_seq = true;
		return get_u32(ld, key, v, 0, UINT32_MAX, &in->seq);
	}
	if (strcmp(key, "ack") == 0) {
		in->has_ack = true;
		return get_u32(ld, key, v, 0, UINT32_MAX, &in->ack);
	}
	if (strcmp(key, "win") == 0) {
		in->has_win = true;
		if (get_u32(ld, key, v, 0, 65535, &win) < 0)
			return -1;
		in->win = (uint16_t)win;
		return 0;
	}
	if (strcmp(key, "mss") == 0) {
		/* A forged segment carries no option unless given: a forged SYN
		 * without one makes the peer send 536-byte segments (RFC 9293
		 * section 3.7.1). */
		uint32_t mss;
		if (get_u32(ld, key, v, 1, 65535, &mss) < 0)
			return -1;
		in->mss = (uint16_t)mss;
		return 0;
	}
	if (strcmp(key, "len") == 0) {
		ic->len_key = k;
		return get_u32(ld, key, v, 0, PAYLOAD_MAX, &in->len);
	}
	ic->data_key = k;
	if (get_text(ld, key, v, &in->data) < 0)
		return -1;
	if (strlen(in->data) > PAYLOAD_MAX)
		return fail(ld, v, "data of an inject holds at most %d bytes", PAYLOAD_MAX);
	in->len = (uint32_t)strlen(in->data);
	return 0;
}

/* `inject: { from, flags, seq, ack, win, mss, len, data }`. */
static int load_inject(struct loader *ld, yaml_node_t *n, struct inject_spec *spec)
{
	struct inject_ctx ic = { .spec = spec };

	if (walk_mapping(ld, n, "inject", inject_keys, inject_pair, &ic) < 0)
		return -1;
	if (!ic.from)
		return fail(ld, n, "inject needs from: client or from: server");
	if (!ic.flags)
		return fail(ld, n, "inject needs flags, such as flags: R");
	if (ic.len_key && ic.data_key)
		return fail(ld, ic.data_key, "inject takes len or data, not both");
	return 0;
}

/* `send`'s size: exactly one of bytes: N or data: "text". */
static int load_send_size(struct loader *ld, const struct entry_nodes *en, struct timeline_entry *e)
{
	if (!en->bytes && !en->data)
		return fail(ld, en->call, "send needs bytes: N or data: \"text\"");
	if (en->bytes && en->data)
		return fail(ld, en->data_key, "send takes bytes or data, not both");
	if (en->bytes)
		return get_uint(ld, "bytes", en->bytes, 1, UINT32_MAX, &e->bytes);
	if (get_text(ld, "data", en->data, &e->data) < 0)
		return -1;
	e->bytes = strlen(e->data);
	if (e->bytes == 0)
		return fail(ld, en->data, "data of a send must hold at least one byte");
	return 0;
}

/* client: CALL or server: CALL, with its bytes or data for send. */
static int load_call(struct loader *ld, const struct entry_nodes *en, struct timeline_entry *e)
{
	const char *key = scalar_text(en->call_key);
	char list[128];
	int i;

	e->who = strcmp(key, "client") == 0 ? ROLE_CLIENT : ROLE_SERVER;
	if (is_text(en->call) && strcmp(scalar_text(en->call), "inject") == 0)
		return fail(ld, en->call, "inject is written inject: { from: %s, flags: ... }", key);
	for (i = 0; call_names[i]; i++)
		if (is_text(en->call) && strcmp(scalar_text(en->call), call_names[i]) == 0)
			break;
	if (!call_names[i]) {
		const char *guess = is_text(en->call) ? DID_YOU_MEAN(scalar_text(en->call), call_names) : "";
		if (*guess)
			return fail(ld, en->call, "unknown call %s%s", SHOW(en->call), guess);
		return fail(ld, en->call, "unknown call %s (calls are %s)", SHOW(en->call),
			    join(call_names, list, sizeof(list)));
	}
	e->call = (enum user_call)i;
	if (en->wait) {
		int w;
		if (e->call == CALL_LISTEN || e->call == CALL_CONNECT)
			return fail(ld, en->wait_key, "wait is for send, close and abort: a call made once "
				    "the connection is established, not %s", call_names[i]);
		if (get_choice(ld, "wait", en->wait, wait_names, &w) < 0)
			return -1;
		e->wait_established = true;
	}
	if (e->call == CALL_SEND)
		return load_send_size(ld, en, e);
	if (en->bytes_key || en->data_key)
		return fail(ld, en->bytes_key ? en->bytes_key : en->data_key,
			    "%s is only for send, not %s", en->bytes_key ? "bytes" : "data",
			    call_names[i]);
	return 0;
}

/* The length of the UTF-8 sequence starting at p (at most n bytes there),
 * or 0 when it is not a well-formed one (RFC 3629: no overlong forms, no
 * surrogates, nothing past U+10FFFF). *cp gets the code point. */
static size_t utf8_seq(const unsigned char *p, size_t n, uint32_t *cp)
{
	size_t len = p[0] < 0x80 ? 1 : p[0] >= 0xc2 && p[0] < 0xe0 ? 2 : p[0] >= 0xe0 && p[0] < 0xf0 ? 3 :
		     p[0] >= 0xf0 && p[0] < 0xf5 ? 4 : 0;
	static const uint32_t least[5] = { 0, 0, 0x80, 0x800, 0x10000 };
	uint32_t c;

	if (len == 0 || len > n)
		return 0;
	c = len == 1 ? p[0] : p[0] & (0x7f >> len);
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3f);
	}
	if (c < least[len] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/* `note: "text"`: one line of printable UTF-8 (no control character, not
 * even a tab or a newline: the ladders print it on one row), 1..NOTE_MAX
 * bytes. The YAML reader takes only UTF-8, but a double-quoted escape can
 * make anything ("\x01", "\n"). */
static int load_note_text(struct loader *ld, yaml_node_t *n, char **out)
{
	const unsigned char *s;
	size_t len;

	if (get_text(ld, "note", n, out) < 0)
		return -1;
	s = (const unsigned char *)*out;
	len = strlen(*out);
	if (len == 0)
		return fail(ld, n, "a note holds at least one character");
	if (len > NOTE_MAX)
		return fail(ld, n, "a note holds at most %d bytes (this one %zu): a line of a slide", NOTE_MAX, len);
	for (size_t i = 0; i < len;) {
		uint32_t c;
		size_t k = utf8_seq(s + i, len - i, &c);
		if (k == 0)
			return fail(ld, n, "a note is UTF-8 text; byte %zu is not", i + 1);
		if (c < 0x20 || (c >= 0x7f && c < 0xa0) || c == 0x2028 || c == 0x2029)
			return fail(ld, n, "a note is one line of printable text; byte %zu starts a control "
				    "character (U+%04X)", i + 1, (unsigned)c);
		i += k;
	}
	return 0;
}

/* One timeline entry: at, and one of client: CALL, server: CALL, inject:
 * {...}, with or without a note: beside it; or at and a note alone (then
 * *is_call is false and e holds nothing). The note goes in *note. */
static int load_entry(struct loader *ld, yaml_node_t *n, struct timeline_entry *e, struct scenario_note *note,
		      bool *is_call)
{
	struct entry_nodes en = { 0 };

	e->pos = node_pos(n);
	*is_call = false;
	if (walk_mapping(ld, n, "a timeline entry", entry_keys, entry_pair, &en) < 0)
		return -1;
	if (!en.at)
		return fail(ld, n, "a timeline entry needs at: TIME");
	if (get_duration(ld, "at", en.at, &e->at) < 0)
		return -1;
	if (en.note) {
		note->at = e->at;
		note->who = -1;
		note->pos = node_pos(en.note);
		if (load_note_text(ld, en.note, &note->text) < 0)
			return -1;
	}
	if (!en.call_key && en.note) {
		if (en.wait_key || en.bytes_key || en.data_key) {
			yaml_node_t *k = en.wait_key ? en.wait_key : en.bytes_key ? en.bytes_key : en.data_key;
			return fail(ld, k, "%s belongs to a call: this entry holds a note alone", scalar_text(k));
		}
		return 0;
	}
	if (!en.call_key)
		return fail(ld, n, "a timeline entry needs client: CALL, server: CALL, inject: {...} or note: \"text\"");
	*is_call = true;
	note->beside_call = en.note != NULL;
	e->note = note->text;
	if (strcmp(scalar_text(en.call_key), "inject") != 0) {
		if (load_call(ld, &en, e) < 0)
			return -1;
		if (en.note)
			note->who = (int)e->who;
		return 0;
	}
	e->call = CALL_INJECT;
	if (en.wait_key)
		return fail(ld, en.wait_key, "wait is for send, close and abort, not inject");
	if (en.bytes_key || en.data_key)
		return fail(ld, en.bytes_key ? en.bytes_key : en.data_key,
			    "%s is only for send; an inject's payload goes inside inject: {...}",
			    en.bytes_key ? "bytes" : "data");
	return load_inject(ld, en.call, &e->inject);
}

/* Puts the notes in time order, ties in file order (an insertion sort: a
 * scenario has a few). */
static void sort_notes(struct scenario_note *notes, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct scenario_note x = notes[i];
		size_t j = i;
		for (; j > 0 && notes[j - 1].at > x.at; j--)
			notes[j] = notes[j - 1];
		notes[j] = x;
	}
}

/* `timeline:`, a list of entries: the calls kept in file order, the notes
 * in time order. Until the end, n_timeline and n_notes count every entry
 * (the arrays are zeroed), so that a failure half-way frees what was made. */
int load_timeline(struct loader *ld, yaml_node_t *n)
{
	struct scenario *sc = ld->sc;
	size_t count, calls = 0, notes = 0;

	if (expect_list(ld, n, "timeline", "entries") < 0)
		return -1;
	count = list_len(n);
	if (count == 0)
		return 0;
	sc->timeline = calloc(count, sizeof(*sc->timeline));
	sc->notes = calloc(count, sizeof(*sc->notes));
	if (!sc->timeline || !sc->notes)
		return fail_oom(ld, n);
	sc->n_timeline = sc->n_notes = count;
	for (size_t i = 0; i < count; i++) {
		bool is_call;
		if (load_entry(ld, list_item(ld, n, i), &sc->timeline[calls], &sc->notes[notes], &is_call) < 0)
			return -1;
		if (is_call)
			calls++;
		else
			memset(&sc->timeline[calls], 0, sizeof sc->timeline[calls]);
		if (sc->notes[notes].text)
			notes++;
	}
	sc->n_timeline = calls;
	sc->n_notes = notes;
	sort_notes(sc->notes, notes);
	return 0;
}
