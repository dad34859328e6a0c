/* hosts.c - the replay's two hosts: network namespaces with a TUN device each.
 *
 * Everything is done with system calls, no external command: the namespaces
 * are created and bound under /run/netns the way iproute2's `ip netns add`
 * does it (so `ip netns` sees them), and the devices, addresses and routes are
 * set with rtnetlink from inside each namespace. That keeps error reporting
 * exact (errno from the kernel's answer), needs no `ip` binary, and lets
 * hosts_destroy stay async-signal-safe. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/capability.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "replay/hosts.h"

#define SELF_NS "/proc/thread-self/ns/net"
#define NL_TIMEOUT_MS 2000

static void set_err(char *err, size_t errlen, const char *what, int e)
{
	if (err && errlen)
		snprintf(err, errlen, "%s: %s", what, strerror(e));
}

/* ---- rtnetlink ------------------------------------------------------------ */

struct nlreq {
	struct nlmsghdr n;
	char buf[256];
};

/* Appends attribute `type` to the message (the request has room for it). */
static void nl_attr(struct nlreq *r, unsigned short type, const void *data, size_t len)
{
	struct rtattr *a = (struct rtattr *)((char *)&r->n + NLMSG_ALIGN(r->n.nlmsg_len));

	a->rta_type = type;
	a->rta_len = (unsigned short)RTA_LENGTH(len);
	memcpy(RTA_DATA(a), data, len);
	r->n.nlmsg_len = NLMSG_ALIGN(r->n.nlmsg_len) + RTA_ALIGN(a->rta_len);
}

/* Sends the request on fd and waits (bounded) for the kernel's
 * acknowledgement. Returns 0, or a positive errno. */
static int nl_talk(int fd, struct nlreq *r, uint32_t seq)
{
	char ans[512];
	struct pollfd p = { .fd = fd, .events = POLLIN };

	r->n.nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	r->n.nlmsg_seq = seq;
	if (send(fd, &r->n, r->n.nlmsg_len, 0) < 0)
		return errno;
	for (;;) {
		int k = poll(&p, 1, NL_TIMEOUT_MS);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return k == 0 ? ETIMEDOUT : errno;
		ssize_t n = recv(fd, ans, sizeof(ans), 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		for (struct nlmsghdr *m = (struct nlmsghdr *)ans; NLMSG_OK(m, (size_t)n);
		     m = NLMSG_NEXT(m, n)) {
			if (m->nlmsg_seq != seq || m->nlmsg_type != NLMSG_ERROR)
				continue;
			if (m->nlmsg_len < NLMSG_LENGTH(sizeof(struct nlmsgerr)))
				return EPROTO;
			const struct nlmsgerr *e = NLMSG_DATA(m);
			return -e->error;
		}
	}
}

/* Sets the link's MTU (when mtu > 0) and brings it up. */
static int nl_link_up(int fd, int ifindex, uint32_t mtu, uint32_t seq)
{
	struct nlreq r = { 0 };
	struct ifinfomsg *i = NLMSG_DATA(&r.n);

	r.n.nlmsg_len = NLMSG_LENGTH(sizeof(*i));
	r.n.nlmsg_type = RTM_NEWLINK;
	i->ifi_family = AF_UNSPEC;
	i->ifi_index = ifindex;
	i->ifi_flags = IFF_UP;
	i->ifi_change = IFF_UP;
	if (mtu)
		nl_attr(&r, IFLA_MTU, &mtu, sizeof(mtu));
	return nl_talk(fd, &r, seq);
}

/* Gives the link the address ip/32 (host byte order). */
static int nl_addr_add(int fd, int ifindex, uint32_t ip, uint32_t seq)
{
	struct nlreq r = { 0 };
	struct ifaddrmsg *a = NLMSG_DATA(&r.n);
	uint32_t be = htonl(ip);

	r.n.nlmsg_len = NLMSG_LENGTH(sizeof(*a));
	r.n.nlmsg_type = RTM_NEWADDR;
	r.n.nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	a->ifa_family = AF_INET;
	a->ifa_prefixlen = 32;
	a->ifa_scope = RT_SCOPE_UNIVERSE;
	a->ifa_index = (unsigned)ifindex;
	nl_attr(&r, IFA_LOCAL, &be, sizeof(be));
	nl_attr(&r, IFA_ADDRESS, &be, sizeof(be));
	return nl_talk(fd, &r, seq);
}

/* Routes dst/32 through the link, with src as the preferred source. */
static int nl_route_add(int fd, int ifindex, uint32_t dst, uint32_t src, uint32_t seq)
{
	struct nlreq r = { 0 };
	struct rtmsg *m = NLMSG_DATA(&r.n);
	uint32_t be_dst = htonl(dst), be_src = htonl(src), oif = (uint32_t)ifindex;

	r.n.nlmsg_len = NLMSG_LENGTH(sizeof(*m));
	r.n.nlmsg_type = RTM_NEWROUTE;
	r.n.nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	m->rtm_family = AF_INET;
	m->rtm_dst_len = 32;
	m->rtm_table = RT_TABLE_MAIN;
	m->rtm_protocol = RTPROT_STATIC;
	m->rtm_scope = RT_SCOPE_LINK;
	m->rtm_type = RTN_UNICAST;
	nl_attr(&r, RTA_DST, &be_dst, sizeof(be_dst));
	nl_attr(&r, RTA_PREFSRC, &be_src, sizeof(be_src));
	nl_attr(&r, RTA_OIF, &oif, sizeof(oif));
	return nl_talk(fd, &r, seq);
}

/* ---- namespaces ----------------------------------------------------------- */

/* Writes "1" to a sysctl file of the current namespace; a missing file (no
 * IPv6 in this kernel) is fine. Returns 0 or a positive errno. */
static int write_sysctl(const char *path)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return errno == ENOENT ? 0 : errno;
	int e = write(fd, "1", 1) == 1 ? 0 : errno;
	close(fd);
	return e;
}

/* Makes /run/netns a shared mount point, as `ip netns add` does, so that the
 * bind mounts of namespaces in it propagate to other mount namespaces. */
static int prepare_netns_dir(char *err, size_t errlen)
{
	bool made = false;

	if (mkdir(HOSTS_NETNS_DIR, 0755) < 0 && errno != EEXIST) {
		set_err(err, errlen, "mkdir " HOSTS_NETNS_DIR, errno);
		return -1;
	}
	while (mount("", HOSTS_NETNS_DIR, "none", MS_SHARED | MS_REC, NULL) < 0) {
		if (errno != EINVAL || made) {
			set_err(err, errlen, "mount --make-shared " HOSTS_NETNS_DIR, errno);
			return -1;
		}
		if (mount(HOSTS_NETNS_DIR, HOSTS_NETNS_DIR, "none", MS_BIND | MS_REC, NULL) < 0) {
			set_err(err, errlen, "mount --bind " HOSTS_NETNS_DIR, errno);
			return -1;
		}
		made = true;
	}
	return 0;
}

/* Removes a namespace binding: what `ip netns del` does. */
static int unbind_netns(const char *path)
{
	int e = 0;

	if (umount2(path, MNT_DETACH) < 0 && errno != EINVAL && errno != ENOENT)
		e = errno;
	if (unlink(path) < 0 && errno != ENOENT && !e)
		e = errno;
	return e;
}

static bool run_id_ok(const char *id)
{
	size_t n = strlen(id);

	if (n == 0 || n > HOSTS_RUN_ID_MAX || id[0] == '.')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = id[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '.' || c == '-'))
			return false;
	}
	return true;
}

/* Inside a fresh namespace (the calling thread's): loopback up, IPv6 off, the
 * TUN with its address and the route to the peer. */
static int setup_inside(struct hosts *h, int i, char *err, size_t errlen)
{
	struct ifreq ifr = { 0 };
	int e, nl;

	e = write_sysctl("/proc/sys/net/ipv6/conf/all/disable_ipv6");
	if (!e)
		e = write_sysctl("/proc/sys/net/ipv6/conf/default/disable_ipv6");
	if (e) {
		set_err(err, errlen, "disable_ipv6", e);
		return -1;
	}
	h->tun_fd[i] = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (h->tun_fd[i] < 0) {
		set_err(err, errlen, "open /dev/net/tun", errno);
		return -1;
	}
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", HOSTS_TUN_NAME);
	if (ioctl(h->tun_fd[i], TUNSETIFF, &ifr) < 0) {
		set_err(err, errlen, "TUNSETIFF", errno);
		return -1;
	}
	nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (nl < 0) {
		set_err(err, errlen, "netlink socket", errno);
		return -1;
	}
	/* Any socket of this namespace answers SIOCGIFINDEX. */
	if (ioctl(nl, SIOCGIFINDEX, &ifr) < 0) {
		set_err(err, errlen, "SIOCGIFINDEX " HOSTS_TUN_NAME, errno);
		close(nl);
		return -1;
	}
	h->tun_ifindex[i] = ifr.ifr_ifindex;
	const char *what = "bring up lo";
	e = nl_link_up(nl, 1, 0, 1);
	if (!e) {
		what = "set " HOSTS_TUN_NAME " mtu and up";
		e = nl_link_up(nl, h->tun_ifindex[i], HOSTS_MTU, 2);
	}
	if (!e) {
		what = "add address";
		e = nl_addr_add(nl, h->tun_ifindex[i], h->ip[i], 3);
	}
	if (!e) {
		what = "add route to peer";
		e = nl_route_add(nl, h->tun_ifindex[i], h->ip[!i], h->ip[i], 4);
	}
	close(nl);
	if (e) {
		set_err(err, errlen, what, e);
		return -1;
	}
	return 0;
}

/* Creates namespace i, bound at h->path[i], configured, and returns the
 * calling thread to `home`. */
static int create_one(struct hosts *h, int i, int home, char *err, size_t errlen)
{
	char what[128];
	int fd, rc = -1;

	fd = open(h->path[i], O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(what, sizeof(what), "create %s", h->path[i]);
		set_err(err, errlen, what, errno);
		return -1;
	}
	close(fd);
	h->bound[i] = true;
	if (unshare(CLONE_NEWNET) < 0) {
		set_err(err, errlen, "unshare(CLONE_NEWNET)", errno);
		return -1;
	}
	if (mount(SELF_NS, h->path[i], "none", MS_BIND, NULL) < 0) {
		snprintf(what, sizeof(what), "bind %s", h->path[i]);
		set_err(err, errlen, what, errno);
		goto back;
	}
	h->ns_fd[i] = open(SELF_NS, O_RDONLY | O_CLOEXEC);
	if (h->ns_fd[i] < 0) {
		set_err(err, errlen, "open " SELF_NS, errno);
		goto back;
	}
	rc = setup_inside(h, i, err, errlen);
back:
	if (setns(home, CLONE_NEWNET) < 0) {
		/* Cannot happen with a valid descriptor; never stay inside. */
		set_err(err, errlen, "setns back home", errno);
		rc = -1;
	}
	return rc;
}

static void hosts_reset(struct hosts *h)
{
	memset(h, 0, sizeof(*h));
	for (int i = 0; i < 2; i++) {
		h->tun_fd[i] = -1;
		h->ns_fd[i] = -1;
	}
	h->home_fd = -1;
}

int hosts_create(struct hosts *h, const char *run_id, uint32_t ip_a, uint32_t ip_b, char *err, size_t errlen)
{
	char id[HOSTS_RUN_ID_MAX + 1];
	int home, rc = 0;

	/* run_id may point into h (a second run with the same id): copy it first. */
	if (!run_id || !run_id_ok(run_id)) {
		hosts_reset(h);
		snprintf(err, errlen, "bad run id (letters, digits, '_', '.', '-'; at most %d)",
			 HOSTS_RUN_ID_MAX);
		return -1;
	}
	memcpy(id, run_id, strlen(run_id) + 1);
	hosts_reset(h);
	if (ip_a == ip_b) {
		snprintf(err, errlen, "the two hosts need different addresses");
		return -1;
	}
	memcpy(h->run_id, id, sizeof(id));
	h->ip[HOSTS_A] = ip_a;
	h->ip[HOSTS_B] = ip_b;
	for (int i = 0; i < 2; i++) {
		snprintf(h->name[i], sizeof(h->name[i]), HOSTS_PREFIX "%s-%c", id, 'a' + i);
		snprintf(h->path[i], sizeof(h->path[i]), HOSTS_NETNS_DIR "/" HOSTS_PREFIX "%s-%c",
			 id, 'a' + i);
	}
	if (prepare_netns_dir(err, errlen) < 0)
		return -1;
	home = open(SELF_NS, O_RDONLY | O_CLOEXEC);
	if (home < 0) {
		set_err(err, errlen, "open " SELF_NS, errno);
		return -1;
	}
	for (int i = 0; i < 2 && rc == 0; i++)
		rc = create_one(h, i, home, err, errlen);
	close(home);
	if (rc < 0) {
		hosts_destroy(h);
		hosts_reset(h);
	}
	return rc;
}

int hosts_enter(struct hosts *h, int which)
{
	if ((which != HOSTS_A && which != HOSTS_B) || h->ns_fd[which] < 0 || h->home_fd >= 0) {
		errno = EINVAL;
		return -1;
	}
	h->home_fd = open(SELF_NS, O_RDONLY | O_CLOEXEC);
	if (h->home_fd < 0)
		return -1;
	if (setns(h->ns_fd[which], CLONE_NEWNET) < 0) {
		int e = errno;
		close(h->home_fd);
		h->home_fd = -1;
		errno = e;
		return -1;
	}
	return 0;
}

int hosts_leave(struct hosts *h)
{
	if (h->home_fd < 0)
		return 0;
	if (setns(h->home_fd, CLONE_NEWNET) < 0)
		return -1;
	close(h->home_fd);
	h->home_fd = -1;
	return 0;
}

int hosts_destroy(struct hosts *h)
{
	int saved = errno, e = 0;

	if (h->home_fd >= 0) {
		if (setns(h->home_fd, CLONE_NEWNET) == 0) {
			close(h->home_fd);
			h->home_fd = -1;
		}
	}
	for (int i = 0; i < 2; i++) {
		if (h->tun_fd[i] >= 0) {
			close(h->tun_fd[i]);
			h->tun_fd[i] = -1;
		}
		if (h->ns_fd[i] >= 0) {
			close(h->ns_fd[i]);
			h->ns_fd[i] = -1;
		}
		if (h->bound[i]) {
			int k = unbind_netns(h->path[i]);
			if (k == 0)
				h->bound[i] = false;
			else if (!e)
				e = k;
		}
	}
	errno = e ? e : saved;
	return e ? -1 : 0;
}

int hosts_cleanup_stale(char *err, size_t errlen)
{
	DIR *d = opendir(HOSTS_NETNS_DIR);
	struct dirent *de;
	int n = 0, rc = 0;

	if (!d) {
		if (errno == ENOENT)
			return 0;
		set_err(err, errlen, "open " HOSTS_NETNS_DIR, errno);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		char path[sizeof(HOSTS_NETNS_DIR) + 256 + 1];

		if (strncmp(de->d_name, HOSTS_PREFIX, strlen(HOSTS_PREFIX)) != 0)
			continue;
		snprintf(path, sizeof(path), HOSTS_NETNS_DIR "/%s", de->d_name);
		int e = unbind_netns(path);
		if (e) {
			if (rc == 0) {
				char what[300];
				snprintf(what, sizeof(what), "remove %s", path);
				set_err(err, errlen, what, e);
			}
			rc = -1;
		} else {
			n++;
		}
	}
	closedir(d);
	return rc < 0 ? -1 : n;
}

/* ---- availability --------------------------------------------------------- */

static bool has_caps(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct data[2] = { { 0 } };

	if (syscall(SYS_capget, &hdr, data) < 0)
		return false;
	return (data[CAP_NET_ADMIN / 32].effective & (1u << (CAP_NET_ADMIN % 32))) &&
	       (data[CAP_SYS_ADMIN / 32].effective & (1u << (CAP_SYS_ADMIN % 32)));
}

bool hosts_available(char *why, size_t whylen)
{
	int fd, status;
	pid_t pid;

	if (geteuid() != 0 && !has_caps()) {
		snprintf(why, whylen, "replay needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN)");
		return false;
	}
	fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		snprintf(why, whylen, "cannot open /dev/net/tun: %s", strerror(errno));
		return false;
	}
	close(fd);
	pid = fork();
	if (pid < 0) {
		snprintf(why, whylen, "fork: %s", strerror(errno));
		return false;
	}
	if (pid == 0)
		_exit(unshare(CLONE_NEWNET) == 0 ? 0 : (errno & 0x7f) + 1);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			snprintf(why, whylen, "waitpid: %s", strerror(errno));
			return false;
		}
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		int e = WIFEXITED(status) ? WEXITSTATUS(status) - 1 : 0;
		snprintf(why, whylen, "cannot create a network namespace: %s",
			 e ? strerror(e) : "child died");
		return false;
	}
	if (access(HOSTS_NETNS_DIR, W_OK) < 0 && errno != ENOENT) {
		snprintf(why, whylen, "cannot write %s: %s", HOSTS_NETNS_DIR, strerror(errno));
		return false;
	}
	return true;
}
