/* strv.c - see strv.h */
#define _GNU_SOURCE
#include "core/base/strv.h"
#include "core/base/strbuf.h"
#include "core/base/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void strv_push_take(strv_t *sv, char *s)
{
    if (sv->n + 1 >= sv->cap) {
        sv->cap = sv->cap ? sv->cap * 2 : 8;
        sv->v = xrealloc(sv->v, sizeof(char *) * sv->cap);
    }
    sv->v[sv->n++] = s;
    sv->v[sv->n] = NULL;
}

void strv_push(strv_t *sv, const char *s) { strv_push_take(sv, xstrdup(s)); }

void strv_pushf(strv_t *sv, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0)
        xalloc_die();
    va_end(ap);
    strv_push_take(sv, s);
}

void strv_pushv(strv_t *sv, ...)
{
    va_list ap;
    va_start(ap, sv);
    for (const char *s; (s = va_arg(ap, const char *));)
        strv_push(sv, s);
    va_end(ap);
}

void strv_free(strv_t *sv)
{
    for (size_t i = 0; i < sv->n; i++)
        free(sv->v[i]);
    free(sv->v);
    sv->v = NULL;
    sv->n = sv->cap = 0;
}

bool strv_contains(const strv_t *sv, const char *s)
{
    for (size_t i = 0; i < sv->n; i++)
        if (strcmp(sv->v[i], s) == 0)
            return true;
    return false;
}

const char *const *strv_argv(strv_t *sv)
{
    if (!sv->v) {
        sv->cap = 8;
        sv->v = xcalloc(sv->cap, sizeof(char *));
    }
    return (const char *const *)sv->v;
}

char *strv_join(const strv_t *sv, const char *sep)
{
    struct strbuf b = { 0 };
    for (size_t i = 0; i < sv->n; i++) {
        if (i)
            strbuf_add(&b, sep);
        strbuf_add(&b, sv->v[i]);
    }
    return strbuf_take(&b);
}
