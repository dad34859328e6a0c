/* scenario_load_timeline.c - timeline:, the list of what the endpoints'
 * users do and when: a call (listen, connect, send with its bytes or data,
 * close, abort) or a forged segment (inject). */
#include <stdlib.h>
#include <string.h>
#include <yaml.h>
#include "scenario/scenario_load_int.h"

/* ---- timeline: --------------------------------------------------------- */

static const char *const entry_keys[] = { "at", "client", "server", "inject", "bytes", "data", "wait", NULL };
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

/* One timeline entry: at, and one of client: CALL, server: CALL, inject: {...}. */
static int load_entry(struct loader *ld, yaml_node_t *n, struct timeline_entry *e)
{
	struct entry_nodes en = { 0 };

	e->pos = node_pos(n);
	if (walk_mapping(ld, n, "a timeline entry", entry_keys, entry_pair, &en) < 0)
		return -1;
	if (!en.at)
		return fail(ld, n, "a timeline entry needs at: TIME");
	if (get_duration(ld, "at", en.at, &e->at) < 0)
		return -1;
	if (!en.call_key)
		return fail(ld, n, "a timeline entry needs client: CALL, server: CALL or inject: {...}");
	if (strcmp(scalar_text(en.call_key), "inject") != 0)
		return load_call(ld, &en, e);
	e->call = CALL_INJECT;
	if (en.wait_key)
		return fail(ld, en.wait_key, "wait is for send, close and abort, not inject");
	if (en.bytes_key || en.data_key)
		return fail(ld, en.bytes_key ? en.bytes_key : en.data_key,
			    "%s is only for send; an inject's payload goes inside inject: {...}",
			    en.bytes_key ? "bytes" : "data");
	return load_inject(ld, en.call, &e->inject);
}

/* `timeline:`, a list of entries kept in file order. */
int load_timeline(struct loader *ld, yaml_node_t *n)
{
	struct scenario *sc = ld->sc;
	size_t count;

	if (expect_list(ld, n, "timeline", "entries") < 0)
		return -1;
	count = list_len(n);
	if (count == 0)
		return 0;
	sc->timeline = calloc(count, sizeof(*sc->timeline));
	if (!sc->timeline)
		return fail_oom(ld, n);
	sc->n_timeline = count;
	for (size_t i = 0; i < count; i++)
		if (load_entry(ld, list_item(ld, n, i), &sc->timeline[i]) < 0)
			return -1;
	return 0;
}
