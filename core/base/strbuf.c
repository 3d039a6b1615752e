/* strbuf.c - see strbuf.h */
#define _GNU_SOURCE
#include "core/base/strbuf.h"
#include "core/base/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void grow(struct strbuf *b, size_t more)
{
    if (more >= (size_t)-1 - b->n - 1)
        xalloc_die();
    if (b->n + more + 1 <= b->cap)
        return;
    size_t c = b->cap ? b->cap : 64;
    while (c < b->n + more + 1)
        c = c > ((size_t)-1) / 2 ? b->n + more + 1 : c * 2;
    b->p = xrealloc(b->p, c);
    b->cap = c;
}

void strbuf_addn(struct strbuf *b, const char *s, size_t n)
{
    grow(b, n);
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = 0;
}

void strbuf_add(struct strbuf *b, const char *s) { strbuf_addn(b, s, strlen(s)); }

void strbuf_addc(struct strbuf *b, char c) { strbuf_addn(b, &c, 1); }

void strbuf_vprintf(struct strbuf *b, const char *fmt, va_list ap)
{
    grow(b, 0);   /* a buffer to print into: most output fits at once */
    size_t avail = b->cap - b->n;
    va_list aq;
    va_copy(aq, ap);
    int need = vsnprintf(b->p + b->n, avail, fmt, aq);
    va_end(aq);
    if (need < 0) {
        b->p[b->n] = 0;   /* an invalid format: nothing appended */
        return;
    }
    if ((size_t)need >= avail) {
        grow(b, (size_t)need);
        vsnprintf(b->p + b->n, (size_t)need + 1, fmt, ap);
    }
    b->n += (size_t)need;
}

void strbuf_printf(struct strbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    strbuf_vprintf(b, fmt, ap);
    va_end(ap);
}

const char *strbuf_str(const struct strbuf *b) { return b->p ? b->p : ""; }

char *strbuf_take(struct strbuf *b)
{
    char *s = b->p ? b->p : xstrdup("");
    b->p = NULL;
    b->n = b->cap = 0;
    return s;
}

void strbuf_reset(struct strbuf *b)
{
    b->n = 0;
    if (b->p)
        b->p[0] = 0;
}

void strbuf_free(struct strbuf *b)
{
    free(b->p);
    b->p = NULL;
    b->n = b->cap = 0;
}
