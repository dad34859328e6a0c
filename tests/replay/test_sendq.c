/* test_sendq.c - the replay's send queue: bytes come out in the order they
 * went in, whatever the pieces, and queueing and sending N bytes copies
 * O(N) bytes (the replay used to memmove the whole queue after every
 * partial send: O(N^2 / piece)). The bound is on bytes copied, counted by
 * the queue, not on time. */
#include <stdlib.h>
#include <string.h>
#include "replay/sendq.h"
#include "testing.h"

/* Byte i of the stream. */
static uint8_t byte_at(uint64_t i)
{
	return (uint8_t)(i * 131 + (i >> 8));
}

/* Appends total bytes in pieces of `in` while a socket takes pieces of
 * `out` after each append (and after the last one, until none is left);
 * checks every byte taken and returns the bytes copied. */
static uint64_t stream(uint64_t total, size_t in, size_t out)
{
	struct sendq q = SENDQ_INIT;
	uint64_t put = 0, got = 0;
	int bad = 0;

	while (got < total) {
		if (put < total) {
			size_t n = total - put < in ? (size_t)(total - put) : in;
			uint8_t *p = sendq_extend(&q, n);
			CU_ASSERT_PTR_NOT_NULL_FATAL(p);
			for (size_t i = 0; i < n; i++)
				p[i] = byte_at(put + i);
			put += n;
		}
		size_t len = sendq_len(&q);
		size_t take = len < out ? len : out;
		const uint8_t *d = sendq_data(&q);
		for (size_t i = 0; i < take; i++)
			bad += d[i] != byte_at(got + i);
		sendq_consume(&q, take);
		got += take;
		CU_ASSERT_EQUAL(sendq_len(&q), put - got);
	}
	CU_ASSERT_EQUAL(bad, 0);
	CU_ASSERT_EQUAL(sendq_len(&q), 0);
	uint64_t moved = q.moved;
	sendq_free(&q);
	return moved;
}

/* One big send taken 1000 bytes at a time (the replay's case: a write of a
 * megabyte, the socket taking what its buffer holds on every ACK). */
static void test_big_send_small_takes(void)
{
	uint64_t total = 4u << 20;
	uint64_t moved = stream(total, (size_t)total, 1000);
	CU_ASSERT(moved <= 4 * total);
}

/* The application writes faster than the socket takes: the queue grows,
 * and the front is taken meanwhile. */
static void test_writer_ahead(void)
{
	uint64_t total = 2u << 20;
	uint64_t moved = stream(total, 3000, 1000);
	CU_ASSERT(moved <= 4 * total);
}

/* The socket keeps up: pieces of every size, nothing lost or reordered. */
static void test_socket_keeps_up(void)
{
	for (size_t in = 1; in < 5000; in = in * 3 + 1)
		for (size_t out = 1; out < 5000; out = out * 5 + 2) {
			uint64_t total = 50000;
			CU_ASSERT(stream(total, in, out) <= 4 * total);
		}
}

static void test_empty(void)
{
	struct sendq q = SENDQ_INIT;
	CU_ASSERT_EQUAL(sendq_len(&q), 0);
	sendq_consume(&q, 10);          /* more than queued: nothing */
	CU_ASSERT_EQUAL(sendq_len(&q), 0);
	CU_ASSERT_PTR_NOT_NULL(sendq_extend(&q, 1));
	CU_ASSERT_EQUAL(sendq_len(&q), 1);
	sendq_free(&q);
	sendq_free(&q);
}

TCPSIM_SUITE(sendq,
	{ "a big send taken in small pieces copies O(N) bytes", test_big_send_small_takes },
	{ "a writer ahead of the socket copies O(N) bytes", test_writer_ahead },
	{ "every piece size: bytes in order", test_socket_keeps_up },
	{ "an empty queue", test_empty })
