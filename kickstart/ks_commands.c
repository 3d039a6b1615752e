#define _GNU_SOURCE
/* ks_commands.c - command dispatch over the syntax tables, the checks each
 * command family makes (pykickstart's parse() rules and messages), the
 * single/data record semantics, and the typed model for the rest of the
 * program. */
#include "kickstart/ks_internal.h"
#include "core/base/strv.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct cctx {
    struct ks_state *st;
    const char *file;
    int line;
    const char *name;             /* the command as written */
    const struct ks_cmdclass *cls;
    int cls_idx;
    struct ks_ns *ns;
    char *const *argv;
    size_t argc;
};

#define V(d) ks_ns_get(c->ns, d)

static int cerr(struct cctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int cerr(struct cctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *m = NULL;
    if (vasprintf(&m, fmt, ap) < 0)
        m = NULL;
    va_end(ap);
    ks_diag(c->st, KS_ERROR, c->file, c->line, "%s", m ? m : "error");
    free(m);
    return -1;
}

/* A warning; returns -1 when warnings are errors (the command is then not
 * applied, as pykickstart's raised warning aborts it). */
static int cwarn(struct cctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int cwarn(struct cctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *m = NULL;
    if (vasprintf(&m, fmt, ap) < 0)
        m = NULL;
    va_end(ap);
    bool fatal = c->st->opts && c->st->opts->warnings_are_errors;
    ks_diag(c->st, fatal ? KS_ERROR : KS_WARNING, c->file, c->line, "%s", m ? m : "warning");
    free(m);
    return fatal ? -1 : 0;
}

static bool T(struct cctx *c, const char *d)
{
    const struct ks_value *v = V(d);
    return v && ks_value_truthy(v);
}

static const char *S(struct cctx *c, const char *d)
{
    const struct ks_value *v = V(d);
    return v && v->kind == KS_V_STR ? v->s : NULL;
}

static void setb(struct cctx *c, const char *d, bool b)
{
    struct ks_value *v = V(d);
    if (v) {
        ks_value_free(v);
        v->kind = KS_V_BOOL;
        v->i = b;
    }
}

static char *join_extra(const strv_t *e)
{
    /* Python's repr of a list of str: ['a', 'b'] */
    struct strbuf b = { 0 };
    strbuf_add(&b, "[");
    for (size_t i = 0; i < e->n; i++) {
        strbuf_printf(&b, "%s'%s'", i ? ", " : "", e->v[i]);
    }
    strbuf_add(&b, "]");
    return b.p;
}

static int unexpected(struct cctx *c, const char *cmd)
{
    char *j = join_extra(&c->ns->extra);
    cerr(c, "Unexpected arguments to %s command: %s", cmd, j);
    free(j);
    return -1;
}

static bool extra_has_option(struct cctx *c)
{
    for (size_t i = 0; i < c->ns->extra.n; i++)
        if (c->ns->extra.v[i][0] == '-')
            return true;
    return false;
}


static int split_nocomment_text(const char *t, strv_t *out, const char **err)
{
    /* shlex.split(): '#' is an ordinary character here */
    struct strbuf b = { 0 };
    bool sq = false, dq = false, esc = false;
    for (const char *p = t; *p; p++) {
        if (esc) { esc = false; strbuf_addn(&b, p, 1); continue; }
        if (!sq && *p == '\\') { esc = true; strbuf_addn(&b, p, 1); continue; }
        if (!dq && *p == '\'') sq = !sq;
        else if (!sq && *p == '"') dq = !dq;
        if (*p == '#' && !sq && !dq) { strbuf_add(&b, "'#'"); continue; }
        strbuf_addn(&b, p, 1);
    }
    int r = ks_split(b.p ? b.p : "", b.n, out, err);
    free(b.p);
    return r;
}
static size_t data_of(struct cctx *c, const char *family, struct ks_cmdrec ***out);

static const char *rec_s(const struct ks_cmdrec *r, const char *d) { return ks_rec_str(r, d); }

/* ------------------------------------------------------------------------ */
/* family checks: return 0, or -1 after reporting an error                   */

typedef int (*check_fn)(struct cctx *c);

static int ck_noargs(struct cctx *c)
{
    if (c->argc > 1)
        return cerr(c, "Kickstart command %s does not take any arguments", c->name);
    return 0;
}

static int ck_autopart(struct cctx *c)
{
    const char *fs = S(c, "fstype");
    const struct ks_value *t = V("type");
    if (fs && strcmp(fs, "btrfs") == 0)
        return cerr(c, "autopart --fstype=btrfs is not valid fstype, use --type=btrfs instead");
    if (t && t->kind == KS_V_INT && t->i == 2 /* btrfs */ && fs)
        return cerr(c, "autopart --fstype cannot be used with --type=btrfs");
    if (T(c, "pbkdf_time") && T(c, "pbkdf_iterations"))
        return cerr(c, "Only one of --pbkdf-time and --pbkdf-iterations can be specified.");
    if (T(c, "hibernation") && T(c, "noswap"))
        return cerr(c, "Only one of --noswap and --hibernation can be specified.");
    if (T(c, "hw_passphrase")) {
        const char *lv = S(c, "luks_version");
        if (!T(c, "encrypted") || !lv || strncmp(lv, "luks2-", 6) != 0)
            return cerr(c, "hw-passphrase may be specified only with LUKSv2 HW-OPAL encrypted devices");
    }
    /* RHEL: no btrfs */
    if (!strncmp(c->cls->name, "RHEL", 4) && t && t->kind == KS_V_INT && t->i == 1)
        return cerr(c, "autopart --type=btrfs is not supported");
    return 0;
}

static int ck_bootloader(struct cctx *c)
{
    const struct ks_value *md5 = V("_md5pass");
    if (md5 && ks_value_truthy(md5)) {
        ks_value_copy(V("password"), md5);
        setb(c, "isCrypted", true);
    }
    const char *bd = S(c, "bootDrive");
    if (bd && strchr(bd, ','))
        return cerr(c, "--boot-drive accepts only one argument");
    const char *loc = S(c, "location");
    if (loc && strcmp(loc, "mbr") && strcmp(loc, "partition") && strcmp(loc, "none") &&
        strcmp(loc, "boot"))
        return cerr(c, "argument --location: invalid choice: '%s' (choose from 'mbr', 'partition', 'none', 'boot')", loc);
    if (T(c, "sdboot") && T(c, "extlinux"))
        return cerr(c, "Only one of --sdboot and --extlinux may be specified for bootloader command.");
    return 0;
}

static int ck_displaymode(struct cctx *c)
{
    if (strcmp(c->name, "cmdline") == 0 && T(c, "nonInteractive"))
        return cerr(c, "Kickstart command cmdline does not support --non-interactive parameter");
    return 0;
}

static int ck_eula(struct cctx *c)
{
    if (c->ns->extra.n)
        return cerr(c, "Kickstart command %s does not take any arguments", "eula");
    if (!T(c, "agreed"))
        return cerr(c, "Kickstart command eula expects the --agreed option");
    return 0;
}

static int ck_firewall(struct cctx *c)
{
    (void)c;
    return 0;
}

static int ck_keyboard(struct cctx *c)
{
    const struct ks_value *k = V("kbd");
    size_t n = k && k->kind == KS_V_LIST ? k->l.n : 0;
    if (n > 1)
        return cerr(c, "Kickstart command %s only takes one argument", "keyboard");
    if (n == 0 && !T(c, "vc_keymap") && !T(c, "x_layouts"))
        return cerr(c, "One of --xlayouts, --vckeymap options with value(s) or argument keymap must be specified");
    return 0;
}

static int ck_lang(struct cctx *c)
{
    (void)c;
    return 0;
}

static int ck_rootpw(struct cctx *c)
{
    const struct ks_value *p = V("password");
    bool have = p && ks_value_truthy(p);
    if (!(have || T(c, "lock")))
        return cerr(c, "A single argument is expected for the %s command", "rootpw");
    if (c->ns->extra.n)
        return unexpected(c, "rootpw");
    return 0;
}

static int ck_services(struct cctx *c)
{
    if (!T(c, "disabled") && !T(c, "enabled"))
        return cerr(c, "One of --disabled or --enabled must be provided.");
    return 0;
}

static int ck_timezone(struct cctx *c)
{
    const char *cn = c->cls->name;
    if (c->argc <= 1)
        return cerr(c, "At least one option and/or an argument are expected for the %s command", "timezone");
    const struct ks_value *tz = V("timezone");
    size_t n = tz && tz->kind == KS_V_LIST ? tz->l.n : 0;
    if (n > 1)
        return cerr(c, "One or zero arguments are expected for the %s command", "timezone");
    if (T(c, "nontp") && T(c, "ntpservers"))
        return cerr(c, "Options --nontp and --ntpservers are mutually exclusive");
    if (!strncmp(cn, "F32_", 4) || !strncmp(cn, "F33_", 4)) {
        for (size_t i = 1; i < c->argc; i++)
            if (!strcmp(c->argv[i], "--isUtc"))
                if (cwarn(c, "The option --isUtc will be deprecated in future releases. Please modify your kickstart file to replace this option with its preferred alias --utc.") < 0)
                    return -1;
    }
    if (!strncmp(cn, "F33_", 4) || !strncmp(cn, "F40_", 4)) {
        if (T(c, "ntpservers"))
            if (cwarn(c, "The option --ntpservers will be deprecated in future releases. Please modify your kickstart file to replace this option with timesource command.") < 0)
                return -1;
        if (T(c, "nontp"))
            if (cwarn(c, "The option --nontp will be deprecated in future releases. Please modify your kickstart file to replace this option with timesource --ntp-disable command.") < 0)
                return -1;
    }
    return 0;
}

static int ck_url(struct cctx *c)
{
    int n = T(c, "url") + T(c, "mirrorlist") + T(c, "metalink");
    if (n == 0)
        return cerr(c, "One of --url, --mirrorlist, or --metalink must be specified for url command.");
    if (n > 1)
        return cerr(c, "Only one of --url, --mirrorlist, or --metalink may be specified for url command.");
    return 0;
}

static int ck_xconfig(struct cctx *c)
{
    (void)c;
    return 0;
}

static int ck_zerombr(struct cctx *c)
{
    if (c->ns->extra.n)
        if (cwarn(c, "Ignoring deprecated option on line %d:  The zerombr command no longer takes any options.  In future releases, this will result in a fatal error from kickstart.  Please modify your kickstart file to remove any options.", c->line) < 0)
            return -1;
    return 0;
}

static int ck_repo(struct cctx *c)
{
    int n = T(c, "baseurl") + T(c, "mirrorlist") + T(c, "metalink");
    if (n > 1) {
        struct strbuf b = { 0 };
        if (T(c, "mirrorlist")) strbuf_add(&b, "--mirrorlist");
        if (T(c, "baseurl")) strbuf_printf(&b, "%s--baseurl", b.n ? ", " : "");
        if (T(c, "metalink")) strbuf_printf(&b, "%s--metalink", b.n ? ", " : "");
        cerr(c, "Only one of %s options may be specified for repo command.", b.p);
        free(b.p);
        return -1;
    }
    const char *name = S(c, "name");
    struct ks_cmdrec **l;
    size_t n2 = data_of(c, "Repo", &l);
    for (size_t i = 0; i < n2; i++)
        if (name && rec_s(l[i], "name") && strcmp(rec_s(l[i], "name"), name) == 0)
            return cwarn(c, "A repo with the name %s has already been defined.", name);
    return 0;
}

static int ck_part(struct cctx *c)
{
    const char *mnt = S(c, "mntpoint");
    if (c->ns->extra.n)
        return unexpected(c, "partition");
    if (T(c, "encrypted") == false && 0)
        return 0;
    if (T(c, "pbkdf_time") && T(c, "pbkdf_iterations"))
        return cerr(c, "Only one of --pbkdf-time and --pbkdf-iterations can be specified.");
    if (T(c, "resize") && !T(c, "onPart"))
        return cerr(c, "--resize can only be used in conjunction with --onpart");
    if (T(c, "resize") && !T(c, "size"))
        return cerr(c, "--resize requires --size to specify new size");
    const char *fs = S(c, "fstype");
    if (fs && !strcmp(fs, "tmpfs") && (T(c, "grow") || T(c, "maxSizeMB")))
        return cerr(c, "The --fstype=tmpfs option can't be used together with --grow or --maxsize");
    const struct ks_value *fmt = V("format");
    if (fmt && fmt->kind == KS_V_BOOL && !fmt->i && T(c, "mkfsopts"))
        return cerr(c, "--mkfsoptions with --noformat has no effect.");
    if (T(c, "fsprofile") && T(c, "mkfsopts"))
        return cerr(c, "--mkfsoptions and --fsprofile cannot be used together.");
    if (T(c, "hw_passphrase")) {
        const char *lv = S(c, "luks_version");
        if (!T(c, "encrypted") || !lv || strncmp(lv, "luks2-", 6) != 0)
            return cerr(c, "hw-passphrase may be specified only with LUKSv2 HW-OPAL encrypted devices");
    }
    if (mnt && strcmp(mnt, "swap") != 0) {
        struct ks_cmdrec **l;
        size_t n = data_of(c, "Partition", &l);
        for (size_t i = 0; i < n; i++)
            if (rec_s(l[i], "mntpoint") && strcmp(rec_s(l[i], "mntpoint"), mnt) == 0)
                return cwarn(c, "A partition with the mountpoint %s has already been defined.", mnt);
    }
    if (!strncmp(c->cls->name, "RHEL", 4) &&
        ((mnt && !strncmp(mnt, "btrfs.", 6)) || (fs && !strcmp(fs, "btrfs"))))
        return cerr(c, "Btrfs file system is not supported");
    return 0;
}

static int ck_network(struct cctx *c)
{
    const char *bp = S(c, "bootProto");
    if (bp && strcmp(bp, "dhcp") && strcmp(bp, "bootp") && strcmp(bp, "static") &&
        strcmp(bp, "query") && strcmp(bp, "ibft"))
        return cerr(c, "argument --bootproto: invalid choice: '%s' (choose from 'dhcp', 'bootp', 'static', 'query', 'ibft')", bp);
    const char *bt = S(c, "bindto");
    if (bt && V("bindto") && strcmp(bt, "mac"))
        return cerr(c, "argument --bindto: invalid choice: '%s' (choose from 'mac')", bt);
    if (T(c, "noipv4")) {
        struct ks_value *v = V("bootProto");
        if (v)
            ks_value_set_str(v, "");
    }
    if (T(c, "bridgeopts")) {
        if (!T(c, "bridgeslaves"))
            return cerr(c, "Option --bridgeopts requires --bridgeslaves to be specified");
        const char *o = S(c, "bridgeopts");
        char *dup = xstrdup(o), *save = NULL;
        for (char *t = strtok_r(dup, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
            char *eq = strchr(t, '=');
            if (!eq || !eq[1] || strchr(eq + 1, '=')) {
                free(dup);
                return cerr(c, "Bad format of --bridgeopts, expecting key=value options separated by ','");
            }
        }
        free(dup);
    }
    if (!T(c, "device")) {
        if (T(c, "ipv4_dns_search"))
            return cerr(c, "Option --ipv4-dns-search requires --device to be specified");
        if (T(c, "ipv6_dns_search"))
            return cerr(c, "Option --ipv6-dns-search requires --device to be specified");
        if (T(c, "ipv4_ignore_auto_dns"))
            return cerr(c, "Option --ipv4-ignore-auto-dns requires --device to be specified");
        if (T(c, "ipv6_ignore_auto_dns"))
            return cerr(c, "Option --ipv6-ignore-auto-dns requires --device to be specified");
    }
    const char *dev = S(c, "device");
    struct ks_cmdrec **l;
    size_t n = data_of(c, "Network", &l);
    for (size_t i = 0; i < n; i++) {
        const char *d2 = rec_s(l[i], "device");
        if (strcmp(dev ? dev : "", d2 ? d2 : "") == 0)
            return cwarn(c, "A network device with the name %s has already been defined.", dev ? dev : "");
    }
    return 0;
}

static int ck_logvol(struct cctx *c)
{
    if (c->ns->extra.n)
        return unexpected(c, "logvol");
    const struct ks_value *f = V("format");
    if (f && f->kind == KS_V_BOOL && !f->i)
        setb(c, "preexist", true);
    const char *vg = S(c, "vgname"), *nm = S(c, "name");
    struct ks_cmdrec **l;
    size_t n = data_of(c, "LogVol", &l);
    for (size_t i = 0; i < n; i++) {
        const char *v2 = rec_s(l[i], "vgname"), *n2 = rec_s(l[i], "name");
        bool same_vg = (!vg && !v2) || (vg && v2 && !strcmp(vg, v2));
        bool same_nm = (!nm && !n2) || (nm && n2 && !strcmp(nm, n2));
        if (same_vg && same_nm)
            if (cwarn(c, "A logical volume with the name %s has already been defined in volume group %s.",
                      nm ? nm : "None", vg ? vg : "None") < 0)
                return -1;
    }
    /* F17 */
    if (T(c, "resize") && !T(c, "preexist"))
        return cerr(c, "--resize can only be used in conjunction with --useexisting");
    if (T(c, "resize") && !T(c, "size"))
        return cerr(c, "--resize requires --size to indicate new size");
    /* F20 */
    if (T(c, "thin_volume") && T(c, "thin_pool"))
        return cerr(c, "--thin and --thinpool cannot both be specified for the same logvol");
    if (T(c, "thin_volume") && !T(c, "pool_name"))
        return cerr(c, "--thin requires --poolname to specify pool name");
    if ((T(c, "chunk_size") || T(c, "metadata_size")) && !T(c, "thin_pool"))
        return cerr(c, "--chunksize and --metadatasize are for thin pools only");
    if (!T(c, "preexist") && !T(c, "percent") && !T(c, "size") && !T(c, "recommended") &&
        !T(c, "hibernation"))
        return cerr(c, "No size given for logical volume. Use one of --useexisting, --noformat, --size, --percent, or --hibernation.");
    const struct ks_value *pc = V("percent");
    if (pc && pc->kind == KS_V_INT && (pc->i < 0 || pc->i > 100))
        return cerr(c, "Percentage must be between 0 and 100.");
    /* F21 */
    if (T(c, "size") && T(c, "percent"))
        return cerr(c, "--size and --percent cannot both be specified for the same logvol");
    /* F23 */
    if (T(c, "cache_size") || T(c, "cache_mode") || T(c, "cache_pvs")) {
        if (T(c, "preexist"))
            return cerr(c, "Adding a cache to an existing logical volume is not supported");
        if (T(c, "thin_volume"))
            return cerr(c, "Thin volumes cannot be cached");
        if (!T(c, "cache_pvs"))
            return cerr(c, "Cache needs to have a list of (fast) PVs specified");
        if (!T(c, "cache_size"))
            return cerr(c, "Cache needs to have size specified");
        const char *m = S(c, "cache_mode");
        if (m && *m && strcmp(m, "writeback") && strcmp(m, "writethrough"))
            return cerr(c, "Invalid cache mode given: %s", m);
    }
    if (f && f->kind == KS_V_BOOL && !f->i && T(c, "mkfsopts"))
        return cerr(c, "--mkfsoptions with --noformat has no effect.");
    if (T(c, "fsprofile") && T(c, "mkfsopts"))
        return cerr(c, "--mkfsoptions and --fsprofile cannot be used together.");
    /* F29 */
    if (T(c, "pbkdf_time") && T(c, "pbkdf_iterations"))
        return cerr(c, "Only one of --pbkdf-time and --pbkdf-iterations can be specified.");
    const char *lfs = S(c, "fstype");
    if (!strncmp(c->cls->name, "RHEL", 4) && lfs && !strcmp(lfs, "btrfs"))
        return cerr(c, "Btrfs file system is not supported");
    return 0;
}

static void list_from_extra(struct cctx *c, struct ks_value *v)
{
    ks_value_free(v);
    v->kind = KS_V_LIST;
    for (size_t i = 0; i < c->ns->extra.n; i++)
        strv_push(&v->l, c->ns->extra.v[i]);
    strv_free(&c->ns->extra);
}

static bool is_preexisting(struct cctx *c)
{
    const struct ks_value *f = V("format");
    if (f && f->kind == KS_V_BOOL && !f->i)
        setb(c, "preexist", true);
    return T(c, "preexist");
}

static int ck_volgroup(struct cctx *c)
{
    /* add the derived dests first: adding may move the values */
    ks_ns_add(c->ns, "vgname");
    ks_ns_add(c->ns, "physvols");
    struct ks_value *name = V("name"), *parts = V("partitions");
    if (!parts || !name)
        return 0;
    if (!ks_value_truthy(parts)) {
        if (c->ns->extra.n) {
            list_from_extra(c, parts);
        } else if (ks_value_truthy(name) && name->kind == KS_V_LIST) {
            ks_value_free(parts);
            parts->kind = KS_V_LIST;
            for (size_t i = 1; i < name->l.n; i++)
                strv_push(&parts->l, name->l.v[i]);
            while (name->l.n > 1)
                free(name->l.v[--name->l.n]);
        }
    }
    if (c->ns->extra.n)
        return unexpected(c, "volgroup");
    bool pre = is_preexisting(c);
    if (!ks_value_truthy(name))
        return cerr(c, "volgroup must be given a VG name");
    if (!ks_value_truthy(parts) && !pre)
        return cerr(c, "volgroup must be given a list of partitions");
    if (ks_value_truthy(parts) && pre)
        return cerr(c, "Members may not be specified for preexisting volgroup");
    const struct ks_value *rs = V("reserved_space"), *rp = V("reserved_percent");
    if (rs && rs->kind == KS_V_INT && rs->i < 0)
        return cerr(c, "Volume group reserved space must be a positive integer.");
    if (rp && rp->kind == KS_V_INT && !(rp->i > 0 && rp->i < 100))
        return cerr(c, "Volume group reserved space percentage must be between 1 and 99.");
    struct ks_value *vg = ks_ns_add(c->ns, "vgname");
    ks_value_set_str(vg, name->l.v[0]);
    struct ks_value *pv = ks_ns_add(c->ns, "physvols");
    ks_value_copy(pv, parts);
    struct ks_cmdrec **l;
    size_t n = data_of(c, "VolGroup", &l);
    for (size_t i = 0; i < n; i++)
        if (rec_s(l[i], "vgname") && !strcmp(rec_s(l[i], "vgname"), vg->s))
            return cwarn(c, "A volgroup with the name %s has already been defined.", vg->s);
    return 0;
}

static int ck_raid(struct cctx *c)
{
    if (extra_has_option(c))
        return unexpected(c, "raid");
    struct ks_value *parts = V("partitions");
    if (parts && !ks_value_truthy(parts) && c->ns->extra.n)
        list_from_extra(c, parts);
    bool pre = is_preexisting(c);
    if (!(parts && ks_value_truthy(parts)) && !pre)
        return cerr(c, "Partitions required for %s", "raid");
    if (parts && ks_value_truthy(parts) && pre)
        return cerr(c, "Members may not be specified for preexisting RAID device");
    const char *dev = S(c, "device");
    struct ks_cmdrec **l;
    size_t n = data_of(c, "Raid", &l);
    for (size_t i = 0; i < n; i++) {
        const char *d2 = rec_s(l[i], "device");
        if ((!dev && !d2) || (dev && d2 && !strcmp(dev, d2)))
            if (cwarn(c, "A RAID device with the name %s has already been defined.", dev ? dev : "None") < 0)
                return -1;
    }
    if (!pre && !T(c, "level"))
        return cerr(c, "RAID Partition defined without RAID level");
    if (pre && (!dev || !*dev))
        return cerr(c, "Device required for preexisting RAID device");
    if (!T(c, "format") && V("format") && T(c, "mkfsopts"))
        return cerr(c, "--mkfsoptions with --noformat has no effect.");
    if (T(c, "fsprofile") && T(c, "mkfsopts"))
        return cerr(c, "--mkfsoptions and --fsprofile cannot be used together.");
    if (T(c, "pbkdf_time") && T(c, "pbkdf_iterations"))
        return cerr(c, "Only one of --pbkdf-time and --pbkdf-iterations can be specified.");
    const char *rfs = S(c, "fstype");
    if ((!strncmp(c->cls->name, "RHEL8_", 6) || !strncmp(c->cls->name, "RHEL9_", 6)) && rfs &&
        !strcmp(rfs, "btrfs"))
        return cerr(c, "Btrfs file system is not supported");
    return 0;
}

static int ck_btrfs(struct cctx *c)
{
    const struct ks_value *f = V("format");
    if (f && f->kind == KS_V_BOOL && !f->i)
        setb(c, "preexist", true);
    else if (T(c, "preexist"))
        setb(c, "format", false);
    ks_ns_add(c->ns, "mountpoint");
    ks_ns_add(c->ns, "devices");
    if (!c->ns->extra.n)
        return cerr(c, "btrfs must be given a mountpoint");
    if (extra_has_option(c))
        return unexpected(c, "btrfs");
    struct ks_value *mp = ks_ns_add(c->ns, "mountpoint");
    ks_value_set_str(mp, c->ns->extra.v[0]);
    const char *m = mp->s;
    struct ks_value *dv = ks_ns_add(c->ns, "devices");
    ks_value_free(dv);
    dv->kind = KS_V_LIST;
    for (size_t i = 1; i < c->ns->extra.n; i++)
        strv_push(&dv->l, c->ns->extra.v[i]);
    strv_free(&c->ns->extra);
    if (!dv->l.n && !T(c, "subvol"))
        return cerr(c, "btrfs must be given a list of partitions");
    if (!dv->l.n)
        return cerr(c, "btrfs subvol requires specification of parent volume");
    if (T(c, "subvol") && !T(c, "name"))
        return cerr(c, "btrfs subvolume requires a name");
    if ((T(c, "preexist") || !T(c, "format")) && T(c, "mkfsopts"))
        return cerr(c, "--mkfsoptions with --noformat or --useexisting has no effect.");
    struct ks_cmdrec **l;
    size_t n = data_of(c, "BTRFS", &l);
    for (size_t i = 0; i < n; i++)
        if (rec_s(l[i], "mountpoint") && !strcmp(rec_s(l[i], "mountpoint"), m))
            return cwarn(c, "A btrfs volume with the mountpoint %s has already been defined.", m);
    return 0;
}

static int ck_user(struct cctx *c)
{
    const char *nm = S(c, "name");
    struct ks_cmdrec **l;
    size_t n = data_of(c, "User", &l);
    for (size_t i = 0; i < n; i++)
        if (nm && rec_s(l[i], "name") && !strcmp(rec_s(l[i], "name"), nm))
            return cwarn(c, "A user with the name %s has already been defined.", nm);
    return 0;
}

static int ck_group(struct cctx *c)
{
    const char *nm = S(c, "name");
    struct ks_cmdrec **l;
    size_t n = data_of(c, "Group", &l);
    for (size_t i = 0; i < n; i++)
        if (nm && rec_s(l[i], "name") && !strcmp(rec_s(l[i], "name"), nm))
            return cwarn(c, "A group with the name %s has already been defined.", nm);
    return 0;
}

static int ck_reqpart(struct cctx *c) { (void)c; return 0; }

static int ck_harddrive(struct cctx *c)
{
    if (strncmp(c->cls->name, "FC3_", 4) != 0)
        return 0;
    bool b = S(c, "biospart") != NULL, p = S(c, "partition") != NULL;
    if (b == p)
        return cerr(c, "One of biospart or partition options must be specified.");
    return 0;
}

static int ck_ignoredisk(struct cctx *c)
{
    int n = T(c, "ignoredisk") + T(c, "onlyuse");
    if (n != 1)
        return cerr(c, "One of --drives or --only-use must be specified for ignoredisk command.");
    return 0;
}

static int ck_dup_user(struct cctx *c, const char *family, const char *dest, const char *what)
{
    const char *u = S(c, dest);
    struct ks_cmdrec **l;
    size_t n = data_of(c, family, &l);
    for (size_t i = 0; i < n; i++) {
        const char *u2 = rec_s(l[i], dest);
        if ((!u && !u2) || (u && u2 && !strcmp(u, u2)))
            return cwarn(c, what, u ? u : "None");
    }
    return 0;
}

static int ck_sshpw(struct cctx *c)
{
    const struct ks_value *p = V("password");
    if (!p || !ks_value_truthy(p))
        return cerr(c, "A single argument is expected for the %s command", "sshpw");
    if (c->ns->extra.n)
        return unexpected(c, "sshpw");
    return ck_dup_user(c, "SshPw", "username", "An ssh user with the name %s has already been defined.");
}

static int ck_sshkey(struct cctx *c)
{
    if (c->ns->extra.n)
        return unexpected(c, "sshkey");
    return ck_dup_user(c, "SshKey", "username", "An ssh user with the name %s has already been defined.");
}

static int ck_fcoe(struct cctx *c)
{
    return ck_dup_user(c, "Fcoe", "nic", "A FCOE device with the name %s has already been defined.");
}

static int ck_logging(struct cctx *c)
{
    const char *l = S(c, "level");
    bool fc6 = !strncmp(c->cls->name, "FC6_", 4) || !strncmp(c->cls->name, "RHEL8_", 6);
    if (fc6 && l && strcmp(l, "debug") && strcmp(l, "info") && strcmp(l, "warning") &&
        strcmp(l, "error") && strcmp(l, "critical"))
        return cerr(c, "argument --level: invalid choice: '%s' (choose from 'debug', 'info', 'warning', 'error', 'critical')", l);
    if (T(c, "port") && !T(c, "host"))
        return cerr(c, "Can't specify --port without --host.");
    return 0;
}

static int ck_ostreecontainer(struct cctx *c)
{
    if (!T(c, "remote")) {
        struct ks_value *r = V("remote"), *s = V("stateroot");
        if (r && s)
            ks_value_copy(r, s);
    }
    return 0;
}

static int ck_authconfig(struct cctx *c)
{
    if (c->cls->kind == CK_NORMAL)
        return cwarn(c, "The authconfig command will be deprecated, use authselect instead.");
    return 0;
}

static int ck_driverdisk(struct cctx *c)
{
    const struct ks_value *p = V("partition");
    size_t np = p && p->kind == KS_V_LIST ? p->l.n : 0;
    if (np > 1)
        return cerr(c, "Only one partition may be specified for driverdisk command.");
    if (c->ns->extra.n)
        return unexpected(c, "driverdisk");
    bool src = T(c, "source"), bios = T(c, "biospart");
    if (np && src)
        return cerr(c, "Only one of --source and partition may be specified for driverdisk command.");
    if (np && bios)
        return cerr(c, "Only one of --biospart and partition may be specified for driverdisk command.");
    if (src && bios)
        return cerr(c, "Only one of --biospart and --source may be specified for driverdisk command.");
    if (!np && !src && !bios)
        return cerr(c, "One of --source, --biospart, or partition must be specified for driverdisk command.");
    return 0;
}

static int ck_mount(struct cctx *c)
{
    if (c->ns->extra.n)
        return unexpected(c, "mount");
    const char *mp = S(c, "mntpoint");
    if (mp && strcasecmp(mp, "none") != 0 && mp[0] != '/')
        return cerr(c, "Invalid mount point '%s' given", mp);
    const struct ks_value *rf = V("reformat");
    if (rf && rf->kind == KS_V_BOOL && !rf->i && T(c, "mkfs_opts"))
        return cerr(c, "'--mkfsoptions' requires --reformat");
    return 0;
}

static int ck_timesource(struct cctx *c)
{
    struct strbuf used = { 0 };
    int n = 0;
    if (T(c, "ntp_server")) { strbuf_add(&used, "--ntp-server"); n++; }
    if (T(c, "ntp_pool")) { strbuf_printf(&used, "%s--ntp-pool", n ? ", " : ""); n++; }
    if (T(c, "ntp_disable")) { strbuf_printf(&used, "%s--ntp-disable", n ? ", " : ""); n++; }
    int r = 0;
    if (n == 0)
        r = cerr(c, "One of ---ntp-server, --ntp-pool, --ntp-disable options must be specified for timesource command.");
    else if (n > 1)
        r = cerr(c, "Only one of %s options may be specified for timesource command.", used.p);
    free(used.p);
    return r;
}

static int ck_nvdimm(struct cctx *c)
{
    if (c->ns->extra.n) {
        char *j = join_extra(&c->ns->extra);
        cerr(c, "Unexpected arguments to nvdimm command: %s", j);
        free(j);
        return -1;
    }
    const char *action = S(c, "action");
    if (action && strcmp(action, "reconfigure") && strcmp(action, "use"))
        return cerr(c, "argument action: invalid choice: '%s' (choose from 'reconfigure', 'use')", action);
    const char *mode = S(c, "mode");
    if (mode && strcmp(mode, "sector"))
        return cerr(c, "argument --mode: invalid choice: '%s' (choose from 'sector')", mode);
    if (T(c, "namespace") && T(c, "blockdevs"))
        return cerr(c, "Only one of --namespace and --blockdevs device specifications can be used");
    if (action && !strcmp(action, "reconfigure")) {
        if (!T(c, "namespace"))
            return cerr(c, "Action %s requires --namespace argument to be set", action);
        if (mode && !strcmp(mode, "sector") && !T(c, "sectorsize"))
            return cerr(c, "Action %s with mode %s requires --sectorsize argument to be set", action, mode);
    } else if (action && !strcmp(action, "use")) {
        if (!T(c, "namespace") && !T(c, "blockdevs"))
            return cerr(c, "Action %s requires --namespace or --blockdevs argument to be set", action);
    }
    return 0;
}

static int ck_ostreesetup(struct cctx *c)
{
    if (!T(c, "remote")) {
        struct ks_value *r = V("remote"), *o = V("osname");
        if (r && o)
            ks_value_copy(r, o);
    }
    const char *u = S(c, "url");
    if (!u || (strncmp(u, "file:", 5) && strncmp(u, "http:", 5) && strncmp(u, "https:", 6)))
        return cerr(c, "ostree repos must use file, HTTP or HTTPS protocol.");
    return 0;
}

static int ck_rhsm(struct cctx *c)
{
    const struct ks_value *k = V("activation_keys");
    for (size_t i = 0; k && k->kind == KS_V_LIST && i < k->l.n; i++)
        if (!*k->l.v[i])
            return cerr(c, "Empty string is not a valid activation key.");
    return 0;
}

static int ck_syspurpose(struct cctx *c)
{
    if (c->ns->extra.n)
        return cerr(c, "The syspurpose command does not take positional arguments!");
    return 0;
}

static int ck_vnc(struct cctx *c)
{
    struct ks_value *cn = V("_connect");
    if (cn && cn->kind == KS_V_STR && *cn->s) {
        char *colon = strchr(cn->s, ':');
        struct ks_value *h = ks_ns_add(c->ns, "host");
        cn = V("_connect");
        char *hs = xstrndup(cn->s, colon ? (size_t)(colon - cn->s) : strlen(cn->s));
        ks_value_set_str(h, hs);
        free(hs);
        if (colon) {
            char *second = strchr(colon + 1, ':');
            char *ps = xstrndup(colon + 1, second ? (size_t)(second - colon - 1) : strlen(colon + 1));
            struct ks_value *pt = ks_ns_add(c->ns, "port");
            ks_value_set_str(pt, ps);
            free(ps);
        }
    }
    return 0;
}



static const struct { const char *family; check_fn fn; bool known; } checks[] = {
    { "AutoPart", ck_autopart, false },
    { "Bootloader", ck_bootloader, false },
    { "Cdrom", ck_noargs, false },
    { "DisplayMode", ck_displaymode, false },
    { "Eula", ck_eula, true },
    { "Firewall", ck_firewall, false },
    { "Group", ck_group, false },
    { "Hmc", ck_noargs, false },
    { "Keyboard", ck_keyboard, false },
    { "Lang", ck_lang, false },
    { "HardDrive", ck_harddrive, false },
    { "IgnoreDisk", ck_ignoredisk, false },
    { "SshPw", ck_sshpw, true },
    { "SshKey", ck_sshkey, true },
    { "Fcoe", ck_fcoe, false },
    { "OSTreeContainer", ck_ostreecontainer, false },
    { "DriverDisk", ck_driverdisk, true },
    { "Mount", ck_mount, true },
    { "Timesource", ck_timesource, false },
    { "Nvdimm", ck_nvdimm, true },
    { "OSTreeSetup", ck_ostreesetup, false },
    { "RHSM", ck_rhsm, false },
    { "Syspurpose", ck_syspurpose, true },
    { "Vnc", ck_vnc, false },
    { "Logging", ck_logging, false },
    { "LogVol", ck_logvol, true },
    { "Network", ck_network, false },
    { "Partition", ck_part, true },
    { "Repo", ck_repo, false },
    { "ReqPart", ck_reqpart, false },
    { "RootPw", ck_rootpw, true },
    { "Services", ck_services, false },
    { "Timezone", ck_timezone, false },
    { "Url", ck_url, false },
    { "User", ck_user, false },
    { "VolGroup", ck_volgroup, true },
    { "Raid", ck_raid, true },
    { "BTRFS", ck_btrfs, true },
    { "XConfig", ck_xconfig, false },
    { "ZeroMbr", ck_zerombr, true },
};

static int check_index(const char *family)
{
    for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++)
        if (strcmp(checks[i].family, family) == 0)
            return (int)i;
    return -1;
}

/* ------------------------------------------------------------------------ */
/* records                                                                  */

static struct ks_cmdrec *rec_from_ns(struct cctx *c, struct ks_ns *ns)
{
    struct ks_cmdrec *r = xcalloc(1, sizeof *r);
    ks_loc_set(&r->loc, c->file, c->line);
    r->name = xstrdup(c->name);
    r->family = c->cls->family;
    r->cls = c->cls_idx;
    r->seen = true;
    r->n = ns->n;
    r->dests = ns->dests;
    r->vals = ns->vals;
    ns->dests = NULL;
    ns->vals = NULL;
    ns->n = 0;
    return r;
}

/* values the parser left as None: the attribute's initial value */
static void rec_init_defaults(struct ks_cmdrec *r, const struct ks_cmdclass *cls)
{
    for (size_t i = 0; i < r->n; i++) {
        if (r->vals[i].kind != KS_V_NONE)
            continue;
        for (int k = 0; k < cls->n_opts; k++)
            if (strcmp(cls->opts[k].dest, r->dests[i]) == 0) {
                ks_value_decode(&r->vals[i], cls->opts[k].init);
                break;
            }
    }
}


static size_t data_of(struct cctx *c, const char *family, struct ks_cmdrec ***out)
{
    for (size_t i = 0; i < ks_n_classes; i++)
        if (c->st->n_data[i] && strcmp(ks_classes[i].family, family) == 0) {
            *out = c->st->data[i];
            return c->st->n_data[i];
        }
    *out = NULL;
    return 0;
}

void ks_state_init(struct ks_state *st)
{
    st->single = xcalloc(ks_n_classes, sizeof *st->single);
    st->data = xcalloc(ks_n_classes, sizeof *st->data);
    st->n_data = xcalloc(ks_n_classes, sizeof *st->n_data);
    st->seen = xcalloc(ks_n_classes, sizeof *st->seen);
}

/* ------------------------------------------------------------------------ */
/* versions                                                                 */

/* ------------------------------------------------------------------------ */
/* dispatch                                                                 */

static int lookup_cmd(const struct ks_version *v, const char *name)
{
    for (const struct ks_cmdmap *m = v->map; m->name; m++)
        if (strcmp(m->name, name) == 0)
            return m->cls;
    return -1;
}

#define KS_MAX_COMMANDS 20000

int ks_run_command(struct ks_state *st, const char *file, int line, char *const *argv, size_t argc)
{
    if (++st->n_commands > KS_MAX_COMMANDS) {
        if (st->n_commands == KS_MAX_COMMANDS + 1)
            ks_diag(st, KS_ERROR, file, line, "more than %d commands", KS_MAX_COMMANDS);
        st->stop = true;
        return -1;
    }
    int ci = lookup_cmd(st->ver, argv[0]);
    if (ci < 0) {
        ks_diag(st, KS_ERROR, file, line, "Unknown command: %s", argv[0]);
        return -1;
    }
    const struct ks_cmdclass *cls = &ks_classes[ci];
    struct cctx cc = { st, file, line, argv[0], cls, ci, NULL, argv, argc }, *c = &cc;

    /* conflicting commands: any use of the other one, even a failed one */
    st->seen[ci] = true;
    for (const char *p = cls->conflicts; p && *p;) {
        size_t l = strcspn(p, ",");
        char *other = xstrndup(p, l);
        int oc = lookup_cmd(st->ver, other);
        if (oc >= 0 && st->seen[oc]) {
            cerr(c, "The %s and %s commands can't be used at the same time.", argv[0], other);
            free(other);
            return -1;
        }
        free(other);
        p += l;
        if (*p)
            p++;
    }

    if (cls->kind == CK_REMOVED)
        return cerr(c, "%s has been removed.", argv[0]);
    if (strcmp(cls->name, "F28_Method") == 0)  /* RHEL8: pykickstart cannot parse it either */
        return cerr(c, "The %s command is not supported in this syntax version.", argv[0]);
    if (cls->kind == CK_DEPRECATED) {
        cwarn(c, "Ignoring deprecated command on line %d:  The %s command has been deprecated and no longer has any effect.  It may be removed from future releases, which will result in a fatal error from kickstart.  Please modify your kickstart file to remove this command.", line, argv[0]);
        return 0;
    }
    /* commands that take the rest of the line verbatim */
    if (strcmp(cls->family, "Authselect") == 0 || strcmp(cls->family, "Authconfig") == 0 ||
        strcmp(cls->family, "Realm") == 0) {
        if (strcmp(cls->family, "Authconfig") == 0 && ck_authconfig(c) < 0)
            return -1;
        struct ks_ns ns;
        ks_ns_parse(&ns, cls, argv, 0, true);
        struct ks_cmdrec *r = rec_from_ns(c, &ns);
        ks_ns_free(&ns);
        const char *t = st->cur_text ? st->cur_text : "";
        while (*t == ' ' || *t == '\t')
            t++;
        t += strlen(argv[0]) <= strlen(t) ? strlen(argv[0]) : strlen(t);
        char *txt = xstrdup(t);
        char *e = txt + strlen(txt);
        while (e > txt && strchr(" \t\r\n\v\f", e[-1]))
            *--e = 0;
        char *b = txt;
        while (*b && strchr(" \t\r\n\v\f", *b))
            b++;
        r->text = xstrdup(b);
        free(txt);
        if (strcmp(cls->family, "Realm") == 0) {
            struct ks_cmdrec *old = st->single[ci];
            if (old && old->text) {
                ks_cmdrec_free(r);
                return cerr(c, "The realm command 'join' should only be specified once");
            }
            strv_t a = { 0 };
            const char *err = NULL;
            int bad = 0;
            if (split_nocomment_text(r->text, &a, &err) < 0)
                bad = cerr(c, "%s", err);
            else if (!a.n)
                bad = cerr(c, "Missing realm command arguments");
            else if (strcmp(a.v[0], "join") != 0)
                bad = cerr(c, "Unsupported realm '%s' command", a.v[0]);
            else {
                static const char *const lo[] = { "--client-software=", "--server-software=",
                    "--membership-software=", "--one-time-password=", "--no-password", "--computer-ou=" };
                size_t rem = 0, i = 1;
                for (; i < a.n && !bad; i++) {
                    const char *x = a.v[i];
                    if (!strcmp(x, "--")) { rem += a.n - i - 1; break; }
                    if (x[0] != '-' || !x[1]) { rem += a.n - i; break; } /* getopt stops at a non-option */
                    bool okk = false;
                    for (size_t k = 0; k < 6 && !okk; k++) {
                        size_t ll = strlen(lo[k]);
                        bool takes = lo[k][ll - 1] == '=';
                        size_t nl = takes ? ll - 1 : ll;
                        if (!strncmp(x, lo[k], nl) && (x[nl] == 0 || (takes && x[nl] == '='))) {
                            okk = true;
                            if (takes && x[nl] == 0)
                                i++;
                        }
                    }
                    if (!okk)
                        bad = cerr(c, "Invalid realm arguments: option %s not recognized", x);
                }
                if (!bad && rem != 1)
                    bad = cerr(c, "Specify only one realm to join");
            }
            strv_free(&a);
            if (bad) {
                ks_cmdrec_free(r);
                return -1;
            }
        }
        ks_cmdrec_free(st->single[ci]);
        st->single[ci] = r;
        return 0;
    }

    int k = check_index(cls->family);
    bool known = k >= 0 ? checks[k].known : false;
    struct ks_ns ns;
    int rc = ks_ns_parse(&ns, cls, argv + 1, argc - 1, known);
    c->ns = &ns;
    if (rc < 0) {
        cerr(c, "%s: %s", argv[0], ns.err ? ns.err : "invalid arguments");
        ks_ns_free(&ns);
        return -1;
    }
    for (size_t i = 0; i < ns.deprecated.n; i++)
        if (cwarn(c, "Ignoring deprecated option on line %d: The %s option has been deprecated and no longer has any effect. It may be removed from future releases, which will result in a fatal error from kickstart. Please modify your kickstart file to remove this option.", line, ns.deprecated.v[i]) < 0) {
            ks_ns_free(&ns);
            return -1;
        }
    /* nargs=1 positionals: the command keeps the one value (self.x = ns.x[0]) */
    for (int q = 0; q < cls->n_opts; q++) {
        const struct ks_optdef *od = &cls->opts[q];
        if (od->names[0] || od->nargs != N_LIST1)
            continue;
        struct ks_value *pv = ks_ns_get(&ns, od->dest);
        if (pv && pv->kind == KS_V_LIST) {
            char *first = pv->l.n ? xstrdup(pv->l.v[0]) : xstrdup("");
            ks_value_free(pv);
            pv->kind = KS_V_STR;
            pv->s = first;
        }
    }
    if (k >= 0 && checks[k].fn(c) < 0) {
        ks_ns_free(&ns);
        return -1;
    }
    struct ks_cmdrec *r = rec_from_ns(c, &ns);
    ks_ns_free(&ns);
    if (cls->multi) {
        rec_init_defaults(r, cls);
        st->data[ci] = xrealloc(st->data[ci], sizeof *st->data[ci] * (st->n_data[ci] + 1));
        st->data[ci][st->n_data[ci]++] = r;
    } else {
        struct ks_cmdrec *old = st->single[ci];
        if (old)
            ks_diag(st, KS_NOTICE, file, line,
                    "A %s command was specified more than once; the last one is used.", argv[0]);
        if (old) {
            /* set_to_self: values given as None keep the earlier ones */
            for (size_t i = 0; i < r->n; i++)
                if (r->vals[i].kind == KS_V_NONE && i < old->n)
                    ks_value_copy(&r->vals[i], &old->vals[i]);
            ks_cmdrec_free(old);
        }
        rec_init_defaults(r, cls);
        st->single[ci] = r;
    }
    return 0;
}

/* ------------------------------------------------------------------------ */
/* the typed model                                                          */

/* a string for the model: NULL when unset or empty */
static char *dupv(const struct ks_cmdrec *r, const char *d)
{
    const char *s = ks_rec_str(r, d);
    return s && *s ? xstrdup(s) : NULL;
}

static void copy_listv(strv_t *dst, const struct ks_cmdrec *r, const char *d)
{
    const struct ks_value *v = ks_rec_get(r, d);
    if (v && v->kind == KS_V_LIST)
        for (size_t i = 0; i < v->l.n; i++)
            strv_push(dst, v->l.v[i]);
}

static int clampi(long long v) { return v > INT_MAX ? INT_MAX : v < INT_MIN ? INT_MIN : (int)v; }

static void fill_model(struct kickstart *ks, struct ks_cmdrec *r)
{
    const char *f = r->family;
    if (strcmp(f, "Lang") == 0) {
        struct ks_lang *l = &ks->lang;
        ks_lang_clear(l);
        l->seen = true;
        ks_loc_set(&l->loc, r->loc.file, r->loc.line);
        l->lang = dupv(r, "lang");
        copy_listv(&l->addsupport, r, "addsupport");
    } else if (strcmp(f, "Timezone") == 0) {
        struct ks_timezone *t = &ks->timezone;
        ks_timezone_clear(t);
        t->seen = true;
        ks_loc_set(&t->loc, r->loc.file, r->loc.line);
        const struct ks_value *v = ks_rec_get(r, "timezone");
        if (v && v->kind == KS_V_LIST && v->l.n)
            t->timezone = xstrdup(v->l.v[0]);
        else if (v && v->kind == KS_V_STR)
            t->timezone = xstrdup(v->s);
        t->utc = ks_rec_bool(r, "isUtc");
        t->nontp = ks_rec_bool(r, "nontp");
        copy_listv(&t->ntpservers, r, "ntpservers");
    } else if (strcmp(f, "RootPw") == 0) {
        struct ks_rootpw *p = &ks->rootpw;
        ks_rootpw_clear(p);
        p->seen = true;
        ks_loc_set(&p->loc, r->loc.file, r->loc.line);
        const struct ks_value *v = ks_rec_get(r, "password");
        if (v && v->kind == KS_V_STR && *v->s)
            p->password = xstrdup(v->s);
        p->iscrypted = ks_rec_bool(r, "isCrypted");
        p->plaintext = !p->iscrypted && ks_rec_get(r, "isCrypted") &&
                       ks_rec_get(r, "isCrypted")->kind == KS_V_BOOL;
        p->lock = ks_rec_bool(r, "lock");
        p->allow_ssh = ks_rec_bool(r, "allow_ssh");
    } else if (strcmp(f, "Bootloader") == 0) {
        struct ks_bootloader *b = &ks->bootloader;
        ks_bootloader_clear(b);
        b->seen = true;
        ks_loc_set(&b->loc, r->loc.file, r->loc.line);
        b->append = dupv(r, "appendLine");
        b->location = dupv(r, "location");
        b->password = dupv(r, "password");
        b->boot_drive = dupv(r, "bootDrive");
        const struct ks_value *v = ks_rec_get(r, "timeout");
        b->timeout = v && v->kind == KS_V_INT ? clampi(v->i) : -1;
        b->iscrypted = ks_rec_bool(r, "isCrypted");
        if (b->password && !*b->password) {
            free(b->password);
            b->password = NULL;
        }
    } else if (strcmp(f, "Url") == 0) {
        struct ks_url *u = &ks->url;
        ks_url_clear(u);
        u->seen = true;
        ks_loc_set(&u->loc, r->loc.file, r->loc.line);
        u->url = dupv(r, "url");
        u->mirrorlist = dupv(r, "mirrorlist");
        u->metalink = dupv(r, "metalink");
        u->proxy = dupv(r, "proxy");
        u->sslcacert = dupv(r, "sslcacert");
        u->sslclientcert = dupv(r, "sslclientcert");
        u->sslclientkey = dupv(r, "sslclientkey");
        u->noverifyssl = ks_rec_bool(r, "noverifyssl");
    } else if (strcmp(f, "Repo") == 0) {
        ks->repos = xrealloc(ks->repos, sizeof *ks->repos * (ks->n_repos + 1));
        struct ks_repo *p = &ks->repos[ks->n_repos++];
        memset(p, 0, sizeof *p);
        ks_loc_set(&p->loc, r->loc.file, r->loc.line);
        p->name = dupv(r, "name");
        p->baseurl = dupv(r, "baseurl");
        p->mirrorlist = dupv(r, "mirrorlist");
        p->metalink = dupv(r, "metalink");
        p->proxy = dupv(r, "proxy");
        p->sslcacert = dupv(r, "sslcacert");
        p->sslclientcert = dupv(r, "sslclientcert");
        p->sslclientkey = dupv(r, "sslclientkey");
        const struct ks_value *v = ks_rec_get(r, "cost");
        p->cost = v && v->kind == KS_V_INT ? clampi(v->i) : -1;
        copy_listv(&p->excludepkgs, r, "excludepkgs");
        copy_listv(&p->includepkgs, r, "includepkgs");
        p->noverifyssl = ks_rec_bool(r, "noverifyssl");
        p->install = ks_rec_bool(r, "install");
        p->ignoregroups = ks_rec_bool(r, "ignoregroups");
    } else if (strcmp(f, "Partition") == 0) {
        ks->parts = xrealloc(ks->parts, sizeof *ks->parts * (ks->n_parts + 1));
        struct ks_part *p = &ks->parts[ks->n_parts++];
        memset(p, 0, sizeof *p);
        ks_loc_set(&p->loc, r->loc.file, r->loc.line);
        p->mntpoint = dupv(r, "mntpoint");
        const struct ks_value *v = ks_rec_get(r, "size");
        p->size = v && v->kind == KS_V_INT ? (long)v->i : -1;
        v = ks_rec_get(r, "maxSizeMB");
        p->maxsize = v && v->kind == KS_V_INT && v->i > 0 ? (long)v->i : -1;
        p->grow = ks_rec_bool(r, "grow");
        p->asprimary = ks_rec_bool(r, "primOnly");
        p->fstype = dupv(r, "fstype");
        p->label = dupv(r, "label");
        p->ondisk = dupv(r, "disk");
        p->fsoptions = dupv(r, "fsopts");
    } else if (strcmp(f, "ReqPart") == 0) {
        ks->reqpart.seen = true;
        ks_loc_set(&ks->reqpart.loc, r->loc.file, r->loc.line);
        ks->reqpart.add_boot = ks_rec_bool(r, "addBoot");
    } else if (strcmp(f, "ClearPart") == 0) {
        ks->clearpart.seen = true;
        ks_loc_set(&ks->clearpart.loc, r->loc.file, r->loc.line);
        free(ks->clearpart.disklabel);
        ks->clearpart.disklabel = dupv(r, "disklabel");
        if (ks->clearpart.disklabel && !*ks->clearpart.disklabel) {
            free(ks->clearpart.disklabel);
            ks->clearpart.disklabel = NULL;
        }
        long long t = ks_rec_int(r, "type", -1);
        const struct ks_value *dv = ks_rec_get(r, "devices");
        if (dv && ks_value_truthy(dv))
            t = 3;
        ks->clearpart.linux_ = t == 0;
        ks->clearpart.all = t == 1;
        ks->clearpart.none = t == 2;
        ks->clearpart.initlabel = ks_rec_bool(r, "initAll");
        strv_free(&ks->clearpart.drives);
        strv_free(&ks->clearpart.list);
        copy_listv(&ks->clearpart.drives, r, "drives");
        copy_listv(&ks->clearpart.list, r, "devices");
    } else if (strcmp(f, "ZeroMbr") == 0) {
        ks->zerombr.seen = true;
        ks_loc_set(&ks->zerombr.loc, r->loc.file, r->loc.line);
    } else {
        if (!strv_contains(&ks->ignored, r->name))
            strv_push(&ks->ignored, r->name);
    }
}

void ks_state_finish(struct ks_state *st)
{
    struct kickstart *ks = st->ks;
    for (size_t i = 0; i < ks_n_classes; i++) {
        if (st->single[i]) {
            fill_model(ks, st->single[i]);
            ks->cmds = xrealloc(ks->cmds, sizeof *ks->cmds * (ks->n_cmds + 1));
            ks->cmds[ks->n_cmds++] = st->single[i];
        }
        for (size_t j = 0; j < st->n_data[i]; j++) {
            fill_model(ks, st->data[i][j]);
            ks->cmds = xrealloc(ks->cmds, sizeof *ks->cmds * (ks->n_cmds + 1));
            ks->cmds[ks->n_cmds++] = st->data[i][j];
        }
        free(st->data[i]);
    }
    free(st->single);
    free(st->data);
    free(st->n_data);
    free(st->seen);
    st->seen = NULL;
    st->single = NULL;
    st->data = NULL;
    st->n_data = NULL;
}
