/* trace_log.c - the trace kept in memory (a sink that copies every event), and
 * the relative sequence numbers the ladder and the expectation check print. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/bigarray.h"
#include "trace/trace_log.h"

/* An empty log reading endpoint names from tr. */
void trace_log_init(struct trace_log *log, const struct trace *tr)
{
	memset(log, 0, sizeof *log);
	log->trace = tr;
}

/* Frees the strings a stored event owns (see copy_strings). */
static void free_event_strings(struct trace_event *ev)
{
	if (ev->type == TRACE_SEGMENT)
		free((uint8_t *)ev->u.segment.seg.data);
	if (ev->type == TRACE_SCENARIO) {
		free((char *)ev->u.scenario.name);
		free((char *)ev->u.scenario.summary);
		free((char *)ev->u.scenario.profile);
	} else if (ev->type == TRACE_NOTE) {
		free((char *)ev->u.note.text);
	}
}

/* Frees the events and every string the log owns; the log is empty after. */
void trace_log_free(struct trace_log *log)
{
	for (size_t i = 0; i < log->n; i++)
		free_event_strings(&log->ev[i]);
	bigarray_free(log->ev, log->cap * sizeof *log->ev);
	bigarray_free(log->vars, log->cap_vars * sizeof *log->vars);
	free(log->summary);
	free(log->name);
	free(log->profile);
	memset(log, 0, sizeof *log);
}

/* A copy of s (NULL stays NULL); sets *failed when out of memory. */
static char *dup_or_null(const char *s, bool *failed)
{
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	if (!d)
		*failed = true;
	return d;
}

/* The first bytes of a sent segment's payload, for the first
 * TRACE_LOG_PAYLOADS sends with data (see trace_log.h); NULL otherwise or
 * when out of memory (a hint, not worth failing the log for). */
static const uint8_t *payload_prefix(struct trace_log *log, const struct trace_event *ev)
{
	const struct segment *seg = &ev->u.segment.seg;
	uint32_t n = seg->len < TRACE_LOG_PAYLOAD_MAX ? seg->len : TRACE_LOG_PAYLOAD_MAX;
	uint8_t *copy;

	if (ev->u.segment.event != SEGEV_SEND || !seg->data || n == 0 || log->n_payloads >= TRACE_LOG_PAYLOADS)
		return NULL;
	copy = malloc(n);
	if (!copy)
		return NULL;
	memcpy(copy, seg->data, n);
	log->n_payloads++;
	return copy;
}

/* Replaces the strings ev points to by copies it owns, and forgets the
 * pointers that are only valid during the callback (payloads but a sent
 * segment's first bytes, failures). Returns -1 when a copy could not be
 * made (the pointer is then NULL). */
static int copy_strings(struct trace_log *log, struct trace_event *ev)
{
	bool failed = false;

	switch (ev->type) {
	case TRACE_SCENARIO:
		ev->u.scenario.name = dup_or_null(ev->u.scenario.name, &failed);
		ev->u.scenario.summary = dup_or_null(ev->u.scenario.summary, &failed);
		ev->u.scenario.profile = dup_or_null(ev->u.scenario.profile, &failed);
		break;
	case TRACE_SEGMENT:
		ev->u.segment.seg.data = payload_prefix(log, ev);
		ev->u.segment.raw = NULL;
		ev->u.segment.raw_len = 0;
		break;
	case TRACE_DATA:
		ev->u.data.data = NULL;
		break;
	case TRACE_NOTE:          /* the scenario's text: the log may outlive the scenario */
		ev->u.note.text = dup_or_null(ev->u.note.text, &failed);
		break;
	case TRACE_RESULT:
		ev->u.result.failures = NULL;
		ev->u.result.n_failures = 0;
		break;
	default:
		break;
	}
	return failed ? -1 : 0;
}

/* Keeps the scenario's name, summary and profile in the log's own copies. */
static int remember_scenario(struct trace_log *log, const struct trace_event *ev)
{
	bool failed = false;

	free(log->name);
	free(log->summary);
	free(log->profile);
	log->name = dup_or_null(ev->u.scenario.name, &failed);
	log->summary = dup_or_null(ev->u.scenario.summary, &failed);
	log->profile = dup_or_null(ev->u.scenario.profile, &failed);
	return failed ? -1 : 0;
}

/* Makes room for one more event. Returns -1 when out of memory. */
static int grow(struct trace_log *log)
{
	struct trace_event *ev = bigarray_grow(log->ev, &log->cap, log->n + 1, sizeof *ev, 256);

	if (!ev)
		return -1;
	log->ev = ev;
	return 0;
}

/* The sink: appends a copy of ev. Out of memory marks the log incomplete. */
/* Whether endpoint i's events are kept (-1, no endpoint: yes). */
static bool kept(const struct trace_log *log, int i)
{
	if (i < 0)
		return true;
	for (int k = 0; k < log->n_keep; k++)
		if (log->keep[k] == i)
			return true;
	return false;
}

static void trace_log_event(void *ctx, const struct trace *tr, const struct trace_event *ev)
{
	struct trace_log *log = ctx;
	struct trace_event *copy;

	if (!log->trace)
		log->trace = tr;
	if (log->n_keep > 0 &&
	    (ev->type == TRACE_SEGMENT ? !kept(log, ev->u.segment.src) || !kept(log, ev->u.segment.dst)
				       : ev->endpoint >= 0 && !kept(log, ev->endpoint)))
		return;
	if (ev->type == TRACE_VARS) {
		struct trace_log_vars *v = bigarray_grow(log->vars, &log->cap_vars, log->n_vars + 1, sizeof *v, 256);
		if (!v) {
			log->out_of_memory = true;
			return;
		}
		log->vars = v;
		v[log->n_vars++] = (struct trace_log_vars){ .at = log->n, .endpoint = ev->endpoint, .t_us = ev->t_us,
							    .v = ev->u.vars };
		return;
	}
	if (ev->type == TRACE_SCENARIO && remember_scenario(log, ev) < 0)
		log->out_of_memory = true;
	if (grow(log) < 0) {
		log->out_of_memory = true;
		return;
	}
	copy = &log->ev[log->n++];
	*copy = *ev;
	if (copy_strings(log, copy) < 0)
		log->out_of_memory = true;
}

/* The sink to attach to the trace; log must outlive the run. */
void trace_log_keep(struct trace_log *log, const int *eps, int n)
{
	log->n_keep = n < 3 ? n : 3;
	for (int i = 0; i < log->n_keep; i++)
		log->keep[i] = eps[i];
}

struct trace_sink trace_log_sink(struct trace_log *log)
{
	return (struct trace_sink){ .event = trace_log_event, .ctx = log, .mask = log->keep_vars ? TRACE_ALL_BITS : 0 };
}

size_t trace_log_listener_open(const struct trace_log *log, int ep, int peer)
{
	size_t first = SIZE_MAX;

	for (size_t k = 0; ep >= 0 && k < log->n && first == SIZE_MAX; k++) {
		const struct trace_event *ev = &log->ev[k];
		if (ev->type == TRACE_STATE && ev->endpoint == ep && ev->u.state.from != ev->u.state.to)
			first = k;
	}
	if (first == SIZE_MAX || log->ev[first].u.state.from != TCPS_LISTEN)
		return SIZE_MAX;
	for (size_t k = first; k-- > 0;) {
		const struct trace_event *ev = &log->ev[k];
		if (ev->type == TRACE_STATE && ev->endpoint != peer && ev->u.state.from == TCPS_CLOSED &&
		    ev->u.state.to == TCPS_LISTEN)
			return k;
	}
	return SIZE_MAX;
}

bool trace_log_same_segment(const struct trace_event *a, const struct trace_event *b)
{
	const struct segment *x = &a->u.segment.seg, *y = &b->u.segment.seg;

	return a->u.segment.src == b->u.segment.src && a->u.segment.dst == b->u.segment.dst &&
	       x->seq == y->seq && x->ack == y->ack && x->flags == y->flags && x->len == y->len;
}

/* True when ev is a segment event of kind e. */
static bool is_seg_event(const struct trace_event *ev, enum seg_event e)
{
	return ev->type == TRACE_SEGMENT && ev->u.segment.event == e;
}

/* Pairs drop event `drop` with the latest send before it that matches it
 * and is not paired yet. */
static void pair_drop(const struct trace_log *log, size_t drop, size_t *pair)
{
	for (size_t i = drop; i-- > 0;) {
		const struct trace_event *ev = &log->ev[i];
		if (is_seg_event(ev, SEGEV_SEND) && pair[i] == TRACE_LOG_NO_DROP &&
		    trace_log_same_segment(ev, &log->ev[drop])) {
			pair[i] = drop;
			return;
		}
	}
}

/* See trace_log.h: each dropped send's drop event. */
size_t *trace_log_drops(const struct trace_log *log)
{
	size_t *pair = malloc((log->n ? log->n : 1) * sizeof *pair);

	if (!pair)
		return NULL;
	for (size_t i = 0; i < log->n; i++)
		pair[i] = TRACE_LOG_NO_DROP;
	for (size_t i = 0; i < log->n; i++)
		if (is_seg_event(&log->ev[i], SEGEV_DROP))
			pair_drop(log, i, pair);
	return pair;
}

/* See trace_log.h: which sends were dropped. */
bool *trace_log_dropped(const struct trace_log *log)
{
	size_t *pair = trace_log_drops(log);
	bool *dropped = calloc(log->n ? log->n : 1, sizeof *dropped);

	if (!pair || !dropped) {
		free(pair);
		free(dropped);
		return NULL;
	}
	for (size_t i = 0; i < log->n; i++)
		dropped[i] = pair[i] != TRACE_LOG_NO_DROP;
	free(pair);
	return dropped;
}

/* Every endpoint's base is its configured ISN, its reach 0. Returns -1 when
 * out of memory. */
int seg_numbering_init(struct seg_numbering *nb, const struct trace *tr)
{
	size_t n = tr->n_endpoints;

	memset(nb, 0, sizeof *nb);
	nb->base = bigarray_grow(NULL, &nb->cap, n ? n : 1, sizeof *nb->base, n ? n : 1);
	nb->reach = bigarray_grow(NULL, &nb->reach_cap, n ? n : 1, sizeof *nb->reach, n ? n : 1);
	if (!nb->base || !nb->reach) {
		seg_numbering_free(nb);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		nb->base[i] = tr->endpoints[i].isn;
		nb->reach[i] = 0;
	}
	nb->n = n;
	return 0;
}

/* Frees the bases. */
void seg_numbering_free(struct seg_numbering *nb)
{
	bigarray_free(nb->base, nb->cap * sizeof *nb->base);
	bigarray_free(nb->reach, nb->reach_cap * sizeof *nb->reach);
	nb->base = NULL;
	nb->reach = NULL;
	nb->n = 0;
	nb->cap = 0;
	nb->reach_cap = 0;
}

/* Covers the endpoints added to the trace since init (their base is their
 * configured ISN). When that fails, the newcomers keep their ISN as base. */
static void cover_endpoints(struct seg_numbering *nb, const struct trace *tr)
{
	uint32_t *base, *reach;

	if (nb->n >= tr->n_endpoints)
		return;
	base = bigarray_grow(nb->base, &nb->cap, tr->n_endpoints, sizeof *base, 64);
	if (!base)
		return;
	nb->base = base;
	reach = bigarray_grow(nb->reach, &nb->reach_cap, tr->n_endpoints, sizeof *reach, 64);
	if (!reach)
		return;
	nb->reach = reach;
	for (size_t i = nb->n; i < tr->n_endpoints; i++) {
		base[i] = tr->endpoints[i].isn;
		reach[i] = 0;
	}
	nb->n = tr->n_endpoints;
}

/* True when relative number r of endpoint i lies before its base: negative
 * as a 32-bit offset and beyond what it has sent (see trace_log.h). */
static bool before_base(const struct seg_numbering *nb, int i, uint32_t r)
{
	uint32_t reach = i >= 0 && (size_t)i < nb->n ? nb->reach[i] : 0;

	return !nb->absolute && (int32_t)r < 0 && r > reach;
}

/* Endpoint i's current base: 0 for an index that is no endpoint. */
static uint32_t base_of(const struct seg_numbering *nb, const struct trace *tr, int i)
{
	if (nb->absolute || i < 0 || (size_t)i >= tr->n_endpoints)
		return 0;
	if ((size_t)i < nb->n)
		return nb->base[i];
	return tr->endpoints[i].isn;
}

/* Copies endpoint i's name into out ("?" for an index that is no endpoint). */
static void endpoint_name(const struct trace *tr, int i, char out[SEGLINE_NAME_MAX])
{
	char nbuf[TRACE_NAME_MAX];
	const char *name = "?";

	if (i >= 0 && (size_t)i < tr->n_endpoints)
		name = trace_endpoint_name(tr, i, nbuf);
	snprintf(out, SEGLINE_NAME_MAX, "%s", name);
}

/* See trace_log.h: ev (a SEGEV_SEND) as a line, every field present. */
void seg_numbering_line(struct seg_numbering *nb, const struct trace *tr,
			const struct trace_event *ev, bool dropped, struct seg_line *out)
{
	const struct segment *s = &ev->u.segment.seg;
	int src = ev->u.segment.src, dst = ev->u.segment.dst;

	cover_endpoints(nb, tr);
	/* A SYN starts a new incarnation of the sender's numbers; a forged one
	 * is not the sender's TCB speaking. */
	if ((s->flags & TH_SYN) && !ev->u.segment.forged && src >= 0 && (size_t)src < nb->n) {
		nb->base[src] = s->seq;
		nb->reach[src] = 0;
	}
	memset(out, 0, sizeof *out);
	out->has_time = true;
	out->time_us = ev->t_us;
	endpoint_name(tr, src, out->src);
	endpoint_name(tr, dst, out->dst);
	out->flags = s->flags;
	out->has_seq = true;
	out->seq = ((s->flags & TH_RST) && s->seq == 0) ? 0 : s->seq - base_of(nb, tr, src);
	out->len = s->len;
	out->end = out->seq + s->len;
	out->has_ack = (s->flags & TH_ACK) != 0;
	out->ack = out->has_ack ? s->ack - base_of(nb, tr, dst) : 0;
	out->seq_before = before_base(nb, src, out->seq);
	out->ack_before = out->has_ack && before_base(nb, dst, out->ack);
	/* What the sender has sent of this incarnation: its own TCB's sends
	 * (not a forged one's, not a reset's number, which may be the peer's ack). */
	uint32_t end_rel = out->end + ((s->flags & (TH_SYN | TH_FIN)) != 0);
	if (!ev->u.segment.forged && !(s->flags & TH_RST) && !out->seq_before && src >= 0 &&
	    (size_t)src < nb->n && end_rel > nb->reach[src] && (int32_t)(end_rel - nb->reach[src]) > 0)
		nb->reach[src] = end_rel;
	out->has_win = true;
	out->win = s->win;
	out->has_mss = s->mss != 0;
	out->mss = s->mss;
	out->dropped = dropped;
}
