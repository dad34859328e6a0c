/* pcap_out.h - writes every segment put on the wire (each SEGEV_SEND event,
 * forged ones included) to a capture file with libpcap: link type RAW (IPv4),
 * real IPv4 and TCP headers with valid checksums, timestamps from the trace. */
#ifndef TCPSIM_PCAP_OUT_H
#define TCPSIM_PCAP_OUT_H

#include <stddef.h>
#include <stdio.h>
#include "trace/trace.h"

struct pcap_out;

/* Returns NULL with a message in err when the file cannot be created. */
struct pcap_out *pcap_out_open(const char *path, char *err, size_t errlen);
/* The same on a stream opened for writing (an out_set file), which the
 * writer owns from then on: pcap_out_close closes it, and so does a failure
 * here. */
struct pcap_out *pcap_out_open_stream(FILE *f, char *err, size_t errlen);
struct trace_sink pcap_out_sink(struct pcap_out *po);
/* Flushes and closes; returns 0, or -1 with a message when a write failed. */
int pcap_out_close(struct pcap_out *po, char *err, size_t errlen);

#endif
