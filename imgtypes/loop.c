/* loop.c - plain filesystem (loop) image backend: image-creator's default.
 *
 * The root is one filesystem image of `part /` (size, --fstype, --label);
 * the artifact is <outdir>/<name>.img.
 */
#define _GNU_SOURCE
#include "core/imgtype.h"
#include "imgtypes/loop.h"
#include "core/base/cleanup.h"
#include "core/creator.h"
#include "core/base/fs.h"
#include "core/base/log.h"
#include "core/base/mount.h"
#include "core/base/run.h"
#include "core/base/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void loop_opts_init(struct loop_opts *o)
{
    *o = (struct loop_opts){ .skip_minimize = false };
}

struct loop_state {
    char *image;
    const char *fstype;
    uint64_t size;          /* what part / --size asked for (default 4096 MiB) */
    int loop_id, mount_id;
};

static int loop_mount(struct creator *cr)
{
    struct loop_state *st = xcalloc(1, sizeof *st);
    cr->priv = st;
    const struct ks_part *root = ks_find_part(cr->ks, "/");
    long mib = root && root->size > 0 ? root->size : 4096;
    st->fstype = root && root->fstype ? root->fstype : "ext4";
    if (strcmp(st->fstype, "ext4") && strcmp(st->fstype, "ext3") && strcmp(st->fstype, "ext2") &&
        strcmp(st->fstype, "xfs") && strcmp(st->fstype, "btrfs"))
        return log_fail("%s:%d: unsupported root filesystem type for a loop image: %s",
                        root->loc.file, root->loc.line, st->fstype);
    const char *label = root && root->label ? root->label : cr->fslabel;
    st->image = xasprintf("%s/%s.img", cr->workdir, cr->name);
    st->size = (uint64_t)mib << 20;
    if (fs_make_sparse(st->image, st->size) < 0 ||
        fs_mkfs(st->image, st->fstype, label, NULL) < 0)
        return -1;
    char dev[64];
    st->loop_id = loop_attach(st->image, 0, 0, false, dev, sizeof dev);
    if (st->loop_id < 0)
        return -1;
    st->mount_id = mount_fs(dev, cr->instroot, st->fstype, 0, NULL);
    if (st->mount_id < 0)
        return -1;
    char *fstab = path_join(cr->instroot, "etc/fstab");
    char *etc = path_join(cr->instroot, "etc");
    mkdir_p(etc, 0755);
    char *line = xasprintf("LABEL=%s / %s defaults 0 0\n", label, st->fstype);
    write_file(fstab, line, 0644);
    free(line);
    free(etc);
    free(fstab);
    return 0;
}

static int loop_unmount(struct creator *cr)
{
    struct loop_state *st = cr->priv;
    if (!st)
        return 0;
    int rc = 0;
    /* the blocks of deleted files (rpm's temporary files, %post's) go out of
     * the image file: the free space is sparse for every file system type */
    if (st->mount_id > 0 && fs_trim(cr->instroot, NULL) < 0)
        rc = -1;
    if (st->mount_id > 0 && mount_release(st->mount_id) < 0)
        rc = -1;
    st->mount_id = 0;
    if (st->loop_id > 0 && cleanup_release(st->loop_id) < 0)
        rc = -1;
    st->loop_id = 0;
    return rc;
}

static void loop_free(struct creator *cr)
{
    struct loop_state *st = cr->priv;
    if (!st)
        return;
    free(st->image);
    free(st);
    cr->priv = NULL;
}

static int loop_stage(struct creator *cr)
{
    struct loop_state *st = cr->priv;
    if (fs_check(st->image, st->fstype) < 0)
        return -1;
    const struct loop_opts *o = cr->type_opts;
    /* as upstream's LoopImageCreator: shrink to the minimum (dropping the
     * tail), then grow sparsely back, so the image keeps the size that part /
     * asked for; xfs and btrfs keep it as made (trimmed at unmount) */
    if (!o->skip_minimize && str_startswith(st->fstype, "ext")) {
        uint64_t min = 0;
        if (fs_minimize(st->image, &min) < 0 || fs_resize(st->image, st->size) < 0)
            return -1;
        log_verbose("root file system minimized to %llu MiB and re-sparsed to %llu MiB",
                    (unsigned long long)(min >> 20), (unsigned long long)(st->size >> 20));
    }
    char *dst = xasprintf("%s/%s.img", cr->outdir, cr->name);
    char *tmp = xasprintf("%s.part", dst);
    int rc = 0;
    if (rename(st->image, dst) < 0) {
        if (errno != EXDEV) {
            rc = log_fail("cannot move the image to %s: %s", dst, strerror(errno));
        } else {
            const char *argv[] = { "cp", "--sparse=always", st->image, tmp, NULL };
            if (run_argv(argv, NULL) != 0 || rename(tmp, dst) < 0) {
                unlink(tmp);
                rc = log_fail("cannot copy the image to %s", dst);
            }
        }
    }
    if (rc == 0)
        creator_add_artifact(cr, dst);
    free(dst);
    free(tmp);
    loop_free(cr);
    return rc;
}

const struct imgtype imgtype_loop = {
    .name = "loop",
    .description = "a plain filesystem image of the root (image-creator)",
    .mount_instroot = loop_mount,
    .unmount_instroot = loop_unmount,
    .stage_final_image = loop_stage,
    .free_state = loop_free,
};
