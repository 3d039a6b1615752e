/* squashfs.c - see squashfs.h */
#define _GNU_SOURCE
#include "core/squashfs.h"
#include "core/base/strv.h"
#include "core/base/log.h"
#include "core/base/run.h"
#include "core/base/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* the first is the default */
static const char *const compressors[] = { "xz", "zstd", "lz4", "lzo", "gzip", "lzma", NULL };

void squashfs_comp_init(struct squashfs_comp *c)
{
    c->type = compressors[0];
    c->args[0] = 0;
}

int squashfs_comp_parse(struct squashfs_comp *c, const char *spec, char *err, size_t errlen)
{
    while (*spec == ' ')
        spec++;
    size_t n = strcspn(spec, " ");
    const char *args = spec[n] ? spec + n + 1 : "";
    char *name = xstrndup(spec, n);
    const char *type = NULL, *pre = "";
    bool none = !strcasecmp(name, "none");
    if (!strcmp(name, "xz1m")) {
        type = compressors[0];
        pre = "-b 1M -Xdict-size 1M";
    }
    for (size_t i = 0; compressors[i] && !type && !none; i++)
        if (!strcmp(name, compressors[i]))
            type = compressors[i];
    bool known = type || none;
    if (!known)
        snprintf(err, errlen, "unknown --compression-type '%s' (xz, zstd, lz4, lzo, gzip, lzma, or "
                              "None to keep the --base-on image's)", name);
    free(name);
    if (!known)
        return -1;
    if (none)
        args = "";
    struct squashfs_comp out = { .type = type };
    int len = snprintf(out.args, sizeof out.args, "%s%s%s", pre, *pre && *args ? " " : "", args);
    if (len < 0 || (size_t)len >= sizeof out.args) {
        snprintf(err, errlen, "--compression-type arguments are too long (at most %zu characters)",
                 sizeof out.args - 1);
        return -1;
    }
    *c = out;
    return 0;
}

bool squashfs_comp_resolve(struct squashfs_comp *c, const char *image)
{
    if (c->type)
        return false;
    if (!image) {
        squashfs_comp_init(c);
        return false;
    }
    const char *found = squashfs_image_compressor(image);
    c->type = found ? found : "gzip";
    c->args[0] = 0;
    return found != NULL;
}

const char *squashfs_image_compressor(const char *image)
{
    /* superblock: le32 magic "hsqs" at 0, le16 compression id at 20 */
    static const char *const ids[] = { NULL, "gzip", "lzma", "lzo", "xz", "lz4", "zstd" };
    unsigned char sb[96];
    FILE *f = fopen(image, "rb");
    if (!f)
        return NULL;
    size_t n = fread(sb, 1, sizeof sb, f);
    fclose(f);
    if (n < sizeof sb || memcmp(sb, "hsqs", 4) != 0)
        return NULL;
    unsigned id = sb[20] | (unsigned)sb[21] << 8;
    return id < sizeof ids / sizeof ids[0] ? ids[id] : NULL;
}

int squashfs_make(const char *srcdir, const char *image, const struct squashfs_opts *opts)
{
    struct squashfs_opts def = { 0 };
    if (!opts)
        opts = &def;
    struct squashfs_comp dcomp;
    squashfs_comp_init(&dcomp);
    const struct squashfs_comp *c = opts->comp ? opts->comp : &dcomp;
    const char *comp = c->type;
    bool uncompressed = opts->uncompressed;
    if (!comp && !uncompressed)
        return log_fail("squashfs compressor None was not resolved (squashfs_comp_resolve)");
    if (!is_dir(srcdir))
        return log_fail("squashfs source %s is not a directory", srcdir);

    int nproc = opts->processors > 0 ? opts->processors : (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (nproc < 1)
        nproc = 1;
    char nbuf[16];
    snprintf(nbuf, sizeof nbuf, "%d", nproc);

    strv_t av = { 0 };
    char *args_copy = NULL;
    strv_push(&av, "mksquashfs");
    strv_push(&av, srcdir);
    strv_push(&av, image);
    strv_push(&av, "-noappend");
    strv_push(&av, "-no-recovery");
    strv_push(&av, "-processors");
    strv_push(&av, nbuf);
    if (!opts->progress)
        strv_push(&av, "-no-progress");
    if (uncompressed) {
        strv_push(&av, "-noI");
        strv_push(&av, "-noD");
        strv_push(&av, "-noF");
        strv_push(&av, "-noX");
    } else {
        strv_push(&av, "-comp");
        strv_push(&av, comp);
        if (c->args[0]) {
            args_copy = xstrdup(c->args);
            char *save = NULL;
            for (char *t = strtok_r(args_copy, " \t\n", &save); t; t = strtok_r(NULL, " \t\n", &save))
                strv_push(&av, t);
        }
    }

    unlink(image);
    double t0 = now_seconds();
    char *cmdline = argv_to_string((const char *const *)av.v);
    log_verbose("running %s", cmdline);
    int rc = run_argv((const char *const *)av.v, NULL);
    if (rc < 0) {
        log_fail("cannot run mksquashfs (is squashfs-tools installed?)");
        free(cmdline);
        free(args_copy);
        strv_free(&av);
        return -1;
    }
    if (rc != 0) {
        const char *out = run_last_output();
        const char *last = out;
        /* the last non-empty line is usually the reason */
        size_t l = strlen(out);
        while (l > 0 && (out[l - 1] == '\n' || out[l - 1] == ' '))
            l--;
        size_t s = l;
        while (s > 0 && out[s - 1] != '\n')
            s--;
        last = out + s;
        log_fail("mksquashfs failed (%s%d): %.*s [%s]", rc > 128 ? "signal " : "exit ",
                 rc > 128 ? rc - 128 : rc, (int)(l - s), last, cmdline);
        unlink(image);
        free(cmdline);
        free(args_copy);
        strv_free(&av);
        return -1;
    }
    struct stat st;
    if (stat(image, &st) == 0)
        log_info("squashfs %s (%s) written in %.1f s: %.1f MiB", image,
                 uncompressed ? "uncompressed" : comp, now_seconds() - t0,
                 (double)st.st_size / (1024.0 * 1024.0));
    free(cmdline);
    free(args_copy);
    strv_free(&av);
    return 0;
}
