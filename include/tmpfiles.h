/* tmpfiles.h - temporary files removed when a signal stops the process.
 *
 * Every output is written under a temporary name and renamed into place when
 * complete. A run stopped by SIGINT, SIGTERM or SIGHUP removes the temporary
 * files it was writing before it dies of the signal: it leaves no file
 * behind, not even a hidden one. Only the process that tracked a file
 * removes it (a sweep's workers are forks of the process writing the CSV).
 * Signals another part has taken over (replay's) are left to it. */
#ifndef TCPSIM_TMPFILES_H
#define TCPSIM_TMPFILES_H

/* Removes path if a signal stops the process (the first call installs the
 * handlers); at most 16 at a time, paths of at most 4095 bytes. */
void tmpfiles_track(const char *path);
/* path was renamed into place or removed: not to be removed any more. */
void tmpfiles_forget(const char *path);
/* Puts the complete file tmp (a tracked path) in the place of path and
 * forgets it. A reader of path finds the old file or the new one, never none
 * and never a part. Returns 0, or -1 with errno set (tmp is left). */
int tmpfiles_commit(const char *tmp, const char *path);

#endif
