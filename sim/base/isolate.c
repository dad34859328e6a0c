/* isolate.c - a function that makes a buffer, run in a child process
 * (isolate.h). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "base/isolate.h"

/* What the child sends before its message and its buffer. */
struct isolate_head {
	int32_t rc;
	uint32_t err_len;
	uint64_t data_len;
};

/* Writes all of buf to fd; -1 when it cannot. */
static int write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* The child: runs fn and sends its result on fd; never returns. */
static void child(int fd, isolate_fn fn, void *ctx, size_t errlen)
{
	char *data = NULL, *err = calloc(1, errlen ? errlen : 1);
	size_t len = 0;
	int rc = err ? fn(ctx, &data, &len, err, errlen) : -1;
	struct isolate_head h = { rc, err ? (uint32_t)strlen(err) : 0, rc == 0 ? len : 0 };

	if (write_all(fd, &h, sizeof h) < 0 || write_all(fd, err, h.err_len) < 0 ||
	    write_all(fd, data, (size_t)h.data_len) < 0)
		_exit(1);
	_exit(0);
}

/* Reads everything the child sends until it closes the pipe: a malloc'ed
 * buffer in *out of *n bytes; -1 when out of memory or unreadable. */
static int read_all(int fd, char **out, size_t *n)
{
	size_t cap = 1 << 16;
	char *buf = malloc(cap);

	*n = 0;
	if (!buf)
		return -1;
	for (;;) {
		if (*n == cap) {
			char *b = realloc(buf, cap *= 2);   /* a stream of unknown length, read once */
			if (!b) {
				free(buf);
				return -1;
			}
			buf = b;
		}
		ssize_t r = read(fd, buf + *n, cap - *n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			free(buf);
			return -1;
		}
		if (r == 0)
			break;
		*n += (size_t)r;
	}
	*out = buf;
	return 0;
}

int isolate_run(isolate_fn fn, void *ctx, char **data, size_t *len, char *err, size_t errlen)
{
	int fds[2], status = 0;
	char *got = NULL;
	size_t n = 0;

	*data = NULL;
	*len = 0;
	if (pipe(fds) < 0) {
		snprintf(err, errlen, "cannot make a pipe: %s", strerror(errno));
		return -1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "cannot fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		/* What a crashing library prints (glibc's "double free detected")
		 * would only add to the caller's message. */
		int null = open("/dev/null", O_WRONLY);
		if (null >= 0)
			dup2(null, STDERR_FILENO);
		close(fds[0]);
		child(fds[1], fn, ctx, errlen);
	}
	close(fds[1]);
	int rd = read_all(fds[0], &got, &n);
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	struct isolate_head h;
	if (WIFSIGNALED(status)) {
		snprintf(err, errlen, "crashed (signal %d)", WTERMSIG(status));
		free(got);
		return -2;
	} else if (rd < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0 || n < sizeof h) {
		snprintf(err, errlen, "its process failed (exit %d)", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	} else {
		memcpy(&h, got, sizeof h);
		if (n != sizeof h + h.err_len + h.data_len) {
			snprintf(err, errlen, "its process sent %zu bytes, not %zu", n,
				 (size_t)(sizeof h + h.err_len + h.data_len));
		} else if (h.rc != 0) {
			snprintf(err, errlen, "%.*s", (int)h.err_len, got + sizeof h);
		} else if ((*data = malloc((size_t)h.data_len + 1))) {
			memcpy(*data, got + sizeof h + h.err_len, (size_t)h.data_len);
			(*data)[h.data_len] = '\0';
			*len = (size_t)h.data_len;
			free(got);
			return 0;
		} else {
			snprintf(err, errlen, "out of memory");
		}
	}
	free(got);
	return -1;
}
