/* checksum.h - file digests and the Fedora/Pungi style CHECKSUM file.
 *
 * checksum_file(): hex digest of a file ("md5", "sha1", "sha256", "sha512")
 * through librpm's rpmio.  checksum_write_file(): OUT gets, per file,
 *   # <basename>: <size> bytes
 *   SHA256 (<basename>) = <hex>
 * which `sha256sum -c` reads (it skips the comment lines).
 * Contract: 0 on success, -1 after log_fail().
 */
#ifndef KSC_CHECKSUM_H
#define KSC_CHECKSUM_H

#include <stdint.h>

/* *hex receives a malloc'd lower-case hex string. */
int checksum_file(const char *path, const char *algo, char **hex);
int checksum_write_file(const char *out, const char *const *files, const char *const *sha256);

#endif
