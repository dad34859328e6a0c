/* trace_log.h - the trace kept in memory, for the outputs that read it whole
 * (the ladder, the pictures, the expectation check).
 *
 * A trace_log is a sink: attach it with trace_log_sink() and it copies every
 * event (strings it points to are static or owned by the log). Payloads are
 * not kept, but for the ladders' hint of what a segment carries ("GET /"):
 * a sent segment's seg.data holds its first min(len, TRACE_LOG_PAYLOAD_MAX)
 * bytes, owned by the log, for the first TRACE_LOG_PAYLOADS sends that
 * carry data (a long transfer's ladder shows the first few anyway); NULL
 * for the others and every other event's data. */
#define TRACE_LOG_PAYLOAD_MAX 16
#define TRACE_LOG_PAYLOADS 10000
#ifndef TCPSIM_TRACE_LOG_H
#define TCPSIM_TRACE_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "proto/segline.h"
#include "trace/trace.h"

struct trace_log {
	const struct trace *trace;   /* names of the endpoints */
	struct trace_event *ev;      /* a bigarray of cap */
	size_t n, cap;
	char *summary;               /* from the scenario event, owned */
	char *name;
	char *profile;
	bool out_of_memory;          /* an event could not be kept: the log is incomplete */
	int keep[3];                 /* n_keep > 0: keep only the events of these endpoints */
	int n_keep;
	/* For the outputs that read the log (the ladder, the pictures): the K
	 * of the client#K and server#K they show, 0 for the first. A setting
	 * of theirs, kept here beside `keep` since both come from --connection
	 * or show.connection; the trace itself shows nothing. */
	uint32_t shown_connection;
	/* For the same outputs, from --labels and --abs-seq: how the ladders
	 * label a segment, and whether its numbers are absolute (tcpdump -S). */
	enum trace_labels { TRACE_LABELS_TCPDUMP = 0, TRACE_LABELS_SHORT } labels;
	bool abs_seq;
	size_t n_payloads;           /* sends whose payload's first bytes are kept */
	bool keep_vars;              /* keep the TRACE_VARS snapshots too (the step-through page);
					set before trace_log_sink */
	/* The snapshots, apart from ev: no other reader sees them, and an
	 * event's index in ev is the same whether they are kept or not (the
	 * pictures name their parts by it). */
	struct trace_log_vars *vars; /* a bigarray of cap_vars */
	size_t n_vars, cap_vars;
};

/* A TRACE_VARS snapshot the log kept: it came after ev[at - 1] (at is
 * log->n then) and before ev[at]. */
struct trace_log_vars {
	size_t at;
	int endpoint;
	usec_t t_us;
	struct trace_vars v;
};

void trace_log_init(struct trace_log *log, const struct trace *tr);
void trace_log_free(struct trace_log *log);
struct trace_sink trace_log_sink(struct trace_log *log);
/* Keeps only the events of endpoints eps[0..n) (n <= 3; and the events of
 * no endpoint): the pictures of a run of a million clients show the
 * listener, client#K and server#K, and the log stays small. */
void trace_log_keep(struct trace_log *log, const int *eps, int n);

/* True when a and b (segment events) are about the same segment: the same
 * ends, SEQ, ACK, flags and length (a send, its drop, its deliveries). */
bool trace_log_same_segment(const struct trace_event *a, const struct trace_event *b);

/* Which events are sends that were dropped (by the link, or by the host they
 * reached: a drop with a reason): a SEGEV_SEND followed later by a SEGEV_DROP
 * of the same segment (src, dst, seq, ack, flags, len), each drop paired with
 * the latest unpaired matching send before it. Returns an array of log->n
 * flags (the caller frees it), or NULL when out of memory. */
bool *trace_log_dropped(const struct trace_log *log);
/* The same pairing: for each send, the index of its drop event, or
 * TRACE_LOG_NO_DROP. The caller frees the array; NULL when out of memory. */
#define TRACE_LOG_NO_DROP SIZE_MAX
size_t *trace_log_drops(const struct trace_log *log);

/* The passive OPEN (a CLOSED -> LISTEN state event) that endpoint ep's
 * connection was born of: with several connections (server#1, ...) each is
 * a TCB of its own, made from the listener's when a SYN arrives, and its
 * first state change leaves LISTEN; the listener's OPEN, by an endpoint
 * other than peer, is then the first step of its path. Its index in the
 * log, or SIZE_MAX when ep's first change does not leave LISTEN or no such
 * OPEN came before it. The state diagram and the ladders number ep's steps
 * from it, so that they agree. */
size_t trace_log_listener_open(const struct trace_log *log, int ep, int peer);

/* Relative sequence numbers as tcpdump prints them. Each endpoint's base is
 * its configured ISN, replaced by the SEQ of every SYN it sends (a new
 * incarnation). A reset sent with SEQ=0 (the RFC's answer from a port with no
 * connection, section 3.10.7.1) prints as 0. A number before the base, and
 * beyond what the endpoint has sent of this incarnation (its reach), is a
 * negative offset (seg_line.seq_before, ack_before): the challenge ACK for
 * an old incarnation's bytes after a reconnect reads "ack -37399", not
 * "ack 4294929897"; a forged SYN ten below the ISN "S -10:-10(0)". A
 * transfer past 2 GiB stays positive (within its reach). */
struct seg_numbering {
	uint32_t *base;              /* per endpoint */
	uint32_t *reach;             /* per endpoint: the highest relative end it sent */
	size_t n, cap, reach_cap;    /* endpoints covered; room for (bigarrays) */
	bool absolute;               /* no base: the numbers as sent (tcpdump -S); init: false */
};
int seg_numbering_init(struct seg_numbering *nb, const struct trace *tr);
void seg_numbering_free(struct seg_numbering *nb);
/* Turns a segment event into the notation, every field present (has_* true,
 * mss only when the segment carries the option, dropped per `dropped`), and
 * updates the bases when the segment is a SYN. Call it on the SEGEV_SEND
 * events in trace order. */
void seg_numbering_line(struct seg_numbering *nb, const struct trace *tr,
			const struct trace_event *ev, bool dropped, struct seg_line *out);

#endif
