/* replay_timers.h - the scenario's timers in the replay's two namespaces:
 * what Linux lets a namespace set (sysctls), and the list of what it does
 * not. */
#ifndef TCPSIM_REPLAY_TIMERS_H
#define TCPSIM_REPLAY_TIMERS_H

#include <stddef.h>
#include "replay/hosts.h"
#include "scenario/scenario.h"

/* Writes the retry counts and the FIN_WAIT_2 timeout of p into both hosts'
 * namespaces (clamped to Linux's ranges); lists in cant, "a, b, ...", what
 * Linux cannot follow (its fixed RTO bounds and TIME_WAIT, counts beyond its
 * range, user_timeout, mss and window). Returns 0, or -1 with err set. */
int replay_apply_timers(struct hosts *hosts, const struct tcp_params *p, char *cant, size_t cantlen, char *err,
			size_t errlen);

#endif
