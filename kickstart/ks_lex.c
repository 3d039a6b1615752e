/* ks_lex.c - shell-like line splitting, compatible with Python's
 * shlex.split(line, comments=True) as pykickstart uses it:
 *  - whitespace (space, tab, CR, LF) separates tokens;
 *  - '...' quotes everything literally;
 *  - "..." quotes; inside, a backslash escapes only '"' and '\';
 *  - outside quotes a backslash makes the next character literal;
 *  - an unquoted '#' starts a comment, also in the middle of a word
 *    (shlex ends the current token there);
 *  - adjacent quoted and unquoted parts join into one token.
 */
#include "kickstart/ks_internal.h"
#include "core/base/strv.h"

#include <stdlib.h>
#include <string.h>

struct buf { char *p; size_t n, cap; };

static void buf_add(struct buf *b, char c)
{
    if (b->n + 2 > b->cap) {
        b->cap = b->cap ? b->cap * 2 : 32;
        b->p = xrealloc(b->p, b->cap);
    }
    b->p[b->n++] = c;
    b->p[b->n] = 0;
}

static bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

int ks_split(const char *s, size_t len, strv_t *out, const char **err)
{
    size_t i = 0;
    *err = NULL;
    for (;;) {
        while (i < len && is_ws(s[i]))
            i++;
        if (i >= len || s[i] == '#')
            return 0;
        struct buf b = { 0 };
        bool have = false; /* quoted empty strings still make a token */
        while (i < len && !is_ws(s[i]) && s[i] != '#') {
            char c = s[i++];
            if (c == '\'') {
                have = true;
                while (i < len && s[i] != '\'')
                    buf_add(&b, s[i++]);
                if (i >= len) {
                    free(b.p);
                    *err = "No closing quotation";
                    return -1;
                }
                i++;
            } else if (c == '"') {
                have = true;
                while (i < len && s[i] != '"') {
                    if (s[i] == '\\' && i + 1 < len && (s[i + 1] == '"' || s[i + 1] == '\\'))
                        i++;
                    buf_add(&b, s[i++]);
                }
                if (i >= len) {
                    free(b.p);
                    *err = "No closing quotation";
                    return -1;
                }
                i++;
            } else if (c == '\\') {
                if (i >= len) {
                    free(b.p);
                    *err = "No escaped character";
                    return -1;
                }
                buf_add(&b, s[i++]);
            } else {
                buf_add(&b, c);
            }
        }
        if (b.p)
            strv_push_take(out, b.p);
        else if (have)
            strv_push(out, "");
    }
}

char *ks_quote(const char *s)
{
    bool plain = *s != 0;
    for (const char *p = s; *p && plain; p++)
        if (is_ws(*p) || strchr("'\"\\#", *p))
            plain = false;
    if (plain)
        return xstrdup(s);
    struct buf b = { 0 };
    buf_add(&b, '"');
    for (const char *p = s; *p; p++) {
        if (*p == '"' || *p == '\\')
            buf_add(&b, '\\');
        buf_add(&b, *p);
    }
    buf_add(&b, '"');
    return b.p;
}
