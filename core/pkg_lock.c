/* pkg_lock.c - cache locking for builds sharing --cache.  See pkg.h.
 *
 * flock(2) on DIR/.lock: exclusive while metadata of a repository is
 * fetched and parsed (repo dir) and while packages are downloaded
 * (cachedir/packages).  A second build waits, saying so once, and then
 * finds the files complete and verified.  The lock dies with the process,
 * so a killed build never leaves a stale lock behind.
 */
#define _GNU_SOURCE
#define KSC_PKG_INTERNAL
#include "core/pkg.h"
#include "core/base/cleanup.h"
#include "core/base/log.h"
#include "core/base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

int pkg__lock(const char *dir, const char *what)
{
    if (mkdir_p(dir, 0755) < 0)
        return log_fail("cannot create %s: %s", dir, strerror(errno));
    char *path = path_join(dir, ".lock");
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        log_fail("cannot open the lock %s: %s", path, strerror(errno));
        free(path);
        return -1;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
        if (errno != EWOULDBLOCK) {
            log_fail("cannot lock %s: %s", path, strerror(errno));
            close(fd);
            free(path);
            return -1;
        }
        log_info("Waiting for another build using the cache (%s: %s)", what, path);
        while (flock(fd, LOCK_EX) < 0) {
            if (errno != EINTR || cleanup_interrupted()) {
                log_fail("cannot lock %s: %s", path, errno == EINTR ? "interrupted" : strerror(errno));
                close(fd);
                free(path);
                return -1;
            }
        }
    }
    free(path);
    return fd;
}

void pkg__unlock(int fd)
{
    if (fd >= 0)
        close(fd); /* releases the flock */
}
