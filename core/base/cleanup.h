/* cleanup.h - one registry for every resource a build holds.
 *
 * Contract:
 *  - Each acquired resource (mount, loop device, temporary directory, child
 *    process, or any callback) is pushed right after it is acquired and
 *    gets an id.  cleanup_release(id) releases it now and forgets it;
 *    cleanup_forget(id) forgets it without releasing (ownership passed on).
 *  - cleanup_release_all() releases everything left, newest first.  It is
 *    called on success, on failure and (via cleanup_handle_signals) when
 *    SIGINT/SIGTERM/SIGHUP arrive: the first signal sets a flag that long
 *    loops poll with cleanup_interrupted() and terminates registered child
 *    processes; a second signal releases everything at once and exits 130.
 *  - Releasing never fails silently: problems are logged as warnings.
 */
#ifndef KSC_CLEANUP_H
#define KSC_CLEANUP_H

#include <sys/types.h>

typedef void (*cleanup_fn)(void *data);

int  cleanup_push(const char *what, cleanup_fn fn, void *data);
int  cleanup_push_mount(const char *mountpoint);
int  cleanup_push_loop(const char *loopdev);
int  cleanup_push_tmpdir(const char *dir);
int  cleanup_push_tmpfile(const char *path);   /* unlinked when released */
int  cleanup_push_pid(pid_t pid);

int  cleanup_release(int id);   /* 0 on success, -1 if releasing failed */
void cleanup_forget(int id);
void cleanup_release_all(void);
int  cleanup_count(void);
void cleanup_keep_tmpdirs(void);  /* --nocleanup: forget temporary directories */

void cleanup_handle_signals(void);
int  cleanup_interrupted(void);     /* signal number received, or 0 */

/* Temporary directories and files, registered when made: PARENT/PREFIX-XXXXXX
 * (PARENT NULL: /var/tmp).  make_tmpfile returns the open fd (O_CLOEXEC) in
 * *fd and the registry id in *id (when non-NULL); both return the malloc'd
 * path, or NULL with errno set. */
char *make_tmpdir(const char *parent, const char *prefix);
char *make_tmpfile(const char *parent, const char *prefix, int *fd, int *id);

/* Low-level releasers, also used directly. */
int  umount_retry(const char *mountpoint);
int  loop_detach(const char *loopdev);

#endif
