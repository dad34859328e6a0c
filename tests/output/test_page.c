/* test_page.c - the step-through page: its steps, read from the runs of
 * shipped scenarios (what each step says and where both sides stand after
 * it, checked against the trace itself for every scenario), the variables'
 * snapshots, and the HTML it makes of them. The page in a browser is
 * tests/check_page.py's. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "output/page.h"
#include "output/page_steps.h"
#include "scenario_run.h"
#include "yaml_fixture.h"
#include "engine/sim.h"
#include "testing.h"

/* A shipped scenario's run and its steps. */
struct run {
	struct scenario sc;
	struct trace tr;
	struct trace_log log;
	struct page_steps ps;
};

static void run_open(struct run *r, const char *file)
{
	CU_ASSERT_FATAL(fixture_run_scenario_vars(file, &r->sc, &r->tr, &r->log) == 0);
	r->log.shown_connection = scenario_shown_connection(&r->sc, 0);   /* its show:, as run's */
	CU_ASSERT_FATAL(page_steps_build(&r->ps, &r->log) == 0);
}

static void run_close(struct run *r)
{
	page_steps_free(&r->ps);
	fixture_run_free(&r->sc, &r->tr, &r->log);
}

/* The first step of kind k for side s whose row on that side is arc
 * (NULL: any), from step `from` on; -1 when none. */
static long find_step(const struct page_steps *ps, size_t from, enum page_step_kind k, int s, const char *arc)
{
	for (size_t i = from; i < ps->n; i++) {
		const struct page_step *st = &ps->steps[i];
		if (st->kind == k && st->side == s && (!arc || (st->arc[s] && strcmp(st->arc[s], arc) == 0)))
			return (long)i;
	}
	return -1;
}

/* The Done-when step: the server's FIN, sent again by its timer, reaches
 * the client in TIME_WAIT, which answers and restarts 2MSL (S16). */
static void test_resent_fin(void)
{
	struct run r;
	run_open(&r, "scenarios/lost_final_ack.yaml");
	long i = find_step(&r.ps, 0, PAGE_DELIVER, LADDER_LEFT, "S16");
	CU_ASSERT_FATAL(i > 1);
	const struct page_step *st = &r.ps.steps[i], *sent = &r.ps.steps[i - 1];
	CU_ASSERT_EQUAL(st->state[LADDER_LEFT], TCPS_TIME_WAIT);
	CU_ASSERT_EQUAL(st->arc_step[LADDER_LEFT], 0);     /* a loop: no state change, no number */
	CU_ASSERT_PTR_NOT_NULL(strstr(st->text, "restart 2MSL"));
	CU_ASSERT_PTR_NOT_NULL(strstr(st->text, "RFC 9293 3.10.7.4"));
	CU_ASSERT_FATAL(st->seg != SIZE_MAX);
	const struct trace_event *seg = &r.log.ev[st->seg];
	CU_ASSERT_EQUAL(seg->u.segment.src, r.ps.lad.ep[LADDER_RIGHT]);
	CU_ASSERT(seg->u.segment.seg.flags & TH_FIN);
	/* The step before: the server sending it, and why. */
	CU_ASSERT_EQUAL(sent->kind, PAGE_SEND);
	CU_ASSERT_EQUAL(sent->seg, st->seg);
	CU_ASSERT_PTR_NOT_NULL(strstr(sent->text, "again: a retransmission (RTO 1)"));
	/* The 2MSL timer the client restarts runs on, 4 s from then. */
	CU_ASSERT(r.ps.steps[i + 1].timers[LADDER_LEFT][TIMER_TIME_WAIT].on);
	CU_ASSERT_EQUAL(r.ps.steps[i + 1].timers[LADDER_LEFT][TIMER_TIME_WAIT].due, st->t + 4000000);
	/* The lost final ACK: the link's step, at its sender. */
	long lost = find_step(&r.ps, 0, PAGE_LINK_DROP, LADDER_LEFT, NULL);
	CU_ASSERT_FATAL(lost > 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.ps.steps[lost].text, "never arrives"));
	/* While it is lost, the server's retransmission timer runs (a step
	 * keeps the timers as they were at it, not as the next one left them). */
	CU_ASSERT(r.ps.steps[lost].timers[LADDER_RIGHT][TIMER_RTO].on);
	CU_ASSERT_EQUAL(r.ps.steps[lost].timers[LADDER_RIGHT][TIMER_RTO].due, 1800000);
	run_close(&r);
}

/* The example: in a simultaneous close the client's FIN_WAIT_1
 * meets the server's FIN: T15, to CLOSING, on that FIN's arrival. */
static void test_simultaneous_close(void)
{
	struct run r;
	run_open(&r, "scenarios/simultaneous_close.yaml");
	long i = find_step(&r.ps, 0, PAGE_DELIVER, LADDER_LEFT, "T15");
	CU_ASSERT_FATAL(i > 0);
	const struct page_step *st = &r.ps.steps[i];
	CU_ASSERT_EQUAL(st->state[LADDER_LEFT], TCPS_CLOSING);
	CU_ASSERT(st->arc_step[LADDER_LEFT] > 0);
	CU_ASSERT_EQUAL(r.log.ev[st->seg].u.segment.src, r.ps.lad.ep[LADDER_RIGHT]);
	CU_ASSERT(r.log.ev[st->seg].u.segment.seg.flags & TH_FIN);
	CU_ASSERT_PTR_NOT_NULL(strstr(st->text, "\nT15: the client goes FIN_WAIT_1 -> CLOSING on rcv FIN"));
	/* No step before it has the client in CLOSING. */
	for (long k = 0; k < i; k++)
		CU_ASSERT_NOT_EQUAL(r.ps.steps[k].state[LADDER_LEFT], TCPS_CLOSING);
	run_close(&r);
}

/* The variables after the SYN,ACK reaches the client: its SYN is
 * acknowledged, the server's ISN is its IRS, RCV.NXT one past it. */
static void test_vars(void)
{
	struct run r;
	run_open(&r, "scenarios/lost_final_ack.yaml");
	long i = find_step(&r.ps, 0, PAGE_DELIVER, LADDER_LEFT, "T08");
	CU_ASSERT_FATAL(i > 0);
	const struct page_step *st = &r.ps.steps[i];
	CU_ASSERT_FATAL(st->has_vars[LADDER_LEFT]);
	const struct trace_vars *v = &st->vars[LADDER_LEFT];
	CU_ASSERT_EQUAL(v->state, TCPS_ESTABLISHED);
	CU_ASSERT_EQUAL(v->snd_una, v->iss + 1);
	CU_ASSERT_EQUAL(v->snd_nxt, v->iss + 1);
	CU_ASSERT(v->has_irs);
	CU_ASSERT_EQUAL(v->rcv_nxt, v->irs + 1);
	CU_ASSERT_EQUAL(v->unacked, 0);
	CU_ASSERT_EQUAL(v->irs, r.sc.ep[ROLE_SERVER].isn);
	/* Before it, the SYN was the one number outstanding. */
	CU_ASSERT_EQUAL(r.ps.steps[i - 1].vars[LADDER_LEFT].unacked, 1);
	run_close(&r);
}

/* Only a sink that asks gets the snapshots: a log attached as every
 * other output attaches its sink keeps none, so no other output sees a
 * new kind of event; one that asks gets one per event of its endpoints. */
static void test_vars_only_when_asked(void)
{
	struct scenario sc;
	struct trace tr;
	struct trace_log log;
	size_t vars = 0;

	CU_ASSERT_FATAL(fixture_run_scenario("scenarios/lost_final_ack.yaml", &sc, &tr, &log) == 0);
	size_t n = log.n;
	for (size_t k = 0; k < log.n; k++)
		vars += log.ev[k].type == TRACE_VARS;
	CU_ASSERT_EQUAL(vars + log.n_vars, 0);
	CU_ASSERT_FALSE(trace_wants(&tr, trace_bit(TRACE_VARS)));
	fixture_run_free(&sc, &tr, &log);

	CU_ASSERT_FATAL(fixture_run_scenario_vars("scenarios/lost_final_ack.yaml", &sc, &tr, &log) == 0);
	for (size_t k = 0; k < log.n; k++)
		vars += log.ev[k].type == TRACE_VARS;
	CU_ASSERT_EQUAL(vars, 0);            /* apart from the events: their indices do not move */
	CU_ASSERT_EQUAL(log.n, n);
	CU_ASSERT(log.n_vars >= 10);       /* one per event of the run (14) that reached an endpoint */
	fixture_run_free(&sc, &tr, &log);
}

/* The listener's full backlog drops the shown client's first SYN: one
 * step, the SYN's, says it arrived and that the host dropped it. */
static void test_host_drop(void)
{
	struct run r;
	run_open(&r, "scenarios/syn_flood_small_backlog.yaml");
	long i = find_step(&r.ps, 0, PAGE_HOST_DROP, LADDER_RIGHT, NULL);
	CU_ASSERT_FATAL(i > 0);
	const struct page_step *st = &r.ps.steps[i];
	CU_ASSERT_FATAL(st->seg != SIZE_MAX);
	CU_ASSERT(r.log.ev[st->seg].u.segment.seg.flags & TH_SYN);
	CU_ASSERT_PTR_NOT_NULL(strstr(st->text, "receives the client#12's S 0:0(0)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(st->text, "host drops it: backlog full."));
	CU_ASSERT_EQUAL(st->state[LADDER_RIGHT], TCPS_LISTEN);
	run_close(&r);
}

/* A forged segment is nobody's send: the words say it is forged, in
 * whose name, on the link and when it arrives. */
static void test_forged(void)
{
	struct run r;
	run_open(&r, "scenarios/blind_in_window_attacks.yaml");
	long i = find_step(&r.ps, 0, PAGE_DELIVER, LADDER_RIGHT, "S11");
	CU_ASSERT_FATAL(i > 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.ps.steps[i].text, "The server receives the forged R "));
	long sent = (long)i - 1;
	while (sent > 0 && r.ps.steps[sent].seg != r.ps.steps[i].seg)
		sent--;
	CU_ASSERT_EQUAL(r.ps.steps[sent].kind, PAGE_SEND);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.ps.steps[sent].text, "A forged segment in the client's name"));
	CU_ASSERT_EQUAL(r.ps.steps[sent - 1].kind, PAGE_CALL);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.ps.steps[sent - 1].text, "The scenario forges a segment"));
	run_close(&r);
}

/* A connection of many: server#2 is born of the listener's OPEN, the
 * first step of its path on the state diagram (T01, 1), so its first change
 * of its own (T04) is step 2 on the page and the ladder, as on the diagram. */
static void test_steps_of_a_connection_of_many(void)
{
	struct run r;
	CU_ASSERT_FATAL(fixture_run_scenario_vars("scenarios/flash_crowd.yaml", &r.sc, &r.tr, &r.log) == 0);
	r.log.shown_connection = 2;
	CU_ASSERT_FATAL(page_steps_build(&r.ps, &r.log) == 0);
	long i = find_step(&r.ps, 0, PAGE_DELIVER, LADDER_RIGHT, "T04");
	CU_ASSERT_FATAL(i > 0);
	CU_ASSERT_EQUAL(r.ps.steps[i].arc_step[LADDER_RIGHT], 2);
	long j = find_step(&r.ps, 0, PAGE_CALL, LADDER_LEFT, "T02");
	CU_ASSERT_FATAL(j > 0);
	CU_ASSERT_EQUAL(r.ps.steps[j].arc_step[LADDER_LEFT], 1);   /* the client opens its own */
	run_close(&r);
}

/* Replays the log's state and timer events up to event `last` for side
 * s's endpoint, as the trace says them. */
static void replay_side(const struct trace_log *log, int ep, size_t last, enum tcp_state initial, enum tcp_state *state,
			bool on[TIMER_KINDS], usec_t due[TIMER_KINDS])
{
	*state = initial;
	memset(on, 0, TIMER_KINDS * sizeof *on);
	for (size_t k = 0; k <= last && k < log->n; k++) {
		const struct trace_event *ev = &log->ev[k];
		if (ev->endpoint != ep || ep < 0)
			continue;
		if (ev->type == TRACE_STATE)
			*state = ev->u.state.to;
		if (ev->type == TRACE_TIMER) {
			on[ev->u.timer.timer] = ev->u.timer.event == TIMER_SET;
			due[ev->u.timer.timer] = ev->u.timer.due;
		}
	}
}

/* Every step of every shipped scenario: in time order, each side's state
 * and running timers after it are what the trace says up to its last
 * event, and a step about a segment points at that segment's send. */
static void test_every_scenario_agrees_with_trace(void)
{
	struct dirent **list;
	int n = scandir("scenarios", &list, fixture_yaml_only, alphasort);
	size_t checked = 0;

	CU_ASSERT_FATAL(n > 40);
	for (int f = 0; f < n; f++) {
		char file[512];
		struct run r;
		snprintf(file, sizeof file, "scenarios/%s", list[f]->d_name);
		run_open(&r, file);
		CU_ASSERT(r.ps.n > 1);
		for (size_t i = 0; i < r.ps.n; i++) {
			const struct page_step *st = &r.ps.steps[i];
			if (i > 0)
				CU_ASSERT(st->t >= r.ps.steps[i - 1].t && st->ev > r.ps.steps[i - 1].last_ev);
			CU_ASSERT(st->text[0] != '\0');
			/* A step about a segment knows which: a host's drop
			 * too, which follows the segment's delivery. */
			bool about_segment = st->kind == PAGE_SEND || st->kind == PAGE_DELIVER ||
					     st->kind == PAGE_LINK_DROP || st->kind == PAGE_HOST_DROP ||
					     st->kind == PAGE_DUPLICATE;
			if (about_segment && st->seg == SIZE_MAX)
				printf("\n%s step %zu: no segment: %s\n", list[f]->d_name, i, st->text);
			CU_ASSERT(!about_segment || st->seg != SIZE_MAX);
			if (st->seg != SIZE_MAX) {
				CU_ASSERT_FATAL(st->seg < r.log.n);
				CU_ASSERT(r.log.ev[st->seg].type == TRACE_SEGMENT &&
					  r.log.ev[st->seg].u.segment.event == SEGEV_SEND);
			}
			for (int s = 0; s < 2; s++) {
				enum tcp_state state;
				bool on[TIMER_KINDS];
				usec_t due[TIMER_KINDS];
				replay_side(&r.log, r.ps.lad.ep[s], st->last_ev, r.ps.steps[0].state[s], &state, on, due);
				if (st->state[s] != state)
					printf("\n%s step %zu side %d: %s, the trace %s\n", list[f]->d_name, i, s,
					       tcp_state_name(st->state[s]), tcp_state_name(state));
				CU_ASSERT_EQUAL(st->state[s], state);
				for (int t = 0; t < TIMER_KINDS; t++) {
					CU_ASSERT_EQUAL(st->timers[s][t].on, on[t]);
					if (on[t])
						CU_ASSERT_EQUAL(st->timers[s][t].due, due[t]);
				}
			}
			checked++;
		}
		run_close(&r);
		free(list[f]);
	}
	free(list);
	CU_ASSERT(checked > 1000);
}

/* The page of a scenario whose words try to end the page's script: they
 * stay data (every "<" in the steps is \u003c), and the page fetches
 * nothing (no src or href to anywhere). */
static void test_page_html(void)
{
	static const char yaml[] =
		"summary: \"</script><script>alert(1)</script> & <b>bold</b>\"\n"
		"link: { delay: 10ms }\n"
		"timeline:\n"
		"  - { at: 0ms, server: listen }\n"
		"  - { at: 1ms, note: \"</script><img src=x onerror=alert(2)>\" }\n"
		"  - { at: 1ms, client: connect }\n";
	struct scenario sc;
	struct trace tr;
	struct trace_log log;
	struct sim_stats stats;
	char err[256], *html = NULL;
	size_t len = 0;

	yaml_fixture_load(yaml, &sc);
	trace_init(&tr);
	trace_log_init(&log, &tr);
	log.keep_vars = true;
	trace_add_sink(&tr, trace_log_sink(&log));
	CU_ASSERT_FATAL(sim_run(&sc, NULL, &tr, &stats, err, sizeof err) == 0);
	CU_ASSERT_FATAL(page_render(&log, NULL, &html, &len, err, sizeof err) == 0);
	CU_ASSERT_EQUAL(strlen(html), len);
	/* Two scripts, the steps' and the page's, and no third. */
	size_t scripts = 0;
	for (const char *p = html; (p = strstr(p, "<script")); p++)
		scripts++;
	CU_ASSERT_EQUAL(scripts, 2);
	CU_ASSERT_PTR_NULL(strstr(html, "<img src=x"));
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "\\u003c/script\\u003e\\u003cimg src=x"));
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "&lt;/script&gt;&lt;script&gt;alert(1)"));   /* the heading */
	CU_ASSERT_PTR_NULL(strstr(html, "src=\"http"));
	CU_ASSERT_PTR_NULL(strstr(html, "href=\"http"));
	CU_ASSERT_PTR_NULL(strstr(html, "xlink:href=\"http"));
	/* The pictures' parts the script looks for. */
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "_seg\" class=\"edge segment\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "class=\"edge step_client_1\""));
	free(html);
	trace_log_free(&log);
	trace_free(&tr);
	scenario_free(&sc);
}

TCPSIM_SUITE(page,
	{ "lost_final_ack: the resent FIN takes S16 in TIME_WAIT", test_resent_fin },
	{ "simultaneous_close: CLOSING on the server's FIN", test_simultaneous_close },
	{ "the variables after the handshake", test_vars },
	{ "variables only for a sink that asks", test_vars_only_when_asked },
	{ "every shipped scenario's steps agree with its trace", test_every_scenario_agrees_with_trace },
	{ "the page: hostile words stay data, nothing fetched", test_page_html },
	{ "a SYN the full backlog drops: delivered, then dropped", test_host_drop },
	{ "a forged segment's words", test_forged },
	{ "a connection of many numbers its steps as the diagram", test_steps_of_a_connection_of_many })
