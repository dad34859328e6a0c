/* scenario_load.c - reads a scenario file with libyaml and checks every key.
 *
 * The file is read whole, parsed once as events to bound the nesting depth
 * (libyaml's scanner slows down quadratically with it), then loaded as a
 * document whose nodes are walked key by key. Every message is
 * "FILE:LINE:COL: what is wrong", pointing at the offending key or value. */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>
#include "base/decimal.h"
#include "scenario/scenario.h"
#include "proto/segment.h"
#include "base/suggest.h"

#define FILE_MAX_BYTES (16u << 20)
#define NESTING_MAX 64
#define DURATION_MAX (1000ull * 86400 * USEC_PER_SEC)   /* 1000 days */
#define COUNT_MAX 10000000
#define MAX_EVENTS_MAX 1000000000000ull   /* 10^12: hours of work, never a wrap */
#define RETRIES_MAX 100
#define MSS_MAX 65495              /* 65535 less the IPv4 and TCP headers */
#define PAYLOAD_MAX 65495
#define SHOW_MAX 48                /* a value quoted in a message */
#define MSG_MAX 512

struct loader {
	const char *path;
	yaml_document_t *doc;
	struct scenario *sc;
	char *err;
	size_t errlen;
	/* Remembered for the checks that need the whole file. */
	yaml_node_t *rto_min_node, *rto_max_node;
	yaml_node_t *ip_node[NROLES], *port_node[NROLES];
	yaml_node_t *show_connection_node;
	yaml_node_t *every_node;
	/* libyaml ends a last line that has no line break with one of its
	 * own: a mark at end_mark (a line past the last) is shown at end_pos,
	 * just past the last line's last character. */
	bool has_end_fix;
	struct src_pos end_mark, end_pos;
};

/* The handler for one key of a mapping; key is its text. */
typedef int (*pair_fn)(struct loader *ld, const char *key, yaml_node_t *knode,
		       yaml_node_t *val, void *ctx);

/* ---- messages ---------------------------------------------------------- */

/* libyaml's 0-based mark as a 1-based position. */
static struct src_pos pos_of_mark(yaml_mark_t m)
{
	return (struct src_pos){ .line = (int)m.line + 1, .col = (int)m.column + 1 };
}

/* Where a node starts; 1:1 for no node. */
static struct src_pos node_pos(const yaml_node_t *n)
{
	return n ? pos_of_mark(n->start_mark) : (struct src_pos){ 1, 1 };
}

/* Replaces control bytes (a value may hold any) so a message stays one line. */
static void sanitize(char *s)
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
static int fail_at(struct loader *ld, struct src_pos pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail_at(struct loader *ld, struct src_pos pos, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail_at(ld, pos, fmt, ap);
	va_end(ap);
	return -1;
}

/* An error at node's first character. */
static int fail(struct loader *ld, const yaml_node_t *node, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(struct loader *ld, const yaml_node_t *node, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail_at(ld, node_pos(node), fmt, ap);
	va_end(ap);
	return -1;
}

/* Out of memory while reading node. */
static int fail_oom(struct loader *ld, const yaml_node_t *node)
{
	return fail(ld, node, "out of memory");
}

/* How a value reads in a message: the scalar (cut at about 40 bytes), "an
 * empty value", "a list" or "a mapping". buf holds SHOW_MAX bytes. */
static const char *shown(const yaml_node_t *n, char *buf)
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
#define SHOW(n) shown((n), (char[SHOW_MAX]){ 0 })

/* ---- nodes ------------------------------------------------------------- */

/* The node with libyaml's id, or NULL. */
static yaml_node_t *node_at(struct loader *ld, int id)
{
	return yaml_document_get_node(ld->doc, id);
}

/* A scalar: a string, a number, a name. */
static bool is_scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE;
}

/* The scalar's bytes (NUL-terminated by libyaml). */
static const char *scalar_text(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

/* A scalar whose bytes hold no NUL, so that it reads as a C string. */
static bool is_text(const yaml_node_t *n)
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
static bool in_list(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (strcmp(*list, s) == 0)
			return true;
	return false;
}

/* "a, b, c" into buf. */
static const char *join(const char *const *list, char *buf, size_t cap)
{
	size_t len = 0;

	buf[0] = '\0';
	for (; *list && len < cap; list++)
		len += (size_t)snprintf(buf + len, cap - len, "%s%s", len ? ", " : "", *list);
	return buf;
}

/* " (did you mean NAME?)" when one name of list is close to word, else "";
 * buf holds MSG_MAX / 4 bytes. */
static const char *did_you_mean(const char *word, const char *const *list, char *buf)
{
	const char *guess = suggest_closest(word, list);

	if (!guess)
		return "";
	snprintf(buf, MSG_MAX / 4, " (did you mean %s?)", guess);
	return buf;
}
#define DID_YOU_MEAN(word, list) did_you_mean((word), (list), (char[MSG_MAX / 4]){ 0 })

/* Calls fn for each pair of map in file order, after checking that map is a
 * mapping, each key a string, known (when keys is not NULL) and not given
 * before. what names the mapping in messages ("tcp", "a timeline entry"). */
static int walk_mapping(struct loader *ld, yaml_node_t *map, const char *what,
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
static int expect_list(struct loader *ld, yaml_node_t *n, const char *what, const char *of)
{
	if (n->type != YAML_SEQUENCE_NODE)
		return fail(ld, n, "%s must be a list of %s, not %s", what, of, SHOW(n));
	return 0;
}

/* How many items a sequence node holds. */
static size_t list_len(const yaml_node_t *n)
{
	return (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
}

/* The i-th item of a sequence node. */
static yaml_node_t *list_item(struct loader *ld, const yaml_node_t *n, size_t i)
{
	return node_at(ld, n->data.sequence.items.start[i]);
}

/* ---- scalar values ----------------------------------------------------- */

/* A string without NUL bytes, copied into *out. */
static int get_text(struct loader *ld, const char *key, yaml_node_t *n, char **out)
{
	if (!is_scalar(n))
		return fail(ld, n, "%s must be a string, not %s", key, SHOW(n));
	if (!is_text(n))
		return fail(ld, n, "%s must not contain NUL bytes", key);
	*out = strdup(scalar_text(n));
	return *out ? 0 : fail_oom(ld, n);
}

/* An integer in min..max. */
static int get_uint(struct loader *ld, const char *key, yaml_node_t *n,
		    uint64_t min, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (!is_text(n) || decimal_u64(scalar_text(n), strlen(scalar_text(n)), &v) < 0 || v < min || v > max)
		return fail(ld, n, "%s must be an integer between %" PRIu64 " and %" PRIu64 ", not %s",
			    key, min, max, SHOW(n));
	*out = v;
	return 0;
}

/* get_uint() into a 32-bit field. */
static int get_u32(struct loader *ld, const char *key, yaml_node_t *n,
		   uint32_t min, uint32_t max, uint32_t *out)
{
	uint64_t v = 0;

	if (get_uint(ld, key, n, min, max, &v) < 0)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

/* get_uint() into an int field; min >= 0. */
static int get_int(struct loader *ld, const char *key, yaml_node_t *n, int min, int max, int *out)
{
	uint64_t v;

	if (get_uint(ld, key, n, (uint64_t)min, (uint64_t)max, &v) < 0)
		return -1;
	*out = (int)v;
	return 0;
}

/* True when s is DIGITS[.DIGITS] followed by one of the duration units. */
static bool looks_like_duration(const char *s)
{
	static const char *const units[] = { "us", "ms", "s", "min", NULL };
	size_t n = strspn(s, "0123456789.");

	return n > 0 && in_list(units, s + n);
}

/* A duration with a unit (or a bare 0), at most DURATION_MAX. */
static int get_duration(struct loader *ld, const char *key, yaml_node_t *n, usec_t *out)
{
	const char *s = is_text(n) ? scalar_text(n) : NULL;
	char hint[MSG_MAX / 4];
	usec_t v;

	if (s && *s == '-')
		return fail(ld, n, "%s must not be negative, not %s", key, SHOW(n));
	if (s && duration_parse(s, &v) == 0 && v <= DURATION_MAX) {
		*out = v;
		return 0;
	}
	if (s && looks_like_duration(s))
		return fail(ld, n, "%s must be a whole number of microseconds up to 1000 days, not %s",
			    key, SHOW(n));
	if (s && duration_hint(s, DURATION_MAX, hint, sizeof(hint)) == 0)
		return fail(ld, n, "%s must be a duration with a unit (us, ms, s, min), not %s: %s",
			    key, SHOW(n), hint);
	return fail(ld, n, "%s must be a duration with a unit (us, ms, s, min) such as 250ms, not %s",
		    key, SHOW(n));
}

/* A duration above zero. */
static int get_positive_duration(struct loader *ld, const char *key, yaml_node_t *n, usec_t *out)
{
	if (get_duration(ld, key, n, out) < 0)
		return -1;
	if (*out == 0)
		return fail(ld, n, "%s must be greater than 0", key);
	return 0;
}

/* DIGITS[.DIGITS] between 0 and 1, computed the same way on every machine
 * (no locale, no strtod). */
static int parse_probability(const char *s, double *out)
{
	uint64_t whole = 0, frac = 0, scale = 1;
	size_t n = strspn(s, "0123456789");

	if (n == 0 || n > 18)
		return -1;
	for (size_t i = 0; i < n; i++)
		whole = whole * 10 + (uint64_t)(s[i] - '0');
	s += n;
	if (*s == '.') {
		s++;
		n = strspn(s, "0123456789");
		if (n == 0 || s[n] != '\0')
			return -1;
		/* Decimals past the 15th change nothing that matters. */
		for (size_t i = 0; i < n && i < 15; i++, scale *= 10)
			frac = frac * 10 + (uint64_t)(s[i] - '0');
	} else if (*s) {
		return -1;
	}
	if (whole > 1 || (whole == 1 && frac != 0))
		return -1;
	*out = (double)whole + (double)frac / (double)scale;
	return 0;
}

/* A probability, 0..1. */
static int get_probability(struct loader *ld, const char *key, yaml_node_t *n, double *out)
{
	if (!is_text(n) || parse_probability(scalar_text(n), out) < 0)
		return fail(ld, n, "%s must be a probability between 0 and 1, not %s", key, SHOW(n));
	return 0;
}

/* One of choices (a NULL-terminated list); *out is its index. */
static int get_choice(struct loader *ld, const char *key, yaml_node_t *n,
		      const char *const *choices, int *out)
{
	char list[128];

	for (int i = 0; is_text(n) && choices[i]; i++) {
		if (strcmp(scalar_text(n), choices[i]) == 0) {
			*out = i;
			return 0;
		}
	}
	return fail(ld, n, "%s must be one of %s, not %s%s", key, join(choices, list, sizeof(list)),
		    SHOW(n), is_text(n) ? DID_YOU_MEAN(scalar_text(n), choices) : "");
}

static const char *const role_names[] = { "client", "server", NULL };

/* client or server. */
static int get_role(struct loader *ld, const char *key, yaml_node_t *n, enum role *out)
{
	int i;

	if (get_choice(ld, key, n, role_names, &i) < 0)
		return -1;
	*out = (enum role)i;
	return 0;
}

/* A unicast IPv4 address in dotted-quad form, kept in host byte order. */
static int get_ipv4(struct loader *ld, const char *key, yaml_node_t *n, uint32_t *out)
{
	struct in_addr a;
	uint32_t ip;

	if (!is_text(n) || inet_pton(AF_INET, scalar_text(n), &a) != 1)
		return fail(ld, n, "%s must be an IPv4 address such as 10.0.0.1, not %s", key, SHOW(n));
	ip = ntohl(a.s_addr);
	if (ip == 0 || ip == UINT32_MAX || (ip >> 28) == 0xe)
		return fail(ld, n, "%s must be a unicast IPv4 address, not %s", key, SHOW(n));
	*out = ip;
	return 0;
}

/* Flags in tcpdump's letters ("S.", "R", "none"; packetdrill's "-"). */
static int get_flags(struct loader *ld, const char *key, yaml_node_t *n, uint8_t *out)
{
	if (!is_text(n) || tcp_flags_parse(scalar_text(n), out) < 0)
		return fail(ld, n, "%s must be tcpdump flags such as S, S., ., P., F., R or R., not %s "
			    "(none or \"-\" for no flag)", key, SHOW(n));
	return 0;
}

/* "CLOSED, LISTEN, ..." into buf, for messages. */
static const char *all_state_names(char *buf, size_t cap)
{
	size_t len = 0;

	buf[0] = '\0';
	for (int s = 0; s < TCP_NSTATES && len < cap; s++)
		len += (size_t)snprintf(buf + len, cap - len, "%s%s", s ? ", " : "",
					tcp_state_name((enum tcp_state)s));
	return buf;
}

/* A state name in any spelling tcp_state_parse() takes. */
static int get_state(struct loader *ld, yaml_node_t *n, enum tcp_state *out)
{
	char list[200];
	const char *names[TCP_NSTATES + 1];

	if (is_text(n) && tcp_state_parse(scalar_text(n), out) == 0)
		return 0;
	for (int s = 0; s < TCP_NSTATES; s++)
		names[s] = tcp_state_name((enum tcp_state)s);
	names[TCP_NSTATES] = NULL;
	const char *guess = is_text(n) ? DID_YOU_MEAN(scalar_text(n), names) : "";
	if (*guess)
		return fail(ld, n, "unknown state %s%s", SHOW(n), guess);
	return fail(ld, n, "unknown state %s (states are %s)", SHOW(n),
		    all_state_names(list, sizeof(list)));
}

/* ---- tcp: -------------------------------------------------------------- */

static const char *const tcp_keys[] = {
	"rto_initial", "rto_min", "rto_max", "msl", "time_wait", "syn_retries", "retries",
	"fin_wait_2_timeout", "user_timeout", "mss", "window", NULL,
};

/* One key of `tcp:` into the overrides; ctx is the struct tcp_overrides. */
static int tcp_pair(struct loader *ld, const char *key, yaml_node_t *k, yaml_node_t *v, void *ctx)
{
	struct tcp_overrides *ov = ctx;

	if (strcmp(key, "rto_initial") == 0) {
		ov->has_rto_initial = true;
		return get_positive_duration(ld, key, v, &ov->v.rto_initial);
	}
	if (strcmp(key, "rto_min") == 0) {
		ov->has_rto_min = true;
		ld->rto_min_node = v;
		return get_positive_duration(ld, key, v, &ov->v.rto_min);
	}
	if (strcmp(key, "rto_max") == 0) {
		ov->has_rto_max = true;
		ld->rto_max_node = v;
		return get_positive_duration(ld, key, v, &ov->v.rto_max);
	}
	if (strcmp(key, "msl") == 0) {
		ov->has_msl = true;
		return get_duration(ld, key, v, &ov->v.msl);
	}
	if (strcmp(key, "time_wait") == 0) {
		ov->has_time_wait = true;
		return get_duration(ld, key, v, &ov->v.time_wait);
	}
	if (strcmp(key, "syn_retries") == 0) {
		ov->has_syn_retries = true;
		return get_int(ld, key, v, 0, RETRIES_MAX, &ov->v.syn_retries);
	}
	if (strcmp(key, "retries") == 0) {
		ov->has_retries = true;
		return get_int(ld, key, v, 0, RETRIES_MAX, &ov->v.retries);
	}
	if (strcmp(key, "fin_wait_2_timeout") == 0) {
		ov->has_fin_wait_2_timeout = true;
		return get_duration(ld, key, v, &ov->v.fin_wait_2_timeout);
	}
	if (strcmp(key, "user_timeout") == 0) {
		ov->has_user_timeout = true;
		return get_duration(ld, key, v, &ov->v.user_timeout);
	}
	if (strcmp(key, "mss") == 0) {
		ov->has_mss = true;
		return get_u32(ld, key, v, 1, MSS_MAX, &ov->v.mss);
	}
	ov->has_window = true;   /* "window", the last of tcp_keys */
	return get_u32(ld, key, v, 1, 65535, &ov->v.window);
}

/* ---- link: ------------------------------------------------------------- */

static const char *const link_dir_keys[] = { "delay", "jitter", "loss", "duplicate", "reorder", NULL };

static const char *const link_keys[] = {
	"delay", "jitter", "loss", "duplicate", "reorder", "client_to_server", "server_to_client",
	"drop", NULL,
};

static const char *const drop_keys[] = { "from", "flags", "nth", NULL };

/* One key of a direction's settings; ctx is the struct link_dir. */
static int link_dir_pair(struct loader *ld, const char *key, yaml_node_t *k, yaml_node_t *v, void *ctx)
{
	struct link_dir *d = ctx;

	if (strcmp(key, "delay") == 0)
		return get_duration(ld, key, v, &d->delay);
	if (strcmp(key, "jitter") == 0)
		return get_duration(ld, key, v, &d->jitter);
	if (strcmp(key, "loss") == 0)
		return get_probability(ld, key, v, &d->loss);
	if (strcmp(key, "duplicate") == 0)
		return get_probability(ld, key, v, &d->duplicate);
	return get_probability(ld, key, v, &d->reorder);
}

/* What `link:` holds before the per-direction overrides are applied. */
struct link_ctx {
	struct link_dir both;
	yaml_node_t *dir_node[NROLES];
};

/* A drop rule being read, and whether `from` was given. */
struct drop_ctx {
	struct drop_rule *rule;
	bool has_from;
};

/* One key of a drop rule; ctx is the struct drop_ctx. */
static int drop_pair(struct loader *ld, const char *key, yaml_node_t *k, yaml_node_t *v, void *ctx)
{
	struct drop_ctx *dc = ctx;
	struct drop_rule *d = dc->rule;

	if (strcmp(key, "from") == 0) {
		dc->has_from = true;
		return get_role(ld, key, v, &d->from);
	}
	if (strcmp(key, "flags") == 0) {
		d->has_flags = true;
		return get_flags(ld, key, v, &d->flags);
	}
	return get_u32(ld, key, v, 1, UINT32_MAX, &d->nth);
}

/* `drop:`, a list of { from, flags, nth }; nth defaults to 1. */
static int load_drops(struct loader *ld, yaml_node_t *n)
{
	struct link_params *lp = &ld->sc->link;
	size_t count;

	if (expect_list(ld, n, "drop", "{ from, flags, nth } rules") < 0)
		return -1;
	count = list_len(n);
	if (count == 0)
		return 0;
	lp->drops = calloc(count, sizeof(*lp->drops));
	if (!lp->drops)
		return fail_oom(ld, n);
	lp->n_drops = count;
	for (size_t i = 0; i < count; i++) {
		struct drop_ctx dc = { .rule = &lp->drops[i] };
		yaml_node_t *item = list_item(ld, n, i);
		dc.rule->nth = 1;
		dc.rule->pos = node_pos(item);
		if (walk_mapping(ld, item, "a drop rule", drop_keys, drop_pair, &dc) < 0)
			return -1;
		if (!dc.has_from)
			return fail(ld, item, "a drop rule needs from: client or from: server");
	}
	return 0;
}

/* One key of `link:`; ctx is the struct link_ctx. */
static int link_pair(struct loader *ld, const char *key, yaml_node_t *k, yaml_node_t *v, void *ctx)
{
	struct link_ctx *lc = ctx;

	if (strcmp(key, "client_to_server") == 0)
		lc->dir_node[ROLE_CLIENT] = v;
	else if (strcmp(key, "server_to_client") == 0)
		lc->dir_node[ROLE_SERVER] = v;
	else if (strcmp(key, "drop") == 0)
		return load_drops(ld, v);
	else
		return link_dir_pair(ld, key, k, v, &lc->both);
	return 0;
}

/* `link:`: settings for both directions, then each direction's overrides. */
static int load_link(struct loader *ld, yaml_node_t *n)
{
	static const char *const dir_names[NROLES] = { "client_to_server", "server_to_client" };
	struct link_ctx lc = { 0 };

	if (walk_mapping(ld, n, "link", link_keys, link_pair, &lc) < 0)
		return -1;
	for (int r = 0; r < NROLES; r++) {
		ld->sc->link.dir[r] = lc.both;
		if (lc.dir_node[r] && walk_mapping(ld, lc.dir_node[r], dir_names[r], link_dir_keys,
						   link_dir_pair, &ld->sc->link.dir[r]) < 0)
			return -1;
	}
	return 0;
}

/* ---- endpoints: -------------------------------------------------------- */

static const char *const endpoint_keys[] = {
	"ip", "port", "isn", "on_eof", "half_duplex", "count", "every", "backlog", NULL,
};

/* One key of endpoints.client or endpoints.server; ctx points to the role. */
static int endpoint_pair(struct loader *ld, const char *key, yaml_node_t *k, yaml_node_t *v, void *ctx)
{
	static const char *const on_eof_values[] = { "none", "close", NULL };
	enum role r = *(enum role *)ctx;
	struct endpoint_spec *ep = &ld->sc->ep[r];
	int i;

	if (strcmp(key, "ip") == 0) {
		ld->ip_node[r] = v;
		return get_ipv4(ld, key, v, &ep->ip);
	}
	if (strcmp(key, "port") == 0) {
		uint32_t port;
		ld->port_node[r] = v;
		if (get_u32(ld, key, v, 1, 65535, &port) < 0)
			return -1;
		ep->port = (uint16_t)port;
		return 0;
	}
	if (strcmp(key, "isn") == 0)
		return get_u32(ld, key, v, 0, UINT32_MAX, &ep->isn);
	if (strcmp(key, "on_eof") == 0) {
		if (get_choice(ld, key, v, on_eof_values, &i) < 0)
			return -1;
		ep->on_eof_close = i == 1;
		return 0;
	}
	if (strcmp(key, "half_duplex") == 0) {
		static const char *const bools[] = { "false", "true", NULL };
		if (get_choice(ld, key, v, bools, &i) < 0)
			return -1;
		ep->half_duplex = i == 1;
		return 0;
	}
	if (strcmp(key, "backlog") == 0) {
		if (r != ROLE_SERVER)
			return fail(ld, k, "backlog is for the server, whose listener accepts the clients");
		return get_u32(ld, key, v, 1, 65535, &ep->backlog);
	}
	if (r != ROLE_CLIENT)
		return fail(ld, k, "%s is for the client: the server side has one connection per client",
			    key);
	if (strcmp(key, "count") == 0)
		return get_u32(ld, key, v, 1, COUNT_MAX, &ep->count);
	ld->every_node = v;
	return get_duration(ld, key, v, &ep->every);
}

/* One key of `endpoints:` (client or server). */
static int endpoints_pair(struct loader *ld, const char *key, yaml_node_t *k, yaml_node_t *v, void *ctx)
{
	enum role r = strcmp(key, "client") == 0 ? ROLE_CLIENT : ROLE_SERVER;

	return walk_mapping(ld, v, r == ROLE_CLIENT ? "endpoints.client" : "endpoints.server",
			    endpoint_keys, endpoint_pair, &r);
}

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
static int load_timeline(struct loader *ld, yaml_node_t *n)
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

/* ---- expect: ---------------------------------------------------------- */

static const char *const expect_keys[] = { "client", "server", "delivered", "segments", "final", NULL };

/* expect.client or expect.server: a list of state names. */
static int load_states(struct loader *ld, const char *key, yaml_node_t *n, enum role r)
{
	struct expect *ex = &ld->sc->expect;
	size_t count;

	if (expect_list(ld, n, key, "state names") < 0)
		return -1;
	ex->has_states[r] = true;
	ex->states_pos[r] = node_pos(n);
	count = list_len(n);
	if (count == 0)
		return 0;
	ex->states[r] = calloc(count, sizeof(*ex->states[r]));
	if (!ex->states[r])
		return fail_oom(ld, n);
	ex->n_states[r] = count;
	for (size_t i = 0; i < count; i++)
		if (get_state(ld, list_item(ld, n, i), &ex->states[r][i]) < 0)
			return -1;
	return 0;
}

/* Where the byte at offset col of a scalar's text stands in the file
 * (exact for a one-line scalar without escapes). */
static struct src_pos scalar_offset_pos(const yaml_node_t *n, int col)
{
	struct src_pos p = node_pos(n);
	yaml_scalar_style_t style = n->data.scalar.style;

	if (style == YAML_SINGLE_QUOTED_SCALAR_STYLE || style == YAML_DOUBLE_QUOTED_SCALAR_STYLE)
		p.col++;
	p.col += col;
	return p;
}

/* expect.segments: a list of segment lines. */
static int load_segments(struct loader *ld, yaml_node_t *n)
{
	struct expect *ex = &ld->sc->expect;
	char msg[200];
	size_t count;
	int col;

	if (expect_list(ld, n, "segments", "segment lines") < 0)
		return -1;
	ex->has_segments = true;
	count = list_len(n);
	if (count == 0)
		return 0;
	ex->segments = calloc(count, sizeof(*ex->segments));
	ex->segments_pos = calloc(count, sizeof(*ex->segments_pos));
	if (!ex->segments || !ex->segments_pos)
		return fail_oom(ld, n);
	ex->n_segments = count;
	for (size_t i = 0; i < count; i++) {
		yaml_node_t *item = list_item(ld, n, i);
		if (!is_text(item))
			return fail(ld, item, "a segment line must be a string, not %s", SHOW(item));
		ex->segments_pos[i] = node_pos(item);
		col = 0;
		if (seg_line_parse(scalar_text(item), &ex->segments[i], &col, msg, sizeof(msg)) < 0)
			return fail_at(ld, scalar_offset_pos(item, col), "bad segment line: %s", msg);
	}
	return 0;
}

/* One key of expect.delivered (client or server). */
static int delivered_pair(struct loader *ld, const char *key, yaml_node_t *k, yaml_node_t *v, void *ctx)
{
	struct expect *ex = ctx;
	enum role r = strcmp(key, "client") == 0 ? ROLE_CLIENT : ROLE_SERVER;

	ex->has_delivered[r] = true;
	return get_uint(ld, key, v, 0, UINT64_MAX, &ex->delivered[r]);
}

/* One key of expect.final: STATE_NAME: N. */
static int final_pair(struct loader *ld, const char *key, yaml_node_t *k, yaml_node_t *v, void *ctx)
{
	struct expect *ex = ctx;
	enum tcp_state s;

	if (get_state(ld, k, &s) < 0)
		return -1;
	if (ex->final_set[s])
		return fail(ld, k, "expect.final counts %s twice", tcp_state_name(s));
	ex->final_set[s] = true;
	return get_u32(ld, key, v, 0, UINT32_MAX, &ex->final[s]);
}

/* One key of `expect:`; ctx is the struct expect. */
static int expect_pair(struct loader *ld, const char *key, yaml_node_t *k, yaml_node_t *v, void *ctx)
{
	struct expect *ex = ctx;

	if (strcmp(key, "client") == 0)
		return load_states(ld, key, v, ROLE_CLIENT);
	if (strcmp(key, "server") == 0)
		return load_states(ld, key, v, ROLE_SERVER);
	if (strcmp(key, "delivered") == 0)
		return walk_mapping(ld, v, "expect.delivered", role_names, delivered_pair, ex);
	if (strcmp(key, "segments") == 0)
		return load_segments(ld, v);
	ex->has_final = true;
	return walk_mapping(ld, v, "expect.final", NULL, final_pair, ex);
}

/* ---- the top level ----------------------------------------------------- */

static const char *const top_keys[] = {
	"name", "summary", "seed", "profile", "tcp", "link", "endpoints", "timeline", "until",
	"expect", "show", "max_events", NULL,
};

static const char *const show_keys[] = { "connection", NULL };

/* One key of `show`: what the ladder and the pictures show. */
static int show_pair(struct loader *ld, const char *key, yaml_node_t *k, yaml_node_t *v, void *ctx)
{
	ld->show_connection_node = v;
	return get_u32(ld, "show.connection", v, 1, COUNT_MAX, &ld->sc->show_connection);
}

/* One key of the top-level mapping. */
static int top_pair(struct loader *ld, const char *key, yaml_node_t *k, yaml_node_t *v, void *ctx)
{
	static const char *const profiles[] = { "rfc9293", "linux", NULL };
	struct scenario *sc = ld->sc;
	int i;

	if (strcmp(key, "name") == 0) {
		if (get_text(ld, key, v, &sc->name) < 0)
			return -1;
		return sc->name[0] ? 0 : fail(ld, v, "name must not be empty");
	}
	if (strcmp(key, "summary") == 0)
		return get_text(ld, key, v, &sc->summary);
	if (strcmp(key, "seed") == 0)
		return get_uint(ld, key, v, 0, UINT64_MAX, &sc->seed);
	if (strcmp(key, "profile") == 0) {
		if (get_choice(ld, key, v, profiles, &i) < 0)
			return -1;
		sc->profile = (enum profile)i;
		sc->has_profile = true;
		return 0;
	}
	if (strcmp(key, "tcp") == 0)
		return walk_mapping(ld, v, "tcp", tcp_keys, tcp_pair, &sc->tcp);
	if (strcmp(key, "link") == 0)
		return load_link(ld, v);
	if (strcmp(key, "endpoints") == 0)
		return walk_mapping(ld, v, "endpoints", role_names, endpoints_pair, NULL);
	if (strcmp(key, "timeline") == 0)
		return load_timeline(ld, v);
	if (strcmp(key, "until") == 0) {
		sc->has_until = true;
		return get_duration(ld, key, v, &sc->until);
	}
	if (strcmp(key, "show") == 0)
		return walk_mapping(ld, v, "show", show_keys, show_pair, NULL);
	if (strcmp(key, "max_events") == 0)   /* docs/scenario-format.md, "Every run ends" */
		return get_uint(ld, key, v, 1, MAX_EVENTS_MAX, &sc->max_events);
	return walk_mapping(ld, v, "expect", expect_keys, expect_pair, &sc->expect);
}

/* ---- checks across keys ----------------------------------------------- */

/* rto_min must not exceed rto_max once the profile's defaults fill in. */
static int check_rto(struct loader *ld)
{
	struct tcp_params p;
	char a[32], b[32];

	tcp_params_resolve(ld->sc->profile, &ld->sc->tcp, &p);
	if (p.rto_min <= p.rto_max)
		return 0;
	time_format(p.rto_min, a);
	time_format(p.rto_max, b);
	return fail(ld, ld->rto_min_node ? ld->rto_min_node : ld->rto_max_node,
		    "rto_min (%ss) is greater than rto_max (%ss)", a, b);
}

/* Each client runs the client's timeline shifted by (k-1)*every: the last
 * one's calls must come within virtual time, which ends where a pcap
 * timestamp does (VTIME_MAX, 2^32 s); past it at + (k-1)*every would wrap
 * the 64-bit clock or the pcap's 32-bit seconds, and times would go
 * backwards. (Every other configured time is at most 1000 days.) */
static int check_virtual_time(struct loader *ld)
{
	const struct scenario *sc = ld->sc;
	uint64_t k = sc->ep[ROLE_CLIENT].count > 1 ? sc->ep[ROLE_CLIENT].count - 1 : 0;
	usec_t every = sc->ep[ROLE_CLIENT].every;
	char at[32], ev[32];

	if (k == 0 || every == 0)
		return 0;
	for (size_t i = 0; i < sc->n_timeline; i++) {
		const struct timeline_entry *te = &sc->timeline[i];
		if (te->call == CALL_INJECT || te->who != ROLE_CLIENT)
			continue;
		if (te->at <= VTIME_MAX && k <= (VTIME_MAX - te->at) / every)
			continue;
		time_format(te->at, at);
		time_format(every, ev);
		return fail(ld, ld->every_node,
			    "every: client#%llu's call at %ss would come at %ss + %llu x %ss = %.0f s, past the "
			    "end of virtual time (2^32 s, about 136 years, the most a pcap timestamp holds); "
			    "make every or count smaller",
			    (unsigned long long)k + 1, at, at, (unsigned long long)k, ev,
			    ((double)te->at + (double)k * (double)every) / 1e6);
	}
	return 0;
}

/* With many clients the server's calls act on its listener, whose own
 * connection never comes: `wait: established` is for the clients there. */
static int check_waits(struct loader *ld)
{
	const struct scenario *sc = ld->sc;
	if (sc->ep[ROLE_CLIENT].count <= 1)
		return 0;
	for (size_t i = 0; i < sc->n_timeline; i++) {
		const struct timeline_entry *te = &sc->timeline[i];
		if (te->wait_established && te->call != CALL_INJECT && te->who == ROLE_SERVER)
			return fail_at(ld, te->pos, "wait: established is for the clients when there are %u: "
				       "the server's calls act on its listener", sc->ep[ROLE_CLIENT].count);
	}
	return 0;
}

/* show.connection names one of the connections. */
static int check_show(struct loader *ld)
{
	uint32_t count = ld->sc->ep[ROLE_CLIENT].count ? ld->sc->ep[ROLE_CLIENT].count : 1;
	uint32_t k = ld->sc->show_connection;
	if (k <= count)
		return 0;
	return fail(ld, ld->show_connection_node, "show.connection is %u, but the scenario has %u connection%s", k,
		    count, count == 1 ? "" : "s");
}

/* The client and the server cannot share an address and port. */
static int check_addresses(struct loader *ld)
{
	const struct endpoint_spec *c = &ld->sc->ep[ROLE_CLIENT], *s = &ld->sc->ep[ROLE_SERVER];
	yaml_node_t *at = ld->port_node[ROLE_SERVER];
	struct in_addr a = { .s_addr = htonl(c->ip) };
	char ip[INET_ADDRSTRLEN];

	/* client#K has the client's address plus K-1 (plus one to step over the
	 * server's): the last must still be an address. */
	if (c->count > 1 && (uint64_t)c->ip + c->count > 0xffffffffu) {
		struct in_addr b = { .s_addr = htonl(c->ip) };
		char first[INET_ADDRSTRLEN];
		inet_ntop(AF_INET, &b, first, sizeof(first));
		return fail(ld, ld->ip_node[ROLE_CLIENT] ? ld->ip_node[ROLE_CLIENT] : ld->port_node[ROLE_CLIENT],
			    "%u clients, one address each from %s, run past 255.255.255.255", c->count, first);
	}
	if (c->ip != s->ip || c->port != s->port)
		return 0;
	if (!at)
		at = ld->ip_node[ROLE_SERVER];
	if (!at)
		at = ld->port_node[ROLE_CLIENT] ? ld->port_node[ROLE_CLIENT] : ld->ip_node[ROLE_CLIENT];
	inet_ntop(AF_INET, &a, ip, sizeof(ip));
	return fail(ld, at, "the client and the server have the same address %s:%u", ip,
		    (unsigned)c->port);
}

/* "client", "server", "client#K", "server#K" with 1 <= K <= count: its role
 * and K (0 for the bare name). -1 for any other name. */
static int parse_endpoint_name(const char *name, uint32_t count, enum role *r, uint32_t *k)
{
	uint64_t v;
	const char *rest;

	if (strncmp(name, "client", 6) == 0)
		*r = ROLE_CLIENT;
	else if (strncmp(name, "server", 6) == 0)
		*r = ROLE_SERVER;
	else
		return -1;
	rest = name + 6;
	*k = 0;
	if (*rest == '\0')
		return 0;
	if (*rest != '#' || rest[1] == '0' || decimal_u64(rest + 1, strlen(rest + 1), &v) < 0 || v < 1 || v > count)
		return -1;
	*k = (uint32_t)v;
	return 0;
}

/* Every segment line names a client side and a server side of this
 * scenario, and with numbers, the same connection. */
static int check_segment_names(struct loader *ld)
{
	const struct expect *ex = &ld->sc->expect;
	uint32_t count = ld->sc->ep[ROLE_CLIENT].count;
	char names[80];

	if (count > 1)
		snprintf(names, sizeof(names), "client, server, client#1..client#%" PRIu32
			 " or server#1..server#%" PRIu32, count, count);
	else
		snprintf(names, sizeof(names), "client or server");
	for (size_t i = 0; i < ex->n_segments; i++) {
		const struct seg_line *l = &ex->segments[i];
		enum role rs, rd;
		uint32_t ks, kd;
		if (parse_endpoint_name(l->src, count, &rs, &ks) < 0)
			return fail_at(ld, ex->segments_pos[i], "unknown endpoint '%s' in segment line (expected %s)",
				       l->src, names);
		if (parse_endpoint_name(l->dst, count, &rd, &kd) < 0)
			return fail_at(ld, ex->segments_pos[i], "unknown endpoint '%s' in segment line (expected %s)",
				       l->dst, names);
		if (rs == rd)
			return fail_at(ld, ex->segments_pos[i],
				       "a segment goes between a client and a server, not %s > %s", l->src, l->dst);
		if (ks && kd && ks != kd)
			return fail_at(ld, ex->segments_pos[i],
				       "%s and %s are not the two ends of one connection", l->src, l->dst);
	}
	return 0;
}

/* ---- the file ---------------------------------------------------------- */

/* The whole file into *buf (NUL-terminated); -1 with "FILE: cannot read: why". */
static int read_file(const char *path, char **buf, size_t *len, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 4096, n = 0, got;
	char *b = NULL, *nb;
	int e = 0;

	if (!f)
		goto fail;
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
static int check_nesting(struct loader *ld, const char *buf, size_t len)
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
static int load_document(struct loader *ld, const char *buf, size_t len, yaml_document_t *doc)
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

/* The file's base name without .yaml or .yml (kept when nothing would remain). */
static char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/'), *b = slash ? slash + 1 : path;
	size_t n = strlen(b);

	if (n > 5 && strcmp(b + n - 5, ".yaml") == 0)
		n -= 5;
	else if (n > 4 && strcmp(b + n - 4, ".yml") == 0)
		n -= 4;
	return strndup(b, n);
}

/* The defaults of every key that has one. */
static void set_defaults(struct scenario *sc)
{
	sc->seed = 1;
	sc->profile = PROFILE_RFC9293;
	sc->ep[ROLE_CLIENT] = (struct endpoint_spec){
		.ip = 0x0a000001, .port = 40000, .isn = 1000, .count = 1,
	};
	sc->ep[ROLE_SERVER] = (struct endpoint_spec){
		.ip = 0x0a000002, .port = 80, .isn = 5000, .count = 1,
	};
}

/* Walks the document's top-level mapping, then checks across keys. */
static int load_scenario(struct loader *ld)
{
	yaml_node_t *root = yaml_document_get_root_node(ld->doc);
	struct scenario *sc = ld->sc;

	if (!root)
		return fail_at(ld, (struct src_pos){ 1, 1 },
			       "the file is empty: a scenario is a mapping of keys (timeline:, expect:, ...)");
	if (root->type != YAML_MAPPING_NODE)
		return fail_at(ld, (struct src_pos){ 1, 1 },
			       "a scenario is a mapping of keys (timeline:, expect:, ...), not %s",
			       SHOW(root));
	if (walk_mapping(ld, root, "the scenario", top_keys, top_pair, NULL) < 0)
		return -1;
	if (check_rto(ld) < 0 || check_addresses(ld) < 0 || check_segment_names(ld) < 0 || check_show(ld) < 0 ||
	    check_waits(ld) < 0 || check_virtual_time(ld) < 0)
		return -1;
	if (!sc->name && !(sc->name = strdup(sc->base)))
		return fail_oom(ld, root);
	return 0;
}

static int apply_settings(struct loader *ld, const struct scenario_setting *set, size_t n_set);

/* Read, check nesting, load the document, apply the settings, walk it; on
 * error free what was filled in and leave *sc zeroed. */
static int load_file(const char *path, const struct scenario_setting *set, size_t n_set,
		     struct scenario *sc, char *err, size_t errlen)
{
	struct loader ld = { .path = path, .sc = sc, .err = err, .errlen = errlen };
	yaml_document_t doc;
	char *buf = NULL;
	size_t len = 0;
	int rc;

	memset(sc, 0, sizeof(*sc));
	if (errlen)
		err[0] = '\0';
	if (read_file(path, &buf, &len, err, errlen) < 0)
		return -1;
	set_defaults(sc);
	sc->path = strdup(path);
	sc->base = base_name(path);
	rc = check_nesting(&ld, buf, len);
	if (rc == 0 && (!sc->path || !sc->base))
		rc = fail_at(&ld, (struct src_pos){ 1, 1 }, "out of memory");
	if (rc == 0)
		rc = load_document(&ld, buf, len, &doc);
	if (rc == 0) {
		ld.doc = &doc;
		rc = apply_settings(&ld, set, n_set);
		if (rc == 0)
			rc = load_scenario(&ld);
		yaml_document_delete(&doc);
	}
	free(buf);
	if (rc < 0)
		scenario_free(sc);
	return rc;
}

int scenario_load(const char *path, struct scenario *sc, char *err, size_t errlen)
{
	return load_file(path, NULL, 0, sc, err, errlen);
}

/* ---- settings (sweep --set) -------------------------------------------- */

int scenario_load_with(const char *path, const struct scenario_setting *set, size_t n_set,
		       struct scenario *sc, char *err, size_t errlen)
{
	return load_file(path, set, n_set, sc, err, errlen);
}

/* "--set KEY: message" into ld->err; always returns -1. */
static int set_fail(struct loader *ld, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int set_fail(struct loader *ld, const char *key, const char *fmt, ...)
{
	char msg[MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	sanitize(msg);
	snprintf(ld->err, ld->errlen, "--set %s: %s", key, msg);
	return -1;
}

/* The id of the value under name (len bytes) in mapping map_id, or 0; *pair_at
 * receives the pair's index. */
static int mapping_find(struct loader *ld, int map_id, const char *name, size_t len, size_t *pair_at)
{
	yaml_node_t *map = node_at(ld, map_id);

	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = node_at(ld, p->key);
		if (k && is_scalar(k) && k->data.scalar.length == len &&
		    memcmp(k->data.scalar.value, name, len) == 0) {
			*pair_at = (size_t)(p - map->data.mapping.pairs.start);
			return p->value;
		}
	}
	return 0;
}

/* Adds the pair name: (a new node made by the caller, value_id) to mapping
 * map_id; the new nodes are placed, for messages, where the mapping starts.
 * Returns 0, or -1 when out of memory. */
static int mapping_add(struct loader *ld, int map_id, const char *name, size_t len, int value_id)
{
	int key_id = yaml_document_add_scalar(ld->doc, NULL, (yaml_char_t *)name, (int)len,
					      YAML_PLAIN_SCALAR_STYLE);

	if (!key_id || !yaml_document_append_mapping_pair(ld->doc, map_id, key_id, value_id))
		return -1;
	yaml_mark_t at = node_at(ld, map_id)->start_mark;
	node_at(ld, key_id)->start_mark = node_at(ld, key_id)->end_mark = at;
	node_at(ld, value_id)->start_mark = node_at(ld, value_id)->end_mark = at;
	return 0;
}

/* One setting: walks (creating what is missing) the mappings along the
 * dotted key from the root, then puts the value there as a plain scalar. A
 * replaced value keeps its place in the file for the loader's messages, an
 * added one takes its mapping's.
 * Node pointers move when a node is added: only ids are kept across adds. */
static int apply_setting(struct loader *ld, const struct scenario_setting *st)
{
	const char *key = st->key, *name = key;
	int map_id = 1;   /* the root */
	yaml_node_t *root = yaml_document_get_root_node(ld->doc);

	if (!root && !yaml_document_add_mapping(ld->doc, NULL, YAML_BLOCK_MAPPING_STYLE))
		return set_fail(ld, key, "out of memory");
	if (node_at(ld, map_id)->type != YAML_MAPPING_NODE)
		return set_fail(ld, key, "the scenario is not a mapping of keys");
	for (;;) {
		const char *dot = strchr(name, '.');
		size_t len = dot ? (size_t)(dot - name) : strlen(name);
		size_t at = 0;
		int id;

		if (len == 0)
			return set_fail(ld, key, "a key is a dotted path of names such as link.loss");
		id = mapping_find(ld, map_id, name, len, &at);
		if (!dot) {
			yaml_node_t *old = id ? node_at(ld, id) : NULL;
			yaml_mark_t start = old ? old->start_mark : (yaml_mark_t){ 0 };
			yaml_mark_t end = old ? old->end_mark : (yaml_mark_t){ 0 };
			int vid = yaml_document_add_scalar(ld->doc, NULL, (yaml_char_t *)st->value,
							   (int)strlen(st->value), YAML_PLAIN_SCALAR_STYLE);
			if (!vid)
				return set_fail(ld, key, "out of memory");
			node_at(ld, vid)->start_mark = start;
			node_at(ld, vid)->end_mark = end;
			if (id) {
				node_at(ld, map_id)->data.mapping.pairs.start[at].value = vid;
				return 0;
			}
			return mapping_add(ld, map_id, name, len, vid) < 0 ? set_fail(ld, key, "out of memory") : 0;
		}
		if (!id) {
			id = yaml_document_add_mapping(ld->doc, NULL, YAML_BLOCK_MAPPING_STYLE);
			if (!id || mapping_add(ld, map_id, name, len, id) < 0)
				return set_fail(ld, key, "out of memory");
		} else if (node_at(ld, id)->type != YAML_MAPPING_NODE) {
			return set_fail(ld, key, "%.*s is %s, not a mapping of keys", (int)(dot - key), key,
					SHOW(node_at(ld, id)));
		}
		map_id = id;
		name = dot + 1;
	}
}

/* Applies the settings in order to the loaded document. */
static int apply_settings(struct loader *ld, const struct scenario_setting *set, size_t n_set)
{
	for (size_t i = 0; i < n_set; i++)
		if (apply_setting(ld, &set[i]) < 0)
			return -1;
	return 0;
}
