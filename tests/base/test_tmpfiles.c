/* test_tmpfiles.c - a process stopped by a signal removes the temporary files
 * it tracks, and dies of the signal; a forgotten file stays; a forked child
 * stopped by a signal removes nothing of its parent's. Each case runs in a
 * child process, which the signal ends. (Putting files in place is
 * out_set's, tested in test_out_set.c.) The signals raised here are at their default whatever
 * the test binary inherited: tests/test_main.c sets them before any test (and
 * `make check-unit` starts the binary with them ignored, to show it). */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "testing.h"
#include "base/tmpfiles.h"

/* A fresh directory, opened, in dir. */
static int fresh_dir(char dir[64])
{
	snprintf(dir, 64, "/tmp/tcpsim-tmpfiles-XXXXXX");
	CU_ASSERT_FATAL(mkdtemp(dir) != NULL);
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	CU_ASSERT_FATAL(fd >= 0);
	return fd;
}

/* How many entries dir holds, besides . and .. */
static int entries(const char *dir)
{
	DIR *d = opendir(dir);
	CU_ASSERT_FATAL(d != NULL);
	int n = 0;
	for (struct dirent *e; (e = readdir(d));)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

/* Runs body(dirfd) in a child and returns its wait status. */
static int in_child(void (*body)(int), int dirfd)
{
	pid_t pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0) {
		body(dirfd);
		_exit(0);
	}
	int status = 0;
	CU_ASSERT_FATAL(waitpid(pid, &status, 0) == pid);
	return status;
}

/* Makes a temporary of final name x in dirfd; its name in tmp. */
static void create(int dirfd, char tmp[TMPFILES_NAME_MAX + 1])
{
	int fd = tmpfiles_create(dirfd, "x", tmp, TMPFILES_NAME_MAX + 1);
	if (fd < 0)
		_exit(3);
	close(fd);
}

static void create_then_term(int dirfd)
{
	char tmp[TMPFILES_NAME_MAX + 1];
	create(dirfd, tmp);
	create(dirfd, tmp);
	raise(SIGTERM);
}

static void create_forget_then_term(int dirfd)
{
	char tmp[TMPFILES_NAME_MAX + 1];
	create(dirfd, tmp);
	tmpfiles_forget_at(dirfd, tmp);
	raise(SIGTERM);
}

static void create_then_child_terms(int dirfd)
{
	char tmp[TMPFILES_NAME_MAX + 1];
	create(dirfd, tmp);
	pid_t pid = fork();
	if (pid == 0)
		raise(SIGINT);                  /* the fork dies of it; its parent's file stays */
	int status = 0;
	waitpid(pid, &status, 0);
	_exit(WIFSIGNALED(status) && WTERMSIG(status) == SIGINT ? 7 : 1);
}

/* Empties dir (no subdirectories) and removes it. */
static void remove_dir(const char *dir, int dirfd)
{
	DIR *d = opendir(dir);
	for (struct dirent *e; d && (e = readdir(d));)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			unlinkat(dirfd, e->d_name, 0);
	if (d)
		closedir(d);
	close(dirfd);
	rmdir(dir);
}

static void test_removed_on_signal(void)
{
	char dir[64];
	int dirfd = fresh_dir(dir);
	int status = in_child(create_then_term, dirfd);
	CU_ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
	CU_ASSERT_EQUAL(entries(dir), 0);
	remove_dir(dir, dirfd);
}

static void test_forgotten_stays(void)
{
	char dir[64];
	int dirfd = fresh_dir(dir);
	int status = in_child(create_forget_then_term, dirfd);
	CU_ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
	CU_ASSERT_EQUAL(entries(dir), 1);
	remove_dir(dir, dirfd);
}

static void test_fork_removes_nothing(void)
{
	char dir[64];
	int dirfd = fresh_dir(dir);
	int status = in_child(create_then_child_terms, dirfd);
	CU_ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 7);
	CU_ASSERT_EQUAL(entries(dir), 1);
	remove_dir(dir, dirfd);
}

TCPSIM_SUITE(tmpfiles,
	{ "a signal removes the tracked files and kills", test_removed_on_signal },
	{ "a forgotten file stays", test_forgotten_stays },
	{ "a forked child's signal removes nothing of its parent's", test_fork_removes_nothing })

/* ---- tmpfiles_create, SIGPIPE ---------------------------------------------- */

/* A new, empty, regular file named .NAME.PID-XXXXXX.tmp, mode 0666 less the
 * umask; a second one gets another name; the names are recognised. */
static void test_create_new_file(void)
{
	char dir[64], a[TMPFILES_NAME_MAX + 1], b[TMPFILES_NAME_MAX + 1], want[64];
	int dirfd = fresh_dir(dir);
	mode_t old_mask = umask(022);
	int fa = tmpfiles_create(dirfd, "x.pcap", a, sizeof a);
	int fb = tmpfiles_create(dirfd, "x.pcap", b, sizeof b);
	umask(old_mask);
	CU_ASSERT_FATAL(fa >= 0 && fb >= 0);
	CU_ASSERT_STRING_NOT_EQUAL(a, b);
	snprintf(want, sizeof want, ".x.pcap.%ld-", (long)getpid());
	CU_ASSERT_EQUAL(strncmp(a, want, strlen(want)), 0);
	long pid = 0;
	CU_ASSERT_TRUE(tmpfiles_is_temporary(a, &pid));
	CU_ASSERT_EQUAL(pid, (long)getpid());
	struct stat st;
	CU_ASSERT_FATAL(fstatat(dirfd, a, &st, AT_SYMLINK_NOFOLLOW) == 0);
	CU_ASSERT_TRUE(S_ISREG(st.st_mode));
	CU_ASSERT_EQUAL(st.st_size, 0);
	CU_ASSERT_EQUAL(st.st_mode & 0777, 0644);
	close(fa);
	close(fb);
	tmpfiles_forget_at(dirfd, a);
	tmpfiles_forget_at(dirfd, b);
	remove_dir(dir, dirfd);
}

/* Names that are not of the form, e.g. the old fixed ".NAME.tmp". */
static void test_not_temporary(void)
{
	long pid;
	CU_ASSERT_FALSE(tmpfiles_is_temporary(".x.pcap.tmp", &pid));
	CU_ASSERT_FALSE(tmpfiles_is_temporary("x.pcap.12-abcdef.tmp", &pid));
	CU_ASSERT_FALSE(tmpfiles_is_temporary(".x.pcap.12-abc_ef.tmp", &pid));
	CU_ASSERT_FALSE(tmpfiles_is_temporary(".x.pcap.-abcdef.tmp", &pid));
	CU_ASSERT_FALSE(tmpfiles_is_temporary(".12-abcdef.tmp", &pid));
	CU_ASSERT_TRUE(tmpfiles_is_temporary(".x.12-abcdef.tmp", &pid));
	CU_ASSERT_EQUAL(pid, 12);
}

/* A name too long for a temporary is shortened: the file is still made. */
static void test_create_long_name(void)
{
	char dir[64], name[256], tmp[TMPFILES_NAME_MAX + 1];
	int dirfd = fresh_dir(dir);
	memset(name, 'n', 250);
	snprintf(name + 250, 6, ".pcap");
	int fd = tmpfiles_create(dirfd, name, tmp, sizeof tmp);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_TRUE(strlen(tmp) <= TMPFILES_NAME_MAX);
	close(fd);
	tmpfiles_forget_at(dirfd, tmp);
	remove_dir(dir, dirfd);
}

static char child_dir[64];

static void create_then_signal(int sig)
{
	char tmp[TMPFILES_NAME_MAX + 1];
	int dirfd = open(child_dir, O_RDONLY | O_DIRECTORY);
	if (dirfd < 0 || tmpfiles_create(dirfd, "x.pcap", tmp, sizeof tmp) < 0)
		_exit(1);
	raise(sig);
	_exit(2);
}

static void create_then_pipe(int unused)
{
	(void)unused;
	signal(SIGPIPE, SIG_DFL);       /* as a shell starts it, whatever this one has */
	create_then_signal(SIGPIPE);
}

static void create_then_hup(int unused)
{
	(void)unused;
	signal(SIGHUP, SIG_DFL);
	create_then_signal(SIGHUP);
}

/* A file of tmpfiles_create is removed by SIGPIPE (standard output closed:
 * `tcpsim run ... | head`) and SIGHUP, and the process dies of the signal. */
static void check_removed_by(void (*body)(int), int sig)
{
	int dirfd = fresh_dir(child_dir);
	int status = in_child(body, -1);
	CU_ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == sig);
	CU_ASSERT_EQUAL(entries(child_dir), 0);
	remove_dir(child_dir, dirfd);
}

static void test_created_removed_on_sigpipe(void)
{
	check_removed_by(create_then_pipe, SIGPIPE);
}

static void test_created_removed_on_sighup(void)
{
	check_removed_by(create_then_hup, SIGHUP);
}

TCPSIM_SUITE(tmpfiles_create,
	{ "create: a new regular file, a new name each time", test_create_new_file },
	{ "create: other names are not temporaries", test_not_temporary },
	{ "create: a long name is shortened", test_create_long_name },
	{ "create: SIGPIPE removes the file and kills", test_created_removed_on_sigpipe },
	{ "create: SIGHUP removes the file and kills", test_created_removed_on_sighup })
