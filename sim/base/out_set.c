/* out_set.c - the files of one scenario written as a unit (out_set.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "base/out_set.h"

int out_set_open(struct out_set *s, const char *dir, char *err, size_t errlen)
{
	memset(s, 0, sizeof *s);
	s->dir = dir;
	s->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (s->dirfd < 0) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	return 0;
}

int out_set_create(struct out_set *s, const char *name, char *err, size_t errlen)
{
	if (s->n == OUT_SET_MAX || strlen(name) > TMPFILES_NAME_MAX) {
		snprintf(err, errlen, "%s/%s: %s", s->dir, name,
			 s->n == OUT_SET_MAX ? "more files than a set holds" : strerror(ENAMETOOLONG));
		return -1;
	}
	struct out_set_file *f = &s->f[s->n];
	int fd = tmpfiles_create(s->dirfd, name, f->tmp, sizeof f->tmp);
	if (fd < 0) {
		snprintf(err, errlen, "%s/%s: %s", s->dir, name, strerror(errno));
		return -1;
	}
	snprintf(f->name, sizeof f->name, "%s", name);
	s->n++;
	return fd;
}

FILE *out_set_fopen(struct out_set *s, const char *name, char *err, size_t errlen)
{
	int fd = out_set_create(s, name, err, errlen);
	if (fd < 0)
		return NULL;
	FILE *f = fdopen(fd, "wb");
	if (!f) {
		snprintf(err, errlen, "%s/%s: %s", s->dir, name, strerror(errno));
		close(fd);
	}
	return f;                        /* the temporary goes with the set */
}

int out_set_write(struct out_set *s, const char *name, const void *data, size_t len, char *err, size_t errlen)
{
	int fd = out_set_create(s, name, err, errlen);
	if (fd < 0)
		return -1;
	for (size_t off = 0; off < len;) {
		ssize_t w = write(fd, (const char *)data + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			snprintf(err, errlen, "%s/%s: cannot write: %s", s->dir, name, strerror(w < 0 ? errno : EIO));
			close(fd);
			return -1;
		}
		off += (size_t)w;
	}
	if (close(fd) < 0) {
		snprintf(err, errlen, "%s/%s: cannot write: %s", s->dir, name, strerror(errno));
		return -1;
	}
	return 0;
}

/* How a file was put in place, for undoing it. */
enum placed { NOT_PLACED, EXCHANGED, NEW, REPLACED };

/* Puts tmp in the place of name. Replacing a file by rename() makes ext4
 * (auto_da_alloc, its default) write the new file's blocks out inside the
 * rename, to protect programs that forget fsync: for a run's 556 MB pcap
 * that doubled the wall time of running a scenario again into the same
 * directory. Exchanging the two names (RENAME_EXCHANGE) is as atomic, is not
 * taken for that pattern, and keeps the old file (under the temporary name)
 * until the whole set is in place. A new name gets RENAME_NOREPLACE; a file
 * system with neither, a plain rename. */
static enum placed place(int dirfd, const char *tmp, const char *name)
{
	if (renameat2(dirfd, tmp, dirfd, name, RENAME_EXCHANGE) == 0)
		return EXCHANGED;
	if (errno == ENOENT && renameat2(dirfd, tmp, dirfd, name, RENAME_NOREPLACE) == 0)
		return NEW;
	if (errno != EINVAL && errno != ENOSYS)
		return NOT_PLACED;
	return renameat(dirfd, tmp, dirfd, name) == 0 ? REPLACED : NOT_PLACED;
}

/* Takes back what place did: the old file in place again (EXCHANGED) or the
 * new one back under its temporary name (NEW). A plain rename cannot be
 * undone. */
static void unplace(int dirfd, const char *tmp, const char *name, enum placed how)
{
	if (how == EXCHANGED)
		renameat2(dirfd, tmp, dirfd, name, RENAME_EXCHANGE);
	else if (how == NEW)
		renameat(dirfd, name, dirfd, tmp);
}

/* Removes every temporary of the set (new files not committed, or old ones
 * replaced) and empties it. */
static void drop_temporaries(struct out_set *s)
{
	for (int i = 0; i < s->n; i++) {
		if (!s->f[i].tmp[0])
			continue;
		unlinkat(s->dirfd, s->f[i].tmp, 0);
		tmpfiles_forget_at(s->dirfd, s->f[i].tmp);
		s->f[i].tmp[0] = '\0';
	}
	s->n = 0;
}

int out_set_commit(struct out_set *s, char *err, size_t errlen)
{
	enum placed how[OUT_SET_MAX] = { NOT_PLACED };
	sigset_t old;
	int failed = -1, e = 0;

	tmpfiles_block(&old);            /* a signal waits until the set is in place, or not */
	/* rename() would not put a file in place of a directory: neither does
	 * the exchange, and that is known before anything moves. */
	for (int i = 0; i < s->n && failed < 0; i++) {
		struct stat st;
		if (fstatat(s->dirfd, s->f[i].name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode)) {
			failed = i;
			e = EISDIR;
		}
	}
	for (int i = 0; i < s->n && failed < 0; i++) {
		how[i] = place(s->dirfd, s->f[i].tmp, s->f[i].name);
		if (how[i] == NOT_PLACED) {
			failed = i;
			e = errno;
		}
	}
	if (failed >= 0) {
		for (int i = failed - 1; i >= 0; i--)
			unplace(s->dirfd, s->f[i].tmp, s->f[i].name, how[i]);
		snprintf(err, errlen, "%s/%s: %s", s->dir, s->f[failed].name, strerror(e));
	} else {
		for (int i = 0; i < s->n; i++)
			if (how[i] != EXCHANGED) {   /* nothing left under the temporary name */
				tmpfiles_forget_at(s->dirfd, s->f[i].tmp);
				s->f[i].tmp[0] = '\0';
			}
	}
	drop_temporaries(s);             /* the new files of a failure, the old ones of a success */
	tmpfiles_unblock(&old);
	return failed >= 0 ? -1 : 0;
}

void out_set_close(struct out_set *s)
{
	if (s->dirfd < 0)
		return;
	drop_temporaries(s);
	close(s->dirfd);
	s->dirfd = -1;
}

int out_set_remove_stale(const char *dir, char *err, size_t errlen)
{
	int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int listfd = dirfd >= 0 ? dup(dirfd) : -1;
	DIR *d = listfd >= 0 ? fdopendir(listfd) : NULL;
	int n = 0;

	if (!d) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		if (listfd >= 0)
			close(listfd);
		if (dirfd >= 0)
			close(dirfd);
		return -1;
	}
	for (struct dirent *de; (de = readdir(d));) {
		long pid;
		struct stat st;
		if (!tmpfiles_is_temporary(de->d_name, &pid))
			continue;
		/* A run still going (or any process with that number) keeps its
		 * files; so does a directory of that name. */
		if (pid == (long)getpid() || (pid > 0 && (kill((pid_t)pid, 0) == 0 || errno == EPERM)))
			continue;
		if (fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || S_ISDIR(st.st_mode))
			continue;
		if (unlinkat(dirfd, de->d_name, 0) == 0)
			n++;
	}
	closedir(d);
	close(dirfd);
	return n;
}
