/* selinux_cfg.h - the kickstart 'selinux' command and the image's relabel.
 *
 * Contract:
 *  - selinux_apply() writes SELINUX= (enforcing/permissive/disabled) into
 *    /etc/selinux/config, keeping SELINUXTYPE (default "targeted") and the
 *    rest; without a 'selinux' command it changes nothing.  0 or -1.
 *  - selinux_policy() returns the policy type (malloc'd) when the image has
 *    a usable policy (setfiles and /etc/selinux/TYPE/contexts/files/
 *    file_contexts), else NULL.
 *  - selinux_relabel() relabels the whole root with the image's own
 *    setfiles and policy, chrooted, unless SELinux is disabled; without a
 *    policy it logs that and returns 0.  A failing setfiles is a warning.
 */
#ifndef KSC_SELINUX_CFG_H
#define KSC_SELINUX_CFG_H

#include "core/sysconf_model.h"

int   selinux_apply(const char *root, const struct ks_selinux *se);
char *selinux_policy(const char *root);
int   selinux_relabel(const char *root, const struct ks_selinux *se);

#endif
