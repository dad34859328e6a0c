/* suggest.h - "did you mean ...?": the known name closest to a misspelt one. */
#ifndef TCPSIM_SUGGEST_H
#define TCPSIM_SUGGEST_H

/* The edit distance between a and b, ASCII letters compared without case:
 * insertions, deletions, replacements and swaps of two neighbours
 * (Damerau-Levenshtein, optimal string alignment), each counting 1. Words
 * longer than 63 bytes are at a distance of 99 from everything. */
unsigned suggest_distance(const char *a, const char *b);

/* The one name of the NULL-terminated list closest to word: within 1 edit
 * for words under 6 characters, 2 from 6 on. NULL when none is that close,
 * when two are equally close (an ambiguous guess helps nobody), or when
 * word is itself in the list. */
const char *suggest_closest(const char *word, const char *const *list);

#endif
