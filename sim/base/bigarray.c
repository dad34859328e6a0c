/* bigarray.c - huge-page arrays that grow by mremap (see bigarray.h). */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "base/bigarray.h"

/* Mapped sizes are whole 2 MB pages. */
static size_t map_size(size_t n)
{
	const size_t huge = 2u << 20;
	return (n + huge - 1) / huge * huge;
}

static int is_mapped(size_t size)
{
	return size >= BIGARRAY_MIN;
}

void *bigarray_resize(void *p, size_t old_size, size_t new_size)
{
	if (!is_mapped(new_size)) {
		if (is_mapped(old_size))          /* never shrinks below the threshold */
			return p;
		return realloc(p, new_size ? new_size : 1);
	}
	void *q;
	if (is_mapped(old_size)) {
		if (map_size(new_size) == map_size(old_size))
			return p;
		q = mremap(p, map_size(old_size), map_size(new_size), MREMAP_MAYMOVE);
		if (q == MAP_FAILED)
			return NULL;
	} else {
		q = mmap(NULL, map_size(new_size), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (q == MAP_FAILED)
			return NULL;
		if (old_size)
			memcpy(q, p, old_size);
		free(p);
	}
	madvise(q, map_size(new_size), MADV_HUGEPAGE);   /* a wish: fine if refused */
	return q;
}

void *bigarray_grow(void *p, size_t *cap, size_t need, size_t elem, size_t first)
{
	size_t ncap = *cap ? *cap : first;
	while (ncap < need)
		ncap *= 2;
	if (ncap == *cap)
		return p;
	void *q = bigarray_resize(p, *cap * elem, ncap * elem);
	if (q)
		*cap = ncap;
	return q;
}

void bigarray_free(void *p, size_t size)
{
	if (!p)
		return;
	if (is_mapped(size))
		munmap(p, map_size(size));
	else
		free(p);
}
