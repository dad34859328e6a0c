/* scenario_load_keys.c - the settings sections of a scenario: tcp: (the
 * timer and size overrides), link: (both directions, each one's overrides,
 * the scripted drops) and endpoints: (the client's and the server's). */
#include <stdlib.h>
#include <string.h>
#include <yaml.h>
#include "scenario/scenario_load_int.h"

/* ---- tcp: -------------------------------------------------------------- */

const char *const tcp_keys[] = {
	"rto_initial", "rto_min", "rto_max", "msl", "time_wait", "syn_retries", "syn_linear_timeouts",
	"retries", "fin_wait_2_timeout", "user_timeout", "mss", "window", NULL,
};

/* One key of `tcp:` into the overrides; ctx is the struct tcp_overrides. */
int tcp_pair(struct loader *ld, const char *key, yaml_node_t *k, yaml_node_t *v, void *ctx)
{
	struct tcp_overrides *ov = ctx;

	if (strcmp(key, "rto_initial") == 0) {
		ov->has_rto_initial = true;
		return get_positive_duration(ld, key, v, &ov->v.rto_initial);
	}
	if (strcmp(key, "rto_min") == 0) {
		ov->has_rto_min = true;
		ld->rto_min_node = v;
		return get_positive_duration(ld, key, v, &ov->v.rto_min);
	}
	if (strcmp(key, "rto_max") == 0) {
		ov->has_rto_max = true;
		ld->rto_max_node = v;
		return get_positive_duration(ld, key, v, &ov->v.rto_max);
	}
	if (strcmp(key, "msl") == 0) {
		ov->has_msl = true;
		return get_duration(ld, key, v, &ov->v.msl);
	}
	if (strcmp(key, "time_wait") == 0) {
		ov->has_time_wait = true;
		return get_duration(ld, key, v, &ov->v.time_wait);
	}
	if (strcmp(key, "syn_retries") == 0) {
		ov->has_syn_retries = true;
		return get_int(ld, key, v, 0, RETRIES_MAX, &ov->v.syn_retries);
	}
	if (strcmp(key, "syn_linear_timeouts") == 0) {
		ov->has_syn_linear_timeouts = true;
		return get_int(ld, key, v, 0, RETRIES_MAX, &ov->v.syn_linear_timeouts);
	}
	if (strcmp(key, "retries") == 0) {
		ov->has_retries = true;
		return get_int(ld, key, v, 0, RETRIES_MAX, &ov->v.retries);
	}
	if (strcmp(key, "fin_wait_2_timeout") == 0) {
		ov->has_fin_wait_2_timeout = true;
		return get_duration(ld, key, v, &ov->v.fin_wait_2_timeout);
	}
	if (strcmp(key, "user_timeout") == 0) {
		ov->has_user_timeout = true;
		return get_duration(ld, key, v, &ov->v.user_timeout);
	}
	if (strcmp(key, "mss") == 0) {
		ov->has_mss = true;
		return get_u32(ld, key, v, 1, MSS_MAX, &ov->v.mss);
	}
	ov->has_window = true;   /* "window", the last of tcp_keys */
	return get_u32(ld, key, v, 1, 65535, &ov->v.window);
}

/* ---- link: ------------------------------------------------------------- */

static const char *const link_dir_keys[] = { "delay", "jitter", "loss", "duplicate", "reorder", NULL };

static const char *const link_keys[] = {
	"delay", "jitter", "loss", "duplicate", "reorder", "client_to_server", "server_to_client",
	"drop", NULL,
};

static const char *const drop_keys[] = { "from", "flags", "nth", NULL };

/* One key of a direction's settings; ctx is the struct link_dir. */
static int link_dir_pair(struct loader *ld, const char *key, yaml_node_t *k, yaml_node_t *v, void *ctx)
{
	struct link_dir *d = ctx;

	if (strcmp(key, "delay") == 0)
		return get_duration(ld, key, v, &d->delay);
	if (strcmp(key, "jitter") == 0)
		return get_duration(ld, key, v, &d->jitter);
	if (strcmp(key, "loss") == 0)
		return get_probability(ld, key, v, &d->loss);
	if (strcmp(key, "duplicate") == 0)
		return get_probability(ld, key, v, &d->duplicate);
	return get_probability(ld, key, v, &d->reorder);
}

/* What `link:` holds before the per-direction overrides are applied. */
struct link_ctx {
	struct link_dir both;
	yaml_node_t *dir_node[NROLES];
};

/* A drop rule being read, and whether `from` was given. */
struct drop_ctx {
	struct drop_rule *rule;
	bool has_from;
};

/* One key of a drop rule; ctx is the struct drop_ctx. */
static int drop_pair(struct loader *ld, const char *key, yaml_node_t *k, yaml_node_t *v, void *ctx)
{
	struct drop_ctx *dc = ctx;
	struct drop_rule *d = dc->rule;

	if (strcmp(key, "from") == 0) {
		dc->has_from = true;
		return get_role(ld, key, v, &d->from);
	}
	if (strcmp(key, "flags") == 0) {
		d->has_flags = true;
		return get_flags(ld, key, v, &d->flags);
	}
	return get_u32(ld, key, v, 1, UINT32_MAX, &d->nth);
}

/* `drop:`, a list of { from, flags, nth }; nth defaults to 1. */
static int load_drops(struct loader *ld, yaml_node_t *n)
{
	struct link_params *lp = &ld->sc->link;
	size_t count;

	if (expect_list(ld, n, "drop", "{ from, flags, nth } rules") < 0)
		return -1;
	count = list_len(n);
	if (count == 0)
		return 0;
	lp->drops = calloc(count, sizeof(*lp->drops));
	if (!lp->drops)
		return fail_oom(ld, n);
	lp->n_drops = count;
	for (size_t i = 0; i < count; i++) {
		struct drop_ctx dc = { .rule = &lp->drops[i] };
		yaml_node_t *item = list_item(ld, n, i);
		dc.rule->nth = 1;
		dc.rule->pos = node_pos(item);
		if (walk_mapping(ld, item, "a drop rule", drop_keys, drop_pair, &dc) < 0)
			return -1;
		if (!dc.has_from)
			return fail(ld, item, "a drop rule needs from: client or from: server");
	}
	return 0;
}

/* One key of `link:`; ctx is the struct link_ctx. */
static int link_pair(struct loader *ld, const char *key, yaml_node_t *k, yaml_node_t *v, void *ctx)
{
	struct link_ctx *lc = ctx;

	if (strcmp(key, "client_to_server") == 0)
		lc->dir_node[ROLE_CLIENT] = v;
	else if (strcmp(key, "server_to_client") == 0)
		lc->dir_node[ROLE_SERVER] = v;
	else if (strcmp(key, "drop") == 0)
		return load_drops(ld, v);
	else
		return link_dir_pair(ld, key, k, v, &lc->both);
	return 0;
}

/* `link:`: settings for both directions, then each direction's overrides. */
int load_link(struct loader *ld, yaml_node_t *n)
{
	static const char *const dir_names[NROLES] = { "client_to_server", "server_to_client" };
	struct link_ctx lc = { 0 };

	if (walk_mapping(ld, n, "link", link_keys, link_pair, &lc) < 0)
		return -1;
	for (int r = 0; r < NROLES; r++) {
		ld->sc->link.dir[r] = lc.both;
		if (lc.dir_node[r] && walk_mapping(ld, lc.dir_node[r], dir_names[r], link_dir_keys,
						   link_dir_pair, &ld->sc->link.dir[r]) < 0)
			return -1;
	}
	return 0;
}

/* ---- endpoints: -------------------------------------------------------- */

static const char *const endpoint_keys[] = {
	"ip", "port", "isn", "on_eof", "half_duplex", "count", "every", "backlog", NULL,
};

/* One key of endpoints.client or endpoints.server; ctx points to the role. */
static int endpoint_pair(struct loader *ld, const char *key, yaml_node_t *k, yaml_node_t *v, void *ctx)
{
	static const char *const on_eof_values[] = { "none", "close", NULL };
	enum role r = *(enum role *)ctx;
	struct endpoint_spec *ep = &ld->sc->ep[r];
	int i;

	if (strcmp(key, "ip") == 0) {
		ld->ip_node[r] = v;
		return get_ipv4(ld, key, v, &ep->ip);
	}
	if (strcmp(key, "port") == 0) {
		uint32_t port;
		ld->port_node[r] = v;
		if (get_u32(ld, key, v, 1, 65535, &port) < 0)
			return -1;
		ep->port = (uint16_t)port;
		return 0;
	}
	if (strcmp(key, "isn") == 0)
		return get_u32(ld, key, v, 0, UINT32_MAX, &ep->isn);
	if (strcmp(key, "on_eof") == 0) {
		if (get_choice(ld, key, v, on_eof_values, &i) < 0)
			return -1;
		ep->on_eof_close = i == 1;
		return 0;
	}
	if (strcmp(key, "half_duplex") == 0) {
		static const char *const bools[] = { "false", "true", NULL };
		if (get_choice(ld, key, v, bools, &i) < 0)
			return -1;
		ep->half_duplex = i == 1;
		return 0;
	}
	if (strcmp(key, "backlog") == 0) {
		if (r != ROLE_SERVER)
			return fail(ld, k, "backlog is for the server, whose listener accepts the clients");
		return get_u32(ld, key, v, 1, 65535, &ep->backlog);
	}
	if (r != ROLE_CLIENT)
		return fail(ld, k, "%s is for the client: the server side has one connection per client",
			    key);
	if (strcmp(key, "count") == 0)
		return get_u32(ld, key, v, 1, COUNT_MAX, &ep->count);
	ld->every_node = v;
	return get_duration(ld, key, v, &ep->every);
}

/* One key of `endpoints:` (client or server). */
int endpoints_pair(struct loader *ld, const char *key, yaml_node_t *k, yaml_node_t *v, void *ctx)
{
	enum role r = strcmp(key, "client") == 0 ? ROLE_CLIENT : ROLE_SERVER;

	return walk_mapping(ld, v, r == ROLE_CLIENT ? "endpoints.client" : "endpoints.server",
			    endpoint_keys, endpoint_pair, &r);
}
