/* ks_write.c - the kickstart writer in pykickstart's ksflatten format: the
 * version header, every command family in pykickstart's write order
 * (priority, then family name) with its comment line, option order,
 * spelling and quoting; scripts; kept sections; %packages; certificates.
 * Values follow Python's str() and truthiness. */
#define _GNU_SOURCE
#include "ks_internal.h"

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
static void pystr(struct sb *b, const struct ks_value *v)
{
    if (!v) {
        sb_add(b, "None");
        return;
    }
    switch (v->kind) {
    case KS_V_NONE: sb_add(b, "None"); break;
    case KS_V_BOOL: sb_add(b, v->i ? "True" : "False"); break;
    case KS_V_INT: sb_printf(b, "%lld", v->i); break;
    case KS_V_FLOAT: {
        char t[64];
        snprintf(t, sizeof t, "%.17g", v->f);
        if (!strpbrk(t, ".eninf"))
            strcat(t, ".0");
        sb_add(b, t);
        break;
    }
    case KS_V_STR: sb_add(b, v->s); break;
    case KS_V_LIST:
        sb_add(b, "[");
        for (size_t i = 0; i < v->l.n; i++)
            sb_printf(b, "%s'%s'", i ? ", " : "", v->l.v[i]);
        sb_add(b, "]");
        break;
    }
}

static void S(struct sb *b, rec_t *r, const char *d) { pystr(b, gv(r, d)); }

static void joinl(struct sb *b, rec_t *r, const char *d, const char *sep)
{
    const struct ks_value *v = gv(r, d);
    if (v && v->kind == KS_V_LIST) {
        for (size_t i = 0; i < v->l.n; i++) {
            if (i)
                sb_add(b, sep);
            sb_add(b, v->l.v[i]);
        }
    } else if (v && v->kind == KS_V_STR) {
        /* ",".join(str) joins its characters */
        for (const char *p = v->s; *p; p++) {
            if (p != v->s)
                sb_add(b, sep);
            sb_addn(b, p, 1);
        }
    }
}

/* " --opt=VALUE" if truthy; q: quoted with "" */
static void opt(struct sb *b, rec_t *r, const char *d, const char *name, bool q)
{
    if (!B(r, d))
        return;
    sb_printf(b, " %s=%s", name, q ? "\"" : "");
    S(b, r, d);
    if (q)
        sb_add(b, "\"");
}

static void flag(struct sb *b, rec_t *r, const char *d, const char *name)
{
    if (B(r, d))
        sb_printf(b, " %s", name);
}


/* Python's str.strip() / rstrip() on the builder */
static void rstrip(struct sb *b)
{
    while (b->n && strchr(" \t\n\r\v\f", b->p[b->n - 1]))
        b->p[--b->n] = 0;
}

static void strip(struct sb *b)
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

static void w_authselect(struct sb *o, rec_t *r)
{
    if (r && r->text && *r->text)
        sb_printf(o, "# System authorization information\nauthselect %s\n", r->text);
}

static void w_autopart(struct sb *o, rec_t *r)
{
    if (!r->seen)
        return;
    struct sb b = { 0 };
    sb_add(&b, "autopart");
    if (B(r, "encrypted")) {
        sb_add(&b, " --encrypted");
        opt(&b, r, "passphrase", "--passphrase", true);
    }
    if (B(r, "encrypted") && B(r, "escrowcert")) {
        opt(&b, r, "escrowcert", "--escrowcert", true);
        flag(&b, r, "backuppassphrase", "--backuppassphrase");
    }
    /* F16 --nolvm: lvm attribute is True after F17 parse unless --nolvm */
    if (ISFALSE(r, "lvm"))
        sb_add(&b, " --nolvm");
    const struct ks_value *t = gv(r, "type");
    if (t && t->kind == KS_V_INT) {
        static const char *names[] = { "plain", "btrfs", "lvm", "thinp" };
        /* F17 lvm = True after parse: --nolvm shows as --type=plain */
        if (t->i >= 0 && t->i <= 3)
            sb_printf(&b, " --type=%s", names[t->i]);
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
    sb_add(&b, "\n");
    sb_add(o, b.p);
    free(b.p);
}

static void w_bootc(struct sb *o, rec_t *r)
{
    if (!r->seen)
        return;
    sb_add(o, "# Bootc setup\nbootc ");
    struct sb b = { 0 };
    if (B(r, "stateroot")) { sb_add(&b, " --stateroot=\""); S(&b, r, "stateroot"); sb_add(&b, "\""); }
    if (B(r, "sourceImgRef")) { sb_add(&b, " --source-imgref=\""); S(&b, r, "sourceImgRef"); sb_add(&b, "\""); }
    const char *t = ks_rec_str(r, "targetImgRef");
    if (!t || !*t)
        t = ks_rec_str(r, "sourceImgRef");
    if (t && *t)
        sb_printf(&b, " --target-imgref=\"%s\"", t);
    sb_add(o, b.n ? b.p + 1 : "");
    free(b.p);
    if (B(r, "bootloader")) { sb_add(o, " --bootloader=\""); S(o, r, "bootloader"); sb_add(o, "\""); }
    flag(o, r, "composefs", "--composefs");
    sb_add(o, "\n");
}

static void w_bootloader(struct sb *o, rec_t *r)
{
    if (!B(r, "location"))
        return;
    sb_add(o, "# System bootloader configuration\nbootloader");
    if (B(r, "disabled")) {
        sb_add(o, " --disabled\n");
        return;
    }
    opt(o, r, "appendLine", "--append", true);
    opt(o, r, "location", "--location", false);
    opt(o, r, "password", "--password", true);
    opt(o, r, "md5pass", "--md5pass", true);
    flag(o, r, "upgrade", "--upgrade");
    const struct ks_value *d = gv(r, "driveorder");
    if (d && d->kind == KS_V_LIST && d->l.n) {
        sb_add(o, " --driveorder=\"");
        joinl(o, r, "driveorder", ",");
        sb_add(o, "\"");
    }
    if (!NONE(r, "timeout") && gv(r, "timeout")->kind == KS_V_INT)
        sb_printf(o, " --timeout=%lld", I(r, "timeout"));
    opt(o, r, "default", "--default", false);
    flag(o, r, "isCrypted", "--iscrypted");
    opt(o, r, "bootDrive", "--boot-drive", false);
    flag(o, r, "leavebootorder", "--leavebootorder");
    flag(o, r, "extlinux", "--extlinux");
    flag(o, r, "nombr", "--nombr");
    flag(o, r, "sdboot", "--sdboot");
    sb_add(o, "\n");
}

static void w_cdrom(struct sb *o, rec_t *r)
{
    if (r->seen)
        sb_add(o, "# Use CDROM installation media\ncdrom\n");
}

static void w_clearpart(struct sb *o, rec_t *r)
{
    
    const struct ks_value *t = gv(r, "type");
    const struct ks_value *dv = gv(r, "devices");
    bool devs = dv && ks_value_truthy(dv);
    long long type = t && t->kind == KS_V_INT ? t->i : -1;
    if (devs)
        type = 3;
    if (type < 0)
        return;
    sb_add(o, "# Partition clearing information\nclearpart");
    sb_add(o, type == 2 ? " --none" : type == 0 ? " --linux" : type == 1 ? " --all" : "");
    if (B(r, "initAll"))
        sb_add(o, " --initlabel");
    if (B(r, "drives")) {
        sb_add(o, " --drives=");
        joinl(o, r, "drives", ",");
    }
    if (devs) {
        sb_add(o, " --list=");
        joinl(o, r, "devices", ",");
    }
    opt(o, r, "disklabel", "--disklabel", false);
    flag(o, r, "cdl", "--cdl");
    sb_add(o, "\n");
}

static void w_displaymode(struct sb *o, rec_t *r)
{
    if (!r->seen)
        return;
    if (!strcmp(r->name, "cmdline"))
        sb_add(o, "cmdline");
    else if (!strcmp(r->name, "graphical"))
        sb_add(o, "# Use graphical install\ngraphical");
    else
        sb_add(o, "# Use text mode install\ntext");
    flag(o, r, "nonInteractive", "--non-interactive");
    sb_add(o, "\n");
}

static void w_eula(struct sb *o, rec_t *r)
{
    if (B(r, "agreed"))
        sb_add(o, "# License agreement\neula --agreed\n");
}

static void w_firewall(struct sb *o, rec_t *r)
{
    
    if (B(r, "use_system_defaults")) {
        sb_add(o, "# Firewall configuration\nfirewall --use-system-defaults\n");
        return;
    }
    if (NONE(r, "enabled"))
        return;
    if (!B(r, "enabled")) {
        sb_add(o, "# Firewall configuration\nfirewall --disabled\n");
        return;
    }
    struct sb b = { 0 }, ports = { 0 };
    const struct ks_value *p = gv(r, "ports");
    for (size_t i = 0; p && p->kind == KS_V_LIST && i < p->l.n; i++) {
        const char *x = p->l.v[i];
        if (!strcmp(x, "ssh:tcp")) sb_add(&b, " --ssh");
        else if (!strcmp(x, "telnet:tcp")) sb_add(&b, " --telnet");
        else if (!strcmp(x, "smtp:tcp")) sb_add(&b, " --smtp");
        else if (!strcmp(x, "http:tcp")) sb_add(&b, " --http");
        else if (!strcmp(x, "ftp:tcp")) sb_add(&b, " --ftp");
        else sb_printf(&ports, "%s%s", ports.n ? "," : "", x);
    }
    sb_add(o, "# Firewall configuration\nfirewall --enabled");
    if (b.p)
        sb_add(o, b.p);
    if (ports.n)
        sb_printf(o, " --port=%s", ports.p);
    if (B(r, "trusts")) {
        sb_add(o, " --trust=");
        joinl(o, r, "trusts", ",");
    }
    if (B(r, "services")) {
        sb_add(o, " --service=");
        joinl(o, r, "services", ",");
    }
    if (B(r, "remove_services")) {
        sb_add(o, " --remove-service=");
        joinl(o, r, "remove_services", ",");
    }
    sb_add(o, "\n");
    free(b.p);
    free(ports.p);
}

static void w_firstboot(struct sb *o, rec_t *r)
{
    const struct ks_value *v = gv(r, "firstboot");
    if (!r || !v || v->kind != KS_V_INT)
        return;
    if (v->i == 1)
        sb_add(o, "firstboot --disable\n");
    else if (v->i == 0)
        sb_add(o, "# Run the Setup Agent on first boot\nfirstboot --enable\n");
    else if (v->i == 2)
        sb_add(o, "# Run the Setup Agent on first boot\nfirstboot --reconfig\n");
}

static void w_reboot(struct sb *o, rec_t *r)
{
    if (!r->seen)
        return;
    const char *n = r->name;
    if (!strcmp(n, "reboot"))
        sb_add(o, "# Reboot after installation\nreboot");
    else if (!strcmp(n, "halt"))
        sb_add(o, "# Halt after installation\nhalt");
    else
        sb_add(o, "# Shutdown after installation\nshutdown");
    flag(o, r, "eject", "--eject");
    flag(o, r, "kexec", "--kexec");
    sb_add(o, "\n");
}

static void w_harddrive(struct sb *o, rec_t *r)
{
    if (!r->seen)
        return;
    sb_add(o, "# Use hard drive installation media\nharddrive --dir=\"");
    S(o, r, "dir");
    sb_add(o, "\" --partition=");
    S(o, r, "partition");
    sb_add(o, "\n");
}

static void w_hmc(struct sb *o, rec_t *r)
{
    if (r->seen)
        sb_add(o, "# Use installation media via SE/HMC\nhmc\n");
}

static void w_ignoredisk(struct sb *o, rec_t *r)
{
    
    if (B(r, "interactive")) {
        sb_add(o, "ignoredisk --interactive\n");
    } else if (B(r, "ignoredisk")) {
        sb_add(o, "ignoredisk --drives=");
        joinl(o, r, "ignoredisk", ",");
        sb_add(o, "\n");
    } else if (B(r, "onlyuse")) {
        sb_add(o, "ignoredisk --only-use=");
        joinl(o, r, "onlyuse", ",");
        sb_add(o, "\n");
    }
}

static void w_iscsiname(struct sb *o, rec_t *r)
{
    const struct ks_value *v = gv(r, "iqn");
    if (v && v->kind == KS_V_LIST && v->l.n && *v->l.v[0])
        sb_printf(o, "iscsiname %s\n", v->l.v[0]);
    else if (v && v->kind == KS_V_STR && *v->s)
        sb_printf(o, "iscsiname %s\n", v->s);
}

static void w_keyboard(struct sb *o, rec_t *r)
{
    
    const struct ks_value *k = gv(r, "kbd");
    const char *kbd = k && k->kind == KS_V_LIST && k->l.n ? k->l.v[0] : NULL;
    if (!kbd && !B(r, "x_layouts") && !B(r, "vc_keymap"))
        return;
    sb_add(o, "# Keyboard layouts\n");
    if (!B(r, "vc_keymap") && !B(r, "x_layouts")) {
        sb_printf(o, "keyboard '%s'\n", kbd);
        return;
    }
    if (kbd && *kbd)
        sb_printf(o, "# old format: keyboard %s\n# new format:\n", kbd);
    sb_add(o, "keyboard");
    opt(o, r, "vc_keymap", "--vckeymap", false);
    const struct ks_value *x = gv(r, "x_layouts");
    if (x && x->kind == KS_V_LIST && x->l.n) {
        sb_add(o, " --xlayouts=");
        for (size_t i = 0; i < x->l.n; i++)
            sb_printf(o, "%s'%s'", i ? "," : "", x->l.v[i]);
    }
    x = gv(r, "switch_options");
    if (x && x->kind == KS_V_LIST && x->l.n) {
        sb_add(o, " --switch=");
        for (size_t i = 0; i < x->l.n; i++)
            sb_printf(o, "%s'%s'", i ? "," : "", x->l.v[i]);
    }
    sb_add(o, "\n");
}

static void w_lang(struct sb *o, rec_t *r)
{
    const char *l = r ? ks_rec_str(r, "lang") : NULL;
    if (!l || !*l)
        return;
    sb_printf(o, "# System language\nlang %s", l);
    if (B(r, "addsupport")) {
        sb_add(o, " --addsupport=");
        joinl(o, r, "addsupport", ",");
    }
    sb_add(o, "\n");
}

static void w_liveimg(struct sb *o, rec_t *r)
{
    if (!r->seen)
        return;
    sb_add(o, "# Use live disk image installation\nliveimg --url=\"");
    S(o, r, "url");
    sb_add(o, "\"");
    opt(o, r, "proxy", "--proxy", true);
    flag(o, r, "noverifyssl", "--noverifyssl");
    opt(o, r, "checksum", "--checksum", true);
    sb_add(o, "\n");
}

static void w_logging(struct sb *o, rec_t *r)
{
    const char *cn = ks_classes[r->cls].name;
    if (!strncmp(cn, "FC6_", 4) || !strncmp(cn, "RHEL8_", 6)) {
        /* up to F33: the level is written, and a newline even when unused */
        if (r->seen && B(r, "level")) {
            sb_add(o, "# Installation logging level\nlogging --level=");
            S(o, r, "level");
            if (B(r, "host")) {
                opt(o, r, "host", "--host", false);
                opt(o, r, "port", "--port", false);
            }
        }
        sb_add(o, "\n");
        return;
    }
    if (B(r, "host")) {
        sb_add(o, "# Installation logging level\nlogging --host=");
        S(o, r, "host");
        opt(o, r, "port", "--port", false);
        sb_add(o, "\n");
    }
}

static void w_mediacheck(struct sb *o, rec_t *r)
{
    if (r->seen)
        sb_add(o, "mediacheck\n");
}

static void w_nfs(struct sb *o, rec_t *r)
{
    if (!r->seen)
        return;
    sb_add(o, "# Use NFS installation media\nnfs --server=");
    S(o, r, "server");
    sb_add(o, " --dir=\"");
    S(o, r, "dir");
    sb_add(o, "\"");
    opt(o, r, "opts", "--opts", true);
    sb_add(o, "\n");
}

static void w_ostreecontainer(struct sb *o, rec_t *r)
{
    if (!r->seen)
        return;
    struct sb b = { 0 };
    if (B(r, "stateroot")) { sb_add(&b, " --stateroot=\""); S(&b, r, "stateroot"); sb_add(&b, "\""); }
    if (B(r, "remote")) { sb_add(&b, " --remote=\""); S(&b, r, "remote"); sb_add(&b, "\""); }
    flag(&b, r, "noSignatureVerification", "--no-signature-verification");
    if (B(r, "transport")) { sb_add(&b, " --transport=\""); S(&b, r, "transport"); sb_add(&b, "\""); }
    if (B(r, "url")) { sb_add(&b, " --url=\""); S(&b, r, "url"); sb_add(&b, "\""); }
    sb_printf(o, "# OSTree container setup\nostreecontainer %s\n", b.n ? b.p + 1 : "");
    free(b.p);
}

static void w_ostreesetup(struct sb *o, rec_t *r)
{
    if (!r->seen || !B(r, "osname"))
        return;
    struct sb b = { 0 };
    if (B(r, "osname")) { sb_add(&b, " --osname=\""); S(&b, r, "osname"); sb_add(&b, "\""); }
    if (B(r, "remote")) { sb_add(&b, " --remote=\""); S(&b, r, "remote"); sb_add(&b, "\""); }
    if (B(r, "url")) { sb_add(&b, " --url=\""); S(&b, r, "url"); sb_add(&b, "\""); }
    if (B(r, "ref")) { sb_add(&b, " --ref=\""); S(&b, r, "ref"); sb_add(&b, "\""); }
    flag(&b, r, "nogpg", "--nogpg");
    sb_printf(o, "# OSTree setup\nostreesetup %s\n", b.n ? b.p + 1 : "");
    free(b.p);
}

static void w_rdp(struct sb *o, rec_t *r)
{
    if (!r->seen)
        return;
    sb_add(o, "rdp");
    opt(o, r, "username", "--username", false);
    opt(o, r, "password", "--password", false);
    sb_add(o, "\n");
}

static void w_reqpart(struct sb *o, rec_t *r)
{
    if (!r->seen)
        return;
    sb_add(o, "reqpart");
    flag(o, r, "addBoot", "--add-boot");
    sb_add(o, "\n");
}

static void w_rescue(struct sb *o, rec_t *r)
{
    if (!r->seen)
        return;
    sb_add(o, "# Start rescue mode\nrescue");
    flag(o, r, "nomount", "--nomount");
    flag(o, r, "romount", "--romount");
    sb_add(o, "\n");
}

static void w_rootpw(struct sb *o, rec_t *r)
{
    
    const char *pw = ks_rec_str(r, "password");
    if (pw && *pw) {
        sb_add(o, "# Root password\nrootpw");
        flag(o, r, "isCrypted", "--iscrypted");
        flag(o, r, "lock", "--lock");
        if (!B(r, "isCrypted"))
            sb_add(o, " --plaintext");
        flag(o, r, "allow_ssh", "--allow-ssh");
        if (strchr(pw, '#'))
            sb_printf(o, " \"%s\"\n", pw);
        else
            sb_printf(o, " %s\n", pw);
    } else if (B(r, "lock")) {
        sb_add(o, "#Root password\nrootpw --lock\n");
    }
}

static void w_selinux(struct sb *o, rec_t *r)
{
    const struct ks_value *v = gv(r, "selinux");
    if (!r || !v || v->kind != KS_V_INT)
        return;
    sb_add(o, "# SELinux configuration\n");
    if (v->i == 0) sb_add(o, "selinux --disabled\n");
    else if (v->i == 1) sb_add(o, "selinux --enforcing\n");
    else if (v->i == 2) sb_add(o, "selinux --permissive\n");
}

static void w_services(struct sb *o, rec_t *r)
{
    
    struct sb b = { 0 };
    if (B(r, "disabled")) { sb_add(&b, " --disabled=\""); joinl(&b, r, "disabled", ","); sb_add(&b, "\""); }
    if (B(r, "enabled")) { sb_add(&b, " --enabled=\""); joinl(&b, r, "enabled", ","); sb_add(&b, "\""); }
    if (b.n)
        sb_printf(o, "# System services\nservices%s\n", b.p);
    free(b.p);
}

static void w_skipx(struct sb *o, rec_t *r)
{
    if (r->seen)
        sb_add(o, "# Do not configure the X Window System\nskipx\n");
}

static void w_timezone(struct sb *o, rec_t *r)
{
    const char *cn = ks_classes[r->cls].name;
    bool old = !strncmp(cn, "F25_", 4);       /* RHEL8: --isUtc */
    bool r10 = !strncmp(cn, "RHEL10_", 7);    /* no NTP options */
    struct sb b = { 0 };
    const struct ks_value *t = gv(r, "timezone");
    if (t && t->kind == KS_V_LIST && t->l.n && *t->l.v[0])
        sb_printf(&b, " %s", t->l.v[0]);
    else if (t && t->kind == KS_V_STR && *t->s)
        sb_printf(&b, " %s", t->s);
    flag(&b, r, "isUtc", old ? "--isUtc" : "--utc");
    if (!r10) {
        flag(&b, r, "nontp", "--nontp");
        if (B(r, "ntpservers")) {
            sb_add(&b, " --ntpservers=");
            joinl(&b, r, "ntpservers", ",");
        }
    }
    if (b.n)
        sb_printf(o, "# System timezone\ntimezone%s\n", b.p);
    free(b.p);
}

static void w_updates(struct sb *o, rec_t *r)
{
    if (!strncmp(ks_classes[r->cls].name, "F7_", 3) && r->seen) {
        const struct ks_value *u = gv(r, "updates");
        if (!u || !ks_value_truthy(u)) {
            sb_add(o, "updates\n");
            return;
        }
        sb_add(o, "updates ");
        joinl(o, r, "updates", " ");
        sb_add(o, "\n");
        return;
    }
    const struct ks_value *v = gv(r, "url");
    const char *u = v && v->kind == KS_V_STR ? v->s : v && v->kind == KS_V_LIST && v->l.n ? v->l.v[0] : NULL;
    if (u && *u)
        sb_printf(o, "updates %s\n", u);
}

static void w_url(struct sb *o, rec_t *r)
{
    if (!r->seen)
        return;
    sb_add(o, "# Use network installation\n");
    if (B(r, "url")) { sb_add(o, "url --url=\""); S(o, r, "url"); sb_add(o, "\""); }
    else if (B(r, "mirrorlist")) { sb_add(o, "url --mirrorlist=\""); S(o, r, "mirrorlist"); sb_add(o, "\""); }
    else if (B(r, "metalink")) { sb_add(o, "url --metalink=\""); S(o, r, "metalink"); sb_add(o, "\""); }
    opt(o, r, "proxy", "--proxy", true);
    flag(o, r, "noverifyssl", "--noverifyssl");
    opt(o, r, "sslcacert", "--sslcacert", true);
    opt(o, r, "sslclientcert", "--sslclientcert", true);
    opt(o, r, "sslclientkey", "--sslclientkey", true);
    sb_add(o, "\n");
}

static void w_vnc(struct sb *o, rec_t *r)
{
    if (!r->seen)
        return;
    sb_add(o, "vnc");
    if (B(r, "host")) {
        opt(o, r, "host", "--host", false);
        opt(o, r, "port", "--port", false);
    }
    opt(o, r, "password", "--password", false);
    sb_add(o, "\n");
}

static void w_rhsm(struct sb *o, rec_t *r)
{
    if (!r->seen && !B(r, "organization") && !B(r, "activation_keys") && !B(r, "connect_to_insights") &&
        !B(r, "proxy") && !B(r, "server_hostname") && !B(r, "rhsm_baseurl"))
        return;
    sb_add(o, "# Red Hat Subscription Manager\nrhsm");
    if (B(r, "organization")) { sb_add(o, " --organization=\""); S(o, r, "organization"); sb_add(o, "\""); }
    const struct ks_value *k = gv(r, "activation_keys");
    for (size_t i = 0; k && k->kind == KS_V_LIST && i < k->l.n; i++)
        sb_printf(o, " --activation-key=\"%s\"", k->l.v[i]);
    flag(o, r, "connect_to_insights", "--connect-to-insights");
    opt(o, r, "proxy", "--proxy", true);
    opt(o, r, "server_hostname", "--server-hostname", true);
    opt(o, r, "rhsm_baseurl", "--rhsm-baseurl", true);
    opt(o, r, "flatpak_registry_url", "--flatpak-registry-url", true);
    sb_add(o, "\n");
}

static void w_syspurpose(struct sb *o, rec_t *r)
{
    if (!B(r, "role") && !B(r, "sla") && !B(r, "usage") && !B(r, "addons"))
        return;
    sb_add(o, "# Intended system purpose\nsyspurpose");
    opt(o, r, "role", "--role", true);
    opt(o, r, "sla", "--sla", true);
    opt(o, r, "usage", "--usage", true);
    const struct ks_value *a = gv(r, "addons");
    for (size_t i = 0; a && a->kind == KS_V_LIST && i < a->l.n; i++)
        sb_printf(o, " --addon=\"%s\"", a->l.v[i]);
    sb_add(o, "\n");
}

static void w_xconfig(struct sb *o, rec_t *r)
{
    
    struct sb b = { 0 };
    opt(&b, r, "driver", "--driver", false);
    opt(&b, r, "defaultdesktop", "--defaultdesktop", false);
    if (!NONE(r, "depth") && I(r, "depth") != 0)
        sb_printf(&b, " --depth=%lld", I(r, "depth"));
    opt(&b, r, "resolution", "--resolution", false);
    flag(&b, r, "startX", "--startxonboot");
    opt(&b, r, "videoRam", "--videoram", false);
    if (b.n)
        sb_printf(o, "# X Window System configuration information\nxconfig %s\n", b.p);
    free(b.p);
}

static void w_zerombr(struct sb *o, rec_t *r)
{
    if (r->seen)
        sb_add(o, "# Clear the Master Boot Record\nzerombr\n");
}

static void w_zipl(struct sb *o, rec_t *r)
{
    const struct ks_value *v = gv(r, "secure_boot");
    if (!v || v->kind != KS_V_INT || v->i == -1)
        return;
    sb_add(o, "# ZIPL configuration\nzipl");
    if (v->i == 2) sb_add(o, " --secure-boot");
    else if (v->i == 1) sb_add(o, " --force-secure-boot");
    else if (v->i == 0) sb_add(o, " --no-secure-boot");
    sb_add(o, "\n");
}

static void w_auth(struct sb *o, rec_t *r)
{
    if (r && r->text && *r->text)
        sb_printf(o, "# System authorization information\nauth %s\n", r->text);
}

static void shquote(struct sb *o, const char *s)
{
    bool safe = *s != 0;
    for (const char *p = s; *p && safe; p++)
        safe = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
               strchr("@%+=:,./-_", *p);
    if (safe) {
        sb_add(o, s);
        return;
    }
    sb_add(o, "'");
    for (const char *p = s; *p; p++) {
        if (*p == '\'')
            sb_add(o, "'\"'\"'");
        else
            sb_addn(o, p, 1);
    }
    sb_add(o, "'");
}

static void w_realm(struct sb *o, rec_t *r)
{
    if (!r || !r->text || !*r->text)
        return;
    strv_t a = { 0 };
    const char *err;
    if (ks_split(r->text, strlen(r->text), &a, &err) == 0 && a.n > 1) {
        sb_add(o, "# Realm or domain membership\nrealm join");
        for (size_t i = 1; i < a.n; i++) {
            sb_add(o, " ");
            shquote(o, a.v[i]);
        }
        sb_add(o, "\n");
    }
    strv_free(&a);
}

/* ------------------------------------------------------------------------ */
/* data commands: one line per record                                       */

static void d_network(struct sb *o, rec_t *r)
{
    sb_add(o, "network ");
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
        sb_add(o, " --onboot=off");
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
        struct sb t = { 0 };
        S(&t, r, "teamslaves");
        sb_add(o, " --teamslaves=\"");
        for (const char *p = t.p; *p; p++) {
            if (*p == '"')
                sb_add(o, "\\");
            sb_addn(o, p, 1);
        }
        sb_add(o, "\"");
        free(t.p);
    }
    if (B(r, "teamconfig")) {
        struct sb t = { 0 };
        S(&t, r, "teamconfig");
        sb_add(o, " --teamconfig=\"");
        for (const char *p = t.p; *p; p++) {
            if (*p == '"')
                sb_add(o, "\\");
            sb_addn(o, p, 1);
        }
        sb_add(o, "\"");
        free(t.p);
    }
    opt(o, r, "interfacename", "--interfacename", false);
    opt(o, r, "bridgeslaves", "--bridgeslaves", false);
    opt(o, r, "bridgeopts", "--bridgeopts", false);
    if (ISFALSE(r, "activate"))
        sb_add(o, " --no-activate");
    const char *bt = ks_rec_str(r, "bindto");
    if (bt && !strcmp(bt, "mac"))
        sb_add(o, " --bindto=mac");
    opt(o, r, "ipv4_dns_search", "--ipv4-dns-search", false);
    opt(o, r, "ipv6_dns_search", "--ipv6-dns-search", false);
    flag(o, r, "ipv4_ignore_auto_dns", "--ipv4-ignore-auto-dns");
    flag(o, r, "ipv6_ignore_auto_dns", "--ipv6-ignore-auto-dns");
    sb_add(o, "\n");
}

static void d_part(struct sb *o, rec_t *r)
{
    sb_add(o, "part ");
    S(o, r, "mntpoint");
    flag(o, r, "active", "--active");
    flag(o, r, "primOnly", "--asprimary");
    if (!NONE(r, "end") && I(r, "end") != 0) { sb_add(o, " --end="); S(o, r, "end"); }
    opt(o, r, "fstype", "--fstype", true);
    flag(o, r, "grow", "--grow");
    if (I(r, "maxSizeMB") > 0)
        sb_printf(o, " --maxsize=%lld", I(r, "maxSizeMB"));
    if (ISFALSE(r, "format"))
        sb_add(o, " --noformat");
    opt(o, r, "onbiosdisk", "--onbiosdisk", false);
    opt(o, r, "disk", "--ondisk", false);
    opt(o, r, "onPart", "--onpart", false);
    flag(o, r, "recommended", "--recommended");
    if (B(r, "size")) { sb_add(o, " --size="); S(o, r, "size"); }
    if (!NONE(r, "start") && I(r, "start") != 0) { sb_add(o, " --start="); S(o, r, "start"); }
    if (!NONE(r, "bytesPerInode") && I(r, "bytesPerInode") != 0)
        sb_printf(o, " --bytes-per-inode=%lld", I(r, "bytesPerInode"));
    opt(o, r, "fsopts", "--fsoptions", true);
    opt(o, r, "label", "--label", true);
    opt(o, r, "fsprofile", "--fsprofile", true);
    if (B(r, "encrypted")) {
        sb_add(o, " --encrypted");
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
    sb_add(o, "\n");
}

static void d_logvol(struct sb *o, rec_t *r)
{
    sb_add(o, "logvol ");
    S(o, r, "mntpoint");
    opt(o, r, "fstype", "--fstype", true);
    flag(o, r, "grow", "--grow");
    if (B(r, "maxSizeMB")) sb_printf(o, " --maxsize=%lld", I(r, "maxSizeMB"));
    if (ISFALSE(r, "format")) sb_add(o, " --noformat");
    if (B(r, "percent")) sb_printf(o, " --percent=%lld", I(r, "percent"));
    flag(o, r, "recommended", "--recommended");
    if (B(r, "size")) sb_printf(o, " --size=%lld", I(r, "size"));
    flag(o, r, "preexist", "--useexisting");
    if (B(r, "bytesPerInode")) sb_printf(o, " --bytes-per-inode=%lld", I(r, "bytesPerInode"));
    opt(o, r, "fsopts", "--fsoptions", true);
    opt(o, r, "fsprofile", "--fsprofile", true);
    if (B(r, "encrypted")) {
        sb_add(o, " --encrypted");
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
        sb_add(o, " --thinpool");
        if (B(r, "metadata_size")) sb_printf(o, " --metadatasize=%lld", I(r, "metadata_size"));
        if (B(r, "chunk_size")) sb_printf(o, " --chunksize=%lld", I(r, "chunk_size"));
    }
    if (B(r, "thin_volume")) {
        sb_add(o, " --thin --poolname=");
        S(o, r, "pool_name");
    }
    opt(o, r, "profile", "--profile", false);
    if (B(r, "cache_size")) sb_printf(o, " --cachesize=%lld", I(r, "cache_size"));
    if (B(r, "cache_pvs")) { sb_add(o, " --cachepvs="); joinl(o, r, "cache_pvs", ","); }
    opt(o, r, "cache_mode", "--cachemode", false);
    opt(o, r, "mkfsopts", "--mkfsoptions", true);
    if (B(r, "encrypted")) {
        opt(o, r, "luks_version", "--luks-version", false);
        opt(o, r, "pbkdf", "--pbkdf", false);
        opt(o, r, "pbkdf_memory", "--pbkdf-memory", false);
        opt(o, r, "pbkdf_time", "--pbkdf-time", false);
        opt(o, r, "pbkdf_iterations", "--pbkdf-iterations", false);
    }
    sb_add(o, " --name=");
    S(o, r, "name");
    sb_add(o, " --vgname=");
    S(o, r, "vgname");
    sb_add(o, "\n");
}

static void d_volgroup(struct sb *o, rec_t *r)
{
    struct sb b = { 0 };
    sb_add(&b, "volgroup ");
    S(&b, r, "vgname");
    if (ISFALSE(r, "format")) sb_add(&b, " --noformat");
    if (B(r, "pesize")) sb_printf(&b, " --pesize=%lld", I(r, "pesize"));
    flag(&b, r, "preexist", "--useexisting");
    if (B(r, "reserved_space")) sb_printf(&b, " --reserved-space=%lld", I(r, "reserved_space"));
    if (B(r, "reserved_percent")) sb_printf(&b, " --reserved-percent=%lld", I(r, "reserved_percent"));
    if (!B(r, "preexist")) {
        sb_add(&b, " ");
        joinl(&b, r, "physvols", " ");
    }
    strip(&b);
    sb_add(o, b.p);
    sb_add(o, "\n");
    free(b.p);
}

static void d_raid(struct sb *o, rec_t *r)
{
    struct sb b = { 0 };
    sb_add(&b, "raid ");
    S(&b, r, "mntpoint");
    const struct ks_value *dv = gv(r, "device");
    struct sb dev = { 0 };
    if (dv && dv->kind != KS_V_NONE)
        pystr(&dev, dv);
    else
        sb_add(&dev, "None");
    if (dev.n) sb_printf(&b, " --device=%s", dev.p);
    free(dev.p);
    opt(&b, r, "fstype", "--fstype", true);
    if (B(r, "level")) {
        const char *l = ks_rec_str(r, "level");
        sb_add(&b, " --level=");
        for (const char *p = l ? l : ""; *p; p++) {
            char c = *p >= 'a' && *p <= 'z' ? (char)(*p - 32) : *p;
            sb_addn(&b, &c, 1);
        }
    }
    if (ISFALSE(r, "format")) sb_add(&b, " --noformat");
    if (!NONE(r, "spares") && I(r, "spares") != 0) sb_printf(&b, " --spares=%lld", I(r, "spares"));
    flag(&b, r, "preexist", "--useexisting");
    opt(&b, r, "fsopts", "--fsoptions", true);
    if (!NONE(r, "bytesPerInode") && I(r, "bytesPerInode") != 0)
        sb_printf(&b, " --bytes-per-inode=%lld", I(r, "bytesPerInode"));
    opt(&b, r, "fsprofile", "--fsprofile", true);
    if (B(r, "encrypted")) {
        sb_add(&b, " --encrypted");
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
    if (B(r, "chunk_size")) sb_printf(&b, " --chunksize=%lld", I(r, "chunk_size"));
    if (B(r, "encrypted")) {
        opt(&b, r, "luks_version", "--luks-version", false);
        opt(&b, r, "pbkdf", "--pbkdf", false);
        opt(&b, r, "pbkdf_memory", "--pbkdf-memory", false);
        opt(&b, r, "pbkdf_time", "--pbkdf-time", false);
        opt(&b, r, "pbkdf_iterations", "--pbkdf-iterations", false);
    }
    if (!B(r, "preexist")) {
        sb_add(&b, " ");
        joinl(&b, r, "partitions", " ");
    }
    strip(&b);
    sb_add(o, b.p);
    sb_add(o, "\n");
    free(b.p);
}

static void d_repo(struct sb *o, rec_t *r)
{
    sb_add(o, "repo --name=\"");
    S(o, r, "name");
    sb_add(o, "\" ");
    if (B(r, "baseurl")) { sb_add(o, "--baseurl="); S(o, r, "baseurl"); }
    else if (B(r, "mirrorlist")) { sb_add(o, "--mirrorlist="); S(o, r, "mirrorlist"); }
    opt(o, r, "cost", "--cost", false);
    if (B(r, "includepkgs")) { sb_add(o, " --includepkgs=\""); joinl(o, r, "includepkgs", ","); sb_add(o, "\""); }
    if (B(r, "excludepkgs")) { sb_add(o, " --excludepkgs=\""); joinl(o, r, "excludepkgs", ","); sb_add(o, "\""); }
    if (B(r, "ignoregroups")) sb_add(o, " --ignoregroups=true");
    opt(o, r, "proxy", "--proxy", true);
    flag(o, r, "noverifyssl", "--noverifyssl");
    flag(o, r, "install", "--install");
    opt(o, r, "metalink", "--metalink", false);
    opt(o, r, "sslcacert", "--sslcacert", true);
    opt(o, r, "sslclientcert", "--sslclientcert", true);
    opt(o, r, "sslclientkey", "--sslclientkey", true);
    sb_add(o, "\n");
}

static void d_user(struct sb *o, rec_t *r)
{
    struct sb b = { 0 };
    if (B(r, "groups")) { sb_add(&b, " --groups="); joinl(&b, r, "groups", ","); }
    opt(&b, r, "homedir", "--homedir", false);
    opt(&b, r, "name", "--name", false);
    if (B(r, "password")) {
        const char *pw = ks_rec_str(r, "password");
        if (pw && strchr(pw, '#'))
            sb_printf(&b, " --password=\"%s\"", pw);
        else {
            sb_add(&b, " --password=");
            S(&b, r, "password");
        }
    }
    flag(&b, r, "isCrypted", "--iscrypted");
    opt(&b, r, "shell", "--shell", false);
    opt(&b, r, "uid", "--uid", false);
    flag(&b, r, "lock", "--lock");
    opt(&b, r, "gecos", "--gecos", true);
    if (B(r, "gid")) sb_printf(&b, " --gid=%lld", I(r, "gid"));
    if (b.n)
        sb_printf(o, "user%s\n", b.p);
    free(b.p);
}

static void d_group(struct sb *o, rec_t *r)
{
    sb_add(o, "group");
    opt(o, r, "name", "--name", false);
    opt(o, r, "gid", "--gid", false);
    sb_add(o, "\n");
}

static void d_sshkey(struct sb *o, rec_t *r)
{
    sb_add(o, "sshkey --username=");
    S(o, r, "username");
    sb_add(o, " \"");
    const struct ks_value *k = gv(r, "sshkey");
    const char *key = k && k->kind == KS_V_LIST && k->l.n ? k->l.v[0] : k && k->kind == KS_V_STR ? k->s : "";
    for (const char *p = key; *p; p++) {
        if (*p == '"')
            sb_add(o, "\\");
        sb_addn(o, p, 1);
    }
    sb_add(o, "\"\n");
}

static void d_sshpw(struct sb *o, rec_t *r)
{
    sb_add(o, "sshpw --username=");
    S(o, r, "username");
    if (B(r, "sshkey")) {
        sb_add(o, " --sshkey");
    } else {
        flag(o, r, "lock", "--lock");
        sb_add(o, B(r, "isCrypted") ? " --iscrypted" : " --plaintext");
    }
    sb_add(o, " ");
    joinl(o, r, "password", " ");
    sb_add(o, "\n");
}

static void d_timesource(struct sb *o, rec_t *r)
{
    struct sb b = { 0 };
    opt(&b, r, "ntp_server", "--ntp-server", false);
    opt(&b, r, "ntp_pool", "--ntp-pool", false);
    flag(&b, r, "nts", "--nts");
    flag(&b, r, "ntp_disable", "--ntp-disable");
    if (b.n)
        sb_printf(o, "timesource%s\n", b.p);
    free(b.p);
}

static void d_btrfs(struct sb *o, rec_t *r)
{
    sb_add(o, "btrfs ");
    S(o, r, "mountpoint");
    if (ISFALSE(r, "format")) sb_add(o, " --noformat");
    flag(o, r, "preexist", "--useexisting");
    opt(o, r, "label", "--label", true);
    if (B(r, "dataLevel")) {
        sb_add(o, " --data=");
        for (const char *p = ks_rec_str(r, "dataLevel"); p && *p; p++) {
            char c = *p >= 'A' && *p <= 'Z' ? (char)(*p + 32) : *p;
            sb_addn(o, &c, 1);
        }
    }
    if (B(r, "metaDataLevel")) {
        sb_add(o, " --metadata=");
        for (const char *p = ks_rec_str(r, "metaDataLevel"); p && *p; p++) {
            char c = *p >= 'A' && *p <= 'Z' ? (char)(*p + 32) : *p;
            sb_addn(o, &c, 1);
        }
    }
    if (B(r, "subvol")) { sb_add(o, " --subvol --name="); S(o, r, "name"); }
    opt(o, r, "mkfsopts", "--mkfsoptions", true);
    sb_add(o, " ");
    joinl(o, r, "devices", " ");
    sb_add(o, "\n");
}

static void d_iscsi(struct sb *o, rec_t *r)
{
    sb_add(o, "iscsi");
    opt(o, r, "target", "--target", false);
    opt(o, r, "ipaddr", "--ipaddr", false);
    const struct ks_value *p = gv(r, "port");
    struct sb ps = { 0 };
    pystr(&ps, p);
    if (strcmp(ps.p, "3260") != 0)
        sb_printf(o, " --port=%s", ps.p);
    free(ps.p);
    opt(o, r, "user", "--user", false);
    opt(o, r, "password", "--password", false);
    opt(o, r, "user_in", "--reverse-user", false);
    opt(o, r, "password_in", "--reverse-password", false);
    opt(o, r, "iface", "--iface", false);
    sb_add(o, "\n");
}

static void d_mount(struct sb *o, rec_t *r)
{
    sb_add(o, "mount ");
    S(o, r, "device");
    sb_add(o, " ");
    S(o, r, "mntpoint");
    if (B(r, "reformat")) {
        sb_add(o, " --reformat");
        const struct ks_value *f = gv(r, "reformat");
        if (f && f->kind == KS_V_STR && *f->s)
            sb_printf(o, "=%s", f->s);
    }
    opt(o, r, "mkfs_opts", "--mkfsoptions", true);
    opt(o, r, "mount_opts", "--mountoptions", true);
    sb_add(o, "\n");
}

static void d_snapshot(struct sb *o, rec_t *r)
{
    struct sb b = { 0 };
    sb_add(&b, "snapshot ");
    joinl(&b, r, "origin", "");
    sb_add(&b, " --name=");
    S(&b, r, "name");
    sb_add(&b, " ");
    const char *w = ks_rec_str(r, "when");
    if (w && !strcmp(w, "post-install")) sb_add(&b, "--when=post-install");
    else if (w && !strcmp(w, "pre-install")) sb_add(&b, "--when=pre-install");
    strip(&b);
    sb_printf(o, "%s\n", b.p);
    free(b.p);
}

static void d_driverdisk(struct sb *o, rec_t *r)
{
    sb_add(o, "driverdisk ");
    const struct ks_value *p = gv(r, "partition");
    const char *part = p && p->kind == KS_V_LIST && p->l.n ? p->l.v[0] : p && p->kind == KS_V_STR ? p->s : NULL;
    if (part && *part) {
        sb_add(o, part);
        opt(o, r, "type", "--type", false);
    } else if (B(r, "source")) {
        sb_add(o, "--source=");
        S(o, r, "source");
    } else if (B(r, "biospart")) {
        sb_add(o, "--biospart=");
        S(o, r, "biospart");
    }
    sb_add(o, "\n");
}

static void d_fcoe(struct sb *o, rec_t *r)
{
    sb_add(o, "fcoe");
    opt(o, r, "nic", "--nic", false);
    flag(o, r, "dcb", "--dcb");
    flag(o, r, "autovlan", "--autovlan");
    sb_add(o, "\n");
}

static void d_zfcp(struct sb *o, rec_t *r)
{
    sb_add(o, "zfcp");
    opt(o, r, "devnum", "--devnum", false);
    opt(o, r, "wwpn", "--wwpn", false);
    opt(o, r, "fcplun", "--fcplun", false);
    opt(o, r, "scsiid", "--scsiid", false);
    opt(o, r, "scsilun", "--scsilun", false);
    sb_add(o, "\n");
}

static void d_nvdimm(struct sb *o, rec_t *r)
{
    struct sb b = { 0 };
    const char *a = ks_rec_str(r, "action");
    sb_add(&b, "nvdimm ");
    S(&b, r, "action");
    if (a && !strcmp(a, "reconfigure")) {
        opt(&b, r, "namespace", "--namespace", false);
        const char *m = ks_rec_str(r, "mode");
        if (m && !strcmp(m, "sector")) {
            sb_add(&b, " --mode=sector");
            if (B(r, "sectorsize"))
                sb_printf(&b, " --sectorsize=%lld", I(r, "sectorsize"));
        }
    } else if (a && !strcmp(a, "use")) {
        opt(&b, r, "namespace", "--namespace", false);
        if (B(r, "blockdevs")) {
            sb_add(&b, " --blockdevs=");
            joinl(&b, r, "blockdevs", ",");
        }
    }
    strip(&b);
    sb_printf(o, "%s\n", b.p);
    free(b.p);
}

static void d_module(struct sb *o, rec_t *r)
{
    sb_add(o, "module --name=");
    S(o, r, "name");
    opt(o, r, "stream", "--stream", false);
    if (ISFALSE(r, "enable"))
        sb_add(o, " --disable");
    sb_add(o, "\n");
}

/* unknown to the writer: every option that has a value, in table order */
static void d_generic(struct sb *o, rec_t *r)
{
    sb_add(o, r->name);
    const struct ks_cmdclass *c = &ks_classes[r->cls];
    for (int i = 0; i < c->n_opts; i++) {
        const struct ks_optdef *d = &c->opts[i];
        const struct ks_value *v = gv(r, d->dest);
        if (!v || !ks_value_truthy(v))
            continue;
        if (!d->names[0]) {
            sb_add(o, " ");
            if (v->kind == KS_V_LIST)
                joinl(o, r, d->dest, " ");
            else
                pystr(o, v);
        } else if (d->nargs == N_ZERO) {
            if (d->act == A_TRUE)
                sb_printf(o, " %s", d->names[0]);
        } else {
            sb_printf(o, " %s=", d->names[0]);
            if (v->kind == KS_V_LIST)
                joinl(o, r, d->dest, ",");
            else
                pystr(o, v);
        }
    }
    sb_add(o, "\n");
}

/* ------------------------------------------------------------------------ */
/* the table of writers                                                     */

typedef void (*single_fn)(struct sb *, rec_t *);
typedef void (*data_fn)(struct sb *, rec_t *);

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

void ks_write_commands(const struct kickstart *ks, struct sb *out)
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
        struct sb body = { 0 };
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
                sb_add(out, writers[w].header);
            sb_add(out, body.p);
            if (w >= 0 && writers[w].trailer)
                sb_add(out, writers[w].trailer);
        }
        free(body.p);
    }
}
