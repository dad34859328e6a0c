/* bridge.c - the replay's wire: two TUN devices joined through the link.
 *
 * One loop turn (bridge_poll): ppoll on both TUNs with a timeout that ends at
 * the next scheduled arrival (ppoll, not poll: arrivals are due to the
 * microsecond, poll would round to milliseconds); drain both TUNs, putting
 * each TCP packet on the link at the current real time; then write every
 * arrival that is due. The link keeps the packet's own bytes with the segment
 * (link_send_raw), so what host B's kernel receives is exactly what host A's
 * sent, options (timestamps, SACK, window scale) and IP header included; only
 * segments with no bytes of their own (forged ones, later) or a bridge made
 * with `reencode` go through packet_encode. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "replay/bridge.h"
#include "proto/packet.h"

/* Packets read from one TUN in one bridge_poll at most, so that a flood on
 * one side cannot hold back the arrivals due. */
#define BRIDGE_READ_BURST 256

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Records why bridge_poll fails and sets errno to e; returns -1. */
static int fail(struct bridge *b, const char *what, int e)
{
	snprintf(b->error, sizeof(b->error), "%s: %s", what, strerror(e));
	errno = e;
	return -1;
}

int bridge_init(struct bridge *b, const struct bridge_config *cfg, char *err, size_t errlen)
{
	memset(b, 0, sizeof(*b));
	b->tun_fd[BRIDGE_A] = b->tun_fd[BRIDGE_B] = -1;
	for (int i = 0; i < 2; i++) {
		if (cfg->tun_fd[i] < 0 || cfg->endpoint[i] < 0 ||
		    (size_t)cfg->endpoint[i] >= cfg->trace->n_endpoints) {
			snprintf(err, errlen, "bridge: side %c needs a TUN descriptor and a trace endpoint",
				 'A' + i);
			return -1;
		}
	}
	b->buf = malloc(PACKET_MAX);
	if (!b->buf) {
		snprintf(err, errlen, "bridge: out of memory");
		return -1;
	}
	rng_seed(&b->rng, cfg->seed);
	eventq_init(&b->q);
	if (link_init(&b->link, cfg->link, &b->rng, &b->q, cfg->trace) < 0) {
		free(b->buf);
		b->buf = NULL;
		snprintf(err, errlen, "bridge: out of memory");
		return -1;
	}
	b->trace = cfg->trace;
	for (int i = 0; i < 2; i++) {
		b->tun_fd[i] = cfg->tun_fd[i];
		b->endpoint[i] = cfg->endpoint[i];
	}
	b->reencode = cfg->reencode;
	b->origin_ns = mono_ns();
	return 0;
}

usec_t bridge_now(const struct bridge *b)
{
	return (mono_ns() - b->origin_ns) / 1000u;
}

int64_t bridge_next_due(struct bridge *b)
{
	const struct event *ev = eventq_peek(&b->q);
	usec_t now;

	if (!ev)
		return -1;
	now = bridge_now(b);
	return ev->at > now ? (int64_t)(ev->at - now) : 0;
}

/* The trace endpoint with address ip and port port, or -1. */
static int find_endpoint(const struct trace *tr, uint32_t ip, uint16_t port)
{
	for (size_t i = 0; i < tr->n_endpoints; i++)
		if (tr->endpoints[i].ip == ip && tr->endpoints[i].port == port)
			return (int)i;
	return -1;
}

/* Puts a packet read from side's TUN on the link. Returns 0, or -1 when out
 * of memory. */
static int take_packet(struct bridge *b, int side, size_t n)
{
	struct segment seg;
	const char *why;

	if (packet_decode(b->buf, n, &seg, &why) < 0) {
		b->st.stray[side]++;
		return 0;
	}
	int src = find_endpoint(b->trace, seg.src_ip, seg.src_port);
	int dst = find_endpoint(b->trace, seg.dst_ip, seg.dst_port);
	if (src < 0 || dst < 0)
		b->st.unmatched[side]++;
	if (src < 0)
		src = b->endpoint[side];
	if (dst < 0)
		dst = b->endpoint[!side];
	enum role from = side == BRIDGE_A ? ROLE_CLIENT : ROLE_SERVER;
	/* Link padding after the IPv4 total length is not forwarded. */
	size_t len = ((size_t)b->buf[2] << 8) | b->buf[3];
	return link_send_raw(&b->link, bridge_now(b), from, src, dst, &seg, false, b->buf, (uint32_t)len);
}

/* Reads what side's TUN holds (at most BRIDGE_READ_BURST packets). Returns
 * the number read, or -1. */
static int drain_tun(struct bridge *b, int side)
{
	int got = 0;

	while (got < BRIDGE_READ_BURST) {
		ssize_t n = read(b->tun_fd[side], b->buf, PACKET_MAX);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			return fail(b, side == BRIDGE_A ? "read TUN A" : "read TUN B", errno);
		}
		if (n == 0)
			break;
		got++;
		b->st.read[side]++;
		if (take_packet(b, side, (size_t)n) < 0)
			return fail(b, "link", ENOMEM);
	}
	return got;
}

/* Writes one arrived flight into the TUN of the side its receiver is on. */
static void write_flight(struct bridge *b, const struct flight *f, int side)
{
	const uint8_t *p = f->raw;
	size_t n = f->raw_len;

	if (!n || b->reencode) {
		n = packet_encode(&f->seg, ++b->ip_id[!side], b->buf, PACKET_MAX);
		p = b->buf;
		if (!n) {
			b->st.write_errors[side]++;
			b->last_errno = EMSGSIZE;
			return;
		}
		b->st.encoded++;
	}
	for (;;) {
		ssize_t k = write(b->tun_fd[side], p, n);

		if (k == (ssize_t)n) {
			b->st.written[side]++;
			return;
		}
		if (k < 0 && errno == EINTR)
			continue;
		b->st.write_errors[side]++;
		b->last_errno = k < 0 ? errno : EIO;
		return;
	}
}

/* The side a segment is written to: the host whose address is its
 * destination, as on a real wire (each host's address is that of its side's
 * endpoint); failing that, the side its source is not. */
static int dest_side(const struct bridge *b, const struct segment *seg)
{
	uint32_t ip_a = b->trace->endpoints[b->endpoint[BRIDGE_A]].ip;
	uint32_t ip_b = b->trace->endpoints[b->endpoint[BRIDGE_B]].ip;

	if (seg->dst_ip == ip_b)
		return BRIDGE_B;
	if (seg->dst_ip == ip_a)
		return BRIDGE_A;
	return seg->src_ip == ip_b ? BRIDGE_A : BRIDGE_B;
}

/* Writes every arrival due by now. Returns how many were handled. */
static int run_arrivals(struct bridge *b)
{
	const struct event *top;
	int done = 0;

	while ((top = eventq_peek(&b->q)) != NULL) {
		usec_t now = bridge_now(b);
		struct event ev;

		if (top->at > now)
			break;
		eventq_pop(&b->q, &ev);
		if (ev.kind != EV_ARRIVAL)
			continue;
		const struct flight *f = link_arrive(&b->link, now, ev.a);
		write_flight(b, f, dest_side(b, &f->seg));
		link_release(&b->link, ev.a);
		done++;
	}
	return done;
}

int bridge_poll(struct bridge *b, int timeout_ms)
{
	struct pollfd p[2] = {
		{ .fd = b->tun_fd[BRIDGE_A], .events = POLLIN },
		{ .fd = b->tun_fd[BRIDGE_B], .events = POLLIN },
	};
	int64_t wait_us = timeout_ms < 0 ? -1 : (int64_t)timeout_ms * 1000;
	int64_t due = bridge_next_due(b);
	int total = 0;

	if (due >= 0 && (wait_us < 0 || due < wait_us))
		wait_us = due;
	if (wait_us != 0) {
		struct timespec ts = { .tv_sec = (time_t)(wait_us / 1000000),
				       .tv_nsec = (long)(wait_us % 1000000) * 1000 };
		if (ppoll(p, 2, wait_us < 0 ? NULL : &ts, NULL) < 0 && errno != EINTR)
			return fail(b, "poll", errno);
	}
	for (int side = 0; side < 2; side++) {
		int k = drain_tun(b, side);

		if (k < 0)
			return -1;
		total += k;
	}
	return total + run_arrivals(b);
}

int bridge_inject(struct bridge *b, enum role from, int src_ep, int dst_ep, const struct segment *seg)
{
	return link_send(&b->link, bridge_now(b), from, src_ep, dst_ep, seg, true);
}

void bridge_stats(const struct bridge *b, struct bridge_stats *out)
{
	*out = b->st;
	out->sent = b->link.n_sent;
	out->dropped = b->link.n_dropped;
	out->duplicated = b->link.n_duplicated;
	out->in_flight = b->q.n;
}

const char *bridge_error(const struct bridge *b)
{
	return b->error;
}

void bridge_free(struct bridge *b)
{
	link_free(&b->link);
	eventq_free(&b->q);
	free(b->buf);
	b->buf = NULL;
	b->tun_fd[BRIDGE_A] = b->tun_fd[BRIDGE_B] = -1;
}
