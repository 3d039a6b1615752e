/* test_pkg_repo.c - package engine: .repo files, the .solv cache, metalink
 * checksum, per-package mirror failover, resumed downloads, cache locking.
 * Uses the synthetic repository of tests/fixtures/mksynth.sh (file://) and
 * python3's http.server for the resume test (tests/unit/pkgtest.h). */
#define _GNU_SOURCE
#define KSC_PKG_INTERNAL
#include "tap.h"
#include "pkgtest.h"

#include "core/base/strv.h"
#include "core/base/util.h"
#include "core/pkg.h"
#include "kickstart/ks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *fixdir; /* the synthetic repository */

static off_t fsize(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 ? st.st_size : -1;
}

/* a .repo file NAME in the scratch directory with TEXT; its path */
static char *repofile(const char *name, char *text)
{
    char *path = T(name);
    write_file(path, G(text), 0644);
    return path;
}

/* --- .repo files ---------------------------------------------------------- */

static void case_pkgverify_level_words(void)
{
    is_int(pkg_verify_level_parse("signature"), 2, "pkgverify level words");
    is_int(pkg_verify_level_parse("bogus"), -1, "unknown pkgverify level refused");
}

static void case_repofile_directory_sections_and_options(void)
{
    char *rdir = T("repos.d");
    mkdir_p(rdir, 0755);
    ok(symlink(fixdir, T("synth-1-x86_64")) == 0, "symlink for $releasever/$basearch");
    write_file(G(path_join(rdir, "a.repo")),
               G(xasprintf("# comment\n[main]\ngpgcheck=0\n\n"
                           "[synth]\nname = Synth $releasever\n"
                           "baseurl=file://%s/synth-$releasever-$basearch\n"
                           "enabled=1\ngpgcheck=0\npriority=10\ncost=500\n"
                           "excludepkgs=synth-postfix,\n  synth-extra\n"
                           "gpgkey=file:///k1\n  file:///k2\n"
                           "username=u\npassword=p w\nproxy_username=pu\n\n"
                           "[off]\nbaseurl=file:///nonexistent\nenabled=0\n", pkgtest_tmp)),
               0644);
    write_file(G(path_join(rdir, "ignored.txt")), "[x]\nbaseurl=file:///nonexistent\n", 0644);
    struct pkg_engine *e = pkgtest_engine_repofile(rdir, T("c1"), NULL);
    ok(e != NULL, ".repo directory: loaded (disabled section and non-.repo files skipped)");
    if (!e)
        return;
    is_int(e->n_repos, 1, "one enabled repository");
    struct pkg_repo *r = e->repos[0];
    is_str(r->name, "synth", "section id is the repository name");
    is_int(r->priority, 10, "priority=");
    is_int(r->cost, 500, "cost=");
    is_int(r->gpgkeys.n, 2, "gpgkey= list with a continuation line");
    is_str(r->dl.userpwd, "u:p w", "username=/password= for the server");
    is_str(r->dl.proxyuserpwd, "pu:", "proxy_username= without a password");
    is_int(r->excludepkgs.n, 2, "excludepkgs= list");
    char *got = pkgtest_resolve_names(e, "synth-mua");
    is_str(got, "synth-mua-1.0-1.noarch synth-sendmail-1.0-1.noarch", "excludepkgs applies");
    free(got);
    pkg_engine_free(e);
}

/* loading bad.repo with TEXT fails; the failure has WANT */
static bool bad_repofile_fails(const char *text, const char *want)
{
    struct pkg_engine *e = pkgtest_engine_repofile(repofile("bad.repo", xstrdup(text)), T("c2"), NULL);
    pkg_engine_free(e);
    return e == NULL && failure_has(want);
}

static void case_repofile_syntax_error_names_file_line(void)
{
    ok(bad_repofile_fails("[x]\nbaseurl=file:///x\nthis line is wrong\n", "bad.repo:3: expected key=value"),
       "syntax error names FILE:LINE");
}

static void case_repofile_section_without_url_refused(void)
{
    ok(bad_repofile_fails("[x]\nname=x\n", "repository x has no baseurl"), "section without a URL refused");
}

static void case_repofile_bad_boolean_refused(void)
{
    ok(bad_repofile_fails(G(xasprintf("[x]\nbaseurl=file://%s\ngpgcheck=maybe\n", fixdir)),
                          "bad.repo:3: gpgcheck=maybe is not a boolean"),
       "bad boolean refused");
}

/* --- .solv cache ---------------------------------------------------------- */

/* "synth-filedep synth-base" resolved from one.repo with the cache SC; DIR
 * (unless NULL) gets the repository's cache directory */
static char *resolve_cached(const char *sc, char **dir)
{
    char *one = repofile("one.repo", xasprintf("[synth]\nbaseurl=file://%s\n", fixdir));
    struct pkg_engine *e = pkgtest_engine_repofile(one, sc, NULL);
    char *got = e ? pkgtest_resolve_names(e, "synth-filedep synth-base") : xstrdup("FAIL");
    if (dir)
        *dir = G(xstrdup(e ? e->repos[0]->dir : "/nonexistent"));
    pkg_engine_free(e);
    return got;
}

static void case_solv_cache_written_and_reused(void)
{
    char *sc = T("solvcache"), *dir;
    char *first = resolve_cached(sc, &dir);
    ok(path_exists(G(path_join(dir, "primary.solv"))), "primary.solv written");
    ok(path_exists(G(path_join(dir, "filelists.solvx"))), "filelists.solvx written once file lists were needed");
    char *got = resolve_cached(sc, NULL);
    is_str(got, first, "same result from the .solv cache");
    ok(strstr(got, "synth-data-1.0-1.noarch") != NULL, "file dependency from filelists.solvx");
    free(got);
    free(first);
}

static void case_solv_cache_stale_cookie_reparsed(void)
{
    char *sc = T("solvcache-stale"), *dir;
    char *first = resolve_cached(sc, &dir);
    /* a stale cookie: the XML is parsed again */
    char *solv = G(path_join(dir, "primary.solv")), *text = NULL;
    size_t len = 0;
    if (read_file(solv, &text, &len) == 0 && len > 10) {
        text[len > 30 ? 20 : 5] ^= 1;
        FILE *f = fopen(solv, "wb");
        fwrite(text, 1, len, f);
        fclose(f);
    }
    free(text);
    char *got = resolve_cached(sc, NULL);
    is_str(got, first, "stale .solv cache ignored, same result");
    free(got);
    free(first);
}

/* --- metalink: repomd.xml checksum ---------------------------------------- */

/* ml.repo pointing to a metalink that gives repomd.xml the sha256 HEX */
static char *metalink_repo(const char *hex)
{
    const char *ml_fmt =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<metalink version=\"3.0\" "
        "xmlns=\"http://www.metalinker.org/\"><files><file name=\"repomd.xml\"><verification>"
        "<hash type=\"sha256\">%s</hash></verification><resources>"
        "<url protocol=\"file\" type=\"file\" preference=\"100\">file://%s/repodata/repomd.xml</url>"
        "</resources></file></files></metalink>\n";
    char *ml = T("metalink.xml");
    write_file(ml, G(xasprintf(ml_fmt, hex, fixdir)), 0644);
    return repofile("ml.repo", xasprintf("[ml]\nmetalink=file://%s\n", ml));
}

static void case_metalink_right_sha256_accepted(void)
{
    char *sum = G(pkgtest_cmd_output(G(xasprintf("sha256sum '%s/repodata/repomd.xml'", fixdir))));
    sum[strcspn(sum, " \n")] = 0;
    ok(strlen(sum) == 64, "sha256 of repomd.xml");
    struct pkg_engine *e = pkgtest_engine_repofile(metalink_repo(sum), T("c3"), NULL);
    ok(e != NULL, "metalink with the right repomd.xml sha256");
    pkg_engine_free(e);
}

static void case_metalink_wrong_sha256_refused(void)
{
    char zeros[65];
    memset(zeros, '0', 64);
    zeros[64] = 0;
    struct pkg_engine *e = pkgtest_engine_repofile(metalink_repo(zeros), T("c4"), NULL);
    ok(e == NULL && failure_has("does not match the metalink's sha256"), "metalink: wrong sha256 refused");
    pkg_engine_free(e);
}

/* --- per-package mirror failover ------------------------------------------ */

/* a mirror with the repository's metadata but no packages; NULL if not made */
static char *broken_mirror(void)
{
    char *broken = T("broken-mirror");
    if (path_exists(G(path_join(broken, "repodata"))))
        return broken;
    char *cmd = xasprintf("mkdir -p '%s' && cp -r '%s/repodata' '%s/'", broken, fixdir, broken);
    int st = system(cmd);
    free(cmd);
    return st == 0 ? broken : NULL;
}

/* mirrors.repo with a mirror list of the two mirrors A and B */
static char *mirrors_repo(const char *a, const char *b)
{
    char *mlist = T("mirrorlist");
    write_file(mlist, G(xasprintf("file://%s\nfile://%s\n", a, b)), 0644);
    return repofile("mirrors.repo", xasprintf("[mirrors]\nmirrorlist=file://%s\n", mlist));
}

static void case_mirror_failover_per_package(void)
{
    char *broken = broken_mirror();
    ok(broken != NULL, "a mirror with metadata but no packages");
    if (!broken)
        return;
    struct pkg_engine *e = pkgtest_engine_repofile(mirrors_repo(broken, fixdir), T("c5"), NULL);
    ok(e != NULL && !strcmp(e->repos[0]->baseurl, G(xasprintf("file://%s", broken))),
       "metadata from the first mirror");
    if (e) {
        free(pkgtest_resolve_names(e, "synth-rec"));
        ok(pkg_download(e) == 0, "package download fails over to the second mirror");
        ok(pkg_path(e, 0) && path_exists(pkg_path(e, 0)), "package is in the cache");
    }
    pkg_engine_free(e);
}

static void case_all_mirrors_failed_names_package_and_urls(void)
{
    char *broken = broken_mirror();
    struct pkg_engine *e = broken ? pkgtest_engine_repofile(mirrors_repo(broken, broken), T("c6"), NULL) : NULL;
    if (e) {
        free(pkgtest_resolve_names(e, "synth-rec"));
        ok(pkg_download(e) < 0 &&
               failure_has("Failed to download synth-rec-1.0-1.noarch from file://") &&
               failure_has("broken-mirror/Packages/synth-rec-1.0-1.noarch.rpm"),
           "all mirrors failed: package and URL named");
    } else {
        ok(0, "load broken mirrors");
    }
    pkg_engine_free(e);
}

/* --- resume of a partial download (http) ---------------------------------- */

static void case_http_resume_of_partial_download(void)
{
    const char *url = pkgtest_http_url();
    bool up = pkgtest_http_start();
    ok(up, "http server at %s", url);
    if (!up)
        return;
    char *hc = T("c7");
    struct pkg_engine *e = pkgtest_engine_repofile(repofile("http.repo", xasprintf("[h]\nbaseurl=%s\n", url)), hc, NULL);
    if (e) {
        free(pkgtest_resolve_names(e, "synth-shell"));
        char *src = G(path_join(fixdir, "Packages/synth-shell-1.0-1.x86_64.rpm"));
        char *part = G(path_join(hc, "packages/synth-shell-1.0-1.x86_64.rpm.part"));
        mkdir_p(G(path_join(hc, "packages")), 0755);
        off_t full = fsize(src);
        char *cmd = xasprintf("head -c %lld '%s' > '%s'", (long long)full / 2, src, part);
        ok(system(cmd) == 0, ".part with the first half of the package");
        free(cmd);
        ok(pkg_download(e) == 0, "download with a .part present (python http.server "
                                 "ignores Range: restart)");
        is_int(fsize(pkg_path(e, 0)), full, "complete file");
        ok(!path_exists(part), ".part gone");
    } else {
        ok(0, "load http repository");
    }
    pkg_engine_free(e);
    pkgtest_http_stop();
}

/* --- repo --install: the .repo file in the target ------------------------- */

static void case_repo_install_writes_repo_file(void)
{
    if (geteuid() != 0)
        return;
    struct ks_repo kr;
    memset(&kr, 0, sizeof kr);
    kr.name = (char *)"keep";
    kr.baseurl = G(xasprintf("file://%s", fixdir));
    kr.cost = 7;
    kr.install = true;
    strv_push(&kr.excludepkgs, "synth-extra");
    char *root = T("root");
    struct pkg_engine *e = pkgtest_engine_repo(&kr, T("c8"), false);
    bool fine = e != NULL;
    if (fine) {
        free(pkgtest_resolve_names(e, "synth-rec"));
        fine = pkg_download(e) == 0 && pkg_install(e, root, false, NULL) == 0;
    }
    ok(fine, "install with repo --install");
    char *conf = NULL;
    read_file(G(path_join(root, "etc/yum.repos.d/keep.repo")), &conf, NULL);
    ok(conf && strstr(conf, "[keep]\n") && strstr(conf, G(xasprintf("baseurl=file://%s\n", fixdir))) &&
           strstr(conf, "cost=7\n") && strstr(conf, "excludepkgs=synth-extra\n") &&
           strstr(conf, "enabled=1\n"),
       "/etc/yum.repos.d/keep.repo written");
    free(conf);
    strv_free(&kr.excludepkgs);
    pkg_engine_free(e);
}

/* --- locking -------------------------------------------------------------- */

static void case_cache_lock_waits_for_holder(void)
{
    char *ldir = T("lockdir");
    int pfd[2];
    ok(pipe(pfd) == 0, "pipe");
    pid_t child = fork();
    if (child == 0) {
        int fd = pkg__lock(ldir, "test");
        if (write(pfd[1], "x", 1) != 1)
            _exit(1);
        struct timespec ts = { 0, 600 * 1000 * 1000 };
        nanosleep(&ts, NULL);
        pkg__unlock(fd);
        _exit(0);
    }
    char c;
    ok(read(pfd[0], &c, 1) == 1, "child holds the lock");
    double t0 = now_seconds();
    int fd = pkg__lock(ldir, "test");
    double waited = now_seconds() - t0;
    ok(fd >= 0 && waited > 0.3, "second locker waited %.2fs for the first", waited);
    pkg__unlock(fd);
    waitpid(child, NULL, 0);
    close(pfd[0]);
    close(pfd[1]);
}

static const struct tap_case cases[] = {
    TAP_CASE(case_pkgverify_level_words),
    TAP_CASE(case_repofile_directory_sections_and_options),
    TAP_CASE(case_repofile_syntax_error_names_file_line),
    TAP_CASE(case_repofile_section_without_url_refused),
    TAP_CASE(case_repofile_bad_boolean_refused),
    TAP_CASE(case_solv_cache_written_and_reused),
    TAP_CASE(case_solv_cache_stale_cookie_reparsed),
    TAP_CASE(case_metalink_right_sha256_accepted),
    TAP_CASE(case_metalink_wrong_sha256_refused),
    TAP_CASE(case_mirror_failover_per_package),
    TAP_CASE(case_all_mirrors_failed_names_package_and_urls),
    TAP_CASE(case_http_resume_of_partial_download),
    TAP_CASE(case_repo_install_writes_repo_file),
    TAP_CASE(case_cache_lock_waits_for_holder),
    { 0 },
};

int main(int argc, char **argv)
{
    if (pkgtest_setup("ksc-test-pkg-repo") < 0)
        return 0;
    fixdir = pkgtest_fixdir;
    int rc = tap_run(cases, argc, argv);
    pkgtest_teardown();
    return rc;
}
