/* bootcfg.c - see bootcfg.h */
#define _GNU_SOURCE
#include "bootcfg.h"
#include "log.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sbuf { char *s; size_t n, cap; };

static void sb_add(struct sbuf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        b->cap = (b->n + n + 1) * 2;
        b->s = xrealloc(b->s, b->cap);
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = 0;
}

static bool is_word_start(char c) { return c >= 'A' && c <= 'Z'; }
static bool is_word_char(char c) { return is_word_start(c) || (c >= '0' && c <= '9') || c == '_'; }

int bootcfg_subst(const char *text, const struct bootcfg_vars *v, const char *where, char **out)
{
    struct sbuf b = { 0 };
    char num[32], num10[32];
    int t = v->timeout < 0 ? 0 : v->timeout;
    snprintf(num, sizeof num, "%d", t);
    snprintf(num10, sizeof num10, "%ld", (long)t * 10);
    const struct { const char *name, *val; } vars[] = {
        { "TITLE", v->title }, { "LABEL", v->label }, { "KERNEL", v->kernel },
        { "INITRD", v->initrd }, { "KARGS", v->kargs }, { "TIMEOUT", num },
        { "TIMEOUT10", num10 },
    };
    unsigned line = 1;
    sb_add(&b, "", 0);
    for (const char *p = text; *p;) {
        if (*p == '@' && is_word_start(p[1])) {
            const char *e = p + 1;
            while (is_word_char(*e))
                e++;
            if (*e == '@') {
                size_t wl = (size_t)(e - p - 1);
                const char *val = NULL;
                bool known = false;
                for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
                    if (strlen(vars[i].name) == wl && !memcmp(vars[i].name, p + 1, wl)) {
                        known = true;
                        val = vars[i].val;
                    }
                if (!known) {
                    free(b.s);
                    return log_fail("%s:%u: unknown placeholder @%.*s@", where ? where : "template",
                                    line, (int)wl, p + 1);
                }
                if (!val) {
                    free(b.s);
                    return log_fail("%s:%u: no value for placeholder @%.*s@",
                                    where ? where : "template", line, (int)wl, p + 1);
                }
                sb_add(&b, val, strlen(val));
                p = e + 1;
                continue;
            }
        }
        if (*p == '\n')
            line++;
        sb_add(&b, p, 1);
        p++;
    }
    *out = b.s;
    return 0;
}

int bootcfg_write(const char *tmpl, const char *out, const struct bootcfg_vars *v)
{
    char *text = NULL, *res = NULL;
    size_t len;
    if (read_file(tmpl, &text, &len) < 0)
        return log_fail("cannot read boot loader template %s: %s", tmpl, strerror(errno));
    if (memchr(text, 0, len)) {
        free(text);
        return log_fail("boot loader template %s contains a NUL byte", tmpl);
    }
    int rc = bootcfg_subst(text, v, tmpl, &res);
    free(text);
    if (rc < 0)
        return -1;
    if (write_file(out, res, 0644) < 0) {
        rc = log_fail("cannot write %s: %s", out, strerror(errno));
    } else {
        log_debug("wrote %s from %s", out, tmpl);
    }
    free(res);
    return rc;
}

char *bootcfg_live_kargs(const char *label, const char *extra)
{
    struct sbuf b = { 0 };
    const char *pre = "root=live:CDLABEL=";
    sb_add(&b, pre, strlen(pre));
    for (const char *p = label ? label : ""; *p; p++) {
        if (*p == ' ')
            sb_add(&b, "\\x20", 4);
        else
            sb_add(&b, p, 1);
    }
    sb_add(&b, " rd.live.image", 14);
    if (extra) {
        while (*extra == ' ' || *extra == '\t')
            extra++;
        if (*extra) {
            sb_add(&b, " ", 1);
            sb_add(&b, extra, strlen(extra));
        }
    }
    return b.s;
}
