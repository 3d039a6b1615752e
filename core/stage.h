/* stage.h - copying files into a staging tree (the ISO or media root).
 *
 * Contract: stage_copy() copies SRC to STAGEDIR/REL, creating the parent
 * directories, with MODE (0: keep the source's); 0, or -1 after log_fail()
 * naming both paths.
 */
#ifndef KSC_STAGE_H
#define KSC_STAGE_H

#include <sys/types.h>

int stage_copy(const char *src, const char *stagedir, const char *rel, mode_t mode);

#endif
