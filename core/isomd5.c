/* isomd5.c - see isomd5.h.  Digests come from librpm's rpmio. */
#define _GNU_SOURCE
#include "core/isomd5.h"
#include "core/base/log.h"
#include "core/base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include <rpm/rpmcrypto.h>
#include <rpm/rpmpgp.h>

#define SECTOR 2048
#define PVD_OFF (16 * SECTOR)
#define APPDATA_OFF 883
#define APPDATA_LEN 512
#define SIZE_OFF 80       /* volume space size, both-endian: LE at 80, BE at 84 */
#define SKIPSECTORS 15
#define FRAG_COUNT 20
#define FRAG_SUM_LEN 60
#define CHUNK (16 * SECTOR)

struct pvdinfo {
    off_t pvd;       /* offset of the PVD */
    off_t size;      /* volume size in bytes */
};

static int find_pvd(int fd, struct pvdinfo *pi)
{
    unsigned char sec[SECTOR];
    for (int i = 0; i < 64; i++) {
        off_t off = PVD_OFF + (off_t)i * SECTOR;
        if (pread(fd, sec, SECTOR, off) != SECTOR)
            return -1;
        if (memcmp(sec + 1, "CD001", 5))
            return -1;
        if (sec[0] == 1) {
            pi->pvd = off;
            pi->size = ((off_t)sec[SIZE_OFF + 4] << 24 | (off_t)sec[SIZE_OFF + 5] << 16 |
                        (off_t)sec[SIZE_OFF + 6] << 8 | sec[SIZE_OFF + 7]) * SECTOR;
            return 0;
        }
        if (sec[0] == 255)
            return -1;
    }
    return -1;
}

static void first_hex(DIGEST_CTX ctx, char *out)
{
    DIGEST_CTX dup = rpmDigestDup(ctx);
    unsigned char *d = NULL;
    size_t dl = 0;
    rpmDigestFinal(dup, (void **)&d, &dl, 0);
    for (int i = 0; i < FRAG_SUM_LEN / FRAG_COUNT; i++) {
        char tmp[4];
        snprintf(tmp, sizeof tmp, "%x", d[i]);
        out[i] = tmp[0];
    }
    free(d);
}

/* MD5 and fragment sums of FD as isomd5sum computes them, with the appdata
 * field taken as blanks. */
static int compute(int fd, const struct pvdinfo *pi, char md5[33], char frags[FRAG_SUM_LEN + 1])
{
    rpmInitCrypto();
    DIGEST_CTX ctx = rpmDigestInit(PGPHASHALGO_MD5, RPMDIGEST_NONE);
    if (!ctx)
        return -1;
    off_t total = pi->size - (off_t)SKIPSECTORS * SECTOR;
    if (total <= 0) {
        rpmDigestFinal(ctx, NULL, NULL, 0);
        return -1;
    }
    unsigned char *buf = xmalloc(CHUNK);
    memset(frags, 0, FRAG_SUM_LEN + 1);
    size_t prev = 0, nfr = 0;
    off_t off = 0;
    int rc = 0;
    while (off < total) {
        size_t want = (size_t)(total - off) < CHUNK ? (size_t)(total - off) : CHUNK;
        ssize_t n = pread(fd, buf, want, off);
        if (n <= 0) {
            rc = n < 0 ? -1 : 0;
            break;
        }
        /* blank the application use field where it falls in this chunk */
        off_t a0 = pi->pvd + APPDATA_OFF, a1 = a0 + APPDATA_LEN;
        if (a1 > off && a0 < off + n) {
            off_t s = a0 > off ? a0 : off, e = a1 < off + n ? a1 : off + n;
            memset(buf + (s - off), ' ', (size_t)(e - s));
        }
        rpmDigestUpdate(ctx, buf, (size_t)n);
        size_t cur = (size_t)((unsigned long long)off * (FRAG_COUNT + 1) / (unsigned long long)total);
        if (cur != prev) {
            /* appended in order, as isomd5sum's strncat does */
            if ((nfr + 1) * 3 <= FRAG_SUM_LEN)
                first_hex(ctx, frags + nfr * 3);
            nfr++;
            prev = cur;
        }
        off += n;
    }
    free(buf);
    unsigned char *d = NULL;
    size_t dl = 0;
    rpmDigestFinal(ctx, (void **)&d, &dl, 0);
    for (size_t i = 0; i < 16 && d; i++)
        snprintf(md5 + 2 * i, 3, "%02x", d[i]);
    free(d);
    return rc;
}

static void format_field(char field[APPDATA_LEN + 1], const char *md5, const char *frags, bool supported)
{
    int n = snprintf(field, APPDATA_LEN + 1,
                     "ISO MD5SUM = %s;SKIPSECTORS = %d;RHLISOSTATUS=%d;FRAGMENT SUMS = %s;"
                     "FRAGMENT COUNT = %d;THIS IS NOT THE SAME AS RUNNING MD5SUM ON THIS ISO!!",
                     md5, SKIPSECTORS, supported ? 1 : 0, frags, FRAG_COUNT);
    memset(field + n, ' ', APPDATA_LEN - (size_t)n);
}

/* ---- streaming: isomd5sum's 32 KiB chunking, fed as the ISO is written ---- */

struct isomd5_stream {
    DIGEST_CTX ctx;
    unsigned char *chunk;     /* CHUNK bytes being collected */
    size_t fill;
    long long off;            /* stream offset of chunk[0] */
    long long total;          /* bytes to hash; 0 until the PVD was seen */
    long long pvd;            /* PVD offset */
    size_t prev, nfr;
    char frags[FRAG_SUM_LEN + 1];
    bool bad;
};

struct isomd5_stream *isomd5_stream_new(void)
{
    rpmInitCrypto();
    struct isomd5_stream *s = xcalloc(1, sizeof *s);
    s->ctx = rpmDigestInit(PGPHASHALGO_MD5, RPMDIGEST_NONE);
    /* the first two chunks are kept until the PVD (sector 16) told the size */
    s->chunk = xmalloc(2 * CHUNK);
    return s;
}

static void stream_chunk(struct isomd5_stream *s, unsigned char *buf, size_t n, long long off)
{
    if (off >= s->total)
        return;
    if ((long long)n > s->total - off)
        n = (size_t)(s->total - off);
    long long a0 = s->pvd + APPDATA_OFF, a1 = a0 + APPDATA_LEN;
    if (a1 > off && a0 < off + (long long)n) {
        long long b = a0 > off ? a0 : off, e = a1 < off + (long long)n ? a1 : off + (long long)n;
        memset(buf + (b - off), ' ', (size_t)(e - b));
    }
    rpmDigestUpdate(s->ctx, buf, n);
    size_t cur = (size_t)((unsigned long long)off * (FRAG_COUNT + 1) / (unsigned long long)s->total);
    if (cur != s->prev) {
        if ((s->nfr + 1) * 3 <= FRAG_SUM_LEN)
            first_hex(s->ctx, s->frags + s->nfr * 3);
        s->nfr++;
        s->prev = cur;
    }
}

static void stream_find_pvd(struct isomd5_stream *s)
{
    /* descriptors start at 32 KiB: the PVD is normally the first (sector 16) */
    for (size_t o = PVD_OFF; o + SECTOR <= s->fill; o += SECTOR) {
        const unsigned char *sec = s->chunk + o;
        if (memcmp(sec + 1, "CD001", 5) || sec[0] == 255) {
            s->bad = true;
            return;
        }
        if (sec[0] == 1) {
            s->pvd = (long long)o;
            long long size = ((long long)sec[SIZE_OFF + 4] << 24 | (long long)sec[SIZE_OFF + 5] << 16 |
                              (long long)sec[SIZE_OFF + 6] << 8 | sec[SIZE_OFF + 7]) * SECTOR;
            s->total = size - (long long)SKIPSECTORS * SECTOR;
            if (s->total <= 0)
                s->bad = true;
            return;
        }
    }
}

void isomd5_stream_feed(struct isomd5_stream *s, const void *buf, size_t n)
{
    const unsigned char *p = buf;
    while (n > 0 && !s->bad) {
        size_t cap = s->total ? CHUNK : 2 * CHUNK;
        size_t take = cap - s->fill < n ? cap - s->fill : n;
        memcpy(s->chunk + s->fill, p, take);
        s->fill += take, p += take, n -= take;
        if (s->fill < cap)
            break;
        if (!s->total) {
            stream_find_pvd(s);
            if (s->bad || !s->total) {
                s->bad = true;
                break;
            }
            stream_chunk(s, s->chunk, CHUNK, 0);
            stream_chunk(s, s->chunk + CHUNK, CHUNK, CHUNK);
            s->off = 2 * CHUNK;
        } else {
            stream_chunk(s, s->chunk, CHUNK, s->off);
            s->off += CHUNK;
        }
        s->fill = 0;
    }
}

int isomd5_stream_finish(struct isomd5_stream *s, bool supported, char field[512], long long *offset,
                         char md5_out[33])
{
    if (!s->total && !s->bad && s->fill >= PVD_OFF + SECTOR) {
        stream_find_pvd(s);
        if (s->total) {
            size_t first = s->fill < CHUNK ? s->fill : CHUNK;
            stream_chunk(s, s->chunk, first, 0);
            if (s->fill > CHUNK)
                stream_chunk(s, s->chunk + CHUNK, s->fill - CHUNK, CHUNK);
            s->off = (long long)s->fill;
            s->fill = 0;
        }
    }
    if (s->bad || !s->total)
        return -1;
    if (s->fill)
        stream_chunk(s, s->chunk, s->fill, s->off), s->off += (long long)s->fill, s->fill = 0;
    if (s->off < s->total)
        return -1;   /* the stream ended before the volume did */
    unsigned char *d = NULL;
    size_t dl = 0;
    rpmDigestFinal(s->ctx, (void **)&d, &dl, 0);
    s->ctx = NULL;
    char md5[33] = { 0 };
    for (size_t i = 0; i < 16 && d; i++)
        snprintf(md5 + 2 * i, 3, "%02x", d[i]);
    free(d);
    char f[APPDATA_LEN + 1];
    format_field(f, md5, s->frags, supported);
    memcpy(field, f, APPDATA_LEN);
    *offset = s->pvd + APPDATA_OFF;
    if (md5_out)
        memcpy(md5_out, md5, 33);
    return 0;
}

void isomd5_stream_free(struct isomd5_stream *s)
{
    if (!s)
        return;
    if (s->ctx)
        rpmDigestFinal(s->ctx, NULL, NULL, 0);
    free(s->chunk);
    free(s);
}

int isomd5_implant(const char *iso, bool supported, char md5_out[33])
{
    int fd = open(iso, O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return log_fail("cannot open %s: %s", iso, strerror(errno));
    struct pvdinfo pi;
    if (find_pvd(fd, &pi) < 0) {
        close(fd);
        return log_fail("%s: no ISO 9660 primary volume descriptor", iso);
    }
    char md5[33] = { 0 }, frags[FRAG_SUM_LEN + 1];
    if (compute(fd, &pi, md5, frags) < 0) {
        close(fd);
        return log_fail("%s: cannot compute the media check sum", iso);
    }
    char field[APPDATA_LEN + 1];
    format_field(field, md5, frags, supported);
    int rc = 0;
    if (pwrite(fd, field, APPDATA_LEN, pi.pvd + APPDATA_OFF) != APPDATA_LEN)
        rc = log_fail("cannot write the media check data into %s: %s", iso, strerror(errno));
    close(fd);
    if (rc == 0) {
        log_verbose("media check data implanted: md5 %s, fragment sums %s", md5, frags);
        if (md5_out)
            memcpy(md5_out, md5, 33);
    }
    return rc;
}

int isomd5_verify(const char *iso)
{
    int fd = open(iso, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    struct pvdinfo pi;
    char field[APPDATA_LEN + 1];
    if (find_pvd(fd, &pi) < 0 || pread(fd, field, APPDATA_LEN, pi.pvd + APPDATA_OFF) != APPDATA_LEN) {
        close(fd);
        return -1;
    }
    field[APPDATA_LEN] = 0;
    const char *p = strstr(field, "ISO MD5SUM = ");
    const char *f = strstr(field, "FRAGMENT SUMS = ");
    char md5[33] = { 0 }, frags[FRAG_SUM_LEN + 1];
    int rc = -1;
    if (p && f && compute(fd, &pi, md5, frags) == 0)
        rc = strncmp(p + 13, md5, 32) == 0 && strncmp(f + 16, frags, FRAG_SUM_LEN) == 0 ? 0 : 1;
    close(fd);
    return rc;
}
