/* tcp_script.c - the segment-script harness for the state machine tests. */
#include <stdio.h>
#include <string.h>
#include "tcp_script.h"

static void on_event(void *ctx, const struct trace *tr, const struct trace_event *ev)
{
	struct script *s = ctx;
	if (ev->type == TRACE_SEGMENT && ev->u.segment.event == SEGEV_SEND && s->n_out < SCRIPT_MAX) {
		s->out[s->n_out] = ev->u.segment.seg;
		s->out[s->n_out].data = NULL;
		s->out_ep[s->n_out] = ev->u.segment.src;
		s->n_out++;
	} else if (ev->type == TRACE_STATE) {
		if (ev->endpoint >= 0 && ev->endpoint < 2)
			s->shown[ev->endpoint] = ev->u.state.to;
		if (s->n_states < SCRIPT_MAX) {
			struct script_state *st = &s->states[s->n_states++];
			st->ep = ev->endpoint;
			st->from = ev->u.state.from;
			st->to = ev->u.state.to;
			snprintf(st->arc, sizeof st->arc, "%s", ev->u.state.arc ? ev->u.state.arc : "");
		}
	} else if (ev->type == TRACE_DATA && ev->endpoint >= 0 && ev->endpoint < 2) {
		s->delivered[ev->endpoint] += ev->u.data.bytes;
	}
}

void script_init(struct script *s, enum profile p)
{
	memset(s, 0, sizeof *s);
	struct tcp_overrides none;
	memset(&none, 0, sizeof none);
	tcp_params_resolve(p, &none, &s->params);
	trace_init(&s->tr);
	trace_add_sink(&s->tr, (struct trace_sink){ on_event, s, 0 });
	eventq_init(&s->q);
	rng_seed(&s->rng, 1);
	link_init(&s->link, &s->lp, &s->rng, &s->q, &s->tr);
	stack_init(&s->st, p, &s->params, &s->tr, &s->q, &s->link);
	int c = trace_add_endpoint(&s->tr, "client", 0x0a000001, 40000, CLIENT_ISN);
	int v = trace_add_endpoint(&s->tr, "server", 0x0a000002, 80, SERVER_ISN);
	stack_add_endpoint(&s->st, c, ROLE_CLIENT, 0x0a000001, 40000, CLIENT_ISN, false, true);
	stack_add_endpoint(&s->st, v, ROLE_SERVER, 0x0a000002, 80, SERVER_ISN, false, true);
	s->st.eps[CLIENT].peer = SERVER;
	s->st.eps[SERVER].peer = CLIENT;
}

void script_free(struct script *s)
{
	stack_free(&s->st);
	link_free(&s->link);
	eventq_free(&s->q);
	trace_free(&s->tr);
}

struct tcb *script_tcb(struct script *s, int ep)
{
	struct tcb *t = stack_endpoint_conn(&s->st, ep);
	return t ? t : stack_tcb(&s->st, s->st.eps[ep].listener);
}

static struct tcb *tcb_or_new(struct script *s, int ep)
{
	struct tcb *t = script_tcb(s, ep);
	return t ? t : stack_tcb_new(&s->st, ep);
}

int script_listen(struct script *s, int ep)
{
	return tcp_open_passive(&s->st, tcb_or_new(s, ep));
}

int script_connect(struct script *s, int ep)
{
	return tcp_open_active(&s->st, tcb_or_new(s, ep));
}

int script_send(struct script *s, int ep, uint32_t len)
{
	struct tcb *t = script_tcb(s, ep);
	return t ? tcp_send(&s->st, t, NULL, len) : TCP_ERR_NOCONN;
}

int script_close(struct script *s, int ep)
{
	struct tcb *t = script_tcb(s, ep);
	return t ? tcp_close(&s->st, t) : TCP_ERR_NOCONN;
}

int script_abort(struct script *s, int ep)
{
	struct tcb *t = script_tcb(s, ep);
	return t ? tcp_abort(&s->st, t) : TCP_ERR_NOCONN;
}

void script_recv_abs(struct script *s, int ep, uint8_t flags, uint32_t seq, uint32_t ack, uint32_t len, uint16_t win)
{
	static uint8_t payload[65536];
	const struct endpoint *me = &s->st.eps[ep], *peer = &s->st.eps[1 - ep];
	for (uint32_t i = 0; i < len && i < sizeof payload; i++)
		payload[i] = tcp_pattern_byte(i);
	struct segment g = {
		.src_ip = peer->ip, .dst_ip = me->ip, .src_port = peer->port, .dst_port = me->port,
		.seq = seq, .ack = ack, .win = win, .flags = flags, .len = len, .data = len ? payload : NULL,
	};
	if (flags & TH_SYN)
		g.mss = 1460;
	stack_segment_arrives(&s->st, &g);
	stack_settle(&s->st);
}

void script_recv(struct script *s, int ep, uint8_t flags, uint32_t seq, uint32_t ack, uint32_t len)
{
	uint32_t peer_isn = ep == CLIENT ? SERVER_ISN : CLIENT_ISN;
	uint32_t my_isn = ep == CLIENT ? CLIENT_ISN : SERVER_ISN;
	script_recv_abs(s, ep, flags, peer_isn + seq, (flags & TH_ACK) ? my_isn + ack : 0, len, 65535);
}

void script_advance(struct script *s, usec_t us)
{
	usec_t until = s->st.now + us;
	const struct event *top;
	while ((top = eventq_peek(&s->q)) && top->at <= until) {
		struct event ev;
		eventq_pop(&s->q, &ev);
		s->st.now = ev.at;
		if (ev.kind == EV_ARRIVAL) {
			link_release(&s->link, ev.a);      /* the test is the peer */
		} else if (ev.kind == EV_TIMER) {
			struct tcb *t = stack_tcb(&s->st, ev.a);
			if (t && t->timer_gen[ev.b] == ev.gen && t->timer_on[ev.b])
				stack_timer_fire(&s->st, t, (enum timer_kind)ev.b);
		} else if (ev.kind == EV_TW_EXPIRE) {
			stack_tw_expire(&s->st, ev.a, ev.gen);
		}
		stack_settle(&s->st);
	}
	s->st.now = until;
}

static void fail(const char *file, int line, const char *msg)
{
	CU_assertImplementation(CU_FALSE, (unsigned)line, msg, file, "", CU_FALSE);
}

static void pass(const char *file, int line)
{
	CU_assertImplementation(CU_TRUE, (unsigned)line, "ok", file, "", CU_FALSE);
}

static void describe(char *buf, size_t n, int ep, uint8_t flags, uint32_t seq, uint32_t ack, uint32_t len)
{
	char f[8];
	tcp_flags_format(flags, f);
	snprintf(buf, n, "%s %s seq=%u ack=%u len=%u", ep == CLIENT ? "client" : "server", f, seq, ack, len);
}

void script_expect_sent_abs(struct script *s, int ep, uint8_t flags, uint32_t seq, uint32_t ack, uint32_t len,
			    const char *file, int line)
{
	char want[128], got[128], msg[300];
	describe(want, sizeof want, ep, flags, seq, ack, len);
	if (s->next_out >= s->n_out) {
		snprintf(msg, sizeof msg, "expected %s, nothing was sent", want);
		fail(file, line, msg);
		return;
	}
	const struct segment *g = &s->out[s->next_out];
	int gep = s->out_ep[s->next_out++];
	describe(got, sizeof got, gep, g->flags, g->seq, g->ack, g->len);
	if (gep != ep || g->flags != flags || g->seq != seq || g->ack != ack || g->len != len) {
		snprintf(msg, sizeof msg, "expected %s, got %s", want, got);
		fail(file, line, msg);
		return;
	}
	pass(file, line);
}

void script_expect_sent(struct script *s, int ep, uint8_t flags, uint32_t seq, uint32_t ack, uint32_t len,
			const char *file, int line)
{
	uint32_t my_isn = ep == CLIENT ? CLIENT_ISN : SERVER_ISN;
	uint32_t peer_isn = ep == CLIENT ? SERVER_ISN : CLIENT_ISN;
	/* A reset from no connection carries SEQ 0, as written. */
	uint32_t abs_seq = (flags & TH_RST) && seq == 0 && (flags & TH_ACK) ? 0 : my_isn + seq;
	script_expect_sent_abs(s, ep, flags, abs_seq, (flags & TH_ACK) ? peer_isn + ack : 0, len, file, line);
}

void script_expect_nothing(struct script *s, const char *file, int line)
{
	if (s->next_out < s->n_out) {
		char got[128], msg[200];
		const struct segment *g = &s->out[s->next_out];
		describe(got, sizeof got, s->out_ep[s->next_out], g->flags, g->seq, g->ack, g->len);
		snprintf(msg, sizeof msg, "expected nothing sent, got %s", got);
		s->next_out = s->n_out;
		fail(file, line, msg);
		return;
	}
	pass(file, line);
}

void script_expect_state(struct script *s, int ep, enum tcp_state want, const char *arc, const char *file, int line)
{
	char msg[200];
	enum tcp_state got = s->shown[ep];
	if (got != want) {
		snprintf(msg, sizeof msg, "%s: expected state %s, got %s", ep == CLIENT ? "client" : "server",
			 tcp_state_name(want), tcp_state_name(got));
		fail(file, line, msg);
		return;
	}
	if (arc) {
		const char *last = NULL;
		for (int i = s->n_states - 1; i >= 0; i--)
			if (s->states[i].ep == ep) {
				last = s->states[i].arc;
				break;
			}
		if (!last || strcmp(last, arc) != 0) {
			snprintf(msg, sizeof msg, "%s: expected arc %s, got %s", ep == CLIENT ? "client" : "server",
				 arc, last ? last : "(none)");
			fail(file, line, msg);
			return;
		}
	}
	pass(file, line);
}

void script_client_established(struct script *s)
{
	CU_ASSERT_EQUAL(script_connect(s, CLIENT), TCP_OK);
	SENT(s, CLIENT, TH_SYN, 0, 0, 0);
	RECV(s, CLIENT, TH_SYN | TH_ACK, 0, 1, 0);
	SENT(s, CLIENT, TH_ACK, 1, 1, 0);
	STATE(s, CLIENT, TCPS_ESTABLISHED, "T08");
}

void script_server_syn_received(struct script *s)
{
	CU_ASSERT_EQUAL(script_listen(s, SERVER), TCP_OK);
	RECV(s, SERVER, TH_SYN, 0, 0, 0);
	SENT(s, SERVER, TH_SYN | TH_ACK, 0, 1, 0);
	STATE(s, SERVER, TCPS_SYN_RECEIVED, "T04");
}

void script_server_established(struct script *s)
{
	script_server_syn_received(s);
	RECV(s, SERVER, TH_ACK, 1, 1, 0);
	NOTHING_SENT(s);
	STATE(s, SERVER, TCPS_ESTABLISHED, "T09");
}
