/* livecd_internal.h - the parts of the live ISO backend, private to
 * imgtypes/livecd*.c:
 *
 *   livecd.c         the options (struct livecd_opts) and the image type's
 *                    hooks: it reads the options and hands each part what it
 *                    needs as arguments (the parts never see the options)
 *   livecd_rootfs.c  the root file system image: made or taken from
 *                    --base-on, mounted, released, minimized, squashed
 *   livecd_boot.c    the boot staging: kernels, GRUB2 or ISOLINUX for BIOS,
 *                    EFI, boot loader configs, efiboot.img
 *   livecd_iso.c     the ISO, its CHECKSUM file and the compose outputs
 *
 * Each returns 0 or -1 after log_fail(); the state lives in creator.priv.
 */
#ifndef KSC_LIVECD_INTERNAL_H
#define KSC_LIVECD_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "core/squashfs.h"

struct creator;

/* the dracut snippet of the build (written at pre_install, removed at unmount) */
#define LIVE_DRACUT_CONF "etc/dracut.conf.d/99-liveos.conf"

struct live_state {
    struct squashfs_comp comp;  /* the compressor in effect (None resolved at mount) */
    char *image;          /* <workdir>/rootfs.img */
    const char *fstype;
    uint64_t size;        /* bytes */
    int loop_id, mount_id;
    char *mbr;            /* copy of the image's isohdpfx.bin, or NULL */
    bool have_efi;
    bool grub_bios;       /* BIOS boot through GRUB2 (else ISOLINUX) */
    char *grub_mbr;       /* <stagedir>/boot/grub2/i386-pc/boot_hybrid.img */
    char *efiboot;        /* host path of efiboot.img */
    char *rpm_manifest;   /* <workdir>/rpm-manifest.tsv, written before unmount */
    long long sde;        /* SOURCE_DATE_EPOCH or -1 */
    double t_minimize, t_squashfs, t_iso, t_checksum;
};

/* livecd_rootfs.c: rootfs.img (size and type of `part /`) made, or taken from
 * the live ISO BASE_ON (then st->comp None becomes its compressor), and
 * mounted at the install root. */
int live_rootfs_mount(struct creator *cr, struct live_state *st, const char *base_on);
/* The licenses and livecd-iso-to-disk staged, the dracut snippet dropped,
 * times clamped (SOURCE_DATE_EPOCH), the root unmounted and detached. */
int live_rootfs_release(struct creator *cr, struct live_state *st);
/* Checked, rebuilt reproducibly, MINIMIZE'd, then LiveOS/squashfs.img with
 * st->comp (the root tree itself with FLAT_SQUASHFS) or, UNCOMPRESSED,
 * LiveOS/rootfs.img as it is. */
int live_rootfs_squash(struct creator *cr, struct live_state *st, bool minimize, bool uncompressed,
                       bool flat_squashfs);

/* livecd_boot.c: kernels, BIOS (ISOLINUX with SYSLINUX or without GRUB in
 * the image, else GRUB2) and UEFI boot into the staging tree, boot loader
 * configs (FLAT_SQUASHFS adds rd.live.overlay.overlayfs), efiboot.img. */
int live_boot_stage(struct creator *cr, struct live_state *st, bool syslinux, bool flat_squashfs);

/* livecd_iso.c: <outdir>/<name>.iso, <name>-CHECKSUM, the compose outputs. */
int live_iso_write(struct creator *cr, struct live_state *st);

#endif
