/* ksc-resolve - print the package set a kickstart resolves to, one NEVRA
 * ("name-[epoch:]version-release.arch") per line, sorted; optionally
 * download and install it into a root.
 *
 *   ksc-resolve [options] KICKSTART
 *     --cache DIR          metadata/package cache (default: a temporary one)
 *     --repo FILE|DIR      .repo file(s), like livecd-creator --repo (repeatable)
 *     --releasever VER     $releasever
 *     --arch ARCH          target architecture (default x86_64)
 *     --cacheonly          use only the cache
 *     --pkgverify-level L  none|digest|signature|all (with --install)
 *     --download           download the set into the cache (no install)
 *     --install ROOT       download and install the set into ROOT
 *     --time               print load/resolve/download/install times on stderr
 *     -v, --verbose / --debug
 * The kickstart's repo/url commands and %packages are used; nothing else.
 * Exit status: 0 success, 1 failure (last line of stderr says why), 2 usage.
 */
#define _GNU_SOURCE
#include "core/base/cleanup.h"
#include "core/base/log.h"
#include "core/base/strv.h"
#include "core/pkg.h"
#include "core/base/util.h"
#include "kickstart/ks.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(FILE *f)
{
    fprintf(f, "usage: ksc-resolve [--cache DIR] [--repo FILE|DIR]... [--releasever VER] [--arch ARCH]\n"
               "                   [--cacheonly] [--pkgverify-level LEVEL] [--download] [--install ROOT]\n"
               "                   [--time]\n"
               "                   [-v|--debug] KICKSTART\n");
}

int main(int argc, char **argv)
{
    const char *cache = NULL, *releasever = NULL, *arch = NULL, *root = NULL, *verify = NULL;
    strv_t repofiles = { 0 };
    bool cacheonly = false, timing = false, download = false;
    enum log_level lvl = LOG_WARN;
    static const struct option lo[] = {
        { "cache", required_argument, NULL, 'C' },
        { "repo", required_argument, NULL, 'r' },
        { "releasever", required_argument, NULL, 'R' },
        { "arch", required_argument, NULL, 'a' },
        { "cacheonly", no_argument, NULL, 'o' },
        { "pkgverify-level", required_argument, NULL, 'p' },
        { "install", required_argument, NULL, 'i' },
        { "download", no_argument, NULL, 'D' },
        { "time", no_argument, NULL, 't' },
        { "verbose", no_argument, NULL, 'v' },
        { "debug", no_argument, NULL, 'd' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int c;
    while ((c = getopt_long(argc, argv, "vh", lo, NULL)) != -1) {
        switch (c) {
        case 'C': cache = optarg; break;
        case 'r': strv_push(&repofiles, optarg); break;
        case 'R': releasever = optarg; break;
        case 'a': arch = optarg; break;
        case 'o': cacheonly = true; break;
        case 'p': verify = optarg; break;
        case 'i': root = optarg; break;
        case 'D': download = true; break;
        case 't': timing = true; break;
        case 'v': lvl = LOG_VERBOSE; break;
        case 'd': lvl = LOG_DEBUG; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind + 1 != argc) {
        usage(stderr);
        return 2;
    }
    if (verify && pkg_verify_level_parse(verify) < 0) {
        fprintf(stderr, "ksc-resolve: --pkgverify-level: none, digest, signature or all\n");
        return 2;
    }
    log_open(lvl, NULL);
    struct kickstart *ks = NULL;
    struct ks_parse_opts po;
    ks_parse_opts_init(&po);
    po.errors_fatal = true;
    if (ks_parse_file(argv[optind], &po, &ks) < 0) {
        log_error("%s: cannot parse the kickstart", argv[optind]);
        strv_free(&repofiles);
        return 1;
    }
    /* the cache default of every build (pkg_cachedir): --cache, else one in
     * a temporary work directory, removed at the end by the cleanup registry */
    cleanup_handle_signals();
    int rc = 1;
    char *workdir = NULL;
    if (!cache && !(workdir = make_tmpdir("/tmp", "ksc-resolve"))) {
        log_error("cannot create a temporary cache: %m");
        ks_free(ks);
        strv_free(&repofiles);
        return 1;
    }
    char *cachedir = pkg_cachedir(cache, workdir);
    struct pkg_engine_opts eo = { .cachedir = cachedir, .arch = arch, .releasever = releasever,
                                  .cacheonly = cacheonly, .pkgverify_level = verify };
    struct pkg_engine *e = cachedir ? pkg_engine_new(&eo) : NULL;
    if (!e) {
        log_error("%s", log_failure() ? log_failure() : "cannot set up the package engine");
        goto done;
    }
    double t0 = now_seconds(), t1, t2, t3;
    for (size_t i = 0; i < repofiles.n; i++)
        if (pkg_add_repofile(e, repofiles.v[i]) < 0)
            goto out;
    for (size_t i = 0; i < ks->n_repos; i++)
        if (pkg_add_repo(e, &ks->repos[i]) < 0)
            goto out;
    if (ks->url.seen && pkg_add_url(e, &ks->url) < 0)
        goto out;
    if (pkg_load(e) < 0)
        goto out;
    t1 = now_seconds();
    if (pkg_resolve(e, &ks->packages) < 0)
        goto out;
    t2 = now_seconds();
    if (timing)
        fprintf(stderr, "load %.3f s, resolve %.3f s, %zu packages\n", t1 - t0, t2 - t1,
                pkg_count(e));
    if (root || download) {
        if (pkg_download(e) < 0)
            goto out;
        t3 = now_seconds();
        if (root && pkg_install(e, root, ks->packages.excludedocs, ks->packages.inst_langs) < 0)
            goto out;
        if (timing)
            fprintf(stderr, "download %.3f s, install %.3f s\n", t3 - t2, now_seconds() - t3);
    }
    for (size_t i = 0; i < pkg_count(e); i++)
        printf("%s\n", pkg_nevra(e, i));
    rc = 0;
out:
    pkg_engine_free(e);
done:
    ks_free(ks);
    strv_free(&repofiles);
    free(cachedir);
    free(workdir);
    cleanup_release_all();
    log_close();
    return rc;
}
