/* tmpfiles.c - temporary files removed when a signal stops the process. */
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "tmpfiles.h"

#define TMP_FILES_MAX 16
static char tmp_files[TMP_FILES_MAX][4096];
static pid_t tmp_pid[TMP_FILES_MAX];     /* the process that tracks each */
static bool installed;

static void remove_tmp_files(int sig)
{
	pid_t self = getpid();
	for (int i = 0; i < TMP_FILES_MAX; i++)
		if (tmp_files[i][0] && tmp_pid[i] == self)
			unlink(tmp_files[i]);
	signal(sig, SIG_DFL);
	raise(sig);                      /* dies of the signal, as it would have */
}

/* Installs remove_tmp_files for a signal still at its default. */
static void catch_signal(int sig)
{
	struct sigaction old, sa;
	if (sigaction(sig, NULL, &old) < 0 || old.sa_handler != SIG_DFL)
		return;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = remove_tmp_files;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

void tmpfiles_track(const char *path)
{
	if (!installed) {
		installed = true;
		catch_signal(SIGINT);
		catch_signal(SIGTERM);
		catch_signal(SIGHUP);
	}
	if (strlen(path) >= sizeof tmp_files[0])
		return;
	for (int i = 0; i < TMP_FILES_MAX; i++) {
		if (!tmp_files[i][0]) {
			memcpy(tmp_files[i], path, strlen(path) + 1);
			tmp_pid[i] = getpid();
			return;
		}
	}
}

void tmpfiles_forget(const char *path)
{
	for (int i = 0; i < TMP_FILES_MAX; i++)
		if (strcmp(tmp_files[i], path) == 0)
			tmp_files[i][0] = '\0';
}
