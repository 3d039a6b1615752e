/* compose_result.c - see compose_result.h */
#define _GNU_SOURCE
#include "core/compose_result.h"
#include "core/base/strv.h"
#include "core/base/strbuf.h"
#include "core/base/log.h"
#include "core/manifest.h"
#include "core/base/util.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int compose_iso_manifest(const char *iso, char **text)
{
    struct archive *a = archive_read_new();
    archive_read_support_format_iso9660(a);
    if (archive_read_open_filename(a, iso, 1 << 16) != ARCHIVE_OK) {
        int rc = log_fail("cannot read %s: %s", iso, archive_error_string(a));
        archive_read_free(a);
        return rc;
    }
    strv_t paths = { 0 };
    struct archive_entry *e;
    int r;
    while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
        const char *p = archive_entry_pathname(e);
        while (p[0] == '.' && p[1] == '/')
            p += 2;
        if (*p && strcmp(p, ".")) {
            char *s = xstrdup(p);
            size_t l = strlen(s);
            if (l > 1 && s[l - 1] == '/')
                s[l - 1] = 0;
            strv_push_take(&paths, xasprintf("/%s", s));
            free(s);
        }
        archive_read_data_skip(a);
    }
    bool bad = r != ARCHIVE_EOF;
    char *err = bad ? xstrdup(archive_error_string(a) ? archive_error_string(a) : "read error") : NULL;
    archive_read_free(a);
    if (bad) {
        strv_free(&paths);
        int rc = log_fail("cannot list %s: %s", iso, err);
        free(err);
        return rc;
    }
    if (paths.n)
        qsort(paths.v, paths.n, sizeof(char *), cmp_str);
    char *body = strv_join(&paths, "\n");
    *text = xasprintf("%s%s", body, paths.n ? "\n" : "");
    free(body);
    strv_free(&paths);
    return 0;
}

/* {"phase": seconds, ...} (malloc'd); *TOTAL gets their sum */
static char *timings_json(const struct compose_result *r, double *total)
{
    struct strbuf b = { 0 };
    strbuf_addc(&b, '{');
    for (size_t i = 0; i < r->nphases; i++) {
        char *name = json_str(r->phases[i].name);
        strbuf_printf(&b, "%s%s: %.3f", i ? ", " : "", name, r->phases[i].seconds);
        free(name);
        *total += r->phases[i].seconds;
    }
    strbuf_addc(&b, '}');
    return strbuf_take(&b);
}

int compose_result_write(const struct compose_result *r)
{
    if (mkdir_p(r->resultdir, 0755) < 0)
        return log_fail("cannot create %s: %s", r->resultdir, strerror(errno));
    struct stat st;
    if (stat(r->iso, &st) < 0)
        return log_fail("cannot stat %s: %s", r->iso, strerror(errno));
    int rc = -1;
    char *copy = xstrdup(r->iso);
    char *isoname = xstrdup(basename(copy));
    char *man = NULL, *manpath = xasprintf("%s/%s.iso.manifest", r->resultdir, r->name);
    char *rpmpath = xasprintf("%s/%s.rpm-manifest", r->resultdir, r->name);
    char *spdxpath = xasprintf("%s/%s.spdx.json", r->resultdir, r->name);
    char *respath = path_join(r->resultdir, "result.json");
    char *timpath = path_join(r->resultdir, "timings.json");
    char *jpath = json_str(isoname), *jvol = json_str(r->volid), *jarch = json_str(r->arch);
    char *jsub = json_str(r->product ? r->product : "");

    if (compose_iso_manifest(r->iso, &man) < 0)
        goto out;
    if (write_file(manpath, man, 0644) < 0) {
        log_fail("cannot write %s: %s", manpath, strerror(errno));
        goto out;
    }
    if (r->rpm_manifest && copy_file(r->rpm_manifest, rpmpath, 0644) < 0) {
        log_fail("cannot write %s: %s", rpmpath, strerror(errno));
        goto out;
    }
    if (manifest_spdx_write(spdxpath, r->name, r->iso, r->sha256, r->rpm_manifest, r->source_date_epoch) < 0)
        goto out;

    /* timings */
    double total = 0;
    char *tim = timings_json(r, &total);
    char *timfile = xasprintf("%s\n", tim);
    int w = write_file(timpath, timfile, 0644);
    free(timfile);
    if (w < 0) {
        free(tim);
        log_fail("cannot write %s: %s", timpath, strerror(errno));
        goto out;
    }

    long long mtime = r->source_date_epoch >= 0 ? r->source_date_epoch : (long long)st.st_mtime;
    char *copy2 = xstrdup(manpath), *copy3 = xstrdup(spdxpath), *copy4 = xstrdup(rpmpath);
    char *jm = json_str(basename(copy2)), *js = json_str(basename(copy3)), *jr = json_str(basename(copy4));
    char *json = xasprintf(
        "{\n  \"header\": {\"type\": \"kscreate-result\", \"version\": \"1.0\"},\n"
        "  \"payload\": {\n    \"images\": [\n      {\n"
        "        \"path\": %s,\n        \"type\": \"live\",\n        \"format\": \"iso\",\n"
        "        \"arch\": %s,\n        \"size\": %lld,\n        \"mtime\": %lld,\n"
        "        \"volume_id\": %s,\n        \"implant_md5\": \"%s\",\n        \"bootable\": %s,\n"
        "        \"checksums\": {\"sha256\": \"%s\"},\n        \"disc_number\": 1,\n        \"disc_count\": 1,\n"
        "        \"subvariant\": %s\n      }\n    ],\n"
        "    \"files\": {\"iso_manifest\": %s, \"rpm_manifest\": %s, \"sbom\": %s, \"checksum\": \"%s-CHECKSUM\"},\n"
        "    \"timings\": %s,\n    \"total_seconds\": %.3f\n  }\n}\n",
        jpath, jarch, (long long)st.st_size, mtime, jvol, r->implant_md5 ? r->implant_md5 : "",
        r->bootable ? "true" : "false", r->sha256 ? r->sha256 : "", jsub, jm,
        r->rpm_manifest ? jr : "null", js, r->name, tim, total);
    w = write_file(respath, json, 0644);
    free(json);
    free(tim);
    free(jm), free(js), free(jr), free(copy2), free(copy3), free(copy4);
    if (w < 0) {
        log_fail("cannot write %s: %s", respath, strerror(errno));
        goto out;
    }
    log_info("compose outputs in %s", r->resultdir);
    rc = 0;
out:
    free(man);
    free(manpath), free(rpmpath), free(spdxpath), free(respath), free(timpath);
    free(jpath), free(jvol), free(jarch), free(jsub);
    free(isoname);
    free(copy);
    return rc;
}
