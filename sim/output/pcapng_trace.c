/* pcapng_trace.c - the run's commented capture (see pcapng_trace.h).
 *
 * A frame's comments come from the events after it: the link's drop
 * follows the send at once, a state change follows the delivery that
 * caused it. So the last frame is held until the next segment event (or
 * the end) and the events between add to its comments. A packet's bytes
 * are encoded once, at the send, and kept until its last arrival, so
 * that both copies are the same bytes, IP ID included (counted per
 * sending endpoint as NAME.pcap counts it). */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "output/pcapng_out.h"
#include "output/pcapng_trace.h"
#include "output/resend.h"
#include "proto/packet.h"
#include "proto/tcp_state.h"

/* How long after an arrival a state change of its receiver is taken for
 * its effect (no other segment between them): the simulator's comes at
 * the same instant, a kernel's tracepoint fires some 50-150 us later. */
#define REACTION_US 1000
#define MAX_COMMENTS 6
#define COMMENT_MAX 160

/* A packet on the link: sent, not yet arrived as often as it will. */
struct in_flight {
	int src, dst;
	uint32_t seq, ack, len;
	uint8_t flags;
	uint8_t *bytes;              /* as encoded at the send */
	size_t n;
	uint64_t frame;              /* the sender's frame (1-based) */
	usec_t sent;
	int arrivals;                /* still to come: 1, 2 when the link duplicated it */
};

/* The frame written last, held for the comments the next events add. */
struct held {
	bool on;
	int iface;
	usec_t t;
	const uint8_t *bytes;        /* into an in_flight entry, or `own` */
	size_t n;
	uint8_t *own;                /* bytes of a packet no longer in flight */
	int receiver;                /* an arrival: whose state changes it may cause; -1 */
	bool is_send;                /* a send's frame (frame number pcapng_trace.frames) */
	char comments[MAX_COMMENTS][COMMENT_MAX];
	int n_comments;
};

/* Per endpoint kept: its IP IDs and what it has sent (for resends). */
struct endpoint_state {
	uint16_t next_ip_id;
	struct resend_state resends;
	bool delack_fired;           /* its delayed-ACK timer expired at delack_t (linux) */
	usec_t delack_t;
};

struct pcapng_trace {
	FILE *f;                     /* until the section header is written */
	struct pcapng_out *out;
	int keep[3], n_keep;
	struct endpoint_state *eps;  /* by endpoint index */
	size_t n_eps;
	struct in_flight *flight;
	size_t n_flight, cap_flight;
	struct held held;
	uint64_t frames;
	bool failed;
	char error[160];
};

/* Remembers the first failure, for close. */
static void fail(struct pcapng_trace *pt, const char *msg)
{
	if (!pt->failed)
		snprintf(pt->error, sizeof pt->error, "%s", msg);
	pt->failed = true;
}

/* Whether endpoint ep's packets are captured (-1, no endpoint: yes). The
 * unused places of keep hold -1. */
static inline bool kept(const struct pcapng_trace *pt, int ep)
{
	return ep < 0 || pt->n_keep == 0 || ep == pt->keep[0] || ep == pt->keep[1] || ep == pt->keep[2];
}

/* The interface of endpoint ep: 0 for a client, 1 for the rest. */
static int iface_of(const struct trace *tr, int ep)
{
	const char *name = tr->names[tr->endpoints[ep].name];

	return strncmp(name, "client", 6) == 0 ? 0 : 1;
}

/* Endpoint ep's state (NULL when out of memory). */
static struct endpoint_state *endpoint(struct pcapng_trace *pt, int ep)
{
	if ((size_t)ep >= pt->n_eps) {
		size_t n = (size_t)ep + 8;
		struct endpoint_state *e = realloc(pt->eps, n * sizeof *e);
		if (!e)
			return NULL;
		for (size_t i = pt->n_eps; i < n; i++)
			e[i] = (struct endpoint_state){ .next_ip_id = 1 };
		pt->eps = e;
		pt->n_eps = n;
	}
	return &pt->eps[ep];
}

/* Adds a comment to the held frame. */
static void comment(struct pcapng_trace *pt, const char *text)
{
	struct held *h = &pt->held;

	if (h->on && h->n_comments < MAX_COMMENTS)
		snprintf(h->comments[h->n_comments++], COMMENT_MAX, "%s", text);
}

/* Writes the section header and the two interfaces, once: the scenario's
 * name and summary (NULL: none) in its comment. */
static void start(struct pcapng_trace *pt, const char *name, const char *summary)
{
	char text[1024], err[160];

	if (pt->out || pt->failed)
		return;
	snprintf(text, sizeof text, "%s%s%s", name ? name : "", name && summary ? ": " : "", summary ? summary : "");
	pt->out = pcapng_open_stream(pt->f, text[0] ? text : NULL, "tcpsim " TCPSIM_VERSION, err, sizeof err);
	pt->f = NULL;
	if (!pt->out) {
		fail(pt, err);
		return;
	}
	if (pcapng_add_interface(pt->out, PCAPNG_LINKTYPE_RAW, "client", "a capture at the client") < 0 ||
	    pcapng_add_interface(pt->out, PCAPNG_LINKTYPE_RAW, "server", "a capture at the server") < 0)
		fail(pt, "writing the capture file");
}

/* Writes the held frame. */
static void flush(struct pcapng_trace *pt)
{
	struct held *h = &pt->held;
	const char *c[MAX_COMMENTS];

	if (!h->on)
		return;
	for (int i = 0; i < h->n_comments; i++)
		c[i] = h->comments[i];
	if (pt->out && pcapng_packet(pt->out, h->iface, h->t, h->bytes, h->n, c, (size_t)h->n_comments) < 0)
		fail(pt, "writing the capture file");
	free(h->own);
	memset(h, 0, sizeof *h);
}

/* Holds a new frame of n bytes on iface at t. */
static void hold(struct pcapng_trace *pt, int iface, usec_t t, const uint8_t *bytes, size_t n)
{
	flush(pt);
	pt->held = (struct held){ .on = true, .iface = iface, .t = t, .bytes = bytes, .n = n, .receiver = -1 };
	pt->frames++;
}

/* True when in-flight packet p is the segment of ev. */
static bool same(const struct in_flight *p, const struct trace_event *ev)
{
	const struct segment *s = &ev->u.segment.seg;

	return p->src == ev->u.segment.src && p->dst == ev->u.segment.dst && p->seq == s->seq && p->ack == s->ack &&
	       p->flags == s->flags && p->len == s->len;
}

/* The earliest packet in flight that ev is about, or NULL. */
static struct in_flight *find(struct pcapng_trace *pt, const struct trace_event *ev)
{
	for (size_t i = 0; i < pt->n_flight; i++)
		if (same(&pt->flight[i], ev))
			return &pt->flight[i];
	return NULL;
}

/* Takes packet p off the link; its bytes go with it, unless the held
 * frame shows them: then the frame keeps them until it is written. */
static void land(struct pcapng_trace *pt, struct in_flight *p)
{
	struct held *h = &pt->held;
	size_t i = (size_t)(p - pt->flight);

	if (h->on && h->bytes == p->bytes && !h->own)
		h->own = p->bytes;
	else
		free(p->bytes);
	memmove(p, p + 1, (pt->n_flight - i - 1) * sizeof *p);
	pt->n_flight--;
}

/* Whether the held frame is the send of packet p. */
static bool held_send_of(const struct pcapng_trace *pt, const struct in_flight *p)
{
	return pt->held.on && pt->held.is_send && p->frame == pt->frames;
}

/* A send: the packet encoded and put on the link, its frame held on the
 * sender's interface (none for a packet of no endpoint). */
static void on_send(struct pcapng_trace *pt, const struct trace *tr, const struct trace_event *ev)
{
	const struct segment *seg = &ev->u.segment.seg;
	int src = ev->u.segment.src;
	struct endpoint_state *e = src >= 0 ? endpoint(pt, src) : NULL;
	uint8_t *bytes;
	size_t n;

	if (src >= 0 && !e) {
		fail(pt, "out of memory");
		return;
	}
	if (ev->u.segment.raw) {
		n = ev->u.segment.raw_len;
		bytes = malloc(n ? n : 1);
		if (bytes)
			memcpy(bytes, ev->u.segment.raw, n);
	} else {
		size_t need = packet_size(seg);
		bytes = malloc(need);
		n = bytes ? packet_encode(seg, e ? e->next_ip_id : 0, bytes, need) : 0;
		if (e)
			e->next_ip_id++;
		if (bytes && n == 0) {
			free(bytes);
			fail(pt, "segment too large for an IPv4 packet");
			return;
		}
	}
	if (bytes && pt->n_flight == pt->cap_flight) {
		size_t cap = pt->cap_flight * 2 + 16;
		struct in_flight *fl = realloc(pt->flight, cap * sizeof *fl);
		if (fl) {
			pt->flight = fl;
			pt->cap_flight = cap;
		}
	}
	if (!bytes || pt->n_flight == pt->cap_flight) {
		free(bytes);
		fail(pt, "out of memory");
		return;
	}
	if (src < 0) {                           /* no sender to capture it: its arrival only */
		pt->flight[pt->n_flight++] = (struct in_flight){ src, ev->u.segment.dst, seg->seq, seg->ack, seg->len,
								seg->flags, bytes, n, 0, ev->t_us, 1 };
		return;
	}
	hold(pt, iface_of(tr, src), ev->t_us, bytes, n);
	pt->held.is_send = true;
	pt->flight[pt->n_flight++] = (struct in_flight){ src, ev->u.segment.dst, seg->seq, seg->ack, seg->len,
							 seg->flags, bytes, n, pt->frames, ev->t_us, 1 };
	unsigned times;
	char why[64], text[96];
	enum resend_kind kind = resend_classify(&e->resends, ev, &times);
	if (ev->u.segment.forged)
		comment(pt, "forged (inject)");
	if (e->delack_fired && e->delack_t == ev->t_us && kind == RESEND_NONE)
		comment(pt, "delayed ACK: the delayed-ACK timer expired");
	e->delack_fired = false;
	if (kind != RESEND_NONE) {
		resend_words(kind, times, why, sizeof why);
		snprintf(text, sizeof text, kind == RESEND_OTHER ? "%s" : "retransmission (%s)", why);
		comment(pt, text);
	}
}

/* An arrival: the frame on the receiver's interface, the same bytes as
 * sent; dropped there by the receiving host when reason says why. */
static void on_arrival(struct pcapng_trace *pt, const struct trace *tr, const struct trace_event *ev,
		       const char *reason)
{
	struct in_flight *p = find(pt, ev);
	int dst = ev->u.segment.dst;
	char text[COMMENT_MAX];

	if (!p || dst < 0)
		return;
	hold(pt, iface_of(tr, dst), ev->t_us, p->bytes, p->n);
	pt->held.receiver = dst;
	if (p->frame) {
		snprintf(text, sizeof text, "copy of frame %llu, %.1f ms on the link", (unsigned long long)p->frame,
			 (double)(ev->t_us - p->sent) / 1000);
		comment(pt, text);
	}
	if (reason) {
		snprintf(text, sizeof text, "dropped by the receiver: %s", reason);
		comment(pt, text);
	}
	if (--p->arrivals <= 0)
		land(pt, p);
}

/* The receiving host dropped the packet of ev (its reason said): the
 * arrival just held when the engine delivered it first, else an arrival
 * of its own. */
static void on_host_drop(struct pcapng_trace *pt, const struct trace *tr, const struct trace_event *ev)
{
	const struct held *h = &pt->held;
	char text[COMMENT_MAX];

	if (h->on && !h->is_send && h->receiver == ev->u.segment.dst && h->t == ev->t_us) {
		snprintf(text, sizeof text, "dropped by the receiver: %s", ev->u.segment.reason);
		comment(pt, text);
		return;
	}
	on_arrival(pt, tr, ev, ev->u.segment.reason);
}

/* The link lost the packet of ev (the frame held is its send's). */
static void on_link_drop(struct pcapng_trace *pt, const struct trace_event *ev)
{
	struct in_flight *p = find(pt, ev);

	if (!p)
		return;
	if (held_send_of(pt, p))
		comment(pt, "dropped by the link");
	if (--p->arrivals <= 0)
		land(pt, p);
}

/* The link made a second copy of the packet of ev. */
static void on_duplicate(struct pcapng_trace *pt, const struct trace_event *ev)
{
	struct in_flight *p = find(pt, ev);

	if (!p)
		return;
	p->arrivals++;
	if (held_send_of(pt, p))
		comment(pt, "duplicated by the link: it arrives twice");
}

/* A state change or a response row of the endpoint an arrival just
 * reached, within REACTION_US of it: what the packet made it do. */
static void on_reaction(struct pcapng_trace *pt, const struct trace *tr, const struct trace_event *ev)
{
	char name[TRACE_NAME_MAX], text[COMMENT_MAX], line[COMMENT_MAX];

	if (!pt->held.on || pt->held.receiver != ev->endpoint || ev->t_us < pt->held.t ||
	    ev->t_us - pt->held.t > REACTION_US)
		return;
	trace_endpoint_name(tr, ev->endpoint, name);
	if (ev->type == TRACE_STATE)
		snprintf(text, sizeof text, "%s -> %s (%s)", tcp_state_name(ev->u.state.from), tcp_state_name(ev->u.state.to),
			 ev->u.state.arc ? ev->u.state.arc : ev->u.state.cause ? ev->u.state.cause : "");
	else
		snprintf(text, sizeof text, "%s (%s)", ev->u.arc.cause ? ev->u.arc.cause : "", ev->u.arc.arc ? ev->u.arc.arc : "");
	snprintf(line, sizeof line, "%s: %s", name, text);
	comment(pt, line);
}

static void pcapng_trace_event(void *ctx, const struct trace *tr, const struct trace_event *ev)
{
	struct pcapng_trace *pt = ctx;

	/* First the common case of a run of many connections: a segment of
	 * another one, in a few instructions. */
	if (ev->type == TRACE_SEGMENT && pt->n_keep && (!kept(pt, ev->u.segment.src) || !kept(pt, ev->u.segment.dst)))
		return;
	if (ev->type == TRACE_SCENARIO) {
		start(pt, ev->u.scenario.name, ev->u.scenario.summary);
		return;
	}
	/* The retransmission timer's expiry, as its row of the table says it
	 * (T52a-f "timeout RTO", right before the resend): timer events are
	 * not asked for, which a run of a million connections would build
	 * for this file's one connection. */
	if (ev->type == TRACE_ARC && ev->u.arc.cause && strcmp(ev->u.arc.cause, "timeout RTO") == 0 &&
	    kept(pt, ev->endpoint)) {
		struct endpoint_state *e = endpoint(pt, ev->endpoint);
		if (e)
			resend_rto_fired(&e->resends);
		return;
	}
	if (ev->type == TRACE_STATE || ev->type == TRACE_ARC) {
		on_reaction(pt, tr, ev);
		return;
	}
	/* The linux profile's delayed-ACK timer expired: the ACK it sends
	 * next says so; its loss-probe timer: the resend is a TLP (their
	 * expiries only are asked for, not every set). */
	if (ev->type == TRACE_TIMER) {
		struct endpoint_state *e = kept(pt, ev->endpoint) ? endpoint(pt, ev->endpoint) : NULL;
		if (e && ev->u.timer.event == TIMER_FIRE && ev->u.timer.timer == TIMER_DELACK) {
			e->delack_fired = true;
			e->delack_t = ev->t_us;
		} else if (e && ev->u.timer.event == TIMER_FIRE && ev->u.timer.timer == TIMER_TLP) {
			resend_tlp_fired(&e->resends);
		}
		return;
	}
	if (ev->type != TRACE_SEGMENT)
		return;
	start(pt, NULL, NULL);
	switch (ev->u.segment.event) {
	case SEGEV_SEND:
		on_send(pt, tr, ev);
		break;
	case SEGEV_DELIVER:
		on_arrival(pt, tr, ev, NULL);
		break;
	case SEGEV_DROP:
		if (ev->u.segment.reason)
			on_host_drop(pt, tr, ev);
		else
			on_link_drop(pt, ev);
		break;
	case SEGEV_DUPLICATE:
		on_duplicate(pt, ev);
		break;
	}
}

struct pcapng_trace *pcapng_trace_open(FILE *f, const int *keep, int n_keep, char *err, size_t errlen)
{
	struct pcapng_trace *pt = calloc(1, sizeof *pt);

	if (!pt) {
		fclose(f);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	pt->f = f;
	pt->n_keep = n_keep < 0 ? 0 : n_keep > 3 ? 3 : n_keep;
	for (int i = 0; i < 3; i++)
		pt->keep[i] = i < pt->n_keep ? keep[i] : -1;
	return pt;
}

struct trace_sink pcapng_trace_sink(struct pcapng_trace *pt)
{
	struct trace_sink sink = {
		.event = pcapng_trace_event,
		.ctx = pt,
		.mask = trace_bit(TRACE_SCENARIO) | trace_bit(TRACE_STATE) | trace_bit(TRACE_ARC) |
			trace_seg_bit(SEGEV_SEND) | trace_seg_bit(SEGEV_DELIVER) | trace_seg_bit(SEGEV_DROP) |
			trace_seg_bit(SEGEV_DUPLICATE) | trace_timer_fire_bit(),
		.n_only = pt->n_keep,
	};
	for (int i = 0; i < pt->n_keep; i++)
		sink.only[i] = pt->keep[i];
	return sink;
}

int pcapng_trace_close(struct pcapng_trace *pt, char *err, size_t errlen)
{
	char msg[160] = "";
	int rc = 0;

	if (!pt)
		return 0;
	start(pt, NULL, NULL);                   /* a run without a packet: the headers alone */
	flush(pt);
	if (pcapng_close(pt->out, msg, sizeof msg) < 0)
		fail(pt, msg);
	if (pt->f)
		fclose(pt->f);
	if (pt->failed) {
		snprintf(err, errlen, "%s", pt->error);
		rc = -1;
	}
	for (size_t i = 0; i < pt->n_flight; i++)
		free(pt->flight[i].bytes);
	free(pt->flight);
	free(pt->eps);
	free(pt);
	return rc;
}
