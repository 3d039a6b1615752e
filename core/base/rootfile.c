/* rootfile.c - see rootfile.h */
#define _GNU_SOURCE
#include "core/base/rootfile.h"
#include "core/base/escape.h"
#include "core/base/log.h"
#include "core/base/strbuf.h"
#include "core/base/util.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *parent_of(const char *p)
{
    char *d = xstrdup(p);
    char *s = strrchr(d, '/');
    if (s)
        *s = 0;
    return d;
}

int root_write(const char *root, const char *rel, const char *content, mode_t mode)
{
    char *p = path_join(root, rel);
    char *dir = parent_of(p);
    int r = mkdir_p(dir, 0755);
    if (r == 0) {
        /* never write through a symlink the image ships (it would point at the host) */
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISLNK(st.st_mode))
            unlink(p);
        r = write_file(p, content, mode);
    }
    if (r < 0)
        log_fail("cannot write %s: %s", p, strerror(errno));
    free(dir);
    free(p);
    return r;
}

int root_set_var(const char *root, const char *rel, const char *key, const char *value, mode_t mode)
{
    if (!esc_value_ok(value))
        return log_fail("%s: %s: a value with a newline or control character cannot be written", rel, key);
    char *p = path_join(root, rel), *buf = NULL;
    size_t klen = strlen(key);
    struct stat st;
    bool had = stat(p, &st) == 0 && read_file(p, &buf, NULL) == 0;
    struct strbuf out = { 0 };
    bool done = false;
    for (char *line = buf; line && *line;) {
        char *nl = strchrnul(line, '\n');
        const char *s = line;
        while (*s == ' ' || *s == '\t')
            s++;
        bool match = !strncmp(s, key, klen) && s[klen] == '=';
        if (match && !done) {
            strbuf_printf(&out, "%s=%s\n", key, value);
            done = true;
        } else if (!match) {
            strbuf_addn(&out, line, (size_t)(nl - line));
            strbuf_addc(&out, '\n');
        }
        line = *nl ? nl + 1 : nl;
    }
    if (!done)
        strbuf_printf(&out, "%s=%s\n", key, value);
    int r = root_write(root, rel, strbuf_str(&out), had ? (st.st_mode & 07777) : mode);
    strbuf_free(&out);
    free(buf);
    free(p);
    return r;
}

int root_symlink(const char *root, const char *rel, const char *target)
{
    char *p = path_join(root, rel);
    char *dir = parent_of(p);
    int r = mkdir_p(dir, 0755);
    if (r == 0 && unlink(p) < 0 && errno != ENOENT)
        r = -1;
    if (r == 0)
        r = symlink(target, p);
    if (r < 0)
        log_fail("cannot create symlink %s -> %s: %s", p, target, strerror(errno));
    free(dir);
    free(p);
    return r;
}

static char *resolve(const char *root, const char *rel)
{
    char *p = path_join(root, rel);
    char t[PATH_MAX];
    ssize_t n = readlink(p, t, sizeof t - 1);
    if (n > 0 && t[0] == '/') {
        t[n] = 0;
        free(p);
        p = path_join(root, t);
    }
    return p;
}

bool root_exists(const char *root, const char *rel)
{
    char *p = resolve(root, rel);
    bool r = path_exists(p);
    free(p);
    return r;
}

bool root_is_exec(const char *root, const char *rel)
{
    char *p = resolve(root, rel);
    struct stat st;
    bool r = stat(p, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111);
    free(p);
    return r;
}

const char *root_find_exec(const char *root, const char *const *candidates)
{
    for (size_t i = 0; candidates[i]; i++)
        if (root_is_exec(root, candidates[i]))
            return candidates[i];
    return NULL;
}
