/* test_decimal.c - the one reader of unsigned decimal numbers: digits only,
 * the whole of 2^64-1 and no further, nothing else taken (the command line
 * used strtoull, which let `--seed ' +5'` through where the scenario's
 * `seed: +5` was refused). */
#include <string.h>
#include "base/decimal.h"
#include "testing.h"

/* decimal_u64 over all of s. */
static int read_all(const char *s, uint64_t *v)
{
	return decimal_u64(s, strlen(s), v);
}

static void test_digits(void)
{
	uint64_t v = 7;
	CU_ASSERT_EQUAL(read_all("0", &v), 0);
	CU_ASSERT_EQUAL(v, 0);
	CU_ASSERT_EQUAL(read_all("0042", &v), 0);
	CU_ASSERT_EQUAL(v, 42);
	CU_ASSERT_EQUAL(read_all("18446744073709551615", &v), 0);
	CU_ASSERT_EQUAL(v, UINT64_MAX);
	CU_ASSERT_EQUAL(decimal_u64("12..34", 2, &v), 0);   /* a length, not a terminator */
	CU_ASSERT_EQUAL(v, 12);
}

static void test_refused(void)
{
	static const char *const bad[] = { "", "18446744073709551616", "99999999999999999999", "+5", "-1", " 5",
					   "5 ", "0x10", "1e3", "1.0", "５" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		uint64_t v = 7;
		CU_ASSERT_EQUAL(read_all(bad[i], &v), -1);
		CU_ASSERT_EQUAL(v, 7);   /* untouched */
	}
}

TCPSIM_SUITE(decimal,
	     { "digits, up to 2^64-1", test_digits },
	     { "signs, spaces, prefixes, overflow refused", test_refused })
