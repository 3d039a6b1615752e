/* raw.h - the partitioned disk image type (imgtypes/raw.c) and its options.
 *
 * appliance-creator (and image-creator --image-type raw) fill a struct
 * raw_opts (raw_opts_init: the defaults, raw_opts_check: validation) and
 * point creator.type_opts at it; raw_plan_check() validates a kickstart's
 * partitioning against them without writing anything.
 */
#ifndef KSC_IMGTYPES_RAW_H
#define KSC_IMGTYPES_RAW_H

#include <stdbool.h>
#include <stddef.h>

#include "core/imgtype.h"

extern const struct imgtype imgtype_raw;

struct raw_opts {
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

/* The defaults: raw, libvirt XML, 1 vCPU, 512 MiB, BIOS and UEFI. */
void raw_opts_init(struct raw_opts *o);

/* 0, or -1 with the reason in ERR (ERRLEN bytes): a known format and disk
 * label, --overlay only with qcow2, vmem >= 16, vcpu >= 1, disk_mib 0 or >= 4. */
int raw_opts_check(const struct raw_opts *o, char *err, size_t errlen);

struct kickstart;
struct part_layout;
/* Validate the kickstart's partitioning with the options O without writing
 * anything; the layout is returned when out is non-NULL. */
int raw_plan_check(const struct kickstart *ks, const struct raw_opts *o, struct part_layout **out);

#endif
