/* sim.c - the event engine. */
#include <stdio.h>
#include <string.h>
#include "eventq.h"
#include "link.h"
#include "rng.h"
#include "sim.h"
#include "stack.h"
#include "tcp.h"

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
};

/* Names the endpoints in the trace and the stack: "client" and "server". */
static int add_endpoints(struct engine *e)
{
	const struct scenario *sc = e->sc;
	for (int r = 0; r < NROLES; r++) {
		const struct endpoint_spec *sp = &sc->ep[r];
		int ep = trace_add_endpoint(e->trace, role_name((enum role)r), sp->ip, sp->port, sp->isn);
		if (ep < 0 || stack_add_endpoint(&e->st, ep, (enum role)r, sp->ip, sp->port, sp->isn,
						 sp->on_eof_close) < 0)
			return -1;
	}
	for (int r = 0; r < NROLES; r++)
		e->st.eps[r].half_duplex = sc->ep[r].half_duplex;
	e->st.eps[ROLE_CLIENT].peer = ROLE_SERVER;
	e->st.eps[ROLE_SERVER].peer = ROLE_CLIENT;
	return 0;
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

static void emit_call(struct engine *e, int ep, enum user_call call, uint64_t bytes, const char *error)
{
	struct trace_event ev = { .type = TRACE_CALL, .t_us = e->st.now, .endpoint = ep };
	ev.u.call.call = call;
	ev.u.call.bytes = bytes;
	ev.u.call.error = error;
	trace_emit(e->trace, &ev);
}

/* The TCB a call on endpoint ep acts on: its connection, else its listener. */
static struct tcb *call_target(struct engine *e, int ep)
{
	struct tcb *t = stack_tcb(&e->st, e->st.eps[ep].conn);
	return t ? t : stack_tcb(&e->st, e->st.eps[ep].listener);
}

/* The inject call: a forged segment from `from` to its peer, numbers relative
 * to the ISNs the two ends use now. */
static int do_inject(struct engine *e, const struct inject_spec *in)
{
	struct stack *st = &e->st;
	const struct endpoint *src = &st->eps[in->from];
	const struct endpoint *dst = &st->eps[src->peer];
	struct segment s = {
		.src_ip = src->ip, .dst_ip = dst->ip,
		.src_port = src->port, .dst_port = dst->port,
		.seq = src->last_isn + (in->has_seq ? in->seq : 0),
		.ack = (in->has_ack || (in->flags & TH_ACK)) ? dst->last_isn + in->ack : 0,
		.win = in->has_win ? in->win : (uint16_t)(e->params.window > 65535 ? 65535 : e->params.window),
		.flags = in->flags,
		.len = in->len,
		.data = (const uint8_t *)in->data,
	};
	uint8_t pattern[64];
	if (!in->data && in->len) {
		/* A payload of the pattern, built in pieces small enough for the stack. */
		static uint8_t big[65536];
		uint8_t *p = in->len <= sizeof pattern ? pattern : big;
		for (uint32_t i = 0; i < in->len && i < sizeof big; i++)
			p[i] = tcp_pattern_byte(i);
		s.data = p;
	}
	emit_call(e, (int)in->from, CALL_INJECT, 0, NULL);
	return link_send(&e->link, st->now, in->from, (int)in->from, src->peer, &s, true);
}

/* Runs a timeline entry: the application's call, section 3.10's user calls.
 * The call event comes first, carrying the error when the call is refused
 * ("connection does not exist"); the state changes it causes follow it. */
static int run_call(struct engine *e, const struct timeline_entry *te)
{
	struct stack *st = &e->st;
	if (te->call == CALL_INJECT)
		return do_inject(e, &te->inject);
	int ep = (int)te->who;
	struct tcb *tcb = call_target(e, ep);
	uint64_t bytes = te->call == CALL_SEND ? te->bytes : 0;
	int err = tcp_call_error(tcb, te->call);
	emit_call(e, ep, te->call, bytes, err ? tcp_error_text(err) : NULL);
	if (err)
		return 0;
	if (!tcb && !(tcb = stack_tcb_new(st, ep)))
		return -1;
	switch (te->call) {
	case CALL_LISTEN:
		err = tcp_open_passive(st, tcb);
		break;
	case CALL_CONNECT:
		err = tcp_open_active(st, tcb);
		break;
	case CALL_SEND:
		err = tcp_send(st, tcb, (const uint8_t *)te->data, (uint32_t)te->bytes);
		break;
	case CALL_CLOSE:
		err = tcp_close(st, tcb);
		break;
	case CALL_ABORT:
		err = tcp_abort(st, tcb);
		break;
	case CALL_INJECT:
		break;
	}
	return err == TCP_ERR_NOMEM ? -1 : 0;
}

/* A timer event: fires unless it was cancelled or set again since. */
static void run_timer(struct engine *e, const struct event *ev)
{
	struct tcb *tcb = stack_tcb(&e->st, ev->a);
	enum timer_kind k = (enum timer_kind)ev->b;
	if (!tcb || tcb->timer_gen[k] != ev->gen || !tcb->timer_on[k])
		return;
	tcb->timer_on[k] = false;
	struct trace_event tev = { .type = TRACE_TIMER, .t_us = e->st.now, .endpoint = tcb->ep };
	tev.u.timer.timer = k;
	tev.u.timer.event = TIMER_FIRE;
	trace_emit(e->trace, &tev);
	tcp_timeout(&e->st, tcb, k);
}

static void run_app_close(struct engine *e, const struct event *ev)
{
	struct tcb *tcb = stack_tcb(&e->st, ev->a);
	if (!tcb || tcb->gen != ev->gen)
		return;
	int err = tcp_call_error(tcb, CALL_CLOSE);
	emit_call(e, tcb->ep, CALL_CLOSE, 0, err ? tcp_error_text(err) : NULL);
	if (!err)
		tcp_close(&e->st, tcb);
}

/* Whether an event did anything observable (a stale timer does not). */
static bool is_live(struct engine *e, const struct event *ev)
{
	if (ev->kind != EV_TIMER)
		return true;
	struct tcb *tcb = stack_tcb(&e->st, ev->a);
	return tcb && tcb->timer_gen[ev->b] == ev->gen && tcb->timer_on[ev->b];
}

static int engine_loop(struct engine *e, struct sim_stats *stats)
{
	const struct scenario *sc = e->sc;
	struct event ev;
	while (eventq_pop(&e->q, &ev)) {
		if (sc->has_until && ev.at > sc->until) {
			stats->stopped_by_until = true;
			break;
		}
		if (!is_live(e, &ev))
			continue;
		e->st.now = ev.at;
		stats->end_us = ev.at;
		stats->events++;
		switch (ev.kind) {
		case EV_TIMELINE:
			if (run_call(e, &sc->timeline[ev.a]) < 0)
				return -1;
			break;
		case EV_ARRIVAL: {
			const struct flight *f = link_arrive(&e->link, ev.at, ev.a);
			stack_segment_arrives(&e->st, &f->seg);
			link_release(&e->link, ev.a);
			break;
		}
		case EV_TIMER:
			run_timer(e, &ev);
			break;
		case EV_APP_CLOSE:
			run_app_close(e, &ev);
			break;
		}
		if (e->st.oom)
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
	enum profile profile = sim_profile(sc, opt);
	uint64_t seed = sim_seed(sc, opt);
	tcp_params_resolve(profile, &sc->tcp, &e.params);
	eventq_init(&e.q);
	rng_seed(&e.rng, seed);
	int rc = -1;
	if (link_init(&e.link, &sc->link, &e.rng, &e.q, tr) < 0 ||
	    stack_init(&e.st, profile, &e.params, tr, &e.q, &e.link) < 0 || add_endpoints(&e) < 0)
		goto out;
	emit_scenario(&e, profile, seed);
	/* The timeline is scheduled first, in file order: at one instant the
	 * application's calls run before anything the run schedules later. */
	for (size_t i = 0; i < sc->n_timeline; i++)
		if (eventq_push(&e.q, sc->timeline[i].at, EV_TIMELINE, (uint32_t)i, 0, 0) < 0)
			goto out;
	rc = engine_loop(&e, stats);
	stats->segments_sent = e.link.n_sent;
	stats->segments_dropped = e.link.n_dropped;
	stats->segments_duplicated = e.link.n_duplicated;
	stats->retransmissions = e.st.n_retransmits;
out:
	if (rc < 0)
		snprintf(err, errlen, "%s: out of memory", sc->path);
	stack_free(&e.st);
	link_free(&e.link);
	eventq_free(&e.q);
	return rc;
}
