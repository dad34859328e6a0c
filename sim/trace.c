/* trace.c - the trace: endpoint names and the sinks events go to. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bigarray.h"
#include "trace.h"

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
		size_t cap = tr->cap_endpoints ? tr->cap_endpoints * 2 : 8;
		struct trace_endpoint *e = bigarray_resize(tr->endpoints, tr->cap_endpoints * sizeof *e, cap * sizeof *e);
		if (!e)
			return -1;
		tr->endpoints = e;
		tr->cap_endpoints = cap;
	}
	struct trace_endpoint *ep = &tr->endpoints[tr->n_endpoints];
	memset(ep, 0, sizeof *ep);
	ep->name = name;
	ep->instance = instance;
	ep->ip = ip;
	ep->port = port;
	ep->isn = isn;
	return (int)tr->n_endpoints++;
}

const char *trace_endpoint_name(const struct trace *tr, int i, char buf[TRACE_NAME_MAX])
{
	if (i < 0 || (size_t)i >= tr->n_endpoints || !tr->endpoints[i].name)
		snprintf(buf, TRACE_NAME_MAX, "?");
	else if (tr->endpoints[i].instance)
		snprintf(buf, TRACE_NAME_MAX, "%s#%u", tr->endpoints[i].name, tr->endpoints[i].instance);
	else
		snprintf(buf, TRACE_NAME_MAX, "%s", tr->endpoints[i].name);
	return buf;
}

int trace_find_endpoint(const struct trace *tr, const char *name)
{
	char buf[TRACE_NAME_MAX];
	for (size_t i = 0; i < tr->n_endpoints; i++)
		if (strcmp(trace_endpoint_name(tr, (int)i, buf), name) == 0)
			return (int)i;
	return -1;
}

/* The first endpoint whose name starts with prefix, -1 when none does. */
static int find_prefixed(const struct trace *tr, const char *prefix)
{
	size_t n = strlen(prefix);
	char buf[TRACE_NAME_MAX];
	for (size_t i = 0; i < tr->n_endpoints; i++)
		if (strncmp(trace_endpoint_name(tr, (int)i, buf), prefix, n) == 0)
			return (int)i;
	return -1;
}

void trace_pick_pair(const struct trace *tr, int *client, int *server)
{
	char name[TRACE_NAME_MAX + 8], cbuf[TRACE_NAME_MAX];
	int c = trace_find_endpoint(tr, "client"), s = -1;
	if (c < 0 && tr->shown) {
		snprintf(name, sizeof name, "client#%u", tr->shown);
		c = trace_find_endpoint(tr, name);
	}
	if (c < 0)
		c = find_prefixed(tr, "client");
	if (c >= 0) {
		snprintf(name, sizeof name, "server%s", trace_endpoint_name(tr, c, cbuf) + strlen("client"));
		s = trace_find_endpoint(tr, name);
	}
	if (s < 0)
		s = trace_find_endpoint(tr, "server");
	if (s < 0)
		s = find_prefixed(tr, "server");
	*client = c;
	*server = s;
}

void trace_add_sink(struct trace *tr, struct trace_sink sink)
{
	if (tr->n_sinks >= TRACE_MAX_SINKS)
		return;
	if (!sink.mask)
		sink.mask = TRACE_ALL_BITS;
	tr->sinks[tr->n_sinks++] = sink;
	tr->wanted |= sink.mask;
}

void trace_emit(struct trace *tr, const struct trace_event *ev)
{
	uint32_t bit = trace_event_bit(ev);
	for (size_t i = 0; i < tr->n_sinks; i++)
		if (tr->sinks[i].mask & bit)
			tr->sinks[i].event(tr->sinks[i].ctx, tr, ev);
}

const char *seg_event_name(enum seg_event e)
{
	static const char *const names[] = { "send", "deliver", "drop", "duplicate" };
	return (unsigned)e < 4 ? names[e] : "?";
}

const char *timer_kind_name(enum timer_kind k)
{
	static const char *const names[] = { "rto", "time_wait", "fin_wait_2", "user" };
	return (unsigned)k < TIMER_KINDS ? names[k] : "?";
}

const char *timer_event_name(enum timer_event e)
{
	static const char *const names[] = { "set", "fire", "cancel" };
	return (unsigned)e < 3 ? names[e] : "?";
}
