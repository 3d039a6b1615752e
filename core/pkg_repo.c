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
#include "core/pkg.h"
#include "core/base/strv.h"
#include "core/base/cleanup.h"
#include "core/base/escape.h"
#include "core/base/log.h"
#include "core/base/strbuf.h"
#include "core/base/util.h"
#include "kickstart/ks.h"

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

/* What anaconda writes for repo --install: the kickstart's values, $variables
 * left for dnf on the installed system.  NULL (logged) when a value cannot be
 * written into an INI file. */
static char *repo_conf_text(const struct ks_repo *kr)
{
    const struct { const char *key, *val; } kv[] = {
        { "name", kr->name },           { "baseurl", kr->baseurl },
        { "mirrorlist", kr->mirrorlist }, { "metalink", kr->metalink },
        { "proxy", kr->proxy },         { "sslcacert", kr->sslcacert },
        { "sslclientcert", kr->sslclientcert }, { "sslclientkey", kr->sslclientkey },
    };
    struct strbuf t = { 0 };
    strbuf_printf(&t, "[%s]\n", kr->name);
    for (size_t i = 0; i < sizeof kv / sizeof kv[0]; i++) {
        if (!kv[i].val)
            continue;
        if (!esc_value_ok(kv[i].val)) {
            strbuf_free(&t);
            log_fail("%s:%d: repo --%s of %s holds a control character", kr->loc.file ? kr->loc.file : "kickstart",
                     kr->loc.line, kv[i].key, kr->name);
            return NULL;
        }
        strbuf_printf(&t, "%s=%s\n", kv[i].key, kv[i].val);
        if (i == 0)
            strbuf_add(&t, "enabled=1\n");
    }
    if (kr->noverifyssl)
        strbuf_add(&t, "sslverify=0\n");
    if (kr->cost >= 0)
        strbuf_printf(&t, "cost=%d\n", kr->cost);
    for (int k = 0; k < 2; k++) {
        const strv_t *l = k ? &kr->excludepkgs : &kr->includepkgs;
        for (size_t i = 0; i < l->n; i++) {
            if (!esc_value_ok(l->v[i]) || strchr(l->v[i], ',')) {
                strbuf_free(&t);
                log_fail("%s:%d: repo %s: package pattern '%s' cannot be written", kr->loc.file ? kr->loc.file : "kickstart",
                         kr->loc.line, kr->name, l->v[i]);
                return NULL;
            }
            strbuf_printf(&t, "%s%s", i ? "," : k ? "excludepkgs=" : "includepkgs=", l->v[i]);
        }
        if (l->n)
            strbuf_add(&t, "\n");
    }
    return strbuf_take(&t);
}

/* A repository name becomes a cache directory and, with --install, a file
 * name in the image: one path component of printable characters. */
static bool repo_name_ok(const char *n)
{
    return *n && *n != '.' && !strchr(n, '/') && esc_value_ok(n) && !strpbrk(n, "[] ");
}

int pkg_add_repo(struct pkg_engine *e, const struct ks_repo *kr)
{
    if (!kr->name || !*kr->name)
        return log_fail("repo: a repository needs a name");
    if (!repo_name_ok(kr->name))
        return log_fail("%s:%d: repo --name='%s': not usable as a repository id (no '/', spaces, brackets or "
                        "leading '.')", kr->loc.file ? kr->loc.file : "kickstart", kr->loc.line, kr->name);
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
    if (kr->install && !(r->repo_conf = repo_conf_text(kr)))
        return -1;
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
        char *u = pkg__strip_slash(dl_normalize_url(l));
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
