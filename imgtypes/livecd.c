/* livecd.c - the live ISO backend (livecd-creator's LiveImageCreator),
 * without device-mapper.
 *
 *   mount_instroot     sparse ext4 rootfs.img (size of `part /`, default
 *                      4096 MiB) in the work directory, loop mounted at instroot
 *   pre_install        /etc/dracut.conf.d/99-liveos.conf (live initramfs) and
 *                      an /etc/fstab, before the first package
 *   create_bootconfig  stagedir (LIVE_ROOT): images/pxeboot/{vmlinuz,initrd.img},
 *                      isolinux/ (from the image's syslinux), EFI/BOOT/ (the
 *                      image's shim/GRUB), boot loader configs from templates,
 *                      images/efiboot.img; isohdpfx.bin kept for the ISO
 *   unmount_instroot   drop the dracut snippet, unmount, detach
 *   stage_final_image  check + minimize + resparse rootfs.img, squash it into
 *                      LiveOS/squashfs.img (or LiveOS/rootfs.img uncompressed
 *                      with --skip-compression), write <outdir>/<name>.iso
 */
#define _GNU_SOURCE
#include "imgtype.h"
#include "../core/bootcfg.h"
#include "../core/cleanup.h"
#include "../core/creator.h"
#include "../core/efiboot.h"
#include "../core/fs.h"
#include "../core/iso_write.h"
#include "../core/log.h"
#include "../core/mount.h"
#include "../core/run.h"
#include "../core/squashfs.h"
#include "../core/util.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define KERNEL_ON_ISO "/images/pxeboot/vmlinuz"
#define INITRD_ON_ISO "/images/pxeboot/initrd.img"
#define DRACUT_CONF "etc/dracut.conf.d/99-liveos.conf"

struct live_state {
    char *image;          /* <workdir>/rootfs.img */
    const char *fstype;
    uint64_t size;        /* bytes */
    int loop_id, mount_id;
    char *mbr;            /* copy of the image's isohdpfx.bin, or NULL */
    bool have_efi;
};

/* ------------------------------------------------------------------ mount */

static int live_mount(struct creator *cr)
{
    struct live_state *st = xcalloc(1, sizeof *st);
    cr->priv = st;
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
    log_verbose("live root: %s, %ld MiB %s, label %s", st->image, mib, st->fstype, cr->fslabel);
    if (fs_make_sparse(st->image, st->size) < 0 || fs_mkfs(st->image, st->fstype, cr->fslabel, NULL) < 0)
        return -1;
    char dev[64];
    st->loop_id = loop_attach(st->image, 0, 0, false, dev, sizeof dev);
    if (st->loop_id < 0)
        return -1;
    st->mount_id = mount_fs(dev, cr->instroot, st->fstype, 0, NULL);
    if (st->mount_id < 0)
        return -1;
    return 0;
}

/* ------------------------------------------------------------ pre_install */

/* File systems and drivers the live initramfs must carry to find its medium
 * (CD, USB, SD, virtual disks), as livecd-creator configures dracut. */
static const char live_filesystems[] = "vfat msdos isofs ext4 xfs btrfs squashfs";
static const char live_drivers[] =
    "sr_mod sd_mod ide-cd cdrom =ata sym53c8xx aic7xxx ehci_hcd uhci_hcd ohci_hcd "
    "usb_storage usbhid uas firewire-sbp2 firewire-ohci sbp2 ohci1394 ieee1394 "
    "mmc_block sdhci sdhci-pci pata_pcmcia mptsas virtio_blk virtio_pci virtio_scsi "
    "virtio_net virtio_mmio virtio_balloon virtio-rng";

static int live_pre_install(struct creator *cr)
{
    struct live_state *st = cr->priv;
    char *dir = path_join(cr->instroot, "etc/dracut.conf.d");
    char *conf = path_join(cr->instroot, DRACUT_CONF);
    char *text = xasprintf("# written by kscreate for the live image build; removed afterwards\n"
                           "filesystems+=\" %s \"\n"
                           "add_drivers+=\" %s \"\n"
                           "add_dracutmodules+=\" livenet dmsquash-live pollcdrom \"\n"
                           "hostonly=\"no\"\n"
                           "dracut_rescue_image=\"no\"\n",
                           live_filesystems, live_drivers);
    int rc = 0;
    if (mkdir_p(dir, 0755) < 0 || write_file(conf, text, 0644) < 0)
        rc = log_fail("cannot write %s: %s", conf, strerror(errno));
    free(text);
    free(conf);
    free(dir);
    if (rc < 0)
        return -1;

    /* the live root is /dev/root (set up by dmsquash-live), as livecd-creator writes */
    char *fstab = path_join(cr->instroot, "etc/fstab");
    if (!path_exists(fstab)) {
        char *tab = xasprintf("/dev/root  /         %-7s defaults,noatime 0 0\n"
                              "devpts     /dev/pts  devpts  gid=5,mode=620   0 0\n"
                              "tmpfs      /dev/shm  tmpfs   defaults         0 0\n"
                              "proc       /proc     proc    defaults         0 0\n"
                              "sysfs      /sys      sysfs   defaults         0 0\n",
                              st ? st->fstype : "ext4");
        if (write_file(fstab, tab, 0644) < 0)
            rc = log_fail("cannot write %s: %s", fstab, strerror(errno));
        free(tab);
    }
    free(fstab);
    return rc;
}

/* ------------------------------------------------------ create_bootconfig */

static int copy_into(const char *src, const char *stagedir, const char *rel, mode_t mode)
{
    char *dst = path_join(stagedir, rel);
    char *dir = xstrdup(dst);
    *strrchr(dir, '/') = 0;
    int rc = 0;
    if (mkdir_p(dir, 0755) < 0 || copy_file(src, dst, mode) < 0)
        rc = log_fail("cannot copy %s to %s: %s", src, dst, strerror(errno));
    free(dir);
    free(dst);
    return rc;
}

/* Newest kernel version with /boot/vmlinuz-<ver> (or /usr/lib/modules/<ver>/vmlinuz). */
static char *find_kernel(const char *root, char **vmlinuz)
{
    char *best = NULL;
    char *boot = path_join(root, "boot");
    DIR *d = opendir(boot);
    if (d) {
        struct dirent *de;
        while ((de = readdir(d))) {
            if (!str_startswith(de->d_name, "vmlinuz-") || strstr(de->d_name, "-rescue-") ||
                str_endswith(de->d_name, ".hmac"))
                continue;
            const char *ver = de->d_name + 8;
            if (!best || strverscmp(ver, best) > 0) {
                free(best);
                best = xstrdup(ver);
            }
        }
        closedir(d);
    }
    if (best) {
        *vmlinuz = xasprintf("%s/vmlinuz-%s", boot, best);
        free(boot);
        return best;
    }
    free(boot);
    char *mods = path_join(root, "usr/lib/modules");
    d = opendir(mods);
    if (d) {
        struct dirent *de;
        while ((de = readdir(d))) {
            if (de->d_name[0] == '.')
                continue;
            char *v = xasprintf("%s/%s/vmlinuz", mods, de->d_name);
            if (path_exists(v) && (!best || strverscmp(de->d_name, best) > 0)) {
                free(best);
                best = xstrdup(de->d_name);
            }
            free(v);
        }
        closedir(d);
    }
    if (best)
        *vmlinuz = xasprintf("%s/%s/vmlinuz", mods, best);
    free(mods);
    return best;
}

static int stage_kernel(struct creator *cr)
{
    char *vmlinuz = NULL;
    char *ver = find_kernel(cr->instroot, &vmlinuz);
    if (!ver)
        return log_fail("no kernel in the image (no /boot/vmlinuz-*): add 'kernel' to %%packages");
    char *initrd = xasprintf("%s/boot/initramfs-%s.img", cr->instroot, ver);
    int rc = 0;
    if (!path_exists(initrd))
        rc = log_fail("no initramfs for kernel %s in the image (/boot/initramfs-%s.img): is dracut "
                      "in %%packages?", ver, ver);
    else if (copy_into(vmlinuz, cr->stagedir, KERNEL_ON_ISO + 1, 0644) < 0 ||
             copy_into(initrd, cr->stagedir, INITRD_ON_ISO + 1, 0644) < 0)
        rc = -1;
    else
        log_info("live kernel %s", ver);
    free(initrd);
    free(vmlinuz);
    free(ver);
    return rc;
}

/* Find FILE in the image's syslinux directories; returns a malloc'd path or NULL. */
static char *syslinux_file(const char *root, const char *file)
{
    static const char *const dirs[] = { "usr/share/syslinux", "usr/lib/syslinux/modules/bios",
                                        "usr/lib/ISOLINUX", "usr/lib/syslinux/mbr", "usr/lib/syslinux" };
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        char *p = xasprintf("%s/%s/%s", root, dirs[i], file);
        if (path_exists(p))
            return p;
        free(p);
    }
    return NULL;
}

static int stage_isolinux(struct creator *cr, struct live_state *st)
{
    static const struct { const char *name; bool required; } files[] = {
        { "isolinux.bin", true }, { "ldlinux.c32", true }, { "libcom32.c32", true },
        { "libutil.c32", true },  { "vesamenu.c32", false }, { "menu.c32", false },
    };
    int menus = 0;
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char *src = syslinux_file(cr->instroot, files[i].name);
        if (!src) {
            if (files[i].required)
                return log_fail("%s is not in the image (/usr/share/syslinux): add 'syslinux' to %%packages",
                                files[i].name);
            continue;
        }
        char *rel = xasprintf("isolinux/%s", files[i].name);
        int rc = copy_into(src, cr->stagedir, rel, 0644);
        free(rel);
        free(src);
        if (rc < 0)
            return -1;
        if (!files[i].required)
            menus++;
    }
    if (!menus)
        return log_fail("syslinux in the image has no vesamenu.c32 or menu.c32");

    char *mbr = syslinux_file(cr->instroot, "isohdpfx.bin");
    if (mbr) {
        free(st->mbr);
        st->mbr = path_join(cr->workdir, "isohdpfx.bin");
        if (copy_file(mbr, st->mbr, 0644) < 0) {
            int e = errno;
            free(mbr);
            return log_fail("cannot copy isohdpfx.bin: %s", strerror(e));
        }
        free(mbr);
    } else {
        log_warn("no isohdpfx.bin in the image's syslinux: the ISO will boot as a CD only, not as a disk");
    }
    return 0;
}

/* The image's GRUB (and shim) from /boot/efi/EFI/<vendor>/. */
static int stage_efi(struct creator *cr, struct live_state *st)
{
    char *efiroot = path_join(cr->instroot, "boot/efi/EFI");
    char *grub = NULL, *shim = NULL, *mm = NULL;
    DIR *d = opendir(efiroot);
    if (d) {
        struct dirent *de;
        char *vendor = NULL;
        while ((de = readdir(d))) {
            if (de->d_name[0] == '.' || !strcasecmp(de->d_name, "BOOT"))
                continue;
            char *g = xasprintf("%s/%s/grubx64.efi", efiroot, de->d_name);
            if (path_exists(g) && (!vendor || strcmp(de->d_name, vendor) < 0)) {
                free(vendor);
                vendor = xstrdup(de->d_name);
            }
            free(g);
        }
        closedir(d);
        if (vendor) {
            grub = xasprintf("%s/%s/grubx64.efi", efiroot, vendor);
            char *s = xasprintf("%s/%s/shimx64.efi", efiroot, vendor);
            char *m = xasprintf("%s/%s/mmx64.efi", efiroot, vendor);
            if (path_exists(s))
                shim = s;
            else
                free(s);
            if (path_exists(m))
                mm = m;
            else
                free(m);
            log_verbose("UEFI boot loader from EFI/%s: %s%s", vendor, shim ? "shim + " : "", "GRUB");
            free(vendor);
        }
    }
    free(efiroot);
    if (!grub) {
        log_warn("no GRUB for UEFI in the image (/boot/efi/EFI/*/grubx64.efi): "
                 "the ISO will not boot with UEFI (add grub2-efi-x64 and shim-x64 to %%packages)");
        return 0;
    }
    int rc = 0;
    if (copy_into(shim ? shim : grub, cr->stagedir, "EFI/BOOT/BOOTX64.EFI", 0644) < 0 ||
        copy_into(grub, cr->stagedir, "EFI/BOOT/grubx64.efi", 0644) < 0 ||
        (mm && copy_into(mm, cr->stagedir, "EFI/BOOT/mmx64.efi", 0644) < 0))
        rc = -1;
    free(grub);
    free(shim);
    free(mm);
    if (rc == 0)
        st->have_efi = true;
    return rc;
}

static int write_configs(struct creator *cr, struct live_state *st)
{
    struct bootcfg_vars v = {
        .title = cr->title ? cr->title : cr->fslabel,
        .label = cr->fslabel,
        .kernel = KERNEL_ON_ISO,
        .initrd = INITRD_ON_ISO,
        .kargs = cr->kernel_args ? cr->kernel_args : "",
        .timeout = cr->bootloader_timeout,
    };
    const char *datadir = cr->datadir ? cr->datadir : "config";
    char *t1 = path_join(datadir, "isolinux.cfg.in"), *o1 = path_join(cr->stagedir, "isolinux/isolinux.cfg");
    int rc = bootcfg_write(t1, o1, &v);
    if (rc == 0) {
        /* the menu module the config asks for must be on the ISO */
        char *text = NULL;
        size_t len;
        if (read_file(o1, &text, &len) == 0) {
            for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
                while (*line == ' ' || *line == '\t')
                    line++;
                if (strncasecmp(line, "ui ", 3))
                    continue;
                char mod[64];
                if (sscanf(line + 3, "%63s", mod) == 1) {
                    char *p = xasprintf("%s/isolinux/%s", cr->stagedir, mod);
                    if (!path_exists(p))
                        rc = log_fail("%s asks for %s but the image's syslinux has no such module", t1, mod);
                    free(p);
                }
            }
            free(text);
        }
    }
    free(t1);
    free(o1);
    if (rc < 0 || !st->have_efi)
        return rc;
    char *t2 = path_join(datadir, "grub.cfg.in"), *o2 = path_join(cr->stagedir, "EFI/BOOT/grub.cfg");
    rc = bootcfg_write(t2, o2, &v);
    free(t2);
    free(o2);
    return rc;
}

static int live_bootconfig(struct creator *cr)
{
    struct live_state *st = cr->priv;
    if (!st) /* a root not mounted by us (tests, tools that stage only) */
        cr->priv = st = xcalloc(1, sizeof *st);
    if (stage_kernel(cr) < 0 || stage_isolinux(cr, st) < 0 || stage_efi(cr, st) < 0 ||
        write_configs(cr, st) < 0)
        return -1;
    if (!st->have_efi)
        return 0;
    char *efi = path_join(cr->stagedir, "EFI"), *img = path_join(cr->stagedir, "images/efiboot.img");
    int rc = efiboot_make(efi, img, NULL);
    free(efi);
    free(img);
    return rc;
}

/* ---------------------------------------------------------------- unmount */

static int live_unmount(struct creator *cr)
{
    struct live_state *st = cr->priv;
    if (!st)
        return 0;
    int rc = 0;
    if (st->mount_id > 0) {
        /* the dracut snippet is for the build only (as livecd-creator) */
        char *conf = path_join(cr->instroot, DRACUT_CONF);
        char *rpmnew = xasprintf("%s.rpmnew", conf);
        unlink(conf);
        if (path_exists(rpmnew))
            rename(rpmnew, conf);
        free(rpmnew);
        free(conf);
        if (mount_release(st->mount_id) < 0)
            rc = -1;
        st->mount_id = 0;
    }
    if (st->loop_id > 0 && cleanup_release(st->loop_id) < 0)
        rc = -1;
    st->loop_id = 0;
    return rc;
}

/* ------------------------------------------------------------------ stage */

static void free_state(struct creator *cr)
{
    struct live_state *st = cr->priv;
    if (!st)
        return;
    free(st->image);
    free(st->mbr);
    free(st);
    cr->priv = NULL;
}

static int live_stage(struct creator *cr)
{
    struct live_state *st = cr->priv;
    if (!st)
        return log_fail("the live image was never mounted");
    int rc = -1;
    char *livedir = path_join(cr->stagedir, "LiveOS");
    char *sqroot = path_join(cr->workdir, "squashfs-root");
    char *sqlive = path_join(sqroot, "LiveOS");
    char *sqimg = path_join(sqlive, "rootfs.img");
    char *iso = NULL;
    if (mkdir_p(livedir, 0755) < 0) {
        log_fail("cannot create %s: %s", livedir, strerror(errno));
        goto out;
    }

    double t0 = now_seconds();
    if (fs_check(st->image, st->fstype) < 0)
        goto out;
    if (!cr->skip_minimize) {
        /* compact the data at the start, then give the live system its free
         * space back as a sparse tail (livecd-creator's resparse) */
        uint64_t min = 0;
        if (fs_minimize(st->image, &min) < 0 || fs_resize(st->image, st->size) < 0)
            goto out;
        log_info("root file system minimized to %llu MiB (%.1f s)", (unsigned long long)(min >> 20),
                 now_seconds() - t0);
    }

    if (mkdir_p(sqlive, 0755) < 0 || rename(st->image, sqimg) < 0) {
        log_fail("cannot move %s to %s: %s", st->image, sqimg, strerror(errno));
        goto out;
    }
    /* --skip-compression: still a squashfs (it keeps the sparse tail of
     * rootfs.img small), but with every compression turned off */
    char *sq = path_join(livedir, "squashfs.img");
    struct squashfs_opts so = { .compression = cr->compression, .comp_args = cr->compression_args,
                                .uncompressed = cr->skip_compression };
    int r = squashfs_make(sqroot, sq, &so);
    free(sq);
    if (!cr->nocleanup)
        unlink(sqimg);
    if (r < 0)
        goto out;

    iso = xasprintf("%s/%s.iso", cr->outdir, cr->name);
    struct iso_opts io = {
        .srcdir = cr->stagedir,
        .output = iso,
        .volid = cr->fslabel,
        .mbr = st->mbr,
        .bios_boot = "isolinux/isolinux.bin",
        .boot_catalog = "isolinux/boot.cat",
        .efi_image = st->have_efi ? "images/efiboot.img" : NULL,
        .application_id = cr->product,
        .implant_md5 = true,
    };
    if (iso_write(&io) < 0)
        goto out;
    creator_add_artifact(cr, iso);
    rc = 0;
out:
    free(iso);
    free(sqimg);
    free(sqlive);
    free(sqroot);
    free(livedir);
    free_state(cr);
    return rc;
}

const struct imgtype imgtype_livecd = {
    .name = "livecd",
    .description = "a bootable hybrid live ISO (livecd-creator)",
    .mount_instroot = live_mount,
    .pre_install = live_pre_install,
    .create_bootconfig = live_bootconfig,
    .unmount_instroot = live_unmount,
    .stage_final_image = live_stage,
    .free_state = free_state,
};
