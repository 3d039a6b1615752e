/* mount.c - see mount.h */
#define _GNU_SOURCE
#include "core/base/mount.h"
#include "core/base/cleanup.h"
#include "core/base/log.h"
#include "core/base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/loop.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

int loop_attach(const char *file, uint64_t offset, uint64_t sizelimit, bool readonly,
                char *dev, size_t devlen)
{
    int ffd = open(file, (readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC);
    if (ffd < 0)
        return log_fail("cannot open %s: %s", file, strerror(errno));
    int ctl = open("/dev/loop-control", O_RDWR | O_CLOEXEC);
    if (ctl < 0) {
        close(ffd);
        return log_fail("cannot open /dev/loop-control: %s", strerror(errno));
    }
    int rc = -1;
    for (int attempt = 0; attempt < 16; attempt++) {
        int n = ioctl(ctl, LOOP_CTL_GET_FREE);
        if (n < 0) {
            log_fail("no free loop device: %s", strerror(errno));
            break;
        }
        snprintf(dev, devlen, "/dev/loop%d", n);
        int lfd = open(dev, (readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC);
        if (lfd < 0 && errno == ENOENT) {
            /* no udev: create the node ourselves */
            if (mknod(dev, S_IFBLK | 0660, makedev(7, (unsigned)n)) == 0)
                lfd = open(dev, (readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC);
        }
        if (lfd < 0) {
            log_fail("cannot open %s: %s", dev, strerror(errno));
            break;
        }
        struct loop_config cfg;
        memset(&cfg, 0, sizeof cfg);
        cfg.fd = (unsigned)ffd;
        cfg.info.lo_offset = offset;
        cfg.info.lo_sizelimit = sizelimit;
        cfg.info.lo_flags = (readonly ? LO_FLAGS_READ_ONLY : 0);
        snprintf((char *)cfg.info.lo_file_name, LO_NAME_SIZE, "%s", file);
        int r = ioctl(lfd, LOOP_CONFIGURE, &cfg);
        if (r < 0 && errno == EINVAL) {
            /* older kernels: LOOP_SET_FD + LOOP_SET_STATUS64 */
            r = ioctl(lfd, LOOP_SET_FD, ffd);
            if (r == 0 && ioctl(lfd, LOOP_SET_STATUS64, &cfg.info) < 0) {
                int e = errno;
                ioctl(lfd, LOOP_CLR_FD, 0);
                errno = e;
                r = -1;
            }
        }
        int e = errno;
        close(lfd);
        if (r == 0) {
            rc = cleanup_push_loop(dev);
            log_debug("attached %s to %s", file, dev);
            break;
        }
        if (e != EBUSY) {
            log_fail("cannot attach %s to %s: %s", file, dev, strerror(e));
            break;
        }
        /* someone took it meanwhile: try again */
    }
    close(ctl);
    close(ffd);
    return rc;
}

int mount_fs(const char *src, const char *dir, const char *fstype, unsigned long flags,
             const char *data)
{
    if (mkdir_p(dir, 0755) < 0)
        return log_fail("cannot create %s: %s", dir, strerror(errno));
    if (mount(src, dir, fstype, flags, data) < 0)
        return log_fail("cannot mount %s (%s) on %s: %s", src, fstype ? fstype : "bind", dir,
                        strerror(errno));
    log_debug("mounted %s on %s", src, dir);
    return cleanup_push_mount(dir);
}

int mount_bind(const char *src, const char *dir, bool readonly)
{
    struct stat st;
    if (stat(src, &st) < 0)
        return log_fail("cannot bind mount %s: %s", src, strerror(errno));
    if (!S_ISDIR(st.st_mode)) {
        char *parent = xstrdup(dir);
        char *slash = strrchr(parent, '/');
        if (slash && slash != parent) {
            *slash = 0;
            mkdir_p(parent, 0755);
        }
        free(parent);
        if (!path_exists(dir)) {
            int fd = open(dir, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
            if (fd >= 0)
                close(fd);
        }
        if (mount(src, dir, NULL, MS_BIND, NULL) < 0)
            return log_fail("cannot bind mount %s on %s: %s", src, dir, strerror(errno));
        int id = cleanup_push_mount(dir);
        if (readonly)
            mount(NULL, dir, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL);
        return id;
    }
    int id = mount_fs(src, dir, NULL, MS_BIND | MS_REC, NULL);
    if (id > 0 && readonly)
        mount(NULL, dir, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL);
    return id;
}

int mount_release(int id)
{
    if (id <= 0)
        return 0;
    if (cleanup_release(id) < 0)
        return log_fail("unmount failed (see above)");
    return 0;
}

bool is_mountpoint(const char *dir)
{
    char *buf;
    if (read_file("/proc/self/mountinfo", &buf, NULL) < 0)
        return false;
    bool found = false;
    for (char *line = strtok(buf, "\n"); line && !found; line = strtok(NULL, "\n")) {
        char mp[4096];
        if (sscanf(line, "%*s %*s %*s %*s %4095s", mp) == 1 && strcmp(mp, dir) == 0)
            found = true;
    }
    free(buf);
    return found;
}
