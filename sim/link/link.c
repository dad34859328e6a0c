/* link.c - the virtual wire. */
#include <stdlib.h>
#include <string.h>
#include "base/bigarray.h"
#include "link/link.h"

int link_init(struct link *l, const struct link_params *p, struct rng *rng, struct eventq *q, struct trace *tr)
{
	memset(l, 0, sizeof *l);
	l->params = p;
	l->rng = rng;
	l->q = q;
	l->trace = tr;
	l->free_head = UINT32_MAX;
	if (p->n_drops) {
		l->drop_seen = calloc(p->n_drops, sizeof *l->drop_seen);
		if (!l->drop_seen)
			return -1;
	}
	return 0;
}

void link_free(struct link *l)
{
	for (uint32_t i = 0; i < l->n_slots; i++) {
		free(l->slots[i].buf);
		free(l->slots[i].raw);
	}
	bigarray_free(l->slots, l->n_slots * sizeof *l->slots);
	free(l->drop_seen);
	memset(l, 0, sizeof *l);
}

/* A free flight slot, from the free list or by growing the array. */
static int slot_get(struct link *l, uint32_t *out)
{
	if (l->free_head != UINT32_MAX) {
		*out = l->free_head;
		l->free_head = l->slots[*out].next_free;
		return 0;
	}
	size_t room = l->n_slots;
	struct flight *s = bigarray_grow(l->slots, &room, (size_t)l->n_slots + 1, sizeof *s, 64);
	if (!s)
		return -1;
	uint32_t cap = (uint32_t)room;
	memset(s + l->n_slots, 0, (cap - l->n_slots) * sizeof *s);
	for (uint32_t i = cap - 1; i > l->n_slots; i--) {
		s[i].next_free = l->free_head;
		l->free_head = i;
	}
	*out = l->n_slots;
	l->slots = s;
	l->n_slots = cap;
	return 0;
}

void link_release(struct link *l, uint32_t slot)
{
	struct flight *f = &l->slots[slot];
	if (f->refs > 1) {
		f->refs--;
		return;
	}
	f->refs = 0;
	f->next_free = l->free_head;
	l->free_head = slot;
}

bool link_drop_rule_matches(const struct drop_rule *r, enum role from, uint8_t flags)
{
	return r->from == from && (!r->has_flags || r->flags == flags);
}

/* Counts seg against every scripted rule; true when one says "drop this one". */
static bool scripted_drop(struct link *l, enum role from, const struct segment *seg)
{
	bool drop = false;
	for (size_t i = 0; i < l->params->n_drops; i++) {
		const struct drop_rule *r = &l->params->drops[i];
		if (!link_drop_rule_matches(r, from, seg->flags))
			continue;
		if (++l->drop_seen[i] == r->nth)
			drop = true;
	}
	return drop;
}

static bool chance(struct link *l, double p)
{
	return p > 0 && rng_unit(l->rng) < p;
}

static void emit_segment(struct link *l, usec_t now, enum seg_event what, const struct flight *f)
{
	if (!trace_wants_segment(l->trace, trace_seg_bit(what), f->src_ep, f->dst_ep))
		return;
	/* Every field of the segment event set one by one: an initializer would
	 * zero the whole 100-byte union first, for every segment of a run. */
	struct trace_event ev;
	ev.type = TRACE_SEGMENT;
	ev.t_us = now;
	ev.endpoint = f->src_ep;
	ev.u.segment.src = f->src_ep;
	ev.u.segment.dst = f->dst_ep;
	ev.u.segment.event = what;
	ev.u.segment.forged = f->forged;
	ev.u.segment.seg = f->seg;
	ev.u.segment.raw = f->raw_len ? f->raw : NULL;
	ev.u.segment.raw_len = f->raw_len;
	ev.u.segment.reason = NULL;
	trace_emit(l->trace, &ev);
}

/* Copies seg (and its payload) into a slot, and the raw packet when there is
 * one (raw_len 0: none). */
static int flight_fill(struct link *l, uint32_t slot, int src_ep, int dst_ep, const struct segment *seg, bool forged,
		       const uint8_t *raw, uint32_t raw_len)
{
	struct flight *f = &l->slots[slot];
	/* The slot's buffers are realloc'd to the largest packet it has held, not
	 * doubled: a segment's size is bounded (65535), and slots are reused. */
	if (raw_len > f->raw_cap) {
		uint8_t *r = realloc(f->raw, raw_len);
		if (!r)
			return -1;
		f->raw = r;
		f->raw_cap = raw_len;
	}
	if (raw_len)
		memcpy(f->raw, raw, raw_len);
	f->raw_len = raw_len;
	if (seg->len > f->cap) {
		uint8_t *b = realloc(f->buf, seg->len);
		if (!b)
			return -1;
		f->buf = b;
		f->cap = seg->len;
	}
	f->seg = *seg;
	if (seg->len) {
		if (seg->data)
			memcpy(f->buf, seg->data, seg->len);
		else
			memset(f->buf, 0, seg->len);
	}
	f->seg.data = seg->len ? f->buf : NULL;
	f->src_ep = src_ep;
	f->dst_ep = dst_ep;
	f->forged = forged;
	f->refs = 1;
	return 0;
}

/* link_send and link_send_raw: raw_len 0 means no raw packet. */
static int send_common(struct link *l, usec_t now, enum role from, int src_ep, int dst_ep,
		       const struct segment *seg, bool forged, const uint8_t *raw, uint32_t raw_len)
{
	const struct link_dir *d = &l->params->dir[from];
	uint32_t slot;
	if (slot_get(l, &slot) < 0 || flight_fill(l, slot, src_ep, dst_ep, seg, forged, raw, raw_len) < 0)
		return -1;
	struct flight *f = &l->slots[slot];
	l->n_sent++;
	emit_segment(l, now, SEGEV_SEND, f);

	bool dropped = !forged && scripted_drop(l, from, seg);
	if (!dropped)
		dropped = chance(l, d->loss);
	if (dropped) {
		l->n_dropped++;
		emit_segment(l, now, SEGEV_DROP, f);
		link_release(l, slot);
		return 0;
	}
	bool duplicate = chance(l, d->duplicate);
	usec_t at = now + d->delay;
	if (chance(l, d->reorder))
		at += d->delay > USEC_PER_MS ? d->delay : USEC_PER_MS;
	if (d->jitter)
		at += rng_upto(l->rng, d->jitter);
	if (eventq_push_lane(l->q, EVQ_LANE_ARRIVAL + (int)from, at, EV_ARRIVAL, slot, 0, 0) < 0)
		return -1;
	if (duplicate) {
		l->n_duplicated++;
		f->refs = 2;
		emit_segment(l, now, SEGEV_DUPLICATE, f);
		if (eventq_push_lane(l->q, EVQ_LANE_ARRIVAL + (int)from, at, EV_ARRIVAL, slot, 0, 0) < 0)
			return -1;
	}
	return 0;
}

int link_send(struct link *l, usec_t now, enum role from, int src_ep, int dst_ep,
	      const struct segment *seg, bool forged)
{
	return send_common(l, now, from, src_ep, dst_ep, seg, forged, NULL, 0);
}

int link_send_raw(struct link *l, usec_t now, enum role from, int src_ep, int dst_ep,
		  const struct segment *seg, bool forged, const uint8_t *raw, uint32_t raw_len)
{
	return send_common(l, now, from, src_ep, dst_ep, seg, forged, raw, raw_len);
}

const struct flight *link_arrive(struct link *l, usec_t now, uint32_t slot)
{
	const struct flight *f = &l->slots[slot];
	emit_segment(l, now, SEGEV_DELIVER, f);
	return f;
}
