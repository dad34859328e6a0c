/* scenario_load.c - reads a scenario file with libyaml and checks every key.
 *
 * The file is read whole, parsed once as events to bound the nesting depth
 * (libyaml's scanner slows down quadratically with it), then loaded as a
 * document whose nodes are walked key by key. Every message is
 * "FILE:LINE:COL: what is wrong", pointing at the offending key or value.
 *
 * This file holds the order of it all and the top-level keys; the other
 * parts are listed in scenario_load_int.h. */
#include <stdlib.h>
#include <string.h>
#include <yaml.h>
#include "base/path.h"
#include "scenario/scenario.h"
#include "scenario/scenario_load_int.h"

/* ---- the top level ----------------------------------------------------- */

static const char *const top_keys[] = {
	"name", "summary", "seed", "profile", "tcp", "link", "endpoints", "timeline", "until",
	"expect", "show", "max_events", NULL,
};

static const char *const show_keys[] = { "connection", NULL };

/* One key of `show`: what the ladder and the pictures show. */
static int show_pair(struct loader *ld, const char *key, yaml_node_t *k, yaml_node_t *v, void *ctx)
{
	ld->show_connection_node = v;
	return get_u32(ld, "show.connection", v, 1, COUNT_MAX, &ld->sc->show_connection);
}

/* One key of the top-level mapping. */
static int top_pair(struct loader *ld, const char *key, yaml_node_t *k, yaml_node_t *v, void *ctx)
{
	static const char *const profiles[] = { "rfc9293", "linux", NULL };
	struct scenario *sc = ld->sc;
	int i;

	if (strcmp(key, "name") == 0) {
		if (get_text(ld, key, v, &sc->name) < 0)
			return -1;
		return sc->name[0] ? 0 : fail(ld, v, "name must not be empty");
	}
	if (strcmp(key, "summary") == 0)
		return get_text(ld, key, v, &sc->summary);
	if (strcmp(key, "seed") == 0)
		return get_uint(ld, key, v, 0, UINT64_MAX, &sc->seed);
	if (strcmp(key, "profile") == 0) {
		if (get_choice(ld, key, v, profiles, &i) < 0)
			return -1;
		sc->profile = (enum profile)i;
		sc->has_profile = true;
		return 0;
	}
	if (strcmp(key, "tcp") == 0)
		return walk_mapping(ld, v, "tcp", tcp_keys, tcp_pair, &sc->tcp);
	if (strcmp(key, "link") == 0)
		return load_link(ld, v);
	if (strcmp(key, "endpoints") == 0)
		return walk_mapping(ld, v, "endpoints", role_names, endpoints_pair, NULL);
	if (strcmp(key, "timeline") == 0)
		return load_timeline(ld, v);
	if (strcmp(key, "until") == 0) {
		sc->has_until = true;
		return get_duration(ld, key, v, &sc->until);
	}
	if (strcmp(key, "show") == 0)
		return walk_mapping(ld, v, "show", show_keys, show_pair, NULL);
	if (strcmp(key, "max_events") == 0)   /* docs/scenario-format.md, "Every run ends" */
		return get_uint(ld, key, v, 1, MAX_EVENTS_MAX, &sc->max_events);
	return walk_mapping(ld, v, "expect", expect_keys, expect_pair, &sc->expect);
}

/* The file's base name without .yaml or .yml (kept when nothing would remain). */
static char *base_name(const char *path)
{
	static const char *const suffixes[] = { ".yaml", ".yml", NULL };
	return path_base_name(path, suffixes);
}

/* The defaults of every key that has one. */
static void set_defaults(struct scenario *sc)
{
	sc->seed = 1;
	sc->profile = PROFILE_RFC9293;
	sc->ep[ROLE_CLIENT] = (struct endpoint_spec){
		.ip = 0x0a000001, .port = 40000, .isn = 1000, .count = 1,
	};
	sc->ep[ROLE_SERVER] = (struct endpoint_spec){
		.ip = 0x0a000002, .port = 80, .isn = 5000, .count = 1,
	};
}

/* Walks the document's top-level mapping, then checks across keys. */
static int load_scenario(struct loader *ld)
{
	yaml_node_t *root = yaml_document_get_root_node(ld->doc);
	struct scenario *sc = ld->sc;

	if (!root)
		return fail_at(ld, (struct src_pos){ 1, 1 },
			       "the file is empty: a scenario is a mapping of keys (timeline:, expect:, ...)");
	if (root->type != YAML_MAPPING_NODE)
		return fail_at(ld, (struct src_pos){ 1, 1 },
			       "a scenario is a mapping of keys (timeline:, expect:, ...), not %s",
			       SHOW(root));
	if (walk_mapping(ld, root, "the scenario", top_keys, top_pair, NULL) < 0)
		return -1;
	if (check_rto(ld) < 0 || check_addresses(ld) < 0 || check_segment_names(ld) < 0 || check_show(ld) < 0 ||
	    check_waits(ld) < 0 || check_virtual_time(ld) < 0)
		return -1;
	if (!sc->name && !(sc->name = strdup(sc->base)))
		return fail_oom(ld, root);
	return 0;
}

/* Read, check nesting, load the document, apply the settings, walk it; on
 * error free what was filled in and leave *sc zeroed. */
static int load_file(const char *path, const struct scenario_setting *set, size_t n_set,
		     struct scenario *sc, char *err, size_t errlen)
{
	struct loader ld = { .path = path, .sc = sc, .err = err, .errlen = errlen };
	yaml_document_t doc;
	char *buf = NULL;
	size_t len = 0;
	int rc;

	memset(sc, 0, sizeof(*sc));
	if (errlen)
		err[0] = '\0';
	if (read_file(path, &buf, &len, err, errlen) < 0)
		return -1;
	set_defaults(sc);
	sc->path = strdup(path);
	sc->base = base_name(path);
	rc = check_nesting(&ld, buf, len);
	if (rc == 0 && (!sc->path || !sc->base))
		rc = fail_at(&ld, (struct src_pos){ 1, 1 }, "out of memory");
	if (rc == 0)
		rc = load_document(&ld, buf, len, &doc);
	if (rc == 0) {
		ld.doc = &doc;
		rc = apply_settings(&ld, set, n_set);
		if (rc == 0)
			rc = load_scenario(&ld);
		yaml_document_delete(&doc);
	}
	free(buf);
	if (rc < 0)
		scenario_free(sc);
	return rc;
}

/* See scenario.h. */
int scenario_load(const char *path, struct scenario *sc, char *err, size_t errlen)
{
	return load_file(path, NULL, 0, sc, err, errlen);
}

/* See scenario.h: scenario_load with settings applied first. */
int scenario_load_with(const char *path, const struct scenario_setting *set, size_t n_set,
		       struct scenario *sc, char *err, size_t errlen)
{
	return load_file(path, set, n_set, sc, err, errlen);
}
