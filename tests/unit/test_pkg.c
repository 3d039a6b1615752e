/* test_pkg.c - the package engine against the synthetic repository
 * (tests/fixtures/mksynth.sh), served as file:// and over http:// by a
 * python3 http.server started here. */
#define _GNU_SOURCE
#include "tap.h"
#include "core/base/strv.h"

#include "core/base/cleanup.h"
#include "core/base/download.h"
#include "core/base/log.h"
#include "core/pkg.h"
#include "core/base/run.h"
#include "core/base/util.h"
#include "kickstart/ks.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Debian's libsolvext 0.7.23 leaks a short string in every repo_add_rpmdb
 * call (its dbpath detection: rootdir + "/", never freed); not ours.  The
 * suppression needs full stacks: libsolv has no frame pointers. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void) { return "leak:repo_add_rpmdb\n"; }
const char *__asan_default_options(void);
const char *__asan_default_options(void) { return "fast_unwind_on_malloc=0"; }

static char *fixdir, *tmp, *cache;
static strv_t gc; /* strings freed at the end */
static char *G(char *s) { strv_push_take(&gc, s); return s; }

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

static struct pkg_engine *engine_repo(const struct ks_repo *r, const char *cachedir, bool cacheonly)
{
    struct pkg_engine_opts o = { .cachedir = cachedir, .releasever = "1", .cacheonly = cacheonly };
    struct pkg_engine *e = pkg_engine_new(&o);
    if (pkg_add_repo(e, r) < 0 || pkg_load(e) < 0) {
        pkg_engine_free(e);
        return NULL;
    }
    return e;
}

static struct pkg_engine *engine(const char *url, const char *cachedir, bool cacheonly)
{
    struct pkg_engine_opts o = { .cachedir = cachedir, .releasever = "1", .cacheonly = cacheonly };
    struct pkg_engine *e = pkg_engine_new(&o);
    struct ks_repo r;
    memset(&r, 0, sizeof r);
    r.name = (char *)"synth";
    r.baseurl = (char *)url;
    r.cost = -1;
    if (pkg_add_repo(e, &r) < 0 || pkg_load(e) < 0) {
        pkg_engine_free(e);
        return NULL;
    }
    return e;
}

/* space separated sorted NEVRAs, or "FAIL" */
static char *resolve(struct pkg_engine *e, const struct req *r)
{
    struct ks_packages p;
    struct ks_group g[4];
    fill(&p, r, g);
    int rc = pkg_resolve(e, &p);
    unfill(&p);
    if (rc < 0)
        return xstrdup("FAIL");
    size_t len = 1;
    for (size_t i = 0; i < pkg_count(e); i++)
        len += strlen(pkg_nevra(e, i)) + 1;
    char *s = xmalloc(len);
    s[0] = 0;
    for (size_t i = 0; i < pkg_count(e); i++) {
        if (i)
            strcat(s, " ");
        strcat(s, pkg_nevra(e, i));
    }
    return s;
}

#define CHECK_RESOLVE(e, expect, ...)                                                             \
    do {                                                                                           \
        struct req r_ = { __VA_ARGS__ };                                                           \
        char *got_ = resolve(e, &r_);                                                              \
        is_str(got_, expect, "resolve: %s", expect);                                               \
        free(got_);                                                                                \
    } while (0)

static bool failure_has(const char *s)
{
    const char *f = log_failure();
    bool ok = f && strstr(f, s);
    if (!ok)
        printf("#   failure was: %s\n#   wanted: %s\n", f ? f : "(none)", s);
    return ok;
}

static int free_port(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t l = sizeof a;
    if (bind(s, (struct sockaddr *)&a, sizeof a) < 0 || getsockname(s, (struct sockaddr *)&a, &l) < 0) {
        close(s);
        return -1;
    }
    close(s);
    return ntohs(a.sin_port);
}

static bool port_open(int port)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    bool ok = connect(s, (struct sockaddr *)&a, sizeof a) == 0;
    close(s);
    return ok;
}

static pid_t start_http(const char *dir, int port)
{
    pid_t pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        dup2(null, 0);
        dup2(null, 1);
        dup2(null, 2);
        char ps[16];
        snprintf(ps, sizeof ps, "%d", port);
        execlp("python3", "python3", "-m", "http.server", "--bind", "127.0.0.1", "--directory", dir,
               ps, (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 100; i++) {
        if (port_open(port))
            return pid;
        int st;
        if (waitpid(pid, &st, WNOHANG) == pid)
            return -1;
        struct timespec ts = { 0, 50 * 1000 * 1000 };
        nanosleep(&ts, NULL);
    }
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
    return -1;
}

static void stop_http(pid_t pid)
{
    if (pid > 0) {
        kill(pid, SIGTERM);
        waitpid(pid, NULL, 0);
    }
}

static char *cmd_output(const char *cmd)
{
    FILE *f = popen(cmd, "r");
    if (!f)
        return xstrdup("");
    size_t cap = 4096, len = 0;
    char *buf = xmalloc(cap);
    size_t n;
    while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (len + 1 >= cap)
            buf = xrealloc(buf, cap *= 2);
    }
    buf[len] = 0;
    pclose(f);
    return buf;
}

static bool exists_in(const char *root, const char *rel)
{
    char *p = xasprintf("%s%s", root, rel);
    bool ok = path_exists(p);
    free(p);
    return ok;
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

/* --- tests ---------------------------------------------------------------- */

static void test_resolution(struct pkg_engine *e)
{
    const char *base = "synth-base-1.0-1.noarch synth-lib-2.0-1.noarch synth-libdep-1.0-1.noarch "
                       "synth-rec-1.0-1.noarch synth-shell-1.0-1.x86_64";
    /* plain name: deps chain, best version of synth-lib, recommends yes, suggests no */
    CHECK_RESOLVE(e, base, .names = { "synth-base" }, .nocore = true);
    CHECK_RESOLVE(e,
                  "synth-base-1.0-1.noarch synth-lib-2.0-1.noarch synth-libdep-1.0-1.noarch "
                  "synth-shell-1.0-1.x86_64",
                  .names = { "synth-base" }, .nocore = true, .exclude_weakdeps = true);
    /* core is added unless nocore */
    CHECK_RESOLVE(e,
                  "synth-base-1.0-1.noarch synth-extra-1.0-1.noarch synth-lib-2.0-1.noarch "
                  "synth-libdep-1.0-1.noarch synth-rec-1.0-1.noarch synth-shell-1.0-1.x86_64",
                  .names = { "synth-extra" });
    /* explicit older version */
    CHECK_RESOLVE(e, "synth-lib-1.0-1.noarch synth-libdep-1.0-1.noarch", .names = { "synth-lib-1.0" },
                  .nocore = true);
    /* virtual provide with two providers; an exclude switches provider */
    CHECK_RESOLVE(e, "synth-mua-1.0-1.noarch synth-postfix-1.0-1.noarch", .names = { "synth-mua" },
                  .nocore = true);
    CHECK_RESOLVE(e, "synth-mua-1.0-1.noarch synth-sendmail-1.0-1.noarch",
                  .names = { "synth-mua" }, .excludes = { "synth-postfix" }, .nocore = true);
    CHECK_RESOLVE(e, "synth-postfix-1.0-1.noarch", .names = { "synth-mta" }, .nocore = true);
    /* excluding a dependency makes the request unsolvable, in libsolv's words */
    CHECK_RESOLVE(e, "FAIL", .names = { "synth-base" }, .excludes = { "synth-libdep" }, .nocore = true);
    ok(failure_has("package synth-lib-2.0-1.noarch requires synth-libdep, but none of the "
                   "providers can be installed") &&
           failure_has("package synth-libdep-1.0-1.noarch is filtered out by exclude filtering"),
       "unsolvable: libsolv's problem text, exclusions in dnf's words");
    CHECK_RESOLVE(e, "FAIL", .names = { "synth-broken" }, .nocore = true);
    ok(failure_has("nothing provides synth-nonexistent needed by synth-broken-1.0-1.noarch"),
       "unsatisfiable Requires reported");
    /* file dependency outside primary.xml: needs filelists */
    CHECK_RESOLVE(e, "synth-data-1.0-1.noarch synth-filedep-1.0-1.noarch",
                  .names = { "synth-filedep" }, .nocore = true);
    CHECK_RESOLVE(e, "synth-data-1.0-1.noarch", .names = { "/usr/share/synth/data/file.txt" },
                  .nocore = true);
    /* missing packages and groups are all named */
    CHECK_RESOLVE(e, "FAIL", .names = { "synth-base", "synth-nope", "synth-nope2" },
                  .groups = { "nogroup" }, .nocore = true);
    ok(failure_has("No match for argument: synth-nope"), "missing package 1 named");
    ok(failure_has("No match for argument: synth-nope2"), "missing package 2 named");
    ok(failure_has("Module or Group 'nogroup' is not available."), "missing group named");
    ok(failure_has("Unable to find a match: synth-nope synth-nope2 @nogroup"),
       "one line names all of them (dnf's words)");
    CHECK_RESOLVE(e, base, .names = { "synth-base", "synth-nope" }, .groups = { "nogroup" },
                  .nocore = true, .ignoremissing = true);
    /* excluded and requested = missing */
    CHECK_RESOLVE(e, "FAIL", .names = { "synth-extra" }, .excludes = { "synth-ex*" }, .nocore = true);
    ok(failure_has("No match for argument: synth-extra"), "excluded package is not found");
    /* globs */
    CHECK_RESOLVE(e, "synth-sendmail-1.0-1.noarch synth-shell-1.0-1.x86_64 synth-sug-1.0-1.noarch",
                  .names = { "synth-s*" }, .nocore = true);
    /* obsoletes: the new package, also when the obsoleted one is asked for */
    CHECK_RESOLVE(e, "synth-new-2.0-1.noarch", .names = { "synth-new" }, .nocore = true);
    CHECK_RESOLVE(e, "synth-new-2.0-1.noarch", .names = { "synth-old" }, .nocore = true);
    /* an excluded dependency: dnf's wording */
    CHECK_RESOLVE(e, "FAIL", .names = { "synth-mua" }, .excludes = { "synth-postfix", "synth-sendmail" },
                  .nocore = true);
    ok(failure_has("Problem: "), "single problem: dnf's \" Problem:\" line");
    ok(failure_has("package synth-postfix-1.0-1.noarch is filtered out by exclude filtering"),
       "excluded provider: dnf's words");
    /* groups: default, --optional, --nodefaults, by display name, environment */
    const char *tools = "synth-data-1.0-1.noarch synth-filedep-1.0-1.noarch synth-mua-1.0-1.noarch "
                        "synth-postfix-1.0-1.noarch";
    CHECK_RESOLVE(e, tools, .groups = { "synth-tools" }, .nocore = true);
    CHECK_RESOLVE(e, tools, .groups = { "Synth Tools" }, .nocore = true);
    CHECK_RESOLVE(e,
                  "synth-data-1.0-1.noarch synth-extra-1.0-1.noarch synth-filedep-1.0-1.noarch "
                  "synth-mua-1.0-1.noarch synth-postfix-1.0-1.noarch",
                  .groups = { "synth-tools/optional" }, .nocore = true);
    CHECK_RESOLVE(e, "synth-mua-1.0-1.noarch synth-postfix-1.0-1.noarch",
                  .groups = { "synth-tools/nodefaults" }, .nocore = true);
    CHECK_RESOLVE(e,
                  "synth-base-1.0-1.noarch synth-data-1.0-1.noarch synth-filedep-1.0-1.noarch "
                  "synth-lib-2.0-1.noarch synth-libdep-1.0-1.noarch synth-mua-1.0-1.noarch "
                  "synth-postfix-1.0-1.noarch synth-rec-1.0-1.noarch synth-shell-1.0-1.x86_64",
                  .groups = { "^synth-env" }, .nocore = true);
    /* a group member that does not exist only warns */
    CHECK_RESOLVE(e, "synth-rec-1.0-1.noarch", .groups = { "synth-badgroup" }, .nocore = true);
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

static char *rpm_qa(const char *root)
{
    char *q = xasprintf("rpm --root %s --dbpath /usr/lib/sysimage/rpm -qa --qf '%%{NEVRA}\\n' "
                        "| sort | tr '\\n' ' '", root);
    char *qa = cmd_output(q);
    free(q);
    return qa;
}

/* A populated root (livecd-creator --base-on): its rpmdb is the installed
 * set; resolution as `dnf --installroot ROOT install`. */
static void test_installed(const char *url, const char *cachedir)
{
    char *root = G(path_join(tmp, "root-installed"));
    mkdir_p(G(path_join(root, "var/tmp")), 0755); /* as creator_mount: scriptlets' temp files */
    struct pkg_engine *e = engine(url, cachedir, false);
    ok(e && pkg_load_installed(e, root) == 0 && pkg_count(e) == 0,
       "pkg_load_installed: a root without an rpmdb is no error");
    struct req first = { .names = { "synth-lib-1.0", "synth-shell", "synth-data" }, .nocore = true };
    char *got1 = e ? install_into(e, root, &first) : xstrdup("FAIL");
    is_str(got1, "synth-data-1.0-1.noarch synth-lib-1.0-1.noarch synth-libdep-1.0-1.noarch "
                 "synth-shell-1.0-1.x86_64", "base root: synth-lib 1.0 installed");
    free(got1);
    pkg_engine_free(e);

    e = engine(url, cachedir, false);
    ok(e && pkg_load_installed(e, root) == 0, "pkg_load_installed after pkg_load");
    if (!e)
        return;
    ok(pkg_load_installed(e, root) == 0, "pkg_load_installed again: no-op");
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
    got = install_into(e, root, &next);
    is_str(got, "synth-base-1.0-1.noarch synth-lib-2.0-1.noarch synth-rec-1.0-1.noarch",
           "install into the populated root");
    free(got);
    char *qa = rpm_qa(root);
    is_str(qa,
           "synth-base-1.0-1.noarch synth-data-1.0-1.noarch synth-lib-2.0-1.noarch "
           "synth-libdep-1.0-1.noarch synth-rec-1.0-1.noarch synth-shell-1.0-1.x86_64 ",
           "rpm replaced synth-lib 1.0 by 2.0 (an upgrade), kept the rest");
    free(qa);
    pkg_engine_free(e);

    /* nothing to install: resolve, download and install all succeed */
    e = engine(url, cachedir, false);
    ok(e && pkg_load_installed(e, root) == 0, "load the installed set again");
    if (!e)
        return;
    struct req none = { .names = { "synth-base" }, .nocore = true };
    got = install_into(e, root, &none);
    is_str(got, "", "nothing to install succeeds");
    free(got);
    pkg_engine_free(e);
}

static bool corrupt(const char *path)
{
    return write_file(path, "garbage", 0644) == 0;
}

int main(void)
{
    const char *dbg = getenv("KSC_DEBUG");
    log_open(dbg ? LOG_DEBUG : LOG_WARN, NULL);
    const char *fx = getenv("KSC_FIXTURES");
    fixdir = G(xasprintf("%s/synth", fx && *fx ? fx : "/var/cache/kscreate-fixtures"));
    const char *script = "tests/fixtures/mksynth.sh";
    if (!path_exists(script)) {
        printf("1..0 # SKIP %s not found (run from the source tree)\n", script);
        strv_free(&gc);
        return 0;
    }
    char *cmd = xasprintf("%s '%s' >&2", script, fixdir);
    if (system(cmd) != 0) {
        printf("1..0 # SKIP cannot build the synthetic repository %s\n", fixdir);
        free(cmd);
        strv_free(&gc);
        return 0;
    }
    free(cmd);
    char tmpl[] = "/tmp/ksc-test-pkg.XXXXXX";
    tmp = mkdtemp(tmpl);
    if (!tmp) {
        printf("1..0 # SKIP mkdtemp failed\n");
        strv_free(&gc);
        return 0;
    }
    cache = G(path_join(tmp, "cache"));
    double t;

    /* --- file:// --- */
    char *furl = G(xasprintf("file://%s", fixdir));
    t = now_seconds();
    struct pkg_engine *e = engine(furl, cache, false);
    printf("# metadata load (file://): %.3fs\n", now_seconds() - t);
    ok(e != NULL, "load file:// repository");
    if (!e)
        goto done;
    t = now_seconds();
    test_resolution(e);
    printf("# resolution tests: %.3fs\n", now_seconds() - t);
    pkg_engine_free(e);

    /* a plain path works as well */
    e = engine(fixdir, G(path_join(tmp, "cache-path")), false);
    ok(e != NULL, "load repository given as a plain path");
    pkg_engine_free(e);

    /* repo options: $releasever/$basearch, mirrorlist, excludepkgs */
    {
        char *link = G(path_join(tmp, "repo-1-x86_64"));
        ok(symlink(fixdir, link) == 0, "symlink %s", link);
        struct ks_repo r;
        memset(&r, 0, sizeof r);
        r.name = (char *)"vars";
        r.baseurl = G(xasprintf("file://%s/repo-$releasever-$basearch", tmp));
        r.cost = -1;
        strv_push(&r.excludepkgs, "synth-postfix");
        e = engine_repo(&r, G(path_join(tmp, "cache-vars")), false);
        ok(e != NULL, "baseurl with $releasever and $basearch");
        if (e)
            CHECK_RESOLVE(e, "synth-mua-1.0-1.noarch synth-sendmail-1.0-1.noarch",
                          .names = { "synth-mua" }, .nocore = true);
        pkg_engine_free(e);
        strv_free(&r.excludepkgs);
        char *ml = G(path_join(tmp, "mirrorlist"));
        write_file(ml, G(xasprintf("# mirrors\nfile:///nonexistent/repo\nfile://%s\n", fixdir)), 0644);
        memset(&r, 0, sizeof r);
        r.name = (char *)"mirrored";
        r.mirrorlist = ml;
        r.cost = -1;
        e = engine_repo(&r, G(path_join(tmp, "cache-ml")), false);
        ok(e != NULL, "mirrorlist: the first working mirror is used");
        if (e)
            CHECK_RESOLVE(e, "synth-rec-1.0-1.noarch", .names = { "synth-rec" }, .nocore = true);
        pkg_engine_free(e);
    }

    /* --- http:// --- */
    int port = free_port();
    pid_t http = port > 0 ? start_http(fixdir, port) : -1;
    ok(http > 0, "http server started on port %d", port);
    if (http <= 0)
        goto done;
    char *hurl = G(xasprintf("http://127.0.0.1:%d/", port));
    char *hcache = G(path_join(tmp, "hcache"));
    t = now_seconds();
    e = engine(hurl, hcache, false);
    printf("# metadata load (http://): %.3fs\n", now_seconds() - t);
    ok(e != NULL, "load http:// repository");
    if (!e) {
        stop_http(http);
        goto done;
    }
    t = now_seconds();
    struct req full = { .names = { "synth-mua", "synth-filedep" } };
    char *got = resolve(e, &full);
    printf("# resolve (http, @core + 2): %.3fs\n", now_seconds() - t);
    is_str(got,
           "synth-base-1.0-1.noarch synth-data-1.0-1.noarch synth-filedep-1.0-1.noarch "
           "synth-lib-2.0-1.noarch synth-libdep-1.0-1.noarch synth-mua-1.0-1.noarch "
           "synth-postfix-1.0-1.noarch synth-rec-1.0-1.noarch synth-shell-1.0-1.x86_64",
           "resolve over http with @core");
    free(got);
    t = now_seconds();
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
    ok(corrupt(victim), "corrupt %s", victim);
    ok(pkg_download(e) == 0, "download again");
    ok(stat(victim, &st1) == 0 && st1.st_size == st0.st_size, "corrupted file was re-downloaded");
    char *partglob = xasprintf("ls %s/packages/ | grep -c '\\.part$'", hcache);
    char *parts = cmd_output(partglob);
    is_int(atoi(parts), 0, "no .part files left");
    free(parts);
    free(partglob);

    /* install in a forked child, as the creator does */
    char *root = G(path_join(tmp, "root"));
    mkdir_p(root, 0755);
    struct inst_arg ia = { e, root, true, "de" };
    t = now_seconds();
    is_int(run_fork("install", inst_child, &ia), 0, "pkg_install in a forked child");
    printf("# install: %.3fs\n", now_seconds() - t);
    ok(exists_in(root, "/usr/share/synth/synth-base"), "files installed");
    ok(exists_in(root, "/bin/busybox") && exists_in(root, "/bin/sh"), "shell installed");
    ok(exists_in(root, "/synth-pre.txt"), "%%pre scriptlet ran in the root");
    ok(exists_in(root, "/synth-post.txt"), "%%post scriptlet ran in the root");
    ok(!exists_in(root, "/usr/share/doc/synth-base/README"), "excludedocs: no docs");
    ok(exists_in(root, "/usr/share/locale/de/LC_MESSAGES/synth.mo"), "inst_langs: de installed");
    ok(!exists_in(root, "/usr/share/locale/fr/LC_MESSAGES/synth.mo"), "inst_langs: fr left out");
    ok(exists_in(root, "/usr/lib/sysimage/rpm/rpmdb.sqlite"), "rpmdb at /usr/lib/sysimage/rpm");
    char *q = xasprintf("rpm --root %s --dbpath /usr/lib/sysimage/rpm -qa --qf '%%{NEVRA}\\n' | sort | tr '\\n' ' '", root);
    char *qa = cmd_output(q);
    is_str(qa,
           "synth-base-1.0-1.noarch synth-data-1.0-1.noarch synth-filedep-1.0-1.noarch "
           "synth-lib-2.0-1.noarch synth-libdep-1.0-1.noarch synth-mua-1.0-1.noarch "
           "synth-postfix-1.0-1.noarch synth-rec-1.0-1.noarch synth-shell-1.0-1.x86_64 ",
           "rpm -qa in the root lists the packages");
    free(qa);
    free(q);
    pkg_engine_free(e);

    /* second install in this process, with docs and all languages */
    char *root2 = G(path_join(tmp, "root2"));
    mkdir_p(root2, 0755);
    e = engine(hurl, hcache, false);
    struct req small = { .names = { "synth-base" }, .nocore = true };
    got = resolve(e, &small);
    free(got);
    ok(e && pkg_download(e) == 0 && pkg_install(e, root2, false, NULL) == 0,
       "install in-process (no fork)");
    ok(exists_in(root2, "/usr/share/doc/synth-base/README"), "docs installed by default");
    ok(exists_in(root2, "/usr/share/locale/fr/LC_MESSAGES/synth.mo"), "all languages by default");
    pkg_engine_free(e);

    test_installed(hurl, hcache);

    /* --- cacheonly, with the server gone --- */
    stop_http(http);
    e = engine(hurl, hcache, true);
    ok(e != NULL, "cacheonly: metadata from the cache");
    if (e) {
        struct req r2 = { .names = { "synth-mua", "synth-filedep" } };
        got = resolve(e, &r2);
        ok(strstr(got, "synth-data-1.0-1.noarch") != NULL, "cacheonly: resolve with filelists");
        free(got);
        ok(pkg_download(e) == 0, "cacheonly: packages from the cache");
        pkg_engine_free(e);
    }
    e = engine(hurl, G(path_join(tmp, "empty-cache")), true);
    ok(e == NULL && failure_has("cacheonly"), "cacheonly without a cache fails clearly");
    e = engine(hurl, G(path_join(tmp, "nocache")), false);
    ok(e == NULL && failure_has("Cannot download repomd.xml for repository synth"),
       "unreachable repository fails clearly");

    /* --- download failure names package and URL --- */
    char *broken = G(path_join(tmp, "broken-repo"));
    cmd = xasprintf("cp -r '%s' '%s' && rm -f '%s'/Packages/synth-rec-*.rpm", fixdir, broken, broken);
    ok(system(cmd) == 0, "copy of the repository without synth-rec's rpm");
    free(cmd);
    e = engine(broken, G(path_join(tmp, "bcache")), false);
    if (e) {
        struct req r3 = { .names = { "synth-rec" }, .nocore = true };
        got = resolve(e, &r3);
        is_str(got, "synth-rec-1.0-1.noarch", "resolve synth-rec");
        free(got);
        ok(pkg_download(e) < 0 && failure_has("Failed to download synth-rec-1.0-1.noarch from file://") &&
               failure_has("Packages/synth-rec-1.0-1.noarch.rpm"),
           "download failure names the package and URL");
        pkg_engine_free(e);
    } else {
        ok(0, "load broken repo");
    }

done:
    rm_rf(tmp);
    strv_free(&gc);
    return tap_done();
}
