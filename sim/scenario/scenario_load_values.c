/* scenario_load_values.c - one scalar of the document into a value of the
 * scenario (an integer in a range, a duration with its unit, a probability,
 * a choice, an address, flags, a state), or a message that says what the
 * value must be. */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>
#include "base/decimal.h"
#include "proto/segment.h"
#include "scenario/scenario_load_int.h"

/* ---- scalar values ----------------------------------------------------- */

/* A string without NUL bytes, copied into *out. */
int get_text(struct loader *ld, const char *key, yaml_node_t *n, char **out)
{
	if (!is_scalar(n))
		return fail(ld, n, "%s must be a string, not %s", key, SHOW(n));
	if (!is_text(n))
		return fail(ld, n, "%s must not contain NUL bytes", key);
	*out = strdup(scalar_text(n));
	return *out ? 0 : fail_oom(ld, n);
}

/* An integer in min..max. */
int get_uint(struct loader *ld, const char *key, yaml_node_t *n,
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
int get_u32(struct loader *ld, const char *key, yaml_node_t *n,
		   uint32_t min, uint32_t max, uint32_t *out)
{
	uint64_t v = 0;

	if (get_uint(ld, key, n, min, max, &v) < 0)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

/* get_uint() into an int field; min >= 0. */
int get_int(struct loader *ld, const char *key, yaml_node_t *n, int min, int max, int *out)
{
	uint64_t v = 0;   /* get_uint() fails in another file: the compiler cannot see it sets v */

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
int get_duration(struct loader *ld, const char *key, yaml_node_t *n, usec_t *out)
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
int get_positive_duration(struct loader *ld, const char *key, yaml_node_t *n, usec_t *out)
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
int get_probability(struct loader *ld, const char *key, yaml_node_t *n, double *out)
{
	if (!is_text(n) || parse_probability(scalar_text(n), out) < 0)
		return fail(ld, n, "%s must be a probability between 0 and 1, not %s", key, SHOW(n));
	return 0;
}

/* One of choices (a NULL-terminated list); *out is its index. */
int get_choice(struct loader *ld, const char *key, yaml_node_t *n,
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

const char *const role_names[] = { "client", "server", NULL };

/* client or server. */
int get_role(struct loader *ld, const char *key, yaml_node_t *n, enum role *out)
{
	int i = 0;   /* as in get_int() */

	if (get_choice(ld, key, n, role_names, &i) < 0)
		return -1;
	*out = (enum role)i;
	return 0;
}

/* A unicast IPv4 address in dotted-quad form, kept in host byte order. */
int get_ipv4(struct loader *ld, const char *key, yaml_node_t *n, uint32_t *out)
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
int get_flags(struct loader *ld, const char *key, yaml_node_t *n, uint8_t *out)
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
int get_state(struct loader *ld, yaml_node_t *n, enum tcp_state *out)
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
