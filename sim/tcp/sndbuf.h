/* sndbuf.h - the send queue: the bytes the application handed to SEND that
 * the peer has not yet acknowledged (RFC 9293 section 3.10.2 queues them,
 * section 3.10.7.4's fifth step drops what an ACK covers).
 *
 * The stream is the pattern (payload_pattern_byte() of the stream offset) except
 * where a `data:` send put bytes of its own, so only those are stored: a
 * chunk each, in stream order. A `bytes: N` send of any size therefore costs
 * no memory, an ACK costs the chunks it frees, and a connection with nothing
 * queued holds no memory at all (a million in TIME_WAIT hold none).
 *
 * Offsets and lengths are 64-bit stream offsets, never sequence numbers:
 * sequence numbers wrap at 2^32 (RFC 9293 section 3.4), the queue's
 * accounting must not. The queue holds at most UINT64_MAX bytes over the
 * connection's life; sndbuf_append() refuses a send that would pass it
 * (unreachable from a scenario: one send is at most 2^32-1 bytes). */
#ifndef TCPSIM_SNDBUF_H
#define TCPSIM_SNDBUF_H

#include <stdint.h>

/* The most bytes one sndbuf_read() reads: above any MSS (at most 65495). */
#define SNDBUF_READ_MAX 65536u

/* Bytes of a `data:` send, at stream offsets off .. off+len-1. */
struct snd_chunk {
	struct snd_chunk *next;
	uint64_t off;
	uint32_t len;
	uint8_t bytes[];
};

struct sndbuf {
	uint64_t head;                /* stream offset of the first byte queued */
	uint64_t tail;                /* stream offset past the last: every byte ever queued */
	struct snd_chunk *first, *last;  /* the stored bytes that reach past head, in order */
};

/* Bytes queued: handed over by the application, not yet acknowledged. */
static inline uint64_t sndbuf_len(const struct sndbuf *b) { return b->tail - b->head; }

/* Queues len bytes after the last: data's, or the pattern's when data is
 * NULL. Returns 0, or -1 (nothing queued) when out of memory or when the
 * total queued over the connection's life would pass UINT64_MAX. */
int sndbuf_append(struct sndbuf *b, const uint8_t *data, uint32_t len);

/* Drops the first n bytes (n at most sndbuf_len()): an ACK covered them.
 * Frees the chunks that end within them; O(chunks freed). */
void sndbuf_drop(struct sndbuf *b, uint64_t n);

/* The n bytes (n at most SNDBUF_READ_MAX) that start `at` bytes after the
 * first queued, all of them queued. Returns a pointer into the chunk that
 * holds them all when one does, else into scratch, which it fills (reading
 * across chunk and pattern boundaries). Valid until the next change of b. */
const uint8_t *sndbuf_read(const struct sndbuf *b, uint64_t at, uint32_t n, uint8_t *scratch);

/* Frees every chunk and empties the queue; head and tail become 0. */
void sndbuf_free(struct sndbuf *b);

#endif
