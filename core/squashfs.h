/* squashfs.h - make a squashfs image (LiveOS/squashfs.img) with mksquashfs.
 *
 * Contract: 0 on success, -1 after log_fail() on error.  The output file is
 * replaced (-noappend); on failure it is removed.  mksquashfs output goes to
 * the log; it uses every online processor unless opts->processors is set.
 */
#ifndef KSC_SQUASHFS_H
#define KSC_SQUASHFS_H

#include <stdbool.h>

struct squashfs_opts {
    const char *compression;   /* xz (default), zstd, lz4, lzo, gzip; "none" = no compression */
    const char *comp_args;     /* extra compressor options, whitespace separated,
                                  e.g. "-Xcompression-level 1", "-Xbcj x86"; may be NULL */
    bool uncompressed;         /* -noI -noD -noF -noX (also implied by "none") */
    int processors;            /* 0 = all online CPUs */
    bool progress;             /* let mksquashfs print its progress bar (to the log) */
};

/* True when NAME is a compressor squashfs_make() accepts. */
bool squashfs_compressor_valid(const char *name);

/* The compressor recorded in the superblock of squashfs IMAGE ("xz", "gzip",
 * ...), or NULL if IMAGE is not a squashfs image. */
const char *squashfs_image_compressor(const char *image);

/* mksquashfs SRCDIR IMAGE with OPTS (NULL = defaults). */
int squashfs_make(const char *srcdir, const char *image, const struct squashfs_opts *opts);

#endif
