/* creator.c - see creator.h */
#define _GNU_SOURCE
#include "core/creator.h"
#include "core/base/strv.h"
#include "core/base/cleanup.h"
#include "core/base/log.h"
#include "core/base/strbuf.h"
#include "core/base/mount.h"
#include "core/pkg.h"
#include "core/base/run.h"
#include "core/scripts.h"
#include "core/sysconfig.h"
#include "core/base/util.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#ifndef KSC_DATADIR
#define KSC_DATADIR "/usr/local/share/kscreate"
#endif

static const char *phase_names[PH_COUNT] = { "mount", "install", "configure", "unmount", "package" };

void creator_add_artifact(struct creator *cr, const char *path)
{
    size_t n = 0;
    while (cr->artifacts && cr->artifacts[n])
        n++;
    cr->artifacts = xrealloc(cr->artifacts, sizeof(char *) * (n + 2));
    cr->artifacts[n] = xstrdup(path);
    cr->artifacts[n + 1] = NULL;
}

static char *default_name(const char *ksfile, const char *prefix)
{
    char *copy = xstrdup(ksfile);
    char *base = basename(copy);
    char *dot = strrchr(base, '.');
    if (dot && dot != base)
        *dot = 0;
    char stamp[32];
    time_t t = time(NULL);
    struct tm tm;
    strftime(stamp, sizeof stamp, "%Y%m%d%H%M", localtime_r(&t, &tm));
    /* keep the label within 32 characters: trim the kickstart part */
    size_t room = 32 - strlen(prefix) - 1 - strlen(stamp);
    char *name = xasprintf("%s%.*s-%s", prefix, (int)room, base, stamp);
    free(copy);
    for (char *p = name; *p; p++)
        if (*p == ' ')
            *p = '_';
    return name;
}

/* Templates next to the program: <prefix>/bin/x -> <prefix>/share/kscreate,
 * or the source tree's config/ when run from build/. */
static const char *find_datadir(void)
{
    static char buf[4096];
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = 0;
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = 0;
            static const char *rel[] = { "../share/kscreate", "../config" };
            for (size_t i = 0; i < 2; i++) {
                char *dir = xasprintf("%s/%s", exe, rel[i]);
                char *probe = xasprintf("%s/grub.cfg.in", dir);
                bool found = path_exists(probe) && strlen(dir) < sizeof buf;
                if (found)
                    memcpy(buf, dir, strlen(dir) + 1);
                free(dir);
                free(probe);
                if (found)
                    return buf;
            }
        }
    }
    return path_exists("config/grub.cfg.in") ? "config" : KSC_DATADIR;
}

struct ks_errors {
    int count;
    char first[1024];
};

/* Kickstart diagnostics go to the log; the first error becomes the reason. */
static void report_ks(void *ctx, enum ks_severity sev, const char *file, int line, const char *msg)
{
    struct ks_errors *e = ctx;
    char buf[1024];
    if (line > 0)
        snprintf(buf, sizeof buf, "%s:%d: %s", file, line, msg);
    else
        snprintf(buf, sizeof buf, "%s: %s", file, msg);
    if (sev == KS_NOTICE) {
        log_info("%s", buf);
        return;
    }
    if (sev == KS_WARNING) {
        log_warn("%s", buf);
        return;
    }
    if (e->count++ == 0)
        snprintf(e->first, sizeof e->first, "%s", buf);
    else
        log_error("%s", buf);
}

int creator_parse_ks(const char *path, const char *what, struct kickstart **out)
{
    struct ks_errors errs = { 0, { 0 } };
    struct ks_parse_opts po = { 0 };
    po.report = report_ks;
    po.report_ctx = &errs;
    if (ks_parse_file(path, &po, out) == 0)
        return 0;
    const char *first = errs.count ? errs.first : "the kickstart has errors";
    if (errs.count > 1)
        return log_fail("%s%s%s (and %d more errors in the kickstart)", what ? what : "",
                        what ? ": " : "", first, errs.count - 1);
    return log_fail("%s%s%s", what ? what : "", what ? ": " : "", first);
}

int creator_init(struct creator *cr)
{
    if (!cr->type)
        return log_fail("no image type given");
    if (!cr->type_opts)
        return log_fail("no options for the %s image type (cr->type_opts)", cr->type->name);
    if (!cr->ksfile)
        return log_fail("no kickstart file given (-c)");
    /* %pre runs on the host first: it may write files a later %include reads */
    if (scripts_run_pre(cr->ksfile, NULL) < 0)
        return -1;
    if (creator_parse_ks(cr->ksfile, NULL, &cr->ks) < 0)
        return -1;
    if (!cr->fslabel && cr->name)
        cr->fslabel = xstrdup(cr->name);
    if (!cr->fslabel)
        cr->fslabel = default_name(cr->ksfile, strcmp(cr->type->name, "livecd") ? "image-" : "livecd-");
    if (strlen(cr->fslabel) > 32)
        return log_fail("label '%s' is longer than 32 characters", cr->fslabel);
    if (strpbrk(cr->fslabel, " \t\n"))
        return log_fail("label '%s' contains whitespace", cr->fslabel);
    if (!cr->name)
        cr->name = xstrdup(cr->fslabel);
    if (!cr->title)
        cr->title = xstrdup(cr->product ? cr->product : cr->fslabel);
    if (!cr->outdir)
        cr->outdir = ".";
    if (!is_dir(cr->outdir) && mkdir_p(cr->outdir, 0755) < 0)
        return log_fail("cannot create output directory %s: %s", cr->outdir, strerror(errno));
    if (!cr->datadir) {
        const char *env = getenv("KSC_DATADIR");
        if (env)
            cr->datadir = env;
        else if (path_exists(KSC_DATADIR "/grub.cfg.in"))
            cr->datadir = KSC_DATADIR;
        else
            cr->datadir = find_datadir();
    }
    cr->kernel_args = xstrdup(cr->ks->bootloader.append ? cr->ks->bootloader.append : "");
    cr->bootloader_timeout = cr->ks->bootloader.timeout >= 0 ? cr->ks->bootloader.timeout : 10;
    const char *parent = cr->tmpdir_parent ? cr->tmpdir_parent : "/var/tmp";
    if (!is_dir(parent))
        return log_fail("temporary directory %s does not exist", parent);
    cr->workdir = make_tmpdir(parent, "kscreate");
    if (!cr->workdir)
        return log_fail("cannot create a temporary directory in %s: %s", parent, strerror(errno));
    cr->instroot = path_join(cr->workdir, "install_root");
    cr->stagedir = path_join(cr->workdir, "iso");
    if (mkdir_p(cr->instroot, 0755) < 0 || mkdir_p(cr->stagedir, 0755) < 0)
        return log_fail("cannot create directories in %s: %s", cr->workdir, strerror(errno));
    log_verbose("working directory %s", cr->workdir);
    cr->cachedir_owned = pkg_cachedir(cr->cachedir, cr->workdir);
    if (!cr->cachedir_owned)
        return -1;
    cr->cachedir = cr->cachedir_owned;
    return 0;
}

/* ---- API filesystems for scriptlets ------------------------------------ */

static int push_api(struct creator *cr, int id)
{
    if (id < 0)
        return -1;
    if (cr->n_api_mounts < (int)(sizeof cr->api_mounts / sizeof cr->api_mounts[0]))
        cr->api_mounts[cr->n_api_mounts++] = id;
    return 0;
}

static void make_dev_nodes(const char *dev)
{
    static const struct { const char *name; unsigned maj, min; mode_t mode; } nodes[] = {
        { "null", 1, 3, 0666 },    { "zero", 1, 5, 0666 },   { "full", 1, 7, 0666 },
        { "random", 1, 8, 0666 },  { "urandom", 1, 9, 0666 }, { "tty", 5, 0, 0666 },
        { "console", 5, 1, 0600 }, { "ptmx", 5, 2, 0666 },
    };
    mode_t old = umask(0);
    for (size_t i = 0; i < sizeof nodes / sizeof nodes[0]; i++) {
        char *p = path_join(dev, nodes[i].name);
        if (mknod(p, S_IFCHR | nodes[i].mode, makedev(nodes[i].maj, nodes[i].min)) < 0 &&
            errno != EEXIST)
            log_warn("cannot create %s: %s", p, strerror(errno));
        free(p);
    }
    umask(old);
    static const char *links[][2] = { { "fd", "/proc/self/fd" },        { "stdin", "/proc/self/fd/0" },
                                      { "stdout", "/proc/self/fd/1" }, { "stderr", "/proc/self/fd/2" } };
    for (size_t i = 0; i < 4; i++) {
        char *p = path_join(dev, links[i][0]);
        if (symlink(links[i][1], p) < 0 && errno != EEXIST)
            log_warn("cannot create %s: %s", p, strerror(errno));
        free(p);
    }
}

int creator_mount_api(struct creator *cr)
{
    char *p;
    int rc = 0;
    p = path_join(cr->instroot, "proc");
    rc |= push_api(cr, mount_fs("proc", p, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL));
    free(p);
    p = path_join(cr->instroot, "sys");
    rc |= push_api(cr, mount_fs("sysfs", p, "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL));
    free(p);
    p = path_join(cr->instroot, "dev");
    rc |= push_api(cr, mount_fs("kscreate-dev", p, "tmpfs", MS_NOSUID, "mode=0755"));
    if (rc == 0) {
        make_dev_nodes(p);
        char *pts = path_join(p, "pts"), *shm = path_join(p, "shm");
        rc |= push_api(cr, mount_fs("devpts", pts, "devpts", MS_NOSUID | MS_NOEXEC,
                                    "newinstance,ptmxmode=0666,mode=620"));
        rc |= push_api(cr, mount_fs("shm", shm, "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777"));
        free(pts);
        free(shm);
    }
    free(p);
    p = path_join(cr->instroot, "run");
    rc |= push_api(cr, mount_fs("kscreate-run", p, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755"));
    free(p);
    if (rc)
        return log_fail("cannot prepare /proc, /sys, /dev and /run in the image root");
    return 0;
}

void creator_umount_api(struct creator *cr)
{
    while (cr->n_api_mounts > 0)
        mount_release(cr->api_mounts[--cr->n_api_mounts]);
}

/* ---- phases ------------------------------------------------------------- */

static int check_interrupt(void)
{
    int sig = cleanup_interrupted();
    if (sig)
        return log_fail("interrupted by signal %d", sig);
    return 0;
}

int creator_mount(struct creator *cr)
{
    log_info("Mounting the image root");
    if (cr->type->mount_instroot(cr) < 0)
        return -1;
    cr->mounted = true;
    if (creator_mount_api(cr) < 0)
        return -1;
    /* directories the installer expects before the first package */
    static const char *dirs[] = { "etc", "var/tmp", "tmp", "var/cache", "usr/lib/sysimage/rpm" };
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        char *d = path_join(cr->instroot, dirs[i]);
        mkdir_p(d, 0755);
        free(d);
    }
    char *tmp = path_join(cr->instroot, "tmp");
    chmod(tmp, 01777);
    free(tmp);
    if (cr->type->pre_install && cr->type->pre_install(cr) < 0)
        return -1;
    return check_interrupt();
}

struct install_job {
    struct pkg_engine *eng;
    const char *root;
    const struct ks_packages *pk;
};

static int install_worker(void *arg)
{
    struct install_job *j = arg;
    return pkg_install(j->eng, j->root, j->pk->excludedocs, j->pk->inst_langs) < 0 ? 1 : 0;
}

/* the image type's own needs (e.g. syslinux for --syslinux), as livecd-tools:
 * added to the package list unless the kickstart lists or excludes them */
static void add_required_packages(struct creator *cr)
{
    if (!cr->type->required_packages)
        return;
    const char *const *req = cr->type->required_packages(cr);
    struct ks_packages *pk = &cr->ks->packages;
    for (size_t i = 0; req && req[i]; i++) {
        if (strv_contains(&pk->names, req[i]) || strv_contains(&pk->excludes, req[i]))
            continue;
        log_verbose("%s needs package %s: added to %%packages", cr->type->name, req[i]);
        strv_push(&pk->names, req[i]);
    }
}

int creator_install(struct creator *cr)
{
    if (!cr->ks->packages.seen)
        log_warn("%s: no %%packages section: installing only @core", cr->ksfile);
    struct pkg_engine_opts eo = { 0 };
    eo.cachedir = cr->cachedir;
    eo.releasever = cr->releasever;
    eo.cacheonly = cr->cacheonly;
    eo.pkgverify_level = cr->pkgverify_level;
    struct pkg_engine *eng = pkg_engine_new(&eo);
    if (!eng)
        return -1;
    int rc = -1;
    if (cr->repo_path) {
        /* livecd-creator --repo: .repo files replace the kickstart's repos */
        if (pkg_add_repofile(eng, cr->repo_path) < 0)
            goto out;
    } else {
        if (cr->ks->n_repos == 0 && !cr->ks->url.seen) {
            log_fail("%s: no repositories: add a 'repo' or 'url' command", cr->ksfile);
            goto out;
        }
        for (size_t i = 0; i < cr->ks->n_repos; i++)
            if (pkg_add_repo(eng, &cr->ks->repos[i]) < 0)
                goto out;
        if (cr->ks->url.seen && pkg_add_url(eng, &cr->ks->url) < 0)
            goto out;
    }
    /* --base-on: the root is populated; its rpmdb is the installed set, so
     * what is there stays (as dnf --installroot install); a fresh root has
     * no rpmdb yet (a stat).  Before pkg_load: it makes whatprovides once. */
    if (pkg_load_installed(eng, cr->instroot) < 0 || check_interrupt() < 0)
        goto out;
    log_info("Loading repository metadata");
    if (pkg_load(eng) < 0 || check_interrupt() < 0)
        goto out;
    add_required_packages(cr);
    log_info("Resolving packages");
    if (pkg_resolve(eng, &cr->ks->packages) < 0 || check_interrupt() < 0)
        goto out;
    log_info("%zu packages to install", pkg_count(eng));
    if (pkg_download(eng) < 0 || check_interrupt() < 0)
        goto out;
    log_info("Installing packages");
    struct install_job job = { eng, cr->instroot, &cr->ks->packages };
    int st = run_fork("package install", install_worker, &job);
    if (check_interrupt() < 0)
        goto out;
    if (st != 0) {
        /* the worker's own failure reason is its last "Error: " line */
        const char *tail = run_last_output(), *p = tail, *last = NULL;
        while ((p = strstr(p, "Error: "))) {
            last = p + 7;
            p += 7;
        }
        if (last)
            log_fail("package installation failed: %.*s", (int)strcspn(last, "\n"), last);
        else
            log_fail("package installation failed (status %d)", st);
        goto out;
    }
    rc = 0;
out:
    pkg_engine_free(eng);
    return rc;
}

int creator_configure(struct creator *cr)
{
    log_info("Configuring the system");
    if (sysconfig_apply(cr->ks, cr->instroot) < 0)
        return -1;
    if (cr->type->create_bootconfig && cr->type->create_bootconfig(cr) < 0)
        return -1;
    char *e1 = xasprintf("INSTALL_ROOT=%s", cr->instroot);
    char *e2 = xasprintf("LIVE_ROOT=%s", cr->stagedir);
    const char *env[] = { e1, e2, NULL };
    int rc = sysconfig_resolv_setup(cr->instroot);
    if (rc == 0)
        rc = scripts_run(cr->ks, KS_SCRIPT_POST, cr->instroot, env);
    free(e1);
    free(e2);
    if (rc < 0) {
        sysconfig_resolv_restore(cr->instroot);
        return -1;
    }
    /* restores resolv.conf, empties machine-id, relabels when there is a policy */
    if (sysconfig_finish(cr->ks, cr->instroot) < 0)
        return -1;
    return check_interrupt();
}

int creator_unmount(struct creator *cr)
{
    log_info("Unmounting the image root");
    creator_umount_api(cr);
    if (cr->mounted && cr->type->unmount_instroot(cr) < 0)
        return -1;
    cr->mounted = false;
    return 0;
}

int creator_package(struct creator *cr)
{
    log_info("Packaging the image");
    if (cr->type->stage_final_image(cr) < 0)
        return -1;
    for (size_t i = 0; cr->artifacts && cr->artifacts[i]; i++)
        log_info("Wrote %s", cr->artifacts[i]);
    return 0;
}

int creator_create(struct creator *cr)
{
    int (*phases[PH_COUNT])(struct creator *) = { creator_mount, creator_install, creator_configure,
                                                  creator_unmount, creator_package };
    for (int i = 0; i < PH_COUNT; i++) {
        double t0 = now_seconds();
        int r = phases[i](cr);
        cr->phase_seconds[i] = now_seconds() - t0;
        log_verbose("phase %s took %.1f s", phase_names[i], cr->phase_seconds[i]);
        if (r < 0) {
            if (!log_failure())
                log_fail("%s phase failed", phase_names[i]);
            /* %onerror scripts run on the host when the build fails */
            char *e1 = xasprintf("INSTALL_ROOT=%s", cr->instroot);
            char *e2 = xasprintf("LIVE_ROOT=%s", cr->stagedir);
            const char *env[] = { e1, e2, NULL };
            scripts_run(cr->ks, KS_SCRIPT_ONERROR, NULL, env);
            free(e1);
            free(e2);
            return -1;
        }
    }
    struct strbuf line = { 0 };
    strbuf_add(&line, "timings:");
    for (int i = 0; i < PH_COUNT; i++)
        strbuf_printf(&line, " %s %.1fs", phase_names[i], cr->phase_seconds[i]);
    log_info("%s", strbuf_str(&line));
    strbuf_free(&line);
    return 0;
}

void creator_cleanup(struct creator *cr)
{
    creator_umount_api(cr);
    if (cr->nocleanup)
        cleanup_keep_tmpdirs();
    cleanup_release_all();
    if (cr->type && cr->type->free_state)
        cr->type->free_state(cr);
    if (cr->ks)
        ks_free(cr->ks);
    cr->ks = NULL;
    for (size_t i = 0; cr->artifacts && cr->artifacts[i]; i++)
        free(cr->artifacts[i]);
    free(cr->artifacts);
    cr->artifacts = NULL;
    free(cr->cachedir_owned);
    if (cr->cachedir == cr->cachedir_owned)
        cr->cachedir = NULL;
    cr->cachedir_owned = NULL;
    free(cr->workdir);
    free(cr->instroot);
    free(cr->stagedir);
    free(cr->kernel_args);
    cr->workdir = cr->instroot = cr->stagedir = cr->kernel_args = NULL;
}

int creator_finish(struct creator *cr, int rc)
{
    creator_cleanup(cr);
    int failed = rc < 0 || cleanup_interrupted();
    if (failed) {
        /* the last line says what failed (unless it already is) */
        const char *why = log_failure();
        if (!why || !log_failure_is_last())
            log_error("%s", why ? why : "the build failed");
    }
    log_close();
    return failed ? 1 : 0;
}
