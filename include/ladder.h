/* ladder.h - the exchange as a ladder: two columns, client and server, their
 * states and the segments between them in time order, drops marked. Reads only
 * the trace. */
#ifndef TCPSIM_LADDER_H
#define TCPSIM_LADDER_H

#include <stdio.h>
#include "trace_log.h"

/* Plain text for a terminal (UTF-8 arrows). */
int ladder_write_text(FILE *out, const struct trace_log *log);
/* A markdown table like a lecture handout: time, client state, the segment
 * with its arrow, server state. */
int ladder_write_markdown(FILE *out, const struct trace_log *log);

#endif
