/* test_link.c - the virtual wire: delay, loss, scripted drops, duplication,
 * jitter, and the trace events it emits. */
#include <string.h>
#include "link/link.h"
#include "testing.h"

struct seen {
	int n;
	enum seg_event ev[64];
	usec_t t[64];
	uint32_t seq[64];
};

static void record(void *ctx, const struct trace *tr, const struct trace_event *ev)
{
	struct seen *s = ctx;
	if (ev->type != TRACE_SEGMENT || s->n == 64)
		return;
	s->ev[s->n] = ev->u.segment.event;
	s->t[s->n] = ev->t_us;
	s->seq[s->n] = ev->u.segment.seg.seq;
	s->n++;
}

struct fixture {
	struct link_params p;
	struct trace tr;
	struct eventq q;
	struct rng rng;
	struct link l;
	struct seen seen;
};

static void setup(struct fixture *f, usec_t delay)
{
	memset(f, 0, sizeof *f);
	f->p.dir[ROLE_CLIENT].delay = delay;
	f->p.dir[ROLE_SERVER].delay = delay;
	trace_init(&f->tr);
	trace_add_sink(&f->tr, (struct trace_sink){ .event = record, .ctx = &f->seen });
	eventq_init(&f->q);
	rng_seed(&f->rng, 1);
}

static void start(struct fixture *f)
{
	CU_ASSERT_EQUAL_FATAL(link_init(&f->l, &f->p, &f->rng, &f->q, &f->tr), 0);
}

static void teardown(struct fixture *f)
{
	link_free(&f->l);
	eventq_free(&f->q);
	trace_free(&f->tr);
}

static struct segment seg(uint32_t seq, uint8_t flags)
{
	struct segment s = { .src_ip = 1, .dst_ip = 2, .src_port = 3, .dst_port = 4, .seq = seq, .flags = flags };
	return s;
}

/* Pops every arrival, in order, releasing it; returns how many. */
static int drain(struct fixture *f, usec_t *at, uint32_t *seqs, int max)
{
	struct event ev;
	int n = 0;
	while (eventq_pop(&f->q, &ev)) {
		const struct flight *fl = link_arrive(&f->l, ev.at, ev.a);
		if (n < max) {
			at[n] = ev.at;
			seqs[n] = fl->seg.seq;
		}
		link_release(&f->l, ev.a);
		n++;
	}
	return n;
}

static void test_delay(void)
{
	struct fixture f;
	setup(&f, 50000);
	start(&f);
	struct segment s = seg(7, TH_SYN);
	CU_ASSERT_EQUAL(link_send(&f.l, 10000, ROLE_CLIENT, 0, 1, &s, false), 0);
	usec_t at[4];
	uint32_t seqs[4];
	CU_ASSERT_EQUAL(drain(&f, at, seqs, 4), 1);
	CU_ASSERT_EQUAL(at[0], 60000);
	CU_ASSERT_EQUAL(seqs[0], 7);
	CU_ASSERT_EQUAL(f.seen.n, 2);
	CU_ASSERT_EQUAL(f.seen.ev[0], SEGEV_SEND);
	CU_ASSERT_EQUAL(f.seen.t[0], 10000);
	CU_ASSERT_EQUAL(f.seen.ev[1], SEGEV_DELIVER);
	CU_ASSERT_EQUAL(f.seen.t[1], 60000);
	teardown(&f);
}

/* Without jitter the wire is FIFO, also for segments sent at one instant. */
static void test_fifo(void)
{
	struct fixture f;
	setup(&f, 1000);
	start(&f);
	for (uint32_t i = 0; i < 10; i++) {
		struct segment s = seg(i, TH_ACK);
		link_send(&f.l, 5, ROLE_SERVER, 1, 0, &s, false);
	}
	usec_t at[10];
	uint32_t seqs[10];
	CU_ASSERT_EQUAL(drain(&f, at, seqs, 10), 10);
	for (uint32_t i = 0; i < 10; i++)
		CU_ASSERT_EQUAL(seqs[i], i);
	teardown(&f);
}

static void test_scripted_drop_nth_with_flags(void)
{
	struct fixture f;
	setup(&f, 1000);
	struct drop_rule r = { .from = ROLE_CLIENT, .has_flags = true, .flags = TH_FIN | TH_ACK, .nth = 2 };
	f.p.drops = &r;
	f.p.n_drops = 1;
	start(&f);
	uint8_t flags[] = { TH_SYN, TH_FIN | TH_ACK, TH_ACK, TH_FIN | TH_ACK, TH_FIN | TH_ACK };
	for (uint32_t i = 0; i < 5; i++) {
		struct segment s = seg(i, flags[i]);
		link_send(&f.l, 0, ROLE_CLIENT, 0, 1, &s, false);
	}
	/* A server FIN does not count against a client rule, nor does a forged one. */
	struct segment s = seg(9, TH_FIN | TH_ACK);
	link_send(&f.l, 0, ROLE_SERVER, 1, 0, &s, false);
	link_send(&f.l, 0, ROLE_CLIENT, 0, 1, &s, true);
	usec_t at[8];
	uint32_t seqs[8];
	CU_ASSERT_EQUAL(drain(&f, at, seqs, 8), 6);
	CU_ASSERT_EQUAL(f.l.n_dropped, 1);
	/* The second client FIN, seq 3, is the one missing. */
	for (int i = 0; i < 6; i++)
		CU_ASSERT_NOT_EQUAL(seqs[i], 3);
	teardown(&f);
}

static void test_loss_all_and_none(void)
{
	struct fixture f;
	setup(&f, 1000);
	f.p.dir[ROLE_CLIENT].loss = 1.0;
	start(&f);
	for (uint32_t i = 0; i < 20; i++) {
		struct segment s = seg(i, TH_ACK);
		link_send(&f.l, 0, ROLE_CLIENT, 0, 1, &s, false);
		link_send(&f.l, 0, ROLE_SERVER, 1, 0, &s, false);
	}
	usec_t at[64];
	uint32_t seqs[64];
	CU_ASSERT_EQUAL(drain(&f, at, seqs, 64), 20);    /* only the server's arrive */
	CU_ASSERT_EQUAL(f.l.n_dropped, 20);
	teardown(&f);
}

static void test_duplicate(void)
{
	struct fixture f;
	setup(&f, 1000);
	f.p.dir[ROLE_CLIENT].duplicate = 1.0;
	start(&f);
	struct segment s = seg(42, TH_ACK);
	link_send(&f.l, 0, ROLE_CLIENT, 0, 1, &s, false);
	usec_t at[4];
	uint32_t seqs[4];
	CU_ASSERT_EQUAL(drain(&f, at, seqs, 4), 2);
	CU_ASSERT_EQUAL(seqs[0], 42);
	CU_ASSERT_EQUAL(seqs[1], 42);
	CU_ASSERT_EQUAL(f.seen.ev[1], SEGEV_DUPLICATE);
	teardown(&f);
}

static void test_jitter_bounded_and_seeded(void)
{
	usec_t first[50];
	for (int run = 0; run < 2; run++) {
		struct fixture f;
		setup(&f, 10000);
		f.p.dir[ROLE_CLIENT].jitter = 5000;
		start(&f);
		for (uint32_t i = 0; i < 50; i++) {
			struct segment s = seg(i, TH_ACK);
			link_send(&f.l, 0, ROLE_CLIENT, 0, 1, &s, false);
		}
		usec_t at[50];
		uint32_t seqs[50];
		CU_ASSERT_EQUAL(drain(&f, at, seqs, 50), 50);
		bool reordered = false;
		for (int i = 0; i < 50; i++) {
			CU_ASSERT_TRUE(at[i] >= 10000 && at[i] <= 15000);
			if (i && seqs[i] < seqs[i - 1])
				reordered = true;
			if (run == 0)
				first[i] = at[i];
			else
				CU_ASSERT_EQUAL(at[i], first[i]);    /* same seed, same times */
		}
		CU_ASSERT_TRUE(reordered);
		teardown(&f);
	}
}

static void test_reorder(void)
{
	struct fixture f;
	setup(&f, 10000);
	f.p.dir[ROLE_CLIENT].reorder = 1.0;
	start(&f);
	struct segment s = seg(1, TH_ACK);
	link_send(&f.l, 0, ROLE_CLIENT, 0, 1, &s, false);
	usec_t at[2];
	uint32_t seqs[2];
	CU_ASSERT_EQUAL(drain(&f, at, seqs, 2), 1);
	CU_ASSERT_EQUAL(at[0], 20000);                 /* held back one more delay */
	teardown(&f);
}

static void test_payload_copied(void)
{
	struct fixture f;
	setup(&f, 1);
	start(&f);
	uint8_t data[3] = { 'a', 'b', 'c' };
	struct segment s = seg(1, TH_ACK | TH_PSH);
	s.len = 3;
	s.data = data;
	link_send(&f.l, 0, ROLE_CLIENT, 0, 1, &s, false);
	data[0] = 'x';                                 /* the sender's buffer moves on */
	struct event ev;
	CU_ASSERT_TRUE_FATAL(eventq_pop(&f.q, &ev));
	const struct flight *fl = link_arrive(&f.l, ev.at, ev.a);
	CU_ASSERT_EQUAL(fl->seg.len, 3);
	CU_ASSERT_EQUAL(memcmp(fl->seg.data, "abc", 3), 0);
	link_release(&f.l, ev.a);
	teardown(&f);
}

TCPSIM_SUITE(link,
	{ "a segment arrives one delay later", test_delay },
	{ "without jitter the wire is FIFO", test_fifo },
	{ "scripted drop: nth match of from and flags", test_scripted_drop_nth_with_flags },
	{ "loss 1 drops all of one direction only", test_loss_all_and_none },
	{ "duplicate delivers twice", test_duplicate },
	{ "jitter stays in [delay, delay+jitter], same seed same times", test_jitter_bounded_and_seeded },
	{ "reorder holds a segment back one delay", test_reorder },
	{ "the link keeps its own copy of the payload", test_payload_copied })
