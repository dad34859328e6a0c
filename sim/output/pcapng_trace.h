/* pcapng_trace.h - the run's capture that explains itself (NAME.pcapng):
 * the same packets as NAME.pcap, each seen where a capture on each host
 * would see it, with what the trace knows of it as a packet comment.
 *
 * - Two interfaces: 0 a capture at the client, 1 at the server. A packet
 *   is a frame on its sender's interface when sent, and one on its
 *   receiver's when it arrives (the link's delay between the two); one the
 *   link lost appears at the sender only. `tshark -r F -Y
 *   'frame.interface_id==1'` is the server's view.
 * - Comments: on a sent frame, "retransmission (RTO 2)", "forged
 *   (inject)", "dropped by the link", "duplicated by the link"; on an
 *   arrival, "copy of frame N, 50.0 ms on the link", what it made the
 *   receiver do ("client: FIN_WAIT_1 -> CLOSING (T15)", "client: rcv FIN
 *   again (S16)"), or "dropped by the receiver: backlog full".
 * - The section header: the scenario's name and summary, and tcpsim.
 *
 * Only the endpoints given are captured (the shown connection of a run of
 * many: its client, server and listener), so a run of a million
 * connections costs a check per event. */
#ifndef TCPSIM_PCAPNG_TRACE_H
#define TCPSIM_PCAPNG_TRACE_H

#include <stddef.h>
#include <stdio.h>
#include "trace/trace.h"

struct pcapng_trace;

/* Writes on f (the writer owns it from then on, as pcapng_open_stream)
 * the packets of endpoints keep[0..n_keep) (n_keep 0: all). Returns NULL
 * with a message in err when out of memory. */
struct pcapng_trace *pcapng_trace_open(FILE *f, const int *keep, int n_keep, char *err, size_t errlen);
struct trace_sink pcapng_trace_sink(struct pcapng_trace *pt);
/* Writes what is left, closes; returns 0, or -1 with a message in err. */
int pcapng_trace_close(struct pcapng_trace *pt, char *err, size_t errlen);

#endif
