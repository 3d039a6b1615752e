/* partition.c - see partition.h */
#define _GNU_SOURCE
#include "core/partition.h"
#include "core/base/log.h"
#include "core/base/util.h"
#include "kickstart/ks.h"

#include <errno.h>
#include <fcntl.h>
#include <libfdisk/libfdisk.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define GPT_LINUX_FS  "0FC63DAF-8483-4772-8E79-3D69D8477DE4"
#define GPT_SWAP      "0657FD6D-A4AB-43C4-84E5-0933C84B4F4F"
#define GPT_ESP       "C12A7328-F81F-11D2-BA4B-00A0C93EC93B"
#define GPT_BIOSBOOT  "21686148-6449-6E6F-744E-656564454649"
#define GPT_PREPBOOT  "9E1A2D38-C612-4316-AA26-8B49521E5A8B"

#define MBR_MAX_BYTES (UINT64_C(2) << 40)     /* 2 TiB with 512-byte sectors */
#define DISK_MAX_BYTES (UINT64_C(64) << 40)    /* sanity limit for a sparse image */

const char *part_label_name(enum part_label l)
{
    return l == PART_LABEL_MBR ? "dos" : "gpt";
}

int part_label_parse(const char *s, enum part_label *out)
{
    if (!strcmp(s, "gpt")) {
        *out = PART_LABEL_GPT;
        return 0;
    }
    if (!strcmp(s, "msdos") || !strcmp(s, "mbr") || !strcmp(s, "dos")) {
        *out = PART_LABEL_MBR;
        return 0;
    }
    return -1;
}

static const char *const fs_types[] = { "ext2", "ext3", "ext4", "xfs", "btrfs", "vfat", NULL };

static bool known_fs(const char *t)
{
    for (int i = 0; fs_types[i]; i++)
        if (!strcmp(fs_types[i], t))
            return true;
    return false;
}

static void spec_free(struct part_spec *p)
{
    free(p->file);
    free(p->mntpoint);
    free(p->fstype);
    free(p->label);
    free(p->fsoptions);
}

void part_layout_free(struct part_layout *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->nparts; i++)
        spec_free(&l->parts[i]);
    for (size_t i = 0; i < l->ndisks; i++) {
        free(l->disks[i].name);
        free(l->disks[i].label_id);
    }
    free(l->parts);
    free(l->disks);
    free(l);
}

struct part_spec *part_find(struct part_layout *l, const char *mntpoint)
{
    for (size_t i = 0; i < l->nparts; i++)
        if (!strcmp(l->parts[i].mntpoint, mntpoint))
            return &l->parts[i];
    return NULL;
}

static size_t disk_index(struct part_layout *l, const char *name)
{
    if (!name || !*name)
        name = "sda";
    if (str_startswith(name, "/dev/"))
        name += 5;
    for (size_t i = 0; i < l->ndisks; i++)
        if (!strcmp(l->disks[i].name, name))
            return i;
    l->disks = xrealloc(l->disks, sizeof *l->disks * (l->ndisks + 1));
    memset(&l->disks[l->ndisks], 0, sizeof l->disks[0]);
    l->disks[l->ndisks].name = xstrdup(name);
    return l->ndisks++;
}

static int perr(const struct part_spec *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int perr(const struct part_spec *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = NULL;
    if (vasprintf(&msg, fmt, ap) < 0)
        msg = NULL;
    va_end(ap);
    if (p && p->line > 0)
        log_fail("%s:%d: part %s: %s", p->file, p->line, p->mntpoint, msg ? msg : fmt);
    else
        log_fail("partition %s: %s", p ? p->mntpoint : "?", msg ? msg : fmt);
    free(msg);
    return -1;
}

static struct part_spec *add_spec(struct part_spec **v, size_t *n)
{
    *v = xrealloc(*v, sizeof **v * (*n + 1));
    struct part_spec *p = &(*v)[(*n)++];
    memset(p, 0, sizeof *p);
    return p;
}

static uint64_t mib_up(uint64_t b)
{
    return (b + PART_MIB - 1) / PART_MIB * PART_MIB;
}

static const char *nz(const char *s)
{
    return s && *s ? s : NULL;   /* the parser may give "" for unset strings */
}

/* Turn one kickstart part into a spec; -1 on error. */
static int spec_from_ks(struct part_spec *p, const struct ks_part *k, const struct part_plan_opts *o)
{
    p->ks = k;
    p->file = xstrdup(k->loc.file ? k->loc.file : "kickstart");
    p->line = k->loc.line;
    p->mntpoint = xstrdup(k->mntpoint ? k->mntpoint : "");
    p->label = nz(k->label) ? xstrdup(k->label) : NULL;
    p->fsoptions = nz(k->fsoptions) ? xstrdup(k->fsoptions) : NULL;
    p->grow = k->grow;
    p->asprimary = k->asprimary;
    const char *mnt = p->mntpoint, *fst = nz(k->fstype);
    long size = k->size;

    if (!strcmp(mnt, "swap") || (fst && !strcmp(fst, "swap"))) {
        if (fst && strcmp(fst, "swap"))
            return perr(p, "swap cannot have --fstype=%s", fst);
        if (strcmp(mnt, "swap"))
            return perr(p, "--fstype=swap needs the mount point 'swap'");
        p->kind = PART_SWAP;
        p->fstype = xstrdup("swap");
    } else if (!strcmp(mnt, "biosboot") || (fst && !strcmp(fst, "biosboot"))) {
        p->kind = PART_BIOSBOOT;
        p->fstype = xstrdup("biosboot");
        free(p->mntpoint);
        p->mntpoint = xstrdup("biosboot");
        if (size < 0)
            size = 1;
    } else if (!strcmp(mnt, "prepboot") || (fst && !strcmp(fst, "prepboot"))) {
        return perr(p, "PReP boot partitions are for POWER, not x86_64 images");
    } else if ((fst && !strcmp(fst, "efi")) || !strcmp(mnt, "/boot/efi")) {
        if (fst && strcmp(fst, "efi") && strcmp(fst, "vfat"))
            return perr(p, "the EFI System Partition must be vfat (or --fstype=efi), not %s", fst);
        if (strcmp(mnt, "/boot/efi"))
            return perr(p, "the EFI System Partition must be mounted at /boot/efi");
        p->kind = PART_ESP;
        p->fstype = xstrdup("vfat");
        if (size < 0)
            size = (long)(o->esp_mib ? o->esp_mib : 200);
    } else if (mnt[0] == '/') {
        const char *t = fst ? fst : "ext4";
        if (!known_fs(t))
            return perr(p, "unknown filesystem type '%s' (supported: ext2 ext3 ext4 xfs btrfs vfat "
                           "swap efi biosboot)", t);
        if (!strcmp(mnt, "/") && !strcmp(t, "vfat"))
            return perr(p, "the root filesystem cannot be vfat");
        p->kind = PART_FS;
        p->fstype = xstrdup(t);
        if (strstr(mnt, "//") || strstr(mnt, "/../") || str_endswith(mnt, "/..") ||
            (strlen(mnt) > 1 && str_endswith(mnt, "/")))
            return perr(p, "invalid mount point");
    } else {
        return perr(p, "unsupported mount point '%s' (expected /path, swap or biosboot)", mnt);
    }
    if (size == 0)
        return perr(p, "--size must be at least 1 (MiB)");
    if (size < 0) {
        if (!p->grow)
            return perr(p, "no --size given (and no --grow)");
        size = 1;
    }
    if (k->maxsize > 0) {   /* 0 and -1: unset (pykickstart's default is 0) */
        if (k->maxsize < size)
            return perr(p, "--maxsize=%ld is smaller than --size=%ld", k->maxsize, size);
        p->max_bytes = (uint64_t)k->maxsize * PART_MIB;
    }
    if ((uint64_t)size > DISK_MAX_BYTES / PART_MIB)
        return perr(p, "--size=%ld MiB is larger than the %llu TiB limit for a disk image", size,
                    (unsigned long long)(DISK_MAX_BYTES >> 40));
    p->min_bytes = (uint64_t)size * PART_MIB;
    if (p->label && p->kind == PART_FS && str_startswith(p->fstype, "ext") && strlen(p->label) > 16)
        return perr(p, "--label '%s' is longer than 16 characters (ext limit)", p->label);
    if (p->label && p->kind == PART_FS && !strcmp(p->fstype, "xfs") && strlen(p->label) > 12)
        return perr(p, "--label '%s' is longer than 12 characters (xfs limit)", p->label);
    return 0;
}

static struct part_spec *added(struct part_spec **v, size_t *n, const char *mnt, const char *fstype,
                               enum part_kind kind, uint64_t mib)
{
    struct part_spec *p = add_spec(v, n);
    p->file = xstrdup("");
    p->mntpoint = xstrdup(mnt);
    p->fstype = xstrdup(fstype);
    p->kind = kind;
    p->min_bytes = mib * PART_MIB;
    return p;
}

static int rank(const struct part_spec *p)
{
    return p->kind == PART_BIOSBOOT ? 0 : p->kind == PART_ESP ? 1 : 2;
}

/* Distribute free space over the --grow partitions of one disk. */
static void grow_parts(struct part_spec *v, size_t n, size_t disk, uint64_t free_bytes)
{
    for (;;) {
        uint64_t weight = 0;
        for (size_t i = 0; i < n; i++)
            if (v[i].disk == disk && v[i].grow && (!v[i].max_bytes || v[i].bytes < v[i].max_bytes))
                weight += v[i].min_bytes;
        if (!weight || free_bytes < PART_MIB)
            return;
        uint64_t used = 0;
        bool capped = false;
        for (size_t i = 0; i < n; i++) {
            struct part_spec *p = &v[i];
            if (p->disk != disk || !p->grow || (p->max_bytes && p->bytes >= p->max_bytes))
                continue;
            uint64_t share = (uint64_t)((long double)free_bytes * p->min_bytes / weight);
            share = share / PART_MIB * PART_MIB;
            if (p->max_bytes && p->bytes + share > p->max_bytes) {
                share = p->max_bytes - p->bytes;
                capped = true;
            }
            p->bytes += share;
            used += share;
        }
        free_bytes -= used;
        if (!capped) {
            /* rounding leftovers go to the first growable partition */
            for (size_t i = 0; i < n && free_bytes >= PART_MIB; i++) {
                struct part_spec *p = &v[i];
                if (p->disk == disk && p->grow && !p->max_bytes) {
                    p->bytes += free_bytes / PART_MIB * PART_MIB;
                    free_bytes %= PART_MIB;
                }
            }
            return;
        }
    }
}

int part_plan(const struct kickstart *ks, const struct part_plan_opts *o, struct part_layout **out)
{
    *out = NULL;
    struct part_layout *l = xcalloc(1, sizeof *l);
    l->label = o->label;
    l->root = -1;
    struct part_spec *v = NULL;
    size_t n = 0;
    int rc = -1;

    for (size_t i = 0; i < ks->n_parts; i++) {
        struct part_spec *p = add_spec(&v, &n);
        if (spec_from_ks(p, &ks->parts[i], o) < 0)
            goto out;
        /* duplicates: every mount point (and biosboot/ESP) at most once */
        if (p->kind != PART_SWAP) {
            for (size_t j = 0; j + 1 < n; j++)
                if (!strcmp(v[j].mntpoint, p->mntpoint)) {
                    perr(p, "mount point %s is already used by the partition at line %d%s", p->mntpoint,
                         v[j].line, !strcmp(p->mntpoint, "/") ? " (two root partitions)" : "");
                    goto out;
                }
        }
        if (p->kind == PART_BIOSBOOT && l->label == PART_LABEL_MBR) {
            log_warn("%s:%d: biosboot partitions are for GPT; ignored on an MBR disk (GRUB goes "
                     "into the gap after the MBR)", p->file, p->line);
            spec_free(p);
            n--;
            continue;
        }
    }
    int root = -1;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(v[i].mntpoint, "/"))
            root = (int)i;
    if (root < 0) {
        log_fail("%s: no root partition: add a 'part /' line", ks->filename ? ks->filename : "kickstart");
        goto out;
    }
    /* the disks, in order of appearance; the root's disk is the boot disk */
    for (size_t i = 0; i < n; i++)
        v[i].disk = disk_index(l, v[i].ks ? nz(v[i].ks->ondisk) : NULL);
    size_t bootdisk = v[root].disk;
    if (nz(o->boot_drive)) {
        /* a disk named only here gets the added partitions (and exists then) */
        bootdisk = disk_index(l, o->boot_drive);
    }
    bool have_bb = false, have_esp = false, have_boot = false;
    for (size_t i = 0; i < n; i++) {
        have_bb |= v[i].kind == PART_BIOSBOOT;
        have_esp |= v[i].kind == PART_ESP;
        have_boot |= !strcmp(v[i].mntpoint, "/boot");
    }
    if (l->label == PART_LABEL_GPT && (o->bios || o->reqpart) && !have_bb)
        added(&v, &n, "biosboot", "biosboot", PART_BIOSBOOT, 1)->disk = bootdisk;
    if ((o->uefi || o->reqpart) && !have_esp)
        added(&v, &n, "/boot/efi", "vfat", PART_ESP, o->esp_mib ? o->esp_mib : 200)->disk = bootdisk;
    if (o->reqpart_add_boot && !have_boot)
        added(&v, &n, "/boot", "ext4", PART_FS, o->boot_mib ? o->boot_mib : 512)->disk = bootdisk;

    /* table order per disk: biosboot, ESP, then the kickstart order (stable) */
    struct part_spec *sorted = xcalloc(n ? n : 1, sizeof *sorted);
    size_t k = 0;
    for (size_t d = 0; d < l->ndisks; d++)
        for (int r = 0; r < 3; r++)
            for (size_t i = 0; i < n; i++)
                if (v[i].disk == d && rank(&v[i]) == r)
                    sorted[k++] = v[i];
    free(v);
    v = sorted;

    for (size_t d = 0; d < l->ndisks; d++) {
        size_t cnt = 0, nprimary_req = 0;
        for (size_t i = 0; i < n; i++)
            if (v[i].disk == d) {
                cnt++;
                nprimary_req += v[i].asprimary;
            }
        l->disks[d].nparts = cnt;
        const struct part_spec *first = NULL;   /* for file:line: a kickstart line */
        uint64_t added_bytes = 0;
        for (size_t i = 0; i < n; i++)
            if (v[i].disk == d && v[i].line > 0 && !first)
                first = &v[i];
        for (size_t i = 0; i < n; i++)
            if (v[i].disk == d && v[i].line == 0)
                added_bytes += mib_up(v[i].min_bytes);
        for (size_t i = 0; i < n && !first; i++)
            if (v[i].disk == d)
                first = &v[i];
        size_t nlogical = 0;
        if (l->label == PART_LABEL_MBR && cnt > 4) {
            if (nprimary_req > 3) {
                perr(first, "disk %s: at most 3 partitions can use --asprimary when the MBR needs an "
                            "extended partition (%zu partitions)", l->disks[d].name, cnt);
                goto out;
            }
            /* primaries: the --asprimary ones, then the first ones, 3 in all */
            size_t prim = nprimary_req;
            for (size_t i = 0; i < n; i++)
                if (v[i].disk == d && !v[i].asprimary) {
                    if (prim < 3)
                        prim++;
                    else
                        v[i].logical = true, nlogical++;
                }
            /* primaries first in the table, logicals after */
            struct part_spec *tmp = xcalloc(n, sizeof *tmp);
            size_t t = 0;
            for (size_t i = 0; i < n; i++)
                if (v[i].disk != d || !v[i].logical)
                    tmp[t++] = v[i];
            for (size_t i = 0; i < n; i++)
                if (v[i].disk == d && v[i].logical)
                    tmp[t++] = v[i];
            memcpy(v, tmp, sizeof *v * n);
            free(tmp);
        }
        int no = 1;
        for (size_t i = 0; i < n; i++) {
            if (v[i].disk != d)
                continue;
            if (v[i].logical && no < 5)
                no = 5;   /* 1-3 primary, 4 extended, 5... logical */
            v[i].partno = no++;
        }
        /* sizes: 1 MiB before the first partition, 1 MiB at the end (GPT backup,
         * or slack), 1 MiB for each logical partition's EBR */
        uint64_t overhead = 2 * PART_MIB + nlogical * PART_MIB, sum = 0;
        for (size_t i = 0; i < n; i++)
            if (v[i].disk == d) {
                v[i].min_bytes = mib_up(v[i].min_bytes);
                v[i].bytes = v[i].min_bytes;
                sum += v[i].bytes;
            }
        uint64_t disk_bytes;
        if (o->disk_bytes) {
            disk_bytes = o->disk_bytes / PART_MIB * PART_MIB;
            if (sum + overhead > disk_bytes) {
                log_fail("%s:%d: the partitions on disk %s need %llu MiB (+%llu MiB for the "
                         "partition table%s) but the disk has %llu MiB", first->file, first->line,
                         l->disks[d].name, (unsigned long long)(sum >> 20),
                         (unsigned long long)(overhead >> 20),
                         added_bytes ? ", including the added BIOS boot/EFI System partitions" : "",
                         (unsigned long long)(disk_bytes >> 20));
                goto out;
            }
            grow_parts(v, n, d, disk_bytes - sum - overhead);
        } else {
            /* no fixed disk size: --grow partitions take their --maxsize */
            for (size_t i = 0; i < n; i++)
                if (v[i].disk == d && v[i].grow && v[i].max_bytes)
                    v[i].bytes = mib_up(v[i].max_bytes);
            disk_bytes = overhead;
            for (size_t i = 0; i < n; i++)
                if (v[i].disk == d)
                    disk_bytes += v[i].bytes;
        }
        if (disk_bytes > DISK_MAX_BYTES) {
            log_fail("%s:%d: disk %s would be %llu GiB: larger than the %llu TiB limit", first->file,
                     first->line, l->disks[d].name, (unsigned long long)(disk_bytes >> 30),
                     (unsigned long long)(DISK_MAX_BYTES >> 40));
            goto out;
        }
        if (l->label == PART_LABEL_MBR && disk_bytes > MBR_MAX_BYTES) {
            log_fail("%s:%d: disk %s would be %llu GiB: an MBR (msdos) label cannot address more "
                     "than 2 TiB; use clearpart --disklabel=gpt", first->file, first->line,
                     l->disks[d].name, (unsigned long long)(disk_bytes >> 30));
            goto out;
        }
        l->disks[d].bytes = disk_bytes;
    }
    for (size_t i = 0; i < n; i++)
        if (!strcmp(v[i].mntpoint, "/"))
            l->root = (int)i;
    l->bootdisk = bootdisk;
    if (l->disks[bootdisk].nparts == 0 && l->label == PART_LABEL_MBR) {
        log_fail("bootloader --boot-drive=%s: no partition on that disk (an MBR disk needs one for "
                 "the boot loader)", l->disks[bootdisk].name);
        goto out;
    }
    l->parts = v;
    l->nparts = n;
    v = NULL;
    n = 0;
    *out = l;
    l = NULL;
    rc = 0;
out:
    for (size_t i = 0; i < n; i++)
        spec_free(&v[i]);
    free(v);
    part_layout_free(l);
    return rc;
}

char *part_describe(const struct part_layout *l)
{
    char *s = xstrdup("");
    for (size_t d = 0; d < l->ndisks; d++) {
        char *t = xasprintf("%sdisk %s: %s, %llu MiB\n", s, l->disks[d].name, part_label_name(l->label),
                            (unsigned long long)(l->disks[d].bytes >> 20));
        free(s);
        s = t;
        for (size_t i = 0; i < l->nparts; i++) {
            const struct part_spec *p = &l->parts[i];
            if (p->disk != d)
                continue;
            t = xasprintf("%s  %d%s %-10s %-8s %6llu MiB%s\n", s, p->partno, p->logical ? "L" : " ",
                          p->mntpoint, p->fstype, (unsigned long long)(p->bytes >> 20),
                          p->grow ? " grow" : "");
            free(s);
            s = t;
        }
    }
    return s;
}

/* ---- writing with libfdisk ------------------------------------------------ */

static int set_type(struct fdisk_context *cxt, struct fdisk_partition *pa, enum part_label lab,
                    enum part_kind kind)
{
    struct fdisk_label *lb = fdisk_get_label(cxt, NULL);
    struct fdisk_parttype *t;
    if (lab == PART_LABEL_GPT) {
        const char *g = kind == PART_SWAP ? GPT_SWAP : kind == PART_ESP ? GPT_ESP
                      : kind == PART_BIOSBOOT ? GPT_BIOSBOOT : kind == PART_PREPBOOT ? GPT_PREPBOOT
                      : GPT_LINUX_FS;
        t = fdisk_label_get_parttype_from_string(lb, g);
    } else {
        unsigned code = kind == PART_SWAP ? 0x82 : kind == PART_ESP ? 0xef : 0x83;
        t = fdisk_label_get_parttype_from_code(lb, code);
    }
    if (!t)
        return -1;
    int r = fdisk_partition_set_type(pa, t);
    fdisk_unref_parttype(t);
    return r;
}

static const char *gpt_name(const struct part_spec *p)
{
    if (p->kind == PART_BIOSBOOT)
        return "BIOS boot";
    if (p->kind == PART_ESP)
        return "EFI System Partition";
    if (p->kind == PART_SWAP)
        return "swap";
    if (!strcmp(p->mntpoint, "/"))
        return "root";
    return p->mntpoint[0] == '/' ? p->mntpoint + 1 : p->mntpoint;
}

int part_write_table(struct part_layout *l, size_t d, const char *path)
{
    struct part_disk *disk = &l->disks[d];
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return log_fail("cannot create %s: %s", path, strerror(errno));
    if (ftruncate(fd, (off_t)disk->bytes) < 0) {
        int e = errno;
        close(fd);
        return log_fail("cannot size %s: %s", path, strerror(e));
    }
    close(fd);

    int rc = -1, r;
    struct fdisk_context *cxt = fdisk_new_context();
    struct fdisk_table *tb = NULL;
    struct fdisk_iter *itr = NULL;
    if (!cxt)
        return log_fail("libfdisk: cannot allocate a context");
    fdisk_disable_dialogs(cxt, 1);
    if ((r = fdisk_assign_device(cxt, path, 0)) < 0) {
        log_fail("libfdisk: cannot open %s: %s", path, strerror(-r));
        goto out;
    }
    if ((r = fdisk_create_disklabel(cxt, part_label_name(l->label))) < 0) {
        log_fail("libfdisk: cannot create a %s label on %s: %s", part_label_name(l->label), path,
                 strerror(-r));
        goto out;
    }
    bool extended_done = false;
    int bootno = 0;
    for (size_t i = 0; i < l->nparts; i++) {
        struct part_spec *p = &l->parts[i];
        if (p->disk != d)
            continue;
        if (!strcmp(p->mntpoint, "/boot") || (!bootno && !strcmp(p->mntpoint, "/")))
            bootno = p->partno;
        if (p->logical && !extended_done) {
            struct fdisk_partition *ext = fdisk_new_partition();
            fdisk_partition_set_partno(ext, 3);
            fdisk_partition_start_follow_default(ext, 1);
            fdisk_partition_end_follow_default(ext, 1);
            struct fdisk_parttype *t = fdisk_label_get_parttype_from_code(fdisk_get_label(cxt, NULL), 0x05);
            fdisk_partition_set_type(ext, t);
            fdisk_unref_parttype(t);
            r = fdisk_add_partition(cxt, ext, NULL);
            fdisk_unref_partition(ext);
            if (r < 0) {
                log_fail("libfdisk: cannot add the extended partition on %s: %s", path, strerror(-r));
                goto out;
            }
            extended_done = true;
        }
        struct fdisk_partition *pa = fdisk_new_partition();
        if (p->logical)
            fdisk_partition_partno_follow_default(pa, 1);
        else
            fdisk_partition_set_partno(pa, (size_t)p->partno - 1);
        fdisk_partition_start_follow_default(pa, 1);
        fdisk_partition_set_size(pa, p->bytes / fdisk_get_sector_size(cxt));
        if (set_type(cxt, pa, l->label, p->kind) < 0) {
            fdisk_unref_partition(pa);
            log_fail("libfdisk: no partition type for %s", p->mntpoint);
            goto out;
        }
        if (l->label == PART_LABEL_GPT)
            fdisk_partition_set_name(pa, gpt_name(p));
        size_t got = 0;
        r = fdisk_add_partition(cxt, pa, &got);
        fdisk_unref_partition(pa);
        if (r < 0) {
            log_fail("libfdisk: cannot add partition %d (%s, %llu MiB) on %s: %s", p->partno, p->mntpoint,
                     (unsigned long long)(p->bytes >> 20), path, strerror(-r));
            goto out;
        }
        p->partno = (int)got + 1;
    }
    if (bootno) {
        if (l->label == PART_LABEL_MBR)
            fdisk_toggle_partition_flag(cxt, (size_t)bootno - 1, DOS_FLAG_ACTIVE);
        else
            fdisk_toggle_partition_flag(cxt, (size_t)bootno - 1, GPT_FLAG_LEGACYBOOT);
    }
    if ((r = fdisk_write_disklabel(cxt)) < 0) {
        log_fail("libfdisk: cannot write the partition table of %s: %s", path, strerror(-r));
        goto out;
    }
    /* read back what was written: offsets for the loop devices */
    char *id = NULL;
    if (fdisk_get_disklabel_id(cxt, &id) == 0 && id) {
        free(disk->label_id);
        disk->label_id = id;
    }
    if ((r = fdisk_get_partitions(cxt, &tb)) < 0) {
        log_fail("libfdisk: cannot read back the partitions of %s: %s", path, strerror(-r));
        goto out;
    }
    unsigned long ssz = fdisk_get_sector_size(cxt);
    itr = fdisk_new_iter(FDISK_ITER_FORWARD);
    struct fdisk_partition *pa;
    while (fdisk_table_next_partition(tb, itr, &pa) == 0) {
        if (!fdisk_partition_has_partno(pa))
            continue;
        int no = (int)fdisk_partition_get_partno(pa) + 1;
        for (size_t i = 0; i < l->nparts; i++) {
            struct part_spec *p = &l->parts[i];
            if (p->disk != d || p->partno != no)
                continue;
            p->start = (uint64_t)fdisk_partition_get_start(pa) * ssz;
            p->size = (uint64_t)fdisk_partition_get_size(pa) * ssz;
            const char *u = fdisk_partition_get_uuid(pa);
            if (u)
                snprintf(p->partuuid, sizeof p->partuuid, "%s", u);
            else if (disk->label_id && str_startswith(disk->label_id, "0x"))
                snprintf(p->partuuid, sizeof p->partuuid, "%s-%02d", disk->label_id + 2, no);
            for (char *c = p->partuuid; *c; c++)
                if (*c >= 'A' && *c <= 'F')
                    *c = (char)(*c - 'A' + 'a');
        }
    }
    for (size_t i = 0; i < l->nparts; i++) {
        struct part_spec *p = &l->parts[i];
        if (p->disk == d && (!p->size || p->size < p->bytes)) {
            log_fail("libfdisk: partition %d (%s) on %s was not written as planned", p->partno,
                     p->mntpoint, path);
            goto out;
        }
    }
    rc = 0;
out:
    fdisk_free_iter(itr);
    fdisk_unref_table(tb);
    fdisk_deassign_device(cxt, 0);
    fdisk_unref_context(cxt);
    return rc;
}
