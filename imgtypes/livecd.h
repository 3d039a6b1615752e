/* livecd.h - the live ISO image type (imgtypes/livecd*.c) and its options.
 *
 * A tool fills a struct livecd_opts (livecd_opts_init gives the defaults,
 * livecd_opts_check validates) and points creator.type_opts at it before
 * creator_init().
 */
#ifndef KSC_LIVECD_H
#define KSC_LIVECD_H

#include <stdbool.h>
#include <stddef.h>

#include "core/imgtype.h"
#include "core/squashfs.h"

extern const struct imgtype imgtype_livecd;

struct livecd_opts {
    const char *base_on;          /* -b: a live ISO whose root file system is the start */
    struct squashfs_comp comp;    /* --compression-type (default xz; None: as base_on's) */
    const char *dracut_conf_args; /* --dracut-conf-args "[+]ARG ..." (NULL: the defaults) */
    bool syslinux;                /* --syslinux: BIOS through ISOLINUX (default GRUB2) */
    bool flat_squashfs;           /* --flat-squashfs: squash the root tree directly */
    bool skip_compression;        /* -s: LiveOS/rootfs.img uncompressed on the medium */
    bool skip_minimize;           /* --skip-minimize: do not shrink the root file system */
    bool nomacboot;               /* --nomacboot: accepted (no HFS+ image is ever made) */
};

/* The defaults: no base, xz, livecd-creator's dracut settings, GRUB2 for BIOS,
 * LiveOS/rootfs.img inside the squashfs, minimized. */
void livecd_opts_init(struct livecd_opts *o);

/* 0, or -1 with the reason in ERR (ERRLEN bytes): base_on must be a file. */
int livecd_opts_check(const struct livecd_opts *o, char *err, size_t errlen);

/* The text of /etc/dracut.conf.d/99-liveos.conf for --dracut-conf-args ARGS
 * (NULL/"" = livecd-creator's defaults, "+..." = defaults plus ARGS, else
 * ARGS instead of them), COMPRESSOR as compress=, REPRODUCIBLE adds
 * reproducible=yes.  One setting per line; malloc'd. */
char *live_dracut_conf(const char *args, const char *compressor, bool reproducible);

#endif
