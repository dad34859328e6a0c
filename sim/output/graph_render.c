/* graph_render.c - from a cgraph graph to a file, for both pictures. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "output/graph.h"
#include "output/graph_render.h"
#include "base/out_set.h"

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

/* The reason in an out_set message ("DIR/NAME: reason"; "cannot write: "
 * already said is dropped). */
static const char *reason(const char *msg)
{
	const char *r = strstr(msg, ": ");
	r = r ? r + 2 : msg;
	if (strncmp(r, "cannot write: ", 14) == 0)
		r += 14;
	return r;
}

int graph_write_file(const char *path, const char *data, size_t len, char *err, size_t errlen)
{
	const char *slash = strrchr(path, '/');
	char dir[4096], why[512];
	struct out_set set = OUT_SET_INIT;
	int rc = -1;

	if (snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path) : 1, slash ? path : ".") >= (int)sizeof dir) {
		snprintf(err, errlen, "%s: cannot write: path too long", path);
		return -1;
	}
	if (slash == path)
		snprintf(dir, sizeof dir, "/");
	/* The one file as a set of one: made and put in place as every output is. */
	if (out_set_open(&set, dir, why, sizeof why) == 0 &&
	    out_set_write(&set, slash ? slash + 1 : path, data, len, why, sizeof why) == 0 &&
	    out_set_commit(&set, why, sizeof why) == 0)
		rc = 0;
	else
		snprintf(err, errlen, "%s: cannot write: %s", path, reason(why));
	out_set_close(&set);
	return rc;
}
