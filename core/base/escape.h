/* escape.h - values written into XML, shell and INI/keyfile text.
 *
 * Contract (nothing here logs: a caller that gets a refusal fails with
 * log_fail() naming where the value came from, e.g. the kickstart line):
 *  - esc_xml_ok(s): XML 1.0 can carry s at all: valid UTF-8 without control
 *    characters other than tab, newline and carriage return (those cannot be
 *    written even as character references).
 *  - esc_xml_text(b, s) appends s as element text (& < > escaped, CR as a
 *    reference);
 *    esc_xml_attr(b, s) as an attribute value for either quote character
 *    (also " ' and tab/newline/CR, as references, so they survive attribute
 *    normalisation).  Both return 0, or -1 when !esc_xml_ok(s) and then
 *    append nothing.
 *  - esc_sh_quote(b, s) appends s as one single-quoted POSIX shell word
 *    (it's -> 'it'\''s'); esc_sh_word(b, s) appends s bare when every
 *    character is one no shell treats specially ([A-Za-z0-9_@%+=:,./-],
 *    not empty), else as esc_sh_quote does; esc_sh_dquote(b, s) appends
 *    "s" with \ $ ` " backslash-escaped.  Any byte string is quoted exactly;
 *    whether a newline may appear in the file is the caller's check.
 *  - esc_value_ok(s): s fits on one line of an INI file, a keyfile or a
 *    KEY=VALUE file: no control character (below 0x20, or DEL).
 *  - esc_keyfile(b, s) appends s as a GLib keyfile string value (the form
 *    NetworkManager reads): \ as \\, a leading space as \s, tab/newline/CR
 *    as \t \n \r.
 */
#ifndef KSC_BASE_ESCAPE_H
#define KSC_BASE_ESCAPE_H

#include "core/base/strbuf.h"

#include <stdbool.h>

bool esc_xml_ok(const char *s);
int  esc_xml_text(struct strbuf *b, const char *s);
int  esc_xml_attr(struct strbuf *b, const char *s);

void esc_sh_quote(struct strbuf *b, const char *s);
void esc_sh_word(struct strbuf *b, const char *s);
void esc_sh_dquote(struct strbuf *b, const char *s);

bool esc_value_ok(const char *s);
void esc_keyfile(struct strbuf *b, const char *s);

#endif
