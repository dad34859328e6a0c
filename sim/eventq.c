/* eventq.c - the event queue: a binary min-heap keyed by (at, order), FIFO
 * lanes, and keyed timers. */
#include <stdlib.h>
#include <string.h>
#include "eventq.h"

void eventq_init(struct eventq *q)
{
	memset(q, 0, sizeof *q);
}

void eventq_free(struct eventq *q)
{
	free(q->heap);
	for (int l = 0; l < EVQ_LANES; l++)
		free(q->lane[l].v);
	free(q->timer_pos);
	eventq_init(q);
}

static inline bool ev_before(const struct event *x, const struct event *y)
{
	return x->at < y->at || (x->at == y->at && x->order < y->order);
}

static inline size_t timer_key(uint32_t tcb, uint32_t kind)
{
	return (size_t)tcb * EVQ_TIMER_KINDS + kind;
}

/* Puts ev at heap index i, noting a timer's position. */
static inline void heap_place(struct eventq *q, size_t i, const struct event *ev)
{
	q->heap[i] = *ev;
	if (ev->kind == EV_TIMER)
		q->timer_pos[timer_key(ev->a, ev->b)] = (uint32_t)i + 1;
}

static void sift_up(struct eventq *q, size_t i, struct event ev)
{
	while (i > 0) {
		size_t parent = (i - 1) / 2;
		if (!ev_before(&ev, &q->heap[parent]))
			break;
		heap_place(q, i, &q->heap[parent]);
		i = parent;
	}
	heap_place(q, i, &ev);
}

static void sift_down(struct eventq *q, size_t i, struct event ev)
{
	size_t n = q->n;
	for (;;) {
		size_t child = 2 * i + 1;
		if (child >= n)
			break;
		if (child + 1 < n && ev_before(&q->heap[child + 1], &q->heap[child]))
			child++;
		if (!ev_before(&q->heap[child], &ev))
			break;
		heap_place(q, i, &q->heap[child]);
		i = child;
	}
	heap_place(q, i, &ev);
}

static int heap_insert(struct eventq *q, const struct event *ev)
{
	if (q->n == q->cap) {
		size_t cap = q->cap ? q->cap * 2 : 256;
		struct event *h = realloc(q->heap, cap * sizeof *h);
		if (!h)
			return -1;
		q->heap = h;
		q->cap = cap;
	}
	sift_up(q, q->n++, *ev);
	return 0;
}

/* Removes heap entry i. */
static void heap_remove(struct eventq *q, size_t i)
{
	if (q->heap[i].kind == EV_TIMER)
		q->timer_pos[timer_key(q->heap[i].a, q->heap[i].b)] = 0;
	struct event last = q->heap[--q->n];
	if (i == q->n)
		return;
	if (i > 0 && ev_before(&last, &q->heap[(i - 1) / 2]))
		sift_up(q, i, last);
	else
		sift_down(q, i, last);
}

int eventq_push_order(struct eventq *q, usec_t at, uint64_t order, enum ev_kind kind, uint32_t a, uint32_t b,
		      uint32_t gen)
{
	struct event ev = { at, order, (uint32_t)kind, a, b, gen };
	return heap_insert(q, &ev);
}

int eventq_push(struct eventq *q, usec_t at, enum ev_kind kind, uint32_t a, uint32_t b, uint32_t gen)
{
	return eventq_push_order(q, at, q->next_order++, kind, a, b, gen);
}

uint64_t eventq_reserve(struct eventq *q, uint64_t n)
{
	uint64_t first = q->next_order;
	q->next_order += n;
	return first;
}

int eventq_push_lane(struct eventq *q, int lane, usec_t at, enum ev_kind kind, uint32_t a, uint32_t b, uint32_t gen)
{
	return eventq_push_lane_order(q, lane, at, q->next_order++, kind, a, b, gen);
}

int eventq_push_lane_order(struct eventq *q, int lane, usec_t at, uint64_t order, enum ev_kind kind, uint32_t a,
			   uint32_t b, uint32_t gen)
{
	struct evq_lane *l = &q->lane[lane];
	struct event ev = { at, order, (uint32_t)kind, a, b, gen };
	if (l->n && ev_before(&ev, &l->v[(l->head + l->n - 1) & (l->cap - 1)]))
		return heap_insert(q, &ev);
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 256;
		struct event *v = malloc(cap * sizeof *v);
		if (!v)
			return -1;
		for (size_t i = 0; i < l->n; i++)
			v[i] = l->v[(l->head + i) & (l->cap - 1)];
		free(l->v);
		l->v = v;
		l->head = 0;
		l->cap = cap;
	}
	l->v[(l->head + l->n++) & (l->cap - 1)] = ev;   /* cap is a power of two */
	return 0;
}

int eventq_timer_set(struct eventq *q, uint32_t tcb, uint32_t kind, usec_t at, uint32_t gen)
{
	size_t key = timer_key(tcb, kind);
	if (key >= q->n_timer_pos) {
		size_t n = q->n_timer_pos ? q->n_timer_pos : 64;
		while (n <= key)
			n *= 2;
		uint32_t *p = realloc(q->timer_pos, n * sizeof *p);
		if (!p)
			return -1;
		memset(p + q->n_timer_pos, 0, (n - q->n_timer_pos) * sizeof *p);
		q->timer_pos = p;
		q->n_timer_pos = n;
	}
	struct event ev = { at, q->next_order++, EV_TIMER, tcb, kind, gen };
	uint32_t pos = q->timer_pos[key];
	if (!pos)
		return heap_insert(q, &ev);
	/* Moving the entry: a later due sifts down, an earlier one up (the
	 * new order stamp is the largest, so equal times sift down). */
	size_t i = pos - 1;
	if (i > 0 && ev_before(&ev, &q->heap[(i - 1) / 2]))
		sift_up(q, i, ev);
	else
		sift_down(q, i, ev);
	return 0;
}

void eventq_timer_cancel(struct eventq *q, uint32_t tcb, uint32_t kind)
{
	size_t key = timer_key(tcb, kind);
	if (key < q->n_timer_pos && q->timer_pos[key])
		heap_remove(q, q->timer_pos[key] - 1);
}

/* Where the earliest event is: -1 the heap, a lane's index, or -2 empty. */
static int earliest(const struct eventq *q)
{
	const struct event *best = q->n ? &q->heap[0] : NULL;
	int where = best ? -1 : -2;
	for (int l = 0; l < EVQ_LANES; l++) {
		const struct evq_lane *ln = &q->lane[l];
		if (ln->n && (!best || ev_before(&ln->v[ln->head], best))) {
			best = &ln->v[ln->head];
			where = l;
		}
	}
	return where;
}

bool eventq_pop(struct eventq *q, struct event *out)
{
	int where = earliest(q);
	if (where == -2)
		return false;
	if (where >= 0) {
		struct evq_lane *l = &q->lane[where];
		*out = l->v[l->head];
		l->head = (l->head + 1) & (l->cap - 1);
		l->n--;
		return true;
	}
	*out = q->heap[0];
	heap_remove(q, 0);
	return true;
}

const struct event *eventq_peek(const struct eventq *q)
{
	int where = earliest(q);
	if (where == -2)
		return NULL;
	return where >= 0 ? &q->lane[where].v[q->lane[where].head] : &q->heap[0];
}

size_t eventq_size(const struct eventq *q)
{
	size_t n = q->n;
	for (int l = 0; l < EVQ_LANES; l++)
		n += q->lane[l].n;
	return n;
}
