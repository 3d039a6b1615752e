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
#include <solv/solv_xfopen.h>

struct pkg_engine *pkg_engine_new(const struct pkg_engine_opts *o)
{
    struct pkg_engine *e = xcalloc(1, sizeof *e);
    e->cachedir = xstrdup(o && o->cachedir ? o->cachedir : "/var/cache/kscreate");
    e->arch = xstrdup(o && o->arch ? o->arch : "x86_64");
    e->releasever = o && o->releasever ? xstrdup(o->releasever) : NULL;
    e->cacheonly = o && o->cacheonly;
    e->parallel = o && o->parallel > 0 ? o->parallel : 4;
    e->pool = pool_create();
    pool_setdisttype(e->pool, DISTTYPE_RPM); /* Debian's libsolv defaults to deb */
    pool_setarch(e->pool, e->arch);
    pool_set_installed(e->pool, repo_create(e->pool, "@System"));
    queue_init(&e->result);
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
        strv_free(&r->excludepkgs);
        strv_free(&r->includepkgs);
        free(r->filelists);
        free(r);
    }
    free(e->repos);
    pkg__clear_result(e);
    queue_free(&e->result);
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
static char *subst_vars(struct pkg_engine *e, const char *s)
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

static struct pkg_repo *repo_new(struct pkg_engine *e, const char *name, const char *baseurl,
                                 const char *mirrorlist, const char *metalink)
{
    struct pkg_repo *r = xcalloc(1, sizeof *r);
    r->name = xstrdup(name);
    if (baseurl) {
        /* dnf accepts several space/comma separated base URLs */
        char *copy = xstrdup(baseurl), *save = NULL;
        for (char *t = strtok_r(copy, " ,\t", &save); t; t = strtok_r(NULL, " ,\t", &save)) {
            char *u = subst_vars(e, t);
            strv_push_take(&r->urls, strip_slash(dl_normalize_url(u)));
            free(u);
        }
        free(copy);
    }
    const char *ml = mirrorlist ? mirrorlist : metalink;
    if (ml)
        r->mirrorlist = subst_vars(e, ml);
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
    struct pkg_repo *r = repo_new(e, kr->name, kr->baseurl, kr->mirrorlist, kr->metalink);
    set_ssl(r, kr->proxy, kr->sslcacert, kr->sslclientcert, kr->sslclientkey, kr->noverifyssl);
    if (kr->cost >= 0)
        r->cost = kr->cost;
    for (size_t i = 0; i < kr->excludepkgs.n; i++)
        strv_push(&r->excludepkgs, kr->excludepkgs.v[i]);
    for (size_t i = 0; i < kr->includepkgs.n; i++)
        strv_push(&r->includepkgs, kr->includepkgs.v[i]);
    r->ignoregroups = kr->ignoregroups;
    return 0;
}

int pkg_add_url(struct pkg_engine *e, const struct ks_url *u)
{
    if (!u->url && !u->mirrorlist && !u->metalink)
        return log_fail("url: no --url, --mirrorlist or --metalink");
    struct pkg_repo *r = repo_new(e, "anaconda", u->url, u->mirrorlist, u->metalink);
    set_ssl(r, u->proxy, u->sslcacert, u->sslclientcert, u->sslclientkey, u->noverifyssl);
    return 0;
}

/* Candidate base URLs from a downloaded mirrorlist (one URL per line) or
 * metalink (<url>.../repodata/repomd.xml</url>). */
static void parse_mirrors(struct pkg_repo *r, const char *text)
{
    if (strstr(text, "<metalink")) {
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

static int repo_load(struct pkg_engine *e, struct pkg_repo *r)
{
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

    r->repo = repo_create(e->pool, r->name);
    r->repo->appdata = r;
    r->repo->subpriority = -r->cost;
    FILE *fp = fopen(repomd, "r");
    if (!fp) {
        log_fail("repo %s: cannot open %s: %s", r->name, repomd, strerror(errno));
        goto out;
    }
    int rc = repo_add_repomdxml(r->repo, fp, 0);
    fclose(fp);
    if (rc) {
        log_fail("repo %s: invalid repomd.xml: %s", r->name, pool_errstr(e->pool));
        goto out;
    }
    Id t;
    const unsigned char *c;
    const char *loc = repomd_find(r->repo, "primary", &t, &c);
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
        loc = repomd_find(r->repo, "group_gz", &t, &c);
        if (!loc)
            loc = repomd_find(r->repo, "group", &t, &c);
        if (loc) {
            group = xstrdup(loc);
            gtype = t;
            if (c)
                memcpy(gchk, c, (size_t)solv_chksum_len(t));
            strv_push(&keep, loc);
        }
    }
    loc = repomd_find(r->repo, "filelists", &t, &c);
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
    log_verbose("repo %s: %d packages from %s", r->name, r->repo->nsolvables, r->baseurl);
    ret = 0;
out:
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
    for (size_t i = 0; i < e->n_repos; i++)
        if (repo_load(e, e->repos[i]) < 0)
            return -1;
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
        char *path = fetch_md(e, r, r->filelists, r->filelists_chktype,
                              r->filelists_chktype ? r->filelists_chk : NULL);
        int rc = path ? add_md(e, r, path, "filelists", REPO_EXTEND_SOLVABLES) : -1;
        free(path);
        if (rc < 0)
            return -1;
        repo_internalize(r->repo);
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

int pkg_download(struct pkg_engine *e)
{
    Pool *pool = e->pool;
    char *pkgdir = path_join(e->cachedir, "packages");
    if (mkdir_p(pkgdir, 0755) < 0) {
        log_fail("cannot create %s: %s", pkgdir, strerror(errno));
        free(pkgdir);
        return -1;
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
        if (dl_verify(dest, type, chk)) {
            log_debug("%s: in cache", dest);
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
        if (dl_many(items, k, e->parallel, "Downloading") < 0) {
            size_t cap = 256, len = 0;
            char *msg = xmalloc(cap);
            msg[0] = 0;
            for (size_t j = 0; j < k; j++) {
                if (items[j].result == 0)
                    continue;
                size_t idx = idxs[j];
                char *line = xasprintf("%sFailed to download %s from %s: %s", len ? "\n" : "",
                                       e->nevras.v[idx], items[j].url, items[j].err);
                size_t ll = strlen(line);
                if (len + ll + 1 > cap) {
                    cap = (len + ll + 1) * 2;
                    msg = xrealloc(msg, cap);
                }
                memcpy(msg + len, line, ll + 1);
                len += ll;
                free(line);
            }
            if (cleanup_interrupted())
                log_fail("Interrupted while downloading packages");
            else
                log_fail("%s", msg);
            free(msg);
            ret = -1;
        } else {
            log_verbose("Downloaded %zu packages in %.1fs", k, now_seconds() - t0);
        }
    }
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
