/* sysconfig.c - see sysconfig.h */
#define _GNU_SOURCE
#include "core/sysconfig.h"
#include "core/base/escape.h"
#include "core/base/strbuf.h"
#include "core/base/strv.h"

#include <openssl/evp.h>
#include "core/sysconf_ks.h"
#include "core/firewall_cfg.h"
#include "core/keyboard.h"
#include "core/base/log.h"
#include "core/network_cfg.h"
#include "core/base/rootfile.h"
#include "core/base/run.h"
#include "core/selinux_cfg.h"
#include "core/services.h"
#include "core/users.h"
#include "core/base/util.h"
#include "core/passwd_hash.h"

#include <crypt.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#define LOCFMT "%s:%d: "
#define LOCARG(l) ((l).file ? (l).file : "kickstart"), (l).line

/* ---- lang ------------------------------------------------------------------ */

static bool valid_locale(const char *s)
{
    if (!*s || strlen(s) > 64)
        return false;
    for (; *s; s++)
        if (!(isalnum((unsigned char)*s) || strchr("_.@-", *s)))
            return false;
    return true;
}

static int apply_lang(const struct ks_lang *l, const char *root)
{
    if (!l->seen || !l->lang)
        return 0;
    if (!valid_locale(l->lang))
        return log_fail(LOCFMT "lang: invalid locale '%s'", LOCARG(l->loc), l->lang);
    for (size_t i = 0; i < l->addsupport.n; i++)
        if (!valid_locale(l->addsupport.v[i]))
            return log_fail(LOCFMT "lang --addsupport: invalid locale '%s'", LOCARG(l->loc), l->addsupport.v[i]);
    char *c = xasprintf("LANG=\"%s\"\n", l->lang);
    int r = root_write(root, "etc/locale.conf", c, 0644);
    free(c);
    if (r == 0 && l->addsupport.n)
        log_verbose("lang --addsupport: %zu more languages (their langpacks come from %%packages)",
                    l->addsupport.n);
    return r;
}

/* ---- timezone, NTP ------------------------------------------------------- */

static bool valid_zone_name(const char *z)
{
    if (!*z || z[0] == '/' || strstr(z, ".."))
        return false;
    for (; *z; z++)
        if (!(isalnum((unsigned char)*z) || strchr("/_+-", *z)))
            return false;
    return true;
}

static int apply_timezone(const struct ks_timezone *tz, const char *root)
{
    if (!tz->seen || !tz->timezone)
        return 0;
    if (!valid_zone_name(tz->timezone))
        return log_fail(LOCFMT "timezone: invalid time zone name '%s'", LOCARG(tz->loc), tz->timezone);
    char *zone = xasprintf("%s/usr/share/zoneinfo/%s", root, tz->timezone);
    if (!path_exists(zone) || is_dir(zone)) {
        /* an image without tzdata still gets the link, as anaconda does */
        char *hostzone = xasprintf("/usr/share/zoneinfo/%s", tz->timezone);
        bool known = path_exists(hostzone) && !is_dir(hostzone);
        free(hostzone);
        char *rootzi = xasprintf("%s/usr/share/zoneinfo", root);
        bool image_has_tzdata = is_dir(rootzi);
        free(rootzi);
        if (!known || image_has_tzdata) {
            free(zone);
            return log_fail(LOCFMT "timezone: unknown time zone '%s'", LOCARG(tz->loc), tz->timezone);
        }
        log_warn(LOCFMT "timezone: the image has no zoneinfo (tzdata is not installed); /etc/localtime "
                        "points at %s anyway",
                 LOCARG(tz->loc), tz->timezone);
    }
    free(zone);
    char *target = xasprintf("../usr/share/zoneinfo/%s", tz->timezone);
    int r = root_symlink(root, "etc/localtime", target);
    free(target);
    if (r < 0)
        return -1;
    return root_write(root, "etc/adjtime", tz->utc ? "0.0 0 0.0\n0\nUTC\n" : "0.0 0 0.0\n0\nLOCAL\n", 0644);
}

static bool valid_host(const char *h)
{
    if (!*h)
        return false;
    for (; *h; h++)
        if (!(isalnum((unsigned char)*h) || strchr(".-_:[]", *h)))
            return false;
    return true;
}

/* CONF with its server/pool lines replaced by LINES, in the place of the
 * first one (at the top when it has none); malloc'd */
static char *chrony_with_servers(const char *conf, const strv_t *lines)
{
    struct strbuf b = { 0 };
    char *servers = strv_join(lines, "\n");
    bool placed = false;
    for (const char *l = conf; *l;) {
        const char *nl = strchrnul(l, '\n');
        bool src = !strncmp(l, "server ", 7) || !strncmp(l, "pool ", 5) || !strncmp(l, "server\t", 7) ||
                   !strncmp(l, "pool\t", 5);
        if (src && !placed) {
            strbuf_printf(&b, "%s\n", servers);
            placed = true;
        } else if (!src) {
            strbuf_addn(&b, l, (size_t)(nl - l));
            strbuf_addc(&b, '\n');
        }
        l = *nl ? nl + 1 : nl;
    }
    if (!placed) {
        char *rest = strbuf_take(&b);
        strbuf_printf(&b, "%s\n%s", servers, rest);
        free(rest);
    }
    free(servers);
    return strbuf_take(&b);
}

static int apply_ntp(const struct ks_timezone *tz, const struct ks_sysconf *sc, const char *root)
{
    strv_t lines = { 0 };
    bool nontp = tz->seen && tz->nontp;
    const struct ks_loc *loc = &tz->loc;
    for (size_t i = 0; tz->seen && i < tz->ntpservers.n; i++) {
        if (!valid_host(tz->ntpservers.v[i])) {
            strv_free(&lines);
            return log_fail(LOCFMT "timezone --ntpservers: invalid server '%s'", LOCARG(tz->loc),
                            tz->ntpservers.v[i]);
        }
        strv_push_take(&lines, xasprintf("server %s iburst", tz->ntpservers.v[i]));
    }
    for (size_t i = 0; i < sc->n_timesources; i++) {
        const struct ks_timesource *t = &sc->timesources[i];
        loc = &t->loc;
        if (t->ntp_disable) {
            nontp = true;
            continue;
        }
        const char *h = t->server ? t->server : t->pool;
        if (!h || !valid_host(h)) {
            strv_free(&lines);
            return log_fail(LOCFMT "timesource: invalid or missing --ntp-server/--ntp-pool '%s'", LOCARG(t->loc),
                            h ? h : "");
        }
        strv_push_take(&lines, xasprintf("%s %s iburst%s", t->server ? "server" : "pool", h, t->nts ? " nts" : ""));
    }
    int rc = 0;
    bool have_chrony = root_exists(root, "etc/chrony.conf");
    if (lines.n) {
        if (nontp)
            log_warn(LOCFMT "NTP servers given and NTP disabled: the servers are written, chronyd stays disabled",
                     LOCARG(*loc));
        if (!have_chrony) {
            log_warn(LOCFMT "NTP servers given but chrony is not installed in the image (no /etc/chrony.conf): "
                            "not configured",
                     LOCARG(*loc));
        } else {
            char *p = path_join(root, "etc/chrony.conf"), *buf;
            if (read_file(p, &buf, NULL) < 0) {
                rc = log_fail("cannot read %s: %s", p, strerror(errno));
            } else {
                char *out = chrony_with_servers(buf, &lines);
                rc = root_write(root, "etc/chrony.conf", out, 0);
                free(out);
                free(buf);
            }
            free(p);
        }
    }
    strv_free(&lines);
    if (rc < 0)
        return -1;
    if (nontp) {
        services_disable(root, "chronyd.service");
        services_disable(root, "ntpd.service");
        log_verbose("NTP disabled");
    } else if (have_chrony && (sc->n_timesources || (tz->seen && tz->ntpservers.n))) {
        if (services_enable(root, "chronyd.service") == -1)
            log_warn(LOCFMT "the image has no chronyd.service", LOCARG(*loc));
    }
    return 0;
}

/* ---- passwords, accounts ----------------------------------------------- */

int sysconfig_set_shadow(const char *root, const char *user, const char *hash)
{
    struct accounts a;
    if (accounts_load(&a, root) < 0)
        return -1;
    if (!a.shadow.present)
        a.shadow.dirty = true;
    int r = accounts_set_password(&a, user, hash);
    if (r == 0)
        r = accounts_save(&a);
    accounts_free(&a);
    return r;
}

static int rootpw_hash(const struct ks_rootpw *pw, struct accounts *a, char **out)
{
    char *hash = NULL;
    if (pw->password && pw->iscrypted) {
        const char *why;
        int c = passwd_crypt_check(pw->password, &why);
        if (c < 0)
            return log_fail(LOCFMT "rootpw --iscrypted: '%s' is not a valid crypt(3) hash: %s", LOCARG(pw->loc),
                            pw->password, why);
        if (c > 0)
            log_warn(LOCFMT "rootpw --iscrypted: the hash looks damaged (%s): logging in with it will fail",
                     LOCARG(pw->loc), why);
        hash = xstrdup(pw->password);
    } else if (pw->password) {
        hash = passwd_sha512_crypt(pw->password);
        if (!hash)
            return log_fail(LOCFMT "rootpw: cannot hash the password with SHA-512 crypt", LOCARG(pw->loc));
    } else {
        /* --lock alone: lock what the image has */
        long i = -1;
        for (size_t k = 0; k < a->shadow.lines.n; k++)
            if (str_startswith(a->shadow.lines.v[k], "root:"))
                i = (long)k;
        if (i >= 0) {
            const char *f = a->shadow.lines.v[i] + 5;
            hash = xstrndup(f, strcspn(f, ":"));
        } else {
            hash = xstrdup("");
        }
        if (!pw->lock)
            log_warn(LOCFMT "rootpw without a password: the root account is left as the image has it",
                     LOCARG(pw->loc));
    }
    if (pw->lock && hash[0] != '!') {
        char *l = xasprintf("!%s", hash);
        free(hash);
        hash = l;
    }
    *out = hash;
    return 0;
}

static int apply_accounts(const struct kickstart *ks, const struct ks_sysconf *sc, const char *root)
{
    const struct ks_rootpw *pw = &ks->rootpw;
    if (!pw->seen && !sc->n_users && !sc->n_groups && !sc->n_sshkeys)
        return 0;
    struct accounts a;
    if (accounts_load(&a, root) < 0)
        return -1;
    int r = 0;
    for (size_t i = 0; r == 0 && i < sc->n_groups; i++)
        r = accounts_add_group(&a, &sc->groups[i]);
    for (size_t i = 0; r == 0 && i < sc->n_users; i++)
        r = accounts_add_user(&a, &sc->users[i]);
    if (r == 0 && pw->seen) {
        char *hash = NULL;
        r = rootpw_hash(pw, &a, &hash);
        if (r == 0 && hash) {
            if (!a.shadow.present)
                a.shadow.dirty = true;
            r = accounts_set_password(&a, "root", hash);
        }
        free(hash);
    }
    /* passwd/group first: sshkey needs the users' ids, homes exist already */
    if (r == 0)
        r = accounts_save(&a);
    for (size_t i = 0; r == 0 && i < sc->n_sshkeys; i++)
        r = accounts_add_sshkey(&a, &sc->sshkeys[i]);
    accounts_free(&a);
    if (r == 0 && pw->seen && pw->allow_ssh)
        r = root_write(root, "etc/ssh/sshd_config.d/01-permitrootlogin.conf", "PermitRootLogin yes\n", 0600);
    return r;
}

/* ---- services, targets, firstboot ---------------------------------------- */

static void service_result(int r, const struct ks_loc *loc, const char *what, const char *unit)
{
    if (r == -1)
        log_warn(LOCFMT "%s: service %s does not exist in the image", LOCARG(*loc), what, unit);
}

static bool has_preset_files(const char *root)
{
    static const char *dirs[] = { "etc/systemd/system-preset", "usr/lib/systemd/system-preset" };
    for (size_t i = 0; i < 2; i++) {
        char *p = path_join(root, dirs[i]);
        bool d = is_dir(p);
        free(p);
        if (d)
            return true;
    }
    return false;
}

/* a systemd unit name (what goes into a preset file and a unit path) */
static bool valid_unit(const char *u)
{
    return *u && strspn(u, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789:-_.\\@") == strlen(u) &&
           strcmp(u, ".") && strcmp(u, "..");
}

static int check_units(const struct ks_services *s)
{
    const strv_t *lists[] = { &s->enabled, &s->disabled };
    for (size_t k = 0; k < 2; k++)
        for (size_t i = 0; i < lists[k]->n; i++)
            if (!valid_unit(lists[k]->v[i]))
                return log_fail(LOCFMT "services: invalid unit name '%s'", LOCARG(s->loc), lists[k]->v[i]);
    return 0;
}

static void preset_line(struct strbuf *b, const char *verb, const char *unit)
{
    strbuf_printf(b, "%s %s%s\n", verb, unit, strchr(unit, '.') ? "" : ".service");
}

static int write_preset(const struct ks_services *s, const char *root)
{
    struct strbuf b = { 0 };
    strbuf_add(&b, "# from the kickstart 'services' command\n");
    for (size_t i = 0; i < s->enabled.n; i++)
        preset_line(&b, "enable", s->enabled.v[i]);
    for (size_t i = 0; i < s->disabled.n; i++)
        if (!strv_contains(&s->enabled, s->disabled.v[i]))
            preset_line(&b, "disable", s->disabled.v[i]);
    int r = root_write(root, "etc/systemd/system-preset/00-kickstart.preset", strbuf_str(&b), 0644);
    strbuf_free(&b);
    return r;
}

/* /etc/sysconfig/desktop, which display managers' scripts source */
static int write_desktop(const struct ks_xconfig *x, const char *root)
{
    if (!esc_value_ok(x->defaultdesktop))
        return log_fail(LOCFMT "xconfig --defaultdesktop: a newline or control character cannot be written",
                        LOCARG(x->loc));
    struct strbuf b = { 0 };
    strbuf_add(&b, "DESKTOP=");
    esc_sh_dquote(&b, x->defaultdesktop);
    strbuf_addc(&b, '\n');
    int r = root_write(root, "etc/sysconfig/desktop", strbuf_str(&b), 0644);
    strbuf_free(&b);
    return r;
}

static int apply_services(const struct ks_sysconf *sc, const char *root)
{
    /* Without systemctl in the image, the packages' scriptlets could not
     * apply their presets: do it as systemd's first boot would. */
    if (has_preset_files(root) && !root_exists(root, "usr/bin/systemctl")) {
        int n = services_preset_all(root);
        log_verbose("applied the image's systemd presets: %d units enabled", n);
    }
    const struct ks_services *s = &sc->services;
    if (s->seen && check_units(s) < 0)
        return -1;
    if (s->seen) {
        for (size_t i = 0; i < s->disabled.n; i++)
            service_result(services_disable(root, s->disabled.v[i]), &s->loc, "services --disabled",
                           s->disabled.v[i]);
        for (size_t i = 0; i < s->enabled.n; i++) {
            if (strv_contains(&s->disabled, s->enabled.v[i]))
                log_warn(LOCFMT "services: %s is both enabled and disabled: enabled", LOCARG(s->loc),
                         s->enabled.v[i]);
            service_result(services_enable(root, s->enabled.v[i]), &s->loc, "services --enabled", s->enabled.v[i]);
        }
        /* keep the kickstart's choice over systemd's first-boot preset-all */
        if ((s->enabled.n || s->disabled.n) && write_preset(s, root) < 0)
            return -1;
    }
    const struct ks_firstboot *fb = &sc->firstboot;
    if (fb->seen) {
        bool have = services_unit_exists(root, "initial-setup.service");
        if (fb->mode == KS_FIRSTBOOT_DISABLE) {
            if (have)
                services_disable(root, "initial-setup.service");
        } else if (!have) {
            log_warn(LOCFMT "firstboot: initial-setup is not installed in the image", LOCARG(fb->loc));
        } else {
            services_enable(root, "initial-setup.service");
            if (fb->mode == KS_FIRSTBOOT_RECONFIG && root_write(root, "etc/reconfigSys", "", 0644) < 0)
                return -1;
        }
    }
    const char *target = NULL;
    const struct ks_loc *tloc = NULL;
    if (sc->xconfig.seen && sc->xconfig.startxonboot) {
        target = "graphical.target";
        tloc = &sc->xconfig.loc;
    }
    if (sc->skipx.file) {
        if (target)
            log_warn(LOCFMT "skipx and xconfig --startxonboot: skipx wins", LOCARG(sc->skipx));
        target = "multi-user.target";
        tloc = &sc->skipx;
    }
    if (target) {
        int r = services_set_default_target(root, target);
        if (r == -1)
            log_warn(LOCFMT "the image has no %s: default target not changed", LOCARG(*tloc), target);
        else if (r == 0)
            log_verbose("default target %s", target);
    }
    if (sc->xconfig.seen && sc->xconfig.defaultdesktop)
        return write_desktop(&sc->xconfig, root);
    return 0;
}

/* ---- authselect ------------------------------------------------------------- */

static int apply_auth(const struct ks_authselect *au, const char *root)
{
    if (!au->seen)
        return 0;
    static const char *const authselect[] = { "/usr/bin/authselect", "/usr/sbin/authselect", NULL };
    static const char *const authconfig[] = { "/usr/sbin/authconfig", "/usr/bin/authconfig", NULL };
    const char *cmd = root_find_exec(root, au->legacy_authconfig ? authconfig : authselect);
    if (!cmd) {
        log_warn(LOCFMT "%s: %s is not installed in the image: not applied", LOCARG(au->loc),
                 au->legacy_authconfig ? "auth" : "authselect", au->legacy_authconfig ? "authconfig" : "authselect");
        return 0;
    }
    strv_t argv = { 0 };
    strv_push(&argv, cmd);
    if (au->legacy_authconfig) {
        strv_push(&argv, "--update");
        strv_push(&argv, "--nostart");
    }
    for (size_t i = 0; i < au->args.n; i++)
        strv_push(&argv, au->args.v[i]);
    struct run_opts o = { 0 };
    o.chroot = root;
    o.cwd = "/";
    int rc = run_argv((const char *const *)argv.v, &o);
    strv_free(&argv);
    if (rc != 0)
        return log_fail(LOCFMT "%s failed with status %d: %s", LOCARG(au->loc), cmd, rc, run_last_output());
    return 0;
}

/* ---- boot loader, machine-id ------------------------------------------------ */

static int apply_bootloader(const struct ks_bootloader *bl, const char *root)
{
    if (!bl->seen)
        return 0;
    if (bl->append && !esc_value_ok(bl->append))
        return log_fail(LOCFMT "bootloader --append: a newline or control character cannot go on the kernel "
                               "command line",
                        LOCARG(bl->loc));
    if (bl->location && !strcmp(bl->location, "none"))
        log_info(LOCFMT "bootloader --location=none: the image type decides about its boot loader", LOCARG(bl->loc));
    if (!bl->password)
        return 0;
    char *hash = NULL;
    if (!bl->iscrypted) {
        /* as anaconda: hash the plain password like grub2-mkpasswd-pbkdf2 */
        hash = passwd_grub_pbkdf2(bl->password);
        if (!hash)
            return log_fail(LOCFMT "bootloader --password: cannot hash the password", LOCARG(bl->loc));
    } else if (!str_startswith(bl->password, "grub.pbkdf2.")) {
        return log_fail(LOCFMT "bootloader --iscrypted --password: not a grub.pbkdf2 hash", LOCARG(bl->loc));
    } else if (strpbrk(bl->password, " \t\n\"'$`\\")) {
        return log_fail(LOCFMT "bootloader --password: invalid characters in the hash", LOCARG(bl->loc));
    }
    char *c = xasprintf("GRUB2_PASSWORD=%s\n", hash ? hash : bl->password);
    free(hash);
    int r = root_write(root, "boot/grub2/user.cfg", c, 0600);
    free(c);
    return r;
}

static int empty_machine_id(const char *root)
{
    /* an empty (not missing) machine-id: systemd makes one on first boot */
    int r = root_write(root, "etc/machine-id", "", 0444);
    char *dbus = path_join(root, "var/lib/dbus/machine-id");
    struct stat st;
    if (lstat(dbus, &st) == 0 && S_ISREG(st.st_mode))
        unlink(dbus);
    free(dbus);
    return r;
}

/* ---- resolv.conf ---------------------------------------------------------- */

#define RESOLV_SAVE "etc/.resolv.conf.kscreate-orig"
#define RESOLV_MARK "etc/.resolv.conf.kscreate-ours"

int sysconfig_resolv_setup(const char *root)
{
    char *p = path_join(root, "etc/resolv.conf"), *save = path_join(root, RESOLV_SAVE);
    char *mark = path_join(root, RESOLV_MARK), *host = NULL;
    int r = 0;
    struct stat st;
    if (read_file("/etc/resolv.conf", &host, NULL) < 0) {
        log_verbose("the host has no /etc/resolv.conf: %%post scripts get none");
        goto out;
    }
    if (lstat(p, &st) == 0 && rename(p, save) < 0) {
        r = log_fail("cannot move %s aside: %s", p, strerror(errno));
        goto out;
    }
    r = root_write(root, "etc/resolv.conf", host, 0644);
    if (r == 0)
        r = write_file(mark, host, 0600);
out:
    free(host);
    free(p);
    free(save);
    free(mark);
    return r;
}

int sysconfig_resolv_restore(const char *root)
{
    char *p = path_join(root, "etc/resolv.conf"), *save = path_join(root, RESOLV_SAVE);
    char *mark = path_join(root, RESOLV_MARK), *ours = NULL, *now = NULL;
    int r = 0;
    struct stat st;
    if (read_file(mark, &ours, NULL) < 0)
        goto out;   /* not set up */
    bool replaced = lstat(p, &st) < 0 || S_ISLNK(st.st_mode) || read_file(p, &now, NULL) < 0 || strcmp(now, ours);
    if (replaced) {
        log_info("/etc/resolv.conf was changed by %%post: kept");
        unlink(save);
    } else {
        unlink(p);
        if (lstat(save, &st) == 0 && rename(save, p) < 0)
            r = log_fail("cannot restore %s: %s", p, strerror(errno));
    }
    unlink(mark);
out:
    free(ours);
    free(now);
    free(p);
    free(save);
    free(mark);
    return r;
}

/* ---- entry points ------------------------------------------------------------ */

void sysconfig_log_ignored(const struct kickstart *ks)
{
    for (size_t i = 0; i < ks->ignored.n; i++) {
        bool dup = false;
        for (size_t k = 0; k < i && !dup; k++)
            dup = !strcmp(ks->ignored.v[k], ks->ignored.v[i]);
        if (!dup && !sysconf_applies(ks, ks->ignored.v[i]))
            log_info("kickstart command '%s' does not apply to an image: ignored", ks->ignored.v[i]);
    }
}

/* /etc/rpm/macros.imgcreate, as livecd-tools writes it: rpm (and dnf) in the
 * running image keep %packages --excludedocs / --inst-langs, and do not look
 * for file contexts unless SELinux is enforcing or permissive. */
static int apply_rpm_macros(const struct kickstart *ks, const struct ks_sysconf *sc, const char *root)
{
    bool selinux = sc->selinux.mode == KS_SELINUX_ENFORCING || sc->selinux.mode == KS_SELINUX_PERMISSIVE;
    const char *langs = ks->packages.inst_langs;
    if (langs && !esc_value_ok(langs))
        return log_fail(LOCFMT "%%packages --inst-langs: a newline or control character cannot be written",
                        LOCARG(ks->packages.loc));
    char *text = xasprintf("%s%s%s%s%s", ks->packages.excludedocs ? "%_excludedocs 1\n" : "",
                           selinux ? "" : "%__file_context_path %{nil}\n", langs ? "%_install_langs " : "",
                           langs ? langs : "", langs ? "\n" : "");
    int rc = root_write(root, "etc/rpm/macros.imgcreate", text, 0644);
    free(text);
    return rc;
}

int sysconfig_apply_sc(const struct kickstart *ks, const struct ks_sysconf *sc, const char *root)
{
    sysconfig_log_ignored(ks);
    if (apply_lang(&ks->lang, root) < 0 || keyboard_apply(root, &sc->keyboard) < 0 ||
        apply_timezone(&ks->timezone, root) < 0 || apply_ntp(&ks->timezone, sc, root) < 0 ||
        apply_accounts(ks, sc, root) < 0 || network_apply(root, sc->networks, sc->n_networks) < 0 ||
        firewall_apply(root, &sc->firewall) < 0 || selinux_apply(root, &sc->selinux) < 0 ||
        apply_services(sc, root) < 0 || apply_auth(&sc->authselect, root) < 0 ||
        apply_bootloader(&ks->bootloader, root) < 0 || apply_rpm_macros(ks, sc, root) < 0 ||
        empty_machine_id(root) < 0)
        return -1;
    return 0;
}

/* the system configuration model of KS: ks->sys once the parser fills it,
 * else built from the parser's generic command records */
static const struct ks_sysconf *model_get(const struct kickstart *ks, struct ks_sysconf *tmp)
{
#ifdef KSC_KS_HAS_SYSCONF
    (void)tmp;
    return &ks->sys;
#else
    sysconf_from_ks(ks, tmp);
    return tmp;
#endif
}

int sysconfig_apply(const struct kickstart *ks, const char *root)
{
    struct ks_sysconf tmp;
    memset(&tmp, 0, sizeof tmp);
    int r = sysconfig_apply_sc(ks, model_get(ks, &tmp), root);
    ks_sysconf_free(&tmp);
    return r;
}

int sysconfig_finish(const struct kickstart *ks, const char *root)
{
    if (sysconfig_resolv_restore(root) < 0)
        return -1;
    char *mid = path_join(root, "etc/machine-id");
    struct stat st;
    if (stat(mid, &st) == 0 && st.st_size > 0) {
        log_verbose("%%post left a machine-id: emptied for first boot");
        if (empty_machine_id(root) < 0) {
            free(mid);
            return -1;
        }
    }
    free(mid);
    struct ks_sysconf tmp;
    memset(&tmp, 0, sizeof tmp);
    int r = selinux_relabel(root, &model_get(ks, &tmp)->selinux);
    ks_sysconf_free(&tmp);
    return r;
}
