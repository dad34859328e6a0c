/* kstate.c - TCP state changes from the tracepoint sock:inet_sock_set_state,
 * sockets (TIME_WAIT included) from sock_diag.
 *
 * The trace is read as text from the instance's trace_pipe: one line per
 * change, in timestamp order across CPUs, e.g.
 *   <idle>-0 [001] ..s2. 6746.657482: inet_sock_set_state: family=AF_INET
 *   protocol=IPPROTO_TCP sport=51748 dport=5555 saddr=127.0.0.1 daddr=127.0.0.1
 *   saddrv6=... daddrv6=... oldstate=TCP_FIN_WAIT2 newstate=TCP_CLOSE
 * The kernel filter compares the __u8[4] address fields as one native-endian
 * 32-bit number (the bytes in network order read as a u32), so the filter's
 * value for an address is htonl(ip). Should a kernel refuse that filter, the
 * instance falls back to "protocol == 6" and the addresses are checked here,
 * which is done on every line anyway. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/magic.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include "replay/kstate.h"

#ifndef TRACEFS_MAGIC
#define TRACEFS_MAGIC 0x74726163
#endif

#define TRACEFS_MOUNT "/sys/kernel/tracing"
#define TRACEFS_DEBUG "/sys/kernel/debug/tracing"
#define EVENT "sock/inet_sock_set_state"
#define EVENT_TAG " inet_sock_set_state: "
#define SELF_NS "/proc/thread-self/ns/net"
#define DIAG_TIMEOUT_MS 2000
#define PATH_CAP 256
#define LINE_BUF 16384

struct kstate {
	int fd;                       /* trace_pipe, non-blocking */
	uint32_t ip[2];
	uint64_t lost;
	char dir[PATH_CAP];           /* the instance */
	size_t start, used;           /* unread text is buf[start, used) */
	char buf[LINE_BUF];
};

static void set_err(char *err, size_t errlen, const char *what, int e)
{
	if (err && errlen)
		snprintf(err, errlen, "%s: %s", what, strerror(e));
}

static bool is_tracefs(const char *path)
{
	struct statfs sf;

	return statfs(path, &sf) == 0 && sf.f_type == TRACEFS_MAGIC;
}

/* Finds tracefs, mounting it on TRACEFS_MOUNT when it is nowhere (it stays
 * mounted). Returns 0 with the root in root[PATH_CAP], or -1 with err. */
static int tracefs_root(char *root, char *err, size_t errlen)
{
	if (is_tracefs(TRACEFS_MOUNT)) {
		snprintf(root, PATH_CAP, "%s", TRACEFS_MOUNT);
		return 0;
	}
	if (is_tracefs(TRACEFS_DEBUG)) {
		snprintf(root, PATH_CAP, "%s", TRACEFS_DEBUG);
		return 0;
	}
	if (mount("nodev", TRACEFS_MOUNT, "tracefs", 0, NULL) < 0 && errno != EBUSY) {
		set_err(err, errlen, "cannot mount tracefs on " TRACEFS_MOUNT, errno);
		return -1;
	}
	if (!is_tracefs(TRACEFS_MOUNT)) {
		snprintf(err, errlen, "tracefs is not mounted on " TRACEFS_MOUNT);
		return -1;
	}
	snprintf(root, PATH_CAP, "%s", TRACEFS_MOUNT);
	return 0;
}

/* Writes s to dir/name. Returns 0, or -1 with errno set. */
static int write_file(const char *dir, const char *name, const char *s)
{
	char path[PATH_CAP * 2];
	size_t len = strlen(s);

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = write(fd, s, len);
	int e = errno;
	close(fd);
	if (n != (ssize_t)len) {
		errno = n < 0 ? e : EIO;
		return -1;
	}
	return 0;
}

/* Removes an instance directory; the kernel refuses (EBUSY) for a moment
 * after its last file was closed, so this retries briefly. */
static int remove_instance(const char *dir)
{
	for (int i = 0; i < 50; i++) {
		if (rmdir(dir) == 0 || errno == ENOENT || errno == ENODEV)
			return 0;
		if (errno != EBUSY)
			return -1;
		struct timespec ts = { 0, 10 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	return -1;
}

static bool run_id_ok(const char *id)
{
	size_t n = strlen(id);

	if (n == 0 || n > KSTATE_RUN_ID_MAX)
		return false;
	for (const char *p = id; *p; p++) {
		char c = *p;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '.' || c == '-'))
			return false;
	}
	return strcmp(id, ".") != 0 && strcmp(id, "..") != 0;
}

bool kstate_available(char *why, size_t whylen)
{
	char root[PATH_CAP], path[PATH_CAP * 2];

	if (tracefs_root(root, why, whylen) < 0)
		return false;
	snprintf(path, sizeof(path), "%s/events/" EVENT "/enable", root);
	if (access(path, F_OK) < 0) {
		if (errno == ENOENT)
			snprintf(why, whylen, "no tracepoint " EVENT " in this kernel");
		else
			set_err(why, whylen, "tracepoint " EVENT, errno);
		return false;
	}
	snprintf(path, sizeof(path), "%s/instances", root);
	if (access(path, W_OK) < 0) {
		set_err(why, whylen, "cannot create tracing instances", errno);
		return false;
	}
	return true;
}

int kstate_open(struct kstate **out, const char *run_id, uint32_t ip_a, uint32_t ip_b,
		char *err, size_t errlen)
{
	char root[PATH_CAP], filter[256];
	struct kstate *ks;

	*out = NULL;
	if (!run_id || !run_id_ok(run_id)) {
		snprintf(err, errlen, "bad run id (letters, digits, '_', '.', '-', at most %d)",
			 KSTATE_RUN_ID_MAX);
		return -1;
	}
	if (tracefs_root(root, err, errlen) < 0)
		return -1;
	ks = calloc(1, sizeof(*ks));
	if (!ks) {
		set_err(err, errlen, "kstate", ENOMEM);
		return -1;
	}
	ks->fd = -1;
	ks->ip[0] = ip_a;
	ks->ip[1] = ip_b;
	snprintf(ks->dir, sizeof(ks->dir), "%s/instances/" KSTATE_PREFIX "%s", root, run_id);
	/* The pipe first: an instance with an open file is busy, which keeps a
	 * concurrent kstate_cleanup_stale off it; should one remove the new
	 * instance before that (ENOENT, ENODEV), make it again. */
	char pipe[PATH_CAP * 2];
	snprintf(pipe, sizeof(pipe), "%s/trace_pipe", ks->dir);
	for (int tries = 0; ks->fd < 0; tries++) {
		if (mkdir(ks->dir, 0700) < 0) {
			set_err(err, errlen, ks->dir, errno);
			free(ks);
			return -1;
		}
		ks->fd = open(pipe, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (ks->fd < 0 && ((errno != ENOENT && errno != ENODEV) || tries == 4)) {
			set_err(err, errlen, pipe, errno);
			goto fail;
		}
		if (ks->fd < 0)
			remove_instance(ks->dir);
	}
	if (write_file(ks->dir, "trace_clock", "mono") < 0) {
		set_err(err, errlen, "trace_clock mono", errno);
		goto fail;
	}
	/* Wake a poller as soon as anything is there (where the knob exists). */
	write_file(ks->dir, "buffer_percent", "0");
	/* Every field, the socket's address among them, where the kernel has
	 * the option (6.18 has it): it tells this run's sockets from another
	 * namespace's with the same addresses (kstate_change.skaddr). */
	write_file(ks->dir, "options/fields", "1");
	snprintf(filter, sizeof(filter),
		 "protocol == 6 && family == 2 && (saddr == 0x%x || saddr == 0x%x || daddr == 0x%x || daddr == 0x%x)",
		 htonl(ip_a), htonl(ip_b), htonl(ip_a), htonl(ip_b));
	if (write_file(ks->dir, "events/" EVENT "/filter", filter) < 0 &&
	    write_file(ks->dir, "events/" EVENT "/filter", "protocol == 6") < 0) {
		set_err(err, errlen, "filter on " EVENT, errno);
		goto fail;
	}
	if (write_file(ks->dir, "events/" EVENT "/enable", "1") < 0) {
		set_err(err, errlen, "enable " EVENT, errno);
		goto fail;
	}
	*out = ks;
	return 0;
fail:
	kstate_close(ks);
	return -1;
}

int kstate_fd(const struct kstate *ks)
{
	return ks->fd;
}

uint64_t kstate_lost(const struct kstate *ks)
{
	return ks->lost;
}

const char *kstate_instance_dir(const struct kstate *ks)
{
	return ks->dir;
}

int kstate_close(struct kstate *ks)
{
	int rc = 0, e = 0;

	if (!ks)
		return 0;
	if (ks->fd >= 0)
		close(ks->fd);
	write_file(ks->dir, "events/" EVENT "/enable", "0");
	if (remove_instance(ks->dir) < 0) {
		rc = -1;
		e = errno;
	}
	free(ks);
	errno = e;
	return rc;
}

int kstate_cleanup_stale(char *err, size_t errlen)
{
	char root[PATH_CAP], dir[PATH_CAP], path[PATH_CAP * 2];
	int n = 0, rc = 0;

	if (tracefs_root(root, err, errlen) < 0)
		return -1;
	snprintf(dir, sizeof(dir), "%s/instances", root);
	DIR *d = opendir(dir);
	if (!d) {
		set_err(err, errlen, dir, errno);
		return -1;
	}
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, KSTATE_PREFIX, strlen(KSTATE_PREFIX)) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (rmdir(path) == 0) {
			n++;
		} else if (errno != EBUSY && errno != ENOENT && errno != ENODEV && rc == 0) {
			/* EBUSY: a live run's; ENOENT, ENODEV: being removed by another */
			set_err(err, errlen, path, errno);
			rc = -1;
		}
	}
	closedir(d);
	return rc < 0 ? -1 : n;
}

/* ---- parsing --------------------------------------------------------------- */

static const struct {
	const char *name;
	enum tcp_state state;
} linux_states[] = {
	[KSTATE_L_ESTABLISHED] = { "TCP_ESTABLISHED", TCPS_ESTABLISHED },
	[KSTATE_L_SYN_SENT] = { "TCP_SYN_SENT", TCPS_SYN_SENT },
	[KSTATE_L_SYN_RECV] = { "TCP_SYN_RECV", TCPS_SYN_RECEIVED },
	[KSTATE_L_FIN_WAIT1] = { "TCP_FIN_WAIT1", TCPS_FIN_WAIT_1 },
	[KSTATE_L_FIN_WAIT2] = { "TCP_FIN_WAIT2", TCPS_FIN_WAIT_2 },
	[KSTATE_L_TIME_WAIT] = { "TCP_TIME_WAIT", TCPS_TIME_WAIT },
	[KSTATE_L_CLOSE] = { "TCP_CLOSE", TCPS_CLOSED },
	[KSTATE_L_CLOSE_WAIT] = { "TCP_CLOSE_WAIT", TCPS_CLOSE_WAIT },
	[KSTATE_L_LAST_ACK] = { "TCP_LAST_ACK", TCPS_LAST_ACK },
	[KSTATE_L_LISTEN] = { "TCP_LISTEN", TCPS_LISTEN },
	[KSTATE_L_CLOSING] = { "TCP_CLOSING", TCPS_CLOSING },
	[KSTATE_L_NEW_SYN_RECV] = { "TCP_NEW_SYN_RECV", TCPS_SYN_RECEIVED },
};
#define N_LINUX_STATES (sizeof(linux_states) / sizeof(linux_states[0]))

int kstate_map_linux(int linux_state, enum tcp_state *out)
{
	if (linux_state < KSTATE_L_ESTABLISHED || linux_state > KSTATE_L_NEW_SYN_RECV)
		return -1;
	*out = linux_states[linux_state].state;
	return 0;
}

/* A state's value as the trace prints it: "TCP_LISTEN", or a number for one
 * __print_symbolic does not know. Returns the Linux number, or -1. */
/* A number in decimal or, as the `fields` format writes it, "0x" hex. */
static int parse_num(const char *v, size_t len, uint64_t *out)
{
	char tmp[24], *end;

	if (len == 0 || len >= sizeof(tmp) || v[0] < '0' || v[0] > '9')
		return -1;
	memcpy(tmp, v, len);
	tmp[len] = '\0';
	errno = 0;
	*out = strtoull(tmp, &end, 0);
	return *end == '\0' && errno == 0 ? 0 : -1;
}

static int parse_linux_state(const char *v, size_t len)
{
	uint64_t n;

	for (size_t i = 1; i < N_LINUX_STATES; i++)
		if (strlen(linux_states[i].name) == len && memcmp(linux_states[i].name, v, len) == 0)
			return (int)i;
	return parse_num(v, len, &n) == 0 && n >= 1 && n < N_LINUX_STATES ? (int)n : -1;
}

static int parse_u16(const char *v, size_t len, uint16_t *out)
{
	uint64_t n;

	if (parse_num(v, len, &n) < 0 || n > 0xffff)
		return -1;
	*out = (uint16_t)n;
	return 0;
}

/* "10.0.0.1", or the `fields` format's raw __u8[4] read as a native u32
 * ("0x100000a"): the bytes are in network order either way. */
static int parse_ip4(const char *v, size_t len, uint32_t *out)
{
	char tmp[INET_ADDRSTRLEN];
	struct in_addr a;
	uint64_t raw;

	if (len > 2 && v[0] == '0' && v[1] == 'x') {
		if (parse_num(v, len, &raw) < 0 || raw > 0xffffffffu)
			return -1;
		*out = ntohl((uint32_t)raw);
		return 0;
	}
	if (len == 0 || len >= sizeof(tmp))
		return -1;
	memcpy(tmp, v, len);
	tmp[len] = '\0';
	if (inet_pton(AF_INET, tmp, &a) != 1)
		return -1;
	*out = ntohl(a.s_addr);
	return 0;
}

/* Whether the value is the name s or the number n. */
static bool value_is(const char *v, size_t len, const char *s, uint64_t n)
{
	uint64_t got;

	return (strlen(s) == len && memcmp(v, s, len) == 0) || (parse_num(v, len, &got) == 0 && got == n);
}

/* The task that was running: the line's "COMM-PID" before " [CPU] ";
 * COMM may hold spaces and '-'. Leaves c's pid 0 and comm "" when the line
 * has no such field. */
static void parse_task(const char *line, const char *end, struct kstate_change *c)
{
	for (const char *p = line; (p = strstr(p, " [")) && p < end; p++) {
		const char *q = p + 2;
		while (*q >= '0' && *q <= '9')
			q++;
		if (q == p + 2 || *q != ']')
			continue;
		const char *first = line, *last = p, *dash = NULL;
		while (first < last && *first == ' ')
			first++;
		while (last > first && last[-1] == ' ')
			last--;
		for (const char *d = first; d < last; d++)
			if (*d == '-')
				dash = d;
		if (!dash)
			return;
		uint64_t pid;
		if (parse_num(dash + 1, (size_t)(last - dash - 1), &pid) < 0 || pid > 0x7fffffff)
			return;
		c->pid = (int)pid;
		size_t n = (size_t)(dash - first);
		if (n >= sizeof(c->comm))
			n = sizeof(c->comm) - 1;
		memcpy(c->comm, first, n);
		c->comm[n] = '\0';
		return;
	}
}

/* The timestamp "SECONDS.FRACTION" that ends just before `end` (which points
 * at its ':'), in ns. Returns 0, or -1. */
static int parse_stamp(const char *line, const char *end, uint64_t *t_ns)
{
	const char *p = end;
	uint64_t sec = 0, frac = 0, scale = 1000000000ull;

	while (p > line && ((p[-1] >= '0' && p[-1] <= '9') || p[-1] == '.'))
		p--;
	if (p == end)
		return -1;
	const char *q = p;
	for (; q < end && *q != '.'; q++)
		sec = sec * 10 + (uint64_t)(*q - '0');
	if (q < end) {
		for (q++; q < end; q++) {
			if (*q == '.' || scale == 1)
				return -1;
			scale /= 10;
			frac += (uint64_t)(*q - '0') * scale;
		}
	}
	*t_ns = sec * 1000000000ull + frac;
	return 0;
}

int kstate_parse_line(const char *line, struct kstate_change *c)
{
	const char *tag = strstr(line, EVENT_TAG);
	unsigned seen = 0;
	int from = -1, to = -1;
	bool ipv4 = false, tcp = false;

	if (!tag)
		return 0;
	memset(c, 0, sizeof(*c));
	/* "... 6746.657482: inet_sock_set_state: " */
	if (tag == line || tag[-1] != ':' || parse_stamp(line, tag - 1, &c->t_ns) < 0)
		return -1;
	parse_task(line, tag, c);
	for (const char *p = tag + strlen(EVENT_TAG); *p && *p != '\n';) {
		while (*p == ' ')
			p++;
		const char *key = p, *eq = NULL;
		while (*p && *p != ' ' && *p != '\n') {
			if (!eq && *p == '=')
				eq = p;
			p++;
		}
		if (!eq)
			continue;
		size_t klen = (size_t)(eq - key), vlen = (size_t)(p - eq - 1);
		const char *v = eq + 1;
#define KEY(s) (klen == sizeof(s) - 1 && memcmp(key, s, klen) == 0)
		int bad = 0;
		if (KEY("family")) {
			ipv4 = value_is(v, vlen, "AF_INET", 2);
			seen |= 1;
		} else if (KEY("protocol")) {
			tcp = value_is(v, vlen, "IPPROTO_TCP", 6);
			seen |= 2;
		} else if (KEY("sport")) {
			bad = parse_u16(v, vlen, &c->sport);
			seen |= 4;
		} else if (KEY("dport")) {
			bad = parse_u16(v, vlen, &c->dport);
			seen |= 8;
		} else if (KEY("saddr")) {
			bad = parse_ip4(v, vlen, &c->saddr);
			seen |= 16;
		} else if (KEY("daddr")) {
			bad = parse_ip4(v, vlen, &c->daddr);
			seen |= 32;
		} else if (KEY("skaddr")) {
			bad = parse_num(v, vlen, &c->skaddr);
		} else if (KEY("oldstate")) {
			from = parse_linux_state(v, vlen);
			seen |= 64;
		} else if (KEY("newstate")) {
			to = parse_linux_state(v, vlen);
			seen |= 128;
		}
#undef KEY
		if (bad)
			return -1;
	}
	if ((seen & 3) != 3)
		return -1;
	if (!ipv4 || !tcp)
		return 0;
	if (seen != 255 || from < 0 || to < 0)
		return -1;
	c->linux_from = (uint8_t)from;
	c->linux_to = (uint8_t)to;
	kstate_map_linux(from, &c->from);
	kstate_map_linux(to, &c->to);
	return 1;
}

static bool ours(const struct kstate *ks, const struct kstate_change *c)
{
	return c->saddr == ks->ip[0] || c->saddr == ks->ip[1] ||
	       c->daddr == ks->ip[0] || c->daddr == ks->ip[1];
}

/* Hands the complete lines in the buffer to fn. Returns the number handed;
 * sets *stop when fn asked to stop. */
static int drain_lines(struct kstate *ks, kstate_fn fn, void *ctx, bool *stop)
{
	int n = 0;

	while (ks->start < ks->used) {
		char *line = ks->buf + ks->start;
		char *nl = memchr(line, '\n', ks->used - ks->start);
		if (!nl)
			break;
		*nl = '\0';
		ks->start = (size_t)(nl + 1 - ks->buf);

		struct kstate_change c;
		unsigned long long lost;
		int cpu;
		if (sscanf(line, "CPU:%d [LOST %llu EVENTS]", &cpu, &lost) == 2) {
			ks->lost += lost;
			continue;
		}
		if (kstate_parse_line(line, &c) != 1 || !ours(ks, &c))
			continue;
		n++;
		if (fn(ctx, &c)) {
			*stop = true;
			break;
		}
	}
	return n;
}

int kstate_read(struct kstate *ks, kstate_fn fn, void *ctx)
{
	bool stop = false;
	int n = drain_lines(ks, fn, ctx, &stop);

	while (!stop) {
		/* Keep the partial line at the front, then fill up. */
		if (ks->start > 0) {
			memmove(ks->buf, ks->buf + ks->start, ks->used - ks->start);
			ks->used -= ks->start;
			ks->start = 0;
		}
		if (ks->used == sizeof(ks->buf) - 1)
			ks->used = 0;     /* a line longer than the buffer: drop it */
		ssize_t r = read(ks->fd, ks->buf + ks->used, sizeof(ks->buf) - 1 - ks->used);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				break;
			return -1;
		}
		if (r == 0)
			break;
		ks->used += (size_t)r;
		n += drain_lines(ks, fn, ctx, &stop);
	}
	return n;
}

/* ---- sock_diag ------------------------------------------------------------- */

/* The Linux idiag_states bits for a mask of contract states. */
static uint32_t linux_mask(unsigned mask)
{
	uint32_t m = 0;

	for (size_t i = 1; i < N_LINUX_STATES; i++)
		if (mask & KSTATE_MASK(linux_states[i].state))
			m |= 1u << i;
	return m;
}

/* A NETLINK_SOCK_DIAG socket made inside netns_fd (or here when -1). */
static int diag_socket(int netns_fd, char *err, size_t errlen)
{
	int home = -1, s, e;

	if (netns_fd >= 0) {
		home = open(SELF_NS, O_RDONLY | O_CLOEXEC);
		if (home < 0) {
			set_err(err, errlen, SELF_NS, errno);
			return -1;
		}
		if (setns(netns_fd, CLONE_NEWNET) < 0) {
			set_err(err, errlen, "setns into the host", errno);
			close(home);
			return -1;
		}
	}
	s = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	e = errno;
	if (home >= 0) {
		if (setns(home, CLONE_NEWNET) < 0) {
			set_err(err, errlen, "setns back from the host (thread left in it)", errno);
			close(home);
			if (s >= 0)
				close(s);
			return -1;
		}
		close(home);
	}
	if (s < 0)
		set_err(err, errlen, "NETLINK_SOCK_DIAG socket", e);
	return s;
}

int kstate_sockets(int netns_fd, unsigned mask, kstate_sock_fn fn, void *ctx, char *err, size_t errlen)
{
	struct {
		struct nlmsghdr n;
		struct inet_diag_req_v2 r;
	} req = {
		.n = {
			.nlmsg_len = sizeof(req),
			.nlmsg_type = SOCK_DIAG_BY_FAMILY,
			.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
			.nlmsg_seq = 1,
		},
		.r = {
			.sdiag_family = AF_INET,
			.sdiag_protocol = IPPROTO_TCP,
			.idiag_states = linux_mask(mask),
		},
	};
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	size_t cap = 65536;
	int count = 0, rc = -1;
	bool stop = false;

	int s = diag_socket(netns_fd, err, errlen);
	if (s < 0)
		return -1;
	long *buf = malloc(cap);
	if (!buf) {
		set_err(err, errlen, "sock_diag", ENOMEM);
		goto out;
	}
	if (sendto(s, &req, sizeof(req), 0, (struct sockaddr *)&kernel, sizeof(kernel)) < 0) {
		set_err(err, errlen, "sock_diag request", errno);
		goto out;
	}
	for (;;) {
		struct pollfd p = { .fd = s, .events = POLLIN };
		int k = poll(&p, 1, DIAG_TIMEOUT_MS);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			set_err(err, errlen, "sock_diag answer", k == 0 ? ETIMEDOUT : errno);
			goto out;
		}
		ssize_t n = recv(s, buf, cap, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			set_err(err, errlen, "sock_diag answer", errno);
			goto out;
		}
		struct nlmsghdr *h = (struct nlmsghdr *)buf;
		for (; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_seq != req.n.nlmsg_seq)
				continue;
			if (h->nlmsg_type == NLMSG_DONE) {
				rc = 0;
				goto out;
			}
			if (h->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *ne = NLMSG_DATA(h);
				set_err(err, errlen, "sock_diag", h->nlmsg_len >= NLMSG_LENGTH(sizeof(*ne)) ?
					-ne->error : EPROTO);
				goto out;
			}
			if (stop || h->nlmsg_type != SOCK_DIAG_BY_FAMILY ||
			    h->nlmsg_len < NLMSG_LENGTH(sizeof(struct inet_diag_msg)))
				continue;
			const struct inet_diag_msg *m = NLMSG_DATA(h);
			struct kstate_sock ksock = {
				.saddr = ntohl(m->id.idiag_src[0]),
				.daddr = ntohl(m->id.idiag_dst[0]),
				.sport = ntohs(m->id.idiag_sport),
				.dport = ntohs(m->id.idiag_dport),
				.linux_state = m->idiag_state,
			};
			if (kstate_map_linux(m->idiag_state, &ksock.state) < 0)
				continue;
			count++;
			if (fn(ctx, &ksock))
				stop = true;  /* read on to NLMSG_DONE, so nothing is left half-said */
		}
	}
out:
	free(buf);
	close(s);
	return rc < 0 ? -1 : count;
}
