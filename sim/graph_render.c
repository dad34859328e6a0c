/* graph_render.c - from a cgraph graph to a file, for both pictures. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "graph_render.h"
#include "tmpfiles.h"

GVC_t *graph_gvc(void)
{
	static GVC_t *gvc;

	if (!gvc)
		gvc = gvContext();
	return gvc;
}

const char *graph_renderer(const char *format)
{
	if (!format)
		return NULL;
	if (strcmp(format, "svg") == 0 || strcmp(format, "dot") == 0)
		return format;
	if (strcmp(format, "png") == 0)
		return "png:cairo";
	if (strcmp(format, "pdf") == 0)
		return "pdf:cairo";
	return NULL;
}

void graph_pdf_fix_date(char *buf, size_t len)
{
	static const char key[] = "/CreationDate (D:";
	static const char epoch[] = "19700101000000Z)";
	char *p = memmem(buf, len, key, strlen(key));

	if (!p)
		return;
	p += strlen(key);
	if ((size_t)(p - buf) + strlen(epoch) <= len && p[strlen(epoch) - 1] == ')')
		memcpy(p, epoch, strlen(epoch));
}

int graph_write_file(const char *path, const char *data, size_t len, char *err, size_t errlen)
{
	const char *slash = strrchr(path, '/');
	int dirlen = slash ? (int)(slash - path + 1) : 0;
	char tmp[4096];
	int fd, saved;

	if (snprintf(tmp, sizeof tmp, "%.*s.%s.%ld.tmp", dirlen, path, path + dirlen,
		     (long)getpid()) >= (int)sizeof tmp) {
		snprintf(err, errlen, "%s: cannot write: path too long", path);
		return -1;
	}
	tmpfiles_track(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0) {
		snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
		tmpfiles_forget(tmp);
		return -1;
	}
	for (size_t off = 0; off < len;) {
		ssize_t w = write(fd, data + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			goto fail;
		off += (size_t)w;
	}
	if (close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	if (tmpfiles_commit(tmp, path) == 0)
		return 0;
	fd = -1;
fail:
	saved = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	tmpfiles_forget(tmp);
	snprintf(err, errlen, "%s: cannot write: %s", path, strerror(saved ? saved : EIO));
	return -1;
}
