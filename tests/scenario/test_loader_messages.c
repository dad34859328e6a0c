/* test_loader_messages.c - the loader's messages say what to do: YAML syntax
 * errors with a hint ("quote a value that contains ': '", "indent with
 * spaces, not tabs"), "did you mean ...?" for a misspelt key, call, state,
 * value or unit, and packetdrill's "-" for a segment with no flag. Each
 * message is checked whole, after "FILE:". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "scenario/scenario.h"
#include "proto/segment.h"
#include "testing.h"

/* Loads yaml from a temporary file; the message without "FILE:" in err. */
static int load_yaml(const char *yaml, struct scenario *sc, char *err, size_t errlen)
{
	char path[] = "/tmp/tcpsim-messages-XXXXXX.yaml", full[700];
	size_t len = strlen(yaml), n = strlen(path);
	int fd = mkstemps(path, 5), rc;

	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_FATAL(write(fd, yaml, len) == (ssize_t)len);
	close(fd);
	rc = scenario_load(path, sc, full, sizeof(full));
	unlink(path);
	snprintf(err, errlen, "%s", rc < 0 && strncmp(full, path, n) == 0 ? full + n + 1 : full);
	return rc;
}

static const struct {
	const char *yaml, *error;
} cases[] = {
	/* YAML syntax: libyaml's words, then what to do. */
	{ "summary: Step 1: the handshake\n",
	  "1:16: YAML syntax error: mapping values are not allowed in this context; "
	  "quote a value that contains ': ', as in summary: \"Step 1: the handshake\"" },
	{ "timeline:\n  - at: 0ms\n    server: Step 1: listen\n",
	  "3:19: YAML syntax error: mapping values are not allowed in this context; "
	  "quote a value that contains ': ', as in server: \"Step 1: listen\"" },
	{ "seed: 1\n  name: x\n",
	  "2:7: YAML syntax error: mapping values are not allowed in this context; "
	  "check this line's indentation: the keys of one mapping start in one column" },
	{ "link:\n\tdelay: 1s\n",
	  "2:1: YAML syntax error: found character that cannot start any token "
	  "(while scanning for the next token); indent with spaces, not tabs" },
	{ "link:\n  delay: 1s\n  \tloss: 0.1\n",
	  "3:3: YAML syntax error: found a tab character that violates indentation "
	  "(while scanning a plain scalar); indent with spaces, not tabs" },
	{ "\xef\xbb\xbf\tsummary: x\n",
	  "1:1: YAML syntax error: found character that cannot start any token "
	  "(while scanning for the next token); indent with spaces, not tabs" },
	{ "\xef\xbb\xbfsummary: a: b\n",
	  "1:11: YAML syntax error: mapping values are not allowed in this context; "
	  "quote a value that contains ': ', as in summary: \"a: b\"" },
	{ "timeline: [a", "1:13: YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence)" },
	/* Did you mean: keys, calls, states, values. */
	{ "sumary: x\n", "1:1: unknown key 'sumary' in the scenario (did you mean summary?)" },
	{ "link: { lost: 0.1 }\n", "1:9: unknown key 'lost' in link (did you mean loss?)" },
	{ "tcp: { rto_mni: 1s }\n", "1:8: unknown key 'rto_mni' in tcp (did you mean rto_min?)" },
	{ "timeline:\n  - { at: 1s, client: conect }\n",
	  "2:23: unknown call conect (did you mean connect?)" },
	{ "expect: { client: [CLOSED, SYN_SNET] }\n",
	  "1:28: unknown state SYN_SNET (did you mean SYN_SENT?)" },
	{ "profile: linx\n", "1:10: profile must be one of rfc9293, linux, not linx (did you mean linux?)" },
	/* No guess when none is close, or two are: the list instead. */
	{ "tcp: { mls: 1s }\n",
	  "1:8: unknown key 'mls' in tcp (expected rto_initial, rto_min, rto_max, msl, time_wait, "
	  "syn_retries, syn_linear_timeouts, retries, fin_wait_2_timeout, user_timeout, mss, window)" },
	{ "timeline:\n  - { at: 1s, server: accept }\n",
	  "2:23: unknown call accept (calls are listen, connect, send, close, abort)" },
	/* Units. */
	{ "until: 2m\n", "1:8: until must be a duration with a unit (us, ms, s, min), not 2m: "
	  "did you mean 2min or 2ms?" },
	{ "until: 40\n", "1:8: until must be a duration with a unit (us, ms, s, min), not 40: "
	  "write the unit, e.g. 40ms" },
	{ "link: { delay: 0.5 }\n", "1:16: delay must be a duration with a unit (us, ms, s, min), not 0.5: "
	  "write the unit, e.g. 0.5s" },
	{ "tcp: { msl: 2 min }\n", "1:13: msl must be a duration with a unit (us, ms, s, min), not 2 min: "
	  "did you mean 2min?" },
	{ "until: soon\n", "1:8: until must be a duration with a unit (us, ms, s, min) such as 250ms, not soon" },
	/* Flags. */
	{ "timeline:\n  - { at: 1s, inject: { from: client, flags: RST } }\n",
	  "2:46: flags must be tcpdump flags such as S, S., ., P., F., R or R., not RST "
	  "(none or \"-\" for no flag)" },
	{ "expect:\n  segments:\n    - \"client > server X 0:0(0)\"\n",
	  "3:24: bad segment line: bad flags 'X': expected tcpdump letters S F P R U and . for ACK, "
	  "or none (or -) for no flag" },
};

static void test_messages(void)
{
	struct scenario sc;
	char err[700];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CU_ASSERT_EQUAL(load_yaml(cases[i].yaml, &sc, err, sizeof(err)), -1);
		CU_ASSERT_STRING_EQUAL(err, cases[i].error);
		if (strcmp(err, cases[i].error) != 0)
			fprintf(stderr, "\n  case %zu:\n    want %s\n    got  %s\n", i, cases[i].error, err);
	}
}

/* "-" is packetdrill's spelling of no flag, as "none" is tcpdump's. */
static void test_dash_is_no_flag(void)
{
	struct scenario sc;
	char err[700];
	uint8_t flags = 0xff;

	CU_ASSERT_EQUAL(tcp_flags_parse("-", &flags), 0);
	CU_ASSERT_EQUAL(flags, 0);
	CU_ASSERT_EQUAL(tcp_flags_parse("--", &flags), -1);
	CU_ASSERT_EQUAL(tcp_flags_parse("-.", &flags), -1);
	CU_ASSERT_EQUAL(load_yaml("timeline:\n  - { at: 1s, inject: { from: client, flags: \"-\", seq: 1 } }\n"
				  "link:\n  drop: [ { from: server, flags: \"-\" } ]\n"
				  "expect:\n  segments: [ \"client > server - 1:1(0)\" ]\n",
				  &sc, err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(err, "");
	CU_ASSERT_FATAL(sc.n_timeline == 1 && sc.link.n_drops == 1 && sc.expect.n_segments == 1);
	CU_ASSERT_EQUAL(sc.timeline[0].inject.flags, 0);
	CU_ASSERT_TRUE(sc.link.drops[0].has_flags);
	CU_ASSERT_EQUAL(sc.link.drops[0].flags, 0);
	CU_ASSERT_EQUAL(sc.expect.segments[0].flags, 0);
	scenario_free(&sc);
}

TCPSIM_SUITE(loader_messages,
	{ "messages say what to do, exactly", test_messages },
	{ "\"-\" is no flag, as none is", test_dash_is_no_flag })
