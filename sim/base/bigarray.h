/* bigarray.h - growing arrays for a million of something.
 *
 * The per-connection arrays of a large run (endpoints, TIME_WAIT records,
 * the event lanes, the address map) reach hundreds of megabytes. They are
 * mapped with transparent huge pages asked for (MADV_HUGEPAGE) and grown
 * with mremap, so that filling them costs a few hundred page faults instead
 * of a hundred thousand, and growing never copies. Small arrays (below
 * BIGARRAY_MIN bytes) use malloc as usual. */
#ifndef TCPSIM_BIGARRAY_H
#define TCPSIM_BIGARRAY_H

#include <stddef.h>

#define BIGARRAY_MIN (4u << 20)

/* Like realloc(p, new_size) for an array now old_size bytes long (0 for
 * NULL): NULL when out of memory, p then unchanged. */
void *bigarray_resize(void *p, size_t old_size, size_t new_size);
/* Room in array p, of *cap elements of elem bytes, for need elements: the
 * capacity doubles, starting from first, until it is enough, and *cap says
 * the new one. Returns the array, or NULL when out of memory (p and *cap
 * then unchanged). */
void *bigarray_grow(void *p, size_t *cap, size_t need, size_t elem, size_t first);
/* Frees p, of size bytes. */
void bigarray_free(void *p, size_t size);

#endif
