/* test_isolate.c - a function run in a child process: its buffer and its
 * message come back; its crash comes back as a message, the caller lives. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/isolate.h"
#include "testing.h"

/* Makes a buffer of ctx's text, three times over (big enough to need more
 * than one read of the pipe when ctx is long). */
static int make_text(void *ctx, char **data, size_t *len, char *err, size_t errlen)
{
	const char *s = ctx;
	size_t n = strlen(s);
	if (!(*data = malloc(3 * n + 1)))
		return -1;
	for (int i = 0; i < 3; i++)
		memcpy(*data + i * n, s, n);
	*len = 3 * n;
	return 0;
}

static int fail_saying(void *ctx, char **data, size_t *len, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s", (const char *)ctx);
	return -1;
}

static int crash(void *ctx, char **data, size_t *len, char *err, size_t errlen)
{
	signal(SIGABRT, SIG_DFL);
	abort();
}

static void test_buffer_comes_back(void)
{
	static char big[200000];
	char *data = NULL, err[128] = "";
	size_t len = 0;

	memset(big, 'x', sizeof big - 1);
	big[5] = 'y';
	CU_ASSERT_EQUAL_FATAL(isolate_run(make_text, big, &data, &len, err, sizeof err), 0);
	CU_ASSERT_EQUAL(len, 3 * (sizeof big - 1));
	CU_ASSERT_TRUE(data && data[5] == 'y' && data[sizeof big - 1 + 5] == 'y' && data[len - 1] == 'x');
	CU_ASSERT_TRUE(data && data[len] == '\0');   /* a text reads as a string, as the child's did */
	free(data);
	CU_ASSERT_EQUAL(isolate_run(make_text, "", &data, &len, err, sizeof err), 0);   /* empty is a buffer too */
	CU_ASSERT_EQUAL(len, 0);
	CU_ASSERT_TRUE(data && data[0] == '\0');
	free(data);
}

static void test_message_comes_back(void)
{
	char *data = (char *)"stale", err[128] = "";
	size_t len = 9;

	CU_ASSERT_EQUAL(isolate_run(fail_saying, "no layout", &data, &len, err, sizeof err), -1);
	CU_ASSERT_STRING_EQUAL(err, "no layout");
	CU_ASSERT_PTR_NULL(data);
	CU_ASSERT_EQUAL(len, 0);
}

static void test_crash_is_a_message(void)
{
	char *data = NULL, err[128] = "";
	size_t len = 0;

	CU_ASSERT_EQUAL(isolate_run(crash, NULL, &data, &len, err, sizeof err), -2);
	CU_ASSERT_STRING_EQUAL(err, "crashed (signal 6)");
	CU_ASSERT_PTR_NULL(data);
}

TCPSIM_SUITE(isolate,
	     { "the child's buffer comes back whole", test_buffer_comes_back },
	     { "the child's message comes back, no buffer", test_message_comes_back },
	     { "a child that crashes: -2 and the signal, the caller goes on", test_crash_is_a_message })
