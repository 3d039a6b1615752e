#define _GNU_SOURCE
/* ks_args.c - option parsing with the rules of Python's argparse (3.11) as
 * pykickstart's KSOptionParser uses it: exact or unambiguous-prefix long
 * options, "--opt=value" and "--opt value", interspersed positionals matched
 * greedily per run, "--" ends options, unknown options collected as extras,
 * argparse's error wording. */
#include "kickstart/ks_internal.h"
#include "core/base/strv.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void ks_value_free(struct ks_value *v)
{
    free(v->s);
    strv_free(&v->l);
    memset(v, 0, sizeof *v);
}

void ks_value_copy(struct ks_value *d, const struct ks_value *s)
{
    ks_value_free(d);
    d->kind = s->kind;
    d->i = s->i;
    d->f = s->f;
    d->s = s->s ? xstrdup(s->s) : NULL;
    for (size_t k = 0; k < s->l.n; k++)
        strv_push(&d->l, s->l.v[k]);
}

void ks_value_set_str(struct ks_value *v, const char *s)
{
    ks_value_free(v);
    v->kind = KS_V_STR;
    v->s = xstrdup(s);
}

void ks_value_decode(struct ks_value *v, const char *e)
{
    ks_value_free(v);
    if (!e)
        return;
    switch (e[0]) {
    case 'b': v->kind = KS_V_BOOL; v->i = e[1] == '1'; break;
    case 'i': v->kind = KS_V_INT; v->i = strtoll(e + 1, NULL, 10); break;
    case 'f': v->kind = KS_V_FLOAT; v->f = strtod(e + 1, NULL); break;
    case 's': v->kind = KS_V_STR; v->s = xstrdup(e + 1); break;
    case 'l': {
        v->kind = KS_V_LIST;
        const char *p = e + 1;
        while (*p) {
            size_t l = strcspn(p, ",");
            strv_push_take(&v->l, xstrndup(p, l));
            p += l;
            if (*p)
                p++;
        }
        break;
    }
    default: break;
    }
}

bool ks_value_truthy(const struct ks_value *v)
{
    switch (v->kind) {
    case KS_V_NONE: return false;
    case KS_V_BOOL:
    case KS_V_INT: return v->i != 0;
    case KS_V_FLOAT: return v->f != 0;
    case KS_V_STR: return v->s && *v->s;
    case KS_V_LIST: return v->l.n > 0;
    }
    return false;
}

void ks_ns_free(struct ks_ns *ns)
{
    for (size_t i = 0; i < ns->n; i++)
        ks_value_free(&ns->vals[i]);
    free(ns->vals);
    free(ns->dests);
    strv_free(&ns->extra);
    strv_free(&ns->deprecated);
    free(ns->err);
    memset(ns, 0, sizeof *ns);
}

static int dest_index(const struct ks_ns *ns, const char *dest)
{
    for (size_t i = 0; i < ns->n; i++)
        if (strcmp(ns->dests[i], dest) == 0)
            return (int)i;
    return -1;
}

struct ks_value *ks_ns_get(struct ks_ns *ns, const char *dest)
{
    int i = dest_index(ns, dest);
    return i < 0 ? NULL : &ns->vals[i];
}

struct ks_value *ks_ns_add(struct ks_ns *ns, const char *dest)
{
    struct ks_value *v = ks_ns_get(ns, dest);
    if (v)
        return v;
    ns->dests = xrealloc(ns->dests, sizeof *ns->dests * (ns->n + 1));
    ns->vals = xrealloc(ns->vals, sizeof *ns->vals * (ns->n + 1));
    ns->dests[ns->n] = dest;
    memset(&ns->vals[ns->n], 0, sizeof ns->vals[ns->n]);
    return &ns->vals[ns->n++];
}

static void set_err(struct ks_ns *ns, char *msg)
{
    if (!ns->err)
        ns->err = msg;
    else
        free(msg);
}

/* ---- conversions (Python int(), float(), ksboolean, commaSplit) ---- */

static bool py_int(const char *s, long long *out)
{
    while (isspace((unsigned char)*s))
        s++;
    const char *p = s;
    if (*p == '+' || *p == '-')
        p++;
    if (!isdigit((unsigned char)*p))
        return false;
    char buf[64];
    size_t n = 0;
    if (*s == '-')
        buf[n++] = '-';
    for (; *p; p++) {
        if (*p == '_' && isdigit((unsigned char)p[1]) && isdigit((unsigned char)p[-1]))
            continue;
        if (!isdigit((unsigned char)*p))
            break;
        if (n < sizeof buf - 1)
            buf[n++] = *p;
        else
            return false;
    }
    while (isspace((unsigned char)*p))
        p++;
    if (*p)
        return false;
    buf[n] = 0;
    errno = 0;
    *out = strtoll(buf, NULL, 10);
    return errno == 0;
}

static bool py_float(const char *s, double *out)
{
    char *end;
    errno = 0;
    while (isspace((unsigned char)*s))
        s++;
    if (!*s)
        return false;
    double d = strtod(s, &end);
    while (isspace((unsigned char)*end))
        end++;
    if (*end || end == s)
        return false;
    *out = d;
    return true;
}

static int ksbool(const char *s)
{
    if (!strcasecmp(s, "on") || !strcasecmp(s, "yes") || !strcasecmp(s, "true") || !strcmp(s, "1"))
        return 1;
    if (!strcasecmp(s, "off") || !strcasecmp(s, "no") || !strcasecmp(s, "false") || !strcmp(s, "0"))
        return 0;
    return -1;
}

static void comma_split(const char *s, strv_t *out)
{
    const char *p = s;
    for (;;) {
        size_t l = strcspn(p, ",");
        const char *a = p, *e = p + l;
        while (a < e && isspace((unsigned char)*a))
            a++;
        while (e > a && isspace((unsigned char)e[-1]))
            e--;
        if (e > a)
            strv_push_take(out, xstrndup(a, (size_t)(e - a)));
        if (!p[l])
            break;
        p += l + 1;
    }
}

/* os.path.normpath for mount points starting with '/' */
static char *normpath(const char *v)
{
    if (v[0] != '/')
        return xstrdup(v);
    strv_t parts = { 0 };
    const char *p = v;
    while (*p) {
        while (*p == '/')
            p++;
        size_t l = strcspn(p, "/");
        if (!l)
            break;
        if (l == 1 && p[0] == '.') {
        } else if (l == 2 && p[0] == '.' && p[1] == '.') {
            if (parts.n) {
                free(parts.v[--parts.n]);
            }
        } else {
            strv_push_take(&parts, xstrndup(p, l));
        }
        p += l;
    }
    struct strbuf b = { 0 };
    /* POSIX: exactly two leading slashes are kept */
    if (v[1] == '/' && v[2] != '/')
        strbuf_add(&b, "/");
    for (size_t i = 0; i < parts.n; i++) {
        strbuf_add(&b, "/");
        strbuf_add(&b, parts.v[i]);
    }
    if (!b.n)
        strbuf_add(&b, "/");
    strv_free(&parts);
    return b.p;
}

/* Convert one argument; 0 or -1 with an argparse-style error. */
static int convert(struct ks_ns *ns, const struct ks_optdef *o, const char *optname,
                   const char *arg, struct ks_value *out)
{
    ks_value_free(out);
    switch (o->type) {
    case T_INT: {
        long long n;
        if (!py_int(arg, &n)) {
            set_err(ns, xasprintf("argument %s: invalid int value: '%s'", optname, arg));
            return -1;
        }
        out->kind = KS_V_INT;
        out->i = n;
        return 0;
    }
    case T_FLOAT: {
        double d;
        if (!py_float(arg, &d)) {
            set_err(ns, xasprintf("argument %s: invalid float value: '%s'", optname, arg));
            return -1;
        }
        out->kind = KS_V_FLOAT;
        out->f = d;
        return 0;
    }
    case T_KSBOOL: {
        int b = ksbool(arg);
        if (b < 0) {
            set_err(ns, xasprintf("argument %s: invalid boolean value: '%s'", optname, arg));
            return -1;
        }
        out->kind = KS_V_BOOL;
        out->i = b;
        return 0;
    }
    case T_COMMA:
        out->kind = KS_V_LIST;
        comma_split(arg, &out->l);
        return 0;
    case T_MNT:
        out->kind = KS_V_STR;
        out->s = normpath(arg);
        return 0;
    case T_CB: {
        const char *cb = o->cb ? o->cb : "";
        if (!strcmp(cb, "_when_cb")) {
            if (strcmp(arg, "pre-install") && strcmp(arg, "post-install")) {
                set_err(ns, xasprintf("argument %s: invalid _when_cb value: '%s'", optname, arg));
                return -1;
            }
        } else if (!strcmp(cb, "_type_cb")) {
            static const char *const names[] = { "plain", "partition", "btrfs", "lvm", "thinp" };
            static const int vals[] = { 0, 0, 1, 2, 3 };
            for (int k = 0; k < 5; k++)
                if (!strcasecmp(arg, names[k])) {
                    out->kind = KS_V_INT;
                    out->i = vals[k];
                    return 0;
                }
            set_err(ns, xasprintf("Invalid autopart type: %s", arg));
            return -1;
        } else if (!strcmp(cb, "_device_cb")) {
            out->kind = KS_V_STR;
            /* F43 and later keep the "md" prefix */
            bool keep = ns->cls && (!strncmp(ns->cls->name, "F43_", 4) || !strncmp(ns->cls->name, "RHEL10_", 7));
            out->s = xstrdup(!keep && strncmp(arg, "md", 2) == 0 ? arg + 2 : arg);
            return 0;
        } else if (!strcmp(cb, "_level_cb")) {
            static const char *const lv[][2] = { { "RAID0", "RAID0" }, { "0", "RAID0" },
                { "RAID1", "RAID1" }, { "1", "RAID1" }, { "RAID4", "RAID4" }, { "4", "RAID4" },
                { "RAID5", "RAID5" }, { "5", "RAID5" }, { "RAID6", "RAID6" }, { "6", "RAID6" },
                { "RAID10", "RAID10" }, { "10", "RAID10" } };
            for (size_t k = 0; k < sizeof lv / sizeof lv[0]; k++)
                if (!strcasecmp(arg, lv[k][0])) {
                    out->kind = KS_V_STR;
                    out->s = xstrdup(lv[k][1]);
                    return 0;
                }
            set_err(ns, xasprintf("Invalid raid level: %s", arg));
            return -1;
        } else if (!strcmp(cb, "level_cb")) {
            static const char *const lv[][2] = { { "raid0", "raid0" }, { "0", "raid0" },
                { "raid1", "raid1" }, { "1", "raid1" }, { "raid10", "raid10" }, { "10", "raid10" },
                { "single", "single" } };
            for (size_t k = 0; k < sizeof lv / sizeof lv[0]; k++)
                if (!strcasecmp(arg, lv[k][0])) {
                    out->kind = KS_V_STR;
                    out->s = xstrdup(lv[k][1]);
                    return 0;
                }
            set_err(ns, xasprintf("Invalid btrfs level: %s", arg));
            return -1;
        } else if (!strcmp(cb, "part_cb")) {
            out->kind = KS_V_STR;
            out->s = xstrdup(strncmp(arg, "/dev/", 5) == 0 ? arg + 5 : arg);
            return 0;
        } else if (!strcmp(cb, "firewall_port_cb")) {
            out->kind = KS_V_LIST;
            const char *p = arg;
            for (;;) {
                size_t l = strcspn(p, ",");
                const char *a = p, *e = p + l;
                while (a < e && isspace((unsigned char)*a))
                    a++;
                while (e > a && isspace((unsigned char)e[-1]))
                    e--;
                char *t = xstrndup(a, (size_t)(e - a));
                if (!strchr(t, ':')) {
                    char *u = xasprintf("%s:tcp", t);
                    free(t);
                    t = u;
                }
                strv_push_take(&out->l, t);
                if (!p[l])
                    break;
                p += l + 1;
            }
            return 0;
        }
        out->kind = KS_V_STR;
        out->s = xstrdup(arg);
        return 0;
    }
    default:
        out->kind = KS_V_STR;
        out->s = xstrdup(arg);
        return 0;
    }
}

/* ---- option lookup ---- */

static bool is_negative_number(const char *s)
{
    if (s[0] != '-')
        return false;
    const char *p = s + 1;
    if (!*p)
        return false;
    bool dig = false, dot = false;
    for (; *p; p++) {
        if (isdigit((unsigned char)*p))
            dig = true;
        else if (*p == '.' && !dot)
            dot = true;
        else
            return false;
    }
    return dig;
}

/* argparse _parse_optional: -1 not an option (positional), -2 unknown option,
 * -3 ambiguous (error set), else option index; *explicit set for "=". */
static int parse_optional(struct ks_ns *ns, const struct ks_cmdclass *c, const char *arg,
                          const char **explicit, const char **optname)
{
    *explicit = NULL;
    *optname = arg;
    if (arg[0] != '-' || arg[1] == 0)
        return -1;
    for (int i = 0; i < c->n_opts; i++)
        for (int k = 0; c->opts[i].names[k]; k++)
            if (strcmp(c->opts[i].names[k], arg) == 0) {
                *optname = c->opts[i].names[k];
                return i;
            }
    const char *eq = strchr(arg, '=');
    size_t nlen = eq ? (size_t)(eq - arg) : strlen(arg);
    if (eq) {
        for (int i = 0; i < c->n_opts; i++)
            for (int k = 0; c->opts[i].names[k]; k++)
                if (strlen(c->opts[i].names[k]) == nlen &&
                    strncmp(c->opts[i].names[k], arg, nlen) == 0) {
                    *explicit = eq + 1;
                    *optname = c->opts[i].names[k];
                    return i;
                }
    }
    /* prefixes (only for "--" options, as argparse does for long options) */
    if (arg[1] == '-') {
        int found = -1, count = 0;
        const char *fname = NULL;
        struct strbuf matches = { 0 };
        for (int i = 0; i < c->n_opts; i++)
            for (int k = 0; c->opts[i].names[k]; k++) {
                const char *n = c->opts[i].names[k];
                if (strncmp(n, arg, nlen) == 0) {
                    if (count)
                        strbuf_add(&matches, ", ");
                    strbuf_add(&matches, n);
                    count++;
                    found = i;
                    fname = n;
                }
            }
        if (count > 1) {
            set_err(ns, xasprintf("ambiguous option: %.*s could match %s", (int)nlen, arg,
                                  matches.p));
            free(matches.p);
            return -3;
        }
        free(matches.p);
        if (count == 1) {
            *explicit = eq ? eq + 1 : NULL;
            *optname = fname;
            return found;
        }
    } else if (arg[1] != '-') {
        /* single dash: "-x" exact, or "-xVALUE" */
        for (int i = 0; i < c->n_opts; i++)
            for (int k = 0; c->opts[i].names[k]; k++) {
                const char *n = c->opts[i].names[k];
                if (n[1] != '-' && strlen(n) == 2 && strncmp(n, arg, 2) == 0) {
                    *explicit = arg + 2;
                    *optname = n;
                    return i;
                }
            }
    }
    if (is_negative_number(arg))
        return -1;
    if (strchr(arg, ' '))
        return -1;
    return -2;
}

static void apply_const(struct ks_value *v, const struct ks_optdef *o)
{
    struct ks_value t = { 0 };
    ks_value_decode(&t, o->cnst);
    if (o->act == A_APPCONST || o->act == A_EXTCONST) {
        if (v->kind != KS_V_LIST) {
            ks_value_free(v);
            v->kind = KS_V_LIST;
        }
        if (t.kind == KS_V_LIST)
            for (size_t i = 0; i < t.l.n; i++)
                strv_push(&v->l, t.l.v[i]);
        else if (t.kind == KS_V_STR)
            strv_push(&v->l, t.s);
        ks_value_free(&t);
        return;
    }
    ks_value_free(v);
    *v = t;
}

int ks_ns_parse(struct ks_ns *ns, const struct ks_cmdclass *c, char *const *argv, size_t argc,
                bool known)
{
    memset(ns, 0, sizeof *ns);
    ns->cls = c;
    ns->dests = xcalloc((size_t)c->n_opts + 1, sizeof *ns->dests);
    ns->vals = xcalloc((size_t)c->n_opts + 1, sizeof *ns->vals);
    bool *set_default = xcalloc((size_t)c->n_opts + 1, sizeof *set_default);
    for (int i = 0; i < c->n_opts; i++) {
        int k = dest_index(ns, c->opts[i].dest);
        if (k < 0) {
            k = (int)ns->n++;
            ns->dests[k] = c->opts[i].dest;
            ks_value_decode(&ns->vals[k], c->opts[i].dflt);
        }
    }
    free(set_default);

    /* classify arguments: 'O' option, 'A' argument, '-' the "--" marker */
    char *pat = xmalloc(argc + 1);
    int *oidx = xcalloc(argc + 1, sizeof *oidx);
    const char **oexp = xcalloc(argc + 1, sizeof *oexp);
    const char **oname = xcalloc(argc + 1, sizeof *oname);
    bool dashdash = false;
    for (size_t i = 0; i < argc; i++) {
        if (dashdash) {
            pat[i] = 'A';
            continue;
        }
        if (strcmp(argv[i], "--") == 0) {
            pat[i] = '-';
            dashdash = true;
            continue;
        }
        int r = parse_optional(ns, c, argv[i], &oexp[i], &oname[i]);
        if (r == -3) {
            free(pat); free(oidx); free(oexp); free(oname);
            return -1;
        }
        oidx[i] = r;
        pat[i] = r == -1 ? 'A' : 'O';
    }
    pat[argc] = 0;

    /* positionals in order */
    int pos[8], npos = 0, posdone = 0;
    for (int i = 0; i < c->n_opts && npos < 8; i++)
        if (!c->opts[i].names[0])
            pos[npos++] = i;
    bool *pos_seen = xcalloc(9, sizeof *pos_seen);

    size_t i = 0;
    int rc = 0;
    while (i < argc && rc == 0) {
        if (pat[i] == '-') {
            i++;
            continue;
        }
        if (pat[i] == 'A') {
            /* a run of arguments: positionals match greedily (argparse's
             * consume_positionals over the rest of the pattern) */
            size_t run = 0;
            while (i + run < argc && (pat[i + run] == 'A' || pat[i + run] == '-'))
                run++;
            size_t nA = 0;
            for (size_t k = 0; k < run; k++)
                nA += pat[i + k] == 'A';
            /* compute counts: fixed ones first, then the greedy ones */
            size_t avail = nA;
            int counts[8] = { 0 };
            int p0 = posdone;
            size_t need_fixed = 0;
            for (int p = p0; p < npos; p++) {
                int nn = c->opts[pos[p]].nargs;
                if (nn == N_LIST1 || nn == N_ONE || nn == N_PLUS)
                    need_fixed++;
            }
            int last = p0;
            for (int p = p0; p < npos; p++) {
                int nn = c->opts[pos[p]].nargs;
                size_t fixed_after = 0;
                for (int q = p + 1; q < npos; q++) {
                    int mm = c->opts[pos[q]].nargs;
                    if (mm == N_LIST1 || mm == N_ONE || mm == N_PLUS)
                        fixed_after++;
                }
                if (nn == N_LIST1 || nn == N_ONE) {
                    if (avail < 1)
                        break;
                    counts[p] = 1;
                    avail--;
                } else if (nn == N_PLUS) {
                    if (avail < 1)
                        break;
                    size_t take = avail > fixed_after ? avail - fixed_after : 1;
                    counts[p] = (int)take;
                    avail -= take;
                } else if (nn == N_OPT) {
                    size_t take = avail > fixed_after ? 1 : 0;
                    counts[p] = (int)take;
                    avail -= take;
                } else { /* N_STAR */
                    size_t take = avail > fixed_after ? avail - fixed_after : 0;
                    counts[p] = (int)take;
                    avail -= take;
                }
                last = p + 1;
            }
            (void)need_fixed;
            size_t k = i;
            for (int p = p0; p < last; p++) {
                const struct ks_optdef *o = &c->opts[pos[p]];
                struct ks_value *v = &ns->vals[dest_index(ns, o->dest)];
                strv_t got = { 0 };
                for (int m = 0; m < counts[p]; m++) {
                    while (pat[k] == '-')
                        k++;
                    strv_push(&got, argv[k]);
                    k++;
                }
                pos_seen[p] = true;
                if (o->nargs == N_ONE) {
                    convert(ns, o, o->dest, got.v[0], v) < 0 ? rc = -1 : 0;
                } else if (o->nargs == N_OPT && got.n == 0) {
                    /* default stays */
                } else if (o->nargs == N_OPT) {
                    convert(ns, o, o->dest, got.v[0], v) < 0 ? rc = -1 : 0;
                } else {
                    ks_value_free(v);
                    v->kind = KS_V_LIST;
                    for (size_t m = 0; m < got.n; m++) {
                        struct ks_value t = { 0 };
                        if (convert(ns, o, o->dest, got.v[m], &t) < 0)
                            rc = -1;
                        else if (t.kind == KS_V_STR)
                            strv_push(&v->l, t.s);
                        else if (t.kind == KS_V_LIST)
                            for (size_t q = 0; q < t.l.n; q++)
                                strv_push(&v->l, t.l.v[q]);
                        ks_value_free(&t);
                    }
                }
                strv_free(&got);
            }
            posdone = last;
            /* what positionals did not take is extra */
            size_t used = 0;
            for (int p = p0; p < last; p++)
                used += (size_t)counts[p];
            size_t seenA = 0;
            for (size_t q = 0; q < run; q++) {
                if (pat[i + q] != 'A')
                    continue;
                if (seenA++ >= used)
                    strv_push(&ns->extra, argv[i + q]);
            }
            i += run;
            continue;
        }
        /* an option */
        int oi = oidx[i];
        if (oi == -2) {
            strv_push(&ns->extra, argv[i]);
            i++;
            continue;
        }
        const struct ks_optdef *o = &c->opts[oi];
        const char *oname0 = o->names[0];
        struct ks_value *v = &ns->vals[dest_index(ns, o->dest)];
        if (o->flags & OF_DEPRECATED)
            strv_push(&ns->deprecated, oname0);
        const char *ex = oexp[i];
        const char *on = oname[i];
        i++;
        if (o->nargs == N_ZERO) {
            if (ex) {
                if (on[1] != '-' && *ex) {
                    set_err(ns, xasprintf("argument %s: ignored explicit argument '%s'",
                                          on, ex));
                } else {
                    set_err(ns, xasprintf("argument %s: ignored explicit argument '%s'",
                                          on, ex));
                }
                rc = -1;
                break;
            }
            switch (o->act) {
            case A_TRUE: ks_value_free(v); v->kind = KS_V_BOOL; v->i = 1; break;
            case A_FALSE: ks_value_free(v); v->kind = KS_V_BOOL; v->i = 0; break;
            default: apply_const(v, o); break;
            }
            continue;
        }
        const char *val = NULL;
        if (ex && (*ex || on[1] == '-' || 1)) {
            val = ex;
        } else if (o->nargs == N_OPT) {
            if (i < argc && pat[i] == 'A')
                val = argv[i++];
        } else if (o->nargs == N_STAR || o->nargs == N_PLUS) {
            strv_t got = { 0 };
            while (i < argc && pat[i] == 'A')
                strv_push(&got, argv[i++]);
            if (o->nargs == N_PLUS && !got.n) {
                set_err(ns, xasprintf("argument %s: expected at least one argument", on));
                rc = -1;
                strv_free(&got);
                break;
            }
            ks_value_free(v);
            v->kind = KS_V_LIST;
            v->l = got;
            continue;
        } else {
            if (i < argc && pat[i] == 'A') {
                val = argv[i++];
            } else {
                set_err(ns, xasprintf("argument %s: expected one argument", on));
                rc = -1;
                break;
            }
        }
        if (!val) { /* nargs '?' without value: const */
            apply_const(v, o);
            continue;
        }
        struct ks_value t = { 0 };
        if (convert(ns, o, on, val, &t) < 0) {
            rc = -1;
            break;
        }
        if (o->act == A_APPEND && o->type == T_CB && t.kind == KS_V_LIST) {
            if (v->kind != KS_V_LIST) {
                ks_value_free(v);
                v->kind = KS_V_LIST;
            }
            for (size_t q = 0; q < t.l.n; q++)
                strv_push(&v->l, t.l.v[q]);
            ks_value_free(&t);
        } else if (o->act == A_APPEND) {
            if (v->kind != KS_V_LIST) {
                ks_value_free(v);
                v->kind = KS_V_LIST;
            }
            if (t.kind == KS_V_LIST) {
                /* a list appended as one element: keep it joined */
                struct strbuf j = { 0 };
                for (size_t q = 0; q < t.l.n; q++) {
                    if (q)
                        strbuf_add(&j, ",");
                    strbuf_add(&j, t.l.v[q]);
                }
                strv_push_take(&v->l, j.p ? j.p : xstrdup(""));
            } else if (t.kind == KS_V_STR) {
                strv_push(&v->l, t.s);
            } else {
                strv_push_take(&v->l, xasprintf("%lld", t.i));
            }
            ks_value_free(&t);
        } else if (o->act == A_EXTEND) {
            if (v->kind != KS_V_LIST) {
                ks_value_free(v);
                v->kind = KS_V_LIST;
            }
            for (size_t q = 0; q < t.l.n; q++)
                strv_push(&v->l, t.l.v[q]);
            if (t.kind == KS_V_STR)
                strv_push(&v->l, t.s);
            ks_value_free(&t);
        } else {
            ks_value_free(v);
            *v = t;
        }
    }
    /* a '*' positional that got nothing is [] (argparse), unless it has a default */
    for (int p = 0; p < npos; p++) {
        const struct ks_optdef *o = &c->opts[pos[p]];
        struct ks_value *v = &ns->vals[dest_index(ns, o->dest)];
        if (!pos_seen[p] && o->nargs == N_STAR && v->kind == KS_V_NONE)
            v->kind = KS_V_LIST;
    }
    if (rc == 0) {
        /* required options and positionals */
        struct strbuf miss = { 0 };
        for (int p = 0; p < npos; p++) {
            const struct ks_optdef *o = &c->opts[pos[p]];
            if (!pos_seen[p] && (o->nargs == N_ONE || o->nargs == N_LIST1 || o->nargs == N_PLUS)) {
                if (miss.n)
                    strbuf_add(&miss, ", ");
                strbuf_printf(&miss, "<%s>", o->dest);
            }
        }
        for (int q = 0; q < c->n_opts; q++) {
            const struct ks_optdef *o = &c->opts[q];
            if (!(o->flags & OF_REQUIRED) || !o->names[0])
                continue;
            bool given = false;
            for (size_t a = 0; a < argc && !given; a++)
                if (pat[a] == 'O' && oidx[a] == q)
                    given = true;
            if (!given) {
                if (miss.n)
                    strbuf_add(&miss, ", ");
                strbuf_add(&miss, o->names[0]);
                for (int k = 1; o->names[k]; k++) {
                    strbuf_add(&miss, "/");
                    strbuf_add(&miss, o->names[k]);
                }
            }
        }
        if (miss.n) {
            set_err(ns, xasprintf("the following arguments are required: %s", miss.p));
            rc = -1;
        }
        free(miss.p);
    }
    if (rc == 0 && !known && ns->extra.n) {
        struct strbuf e = { 0 };
        for (size_t q = 0; q < ns->extra.n; q++) {
            if (q)
                strbuf_add(&e, " ");
            strbuf_add(&e, ns->extra.v[q]);
        }
        set_err(ns, xasprintf("unrecognized arguments: %s", e.p));
        free(e.p);
        rc = -1;
    }
    free(pos_seen);
    free(pat);
    free(oidx);
    free(oexp);
    free(oname);
    return rc;
}
