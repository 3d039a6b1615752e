/* sysconfig.c - see sysconfig.h */
#define _GNU_SOURCE
#include "sysconfig.h"
#include "log.h"
#include "util.h"

#include <crypt.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

static int fail_at(const struct ks_loc *loc, const char *fmt, const char *arg)
{
    char msg[1024];
    snprintf(msg, sizeof msg, fmt, arg);
    if (loc && loc->file)
        return log_fail("%s:%d: %s", loc->file, loc->line, msg);
    return log_fail("%s", msg);
}

static int write_root_file(const char *root, const char *rel, const char *content, mode_t mode)
{
    char *p = path_join(root, rel);
    char *dir = xstrdup(p);
    *strrchr(dir, '/') = 0;
    mkdir_p(dir, 0755);
    free(dir);
    int r = write_file(p, content, mode);
    if (r < 0)
        log_fail("cannot write %s: %s", p, strerror(errno));
    free(p);
    return r;
}

static int apply_lang(const struct ks_lang *l, const char *root)
{
    if (!l->seen || !l->lang)
        return 0;
    char *c = xasprintf("LANG=\"%s\"\n", l->lang);
    int r = write_root_file(root, "etc/locale.conf", c, 0644);
    free(c);
    return r;
}

static int apply_timezone(const struct ks_timezone *tz, const char *root)
{
    if (!tz->seen || !tz->timezone)
        return 0;
    if (strstr(tz->timezone, "..") || tz->timezone[0] == '/')
        return fail_at(&tz->loc, "invalid timezone: %s", tz->timezone);
    char *zone = xasprintf("%s/usr/share/zoneinfo/%s", root, tz->timezone);
    if (!path_exists(zone)) {
        /* an image without tzdata still gets the link, as anaconda does */
        char *hostzone = xasprintf("/usr/share/zoneinfo/%s", tz->timezone);
        bool known = path_exists(hostzone);
        free(hostzone);
        if (!known) {
            free(zone);
            return fail_at(&tz->loc, "Unknown timezone: %s", tz->timezone);
        }
        log_warn("%s:%d: the image has no zoneinfo for %s (tzdata not installed)",
                 tz->loc.file, tz->loc.line, tz->timezone);
    }
    free(zone);
    char *link = path_join(root, "etc/localtime");
    char *target = xasprintf("../usr/share/zoneinfo/%s", tz->timezone);
    unlink(link);
    int r = symlink(target, link);
    if (r < 0)
        log_fail("cannot link %s: %s", link, strerror(errno));
    free(link);
    free(target);
    if (r < 0)
        return -1;
    return write_root_file(root, "etc/adjtime", tz->utc ? "0.0 0 0.0\n0\nUTC\n" : "0.0 0 0.0\n0\nLOCAL\n",
                           0644);
}

char *sysconfig_hash_password(const char *plain)
{
    static const char b64[] = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    unsigned char rnd[16];
    if (getrandom(rnd, sizeof rnd, 0) != sizeof rnd)
        return NULL;
    char salt[40] = "$6$";
    for (int i = 0; i < 16; i++)
        salt[3 + i] = b64[rnd[i] % 64];
    salt[19] = '$';
    salt[20] = 0;
    struct crypt_data cd;
    memset(&cd, 0, sizeof cd);
    const char *h = crypt_r(plain, salt, &cd);
    if (!h || h[0] == '*')
        return NULL;
    return xstrdup(h);
}

int sysconfig_set_shadow(const char *root, const char *user, const char *hash)
{
    char *path = path_join(root, "etc/shadow");
    char *buf;
    if (read_file(path, &buf, NULL) < 0) {
        int r = log_fail("cannot read %s: %s", path, strerror(errno));
        free(path);
        return r;
    }
    size_t ulen = strlen(user);
    size_t cap = strlen(buf) + strlen(hash) + ulen + 64;
    char *out = xmalloc(cap), *o = out;
    bool done = false;
    for (char *line = buf; *line;) {
        char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        if (!done && len > ulen && !strncmp(line, user, ulen) && line[ulen] == ':') {
            char *rest = memchr(line + ulen + 1, ':', len - ulen - 1);
            o += sprintf(o, "%s:%s", user, hash);
            if (rest) {
                memcpy(o, rest, (size_t)(line + len - rest));
                o += line + len - rest;
            } else {
                o += sprintf(o, ":::::::");
            }
            *o++ = '\n';
            done = true;
        } else {
            memcpy(o, line, len);
            o += len;
            *o++ = '\n';
        }
        line += len + (nl ? 1 : 0);
    }
    if (!done)
        o += sprintf(o, "%s:%s:::::::\n", user, hash);
    *o = 0;
    char *tmp = xasprintf("%s.kscreate", path);
    int r = write_file(tmp, out, 0);
    struct stat st;
    if (r == 0 && stat(path, &st) == 0) {
        chmod(tmp, st.st_mode & 07777);
        r = chown(tmp, st.st_uid, st.st_gid);
    }
    if (r == 0)
        r = rename(tmp, path);
    if (r < 0) {
        log_fail("cannot update %s: %s", path, strerror(errno));
        unlink(tmp);
    }
    free(tmp);
    free(out);
    free(buf);
    free(path);
    return r;
}

static int apply_rootpw(const struct ks_rootpw *pw, const char *root)
{
    if (!pw->seen)
        return 0;
    char *hash = NULL;
    if (pw->password && pw->iscrypted) {
        const char *p = pw->password;
        if (!(p[0] == '$' || p[0] == '!' || p[0] == '*' || (strlen(p) == 13)))
            return fail_at(&pw->loc, "rootpw --iscrypted: not a crypt(3) hash: %s", p);
        hash = xstrdup(p);
    } else if (pw->password) {
        hash = sysconfig_hash_password(pw->password);
        if (!hash)
            return fail_at(&pw->loc, "cannot hash the root password%s", "");
    } else {
        hash = xstrdup(pw->lock ? "!" : "");
    }
    if (pw->lock && hash[0] != '!') {
        char *l = xasprintf("!%s", hash);
        free(hash);
        hash = l;
    }
    int r = sysconfig_set_shadow(root, "root", hash);
    free(hash);
    return r;
}

int sysconfig_apply(const struct kickstart *ks, const char *root)
{
    if (apply_lang(&ks->lang, root) < 0 || apply_timezone(&ks->timezone, root) < 0 ||
        apply_rootpw(&ks->rootpw, root) < 0)
        return -1;
    for (size_t i = 0; i < ks->ignored.n; i++)
        log_info("kickstart command '%s' does not apply to an image: ignored", ks->ignored.v[i]);
    return 0;
}
