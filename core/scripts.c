/* scripts.c - see scripts.h */
#define _GNU_SOURCE
#include "scripts.h"
#include "log.h"
#include "run.h"
#include "util.h"

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
    if (chrooted) {
        char *ip = path_join(root, interp);
        bool have = access(ip, X_OK) == 0;
        free(ip);
        if (!have) {
            unlink(path);
            free(dir);
            free(path);
            return log_fail("%s:%d: %s interpreter %s not found in the image", s->loc.file,
                            s->loc.line, type_name(s->type), interp);
        }
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
    log_info("Running %s script from %s:%d%s", type_name(s->type), s->loc.file, s->loc.line,
             chrooted ? "" : " (nochroot)");
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
