/* link.h - the virtual wire between the endpoints: delay, jitter, loss,
 * duplication, reordering and scripted drops, per direction.
 *
 * The link knows segments, not TCBs. It is the one observer of the wire: it
 * emits the trace's segment events (send, drop, duplicate when a segment is
 * put on it; deliver when it arrives) and schedules each arrival on the event
 * queue. The replay uses the same link between two TUN devices. */
#ifndef TCPSIM_LINK_H
#define TCPSIM_LINK_H

#include <stdbool.h>
#include <stdint.h>
#include "base/eventq.h"
#include "base/rng.h"
#include "scenario/scenario.h"
#include "proto/segment.h"
#include "trace/trace.h"

/* A segment in flight; its payload is owned by the slot. */
struct flight {
	struct segment seg;
	uint8_t *buf;
	uint32_t cap;
	uint8_t *raw;                 /* link_send_raw: the packet's own bytes, owned by the slot */
	uint32_t raw_len, raw_cap;    /* raw_len 0: none (put on by link_send) */
	int src_ep, dst_ep;
	bool forged;
	uint32_t next_free;           /* free list link, when unused */
	uint32_t refs;                /* arrivals still to come (2 when duplicated) */
};

struct link {
	const struct link_params *params;
	uint32_t *drop_seen;          /* per scripted drop rule: matching segments seen */
	struct rng *rng;
	struct eventq *q;
	struct trace *trace;
	struct flight *slots;
	uint32_t n_slots, free_head;
	uint64_t n_sent, n_dropped, n_duplicated;
};

int link_init(struct link *l, const struct link_params *p, struct rng *rng, struct eventq *q, struct trace *tr);
void link_free(struct link *l);

/* Puts seg on the wire at `now`, sent by an endpoint of role `from`. Emits
 * the send event, then decides in this order, drawing from the run's PRNG only
 * for probabilities above zero: scripted drop (forged segments are not
 * counted), random loss, duplication, reordering (an extra delay of one
 * one-way delay, at least 1 ms), jitter (uniform in [0, jitter]). Returns 0,
 * or -1 when out of memory. */
int link_send(struct link *l, usec_t now, enum role from, int src_ep, int dst_ep,
	      const struct segment *seg, bool forged);

/* link_send, also keeping a copy of the packet seg was decoded from
 * (raw_len bytes at raw), which the flight carries as raw/raw_len until it is
 * released: the replay forwards the kernel's own bytes, options included.
 * Events, decisions and PRNG draws are exactly link_send's. Returns 0, or -1
 * when out of memory. */
int link_send_raw(struct link *l, usec_t now, enum role from, int src_ep, int dst_ep,
		  const struct segment *seg, bool forged, const uint8_t *raw, uint32_t raw_len);

/* The arrival event of `slot`: emits the deliver event and returns the
 * segment, valid until link_release(slot). */
const struct flight *link_arrive(struct link *l, usec_t now, uint32_t slot);
void link_release(struct link *l, uint32_t slot);

/* True when a scripted drop rule names this segment (exposed for tests). */
bool link_drop_rule_matches(const struct drop_rule *r, enum role from, uint8_t flags);

#endif
