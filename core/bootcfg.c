/* bootcfg.c - see bootcfg.h */
#define _GNU_SOURCE
#include "core/bootcfg.h"
#include "core/base/escape.h"
#include "core/base/log.h"
#include "core/base/strbuf.h"
#include "core/base/util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool is_word_start(char c) { return c >= 'A' && c <= 'Z'; }
static bool is_word_char(char c) { return is_word_start(c) || (c >= '0' && c <= '9') || c == '_'; }

int bootcfg_subst(const char *text, const struct bootcfg_vars *v, const char *where, char **out)
{
    struct strbuf b = { 0 };
    char num[32], num10[32];
    int t = v->timeout < 0 ? 0 : v->timeout;
    snprintf(num, sizeof num, "%d", t);
    snprintf(num10, sizeof num10, "%ld", (long)t * 10);
    struct { const char *name, *val; } vars[] = {
        { "TITLE", v->title }, { "LABEL", v->label }, { "KERNEL", v->kernel },
        { "INITRD", v->initrd }, { "KARGS", v->kargs }, { "TIMEOUT", num },
        { "TIMEOUT10", num10 }, { "ENTRIES", v->entries },
    };
    char *dflt = NULL;
    if (!v->entries) {
        /* a template with @ENTRIES@ but no entries given: one plain entry */
        struct bootcfg_kernel k = { NULL, v->kernel, v->initrd };
        bool grub = strstr(text, "menuentry") || strstr(text, "search ") || strstr(text, "insmod");
        dflt = v->kernel && v->initrd ? (grub ? bootcfg_grub_entries(v, &k, 1, false, false)
                                               : bootcfg_isolinux_entries(v, &k, 1, false))
                                      : NULL;
        vars[7].val = dflt;
    }
    unsigned line = 1;
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
                    free(dflt);
                    strbuf_free(&b);
                    return log_fail("%s:%u: unknown placeholder @%.*s@", where ? where : "template",
                                    line, (int)wl, p + 1);
                }
                if (!val) {
                    free(dflt);
                    strbuf_free(&b);
                    return log_fail("%s:%u: no value for placeholder @%.*s@",
                                    where ? where : "template", line, (int)wl, p + 1);
                }
                strbuf_addn(&b, val, strlen(val));
                p = e + 1;
                continue;
            }
        }
        if (*p == '\n')
            line++;
        strbuf_addn(&b, p, 1);
        p++;
    }
    free(dflt);
    *out = strbuf_take(&b);
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
    struct strbuf b = { 0 };
    const char *pre = "root=live:CDLABEL=";
    strbuf_addn(&b, pre, strlen(pre));
    for (const char *p = label ? label : ""; *p; p++) {
        if (*p == ' ')
            strbuf_addn(&b, "\\x20", 4);
        else
            strbuf_addn(&b, p, 1);
    }
    strbuf_addn(&b, " ro rd.live.image", 17);
    if (extra) {
        while (*extra == ' ' || *extra == '\t')
            extra++;
        if (*extra) {
            strbuf_addn(&b, " ", 1);
            strbuf_addn(&b, extra, strlen(extra));
        }
    }
    return strbuf_take(&b);
}

/* ---- menu entries ---- */

static char *entry_name(const struct bootcfg_vars *v, const struct bootcfg_kernel *k, size_t i)
{
    const char *prod = v->product ? v->product : v->title;
    if (i == 0 || !k[i].version)
        return xstrdup(prod);
    return xasprintf("%s (%s)", prod, k[i].version);
}

static char *kline(const struct bootcfg_vars *v, const char *extra)
{
    char *base = bootcfg_live_kargs(v->label, v->kargs);
    if (!extra)
        return base;
    char *r = xasprintf("%s %s", base, extra);
    free(base);
    return r;
}

char *bootcfg_isolinux_entries(const struct bootcfg_vars *v, const struct bootcfg_kernel *k,
                               size_t n, bool check)
{
    struct strbuf b = { 0 };
    for (size_t i = 0; i < n; i++) {
        char *name = entry_name(v, k, i), *args = kline(v, NULL);
        strbuf_printf(&b, "label linux%zu\n  menu label ^Start %s\n  kernel %s\n  append initrd=%s %s\n%s",
                  i, name, k[i].kernel, k[i].initrd, args, i == 0 ? "  menu default\n" : "");
        free(name);
        free(args);
    }
    strbuf_printf(&b, "menu separator\nmenu begin ^Troubleshooting\n  menu title Troubleshooting\n");
    for (size_t i = 0; i < n; i++) {
        char *name = entry_name(v, k, i), *args = kline(v, "nomodeset");
        strbuf_printf(&b, "label basic%zu\n  menu label Start %s in ^basic graphics mode.\n  kernel %s\n"
                      "  append initrd=%s %s\n  text help\n      Try this option out if you're having "
                      "trouble starting.\n  endtext\n",
                  i, name, k[i].kernel, k[i].initrd, args);
        free(args);
        if (check) {
            args = kline(v, "rd.live.check");
            strbuf_printf(&b, "label check%zu\n  menu label ^Test this media & start %s\n  kernel %s\n"
                          "  append initrd=%s %s\n",
                      i, name, k[i].kernel, k[i].initrd, args);
            free(args);
        }
        free(name);
    }
    strbuf_printf(&b, "menu separator\nlabel local\n  menu label Boot from ^local drive\n  localboot 0xffff\n"
                  "menu separator\nlabel returntomain\n  menu label Return to ^main menu.\n  menu exit\n"
                  "menu end\n");
    return strbuf_take(&b);
}

static void grub_entry(struct strbuf *b, const char *tab, const char *title, const struct bootcfg_kernel *k,
                       const char *args)
{
    strbuf_printf(b, "%smenuentry ", tab);
    esc_sh_quote(b, title);   /* grub quotes as the shell does */
    strbuf_printf(b, " --class fedora --class gnu-linux --class gnu --class os {\n"
                     "%s\tlinux %s %s\n%s\tinitrd %s\n%s}\n",
                  tab, k->kernel, args, tab, k->initrd, tab);
}

char *bootcfg_grub_entries(const struct bootcfg_vars *v, const struct bootcfg_kernel *k, size_t n,
                           bool check, bool bios)
{
    struct strbuf b = { 0 };
    for (size_t i = 0; i < n; i++) {
        char *name = entry_name(v, k, i), *args = kline(v, NULL);
        char *t = xasprintf("Start %s", name);
        grub_entry(&b, "", t, &k[i], args);
        free(t);
        free(args);
        if (check) {
            args = kline(v, "rd.live.check");
            t = xasprintf("Test this media & start %s", name);
            grub_entry(&b, "", t, &k[i], args);
            free(t);
            free(args);
        }
        free(name);
    }
    strbuf_printf(&b, "submenu 'Troubleshooting -->' {\n");
    for (size_t i = 0; i < n; i++) {
        char *name = entry_name(v, k, i), *args = kline(v, "nomodeset");
        char *t = xasprintf("Start %s in basic graphics mode", name);
        grub_entry(&b, "\t", t, &k[i], args);
        free(t);
        free(args);
        free(name);
    }
    if (bios)
        strbuf_printf(&b, "\tmenuentry 'Boot first drive' --class fedora --class gnu-linux --class gnu --class os {\n"
                      "\t\tchainloader (hd0)+1\n\t}\n"
                      "\tmenuentry 'Boot second drive' --class fedora --class gnu-linux --class gnu --class os {\n"
                      "\t\tchainloader (hd1)+1\n\t}\n");
    strbuf_printf(&b, "}\n");
    return strbuf_take(&b);
}
