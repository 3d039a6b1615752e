/* pkg_install.c - install the resolved packages into a root with librpm.
 * See pkg.h.
 *
 * The rpmdb goes to ROOT/usr/lib/sysimage/rpm (sqlite), which is where the
 * target's rpm looks for it.  Macros are pushed before the transaction set is
 * created and popped afterwards, so the function can be called again in the
 * same process.  Host rpm plugins (selinux, systemd_inhibit, dbus, syslog,
 * audit, ima, fsverity, fapolicyd) are disabled: they act on the build host.
 * Signatures are not checked yet (digests are); rpm chroots itself for
 * scriptlets and returns to the original root afterwards.
 *
 * pkg_load_installed reads ROOT's rpmdb into @System with libsolvext's
 * repo_add_rpmdb, which goes through librpm here (Debian builds it so): it
 * takes %_dbpath (prefixed with the pool's rootdir) and %_db_backend from
 * rpm's macros, so they are pushed as for the transaction and popped after.
 * An entry of the result that replaces installed packages (e->replaces) is
 * added as an upgrade, so rpm erases what it replaces.
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
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rpm/header.h>
#include <rpm/rpmlib.h>
#include <rpm/rpmlog.h>
#include <rpm/rpmmacro.h>
#include <rpm/rpmio.h>
#include <rpm/rpmpgp.h>
#include <rpm/rpmps.h>
#include <rpm/rpmtag.h>
#include <rpm/rpmts.h>

#include <solv/pool.h>
#include <solv/repo.h>
#include <solv/repo_rpmdb.h>

#define RPMDB_PATH "/usr/lib/sysimage/rpm"

static const char *const disabled_plugins[] = {
    "__transaction_selinux", "__transaction_systemd_inhibit", "__transaction_dbus_announce",
    "__transaction_syslog",  "__transaction_audit",           "__transaction_ima",
    "__transaction_fsverity", "__transaction_fapolicyd",      NULL,
};

struct inst_ctx {
    FD_t fd;
    size_t done, total;
    int script_errors;
    int open_errors;
    bool interrupted;
};

static int rpmlog_cb(rpmlogRec rec, rpmlogCallbackData data)
{
    (void)data;
    const char *m = rpmlogRecMessage(rec);
    size_t n = strlen(m);
    while (n && m[n - 1] == '\n')
        n--;
    switch (rpmlogRecPriority(rec)) {
    case RPMLOG_EMERG:
    case RPMLOG_ALERT:
    case RPMLOG_CRIT:
    case RPMLOG_ERR:
        log_error("rpm: %.*s", (int)n, m);
        break;
    case RPMLOG_WARNING:
        log_warn("rpm: %.*s", (int)n, m);
        break;
    default:
        log_debug("rpm: %.*s", (int)n, m);
        break;
    }
    return 0; /* handled: no default output */
}

static void *notify(const void *arg, const rpmCallbackType what, const rpm_loff_t amount,
                    const rpm_loff_t total, fnpyKey key, rpmCallbackData data)
{
    struct inst_ctx *c = data;
    Header h = (Header)arg;
    switch (what) {
    case RPMCALLBACK_INST_OPEN_FILE:
        if (cleanup_interrupted()) {
            c->interrupted = true;
            return NULL;
        }
        c->fd = Fopen((const char *)key, "r.ufdio");
        if (!c->fd || Ferror(c->fd)) {
            log_error("cannot open %s: %s", (const char *)key, c->fd ? Fstrerror(c->fd) : "");
            if (c->fd)
                Fclose(c->fd);
            c->fd = NULL;
            c->open_errors++;
        }
        return c->fd;
    case RPMCALLBACK_INST_CLOSE_FILE:
        if (c->fd)
            Fclose(c->fd);
        c->fd = NULL;
        c->done++;
        log_progress("Installing", c->done, c->total);
        break;
    case RPMCALLBACK_INST_START:
        if (h) {
            char *nevra = headerGetAsString(h, RPMTAG_NEVRA);
            log_verbose("Installing %s", nevra);
            free(nevra);
        }
        break;
    case RPMCALLBACK_SCRIPT_ERROR: {
        char *nevra = h ? headerGetAsString(h, RPMTAG_NEVRA) : NULL;
        /* amount = script tag, total = exit code; non-fatal for %post etc. */
        log_warn("%s scriptlet of %s failed (exit status %llu)",
                 rpmTagGetName((rpmTagVal)amount), nevra ? nevra : "?", (unsigned long long)total);
        free(nevra);
        c->script_errors++;
        break;
    }
    case RPMCALLBACK_UNPACK_ERROR:
    case RPMCALLBACK_CPIO_ERROR: {
        char *nevra = h ? headerGetAsString(h, RPMTAG_NEVRA) : NULL;
        log_error("Unpacking %s failed", nevra ? nevra : "?");
        free(nevra);
        break;
    }
    default:
        break;
    }
    return NULL;
}

/* rpm's configuration, once per process (a forked child inherits it) */
static int rpm_config(void)
{
    static bool config_read;
    if (config_read)
        return 0;
    if (rpmReadConfigFiles(NULL, NULL) != 0)
        return log_fail("rpm: cannot read the rpm configuration");
    config_read = true;
    return 0;
}

int pkg_load_installed(struct pkg_engine *e, const char *root)
{
    if (!root || root[0] != '/')
        return log_fail("pkg_load_installed: the root must be an absolute path");
    if (e->installed_loaded)
        return 0;
    char *db = xasprintf("%s%s/rpmdb.sqlite", root, RPMDB_PATH);
    bool have = path_exists(db);
    free(db);
    if (!have)
        return 0;
    rpmlogSetCallback(rpmlog_cb, NULL);
    rpmSetVerbosity(log_get_level() == LOG_DEBUG ? RPMLOG_DEBUG : RPMLOG_WARNING);
    if (rpm_config() < 0) {
        rpmlogSetCallback(NULL, NULL);
        return -1;
    }
    rpmPushMacro(NULL, "_dbpath", NULL, RPMDB_PATH, RMIL_CMDLINE);
    rpmPushMacro(NULL, "_db_backend", NULL, "sqlite", RMIL_CMDLINE);
    Pool *pool = e->pool;
    /* REPO_USE_ROOTDIR: without it the rootdir is ignored (the host's db).
     * Debian's libsolvext 0.7.23 leaks a few bytes per call here (its dbpath
     * detection; tests/unit/test_pkg.c suppresses it for LeakSanitizer). */
    pool_set_rootdir(pool, root);
    int rc = repo_add_rpmdb(pool->installed, NULL, REPO_USE_ROOTDIR);
    pool_set_rootdir(pool, NULL);
    rpmPopMacro(NULL, "_db_backend");
    rpmPopMacro(NULL, "_dbpath");
    rpmlogSetCallback(NULL, NULL);
    if (rc != 0)
        return log_fail("cannot read the rpm database of %s%s: %s", root, RPMDB_PATH,
                        pool_errstr(pool));
    e->installed_loaded = true;
    if (e->loaded) {
        /* pkg_load made them without the installed packages */
        pool_addfileprovides(pool);
        pool_createwhatprovides(pool);
    }
    log_info("%d packages already installed in %s", pool->installed->nsolvables, root);
    return 0;
}

/* repo --install: the repository configuration for the installed system */
static int write_repo_confs(struct pkg_engine *e, const char *root)
{
    for (size_t i = 0; i < e->n_repos; i++) {
        struct pkg_repo *r = e->repos[i];
        if (!r->repo_conf)
            continue;
        char *dir = xasprintf("%s/etc/yum.repos.d", root);
        char *file = xasprintf("%s/%s.repo", dir, r->name);
        for (char *p = file + strlen(dir) + 1; *p; p++)
            if (*p == '/')
                *p = '_';
        int wr = mkdir_p(dir, 0755) == 0 ? write_file(file, r->repo_conf, 0644) : -1;
        if (wr < 0)
            log_fail("cannot write %s: %s", file, strerror(errno));
        else
            log_verbose("Wrote %s (repo --install)", file);
        free(dir);
        free(file);
        if (wr < 0)
            return -1;
    }
    return 0;
}

static char *problems_str(rpmps ps)
{
    struct strbuf out = { 0 };
    rpmpsi it = rpmpsInitIterator(ps);
    rpmProblem p;
    while ((p = rpmpsiNext(it))) {
        char *s = rpmProblemString(p);
        strbuf_printf(&out, "%s  %s", out.n ? "\n" : "", s);
        free(s);
    }
    rpmpsFreeIterator(it);
    return strbuf_take(&out);
}

int pkg_install(struct pkg_engine *e, const char *root, bool excludedocs, const char *inst_langs)
{
    if (!e->downloaded || e->paths.n != (size_t)e->result.count)
        return log_fail("pkg_install: packages are not downloaded (pkg_download)");
    if (!root || root[0] != '/')
        return log_fail("pkg_install: the root must be an absolute path");
    if (!e->paths.n) {
        log_warn("Nothing to install");
        return write_repo_confs(e, root);
    }
    double t0 = now_seconds();
    char *dbdir = xasprintf("%s%s", root, RPMDB_PATH);
    if (mkdir_p(dbdir, 0755) < 0) {
        log_fail("cannot create %s: %s", dbdir, strerror(errno));
        free(dbdir);
        return -1;
    }
    free(dbdir);

    rpmlogSetCallback(rpmlog_cb, NULL);
    rpmSetVerbosity(log_get_level() == LOG_DEBUG ? RPMLOG_DEBUG : RPMLOG_WARNING);
    if (rpm_config() < 0)
        return -1;
    /* macros first: the ts and db pick them up when created */
    strv_t pushed = { 0 };
#define PUSH(name, val)                                                                            \
    do {                                                                                           \
        rpmPushMacro(NULL, name, NULL, val, RMIL_CMDLINE);                                        \
        strv_push(&pushed, name);                                                                  \
    } while (0)
    PUSH("_dbpath", RPMDB_PATH);
    PUSH("_db_backend", "sqlite");
    static const char *const levels[] = { "none", "digest", "signature", "all" };
    int vl = e->verify_level >= 0 && e->verify_level <= 3 ? e->verify_level : 1;
    PUSH("_pkgverify_level", levels[vl]);
    for (int i = 0; disabled_plugins[i]; i++)
        PUSH(disabled_plugins[i], "%{nil}");
    if (excludedocs)
        PUSH("_excludedocs", "1");
    char *langs = NULL;
    if (inst_langs && *inst_langs) {
        langs = xstrdup(inst_langs);
        for (char *p = langs; *p; p++)
            if (*p == ',')
                *p = ':';
        PUSH("_install_langs", langs);
    }
#undef PUSH

    int ret = -1;
    struct inst_ctx ctx = { .total = e->paths.n };
    FD_t scriptfd = NULL;
    rpmts ts = rpmtsCreate();
    rpmtsSetRootDir(ts, root);
    /* --pkgverify-level: none, digest (rpm's default), signature, all */
    static const int vfylevels[] = { 0, RPMSIG_DIGEST_TYPE, RPMSIG_SIGNATURE_TYPE,
                                     RPMSIG_DIGEST_TYPE | RPMSIG_SIGNATURE_TYPE };
    if (vl == 0)
        rpmtsSetVSFlags(ts, rpmtsVSFlags(ts) | RPMVSF_MASK_NODIGESTS | RPMVSF_MASK_NOSIGNATURES);
    else if (vl == 1) {
        bool any_gpgcheck = false;
        for (size_t i = 0; i < e->n_repos; i++)
            any_gpgcheck |= e->repos[i]->gpgcheck;
        if (!any_gpgcheck)
            rpmtsSetVSFlags(ts, rpmtsVSFlags(ts) | RPMVSF_MASK_NOSIGNATURES);
    }
    rpmtsSetVfyLevel(ts, vfylevels[vl]);
    rpmtsSetNotifyCallback(ts, notify, &ctx);
    rpmtransFlags tflags = RPMTRANS_FLAG_NOCONTEXTS;
    if (excludedocs)
        tflags |= RPMTRANS_FLAG_NODOCS;
    rpmtsSetFlags(ts, tflags);

    int lfd = log_file_fd();
    if (lfd >= 0)
        scriptfd = fdDup(lfd);
    else if (log_get_level() == LOG_DEBUG)
        scriptfd = fdDup(STDERR_FILENO);
    else
        scriptfd = Fopen("/dev/null", "w.ufdio");
    if (scriptfd)
        rpmtsSetScriptFd(ts, scriptfd);

    if (rpmtsInitDB(ts, 0644) != 0) {
        log_fail("rpm: cannot create the rpm database in %s%s", root, RPMDB_PATH);
        goto out;
    }
    /* GPG keys of the repositories into the target rpmdb (as dnf imports
     * them on first use); needed to check signatures */
    for (size_t i = 0; i < e->keyfiles.n; i++) {
        uint8_t *pkt = NULL;
        size_t pktlen = 0;
        char *armor = NULL;
        if (read_file(e->keyfiles.v[i], &armor, NULL) < 0) {
            log_fail("cannot read the GPG key %s: %s", e->keyfiles.v[i], strerror(errno));
            goto out;
        }
        /* a file may hold several armored keys: import each */
        int n = 0;
        for (char *p = armor; (p = strstr(p, "-----BEGIN PGP PUBLIC KEY BLOCK-----"));) {
            char *end = strstr(p, "-----END PGP PUBLIC KEY BLOCK-----");
            if (!end)
                break;
            end += strlen("-----END PGP PUBLIC KEY BLOCK-----");
            char *one = xstrndup(p, (size_t)(end - p));
            p = end;
            if (pgpParsePkts(one, &pkt, &pktlen) != PGPARMOR_PUBKEY) {
                free(one);
                continue;
            }
            free(one);
            rpmRC irc = rpmtsImportPubkey(ts, pkt, pktlen);
            free(pkt);
            pkt = NULL;
            if (irc != RPMRC_OK) {
                free(armor);
                log_fail("rpm: cannot import the GPG key %s into %s%s", e->keyfiles.v[i], root,
                         RPMDB_PATH);
                goto out;
            }
            n++;
        }
        free(armor);
        if (!n) {
            log_fail("%s: no PGP public key in the file", e->keyfiles.v[i]);
            goto out;
        }
        log_verbose("Imported GPG key %s", e->keyfiles.v[i]);
    }
    for (size_t i = 0; i < e->paths.n; i++) {
        const char *path = e->paths.v[i];
        FD_t fd = Fopen(path, "r.ufdio");
        if (!fd || Ferror(fd)) {
            log_fail("cannot open %s: %s", path, fd ? Fstrerror(fd) : strerror(errno));
            if (fd)
                Fclose(fd);
            goto out;
        }
        Header h = NULL;
        rpmRC rc = rpmReadPackageFile(ts, fd, path, &h);
        Fclose(fd);
        if (vl >= 2 && (rc == RPMRC_NOTTRUSTED || rc == RPMRC_NOKEY)) {
            log_fail("%s: %s (--pkgverify-level %s)", path,
                     rc == RPMRC_NOKEY ? "signed with a key that was not imported (NOKEY)"
                                       : "signature not trusted",
                     levels[vl]);
            headerFree(h);
            goto out;
        }
        if (rc != RPMRC_OK && rc != RPMRC_NOTTRUSTED && rc != RPMRC_NOKEY) {
            log_fail("%s: cannot read the package (rpm: %s)", path,
                     rc == RPMRC_FAIL ? "digest or header check failed" : "not an rpm");
            headerFree(h);
            goto out;
        }
        /* a repository with gpgcheck=1: the package must carry a good
         * signature by an imported key (dnf's per-repository check) */
        Solvable *sv = pool_id2solvable(e->pool, e->result.elements[i]);
        struct pkg_repo *pr = sv->repo ? sv->repo->appdata : NULL;
        if (pr && pr->gpgcheck && vl >= 1 &&
            (rc != RPMRC_OK ||
             !(headerIsEntry(h, RPMTAG_RSAHEADER) || headerIsEntry(h, RPMTAG_DSAHEADER) ||
               headerIsEntry(h, RPMTAG_SIGPGP) || headerIsEntry(h, RPMTAG_SIGGPG)))) {
            log_fail("%s: %s, but repository %s has gpgcheck=1", path,
                     rc == RPMRC_OK ? "the package is not signed" : "no imported key verifies it",
                     pr->name);
            headerFree(h);
            goto out;
        }
        /* key = path, handed back by the INST_OPEN_FILE callback; an
         * upgrade when it replaces installed packages (pkg_solve.c) */
        int upgrade = (int)i < e->replaces.count ? e->replaces.elements[i] : 0;
        int r = rpmtsAddInstallElement(ts, h, (fnpyKey)path, upgrade, NULL);
        headerFree(h);
        if (r) {
            log_fail("%s: cannot add to the rpm transaction", path);
            goto out;
        }
    }
    if (rpmtsCheck(ts) != 0) {
        log_fail("rpm: the dependency check could not run");
        goto out;
    }
    rpmps ps = rpmtsProblems(ts);
    if (rpmpsNumProblems(ps) > 0) {
        char *s = problems_str(ps);
        log_fail("rpm dependency problems:\n%s", s);
        free(s);
        rpmpsFree(ps);
        goto out;
    }
    rpmpsFree(ps);
    if (rpmtsOrder(ts) != 0)
        log_warn("rpm: ordering had dependency loops");
    rpmtsClean(ts);
    log_info("Installing %zu packages into %s", e->paths.n, root);
    int rc = rpmtsRun(ts, NULL, RPMPROB_FILTER_NONE);
    log_progress_end();
    if (ctx.interrupted || cleanup_interrupted()) {
        log_fail("Interrupted while installing packages");
        goto out;
    }
    if (rc < 0) {
        log_fail("rpm: the transaction failed (%zu of %zu packages installed)", ctx.done,
                 ctx.total);
        goto out;
    }
    if (rc > 0) {
        ps = rpmtsProblems(ts);
        char *s = problems_str(ps);
        if (rpmpsNumProblems(ps) > 0)
            log_fail("rpm transaction problems:\n%s", s);
        else
            log_fail("rpm: %d packages failed to install (see the log)", rc);
        free(s);
        rpmpsFree(ps);
        goto out;
    }
    if (ctx.open_errors) {
        log_fail("rpm: %d package files could not be opened", ctx.open_errors);
        goto out;
    }
    if (ctx.script_errors)
        log_warn("%d scriptlets failed (see the log)", ctx.script_errors);
    if (write_repo_confs(e, root) < 0)
        goto out;
    log_verbose("Installed %zu packages in %.1fs", ctx.done, now_seconds() - t0);
    ret = 0;
out:
    rpmtsFree(ts);
    if (scriptfd)
        Fclose(scriptfd);
    for (size_t i = pushed.n; i-- > 0;)
        rpmPopMacro(NULL, pushed.v[i]);
    strv_free(&pushed);
    free(langs);
    rpmlogSetCallback(NULL, NULL);
    return ret;
}
