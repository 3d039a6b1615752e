/* checksum.c - see checksum.h */
#define _GNU_SOURCE
#include "core/base/checksum.h"
#include "core/base/strbuf.h"
#include "core/base/log.h"
#include "core/base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rpm/rpmcrypto.h>
#include <rpm/rpmpgp.h>

static int algo_id(const char *a)
{
    if (!strcmp(a, "md5")) return PGPHASHALGO_MD5;
    if (!strcmp(a, "sha1")) return PGPHASHALGO_SHA1;
    if (!strcmp(a, "sha256")) return PGPHASHALGO_SHA256;
    if (!strcmp(a, "sha512")) return PGPHASHALGO_SHA512;
    return -1;
}

int checksum_file(const char *path, const char *algo, char **hex)
{
    int id = algo_id(algo);
    if (id < 0)
        return log_fail("unknown checksum type %s", algo);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return log_fail("cannot open %s: %s", path, strerror(errno));
    posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    rpmInitCrypto();
    DIGEST_CTX ctx = rpmDigestInit(id, RPMDIGEST_NONE);
    size_t bs = 1 << 20;
    char *buf = xmalloc(bs);
    ssize_t n;
    while ((n = read(fd, buf, bs)) > 0)
        rpmDigestUpdate(ctx, buf, (size_t)n);
    int e = errno;
    free(buf);
    close(fd);
    char *out = NULL;
    rpmDigestFinal(ctx, (void **)&out, NULL, 1);
    if (n < 0) {
        free(out);
        return log_fail("cannot read %s: %s", path, strerror(e));
    }
    *hex = out;
    return 0;
}

int checksum_write_file(const char *out, const char *const *files, const char *const *sha256)
{
    struct strbuf text = { 0 };
    for (size_t i = 0; files[i]; i++) {
        struct stat st;
        if (stat(files[i], &st) < 0) {
            strbuf_free(&text);
            return log_fail("cannot stat %s: %s", files[i], strerror(errno));
        }
        char *copy = xstrdup(files[i]);
        strbuf_printf(&text, "# %s: %lld bytes\nSHA256 (%s) = %s\n", basename(copy), (long long)st.st_size,
                      basename(copy), sha256[i]);
        free(copy);
    }
    int rc = write_file(out, strbuf_str(&text), 0644) < 0 ? log_fail("cannot write %s: %s", out, strerror(errno)) : 0;
    strbuf_free(&text);
    return rc;
}
