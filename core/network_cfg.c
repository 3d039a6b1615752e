/* network_cfg.c - see network_cfg.h */
#define _GNU_SOURCE
#include "core/network_cfg.h"
#include "core/base/escape.h"
#include "core/base/log.h"
#include "core/base/strbuf.h"
#include "core/base/strv.h"
#include "core/base/rootfile.h"
#include "core/base/util.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#define LOCFMT "%s:%d: "
#define LOCARG(l) ((l).file ? (l).file : "kickstart"), (l).line

enum net_backend network_backend(const char *root)
{
    if (root_exists(root, "usr/sbin/NetworkManager") ||
        root_exists(root, "usr/lib/systemd/system/NetworkManager.service"))
        return NET_NM;
    /* network-scripts (not busybox's ifup applet) */
    if (root_exists(root, "etc/sysconfig/network-scripts") || root_exists(root, "usr/libexec/network-scripts") ||
        root_exists(root, "etc/rc.d/init.d/network"))
        return NET_IFCFG;
    if (root_exists(root, "usr/lib/systemd/system/systemd-networkd.service"))
        return NET_NETWORKD;
    return NET_NONE;
}

static bool valid_hostname(const char *h)
{
    size_t n = strlen(h);
    if (!n || n > 64 || *h == '-' || *h == '.' || h[n - 1] == '-')
        return false;
    for (const char *p = h; *p; p++)
        if (!(isalnum((unsigned char)*p) || *p == '-' || *p == '.'))
            return false;
    return !strstr(h, "..");
}

static bool is_mac(const char *s)
{
    unsigned a[6];
    char c;
    return strlen(s) == 17 && sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &a[0], &a[1], &a[2], &a[3], &a[4], &a[5], &c) == 6;
}

/* netmask "255.255.255.0" or prefix "24" -> prefix, -1 if invalid */
static int prefix_of(const char *mask)
{
    char *end;
    long p = strtol(mask, &end, 10);
    if (!*end && end != mask)
        return p >= 0 && p <= 32 ? (int)p : -1;
    struct in_addr a;
    if (inet_pton(AF_INET, mask, &a) != 1)
        return -1;
    uint32_t m = ntohl(a.s_addr);
    int bits = 0;
    while (m & 0x80000000u) {
        bits++;
        m <<= 1;
    }
    return m ? -1 : bits;
}

static bool is_ipv4(const char *s)
{
    struct in_addr a;
    return s && inet_pton(AF_INET, s, &a) == 1;
}

/* an IPv6 address, optionally with a /PREFIX (0-128) */
static bool is_ipv6ish(const char *s)
{
    struct in6_addr a;
    const char *sl = strchr(s, '/');
    char *addr = sl ? xstrndup(s, (size_t)(sl - s)) : xstrdup(s);
    bool ok = inet_pton(AF_INET6, addr, &a) == 1;
    free(addr);
    if (ok && sl) {
        char *end;
        errno = 0;
        long p = strtol(sl + 1, &end, 10);
        ok = isdigit((unsigned char)sl[1]) && !*end && errno == 0 && p >= 0 && p <= 128;
    }
    return ok;
}

static bool is_ipv6(const char *s)
{
    struct in6_addr a;
    return inet_pton(AF_INET6, s, &a) == 1;
}

static void make_uuid(char out[37])
{
    unsigned char b[16];
    if (getrandom(b, sizeof b, 0) != sizeof b)
        memset(b, 0x5a, sizeof b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2],
             b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

/* every string followed by TERM */
static char *join_term(const strv_t *sv, const char *term)
{
    struct strbuf b = { 0 };
    for (size_t i = 0; i < sv->n; i++) {
        strbuf_add(&b, sv->v[i]);
        strbuf_add(&b, term);
    }
    return strbuf_take(&b);
}

/* the values written as they are given: one line, no control characters */
static int check_text(const struct ks_network *n)
{
    const char *opt[] = { "--device", "--essid", "--wpakey" };
    const char *val[] = { n->device, n->essid, n->wpakey };
    for (size_t i = 0; i < 3; i++)
        if (val[i] && !esc_value_ok(val[i]))
            return log_fail(LOCFMT "network: %s cannot contain a newline or control character", LOCARG(n->loc),
                            opt[i]);
    if (n->device && (strchr(n->device, '/') || strchr(n->device, ' ')))
        return log_fail(LOCFMT "network: invalid --device=%s", LOCARG(n->loc), n->device);
    return 0;
}

static int check_entry(const struct ks_network *n)
{
    const char *bp = n->bootproto ? n->bootproto : "dhcp";
    if (strcmp(bp, "dhcp") && strcmp(bp, "static") && strcmp(bp, "bootp") && strcmp(bp, "ibft") &&
        strcmp(bp, "query"))
        return log_fail(LOCFMT "network: invalid --bootproto=%s", LOCARG(n->loc), bp);
    if (!strcmp(bp, "static") && !n->noipv4) {
        if (!is_ipv4(n->ip))
            return log_fail(LOCFMT "network --bootproto=static: invalid or missing --ip (%s)", LOCARG(n->loc),
                            n->ip ? n->ip : "none");
        if (!n->netmask || prefix_of(n->netmask) < 0)
            return log_fail(LOCFMT "network --bootproto=static: invalid or missing --netmask (%s)",
                            LOCARG(n->loc), n->netmask ? n->netmask : "none");
        if (n->gateway && !is_ipv4(n->gateway))
            return log_fail(LOCFMT "network: invalid --gateway=%s", LOCARG(n->loc), n->gateway);
    }
    for (size_t i = 0; i < n->nameservers.n; i++)
        if (!is_ipv4(n->nameservers.v[i]) && !is_ipv6ish(n->nameservers.v[i]))
            return log_fail(LOCFMT "network: invalid --nameserver=%s", LOCARG(n->loc), n->nameservers.v[i]);
    if (n->ipv6 && strcmp(n->ipv6, "auto") && strcmp(n->ipv6, "dhcp") && !is_ipv6ish(n->ipv6))
        return log_fail(LOCFMT "network: invalid --ipv6=%s", LOCARG(n->loc), n->ipv6);
    if (n->ipv6gateway && !is_ipv6(n->ipv6gateway))
        return log_fail(LOCFMT "network: invalid --ipv6gateway=%s", LOCARG(n->loc), n->ipv6gateway);
    return check_text(n);
}

/* "KEY=VALUE" with VALUE as a keyfile string */
static char *keyfile_kv(const char *key, const char *value)
{
    struct strbuf b = { 0 };
    strbuf_printf(&b, "%s=", key);
    esc_keyfile(&b, value);
    return strbuf_take(&b);
}

/* "dns=A;B;" */
static char *dns_line(const strv_t *servers)
{
    char *j = join_term(servers, ";"), *line = xasprintf("dns=%s", j);
    free(j);
    return line;
}

static int write_nm(const char *root, const struct ks_network *n, const char *dev)
{
    char uuid[37];
    make_uuid(uuid);
    bool wifi = n->essid != NULL, mac = is_mac(dev);
    bool stat4 = n->bootproto && !strcmp(n->bootproto, "static") && !n->noipv4;
    bool addr6 = !n->noipv6 && n->ipv6 && is_ipv6ish(n->ipv6);
    char *id = mac ? xasprintf("ks-%s", dev) : xstrdup(dev);
    for (char *p = id; *p; p++)
        if (*p == ':')
            *p = '-';
    strv_t l = { 0 };
    strv_push(&l, "[connection]");
    strv_push_take(&l, keyfile_kv("id", id));
    strv_push_take(&l, xasprintf("uuid=%s", uuid));
    strv_push(&l, wifi ? "type=wifi" : "type=ethernet");
    if (!mac)
        strv_push_take(&l, keyfile_kv("interface-name", dev));
    if (n->onboot == 0)
        strv_push(&l, "autoconnect=false");
    strv_push(&l, wifi ? "\n[wifi]\nmode=infrastructure" : "\n[ethernet]");
    if (wifi)
        strv_push_take(&l, keyfile_kv("ssid", n->essid));
    if (mac)
        strv_push_take(&l, xasprintf("mac-address=%s", dev));
    if (n->mtu > 0)
        strv_push_take(&l, xasprintf("mtu=%d", n->mtu));
    if (wifi && n->wpakey) {
        strv_push(&l, "\n[wifi-security]\nkey-mgmt=wpa-psk");
        strv_push_take(&l, keyfile_kv("psk", n->wpakey));
    }
    strv_push_take(&l, xasprintf("\n[ipv4]\nmethod=%s", n->noipv4 ? "disabled" : stat4 ? "manual" : "auto"));
    if (stat4)
        strv_push_take(&l, xasprintf("address1=%s/%d%s%s", n->ip, prefix_of(n->netmask), n->gateway ? "," : "",
                                     n->gateway ? n->gateway : ""));
    strv_t dns4 = { 0 }, dns6 = { 0 };
    for (size_t i = 0; i < n->nameservers.n; i++)
        strv_push(is_ipv4(n->nameservers.v[i]) ? &dns4 : &dns6, n->nameservers.v[i]);
    if (dns4.n)
        strv_push_take(&l, dns_line(&dns4));
    if (n->nodns)
        strv_push(&l, "ignore-auto-dns=true");
    if (n->nodefroute)
        strv_push(&l, "never-default=true");
    strv_push_take(&l, xasprintf("\n[ipv6]\naddr-gen-mode=default\nmethod=%s",
                                 n->noipv6 ? "disabled"
                                 : !n->ipv6 || !strcmp(n->ipv6, "auto") ? "auto"
                                 : !strcmp(n->ipv6, "dhcp")             ? "dhcp"
                                                                        : "manual"));
    if (addr6)
        strv_push_take(&l, xasprintf("address1=%s%s%s%s", n->ipv6, strchr(n->ipv6, '/') ? "" : "/64",
                                     n->ipv6gateway ? "," : "", n->ipv6gateway ? n->ipv6gateway : ""));
    if (dns6.n)
        strv_push_take(&l, dns_line(&dns6));
    strv_push(&l, "\n[proxy]");
    char *c = join_term(&l, "\n");
    char *rel = xasprintf("etc/NetworkManager/system-connections/%s.nmconnection", id);
    int r = root_write(root, rel, c, 0600);
    free(rel);
    free(c);
    free(id);
    strv_free(&l);
    strv_free(&dns4);
    strv_free(&dns6);
    return r;
}

/* "KEY=VALUE\n" with VALUE quoted for the shell by QUOTE */
static void sh_line(struct strbuf *b, const char *key, const char *value,
                    void (*quote)(struct strbuf *, const char *))
{
    strbuf_printf(b, "%s=", key);
    quote(b, value);
    strbuf_addc(b, '\n');
}

static int write_ifcfg(const char *root, const struct ks_network *n, const char *dev)
{
    bool stat4 = n->bootproto && !strcmp(n->bootproto, "static");
    struct strbuf c = { 0 };
    strbuf_printf(&c, "# Generated by kscreate from the kickstart 'network' command\n%s=",
                  is_mac(dev) ? "HWADDR" : "DEVICE");
    esc_sh_word(&c, dev);
    strbuf_printf(&c, "\nTYPE=%s\nBOOTPROTO=%s\nONBOOT=%s\n", n->essid ? "Wireless" : "Ethernet",
                  n->noipv4 ? "none" : stat4 ? "none" : "dhcp", n->onboot == 0 ? "no" : "yes");
    strv_t extra = { 0 };
    if (stat4 && !n->noipv4) {
        strv_push_take(&extra, xasprintf("IPADDR=%s", n->ip));
        strv_push_take(&extra, xasprintf("PREFIX=%d", prefix_of(n->netmask)));
        if (n->gateway)
            strv_push_take(&extra, xasprintf("GATEWAY=%s", n->gateway));
    }
    for (size_t i = 0; i < n->nameservers.n; i++)
        strv_push_take(&extra, xasprintf("DNS%zu=%s", i + 1, n->nameservers.v[i]));
    if (n->nodns)
        strv_push(&extra, "PEERDNS=no");
    if (n->nodefroute)
        strv_push(&extra, "DEFROUTE=no");
    strv_push(&extra, n->noipv6 ? "IPV6INIT=no" : "IPV6INIT=yes");
    if (!n->noipv6 && n->ipv6 && is_ipv6ish(n->ipv6))
        strv_push_take(&extra, xasprintf("IPV6ADDR=%s\nIPV6_AUTOCONF=no", n->ipv6));
    else if (!n->noipv6 && n->ipv6 && !strcmp(n->ipv6, "dhcp"))
        strv_push(&extra, "DHCPV6C=yes\nIPV6_AUTOCONF=no");
    if (n->ipv6gateway)
        strv_push_take(&extra, xasprintf("IPV6_DEFAULTGW=%s", n->ipv6gateway));
    if (n->mtu > 0)
        strv_push_take(&extra, xasprintf("MTU=%d", n->mtu));
    char *e = join_term(&extra, "\n");
    strbuf_add(&c, e);
    if (n->essid)
        sh_line(&c, "ESSID", n->essid, esc_sh_dquote);
    char *safe = xstrdup(dev);
    for (char *p = safe; *p; p++)
        if (*p == ':')
            *p = '-';
    char *rel = xasprintf("etc/sysconfig/network-scripts/ifcfg-%s", safe);
    int r = root_write(root, rel, strbuf_str(&c), n->wpakey ? 0600 : 0644);
    if (r == 0 && n->wpakey) {
        struct strbuf k = { 0 };
        sh_line(&k, "WPA_PSK", n->wpakey, esc_sh_quote);
        char *krel = xasprintf("etc/sysconfig/network-scripts/keys-%s", safe);
        r = root_write(root, krel, strbuf_str(&k), 0600);
        strbuf_free(&k);
        free(krel);
    }
    free(rel);
    free(safe);
    free(e);
    strbuf_free(&c);
    strv_free(&extra);
    return r;
}

static int write_networkd(const char *root, const struct ks_network *n, const char *dev)
{
    bool stat4 = n->bootproto && !strcmp(n->bootproto, "static");
    bool v6dhcp = !n->noipv6 && n->ipv6 && !strcmp(n->ipv6, "dhcp");
    const char *dhcp = n->noipv4 || stat4 ? (v6dhcp ? "ipv6" : "no") : (v6dhcp ? "yes" : "ipv4");
    strv_t l = { 0 };
    strv_push(&l, "[Match]");
    strv_push_take(&l, xasprintf("%s=%s", is_mac(dev) ? "MACAddress" : "Name", dev));
    strv_push(&l, "\n[Network]");
    strv_push_take(&l, xasprintf("DHCP=%s", dhcp));
    strv_push(&l, n->noipv6 ? "IPv6AcceptRA=no\nLinkLocalAddressing=no" : "IPv6AcceptRA=yes");
    if (stat4 && !n->noipv4) {
        strv_push_take(&l, xasprintf("Address=%s/%d", n->ip, prefix_of(n->netmask)));
        if (n->gateway)
            strv_push_take(&l, xasprintf("Gateway=%s", n->gateway));
    }
    if (!n->noipv6 && n->ipv6 && is_ipv6ish(n->ipv6))
        strv_push_take(&l, xasprintf("Address=%s%s", n->ipv6, strchr(n->ipv6, '/') ? "" : "/64"));
    if (n->ipv6gateway)
        strv_push_take(&l, xasprintf("Gateway=%s", n->ipv6gateway));
    for (size_t i = 0; i < n->nameservers.n; i++)
        strv_push_take(&l, xasprintf("DNS=%s", n->nameservers.v[i]));
    if (n->mtu > 0)
        strv_push_take(&l, xasprintf("\n[Link]\nMTUBytes=%d", n->mtu));
    if (n->nodns || n->nodefroute)
        strv_push_take(&l, xasprintf("\n[DHCPv4]%s%s", n->nodns ? "\nUseDNS=no" : "",
                                     n->nodefroute ? "\nUseRoutes=no" : ""));
    char *c = join_term(&l, "\n");
    char *rel = xasprintf("etc/systemd/network/20-%s.network", dev);
    for (char *p = rel + strlen("etc/systemd/network/"); *p; p++)
        if (*p == ':')
            *p = '-';
    int r = root_write(root, rel, c, 0644);
    free(rel);
    free(c);
    strv_free(&l);
    return r;
}

int network_apply(const char *root, const struct ks_network *nets, size_t n)
{
    const struct ks_network *hn = NULL;
    for (size_t i = 0; i < n; i++) {
        if (check_entry(&nets[i]) < 0)
            return -1;
        if (nets[i].hostname) {
            if (!valid_hostname(nets[i].hostname))
                return log_fail(LOCFMT "network: invalid --hostname=%s", LOCARG(nets[i].loc), nets[i].hostname);
            hn = &nets[i];
        }
    }
    if (hn) {
        char *c = xasprintf("%s\n", hn->hostname);
        int r = root_write(root, "etc/hostname", c, 0644);
        free(c);
        if (r < 0)
            return -1;
        log_verbose("hostname %s", hn->hostname);
    }
    enum net_backend be = network_backend(root);
    for (size_t i = 0; i < n; i++) {
        const struct ks_network *e = &nets[i];
        const char *dev = e->device;
        if (!dev || !strcmp(dev, "link") || !strcmp(dev, "bootif") || !strcmp(dev, "ibft")) {
            if ((e->bootproto && strcmp(e->bootproto, "dhcp")) || e->ip || e->nameservers.n || e->ipv6 || e->essid)
                log_warn(LOCFMT "network: no --device given: an image has no devices at build time, only the "
                                "hostname is applied",
                         LOCARG(e->loc));
            continue;
        }
        int r;
        switch (be) {
        case NET_NM: r = write_nm(root, e, dev); break;
        case NET_IFCFG: r = write_ifcfg(root, e, dev); break;
        case NET_NETWORKD: r = write_networkd(root, e, dev); break;
        default:
            log_warn(LOCFMT "network --device=%s: the image has no NetworkManager, network-scripts or "
                            "systemd-networkd: not configured",
                     LOCARG(e->loc), dev);
            r = 0;
        }
        if (r < 0)
            return -1;
        if (e->activate)
            log_verbose(LOCFMT "network --activate has no meaning for an image", LOCARG(e->loc));
    }
    return 0;
}
