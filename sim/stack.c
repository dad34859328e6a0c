/* stack.c - endpoints, the TCB pool and demultiplexing. */
#include <stdlib.h>
#include <string.h>
#include "seq.h"
#include "stack.h"

/* ---- hash table: linear probing, backward-shift deletion --------------- */

#define HMAP_EMPTY UINT64_MAX

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	x ^= x >> 33;
	return x;
}

static int hmap_grow(struct hmap *m)
{
	uint32_t cap = m->cap ? m->cap * 2 : 64;
	uint64_t *keys = malloc(cap * sizeof *keys);
	uint32_t *vals = malloc(cap * sizeof *vals);
	if (!keys || !vals) {
		free(keys);
		free(vals);
		return -1;
	}
	for (uint32_t i = 0; i < cap; i++)
		keys[i] = HMAP_EMPTY;
	for (uint32_t i = 0; i < m->cap; i++) {
		if (m->keys[i] == HMAP_EMPTY)
			continue;
		uint32_t j = (uint32_t)mix64(m->keys[i]) & (cap - 1);
		while (keys[j] != HMAP_EMPTY)
			j = (j + 1) & (cap - 1);
		keys[j] = m->keys[i];
		vals[j] = m->vals[i];
	}
	free(m->keys);
	free(m->vals);
	m->keys = keys;
	m->vals = vals;
	m->cap = cap;
	return 0;
}

/* Several keys may be equal (a 4-tuple hash collides rarely but may), so the
 * table is a multimap: lookups walk the probe run and let the caller check. */
static int hmap_put(struct hmap *m, uint64_t key, uint32_t val)
{
	if ((m->n + 1) * 4 > m->cap * 3 && hmap_grow(m) < 0)
		return -1;
	uint32_t j = (uint32_t)mix64(key) & (m->cap - 1);
	while (m->keys[j] != HMAP_EMPTY)
		j = (j + 1) & (m->cap - 1);
	m->keys[j] = key;
	m->vals[j] = val;
	m->n++;
	return 0;
}

/* Removes the entry (key, val); backward-shift keeps probe runs whole. */
static void hmap_del(struct hmap *m, uint64_t key, uint32_t val)
{
	if (!m->cap)
		return;
	uint32_t mask = m->cap - 1, j = (uint32_t)mix64(key) & mask;
	while (m->keys[j] != HMAP_EMPTY && !(m->keys[j] == key && m->vals[j] == val))
		j = (j + 1) & mask;
	if (m->keys[j] == HMAP_EMPTY)
		return;
	m->n--;
	uint32_t hole = j;
	for (;;) {
		j = (j + 1) & mask;
		if (m->keys[j] == HMAP_EMPTY)
			break;
		uint32_t home = (uint32_t)mix64(m->keys[j]) & mask;
		/* Move j into the hole unless its home lies cyclically in (hole, j]. */
		bool stays = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
		if (stays)
			continue;
		m->keys[hole] = m->keys[j];
		m->vals[hole] = m->vals[j];
		hole = j;
	}
	m->keys[hole] = HMAP_EMPTY;
}

static void hmap_free(struct hmap *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof *m);
}

static uint64_t addr_key(uint32_t ip, uint16_t port)
{
	return ((uint64_t)ip << 16) | port;
}

static uint64_t tuple_key(uint32_t lip, uint16_t lport, uint32_t rip, uint16_t rport)
{
	return mix64(addr_key(lip, lport)) ^ addr_key(rip, rport);
}

/* ---- stack ------------------------------------------------------------- */

int stack_init(struct stack *st, enum profile profile, const struct tcp_params *params,
	       struct trace *tr, struct eventq *q, struct link *link)
{
	memset(st, 0, sizeof *st);
	st->profile = profile;
	st->params = params;
	st->trace = tr;
	st->q = q;
	st->link = link;
	st->free_tcb = NO_TCB;
	return 0;
}

static void tcb_free_buffers(struct tcb *tcb)
{
	free(tcb->snd.data);
	tcb->snd.data = NULL;
	tcb->snd.len = tcb->snd.cap = 0;
	while (tcb->ooo) {
		struct ooo_seg *next = tcb->ooo->next;
		free(tcb->ooo);
		tcb->ooo = next;
	}
}

void stack_free(struct stack *st)
{
	for (uint32_t i = 0; i < st->n_tcbs; i++)
		tcb_free_buffers(&st->tcbs[i]);
	free(st->tcbs);
	free(st->eps);
	hmap_free(&st->conns);
	hmap_free(&st->addrs);
	memset(st, 0, sizeof *st);
}

int stack_add_endpoint(struct stack *st, int ep, enum role role, uint32_t ip, uint16_t port,
		       uint32_t isn, bool on_eof_close)
{
	if ((uint32_t)ep != st->n_eps)
		return -1;
	struct endpoint *e = realloc(st->eps, (st->n_eps + 1) * sizeof *e);
	if (!e)
		return -1;
	st->eps = e;
	struct endpoint *n = &st->eps[st->n_eps++];
	memset(n, 0, sizeof *n);
	n->role = role;
	n->ip = ip;
	n->port = port;
	n->isn = isn;
	n->last_isn = isn;
	n->on_eof_close = on_eof_close;
	n->listener = NO_TCB;
	n->conn = NO_TCB;
	n->peer = -1;
	n->shown = TCPS_CLOSED;
	return hmap_put(&st->addrs, addr_key(ip, port), (uint32_t)ep);
}

static int endpoint_at(const struct stack *st, uint32_t ip, uint16_t port)
{
	const struct hmap *m = &st->addrs;
	if (!m->cap)
		return -1;
	uint64_t key = addr_key(ip, port);
	for (uint32_t j = (uint32_t)mix64(key) & (m->cap - 1); m->keys[j] != HMAP_EMPTY; j = (j + 1) & (m->cap - 1))
		if (m->keys[j] == key)
			return (int)m->vals[j];
	return -1;
}

struct tcb *stack_tcb(struct stack *st, uint32_t id)
{
	return id < st->n_tcbs && st->tcbs[id].in_use ? &st->tcbs[id] : NULL;
}

/* A zeroed TCB from the pool; timer generations survive reuse so that a
 * stale timer event never matches a new TCB. */
static struct tcb *tcb_alloc(struct stack *st)
{
	uint32_t id;
	if (st->free_tcb != NO_TCB) {
		id = st->free_tcb;
		st->free_tcb = st->tcbs[id].snd_una;   /* the free list rides in snd_una */
	} else {
		if (st->n_tcbs == st->cap_tcbs) {
			uint32_t cap = st->cap_tcbs ? st->cap_tcbs * 2 : 16;
			struct tcb *t = realloc(st->tcbs, cap * sizeof *t);
			if (!t) {
				st->oom = true;
				return NULL;
			}
			st->tcbs = t;
			st->cap_tcbs = cap;
		}
		id = st->n_tcbs++;
		memset(&st->tcbs[id], 0, sizeof st->tcbs[id]);
	}
	struct tcb *tcb = &st->tcbs[id];
	uint32_t gen = tcb->gen + 1, tg[TIMER_KINDS];
	memcpy(tg, tcb->timer_gen, sizeof tg);
	memset(tcb, 0, sizeof *tcb);
	memcpy(tcb->timer_gen, tg, sizeof tg);
	tcb->id = id;
	tcb->gen = gen;
	tcb->in_use = true;
	tcb->state = TCPS_CLOSED;
	tcb->rcv_wnd = st->params->window;
	tcb->rto = st->params->rto_initial;
	tcb->snd_mss = 536;                    /* RFC 9293 section 3.7.1 default */
	st->live_tcbs++;
	return tcb;
}

static void conn_register(struct stack *st, struct tcb *tcb)
{
	uint64_t k = tuple_key(tcb->local_ip, tcb->local_port, tcb->remote_ip, tcb->remote_port);
	if (hmap_put(&st->conns, k, tcb->id) < 0)
		st->oom = true;
	st->eps[tcb->ep].conn = tcb->id;
}

void stack_tcb_make_connection(struct stack *st, struct tcb *tcb)
{
	struct endpoint *e = &st->eps[tcb->ep];
	if (e->listener == tcb->id)
		e->listener = NO_TCB;
	tcb->listener = false;
	if (e->peer >= 0) {
		tcb->remote_ip = st->eps[e->peer].ip;
		tcb->remote_port = st->eps[e->peer].port;
	}
	conn_register(st, tcb);
}

void stack_tcb_make_listener(struct stack *st, struct tcb *tcb)
{
	tcb->listener = true;
	st->eps[tcb->ep].listener = tcb->id;
}

struct tcb *stack_tcb_new(struct stack *st, int ep)
{
	struct tcb *tcb = tcb_alloc(st);
	if (!tcb)
		return NULL;
	const struct endpoint *e = &st->eps[ep];
	tcb->ep = ep;
	tcb->half_duplex = e->half_duplex;
	tcb->local_ip = e->ip;
	tcb->local_port = e->port;
	if (e->peer >= 0) {
		tcb->remote_ip = st->eps[e->peer].ip;
		tcb->remote_port = st->eps[e->peer].port;
	}
	return tcb;
}

struct tcb *stack_tcb_from_listener(struct stack *st, struct tcb *listener, const struct segment *syn)
{
	int ep = listener->ep;
	struct tcb *tcb = tcb_alloc(st);
	if (!tcb)
		return NULL;
	tcb->ep = ep;
	tcb->half_duplex = listener->half_duplex;
	tcb->state = TCPS_LISTEN;
	tcb->local_ip = syn->dst_ip;
	tcb->local_port = syn->dst_port;
	tcb->remote_ip = syn->src_ip;
	tcb->remote_port = syn->src_port;
	conn_register(st, tcb);
	return tcb;
}

void stack_tcb_release(struct stack *st, struct tcb *tcb)
{
	struct endpoint *e = &st->eps[tcb->ep];
	if (e->conn == tcb->id) {
		hmap_del(&st->conns, tuple_key(tcb->local_ip, tcb->local_port, tcb->remote_ip, tcb->remote_port),
			 tcb->id);
		e->conn = NO_TCB;
	}
	if (e->listener == tcb->id)
		e->listener = NO_TCB;
	tcb_free_buffers(tcb);
	tcb->in_use = false;
	tcb->snd_una = st->free_tcb;
	st->free_tcb = tcb->id;
	st->live_tcbs--;
}

uint32_t stack_choose_iss(struct stack *st, int ep)
{
	struct endpoint *e = &st->eps[ep];
	uint32_t iss = e->n_connections++ ? e->isn + (uint32_t)(st->now / 4) : e->isn;
	if (e->iss_floor_set && seq_lt(iss, e->iss_floor))
		iss = e->iss_floor;
	e->iss_floor_set = false;
	e->last_isn = iss;
	return iss;
}

/* The connection TCB for seg's 4-tuple, or NULL. */
static struct tcb *conn_lookup(struct stack *st, const struct segment *seg)
{
	const struct hmap *m = &st->conns;
	if (!m->cap)
		return NULL;
	uint64_t key = tuple_key(seg->dst_ip, seg->dst_port, seg->src_ip, seg->src_port);
	for (uint32_t j = (uint32_t)mix64(key) & (m->cap - 1); m->keys[j] != HMAP_EMPTY; j = (j + 1) & (m->cap - 1)) {
		if (m->keys[j] != key)
			continue;
		struct tcb *t = &st->tcbs[m->vals[j]];
		if (t->local_ip == seg->dst_ip && t->local_port == seg->dst_port &&
		    t->remote_ip == seg->src_ip && t->remote_port == seg->src_port)
			return t;
	}
	return NULL;
}

void stack_segment_arrives(struct stack *st, const struct segment *seg)
{
	struct tcb *tcb = conn_lookup(st, seg);
	if (tcb) {
		tcp_input(st, tcb, seg);
		return;
	}
	int ep = endpoint_at(st, seg->dst_ip, seg->dst_port);
	if (ep < 0)
		return;                        /* no such host: the segment is lost */
	struct tcb *listener = stack_tcb(st, st->eps[ep].listener);
	if (listener) {
		tcp_input(st, listener, seg);
		return;
	}
	tcp_input_closed(st, ep, seg);
}

void stack_output(struct stack *st, int ep, const struct segment *seg)
{
	int dst = endpoint_at(st, seg->dst_ip, seg->dst_port);
	if (link_send(st->link, st->now, st->eps[ep].role, ep, dst, seg, false) < 0)
		st->oom = true;
}

void stack_app_data(struct stack *st, struct tcb *tcb, const uint8_t *data, uint32_t len)
{
	st->eps[tcb->ep].delivered += len;
	struct trace_event ev = { .type = TRACE_DATA, .t_us = st->now, .endpoint = tcb->ep };
	ev.u.data.bytes = len;
	ev.u.data.data = data;
	trace_emit(st->trace, &ev);
}

void stack_app_eof(struct stack *st, struct tcb *tcb)
{
	if (st->eps[tcb->ep].on_eof_close &&
	    eventq_push(st->q, st->now, EV_APP_CLOSE, tcb->id, 0, tcb->gen) < 0)
		st->oom = true;
}
