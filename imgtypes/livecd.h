/* livecd.h - helpers of the live ISO backend (imgtypes/livecd.c) exposed for tests. */
#ifndef KSC_LIVECD_H
#define KSC_LIVECD_H

#include <stdbool.h>

#include "core/imgtype.h"

extern const struct imgtype imgtype_livecd;

/* The text of /etc/dracut.conf.d/99-liveos.conf for --dracut-conf-args ARGS
 * (NULL/"" = livecd-creator's defaults, "+..." = defaults plus ARGS, else
 * ARGS instead of them), COMPRESSOR as compress=, REPRODUCIBLE adds
 * reproducible=yes.  One setting per line; malloc'd. */
char *live_dracut_conf(const char *args, const char *compressor, bool reproducible);

#endif
