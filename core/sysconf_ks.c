/* sysconf_ks.c - see sysconf_ks.h */
#define _GNU_SOURCE
#include "core/sysconf_ks.h"
#include "core/base/strbuf.h"
#include "core/base/strv.h"
#include "core/base/util.h"

#include <stdlib.h>
#include <string.h>

static const char *families[] = { "User", "Group", "SshKey", "Services", "Keyboard", "Network", "Firewall",
                                  "SELinux", "XConfig", "SkipX", "Firstboot", "Authselect", "Authconfig",
                                  "Timesource", NULL };

static bool is_family(const struct ks_cmdrec *r, const char *f) { return r->family && !strcmp(r->family, f); }

static void set_loc(struct ks_loc *l, const struct ks_cmdrec *r)
{
    l->file = r->loc.file ? xstrdup(r->loc.file) : NULL;
    l->line = r->loc.line;
}

/* a string option; "" (pykickstart's empty default) counts as unset */
static char *str(const struct ks_cmdrec *r, const char *dest)
{
    const char *s = ks_rec_str(r, dest);
    return s && *s ? xstrdup(s) : NULL;
}

static void split_commas(strv_t *out, const char *s)
{
    char *copy = xstrdup(s);
    for (char *save, *w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
        while (*w == ' ')
            w++;
        size_t n = strlen(w);
        while (n && w[n - 1] == ' ')
            w[--n] = 0;
        if (*w)
            strv_push(out, w);
    }
    free(copy);
}

/* a list option (or a comma-separated string) */
static void list(const struct ks_cmdrec *r, const char *dest, strv_t *out)
{
    const struct ks_value *v = ks_rec_get(r, dest);
    if (!v)
        return;
    if (v->kind == KS_V_LIST)
        for (size_t i = 0; i < v->l.n; i++)
            split_commas(out, v->l.v[i]);
    else if (v->kind == KS_V_STR && v->s)
        split_commas(out, v->s);
}

/* list items verbatim (no comma splitting) */
static void list_raw(const struct ks_cmdrec *r, const char *dest, strv_t *out)
{
    const struct ks_value *v = ks_rec_get(r, dest);
    if (v && v->kind == KS_V_LIST)
        for (size_t i = 0; i < v->l.n; i++)
            strv_push(out, v->l.v[i]);
    else if (v && v->kind == KS_V_STR && v->s && *v->s)
        strv_push(out, v->s);
}

static char *joined(const struct ks_cmdrec *r, const char *dest)
{
    strv_t l = { 0 };
    list_raw(r, dest, &l);
    char *o = strv_join(&l, " ");
    strv_free(&l);
    if (!*o) {
        free(o);
        return NULL;
    }
    return o;
}

/* shell-like words of a command's raw text (authselect/auth arguments) */
static void words(const char *text, strv_t *out)
{
    const char *p = text;
    while (p && *p) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        struct strbuf w = { 0 };
        while (*p && *p != ' ' && *p != '\t') {
            if (*p == '\'' || *p == '"') {
                char q = *p++;
                size_t n = strcspn(p, q == '"' ? "\"" : "'");
                strbuf_addn(&w, p, n);
                p += n;
                if (*p)
                    p++;
            } else if (*p == '\\' && p[1]) {
                strbuf_addc(&w, p[1]);
                p += 2;
            } else {
                strbuf_addc(&w, *p++);
            }
        }
        strv_push_take(out, strbuf_take(&w));
    }
}

#define PUSH(arr, n) (arr = xrealloc(arr, sizeof *arr * (n + 1)), memset(&arr[n], 0, sizeof *arr), &arr[n++])

static void fill(struct ks_sysconf *sc, const struct ks_cmdrec *r)
{
    if (is_family(r, "User")) {
        struct ks_user *u = PUSH(sc->users, sc->n_users);
        set_loc(&u->loc, r);
        u->name = str(r, "name");
        u->homedir = str(r, "homedir");
        u->password = str(r, "password");
        u->shell = str(r, "shell");
        u->gecos = str(r, "gecos");
        list(r, "groups", &u->groups);
        u->uid = (long)ks_rec_int(r, "uid", -1);
        u->gid = (long)ks_rec_int(r, "gid", -1);
        u->iscrypted = ks_rec_bool(r, "isCrypted");
        u->lock = ks_rec_bool(r, "lock");
    } else if (is_family(r, "Group")) {
        struct ks_usergroup *g = PUSH(sc->groups, sc->n_groups);
        set_loc(&g->loc, r);
        g->name = str(r, "name");
        g->gid = (long)ks_rec_int(r, "gid", -1);
    } else if (is_family(r, "SshKey")) {
        struct ks_sshkey *k = PUSH(sc->sshkeys, sc->n_sshkeys);
        set_loc(&k->loc, r);
        k->username = str(r, "username");
        k->key = joined(r, "sshkey");
    } else if (is_family(r, "Services")) {
        sc->services.seen = true;
        free(sc->services.loc.file);
        set_loc(&sc->services.loc, r);
        list(r, "enabled", &sc->services.enabled);
        list(r, "disabled", &sc->services.disabled);
    } else if (is_family(r, "Keyboard")) {
        struct ks_keyboard *kb = &sc->keyboard;
        kb->seen = true;
        set_loc(&kb->loc, r);
        kb->keyboard = joined(r, "kbd");
        kb->vckeymap = str(r, "vc_keymap");
        list_raw(r, "x_layouts", &kb->xlayouts);
        list(r, "switch_options", &kb->switch_options);
    } else if (is_family(r, "Network")) {
        struct ks_network *n = PUSH(sc->networks, sc->n_networks);
        set_loc(&n->loc, r);
        n->device = str(r, "device");
        n->bootproto = str(r, "bootProto");
        n->ip = str(r, "ip");
        n->netmask = str(r, "netmask");
        n->gateway = str(r, "gateway");
        n->ipv6 = str(r, "ipv6");
        n->ipv6gateway = str(r, "ipv6gateway");
        list(r, "nameserver", &n->nameservers);
        n->hostname = str(r, "hostname");
        n->essid = str(r, "essid");
        n->wpakey = str(r, "wpakey");
        char *mtu = str(r, "mtu");
        n->mtu = mtu ? atoi(mtu) : -1;
        free(mtu);
        n->noipv4 = ks_rec_bool(r, "noipv4");
        n->noipv6 = ks_rec_bool(r, "noipv6");
        n->nodns = ks_rec_bool(r, "nodns");
        n->nodefroute = ks_rec_bool(r, "nodefroute");
        n->activate = ks_rec_bool(r, "activate");
        const struct ks_value *v = ks_rec_get(r, "onboot");
        n->onboot = v && (v->kind == KS_V_BOOL || v->kind == KS_V_INT) ? (v->i ? 1 : 0) : -1;
    } else if (is_family(r, "Firewall")) {
        struct ks_firewall *fw = &sc->firewall;
        fw->seen = true;
        set_loc(&fw->loc, r);
        const struct ks_value *v = ks_rec_get(r, "enabled");
        fw->enabled = v && (v->kind == KS_V_BOOL || v->kind == KS_V_INT) ? (v->i ? 1 : 0) : 1;
        fw->use_system_defaults = ks_rec_bool(r, "use_system_defaults");
        list(r, "ports", &fw->ports);
        list(r, "services", &fw->services);
        list(r, "remove_services", &fw->remove_services);
        list(r, "trusts", &fw->trusts);
    } else if (is_family(r, "SELinux")) {
        sc->selinux.seen = true;
        set_loc(&sc->selinux.loc, r);
        long long m = ks_rec_int(r, "selinux", -1);
        sc->selinux.mode = m == 0 ? KS_SELINUX_DISABLED : m == 2 ? KS_SELINUX_PERMISSIVE : KS_SELINUX_ENFORCING;
    } else if (is_family(r, "XConfig")) {
        sc->xconfig.seen = true;
        set_loc(&sc->xconfig.loc, r);
        sc->xconfig.startxonboot = ks_rec_bool(r, "startX");
        sc->xconfig.defaultdesktop = str(r, "defaultdesktop");
    } else if (is_family(r, "SkipX")) {
        set_loc(&sc->skipx, r);
        if (!sc->skipx.file)
            sc->skipx.file = xstrdup("kickstart");
    } else if (is_family(r, "Firstboot")) {
        sc->firstboot.seen = true;
        set_loc(&sc->firstboot.loc, r);
        long long m = ks_rec_int(r, "firstboot", -1);
        sc->firstboot.mode = m == 1 ? KS_FIRSTBOOT_DISABLE : m == 2 ? KS_FIRSTBOOT_RECONFIG : KS_FIRSTBOOT_ENABLE;
    } else if (is_family(r, "Authselect") || is_family(r, "Authconfig")) {
        struct ks_authselect *a = &sc->authselect;
        a->seen = true;
        free(a->loc.file);
        set_loc(&a->loc, r);
        strv_free(&a->args);
        a->legacy_authconfig = is_family(r, "Authconfig");
        const char *opts = ks_rec_str(r, "options");
        words(r->text ? r->text : opts, &a->args);
    } else if (is_family(r, "Timesource")) {
        struct ks_timesource *t = PUSH(sc->timesources, sc->n_timesources);
        set_loc(&t->loc, r);
        t->server = str(r, "ntp_server");
        t->pool = str(r, "ntp_pool");
        t->nts = ks_rec_bool(r, "nts");
        t->ntp_disable = ks_rec_bool(r, "ntp_disable");
    }
}

void sysconf_from_ks(const struct kickstart *ks, struct ks_sysconf *sc)
{
    memset(sc, 0, sizeof *sc);
    for (size_t i = 0; i < ks->n_cmds; i++)
        if (ks->cmds[i] && ks->cmds[i]->seen)
            fill(sc, ks->cmds[i]);
}

bool sysconf_applies(const struct kickstart *ks, const char *name)
{
    for (size_t i = 0; i < ks->n_cmds; i++) {
        const struct ks_cmdrec *r = ks->cmds[i];
        if (!r || !r->name || strcmp(r->name, name) || !r->family)
            continue;
        for (size_t k = 0; families[k]; k++)
            if (!strcmp(r->family, families[k]))
                return true;
    }
    return false;
}
