/* kernel_bench - the benchmark's workload through the real Linux kernel, over loopback.
 *
 * One thread, epoll, non-blocking sockets. A server on 127.0.0.1 accepts, reads until
 * EOF and closes; clients, bound to 127.0.0.2, 127.0.0.3, ... (the kernel picks the
 * port at connect time, IP_BIND_ADDRESS_NO_PORT), connect, send 100 bytes and close.
 * The client closes first, so every client socket ends in TIME_WAIT (60 s on Linux).
 * A fixed number of connections is kept in flight; a connection is complete when the
 * server has read its EOF and closed it. Prints the wall time, microseconds per
 * connection and connections per second, then the same as one JSON line.
 *
 * One source address per 2000 connections keeps every address's ports far from
 * exhausted. (Linux's default tcp_tw_reuse=2 lets connect() on loopback take over a
 * TIME_WAIT socket over a second old: in a run longer than that, a few tenths of a
 * percent of the clients' TIME_WAIT sockets disappear. --netns sets tcp_tw_reuse=0 in
 * its own namespace, so that all N stay.)
 *
 *   kernel_bench N [--inflight K] [--sources M] [--netns] [--two-processes]
 *
 * --two-processes drives the same exchange the way a plain client and server program
 * would: the server in a child process and the client in this one, blocking sockets, one
 * connection at a time (the client sends, shuts down its side and reads until the
 * server's FIN, then closes). Every connection then costs the wake-ups and context
 * switches between the two processes; pinned to one core (taskset) or not, it says how
 * much of a kernel figure is the way the kernel is driven.
 *
 * --netns runs in a network namespace of its own (unshare(2); as root, else in a new
 * user namespace too), with only lo in it: each run starts with no TIME_WAIT socket
 * left by an earlier one (Linux keeps at most tcp_max_tw_buckets of them and 60 s each)
 * and its own TCP counters, so the segments can be counted (/proc/net/snmp OutSegs),
 * and tcp_tw_reuse=0 there.
 * Without it the TIME_WAIT sockets are the machine's: `ss -tan state time-wait`
 * shows them.
 *
 * Exit status: 0 when every connection completed, 1 when one failed, 2 bad usage,
 * 3 the environment refused (socket, bind, unshare). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

#define PAYLOAD 100
#define MAX_EVENTS 256

enum kind { K_LISTEN = 1, K_CLIENT = 2, K_SERVER = 3 };

struct bench {
	int ep, lfd;
	struct sockaddr_in server;
	uint32_t src_base;      /* host order: 127.0.0.2 */
	unsigned sources;
	uint64_t total, started, completed, failed;
	unsigned inflight;      /* started - completed - failed */
	unsigned inflight_max;
};

static uint64_t tag(enum kind k, int fd) { return ((uint64_t)k << 32) | (uint32_t)fd; }

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, int code)
{
	fprintf(stderr, "kernel_bench: %s: %s\n", what, strerror(errno));
	exit(code);
}

static void fail_conn(struct bench *b, const char *what, int err)
{
	if (b->failed < 5)
		fprintf(stderr, "kernel_bench: connection %llu of %llu: %s: %s\n",
			(unsigned long long)(b->completed + b->failed + 1),
			(unsigned long long)b->total, what, strerror(err));
	b->failed++;
	b->inflight--;
}

/* Starts one client: socket, bind to the next source address, connect. */
static void start_client(struct bench *b)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		die("socket", 3);
	int one = 1;
	if (setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one) < 0)
		die("IP_BIND_ADDRESS_NO_PORT", 3);
	struct sockaddr_in src = { .sin_family = AF_INET, .sin_port = 0 };
	src.sin_addr.s_addr = htonl(b->src_base + (uint32_t)(b->started % b->sources));
	b->started++;
	b->inflight++;
	if (bind(fd, (struct sockaddr *)&src, sizeof src) < 0)
		die("bind (client)", 3);
	if (connect(fd, (struct sockaddr *)&b->server, sizeof b->server) < 0 && errno != EINPROGRESS) {
		if (errno == EADDRNOTAVAIL) {
			fprintf(stderr, "kernel_bench: connect: no port left on 127.0.0.%u after %llu "
				"connections: give more --sources\n", ntohl(src.sin_addr.s_addr) & 0xff,
				(unsigned long long)b->started);
			exit(1);
		}
		fail_conn(b, "connect", errno);
		close(fd);
		return;
	}
	struct epoll_event ev = { .events = EPOLLOUT, .data.u64 = tag(K_CLIENT, fd) };
	if (epoll_ctl(b->ep, EPOLL_CTL_ADD, fd, &ev) < 0)
		die("epoll_ctl (client)", 3);
}

static void refill(struct bench *b, unsigned want)
{
	while (b->inflight < want && b->started < b->total)
		start_client(b);
	if (b->inflight > b->inflight_max)
		b->inflight_max = b->inflight;
}

/* The client is connected: send 100 bytes and close (FIN after the data). */
static void client_ready(struct bench *b, int fd)
{
	int err = 0;
	socklen_t len = sizeof err;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		err = errno;
	if (err) {
		fail_conn(b, "connect", err);
		close(fd);
		return;
	}
	static const char payload[PAYLOAD];
	ssize_t n = send(fd, payload, sizeof payload, MSG_NOSIGNAL);
	if (n != (ssize_t)sizeof payload) {
		fail_conn(b, "send", n < 0 ? errno : EIO);
		close(fd);
		return;
	}
	close(fd);   /* leaves epoll with the fd */
}

/* Reads what the server side of a connection has; returns true when it has closed it. */
static bool server_read(struct bench *b, int fd)
{
	char buf[512];
	for (;;) {
		ssize_t n = read(fd, buf, sizeof buf);
		if (n > 0)
			continue;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return false;
		if (n < 0) {
			fail_conn(b, "read (server)", errno);
		} else {
			b->completed++;
			b->inflight--;
		}
		close(fd);
		return true;
	}
}

static void server_accept(struct bench *b)
{
	for (;;) {
		int fd = accept4(b->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EAGAIN || errno == EINTR || errno == ECONNABORTED)
				return;
			die("accept4", 3);
		}
		/* Over loopback the data and the FIN are often there already. */
		if (server_read(b, fd))
			continue;
		struct epoll_event ev = { .events = EPOLLIN | EPOLLRDHUP, .data.u64 = tag(K_SERVER, fd) };
		if (epoll_ctl(b->ep, EPOLL_CTL_ADD, fd, &ev) < 0)
			die("epoll_ctl (server)", 3);
	}
}

/* A network namespace of our own, with lo up (127.0.0.1/8 comes with it). */
static void own_netns(void)
{
	if (unshare(CLONE_NEWNET) < 0) {
		if (errno != EPERM || unshare(CLONE_NEWUSER | CLONE_NEWNET) < 0)
			die("unshare (--netns)", 3);
	}
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		die("socket", 3);
	struct ifreq ifr;
	memset(&ifr, 0, sizeof ifr);
	strcpy(ifr.ifr_name, "lo");
	if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
		die("SIOCGIFFLAGS lo", 3);
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0)
		die("SIOCSIFFLAGS lo", 3);
	close(s);
	/* This namespace's own setting: no reuse of TIME_WAIT sockets, so that all N stay. */
	FILE *f = fopen("/proc/sys/net/ipv4/tcp_tw_reuse", "w");
	if (f) {
		fputs("0\n", f);
		fclose(f);
	}
}

/* The value of "Tcp: ... KEY" in /proc/net/snmp (this namespace's counters), or -1. */
static long long snmp_tcp(const char *key)
{
	FILE *f = fopen("/proc/net/snmp", "r");
	if (!f)
		return -1;
	char names[2048], values[2048];
	long long v = -1;
	while (fgets(names, sizeof names, f)) {
		if (strncmp(names, "Tcp:", 4) || !fgets(values, sizeof values, f))
			continue;
		char *sn, *sv;
		char *n = strtok_r(names, " \n", &sn), *val = strtok_r(values, " \n", &sv);
		while (n && val) {
			if (!strcmp(n, key)) {
				v = atoll(val);
				break;
			}
			n = strtok_r(NULL, " \n", &sn);
			val = strtok_r(NULL, " \n", &sv);
		}
		break;
	}
	fclose(f);
	return v;
}

/* TIME_WAIT sockets in this namespace ("TCP: ... tw N" in /proc/net/sockstat), or -1. */
static long long sockstat_tw(void)
{
	FILE *f = fopen("/proc/net/sockstat", "r");
	if (!f)
		return -1;
	char line[512];
	long long tw = -1;
	while (fgets(line, sizeof line, f)) {
		char *p = strstr(line, " tw ");
		if (!strncmp(line, "TCP:", 4) && p)
			tw = atoll(p + 4);
	}
	fclose(f);
	return tw;
}

static double cpu_of(int who)
{
	struct rusage ru;
	getrusage(who, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

/* CPU time of this process and of its children that have been waited for. */
static double cpu_s(void)
{
	return cpu_of(RUSAGE_SELF) + cpu_of(RUSAGE_CHILDREN);
}

/* --two-processes, the server's side (a child process): accepts b->total connections one
 * at a time, reads each until EOF and closes it. Never returns. */
static void blocking_server(struct bench *b)
{
	int fl = fcntl(b->lfd, F_GETFL);
	if (fl < 0 || fcntl(b->lfd, F_SETFL, fl & ~O_NONBLOCK) < 0)
		die("fcntl (listen)", 3);
	char buf[512];
	for (uint64_t i = 0; i < b->total; i++) {
		int fd = accept4(b->lfd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED) {
				i--;
				continue;
			}
			die("accept4", 3);
		}
		ssize_t n;
		while ((n = read(fd, buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
			;
		close(fd);
	}
	_exit(0);
}

/* --two-processes, the client's side: one connection after the other, blocking. */
static void blocking_clients(struct bench *b)
{
	static const char payload[PAYLOAD];
	char buf[64];
	int one = 1;
	for (uint64_t i = 0; i < b->total; i++) {
		int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			die("socket", 3);
		if (setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one) < 0)
			die("IP_BIND_ADDRESS_NO_PORT", 3);
		struct sockaddr_in src = { .sin_family = AF_INET, .sin_port = 0 };
		src.sin_addr.s_addr = htonl(b->src_base + (uint32_t)(i % b->sources));
		b->started++;
		b->inflight++;
		if (bind(fd, (struct sockaddr *)&src, sizeof src) < 0)
			die("bind (client)", 3);
		ssize_t n = -1;
		if (connect(fd, (struct sockaddr *)&b->server, sizeof b->server) < 0) {
			fail_conn(b, "connect", errno);
		} else if ((n = send(fd, payload, sizeof payload, MSG_NOSIGNAL)) != (ssize_t)sizeof payload) {
			fail_conn(b, "send", n < 0 ? errno : EIO);
		} else if (shutdown(fd, SHUT_WR) < 0) {
			fail_conn(b, "shutdown", errno);
		} else {
			while ((n = read(fd, buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
				;
			if (n < 0) {
				fail_conn(b, "read (client)", errno);
			} else {
				b->completed++;   /* the server's FIN: it has read our EOF and closed */
				b->inflight--;
			}
		}
		close(fd);
	}
}

static void usage(FILE *f)
{
	fprintf(f, "usage: kernel_bench N [--inflight K] [--sources M] [--netns] [--two-processes]\n"
		   "  N            connections (connect, send 100 bytes, close; the server closes on EOF)\n"
		   "  --inflight K connections kept in flight (default 32)\n"
		   "  --sources M  client addresses 127.0.0.2 ... (default: one per 2000 connections,\n"
		   "               at least 4, at most 250)\n"
		   "  --netns      run in a network namespace of its own (no TIME_WAIT left by earlier runs)\n"
		   "  --two-processes  a server process and a client process, blocking sockets, one\n"
		   "               connection at a time (--inflight does not apply)\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "inflight", required_argument, NULL, 'i' },
		{ "sources", required_argument, NULL, 's' },
		{ "netns", no_argument, NULL, 'n' },
		{ "two-processes", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ 0, 0, 0, 0 },
	};
	long inflight = 32, sources = 0;
	bool netns = false, two = false;
	int c;
	while ((c = getopt_long(argc, argv, "i:s:nph", opts, NULL)) != -1) {
		switch (c) {
		case 'i': inflight = strtol(optarg, NULL, 10); break;
		case 's': sources = strtol(optarg, NULL, 10); break;
		case 'n': netns = true; break;
		case 'p': two = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return 2;
	}
	char *end;
	long long n = strtoll(argv[optind], &end, 10);
	if (*end || n < 1 || inflight < 1 || inflight > 4096 || sources < 0 || sources > 250) {
		usage(stderr);
		return 2;
	}
	if (sources == 0) {
		sources = (long)((n + 1999) / 2000);
		if (sources < 4)
			sources = 4;
		if (sources > 250)
			sources = 250;
	}
	if (netns)
		own_netns();

	struct bench b = { .total = (uint64_t)n, .sources = (unsigned)sources };
	b.src_base = (127u << 24) | 2u;
	b.ep = epoll_create1(EPOLL_CLOEXEC);
	if (b.ep < 0)
		die("epoll_create1", 3);
	b.lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (b.lfd < 0)
		die("socket", 3);
	int one = 1;
	setsockopt(b.lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	b.server.sin_family = AF_INET;
	b.server.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	b.server.sin_port = 0;   /* the kernel picks the port */
	socklen_t sl = sizeof b.server;
	if (bind(b.lfd, (struct sockaddr *)&b.server, sizeof b.server) < 0 ||
	    getsockname(b.lfd, (struct sockaddr *)&b.server, &sl) < 0 || listen(b.lfd, 4096) < 0)
		die("listen", 3);
	struct epoll_event lev = { .events = EPOLLIN, .data.u64 = tag(K_LISTEN, b.lfd) };
	if (epoll_ctl(b.ep, EPOLL_CTL_ADD, b.lfd, &lev) < 0)
		die("epoll_ctl (listen)", 3);

	long long tw0 = sockstat_tw(), seg0 = snmp_tcp("OutSegs");
	double cpu0 = cpu_s(), t0 = now_s();
	if (two) {
		inflight = 1;
		pid_t server = fork();
		if (server < 0)
			die("fork", 3);
		if (server == 0)
			blocking_server(&b);
		/* The listener is the server's alone: should it die, connects are refused
		 * instead of waiting in a queue nobody accepts from. */
		close(b.lfd);
		blocking_clients(&b);
		int status;
		if (b.failed)
			kill(server, SIGTERM);
		if (waitpid(server, &status, 0) < 0)
			die("waitpid", 3);
		if (!b.failed && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
			fprintf(stderr, "kernel_bench: the server process failed\n");
			return 1;
		}
	}
	refill(&b, two ? 0 : (unsigned)inflight);
	struct epoll_event evs[MAX_EVENTS];
	while (b.completed + b.failed < b.total) {
		int k = epoll_wait(b.ep, evs, MAX_EVENTS, 10000);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			die("epoll_wait", 3);
		}
		if (k == 0) {
			fprintf(stderr, "kernel_bench: no progress for 10 s (%llu of %llu complete)\n",
				(unsigned long long)b.completed, (unsigned long long)b.total);
			return 1;
		}
		for (int i = 0; i < k; i++) {
			int fd = (int)(uint32_t)evs[i].data.u64;
			switch ((enum kind)(evs[i].data.u64 >> 32)) {
			case K_LISTEN: server_accept(&b); break;
			case K_CLIENT: client_ready(&b, fd); break;
			case K_SERVER: server_read(&b, fd); break;
			}
		}
		refill(&b, (unsigned)inflight);
	}
	double secs = now_s() - t0, cpu = cpu_s() - cpu0;
	long long tw1 = sockstat_tw(), seg1 = snmp_tcp("OutSegs");
	long long segs = (netns && seg0 >= 0 && seg1 >= 0) ? seg1 - seg0 : -1;

	double us = secs * 1e6 / (double)n, cps = (double)n / secs;
	printf("kernel_bench: %llu connections (%llu failed), %ld in flight, %ld source addresses%s%s\n",
	       (unsigned long long)b.completed, (unsigned long long)b.failed, inflight, sources,
	       netns ? ", own network namespace" : "", two ? ", client and server in two processes" : "");
	printf("  %.3f s wall, %.3f s CPU: %.2f us per connection, %.0f connections/s",
	       secs, cpu, us, cps);
	if (segs >= 0)
		printf(", %lld segments (%.2f per connection)", segs, (double)segs / (double)n);
	printf("\n  TIME_WAIT sockets: %lld before, %lld after (this network namespace)\n", tw0, tw1);
	printf("{\"tool\": \"kernel_bench\", \"connections\": %lld, \"completed\": %llu, \"failed\": %llu, "
	       "\"inflight\": %ld, \"sources\": %ld, \"netns\": %s, \"two_processes\": %s, \"seconds\": %.6f, \"cpu_seconds\": %.6f, "
	       "\"us_per_conn\": %.3f, \"conns_per_s\": %.1f, \"segments\": %lld, "
	       "\"time_wait_before\": %lld, \"time_wait_after\": %lld}\n",
	       n, (unsigned long long)b.completed, (unsigned long long)b.failed, inflight, sources,
	       netns ? "true" : "false", two ? "true" : "false", secs, cpu, us, cps, segs, tw0, tw1);
	return b.failed ? 1 : 0;
}
