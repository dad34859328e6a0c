/* kstate.h - the kernel's own account of its TCP states, for the replay.
 *
 * Two sources:
 *  - the tracepoint sock:inet_sock_set_state, read from a private tracing
 *    instance "tcpsim-<run_id>" (instances/NAME under tracefs) with the
 *    "mono" clock, so its timestamps compare with clock_gettime(CLOCK_MONOTONIC).
 *    It reports every state change of every TCP socket, in any namespace,
 *    with addresses and ports; the instance's filter keeps IPv4 TCP sockets
 *    whose source or destination is one of the run's two addresses.
 *    It never reports TIME_WAIT: a socket entering TIME_WAIT shows
 *    FIN_WAIT_2 -> CLOSED or CLOSING -> CLOSED (Linux swaps it for a
 *    time-wait mini-socket).
 *  - sock_diag (NETLINK_SOCK_DIAG, inet_diag, what `ss -tan` shows), queried
 *    inside one namespace: the sockets the kernel has there, TIME_WAIT ones
 *    included.
 *
 * Needs root (mounting tracefs, creating an instance, entering a namespace).
 * Errors come back as messages; nothing here prints. */
#ifndef TCPSIM_KSTATE_H
#define TCPSIM_KSTATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "proto/tcp_state.h"

#define KSTATE_PREFIX "tcpsim-"      /* instance names: KSTATE_PREFIX run_id */
#define KSTATE_RUN_ID_MAX 32          /* as HOSTS_RUN_ID_MAX */

/* Linux's state numbers (include/net/tcp_states.h), as the tracepoint and
 * sock_diag give them in kstate_change.linux_from/linux_to, kstate_sock.linux_state. */
enum kstate_linux {
	KSTATE_L_ESTABLISHED = 1, KSTATE_L_SYN_SENT, KSTATE_L_SYN_RECV, KSTATE_L_FIN_WAIT1,
	KSTATE_L_FIN_WAIT2, KSTATE_L_TIME_WAIT, KSTATE_L_CLOSE, KSTATE_L_CLOSE_WAIT,
	KSTATE_L_LAST_ACK, KSTATE_L_LISTEN, KSTATE_L_CLOSING, KSTATE_L_NEW_SYN_RECV,
};

/* One state change of one socket. Addresses in host byte order, as seen by
 * the socket: saddr/sport its own end, daddr/dport the peer's. A listener
 * has daddr 0 and dport 0; a socket that was not bound before connect() shows
 * sport 0 in its CLOSED -> SYN_SENT change. Linux's names map onto the
 * contract's: TCP_CLOSE -> CLOSED, TCP_SYN_RECV and TCP_NEW_SYN_RECV (a
 * request socket) -> SYN_RECEIVED, TCP_FIN_WAIT1 -> FIN_WAIT_1, ...;
 * linux_from/linux_to keep Linux's own numbers (KSTATE_L_*). t_ns is
 * CLOCK_MONOTONIC, with the text trace's microsecond resolution. */
struct kstate_change {
	uint64_t t_ns;
	uint64_t skaddr;              /* the socket's address (hashed or not), 0 when the
					 trace does not give it (no `fields` option) */
	int pid;                      /* the task running when it changed (0: unknown); a
					 softirq's is whichever task it interrupted */
	char comm[16];                /* that task's name, "" when unknown */
	uint32_t saddr, daddr;
	uint16_t sport, dport;
	enum tcp_state from, to;
	uint8_t linux_from, linux_to;
};

struct kstate;

/* Called for each change in order; a nonzero return stops kstate_read after
 * this change (the rest stay for the next call). */
typedef int (*kstate_fn)(void *ctx, const struct kstate_change *c);

/* Whether the tracepoint can be used here: tracefs mounted (mounted on
 * /sys/kernel/tracing if it was not: it stays mounted), the event
 * sock/inet_sock_set_state present, instances creatable. Returns true, or
 * false with one line of reason in why. */
bool kstate_available(char *why, size_t whylen);

/* Creates the instance "tcpsim-<run_id>" (run_id: letters, digits, '_', '.',
 * '-', at most KSTATE_RUN_ID_MAX characters), mounting tracefs first if
 * needed; sets its clock to "mono", enables only sock/inet_sock_set_state,
 * filtered to IPv4 TCP with ip_a or ip_b (host byte order) as source or
 * destination address, and opens its trace_pipe. Changes from the moment
 * this returns are kept until read. Returns 0 and sets *out, or -1 with the
 * reason in err and nothing left behind (the instance exists already when a
 * run with the same id is going, or one was killed: kstate_cleanup_stale). */
int kstate_open(struct kstate **out, const char *run_id, uint32_t ip_a, uint32_t ip_b,
		char *err, size_t errlen);

/* The descriptor to poll() for POLLIN: readable when changes are waiting
 * (the kernel may wake a poller a little late: poll with a timeout). */
int kstate_fd(const struct kstate *ks);

/* Hands every change waiting now to fn, oldest first, without blocking.
 * Returns the number handed, or -1 with errno set when the trace could not be
 * read. */
int kstate_read(struct kstate *ks, kstate_fn fn, void *ctx);

/* Changes the kernel dropped because its buffer was full (reported by
 * trace_pipe as "[LOST N EVENTS]"), since kstate_open. */
uint64_t kstate_lost(const struct kstate *ks);

/* The instance's directory ("/sys/kernel/tracing/instances/tcpsim-ID"). */
const char *kstate_instance_dir(const struct kstate *ks);

/* Closes the trace and removes the instance. Safe on NULL. Returns 0, or -1
 * with errno set when the instance could not be removed (ks is freed all
 * the same). Not async-signal-safe; after a kill, kstate_cleanup_stale. */
int kstate_close(struct kstate *ks);

/* Removes every tracing instance whose name starts with KSTATE_PREFIX left
 * by a run that was killed: `tcpsim replay --cleanup`. The instance of a run
 * still going is left alone (its trace_pipe is open, so the kernel refuses
 * with EBUSY). Returns the number removed, or -1 with the reason in err
 * (after removing what it could). */
int kstate_cleanup_stale(char *err, size_t errlen);

/* Parses one line of trace_pipe text. Returns 1 with *c set for an IPv4 TCP
 * inet_sock_set_state line, 0 for any other line (header, lost-events marker,
 * IPv6, another protocol), -1 for an inet_sock_set_state line it cannot read. */
int kstate_parse_line(const char *line, struct kstate_change *c);

/* One socket as sock_diag reports it; addresses in host byte order. */
struct kstate_sock {
	uint32_t saddr, daddr;
	uint16_t sport, dport;
	enum tcp_state state;
	uint8_t linux_state;          /* KSTATE_L_* */
};

/* Masks of contract states for kstate_sockets: (1u << TCPS_x) | ... */
#define KSTATE_MASK(s) (1u << (s))
#define KSTATE_MASK_ALL ((1u << TCP_NSTATES) - 1)

typedef int (*kstate_sock_fn)(void *ctx, const struct kstate_sock *s);

/* Asks sock_diag for the IPv4 TCP sockets in the network namespace netns_fd
 * (e.g. hosts.ns_fd[i]; -1: the caller's own) whose state is in mask (TCPS_
 * bits; SYN_RECEIVED covers request sockets too) and hands each to fn; a
 * nonzero return from fn stops the listing. The netlink socket is made inside
 * that namespace (the calling thread enters it and comes back before this
 * returns); do not call while entered with hosts_enter. Returns the number of
 * sockets handed, or -1 with the reason in err. */
int kstate_sockets(int netns_fd, unsigned mask, kstate_sock_fn fn, void *ctx, char *err, size_t errlen);

/* Maps a Linux state number (KSTATE_L_*) onto the contract's states; returns
 * 0, or -1 for a number that is no state. */
int kstate_map_linux(int linux_state, enum tcp_state *out);

#endif
