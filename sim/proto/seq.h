/* seq.h - TCP sequence-number arithmetic, modulo 2^32 (RFC 9293 section 3.4). */
#ifndef TCPSIM_SEQ_H
#define TCPSIM_SEQ_H

#include <stdbool.h>
#include <stdint.h>

/* a < b in sequence space: the RFC's "<" (Linux before()). */
static inline bool seq_lt(uint32_t a, uint32_t b) { return (int32_t)(a - b) < 0; }
/* a =< b in sequence space. */
static inline bool seq_le(uint32_t a, uint32_t b) { return (int32_t)(a - b) <= 0; }
static inline bool seq_gt(uint32_t a, uint32_t b) { return (int32_t)(a - b) > 0; }
static inline bool seq_ge(uint32_t a, uint32_t b) { return (int32_t)(a - b) >= 0; }
/* lo =< x < hi, the window test used by Table 6. */
static inline bool seq_in_window(uint32_t x, uint32_t lo, uint32_t len)
{
	return (uint32_t)(x - lo) < len;
}
static inline uint32_t seq_max(uint32_t a, uint32_t b) { return seq_gt(a, b) ? a : b; }

#endif
