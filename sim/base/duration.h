/* duration.h - virtual time: microseconds since the scenario's start. */
#ifndef TCPSIM_DURATION_H
#define TCPSIM_DURATION_H

#include <stddef.h>
#include <stdint.h>

typedef uint64_t usec_t;

#define USEC_PER_MS 1000ull
#define USEC_PER_SEC 1000000ull

/* The end of virtual time: the last instant a pcap timestamp (32-bit
 * seconds, microseconds) can hold, 2^32 s less 1 us (about 136 years). The
 * loader refuses a scenario whose times pass it, and a run stops there. */
#define VTIME_MAX ((1ull << 32) * USEC_PER_SEC - 1)

/* Parses "250ms", "1.5s", "2min", "40us" or a bare "0". Returns 0, or -1 for a
 * missing or unknown unit, a negative or malformed number, or an overflow. */
int duration_parse(const char *text, usec_t *out);

/* For a text duration_parse() refused, what the writer probably meant, as
 * the end of a sentence: "did you mean 2min or 2ms?" for "2m", "did you
 * mean 5s?" for "5sec" or "5 s", "did you mean 120min? (there is no hour
 * unit)" for "2h", "write the unit, e.g. 40ms" for a bare "40". Each
 * duration offered parses and is at most max. Returns 0 with the hint in
 * buf, or -1 when there is no good guess (buf untouched). */
int duration_hint(const char *text, usec_t max, char *buf, size_t cap);

/* Seconds with three decimals when the time is whole milliseconds ("1.050"),
 * six otherwise ("1.050250"). out must hold 32 bytes. */
void time_format(usec_t t, char out[32]);

#endif
