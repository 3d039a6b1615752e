/* sysconfig.h - apply the kickstart's system configuration to an image root.
 *
 * Contract:
 *  - sysconfig_apply() writes everything the kickstart configures directly
 *    into ROOT, without running anything from the image except the image's
 *    own firewall-offline-cmd / authselect / authconfig when the kickstart
 *    asks for them (chrooted): lang, keyboard, timezone (+ NTP servers,
 *    timesource), group, user, sshkey, rootpw, network, firewall, selinux
 *    (config file), services, firstboot, xconfig/skipx (default target),
 *    authselect/auth, bootloader --password, an empty /etc/machine-id.
 *    Invalid values fail with log_fail() naming the kickstart file:line
 *    (among them a newline or control character in a value written into a
 *    one-line setting, a unit name that is not one); free text sourced by
 *    shell scripts (sysconfig/desktop) is shell-quoted;
 *    values the image cannot honour (a service it does not have, no chrony)
 *    are warnings naming the line.  Commands the image cannot use
 *    (ks->ignored) are logged once each as ignored.  0 or -1.
 *  - sysconfig_apply_sc() is the same with the model of the system
 *    commands given explicitly; sysconfig_apply() takes it from ks->sys
 *    when ks.h defines KSC_KS_HAS_SYSCONF, else builds it from the parser's
 *    generic command records (sysconf_ks.h).
 *  - sysconfig_resolv_setup() puts the host's /etc/resolv.conf into ROOT for
 *    %post (saving what the image had); sysconfig_resolv_restore() puts the
 *    image's own back, unless a %post script replaced ours on purpose.
 *  - sysconfig_finish() runs after %post: restores resolv.conf, empties
 *    /etc/machine-id again (first boot) and relabels with the image's own
 *    SELinux policy when it has one.  0 or -1.
 */
#ifndef KSC_SYSCONFIG_H
#define KSC_SYSCONFIG_H

#include "kickstart/ks.h"
#include "core/sysconf_model.h"

int  sysconfig_apply(const struct kickstart *ks, const char *root);
int  sysconfig_apply_sc(const struct kickstart *ks, const struct ks_sysconf *sc, const char *root);
int  sysconfig_resolv_setup(const char *root);
int  sysconfig_resolv_restore(const char *root);
int  sysconfig_finish(const struct kickstart *ks, const char *root);
void sysconfig_log_ignored(const struct kickstart *ks);

/* Set the password field of USER in ROOT/etc/shadow (entry added if missing). */
int sysconfig_set_shadow(const char *root, const char *user, const char *hash);

#endif
