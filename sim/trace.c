/* trace.c - the trace: endpoint names and the sinks events go to. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "trace.h"

void trace_init(struct trace *tr)
{
	memset(tr, 0, sizeof *tr);
}

void trace_free(struct trace *tr)
{
	free(tr->endpoints);
	memset(tr, 0, sizeof *tr);
}

int trace_add_endpoint(struct trace *tr, const char *name, uint32_t ip, uint16_t port, uint32_t isn)
{
	if (tr->n_endpoints == tr->cap_endpoints) {
		size_t cap = tr->cap_endpoints ? tr->cap_endpoints * 2 : 8;
		struct trace_endpoint *e = realloc(tr->endpoints, cap * sizeof *e);
		if (!e)
			return -1;
		tr->endpoints = e;
		tr->cap_endpoints = cap;
	}
	struct trace_endpoint *ep = &tr->endpoints[tr->n_endpoints];
	memset(ep, 0, sizeof *ep);
	strncpy(ep->name, name, sizeof ep->name - 1);
	ep->ip = ip;
	ep->port = port;
	ep->isn = isn;
	return (int)tr->n_endpoints++;
}

int trace_find_endpoint(const struct trace *tr, const char *name)
{
	for (size_t i = 0; i < tr->n_endpoints; i++)
		if (strcmp(tr->endpoints[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* The first endpoint whose name starts with prefix, -1 when none does. */
static int find_prefixed(const struct trace *tr, const char *prefix)
{
	size_t n = strlen(prefix);
	for (size_t i = 0; i < tr->n_endpoints; i++)
		if (strncmp(tr->endpoints[i].name, prefix, n) == 0)
			return (int)i;
	return -1;
}

void trace_pick_pair(const struct trace *tr, int *client, int *server)
{
	char name[sizeof tr->endpoints[0].name + 8];
	int c = trace_find_endpoint(tr, "client"), s = -1;
	if (c < 0)
		c = find_prefixed(tr, "client");
	if (c >= 0) {
		snprintf(name, sizeof name, "server%s", tr->endpoints[c].name + strlen("client"));
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
	if (tr->n_sinks < TRACE_MAX_SINKS)
		tr->sinks[tr->n_sinks++] = sink;
}

void trace_emit(struct trace *tr, const struct trace_event *ev)
{
	for (size_t i = 0; i < tr->n_sinks; i++)
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
