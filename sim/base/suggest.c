/* suggest.c - "did you mean ...?" for misspelt keys, calls, values and units.
 *
 * A user who writes `sumary:` or `client: conect` should be told the name
 * they meant, not only handed the list. The guess is offered only when one
 * name is clearly closest: a wrong guess sends the user the wrong way. */
#include <ctype.h>
#include <string.h>
#include "base/suggest.h"

#define WORD_MAX 64
#define FAR 99u

/* One byte folded to lower case (ASCII only: keys and units are ASCII). */
static unsigned char fold(char c)
{
	return (unsigned char)tolower((unsigned char)c);
}

/* The optimal-string-alignment distance by the usual dynamic programme
 * over three rows (the swap looks two rows back). */
unsigned suggest_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned rows[3][WORD_MAX + 1];
	unsigned *prev2 = rows[0], *prev = rows[1], *cur = rows[2];

	if (la >= WORD_MAX || lb >= WORD_MAX)
		return FAR;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = (unsigned)i;
		for (size_t j = 1; j <= lb; j++) {
			unsigned cost = fold(a[i - 1]) != fold(b[j - 1]);
			unsigned best = prev[j] + 1;                     /* delete */
			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;                   /* insert */
			if (prev[j - 1] + cost < best)
				best = prev[j - 1] + cost;               /* replace */
			if (i > 1 && j > 1 && fold(a[i - 1]) == fold(b[j - 2]) &&
			    fold(a[i - 2]) == fold(b[j - 1]) && prev2[j - 2] + 1 < best)
				best = prev2[j - 2] + 1;                 /* swap */
			cur[j] = best;
		}
		unsigned *t = prev2;
		prev2 = prev;
		prev = cur;
		cur = t;
	}
	return prev[lb];
}

const char *suggest_closest(const char *word, const char *const *list)
{
	unsigned limit = strlen(word) >= 6 ? 2 : 1, best = FAR;
	const char *found = NULL;
	int ties = 0;

	if (!*word)
		return NULL;
	for (; *list; list++) {
		unsigned d = suggest_distance(word, *list);
		if (strcmp(word, *list) == 0)
			return NULL;
		if (d < best) {
			best = d;
			found = *list;
			ties = 0;
		} else if (d == best) {
			ties++;
		}
	}
	return best <= limit && ties == 0 ? found : NULL;
}
