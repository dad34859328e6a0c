/* json_out.c - the trace as JSON lines, one object a line, keys in a fixed
 * order, no spaces (see docs and the contract's "Trace lines").
 *
 * A run may write tens of millions of lines, so the writer formats into a
 * large buffer with its own integer and string routines and calls fwrite
 * only when the buffer is full. A write error is remembered and reported by
 * json_out_finish; output after it is discarded. */
#include <stdlib.h>
#include <string.h>
#include "output/json_out.h"

#define JSON_OUT_BUFSIZE (1u << 20)
/* Room that the longest fixed-size piece (a number, a literal key, one
 * escaped character) needs. */
#define JSON_OUT_PIECE_MAX 64

struct json_out {
	FILE *f;
	char *buf;
	size_t len;
	bool failed;
};

/* Writes the buffered bytes to the file and empties the buffer. */
static void jo_flush(struct json_out *jo)
{
	if (jo->len && !jo->failed && fwrite(jo->buf, 1, jo->len, jo->f) != jo->len)
		jo->failed = true;
	jo->len = 0;
}

/* Makes sure n (<= JSON_OUT_PIECE_MAX) more bytes fit in the buffer and
 * returns where they go. */
static inline char *jo_room(struct json_out *jo, size_t n)
{
	if (JSON_OUT_BUFSIZE - jo->len < n)
		jo_flush(jo);
	return jo->buf + jo->len;
}

/* Appends n raw bytes (n <= JSON_OUT_PIECE_MAX). */
static inline void put_raw(struct json_out *jo, const char *s, size_t n)
{
	memcpy(jo_room(jo, n), s, n);
	jo->len += n;
}

/* Appends a string literal: its length is known at compile time. */
#define PUT_LIT(jo, lit) put_raw((jo), (lit), sizeof(lit) - 1)

/* Appends one byte. */
static inline void put_char(struct json_out *jo, char c)
{
	*jo_room(jo, 1) = c;
	jo->len++;
}

/* Appends v in decimal. */
static void put_u64(struct json_out *jo, uint64_t v)
{
	char tmp[20];
	size_t i = sizeof(tmp);

	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	put_raw(jo, tmp + i, sizeof(tmp) - i);
}

/* Appends s as a JSON string: '"' and '\\' escaped with a backslash, the
 * control characters below 0x20 as \u00XX, every other byte (UTF-8
 * included) as it is. NULL is written as null. */
static void put_str(struct json_out *jo, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;

	if (!s) {
		PUT_LIT(jo, "null");
		return;
	}
	put_char(jo, '"');
	for (; *p; p++) {
		unsigned char c = *p;
		char *out = jo_room(jo, 6);

		if (c >= 0x20 && c != '"' && c != '\\') {
			out[0] = (char)c;
			jo->len++;
		} else if (c == '"' || c == '\\') {
			out[0] = '\\';
			out[1] = (char)c;
			jo->len += 2;
		} else {
			memcpy(out, "\\u00", 4);
			out[4] = hex[c >> 4];
			out[5] = hex[c & 0xf];
			jo->len += 6;
		}
	}
	put_char(jo, '"');
}

/* Appends true or false. */
static void put_bool(struct json_out *jo, bool v)
{
	if (v)
		PUT_LIT(jo, "true");
	else
		PUT_LIT(jo, "false");
}

/* Appends a dotted-quad address (host byte order) as a JSON string. */
static void put_ip(struct json_out *jo, uint32_t ip)
{
	put_char(jo, '"');
	for (int shift = 24; shift >= 0; shift -= 8) {
		put_u64(jo, (ip >> shift) & 0xff);
		if (shift)
			put_char(jo, '.');
	}
	put_char(jo, '"');
}

/* The name of endpoint i as a JSON string, or null for an index that names
 * no endpoint. */
static void put_endpoint(struct json_out *jo, const struct trace *tr, int i)
{
	char name[TRACE_NAME_MAX];

	if (i < 0 || (size_t)i >= tr->n_endpoints)
		PUT_LIT(jo, "null");
	else
		put_str(jo, trace_endpoint_name(tr, i, name));
}

/* The keys after "type", one function per event type, in the order the
 * trace format fixes. */
static void put_scenario(struct json_out *jo, const struct trace *tr, const struct trace_event *ev)
{
	char name[TRACE_NAME_MAX];

	PUT_LIT(jo, ",\"name\":");
	put_str(jo, ev->u.scenario.name);
	if (ev->u.scenario.summary) {
		PUT_LIT(jo, ",\"summary\":");
		put_str(jo, ev->u.scenario.summary);
	}
	PUT_LIT(jo, ",\"seed\":");
	put_u64(jo, ev->u.scenario.seed);
	PUT_LIT(jo, ",\"profile\":");
	put_str(jo, ev->u.scenario.profile);
	PUT_LIT(jo, ",\"endpoints\":{");
	for (size_t i = 0; i < tr->n_endpoints; i++) {
		const struct trace_endpoint *ep = &tr->endpoints[i];

		if (i)
			put_char(jo, ',');
		put_str(jo, trace_endpoint_name(tr, (int)i, name));
		PUT_LIT(jo, ":{\"ip\":");
		put_ip(jo, ep->ip);
		PUT_LIT(jo, ",\"port\":");
		put_u64(jo, ep->port);
		PUT_LIT(jo, ",\"isn\":");
		put_u64(jo, ep->isn);
		put_char(jo, '}');
	}
	put_char(jo, '}');
}

static void put_call(struct json_out *jo, const struct trace *tr, const struct trace_event *ev)
{
	PUT_LIT(jo, ",\"endpoint\":");
	put_endpoint(jo, tr, ev->endpoint);
	PUT_LIT(jo, ",\"call\":");
	put_str(jo, user_call_name(ev->u.call.call));
	if (ev->u.call.call == CALL_SEND) {
		PUT_LIT(jo, ",\"bytes\":");
		put_u64(jo, ev->u.call.bytes);
	}
	if (ev->u.call.error) {
		PUT_LIT(jo, ",\"error\":");
		put_str(jo, ev->u.call.error);
	}
	if (ev->u.call.cannot) {
		PUT_LIT(jo, ",\"cannot\":");
		put_str(jo, ev->u.call.cannot);
	}
}

static void put_state(struct json_out *jo, const struct trace *tr, const struct trace_event *ev)
{
	PUT_LIT(jo, ",\"endpoint\":");
	put_endpoint(jo, tr, ev->endpoint);
	PUT_LIT(jo, ",\"from\":");
	put_str(jo, tcp_state_name(ev->u.state.from));
	PUT_LIT(jo, ",\"to\":");
	put_str(jo, tcp_state_name(ev->u.state.to));
	PUT_LIT(jo, ",\"cause\":");
	put_str(jo, ev->u.state.cause);
	if (ev->u.state.arc) {
		PUT_LIT(jo, ",\"arc\":");
		put_str(jo, ev->u.state.arc);
	}
}

/* {"endpoint","state","arc","cause"}: a table row that changes no state. */
static void put_arc(struct json_out *jo, const struct trace *tr, const struct trace_event *ev)
{
	PUT_LIT(jo, ",\"endpoint\":");
	put_endpoint(jo, tr, ev->endpoint);
	PUT_LIT(jo, ",\"state\":");
	put_str(jo, tcp_state_name(ev->u.arc.state));
	PUT_LIT(jo, ",\"arc\":");
	put_str(jo, ev->u.arc.arc);
	PUT_LIT(jo, ",\"cause\":");
	put_str(jo, ev->u.arc.cause);
}

static void put_segment(struct json_out *jo, const struct trace *tr, const struct trace_event *ev)
{
	const struct segment *seg = &ev->u.segment.seg;
	char flags[8];

	PUT_LIT(jo, ",\"src\":");
	put_endpoint(jo, tr, ev->u.segment.src);
	PUT_LIT(jo, ",\"dst\":");
	put_endpoint(jo, tr, ev->u.segment.dst);
	PUT_LIT(jo, ",\"event\":");
	put_str(jo, seg_event_name(ev->u.segment.event));
	tcp_flags_format(seg->flags, flags);
	flags[7] = '\0';
	PUT_LIT(jo, ",\"flags\":");
	put_str(jo, flags);
	PUT_LIT(jo, ",\"seq\":");
	put_u64(jo, seg->seq);
	PUT_LIT(jo, ",\"ack\":");
	put_u64(jo, seg->ack);
	PUT_LIT(jo, ",\"len\":");
	put_u64(jo, seg->len);
	PUT_LIT(jo, ",\"win\":");
	put_u64(jo, seg->win);
	if (seg->mss) {
		PUT_LIT(jo, ",\"mss\":");
		put_u64(jo, seg->mss);
	}
	if (ev->u.segment.forged)
		PUT_LIT(jo, ",\"forged\":true");
	if (ev->u.segment.reason) {
		PUT_LIT(jo, ",\"reason\":");
		put_str(jo, ev->u.segment.reason);
	}
}

static void put_timer(struct json_out *jo, const struct trace *tr, const struct trace_event *ev)
{
	PUT_LIT(jo, ",\"endpoint\":");
	put_endpoint(jo, tr, ev->endpoint);
	PUT_LIT(jo, ",\"timer\":");
	put_str(jo, timer_kind_name(ev->u.timer.timer));
	PUT_LIT(jo, ",\"event\":");
	put_str(jo, timer_event_name(ev->u.timer.event));
	if (ev->u.timer.event == TIMER_SET) {
		PUT_LIT(jo, ",\"due_us\":");
		put_u64(jo, ev->u.timer.due);
	}
}

static void put_data(struct json_out *jo, const struct trace *tr, const struct trace_event *ev)
{
	PUT_LIT(jo, ",\"endpoint\":");
	put_endpoint(jo, tr, ev->endpoint);
	PUT_LIT(jo, ",\"bytes\":");
	put_u64(jo, ev->u.data.bytes);
}

/* {"endpoint","text"}: the scenario's note; endpoint null for a note of
 * nobody's (one alone on its timeline entry). */
static void put_note(struct json_out *jo, const struct trace *tr, const struct trace_event *ev)
{
	PUT_LIT(jo, ",\"endpoint\":");
	put_endpoint(jo, tr, ev->endpoint);
	PUT_LIT(jo, ",\"text\":");
	put_str(jo, ev->u.note.text ? ev->u.note.text : "");
}

static void put_result(struct json_out *jo, const struct trace_event *ev)
{
	PUT_LIT(jo, ",\"ok\":");
	put_bool(jo, ev->u.result.ok);
	PUT_LIT(jo, ",\"failures\":[");
	for (size_t i = 0; i < ev->u.result.n_failures; i++) {
		if (i)
			put_char(jo, ',');
		put_str(jo, ev->u.result.failures[i]);
	}
	put_char(jo, ']');
}

/* The sink: writes ev as one line. */
static void json_out_event(void *ctx, const struct trace *tr, const struct trace_event *ev)
{
	struct json_out *jo = ctx;

	PUT_LIT(jo, "{\"t_us\":");
	put_u64(jo, ev->t_us);
	switch (ev->type) {
	case TRACE_SCENARIO:
		PUT_LIT(jo, ",\"type\":\"scenario\"");
		put_scenario(jo, tr, ev);
		break;
	case TRACE_CALL:
		PUT_LIT(jo, ",\"type\":\"call\"");
		put_call(jo, tr, ev);
		break;
	case TRACE_STATE:
		PUT_LIT(jo, ",\"type\":\"state\"");
		put_state(jo, tr, ev);
		break;
	case TRACE_SEGMENT:
		PUT_LIT(jo, ",\"type\":\"segment\"");
		put_segment(jo, tr, ev);
		break;
	case TRACE_TIMER:
		PUT_LIT(jo, ",\"type\":\"timer\"");
		put_timer(jo, tr, ev);
		break;
	case TRACE_DATA:
		PUT_LIT(jo, ",\"type\":\"data\"");
		put_data(jo, tr, ev);
		break;
	case TRACE_RESULT:
		PUT_LIT(jo, ",\"type\":\"result\"");
		put_result(jo, ev);
		break;
	case TRACE_ARC:
		PUT_LIT(jo, ",\"type\":\"arc\"");
		put_arc(jo, tr, ev);
		break;
	case TRACE_NOTE:
		PUT_LIT(jo, ",\"type\":\"note\"");
		put_note(jo, tr, ev);
		break;
	default:
		PUT_LIT(jo, ",\"type\":null");
		break;
	}
	PUT_LIT(jo, "}\n");
}

/* A writer into f (which it does not close). Returns NULL when out of
 * memory. */
struct json_out *json_out_new(FILE *f)
{
	struct json_out *jo = calloc(1, sizeof(*jo));

	if (!jo)
		return NULL;
	jo->buf = malloc(JSON_OUT_BUFSIZE);
	if (!jo->buf) {
		free(jo);
		return NULL;
	}
	jo->f = f;
	return jo;
}

/* The trace sink that writes into jo. */
struct trace_sink json_out_sink(struct json_out *jo)
{
	struct trace_sink sink = { .event = json_out_event, .ctx = jo };

	return sink;
}

/* Writes what is buffered, flushes f and frees jo (NULL is allowed).
 * Returns 0, or -1 when any write failed. */
int json_out_finish(struct json_out *jo)
{
	int rc;

	if (!jo)
		return 0;
	jo_flush(jo);
	if (fflush(jo->f) != 0 || ferror(jo->f))
		jo->failed = true;
	rc = jo->failed ? -1 : 0;
	free(jo->buf);
	free(jo);
	return rc;
}
