/* test_options.c - the one default and the one validation of the squashfs
 * compressor (--compression-type, squashfs.h) and of the package cache
 * (pkg_cachedir, pkg_engine_new without one). */
#define _GNU_SOURCE
#include "core/base/cleanup.h"
#include "core/base/log.h"
#include "core/base/util.h"
#include "core/pkg.h"
#include "core/squashfs.h"
#include "tap.h"

#include <stdlib.h>

static void case_comp_default(void)
{
    struct squashfs_comp c;
    squashfs_comp_init(&c);
    is_str(c.type, "xz", "default compressor: xz");
    is_str(c.args, "", "default: no arguments");
}

static void case_comp_parse(void)
{
    struct squashfs_comp c;
    char err[256] = "";
    is_int(squashfs_comp_parse(&c, "zstd", err, sizeof err), 0, "zstd");
    is_str(c.type, "zstd", "  type");
    is_str(c.args, "", "  no arguments");
    is_int(squashfs_comp_parse(&c, "gzip -b 256K -Xcompression-level 1", err, sizeof err), 0, "TYPE ARGS");
    is_str(c.type, "gzip", "  type");
    is_str(c.args, "-b 256K -Xcompression-level 1", "  arguments");
    is_int(squashfs_comp_parse(&c, "xz1m", err, sizeof err), 0, "xz1m");
    is_str(c.type, "xz", "  is xz");
    is_str(c.args, "-b 1M -Xdict-size 1M", "  with 1M blocks and dictionary");
    is_int(squashfs_comp_parse(&c, "xz1m -Xbcj x86", err, sizeof err), 0, "xz1m ARGS");
    is_str(c.args, "-b 1M -Xdict-size 1M -Xbcj x86", "  its arguments first");
    is_int(squashfs_comp_parse(&c, "None", err, sizeof err), 0, "None");
    ok(c.type == NULL, "  None: to be taken from the --base-on image");
    is_int(squashfs_comp_parse(&c, "none -Xfoo", err, sizeof err), 0, "none (any case), arguments dropped");
    is_str(c.args, "", "  no arguments");

    struct squashfs_comp keep;
    squashfs_comp_parse(&keep, "lz4", err, sizeof err);
    is_int(squashfs_comp_parse(&keep, "bogus -Xa", err, sizeof err), -1, "unknown type rejected");
    is_str(err, "unknown --compression-type 'bogus' (xz, zstd, lz4, lzo, gzip, lzma, or None to keep "
                "the --base-on image's)", "  with the tool's message");
    is_str(keep.type, "lz4", "  and the previous value kept");
    char *longargs = xmalloc(700);
    memset(longargs, 'x', 699);
    longargs[0] = 'x', longargs[1] = 'z', longargs[2] = ' ';
    longargs[699] = 0;
    is_int(squashfs_comp_parse(&keep, longargs, err, sizeof err), -1, "arguments too long rejected");
    free(longargs);
}

static void case_comp_resolve(void)
{
    struct squashfs_comp c;
    char err[256];
    squashfs_comp_parse(&c, "None", err, sizeof err);
    ok(!squashfs_comp_resolve(&c, NULL), "None without a base image: not read from one");
    is_str(c.type, "xz", "  the default");
    squashfs_comp_parse(&c, "None", err, sizeof err);
    ok(!squashfs_comp_resolve(&c, "/nonexistent/squashfs.img"), "None, base image without squashfs");
    is_str(c.type, "gzip", "  gzip, as livecd-creator");
    squashfs_comp_parse(&c, "zstd", err, sizeof err);
    ok(!squashfs_comp_resolve(&c, "/nonexistent/squashfs.img"), "a type that is not None stays");
    is_str(c.type, "zstd", "  zstd");
}

static void case_cache_default(void)
{
    char *T = make_tmpdir("/var/tmp", "ksc-test-options");
    char *work = path_join(T, "work"), *given = path_join(T, "given");
    char *d = pkg_cachedir(NULL, work);
    char *want = path_join(work, "cache");
    is_str(d, want, "no --cache: <workdir>/cache");
    ok(d && is_dir(d), "  created");
    free(d);
    free(want);
    d = pkg_cachedir(given, work);
    is_str(d, given, "--cache DIR wins");
    ok(d && is_dir(d), "  created");
    free(d);
    ok(pkg_cachedir(NULL, NULL) == NULL && log_failure(), "neither: an error");
    struct pkg_engine_opts eo = { 0 };
    ok(pkg_engine_new(&eo) == NULL, "pkg_engine_new without a cache directory fails");
    ok(log_failure() && strstr(log_failure(), "cache directory"), "  clearly: %s",
       log_failure() ? log_failure() : "");
    eo.cachedir = given;
    struct pkg_engine *e = pkg_engine_new(&eo);
    ok(e != NULL, "with one it is made");
    pkg_engine_free(e);
    free(work);
    free(given);
    free(T);
    cleanup_release_all();
}

static const struct tap_case cases[] = {
    TAP_CASE(case_comp_default), TAP_CASE(case_comp_parse), TAP_CASE(case_comp_resolve),
    TAP_CASE(case_cache_default), { 0 },
};

int main(int argc, char **argv)
{
    log_open(getenv("KSC_TEST_DEBUG") ? LOG_DEBUG : LOG_QUIET, NULL);
    int rc = tap_run(cases, argc, argv);
    log_close();
    return rc;
}
