/* test_out_set.c - a scenario's files as one unit: nothing is in place
 * before out_set_commit, all of them after it; a commit that fails half-way
 * puts the old files back; a set closed without a commit leaves the old files
 * and no temporary; a link under a final name is replaced, never written
 * through; `replay --cleanup -o DIR` removes only dead runs' temporaries. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "base/out_set.h"
#include "testing.h"

/* A fresh directory; its path in dir. */
static void fresh_dir(char dir[64])
{
	snprintf(dir, 64, "/tmp/tcpsim-outset-XXXXXX");
	CU_ASSERT_FATAL(mkdtemp(dir) != NULL);
}

static void put(const char *dir, const char *name, const char *text)
{
	char path[320];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	CU_ASSERT_FATAL(f != NULL);
	fputs(text, f);
	fclose(f);
}

/* The first line of dir/name, "" when it cannot be read. */
static const char *get(const char *dir, const char *name)
{
	static char text[64];
	char path[320];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	text[0] = '\0';
	FILE *f = fopen(path, "r");
	if (f) {
		if (!fgets(text, sizeof text, f))
			text[0] = '\0';
		fclose(f);
	}
	return text;
}

/* How many names in dir start with '.' and end in ".tmp". */
static int temporaries(const char *dir)
{
	DIR *d = opendir(dir);
	int n = 0;
	CU_ASSERT_FATAL(d != NULL);
	for (struct dirent *e; (e = readdir(d));) {
		size_t len = strlen(e->d_name);
		n += e->d_name[0] == '.' && len > 4 && strcmp(e->d_name + len - 4, ".tmp") == 0;
	}
	closedir(d);
	return n;
}

static void remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	for (struct dirent *e; d && (e = readdir(d));) {
		char path[320];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && unlink(path) < 0)
			rmdir(path);
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

/* Writes "new A", "new B", "new C" as a.txt, b.txt, c.txt into s. */
static void write_three(struct out_set *s)
{
	char err[512];
	static const char *const names[] = { "a.txt", "b.txt", "c.txt" };
	for (int i = 0; i < 3; i++) {
		char text[16];
		snprintf(text, sizeof text, "new %c", 'A' + i);
		CU_ASSERT_EQUAL_FATAL(out_set_write(s, names[i], text, strlen(text), err, sizeof err), 0);
	}
}

/* The old files stay as they are until the commit; then all three are new,
 * and neither the old files nor temporaries are left. */
static void test_all_at_commit(void)
{
	char dir[64], err[512];
	struct out_set s;
	fresh_dir(dir);
	put(dir, "a.txt", "old A");
	put(dir, "c.txt", "old C");
	CU_ASSERT_EQUAL_FATAL(out_set_open(&s, dir, err, sizeof err), 0);
	write_three(&s);
	CU_ASSERT_STRING_EQUAL(get(dir, "a.txt"), "old A");
	CU_ASSERT_STRING_EQUAL(get(dir, "b.txt"), "");
	CU_ASSERT_STRING_EQUAL(get(dir, "c.txt"), "old C");
	CU_ASSERT_EQUAL(out_set_commit(&s, err, sizeof err), 0);
	CU_ASSERT_STRING_EQUAL(get(dir, "a.txt"), "new A");
	CU_ASSERT_STRING_EQUAL(get(dir, "b.txt"), "new B");
	CU_ASSERT_STRING_EQUAL(get(dir, "c.txt"), "new C");
	CU_ASSERT_EQUAL(temporaries(dir), 0);
	out_set_close(&s);
	remove_dir(dir);
}

/* Closed without a commit (a failure, an error elsewhere): the old files,
 * and no temporary. */
static void test_close_keeps_old(void)
{
	char dir[64], err[512];
	struct out_set s;
	fresh_dir(dir);
	put(dir, "a.txt", "old A");
	CU_ASSERT_EQUAL_FATAL(out_set_open(&s, dir, err, sizeof err), 0);
	write_three(&s);
	out_set_close(&s);
	out_set_close(&s);               /* twice: nothing more */
	CU_ASSERT_STRING_EQUAL(get(dir, "a.txt"), "old A");
	CU_ASSERT_STRING_EQUAL(get(dir, "b.txt"), "");
	CU_ASSERT_EQUAL(temporaries(dir), 0);
	remove_dir(dir);
}

/* A directory in the place of the last file: refused before anything
 * moves. */
static void test_directory_refused(void)
{
	char dir[64], err[512], sub[96];
	struct out_set s;
	fresh_dir(dir);
	put(dir, "a.txt", "old A");
	snprintf(sub, sizeof sub, "%s/c.txt", dir);
	CU_ASSERT_FATAL(mkdir(sub, 0700) == 0);
	CU_ASSERT_EQUAL_FATAL(out_set_open(&s, dir, err, sizeof err), 0);
	write_three(&s);
	CU_ASSERT_EQUAL(out_set_commit(&s, err, sizeof err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "c.txt"));
	CU_ASSERT_STRING_EQUAL(get(dir, "a.txt"), "old A");
	CU_ASSERT_STRING_EQUAL(get(dir, "b.txt"), "");
	CU_ASSERT_EQUAL(temporaries(dir), 0);
	out_set_close(&s);
	remove_dir(dir);
}

/* The third rename fails (its temporary is gone): the first two are taken
 * back, the old a.txt in place again, no b.txt. */
static void test_failure_half_way_undone(void)
{
	char dir[64], err[512];
	struct out_set s;
	fresh_dir(dir);
	put(dir, "a.txt", "old A");
	CU_ASSERT_EQUAL_FATAL(out_set_open(&s, dir, err, sizeof err), 0);
	write_three(&s);
	CU_ASSERT_EQUAL_FATAL(unlinkat(s.dirfd, s.f[2].tmp, 0), 0);
	CU_ASSERT_EQUAL(out_set_commit(&s, err, sizeof err), -1);
	CU_ASSERT_STRING_EQUAL(get(dir, "a.txt"), "old A");
	CU_ASSERT_STRING_EQUAL(get(dir, "b.txt"), "");
	CU_ASSERT_STRING_EQUAL(get(dir, "c.txt"), "");
	CU_ASSERT_EQUAL(temporaries(dir), 0);
	out_set_close(&s);
	remove_dir(dir);
}

/* A link under a final name is replaced by the file; its target is not
 * touched. */
static void test_link_replaced(void)
{
	char dir[64], err[512], link[96], victim[96];
	struct out_set s;
	fresh_dir(dir);
	put(dir, "victim", "victim");
	snprintf(link, sizeof link, "%s/a.txt", dir);
	snprintf(victim, sizeof victim, "%s/victim", dir);
	CU_ASSERT_FATAL(symlink(victim, link) == 0);
	CU_ASSERT_EQUAL_FATAL(out_set_open(&s, dir, err, sizeof err), 0);
	write_three(&s);
	CU_ASSERT_EQUAL(out_set_commit(&s, err, sizeof err), 0);
	struct stat st;
	CU_ASSERT_TRUE(lstat(link, &st) == 0 && S_ISREG(st.st_mode));
	CU_ASSERT_STRING_EQUAL(get(dir, "a.txt"), "new A");
	CU_ASSERT_STRING_EQUAL(get(dir, "victim"), "victim");
	out_set_close(&s);
	remove_dir(dir);
}

/* Temporaries of a dead process go, a live one's stay, a link of the
 * form goes without its target, other names stay. */
static void test_remove_stale(void)
{
	char dir[64], err[512], name[128], path[256], victim[96];
	fresh_dir(dir);
	pid_t dead = fork();
	CU_ASSERT_FATAL(dead >= 0);
	if (dead == 0)
		_exit(0);
	waitpid(dead, NULL, 0);          /* reaped: its number names no process */
	snprintf(name, sizeof name, ".x.pcap.%ld-abcDEF.tmp", (long)dead);
	put(dir, name, "dead");
	snprintf(name, sizeof name, ".x.trace.jsonl.%ld-abcDEF.tmp", (long)getppid());
	put(dir, name, "alive");
	put(dir, ".x.pcap.tmp", "not of the form");
	put(dir, "victim", "victim");
	snprintf(victim, sizeof victim, "%s/victim", dir);
	snprintf(path, sizeof path, "%s/.y.svg.%ld-zzzzzz.tmp", dir, (long)dead);
	CU_ASSERT_FATAL(symlink(victim, path) == 0);
	CU_ASSERT_EQUAL(out_set_remove_stale(dir, err, sizeof err), 2);
	CU_ASSERT_EQUAL(temporaries(dir), 2);   /* the live one, the old form */
	CU_ASSERT_STRING_EQUAL(get(dir, name), "alive");
	CU_ASSERT_STRING_EQUAL(get(dir, "victim"), "victim");
	CU_ASSERT_EQUAL(out_set_remove_stale("/nonexistent-tcpsim-dir", err, sizeof err), -1);
	remove_dir(dir);
}

TCPSIM_SUITE(out_set,
	{ "nothing in place before the commit, all after", test_all_at_commit },
	{ "closed without a commit: the old files, no temporary", test_close_keeps_old },
	{ "a directory in the way: refused before anything moves", test_directory_refused },
	{ "a rename failing half-way: the old files back", test_failure_half_way_undone },
	{ "a link under a final name is replaced, its target untouched", test_link_replaced },
	{ "remove_stale: dead runs' temporaries only, no link followed", test_remove_stale })
