/* vmformat.h - disk image output formats and checksums of
 * disk images.
 *
 * Contract: functions return 0 or -1 after log_fail(); output paths are
 * malloc'd.  Conversions use qemu-img (Debian qemu-utils), compression
 * `xz -T0` (all cores), bmap files bmaptool (optional, bmap-tools).
 */
#ifndef KSC_VMFORMAT_H
#define KSC_VMFORMAT_H

#include <stdbool.h>

int vm_format_valid(const char *format);   /* 1 if known */
const char *vm_format_ext(const char *format);
/* Convert RAW into FORMAT at DST (qemu-img convert; raw: rename/copy; raw.xz: xz -T0). */
int vm_convert(const char *raw, const char *format, bool compress, const char *dst);
/* qemu-img create -f qcow2 -b BASE(relative name) -F qcow2 OVERLAY */
int vm_qcow2_overlay(const char *base, const char *overlay);
/* Write PATH.<algo> as "<hash>  <basename>" (sha256sum format). */
int vm_checksum(const char *path, const char *algo, char **sumfile);
int vm_bmap(const char *raw, char **bmapfile);
/* qemu-img info --output=json into *json (malloc'd) */
int vm_info(const char *path, char **json);

#endif
