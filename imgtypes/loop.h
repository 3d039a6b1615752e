/* loop.h - the filesystem image type (imgtypes/loop.c): image-creator's
 * OUTDIR/NAME.img of the kickstart's part / (ext4, xfs or btrfs), and its
 * options (creator.type_opts, defaults from loop_opts_init). */
#ifndef KSC_IMGTYPES_LOOP_H
#define KSC_IMGTYPES_LOOP_H

#include <stdbool.h>

#include "core/imgtype.h"

extern const struct imgtype imgtype_loop;

struct loop_opts {
    bool skip_minimize;        /* --skip-minimize: keep the ext file system at full size */
};

void loop_opts_init(struct loop_opts *o);

#endif
