/* eventq.c - binary min-heap of events keyed by (at, order). */
#include <stdlib.h>
#include "eventq.h"

void eventq_init(struct eventq *q)
{
	q->heap = NULL;
	q->n = q->cap = 0;
	q->next_order = 0;
}

void eventq_free(struct eventq *q)
{
	free(q->heap);
	eventq_init(q);
}

static inline bool ev_before(const struct event *x, const struct event *y)
{
	return x->at < y->at || (x->at == y->at && x->order < y->order);
}

int eventq_push(struct eventq *q, usec_t at, enum ev_kind kind, uint32_t a, uint32_t b, uint32_t gen)
{
	if (q->n == q->cap) {
		size_t cap = q->cap ? q->cap * 2 : 256;
		struct event *h = realloc(q->heap, cap * sizeof *h);
		if (!h)
			return -1;
		q->heap = h;
		q->cap = cap;
	}
	struct event ev = { at, q->next_order++, (uint32_t)kind, a, b, gen };
	size_t i = q->n++;
	while (i > 0) {
		size_t parent = (i - 1) / 2;
		if (!ev_before(&ev, &q->heap[parent]))
			break;
		q->heap[i] = q->heap[parent];
		i = parent;
	}
	q->heap[i] = ev;
	return 0;
}

bool eventq_pop(struct eventq *q, struct event *out)
{
	if (q->n == 0)
		return false;
	*out = q->heap[0];
	struct event last = q->heap[--q->n];
	size_t i = 0, n = q->n;
	for (;;) {
		size_t child = 2 * i + 1;
		if (child >= n)
			break;
		if (child + 1 < n && ev_before(&q->heap[child + 1], &q->heap[child]))
			child++;
		if (!ev_before(&q->heap[child], &last))
			break;
		q->heap[i] = q->heap[child];
		i = child;
	}
	if (n > 0)
		q->heap[i] = last;
	return true;
}

const struct event *eventq_peek(const struct eventq *q)
{
	return q->n ? &q->heap[0] : NULL;
}
