/* sndbuf.c - the send queue (sndbuf.h): the pattern by stream offset, with
 * the bytes of `data:` sends stored as chunks. */
#include <stdlib.h>
#include <string.h>
#include "tcp/sndbuf.h"
#include "proto/payload.h"

/* A chunk of data's len bytes at stream offset b->tail, linked last. The
 * pattern stores nothing: payload_pattern_byte() of the offset is its byte. */
int sndbuf_append(struct sndbuf *b, const uint8_t *data, uint32_t len)
{
	if (len > UINT64_MAX - b->tail)
		return -1;
	if (data && len) {
		struct snd_chunk *c = malloc(sizeof *c + len);
		if (!c)
			return -1;
		c->next = NULL;
		c->off = b->tail;
		c->len = len;
		memcpy(c->bytes, data, len);
		if (b->last)
			b->last->next = c;
		else
			b->first = c;
		b->last = c;
	}
	b->tail += len;
	return 0;
}

/* Moves head; a chunk goes once its last byte lies before the new head. */
void sndbuf_drop(struct sndbuf *b, uint64_t n)
{
	b->head += n;
	while (b->first && b->first->off + b->first->len <= b->head) {
		struct snd_chunk *next = b->first->next;
		free(b->first);
		b->first = next;
	}
	if (!b->first)
		b->last = NULL;
}

/* Walks the chunks from the first (those before the range are skipped, at
 * most the chunks in flight), filling the gaps between them with the
 * pattern. */
const uint8_t *sndbuf_read(const struct sndbuf *b, uint64_t at, uint32_t n, uint8_t *scratch)
{
	uint64_t pos = b->head + at, end = pos + n;
	const struct snd_chunk *c = b->first;
	while (c && c->off + c->len <= pos)
		c = c->next;
	if (c && c->off <= pos && end <= c->off + c->len)
		return c->bytes + (pos - c->off);
	uint8_t *p = scratch;
	while (pos < end) {
		if (!c || c->off >= end) {
			payload_pattern_fill(p, pos, (uint32_t)(end - pos));
			break;
		}
		if (pos < c->off) {
			uint32_t gap = (uint32_t)(c->off - pos);
			payload_pattern_fill(p, pos, gap);
			p += gap;
			pos = c->off;
		}
		uint64_t stop = c->off + c->len < end ? c->off + c->len : end;
		memcpy(p, c->bytes + (pos - c->off), (size_t)(stop - pos));
		p += stop - pos;
		pos = stop;
		c = c->next;
	}
	return scratch;
}

void sndbuf_free(struct sndbuf *b)
{
	while (b->first) {
		struct snd_chunk *next = b->first->next;
		free(b->first);
		b->first = next;
	}
	b->last = NULL;
	b->head = b->tail = 0;
}
