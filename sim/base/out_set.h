/* out_set.h - the files of one scenario (or one sweep, one picture), written
 * as a unit.
 *
 * Every output file of tcpsim is made here, and only here: each is written
 * under a new temporary name in the output directory (tmpfiles_create:
 * O_EXCL|O_NOFOLLOW, never through a link planted in the directory) and, once
 * ALL of the set's files are written and closed, out_set_commit puts them in
 * place together.
 *
 * What a reader of the directory can see:
 *   - until out_set_commit starts: the old files only, untouched. A failure, a
 *     full disk or a signal (SIGINT, SIGTERM, SIGHUP, SIGPIPE) before then
 *     removes the temporaries and leaves the old run's files as they were;
 *   - out_set_commit renames the files one after another (Linux has no
 *     rename of several files at once) with the signals held back, so a
 *     signal waits for the end of it. Should a rename fail half-way, the
 *     files already renamed are put back (the old ones were exchanged, not
 *     removed, until all are in place): the old set again, or, for a file
 *     that had no old version, none;
 *   - the window left: the process killed outright (SIGKILL, a power cut)
 *     during the renames, a few system calls long, leaves some files of each
 *     run, and the old versions under their temporary names (which `tcpsim
 *     replay --cleanup -o DIR` removes). A file system without
 *     RENAME_EXCHANGE gets plain renames: a failure then cannot give back the
 *     old versions already replaced.
 * The final names are never opened: a link in the place of one is replaced
 * by the file, the link's target is left alone. */
#ifndef TCPSIM_OUT_SET_H
#define TCPSIM_OUT_SET_H

#include <stdio.h>
#include <stddef.h>
#include "base/tmpfiles.h"

#define OUT_SET_MAX 48          /* a run's 5 files and the ladder's pages (--slides: 40 at most) */

struct out_set {
	int dirfd;                   /* the output directory; -1 when not open */
	const char *dir;             /* as given, for messages */
	int n;
	struct out_set_file {
		char name[TMPFILES_NAME_MAX + 1];   /* the final name in dir */
		char tmp[TMPFILES_NAME_MAX + 1];    /* its temporary, "" once gone */
	} f[OUT_SET_MAX];
};

/* Opens the directory dir (made already: cli_make_dirs) for a set. A dir that
 * is a link to a directory is followed: the user named it. Returns 0, or -1
 * with "DIR: reason" in err. */
int out_set_open(struct out_set *s, const char *dir, char *err, size_t errlen);

/* Creates the temporary of DIR/name and returns its descriptor, open for
 * writing; the caller writes and closes it. -1 with "DIR/name: reason". */
int out_set_create(struct out_set *s, const char *name, char *err, size_t errlen);
/* The same as a stdio stream ("wb"); the caller fcloses it, checking. */
FILE *out_set_fopen(struct out_set *s, const char *name, char *err, size_t errlen);
/* The whole of data as DIR/name (created, written, closed). Returns 0, or
 * -1 with "DIR/name: cannot write: reason". */
int out_set_write(struct out_set *s, const char *name, const void *data, size_t len, char *err, size_t errlen);

/* Puts every file of the set in place (see above). Returns 0, or -1 with
 * "DIR/name: reason" in err and nothing changed in place. Either way the set
 * is empty afterwards (its temporaries gone); it stays open for more. */
int out_set_commit(struct out_set *s, char *err, size_t errlen);

/* Removes the temporaries not committed and closes the directory. Safe on a
 * set never opened (dirfd -1 and n 0: OUT_SET_INIT) and twice. */
void out_set_close(struct out_set *s);
#define OUT_SET_INIT { .dirfd = -1 }

/* Removes DIR's temporaries (names of the form of tmpfiles_create's) left by
 * processes that no longer run: `replay --cleanup -o DIR`. Nothing else, and
 * no link is followed. Returns the number removed, or -1 with err set. */
int out_set_remove_stale(const char *dir, char *err, size_t errlen);

#endif
