/* strbuf.h - a growable string: the one way text is assembled here.
 *
 * A zeroed struct strbuf is empty and valid; b.p is NULL until the first
 * append, then always NUL-terminated (strbuf_str gives "" for an empty one).
 * Appending never truncates: the buffer grows as needed, and allocation
 * failures abort (xmalloc).  strbuf_take hands the string over (the buffer
 * is empty again); strbuf_free releases it.
 *
 *   struct strbuf b = { 0 };
 *   strbuf_printf(&b, "%s=%d\n", key, value);
 *   write_file(path, strbuf_str(&b), 0644);
 *   strbuf_free(&b);
 */
#ifndef KSC_BASE_STRBUF_H
#define KSC_BASE_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
    char *p;
    size_t n, cap;
};

void strbuf_addn(struct strbuf *b, const char *s, size_t n);
void strbuf_add(struct strbuf *b, const char *s);
void strbuf_addc(struct strbuf *b, char c);
void strbuf_printf(struct strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strbuf_vprintf(struct strbuf *b, const char *fmt, va_list ap);
const char *strbuf_str(const struct strbuf *b);
char *strbuf_take(struct strbuf *b);     /* malloc'd, never NULL */
void strbuf_reset(struct strbuf *b);     /* empty, keeps the memory */
void strbuf_free(struct strbuf *b);

#endif
