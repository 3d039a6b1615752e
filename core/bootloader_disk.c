/* bootloader_disk.c - see bootloader_disk.h */
#define _GNU_SOURCE
#include "core/bootloader_disk.h"
#include "core/base/strv.h"
#include "core/base/strbuf.h"
#include "core/base/escape.h"
#include "core/base/log.h"
#include "core/base/run.h"
#include "core/base/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* GRUB i386-pc boot.img / diskboot.img fields (grub/include/grub/i386/pc/boot.h),
 * the ones grub-bios-setup fills in */
#define BOOT_KERNEL_SECTOR  0x5c     /* 8 bytes LE: LBA of core.img's first sector */
#define BOOT_BOOT_DRIVE     0x64     /* 0xff: use the drive the BIOS booted from */
#define BOOT_DRIVE_CHECK    0x66     /* jmp replaced by two nops for hard disks */
#define BOOT_CODE_END       0x1b8    /* disk signature + partition table follow */
#define DISKBOOT_LIST_START (0x200 - 12)  /* first blocklist: start (8), len (2), seg (2) */

static int cmp_kver(const void *a, const void *b)
{
    return -strverscmp(*(char *const *)a, *(char *const *)b);
}

/* Kernel versions from <root>/boot/vmlinuz-*, newest first. */
static char **find_kernels(const char *instroot, int *count)
{
    char *boot = path_join(instroot, "boot");
    DIR *d = opendir(boot);
    char **v = NULL;
    int n = 0;
    if (d) {
        struct dirent *e;
        while ((e = readdir(d))) {
            if (!str_startswith(e->d_name, "vmlinuz-") || strstr(e->d_name, "-rescue-"))
                continue;
            v = xrealloc(v, sizeof *v * (size_t)(n + 2));
            v[n++] = xstrdup(e->d_name + 8);
        }
        closedir(d);
    }
    free(boot);
    if (n)
        qsort(v, (size_t)n, sizeof *v, cmp_kver);
    if (v)
        v[n] = NULL;
    *count = n;
    return v;
}

static void free_strs(char **v)
{
    for (size_t i = 0; v && v[i]; i++)
        free(v[i]);
    free(v);
}

static const char *grub_fs_module(const char *fstype)
{
    if (str_startswith(fstype, "ext"))
        return "ext2";
    if (!strcmp(fstype, "vfat"))
        return "fat";
    return fstype;   /* xfs, btrfs */
}

/* a grub.cfg word in single quotes: grub's quoting is the shell's */
static void grub_quotef(struct strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void grub_quotef(struct strbuf *b, const char *fmt, ...)
{
    struct strbuf w = { 0 };
    va_list ap;
    va_start(ap, fmt);
    strbuf_vprintf(&w, fmt, ap);
    va_end(ap);
    esc_sh_quote(b, strbuf_str(&w));
    strbuf_free(&w);
}

char *bootdisk_grub_cfg(const char *title, const char *const *kernels, const char *boot_prefix,
                        const char *boot_uuid, const char *root_uuid, const char *root_fstype,
                        const char *args, int timeout, bool has_initrd)
{
    struct strbuf b = { 0 };
    /* load_video is defined by Fedora's grub.cfg; keep the entries self-contained */
    strbuf_printf(&b, "function load_video {\n\tinsmod all_video\n}\n"
                      "# grub.cfg written by kscreate\n"
                      "set default=0\n"
                      "set timeout=%d\n", timeout < 0 ? 5 : timeout);
    if (args && strstr(args, "console=ttyS"))
        strbuf_add(&b, "serial --unit=0 --speed=115200\n"
                       "terminal_input console serial\n"
                       "terminal_output console serial\n");
    for (size_t i = 0; kernels && kernels[i]; i++) {
        const char *k = kernels[i];
        strbuf_add(&b, "\nmenuentry ");
        grub_quotef(&b, "%s (%s)", title, k);
        strbuf_add(&b, " --class kscreate --id ");
        grub_quotef(&b, "kscreate-%s", k);
        strbuf_printf(&b, " {\n"
                          "\tload_video\n"
                          "\tinsmod gzio\n"
                          "\tinsmod part_gpt\n"
                          "\tinsmod part_msdos\n"
                          "\tinsmod %s\n"
                          "\tsearch --no-floppy --fs-uuid --set=root %s\n"
                          "\tlinux %s/vmlinuz-%s root=UUID=%s ro%s%s%s%s\n",
                      grub_fs_module(root_fstype), boot_uuid, boot_prefix, k, root_uuid,
                      strcmp(root_fstype, "ext4") ? " rootfstype=" : "", strcmp(root_fstype, "ext4") ? root_fstype : "",
                      args && *args ? " " : "", args ? args : "");
        if (has_initrd)
            strbuf_printf(&b, "\tinitrd %s/initramfs-%s.img\n", boot_prefix, k);
        strbuf_add(&b, "}\n");
    }
    return strbuf_take(&b);
}

static int copy_tree_files(const char *src, const char *dst, const char *suffix1, const char *suffix2)
{
    DIR *d = opendir(src);
    if (!d)
        return log_fail("cannot read %s: %s", src, strerror(errno));
    mkdir_p(dst, 0755);
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(d))) {
        if (!str_endswith(e->d_name, suffix1) && !str_endswith(e->d_name, suffix2))
            continue;
        char *a = path_join(src, e->d_name), *b = path_join(dst, e->d_name);
        if (copy_file(a, b, 0644) < 0)
            rc = log_fail("cannot copy %s to %s: %s", a, b, strerror(errno));
        free(a);
        free(b);
    }
    closedir(d);
    return rc;
}

static int pread_full(int fd, void *buf, size_t len, off_t off)
{
    size_t done = 0;
    while (done < len) {
        ssize_t r = pread(fd, (char *)buf + done, len - done, off + (off_t)done);
        if (r <= 0)
            return -1;
        done += (size_t)r;
    }
    return 0;
}

static int pwrite_full(int fd, const void *buf, size_t len, off_t off)
{
    size_t done = 0;
    while (done < len) {
        ssize_t r = pwrite(fd, (const char *)buf + done, len - done, off + (off_t)done);
        if (r <= 0)
            return -1;
        done += (size_t)r;
    }
    return 0;
}

static void put_le64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* grub2-install for i386-pc, done on the image file. */
static int install_grub_bios(const struct bootdisk_opts *o, const char *moddir, const struct part_spec *bootp,
                             const char *grubdir_in_fs)
{
    struct part_layout *l = o->layout;
    size_t bdisk = l->bootdisk;   /* the disk that gets boot.img/core.img */
    /* where core.img goes */
    uint64_t core_off, core_room;
    if (l->label == PART_LABEL_GPT) {
        const struct part_spec *bb = NULL;
        for (size_t i = 0; i < l->nparts; i++)
            if (l->parts[i].kind == PART_BIOSBOOT && l->parts[i].disk == bdisk)
                bb = &l->parts[i];
        if (!bb)
            return log_fail("GRUB BIOS on a GPT disk needs a BIOS boot partition (part biosboot "
                            "--fstype=biosboot --size=1, or reqpart)");
        core_off = bb->start;
        core_room = bb->size;
    } else {
        uint64_t first = UINT64_MAX;
        for (size_t i = 0; i < l->nparts; i++)
            if (l->parts[i].disk == bdisk && l->parts[i].start && l->parts[i].start < first)
                first = l->parts[i].start;
        core_off = 512;
        core_room = first == UINT64_MAX ? 0 : first - 512;
        /* the extended partition's EBRs are after the first partition: fine */
    }
    /* modules where grub.cfg's insmod finds them */
    char *grubdir = xasprintf("%s/boot/grub2", o->instroot);
    char *dst = path_join(grubdir, "i386-pc");
    if (copy_tree_files(moddir, dst, ".mod", ".lst") < 0) {
        free(dst);
        free(grubdir);
        return -1;
    }
    free(dst);
    free(grubdir);

    const char *label_mod = l->label == PART_LABEL_GPT ? "part_gpt" : "part_msdos";
    char *early = path_join(o->workdir, "grub-early.cfg");
    char *cfg = xasprintf("search.fs_uuid %s root\nset prefix=($root)%s\n", bootp->uuid, grubdir_in_fs);
    write_file(early, cfg, 0644);
    free(cfg);
    char *core = path_join(o->workdir, "core.img");
    char *prefix = xasprintf("%s", grubdir_in_fs);
    const char *argv[] = { "grub-mkimage", "-O", "i386-pc", "-d", moddir, "-o", core, "-c", early, "-p", prefix,
                           "biosdisk", label_mod, "search_fs_uuid", grub_fs_module(bootp->fstype), NULL };
    int r = run_argv(argv, NULL);
    free(prefix);
    free(early);
    if (r != 0) {
        free(core);
        return log_fail("grub-mkimage (i386-pc, modules from the image's %s) failed: %s", moddir,
                        run_last_output());
    }
    char *bootimg_path = path_join(moddir, "boot.img");
    char *coreimg = NULL, *bootimg = NULL;
    size_t core_len = 0, boot_len = 0;
    int rc = -1, fd = -1;
    if (read_file(core, &coreimg, &core_len) < 0 || read_file(bootimg_path, &bootimg, &boot_len) < 0) {
        log_fail("cannot read %s or %s: %s", core, bootimg_path, strerror(errno));
        goto out;
    }
    if (boot_len != 512 || core_len < 1024) {
        log_fail("unexpected sizes: boot.img %zu bytes, core.img %zu bytes", boot_len, core_len);
        goto out;
    }
    if (core_len > core_room) {
        log_fail("core.img (%zu bytes) does not fit into the %llu bytes %s", core_len,
                 (unsigned long long)core_room,
                 l->label == PART_LABEL_GPT ? "of the BIOS boot partition" : "before the first partition");
        goto out;
    }
    uint64_t core_lba = core_off / 512;
    unsigned char *blist = (unsigned char *)coreimg + DISKBOOT_LIST_START;
    if (blist[8] == 0 && blist[9] == 0) {
        log_fail("core.img: diskboot block list has no length (not an i386-pc core.img?)");
        goto out;
    }
    put_le64(blist, core_lba + 1);
    unsigned char mbr[512];
    fd = open(o->disk_path, O_RDWR | O_CLOEXEC);
    if (fd < 0 || pread_full(fd, mbr, 512, 0) < 0) {
        log_fail("cannot read the MBR of %s: %s", o->disk_path, strerror(errno));
        goto out;
    }
    /* boot code only: disk signature and partition table (libfdisk's) stay */
    memcpy(mbr, bootimg, BOOT_CODE_END);
    put_le64(mbr + BOOT_KERNEL_SECTOR, core_lba);
    mbr[BOOT_BOOT_DRIVE] = 0xff;
    mbr[BOOT_DRIVE_CHECK] = 0x90;
    mbr[BOOT_DRIVE_CHECK + 1] = 0x90;
    if (pwrite_full(fd, coreimg, core_len, (off_t)core_off) < 0 ||
        pwrite_full(fd, mbr, BOOT_CODE_END, 0) < 0 || fsync(fd) < 0) {
        log_fail("cannot write GRUB to %s: %s", o->disk_path, strerror(errno));
        goto out;
    }
    log_verbose("GRUB BIOS: boot.img in the MBR, core.img (%zu bytes) at LBA %llu", core_len,
                (unsigned long long)core_lba);
    rc = 0;
out:
    if (fd >= 0)
        close(fd);
    free(coreimg);
    free(bootimg);
    free(bootimg_path);
    free(core);
    return rc;
}

static const char *find_efi_binary(const char *esp)
{
    static const char *cands[] = { "EFI/BOOT/BOOTX64.EFI", "EFI/fedora/shimx64.efi", "EFI/fedora/grubx64.efi",
                                   NULL };
    for (int i = 0; cands[i]; i++) {
        char *p = path_join(esp, cands[i]);
        bool ok = path_exists(p);
        free(p);
        if (ok)
            return cands[i];
    }
    return NULL;
}

static int install_grub_uefi(const struct bootdisk_opts *o, const struct part_spec *bootp,
                             const char *grubdir_in_fs)
{
    char *esp = path_join(o->instroot, "boot/efi");
    const char *bin = find_efi_binary(esp);
    int rc = 0;
    if (!bin) {
        free(esp);
        return 1;   /* no EFI boot loader in the image */
    }
    char *fallback = path_join(esp, "EFI/BOOT/BOOTX64.EFI");
    char *bootdir = path_join(esp, "EFI/BOOT");
    mkdir_p(bootdir, 0755);
    if (!path_exists(fallback)) {
        char *src = path_join(esp, bin);
        if (copy_file(src, fallback, 0644) < 0)
            rc = log_fail("cannot copy %s to EFI/BOOT/BOOTX64.EFI: %s", bin, strerror(errno));
        free(src);
    }
    char *stub = xasprintf("# written by kscreate: the real configuration is on the /boot filesystem\n"
                           "search --no-floppy --fs-uuid --set=dev %s\n"
                           "set prefix=($dev)%s\n"
                           "export $prefix\n"
                           "configfile $prefix/grub.cfg\n",
                           bootp->uuid, grubdir_in_fs);
    static const char *dirs[] = { "EFI/BOOT", "EFI/fedora", NULL };
    for (int i = 0; dirs[i] && rc == 0; i++) {
        char *d = path_join(esp, dirs[i]);
        if (is_dir(d)) {
            char *f = path_join(d, "grub.cfg");
            if (write_file(f, stub, 0644) < 0)
                rc = log_fail("cannot write %s: %s", f, strerror(errno));
            free(f);
        }
        free(d);
    }
    free(stub);
    free(bootdir);
    free(fallback);
    free(esp);
    return rc;
}

static const char *find_extlinux(const char *instroot)
{
    static const char *cands[] = { "usr/sbin/extlinux", "sbin/extlinux", "usr/bin/extlinux", NULL };
    for (int i = 0; cands[i]; i++) {
        char *p = path_join(instroot, cands[i]);
        bool ok = path_exists(p);
        free(p);
        if (ok)
            return cands[i];
    }
    return NULL;
}

static int install_extlinux(const struct bootdisk_opts *o, const struct part_spec *rootp, char **kernels,
                            const char *kprefix, bool has_initrd)
{
    const char *ext = find_extlinux(o->instroot);
    char *dir = path_join(o->instroot, "boot/extlinux");
    mkdir_p(dir, 0755);
    struct strbuf conf = { 0 };
    /* "serial" must be the first directive */
    if (o->kernel_args && strstr(o->kernel_args, "console=ttyS"))
        strbuf_add(&conf, "serial 0 115200\n");
    strbuf_printf(&conf, "# extlinux.conf written by kscreate\nprompt 0\ntimeout %d\n",
                  o->timeout <= 0 ? 1 : o->timeout * 10);
    if (kernels && kernels[0])
        strbuf_printf(&conf, "default kscreate-%s\n", kernels[0]);
    for (size_t i = 0; kernels && kernels[i]; i++) {
        strbuf_printf(&conf, "\nlabel kscreate-%s\n  menu label %s (%s)\n  kernel %s/vmlinuz-%s\n", kernels[i],
                      o->title, kernels[i], kprefix, kernels[i]);
        strbuf_printf(&conf, "  append root=UUID=%s ro%s%s\n", rootp->uuid,
                      o->kernel_args && *o->kernel_args ? " " : "", o->kernel_args ? o->kernel_args : "");
        if (has_initrd)
            strbuf_printf(&conf, "  initrd %s/initramfs-%s.img\n", kprefix, kernels[i]);
    }
    char *f = path_join(dir, "extlinux.conf");
    int rc = write_file(f, strbuf_str(&conf), 0644) < 0 ? log_fail("cannot write %s: %s", f, strerror(errno)) : 0;
    free(f);
    strbuf_free(&conf);
    /* the COM32 modules next to extlinux.conf */
    char *mods = path_join(o->instroot, "usr/share/syslinux");
    if (rc == 0 && is_dir(mods))
        rc = copy_tree_files(mods, dir, ".c32", ".c32");
    /* the image's extlinux runs chrooted and needs the node of the device
     * under /boot: the image's /dev is our tmpfs, add it there for the run */
    char *node = NULL;
    struct stat sb;
    if (rc == 0 && o->boot_dev && stat(o->boot_dev, &sb) == 0 && S_ISBLK(sb.st_mode)) {
        node = xasprintf("%s%s", o->instroot, o->boot_dev);
        if (!path_exists(node) && mknod(node, S_IFBLK | 0600, sb.st_rdev) < 0) {
            rc = log_fail("cannot create %s: %s", node, strerror(errno));
            free(node);
            node = NULL;
        }
    }
    if (rc == 0) {
        const char *argv[] = { ext, "--install", "/boot/extlinux", NULL };
        struct run_opts ro = { 0 };
        ro.chroot = o->instroot;
        if (run_argv(argv, &ro) != 0)
            rc = log_fail("extlinux --install /boot/extlinux (chrooted) failed: %s", run_last_output());
    }
    if (node) {
        unlink(node);
        free(node);
    }
    if (rc == 0) {
        char *mbrbin = xasprintf("%s/usr/share/syslinux/%s", o->instroot,
                                 o->layout->label == PART_LABEL_GPT ? "gptmbr.bin" : "mbr.bin");
        char *code = NULL;
        size_t len = 0;
        if (read_file(mbrbin, &code, &len) < 0 || len < 440 || len > 440) {
            rc = log_fail("cannot read %s (440 bytes of MBR boot code)", mbrbin);
        } else {
            int fd = open(o->disk_path, O_WRONLY | O_CLOEXEC);
            if (fd < 0 || pwrite_full(fd, code, 440, 0) < 0 || fsync(fd) < 0)
                rc = log_fail("cannot write the MBR boot code to %s: %s", o->disk_path, strerror(errno));
            if (fd >= 0)
                close(fd);
        }
        free(code);
        free(mbrbin);
    }
    free(mods);
    free(dir);
    return rc;
}

int bootdisk_install(const struct bootdisk_opts *o, struct bootdisk_result *res)
{
    memset(res, 0, sizeof *res);
    if ((o->kernel_args && !esc_value_ok(o->kernel_args)) || (o->title && !esc_value_ok(o->title)))
        return log_fail("boot loader: the kernel command line or the menu title has a newline or control "
                        "character");
    struct part_layout *l = o->layout;
    struct part_spec *rootp = part_find(l, "/"), *bootp = part_find(l, "/boot");
    bool sep_boot = bootp != NULL;
    if (!bootp)
        bootp = rootp;
    const char *kprefix = sep_boot ? "" : "/boot";
    const char *grubdir_in_fs = sep_boot ? "/grub2" : "/boot/grub2";
    int nk = 0;
    char **kernels = find_kernels(o->instroot, &nk);
    res->nkernels = nk;
    if (nk == 0)
        log_warn("no kernel in /boot: the disk will not boot");
    bool has_initrd = false;
    if (nk) {
        char *p = xasprintf("%s/boot/initramfs-%s.img", o->instroot, kernels[0]);
        has_initrd = path_exists(p);
        free(p);
    }
    char *moddir = path_join(o->instroot, "usr/lib/grub/i386-pc");
    char *bootimg = path_join(moddir, "boot.img");
    bool grub_pc = path_exists(bootimg);
    free(bootimg);
    int rc = 0;
    bool use_extlinux = o->bios && find_extlinux(o->instroot) && (!grub_pc || o->want_extlinux);
    if (o->bios && use_extlinux) {
        rc = install_extlinux(o, rootp, kernels, kprefix, has_initrd);
        res->extlinux = rc == 0;
    } else if (o->bios && grub_pc) {
        rc = install_grub_bios(o, moddir, bootp, grubdir_in_fs);
        res->grub_bios = rc == 0;
    } else if (o->bios) {
        log_warn("the image has neither grub2-pc-modules nor extlinux: no BIOS boot loader installed");
    }
    if (rc == 0 && o->uefi) {
        int u = install_grub_uefi(o, bootp, grubdir_in_fs);
        if (u < 0)
            rc = -1;
        else if (u == 0)
            res->grub_uefi = true;
        else
            log_warn("the image has no EFI boot loader (grub2-efi-x64 / shim-x64): no UEFI boot");
    }
    if (rc == 0 && (res->grub_bios || res->grub_uefi)) {
        char *cfg = bootdisk_grub_cfg(o->title, (const char *const *)kernels, kprefix, bootp->uuid, rootp->uuid,
                                      rootp->fstype, o->kernel_args, o->timeout, has_initrd);
        char *dir = path_join(o->instroot, "boot/grub2");
        mkdir_p(dir, 0755);
        char *f = path_join(dir, "grub.cfg");
        if (write_file(f, cfg, 0644) < 0)
            rc = log_fail("cannot write %s: %s", f, strerror(errno));
        free(f);
        free(dir);
        free(cfg);
    }
    free(moddir);
    free_strs(kernels);
    return rc;
}

int bootdisk_fill_esp(const char *fatdev, const char *srcdir)
{
    DIR *d = opendir(srcdir);
    if (!d)
        return 0;
    strv_t argv = { 0 };
    strv_pushv(&argv, "mcopy", "-i", fatdev, "-s", "-p", "-Q", "-n", "-m", NULL);
    size_t fixed = argv.n;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            strv_push_take(&argv, path_join(srcdir, e->d_name));
    closedir(d);
    int rc = 0;
    if (argv.n > fixed) {
        strv_push(&argv, "::/");
        const char *env[] = { "MTOOLS_SKIP_CHECK=1", NULL };
        struct run_opts ro = { 0 };
        ro.env = env;
        if (run_argv(strv_argv(&argv), &ro) != 0)
            rc = log_fail("mcopy into the EFI System Partition failed: %s", run_last_output());
    }
    strv_free(&argv);
    return rc;
}
