/* test_bridge.c - the replay's wire: two TUNs joined through the link.
 *
 * The first test needs nothing: datagram socket pairs stand in for the TUNs.
 * The others run two real kernels in the hosts' namespaces and need root and
 * /dev/net/tun; elsewhere each prints one line "bridge: skipped: WHY" and
 * passes. No assertion here is FATAL (a FATAL one would jump out of the test
 * past hosts_destroy): every path ends by destroying the hosts. Every wait is
 * bounded (EXCHANGE_MS for a whole exchange). TCPSIM_BRIDGE_KEEP=1 in the
 * environment keeps the capture files (their paths are printed). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "replay/bridge.h"
#include "replay/hosts.h"
#include "proto/packet.h"
#include "output/pcap_out.h"
#include "testing.h"
#include "trace/trace_log.h"

#define IP(a, b, c, d) (((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (uint32_t)(d))
#define IP_A IP(10, 0, 0, 1)
#define IP_B IP(10, 0, 0, 2)
#define PORT_A 40000
#define PORT_B 80
#define DELAY_US (20 * USEC_PER_MS)
#define SLACK_US (5 * USEC_PER_MS)        /* real clock: deliveries up to 5 ms late */
#define DATA_LEN 1000
#define EXCHANGE_MS 4500                  /* a whole exchange, SYN retransmission included */
#define SETTLE_MS 100                     /* quiet time after the last segment */

static bool skip(void)
{
	char why[256];

	if (hosts_available(why, sizeof(why)))
		return false;
	printf("bridge: skipped: %s\n", why);
	return true;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- without hosts: socket pairs as TUNs ------------------------------------ */

/* A SYN from A's side and a stray packet: the SYN comes out of B's side
 * byte for byte, DELAY_US later, with send and deliver in the trace; the
 * stray one is counted and not forwarded. */
static void test_socketpair(void)
{
	int pa[2], pb[2];            /* [0]: the bridge's end, [1]: the "kernel's" */
	struct link_params lp = { 0 };
	struct trace tr;
	struct trace_log log;
	struct bridge br;
	struct bridge_stats st;
	char err[256];
	uint8_t pkt[128], got[256];
	struct segment syn = {
		.src_ip = IP_A, .dst_ip = IP_B, .src_port = PORT_A, .dst_port = PORT_B,
		.seq = 1000, .flags = TH_SYN, .win = 64240, .mss = 1460,
	};

	CU_ASSERT_EQUAL(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, pa), 0);
	CU_ASSERT_EQUAL(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, pb), 0);
	lp.dir[ROLE_CLIENT].delay = lp.dir[ROLE_SERVER].delay = DELAY_US;
	trace_init(&tr);
	trace_log_init(&log, &tr);
	trace_add_sink(&tr, trace_log_sink(&log));
	int ca = trace_add_endpoint(&tr, "client", IP_A, PORT_A, 0);
	int sb = trace_add_endpoint(&tr, "server", IP_B, PORT_B, 0);
	struct bridge_config cfg = {
		.link = &lp, .seed = 1, .trace = &tr,
		.tun_fd = { pa[0], pb[0] }, .endpoint = { ca, sb },
	};
	CU_ASSERT_EQUAL(bridge_init(&br, &cfg, err, sizeof(err)), 0);

	size_t n = packet_encode(&syn, 7, pkt, sizeof(pkt));
	CU_ASSERT_EQUAL(write(pa[1], "\x60junk", 5), 5);            /* IPv6-looking: stray */
	CU_ASSERT_EQUAL(write(pa[1], pkt, n), (ssize_t)n);
	CU_ASSERT_EQUAL(bridge_poll(&br, 100), 2);
	CU_ASSERT_EQUAL(bridge_next_due(&br) > 0, true);
	CU_ASSERT_EQUAL(read(pb[1], got, sizeof(got)), -1);         /* not yet */
	long end = now_ms() + 1000;
	while (bridge_next_due(&br) >= 0 && now_ms() < end)
		CU_ASSERT(bridge_poll(&br, 200) >= 0);
	CU_ASSERT_EQUAL(read(pb[1], got, sizeof(got)), (ssize_t)n);
	CU_ASSERT_EQUAL(memcmp(got, pkt, n), 0);                    /* its own bytes, IP ID 7 */
	CU_ASSERT_EQUAL(read(pa[1], got, sizeof(got)), -1);

	bridge_stats(&br, &st);
	CU_ASSERT_EQUAL(st.read[BRIDGE_A], 2);
	CU_ASSERT_EQUAL(st.stray[BRIDGE_A], 1);
	CU_ASSERT_EQUAL(st.written[BRIDGE_B], 1);
	CU_ASSERT_EQUAL(st.sent, 1);
	CU_ASSERT_EQUAL(st.encoded, 0);
	CU_ASSERT_EQUAL(st.unmatched[BRIDGE_A], 0);
	CU_ASSERT_EQUAL(st.in_flight, 0);
	CU_ASSERT_EQUAL(log.n, 2);
	if (log.n == 2) {
		CU_ASSERT_EQUAL(log.ev[0].u.segment.event, SEGEV_SEND);
		CU_ASSERT_EQUAL(log.ev[1].u.segment.event, SEGEV_DELIVER);
		CU_ASSERT_EQUAL(log.ev[0].u.segment.src, ca);
		CU_ASSERT_EQUAL(log.ev[0].u.segment.dst, sb);
		CU_ASSERT_EQUAL(log.ev[0].u.segment.seg.mss, 1460);
		usec_t d = log.ev[1].t_us - log.ev[0].t_us;
		CU_ASSERT(d >= DELAY_US && d <= DELAY_US + SLACK_US);
	}
	bridge_free(&br);
	bridge_free(&br);                                           /* twice is fine */
	trace_log_free(&log);
	trace_free(&tr);
	for (int i = 0; i < 2; i++) {
		close(pa[i]);
		close(pb[i]);
	}
}

/* The same with `reencode`: B's side gets packet_encode's packet (valid
 * checksums, the MSS option only), the same segment. */
static void test_socketpair_reencode(void)
{
	int pa[2], pb[2];
	struct link_params lp = { 0 };
	struct trace tr;
	struct bridge br;
	struct bridge_stats st;
	char err[256];
	uint8_t pkt[128], got[256];
	struct segment syn = {
		.src_ip = IP_B, .dst_ip = IP_A, .src_port = PORT_B, .dst_port = PORT_A,
		.seq = 5, .ack = 1001, .flags = TH_SYN | TH_ACK, .win = 100, .mss = 1400,
	}, dec;
	const char *why;

	CU_ASSERT_EQUAL(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, pa), 0);
	CU_ASSERT_EQUAL(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, pb), 0);
	trace_init(&tr);
	int ca = trace_add_endpoint(&tr, "client", IP_A, PORT_A, 0);
	int sb = trace_add_endpoint(&tr, "server", IP_B, PORT_B, 0);
	struct bridge_config cfg = {
		.link = &lp, .seed = 1, .trace = &tr,
		.tun_fd = { pa[0], pb[0] }, .endpoint = { ca, sb }, .reencode = true,
	};
	CU_ASSERT_EQUAL(bridge_init(&br, &cfg, err, sizeof(err)), 0);
	size_t n = packet_encode(&syn, 999, pkt, sizeof(pkt));
	CU_ASSERT_EQUAL(write(pb[1], pkt, n), (ssize_t)n);
	CU_ASSERT_EQUAL(bridge_poll(&br, 100), 2);                  /* no delay: read and written */
	ssize_t k = read(pa[1], got, sizeof(got));
	CU_ASSERT_EQUAL(k, (ssize_t)n);
	CU_ASSERT(k > 0 && packet_decode(got, (size_t)k, &dec, &why) == 0);
	if (k > 0) {
		CU_ASSERT_EQUAL(dec.seq, 5);
		CU_ASSERT_EQUAL(dec.mss, 1400);
		CU_ASSERT_EQUAL(got[4] << 8 | got[5], 1);           /* our IP ID, not 999 */
		CU_ASSERT_EQUAL(packet_tcp_checksum(IP_B, IP_A, got + 20, (size_t)k - 20), 0);
	}
	bridge_stats(&br, &st);
	CU_ASSERT_EQUAL(st.encoded, 1);
	CU_ASSERT_EQUAL(st.written[BRIDGE_A], 1);
	bridge_free(&br);
	trace_free(&tr);
	for (int i = 0; i < 2; i++) {
		close(pa[i]);
		close(pb[i]);
	}
}

/* ---- two kernels --------------------------------------------------------- */

struct rig {
	struct hosts h;
	struct link_params lp;
	struct drop_rule drop;
	struct trace tr;
	struct trace_log log;
	struct bridge br;
	struct pcap_out *po;
	char dir[64], pcap[128];
	int ep[2];
	bool trace_up, bridge_up;
};

/* Hosts, trace (log and pcap sinks) and bridge; false (after printing why)
 * when something could not be made; rig_down undoes whatever was done. */
static bool rig_up(struct rig *r, bool drop_first_syn, bool reencode)
{
	static int counter;
	char id[32], err[256];

	memset(r, 0, sizeof(*r));
	r->h = (struct hosts)HOSTS_INIT;
	snprintf(id, sizeof(id), "b%ld-%d", (long)getpid(), counter++);
	if (hosts_create(&r->h, id, IP_A, IP_B, err, sizeof(err)) < 0) {
		printf("hosts_create: %s\n", err);
		return false;
	}
	r->lp.dir[ROLE_CLIENT].delay = r->lp.dir[ROLE_SERVER].delay = DELAY_US;
	if (drop_first_syn) {
		r->drop = (struct drop_rule){ .from = ROLE_CLIENT, .has_flags = true, .flags = TH_SYN, .nth = 1 };
		r->lp.drops = &r->drop;
		r->lp.n_drops = 1;
	}
	trace_init(&r->tr);
	trace_log_init(&r->log, &r->tr);
	r->trace_up = true;
	trace_add_sink(&r->tr, trace_log_sink(&r->log));
	r->ep[BRIDGE_A] = trace_add_endpoint(&r->tr, "client", IP_A, PORT_A, 0);
	r->ep[BRIDGE_B] = trace_add_endpoint(&r->tr, "server", IP_B, PORT_B, 0);
	snprintf(r->dir, sizeof(r->dir), "/tmp/tcpsim-bridge-XXXXXX");
	if (!mkdtemp(r->dir)) {
		r->dir[0] = '\0';
		printf("mkdtemp: %s\n", strerror(errno));
		return false;
	}
	snprintf(r->pcap, sizeof(r->pcap), "%s/bridge.kernel.pcap", r->dir);
	r->po = pcap_out_open(r->pcap, err, sizeof(err));
	if (!r->po) {
		printf("pcap_out_open: %s\n", err);
		return false;
	}
	trace_add_sink(&r->tr, pcap_out_sink(r->po));
	struct bridge_config cfg = {
		.link = &r->lp, .seed = 1, .trace = &r->tr, .reencode = reencode,
		.tun_fd = { r->h.tun_fd[HOSTS_A], r->h.tun_fd[HOSTS_B] },
		.endpoint = { r->ep[BRIDGE_A], r->ep[BRIDGE_B] },
	};
	if (bridge_init(&r->br, &cfg, err, sizeof(err)) < 0) {
		printf("bridge_init: %s\n", err);
		return false;
	}
	r->bridge_up = true;
	return true;
}

/* Closes the pcap (when still open), frees everything, destroys the hosts
 * and removes the temporary directory. */
static void rig_down(struct rig *r)
{
	char err[256];

	if (r->po)
		CU_ASSERT_EQUAL(pcap_out_close(r->po, err, sizeof(err)), 0);
	r->po = NULL;
	if (r->bridge_up)
		bridge_free(&r->br);
	if (r->trace_up) {
		trace_log_free(&r->log);
		trace_free(&r->tr);
	}
	CU_ASSERT_EQUAL(hosts_destroy(&r->h), 0);
	if (r->dir[0] && getenv("TCPSIM_BRIDGE_KEEP")) {
		printf("bridge: kept %s\n", r->pcap);
	} else if (r->dir[0]) {
		unlink(r->pcap);
		rmdir(r->dir);
	}
}

/* A TCP socket of host `which`, non-blocking; -1 on failure. */
static int host_socket(struct hosts *h, int which)
{
	int s = -1;

	if (hosts_enter(h, which) < 0)
		return -1;
	s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	CU_ASSERT_EQUAL(hosts_leave(h), 0);
	return s;
}

static struct sockaddr_in sin_of(uint32_t ip, uint16_t port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };

	sa.sin_addr.s_addr = htonl(ip);
	return sa;
}

struct exchange {
	bool connected, accepted, client_eof, server_eof;
	size_t sent, got;
	uint8_t out[DATA_LEN], in[DATA_LEN];
	long connect_ms;             /* since the start, when connect finished */
};

/* The exchange: B listens, A connects (non-blocking) from PORT_A, sends
 * DATA_LEN bytes and shuts down; B reads them to EOF and closes; A reads
 * EOF. The bridge is driven in between; then it runs until nothing is in
 * flight and SETTLE_MS pass quietly. Bounded by EXCHANGE_MS in all. */
static void run_exchange(struct rig *r, struct exchange *x)
{
	struct sockaddr_in sb = sin_of(IP_B, PORT_B), sa = sin_of(IP_A, PORT_A);
	int lst = host_socket(&r->h, HOSTS_B), cli = host_socket(&r->h, HOSTS_A), srv = -1, one = 1;
	long start = now_ms(), end = start + EXCHANGE_MS, quiet_since = -1;

	memset(x, 0, sizeof(*x));
	for (size_t i = 0; i < DATA_LEN; i++)
		x->out[i] = (uint8_t)(i * 7 + 3);
	CU_ASSERT(lst >= 0 && cli >= 0);
	if (lst < 0 || cli < 0)
		goto out;
	setsockopt(lst, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	CU_ASSERT_EQUAL(bind(lst, (struct sockaddr *)&sb, sizeof(sb)), 0);
	CU_ASSERT_EQUAL(listen(lst, 4), 0);
	CU_ASSERT_EQUAL(bind(cli, (struct sockaddr *)&sa, sizeof(sa)), 0);
	CU_ASSERT_EQUAL(connect(cli, (struct sockaddr *)&sb, sizeof(sb)), -1);
	CU_ASSERT_EQUAL(errno, EINPROGRESS);

	while (now_ms() < end) {
		int k = bridge_poll(&r->br, 5);

		CU_ASSERT(k >= 0);
		if (k < 0) {
			printf("bridge_poll: %s\n", bridge_error(&r->br));
			break;
		}
		if (!x->connected) {
			struct pollfd p = { .fd = cli, .events = POLLOUT };
			int e = 0;
			socklen_t len = sizeof(e);

			if (poll(&p, 1, 0) == 1) {
				getsockopt(cli, SOL_SOCKET, SO_ERROR, &e, &len);
				CU_ASSERT_EQUAL(e, 0);
				if (e)
					break;
				x->connected = true;
				x->connect_ms = now_ms() - start;
			}
		}
		if (!x->accepted) {
			srv = accept4(lst, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
			x->accepted = srv >= 0;
		}
		if (x->connected && x->sent < DATA_LEN) {
			ssize_t n = send(cli, x->out + x->sent, DATA_LEN - x->sent, MSG_NOSIGNAL);
			if (n > 0)
				x->sent += (size_t)n;
			if (x->sent == DATA_LEN)
				CU_ASSERT_EQUAL(shutdown(cli, SHUT_WR), 0);
		}
		if (srv >= 0 && !x->server_eof) {
			uint8_t tmp[DATA_LEN + 1];
			ssize_t n = recv(srv, tmp, sizeof(tmp), 0);

			if (n > 0) {
				size_t room = DATA_LEN - x->got;
				memcpy(x->in + x->got, tmp, (size_t)n < room ? (size_t)n : room);
				x->got += (size_t)n;
			} else if (n == 0) {
				x->server_eof = true;
				close(srv);          /* B closes: FIN */
				srv = -1;
			}
		}
		if (x->connected && !x->client_eof) {
			uint8_t tmp[64];
			if (recv(cli, tmp, sizeof(tmp), 0) == 0)
				x->client_eof = true;
		}
		if (x->client_eof) {
			/* Everything in flight delivered, then a quiet moment. */
			if (k > 0 || bridge_next_due(&r->br) >= 0)
				quiet_since = -1;
			else if (quiet_since < 0)
				quiet_since = now_ms();
			else if (now_ms() - quiet_since >= SETTLE_MS)
				break;
		}
	}
out:
	if (srv >= 0)
		close(srv);
	if (cli >= 0)
		close(cli);
	if (lst >= 0)
		close(lst);
}

/* The index of the first segment event `what` at or after `from` with these
 * flags, sent by endpoint src, or -1. */
static long find_seg(const struct trace_log *log, size_t from, enum seg_event what, int src, uint8_t flags)
{
	for (size_t i = from; i < log->n; i++) {
		const struct trace_event *e = &log->ev[i];
		if (e->type == TRACE_SEGMENT && e->u.segment.event == what && e->u.segment.src == src &&
		    e->u.segment.seg.flags == flags)
			return (long)i;
	}
	return -1;
}

/* The delivery of the send event at index i (the next deliver of the same
 * segment), or -1. */
static long find_delivery(const struct trace_log *log, size_t i)
{
	const struct trace_event *s = &log->ev[i];

	for (size_t j = i + 1; j < log->n; j++) {
		const struct trace_event *e = &log->ev[j];
		const struct segment *x = &s->u.segment.seg, *y = &e->u.segment.seg;
		if (e->type == TRACE_SEGMENT && e->u.segment.event == SEGEV_DELIVER &&
		    e->u.segment.src == s->u.segment.src && x->seq == y->seq && x->ack == y->ack &&
		    x->flags == y->flags && x->len == y->len)
			return (long)j;
	}
	return -1;
}

/* Send then deliver, DELAY_US (+ SLACK_US) apart, for the segment sent at
 * index i. */
static void check_crossing(const struct trace_log *log, long i, const char *what)
{
	CU_ASSERT(i >= 0);
	if (i < 0) {
		printf("bridge: no %s sent\n", what);
		return;
	}
	long j = find_delivery(log, (size_t)i);
	CU_ASSERT(j > i);
	if (j < 0)
		return;
	usec_t d = log->ev[j].t_us - log->ev[i].t_us;
	CU_ASSERT(d >= DELAY_US - SLACK_US && d <= DELAY_US + SLACK_US);
	if (d < DELAY_US - SLACK_US || d > DELAY_US + SLACK_US)
		printf("bridge: %s took %llu us\n", what, (unsigned long long)d);
}

/* Every sent segment delivered once (no loss configured, dropped ones
 * aside), each within DELAY_US..DELAY_US+SLACK_US; prints the spread. */
static void check_all_delays(const struct trace_log *log, const char *label)
{
	usec_t lo = UINT64_MAX, hi = 0, sum = 0;
	size_t n = 0, late = 0;
	bool *dropped = trace_log_dropped(log);

	CU_ASSERT_PTR_NOT_NULL(dropped);
	if (!dropped)
		return;
	for (size_t i = 0; i < log->n; i++) {
		if (log->ev[i].type != TRACE_SEGMENT || log->ev[i].u.segment.event != SEGEV_SEND || dropped[i])
			continue;
		long j = find_delivery(log, i);
		CU_ASSERT(j > 0);
		if (j < 0)
			continue;
		usec_t d = log->ev[j].t_us - log->ev[i].t_us;
		lo = d < lo ? d : lo;
		hi = d > hi ? d : hi;
		sum += d;
		n++;
		if (d < DELAY_US || d > DELAY_US + SLACK_US)
			late++;
	}
	free(dropped);
	CU_ASSERT(n > 0);
	CU_ASSERT_EQUAL(late, 0);
	if (n)
		printf("bridge: %s: %zu segments, delay min %.3f avg %.3f max %.3f ms\n", label, n,
		       lo / 1000.0, (double)sum / (double)n / 1000.0, hi / 1000.0);
}

static void check_data(const struct exchange *x)
{
	CU_ASSERT(x->connected);
	CU_ASSERT(x->accepted);
	CU_ASSERT_EQUAL(x->sent, DATA_LEN);
	CU_ASSERT_EQUAL(x->got, DATA_LEN);
	CU_ASSERT(x->got == DATA_LEN && memcmp(x->in, x->out, DATA_LEN) == 0);
	CU_ASSERT(x->server_eof);
	CU_ASSERT(x->client_eof);
}

/* The handshake's three segments cross in order, each sent then delivered
 * DELAY_US later; so does everything else. */
static void check_handshake(const struct rig *r, const char *label)
{
	const struct trace_log *log = &r->log;
	int c = r->ep[BRIDGE_A], s = r->ep[BRIDGE_B];
	long syn = find_seg(log, 0, SEGEV_SEND, c, TH_SYN);
	long synack = syn < 0 ? -1 : find_seg(log, (size_t)syn, SEGEV_SEND, s, TH_SYN | TH_ACK);
	long ack = synack < 0 ? -1 : find_seg(log, (size_t)synack, SEGEV_SEND, c, TH_ACK);

	check_crossing(log, syn, "SYN");
	check_crossing(log, synack, "SYN-ACK");
	check_crossing(log, ack, "ACK");
	if (syn >= 0 && synack >= 0 && ack >= 0) {
		const struct segment *a = &log->ev[syn].u.segment.seg, *b = &log->ev[synack].u.segment.seg;
		CU_ASSERT_EQUAL(b->ack, a->seq + 1);
		CU_ASSERT_EQUAL(log->ev[ack].u.segment.seg.ack, b->seq + 1);
		CU_ASSERT_EQUAL(log->ev[syn].u.segment.dst, s);
		CU_ASSERT_EQUAL(a->mss, HOSTS_MTU - 40);
	}
	check_all_delays(log, label);
}

static void handshake_and_data(bool reencode)
{
	struct rig r;
	struct exchange x;
	struct bridge_stats st;

	if (skip())
		return;
	bool up = rig_up(&r, false, reencode);
	CU_ASSERT(up);
	if (up) {
		run_exchange(&r, &x);
		check_data(&x);
		check_handshake(&r, reencode ? "re-encoded" : "kernel bytes");
		bridge_stats(&r.br, &st);
		CU_ASSERT_EQUAL(st.dropped, 0);
		CU_ASSERT_EQUAL(st.unmatched[BRIDGE_A] + st.unmatched[BRIDGE_B], 0);
		CU_ASSERT_EQUAL(st.write_errors[BRIDGE_A] + st.write_errors[BRIDGE_B], 0);
		CU_ASSERT_EQUAL(st.written[BRIDGE_A] + st.written[BRIDGE_B], st.sent);
		CU_ASSERT_EQUAL(st.encoded, reencode ? st.sent : 0);
		CU_ASSERT_EQUAL(st.in_flight, 0);
		CU_ASSERT(x.connect_ms >= 40);                      /* one round trip at least */
	}
	rig_down(&r);
}

static void test_handshake_and_data(void)
{
	handshake_and_data(false);
}

static void test_handshake_and_data_reencoded(void)
{
	handshake_and_data(true);
}

/* Runs `tools/check_pcap.sh DIR` quietly when the script and tshark are
 * there. Returns its exit status, or -1 when it cannot be run here. */
static int check_pcap(const char *dir)
{
	int status;
	pid_t pid;

	if (access("tools/check_pcap.sh", X_OK) < 0 || system("command -v tshark >/dev/null 2>&1") != 0)
		return -1;
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);
		if (null >= 0) {
			dup2(null, 1);
			dup2(null, 2);
		}
		execl("tools/check_pcap.sh", "check_pcap.sh", dir, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The pcap the trace's pcap_out sink wrote: link type RAW, one packet per
 * send event, each an IPv4/TCP packet; tshark finds every checksum good. */
static void check_capture(struct rig *r)
{
	char err[256], errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *hdr;
	const u_char *data;
	size_t sends = 0, n = 0, bad = 0;

	CU_ASSERT_EQUAL(pcap_out_close(r->po, err, sizeof(err)), 0);
	r->po = NULL;
	for (size_t i = 0; i < r->log.n; i++)
		if (r->log.ev[i].type == TRACE_SEGMENT && r->log.ev[i].u.segment.event == SEGEV_SEND)
			sends++;
	pcap_t *p = pcap_open_offline(r->pcap, errbuf);
	CU_ASSERT_PTR_NOT_NULL(p);
	if (!p)
		return;
	CU_ASSERT_EQUAL(pcap_datalink(p), DLT_RAW);
	while (pcap_next_ex(p, &hdr, &data) == 1) {
		struct segment seg;
		const char *why;

		n++;
		if (packet_decode(data, hdr->caplen, &seg, &why) < 0 ||
		    packet_tcp_checksum(seg.src_ip, seg.dst_ip, data + 20, hdr->caplen - 20) != 0)
			bad++;
	}
	pcap_close(p);
	CU_ASSERT(n > 0);
	CU_ASSERT_EQUAL(n, sends);
	CU_ASSERT_EQUAL(bad, 0);
	int rc = check_pcap(r->dir);
	CU_ASSERT(rc == 0 || rc == -1);
	printf("bridge: tools/check_pcap.sh on the kernel pcap: %s\n",
	       rc == 0 ? "clean" : rc < 0 ? "not run (no tshark)" : "FAILED");
}

/* The client's first SYN is dropped by a scripted rule: the kernel sends it
 * again after its initial RTO (1 s) and the connection completes. */
static void test_scripted_syn_drop(void)
{
	struct rig r;
	struct exchange x;
	struct bridge_stats st;

	if (skip())
		return;
	bool up = rig_up(&r, true, false);
	CU_ASSERT(up);
	if (up) {
		run_exchange(&r, &x);
		check_data(&x);
		int c = r.ep[BRIDGE_A];
		long syn = find_seg(&r.log, 0, SEGEV_SEND, c, TH_SYN);
		long drop = syn < 0 ? -1 : find_seg(&r.log, (size_t)syn, SEGEV_DROP, c, TH_SYN);
		long again = drop < 0 ? -1 : find_seg(&r.log, (size_t)drop, SEGEV_SEND, c, TH_SYN);
		CU_ASSERT(syn >= 0 && drop > syn && again > drop);
		if (again > 0) {
			usec_t gap = r.log.ev[again].t_us - r.log.ev[syn].t_us;
			CU_ASSERT_EQUAL(r.log.ev[drop].t_us, r.log.ev[syn].t_us);
			CU_ASSERT_EQUAL(r.log.ev[again].u.segment.seg.seq, r.log.ev[syn].u.segment.seg.seq);
			CU_ASSERT(gap >= 900 * USEC_PER_MS && gap <= 1500 * USEC_PER_MS);
			printf("bridge: SYN dropped, sent again %.3f ms later\n", gap / 1000.0);
			check_crossing(&r.log, again, "retransmitted SYN");
		}
		CU_ASSERT(x.connect_ms >= 1000);
		check_all_delays(&r.log, "after a SYN drop");
		bridge_stats(&r.br, &st);
		CU_ASSERT_EQUAL(st.dropped, 1);
		check_capture(&r);
	}
	rig_down(&r);
}

TCPSIM_SUITE(bridge,
	     { "socket pairs as TUNs: delayed, byte for byte; stray counted", test_socketpair },
	     { "socket pairs as TUNs: reencode writes packet_encode's packet", test_socketpair_reencode },
	     { "two kernels: handshake, 1000 bytes, close, 20 ms each way", test_handshake_and_data },
	     { "two kernels, re-encoded packets", test_handshake_and_data_reencoded },
	     { "two kernels: scripted SYN drop, retransmitted after 1 s; the pcap", test_scripted_syn_drop })
