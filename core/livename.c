/* livename.c - see livename.h */
#define _GNU_SOURCE
#include "core/livename.h"
#include "core/base/reproducible.h"
#include "core/base/util.h"

#include <ctype.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

char *livename_stamp(void)
{
    long long sde = reproducible_epoch();
    time_t t = sde >= 0 ? (time_t)sde : time(NULL);
    struct tm tm;
    char buf[32];
    strftime(buf, sizeof buf, "%Y%m%d%H%M", localtime_r(&t, &tm));
    return xstrdup(buf);
}

char *livename_build(const char *ksfile, const char *prefix, const char *suffix, size_t maxlen)
{
    char *copy = xstrdup(ksfile);
    char *base = xstrdup(basename(copy));
    free(copy);
    char *dot = strrchr(base, '.');
    if (dot)
        *dot = 0;
    if (!prefix)
        prefix = "";
    char *stamp = suffix ? NULL : livename_stamp();
    if (!suffix)
        suffix = stamp;
    const char *name = base;
    if (*prefix && str_startswith(name, prefix))
        name += strlen(prefix);
    char *ret = xasprintf("%s%s-%s", prefix, name, suffix);
    if (maxlen > 0 && strlen(ret) > maxlen) {
        free(ret);
        size_t sl = strlen(suffix);
        /* Python's name[:maxlen - len(suffix) - 1]: a negative end counts from the end */
        long end = (long)maxlen - (long)sl - 1;
        long nl = (long)strlen(name);
        if (end < 0)
            end = nl + end < 0 ? 0 : nl + end;
        if (end > nl)
            end = nl;
        ret = xasprintf("%.*s-%s", (int)end, name, suffix);
    }
    free(stamp);
    free(base);
    return ret;
}

char *livename_title(const char *name)
{
    /* " ".join(name.split("-")[:2]).title() */
    const char *d1 = strchr(name, '-');
    const char *d2 = d1 ? strchr(d1 + 1, '-') : NULL;
    char *t = d2 ? xstrndup(name, (size_t)(d2 - name)) : xstrdup(name);
    if (d1)
        t[d1 - name] = ' ';
    bool prev_cased = false;
    for (char *p = t; *p; p++) {
        if (isalpha((unsigned char)*p)) {
            *p = prev_cased ? (char)tolower((unsigned char)*p) : (char)toupper((unsigned char)*p);
            prev_cased = true;
        } else {
            prev_cased = false;
        }
    }
    if (!*t) {
        free(t);
        t = xstrdup("Linux");
    }
    return t;
}
