/* json_out.h - the trace as JSON lines (NAME.trace.jsonl), one object a line,
 * keys in a fixed order so that the same run gives the same bytes. Buffered,
 * and without a printf per field: the trace of a large run must be cheap. */
#ifndef TCPSIM_JSON_OUT_H
#define TCPSIM_JSON_OUT_H

#include <stdio.h>
#include "trace/trace.h"

struct json_out;

/* Writes to f (not closed by json_out). Returns NULL when out of memory. */
struct json_out *json_out_new(FILE *f);
struct trace_sink json_out_sink(struct json_out *jo);
/* Flushes; returns 0, or -1 when a write failed. Frees jo. */
int json_out_finish(struct json_out *jo);

#endif
