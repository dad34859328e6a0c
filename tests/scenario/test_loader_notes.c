/* test_loader_notes.c - timeline entries' `note:` (issue 15): alone or beside
 * a call, kept in time order with the entry's role, and bad notes refused at
 * the note with FILE:LINE:COL: message (checked whole, after "FILE:"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "scenario/scenario.h"
#include "testing.h"

/* Loads yaml from a temporary file; the message without "FILE:" in err. */
static int load_yaml(const char *yaml, struct scenario *sc, char *err, size_t errlen)
{
	char path[] = "/tmp/tcpsim-notes-XXXXXX.yaml", full[700];
	size_t len = strlen(yaml), n = strlen(path);
	int fd = mkstemps(path, 5), rc;

	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_FATAL(write(fd, yaml, len) == (ssize_t)len);
	close(fd);
	full[0] = '\0';
	rc = scenario_load(path, sc, full, sizeof(full));
	unlink(path);
	snprintf(err, errlen, "%s", rc < 0 && strncmp(full, path, n) == 0 ? full + n + 1 : full);
	return rc;
}

/* A note alone is no call: the timeline holds the calls only, the notes
 * are apart, in time order (ties in file order), each with its role. */
static void test_alone_and_beside(void)
{
	struct scenario sc;
	char err[700];

	CU_ASSERT_EQUAL_FATAL(load_yaml("timeline:\n"
					"  - { at: 0ms, server: listen }\n"
					"  - { at: 2s, note: \"later\" }\n"
					"  - { at: 10ms, client: connect, note: \"the client opens\" }\n"
					"  - at: 1.5s\n"
					"    note: \"the client gives up\"\n"
					"  - { at: 2s, note: \"tie, second\" }\n"
					"  - { at: 3s, inject: { from: server, flags: R }, note: \"forged\" }\n"
					"  - { at: 4s, server: close, note: \"é ü — ✓\" }\n",
					&sc, err, sizeof err), 0);
	CU_ASSERT_EQUAL(sc.n_timeline, 4);
	CU_ASSERT_EQUAL(sc.timeline[0].call, CALL_LISTEN);
	CU_ASSERT_EQUAL(sc.timeline[1].call, CALL_CONNECT);
	CU_ASSERT_EQUAL(sc.timeline[2].call, CALL_INJECT);
	CU_ASSERT_EQUAL(sc.timeline[3].call, CALL_CLOSE);
	CU_ASSERT_EQUAL_FATAL(sc.n_notes, 6);
	CU_ASSERT_STRING_EQUAL(sc.notes[0].text, "the client opens");
	CU_ASSERT_EQUAL(sc.notes[0].at, 10000);
	CU_ASSERT_EQUAL(sc.notes[0].who, ROLE_CLIENT);
	CU_ASSERT_EQUAL(sc.notes[0].pos.line, 4);
	CU_ASSERT_STRING_EQUAL(sc.notes[1].text, "the client gives up");
	CU_ASSERT_EQUAL(sc.notes[1].at, 1500000);
	CU_ASSERT_EQUAL(sc.notes[1].who, -1);
	CU_ASSERT_STRING_EQUAL(sc.notes[2].text, "later");
	CU_ASSERT_STRING_EQUAL(sc.notes[3].text, "tie, second");
	CU_ASSERT_STRING_EQUAL(sc.notes[4].text, "forged");
	CU_ASSERT_EQUAL(sc.notes[4].who, -1);
	CU_ASSERT_STRING_EQUAL(sc.notes[5].text, "é ü — ✓");
	CU_ASSERT_EQUAL(sc.notes[5].who, ROLE_SERVER);
	/* A note beside a call is the call's too, told with it. */
	CU_ASSERT_TRUE(sc.notes[0].beside_call);
	CU_ASSERT_FALSE(sc.notes[1].beside_call);
	CU_ASSERT_TRUE(sc.notes[4].beside_call);
	CU_ASSERT_PTR_NULL(sc.timeline[0].note);
	CU_ASSERT_PTR_EQUAL(sc.timeline[1].note, sc.notes[0].text);
	CU_ASSERT_PTR_EQUAL(sc.timeline[2].note, sc.notes[4].text);
	CU_ASSERT_PTR_EQUAL(sc.timeline[3].note, sc.notes[5].text);
	scenario_free(&sc);
}

/* The longest note takes NOTE_MAX bytes, counted in bytes of UTF-8. */
static void test_longest(void)
{
	struct scenario sc;
	char yaml[400], err[700], text[NOTE_MAX + 2];

	memset(text, 'x', NOTE_MAX);
	text[NOTE_MAX] = '\0';
	snprintf(yaml, sizeof yaml, "timeline:\n  - { at: 1s, note: \"%s\" }\n", text);
	CU_ASSERT_EQUAL_FATAL(load_yaml(yaml, &sc, err, sizeof err), 0);
	CU_ASSERT_EQUAL(strlen(sc.notes[0].text), NOTE_MAX);
	scenario_free(&sc);
	strcat(text, "y");
	snprintf(yaml, sizeof yaml, "timeline:\n  - { at: 1s, note: \"%s\" }\n", text);
	CU_ASSERT_EQUAL(load_yaml(yaml, &sc, err, sizeof err), -1);
	CU_ASSERT_STRING_EQUAL(err, "2:21: a note holds at most 160 bytes (this one 161): a line of a slide");
}

static const struct {
	const char *yaml, *error;
} bad[] = {
	{ "timeline:\n  - { at: 1s, note: \"\" }\n", "2:21: a note holds at least one character" },
	{ "timeline:\n  - { at: 1s, note: \"two\\nlines\" }\n",
	  "2:21: a note is one line of printable text; byte 4 starts a control character (U+000A)" },
	{ "timeline:\n  - { at: 1s, note: \"a\\ttab\" }\n",
	  "2:21: a note is one line of printable text; byte 2 starts a control character (U+0009)" },
	{ "timeline:\n  - { at: 1s, note: \"bell \\x07\" }\n",
	  "2:21: a note is one line of printable text; byte 6 starts a control character (U+0007)" },
	{ "timeline:\n  - { at: 1s, note: \"c1 \\x85\" }\n",
	  "2:21: a note is one line of printable text; byte 4 starts a control character (U+0085)" },
	{ "timeline:\n  - { at: 1s, note: [a, b] }\n", "2:21: note must be a string, not a list" },
	{ "timeline:\n  - { at: 1s, note: x, bytes: 3 }\n",
	  "2:24: bytes belongs to a call: this entry holds a note alone" },
	{ "timeline:\n  - { at: 1s, note: x, wait: established }\n",
	  "2:24: wait belongs to a call: this entry holds a note alone" },
	{ "timeline:\n  - { note: x }\n", "2:5: a timeline entry needs at: TIME" },
	{ "timeline:\n  - { at: 1s }\n",
	  "2:5: a timeline entry needs client: CALL, server: CALL, inject: {...} or note: \"text\"" },
	{ "timeline:\n  - { at: 1s, notes: x }\n", "2:15: unknown key 'notes' in a timeline entry (did you mean note?)" },
	{ "timeline:\n  - { at: 1s, client: connect, note: \"\\x01\" }\n",
	  "2:38: a note is one line of printable text; byte 1 starts a control character (U+0001)" },
};

/* Each bad note: its message, exactly, at the note. */
static void test_bad_notes(void)
{
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct scenario sc;
		char err[700];
		CU_ASSERT_EQUAL(load_yaml(bad[i].yaml, &sc, err, sizeof err), -1);
		if (strcmp(err, bad[i].error) != 0)
			fprintf(stderr, "\n  %s\n  got:  %s\n  want: %s\n", bad[i].yaml, err, bad[i].error);
		CU_ASSERT_STRING_EQUAL(err, bad[i].error);
	}
}

/* Bytes that are not UTF-8 can only come from a double-quoted escape's
 * code points (the YAML reader takes UTF-8 alone), so the checker is
 * tried on a file with raw bytes too: refused, whoever refuses them. */
static void test_not_utf8(void)
{
	struct scenario sc;
	char err[700];

	CU_ASSERT_EQUAL(load_yaml("timeline:\n  - { at: 1s, note: \"\xff\xfe\" }\n", &sc, err, sizeof err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, ":"));
}

TCPSIM_SUITE(loader_notes,
	{ "a note alone or beside a call, in time order", test_alone_and_beside },
	{ "a note holds at most NOTE_MAX bytes", test_longest },
	{ "bad notes are refused at the note, exactly", test_bad_notes },
	{ "a note of bytes that are not UTF-8 is refused", test_not_utf8 })
