/* replay_states.c - the kernel's states as the replay's state events: the
 * tracepoint's changes of this run's sockets (kstate.c), TIME_WAIT asked of
 * sock_diag where the tracepoint says CLOSE, and what the tracepoint does
 * not show: the listener's request sockets, and an orphan's FIN_WAIT_2 kept
 * by a time-wait socket. */
#include <string.h>
#include <unistd.h>
#include "replay/replay_int.h"

struct tw_query {
	uint32_t saddr, daddr;
	uint16_t sport, dport;
	int linux_state;              /* the time-wait socket's (tw_substate), 0: none */
};

static int find_tw(void *ctx, const struct kstate_sock *s)
{
	struct tw_query *q = ctx;

	if (s->saddr == q->saddr && s->sport == q->sport && s->daddr == q->daddr && s->dport == q->dport) {
		q->linux_state = s->linux_state;
		return 1;
	}
	return 0;
}

/* The state of the time-wait socket of role's connection: KSTATE_L_TIME_WAIT,
 * KSTATE_L_FIN_WAIT2 (an orphan's FIN_WAIT_2 that tcp_time_wait() handed to
 * one: sock_diag lists it by its tw_substate), or 0 when there is none. */
static int tw_state(struct replay *r, int role)
{
	const struct endpoint_spec *sp = &r->sc->ep[role], *peer = &r->sc->ep[!role];
	struct tw_query q = { .saddr = sp->ip, .sport = sp->port, .daddr = peer->ip, .dport = peer->port };
	char err[256];
	int ns = r->hosts->ns_fd[role_host(role)];

	/* sock_diag filters a time-wait socket by its substate (inet_diag_dump_icsk()). */
	if (kstate_sockets(ns, KSTATE_MASK(TCPS_TIME_WAIT) | KSTATE_MASK(TCPS_FIN_WAIT_2), find_tw, &q, err,
			   sizeof(err)) < 0)
		return 0;
	return q.linux_state;
}

/* The endpoint's state event: from where its last one went, to `to`. */
static void emit_state(struct replay *r, int role, enum tcp_state to, usec_t t)
{
	struct rep_ep *e = &r->ep[role];
	struct trace_event ev = { .type = TRACE_STATE, .endpoint = role, .t_us = t };

	ev.u.state.from = e->state;
	ev.u.state.to = to;
	ev.u.state.cause = "kernel";
	ev.u.state.arc = NULL;
	e->state = to;
	e->by_request = false;
	r->n_states++;
	trace_emit(r->tr, &ev);
}

static bool own_has(const struct replay *r, uint64_t skaddr, size_t *at)
{
	for (size_t i = 0; i < r->n_owned; i++)
		if (r->owned[i] == skaddr) {
			*at = i;
			return true;
		}
	return false;
}

/* Whether the task c names is one that runs deferred softirqs (the kernel
 * thread, or the idle task a softirq interrupted), not a process. */
static bool softirq_task(const struct kstate_change *c)
{
	return c->pid == 0 || strncmp(c->comm, "ksoftirqd/", 10) == 0;
}

/* Whether c is of a socket of this run. The tracepoint sees every network
 * namespace, and another's sockets may have the same addresses: a replay of
 * the same scenario at the same time, or the one before, whose namespaces
 * the kernel takes down after it ended (its sockets close seconds later).
 * So a socket is this run's from its birth on: connect() or listen() by
 * this process (process context: the task is this one), or a listener's
 * child (LISTEN -> SYN_RECV, in the softirq of the final ACK, which runs in
 * this process's write to the TUN, or in ksoftirqd when the kernel deferred
 * it; a child born in another process is that process's). A socket first
 * seen in any other change is not. Without the socket's address (no
 * `fields` option in the kernel) every change with the
 * scenario's addresses counts. */
static bool socket_ours(struct replay *r, const struct kstate_change *c)
{
	size_t at;

	if (!c->skaddr)
		return true;
	if (own_has(r, c->skaddr, &at)) {
		if (c->linux_to == KSTATE_L_CLOSE) {
			/* Freed, or to be made again by a connect(): born again. */
			memmove(&r->owned[at], &r->owned[at + 1], (r->n_owned - at - 1) * sizeof(r->owned[0]));
			r->n_owned--;
		}
		return true;
	}
	bool mine = c->pid == getpid();
	bool made = c->linux_from == KSTATE_L_CLOSE && (c->linux_to == KSTATE_L_SYN_SENT ||
							c->linux_to == KSTATE_L_LISTEN) && mine;
	bool child = c->linux_from == KSTATE_L_LISTEN && c->linux_to == KSTATE_L_SYN_RECV && c->dport != 0 &&
		     (mine || softirq_task(c));
	if (!made && !child)
		return false;
	if (r->n_owned == OWN_SOCKETS) {
		memmove(&r->owned[0], &r->owned[1], (OWN_SOCKETS - 1) * sizeof(r->owned[0]));
		r->n_owned--;
	}
	r->owned[r->n_owned++] = c->skaddr;
	return true;
}

/* One kernel change: the state event of the endpoint it belongs to. */
int replay_on_change(void *ctx, const struct kstate_change *c)
{
	struct replay *r = ctx;
	int role = -1;

	for (int i = 0; i < NROLES; i++) {
		const struct endpoint_spec *sp = &r->sc->ep[i], *peer = &r->sc->ep[!i];
		if (c->saddr == sp->ip && c->sport == sp->port &&
		    ((c->daddr == 0 && c->dport == 0) || (c->daddr == peer->ip && c->dport == peer->port)))
			role = i;
	}
	if (role < 0 || c->t_ns < r->br.origin_ns || !socket_ours(r, c))
		return 0;
	enum tcp_state to = c->to;
	struct rep_ep *e = &r->ep[role];
	if (to == TCPS_CLOSED && (c->linux_from == KSTATE_L_FIN_WAIT2 || c->linux_from == KSTATE_L_CLOSING) &&
	    c->daddr != 0) {
		int tw = tw_state(r, role);
		if (tw == KSTATE_L_FIN_WAIT2) {
			/* An orphan's FIN_WAIT_2 goes on in a time-wait socket
			 * (tcp_rcv_state_process(): tcp_time_wait(sk,
			 * TCP_FIN_WAIT2, tmo)); replay_watch_sockets follows it. */
			e->orphan_fin_wait_2 = true;
			e->orphan_looked = (c->t_ns - r->br.origin_ns) / 1000u;
			e->orphan_arrivals = e->arrivals;
			return 0;
		}
		if (tw)
			to = TCPS_TIME_WAIT;
	}
	if (to == e->state)
		return 0;
	/* A listener's change while the endpoint follows its connection (the
	 * listener closed at the end) is not the endpoint's. */
	if (c->daddr == 0 && c->linux_from == KSTATE_L_LISTEN && e->state != TCPS_LISTEN)
		return 0;
	emit_state(r, role, to, (c->t_ns - r->br.origin_ns) / 1000u);
	return 0;
}

/* What a listener's port holds besides the listener. */
enum port_view { PORT_EMPTY, PORT_CONNECTION, PORT_REQUEST };

struct port_query {
	uint16_t port;
	enum port_view view;
};

/* A request socket on the port wins over a connection. sock_diag lists a
 * request socket (TCP_NEW_SYN_RECV) as TCP_SYN_RECV (inet_req_diag_fill());
 * TIME_WAIT is a connection that ended. */
static int port_socket(void *ctx, const struct kstate_sock *s)
{
	struct port_query *q = ctx;

	if (s->sport != q->port || s->state == TCPS_LISTEN || s->state == TCPS_TIME_WAIT)
		return 0;
	if (s->state == TCPS_SYN_RECEIVED) {
		q->view = PORT_REQUEST;
		return 1;
	}
	q->view = PORT_CONNECTION;
	return 0;
}

/* What role's port holds in its host (PORT_EMPTY should sock_diag fail). */
static enum port_view look_at_port(struct replay *r, int role)
{
	struct port_query q = { .port = r->sc->ep[role].port, .view = PORT_EMPTY };
	char err[256];
	int ns = r->hosts->ns_fd[role_host(role)];

	if (kstate_sockets(ns, KSTATE_MASK_ALL, port_socket, &q, err, sizeof(err)) < 0)
		return PORT_EMPTY;
	return q.view;
}

/* A request socket (tcp_conn_request()) is the simulator's SYN-RECEIVED of
 * a listener, and no call reaches it. (A connection the kernel completed
 * is in the accept queue: run_entry accepts it first.) */
bool replay_request_pending(struct replay *r, int role)
{
	return r->ep[role].lst.fd >= 0 && look_at_port(r, role) == PORT_REQUEST;
}

/* How long after an arrival its request socket is looked for again, should
 * the kernel take the SYN a little after the bridge wrote it. */
#define REQUEST_LOOK_US (2 * USEC_PER_MS)

/* The tracepoint sees no request socket: the listener's SYN-RECEIVED
 * changes no socket's state (K3, retired). So the port is looked at with
 * sock_diag after each arrival at a listening endpoint that has accepted
 * nothing, and on every turn while it is in a request socket's
 * SYN_RECEIVED: SYN_RECEIVED at the arrival that made the request, LISTEN
 * again when the request goes with no connection in its place (a RST, an
 * embryonic reset, the SYN,ACK's retries spent), at the arrival that ended
 * it or, with none, now. The connection the final ACK makes is the
 * tracepoint's (SYN_RECV -> ESTABLISHED). */
static void watch_requests(struct replay *r, usec_t now)
{
	for (int role = 0; role < NROLES; role++) {
		struct rep_ep *e = &r->ep[role];
		if (e->lst.fd < 0 || e->conn.fd >= 0)
			continue;
		if (e->state == TCPS_LISTEN &&
		    (e->arrivals != e->looked || now - e->last_arrival < REQUEST_LOOK_US)) {
			e->looked = e->arrivals;
			if (look_at_port(r, role) == PORT_REQUEST) {
				emit_state(r, role, TCPS_SYN_RECEIVED, e->last_arrival);
				e->by_request = true;
				e->request_arrivals = e->arrivals;
			}
		} else if (e->state == TCPS_SYN_RECEIVED && e->by_request && look_at_port(r, role) == PORT_EMPTY) {
			emit_state(r, role, TCPS_LISTEN, e->arrivals != e->request_arrivals ? e->last_arrival : now);
		}
	}
}

/* How often an orphan's FIN_WAIT_2 is looked at without an arrival. */
#define ORPHAN_LOOK_US (100 * USEC_PER_MS)

/* An orphan's FIN_WAIT_2 in a time-wait socket: TIME_WAIT at the arrival
 * that made it so (the peer's FIN, tcp_timewait_state_process()), CLOSED
 * when the socket is gone (its tcp_fin_timeout ran out), looked at after
 * each arrival and every ORPHAN_LOOK_US. */
static void watch_orphans(struct replay *r, usec_t now)
{
	for (int role = 0; role < NROLES; role++) {
		struct rep_ep *e = &r->ep[role];
		if (!e->orphan_fin_wait_2 ||
		    (e->arrivals == e->orphan_arrivals && now - e->orphan_looked < ORPHAN_LOOK_US))
			continue;
		bool arrived = e->arrivals != e->orphan_arrivals;
		e->orphan_looked = now;
		e->orphan_arrivals = e->arrivals;
		int tw = tw_state(r, role);
		if (tw == KSTATE_L_FIN_WAIT2)
			continue;
		e->orphan_fin_wait_2 = false;
		emit_state(r, role, tw ? TCPS_TIME_WAIT : TCPS_CLOSED, tw && arrived ? e->last_arrival : now);
	}
}

void replay_watch_sockets(struct replay *r)
{
	usec_t now = bridge_now(&r->br);

	watch_requests(r, now);
	watch_orphans(r, now);
}
