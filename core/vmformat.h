/* vmformat.h - disk image output formats, checksums and the options of the
 * disk backends (set by the tools, read by imgtypes/raw.c).
 *
 * Contract: functions return 0 or -1 after log_fail(); output paths are
 * malloc'd.  Conversions use qemu-img (Debian qemu-utils), compression
 * `xz -T0` (all cores), bmap files bmaptool (optional, bmap-tools).
 */
#ifndef KSC_VMFORMAT_H
#define KSC_VMFORMAT_H

#include <stdbool.h>

struct disk_image_opts {
    const char *format;        /* raw (default), qcow2, vmdk, vdi, vhdx, raw.xz */
    bool compress;             /* qcow2: compressed clusters; raw: raw.xz */
    const char *checksum;      /* NULL, or "sha256"/"sha512"/"md5": ARTIFACT.<algo> files */
    bool bmap;                 /* ARTIFACT.bmap for raw images (bmaptool) */
    bool libvirt_xml;          /* NAME.xml libvirt domain */
    int vcpu;                  /* default 1 */
    long vmem_mib;             /* default 512 */
    const char *overlay;       /* qcow2 only: also create this copy-on-write overlay (file name) */
    const char *disklabel;     /* gpt / msdos: overrides clearpart --disklabel */
    long disk_mib;             /* 0 = the sum of the partitions */
    bool no_bios, no_uefi;     /* skip a boot loader flavour */
    bool extlinux;             /* prefer extlinux when the image has both */
    const char *version, *release;  /* appliance-creator --version/--release (metadata) */
};

extern struct disk_image_opts disk_image_opts;

struct kickstart;
struct part_layout;
/* imgtypes/raw.c: validate the kickstart's partitioning with the options above
 * without writing anything; the layout is returned when out is non-NULL. */
int raw_plan_check(const struct kickstart *ks, struct part_layout **out);

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
