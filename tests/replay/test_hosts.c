/* test_hosts.c - the replay's two hosts: namespaces and TUN devices.
 *
 * Needs root and /dev/net/tun; elsewhere each test prints one line
 * "hosts: skipped: WHY" and passes. Where it runs, a missing `ip` (iproute2,
 * which tools/deps.sh installs) fails: the namespaces must be iproute2's. No assertion here is FATAL (a FATAL one
 * would jump out of the test past hosts_destroy): every path ends by
 * destroying the hosts, so no namespace is left behind. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "replay/hosts.h"
#include "proto/packet.h"
#include "testing.h"

#define IP(a, b, c, d) (((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (uint32_t)(d))
#define IP_A IP(10, 0, 0, 1)          /* the scenario defaults */
#define IP_B IP(10, 0, 0, 2)
#define PORT_B 80
#define WAIT_MS 2000                  /* for any one packet */
#define BRIDGE_MS 5000                /* for a whole exchange */
#define STALE_NAME "tcpsim-stale-test"

static bool skip(void)
{
	char why[256];

	if (hosts_available(why, sizeof(why)))
		return false;
	printf("hosts: skipped: %s\n", why);
	return true;
}

static void make_run_id(char *id, size_t cap)
{
	static int counter;

	snprintf(id, cap, "t%ld-%d", (long)getpid(), counter++);
}

static bool netns_exists(const char *name)
{
	char path[512];
	struct stat st;

	snprintf(path, sizeof(path), HOSTS_NETNS_DIR "/%s", name);
	return stat(path, &st) == 0;
}

/* Runs `ip ARGS...` quietly. Returns its exit status, 127 when there is no
 * `ip`, -1 when it could not be run. */
static int run_ip(const char *const *args)
{
	char *argv[16];
	int n = 0, status;
	pid_t pid;

	argv[n++] = (char *)"ip";
	for (; *args && n < 15; args++)
		argv[n++] = (char *)*args;
	argv[n] = NULL;
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
		execvp("ip", argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Reads packets from a TUN descriptor until a TCP one arrives (anything else
 * is skipped) or timeout_ms pass. Returns its length, decoded into *seg
 * (pointing into buf), or 0 on timeout or error. */
static size_t read_tcp(int fd, uint8_t *buf, size_t cap, struct segment *seg, int timeout_ms)
{
	long end = now_ms() + timeout_ms;

	for (;;) {
		long left = end - now_ms();
		struct pollfd p = { .fd = fd, .events = POLLIN };
		const char *why;

		if (left <= 0)
			return 0;
		int k = poll(&p, 1, (int)left);
		if (k < 0 && errno != EINTR)
			return 0;
		if (k <= 0)
			continue;
		ssize_t n = read(fd, buf, cap);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n <= 0)
			return 0;
		if (packet_decode(buf, (size_t)n, seg, &why) == 0)
			return (size_t)n;
	}
}

/* A TCP socket created in host `which`, non-blocking; -1 on failure. */
static int host_socket(struct hosts *h, int which)
{
	int s = -1;

	CU_ASSERT_EQUAL(hosts_enter(h, which), 0);
	if (h->home_fd < 0)
		return -1;
	s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	CU_ASSERT(s >= 0);
	CU_ASSERT_EQUAL(hosts_leave(h), 0);
	return s;
}

static int connect_to(int s, uint32_t ip, uint16_t port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };

	sa.sin_addr.s_addr = htonl(ip);
	return connect(s, (struct sockaddr *)&sa, sizeof(sa));
}

/* Waits for a non-blocking connect to finish; returns its SO_ERROR, or
 * ETIMEDOUT. */
static int connect_result(int s, int timeout_ms)
{
	struct pollfd p = { .fd = s, .events = POLLOUT };
	int e = 0;
	socklen_t len = sizeof(e);

	if (poll(&p, 1, timeout_ms) <= 0)
		return ETIMEDOUT;
	if (getsockopt(s, SOL_SOCKET, SO_ERROR, &e, &len) < 0)
		return errno;
	return e;
}

/* Host A connects to B's address; the test plays B on A's TUN: reads the SYN
 * and answers RST,ACK, which the kernel must take (both directions work). */
static void check_syn_rst(struct hosts *h)
{
	uint8_t buf[PACKET_MAX];
	struct segment syn, rst;
	int s = host_socket(h, HOSTS_A);

	if (s < 0)
		return;
	CU_ASSERT_EQUAL(connect_to(s, IP_B, PORT_B), -1);
	CU_ASSERT_EQUAL(errno, EINPROGRESS);
	size_t n = read_tcp(h->tun_fd[HOSTS_A], buf, sizeof(buf), &syn, WAIT_MS);
	CU_ASSERT(n > 0);
	if (n == 0)
		goto out;
	CU_ASSERT_EQUAL(syn.flags, TH_SYN);
	CU_ASSERT_EQUAL(syn.src_ip, IP_A);
	CU_ASSERT_EQUAL(syn.dst_ip, IP_B);
	CU_ASSERT_EQUAL(syn.dst_port, PORT_B);
	CU_ASSERT_EQUAL(syn.mss, HOSTS_MTU - 40);
	CU_ASSERT_EQUAL(syn.len, 0);

	rst = (struct segment){
		.src_ip = IP_B, .dst_ip = IP_A, .src_port = PORT_B, .dst_port = syn.src_port,
		.seq = 0, .ack = syn.seq + 1, .flags = TH_RST | TH_ACK,
	};
	n = packet_encode(&rst, 1, buf, sizeof(buf));
	CU_ASSERT(n > 0);
	CU_ASSERT_EQUAL(write(h->tun_fd[HOSTS_A], buf, n), (ssize_t)n);
	CU_ASSERT_EQUAL(connect_result(s, WAIT_MS), ECONNREFUSED);
out:
	close(s);
}

static void test_syn_rst(void)
{
	struct hosts h = HOSTS_INIT;
	char id[32], err[256], name_a[64], name_b[64];

	if (skip())
		return;
	make_run_id(id, sizeof(id));
	int rc = hosts_create(&h, id, IP_A, IP_B, err, sizeof(err));
	if (rc < 0)
		printf("hosts_create: %s\n", err);
	CU_ASSERT_EQUAL(rc, 0);
	if (rc < 0)
		return;
	snprintf(name_a, sizeof(name_a), "tcpsim-%s-a", id);
	snprintf(name_b, sizeof(name_b), "tcpsim-%s-b", id);
	CU_ASSERT_STRING_EQUAL(h.name[HOSTS_A], name_a);
	CU_ASSERT_STRING_EQUAL(h.name[HOSTS_B], name_b);
	CU_ASSERT(netns_exists(name_a));
	CU_ASSERT(netns_exists(name_b));
	CU_ASSERT(h.tun_fd[HOSTS_A] >= 0 && h.tun_fd[HOSTS_B] >= 0);
	/* `ip` sees the namespaces and the TUN in them. */
	const char *show[] = { "-n", name_b, "link", "show", HOSTS_TUN_NAME, NULL };
	int k = run_ip(show);
	if (k == 127)
		printf("hosts: no ip command (iproute2: tools/deps.sh installs it)\n");
	CU_ASSERT_EQUAL(k, 0);

	check_syn_rst(&h);

	CU_ASSERT_EQUAL(hosts_destroy(&h), 0);
	CU_ASSERT_EQUAL(hosts_destroy(&h), 0);      /* twice is fine */
	CU_ASSERT(!netns_exists(name_a));
	CU_ASSERT(!netns_exists(name_b));
	CU_ASSERT_EQUAL(h.tun_fd[HOSTS_A], -1);
}

/* Moves every packet waiting on one TUN to the other, decoding each; notes
 * the SYN from A and the SYN,ACK from B. Returns the number moved, or -1. */
static int forward(struct hosts *h, int from, bool *syn, bool *synack)
{
	uint8_t buf[PACKET_MAX];
	struct segment seg;
	const char *why;
	int moved = 0;

	for (;;) {
		ssize_t n = read(h->tun_fd[from], buf, sizeof(buf));
		if (n < 0)
			return errno == EAGAIN || errno == EINTR ? moved : -1;
		if (packet_decode(buf, (size_t)n, &seg, &why) == 0) {
			if (from == HOSTS_A && seg.flags == TH_SYN && seg.src_ip == IP_A)
				*syn = true;
			if (from == HOSTS_B && seg.flags == (TH_SYN | TH_ACK) && seg.src_ip == IP_B)
				*synack = true;
		}
		if (write(h->tun_fd[!from], buf, (size_t)n) != n)
			return -1;
		moved++;
	}
}

/* The kernel of A against the kernel of B, this process bridging the TUNs:
 * the handshake completes and data crosses. */
static void check_bridge(struct hosts *h)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(PORT_B) };
	bool syn = false, synack = false, connected = false;
	int lst = host_socket(h, HOSTS_B), cli = -1, srv = -1, one = 1;
	char got[8] = { 0 };
	ssize_t n_got = 0;

	if (lst < 0)
		return;
	sa.sin_addr.s_addr = htonl(IP_B);
	setsockopt(lst, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	CU_ASSERT_EQUAL(bind(lst, (struct sockaddr *)&sa, sizeof(sa)), 0);
	CU_ASSERT_EQUAL(listen(lst, 1), 0);
	cli = host_socket(h, HOSTS_A);
	if (cli < 0)
		goto out;
	CU_ASSERT_EQUAL(connect_to(cli, IP_B, PORT_B), -1);
	CU_ASSERT_EQUAL(errno, EINPROGRESS);

	long end = now_ms() + BRIDGE_MS;
	bool sent = false;
	while (n_got < 5 && now_ms() < end) {
		struct pollfd p[4] = {
			{ .fd = h->tun_fd[HOSTS_A], .events = POLLIN },
			{ .fd = h->tun_fd[HOSTS_B], .events = POLLIN },
			{ .fd = cli, .events = connected ? 0 : POLLOUT },
			{ .fd = srv >= 0 ? srv : lst, .events = POLLIN },
		};
		int k = poll(p, 4, (int)(end - now_ms() > 0 ? end - now_ms() : 0));
		if (k < 0 && errno != EINTR)
			break;
		if (forward(h, HOSTS_A, &syn, &synack) < 0 || forward(h, HOSTS_B, &syn, &synack) < 0) {
			CU_FAIL("forwarding between the TUNs");
			break;
		}
		if (!connected && (p[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
			CU_ASSERT_EQUAL(connect_result(cli, 0), 0);
			connected = true;
		}
		if (srv < 0 && (p[3].revents & POLLIN))
			srv = accept4(lst, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (connected && !sent) {
			CU_ASSERT_EQUAL(send(cli, "hello", 5, MSG_NOSIGNAL), 5);
			sent = true;
		}
		if (srv >= 0) {
			ssize_t r = recv(srv, got + n_got, 5 - (size_t)n_got, 0);
			if (r > 0)
				n_got += r;
		}
	}
	CU_ASSERT(syn);
	CU_ASSERT(synack);
	CU_ASSERT(connected);
	CU_ASSERT(srv >= 0);
	CU_ASSERT_EQUAL(n_got, 5);
	CU_ASSERT_STRING_EQUAL(got, "hello");
out:
	if (srv >= 0)
		close(srv);
	if (cli >= 0)
		close(cli);
	close(lst);
}

static void test_bridge(void)
{
	struct hosts h = HOSTS_INIT;
	char id[32], err[256];

	if (skip())
		return;
	make_run_id(id, sizeof(id));
	int rc = hosts_create(&h, id, IP_A, IP_B, err, sizeof(err));
	if (rc < 0)
		printf("hosts_create: %s\n", err);
	CU_ASSERT_EQUAL(rc, 0);
	if (rc < 0)
		return;
	check_bridge(&h);
	CU_ASSERT_EQUAL(hosts_destroy(&h), 0);
	CU_ASSERT(!netns_exists(h.name[HOSTS_A]));
	CU_ASSERT(!netns_exists(h.name[HOSTS_B]));
}

/* Bad input is refused before anything is created, and h can be destroyed. */
static void test_bad_args(void)
{
	struct hosts h = HOSTS_INIT;
	char err[256] = "";

	CU_ASSERT_EQUAL(hosts_create(&h, "../x", IP_A, IP_B, err, sizeof(err)), -1);
	CU_ASSERT(err[0] != '\0');
	CU_ASSERT_EQUAL(hosts_destroy(&h), 0);
	CU_ASSERT_EQUAL(hosts_create(&h, "", IP_A, IP_B, err, sizeof(err)), -1);
	CU_ASSERT_EQUAL(hosts_create(&h, "0123456789012345678901234567890123", IP_A, IP_B,
				     err, sizeof(err)), -1);
	CU_ASSERT_EQUAL(hosts_create(&h, "x", IP_A, IP_A, err, sizeof(err)), -1);
	CU_ASSERT_EQUAL(hosts_enter(&h, HOSTS_A), -1);
	CU_ASSERT_EQUAL(hosts_leave(&h), 0);
	CU_ASSERT_EQUAL(hosts_destroy(&h), 0);
}

/* A second create with the same run id fails (the names are taken) and
 * leaves the first run's hosts alone. */
static void test_same_run_id(void)
{
	struct hosts h = HOSTS_INIT, h2 = HOSTS_INIT;
	char id[32], err[256];

	if (skip())
		return;
	make_run_id(id, sizeof(id));
	int rc = hosts_create(&h, id, IP_A, IP_B, err, sizeof(err));
	CU_ASSERT_EQUAL(rc, 0);
	if (rc < 0)
		return;
	CU_ASSERT_EQUAL(hosts_create(&h2, id, IP_A, IP_B, err, sizeof(err)), -1);
	CU_ASSERT(strstr(err, "File exists") != NULL);
	CU_ASSERT(netns_exists(h.name[HOSTS_A]));
	CU_ASSERT(netns_exists(h.name[HOSTS_B]));
	hosts_destroy(&h2);
	CU_ASSERT(netns_exists(h.name[HOSTS_A]));
	CU_ASSERT_EQUAL(hosts_destroy(&h), 0);
	CU_ASSERT(!netns_exists(h.name[HOSTS_A]));
	CU_ASSERT(!netns_exists(h.name[HOSTS_B]));
}

/* A namespace left by a killed run is removed; one of another name is not. */
static void test_cleanup_stale(void)
{
	char keep[64], err[256] = "";
	const char *version[] = { "-V", NULL };

	if (skip())
		return;
	if (run_ip(version) != 0) {
		printf("hosts: no ip command (iproute2: tools/deps.sh installs it)\n");
		CU_FAIL("no ip command");
		return;
	}
	snprintf(keep, sizeof(keep), "keep-tcpsim-%ld", (long)getpid());
	const char *add_stale[] = { "netns", "add", STALE_NAME, NULL };
	const char *add_keep[] = { "netns", "add", keep, NULL };
	const char *del_keep[] = { "netns", "del", keep, NULL };
	if (!netns_exists(STALE_NAME))
		CU_ASSERT_EQUAL(run_ip(add_stale), 0);
	CU_ASSERT_EQUAL(run_ip(add_keep), 0);
	CU_ASSERT(netns_exists(STALE_NAME));

	int n = hosts_cleanup_stale(err, sizeof(err));
	if (n < 0)
		printf("hosts_cleanup_stale: %s\n", err);
	CU_ASSERT(n >= 1);
	CU_ASSERT(!netns_exists(STALE_NAME));
	CU_ASSERT(netns_exists(keep));
	CU_ASSERT_EQUAL(run_ip(del_keep), 0);
	CU_ASSERT(!netns_exists(keep));
}

TCPSIM_SUITE(hosts,
	     { "bad arguments are refused", test_bad_args },
	     { "A's SYN out of A's TUN, an RST into it: ECONNREFUSED", test_syn_rst },
	     { "the two kernels through the bridged TUNs", test_bridge },
	     { "a run id in use is refused", test_same_run_id },
	     { "stale namespaces are removed", test_cleanup_stale })
