/* livecd_rootfs.c - the live root file system image (see livecd_internal.h):
 * a sparse ext4 rootfs.img made here or taken from a --base-on ISO, loop
 * mounted at the install root; released (licenses, livecd-iso-to-disk, the
 * dracut snippet dropped, reproducible times) and unmounted; then checked,
 * rebuilt reproducibly, minimized and squashed into LiveOS/squashfs.img.
 */
#define _GNU_SOURCE
#include "imgtypes/livecd_internal.h"
#include "core/base/cleanup.h"
#include "core/base/fs.h"
#include "core/base/log.h"
#include "core/base/mount.h"
#include "core/base/reproducible.h"
#include "core/base/run.h"
#include "core/base/util.h"
#include "core/creator.h"
#include "core/manifest.h"
#include "core/squashfs.h"
#include "core/stage.h"

#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

/* The label of rootfs.img: '_' and the ISO label, cut to ext4's 16 bytes, as
 * livecd-tools: never the medium's own label, so LABEL=<volid> lookups (udev's
 * by-label link, root=live:CDLABEL=) cannot land on the root file system. */
static void rootfs_label(const struct creator *cr, char label[17])
{
    snprintf(label, 17, "_%s", cr->fslabel);
}

/* mkfs for the live root; with SOURCE_DATE_EPOCH the UUID, directory hash
 * seed and superblock times are derived from it. */
static int live_mkfs(struct creator *cr, struct live_state *st)
{
    char label[17];
    rootfs_label(cr, label);
    if (st->sde < 0)
        return fs_mkfs(st->image, st->fstype, label, NULL);
    char uuid[37], seed[37], fake[32];
    reproducible_uuid(st->sde, "rootfs-uuid", uuid);
    reproducible_uuid(st->sde, "rootfs-hash-seed", seed);
    snprintf(fake, sizeof fake, "E2FSPROGS_FAKE_TIME=%lld", st->sde);
    char *mkfs = xasprintf("mkfs.%s", st->fstype);
    char *ext = xasprintf("hash_seed=%s", seed);
    const char *argv[] = { mkfs, "-F", "-q", "-L", label, "-U", uuid, "-E", ext, st->image, NULL };
    const char *env[] = { fake, NULL };
    struct run_opts o = { .env = env };
    int rc = run_argv(argv, &o);
    if (rc != 0)
        log_fail("%s failed: %s", mkfs, run_last_output());
    free(mkfs);
    free(ext);
    return rc == 0 ? 0 : -1;
}

/* -b/--base-on: the root file system of an existing live ISO becomes the
 * start: LiveOS/squashfs.img (rootfs.img/ext3fs.img inside, or flat) or
 * LiveOS/rootfs.img on the medium. */
static int base_on_extract(struct creator *cr, struct live_state *st, const char *base_on, char **flat_tree)
{
    char *dir = path_join(cr->workdir, "base-on");
    int rc = -1;
    mkdir_p(dir, 0755);
    const char *x[] = { "bsdtar", "-xf", base_on, "-C", dir, "LiveOS", NULL };
    if (run_argv(x, NULL) != 0) {
        log_fail("cannot read LiveOS/ from %s: %s", base_on, run_last_output());
        goto out;
    }
    char *sq = path_join(dir, "LiveOS/squashfs.img"), *direct = path_join(dir, "LiveOS/rootfs.img");
    if (!st->comp.type) {
        /* --compression-type None; upstream falls back to gzip when it cannot tell */
        bool found = squashfs_comp_resolve(&st->comp, sq);
        log_info("compression type from %s: %s%s", base_on, st->comp.type,
                 found ? "" : " (undetermined there)");
    }
    if (path_exists(sq)) {
        char *tree = path_join(dir, "tree");
        const char *u[] = { "unsquashfs", "-n", "-d", tree, sq, NULL };
        if (run_argv(u, NULL) != 0) {
            log_fail("unsquashfs of %s's squashfs.img failed: %s", base_on, run_last_output());
            free(tree);
        } else {
            char *img = path_join(tree, "LiveOS/rootfs.img"), *img3 = path_join(tree, "LiveOS/ext3fs.img");
            const char *found = path_exists(img) ? img : path_exists(img3) ? img3 : NULL;
            if (found) {
                rc = rename(found, st->image) == 0 ? 0 : log_fail("cannot move %s: %s", found, strerror(errno));
                rm_rf(tree);
                free(tree);
            } else {
                *flat_tree = tree;   /* a flat squashfs: copy the tree after mkfs */
                rc = 0;
            }
            free(img);
            free(img3);
        }
    } else if (path_exists(direct)) {
        rc = rename(direct, st->image) == 0 ? 0 : log_fail("cannot move %s: %s", direct, strerror(errno));
    } else {
        log_fail("%s has no LiveOS/squashfs.img or LiveOS/rootfs.img", base_on);
    }
    free(sq);
    free(direct);
out:
    free(dir);
    return rc;
}

int live_rootfs_mount(struct creator *cr, struct live_state *st, const char *base_on)
{
    if (st->sde >= 0) {
        /* every e2fsprogs run (mkfs, e2fsck, resize2fs) then stamps this time */
        char t[32];
        snprintf(t, sizeof t, "%lld", st->sde);
        setenv("E2FSPROGS_FAKE_TIME", t, 1);
        setenv("E2FSCK_TIME", t, 1);
    }
    const struct ks_part *root = ks_find_part(cr->ks, "/");
    long mib = root && root->size > 0 ? root->size : 4096;
    st->fstype = root && root->fstype ? root->fstype : "ext4";
    if (strcmp(st->fstype, "ext4") && strcmp(st->fstype, "ext3") && strcmp(st->fstype, "ext2")) {
        if (root)
            return log_fail("%s:%d: a live image needs an ext2/3/4 root file system, not %s",
                            root->loc.file, root->loc.line, st->fstype);
        return log_fail("a live image needs an ext2/3/4 root file system, not %s", st->fstype);
    }
    st->size = (uint64_t)mib << 20;
    st->image = path_join(cr->workdir, "rootfs.img");
    char label[17];
    rootfs_label(cr, label);
    log_verbose("live root: %s, %ld MiB %s, label %s", st->image, mib, st->fstype, label);
    char *flat_tree = NULL;
    bool have_image = false;
    if (!st->comp.type && !base_on) {
        squashfs_comp_resolve(&st->comp, NULL);
        log_warn("--compression-type None reads the type from a --base-on image; none given: %s",
                 st->comp.type);
    }
    if (base_on) {
        log_info("Starting from the root file system of %s", base_on);
        if (base_on_extract(cr, st, base_on, &flat_tree) < 0)
            return -1;
        have_image = !flat_tree;
    }
    if (have_image) {
        struct stat sb;
        if (stat(st->image, &sb) == 0 && (uint64_t)sb.st_size > st->size)
            st->size = (uint64_t)sb.st_size;
        if (fs_check(st->image, st->fstype) < 0 || fs_resize(st->image, st->size) < 0)
            return -1;
    } else if (fs_make_sparse(st->image, st->size) < 0 || live_mkfs(cr, st) < 0) {
        free(flat_tree);
        return -1;
    }
    char dev[64];
    st->loop_id = loop_attach(st->image, 0, 0, false, dev, sizeof dev);
    if (st->loop_id < 0)
        return -1;
    st->mount_id = mount_fs(dev, cr->instroot, st->fstype, 0, NULL);
    if (st->mount_id < 0)
        return -1;
    if (flat_tree) {
        char *src = xasprintf("%s/.", flat_tree);
        const char *cp[] = { "cp", "-a", src, cr->instroot, NULL };
        int r = run_argv(cp, NULL);
        free(src);
        rm_rf(flat_tree);
        free(flat_tree);
        if (r != 0)
            return log_fail("cannot copy the base image's tree: %s", run_last_output());
    }
    return 0;
}

/* SOURCE_DATE_EPOCH: a kernel-written ext4 is not reproducible (inode
 * change times, journal, allocation); rebuild rootfs.img with mke2fs -d from
 * the tree as an uncompressed squashfs (whose inodes report ctime = mtime),
 * with the derived UUID and hash seed and E2FSPROGS_FAKE_TIME. */
static int rebuild_reproducible(struct creator *cr, struct live_state *st)
{
    double t0 = now_seconds();
    char *tree = path_join(cr->workdir, "tree.sqfs");
    char *fresh = path_join(cr->workdir, "rootfs.img.new");
    char dev[64];
    int rc = -1;
    struct squashfs_opts so = { .uncompressed = true };
    int loop = loop_attach(st->image, 0, 0, true, dev, sizeof dev);
    if (loop < 0)
        goto out;
    int m = mount_fs(dev, cr->instroot, st->fstype, MS_RDONLY, NULL);
    int r = m >= 0 ? squashfs_make(cr->instroot, tree, &so) : -1;
    if (m >= 0 && mount_release(m) < 0)
        r = -1;
    if (cleanup_release(loop) < 0 || r < 0)
        goto out;
    loop = loop_attach(tree, 0, 0, true, dev, sizeof dev);
    if (loop < 0)
        goto out;
    m = mount_fs(dev, cr->instroot, "squashfs", MS_RDONLY, NULL);
    if (m >= 0) {
        char uuid[37], seed[37], label[17];
        reproducible_uuid(st->sde, "rootfs-uuid", uuid);
        reproducible_uuid(st->sde, "rootfs-hash-seed", seed);
        rootfs_label(cr, label);
        char *mkfs = xasprintf("mkfs.%s", st->fstype), *ext = xasprintf("hash_seed=%s", seed);
        r = fs_make_sparse(fresh, st->size);
        const char *argv[] = { mkfs, "-F", "-q", "-L", label, "-U", uuid, "-E", ext, "-d", cr->instroot, fresh, NULL };
        if (r == 0 && run_argv(argv, NULL) != 0)
            r = log_fail("%s -d failed: %s", mkfs, run_last_output());
        free(mkfs);
        free(ext);
        if (mount_release(m) < 0)
            r = -1;
    } else {
        r = -1;
    }
    if (cleanup_release(loop) < 0 || r < 0)
        goto out;
    if (rename(fresh, st->image) < 0) {
        log_fail("cannot replace %s: %s", st->image, strerror(errno));
        goto out;
    }
    log_info("root file system rebuilt reproducibly (SOURCE_DATE_EPOCH=%lld) in %.1f s", st->sde,
             now_seconds() - t0);
    rc = 0;
out:
    unlink(tree);
    unlink(fresh);
    free(tree);
    free(fresh);
    return rc;
}

/* --flat-squashfs: the root tree itself, read-only mounted again */
static int squash_flat(struct creator *cr, struct live_state *st, const char *sq,
                       const struct squashfs_opts *so)
{
    char dev[64];
    int loop = loop_attach(st->image, 0, 0, true, dev, sizeof dev);
    if (loop < 0)
        return -1;
    int m = mount_fs(dev, cr->instroot, st->fstype, MS_RDONLY, NULL);
    int rc = -1;
    if (m >= 0) {
        rc = squashfs_make(cr->instroot, sq, so);
        if (mount_release(m) < 0)
            rc = -1;
    }
    if (cleanup_release(loop) < 0)
        rc = -1;
    return rc;
}

int live_rootfs_squash(struct creator *cr, struct live_state *st, bool minimize, bool uncompressed,
                       bool flat_squashfs)
{
    int rc = -1;
    char *livedir = path_join(cr->stagedir, "LiveOS");
    char *sqroot = path_join(cr->workdir, "squashfs-root");
    char *sqlive = path_join(sqroot, "LiveOS");
    char *sqimg = path_join(sqlive, "rootfs.img");
    if (mkdir_p(livedir, 0755) < 0) {
        log_fail("cannot create %s: %s", livedir, strerror(errno));
        goto out;
    }

    double t0 = now_seconds();
    bool flat = flat_squashfs && !uncompressed;
    if (fs_check(st->image, st->fstype) < 0)
        goto out;
    if (st->sde >= 0 && !flat && rebuild_reproducible(cr, st) < 0)
        goto out;
    if (minimize && !flat) {
        /* compact the data at the start, then give the live system its free
         * space back as a sparse tail (livecd-creator's resparse) */
        uint64_t min = 0;
        if (fs_minimize(st->image, &min) < 0 || fs_resize(st->image, st->size) < 0)
            goto out;
        log_info("root file system minimized to %llu MiB (%.1f s)", (unsigned long long)(min >> 20),
                 now_seconds() - t0);
    }
    st->t_minimize = now_seconds() - t0;

    t0 = now_seconds();
    char *sq = path_join(livedir, "squashfs.img");
    struct squashfs_opts so = { .comp = &st->comp };
    int r;
    if (uncompressed) {
        /* as livecd-creator: LiveOS/rootfs.img itself on the medium */
        char *direct = path_join(livedir, "rootfs.img");
        r = rename(st->image, direct) == 0 ? 0 : log_fail("cannot move %s: %s", st->image, strerror(errno));
        free(direct);
    } else if (flat) {
        r = squash_flat(cr, st, sq, &so);
    } else {
        if (mkdir_p(sqlive, 0755) < 0 || rename(st->image, sqimg) < 0) {
            log_fail("cannot move %s to %s: %s", st->image, sqimg, strerror(errno));
            free(sq);
            goto out;
        }
        r = squashfs_make(sqroot, sq, &so);
        if (!cr->nocleanup)
            unlink(sqimg);
    }
    free(sq);
    st->t_squashfs = now_seconds() - t0;
    rc = r;
out:
    free(sqimg);
    free(sqlive);
    free(sqroot);
    free(livedir);
    return rc;
}

/* unmount: what the ISO takes from the root, then the root itself */
/* ---------------------------------------------------------------- unmount */

int live_rootfs_release(struct creator *cr, struct live_state *st)
{
    int rc = 0;
    if (st->mount_id > 0 && cr->resultdir) {
        /* the rpm database is read while the root is still mounted */
        free(st->rpm_manifest);
        st->rpm_manifest = path_join(cr->workdir, "rpm-manifest.tsv");
        if (manifest_rpm_query(cr->instroot, st->rpm_manifest) < 0)
            return -1;
    }
    if (st->mount_id > 0) {
        /* as livecd-creator: the release's license files at the ISO root and
         * livecd-iso-to-disk (persistent overlays on USB) in LiveOS/ */
        glob_t g;
        char *pat = path_join(cr->instroot, "usr/share/licenses/*-release-common/*");
        if (glob(pat, 0, NULL, &g) == 0) {
            for (size_t i = 0; i < g.gl_pathc; i++) {
                const char *b = strrchr(g.gl_pathv[i], '/') + 1;
                if (stage_copy(g.gl_pathv[i], cr->stagedir, b, 0644) < 0)
                    rc = -1;
            }
            globfree(&g);
        }
        free(pat);
        char *litd = path_join(cr->instroot, "usr/bin/livecd-iso-to-disk");
        if (path_exists(litd) && stage_copy(litd, cr->stagedir, "LiveOS/livecd-iso-to-disk", 0755) < 0)
            rc = -1;
        free(litd);
        /* the dracut snippet is for the build only (as livecd-creator) */
        char *conf = path_join(cr->instroot, LIVE_DRACUT_CONF);
        char *rpmnew = xasprintf("%s.rpmnew", conf);
        unlink(conf);
        if (path_exists(rpmnew))
            rename(rpmnew, conf);
        free(rpmnew);
        free(conf);
        /* sqlite's shared-memory index of the rpm database is runtime state
         * (rebuilt on open); it is not shipped, as in Fedora's images */
        static const char *const shm[] = { "usr/lib/sysimage/rpm/rpmdb.sqlite-shm", "var/lib/rpm/rpmdb.sqlite-shm" };
        for (size_t i = 0; i < 2; i++) {
            char *p = path_join(cr->instroot, shm[i]);
            char *wal = xstrndup(p, strlen(p) - 4);
            char *walp = xasprintf("%s-wal", wal);
            struct stat ws;
            if (stat(walp, &ws) < 0 || ws.st_size == 0)
                unlink(p);
            free(p), free(wal), free(walp);
        }
        if (st->sde >= 0) {
            long n = reproducible_clamp_tree(cr->instroot, st->sde);
            log_verbose("SOURCE_DATE_EPOCH: %ld file times clamped to %lld", n, st->sde);
        }
        if (mount_release(st->mount_id) < 0)
            rc = -1;
        st->mount_id = 0;
    }
    if (st->loop_id > 0 && cleanup_release(st->loop_id) < 0)
        rc = -1;
    st->loop_id = 0;
    return rc;
}
