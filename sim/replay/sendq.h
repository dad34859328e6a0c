/* sendq.h - the bytes the replay's application has written but the socket
 * has not taken yet: appended at the end, taken from the front.
 *
 * Taking from the front only advances an offset; the bytes still queued are
 * moved to the front of the buffer only when room is needed at the end and
 * at least as many bytes were taken as remain (otherwise the buffer doubles).
 * Each byte is so moved at most once per byte taken before it: queueing and
 * sending N bytes costs O(N) whatever the pieces, where a memmove of the
 * queue on every partial send cost O(N^2 / piece). */
#ifndef TCPSIM_SENDQ_H
#define TCPSIM_SENDQ_H

#include <stddef.h>
#include <stdint.h>

struct sendq {
	uint8_t *buf;
	size_t head, tail, cap;      /* queued: buf[head, tail) */
	uint64_t moved;              /* bytes copied within or between buffers so far (for the tests) */
};

/* All zero is an empty queue. */
#define SENDQ_INIT { 0 }

/* Makes room for n more bytes at the end and returns where they go (the
 * caller fills all n: they are queued). NULL when memory ran out (nothing
 * changed). */
uint8_t *sendq_extend(struct sendq *q, size_t n);
/* The queued bytes: sendq_len of them from sendq_data. */
const uint8_t *sendq_data(const struct sendq *q);
size_t sendq_len(const struct sendq *q);
/* The first n (at most sendq_len) queued bytes were sent: drops them. */
void sendq_consume(struct sendq *q, size_t n);
/* Frees the buffer; the queue is empty again. */
void sendq_free(struct sendq *q);

#endif
