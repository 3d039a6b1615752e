/* efiboot.c - see efiboot.h */
#define _GNU_SOURCE
#include "core/efiboot.h"
#include "core/base/strv.h"
#include "core/base/log.h"
#include "core/base/reproducible.h"
#include "core/base/run.h"
#include "core/base/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MIB (1024ULL * 1024ULL)

uint64_t efiboot_size_for(uint64_t file_bytes, unsigned nfiles, unsigned ndirs)
{
    /* file_bytes is already rounded per file by the caller when it walks a
     * tree; round again generously here for callers that do not */
    uint64_t data = file_bytes + (uint64_t)nfiles * 4096 + (uint64_t)(ndirs + 1) * 4096;
    uint64_t total = data + data / 10 + 256 * 1024 /* boot sector, FATs, root dir */ + MIB;
    total = (total + MIB - 1) / MIB * MIB;
    return total < 2 * MIB ? 2 * MIB : total;
}

struct tree_stats { uint64_t bytes; unsigned files, dirs; };

static int walk(const char *dir, struct tree_stats *ts, int depth)
{
    if (depth > 32)
        return log_fail("%s: directory tree too deep", dir);
    DIR *d = opendir(dir);
    if (!d)
        return log_fail("cannot read %s: %s", dir, strerror(errno));
    struct dirent *de;
    int rc = 0;
    while (rc == 0 && (de = readdir(d))) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        char *p = path_join(dir, de->d_name);
        struct stat st;
        if (stat(p, &st) < 0) {
            rc = log_fail("cannot stat %s: %s", p, strerror(errno));
        } else if (S_ISDIR(st.st_mode)) {
            ts->dirs++;
            rc = walk(p, ts, depth + 1);
        } else if (S_ISREG(st.st_mode)) {
            ts->files++;
            ts->bytes += ((uint64_t)st.st_size + 4095) / 4096 * 4096;
        } else {
            rc = log_fail("%s: only regular files and directories can go into the EFI boot image", p);
        }
        free(p);
    }
    closedir(d);
    return rc;
}

static int tool(const char *const argv[], const char *what)
{
    static const char *const env[] = { "MTOOLS_SKIP_CHECK=1", NULL };
    struct run_opts o = { .env = env };
    int rc = run_argv(argv, &o);
    if (rc == 0)
        return 0;
    if (rc < 0)
        return log_fail("cannot run %s (are dosfstools and mtools installed?)", argv[0]);
    char *cmd = argv_to_string(argv);
    const char *out = run_last_output();
    size_t l = strlen(out);
    while (l && (out[l - 1] == '\n' || out[l - 1] == ' '))
        l--;
    size_t s = l;
    while (s && out[s - 1] != '\n')
        s--;
    log_fail("%s failed (status %d): %.*s [%s]", what, rc, (int)(l - s), out + s, cmd);
    free(cmd);
    return -1;
}

/* ---- SOURCE_DATE_EPOCH: fixed directory entry times in the FAT image ---- */

struct fatgeo {
    unsigned bps, spc, reserved, nfats, rootents, fatsz, bits;
    uint64_t total, datastart, rootstart;
};

static uint32_t fat_next(const unsigned char *fat, const struct fatgeo *g, uint32_t c)
{
    if (g->bits == 12) {
        uint32_t o = c + c / 2, v = fat[o] | (uint32_t)fat[o + 1] << 8;
        return c & 1 ? v >> 4 : v & 0xfff;
    }
    if (g->bits == 16)
        return fat[2 * c] | (uint32_t)fat[2 * c + 1] << 8;
    return (fat[4 * c] | (uint32_t)fat[4 * c + 1] << 8 | (uint32_t)fat[4 * c + 2] << 16 |
            (uint32_t)fat[4 * c + 3] << 24) & 0x0fffffff;
}

static void fix_dir(unsigned char *img, size_t len, const struct fatgeo *g, const unsigned char *fat,
                    uint64_t off, uint64_t bytes, uint32_t cluster, uint16_t date, uint16_t time, int depth)
{
    uint32_t eoc = g->bits == 12 ? 0xff8 : g->bits == 16 ? 0xfff8 : 0x0ffffff8;
    for (int guard = 0; guard < 65536 && depth < 16; guard++) {
        if (cluster) {
            off = g->datastart + (uint64_t)(cluster - 2) * g->spc * g->bps;
            bytes = (uint64_t)g->spc * g->bps;
        }
        if (off + bytes > len)
            return;
        for (uint64_t e = off; e < off + bytes; e += 32) {
            unsigned char *d = img + e;
            if (d[0] == 0)
                return;
            if (d[0] == 0xe5 || d[11] == 0x0f)
                continue;
            /* create time (14), create date (16), access date (18), write time (22), write date (24) */
            d[13] = 0;
            d[14] = time & 0xff, d[15] = time >> 8;
            d[16] = date & 0xff, d[17] = date >> 8;
            d[18] = date & 0xff, d[19] = date >> 8;
            d[22] = time & 0xff, d[23] = time >> 8;
            d[24] = date & 0xff, d[25] = date >> 8;
            uint32_t sub = d[26] | (uint32_t)d[27] << 8 | (g->bits == 32 ? ((uint32_t)d[20] << 16 | (uint32_t)d[21] << 24) : 0);
            if ((d[11] & 0x10) && d[0] != '.' && sub >= 2)
                fix_dir(img, len, g, fat, 0, 0, sub, date, time, depth + 1);
        }
        if (!cluster)
            return;
        cluster = fat_next(fat, g, cluster);
        if (cluster < 2 || cluster >= eoc)
            return;
    }
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int efiboot_fix_times(const char *image, long long epoch)
{
    char *img = NULL;
    size_t len = 0;
    if (read_file(image, &img, &len) < 0)
        return log_fail("cannot read %s: %s", image, strerror(errno));
    unsigned char *b = (unsigned char *)img;
    struct fatgeo g = { 0 };
    g.bps = b[11] | b[12] << 8;
    g.spc = b[13];
    g.reserved = b[14] | b[15] << 8;
    g.nfats = b[16];
    g.rootents = b[17] | b[18] << 8;
    g.total = b[19] | b[20] << 8;
    if (!g.total)
        g.total = b[32] | b[33] << 8 | (uint32_t)b[34] << 16 | (uint32_t)b[35] << 24;
    g.fatsz = b[22] | b[23] << 8;
    if (!g.fatsz)
        g.fatsz = b[36] | b[37] << 8 | (uint32_t)b[38] << 16 | (uint32_t)b[39] << 24;
    if (len < 512 || g.bps < 512 || !g.spc || !g.nfats || !g.fatsz) {
        free(img);
        return log_fail("%s is not a FAT image", image);
    }
    uint64_t rootsecs = ((uint64_t)g.rootents * 32 + g.bps - 1) / g.bps;
    uint64_t datasecs = g.total - g.reserved - (uint64_t)g.nfats * g.fatsz - rootsecs;
    uint64_t clusters = datasecs / g.spc;
    g.bits = clusters < 4085 ? 12 : clusters < 65525 ? 16 : 32;
    g.rootstart = (uint64_t)(g.reserved + g.nfats * g.fatsz) * g.bps;
    g.datastart = g.rootstart + rootsecs * g.bps;
    const unsigned char *fat = b + (uint64_t)g.reserved * g.bps;
    time_t t = (time_t)epoch;
    struct tm tm;
    gmtime_r(&t, &tm);
    if (tm.tm_year < 80)
        tm.tm_year = 80, tm.tm_mon = 0, tm.tm_mday = 1, tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
    uint16_t date = (uint16_t)((tm.tm_year - 80) << 9 | (tm.tm_mon + 1) << 5 | tm.tm_mday);
    uint16_t tim = (uint16_t)(tm.tm_hour << 11 | tm.tm_min << 5 | tm.tm_sec / 2);
    if (g.bits == 32) {
        uint32_t rc = b[44] | b[45] << 8 | (uint32_t)b[46] << 16 | (uint32_t)b[47] << 24;
        fix_dir(b, len, &g, fat, 0, 0, rc, date, tim, 0);
    } else {
        fix_dir(b, len, &g, fat, g.rootstart, rootsecs * g.bps, 0, date, tim, 0);
    }
    int rc = 0;
    int fd = open(image, O_WRONLY | O_CLOEXEC);
    if (fd < 0 || pwrite(fd, img, len, 0) != (ssize_t)len)
        rc = log_fail("cannot write %s: %s", image, strerror(errno));
    if (fd >= 0)
        close(fd);
    free(img);
    return rc;
}

int efiboot_make(const char *efidir, const char *image, const char *label)
{
    if (!is_dir(efidir))
        return log_fail("EFI directory %s does not exist", efidir);
    if (!label || !*label)
        label = "EFIBOOT";
    if (strlen(label) > 11)
        return log_fail("FAT label '%s' is longer than 11 characters", label);

    double t0 = now_seconds();
    struct tree_stats ts = { 0 };
    if (walk(efidir, &ts, 0) < 0)
        return -1;
    if (ts.files == 0)
        return log_fail("EFI directory %s is empty", efidir);
    uint64_t size = efiboot_size_for(ts.bytes, ts.files, ts.dirs);
    char kib[32];
    snprintf(kib, sizeof kib, "%llu", (unsigned long long)(size / 1024));

    unlink(image);
    long long sde = reproducible_epoch();
    char serial[16];
    snprintf(serial, sizeof serial, "%08x", sde >= 0 ? reproducible_u32(sde, "efiboot") : 0);
    const char *mkfs_fixed[] = { "mkfs.fat", "-C", "-n", label, "-i", serial, image, kib, NULL };
    const char *mkfs[] = { "mkfs.fat", "-C", "-n", label, image, kib, NULL };
    if (tool(sde >= 0 ? mkfs_fixed : mkfs, "mkfs.fat") < 0)
        goto fail;
    const char *mmd[] = { "mmd", "-i", image, "::/EFI", NULL };
    if (tool(mmd, "mmd") < 0)
        goto fail;

    /* mcopy -s every entry of efidir into ::/EFI/ */
    strv_t av = { 0 };
    strv_push(&av, "mcopy");
    strv_push(&av, "-s");
    strv_push(&av, "-m");
    strv_push(&av, "-i");
    strv_push(&av, image);
    DIR *d = opendir(efidir);
    if (!d) {
        strv_free(&av);
        log_fail("cannot read %s: %s", efidir, strerror(errno));
        goto fail;
    }
    struct dirent *de;
    size_t first = av.n;
    while ((de = readdir(d)))
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
            strv_push_take(&av, path_join(efidir, de->d_name));
    closedir(d);
    if (av.n - first > 1)
        qsort(av.v + first, av.n - first, sizeof(char *), cmp_names);
    strv_push(&av, "::/EFI/");
    int rc = tool((const char *const *)av.v, "mcopy");
    strv_free(&av);
    if (rc < 0 || (sde >= 0 && efiboot_fix_times(image, sde) < 0))
        goto fail;

    log_info("EFI boot image %s: %llu KiB, %u files, made in %.2f s", image,
             (unsigned long long)(size / 1024), ts.files, now_seconds() - t0);
    return 0;
fail:
    unlink(image);
    return -1;
}
