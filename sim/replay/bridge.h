/* bridge.h - the replay's wire: the two hosts' TUN devices joined in user
 * space through the simulator's own link (sim/link/link.c), on a real clock.
 *
 * Every IPv4/TCP packet the kernel of host A writes to A's TUN is decoded and
 * put on the link as sent by the client (ROLE_CLIENT), every one from B's TUN
 * as sent by the server; the link emits the trace's segment events (send,
 * drop, duplicate) and schedules the arrival, which the bridge writes into the
 * other TUN when it is due (emitting deliver). Delay, jitter, loss,
 * duplication, reordering and scripted drops are the scenario's link params.
 * The capture file is not the bridge's business: attach a pcap_out sink to
 * the trace, it writes every send event as the simulator's pcap does.
 *
 * Time: t_us of every event is the real time since bridge_init
 * (CLOCK_MONOTONIC), in microseconds. An arrival is scheduled at the send's
 * time plus the link's delay; its deliver event carries the time it is
 * actually written into the TUN (at the due time or a little after: the
 * measured lateness is about 0.1 ms). A write the TUN refuses still has its
 * deliver event (counted in write_errors). The bridge is driven by the caller's
 * loop (bridge_poll); it has no thread of its own. */
#ifndef TCPSIM_BRIDGE_H
#define TCPSIM_BRIDGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/duration.h"
#include "base/eventq.h"
#include "link/link.h"
#include "base/rng.h"
#include "scenario/scenario.h"
#include "trace/trace.h"

#define BRIDGE_A 0                    /* the client's side (hosts.h HOSTS_A) */
#define BRIDGE_B 1                    /* the server's side (hosts.h HOSTS_B) */

struct bridge_config {
	const struct link_params *link;   /* kept by pointer: must outlive the bridge */
	uint64_t seed;                    /* the scenario's seed, for the link's PRNG */
	struct trace *trace;              /* the caller's; sinks attached before bridge_poll */
	int tun_fd[2];                    /* [BRIDGE_A], [BRIDGE_B]; non-blocking, not closed */
	int endpoint[2];                  /* trace endpoint behind each TUN (by default) */
	bool reencode;                    /* write packet_encode's packet instead of the
	                                     kernel's bytes (drops every option but MSS) */
};

struct bridge_stats {
	uint64_t read[2];                 /* packets read from each TUN */
	uint64_t stray[2];                /* of them, not IPv4/TCP: ignored, not forwarded */
	uint64_t unmatched[2];            /* TCP packets whose address and port name no
	                                     endpoint: given the side's default endpoint */
	uint64_t written[2];              /* packets written into each TUN */
	uint64_t write_errors[2];         /* writes the TUN refused (the packet is lost) */
	uint64_t encoded;                 /* of the written, re-encoded by packet_encode */
	uint64_t sent, dropped, duplicated;   /* the link's counts */
	uint64_t in_flight;               /* arrivals still scheduled */
};

struct bridge {
	struct link link;
	struct rng rng;
	struct eventq q;
	struct trace *trace;
	int tun_fd[2];
	int endpoint[2];
	bool reencode;
	uint64_t origin_ns;               /* CLOCK_MONOTONIC at bridge_init */
	uint8_t *buf;                     /* PACKET_MAX bytes: one packet read or encoded */
	uint16_t ip_id[2];                /* for re-encoded packets, per side written from */
	struct bridge_stats st;
	int last_errno;                   /* of the last write error (0: none) */
	char error[128];                  /* why bridge_poll last returned -1 */
};

/* Sets up b on cfg's TUNs and starts its clock (t = 0 now). cfg->endpoint[i]
 * must be endpoints of cfg->trace. Returns 0, or -1 with the reason in err
 * (nothing to free then). */
int bridge_init(struct bridge *b, const struct bridge_config *cfg, char *err, size_t errlen);

/* Microseconds since bridge_init, on CLOCK_MONOTONIC: the time the bridge's
 * events carry, for the caller's own events (calls, states) to share. */
usec_t bridge_now(const struct bridge *b);

/* One turn of the wire: waits until a TUN has a packet or the next arrival
 * is due, at most timeout_ms (0: do not wait; negative: no limit other than
 * the next arrival); reads every packet waiting on both TUNs and puts each on
 * the link at the current time; then writes every arrival that is due into
 * its TUN. Returns the number of packets read plus written (0 when the
 * timeout passed with nothing to do), or -1 with errno set and the reason in
 * bridge_error(b) when poll or a read failed, or memory ran out. A write
 * the TUN refuses is counted (write_errors), not an error of the call. */
int bridge_poll(struct bridge *b, int timeout_ms);

/* Puts a forged segment (the scenario's `inject`) on the link now, as sent
 * by role `from` from endpoint src_ep to dst_ep: the link emits its events
 * (forged: true) and the arrival is written, re-encoded by packet_encode, into
 * the TUN of the side its destination address is on. Returns 0, or -1 when
 * out of memory. */
int bridge_inject(struct bridge *b, enum role from, int src_ep, int dst_ep, const struct segment *seg);

/* Microseconds until the next scheduled arrival (0 when one is due), or -1
 * when nothing is in flight. */
int64_t bridge_next_due(struct bridge *b);

/* The counts so far. */
void bridge_stats(const struct bridge *b, struct bridge_stats *out);

/* Why bridge_poll last returned -1 ("" when it never did). */
const char *bridge_error(const struct bridge *b);

/* Frees what b holds (segments still in flight are discarded, without
 * events). The TUN descriptors and the trace are the caller's. Safe on a
 * zeroed struct and twice. */
void bridge_free(struct bridge *b);

#endif
