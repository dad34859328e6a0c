/* replay.c - a scenario on real Linux sockets.
 *
 * One loop, on the bridge's clock: run the timeline entries that are due
 * (the socket calls of reference/linux.md), one bridge_poll turn (at most
 * LOOP_MS), then service every socket without blocking (accept, connect's
 * outcome, reads, queued writes), then turn the kernel's state changes read
 * since into `state` events. Events go to a trace of the replay's own, whose
 * sinks are a watcher (each endpoint's latest SYN, for `inject`; the time of
 * the last event, for the quiet period) and the caller's trace, which hands
 * them to the caller's sinks: the caller's trace outlives the watcher
 * without keeping a sink of it. The hosts and
 * the tracing instance are made and removed by replay_setup.c, where the
 * signal handlers find them.
 *
 * State events are per endpoint, chained: `from` is the state the endpoint's
 * previous state event went to (the listener hands over to the accepted
 * socket as in the simulator), `to` is the kernel's new state; a change that
 * leaves the endpoint's state as it was (NEW_SYN_RECV then SYN_RECV) is not
 * repeated. They come a little after the segment events around them: the
 * kernel's changes are read once per loop turn, with their own times. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/sockios.h>
#include <netinet/tcp.h>
#include "proto/payload.h"
#include "replay/bridge.h"
#include "replay/hosts.h"
#include "replay/kstate.h"
#include "replay/replay.h"
#include "replay/replay_setup.h"
#include "replay/replay_timers.h"
#include "scenario/inject.h"

#include "replay/replay_int.h"

/* ---- the trace ----------------------------------------------------------------- */

/* The last sink of the replay's trace: the caller's trace, and through it
 * the caller's sinks. */
static void forward_event(void *ctx, const struct trace *tr, const struct trace_event *ev)
{
	(void)tr;
	trace_emit(ctx, ev);
}

/* Our own sink: each endpoint's latest SYN (its own: a forged one is not a
 * new incarnation, and inject numbers from the real one, as the engine's
 * does), the time of the last wire or state event. */
static void watch_event(void *ctx, const struct trace *tr, const struct trace_event *ev)
{
	struct replay *r = ctx;

	if (ev->type == TRACE_SEGMENT || ev->type == TRACE_STATE)
		r->last_event = ev->t_us;
	if (ev->type == TRACE_SEGMENT && ev->u.segment.event == SEGEV_DELIVER && ev->u.segment.dst >= 0 &&
	    ev->u.segment.dst < NROLES) {
		r->ep[ev->u.segment.dst].arrivals++;
		r->ep[ev->u.segment.dst].last_arrival = ev->t_us;
	}
	if (ev->type == TRACE_SEGMENT && ev->u.segment.event == SEGEV_SEND &&
	    (ev->u.segment.seg.flags & TH_SYN) && !ev->u.segment.forged && ev->u.segment.src >= 0 &&
	    ev->u.segment.src < NROLES)
		r->ep[ev->u.segment.src].isn = ev->u.segment.seg.seq;
}

static void emit_call(struct replay *r, int ep, enum user_call call, uint64_t bytes, const char *error)
{
	struct trace_event ev = { .type = TRACE_CALL, .t_us = bridge_now(&r->br), .endpoint = ep };
	ev.u.call.call = call;
	ev.u.call.bytes = bytes;
	ev.u.call.error = error;
	trace_emit(r->tr, &ev);
}

/* Records an out-of-memory failure; the loop stops. */
static void oom(struct replay *r)
{
	if (!r->failed)
		snprintf(r->err, r->errlen, "%s: out of memory", r->sc->path);
	r->failed = true;
}

/* ---- sockets ------------------------------------------------------------------- */

static void service_sockets(struct replay *r);
static void conn_read(struct replay *r, int role);

static void sock_close(struct sock *s)
{
	if (s->fd >= 0)
		close(s->fd);
	sendq_free(&s->q);
	memset(s, 0, sizeof(*s));
	s->fd = -1;
}

/* A TCP socket of role's host, bound to the endpoint's address and port with
 * SO_REUSEADDR; -1 with errno set. */
static int bound_socket(struct replay *r, int role)
{
	const struct endpoint_spec *sp = &r->sc->ep[role];
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(sp->port) };
	int one = 1, e;

	if (hosts_enter(r->hosts, role_host(role)) < 0)
		return -1;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	e = errno;
	hosts_leave(r->hosts);
	if (fd < 0) {
		errno = e;
		return -1;
	}
	sa.sin_addr.s_addr = htonl(sp->ip);
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

/* Writes what the queue holds; then the pending shutdown once it is empty. */
static void sock_flush(struct sock *s)
{
	if (s->fd < 0 || s->connecting)
		return;
	while (sendq_len(&s->q)) {
		ssize_t n = send(s->fd, sendq_data(&s->q), sendq_len(&s->q), MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;            /* EAGAIN: when writable; an error shows on read */
		}
		sendq_consume(&s->q, (size_t)n);   /* an offset advances: no copy per send */
	}
	if (!sendq_len(&s->q) && s->shut_pending && !s->shut) {
		if (s->full_close) {
			sock_close(s);    /* the FIN follows what the kernel holds */
			return;
		}
		shutdown(s->fd, SHUT_WR);
		s->shut = true;
		s->shut_pending = false;
	}
}

/* CLOSE on a connection: shutdown(SHUT_WR) once the queue is written; the
 * descriptor stays open, so that a later ABORT reaches the connection (an
 * orphan's would not). close() at once while the open has not completed:
 * CLOSE in SYN-SENT deletes the TCB and sends nothing (RFC 9293 3.10.4), and
 * so does Linux's close() of a connecting socket (tcp_close(): SYN_SENT ->
 * CLOSE, no FIN), where a shutdown() would wait for the open and send a FIN
 * after it. close() once the queue is written when the socket is full_close:
 * a half-duplex endpoint reads no more, and Linux resets data that arrives
 * after a close() as the simulator does after a half-duplex CLOSE (T30;
 * tcp_rcv_state_process(), RCV_SHUTDOWN in FIN_WAIT1/2: TCPABORTONDATA); and
 * an endpoint that has its last word (last_word()) becomes an orphan, whose
 * FIN_WAIT_2 has Linux's timer. */
static void conn_close(struct sock *s)
{
	if (s->shut || s->shut_pending)
		return;
	if (s->connecting) {
		sock_close(s);
		return;
	}
	s->shut_pending = true;
	sock_flush(s);
}

/* The scenario's user timeout (RFC 9293 3.8.3, TCP_USER_TIMEOUT in ms) on
 * a connection's socket; an accepted one inherits its listener's. */
static void set_user_timeout(struct replay *r, int fd)
{
	unsigned ms = (unsigned)((r->params.user_timeout + USEC_PER_MS - 1) / USEC_PER_MS);

	if (r->params.user_timeout)
		setsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &ms, sizeof(ms));
}

/* Bytes the kernel holds for the peer: sent and not acknowledged, or not
 * sent yet (SIOCOUTQ, tcp_ioctl()); the kernel retransmits while any, on
 * a connection that is not closed (a reset one keeps its count). */
static int bytes_held(const struct sock *s)
{
	int n = 0;

	if (s->fd < 0 || s->connecting || ioctl(s->fd, SIOCOUTQ, &n) < 0)
		return 0;
	return n;
}

/* Whether role's connection is over for its application: it shut down and
 * read the peer's FIN, or the kernel closed it (CLOSED, TIME_WAIT). Its
 * descriptor stays open for a later abort until a new connection needs the
 * endpoint (a connect, a listen, an accept). */
static bool conn_over(const struct rep_ep *e)
{
	return e->conn.fd >= 0 && !e->conn.connecting &&
	       ((e->conn.shut && e->conn.eof) || e->state == TCPS_CLOSED || e->state == TCPS_TIME_WAIT);
}

static const char *call_listen(struct replay *r, int role)
{
	struct rep_ep *e = &r->ep[role];
	if (conn_over(e))
		sock_close(&e->conn);
	if (e->lst.fd >= 0 || e->conn.fd >= 0)
		return "connection already exists";
	int fd = bound_socket(r, role);
	int backlog = r->sc->ep[role].backlog ? (int)r->sc->ep[role].backlog : 128;
	if (fd < 0)
		return strerror(errno);
	set_user_timeout(r, fd);
	if (listen(fd, backlog) < 0) {
		const char *why = strerror(errno);
		close(fd);
		return why;
	}
	e->lst.fd = fd;
	return NULL;
}

static const char *call_connect(struct replay *r, int role)
{
	struct rep_ep *e = &r->ep[role];
	const struct endpoint_spec *peer = &r->sc->ep[!role];
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(peer->port) };

	if (conn_over(e))
		sock_close(&e->conn);
	if (e->conn.fd >= 0)
		return "connection already exists";
	if (e->lst.fd >= 0) {
		sock_close(&e->lst);
		r->cannot = "Linux cannot connect a listening socket (an active OPEN on LISTEN, "
			    "RFC 9293 3.10.1): the replay closed the listener and connected a new socket "
			    "from its port";
	}
	int fd = bound_socket(r, role);
	if (fd < 0)
		return strerror(errno);
	sa.sin_addr.s_addr = htonl(peer->ip);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 && errno != EINPROGRESS) {
		const char *why = strerror(errno);
		close(fd);
		return why;
	}
	e->conn.fd = fd;
	e->conn.connecting = true;
	e->conn.full_close = r->sc->ep[role].half_duplex;
	set_user_timeout(r, fd);
	return NULL;
}

static const char *call_send(struct replay *r, int role, const struct timeline_entry *te)
{
	struct rep_ep *e = &r->ep[role];
	struct sock *s = &e->conn;

	if (s->fd < 0 && e->lst.fd < 0)
		return "connection does not exist";
	if (s->fd < 0 && !replay_request_pending(r, role)) {
		r->cannot = "Linux cannot send on a listening socket (SEND in LISTEN turns the "
			    "connection active, RFC 9293 3.10.2): the replay sent nothing";
		return NULL;
	}
	if (s->shut || s->shut_pending || s->abort_pending)
		return "connection closing";
	size_t n = (size_t)te->bytes;
	uint8_t *q = sendq_extend(&s->q, n);
	if (!q) {
		oom(r);
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		q[i] = te->data ? (uint8_t)te->data[i] : payload_pattern_byte(e->sent + i);
	e->sent += n;
	sock_flush(s);
	return NULL;
}

/* ABORT of a socket: close() with a zero linger, which sends RST. */
static void sock_abort(struct sock *s)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };

	setsockopt(s->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	sock_close(s);
}

/* Whether role, closing in entry te, will read nothing more: no later call
 * of its own, no later `send` of the peer's, and no bytes of the peer's
 * still to come. Linux's close() then gives what the profile models: an
 * orphan, whose FIN_WAIT_2 ends after tcp_fin_timeout (tcp_close(),
 * tcp_fin_time()), where a shutdown() socket would wait there for ever; the
 * peer's FIN or RST reaches an orphan as any socket. */
static bool last_word(struct replay *r, int role, const struct timeline_entry *te)
{
	const struct scenario *sc = r->sc;
	const struct rep_ep *peer = &r->ep[!role];

	if (sendq_len(&peer->conn.q) || bytes_held(&peer->conn))
		return false;
	for (size_t i = 0; i < sc->n_timeline; i++) {
		const struct timeline_entry *o = &sc->timeline[i];
		bool later = o->at > te->at || (o->at == te->at && o > te);
		if (later && o->call != CALL_INJECT && ((int)o->who == role || o->call == CALL_SEND))
			return false;
	}
	return true;
}

static const char *call_close(struct replay *r, int role, const struct timeline_entry *te)
{
	struct rep_ep *e = &r->ep[role];
	if (e->conn.fd >= 0) {
		if (!e->conn.connecting && last_word(r, role, te))
			e->conn.full_close = true;
		if (e->conn.full_close)
			conn_read(r, role);   /* close() with unread bytes would send RST */
		conn_close(&e->conn);
	} else if (e->lst.fd >= 0 && replay_request_pending(r, role)) {
		r->cannot = "Linux cannot close a connection not yet accepted (CLOSE in SYN-RECEIVED, "
			    "RFC 9293 3.10.4): its request socket is out of the application's reach; "
			    "the replay closed it once accept() returned it";
		e->conn.shut_pending = true;
	} else if (e->lst.fd >= 0)
		sock_close(&e->lst);
	else
		return "connection does not exist";
	return NULL;
}

static const char *call_abort(struct replay *r, int role)
{
	struct rep_ep *e = &r->ep[role];

	if (e->conn.fd >= 0)
		sock_abort(&e->conn);
	else if (e->lst.fd >= 0 && replay_request_pending(r, role)) {
		r->cannot = "Linux cannot abort a connection not yet accepted (ABORT in SYN-RECEIVED, "
			    "RFC 9293 3.10.5): its request socket is out of the application's reach; "
			    "the replay aborted it once accept() returned it";
		e->conn.abort_pending = true;
	} else if (e->lst.fd >= 0)
		sock_abort(&e->lst);
	else
		return "connection does not exist";
	return NULL;
}

/* `inject`: the segment the engine forges too (scenario/inject.h), numbers
 * relative to each endpoint's latest SYN, put on the link through the
 * bridge. */
static void call_inject(struct replay *r, const struct inject_spec *in)
{
	int from = (int)in->from, to = !from;
	const struct endpoint_spec *src = &r->sc->ep[from], *dst = &r->sc->ep[to];
	struct inject_ends ends = {
		.src_ip = src->ip, .dst_ip = dst->ip,
		.src_port = src->port, .dst_port = dst->port,
		.src_isn = r->ep[from].isn, .dst_isn = r->ep[to].isn,
	};
	struct segment s;
	uint8_t *pattern;

	if (inject_segment(in, &ends, r->params.window, &s, &pattern) < 0) {
		oom(r);
		return;
	}
	emit_call(r, from, CALL_INJECT, 0, NULL);
	if (bridge_inject(&r->br, in->from, from, to, &s) < 0)
		oom(r);
	free(pattern);
}

static void run_entry(struct replay *r, const struct timeline_entry *te)
{
	int role = (int)te->who;
	const char *why = NULL;
	usec_t t = bridge_now(&r->br);

	if (te->call == CALL_INJECT) {
		call_inject(r, &te->inject);
		return;
	}
	r->cannot = NULL;
	if (r->ep[role].conn.fd < 0 && r->ep[role].lst.fd >= 0)
		service_sockets(r);   /* a connection the kernel completed is accepted first */
	switch (te->call) {
	case CALL_LISTEN: why = call_listen(r, role); break;
	case CALL_CONNECT: why = call_connect(r, role); break;
	case CALL_SEND: why = call_send(r, role, te); break;
	case CALL_CLOSE: why = call_close(r, role, te); break;
	case CALL_ABORT: why = call_abort(r, role); break;
	case CALL_INJECT: break;
	}
	struct trace_event ev = { .type = TRACE_CALL, .t_us = t, .endpoint = role };
	ev.u.call.call = te->call;
	ev.u.call.bytes = te->call == CALL_SEND ? te->bytes : 0;
	ev.u.call.error = why;
	ev.u.call.cannot = r->cannot;
	r->cannot = NULL;
	trace_emit(r->tr, &ev);
}

/* Reads what a connection holds: data events, the peer's FIN (the
 * endpoint's on_eof close; close() once we have shut down too), errors (the
 * descriptor is closed: the kernel's states tell the rest). */
static void conn_read(struct replay *r, int role)
{
	struct sock *s = &r->ep[role].conn;

	while (s->fd >= 0 && !s->eof) {
		ssize_t n = recv(s->fd, r->buf, sizeof(r->buf), MSG_DONTWAIT);
		if (n > 0) {
			struct trace_event ev = { .type = TRACE_DATA, .t_us = bridge_now(&r->br), .endpoint = role };
			ev.u.data.bytes = (uint64_t)n;
			ev.u.data.data = r->buf;
			trace_emit(r->tr, &ev);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n < 0) {
			sock_close(s);
			return;
		}
		s->eof = true;
		if (!s->shut && !s->shut_pending && r->sc->ep[role].on_eof_close) {
			emit_call(r, role, CALL_CLOSE, 0, NULL);
			conn_close(s);
		}
	}
}

/* One turn over the sockets, without blocking. */
static void service_sockets(struct replay *r)
{
	for (int role = 0; role < NROLES; role++) {
		struct rep_ep *e = &r->ep[role];

		if (e->lst.fd >= 0 && (e->conn.fd < 0 || conn_over(e))) {
			int fd = accept4(e->lst.fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
			if (fd >= 0) {
				/* What was asked of it before: bytes to send,
				 * a close or an abort (call_close); or the
				 * connection before, over. */
				if (e->conn.fd >= 0)
					sock_close(&e->conn);
				e->conn.fd = fd;
				e->conn.full_close = r->sc->ep[role].half_duplex;
				if (e->conn.abort_pending) {
					sock_abort(&e->conn);
					continue;
				}
			}
		}
		if (e->conn.fd >= 0 && e->conn.connecting) {
			struct pollfd p = { .fd = e->conn.fd, .events = POLLOUT };
			if (poll(&p, 1, 0) > 0) {
				int err = 0;
				socklen_t len = sizeof(err);
				getsockopt(e->conn.fd, SOL_SOCKET, SO_ERROR, &err, &len);
				if (err) {
					sock_close(&e->conn);
					continue;
				}
				e->conn.connecting = false;
			}
		}
		if (e->conn.fd >= 0 && !e->conn.connecting) {
			sock_flush(&e->conn);
			conn_read(r, role);
		}
	}
}

/* ---- the run --------------------------------------------------------------------- */

static bool done_state(enum tcp_state s)
{
	return s == TCPS_CLOSED || s == TCPS_TIME_WAIT || s == TCPS_LISTEN;
}

/* States in which the kernel retransmits something. */
static bool waiting_state(enum tcp_state s)
{
	return s == TCPS_SYN_SENT || s == TCPS_SYN_RECEIVED || s == TCPS_FIN_WAIT_1 || s == TCPS_CLOSING ||
	       s == TCPS_LAST_ACK;
}

/* Timeline entries in time order, file order kept at one instant. */
static size_t *timeline_order(const struct scenario *sc)
{
	size_t *o = malloc((sc->n_timeline ? sc->n_timeline : 1) * sizeof(*o));
	if (!o)
		return NULL;
	for (size_t i = 0; i < sc->n_timeline; i++) {
		size_t j = i;
		while (j > 0 && sc->timeline[o[j - 1]].at > sc->timeline[i].at) {
			o[j] = o[j - 1];
			j--;
		}
		o[j] = i;
	}
	return o;
}

/* `wait: established` as a blocking application sees it: the endpoint's
 * connection is being opened (connect in progress), or it listens and has
 * accepted nothing yet. Without a connection or a listener the call is made
 * now (and fails). */
static bool must_wait(const struct replay *r, const struct timeline_entry *te)
{
	const struct rep_ep *e = &r->ep[te->who];
	if (!te->wait_established || te->call == CALL_INJECT)
		return false;
	if (e->conn.fd >= 0)
		return e->conn.connecting;
	return e->lst.fd >= 0;
}

/* Makes the waiting calls whose connection is now established (or gone),
 * in the order they came due; *n_parked shrinks. Returns whether one ran. */
static bool run_released(struct replay *r, const struct timeline_entry **parked, size_t *n_parked)
{
	size_t kept = 0;
	bool ran = false;
	for (size_t i = 0; i < *n_parked; i++) {
		if (must_wait(r, parked[i])) {
			parked[kept++] = parked[i];
			continue;
		}
		run_entry(r, parked[i]);
		ran = true;
	}
	*n_parked = kept;
	return ran;
}

/* The loop; returns 0, or -1 with r->err set. */
static int run_loop(struct replay *r, struct replay_stats *st)
{
	const struct scenario *sc = r->sc;
	size_t *order = timeline_order(sc), next = 0, n_parked = 0;
	const struct timeline_entry **parked = calloc(sc->n_timeline ? sc->n_timeline : 1, sizeof *parked);
	usec_t last_at = 0, delay = 0;

	if (!order || !parked) {
		free(order);
		free(parked);
		oom(r);
		return -1;
	}
	for (size_t i = 0; i < sc->n_timeline; i++)
		if (sc->timeline[i].at > last_at)
			last_at = sc->timeline[i].at;
	for (int i = 0; i < NROLES; i++)
		if (sc->link.dir[i].delay + sc->link.dir[i].jitter > delay)
			delay = sc->link.dir[i].delay + sc->link.dir[i].jitter;
	usec_t quiet = 3 * delay + USEC_PER_SEC;
	usec_t limit = last_at + replay_timers_bound(&r->params) + quiet;

	while (!r->failed) {
		usec_t now = bridge_now(&r->br);
		bool ran = run_released(r, parked, &n_parked);
		while (next < sc->n_timeline && sc->timeline[order[next]].at <= now) {
			const struct timeline_entry *te = &sc->timeline[order[next++]];
			if (must_wait(r, te)) {
				parked[n_parked++] = te;
				continue;
			}
			run_entry(r, te);
			ran = true;
		}
		/* The changes the calls made, before the segments they send are
		 * read from the TUNs. */
		if (ran && kstate_read(r->ks, replay_on_change, r) < 0) {
			snprintf(r->err, r->errlen, "%s: reading the kernel's states: %s", sc->path, strerror(errno));
			r->failed = true;
			break;
		}
		if (sc->has_until && now >= sc->until) {
			st->stopped_by_until = true;
			break;
		}
		if (next == sc->n_timeline) {
			struct bridge_stats bs;
			bridge_stats(&r->br, &bs);
			bool done = true, waiting = false;
			for (int i = 0; i < NROLES; i++) {
				done &= done_state(r->ep[i].state);
				waiting |= waiting_state(r->ep[i].state) || r->ep[i].orphan_fin_wait_2 ||
					   (!done_state(r->ep[i].state) && bytes_held(&r->ep[i].conn) > 0);
			}
			done &= n_parked == 0;
			usec_t idle = now > r->last_event ? now - r->last_event : 0;
			if (done && bs.in_flight == 0 && idle >= SETTLE_US)
				break;
			if (!waiting && idle >= quiet) {
				st->quiet_end = true;
				break;
			}
			if (now >= limit && !sc->has_until) {
				st->stopped_by_limit = true;
				break;
			}
		}
		int timeout = LOOP_MS;
		if (next < sc->n_timeline) {
			usec_t at = sc->timeline[order[next]].at;
			usec_t ms = at > now ? (at - now) / USEC_PER_MS : 0;
			if (ms < (usec_t)timeout)
				timeout = (int)ms;
		}
		if (bridge_poll(&r->br, timeout) < 0) {
			snprintf(r->err, r->errlen, "%s: bridge: %s", sc->path, bridge_error(&r->br));
			r->failed = true;
			break;
		}
		service_sockets(r);
		if (kstate_read(r->ks, replay_on_change, r) < 0) {
			snprintf(r->err, r->errlen, "%s: reading the kernel's states: %s", sc->path, strerror(errno));
			r->failed = true;
		}
		replay_watch_sockets(r);
	}
	/* Whatever the kernel reported up to now. */
	if (!r->failed)
		kstate_read(r->ks, replay_on_change, r);
	st->end_us = bridge_now(&r->br);
	free(order);
	free(parked);
	return r->failed ? -1 : 0;
}

int replay_run(const struct scenario *sc, struct trace *tr, struct replay_stats *st, char *err, size_t errlen)
{
	struct replay *r = calloc(1, sizeof(*r));
	char err2[1024];
	int rc = -1;

	memset(st, 0, sizeof(*st));
	if (!r) {
		snprintf(err, errlen, "%s: out of memory", sc->path);
		return -1;
	}
	r->sc = sc;
	r->err = err;
	r->errlen = errlen;
	for (int i = 0; i < NROLES; i++) {
		r->ep[i].lst.fd = r->ep[i].conn.fd = -1;
		r->ep[i].state = TCPS_CLOSED;
	}
	tcp_params_resolve(sc->profile, &sc->tcp, &r->params);
	trace_init(&r->own);
	r->tr = &r->own;
	/* The same endpoints in both: the caller's sinks name them, the
	 * bridge finds a packet's endpoints in the replay's trace. */
	for (int i = 0; i < NROLES; i++)
		if (trace_add_endpoint(tr, role_name((enum role)i), sc->ep[i].ip, sc->ep[i].port, 0) < 0 ||
		    trace_add_endpoint(r->tr, role_name((enum role)i), sc->ep[i].ip, sc->ep[i].port, 0) < 0) {
			snprintf(err, errlen, "%s: out of memory", sc->path);
			goto out;
		}
	trace_add_sink(r->tr, (struct trace_sink){ .event = watch_event, .ctx = r });
	trace_add_sink(r->tr, (struct trace_sink){ .event = forward_event, .ctx = tr });

	if (!(r->hosts = replay_setup_make(sc, &r->ks, err, errlen)))
		goto out;
	if (replay_apply_timers(r->hosts, &r->params, st->cannot_follow, sizeof(st->cannot_follow), err,
				errlen) < 0) {
		st->cannot_follow[0] = '\0';
		goto out;
	}

	struct bridge_config bc = {
		.link = &sc->link, .seed = sc->seed, .trace = r->tr,
		.tun_fd = { r->hosts->tun_fd[HOSTS_A], r->hosts->tun_fd[HOSTS_B] },
		.endpoint = { ROLE_CLIENT, ROLE_SERVER },
	};
	if (bridge_init(&r->br, &bc, err, errlen) < 0)
		goto out;
	r->br_ok = true;

	struct trace_event sev = { .type = TRACE_SCENARIO, .t_us = 0, .endpoint = -1 };
	sev.u.scenario.name = sc->name;
	sev.u.scenario.summary = sc->summary;
	sev.u.scenario.seed = sc->seed;
	sev.u.scenario.profile = profile_name(sc->profile);
	trace_emit(r->tr, &sev);

	if (run_loop(r, st) < 0)
		goto out;
	struct bridge_stats bs;
	bridge_stats(&r->br, &bs);
	st->segments_sent = bs.sent;
	st->segments_dropped = bs.dropped;
	st->states = r->n_states;
	rc = 0;
out:
	for (int i = 0; i < NROLES; i++) {
		sock_close(&r->ep[i].conn);
		sock_close(&r->ep[i].lst);
	}
	if (r->br_ok)
		bridge_free(&r->br);
	/* After a failure, its reason is the one told. */
	if (replay_setup_remove(r->ks, sc->path, err2, sizeof(err2)) < 0 && rc == 0) {
		snprintf(err, errlen, "%s", err2);
		rc = -1;
	}
	trace_free(&r->own);
	free(r);
	return rc;
}
