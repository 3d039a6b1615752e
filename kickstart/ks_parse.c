/* ks_parse.c - the kickstart reader: lines, sections, %include, diagnostics.
 *
 * Input is read through a stack of sources (the main file and the files it
 * %includes), so a kickstart is processed line by line without recursion;
 * every diagnostic names the real file and line.  Sections (%packages,
 * scripts, %addon/%anaconda/%certificate) may span included files, as if the
 * include were inlined.
 */
#define _GNU_SOURCE
#include "ks_internal.h"
#include "../core/log.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define KS_MAX_INCLUDE_DEPTH 32

struct src {
    char *name;                   /* as shown in diagnostics */
    char *dir;                    /* for relative %include */
    char *real;                   /* realpath, NULL for strings */
    char *buf;
    size_t len, pos;
    int line;
};

enum pstate { P_CMD, P_PACKAGES, P_SCRIPT, P_SKIP };

struct parser {
    struct ks_state st;
    struct src stack[KS_MAX_INCLUDE_DEPTH + 1];
    int depth;                    /* entries in stack */
    enum pstate state;
    char *sec_name, *sec_file;    /* open section and where it starts */
    int sec_line;
    bool sec_unknown;             /* unknown section: already reported */
    struct ks_script script;      /* the open script */
    char *body;
    size_t body_len, body_cap;
};

/* ------------------------------------------------------------------------ */
/* diagnostics                                                              */

static void default_report(void *ctx, enum ks_severity sev, const char *file, int line,
                           const char *msg)
{
    (void)ctx;
    if (line > 0) {
        if (sev == KS_ERROR)
            log_error("%s:%d: %s", file, line, msg);
        else
            log_warn("%s:%d: %s", file, line, msg);
    } else {
        if (sev == KS_ERROR)
            log_error("%s: %s", file, msg);
        else
            log_warn("%s: %s", file, msg);
    }
}

void ks_diag(struct ks_state *st, enum ks_severity sev, const char *file, int line,
             const char *fmt, ...)
{
    va_list ap;
    char *msg;
    va_start(ap, fmt);
    if (vasprintf(&msg, fmt, ap) < 0)
        msg = NULL;
    va_end(ap);
    if (sev == KS_ERROR)
        st->errors++;
    else
        st->warnings++;
    ks_report_fn fn = st->opts && st->opts->report ? st->opts->report : default_report;
    fn(st->opts ? st->opts->report_ctx : NULL, sev, file ? file : "<kickstart>", line,
       msg ? msg : "(out of memory)");
    free(msg);
}

/* ------------------------------------------------------------------------ */
/* sources                                                                  */

static char *dir_of(const char *path)
{
    const char *sl = strrchr(path, '/');
    if (!sl)
        return xstrdup(".");
    if (sl == path)
        return xstrdup("/");
    return xstrndup(path, (size_t)(sl - path));
}

static void push_src(struct parser *p, char *name, char *dir, char *real, char *buf, size_t len)
{
    struct src *s = &p->stack[p->depth++];
    s->name = name;
    s->dir = dir;
    s->real = real;
    s->buf = buf;
    s->len = len;
    s->pos = 0;
    s->line = 0;
}

static void pop_src(struct parser *p)
{
    struct src *s = &p->stack[--p->depth];
    free(s->name);
    free(s->dir);
    free(s->real);
    free(s->buf);
    memset(s, 0, sizeof *s);
}

/* Open a file onto the stack; on failure report at (file, line). */
static int open_file(struct parser *p, const char *path, const char *file, int line)
{
    char *real = realpath(path, NULL);
    char *buf = NULL;
    size_t len = 0;
    if (!real || read_file(path, &buf, &len) < 0) {
        ks_diag(&p->st, KS_ERROR, file, line, "Unable to open input kickstart file: %s: %s", path,
                strerror(errno));
        free(real);
        return -1;
    }
    for (int i = 0; i < p->depth; i++)
        if (p->stack[i].real && strcmp(p->stack[i].real, real) == 0) {
            ks_diag(&p->st, KS_ERROR, file, line, "%%include cycle: %s is already being read",
                    path);
            free(real);
            free(buf);
            return -1;
        }
    push_src(p, xstrdup(path), dir_of(path), real, buf, len);
    return 0;
}

/* Next line of input (not NUL terminated, without "\n" or "\r\n"). */
static bool next_line(struct parser *p, const char **line, size_t *len, struct src **srcp)
{
    while (p->depth > 0) {
        struct src *s = &p->stack[p->depth - 1];
        if (s->pos >= s->len) {
            if (p->depth == 1)
                return false; /* keep the main file for end-of-input messages */
            pop_src(p);
            continue;
        }
        const char *start = s->buf + s->pos;
        const char *nl = memchr(start, '\n', s->len - s->pos);
        size_t l = nl ? (size_t)(nl - start) : s->len - s->pos;
        s->pos += l + (nl ? 1 : 0);
        if (s->line < INT_MAX)
            s->line++;
        if (l && start[l - 1] == '\r')
            l--;
        *line = start;
        *len = l;
        *srcp = s;
        return true;
    }
    return false;
}

/* ------------------------------------------------------------------------ */
/* sections                                                                 */

static const struct ks_opt packages_opts[] = {
    { "--default", { 0 }, KS_OPT_BOOL, 0 },
    { "--excludedocs", { 0 }, KS_OPT_BOOL, 0 },
    { "--ignoremissing", { 0 }, KS_OPT_BOOL, 0 },
    { "--inst-langs", { "--instLangs", NULL }, KS_OPT_STR, 0 },
    { "--multilib", { 0 }, KS_OPT_BOOL, 0 },
    { "--nocore", { 0 }, KS_OPT_BOOL, 0 },
    { "--nobase", { 0 }, KS_OPT_BOOL, KS_OPTF_DEPRECATED },
    { "--exclude-weakdeps", { "--excludeWeakdeps", NULL }, KS_OPT_BOOL, 0 },
    { "--retries", { 0 }, KS_OPT_INT, 0 },
    { "--timeout", { 0 }, KS_OPT_INT, 0 },
    { "--resolvedeps", { 0 }, KS_OPT_BOOL, KS_OPTF_DEPRECATED },
    { "--ignoredeps", { 0 }, KS_OPT_BOOL, KS_OPTF_DEPRECATED },
    { NULL, { 0 }, 0, 0 },
};

static const struct ks_opt post_opts[] = {
    { "--interpreter", { 0 }, KS_OPT_STR, 0 },
    { "--erroronfail", { 0 }, KS_OPT_BOOL, 0 },
    { "--log", { "--logfile", NULL }, KS_OPT_STR, 0 },
    { "--nochroot", { 0 }, KS_OPT_BOOL, 0 },
    { NULL, { 0 }, 0, 0 },
};

static const struct ks_opt other_script_opts[] = {
    { "--interpreter", { 0 }, KS_OPT_STR, 0 },
    { "--erroronfail", { 0 }, KS_OPT_BOOL, 0 },
    { "--log", { "--logfile", NULL }, KS_OPT_STR, 0 },
    { NULL, { 0 }, 0, 0 },
};

static const struct ks_opt group_opts[] = {
    { "--nodefaults", { 0 }, KS_OPT_BOOL, 0 },
    { "--optional", { 0 }, KS_OPT_BOOL, 0 },
    { NULL, { 0 }, 0, 0 },
};

static const struct { const char *name; enum ks_script_type type; } script_sections[] = {
    { "%pre", KS_SCRIPT_PRE },           { "%pre-install", KS_SCRIPT_PRE_INSTALL },
    { "%post", KS_SCRIPT_POST },         { "%onerror", KS_SCRIPT_ONERROR },
    { "%traceback", KS_SCRIPT_TRACEBACK },
};

static const char *skipped_sections[] = { "%addon", "%anaconda", "%certificate" };

static bool is_section(const char *name)
{
    if (strcmp(name, "%packages") == 0)
        return true;
    for (size_t i = 0; i < sizeof script_sections / sizeof script_sections[0]; i++)
        if (strcmp(name, script_sections[i].name) == 0)
            return true;
    for (size_t i = 0; i < sizeof skipped_sections / sizeof skipped_sections[0]; i++)
        if (strcmp(name, skipped_sections[i]) == 0)
            return true;
    return false;
}

static void body_add(struct parser *p, const char *s, size_t n)
{
    if (p->body_len + n + 2 > p->body_cap) {
        while (p->body_len + n + 2 > p->body_cap)
            p->body_cap = p->body_cap ? p->body_cap * 2 : 256;
        p->body = xrealloc(p->body, p->body_cap);
    }
    memcpy(p->body + p->body_len, s, n);
    p->body_len += n;
    p->body[p->body_len++] = '\n';
    p->body[p->body_len] = 0;
}

static void open_section(struct parser *p, enum pstate state, const char *name, const char *file,
                         int line)
{
    p->state = state;
    free(p->sec_name);
    free(p->sec_file);
    p->sec_name = xstrdup(name);
    p->sec_file = xstrdup(file);
    p->sec_line = line;
    p->sec_unknown = false;
}

static void close_section(struct parser *p)
{
    if (p->state == P_SCRIPT) {
        struct kickstart *ks = p->st.ks;
        p->script.body = p->body ? p->body : xstrdup("");
        p->body = NULL;
        p->body_len = p->body_cap = 0;
        ks->scripts = xrealloc(ks->scripts, sizeof *ks->scripts * (ks->n_scripts + 1));
        ks->scripts[ks->n_scripts++] = p->script;
        memset(&p->script, 0, sizeof p->script);
    }
    p->state = P_CMD;
}

static void add_group(struct ks_group **v, size_t *n, const char *name,
                      enum ks_group_include inc, bool env)
{
    *v = xrealloc(*v, sizeof **v * (*n + 1));
    (*v)[*n].name = xstrdup(name);
    (*v)[*n].include = inc;
    (*v)[*n].environment = env;
    (*n)++;
}

static char *strip(char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\v' || *s == '\f')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\v' ||
                 s[n - 1] == '\f'))
        s[--n] = 0;
    return s;
}

static void packages_line(struct parser *p, char *ln, const char *file, int line)
{
    struct ks_packages *pk = &p->st.ks->packages;
    char *hash = strchr(ln, '#');
    if (hash)
        *hash = 0;
    char *s = strip(ln);
    if (!*s)
        return;
    if (s[0] == '@' && s[1] == '^') {
        char *name = strip(s + 2);
        for (size_t i = 0; i < pk->n_groups; i++)
            if (pk->groups[i].environment) { /* only one environment: the last wins */
                free(pk->groups[i].name);
                pk->groups[i].name = xstrdup(name);
                return;
            }
        add_group(&pk->groups, &pk->n_groups, name, KS_GROUP_DEFAULT, true);
    } else if (s[0] == '@') {
        strv_t tok = { 0 };
        const char *err;
        if (ks_split(s + 1, strlen(s + 1), &tok, &err) < 0) {
            ks_diag(&p->st, KS_ERROR, file, line, "%s", err);
            strv_free(&tok);
            return;
        }
        struct ks_args a;
        if (ks_getopt(&p->st, file, line, "group", group_opts, tok.v, tok.n, &a) == 0) {
            if (a.pos.n != 1)
                ks_diag(&p->st, KS_ERROR, file, line, "Invalid group specification: %s", s);
            else if (ks_arg(&a, "--nodefaults") && ks_arg(&a, "--optional"))
                ks_diag(&p->st, KS_ERROR, file, line,
                        "Group cannot specify both --nodefaults and --optional");
            else
                add_group(&pk->groups, &pk->n_groups, a.pos.v[0],
                          ks_arg(&a, "--optional")     ? KS_GROUP_ALL
                          : ks_arg(&a, "--nodefaults") ? KS_GROUP_REQUIRED
                                                       : KS_GROUP_DEFAULT,
                          false);
        }
        ks_args_free(&a);
        strv_free(&tok);
    } else if (s[0] == '-' && s[1] == '@') {
        add_group(&pk->excluded_groups, &pk->n_excluded_groups, strip(s + 2), KS_GROUP_DEFAULT,
                  false);
    } else if (s[0] == '-') {
        strv_push(&pk->excludes, strip(s + 1));
    } else {
        strv_push(&pk->names, s);
    }
}

static void start_packages(struct parser *p, const strv_t *tok, const char *file, int line)
{
    struct ks_packages *pk = &p->st.ks->packages;
    struct ks_args a;
    ks_getopt(&p->st, file, line, "%packages", packages_opts, tok->v + 1, tok->n - 1, &a);
    if (a.pos.n)
        ks_diag(&p->st, KS_ERROR, file, line, "Unexpected arguments to %%packages: %s", a.pos.v[0]);
    if (ks_arg(&a, "--default") && ks_arg(&a, "--nocore"))
        ks_diag(&p->st, KS_ERROR, file, line,
                "--default and --nocore are mutually exclusive in %%packages");
    if (!pk->seen) {
        pk->seen = true;
        ks_loc_set(&pk->loc, file, line);
    }
    /* several %packages sections are merged; options add up */
    pk->default_ |= ks_arg_bool(&a, "--default");
    pk->excludedocs |= ks_arg_bool(&a, "--excludedocs");
    pk->ignoremissing |= ks_arg_bool(&a, "--ignoremissing");
    pk->nocore |= ks_arg_bool(&a, "--nocore");
    pk->nobase |= ks_arg_bool(&a, "--nobase");
    pk->exclude_weakdeps |= ks_arg_bool(&a, "--exclude-weakdeps");
    if (ks_arg(&a, "--inst-langs")) {
        free(pk->inst_langs);
        pk->inst_langs = xstrdup(ks_arg_str(&a, "--inst-langs"));
    }
    if (ks_arg(&a, "--multilib")) {
        free(pk->multilib);
        pk->multilib = xstrdup("all");
    }
    static const char *const int_opts[] = { "--retries", "--timeout" };
    int *int_vals[] = { &pk->retries, &pk->timeout };
    for (int i = 0; i < 2; i++) {
        const struct ks_optval *v = ks_arg(&a, int_opts[i]);
        if (v && (v->num < 0 || v->num > INT_MAX))
            ks_diag(&p->st, KS_ERROR, file, line, "option %s: value out of range: %ld",
                    int_opts[i], v->num);
        else if (v)
            *int_vals[i] = (int)v->num;
    }
    ks_args_free(&a);
    open_section(p, P_PACKAGES, "%packages", file, line);
}

static void start_script(struct parser *p, enum ks_script_type type, const strv_t *tok,
                         const char *file, int line)
{
    struct ks_args a;
    ks_getopt(&p->st, file, line, tok->v[0], type == KS_SCRIPT_POST ? post_opts : other_script_opts,
              tok->v + 1, tok->n - 1, &a);
    if (a.pos.n)
        ks_diag(&p->st, KS_ERROR, file, line, "Unexpected arguments to %s: %s", tok->v[0],
                a.pos.v[0]);
    ks_script_clear(&p->script);
    ks_loc_set(&p->script.loc, file, line);
    p->script.type = type;
    const char *interp = ks_arg_str(&a, "--interpreter");
    p->script.interpreter = xstrdup(interp ? interp : "/bin/sh");
    if (ks_arg(&a, "--log"))
        p->script.log = xstrdup(ks_arg_str(&a, "--log"));
    p->script.nochroot = ks_arg_bool(&a, "--nochroot");
    p->script.erroronfail = ks_arg_bool(&a, "--erroronfail");
    ks_args_free(&a);
    free(p->body);
    p->body = NULL;
    p->body_len = p->body_cap = 0;
    open_section(p, P_SCRIPT, tok->v[0], file, line);
}

static void do_include(struct parser *p, const strv_t *tok, struct src *cur, const char *file,
                       int line)
{
    if (tok->n < 2 || !*tok->v[1]) {
        ks_diag(&p->st, KS_ERROR, file, line, "Missing file name for %%include");
        return;
    }
    if (tok->n > 2)
        ks_diag(&p->st, KS_WARNING, file, line, "Extra arguments to %%include ignored");
    const char *target = tok->v[1];
    if (str_startswith(target, "file://")) {
        target += 7;
    } else if (strstr(target, "://")) {
        ks_diag(&p->st, KS_ERROR, file, line,
                "Unable to open input kickstart file: %s: only file:// URLs are supported",
                target);
        return;
    }
    if (p->depth > KS_MAX_INCLUDE_DEPTH) {
        ks_diag(&p->st, KS_ERROR, file, line, "%%include nested more than %d levels deep: %s",
                KS_MAX_INCLUDE_DEPTH, target);
        return;
    }
    char *path = target[0] == '/' ? xstrdup(target) : path_join(cur->dir, target);
    open_file(p, path, file, line);
    free(path);
}

/* A line starting with '%' outside of sections. */
static void directive(struct parser *p, const strv_t *tok, struct src *cur, const char *file,
                      int line)
{
    const char *name = tok->v[0];
    if (strcmp(name, "%include") == 0) {
        do_include(p, tok, cur, file, line);
    } else if (strcmp(name, "%ksappend") == 0) {
        ks_diag(&p->st, KS_WARNING, file, line, "%%ksappend is not supported yet; line ignored");
    } else if (strcmp(name, "%packages") == 0) {
        start_packages(p, tok, file, line);
    } else if (strcmp(name, "%end") == 0) {
        ks_diag(&p->st, KS_ERROR, file, line, "%%end without a section to end");
    } else {
        for (size_t i = 0; i < sizeof script_sections / sizeof script_sections[0]; i++)
            if (strcmp(name, script_sections[i].name) == 0) {
                start_script(p, script_sections[i].type, tok, file, line);
                return;
            }
        for (size_t i = 0; i < sizeof skipped_sections / sizeof skipped_sections[0]; i++)
            if (strcmp(name, skipped_sections[i]) == 0) {
                char *what = strcmp(name, "%addon") == 0 && tok->n > 1
                                 ? xasprintf("%s %s", name, tok->v[1])
                                 : xstrdup(name);
                if (!strv_contains(&p->st.ks->ignored, what))
                    strv_push(&p->st.ks->ignored, what);
                free(what);
                open_section(p, P_SKIP, name, file, line);
                return;
            }
        ks_diag(&p->st, KS_ERROR, file, line, "Unknown kickstart section: %s", name);
        open_section(p, P_SKIP, name, file, line);
        p->sec_unknown = true;
    }
}

static void unterminated(struct parser *p)
{
    if (!p->sec_unknown)
        ks_diag(&p->st, KS_ERROR, p->sec_file, p->sec_line, "Section %s does not end with %%end.",
                p->sec_name);
    close_section(p);
}

static void process_line(struct parser *p, char *ln, struct src *cur)
{
    const char *file = cur->name;
    int line = cur->line;
    char *t = ln;
    while (*t == ' ' || *t == '\t' || *t == '\r' || *t == '\v' || *t == '\f')
        t++;

    if (p->state != P_CMD) {
        if (*t == '%') {
            strv_t tok = { 0 };
            const char *err;
            if (ks_split(t, strlen(t), &tok, &err) == 0 && tok.n) {
                if (strcmp(tok.v[0], "%end") == 0) {
                    close_section(p);
                    strv_free(&tok);
                    return;
                }
                if (is_section(tok.v[0]) || strcmp(tok.v[0], "%include") == 0 ||
                    strcmp(tok.v[0], "%ksappend") == 0) {
                    unterminated(p); /* then read the line as a command line */
                    strv_free(&tok);
                    goto command;
                }
            }
            strv_free(&tok);
            if (p->state == P_PACKAGES) {
                ks_diag(&p->st, KS_ERROR, file, line, "Unknown kickstart section: %s", t);
                return;
            }
        }
        if (p->state == P_SCRIPT)
            body_add(p, ln, strlen(ln));
        else if (p->state == P_PACKAGES)
            packages_line(p, ln, file, line);
        return;
    }

command:
    if (!*t || *t == '#')
        return;
    strv_t tok = { 0 };
    const char *err;
    if (ks_split(t, strlen(t), &tok, &err) < 0) {
        ks_diag(&p->st, KS_ERROR, file, line, "%s", err);
    } else if (tok.n == 0) {
        /* only a comment */
    } else if (*t == '%') {
        directive(p, &tok, cur, file, line);
    } else {
        ks_run_command(&p->st, file, line, tok.v, tok.n);
    }
    strv_free(&tok);
}

static int run(struct parser *p, struct kickstart **out)
{
    const char *start;
    size_t len;
    struct src *cur;
    while (next_line(p, &start, &len, &cur)) {
        if (memchr(start, 0, len)) {
            ks_diag(&p->st, KS_ERROR, cur->name, cur->line, "Line contains a NUL byte");
            continue;
        }
        char *ln = xstrndup(start, len);
        process_line(p, ln, cur);
        free(ln);
    }
    if (p->state != P_CMD)
        unterminated(p);
    while (p->depth > 0)
        pop_src(p);
    ks_script_clear(&p->script);
    free(p->body);
    free(p->sec_name);
    free(p->sec_file);
    free(p->st.cmd_seen);
    if (p->st.errors) {
        ks_free(p->st.ks);
        *out = NULL;
        return -1;
    }
    *out = p->st.ks;
    return 0;
}

static void init_parser(struct parser *p, const struct ks_parse_opts *opts, const char *name)
{
    memset(p, 0, sizeof *p);
    p->st.opts = opts;
    p->st.ks = xmalloc(sizeof *p->st.ks);
    ks_init(p->st.ks);
    p->st.ks->filename = xstrdup(name);
    p->st.cmd_seen = xcalloc(ks_n_commands(), sizeof *p->st.cmd_seen);
}

int ks_parse_file(const char *path, const struct ks_parse_opts *opts, struct kickstart **out)
{
    struct parser p;
    *out = NULL;
    init_parser(&p, opts, path);
    if (open_file(&p, path, path, 0) < 0) {
        free(p.st.cmd_seen);
        ks_free(p.st.ks);
        return -1;
    }
    return run(&p, out);
}

int ks_parse_string(const char *text, const char *name, const struct ks_parse_opts *opts,
                    struct kickstart **out)
{
    struct parser p;
    *out = NULL;
    if (!name)
        name = "<string>";
    init_parser(&p, opts, name);
    push_src(&p, xstrdup(name), xstrdup("."), NULL, xstrdup(text ? text : ""),
             text ? strlen(text) : 0);
    return run(&p, out);
}
