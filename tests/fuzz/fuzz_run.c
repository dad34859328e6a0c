/* fuzz_run.c - libFuzzer target for whole runs: every scenario the loader
 * accepts is run through the engine, with the sinks `tcpsim run` attaches
 * (the trace as JSON lines, the pcap, the in-memory log, the streaming
 * checks, the summary), then checked against its `expect`, printed as a
 * ladder and read into the step-through page's steps (the log keeps the
 * variables' snapshots, as run's does for the page); the files go to
 * /dev/null, nothing is left behind.
 *
 * The fuzzers of the loader and the packet codec cannot find what only a run
 * shows (an exchange that never ends, times that wrap); this one can. The
 * caps (FUZZ_MAX_EVENTS events, FUZZ_MAX_TIME of virtual time) are the
 * engine's own bounds made small, so each input runs in milliseconds; the
 * run must end by itself within them (ASan, UBSan and LeakSanitizer watch
 * the rest), and a run must never report more events than its cap. A
 * `send: bytes: N` runs whole: the send queue holds the pattern's bytes as
 * a count, so queueing 4 GiB costs one event and no memory (the seeds
 * send_2g_before_listen.yaml and send_4g_after_one.yaml were two overflows). */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "check/expect.h"
#include "fuzz_input.h"
#include "output/json_out.h"
#include "output/ladder.h"
#include "output/page_steps.h"
#include "output/pcap_out.h"
#include "scenario/scenario.h"
#include "engine/sim.h"
#include "output/summary.h"
#include "trace/trace_log.h"

#define FUZZ_MAX_EVENTS 20000
#define FUZZ_MAX_TIME (3600ull * USEC_PER_SEC)
#define FUZZ_MAX_COUNT 2000            /* clients: more only repeats itself, slowly */

#define TARGET "fuzz_run"

static FILE *devnull;

/* Stops the run with a message: libFuzzer records the input as a crash. */
static void die(const char *what, const char *detail)
{
	fuzz_die(TARGET, what, detail);
}

/* Closes /dev/null when the process ends. */
static void close_devnull(void)
{
	fclose(devnull);
}

/* Creates the input file and opens /dev/null once per process. */
static void open_once(void)
{
	fuzz_input_open(TARGET, "/tmp/tcpsim-fuzz-run");
	if (devnull)
		return;
	if (!(devnull = fopen("/dev/null", "w")))
		die("cannot open /dev/null", NULL);
	atexit(close_devnull);
}

/* Runs sc as `tcpsim run` would, its outputs to /dev/null. */
static void run(const struct scenario *sc)
{
	struct sim_options opt = { .max_events = FUZZ_MAX_EVENTS, .max_time = FUZZ_MAX_TIME };
	struct trace tr;
	struct trace_log log;
	struct sim_stats stats;
	struct expect_result res = { 0 };
	struct expect_stream *xs = NULL;
	struct summary *sum = NULL;
	struct json_out *jo;
	struct pcap_out *po;
	char err[1024], msg[512];

	trace_init(&tr);
	trace_log_init(&log, &tr);
	log.keep_vars = true;
	trace_add_sink(&tr, trace_log_sink(&log));
	if (expect_stream_needed(sc)) {
		if (!(xs = expect_stream_new(sc, &tr)))
			die("out of memory", NULL);
		trace_add_sink(&tr, expect_stream_sink(xs));
	}
	if (sc->ep[ROLE_CLIENT].count > 1) {
		if (!(sum = summary_new(&tr)))
			die("out of memory", NULL);
		trace_add_sink(&tr, summary_sink(sum));
	}
	if (!(jo = json_out_new(devnull)))
		die("out of memory", NULL);
	trace_add_sink(&tr, json_out_sink(jo));
	if (!(po = pcap_out_open("/dev/null", err, sizeof(err))))
		die("cannot open the pcap", err);
	trace_add_sink(&tr, pcap_out_sink(po));

	if (sim_run(sc, &opt, &tr, &stats, err, sizeof(err)) < 0)
		die("the run failed", err);
	if (stats.events > FUZZ_MAX_EVENTS || stats.end_us > FUZZ_MAX_TIME)
		die("the run passed its bounds", NULL);
	if (sim_stopped_early(&stats)) {
		sim_stop_message(sc, &stats, &tr, msg, sizeof(msg));
		if (!msg[0] || strchr(msg, '\n'))
			die("the stop message is not one line", msg);
	}
	if (expect_check(sc, &log, &res) < 0 || (xs && expect_stream_finish(xs, &res) < 0))
		die("out of memory", NULL);
	struct trace_event rev = { .type = TRACE_RESULT, .t_us = stats.end_us, .endpoint = -1 };
	rev.u.result.ok = res.n_failures == 0;
	rev.u.result.failures = (const char *const *)res.failures;
	rev.u.result.n_failures = res.n_failures;
	trace_emit(&tr, &rev);
	json_out_finish(jo);
	if (pcap_out_close(po, err, sizeof(err)) < 0)
		die("cannot close the pcap", err);
	if (sum) {
		struct summary_totals t;
		if (summary_totals(sum, &t) < 0)
			die("out of memory", NULL);
		summary_print_text(devnull, &t);
	}
	ladder_write_text(devnull, &log);
	fflush(devnull);
	struct page_steps ps;
	if (page_steps_build(&ps, &log) < 0)
		die("out of memory", NULL);
	for (size_t i = 0; i < ps.n; i++) {
		const struct page_step *st = &ps.steps[i];
		if ((st->seg != SIZE_MAX && st->seg >= log.n) || (log.n && st->last_ev >= log.n) ||
		    (i > 0 && (st->ev <= ps.steps[i - 1].last_ev || st->t < ps.steps[i - 1].t)))
			die("a page step out of order or pointing past the log", st->text);
	}
	page_steps_free(&ps);
	expect_result_free(&res);
	expect_stream_free(xs);
	summary_free(sum);
	trace_log_free(&log);
	trace_free(&tr);
}

/* One input: load it; when the loader accepts it, run it. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scenario sc;
	char err[1024];

	open_once();
	fuzz_input_write(TARGET, data, size);
	if (scenario_load(fuzz_input_path, &sc, err, sizeof(err)) < 0)
		return 0;                    /* fuzz_scenario checks the messages */
	if (sc.ep[ROLE_CLIENT].count <= FUZZ_MAX_COUNT)
		run(&sc);
	scenario_free(&sc);
	return 0;
}
