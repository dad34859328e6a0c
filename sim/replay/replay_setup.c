/* replay_setup.c - the hosts and the tracing instance of the replay in
 * progress, and the signal handlers that remove them (replay_setup.h). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "base/tmpfiles.h"
#include "replay/replay_setup.h"

/* The replay in progress, for the signal handlers: a handler gets no
 * argument, so what it must remove (the namespaces, the tracing instance,
 * through the descriptor that holds it open) can only be where it finds it,
 * in static storage. It is changed with the signals held back
 * (tmpfiles_block), so that a handler sees it whole; nothing else of the
 * replay is kept here: the run's own state is the caller's. */
static struct hosts g_hosts = HOSTS_INIT;
static volatile sig_atomic_t g_ks_fd = -1;
static char g_instance[512];
/* The replays this process has made: with the pid, the run id, so that two
 * processes, or two replays of one (compare of several scenarios), never
 * share a namespace's name. Beside the rest of the one replay in progress. */
static unsigned g_replays;

static void on_signal(int sig)
{
	if (g_ks_fd >= 0)
		close((int)g_ks_fd);
	hosts_destroy(&g_hosts);
	for (int i = 0; g_instance[0] && i < 50; i++) {
		if (rmdir(g_instance) == 0 || errno != EBUSY)
			break;
		struct timespec ts = { 0, 10 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	tmpfiles_remove_all();
	_exit(128 + sig);                /* 130 SIGINT, 143 SIGTERM, 129 SIGHUP */
}

/* SIGHUP (the terminal closed) is handled as SIGTERM is: a replay killed
 * by it would leave namespaces and a tracing instance. Each handler holds the
 * others back: the cleanup runs once. */
void replay_install_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaddset(&sa.sa_mask, sigs[i]);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

bool replay_available(char *why, size_t whylen)
{
	return hosts_available(why, whylen) && kstate_available(why, whylen);
}

int replay_cleanup(struct replay_cleanup_counts *n, char *err, size_t errlen)
{
	n->namespace_prefix = HOSTS_PREFIX;
	n->instance_prefix = KSTATE_PREFIX;
	if ((n->namespaces = hosts_cleanup_stale(err, errlen)) < 0)
		return -1;
	if ((n->instances = kstate_cleanup_stale(err, errlen)) < 0)
		return -1;
	return 0;
}

struct hosts *replay_setup_make(const struct scenario *sc, struct kstate **ks, char *err, size_t errlen)
{
	char run_id[HOSTS_RUN_ID_MAX + 1];
	sigset_t old;
	struct hosts *h = NULL;

	*ks = NULL;
	snprintf(run_id, sizeof(run_id), "r%ld-%u", (long)getpid(), g_replays++);
	tmpfiles_block(&old);
	if (hosts_create(&g_hosts, run_id, sc->ep[ROLE_CLIENT].ip, sc->ep[ROLE_SERVER].ip, err, errlen) == 0 &&
	    kstate_open(ks, run_id, sc->ep[ROLE_CLIENT].ip, sc->ep[ROLE_SERVER].ip, err, errlen) == 0) {
		snprintf(g_instance, sizeof(g_instance), "%s", kstate_instance_dir(*ks));
		g_ks_fd = kstate_fd(*ks);
		h = &g_hosts;
	}
	tmpfiles_unblock(&old);
	return h;
}

int replay_setup_remove(struct kstate *ks, const char *path, char *err, size_t errlen)
{
	sigset_t old;
	int rc = 0;

	tmpfiles_block(&old);
	g_ks_fd = -1;
	if (ks && kstate_close(ks) < 0) {
		snprintf(err, errlen, "%s: removing the tracing instance: %s", path, strerror(errno));
		rc = -1;
	}
	g_instance[0] = '\0';
	if (hosts_destroy(&g_hosts) < 0 && rc == 0) {
		snprintf(err, errlen, "%s: removing the namespaces: %s", path, strerror(errno));
		rc = -1;
	}
	tmpfiles_unblock(&old);
	return rc;
}
