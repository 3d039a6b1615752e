/* treeinfo.c - see treeinfo.h */
#define _GNU_SOURCE
#include "core/treeinfo.h"
#include "core/base/escape.h"
#include "core/base/log.h"
#include "core/base/strbuf.h"
#include "core/base/util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <solv/chksum.h>
#include <solv/knownid.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

char *treeinfo_short_name(const char *product)
{
    struct strbuf b = { 0 };
    for (const char *p = product; *p; p++)
        if (isalnum((unsigned char)*p) || *p == '-' || *p == '_' || *p == '.')
            strbuf_addc(&b, *p);
    return strbuf_take(&b);
}

int treeinfo_sha256(const char *path, char out[65])
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    Chksum *c = solv_chksum_create(REPOKEY_TYPE_SHA256);
    static unsigned char buf[1 << 16];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0)
        solv_chksum_add(c, buf, (int)n);
    int e = errno;
    close(fd);
    if (n < 0) {
        solv_chksum_free(c, NULL);
        errno = e;
        return -1;
    }
    int len = 0;
    const unsigned char *d = solv_chksum_get(c, &len);
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) {
        out[2 * i] = i < len ? hex[d[i] >> 4] : '0';
        out[2 * i + 1] = i < len ? hex[d[i] & 15] : '0';
    }
    out[64] = 0;
    solv_chksum_free(c, NULL);
    return 0;
}

/* the values fit on one INI line each; false after log_fail() */
static bool values_ok(const struct treeinfo *t)
{
    const char *name[] = { "product", "version", "arch", "variant", "kernel", "initrd", "efiboot", "stage2" };
    const char *v[] = { t->product, t->version, t->arch, t->variant, t->kernel, t->initrd, t->efiboot, t->stage2 };
    for (size_t i = 0; i < sizeof v / sizeof *v; i++)
        if (v[i] && !esc_value_ok(v[i])) {
            log_fail(".treeinfo: the %s has a newline or control character", name[i]);
            return false;
        }
    return true;
}

char *treeinfo_text(const struct treeinfo *t)
{
    const char *arch = t->arch ? t->arch : "x86_64";
    bool x86 = !strcmp(arch, "x86_64") || !strcmp(arch, "i386") || !strcmp(arch, "i686");
    const char *platforms = x86 ? "x86_64,xen" : arch;
    if (!x86 || strcmp(arch, "x86_64"))
        platforms = arch;
    if (!values_ok(t))
        return NULL;
    char *shortname = treeinfo_short_name(t->product);
    struct strbuf b = { 0 };
    /* files in name order, as productmd sorts them */
    const char *files[4];
    size_t nf = 0;
    if (t->efiboot)
        files[nf++] = t->efiboot;
    if (t->stage2)
        files[nf++] = t->stage2;
    if (t->initrd)
        files[nf++] = t->initrd;
    if (t->kernel)
        files[nf++] = t->kernel;
    for (size_t i = 1; i < nf; i++)
        for (size_t j = i; j > 0 && strcmp(files[j - 1], files[j]) > 0; j--) {
            const char *x = files[j];
            files[j] = files[j - 1];
            files[j - 1] = x;
        }
    strbuf_printf(&b, "[checksums]\n");
    for (size_t i = 0; i < nf; i++) {
        char *p = path_join(t->root, files[i]);
        char hex[65];
        if (treeinfo_sha256(p, hex) < 0) {
            log_fail("cannot checksum %s for .treeinfo: %s", p, strerror(errno));
            free(p);
            strbuf_free(&b);
            free(shortname);
            return NULL;
        }
        free(p);
        strbuf_printf(&b, "%s = sha256:%s\n", files[i], hex);
    }
    strbuf_printf(&b, "\n[general]\n");
    strbuf_printf(&b, "; WARNING.0 = This section provides compatibility with pre-productmd treeinfos.\n");
    strbuf_printf(&b, "; WARNING.1 = Read productmd documentation for details about new format.\n");
    strbuf_printf(&b, "arch = %s\n", arch);
    strbuf_printf(&b, "family = %s\n", t->product);
    strbuf_printf(&b, "name = %s %s\n", t->product, t->version);
    if (t->packages)
        strbuf_printf(&b, "packagedir = Packages\n");
    strbuf_printf(&b, "platforms = %s\n", platforms);
    if (t->packages)
        strbuf_printf(&b, "repository = .\n");
    strbuf_printf(&b, "timestamp = %lld\n", t->timestamp);
    if (t->variant) {
        strbuf_printf(&b, "variant = %s\n", t->variant);
        strbuf_printf(&b, "variants = %s\n", t->variant);
    }
    strbuf_printf(&b, "version = %s\n", t->version);
    strbuf_printf(&b, "\n[header]\ntype = productmd.treeinfo\nversion = 1.2\n");
    strbuf_printf(&b, "\n[images-%s]\n", arch);
    if (t->efiboot)
        strbuf_printf(&b, "efiboot.img = %s\n", t->efiboot);
    if (t->initrd)
        strbuf_printf(&b, "initrd = %s\n", t->initrd);
    if (t->kernel)
        strbuf_printf(&b, "kernel = %s\n", t->kernel);
    if (x86 && !strcmp(arch, "x86_64")) {
        strbuf_printf(&b, "\n[images-xen]\n");
        if (t->initrd)
            strbuf_printf(&b, "initrd = %s\n", t->initrd);
        if (t->kernel)
            strbuf_printf(&b, "kernel = %s\n", t->kernel);
    }
    strbuf_printf(&b, "\n[release]\nname = %s\nshort = %s\nversion = %s\n", t->product, shortname, t->version);
    if (t->stage2)
        strbuf_printf(&b, "\n[stage2]\nmainimage = %s\n", t->stage2);
    strbuf_printf(&b, "\n[tree]\narch = %s\nbuild_timestamp = %lld\nplatforms = %s\n", arch, t->timestamp,
        platforms);
    if (t->variant)
        strbuf_printf(&b, "variants = %s\n", t->variant);
    if (t->variant) {
        strbuf_printf(&b, "\n[variant-%s]\nid = %s\nname = %s\n", t->variant, t->variant, t->variant);
        if (t->packages)
            strbuf_printf(&b, "packages = Packages\nrepository = .\n");
        strbuf_printf(&b, "type = variant\nuid = %s\n", t->variant);
    }
    free(shortname);
    return strbuf_take(&b);
}

int treeinfo_write(const struct treeinfo *t, const char *path)
{
    char *text = treeinfo_text(t);
    if (!text)
        return -1;
    int rc = write_file(path, text, 0644) < 0 ? log_fail("cannot write %s: %s", path, strerror(errno)) : 0;
    free(text);
    return rc;
}

char *discinfo_text(double timestamp, const char *product, const char *version, const char *arch)
{
    return xasprintf("%f\n%s %s\n%s\n", timestamp, product, version, arch ? arch : "x86_64");
}

char *buildstamp_text(const char *product, const char *version, const char *arch,
                      const char *variant, const char *bugurl, long long timestamp)
{
    char stamp[32];
    time_t tt = (time_t)timestamp;
    struct tm tm;
    strftime(stamp, sizeof stamp, "%Y%m%d%H%M", gmtime_r(&tt, &tm));
    return xasprintf("[Main]\nProduct=%s\nVersion=%s\nBugURL=%s\nIsFinal=%s\nUUID=%s.%s\n%s%s%s"
                     "[Compose]\nLorax=kscreate\n",
                     product, version, bugurl ? bugurl : "your distribution provided bug reporting tool",
                     "False", stamp, arch ? arch : "x86_64", variant ? "Variant=" : "",
                     variant ? variant : "", variant ? "\n" : "");
}
