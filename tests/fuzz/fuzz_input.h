/* fuzz_input.h - the input file the scenario fuzz targets share.
 *
 * scenario_load() reads a path, so each fuzz input is written to one file
 * under /tmp, created once per process (libFuzzer's -jobs run several) and
 * rewritten per input; it is removed when the process ends. Included by
 * fuzz_scenario.c and fuzz_run.c, each a program of its own, so the
 * functions are static. */
#ifndef TCPSIM_FUZZ_INPUT_H
#define TCPSIM_FUZZ_INPUT_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static char fuzz_input_path[64];
static int fuzz_input_fd = -1;

/* Stops the run with a message: libFuzzer records the input as a crash. */
static void fuzz_die(const char *target, const char *what, const char *detail)
{
	fprintf(stderr, "%s: %s%s%s\n", target, what, detail ? ": " : "", detail ? detail : "");
	abort();
}

/* Removes the input file when the process ends. */
static void fuzz_input_remove(void)
{
	if (fuzz_input_fd >= 0)
		unlink(fuzz_input_path);
}

/* Creates the input file once per process, named from prefix
 * ("/tmp/tcpsim-fuzz-XXXXXX.yaml"). */
static void fuzz_input_open(const char *target, const char *prefix)
{
	if (fuzz_input_fd >= 0)
		return;
	snprintf(fuzz_input_path, sizeof(fuzz_input_path), "%s-XXXXXX.yaml", prefix);
	fuzz_input_fd = mkstemps(fuzz_input_path, 5);
	if (fuzz_input_fd < 0)
		fuzz_die(target, "cannot create the input file", fuzz_input_path);
	atexit(fuzz_input_remove);
}

/* Replaces the file's contents with the input. */
static void fuzz_input_write(const char *target, const uint8_t *data, size_t size)
{
	size_t done = 0;

	if (ftruncate(fuzz_input_fd, 0) < 0)
		fuzz_die(target, "cannot truncate the input file", fuzz_input_path);
	while (done < size) {
		ssize_t n = pwrite(fuzz_input_fd, data + done, size - done, (off_t)done);
		if (n <= 0)
			fuzz_die(target, "cannot write the input file", fuzz_input_path);
		done += (size_t)n;
	}
}

#endif
