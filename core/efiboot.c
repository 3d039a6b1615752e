/* efiboot.c - see efiboot.h */
#define _GNU_SOURCE
#include "efiboot.h"
#include "log.h"
#include "run.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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
    const char *mkfs[] = { "mkfs.fat", "-C", "-n", label, image, kib, NULL };
    if (tool(mkfs, "mkfs.fat") < 0)
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
    while ((de = readdir(d)))
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
            strv_push_take(&av, path_join(efidir, de->d_name));
    closedir(d);
    strv_push(&av, "::/EFI/");
    int rc = tool((const char *const *)av.v, "mcopy");
    strv_free(&av);
    if (rc < 0)
        goto fail;

    log_info("EFI boot image %s: %llu KiB, %u files, made in %.2f s", image,
             (unsigned long long)(size / 1024), ts.files, now_seconds() - t0);
    return 0;
fail:
    unlink(image);
    return -1;
}
