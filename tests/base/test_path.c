/* test_path.c - NAME from a path: the scenario's name from its file and a
 * sweep plot's from its CSV, one function for both. */
#include <stdlib.h>
#include <string.h>
#include "base/path.h"
#include "testing.h"

static const char *const yaml[] = { ".yaml", ".yml", NULL };
static const char *const csv[] = { ".sweep.csv", ".csv", NULL };

/* Whether path_base_name(path, suffixes) is want. */
static int is(const char *path, const char *const suffixes[], const char *want)
{
	char *got = path_base_name(path, suffixes);
	int same = got && strcmp(got, want) == 0;
	free(got);
	return same;
}

static void test_suffixes(void)
{
	CU_ASSERT(is("scenarios/simultaneous_close.yaml", yaml, "simultaneous_close"));
	CU_ASSERT(is("a.yml", yaml, "a"));
	CU_ASSERT(is("/x/y/z", yaml, "z"));                  /* no suffix: all of it */
	CU_ASSERT(is("dir.yaml/b.txt", yaml, "b.txt"));      /* the last component only */
	CU_ASSERT(is("out/loss.sweep.csv", csv, "loss"));    /* the first suffix that ends it */
	CU_ASSERT(is("out/loss.csv", csv, "loss"));
	CU_ASSERT(is("a.yaml.yml", yaml, "a.yaml"));         /* one suffix taken, not two */
}

static void test_nothing_left(void)
{
	CU_ASSERT(is(".yaml", yaml, ".yaml"));               /* kept whole rather than empty */
	CU_ASSERT(is("d/.csv", csv, ".csv"));
	CU_ASSERT(is("", yaml, ""));
	CU_ASSERT(is("d/", yaml, ""));
}

TCPSIM_SUITE(path,
	     { "the last component without its suffix", test_suffixes },
	     { "a name that would be empty is kept whole", test_nothing_left })
