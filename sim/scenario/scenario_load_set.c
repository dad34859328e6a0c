/* scenario_load_set.c - the settings of sweep --set ("link.loss=0.1"),
 * put into the loaded document before it is walked, so that a set value is
 * checked exactly as one written in the file. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <yaml.h>
#include "scenario/scenario_load_int.h"

/* "--set KEY: message" into ld->err; always returns -1. */
static int set_fail(struct loader *ld, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int set_fail(struct loader *ld, const char *key, const char *fmt, ...)
{
	char msg[MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	sanitize(msg);
	snprintf(ld->err, ld->errlen, "--set %s: %s", key, msg);
	return -1;
}

/* The id of the value under name (len bytes) in mapping map_id, or 0; *pair_at
 * receives the pair's index. */
static int mapping_find(struct loader *ld, int map_id, const char *name, size_t len, size_t *pair_at)
{
	yaml_node_t *map = node_at(ld, map_id);

	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = node_at(ld, p->key);
		if (k && is_scalar(k) && k->data.scalar.length == len &&
		    memcmp(k->data.scalar.value, name, len) == 0) {
			*pair_at = (size_t)(p - map->data.mapping.pairs.start);
			return p->value;
		}
	}
	return 0;
}

/* Adds the pair name: (a new node made by the caller, value_id) to mapping
 * map_id; the new nodes are placed, for messages, where the mapping starts.
 * Returns 0, or -1 when out of memory. */
static int mapping_add(struct loader *ld, int map_id, const char *name, size_t len, int value_id)
{
	int key_id = yaml_document_add_scalar(ld->doc, NULL, (yaml_char_t *)name, (int)len,
					      YAML_PLAIN_SCALAR_STYLE);

	if (!key_id || !yaml_document_append_mapping_pair(ld->doc, map_id, key_id, value_id))
		return -1;
	yaml_mark_t at = node_at(ld, map_id)->start_mark;
	node_at(ld, key_id)->start_mark = node_at(ld, key_id)->end_mark = at;
	node_at(ld, value_id)->start_mark = node_at(ld, value_id)->end_mark = at;
	return 0;
}

/* One setting: walks (creating what is missing) the mappings along the
 * dotted key from the root, then puts the value there as a plain scalar. A
 * replaced value keeps its place in the file for the loader's messages, an
 * added one takes its mapping's.
 * Node pointers move when a node is added: only ids are kept across adds. */
static int apply_setting(struct loader *ld, const struct scenario_setting *st)
{
	const char *key = st->key, *name = key;
	int map_id = 1;   /* the root */
	yaml_node_t *root = yaml_document_get_root_node(ld->doc);

	if (!root && !yaml_document_add_mapping(ld->doc, NULL, YAML_BLOCK_MAPPING_STYLE))
		return set_fail(ld, key, "out of memory");
	if (node_at(ld, map_id)->type != YAML_MAPPING_NODE)
		return set_fail(ld, key, "the scenario is not a mapping of keys");
	for (;;) {
		const char *dot = strchr(name, '.');
		size_t len = dot ? (size_t)(dot - name) : strlen(name);
		size_t at = 0;
		int id;

		if (len == 0)
			return set_fail(ld, key, "a key is a dotted path of names such as link.loss");
		id = mapping_find(ld, map_id, name, len, &at);
		if (!dot) {
			yaml_node_t *old = id ? node_at(ld, id) : NULL;
			yaml_mark_t start = old ? old->start_mark : (yaml_mark_t){ 0 };
			yaml_mark_t end = old ? old->end_mark : (yaml_mark_t){ 0 };
			int vid = yaml_document_add_scalar(ld->doc, NULL, (yaml_char_t *)st->value,
							   (int)strlen(st->value), YAML_PLAIN_SCALAR_STYLE);
			if (!vid)
				return set_fail(ld, key, "out of memory");
			node_at(ld, vid)->start_mark = start;
			node_at(ld, vid)->end_mark = end;
			if (id) {
				node_at(ld, map_id)->data.mapping.pairs.start[at].value = vid;
				return 0;
			}
			return mapping_add(ld, map_id, name, len, vid) < 0 ? set_fail(ld, key, "out of memory") : 0;
		}
		if (!id) {
			id = yaml_document_add_mapping(ld->doc, NULL, YAML_BLOCK_MAPPING_STYLE);
			if (!id || mapping_add(ld, map_id, name, len, id) < 0)
				return set_fail(ld, key, "out of memory");
		} else if (node_at(ld, id)->type != YAML_MAPPING_NODE) {
			return set_fail(ld, key, "%.*s is %s, not a mapping of keys", (int)(dot - key), key,
					SHOW(node_at(ld, id)));
		}
		map_id = id;
		name = dot + 1;
	}
}

/* Applies the settings in order to the loaded document. */
int apply_settings(struct loader *ld, const struct scenario_setting *set, size_t n_set)
{
	for (size_t i = 0; i < n_set; i++)
		if (apply_setting(ld, &set[i]) < 0)
			return -1;
	return 0;
}
