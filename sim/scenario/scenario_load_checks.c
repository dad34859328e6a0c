/* scenario_load_checks.c - the checks that need the whole file, run once
 * every key is read: values that must agree across keys (rto_min and
 * rto_max, the addresses, the names in segment lines, show.connection) and
 * times that must stay within virtual time. */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <yaml.h>
#include "base/decimal.h"
#include "scenario/scenario_load_int.h"

/* ---- checks across keys ----------------------------------------------- */

/* rto_min must not exceed rto_max once the profile's defaults fill in. */
int check_rto(struct loader *ld)
{
	struct tcp_params p;
	char a[32], b[32];

	tcp_params_resolve(ld->sc->profile, &ld->sc->tcp, &p);
	if (p.rto_min <= p.rto_max)
		return 0;
	time_format(p.rto_min, a);
	time_format(p.rto_max, b);
	return fail(ld, ld->rto_min_node ? ld->rto_min_node : ld->rto_max_node,
		    "rto_min (%ss) is greater than rto_max (%ss)", a, b);
}

/* Each client runs the client's timeline shifted by (k-1)*every: the last
 * one's calls must come within virtual time, which ends where a pcap
 * timestamp does (VTIME_MAX, 2^32 s); past it at + (k-1)*every would wrap
 * the 64-bit clock or the pcap's 32-bit seconds, and times would go
 * backwards. (Every other configured time is at most 1000 days.) */
int check_virtual_time(struct loader *ld)
{
	const struct scenario *sc = ld->sc;
	uint64_t k = sc->ep[ROLE_CLIENT].count > 1 ? sc->ep[ROLE_CLIENT].count - 1 : 0;
	usec_t every = sc->ep[ROLE_CLIENT].every;
	char at[32], ev[32];

	if (k == 0 || every == 0)
		return 0;
	for (size_t i = 0; i < sc->n_timeline; i++) {
		const struct timeline_entry *te = &sc->timeline[i];
		if (te->call == CALL_INJECT || te->who != ROLE_CLIENT)
			continue;
		if (te->at <= VTIME_MAX && k <= (VTIME_MAX - te->at) / every)
			continue;
		time_format(te->at, at);
		time_format(every, ev);
		return fail(ld, ld->every_node,
			    "every: client#%llu's call at %ss would come at %ss + %llu x %ss = %.0f s, past the "
			    "end of virtual time (2^32 s, about 136 years, the most a pcap timestamp holds); "
			    "make every or count smaller",
			    (unsigned long long)k + 1, at, at, (unsigned long long)k, ev,
			    ((double)te->at + (double)k * (double)every) / 1e6);
	}
	return 0;
}

/* With many clients the server's calls act on its listener, whose own
 * connection never comes: `wait: established` is for the clients there. */
int check_waits(struct loader *ld)
{
	const struct scenario *sc = ld->sc;
	if (sc->ep[ROLE_CLIENT].count <= 1)
		return 0;
	for (size_t i = 0; i < sc->n_timeline; i++) {
		const struct timeline_entry *te = &sc->timeline[i];
		if (te->wait_established && te->call != CALL_INJECT && te->who == ROLE_SERVER)
			return fail_at(ld, te->pos, "wait: established is for the clients when there are %u: "
				       "the server's calls act on its listener", sc->ep[ROLE_CLIENT].count);
	}
	return 0;
}

/* show.connection names one of the connections. */
int check_show(struct loader *ld)
{
	uint32_t count = ld->sc->ep[ROLE_CLIENT].count ? ld->sc->ep[ROLE_CLIENT].count : 1;
	uint32_t k = ld->sc->show_connection;
	if (k <= count)
		return 0;
	return fail(ld, ld->show_connection_node, "show.connection is %u, but the scenario has %u connection%s", k,
		    count, count == 1 ? "" : "s");
}

/* The client and the server cannot share an address and port. */
int check_addresses(struct loader *ld)
{
	const struct endpoint_spec *c = &ld->sc->ep[ROLE_CLIENT], *s = &ld->sc->ep[ROLE_SERVER];
	yaml_node_t *at = ld->port_node[ROLE_SERVER];
	struct in_addr a = { .s_addr = htonl(c->ip) };
	char ip[INET_ADDRSTRLEN];

	/* client#K has the client's address plus K-1 (plus one to step over the
	 * server's): the last must still be an address. */
	if (c->count > 1 && (uint64_t)c->ip + c->count > 0xffffffffu) {
		struct in_addr b = { .s_addr = htonl(c->ip) };
		char first[INET_ADDRSTRLEN];
		inet_ntop(AF_INET, &b, first, sizeof(first));
		return fail(ld, ld->ip_node[ROLE_CLIENT] ? ld->ip_node[ROLE_CLIENT] : ld->port_node[ROLE_CLIENT],
			    "%u clients, one address each from %s, run past 255.255.255.255", c->count, first);
	}
	if (c->ip != s->ip || c->port != s->port)
		return 0;
	if (!at)
		at = ld->ip_node[ROLE_SERVER];
	if (!at)
		at = ld->port_node[ROLE_CLIENT] ? ld->port_node[ROLE_CLIENT] : ld->ip_node[ROLE_CLIENT];
	inet_ntop(AF_INET, &a, ip, sizeof(ip));
	return fail(ld, at, "the client and the server have the same address %s:%u", ip,
		    (unsigned)c->port);
}

/* "client", "server", "client#K", "server#K" with 1 <= K <= count: its role
 * and K (0 for the bare name). -1 for any other name. */
static int parse_endpoint_name(const char *name, uint32_t count, enum role *r, uint32_t *k)
{
	uint64_t v;
	const char *rest;

	if (strncmp(name, "client", 6) == 0)
		*r = ROLE_CLIENT;
	else if (strncmp(name, "server", 6) == 0)
		*r = ROLE_SERVER;
	else
		return -1;
	rest = name + 6;
	*k = 0;
	if (*rest == '\0')
		return 0;
	if (*rest != '#' || rest[1] == '0' || decimal_u64(rest + 1, strlen(rest + 1), &v) < 0 || v < 1 || v > count)
		return -1;
	*k = (uint32_t)v;
	return 0;
}

/* Every segment line names a client side and a server side of this
 * scenario, and with numbers, the same connection. */
int check_segment_names(struct loader *ld)
{
	const struct expect *ex = &ld->sc->expect;
	uint32_t count = ld->sc->ep[ROLE_CLIENT].count;
	char names[80];

	if (count > 1)
		snprintf(names, sizeof(names), "client, server, client#1..client#%" PRIu32
			 " or server#1..server#%" PRIu32, count, count);
	else
		snprintf(names, sizeof(names), "client or server");
	for (size_t i = 0; i < ex->n_segments; i++) {
		const struct seg_line *l = &ex->segments[i];
		enum role rs, rd;
		uint32_t ks, kd;
		if (parse_endpoint_name(l->src, count, &rs, &ks) < 0)
			return fail_at(ld, ex->segments_pos[i], "unknown endpoint '%s' in segment line (expected %s)",
				       l->src, names);
		if (parse_endpoint_name(l->dst, count, &rd, &kd) < 0)
			return fail_at(ld, ex->segments_pos[i], "unknown endpoint '%s' in segment line (expected %s)",
				       l->dst, names);
		if (rs == rd)
			return fail_at(ld, ex->segments_pos[i],
				       "a segment goes between a client and a server, not %s > %s", l->src, l->dst);
		if (ks && kd && ks != kd)
			return fail_at(ld, ex->segments_pos[i],
				       "%s and %s are not the two ends of one connection", l->src, l->dst);
	}
	return 0;
}
