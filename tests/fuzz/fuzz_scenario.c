/* fuzz_scenario.c - libFuzzer target for the scenario loader.
 *
 * Each input is written to a file (fuzz_input.h) and loaded. Whatever the bytes,
 * the loader must not crash or leak (ASan, UBSan and LeakSanitizer watch),
 * and it must either fill in a scenario whose values are in the ranges the
 * contract allows, or fail with "FILE:LINE:COL: message" (or "FILE: message")
 * on one line, leaving the scenario zeroed. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fuzz_input.h"
#include "scenario/scenario.h"

#define DURATION_MAX (1000ull * 86400 * USEC_PER_SEC)

#define TARGET "fuzz_scenario"

/* Stops the run with a message: libFuzzer records the input as a crash. */
static void die(const char *what, const char *detail)
{
	fuzz_die(TARGET, what, detail);
}

/* True when all of *sc is zero bytes: nothing left to free. */
static bool is_zeroed(const struct scenario *sc)
{
	static const struct scenario zero;

	return memcmp(sc, &zero, sizeof(zero)) == 0;
}

/* Reads a decimal number >= 1 at *s, moving past it. */
static bool read_position(const char **s)
{
	const char *p = *s;
	long v = 0;

	while (*p >= '0' && *p <= '9' && v < 100000000)
		v = v * 10 + (*p++ - '0');
	if (p == *s || v < 1)
		return false;
	*s = p;
	return true;
}

/* The line breaks libyaml may count in a pure ASCII text (CR, LF), or -1
 * when the text has other bytes (UTF-8 or UTF-16 breaks count too). */
static long ascii_breaks(const uint8_t *data, size_t size)
{
	long n = 0;

	for (size_t i = 0; i < size; i++) {
		if (data[i] == 0 || data[i] >= 0x80)
			return -1;
		if (data[i] == '\n' || data[i] == '\r')
			n++;
	}
	return n;
}

/* "PATH:LINE:COL: message" or "PATH: message", one line; for an ASCII
 * input the line lies within the file. */
static void check_error(const char *err, const uint8_t *data, size_t size)
{
	size_t n = strlen(fuzz_input_path);
	const char *s = err + n, *line = s + 1;
	long breaks = ascii_breaks(data, size);

	if (strncmp(err, fuzz_input_path, n) != 0)
		die("the message does not start with the path", err);
	if (strchr(err, '\n'))
		die("the message is more than one line", err);
	if (s[0] == ':' && s[1] == ' ') {
		if (!s[2])
			die("empty message", err);
		return;
	}
	s++;
	if (s[-1] != ':' || !read_position(&s) || *s++ != ':' || !read_position(&s) ||
	    s[0] != ':' || s[1] != ' ' || !s[2])
		die("the message is not FILE:LINE:COL: message", err);
	if (breaks >= 0 && strtol(line, NULL, 10) > breaks + 1)
		die("the line is past the end of the file", err);
}

/* A probability of the link: 0..1. */
static void check_prob(double p)
{
	if (!(p >= 0 && p <= 1))
		die("a probability out of 0..1", NULL);
}

/* The values the loader lets through are those the contract allows. */
static void check_loaded(const struct scenario *sc)
{
	struct tcp_params p;

	if (!sc->path || strcmp(sc->path, fuzz_input_path) != 0 || !sc->name || !sc->name[0] || !sc->base)
		die("path, name or base missing", sc->path);
	if (sc->profile != PROFILE_RFC9293 && sc->profile != PROFILE_LINUX)
		die("no such profile", NULL);
	tcp_params_resolve(sc->profile, &sc->tcp, &p);
	if (p.rto_min > p.rto_max || p.mss < 1 || p.window < 1 || p.window > 65535)
		die("tcp parameters out of range", NULL);
	for (int r = 0; r < NROLES; r++) {
		const struct link_dir *d = &sc->link.dir[r];
		check_prob(d->loss);
		check_prob(d->duplicate);
		check_prob(d->reorder);
		if (d->delay > DURATION_MAX || d->jitter > DURATION_MAX)
			die("a link duration past 1000 days", NULL);
		if (sc->ep[r].port == 0 || sc->ep[r].ip == 0)
			die("an endpoint without address or port", NULL);
	}
	if (sc->ep[ROLE_CLIENT].ip == sc->ep[ROLE_SERVER].ip &&
	    sc->ep[ROLE_CLIENT].port == sc->ep[ROLE_SERVER].port)
		die("client and server share an address", NULL);
	if ((sc->n_timeline && !sc->timeline) || (sc->link.n_drops && !sc->link.drops))
		die("a count without its array", NULL);
	for (size_t i = 0; i < sc->n_timeline; i++) {
		const struct timeline_entry *e = &sc->timeline[i];
		if (e->at > DURATION_MAX || e->call > CALL_INJECT || (e->who != ROLE_CLIENT && e->who != ROLE_SERVER))
			die("a timeline entry out of range", NULL);
		if (e->call == CALL_SEND && (e->bytes == 0 || (e->data && strlen(e->data) != e->bytes)))
			die("a send whose size does not match", NULL);
		if (e->call == CALL_INJECT && e->inject.data && strlen(e->inject.data) != e->inject.len)
			die("an inject whose len does not match its data", NULL);
	}
	for (size_t i = 0; i < sc->link.n_drops; i++)
		if (sc->link.drops[i].nth < 1)
			die("a drop rule with nth 0", NULL);
	for (int r = 0; r < NROLES; r++)
		if (sc->expect.n_states[r] && !sc->expect.states[r])
			die("expected states missing", NULL);
	if (sc->expect.n_segments && (!sc->expect.segments || !sc->expect.segments_pos))
		die("expected segments missing", NULL);
}

/* One input: load, check, free. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scenario sc;
	char err[1024];

	fuzz_input_open(TARGET, "/tmp/tcpsim-fuzz");
	fuzz_input_write(TARGET, data, size);
	memset(err, 0x55, sizeof(err));
	if (scenario_load(fuzz_input_path, &sc, err, sizeof(err)) == 0) {
		check_loaded(&sc);
		scenario_free(&sc);
		if (!is_zeroed(&sc))
			die("scenario_free left something behind", NULL);
		scenario_free(&sc);                  /* safe twice */
		return 0;
	}
	if (!memchr(err, '\0', sizeof(err)))
		die("the message is not terminated", NULL);
	check_error(err, data, size);
	if (!is_zeroed(&sc))
		die("a failed load left something in the scenario", err);
	return 0;
}
