/* test_tmpfiles.c - a process stopped by a signal removes the temporary files
 * it tracks, and dies of the signal; a forgotten file stays; a forked child
 * stopped by a signal removes nothing of its parent's. Each case runs in a
 * child process, which the signal ends. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include "testing.h"
#include "tmpfiles.h"

/* A fresh file; its path in path. */
static void make_file(char path[64])
{
	snprintf(path, 64, "/tmp/tcpsim-tmpfiles-XXXXXX");
	int fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
}

/* Runs body(path) in a child and returns its wait status. */
static int in_child(void (*body)(const char *), const char *path)
{
	pid_t pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0) {
		body(path);
		_exit(0);
	}
	int status = 0;
	CU_ASSERT_FATAL(waitpid(pid, &status, 0) == pid);
	return status;
}

static void track_then_term(const char *path)
{
	tmpfiles_track("/tmp/tcpsim-tmpfiles-never-made");   /* a path that does not exist: no harm */
	tmpfiles_track(path);
	raise(SIGTERM);
}

static void track_forget_then_term(const char *path)
{
	tmpfiles_track(path);
	tmpfiles_forget(path);
	raise(SIGTERM);
}

static void track_then_child_terms(const char *path)
{
	tmpfiles_track(path);
	pid_t pid = fork();
	if (pid == 0)
		raise(SIGINT);                  /* the fork dies of it; its parent's file stays */
	int status = 0;
	waitpid(pid, &status, 0);
	_exit(WIFSIGNALED(status) && WTERMSIG(status) == SIGINT ? 7 : 1);
}

static void test_removed_on_signal(void)
{
	char path[64];
	make_file(path);
	int status = in_child(track_then_term, path);
	CU_ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
	CU_ASSERT_NOT_EQUAL(access(path, F_OK), 0);
	unlink(path);
}

static void test_forgotten_stays(void)
{
	char path[64];
	make_file(path);
	int status = in_child(track_forget_then_term, path);
	CU_ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
	CU_ASSERT_EQUAL(access(path, F_OK), 0);
	unlink(path);
}

static void test_fork_removes_nothing(void)
{
	char path[64];
	make_file(path);
	int status = in_child(track_then_child_terms, path);
	CU_ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 7);
	CU_ASSERT_EQUAL(access(path, F_OK), 0);
	unlink(path);
}

TCPSIM_SUITE(tmpfiles,
	{ "a signal removes the tracked files and kills", test_removed_on_signal },
	{ "a forgotten file stays", test_forgotten_stays },
	{ "a forked child's signal removes nothing of its parent's", test_fork_removes_nothing })
