/* test_sndbuf.c - the send queue (sim/tcp/sndbuf.c): the pattern by stream
 * offset, the bytes of `data:` sends as chunks, reads across chunk and
 * pattern boundaries, ACKs (drops) across chunks and within one, totals past
 * 2^32 with no wrap, and the bound on the total. */
#include <stdlib.h>
#include <string.h>
#include "proto/payload.h"
#include "tcp/sndbuf.h"
#include "tcp/tcp.h"
#include "testing.h"

#define GIB4 ((uint64_t)1 << 32)

/* Reads n bytes at `at` and compares them with want. */
static void expect_read(const struct sndbuf *b, uint64_t at, const char *want)
{
	static uint8_t scratch[SNDBUF_READ_MAX];
	uint32_t n = (uint32_t)strlen(want);
	const uint8_t *p = sndbuf_read(b, at, n, scratch);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(memcmp(p, want, n), 0);
}

static int count_chunks(const struct sndbuf *b)
{
	int n = 0;
	for (const struct snd_chunk *c = b->first; c; c = c->next)
		n++;
	return n;
}

/* A `bytes: N` send stores nothing, whatever N: the pattern is a function
 * of the stream offset. */
static void test_pattern_stores_nothing(void)
{
	struct sndbuf b = { 0 };
	CU_ASSERT_EQUAL(sndbuf_len(&b), 0);
	CU_ASSERT_EQUAL(sndbuf_append(&b, NULL, 30), 0);
	CU_ASSERT_EQUAL(sndbuf_len(&b), 30);
	CU_ASSERT_PTR_NULL(b.first);
	expect_read(&b, 0, "abcdefghijklmnopqrstuvwxyzabcd");
	expect_read(&b, 25, "zabcd");
	CU_ASSERT_EQUAL(sndbuf_append(&b, NULL, UINT32_MAX), 0);
	CU_ASSERT_EQUAL(sndbuf_len(&b), 30 + (uint64_t)UINT32_MAX);
	CU_ASSERT_PTR_NULL(b.first);
	sndbuf_free(&b);
}

/* Pattern, data, pattern: the pattern keeps counting the stream's offset
 * across the data (offsets 8..11 are "ijkl"); a read inside one chunk
 * points into it, a read across a boundary is assembled in scratch. */
static void test_read_across_chunk_boundaries(void)
{
	static uint8_t scratch[SNDBUF_READ_MAX];
	struct sndbuf b = { 0 };
	CU_ASSERT_EQUAL(sndbuf_append(&b, NULL, 5), 0);
	CU_ASSERT_EQUAL(sndbuf_append(&b, (const uint8_t *)"XYZ", 3), 0);
	CU_ASSERT_EQUAL(sndbuf_append(&b, NULL, 4), 0);
	CU_ASSERT_EQUAL(sndbuf_append(&b, (const uint8_t *)"12", 2), 0);
	CU_ASSERT_EQUAL(sndbuf_append(&b, (const uint8_t *)"34", 2), 0);
	CU_ASSERT_EQUAL(sndbuf_len(&b), 16);
	CU_ASSERT_EQUAL(count_chunks(&b), 3);
	expect_read(&b, 0, "abcdeXYZijkl1234");
	expect_read(&b, 3, "deXY");            /* pattern into data */
	expect_read(&b, 6, "YZij");            /* data into pattern */
	expect_read(&b, 11, "l12");
	expect_read(&b, 13, "234");            /* data into data */
	const uint8_t *in = sndbuf_read(&b, 5, 3, scratch);
	CU_ASSERT(in != scratch);              /* within one chunk: no copy */
	CU_ASSERT_EQUAL(memcmp(in, "XYZ", 3), 0);
	sndbuf_free(&b);
	CU_ASSERT_EQUAL(sndbuf_len(&b), 0);
	CU_ASSERT_PTR_NULL(b.first);
	CU_ASSERT_PTR_NULL(b.last);
}

/* An ACK that covers a chunk in part keeps it; one that passes chunks
 * frees them; offsets stay the stream's. */
static void test_ack_partial_and_across_chunks(void)
{
	struct sndbuf b = { 0 };
	CU_ASSERT_EQUAL(sndbuf_append(&b, (const uint8_t *)"ABCD", 4), 0);
	CU_ASSERT_EQUAL(sndbuf_append(&b, NULL, 3), 0);            /* "efg" */
	CU_ASSERT_EQUAL(sndbuf_append(&b, (const uint8_t *)"EF", 2), 0);
	CU_ASSERT_EQUAL(sndbuf_append(&b, (const uint8_t *)"GH", 2), 0);
	sndbuf_drop(&b, 2);                                         /* within the first chunk */
	CU_ASSERT_EQUAL(sndbuf_len(&b), 9);
	CU_ASSERT_EQUAL(count_chunks(&b), 3);
	expect_read(&b, 0, "CDefgEFGH");
	sndbuf_drop(&b, 6);                                         /* past "CD", "efg", "E" */
	CU_ASSERT_EQUAL(sndbuf_len(&b), 3);
	CU_ASSERT_EQUAL(count_chunks(&b), 2);
	expect_read(&b, 0, "FGH");
	sndbuf_drop(&b, 1);                                         /* exactly to a chunk's end */
	CU_ASSERT_EQUAL(count_chunks(&b), 1);
	CU_ASSERT_PTR_EQUAL(b.first, b.last);
	expect_read(&b, 0, "GH");
	sndbuf_drop(&b, 2);
	CU_ASSERT_EQUAL(sndbuf_len(&b), 0);
	CU_ASSERT_PTR_NULL(b.first);                                /* idle: nothing held */
	CU_ASSERT_PTR_NULL(b.last);
	/* The queue goes on from the stream offset it reached (11: 'l'). */
	CU_ASSERT_EQUAL(sndbuf_append(&b, (const uint8_t *)"Z", 1), 0);
	CU_ASSERT_EQUAL(sndbuf_append(&b, NULL, 2), 0);
	CU_ASSERT_PTR_EQUAL(b.first, b.last);
	expect_read(&b, 0, "Zmn");
	sndbuf_free(&b);
}

/* The reproducer's sizes: 1 then 2^32-1 bytes queue 2^32, and 2^31+1
 * bytes queue 2^31+1: no length wraps, the pattern at offsets past 2^32 is
 * the stream's, and data queued after them is found there. */
static void test_total_past_2_32_does_not_wrap(void)
{
	struct sndbuf b = { 0 };
	CU_ASSERT_EQUAL(sndbuf_append(&b, NULL, 1), 0);
	CU_ASSERT_EQUAL(sndbuf_append(&b, NULL, UINT32_MAX), 0);
	CU_ASSERT_EQUAL(sndbuf_len(&b), GIB4);
	CU_ASSERT_EQUAL(sndbuf_append(&b, (const uint8_t *)"Q", 1), 0);
	CU_ASSERT_EQUAL(sndbuf_append(&b, NULL, 2), 0);
	CU_ASSERT_EQUAL(sndbuf_len(&b), GIB4 + 3);
	char want[6] = {
		(char)payload_pattern_byte(GIB4 - 2), (char)payload_pattern_byte(GIB4 - 1), 'Q',
		(char)payload_pattern_byte(GIB4 + 1), (char)payload_pattern_byte(GIB4 + 2), 0,
	};
	expect_read(&b, GIB4 - 2, want);
	sndbuf_drop(&b, GIB4 - 1);             /* all but the last pattern byte before Q */
	CU_ASSERT_EQUAL(sndbuf_len(&b), 4);
	CU_ASSERT_EQUAL(b.head, GIB4 - 1);
	expect_read(&b, 0, want + 1);
	sndbuf_free(&b);

	CU_ASSERT_EQUAL(sndbuf_append(&b, NULL, ((uint32_t)1 << 31) + 1), 0);
	CU_ASSERT_EQUAL(sndbuf_len(&b), ((uint64_t)1 << 31) + 1);
	sndbuf_free(&b);
}

/* The documented bound: a send that would take the total queued over the
 * connection's life past UINT64_MAX is refused and changes nothing. */
static void test_total_bound_refused(void)
{
	struct sndbuf b = { 0 };
	b.head = b.tail = UINT64_MAX - 2;
	CU_ASSERT_EQUAL(sndbuf_append(&b, NULL, 2), 0);
	CU_ASSERT_EQUAL(sndbuf_append(&b, NULL, 1), -1);
	CU_ASSERT_EQUAL(sndbuf_append(&b, (const uint8_t *)"x", 1), -1);
	CU_ASSERT_EQUAL(b.tail, UINT64_MAX);
	CU_ASSERT_EQUAL(sndbuf_len(&b), 2);
	CU_ASSERT_PTR_NULL(b.first);
	sndbuf_free(&b);
}

TCPSIM_SUITE(sndbuf,
	{ "a bytes: send stores nothing, whatever its size", test_pattern_stores_nothing },
	{ "reads across pattern and data chunk boundaries", test_read_across_chunk_boundaries },
	{ "ACKs within a chunk and across chunks free what they pass", test_ack_partial_and_across_chunks },
	{ "totals of 2^32 and more do not wrap", test_total_past_2_32_does_not_wrap },
	{ "a total past UINT64_MAX is refused", test_total_bound_refused })
