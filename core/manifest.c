/* manifest.c - see manifest.h */
#define _GNU_SOURCE
#include "core/manifest.h"
#include "core/base/strv.h"
#include "core/base/strbuf.h"
#include "core/base/log.h"
#include "core/base/run.h"
#include "core/base/util.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rpm/header.h>
#include <rpm/rpmdb.h>
#include <rpm/rpmlib.h>
#include <rpm/rpmmacro.h>
#include <rpm/rpmts.h>

char *json_str(const char *s)
{
    struct strbuf b = { 0 };
    strbuf_addc(&b, '"');
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p == '"' || *p == '\\')
            strbuf_printf(&b, "\\%c", *p);
        else if (*p < 0x20)
            strbuf_printf(&b, "\\u%04x", *p);
        else
            strbuf_addc(&b, (char)*p);
    }
    strbuf_addc(&b, '"');
    return strbuf_take(&b);
}

struct query_job {
    const char *root, *out;
};

static int cmp_lines(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int query_worker(void *arg)
{
    struct query_job *j = arg;
    if (rpmReadConfigFiles(NULL, NULL) != 0)
        return 2;
    char *sys = xasprintf("%s/usr/lib/sysimage/rpm", j->root);
    const char *dbpath = path_exists(sys) ? "/usr/lib/sysimage/rpm" : "/var/lib/rpm";
    free(sys);
    rpmPushMacro(NULL, "_dbpath", NULL, dbpath, RMIL_CMDLINE);
    rpmts ts = rpmtsCreate();
    rpmtsSetRootDir(ts, j->root);
    rpmtsSetVSFlags(ts, RPMVSF_MASK_NODIGESTS | RPMVSF_MASK_NOSIGNATURES);
    rpmdbMatchIterator mi = rpmtsInitIterator(ts, RPMDBI_PACKAGES, NULL, 0);
    strv_t lines = { 0 };
    Header h;
    const char *fmt = "%{NAME}\t%{EPOCHNUM}\t%{VERSION}\t%{RELEASE}\t%{ARCH}\t%{SIZE}\t"
                      "%|RSAHEADER?{%{RSAHEADER:pgpsig}}:{%|DSAHEADER?{%{DSAHEADER:pgpsig}}:{(none)}|}|\t"
                      "%|PAYLOADDIGEST?{%{PAYLOADDIGEST}}:{(none)}|\t%{LICENSE}\n";
    while (mi && (h = rpmdbNextIterator(mi))) {
        if (!strcmp(headerGetString(h, RPMTAG_NAME), "gpg-pubkey"))
            continue;
        errmsg_t err = NULL;
        char *line = headerFormat(h, fmt, &err);
        if (!line)
            continue;
        /* "RSA/SHA256, <date>, Key ID 0123456789abcdef" -> the key id */
        char *kid = strstr(line, "Key ID ");
        if (kid) {
            char *f6 = line;
            for (int i = 0; i < 6 && f6; i++)
                f6 = strchr(f6, '\t') ? strchr(f6, '\t') + 1 : NULL;
            char *end = strchr(kid, '\t');
            if (f6 && end && f6 < kid) {
                char *fixed = xasprintf("%.*s%.*s%s", (int)(f6 - line), line, (int)(end - kid - 7), kid + 7, end);
                free(line);
                line = fixed;
            }
        }
        strv_push_take(&lines, line);
    }
    rpmdbFreeIterator(mi);
    rpmtsFree(ts);
    if (lines.n)
        qsort(lines.v, lines.n, sizeof(char *), cmp_lines);
    FILE *f = fopen(j->out, "w");
    if (!f)
        return 3;
    fputs("# name\tepoch\tversion\trelease\tarch\tsize\tsigkeyid\tpayloaddigest\tlicense\n", f);
    for (size_t i = 0; i < lines.n; i++)
        fputs(lines.v[i], f);
    int bad = fclose(f) != 0;
    strv_free(&lines);
    return bad ? 3 : 0;
}

int manifest_rpm_query(const char *root, const char *out)
{
    struct query_job j = { root, out };
    int st = run_fork("rpm database query", query_worker, &j);
    if (st != 0)
        return log_fail("cannot read the rpm database of %s (status %d)", root, st);
    return 0;
}

void manifest_free(struct rpm_entry *e, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(e[i].name);   /* one allocation per line: fields point into it */
    free(e);
}

int manifest_read(const char *path, struct rpm_entry **out, size_t *n)
{
    char *text = NULL;
    size_t len;
    if (read_file(path, &text, &len) < 0)
        return log_fail("cannot read %s: %s", path, strerror(errno));
    struct rpm_entry *v = NULL;
    size_t cnt = 0;
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (line[0] == '#')
            continue;
        char *copy = xstrdup(line);
        char *f[9] = { 0 };
        char *p = copy;
        for (int i = 0; i < 9; i++) {
            f[i] = p;
            char *t = p ? strchr(p, '\t') : NULL;
            if (t) {
                *t = 0;
                p = t + 1;
            } else {
                p = NULL;
            }
        }
        if (!f[8]) {
            free(copy);
            continue;
        }
        v = xrealloc(v, sizeof *v * (cnt + 1));
        v[cnt++] = (struct rpm_entry){ f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8] };
    }
    free(text);
    *out = v;
    *n = cnt;
    return 0;
}

/* a license string usable as an SPDX expression, else NOASSERTION */
static const char *spdx_license(const char *l)
{
    if (!l || !*l)
        return "NOASSERTION";
    for (const char *p = l; *p; p++)
        if (!(*p == ' ' || *p == '-' || *p == '.' || *p == '+' || *p == '(' || *p == ')' ||
              (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')))
            return "NOASSERTION";
    return l;
}

int manifest_spdx_write(const char *out, const char *image_name, const char *image_file,
                        const char *sha256, const char *rpm_manifest, long long epoch)
{
    struct rpm_entry *e = NULL;
    size_t n = 0;
    if (rpm_manifest && manifest_read(rpm_manifest, &e, &n) < 0)
        return -1;
    FILE *f = fopen(out, "w");
    if (!f) {
        manifest_free(e, n);
        return log_fail("cannot write %s: %s", out, strerror(errno));
    }
    time_t t = epoch >= 0 ? (time_t)epoch : time(NULL);
    struct tm tm;
    char created[32];
    strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
    char *jn = json_str(image_name);
    char *copy = xstrdup(image_file);
    char *jf = json_str(basename(copy));
    fprintf(f, "{\n  \"spdxVersion\": \"SPDX-2.3\",\n  \"dataLicense\": \"CC0-1.0\",\n"
               "  \"SPDXID\": \"SPDXRef-DOCUMENT\",\n  \"name\": %s,\n"
               "  \"documentNamespace\": \"https://kscreate.invalid/spdx/%s-%s\",\n"
               "  \"creationInfo\": {\n    \"created\": \"%s\",\n    \"creators\": [\"Tool: kscreate\"]\n  },\n"
               "  \"packages\": [\n",
            jn, image_name, sha256 ? sha256 : "unknown", created);
    fprintf(f, "    {\n      \"SPDXID\": \"SPDXRef-Image\",\n      \"name\": %s,\n      \"packageFileName\": %s,\n"
               "      \"downloadLocation\": \"NOASSERTION\",\n      \"filesAnalyzed\": false,\n"
               "      \"primaryPackagePurpose\": \"OPERATING-SYSTEM\",\n"
               "      \"licenseConcluded\": \"NOASSERTION\",\n      \"licenseDeclared\": \"NOASSERTION\",\n"
               "      \"copyrightText\": \"NOASSERTION\"%s%s%s\n    }",
            jn, jf, sha256 ? ",\n      \"checksums\": [{\"algorithm\": \"SHA256\", \"checksumValue\": \"" : "",
            sha256 ? sha256 : "", sha256 ? "\"}]" : "");
    for (size_t i = 0; i < n; i++) {
        char *name = json_str(e[i].name), *lic = json_str(spdx_license(e[i].license));
        bool has_epoch = strcmp(e[i].epoch, "0") && strcmp(e[i].epoch, "(none)");
        char *ver = has_epoch ? xasprintf("%s:%s-%s", e[i].epoch, e[i].version, e[i].release)
                              : xasprintf("%s-%s", e[i].version, e[i].release);
        char *purl = xasprintf("pkg:rpm/%s@%s-%s?arch=%s%s%s", e[i].name, e[i].version, e[i].release,
                               e[i].arch, has_epoch ? "&epoch=" : "", has_epoch ? e[i].epoch : "");
        char *jv = json_str(ver), *jp = json_str(purl);
        bool sha = strlen(e[i].digest) == 64;
        fprintf(f, ",\n    {\n      \"SPDXID\": \"SPDXRef-Package-rpm-%zu\",\n      \"name\": %s,\n"
                   "      \"versionInfo\": %s,\n      \"supplier\": \"NOASSERTION\",\n"
                   "      \"downloadLocation\": \"NOASSERTION\",\n      \"filesAnalyzed\": false,\n"
                   "      \"licenseConcluded\": \"NOASSERTION\",\n      \"licenseDeclared\": %s,\n"
                   "      \"copyrightText\": \"NOASSERTION\",\n"
                   "      \"externalRefs\": [{\"referenceCategory\": \"PACKAGE-MANAGER\", "
                   "\"referenceType\": \"purl\", \"referenceLocator\": %s}]%s%s%s\n    }",
                i + 1, name, jv, lic, jp, sha ? ",\n      \"checksums\": [{\"algorithm\": \"SHA256\", \"checksumValue\": \"" : "",
                sha ? e[i].digest : "", sha ? "\"}]" : "");
        free(name), free(lic), free(ver), free(purl), free(jv), free(jp);
    }
    fprintf(f, "\n  ],\n  \"relationships\": [\n    {\"spdxElementId\": \"SPDXRef-DOCUMENT\", "
               "\"relationshipType\": \"DESCRIBES\", \"relatedSpdxElement\": \"SPDXRef-Image\"}");
    for (size_t i = 0; i < n; i++)
        fprintf(f, ",\n    {\"spdxElementId\": \"SPDXRef-Image\", \"relationshipType\": \"CONTAINS\", "
                   "\"relatedSpdxElement\": \"SPDXRef-Package-rpm-%zu\"}", i + 1);
    fprintf(f, "\n  ]\n}\n");
    free(jn);
    free(jf);
    free(copy);
    manifest_free(e, n);
    if (fclose(f) != 0)
        return log_fail("cannot write %s: %s", out, strerror(errno));
    return 0;
}
