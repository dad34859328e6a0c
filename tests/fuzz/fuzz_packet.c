/* fuzz_packet.c - libFuzzer target for the two parsers of untrusted text:
 * packet_decode() (the replay reads packets from the kernel) and
 * seg_line_parse() (expect.segments in a scenario).
 *
 * A packet that decodes must encode again with valid checksums and decode
 * to the same fields; a segment line that parses must format and parse
 * again to the same fields. A rejection must say why. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "proto/packet.h"
#include "proto/segline.h"

#define LINE_MAX_FORMATTED 512

/* Stops the run with a message: libFuzzer records the input as a crash. */
static void die(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_packet: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
	abort();
}

/* The RFC 1071 sum of the IPv4 header as it stands: 0 when it is right. */
static uint16_t ip_header_sum(const uint8_t *p)
{
	uint32_t sum = 0;

	for (int i = 0; i < 20; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Every field of two decoded segments, and their payloads. */
static bool same_segment(const struct segment *a, const struct segment *b)
{
	return a->src_ip == b->src_ip && a->dst_ip == b->dst_ip && a->src_port == b->src_port &&
	       a->dst_port == b->dst_port && a->seq == b->seq && a->ack == b->ack &&
	       a->win == b->win && a->flags == b->flags && a->mss == b->mss && a->len == b->len &&
	       (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

/* Decode; when it decodes, encode and decode again. */
static void check_packet(const uint8_t *data, size_t size)
{
	static uint8_t buf[PACKET_MAX];
	struct segment a, b;
	const char *why = NULL;
	size_t n;

	if (packet_decode(data, size, &a, &why) < 0) {
		if (!why || !why[0])
			die("a packet rejected without a reason", NULL);
		return;
	}
	if (a.len && (a.data < data || a.data + a.len > data + size))
		die("the payload points outside the packet", NULL);
	n = packet_encode(&a, 0x1234, buf, sizeof(buf));
	if (n != 40u + (a.mss ? 4u : 0u) + a.len)
		die("a decoded segment does not encode to its size", NULL);
	if (ip_header_sum(buf) != 0 || packet_tcp_checksum(a.src_ip, a.dst_ip, buf + 20, n - 20) != 0)
		die("a bad checksum in an encoded packet", NULL);
	if (packet_decode(buf, n, &b, &why) < 0)
		die("an encoded packet does not decode", why);
	if (!same_segment(&a, &b))
		die("the segment's fields do not survive encode and decode", NULL);
}

/* Every field of two parsed lines. */
static bool same_line(const struct seg_line *a, const struct seg_line *b)
{
	return a->has_time == b->has_time && a->time_relative == b->time_relative &&
	       a->time_us == b->time_us && strcmp(a->src, b->src) == 0 && strcmp(a->dst, b->dst) == 0 &&
	       a->flags == b->flags && a->has_seq == b->has_seq && a->seq == b->seq &&
	       a->end == b->end && a->len == b->len && a->has_ack == b->has_ack && a->ack == b->ack &&
	       a->has_win == b->has_win && a->win == b->win && a->has_mss == b->has_mss &&
	       a->mss == b->mss && a->dropped == b->dropped;
}

/* Parse the bytes as a line (up to a NUL); when it parses, format and
 * parse again. */
static void check_line(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), out[LINE_MAX_FORMATTED], again[LINE_MAX_FORMATTED];
	char err[256];
	struct seg_line a, b;
	int col = -1;

	if (!text)
		return;
	memcpy(text, data, size);
	text[size] = '\0';
	err[0] = '\0';
	if (seg_line_parse(text, &a, &col, err, sizeof(err)) < 0) {
		if (col < 0 || (size_t)col > strlen(text) || !err[0])
			die("a line rejected without a column and a reason", err);
		free(text);
		return;
	}
	free(text);
	seg_line_format(&a, out, sizeof(out));
	if (strlen(out) >= sizeof(out) - 1)
		die("a formatted line fills the buffer", out);
	if (seg_line_parse(out, &b, &col, err, sizeof(err)) < 0) {
		fprintf(stderr, "fuzz_packet: '%s' at %d: %s\n", out, col, err);
		die("a formatted line does not parse", out);
	}
	if (!same_line(&a, &b) || !seg_line_matches(&a, &b) || !seg_line_matches(&b, &a))
		die("the line's fields do not survive format and parse", out);
	seg_line_format(&b, again, sizeof(again));
	if (strcmp(out, again) != 0)
		die("formatting is not stable", again);
}

/* One input, read both ways. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_packet(data, size);
	check_line(data, size);
	return 0;
}
