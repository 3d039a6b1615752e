/* pkg.h - the package engine: rpm-md repositories, dependency resolution
 * (libsolv), downloads (libcurl) and installation into a root (librpm).
 *
 * Contract:
 *  - Call order: pkg_engine_new, pkg_add_repo/pkg_add_url (any number),
 *    pkg_load, pkg_resolve, pkg_download, pkg_install, pkg_engine_free.
 *    Every int function returns 0, or -1 after log_fail() with the reason
 *    ("No match for package: foo" naming every missing package and group,
 *    libsolv's problem texts one per line, "Failed to download NEVRA from
 *    URL: why", rpm problem strings...).
 *  - Repositories: baseurl http://, https://, file:// or an absolute path;
 *    $releasever and $basearch are substituted; a mirrorlist (plain list of
 *    URLs) is tried URL by URL.  Metadata is cached under
 *    cachedir/<name>-<hash of url>/ and checksums from repomd.xml are
 *    verified; cacheonly uses the cache and never the network.
 *    Filelists are loaded only when resolution needs them (a request naming
 *    a path, or a failed solve while some file dependency is unresolved).
 *  - Resolution follows dnf: excludes (%packages "-name", repo
 *    excludepkgs/includepkgs) make packages invisible, groups are expanded
 *    to their mandatory+default (+optional with --optional, only mandatory
 *    with --nodefaults) packages, @core is added unless nocore (warning if
 *    there is none), best version, weak deps unless exclude_weakdeps.
 *  - Downloads go to cachedir/packages/ with the original file names; files
 *    already there with a matching checksum are reused.
 *  - pkg_install installs the resolved set into root with its rpmdb at
 *    /usr/lib/sysimage/rpm (sqlite).  It is fork-safe: call it in a
 *    run_fork() child.  Scriptlet output goes to the log file.
 *  - Ctrl-C (cleanup_interrupted()) aborts metadata/package downloads and
 *    the install between packages.
 */
#ifndef KSC_PKG_H
#define KSC_PKG_H

#include <stdbool.h>
#include <stddef.h>

struct ks_repo;
struct ks_url;
struct ks_packages;

struct pkg_engine_opts {
    const char *cachedir;     /* required */
    const char *arch;         /* NULL: x86_64 */
    const char *releasever;   /* NULL: no $releasever substitution */
    bool cacheonly;
    int parallel;             /* parallel downloads, <= 0: 4 */
};

struct pkg_engine;

struct pkg_engine *pkg_engine_new(const struct pkg_engine_opts *o);
int  pkg_add_repo(struct pkg_engine *e, const struct ks_repo *r);
/* The kickstart `url` command: a repository named "anaconda". */
int  pkg_add_url(struct pkg_engine *e, const struct ks_url *u);
int  pkg_load(struct pkg_engine *e);
int  pkg_resolve(struct pkg_engine *e, const struct ks_packages *req);
int  pkg_download(struct pkg_engine *e);
int  pkg_install(struct pkg_engine *e, const char *root, bool excludedocs,
                 const char *inst_langs);

/* The resolved set, sorted by NEVRA ("name-[epoch:]version-release.arch"). */
size_t      pkg_count(struct pkg_engine *e);
const char *pkg_nevra(struct pkg_engine *e, size_t i);
const char *pkg_path(struct pkg_engine *e, size_t i);  /* local file after pkg_download */

void pkg_engine_free(struct pkg_engine *e);

#ifdef KSC_PKG_INTERNAL
/* Shared by core/pkg_*.c only. */
#include <solv/pool.h>
#include <solv/repo.h>
#include "download.h"
#include "util.h"

struct pkg_repo {
    char *name, *id;              /* id: name-<hash of url>, the cache dir name */
    strv_t urls;                  /* candidate base URLs (baseurl or mirrorlist) */
    char *baseurl;                /* the one that worked */
    char *mirrorlist;
    char *dir;                    /* cachedir/id */
    struct dl_opts dl;
    char *proxy, *sslcacert, *sslclientcert, *sslclientkey;
    int cost;
    strv_t excludepkgs, includepkgs;
    bool ignoregroups;
    Repo *repo;
    char *filelists;              /* location, NULL if none */
    int filelists_chktype;
    unsigned char filelists_chk[64];
    bool filelists_loaded;
};

struct pkg_engine {
    char *cachedir, *arch, *releasever;
    bool cacheonly;
    int parallel;
    Pool *pool;
    struct pkg_repo **repos;
    size_t n_repos;
    bool loaded;
    Map considered;
    bool have_considered;
    Queue result;                 /* solvable ids to install, NEVRA order */
    strv_t nevras, paths;
    bool downloaded;
};

/* pkg_repo.c */
int  pkg__load_filelists(struct pkg_engine *e);   /* idempotent; redoes whatprovides */
bool pkg__has_filelists(struct pkg_engine *e);
/* pkg_solve.c */
void pkg__clear_result(struct pkg_engine *e);
#endif

#endif
