/* sysconf_ks.h - the system configuration model taken from the parsed
 * kickstart's generic command records (ks->cmds), so that every command the
 * parser accepts is applied without a dedicated model field in ks.h.
 *
 * Contract:
 *  - sysconf_from_ks() fills SC (zeroed first) from the records of the
 *    families User, Group, SshKey, Services, Keyboard, Network, Firewall,
 *    SELinux, XConfig, SkipX, Firstboot, Authselect, Authconfig and
 *    Timesource, with their file:line; release with ks_sysconf_free().
 *  - sysconf_applies() tells whether a command name (as written, as found
 *    in ks->ignored) belongs to one of those families, i.e. is applied by
 *    sysconfig although the parser lists it as not modelled.
 */
#ifndef KSC_SYSCONF_KS_H
#define KSC_SYSCONF_KS_H

#include "core/sysconf_model.h"

void sysconf_from_ks(const struct kickstart *ks, struct ks_sysconf *sc);
bool sysconf_applies(const struct kickstart *ks, const char *name);

#endif
