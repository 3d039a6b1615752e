/* pkg_engine.c - the package engine's state: creation and release, the
 * repository records, $releasever/$basearch substitution, the pkgverify
 * level words and the resolved set's accessors.  See pkg.h; the phases
 * build on this file (pkg_repo.c, pkg_repofile.c, pkg_solve.c,
 * pkg_download.c, pkg_install.c).
 */
#define _GNU_SOURCE
#define KSC_PKG_INTERNAL
#include "core/pkg.h"
#include "core/base/strv.h"
#include "core/base/log.h"
#include "core/base/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <solv/chksum.h>
#include <solv/knownid.h>
#include <solv/pool.h>
#include <solv/poolarch.h>
#include <solv/repo.h>

char *pkg_cachedir(const char *given, const char *workdir)
{
    if (!given && !workdir) {
        log_fail("no package cache: neither --cache nor a work directory given");
        return NULL;
    }
    char *dir = given ? xstrdup(given) : path_join(workdir, "cache");
    if (mkdir_p(dir, 0755) < 0) {
        log_fail("cannot create the package cache %s: %s", dir, strerror(errno));
        free(dir);
        return NULL;
    }
    return dir;
}

struct pkg_engine *pkg_engine_new(const struct pkg_engine_opts *o)
{
    if (!o || !o->cachedir || !*o->cachedir) {
        log_fail("the package engine needs a cache directory (pkg_engine_opts.cachedir)");
        return NULL;
    }
    struct pkg_engine *e = xcalloc(1, sizeof *e);
    e->cachedir = xstrdup(o->cachedir);
    e->arch = xstrdup(o->arch ? o->arch : "x86_64");
    e->releasever = o->releasever ? xstrdup(o->releasever) : NULL;
    e->cacheonly = o->cacheonly;
    e->parallel = o->parallel > 0 ? o->parallel : 4;
    e->verify_level = o->pkgverify_level ? pkg_verify_level_parse(o->pkgverify_level) : 1;
    if (e->verify_level < 0)
        e->verify_level = 1;
    e->pool = pool_create();
    pool_setdisttype(e->pool, DISTTYPE_RPM); /* Debian's libsolv defaults to deb */
    pool_setarch(e->pool, e->arch);
    /* as libdnf: x86_64 and i686 builds of a name may be installed together */
    pool_set_flag(e->pool, POOL_FLAG_IMPLICITOBSOLETEUSESCOLORS, 1);
    /* as libdnf: excluded packages stay providers, so a problem says
     * "... is filtered out by exclude filtering" instead of "nothing provides" */
    pool_set_flag(e->pool, POOL_FLAG_WHATPROVIDESWITHDISABLED, 1);
    pool_set_installed(e->pool, repo_create(e->pool, "@System"));
    queue_init(&e->result);
    queue_init(&e->replaces);
    return e;
}

void pkg_engine_free(struct pkg_engine *e)
{
    if (!e)
        return;
    for (size_t i = 0; i < e->n_repos; i++) {
        struct pkg_repo *r = e->repos[i];
        free(r->name);
        free(r->id);
        strv_free(&r->urls);
        free(r->baseurl);
        free(r->mirrorlist);
        free(r->dir);
        free(r->proxy);
        free(r->sslcacert);
        free(r->sslclientcert);
        free(r->sslclientkey);
        free(r->userpwd);
        free(r->proxyuserpwd);
        strv_free(&r->excludepkgs);
        strv_free(&r->includepkgs);
        strv_free(&r->gpgkeys);
        free(r->filelists);
        free(r->cookie);
        free(r->metalink_sha256);
        free(r->repo_conf);
        free(r);
    }
    free(e->repos);
    pkg__clear_result(e);
    queue_free(&e->result);
    queue_free(&e->replaces);
    strv_free(&e->keyfiles);
    if (e->have_considered)
        map_free(&e->considered);
    e->pool->considered = NULL;
    pool_free(e->pool);
    free(e->cachedir);
    free(e->arch);
    free(e->releasever);
    free(e);
}

static const char *basearch(const char *arch)
{
    if (!strcmp(arch, "i386") || !strcmp(arch, "i486") || !strcmp(arch, "i586") ||
        !strcmp(arch, "i686") || !strcmp(arch, "athlon"))
        return "i386";
    if (str_startswith(arch, "armv7"))
        return "armhfp";
    return arch;
}

/* Substitute $releasever, $basearch, $arch (also ${...}). */
char *pkg__subst_vars(struct pkg_engine *e, const char *s)
{
    static const char *names[] = { "releasever", "basearch", "arch" };
    size_t cap = strlen(s) * 2 + 64, len = 0;
    char *out = xmalloc(cap);
    while (*s) {
        const char *val = NULL;
        size_t skip = 0;
        if (*s == '$') {
            for (size_t k = 0; k < 3 && !val; k++) {
                size_t nl = strlen(names[k]);
                const char *v = k == 0 ? e->releasever : k == 1 ? basearch(e->arch) : e->arch;
                if (!v)
                    continue;
                if (!strncmp(s + 1, names[k], nl)) {
                    val = v;
                    skip = 1 + nl;
                } else if (s[1] == '{' && !strncmp(s + 2, names[k], nl) && s[2 + nl] == '}') {
                    val = v;
                    skip = 3 + nl;
                }
            }
        }
        const char *add = val ? val : s;
        size_t alen = val ? strlen(val) : 1;
        if (len + alen + 1 > cap) {
            cap = (len + alen + 1) * 2;
            out = xrealloc(out, cap);
        }
        memcpy(out + len, add, alen);
        len += alen;
        s += val ? skip : 1;
    }
    out[len] = 0;
    return out;
}

char *pkg__strip_slash(char *u)
{
    size_t n = strlen(u);
    while (n > 1 && u[n - 1] == '/')
        u[--n] = 0;
    return u;
}

struct pkg_repo *pkg__repo_new(struct pkg_engine *e, const char *name, const char *baseurl,
                               const char *mirrorlist, const char *metalink)
{
    struct pkg_repo *r = xcalloc(1, sizeof *r);
    r->name = xstrdup(name);
    if (baseurl) {
        /* dnf accepts several space/comma separated base URLs */
        char *copy = xstrdup(baseurl), *save = NULL;
        for (char *t = strtok_r(copy, " ,\t", &save); t; t = strtok_r(NULL, " ,\t", &save)) {
            char *u = pkg__subst_vars(e, t);
            strv_push_take(&r->urls, pkg__strip_slash(dl_normalize_url(u)));
            free(u);
        }
        free(copy);
    }
    const char *ml = mirrorlist ? mirrorlist : metalink;
    if (ml)
        r->mirrorlist = pkg__subst_vars(e, ml);
    const char *key = r->urls.n ? r->urls.v[0] : r->mirrorlist ? r->mirrorlist : "";
    Chksum *c = solv_chksum_create(REPOKEY_TYPE_SHA256);
    solv_chksum_add(c, key, (int)strlen(key));
    int len;
    const unsigned char *d = solv_chksum_get(c, &len);
    char hex[17];
    for (int i = 0; i < 8; i++)
        snprintf(hex + 2 * i, 3, "%02x", d[i]);
    solv_chksum_free(c, NULL);
    char *safe = xstrdup(name);
    for (char *p = safe; *p; p++)
        if (*p == '/' || *p == ' ' || *p == '\t')
            *p = '_';
    r->id = xasprintf("%s-%s", safe, hex);
    free(safe);
    r->dir = path_join(e->cachedir, r->id);
    r->cost = 1000;
    r->priority = 99;
    r->dl.retries = -1;
    e->repos = xrealloc(e->repos, (e->n_repos + 1) * sizeof *e->repos);
    e->repos[e->n_repos++] = r;
    return r;
}

int pkg_verify_level_parse(const char *s)
{
    static const char *const w[] = { "none", "digest", "signature", "all" };
    for (int i = 0; i < 4; i++)
        if (s && !strcmp(s, w[i]))
            return i;
    return -1;
}

void pkg__clear_result(struct pkg_engine *e)
{
    queue_empty(&e->result);
    queue_empty(&e->replaces);
    strv_free(&e->nevras);
    strv_free(&e->paths);
    e->downloaded = false;
}

size_t pkg_count(struct pkg_engine *e) { return (size_t)e->result.count; }

const char *pkg_nevra(struct pkg_engine *e, size_t i)
{
    return i < e->nevras.n ? e->nevras.v[i] : NULL;
}

const char *pkg_path(struct pkg_engine *e, size_t i)
{
    return e->downloaded && i < e->paths.n ? e->paths.v[i] : NULL;
}
