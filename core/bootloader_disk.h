/* bootloader_disk.h - boot loaders for partitioned disk images.
 *
 * Contract:
 *  - bootdisk_install() runs with the image's filesystems mounted under
 *    instroot (the ESP is a plain directory at instroot/boot/efi that the
 *    caller copies into the FAT partition later with bootdisk_fill_esp()).
 *    From the image's own boot loader packages it installs:
 *      GRUB2 BIOS   when <root>/usr/lib/grub/i386-pc holds boot.img (grub2-pc-modules):
 *                   modules copied to /boot/grub2/i386-pc, core.img made with
 *                   grub-mkimage (host tool, the image's modules), boot.img written into
 *                   the MBR boot code area and core.img into the BIOS boot partition
 *                   (GPT) or the gap after the MBR (msdos), at offsets read back by
 *                   libfdisk;
 *      GRUB2 UEFI   when the ESP holds a GRUB EFI binary: EFI/BOOT/BOOTX64.EFI
 *                   (fallback path) and a grub.cfg stub next to it that finds /boot by UUID;
 *      extlinux     instead of GRUB when the image has no GRUB BIOS modules but
 *                   carries extlinux (syslinux-extlinux).
 *    and writes /boot/grub2/grub.cfg (or /boot/extlinux/extlinux.conf) with one
 *    entry per kernel in /boot: root=UUID=<root> ro <bootloader --append>
 *    (menu titles single-quoted for grub; a title or command line with a
 *    newline or control character is refused).
 *    Returns 0 or -1 after log_fail().  A disk with neither loader is not an error
 *    (a warning: the image will not boot by itself).
 *  - bootdisk_fill_esp() copies a directory tree into a FAT filesystem (device
 *    or image file) with mtools (mcopy), no mount: every top-level entry.
 */
#ifndef KSC_BOOTLOADER_DISK_H
#define KSC_BOOTLOADER_DISK_H

#include <stdbool.h>

#include "core/partition.h"

struct bootdisk_opts {
    const char *instroot;
    const char *workdir;         /* scratch space (core.img, early config) */
    const char *disk_path;       /* image file of the boot disk */
    struct part_layout *layout;  /* written, UUIDs filled */
    const char *title;
    const char *kernel_args;     /* bootloader --append */
    int timeout;                 /* seconds */
    bool bios, uefi;
    bool want_extlinux;          /* prefer extlinux when both are present */
    const char *boot_dev;        /* loop device of the filesystem holding /boot (extlinux) */
};

struct bootdisk_result {
    bool grub_bios, grub_uefi, extlinux;
    int nkernels;
};

int bootdisk_install(const struct bootdisk_opts *o, struct bootdisk_result *res);
int bootdisk_fill_esp(const char *fatdev, const char *srcdir);

/* The grub.cfg text for the kernels (exposed for tests).  kernels: NULL-terminated
 * version strings, newest first; boot_prefix "" when /boot is its own partition,
 * "/boot" otherwise. */
char *bootdisk_grub_cfg(const char *title, const char *const *kernels, const char *boot_prefix,
                        const char *boot_uuid, const char *root_uuid, const char *root_fstype,
                        const char *args, int timeout, bool has_initrd);

#endif
