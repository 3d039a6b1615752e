/* efiboot.h - the El Torito EFI boot image (images/efiboot.img).
 *
 * A FAT file system image made with mkfs.fat and filled with mtools (no
 * loop mounts).  Its size is computed from the contents plus slack.
 * Contract: 0 on success, -1 after log_fail() on error; on failure IMAGE is
 * removed.
 */
#ifndef KSC_EFIBOOT_H
#define KSC_EFIBOOT_H

#include <stdint.h>

/* Make IMAGE holding the directory EFIDIR as /EFI (EFIDIR is usually
 * <stagedir>/EFI with BOOT/BOOTX64.EFI, BOOT/grubx64.efi, BOOT/grub.cfg).
 * The label is "EFIBOOT" unless LABEL is given (<= 11 chars). */
int efiboot_make(const char *efidir, const char *image, const char *label);

/* Set every directory entry's times in the FAT IMAGE to EPOCH (UTC; 1980
 * at the earliest).  efiboot_make() does it, and uses a volume id derived
 * from it, when SOURCE_DATE_EPOCH is set. */
int efiboot_fix_times(const char *image, long long epoch);

/* The image size in bytes (a multiple of 1 MiB, at least 2 MiB) chosen for
 * a tree of NFILES files totalling FILE_BYTES and NDIRS directories: every
 * file and directory rounded up to 4 KiB clusters, FAT overhead, 10% + 1 MiB
 * slack. */
uint64_t efiboot_size_for(uint64_t file_bytes, unsigned nfiles, unsigned ndirs);

#endif
