/* scenario_load_expect.c - expect:, what a run must show: each side's
 * states, the bytes delivered, the segment lines, the final state counts. */
#include <stdlib.h>
#include <string.h>
#include <yaml.h>
#include "proto/segline.h"
#include "scenario/scenario_load_int.h"

/* ---- expect: ---------------------------------------------------------- */

const char *const expect_keys[] = { "client", "server", "delivered", "segments", "final", NULL };

/* expect.client or expect.server: a list of state names. */
static int load_states(struct loader *ld, const char *key, yaml_node_t *n, enum role r)
{
	struct expect *ex = &ld->sc->expect;
	size_t count;

	if (expect_list(ld, n, key, "state names") < 0)
		return -1;
	ex->has_states[r] = true;
	ex->states_pos[r] = node_pos(n);
	count = list_len(n);
	if (count == 0)
		return 0;
	ex->states[r] = calloc(count, sizeof(*ex->states[r]));
	if (!ex->states[r])
		return fail_oom(ld, n);
	ex->n_states[r] = count;
	for (size_t i = 0; i < count; i++)
		if (get_state(ld, list_item(ld, n, i), &ex->states[r][i]) < 0)
			return -1;
	return 0;
}

/* Where the byte at offset col of a scalar's text stands in the file
 * (exact for a one-line scalar without escapes). */
static struct src_pos scalar_offset_pos(const yaml_node_t *n, int col)
{
	struct src_pos p = node_pos(n);
	yaml_scalar_style_t style = n->data.scalar.style;

	if (style == YAML_SINGLE_QUOTED_SCALAR_STYLE || style == YAML_DOUBLE_QUOTED_SCALAR_STYLE)
		p.col++;
	p.col += col;
	return p;
}

/* expect.segments: a list of segment lines. */
static int load_segments(struct loader *ld, yaml_node_t *n)
{
	struct expect *ex = &ld->sc->expect;
	char msg[200];
	size_t count;
	int col;

	if (expect_list(ld, n, "segments", "segment lines") < 0)
		return -1;
	ex->has_segments = true;
	count = list_len(n);
	if (count == 0)
		return 0;
	ex->segments = calloc(count, sizeof(*ex->segments));
	ex->segments_pos = calloc(count, sizeof(*ex->segments_pos));
	if (!ex->segments || !ex->segments_pos)
		return fail_oom(ld, n);
	ex->n_segments = count;
	for (size_t i = 0; i < count; i++) {
		yaml_node_t *item = list_item(ld, n, i);
		if (!is_text(item))
			return fail(ld, item, "a segment line must be a string, not %s", SHOW(item));
		ex->segments_pos[i] = node_pos(item);
		col = 0;
		if (seg_line_parse(scalar_text(item), &ex->segments[i], &col, msg, sizeof(msg)) < 0)
			return fail_at(ld, scalar_offset_pos(item, col), "bad segment line: %s", msg);
	}
	return 0;
}

/* One key of expect.delivered (client or server). */
static int delivered_pair(struct loader *ld, const char *key, yaml_node_t *k, yaml_node_t *v, void *ctx)
{
	struct expect *ex = ctx;
	enum role r = strcmp(key, "client") == 0 ? ROLE_CLIENT : ROLE_SERVER;

	ex->has_delivered[r] = true;
	return get_uint(ld, key, v, 0, UINT64_MAX, &ex->delivered[r]);
}

/* One key of expect.final: STATE_NAME: N. */
static int final_pair(struct loader *ld, const char *key, yaml_node_t *k, yaml_node_t *v, void *ctx)
{
	struct expect *ex = ctx;
	enum tcp_state s;

	if (get_state(ld, k, &s) < 0)
		return -1;
	if (ex->final_set[s])
		return fail(ld, k, "expect.final counts %s twice", tcp_state_name(s));
	ex->final_set[s] = true;
	return get_u32(ld, key, v, 0, UINT32_MAX, &ex->final[s]);
}

/* One key of `expect:`; ctx is the struct expect. */
int expect_pair(struct loader *ld, const char *key, yaml_node_t *k, yaml_node_t *v, void *ctx)
{
	struct expect *ex = ctx;

	if (strcmp(key, "client") == 0)
		return load_states(ld, key, v, ROLE_CLIENT);
	if (strcmp(key, "server") == 0)
		return load_states(ld, key, v, ROLE_SERVER);
	if (strcmp(key, "delivered") == 0)
		return walk_mapping(ld, v, "expect.delivered", role_names, delivered_pair, ex);
	if (strcmp(key, "segments") == 0)
		return load_segments(ld, v);
	ex->has_final = true;
	return walk_mapping(ld, v, "expect.final", NULL, final_pair, ex);
}
