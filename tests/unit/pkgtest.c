/* pkgtest.c - the package engine tests' shared set-up (see pkgtest.h). */
#define _GNU_SOURCE
#include "pkgtest.h"

#include "core/base/log.h"
#include "core/base/strv.h"
#include "core/base/util.h"
#include "core/pkg.h"
#include "kickstart/ks.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

const char *pkgtest_fixdir, *pkgtest_tmp;

static strv_t gc;
static char tmpl[64];
static int http_port;
static pid_t http_pid = -1;

char *G(char *s)
{
    strv_push_take(&gc, s);
    return s;
}

char *T(const char *rel) { return G(path_join(pkgtest_tmp, rel)); }

int pkgtest_setup(const char *name)
{
    log_open(getenv("KSC_DEBUG") ? LOG_DEBUG : LOG_WARN, NULL);
    const char *fx = getenv("KSC_FIXTURES");
    pkgtest_fixdir = G(xasprintf("%s/synth", fx && *fx ? fx : "/var/cache/kscreate-fixtures"));
    const char *script = "tests/fixtures/mksynth.sh";
    if (!path_exists(script)) {
        printf("1..0 # SKIP %s not found (run from the source tree)\n", script);
        strv_free(&gc);
        return -1;
    }
    char *cmd = xasprintf("%s '%s' >&2", script, pkgtest_fixdir);
    int st = system(cmd);
    free(cmd);
    if (st != 0) {
        printf("1..0 # SKIP cannot build the synthetic repository %s\n", pkgtest_fixdir);
        strv_free(&gc);
        return -1;
    }
    snprintf(tmpl, sizeof tmpl, "/tmp/%s.XXXXXX", name);
    pkgtest_tmp = mkdtemp(tmpl);
    if (!pkgtest_tmp) {
        printf("1..0 # SKIP mkdtemp failed\n");
        strv_free(&gc);
        return -1;
    }
    return 0;
}

void pkgtest_teardown(void)
{
    pkgtest_http_stop();
    if (pkgtest_tmp)
        rm_rf(pkgtest_tmp);
    strv_free(&gc);
    log_close();
}

bool failure_has(const char *s)
{
    const char *f = log_failure();
    bool ok = f && strstr(f, s);
    if (!ok)
        printf("#   failure was: %s\n#   wanted: %s\n", f ? f : "(none)", s);
    return ok;
}

char *pkgtest_cmd_output(const char *cmd)
{
    FILE *f = popen(cmd, "r");
    if (!f)
        return xstrdup("");
    size_t cap = 4096, len = 0, n;
    char *buf = xmalloc(cap);
    while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (len + 1 >= cap)
            buf = xrealloc(buf, cap *= 2);
    }
    buf[len] = 0;
    pclose(f);
    return buf;
}

/* --- the HTTP server ------------------------------------------------------ */

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
        if (waitpid(pid, NULL, WNOHANG) == pid)
            return -1;
        struct timespec ts = { 0, 50 * 1000 * 1000 };
        nanosleep(&ts, NULL);
    }
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
    return -1;
}

const char *pkgtest_http_url(void)
{
    static char url[64];
    if (!url[0])
        snprintf(url, sizeof url, "http://127.0.0.1:%d/", http_port = free_port());
    return url;
}

bool pkgtest_http_start(void)
{
    pkgtest_http_url();
    if (http_pid <= 0 && http_port > 0)
        http_pid = start_http(pkgtest_fixdir, http_port);
    if (http_pid <= 0)
        printf("#   cannot start python3 -m http.server on port %d\n", http_port);
    return http_pid > 0;
}

void pkgtest_http_stop(void)
{
    if (http_pid > 0) {
        kill(http_pid, SIGTERM);
        waitpid(http_pid, NULL, 0);
    }
    http_pid = -1;
}

/* --- engines and resolutions ---------------------------------------------- */

/* E with its repositories added (ADDED == 0), loaded; NULL otherwise */
static struct pkg_engine *loaded(struct pkg_engine *e, int added)
{
    if (added < 0 || pkg_load(e) < 0) {
        pkg_engine_free(e);
        return NULL;
    }
    return e;
}

struct pkg_engine *pkgtest_engine_repo(const struct ks_repo *r, const char *cachedir, bool cacheonly)
{
    struct pkg_engine_opts o = { .cachedir = cachedir, .releasever = "1", .cacheonly = cacheonly };
    struct pkg_engine *e = pkg_engine_new(&o);
    return loaded(e, pkg_add_repo(e, r));
}

struct pkg_engine *pkgtest_engine(const char *url, const char *cachedir, bool cacheonly)
{
    struct ks_repo r;
    memset(&r, 0, sizeof r);
    r.name = (char *)"synth";
    r.baseurl = (char *)url;
    r.cost = -1;
    return pkgtest_engine_repo(&r, cachedir, cacheonly);
}

struct pkg_engine *pkgtest_engine_repofile(const char *path, const char *cachedir,
                                           const char *pkgverify_level)
{
    struct pkg_engine_opts o = { .cachedir = cachedir, .releasever = "1",
                                 .pkgverify_level = pkgverify_level };
    struct pkg_engine *e = pkg_engine_new(&o);
    return loaded(e, pkg_add_repofile(e, path));
}

char *pkgtest_resolve(struct pkg_engine *e, const struct ks_packages *req)
{
    if (pkg_resolve(e, req) < 0)
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

char *pkgtest_resolve_names(struct pkg_engine *e, const char *names)
{
    struct ks_packages p;
    memset(&p, 0, sizeof p);
    p.nocore = true;
    p.retries = p.timeout = -1;
    char *copy = xstrdup(names), *save = NULL;
    for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save))
        strv_push(&p.names, t);
    free(copy);
    char *s = pkgtest_resolve(e, &p);
    strv_free(&p.names);
    return s;
}
