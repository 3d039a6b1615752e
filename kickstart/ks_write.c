/* ks_write.c - the kickstart writer in pykickstart's ksflatten format: the
 * version header, every command family in pykickstart's write order
 * (priority, then family name) with its comment line, option order,
 * spelling and quoting; scripts; kept sections; %packages; certificates.
 * Values follow Python's str() and truthiness. */
#define _GNU_SOURCE
#include "kickstart/ks_internal.h"
#include "core/base/strv.h"

#include <stdlib.h>
#include <string.h>

typedef const struct ks_cmdrec rec_t;

static const struct ks_value *gv(rec_t *r, const char *d) { return ks_rec_get(r, d); }
static bool B(rec_t *r, const char *d) { return r && ks_rec_bool(r, d); }
static bool NONE(rec_t *r, const char *d)
{
    const struct ks_value *v = gv(r, d);
    return !v || v->kind == KS_V_NONE;
}
static bool ISFALSE(rec_t *r, const char *d)  /* == False (not None) */
{
    const struct ks_value *v = gv(r, d);
    return v && (v->kind == KS_V_BOOL || v->kind == KS_V_INT) && v->i == 0;
}
static long long I(rec_t *r, const char *d) { return ks_rec_int(r, d, 0); }

/* Python str() of a value */
static void pystr(struct strbuf *b, const struct ks_value *v)
{
    if (!v) {
        strbuf_add(b, "None");
        return;
    }
    switch (v->kind) {
    case KS_V_NONE: strbuf_add(b, "None"); break;
    case KS_V_BOOL: strbuf_add(b, v->i ? "True" : "False"); break;
    case KS_V_INT: strbuf_printf(b, "%lld", v->i); break;
    case KS_V_FLOAT: {
        size_t at = b->n;
        strbuf_printf(b, "%.17g", v->f);
        if (!strpbrk(b->p + at, ".eninf"))
            strbuf_add(b, ".0");   /* Python's repr of a whole float */
        break;
    }
    case KS_V_STR: strbuf_add(b, v->s); break;
    case KS_V_LIST:
        strbuf_add(b, "[");
        for (size_t i = 0; i < v->l.n; i++)
            strbuf_printf(b, "%s'%s'", i ? ", " : "", v->l.v[i]);
        strbuf_add(b, "]");
        break;
    }
}

static void S(struct strbuf *b, rec_t *r, const char *d) { pystr(b, gv(r, d)); }

static void joinl(struct strbuf *b, rec_t *r, const char *d, const char *sep)
{
    const struct ks_value *v = gv(r, d);
    if (v && v->kind == KS_V_LIST) {
        for (size_t i = 0; i < v->l.n; i++) {
            if (i)
                strbuf_add(b, sep);
            strbuf_add(b, v->l.v[i]);
        }
    } else if (v && v->kind == KS_V_STR) {
        /* ",".join(str) joins its characters */
        for (const char *p = v->s; *p; p++) {
            if (p != v->s)
                strbuf_add(b, sep);
            strbuf_addn(b, p, 1);
        }
    }
}

/* " --opt=VALUE" if truthy; q: quoted with "" */
static void opt(struct strbuf *b, rec_t *r, const char *d, const char *name, bool q)
{
    if (!B(r, d))
        return;
    strbuf_printf(b, " %s=%s", name, q ? "\"" : "");
    S(b, r, d);
    if (q)
        strbuf_add(b, "\"");
}

static void flag(struct strbuf *b, rec_t *r, const char *d, const char *name)
{
    if (B(r, d))
        strbuf_printf(b, " %s", name);
}


/* Python's str.strip() / rstrip() on the builder */
static void rstrip(struct strbuf *b)
{
    while (b->n && strchr(" \t\n\r\v\f", b->p[b->n - 1]))
        b->p[--b->n] = 0;
}

static void strip(struct strbuf *b)
{
    rstrip(b);
    size_t k = 0;
    while (k < b->n && strchr(" \t\n\r\v\f", b->p[k]))
        k++;
    if (k) {
        memmove(b->p, b->p + k, b->n - k + 1);
        b->n -= k;
    }
}

/* ------------------------------------------------------------------------ */
/* single commands                                                          */

static void w_authselect(struct strbuf *o, rec_t *r)
{
    if (r && r->text && *r->text)
        strbuf_printf(o, "# System authorization information\nauthselect %s\n", r->text);
}

static void w_autopart(struct strbuf *o, rec_t *r)
{
    if (!r->seen)
        return;
    struct strbuf b = { 0 };
    strbuf_add(&b, "autopart");
    if (B(r, "encrypted")) {
        strbuf_add(&b, " --encrypted");
        opt(&b, r, "passphrase", "--passphrase", true);
    }
    if (B(r, "encrypted") && B(r, "escrowcert")) {
        opt(&b, r, "escrowcert", "--escrowcert", true);
        flag(&b, r, "backuppassphrase", "--backuppassphrase");
    }
    /* F16 --nolvm: lvm attribute is True after F17 parse unless --nolvm */
    if (ISFALSE(r, "lvm"))
        strbuf_add(&b, " --nolvm");
    const struct ks_value *t = gv(r, "type");
    if (t && t->kind == KS_V_INT) {
        static const char *names[] = { "plain", "btrfs", "lvm", "thinp" };
        /* F17 lvm = True after parse: --nolvm shows as --type=plain */
        if (t->i >= 0 && t->i <= 3)
            strbuf_printf(&b, " --type=%s", names[t->i]);
    }
    if (B(r, "encrypted"))
        opt(&b, r, "cipher", "--cipher", true);
    opt(&b, r, "fstype", "--fstype", false);
    flag(&b, r, "nohome", "--nohome");
    flag(&b, r, "noboot", "--noboot");
    flag(&b, r, "noswap", "--noswap");
    if (B(r, "encrypted")) {
        opt(&b, r, "luks_version", "--luks-version", false);
        opt(&b, r, "pbkdf", "--pbkdf", false);
        opt(&b, r, "pbkdf_memory", "--pbkdf-memory", false);
        opt(&b, r, "pbkdf_time", "--pbkdf-time", false);
        opt(&b, r, "pbkdf_iterations", "--pbkdf-iterations", false);
    }
    flag(&b, r, "hibernation", "--hibernation");
    if (B(r, "encrypted"))
        opt(&b, r, "hw_passphrase", "--hw-passphrase", true);
    strbuf_add(&b, "\n");
    strbuf_add(o, b.p);
    free(b.p);
}

static void w_bootc(struct strbuf *o, rec_t *r)
{
    if (!r->seen)
        return;
    strbuf_add(o, "# Bootc setup\nbootc ");
    struct strbuf b = { 0 };
    if (B(r, "stateroot")) { strbuf_add(&b, " --stateroot=\""); S(&b, r, "stateroot"); strbuf_add(&b, "\""); }
    if (B(r, "sourceImgRef")) { strbuf_add(&b, " --source-imgref=\""); S(&b, r, "sourceImgRef"); strbuf_add(&b, "\""); }
    const char *t = ks_rec_str(r, "targetImgRef");
    if (!t || !*t)
        t = ks_rec_str(r, "sourceImgRef");
    if (t && *t)
        strbuf_printf(&b, " --target-imgref=\"%s\"", t);
    strbuf_add(o, b.n ? b.p + 1 : "");
    free(b.p);
    if (B(r, "bootloader")) { strbuf_add(o, " --bootloader=\""); S(o, r, "bootloader"); strbuf_add(o, "\""); }
    flag(o, r, "composefs", "--composefs");
    strbuf_add(o, "\n");
}

static void w_bootloader(struct strbuf *o, rec_t *r)
{
    if (!B(r, "location"))
        return;
    strbuf_add(o, "# System bootloader configuration\nbootloader");
    if (B(r, "disabled")) {
        strbuf_add(o, " --disabled\n");
        return;
    }
    opt(o, r, "appendLine", "--append", true);
    opt(o, r, "location", "--location", false);
    opt(o, r, "password", "--password", true);
    opt(o, r, "md5pass", "--md5pass", true);
    flag(o, r, "upgrade", "--upgrade");
    const struct ks_value *d = gv(r, "driveorder");
    if (d && d->kind == KS_V_LIST && d->l.n) {
        strbuf_add(o, " --driveorder=\"");
        joinl(o, r, "driveorder", ",");
        strbuf_add(o, "\"");
    }
    if (!NONE(r, "timeout") && gv(r, "timeout")->kind == KS_V_INT)
        strbuf_printf(o, " --timeout=%lld", I(r, "timeout"));
    opt(o, r, "default", "--default", false);
    flag(o, r, "isCrypted", "--iscrypted");
    opt(o, r, "bootDrive", "--boot-drive", false);
    flag(o, r, "leavebootorder", "--leavebootorder");
    flag(o, r, "extlinux", "--extlinux");
    flag(o, r, "nombr", "--nombr");
    flag(o, r, "sdboot", "--sdboot");
    strbuf_add(o, "\n");
}

static void w_cdrom(struct strbuf *o, rec_t *r)
{
    if (r->seen)
        strbuf_add(o, "# Use CDROM installation media\ncdrom\n");
}

static void w_clearpart(struct strbuf *o, rec_t *r)
{
    
    const struct ks_value *t = gv(r, "type");
    const struct ks_value *dv = gv(r, "devices");
    bool devs = dv && ks_value_truthy(dv);
    long long type = t && t->kind == KS_V_INT ? t->i : -1;
    if (devs)
        type = 3;
    if (type < 0)
        return;
    strbuf_add(o, "# Partition clearing information\nclearpart");
    strbuf_add(o, type == 2 ? " --none" : type == 0 ? " --linux" : type == 1 ? " --all" : "");
    if (B(r, "initAll"))
        strbuf_add(o, " --initlabel");
    if (B(r, "drives")) {
        strbuf_add(o, " --drives=");
        joinl(o, r, "drives", ",");
    }
    if (devs) {
        strbuf_add(o, " --list=");
        joinl(o, r, "devices", ",");
    }
    opt(o, r, "disklabel", "--disklabel", false);
    flag(o, r, "cdl", "--cdl");
    strbuf_add(o, "\n");
}

static void w_displaymode(struct strbuf *o, rec_t *r)
{
    if (!r->seen)
        return;
    if (!strcmp(r->name, "cmdline"))
        strbuf_add(o, "cmdline");
    else if (!strcmp(r->name, "graphical"))
        strbuf_add(o, "# Use graphical install\ngraphical");
    else
        strbuf_add(o, "# Use text mode install\ntext");
    flag(o, r, "nonInteractive", "--non-interactive");
    strbuf_add(o, "\n");
}

static void w_eula(struct strbuf *o, rec_t *r)
{
    if (B(r, "agreed"))
        strbuf_add(o, "# License agreement\neula --agreed\n");
}

static void w_firewall(struct strbuf *o, rec_t *r)
{
    
    if (B(r, "use_system_defaults")) {
        strbuf_add(o, "# Firewall configuration\nfirewall --use-system-defaults\n");
        return;
    }
    if (NONE(r, "enabled"))
        return;
    if (!B(r, "enabled")) {
        strbuf_add(o, "# Firewall configuration\nfirewall --disabled\n");
        return;
    }
    struct strbuf b = { 0 }, ports = { 0 };
    const struct ks_value *p = gv(r, "ports");
    for (size_t i = 0; p && p->kind == KS_V_LIST && i < p->l.n; i++) {
        const char *x = p->l.v[i];
        if (!strcmp(x, "ssh:tcp")) strbuf_add(&b, " --ssh");
        else if (!strcmp(x, "telnet:tcp")) strbuf_add(&b, " --telnet");
        else if (!strcmp(x, "smtp:tcp")) strbuf_add(&b, " --smtp");
        else if (!strcmp(x, "http:tcp")) strbuf_add(&b, " --http");
        else if (!strcmp(x, "ftp:tcp")) strbuf_add(&b, " --ftp");
        else strbuf_printf(&ports, "%s%s", ports.n ? "," : "", x);
    }
    strbuf_add(o, "# Firewall configuration\nfirewall --enabled");
    if (b.p)
        strbuf_add(o, b.p);
    if (ports.n)
        strbuf_printf(o, " --port=%s", ports.p);
    if (B(r, "trusts")) {
        strbuf_add(o, " --trust=");
        joinl(o, r, "trusts", ",");
    }
    if (B(r, "services")) {
        strbuf_add(o, " --service=");
        joinl(o, r, "services", ",");
    }
    if (B(r, "remove_services")) {
        strbuf_add(o, " --remove-service=");
        joinl(o, r, "remove_services", ",");
    }
    strbuf_add(o, "\n");
    free(b.p);
    free(ports.p);
}

static void w_firstboot(struct strbuf *o, rec_t *r)
{
    const struct ks_value *v = gv(r, "firstboot");
    if (!r || !v || v->kind != KS_V_INT)
        return;
    if (v->i == 1)
        strbuf_add(o, "firstboot --disable\n");
    else if (v->i == 0)
        strbuf_add(o, "# Run the Setup Agent on first boot\nfirstboot --enable\n");
    else if (v->i == 2)
        strbuf_add(o, "# Run the Setup Agent on first boot\nfirstboot --reconfig\n");
}

static void w_reboot(struct strbuf *o, rec_t *r)
{
    if (!r->seen)
        return;
    const char *n = r->name;
    if (!strcmp(n, "reboot"))
        strbuf_add(o, "# Reboot after installation\nreboot");
    else if (!strcmp(n, "halt"))
        strbuf_add(o, "# Halt after installation\nhalt");
    else
        strbuf_add(o, "# Shutdown after installation\nshutdown");
    flag(o, r, "eject", "--eject");
    flag(o, r, "kexec", "--kexec");
    strbuf_add(o, "\n");
}

static void w_harddrive(struct strbuf *o, rec_t *r)
{
    if (!r->seen)
        return;
    strbuf_add(o, "# Use hard drive installation media\nharddrive --dir=\"");
    S(o, r, "dir");
    strbuf_add(o, "\" --partition=");
    S(o, r, "partition");
    strbuf_add(o, "\n");
}

static void w_hmc(struct strbuf *o, rec_t *r)
{
    if (r->seen)
        strbuf_add(o, "# Use installation media via SE/HMC\nhmc\n");
}

static void w_ignoredisk(struct strbuf *o, rec_t *r)
{
    
    if (B(r, "interactive")) {
        strbuf_add(o, "ignoredisk --interactive\n");
    } else if (B(r, "ignoredisk")) {
        strbuf_add(o, "ignoredisk --drives=");
        joinl(o, r, "ignoredisk", ",");
        strbuf_add(o, "\n");
    } else if (B(r, "onlyuse")) {
        strbuf_add(o, "ignoredisk --only-use=");
        joinl(o, r, "onlyuse", ",");
        strbuf_add(o, "\n");
    }
}

static void w_iscsiname(struct strbuf *o, rec_t *r)
{
    const struct ks_value *v = gv(r, "iqn");
    if (v && v->kind == KS_V_LIST && v->l.n && *v->l.v[0])
        strbuf_printf(o, "iscsiname %s\n", v->l.v[0]);
    else if (v && v->kind == KS_V_STR && *v->s)
        strbuf_printf(o, "iscsiname %s\n", v->s);
}

static void w_keyboard(struct strbuf *o, rec_t *r)
{
    
    const struct ks_value *k = gv(r, "kbd");
    const char *kbd = k && k->kind == KS_V_LIST && k->l.n ? k->l.v[0] : NULL;
    if (!kbd && !B(r, "x_layouts") && !B(r, "vc_keymap"))
        return;
    strbuf_add(o, "# Keyboard layouts\n");
    if (!B(r, "vc_keymap") && !B(r, "x_layouts")) {
        strbuf_printf(o, "keyboard '%s'\n", kbd);
        return;
    }
    if (kbd && *kbd)
        strbuf_printf(o, "# old format: keyboard %s\n# new format:\n", kbd);
    strbuf_add(o, "keyboard");
    opt(o, r, "vc_keymap", "--vckeymap", false);
    const struct ks_value *x = gv(r, "x_layouts");
    if (x && x->kind == KS_V_LIST && x->l.n) {
        strbuf_add(o, " --xlayouts=");
        for (size_t i = 0; i < x->l.n; i++)
            strbuf_printf(o, "%s'%s'", i ? "," : "", x->l.v[i]);
    }
    x = gv(r, "switch_options");
    if (x && x->kind == KS_V_LIST && x->l.n) {
        strbuf_add(o, " --switch=");
        for (size_t i = 0; i < x->l.n; i++)
            strbuf_printf(o, "%s'%s'", i ? "," : "", x->l.v[i]);
    }
    strbuf_add(o, "\n");
}

static void w_lang(struct strbuf *o, rec_t *r)
{
    const char *l = r ? ks_rec_str(r, "lang") : NULL;
    if (!l || !*l)
        return;
    strbuf_printf(o, "# System language\nlang %s", l);
    if (B(r, "addsupport")) {
        strbuf_add(o, " --addsupport=");
        joinl(o, r, "addsupport", ",");
    }
    strbuf_add(o, "\n");
}

static void w_liveimg(struct strbuf *o, rec_t *r)
{
    if (!r->seen)
        return;
    strbuf_add(o, "# Use live disk image installation\nliveimg --url=\"");
    S(o, r, "url");
    strbuf_add(o, "\"");
    opt(o, r, "proxy", "--proxy", true);
    flag(o, r, "noverifyssl", "--noverifyssl");
    opt(o, r, "checksum", "--checksum", true);
    strbuf_add(o, "\n");
}

static void w_logging(struct strbuf *o, rec_t *r)
{
    const char *cn = ks_classes[r->cls].name;
    if (!strncmp(cn, "FC6_", 4) || !strncmp(cn, "RHEL8_", 6)) {
        /* up to F33: the level is written, and a newline even when unused */
        if (r->seen && B(r, "level")) {
            strbuf_add(o, "# Installation logging level\nlogging --level=");
            S(o, r, "level");
            if (B(r, "host")) {
                opt(o, r, "host", "--host", false);
                opt(o, r, "port", "--port", false);
            }
        }
        strbuf_add(o, "\n");
        return;
    }
    if (B(r, "host")) {
        strbuf_add(o, "# Installation logging level\nlogging --host=");
        S(o, r, "host");
        opt(o, r, "port", "--port", false);
        strbuf_add(o, "\n");
    }
}

static void w_mediacheck(struct strbuf *o, rec_t *r)
{
    if (r->seen)
        strbuf_add(o, "mediacheck\n");
}

static void w_nfs(struct strbuf *o, rec_t *r)
{
    if (!r->seen)
        return;
    strbuf_add(o, "# Use NFS installation media\nnfs --server=");
    S(o, r, "server");
    strbuf_add(o, " --dir=\"");
    S(o, r, "dir");
    strbuf_add(o, "\"");
    opt(o, r, "opts", "--opts", true);
    strbuf_add(o, "\n");
}

static void w_ostreecontainer(struct strbuf *o, rec_t *r)
{
    if (!r->seen)
        return;
    struct strbuf b = { 0 };
    if (B(r, "stateroot")) { strbuf_add(&b, " --stateroot=\""); S(&b, r, "stateroot"); strbuf_add(&b, "\""); }
    if (B(r, "remote")) { strbuf_add(&b, " --remote=\""); S(&b, r, "remote"); strbuf_add(&b, "\""); }
    flag(&b, r, "noSignatureVerification", "--no-signature-verification");
    if (B(r, "transport")) { strbuf_add(&b, " --transport=\""); S(&b, r, "transport"); strbuf_add(&b, "\""); }
    if (B(r, "url")) { strbuf_add(&b, " --url=\""); S(&b, r, "url"); strbuf_add(&b, "\""); }
    strbuf_printf(o, "# OSTree container setup\nostreecontainer %s\n", b.n ? b.p + 1 : "");
    free(b.p);
}

static void w_ostreesetup(struct strbuf *o, rec_t *r)
{
    if (!r->seen || !B(r, "osname"))
        return;
    struct strbuf b = { 0 };
    if (B(r, "osname")) { strbuf_add(&b, " --osname=\""); S(&b, r, "osname"); strbuf_add(&b, "\""); }
    if (B(r, "remote")) { strbuf_add(&b, " --remote=\""); S(&b, r, "remote"); strbuf_add(&b, "\""); }
    if (B(r, "url")) { strbuf_add(&b, " --url=\""); S(&b, r, "url"); strbuf_add(&b, "\""); }
    if (B(r, "ref")) { strbuf_add(&b, " --ref=\""); S(&b, r, "ref"); strbuf_add(&b, "\""); }
    flag(&b, r, "nogpg", "--nogpg");
    strbuf_printf(o, "# OSTree setup\nostreesetup %s\n", b.n ? b.p + 1 : "");
    free(b.p);
}

static void w_rdp(struct strbuf *o, rec_t *r)
{
    if (!r->seen)
        return;
    strbuf_add(o, "rdp");
    opt(o, r, "username", "--username", false);
    opt(o, r, "password", "--password", false);
    strbuf_add(o, "\n");
}

static void w_reqpart(struct strbuf *o, rec_t *r)
{
    if (!r->seen)
        return;
    strbuf_add(o, "reqpart");
    flag(o, r, "addBoot", "--add-boot");
    strbuf_add(o, "\n");
}

static void w_rescue(struct strbuf *o, rec_t *r)
{
    if (!r->seen)
        return;
    strbuf_add(o, "# Start rescue mode\nrescue");
    flag(o, r, "nomount", "--nomount");
    flag(o, r, "romount", "--romount");
    strbuf_add(o, "\n");
}

static void w_rootpw(struct strbuf *o, rec_t *r)
{
    
    const char *pw = ks_rec_str(r, "password");
    if (pw && *pw) {
        strbuf_add(o, "# Root password\nrootpw");
        flag(o, r, "isCrypted", "--iscrypted");
        flag(o, r, "lock", "--lock");
        if (!B(r, "isCrypted"))
            strbuf_add(o, " --plaintext");
        flag(o, r, "allow_ssh", "--allow-ssh");
        if (strchr(pw, '#'))
            strbuf_printf(o, " \"%s\"\n", pw);
        else
            strbuf_printf(o, " %s\n", pw);
    } else if (B(r, "lock")) {
        strbuf_add(o, "#Root password\nrootpw --lock\n");
    }
}

static void w_selinux(struct strbuf *o, rec_t *r)
{
    const struct ks_value *v = gv(r, "selinux");
    if (!r || !v || v->kind != KS_V_INT)
        return;
    strbuf_add(o, "# SELinux configuration\n");
    if (v->i == 0) strbuf_add(o, "selinux --disabled\n");
    else if (v->i == 1) strbuf_add(o, "selinux --enforcing\n");
    else if (v->i == 2) strbuf_add(o, "selinux --permissive\n");
}

static void w_services(struct strbuf *o, rec_t *r)
{
    
    struct strbuf b = { 0 };
    if (B(r, "disabled")) { strbuf_add(&b, " --disabled=\""); joinl(&b, r, "disabled", ","); strbuf_add(&b, "\""); }
    if (B(r, "enabled")) { strbuf_add(&b, " --enabled=\""); joinl(&b, r, "enabled", ","); strbuf_add(&b, "\""); }
    if (b.n)
        strbuf_printf(o, "# System services\nservices%s\n", b.p);
    free(b.p);
}

static void w_skipx(struct strbuf *o, rec_t *r)
{
    if (r->seen)
        strbuf_add(o, "# Do not configure the X Window System\nskipx\n");
}

static void w_timezone(struct strbuf *o, rec_t *r)
{
    const char *cn = ks_classes[r->cls].name;
    bool old = !strncmp(cn, "F25_", 4);       /* RHEL8: --isUtc */
    bool r10 = !strncmp(cn, "RHEL10_", 7);    /* no NTP options */
    struct strbuf b = { 0 };
    const struct ks_value *t = gv(r, "timezone");
    if (t && t->kind == KS_V_LIST && t->l.n && *t->l.v[0])
        strbuf_printf(&b, " %s", t->l.v[0]);
    else if (t && t->kind == KS_V_STR && *t->s)
        strbuf_printf(&b, " %s", t->s);
    flag(&b, r, "isUtc", old ? "--isUtc" : "--utc");
    if (!r10) {
        flag(&b, r, "nontp", "--nontp");
        if (B(r, "ntpservers")) {
            strbuf_add(&b, " --ntpservers=");
            joinl(&b, r, "ntpservers", ",");
        }
    }
    if (b.n)
        strbuf_printf(o, "# System timezone\ntimezone%s\n", b.p);
    free(b.p);
}

static void w_updates(struct strbuf *o, rec_t *r)
{
    if (!strncmp(ks_classes[r->cls].name, "F7_", 3) && r->seen) {
        const struct ks_value *u = gv(r, "updates");
        if (!u || !ks_value_truthy(u)) {
            strbuf_add(o, "updates\n");
            return;
        }
        strbuf_add(o, "updates ");
        joinl(o, r, "updates", " ");
        strbuf_add(o, "\n");
        return;
    }
    const struct ks_value *v = gv(r, "url");
    const char *u = v && v->kind == KS_V_STR ? v->s : v && v->kind == KS_V_LIST && v->l.n ? v->l.v[0] : NULL;
    if (u && *u)
        strbuf_printf(o, "updates %s\n", u);
}

static void w_url(struct strbuf *o, rec_t *r)
{
    if (!r->seen)
        return;
    strbuf_add(o, "# Use network installation\n");
    if (B(r, "url")) { strbuf_add(o, "url --url=\""); S(o, r, "url"); strbuf_add(o, "\""); }
    else if (B(r, "mirrorlist")) { strbuf_add(o, "url --mirrorlist=\""); S(o, r, "mirrorlist"); strbuf_add(o, "\""); }
    else if (B(r, "metalink")) { strbuf_add(o, "url --metalink=\""); S(o, r, "metalink"); strbuf_add(o, "\""); }
    opt(o, r, "proxy", "--proxy", true);
    flag(o, r, "noverifyssl", "--noverifyssl");
    opt(o, r, "sslcacert", "--sslcacert", true);
    opt(o, r, "sslclientcert", "--sslclientcert", true);
    opt(o, r, "sslclientkey", "--sslclientkey", true);
    strbuf_add(o, "\n");
}

static void w_vnc(struct strbuf *o, rec_t *r)
{
    if (!r->seen)
        return;
    strbuf_add(o, "vnc");
    if (B(r, "host")) {
        opt(o, r, "host", "--host", false);
        opt(o, r, "port", "--port", false);
    }
    opt(o, r, "password", "--password", false);
    strbuf_add(o, "\n");
}

static void w_rhsm(struct strbuf *o, rec_t *r)
{
    if (!r->seen && !B(r, "organization") && !B(r, "activation_keys") && !B(r, "connect_to_insights") &&
        !B(r, "proxy") && !B(r, "server_hostname") && !B(r, "rhsm_baseurl"))
        return;
    strbuf_add(o, "# Red Hat Subscription Manager\nrhsm");
    if (B(r, "organization")) { strbuf_add(o, " --organization=\""); S(o, r, "organization"); strbuf_add(o, "\""); }
    const struct ks_value *k = gv(r, "activation_keys");
    for (size_t i = 0; k && k->kind == KS_V_LIST && i < k->l.n; i++)
        strbuf_printf(o, " --activation-key=\"%s\"", k->l.v[i]);
    flag(o, r, "connect_to_insights", "--connect-to-insights");
    opt(o, r, "proxy", "--proxy", true);
    opt(o, r, "server_hostname", "--server-hostname", true);
    opt(o, r, "rhsm_baseurl", "--rhsm-baseurl", true);
    opt(o, r, "flatpak_registry_url", "--flatpak-registry-url", true);
    strbuf_add(o, "\n");
}

static void w_syspurpose(struct strbuf *o, rec_t *r)
{
    if (!B(r, "role") && !B(r, "sla") && !B(r, "usage") && !B(r, "addons"))
        return;
    strbuf_add(o, "# Intended system purpose\nsyspurpose");
    opt(o, r, "role", "--role", true);
    opt(o, r, "sla", "--sla", true);
    opt(o, r, "usage", "--usage", true);
    const struct ks_value *a = gv(r, "addons");
    for (size_t i = 0; a && a->kind == KS_V_LIST && i < a->l.n; i++)
        strbuf_printf(o, " --addon=\"%s\"", a->l.v[i]);
    strbuf_add(o, "\n");
}

static void w_xconfig(struct strbuf *o, rec_t *r)
{
    
    struct strbuf b = { 0 };
    opt(&b, r, "driver", "--driver", false);
    opt(&b, r, "defaultdesktop", "--defaultdesktop", false);
    if (!NONE(r, "depth") && I(r, "depth") != 0)
        strbuf_printf(&b, " --depth=%lld", I(r, "depth"));
    opt(&b, r, "resolution", "--resolution", false);
    flag(&b, r, "startX", "--startxonboot");
    opt(&b, r, "videoRam", "--videoram", false);
    if (b.n)
        strbuf_printf(o, "# X Window System configuration information\nxconfig %s\n", b.p);
    free(b.p);
}

static void w_zerombr(struct strbuf *o, rec_t *r)
{
    if (r->seen)
        strbuf_add(o, "# Clear the Master Boot Record\nzerombr\n");
}

static void w_zipl(struct strbuf *o, rec_t *r)
{
    const struct ks_value *v = gv(r, "secure_boot");
    if (!v || v->kind != KS_V_INT || v->i == -1)
        return;
    strbuf_add(o, "# ZIPL configuration\nzipl");
    if (v->i == 2) strbuf_add(o, " --secure-boot");
    else if (v->i == 1) strbuf_add(o, " --force-secure-boot");
    else if (v->i == 0) strbuf_add(o, " --no-secure-boot");
    strbuf_add(o, "\n");
}

static void w_auth(struct strbuf *o, rec_t *r)
{
    if (r && r->text && *r->text)
        strbuf_printf(o, "# System authorization information\nauth %s\n", r->text);
}

static void shquote(struct strbuf *o, const char *s)
{
    bool safe = *s != 0;
    for (const char *p = s; *p && safe; p++)
        safe = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
               strchr("@%+=:,./-_", *p);
    if (safe) {
        strbuf_add(o, s);
        return;
    }
    strbuf_add(o, "'");
    for (const char *p = s; *p; p++) {
        if (*p == '\'')
            strbuf_add(o, "'\"'\"'");
        else
            strbuf_addn(o, p, 1);
    }
    strbuf_add(o, "'");
}

static void w_realm(struct strbuf *o, rec_t *r)
{
    if (!r || !r->text || !*r->text)
        return;
    strv_t a = { 0 };
    const char *err;
    if (ks_split(r->text, strlen(r->text), &a, &err) == 0 && a.n > 1) {
        strbuf_add(o, "# Realm or domain membership\nrealm join");
        for (size_t i = 1; i < a.n; i++) {
            strbuf_add(o, " ");
            shquote(o, a.v[i]);
        }
        strbuf_add(o, "\n");
    }
    strv_free(&a);
}

/* ------------------------------------------------------------------------ */
/* data commands: one line per record                                       */

static void d_network(struct strbuf *o, rec_t *r)
{
    strbuf_add(o, "network ");
    opt(o, r, "bootProto", "--bootproto", false);
    opt(o, r, "dhcpclass", "--dhcpclass", false);
    opt(o, r, "device", "--device", false);
    opt(o, r, "essid", "--essid", true);
    opt(o, r, "ethtool", "--ethtool", true);
    opt(o, r, "gateway", "--gateway", false);
    opt(o, r, "hostname", "--hostname", false);
    opt(o, r, "ip", "--ip", false);
    opt(o, r, "mtu", "--mtu", false);
    opt(o, r, "nameserver", "--nameserver", false);
    opt(o, r, "netmask", "--netmask", false);
    flag(o, r, "nodns", "--nodns");
    if (!NONE(r, "onboot") && !B(r, "onboot"))
        strbuf_add(o, " --onboot=off");
    opt(o, r, "wepkey", "--wepkey", false);
    flag(o, r, "notksdevice", "--notksdevice");
    flag(o, r, "noipv4", "--noipv4");
    flag(o, r, "noipv6", "--noipv6");
    opt(o, r, "ipv6", "--ipv6", false);
    flag(o, r, "activate", "--activate");
    flag(o, r, "nodefroute", "--nodefroute");
    opt(o, r, "wpakey", "--wpakey", false);
    opt(o, r, "bondslaves", "--bondslaves", false);
    opt(o, r, "bondopts", "--bondopts", false);
    opt(o, r, "vlanid", "--vlanid", false);
    opt(o, r, "ipv6gateway", "--ipv6gateway", false);
    if (B(r, "teamslaves")) {
        /* stored as the raw option text: slave'config',... */
        struct strbuf t = { 0 };
        S(&t, r, "teamslaves");
        strbuf_add(o, " --teamslaves=\"");
        for (const char *p = t.p; *p; p++) {
            if (*p == '"')
                strbuf_add(o, "\\");
            strbuf_addn(o, p, 1);
        }
        strbuf_add(o, "\"");
        free(t.p);
    }
    if (B(r, "teamconfig")) {
        struct strbuf t = { 0 };
        S(&t, r, "teamconfig");
        strbuf_add(o, " --teamconfig=\"");
        for (const char *p = t.p; *p; p++) {
            if (*p == '"')
                strbuf_add(o, "\\");
            strbuf_addn(o, p, 1);
        }
        strbuf_add(o, "\"");
        free(t.p);
    }
    opt(o, r, "interfacename", "--interfacename", false);
    opt(o, r, "bridgeslaves", "--bridgeslaves", false);
    opt(o, r, "bridgeopts", "--bridgeopts", false);
    if (ISFALSE(r, "activate"))
        strbuf_add(o, " --no-activate");
    const char *bt = ks_rec_str(r, "bindto");
    if (bt && !strcmp(bt, "mac"))
        strbuf_add(o, " --bindto=mac");
    opt(o, r, "ipv4_dns_search", "--ipv4-dns-search", false);
    opt(o, r, "ipv6_dns_search", "--ipv6-dns-search", false);
    flag(o, r, "ipv4_ignore_auto_dns", "--ipv4-ignore-auto-dns");
    flag(o, r, "ipv6_ignore_auto_dns", "--ipv6-ignore-auto-dns");
    strbuf_add(o, "\n");
}

static void d_part(struct strbuf *o, rec_t *r)
{
    strbuf_add(o, "part ");
    S(o, r, "mntpoint");
    flag(o, r, "active", "--active");
    flag(o, r, "primOnly", "--asprimary");
    if (!NONE(r, "end") && I(r, "end") != 0) { strbuf_add(o, " --end="); S(o, r, "end"); }
    opt(o, r, "fstype", "--fstype", true);
    flag(o, r, "grow", "--grow");
    if (I(r, "maxSizeMB") > 0)
        strbuf_printf(o, " --maxsize=%lld", I(r, "maxSizeMB"));
    if (ISFALSE(r, "format"))
        strbuf_add(o, " --noformat");
    opt(o, r, "onbiosdisk", "--onbiosdisk", false);
    opt(o, r, "disk", "--ondisk", false);
    opt(o, r, "onPart", "--onpart", false);
    flag(o, r, "recommended", "--recommended");
    if (B(r, "size")) { strbuf_add(o, " --size="); S(o, r, "size"); }
    if (!NONE(r, "start") && I(r, "start") != 0) { strbuf_add(o, " --start="); S(o, r, "start"); }
    if (!NONE(r, "bytesPerInode") && I(r, "bytesPerInode") != 0)
        strbuf_printf(o, " --bytes-per-inode=%lld", I(r, "bytesPerInode"));
    opt(o, r, "fsopts", "--fsoptions", true);
    opt(o, r, "label", "--label", true);
    opt(o, r, "fsprofile", "--fsprofile", true);
    if (B(r, "encrypted")) {
        strbuf_add(o, " --encrypted");
        opt(o, r, "passphrase", "--passphrase", true);
        if (B(r, "escrowcert")) {
            opt(o, r, "escrowcert", "--escrowcert", true);
            flag(o, r, "backuppassphrase", "--backuppassphrase");
        }
    }
    flag(o, r, "resize", "--resize");
    flag(o, r, "hibernation", "--hibernation");
    if (B(r, "encrypted"))
        opt(o, r, "cipher", "--cipher", true);
    opt(o, r, "mkfsopts", "--mkfsoptions", true);
    if (B(r, "encrypted")) {
        opt(o, r, "luks_version", "--luks-version", false);
        opt(o, r, "pbkdf", "--pbkdf", false);
        opt(o, r, "pbkdf_memory", "--pbkdf-memory", false);
        opt(o, r, "pbkdf_time", "--pbkdf-time", false);
        opt(o, r, "pbkdf_iterations", "--pbkdf-iterations", false);
        opt(o, r, "hw_passphrase", "--hw-passphrase", true);
    }
    strbuf_add(o, "\n");
}

static void d_logvol(struct strbuf *o, rec_t *r)
{
    strbuf_add(o, "logvol ");
    S(o, r, "mntpoint");
    opt(o, r, "fstype", "--fstype", true);
    flag(o, r, "grow", "--grow");
    if (B(r, "maxSizeMB")) strbuf_printf(o, " --maxsize=%lld", I(r, "maxSizeMB"));
    if (ISFALSE(r, "format")) strbuf_add(o, " --noformat");
    if (B(r, "percent")) strbuf_printf(o, " --percent=%lld", I(r, "percent"));
    flag(o, r, "recommended", "--recommended");
    if (B(r, "size")) strbuf_printf(o, " --size=%lld", I(r, "size"));
    flag(o, r, "preexist", "--useexisting");
    if (B(r, "bytesPerInode")) strbuf_printf(o, " --bytes-per-inode=%lld", I(r, "bytesPerInode"));
    opt(o, r, "fsopts", "--fsoptions", true);
    opt(o, r, "fsprofile", "--fsprofile", true);
    if (B(r, "encrypted")) {
        strbuf_add(o, " --encrypted");
        opt(o, r, "passphrase", "--passphrase", true);
        if (B(r, "escrowcert")) {
            opt(o, r, "escrowcert", "--escrowcert", true);
            flag(o, r, "backuppassphrase", "--backuppassphrase");
        }
    }
    opt(o, r, "label", "--label", true);
    flag(o, r, "resize", "--resize");
    flag(o, r, "hibernation", "--hibernation");
    if (B(r, "encrypted"))
        opt(o, r, "cipher", "--cipher", true);
    if (B(r, "thin_pool")) {
        strbuf_add(o, " --thinpool");
        if (B(r, "metadata_size")) strbuf_printf(o, " --metadatasize=%lld", I(r, "metadata_size"));
        if (B(r, "chunk_size")) strbuf_printf(o, " --chunksize=%lld", I(r, "chunk_size"));
    }
    if (B(r, "thin_volume")) {
        strbuf_add(o, " --thin --poolname=");
        S(o, r, "pool_name");
    }
    opt(o, r, "profile", "--profile", false);
    if (B(r, "cache_size")) strbuf_printf(o, " --cachesize=%lld", I(r, "cache_size"));
    if (B(r, "cache_pvs")) { strbuf_add(o, " --cachepvs="); joinl(o, r, "cache_pvs", ","); }
    opt(o, r, "cache_mode", "--cachemode", false);
    opt(o, r, "mkfsopts", "--mkfsoptions", true);
    if (B(r, "encrypted")) {
        opt(o, r, "luks_version", "--luks-version", false);
        opt(o, r, "pbkdf", "--pbkdf", false);
        opt(o, r, "pbkdf_memory", "--pbkdf-memory", false);
        opt(o, r, "pbkdf_time", "--pbkdf-time", false);
        opt(o, r, "pbkdf_iterations", "--pbkdf-iterations", false);
    }
    strbuf_add(o, " --name=");
    S(o, r, "name");
    strbuf_add(o, " --vgname=");
    S(o, r, "vgname");
    strbuf_add(o, "\n");
}

static void d_volgroup(struct strbuf *o, rec_t *r)
{
    struct strbuf b = { 0 };
    strbuf_add(&b, "volgroup ");
    S(&b, r, "vgname");
    if (ISFALSE(r, "format")) strbuf_add(&b, " --noformat");
    if (B(r, "pesize")) strbuf_printf(&b, " --pesize=%lld", I(r, "pesize"));
    flag(&b, r, "preexist", "--useexisting");
    if (B(r, "reserved_space")) strbuf_printf(&b, " --reserved-space=%lld", I(r, "reserved_space"));
    if (B(r, "reserved_percent")) strbuf_printf(&b, " --reserved-percent=%lld", I(r, "reserved_percent"));
    if (!B(r, "preexist")) {
        strbuf_add(&b, " ");
        joinl(&b, r, "physvols", " ");
    }
    strip(&b);
    strbuf_add(o, b.p);
    strbuf_add(o, "\n");
    free(b.p);
}

static void d_raid(struct strbuf *o, rec_t *r)
{
    struct strbuf b = { 0 };
    strbuf_add(&b, "raid ");
    S(&b, r, "mntpoint");
    const struct ks_value *dv = gv(r, "device");
    struct strbuf dev = { 0 };
    if (dv && dv->kind != KS_V_NONE)
        pystr(&dev, dv);
    else
        strbuf_add(&dev, "None");
    if (dev.n) strbuf_printf(&b, " --device=%s", dev.p);
    free(dev.p);
    opt(&b, r, "fstype", "--fstype", true);
    if (B(r, "level")) {
        const char *l = ks_rec_str(r, "level");
        strbuf_add(&b, " --level=");
        for (const char *p = l ? l : ""; *p; p++) {
            char c = *p >= 'a' && *p <= 'z' ? (char)(*p - 32) : *p;
            strbuf_addn(&b, &c, 1);
        }
    }
    if (ISFALSE(r, "format")) strbuf_add(&b, " --noformat");
    if (!NONE(r, "spares") && I(r, "spares") != 0) strbuf_printf(&b, " --spares=%lld", I(r, "spares"));
    flag(&b, r, "preexist", "--useexisting");
    opt(&b, r, "fsopts", "--fsoptions", true);
    if (!NONE(r, "bytesPerInode") && I(r, "bytesPerInode") != 0)
        strbuf_printf(&b, " --bytes-per-inode=%lld", I(r, "bytesPerInode"));
    opt(&b, r, "fsprofile", "--fsprofile", true);
    if (B(r, "encrypted")) {
        strbuf_add(&b, " --encrypted");
        opt(&b, r, "passphrase", "--passphrase", true);
        if (B(r, "escrowcert")) {
            opt(&b, r, "escrowcert", "--escrowcert", true);
            flag(&b, r, "backuppassphrase", "--backuppassphrase");
        }
    }
    opt(&b, r, "label", "--label", true);
    if (B(r, "encrypted"))
        opt(&b, r, "cipher", "--cipher", true);
    opt(&b, r, "mkfsopts", "--mkfsoptions", true);
    if (B(r, "chunk_size")) strbuf_printf(&b, " --chunksize=%lld", I(r, "chunk_size"));
    if (B(r, "encrypted")) {
        opt(&b, r, "luks_version", "--luks-version", false);
        opt(&b, r, "pbkdf", "--pbkdf", false);
        opt(&b, r, "pbkdf_memory", "--pbkdf-memory", false);
        opt(&b, r, "pbkdf_time", "--pbkdf-time", false);
        opt(&b, r, "pbkdf_iterations", "--pbkdf-iterations", false);
    }
    if (!B(r, "preexist")) {
        strbuf_add(&b, " ");
        joinl(&b, r, "partitions", " ");
    }
    strip(&b);
    strbuf_add(o, b.p);
    strbuf_add(o, "\n");
    free(b.p);
}

static void d_repo(struct strbuf *o, rec_t *r)
{
    strbuf_add(o, "repo --name=\"");
    S(o, r, "name");
    strbuf_add(o, "\" ");
    if (B(r, "baseurl")) { strbuf_add(o, "--baseurl="); S(o, r, "baseurl"); }
    else if (B(r, "mirrorlist")) { strbuf_add(o, "--mirrorlist="); S(o, r, "mirrorlist"); }
    opt(o, r, "cost", "--cost", false);
    if (B(r, "includepkgs")) { strbuf_add(o, " --includepkgs=\""); joinl(o, r, "includepkgs", ","); strbuf_add(o, "\""); }
    if (B(r, "excludepkgs")) { strbuf_add(o, " --excludepkgs=\""); joinl(o, r, "excludepkgs", ","); strbuf_add(o, "\""); }
    if (B(r, "ignoregroups")) strbuf_add(o, " --ignoregroups=true");
    opt(o, r, "proxy", "--proxy", true);
    flag(o, r, "noverifyssl", "--noverifyssl");
    flag(o, r, "install", "--install");
    opt(o, r, "metalink", "--metalink", false);
    opt(o, r, "sslcacert", "--sslcacert", true);
    opt(o, r, "sslclientcert", "--sslclientcert", true);
    opt(o, r, "sslclientkey", "--sslclientkey", true);
    strbuf_add(o, "\n");
}

static void d_user(struct strbuf *o, rec_t *r)
{
    struct strbuf b = { 0 };
    if (B(r, "groups")) { strbuf_add(&b, " --groups="); joinl(&b, r, "groups", ","); }
    opt(&b, r, "homedir", "--homedir", false);
    opt(&b, r, "name", "--name", false);
    if (B(r, "password")) {
        const char *pw = ks_rec_str(r, "password");
        if (pw && strchr(pw, '#'))
            strbuf_printf(&b, " --password=\"%s\"", pw);
        else {
            strbuf_add(&b, " --password=");
            S(&b, r, "password");
        }
    }
    flag(&b, r, "isCrypted", "--iscrypted");
    opt(&b, r, "shell", "--shell", false);
    opt(&b, r, "uid", "--uid", false);
    flag(&b, r, "lock", "--lock");
    opt(&b, r, "gecos", "--gecos", true);
    if (B(r, "gid")) strbuf_printf(&b, " --gid=%lld", I(r, "gid"));
    if (b.n)
        strbuf_printf(o, "user%s\n", b.p);
    free(b.p);
}

static void d_group(struct strbuf *o, rec_t *r)
{
    strbuf_add(o, "group");
    opt(o, r, "name", "--name", false);
    opt(o, r, "gid", "--gid", false);
    strbuf_add(o, "\n");
}

static void d_sshkey(struct strbuf *o, rec_t *r)
{
    strbuf_add(o, "sshkey --username=");
    S(o, r, "username");
    strbuf_add(o, " \"");
    const struct ks_value *k = gv(r, "sshkey");
    const char *key = k && k->kind == KS_V_LIST && k->l.n ? k->l.v[0] : k && k->kind == KS_V_STR ? k->s : "";
    for (const char *p = key; *p; p++) {
        if (*p == '"')
            strbuf_add(o, "\\");
        strbuf_addn(o, p, 1);
    }
    strbuf_add(o, "\"\n");
}

static void d_sshpw(struct strbuf *o, rec_t *r)
{
    strbuf_add(o, "sshpw --username=");
    S(o, r, "username");
    if (B(r, "sshkey")) {
        strbuf_add(o, " --sshkey");
    } else {
        flag(o, r, "lock", "--lock");
        strbuf_add(o, B(r, "isCrypted") ? " --iscrypted" : " --plaintext");
    }
    strbuf_add(o, " ");
    joinl(o, r, "password", " ");
    strbuf_add(o, "\n");
}

static void d_timesource(struct strbuf *o, rec_t *r)
{
    struct strbuf b = { 0 };
    opt(&b, r, "ntp_server", "--ntp-server", false);
    opt(&b, r, "ntp_pool", "--ntp-pool", false);
    flag(&b, r, "nts", "--nts");
    flag(&b, r, "ntp_disable", "--ntp-disable");
    if (b.n)
        strbuf_printf(o, "timesource%s\n", b.p);
    free(b.p);
}

static void d_btrfs(struct strbuf *o, rec_t *r)
{
    strbuf_add(o, "btrfs ");
    S(o, r, "mountpoint");
    if (ISFALSE(r, "format")) strbuf_add(o, " --noformat");
    flag(o, r, "preexist", "--useexisting");
    opt(o, r, "label", "--label", true);
    if (B(r, "dataLevel")) {
        strbuf_add(o, " --data=");
        for (const char *p = ks_rec_str(r, "dataLevel"); p && *p; p++) {
            char c = *p >= 'A' && *p <= 'Z' ? (char)(*p + 32) : *p;
            strbuf_addn(o, &c, 1);
        }
    }
    if (B(r, "metaDataLevel")) {
        strbuf_add(o, " --metadata=");
        for (const char *p = ks_rec_str(r, "metaDataLevel"); p && *p; p++) {
            char c = *p >= 'A' && *p <= 'Z' ? (char)(*p + 32) : *p;
            strbuf_addn(o, &c, 1);
        }
    }
    if (B(r, "subvol")) { strbuf_add(o, " --subvol --name="); S(o, r, "name"); }
    opt(o, r, "mkfsopts", "--mkfsoptions", true);
    strbuf_add(o, " ");
    joinl(o, r, "devices", " ");
    strbuf_add(o, "\n");
}

static void d_iscsi(struct strbuf *o, rec_t *r)
{
    strbuf_add(o, "iscsi");
    opt(o, r, "target", "--target", false);
    opt(o, r, "ipaddr", "--ipaddr", false);
    const struct ks_value *p = gv(r, "port");
    struct strbuf ps = { 0 };
    pystr(&ps, p);
    if (strcmp(ps.p, "3260") != 0)
        strbuf_printf(o, " --port=%s", ps.p);
    free(ps.p);
    opt(o, r, "user", "--user", false);
    opt(o, r, "password", "--password", false);
    opt(o, r, "user_in", "--reverse-user", false);
    opt(o, r, "password_in", "--reverse-password", false);
    opt(o, r, "iface", "--iface", false);
    strbuf_add(o, "\n");
}

static void d_mount(struct strbuf *o, rec_t *r)
{
    strbuf_add(o, "mount ");
    S(o, r, "device");
    strbuf_add(o, " ");
    S(o, r, "mntpoint");
    if (B(r, "reformat")) {
        strbuf_add(o, " --reformat");
        const struct ks_value *f = gv(r, "reformat");
        if (f && f->kind == KS_V_STR && *f->s)
            strbuf_printf(o, "=%s", f->s);
    }
    opt(o, r, "mkfs_opts", "--mkfsoptions", true);
    opt(o, r, "mount_opts", "--mountoptions", true);
    strbuf_add(o, "\n");
}

static void d_snapshot(struct strbuf *o, rec_t *r)
{
    struct strbuf b = { 0 };
    strbuf_add(&b, "snapshot ");
    joinl(&b, r, "origin", "");
    strbuf_add(&b, " --name=");
    S(&b, r, "name");
    strbuf_add(&b, " ");
    const char *w = ks_rec_str(r, "when");
    if (w && !strcmp(w, "post-install")) strbuf_add(&b, "--when=post-install");
    else if (w && !strcmp(w, "pre-install")) strbuf_add(&b, "--when=pre-install");
    strip(&b);
    strbuf_printf(o, "%s\n", b.p);
    free(b.p);
}

static void d_driverdisk(struct strbuf *o, rec_t *r)
{
    strbuf_add(o, "driverdisk ");
    const struct ks_value *p = gv(r, "partition");
    const char *part = p && p->kind == KS_V_LIST && p->l.n ? p->l.v[0] : p && p->kind == KS_V_STR ? p->s : NULL;
    if (part && *part) {
        strbuf_add(o, part);
        opt(o, r, "type", "--type", false);
    } else if (B(r, "source")) {
        strbuf_add(o, "--source=");
        S(o, r, "source");
    } else if (B(r, "biospart")) {
        strbuf_add(o, "--biospart=");
        S(o, r, "biospart");
    }
    strbuf_add(o, "\n");
}

static void d_fcoe(struct strbuf *o, rec_t *r)
{
    strbuf_add(o, "fcoe");
    opt(o, r, "nic", "--nic", false);
    flag(o, r, "dcb", "--dcb");
    flag(o, r, "autovlan", "--autovlan");
    strbuf_add(o, "\n");
}

static void d_zfcp(struct strbuf *o, rec_t *r)
{
    strbuf_add(o, "zfcp");
    opt(o, r, "devnum", "--devnum", false);
    opt(o, r, "wwpn", "--wwpn", false);
    opt(o, r, "fcplun", "--fcplun", false);
    opt(o, r, "scsiid", "--scsiid", false);
    opt(o, r, "scsilun", "--scsilun", false);
    strbuf_add(o, "\n");
}

static void d_nvdimm(struct strbuf *o, rec_t *r)
{
    struct strbuf b = { 0 };
    const char *a = ks_rec_str(r, "action");
    strbuf_add(&b, "nvdimm ");
    S(&b, r, "action");
    if (a && !strcmp(a, "reconfigure")) {
        opt(&b, r, "namespace", "--namespace", false);
        const char *m = ks_rec_str(r, "mode");
        if (m && !strcmp(m, "sector")) {
            strbuf_add(&b, " --mode=sector");
            if (B(r, "sectorsize"))
                strbuf_printf(&b, " --sectorsize=%lld", I(r, "sectorsize"));
        }
    } else if (a && !strcmp(a, "use")) {
        opt(&b, r, "namespace", "--namespace", false);
        if (B(r, "blockdevs")) {
            strbuf_add(&b, " --blockdevs=");
            joinl(&b, r, "blockdevs", ",");
        }
    }
    strip(&b);
    strbuf_printf(o, "%s\n", b.p);
    free(b.p);
}

static void d_module(struct strbuf *o, rec_t *r)
{
    strbuf_add(o, "module --name=");
    S(o, r, "name");
    opt(o, r, "stream", "--stream", false);
    if (ISFALSE(r, "enable"))
        strbuf_add(o, " --disable");
    strbuf_add(o, "\n");
}

/* unknown to the writer: every option that has a value, in table order */
static void d_generic(struct strbuf *o, rec_t *r)
{
    strbuf_add(o, r->name);
    const struct ks_cmdclass *c = &ks_classes[r->cls];
    for (int i = 0; i < c->n_opts; i++) {
        const struct ks_optdef *d = &c->opts[i];
        const struct ks_value *v = gv(r, d->dest);
        if (!v || !ks_value_truthy(v))
            continue;
        if (!d->names[0]) {
            strbuf_add(o, " ");
            if (v->kind == KS_V_LIST)
                joinl(o, r, d->dest, " ");
            else
                pystr(o, v);
        } else if (d->nargs == N_ZERO) {
            if (d->act == A_TRUE)
                strbuf_printf(o, " %s", d->names[0]);
        } else {
            strbuf_printf(o, " %s=", d->names[0]);
            if (v->kind == KS_V_LIST)
                joinl(o, r, d->dest, ",");
            else
                pystr(o, v);
        }
    }
    strbuf_add(o, "\n");
}

/* ------------------------------------------------------------------------ */
/* the table of writers                                                     */

typedef void (*single_fn)(struct strbuf *, rec_t *);
typedef void (*data_fn)(struct strbuf *, rec_t *);

static const struct {
    const char *family;
    single_fn single;
    data_fn data;
    const char *header;           /* data: written once before the records */
    const char *trailer;          /* data: written once after */
} writers[] = {
    { "Authselect", w_authselect, NULL, NULL, NULL },
    { "Authconfig", w_auth, NULL, NULL, NULL },
    { "AutoPart", w_autopart, NULL, NULL, NULL },
    { "Bootc", w_bootc, NULL, NULL, NULL },
    { "Bootloader", w_bootloader, NULL, NULL, NULL },
    { "BTRFS", NULL, d_btrfs, NULL, NULL },
    { "Cdrom", w_cdrom, NULL, NULL, NULL },
    { "ClearPart", w_clearpart, NULL, NULL, NULL },
    { "DisplayMode", w_displaymode, NULL, NULL, NULL },
    { "DriverDisk", NULL, d_driverdisk, NULL, NULL },
    { "Eula", w_eula, NULL, NULL, NULL },
    { "Fcoe", NULL, d_fcoe, NULL, NULL },
    { "Firewall", w_firewall, NULL, NULL, NULL },
    { "Firstboot", w_firstboot, NULL, NULL, NULL },
    { "Group", NULL, d_group, NULL, NULL },
    { "HardDrive", w_harddrive, NULL, NULL, NULL },
    { "Hmc", w_hmc, NULL, NULL, NULL },
    { "IgnoreDisk", w_ignoredisk, NULL, NULL, NULL },
    { "Iscsi", NULL, d_iscsi, NULL, NULL },
    { "IscsiName", w_iscsiname, NULL, NULL, NULL },
    { "Keyboard", w_keyboard, NULL, NULL, NULL },
    { "Lang", w_lang, NULL, NULL, NULL },
    { "Liveimg", w_liveimg, NULL, NULL, NULL },
    { "Logging", w_logging, NULL, NULL, NULL },
    { "LogVol", NULL, d_logvol, NULL, NULL },
    { "MediaCheck", w_mediacheck, NULL, NULL, NULL },
    { "Module", NULL, d_module, NULL, NULL },
    { "Mount", NULL, d_mount, "# Mount points configuration\n", "\n" },
    { "Network", NULL, d_network, "# Network information\n", NULL },
    { "NFS", w_nfs, NULL, NULL, NULL },
    { "Nvdimm", NULL, d_nvdimm, "# NVDIMM devices setup\n", "\n" },
    { "RHSM", w_rhsm, NULL, NULL, NULL },
    { "Syspurpose", w_syspurpose, NULL, NULL, NULL },
    { "OSTreeContainer", w_ostreecontainer, NULL, NULL, NULL },
    { "OSTreeSetup", w_ostreesetup, NULL, NULL, NULL },
    { "Partition", NULL, d_part, "# Disk partitioning information\n", NULL },
    { "Raid", NULL, d_raid, NULL, NULL },
    { "RDP", w_rdp, NULL, NULL, NULL },
    { "Realm", w_realm, NULL, NULL, NULL },
    { "Reboot", w_reboot, NULL, NULL, NULL },
    { "Repo", NULL, d_repo, NULL, NULL },
    { "ReqPart", w_reqpart, NULL, NULL, NULL },
    { "Rescue", w_rescue, NULL, NULL, NULL },
    { "RootPw", w_rootpw, NULL, NULL, NULL },
    { "SELinux", w_selinux, NULL, NULL, NULL },
    { "Services", w_services, NULL, NULL, NULL },
    { "SkipX", w_skipx, NULL, NULL, NULL },
    { "Snapshot", NULL, d_snapshot, NULL, NULL },
    { "SshKey", NULL, d_sshkey, NULL, NULL },
    { "SshPw", NULL, d_sshpw, NULL, NULL },
    { "Timesource", NULL, d_timesource, NULL, NULL },
    { "Timezone", w_timezone, NULL, NULL, NULL },
    { "Updates", w_updates, NULL, NULL, NULL },
    { "Url", w_url, NULL, NULL, NULL },
    { "User", NULL, d_user, NULL, NULL },
    { "Vnc", w_vnc, NULL, NULL, NULL },
    { "VolGroup", NULL, d_volgroup, NULL, NULL },
    { "XConfig", w_xconfig, NULL, NULL, NULL },
    { "ZeroMbr", w_zerombr, NULL, NULL, NULL },
    { "ZFCP", NULL, d_zfcp, NULL, NULL },
    { "Zipl", w_zipl, NULL, NULL, NULL },
};

static int writer_index(const char *family)
{
    for (size_t i = 0; i < sizeof writers / sizeof writers[0]; i++)
        if (!strcmp(writers[i].family, family))
            return (int)i;
    return -1;
}

/* an unused command: its attributes as initialised */
static struct ks_cmdrec *default_rec(int cls)
{
    const struct ks_cmdclass *c = &ks_classes[cls];
    struct ks_cmdrec *r = xcalloc(1, sizeof *r);
    r->name = xstrdup(c->family);
    r->family = c->family;
    r->cls = cls;
    r->dests = xcalloc((size_t)c->n_opts + 1, sizeof *r->dests);
    r->vals = xcalloc((size_t)c->n_opts + 1, sizeof *r->vals);
    for (int i = 0; i < c->n_opts; i++) {
        bool dup = false;
        for (size_t k = 0; k < r->n && !dup; k++)
            dup = !strcmp(r->dests[k], c->opts[i].dest);
        if (dup)
            continue;
        r->dests[r->n] = c->opts[i].dest;
        ks_value_decode(&r->vals[r->n], c->opts[i].init);
        r->n++;
    }
    return r;
}

struct fam { const char *family; int prio; int cls; };

static int fam_cmp(const void *a, const void *b)
{
    const struct fam *x = a, *y = b;
    if (x->prio != y->prio)
        return x->prio < y->prio ? -1 : 1;
    return strcmp(x->family, y->family);
}

void ks_write_commands(const struct kickstart *ks, struct strbuf *out)
{
    const struct ks_version *v = ks_version_get(ks->version);
    if (!v)
        return;
    /* the classes of this version, once per family */
    struct fam f[256];
    size_t nf = 0;
    for (const struct ks_cmdmap *m = v->map; m->name && nf < 256; m++) {
        const struct ks_cmdclass *c = &ks_classes[m->cls];
        if (c->prio < 0)
            continue;
        bool dup = false;
        for (size_t i = 0; i < nf && !dup; i++)
            dup = !strcmp(f[i].family, c->family);
        if (!dup)
            f[nf++] = (struct fam){ c->family, c->prio, m->cls };
    }
    qsort(f, nf, sizeof *f, fam_cmp);
    for (size_t i = 0; i < nf; i++) {
        int w = writer_index(f[i].family);
        const struct ks_cmdclass *c = &ks_classes[f[i].cls];
        if (c->kind != CK_NORMAL)
            continue;
        if (!c->multi) {
            rec_t *r = NULL;
            for (size_t k = 0; k < ks->n_cmds; k++)
                if (!strcmp(ks->cmds[k]->family, f[i].family) && !ks_classes[ks->cmds[k]->cls].multi)
                    r = ks->cmds[k];
            struct ks_cmdrec *dflt = NULL;
            if (!r)
                r = dflt = default_rec(f[i].cls);
            if (w >= 0 && writers[w].single)
                writers[w].single(out, r);
            else if (r->seen)
                d_generic(out, r);
            ks_cmdrec_free(dflt);
            continue;
        }
        struct strbuf body = { 0 };
        for (size_t k = 0; k < ks->n_cmds; k++) {
            rec_t *r = ks->cmds[k];
            if (strcmp(r->family, f[i].family) != 0)
                continue;
            if (w >= 0 && writers[w].data)
                writers[w].data(&body, r);
            else
                d_generic(&body, r);
        }
        if (body.n) {
            if (w >= 0 && writers[w].header)
                strbuf_add(out, writers[w].header);
            strbuf_add(out, body.p);
            if (w >= 0 && writers[w].trailer)
                strbuf_add(out, writers[w].trailer);
        }
        free(body.p);
    }
}

static const char *script_name(enum ks_script_type t)
{
    switch (t) {
    case KS_SCRIPT_PRE: return "%pre";
    case KS_SCRIPT_PRE_INSTALL: return "%pre-install";
    case KS_SCRIPT_POST: return "%post";
    case KS_SCRIPT_ONERROR: return "%onerror";
    default: return "%traceback";
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char *ks_flatten(const struct kickstart *ks)
{
    struct strbuf o = { 0 };
    strbuf_add(&o, "# Generated by kscreate ksflatten (pykickstart 3.74 format)\n");
    if (ks->platform && *ks->platform)
        strbuf_printf(&o, "#platform=%s\n", ks->platform);
    strbuf_printf(&o, "#version=%s\n", ks->version ? (ks->version_num == 45000 ? "DEVEL" : ks->version) : "DEVEL");
    ks_write_commands(ks, &o);
    for (size_t i = 0; i < ks->n_scripts; i++) {
        const struct ks_script *s = &ks->scripts[i];
        strbuf_printf(&o, "\n%s", script_name(s->type));
        if (s->interpreter && *s->interpreter && strcmp(s->interpreter, "/bin/sh") != 0)
            strbuf_printf(&o, " --interpreter=%s", s->interpreter);
        if (s->type == KS_SCRIPT_POST && s->nochroot)
            strbuf_add(&o, " --nochroot");
        if (s->log)
            strbuf_printf(&o, " --logfile=%s", s->log);
        if (s->erroronfail)
            strbuf_add(&o, " --erroronfail");
        const char *body = s->body ? s->body : "";
        size_t bl = strlen(body);
        if (bl && body[bl - 1] == '\n')
            strbuf_printf(&o, "\n%s%%end\n", body);
        else
            strbuf_printf(&o, "\n%s\n%%end\n", body);
    }
    if (ks->null_sections.n) {
        strbuf_add(&o, "\n");
        for (size_t i = 0; i < ks->null_sections.n; i++)
            strbuf_add(&o, ks->null_sections.v[i]);
    }
    const struct ks_packages *p = &ks->packages;
    struct strbuf h = { 0 }, body = { 0 };
    if (p->default_) strbuf_add(&h, " --default");
    if (p->excludedocs) strbuf_add(&h, " --excludedocs");
    if (p->nocore) strbuf_add(&h, " --nocore");
    if (p->ignoremissing) strbuf_add(&h, " --ignoremissing");
    if (p->ignorebroken) strbuf_add(&h, " --ignorebroken");
    bool old = ks->version_num < 32000;
    if (p->inst_langs) strbuf_printf(&h, " --%s=%s", old ? "instLangs" : "inst-langs", p->inst_langs);
    if (p->multilib) strbuf_add(&h, " --multilib");
    if (p->exclude_weakdeps) strbuf_add(&h, old ? " --excludeWeakdeps" : " --exclude-weakdeps");
    if (p->timeout >= 0) strbuf_printf(&h, " --timeout=%d", p->timeout);
    if (p->retries >= 0) strbuf_printf(&h, " --retries=%d", p->retries);
    for (size_t i = 0; i < p->n_groups; i++) {
        const struct ks_group *g = &p->groups[i];
        strbuf_printf(&body, "@%s%s%s\n", g->environment ? "^" : "", g->name,
                  g->include == KS_GROUP_ALL ? " --optional"
                  : g->include == KS_GROUP_REQUIRED ? " --nodefaults" : "");
    }
    char **names = xcalloc(p->names.n + 1, sizeof *names);
    if (p->names.n) {
        memcpy(names, p->names.v, p->names.n * sizeof *names);
        qsort(names, p->names.n, sizeof *names, cmp_str);
    }
    for (size_t i = 0; i < p->names.n; i++)
        strbuf_printf(&body, "%s\n", names[i]);
    free(names);
    for (size_t i = 0; i < p->n_excluded_groups; i++)
        strbuf_printf(&body, "-@%s\n", p->excluded_groups[i].name);
    names = xcalloc(p->excludes.n + 1, sizeof *names);
    if (p->excludes.n) {
        memcpy(names, p->excludes.v, p->excludes.n * sizeof *names);
        qsort(names, p->excludes.n, sizeof *names, cmp_str);
    }
    for (size_t i = 0; i < p->excludes.n; i++)
        strbuf_printf(&body, "-%s\n", names[i]);
    free(names);
    if (h.n || body.n || p->seen)
        strbuf_printf(&o, "\n%%packages%s\n%s\n%%end\n", h.p ? h.p : "", body.p ? body.p : "");
    free(h.p);
    free(body.p);
    for (size_t i = 0; i < ks->n_certs; i++) {
        const struct ks_cert *c = &ks->certs[i];
        if (!c->cert || !*c->cert)
            continue;
        strbuf_printf(&o, "\n%%certificate --filename=\"%s\"", c->filename ? c->filename : "None");
        if (c->type)
            strbuf_printf(&o, " --type=\"%s\"", c->type);
        if (c->dir)
            strbuf_printf(&o, " --dir=\"%s\"", c->dir);
        strbuf_printf(&o, "\n%s\n%%end\n", c->cert);
    }
    return o.p ? o.p : xstrdup("");
}

int ks_write(const struct kickstart *ks, FILE *out)
{
    char *s = ks_flatten(ks);
    fputs(s, out);
    free(s);
    fflush(out);
    return ferror(out) ? -1 : 0;
}
