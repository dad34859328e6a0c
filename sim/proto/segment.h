/* segment.h - a TCP segment as the simulator, the link and the outputs see it. */
#ifndef TCPSIM_SEGMENT_H
#define TCPSIM_SEGMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_RST 0x04
#define TH_PSH 0x08
#define TH_ACK 0x10
#define TH_URG 0x20

/* Header fields in host byte order; absolute sequence numbers. */
struct segment {
	uint32_t src_ip, dst_ip;
	uint16_t src_port, dst_port;
	uint32_t seq, ack;
	uint16_t win;
	uint8_t flags;
	uint16_t mss;          /* MSS option value; 0: no option */
	uint32_t len;          /* payload bytes */
	const uint8_t *data;   /* the payload, len bytes; NULL allowed when len == 0 */
};

/* SEG.LEN of RFC 9293 section 3.4: payload plus one for SYN and one for FIN. */
static inline uint32_t seg_seqlen(const struct segment *s)
{
	return s->len + ((s->flags & TH_SYN) ? 1u : 0u) + ((s->flags & TH_FIN) ? 1u : 0u);
}

/* tcpdump's letters, in tcpdump's order: "S", "S.", ".", "P.", "F.", "FP.", "R", "R.".
 * out must hold 8 bytes. A segment with no flag at all is written "none". */
void tcp_flags_format(uint8_t flags, char out[8]);
/* The inverse, letters in any order ("." is ACK); "none" or packetdrill's "-"
 * for no flag at all. Returns 0, or -1 for a letter that is no flag, an empty
 * string, or a letter given twice. */
int tcp_flags_parse(const char *text, uint8_t *flags);

#endif
