/* duration.c - durations with a unit ("250ms", "1.5s"), hints for the ones
 * that are not, and the time format the ladder and the segment lines print
 * ("1.050"). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "base/duration.h"
#include "base/suggest.h"

static const struct {
	const char *name;
	uint64_t usec;
} duration_units[] = {
	{ "us", 1 },
	{ "ms", USEC_PER_MS },
	{ "s", USEC_PER_SEC },
	{ "min", 60 * USEC_PER_SEC },
};

/* A decimal number as read: integer part, fraction digits (trailing zeros
 * dropped) and how many of them. */
struct decimal {
	uint64_t whole;
	uint64_t frac;
	int frac_digits;
};

/* Reads DIGITS[.DIGITS] at *p, advancing *p. -1 when there is no digit, a
 * '.' without digits after it, or more than the types can hold. */
static int read_decimal(const char **p, struct decimal *d)
{
	const char *s = *p;
	int zeros = 0;

	memset(d, 0, sizeof(*d));
	if (*s < '0' || *s > '9')
		return -1;
	for (; *s >= '0' && *s <= '9'; s++) {
		unsigned digit = (unsigned)(*s - '0');
		if (d->whole > (UINT64_MAX - digit) / 10)
			return -1;
		d->whole = d->whole * 10 + digit;
	}
	if (*s == '.') {
		s++;
		if (*s < '0' || *s > '9')
			return -1;
		for (; *s >= '0' && *s <= '9'; s++) {
			if (*s == '0') {
				zeros++;
				continue;
			}
			/* Nine significant decimals are more than any unit can use. */
			if (d->frac_digits + zeros + 1 > 9)
				return -1;
			for (; zeros > 0; zeros--, d->frac_digits++)
				d->frac *= 10;
			d->frac = d->frac * 10 + (uint64_t)(*s - '0');
			d->frac_digits++;
		}
	}
	*p = s;
	return 0;
}

/* d * unit in whole microseconds; -1 on overflow or a remainder below 1us. */
static int decimal_scale(const struct decimal *d, uint64_t unit, usec_t *out)
{
	uint64_t pow10 = 1, frac_us;

	for (int i = 0; i < d->frac_digits; i++)
		pow10 *= 10;
	/* frac < 10^9 and unit <= 6*10^7: the product fits in 64 bits. */
	if ((d->frac * unit) % pow10 != 0)
		return -1;
	frac_us = d->frac * unit / pow10;
	if (d->whole > (UINT64_MAX - frac_us) / unit)
		return -1;
	*out = d->whole * unit + frac_us;
	return 0;
}

/* "250ms", "1.5s", "2min", "40us", a bare zero ("0"). */
int duration_parse(const char *text, usec_t *out)
{
	struct decimal d;
	const char *p = text;

	if (!text || read_decimal(&p, &d) < 0)
		return -1;
	if (*p == '\0') {
		if (d.whole != 0 || d.frac != 0)
			return -1;
		*out = 0;
		return 0;
	}
	for (size_t i = 0; i < sizeof(duration_units) / sizeof(duration_units[0]); i++)
		if (strcmp(p, duration_units[i].name) == 0)
			return decimal_scale(&d, duration_units[i].usec, out);
	return -1;
}

/* Seconds: three decimals for whole milliseconds, six otherwise. */
void time_format(usec_t t, char out[32])
{
	uint64_t sec = t / USEC_PER_SEC, us = t % USEC_PER_SEC;

	if (us % USEC_PER_MS == 0)
		snprintf(out, 32, "%" PRIu64 ".%03" PRIu64, sec, (uint64_t)(us / USEC_PER_MS));
	else
		snprintf(out, 32, "%" PRIu64 ".%06" PRIu64, sec, us);
}

/* ---- hints for a duration that does not parse -------------------------- */

/* Other spellings of the units, as people write them. */
static const struct {
	const char *alias;
	const char *unit;
} unit_aliases[] = {
	{ "sec", "s" }, { "secs", "s" }, { "second", "s" }, { "seconds", "s" },
	{ "msec", "ms" }, { "msecs", "ms" }, { "millis", "ms" }, { "millisecond", "ms" },
	{ "milliseconds", "ms" },
	{ "usec", "us" }, { "usecs", "us" }, { "\xc2\xb5s", "us" }, { "\xce\xbcs", "us" },
	{ "microsecond", "us" }, { "microseconds", "us" },
	{ "mins", "min" }, { "minute", "min" }, { "minutes", "min" },
};

/* Units that tcpsim has not, in minutes each. */
static const struct {
	const char *name;
	uint64_t minutes;
	const char *what;
} big_units[] = {
	{ "h", 60, "hour" }, { "hr", 60, "hour" }, { "hrs", 60, "hour" }, { "hour", 60, "hour" },
	{ "hours", 60, "hour" }, { "d", 1440, "day" }, { "day", 1440, "day" }, { "days", 1440, "day" },
};

/* "NUMBER" followed by unit into buf when that parses to at most max; 0,
 * or -1. */
static int candidate(const char *number, size_t len, const char *unit, usec_t max, char *buf, size_t cap)
{
	usec_t v;

	if (snprintf(buf, cap, "%.*s%s", (int)len, number, unit) >= (int)cap)
		return -1;
	return duration_parse(buf, &v) == 0 && v <= max ? 0 : -1;
}

int duration_hint(const char *text, usec_t max, char *buf, size_t cap)
{
	static const char *const unit_names[] = { "us", "ms", "s", "min", NULL };
	char a[48], b[48], unit[16];
	const char *p = text, *guess = NULL;
	struct decimal d;
	size_t num_len, n;

	if (!text || read_decimal(&p, &d) < 0)
		return -1;
	num_len = (size_t)(p - text);
	while (*p == ' ')
		p++;
	if (*p == '\0') {
		/* A bare number: whole ones are usually milliseconds here. */
		if (p != text + num_len)
			return -1;
		if (candidate(text, num_len, memchr(text, '.', num_len) ? "s" : "ms", max, a, sizeof(a)) < 0 &&
		    candidate(text, num_len, "us", max, a, sizeof(a)) < 0)
			return -1;
		snprintf(buf, cap, "write the unit, e.g. %s", a);
		return 0;
	}
	n = strlen(p);
	if (n >= sizeof(unit))
		return -1;
	for (size_t i = 0; i <= n; i++)
		unit[i] = (char)((p[i] >= 'A' && p[i] <= 'Z') ? p[i] - 'A' + 'a' : p[i]);
	if (strcmp(unit, "m") == 0) {
		if (candidate(text, num_len, "min", max, a, sizeof(a)) < 0 ||
		    candidate(text, num_len, "ms", max, b, sizeof(b)) < 0)
			return -1;
		snprintf(buf, cap, "did you mean %s or %s?", a, b);
		return 0;
	}
	for (size_t i = 0; i < sizeof(big_units) / sizeof(big_units[0]); i++) {
		if (strcmp(unit, big_units[i].name) != 0)
			continue;
		if (d.frac_digits || d.whole > UINT64_MAX / big_units[i].minutes)
			return -1;
		snprintf(a, sizeof(a), "%" PRIu64, d.whole * big_units[i].minutes);
		if (candidate(a, strlen(a), "min", max, b, sizeof(b)) < 0)
			return -1;
		snprintf(buf, cap, "did you mean %s? (there is no %s unit)", b, big_units[i].what);
		return 0;
	}
	for (size_t i = 0; !guess && unit_names[i]; i++)
		if (strcmp(unit, unit_names[i]) == 0)
			guess = unit_names[i];       /* "5 s", "5MS" */
	for (size_t i = 0; !guess && i < sizeof(unit_aliases) / sizeof(unit_aliases[0]); i++)
		if (strcmp(unit, unit_aliases[i].alias) == 0)
			guess = unit_aliases[i].unit;
	if (!guess)
		guess = suggest_closest(unit, unit_names);
	if (!guess || candidate(text, num_len, guess, max, a, sizeof(a)) < 0)
		return -1;
	snprintf(buf, cap, "did you mean %s?", a);
	return 0;
}
