/* vmformat.c - see vmformat.h */
#define _GNU_SOURCE
#include "core/vmformat.h"
#include "core/base/strv.h"
#include "core/base/log.h"
#include "core/base/run.h"
#include "core/base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


static const char *const formats[][2] = {
    { "raw", "raw" }, { "qcow2", "qcow2" }, { "vmdk", "vmdk" }, { "vdi", "vdi" },
    { "vhdx", "vhdx" }, { "raw.xz", "raw.xz" }, { NULL, NULL },
};

int vm_format_valid(const char *format)
{
    for (int i = 0; formats[i][0]; i++)
        if (!strcmp(formats[i][0], format))
            return 1;
    return 0;
}

const char *vm_format_ext(const char *format)
{
    for (int i = 0; formats[i][0]; i++)
        if (!strcmp(formats[i][0], format))
            return formats[i][1];
    return format;
}

static int move_or_copy(const char *src, const char *dst)
{
    if (rename(src, dst) == 0)
        return 0;
    if (errno != EXDEV)
        return log_fail("cannot move %s to %s: %s", src, dst, strerror(errno));
    char *tmp = xasprintf("%s.part", dst);
    const char *argv[] = { "cp", "--sparse=always", src, tmp, NULL };
    int rc = 0;
    if (run_argv(argv, NULL) != 0 || rename(tmp, dst) < 0) {
        unlink(tmp);
        rc = log_fail("cannot copy %s to %s: %s", src, dst, run_last_output());
    }
    free(tmp);
    return rc;
}

int vm_convert(const char *raw, const char *format, bool compress, const char *dst)
{
    if (!strcmp(format, "raw") && !compress)
        return move_or_copy(raw, dst);
    if (!strcmp(format, "raw.xz") || (!strcmp(format, "raw") && compress)) {
        char *tmp = xasprintf("%s.part", dst);
        int out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (out < 0) {
            int e = errno;
            free(tmp);
            return log_fail("cannot create %s: %s", dst, strerror(e));
        }
        /* xz writes to stdout: run it through sh to redirect into the file */
        char *cmd = xasprintf("exec xz -T0 -z -c -k -- \"$0\" >\"$1\"");
        const char *argv[] = { "sh", "-c", cmd, raw, tmp, NULL };
        close(out);
        int r = run_argv(argv, NULL);
        free(cmd);
        if (r != 0 || rename(tmp, dst) < 0) {
            unlink(tmp);
            free(tmp);
            return log_fail("xz -T0 of %s failed: %s", raw, run_last_output());
        }
        free(tmp);
        return 0;
    }
    strv_t argv = { 0 };
    strv_pushv(&argv, "qemu-img", "convert", "-f", "raw", "-O", format, NULL);
    if (compress && !strcmp(format, "qcow2"))
        strv_push(&argv, "-c");
    if (!strcmp(format, "vmdk"))
        strv_pushv(&argv, "-o", "subformat=streamOptimized", NULL);
    strv_pushv(&argv, raw, dst, NULL);
    int r = run_argv(strv_argv(&argv), NULL);
    strv_free(&argv);
    if (r != 0) {
        unlink(dst);
        return log_fail("qemu-img convert to %s failed: %s", format, run_last_output());
    }
    return 0;
}

int vm_qcow2_overlay(const char *base, const char *overlay)
{
    /* the backing file is recorded relative to the overlay when both are in
     * the same directory (the pair can move together), else absolute */
    char *b1 = xstrdup(base), *o1 = xstrdup(overlay), *b2 = xstrdup(base), *o2 = xstrdup(overlay);
    char *bdir = realpath(dirname(b1), NULL), *odir = realpath(dirname(o1), NULL);
    char *backing = bdir && odir && !strcmp(bdir, odir) ? xstrdup(basename(b2)) : realpath(base, NULL);
    char *ovpath = odir ? xasprintf("%s/%s", odir, basename(o2)) : xstrdup(overlay);
    int rc = 0;
    if (!backing) {
        rc = log_fail("cannot resolve %s: %s", base, strerror(errno));
    } else {
        const char *argv[] = { "qemu-img", "create", "-f", "qcow2", "-b", backing, "-F", "qcow2", ovpath, NULL };
        struct run_opts ro = { 0 };
        ro.cwd = odir;
        if (run_argv(argv, &ro) != 0)
            rc = log_fail("qemu-img create (overlay %s on %s) failed: %s", overlay, base, run_last_output());
    }
    free(b1);
    free(o1);
    free(b2);
    free(o2);
    free(bdir);
    free(odir);
    free(backing);
    free(ovpath);
    return rc;
}

int vm_checksum(const char *path, const char *algo, char **sumfile)
{
    if (strcmp(algo, "sha256") && strcmp(algo, "sha512") && strcmp(algo, "sha1") && strcmp(algo, "md5"))
        return log_fail("unknown checksum type %s (sha256, sha512, sha1, md5)", algo);
    char *prog = xasprintf("%ssum", algo);
    char *p = xstrdup(path);
    char *dir = xstrdup(dirname(p));
    free(p);
    p = xstrdup(path);
    const char *base = basename(p);
    const char *argv[] = { prog, "--", base, NULL };
    char *out = NULL;
    struct run_opts ro = { 0 };
    ro.capture = &out;
    ro.cwd = dir;
    int r = run_argv(argv, &ro);
    int rc = 0;
    if (r != 0 || !out) {
        rc = log_fail("%s %s failed: %s", prog, path, run_last_output());
    } else {
        char *f = xasprintf("%s.%s", path, algo);
        if (write_file(f, out, 0644) < 0)
            rc = log_fail("cannot write %s: %s", f, strerror(errno));
        if (sumfile && rc == 0)
            *sumfile = f;
        else
            free(f);
    }
    free(out);
    free(p);
    free(dir);
    free(prog);
    return rc;
}

int vm_bmap(const char *raw, char **bmapfile)
{
    char *f = xasprintf("%s.bmap", raw);
    const char *argv[] = { "bmaptool", "create", "-o", f, raw, NULL };
    if (run_argv(argv, NULL) != 0) {
        free(f);
        return log_fail("bmaptool create for %s failed (is bmap-tools installed?): %s", raw, run_last_output());
    }
    if (bmapfile)
        *bmapfile = f;
    else
        free(f);
    return 0;
}

int vm_info(const char *path, char **json)
{
    const char *argv[] = { "qemu-img", "info", "--output=json", path, NULL };
    struct run_opts ro = { 0 };
    ro.capture = json;
    if (run_argv(argv, &ro) != 0)
        return log_fail("qemu-img info %s failed: %s", path, run_last_output());
    return 0;
}
