/* tmpfiles.c - temporary files: made safely, removed when a signal stops the
 * process. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>
#include "base/tmpfiles.h"

#define TMP_FILES_MAX 16
#define RANDOM_CHARS 6

/* One tracked file: its name relative to a directory, and the process that
 * tracks it. An empty name is a free slot. */
struct tmp_file {
	int dirfd;
	pid_t pid;
	char name[4096];
};
static struct tmp_file tmp_files[TMP_FILES_MAX];
static const int handled[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE };

void tmpfiles_remove_all(void)
{
	pid_t self = getpid();
	for (int i = 0; i < TMP_FILES_MAX; i++)
		if (tmp_files[i].name[0] && tmp_files[i].pid == self)
			unlinkat(tmp_files[i].dirfd, tmp_files[i].name, 0);
}

static void remove_tmp_files(int sig)
{
	tmpfiles_remove_all();
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
	for (size_t i = 0; i < sizeof handled / sizeof handled[0]; i++)
		sigaddset(&sa.sa_mask, handled[i]);   /* one handler at a time */
	sigaction(sig, &sa, NULL);
}

void tmpfiles_block(sigset_t *old)
{
	sigset_t set;
	sigemptyset(&set);
	for (size_t i = 0; i < sizeof handled / sizeof handled[0]; i++)
		sigaddset(&set, handled[i]);
	sigprocmask(SIG_BLOCK, &set, old);
}

void tmpfiles_unblock(const sigset_t *old)
{
	sigprocmask(SIG_SETMASK, old, NULL);
}

/* Adds (dirfd, name) to the table, the signals held back meanwhile: a
 * handler sees a slot either free or whole. */
static void track_at(int dirfd, const char *name)
{
	size_t len = strlen(name);
	/* Each time, not once: a signal set back to its default since (a
	 * test's child, a library) is caught again. */
	for (size_t i = 0; i < sizeof handled / sizeof handled[0]; i++)
		catch_signal(handled[i]);
	if (len >= sizeof tmp_files[0].name)
		return;
	sigset_t old;
	tmpfiles_block(&old);
	for (int i = 0; i < TMP_FILES_MAX; i++) {
		if (!tmp_files[i].name[0]) {
			tmp_files[i].dirfd = dirfd;
			tmp_files[i].pid = getpid();
			memcpy(tmp_files[i].name, name, len + 1);
			break;
		}
	}
	tmpfiles_unblock(&old);
}

void tmpfiles_forget_at(int dirfd, const char *name)
{
	sigset_t old;
	tmpfiles_block(&old);
	for (int i = 0; i < TMP_FILES_MAX; i++)
		if (tmp_files[i].dirfd == dirfd && strcmp(tmp_files[i].name, name) == 0)
			tmp_files[i].name[0] = '\0';
	tmpfiles_unblock(&old);
}

/* RANDOM_CHARS letters and digits, from the kernel's generator (or, should
 * it be unavailable, the clock and the number of the try, from 0: still a
 * new name per try, and no state kept between calls). */
static void random_part(char out[RANDOM_CHARS + 1], unsigned attempt)
{
	static const char alphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	uint8_t r[RANDOM_CHARS];
	if (getrandom(r, sizeof r, GRND_NONBLOCK) != (ssize_t)sizeof r) {
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		uint64_t x = (uint64_t)ts.tv_nsec * 0x9e3779b97f4a7c15ull ^ ((uint64_t)(attempt + 1) << 32);
		for (int i = 0; i < RANDOM_CHARS; i++, x >>= 8)
			r[i] = (uint8_t)x;
	}
	for (int i = 0; i < RANDOM_CHARS; i++)
		out[i] = alphabet[r[i] % (sizeof alphabet - 1)];
	out[RANDOM_CHARS] = '\0';
}

int tmpfiles_create(int dirfd, const char *name, char *tmp, size_t tmplen)
{
	char rnd[RANDOM_CHARS + 1], pid[24];
	snprintf(pid, sizeof pid, "%ld", (long)getpid());
	/* "." NAME "." PID "-" XXXXXX ".tmp" */
	size_t fixed = 1 + 1 + strlen(pid) + 1 + RANDOM_CHARS + 4;
	size_t keep = strlen(name);
	if (fixed + keep > TMPFILES_NAME_MAX)
		keep = TMPFILES_NAME_MAX - fixed;
	if (tmplen < TMPFILES_NAME_MAX + 1 || !name[0] || strchr(name, '/')) {
		errno = EINVAL;
		return -1;
	}
	for (unsigned tries = 0; tries < 100; tries++) {
		random_part(rnd, tries);
		snprintf(tmp, tmplen, ".%.*s.%s-%s.tmp", (int)keep, name, pid, rnd);
		sigset_t old;
		tmpfiles_block(&old);      /* made and tracked, or neither, for a handler */
		int fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
		int e = errno;
		if (fd >= 0)
			track_at(dirfd, tmp);
		tmpfiles_unblock(&old);
		if (fd >= 0)
			return fd;
		if (e != EEXIST) {
			errno = e;
			return -1;
		}
	}
	errno = EEXIST;
	return -1;
}

int tmpfiles_is_temporary(const char *name, long *pid)
{
	size_t n = strlen(name);
	/* From the end: ".tmp", six letters or digits, '-', digits, '.'. */
	if (n < 1 + 1 + 1 + 1 + RANDOM_CHARS + 4 || name[0] != '.' || strcmp(name + n - 4, ".tmp") != 0)
		return 0;
	const char *r = name + n - 4 - RANDOM_CHARS;
	for (int i = 0; i < RANDOM_CHARS; i++)
		if (!((r[i] >= 'a' && r[i] <= 'z') || (r[i] >= 'A' && r[i] <= 'Z') || (r[i] >= '0' && r[i] <= '9')))
			return 0;
	if (r[-1] != '-')
		return 0;
	const char *d = r - 1;
	long v = 0, scale = 1;
	int digits = 0;
	while (d - 1 > name && d[-1] >= '0' && d[-1] <= '9' && digits < 10) {
		d--;
		v += (d[0] - '0') * scale;
		scale *= 10;
		digits++;
	}
	if (!digits || d - 1 <= name || d[-1] != '.')
		return 0;
	*pid = v;
	return 1;
}
