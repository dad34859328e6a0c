/* test_loader_set.c - scenario_load_with: KEY=VALUE settings applied to the
 * file before the loader checks it (`sweep --set`). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "scenario/scenario.h"
#include "testing.h"

#define MS(x) ((usec_t)(x) * USEC_PER_MS)

static const char base_yaml[] =
	"summary: a sweep's base\n"
	"link: { delay: 50ms, loss: 0 }\n"
	"timeline:\n"
	"  - { at: 0ms, server: listen }\n"
	"  - { at: 10ms, client: connect }\n";

/* Loads yaml from a temp file with the settings; the message in err with the
 * file name replaced by "FILE". */
static int load_set(const char *yaml, const struct scenario_setting *set, size_t n, struct scenario *sc,
		    char *err, size_t errlen)
{
	char path[64], full[600];
	int fd, rc;
	size_t len = strlen(yaml), plen;

	strcpy(path, "/tmp/tcpsim-set-XXXXXX.yaml");
	fd = mkstemps(path, 5);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_FATAL(write(fd, yaml, len) == (ssize_t)len);
	close(fd);
	rc = scenario_load_with(path, set, n, sc, full, sizeof full);
	unlink(path);
	plen = strlen(path);
	if (rc < 0 && strncmp(full, path, plen) == 0)
		snprintf(err, errlen, "FILE%s", full + plen);
	else
		snprintf(err, errlen, "%s", full);
	return rc;
}

static void test_override_existing_key(void)
{
	const struct scenario_setting set[] = { { "link.loss", "0.25" }, { "link.delay", "20ms" } };
	struct scenario sc;
	char err[600];

	CU_ASSERT_EQUAL_FATAL(load_set(base_yaml, set, 2, &sc, err, sizeof err), 0);
	CU_ASSERT_DOUBLE_EQUAL(sc.link.dir[ROLE_CLIENT].loss, 0.25, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(sc.link.dir[ROLE_SERVER].loss, 0.25, 1e-12);
	CU_ASSERT_EQUAL(sc.link.dir[ROLE_CLIENT].delay, MS(20));
	CU_ASSERT_EQUAL(sc.n_timeline, 2);
	scenario_free(&sc);
}

static void test_create_missing_key(void)
{
	const struct scenario_setting set[] = { { "link.jitter", "5ms" }, { "seed", "42" } };
	struct scenario sc;
	char err[600];

	CU_ASSERT_EQUAL_FATAL(load_set(base_yaml, set, 2, &sc, err, sizeof err), 0);
	CU_ASSERT_EQUAL(sc.link.dir[ROLE_CLIENT].jitter, MS(5));
	CU_ASSERT_EQUAL(sc.link.dir[ROLE_CLIENT].delay, MS(50));   /* untouched */
	CU_ASSERT_EQUAL(sc.seed, 42);
	scenario_free(&sc);
}

static void test_create_missing_mappings(void)
{
	const struct scenario_setting set[] = {
		{ "tcp.rto_min", "200ms" },
		{ "link.client_to_server.loss", "0.5" },
		{ "endpoints.client.port", "41000" },
	};
	struct scenario sc;
	char err[600];

	CU_ASSERT_EQUAL_FATAL(load_set(base_yaml, set, 3, &sc, err, sizeof err), 0);
	CU_ASSERT_TRUE(sc.tcp.has_rto_min);
	CU_ASSERT_EQUAL(sc.tcp.v.rto_min, MS(200));
	CU_ASSERT_DOUBLE_EQUAL(sc.link.dir[ROLE_CLIENT].loss, 0.5, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(sc.link.dir[ROLE_SERVER].loss, 0.0, 1e-12);
	CU_ASSERT_EQUAL(sc.ep[ROLE_CLIENT].port, 41000);
	scenario_free(&sc);
}

/* The last setting of a key wins, as with two --set on a command line. */
static void test_later_setting_wins(void)
{
	const struct scenario_setting set[] = { { "link.loss", "0.1" }, { "link.loss", "0.3" } };
	struct scenario sc;
	char err[600];

	CU_ASSERT_EQUAL_FATAL(load_set(base_yaml, set, 2, &sc, err, sizeof err), 0);
	CU_ASSERT_DOUBLE_EQUAL(sc.link.dir[ROLE_CLIENT].loss, 0.3, 1e-12);
	scenario_free(&sc);
}

/* A bad value is the loader's usual message, at the replaced value's place. */
static void test_bad_value_normal_message(void)
{
	const struct scenario_setting set[] = { { "link.loss", "1.5" } };
	struct scenario sc;
	char err[600];

	CU_ASSERT_EQUAL(load_set(base_yaml, set, 1, &sc, err, sizeof err), -1);
	CU_ASSERT_STRING_EQUAL(err, "FILE:2:28: loss must be a probability between 0 and 1, not 1.5");
}

/* An unknown key too: the loader's list of the keys it knows. */
static void test_unknown_key_normal_message(void)
{
	const struct scenario_setting set[] = { { "link.los", "0.1" } };
	struct scenario sc;
	char err[600];

	CU_ASSERT_EQUAL(load_set(base_yaml, set, 1, &sc, err, sizeof err), -1);
	/* an added key stands where its mapping starts */
	CU_ASSERT_STRING_EQUAL(err, "FILE:2:7: unknown key 'los' in link (did you mean loss?)");
}

static void test_path_through_scalar(void)
{
	const struct scenario_setting set[] = { { "link.loss.x", "1" } };
	struct scenario sc;
	char err[600];

	CU_ASSERT_EQUAL(load_set(base_yaml, set, 1, &sc, err, sizeof err), -1);
	CU_ASSERT_STRING_EQUAL(err, "--set link.loss.x: link.loss is 0, not a mapping of keys");
}

static void test_path_through_list(void)
{
	const struct scenario_setting set[] = { { "timeline.at", "1s" } };
	struct scenario sc;
	char err[600];

	CU_ASSERT_EQUAL(load_set(base_yaml, set, 1, &sc, err, sizeof err), -1);
	CU_ASSERT_STRING_EQUAL(err, "--set timeline.at: timeline is a list, not a mapping of keys");
}

static void test_empty_name_in_path(void)
{
	const struct scenario_setting set[] = { { "link..loss", "0" } };
	struct scenario sc;
	char err[600];

	CU_ASSERT_EQUAL(load_set(base_yaml, set, 1, &sc, err, sizeof err), -1);
	CU_ASSERT_STRING_EQUAL(err, "--set link..loss: a key is a dotted path of names such as link.loss");
}

/* No settings: scenario_load's result exactly. */
static void test_no_settings(void)
{
	struct scenario sc;
	char err[600];

	CU_ASSERT_EQUAL_FATAL(load_set(base_yaml, NULL, 0, &sc, err, sizeof err), 0);
	CU_ASSERT_DOUBLE_EQUAL(sc.link.dir[ROLE_CLIENT].loss, 0.0, 1e-12);
	CU_ASSERT_STRING_EQUAL(sc.summary, "a sweep's base");
	scenario_free(&sc);
}

TCPSIM_SUITE(loader_set,
	     { "--set overrides an existing key", test_override_existing_key },
	     { "--set creates a missing key", test_create_missing_key },
	     { "--set creates missing mappings on its path", test_create_missing_mappings },
	     { "the later of two settings of a key wins", test_later_setting_wins },
	     { "a bad value gets the loader's message", test_bad_value_normal_message },
	     { "an unknown key gets the loader's message", test_unknown_key_normal_message },
	     { "a path through a scalar is an error", test_path_through_scalar },
	     { "a path through a list is an error", test_path_through_list },
	     { "an empty name in the path is an error", test_empty_name_in_path },
	     { "no settings load the file as it is", test_no_settings })
