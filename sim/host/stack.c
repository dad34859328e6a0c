/* stack.c - endpoints, the TCB pool and demultiplexing. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "base/bigarray.h"
#include "host/hmap.h"
#include "host/stack.h"

static uint64_t addr_key(uint32_t ip, uint16_t port)
{
	return ((uint64_t)ip << 16) | port;
}

static uint64_t tuple_key(uint32_t lip, uint16_t lport, uint32_t rip, uint16_t rport)
{
	return mix64(addr_key(lip, lport)) ^ addr_key(rip, rport);
}

/* ---- stack ------------------------------------------------------------- */

/* The stack as the TCP's host (tcp/tcp_host.h): its operations are at the
 * end of this file. */
static const struct tcp_host_ops stack_host_ops;

static struct stack *stack_of(struct tcp_host *h)
{
	return (struct stack *)((char *)h - offsetof(struct stack, host));
}

int stack_init(struct stack *st, enum profile profile, const struct tcp_params *params,
	       struct trace *tr, struct eventq *q, struct link *link)
{
	memset(st, 0, sizeof *st);
	st->host.ops = &stack_host_ops;
	st->host.profile = profile;
	st->host.params = params;
	st->host.trace = tr;
	st->trace_vars = tr && trace_wants(tr, trace_bit(TRACE_VARS));   /* the sinks are attached by now */
	st->q = q;
	st->link = link;
	st->free_tcb = NO_TCB;
	st->free_tw = NO_TCB;
	st->arriving_from = -1;
	st->addrs.by_address = true;
	st->tw_indexed = true;
	return 0;
}

void stack_free(struct stack *st)
{
	for (uint32_t i = 0; i < st->n_tcbs; i++)
		tcb_free_buffers(tcb_at(st, i));
	for (uint32_t c = 0; c < st->cap_tcbs >> TCB_CHUNK_BITS; c++)
		free(st->tcbs[c]);
	free(st->tcbs);
	bigarray_free(st->tws, st->cap_tws * sizeof *st->tws);
	hmap_free(&st->tw_conns);
	bigarray_free(st->settle, st->cap_settle * sizeof *st->settle);
	bigarray_free(st->eps, st->cap_eps * sizeof *st->eps);
	hmap_free(&st->conns);
	hmap_free(&st->addrs);
	memset(st, 0, sizeof *st);
}

int stack_reserve(struct stack *st, uint32_t endpoints, uint32_t connections)
{
	return hmap_reserve(&st->addrs, endpoints) < 0 ||
	       (st->tw_indexed && hmap_reserve(&st->tw_conns, connections) < 0) ? -1 : 0;
}

int stack_add_endpoint(struct stack *st, int ep, enum role role, uint32_t ip, uint16_t port,
		       uint32_t isn, bool on_eof_close, bool addressed)
{
	if ((uint32_t)ep != st->n_eps)
		return -1;
	if (st->n_eps == st->cap_eps) {
		struct endpoint *e = bigarray_grow(st->eps, &st->cap_eps, st->n_eps + 1, sizeof *e, 8);
		if (!e)
			return -1;
		st->eps = e;
	}
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
	if (!addressed)
		return 0;
	return hmap_put(&st->addrs, addr_key(ip, port), (uint32_t)ep);
}

void stack_add_address_block(struct stack *st, uint32_t first_ip, uint32_t count, uint32_t skip_ip, uint16_t port,
			     int first_ep, int ep_step)
{
	st->block = (struct addr_block){ first_ip, count, skip_ip, port, first_ep, ep_step };
}

/* The endpoint of the address block at ip:port, or -1. */
static int block_endpoint_at(const struct stack *st, uint32_t ip, uint16_t port)
{
	const struct addr_block *b = &st->block;
	if (!b->count || port != b->port || ip < b->first_ip || ip == b->skip_ip)
		return -1;
	uint64_t i = (uint64_t)ip - b->first_ip;
	if (b->skip_ip >= b->first_ip && ip > b->skip_ip)
		i--;
	if (i >= b->count)
		return -1;
	int ep = b->first_ep + (int)i * b->ep_step;
	return (uint32_t)ep < st->n_eps && st->eps[ep].ip == ip && st->eps[ep].port == port ? ep : -1;
}

static int endpoint_at(const struct stack *st, uint32_t ip, uint16_t port)
{
	const struct hmap *m = &st->addrs;
	if (m->cap) {
		uint64_t key = addr_key(ip, port);
		uint32_t j = hmap_home(m, key), ep;
		if (hmap_next(m, key, &j, &ep))
			return (int)ep;
	}
	return block_endpoint_at(st, ip, port);
}

struct tcb *stack_tcb(struct stack *st, uint32_t id)
{
	if (id >= st->n_tcbs)
		return NULL;
	struct tcb *t = tcb_at(st, id);
	return t->in_use ? t : NULL;
}

/* A fresh TCB from the pool (tcb_reset: a stale timer event never matches
 * it). NULL when out of memory. */
static struct tcb *tcb_alloc(struct stack *st)
{
	uint32_t id;
	if (st->free_tcb != NO_TCB) {
		id = st->free_tcb;
		st->free_tcb = tcb_at(st, id)->snd_una;   /* the free list rides in snd_una */
	} else {
		if (st->n_tcbs == st->cap_tcbs) {
			/* A new chunk: TCBs never move, so a pointer to one stays
			 * valid while others are allocated. */
			uint32_t n_chunks = st->cap_tcbs >> TCB_CHUNK_BITS;
			struct tcb **c = realloc(st->tcbs, (n_chunks + 1) * sizeof *c);
			if (!c) {
				st->oom = true;
				return NULL;
			}
			st->tcbs = c;
			if (!(c[n_chunks] = calloc(1u << TCB_CHUNK_BITS, sizeof **c))) {
				st->oom = true;
				return NULL;
			}
			st->cap_tcbs += 1u << TCB_CHUNK_BITS;
		}
		id = st->n_tcbs++;
	}
	struct tcb *tcb = tcb_at(st, id);
	tcb_reset(&st->host, tcb, id);
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

static void host_make_connection(struct tcp_host *h, struct tcb *tcb)
{
	struct stack *st = stack_of(h);
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

static void host_make_listener(struct tcp_host *h, struct tcb *tcb)
{
	struct stack *st = stack_of(h);
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

static struct tcb *host_tcb_from_listener(struct tcp_host *h, struct tcb *listener, const struct segment *syn)
{
	struct stack *st = stack_of(h);
	int ep = listener->ep;
	/* With many clients, the connection accepted from client#K belongs
	 * to server#K. */
	int from = st->arriving_from;
	if (from < 0 || st->eps[from].ip != syn->src_ip || st->eps[from].port != syn->src_port)
		from = endpoint_at(st, syn->src_ip, syn->src_port);
	if (from >= 0 && endpoint_twin(st->eps, from) >= 0)
		ep = endpoint_twin(st->eps, from);
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

/* ---- TIME_WAIT records -------------------------------------------------- */

/* Every member of struct tcb is named in TCB_IN_TIME_WAIT (tw_rec.h), once
 * and in order: the positional initializer below has one value per entry,
 * so a member added to struct tcb and not named there leaves the last
 * member without one, which -Wmissing-field-initializers (-Wextra, an
 * error here) reports; a member named there that struct tcb lacks fails
 * offsetof. The compound literal is never evaluated. */
#define TW_CLASSIFIED_SCALAR(name, ...) 0,
#define TW_CLASSIFIED_AGGREGATE(name, ...) { 0 },
#define TW_CLASSIFIED_TYPED_SCALAR(type, name) 0,
#define TW_CLASSIFIED_TYPED_AGGREGATE(type, name) { 0 },
_Static_assert(sizeof((struct tcb){ TCB_IN_TIME_WAIT(TW_CLASSIFIED_TYPED_SCALAR, TW_CLASSIFIED_TYPED_SCALAR,
						     TW_CLASSIFIED_SCALAR, TW_CLASSIFIED_TYPED_AGGREGATE,
						     TW_CLASSIFIED_SCALAR, TW_CLASSIFIED_SCALAR,
						     TW_CLASSIFIED_AGGREGATE, TW_CLASSIFIED_SCALAR,
						     TW_CLASSIFIED_AGGREGATE) }) == sizeof(struct tcb),
	       "every member of struct tcb is named in TCB_IN_TIME_WAIT");
#define TW_MEMBER_EXISTS(name, ...) _Static_assert(offsetof(struct tcb, name) < sizeof(struct tcb), #name);
#define TW_TYPED_MEMBER_EXISTS(type, name) TW_MEMBER_EXISTS(name)
TCB_IN_TIME_WAIT(TW_TYPED_MEMBER_EXISTS, TW_TYPED_MEMBER_EXISTS, TW_MEMBER_EXISTS, TW_TYPED_MEMBER_EXISTS,
		 TW_MEMBER_EXISTS, TW_MEMBER_EXISTS, TW_MEMBER_EXISTS, TW_MEMBER_EXISTS, TW_MEMBER_EXISTS)

static void tw_free(struct stack *st, uint32_t r)
{
	st->tws[r].gen++;                      /* its queued expiry is stale now */
	st->tws[r].remote_ip = st->free_tw;    /* the free list rides in remote_ip */
	st->free_tw = r;
	st->live_tws--;
}

static int tw_alloc(struct stack *st, uint32_t *out)
{
	if (st->free_tw != NO_TCB) {
		*out = st->free_tw;
		st->free_tw = st->tws[*out].remote_ip;
	} else {
		if (st->n_tws == st->cap_tws) {
			struct tw_rec *t = bigarray_grow(st->tws, &st->cap_tws, st->n_tws + 1, sizeof *t, 64);
			if (!t)
				return -1;
			st->tws = t;
		}
		*out = st->n_tws++;
		st->tws[*out].gen = 0;
	}
	st->live_tws++;
	return 0;
}

/* Marks tcb to be looked at by stack_settle(): it has entered (or set
 * again the timer of) TIME_WAIT, or was inflated from its record. */
static void settle_later(struct stack *st, struct tcb *tcb)
{
	if (tcb->settle)
		return;
	if (st->n_settle == st->cap_settle) {
		uint32_t *v = bigarray_grow(st->settle, &st->cap_settle, st->n_settle + 1, sizeof *v, 16);
		if (!v) {
			st->oom = true;
			return;
		}
		st->settle = v;
	}
	tcb->settle = true;
	st->settle[st->n_settle++] = tcb->id;
}

static uint64_t tcb_tuple_key(const struct tcb *t)
{
	return tuple_key(t->local_ip, t->local_port, t->remote_ip, t->remote_port);
}

/* Frees a TCB slot without a word to the trace (its state lives on). */
static void tcb_slot_free(struct stack *st, struct tcb *tcb)
{
	tcb_free_buffers(tcb);
	tcb->in_use = false;
	tcb->snd_una = st->free_tcb;
	st->free_tcb = tcb->id;
	st->live_tcbs--;
}

/* Whether the record can hold tcb whole: every member TCB_IN_TIME_WAIT
 * derives has its derived value (its local address is its endpoint's, and
 * everything it sent is acknowledged, what TIME_WAIT means: our FIN was, so
 * SND.UNA = SND.NXT = SND.MAX). */
static bool tw_fits(const struct stack *st, const struct tcb *t)
{
#define TW_FITS_DERIVE(name, expr) &&t->name == (expr)
	return true TCB_IN_TIME_WAIT(TW_SKIP, TW_SKIP, TW_SKIP, TW_SKIP, TW_FITS_DERIVE, TW_SKIP, TW_SKIP, TW_SKIP,
				     TW_SKIP);
#undef TW_FITS_DERIVE
}

/* tcb (in TIME_WAIT, no other timer running) becomes a record. A TCB that
 * is no longer its endpoint's connection (the endpoint has opened a newer
 * one), or that a record cannot hold whole, stays a TCB, its 2MSL timer
 * queued like any other timer. */
static void tw_deflate(struct stack *st, struct tcb *tcb)
{
	if (st->eps[tcb->ep].conn != tcb->id || !tw_fits(st, tcb)) {
		if (tcb->tw_rec) {                /* its record, if it had one, goes */
			tw_free(st, tcb->tw_rec - 1);
			tcb->tw_rec = 0;
		}
		if (eventq_timer_set(st->q, tcb->id, TIMER_TIME_WAIT, tcb->timer_due[TIMER_TIME_WAIT],
				     tcb->timer_gen[TIMER_TIME_WAIT]) < 0)
			st->oom = true;
		return;
	}
	uint32_t r;
	bool fresh = !tcb->tw_rec;
	if (fresh) {
		if (tw_alloc(st, &r) < 0) {
			st->oom = true;
			return;
		}
	} else {
		r = tcb->tw_rec - 1;
	}
	struct tw_rec *w = &st->tws[r];
	if (fresh || w->timer_due != tcb->timer_due[TIMER_TIME_WAIT] ||
	    w->timer_gen != tcb->timer_gen[TIMER_TIME_WAIT]) {
		/* A new or restarted 2MSL timer: queue its expiry. */
		w->gen++;
		if (eventq_push_lane_order(st->q, EVQ_LANE_TIME_WAIT, tcb->timer_due[TIMER_TIME_WAIT], tcb->tw_order,
					   EV_TW_EXPIRE, r, 0, w->gen) < 0)
			st->oom = true;
	}
#define TW_DEFLATE(type, name) w->name = tcb->name;
#define TW_DEFLATE_FLAG(name) w->name = tcb->name;
#define TW_DEFLATE_TIMER(type, name) w->name = tcb->name[TIMER_TIME_WAIT];
	TCB_IN_TIME_WAIT(TW_DEFLATE, TW_DEFLATE, TW_DEFLATE_FLAG, TW_DEFLATE_TIMER, TW_SKIP, TW_SKIP, TW_SKIP, TW_SKIP,
			 TW_SKIP)
#undef TW_DEFLATE
#undef TW_DEFLATE_FLAG
#undef TW_DEFLATE_TIMER
	/* Records live in a map of their own: the live connections' map stays
	 * small and in cache however many wait. */
	hmap_del(&st->conns, tcb_tuple_key(tcb), tcb->id);
	if (st->tw_indexed && hmap_put(&st->tw_conns, tcb_tuple_key(tcb), TW_BIT | r) < 0)
		st->oom = true;
	st->eps[tcb->ep].conn = TW_BIT | r;
	tcb_slot_free(st, tcb);
}

/* Record r becomes a TCB again, for one event. NULL when out of memory. */
static struct tcb *tw_inflate(struct stack *st, uint32_t r)
{
	struct tcb *tcb = tcb_alloc(st);
	if (!tcb)
		return NULL;
	const struct tw_rec *w = &st->tws[r];
	const struct tcb *t = tcb;            /* what derivations read */
#define TW_INFLATE(type, name) tcb->name = w->name;
#define TW_INFLATE_FLAG(name) tcb->name = w->name;
#define TW_INFLATE_TIMER(type, name) tcb->name[TIMER_TIME_WAIT] = w->name;
#define TW_INFLATE_SET(name, value) tcb->name = (value);
#define TW_INFLATE_SET_TIMER(name, value) tcb->name[TIMER_TIME_WAIT] = (value);
	TCB_IN_TIME_WAIT(TW_INFLATE, TW_INFLATE, TW_INFLATE_FLAG, TW_INFLATE_TIMER, TW_SKIP, TW_SKIP, TW_SKIP, TW_SKIP,
			 TW_SKIP)
	TCB_IN_TIME_WAIT(TW_SKIP, TW_SKIP, TW_SKIP, TW_SKIP, TW_INFLATE_SET, TW_INFLATE_SET, TW_INFLATE_SET_TIMER,
			 TW_SKIP, TW_SKIP)
#undef TW_INFLATE
#undef TW_INFLATE_FLAG
#undef TW_INFLATE_TIMER
#undef TW_INFLATE_SET
#undef TW_INFLATE_SET_TIMER
	(void)t;
	tcb->tw_rec = r + 1;
	struct endpoint *e = &st->eps[tcb->ep];
	if (e->conn == (TW_BIT | r)) {
		if (st->tw_indexed)
			hmap_del(&st->tw_conns, tcb_tuple_key(tcb), TW_BIT | r);
		if (hmap_put(&st->conns, tcb_tuple_key(tcb), tcb->id) < 0)
			st->oom = true;
		e->conn = tcb->id;
	}
	settle_later(st, tcb);
	return tcb;
}

void stack_settle(struct stack *st)
{
	for (uint32_t i = 0; i < st->n_settle; i++) {
		struct tcb *tcb = tcb_at(st, st->settle[i]);
		if (!tcb->in_use || !tcb->settle)
			continue;
		tcb->settle = false;
		if (tcb->state == TCPS_TIME_WAIT && !tcb->listener) {
			tw_deflate(st, tcb);
		} else if (tcb->tw_rec) {
			/* It left TIME_WAIT (a reopen): the record goes. */
			tw_free(st, tcb->tw_rec - 1);
			tcb->tw_rec = 0;
		}
	}
	st->n_settle = 0;
}

struct tcb *stack_endpoint_conn(struct stack *st, int ep)
{
	uint32_t id = st->eps[ep].conn;
	if (id != NO_TCB && (id & TW_BIT))
		return tw_inflate(st, id & ~TW_BIT);
	return stack_tcb(st, id);
}

bool stack_timer_event_current(const struct stack *st, const struct event *ev)
{
	if (ev->kind == EV_TW_EXPIRE)
		return stack_tw_expiry_current(st, ev->a, ev->gen);
	if (ev->a >= st->n_tcbs)
		return false;
	const struct tcb *tcb = tcb_at(st, ev->a);
	return tcb->in_use && tcb->timer_gen[ev->b] == ev->gen && tcb->timer_on[ev->b];
}

void stack_timer_event_run(struct stack *st, const struct event *ev)
{
	if (!stack_timer_event_current(st, ev))
		return;
	struct tcb *tcb = ev->kind == EV_TW_EXPIRE ? tw_inflate(st, ev->a) : tcb_at(st, ev->a);
	if (!tcb)
		return;
	int ep = tcb->ep;
	tcp_timer_fire(&st->host, tcb, ev->kind == EV_TW_EXPIRE ? TIMER_TIME_WAIT : (enum timer_kind)ev->b);
	if (st->trace_vars)
		stack_trace_vars(st, ep);
}

/* Cold: only the page's runs call it, and the hot path stays as compact as
 * before it (make bench). */
__attribute__((cold, noinline)) void stack_trace_vars(struct stack *st, int ep)
{
	struct trace_event ev = { .type = TRACE_VARS, .t_us = st->host.now, .endpoint = ep };
	uint32_t id;

	if (ep < 0 || (uint32_t)ep >= st->n_eps)
		return;
	id = st->eps[ep].conn;
	ev.u.vars.state = TCPS_CLOSED;
	const struct tcb *t = id != NO_TCB && !(id & TW_BIT) ? stack_tcb(st, id) : NULL;
	if (t) {
		ev.u.vars.state = t->state;
		ev.u.vars.has_irs = t->state != TCPS_SYN_SENT && t->state != TCPS_LISTEN;
		ev.u.vars.iss = t->iss;
		ev.u.vars.irs = t->irs;
		ev.u.vars.snd_una = t->snd_una;
		ev.u.vars.snd_nxt = t->snd_nxt;
		ev.u.vars.snd_wnd = t->snd_wnd;
		ev.u.vars.rcv_nxt = t->rcv_nxt;
		ev.u.vars.rcv_wnd = t->rcv_wnd;
		ev.u.vars.unacked = t->snd_max - t->snd_una;
		ev.u.vars.rto = t->rto;
		ev.u.vars.srtt = t->have_rtt ? t->srtt : 0;
	} else if (id != NO_TCB && (id & TW_BIT)) {
		ev.u.vars.state = TCPS_TIME_WAIT;     /* a record: between events only */
	} else if (stack_tcb(st, st->eps[ep].listener)) {
		ev.u.vars.state = TCPS_LISTEN;
	}
	trace_emit(st->host.trace, &ev);
}

static void host_tcb_release(struct tcp_host *h, struct tcb *tcb)
{
	struct stack *st = stack_of(h);
	struct endpoint *e = &st->eps[tcb->ep];
	if (tcb->tw_rec) {
		tw_free(st, tcb->tw_rec - 1);
		tcb->tw_rec = 0;
	}
	if (e->conn == tcb->id) {
		hmap_del(&st->conns, tuple_key(tcb->local_ip, tcb->local_port, tcb->remote_ip, tcb->remote_port),
			 tcb->id);
		e->conn = NO_TCB;
	}
	if (e->listener == tcb->id)
		e->listener = NO_TCB;
	tcb_slot_free(st, tcb);
}

/* The ISS for endpoint ep's next connection (tcp_iss): the configured
 * ISN for the first, then the configured ISN plus the RFC's 4-microsecond
 * clock; at least the floor T29 set, if any. */
static uint32_t host_choose_iss(struct tcp_host *h, int ep)
{
	struct stack *st = stack_of(h);
	struct endpoint *e = &st->eps[ep];
	uint32_t iss = tcp_iss(h->now, e->isn, !e->connected, e->iss_floor_set, e->iss_floor);
	e->connected = true;
	e->iss_floor_set = false;
	e->last_isn = iss;
	return iss;
}

/* Whether seg, as it arrives, belongs to the connection from local
 * lip:lport to remote rip:rport: its 4-tuple. */
static inline bool seg_belongs(const struct segment *seg, uint32_t lip, uint16_t lport, uint32_t rip, uint16_t rport)
{
	return lip == seg->dst_ip && lport == seg->dst_port && rip == seg->src_ip && rport == seg->src_port;
}

static inline bool seg_belongs_to_tcb(const struct segment *seg, const struct tcb *t)
{
	return seg_belongs(seg, t->local_ip, t->local_port, t->remote_ip, t->remote_port);
}

/* A record's local address is its endpoint's (tw_rec.h). */
static inline bool seg_belongs_to_record(const struct stack *st, const struct segment *seg, const struct tw_rec *w)
{
	return seg_belongs(seg, st->eps[w->ep].ip, st->eps[w->ep].port, w->remote_ip, w->remote_port);
}

/* The connection TCB for seg's 4-tuple in the live map, or NULL. */
static struct tcb *live_lookup(struct stack *st, const struct segment *seg, uint64_t key)
{
	const struct hmap *m = &st->conns;
	if (!m->cap)
		return NULL;
	uint32_t j = hmap_home(m, key), id;
	while (hmap_next(m, key, &j, &id)) {
		struct tcb *t = tcb_at(st, id);
		if (seg_belongs_to_tcb(seg, t))
			return t;
	}
	return NULL;
}

/* The TIME_WAIT record for seg's 4-tuple, inflated, or NULL. */
static struct tcb *tw_lookup(struct stack *st, const struct segment *seg, uint64_t key)
{
	const struct hmap *m = &st->tw_conns;
	if (!m->cap || !st->live_tws || !st->tw_indexed)
		return NULL;
	uint32_t j = hmap_home(m, key), val;
	while (hmap_next(m, key, &j, &val)) {
		uint32_t r = val & ~TW_BIT;
		if (seg_belongs_to_record(st, seg, &st->tws[r]))
			return tw_inflate(st, r);
	}
	return NULL;
}

/* The connection for seg's 4-tuple, or NULL. */
static struct tcb *conn_lookup(struct stack *st, const struct segment *seg)
{
	uint64_t key = tuple_key(seg->dst_ip, seg->dst_port, seg->src_ip, seg->src_port);
	struct tcb *t = live_lookup(st, seg, key);
	return t ? t : tw_lookup(st, seg, key);
}

/* The endpoint a segment from endpoint src to ip:port is for: client#K's
 * segments are for its server side server#K, not the listener. */
static int peer_endpoint(const struct stack *st, int src, uint32_t ip, uint16_t port)
{
	if (src < 0)
		return endpoint_at(st, ip, port);
	const struct endpoint *e = &st->eps[src];
	if (e->has_twin)
		return endpoint_twin(st->eps, src);
	if (e->peer >= 0 && st->eps[e->peer].ip == ip && st->eps[e->peer].port == port)
		return e->peer;
	return endpoint_at(st, ip, port);
}

/* A SYN for a listener whose queue of connections not yet accepted is full
 * (`backlog`). As with sockets, a connection counts until it is accepted,
 * which here is when it leaves SYN-RECEIVED. */
static bool listen_queue_full(const struct stack *st, const struct segment *seg)
{
	return st->backlog && st->host.syn_received >= st->backlog &&
	       (seg->flags & (TH_SYN | TH_ACK | TH_RST)) == TH_SYN;
}

/* The host (not the link) discards seg: a `drop` segment event with the
 * reason. Linux drops a SYN when the listener's queue is full, and the
 * client's retransmission may find room later; the RFC says nothing, and
 * the rfc9293 profile does the same. */
static void drop_at_host(struct stack *st, int ep, const struct segment *seg, const char *reason)
{
	struct trace_event ev = { .type = TRACE_SEGMENT, .t_us = st->host.now };
	ev.endpoint = st->arriving_from;
	if (ev.endpoint < 0)
		ev.endpoint = endpoint_at(st, seg->src_ip, seg->src_port);
	ev.u.segment.src = ev.endpoint;
	ev.u.segment.dst = ev.endpoint >= 0 ? peer_endpoint(st, ev.endpoint, seg->dst_ip, seg->dst_port) : ep;
	ev.u.segment.event = SEGEV_DROP;
	ev.u.segment.seg = *seg;
	ev.u.segment.reason = reason;
	st->n_host_drops++;
	trace_emit(st->host.trace, &ev);
}

/* The connection of endpoint ep if it is seg's (the link knows which
 * endpoint a segment is for: no hash lookup, no cache miss), or NULL. */
static struct tcb *endpoint_conn_for(struct stack *st, int ep, const struct segment *seg)
{
	uint32_t id = st->eps[ep].conn;
	if (id == NO_TCB)
		return NULL;
	if (id & TW_BIT)
		return seg_belongs_to_record(st, seg, &st->tws[id & ~TW_BIT]) ? tw_inflate(st, id & ~TW_BIT) : NULL;
	struct tcb *t = stack_tcb(st, id);
	return t && seg_belongs_to_tcb(seg, t) ? t : NULL;
}

void stack_segment_arrives(struct stack *st, const struct segment *seg)
{
	stack_segment_arrives_from(st, seg, -1, -1);
}

/* The arrival of seg, as stack_segment_arrives_from says. */
static void segment_arrives(struct stack *st, const struct segment *seg, int src_ep, int dst_ep)
{
	struct tcb *tcb = dst_ep >= 0 ? endpoint_conn_for(st, dst_ep, seg) : NULL;
	st->arriving_from = src_ep;
	if (!tcb)
		tcb = conn_lookup(st, seg);
	if (tcb) {
		tcp_input(&st->host, tcb, seg);
		return;
	}
	int ep = endpoint_at(st, seg->dst_ip, seg->dst_port);
	if (ep < 0)
		return;                        /* no such host: the segment is lost */
	struct tcb *listener = stack_tcb(st, st->eps[ep].listener);
	if (listener) {
		if (listen_queue_full(st, seg)) {
			drop_at_host(st, ep, seg, "backlog full");
			return;
		}
		tcp_input(&st->host, listener, seg);
		return;
	}
	tcp_input_closed(&st->host, ep, seg);
}

void stack_segment_arrives_from(struct stack *st, const struct segment *seg, int src_ep, int dst_ep)
{
	segment_arrives(st, seg, src_ep, dst_ep);
	if (st->trace_vars && dst_ep >= 0)
		stack_trace_vars(st, dst_ep);
}

void stack_emit_call(struct stack *st, int ep, enum user_call call, uint64_t bytes, const char *error)
{
	if (!trace_wants(st->host.trace, trace_bit(TRACE_CALL)))
		return;
	struct trace_event ev = { .type = TRACE_CALL, .t_us = st->host.now, .endpoint = ep };
	ev.u.call.call = call;
	ev.u.call.bytes = bytes;
	ev.u.call.error = error;
	trace_emit(st->host.trace, &ev);
}

/* ---- the stack as the TCP's host (tcp/tcp_host.h) -------------------------- */

/* Puts a segment sent by endpoint ep on the link. */
static void host_output(struct tcp_host *h, int ep, const struct segment *seg)
{
	struct stack *st = stack_of(h);
	int dst = peer_endpoint(st, ep, seg->dst_ip, seg->dst_port);
	if (link_send(st->link, st->host.now, st->eps[ep].role, ep, dst, seg, false) < 0)
		st->oom = true;
}

_Static_assert(TIMER_KINDS <= EVQ_TIMER_KINDS, "the event queue keys timers by kind");

/* A timer has one queued event at most: setting it again moves that event,
 * cancelling removes it (eventq.h), so idle connections leave nothing behind
 * in the queue. The generation guards the fire all the same
 * (stack_timer_event_current). The 2MSL timer is queued on the TIME_WAIT
 * lane when the TCB shrinks to its record after this event
 * (stack_settle), with the order stamp of now. */
static void host_timer_set(struct tcp_host *h, struct tcb *tcb, enum timer_kind k)
{
	struct stack *st = stack_of(h);
	if (k == TIMER_TIME_WAIT) {
		tcb->tw_order = eventq_reserve(st->q, 1);
		settle_later(st, tcb);
	} else if (eventq_timer_set(st->q, tcb->id, (uint32_t)k, tcb->timer_due[k], tcb->timer_gen[k]) < 0) {
		st->oom = true;
	}
}

static void host_timer_cancel(struct tcp_host *h, struct tcb *tcb, enum timer_kind k)
{
	eventq_timer_cancel(stack_of(h)->q, tcb->id, (uint32_t)k);
}

/* The application of the TCB's endpoint reads end-of-file: with `on_eof:
 * close`, it closes once the segment carrying the FIN is processed. */
static void host_app_eof(struct tcp_host *h, struct tcb *tcb)
{
	if (stack_of(h)->eps[tcb->ep].on_eof_close)
		tcb->eof_close = true;
}

/* The application of the TCB's endpoint calls CLOSE: a `call` event first. */
static void host_app_close(struct tcp_host *h, struct tcb *tcb)
{
	int err = tcp_call_error(tcb, CALL_CLOSE);
	stack_emit_call(stack_of(h), tcb->ep, CALL_CLOSE, 0, err ? tcp_error_text(err) : NULL);
	if (!err)
		tcp_close(h, tcb);
}

static bool host_has_listener(struct tcp_host *h, int ep)
{
	struct stack *st = stack_of(h);
	return stack_tcb(st, st->eps[ep].listener) != NULL;
}

static void host_set_iss_floor(struct tcp_host *h, int ep, uint32_t floor)
{
	struct endpoint *e = &stack_of(h)->eps[ep];
	e->iss_floor_set = true;
	e->iss_floor = floor;
}

static void host_segment_arrives(struct tcp_host *h, const struct segment *seg)
{
	stack_segment_arrives(stack_of(h), seg);
}

static const struct tcp_host_ops stack_host_ops = {
	.output = host_output,
	.timer_set = host_timer_set,
	.timer_cancel = host_timer_cancel,
	.tcb_from_listener = host_tcb_from_listener,
	.tcb_release = host_tcb_release,
	.make_listener = host_make_listener,
	.make_connection = host_make_connection,
	.choose_iss = host_choose_iss,
	.app_eof = host_app_eof,
	.app_close = host_app_close,
	.has_listener = host_has_listener,
	.set_iss_floor = host_set_iss_floor,
	.segment_arrives = host_segment_arrives,
};
