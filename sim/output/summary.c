/* summary.c - a run's totals from the trace, as it streams by.
 *
 * One small record per trace endpoint (struct ep_sum, 40 bytes) and one
 * index per endpoint in the instance maps (4 bytes): every event costs O(1)
 * work, amortised over the growth of the arrays. Only summary_totals() does
 * more: it gathers the durations of the connections and sorts them. */
#include <stdlib.h>
#include <string.h>
#include "base/bigarray.h"
#include "base/role.h"
#include "proto/segment.h"
#include "proto/seq.h"
#include "output/summary.h"

#define NO_TIME UINT64_MAX

enum {
	EP_CLIENT = 1 << 0,        /* named "client" */
	EP_SERVER = 1 << 1,        /* named "server" */
	EP_SENT = 1 << 2,          /* snd_max and syn_seq hold something */
	EP_ESTABLISHED = 1 << 3,   /* client: reached ESTABLISHED */
	EP_COMPLETE = 1 << 4,      /* client: both ends closed after ESTABLISHED */
	EP_RESET = 1 << 5,         /* an RST or ABORT took this end to CLOSED or LISTEN */
	EP_SYN_ALONE = 1 << 6,     /* this connection's SYN went out without an ACK, and no
				      SYN,ACK has carried it again yet (a simultaneous open) */
};

/* What the summary keeps of one endpoint. The times are kept by clients only. */
struct ep_sum {
	usec_t connect_us;         /* the first successful connect call; NO_TIME */
	usec_t establish_us;       /* connect -> ESTABLISHED; NO_TIME */
	usec_t complete_us;        /* connect -> both ends CLOSED or TIME_WAIT; NO_TIME */
	uint32_t snd_max;          /* the highest sequence end sent in this connection */
	uint32_t syn_seq;          /* this connection's SYN */
	int32_t peer;              /* the other end's index, or -1 */
	uint8_t state;             /* the last state (enum tcp_state) */
	uint8_t flags;             /* EP_* */
};

struct summary {
	const struct trace *tr;
	struct ep_sum *eps;
	size_t n_eps, cap_eps;
	int32_t *by_instance[NROLES];   /* instance -> endpoint index, -1: none yet */
	size_t cap_instance[NROLES];
	struct summary_totals t;        /* the counters; end states and dists filled in by summary_totals */
	bool oom;
};

/* Grows *arr (of elem-byte items, *cap of them) to hold at least need items,
 * new ones filled with fill. Returns 0, or -1 when out of memory. */
static int grow(void **arr, size_t *cap, size_t need, size_t elem, int fill)
{
	size_t old = *cap;
	void *p;

	if (need <= old)
		return 0;
	if (!(p = bigarray_grow(*arr, cap, need, elem, 16)))
		return -1;
	memset((char *)p + old * elem, fill, (*cap - old) * elem);
	*arr = p;
	return 0;
}

/* Takes in the endpoints tr lists that s has not seen yet: their role, and
 * the pairing of client#k with server#k (client with server). */
static int add_new_endpoints(struct summary *s)
{
	const struct trace *tr = s->tr;

	if (tr->n_endpoints <= s->n_eps)
		return 0;
	if (grow((void **)&s->eps, &s->cap_eps, tr->n_endpoints, sizeof *s->eps, 0) < 0)
		return -1;
	for (size_t i = s->n_eps; i < tr->n_endpoints; i++) {
		struct ep_sum *e = &s->eps[i];
		uint32_t instance;

		*e = (struct ep_sum){ .connect_us = NO_TIME, .establish_us = NO_TIME,
				      .complete_us = NO_TIME, .peer = -1, .state = TCPS_CLOSED };
		int role = trace_endpoint_role(tr, (int)i, &instance);
		if (role < 0)
			continue;
		e->flags = role == ROLE_CLIENT ? EP_CLIENT : EP_SERVER;
		if (grow((void **)&s->by_instance[role], &s->cap_instance[role], (size_t)instance + 1,
			 sizeof(int32_t), 0xff) < 0)
			return -1;
		s->by_instance[role][instance] = (int32_t)i;
		int other = role == ROLE_CLIENT ? ROLE_SERVER : ROLE_CLIENT;
		if (instance < s->cap_instance[other] && s->by_instance[other][instance] >= 0) {
			int32_t p = s->by_instance[other][instance];
			e->peer = p;
			s->eps[p].peer = (int32_t)i;
		}
	}
	s->n_eps = tr->n_endpoints;
	return 0;
}

/* Closed for the completion rule: CLOSED or TIME_WAIT. */
static bool is_done(enum tcp_state st)
{
	return st == TCPS_CLOSED || st == TCPS_TIME_WAIT;
}

/* A segment sent by a TCP: a retransmission when it occupies sequence space
 * that starts below the highest end this endpoint already sent in this
 * connection. A SYN other than this connection's starts a new connection.
 * Segments that occupy no sequence space (ACKs, RSTs) are never
 * retransmissions and move nothing. One exception: in a simultaneous open
 * the SYN,ACK that answers the peer's SYN carries our SYN again (RFC 9293
 * section 3.5, Figure 8, line 3), which is the open going on, not a
 * retransmission; the TCP counts none, and neither does this. */
static void on_send(struct summary *s, struct ep_sum *e, const struct segment *seg)
{
	uint32_t space = seg_seqlen(seg), end = seg->seq + space;

	if ((seg->flags & TH_SYN) && (!(e->flags & EP_SENT) || seg->seq != e->syn_seq)) {
		e->flags |= EP_SENT;
		e->flags = (uint8_t)((seg->flags & TH_ACK) ? e->flags & ~EP_SYN_ALONE : e->flags | EP_SYN_ALONE);
		e->syn_seq = seg->seq;
		e->snd_max = end;
		return;
	}
	if ((seg->flags & (TH_SYN | TH_ACK)) == (TH_SYN | TH_ACK) && (e->flags & EP_SYN_ALONE)) {
		e->flags = (uint8_t)(e->flags & ~EP_SYN_ALONE);
		e->snd_max = seq_max(e->snd_max, end);
		return;
	}
	if (space == 0)
		return;   /* occupies nothing; a RST's number may be the peer's ACK */
	if (!(e->flags & EP_SENT)) {
		e->flags |= EP_SENT;
		e->syn_seq = seg->seq - 1;
		e->snd_max = end;
		return;
	}
	if (seq_lt(seg->seq, e->snd_max))
		s->t.retransmissions++;
	e->snd_max = seq_max(e->snd_max, end);
}

/* A state change of endpoint i: the establish and completion times of its connection. */
static void on_state(struct summary *s, size_t i, const struct trace_event *ev)
{
	struct ep_sum *e = &s->eps[i];
	const char *cause = ev->u.state.cause;

	e->state = (uint8_t)ev->u.state.to;
	if ((ev->u.state.to == TCPS_CLOSED || ev->u.state.to == TCPS_LISTEN) && cause &&
	    (strncmp(cause, "rcv RST", 7) == 0 || strcmp(cause, "abort") == 0))
		e->flags |= EP_RESET;
	struct ep_sum *c = (e->flags & EP_CLIENT) ? e : e->peer >= 0 ? &s->eps[e->peer] : NULL;
	if (!c || !(c->flags & EP_CLIENT))
		return;
	if (c == e && ev->u.state.to == TCPS_ESTABLISHED && !(c->flags & EP_ESTABLISHED)) {
		c->flags |= EP_ESTABLISHED;
		if (c->connect_us != NO_TIME)
			c->establish_us = ev->t_us - c->connect_us;
	}
	if (!(c->flags & EP_ESTABLISHED) || (c->flags & EP_COMPLETE))
		return;
	enum tcp_state peer_state = c->peer >= 0 ? (enum tcp_state)s->eps[c->peer].state : TCPS_CLOSED;
	if (is_done((enum tcp_state)c->state) && is_done(peer_state)) {
		c->flags |= EP_COMPLETE;
		if (c->connect_us != NO_TIME)
			c->complete_us = ev->t_us - c->connect_us;
	}
}

/* The sink: one event, O(1) work. */
static void summary_event(void *ctx, const struct trace *tr, const struct trace_event *ev)
{
	struct summary *s = ctx;
	struct summary_totals *t = &s->t;

	if (s->oom || add_new_endpoints(s) < 0) {
		s->oom = true;
		return;
	}
	/* The result line carries the run's end: the time of its last event,
	 * which may be a delivery or an arc this sink does not ask for. */
	if (ev->t_us > t->end_us)
		t->end_us = ev->t_us;
	bool have_ep = ev->endpoint >= 0 && (size_t)ev->endpoint < s->n_eps;
	switch (ev->type) {
	case TRACE_SCENARIO:
		t->name = ev->u.scenario.name;
		t->seed = ev->u.scenario.seed;
		t->profile = ev->u.scenario.profile;
		break;
	case TRACE_CALL:
		if (have_ep && ev->u.call.call == CALL_CONNECT && !ev->u.call.error &&
		    s->eps[ev->endpoint].connect_us == NO_TIME)
			s->eps[ev->endpoint].connect_us = ev->t_us;
		break;
	case TRACE_STATE:
		if (have_ep)
			on_state(s, (size_t)ev->endpoint, ev);
		break;
	case TRACE_SEGMENT:
		switch (ev->u.segment.event) {
		case SEGEV_SEND:
			if (ev->u.segment.forged) {
				t->segments_forged++;
			} else {
				t->segments_sent++;
				if (ev->u.segment.src >= 0 && (size_t)ev->u.segment.src < s->n_eps)
					on_send(s, &s->eps[ev->u.segment.src], &ev->u.segment.seg);
			}
			break;
		case SEGEV_DROP:
			t->segments_dropped++;
			if (ev->u.segment.reason)
				t->segments_dropped_by_host++;
			break;
		case SEGEV_DUPLICATE:
			t->segments_duplicated++;
			break;
		case SEGEV_DELIVER:
			break;
		}
		break;
	case TRACE_DATA:
		if (have_ep && (s->eps[ev->endpoint].flags & (EP_CLIENT | EP_SERVER)))
			t->bytes_delivered[(s->eps[ev->endpoint].flags & EP_CLIENT) ? 0 : 1] += ev->u.data.bytes;
		break;
	default:
		break;
	}
}

struct summary *summary_new(const struct trace *tr)
{
	struct summary *s = calloc(1, sizeof *s);

	if (!s)
		return NULL;
	s->tr = tr;
	if (add_new_endpoints(s) < 0) {
		summary_free(s);
		return NULL;
	}
	return s;
}

void summary_free(struct summary *s)
{
	if (!s)
		return;
	bigarray_free(s->eps, s->cap_eps * sizeof *s->eps);
	for (int r = 0; r < NROLES; r++)
		bigarray_free(s->by_instance[r], s->cap_instance[r] * sizeof *s->by_instance[r]);
	free(s);
}

struct trace_sink summary_sink(struct summary *s)
{
	/* No timers, no arcs, no deliveries: the engine may skip building them. */
	uint32_t mask = trace_bit(TRACE_SCENARIO) | trace_bit(TRACE_CALL) | trace_bit(TRACE_STATE) |
			trace_bit(TRACE_DATA) | trace_seg_bit(SEGEV_SEND) | trace_seg_bit(SEGEV_DROP) |
			trace_seg_bit(SEGEV_DUPLICATE) | trace_bit(TRACE_RESULT);

	return (struct trace_sink){ .event = summary_event, .ctx = s, .mask = mask };
}

/* qsort's order for usec_t. */
static int cmp_usec(const void *a, const void *b)
{
	usec_t x = *(const usec_t *)a, y = *(const usec_t *)b;

	return x < y ? -1 : x > y;
}

void summary_sort(uint64_t *v, size_t n)
{
	qsort(v, n, sizeof *v, cmp_usec);
}

uint64_t summary_rank(const uint64_t *v, uint64_t n, unsigned p)
{
	uint64_t rank = (p * n + 99) / 100;

	return v[rank ? rank - 1 : 0];
}

/* Sorts v (n values) and fills d. */
static void dist_of(usec_t *v, uint64_t n, struct summary_dist *d)
{
	long double sum = 0;

	memset(d, 0, sizeof *d);
	if (n == 0)
		return;
	summary_sort(v, n);
	for (uint64_t i = 0; i < n; i++)
		sum += v[i];
	d->n = n;
	d->min = v[0];
	d->p10 = summary_rank(v, n, 10);
	d->p50 = summary_rank(v, n, 50);
	d->p90 = summary_rank(v, n, 90);
	d->p99 = summary_rank(v, n, 99);
	d->max = v[n - 1];
	d->mean = (double)(sum / n);
}

int summary_totals(struct summary *s, struct summary_totals *out)
{
	struct summary_totals *t = &s->t;
	usec_t *est = NULL, *cpl = NULL;
	uint64_t n_est = 0, n_cpl = 0;

	if (s->oom || add_new_endpoints(s) < 0)
		return -1;
	t->connections = t->established = t->completed = t->reset = 0;
	memset(t->end_client, 0, sizeof t->end_client);
	memset(t->end_server, 0, sizeof t->end_server);
	memset(t->end_connection, 0, sizeof t->end_connection);
	for (size_t i = 0; i < s->n_eps; i++)
		if (s->eps[i].flags & EP_CLIENT)
			t->connections++;
	if (t->connections && (!(est = malloc(t->connections * sizeof *est)) ||
			       !(cpl = malloc(t->connections * sizeof *cpl)))) {
		free(est);
		return -1;
	}
	for (size_t i = 0; i < s->n_eps; i++) {
		const struct ep_sum *c = &s->eps[i];
		if (!(c->flags & EP_CLIENT))
			continue;
		const struct ep_sum *sv = c->peer >= 0 ? &s->eps[c->peer] : NULL;
		enum tcp_state cs = (enum tcp_state)c->state;
		enum tcp_state ss = sv ? (enum tcp_state)sv->state : TCPS_CLOSED;
		t->end_client[cs]++;
		t->end_server[ss]++;
		t->end_connection[tcp_connection_state(cs, ss)]++;
		t->established += (c->flags & EP_ESTABLISHED) != 0;
		t->completed += (c->flags & EP_COMPLETE) != 0;
		t->reset += (c->flags & EP_RESET) || (sv && (sv->flags & EP_RESET));
		if (c->establish_us != NO_TIME)
			est[n_est++] = c->establish_us;
		if (c->complete_us != NO_TIME)
			cpl[n_cpl++] = c->complete_us;
	}
	dist_of(est, n_est, &t->establish);
	dist_of(cpl, n_cpl, &t->complete);
	free(est);
	free(cpl);
	*out = *t;
	return 0;
}

/* ---- printing ------------------------------------------------------------ */

/* "CLOSED 990, TIME_WAIT 2" (the states counted, in enum order), or "none". */
static void print_states(FILE *f, const uint64_t *counts)
{
	bool any = false;

	for (int st = 0; st < TCP_NSTATES; st++) {
		if (!counts[st])
			continue;
		fprintf(f, "%s%s %llu", any ? ", " : "", tcp_state_name((enum tcp_state)st),
			(unsigned long long)counts[st]);
		any = true;
	}
	if (!any)
		fputs("none", f);
}

/* A duration in ms with three decimals (exact: µs). */
static void print_ms(FILE *f, usec_t us)
{
	fprintf(f, "%llu.%03llu", (unsigned long long)(us / 1000), (unsigned long long)(us % 1000));
}

/* "establish (ms): p10 ... max ... (n of N connections)", or "not reached". */
static void print_dist_text(FILE *f, const char *what, const struct summary_dist *d, uint64_t of)
{
	static const char *const names[] = { "p10", "p50", "p90", "p99", "max" };
	const usec_t v[] = { d->p10, d->p50, d->p90, d->p99, d->max };

	fprintf(f, "  %-9s ", what);
	if (d->n == 0) {
		fputs("not reached\n", f);
		return;
	}
	fputs("(ms)", f);
	for (int i = 0; i < 5; i++) {
		fprintf(f, " %s ", names[i]);
		print_ms(f, v[i]);
	}
	fprintf(f, "  (%llu of %llu connections)\n", (unsigned long long)d->n, (unsigned long long)of);
}

void summary_print_text(FILE *f, const struct summary_totals *t)
{
	fprintf(f, "%s: %llu connection%s, %llu established, %llu completed, %llu reset; ended at ",
		t->name ? t->name : "?", (unsigned long long)t->connections, t->connections == 1 ? "" : "s",
		(unsigned long long)t->established, (unsigned long long)t->completed,
		(unsigned long long)t->reset);
	print_ms(f, t->end_us / 1000);
	fputs(" s\n", f);
	fprintf(f, "  segments  %llu sent (%llu retransmissions), %llu dropped", (unsigned long long)t->segments_sent,
		(unsigned long long)t->retransmissions, (unsigned long long)t->segments_dropped);
	if (t->segments_dropped_by_host)
		fprintf(f, " (%llu by the receiving host)", (unsigned long long)t->segments_dropped_by_host);
	fprintf(f, ", %llu duplicated, %llu forged\n", (unsigned long long)t->segments_duplicated,
		(unsigned long long)t->segments_forged);
	fprintf(f, "  delivered %llu bytes to the clients, %llu to the servers\n",
		(unsigned long long)t->bytes_delivered[0], (unsigned long long)t->bytes_delivered[1]);
	fputs("  ended     client ", f);
	print_states(f, t->end_client);
	fputs("; server ", f);
	print_states(f, t->end_server);
	fputs("; connection ", f);
	print_states(f, t->end_connection);
	fputc('\n', f);
	print_dist_text(f, "establish", &t->establish, t->connections);
	print_dist_text(f, "complete", &t->complete, t->connections);
}

/* s as a JSON string. */
static void print_json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20 || ch == 0x7f)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

/* {"CLOSED":990,"TIME_WAIT":2}: the states counted, in enum order. */
static void print_states_json(FILE *f, const uint64_t *counts)
{
	bool any = false;

	fputc('{', f);
	for (int st = 0; st < TCP_NSTATES; st++) {
		if (!counts[st])
			continue;
		fprintf(f, "%s\"%s\":%llu", any ? "," : "", tcp_state_name((enum tcp_state)st),
			(unsigned long long)counts[st]);
		any = true;
	}
	fputc('}', f);
}

/* {"n":..,"min":..,...,"mean":..}, integers in µs (mean rounded). */
static void print_dist_json(FILE *f, const struct summary_dist *d)
{
	fprintf(f, "{\"n\":%llu,\"min\":%llu,\"p10\":%llu,\"p50\":%llu,\"p90\":%llu,\"p99\":%llu,"
		   "\"max\":%llu,\"mean\":%llu}",
		(unsigned long long)d->n, (unsigned long long)d->min, (unsigned long long)d->p10,
		(unsigned long long)d->p50, (unsigned long long)d->p90, (unsigned long long)d->p99,
		(unsigned long long)d->max, (unsigned long long)(d->mean + 0.5));
}

void summary_print_json(FILE *f, const struct summary_totals *t)
{
	fputs("{\"name\":", f);
	print_json_string(f, t->name ? t->name : "");
	fprintf(f, ",\"seed\":%llu,\"profile\":", (unsigned long long)t->seed);
	print_json_string(f, t->profile ? t->profile : "");
	fprintf(f, ",\"end_us\":%llu,\"connections\":%llu,\"established\":%llu,\"completed\":%llu,"
		   "\"reset\":%llu,\"segments_sent\":%llu,\"segments_dropped\":%llu,"
		   "\"segments_dropped_by_host\":%llu,"
		   "\"segments_duplicated\":%llu,\"segments_forged\":%llu,\"retransmissions\":%llu,"
		   "\"bytes_delivered_client\":%llu,\"bytes_delivered_server\":%llu",
		(unsigned long long)t->end_us, (unsigned long long)t->connections,
		(unsigned long long)t->established, (unsigned long long)t->completed,
		(unsigned long long)t->reset, (unsigned long long)t->segments_sent,
		(unsigned long long)t->segments_dropped, (unsigned long long)t->segments_dropped_by_host,
		(unsigned long long)t->segments_duplicated,
		(unsigned long long)t->segments_forged, (unsigned long long)t->retransmissions,
		(unsigned long long)t->bytes_delivered[0], (unsigned long long)t->bytes_delivered[1]);
	fputs(",\"end_client\":", f);
	print_states_json(f, t->end_client);
	fputs(",\"end_server\":", f);
	print_states_json(f, t->end_server);
	fputs(",\"end_connection\":", f);
	print_states_json(f, t->end_connection);
	fputs(",\"establish_us\":", f);
	print_dist_json(f, &t->establish);
	fputs(",\"complete_us\":", f);
	print_dist_json(f, &t->complete);
	fputs("}\n", f);
}
