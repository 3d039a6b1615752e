/* squashfs.h - make a squashfs image (LiveOS/squashfs.img) with mksquashfs.
 *
 * Contract: 0 on success, -1 after log_fail() on error.  The output file is
 * replaced (-noappend); on failure it is removed.  mksquashfs output goes to
 * the log; it uses every online processor unless opts->processors is set.
 *
 * The compressor is a struct squashfs_comp: its default (xz) and its
 * validation (squashfs_comp_parse of --compression-type "TYPE [ARGS]") are
 * here and nowhere else; squashfs_make() trusts what it is given.
 */
#ifndef KSC_SQUASHFS_H
#define KSC_SQUASHFS_H

#include <stdbool.h>
#include <stddef.h>

struct squashfs_comp {
    const char *type;    /* xz (the default), zstd, lz4, lzo, gzip, lzma; NULL: "None",
                            as the --base-on image's (squashfs_comp_resolve) */
    char args[512];      /* mksquashfs compressor options, whitespace separated
                            (e.g. "-Xcompression-level 1", "-b 1M"), or "" */
};

/* The default: xz, no arguments. */
void squashfs_comp_init(struct squashfs_comp *c);

/* Parse a --compression-type value "TYPE [ARGS...]" (livecd-creator's):
 * TYPE is a compressor above, xz1m ("xz -b 1M -Xdict-size 1M", before ARGS)
 * or None (any case: keep the --base-on image's; ARGS dropped).  0, or -1
 * with the message in ERR (ERRLEN bytes) and C unchanged. */
int squashfs_comp_parse(struct squashfs_comp *c, const char *spec, char *err, size_t errlen);

/* Resolve None: the compressor of squashfs IMAGE (gzip when IMAGE is not
 * there or cannot be told, as livecd-creator); IMAGE NULL (nothing to keep)
 * gives the default.  Returns true when the type was read from IMAGE; a C
 * that is not None stays as it is (false). */
bool squashfs_comp_resolve(struct squashfs_comp *c, const char *image);

struct squashfs_opts {
    const struct squashfs_comp *comp;  /* NULL: the default (squashfs_comp_init) */
    bool uncompressed;         /* -noI -noD -noF -noX */
    int processors;            /* 0 = all online CPUs */
    bool progress;             /* let mksquashfs print its progress bar (to the log) */
};

/* The compressor recorded in the superblock of squashfs IMAGE ("xz", "gzip",
 * ...), or NULL if IMAGE is not a squashfs image. */
const char *squashfs_image_compressor(const char *image);

/* mksquashfs SRCDIR IMAGE with OPTS (NULL = defaults). */
int squashfs_make(const char *srcdir, const char *image, const struct squashfs_opts *opts);

#endif
