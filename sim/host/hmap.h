/* hmap.h - the stack's hash tables: open addressing from a 64-bit key to a
 * 32-bit value, linear probing, backward-shift deletion. Several entries
 * may share a key (a 4-tuple hash collides rarely but may): lookups walk
 * the key's probe run (hmap_next) and let the caller check. */
#ifndef TCPSIM_HMAP_H
#define TCPSIM_HMAP_H

#include <stdbool.h>
#include <stdint.h>

#define HMAP_EMPTY UINT64_MAX

struct hslot {
	uint64_t key;
	uint32_t val;
};
struct hmap {
	struct hslot *slots;          /* key and value side by side: one cache line per probe */
	uint32_t cap, n;              /* cap a power of two */
	bool by_address;              /* keys are ip:port: neighbours stay neighbours */
};

/* A 64-bit mixer (the murmur3 finalizer). */
static inline uint64_t mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	x ^= x >> 33;
	return x;
}

/* Where key's probe run starts. The address map (key ip:port) keeps
 * neighbouring addresses in neighbouring slots, so that a million clients
 * at consecutive addresses fill it in order, without a cache miss each; the
 * connection maps scatter their keys. */
static inline uint32_t hmap_home(const struct hmap *m, uint64_t key)
{
	if (m->by_address)
		return (uint32_t)((key >> 16) + (key & 0xffff) * 0x9E3779B1u) & (m->cap - 1);
	return (uint32_t)mix64(key) & (m->cap - 1);
}

/* The entries of key, one by one, in its probe run: start with *j =
 * hmap_home(m, key) (m->cap not 0). Returns false at the run's end; else
 * *val is the next entry's value and *j the slot after it. */
static inline bool hmap_next(const struct hmap *m, uint64_t key, uint32_t *j, uint32_t *val)
{
	for (; m->slots[*j].key != HMAP_EMPTY; *j = (*j + 1) & (m->cap - 1)) {
		if (m->slots[*j].key == key) {
			*val = m->slots[*j].val;
			*j = (*j + 1) & (m->cap - 1);
			return true;
		}
	}
	return false;
}

/* Room for n entries without growing. Returns -1 when out of memory. */
int hmap_reserve(struct hmap *m, uint32_t n);
/* Adds the entry (key, val). Returns -1 when out of memory. */
int hmap_put(struct hmap *m, uint64_t key, uint32_t val);
/* Removes the entry (key, val), if there is one. */
void hmap_del(struct hmap *m, uint64_t key, uint32_t val);
/* Frees the slots; the map is empty, of the same kind. */
void hmap_free(struct hmap *m);

#endif
