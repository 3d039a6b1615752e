/* iso_write.h - write a hybrid (CD + disk, BIOS + UEFI) ISO 9660 image with
 * libisoburn's xorriso API, in process, with xorriso's messages in our log.
 *
 * With implant_md5 xorriso writes into a FIFO and two threads copy it to the
 * file, computing the media check MD5 on the way (one pass, isomd5.h).
 * The layout is what `xorriso -as mkisofs` gets from
 *   -V VOLID -R -J -joliet-long -iso-level 3
 *   -isohybrid-mbr MBR
 *   -b BIOS_BOOT -c BOOT_CATALOG -no-emul-boot -boot-load-size 4 -boot-info-table
 *   -eltorito-alt-boot -e EFI_IMAGE -no-emul-boot -isohybrid-gpt-basdat
 *   SRCDIR
 * (tests/fixtures/README.md, booted as BIOS/UEFI x CD/disk).  The GPT made by
 * -isohybrid-gpt-basdat marks efiboot.img as Basic Data; the MBR marks it 0xEF
 * and OVMF boots it either way.  Every boot part is optional (NULL).  The image is written to a temporary
 * file next to OUTPUT and renamed to OUTPUT only when complete, so a failed
 * or interrupted write never leaves a file under OUTPUT (nor the temporary).
 * Contract: 0 on success, -1 after log_fail() (with xorriso's message).
 */
#ifndef KSC_ISO_WRITE_H
#define KSC_ISO_WRITE_H

#include <stdbool.h>

#define ISO_VOLID_MAX 32

struct iso_opts {
    const char *srcdir;        /* the tree that becomes the ISO root */
    const char *output;        /* final path of the ISO */
    const char *volid;         /* volume id, 1..32 characters */
    const char *mbr;           /* isohybrid MBR template (isohdpfx.bin) or NULL */
    const char *bios_boot;     /* El Torito BIOS image relative to srcdir, e.g. isolinux/isolinux.bin */
    const char *boot_catalog;  /* relative to srcdir, default isolinux/boot.cat */
    const char *efi_image;     /* El Torito EFI image relative to srcdir, e.g. images/efiboot.img */
    const char *application_id;/* optional */
    bool implant_md5;          /* implant media check data (isomd5.h), in process */
    /* GRUB2 BIOS layout (livecd-creator's default): GRUB's boot_hybrid.img as
     * MBR (--grub2-mbr, -partition_offset 16), bios_boot = images/eltorito.img
     * with --grub2-boot-info, the catalog hidden, and EFI_APPEND (a FAT
     * image outside srcdir) appended as GPT partition 2 of type EFI System,
     * also the El Torito EFI image. */
    const char *grub2_mbr;     /* host path of boot_hybrid.img, or NULL */
    const char *efi_append;    /* host path of efiboot.img to append, or NULL */
    long long source_date_epoch; /* > 0: fixed volume dates, UUID, GPT GUIDs,
                                    file times (set to mtime); <= 0: now */
    char *md5_out;             /* if set (>= 33 bytes): the implanted media MD5 */
};

/* Check a volume id: 1..32 characters, no control characters. 0 or -1 + log_fail. */
int iso_check_volid(const char *volid);

int iso_write(const struct iso_opts *o);

#endif
