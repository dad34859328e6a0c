/* expect_stream.c - the expectations a run of many clients can afford: each
 * endpoint's state sequence against expect.client / expect.server, the bytes
 * delivered, and expect.final, checked as the trace streams by with a few
 * bytes per endpoint (the in-memory log of a million connections would not
 * fit). A single-client run checks states and delivered bytes from the log
 * instead (expect.c), whose messages show the whole sequence; expect.final is
 * always counted here. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/bigarray.h"
#include "check/expect.h"

/* Failing endpoints described one by one, per role; the rest are counted. */
#define LIST_FAILING 3

struct ep_track {
	uint32_t pos;                /* states matched so far */
	uint32_t bad_pos;            /* 1-based position of the first difference, 0: none */
	uint8_t bad_got;             /* the state found at bad_pos */
	uint8_t started;
	int8_t role;                 /* role_of() + 2, cached; 0: not looked up yet */
	uint64_t delivered;
};

struct expect_stream {
	const struct scenario *sc;
	const struct trace *tr;
	bool many;                   /* several clients: states and delivered checked here */
	bool sequences;              /* many, and expect.client/server name states or bytes */
	uint8_t *last;               /* per endpoint: its last state (all expect.final needs) */
	struct ep_track *ep;         /* per endpoint, when `sequences` */
	size_t n_ep;
	bool oom;
};

/* Whether sc's client#K and server#K sequences (states, bytes) are checked here. */
static bool checks_sequences(const struct scenario *sc)
{
	const struct expect *ex = &sc->expect;
	return sc->ep[ROLE_CLIENT].count > 1 &&
	       (ex->has_states[ROLE_CLIENT] || ex->has_states[ROLE_SERVER] || ex->has_delivered[ROLE_CLIENT] ||
		ex->has_delivered[ROLE_SERVER]);
}

bool expect_stream_needed(const struct scenario *sc)
{
	return sc->expect.has_final || checks_sequences(sc);
}

struct expect_stream *expect_stream_new(const struct scenario *sc, const struct trace *tr)
{
	struct expect_stream *x = calloc(1, sizeof *x);
	if (!x)
		return NULL;
	x->sc = sc;
	x->tr = tr;
	x->many = sc->ep[ROLE_CLIENT].count > 1;
	x->sequences = checks_sequences(sc);
	return x;
}

void expect_stream_free(struct expect_stream *x)
{
	if (!x)
		return;
	bigarray_free(x->ep, x->sequences ? x->n_ep * sizeof *x->ep : 0);
	bigarray_free(x->last, x->n_ep);
	free(x);
}

/* Covers every endpoint the trace has now. */
static bool cover(struct expect_stream *x, size_t i)
{
	if (i < x->n_ep)
		return true;
	size_t n = x->tr->n_endpoints > i ? x->tr->n_endpoints : i + 1;
	uint8_t *last = bigarray_resize(x->last, x->n_ep, n);
	if (!last) {
		x->oom = true;
		return false;
	}
	memset(last + x->n_ep, TCPS_CLOSED, n - x->n_ep);
	x->last = last;
	if (x->sequences) {
		struct ep_track *e = bigarray_resize(x->ep, x->n_ep * sizeof *e, n * sizeof *e);
		if (!e) {
			x->oom = true;
			return false;
		}
		memset(e + x->n_ep, 0, (n - x->n_ep) * sizeof *e);
		x->ep = e;
	}
	x->n_ep = n;
	return true;
}

/* The role whose expectations apply to endpoint i, or -1 (the listener of a
 * many-client run, or an endpoint of no role). */
static int role_of(const struct expect_stream *x, size_t i)
{
	uint32_t k;
	int r = trace_endpoint_role(x->tr, (int)i, &k);
	return x->many == (k > 0) ? r : -1;
}

/* Appends state s to endpoint e's sequence, comparing it with role r's list. */
static void push_state(const struct expect *ex, int r, struct ep_track *e, enum tcp_state s)
{
	if (r < 0 || !ex->has_states[r] || e->bad_pos)
		return;
	if (e->pos < ex->n_states[r] && ex->states[r][e->pos] == s) {
		e->pos++;
		return;
	}
	e->bad_pos = e->pos + 1;
	e->bad_got = (uint8_t)s;
}

static void on_event(void *ctx, const struct trace *tr, const struct trace_event *ev)
{
	struct expect_stream *x = ctx;
	if (ev->type != TRACE_STATE && ev->type != TRACE_DATA)
		return;
	if (ev->endpoint < 0 || !cover(x, (size_t)ev->endpoint))
		return;
	if (!x->sequences) {              /* expect.final needs the last state only */
		if (ev->type == TRACE_STATE)
			x->last[ev->endpoint] = (uint8_t)ev->u.state.to;
		return;
	}
	struct ep_track *e = &x->ep[ev->endpoint];
	if (ev->type == TRACE_DATA) {
		e->delivered += ev->u.data.bytes;
		return;
	}
	const struct expect *ex = &x->sc->expect;
	if (!e->role)
		e->role = (int8_t)(role_of(x, (size_t)ev->endpoint) + 2);
	int r = x->many ? e->role - 2 : -1;
	enum tcp_state from = ev->u.state.from;
	if (!e->started) {
		e->started = 1;
		/* server#K's connection was born from the listener: its
		 * sequence starts as the listener's did. */
		if (r == ROLE_SERVER && from == TCPS_LISTEN)
			push_state(ex, r, e, TCPS_CLOSED);
		push_state(ex, r, e, from);
	} else if (x->last[ev->endpoint] != from) {
		push_state(ex, r, e, from);
	}
	push_state(ex, r, e, ev->u.state.to);
	x->last[ev->endpoint] = (uint8_t)ev->u.state.to;
}

struct trace_sink expect_stream_sink(struct expect_stream *x)
{
	return (struct trace_sink){ .event = on_event, .ctx = x, .mask = trace_bit(TRACE_STATE) | trace_bit(TRACE_DATA) };
}

static void write_list(FILE *f, const enum tcp_state *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s%s", i ? " " : "", tcp_state_name(v[i]));
}

/* Adds the failures of role r's endpoints: the first few in full, then a count. */
static int finish_role(struct expect_stream *x, int r, struct expect_result *res)
{
	const struct expect *ex = &x->sc->expect;
	static const char *const names[NROLES] = { "client#K", "server#K" };
	size_t failing = 0, total = 0;
	char name[TRACE_NAME_MAX];
	for (size_t i = 0; i < x->tr->n_endpoints; i++) {
		if (role_of(x, i) != r)
			continue;
		total++;
		struct ep_track *e = &x->ep[i];
		if (!e->started)
			push_state(ex, r, e, TCPS_CLOSED);
		bool states_bad = ex->has_states[r] && (e->bad_pos || e->pos != ex->n_states[r]);
		bool bytes_bad = ex->has_delivered[r] && e->delivered != ex->delivered[r];
		if (!states_bad && !bytes_bad)
			continue;
		if (++failing > LIST_FAILING)
			continue;
		trace_endpoint_name(x->tr, (int)i, name);
		if (states_bad) {
			char *buf = NULL;
			size_t len = 0;
			FILE *f = open_memstream(&buf, &len);
			if (!f)
				return -1;
			fprintf(f, "%s states: expected ", name);
			write_list(f, ex->states[r], ex->n_states[r]);
			if (e->bad_pos)
				fprintf(f, ", got a different sequence (first difference at position %u: %s vs %s)",
					e->bad_pos,
					e->bad_pos <= ex->n_states[r] ? tcp_state_name(ex->states[r][e->bad_pos - 1])
								      : "nothing",
					tcp_state_name((enum tcp_state)e->bad_got));
			else
				fprintf(f, ", got only the first %u (first difference at position %u: %s vs nothing)",
					e->pos, e->pos + 1, tcp_state_name(ex->states[r][e->pos]));
			if (fclose(f) != 0 || expect_result_add(res, buf) < 0)
				return -1;
		}
		if (bytes_bad && expect_result_addf(res, "%s delivered: expected %llu bytes, got %llu", name,
						    (unsigned long long)ex->delivered[r],
						    (unsigned long long)e->delivered) < 0)
			return -1;
	}
	if (total == 0 && (ex->has_states[r] || ex->has_delivered[r]))
		return expect_result_addf(res, "%s: the trace has no endpoint named %s",
					  r == ROLE_CLIENT ? "client" : "server", names[r]);
	if (failing > LIST_FAILING)
		return expect_result_addf(res, "%s: %zu of %zu endpoints differ (the first %d are listed)",
					  names[r], failing, total, LIST_FAILING);
	return 0;
}

/* expect.final: each connection (a client endpoint and its server side)
 * counted once, in tcp_connection_state(). */
static int finish_final(struct expect_stream *x, struct expect_result *res)
{
	const struct expect *ex = &x->sc->expect;
	const struct trace *tr = x->tr;
	uint32_t count[TCP_NSTATES] = { 0 }, total = 0, k;
	/* server_of[K]: the index + 1 of server#K ("server" for K = 0); one
	 * reading of each endpoint's role (a million clients are two million
	 * endpoints). */
	uint32_t *server_of = NULL;
	size_t n_server_of = 0;
	struct client_ref { uint32_t ep, k; } *clients = NULL;
	size_t n_clients = 0, cap_clients = 0;
	int rc = -1;
	for (size_t i = 0; i < tr->n_endpoints; i++) {
		int r = trace_endpoint_role(tr, (int)i, &k);
		if (r == ROLE_SERVER) {
			if (k >= n_server_of) {
				size_t old_n = n_server_of;
				uint32_t *v = bigarray_grow(server_of, &n_server_of, (size_t)k + 1, sizeof *v, 64);
				if (!v)
					goto out;
				memset(v + old_n, 0, (n_server_of - old_n) * sizeof *v);
				server_of = v;
			}
			server_of[k] = (uint32_t)i + 1;
		} else if (r == ROLE_CLIENT && x->many == (k > 0)) {
			struct client_ref *v = bigarray_grow(clients, &cap_clients, n_clients + 1, sizeof *v, 64);
			if (!v)
				goto out;
			clients = v;
			clients[n_clients].ep = (uint32_t)i;
			clients[n_clients++].k = k;
		}
	}
	for (size_t c = 0; c < n_clients; c++) {
		uint32_t i = clients[c].ep;
		k = clients[c].k;
		enum tcp_state cs = i < x->n_ep ? (enum tcp_state)x->last[i] : TCPS_CLOSED;
		enum tcp_state ss = TCPS_CLOSED;
		if (k < n_server_of && server_of[k] && server_of[k] - 1 < x->n_ep)
			ss = (enum tcp_state)x->last[server_of[k] - 1];
		count[tcp_connection_state(cs, ss)]++;
		total++;
	}
	rc = 0;
out:
	bigarray_free(clients, cap_clients * sizeof *clients);
	bigarray_free(server_of, n_server_of * sizeof *server_of);
	if (rc < 0)
		return -1;
	for (int s = 0; s < TCP_NSTATES; s++) {
		if (!ex->final_set[s] || ex->final[s] == count[s])
			continue;
		char *buf = NULL;
		size_t len = 0, n = 0;
		FILE *f = open_memstream(&buf, &len);
		if (!f)
			return -1;
		fprintf(f, "final %s: expected %u, got %u (the %u connections end ", tcp_state_name((enum tcp_state)s),
			ex->final[s], count[s], total);
		for (int t = 0; t < TCP_NSTATES; t++)
			if (count[t])
				fprintf(f, "%s%s %u", n++ ? ", " : "", tcp_state_name((enum tcp_state)t), count[t]);
		fputc(')', f);
		if (fclose(f) != 0 || expect_result_add(res, buf) < 0)
			return -1;
	}
	return 0;
}

int expect_stream_finish(struct expect_stream *x, struct expect_result *res)
{
	if (x->oom || !cover(x, x->tr->n_endpoints ? x->tr->n_endpoints - 1 : 0))
		return -1;
	if (x->sequences && (finish_role(x, ROLE_CLIENT, res) < 0 || finish_role(x, ROLE_SERVER, res) < 0))
		return -1;
	if (x->sc->expect.has_final && finish_final(x, res) < 0)
		return -1;
	return 0;
}
