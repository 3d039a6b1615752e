/* scripts.c - see scripts.h */
#define _GNU_SOURCE
#include "core/scripts.h"
#include "core/base/log.h"
#include "core/base/rootfile.h"
#include "core/base/run.h"
#include "core/base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *type_name(enum ks_script_type t)
{
    switch (t) {
    case KS_SCRIPT_PRE: return "%pre";
    case KS_SCRIPT_PRE_INSTALL: return "%pre-install";
    case KS_SCRIPT_POST: return "%post";
    case KS_SCRIPT_ONERROR: return "%onerror";
    case KS_SCRIPT_TRACEBACK: return "%traceback";
    }
    return "%script";
}

static int run_one(const struct ks_script *s, const char *root, const char *const *env)
{
    bool chrooted = s->type == KS_SCRIPT_POST && !s->nochroot && root;
    const char *interp = s->interpreter ? s->interpreter : "/bin/sh";
    /* the script file lives in the root's /tmp for chroot scripts */
    char *dir = chrooted ? path_join(root, "tmp") : xstrdup(getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    mkdir_p(dir, 01777);
    char *path = xasprintf("%s/ks-script-XXXXXX", dir);
    int fd = mkstemp(path);
    if (fd < 0) {
        int r = log_fail("cannot create a script file in %s: %s", dir, strerror(errno));
        free(dir);
        free(path);
        return r;
    }
    size_t len = strlen(s->body ? s->body : "");
    ssize_t w = write(fd, s->body ? s->body : "", len);
    close(fd);
    if (w < 0 || (size_t)w != len) {
        unlink(path);
        int r = log_fail("cannot write %s", path);
        free(dir);
        free(path);
        return r;
    }
    const char *inpath = chrooted ? path + strlen(root) : path;
    /* the interpreter: any path in the root for chroot scripts, the host's otherwise */
    bool have = chrooted ? root_is_exec(root, interp) : (interp[0] != '/' || access(interp, X_OK) == 0);
    if (!have) {
        unlink(path);
        free(dir);
        free(path);
        return log_fail("%s:%d: %s interpreter %s not found %s", s->loc.file, s->loc.line,
                        type_name(s->type), interp, chrooted ? "in the image" : "on the host");
    }
    int logfd = -1;
    if (s->log) {
        char *lp = chrooted ? path_join(root, s->log) : xstrdup(s->log);
        logfd = open(lp, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
        if (logfd < 0)
            log_warn("%s:%d: cannot open --log %s: %s", s->loc.file, s->loc.line, lp,
                     strerror(errno));
        free(lp);
    }
    log_info("Running %s script from %s:%d%s (%s)", type_name(s->type), s->loc.file, s->loc.line,
             chrooted ? "" : " on the host", interp);
    if (logfd >= 0) {
        char *hdr = xasprintf("# %s script from %s:%d\n", type_name(s->type), s->loc.file, s->loc.line);
        if (write(logfd, hdr, strlen(hdr)) < 0)
            log_debug("cannot write to the --log file");
        free(hdr);
    }
    const char *argv[] = { interp, inpath, NULL };
    struct run_opts o = { 0 };
    o.chroot = chrooted ? root : NULL;
    o.cwd = "/";
    o.env = env;
    o.out_fd = logfd;
    int rc = run_argv(argv, &o);
    if (logfd >= 0)
        close(logfd);
    unlink(path);
    free(dir);
    free(path);
    if (rc == 0)
        return 0;
    if (s->erroronfail)
        return log_fail("%s:%d: %s script failed with status %d (--erroronfail); its output:\n%s",
                        s->loc.file, s->loc.line, type_name(s->type), rc, run_last_output());
    log_warn("%s:%d: %s script exited with status %d", s->loc.file, s->loc.line,
             type_name(s->type), rc);
    return 0;
}

int scripts_run(const struct kickstart *ks, enum ks_script_type type, const char *root,
                const char *const *env)
{
    for (size_t i = 0; i < ks->n_scripts; i++) {
        const struct ks_script *s = &ks->scripts[i];
        if (s->type != type)
            continue;
        if (run_one(s, root, env) < 0)
            return -1;
    }
    return 0;
}

static void quiet_report(void *ctx, enum ks_severity sev, const char *file, int line, const char *msg)
{
    (void)ctx;
    log_debug("%%pre pass: %s%s:%d: %s", sev == KS_ERROR ? "error: " : "", file, line, msg);
}

int scripts_run_pre(const char *ksfile, const char *const *env)
{
    struct ks_parse_opts o;
    ks_parse_opts_init(&o);
    o.skip_includes = true;      /* %pre may create the files a later %include reads */
    o.report = quiet_report;     /* the real parse reports every problem */
    struct kickstart *ks = NULL;
    if (ks_parse_file(ksfile, &o, &ks) < 0 || !ks) {
        log_debug("%s: no %%pre pass (the kickstart has errors; the real parse reports them)", ksfile);
        return 0;
    }
    int r = scripts_run(ks, KS_SCRIPT_PRE, NULL, env);
    ks_free(ks);
    return r;
}
