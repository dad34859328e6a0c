/* replay_setup.h - what a replay runs in: its two hosts (hosts.h) and its
 * tracing instance (kstate.h), made and removed where the signal handlers of
 * replay_install_signals see them, so that a replay killed by a signal
 * leaves neither behind (one replay at a time per process); whether the
 * machine can replay; the cleanup after runs killed outright. */
#ifndef TCPSIM_REPLAY_SETUP_H
#define TCPSIM_REPLAY_SETUP_H

#include <stdbool.h>
#include <stddef.h>
#include "replay/hosts.h"
#include "replay/kstate.h"
#include "scenario/scenario.h"

/* Whether this machine can replay: root, /dev/net/tun, namespaces, the
 * tracepoint. Returns true, or false with one line of reason in why. */
bool replay_available(char *why, size_t whylen);

/* What replay_cleanup removed: namespaces named namespace_prefix*, tracing
 * instances named instance_prefix*. */
struct replay_cleanup_counts {
	int namespaces, instances;
	const char *namespace_prefix, *instance_prefix;
};

/* Removes the namespaces and tracing instances killed runs left, counting
 * each kind in *n. Returns 0, or -1 with err set. */
int replay_cleanup(struct replay_cleanup_counts *n, char *err, size_t errlen);

/* Installs SIGINT/SIGTERM/SIGHUP handlers that remove the current run's
 * hosts, tracing instance and temporary files (base/tmpfiles.h), then
 * _exit(128 + the signal). The hosts and the instance are made and removed
 * with the signals held back, so that a handler always knows of everything
 * there is. */
void replay_install_signals(void);

/* Makes the hosts of sc's two addresses and the tracing instance, under a
 * run id of this process's own, with the signals held back from before the
 * first is made until the handler knows of both: a signal at any time finds
 * everything there is to remove. Returns the hosts and sets *ks, or returns
 * NULL with err set (what was made is removed by replay_setup_remove). */
struct hosts *replay_setup_make(const struct scenario *sc, struct kstate **ks, char *err, size_t errlen);

/* Removes the tracing instance ks (NULL: none) and the hosts, with the
 * signals held back: the handler finds them whole, or gone. Safe after a
 * failed replay_setup_make. Returns 0, or -1 with "PATH: removing ...: reason"
 * in err (path: the scenario's, for the message). */
int replay_setup_remove(struct kstate *ks, const char *path, char *err, size_t errlen);

#endif
