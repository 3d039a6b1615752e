/* raw.c - partitioned disk image backend (image-creator --image-type raw,
 * appliance-creator).
 *
 * mount_instroot: plan the layout from `part`/`reqpart`/`clearpart` (all
 *   errors before anything is written), write each disk's table with libfdisk,
 *   attach every partition as a loop device at the offsets read back, mkfs,
 *   mount the filesystems at their mount points under the install root (the
 *   ESP is a directory there: this kernel cannot mount vfat; it is copied in
 *   with mtools at unmount), /etc/fstab by UUID.
 * create_bootconfig: GRUB2 BIOS/UEFI (or extlinux) from the image's packages.
 * unmount_instroot: ESP filled, filesystems unmounted and checked, loops detached.
 * stage_final_image: <outdir>/<name>-<disk>.<format>, checksums, bmap, the
 *   libvirt XML <name>.xml, a qcow2 overlay on request.
 */
#define _GNU_SOURCE
#include "core/imgtype.h"
#include "core/base/strv.h"
#include "core/bootloader_disk.h"
#include "core/base/cleanup.h"
#include "core/creator.h"
#include "core/base/fs.h"
#include "core/libvirt_xml.h"
#include "core/base/log.h"
#include "core/base/mount.h"
#include "core/partition.h"
#include "core/base/run.h"
#include "core/base/util.h"
#include "core/vmformat.h"
#include "imgtypes/raw.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct raw_state {
    struct part_layout *layout;
    char **disk_paths;          /* per disk, in workdir */
    char (*loopdev)[64];        /* per partition */
    int *loop_id;               /* per partition */
    int *mount_id;              /* per partition (0 = not mounted) */
    size_t *mount_order;        /* partition indexes in mount order */
    size_t nmounted;
    bool bios, uefi;
};

static int path_depth(const char *path)
{
    if (!strcmp(path, "/"))
        return 0;
    int n = 0;
    for (const char *p = path; *p; p++)
        n += *p == '/';
    return n;
}

static int read_uuid(const char *dev, char *out, size_t len)
{
    char *s = NULL;
    const char *argv[] = { "blkid", "-p", "-o", "value", "-s", "UUID", dev, NULL };
    struct run_opts ro = { 0 };
    ro.capture = &s;
    int r = run_argv(argv, &ro);
    if (r != 0 || !s || !*s) {
        free(s);
        return log_fail("cannot read the filesystem UUID of %s (blkid status %d)", dev, r);
    }
    s[strcspn(s, "\n")] = 0;
    snprintf(out, len, "%s", s);
    free(s);
    return 0;
}

void raw_opts_init(struct raw_opts *o)
{
    *o = (struct raw_opts){ .format = "raw", .libvirt_xml = true, .vcpu = 1, .vmem_mib = 512 };
}

int raw_opts_check(const struct raw_opts *o, char *err, size_t errlen)
{
    enum part_label lb;
    if (!o->format || !vm_format_valid(o->format))
        snprintf(err, errlen, "unknown format '%s' (raw, raw.xz, qcow2, vmdk, vdi, vhdx)",
                 o->format ? o->format : "");
    else if (o->disklabel && part_label_parse(o->disklabel, &lb) < 0)
        snprintf(err, errlen, "--disklabel: expected gpt or msdos, got '%s'", o->disklabel);
    else if (o->overlay && strcmp(o->format, "qcow2"))
        snprintf(err, errlen, "--overlay needs --format qcow2");
    else if (o->vmem_mib < 16)
        snprintf(err, errlen, "--vmem: expected a number >= 16, got '%ld'", o->vmem_mib);
    else if (o->vcpu < 1)
        snprintf(err, errlen, "--vcpu: expected a number >= 1, got '%d'", o->vcpu);
    else if (o->disk_mib != 0 && o->disk_mib < 4)
        snprintf(err, errlen, "--disk-size: expected a number >= 4, got '%ld'", o->disk_mib);
    else
        return 0;
    return -1;
}

static const struct raw_opts *opts(const struct creator *cr)
{
    return cr->type_opts;
}

/* Options the planner takes from the kickstart and the tool. */
static int plan_opts(const struct kickstart *ks, const struct raw_opts *o, struct part_plan_opts *po)
{
    memset(po, 0, sizeof *po);
    po->label = PART_LABEL_GPT;
    const char *dl = o->disklabel;
    if (!dl && ks->clearpart.seen && ks->clearpart.disklabel && *ks->clearpart.disklabel)
        dl = ks->clearpart.disklabel;
    if (dl && part_label_parse(dl, &po->label) < 0) {
        if (!o->disklabel && ks->clearpart.loc.file)
            return log_fail("%s:%d: clearpart --disklabel=%s: expected gpt or msdos", ks->clearpart.loc.file,
                            ks->clearpart.loc.line, dl);
        return log_fail("unknown disk label '%s': expected gpt or msdos", dl);
    }
    po->bios = !o->no_bios;
    po->uefi = !o->no_uefi && po->label == PART_LABEL_GPT;
    po->reqpart = ks->reqpart.seen || strv_contains(&ks->ignored, "reqpart");
    po->reqpart_add_boot = ks->reqpart.seen && ks->reqpart.add_boot;
    po->disk_bytes = (uint64_t)(o->disk_mib > 0 ? o->disk_mib : 0) * PART_MIB;
    if (ks->bootloader.seen && ks->bootloader.boot_drive && *ks->bootloader.boot_drive)
        po->boot_drive = ks->bootloader.boot_drive;
    return 0;
}

/* Validate the kickstart's partitioning without writing anything (used by the
 * tools right after parsing, and by mount_instroot). */
int raw_plan_check(const struct kickstart *ks, const struct raw_opts *o, struct part_layout **out)
{
    struct part_plan_opts po;
    if (plan_opts(ks, o, &po) < 0)
        return -1;
    struct part_layout *l = NULL;
    if (part_plan(ks, &po, &l) < 0)
        return -1;
    if (out)
        *out = l;
    else
        part_layout_free(l);
    return 0;
}

static int write_fstab(struct creator *cr, struct raw_state *st)
{
    struct part_layout *l = st->layout;
    char *s = xstrdup("# /etc/fstab written by kscreate (filesystems by UUID)\n");
    /* in mount order so that parents come first */
    for (size_t k = 0; k < st->nmounted; k++) {
        struct part_spec *p = &l->parts[st->mount_order[k]];
        const char *opts = p->fsoptions ? p->fsoptions
                         : p->kind == PART_ESP ? "umask=0077,shortname=winnt" : "defaults";
        int pass = !strcmp(p->mntpoint, "/") ? 1 : 2;
        if (!strcmp(p->fstype, "xfs") || !strcmp(p->fstype, "btrfs"))
            pass = 0;
        char *t = xasprintf("%sUUID=%s %-10s %-6s %s 0 %d\n", s, p->uuid, p->mntpoint, p->fstype, opts, pass);
        free(s);
        s = t;
    }
    for (size_t i = 0; i < l->nparts; i++) {
        struct part_spec *p = &l->parts[i];
        if (p->kind != PART_SWAP)
            continue;
        char *t = xasprintf("%sUUID=%s none       swap   %s 0 0\n", s, p->uuid, p->fsoptions ? p->fsoptions : "defaults");
        free(s);
        s = t;
    }
    char *etc = path_join(cr->instroot, "etc");
    mkdir_p(etc, 0755);
    char *f = path_join(etc, "fstab");
    int rc = write_file(f, s, 0644) < 0 ? log_fail("cannot write %s: %s", f, strerror(errno)) : 0;
    free(f);
    free(etc);
    free(s);
    return rc;
}

static int raw_mount(struct creator *cr)
{
    struct raw_state *st = xcalloc(1, sizeof *st);
    cr->priv = st;
    const struct raw_opts *o = opts(cr);
    char err[256];
    if (raw_opts_check(o, err, sizeof err) < 0)
        return log_fail("%s", err);
    if (raw_plan_check(cr->ks, o, &st->layout) < 0)
        return -1;
    struct part_layout *l = st->layout;
    char *desc = part_describe(l);
    log_info("Disk layout:\n%s", desc);
    free(desc);
    st->bios = !o->no_bios;
    st->uefi = !o->no_uefi && part_find(l, "/boot/efi");

    st->disk_paths = xcalloc(l->ndisks + 1, sizeof *st->disk_paths);
    for (size_t d = 0; d < l->ndisks; d++) {
        st->disk_paths[d] = xasprintf("%s/%s-%s.raw", cr->workdir, cr->name, l->disks[d].name);
        if (part_write_table(l, d, st->disk_paths[d]) < 0)
            return -1;
    }
    st->loopdev = xcalloc(l->nparts, sizeof *st->loopdev);
    st->loop_id = xcalloc(l->nparts, sizeof *st->loop_id);
    st->mount_id = xcalloc(l->nparts, sizeof *st->mount_id);
    st->mount_order = xcalloc(l->nparts, sizeof *st->mount_order);
    for (size_t i = 0; i < l->nparts; i++) {
        struct part_spec *p = &l->parts[i];
        if (p->kind == PART_BIOSBOOT || p->kind == PART_PREPBOOT)
            continue;
        st->loop_id[i] = loop_attach(st->disk_paths[p->disk], p->start, p->size, false, st->loopdev[i],
                                     sizeof st->loopdev[i]);
        if (st->loop_id[i] < 0)
            return -1;
        const char *label = p->label;
        if (!label && !strcmp(p->mntpoint, "/"))
            label = NULL;
        if (fs_mkfs(st->loopdev[i], p->fstype, label, NULL) < 0)
            return -1;
        if (read_uuid(st->loopdev[i], p->uuid, sizeof p->uuid) < 0)
            return -1;
        log_verbose("partition %d (%s): %s %s UUID=%s at %llu MiB", p->partno, p->mntpoint, st->loopdev[i],
                    p->fstype, p->uuid, (unsigned long long)(p->start >> 20));
    }
    /* mount order: by depth of the mount point, / first */
    size_t n = 0;
    for (int depth = 0; depth < 64; depth++)
        for (size_t i = 0; i < l->nparts; i++) {
            struct part_spec *p = &l->parts[i];
            if ((p->kind == PART_FS || p->kind == PART_ESP) && path_depth(p->mntpoint) == depth)
                st->mount_order[n++] = i;
        }
    for (size_t k = 0; k < n; k++) {
        size_t i = st->mount_order[k];
        struct part_spec *p = &l->parts[i];
        char *dir = path_join(cr->instroot, p->mntpoint);
        if (p->kind == PART_ESP) {
            /* no vfat in this kernel: a directory now, copied in with mtools later */
            mkdir_p(dir, 0700);
        } else {
            st->mount_id[i] = mount_fs(st->loopdev[i], dir, p->fstype, 0, NULL);
            if (st->mount_id[i] < 0) {
                free(dir);
                return -1;
            }
        }
        free(dir);
        st->nmounted = k + 1;
    }
    return write_fstab(cr, st);
}

static int raw_bootconfig(struct creator *cr)
{
    struct raw_state *st = cr->priv;
    struct part_layout *l = st->layout;
    struct part_spec *rootp = &l->parts[l->root];
    struct part_spec *bootp = part_find(l, "/boot");
    size_t bdisk = l->bootdisk;
    const char *loc = cr->ks->bootloader.seen ? cr->ks->bootloader.location : NULL;
    if (loc && !strcmp(loc, "none")) {
        log_info("bootloader --location=none: no boot loader installed");
        return 0;
    }
    if (loc && *loc && strcmp(loc, "mbr") && strcmp(loc, "boot"))
        log_warn("bootloader --location=%s: installing to the MBR/BIOS boot partition", loc);
    struct bootdisk_opts bo = { 0 };
    bo.instroot = cr->instroot;
    bo.workdir = cr->workdir;
    bo.disk_path = st->disk_paths[bdisk];
    bo.layout = l;
    bo.title = cr->title;
    bo.kernel_args = cr->kernel_args;
    bo.timeout = cr->bootloader_timeout;
    bo.bios = st->bios;
    bo.uefi = st->uefi;
    bo.want_extlinux = opts(cr)->extlinux || cr->ks->bootloader.extlinux;
    struct part_spec *fsboot = bootp ? bootp : rootp;
    bo.boot_dev = st->loopdev[fsboot - l->parts];
    struct bootdisk_result res;
    if (bootdisk_install(&bo, &res) < 0)
        return -1;
    log_info("Boot loader: %s%s%s%s (%d kernel%s)", res.grub_bios ? "GRUB2 BIOS " : "",
             res.extlinux ? "extlinux " : "", res.grub_uefi ? "GRUB2 UEFI" : "",
             !res.grub_bios && !res.extlinux && !res.grub_uefi ? "none" : "", res.nkernels,
             res.nkernels == 1 ? "" : "s");
    return 0;
}

static int raw_unmount(struct creator *cr)
{
    struct raw_state *st = cr->priv;
    if (!st || !st->layout)
        return 0;
    struct part_layout *l = st->layout;
    int rc = 0;
    /* the ESP directory goes into the FAT partition, then leaves the root */
    for (size_t i = 0; i < l->nparts; i++) {
        struct part_spec *p = &l->parts[i];
        if (p->kind != PART_ESP || !st->loop_id[i])
            continue;
        char *dir = path_join(cr->instroot, p->mntpoint);
        if (bootdisk_fill_esp(st->loopdev[i], dir) < 0)
            rc = -1;
        else
            rm_rf(dir), mkdir_p(dir, 0700);
        free(dir);
    }
    for (size_t k = st->nmounted; k-- > 0;) {
        size_t i = st->mount_order[k];
        if (st->mount_id[i] > 0 && mount_release(st->mount_id[i]) < 0)
            rc = -1;
        st->mount_id[i] = 0;
    }
    st->nmounted = 0;
    for (size_t i = 0; i < l->nparts; i++) {
        struct part_spec *p = &l->parts[i];
        if (st->loop_id[i] <= 0)
            continue;
        if (rc == 0 && p->kind == PART_FS && str_startswith(p->fstype, "ext") &&
            fs_check(st->loopdev[i], p->fstype) < 0)
            rc = -1;
        if (cleanup_release(st->loop_id[i]) < 0)
            rc = -1;
        st->loop_id[i] = 0;
    }
    return rc;
}

static void raw_free(struct creator *cr)
{
    struct raw_state *st = cr->priv;
    if (!st)
        return;
    if (st->layout)
        for (size_t d = 0; d < st->layout->ndisks; d++)
            free(st->disk_paths[d]);
    free(st->disk_paths);
    free(st->loopdev);
    free(st->loop_id);
    free(st->mount_id);
    free(st->mount_order);
    part_layout_free(st->layout);
    free(st);
    cr->priv = NULL;
}

static int raw_stage(struct creator *cr)
{
    struct raw_state *st = cr->priv;
    struct part_layout *l = st->layout;
    const struct raw_opts *o = opts(cr);
    const char *format = o->format;   /* raw_opts_check'ed at mount */
    bool compress = o->compress;
    if (!strcmp(format, "raw") && compress)
        format = "raw.xz";
    int rc = 0;
    struct vm_disk *vd = xcalloc(l->ndisks, sizeof *vd);
    char **outs = xcalloc(l->ndisks, sizeof *outs);
    for (size_t d = 0; d < l->ndisks && rc == 0; d++) {
        outs[d] = xasprintf("%s/%s-%s.%s", cr->outdir, cr->name, l->disks[d].name, vm_format_ext(format));
        if (o->bmap && strcmp(format, "vmdk") && strcmp(format, "vdi") && strcmp(format, "vhdx") &&
            strcmp(format, "qcow2")) {
            /* the bmap describes the raw data (also for raw.xz, as bmaptool expects) */
            char *bm = NULL;
            if (vm_bmap(st->disk_paths[d], &bm) < 0) {
                rc = -1;
                break;
            }
            char *dst = xasprintf("%s/%s-%s.raw.bmap", cr->outdir, cr->name, l->disks[d].name);
            if (rename(bm, dst) < 0 && copy_file(bm, dst, 0644) < 0)
                rc = log_fail("cannot write %s: %s", dst, strerror(errno));
            else
                creator_add_artifact(cr, dst);
            free(dst);
            free(bm);
        }
        log_info("Writing %s", outs[d]);
        if (rc == 0 && vm_convert(st->disk_paths[d], format, compress && strcmp(format, "raw.xz"), outs[d]) < 0)
            rc = -1;
        if (rc == 0)
            creator_add_artifact(cr, outs[d]);
        vd[d].format = !strcmp(format, "raw.xz") ? "raw" : format;
        char *abs = realpath(outs[d], NULL);
        vd[d].path = abs ? abs : xstrdup(outs[d]);
        if (rc == 0 && o->checksum) {
            char *sum = NULL;
            if (vm_checksum(outs[d], o->checksum, &sum) < 0)
                rc = -1;
            else
                creator_add_artifact(cr, sum);
            free(sum);
        }
    }
    if (rc == 0 && o->overlay) {
        char *ov = strchr(o->overlay, '/') ? xstrdup(o->overlay) : xasprintf("%s/%s", cr->outdir, o->overlay);
        if (vm_qcow2_overlay(outs[0], ov) < 0)
            rc = -1;
        else
            creator_add_artifact(cr, ov);
        free(ov);
    }
    if (rc == 0 && o->libvirt_xml && strcmp(format, "raw.xz")) {
        char *xml = xasprintf("%s/%s.xml", cr->outdir, cr->name);
        bool uefi = st->uefi && (o->no_bios || !st->bios);
        char *desc = NULL;
        if (o->version || o->release)
            desc = xasprintf("%s%s%s%s%s", cr->name, o->version ? " version " : "", o->version ? o->version : "",
                             o->release ? " release " : "", o->release ? o->release : "");
        int xr = libvirt_write_xml(xml, cr->name, desc, o->vmem_mib, o->vcpu, uefi, vd, l->ndisks);
        free(desc);
        if (xr < 0)
            rc = -1;
        else
            creator_add_artifact(cr, xml);
        free(xml);
    }
    for (size_t d = 0; d < l->ndisks; d++) {
        free(outs[d]);
        free((char *)vd[d].path);
        unlink(st->disk_paths[d]);
    }
    free(outs);
    free(vd);
    raw_free(cr);
    return rc;
}

const struct imgtype imgtype_raw = {
    .name = "raw",
    .description = "a partitioned disk image (GPT or MBR) with GRUB2, for virtual machines",
    .mount_instroot = raw_mount,
    .create_bootconfig = raw_bootconfig,
    .unmount_instroot = raw_unmount,
    .stage_final_image = raw_stage,
    .free_state = raw_free,
};
