/* ks_parse.c - the kickstart reader, with pykickstart's state machine:
 * commands, sections (%packages, scripts, %certificate, %addon/%anaconda as
 * kept-verbatim sections), %include (recursive, relative to the current
 * directory first, then to the including file), %ksappend (skipped, or
 * expanded first when asked), "Section ... does not end with %end".
 *
 * Input is streamed line by line with a bounded line length and a bounded
 * total, so a huge file or line gives an error instead of exhausting memory;
 * include nesting is bounded (cycles end there).
 */
#define _GNU_SOURCE
#include "kickstart/ks_internal.h"
#include "core/base/strv.h"
#include "core/base/log.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KS_MAX_INCLUDE_DEPTH 64
#define KS_MAX_LINE (16u << 20)          /* one line */
#define KS_MAX_TOTAL (64u << 20)         /* all input of one parse */
#define KS_MAX_PACKAGE_LINES 50000       /* %packages entries (checked for duplicates) */

/* ------------------------------------------------------------------------ */
/* diagnostics                                                              */

void ks_parse_opts_init(struct ks_parse_opts *o)
{
    memset(o, 0, sizeof *o);
}

/* ------------------------------------------------------------------------ */
/* line sources                                                             */

struct src {
    const char *name;             /* shown in diagnostics */
    FILE *fp;                     /* streamed file, or */
    const char *mem;              /* memory */
    size_t mem_len, mem_pos;
    char *buf;                    /* current line */
    size_t len, cap;
    char *rd;                     /* read-ahead buffer for fp */
    size_t rd_len, rd_pos;
    bool eof, sentinel_done;
    char *putback;
    size_t putback_len;
    bool has_putback;
    int nread;                    /* lines read (for messages) */
    char *real;                   /* realpath, for cycle detection */
};

struct parser {
    struct ks_state st;
    const struct ks_parse_opts *o;
    int depth;                    /* include depth */
    char *curdir[KS_MAX_INCLUDE_DEPTH + 2];
    char *open_real[KS_MAX_INCLUDE_DEPTH + 2];  /* files being read, for cycles */
    const char *state;            /* NULL: commands, else section name */
    bool fatal;
    size_t total;
    /* sections */
    struct scr { const char *open; enum ks_script_type type; int seen;
                 char *interp, *log; bool erroronfail, chroot, has_chroot; int lineno;
                 const char *file; strv_t body; } scripts[5];
    struct { char *filename, *dir, *type; strv_t body; char *file; int line; } cert;
    struct nulls { char *open; strv_t args; strv_t body; } *nulls;
    size_t n_nulls;
    struct ks_packages_raw {
        bool seen, def, excludedocs, nocore, ignoremissing, ignorebroken, multilib,
            weak;
        char *instlangs;
        long long timeout, retries;
        bool has_timeout, has_retries;
        char *environment;
        struct pgroup { char *name; int include; } *groups, *xgroups;
        size_t n_groups, n_xgroups;
        strv_t pkgs, excl;
    } pk;
};

static void fatal(struct parser *p, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void fatal(struct parser *p, const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *m = NULL;
    if (vasprintf(&m, fmt, ap) < 0)
        m = NULL;
    va_end(ap);
    ks_diag(&p->st, KS_ERROR, file, line, "%s", m ? m : "error");
    free(m);
    p->fatal = true;
}

static bool stopped(struct parser *p) { return p->fatal || p->st.stop; }

/* UTF-8 validity of one line (Python decodes the whole file strictly). */
static bool utf8_ok(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t k;
        unsigned min;
        unsigned cp;
        if ((c & 0xe0) == 0xc0) { k = 1; cp = c & 0x1f; min = 0x80; }
        else if ((c & 0xf0) == 0xe0) { k = 2; cp = c & 0x0f; min = 0x800; }
        else if ((c & 0xf8) == 0xf0) { k = 3; cp = c & 0x07; min = 0x10000; }
        else return false;
        for (size_t j = 1; j <= k; j++) {
            if (i + j >= n || (s[i + j] & 0xc0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i + j] & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        i += k + 1;
    }
    return true;
}

static int src_getc(struct src *s)
{
    if (s->fp) {
        if (s->rd_pos >= s->rd_len) {
            if (!s->rd)
                s->rd = xmalloc(65536);
            s->rd_len = fread(s->rd, 1, 65536, s->fp);
            s->rd_pos = 0;
            if (!s->rd_len)
                return EOF;
        }
        return (unsigned char)s->rd[s->rd_pos++];
    }
    if (s->mem_pos >= s->mem_len)
        return EOF;
    return (unsigned char)s->mem[s->mem_pos++];
}

static int src_peek(struct src *s)
{
    int c = src_getc(s);
    if (c != EOF) {
        if (s->fp)
            s->rd_pos--;
        else
            s->mem_pos--;
    }
    return c;
}

static void line_add(struct src *s, char c)
{
    if (s->len + 2 > s->cap) {
        s->cap = s->cap ? s->cap * 2 : 256;
        s->buf = xrealloc(s->buf, s->cap);
    }
    s->buf[s->len++] = c;
}

/* Next line with its terminator (Python str.splitlines(True)).
 * 1: a line; 0: the end sentinel (once); -1: exhausted; -2: error. */
static int next_line(struct parser *p, struct src *s, const char **line, size_t *len)
{
    if (s->has_putback) {
        s->has_putback = false;
        s->len = 0;
        for (size_t i = 0; i < s->putback_len; i++)
            line_add(s, s->putback[i]);
        s->buf[s->len] = 0;
        free(s->putback);
        s->putback = NULL;
        *line = s->buf;
        *len = s->len;
        return 1;
    }
    if (s->eof) {
        if (!s->sentinel_done) {
            s->sentinel_done = true;
            *line = "";
            *len = 0;
            return 0;
        }
        return -1;
    }
    s->len = 0;
    for (;;) {
        int c = src_getc(s);
        if (c == EOF) {
            s->eof = true;
            break;
        }
        if (s->len >= KS_MAX_LINE) {
            fatal(p, s->name, s->nread + 1, "a line is longer than %u bytes", KS_MAX_LINE);
            return -2;
        }
        if (++p->total > KS_MAX_TOTAL) {
            fatal(p, s->name, s->nread + 1, "the kickstart input is larger than %u bytes", KS_MAX_TOTAL);
            return -2;
        }
        line_add(s, (char)c);
        if (c == '\n' || c == '\v' || c == '\f' || c == 0x1c || c == 0x1d || c == 0x1e)
            break;
        if (c == '\r') {
            if (src_peek(s) == '\n')
                line_add(s, (char)src_getc(s));
            break;
        }
        if (s->len >= 2 && (unsigned char)s->buf[s->len - 2] == 0xc2 &&
            (unsigned char)s->buf[s->len - 1] == 0x85)
            break;
        if (s->len >= 3 && (unsigned char)s->buf[s->len - 3] == 0xe2 &&
            (unsigned char)s->buf[s->len - 2] == 0x80 &&
            ((unsigned char)s->buf[s->len - 1] == 0xa8 || (unsigned char)s->buf[s->len - 1] == 0xa9))
            break;
    }
    if (s->len == 0) {
        s->sentinel_done = true;
        *line = "";
        *len = 0;
        return 0;
    }
    s->nread++;
    s->buf[s->len] = 0;
    if (!utf8_ok((const unsigned char *)s->buf, s->len)) {
        fatal(p, s->name, s->nread, "'utf-8' codec can't decode byte: invalid UTF-8");
        return -2;
    }
    if (memchr(s->buf, 0, s->len)) {
        fatal(p, s->name, s->nread, "Line contains a NUL byte");
        return -2;
    }
    *line = s->buf;
    *len = s->len;
    return 1;
}

static void put_back(struct src *s, const char *line, size_t len)
{
    if (!len)
        return; /* PutBackIterator drops an empty string */
    free(s->putback);
    s->putback = xstrndup(line, len);
    s->putback_len = len;
    s->has_putback = true;
}

/* ------------------------------------------------------------------------ */
/* helpers                                                                  */

static bool py_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' ||
           (c >= 0x1c && c <= 0x1f);
}

static bool blank_or_comment(const char *l)
{
    while (*l && py_space((unsigned char)*l))
        l++;
    return *l == 0 || *l == '#';
}

static const char *lstrip(const char *l)
{
    while (*l && py_space((unsigned char)*l))
        l++;
    return l;
}

/* shlex.split without the comment rule (for section lines) */
static int split_nocomment(const char *s, strv_t *out, const char **err)
{
    /* protect '#' by quoting it: shlex without comments treats it as a word char */
    struct strbuf b = { 0 };
    bool sq = false, dq = false, esc = false;
    for (const char *p = s; *p; p++) {
        char ch = *p;
        if (esc) {
            esc = false;
            strbuf_addn(&b, p, 1);
            continue;
        }
        if (!sq && ch == '\\') {
            esc = true;
            strbuf_addn(&b, p, 1);
            continue;
        }
        if (!dq && ch == '\'')
            sq = !sq;
        else if (!sq && ch == '"')
            dq = !dq;
        if (ch == '#' && !sq && !dq) {
            strbuf_add(&b, "'#'");
            continue;
        }
        strbuf_addn(&b, p, 1);
    }
    int r = ks_split(b.p ? b.p : "", b.n, out, err);
    free(b.p);
    return r;
}

static const char *script_names[] = { "%pre", "%pre-install", "%post", "%onerror", "%traceback" };

static bool valid_section(struct parser *p, const char *name)
{
    if (!strcmp(name, "%packages") || !strcmp(name, "%certificate") || !strcmp(name, "%addon") ||
        !strcmp(name, "%anaconda"))
        return true;
    for (int i = 0; i < 5; i++)
        if (!strcmp(name, script_names[i]))
            return true;
    for (size_t i = 0; i < p->n_nulls; i++)
        if (!strcmp(p->nulls[i].open, name))
            return true;
    return false;
}

static int script_index(const char *name)
{
    for (int i = 0; i < 5; i++)
        if (!strcmp(name, script_names[i]))
            return i;
    return -1;
}

static struct nulls *null_section(struct parser *p, const char *name)
{
    for (size_t i = 0; i < p->n_nulls; i++)
        if (!strcmp(p->nulls[i].open, name))
            return &p->nulls[i];
    p->nulls = xrealloc(p->nulls, sizeof *p->nulls * (p->n_nulls + 1));
    struct nulls *n = &p->nulls[p->n_nulls++];
    memset(n, 0, sizeof *n);
    n->open = xstrdup(name);
    return n;
}

/* ------------------------------------------------------------------------ */
/* section option tables                                                    */

#define OPT(n1, n2, dest, act, type, dflt) { { n1, n2, NULL }, dest, act, type, \
    (act == A_STORE ? N_ONE : N_ZERO), 0, NULL, dflt, NULL, NULL }
#define OPTD(n1, dest, act, type, dflt) { { n1, NULL }, dest, act, type, \
    (act == A_STORE ? N_ONE : N_ZERO), OF_DEPRECATED, NULL, dflt, NULL, NULL }

static const struct ks_optdef script_opts[] = {
    OPT("--erroronfail", NULL, "errorOnFail", A_TRUE, T_STR, "b0"),
    OPT("--interpreter", NULL, "interpreter", A_STORE, T_STR, "s/bin/sh"),
    OPT("--log", "--logfile", "log", A_STORE, T_STR, NULL),
};
static const struct ks_optdef post_opts[] = {
    OPT("--erroronfail", NULL, "errorOnFail", A_TRUE, T_STR, "b0"),
    OPT("--interpreter", NULL, "interpreter", A_STORE, T_STR, "s/bin/sh"),
    OPT("--log", "--logfile", "log", A_STORE, T_STR, NULL),
    OPT("--nochroot", NULL, "nochroot", A_TRUE, T_STR, "b0"),
};
static const struct ks_optdef cert_opts[] = {
    { { "--filename", NULL }, "filename", A_STORE, T_STR, N_ONE, OF_REQUIRED, NULL, NULL, NULL, NULL },
    OPT("--dir", NULL, "dir", A_STORE, T_STR, NULL),
    OPT("--type", NULL, "type", A_STORE, T_STR, NULL),
};
/* %packages for F40 and later (DEVEL) */
static const struct ks_optdef pk_opts_f40[] = {
    OPT("--excludedocs", NULL, "excludedocs", A_TRUE, T_STR, "b0"),
    OPT("--ignoremissing", NULL, "ignoremissing", A_TRUE, T_STR, "b0"),
    OPT("--default", NULL, "defaultPackages", A_TRUE, T_STR, NULL),
    OPT("--multilib", NULL, "multiLib", A_TRUE, T_STR, NULL),
    OPT("--nocore", NULL, "nocore", A_TRUE, T_STR, "b0"),
    OPT("--timeout", NULL, "timeout", A_STORE, T_INT, NULL),
    OPT("--retries", NULL, "retries", A_STORE, T_INT, NULL),
    OPT("--inst-langs", NULL, "instLangs", A_STORE, T_STR, NULL),
    OPT("--exclude-weakdeps", NULL, "excludeWeakdeps", A_TRUE, T_STR, "b0"),
    OPT("--ignorebroken", NULL, "ignorebroken", A_TRUE, T_STR, "b0"),
    OPTD("--instLangs", "instLangs", A_STORE, T_STR, NULL),
    OPTD("--excludeWeakdeps", "excludeWeakdeps", A_TRUE, T_STR, "b0"),
};
/* F32..F39 */
static const struct ks_optdef pk_opts_f32[] = {
    OPT("--excludedocs", NULL, "excludedocs", A_TRUE, T_STR, "b0"),
    OPT("--ignoremissing", NULL, "ignoremissing", A_TRUE, T_STR, "b0"),
    OPT("--default", NULL, "defaultPackages", A_TRUE, T_STR, NULL),
    OPT("--multilib", NULL, "multiLib", A_TRUE, T_STR, NULL),
    OPT("--nocore", NULL, "nocore", A_TRUE, T_STR, "b0"),
    OPT("--timeout", NULL, "timeout", A_STORE, T_INT, NULL),
    OPT("--retries", NULL, "retries", A_STORE, T_INT, NULL),
    OPT("--instLangs", "--inst-langs", "instLangs", A_STORE, T_STR, NULL),
    OPT("--excludeWeakdeps", "--exclude-weakdeps", "excludeWeakdeps", A_TRUE, T_STR, "b0"),
    OPT("--ignorebroken", NULL, "ignorebroken", A_TRUE, T_STR, "b0"),
};
/* RHEL8 (and F24..F31) */
static const struct ks_optdef pk_opts_f24[] = {
    OPT("--excludedocs", NULL, "excludedocs", A_TRUE, T_STR, "b0"),
    OPT("--ignoremissing", NULL, "ignoremissing", A_TRUE, T_STR, "b0"),
    OPT("--default", NULL, "defaultPackages", A_TRUE, T_STR, NULL),
    OPT("--multilib", NULL, "multiLib", A_TRUE, T_STR, NULL),
    OPT("--nocore", NULL, "nocore", A_TRUE, T_STR, "b0"),
    OPT("--timeout", NULL, "timeout", A_STORE, T_INT, NULL),
    OPT("--retries", NULL, "retries", A_STORE, T_INT, NULL),
    OPT("--instLangs", NULL, "instLangs", A_STORE, T_STR, NULL),
    OPT("--excludeWeakdeps", NULL, "excludeWeakdeps", A_TRUE, T_STR, "b0"),
};

static struct ks_cmdclass mkclass(const char *name, const struct ks_optdef *o, size_t n)
{
    struct ks_cmdclass c = { name, name, CK_NORMAL, 0, false, o, (int)n, "" };
    return c;
}

static bool is_rhel(struct parser *p) { return strncmp(p->st.ver->name, "RHEL", 4) == 0; }
static int vnum(struct parser *p) { return p->st.ver->num; }

/* ------------------------------------------------------------------------ */
/* section handlers                                                         */

static int hdr_parse(struct parser *p, const char *file, int line, const char *what,
                     const struct ks_optdef *o, size_t n, const strv_t *args, struct ks_ns *ns)
{
    struct ks_cmdclass c = mkclass(what, o, n);
    /* RHEL10 removes the old spellings, RHEL9 --ignorebroken */
    int rc = ks_ns_parse(ns, &c, args->v + 1, args->n - 1, false);
    if (rc < 0) {
        ks_diag(&p->st, KS_ERROR, file, line, "%s: %s", what, ns->err ? ns->err : "invalid arguments");
        return -1;
    }
    for (size_t i = 0; i < ns->deprecated.n; i++) {
        bool fatal_w = p->o->warnings_are_errors;
        ks_diag(&p->st, fatal_w ? KS_ERROR : KS_WARNING, file, line,
                "Ignoring deprecated option on line %d: The %s option has been deprecated and no longer has any effect. It may be removed from future releases, which will result in a fatal error from kickstart. Please modify your kickstart file to remove this option.",
                line, ns->deprecated.v[i]);
        if (fatal_w)
            return -1;
    }
    return 0;
}

static bool nsb(struct ks_ns *ns, const char *d)
{
    struct ks_value *v = ks_ns_get(ns, d);
    return v && ks_value_truthy(v);
}

static const char *nss(struct ks_ns *ns, const char *d)
{
    struct ks_value *v = ks_ns_get(ns, d);
    return v && v->kind == KS_V_STR ? v->s : NULL;
}

static void header_script(struct parser *p, int idx, const strv_t *args, const char *file, int line)
{
    struct scr *s = &p->scripts[idx];
    struct ks_ns ns;
    s->seen++;
    int rc = idx == 2 ? hdr_parse(p, file, line, args->v[0], post_opts, 4, args, &ns)
                      : hdr_parse(p, file, line, args->v[0], script_opts, 3, args, &ns);
    if (rc == 0) {
        free(s->interp);
        s->interp = xstrdup(nss(&ns, "interpreter") ? nss(&ns, "interpreter") : "/bin/sh");
        free(s->log);
        s->log = nss(&ns, "log") ? xstrdup(nss(&ns, "log")) : NULL;
        s->erroronfail = nsb(&ns, "errorOnFail");
        s->lineno = line;
        s->file = file;
        if (idx == 2)
            s->chroot = !nsb(&ns, "nochroot");
        if (idx == 4 && vnum(p) >= 34000) {
            bool fw = p->o->warnings_are_errors;
            ks_diag(&p->st, fw ? KS_ERROR : KS_WARNING, file, line,
                    "The %%traceback section has been deprecated. It may be removed in the future, which will result in a fatal error from kickstart. Please modify your kickstart file to use the %%onerror section instead.");
        }
    }
    ks_ns_free(&ns);
}

static void finalize_script(struct parser *p, int idx)
{
    struct scr *s = &p->scripts[idx];
    /* " ".join(body).strip() == "": nothing is added and the body is kept */
    bool empty = true;
    for (size_t i = 0; i < s->body.n && empty; i++)
        if (!blank_or_comment(s->body.v[i]) || strchr(s->body.v[i], '#'))
            for (const char *q = s->body.v[i]; *q; q++)
                if (!py_space((unsigned char)*q)) {
                    empty = false;
                    break;
                }
    if (empty)
        return;
    struct kickstart *ks = p->st.ks;
    struct strbuf b = { 0 };
    for (size_t i = 0; i < s->body.n; i++)
        strbuf_add(&b, s->body.v[i]);
    ks->scripts = xrealloc(ks->scripts, sizeof *ks->scripts * (ks->n_scripts + 1));
    struct ks_script *k = &ks->scripts[ks->n_scripts++];
    memset(k, 0, sizeof *k);
    ks_loc_set(&k->loc, s->file ? s->file : ks->filename, s->lineno);
    k->type = s->type;
    k->interpreter = xstrdup(s->interp ? s->interp : "/bin/sh");
    k->body = b.p ? b.p : xstrdup("");
    k->log = s->log ? xstrdup(s->log) : NULL;
    k->nochroot = idx == 2 ? !s->chroot : false;
    k->erroronfail = s->erroronfail;
    /* reset */
    free(s->interp);
    free(s->log);
    s->interp = s->log = NULL;
    s->erroronfail = false;
    s->chroot = idx == 2;
    s->lineno = 0;
    strv_free(&s->body);
}

static void header_packages(struct parser *p, const strv_t *args, const char *file, int line)
{
    struct ks_ns ns;
    const struct ks_optdef *o;
    size_t n;
    int v = vnum(p);
    if (v >= 40000) { o = pk_opts_f40; n = sizeof pk_opts_f40 / sizeof *o; }
    else if (v >= 32000) { o = pk_opts_f32; n = sizeof pk_opts_f32 / sizeof *o; }
    else { o = pk_opts_f24; n = sizeof pk_opts_f24 / sizeof *o; }
    size_t nn = n;
    struct ks_optdef tmp[16];
    if (is_rhel(p)) {
        /* RHEL9: no --ignorebroken; RHEL10: neither old spelling */
        nn = 0;
        for (size_t i = 0; i < n; i++) {
            if (!strcmp(o[i].names[0], "--ignorebroken"))
                continue;
            if (v >= 40100 && (!strcmp(o[i].names[0], "--instLangs") ||
                               !strcmp(o[i].names[0], "--excludeWeakdeps")))
                continue;
            tmp[nn++] = o[i];
        }
        o = tmp;
    }
    int rc = hdr_parse(p, file, line, "%packages", o, nn, args, &ns);
    if (rc == 0) {
        struct ks_packages_raw *pk = &p->pk;
        if (!pk->seen) {
            ks_loc_set(&p->st.ks->packages.loc, file, line);
        }
        if (nsb(&ns, "defaultPackages") && nsb(&ns, "nocore")) {
            ks_diag(&p->st, KS_ERROR, file, line, "--default and --nocore cannot be used together");
        } else {
            pk->seen = true;
            pk->excludedocs = nsb(&ns, "excludedocs");
            pk->ignoremissing = nsb(&ns, "ignoremissing");
            if (nsb(&ns, "defaultPackages"))
                pk->def = true;
            if (nss(&ns, "instLangs")) {
                free(pk->instlangs);
                pk->instlangs = xstrdup(nss(&ns, "instLangs"));
            }
            pk->multilib = nsb(&ns, "multiLib");
            pk->nocore = nsb(&ns, "nocore");
            struct ks_value *t = ks_ns_get(&ns, "timeout"), *r = ks_ns_get(&ns, "retries");
            pk->has_timeout = t && t->kind == KS_V_INT;
            pk->timeout = pk->has_timeout ? t->i : 0;
            pk->has_retries = r && r->kind == KS_V_INT;
            pk->retries = pk->has_retries ? r->i : 0;
            pk->weak = nsb(&ns, "excludeWeakdeps");
            pk->ignorebroken = nsb(&ns, "ignorebroken");
            if (v >= 32000 && v < 40000) {
                /* F32..F39 and RHEL9: the old spellings will be deprecated */
                static const char *const old[][2] = { { "--instLangs", "--inst-langs" },
                                                      { "--excludeWeakdeps", "--exclude-weakdeps" } };
                for (int k = 0; k < 2; k++)
                    for (size_t a = 1; a < args->n; a++) {
                        size_t ol = strlen(old[k][0]);
                        if (!strncmp(args->v[a], old[k][0], ol) && (!args->v[a][ol] || args->v[a][ol] == '=')) {
                            bool fw = p->o->warnings_are_errors;
                            ks_diag(&p->st, fw ? KS_ERROR : KS_WARNING, file, line,
                                    "The %s option on line %d will be deprecated in future releases. Please modify your kickstart file to replace this option with its preferred alias %s.",
                                    old[k][0], line, old[k][1]);
                            break;
                        }
                    }
            }
        }
    }
    ks_ns_free(&ns);
}

static int pk_group_cmp(const void *a, const void *b)
{
    return strcmp(((const struct pgroup *)a)->name, ((const struct pgroup *)b)->name);
}

static void pk_add_group(struct parser *p, const char *spec, const char *file, int line)
{
    struct ks_packages_raw *pk = &p->pk;
    /* line.split() and parse_known_args with --nodefaults/--optional */
    strv_t w = { 0 };
    const char *q = spec;
    while (*q) {
        while (*q && py_space((unsigned char)*q))
            q++;
        if (!*q)
            break;
        const char *e = q;
        while (*e && !py_space((unsigned char)*e))
            e++;
        strv_push_take(&w, xstrndup(q, (size_t)(e - q)));
        q = e;
    }
    static const struct ks_optdef gopts[] = {
        OPT("--nodefaults", NULL, "nodefaults", A_TRUE, T_STR, "b0"),
        OPT("--optional", NULL, "optional", A_TRUE, T_STR, "b0"),
    };
    struct ks_cmdclass c = mkclass("group", gopts, 2);
    struct ks_ns ns;
    if (ks_ns_parse(&ns, &c, w.v, w.n, true) < 0) {
        fatal(p, file, line, "%s", ns.err ? ns.err : "invalid group");
        ks_ns_free(&ns);
        strv_free(&w);
        return;
    }
    if (nsb(&ns, "nodefaults") && nsb(&ns, "optional")) {
        fatal(p, file, line, "Group cannot specify both --nodefaults and --optional");
        ks_ns_free(&ns);
        strv_free(&w);
        return;
    }
    struct strbuf name = { 0 };
    for (size_t i = 0; i < ns.extra.n; i++) {
        if (i)
            strbuf_add(&name, " ");
        strbuf_add(&name, ns.extra.v[i]);
    }
    char *nm = name.p ? name.p : xstrdup("");
    for (size_t i = 0; i < pk->n_groups; i++)
        if (!strcmp(pk->groups[i].name, nm)) {
            free(nm);
            ks_ns_free(&ns);
            strv_free(&w);
            return;
        }
    pk->groups = xrealloc(pk->groups, sizeof *pk->groups * (pk->n_groups + 1));
    pk->groups[pk->n_groups].name = nm;
    pk->groups[pk->n_groups].include = nsb(&ns, "nodefaults") ? 1 : nsb(&ns, "optional") ? 2 : 0;
    pk->n_groups++;
    ks_ns_free(&ns);
    strv_free(&w);
}

static void strv_remove(strv_t *v, const char *s)
{
    size_t o = 0;
    for (size_t i = 0; i < v->n; i++) {
        if (!strcmp(v->v[i], s))
            free(v->v[i]);
        else
            v->v[o++] = v->v[i];
    }
    v->n = o;
}

static void packages_line(struct parser *p, const char *line, const char *file, int lineno)
{
    struct ks_packages_raw *pk = &p->pk;
    /* line.partition('#')[0].rstrip(), then .strip() */
    const char *h = strchr(line, '#');
    size_t n = h ? (size_t)(h - line) : strlen(line);
    while (n && py_space((unsigned char)line[n - 1]))
        n--;
    const char *s = line;
    while (n && py_space((unsigned char)*s)) {
        s++;
        n--;
    }
    if (pk->pkgs.n + pk->excl.n + pk->n_groups + pk->n_xgroups >= KS_MAX_PACKAGE_LINES) {
        fatal(p, file, lineno, "more than %d entries in %%packages", KS_MAX_PACKAGE_LINES);
        return;
    }
    char *st = xstrndup(s, n);
    if (!*st) {
        fatal(p, file, lineno, "string index out of range");
    } else if (st[0] == '@' && st[1] == '^') {
        free(pk->environment);
        pk->environment = xstrdup(st + 2);
    } else if (st[0] == '@') {
        pk_add_group(p, st + 1, file, lineno);
    } else if (st[0] == '-') {
        if (st[1] == 0) {
            fatal(p, file, lineno, "string index out of range");
        } else if (st[1] == '@' && st[2] == '^' && pk->environment &&
                   !strcmp(pk->environment, st + 3)) {
            free(pk->environment);
            pk->environment = NULL;
        } else if (st[1] == '@') {
            const char *g = st + 2;
            size_t o = 0;
            for (size_t i = 0; i < pk->n_groups; i++) {
                if (!strcmp(pk->groups[i].name, g))
                    free(pk->groups[i].name);
                else
                    pk->groups[o++] = pk->groups[i];
            }
            pk->n_groups = o;
            pk->xgroups = xrealloc(pk->xgroups, sizeof *pk->xgroups * (pk->n_xgroups + 1));
            pk->xgroups[pk->n_xgroups].name = xstrdup(g);
            pk->xgroups[pk->n_xgroups].include = 0;
            pk->n_xgroups++;
        } else {
            /* excluded: (excluded - packages) | new; packages lose it */
            strv_remove(&pk->pkgs, st + 1);
            if (!strv_contains(&pk->excl, st + 1))
                strv_push(&pk->excl, st + 1);
        }
    } else {
        if (!strv_contains(&pk->pkgs, st))
            strv_push(&pk->pkgs, st);
        strv_remove(&pk->excl, st);
    }
    free(st);
}

/* ------------------------------------------------------------------------ */
/* the state machine                                                        */

static void read_kickstart(struct parser *p, const char *path, const char *from_file, int from_line);
static void read_source(struct parser *p, struct src *s);

static void handle_include(struct parser *p, const char *target, const char *file, int line)
{
    if (p->o->skip_includes)
        return;
    if (p->depth >= KS_MAX_INCLUDE_DEPTH) {
        fatal(p, file, line, "%%include nested more than %d levels deep (include cycle?): %s",
              KS_MAX_INCLUDE_DEPTH, target);
        return;
    }
    p->depth++;
    read_kickstart(p, target, file, line);
    p->depth--;
}

static void finalize_section(struct parser *p, const char *name)
{
    int si = script_index(name);
    if (si >= 0) {
        finalize_script(p, si);
    } else if (!strcmp(name, "%certificate")) {
        struct strbuf b = { 0 };
        for (size_t i = 0; i < p->cert.body.n; i++)
            strbuf_add(&b, p->cert.body.v[i]);
        char *cert = b.p ? b.p : xstrdup("");
        size_t l = strlen(cert);
        if (l && cert[l - 1] == '\n')
            cert[--l] = 0;
        bool empty = true;
        for (char *q = cert; *q && empty; q++)
            empty = py_space((unsigned char)*q);
        if (empty) {
            fatal(p, p->cert.file, 0, "The %%certificate section is empty");
            free(cert);
        } else {
            struct kickstart *ks = p->st.ks;
            ks->certs = xrealloc(ks->certs, sizeof *ks->certs * (ks->n_certs + 1));
            struct ks_cert *c = &ks->certs[ks->n_certs++];
            memset(c, 0, sizeof *c);
            ks_loc_set(&c->loc, p->cert.file ? p->cert.file : "", p->cert.line);
            c->cert = cert;
            c->filename = p->cert.filename;
            c->dir = p->cert.dir;
            c->type = p->cert.type;
            p->cert.filename = p->cert.dir = p->cert.type = NULL;
            strv_free(&p->cert.body);
        }
    } else if (!strcmp(name, "%packages")) {
        /* nothing: lines were added as they came */
    } else {
        struct nulls *n = null_section(p, name);
        struct strbuf b = { 0 };
        for (size_t i = 0; i < n->args.n; i++) {
            if (i)
                strbuf_add(&b, " ");
            strbuf_add(&b, n->args.v[i]);
        }
        strbuf_add(&b, "\n");
        for (size_t i = 0; i < n->body.n; i++) {
            if (i)
                strbuf_add(&b, "\n");
            strbuf_add(&b, n->body.v[i]);
        }
        if (n->body.n) {
            /* an empty body joined gives "" only if every line is "" */
            bool any = false;
            for (size_t i = 0; i < n->body.n; i++)
                any |= n->body.v[i][0] != 0;
            if (any || n->body.n > 1)
                strbuf_add(&b, "\n");
            else {
                b.p[b.n - 0] = 0;
            }
        }
        strbuf_add(&b, "%end");
        strv_push_take(&p->st.ks->null_sections, b.p);
        char *what = !strcmp(name, "%addon") && n->args.n > 1 ? xasprintf("%s %s", name, n->args.v[1])
                                                              : xstrdup(name);
        if (!strv_contains(&p->st.ks->ignored, what))
            strv_push(&p->st.ks->ignored, what);
        free(what);
        strv_free(&n->args);
        strv_free(&n->body);
    }
    p->state = NULL;
}

static void handle_line(struct parser *p, const char *name, const char *line, const char *file,
                        int lineno)
{
    int si = script_index(name);
    if (si >= 0)
        strv_push(&p->scripts[si].body, line);
    else if (!strcmp(name, "%packages"))
        packages_line(p, line, file, lineno);
    else if (!strcmp(name, "%certificate"))
        strv_push(&p->cert.body, line);
    else
        strv_push(&null_section(p, name)->body, line);
}

static bool all_lines(const char *name) { return strcmp(name, "%packages") != 0; }

static void read_section(struct parser *p, struct src *s, int *lineno)
{
    const char *name = p->state;
    for (;;) {
        if (stopped(p))
            return;
        const char *line;
        size_t len;
        int r = next_line(p, s, &line, &len);
        if (r == -1 || r == -2)
            return;
        if (r == 0 && p->depth == 0) {
            fatal(p, s->name, *lineno, "Section %s does not end with %%end.", name);
            return;
        }
        (*lineno)++;
        if (blank_or_comment(line) && !all_lines(name))
            continue;
        const char *ls = lstrip(line);
        if (*ls == '%') {
            size_t wl = 0;
            while (ls[wl] && !py_space((unsigned char)ls[wl]))
                wl++;
            char *pss = xstrndup(ls, wl);
            bool special = valid_section(p, pss) || !strcmp(pss, "%end") || !strcmp(pss, "%include");
            free(pss);
            if (!special) {
                handle_line(p, name, line, s->name, *lineno);
                continue;
            }
            strv_t args = { 0 };
            const char *err;
            if (split_nocomment(line, &args, &err) < 0) {
                fatal(p, s->name, *lineno, "%s", err);
                strv_free(&args);
                return;
            }
            if (args.n && !strcmp(args.v[0], "%end")) {
                strv_free(&args);
                finalize_section(p, name);
                return;
            } else if (args.n && !strcmp(args.v[0], "%include")) {
                if (args.n == 1 || !*args.v[1]) {
                    fatal(p, s->name, *lineno, "Missing file name for %%include");
                    strv_free(&args);
                    return;
                }
                char *t = xstrdup(args.v[1]);
                strv_free(&args);
                handle_include(p, t, s->name, *lineno);
                free(t);
                continue;
            } else if (args.n && valid_section(p, args.v[0])) {
                fatal(p, s->name, *lineno, "Section %s does not end with %%end.", name);
                strv_free(&args);
                return;
            }
            strv_free(&args);
        } else {
            handle_line(p, name, line, s->name, *lineno);
        }
    }
}

static void section_header(struct parser *p, const strv_t *args, const char *file, int line)
{
    const char *name = args->v[0];
    int si = script_index(name);
    if (si >= 0) {
        header_script(p, si, args, file, line);
    } else if (!strcmp(name, "%packages")) {
        header_packages(p, args, file, line);
    } else if (!strcmp(name, "%certificate")) {
        struct ks_ns ns;
        if (hdr_parse(p, file, line, "%certificate", cert_opts, 3, args, &ns) == 0) {
            if (!nss(&ns, "dir") && !nss(&ns, "type")) {
                ks_diag(&p->st, KS_ERROR, file, line,
                        "One of --dir or --type must be specified for %%certificate");
            } else {
                free(p->cert.filename);
                p->cert.filename = xstrdup(nss(&ns, "filename"));
                if (nss(&ns, "dir")) {
                    free(p->cert.dir);
                    p->cert.dir = xstrdup(nss(&ns, "dir"));
                }
                if (nss(&ns, "type")) {
                    free(p->cert.type);
                    p->cert.type = xstrdup(nss(&ns, "type"));
                }
                free(p->cert.file);
                p->cert.file = xstrdup(file);
                p->cert.line = line;
            }
        }
        ks_ns_free(&ns);
    } else {
        struct nulls *n = null_section(p, name);
        strv_free(&n->args);
        for (size_t i = 0; i < args->n; i++)
            strv_push(&n->args, args->v[i]);
    }
}

static void state_machine(struct parser *p, struct src *s)
{
    int lineno = 0;
    for (;;) {
        if (stopped(p))
            return;
        const char *line;
        size_t len;
        int r = next_line(p, s, &line, &len);
        if (r <= 0)
            return;
        lineno++;
        if (blank_or_comment(line)) {
            if (!p->state && !strncmp(line, "#platform=", 10)) {
                free(p->st.ks->platform);
                char *v = xstrdup(line + 10);
                char *b = v;
                while (*b && py_space((unsigned char)*b))
                    b++;
                char *e = b + strlen(b);
                while (e > b && py_space((unsigned char)e[-1]))
                    *--e = 0;
                p->st.ks->platform = xstrdup(b);
                free(v);
            }
            continue;
        }
        strv_t args = { 0 };
        const char *err;
        if (ks_split(line, len, &args, &err) < 0) {
            fatal(p, s->name, lineno, "%s", err);
            strv_free(&args);
            return;
        }
        if (args.n == 0) {
            fatal(p, s->name, lineno, "list index out of range");
            strv_free(&args);
            return;
        }
        if (!strcmp(args.v[0], "%include")) {
            if (args.n == 1 || !*args.v[1]) {
                fatal(p, s->name, lineno, "Missing file name for %%include");
                strv_free(&args);
                return;
            }
            char *t = xstrdup(args.v[1]);
            strv_free(&args);
            handle_include(p, t, s->name, lineno);
            free(t);
            continue;
        }
        if (!p->state) {
            if (!strcmp(args.v[0], "%ksappend")) {
                ks_diag(&p->st, KS_NOTICE, s->name, lineno,
                        "%%ksappend is not expanded by ksflatten and livecd-creator; line ignored");
            } else if (args.v[0][0] == '%') {
                if (!valid_section(p, args.v[0])) {
                    fatal(p, s->name, lineno, "Unknown kickstart section: %s", args.v[0]);
                    strv_free(&args);
                    return;
                }
                p->state = strcmp(args.v[0], "%packages") == 0      ? "%packages"
                           : strcmp(args.v[0], "%certificate") == 0 ? "%certificate"
                           : script_index(args.v[0]) >= 0 ? script_names[script_index(args.v[0])]
                                                           : null_section(p, args.v[0])->open;
                section_header(p, &args, s->name, lineno);
                strv_free(&args);
                if (stopped(p))
                    return;
                read_section(p, s, &lineno);
                continue;
            } else {
                p->st.cur_text = line;
                ks_run_command(&p->st, s->name, lineno, args.v, args.n);
                p->st.cur_text = NULL;
            }
        } else if (p->depth > 0) {
            put_back(s, line, len);
            lineno--;
            read_section(p, s, &lineno);
        }
        strv_free(&args);
    }
}

static void src_free(struct src *s)
{
    if (s->fp)
        fclose(s->fp);
    free(s->buf);
    free(s->rd);
    free(s->putback);
}

static void read_source(struct parser *p, struct src *s)
{
    state_machine(p, s);
}

/* the directory part of path ("." if none): relative %include paths are
 * joined to it (the working directory does not change during a parse) */
static char *dirname_abs(const char *path)
{
    const char *sl = strrchr(path, '/');
    return sl ? (sl == path ? xstrdup("/") : xstrndup(path, (size_t)(sl - path))) : xstrdup(".");
}

static void read_kickstart(struct parser *p, const char *path, const char *from_file, int from_line)
{
    char *f = xstrdup(path);
    if (!ks_is_url(f)) {
        struct stat sb;
        bool exists = !p->o->include_relative_only ? stat(f, &sb) == 0 : false;
        if (!exists && f[0] != '/' && p->depth > 0 && p->curdir[p->depth - 1]) {
            char *j = path_join(p->curdir[p->depth - 1], f);
            if (stat(j, &sb) == 0 || p->o->include_relative_only) {
                free(f);
                f = j;
            } else {
                free(j);
            }
        }
    }
    if (!ks_is_url(f)) {
        char *real = realpath(f, NULL);
        for (int i = 0; real && i < p->depth; i++)
            if (p->open_real[i] && !strcmp(p->open_real[i], real)) {
                fatal(p, from_file, from_line, "%%include cycle: %s is already being read", path);
                free(real);
                free(f);
                return;
            }
        free(p->open_real[p->depth]);
        p->open_real[p->depth] = real;
    }
    free(p->curdir[p->depth]);
    p->curdir[p->depth] = ks_is_url(f) ? NULL : dirname_abs(f);
    struct src s;
    memset(&s, 0, sizeof s);
    s.name = f;
    char *mem = NULL;
    if (ks_is_url(f)) {
        size_t len;
        char *err = NULL;
        if (ks_fetch_url(f, &mem, &len, &err) < 0) {
            fatal(p, from_file, from_line, "Unable to open input kickstart file: Error accessing URL \"%s\": %s", f, err ? err : "failed");
            free(err);
            free(f);
            return;
        }
        s.mem = mem;
        s.mem_len = len;
    } else {
        struct stat sb;
        if (p->o->includes_regular_only && p->depth > 0 &&
            (stat(f, &sb) < 0 || !S_ISREG(sb.st_mode))) {
            fatal(p, from_file, from_line, "Unable to open input kickstart file: %s is not a regular file", f);
            free(f);
            return;
        }
        s.fp = fopen(f, "rb");
        if (!s.fp || (fstat(fileno(s.fp), &sb) == 0 && S_ISDIR(sb.st_mode))) {
            int e = s.fp ? EISDIR : errno;
            fatal(p, from_file, from_line,
                  "Unable to open input kickstart file: Error opening file: [Errno %d] %s: '%s'", e,
                  strerror(e), f);
            if (s.fp)
                fclose(s.fp);
            free(f);
            return;
        }
    }
    read_source(p, &s);
    src_free(&s);
    free(mem);
    free(f);
    free(p->open_real[p->depth]);
    p->open_real[p->depth] = NULL;
}

/* ------------------------------------------------------------------------ */
/* %ksappend pre-pass                                                       */

static char *ksappend_expand(struct parser *p, const char *path)
{
    char *buf = NULL;
    size_t len = 0;
    if (read_file(path, &buf, &len) < 0) {
        fatal(p, path, 0, "Unable to open input kickstart file: Error opening file: %s", strerror(errno));
        return NULL;
    }
    if (memchr(buf, '\0', len) || len > KS_MAX_TOTAL) {
        fatal(p, path, 0, "the kickstart input is not text or too large");
        free(buf);
        return NULL;
    }
    struct strbuf out = { 0 };
    const char *q = buf;
    int lineno = 0;
    while (*q) {
        const char *e = strchr(q, '\n');
        size_t l = e ? (size_t)(e - q + 1) : strlen(q);
        lineno++;
        char *ln = xstrndup(q, l);
        const char *t = lstrip(ln);
        if (strncmp(t, "%ksappend", 9) != 0) {
            strbuf_add(&out, ln);
        } else {
            /* ll.split(' ')[1] */
            char *ll = xstrdup(t);
            char *end = ll + strlen(ll);
            while (end > ll && py_space((unsigned char)end[-1]))
                *--end = 0;
            char *sp = strchr(ll, ' ');
            if (!sp) {
                fatal(p, path, lineno, "Illegal url for %%ksappend: %s", ll);
            } else {
                char *u = sp + 1;
                char *u_end = strchr(u, ' ');
                if (u_end)
                    *u_end = 0;
                char *c = NULL;
                size_t cl = 0;
                char *err = NULL;
                int rr = ks_is_url(u) ? ks_fetch_url(u, &c, &cl, &err) : read_file(u, &c, &cl);
                if (rr < 0) {
                    fatal(p, path, lineno, "Unable to open %%ksappend file: %s", err ? err : strerror(errno));
                } else {
                    strbuf_addn(&out, c, cl);
                }
                free(c);
                free(err);
            }
            free(ll);
        }
        free(ln);
        q += l;
        if (stopped(p))
            break;
        if (out.n > KS_MAX_TOTAL) {
            fatal(p, path, lineno, "the kickstart input is larger than %u bytes", KS_MAX_TOTAL);
            break;
        }
    }
    free(buf);
    return out.p ? out.p : xstrdup("");
}

/* ------------------------------------------------------------------------ */
/* entry points                                                             */

static void build_packages(struct parser *p)
{
    struct ks_packages_raw *r = &p->pk;
    struct ks_packages *k = &p->st.ks->packages;
    k->seen = r->seen;
    k->default_ = r->def;
    k->excludedocs = r->excludedocs;
    k->ignoremissing = r->ignoremissing;
    k->nocore = r->nocore;
    k->exclude_weakdeps = r->weak;
    k->ignorebroken = r->ignorebroken;
    k->inst_langs = r->instlangs;
    r->instlangs = NULL;
    k->multilib = r->multilib ? xstrdup("all") : NULL;
    k->timeout = r->has_timeout ? (int)(r->timeout > INT_MAX ? INT_MAX : r->timeout < INT_MIN ? INT_MIN : r->timeout) : -1;
    k->retries = r->has_retries ? (int)(r->retries > INT_MAX ? INT_MAX : r->retries < INT_MIN ? INT_MIN : r->retries) : -1;
    /* sorted as pykickstart writes them */
    if (r->n_groups)
        qsort(r->groups, r->n_groups, sizeof *r->groups, pk_group_cmp);
    if (r->environment && !r->def) {
        k->groups = xrealloc(k->groups, sizeof *k->groups * (k->n_groups + 1));
        k->groups[k->n_groups].name = xstrdup(r->environment);
        k->groups[k->n_groups].include = KS_GROUP_DEFAULT;
        k->groups[k->n_groups].environment = true;
        k->n_groups++;
    }
    for (size_t i = 0; i < r->n_groups; i++) {
        k->groups = xrealloc(k->groups, sizeof *k->groups * (k->n_groups + 1));
        k->groups[k->n_groups].name = r->groups[i].name;
        k->groups[k->n_groups].include = r->groups[i].include == 1   ? KS_GROUP_REQUIRED
                                         : r->groups[i].include == 2 ? KS_GROUP_ALL
                                                                     : KS_GROUP_DEFAULT;
        k->groups[k->n_groups].environment = false;
        k->n_groups++;
    }
    free(r->groups);
    /* stable sort of excluded groups by name */
    for (size_t i = 1; i < r->n_xgroups; i++)
        for (size_t j = i; j > 0 && strcmp(r->xgroups[j - 1].name, r->xgroups[j].name) > 0; j--) {
            struct pgroup t = r->xgroups[j];
            r->xgroups[j] = r->xgroups[j - 1];
            r->xgroups[j - 1] = t;
        }
    for (size_t i = 0; i < r->n_xgroups; i++) {
        k->excluded_groups = xrealloc(k->excluded_groups, sizeof *k->excluded_groups * (k->n_excluded_groups + 1));
        k->excluded_groups[k->n_excluded_groups].name = r->xgroups[i].name;
        k->excluded_groups[k->n_excluded_groups].include = KS_GROUP_DEFAULT;
        k->excluded_groups[k->n_excluded_groups].environment = false;
        k->n_excluded_groups++;
    }
    free(r->xgroups);
    k->names = r->pkgs;
    k->excludes = r->excl;
    memset(&r->pkgs, 0, sizeof r->pkgs);
    memset(&r->excl, 0, sizeof r->excl);
    free(r->environment);
}

static void parser_free(struct parser *p)
{
    for (int i = 0; i < 5; i++) {
        free(p->scripts[i].interp);
        free(p->scripts[i].log);
        strv_free(&p->scripts[i].body);
    }
    free(p->cert.filename);
    free(p->cert.dir);
    free(p->cert.type);
    free(p->cert.file);
    strv_free(&p->cert.body);
    for (size_t i = 0; i < p->n_nulls; i++) {
        free(p->nulls[i].open);
        strv_free(&p->nulls[i].args);
        strv_free(&p->nulls[i].body);
    }
    free(p->nulls);
    for (int i = 0; i < KS_MAX_INCLUDE_DEPTH + 2; i++) {
        free(p->curdir[i]);
        free(p->open_real[i]);
    }
}

static int run(struct parser *p, const char *path, const char *text, const char *name,
               struct kickstart **out)
{
    if (p->o->ksappend && path && !stopped(p)) {
        char *t = ksappend_expand(p, path);
        if (t) {
            struct src s;
            memset(&s, 0, sizeof s);
            s.name = path;
            s.mem = t;
            s.mem_len = strlen(t);
            free(p->curdir[0]);
            p->curdir[0] = dirname_abs(path);
            read_source(p, &s);
            src_free(&s);
            free(t);
        }
    } else if (path) {
        read_kickstart(p, path, path, 0);
    } else {
        struct src s;
        memset(&s, 0, sizeof s);
        s.name = name;
        s.mem = text;
        s.mem_len = strlen(text);
        read_source(p, &s);
        src_free(&s);
    }
    ks_state_finish(&p->st);
    build_packages(p);
    parser_free(p);
    /* like ksvalidator: a fatal problem counts once, in place of the rest */
    if (p->o->n_errors)
        *p->o->n_errors = p->fatal ? 1 : p->st.errors;
    if (p->st.errors) {
        ks_free(p->st.ks);
        *out = NULL;
        return -1;
    }
    *out = p->st.ks;
    return 0;
}

static int init_parser(struct parser *p, const struct ks_parse_opts *opts,
                       struct ks_parse_opts *dflt, const char *name)
{
    memset(p, 0, sizeof *p);
    if (!opts) {
        ks_parse_opts_init(dflt);
        opts = dflt;
    }
    p->o = opts;
    p->st.opts = opts;
    p->st.ver = ks_version_get(opts->version);
    p->st.ks = xmalloc(sizeof *p->st.ks);
    ks_init(p->st.ks);
    p->st.ks->filename = xstrdup(name);
    if (!p->st.ver) {
        ks_diag(&p->st, KS_ERROR, name, 0, "The version %s is not supported (kscreate knows F30-F45, DEVEL, RHEL8-RHEL10)",
                opts->version);
        ks_free(p->st.ks);
        return -1;
    }
    p->st.ks->version = p->st.ver->name;
    p->st.ks->version_num = p->st.ver->num;
    ks_state_init(&p->st);
    for (int i = 0; i < 5; i++) {
        p->scripts[i].open = script_names[i];
        p->scripts[i].type = (enum ks_script_type[]){ KS_SCRIPT_PRE, KS_SCRIPT_PRE_INSTALL,
                                                      KS_SCRIPT_POST, KS_SCRIPT_ONERROR,
                                                      KS_SCRIPT_TRACEBACK }[i];
        p->scripts[i].chroot = i == 2;
    }
    return 0;
}

static int parse_file(const char *path, const struct ks_parse_opts *opts, struct kickstart **out);

/* the "#version=" line of a kickstart (versionFromFile), malloc'd, or NULL */
static char *version_from_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *line = NULL, *v = NULL;
    size_t cap = 0;
    ssize_t n;
    size_t total = 0;
    while (!v && (n = getline(&line, &cap, f)) > 0 && (total += (size_t)n) < KS_MAX_TOTAL) {
        if (!strncmp(line, "#version=", 9)) {
            char *e = line + n;
            while (e > line + 9 && py_space((unsigned char)e[-1]))
                *--e = 0;
            v = xstrdup(line + 9);
        }
    }
    free(line);
    fclose(f);
    return v;
}

int ks_parse_file(const char *path, const struct ks_parse_opts *opts, struct kickstart **out)
{
    struct ks_parse_opts fv;
    *out = NULL;
    char *fver = NULL;
    if (opts && opts->version_from_file && !opts->version && (fver = version_from_file(path))) {
        fv = *opts;
        fv.version = fver;
        opts = &fv;
    }
    int r = parse_file(path, opts, out);
    free(fver);
    return r;
}

static int parse_file(const char *path, const struct ks_parse_opts *opts, struct kickstart **out)
{
    struct parser p;
    struct ks_parse_opts d;
    *out = NULL;
    if (init_parser(&p, opts, &d, path) < 0) {
        if ((opts ? opts : &d)->n_errors)
            *(opts ? opts : &d)->n_errors = 1;
        return -1;
    }
    return run(&p, path, NULL, path, out);
}

int ks_parse_string(const char *text, const char *name, const struct ks_parse_opts *opts,
                    struct kickstart **out)
{
    struct parser p;
    struct ks_parse_opts d;
    *out = NULL;
    if (!name)
        name = "<string>";
    if (init_parser(&p, opts, &d, name) < 0)
        return -1;
    return run(&p, NULL, text ? text : "", name, out);
}
