/* ks_internal.h - shared between the kickstart parser's source files only.
 *
 *  ks_lex.c       shell-like splitting of one line (Python shlex, posix mode,
 *                 comments=True, whitespace_split=True) and quoting for output
 *  ks_commands.c  the data-driven command table, optparse-like option parsing
 *                 and the handlers that fill the model
 *  ks_parse.c     the line reader: sections, %include, diagnostics
 *  ks_model.c     ks_free, ks_find_part, ks_write
 */
#ifndef KSC_KS_INTERNAL_H
#define KSC_KS_INTERNAL_H

#include <stdarg.h>
#include <stdio.h>

#include "ks.h"

/* ---- ks_lex.c ---- */

/* Split s[0..len) into tokens appended to out.  Returns 0, or -1 with *err set
 * to a static message ("No closing quotation", "No escaped character"). */
int ks_split(const char *s, size_t len, strv_t *out, const char **err);
/* s quoted so that ks_split() gives it back as one token (newly allocated). */
char *ks_quote(const char *s);

/* ---- option tables (ks_commands.c) ---- */

enum ks_opt_type {
    KS_OPT_BOOL,     /* --flag (store_true) */
    KS_OPT_STR,      /* --opt=value / --opt value, the last one wins */
    KS_OPT_INT,      /* like STR, must be a decimal integer */
    KS_OPT_LIST,     /* comma separated, repeated options append */
    KS_OPT_KSBOOL,   /* --opt=yes|no|true|false|on|off|1|0 */
};

enum {
    KS_OPTF_REQUIRED   = 1 << 0,
    KS_OPTF_DEPRECATED = 1 << 1,  /* warning, no effect */
    KS_OPTF_REMOVED    = 1 << 2,  /* error */
};

struct ks_opt {
    const char *name;             /* "--name" */
    const char *aliases[4];       /* NULL terminated */
    enum ks_opt_type type;
    unsigned flags;
};

struct ks_optval {
    bool set;
    char *str;                    /* STR/INT: the text given */
    long num;                     /* INT, KSBOOL (0/1), BOOL (1) */
    strv_t list;                  /* LIST */
};

struct ks_args {
    const struct ks_opt *opts;    /* table, terminated by name == NULL */
    struct ks_optval *vals;       /* one per table entry */
    size_t n_opts;
    strv_t pos;                   /* positional arguments */
};

/* ---- parser state (ks_parse.c) ---- */

struct ks_state {
    struct kickstart *ks;
    const struct ks_parse_opts *opts;
    int errors, warnings;
    unsigned *cmd_seen;           /* per command table entry */
};

void ks_diag(struct ks_state *st, enum ks_severity sev, const char *file, int line,
             const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Parse argv[0..argc) against opts (optparse rules: interspersed positionals,
 * "--opt=v" and "--opt v", unambiguous prefixes, "--" ends options).  Reports
 * problems and returns -1 if any error; args must be freed with
 * ks_args_free() either way.  what names the command/section in messages. */
int  ks_getopt(struct ks_state *st, const char *file, int line, const char *what,
               const struct ks_opt *opts, char *const *argv, size_t argc,
               struct ks_args *args);
void ks_args_free(struct ks_args *args);
/* Lookups by the option's primary name ("--size"); NULL/false/-1 if unset. */
const struct ks_optval *ks_arg(const struct ks_args *a, const char *name);
const char *ks_arg_str(const struct ks_args *a, const char *name);
bool ks_arg_bool(const struct ks_args *a, const char *name);

/* Run one command line (argv[0] is the command name).  Returns 0, or -1 if
 * an error was reported. */
int ks_run_command(struct ks_state *st, const char *file, int line, char *const *argv,
                   size_t argc);
size_t ks_n_commands(void);
/* true if name is a known command (or alias) */
bool ks_is_command(const char *name);

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
