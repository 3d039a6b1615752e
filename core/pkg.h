/* pkg.h - the package engine: rpm-md repositories, dependency resolution
 * (libsolv), downloads (libcurl) and installation into a root (librpm).
 *
 * Contract:
 *  - Call order: pkg_engine_new, pkg_add_repo/pkg_add_url/pkg_add_repofile
 *    (any number), pkg_load (pkg_load_installed before or after it, if at
 *    all), pkg_resolve, pkg_download, pkg_install, pkg_engine_free.  Every
 *    int function returns 0, or -1 after log_fail() with the reason, in
 *    dnf 4.14's words where dnf has some: "No match for argument: foo" /
 *    "Module or Group 'g' is not available." then "Unable to find a match:
 *    foo @g" naming all of them; unsolvable problems as " Problem: ..."
 *    with libsolv's rule texts one per line ("package X is filtered out by
 *    exclude filtering" for exclusions);
 *    "Failed to download NEVRA from URL[, MIRROR URL...]: why"; rpm's
 *    problem strings.
 *  - Repositories: baseurl http://, https://, ftp://, file:// or an absolute
 *    path; $releasever, $basearch and $arch are substituted; a mirrorlist
 *    (plain list) or metalink gives candidate mirrors: repomd.xml comes from
 *    the first that works (a metalink's published sha256 of repomd.xml is
 *    checked), a package that fails on it is tried on each other mirror.
 *    Metadata is cached under cachedir/<name>-<hash of url>/ (checksums
 *    from repomd.xml verified) with libsolv .solv caches (primary.solv,
 *    filelists.solvx) valid for that exact repomd.xml; cacheonly uses the
 *    cache and never the network.
 *  - File lists are loaded only when they can change the answer: a
 *    request naming a path, or a considered package requiring a file that
 *    primary.xml does not list and that the solver could reach (or a failed
 *    solve while such packages exist); then resolution runs again.
 *  - Resolution follows dnf (see pkg_solve.c, checked against dnf itself by
 *    tests/integration/80-pkg-oracle.sh): excludes make packages invisible,
 *    groups give mandatory+default+conditional members (+optional with
 *    --optional, mandatory+conditional with --nodefaults), environments
 *    their mandatory groups, @core unless nocore (warning if there is
 *    none), obsoleters of a plain name, multilib "best" or "all"
 *    (--multilib), installonly kernels, best=1, repo priority then cost,
 *    weak deps unless exclude_weakdeps.
 *  - Downloads go to cachedir/packages/ with the original file names; files
 *    already there are reused when their checksum matches (verified once,
 *    remembered by size+mtime in packages/.verified).  Cut-short downloads
 *    are resumed.  Two builds may share cachedir: repository metadata and
 *    the package directory are locked (flock) while written; the second
 *    build waits.
 *  - An already populated root (livecd-creator --base-on): pkg_load_installed
 *    reads its rpmdb as the installed set, and resolution is then dnf's
 *    `dnf --installroot ROOT install ...`: installed packages stay and are
 *    not in the result; a named package with a better version available is
 *    upgraded (best=1, SOLVER_FORCEBEST: as dnf install); installed packages
 *    are never excluded nor erased.  A result entry replacing installed
 *    packages (upgrade, downgrade, obsoletes) goes to rpm as an upgrade, so
 *    rpm removes what it replaces; installonly kernels are added beside.
 *  - pkg_install installs the resolved set into root with its rpmdb at
 *    /usr/lib/sysimage/rpm (sqlite).  It is fork-safe: call it in a
 *    run_fork() child.  Scriptlet output goes to the log file.  At
 *    pkgverify level signature/all (and for repositories with gpgcheck=1
 *    at any level but none) the gpgkey files are imported into the target
 *    rpmdb first and packages must carry a signature by one of them.
 *  - Kickstart `repo --install`: pkg_install also writes the repository as
 *    ROOT/etc/yum.repos.d/NAME.repo (as anaconda does).
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
    /* livecd-creator --pkgverify-level: "none", "digest" (NULL: the
     * default), "signature" or "all" (rpm's %_pkgverify_level).  With
     * signature/all, the gpgkey files of the repositories (.repo files) are
     * imported into the target rpmdb before the transaction and packages
     * must be signed by one of them. */
    const char *pkgverify_level;
};

/* 0 none, 1 digest, 2 signature, 3 all; -1 for an unknown word. */
int  pkg_verify_level_parse(const char *s);

struct pkg_engine;

/* NULL after log_fail() when o->cachedir is missing (pkg_cachedir gives it). */
struct pkg_engine *pkg_engine_new(const struct pkg_engine_opts *o);
/* The one cache default: GIVEN (--cache, kept and reused between builds),
 * else WORKDIR/cache (a build's own, removed with its work directory).
 * The directory is created; malloc'd path, or NULL after log_fail(). */
char *pkg_cachedir(const char *given, const char *workdir);
int  pkg_add_repo(struct pkg_engine *e, const struct ks_repo *r);
/* The kickstart `url` command: a repository named "anaconda". */
int  pkg_add_url(struct pkg_engine *e, const struct ks_url *u);
/* livecd-creator --repo FILE|DIR: a dnf .repo file, or every *.repo file of a
 * directory (sorted).  Each enabled section is a repository named by its id
 * (name=, baseurl=, mirrorlist=, metalink=, gpgcheck=, gpgkey=, priority=,
 * cost=, excludepkgs=/exclude=, includepkgs=, sslverify=, sslcacert=,
 * sslclientcert=, sslclientkey=, proxy=, proxy_username=, proxy_password=,
 * username=, password=, enabled=); $releasever, $basearch
 * and $arch are substituted.  Errors name FILE:LINE. */
int  pkg_add_repofile(struct pkg_engine *e, const char *path);
int  pkg_load(struct pkg_engine *e);
/* The installed set: ROOT's rpmdb (ROOT/usr/lib/sysimage/rpm, sqlite) into
 * @System, once; no rpmdb there = nothing to do (0).  Before pkg_resolve. */
int  pkg_load_installed(struct pkg_engine *e, const char *root);
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
#include "core/base/download.h"
#include "core/base/strv.h"
#include "core/base/util.h"

struct pkg_repo {
    char *name, *id;              /* id: name-<hash of url>, the cache dir name */
    strv_t urls;                  /* candidate base URLs (baseurl or mirrorlist) */
    char *baseurl;                /* the one that worked */
    char *mirrorlist;
    char *dir;                    /* cachedir/id */
    struct dl_opts dl;
    char *proxy, *sslcacert, *sslclientcert, *sslclientkey;
    char *userpwd, *proxyuserpwd; /* .repo username/password, proxy_username/proxy_password */
    int cost, priority;           /* dnf: cost 1000, priority 99 */
    bool gpgcheck;
    strv_t gpgkeys;               /* URLs of gpgkey= */
    strv_t excludepkgs, includepkgs;
    bool ignoregroups;
    Repo *repo;
    char *filelists;              /* location, NULL if none */
    int filelists_chktype;
    unsigned char filelists_chk[64];
    bool filelists_loaded;
    char *cookie;                 /* .solv cache validity line (pkg_repo.c) */
    char *repo_conf;              /* kickstart repo --install: the .repo text for the target */
    char *metalink_sha256;        /* repomd.xml hash published by the metalink */
};

struct pkg_engine {
    char *cachedir, *arch, *releasever;
    bool cacheonly;
    int parallel;
    int verify_level;             /* pkg_verify_level_parse() */
    Pool *pool;
    struct pkg_repo **repos;
    size_t n_repos;
    bool loaded;
    Map considered;
    bool have_considered;
    Queue result;                 /* solvable ids to install, NEVRA order */
    Queue replaces;               /* parallel to result: 1 = replaces installed packages
                                   * (rpm upgrade), 0 = plain install */
    bool installed_loaded;        /* pkg_load_installed ran */
    strv_t keyfiles;              /* local copies of the gpgkey files (pkg_download) */
    strv_t nevras, paths;
    bool downloaded;
};

/* pkg_engine.c */
struct pkg_repo *pkg__repo_new(struct pkg_engine *e, const char *name, const char *baseurl,
                               const char *mirrorlist, const char *metalink);
char *pkg__subst_vars(struct pkg_engine *e, const char *s);
char *pkg__strip_slash(char *url);                 /* in place, returns url */
void pkg__clear_result(struct pkg_engine *e);
/* pkg_repo.c */
int  pkg__load_filelists(struct pkg_engine *e);   /* idempotent; redoes whatprovides */
bool pkg__has_filelists(struct pkg_engine *e);
/* pkg_lock.c: exclusive flock on DIR/.lock (waits, saying so); fd or -1 */
int  pkg__lock(const char *dir, const char *what);
void pkg__unlock(int fd);
#endif

#endif
