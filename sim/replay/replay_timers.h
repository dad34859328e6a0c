/* replay_timers.h - the scenario's timers in the replay's two namespaces:
 * what Linux lets a namespace set (sysctls), and the list of what it does
 * not. */
#ifndef TCPSIM_REPLAY_TIMERS_H
#define TCPSIM_REPLAY_TIMERS_H

#include <stdbool.h>
#include <stddef.h>
#include "replay/hosts.h"
#include "scenario/scenario.h"

/* Writes the retry counts and the FIN_WAIT_2 timeout of p into both hosts'
 * namespaces (clamped to Linux's ranges); lists in cant, "a, b, ...", what
 * Linux cannot follow (its fixed RTO bounds and TIME_WAIT, counts beyond its
 * range, mss and window). The RTO's bounds are set too where the kernel
 * has the sysctls. Returns 0, or -1 with err set. */
int replay_apply_timers(struct hosts *hosts, const struct tcp_params *p, char *cant, size_t cantlen, char *err,
			size_t errlen);

/* The longest a replay waits after its last timeline entry (without
 * `until`): 5 minutes. */
#define REPLAY_LIMIT_US (300 * USEC_PER_SEC)

/* How long the kernel can go on under p once the timeline is done: the
 * longest of the SYN's retries (and its linear timeouts) and SYN,ACK's,
 * the data's (or the user timeout), and the FIN_WAIT_2 timeout, each backed
 * off from rto_initial up to rto_max; at most REPLAY_LIMIT_US. */
usec_t replay_timers_bound(const struct tcp_params *p);

/* Whether this kernel has the sysctl net.ipv4.NAME (in the caller's
 * namespace; a new namespace has the same ones). */
bool replay_kernel_has_sysctl(const char *name);

#endif
