/* firewall_cfg.c - see firewall_cfg.h */
#define _GNU_SOURCE
#include "core/firewall_cfg.h"
#include "core/base/escape.h"
#include "core/base/log.h"
#include "core/base/strbuf.h"
#include "core/base/strv.h"
#include "core/base/rootfile.h"
#include "core/base/run.h"
#include "core/services.h"
#include "core/base/util.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#define LOCFMT "%s:%d: "
#define LOCARG(l) ((l).file ? (l).file : "kickstart"), (l).line
/* a value in a message: its first 64 bytes ("%.*s%s") */
#define SHOWN(s) 64, (s), strlen(s) > 64 ? "..." : ""

/* a port number as firewalld takes it (any number of leading zeros), or -1 */
static long port_number(const char *s, char **end)
{
    errno = 0;
    long v = strtol(s, end, 10);
    return *end == s || errno == ERANGE || v < 0 || v > 65535 ? -1 : v;
}

/* "22:tcp", "1000-2000:udp", "8080" -> port ("22", "1000-2000", normalised:
 * no leading zeros), proto; false if invalid */
static bool parse_port(const char *spec, char **port, char **proto)
{
    const char *colon = strchr(spec, ':');
    char *p = colon ? xstrndup(spec, (size_t)(colon - spec)) : xstrdup(spec);
    const char *pr = colon ? colon + 1 : "tcp";
    char *end;
    long lo = port_number(p, &end), hi = -1;
    bool ok = lo >= 1;
    if (ok && *end == '-') {
        char *e2;
        hi = port_number(end + 1, &e2);
        ok = *e2 == 0 && hi >= lo;
    } else if (ok) {
        ok = *end == 0;
    }
    ok = ok && (!strcmp(pr, "tcp") || !strcmp(pr, "udp") || !strcmp(pr, "sctp") || !strcmp(pr, "dccp"));
    free(p);
    if (!ok)
        return false;
    *port = hi >= 0 ? xasprintf("%ld-%ld", lo, hi) : xasprintf("%ld", lo);
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

/* the services and the short name of a zone file (no file: nothing) */
static void zone_read(const char *path, strv_t *out, char **shortname)
{
    if (!path_exists(path))
        return;
    xmlDocPtr doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    xmlNodePtr zone = doc ? xmlDocGetRootElement(doc) : NULL;
    if (!zone || xmlStrcmp(zone->name, (const xmlChar *)"zone")) {
        log_warn("%s is not a firewalld zone file: its services are not kept", path);
        xmlFreeDoc(doc);
        return;
    }
    for (xmlNodePtr n = zone->children; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (!xmlStrcmp(n->name, (const xmlChar *)"service")) {
            xmlChar *name = xmlGetProp(n, (const xmlChar *)"name");
            if (name && !strv_contains(out, (const char *)name))
                strv_push(out, (const char *)name);
            xmlFree(name);
        } else if (!xmlStrcmp(n->name, (const xmlChar *)"short") && !*shortname) {
            xmlChar *t = xmlNodeGetContent(n);
            *shortname = xstrdup(t ? (const char *)t : "");
            xmlFree(t);
        }
    }
    xmlFreeDoc(doc);
}

static char *default_zone(const char *root)
{
    char *p = path_join(root, "etc/firewalld/firewalld.conf"), *buf;
    char *zone = NULL;
    if (read_file(p, &buf, NULL) == 0) {
        for (char *save, *l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
            if (str_startswith(l, "DefaultZone=") && l[12]) {
                free(zone);
                zone = xstrndup(l + 12, strcspn(l + 12, " \t\r"));
            }
        free(buf);
    }
    free(p);
    return zone ? zone : xstrdup("public");
}

/* the zone's services: as configured (etc) or shipped (usr/lib), plus
 * --service, minus --remove-service */
static void zone_services(const char *root, const char *zone, const struct ks_firewall *fw, strv_t *keep,
                          char **shortname)
{
    strv_t svc = { 0 };
    char *etcz = xasprintf("%s/etc/firewalld/zones/%s.xml", root, zone);
    char *libz = xasprintf("%s/usr/lib/firewalld/zones/%s.xml", root, zone);
    zone_read(path_exists(etcz) ? etcz : libz, &svc, shortname);
    if (!path_exists(etcz) && !path_exists(libz) && !strcmp(zone, "public"))
        strv_pushv(&svc, "ssh", "dhcpv6-client", NULL);   /* firewalld's public zone defaults */
    free(etcz);
    free(libz);
    for (size_t i = 0; i < fw->services.n; i++)
        if (!strv_contains(&svc, fw->services.v[i]))
            strv_push(&svc, fw->services.v[i]);
    for (size_t i = 0; i < svc.n; i++)
        if (!strv_contains(&fw->remove_services, svc.v[i]))
            strv_push(keep, svc.v[i]);
    strv_free(&svc);
}

/* <TAG ATTR="VALUE"/> lines into X; -1 when a value cannot be written */
static int xml_empty_tag(struct strbuf *x, const char *tag, const char *attr, const char *value)
{
    strbuf_printf(x, "  <%s %s=\"", tag, attr);
    if (esc_xml_attr(x, value) < 0)
        return -1;
    strbuf_add(x, "\"/>\n");
    return 0;
}

static int zone_xml(struct strbuf *x, const char *shortname, const strv_t *services, const struct ks_firewall *fw)
{
    strbuf_add(x, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<zone>\n  <short>");
    if (esc_xml_text(x, shortname) < 0)
        return -1;
    strbuf_add(x, "</short>\n");
    for (size_t i = 0; i < services->n; i++)
        if (xml_empty_tag(x, "service", "name", services->v[i]) < 0)
            return -1;
    for (size_t i = 0; i < fw->ports.n; i++) {
        char *port, *proto;
        if (parse_port(fw->ports.v[i], &port, &proto)) {
            strbuf_printf(x, "  <port protocol=\"%s\" port=\"%s\"/>\n", proto, port);
            free(port);
            free(proto);
        }
    }
    strbuf_add(x, "</zone>\n");
    return 0;
}

static int trusted_xml(struct strbuf *x, const strv_t *interfaces)
{
    strbuf_add(x, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<zone target=\"ACCEPT\">\n"
                  "  <short>Trusted</short>\n");
    for (size_t i = 0; i < interfaces->n; i++)
        if (xml_empty_tag(x, "interface", "name", interfaces->v[i]) < 0)
            return -1;
    strbuf_add(x, "</zone>\n");
    return 0;
}

static int write_files(const char *root, const struct ks_firewall *fw)
{
    char *zone = default_zone(root);
    if (!valid_word(zone)) {
        int r = log_fail("firewall: the image's firewalld.conf names an invalid DefaultZone '%s'", zone);
        free(zone);
        return r;
    }
    strv_t keep = { 0 };
    char *shortname = NULL;
    zone_services(root, zone, fw, &keep, &shortname);
    struct strbuf x = { 0 };
    int r = zone_xml(&x, shortname ? shortname : zone, &keep, fw);
    if (r < 0) {
        r = log_fail(LOCFMT "firewall: the %s zone's values cannot be written as XML", LOCARG(fw->loc), zone);
    } else {
        char *rel = xasprintf("etc/firewalld/zones/%s.xml", zone);
        r = root_write(root, rel, strbuf_str(&x), 0644);
        free(rel);
    }
    strbuf_reset(&x);
    if (r == 0 && fw->trusts.n) {
        r = trusted_xml(&x, &fw->trusts) < 0
                ? log_fail(LOCFMT "firewall: --trust values cannot be written as XML", LOCARG(fw->loc))
                : root_write(root, "etc/firewalld/zones/trusted.xml", strbuf_str(&x), 0644);
    }
    strbuf_free(&x);
    free(zone);
    free(shortname);
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
        char *port = NULL, *proto = NULL;
        if (!parse_port(fw->ports.v[i], &port, &proto))
            return log_fail(LOCFMT "firewall: invalid --port '%.*s%s' (expected PORT[-PORT][:tcp|udp|sctp|dccp], "
                                   "ports 1-65535)",
                            LOCARG(fw->loc), SHOWN(fw->ports.v[i]));
        free(port);
        free(proto);
    }
    const strv_t *words[] = { &fw->services, &fw->remove_services, &fw->trusts };
    for (size_t k = 0; k < 3; k++)
        for (size_t i = 0; i < words[k]->n; i++)
            if (!valid_word(words[k]->v[i]))
                return log_fail(LOCFMT "firewall: invalid name '%.*s%s'", LOCARG(fw->loc), SHOWN(words[k]->v[i]));
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
        for (size_t i = 0; i < fw->ports.n; i++) {
            char *port = NULL, *proto = NULL;
            if (parse_port(fw->ports.v[i], &port, &proto))
                strv_push_take(&argv, xasprintf("--port=%s:%s", port, proto));
            free(port);
            free(proto);
        }
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
