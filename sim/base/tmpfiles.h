/* tmpfiles.h - temporary files: made safely, removed when a signal stops the
 * process.
 *
 * Every output is written under a temporary name and renamed into place when
 * complete (out_set.h puts a run's files in place together). A temporary is
 * made by tmpfiles_create only: a new name, created with O_EXCL|O_NOFOLLOW, so
 * that a file or link planted under the name is never written through. A run
 * stopped by SIGINT, SIGTERM, SIGHUP or SIGPIPE (its standard output closed:
 * `tcpsim run ... | head`) removes the temporary files it was writing before
 * it dies of the signal: it leaves no file behind, not even a hidden one. Only
 * the process that tracked a file removes it (a sweep's workers are forks of
 * the process writing the CSV). Signals another part has taken over
 * (replay's) are left to it; it calls tmpfiles_remove_all. */
#ifndef TCPSIM_TMPFILES_H
#define TCPSIM_TMPFILES_H

#include <signal.h>
#include <stddef.h>

/* The temporary of final name NAME is ".NAME.PID-XXXXXX.tmp": the process
 * that made it, then six random letters or digits. The longest it can be. */
#define TMPFILES_NAME_MAX 255

/* Creates a new, empty temporary file for the final name `name` in the
 * directory dirfd (AT_FDCWD: the current one) and opens it for writing:
 * ".NAME.PID-XXXXXX.tmp" (NAME shortened when the whole would pass
 * TMPFILES_NAME_MAX), made with O_CREAT|O_EXCL|O_NOFOLLOW|O_CLOEXEC, mode 0666
 * less the umask, another random part tried when the name is taken. Nothing
 * that was there before, a link or a file, is ever opened. The file is tracked
 * (by dirfd and name: dirfd must stay open until it is forgotten) from the
 * moment it exists: the signals are blocked in between. Its name goes to tmp
 * (at least TMPFILES_NAME_MAX + 1 bytes). Returns the descriptor, or -1 with
 * errno set. */
int tmpfiles_create(int dirfd, const char *name, char *tmp, size_t tmplen);
/* The file tmp of tmpfiles_create in dirfd was put in place or removed: a
 * signal is not to remove it any more. */
void tmpfiles_forget_at(int dirfd, const char *tmp);
/* Whether name has the form of tmpfiles_create's names; *pid is the process
 * that made it. */
int tmpfiles_is_temporary(const char *name, long *pid);

/* Removes every file this process tracks (async-signal-safe: for a signal
 * handler of someone else's, replay's). */
void tmpfiles_remove_all(void);

/* The signals that remove the temporaries: SIGINT, SIGTERM, SIGHUP, SIGPIPE.
 * tmpfiles_block holds them back (the previous mask goes to old) while
 * something the handlers must see whole is changed; tmpfiles_unblock lets
 * them come, then. */
void tmpfiles_block(sigset_t *old);
void tmpfiles_unblock(const sigset_t *old);

#endif
