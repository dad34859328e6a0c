/* test_suggest.c - "did you mean ...?": the edit distance, the closest name
 * (only when clearly closest), and the hints for durations that do not parse. */
#include <string.h>
#include "base/duration.h"
#include "base/suggest.h"
#include "testing.h"

static void test_distance(void)
{
	CU_ASSERT_EQUAL(suggest_distance("", ""), 0);
	CU_ASSERT_EQUAL(suggest_distance("loss", "loss"), 0);
	CU_ASSERT_EQUAL(suggest_distance("Summary", "summary"), 0);   /* case is no edit */
	CU_ASSERT_EQUAL(suggest_distance("lost", "loss"), 1);         /* replace */
	CU_ASSERT_EQUAL(suggest_distance("sumary", "summary"), 1);    /* insert */
	CU_ASSERT_EQUAL(suggest_distance("connectt", "connect"), 1);  /* delete */
	CU_ASSERT_EQUAL(suggest_distance("rto_mni", "rto_min"), 1);   /* swap */
	CU_ASSERT_EQUAL(suggest_distance("ESTABLISH", "ESTABLISHED"), 2);
	CU_ASSERT_EQUAL(suggest_distance("", "abc"), 3);
	CU_ASSERT_EQUAL(suggest_distance("accept", "abort"), 4);
}

static void test_closest(void)
{
	static const char *const keys[] = { "delay", "jitter", "loss", "duplicate", "reorder", NULL };
	static const char *const tcp[] = { "rto_min", "rto_max", "msl", "mss", NULL };
	static const char *const calls[] = { "listen", "connect", "send", "close", "abort", NULL };

	CU_ASSERT_STRING_EQUAL(suggest_closest("lost", keys), "loss");
	CU_ASSERT_STRING_EQUAL(suggest_closest("jiter", keys), "jitter");
	CU_ASSERT_STRING_EQUAL(suggest_closest("dupilcate", keys), "duplicate");
	CU_ASSERT_STRING_EQUAL(suggest_closest("conect", calls), "connect");
	/* Two edits only from six characters on: "los" is 1 from loss, "lo" 2. */
	CU_ASSERT_STRING_EQUAL(suggest_closest("los", keys), "loss");
	CU_ASSERT_PTR_NULL(suggest_closest("lo", keys));
	CU_ASSERT_STRING_EQUAL(suggest_closest("reordr", keys), "reorder");
	CU_ASSERT_PTR_NULL(suggest_closest("rordr", keys));          /* 2 edits, 5 letters */
	/* Ambiguous: mls is one edit from both msl and mss. */
	CU_ASSERT_PTR_NULL(suggest_closest("mls", tcp));
	CU_ASSERT_PTR_NULL(suggest_closest("rto_mxx", (const char *const[]){ "rto_max", "rto_mix", NULL }));
	/* A known name, an empty word, a far word: no guess. */
	CU_ASSERT_PTR_NULL(suggest_closest("loss", keys));
	CU_ASSERT_PTR_NULL(suggest_closest("", keys));
	CU_ASSERT_PTR_NULL(suggest_closest("accept", calls));
	CU_ASSERT_PTR_NULL(suggest_closest("a-word-much-longer-than-sixty-four-bytes-is-never-close-to-a-name-at-all",
					   keys));
}

#define DAYS_1000 (1000ull * 86400 * USEC_PER_SEC)

/* duration_hint(text, 1000 days) is want (NULL: no hint). */
static void check_hint(const char *text, const char *want)
{
	char buf[96] = "untouched";
	int rc = duration_hint(text, DAYS_1000, buf, sizeof(buf));

	if (!want) {
		CU_ASSERT_EQUAL(rc, -1);
		CU_ASSERT_STRING_EQUAL(buf, "untouched");
		return;
	}
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_STRING_EQUAL(buf, want);
	if (rc != 0 || strcmp(buf, want) != 0)
		fprintf(stderr, "\n  %s: want %s, got %s\n", text, want, rc ? "no hint" : buf);
}

static void test_duration_hints(void)
{
	check_hint("2m", "did you mean 2min or 2ms?");          /* m is both */
	check_hint("40", "write the unit, e.g. 40ms");
	check_hint("0.5", "write the unit, e.g. 0.5s");
	check_hint("0.0005", "write the unit, e.g. 0.0005s");
	check_hint("5sec", "did you mean 5s?");
	check_hint("5 seconds", "did you mean 5s?");
	check_hint("250msec", "did you mean 250ms?");
	check_hint("10usec", "did you mean 10us?");
	check_hint("10\xc2\xb5s", "did you mean 10us?");        /* the micro sign */
	check_hint("3mins", "did you mean 3min?");
	check_hint("5 s", "did you mean 5s?");                   /* no space */
	check_hint("5MS", "did you mean 5ms?");
	check_hint("1.5S", "did you mean 1.5s?");
	check_hint("2h", "did you mean 120min? (there is no hour unit)");
	check_hint("1day", "did you mean 1440min? (there is no day unit)");
	check_hint("1000d", "did you mean 1440000min? (there is no day unit)");
	check_hint("1001d", NULL);                               /* past the limit */
	check_hint("86400001", "write the unit, e.g. 86400001ms");
	check_hint("86400001000", "write the unit, e.g. 86400001000us");
	check_hint("86400000001000", NULL);
	check_hint("5sm", NULL);    /* one edit from s, ms and us alike */
	check_hint("1.5h", NULL);
	check_hint("0.5m", "did you mean 0.5min or 0.5ms?");
	check_hint("0.0005m", NULL);   /* 0.0005ms is below a microsecond */
	check_hint("soon", NULL);
	check_hint("5 parsecs", NULL);
	check_hint("", NULL);
}

TCPSIM_SUITE(suggest,
	{ "edit distance: insert, delete, replace, swap; no case", test_distance },
	{ "the closest name, only when close and unambiguous", test_closest },
	{ "durations: 2m, a bare number, sec, hours", test_duration_hints })
