/* sim.c - the event engine. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/bigarray.h"
#include "base/eventq.h"
#include "link/link.h"
#include "base/rng.h"
#include "scenario/inject.h"
#include "engine/sim.h"
#include "host/stack.h"
#include "tcp/tcp.h"

enum profile sim_profile(const struct scenario *sc, const struct sim_options *opt)
{
	return opt && opt->has_profile ? opt->profile : sc->profile;
}

uint64_t sim_seed(const struct scenario *sc, const struct sim_options *opt)
{
	return opt && opt->has_seed ? opt->seed : sc->seed;
}

struct engine {
	const struct scenario *sc;
	struct tcp_params params;
	struct trace *trace;
	struct eventq q;
	struct rng rng;
	struct link link;
	struct stack st;
	uint32_t count;              /* clients */
	uint64_t timeline_order;     /* the order stamps reserved for the timeline */
	/* Calls waiting for their endpoint's connection (`wait: established`):
	 * per endpoint a list, in the order they came due. */
	struct parked { uint32_t entry, k; int32_t next; } *parked;
	size_t n_parked, cap_parked;
	int32_t free_parked;
	int32_t *park_head;          /* per endpoint: its first parked call, or -1 */
	size_t n_park_head;
	bool oom;
	/* The loop guard: the last segment that arrived in each direction of
	 * the pair watched, at instant loop_at, and how many arrivals in a row
	 * repeated their direction's last one. */
	usec_t loop_at;
	struct loop_seg {
		int src, dst;
		uint32_t seq, ack, len;
		uint16_t win;
		uint8_t flags;
	} loop_last[2];
	uint64_t loop_repeats[2];
	bool loop_armed;             /* loop_last holds something */
	uint32_t instant_arrivals;   /* arrivals since the clock last moved */
	size_t next_note;            /* the scenario's first note not yet emitted */
};

/* BSD's per-connection ISS increment: each client#K, and its server side,
 * starts 64000 above the previous one. */
#define ISN_STEP 64000u

/* client#K's address: the configured one plus K-1, stepping over the
 * server's (a client never has the server's address). */
static uint32_t client_ip(const struct scenario *sc, uint32_t k)
{
	uint32_t base = sc->ep[ROLE_CLIENT].ip, server = sc->ep[ROLE_SERVER].ip, ip = base + (k - 1);
	if (server >= base && server <= ip)
		ip++;
	return ip;
}

/* Adds one endpoint to the trace and the stack. */
static int add_endpoint(struct engine *e, enum role r, uint32_t instance, uint32_t ip, uint32_t isn,
			bool addressed)
{
	const struct endpoint_spec *sp = &e->sc->ep[r];
	int ep = trace_add_instance(e->trace, role_name(r), instance, ip, sp->port, isn);
	if (ep < 0 || stack_add_endpoint(&e->st, ep, r, ip, sp->port, isn, sp->on_eof_close, addressed) < 0)
		return -1;
	e->st.eps[ep].half_duplex = sp->half_duplex;
	return ep;
}

/* With count N > 1, the endpoints are the listener "server" (index 0) and
 * then client#K and server#K for each K: */
#define LISTENER_EP 0
static inline int client_ep(uint32_t k) { return (int)(2 * k - 1); }
static inline int server_ep(uint32_t k) { return (int)(2 * k); }

/* Names the endpoints in the trace and the stack: "client" and "server"
 * (indexes ROLE_CLIENT and ROLE_SERVER), or with many clients the listener,
 * client#K and server#K as laid out above. */
static int add_endpoints(struct engine *e)
{
	const struct scenario *sc = e->sc;
	const struct endpoint_spec *cs = &sc->ep[ROLE_CLIENT], *ss = &sc->ep[ROLE_SERVER];
	if (e->count == 1) {
		if (add_endpoint(e, ROLE_CLIENT, 0, cs->ip, cs->isn, true) < 0 ||
		    add_endpoint(e, ROLE_SERVER, 0, ss->ip, ss->isn, true) < 0)
			return -1;
		e->st.eps[0].peer = 1;
		e->st.eps[1].peer = 0;
		return 0;
	}
	e->st.tw_indexed = false;
	if (stack_reserve(&e->st, 1, e->count) < 0 ||
	    add_endpoint(e, ROLE_SERVER, 0, ss->ip, ss->isn, true) != LISTENER_EP)
		return -1;
	e->st.eps[LISTENER_EP].peer = client_ep(1);
	/* The clients' addresses as client_ip() lays them out. */
	stack_add_address_block(&e->st, cs->ip, e->count, ss->ip, cs->port, client_ep(1), client_ep(2) - client_ep(1));
	for (uint32_t k = 1; k <= e->count; k++) {
		uint32_t step = (k - 1) * ISN_STEP;
		int c = add_endpoint(e, ROLE_CLIENT, k, client_ip(sc, k), cs->isn + step, false);
		int v = c < 0 ? -1 : add_endpoint(e, ROLE_SERVER, k, ss->ip, ss->isn + step, false);
		if (c != client_ep(k) || v != server_ep(k))
			return -1;
		e->st.eps[c].peer = LISTENER_EP;
		e->st.eps[c].has_twin = true;     /* v == c + 1 */
		e->st.eps[v].peer = c;
	}
	return 0;
}

int sim_connection_endpoints(const struct scenario *sc, uint32_t k, int eps[3])
{
	uint32_t count = sc->ep[ROLE_CLIENT].count ? sc->ep[ROLE_CLIENT].count : 1;
	if (k < 1 || k > count)
		return 0;
	if (count == 1) {
		eps[0] = ROLE_CLIENT;
		eps[1] = ROLE_SERVER;
		return 2;
	}
	eps[0] = LISTENER_EP;
	eps[1] = client_ep(k);
	eps[2] = server_ep(k);
	return 3;
}

/* The endpoint a timeline entry acts on: client#K for a client's entry of
 * instance K, else the role's endpoint (with many clients, the server's
 * entries act on the listener). */
static int entry_endpoint(const struct engine *e, const struct timeline_entry *te, uint32_t k)
{
	if (e->count == 1)
		return (int)te->who;
	return te->who == ROLE_CLIENT ? client_ep(k) : LISTENER_EP;
}

static void emit_scenario(struct engine *e, enum profile profile, uint64_t seed)
{
	struct trace_event ev = { .type = TRACE_SCENARIO, .t_us = 0, .endpoint = -1 };
	ev.u.scenario.name = e->sc->name;
	ev.u.scenario.summary = e->sc->summary;
	ev.u.scenario.seed = seed;
	ev.u.scenario.profile = profile_name(profile);
	trace_emit(e->trace, &ev);
}

/* Emits a note of the scenario at `at`, of endpoint ep (-1: nobody's). */
static void emit_note(struct engine *e, usec_t at, int ep, const char *text)
{
	struct trace_event ev = { .type = TRACE_NOTE, .t_us = at, .endpoint = ep };
	ev.u.note.text = text;
	trace_emit(e->trace, &ev);
}

/* Emits the notes alone due by `now` (sc->notes is in time order), each at
 * its own time: before the events of that instant, as the story told before
 * what happens. (A note beside a call is told with its call: run_entry.) */
static void emit_notes_until(struct engine *e, usec_t now)
{
	const struct scenario *sc = e->sc;
	for (; e->next_note < sc->n_notes && sc->notes[e->next_note].at <= now; e->next_note++)
		if (!sc->notes[e->next_note].beside_call)
			emit_note(e, sc->notes[e->next_note].at, -1, sc->notes[e->next_note].text);
}

/* The note beside timeline entry te, told right before the call when it
 * comes due (a call that then waits for its connection included), once:
 * with many clients, for the first client only, and nobody's (it is every
 * client's); a server's is the listener's. */
static void emit_entry_note(struct engine *e, const struct timeline_entry *te, uint32_t k)
{
	if (!te->note || k > 1)
		return;
	int ep = -1;
	if (te->call != CALL_INJECT && (e->count == 1 || te->who == ROLE_SERVER))
		ep = entry_endpoint(e, te, k);
	emit_note(e, te->at, ep, te->note);
}

/* The TCB a call on endpoint ep acts on: its connection, else its listener. */
static struct tcb *call_target(struct engine *e, int ep)
{
	struct tcb *t = stack_endpoint_conn(&e->st, ep);
	return t ? t : stack_tcb(&e->st, e->st.eps[ep].listener);
}

/* The inject call: a forged segment from `from` to its peer, numbers relative
 * to the ISNs the two ends use now. */
static int do_inject(struct engine *e, const struct inject_spec *in)
{
	struct stack *st = &e->st;
	/* With many clients, the forged segment is between client#1 and server#1. */
	int src_ep = (int)in->from, dst_ep = st->eps[in->from].peer;
	if (e->count > 1) {
		src_ep = in->from == ROLE_CLIENT ? client_ep(1) : server_ep(1);
		dst_ep = in->from == ROLE_CLIENT ? server_ep(1) : client_ep(1);
	}
	const struct endpoint *src = &st->eps[src_ep];
	const struct endpoint *dst = &st->eps[dst_ep];
	struct inject_ends ends = {
		.src_ip = src->ip, .dst_ip = dst->ip,
		.src_port = src->port, .dst_port = dst->port,
		.src_isn = src->last_isn, .dst_isn = dst->last_isn,
	};
	struct segment s;
	uint8_t *pattern;
	if (inject_segment(in, &ends, e->params.window, &s, &pattern) < 0)
		return -1;
	stack_emit_call(st, src_ep, CALL_INJECT, 0, NULL);
	int rc = link_send(&e->link, st->host.now, in->from, src_ep, dst_ep, &s, true);
	free(pattern);
	return rc;
}

/* Runs a timeline entry: the application's call, section 3.10's user calls.
 * The call event comes first, carrying the error when the call is refused
 * ("connection does not exist"); the state changes it causes follow it. */
static int run_call(struct engine *e, const struct timeline_entry *te, uint32_t k)
{
	struct stack *st = &e->st;
	if (te->call == CALL_INJECT)
		return do_inject(e, &te->inject);
	int ep = entry_endpoint(e, te, k);
	struct tcb *tcb = call_target(e, ep);
	uint64_t bytes = te->call == CALL_SEND ? te->bytes : 0;
	int err = tcp_call_error(tcb, te->call);
	stack_emit_call(st, ep, te->call, bytes, err ? tcp_error_text(err) : NULL);
	if (err)
		return 0;
	if (!tcb && !(tcb = stack_tcb_new(st, ep)))
		return -1;
	switch (te->call) {
	case CALL_LISTEN:
		err = tcp_open_passive(&st->host, tcb);
		break;
	case CALL_CONNECT:
		err = tcp_open_active(&st->host, tcb);
		break;
	case CALL_SEND:
		err = tcp_send(&st->host, tcb, (const uint8_t *)te->data, (uint32_t)te->bytes);
		break;
	case CALL_CLOSE:
		err = tcp_close(&st->host, tcb);
		break;
	case CALL_ABORT:
		err = tcp_abort(&st->host, tcb);
		break;
	case CALL_INJECT:
		break;
	}
	if (st->trace_vars)      /* the connection's variables after the call (the page's) */
		stack_trace_vars(st, ep);
	return err == TCP_ERR_NOMEM ? -1 : 0;
}

/* Whether an event did anything observable (a stale timer does not). */
static bool is_live(struct engine *e, const struct event *ev)
{
	if (ev->kind == EV_TIMER || ev->kind == EV_TW_EXPIRE)
		return stack_timer_event_current(&e->st, ev);
	return true;
}

/* ---- calls that wait for an established connection ------------------------- */

/* Whether a call with `wait: established` on endpoint ep must wait: its
 * connection is being opened (SYN_SENT, SYN_RECEIVED), or it has only a
 * listener, whose connection is yet to come. With no connection at all, or
 * one established or beyond, the call is made now. */
static bool must_wait(struct engine *e, int ep)
{
	if (stack_endpoint_conn_is_record(&e->st, ep))
		return false;                 /* a TIME_WAIT record: established long ago */
	const struct endpoint *en = &e->st.eps[ep];
	struct tcb *t = stack_tcb(&e->st, en->conn);
	if (!t)
		t = stack_tcb(&e->st, en->listener);
	return t && (t->state == TCPS_SYN_SENT || t->state == TCPS_SYN_RECEIVED || t->state == TCPS_LISTEN);
}

/* Parks timeline entry `entry` of client instance k on endpoint ep. */
static int park_call(struct engine *e, int ep, uint32_t entry, uint32_t k)
{
	if ((size_t)ep >= e->n_park_head) {
		size_t old = e->n_park_head;
		int32_t *h = bigarray_grow(e->park_head, &e->n_park_head, (size_t)ep + 1, sizeof *h, 64);
		if (!h)
			return -1;
		for (size_t i = old; i < e->n_park_head; i++)
			h[i] = -1;
		e->park_head = h;
	}
	int32_t id = e->free_parked;
	if (id >= 0) {
		e->free_parked = e->parked[id].next;
	} else {
		if (e->n_parked == e->cap_parked) {
			struct parked *p = bigarray_grow(e->parked, &e->cap_parked, e->n_parked + 1, sizeof *p, 16);
			if (!p)
				return -1;
			e->parked = p;
		}
		id = (int32_t)e->n_parked++;
	}
	e->parked[id] = (struct parked){ entry, k, -1 };
	int32_t *at = &e->park_head[ep];
	while (*at >= 0)
		at = &e->parked[*at].next;
	*at = id;
	return 0;
}

/* The stack's word on a state change: an endpoint whose connection is
 * established (or beyond), or closed (the open failed), makes its waiting
 * calls now, in order, each as a new event of this instant. (Another of its
 * TCBs closing, an older connection's, releases nothing while the current
 * one is still being opened.) */
static void on_app_state(void *ctx, int ep, enum tcp_state to)
{
	struct engine *e = ctx;
	if ((size_t)ep >= e->n_park_head || e->park_head[ep] < 0 || !(tcps_synchronized(to) || to == TCPS_CLOSED) ||
	    must_wait(e, ep))
		return;
	for (int32_t id = e->park_head[ep], next; id >= 0; id = next) {
		next = e->parked[id].next;
		if (eventq_push(&e->q, e->st.host.now, EV_TIMELINE, e->parked[id].entry, e->parked[id].k, 1) < 0)
			e->oom = true;
		e->parked[id].next = e->free_parked;
		e->free_parked = id;
	}
	e->park_head[ep] = -1;
}

/* Schedules the timeline entry of a client's event for the next client:
 * client#K+1 runs it `every` later. Clients are scheduled one at a time, so
 * the queue holds one event per entry, not one per client; their order
 * stamps were reserved at the start (schedule_timeline), so ties break as if
 * every client's calls had been scheduled then. */
static int schedule_next_client(struct engine *e, const struct event *ev)
{
	const struct scenario *sc = e->sc;
	uint32_t k = ev->b;
	if (k == 0 || k >= e->count)
		return 0;
	const struct timeline_entry *te = &sc->timeline[ev->a];
	usec_t at = te->at + (usec_t)k * sc->ep[ROLE_CLIENT].every;
	uint64_t order = e->timeline_order + (uint64_t)k * sc->n_timeline + ev->a;
	return eventq_push_order(&e->q, at, order, EV_TIMELINE, ev->a, k + 1, 0);
}

/* The timeline is scheduled first, in file order: at one instant the
 * application's calls run before anything the run schedules later. Each
 * client entry is scheduled for client#1 (b = 1; b = 0 marks the entries
 * that run once). */
static int schedule_timeline(struct engine *e)
{
	const struct scenario *sc = e->sc;
	e->timeline_order = eventq_reserve(&e->q, (uint64_t)e->count * sc->n_timeline);
	for (size_t i = 0; i < sc->n_timeline; i++) {
		const struct timeline_entry *te = &sc->timeline[i];
		uint32_t k = e->count > 1 && te->call != CALL_INJECT && te->who == ROLE_CLIENT ? 1 : 0;
		if (eventq_push_order(&e->q, te->at, e->timeline_order + i, EV_TIMELINE, (uint32_t)i, k, 0) < 0)
			return -1;
	}
	return 0;
}

/* ---- every run ends --------------------------------------------------------- */

/* The instant of the last timeline call: the last client's, for a client's
 * entry (the loader keeps at + (count-1)*every within VTIME_MAX). */
static usec_t last_timeline_call(const struct engine *e)
{
	const struct scenario *sc = e->sc;
	usec_t last = 0;
	for (size_t i = 0; i < sc->n_timeline; i++) {
		const struct timeline_entry *te = &sc->timeline[i];
		usec_t at = te->at;
		if (e->count > 1 && te->call != CALL_INJECT && te->who == ROLE_CLIENT)
			at += (usec_t)(e->count - 1) * sc->ep[ROLE_CLIENT].every;
		if (at > last)
			last = at;
	}
	return last;
}

/* The full-size segments (of the TCPs' MSS) that the timeline's sends make,
 * a client's sends counted once for each client. Saturates at UINT64_MAX. */
static uint64_t timeline_segments(const struct engine *e)
{
	const struct scenario *sc = e->sc;
	uint64_t mss = e->params.mss ? e->params.mss : 1;
	uint64_t segs = 0;
	for (size_t i = 0; i < sc->n_timeline; i++) {
		const struct timeline_entry *te = &sc->timeline[i];
		if (te->call != CALL_SEND)
			continue;
		uint64_t n = te->bytes / mss + 1;
		if (te->who == ROLE_CLIENT && e->count > 1 && n > UINT64_MAX / e->count)
			return UINT64_MAX;
		if (te->who == ROLE_CLIENT)
			n *= e->count;
		if (segs > UINT64_MAX - n)
			return UINT64_MAX;
		segs += n;
	}
	return segs;
}

/* Sets the run's bounds (sim.h): the time past which no event runs and the
 * number of events it may take. */
static void set_bounds(const struct engine *e, const struct sim_options *opt, struct sim_stats *stats)
{
	const struct scenario *sc = e->sc;
	usec_t t = sc->has_until ? sc->until : last_timeline_call(e) + SIM_TIME_AFTER_TIMELINE;
	if (t > VTIME_MAX)
		t = VTIME_MAX;
	if (opt && opt->max_time && opt->max_time < t)
		t = opt->max_time;
	stats->time_bound = t;
	uint64_t n = sc->max_events;
	if (!n) {
		uint64_t segs = timeline_segments(e);
		n = SIM_EVENTS_BASE + (uint64_t)(e->count - 1) * SIM_EVENTS_PER_CONNECTION;
		n = segs > (UINT64_MAX - n) / SIM_EVENTS_PER_SEGMENT ? UINT64_MAX : n + segs * SIM_EVENTS_PER_SEGMENT;
	}
	if (opt && opt->max_events && opt->max_events < n)
		n = opt->max_events;
	stats->event_bound = n;
}

static void loop_reset(struct engine *e);

/* Arrivals at one instant before the loop guard starts watching it. */
#define LOOP_WATCH_AFTER 64

/* The loop guard, for each segment that arrives. An exchange that never
 * lets the clock advance is two endpoints answering each other with the
 * same segments over and over (an ACK war over a link without delay: RFC
 * 9293 3.10.7.4 answers an unacceptable segment, or an ACK of something not
 * sent, with an ACK, which the other side finds unacceptable in turn). The
 * guard counts, per direction of the pair last seen, the arrivals at this
 * instant that repeat that direction's last segment; anything else starts
 * over: a segment unlike its direction's last one (data moving, a window
 * opening), a forged one (the timeline's input, however many), another
 * pair's, the clock moving. A finite exchange repeats in one direction at
 * most once per segment that provokes it (duplicate ACKs: a window's worth,
 * up to 65535 one-byte segments), but then the other direction carries those
 * provoking segments, all different; only a loop repeats both ways. Returns
 * true when both directions have repeated SIM_LOOP_SEGMENTS times. */
static bool loop_guard(struct engine *e, const struct flight *f)
{
	const struct segment *s = &f->seg;
	struct loop_seg cur = { f->src_ep, f->dst_ep, s->seq, s->ack, s->len, s->win, s->flags };
	if (f->forged) {
		loop_reset(e);
		return false;
	}
	e->loop_armed = true;
	for (int i = 0; i < 2; i++) {
		struct loop_seg *l = &e->loop_last[i];
		if (l->src != cur.src || l->dst != cur.dst)
			continue;
		if (l->seq == cur.seq && l->ack == cur.ack && l->len == cur.len && l->win == cur.win &&
		    l->flags == cur.flags) {
			e->loop_repeats[i]++;
			return e->loop_repeats[0] >= SIM_LOOP_SEGMENTS && e->loop_repeats[1] >= SIM_LOOP_SEGMENTS;
		}
		*l = cur;
		e->loop_repeats[0] = e->loop_repeats[1] = 0;
		return false;
	}
	/* A direction not watched yet: it takes the older slot's place. */
	e->loop_last[0] = e->loop_last[1];
	e->loop_last[1] = cur;
	e->loop_repeats[0] = e->loop_repeats[1] = 0;
	return false;
}

/* Forgets what the loop guard saw: the clock moved, or input came. */
static void loop_reset(struct engine *e)
{
	e->loop_repeats[0] = e->loop_repeats[1] = 0;
	e->loop_armed = false;
	for (int i = 0; i < 2; i++)
		e->loop_last[i] = (struct loop_seg){ .src = -1, .dst = -1 };
}

/* Records the loop the guard found between the endpoints of f, which
 * exchanged `arrivals` segments at instant at. */
static void note_loop(struct sim_stats *stats, const struct flight *f, usec_t at, uint64_t arrivals)
{
	stats->stop = SIM_STOP_LOOP;
	stats->loop_ep[0] = f->dst_ep;
	stats->loop_ep[1] = f->src_ep;
	stats->loop_since = at;
	stats->loop_segments = arrivals;
}

void sim_stop_message(const struct scenario *sc, const struct sim_stats *s, const struct trace *tr, char *buf,
		      size_t len)
{
	char a[TRACE_NAME_MAX], b[TRACE_NAME_MAX], t[32], bound[32];
	time_format(s->end_us, t);
	switch (s->stop) {
	case SIM_STOP_LOOP:
		time_format(s->loop_since, bound);
		snprintf(buf, len,
			 "stopped at %s s: %s and %s kept answering each other with the same segments, "
			 "%llu segments at %s s without the clock advancing: an exchange that never ends "
			 "over a link without delay (an ACK war); to show it, give the link a delay "
			 "(link: { delay: 1ms }) and the run an end (until: 2s)",
			 t, trace_endpoint_name(tr, s->loop_ep[0], a), trace_endpoint_name(tr, s->loop_ep[1], b),
			 (unsigned long long)s->loop_segments, bound);
		break;
	case SIM_STOP_EVENTS:
		snprintf(buf, len,
			 "stopped at %s s after %llu events, the bound of a run of %u connection%s: "
			 "the exchange has not ended; give the run an end (until:) to show part of it, or "
			 "raise the bound (max_events:)",
			 t, (unsigned long long)s->event_bound,
			 sc->ep[ROLE_CLIENT].count ? sc->ep[ROLE_CLIENT].count : 1,
			 sc->ep[ROLE_CLIENT].count > 1 ? "s" : "");
		break;
	case SIM_STOP_TIME:
		time_format(s->time_bound, bound);
		snprintf(buf, len,
			 "stopped at %s s: events were still due after %s s, %s; give the run an end "
			 "(until:) to run longer",
			 t, bound,
			 s->time_bound == VTIME_MAX ? "the end of virtual time (what a pcap timestamp holds)" :
			 "one day of virtual time after the last timeline call, the bound of a run without until");
		break;
	default:
		snprintf(buf, len, "ran to its end");
		break;
	}
}

static int engine_loop(struct engine *e, struct sim_stats *stats)
{
	const struct scenario *sc = e->sc;
	struct event ev;
	usec_t time_bound = stats->time_bound;
	uint64_t event_bound = stats->event_bound;
	while (eventq_pop(&e->q, &ev)) {
		if (ev.at > time_bound) {
			stats->stop = sc->has_until && time_bound == sc->until ? SIM_STOP_UNTIL : SIM_STOP_TIME;
			break;
		}
		emit_notes_until(e, ev.at);
		if (!is_live(e, &ev))
			continue;
		if (stats->events == event_bound) {
			stats->stop = SIM_STOP_EVENTS;
			break;
		}
		/* The loop guard watches an instant only once LOOP_WATCH_AFTER
		 * segments arrived at it: the hot path's instants hold a few. */
		if (ev.at != e->loop_at) {
			e->loop_at = ev.at;
			e->instant_arrivals = 0;
			if (e->loop_armed)
				loop_reset(e);
		}
		e->st.host.now = ev.at;
		stats->end_us = ev.at;
		stats->events++;
		switch (ev.kind) {
		case EV_TIMELINE: {
			/* gen 1: a waiting call released (its next client was scheduled when it came due) */
			const struct timeline_entry *te = &sc->timeline[ev.a];
			if (ev.gen == 0 && schedule_next_client(e, &ev) < 0)
				return -1;
			if (ev.gen == 0)
				emit_entry_note(e, te, ev.b);
			if (ev.gen == 0 && te->wait_established) {   /* never an inject (the loader) */
				int ep = entry_endpoint(e, te, ev.b);
				if (must_wait(e, ep)) {
					if (park_call(e, ep, ev.a, ev.b) < 0)
						return -1;
					break;
				}
			}
			if (run_call(e, te, ev.b) < 0)
				return -1;
			break;
		}
		case EV_ARRIVAL: {
			const struct flight *f = link_arrive(&e->link, ev.at, ev.a);
			if (++e->instant_arrivals > LOOP_WATCH_AFTER && loop_guard(e, f)) {
				note_loop(stats, f, ev.at, e->instant_arrivals);
				link_release(&e->link, ev.a);
				return 0;
			}
			/* A copy: what the arrival sends may grow the link's
			 * slots, which moves the flight f points to. */
			struct segment seg = f->seg;
			stack_segment_arrives_from(&e->st, &seg, f->src_ep, f->dst_ep);
			link_release(&e->link, ev.a);
			break;
		}
		case EV_TIMER:
		case EV_TW_EXPIRE:
			stack_timer_event_run(&e->st, &ev);
			break;
		}
		stack_settle(&e->st);
		if (e->st.oom || e->oom)
			return -1;
	}
	return 0;
}

int sim_run(const struct scenario *sc, const struct sim_options *opt, struct trace *tr,
	    struct sim_stats *stats, char *err, size_t errlen)
{
	struct engine e;
	memset(&e, 0, sizeof e);
	memset(stats, 0, sizeof *stats);
	e.sc = sc;
	e.trace = tr;
	e.count = sc->ep[ROLE_CLIENT].count ? sc->ep[ROLE_CLIENT].count : 1;
	enum profile profile = sim_profile(sc, opt);
	uint64_t seed = sim_seed(sc, opt);
	tcp_params_resolve(profile, &sc->tcp, &e.params);
	eventq_init(&e.q);
	rng_seed(&e.rng, seed);
	int rc = -1;
	if (link_init(&e.link, &sc->link, &e.rng, &e.q, tr) < 0 ||
	    stack_init(&e.st, profile, &e.params, tr, &e.q, &e.link) < 0 || add_endpoints(&e) < 0)
		goto out;
	e.st.backlog = sc->ep[ROLE_SERVER].backlog;
	e.free_parked = -1;
	for (size_t i = 0; i < sc->n_timeline; i++) {
		if (sc->timeline[i].wait_established) {
			/* Only a scenario with waiting calls listens to every state change. */
			e.st.host.app_state = on_app_state;
			e.st.host.app_state_ctx = &e;
			break;
		}
	}
	emit_scenario(&e, profile, seed);
	set_bounds(&e, opt, stats);
	loop_reset(&e);
	if (schedule_timeline(&e) < 0)
		goto out;
	rc = engine_loop(&e, stats);
	/* The notes after the last event, up to the run's end; none after a
	 * run cut short (its story stops where it was cut). */
	if (rc == 0 && stats->stop != SIM_STOP_EVENTS && stats->stop != SIM_STOP_LOOP)
		emit_notes_until(&e, stats->time_bound);
	stats->segments_sent = e.link.n_sent;
	stats->segments_dropped = e.link.n_dropped;
	stats->segments_duplicated = e.link.n_duplicated;
	stats->retransmissions = e.st.host.n_retransmits;
	stats->host_drops = e.st.n_host_drops;
out:
	if (rc < 0)
		snprintf(err, errlen, "%s: out of memory", sc->path);
	stack_free(&e.st);
	link_free(&e.link);
	eventq_free(&e.q);
	bigarray_free(e.parked, e.cap_parked * sizeof *e.parked);
	bigarray_free(e.park_head, e.n_park_head * sizeof *e.park_head);
	return rc;
}
