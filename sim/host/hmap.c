/* hmap.c - the stack's hash tables (hmap.h). */
#include <stdlib.h>
#include <string.h>
#include "host/hmap.h"

/* Moves every entry into a table of cap slots. Returns -1 when out of
 * memory (the map unchanged). */
static int hmap_grow_to(struct hmap *m, uint32_t cap);

static int hmap_grow(struct hmap *m)
{
	return hmap_grow_to(m, m->cap ? m->cap * 2 : 64);
}

int hmap_reserve(struct hmap *m, uint32_t n)
{
	uint32_t cap = m->cap ? m->cap : 64;
	while ((uint64_t)n * 4 > (uint64_t)cap * 3)
		cap *= 2;
	return cap > m->cap ? hmap_grow_to(m, cap) : 0;
}

static int hmap_grow_to(struct hmap *m, uint32_t cap)
{
	struct hslot *slots = malloc(cap * sizeof *slots);
	if (!slots)
		return -1;
	for (uint32_t i = 0; i < cap; i++)
		slots[i].key = HMAP_EMPTY;
	for (uint32_t i = 0; i < m->cap; i++) {
		if (m->slots[i].key == HMAP_EMPTY)
			continue;
		struct hmap to = { .slots = slots, .cap = cap, .by_address = m->by_address };
		uint32_t j = hmap_home(&to, m->slots[i].key);
		while (slots[j].key != HMAP_EMPTY)
			j = (j + 1) & (cap - 1);
		slots[j] = m->slots[i];
	}
	free(m->slots);
	m->slots = slots;
	m->cap = cap;
	return 0;
}

int hmap_put(struct hmap *m, uint64_t key, uint32_t val)
{
	if ((m->n + 1) * 4 > m->cap * 3 && hmap_grow(m) < 0)
		return -1;
	uint32_t j = hmap_home(m, key);
	while (m->slots[j].key != HMAP_EMPTY)
		j = (j + 1) & (m->cap - 1);
	m->slots[j].key = key;
	m->slots[j].val = val;
	m->n++;
	return 0;
}

/* Backward-shift deletion keeps probe runs whole. */
void hmap_del(struct hmap *m, uint64_t key, uint32_t val)
{
	if (!m->cap)
		return;
	uint32_t mask = m->cap - 1, j = hmap_home(m, key);
	while (m->slots[j].key != HMAP_EMPTY && !(m->slots[j].key == key && m->slots[j].val == val))
		j = (j + 1) & mask;
	if (m->slots[j].key == HMAP_EMPTY)
		return;
	m->n--;
	uint32_t hole = j;
	for (;;) {
		j = (j + 1) & mask;
		if (m->slots[j].key == HMAP_EMPTY)
			break;
		uint32_t home = hmap_home(m, m->slots[j].key);
		/* Move j into the hole unless its home lies cyclically in (hole, j]. */
		bool stays = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
		if (stays)
			continue;
		m->slots[hole] = m->slots[j];
		hole = j;
	}
	m->slots[hole].key = HMAP_EMPTY;
}

void hmap_free(struct hmap *m)
{
	free(m->slots);
	bool by_address = m->by_address;
	memset(m, 0, sizeof *m);
	m->by_address = by_address;
}
