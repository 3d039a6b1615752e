/* firewall_cfg.c - see firewall_cfg.h */
#define _GNU_SOURCE
#include "core/firewall_cfg.h"
#include "core/base/strv.h"
#include "core/base/log.h"
#include "core/base/rootfile.h"
#include "core/base/run.h"
#include "core/services.h"
#include "core/base/util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOCFMT "%s:%d: "
#define LOCARG(l) ((l).file ? (l).file : "kickstart"), (l).line

/* "22:tcp", "1000-2000:udp", "8080" -> port, proto; false if invalid */
static bool parse_port(const char *spec, char **port, char **proto)
{
    const char *colon = strchr(spec, ':');
    char *p = colon ? xstrndup(spec, (size_t)(colon - spec)) : xstrdup(spec);
    const char *pr = colon ? colon + 1 : "tcp";
    bool ok = *p != 0;
    long lo = 0, hi = 0;
    char *end;
    lo = strtol(p, &end, 10);
    if (end == p)
        ok = false;
    if (ok && *end == '-') {
        char *e2;
        hi = strtol(end + 1, &e2, 10);
        ok = *e2 == 0 && e2 != end + 1 && hi >= lo && hi <= 65535;
    } else if (ok) {
        ok = *end == 0;
    }
    ok = ok && lo >= 1 && lo <= 65535;
    ok = ok && (!strcmp(pr, "tcp") || !strcmp(pr, "udp") || !strcmp(pr, "sctp") || !strcmp(pr, "dccp"));
    if (!ok) {
        free(p);
        return false;
    }
    *port = p;
    *proto = xstrdup(pr);
    return true;
}

static bool valid_word(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!(isalnum((unsigned char)*s) || strchr("-_.+", *s)))
            return false;
    return true;
}

/* services listed in a zone file: <service name="X"/> */
static void zone_services(const char *path, strv_t *out, char **shortname)
{
    char *buf;
    if (read_file(path, &buf, NULL) < 0)
        return;
    for (char *p = buf; (p = strstr(p, "<service name=\"")); ) {
        p += strlen("<service name=\"");
        char *q = strchr(p, '"');
        if (!q)
            break;
        char *n = xstrndup(p, (size_t)(q - p));
        if (!strv_contains(out, n))
            strv_push(out, n);
        free(n);
        p = q;
    }
    char *s = strstr(buf, "<short>");
    if (s && shortname) {
        s += 7;
        char *e = strstr(s, "</short>");
        if (e)
            *shortname = xstrndup(s, (size_t)(e - s));
    }
    free(buf);
}

static char *default_zone(const char *root)
{
    char *p = path_join(root, "etc/firewalld/firewalld.conf"), *buf;
    char *zone = NULL;
    if (read_file(p, &buf, NULL) == 0) {
        for (char *save, *l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
            if (str_startswith(l, "DefaultZone=") && l[12])
                zone = xstrdup(l + 12);
        free(buf);
    }
    free(p);
    return zone ? zone : xstrdup("public");
}

static int write_files(const char *root, const struct ks_firewall *fw)
{
    char *zone = default_zone(root);
    strv_t svc = { 0 };
    char *shortname = NULL;
    /* start from the zone as configured (etc) or shipped (usr/lib) */
    char *etcz = xasprintf("%s/etc/firewalld/zones/%s.xml", root, zone);
    char *libz = xasprintf("%s/usr/lib/firewalld/zones/%s.xml", root, zone);
    zone_services(path_exists(etcz) ? etcz : libz, &svc, &shortname);
    if (!path_exists(etcz) && !path_exists(libz) && !strcmp(zone, "public")) {
        /* firewalld's public zone defaults */
        strv_push(&svc, "ssh");
        strv_push(&svc, "dhcpv6-client");
    }
    free(etcz);
    free(libz);
    for (size_t i = 0; i < fw->services.n; i++)
        if (!strv_contains(&svc, fw->services.v[i]))
            strv_push(&svc, fw->services.v[i]);
    strv_t keep = { 0 };
    for (size_t i = 0; i < svc.n; i++)
        if (!strv_contains(&fw->remove_services, svc.v[i]))
            strv_push(&keep, svc.v[i]);
    size_t cap = 256 + (shortname ? strlen(shortname) : 16);
    for (size_t i = 0; i < keep.n; i++)
        cap += strlen(keep.v[i]) + 32;
    cap += fw->ports.n * 64;
    char *x = xmalloc(cap), *o = x;
    o += sprintf(o, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<zone>\n  <short>%s</short>\n",
                 shortname ? shortname : zone);
    for (size_t i = 0; i < keep.n; i++)
        o += sprintf(o, "  <service name=\"%s\"/>\n", keep.v[i]);
    for (size_t i = 0; i < fw->ports.n; i++) {
        char *port, *proto;
        if (parse_port(fw->ports.v[i], &port, &proto)) {
            o += sprintf(o, "  <port protocol=\"%s\" port=\"%s\"/>\n", proto, port);
            free(port);
            free(proto);
        }
    }
    sprintf(o, "</zone>\n");
    char *rel = xasprintf("etc/firewalld/zones/%s.xml", zone);
    int r = root_write(root, rel, x, 0644);
    free(rel);
    free(x);
    if (r == 0 && fw->trusts.n) {
        size_t tc = 256;
        for (size_t i = 0; i < fw->trusts.n; i++)
            tc += strlen(fw->trusts.v[i]) + 32;
        char *t = xmalloc(tc), *to = t;
        to += sprintf(to, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<zone target=\"ACCEPT\">\n"
                          "  <short>Trusted</short>\n");
        for (size_t i = 0; i < fw->trusts.n; i++)
            to += sprintf(to, "  <interface name=\"%s\"/>\n", fw->trusts.v[i]);
        sprintf(to, "</zone>\n");
        r = root_write(root, "etc/firewalld/zones/trusted.xml", t, 0644);
        free(t);
    }
    free(zone);
    free(shortname);
    strv_free(&svc);
    strv_free(&keep);
    return r;
}

int firewall_apply(const char *root, const struct ks_firewall *fw)
{
    if (!fw->seen)
        return 0;
    if (fw->use_system_defaults) {
        log_info(LOCFMT "firewall --use-system-defaults: the image's firewall configuration is kept",
                 LOCARG(fw->loc));
        return 0;
    }
    for (size_t i = 0; i < fw->ports.n; i++) {
        char *port, *proto;
        if (!parse_port(fw->ports.v[i], &port, &proto))
            return log_fail(LOCFMT "firewall: invalid --port '%s' (expected PORT[-PORT][:tcp|udp|sctp|dccp])",
                            LOCARG(fw->loc), fw->ports.v[i]);
        free(port);
        free(proto);
    }
    const strv_t *words[] = { &fw->services, &fw->remove_services, &fw->trusts };
    for (size_t k = 0; k < 3; k++)
        for (size_t i = 0; i < words[k]->n; i++)
            if (!valid_word(words[k]->v[i]))
                return log_fail(LOCFMT "firewall: invalid name '%s'", LOCARG(fw->loc), words[k]->v[i]);
    bool enabled = fw->enabled != 0;
    static const char *const cmds[] = { "/usr/bin/firewall-offline-cmd", "/usr/sbin/firewall-offline-cmd", NULL };
    const char *cmd = root_find_exec(root, cmds);
    bool installed = cmd || root_exists(root, "usr/lib/systemd/system/firewalld.service") ||
                     root_exists(root, "usr/lib/firewalld");
    if (cmd) {
        strv_t argv = { 0 };
        strv_push(&argv, cmd);
        strv_push(&argv, enabled ? "--enabled" : "--disabled");
        for (size_t i = 0; i < fw->trusts.n; i++)
            strv_push_take(&argv, xasprintf("--trust=%s", fw->trusts.v[i]));
        for (size_t i = 0; i < fw->ports.n; i++)
            strv_push_take(&argv, xasprintf("--port=%s%s", fw->ports.v[i], strchr(fw->ports.v[i], ':') ? "" : ":tcp"));
        for (size_t i = 0; i < fw->remove_services.n; i++)
            strv_push_take(&argv, xasprintf("--remove-service=%s", fw->remove_services.v[i]));
        for (size_t i = 0; i < fw->services.n; i++)
            strv_push_take(&argv, xasprintf("--service=%s", fw->services.v[i]));
        struct run_opts o = { 0 };
        o.chroot = root;
        o.cwd = "/";
        int rc = run_argv((const char *const *)argv.v, &o);
        strv_free(&argv);
        if (rc != 0)
            return log_fail(LOCFMT "firewall: firewall-offline-cmd failed (status %d): %s", LOCARG(fw->loc), rc,
                            run_last_output());
        return 0;
    }
    if (!installed)
        log_warn(LOCFMT "firewall: firewalld is not installed in the image: only its configuration files are "
                        "written",
                 LOCARG(fw->loc));
    if (write_files(root, fw) < 0)
        return -1;
    if (installed) {
        int r = enabled ? services_enable(root, "firewalld.service") : services_disable(root, "firewalld.service");
        if (r == -1)
            log_warn(LOCFMT "firewall: the image has no firewalld.service", LOCARG(fw->loc));
    }
    return 0;
}
