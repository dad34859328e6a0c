/* test_kstate.c - the kernel's TCP state changes (tracepoint) and sockets
 * (sock_diag), seen for a real connection between the replay's two hosts.
 *
 * Needs root, tracefs and the hosts (namespaces, /dev/net/tun); elsewhere
 * each such test prints one line "kstate: skipped: WHY" and passes. No
 * assertion is FATAL: every path closes the instance and destroys the hosts.
 * TCPSIM_KSTATE_VERBOSE=1 prints the changes seen. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include "replay/hosts.h"
#include "replay/kstate.h"
#include "proto/packet.h"
#include "testing.h"

#define IP(a, b, c, d) (((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (uint32_t)(d))
#define IP_A IP(10, 0, 0, 1)
#define IP_B IP(10, 0, 0, 2)
#define PORT_A port_a                 /* the client binds it: its SYN_SENT shows it */
#define PORT_B port_b
#define BRIDGE_MS 5000                /* for the whole connection */
#define WAIT_MS 2000                  /* for one more change */
#define MAX_CHANGES 128

/* Per process, so that a concurrent run with the same addresses (which the
 * tracepoint, seeing every namespace, also reports) is told apart. */
static uint16_t port_a, port_b;

static bool skip(bool need_hosts)
{
	char why[256];

	if (!kstate_available(why, sizeof(why))) {
		printf("kstate: skipped: %s\n", why);
		return true;
	}
	if (need_hosts && !hosts_available(why, sizeof(why))) {
		printf("kstate: skipped: %s\n", why);
		return true;
	}
	return false;
}

static void make_run_id(char *id, size_t cap)
{
	static int counter;

	snprintf(id, cap, "k%ld-%d", (long)getpid(), counter++);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static bool dir_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* ---- parsing, no root needed -------------------------------------------------- */

static void test_parse(void)
{
	struct kstate_change c;
	const char *fin2 = "          <idle>-0       [001] ..s2.  6746.657482: inet_sock_set_state: "
		"family=AF_INET protocol=IPPROTO_TCP sport=51748 dport=5555 saddr=10.0.0.1 "
		"daddr=10.0.0.2 saddrv6=::ffff:10.0.0.1 daddrv6=::ffff:10.0.0.2 "
		"oldstate=TCP_FIN_WAIT2 newstate=TCP_CLOSE\n";

	CU_ASSERT_EQUAL(kstate_parse_line(fin2, &c), 1);
	CU_ASSERT_EQUAL(c.t_ns, 6746657482000ull);
	CU_ASSERT_EQUAL(c.saddr, IP_A);
	CU_ASSERT_EQUAL(c.daddr, IP_B);
	CU_ASSERT_EQUAL(c.sport, 51748);
	CU_ASSERT_EQUAL(c.dport, 5555);
	CU_ASSERT_EQUAL(c.from, TCPS_FIN_WAIT_2);
	CU_ASSERT_EQUAL(c.to, TCPS_CLOSED);
	CU_ASSERT_EQUAL(c.linux_from, KSTATE_L_FIN_WAIT2);
	CU_ASSERT_EQUAL(c.linux_to, KSTATE_L_CLOSE);

	/* A task name with spaces and brackets; NEW_SYN_RECV is SYN_RECEIVED. */
	CU_ASSERT_EQUAL(kstate_parse_line("a b [c]-12 [000] ..... 5.000001: inet_sock_set_state: "
					  "family=AF_INET protocol=IPPROTO_TCP sport=80 dport=1 "
					  "saddr=10.0.0.2 daddr=10.0.0.1 saddrv6=:: daddrv6=:: "
					  "oldstate=TCP_LISTEN newstate=TCP_NEW_SYN_RECV", &c), 1);
	CU_ASSERT_EQUAL(c.t_ns, 5000001000ull);
	CU_ASSERT_EQUAL(c.from, TCPS_LISTEN);
	CU_ASSERT_EQUAL(c.to, TCPS_SYN_RECEIVED);
	CU_ASSERT_EQUAL(c.linux_to, KSTATE_L_NEW_SYN_RECV);

	/* The `fields` format (options/fields): every field in hex and
	 * decimal, the socket's address, addresses as raw network-order
	 * bytes read as a native u32; the task before the CPU. */
	{
		uint32_t a = htonl(IP_A), b = htonl(IP_B);
		char line[512];
		snprintf(line, sizeof line,
			 "     tcpsim-21335   [001] ..s2. 33942.099776: inet_sock_set_state: "
			 "skaddr=0xffff88810522ef00 (-131387258376448) oldstate=0xa (10) newstate=0x3 (3) "
			 "sport=0x50 (80) dport=0x9c40 (40000) family=0x2 (2) protocol=0x6 (6) "
			 "saddr=0x%x (%u) daddr=0x%x (%u) saddr_v6=<INVALID-SIZE> daddr_v6=<INVALID-SIZE>\n",
			 b, b, a, a);
		CU_ASSERT_EQUAL(kstate_parse_line(line, &c), 1);
		CU_ASSERT_EQUAL(c.skaddr, 0xffff88810522ef00ull);
		CU_ASSERT_EQUAL(c.pid, 21335);
		CU_ASSERT_STRING_EQUAL(c.comm, "tcpsim");
		CU_ASSERT_EQUAL(c.t_ns, 33942099776000ull);
		CU_ASSERT_EQUAL(c.saddr, IP_B);
		CU_ASSERT_EQUAL(c.daddr, IP_A);
		CU_ASSERT_EQUAL(c.sport, 80);
		CU_ASSERT_EQUAL(c.dport, 40000);
		CU_ASSERT_EQUAL(c.linux_from, KSTATE_L_LISTEN);
		CU_ASSERT_EQUAL(c.linux_to, KSTATE_L_SYN_RECV);
		CU_ASSERT_EQUAL(c.to, TCPS_SYN_RECEIVED);
	}
	/* The text format has no socket address; a task name with '-'. */
	CU_ASSERT_EQUAL(kstate_parse_line("  kworker/u4:1-123 [000] ..... 1.000000: inet_sock_set_state: "
					  "family=AF_INET protocol=IPPROTO_TCP sport=80 dport=1 "
					  "saddr=10.0.0.2 daddr=10.0.0.1 saddrv6=:: daddrv6=:: "
					  "oldstate=TCP_CLOSE newstate=TCP_LISTEN", &c), 1);
	CU_ASSERT_EQUAL(c.skaddr, 0);
	CU_ASSERT_EQUAL(c.pid, 123);
	CU_ASSERT_STRING_EQUAL(c.comm, "kworker/u4:1");

	/* Not ours: headers, lost events, IPv6, another protocol. */
	CU_ASSERT_EQUAL(kstate_parse_line("# tracer: nop", &c), 0);
	CU_ASSERT_EQUAL(kstate_parse_line("CPU:1 [LOST 3 EVENTS]", &c), 0);
	CU_ASSERT_EQUAL(kstate_parse_line("x-1 [000] ..... 1.000000: inet_sock_set_state: family=AF_INET6 "
					  "protocol=IPPROTO_TCP sport=1 dport=2 saddr=0.0.0.0 daddr=0.0.0.0 "
					  "saddrv6=::1 daddrv6=::1 oldstate=TCP_CLOSE newstate=TCP_LISTEN", &c), 0);
	CU_ASSERT_EQUAL(kstate_parse_line("x-1 [000] ..... 1.000000: inet_sock_set_state: family=AF_INET "
					  "protocol=IPPROTO_SCTP sport=1 dport=2 saddr=1.2.3.4 daddr=1.2.3.5 "
					  "saddrv6=:: daddrv6=:: oldstate=TCP_CLOSE newstate=TCP_LISTEN", &c), 0);
	/* Broken ones. */
	CU_ASSERT_EQUAL(kstate_parse_line("x-1 [000] ..... 1.000000: inet_sock_set_state: family=AF_INET "
					  "protocol=IPPROTO_TCP sport=1 dport=2 saddr=1.2.3 daddr=1.2.3.5 "
					  "oldstate=TCP_CLOSE newstate=TCP_LISTEN", &c), -1);
	CU_ASSERT_EQUAL(kstate_parse_line("x-1 [000] ..... 1.000000: inet_sock_set_state: family=AF_INET "
					  "protocol=IPPROTO_TCP sport=1 dport=2 saddr=1.2.3.4 daddr=1.2.3.5 "
					  "oldstate=TCP_CLOSE newstate=TCP_BOGUS", &c), -1);
	CU_ASSERT_EQUAL(kstate_parse_line("inet_sock_set_state: family=AF_INET", &c), 0);
	CU_ASSERT_EQUAL(kstate_parse_line("x: inet_sock_set_state: family=AF_INET", &c), -1);

	enum tcp_state s;
	CU_ASSERT_EQUAL(kstate_map_linux(KSTATE_L_TIME_WAIT, &s), 0);
	CU_ASSERT_EQUAL(s, TCPS_TIME_WAIT);
	CU_ASSERT_EQUAL(kstate_map_linux(0, &s), -1);
	CU_ASSERT_EQUAL(kstate_map_linux(13, &s), -1);
}

static void test_bad_args(void)
{
	struct kstate *ks = NULL;
	char err[256] = "";

	CU_ASSERT_EQUAL(kstate_open(&ks, "../x", IP_A, IP_B, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NULL(ks);
	CU_ASSERT(err[0] != '\0');
	CU_ASSERT_EQUAL(kstate_open(&ks, "", IP_A, IP_B, err, sizeof(err)), -1);
	CU_ASSERT_EQUAL(kstate_open(&ks, "0123456789012345678901234567890123", IP_A, IP_B,
				    err, sizeof(err)), -1);
	CU_ASSERT_EQUAL(kstate_close(NULL), 0);
}

/* ---- instances ----------------------------------------------------------------- */

/* A second open with the same run id fails and leaves the first alone; close
 * removes the instance. */
static void test_same_run_id(void)
{
	struct kstate *ks = NULL, *ks2 = NULL;
	char id[32], err[256], dir[512];

	if (skip(false))
		return;
	make_run_id(id, sizeof(id));
	int rc = kstate_open(&ks, id, IP_A, IP_B, err, sizeof(err));
	if (rc < 0)
		printf("kstate_open: %s\n", err);
	CU_ASSERT_EQUAL(rc, 0);
	if (rc < 0)
		return;
	snprintf(dir, sizeof(dir), "%s", kstate_instance_dir(ks));
	CU_ASSERT(strstr(dir, "/instances/tcpsim-") != NULL);
	CU_ASSERT(dir_exists(dir));
	CU_ASSERT(kstate_fd(ks) >= 0);
	CU_ASSERT_EQUAL(kstate_open(&ks2, id, IP_A, IP_B, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NULL(ks2);
	CU_ASSERT(strstr(err, "File exists") != NULL);
	CU_ASSERT(dir_exists(dir));
	CU_ASSERT_EQUAL(kstate_close(ks), 0);
	CU_ASSERT(!dir_exists(dir));
}

/* An instance left by a killed run is removed; one of another name is not. */
static void test_cleanup_stale(void)
{
	char id[32], err[256] = "", stale[512], keep[512];
	struct kstate *ks = NULL;

	if (skip(false))
		return;
	/* Where instances live: next to one of ours. */
	make_run_id(id, sizeof(id));
	int rc = kstate_open(&ks, id, IP_A, IP_B, err, sizeof(err));
	CU_ASSERT_EQUAL(rc, 0);
	if (rc < 0)
		return;
	snprintf(stale, sizeof(stale), "%s", kstate_instance_dir(ks));
	CU_ASSERT_EQUAL(kstate_close(ks), 0);
	char *slash = strrchr(stale, '/');
	*slash = '\0';
	snprintf(keep, sizeof(keep), "%s/keep-tcpsim-%ld", stale, (long)getpid());
	snprintf(slash, sizeof(stale) - (size_t)(slash - stale), "/" KSTATE_PREFIX "stale-%ld", (long)getpid());
	CU_ASSERT_EQUAL(mkdir(stale, 0700), 0);
	CU_ASSERT_EQUAL(mkdir(keep, 0700), 0);
	/* A run going on meanwhile keeps its instance. */
	make_run_id(id, sizeof(id));
	rc = kstate_open(&ks, id, IP_A, IP_B, err, sizeof(err));
	if (rc < 0)
		printf("kstate_open: %s\n", err);
	CU_ASSERT_EQUAL(rc, 0);

	int n = kstate_cleanup_stale(err, sizeof(err));
	if (n < 0)
		printf("kstate_cleanup_stale: %s\n", err);
	CU_ASSERT(n >= 0);            /* >= 1, unless a concurrent run's cleanup was first */
	CU_ASSERT(!dir_exists(stale));
	CU_ASSERT(dir_exists(keep));
	CU_ASSERT_EQUAL(rmdir(keep), 0);
	if (rc == 0) {
		CU_ASSERT(dir_exists(kstate_instance_dir(ks)));
		CU_ASSERT_EQUAL(kstate_close(ks), 0);
	}
}

/* ---- a real connection ------------------------------------------------------- */

struct changes {
	struct kstate_change c[MAX_CHANGES];
	size_t n;
	bool cli_done, srv_done, lst_done;   /* the last change of each socket seen */
};

static bool is_cli(const struct kstate_change *c)
{
	return c->saddr == IP_A && c->sport == PORT_A && c->daddr == IP_B && c->dport == PORT_B;
}

static bool is_srv(const struct kstate_change *c)
{
	return c->saddr == IP_B && c->sport == PORT_B && c->daddr == IP_A && c->dport == PORT_A;
}

static bool is_lst(const struct kstate_change *c)
{
	return c->saddr == IP_B && c->sport == PORT_B && c->daddr == 0 && c->dport == 0;
}

static int collect(void *ctx, const struct kstate_change *c)
{
	struct changes *ch = ctx;

	if (ch->n < MAX_CHANGES)
		ch->c[ch->n++] = *c;
	if (is_cli(c) && c->from == TCPS_FIN_WAIT_2 && c->to == TCPS_CLOSED)
		ch->cli_done = true;
	if (is_srv(c) && c->from == TCPS_LAST_ACK && c->to == TCPS_CLOSED)
		ch->srv_done = true;
	if (is_lst(c) && c->from == TCPS_LISTEN && c->to == TCPS_CLOSED)
		ch->lst_done = true;
	return 0;
}

static void print_changes(const struct changes *ch)
{
	char s[INET_ADDRSTRLEN], d[INET_ADDRSTRLEN];

	for (size_t i = 0; i < ch->n; i++) {
		const struct kstate_change *c = &ch->c[i];
		struct in_addr a = { htonl(c->saddr) }, b = { htonl(c->daddr) };
		inet_ntop(AF_INET, &a, s, sizeof(s));
		inet_ntop(AF_INET, &b, d, sizeof(d));
		printf("kstate: %llu.%09llu %s:%u -> %s:%u %s -> %s (linux %u -> %u)\n",
		       (unsigned long long)(c->t_ns / 1000000000ull),
		       (unsigned long long)(c->t_ns % 1000000000ull), s, c->sport, d, c->dport,
		       tcp_state_name(c->from), tcp_state_name(c->to), c->linux_from, c->linux_to);
	}
}

/* The changes of one socket are exactly want[0] -> want[1] -> ... ; the
 * accepted socket may start with extra changes into SYN_RECEIVED (a request
 * socket's NEW_SYN_RECV, then the child's LISTEN -> SYN_RECV). */
static bool check_path(const struct changes *ch, bool (*mine)(const struct kstate_change *),
		       const enum tcp_state *want, size_t n_want, bool syn_recv_prefix)
{
	enum tcp_state path[MAX_CHANGES + 1];
	size_t n = 0;
	bool ok = true;

	for (size_t i = 0; i < ch->n; i++) {
		const struct kstate_change *c = &ch->c[i];
		if (!mine(c))
			continue;
		if (syn_recv_prefix && n == 1 && path[0] == TCPS_SYN_RECEIVED && c->to == TCPS_SYN_RECEIVED)
			continue;
		if (n == 0) {
			path[n++] = syn_recv_prefix ? c->to : c->from;
			if (syn_recv_prefix)
				continue;
		}
		if (c->from != path[n - 1])
			ok = false;
		path[n++] = c->to;
	}
	if (n != n_want)
		return false;
	for (size_t i = 0; i < n; i++)
		if (path[i] != want[i])
			ok = false;
	return ok;
}

/* Moves every packet waiting on one TUN to the other. Returns the number
 * moved, or -1. (The minimal loop of tests/replay/test_hosts.c.) */
static int forward(struct hosts *h, int from)
{
	uint8_t buf[PACKET_MAX];
	int moved = 0;

	for (;;) {
		ssize_t n = read(h->tun_fd[from], buf, sizeof(buf));
		if (n < 0)
			return errno == EAGAIN || errno == EINTR ? moved : -1;
		if (write(h->tun_fd[!from], buf, (size_t)n) != n)
			return -1;
		moved++;
	}
}

/* A TCP socket of host `which`, non-blocking, bound to ip:port; -1 on failure. */
static int bound_socket(struct hosts *h, int which, uint32_t ip, uint16_t port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	int s, one = 1;

	if (hosts_enter(h, which) < 0)
		return -1;
	s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	CU_ASSERT_EQUAL(hosts_leave(h), 0);
	if (s < 0)
		return -1;
	sa.sin_addr.s_addr = htonl(ip);
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(s);
		return -1;
	}
	return s;
}

struct find_tw {
	bool found_tw;
	int n;
};

static int find_client_tw(void *ctx, const struct kstate_sock *s)
{
	struct find_tw *f = ctx;

	f->n++;
	if (s->saddr == IP_A && s->sport == PORT_A && s->daddr == IP_B && s->dport == PORT_B &&
	    s->state == TCPS_TIME_WAIT && s->linux_state == KSTATE_L_TIME_WAIT)
		f->found_tw = true;
	return 0;
}

/* Client in A connects to the listener in B through the bridged TUNs, shuts
 * down first and closes once it has read the server's FIN; the server
 * closes when it reads the client's FIN. */
static void run_connection(struct hosts *h, struct kstate *ks, struct changes *ch)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(PORT_B) };
	int lst = bound_socket(h, HOSTS_B, IP_B, PORT_B), cli = -1, srv = -1;
	bool connected = false, cli_shut = false, srv_closed = false, cli_closed = false;
	uint64_t t0 = now_ns();
	char buf[64];

	CU_ASSERT(lst >= 0);
	if (lst < 0)
		return;
	CU_ASSERT_EQUAL(listen(lst, 1), 0);
	cli = bound_socket(h, HOSTS_A, IP_A, PORT_A);
	CU_ASSERT(cli >= 0);
	if (cli < 0)
		goto out;
	sa.sin_addr.s_addr = htonl(IP_B);
	CU_ASSERT_EQUAL(connect(cli, (struct sockaddr *)&sa, sizeof(sa)), -1);
	CU_ASSERT_EQUAL(errno, EINPROGRESS);

	uint64_t end = now_ns() + BRIDGE_MS * 1000000ull;
	while (!(ch->cli_done && ch->srv_done && cli_closed && srv_closed) && now_ns() < end) {
		struct pollfd p[5] = {
			{ .fd = h->tun_fd[HOSTS_A], .events = POLLIN },
			{ .fd = h->tun_fd[HOSTS_B], .events = POLLIN },
			{ .fd = kstate_fd(ks), .events = POLLIN },
			{ .fd = cli_closed ? -1 : cli, .events = connected ? POLLIN : POLLOUT },
			{ .fd = srv >= 0 ? srv : lst, .events = POLLIN },
		};
		if (poll(p, 5, 20) < 0 && errno != EINTR)
			break;
		if (forward(h, HOSTS_A) < 0 || forward(h, HOSTS_B) < 0) {
			CU_FAIL("forwarding between the TUNs");
			break;
		}
		if (!connected && (p[3].revents & (POLLOUT | POLLERR | POLLHUP))) {
			int e = 0;
			socklen_t len = sizeof(e);
			getsockopt(cli, SOL_SOCKET, SO_ERROR, &e, &len);
			CU_ASSERT_EQUAL(e, 0);
			if (e != 0)
				break;
			connected = true;
		}
		if (srv < 0 && !srv_closed && (p[4].revents & POLLIN))
			srv = accept4(lst, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		/* The client closes first: once the server has its end. */
		if (connected && srv >= 0 && !cli_shut) {
			CU_ASSERT_EQUAL(shutdown(cli, SHUT_WR), 0);
			cli_shut = true;
		}
		if (srv >= 0 && recv(srv, buf, sizeof(buf), 0) == 0) {
			close(srv);
			srv = -1;
			srv_closed = true;
		}
		if (cli_shut && !cli_closed && recv(cli, buf, sizeof(buf), 0) == 0) {
			close(cli);
			cli_closed = true;
		}
		CU_ASSERT(kstate_read(ks, collect, ch) >= 0);
	}
	CU_ASSERT(connected);
	CU_ASSERT(cli_closed);
	CU_ASSERT(srv_closed);
	CU_ASSERT(ch->cli_done);
	CU_ASSERT(ch->srv_done);

	/* The listener's end, waited for on the trace's descriptor alone. */
	close(lst);
	lst = -1;
	end = now_ns() + WAIT_MS * 1000000ull;
	while (!ch->lst_done && now_ns() < end) {
		struct pollfd p = { .fd = kstate_fd(ks), .events = POLLIN };
		poll(&p, 1, 50);
		CU_ASSERT(kstate_read(ks, collect, ch) >= 0);
	}
	CU_ASSERT(ch->lst_done);
	uint64_t t1 = now_ns();

	/* Every change on the mono clock, those of this run between t0 and t1
	 * (the text trace truncates to microseconds), all in order. */
	for (size_t i = 0; i < ch->n; i++) {
		const struct kstate_change *c = &ch->c[i];
		if (is_cli(c) || is_srv(c) || is_lst(c)) {
			CU_ASSERT(c->t_ns + 1000 >= t0);
			CU_ASSERT(c->t_ns <= t1);
		}
		if (i > 0)
			CU_ASSERT(ch->c[i].t_ns >= ch->c[i - 1].t_ns);
	}
	CU_ASSERT_EQUAL(kstate_lost(ks), 0);
out:
	if (srv >= 0)
		close(srv);
	if (cli >= 0 && !cli_closed)
		close(cli);
	if (lst >= 0)
		close(lst);
}

static void test_connection(void)
{
	static const enum tcp_state want_cli[] = {
		TCPS_CLOSED, TCPS_SYN_SENT, TCPS_ESTABLISHED, TCPS_FIN_WAIT_1, TCPS_FIN_WAIT_2, TCPS_CLOSED,
	};
	static const enum tcp_state want_srv[] = {
		TCPS_SYN_RECEIVED, TCPS_ESTABLISHED, TCPS_CLOSE_WAIT, TCPS_LAST_ACK, TCPS_CLOSED,
	};
	static const enum tcp_state want_lst[] = { TCPS_CLOSED, TCPS_LISTEN, TCPS_CLOSED };
	struct hosts h = HOSTS_INIT;
	struct kstate *ks = NULL;
	struct changes *ch = NULL;
	char id[32], err[256], dir[512] = "";

	if (skip(true))
		return;
	port_b = (uint16_t)(20000 + getpid() % 20000);
	port_a = (uint16_t)(port_b + 20000);
	make_run_id(id, sizeof(id));
	int rc = hosts_create(&h, id, IP_A, IP_B, err, sizeof(err));
	if (rc < 0)
		printf("hosts_create: %s\n", err);
	CU_ASSERT_EQUAL(rc, 0);
	if (rc < 0)
		return;
	rc = kstate_open(&ks, id, IP_A, IP_B, err, sizeof(err));
	if (rc < 0)
		printf("kstate_open: %s\n", err);
	CU_ASSERT_EQUAL(rc, 0);
	ch = calloc(1, sizeof(*ch));
	CU_ASSERT_PTR_NOT_NULL(ch);
	if (rc < 0 || !ch)
		goto out;
	snprintf(dir, sizeof(dir), "%s", kstate_instance_dir(ks));

	run_connection(&h, ks, ch);

	bool ok_cli = check_path(ch, is_cli, want_cli, sizeof(want_cli) / sizeof(want_cli[0]), false);
	bool ok_srv = check_path(ch, is_srv, want_srv, sizeof(want_srv) / sizeof(want_srv[0]), true);
	bool ok_lst = check_path(ch, is_lst, want_lst, sizeof(want_lst) / sizeof(want_lst[0]), false);
	/* Nothing but the run's addresses passes the filter (other sockets may
	 * be a concurrent run's). */
	size_t others = 0;
	for (size_t i = 0; i < ch->n; i++) {
		const struct kstate_change *c = &ch->c[i];
		CU_ASSERT(c->saddr == IP_A || c->saddr == IP_B || c->daddr == IP_A || c->daddr == IP_B);
		if (!is_cli(c) && !is_srv(c) && !is_lst(c))
			others++;
	}
	CU_ASSERT(ok_cli);
	CU_ASSERT(ok_srv);
	CU_ASSERT(ok_lst);
	if (!ok_cli || !ok_srv || !ok_lst || others || getenv("TCPSIM_KSTATE_VERBOSE"))
		print_changes(ch);

	/* TIME_WAIT, which the trace never shows, is in sock_diag in A ... */
	struct find_tw f = { 0 };
	int n = kstate_sockets(h.ns_fd[HOSTS_A], KSTATE_MASK(TCPS_TIME_WAIT), find_client_tw, &f,
			       err, sizeof(err));
	if (n < 0)
		printf("kstate_sockets: %s\n", err);
	CU_ASSERT_EQUAL(n, 1);
	CU_ASSERT(f.found_tw);
	f = (struct find_tw){ 0 };
	CU_ASSERT_EQUAL(kstate_sockets(h.ns_fd[HOSTS_A], KSTATE_MASK_ALL, find_client_tw, &f,
				       err, sizeof(err)), 1);
	CU_ASSERT(f.found_tw);
	/* ... and only there: B has no socket left, nor does this namespace
	 * have the client's. */
	f = (struct find_tw){ 0 };
	CU_ASSERT_EQUAL(kstate_sockets(h.ns_fd[HOSTS_B], KSTATE_MASK_ALL, find_client_tw, &f,
				       err, sizeof(err)), 0);
	f = (struct find_tw){ 0 };
	CU_ASSERT(kstate_sockets(-1, KSTATE_MASK(TCPS_TIME_WAIT), find_client_tw, &f, err, sizeof(err)) >= 0);
	CU_ASSERT(!f.found_tw);
out:
	free(ch);
	CU_ASSERT_EQUAL(kstate_close(ks), 0);
	if (dir[0])
		CU_ASSERT(!dir_exists(dir));
	CU_ASSERT_EQUAL(hosts_destroy(&h), 0);
	for (int i = 0; i < 2; i++) {
		char path[512];
		snprintf(path, sizeof(path), HOSTS_NETNS_DIR "/%s", h.name[i]);
		CU_ASSERT(access(path, F_OK) < 0);
	}
}

TCPSIM_SUITE(kstate,
	     { "trace lines are parsed", test_parse },
	     { "bad arguments are refused", test_bad_args },
	     { "a run id in use is refused; close removes the instance", test_same_run_id },
	     { "stale instances are removed", test_cleanup_stale },
	     { "a real connection's state changes, and TIME_WAIT from sock_diag", test_connection })
