/* compose_result.h - outputs a compose reads without opening the ISO.
 *
 * compose_result_write() writes into r->resultdir:
 *   result.json          {"header": {"type": "kscreate-result", "version": "1.0"},
 *                         "payload": {"images": [IMAGE], "timings": {...}, "files": {...}}}
 *                        IMAGE carries productmd images.json's image fields:
 *                        path, type ("live"), format ("iso"), arch, size, mtime,
 *                        volume_id, implant_md5, bootable, checksums {sha256},
 *                        disc_number, disc_count, subvariant
 *   <name>.iso.manifest  every path in the ISO (Rock Ridge names), sorted
 *                        (what Pungi makes with isoinfo -R -f | sort)
 *   <name>.rpm-manifest  the rpm manifest (manifest.h), when given
 *   <name>.spdx.json     SPDX 2.3 SBOM of the installed packages
 *   timings.json         per-phase seconds
 * Contract: 0 on success, -1 after log_fail().
 */
#ifndef KSC_COMPOSE_RESULT_H
#define KSC_COMPOSE_RESULT_H

#include <stdbool.h>
#include <stddef.h>

struct compose_phase {
    const char *name;
    double seconds;
};

struct compose_result {
    const char *resultdir, *name, *iso, *volid, *arch, *sha256, *implant_md5;
    const char *rpm_manifest;   /* may be NULL */
    const char *product;        /* subvariant */
    long long source_date_epoch;/* -1: none (mtime from the file) */
    bool bootable;
    struct compose_phase phases[16];
    size_t nphases;
};

/* The sorted list of paths in an ISO (libarchive), one per line, malloc'd. */
int compose_iso_manifest(const char *iso, char **text);

int compose_result_write(const struct compose_result *r);

#endif
