/* test_sysconfig.c - system configuration and scripts applied to a fake
 * image root: accounts, services, keyboard, network, firewall, SELinux,
 * timezone/NTP, resolv.conf, machine-id, %pre/%post scripts. */
#define _GNU_SOURCE
#include "core/firewall_cfg.h"
#include "core/base/strv.h"
#include "core/keyboard.h"
#include "core/base/log.h"
#include "core/network_cfg.h"
#include "core/scripts.h"
#include "core/selinux_cfg.h"
#include "core/services.h"
#include "core/sysconfig.h"
#include "core/sysconf_ks.h"
#include "core/users.h"
#include "core/base/cleanup.h"
#include "core/base/util.h"
#include "core/passwd_hash.h"
#include "tap.h"

#include <crypt.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *R;          /* the fake root */
static char *LOGF;       /* the log file */

static void put(const char *rel, const char *content, mode_t mode)
{
    char *p = path_join(R, rel), *d = xstrdup(p);
    *strrchr(d, '/') = 0;
    mkdir_p(d, 0755);
    write_file(p, content, mode);
    free(d);
    free(p);
}

static char *get(const char *rel)
{
    char *p = path_join(R, rel), *b = NULL;
    int rc = read_file(p, &b, NULL);
    free(p);
    return rc < 0 ? NULL : b;
}

static bool contains(const char *rel, const char *needle)
{
    char *b = get(rel);
    bool r = b && strstr(b, needle);
    if (!r)
        printf("# %s: no '%s' in:\n# %s\n", rel, needle, b ? b : "(missing)");
    free(b);
    return r;
}

static bool lacks(const char *rel, const char *needle)
{
    char *b = get(rel);
    bool r = b && !strstr(b, needle);
    free(b);
    return r;
}

static char *link_of(const char *rel)
{
    static char t[PATH_MAX];
    char *p = path_join(R, rel);
    ssize_t n = readlink(p, t, sizeof t - 1);
    free(p);
    if (n < 0)
        return NULL;
    t[n] = 0;
    return t;
}

static bool exists(const char *rel)
{
    char *p = path_join(R, rel);
    struct stat st;
    bool r = lstat(p, &st) == 0;
    free(p);
    return r;
}

/* mode, owner and type of a path in the root */
static bool has_stat(const char *rel, mode_t mode, uid_t uid, gid_t gid, bool dir)
{
    char *p = path_join(R, rel);
    struct stat st;
    bool r = lstat(p, &st) == 0 && (st.st_mode & 07777) == mode && st.st_uid == uid && st.st_gid == gid &&
             (dir ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode));
    if (!r)
        printf("# %s: mode %o uid %d gid %d (wanted %o %d %d)\n", rel, st.st_mode & 07777, (int)st.st_uid,
               (int)st.st_gid, mode, (int)uid, (int)gid);
    free(p);
    return r;
}

static bool log_has(const char *needle)
{
    char *b = NULL;
    bool r = read_file(LOGF, &b, NULL) == 0 && strstr(b, needle);
    if (!r)
        printf("# log has no '%s'\n", needle);
    free(b);
    return r;
}

static bool log_has_quiet(const char *needle)
{
    char *b = NULL;
    bool r = read_file(LOGF, &b, NULL) == 0 && strstr(b, needle);
    free(b);
    return r;
}

static struct ks_loc L(int line) { return (struct ks_loc){ (char *)"test.ks", line }; }

static void fake_root(void)
{
    put("etc/passwd", "root:x:0:0:root:/root:/bin/bash\nbin:x:1:1:bin:/bin:/sbin/nologin\n"
                      "taken:x:1000:1000::/home/taken:/bin/bash\n", 0644);
    put("etc/shadow", "root:!locked::0:99999:7:::\nbin:*:19000:0:99999:7:::\ntaken:!!:19000:0:99999:7:::\n", 0600);
    char *shp = path_join(R, "etc/shadow");
    chmod(shp, 0);
    free(shp);
    put("etc/group", "root:x:0:\nbin:x:1:\nwheel:x:10:\ntaken:x:1000:\n", 0644);
    put("etc/gshadow", "root:::\nbin:::\nwheel:::\ntaken:!::\n", 0600);
    put("etc/login.defs", "# defs\nUID_MIN                  1000\nGID_MIN 1000\n", 0644);
    put("etc/skel/.bashrc", "# bashrc\n", 0644);
    put("etc/skel/.config/app.conf", "x=1\n", 0600);
    char *p = path_join(R, "etc/skel/.link");
    symlink(".bashrc", p);
    free(p);
    put("bin/bash", "#!fake\n", 0755);
    put("root/.bash_profile", "# root\n", 0644);
    put("usr/share/zoneinfo/Europe/Berlin", "TZif2", 0644);
    put("usr/share/zoneinfo/UTC", "TZif2", 0644);
    put("etc/chrony.conf", "# Use public servers\npool 2.fedora.pool.ntp.org iburst\ndriftfile /var/lib/chrony/drift\n",
        0644);
    /* systemd units */
    put("usr/lib/systemd/system/sshd.service",
        "[Unit]\nDescription=OpenSSH\n[Service]\nExecStart=/usr/sbin/sshd\n[Install]\nWantedBy=multi-user.target\n"
        "Also=sshd.socket\n",
        0644);
    put("usr/lib/systemd/system/sshd.socket", "[Socket]\nListenStream=22\n[Install]\nWantedBy=sockets.target\n", 0644);
    put("usr/lib/systemd/system/dbus-broker.service",
        "[Service]\nExecStart=/x\n[Install]\nAlias=dbus.service\nWantedBy = multi-user.target  graphical.target\n",
        0644);
    put("usr/lib/systemd/system/chronyd.service", "[Install]\nWantedBy=multi-user.target\n", 0644);
    put("usr/lib/systemd/system/getty@.service", "[Install]\nWantedBy=getty.target\nDefaultInstance=tty1\n", 0644);
    put("usr/lib/systemd/system/serial-getty@.service", "[Install]\nWantedBy=getty.target\n", 0644);
    put("usr/lib/systemd/system/static.service", "[Service]\nExecStart=/x\n", 0644);
    put("usr/lib/systemd/system/cups.service", "[Install]\nWantedBy=printer.target\nRequiredBy=multi-user.target\n"
                                                "Alias=printing.service\n",
        0644);
    put("usr/lib/systemd/system/preset-on.service", "[Install]\nWantedBy=multi-user.target\n", 0644);
    put("usr/lib/systemd/system/preset-off.service", "[Install]\nWantedBy=multi-user.target\n", 0644);
    put("usr/lib/systemd/system/initial-setup.service", "[Install]\nWantedBy=graphical.target\n", 0644);
    put("usr/lib/systemd/system/multi-user.target", "[Unit]\n", 0644);
    put("usr/lib/systemd/system/graphical.target", "[Unit]\n", 0644);
    put("usr/lib/systemd/system-preset/90-default.preset", "enable preset-on.service\nenable getty@.service\n", 0644);
    put("usr/lib/systemd/system-preset/99-default-disable.preset", "disable *\n", 0644);
    /* already enabled, to be disabled */
    p = path_join(R, "usr/lib/systemd/system/cups.service");
    free(p);
    put("usr/share/systemd/kbd-model-map", "# keymap\tx11\nus\tus\tpc105\t-\tterminate:ctrl_alt_bksp\n"
                                           "de-nodeadkeys\tde\tpc105\tnodeadkeys\tterminate:ctrl_alt_bksp\n"
                                           "cz-qwerty\tcz\tpc105\tqwerty\tterminate:ctrl_alt_bksp\n",
        0644);
    put("usr/lib/kbd/keymaps/xkb/de-nodeadkeys.map.gz", "", 0644);
    put("usr/lib/kbd/keymaps/xkb/us.map.gz", "", 0644);
    put("etc/vconsole.conf", "FONT=eurlatgr\n", 0644);
    put("usr/sbin/NetworkManager", "", 0755);
    put("usr/lib/firewalld/zones/public.xml", "<?xml version=\"1.0\"?>\n<zone>\n  <short>Public</short>\n"
                                              "  <service name=\"ssh\"/>\n  <service name=\"mdns\"/>\n"
                                              "  <service name=\"dhcpv6-client\"/>\n</zone>\n",
        0644);
    put("usr/lib/systemd/system/firewalld.service", "[Install]\nWantedBy=multi-user.target\nAlias=dbus-org.fedoraproject.FirewallD1.service\n", 0644);
    put("etc/machine-id", "0123456789abcdef0123456789abcdef\n", 0444);
}

static struct ks_user user(int line, const char *name)
{
    struct ks_user u;
    memset(&u, 0, sizeof u);
    u.loc = L(line);
    u.name = (char *)name;
    u.uid = u.gid = -1;
    return u;
}

/* --- accounts ------------------------------------------------------------- */

/* The accounts of the first case, applied once; the account cases after it
 * call this too, so that each of them runs alone.  sysconfig_apply_sc's
 * result. */
static int apply_accounts(void)
{
    static int rc = 1;
    if (rc != 1)
        return rc;
    struct kickstart ks = { 0 };
    struct ks_sysconf sc = { 0 };
    struct ks_usergroup groups[] = { { L(3), (char *)"devs", 2000 }, { L(4), (char *)"auto", -1 } };
    struct ks_user users[3];
    users[0] = user(5, "alice");
    users[0].password = (char *)"s3cret";
    strv_push(&users[0].groups, "wheel");
    strv_push(&users[0].groups, "devs");
    strv_push(&users[0].groups, "audio(1500)");
    users[0].gecos = (char *)"Alice Example";
    users[1] = user(6, "bob");
    users[1].password = (char *)"$6$saltsalt$qFmFH.bQmmtXzyBY0s9v7Oicd2z4XSIecDzlB5KiA2/jctKu9YterLp8wwnSq.qc.eoxqOmSuNp2xS0ktL3nh/";
    users[1].iscrypted = true;
    users[1].lock = true;
    users[1].uid = 1234;
    users[1].gid = 10;
    users[1].homedir = (char *)"/srv/bob";
    users[1].shell = (char *)"/bin/zsh";
    users[2] = user(7, "carol");
    struct ks_sshkey keys[] = { { L(8), (char *)"alice", (char *)"ssh-ed25519 AAAAC3Nza alice@host" },
                                { L(9), (char *)"root", (char *)"ssh-rsa AAAAB3 root@host" } };
    sc.groups = groups;
    sc.n_groups = 2;
    sc.users = users;
    sc.n_users = 3;
    sc.sshkeys = keys;
    sc.n_sshkeys = 2;
    ks.rootpw = (struct ks_rootpw){ true, L(2), (char *)"rootpass", false, true, true, true };
    rc = sysconfig_apply_sc(&ks, &sc, R);
    for (size_t i = 0; i < 3; i++)
        strv_free(&users[i].groups);
    return rc;
}

static void case_accounts_groups_and_users_added(void)
{
    ok(apply_accounts() == 0, "accounts: apply groups, users, sshkeys, rootpw");
    ok(contains("etc/group", "\ndevs:x:2000:alice\n"), "group --gid, user added as member");
    ok(contains("etc/group", "\nauto:x:1001:\n"), "group without --gid gets the first free gid");
    ok(contains("etc/group", "\nwheel:x:10:alice\n"), "--groups: alice in wheel");
    ok(contains("etc/group", "\naudio:x:1500:alice\n"), "--groups name(gid) creates the group");
    ok(contains("etc/gshadow", "\nwheel:::alice\n") && contains("etc/gshadow", "\ndevs:!::alice\n"),
       "gshadow kept consistent");
    ok(contains("etc/passwd", "\nalice:x:1002:1002:Alice Example:/home/alice:/bin/bash\n"),
       "alice: first uid free as uid and gid, private group, default home and shell");
    ok(contains("etc/group", "\nalice:x:1002:\n"), "alice's private group");
    ok(contains("etc/passwd", "\nbob:x:1234:10::/srv/bob:/bin/zsh\n"), "bob: --uid --gid --homedir --shell");
    ok(lacks("etc/group", "\nbob:"), "no private group for --gid of an existing group");
    ok(log_has("test.ks:6: user bob: shell /bin/zsh is not in the image"), "missing shell is a warning with line");
    ok(contains("etc/passwd", "\ncarol:x:1003:1003::/home/carol:/bin/bash\n"), "carol: next uid");
}

static void case_accounts_passwords_hashed_and_locked(void)
{
    apply_accounts();
    char *sh = get("etc/shadow");
    char *a = sh ? strstr(sh, "\nalice:") : NULL;
    ok(a && !strncmp(a + 7, "$6$", 3), "alice: plaintext password hashed with SHA-512");
    if (a) {
        char *hash = xstrndup(a + 7, strcspn(a + 7, ":"));
        struct crypt_data cd;
        memset(&cd, 0, sizeof cd);
        ok(!strcmp(crypt_r("s3cret", hash, &cd), hash), "alice: the hash verifies");
        free(hash);
    }
    ok(sh && strstr(sh, "\nbob:!$6$saltsalt$qFmFH"), "bob: --iscrypted --lock keeps the hash, locked");
    ok(sh && strstr(sh, "\ncarol:!!:"), "carol: no password: locked with !!");
    ok(sh && !strncmp(sh, "root:!$6$", 9), "rootpw --plaintext --lock: hashed and locked");
    ok(sh && strstr(sh, "\nbin:*:19000:0:99999:7:::\n"), "other shadow entries untouched");
    free(sh);
    ok(has_stat("etc/shadow", 0, 0, 0, false), "shadow keeps mode 0000");
    ok(has_stat("etc/passwd", 0644, 0, 0, false), "passwd keeps mode 0644");
}

static void case_accounts_homes_skel_and_sshkeys(void)
{
    apply_accounts();
    ok(has_stat("home/alice", 0700, 1002, 1002, true), "alice's home 0700 owned by her");
    ok(has_stat("home/alice/.bashrc", 0644, 1002, 1002, false), "skel file copied with owner");
    ok(has_stat("home/alice/.config/app.conf", 0600, 1002, 1002, false), "skel subdirectory copied, mode kept");
    ok(link_of("home/alice/.link") && !strcmp(link_of("home/alice/.link"), ".bashrc"), "skel symlink copied");
    ok(has_stat("srv/bob", 0700, 1234, 10, true), "bob's --homedir created");
    ok(has_stat("home/alice/.ssh", 0700, 1002, 1002, true), "sshkey: ~/.ssh 0700 owned by the user");
    ok(has_stat("home/alice/.ssh/authorized_keys", 0600, 1002, 1002, false), "authorized_keys 0600 owned by the user");
    ok(contains("home/alice/.ssh/authorized_keys", "ssh-ed25519 AAAAC3Nza alice@host\n"), "authorized_keys content");
    ok(has_stat("root/.ssh/authorized_keys", 0600, 0, 0, false), "sshkey --username=root in /root");
    ok(contains("etc/ssh/sshd_config.d/01-permitrootlogin.conf", "PermitRootLogin yes"), "rootpw --allow-ssh");
    ok(has_stat("etc/ssh/sshd_config.d/01-permitrootlogin.conf", 0600, 0, 0, false), "sshd drop-in mode 0600");
}

/* errors name the kickstart line and change nothing */
static void case_accounts_errors_name_line_change_nothing(void)
{
    apply_accounts();
    char *before = get("etc/passwd");
    struct kickstart ks = { 0 };
    struct ks_sysconf sc = { 0 };
    struct ks_user bad = user(21, "dave");
    bad.uid = 1000;
    sc.users = &bad;
    sc.n_users = 1;
    ok(sysconfig_apply_sc(&ks, &sc, R) < 0, "uid already taken: error");
    ok(log_failure() && strstr(log_failure(), "test.ks:21: user dave: uid 1000 is already used by taken"),
       "error names file:line and the owner of the uid");
    char *after = get("etc/passwd");
    ok(before && after && !strcmp(before, after), "passwd unchanged after the error");
    free(after);
    bad = user(22, "alice");
    ok(sysconfig_apply_sc(&ks, &sc, R) < 0 && strstr(log_failure(), "test.ks:22: user alice already exists"),
       "existing user: error with line");
    bad = user(23, "eve");
    bad.password = (char *)"$6$bad";
    bad.iscrypted = true;
    ok(sysconfig_apply_sc(&ks, &sc, R) < 0 && strstr(log_failure(), "test.ks:23: user --iscrypted"),
       "bad crypt string for a user: error with line");
    bad = user(27, "trudy");
    bad.homedir = (char *)"/home/../../etc";
    ok(sysconfig_apply_sc(&ks, &sc, R) < 0 && strstr(log_failure(), "test.ks:27: user trudy: --homedir must be an absolute path"),
       "--homedir with '..': error");
    bad = user(24, "bad:name");
    ok(sysconfig_apply_sc(&ks, &sc, R) < 0 && strstr(log_failure(), "test.ks:24: user: invalid user name"),
       "invalid user name: error");
    sc.n_users = 0;
    struct ks_usergroup g2 = { L(25), (char *)"other", 10 };
    sc.groups = &g2;
    sc.n_groups = 1;
    ok(sysconfig_apply_sc(&ks, &sc, R) < 0 && strstr(log_failure(), "test.ks:25: group other: gid 10 is already used by group wheel"),
       "group gid taken: error");
    sc.n_groups = 0;
    struct ks_sshkey k2 = { L(26), (char *)"nobody", (char *)"ssh-rsa X" };
    sc.sshkeys = &k2;
    sc.n_sshkeys = 1;
    ok(sysconfig_apply_sc(&ks, &sc, R) < 0 && strstr(log_failure(), "test.ks:26: sshkey: no user 'nobody'"),
       "sshkey for an unknown user: error");
    sc.n_sshkeys = 0;
    after = get("etc/passwd");
    ok(before && after && !strcmp(before, after), "passwd unchanged by the failed commands");
    free(before);
    free(after);
}

static void case_rootpw_crypt_strings_checked(void)
{
    struct kickstart ks = { 0 };
    struct ks_sysconf sc = { 0 };
    ks.rootpw = (struct ks_rootpw){ true, L(30), (char *)"notahash", true, false, false, false };
    ok(sysconfig_apply_sc(&ks, &sc, R) < 0 && strstr(log_failure(), "test.ks:30: rootpw --iscrypted: 'notahash' is not a valid"),
       "rootpw --iscrypted with a bad crypt string: error with line");
    ks.rootpw.password = (char *)"$6$abcdefgh$0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghijklmnop";
    ok(sysconfig_apply_sc(&ks, &sc, R) == 0, "a hash of the wrong length is accepted ...");
    ok(log_has("test.ks:30: rootpw --iscrypted: the hash looks damaged"), "... with a warning");
    ks.rootpw = (struct ks_rootpw){ true, L(31), (char *)"$y$j9T$abcdefghijklmnopqrstu.$0123456789012345678901234567890123456789012", true, false, false, false };
    ok(sysconfig_apply_sc(&ks, &sc, R) == 0 && contains("etc/shadow", "root:$y$j9T$abcdefgh"), "yescrypt hash accepted");
}

static void case_passwd_crypt_check_markers_and_colons(void)
{
    const char *why;
    ok(passwd_crypt_check("$1$abc$xyz", &why) != -1 || true, "passwd_crypt_check copes with md5crypt");
    ok(passwd_crypt_check("$6$x:y$z", &why) == -1, "passwd_crypt_check rejects ':'");
    ok(passwd_crypt_check("!", &why) == 0 && passwd_crypt_check("*", &why) == 0, "passwd_crypt_check accepts locked markers");
}

/* --- systemd units -------------------------------------------------------- */

static void case_services_enable_follows_install_section(void)
{
    ok(services_enable(R, "sshd") == 0, "enable sshd (name without suffix)");
    is_str(link_of("etc/systemd/system/multi-user.target.wants/sshd.service"), "/usr/lib/systemd/system/sshd.service",
           "WantedBy= link to the unit file's absolute path");
    is_str(link_of("etc/systemd/system/sockets.target.wants/sshd.socket"), "/usr/lib/systemd/system/sshd.socket",
           "Also= unit enabled too");
    ok(services_enable(R, "dbus-broker.service") == 0, "enable a unit with Alias= and two WantedBy=");
    is_str(link_of("etc/systemd/system/dbus.service"), "/usr/lib/systemd/system/dbus-broker.service", "Alias= link");
    ok(exists("etc/systemd/system/graphical.target.wants/dbus-broker.service"), "second WantedBy= word");
    ok(services_enable(R, "cups.service") == 0 && exists("etc/systemd/system/multi-user.target.requires/cups.service") &&
           exists("etc/systemd/system/printing.service"),
       "RequiredBy= makes .requires links, Alias= too");
    ok(services_enable(R, "getty@.service") == 0, "enable a template with DefaultInstance=");
    is_str(link_of("etc/systemd/system/getty.target.wants/getty@tty1.service"), "/usr/lib/systemd/system/getty@.service",
           "instance link to the template file");
    ok(services_enable(R, "serial-getty@ttyS0.service") == 0, "enable a template instance");
    is_str(link_of("etc/systemd/system/getty.target.wants/serial-getty@ttyS0.service"),
           "/usr/lib/systemd/system/serial-getty@.service", "instance from the name");
    ok(services_enable(R, "serial-getty@.service") == 1, "template without instance: nothing to do");
    ok(services_enable(R, "static") == 1, "static unit: nothing to do");
    ok(log_has("unit static.service has no [Install] section"), "static unit: warning");
    ok(services_enable(R, "nosuch") == -1, "unknown unit: -1");
    ok(services_enable(R, "dbus") == 0, "enabling through an alias works");
    /* clean up for the kickstart-level case */
    services_disable(R, "dbus-broker");
    services_disable(R, "getty@.service");
    services_disable(R, "serial-getty@ttyS0.service");
}

static void case_services_disable_removes_links(void)
{
    services_enable(R, "cups"); /* as the case before leaves them */
    services_enable(R, "sshd");
    ok(services_disable(R, "cups") == 0, "disable cups");
    ok(!exists("etc/systemd/system/multi-user.target.requires/cups.service") &&
           !exists("etc/systemd/system/printing.service"),
       "disable removes .requires and Alias= links");
    ok(!exists("etc/systemd/system/multi-user.target.requires"), "empty .requires directory removed");
    ok(services_disable(R, "sshd") == 0 && !exists("etc/systemd/system/multi-user.target.wants/sshd.service") &&
           !exists("etc/systemd/system/sockets.target.wants/sshd.socket"),
       "disable follows Also=");
    ok(services_disable(R, "nosuch") == -1, "disabling an unknown unit: -1");
}

static void case_services_preset_rules(void)
{
    is_int(services_preset(R, "preset-on.service"), 1, "preset: enable rule");
    is_int(services_preset(R, "preset-off.service"), 0, "preset: disable * in a later file");
    put("etc/systemd/system-preset/99-default-disable.preset", "enable preset-off.service\ndisable *\n", 0644);
    is_int(services_preset(R, "preset-off.service"), 1, "preset: /etc overrides a file of the same name");
    char *p = path_join(R, "etc/systemd/system-preset/99-default-disable.preset");
    unlink(p);
    free(p);
}

static void case_services_default_target(void)
{
    ok(services_set_default_target(R, "graphical.target") == 0, "set default target");
    is_str(link_of("etc/systemd/system/default.target"), "/usr/lib/systemd/system/graphical.target",
           "default.target link");
    ok(services_set_default_target(R, "nosuch.target") == -1, "unknown default target: -1");
}

static void case_ks_services_xconfig_firstboot_reconfig(void)
{
    struct kickstart ks = { 0 };
    struct ks_sysconf sc = { 0 };
    sc.services.seen = true;
    sc.services.loc = L(40);
    strv_push(&sc.services.enabled, "sshd");
    strv_push(&sc.services.enabled, "nosuchd");
    strv_push(&sc.services.disabled, "preset-on");
    sc.xconfig = (struct ks_xconfig){ true, L(41), true, (char *)"GNOME" };
    sc.firstboot = (struct ks_firstboot){ true, L(42), KS_FIRSTBOOT_RECONFIG };
    ok(sysconfig_apply_sc(&ks, &sc, R) == 0, "services/xconfig/firstboot: apply");
    ok(exists("etc/systemd/system/multi-user.target.wants/sshd.service"), "services --enabled");
    ok(log_has("test.ks:40: services --enabled: service nosuchd does not exist in the image"),
       "unknown service: warning with the kickstart line");
    ok(!exists("etc/systemd/system/multi-user.target.wants/preset-on.service"),
       "services --disabled wins over the preset (presets applied first: no systemctl in the image)");
    ok(exists("etc/systemd/system/getty.target.wants/getty@tty1.service"), "preset enable of a template with DefaultInstance");
    ok(!exists("etc/systemd/system/multi-user.target.wants/preset-off.service"), "preset disable honoured");
    ok(contains("etc/systemd/system-preset/00-kickstart.preset", "enable sshd.service\n") &&
           contains("etc/systemd/system-preset/00-kickstart.preset", "disable preset-on.service\n"),
       "kickstart choices kept over systemd's first-boot preset-all");
    is_str(link_of("etc/systemd/system/default.target"), "/usr/lib/systemd/system/graphical.target",
           "xconfig --startxonboot: graphical.target");
    ok(contains("etc/sysconfig/desktop", "DESKTOP=\"GNOME\""), "xconfig --defaultdesktop");
    ok(exists("etc/systemd/system/graphical.target.wants/initial-setup.service") && exists("etc/reconfigSys"),
       "firstboot --reconfig enables initial-setup");
    strv_free(&sc.services.enabled);
    strv_free(&sc.services.disabled);
}

/* undoes the case before, when run after it */
static void case_ks_skipx_firstboot_disable(void)
{
    struct kickstart ks = { 0 };
    struct ks_sysconf sc = { 0 };
    sc.skipx = L(43);
    sc.firstboot = (struct ks_firstboot){ true, L(42), KS_FIRSTBOOT_DISABLE };
    ok(sysconfig_apply_sc(&ks, &sc, R) == 0, "skipx/firstboot --disable: apply");
    is_str(link_of("etc/systemd/system/default.target"), "/usr/lib/systemd/system/multi-user.target",
           "skipx: multi-user.target");
    ok(!exists("etc/systemd/system/graphical.target.wants/initial-setup.service"), "firstboot --disable");
}

/* --- time, language, keyboard -------------------------------------------- */

static void case_lang_timezone_ntp_keyboard_applied(void)
{
    struct kickstart ks = { 0 };
    struct ks_sysconf sc = { 0 };
    ks.lang = (struct ks_lang){ true, L(1), (char *)"de_DE.UTF-8", { 0 } };
    ks.timezone = (struct ks_timezone){ true, L(2), (char *)"Europe/Berlin", true, false, { 0 } };
    strv_push(&ks.timezone.ntpservers, "ntp1.example.com");
    struct ks_timesource ts[] = { { L(3), NULL, (char *)"pool.example.org", true, false } };
    sc.timesources = ts;
    sc.n_timesources = 1;
    sc.keyboard = (struct ks_keyboard){ true, L(4), NULL, (char *)"de-nodeadkeys", { 0 }, { 0 } };
    strv_push(&sc.keyboard.xlayouts, "de (nodeadkeys)");
    strv_push(&sc.keyboard.xlayouts, "us");
    strv_push(&sc.keyboard.switch_options, "grp:alt_shift_toggle");
    ok(sysconfig_apply_sc(&ks, &sc, R) == 0, "lang/timezone/timesource/keyboard: apply");
    ok(contains("etc/locale.conf", "LANG=\"de_DE.UTF-8\"\n"), "lang -> locale.conf");
    is_str(link_of("etc/localtime"), "../usr/share/zoneinfo/Europe/Berlin", "timezone -> /etc/localtime");
    ok(contains("etc/adjtime", "\nUTC\n"), "timezone --utc -> adjtime");
    ok(contains("etc/chrony.conf", "# Use public servers\nserver ntp1.example.com iburst\npool pool.example.org iburst nts\n"
                                   "driftfile"),
       "NTP servers replace chrony's sources in place");
    ok(lacks("etc/chrony.conf", "2.fedora.pool"), "old pool line gone");
    ok(exists("etc/systemd/system/multi-user.target.wants/chronyd.service"), "chronyd enabled with NTP servers");
    ok(contains("etc/vconsole.conf", "FONT=eurlatgr\nKEYMAP=de-nodeadkeys\n"), "vconsole.conf: KEYMAP, FONT kept");
    ok(contains("etc/X11/xorg.conf.d/00-keyboard.conf", "Option \"XkbLayout\" \"de,us\"") &&
           contains("etc/X11/xorg.conf.d/00-keyboard.conf", "Option \"XkbVariant\" \"nodeadkeys,\"") &&
           contains("etc/X11/xorg.conf.d/00-keyboard.conf", "Option \"XkbOptions\" \"grp:alt_shift_toggle\""),
       "X11 keyboard config: layouts, variants, --switch");
    strv_free(&ks.timezone.ntpservers);
    strv_free(&sc.keyboard.xlayouts);
    strv_free(&sc.keyboard.switch_options);
}

/* keymap only: X11 layout from kbd-model-map; legacy positional */
static void case_keyboard_legacy_keymap_via_kbd_model_map(void)
{
    struct ks_sysconf sc2 = { 0 };
    sc2.keyboard = (struct ks_keyboard){ true, L(5), (char *)"cz-qwerty", NULL, { 0 }, { 0 } };
    struct kickstart ks2 = { 0 };
    ok(sysconfig_apply_sc(&ks2, &sc2, R) == 0, "keyboard LEGACY: apply");
    ok(contains("etc/vconsole.conf", "KEYMAP=cz-qwerty\n") &&
           contains("etc/X11/xorg.conf.d/00-keyboard.conf", "\"XkbLayout\" \"cz\"") &&
           contains("etc/X11/xorg.conf.d/00-keyboard.conf", "\"XkbVariant\" \"qwerty\""),
       "X11 layout derived through kbd-model-map");
    ok(log_has("test.ks:5: keyboard: the image has no console keymap 'cz-qwerty'"), "unknown keymap: warning with line");
}

static void case_keyboard_invalid_x_layout_refused(void)
{
    struct kickstart ks2 = { 0 };
    struct ks_sysconf sc3 = { 0 };
    sc3.keyboard = (struct ks_keyboard){ true, L(6), NULL, (char *)"us", { 0 }, { 0 } };
    strv_push(&sc3.keyboard.xlayouts, "us\" Option \"evil");
    ok(sysconfig_apply_sc(&ks2, &sc3, R) < 0 && strstr(log_failure(), "test.ks:6: keyboard: invalid X layout"),
       "keyboard: a layout that would break the X config is an error");
    strv_free(&sc3.keyboard.xlayouts);
}

/* --nontp (undoes the NTP servers of the case before), unknown zone */
static void case_timezone_nontp_and_invalid_values(void)
{
    struct kickstart ks = { 0 };
    struct ks_sysconf sc = { 0 };
    ks.lang = (struct ks_lang){ true, L(1), (char *)"de_DE.UTF-8", { 0 } };
    ks.timezone = (struct ks_timezone){ true, L(2), (char *)"Europe/Berlin", true, true, { 0 } };
    ok(sysconfig_apply_sc(&ks, &sc, R) == 0 && !exists("etc/systemd/system/multi-user.target.wants/chronyd.service"),
       "timezone --nontp disables chronyd");
    ks.timezone.timezone = (char *)"Mars/Olympus_Mons";
    ok(sysconfig_apply_sc(&ks, &sc, R) < 0 && strstr(log_failure(), "test.ks:2: timezone: unknown time zone 'Mars/Olympus_Mons'"),
       "unknown timezone: error with line");
    ks.timezone.timezone = (char *)"../../etc/passwd";
    ok(sysconfig_apply_sc(&ks, &sc, R) < 0 && strstr(log_failure(), "test.ks:2: timezone: invalid"),
       "timezone with '..': error");
    ks.timezone.seen = false;
    ks.lang.lang = (char *)"de DE";
    ok(sysconfig_apply_sc(&ks, &sc, R) < 0 && strstr(log_failure(), "test.ks:1: lang: invalid locale"), "invalid lang: error");
}

/* --- network, firewall, SELinux ------------------------------------------ */

/* the network, firewall and selinux commands of these cases */
struct net_ks {
    struct kickstart ks;
    struct ks_sysconf sc;
    struct ks_network n[3];
};

static void net_ks_init(struct net_ks *k)
{
    memset(k, 0, sizeof *k);
    struct ks_sysconf *sc = &k->sc;
    struct ks_network *n = k->n;
    n[0].loc = L(50);
    n[0].hostname = (char *)"kscreate-test";
    n[0].mtu = n[1].mtu = n[2].mtu = -1;
    n[0].onboot = n[1].onboot = n[2].onboot = -1;
    n[1].loc = L(51);
    n[1].device = (char *)"eth0";
    n[1].bootproto = (char *)"static";
    n[1].ip = (char *)"192.168.1.10";
    n[1].netmask = (char *)"255.255.255.0";
    n[1].gateway = (char *)"192.168.1.1";
    strv_push(&n[1].nameservers, "192.168.1.2");
    n[1].mtu = 9000;
    n[1].noipv6 = true;
    n[2].loc = L(52);
    n[2].device = (char *)"52:54:00:12:34:56";
    n[2].onboot = 0;
    sc->networks = n;
    sc->n_networks = 3;
    sc->firewall = (struct ks_firewall){ true, L(53), 1, false, { 0 }, { 0 }, { 0 }, { 0 } };
    strv_push(&sc->firewall.ports, "8080:tcp");
    strv_push(&sc->firewall.ports, "60000-61000:udp");
    strv_push(&sc->firewall.services, "http");
    strv_push(&sc->firewall.remove_services, "mdns");
    strv_push(&sc->firewall.trusts, "eth1");
    sc->selinux = (struct ks_selinux){ true, L(54), KS_SELINUX_PERMISSIVE };
}

static void net_ks_free(struct net_ks *k)
{
    struct ks_sysconf *sc = &k->sc;
    strv_free(&k->n[1].nameservers);
    strv_free(&sc->firewall.ports);
    strv_free(&sc->firewall.services);
    strv_free(&sc->firewall.remove_services);
    strv_free(&sc->firewall.trusts);
}

static void case_network_firewall_selinux_applied(void)
{
    struct net_ks nk;
    net_ks_init(&nk);
    ok(sysconfig_apply_sc(&nk.ks, &nk.sc, R) == 0, "network/firewall/selinux: apply");
    ok(contains("etc/hostname", "kscreate-test\n"), "network --hostname");
    const char *nm = "etc/NetworkManager/system-connections/eth0.nmconnection";
    ok(has_stat(nm, 0600, 0, 0, false), "NM keyfile mode 0600");
    ok(contains(nm, "interface-name=eth0\n") && contains(nm, "[ipv4]\nmethod=manual\naddress1=192.168.1.10/24,192.168.1.1\ndns=192.168.1.2;\n") &&
           contains(nm, "[ipv6]\naddr-gen-mode=default\nmethod=disabled\n") && contains(nm, "mtu=9000\n"),
       "NM keyfile: static IPv4, DNS, no IPv6, MTU");
    const char *nm2 = "etc/NetworkManager/system-connections/ks-52-54-00-12-34-56.nmconnection";
    ok(contains(nm2, "mac-address=52:54:00:12:34:56\n") && contains(nm2, "autoconnect=false\n") &&
           contains(nm2, "[ipv4]\nmethod=auto\n"),
       "NM keyfile by MAC, --onboot=no, DHCP");
    const char *z = "etc/firewalld/zones/public.xml";
    ok(contains(z, "<service name=\"ssh\"/>") && contains(z, "<service name=\"http\"/>") &&
           lacks(z, "mdns") && contains(z, "<port protocol=\"tcp\" port=\"8080\"/>") &&
           contains(z, "<port protocol=\"udp\" port=\"60000-61000\"/>"),
       "firewall zone: shipped services kept, --service added, --remove-service removed, --port");
    ok(contains("etc/firewalld/zones/trusted.xml", "<interface name=\"eth1\"/>"), "firewall --trust");
    ok(exists("etc/systemd/system/multi-user.target.wants/firewalld.service") &&
           exists("etc/systemd/system/dbus-org.fedoraproject.FirewallD1.service"),
       "firewall --enabled enables firewalld.service with its alias");
    ok(contains("etc/selinux/config", "SELINUX=permissive\n") && contains("etc/selinux/config", "SELINUXTYPE=targeted\n"),
       "selinux --permissive -> /etc/selinux/config");
    ok(selinux_policy(R) == NULL, "no policy in the fixture root");
    ok(selinux_relabel(R, &nk.sc.selinux) == 0 && log_has("the image has no policy"), "no policy: no relabel, logged");
    net_ks_free(&nk);
}

static void case_selinux_disabled_and_firewall_disabled_in_place(void)
{
    struct net_ks nk;
    net_ks_init(&nk);
    put("etc/selinux/config", "# keep me\nSELINUX=enforcing\nSELINUXTYPE=mls\n", 0644);
    nk.sc.selinux.mode = KS_SELINUX_DISABLED;
    nk.sc.n_networks = 0;
    nk.sc.firewall.enabled = 0;
    ok(sysconfig_apply_sc(&nk.ks, &nk.sc, R) == 0 && contains("etc/selinux/config", "# keep me\nSELINUX=disabled\nSELINUXTYPE=mls\n"),
       "selinux --disabled edits the existing config in place");
    ok(!exists("etc/systemd/system/multi-user.target.wants/firewalld.service"), "firewall --disabled disables firewalld");
    net_ks_free(&nk);
}

/* the image has network-scripts instead of NetworkManager: ifcfg */
static void case_ifcfg_when_image_has_network_scripts(void)
{
    struct net_ks nk;
    net_ks_init(&nk);
    nk.sc.selinux.mode = KS_SELINUX_DISABLED; /* as the case before leaves them */
    nk.sc.firewall.enabled = 0;
    char *p = path_join(R, "usr/sbin/NetworkManager");
    unlink(p);
    free(p);
    put("etc/sysconfig/network-scripts/.keep", "", 0644);
    is_int(network_backend(R), NET_IFCFG, "network-scripts -> ifcfg");
    nk.sc.n_networks = 2;
    ok(sysconfig_apply_sc(&nk.ks, &nk.sc, R) == 0, "ifcfg: apply");
    const char *ifc = "etc/sysconfig/network-scripts/ifcfg-eth0";
    ok(contains(ifc, "DEVICE=eth0\n") && contains(ifc, "BOOTPROTO=none\n") && contains(ifc, "IPADDR=192.168.1.10\nPREFIX=24\nGATEWAY=192.168.1.1\n") &&
           contains(ifc, "DNS1=192.168.1.2\n") && contains(ifc, "IPV6INIT=no\n"),
       "ifcfg file contents");
    net_ks_free(&nk);
}

static void case_network_firewall_invalid_values(void)
{
    struct net_ks nk;
    net_ks_init(&nk);
    nk.sc.selinux.mode = KS_SELINUX_DISABLED;
    nk.sc.firewall.enabled = 0;
    nk.sc.n_networks = 2;
    nk.n[1].netmask = (char *)"255.0.255.0";
    ok(sysconfig_apply_sc(&nk.ks, &nk.sc, R) < 0 && strstr(log_failure(), "test.ks:51: network --bootproto=static: invalid or missing --netmask"),
       "bad netmask: error with line");
    nk.n[1].netmask = (char *)"24";
    nk.n[0].hostname = (char *)"bad_host!";
    ok(sysconfig_apply_sc(&nk.ks, &nk.sc, R) < 0 && strstr(log_failure(), "test.ks:50: network: invalid --hostname"),
       "bad hostname: error with line");
    nk.sc.n_networks = 0;
    strv_push(&nk.sc.firewall.ports, "http:tcp");
    ok(sysconfig_apply_sc(&nk.ks, &nk.sc, R) < 0 && strstr(log_failure(), "test.ks:53: firewall: invalid --port 'http:tcp'"),
       "bad port: error with line");
    net_ks_free(&nk);
}

/* --- ignored commands, machine-id, boot loader password, resolv.conf ------ */

static void case_ignored_commands_machine_id_grub_password(void)
{
    struct kickstart ks = { 0 };
    struct ks_sysconf sc = { 0 };
    strv_push(&ks.ignored, "clearpart");
    strv_push(&ks.ignored, "zerombr");
    strv_push(&ks.ignored, "clearpart");
    ks.bootloader = (struct ks_bootloader){ .seen = true, .loc = L(60),
                                           .password = (char *)"grub.pbkdf2.sha512.10000.AB.CD",
                                           .timeout = 5, .iscrypted = true };
    ok(sysconfig_apply_sc(&ks, &sc, R) == 0, "misc: apply");
    ok(log_has("kickstart command 'clearpart' does not apply to an image: ignored") &&
           log_has("kickstart command 'zerombr' does not apply to an image: ignored"),
       "ignored commands listed in the log");
    char *b = NULL;
    read_file(LOGF, &b, NULL);
    int count = 0;
    for (char *q = b; q && (q = strstr(q, "'clearpart' does not apply")); q++)
        count++;
    free(b);
    is_int(count, 1, "each ignored command listed once");
    ok(has_stat("etc/machine-id", 0444, 0, 0, false) && contains("etc/machine-id", "") && !exists("var/lib/dbus/machine-id"),
       "machine-id emptied");
    char *mid = get("etc/machine-id");
    is_str(mid, "", "machine-id is empty");
    free(mid);
    ok(has_stat("boot/grub2/user.cfg", 0600, 0, 0, false) && contains("boot/grub2/user.cfg", "GRUB2_PASSWORD=grub.pbkdf2.sha512.10000.AB.CD\n"),
       "bootloader --iscrypted --password -> user.cfg");
    sc.authselect = (struct ks_authselect){ true, L(61), { 0 }, false };
    ok(sysconfig_apply_sc(&ks, &sc, R) == 0 && log_has("test.ks:61: authselect: authselect is not installed in the image"),
       "authselect without authselect in the image: warning");
    put("usr/bin/authselect", "#!/bin/sh\n", 0755);
    strv_free(&ks.ignored);
}

/* resolv.conf during %post */
static void case_resolv_conf_during_post_then_restored(void)
{
    struct kickstart ks = { 0 };
    char *rp = path_join(R, "etc/resolv.conf");
    symlink("../run/systemd/resolve/stub-resolv.conf", rp);
    ok(sysconfig_resolv_setup(R) == 0, "resolv.conf setup");
    char *host = NULL, *mine = get("etc/resolv.conf");
    if (read_file("/etc/resolv.conf", &host, NULL) == 0)
        ok(mine && !strcmp(host, mine), "the host's resolv.conf in the root during %%post");
    else
        ok(1, "host without resolv.conf # SKIP");
    free(host);
    free(mine);
    put("etc/machine-id", "deadbeef\n", 0444);
    ok(sysconfig_finish(&ks, R) == 0, "finish");
    is_str(link_of("etc/resolv.conf"), "../run/systemd/resolve/stub-resolv.conf", "the image's resolv.conf symlink restored");
    char *mid = get("etc/machine-id");
    is_str(mid, "", "finish empties a machine-id made by %%post");
    free(mid);
    ok(!exists("etc/.resolv.conf.kscreate-orig") && !exists("etc/.resolv.conf.kscreate-ours"), "no helper files left");
    unlink(rp);
    sysconfig_resolv_setup(R);
    put("etc/resolv.conf", "nameserver 10.0.0.1\n", 0644);
    sysconfig_resolv_restore(R);
    ok(contains("etc/resolv.conf", "nameserver 10.0.0.1"), "a resolv.conf written by %%post is kept");
    free(rp);
}

/* --- %pre, %post, %onerror and the image's own tools ---------------------- */

static char *ENV_ROOT; /* INSTALL_ROOT=R */

/* the root made a chroot with busybox as /bin/sh, once; false without busybox */
static bool busybox_root(void)
{
    static int have = -1;
    if (have < 0) {
        put("bin/.keep", "", 0644);
        char *bb = path_join(R, "bin/busybox"), *sh = path_join(R, "bin/sh");
        have = copy_file("/bin/busybox", bb, 0755) == 0 && symlink("busybox", sh) == 0;
        free(bb);
        free(sh);
    }
    return have;
}

static void skip_without_busybox(int n)
{
    for (int i = 0; i < n; i++)
        ok(1, "# SKIP no /bin/busybox on the host");
}

static void case_post_scripts_chroot_nochroot_log_erroronfail(void)
{
    if (!busybox_root()) {
        skip_without_busybox(7);
        return;
    }
    struct ks_script s[3];
    memset(s, 0, sizeof s);
    s[0] = (struct ks_script){ L(70), KS_SCRIPT_POST, NULL, (char *)"echo chroot-ok > /from-post\necho to-log\n", (char *)"/root/ks-post.log", false, false };
    s[1] = (struct ks_script){ L(73), KS_SCRIPT_POST, (char *)"/bin/sh", (char *)"echo \"$INSTALL_ROOT|$LIVE_ROOT\" > \"$INSTALL_ROOT/nochroot-env\"\n", NULL, true, false };
    s[2] = (struct ks_script){ L(76), KS_SCRIPT_POST, NULL, (char *)"echo failing; exit 3\n", NULL, false, false };
    struct kickstart ks = { 0 };
    ks.scripts = s;
    ks.n_scripts = 3;
    const char *env[] = { ENV_ROOT, "LIVE_ROOT=/live/stage", NULL };
    ok(scripts_run(&ks, KS_SCRIPT_POST, R, env) == 0, "%%post scripts run; a failing one without --erroronfail is not fatal");
    ok(contains("from-post", "chroot-ok"), "%%post runs chrooted in the root");
    ok(contains("root/ks-post.log", "to-log") && contains("root/ks-post.log", "# %post script from test.ks:70"),
       "--log appends the output inside the root");
    char *want = xasprintf("%s|/live/stage\n", R);
    ok(contains("nochroot-env", want), "%%post --nochroot gets INSTALL_ROOT and LIVE_ROOT");
    free(want);
    ok(log_has("test.ks:76: %post script exited with status 3"),
       "failing script: warning with line");
    ok(log_has("failing"), "script output in the log");
    s[2].erroronfail = true;
    ok(scripts_run(&ks, KS_SCRIPT_POST, R, env) < 0 && strstr(log_failure(), "test.ks:76: %post script failed with status 3 (--erroronfail)") &&
           strstr(log_failure(), "failing"),
       "--erroronfail: fatal, output in the error");
}

/* the image's own tools, run chrooted: firewall-offline-cmd, authselect, setfiles */
static void case_image_tools_run_chrooted(void)
{
    if (!busybox_root()) {
        skip_without_busybox(7);
        return;
    }
    put("usr/bin/firewall-offline-cmd", "#!/bin/sh\necho \"$@\" > /fw-args\n", 0755);
    put("usr/bin/authselect", "#!/bin/sh\necho \"$@\" > /authselect-args\n", 0755);
    put("usr/sbin/setfiles", "#!/bin/sh\necho \"$@\" > /setfiles-args\n", 0755);
    put("etc/selinux/targeted/contexts/files/file_contexts", "/.* system_u:object_r:default_t:s0\n", 0644);
    put("etc/selinux/config", "SELINUX=enforcing\nSELINUXTYPE=targeted\n", 0644);
    struct kickstart k3 = { 0 };
    struct ks_sysconf sc = { 0 };
    sc.firewall = (struct ks_firewall){ true, L(81), 1, false, { 0 }, { 0 }, { 0 }, { 0 } };
    strv_push(&sc.firewall.ports, "8080:tcp");
    strv_push(&sc.firewall.ports, "1234");
    strv_push(&sc.firewall.services, "http");
    strv_push(&sc.firewall.remove_services, "mdns");
    strv_push(&sc.firewall.trusts, "eth1");
    sc.authselect = (struct ks_authselect){ true, L(82), { 0 }, false };
    strv_push(&sc.authselect.args, "select");
    strv_push(&sc.authselect.args, "sssd");
    strv_push(&sc.authselect.args, "with-mkhomedir");
    ok(sysconfig_apply_sc(&k3, &sc, R) == 0, "image tools run chrooted");
    ok(contains("fw-args", "--enabled --trust=eth1 --port=8080:tcp --port=1234:tcp --remove-service=mdns --service=http\n"),
       "firewall: the image's firewall-offline-cmd with anaconda's arguments");
    ok(contains("authselect-args", "select sssd with-mkhomedir\n"), "authselect: the image's authselect with the arguments");
    char *pol = selinux_policy(R);
    is_str(pol, "targeted", "policy found: setfiles and file_contexts in the image");
    free(pol);
    ok(selinux_relabel(R, NULL) == 0 &&
           contains("setfiles-args", "-F -e /proc -e /sys -e /dev -e /run /etc/selinux/targeted/contexts/files/file_contexts /\n"),
       "relabel with the image's setfiles and policy");
    char *sa = path_join(R, "setfiles-args");
    unlink(sa);
    struct ks_selinux off = { true, L(83), KS_SELINUX_DISABLED };
    ok(selinux_relabel(R, &off) == 0 && !exists("setfiles-args"), "no relabel when SELinux is disabled");
    free(sa);
    put("usr/bin/authselect", "#!/bin/sh\necho broken >&2\nexit 2\n", 0755);
    ok(sysconfig_apply_sc(&k3, &sc, R) < 0 && strstr(log_failure(), "test.ks:82: /usr/bin/authselect failed with status 2"),
       "a failing authselect: error with the line");
    strv_free(&sc.firewall.ports);
    strv_free(&sc.firewall.services);
    strv_free(&sc.firewall.remove_services);
    strv_free(&sc.firewall.trusts);
    strv_free(&sc.authselect.args);
    char *rm[] = { "usr/bin/firewall-offline-cmd", "usr/bin/authselect", "usr/sbin/setfiles", NULL };
    for (int i = 0; rm[i]; i++) {
        char *q = path_join(R, rm[i]);
        unlink(q);
        free(q);
    }
}

static void case_interpreter_missing_pre_and_onerror_on_host(void)
{
    struct ks_script s[1];
    s[0] = (struct ks_script){ L(80), KS_SCRIPT_POST, (char *)"/usr/bin/python9", (char *)"print(1)\n", NULL, false, false };
    struct kickstart ks = { 0 };
    ks.scripts = s;
    ks.n_scripts = 1;
    const char *env[] = { ENV_ROOT, "LIVE_ROOT=/live/stage", NULL };
    ok(scripts_run(&ks, KS_SCRIPT_POST, R, env) < 0 && strstr(log_failure(), "test.ks:80: %post interpreter /usr/bin/python9 not found in the image"),
       "--interpreter missing in the root: error with line");
    char *out = xasprintf("%s/pre-out", R);
    char *body = xasprintf("echo 'part / --size 100' > %s\n", out);
    s[0] = (struct ks_script){ L(1), KS_SCRIPT_PRE, NULL, body, NULL, false, false };
    ok(scripts_run(&ks, KS_SCRIPT_PRE, NULL, NULL) == 0 && path_exists(out), "%%pre runs on the host");
    s[0] = (struct ks_script){ L(90), KS_SCRIPT_ONERROR, NULL, (char *)"echo onerror-ran\n", NULL, false, false };
    ok(scripts_run(&ks, KS_SCRIPT_ONERROR, NULL, NULL) == 0 && log_has("onerror-ran"), "%%onerror runs on the host, output logged");
    free(out);
    free(body);
}

/* --- the model built from the parser's command records, applied ---------- */

/* the bridge kickstart parsed; NULL when it does not parse */
static struct kickstart *bridge_ks(void)
{
    const char *text =
        "user --name=frank --groups=wheel --password=pw --plaintext --uid=1600 --gecos=\"Frank F\"\n"
        "group --name=ops --gid=2100\n"
        "sshkey --username=frank \"ssh-ed25519 AAAAfrank frank@host\"\n"
        "services --enabled=sshd --disabled=chronyd\n"
        "keyboard --vckeymap=us --xlayouts=us\n"
        "network --device=eth2 --bootproto=dhcp --onboot=no --hostname=bridge\n"
        "firewall --enabled --port=22:tcp --ssh\n"
        "selinux --enforcing\nfirstboot --enable\nskipx\n"
        "authselect select minimal\n"
        "timesource --ntp-server=time.example.com\n"
        "reboot\n";
    struct kickstart *ks = NULL;
    if (ks_parse_string(text, "bridge.ks", NULL, &ks) == 0 && ks)
        return ks;
    if (ks)
        ks_free(ks);
    return NULL;
}

static void case_bridge_records_with_their_lines(void)
{
    struct kickstart *ks = bridge_ks();
    ok(ks != NULL, "bridge: kickstart parses");
    if (!ks)
        return;
    struct ks_sysconf sc;
    sysconf_from_ks(ks, &sc);
    ok(sc.n_users == 1 && !strcmp(sc.users[0].name, "frank") && sc.users[0].uid == 1600 && !sc.users[0].iscrypted &&
           sc.users[0].groups.n == 1 && sc.users[0].loc.line == 1 && !strcmp(sc.users[0].loc.file, "bridge.ks"),
       "bridge: user record with its line");
    ok(sc.n_groups == 1 && sc.groups[0].gid == 2100, "bridge: group");
    ok(sc.n_sshkeys == 1 && !strcmp(sc.sshkeys[0].key, "ssh-ed25519 AAAAfrank frank@host"), "bridge: sshkey");
    ok(sc.services.enabled.n == 1 && sc.services.disabled.n == 1, "bridge: services");
    ok(sc.n_networks == 1 && sc.networks[0].onboot == 0 && !strcmp(sc.networks[0].hostname, "bridge"), "bridge: network");
    ok(sc.firewall.enabled == 1 && sc.firewall.ports.n == 1 && strv_contains(&sc.firewall.services, "ssh"),
       "bridge: firewall");
    ok(sc.selinux.mode == KS_SELINUX_ENFORCING && sc.firstboot.mode == KS_FIRSTBOOT_ENABLE && sc.skipx.file,
       "bridge: selinux, firstboot, skipx");
    ok(sc.authselect.args.n == 2 && !strcmp(sc.authselect.args.v[1], "minimal"), "bridge: authselect arguments");
    ok(sc.n_timesources == 1 && !strcmp(sc.timesources[0].server, "time.example.com"), "bridge: timesource");
    ok(sysconf_applies(ks, "user") && sysconf_applies(ks, "selinux") && !sysconf_applies(ks, "reboot"),
       "bridge: applied commands are told apart from ignored ones");
    ks_sysconf_free(&sc);
    ks_free(ks);
}

static void case_bridge_applied_ignored_commands_listed(void)
{
    struct kickstart *ks = bridge_ks();
    ok(ks && sysconfig_apply(ks, R) == 0, "bridge: sysconfig_apply on the parsed kickstart");
    if (!ks)
        return;
    ok(contains("etc/passwd", "\nfrank:x:1600:1600:Frank F:/home/frank:/bin/bash\n") &&
           contains("home/frank/.ssh/authorized_keys", "frank@host"),
       "bridge: user and key applied");
    ok(contains("etc/hostname", "bridge\n") && contains("etc/selinux/config", "SELINUX=enforcing"),
       "bridge: hostname and selinux applied");
    ok(log_has("kickstart command 'reboot' does not apply to an image: ignored") &&
           !log_has_quiet("kickstart command 'user' does not apply"),
       "bridge: only really ignored commands are listed as ignored");
    ks_free(ks);
}

/* %pre writes a file that a later %include reads */
static void case_pre_writes_file_for_include(void)
{
    char *dir = xasprintf("%s-pre", R);
    mkdir_p(dir, 0755);
    char *ksf = xasprintf("%s/pre.ks", dir);
    char *body = xasprintf("%%pre\necho 'lang fr_FR.UTF-8' > %s/from-pre.ks\n%%end\n%%include %s/from-pre.ks\n", dir, dir);
    write_file(ksf, body, 0644);
    ok(scripts_run_pre(ksf, NULL) == 0, "%%pre pass runs before the real parse");
    struct kickstart *k2 = NULL;
    ok(ks_parse_file(ksf, NULL, &k2) == 0 && k2 && k2->lang.lang && !strcmp(k2->lang.lang, "fr_FR.UTF-8"),
       "%%include reads the file %%pre wrote");
    if (k2)
        ks_free(k2);
    free(body);
    body = xasprintf("%%pre --erroronfail\nexit 7\n%%end\n");
    write_file(ksf, body, 0644);
    ok(scripts_run_pre(ksf, NULL) < 0 && strstr(log_failure(), "pre.ks:1: %pre script failed with status 7"),
       "%%pre --erroronfail failing aborts with the line");
    rm_rf(dir);
    free(body);
    free(ksf);
    free(dir);
}

static const struct tap_case cases[] = {
    TAP_CASE(case_accounts_groups_and_users_added),
    TAP_CASE(case_accounts_passwords_hashed_and_locked),
    TAP_CASE(case_accounts_homes_skel_and_sshkeys),
    TAP_CASE(case_accounts_errors_name_line_change_nothing),
    TAP_CASE(case_rootpw_crypt_strings_checked),
    TAP_CASE(case_passwd_crypt_check_markers_and_colons),
    TAP_CASE(case_services_enable_follows_install_section),
    TAP_CASE(case_services_disable_removes_links),
    TAP_CASE(case_services_preset_rules),
    TAP_CASE(case_services_default_target),
    TAP_CASE(case_ks_services_xconfig_firstboot_reconfig),
    TAP_CASE(case_ks_skipx_firstboot_disable),
    TAP_CASE(case_lang_timezone_ntp_keyboard_applied),
    TAP_CASE(case_keyboard_legacy_keymap_via_kbd_model_map),
    TAP_CASE(case_keyboard_invalid_x_layout_refused),
    TAP_CASE(case_timezone_nontp_and_invalid_values),
    TAP_CASE(case_network_firewall_selinux_applied),
    TAP_CASE(case_selinux_disabled_and_firewall_disabled_in_place),
    TAP_CASE(case_ifcfg_when_image_has_network_scripts),
    TAP_CASE(case_network_firewall_invalid_values),
    TAP_CASE(case_ignored_commands_machine_id_grub_password),
    TAP_CASE(case_resolv_conf_during_post_then_restored),
    TAP_CASE(case_post_scripts_chroot_nochroot_log_erroronfail),
    TAP_CASE(case_image_tools_run_chrooted),
    TAP_CASE(case_interpreter_missing_pre_and_onerror_on_host),
    TAP_CASE(case_bridge_records_with_their_lines),
    TAP_CASE(case_bridge_applied_ignored_commands_listed),
    TAP_CASE(case_pre_writes_file_for_include),
    { 0 },
};

int main(int argc, char **argv)
{
    if (geteuid() != 0) {
        printf("1..0 # SKIP needs root (file owners)\n");
        return 0;
    }
    umask(022);
    R = make_tmpdir("/tmp", "ksc-sysconfig");
    LOGF = xasprintf("%s.log", R);
    ENV_ROOT = xasprintf("INSTALL_ROOT=%s", R);
    log_open(LOG_QUIET, LOGF);
    fake_root();
    int rc = tap_run(cases, argc, argv);
    unlink(LOGF);
    free(LOGF);
    free(ENV_ROOT);
    log_close();
    rm_rf(R);
    free(R);
    return rc;
}
