/* scripts.h - run kickstart script sections (%pre, %post, %onerror).
 *
 * Contract: scripts_run(ks, type, root, env) runs every script of TYPE in
 * kickstart order.  Chroot scripts run inside ROOT with their interpreter
 * from the root; --nochroot scripts run on the host.  Output always goes to
 * the log, and is appended to --log FILE (inside ROOT for chroot scripts).
 * A failing --erroronfail script fails the build (its output in the
 * message); any other failing script is a warning.  env: extra NAME=value
 * entries (INSTALL_ROOT, LIVE_ROOT), NULL-terminated.
 */
#ifndef KSC_SCRIPTS_H
#define KSC_SCRIPTS_H

#include "../kickstart/ks.h"

int scripts_run(const struct kickstart *ks, enum ks_script_type type, const char *root,
                const char *const *env);

#endif
