/* duration.c - durations with a unit ("250ms", "1.5s") and the time format
 * the ladder and the segment lines print ("1.050"). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "duration.h"

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
