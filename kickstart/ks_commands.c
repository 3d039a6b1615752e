/* ks_commands.c - the kickstart command table, option parsing and handlers.
 *
 * Every command of the current Fedora syntax (pykickstart's F46/DEVEL handler,
 * plus RHEL-only rhsm/syspurpose) has one entry.  Commands that the model
 * holds have an option table and a handler; the others are accepted as they
 * are and their name is recorded once in ks->ignored.
 */
#include "ks_internal.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum {
    KS_CMD_MULTIPLE   = 1 << 0,   /* may repeat, every instance kept */
    KS_CMD_REMOVED    = 1 << 1,   /* removed from the syntax: warning, ignored */
    KS_CMD_DEPRECATED = 1 << 2,   /* deprecated: warning, ignored */
};

struct ks_cmdctx {
    struct ks_state *st;
    const char *file;
    int line;
    const char *name;             /* as written */
};

typedef int (*ks_handler_fn)(struct ks_cmdctx *c, const struct ks_args *a);

struct ks_command {
    const char *name;
    const char *aliases[4];
    unsigned flags;
    const struct ks_opt *opts;    /* NULL: arguments are not checked */
    int max_pos;                  /* positional arguments allowed */
    ks_handler_fn handler;        /* NULL: accepted and ignored */
};

/* ------------------------------------------------------------------------ */
/* option parsing                                                           */

static size_t count_opts(const struct ks_opt *o)
{
    size_t n = 0;
    while (o && o[n].name)
        n++;
    return n;
}

/* exact match on name or alias, else a unique prefix; -2 if ambiguous */
static int match_opt(const struct ks_opt *opts, size_t n, const char *name, size_t len)
{
    for (size_t i = 0; i < n; i++) {
        if (strlen(opts[i].name) == len && strncmp(opts[i].name, name, len) == 0)
            return (int)i;
        for (int k = 0; k < 4 && opts[i].aliases[k]; k++)
            if (strlen(opts[i].aliases[k]) == len && strncmp(opts[i].aliases[k], name, len) == 0)
                return (int)i;
    }
    int found = -1;
    for (size_t i = 0; i < n; i++) {
        bool m = strncmp(opts[i].name, name, len) == 0;
        for (int k = 0; k < 4 && opts[i].aliases[k] && !m; k++)
            m = strncmp(opts[i].aliases[k], name, len) == 0;
        if (m) {
            if (found >= 0 && found != (int)i)
                return -2;
            found = (int)i;
        }
    }
    return found;
}

static bool parse_long(const char *s, long *out)
{
    char *end;
    while (*s == ' ' || *s == '\t')
        s++;
    if (!*s)
        return false;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s)
        return false;
    while (*end == ' ' || *end == '\t')
        end++;
    if (*end)
        return false;
    *out = v;
    return true;
}

static int parse_ksbool(const char *s)
{
    static const char *yes[] = { "1", "on", "yes", "true", NULL }, *no[] = { "0", "off", "no", "false", NULL };
    for (int i = 0; yes[i]; i++) {
        if (strcasecmp(s, yes[i]) == 0)
            return 1;
        if (strcasecmp(s, no[i]) == 0)
            return 0;
    }
    return -1;
}

int ks_getopt(struct ks_state *st, const char *file, int line, const char *what,
              const struct ks_opt *opts, char *const *argv, size_t argc, struct ks_args *a)
{
    int bad = 0;
    memset(a, 0, sizeof *a);
    a->opts = opts;
    a->n_opts = count_opts(opts);
    a->vals = xcalloc(a->n_opts ? a->n_opts : 1, sizeof *a->vals);
    bool only_pos = false;
    for (size_t i = 0; i < argc; i++) {
        const char *arg = argv[i];
        if (only_pos || arg[0] != '-' || arg[1] == 0) {
            strv_push(&a->pos, arg);
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            only_pos = true;
            continue;
        }
        if (arg[1] != '-') {
            ks_diag(st, KS_ERROR, file, line, "no such option: %.2s (%s)", arg, what);
            bad = -1;
            continue;
        }
        const char *eq = strchr(arg, '=');
        size_t nlen = eq ? (size_t)(eq - arg) : strlen(arg);
        int k = match_opt(opts, a->n_opts, arg, nlen);
        if (k == -2) {
            ks_diag(st, KS_ERROR, file, line, "ambiguous option: %.*s (%s)", (int)nlen, arg, what);
            bad = -1;
            continue;
        }
        if (k < 0) {
            ks_diag(st, KS_ERROR, file, line, "no such option: %.*s (%s)", (int)nlen, arg, what);
            bad = -1;
            continue;
        }
        const struct ks_opt *o = &opts[k];
        struct ks_optval *v = &a->vals[k];
        if (o->flags & KS_OPTF_REMOVED) {
            ks_diag(st, KS_ERROR, file, line, "The %s option has been removed (%s).", o->name, what);
            bad = -1;
        } else if (o->flags & KS_OPTF_DEPRECATED) {
            ks_diag(st, KS_WARNING, file, line,
                    "The %s option has been deprecated and no longer has any effect (%s).",
                    o->name, what);
        }
        if (o->type == KS_OPT_BOOL) {
            if (eq) {
                ks_diag(st, KS_ERROR, file, line, "%s option does not take a value", o->name);
                bad = -1;
                continue;
            }
            v->set = true;
            v->num = 1;
            continue;
        }
        const char *val;
        if (eq) {
            val = eq + 1;
        } else if (i + 1 < argc) {
            val = argv[++i];
        } else {
            ks_diag(st, KS_ERROR, file, line, "%s option requires an argument", o->name);
            bad = -1;
            continue;
        }
        switch (o->type) {
        case KS_OPT_INT: {
            long n;
            if (!parse_long(val, &n)) {
                ks_diag(st, KS_ERROR, file, line, "option %s: invalid integer value: '%s'", o->name, val);
                bad = -1;
                continue;
            }
            v->num = n;
            break;
        }
        case KS_OPT_KSBOOL: {
            int b = parse_ksbool(val);
            if (b < 0) {
                ks_diag(st, KS_ERROR, file, line, "option %s: invalid boolean value: '%s'", o->name, val);
                bad = -1;
                continue;
            }
            v->num = b;
            break;
        }
        case KS_OPT_LIST: {
            const char *p = val;
            while (*p) {
                size_t l = strcspn(p, ",");
                if (l)
                    strv_push_take(&v->list, xstrndup(p, l));
                p += l;
                if (*p == ',')
                    p++;
            }
            break;
        }
        default:
            break;
        }
        free(v->str);
        v->str = xstrdup(val);
        v->set = true;
    }
    for (size_t k = 0; k < a->n_opts; k++)
        if ((opts[k].flags & KS_OPTF_REQUIRED) && !a->vals[k].set) {
            ks_diag(st, KS_ERROR, file, line, "Option %s is required for %s", opts[k].name, what);
            bad = -1;
        }
    return bad;
}

void ks_args_free(struct ks_args *a)
{
    for (size_t k = 0; k < a->n_opts; k++) {
        free(a->vals[k].str);
        strv_free(&a->vals[k].list);
    }
    free(a->vals);
    strv_free(&a->pos);
    memset(a, 0, sizeof *a);
}

const struct ks_optval *ks_arg(const struct ks_args *a, const char *name)
{
    for (size_t k = 0; k < a->n_opts; k++)
        if (strcmp(a->opts[k].name, name) == 0)
            return a->vals[k].set ? &a->vals[k] : NULL;
    return NULL;
}

const char *ks_arg_str(const struct ks_args *a, const char *name)
{
    const struct ks_optval *v = ks_arg(a, name);
    return v ? v->str : NULL;
}

bool ks_arg_bool(const struct ks_args *a, const char *name)
{
    const struct ks_optval *v = ks_arg(a, name);
    return v && v->num;
}

static char *dup_arg(const struct ks_args *a, const char *name)
{
    const char *s = ks_arg_str(a, name);
    return s ? xstrdup(s) : NULL;
}

static void copy_list(strv_t *dst, const struct ks_args *a, const char *name)
{
    const struct ks_optval *v = ks_arg(a, name);
    for (size_t i = 0; v && i < v->list.n; i++)
        strv_push(dst, v->list.v[i]);
}

static long int_arg(const struct ks_args *a, const char *name)
{
    const struct ks_optval *v = ks_arg(a, name);
    return v ? v->num : -1;
}

static int clamp_int(long v) { return v > INT_MAX ? INT_MAX : v < INT_MIN ? INT_MIN : (int)v; }

#define CERR(c, ...) (ks_diag((c)->st, KS_ERROR, (c)->file, (c)->line, __VA_ARGS__), -1)
#define CWARN(c, ...) ks_diag((c)->st, KS_WARNING, (c)->file, (c)->line, __VA_ARGS__)

/* ------------------------------------------------------------------------ */
/* handlers                                                                 */

static const struct ks_opt repo_opts[] = {
    { "--name", { 0 }, KS_OPT_STR, KS_OPTF_REQUIRED },
    { "--baseurl", { 0 }, KS_OPT_STR, 0 },
    { "--mirrorlist", { 0 }, KS_OPT_STR, 0 },
    { "--metalink", { 0 }, KS_OPT_STR, 0 },
    { "--cost", { 0 }, KS_OPT_INT, 0 },
    { "--excludepkgs", { 0 }, KS_OPT_LIST, 0 },
    { "--includepkgs", { 0 }, KS_OPT_LIST, 0 },
    { "--proxy", { 0 }, KS_OPT_STR, 0 },
    { "--noverifyssl", { 0 }, KS_OPT_BOOL, 0 },
    { "--sslcacert", { 0 }, KS_OPT_STR, 0 },
    { "--sslclientcert", { 0 }, KS_OPT_STR, 0 },
    { "--sslclientkey", { 0 }, KS_OPT_STR, 0 },
    { "--ignoregroups", { 0 }, KS_OPT_KSBOOL, 0 },
    { "--install", { 0 }, KS_OPT_BOOL, 0 },
    { NULL, { 0 }, 0, 0 },
};

static int h_repo(struct ks_cmdctx *c, const struct ks_args *a)
{
    const char *name = ks_arg_str(a, "--name");
    int n_src = !!ks_arg(a, "--baseurl") + !!ks_arg(a, "--mirrorlist") + !!ks_arg(a, "--metalink");
    if (n_src == 0)
        return CERR(c, "One of --baseurl, --mirrorlist or --metalink must be specified for repo command.");
    if (n_src > 1)
        return CERR(c, "Only one of --baseurl, --mirrorlist and --metalink may be specified for repo command.");
    struct kickstart *ks = c->st->ks;
    for (size_t i = 0; i < ks->n_repos; i++)
        if (strcmp(ks->repos[i].name, name) == 0)
            CWARN(c, "A repo with the name %s has already been defined.", name);
    ks->repos = xrealloc(ks->repos, sizeof *ks->repos * (ks->n_repos + 1));
    struct ks_repo *r = &ks->repos[ks->n_repos++];
    memset(r, 0, sizeof *r);
    ks_loc_set(&r->loc, c->file, c->line);
    r->name = xstrdup(name);
    r->baseurl = dup_arg(a, "--baseurl");
    r->mirrorlist = dup_arg(a, "--mirrorlist");
    r->metalink = dup_arg(a, "--metalink");
    r->proxy = dup_arg(a, "--proxy");
    r->sslcacert = dup_arg(a, "--sslcacert");
    r->sslclientcert = dup_arg(a, "--sslclientcert");
    r->sslclientkey = dup_arg(a, "--sslclientkey");
    r->cost = clamp_int(int_arg(a, "--cost"));
    copy_list(&r->excludepkgs, a, "--excludepkgs");
    copy_list(&r->includepkgs, a, "--includepkgs");
    r->noverifyssl = ks_arg_bool(a, "--noverifyssl");
    r->install = ks_arg_bool(a, "--install");
    r->ignoregroups = ks_arg_bool(a, "--ignoregroups");
    return 0;
}

static const struct ks_opt url_opts[] = {
    { "--url", { 0 }, KS_OPT_STR, 0 },
    { "--mirrorlist", { 0 }, KS_OPT_STR, 0 },
    { "--metalink", { 0 }, KS_OPT_STR, 0 },
    { "--proxy", { 0 }, KS_OPT_STR, 0 },
    { "--noverifyssl", { 0 }, KS_OPT_BOOL, 0 },
    { "--sslcacert", { 0 }, KS_OPT_STR, 0 },
    { "--sslclientcert", { 0 }, KS_OPT_STR, 0 },
    { "--sslclientkey", { 0 }, KS_OPT_STR, 0 },
    { NULL, { 0 }, 0, 0 },
};

static int h_url(struct ks_cmdctx *c, const struct ks_args *a)
{
    int n_src = !!ks_arg(a, "--url") + !!ks_arg(a, "--mirrorlist") + !!ks_arg(a, "--metalink");
    if (n_src == 0)
        return CERR(c, "One of --url, --mirrorlist or --metalink must be specified for url command.");
    if (n_src > 1)
        return CERR(c, "Only one of --url, --mirrorlist and --metalink may be specified for url command.");
    struct ks_url *u = &c->st->ks->url;
    ks_url_clear(u);
    u->seen = true;
    ks_loc_set(&u->loc, c->file, c->line);
    u->url = dup_arg(a, "--url");
    u->mirrorlist = dup_arg(a, "--mirrorlist");
    u->metalink = dup_arg(a, "--metalink");
    u->proxy = dup_arg(a, "--proxy");
    u->sslcacert = dup_arg(a, "--sslcacert");
    u->sslclientcert = dup_arg(a, "--sslclientcert");
    u->sslclientkey = dup_arg(a, "--sslclientkey");
    u->noverifyssl = ks_arg_bool(a, "--noverifyssl");
    return 0;
}

static const struct ks_opt lang_opts[] = {
    { "--addsupport", { 0 }, KS_OPT_LIST, 0 },
    { NULL, { 0 }, 0, 0 },
};

static int h_lang(struct ks_cmdctx *c, const struct ks_args *a)
{
    if (a->pos.n != 1)
        return CERR(c, "Kickstart command %s requires one argument", c->name);
    struct ks_lang *l = &c->st->ks->lang;
    ks_lang_clear(l);
    l->seen = true;
    ks_loc_set(&l->loc, c->file, c->line);
    l->lang = xstrdup(a->pos.v[0]);
    copy_list(&l->addsupport, a, "--addsupport");
    return 0;
}

static const struct ks_opt timezone_opts[] = {
    { "--utc", { "--isUtc", NULL }, KS_OPT_BOOL, 0 },
    { "--nontp", { 0 }, KS_OPT_BOOL, 0 },
    { "--ntpservers", { 0 }, KS_OPT_LIST, 0 },
    { NULL, { 0 }, 0, 0 },
};

static int h_timezone(struct ks_cmdctx *c, const struct ks_args *a)
{
    if (a->pos.n > 1)
        return CERR(c, "One or zero arguments are expected for the %s command", c->name);
    if (ks_arg(a, "--nontp") && ks_arg(a, "--ntpservers"))
        return CERR(c, "Options --nontp and --ntpservers are mutually exclusive");
    struct ks_timezone *t = &c->st->ks->timezone;
    ks_timezone_clear(t);
    t->seen = true;
    ks_loc_set(&t->loc, c->file, c->line);
    t->timezone = a->pos.n ? xstrdup(a->pos.v[0]) : NULL;
    t->utc = ks_arg_bool(a, "--utc");
    t->nontp = ks_arg_bool(a, "--nontp");
    copy_list(&t->ntpservers, a, "--ntpservers");
    return 0;
}

static const struct ks_opt rootpw_opts[] = {
    { "--iscrypted", { 0 }, KS_OPT_BOOL, 0 },
    { "--plaintext", { 0 }, KS_OPT_BOOL, 0 },
    { "--lock", { 0 }, KS_OPT_BOOL, 0 },
    { "--allow-ssh", { 0 }, KS_OPT_BOOL, 0 },
    { NULL, { 0 }, 0, 0 },
};

static int h_rootpw(struct ks_cmdctx *c, const struct ks_args *a)
{
    bool lock = ks_arg_bool(a, "--lock");
    if (a->pos.n > 1 || (a->pos.n == 0 && !lock))
        return CERR(c, "A single argument is expected for the %s command", c->name);
    if (ks_arg(a, "--iscrypted") && ks_arg(a, "--plaintext"))
        return CERR(c, "%s and %s are mutually exclusive", "--iscrypted", "--plaintext");
    struct ks_rootpw *r = &c->st->ks->rootpw;
    ks_rootpw_clear(r);
    r->seen = true;
    ks_loc_set(&r->loc, c->file, c->line);
    r->password = a->pos.n ? xstrdup(a->pos.v[0]) : NULL;
    r->iscrypted = ks_arg_bool(a, "--iscrypted");
    r->plaintext = ks_arg_bool(a, "--plaintext");
    r->lock = lock;
    r->allow_ssh = ks_arg_bool(a, "--allow-ssh");
    return 0;
}

static const struct ks_opt bootloader_opts[] = {
    { "--append", { 0 }, KS_OPT_STR, 0 },
    { "--timeout", { 0 }, KS_OPT_INT, 0 },
    { "--location", { 0 }, KS_OPT_STR, 0 },
    { "--password", { 0 }, KS_OPT_STR, 0 },
    { "--iscrypted", { 0 }, KS_OPT_BOOL, 0 },
    { "--boot-drive", { 0 }, KS_OPT_STR, 0 },
    { "--md5pass", { 0 }, KS_OPT_STR, 0 },
    { "--driveorder", { 0 }, KS_OPT_LIST, 0 },
    { "--leavebootorder", { 0 }, KS_OPT_BOOL, 0 },
    { "--extlinux", { 0 }, KS_OPT_BOOL, 0 },
    { "--disabled", { 0 }, KS_OPT_BOOL, 0 },
    { "--nombr", { 0 }, KS_OPT_BOOL, 0 },
    { "--default", { 0 }, KS_OPT_STR, 0 },
    { "--sdboot", { 0 }, KS_OPT_BOOL, 0 },
    { "--zipl", { 0 }, KS_OPT_BOOL, 0 },
    { "--secure-boot", { 0 }, KS_OPT_BOOL, 0 },
    { "--linear", { 0 }, KS_OPT_BOOL, KS_OPTF_DEPRECATED },
    { "--nolinear", { 0 }, KS_OPT_BOOL, KS_OPTF_DEPRECATED },
    { "--useLilo", { 0 }, KS_OPT_BOOL, KS_OPTF_DEPRECATED },
    { "--lba32", { 0 }, KS_OPT_BOOL, KS_OPTF_DEPRECATED },
    { "--upgrade", { 0 }, KS_OPT_BOOL, KS_OPTF_DEPRECATED },
    { NULL, { 0 }, 0, 0 },
};

static int h_bootloader(struct ks_cmdctx *c, const struct ks_args *a)
{
    long timeout = int_arg(a, "--timeout");
    if (ks_arg(a, "--timeout") && timeout < 0)
        return CERR(c, "option --timeout: value must not be negative: %ld", timeout);
    struct ks_bootloader *b = &c->st->ks->bootloader;
    ks_bootloader_clear(b);
    b->seen = true;
    ks_loc_set(&b->loc, c->file, c->line);
    b->append = dup_arg(a, "--append");
    b->location = dup_arg(a, "--location");
    b->boot_drive = dup_arg(a, "--boot-drive");
    b->timeout = clamp_int(timeout);
    b->iscrypted = ks_arg_bool(a, "--iscrypted");
    if (ks_arg(a, "--md5pass")) {
        b->password = dup_arg(a, "--md5pass");
        b->iscrypted = true;
    } else {
        b->password = dup_arg(a, "--password");
    }
    return 0;
}

static const struct ks_opt part_opts[] = {
    { "--size", { 0 }, KS_OPT_INT, 0 },
    { "--maxsize", { 0 }, KS_OPT_INT, 0 },
    { "--grow", { 0 }, KS_OPT_BOOL, 0 },
    { "--fstype", { 0 }, KS_OPT_STR, 0 },
    { "--label", { 0 }, KS_OPT_STR, 0 },
    { "--ondisk", { "--ondrive", NULL }, KS_OPT_STR, 0 },
    { "--fsoptions", { 0 }, KS_OPT_STR, 0 },
    { "--asprimary", { 0 }, KS_OPT_BOOL, 0 },
    /* accepted, not in the model */
    { "--noformat", { 0 }, KS_OPT_BOOL, 0 },
    { "--onpart", { "--usepart", NULL }, KS_OPT_STR, 0 },
    { "--onbiosdisk", { 0 }, KS_OPT_STR, 0 },
    { "--recommended", { 0 }, KS_OPT_BOOL, 0 },
    { "--encrypted", { 0 }, KS_OPT_BOOL, 0 },
    { "--passphrase", { 0 }, KS_OPT_STR, 0 },
    { "--cipher", { 0 }, KS_OPT_STR, 0 },
    { "--luks-version", { 0 }, KS_OPT_STR, 0 },
    { "--pbkdf", { 0 }, KS_OPT_STR, 0 },
    { "--pbkdf-memory", { 0 }, KS_OPT_INT, 0 },
    { "--pbkdf-time", { 0 }, KS_OPT_INT, 0 },
    { "--pbkdf-iterations", { 0 }, KS_OPT_INT, 0 },
    { "--escrowcert", { 0 }, KS_OPT_STR, 0 },
    { "--backuppassphrase", { 0 }, KS_OPT_BOOL, 0 },
    { "--resize", { 0 }, KS_OPT_BOOL, 0 },
    { "--hibernation", { 0 }, KS_OPT_BOOL, 0 },
    { "--fsprofile", { 0 }, KS_OPT_STR, 0 },
    { "--mkfsoptions", { 0 }, KS_OPT_STR, 0 },
    { "--start", { 0 }, KS_OPT_INT, KS_OPTF_DEPRECATED },
    { "--end", { 0 }, KS_OPT_INT, KS_OPTF_DEPRECATED },
    { "--active", { 0 }, KS_OPT_BOOL, KS_OPTF_DEPRECATED },
    { "--bytes-per-inode", { 0 }, KS_OPT_INT, KS_OPTF_DEPRECATED },
    { NULL, { 0 }, 0, 0 },
};

static int h_part(struct ks_cmdctx *c, const struct ks_args *a)
{
    if (a->pos.n == 0)
        return CERR(c, "Mount point required for %s", c->name);
    if (a->pos.n > 1)
        return CERR(c, "Unexpected arguments to %s command: %s", c->name, a->pos.v[1]);
    long size = int_arg(a, "--size"), maxsize = int_arg(a, "--maxsize");
    if (ks_arg(a, "--size") && size < 0)
        return CERR(c, "option --size: value must not be negative: %ld", size);
    if (ks_arg(a, "--maxsize") && maxsize < 0)
        return CERR(c, "option --maxsize: value must not be negative: %ld", maxsize);
    struct kickstart *ks = c->st->ks;
    const char *mnt = a->pos.v[0];
    if (strcmp(mnt, "swap") != 0 && strcmp(mnt, "None") != 0 && strcmp(mnt, "none") != 0 &&
        ks_find_part(ks, mnt))
        CWARN(c, "A partition with the mountpoint %s has already been defined.", mnt);
    ks->parts = xrealloc(ks->parts, sizeof *ks->parts * (ks->n_parts + 1));
    struct ks_part *p = &ks->parts[ks->n_parts++];
    memset(p, 0, sizeof *p);
    ks_loc_set(&p->loc, c->file, c->line);
    p->mntpoint = xstrdup(mnt);
    p->size = size;
    p->maxsize = maxsize;
    p->grow = ks_arg_bool(a, "--grow");
    p->asprimary = ks_arg_bool(a, "--asprimary");
    p->fstype = dup_arg(a, "--fstype");
    p->label = dup_arg(a, "--label");
    p->ondisk = dup_arg(a, "--ondisk");
    p->fsoptions = dup_arg(a, "--fsoptions");
    return 0;
}

/* ------------------------------------------------------------------------ */
/* the table                                                                */

#define IGN(n) { n, { 0 }, 0, NULL, 0, NULL }
#define IGNM(n) { n, { 0 }, KS_CMD_MULTIPLE, NULL, 0, NULL }
#define REMOVED(n) { n, { 0 }, KS_CMD_REMOVED, NULL, 0, NULL }
#define DEPRECATED(n) { n, { 0 }, KS_CMD_DEPRECATED, NULL, 0, NULL }

static const struct ks_command commands[] = {
    /* applied to the model */
    { "bootloader", { 0 }, 0, bootloader_opts, 0, h_bootloader },
    { "lang", { 0 }, 0, lang_opts, 1, h_lang },
    { "part", { "partition", NULL }, KS_CMD_MULTIPLE, part_opts, 1, h_part },
    { "repo", { 0 }, KS_CMD_MULTIPLE, repo_opts, 0, h_repo },
    { "rootpw", { 0 }, 0, rootpw_opts, 1, h_rootpw },
    { "timezone", { 0 }, 0, timezone_opts, 1, h_timezone },
    { "url", { 0 }, 0, url_opts, 0, h_url },
    /* accepted, not applied (current Fedora syntax) */
    IGN("authselect"), IGN("autopart"), IGN("bootc"), IGNM("btrfs"), IGN("cdrom"),
    IGN("clearpart"), IGN("cmdline"), IGNM("device"), IGN("deviceprobe"), IGNM("dmraid"),
    IGNM("driverdisk"), IGN("eula"), IGNM("fcoe"), IGN("firewall"), IGN("firstboot"),
    IGN("graphical"), IGNM("group"), IGN("halt"), IGN("harddrive"), IGN("hmc"),
    IGN("ignoredisk"), IGN("install"), IGNM("iscsi"), IGN("iscsiname"), IGN("keyboard"),
    IGN("liveimg"), IGN("logging"), IGNM("logvol"), IGN("mediacheck"), IGNM("mount"),
    IGNM("multipath"), IGNM("network"), IGN("nfs"), IGN("ostreecontainer"),
    IGN("ostreesetup"), IGN("poweroff"), IGNM("raid"), IGN("rdp"), IGN("realm"),
    IGN("reboot"), IGN("reqpart"), IGN("rescue"), IGN("selinux"), IGN("services"),
    IGN("shutdown"), IGN("skipx"), IGNM("snapshot"), IGNM("sshkey"), IGNM("sshpw"),
    IGNM("stratisfs"), IGNM("stratispool"), IGN("text"), IGNM("timesource"),
    IGN("updates"), IGNM("user"), IGN("vnc"), IGNM("volgroup"), IGN("xconfig"),
    IGN("zerombr"), IGNM("zfcp"), IGN("zipl"),
    /* RHEL syntax, accepted for compatibility */
    IGN("rhsm"), IGN("syspurpose"),
    /* removed from the current syntax: warn and ignore (old livecd kickstarts) */
    REMOVED("auth"), REMOVED("authconfig"), REMOVED("autostep"), IGNM("module"),
    REMOVED("method"), IGNM("nvdimm"), REMOVED("upgrade"), REMOVED("interactive"),
    REMOVED("langsupport"), REMOVED("monitor"), REMOVED("mouse"), REMOVED("key"),
};

#define N_COMMANDS (sizeof commands / sizeof commands[0])

size_t ks_n_commands(void) { return N_COMMANDS; }

static int lookup(const char *name)
{
    for (size_t i = 0; i < N_COMMANDS; i++) {
        if (strcmp(commands[i].name, name) == 0)
            return (int)i;
        for (int k = 0; k < 4 && commands[i].aliases[k]; k++)
            if (strcmp(commands[i].aliases[k], name) == 0)
                return (int)i;
    }
    return -1;
}

bool ks_is_command(const char *name) { return lookup(name) >= 0; }

int ks_run_command(struct ks_state *st, const char *file, int line, char *const *argv, size_t argc)
{
    int idx = lookup(argv[0]);
    if (idx < 0) {
        ks_diag(st, KS_ERROR, file, line, "Unknown command: %s", argv[0]);
        return -1;
    }
    const struct ks_command *cmd = &commands[idx];
    if (st->cmd_seen[idx]++ && !(cmd->flags & KS_CMD_MULTIPLE))
        ks_diag(st, KS_WARNING, file, line,
                "A %s command was specified more than once; the last one is used.", argv[0]);
    if (!cmd->handler) {
        if (cmd->flags & KS_CMD_REMOVED)
            ks_diag(st, KS_WARNING, file, line,
                    "The %s command has been removed from kickstart; ignoring it.", argv[0]);
        else if (cmd->flags & KS_CMD_DEPRECATED)
            ks_diag(st, KS_WARNING, file, line,
                    "The %s command has been deprecated and no longer has any effect.", argv[0]);
        if (!strv_contains(&st->ks->ignored, argv[0]))
            strv_push(&st->ks->ignored, argv[0]);
        return 0;
    }
    struct ks_args a;
    int r = ks_getopt(st, file, line, argv[0], cmd->opts, argv + 1, argc - 1, &a);
    if (r == 0 && (int)a.pos.n > cmd->max_pos && cmd->max_pos == 0) {
        ks_diag(st, KS_ERROR, file, line, "Unexpected arguments to %s command: %s", argv[0],
                a.pos.v[0]);
        r = -1;
    }
    if (r == 0) {
        struct ks_cmdctx c = { st, file, line, argv[0] };
        r = cmd->handler(&c, &a);
    }
    ks_args_free(&a);
    return r;
}
