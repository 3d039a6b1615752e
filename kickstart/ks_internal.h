/* ks_internal.h - shared between the kickstart parser's source files only.
 *
 *  ks_lex.c       shell-like splitting of one line (Python shlex, posix mode,
 *                 comments=True, whitespace_split=True) and quoting for output
 *  ks_table.c     generated syntax tables: classes, options, versions
 *  ks_args.c      argparse-compatible option parsing over those tables
 *  ks_commands.c  dispatch, per-family checks and the typed model
 *  ks_write.c     the ksflatten writer (pykickstart's output format)
 *  ks_parse.c     the line reader: sections, %include, diagnostics
 *  ks_model.c     ks_free, ks_find_part, ks_write
 *  ks_fetch.c     URL %include through the project's libcurl code
 */
#ifndef KSC_KS_INTERNAL_H
#define KSC_KS_INTERNAL_H

#include <stdarg.h>
#include <stdio.h>

#include "core/base/strbuf.h"
#include "core/base/strv.h"
#include "kickstart/ks.h"
#include "kickstart/ks_table.h"

/* ---- ks_lex.c ---- */
int ks_split(const char *s, size_t len, strv_t *out, const char **err);
char *ks_quote(const char *s);

/* ---- parser state ---- */
struct ks_state {
    struct kickstart *ks;
    const struct ks_parse_opts *opts;
    const struct ks_version *ver;
    int errors, warnings;
    bool stop;                    /* errors_fatal and an error happened */
    struct ks_cmdrec **single;    /* per class: the single command's record */
    struct ks_cmdrec ***data;     /* per class: data records */
    size_t *n_data;
    const char *cur_file;
    int cur_line;
    const char *cur_text;         /* the raw line being processed */
    size_t n_commands;            /* bounded, see ks_run_command */
    bool *seen;                   /* per class: used at all (even if it failed) */
};

void ks_diag(struct ks_state *st, enum ks_severity sev, const char *file, int line,
             const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* ---- ks_args.c: argparse over a class's option table ---- */
struct ks_ns {
    const struct ks_cmdclass *cls;
    size_t n;
    const char **dests;           /* unique dests in table order */
    struct ks_value *vals;
    strv_t extra;                 /* unrecognised arguments (parse_known_args) */
    char *err;                    /* first error, argparse wording */
    strv_t deprecated;            /* deprecated options used */
};
/* Parse argv against cls's options.  known: like parse_known_args (extras
 * collected), else unrecognised arguments are an error.  0, or -1 (ns->err). */
int  ks_ns_parse(struct ks_ns *ns, const struct ks_cmdclass *cls, char *const *argv, size_t argc,
                 bool known);
void ks_ns_free(struct ks_ns *ns);
struct ks_value *ks_ns_get(struct ks_ns *ns, const char *dest);
/* dest's value, added (None) if the class has no such dest; dest must be static */
struct ks_value *ks_ns_add(struct ks_ns *ns, const char *dest);
void ks_value_free(struct ks_value *v);
void ks_value_copy(struct ks_value *dst, const struct ks_value *src);
void ks_value_set_str(struct ks_value *v, const char *s);
void ks_value_decode(struct ks_value *v, const char *enc);
bool ks_value_truthy(const struct ks_value *v);

/* ---- ks_commands.c ---- */
int  ks_run_command(struct ks_state *st, const char *file, int line, char *const *argv,
                    size_t argc);
void ks_state_init(struct ks_state *st);
void ks_state_finish(struct ks_state *st);   /* moves records into st->ks */
const struct ks_version *ks_version_get(const char *name);
void ks_cmdrec_free(struct ks_cmdrec *r);

/* ---- ks_write.c ---- */
void ks_write_commands(const struct kickstart *ks, struct strbuf *out);

/* ---- ks_fetch.c ---- */
/* Fetch a URL's content (NUL terminated).  0, or -1 with *err (malloc'd). */
int ks_fetch_url(const char *url, char **buf, size_t *len, char **err);
bool ks_is_url(const char *s);

/* ---- ks_model.c ---- */
void ks_loc_set(struct ks_loc *loc, const char *file, int line);
void ks_repo_clear(struct ks_repo *r);
void ks_part_clear(struct ks_part *p);
void ks_script_clear(struct ks_script *s);
void ks_lang_clear(struct ks_lang *l);
void ks_timezone_clear(struct ks_timezone *t);
void ks_rootpw_clear(struct ks_rootpw *r);
void ks_bootloader_clear(struct ks_bootloader *b);
void ks_url_clear(struct ks_url *u);
void ks_packages_clear(struct ks_packages *p);
void ks_init(struct kickstart *ks);

#endif
