/* isolate.h - a function that makes a buffer, run in a child process.
 *
 * For a library that can crash or corrupt memory on some inputs: Graphviz
 * 2.43's dot layout double-frees on some graphs (a back arc beside a flat
 * arc with constraint=false, both labelled: a replay's kernel trace with
 * odd arcs drew one). In a child, such a failure costs one picture and a
 * message, never the process, its other outputs or its heap. */
#ifndef TCPSIM_ISOLATE_H
#define TCPSIM_ISOLATE_H

#include <stddef.h>

/* Makes *data (malloc'ed) of *len bytes; returns 0, or -1 with err set. */
typedef int (*isolate_fn)(void *ctx, char **data, size_t *len, char *err, size_t errlen);

/* Runs fn(ctx, ...) in a forked child and hands back what it made: fn's 0
 * with *data (malloc'ed, *len bytes and a NUL after them, so that a text
 * such as DOT or SVG reads as a string, as the child's did; the caller
 * frees it); -1 with err set to
 * fn's message, or to why nothing came back (no fork, out of memory); -2
 * when the child was killed, err saying by which signal ("crashed (signal
 * 6)").
 * Nothing of the child's state comes back but the buffer and the message;
 * the child leaves by _exit, so no buffered output or exit handler of the
 * parent's runs twice. */
int isolate_run(isolate_fn fn, void *ctx, char **data, size_t *len, char *err, size_t errlen);

#endif
