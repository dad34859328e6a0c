/* eventq.c - the event queue: a binary min-heap keyed by (at, order), FIFO
 * lanes, and keyed timers, which wait in a timing wheel until the queue
 * reaches their bucket (eventq.h). */
#include <stdlib.h>
#include <string.h>
#include "base/bigarray.h"
#include "base/eventq.h"

void eventq_init(struct eventq *q)
{
	memset(q, 0, sizeof *q);
}

void eventq_free(struct eventq *q)
{
	bigarray_free(q->heap, q->cap * sizeof *q->heap);
	for (int l = 0; l < EVQ_LANES; l++)
		free(q->lane[l].v);
	bigarray_free(q->timers, q->n_timers * sizeof *q->timers);
	eventq_init(q);
}

static inline bool ev_before(const struct event *x, const struct event *y)
{
	return x->at < y->at || (x->at == y->at && x->order < y->order);
}

/* Whether (at, order) comes before lane event e. */
static inline bool lane_before(usec_t at, uint64_t order, const struct evq_lane_ev *e)
{
	return at < e->at || (at == e->at && order < e->order);
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
		q->timers[timer_key(ev->a, ev->b)].heap_pos = (uint32_t)i + 1;
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

/* Room in the heap for every event the heap and the wheel hold, and one
 * more: the wheel's timers then enter the heap without an allocation. */
static int heap_room(struct eventq *q)
{
	if (q->n + q->wheel_n < q->cap)
		return 0;
	struct event *h = bigarray_grow(q->heap, &q->cap, q->n + q->wheel_n + 1, sizeof *h, 256);
	if (!h)
		return -1;
	q->heap = h;
	return 0;
}

static int heap_insert(struct eventq *q, const struct event *ev)
{
	if (heap_room(q) < 0)
		return -1;
	sift_up(q, q->n++, *ev);
	return 0;
}

/* Removes heap entry i. */
static void heap_remove(struct eventq *q, size_t i)
{
	if (q->heap[i].kind == EV_TIMER)
		q->timers[timer_key(q->heap[i].a, q->heap[i].b)].heap_pos = 0;
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
	if (b || (l->n && (l->kind != (uint32_t)kind || lane_before(at, order, &l->v[(l->head + l->n - 1) & (l->cap - 1)])))) {
		struct event ev = { at, order, (uint32_t)kind, a, b, gen };
		return heap_insert(q, &ev);
	}
	if (l->n == l->cap) {
		/* Not bigarray_grow: a ring's events are put in order from its
		 * head as the lane grows, which a resize in place would not do. */
		size_t cap = l->cap ? l->cap * 2 : 256;
		struct evq_lane_ev *v = malloc(cap * sizeof *v);
		if (!v)
			return -1;
		for (size_t i = 0; i < l->n; i++)
			v[i] = l->v[(l->head + i) & (l->cap - 1)];
		free(l->v);
		l->v = v;
		l->head = 0;
		l->cap = cap;
	}
	l->kind = (uint32_t)kind;
	l->v[(l->head + l->n++) & (l->cap - 1)] = (struct evq_lane_ev){ at, order, a, gen };   /* cap: a power of two */
	return 0;
}

/* ---- timers: the wheel in front of the heap ----------------------------- */

static void wheel_unlink(struct eventq *q, size_t key)
{
	struct evq_timer *t = &q->timers[key];
	if (t->prev)
		q->timers[t->prev - 1].next = t->next;
	else
		q->wheel[(t->at >> EVQ_WHEEL_SHIFT) & (EVQ_WHEEL_SLOTS - 1)] = t->next;
	if (t->next)
		q->timers[t->next - 1].prev = t->prev;
	t->in_wheel = false;
	q->wheel_n--;
}

/* Whether a timer due at `at` waits in the wheel: its bucket is not yet in
 * the heap's range, and within the wheel's reach. */
static bool wheel_takes(const struct eventq *q, usec_t at)
{
	uint64_t b = at >> EVQ_WHEEL_SHIFT;
	return b >= q->wheel_cursor && b < q->wheel_cursor + EVQ_WHEEL_SLOTS;
}

/* Moves the wheel's buckets that begin at or before t into the heap: after
 * it, no timer in the wheel is due at or before t. The heap has room for
 * them (heap_room). */
static void wheel_flush_until(struct eventq *q, usec_t t)
{
	uint64_t last = t >> EVQ_WHEEL_SHIFT;
	while (q->wheel_n && q->wheel_cursor <= last) {
		uint32_t *head = &q->wheel[q->wheel_cursor & (EVQ_WHEEL_SLOTS - 1)];
		while (*head) {
			size_t key = *head - 1;
			struct evq_timer *tm = &q->timers[key];
			*head = tm->next;
			tm->in_wheel = false;
			q->wheel_n--;
			struct event ev = { tm->at, tm->order, EV_TIMER, (uint32_t)(key / EVQ_TIMER_KINDS),
					    (uint32_t)(key % EVQ_TIMER_KINDS), tm->gen };
			sift_up(q, q->n++, ev);
		}
		q->wheel_cursor++;
	}
	if (!q->wheel_n && q->wheel_cursor <= last)
		q->wheel_cursor = last + 1;          /* nothing waits: jump */
}

static int earliest(const struct eventq *q);

/* Where the earliest event is, as earliest() says, after bringing every
 * timer that could be it from the wheel into the heap. */
static int earliest_settled(struct eventq *q)
{
	for (;;) {
		int where = earliest(q);
		if (!q->wheel_n)
			return where;
		usec_t t;
		if (where == -2) {
			/* Only the wheel holds events: its next non-empty bucket. */
			while (!q->wheel[q->wheel_cursor & (EVQ_WHEEL_SLOTS - 1)])
				q->wheel_cursor++;
			t = q->wheel_cursor << EVQ_WHEEL_SHIFT;
		} else {
			t = where >= 0 ? q->lane[where].v[q->lane[where].head].at : q->heap[0].at;
			if ((q->wheel_cursor << EVQ_WHEEL_SHIFT) > t)
				return where;
		}
		wheel_flush_until(q, t);
	}
}

int eventq_timer_set(struct eventq *q, uint32_t tcb, uint32_t kind, usec_t at, uint32_t gen)
{
	size_t key = timer_key(tcb, kind);
	if (key >= q->n_timers) {
		size_t old = q->n_timers;
		struct evq_timer *p = bigarray_grow(q->timers, &q->n_timers, key + 1, sizeof *p, 64);
		if (!p)
			return -1;
		memset(p + old, 0, (q->n_timers - old) * sizeof *p);
		q->timers = p;
	}
	struct evq_timer *tm = &q->timers[key];
	struct event ev = { at, q->next_order++, EV_TIMER, tcb, kind, gen };
	if (tm->in_wheel)
		wheel_unlink(q, key);
	if (wheel_takes(q, at)) {
		if (tm->heap_pos)
			heap_remove(q, tm->heap_pos - 1);
		else if (heap_room(q) < 0)
			return -1;
		uint32_t *head = &q->wheel[(at >> EVQ_WHEEL_SHIFT) & (EVQ_WHEEL_SLOTS - 1)];
		tm->at = at;
		tm->order = ev.order;
		tm->gen = gen;
		tm->prev = 0;
		tm->next = *head;
		if (*head)
			q->timers[*head - 1].prev = (uint32_t)key + 1;
		*head = (uint32_t)key + 1;
		tm->in_wheel = true;
		q->wheel_n++;
		return 0;
	}
	if (!tm->heap_pos)
		return heap_insert(q, &ev);
	/* Moving the entry: a later due sifts down, an earlier one up (the
	 * new order stamp is the largest, so equal times sift down). */
	size_t i = tm->heap_pos - 1;
	if (i > 0 && ev_before(&ev, &q->heap[(i - 1) / 2]))
		sift_up(q, i, ev);
	else
		sift_down(q, i, ev);
	return 0;
}

void eventq_timer_cancel(struct eventq *q, uint32_t tcb, uint32_t kind)
{
	size_t key = timer_key(tcb, kind);
	if (key >= q->n_timers)
		return;
	if (q->timers[key].in_wheel)
		wheel_unlink(q, key);
	else if (q->timers[key].heap_pos)
		heap_remove(q, q->timers[key].heap_pos - 1);
}

/* Where the earliest event is: -1 the heap, a lane's index, or -2 empty. */
static int earliest(const struct eventq *q)
{
	usec_t at = 0;
	uint64_t order = 0;
	int where = -2;
	if (q->n) {
		at = q->heap[0].at;
		order = q->heap[0].order;
		where = -1;
	}
	for (int l = 0; l < EVQ_LANES; l++) {
		const struct evq_lane *ln = &q->lane[l];
		if (!ln->n)
			continue;
		const struct evq_lane_ev *h = &ln->v[ln->head];
		if (where == -2 || h->at < at || (h->at == at && h->order < order)) {
			at = h->at;
			order = h->order;
			where = l;
		}
	}
	return where;
}

/* The earliest event of lane l, whole. */
static struct event lane_head(const struct eventq *q, int l)
{
	const struct evq_lane *ln = &q->lane[l];
	const struct evq_lane_ev *h = &ln->v[ln->head];
	return (struct event){ h->at, h->order, ln->kind, h->a, 0, h->gen };
}

bool eventq_pop(struct eventq *q, struct event *out)
{
	int where = earliest_settled(q);
	if (where == -2)
		return false;
	if (where >= 0) {
		struct evq_lane *l = &q->lane[where];
		*out = lane_head(q, where);
		l->head = (l->head + 1) & (l->cap - 1);
		l->n--;
	} else {
		*out = q->heap[0];
		heap_remove(q, 0);
	}
	/* An empty wheel follows the clock, so that timers set from now on
	 * find it within reach. */
	if (!q->wheel_n && q->wheel_cursor < (out->at >> EVQ_WHEEL_SHIFT))
		q->wheel_cursor = out->at >> EVQ_WHEEL_SHIFT;
	return true;
}

const struct event *eventq_peek(struct eventq *q)
{
	int where = earliest_settled(q);
	if (where == -2)
		return NULL;
	if (where == -1)
		return &q->heap[0];
	q->peeked = lane_head(q, where);
	return &q->peeked;
}

size_t eventq_size(const struct eventq *q)
{
	size_t n = q->n + q->wheel_n;
	for (int l = 0; l < EVQ_LANES; l++)
		n += q->lane[l].n;
	return n;
}
