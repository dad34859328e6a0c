/* path.c - names made from file paths (path.h). */
#include <string.h>
#include "base/path.h"

char *path_base_name(const char *path, const char *const suffixes[])
{
	const char *slash = strrchr(path, '/'), *b = slash ? slash + 1 : path;
	size_t n = strlen(b);

	for (const char *const *s = suffixes; *s; s++) {
		size_t k = strlen(*s);
		if (n > k && strcmp(b + n - k, *s) == 0) {
			n -= k;
			break;
		}
	}
	return strndup(b, n);
}
