/* treeinfo.c - see treeinfo.h */
#define _GNU_SOURCE
#include "core/treeinfo.h"
#include "core/base/log.h"
#include "core/base/util.h"

#include <ctype.h>
#include <stdarg.h>
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
    char *s = xmalloc(strlen(product) + 1), *o = s;
    for (const char *p = product; *p; p++)
        if (isalnum((unsigned char)*p) || *p == '-' || *p == '_' || *p == '.')
            *o++ = *p;
    *o = 0;
    return s;
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
    for (int i = 0; i < len && i < 32; i++)
        sprintf(out + 2 * i, "%02x", d[i]);
    out[64] = 0;
    solv_chksum_free(c, NULL);
    return 0;
}

struct buf { char *s; size_t len; };

static void add(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *t = NULL;
    if (vasprintf(&t, fmt, ap) < 0)
        abort();
    va_end(ap);
    size_t n = strlen(t);
    b->s = xrealloc(b->s, b->len + n + 1);
    memcpy(b->s + b->len, t, n + 1);
    b->len += n;
    free(t);
}

char *treeinfo_text(const struct treeinfo *t)
{
    const char *arch = t->arch ? t->arch : "x86_64";
    bool x86 = !strcmp(arch, "x86_64") || !strcmp(arch, "i386") || !strcmp(arch, "i686");
    const char *platforms = x86 ? "x86_64,xen" : arch;
    if (!x86 || strcmp(arch, "x86_64"))
        platforms = arch;
    char *shortname = treeinfo_short_name(t->product);
    struct buf b = { 0 };
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
    add(&b, "[checksums]\n");
    for (size_t i = 0; i < nf; i++) {
        char *p = path_join(t->root, files[i]);
        char hex[65];
        if (treeinfo_sha256(p, hex) < 0) {
            log_fail("cannot checksum %s for .treeinfo: %s", p, strerror(errno));
            free(p);
            free(b.s);
            free(shortname);
            return NULL;
        }
        free(p);
        add(&b, "%s = sha256:%s\n", files[i], hex);
    }
    add(&b, "\n[general]\n");
    add(&b, "; WARNING.0 = This section provides compatibility with pre-productmd treeinfos.\n");
    add(&b, "; WARNING.1 = Read productmd documentation for details about new format.\n");
    add(&b, "arch = %s\n", arch);
    add(&b, "family = %s\n", t->product);
    add(&b, "name = %s %s\n", t->product, t->version);
    if (t->packages)
        add(&b, "packagedir = Packages\n");
    add(&b, "platforms = %s\n", platforms);
    if (t->packages)
        add(&b, "repository = .\n");
    add(&b, "timestamp = %lld\n", t->timestamp);
    if (t->variant) {
        add(&b, "variant = %s\n", t->variant);
        add(&b, "variants = %s\n", t->variant);
    }
    add(&b, "version = %s\n", t->version);
    add(&b, "\n[header]\ntype = productmd.treeinfo\nversion = 1.2\n");
    add(&b, "\n[images-%s]\n", arch);
    if (t->efiboot)
        add(&b, "efiboot.img = %s\n", t->efiboot);
    if (t->initrd)
        add(&b, "initrd = %s\n", t->initrd);
    if (t->kernel)
        add(&b, "kernel = %s\n", t->kernel);
    if (x86 && !strcmp(arch, "x86_64")) {
        add(&b, "\n[images-xen]\n");
        if (t->initrd)
            add(&b, "initrd = %s\n", t->initrd);
        if (t->kernel)
            add(&b, "kernel = %s\n", t->kernel);
    }
    add(&b, "\n[release]\nname = %s\nshort = %s\nversion = %s\n", t->product, shortname, t->version);
    if (t->stage2)
        add(&b, "\n[stage2]\nmainimage = %s\n", t->stage2);
    add(&b, "\n[tree]\narch = %s\nbuild_timestamp = %lld\nplatforms = %s\n", arch, t->timestamp,
        platforms);
    if (t->variant)
        add(&b, "variants = %s\n", t->variant);
    if (t->variant) {
        add(&b, "\n[variant-%s]\nid = %s\nname = %s\n", t->variant, t->variant, t->variant);
        if (t->packages)
            add(&b, "packages = Packages\nrepository = .\n");
        add(&b, "type = variant\nuid = %s\n", t->variant);
    }
    free(shortname);
    return b.s;
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
