/* sysconf_model.h - the kickstart model of the system configuration
 * commands that core/sysconfig.c applies (user, group, sshkey, services,
 * keyboard, network, firewall, selinux, xconfig, skipx, firstboot,
 * authselect/auth, timesource).
 *
 * Contract: plain data, filled by the kickstart parser into
 * `struct kickstart.sys` (ks.h includes this header and defines
 * KSC_KS_HAS_SYSCONF).  Same conventions as ks.h: unset strings NULL, unset
 * integers -1, `seen` tells whether a single-instance command appeared,
 * every entry carries the file:line it came from.  A zeroed struct means
 * "none of these commands".  Released by ks_sysconf_free().
 */
/* struct ks_loc comes from ks.h; included before the guard so that either
 * header may be included first once ks.h includes this one (after its
 * struct ks_loc). */
#include "kickstart/ks.h"
#include "core/base/strv.h"

#ifndef KSC_SYSCONF_MODEL_H
#define KSC_SYSCONF_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "core/base/util.h"


/* user --name= [--groups=a,b(1234)] [--homedir=] [--password= [--iscrypted|--plaintext]]
 *      [--shell=] [--uid=] [--gid=] [--gecos=] [--lock] */
struct ks_user {
    struct ks_loc loc;
    char *name, *homedir, *password, *shell, *gecos;
    strv_t groups;                /* as written: "wheel", "audio(1234)" */
    long uid, gid;                /* -1 unset */
    bool iscrypted, lock;
};

/* group --name= [--gid=] */
struct ks_usergroup {
    struct ks_loc loc;
    char *name;
    long gid;                     /* -1 unset */
};

/* sshkey --username=NAME "KEY" */
struct ks_sshkey {
    struct ks_loc loc;
    char *username, *key;
};

/* services [--enabled=a,b] [--disabled=c,d]; repeated commands are merged
 * (loc: the last one) */
struct ks_services {
    bool seen;
    struct ks_loc loc;
    strv_t enabled, disabled;
};

/* keyboard [--vckeymap=] [--xlayouts=a,'cz (qwerty)'] [--switch=opt,opt] [legacy-kbd] */
struct ks_keyboard {
    bool seen;
    struct ks_loc loc;
    char *keyboard;               /* legacy positional argument, NULL unset */
    char *vckeymap;
    strv_t xlayouts, switch_options;
};

/* network: one entry per command */
struct ks_network {
    struct ks_loc loc;
    char *device;                 /* --device (name, MAC, "link", "bootif"), NULL unset */
    char *bootproto;              /* "dhcp" (default), "static", "bootp", "ibft", "query" */
    char *ip, *netmask, *gateway; /* IPv4 */
    char *ipv6, *ipv6gateway;     /* "auto", "dhcp", or "addr[/prefix]" */
    strv_t nameservers;
    char *hostname;
    char *essid, *wpakey;
    int mtu;                      /* -1 unset */
    bool noipv4, noipv6, nodns, nodefroute, activate;
    int onboot;                   /* -1 unset, 0 no, 1 yes */
};

/* firewall --enabled|--disabled [--port=22:tcp,...] [--service=a,b]
 *          [--trust=eth0] [--remove-service=x] [--ssh...] [--use-system-defaults] */
struct ks_firewall {
    bool seen;
    struct ks_loc loc;
    int enabled;                  /* -1 unset, 0 --disabled, 1 --enabled (default) */
    bool use_system_defaults;
    strv_t ports;                 /* "22:tcp", "1234:udp", "8080" (tcp) */
    strv_t services;              /* --service and --ssh/--smtp/--http/--ftp */
    strv_t remove_services;
    strv_t trusts;                /* interfaces */
};

enum ks_selinux_mode { KS_SELINUX_UNSET = 0, KS_SELINUX_DISABLED, KS_SELINUX_PERMISSIVE, KS_SELINUX_ENFORCING };

struct ks_selinux {
    bool seen;
    struct ks_loc loc;
    enum ks_selinux_mode mode;
};

struct ks_xconfig {
    bool seen;
    struct ks_loc loc;
    bool startxonboot;
    char *defaultdesktop;         /* NULL unset */
};

enum ks_firstboot_mode { KS_FIRSTBOOT_UNSET = 0, KS_FIRSTBOOT_ENABLE, KS_FIRSTBOOT_DISABLE, KS_FIRSTBOOT_RECONFIG };

struct ks_firstboot {
    bool seen;
    struct ks_loc loc;
    enum ks_firstboot_mode mode;
};

/* authselect ARGS... / auth|authconfig ARGS... (arguments verbatim) */
struct ks_authselect {
    bool seen;
    struct ks_loc loc;
    strv_t args;
    bool legacy_authconfig;       /* the command was auth/authconfig */
};

/* timesource --ntp-server=X | --ntp-pool=X [--nts] | --ntp-disable */
struct ks_timesource {
    struct ks_loc loc;
    char *server;                 /* exactly one of server / pool, or neither */
    char *pool;
    bool nts, ntp_disable;
};

struct ks_sysconf {
    struct ks_user *users;            size_t n_users;
    struct ks_usergroup *groups;      size_t n_groups;
    struct ks_sshkey *sshkeys;        size_t n_sshkeys;
    struct ks_network *networks;      size_t n_networks;
    struct ks_timesource *timesources; size_t n_timesources;
    struct ks_services services;
    struct ks_keyboard keyboard;
    struct ks_firewall firewall;
    struct ks_selinux selinux;
    struct ks_xconfig xconfig;
    struct ks_loc skipx;              /* skipx: file != NULL when seen */
    struct ks_firstboot firstboot;
    struct ks_authselect authselect;
};

/* Release everything in SC (not SC itself); leaves it zeroed. */
void ks_sysconf_free(struct ks_sysconf *sc);

#endif
