/* path.h - names made from file paths. */
#ifndef TCPSIM_PATH_H
#define TCPSIM_PATH_H

/* The last component of path without the first of suffixes (a NULL-ended
 * list) that ends it, kept whole when that would leave nothing: the NAME of
 * scenarios/NAME.yaml, of out/NAME.sweep.csv. A new string (free it), or
 * NULL when out of memory. */
char *path_base_name(const char *path, const char *const suffixes[]);

#endif
