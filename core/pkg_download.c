/* pkg_download.c - the resolved packages into cachedir/packages/: the
 * repositories' gpgkey files, cached packages reused when their checksum
 * matches (remembered in packages/.verified), local repositories hard-linked,
 * the rest downloaded in parallel with mirror failover.  See pkg.h.
 */
#define _GNU_SOURCE
#define KSC_PKG_INTERNAL
#include "core/pkg.h"
#include "core/base/strv.h"
#include "core/base/strbuf.h"
#include "core/base/cleanup.h"
#include "core/base/log.h"
#include "core/base/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <solv/chksum.h>
#include <solv/knownid.h>
#include <solv/pool.h>
#include <solv/repo.h>

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
        struct strbuf msg = { 0 };
        for (size_t j = 0; j < k; j++)
            if (items[j].result != 0)
                strbuf_printf(&msg, "%sFailed to download %s from %s: %s", msg.n ? "\n" : "",
                              e->nevras.v[idxs[j]], tried[j], items[j].err);
        if (cleanup_interrupted()) {
            log_fail("Interrupted while downloading packages");
            ret = -1;
        } else if (msg.n) {
            log_progress_end();
            log_fail("%s", strbuf_str(&msg));
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
        strbuf_free(&msg);
        for (size_t j = 0; j < k; j++)
            free(tried[j]);
        free(tried);
        free(next_mirror);
        free(round);
        free(map);
    }
    if (dirty) {
        /* keep only entries of files still present */
        struct strbuf out = { 0 };
        for (size_t j = 0; j < index.n; j++) {
            char *sp = strchr(index.v[j], ' ');
            if (!sp)
                continue;
            char *f = xasprintf("%s/%.*s", pkgdir, (int)(sp - index.v[j]), index.v[j]);
            bool keep = path_exists(f);
            free(f);
            if (!keep)
                continue;
            strbuf_printf(&out, "%s\n", index.v[j]);
        }
        char *tmpf = xasprintf("%s.%d", idxpath, (int)getpid());
        if (write_file(tmpf, strbuf_str(&out), 0644) == 0)
            rename(tmpf, idxpath);
        else
            unlink(tmpf);
        free(tmpf);
        strbuf_free(&out);
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
