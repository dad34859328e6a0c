/* testing.h - one CUnit suite per test file, registered by the file itself.
 *
 *   static void test_x(void) { CU_ASSERT_EQUAL(1, 1); }
 *   TCPSIM_SUITE(seq, { "x does y", test_x })
 *
 * tests/test_main.c runs every registered suite. */
#ifndef TCPSIM_TESTING_H
#define TCPSIM_TESTING_H

#include <CUnit/CUnit.h>

void testing_add_suite(const char *name, CU_TestInfo *tests);

#define TCPSIM_SUITE(NAME, ...)                                              \
	static CU_TestInfo NAME##_tests[] = { __VA_ARGS__, CU_TEST_INFO_NULL }; \
	__attribute__((constructor)) static void NAME##_register(void)         \
	{                                                                       \
		testing_add_suite(#NAME, NAME##_tests);                         \
	}

#endif
