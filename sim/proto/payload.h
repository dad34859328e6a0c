#ifndef TCPSIM_PAYLOAD_H
#define TCPSIM_PAYLOAD_H
/* The bytes a scenario's `send: {bytes: N}` sends: the stream is the letters
 * a..z repeated, so that its byte at any offset is known without storing it.
 * The simulated TCP sends it (tcp/sndbuf.c) and the replay writes the same to
 * the kernel's sockets (replay/replay.c), so the two pcaps carry equal data. */
#include <stdint.h>
#include <string.h>

/* The byte the app's stream holds at offset i when sent as `bytes: N`. */
static inline uint8_t payload_pattern_byte(uint64_t i) { return (uint8_t)('a' + i % 26); }
/* Writes the pattern's bytes at offsets off .. off+len-1 to p. */
static inline void payload_pattern_fill(uint8_t *p, uint64_t off, uint32_t len)
{
	static const char abc[] = "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz";
	uint32_t k = (uint32_t)(off % 26);
	while (len) {
		uint32_t n = len < 26 ? len : 26;
		memcpy(p, abc + k, n);
		p += n;
		len -= n;
	}
}

#endif
