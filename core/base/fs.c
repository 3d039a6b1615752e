/* fs.c - see fs.h */
#define _GNU_SOURCE
#include "core/base/fs.h"
#include "core/base/log.h"
#include "core/base/run.h"
#include "core/base/strv.h"
#include "core/base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

int fs_make_sparse(const char *path, uint64_t bytes)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return log_fail("cannot create %s: %s", path, strerror(errno));
    if (ftruncate(fd, (off_t)bytes) < 0) {
        int e = errno;
        close(fd);
        return log_fail("cannot size %s to %llu bytes: %s", path, (unsigned long long)bytes,
                        strerror(e));
    }
    close(fd);
    return 0;
}

static bool is_ext(const char *fstype)
{
    return !strcmp(fstype, "ext2") || !strcmp(fstype, "ext3") || !strcmp(fstype, "ext4");
}

/* the program that makes FSTYPE, malloc'd; NULL for an unsupported type */
static char *mkfs_prog(const char *fstype)
{
    if (is_ext(fstype) || !strcmp(fstype, "xfs") || !strcmp(fstype, "btrfs"))
        return xasprintf("mkfs.%s", fstype);
    if (!strcmp(fstype, "vfat") || !strcmp(fstype, "efi"))
        return xstrdup("mkfs.fat");
    if (!strcmp(fstype, "swap"))
        return xstrdup("mkswap");
    return NULL;
}

/* its options before the target */
static void mkfs_opts(strv_t *av, const char *fstype, const char *label, const char *uuid)
{
    bool fat = !strcmp(fstype, "vfat") || !strcmp(fstype, "efi");
    if (is_ext(fstype))   /* no lazy init: the image must not keep growing after the build */
        strv_pushv(av, "-F", "-q", "-E", "lazy_itable_init=0,lazy_journal_init=0", NULL);
    else if (!strcmp(fstype, "xfs") || !strcmp(fstype, "btrfs"))
        strv_pushv(av, "-f", "-q", NULL);
    if (label)
        strv_pushv(av, fat ? "-n" : "-L", label, NULL);
    if (uuid && !strcmp(fstype, "xfs")) {
        strv_push(av, "-m");
        strv_pushf(av, "uuid=%s", uuid);
    } else if (uuid && !fat) {
        strv_pushv(av, "-U", uuid, NULL);
    }
}

int fs_mkfs(const char *target, const char *fstype, const char *label, const char *uuid)
{
    char *prog = mkfs_prog(fstype);
    if (!prog)
        return log_fail("unsupported filesystem type: %s", fstype);
    strv_t argv = { 0 };
    strv_push(&argv, prog);
    mkfs_opts(&argv, fstype, label, uuid);
    strv_push(&argv, target);
    int r = run_argv(strv_argv(&argv), NULL);
    strv_free(&argv);
    if (r != 0) {
        log_fail("%s on %s failed (status %d): %s", prog, target, r, run_last_output());
        free(prog);
        return -1;
    }
    free(prog);
    return 0;
}

int fs_check(const char *image, const char *fstype)
{
    if (fstype && !is_ext(fstype))
        return 0;
    const char *argv[] = { "e2fsck", "-f", "-y", image, NULL };
    int r = run_argv(argv, NULL);
    /* 0: clean, 1: errors corrected */
    if (r != 0 && r != 1)
        return log_fail("e2fsck of %s failed (status %d): %s", image, r, run_last_output());
    return 0;
}

static uint64_t ext_block_info(const char *image, uint64_t *block_size)
{
    char *out = NULL;
    const char *argv[] = { "dumpe2fs", "-h", image, NULL };
    struct run_opts o = { 0 };
    o.capture = &out;
    uint64_t count = 0;
    *block_size = 0;
    if (run_argv(argv, &o) == 0 && out) {
        char *p = strstr(out, "Block count:");
        if (p)
            count = strtoull(p + 12, NULL, 10);
        p = strstr(out, "Block size:");
        if (p)
            *block_size = strtoull(p + 11, NULL, 10);
    }
    free(out);
    return count;
}

int fs_minimize(const char *image, uint64_t *bytes)
{
    if (fs_check(image, "ext4") < 0)
        return -1;
    const char *argv[] = { "resize2fs", "-M", image, NULL };
    int r = run_argv(argv, NULL);
    if (r != 0)
        return log_fail("resize2fs -M %s failed (status %d): %s", image, r, run_last_output());
    uint64_t bs, count = ext_block_info(image, &bs);
    if (!count || !bs)
        return log_fail("cannot read the size of %s after shrinking", image);
    uint64_t size = count * bs;
    if (truncate(image, (off_t)size) < 0)
        return log_fail("cannot truncate %s: %s", image, strerror(errno));
    if (bytes)
        *bytes = size;
    log_verbose("minimized %s to %llu MiB", image, (unsigned long long)(size >> 20));
    return 0;
}

int fs_resize(const char *image, uint64_t bytes)
{
    struct stat st;
    if (stat(image, &st) < 0)
        return log_fail("cannot stat %s: %s", image, strerror(errno));
    if ((uint64_t)st.st_size < bytes && truncate(image, (off_t)bytes) < 0)
        return log_fail("cannot grow %s: %s", image, strerror(errno));
    char *sz = xasprintf("%lluK", (unsigned long long)(bytes >> 10));
    const char *argv[] = { "resize2fs", image, sz, NULL };
    int r = run_argv(argv, NULL);
    free(sz);
    if (r != 0)
        return log_fail("resize2fs %s failed (status %d): %s", image, r, run_last_output());
    if ((uint64_t)st.st_size > bytes && truncate(image, (off_t)bytes) < 0)
        return log_fail("cannot shrink %s: %s", image, strerror(errno));
    return 0;
}

int fs_trim(const char *mountpoint, uint64_t *trimmed)
{
    if (trimmed)
        *trimmed = 0;
    int fd = open(mountpoint, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return log_fail("cannot open %s: %s", mountpoint, strerror(errno));
    /* freed extents count as free only once the deferred frees ran and
     * their transaction is on disk: statfs runs xfs's pending inode
     * inactivation, syncfs commits the log (xfs) or transaction (btrfs) */
    struct statfs sfs;
    for (int i = 0; i < 2; i++) {
        fstatfs(fd, &sfs);
        syncfs(fd);
    }
    struct fstrim_range r = { .start = 0, .len = UINT64_MAX, .minlen = 0 };
    int rc = ioctl(fd, FITRIM, &r);
    int err = errno;
    close(fd);
    if (rc < 0) {
        if (err == EOPNOTSUPP || err == ENOTTY) {
            log_verbose("%s: no discard support, free blocks stay allocated", mountpoint);
            return 0;
        }
        return log_fail("cannot discard the free blocks of %s: %s", mountpoint, strerror(err));
    }
    if (trimmed)
        *trimmed = r.len;
    log_verbose("discarded %llu MiB of free blocks in %s", (unsigned long long)(r.len >> 20), mountpoint);
    return 0;
}
