/* livecd.c - the live ISO backend (livecd-creator's LiveImageCreator),
 * without device-mapper: its options and hooks; the work is done by the
 * parts in livecd_rootfs.c, livecd_boot.c and livecd_iso.c
 * (imgtypes/livecd_internal.h).
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
 *                      LiveOS/squashfs.img (or the root tree itself with
 *                      --flat-squashfs; LiveOS/rootfs.img unsquashed with
 *                      --skip-compression), write <outdir>/<name>.iso with media
 *                      check data, <name>-CHECKSUM, and with --resultdir the
 *                      compose outputs (core/compose_result.h)
 *
 * BIOS boot: GRUB2 (images/eltorito.img, boot/grub2/, boot_hybrid.img MBR,
 * efiboot.img appended as GPT partition 2) as livecd-creator's default when
 * the image has /usr/lib/grub/i386-pc; ISOLINUX with --syslinux (or as the
 * fallback when the image has no GRUB for BIOS).  Every kernel in /boot gets
 * menu entries (the newest is the default: images/pxeboot/vmlinuz and
 * initrd.img, the others vmlinuz1, initrd1.img, ...), each with a media check
 * and a basic graphics (nomodeset) entry.  Kernel options of the kickstart's
 * bootloader --append are passed through unchanged: the rd.live.overlay*
 * persistence options (rd.live.overlay=, rd.live.overlay.size=,
 * rd.live.overlay.overlayfs, rd.live.overlay.readonly) go to dracut's
 * dmsquash-live; --flat-squashfs adds rd.live.overlay.overlayfs.
 */
#define _GNU_SOURCE
#include "imgtypes/livecd.h"
#include "imgtypes/livecd_internal.h"
#include "core/base/log.h"
#include "core/base/reproducible.h"
#include "core/base/util.h"
#include "core/creator.h"
#include "core/imgtype.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---------------------------------------------------------------- options */

void livecd_opts_init(struct livecd_opts *o)
{
    *o = (struct livecd_opts){ .base_on = NULL };
    squashfs_comp_init(&o->comp);
}

int livecd_opts_check(const struct livecd_opts *o, char *err, size_t errlen)
{
    struct stat st;
    if (o->base_on && (stat(o->base_on, &st) < 0 || !S_ISREG(st.st_mode))) {
        snprintf(err, errlen, "Image file '%s' does not exist", o->base_on);
        return -1;
    }
    return 0;
}

static const struct livecd_opts *opts(const struct creator *cr)
{
    return cr->type_opts;
}

/* ------------------------------------------------------------------ hooks */

static void free_state(struct creator *cr);

static int live_mount(struct creator *cr)
{
    struct live_state *st = xcalloc(1, sizeof *st);
    cr->priv = st;
    st->sde = reproducible_epoch();
    st->comp = opts(cr)->comp;
    return live_rootfs_mount(cr, st, opts(cr)->base_on);
}

/* File systems and drivers the live initramfs must carry to find its medium
 * (CD, USB, SD, virtual disks), as livecd-creator configures dracut. */
static const char live_filesystems[] = "vfat msdos isofs ext4 xfs btrfs f2fs squashfs";
static const char live_drivers[] =
    "sr_mod sd_mod ide-cd cdrom =ata sym53c8xx aic7xxx ehci_hcd uhci_hcd ohci_hcd "
    "usb_storage usbhid uas firewire-sbp2 firewire-ohci sbp2 ohci1394 ieee1394 "
    "mmc_block sdhci sdhci-pci pata_pcmcia mptsas virtio_blk virtio_pci virtio_scsi "
    "virtio_net virtio_mmio virtio_balloon virtio-rng";

/* livecd-creator's 99-liveos.conf: its defaults unless --dracut-conf-args
 * replaces them (a leading '+' appends to them); filesystems and drivers
 * always follow. */
char *live_dracut_conf(const char *args, const char *compressor, bool reproducible)
{
    char *body;
    if (!args || !*args || args[0] == '+')
        body = xasprintf("mdadmconf=no\nlvmconf=no\ncompress=%s\n"
                         "add_dracutmodules+=\" livenet dmsquash-live dmsquash-live-autooverlay "
                         "dmsquash-live-ntfs overlayfs convertfs pollcdrom qemu qemu-net \"\n"
                         "hostonly=no\nearly_microcode=no\ndracut_rescue_image=no\n%s%s",
                         compressor && *compressor ? compressor : "xz", args && *args ? args + 1 : "",
                         args && *args && args[strlen(args) - 1] != '\n' ? "\n" : "");
    else
        body = xasprintf("%s\n", args);
    /* one setting per line: "a=b c=d" on one line becomes two lines, keeping
     * quoted values ("...") together */
    char *norm = xmalloc(strlen(body) * 2 + 1), *o = norm;
    bool inq = false;
    for (const char *p = body; *p; p++) {
        if (*p == '"')
            inq = !inq;
        if (*p == ' ' && !inq) {
            const char *q = p;
            while (*q == ' ')
                q++;
            /* a new NAME= or NAME+= starts here */
            const char *e = q;
            while ((*e >= 'a' && *e <= 'z') || (*e >= 'A' && *e <= 'Z') || (*e >= '0' && *e <= '9') || *e == '_')
                e++;
            if (e > q && (*e == '=' || (e[0] == '+' && e[1] == '='))) {
                *o++ = '\n';
                p = q - 1;
                continue;
            }
        }
        *o++ = *p;
    }
    *o = 0;
    free(body);
    char *text = xasprintf("# configuration from /etc/dracut.conf.d/99-liveos.conf (kscreate; removed after the build)\n"
                           "%s\nfilesystems+=\" %s \"\nadd_drivers+=\" %s \"\n%s",
                           norm, live_filesystems, live_drivers, reproducible ? "reproducible=yes\n" : "");
    free(norm);
    return text;
}

static int live_pre_install(struct creator *cr)
{
    struct live_state *st = cr->priv;
    const struct livecd_opts *o = opts(cr);
    char *dir = path_join(cr->instroot, "etc/dracut.conf.d");
    char *conf = path_join(cr->instroot, LIVE_DRACUT_CONF);
    char *text = live_dracut_conf(o->dracut_conf_args, st ? st->comp.type : o->comp.type,
                                  reproducible_epoch() >= 0);
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

static int live_bootconfig(struct creator *cr)
{
    struct live_state *st = cr->priv;
    if (!st) { /* a root not mounted by us (tests, tools that stage only) */
        cr->priv = st = xcalloc(1, sizeof *st);
        st->sde = reproducible_epoch();
        st->comp = opts(cr)->comp;
    }
    return live_boot_stage(cr, st, opts(cr)->syslinux, opts(cr)->flat_squashfs);
}

static int live_unmount(struct creator *cr)
{
    struct live_state *st = cr->priv;
    return st ? live_rootfs_release(cr, st) : 0;
}

static void free_state(struct creator *cr)
{
    struct live_state *st = cr->priv;
    if (!st)
        return;
    free(st->image);
    free(st->mbr);
    free(st->grub_mbr);
    free(st->efiboot);
    free(st->rpm_manifest);
    free(st);
    cr->priv = NULL;
}

static int live_stage(struct creator *cr)
{
    struct live_state *st = cr->priv;
    if (!st)
        return log_fail("the live image was never mounted");
    const struct livecd_opts *o = opts(cr);
    int rc = live_rootfs_squash(cr, st, !o->skip_minimize, o->skip_compression, o->flat_squashfs);
    if (rc == 0)
        rc = live_iso_write(cr, st);
    free_state(cr);
    return rc;
}

/* --syslinux boots BIOS through ISOLINUX from the image's own syslinux */
static const char *const *live_required_packages(const struct creator *cr)
{
    static const char *const syslinux[] = { "syslinux", NULL };
    return opts(cr)->syslinux ? syslinux : NULL;
}

const struct imgtype imgtype_livecd = {
    .name = "livecd",
    .description = "a bootable hybrid live ISO (livecd-creator)",
    .required_packages = live_required_packages,
    .mount_instroot = live_mount,
    .pre_install = live_pre_install,
    .create_bootconfig = live_bootconfig,
    .unmount_instroot = live_unmount,
    .stage_final_image = live_stage,
    .free_state = free_state,
};
