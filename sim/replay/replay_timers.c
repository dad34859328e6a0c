/* replay_timers.c - the scenario's timers as the replay's namespaces'
 * sysctls (replay_timers.h). Out of replay.c, which runs the exchange. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "base/duration.h"
#include "replay/replay_timers.h"

/* Writes v to net.ipv4.NAME of the calling thread's namespace. Returns 0,
 * or -1 with errno set. */
static int write_sysctl(const char *name, long v)
{
	char path[128], text[32];
	snprintf(path, sizeof(path), "/proc/sys/net/ipv4/%s", name);
	int n = snprintf(text, sizeof(text), "%ld\n", v);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t k = write(fd, text, (size_t)n);
	close(fd);
	return k == n ? 0 : -1;
}

static long clamp(long v, long lo, long hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* Appends ", what" to a list. */
static void add_item(char *list, size_t cap, const char *what)
{
	size_t n = strlen(list);
	snprintf(list + n, cap - n, "%s%s", n ? ", " : "", what);
}

int replay_apply_timers(struct hosts *hosts, const struct tcp_params *p, char *cant, size_t cantlen, char *err,
			size_t errlen)
{
	long fin = p->fin_wait_2_timeout ? (long)((p->fin_wait_2_timeout + USEC_PER_SEC - 1) / USEC_PER_SEC) : 60;
	const struct {
		const char *name;
		long v;
	} set[] = {
		{ "tcp_syn_retries", clamp(p->syn_retries, 1, 127) },
		{ "tcp_synack_retries", clamp(p->synack_retries, 1, 255) },
		{ "tcp_retries2", clamp(p->retries, 0, 255) },
		{ "tcp_fin_timeout", clamp(fin, 1, 1000000) },
	};
	char item[96], a[32], b[32];

	for (int h = 0; h < 2; h++) {
		if (hosts_enter(hosts, h) < 0) {
			snprintf(err, errlen, "entering %s: %s", hosts->name[h], strerror(errno));
			return -1;
		}
		for (size_t i = 0; i < sizeof(set) / sizeof(set[0]); i++)
			if (write_sysctl(set[i].name, set[i].v) < 0) {
				snprintf(err, errlen, "%s: net.ipv4.%s: %s", hosts->name[h], set[i].name,
					 strerror(errno));
				hosts_leave(hosts);
				return -1;
			}
		hosts_leave(hosts);
	}
	cant[0] = '\0';
	/* The RTO's bounds are per-namespace sysctls since Linux 6.11
	 * (tcp_rto_min_us) and 6.15 (tcp_rto_max_ms, 1 to 120 s); where the
	 * kernel has no such file, or refuses the value, they stay fixed. */
	long rto_max_ms = (long)(p->rto_max / USEC_PER_MS);
	bool rto_min_set = p->rto_min >= 1 && p->rto_min <= 0x7fffffff;
	bool rto_max_set = p->rto_max % USEC_PER_MS == 0 && rto_max_ms >= 1000 && rto_max_ms <= 120000;
	bool linear_set = true;
	for (int h = 0; h < 2; h++) {
		if (hosts_enter(hosts, h) < 0) {
			snprintf(err, errlen, "entering %s: %s", hosts->name[h], strerror(errno));
			return -1;
		}
		rto_min_set = rto_min_set && write_sysctl("tcp_rto_min_us", (long)p->rto_min) == 0;
		rto_max_set = rto_max_set && write_sysctl("tcp_rto_max_ms", rto_max_ms) == 0;
		linear_set = linear_set && write_sysctl("tcp_syn_linear_timeouts", (long)p->syn_linear_timeouts) == 0;
		hosts_leave(hosts);
	}
	const struct {
		const char *name;
		usec_t v, linux_v;
		bool set;
	} fixed[] = {
		{ "rto_initial", p->rto_initial, 1 * USEC_PER_SEC, false },
		{ "rto_min", p->rto_min, 200 * USEC_PER_MS, rto_min_set },
		{ "rto_max", p->rto_max, 120 * USEC_PER_SEC, rto_max_set },
		{ "time_wait", p->time_wait, 60 * USEC_PER_SEC, false },
	};
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (!fixed[i].set && fixed[i].v != fixed[i].linux_v) {
			time_format(fixed[i].v, a);
			time_format(fixed[i].linux_v, b);
			snprintf(item, sizeof(item), "%s %ss (Linux: %ss)", fixed[i].name, a, b);
			add_item(cant, cantlen, item);
		}
	if (!linear_set && p->syn_linear_timeouts) {
		snprintf(item, sizeof(item), "syn_linear_timeouts %u (Linux: none)", (unsigned)p->syn_linear_timeouts);
		add_item(cant, cantlen, item);
	}
	if (p->syn_retries != set[0].v || p->synack_retries != set[1].v || p->retries != set[2].v)
		add_item(cant, cantlen, "retry counts beyond Linux's range");
	if (!p->fin_wait_2_timeout)
		add_item(cant, cantlen, "no FIN_WAIT_2 timeout (Linux: 60s for orphans)");
	if (p->mss != 1460 || p->window != 65535)
		add_item(cant, cantlen, "mss/window (the kernel's own)");
	return 0;
}


/* Sum of the backed-off timeouts of n + 1 tries from first, each at most max. */
static usec_t backoff_sum(usec_t first, usec_t max, unsigned n)
{
	usec_t sum = 0, t = first;

	for (unsigned i = 0; i <= n && sum < REPLAY_LIMIT_US; i++) {
		sum += t < max ? t : max;
		if (t < max)
			t *= 2;
	}
	return sum;
}

usec_t replay_timers_bound(const struct tcp_params *p)
{
	usec_t first = p->rto_initial ? p->rto_initial : USEC_PER_SEC;
	/* Linux's linear SYN timeouts come on top of the retries, at the RTO
	 * itself (tcp_write_timeout(), tcp_retransmit_timer()). */
	usec_t syn = backoff_sum(first, p->rto_max, p->syn_retries) +
		     (usec_t)(p->syn_linear_timeouts > 0 ? p->syn_linear_timeouts : 0) * first;
	usec_t synack = backoff_sum(first, p->rto_max, p->synack_retries);
	usec_t data = p->user_timeout ? p->user_timeout : backoff_sum(first, p->rto_max, p->retries);
	usec_t b = syn > synack ? syn : synack;

	if (data > b)
		b = data;
	if (p->fin_wait_2_timeout > b)
		b = p->fin_wait_2_timeout;
	return b < REPLAY_LIMIT_US ? b : REPLAY_LIMIT_US;
}

bool replay_kernel_has_sysctl(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "/proc/sys/net/ipv4/%s", name);
	return access(path, F_OK) == 0;
}
