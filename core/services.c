/* services.c - see services.h */
#define _GNU_SOURCE
#include "core/services.h"
#include "core/base/strbuf.h"
#include "core/base/strv.h"
#include "core/base/log.h"
#include "core/base/util.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *unit_dirs[] = { "etc/systemd/system", "usr/lib/systemd/system", "lib/systemd/system" };
#define N_UNIT_DIRS (sizeof unit_dirs / sizeof unit_dirs[0])

static const char *suffixes[] = { ".service", ".socket", ".target", ".timer", ".path", ".mount",
                                  ".automount", ".swap", ".slice", ".scope", ".device" };

static char *normalize(const char *unit)
{
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++)
        if (str_endswith(unit, suffixes[i]))
            return xstrdup(unit);
    return xasprintf("%s.service", unit);
}

/* "a@b.service" -> "a@.service"; NULL when not an instance */
static char *template_of(const char *unit)
{
    const char *at = strchr(unit, '@'), *dot = strrchr(unit, '.');
    if (!at || !dot || dot < at || dot == at + 1)
        return NULL;
    return xasprintf("%.*s%s", (int)(at - unit + 1), unit, dot);
}

static bool is_template(const char *unit)
{
    const char *at = strchr(unit, '@'), *dot = strrchr(unit, '.');
    return at && dot == at + 1;
}

/* Path inside the image ("/usr/lib/systemd/system/x.service") of the unit
 * file (or link) for NAME, or NULL. */
static char *find_unit(const char *root, const char *name)
{
    for (size_t i = 0; i < N_UNIT_DIRS; i++) {
        char *rel = xasprintf("/%s/%s", unit_dirs[i], name);
        char *p = path_join(root, rel);
        struct stat st;
        bool ok = lstat(p, &st) == 0 && (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode));
        if (ok && S_ISLNK(st.st_mode)) {
            char t[PATH_MAX];
            ssize_t n = readlink(p, t, sizeof t - 1);
            t[n > 0 ? n : 0] = 0;
            if (!strcmp(t, "/dev/null"))
                ok = true;   /* masked: reported as such by the caller */
        }
        free(p);
        if (ok)
            return rel;
        free(rel);
    }
    return NULL;
}

/* the unit file really used: resolves symlinks (aliases) inside the root;
 * returns the image path and sets *real_name to the unit name it has */
static char *resolve_unit(const char *root, const char *name, char **real_name)
{
    char *rel = find_unit(root, name);
    char *tmpl = NULL;
    if (!rel && (tmpl = template_of(name)))
        rel = find_unit(root, tmpl);
    free(tmpl);
    if (!rel)
        return NULL;
    for (int depth = 0; depth < 8; depth++) {
        char *p = path_join(root, rel);
        char t[PATH_MAX];
        ssize_t n = readlink(p, t, sizeof t - 1);
        free(p);
        if (n < 0)
            break;
        t[n] = 0;
        if (!strcmp(t, "/dev/null"))
            break;
        char *next;
        if (t[0] == '/') {
            next = xstrdup(t);
        } else {
            char *dir = xstrdup(rel);
            *strrchr(dir, '/') = 0;
            next = xasprintf("%s/%s", dir, t);
            free(dir);
        }
        free(rel);
        rel = next;
    }
    const char *base = strrchr(rel, '/') + 1;
    /* a template file standing for an instance name keeps the instance */
    if (is_template(base) && !is_template(name))
        *real_name = xstrdup(name);
    else
        *real_name = xstrdup(base);
    return rel;
}

bool services_unit_exists(const char *root, const char *unit)
{
    char *n = normalize(unit), *real = NULL;
    char *rel = resolve_unit(root, n, &real);
    bool r = rel != NULL;
    free(rel);
    free(real);
    free(n);
    return r;
}

struct install {
    strv_t wanted_by, required_by, upheld_by, alias, also;
    char *default_instance;
};

static void install_free(struct install *in)
{
    strv_free(&in->wanted_by);
    strv_free(&in->required_by);
    strv_free(&in->upheld_by);
    strv_free(&in->alias);
    strv_free(&in->also);
    free(in->default_instance);
}

/* unit specifiers in [Install] values */
static char *expand(const char *v, const char *unit)
{
    const char *at = strchr(unit, '@'), *dot = strrchr(unit, '.');
    size_t plen = at ? (size_t)(at - unit) : (size_t)(dot ? dot - unit : (long)strlen(unit));
    struct strbuf b = { 0 };
    for (const char *p = v; *p; p++) {
        if (*p != '%' || !p[1]) {
            strbuf_addc(&b, *p);
            continue;
        }
        p++;
        switch (*p) {
        case 'n': strbuf_add(&b, unit); break;
        case 'N': strbuf_addn(&b, unit, dot ? (size_t)(dot - unit) : strlen(unit)); break;
        case 'p': strbuf_addn(&b, unit, plen); break;
        case 'i':
            if (at && dot)
                strbuf_addn(&b, at + 1, (size_t)(dot - at - 1));
            break;
        case '%': strbuf_addc(&b, '%'); break;
        default: strbuf_addc(&b, '%'); strbuf_addc(&b, *p); break;
        }
    }
    return strbuf_take(&b);
}

static void add_words(strv_t *sv, const char *value, const char *unit)
{
    char *copy = xstrdup(value);
    for (char *save, *w = strtok_r(copy, " \t", &save); w; w = strtok_r(NULL, " \t", &save))
        strv_push_take(sv, expand(w, unit));
    free(copy);
}

static int read_install(const char *root, const char *rel, const char *unit, struct install *in)
{
    memset(in, 0, sizeof *in);
    char *p = path_join(root, rel), *buf;
    int r = read_file(p, &buf, NULL);
    free(p);
    if (r < 0)
        return -1;
    bool section = false;
    for (char *save, *l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        while (*l == ' ' || *l == '\t')
            l++;
        if (*l == '#' || *l == ';' || !*l)
            continue;
        if (*l == '[') {
            section = str_startswith(l, "[Install]");
            continue;
        }
        if (!section)
            continue;
        char *eq = strchr(l, '=');
        if (!eq)
            continue;
        char *k = l, *v = eq + 1;
        char *ke = eq;
        while (ke > k && (ke[-1] == ' ' || ke[-1] == '\t'))
            ke--;
        *ke = 0;
        while (*v == ' ' || *v == '\t')
            v++;
        if (!strcmp(k, "WantedBy")) add_words(&in->wanted_by, v, unit);
        else if (!strcmp(k, "RequiredBy")) add_words(&in->required_by, v, unit);
        else if (!strcmp(k, "UpheldBy")) add_words(&in->upheld_by, v, unit);
        else if (!strcmp(k, "Alias")) add_words(&in->alias, v, unit);
        else if (!strcmp(k, "Also")) add_words(&in->also, v, unit);
        else if (!strcmp(k, "DefaultInstance")) {
            free(in->default_instance);
            in->default_instance = xstrdup(v);
        }
    }
    free(buf);
    return 0;
}

static int make_link(const char *root, const char *rel_link, const char *target)
{
    char *p = path_join(root, rel_link);
    char *dir = xstrdup(p);
    *strrchr(dir, '/') = 0;
    int r = mkdir_p(dir, 0755);
    free(dir);
    char cur[PATH_MAX];
    ssize_t n = readlink(p, cur, sizeof cur - 1);
    if (n >= 0) {
        cur[n] = 0;
        if (!strcmp(cur, target)) {
            free(p);
            return 0;
        }
    }
    if (r == 0 && (unlink(p) == 0 || errno == ENOENT))
        r = symlink(target, p);
    else
        r = -1;
    if (r < 0)
        log_warn("cannot create symlink %s -> %s: %s", p, target, strerror(errno));
    else
        log_verbose("Created symlink /%s -> %s", rel_link, target);
    free(p);
    return r;
}

#define MAX_DEPTH 8

static int enable_rec(const char *root, const char *unit_in, int depth)
{
    if (depth > MAX_DEPTH)
        return 0;
    char *unit = normalize(unit_in), *name = NULL;
    char *rel = resolve_unit(root, unit, &name);
    if (!rel) {
        free(unit);
        return -1;
    }
    int rc = 0;
    char *full = path_join(root, rel);
    char lt[PATH_MAX];
    ssize_t ln = readlink(full, lt, sizeof lt - 1);
    free(full);
    if (ln == 9 && !strncmp(lt, "/dev/null", 9)) {
        log_warn("unit %s is masked: not enabled", unit);
        rc = 1;
        goto out;
    }
    if (strcmp(name, unit) && !is_template(unit))
        log_verbose("%s is an alias of %s: enabling %s", unit, name, name);
    /* the name the links carry: instance (given or DefaultInstance) for templates */
    struct install in;
    if (read_install(root, rel, name, &in) < 0) {
        log_warn("cannot read unit file %s%s", root, rel);
        rc = -2;
        goto out;
    }
    if (is_template(name)) {
        if (!in.default_instance) {
            log_warn("%s is a template unit without DefaultInstance=: name an instance (e.g. %.*s@NAME%s)",
                     name, (int)(strchr(name, '@') - name), name, strrchr(name, '.'));
            install_free(&in);
            rc = 1;
            goto out;
        }
        char *inst = xasprintf("%.*s%s%s", (int)(strchr(name, '@') - name + 1), name, in.default_instance,
                               strrchr(name, '.'));
        free(name);
        name = inst;
        install_free(&in);
        read_install(root, rel, name, &in);
    }
    if (!in.wanted_by.n && !in.required_by.n && !in.upheld_by.n && !in.alias.n && !in.also.n) {
        log_warn("unit %s has no [Install] section (WantedBy=, RequiredBy=, Alias=, Also=): it is static "
                 "or enabled by other units, nothing to enable",
                 name);
        install_free(&in);
        rc = 1;
        goto out;
    }
    struct { strv_t *sv; const char *suffix; } deps[] = {
        { &in.wanted_by, "wants" }, { &in.required_by, "requires" }, { &in.upheld_by, "upholds" } };
    for (size_t d = 0; d < 3; d++)
        for (size_t i = 0; i < deps[d].sv->n; i++) {
            char *l = xasprintf("etc/systemd/system/%s.%s/%s", deps[d].sv->v[i], deps[d].suffix, name);
            if (make_link(root, l, rel) < 0)
                rc = -2;
            free(l);
        }
    for (size_t i = 0; i < in.alias.n; i++) {
        if (strchr(in.alias.v[i], '/')) {
            log_warn("unit %s: invalid Alias=%s", name, in.alias.v[i]);
            continue;
        }
        char *l = xasprintf("etc/systemd/system/%s", in.alias.v[i]);
        if (make_link(root, l, rel) < 0)
            rc = -2;
        free(l);
    }
    for (size_t i = 0; i < in.also.n; i++) {
        int r = enable_rec(root, in.also.v[i], depth + 1);
        if (r == -1)
            log_warn("unit %s: Also=%s does not exist", name, in.also.v[i]);
        else if (r == -2)
            rc = -2;
    }
    install_free(&in);
out:
    free(rel);
    free(name);
    free(unit);
    return rc;
}

int services_enable(const char *root, const char *unit) { return enable_rec(root, unit, 0); }

/* remove links named NAME in etc/systemd/system/(*.wants|*.requires|*.upholds)
 * and links anywhere in etc/systemd/system pointing at REL */
static int remove_links(const char *root, const char *name, const char *rel, const strv_t *aliases)
{
    char *base = path_join(root, "etc/systemd/system");
    DIR *d = opendir(base);
    int removed = 0;
    if (!d) {
        free(base);
        return 0;
    }
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char *p = path_join(base, e->d_name);
        struct stat st;
        if (lstat(p, &st) < 0) {
            free(p);
            continue;
        }
        if (S_ISLNK(st.st_mode)) {
            char t[PATH_MAX];
            ssize_t n = readlink(p, t, sizeof t - 1);
            t[n > 0 ? n : 0] = 0;
            bool mine = !strcmp(t, rel) || strv_contains(aliases, e->d_name);
            /* never drop a link carrying the unit's own name: a linked unit file */
            if (!strcmp(e->d_name, strrchr(rel, '/') + 1) || !strcmp(e->d_name, name))
                mine = false;
            if (mine && unlink(p) == 0) {
                log_verbose("Removed /etc/systemd/system/%s", e->d_name);
                removed++;
            }
        } else if (S_ISDIR(st.st_mode) && (str_endswith(e->d_name, ".wants") ||
                                          str_endswith(e->d_name, ".requires") ||
                                          str_endswith(e->d_name, ".upholds"))) {
            DIR *sd = opendir(p);
            struct dirent *se;
            while (sd && (se = readdir(sd))) {
                if (se->d_name[0] == '.')
                    continue;
                char *sp = path_join(p, se->d_name);
                char t[PATH_MAX];
                ssize_t n = readlink(sp, t, sizeof t - 1);
                t[n > 0 ? n : 0] = 0;
                if (n > 0 && (!strcmp(se->d_name, name) || !strcmp(t, rel))) {
                    if (unlink(sp) == 0) {
                        log_verbose("Removed /etc/systemd/system/%s/%s", e->d_name, se->d_name);
                        removed++;
                    }
                }
                free(sp);
            }
            if (sd)
                closedir(sd);
            rmdir(p);   /* only when empty, as systemctl leaves it */
        }
        free(p);
    }
    closedir(d);
    free(base);
    return removed;
}

static int disable_rec(const char *root, const char *unit_in, int depth)
{
    if (depth > MAX_DEPTH)
        return 0;
    char *unit = normalize(unit_in), *name = NULL;
    char *rel = resolve_unit(root, unit, &name);
    if (!rel) {
        free(unit);
        return -1;
    }
    struct install in;
    memset(&in, 0, sizeof in);
    read_install(root, rel, name, &in);
    remove_links(root, name, rel, &in.alias);
    for (size_t i = 0; i < in.also.n; i++)
        disable_rec(root, in.also.v[i], depth + 1);
    install_free(&in);
    free(rel);
    free(name);
    free(unit);
    return 0;
}

int services_disable(const char *root, const char *unit) { return disable_rec(root, unit, 0); }

/* ---- presets ---------------------------------------------------------------- */

static const char *preset_dirs[] = { "etc/systemd/system-preset", "usr/lib/systemd/system-preset",
                                     "lib/systemd/system-preset" };

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* preset files in order: by file name, the first directory wins per name */
static void preset_files(const char *root, strv_t *out)
{
    strv_t names = { 0 };
    strv_t paths = { 0 };
    for (size_t i = 0; i < sizeof preset_dirs / sizeof preset_dirs[0]; i++) {
        char *dir = path_join(root, preset_dirs[i]);
        DIR *d = opendir(dir);
        struct dirent *e;
        while (d && (e = readdir(d))) {
            if (!str_endswith(e->d_name, ".preset") || strv_contains(&names, e->d_name))
                continue;
            strv_push(&names, e->d_name);
            strv_push_take(&paths, xasprintf("%s\t%s/%s", e->d_name, dir, e->d_name));
        }
        if (d)
            closedir(d);
        free(dir);
    }
    if (paths.n)
        qsort(paths.v, paths.n, sizeof(char *), cmp_str);
    for (size_t i = 0; i < paths.n; i++)
        strv_push(out, strchr(paths.v[i], '\t') + 1);
    strv_free(&names);
    strv_free(&paths);
}

int services_preset(const char *root, const char *unit_in)
{
    char *unit = normalize(unit_in);
    strv_t files = { 0 };
    preset_files(root, &files);
    int result = 1;
    bool found = false;
    for (size_t i = 0; i < files.n && !found; i++) {
        char *buf;
        if (read_file(files.v[i], &buf, NULL) < 0)
            continue;
        for (char *save, *l = strtok_r(buf, "\n", &save); l && !found; l = strtok_r(NULL, "\n", &save)) {
            char *wsave, *verb = strtok_r(l, " \t\r", &wsave), *pat = verb ? strtok_r(NULL, " \t\r", &wsave) : NULL;
            if (!pat || verb[0] == '#' || verb[0] == ';')
                continue;
            if (fnmatch(pat, unit, 0) == 0) {
                found = true;
                result = !strcmp(verb, "enable") ? 1 : 0;
            }
        }
        free(buf);
    }
    strv_free(&files);
    free(unit);
    return result;
}

int services_preset_all(const char *root)
{
    int count = 0;
    strv_t seen = { 0 };
    for (size_t i = 0; i < N_UNIT_DIRS; i++) {
        char *dir = path_join(root, unit_dirs[i]);
        DIR *d = opendir(dir);
        struct dirent *e;
        while (d && (e = readdir(d))) {
            if (e->d_name[0] == '.' || strv_contains(&seen, e->d_name))
                continue;
            bool unit = false;
            for (size_t k = 0; k < sizeof suffixes / sizeof suffixes[0]; k++)
                unit |= str_endswith(e->d_name, suffixes[k]);
            char *p = path_join(dir, e->d_name);
            struct stat st;
            bool regular = lstat(p, &st) == 0 && S_ISREG(st.st_mode);
            free(p);
            if (!unit || !regular)
                continue;
            strv_push(&seen, e->d_name);
            char *rel = xasprintf("/%s/%s", unit_dirs[i], e->d_name);
            struct install in;
            bool installable = read_install(root, rel, e->d_name, &in) == 0 &&
                               (in.wanted_by.n || in.required_by.n || in.upheld_by.n || in.alias.n) &&
                               (!is_template(e->d_name) || in.default_instance);
            install_free(&in);
            free(rel);
            if (installable && services_preset(root, e->d_name) == 1 && enable_rec(root, e->d_name, 0) == 0)
                count++;
        }
        if (d)
            closedir(d);
        free(dir);
    }
    strv_free(&seen);
    return count;
}

int services_set_default_target(const char *root, const char *target)
{
    char *t = normalize(target), *name = NULL;
    char *rel = resolve_unit(root, t, &name);
    free(t);
    if (!rel)
        return -1;
    int r = make_link(root, "etc/systemd/system/default.target", rel);
    free(rel);
    free(name);
    return r < 0 ? -2 : 0;
}
