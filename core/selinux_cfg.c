/* selinux_cfg.c - see selinux_cfg.h */
#define _GNU_SOURCE
#include "core/selinux_cfg.h"
#include "core/base/log.h"
#include "core/base/rootfile.h"
#include "core/base/run.h"
#include "core/base/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *mode_name(enum ks_selinux_mode m)
{
    switch (m) {
    case KS_SELINUX_DISABLED: return "disabled";
    case KS_SELINUX_PERMISSIVE: return "permissive";
    default: return "enforcing";
    }
}

/* value of KEY= in the image's /etc/selinux/config, malloc'd, or NULL */
static char *config_value(const char *root, const char *key)
{
    char *p = path_join(root, "etc/selinux/config"), *buf, *v = NULL;
    if (read_file(p, &buf, NULL) == 0) {
        size_t k = strlen(key);
        for (char *save, *l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
            if (!strncmp(l, key, k) && l[k] == '=') {
                free(v);
                v = xstrdup(l + k + 1);
            }
        free(buf);
    }
    free(p);
    return v;
}

int selinux_apply(const char *root, const struct ks_selinux *se)
{
    if (!se->seen)
        return 0;
    const char *mode = mode_name(se->mode);
    char *p = path_join(root, "etc/selinux/config");
    bool had = path_exists(p);
    free(p);
    if (!had) {
        char *c = xasprintf("# This file controls the state of SELinux on the system.\n"
                            "# SELINUX= can take one of these three values:\n"
                            "#     enforcing - SELinux security policy is enforced.\n"
                            "#     permissive - SELinux prints warnings instead of enforcing.\n"
                            "#     disabled - No SELinux policy is loaded.\n"
                            "SELINUX=%s\n"
                            "# SELINUXTYPE= can take one of these values:\n"
                            "#     targeted - Targeted processes are protected,\n"
                            "#     mls - Multi Level Security protection.\n"
                            "SELINUXTYPE=targeted\n",
                            mode);
        int r = root_write(root, "etc/selinux/config", c, 0644);
        free(c);
        if (r < 0)
            return -1;
    } else {
        if (root_set_var(root, "etc/selinux/config", "SELINUX", mode, 0644) < 0)
            return -1;
        char *t = config_value(root, "SELINUXTYPE");
        if (!t && root_set_var(root, "etc/selinux/config", "SELINUXTYPE", "targeted", 0644) < 0)
            return -1;
        free(t);
    }
    log_verbose("selinux: %s", mode);
    return 0;
}

char *selinux_policy(const char *root)
{
    if (!root_exists(root, "usr/sbin/setfiles"))
        return NULL;
    char *type = config_value(root, "SELINUXTYPE");
    if (!type)
        type = xstrdup("targeted");
    char *fc = xasprintf("etc/selinux/%s/contexts/files/file_contexts", type);
    bool ok = root_exists(root, fc);
    free(fc);
    if (!ok) {
        free(type);
        return NULL;
    }
    return type;
}

int selinux_relabel(const char *root, const struct ks_selinux *se)
{
    char *mode = config_value(root, "SELINUX");
    bool disabled = (se && se->seen) ? se->mode == KS_SELINUX_DISABLED : (mode && !strcmp(mode, "disabled"));
    free(mode);
    char *type = selinux_policy(root);
    if (!type) {
        log_info("SELinux: the image has no policy (setfiles and file_contexts): no relabel");
        return 0;
    }
    if (disabled) {
        log_info("SELinux is disabled in the image: no relabel");
        free(type);
        return 0;
    }
    log_info("Relabelling the image with its %s SELinux policy", type);
    char *fc = xasprintf("/etc/selinux/%s/contexts/files/file_contexts", type);
    const char *argv[] = { "/usr/sbin/setfiles", "-F", "-e", "/proc", "-e", "/sys", "-e", "/dev", "-e", "/run",
                           fc, "/", NULL };
    struct run_opts o = { 0 };
    o.chroot = root;
    o.cwd = "/";
    int rc = run_argv(argv, &o);
    if (rc != 0)
        log_warn("SELinux relabel (setfiles) failed with status %d: %s", rc, run_last_output());
    free(fc);
    free(type);
    return 0;
}
