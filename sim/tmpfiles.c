/* tmpfiles.c - temporary files removed when a signal stops the process. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
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

/* Replacing a file by rename() makes ext4 (auto_da_alloc, its default)
 * write the new file's blocks out inside the rename, to protect programs
 * that forget fsync: for a run's 556 MB pcap that doubled the wall time of
 * running a scenario again into the same directory. Exchanging the two
 * names (RENAME_EXCHANGE) is as atomic and is not taken for that pattern;
 * the old file, now under the temporary name, is then removed. A new file,
 * or a file system without the exchange, gets a plain rename(). Only a
 * regular file or a link is exchanged: rename() refuses to put a file in
 * place of a directory, and so must this. tmp is forgotten only once it is
 * renamed or removed: a signal in between removes the old file, or a name
 * that is gone. */
int tmpfiles_commit(const char *tmp, const char *path)
{
	struct stat old;
	if (lstat(path, &old) == 0 && (S_ISREG(old.st_mode) || S_ISLNK(old.st_mode)) &&
	    renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_EXCHANGE) == 0) {
		unlink(tmp);                     /* the old file */
		tmpfiles_forget(tmp);
		return 0;
	}
	if (rename(tmp, path) < 0)
		return -1;
	tmpfiles_forget(tmp);
	return 0;
}
