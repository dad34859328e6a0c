/* test_seq.c - sequence-number arithmetic modulo 2^32 (RFC 9293 section 3.4). */
#include "proto/seq.h"
#include "testing.h"

static void test_order_plain(void)
{
	CU_ASSERT_TRUE(seq_lt(1, 2));
	CU_ASSERT_FALSE(seq_lt(2, 2));
	CU_ASSERT_TRUE(seq_le(2, 2));
	CU_ASSERT_TRUE(seq_gt(3, 2));
	CU_ASSERT_TRUE(seq_ge(3, 3));
	CU_ASSERT_FALSE(seq_gt(2, 3));
}

static void test_order_wraps(void)
{
	/* 0xffffff00 is before 0x10 once the space wraps. */
	CU_ASSERT_TRUE(seq_lt(0xffffff00u, 0x10u));
	CU_ASSERT_TRUE(seq_gt(0x10u, 0xffffff00u));
	CU_ASSERT_TRUE(seq_le(0xffffffffu, 0u));
	CU_ASSERT_FALSE(seq_lt(0u, 0xffffffffu));
	/* Half the space apart: the sign of the difference decides. */
	CU_ASSERT_TRUE(seq_lt(0u, 0x7fffffffu));
	CU_ASSERT_TRUE(seq_gt(0u, 0x80000001u));
}

static void test_window(void)
{
	CU_ASSERT_TRUE(seq_in_window(100, 100, 10));
	CU_ASSERT_TRUE(seq_in_window(109, 100, 10));
	CU_ASSERT_FALSE(seq_in_window(110, 100, 10));
	CU_ASSERT_FALSE(seq_in_window(99, 100, 10));
	CU_ASSERT_FALSE(seq_in_window(100, 100, 0));
	/* A window across the wrap. */
	CU_ASSERT_TRUE(seq_in_window(5, 0xfffffff0u, 0x20));
	CU_ASSERT_FALSE(seq_in_window(0x10, 0xfffffff0u, 0x20));
	CU_ASSERT_EQUAL(seq_max(0xfffffff0u, 5), 5u);
}

TCPSIM_SUITE(seq,
	{ "order of plain numbers", test_order_plain },
	{ "order across the wrap", test_order_wraps },
	{ "window test lo =< x < lo+len", test_window })
