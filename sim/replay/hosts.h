/* hosts.h - the replay's two hosts: a network namespace each, created by the
 * tool for one run, holding a TUN device whose other end is a descriptor of
 * this process. Whatever the kernel of host A sends to host B comes out of
 * A's TUN descriptor; the replay puts it through the link model and writes
 * it into B's TUN descriptor, and the other way round.
 *
 * The namespaces are named "tcpsim-<run_id>-a" and "tcpsim-<run_id>-b" and
 * are bound under /run/netns/ the way `ip netns add` does it, so `ip netns
 * list` shows them and `ip -n NAME ...` works on them while a run is going.
 * Nothing here touches the machine's own interfaces, addresses or routes.
 *
 * Needs root (CAP_SYS_ADMIN for the namespaces and mounts, CAP_NET_ADMIN for
 * the TUN devices) and /dev/net/tun. */
#ifndef TCPSIM_HOSTS_H
#define TCPSIM_HOSTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HOSTS_A 0
#define HOSTS_B 1

#define HOSTS_PREFIX "tcpsim-"
#define HOSTS_NETNS_DIR "/run/netns"
#define HOSTS_RUN_ID_MAX 32          /* characters of a run id */
#define HOSTS_TUN_NAME "tcpsim0"     /* the TUN's name inside each namespace */
#define HOSTS_MTU 1500

struct hosts {
	char run_id[HOSTS_RUN_ID_MAX + 1];
	char name[2][sizeof(HOSTS_PREFIX) + HOSTS_RUN_ID_MAX + 2];  /* namespace names */
	char path[2][sizeof(HOSTS_NETNS_DIR) + sizeof(HOSTS_PREFIX) + HOSTS_RUN_ID_MAX + 3];
	uint32_t ip[2];              /* host byte order */
	int tun_fd[2];               /* non-blocking, close-on-exec; -1 when none */
	int tun_ifindex[2];          /* inside each namespace */
	int ns_fd[2];                /* the namespaces themselves; -1 when none */
	bool bound[2];               /* path[i] is ours (created by this run) */
	int home_fd;                 /* set while entered: the namespace to go back to */
};

/* A struct hosts that hosts_destroy may be called on before hosts_create
 * (e.g. by a signal handler installed first). hosts_create initialises h
 * itself, whatever it returns. */
#define HOSTS_INIT { .tun_fd = { -1, -1 }, .ns_fd = { -1, -1 }, .home_fd = -1 }

/* Whether this machine can create the hosts: root or the capabilities,
 * /dev/net/tun openable, a network namespace creatable (tried in a child
 * process, which changes nothing here). Returns true, or false with one line
 * of reason in why. */
bool hosts_available(char *why, size_t whylen);

/* Creates both hosts for run `run_id` (letters, digits, '_', '.', '-', at
 * most HOSTS_RUN_ID_MAX characters; e.g. the pid and a counter): in each
 * namespace loopback up, IPv6 off, and TUN HOSTS_TUN_NAME (IFF_TUN |
 * IFF_NO_PI, MTU HOSTS_MTU, up) holding the host's address /32 with a route
 * to the peer's address through it. Addresses in host byte order. The calling
 * thread is in its own namespace again on return, on every path. Returns 0,
 * or -1 with the reason in err and nothing left behind (h is then as after
 * hosts_destroy). h must not hold live hosts (destroy them first). */
int hosts_create(struct hosts *h, const char *run_id, uint32_t ip_a, uint32_t ip_b, char *err, size_t errlen);

/* Moves the calling thread into host `which`'s namespace, so that sockets it
 * creates belong to that host (a socket stays in the namespace it was created
 * in). Not nestable: call hosts_leave first. Returns 0, or -1 with errno set. */
int hosts_enter(struct hosts *h, int which);

/* Moves the calling thread back to the namespace it was in before
 * hosts_enter. A no-op when not entered. Returns 0, or -1 with errno set. */
int hosts_leave(struct hosts *h);

/* Leaves a host if entered, closes the TUN descriptors (which removes the
 * devices) and unbinds and removes both namespaces; the kernel frees each
 * namespace once the last socket created in it is closed. Idempotent, safe on
 * HOSTS_INIT or on h after any hosts_create, and async-signal-safe (only close, setns,
 * umount2, unlink), so a signal handler may call it. Returns 0, or -1 when a
 * namespace could not be removed (errno set). */
int hosts_destroy(struct hosts *h);

/* Removes every namespace under /run/netns whose name starts with
 * HOSTS_PREFIX (left by a run that was killed): `tcpsim replay --cleanup`.
 * Returns the number removed, or -1 with the reason in err (after removing
 * what it could). */
int hosts_cleanup_stale(char *err, size_t errlen);

#endif
