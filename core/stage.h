/* stage.h - copying files into a staging tree (the ISO or media root).
 *
 * Contract: stage_copy() copies SRC to STAGEDIR/REL, creating the parent
 * directories, with MODE (0: keep the source's); 0, or -1 after log_fail()
 * naming both paths.
 * stage_syslinux_file() finds a syslinux file in an image root's syslinux
 * directories; stage_efi_vendor() names the directory under
 * ROOT/boot/efi/EFI that holds grubx64.efi (first by name).  Both return a
 * malloc'd string or NULL.
 * stage_isolinux_files() copies the image's syslinux FILES into
 * STAGEDIR/isolinux/: a missing required one fails ("NAME is not in WHERE
 * (/usr/share/syslinux): add 'syslinux' to PACKAGES"); it returns how many
 * optional ones were there, or -1.
 */
#ifndef KSC_STAGE_H
#define KSC_STAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

int   stage_copy(const char *src, const char *stagedir, const char *rel, mode_t mode);
char *stage_syslinux_file(const char *root, const char *file);
char *stage_efi_vendor(const char *root);

struct stage_file {
    const char *name;
    bool required;
};
int   stage_isolinux_files(const char *root, const char *stagedir, const struct stage_file *files, size_t n,
                           const char *where, const char *packages);

#endif
