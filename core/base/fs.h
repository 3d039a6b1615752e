/* fs.h - filesystem images: sparse files, mkfs, check, minimise.
 *
 * Contract: 0 on success, -1 after log_fail() on error.  External tools come
 * from e2fsprogs/xfsprogs/btrfs-progs; their output goes to the log.
 */
#ifndef KSC_FS_H
#define KSC_FS_H

#include <stdint.h>

int fs_make_sparse(const char *path, uint64_t bytes);
int fs_mkfs(const char *dev_or_file, const char *fstype, const char *label, const char *uuid);
int fs_check(const char *image, const char *fstype);           /* e2fsck -f -y */
/* Shrink an ext image to its minimum (resize2fs -M) and truncate the file;
 * returns the new size in *bytes. */
int fs_minimize(const char *image, uint64_t *bytes);
/* Grow/shrink an ext image file to BYTES. */
int fs_resize(const char *image, uint64_t bytes);
/* Discard the free blocks of the file system mounted at MOUNTPOINT (FITRIM):
 * on a loop device this punches them out of the image file, so deleted
 * data takes no space.  *trimmed (may be NULL) gets the bytes discarded;
 * a file system or device without discard support is not an error (0). */
int fs_trim(const char *mountpoint, uint64_t *trimmed);

#endif
