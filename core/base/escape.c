/* escape.c - see escape.h */
#include "core/base/escape.h"

#include <string.h>

/* The code point of the UTF-8 sequence at *p (advanced past it), or -1 for
 * a malformed, overlong or surrogate sequence. */
static long utf8_next(const unsigned char **p)
{
    const unsigned char *s = *p;
    int len = s[0] < 0x80 ? 1 : (s[0] & 0xe0) == 0xc0 ? 2 : (s[0] & 0xf0) == 0xe0 ? 3 : (s[0] & 0xf8) == 0xf0 ? 4 : 0;
    if (!len)
        return -1;
    long c = len == 1 ? s[0] : s[0] & (0x7f >> len);
    for (int i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return -1;
        c = (c << 6) | (s[i] & 0x3f);
    }
    static const long min[] = { 0, 0, 0x80, 0x800, 0x10000 };
    if (c < min[len] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        return -1;
    *p = s + len;
    return c;
}

static bool xml_char(long c)
{
    return c == 0x9 || c == 0xa || c == 0xd || (c >= 0x20 && c <= 0xfffd && c != 0xfffe) || c >= 0x10000;
}

bool esc_xml_ok(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        long c = utf8_next(&p);
        if (c < 0 || !xml_char(c))
            return false;
    }
    return true;
}

static int xml_escape(struct strbuf *b, const char *s, bool attr)
{
    if (!esc_xml_ok(s))
        return -1;
    for (const char *p = s; *p; p++) {
        switch (*p) {
        case '&': strbuf_add(b, "&amp;"); break;
        case '<': strbuf_add(b, "&lt;"); break;
        case '>': strbuf_add(b, "&gt;"); break;
        case '"': strbuf_add(b, attr ? "&quot;" : "\""); break;
        case '\'': strbuf_add(b, attr ? "&apos;" : "'"); break;
        case '\t': strbuf_add(b, attr ? "&#9;" : "\t"); break;
        case '\n': strbuf_add(b, attr ? "&#10;" : "\n"); break;
        case '\r': strbuf_add(b, "&#13;"); break;   /* a literal CR would become LF */
        default: strbuf_addc(b, *p);
        }
    }
    return 0;
}

int esc_xml_text(struct strbuf *b, const char *s) { return xml_escape(b, s, false); }
int esc_xml_attr(struct strbuf *b, const char *s) { return xml_escape(b, s, true); }

void esc_sh_quote(struct strbuf *b, const char *s)
{
    strbuf_addc(b, '\'');
    for (const char *p = s; *p; p++) {
        if (*p == '\'')
            strbuf_add(b, "'\\''");
        else
            strbuf_addc(b, *p);
    }
    strbuf_addc(b, '\'');
}

#define SH_PLAIN "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_@%+=:,./-"

void esc_sh_word(struct strbuf *b, const char *s)
{
    if (*s && strspn(s, SH_PLAIN) == strlen(s))
        strbuf_add(b, s);
    else
        esc_sh_quote(b, s);
}

void esc_sh_dquote(struct strbuf *b, const char *s)
{
    strbuf_addc(b, '"');
    for (const char *p = s; *p; p++) {
        if (strchr("\\$`\"", *p))
            strbuf_addc(b, '\\');
        strbuf_addc(b, *p);
    }
    strbuf_addc(b, '"');
}

bool esc_value_ok(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return false;
    return true;
}

void esc_keyfile(struct strbuf *b, const char *s)
{
    for (const char *p = s; *p; p++) {
        switch (*p) {
        case '\\': strbuf_add(b, "\\\\"); break;
        case '\t': strbuf_add(b, "\\t"); break;
        case '\n': strbuf_add(b, "\\n"); break;
        case '\r': strbuf_add(b, "\\r"); break;
        case ' ': strbuf_add(b, p == s ? "\\s" : " "); break;
        default: strbuf_addc(b, *p);
        }
    }
}
