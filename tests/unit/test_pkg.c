/* test_pkg.c - the package engine against the synthetic repository
 * (tests/fixtures/mksynth.sh), served as file:// and over http:// by a
 * python3 http.server (tests/unit/pkgtest.h). */
#define _GNU_SOURCE
#include "tap.h"
#include "pkgtest.h"

#include "core/base/log.h"
#include "core/base/run.h"
#include "core/base/strv.h"
#include "core/base/util.h"
#include "core/pkg.h"
#include "kickstart/ks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Debian's libsolvext 0.7.23 leaks a short string in every repo_add_rpmdb
 * call (its dbpath detection: rootdir + "/", never freed); not ours.  The
 * suppression needs full stacks: libsolv has no frame pointers. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void) { return "leak:repo_add_rpmdb\n"; }
const char *__asan_default_options(void);
const char *__asan_default_options(void) { return "fast_unwind_on_malloc=0"; }

static const char *fixdir;    /* the synthetic repository */
static struct pkg_engine *fe; /* file://fixdir for the resolution cases: file_engine() */

/* --- helpers -------------------------------------------------------------- */

struct req {
    const char *names[8];
    const char *excludes[4];
    const char *groups[4]; /* "name", "^env", "name/optional", "name/nodefaults" */
    bool nocore, ignoremissing, exclude_weakdeps;
};

static void fill(struct ks_packages *p, const struct req *r, struct ks_group *groups)
{
    memset(p, 0, sizeof *p);
    p->seen = true;
    for (int i = 0; r->names[i]; i++)
        strv_push(&p->names, r->names[i]);
    for (int i = 0; r->excludes[i]; i++)
        strv_push(&p->excludes, r->excludes[i]);
    size_t n = 0;
    for (int i = 0; r->groups[i]; i++) {
        const char *g = r->groups[i];
        struct ks_group *kg = &groups[n++];
        memset(kg, 0, sizeof *kg);
        kg->environment = g[0] == '^';
        if (kg->environment)
            g++;
        kg->name = xstrdup(g);
        char *slash = strchr(kg->name, '/');
        if (slash) {
            kg->include = !strcmp(slash + 1, "optional") ? KS_GROUP_ALL : KS_GROUP_REQUIRED;
            *slash = 0;
        }
    }
    p->groups = groups;
    p->n_groups = n;
    p->nocore = r->nocore;
    p->ignoremissing = r->ignoremissing;
    p->exclude_weakdeps = r->exclude_weakdeps;
    p->retries = p->timeout = -1;
}

static void unfill(struct ks_packages *p)
{
    strv_free(&p->names);
    strv_free(&p->excludes);
    for (size_t i = 0; i < p->n_groups; i++)
        free(p->groups[i].name);
}

/* space separated sorted NEVRAs, or "FAIL" (or "no engine" for E NULL) */
static char *resolve(struct pkg_engine *e, const struct req *r)
{
    if (!e)
        return xstrdup("no engine");
    struct ks_packages p;
    struct ks_group g[4];
    fill(&p, r, g);
    char *s = pkgtest_resolve(e, &p);
    unfill(&p);
    return s;
}

#define CHECK_RESOLVE(e, expect, ...)                                                             \
    do {                                                                                           \
        struct req r_ = { __VA_ARGS__ };                                                           \
        char *got_ = resolve(e, &r_);                                                              \
        is_str(got_, expect, "resolve: %s", expect);                                               \
        free(got_);                                                                                \
    } while (0)

/* fe, loaded on the first call */
static struct pkg_engine *file_engine(void)
{
    static bool tried;
    if (!tried) {
        tried = true;
        double t = now_seconds();
        fe = pkgtest_engine(G(xasprintf("file://%s", fixdir)), T("cache"), false);
        printf("# metadata load (file://): %.3fs\n", now_seconds() - t);
    }
    return fe;
}

static bool exists_in(const char *root, const char *rel)
{
    char *p = xasprintf("%s%s", root, rel);
    bool ok = path_exists(p);
    free(p);
    return ok;
}

static char *rpm_qa(const char *root)
{
    char *q = xasprintf("rpm --root %s --dbpath /usr/lib/sysimage/rpm -qa --qf '%%{NEVRA}\\n' "
                        "| sort | tr '\\n' ' '", root);
    char *qa = pkgtest_cmd_output(q);
    free(q);
    return qa;
}

/* resolve R, download and install into ROOT in-process; "" when nothing */
static char *install_into(struct pkg_engine *e, const char *root, const struct req *r)
{
    char *got = resolve(e, r);
    if (strcmp(got, "FAIL") && (pkg_download(e) < 0 || pkg_install(e, root, false, NULL) < 0)) {
        free(got);
        return xstrdup("FAIL");
    }
    return got;
}

/* --- resolution (file://) ------------------------------------------------- */

static void case_load_file_repository(void)
{
    ok(file_engine() != NULL, "load file:// repository");
}

static const char *base = "synth-base-1.0-1.noarch synth-lib-2.0-1.noarch synth-libdep-1.0-1.noarch "
                          "synth-rec-1.0-1.noarch synth-shell-1.0-1.x86_64";

static void case_resolve_requires_chain_and_recommends(void)
{
    /* plain name: deps chain, best version of synth-lib, recommends yes, suggests no */
    CHECK_RESOLVE(file_engine(), base, .names = { "synth-base" }, .nocore = true);
    CHECK_RESOLVE(file_engine(),
                  "synth-base-1.0-1.noarch synth-lib-2.0-1.noarch synth-libdep-1.0-1.noarch "
                  "synth-shell-1.0-1.x86_64",
                  .names = { "synth-base" }, .nocore = true, .exclude_weakdeps = true);
}

static void case_resolve_adds_core_unless_nocore(void)
{
    CHECK_RESOLVE(file_engine(),
                  "synth-base-1.0-1.noarch synth-extra-1.0-1.noarch synth-lib-2.0-1.noarch "
                  "synth-libdep-1.0-1.noarch synth-rec-1.0-1.noarch synth-shell-1.0-1.x86_64",
                  .names = { "synth-extra" });
}

static void case_resolve_explicit_older_version(void)
{
    CHECK_RESOLVE(file_engine(), "synth-lib-1.0-1.noarch synth-libdep-1.0-1.noarch",
                  .names = { "synth-lib-1.0" }, .nocore = true);
}

static void case_resolve_virtual_provide_switches_with_exclude(void)
{
    /* virtual provide with two providers; an exclude switches provider */
    CHECK_RESOLVE(file_engine(), "synth-mua-1.0-1.noarch synth-postfix-1.0-1.noarch",
                  .names = { "synth-mua" }, .nocore = true);
    CHECK_RESOLVE(file_engine(), "synth-mua-1.0-1.noarch synth-sendmail-1.0-1.noarch",
                  .names = { "synth-mua" }, .excludes = { "synth-postfix" }, .nocore = true);
    CHECK_RESOLVE(file_engine(), "synth-postfix-1.0-1.noarch", .names = { "synth-mta" }, .nocore = true);
}

static void case_resolve_unsolvable_in_libsolv_words(void)
{
    /* excluding a dependency makes the request unsolvable, in libsolv's words */
    CHECK_RESOLVE(file_engine(), "FAIL",
                  .names = { "synth-base" }, .excludes = { "synth-libdep" }, .nocore = true);
    ok(failure_has("package synth-lib-2.0-1.noarch requires synth-libdep, but none of the "
                   "providers can be installed") &&
           failure_has("package synth-libdep-1.0-1.noarch is filtered out by exclude filtering"),
       "unsolvable: libsolv's problem text, exclusions in dnf's words");
    CHECK_RESOLVE(file_engine(), "FAIL", .names = { "synth-broken" }, .nocore = true);
    ok(failure_has("nothing provides synth-nonexistent needed by synth-broken-1.0-1.noarch"),
       "unsatisfiable Requires reported");
}

static void case_resolve_file_dependency_from_filelists(void)
{
    /* file dependency outside primary.xml: needs filelists */
    CHECK_RESOLVE(file_engine(), "synth-data-1.0-1.noarch synth-filedep-1.0-1.noarch",
                  .names = { "synth-filedep" }, .nocore = true);
    CHECK_RESOLVE(file_engine(), "synth-data-1.0-1.noarch", .names = { "/usr/share/synth/data/file.txt" },
                  .nocore = true);
}

static void case_resolve_missing_packages_and_groups_all_named(void)
{
    CHECK_RESOLVE(file_engine(), "FAIL", .names = { "synth-base", "synth-nope", "synth-nope2" },
                  .groups = { "nogroup" }, .nocore = true);
    ok(failure_has("No match for argument: synth-nope"), "missing package 1 named");
    ok(failure_has("No match for argument: synth-nope2"), "missing package 2 named");
    ok(failure_has("Module or Group 'nogroup' is not available."), "missing group named");
    ok(failure_has("Unable to find a match: synth-nope synth-nope2 @nogroup"),
       "one line names all of them (dnf's words)");
    CHECK_RESOLVE(file_engine(), base, .names = { "synth-base", "synth-nope" }, .groups = { "nogroup" },
                  .nocore = true, .ignoremissing = true);
}

static void case_resolve_excluded_request_is_missing(void)
{
    CHECK_RESOLVE(file_engine(), "FAIL",
                  .names = { "synth-extra" }, .excludes = { "synth-ex*" }, .nocore = true);
    ok(failure_has("No match for argument: synth-extra"), "excluded package is not found");
}

static void case_resolve_glob_and_obsoletes(void)
{
    CHECK_RESOLVE(file_engine(), "synth-sendmail-1.0-1.noarch synth-shell-1.0-1.x86_64 synth-sug-1.0-1.noarch",
                  
                  .names = { "synth-s*" }, .nocore = true);
    /* obsoletes: the new package, also when the obsoleted one is asked for */
    CHECK_RESOLVE(file_engine(), "synth-new-2.0-1.noarch", .names = { "synth-new" }, .nocore = true);
    CHECK_RESOLVE(file_engine(), "synth-new-2.0-1.noarch", .names = { "synth-old" }, .nocore = true);
}

static void case_resolve_excluded_provider_in_dnf_words(void)
{
    CHECK_RESOLVE(file_engine(), "FAIL",
                  .names = { "synth-mua" }, .excludes = { "synth-postfix", "synth-sendmail" },
                  .nocore = true);
    ok(failure_has("Problem: "), "single problem: dnf's \" Problem:\" line");
    ok(failure_has("package synth-postfix-1.0-1.noarch is filtered out by exclude filtering"),
       "excluded provider: dnf's words");
}

static void case_resolve_groups_and_environment(void)
{
    /* groups: default, --optional, --nodefaults, by display name, environment */
    const char *tools = "synth-data-1.0-1.noarch synth-filedep-1.0-1.noarch synth-mua-1.0-1.noarch "
                        "synth-postfix-1.0-1.noarch";
    CHECK_RESOLVE(file_engine(), tools, .groups = { "synth-tools" }, .nocore = true);
    CHECK_RESOLVE(file_engine(), tools, .groups = { "Synth Tools" }, .nocore = true);
    CHECK_RESOLVE(file_engine(),
                  "synth-data-1.0-1.noarch synth-extra-1.0-1.noarch synth-filedep-1.0-1.noarch "
                  "synth-mua-1.0-1.noarch synth-postfix-1.0-1.noarch",
                  .groups = { "synth-tools/optional" }, .nocore = true);
    CHECK_RESOLVE(file_engine(), "synth-mua-1.0-1.noarch synth-postfix-1.0-1.noarch",
                  .groups = { "synth-tools/nodefaults" }, .nocore = true);
    CHECK_RESOLVE(file_engine(),
                  "synth-base-1.0-1.noarch synth-data-1.0-1.noarch synth-filedep-1.0-1.noarch "
                  "synth-lib-2.0-1.noarch synth-libdep-1.0-1.noarch synth-mua-1.0-1.noarch "
                  "synth-postfix-1.0-1.noarch synth-rec-1.0-1.noarch synth-shell-1.0-1.x86_64",
                  .groups = { "^synth-env" }, .nocore = true);
    /* a group member that does not exist only warns */
    CHECK_RESOLVE(file_engine(), "synth-rec-1.0-1.noarch", .groups = { "synth-badgroup" }, .nocore = true);
}

/* --- repository forms ----------------------------------------------------- */

static void case_load_repository_given_as_plain_path(void)
{
    struct pkg_engine *e = pkgtest_engine(fixdir, T("cache-path"), false);
    ok(e != NULL, "load repository given as a plain path");
    pkg_engine_free(e);
}

static void case_baseurl_expands_releasever_and_basearch(void)
{
    char *link = T("repo-1-x86_64");
    ok(symlink(fixdir, link) == 0, "symlink %s", link);
    struct ks_repo r;
    memset(&r, 0, sizeof r);
    r.name = (char *)"vars";
    r.baseurl = G(xasprintf("file://%s/repo-$releasever-$basearch", pkgtest_tmp));
    r.cost = -1;
    strv_push(&r.excludepkgs, "synth-postfix");
    struct pkg_engine *e = pkgtest_engine_repo(&r, T("cache-vars"), false);
    ok(e != NULL, "baseurl with $releasever and $basearch");
    if (e)
        CHECK_RESOLVE(e, "synth-mua-1.0-1.noarch synth-sendmail-1.0-1.noarch",
                      .names = { "synth-mua" }, .nocore = true);
    pkg_engine_free(e);
    strv_free(&r.excludepkgs);
}

static void case_mirrorlist_uses_first_working_mirror(void)
{
    char *ml = T("mirrorlist");
    write_file(ml, G(xasprintf("# mirrors\nfile:///nonexistent/repo\nfile://%s\n", fixdir)), 0644);
    struct ks_repo r;
    memset(&r, 0, sizeof r);
    r.name = (char *)"mirrored";
    r.mirrorlist = ml;
    r.cost = -1;
    struct pkg_engine *e = pkgtest_engine_repo(&r, T("cache-ml"), false);
    ok(e != NULL, "mirrorlist: the first working mirror is used");
    if (e)
        CHECK_RESOLVE(e, "synth-rec-1.0-1.noarch", .names = { "synth-rec" }, .nocore = true);
    pkg_engine_free(e);
}

/* --- http:// -------------------------------------------------------------- */

static char *hcache; /* the cache of the http:// repository */
static const struct req full = { .names = { "synth-mua", "synth-filedep" } }; /* and @core */
static const char *full_nevras =
    "synth-base-1.0-1.noarch synth-data-1.0-1.noarch synth-filedep-1.0-1.noarch "
    "synth-lib-2.0-1.noarch synth-libdep-1.0-1.noarch synth-mua-1.0-1.noarch "
    "synth-postfix-1.0-1.noarch synth-rec-1.0-1.noarch synth-shell-1.0-1.x86_64";

/* an engine on the http:// repository (the server started if need be) with
 * R resolved; a failed test point when that fails */
static struct pkg_engine *http_resolved(const struct req *r)
{
    struct pkg_engine *e = pkgtest_http_start() ? pkgtest_engine(pkgtest_http_url(), hcache, false) : NULL;
    if (!e) {
        ok(0, "engine on %s", pkgtest_http_url());
        return NULL;
    }
    free(resolve(e, r));
    return e;
}

static void case_http_load_and_resolve_with_core(void)
{
    bool up = pkgtest_http_start();
    ok(up, "http server started at %s", pkgtest_http_url());
    if (!up)
        return;
    double t = now_seconds();
    struct pkg_engine *e = pkgtest_engine(pkgtest_http_url(), hcache, false);
    printf("# metadata load (http://): %.3fs\n", now_seconds() - t);
    ok(e != NULL, "load http:// repository");
    if (!e)
        return;
    t = now_seconds();
    char *got = resolve(e, &full);
    printf("# resolve (http, @core + 2): %.3fs\n", now_seconds() - t);
    is_str(got, full_nevras, "resolve over http with @core");
    free(got);
    pkg_engine_free(e);
}

static void case_http_download_keeps_names_and_repairs_corruption(void)
{
    struct pkg_engine *e = http_resolved(&full);
    if (!e)
        return;
    double t = now_seconds();
    ok(pkg_download(e) == 0, "download %zu packages", pkg_count(e));
    printf("# download: %.3fs\n", now_seconds() - t);
    bool all = pkg_count(e) > 0;
    for (size_t i = 0; i < pkg_count(e); i++) {
        const char *p = pkg_path(e, i);
        char *want = xasprintf("%s/packages/%s.rpm", hcache, pkg_nevra(e, i));
        if (!p || strcmp(p, want) || !path_exists(p)) {
            printf("#   %s: %s\n", want, p ? p : "(null)");
            all = false;
        }
        free(want);
    }
    ok(all, "rpm files are in cachedir/packages with their original names");
    char *victim = G(xstrdup(pkg_count(e) ? pkg_path(e, 0) : "/nonexistent"));
    struct stat st0, st1;
    stat(victim, &st0);
    ok(write_file(victim, "garbage", 0644) == 0, "corrupt %s", victim);
    ok(pkg_download(e) == 0, "download again");
    ok(stat(victim, &st1) == 0 && st1.st_size == st0.st_size, "corrupted file was re-downloaded");
    char *parts = pkgtest_cmd_output(G(xasprintf("ls %s/packages/ | grep -c '\\.part$'", hcache)));
    is_int(atoi(parts), 0, "no .part files left");
    free(parts);
    pkg_engine_free(e);
}

struct inst_arg {
    struct pkg_engine *e;
    const char *root;
    bool excludedocs;
    const char *langs;
};

static int inst_child(void *a)
{
    struct inst_arg *ia = a;
    return pkg_install(ia->e, ia->root, ia->excludedocs, ia->langs) < 0 ? 1 : 0;
}

static void case_install_in_forked_child(void)
{
    /* as the creator does; --excludedocs, inst_langs de */
    struct pkg_engine *e = http_resolved(&full);
    if (!e)
        return;
    char *root = T("root");
    mkdir_p(root, 0755);
    struct inst_arg ia = { e, root, true, "de" };
    double t = now_seconds();
    is_int(pkg_download(e) == 0 ? run_fork("install", inst_child, &ia) : -1, 0, "pkg_install in a forked child");
    printf("# install: %.3fs\n", now_seconds() - t);
    ok(exists_in(root, "/usr/share/synth/synth-base"), "files installed");
    ok(exists_in(root, "/bin/busybox") && exists_in(root, "/bin/sh"), "shell installed");
    ok(exists_in(root, "/synth-pre.txt"), "%%pre scriptlet ran in the root");
    ok(exists_in(root, "/synth-post.txt"), "%%post scriptlet ran in the root");
    ok(!exists_in(root, "/usr/share/doc/synth-base/README"), "excludedocs: no docs");
    ok(exists_in(root, "/usr/share/locale/de/LC_MESSAGES/synth.mo"), "inst_langs: de installed");
    ok(!exists_in(root, "/usr/share/locale/fr/LC_MESSAGES/synth.mo"), "inst_langs: fr left out");
    ok(exists_in(root, "/usr/lib/sysimage/rpm/rpmdb.sqlite"), "rpmdb at /usr/lib/sysimage/rpm");
    char *qa = rpm_qa(root);
    is_str(qa, G(xasprintf("%s ", full_nevras)), "rpm -qa in the root lists the packages");
    free(qa);
    pkg_engine_free(e);
}

static void case_install_in_process_with_docs_and_languages(void)
{
    char *root2 = T("root2");
    mkdir_p(root2, 0755);
    struct req small = { .names = { "synth-base" }, .nocore = true };
    struct pkg_engine *e = http_resolved(&small);
    ok(e && pkg_download(e) == 0 && pkg_install(e, root2, false, NULL) == 0,
       "install in-process (no fork)");
    ok(exists_in(root2, "/usr/share/doc/synth-base/README"), "docs installed by default");
    ok(exists_in(root2, "/usr/share/locale/fr/LC_MESSAGES/synth.mo"), "all languages by default");
    pkg_engine_free(e);
}

/* --- a populated root (livecd-creator --base-on) -------------------------- */

/* Its rpmdb is the installed set; resolution as `dnf --installroot ROOT
 * install`.  The second case builds on the first one's root. */
static char *installed_root;

/* an http:// engine with the root's installed set loaded (test point NAME) */
static struct pkg_engine *installed_engine(const char *name)
{
    struct pkg_engine *e = pkgtest_http_start() ? pkgtest_engine(pkgtest_http_url(), hcache, false) : NULL;
    ok(e && pkg_load_installed(e, installed_root) == 0, "%s", name);
    return e;
}

static void case_installed_root_without_rpmdb_then_base_install(void)
{
    mkdir_p(G(path_join(installed_root, "var/tmp")), 0755); /* as creator_mount: scriptlets' temp files */
    struct pkg_engine *e = pkgtest_http_start() ? pkgtest_engine(pkgtest_http_url(), hcache, false) : NULL;
    ok(e && pkg_load_installed(e, installed_root) == 0 && pkg_count(e) == 0,
       "pkg_load_installed: a root without an rpmdb is no error");
    struct req first = { .names = { "synth-lib-1.0", "synth-shell", "synth-data" }, .nocore = true };
    char *got = e ? install_into(e, installed_root, &first) : xstrdup("FAIL");
    is_str(got, "synth-data-1.0-1.noarch synth-lib-1.0-1.noarch synth-libdep-1.0-1.noarch "
                "synth-shell-1.0-1.x86_64", "base root: synth-lib 1.0 installed");
    free(got);
    pkg_engine_free(e);
}

/* needs the root of the case before: runs it first when the root lacks its packages */
static void case_installed_deps_stay_upgrade_then_nothing_to_install(void)
{
    char *before = rpm_qa(installed_root);
    bool ready = strstr(before, "synth-lib-1.0-1.noarch") != NULL;
    free(before);
    if (!ready) {
        printf("# the root has no synth-lib 1.0: case_installed_root_without_rpmdb_then_base_install first\n");
        case_installed_root_without_rpmdb_then_base_install();
    }
    struct pkg_engine *e = installed_engine("pkg_load_installed after pkg_load");
    if (!e)
        return;
    ok(pkg_load_installed(e, installed_root) == 0, "pkg_load_installed again: no-op");
    /* installed dependencies stay, even with a newer version available */
    CHECK_RESOLVE(e, "synth-base-1.0-1.noarch synth-rec-1.0-1.noarch", .names = { "synth-base" },
                  .nocore = true);
    /* a file dependency provided by an installed package (its rpmdb file list) */
    CHECK_RESOLVE(e, "synth-filedep-1.0-1.noarch", .names = { "synth-filedep" }, .nocore = true);
    /* a named installed package with a better version available: upgraded
     * (dnf install with best=1) */
    CHECK_RESOLVE(e, "synth-lib-2.0-1.noarch", .names = { "synth-lib" }, .nocore = true);
    /* everything named is installed (a version given: no upgrade) */
    struct req all_there = { .names = { "synth-lib-1.0", "synth-libdep" }, .nocore = true };
    char *got = resolve(e, &all_there);
    is_str(got, "", "all named packages installed: an empty result");
    free(got);
    struct req next = { .names = { "synth-base", "synth-lib" }, .nocore = true };
    got = install_into(e, installed_root, &next);
    is_str(got, "synth-base-1.0-1.noarch synth-lib-2.0-1.noarch synth-rec-1.0-1.noarch",
           "install into the populated root");
    free(got);
    char *qa = rpm_qa(installed_root);
    is_str(qa,
           "synth-base-1.0-1.noarch synth-data-1.0-1.noarch synth-lib-2.0-1.noarch "
           "synth-libdep-1.0-1.noarch synth-rec-1.0-1.noarch synth-shell-1.0-1.x86_64 ",
           "rpm replaced synth-lib 1.0 by 2.0 (an upgrade), kept the rest");
    free(qa);
    pkg_engine_free(e);

    /* nothing to install: resolve, download and install all succeed */
    e = installed_engine("load the installed set again");
    if (!e)
        return;
    struct req none = { .names = { "synth-base" }, .nocore = true };
    got = install_into(e, installed_root, &none);
    is_str(got, "", "nothing to install succeeds");
    free(got);
    pkg_engine_free(e);
}

/* --- cacheonly and failures ----------------------------------------------- */

static void case_cacheonly_with_the_server_gone(void)
{
    /* the cache as the http:// cases leave it (filled here when run alone) */
    struct pkg_engine *e = http_resolved(&full);
    if (e)
        pkg_download(e);
    pkg_engine_free(e);
    pkgtest_http_stop();
    e = pkgtest_engine(pkgtest_http_url(), hcache, true);
    ok(e != NULL, "cacheonly: metadata from the cache");
    if (!e)
        return;
    char *got = resolve(e, &full);
    ok(strstr(got, "synth-data-1.0-1.noarch") != NULL, "cacheonly: resolve with filelists");
    free(got);
    ok(pkg_download(e) == 0, "cacheonly: packages from the cache");
    pkg_engine_free(e);
}

static void case_cacheonly_without_a_cache_fails_clearly(void)
{
    struct pkg_engine *e = pkgtest_engine(pkgtest_http_url(), T("empty-cache"), true);
    ok(e == NULL && failure_has("cacheonly"), "cacheonly without a cache fails clearly");
    pkg_engine_free(e);
}

static void case_unreachable_repository_fails_clearly(void)
{
    pkgtest_http_stop();
    struct pkg_engine *e = pkgtest_engine(pkgtest_http_url(), T("nocache"), false);
    ok(e == NULL && failure_has("Cannot download repomd.xml for repository synth"),
       "unreachable repository fails clearly");
    pkg_engine_free(e);
}

static void case_download_failure_names_package_and_url(void)
{
    char *broken = T("broken-repo");
    char *cmd = xasprintf("cp -r '%s' '%s' && rm -f '%s'/Packages/synth-rec-*.rpm", fixdir, broken, broken);
    ok(system(cmd) == 0, "copy of the repository without synth-rec's rpm");
    free(cmd);
    struct pkg_engine *e = pkgtest_engine(broken, T("bcache"), false);
    if (!e) {
        ok(0, "load broken repo");
        return;
    }
    struct req r3 = { .names = { "synth-rec" }, .nocore = true };
    char *got = resolve(e, &r3);
    is_str(got, "synth-rec-1.0-1.noarch", "resolve synth-rec");
    free(got);
    ok(pkg_download(e) < 0 && failure_has("Failed to download synth-rec-1.0-1.noarch from file://") &&
           failure_has("Packages/synth-rec-1.0-1.noarch.rpm"),
       "download failure names the package and URL");
    pkg_engine_free(e);
}

static const struct tap_case cases[] = {
    TAP_CASE(case_load_file_repository),
    TAP_CASE(case_resolve_requires_chain_and_recommends),
    TAP_CASE(case_resolve_adds_core_unless_nocore),
    TAP_CASE(case_resolve_explicit_older_version),
    TAP_CASE(case_resolve_virtual_provide_switches_with_exclude),
    TAP_CASE(case_resolve_unsolvable_in_libsolv_words),
    TAP_CASE(case_resolve_file_dependency_from_filelists),
    TAP_CASE(case_resolve_missing_packages_and_groups_all_named),
    TAP_CASE(case_resolve_excluded_request_is_missing),
    TAP_CASE(case_resolve_glob_and_obsoletes),
    TAP_CASE(case_resolve_excluded_provider_in_dnf_words),
    TAP_CASE(case_resolve_groups_and_environment),
    TAP_CASE(case_load_repository_given_as_plain_path),
    TAP_CASE(case_baseurl_expands_releasever_and_basearch),
    TAP_CASE(case_mirrorlist_uses_first_working_mirror),
    TAP_CASE(case_http_load_and_resolve_with_core),
    TAP_CASE(case_http_download_keeps_names_and_repairs_corruption),
    TAP_CASE(case_install_in_forked_child),
    TAP_CASE(case_install_in_process_with_docs_and_languages),
    TAP_CASE(case_installed_root_without_rpmdb_then_base_install),
    TAP_CASE(case_installed_deps_stay_upgrade_then_nothing_to_install),
    TAP_CASE(case_cacheonly_with_the_server_gone),
    TAP_CASE(case_cacheonly_without_a_cache_fails_clearly),
    TAP_CASE(case_unreachable_repository_fails_clearly),
    TAP_CASE(case_download_failure_names_package_and_url),
    { 0 },
};

int main(int argc, char **argv)
{
    if (pkgtest_setup("ksc-test-pkg") < 0)
        return 0;
    fixdir = pkgtest_fixdir;
    hcache = T("hcache");
    installed_root = T("root-installed");
    int rc = tap_run(cases, argc, argv);
    pkg_engine_free(fe);
    pkgtest_teardown();
    return rc;
}
