/* inject.h - the segment a scenario's `inject` forges. The engine puts it on
 * the simulated link, the replay on the link between the kernels: one
 * function builds it for both, so that the two forge the same segment. */
#ifndef TCPSIM_INJECT_H
#define TCPSIM_INJECT_H

#include <stdint.h>
#include "proto/segment.h"
#include "scenario/scenario.h"

/* The two ends a forged segment goes between, and the ISNs its relative
 * numbers count from (each end's latest SYN). */
struct inject_ends {
	uint32_t src_ip, dst_ip;
	uint16_t src_port, dst_port;
	uint32_t src_isn, dst_isn;
};

/* Builds in's segment into *seg: from ends' src to its dst, SEQ src_isn +
 * in->seq (src_isn when no seq is given), ACK dst_isn + in->ack when ack is
 * given or the flags hold ACK (else 0), the window given or `window` capped
 * at 65535, in's flags and MSS option, and as payload in->data or, without
 * it, in->len bytes of the pattern (proto/payload.h). The pattern is
 * allocated: *pattern is set to it (NULL when there is none), for the caller
 * to free once the segment is sent (the link keeps its own copy). Returns 0,
 * or -1 when out of memory. */
int inject_segment(const struct inject_spec *in, const struct inject_ends *ends, uint32_t window,
		   struct segment *seg, uint8_t **pattern);

#endif
