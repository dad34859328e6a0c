/* sendq.c - the replay's queue of bytes not yet taken by a socket (sendq.h). */
#include <stdlib.h>
#include <string.h>
#include "replay/sendq.h"

uint8_t *sendq_extend(struct sendq *q, size_t n)
{
	size_t len = q->tail - q->head;

	if (q->cap - q->tail < n) {
		if (q->head >= len && q->cap - len >= n) {
			/* The taken part is at least as long as what remains:
			 * moving the rest to the front is paid for by what was
			 * sent. */
			memmove(q->buf, q->buf + q->head, len);
			q->moved += len;
		} else {
			/* At least twice the size: copying into a buffer as
			 * big would be the move above without its condition. */
			size_t cap = q->cap ? q->cap * 2 : 4096;
			while (cap - len < n) {
				if (cap > SIZE_MAX / 2)
					return NULL;
				cap *= 2;
			}
			uint8_t *b = malloc(cap);
			if (!b)
				return NULL;
			if (len)
				memcpy(b, q->buf + q->head, len);
			q->moved += len;
			free(q->buf);
			q->buf = b;
			q->cap = cap;
		}
		q->head = 0;
		q->tail = len;
	}
	uint8_t *at = q->buf + q->tail;
	q->tail += n;
	return at;
}

const uint8_t *sendq_data(const struct sendq *q)
{
	return q->buf + q->head;
}

size_t sendq_len(const struct sendq *q)
{
	return q->tail - q->head;
}

void sendq_consume(struct sendq *q, size_t n)
{
	if (n > q->tail - q->head)
		n = q->tail - q->head;
	q->head += n;
	if (q->head == q->tail)
		q->head = q->tail = 0;   /* empty: the next bytes go to the front */
}

void sendq_free(struct sendq *q)
{
	free(q->buf);
	memset(q, 0, sizeof *q);
}
