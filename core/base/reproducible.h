/* reproducible.h - SOURCE_DATE_EPOCH support for bit-identical images.
 *
 * With SOURCE_DATE_EPOCH set (seconds since the epoch), everything that would
 * otherwise come from the clock or a random source is derived from it:
 *   - file times in the image root newer than it are clamped to it
 *     (reproducible_clamp_tree) before the root is packed;
 *   - file system UUIDs and ext4 directory hash seeds (reproducible_uuid);
 *   - mksquashfs -mkfs-time, the FAT volume id, xorriso's volume dates and
 *     GPT GUIDs (callers ask reproducible_epoch()).
 * reproducible_epoch() returns -1 when the variable is unset or invalid.
 */
#ifndef KSC_REPRODUCIBLE_H
#define KSC_REPRODUCIBLE_H

#include <stdint.h>

long long reproducible_epoch(void);

/* A version 4-style UUID string (37 bytes with NUL) derived from the epoch
 * and SALT; deterministic.  Returns OUT. */
char *reproducible_uuid(long long epoch, const char *salt, char out[37]);

/* An 8-hex-digit FAT volume id derived from the epoch and SALT. */
uint32_t reproducible_u32(long long epoch, const char *salt);

/* Set atime/mtime of every entry under ROOT (not crossing mount points)
 * that is newer than EPOCH to EPOCH.  Returns the number clamped, -1 on error. */
long reproducible_clamp_tree(const char *root, long long epoch);

/* "YYYYMMDDhhmmss00" in UTC for xorriso's volume date options; OUT >= 17 bytes. */
char *reproducible_iso_date(long long epoch, char out[17]);

#endif
