/* test_notes.c - the scenario's notes in the trace (issue 15): a TRACE_NOTE
 * at each note's time, before that instant's events, with the endpoint of
 * the call beside it; the log keeps its own copy of the text; the JSON line;
 * a note changes nothing else in the run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engine/sim.h"
#include "output/json_out.h"
#include "testing.h"
#include "trace/trace_log.h"
#include "yaml_fixture.h"

#define NOTES_YAML \
	"link: { delay: 50ms }\n" \
	"timeline:\n" \
	"  - { at: 0ms, server: listen }\n" \
	"  - { at: 10ms, client: connect, note: \"the client opens\" }\n" \
	"  - { at: 1s, note: \"nothing moves\" }\n" \
	"  - { at: 2s, server: close, note: \"the server closes first\" }\n" \
	"  - { at: 100s, note: \"long after\" }\n" \
	"until: 200s\n"

#define PLAIN_YAML \
	"link: { delay: 50ms }\n" \
	"timeline:\n" \
	"  - { at: 0ms, server: listen }\n" \
	"  - { at: 10ms, client: connect }\n" \
	"  - { at: 2s, server: close }\n" \
	"until: 200s\n"

struct run {
	struct scenario sc;
	struct trace tr;
	struct trace_log log;
	struct sim_stats stats;
};

static void run_yaml(struct run *r, const char *yaml)
{
	char err[600];
	yaml_fixture_load(yaml, &r->sc);
	trace_init(&r->tr);
	trace_log_init(&r->log, &r->tr);
	trace_add_sink(&r->tr, trace_log_sink(&r->log));
	CU_ASSERT_EQUAL_FATAL(sim_run(&r->sc, NULL, &r->tr, &r->stats, err, sizeof err), 0);
}

static void run_free(struct run *r)
{
	trace_log_free(&r->log);
	trace_free(&r->tr);
	scenario_free(&r->sc);
}

/* The index in the log of the n-th (from 0) event of type t, or SIZE_MAX. */
static size_t nth_of(const struct trace_log *log, enum trace_type t, int n)
{
	for (size_t i = 0; i < log->n; i++)
		if (log->ev[i].type == t && n-- == 0)
			return i;
	return SIZE_MAX;
}

/* Each note at its time, whose it is, before the call beside it; the one
 * after the last event still told; the log's text its own (the scenario
 * freed first). */
static void test_notes_in_the_trace(void)
{
	struct run r;
	run_yaml(&r, NOTES_YAML);
	scenario_free(&r.sc);             /* the log must not point into it */
	size_t n0 = nth_of(&r.log, TRACE_NOTE, 0), n1 = nth_of(&r.log, TRACE_NOTE, 1);
	size_t n2 = nth_of(&r.log, TRACE_NOTE, 2), n3 = nth_of(&r.log, TRACE_NOTE, 3);
	CU_ASSERT_FATAL(n0 != SIZE_MAX && n1 != SIZE_MAX && n2 != SIZE_MAX && n3 != SIZE_MAX);
	CU_ASSERT_EQUAL(nth_of(&r.log, TRACE_NOTE, 4), SIZE_MAX);
	const struct trace_event *e0 = &r.log.ev[n0], *e1 = &r.log.ev[n1], *e2 = &r.log.ev[n2], *e3 = &r.log.ev[n3];
	CU_ASSERT_STRING_EQUAL(e0->u.note.text, "the client opens");
	CU_ASSERT_EQUAL(e0->t_us, 10000);
	CU_ASSERT_EQUAL(e0->endpoint, ROLE_CLIENT);
	CU_ASSERT_STRING_EQUAL(e1->u.note.text, "nothing moves");
	CU_ASSERT_EQUAL(e1->t_us, 1000000);
	CU_ASSERT_EQUAL(e1->endpoint, -1);
	CU_ASSERT_STRING_EQUAL(e2->u.note.text, "the server closes first");
	CU_ASSERT_EQUAL(e2->endpoint, ROLE_SERVER);
	CU_ASSERT_STRING_EQUAL(e3->u.note.text, "long after");
	CU_ASSERT_EQUAL(e3->t_us, 100000000);
	/* The connect call comes right after its note, the close after its. */
	size_t connect = nth_of(&r.log, TRACE_CALL, 1), close = nth_of(&r.log, TRACE_CALL, 2);
	CU_ASSERT_FATAL(connect != SIZE_MAX && close != SIZE_MAX);
	CU_ASSERT_EQUAL(r.log.ev[connect].u.call.call, CALL_CONNECT);
	CU_ASSERT_EQUAL(connect, n0 + 1);
	CU_ASSERT_EQUAL(r.log.ev[close].u.call.call, CALL_CLOSE);
	CU_ASSERT_EQUAL(close, n2 + 1);
	/* Time order holds across the log. */
	for (size_t i = 1; i < r.log.n; i++)
		CU_ASSERT(r.log.ev[i].t_us >= r.log.ev[i - 1].t_us);
	/* The last one is past the last event of the run. */
	CU_ASSERT(r.stats.end_us < e3->t_us);
	run_free(&r);
}

/* The same run without its notes: the same events, the notes aside. */
static void test_notes_change_nothing(void)
{
	struct run a, b;
	run_yaml(&a, NOTES_YAML);
	run_yaml(&b, PLAIN_YAML);
	size_t j = 0;
	for (size_t i = 0; i < a.log.n; i++) {
		if (a.log.ev[i].type == TRACE_NOTE)
			continue;
		CU_ASSERT_FATAL(j < b.log.n);
		CU_ASSERT_EQUAL(a.log.ev[i].type, b.log.ev[j].type);
		CU_ASSERT_EQUAL(a.log.ev[i].t_us, b.log.ev[j].t_us);
		j++;
	}
	CU_ASSERT_EQUAL(j, b.log.n);
	CU_ASSERT_EQUAL(a.stats.events, b.stats.events);
	run_free(&a);
	run_free(&b);
}

/* A run cut short by its event bound tells no note after the cut. */
static void test_no_note_after_a_cut(void)
{
	struct run r;
	struct sim_options opt = { .max_events = 3 };
	char err[600];
	yaml_fixture_load(NOTES_YAML, &r.sc);
	trace_init(&r.tr);
	trace_log_init(&r.log, &r.tr);
	trace_add_sink(&r.tr, trace_log_sink(&r.log));
	CU_ASSERT_EQUAL_FATAL(sim_run(&r.sc, &opt, &r.tr, &r.stats, err, sizeof err), 0);
	CU_ASSERT_EQUAL(r.stats.stop, SIM_STOP_EVENTS);
	for (size_t i = 0; i < r.log.n; i++)
		if (r.log.ev[i].type == TRACE_NOTE)
			CU_ASSERT(r.log.ev[i].t_us <= r.stats.end_us + 1000000);
	CU_ASSERT_EQUAL(nth_of(&r.log, TRACE_NOTE, 3), SIZE_MAX);
	run_free(&r);
}

/* The JSON line: type note, endpoint by name or null, the text escaped as
 * any string. */
static void test_note_json_lines(void)
{
	struct scenario sc;
	struct trace tr;
	struct sim_stats stats;
	char err[600], *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);
	CU_ASSERT_FATAL(f != NULL);
	struct json_out *jo = json_out_new(f);
	yaml_fixture_load("timeline:\n"
			  "  - { at: 0ms, server: listen, note: \"say \\\"hi\\\" — ✓\" }\n"
			  "  - { at: 5ms, note: \"alone\" }\n", &sc);
	trace_init(&tr);
	trace_add_sink(&tr, json_out_sink(jo));
	CU_ASSERT_EQUAL_FATAL(sim_run(&sc, NULL, &tr, &stats, err, sizeof err), 0);
	CU_ASSERT_EQUAL(json_out_finish(jo), 0);
	fclose(f);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "{\"t_us\":0,\"type\":\"note\",\"endpoint\":\"server\","
					     "\"text\":\"say \\\"hi\\\" — ✓\"}\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "{\"t_us\":5000,\"type\":\"note\",\"endpoint\":null,\"text\":\"alone\"}\n"));
	free(text);
	trace_free(&tr);
	scenario_free(&sc);
}

/* With many clients a client's note is told once, nobody's; a server's is
 * the listener's. */
static void test_notes_with_many_clients(void)
{
	struct run r;
	run_yaml(&r, "endpoints: { client: { count: 3, every: 1s } }\n"
		     "timeline:\n"
		     "  - { at: 0ms, server: listen, note: \"listening\" }\n"
		     "  - { at: 10ms, client: connect, note: \"each client opens\" }\n");
	size_t n0 = nth_of(&r.log, TRACE_NOTE, 0), n1 = nth_of(&r.log, TRACE_NOTE, 1);
	CU_ASSERT_FATAL(n0 != SIZE_MAX && n1 != SIZE_MAX);
	CU_ASSERT_EQUAL(nth_of(&r.log, TRACE_NOTE, 2), SIZE_MAX);
	CU_ASSERT_EQUAL(r.log.ev[n0].endpoint, 0);        /* the listener */
	CU_ASSERT_EQUAL(r.log.ev[n1].endpoint, -1);
	run_free(&r);
}

/* A note beside a call is told right before its call, after the calls
 * before it at that instant; a note alone at that instant before them all. */
static void test_note_beside_its_call(void)
{
	struct run r;
	run_yaml(&r, "timeline:\n"
		     "  - { at: 0ms, server: listen }\n"
		     "  - { at: 0ms, client: connect, note: \"the client opens\" }\n"
		     "  - { at: 0ms, note: \"alone\" }\n");
	size_t alone = nth_of(&r.log, TRACE_NOTE, 0), beside = nth_of(&r.log, TRACE_NOTE, 1);
	size_t listen = nth_of(&r.log, TRACE_CALL, 0), connect = nth_of(&r.log, TRACE_CALL, 1);
	CU_ASSERT_FATAL(alone != SIZE_MAX && beside != SIZE_MAX && listen != SIZE_MAX && connect != SIZE_MAX);
	CU_ASSERT_STRING_EQUAL(r.log.ev[alone].u.note.text, "alone");
	CU_ASSERT_STRING_EQUAL(r.log.ev[beside].u.note.text, "the client opens");
	CU_ASSERT(alone < listen);
	CU_ASSERT(listen < beside);
	CU_ASSERT_EQUAL(beside + 1, connect);
	run_free(&r);
}

TCPSIM_SUITE(engine_notes,
	{ "a note beside a call right before it; alone, before the instant", test_note_beside_its_call },
	{ "notes in the trace at their time, before the call beside them", test_notes_in_the_trace },
	{ "a note changes nothing in the run", test_notes_change_nothing },
	{ "no note after a run cut short", test_no_note_after_a_cut },
	{ "a note as a JSON line", test_note_json_lines },
	{ "notes with many clients: told once", test_notes_with_many_clients })
