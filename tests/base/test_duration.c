/* test_duration.c - durations with units, and the time format. */
#include "base/duration.h"
#include "testing.h"

static void test_parse_units(void)
{
	static const struct {
		const char *text;
		usec_t us;
	} cases[] = {
		{ "0", 0 },
		{ "0ms", 0 },
		{ "0.0s", 0 },
		{ "40us", 40 },
		{ "250ms", 250000 },
		{ "1s", 1000000 },
		{ "1.5s", 1500000 },
		{ "1.050s", 1050000 },
		{ "0.5ms", 500 },
		{ "0.001ms", 1 },
		{ "0.000001s", 1 },
		{ "1.0000000000s", 1000000 },   /* trailing zeros are harmless */
		{ "2min", 120000000 },
		{ "1.5min", 90000000 },
		{ "10min", 600000000 },
		{ "007s", 7000000 },
		{ "18446744073709551615us", UINT64_MAX },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		usec_t v = 12345;
		CU_ASSERT_EQUAL(duration_parse(cases[i].text, &v), 0);
		CU_ASSERT_EQUAL(v, cases[i].us);
	}
}

static void test_parse_rejects(void)
{
	static const char *const bad[] = {
		"", "5", "1.5", "-5ms", "-0", "+5ms", "5 ms", " 5ms", "5ms ", "5MS", "5sec", "5m",
		"5h", "ms", ".5s", "5.s", "1..5s", "1.5.0s", "0x10ms", "1e3ms", "5msx", "abc",
		"0.5us", "0.0000001s", "0.00000001min", "18446744073709551616us",
		"18446744073709552s", "307445734561825861min", "99999999999999999999999999s",
		"1.0000000001s",
	};
	usec_t v = 777;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CU_ASSERT_EQUAL(duration_parse(bad[i], &v), -1);
	CU_ASSERT_EQUAL(duration_parse(NULL, &v), -1);
	CU_ASSERT_EQUAL(v, 777);
}

static void test_parse_limits(void)
{
	usec_t v;

	/* 307445734561 min = 18446744073660000000 us fits; one more does not. */
	CU_ASSERT_EQUAL(duration_parse("307445734561min", &v), 0);
	CU_ASSERT_EQUAL(v, 307445734561ull * 60000000ull);
	CU_ASSERT_EQUAL(duration_parse("307445734562min", &v), -1);
	CU_ASSERT_EQUAL(duration_parse("18446744073709.551615s", &v), 0);
	CU_ASSERT_EQUAL(v, UINT64_MAX);
	CU_ASSERT_EQUAL(duration_parse("18446744073709.551616s", &v), -1);
	CU_ASSERT_EQUAL(duration_parse("0.0000001min", &v), 0);   /* 6us */
	CU_ASSERT_EQUAL(v, 6);
}

static void test_time_format(void)
{
	static const struct {
		usec_t us;
		const char *text;
	} cases[] = {
		{ 0, "0.000" },
		{ 1, "0.000001" },
		{ 1000, "0.001" },
		{ 60000, "0.060" },
		{ 1050000, "1.050" },
		{ 1050250, "1.050250" },
		{ 1000001, "1.000001" },
		{ 123000000, "123.000" },
		{ UINT64_MAX, "18446744073709.551615" },
	};
	char out[32];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		time_format(cases[i].us, out);
		CU_ASSERT_STRING_EQUAL(out, cases[i].text);
	}
}

TCPSIM_SUITE(duration,
	{ "us, ms, s, min, decimals and a bare 0", test_parse_units },
	{ "missing units, signs, junk, sub-us and overflow are errors", test_parse_rejects },
	{ "the largest durations that fit", test_parse_limits },
	{ "seconds with 3 decimals, or 6 when not whole ms", test_time_format })
