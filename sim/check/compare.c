/* compare.c - the simulator's trace and the kernel's side by side.
 *
 * Each list (an endpoint's states, the segments sent) is aligned by a longest
 * common subsequence; a pair whose times differ beyond the tolerance, or an
 * item on one side only, is a difference, classified by the first rule of
 * docs/linux-differences.md that explains it, else unexpected. States are
 * compared by sequence (their times are shown, not judged: they follow the
 * segments'); segments by (source, flags, relative seq, ack, len), then time.
 * Windows (K2) and options (K5) are not compared. */
#include <stdlib.h>
#include <string.h>
#include "base/bigarray.h"
#include "base/role.h"
#include "check/compare.h"
#include "proto/segment.h"


/* One item of a list: a state, or a segment with its relative numbers. */
struct item {
	usec_t t;
	enum tcp_state state;
	int src;
	struct seg_line l;
	bool retrans;                /* a segment equal to an earlier one of its list */
};

struct list {
	struct item *v;
	size_t n, cap;
};

static int list_push(struct list *l, const struct item *it)
{
	struct item *v = bigarray_grow(l->v, &l->cap, l->n + 1, sizeof *v, 16);
	if (!v)
		return -1;
	l->v = v;
	l->v[l->n++] = *it;
	return 0;
}

/* The state sequence of endpoint ep: CLOSED at 0, then each change's `to`. */
/* The listener a connection of many was accepted from: the plain server
 * when ep is server#K, else -1. The replay's server is one endpoint that
 * listens and then follows its connection, so the simulator's server#K is
 * compared with the listener's states before its own. */
static int listener_of(const struct trace *tr, int ep)
{
	uint32_t k;

	if (ep < 0 || trace_endpoint_role(tr, ep, &k) != ROLE_SERVER || k == 0)
		return -1;
	for (size_t i = 0; i < tr->n_endpoints; i++)
		if (trace_endpoint_role(tr, (int)i, &k) == ROLE_SERVER && k == 0)
			return (int)i;
	return -1;
}

/* CLOSED, then the state of each of ep's state events; for server#K, the
 * listener's up to server#K's first (listener_of()). */
static int state_list(const struct trace_log *log, int ep, struct list *out)
{
	struct item it = { .t = 0, .state = TCPS_CLOSED };
	int lst = listener_of(log->trace, ep);
	bool own = lst < 0;

	if (list_push(out, &it) < 0)
		return -1;
	for (size_t i = 0; ep >= 0 && i < log->n; i++) {
		const struct trace_event *ev = &log->ev[i];
		if (ev->type != TRACE_STATE || (ev->endpoint != ep && (own || ev->endpoint != lst)))
			continue;
		if (ev->endpoint == ep)
			own = true;
		it.t = ev->t_us;
		it.state = ev->u.state.to;
		if (list_push(out, &it) < 0)
			return -1;
	}
	return 0;
}

static bool seg_key_eq(const struct item *a, const struct item *b)
{
	return a->src == b->src && a->l.flags == b->l.flags && a->l.seq == b->l.seq &&
	       a->l.len == b->l.len && a->l.has_ack == b->l.has_ack && a->l.ack == b->l.ack;
}

/* Whether it resends earlier, a segment of the same side sent before: the
 * same segment, or the same sequence space (text, SYN or FIN) whose ack has
 * moved on since (a FIN resent after the peer's FIN arrived: ack 1, then
 * ack 2). A pure ACK with a new ack is a new ACK, not a resend. */
static bool resends(const struct item *it, const struct item *earlier)
{
	if (seg_key_eq(earlier, it))
		return true;
	bool occupies = it->l.len > 0 || (it->l.flags & (TH_SYN | TH_FIN));
	return occupies && earlier->src == it->src && earlier->l.flags == it->l.flags && earlier->l.seq == it->l.seq &&
	       earlier->l.len == it->l.len && earlier->l.has_ack && it->l.has_ack &&
	       (int32_t)(it->l.ack - earlier->l.ack) > 0;
}

/* The segments sent between the pair's endpoints, in trace order; src is 0
 * for the client's, 1 for the server's. */
static int segment_list(const struct trace_log *log, int cl, int sv, struct list *out)
{
	struct seg_numbering nb;
	bool *dropped = trace_log_dropped(log);
	int rc = -1;

	if (!dropped || seg_numbering_init(&nb, log->trace) < 0) {
		free(dropped);
		return -1;
	}
	for (size_t i = 0; i < log->n; i++) {
		const struct trace_event *ev = &log->ev[i];
		if (ev->type != TRACE_SEGMENT || ev->u.segment.event != SEGEV_SEND)
			continue;
		struct item it = { .t = ev->t_us };
		seg_numbering_line(&nb, log->trace, ev, dropped[i], &it.l);
		int s = ev->u.segment.src, d = ev->u.segment.dst;
		if (!((s == cl && d == sv) || (s == sv && d == cl)))
			continue;
		it.src = s == cl ? 0 : 1;
		for (size_t k = 0; k < out->n; k++)
			if (resends(&it, &out->v[k]))
				it.retrans = true;
		if (list_push(out, &it) < 0)
			goto out;
	}
	rc = 0;
out:
	seg_numbering_free(&nb);
	free(dropped);
	return rc;
}

static int push_row(struct cmp_section *s, const struct cmp_row *r)
{
	struct cmp_row *v = bigarray_grow(s->rows, &s->cap, s->n + 1, sizeof *v, 16);
	if (!v)
		return -1;
	s->rows = v;
	s->rows[s->n++] = *r;
	return 0;
}

typedef bool (*item_eq)(const struct item *a, const struct item *b);

static bool state_eq(const struct item *a, const struct item *b)
{
	return a->state == b->state;
}

/* The LCS alignment of a and b: pairs (i, j), i or j -1 for one side only,
 * in order. Returns the count, or -1 when out of memory (*pairs NULL). */
static long align(const struct list *a, const struct list *b, item_eq eq, long (**pairs)[2])
{
	size_t n = a->n, m = b->n, w = m + 1;
	unsigned *dp = calloc((n + 1) * w, sizeof *dp);
	long (*p)[2] = malloc((n + m + 1) * sizeof *p);
	long k = 0;

	*pairs = NULL;
	if (!dp || !p) {
		free(dp);
		free(p);
		return -1;
	}
	for (size_t i = n; i-- > 0;)
		for (size_t j = m; j-- > 0;) {
			unsigned best = dp[(i + 1) * w + j] > dp[i * w + j + 1] ? dp[(i + 1) * w + j]
										: dp[i * w + j + 1];
			if (eq(&a->v[i], &b->v[j]) && dp[(i + 1) * w + j + 1] + 1 > best)
				best = dp[(i + 1) * w + j + 1] + 1;
			dp[i * w + j] = best;
		}
	size_t i = 0, j = 0;
	while (i < n || j < m) {
		if (i < n && j < m && eq(&a->v[i], &b->v[j]) && dp[i * w + j] == dp[(i + 1) * w + j + 1] + 1) {
			p[k][0] = (long)i++;
			p[k++][1] = (long)j++;
		} else if (j == m || (i < n && dp[(i + 1) * w + j] >= dp[i * w + j + 1])) {
			p[k][0] = (long)i++;
			p[k++][1] = -1;
		} else {
			p[k][0] = -1;
			p[k++][1] = (long)j++;
		}
	}
	free(dp);
	*pairs = p;
	return k;
}

static bool pure_ack(const struct item *it)
{
	return it->l.flags == TH_ACK && it->l.len == 0;
}


static void seg_text(const struct item *it, char *buf, size_t cap)
{
	struct seg_line l = it->l;

	l.has_time = l.has_win = l.has_mss = false;
	seg_line_format(&l, buf, cap);
}

/* The row's last word, then its count: a difference no rule explains, at
 * or after the first call Linux cannot make (less the tolerance: the
 * replay's call comes a few microseconds after the simulator's), is "Linux
 * cannot". */
static void settle(struct compare_result *res, struct cmp_row *r)
{
	if (!cmp_row_differs(r))
		return;
	if (!r->known && res->n_cannot_calls) {
		usec_t from = res->cannot[0].t > res->tolerance_us ? res->cannot[0].t - res->tolerance_us : 0;
		r->cannot = (r->has_sim && r->sim_t >= from) || (r->has_kernel && r->kernel_t >= from);
	}
	if (r->known)
		res->n_known++;
	else if (r->cannot)
		res->n_cannot++;
	else
		res->n_unexpected++;
}

/* The kernel log's calls that Linux cannot make, of the compared pair. */
static void find_cannot(const struct trace_log *kernel, const int pair[2], struct compare_result *res)
{
	for (size_t i = 0; i < kernel->n; i++) {
		const struct trace_event *ev = &kernel->ev[i];
		if (ev->type != TRACE_CALL || !ev->u.call.cannot ||
		    (ev->endpoint != pair[0] && ev->endpoint != pair[1]))
			continue;
		if (res->n_cannot_calls < CMP_CANNOT_MAX)
			res->cannot[res->n_cannot_calls] = (struct cmp_cannot){
				.t = ev->t_us,
				.endpoint = ev->endpoint == pair[0] ? "client" : "server",
				.call = ev->u.call.call,
				.why = ev->u.call.cannot,
			};
		res->n_cannot_calls++;
	}
}

static int compare_states(const struct list *s, const struct list *k, usec_t tol, struct cmp_section *sec,
			  struct compare_result *res)
{
	long (*p)[2];
	long n = align(s, k, state_eq, &p);

	if (n < 0)
		return -1;
	for (long i = 0; i < n; i++) {
		struct cmp_row r = { 0 };
		if (p[i][0] >= 0) {
			const struct item *it = &s->v[p[i][0]];
			r.has_sim = true;
			r.sim_t = it->t;
			snprintf(r.sim, sizeof r.sim, "%s", tcp_state_name(it->state));
		}
		if (p[i][1] >= 0) {
			const struct item *it = &k->v[p[i][1]];
			r.has_kernel = true;
			r.kernel_t = it->t;
			snprintf(r.kernel, sizeof r.kernel, "%s", tcp_state_name(it->state));
		}
		if (r.has_sim && r.has_kernel) {
			r.kind = CMP_SAME;
		} else if (r.has_sim) {
			r.kind = CMP_SIM_ONLY;
			/* K4: the replay stops in TIME_WAIT. */
			long si = p[i][0];
			if (s->v[si].state == TCPS_CLOSED && si > 0 && s->v[si - 1].state == TCPS_TIME_WAIT)
				r.known = "K4";
		} else {
			r.kind = CMP_KERNEL_ONLY;
		}
		settle(res, &r);
		if (push_row(sec, &r) < 0) {
			free(p);
			return -1;
		}
	}
	free(p);
	return 0;
}

/* A pair of the alignment: either side may be missing. */
struct pair {
	const struct item *s, *k;
};

struct pairs {
	struct pair *v;
	size_t n;
};

/* The aligned pairs of one direction's segments (src 0 or 1), appended. */
static int align_direction(const struct list *s, const struct list *k, int src, struct pairs *out)
{
	struct list ds = { 0 }, dk = { 0 };
	long (*p)[2] = NULL;
	long n = -1;

	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].src == src && list_push(&ds, &s->v[i]) < 0)
			goto out;
	for (size_t i = 0; i < k->n; i++)
		if (k->v[i].src == src && list_push(&dk, &k->v[i]) < 0)
			goto out;
	n = align(&ds, &dk, seg_key_eq, &p);
	if (n < 0)
		goto out;
	/* Grown once per direction by the pairs align() found: two calls in all. */
	struct pair *v = realloc(out->v, (out->n + (size_t)n + 1) * sizeof *v);
	if (!v) {
		n = -1;
		goto out;
	}
	out->v = v;
	/* Point into s and k, which outlive ds and dk. */
	for (long i = 0; i < n; i++) {
		struct pair q = { NULL, NULL };
		for (size_t j = 0, c = 0; p[i][0] >= 0 && j < s->n; j++)
			if (s->v[j].src == src && c++ == (size_t)p[i][0])
				q.s = &s->v[j];
		for (size_t j = 0, c = 0; p[i][1] >= 0 && j < k->n; j++)
			if (k->v[j].src == src && c++ == (size_t)p[i][1])
				q.k = &k->v[j];
		out->v[out->n++] = q;
	}
out:
	free(p);
	bigarray_free(ds.v, ds.cap * sizeof *ds.v);
	bigarray_free(dk.v, dk.cap * sizeof *dk.v);
	return n < 0 ? -1 : 0;
}

static usec_t pair_time(const struct pair *q)
{
	return q->s ? q->s->t : q->k->t;
}

static bool data_seg(const struct item *it)
{
	return it->l.len > 0 && !(it->l.flags & (TH_SYN | TH_FIN | TH_RST));
}

/* A payload, with or without a FIN riding on it. */
static bool carries_data(const struct item *it)
{
	return it->l.len > 0 && !(it->l.flags & (TH_SYN | TH_RST));
}

/* K12: how much longer Linux took to send one direction's data than the
 * simulator: the span from its first data segment to its last, less the
 * simulator's (retransmissions aside, K6). Linux's congestion window lets
 * 10 segments out at first (TCP_INIT_CWND) and the rest once they are
 * acknowledged, a round trip later or more; the simulator has none. Returns
 * the larger of the two directions' excess, 0 when neither is longer by
 * more than tol. */
static long long flight_excess(const struct list *s, const struct list *k, usec_t tol)
{
	long long most = 0;

	for (int src = 0; src < 2; src++) {
		long long span[2] = { 0, 0 };
		const struct list *l[2] = { s, k };
		for (int side = 0; side < 2; side++) {
			usec_t first = 0, last = 0;
			bool any = false;
			for (size_t i = 0; i < l[side]->n; i++) {
				const struct item *it = &l[side]->v[i];
				if (it->src != src || !carries_data(it) || it->retrans)
					continue;
				if (!any)
					first = it->t;
				last = it->t;
				any = true;
			}
			span[side] = any ? (long long)(last - first) : 0;
		}
		if (span[1] - span[0] > most)
			most = span[1] - span[0];
	}
	return most > (long long)tol ? most : 0;
}

/* K5: a data segment whose bytes the other side sent too, cut differently
 * (Linux's segments carry 12 bytes of timestamps: MSS - 12 of data); the
 * other side's bytes may be on its FIN segment (K10). */
static bool bytes_covered(const struct item *it, const struct list *other)
{
	uint32_t at = it->l.seq;

	for (bool moved = true; moved && at < it->l.end;) {
		moved = false;
		for (size_t j = 0; j < other->n; j++) {
			const struct item *x = &other->v[j];
			if (x->src == it->src && carries_data(x) && x->l.seq <= at && x->l.end > at) {
				at = x->l.end;
				moved = true;
			}
		}
	}
	return at >= it->l.end;
}

/* K5: a pure ACK of a boundary between data segments the other side cut
 * differently: the end of a data segment of its own list, not the other's. */
static bool acks_own_cut(const struct item *it, const struct list *own, const struct list *other)
{
	bool own_cut = false, other_cut = false;

	for (size_t j = 0; j < own->n; j++)
		if (own->v[j].src != it->src && data_seg(&own->v[j]) && own->v[j].l.end == it->l.ack)
			own_cut = true;
	for (size_t j = 0; j < other->n; j++)
		if (other->v[j].src != it->src && data_seg(&other->v[j]) && other->v[j].l.end == it->l.ack)
			other_cut = true;
	return own_cut && !other_cut;
}

/* A FIN (no SYN, RST): alone when it carries no data. */
static bool fin_seg(const struct item *it)
{
	return (it->l.flags & TH_FIN) && !(it->l.flags & (TH_SYN | TH_RST));
}

/* K10: a FIN that went alone on one side and on the last data segment on
 * the other, at the same sequence number. Linux, closed while data waits for
 * its congestion window, puts the FIN on the last queued segment
 * (tcp_send_fin()); the simulator, with no congestion window, has sent all
 * the data before the close and sends the FIN alone. it is one side's FIN
 * segment: alone, or with data the other side sent too (K5's way). */
static bool fin_moved(const struct item *it, const struct list *other)
{
	bool alone = it->l.len == 0;

	if (!fin_seg(it) || (!alone && !bytes_covered(it, other)))
		return false;
	for (size_t j = 0; j < other->n; j++) {
		const struct item *x = &other->v[j];
		if (x->src == it->src && fin_seg(x) && (x->l.len == 0) != alone && x->l.end == it->l.end)
			return true;
	}
	return false;
}

/* K11: Linux's pure ACK of the peer's SYN,ACK where the simulator's first
 * data segment, at the same time, carried that ACK: the simulator sends the
 * data queued in SYN-SENT on the ACK that completes the handshake (RFC 9293
 * 3.10.7.3 allows it); Linux acknowledges at once (tcp_send_ack() in
 * tcp_rcv_synsent_state_process()), and the replay's send follows. */
static bool handshake_ack_alone(const struct item *it, const struct list *k, const struct list *s, usec_t tol)
{
	bool synack = false;

	if (!pure_ack(it))
		return false;
	for (size_t j = 0; j < k->n; j++) {
		const struct item *x = &k->v[j];
		if (x->src != it->src && x->l.flags == (TH_SYN | TH_ACK) && x->t <= it->t && it->l.ack == x->l.seq + 1)
			synack = true;
	}
	for (size_t j = 0; synack && j < s->n; j++) {
		const struct item *x = &s->v[j];
		if (x->src == it->src && carries_data(x) && x->l.has_ack && x->l.ack == it->l.ack &&
		    x->l.seq == it->l.seq && x->t + tol >= it->t && x->t <= it->t + tol)
			return true;
	}
	return false;
}

/* The time difference (kernel - simulator) between it, a retransmission of
 * data on one side only, and the other side's retransmission of the same
 * first byte nearest to it in time (cut differently, so never paired with
 * it); false when the other side has none. kernel: it is the kernel's. */
static bool retrans_diff(const struct item *it, const struct list *other, bool kernel, long long *d)
{
	bool found = false;

	for (size_t j = 0; j < other->n; j++) {
		const struct item *x = &other->v[j];
		if (x->src != it->src || !x->retrans || !carries_data(x) || x->l.seq > it->l.seq || x->l.end <= it->l.seq)
			continue;
		long long e = kernel ? (long long)it->t - (long long)x->t : (long long)x->t - (long long)it->t;
		if (!found || llabs(e) < llabs(*d))
			*d = e;
		found = true;
	}
	return found;
}

/* A segment of the simulator's that Linux did not send. */
static void classify_sim_only(struct cmp_row *r, const struct item *si, const struct list *s, const struct list *k)
{
	r->kind = CMP_SIM_ONLY;
	if (data_seg(si) && bytes_covered(si, k))
		r->known = "K5";
	else if (pure_ack(si) && acks_own_cut(si, s, k))
		r->known = "K5";
	else if (fin_moved(si, k))
		r->known = "K10";
	else if (si->retrans)
		r->known = "K6";
}

/* A segment of Linux's that the simulator did not send. */
static void classify_kernel_only(struct cmp_row *r, const struct item *ki, const struct list *s,
				 const struct list *k, usec_t tol)
{
	r->kind = CMP_KERNEL_ONLY;
	if (data_seg(ki) && bytes_covered(ki, s))
		r->known = "K5";
	else if (pure_ack(ki) && acks_own_cut(ki, k, s))
		r->known = "K5";
	else if (fin_moved(ki, s))
		r->known = "K10";
	else if (handshake_ack_alone(ki, k, s, tol))
		r->known = "K11";
	else if (ki->retrans)
		r->known = "K6";
}

/* Classifies one aligned pair. *shift and *shift_rule carry the time
 * difference of the last known difference, which later pairs may keep. */
static void classify(struct cmp_row *r, const struct pair *q, const struct list *s, const struct list *k,
		     usec_t tol, long long excess, long long *shift, const char **shift_rule)
{
	const struct item *si = q->s, *ki = q->k;

	if (si && ki) {
		long long d = (long long)ki->t - (long long)si->t;
		r->kind = (usec_t)llabs(d) <= tol ? CMP_SAME : CMP_TIME;
		if (r->kind == CMP_SAME) {
			/* K7: what follows may carry this pair's lateness on,
			 * and add up to the tolerance again. */
			*shift = d;
			*shift_rule = d ? "K7" : NULL;
			return;
		}
		if (*shift_rule && (usec_t)llabs(d - *shift) <= tol)
			r->known = *shift_rule;      /* follows an earlier known delay */
		else if (si->retrans || ki->retrans)
			r->known = "K6";
		else if (excess && d > 0 && d <= excess + (long long)tol)
			r->known = "K12";
		if (r->known) {
			*shift = d;
			*shift_rule = r->known;
		}
		return;
	}
	bool kernel = !si;
	const struct item *it = kernel ? ki : si;
	long long d = 0;
	if (kernel)
		classify_kernel_only(r, ki, s, k, tol);
	else
		classify_sim_only(r, si, s, k);
	/* K6: a retransmission at another time than the other side's, cut
	 * differently (K5), so never paired with it: what follows keeps the
	 * difference between the two. */
	if (r->known && it->retrans && carries_data(it) && retrans_diff(it, kernel ? s : k, kernel, &d) &&
	    (usec_t)llabs(d) > tol) {
		*shift = d;
		*shift_rule = "K6";
	}
}

/* Each direction aligned on its own (the order of segments crossing on the
 * link is a matter of timing), the two merged by time, then classified in
 * time order: a time difference equal to that of the known difference before
 * it is a consequence of it. */
static int compare_segments(const struct list *s, const struct list *k, usec_t tol,
			    struct cmp_section *sec, struct compare_result *res)
{
	struct pairs d[2] = { 0 };
	long long shift = 0;
	const char *shift_rule = NULL;
	int rc = -1;

	if (align_direction(s, k, 0, &d[0]) < 0 || align_direction(s, k, 1, &d[1]) < 0)
		goto out;
	long long excess = flight_excess(s, k, tol);
	for (size_t i = 0, j = 0; i < d[0].n || j < d[1].n;) {
		bool first = j == d[1].n || (i < d[0].n && pair_time(&d[0].v[i]) <= pair_time(&d[1].v[j]));
		const struct pair *q = first ? &d[0].v[i++] : &d[1].v[j++];
		struct cmp_row r = { 0 };
		if (q->s) {
			r.has_sim = true;
			r.sim_t = q->s->t;
			seg_text(q->s, r.sim, sizeof r.sim);
		}
		if (q->k) {
			r.has_kernel = true;
			r.kernel_t = q->k->t;
			seg_text(q->k, r.kernel, sizeof r.kernel);
		}
		classify(&r, q, s, k, tol, excess, &shift, &shift_rule);
		settle(res, &r);
		if (push_row(sec, &r) < 0)
			goto out;
	}
	rc = 0;
out:
	free(d[0].v);
	free(d[1].v);
	return rc;
}

bool cmp_row_differs(const struct cmp_row *row)
{
	return row->kind != CMP_SAME;
}

int compare_logs(const struct trace_log *sim, const struct trace_log *kernel, usec_t link_delay_us,
		 struct compare_result *res)
{
	const struct trace_log *logs[2] = { sim, kernel };
	struct list st[2][2] = { 0 }, sg[2] = { 0 };
	int pair[2][2], rc = -1;

	memset(res, 0, sizeof *res);
	res->tolerance_us = 5 * USEC_PER_MS + link_delay_us / 10;
	snprintf(res->sec[0].title, sizeof res->sec[0].title, "client states");
	snprintf(res->sec[1].title, sizeof res->sec[1].title, "server states");
	snprintf(res->sec[2].title, sizeof res->sec[2].title, "segments");
	for (int i = 0; i < 2; i++) {
		trace_pick_pair(logs[i]->trace, logs[i]->shown_connection, &pair[i][0], &pair[i][1]);
		for (int e = 0; e < 2; e++)
			if (state_list(logs[i], pair[i][e], &st[i][e]) < 0)
				goto out;
		if (segment_list(logs[i], pair[i][0], pair[i][1], &sg[i]) < 0)
			goto out;
	}
	find_cannot(kernel, pair[1], res);
	for (int e = 0; e < 2; e++)
		if (compare_states(&st[0][e], &st[1][e], res->tolerance_us, &res->sec[e], res) < 0)
			goto out;
	if (compare_segments(&sg[0], &sg[1], res->tolerance_us, &res->sec[2], res) < 0)
		goto out;
	rc = 0;
out:
	for (int i = 0; i < 2; i++) {
		bigarray_free(st[i][0].v, st[i][0].cap * sizeof *st[i][0].v);
		bigarray_free(st[i][1].v, st[i][1].cap * sizeof *st[i][1].v);
		bigarray_free(sg[i].v, sg[i].cap * sizeof *sg[i].v);
	}
	if (rc < 0)
		compare_free(res);
	return rc;
}

void compare_free(struct compare_result *res)
{
	for (int i = 0; i < CMP_SECTIONS; i++)
		bigarray_free(res->sec[i].rows, res->sec[i].cap * sizeof *res->sec[i].rows);
	memset(res, 0, sizeof *res);
}
