/* arcs.h - the project's state table: every transition and state-preserving
 * response of RFC 9293, numbered as the reference numbers them (T01..T54,
 * S01..S18). docs/state-table.md is generated from it. */
#ifndef TCPSIM_ARCS_H
#define TCPSIM_ARCS_H

#include <stdbool.h>
#include <stddef.h>

struct arc_row {
	const char *id;          /* "T15", "T52a", "S11" */
	const char *from;        /* state name(s) */
	const char *event;       /* "rcv FIN" */
	const char *to;          /* state name, or "(same)" */
	const char *action;      /* what is sent or done, in a few words */
	const char *section;     /* "3.10.7.4" */
	bool response;           /* an S row: a segment answered, no state change */
};

extern const struct arc_row arc_table[];
extern const size_t arc_table_len;

/* The row with this ID, or NULL. */
const struct arc_row *arc_find(const char *id);
/* The numbered ID a row counts under: "T52a" -> "T52". out holds 8 bytes. */
void arc_base_id(const char *id, char out[8]);

#endif
