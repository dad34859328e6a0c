/* pcapng_out.h - a capture in the pcapng format (the IETF draft
 * "PCAP Next Generation Dump File Format", draft-ietf-opsawg-pcapng): one
 * section whose header says what made it and carries a comment (the
 * scenario's name and summary), interfaces of their own (a capture at the
 * client, one at the server), and each packet an Enhanced Packet Block on
 * one of them, with comments of its own ("retransmission (RTO 2)").
 * Wireshark lists the comments under "Packet comments"; `tshark -Y
 * frame.comment` filters them. Little-endian whatever the host, so the
 * same packets give the same bytes everywhere. */
#ifndef TCPSIM_PCAPNG_OUT_H
#define TCPSIM_PCAPNG_OUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "base/duration.h"

#define PCAPNG_LINKTYPE_RAW 101      /* IPv4 or IPv6, no link header */

struct pcapng_out;

/* Starts the file on f (which the writer owns from then on: pcapng_close
 * closes it, and so does a failure here) with its section header: comment
 * (NULL: none) and the application that wrote it. Returns the writer, or
 * NULL with a message in err. */
struct pcapng_out *pcapng_open_stream(FILE *f, const char *comment, const char *application, char *err,
				      size_t errlen);
/* Describes the next interface (numbered from 0 in the order added):
 * its link type, a name and a description (NULL: none). Call before the
 * first packet. Returns its number, or -1 (the error is kept for close). */
int pcapng_add_interface(struct pcapng_out *p, uint16_t linktype, const char *name, const char *description);
/* One packet seen on interface iface at time t (microseconds), len bytes,
 * with n comments (each a line of UTF-8). Returns 0, or -1 (kept for close). */
int pcapng_packet(struct pcapng_out *p, int iface, usec_t t, const uint8_t *data, size_t len,
		  const char *const *comments, size_t n);
/* Flushes and closes; returns 0, or -1 with a message in err when something
 * could not be written (NULL p is allowed). */
int pcapng_close(struct pcapng_out *p, char *err, size_t errlen);

#endif
