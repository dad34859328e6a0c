/* trace.c - the trace: endpoint names and the sinks events go to. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/bigarray.h"
#include "base/role.h"
#include "trace/trace.h"

void trace_init(struct trace *tr)
{
	memset(tr, 0, sizeof *tr);
}

void trace_free(struct trace *tr)
{
	bigarray_free(tr->endpoints, tr->cap_endpoints * sizeof *tr->endpoints);
	memset(tr, 0, sizeof *tr);
}

int trace_add_instance(struct trace *tr, const char *name, uint32_t instance, uint32_t ip, uint16_t port,
		       uint32_t isn)
{
	if (tr->n_endpoints == tr->cap_endpoints) {
		struct trace_endpoint *e = bigarray_grow(tr->endpoints, &tr->cap_endpoints, tr->n_endpoints + 1,
							  sizeof *e, 8);
		if (!e)
			return -1;
		tr->endpoints = e;
	}
	size_t id = 0;
	while (id < tr->n_names && tr->names[id] != name && strcmp(tr->names[id], name) != 0)
		id++;
	if (id == tr->n_names) {
		if (id == TRACE_MAX_NAMES)
			return -1;
		tr->names[tr->n_names++] = name;
	}
	struct trace_endpoint *ep = &tr->endpoints[tr->n_endpoints];
	memset(ep, 0, sizeof *ep);
	ep->name = (uint16_t)id;
	ep->instance = instance;
	ep->ip = ip;
	ep->port = port;
	ep->isn = isn;
	return (int)tr->n_endpoints++;
}

const char *trace_endpoint_name(const struct trace *tr, int i, char buf[TRACE_NAME_MAX])
{
	if (i < 0 || (size_t)i >= tr->n_endpoints)
		snprintf(buf, TRACE_NAME_MAX, "?");
	else if (tr->endpoints[i].instance)
		snprintf(buf, TRACE_NAME_MAX, "%s#%u", tr->names[tr->endpoints[i].name], tr->endpoints[i].instance);
	else
		snprintf(buf, TRACE_NAME_MAX, "%s", tr->names[tr->endpoints[i].name]);
	return buf;
}

int trace_endpoint_role(const struct trace *tr, int i, uint32_t *instance)
{
	static const char *const roles[NROLES] = { "client", "server" };
	if (i < 0 || (size_t)i >= tr->n_endpoints)
		return -1;
	const struct trace_endpoint *te = &tr->endpoints[i];
	const char *name = tr->names[te->name];
	for (int r = 0; r < NROLES; r++) {
		size_t n = strlen(roles[r]);
		if (strncmp(name, roles[r], n) != 0)
			continue;
		const char *p = name + n;
		if (*p == '\0') {
			*instance = te->instance;
			return r;
		}
		/* A name added whole: "#" and the digits of K, nothing else. */
		if (*p != '#' || te->instance || !p[1])
			return -1;
		uint64_t k = 0;
		for (p++; *p; p++) {
			if (*p < '0' || *p > '9' || (k = k * 10 + (uint64_t)(*p - '0')) > UINT32_MAX)
				return -1;
		}
		*instance = (uint32_t)k;
		return r;
	}
	return -1;
}

void trace_pick_pair(const struct trace *tr, uint32_t connection, int *client, int *server)
{
	/* One pass: the plain client, client#connection, the first client#K; the
	 * plain server and the first server#K; server#K of the chosen client#K
	 * is looked up once that is known. */
	int plain[NROLES] = { -1, -1 }, first[NROLES] = { -1, -1 }, shown = -1;
	for (size_t i = 0; i < tr->n_endpoints; i++) {
		uint32_t k;
		int r = trace_endpoint_role(tr, (int)i, &k);
		if (r < 0)
			continue;
		if (k == 0 && plain[r] < 0)
			plain[r] = (int)i;
		else if (k > 0 && first[r] < 0)
			first[r] = (int)i;
		if (r == ROLE_CLIENT && k > 0 && k == connection && shown < 0)
			shown = (int)i;
	}
	int c = plain[ROLE_CLIENT] >= 0 ? plain[ROLE_CLIENT] : shown >= 0 ? shown : first[ROLE_CLIENT];
	int s = -1;
	uint32_t kc = 0, k;
	if (c >= 0 && trace_endpoint_role(tr, c, &kc) == ROLE_CLIENT && kc > 0) {
		for (size_t i = 0; i < tr->n_endpoints && s < 0; i++)
			if (trace_endpoint_role(tr, (int)i, &k) == ROLE_SERVER && k == kc)
				s = (int)i;
	}
	if (s < 0)
		s = plain[ROLE_SERVER] >= 0 ? plain[ROLE_SERVER] : first[ROLE_SERVER];
	*client = c;
	*server = s;
}

void trace_add_sink(struct trace *tr, struct trace_sink sink)
{
	if (tr->n_sinks >= TRACE_MAX_SINKS)
		return;
	if (!sink.mask)
		sink.mask = TRACE_ALL_BITS & ~trace_bit(TRACE_VARS);
	if (sink.n_only < 0 || sink.n_only > TRACE_SINK_ONLY_MAX)
		sink.n_only = 0;
	tr->sinks[tr->n_sinks++] = sink;
	tr->wanted |= sink.mask;
	if (sink.n_only == 0)
		tr->wanted_all |= sink.mask;
}

/* Whether sink s (with n_only > 0) is about endpoint ep. */
static bool sink_has(const struct trace_sink *s, int ep)
{
	for (int i = 0; i < s->n_only; i++)
		if (s->only[i] == ep)
			return true;
	return false;
}

/* Whether sink s wants event ev's endpoints. */
static bool sink_wants(const struct trace_sink *s, const struct trace_event *ev)
{
	if (s->n_only == 0)
		return true;
	if (ev->type == TRACE_SEGMENT)
		return ev->u.segment.src < 0 || ev->u.segment.dst < 0 || sink_has(s, ev->u.segment.src) ||
		       sink_has(s, ev->u.segment.dst);
	if (ev->type == TRACE_SCENARIO || ev->type == TRACE_RESULT || ev->endpoint < 0)
		return true;
	return sink_has(s, ev->endpoint);
}

bool trace_wants_segment_slow(const struct trace *tr, uint32_t bit, int src, int dst)
{
	for (size_t i = 0; i < tr->n_sinks; i++) {
		const struct trace_sink *s = &tr->sinks[i];
		if ((s->mask & bit) && (src < 0 || dst < 0 || sink_has(s, src) || sink_has(s, dst)))
			return true;
	}
	return false;
}

void trace_emit(struct trace *tr, const struct trace_event *ev)
{
	uint32_t bit = trace_event_bit(ev);
	for (size_t i = 0; i < tr->n_sinks; i++)
		if ((tr->sinks[i].mask & bit) && sink_wants(&tr->sinks[i], ev))
			tr->sinks[i].event(tr->sinks[i].ctx, tr, ev);
}

const char *seg_event_name(enum seg_event e)
{
	static const char *const names[] = { "send", "deliver", "drop", "duplicate" };
	return (unsigned)e < 4 ? names[e] : "?";
}

const char *timer_kind_name(enum timer_kind k)
{
	static const char *const names[] = { "rto", "time_wait", "fin_wait_2", "user", "delack", "tlp" };
	return (unsigned)k < TIMER_KINDS ? names[k] : "?";
}

const char *timer_event_name(enum timer_event e)
{
	static const char *const names[] = { "set", "fire", "cancel" };
	return (unsigned)e < 3 ? names[e] : "?";
}
