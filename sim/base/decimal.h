/* decimal.h - the one way tcpsim reads an unsigned decimal number, in the
 * scenario, on the command line and in a sweep's arguments alike. */
#ifndef TCPSIM_DECIMAL_H
#define TCPSIM_DECIMAL_H

#include <stddef.h>
#include <stdint.h>

/* The len characters at s as a number into *out: decimal digits only (no
 * sign, space or base prefix). Returns 0, or -1 when empty, not a number or
 * past 2^64-1 (*out untouched). */
int decimal_u64(const char *s, size_t len, uint64_t *out);

#endif
