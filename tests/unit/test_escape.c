/* test_escape.c - values written into XML, shell and keyfile text: the
 * escape module's round trips (libxml2, /bin/sh, GLib's keyfile parser),
 * strbuf/strv basics, and the firewall's zone XML from hostile kickstart
 * values (well-formed, or refused with the kickstart file:line). */
#define _GNU_SOURCE
#include "core/base/escape.h"
#include "core/bootloader_disk.h"
#include "core/firewall_cfg.h"
#include "core/keyboard.h"
#include "core/libvirt_xml.h"
#include "core/network_cfg.h"
#include "core/services.h"
#include "core/sysconf_ks.h"
#include "core/sysconfig.h"
#include "core/base/cleanup.h"
#include "core/base/log.h"
#include "core/base/rootfile.h"
#include "core/base/run.h"
#include "core/base/strbuf.h"
#include "core/base/strv.h"
#include "core/base/util.h"
#include "kickstart/ks.h"
#include "tap.h"

#include <glib.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

#define XML_QUIET (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)

/* strings every quoting must carry through unchanged */
static const char *const hostile[] = {
    "plain", "", "two words", "it's", "\"dq\"", "back\\slash", "$(id)", "`id`", "a;b|c&d",
    "<&\"'>", "tab\there", "new\nline", "*?[x]~#", "caf\xc3\xa9", "--opt=1", NULL,
};

/* S for a test name: control characters as \xNN (malloc'd) */
static char *shown(const char *s)
{
    struct strbuf b = { 0 };
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            strbuf_printf(&b, "\\x%02x", *p);
        else
            strbuf_addc(&b, (char)*p);
    return strbuf_take(&b);
}

/* ---- strbuf, strv ----------------------------------------------------------- */

static void case_strbuf_growth(void)
{
    struct strbuf b = { 0 };
    is_str(strbuf_str(&b), "", "an empty strbuf reads as \"\"");
    for (size_t i = 0; i < 70000; i++)
        strbuf_addc(&b, (char)('a' + i % 26));
    ok(b.n == 70000 && strlen(strbuf_str(&b)) == 70000, "strbuf grows past 64 KiB one byte at a time");
    ok(b.p[65536] == (char)('a' + 65536 % 26) && b.p[69999] == (char)('a' + 69999 % 26), "its content is kept");
    strbuf_reset(&b);
    ok(b.n == 0 && !strcmp(strbuf_str(&b), ""), "strbuf_reset empties it");
    char *big = xmalloc(100001);
    memset(big, 'x', 100000);
    big[100000] = 0;
    strbuf_printf(&b, "<%s>%d", big, 42);
    ok(b.n == 100004 && b.p[0] == '<' && !strcmp(b.p + 100001, ">42"), "strbuf_printf of a 100 KB string");
    char *t = strbuf_take(&b);
    ok(strlen(t) == 100004 && b.p == NULL && b.n == 0, "strbuf_take hands the string over");
    free(t);
    t = strbuf_take(&b);
    is_str(t, "", "strbuf_take of an empty one gives \"\"");
    free(t);
    free(big);
    strbuf_free(&b);
}

static void case_strv_basics(void)
{
    strv_t sv = { 0 };
    const char *const *a = strv_argv(&sv);
    ok(a && a[0] == NULL, "strv_argv of an empty vector is an empty argv");
    char *j = strv_join(&sv, ",");
    is_str(j, "", "strv_join of an empty vector");
    free(j);
    strv_push(&sv, "a");
    strv_pushv(&sv, "b", "c", NULL);
    strv_pushf(&sv, "%s-%d", "d", 4);
    for (int i = 0; i < 100; i++)
        strv_pushf(&sv, "n%d", i);
    a = strv_argv(&sv);
    ok(sv.n == 104 && !strcmp(a[3], "d-4") && !strcmp(a[103], "n99") && a[104] == NULL,
       "strv grows and stays NULL-terminated");
    ok(strv_contains(&sv, "c") && !strv_contains(&sv, "e"), "strv_contains");
    strv_free(&sv);
    strv_pushv(&sv, "x", "y", "z", NULL);
    j = strv_join(&sv, ", ");
    is_str(j, "x, y, z", "strv_join");
    free(j);
    strv_free(&sv);
    ok(sv.v == NULL && sv.n == 0, "strv_free leaves an empty vector");
}

/* ---- XML ------------------------------------------------------------------------ */

/* TEXT in an element and an attribute in QUOTE, parsed back by libxml2 */
static bool xml_round_trip(const char *s, char quote)
{
    struct strbuf b = { 0 };
    strbuf_printf(&b, "<r a=%c", quote);
    if (esc_xml_attr(&b, s) < 0)
        return false;
    strbuf_printf(&b, "%c>", quote);
    if (esc_xml_text(&b, s) < 0)
        return false;
    strbuf_add(&b, "</r>");
    xmlDocPtr doc = xmlReadMemory(b.p, (int)b.n, "t.xml", NULL, XML_QUIET);
    bool r = false;
    if (doc) {
        xmlNodePtr root = xmlDocGetRootElement(doc);
        xmlChar *attr = xmlGetProp(root, (const xmlChar *)"a"), *text = xmlNodeGetContent(root);
        r = attr && text && !strcmp((char *)attr, s) && !strcmp((char *)text, s);
        if (!r)
            printf("# '%s': attribute '%s' text '%s'\n", s, attr ? (char *)attr : "", text ? (char *)text : "");
        xmlFree(attr);
        xmlFree(text);
        xmlFreeDoc(doc);
    } else {
        printf("# not well-formed: %s\n", b.p);
    }
    strbuf_free(&b);
    return r;
}

static void case_xml_round_trip(void)
{
    for (size_t i = 0; hostile[i]; i++) {
        char *name = shown(hostile[i]);
        ok(xml_round_trip(hostile[i], '"') && xml_round_trip(hostile[i], '\''),
           "XML text and attribute round trip of '%s'", name);
        free(name);
    }
    ok(xml_round_trip("cr\r\nlf", '"'), "XML keeps a carriage return");
    ok(xml_round_trip("\xf0\x9f\x90\xa7 \xe2\x82\xac", '"'), "XML carries 4- and 3-byte UTF-8");
}

static void case_xml_refused(void)
{
    static const char *const bad[] = { "nul\x01", "esc\x1b[0m", "\xff", "\xc0\xaf", "\xed\xa0\x80", "\xe2\x82",
                                       "\xef\xbf\xbe", "\xf4\x90\x80\x80", NULL };
    for (size_t i = 0; bad[i]; i++) {
        struct strbuf b = { 0 };
        strbuf_add(&b, "x");
        ok(!esc_xml_ok(bad[i]) && esc_xml_text(&b, bad[i]) < 0 && esc_xml_attr(&b, bad[i]) < 0 && b.n == 1,
           "XML refuses bad value %zu (control character or not UTF-8) and appends nothing", i);
        strbuf_free(&b);
    }
}

/* ---- shell -------------------------------------------------------------------- */

/* ESCAPE turns IN into WANT */
static void escapes_to(void (*escape)(struct strbuf *, const char *), const char *in, const char *want,
                       const char *what)
{
    struct strbuf b = { 0 };
    escape(&b, in);
    is_str(strbuf_str(&b), want, "%s", what);
    strbuf_free(&b);
}

/* what /bin/sh -c 'printf %s QUOTED' prints */
static char *sh_printf(const char *quoted)
{
    char *cmd = xasprintf("printf %%s %s", quoted), *out = NULL;
    if (run_capture(&out, "/bin/sh", "-c", cmd, NULL) != 0) {
        free(out);
        out = NULL;
    }
    free(cmd);
    return out;
}

static void case_sh_round_trip(void)
{
    void (*const quote[])(struct strbuf *, const char *) = { esc_sh_quote, esc_sh_word, esc_sh_dquote };
    const char *names[] = { "esc_sh_quote", "esc_sh_word", "esc_sh_dquote" };
    for (size_t q = 0; q < 3; q++)
        for (size_t i = 0; hostile[i]; i++) {
            struct strbuf b = { 0 };
            quote[q](&b, hostile[i]);
            char *out = sh_printf(strbuf_str(&b)), *name = shown(hostile[i]), *word = shown(strbuf_str(&b));
            ok(out && !strcmp(out, hostile[i]), "%s: /bin/sh gives back '%s' (from %s)", names[q], name, word);
            free(out);
            free(name);
            free(word);
            strbuf_free(&b);
        }
    escapes_to(esc_sh_word, "/usr/bin/x-1.2:3", "/usr/bin/x-1.2:3", "esc_sh_word leaves a plain word bare");
    escapes_to(esc_sh_quote, "it's", "'it'\\''s'", "esc_sh_quote");
    escapes_to(esc_sh_dquote, "a\"$b", "\"a\\\"\\$b\"", "esc_sh_dquote");
}

/* ---- INI, keyfile ---------------------------------------------------------------- */

static void case_keyfile(void)
{
    ok(esc_value_ok("a value; with = [signs] \\ and UTF-8 caf\xc3\xa9"), "esc_value_ok takes printable text");
    ok(!esc_value_ok("a\nb") && !esc_value_ok("a\rb") && !esc_value_ok("\t") && !esc_value_ok("del\x7f"),
       "esc_value_ok refuses newline, CR, tab, DEL");
    for (size_t i = 0; hostile[i]; i++) {
        struct strbuf b = { 0 };
        strbuf_add(&b, "[s]\nk=");
        esc_keyfile(&b, hostile[i]);
        strbuf_add(&b, "\n");
        GKeyFile *kf = g_key_file_new();
        GError *err = NULL;
        gchar *v = NULL;
        if (g_key_file_load_from_data(kf, b.p, b.n, G_KEY_FILE_NONE, &err))
            v = g_key_file_get_string(kf, "s", "k", &err);
        char *name = shown(hostile[i]);
        ok(v && !strcmp(v, hostile[i]), "keyfile round trip of '%s'", name);
        free(name);
        g_free(v);
        g_clear_error(&err);
        g_key_file_free(kf);
        strbuf_free(&b);
    }
    escapes_to(esc_keyfile, " lead", "\\slead", "a leading space is \\s");
}

static void case_root_set_var_refuses(void)
{
    char *root = make_tmpdir("/tmp", "ksc-escape");
    ok(root_set_var(root, "etc/x.conf", "KEY", "ok", 0644) == 0, "root_set_var writes a value");
    ok(root_set_var(root, "etc/x.conf", "KEY", "a\nEVIL=1", 0644) < 0 && strstr(log_failure(), "KEY"),
       "root_set_var refuses a value with a newline");
    char *p = path_join(root, "etc/x.conf"), *buf = NULL;
    ok(read_file(p, &buf, NULL) == 0 && !strcmp(buf, "KEY=ok\n"), "the file is left as it was");
    free(buf);
    free(p);
    rm_rf(root);
    free(root);
}

/* ---- the firewall's zone XML from kickstart values ------------------------------ */

static char *R;   /* a fake image root */

static void put(const char *rel, const char *content)
{
    ok(root_write(R, rel, content, 0644) == 0, "fixture %s", rel);
}

typedef int (*apply_fn)(const struct kickstart *ks, const struct ks_sysconf *sc);

/* parse TEXT as NAME, apply it to R with APPLY */
static int apply_ks(const char *text, const char *name, apply_fn apply)
{
    struct kickstart *ks = NULL;
    if (ks_parse_string(text, name, NULL, &ks) != 0 || !ks) {
        printf("# the kickstart does not parse: %s\n", log_failure() ? log_failure() : "");
        return -2;
    }
    struct ks_sysconf sc;
    sysconf_from_ks(ks, &sc);
    int r = apply(ks, &sc);
    ks_sysconf_free(&sc);
    ks_free(ks);
    return r;
}

static int fw_apply(const struct kickstart *ks, const struct ks_sysconf *sc)
{
    (void)ks;
    return firewall_apply(R, &sc->firewall);
}

static int firewall_from_ks(const char *text) { return apply_ks(text, "fw.ks", fw_apply); }

struct refusal {
    const char *text, *want;
};

/* TEXT fails to apply, and the failure says WANT (the kickstart file:line first) */
static void refused(const char *text, const char *name, apply_fn apply, const char *want)
{
    int r = apply_ks(text, name, apply);
    const char *f = log_failure() ? log_failure() : "";
    ok(r == -1 && strstr(f, want), "refused: %s", want);
    if (!strstr(f, want))
        printf("#   got: %s\n", f);
}

static void refused_all(const struct refusal *r, size_t n, const char *name, apply_fn apply)
{
    for (size_t i = 0; i < n; i++)
        refused(r[i].text, name, apply, r[i].want);
}

static void fresh_root(void)
{
    if (R) {
        rm_rf(R);
        free(R);
    }
    R = make_tmpdir("/tmp", "ksc-escape-fw");
    put("usr/lib/firewalld/zones/public.xml",
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<zone>\n  <short>Public &amp; \"home\" &lt;1&gt;</short>\n"
        "  <service name='ssh'/>\n  <service name=\"mdns\" />\n</zone>\n");
}

/* the zone file parsed, or NULL (then why is printed) */
static xmlDocPtr zone_doc(const char *rel)
{
    char *p = path_join(R, rel);
    xmlDocPtr d = xmlReadFile(p, NULL, XML_QUIET);
    if (!d)
        printf("# %s is missing or not well-formed XML\n", p);
    free(p);
    return d;
}

/* "tag:attr=value,attr=value;..." of the root's element children, in order */
static char *zone_summary(xmlDocPtr d)
{
    struct strbuf b = { 0 };
    for (xmlNodePtr n = xmlDocGetRootElement(d)->children; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        strbuf_printf(&b, "%s%s:", b.n ? ";" : "", (const char *)n->name);
        for (xmlAttrPtr a = n->properties; a; a = a->next) {
            xmlChar *v = xmlGetProp(n, a->name);
            strbuf_printf(&b, "%s%s=%s", a == n->properties ? "" : ",", (const char *)a->name, (const char *)v);
            xmlFree(v);
        }
        if (!n->properties) {
            xmlChar *t = xmlNodeGetContent(n);
            strbuf_add(&b, (const char *)t);
            xmlFree(t);
        }
    }
    return strbuf_take(&b);
}

/* a kickstart text: HEAD, 10,000 times DIGIT, TAIL (malloc'd) */
static char *ks_10k_digits(const char *head, char digit, const char *tail)
{
    struct strbuf b = { 0 };
    strbuf_add(&b, head);
    for (int i = 0; i < 10000; i++)
        strbuf_addc(&b, digit);
    strbuf_add(&b, tail);
    return strbuf_take(&b);
}

static void case_firewall_leading_zeros(void)
{
    fresh_root();
    char *ks = ks_10k_digits("firewall --enabled --port=", '0',
                             "22:tcp,0000065535:udp,01-0002:sctp,8080 --service=http --trust=eth1\n");
    is_int(firewall_from_ks(ks), 0, "a port with 10,000 leading zeros is accepted");
    xmlDocPtr d = zone_doc("etc/firewalld/zones/public.xml");
    ok(d != NULL, "the zone file is well-formed XML");
    if (d) {
        char *s = zone_summary(d);
        is_str(s,
               "short:Public & \"home\" <1>;service:name=ssh;service:name=mdns;service:name=http;"
               "port:protocol=tcp,port=22;port:protocol=udp,port=65535;port:protocol=sctp,port=1-2;"
               "port:protocol=tcp,port=8080",
               "shipped short name kept through an XML round trip, ports without their leading zeros");
        free(s);
        xmlFreeDoc(d);
    }
    d = zone_doc("etc/firewalld/zones/trusted.xml");
    ok(d != NULL, "trusted.xml is well-formed XML");
    xmlFreeDoc(d);
    free(ks);
}

static void case_firewall_port_bounds(void)
{
    fresh_root();
    char *ks = ks_10k_digits("# ports out of range\nfirewall --enabled --port=", '9', ":tcp\n");
    refused(ks, "fw.ks", fw_apply, "fw.ks:2: firewall: invalid --port '9999");
    ok(strlen(log_failure()) < 200, "a 10,000-digit port: no overflow, the value cut short in the message");
    free(ks);
    static const struct refusal bad[] = {
        { "\n\nfirewall --port=0000065536:tcp\n", "fw.ks:3: firewall: invalid --port '0000065536:tcp'" },
        { "firewall --port=0:tcp\n", "fw.ks:1: firewall: invalid --port '0:tcp'" },
        { "firewall --port=30-20:udp\n", "fw.ks:1: firewall: invalid --port '30-20:udp'" },
        { "firewall --port=-5:tcp\n", "fw.ks:1: firewall: invalid --port '-5:tcp'" },
    };
    refused_all(bad, sizeof bad / sizeof *bad, "fw.ks", fw_apply);
    ok(!root_exists(R, "etc/firewalld/zones/public.xml"), "nothing was written");
}

static void case_firewall_hostile_names(void)
{
    static const struct { const char *ks, *want; } cases[] = {
        { "firewall --service='x<&\"y'\n", "fw.ks:1: firewall: invalid name 'x<&\"y'" },
        { "\nfirewall --service=\"x'y\"\n", "fw.ks:2: firewall: invalid name 'x'y'" },
        { "firewall --remove-service='</zone>'\n", "fw.ks:1: firewall: invalid name '</zone>'" },
        { "firewall --trust='eth0\"/><x a=\"'\n", "fw.ks:1: firewall: invalid name 'eth0\"/><x a=\"'" },
        { "firewall --port='22\"/><x a=\"':tcp\n", "fw.ks:1: firewall: invalid --port '22\"/><x a=\":tcp'" },
        { "firewall --port=22:'tcp\"&amp;'\n", "fw.ks:1: firewall: invalid --port '22:tcp\"&amp;'" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        fresh_root();
        refused(cases[i].ks, "fw.ks", fw_apply, cases[i].want);
        ok(!root_exists(R, "etc/firewalld/zones/public.xml"), "no zone file written");
    }
}

static void case_firewall_bad_shipped_zone(void)
{
    fresh_root();
    put("usr/lib/firewalld/zones/public.xml", "<zone><short>broken & not XML</zone>");
    put("etc/firewalld/firewalld.conf", "DefaultZone=public \n");
    is_int(firewall_from_ks("firewall --service=ssh\n"), 0, "a shipped zone that is not XML: applied anyway");
    xmlDocPtr d = zone_doc("etc/firewalld/zones/public.xml");
    char *s = d ? zone_summary(d) : NULL;
    is_str(s, "short:public;service:name=ssh", "the written zone is well-formed, with the kickstart's service");
    free(s);
    xmlFreeDoc(d);
    put("etc/firewalld/firewalld.conf", "DefaultZone=../../../x\n");
    ok(firewall_from_ks("firewall --service=ssh\n") == -1 && strstr(log_failure(), "invalid DefaultZone"),
       "an invalid DefaultZone in the image is refused");
}

static void case_libvirt_xml(void)
{
    struct vm_disk d[1] = { { "/img/it's <a>&\"b\".raw", "raw" } };
    char *x = libvirt_domain_xml("vm'&<x>\"", "desc ' \" & < >", 512, 1, false, d, 1);
    xmlDocPtr doc = x ? xmlReadMemory(x, (int)strlen(x), "d.xml", NULL, XML_QUIET) : NULL;
    ok(doc != NULL, "libvirt XML with <&\"' in name, description and disk path is well-formed");
    if (doc) {
        xmlNodePtr n = xmlDocGetRootElement(doc)->children;
        while (n && (n->type != XML_ELEMENT_NODE || xmlStrcmp(n->name, (const xmlChar *)"name")))
            n = n->next;
        xmlChar *t = n ? xmlNodeGetContent(n) : NULL;
        is_str((const char *)t, "vm'&<x>\"", "the name round-trips");
        xmlFree(t);
        xmlFreeDoc(doc);
    }
    free(x);
    x = libvirt_domain_xml("vm\x01", NULL, 512, 1, false, d, 1);
    ok(!x && strstr(log_failure(), "characters XML cannot carry"), "a control character is refused");
    free(x);
}

/* ---- network: NM keyfile and ifcfg values ------------------------------------------ */

static int net_apply(const struct kickstart *ks, const struct ks_sysconf *sc)
{
    (void)ks;
    return network_apply(R, sc->networks, sc->n_networks);
}

/* [GROUP] KEY of the keyfile REL in R, as GLib reads it (malloc'd) */
static char *keyfile_get(const char *rel, const char *group, const char *key)
{
    char *p = path_join(R, rel), *v = NULL;
    GKeyFile *kf = g_key_file_new();
    if (g_key_file_load_from_file(kf, p, G_KEY_FILE_NONE, NULL)) {
        gchar *g = g_key_file_get_string(kf, group, key, NULL);
        v = g ? xstrdup(g) : NULL;
        g_free(g);
    }
    g_key_file_free(kf);
    free(p);
    return v;
}

/* VAR after /bin/sh sources REL in R (malloc'd, with printenv's newline) */
static char *sh_source(const char *rel, const char *var)
{
    char *p = path_join(R, rel), *out = NULL;
    if (run_capture(&out, "/bin/sh", "-c", "set -a; . \"$0\" && printenv \"$1\"", p, var, NULL) != 0) {
        free(out);
        out = NULL;
    }
    free(p);
    return out;
}

/* GLib reads WANT back from [GROUP] KEY of the keyfile REL */
static void keyfile_reads(const char *rel, const char *group, const char *key, const char *want, const char *what)
{
    char *v = keyfile_get(rel, group, key);
    is_str(v, want, "%s", what);
    free(v);
}

/* /bin/sh reads WANT back as VAR from REL */
static void sh_reads(const char *rel, const char *var, const char *want, const char *what)
{
    char *v = sh_source(rel, var), *w = xasprintf("%s\n", want);
    is_str(v, w, "%s", what);
    free(v);
    free(w);
}

/* TEXT applies, and /bin/sh sourcing REL reads WANT back as VAR */
static void applied_sh_reads(const char *text, apply_fn apply, const char *rel, const char *var, const char *want)
{
    is_int(apply_ks(text, "sh.ks", apply), 0, "applied: %.*s", (int)strcspn(text, "\n"), text);
    char *what = xasprintf("%s: the shell reads %s back", rel, var);
    sh_reads(rel, var, want, what);
    free(what);
}

#define ESSID "my \"net\" $(id) \\x ;<&>"
#define WPAKEY "p'a$s`x` \\n"

static void case_network_values(void)
{
    fresh_root();
    put("usr/sbin/NetworkManager", "");
    const char *ks = "network --device=wlan0 --essid='" ESSID "' --wpakey=\"p'a$s`x` \\\\n\"\n";
    is_int(apply_ks(ks, "net.ks", net_apply), 0, "network with quotes, $, backslash in --essid/--wpakey");
    const char *nm = "etc/NetworkManager/system-connections/wlan0.nmconnection";
    keyfile_reads(nm, "wifi", "ssid", ESSID, "NM keyfile: GLib reads the ssid back");
    keyfile_reads(nm, "wifi-security", "psk", WPAKEY, "NM keyfile: GLib reads the psk back");
    keyfile_reads(nm, "connection", "interface-name", "wlan0", "NM keyfile: interface-name");

    char *p = path_join(R, "usr/sbin/NetworkManager");
    unlink(p);
    free(p);
    put("etc/sysconfig/network-scripts/.keep", "");
    is_int(apply_ks(ks, "net.ks", net_apply), 0, "the same for ifcfg");
    sh_reads("etc/sysconfig/network-scripts/ifcfg-wlan0", "ESSID", ESSID, "ifcfg: the shell reads ESSID back");
    sh_reads("etc/sysconfig/network-scripts/keys-wlan0", "WPA_PSK", WPAKEY,
             "ifcfg keys: the shell reads WPA_PSK back");
    sh_reads("etc/sysconfig/network-scripts/ifcfg-wlan0", "DEVICE", "wlan0", "ifcfg: DEVICE");

    static const struct refusal bad[] = {
        { "\nnetwork --device=wlan0 --essid='a\tb'\n",
          "net.ks:2: network: --essid cannot contain a newline or control character" },
        { "network --device=eth0 --ipv6=::1/64x\n", "net.ks:1: network: invalid --ipv6=::1/64x" },
        { "network --device=eth0 --ipv6gateway='fe80::1 x'\n", "net.ks:1: network: invalid --ipv6gateway=" },
    };
    refused_all(bad, sizeof bad / sizeof *bad, "net.ks", net_apply);
}

/* ---- keyboard: vconsole.conf and xorg.conf values ------------------------------------- */

static int kb_apply(const struct kickstart *ks, const struct ks_sysconf *sc)
{
    (void)ks;
    return keyboard_apply(R, &sc->keyboard);
}

static void case_keyboard_values(void)
{
    fresh_root();
    applied_sh_reads("keyboard --vckeymap='us;id>/tmp/pwned&(x)' --xlayouts=us\n", kb_apply, "etc/vconsole.conf",
                     "KEYMAP", "us;id>/tmp/pwned&(x)");
    refused("\nkeyboard --vckeymap='us\tx'\n", "kb.ks", kb_apply, "kb.ks:2: keyboard: invalid keymap");
    refused("keyboard --vckeymap=us --xlayouts='us\" Option \"x'\n", "kb.ks", kb_apply,
            "kb.ks:1: keyboard: invalid X layout");
    put("usr/share/systemd/kbd-model-map", "xx\txx\tpc105\t-\tgrp:\"evil\"\n");
    refused("keyboard --vckeymap=xx\n", "kb.ks", kb_apply,
            "kb.ks:1: keyboard: the image's kbd-model-map gives invalid X options");
}

/* ---- sysconfig: sysconfig/desktop, presets, kernel command line, rpm macros ---------------- */

static int all_apply(const struct kickstart *ks, const struct ks_sysconf *sc)
{
    return sysconfig_apply_sc(ks, sc, R);
}

static void case_sysconfig_values(void)
{
    fresh_root();
    applied_sh_reads("xconfig --defaultdesktop='GNOME\" $(id) `id` \\'\n", all_apply, "etc/sysconfig/desktop",
                     "DESKTOP", "GNOME\" $(id) `id` \\");
    is_int(apply_ks("xconfig --defaultdesktop=KDE\n", "sys.ks", all_apply), 0, "a plain desktop");
    char *p = path_join(R, "etc/sysconfig/desktop"), *b = NULL;
    ok(read_file(p, &b, NULL) == 0 && !strcmp(b, "DESKTOP=\"KDE\"\n"), "written as before: DESKTOP=\"KDE\"");
    free(b);
    free(p);
    static const struct refusal bad[] = {
        { "\nxconfig --defaultdesktop='a\tb'\n",
          "sys.ks:2: xconfig --defaultdesktop: a newline or control character" },
        { "services --enabled='sshd\tx'\n", "sys.ks:1: services: invalid unit name" },
        { "services --disabled=../../etc/x\n", "sys.ks:1: services: invalid unit name '../../etc/x'" },
        { "bootloader --append='quiet\tx'\n", "sys.ks:1: bootloader --append: a newline or control character" },
        { "%packages --inst-langs='en\tde'\n%end\n",
          "sys.ks:1: %packages --inst-langs: a newline or control character" },
    };
    refused_all(bad, sizeof bad / sizeof *bad, "sys.ks", all_apply);
}

/* ---- services: [Install] specifiers (their buffer was sized by hand) ---------------------- */

static void case_services_specifiers(void)
{
    fresh_root();
    const char *unit = "a-rather-long-unit-name-for-specifiers-0123456789.service";
    char *rel = xasprintf("usr/lib/systemd/system/%s", unit);
    put(rel, "[Install]\nAlias=%N%N%N%N%N%N%N%N%N%N%N%N.service\n");
    put("usr/lib/systemd/system/x.target", "[Unit]\n");
    struct strbuf want = { 0 };
    for (int i = 0; i < 12; i++)
        strbuf_addn(&want, unit, strlen(unit) - strlen(".service"));
    strbuf_add(&want, ".service");
    char *logf = path_join(R, "log"), *logged = NULL;
    log_close();
    log_open(LOG_QUIET, logf);
    int r = services_enable(R, unit);
    log_close();
    log_open(LOG_QUIET, NULL);
    ok(r == -2 && read_file(logf, &logged, NULL) == 0 && strstr(logged, strbuf_str(&want)),
       "Alias= expanding to 12 times the unit name: expanded in full (too long a name for a link: -2, logged)");
    free(logged);
    free(logf);
    strbuf_free(&want);
    free(rel);
}

/* ---- grub.cfg menu titles ---------------------------------------------------------------- */

static void case_grub_titles(void)
{
    const char *k[] = { "6.1.0-1", NULL };
    char *cfg = bootdisk_grub_cfg("Joe's OS", k, "/boot", "B", "R", "ext4", "quiet", 5, true);
    ok(strstr(cfg, "\nmenuentry 'Joe'\\''s OS (6.1.0-1)' --class kscreate --id 'kscreate-6.1.0-1' {\n") != NULL,
       "a quote in the grub menu title is quoted as grub (and the shell) read it");
    free(cfg);
    cfg = bootdisk_grub_cfg("Fixture", k, "/boot", "B", "R", "ext4", "quiet", 5, true);
    ok(strstr(cfg, "\nmenuentry 'Fixture (6.1.0-1)' --class kscreate --id 'kscreate-6.1.0-1' {\n") != NULL,
       "a plain title is written as before");
    free(cfg);
}

static const struct tap_case cases[] = {
    TAP_CASE(case_strbuf_growth),  TAP_CASE(case_strv_basics), TAP_CASE(case_xml_round_trip),
    TAP_CASE(case_xml_refused),    TAP_CASE(case_sh_round_trip), TAP_CASE(case_keyfile),
    TAP_CASE(case_root_set_var_refuses), TAP_CASE(case_firewall_leading_zeros), TAP_CASE(case_firewall_port_bounds),
    TAP_CASE(case_firewall_hostile_names), TAP_CASE(case_firewall_bad_shipped_zone),
    TAP_CASE(case_libvirt_xml), TAP_CASE(case_network_values),
    TAP_CASE(case_keyboard_values), TAP_CASE(case_sysconfig_values),
    TAP_CASE(case_services_specifiers), TAP_CASE(case_grub_titles), { 0 },
};

int main(int argc, char **argv)
{
    log_open(LOG_QUIET, NULL);
    int r = tap_run(cases, argc, argv);
    if (R) {
        rm_rf(R);
        free(R);
    }
    xmlCleanupParser();
    return r;
}
