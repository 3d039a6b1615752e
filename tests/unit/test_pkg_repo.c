/* test_pkg_repo.c - package engine: .repo files, the .solv cache, metalink
 * checksum, per-package mirror failover, resumed downloads, cache locking.
 * Uses the synthetic repository of tests/fixtures/mksynth.sh (file://) and
 * python3's http.server for the resume test. */
#define _GNU_SOURCE
#define KSC_PKG_INTERNAL
#include "tap.h"
#include "core/base/strv.h"

#include "core/base/download.h"
#include "core/base/log.h"
#include "core/pkg.h"
#include "core/base/util.h"
#include "kickstart/ks.h"

#include <arpa/inet.h>
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

static char *fixdir, *tmp;
static strv_t gc;
static char *G(char *s) { strv_push_take(&gc, s); return s; }

static bool failure_has(const char *s)
{
    const char *f = log_failure();
    bool ok = f && strstr(f, s);
    if (!ok)
        printf("#   failure was: %s\n#   wanted: %s\n", f ? f : "(none)", s);
    return ok;
}

/* resolve NAMES (space separated, --nocore) -> sorted NEVRAs or "FAIL" */
static char *resolve(struct pkg_engine *e, const char *names)
{
    struct ks_packages p;
    memset(&p, 0, sizeof p);
    p.nocore = true;
    p.retries = p.timeout = -1;
    char *copy = xstrdup(names), *save = NULL;
    for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save))
        strv_push(&p.names, t);
    free(copy);
    int rc = pkg_resolve(e, &p);
    strv_free(&p.names);
    if (rc < 0)
        return xstrdup("FAIL");
    char *s = xstrdup("");
    for (size_t i = 0; i < pkg_count(e); i++) {
        char *n = xasprintf("%s%s%s", s, i ? " " : "", pkg_nevra(e, i));
        free(s);
        s = n;
    }
    return s;
}

static struct pkg_engine *from_repofile(const char *path, const char *cachedir, const char *verify)
{
    struct pkg_engine_opts o = { .cachedir = cachedir, .releasever = "1", .pkgverify_level = verify };
    struct pkg_engine *e = pkg_engine_new(&o);
    if (pkg_add_repofile(e, path) < 0 || pkg_load(e) < 0) {
        pkg_engine_free(e);
        return NULL;
    }
    return e;
}

static int free_port(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t l = sizeof a;
    int port = -1;
    if (bind(s, (struct sockaddr *)&a, sizeof a) == 0 && getsockname(s, (struct sockaddr *)&a, &l) == 0)
        port = ntohs(a.sin_port);
    close(s);
    return port;
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
        struct timespec ts = { 0, 50 * 1000 * 1000 };
        nanosleep(&ts, NULL);
    }
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
    return -1;
}

static off_t fsize(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 ? st.st_size : -1;
}

int main(void)
{
    log_open(getenv("KSC_DEBUG") ? LOG_DEBUG : LOG_WARN, NULL);
    const char *fx = getenv("KSC_FIXTURES");
    fixdir = G(xasprintf("%s/synth", fx && *fx ? fx : "/var/cache/kscreate-fixtures"));
    char *cmd = xasprintf("tests/fixtures/mksynth.sh '%s' >&2", fixdir);
    int st = path_exists("tests/fixtures/mksynth.sh") ? system(cmd) : -1;
    free(cmd);
    if (st != 0) {
        printf("1..0 # SKIP cannot build the synthetic repository %s\n", fixdir);
        strv_free(&gc);
        return 0;
    }
    char tmpl[] = "/tmp/ksc-test-pkg-repo.XXXXXX";
    tmp = mkdtemp(tmpl);
    char *got;

    /* --- .repo files --- */
    is_int(pkg_verify_level_parse("signature"), 2, "pkgverify level words");
    is_int(pkg_verify_level_parse("bogus"), -1, "unknown pkgverify level refused");
    char *rdir = G(path_join(tmp, "repos.d"));
    mkdir_p(rdir, 0755);
    ok(symlink(fixdir, G(path_join(tmp, "synth-1-x86_64"))) == 0, "symlink for $releasever/$basearch");
    write_file(G(path_join(rdir, "a.repo")),
               G(xasprintf("# comment\n[main]\ngpgcheck=0\n\n"
                           "[synth]\nname = Synth $releasever\n"
                           "baseurl=file://%s/synth-$releasever-$basearch\n"
                           "enabled=1\ngpgcheck=0\npriority=10\ncost=500\n"
                           "excludepkgs=synth-postfix,\n  synth-extra\n"
                           "gpgkey=file:///k1\n  file:///k2\n"
                           "username=u\npassword=p w\nproxy_username=pu\n\n"
                           "[off]\nbaseurl=file:///nonexistent\nenabled=0\n", tmp)),
               0644);
    write_file(G(path_join(rdir, "ignored.txt")), "[x]\nbaseurl=file:///nonexistent\n", 0644);
    struct pkg_engine *e = from_repofile(rdir, G(path_join(tmp, "c1")), NULL);
    ok(e != NULL, ".repo directory: loaded (disabled section and non-.repo files skipped)");
    if (e) {
        is_int(e->n_repos, 1, "one enabled repository");
        struct pkg_repo *r = e->repos[0];
        is_str(r->name, "synth", "section id is the repository name");
        is_int(r->priority, 10, "priority=");
        is_int(r->cost, 500, "cost=");
        is_int(r->gpgkeys.n, 2, "gpgkey= list with a continuation line");
        is_str(r->dl.userpwd, "u:p w", "username=/password= for the server");
        is_str(r->dl.proxyuserpwd, "pu:", "proxy_username= without a password");
        is_int(r->excludepkgs.n, 2, "excludepkgs= list");
        got = resolve(e, "synth-mua");
        is_str(got, "synth-mua-1.0-1.noarch synth-sendmail-1.0-1.noarch", "excludepkgs applies");
        free(got);
        pkg_engine_free(e);
    }
    char *bad = G(path_join(tmp, "bad.repo"));
    write_file(bad, "[x]\nbaseurl=file:///x\nthis line is wrong\n", 0644);
    e = from_repofile(bad, G(path_join(tmp, "c2")), NULL);
    ok(e == NULL && failure_has("bad.repo:3: expected key=value"), "syntax error names FILE:LINE");
    write_file(bad, "[x]\nname=x\n", 0644);
    e = from_repofile(bad, G(path_join(tmp, "c2")), NULL);
    ok(e == NULL && failure_has("repository x has no baseurl"), "section without a URL refused");
    write_file(bad, G(xasprintf("[x]\nbaseurl=file://%s\ngpgcheck=maybe\n", fixdir)), 0644);
    e = from_repofile(bad, G(path_join(tmp, "c2")), NULL);
    ok(e == NULL && failure_has("bad.repo:3: gpgcheck=maybe is not a boolean"), "bad boolean refused");

    /* --- .solv cache --- */
    char *one = G(path_join(tmp, "one.repo"));
    write_file(one, G(xasprintf("[synth]\nbaseurl=file://%s\n", fixdir)), 0644);
    char *sc = G(path_join(tmp, "solvcache"));
    e = from_repofile(one, sc, NULL);
    char *first = e ? resolve(e, "synth-filedep synth-base") : xstrdup("FAIL");
    char *solv = e ? G(path_join(e->repos[0]->dir, "primary.solv")) : G(xstrdup("/nonexistent"));
    char *solvx = e ? G(path_join(e->repos[0]->dir, "filelists.solvx")) : G(xstrdup("/nonexistent"));
    pkg_engine_free(e);
    ok(path_exists(solv), "primary.solv written");
    ok(path_exists(solvx), "filelists.solvx written once file lists were needed");
    e = from_repofile(one, sc, NULL);
    got = e ? resolve(e, "synth-filedep synth-base") : xstrdup("FAIL");
    is_str(got, first, "same result from the .solv cache");
    ok(strstr(got, "synth-data-1.0-1.noarch") != NULL, "file dependency from filelists.solvx");
    free(got);
    pkg_engine_free(e);
    /* a stale cookie: the XML is parsed again */
    char *text = NULL;
    size_t len = 0;
    if (read_file(solv, &text, &len) == 0 && len > 10) {
        text[len > 30 ? 20 : 5] ^= 1;
        FILE *f = fopen(solv, "wb");
        fwrite(text, 1, len, f);
        fclose(f);
    }
    free(text);
    e = from_repofile(one, sc, NULL);
    got = e ? resolve(e, "synth-filedep synth-base") : xstrdup("FAIL");
    is_str(got, first, "stale .solv cache ignored, same result");
    free(got);
    free(first);
    pkg_engine_free(e);

    /* --- metalink: repomd.xml checksum --- */
    char *repomd = G(path_join(fixdir, "repodata/repomd.xml"));
    char *sum = NULL;
    char *c2 = G(xasprintf("sha256sum '%s'", repomd));
    FILE *p = popen(c2, "r");
    char hex[65] = "";
    if (p && fscanf(p, "%64s", hex) == 1)
        sum = hex;
    if (p)
        pclose(p);
    ok(sum != NULL, "sha256 of repomd.xml");
    const char *ml_fmt =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<metalink version=\"3.0\" "
        "xmlns=\"http://www.metalinker.org/\"><files><file name=\"repomd.xml\"><verification>"
        "<hash type=\"sha256\">%s</hash></verification><resources>"
        "<url protocol=\"file\" type=\"file\" preference=\"100\">file://%s/repodata/repomd.xml</url>"
        "</resources></file></files></metalink>\n";
    char *ml = G(path_join(tmp, "metalink.xml"));
    write_file(ml, G(xasprintf(ml_fmt, hex, fixdir)), 0644);
    char *mlrepo = G(path_join(tmp, "ml.repo"));
    write_file(mlrepo, G(xasprintf("[ml]\nmetalink=file://%s\n", ml)), 0644);
    e = from_repofile(mlrepo, G(path_join(tmp, "c3")), NULL);
    ok(e != NULL, "metalink with the right repomd.xml sha256");
    pkg_engine_free(e);
    write_file(ml, G(xasprintf(ml_fmt, "0000000000000000000000000000000000000000000000000000000000000000",
                               fixdir)),
               0644);
    e = from_repofile(mlrepo, G(path_join(tmp, "c4")), NULL);
    ok(e == NULL && failure_has("does not match the metalink's sha256"), "metalink: wrong sha256 refused");
    pkg_engine_free(e);

    /* --- per-package mirror failover --- */
    char *broken = G(path_join(tmp, "broken-mirror"));
    cmd = xasprintf("mkdir -p '%s' && cp -r '%s/repodata' '%s/'", broken, fixdir, broken);
    ok(system(cmd) == 0, "a mirror with metadata but no packages");
    free(cmd);
    char *mlist = G(path_join(tmp, "mirrorlist"));
    write_file(mlist, G(xasprintf("file://%s\nfile://%s\n", broken, fixdir)), 0644);
    char *mrepo = G(path_join(tmp, "mirrors.repo"));
    write_file(mrepo, G(xasprintf("[mirrors]\nmirrorlist=file://%s\n", mlist)), 0644);
    char *mc = G(path_join(tmp, "c5"));
    e = from_repofile(mrepo, mc, NULL);
    ok(e != NULL && !strcmp(e->repos[0]->baseurl, G(xasprintf("file://%s", broken))),
       "metadata from the first mirror");
    if (e) {
        got = resolve(e, "synth-rec");
        free(got);
        ok(pkg_download(e) == 0, "package download fails over to the second mirror");
        ok(pkg_path(e, 0) && path_exists(pkg_path(e, 0)), "package is in the cache");
    }
    pkg_engine_free(e);
    /* every mirror fails: the error names the package and each URL */
    write_file(mlist, G(xasprintf("file://%s\nfile://%s\n", broken, broken)), 0644);
    e = from_repofile(mrepo, G(path_join(tmp, "c6")), NULL);
    if (e) {
        got = resolve(e, "synth-rec");
        free(got);
        ok(pkg_download(e) < 0 &&
               failure_has("Failed to download synth-rec-1.0-1.noarch from file://") &&
               failure_has("broken-mirror/Packages/synth-rec-1.0-1.noarch.rpm"),
           "all mirrors failed: package and URL named");
    } else {
        ok(0, "load broken mirrors");
    }
    pkg_engine_free(e);

    /* --- resume of a partial download (http) --- */
    int port = free_port();
    pid_t http = port > 0 ? start_http(fixdir, port) : -1;
    ok(http > 0, "http server on port %d", port);
    if (http > 0) {
        char *hrepo = G(path_join(tmp, "http.repo"));
        write_file(hrepo, G(xasprintf("[h]\nbaseurl=http://127.0.0.1:%d/\n", port)), 0644);
        char *hc = G(path_join(tmp, "c7"));
        e = from_repofile(hrepo, hc, NULL);
        if (e) {
            got = resolve(e, "synth-shell");
            free(got);
            char *src = G(path_join(fixdir, "Packages/synth-shell-1.0-1.x86_64.rpm"));
            char *part = G(path_join(hc, "packages/synth-shell-1.0-1.x86_64.rpm.part"));
            mkdir_p(G(path_join(hc, "packages")), 0755);
            off_t full = fsize(src);
            cmd = xasprintf("head -c %lld '%s' > '%s'", (long long)full / 2, src, part);
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
        kill(http, SIGTERM);
        waitpid(http, NULL, 0);
    }

    /* --- repo --install: the .repo file in the target --- */
    if (geteuid() == 0) {
        struct pkg_engine_opts o = { .cachedir = G(path_join(tmp, "c8")), .releasever = "1" };
        e = pkg_engine_new(&o);
        struct ks_repo kr;
        memset(&kr, 0, sizeof kr);
        kr.name = (char *)"keep";
        kr.baseurl = G(xasprintf("file://%s", fixdir));
        kr.cost = 7;
        kr.install = true;
        strv_push(&kr.excludepkgs, "synth-extra");
        char *root = G(path_join(tmp, "root"));
        bool fine = pkg_add_repo(e, &kr) == 0 && pkg_load(e) == 0;
        if (fine) {
            got = resolve(e, "synth-rec");
            free(got);
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

    /* --- locking --- */
    char *ldir = G(path_join(tmp, "lockdir"));
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

    rm_rf(tmp);
    strv_free(&gc);
    log_close();
    return tap_done();
}
