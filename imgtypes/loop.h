/* loop.h - the filesystem image type (imgtypes/loop.c): image-creator's
 * OUTDIR/NAME.img of the kickstart's part / (ext4, xfs or btrfs). */
#ifndef KSC_IMGTYPES_LOOP_H
#define KSC_IMGTYPES_LOOP_H

#include "core/imgtype.h"

extern const struct imgtype imgtype_loop;

#endif
