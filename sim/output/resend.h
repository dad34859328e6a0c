/* resend.h - whether a segment an endpoint sends is one it sent before,
 * and why: counted as the summary counts retransmissions (summary.c), read
 * by the ladders (ladder_rows.c) and the commented capture (pcapng_trace.c),
 * so that they say the same of every send. */
#ifndef TCPSIM_RESEND_H
#define TCPSIM_RESEND_H

#include <stdbool.h>
#include <stdint.h>
#include "trace/trace.h"

/* Why a segment was sent again. */
enum resend_kind { RESEND_NONE, RESEND_RTO, RESEND_SYN, RESEND_SYN_ACK, RESEND_OTHER, RESEND_TLP };

/* What an endpoint has sent, as far as telling a resend goes; zeroed at
 * the start. */
struct resend_state {
	bool sent, syn_alone;
	bool rto_fired;              /* the retransmission timer expired since the last send */
	bool tlp_fired;              /* the loss-probe timer (linux) expired since the last send */
	uint32_t syn_seq, snd_max;
	uint32_t resend_seq;         /* the segment resent last, and how often */
	unsigned resend_n;
};

/* The endpoint's retransmission timer expired (its next send may be why). */
void resend_rto_fired(struct resend_state *st);
/* The endpoint's loss-probe timer expired (the linux profile's TLP). */
void resend_tlp_fired(struct resend_state *st);
/* Classifies the endpoint's send ev (a SEGEV_SEND of its) and remembers
 * it: RESEND_NONE for a first send, else why, with *n the times this
 * segment has been sent again. A forged segment is nobody's: RESEND_NONE,
 * and st is left as it was. */
enum resend_kind resend_classify(struct resend_state *st, const struct trace_event *ev, unsigned *n);
/* The words for a resend ("RTO 2", "SYN retry 3", "TLP", "retransmission"; ""
 * for none) in buf. */
void resend_words(enum resend_kind kind, unsigned n, char *buf, size_t cap);

#endif
