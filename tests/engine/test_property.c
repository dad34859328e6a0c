/* test_property.c - a property over 1,000 seeds: whatever the link does
 * (loss up to 30% each way, duplication, reordering, jitter), the server's
 * application reads the client's bytes exactly once, in order, and both ends
 * reach CLOSED; or one end gives up (T53a, T53b) and is CLOSED, and what was
 * delivered until then is still a correct prefix of the stream.
 *
 * Two checks on the sender keep a retransmission bug from hiding behind the
 * give-up branch: a retransmission timeout resends the segment at the front
 * of the queue, from SND.UNA (section 3.10.8), at once; and an end gives up
 * only after its profile's retries, all without SND.UNA advancing
 * (docs/decisions.md, "Give-up").
 *
 * The scenarios are built in C, as the loader would fill them; the link's
 * parameters, the window and MSS, the size sent and the call times come from
 * a PRNG seeded with the seed, which is also the run's seed. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "proto/payload.h"
#include "base/rng.h"
#include "proto/seq.h"
#include "engine/sim.h"
#include "tcp/tcp.h"
#include "testing.h"

#define N_SEEDS 1000
#define SEND_MAX_BYTES 50000
#define MAX_REPORTED 10
#define N_TIMELINE 4

/* After the longest SYN give-up (rfc9293: 243 s after the connect at 10 ms):
 * a CLOSE in SYN-SENT would delete the TCB (T06) without a give-up and
 * without the data, which the property cannot tell from a bug. */
#define LATE_US (250 * USEC_PER_SEC)

/* What the sink knows of one end as a sender. */
struct sender {
	bool have_iss;
	uint32_t iss;
	uint32_t una;                   /* the highest ACK delivered to it: SND.UNA */
	int timeouts;                   /* RTO expiries since SND.UNA last advanced */
	bool rtx_due;                   /* an RTO fired: a retransmission must follow */
	usec_t rtx_due_at;
};

/* What the sink saw of one run. */
struct observed {
	struct tcp_params params;       /* the limits the give-ups are checked against */
	uint64_t sent;                  /* what the client's application sends */
	uint64_t delivered[NROLES];     /* bytes handed to each application */
	bool have_state[NROLES];
	enum tcp_state last[NROLES];    /* the last state the trace gave each end */
	bool gave_up[NROLES];           /* a T53a or T53b state event */
	bool gave_up_last[NROLES];      /* ... and no state event since */
	struct sender snd[NROLES];
	char error[200];                /* the first thing that broke the property */
};

/* Records the first error of a run. */
static void fail_run(struct observed *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail_run(struct observed *o, const char *fmt, ...)
{
	va_list ap;

	if (o->error[0])
		return;
	va_start(ap, fmt);
	vsnprintf(o->error, sizeof(o->error), fmt, ap);
	va_end(ap);
}

/* A delivery: the bytes must be the pattern at the receiver's running
 * offset, and never more than the client sent (the server sends nothing). */
static void check_data(struct observed *o, const struct trace *tr, const struct trace_event *ev)
{
	int ep = ev->endpoint;
	uint64_t off = o->delivered[ep], n = ev->u.data.bytes;
	uint64_t limit = ep == ROLE_SERVER ? o->sent : 0;

	if (off + n > limit)
		fail_run(o, "%s: %llu bytes at offset %llu, past the %llu sent", tr->names[tr->endpoints[ep].name],
			 (unsigned long long)n, (unsigned long long)off, (unsigned long long)limit);
	for (uint64_t i = 0; i < n && !o->error[0]; i++)
		if (ev->u.data.data[i] != payload_pattern_byte(off + i))
			fail_run(o, "%s: byte %llu is '%c', the stream holds '%c' there",
				 tr->names[tr->endpoints[ep].name], (unsigned long long)(off + i),
				 ev->u.data.data[i], payload_pattern_byte(off + i));
	o->delivered[ep] = off + n;
}

/* The retransmissions a give-up leaving `from` comes after (a SYN's
 * syn_linear_timeouts count on top, as in Linux's tcp_write_timeout()). */
static int retry_limit(const struct tcp_params *p, enum tcp_state from)
{
	if (from == TCPS_SYN_SENT)
		return p->syn_retries + p->syn_linear_timeouts;
	if (from == TCPS_SYN_RECEIVED)
		return p->synack_retries;
	return p->retries;
}

/* A state change: the last state, and whether it is a give-up, which must
 * end in CLOSED after exactly the profile's retransmissions. */
static void check_state(struct observed *o, const struct trace_event *ev)
{
	int ep = ev->endpoint;
	const char *arc = ev->u.state.arc;
	bool give_up = arc && (strcmp(arc, "T53a") == 0 || strcmp(arc, "T53b") == 0);
	struct sender *s = &o->snd[ep];

	o->have_state[ep] = true;
	o->last[ep] = ev->u.state.to;
	o->gave_up_last[ep] = give_up;
	if (!give_up)
		return;
	o->gave_up[ep] = true;
	if (ev->u.state.to != TCPS_CLOSED)
		fail_run(o, "%s gave up (%s) into %s, not CLOSED", role_name((enum role)ep), arc,
			 tcp_state_name(ev->u.state.to));
	if (!s->rtx_due)
		fail_run(o, "%s gave up (%s) without a retransmission timeout", role_name((enum role)ep), arc);
	else if (s->timeouts != retry_limit(&o->params, ev->u.state.from) + 1)
		fail_run(o, "%s gave up (%s) after %d timeouts, not %d", role_name((enum role)ep), arc,
			 s->timeouts, retry_limit(&o->params, ev->u.state.from) + 1);
	s->rtx_due = false;
}

/* A segment: SYNs set a sender's ISS, ACKs delivered to it advance its
 * SND.UNA, and the first segment it sends after an RTO expiry must be the
 * front of its queue: from SND.UNA, a SYN while nothing is acknowledged,
 * else data or the FIN. */
static void check_segment(struct observed *o, const struct trace_event *ev)
{
	const struct segment *seg = &ev->u.segment.seg;
	int src = ev->u.segment.src, dst = ev->u.segment.dst;

	if (ev->u.segment.event == SEGEV_SEND && src >= 0 && src < NROLES) {
		struct sender *s = &o->snd[src];
		if ((seg->flags & TH_SYN) && (!s->have_iss || seg->seq != s->iss)) {
			/* A new connection (a SYN,ACK after a give-up, say). */
			*s = (struct sender){ .have_iss = true, .iss = seg->seq, .una = seg->seq };
			return;
		}
		if (!s->rtx_due)
			return;
		s->rtx_due = false;
		if (seg->seq != s->una)
			fail_run(o, "%s resent from %u after a timeout, SND.UNA is %u", role_name((enum role)src),
				 seg->seq - s->iss, s->una - s->iss);
		else if (s->una == s->iss && !(seg->flags & TH_SYN))
			fail_run(o, "%s's timeout resent no SYN", role_name((enum role)src));
		else if (s->una != s->iss && !seg->len && !(seg->flags & TH_FIN))
			fail_run(o, "%s's timeout resent neither data nor FIN", role_name((enum role)src));
		return;
	}
	if (ev->u.segment.event == SEGEV_DELIVER && dst >= 0 && dst < NROLES) {
		struct sender *s = &o->snd[dst];
		/* In SYN-SENT only a SYN,ACK acknowledges (a bare ACK, the
		 * rfc9293 answer to a retransmitted SYN, is dropped). */
		bool syn_sent = o->have_state[dst] && o->last[dst] == TCPS_SYN_SENT;
		if (s->have_iss && (seg->flags & TH_ACK) && !(seg->flags & TH_RST) &&
		    (!syn_sent || (seg->flags & TH_SYN)) && seq_gt(seg->ack, s->una)) {
			s->una = seg->ack;
			s->timeouts = 0;
		}
	}
}

/* The trace sink: dispatches to the checks above. A retransmission owed
 * since an earlier instant is an error at whatever event comes next. */
static void observe(void *ctx, const struct trace *tr, const struct trace_event *ev)
{
	struct observed *o = ctx;
	int ep = ev->endpoint;

	for (int r = 0; r < NROLES; r++)
		if (o->snd[r].rtx_due && ev->t_us > o->snd[r].rtx_due_at)
			fail_run(o, "%s's RTO fired at %llu us and nothing was resent",
				 role_name((enum role)r), (unsigned long long)o->snd[r].rtx_due_at);
	if (ep < 0 || ep >= NROLES)
		return;
	switch (ev->type) {
	case TRACE_STATE:
		check_state(o, ev);
		break;
	case TRACE_DATA:
		check_data(o, tr, ev);
		break;
	case TRACE_SEGMENT:
		check_segment(o, ev);
		break;
	case TRACE_TIMER:
		if (ev->u.timer.timer == TIMER_RTO && ev->u.timer.event == TIMER_FIRE) {
			o->snd[ep].timeouts++;
			o->snd[ep].rtx_due = true;
			o->snd[ep].rtx_due_at = ev->t_us;
		}
		break;
	default:
		break;
	}
}

/* A uniform probability in [0, max]. */
static double draw_prob(struct rng *r, double max)
{
	return rng_unit(r) * max;
}

/* One direction of the link. */
static void draw_link_dir(struct rng *r, struct link_dir *d, double max_loss)
{
	d->delay = (1 + rng_upto(r, 99)) * USEC_PER_MS;
	d->jitter = rng_upto(r, 20 * USEC_PER_MS);
	d->loss = draw_prob(r, max_loss);
	d->duplicate = draw_prob(r, 0.1);
	d->reorder = draw_prob(r, 0.1);
}

/* The scenario of seed k, its timeline in tl. max_loss and retries (-1:
 * the profile's) let the give-up test push the same scenarios harder. */
static void build_scenario(uint64_t k, double max_loss, int retries, struct scenario *sc,
			   struct timeline_entry tl[N_TIMELINE])
{
	static char name[] = "property";
	struct rng r;
	usec_t send_at, close_at;

	rng_seed(&r, k);
	memset(sc, 0, sizeof(*sc));
	memset(tl, 0, N_TIMELINE * sizeof(*tl));
	sc->path = sc->name = sc->base = name;
	sc->seed = k;
	sc->profile = k % 2 ? PROFILE_LINUX : PROFILE_RFC9293;
	sc->ep[ROLE_CLIENT] = (struct endpoint_spec){
		.ip = 0x0a000001, .port = 40000, .isn = 1000, .count = 1,
	};
	sc->ep[ROLE_SERVER] = (struct endpoint_spec){
		.ip = 0x0a000002, .port = 80, .isn = 5000, .count = 1, .on_eof_close = true,
	};
	for (int d = 0; d < NROLES; d++)
		draw_link_dir(&r, &sc->link.dir[d], max_loss);
	/* A window below the data and an MSS off the usual sizes cut segments
	 * at odd places, so that a retransmission from SND.UNA overlaps what
	 * the receiver already has in part. Half the runs keep the defaults. */
	if (rng_upto(&r, 1)) {
		sc->tcp.has_mss = sc->tcp.has_window = true;
		sc->tcp.v.mss = 200 + (uint32_t)rng_upto(&r, 1260);
		sc->tcp.v.window = 1000 + (uint32_t)rng_upto(&r, 64535);
	}
	if (retries >= 0) {
		sc->tcp.has_retries = sc->tcp.has_syn_retries = true;
		sc->tcp.v.retries = sc->tcp.v.syn_retries = retries;
	}
	/* Either the data is queued early (often in SYN-SENT, U03) and the
	 * close comes late, or both come late, the FIN queued behind data in
	 * flight: both calls after every SYN give-up. Or a blocking client
	 * sends and closes as soon as it is connected (wait: established),
	 * however long the handshake takes. */
	bool wait = false;
	switch (rng_upto(&r, 2)) {
	case 0:
		send_at = (10 + rng_upto(&r, 490)) * USEC_PER_MS;
		close_at = LATE_US + rng_upto(&r, USEC_PER_SEC);
		break;
	case 1:
		send_at = LATE_US + rng_upto(&r, USEC_PER_SEC);
		close_at = send_at + rng_upto(&r, 200 * USEC_PER_MS);
		break;
	default:
		send_at = close_at = 10 * USEC_PER_MS;
		wait = true;
		break;
	}
	tl[0] = (struct timeline_entry){ .at = 0, .who = ROLE_SERVER, .call = CALL_LISTEN };
	tl[1] = (struct timeline_entry){ .at = 10 * USEC_PER_MS, .who = ROLE_CLIENT, .call = CALL_CONNECT };
	tl[2] = (struct timeline_entry){
		.at = send_at, .who = ROLE_CLIENT, .call = CALL_SEND,
		.bytes = 1 + rng_upto(&r, SEND_MAX_BYTES - 1), .wait_established = wait,
	};
	tl[3] = (struct timeline_entry){
		.at = close_at, .who = ROLE_CLIENT, .call = CALL_CLOSE, .wait_established = wait,
	};
	sc->timeline = tl;
	sc->n_timeline = N_TIMELINE;
	/* A safety net: every run here ends long before (R2 is about 15 min). */
	sc->has_until = true;
	sc->until = 2 * 3600 * USEC_PER_SEC;
}

/* Totals over a batch of seeds. */
struct tally {
	unsigned runs, completed, give_ups, failures;
	uint64_t events, retransmissions;
	usec_t longest;
};

/* Why run k broke the property, or NULL. buf holds the message when it is
 * built here. */
static const char *verdict(const struct observed *o, int rc, const char *err,
			   const struct sim_stats *stats, char *buf, size_t cap)
{
	bool give_up = o->gave_up[ROLE_CLIENT] || o->gave_up[ROLE_SERVER];
	bool all_closed = o->have_state[ROLE_CLIENT] && o->last[ROLE_CLIENT] == TCPS_CLOSED &&
			  o->have_state[ROLE_SERVER] && o->last[ROLE_SERVER] == TCPS_CLOSED;

	if (rc < 0)
		return err;
	if (stats->stop == SIM_STOP_UNTIL)
		return "stopped by `until` (2 h of virtual time)";
	if (o->error[0])
		return o->error;
	for (int r = 0; r < NROLES; r++)
		if (o->snd[r].rtx_due)
			return "the run ended with a retransmission owed";
	if (give_up) {
		for (int r = 0; r < NROLES; r++)
			if (o->gave_up_last[r] && o->last[r] != TCPS_CLOSED)
				return "the end that gave up is not CLOSED";
		return NULL;
	}
	if (o->delivered[ROLE_SERVER] != o->sent) {
		snprintf(buf, cap, "no give-up, but the server read %llu of %llu bytes",
			 (unsigned long long)o->delivered[ROLE_SERVER], (unsigned long long)o->sent);
		return buf;
	}
	if (!all_closed) {
		snprintf(buf, cap, "no give-up, but the ends finished in %s and %s",
			 tcp_state_name(o->last[ROLE_CLIENT]), tcp_state_name(o->last[ROLE_SERVER]));
		return buf;
	}
	return NULL;
}

/* Runs seed k and checks the property; prints the first failures with their
 * seed so that a failing run can be replayed. */
static void run_seed(uint64_t k, double max_loss, int retries, struct tally *t)
{
	struct scenario sc;
	struct timeline_entry tl[N_TIMELINE];
	struct observed o;
	struct trace tr;
	struct sim_stats stats;
	char err[256] = "", buf[200];

	build_scenario(k, max_loss, retries, &sc, tl);
	memset(&o, 0, sizeof(o));
	tcp_params_resolve(sc.profile, &sc.tcp, &o.params);
	o.sent = tl[2].bytes;
	trace_init(&tr);
	trace_add_sink(&tr, (struct trace_sink){ .event = observe, .ctx = &o });
	int rc = sim_run(&sc, NULL, &tr, &stats, err, sizeof(err));
	trace_free(&tr);

	const char *why = verdict(&o, rc, err, &stats, buf, sizeof(buf));
	t->runs++;
	t->events += stats.events;
	t->retransmissions += stats.retransmissions;
	if (stats.end_us > t->longest)
		t->longest = stats.end_us;
	if (o.gave_up[ROLE_CLIENT] || o.gave_up[ROLE_SERVER])
		t->give_ups++;
	else if (!why)
		t->completed++;
	if (!why)
		return;
	if (t->failures < MAX_REPORTED)
		fprintf(stderr, "\nproperty: seed %llu (%s, %llu bytes, loss %.3f/%.3f): %s",
			(unsigned long long)k, profile_name(sc.profile), (unsigned long long)o.sent,
			sc.link.dir[ROLE_CLIENT].loss, sc.link.dir[ROLE_SERVER].loss, why);
	t->failures++;
}

/* One line of totals on stderr. */
static void print_tally(const char *what, const struct tally *t)
{
	fprintf(stderr, "\nproperty (%s): %u runs, %u completed, %u give-ups, %u failures; "
		"%llu events, %llu retransmissions, longest run %.3f s virtual\n",
		what, t->runs, t->completed, t->give_ups, t->failures, (unsigned long long)t->events,
		(unsigned long long)t->retransmissions, (double)t->longest / USEC_PER_SEC);
}

/* 1,000 seeds at up to 30% loss with the profiles' retries: every run holds
 * the property, and nearly all complete (a give-up takes 7 to 16 losses in
 * a row). */
static void test_seeds(void)
{
	struct tally t = { 0 };

	for (uint64_t k = 1; k <= N_SEEDS; k++)
		run_seed(k, 0.30, -1, &t);
	print_tally("loss up to 30%", &t);
	CU_ASSERT_EQUAL(t.failures, 0);
	CU_ASSERT_EQUAL(t.runs, N_SEEDS);
	/* Give-ups are rare: the test checks delivery, not mostly give-ups. */
	CU_ASSERT_TRUE(t.give_ups <= N_SEEDS / 50);
	/* And the link did lose segments: retransmission was exercised. */
	CU_ASSERT_TRUE(t.retransmissions > N_SEEDS);
}

/* The same scenarios with 80% loss and 2 retries: give-ups are common, and
 * the property's other branch holds too. */
static void test_give_ups(void)
{
	struct tally t = { 0 };

	for (uint64_t k = 1; k <= 100; k++)
		run_seed(k, 0.80, 2, &t);
	print_tally("loss up to 80%, 2 retries", &t);
	CU_ASSERT_EQUAL(t.failures, 0);
	CU_ASSERT_TRUE(t.give_ups >= 10);
	CU_ASSERT_TRUE(t.completed >= 1);
}

TCPSIM_SUITE(property,
	{ "1,000 seeds, loss up to 30%: all bytes once and in order, or a give-up", test_seeds },
	{ "80% loss, 2 retries: give-ups end CLOSED with a correct prefix", test_give_ups })
