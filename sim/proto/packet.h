/* packet.h - segments as IPv4/TCP packets on the wire (RFC 791, RFC 9293 section 3.1). */
#ifndef TCPSIM_PACKET_H
#define TCPSIM_PACKET_H

#include <stddef.h>
#include <stdint.h>
#include "proto/segment.h"

#define PACKET_MAX (20 + 60 + 65535)

/* Writes seg as an IPv4 packet (no IP options, TTL 64, DF, the given ID) with a
 * TCP header carrying the MSS option when seg->mss != 0, valid checksums.
 * Returns the packet's length, or 0 when it does not fit in cap. */
size_t packet_encode(const struct segment *seg, uint16_t ip_id, uint8_t *buf, size_t cap);
/* The length packet_encode() gives seg: the IPv4 and TCP headers (the MSS
 * option when seg->mss != 0) and the payload. */
static inline size_t packet_size(const struct segment *seg)
{
	return 20 + 20 + (seg->mss ? 4 : 0) + (size_t)seg->len;   /* IPv4, TCP, MSS option */
}

/* Parses an IPv4/TCP packet that may come from anywhere (the replay reads
 * packets from the kernel). Checks lengths, versions and the TCP protocol;
 * does not require valid checksums. seg->data points into buf.
 * Returns 0, or -1 with a short reason in *why for a packet that is not a
 * well-formed IPv4 TCP packet. */
int packet_decode(const uint8_t *buf, size_t len, struct segment *seg, const char **why);

/* The Internet checksum (RFC 1071) of a TCP segment with its IPv4 pseudo-header. */
uint16_t packet_tcp_checksum(uint32_t src_ip, uint32_t dst_ip, const uint8_t *tcp, size_t tcp_len);

#endif
