/* test_main.c - runs every suite that a tests/test_*.c file registered. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <CUnit/Basic.h>
#include "testing.h"

#define MAX_SUITES 64

static struct {
	const char *name;
	CU_TestInfo *tests;
} suites[MAX_SUITES];
static int n_suites;

void testing_add_suite(const char *name, CU_TestInfo *tests)
{
	if (n_suites == MAX_SUITES) {
		fprintf(stderr, "testing: more than %d suites\n", MAX_SUITES);
		exit(2);
	}
	suites[n_suites].name = name;
	suites[n_suites].tests = tests;
	n_suites++;
}

static int by_name(const void *a, const void *b)
{
	const char *const *x = a, *const *y = b;
	return strcmp(*x, *y);
}

int main(int argc, char **argv)
{
	/* The tmpfiles tests stop processes with SIGINT and SIGTERM and check
	 * what tmpfiles' handlers did. Those handlers are installed once per
	 * process, and only over SIG_DFL (an ignored signal stays ignored, as
	 * nohup wants): so the dispositions this binary inherited (SIGINT
	 * ignored in a script's background job, under nohup...) would decide
	 * the tests' outcome. Set them, before any test runs. */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	/* Constructors run in link order; sort so the output is stable. */
	qsort(suites, (size_t)n_suites, sizeof suites[0], by_name);
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	for (int i = 0; i < n_suites; i++) {
		if (argc > 1 && strcmp(argv[1], suites[i].name) != 0)
			continue;
		CU_pSuite s = CU_add_suite(suites[i].name, NULL, NULL);
		for (CU_TestInfo *t = suites[i].tests; t->pName; t++)
			CU_add_test(s, t->pName, t->pTestFunc);
	}
	CU_basic_set_mode(CU_BRM_NORMAL);
	CU_basic_run_tests();
	unsigned failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	unsigned ran = CU_get_number_of_tests_run();
	CU_cleanup_registry();
	if (ran == 0) {
		fprintf(stderr, "no test ran\n");
		return 1;
	}
	return failed ? 1 : 0;
}
