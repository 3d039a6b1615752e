/* reproducible.c - see reproducible.h */
#define _GNU_SOURCE
#include "core/base/reproducible.h"
#include "core/base/log.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

long long reproducible_epoch(void)
{
    const char *e = getenv("SOURCE_DATE_EPOCH");
    if (!e || !*e)
        return -1;
    char *end;
    errno = 0;
    long long v = strtoll(e, &end, 10);
    if (errno || *end || v < 0)
        return -1;
    return v;
}

/* FNV-1a 64 over epoch and salt, then splitmix64 to spread it */
static uint64_t mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

static uint64_t seed(long long epoch, const char *salt)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    char buf[32];
    snprintf(buf, sizeof buf, "%lld:", epoch);
    for (const char *p = buf; *p; p++)
        h = (h ^ (unsigned char)*p) * 0x100000001b3ULL;
    for (const char *p = salt ? salt : ""; *p; p++)
        h = (h ^ (unsigned char)*p) * 0x100000001b3ULL;
    return h;
}

char *reproducible_uuid(long long epoch, const char *salt, char out[37])
{
    uint64_t a = mix(seed(epoch, salt)), b = mix(a);
    unsigned char u[16];
    for (int i = 0; i < 8; i++) {
        u[i] = (unsigned char)(a >> (i * 8));
        u[8 + i] = (unsigned char)(b >> (i * 8));
    }
    u[6] = (u[6] & 0x0f) | 0x40;
    u[8] = (u[8] & 0x3f) | 0x80;
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", u[0],
             u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14],
             u[15]);
    return out;
}

uint32_t reproducible_u32(long long epoch, const char *salt)
{
    return (uint32_t)mix(seed(epoch, salt));
}

static long long clamp_epoch;
static long clamped;

static int clamp_cb(const char *path, const struct stat *st, int type, struct FTW *f)
{
    (void)type, (void)f;
    if (st->st_mtime > clamp_epoch || st->st_atime > clamp_epoch) {
        struct timespec ts[2];
        ts[0].tv_sec = st->st_atime > clamp_epoch ? clamp_epoch : st->st_atime;
        ts[0].tv_nsec = 0;
        ts[1].tv_sec = st->st_mtime > clamp_epoch ? clamp_epoch : st->st_mtime;
        ts[1].tv_nsec = 0;
        if (utimensat(AT_FDCWD, path, ts, AT_SYMLINK_NOFOLLOW) == 0)
            clamped++;
    }
    return FTW_CONTINUE;
}

long reproducible_clamp_tree(const char *root, long long epoch)
{
    struct stat st;
    if (lstat(root, &st) < 0)
        return -1;
    clamp_epoch = epoch;
    clamped = 0;
    /* depth first: a directory's times are set after its entries changed */
    if (nftw(root, clamp_cb, 32, FTW_PHYS | FTW_DEPTH | FTW_MOUNT | FTW_ACTIONRETVAL) < 0)
        return -1;
    return clamped;
}

char *reproducible_iso_date(long long epoch, char out[17])
{
    time_t t = (time_t)epoch;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 17, "%Y%m%d%H%M%S00", &tm);
    return out;
}
