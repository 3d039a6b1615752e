/* pkg_repo.c - the package engine: repositories, metadata, package downloads.
 * See pkg.h.
 *
 * Metadata: repomd.xml is fetched with libcurl (every URL scheme, a plain
 * path as file://) into cachedir/<name>-<hash>/repodata/, parsed with
 * repo_add_repomdxml to find primary, group (comps) and filelists with their
 * checksums; each file is reused from the cache when its checksum matches,
 * downloaded and verified otherwise.  primary and comps are parsed at
 * pkg_load; filelists only when pkg__load_filelists() is called (see
 * pkg_solve.c for when).
 */
#define _GNU_SOURCE
#define KSC_PKG_INTERNAL
#include "pkg.h"
#include "cleanup.h"
#include "log.h"
#include "util.h"
#include "../kickstart/ks.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <solv/chksum.h>
#include <solv/dataiterator.h>
#include <solv/knownid.h>
#include <solv/pool.h>
#include <solv/poolarch.h>
#include <solv/repo.h>
#include <solv/repo_comps.h>
#include <solv/repo_repomdxml.h>
#include <solv/repo_rpmmd.h>
#include <solv/repo_solv.h>
#include <solv/repo_write.h>
#include <solv/solvversion.h>
#include <solv/solv_xfopen.h>

struct pkg_engine *pkg_engine_new(const struct pkg_engine_opts *o)
{
    struct pkg_engine *e = xcalloc(1, sizeof *e);
    e->cachedir = xstrdup(o && o->cachedir ? o->cachedir : "/var/cache/kscreate");
    e->arch = xstrdup(o && o->arch ? o->arch : "x86_64");
    e->releasever = o && o->releasever ? xstrdup(o->releasever) : NULL;
    e->cacheonly = o && o->cacheonly;
    e->parallel = o && o->parallel > 0 ? o->parallel : 4;
    e->verify_level = o && o->pkgverify_level ? pkg_verify_level_parse(o->pkgverify_level) : 1;
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

static char *strip_slash(char *u)
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
            strv_push_take(&r->urls, strip_slash(dl_normalize_url(u)));
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

static void set_ssl(struct pkg_repo *r, const char *proxy, const char *ca, const char *cert,
                    const char *key, bool noverify)
{
    r->proxy = proxy ? xstrdup(proxy) : NULL;
    r->sslcacert = ca ? xstrdup(ca) : NULL;
    r->sslclientcert = cert ? xstrdup(cert) : NULL;
    r->sslclientkey = key ? xstrdup(key) : NULL;
    r->dl.proxy = r->proxy;
    r->dl.sslcacert = r->sslcacert;
    r->dl.sslclientcert = r->sslclientcert;
    r->dl.sslclientkey = r->sslclientkey;
    r->dl.noverifyssl = noverify;
}

int pkg_add_repo(struct pkg_engine *e, const struct ks_repo *kr)
{
    if (!kr->name || !*kr->name)
        return log_fail("repo: a repository needs a name");
    if (!kr->baseurl && !kr->mirrorlist && !kr->metalink)
        return log_fail("repo %s: no baseurl, mirrorlist or metalink", kr->name);
    for (size_t i = 0; i < e->n_repos; i++)
        if (!strcmp(e->repos[i]->name, kr->name))
            return log_fail("repo %s: defined twice", kr->name);
    struct pkg_repo *r = pkg__repo_new(e, kr->name, kr->baseurl, kr->mirrorlist, kr->metalink);
    set_ssl(r, kr->proxy, kr->sslcacert, kr->sslclientcert, kr->sslclientkey, kr->noverifyssl);
    if (kr->cost >= 0)
        r->cost = kr->cost;
    for (size_t i = 0; i < kr->excludepkgs.n; i++)
        strv_push(&r->excludepkgs, kr->excludepkgs.v[i]);
    for (size_t i = 0; i < kr->includepkgs.n; i++)
        strv_push(&r->includepkgs, kr->includepkgs.v[i]);
    r->ignoregroups = kr->ignoregroups;
    if (kr->install) {
        /* what anaconda writes for repo --install: the kickstart's values,
         * $variables left for dnf on the installed system */
        size_t cap = 1024, len = 0;
        char *t = xmalloc(cap);
        t[0] = 0;
#define ADD(...)                                                                                   \
    do {                                                                                           \
        char *l_ = xasprintf(__VA_ARGS__);                                                         \
        size_t ll_ = strlen(l_);                                                                   \
        if (len + ll_ + 1 > cap)                                                                   \
            t = xrealloc(t, cap = (len + ll_ + 1) * 2);                                            \
        memcpy(t + len, l_, ll_ + 1);                                                              \
        len += ll_;                                                                                \
        free(l_);                                                                                  \
    } while (0)
        ADD("[%s]\nname=%s\nenabled=1\n", kr->name, kr->name);
        if (kr->baseurl)
            ADD("baseurl=%s\n", kr->baseurl);
        if (kr->mirrorlist)
            ADD("mirrorlist=%s\n", kr->mirrorlist);
        if (kr->metalink)
            ADD("metalink=%s\n", kr->metalink);
        if (kr->noverifyssl)
            ADD("sslverify=0\n");
        if (kr->proxy)
            ADD("proxy=%s\n", kr->proxy);
        if (kr->sslcacert)
            ADD("sslcacert=%s\n", kr->sslcacert);
        if (kr->sslclientcert)
            ADD("sslclientcert=%s\n", kr->sslclientcert);
        if (kr->sslclientkey)
            ADD("sslclientkey=%s\n", kr->sslclientkey);
        if (kr->cost >= 0)
            ADD("cost=%d\n", kr->cost);
        for (int k = 0; k < 2; k++) {
            const strv_t *l = k ? &kr->excludepkgs : &kr->includepkgs;
            for (size_t i = 0; i < l->n; i++)
                ADD("%s%s", i ? "," : k ? "excludepkgs=" : "includepkgs=", l->v[i]);
            if (l->n)
                ADD("\n");
        }
#undef ADD
        r->repo_conf = t;
    }
    return 0;
}

int pkg_add_url(struct pkg_engine *e, const struct ks_url *u)
{
    if (!u->url && !u->mirrorlist && !u->metalink)
        return log_fail("url: no --url, --mirrorlist or --metalink");
    struct pkg_repo *r = pkg__repo_new(e, "anaconda", u->url, u->mirrorlist, u->metalink);
    set_ssl(r, u->proxy, u->sslcacert, u->sslclientcert, u->sslclientkey, u->noverifyssl);
    return 0;
}

/* Candidate base URLs from a downloaded mirrorlist (one URL per line) or
 * metalink (<url>.../repodata/repomd.xml</url>). */
static void parse_mirrors(struct pkg_repo *r, const char *text)
{
    if (strstr(text, "<metalink")) {
        /* <file name="repomd.xml"> ... <hash type="sha256">HEX</hash> */
        const char *h = strstr(text, "<hash type=\"sha256\">");
        if (h) {
            h += strlen("<hash type=\"sha256\">");
            size_t n = strspn(h, "0123456789abcdefABCDEF");
            if (n == 64) {
                free(r->metalink_sha256);
                r->metalink_sha256 = xstrndup(h, 64);
            }
        }
        for (const char *p = strstr(text, "<url"); p; p = strstr(p + 1, "<url")) {
            const char *b = strchr(p, '>'), *end = b ? strstr(b, "</url>") : NULL;
            if (!end)
                break;
            char *u = xstrndup(b + 1, (size_t)(end - b - 1));
            char *t = strstr(u, "/repodata/repomd.xml");
            if (t && !t[20]) {
                *t = 0;
                if (str_startswith(u, "http") || str_startswith(u, "ftp") || str_startswith(u, "file"))
                    strv_push(&r->urls, u);
            }
            free(u);
        }
        return;
    }
    char *copy = xstrdup(text), *save = NULL;
    for (char *l = strtok_r(copy, "\r\n", &save); l; l = strtok_r(NULL, "\r\n", &save)) {
        while (*l == ' ' || *l == '\t')
            l++;
        if (!*l || *l == '#')
            continue;
        char *u = strip_slash(dl_normalize_url(l));
        strv_push_take(&r->urls, u);
    }
    free(copy);
}

static const char *repomd_find(Repo *repo, const char *what, Id *chktype, const unsigned char **chk)
{
    Pool *pool = repo->pool;
    Dataiterator di;
    const char *filename = NULL;
    *chktype = 0;
    *chk = NULL;
    dataiterator_init(&di, pool, repo, SOLVID_META, REPOSITORY_REPOMD_TYPE, what, SEARCH_STRING);
    dataiterator_prepend_keyname(&di, REPOSITORY_REPOMD);
    if (dataiterator_step(&di)) {
        dataiterator_setpos_parent(&di);
        filename = pool_lookup_str(pool, SOLVID_POS, REPOSITORY_REPOMD_LOCATION);
        *chk = pool_lookup_bin_checksum(pool, SOLVID_POS, REPOSITORY_REPOMD_CHECKSUM, chktype);
    }
    dataiterator_free(&di);
    return filename;
}

/* Make the metadata file at LOCATION available in the cache; returns its path. */
static char *fetch_md(struct pkg_engine *e, struct pkg_repo *r, const char *location, Id chktype,
                      const unsigned char *chk)
{
    if (strstr(location, "..")) {
        log_fail("repo %s: refusing metadata location %s", r->name, location);
        return NULL;
    }
    char *path = path_join(r->dir, location);
    if (dl_verify(path, chktype, chk)) {
        log_debug("repo %s: %s from cache", r->name, location);
        return path;
    }
    if (e->cacheonly) {
        log_fail("repo %s: %s is not in the cache %s (cacheonly)", r->name, location, r->dir);
        free(path);
        return NULL;
    }
    char *url = xasprintf("%s/%s", r->baseurl, location), err[512];
    log_verbose("repo %s: downloading %s", r->name, url);
    if (dl_file(url, path, chktype, chk, &r->dl, err, sizeof err) < 0) {
        log_fail("repo %s: cannot download %s: %s", r->name, url, err);
        free(url);
        free(path);
        return NULL;
    }
    free(url);
    return path;
}

static int add_md(struct pkg_engine *e, struct pkg_repo *r, const char *path, const char *what,
                  int flags)
{
    FILE *fp = solv_xfopen(path, "r");
    if (!fp)
        return log_fail("repo %s: cannot open %s: %s", r->name, path, strerror(errno));
    int rc = !strcmp(what, "group") ? repo_add_comps(r->repo, fp, flags)
                                    : repo_add_rpmmd(r->repo, fp, NULL, flags);
    fclose(fp);
    if (rc)
        return log_fail("repo %s: cannot parse %s: %s", r->name, path, pool_errstr(e->pool));
    return 0;
}

/* Remove cached metadata files repomd.xml no longer references. */
static void prune_md(struct pkg_repo *r, const strv_t *keep)
{
    char *dir = path_join(r->dir, "repodata");
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *de;
        while ((de = readdir(d))) {
            if (de->d_name[0] == '.' || !strcmp(de->d_name, "repomd.xml"))
                continue;
            char *loc = xasprintf("repodata/%s", de->d_name);
            if (!strv_contains(keep, loc)) {
                char *p = path_join(dir, de->d_name);
                unlink(p);
                free(p);
            }
            free(loc);
        }
        closedir(d);
    }
    free(dir);
}

/* The .solv cache (libsolv's own format, loads in a fraction of the XML
 * parse): r->dir/primary.solv (packages + comps) and filelists.solvx (the
 * file lists as an extension).  Each file starts with a cookie line, the
 * sha256 of the repomd.xml it was made from plus a format tag; a different
 * cookie means stale.  Written to a temporary name and renamed. */
#define SOLV_FORMAT "kscreate-solv-1"

static char *solv_cookie(const char *repomd, const char *extra)
{
    FILE *f = fopen(repomd, "rb");
    if (!f)
        return NULL;
    Chksum *c = solv_chksum_create(REPOKEY_TYPE_SHA256);
    unsigned char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        solv_chksum_add(c, buf, (int)n);
    fclose(f);
    int len;
    const unsigned char *d = solv_chksum_get(c, &len);
    char *cookie = xasprintf("%s %s %s %s\n", SOLV_FORMAT, dl_chk_hex(REPOKEY_TYPE_SHA256, d),
                             extra, solv_version);
    solv_chksum_free(c, NULL);
    return cookie;
}

static int solv_load(struct pkg_repo *r, const char *name, int flags)
{
    char *path = path_join(r->dir, name);
    FILE *f = fopen(path, "rb");
    free(path);
    if (!f)
        return -1;
    char line[512];
    int rc = -1;
    if (fgets(line, sizeof line, f) && !strcmp(line, r->cookie) &&
        repo_add_solv(r->repo, f, flags) == 0)
        rc = 0;
    fclose(f);
    return rc;
}

static void solv_save(struct pkg_repo *r, const char *name, int from, int to)
{
    char *path = path_join(r->dir, name);
    char *tmp = xasprintf("%s.%d.tmp", path, (int)getpid());
    FILE *f = fopen(tmp, "wb");
    bool ok = false;
    if (f && fputs(r->cookie, f) >= 0) {
        Repowriter *w = repowriter_create(r->repo);
        repowriter_set_repodatarange(w, from, to);
        if (from > 1)
            repowriter_set_flags(w, REPOWRITER_NO_STORAGE_SOLVABLE);
        ok = repowriter_write(w, f) == 0;
        repowriter_free(w);
    }
    if (f && fclose(f) != 0)
        ok = false;
    if (ok && rename(tmp, path) == 0)
        log_debug("repo %s: wrote %s", r->name, path);
    else
        unlink(tmp);
    free(tmp);
    free(path);
}

static int repo_load(struct pkg_engine *e, struct pkg_repo *r)
{
    Repo *md = NULL;
    char *mddir = path_join(r->dir, "repodata");
    char *repomd = path_join(mddir, "repomd.xml");
    char *urlfile = path_join(r->dir, "baseurl");
    int ret = -1;
    if (mkdir_p(mddir, 0755) < 0) {
        log_fail("cannot create %s: %s", mddir, strerror(errno));
        goto out;
    }
    if (!e->cacheonly) {
        char err[512] = "no URL";
        if (r->mirrorlist) {
            char *ml = path_join(r->dir, "mirrorlist");
            char *text = NULL;
            if (dl_file(r->mirrorlist, ml, 0, NULL, &r->dl, err, sizeof err) == 0 &&
                read_file(ml, &text, NULL) == 0)
                parse_mirrors(r, text);
            else
                log_warn("repo %s: cannot download mirror list %s: %s", r->name, r->mirrorlist, err);
            free(text);
            free(ml);
        }
        for (size_t i = 0; i < r->urls.n && !r->baseurl; i++) {
            if (cleanup_interrupted()) {
                log_fail("Interrupted");
                goto out;
            }
            char *u = xasprintf("%s/repodata/repomd.xml", r->urls.v[i]);
            log_verbose("repo %s: fetching %s", r->name, u);
            if (dl_file(u, repomd, 0, NULL, &r->dl, err, sizeof err) == 0)
                r->baseurl = xstrdup(r->urls.v[i]);
            else
                log_verbose("repo %s: %s: %s", r->name, u, err);
            free(u);
        }
        if (!r->baseurl) {
            log_fail("Cannot download repomd.xml for repository %s from %s: %s", r->name,
                     r->urls.n ? r->urls.v[0] : r->mirrorlist ? r->mirrorlist : "(none)", err);
            goto out;
        }
        char *line = xasprintf("%s\n", r->baseurl);
        write_file(urlfile, line, 0644);
        free(line);
    } else {
        if (!path_exists(repomd)) {
            log_fail("repo %s: no cached metadata in %s (cacheonly)", r->name, r->dir);
            goto out;
        }
        char *text = NULL;
        if (read_file(urlfile, &text, NULL) == 0) {
            text[strcspn(text, "\r\n")] = 0;
            r->baseurl = text;
        } else {
            r->baseurl = xstrdup(r->urls.n ? r->urls.v[0] : "");
        }
    }

    if (r->metalink_sha256 && !e->cacheonly) {
        /* metalink: the repomd.xml we got must have the published hash */
        unsigned char want[32];
        const char *h = r->metalink_sha256;
        for (int i = 0; i < 32; i++)
            sscanf(h + 2 * i, "%2hhx", &want[i]);
        if (!dl_verify(repomd, REPOKEY_TYPE_SHA256, want)) {
            log_fail("repo %s: repomd.xml from %s does not match the metalink's sha256 %s",
                     r->name, r->baseurl, h);
            goto out;
        }
    }
    r->repo = repo_create(e->pool, r->name);
    r->repo->appdata = r;
    r->repo->priority = -r->priority;   /* as libdnf: lower priority= wins */
    r->repo->subpriority = -r->cost;
    /* repomd.xml goes into a scratch repo: r->repo holds only packages and
     * comps, so it can be written to the .solv cache as it is */
    md = repo_create(e->pool, "repomd");
    FILE *fp = fopen(repomd, "r");
    if (!fp) {
        log_fail("repo %s: cannot open %s: %s", r->name, repomd, strerror(errno));
        goto out;
    }
    int rc = repo_add_repomdxml(md, fp, 0);
    fclose(fp);
    if (rc) {
        log_fail("repo %s: invalid repomd.xml: %s", r->name, pool_errstr(e->pool));
        goto out;
    }
    Id t;
    const unsigned char *c;
    const char *loc = repomd_find(md, "primary", &t, &c);
    if (!loc) {
        log_fail("repo %s: repomd.xml lists no primary metadata", r->name);
        goto out;
    }
    strv_t keep = { 0 };
    strv_push(&keep, loc);
    char *primary = xstrdup(loc);
    unsigned char pchk[64];
    Id ptype = t;
    if (c)
        memcpy(pchk, c, (size_t)solv_chksum_len(t));
    char *group = NULL;
    unsigned char gchk[64];
    Id gtype = 0;
    if (!r->ignoregroups) {
        loc = repomd_find(md, "group_gz", &t, &c);
        if (!loc)
            loc = repomd_find(md, "group", &t, &c);
        if (loc) {
            group = xstrdup(loc);
            gtype = t;
            if (c)
                memcpy(gchk, c, (size_t)solv_chksum_len(t));
            strv_push(&keep, loc);
        }
    }
    loc = repomd_find(md, "filelists", &t, &c);
    if (loc) {
        r->filelists = xstrdup(loc);
        r->filelists_chktype = c ? t : 0;
        if (c)
            memcpy(r->filelists_chk, c, (size_t)solv_chksum_len(t));
        strv_push(&keep, loc);
    }
    if (!e->cacheonly)
        prune_md(r, &keep);
    strv_free(&keep);
    repo_free(md, 1);
    md = NULL;

    /* the .solv cache: valid for this exact repomd.xml */
    free(r->cookie);
    r->cookie = solv_cookie(repomd, r->ignoregroups ? "nogroups" : "groups");
    if (r->cookie && solv_load(r, "primary.solv", 0) == 0) {
        free(primary);
        free(group);
        log_verbose("repo %s: %d packages from the .solv cache", r->name, r->repo->nsolvables);
        ret = 0;
        goto out;
    }
    char *path = fetch_md(e, r, primary, ptype, ptype ? pchk : NULL);
    rc = path ? add_md(e, r, path, "primary", 0) : -1;
    free(path);
    if (rc == 0 && group) {
        path = fetch_md(e, r, group, gtype, gtype ? gchk : NULL);
        rc = path ? add_md(e, r, path, "group", 0) : -1;
        free(path);
    }
    free(primary);
    free(group);
    if (rc < 0)
        goto out;
    repo_internalize(r->repo);
    if (r->cookie)
        solv_save(r, "primary.solv", 0, r->repo->nrepodata);
    log_verbose("repo %s: %d packages from %s", r->name, r->repo->nsolvables, r->baseurl);
    ret = 0;
out:
    if (md)
        repo_free(md, 1);
    free(mddir);
    free(repomd);
    free(urlfile);
    return ret;
}

int pkg_load(struct pkg_engine *e)
{
    if (e->loaded)
        return 0;
    if (!e->n_repos)
        return log_fail("No repositories: add a repo or url command");
    for (size_t i = 0; i < e->n_repos; i++) {
        int lk = pkg__lock(e->repos[i]->dir, e->repos[i]->name);
        int rc = lk < 0 ? -1 : repo_load(e, e->repos[i]);
        pkg__unlock(lk);
        if (rc < 0)
            return -1;
    }
    pool_addfileprovides(e->pool);
    pool_createwhatprovides(e->pool);
    e->loaded = true;
    return 0;
}

bool pkg__has_filelists(struct pkg_engine *e)
{
    for (size_t i = 0; i < e->n_repos; i++)
        if (e->repos[i]->filelists && !e->repos[i]->filelists_loaded)
            return false;
    return true;
}

int pkg__load_filelists(struct pkg_engine *e)
{
    bool changed = false;
    for (size_t i = 0; i < e->n_repos; i++) {
        struct pkg_repo *r = e->repos[i];
        if (!r->repo || !r->filelists || r->filelists_loaded)
            continue;
        int lk = pkg__lock(r->dir, r->name);
        if (lk < 0)
            return -1;
        if (r->cookie && solv_load(r, "filelists.solvx", REPO_EXTEND_SOLVABLES | REPO_LOCALPOOL) == 0) {
            pkg__unlock(lk);
            r->filelists_loaded = true;
            changed = true;
            log_verbose("repo %s: file lists from the .solv cache", r->name);
            continue;
        }
        char *path = fetch_md(e, r, r->filelists, r->filelists_chktype,
                              r->filelists_chktype ? r->filelists_chk : NULL);
        int first = r->repo->nrepodata;
        int rc = path ? add_md(e, r, path, "filelists", REPO_EXTEND_SOLVABLES | REPO_LOCALPOOL) : -1;
        free(path);
        if (rc < 0) {
            pkg__unlock(lk);
            return -1;
        }
        repo_internalize(r->repo);
        if (r->cookie)
            solv_save(r, "filelists.solvx", first, r->repo->nrepodata);
        pkg__unlock(lk);
        r->filelists_loaded = true;
        changed = true;
        log_verbose("repo %s: loaded file lists", r->name);
    }
    if (changed) {
        pool_addfileprovides(e->pool);
        pool_createwhatprovides(e->pool);
    }
    return 0;
}

/* The gpgkey= files of repositories with gpgcheck=1 (all of them at
 * --pkgverify-level signature/all) into cachedir/keys/, for pkg_install. */
static int fetch_keys(struct pkg_engine *e)
{
    strv_free(&e->keyfiles);
    for (size_t i = 0; i < e->n_repos; i++) {
        struct pkg_repo *r = e->repos[i];
        if (!r->gpgcheck && e->verify_level < 2)
            continue;
        if (r->gpgcheck && !r->gpgkeys.n)
            log_warn("repo %s: gpgcheck=1 but no gpgkey", r->name);
        for (size_t k = 0; k < r->gpgkeys.n; k++) {
            char *name = xasprintf("keys/%s-%zu.asc", r->id, k);
            char *dest = path_join(e->cachedir, name);
            free(name);
            char err[512];
            if (strv_contains(&e->keyfiles, dest)) {
                free(dest);
                continue;
            }
            if (!(e->cacheonly && path_exists(dest)) &&
                dl_file(r->gpgkeys.v[k], dest, 0, NULL, &r->dl, err, sizeof err) < 0) {
                if (!path_exists(dest) || !e->cacheonly) {
                    log_fail("repo %s: cannot download the GPG key %s: %s", r->name,
                             r->gpgkeys.v[k], err);
                    free(dest);
                    return -1;
                }
            }
            strv_push_take(&e->keyfiles, dest);
        }
    }
    return 0;
}

/* cachedir/packages/.verified: "FILE SIZE MTIME_NS CHECKSUM" of packages
 * whose checksum was verified, so a warm cache is not hashed again on every
 * build (500 MB of sha256 is a second); any change of size or mtime means
 * hashing again.  Read and written under the packages lock. */
static char *verified_key(const char *path, int type, const unsigned char *chk)
{
    struct stat st;
    if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
        return NULL;
    const char *bn = strrchr(path, '/');
    return xasprintf("%s %lld %lld%09ld %s", bn ? bn + 1 : path, (long long)st.st_size,
                     (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec, type && chk ? dl_chk_hex(type, chk) : "-");
}

static bool cached_ok(strv_t *index, bool *dirty, const char *path, int type,
                      const unsigned char *chk)
{
    char *key = verified_key(path, type, chk);
    if (!key)
        return false;
    if (strv_contains(index, key)) {
        free(key);
        return true;
    }
    if (!dl_verify(path, type, chk)) {
        free(key);
        return false;
    }
    strv_push_take(index, key);
    *dirty = true;
    return true;
}

/* A package of a local (file://) repository: a hard link into the cache
 * instead of a copy when both are on one file system (dnf reads local
 * packages in place; Koji still finds every package under the cache). */
static bool link_local(const char *url, const char *dest)
{
    if (strncmp(url, "file://", 7) != 0)
        return false;
    unlink(dest);
    return link(url + 7, dest) == 0;
}

int pkg_download(struct pkg_engine *e)
{
    Pool *pool = e->pool;
    if (fetch_keys(e) < 0)
        return -1;
    char *pkgdir = path_join(e->cachedir, "packages");
    if (mkdir_p(pkgdir, 0755) < 0) {
        log_fail("cannot create %s: %s", pkgdir, strerror(errno));
        free(pkgdir);
        return -1;
    }
    /* one build at a time downloads into a shared cache; the other waits
     * and then finds the packages there, verified */
    int lk = pkg__lock(pkgdir, "packages");
    if (lk < 0) {
        free(pkgdir);
        return -1;
    }
    strv_t index = { 0 };
    bool dirty = false;
    char *idxpath = path_join(pkgdir, ".verified");
    {
        char *text = NULL;
        if (read_file(idxpath, &text, NULL) == 0) {
            char *save = NULL;
            for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
                strv_push(&index, l);
            free(text);
        }
    }
    size_t n = (size_t)e->result.count;
    strv_free(&e->paths);
    struct dl_item *items = xcalloc(n ? n : 1, sizeof *items);
    size_t *idxs = xcalloc(n ? n : 1, sizeof *idxs);
    unsigned char (*chks)[64] = xcalloc(n ? n : 1, sizeof *chks);
    size_t k = 0;
    int ret = 0;
    for (size_t i = 0; i < n; i++) {
        Solvable *s = pool_id2solvable(pool, e->result.elements[i]);
        struct pkg_repo *r = s->repo->appdata;
        unsigned int medianr;
        const char *loc = solvable_get_location(s, &medianr);
        char *location = xstrdup(loc ? loc : "");
        const char *base = solvable_lookup_str(s, SOLVABLE_MEDIABASE);
        char *url = xasprintf("%s/%s", base ? base : r->baseurl, location);
        const char *bn = strrchr(location, '/');
        char *dest = path_join(pkgdir, bn ? bn + 1 : location);
        free(location);
        Id type = 0;
        const unsigned char *chk = solvable_lookup_bin_checksum(s, SOLVABLE_CHECKSUM, &type);
        strv_push(&e->paths, dest);
        if (cached_ok(&index, &dirty, dest, type, chk)) {
            log_debug("%s: in cache", dest);
            free(url);
            free(dest);
            continue;
        }
        if (!e->cacheonly && link_local(url, dest) && cached_ok(&index, &dirty, dest, type, chk)) {
            log_debug("%s: linked from the local repository", dest);
            free(url);
            free(dest);
            continue;
        }
        if (e->cacheonly) {
            log_error("%s is not in the cache (cacheonly)", dest);
            ret = -1;
            free(url);
            free(dest);
            continue;
        }
        if (chk)
            memcpy(chks[k], chk, (size_t)solv_chksum_len(type));
        items[k].url = url;
        items[k].dest = dest;
        items[k].chk_type = chk ? type : 0;
        items[k].chk = chk ? chks[k] : NULL;
        items[k].opts = &r->dl;
        idxs[k] = i; /* index of the package, for messages */
        k++;
    }
    if (ret < 0) {
        log_fail("Packages are missing from the cache %s (cacheonly)", pkgdir);
    } else if (k) {
        log_info("Downloading %zu packages (%zu in cache)", k, n - k);
        double t0 = now_seconds();
        /* round 1 from the mirror repomd.xml came from; failed packages are
         * then tried on each other mirror of their repository in turn */
        char **tried = xcalloc(k, sizeof *tried);
        size_t *next_mirror = xcalloc(k, sizeof *next_mirror);
        struct dl_item *round = xcalloc(k, sizeof *round);
        size_t *map = xcalloc(k, sizeof *map);
        for (size_t j = 0; j < k; j++)
            tried[j] = xstrdup(items[j].url);
        size_t pending = k;
        for (size_t j = 0; j < k; j++)
            map[j] = j;
        while (pending) {
            for (size_t j = 0; j < pending; j++)
                round[j] = items[map[j]];
            dl_many(round, pending, e->parallel, "Downloading");
            size_t again = 0;
            for (size_t j = 0; j < pending; j++) {
                size_t it = map[j];
                items[it].result = round[j].result;
                memcpy(items[it].err, round[j].err, sizeof items[it].err);
                if (items[it].result == 0 || cleanup_interrupted())
                    continue;
                Solvable *s = pool_id2solvable(pool, e->result.elements[idxs[it]]);
                struct pkg_repo *r = s->repo->appdata;
                if (solvable_lookup_str(s, SOLVABLE_MEDIABASE))
                    continue;
                const char *mirror = NULL;
                while (next_mirror[it] < r->urls.n && !mirror) {
                    const char *u = r->urls.v[next_mirror[it]++];
                    if (strcmp(u, r->baseurl))
                        mirror = u;
                }
                if (!mirror)
                    continue;
                unsigned int medianr;
                const char *loc = solvable_get_location(s, &medianr);
                char *url = xasprintf("%s/%s", mirror, loc ? loc : "");
                log_verbose("%s: %s; trying %s", e->nevras.v[idxs[it]], items[it].err, url);
                free((char *)items[it].url);
                items[it].url = url;
                char *t = xasprintf("%s, %s", tried[it], url);
                free(tried[it]);
                tried[it] = t;
                map[again++] = it;
            }
            pending = again;
        }
        size_t cap = 256, len = 0;
        char *msg = xmalloc(cap);
        msg[0] = 0;
        for (size_t j = 0; j < k; j++) {
            if (items[j].result == 0)
                continue;
            size_t idx = idxs[j];
            char *line = xasprintf("%sFailed to download %s from %s: %s", len ? "\n" : "",
                                   e->nevras.v[idx], tried[j], items[j].err);
            size_t ll = strlen(line);
            if (len + ll + 1 > cap) {
                cap = (len + ll + 1) * 2;
                msg = xrealloc(msg, cap);
            }
            memcpy(msg + len, line, ll + 1);
            len += ll;
            free(line);
        }
        if (cleanup_interrupted()) {
            log_fail("Interrupted while downloading packages");
            ret = -1;
        } else if (len) {
            log_progress_end();
            log_fail("%s", msg);
            ret = -1;
        } else {
            log_verbose("Downloaded %zu packages in %.1fs", k, now_seconds() - t0);
        }
        for (size_t j = 0; j < k; j++) {
            char *key = items[j].result == 0 ? verified_key(items[j].dest, items[j].chk_type, items[j].chk) : NULL;
            if (key) {
                strv_push_take(&index, key);
                dirty = true;
            }
        }
        free(msg);
        for (size_t j = 0; j < k; j++)
            free(tried[j]);
        free(tried);
        free(next_mirror);
        free(round);
        free(map);
    }
    if (dirty) {
        /* keep only entries of files still present */
        size_t cap = 4096, len = 0;
        char *out = xmalloc(cap);
        out[0] = 0;
        for (size_t j = 0; j < index.n; j++) {
            char *sp = strchr(index.v[j], ' ');
            if (!sp)
                continue;
            char *f = xasprintf("%s/%.*s", pkgdir, (int)(sp - index.v[j]), index.v[j]);
            bool keep = path_exists(f);
            free(f);
            if (!keep)
                continue;
            size_t l = strlen(index.v[j]);
            if (len + l + 2 > cap)
                out = xrealloc(out, cap = (len + l + 2) * 2);
            memcpy(out + len, index.v[j], l);
            len += l;
            out[len++] = '\n';
            out[len] = 0;
        }
        char *tmpf = xasprintf("%s.%d", idxpath, (int)getpid());
        if (write_file(tmpf, out, 0644) == 0)
            rename(tmpf, idxpath);
        else
            unlink(tmpf);
        free(tmpf);
        free(out);
    }
    strv_free(&index);
    free(idxpath);
    pkg__unlock(lk);
    for (size_t j = 0; j < k; j++) {
        free((char *)items[j].url);
        free((char *)items[j].dest);
    }
    free(items);
    free(idxs);
    free(chks);
    free(pkgdir);
    e->downloaded = ret == 0;
    return ret;
}
