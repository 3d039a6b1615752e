/* manifest.h - what is in the image: the rpm manifest and an SPDX 2.3 SBOM.
 *
 * manifest_rpm_query(): reads the rpm database of ROOT (/usr/lib/sysimage/rpm,
 * else /var/lib/rpm) with librpm, in a forked child (rpm's global state stays
 * out of the builder), and writes OUT, sorted by name/epoch/version/release/arch:
 *   # name epoch version release arch size sigkeyid payloaddigest license
 *   <tab separated fields, "(none)" when a package has no signature/digest>
 * Call it while the image root is mounted.
 * manifest_spdx_write(): an SPDX 2.3 JSON document from such a manifest: the
 * image (SPDXRef-Image) CONTAINS one package per rpm, each with a purl; the
 * creation time is SOURCE_DATE_EPOCH when >= 0 (else now), and the document
 * namespace is derived from the image name and SHA256 so it is reproducible.
 * Contract: 0 on success, -1 after log_fail().
 */
#ifndef KSC_MANIFEST_H
#define KSC_MANIFEST_H

#include <stddef.h>

struct rpm_entry {
    char *name, *epoch, *version, *release, *arch, *size, *sigkey, *digest, *license;
};

int manifest_rpm_query(const char *root, const char *out);

/* Parse a manifest file; *n entries in *out (free with manifest_free). */
int manifest_read(const char *path, struct rpm_entry **out, size_t *n);
void manifest_free(struct rpm_entry *e, size_t n);

int manifest_spdx_write(const char *out, const char *image_name, const char *image_file,
                        const char *sha256, const char *rpm_manifest, long long epoch);

/* JSON string literal of S (with quotes), malloc'd. */
char *json_str(const char *s);

#endif
