/* test_packet.c - IPv4/TCP encoding and decoding, and the Internet checksum. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "proto/packet.h"
#include "testing.h"

#define IP(a, b, c, d) (((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (uint32_t)(d))

/* The SYN of the contract's default client, IP ID 1: bytes computed
 * independently with Python's struct module and a separate RFC 1071 sum. */
static const uint8_t syn_vector[44] = {
	0x45, 0x00, 0x00, 0x2c, 0x00, 0x01, 0x40, 0x00, 0x40, 0x06, 0x26, 0xc9,
	0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02, 0x9c, 0x40, 0x00, 0x50,
	0x00, 0x00, 0x03, 0xe8, 0x00, 0x00, 0x00, 0x00, 0x60, 0x02, 0xff, 0xff,
	0xe3, 0xab, 0x00, 0x00, 0x02, 0x04, 0x05, 0xb4,
};

/* The server's "hello" (PSH|ACK, seq 5001, ack 1006), IP ID 7: an odd
 * length, so the checksum pads the last byte. Same independent source. */
static const uint8_t hello_vector[45] = {
	0x45, 0x00, 0x00, 0x2d, 0x00, 0x07, 0x40, 0x00, 0x40, 0x06, 0x26, 0xc2,
	0x0a, 0x00, 0x00, 0x02, 0x0a, 0x00, 0x00, 0x01, 0x00, 0x50, 0x9c, 0x40,
	0x00, 0x00, 0x13, 0x89, 0x00, 0x00, 0x03, 0xee, 0x50, 0x18, 0xff, 0xff,
	0xa3, 0xeb, 0x00, 0x00, 0x68, 0x65, 0x6c, 0x6c, 0x6f,
};

static struct segment make_syn(void)
{
	struct segment s = {
		.src_ip = IP(10, 0, 0, 1), .dst_ip = IP(10, 0, 0, 2),
		.src_port = 40000, .dst_port = 80,
		.seq = 1000, .ack = 0, .win = 65535, .flags = TH_SYN, .mss = 1460,
	};
	return s;
}

static struct segment make_hello(void)
{
	struct segment s = {
		.src_ip = IP(10, 0, 0, 2), .dst_ip = IP(10, 0, 0, 1),
		.src_port = 80, .dst_port = 40000,
		.seq = 5001, .ack = 1006, .win = 65535, .flags = TH_PSH | TH_ACK,
		.len = 5, .data = (const uint8_t *)"hello",
	};
	return s;
}

/* The RFC 1071 sum over bytes as they stand, written here independently of
 * sim/proto/packet.c: 0 when they hold a correct checksum. */
static uint16_t inet_sum(const uint8_t *p, size_t len, uint32_t start)
{
	uint32_t sum = start;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static uint32_t pseudo_sum(const uint8_t *ip, size_t tcp_len)
{
	uint32_t sum = 0;

	for (int i = 12; i < 20; i += 2)
		sum += (uint32_t)(ip[i] << 8 | ip[i + 1]);
	return sum + 6 + (uint32_t)tcp_len;
}

static void assert_checksums_verify(const uint8_t *pkt, size_t n)
{
	CU_ASSERT_EQUAL(inet_sum(pkt, 20, 0), 0);
	CU_ASSERT_EQUAL(inet_sum(pkt + 20, n - 20, pseudo_sum(pkt, n - 20)), 0);
	CU_ASSERT_EQUAL(packet_tcp_checksum(IP(pkt[12], pkt[13], pkt[14], pkt[15]),
					    IP(pkt[16], pkt[17], pkt[18], pkt[19]), pkt + 20, n - 20), 0);
}

static void assert_same_segment(const struct segment *a, const struct segment *b)
{
	CU_ASSERT_EQUAL(a->src_ip, b->src_ip);
	CU_ASSERT_EQUAL(a->dst_ip, b->dst_ip);
	CU_ASSERT_EQUAL(a->src_port, b->src_port);
	CU_ASSERT_EQUAL(a->dst_port, b->dst_port);
	CU_ASSERT_EQUAL(a->seq, b->seq);
	CU_ASSERT_EQUAL(a->ack, b->ack);
	CU_ASSERT_EQUAL(a->win, b->win);
	CU_ASSERT_EQUAL(a->flags, b->flags);
	CU_ASSERT_EQUAL(a->mss, b->mss);
	CU_ASSERT_EQUAL(a->len, b->len);
	if (a->len && a->data && b->data && a->len == b->len)
		CU_ASSERT_EQUAL(memcmp(a->data, b->data, a->len), 0);
}

static void test_syn_vector(void)
{
	struct segment s = make_syn();
	uint8_t buf[PACKET_MAX];
	size_t n = packet_encode(&s, 1, buf, sizeof(buf));

	CU_ASSERT_EQUAL_FATAL(n, sizeof(syn_vector));
	CU_ASSERT_EQUAL(memcmp(buf, syn_vector, n), 0);
}

static void test_odd_payload_vector(void)
{
	struct segment s = make_hello();
	uint8_t buf[PACKET_MAX];
	size_t n = packet_encode(&s, 7, buf, sizeof(buf));

	CU_ASSERT_EQUAL_FATAL(n, sizeof(hello_vector));
	CU_ASSERT_EQUAL(memcmp(buf, hello_vector, n), 0);
}

static void test_roundtrip_syn_mss(void)
{
	struct segment s = make_syn(), d;
	uint8_t buf[PACKET_MAX];
	const char *why = NULL;
	size_t n = packet_encode(&s, 1, buf, sizeof(buf));

	CU_ASSERT_EQUAL_FATAL(n, 44);
	CU_ASSERT_EQUAL(buf[32], 0x60);              /* data offset 6 */
	assert_checksums_verify(buf, n);
	CU_ASSERT_EQUAL_FATAL(packet_decode(buf, n, &d, &why), 0);
	assert_same_segment(&s, &d);
	CU_ASSERT_EQUAL(d.mss, 1460);
	CU_ASSERT_EQUAL(d.len, 0);
}

static void test_roundtrip_data(void)
{
	uint8_t payload[1000], buf[PACKET_MAX];
	struct segment s = make_hello(), d;
	const char *why = NULL;
	size_t n;

	for (size_t i = 0; i < sizeof(payload); i++)
		payload[i] = (uint8_t)(i * 7 + 3);
	s.data = payload;
	s.len = sizeof(payload);
	s.seq = 0xfffffff0u;                         /* high bits survive */
	s.ack = 0x80000001u;
	n = packet_encode(&s, 0xffff, buf, sizeof(buf));
	CU_ASSERT_EQUAL_FATAL(n, 40 + sizeof(payload));
	CU_ASSERT_EQUAL(buf[32], 0x50);              /* data offset 5: no option */
	CU_ASSERT_EQUAL(buf[4], 0xff);
	CU_ASSERT_EQUAL(buf[5], 0xff);
	assert_checksums_verify(buf, n);
	CU_ASSERT_EQUAL_FATAL(packet_decode(buf, n, &d, &why), 0);
	assert_same_segment(&s, &d);
	CU_ASSERT_PTR_EQUAL(d.data, buf + 40);
}

static void test_roundtrip_rst(void)
{
	struct segment s = {
		.src_ip = IP(192, 168, 255, 254), .dst_ip = IP(10, 0, 0, 1),
		.src_port = 80, .dst_port = 40000,
		.seq = 0, .ack = 1001, .win = 0, .flags = TH_RST | TH_ACK,
	}, d;
	uint8_t buf[PACKET_MAX];
	const char *why = NULL;
	size_t n = packet_encode(&s, 42, buf, sizeof(buf));

	CU_ASSERT_EQUAL_FATAL(n, 40);
	CU_ASSERT_EQUAL(buf[33], 0x14);
	assert_checksums_verify(buf, n);
	CU_ASSERT_EQUAL_FATAL(packet_decode(buf, n, &d, &why), 0);
	assert_same_segment(&s, &d);
}

static void test_null_payload_is_zeros(void)
{
	struct segment s = make_hello(), d;
	uint8_t buf[PACKET_MAX];
	size_t n;

	s.data = NULL;
	s.len = 3;
	memset(buf, 0xaa, sizeof(buf));
	n = packet_encode(&s, 1, buf, sizeof(buf));
	CU_ASSERT_EQUAL_FATAL(n, 43);
	CU_ASSERT_EQUAL(buf[40], 0);
	CU_ASSERT_EQUAL(buf[41], 0);
	CU_ASSERT_EQUAL(buf[42], 0);
	assert_checksums_verify(buf, n);
	CU_ASSERT_EQUAL_FATAL(packet_decode(buf, n, &d, NULL), 0);
	CU_ASSERT_EQUAL(d.len, 3);
}

static void test_encode_too_small_or_too_large(void)
{
	struct segment s = make_syn();
	uint8_t buf[PACKET_MAX];

	CU_ASSERT_EQUAL(packet_encode(&s, 1, buf, 43), 0);
	CU_ASSERT_EQUAL(packet_encode(&s, 1, buf, 44), 44);
	s.mss = 0;
	s.data = NULL;
	s.len = 65535 - 40;
	CU_ASSERT_EQUAL(packet_encode(&s, 1, buf, sizeof(buf)), 65535);
	assert_checksums_verify(buf, 65535);
	s.len = 65535 - 39;
	CU_ASSERT_EQUAL(packet_encode(&s, 1, buf, sizeof(buf)), 0);
	s.len = UINT32_MAX;
	CU_ASSERT_EQUAL(packet_encode(&s, 1, buf, sizeof(buf)), 0);
}

/* Known answer for the bare checksum function: RFC 1071 section 3's
 * example bytes summed as a "TCP segment" with an all-zero pseudo-header
 * but for protocol 6 and the length 8. */
static void test_checksum_known_answer(void)
{
	static const uint8_t bytes[8] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };

	/* RFC 1071: the sum of these words is 0xddf2; + 6 + 8 = 0xde00. */
	CU_ASSERT_EQUAL(packet_tcp_checksum(0, 0, bytes, sizeof(bytes)), (uint16_t)~0xde00);
}

static void expect_reject(const uint8_t *buf, size_t len)
{
	struct segment d;
	const char *why = NULL;

	CU_ASSERT_EQUAL(packet_decode(buf, len, &d, &why), -1);
	CU_ASSERT_PTR_NOT_NULL(why);
}

static void test_decode_rejects(void)
{
	struct segment s = make_syn(), d;
	uint8_t good[PACKET_MAX], bad[PACKET_MAX];
	size_t n = packet_encode(&s, 1, good, sizeof(good));

	CU_ASSERT_EQUAL_FATAL(n, 44);
	/* Every truncation. */
	for (size_t i = 0; i < n; i++)
		expect_reject(good, i);
	expect_reject(NULL, 0);
	/* Version 6. */
	memcpy(bad, good, n);
	bad[0] = 0x65;
	expect_reject(bad, n);
	/* IHL 4, and IHL 15 with only 44 bytes. */
	memcpy(bad, good, n);
	bad[0] = 0x44;
	expect_reject(bad, n);
	bad[0] = 0x4f;
	expect_reject(bad, n);
	/* UDP. */
	memcpy(bad, good, n);
	bad[9] = 17;
	expect_reject(bad, n);
	/* Total length past the buffer, and below the header. */
	memcpy(bad, good, n);
	bad[3] = 45;
	expect_reject(bad, n);
	bad[3] = 19;
	expect_reject(bad, n);
	/* Total length that leaves no room for the TCP header. */
	bad[3] = 39;
	expect_reject(bad, n);
	/* TCP data offset 4, and 7 (28 bytes, only 24 there). */
	memcpy(bad, good, n);
	bad[32] = 0x40;
	expect_reject(bad, n);
	bad[32] = 0x70;
	expect_reject(bad, n);
	/* An option whose length runs past the header; a zero length; a
	 * kind with no room for its length byte; an MSS of length 3. */
	memcpy(bad, good, n);
	bad[41] = 8;
	expect_reject(bad, n);
	bad[41] = 0;
	expect_reject(bad, n);
	memcpy(bad, good, n);
	bad[40] = 1; bad[41] = 1; bad[42] = 1; bad[43] = 9;   /* NOP NOP NOP kind-9 */
	expect_reject(bad, n);
	memcpy(bad, good, n);
	bad[41] = 3;
	expect_reject(bad, n);
	/* An unknown kind of length 0 or 1 (which would never advance). */
	memcpy(bad, good, n);
	bad[40] = 9;
	bad[41] = 0;
	expect_reject(bad, n);
	bad[41] = 1;
	expect_reject(bad, n);
	/* A fragment. */
	memcpy(bad, good, n);
	bad[6] = 0x20;
	expect_reject(bad, n);

	/* Trailing link padding after the total length is ignored. */
	memcpy(bad, good, n);
	memset(bad + n, 0, 6);
	CU_ASSERT_EQUAL(packet_decode(bad, n + 6, &d, NULL), 0);
	CU_ASSERT_EQUAL(d.len, 0);
	CU_ASSERT_EQUAL(d.mss, 1460);
}

static void test_decode_skips_other_options(void)
{
	/* Data offset 10: NOP, NOP, timestamps (10 bytes), MSS 536, EOL, then
	 * bytes that EOL says to ignore. */
	uint8_t buf[60] = { 0 };
	struct segment d;

	memcpy(buf, syn_vector, 20);
	buf[3] = sizeof(buf);
	buf[20 + 12] = 0xa0;
	buf[20 + 13] = TH_SYN;
	buf[40] = 1;
	buf[41] = 1;
	buf[42] = 8;
	buf[43] = 10;
	buf[52] = 2;
	buf[53] = 4;
	buf[54] = 0x02;
	buf[55] = 0x18;
	buf[56] = 0;
	buf[57] = 0xee;
	buf[58] = 0xee;
	CU_ASSERT_EQUAL_FATAL(packet_decode(buf, sizeof(buf), &d, NULL), 0);
	CU_ASSERT_EQUAL(d.mss, 536);
	CU_ASSERT_EQUAL(d.len, 0);
	CU_ASSERT_EQUAL(d.flags, TH_SYN);
	CU_ASSERT_PTR_EQUAL(d.data, buf + 60);
}

/* Random bytes, and random mutations of a good packet: never a crash (ASan
 * and UBSan watch), and whatever is accepted has consistent lengths. */
static void test_decode_junk(void)
{
	uint8_t good[PACKET_MAX], buf[128];
	struct segment s = make_hello(), d;
	size_t n = packet_encode(&s, 1, good, sizeof(good));
	unsigned int state = 12345;
	int accepted = 0;

	for (int round = 0; round < 200000; round++) {
		size_t len;

		state = state * 1103515245u + 12345u;
		len = (state >> 16) % sizeof(buf);
		if (round & 1) {
			for (size_t i = 0; i < len; i++) {
				state = state * 1103515245u + 12345u;
				buf[i] = (uint8_t)(state >> 16);
			}
		} else {
			len = n;
			memcpy(buf, good, n);
			for (int k = 0; k < 3; k++) {
				state = state * 1103515245u + 12345u;
				buf[(state >> 16) % n] = (uint8_t)(state >> 8);
			}
		}
		/* Copy into an exactly sized heap block so ASan sees overreads. */
		uint8_t *exact = malloc(len ? len : 1);

		CU_ASSERT_PTR_NOT_NULL_FATAL(exact);
		memcpy(exact, buf, len);
		if (packet_decode(exact, len, &d, NULL) == 0) {
			accepted++;
			CU_ASSERT(d.data >= exact && d.data + d.len <= exact + len);
		}
		free(exact);
	}
	CU_ASSERT(accepted > 0);
}

/* The word-wise sum of sim/proto/packet.c against inet_sum above (byte by byte)
 * on random bytes of every length from 0 to 1499 and seven alignments. */
static void test_checksum_matches_reference(void)
{
	static uint8_t buf[1600];
	uint32_t x = 12345;
	for (int round = 0; round < 3000; round++) {
		size_t off = (size_t)round % 7, len = (size_t)(round * 7919u) % 1500;
		for (size_t i = 0; i < len + off; i++) {
			x = x * 1664525u + 1013904223u;
			buf[i] = (uint8_t)(round % 5 == 0 ? 0xff : x >> 24);   /* all-ones bytes test the carries */
		}
		uint32_t src = x, dst = x * 3u + 1u;
		uint32_t pseudo = (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) + 6 + (uint32_t)len;
		CU_ASSERT_EQUAL_FATAL(packet_tcp_checksum(src, dst, buf + off, len),
				      inet_sum(buf + off, len, pseudo));
	}
}

/* packet_encode sums the header fields as numbers: its checksums, on random
 * segments (all-ones fields for the carries, odd payloads, with and without
 * MSS), verify with the byte-wise reference over the bytes it wrote. */
static void test_encode_checksums_random(void)
{
	static uint8_t payload[1500], pkt[PACKET_MAX];
	uint32_t x = 777;
	for (int round = 0; round < 4000; round++) {
		bool ones = round % 7 == 0;
		uint32_t r[8];
		for (int i = 0; i < 8; i++) {
			x = x * 1664525u + 1013904223u;
			r[i] = ones ? 0xffffffffu : x;
		}
		struct segment s = {
			.src_ip = r[0], .dst_ip = r[1], .src_port = (uint16_t)r[2], .dst_port = (uint16_t)(r[2] >> 16),
			.seq = r[3], .ack = r[4], .win = (uint16_t)r[5], .flags = (uint8_t)(r[5] >> 16),
			.mss = round % 3 ? 0 : (uint16_t)(r[6] | 1), .len = (uint32_t)(r[7] % 1461),
		};
		for (uint32_t i = 0; i < s.len; i++) {
			x = x * 1664525u + 1013904223u;
			payload[i] = ones ? 0xff : (uint8_t)(x >> 24);
		}
		s.data = round % 11 == 0 ? NULL : payload;
		size_t n = packet_encode(&s, (uint16_t)(ones ? 0xffff : r[6] >> 8), pkt, sizeof pkt);
		CU_ASSERT_FATAL(n == 40 + (s.mss ? 4 : 0) + s.len);
		CU_ASSERT_EQUAL_FATAL(inet_sum(pkt, 20, 0), 0);
		CU_ASSERT_EQUAL_FATAL(inet_sum(pkt + 20, n - 20, pseudo_sum(pkt, n - 20)), 0);
	}
}

TCPSIM_SUITE(packet,
	{ "encoded checksums verify on random segments", test_encode_checksums_random },
	{ "the checksum equals the byte-wise reference sum", test_checksum_matches_reference },
	{ "SYN with MSS matches independently computed bytes", test_syn_vector },
	{ "odd-length payload matches independently computed bytes", test_odd_payload_vector },
	{ "SYN with MSS round trip, checksums verify", test_roundtrip_syn_mss },
	{ "data segment round trip, checksums verify", test_roundtrip_data },
	{ "RST round trip, checksums verify", test_roundtrip_rst },
	{ "NULL payload is written as zeros", test_null_payload_is_zeros },
	{ "encode refuses what does not fit", test_encode_too_small_or_too_large },
	{ "checksum known answer (RFC 1071 example)", test_checksum_known_answer },
	{ "decode rejects malformed packets", test_decode_rejects },
	{ "decode skips unknown options", test_decode_skips_other_options },
	{ "decode survives junk", test_decode_junk })
