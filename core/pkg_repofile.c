/* pkg_repofile.c - dnf .repo files (livecd-creator --repo FILE|DIR).
 * See pkg_add_repofile() in pkg.h.
 *
 * The format is dnf's INI: "[id]" sections, "key=value" (or "key: value")
 * lines, '#'/';' comments, and continuation lines (starting with
 * whitespace) that extend the previous value, as gpgkey= lists often use.
 * Lists (baseurl, gpgkey, excludepkgs, includepkgs) are split on
 * whitespace and commas.  Unknown keys are ignored (dnf accepts many we do
 * not need: metadata_expire, skip_if_unavailable, type, ...).
 */
#define _GNU_SOURCE
#define KSC_PKG_INTERNAL
#include "core/pkg.h"
#include "core/base/strv.h"
#include "core/base/log.h"
#include "core/base/util.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct kv {
    char *key, *val;
    int line;
};

struct section {
    char *id;
    int line;
    struct kv *kv;
    size_t n;
};

static int parse_bool(const char *v, bool *out)
{
    if (!strcasecmp(v, "1") || !strcasecmp(v, "yes") || !strcasecmp(v, "true") ||
        !strcasecmp(v, "on")) {
        *out = true;
        return 0;
    }
    if (!strcasecmp(v, "0") || !strcasecmp(v, "no") || !strcasecmp(v, "false") ||
        !strcasecmp(v, "off")) {
        *out = false;
        return 0;
    }
    return -1;
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = 0;
    return s;
}

static const char *get(const struct section *s, const char *key)
{
    const char *v = NULL;
    for (size_t i = 0; i < s->n; i++)
        if (!strcmp(s->kv[i].key, key))
            v = s->kv[i].val; /* the last one wins */
    return v;
}

static void split_list(struct pkg_engine *e, const char *v, strv_t *out)
{
    if (!v)
        return;
    char *copy = xstrdup(v), *save = NULL;
    for (char *t = strtok_r(copy, " ,\t\n", &save); t; t = strtok_r(NULL, " ,\t\n", &save))
        strv_push_take(out, pkg__subst_vars(e, t));
    free(copy);
}

static int add_section(struct pkg_engine *e, const char *file, const struct section *s)
{
    bool enabled = true, b;
    const char *v = get(s, "enabled");
    if (v && parse_bool(v, &enabled) < 0)
        return log_fail("%s:%d: [%s] enabled=%s is not a boolean", file, s->line, s->id, v);
    if (!enabled) {
        log_verbose("%s: repository %s is disabled", file, s->id);
        return 0;
    }
    const char *baseurl = get(s, "baseurl"), *ml = get(s, "mirrorlist"), *mlk = get(s, "metalink");
    if (!baseurl && !ml && !mlk)
        return log_fail("%s:%d: repository %s has no baseurl, mirrorlist or metalink", file,
                        s->line, s->id);
    for (size_t i = 0; i < e->n_repos; i++)
        if (!strcmp(e->repos[i]->name, s->id))
            return log_fail("%s:%d: repository %s is defined twice", file, s->line, s->id);
    struct pkg_repo *r = pkg__repo_new(e, s->id, baseurl, ml, mlk);
    for (size_t i = 0; i < s->n; i++) {
        const char *k = s->kv[i].key, *val = s->kv[i].val;
        int line = s->kv[i].line;
        char *end;
        if (!strcmp(k, "gpgcheck") || !strcmp(k, "sslverify")) {
            if (parse_bool(val, &b) < 0)
                return log_fail("%s:%d: %s=%s is not a boolean", file, line, k, val);
            if (!strcmp(k, "gpgcheck"))
                r->gpgcheck = b;
            else
                r->dl.noverifyssl = !b;
        } else if (!strcmp(k, "priority") || !strcmp(k, "cost")) {
            long n = strtol(val, &end, 10);
            if (!*val || *end)
                return log_fail("%s:%d: %s=%s is not a number", file, line, k, val);
            if (!strcmp(k, "priority"))
                r->priority = (int)n;
            else
                r->cost = (int)n;
        } else if (!strcmp(k, "gpgkey")) {
            split_list(e, val, &r->gpgkeys);
        } else if (!strcmp(k, "excludepkgs") || !strcmp(k, "exclude")) {
            split_list(e, val, &r->excludepkgs);
        } else if (!strcmp(k, "includepkgs")) {
            split_list(e, val, &r->includepkgs);
        } else if (!strcmp(k, "proxy") && *val && strcmp(val, "_none_")) {
            free(r->proxy);
            r->dl.proxy = r->proxy = pkg__subst_vars(e, val);
        } else if (!strcmp(k, "sslcacert")) {
            free(r->sslcacert);
            r->dl.sslcacert = r->sslcacert = pkg__subst_vars(e, val);
        } else if (!strcmp(k, "sslclientcert")) {
            free(r->sslclientcert);
            r->dl.sslclientcert = r->sslclientcert = pkg__subst_vars(e, val);
        } else if (!strcmp(k, "sslclientkey")) {
            free(r->sslclientkey);
            r->dl.sslclientkey = r->sslclientkey = pkg__subst_vars(e, val);
        }
    }
    const char *user = get(s, "username"), *pw = get(s, "password");
    if (user && *user) {
        r->userpwd = xasprintf("%s:%s", user, pw ? pw : "");
        r->dl.userpwd = r->userpwd;
    }
    user = get(s, "proxy_username");
    pw = get(s, "proxy_password");
    if (user && *user) {
        r->proxyuserpwd = xasprintf("%s:%s", user, pw ? pw : "");
        r->dl.proxyuserpwd = r->proxyuserpwd;
    }
    log_verbose("%s: repository %s (priority %d, cost %d%s)", file, s->id, r->priority, r->cost,
                r->gpgcheck ? ", gpgcheck" : "");
    return 0;
}

static void free_sections(struct section *secs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < secs[i].n; j++) {
            free(secs[i].kv[j].key);
            free(secs[i].kv[j].val);
        }
        free(secs[i].kv);
        free(secs[i].id);
    }
    free(secs);
}

static int add_file(struct pkg_engine *e, const char *file)
{
    char *text = NULL;
    if (read_file(file, &text, NULL) < 0)
        return log_fail("%s: cannot read the repository file: %s", file, strerror(errno));
    struct section *secs = NULL;
    size_t n = 0;
    int rc = 0, lineno = 0;
    struct kv *last = NULL;
    for (char *l = text, *nl; l && rc == 0; l = nl) {
        nl = strchr(l, '\n');
        if (nl)
            *nl++ = 0;
        lineno++;
        bool cont = l[0] == ' ' || l[0] == '\t';
        char *t = trim(l);
        if (!*t || *t == '#' || *t == ';') {
            if (!*t)
                last = NULL;
            continue;
        }
        if (cont && last) {
            char *nv = xasprintf("%s %s", last->val, t);
            free(last->val);
            last->val = nv;
            continue;
        }
        if (*t == '[') {
            char *end = strchr(t, ']');
            if (!end || end == t + 1) {
                rc = log_fail("%s:%d: bad section header: %s", file, lineno, t);
                break;
            }
            *end = 0;
            secs = xrealloc(secs, (n + 1) * sizeof *secs);
            secs[n] = (struct section){ .id = xstrdup(trim(t + 1)), .line = lineno };
            n++;
            last = NULL;
            continue;
        }
        char *eq = strpbrk(t, "=:");
        if (!eq) {
            rc = log_fail("%s:%d: expected key=value: %s", file, lineno, t);
            break;
        }
        if (!n) {
            rc = log_fail("%s:%d: %s outside a [section]", file, lineno, t);
            break;
        }
        *eq = 0;
        struct section *s = &secs[n - 1];
        s->kv = xrealloc(s->kv, (s->n + 1) * sizeof *s->kv);
        s->kv[s->n] = (struct kv){ .key = xstrdup(trim(t)), .val = xstrdup(trim(eq + 1)),
                                  .line = lineno };
        last = &s->kv[s->n++];
    }
    free(text);
    for (size_t i = 0; i < n && rc == 0; i++)
        if (strcmp(secs[i].id, "main"))
            rc = add_section(e, file, &secs[i]);
    free_sections(secs, n);
    return rc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int pkg_add_repofile(struct pkg_engine *e, const char *path)
{
    if (!is_dir(path))
        return add_file(e, path);
    DIR *d = opendir(path);
    if (!d)
        return log_fail("%s: %s", path, strerror(errno));
    strv_t files = { 0 };
    struct dirent *de;
    while ((de = readdir(d)))
        if (de->d_name[0] != '.' && str_endswith(de->d_name, ".repo"))
            strv_push_take(&files, path_join(path, de->d_name));
    closedir(d);
    if (files.n)
        qsort(files.v, files.n, sizeof *files.v, cmp_str);
    int rc = 0;
    if (!files.n)
        log_warn("%s: no *.repo files", path);
    for (size_t i = 0; i < files.n && rc == 0; i++)
        rc = add_file(e, files.v[i]);
    strv_free(&files);
    return rc;
}
