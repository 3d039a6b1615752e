/* scripts.h - run kickstart script sections (%pre, %post, %onerror).
 *
 * Contract: scripts_run(ks, type, root, env) runs every script of TYPE in
 * kickstart order.  Chroot scripts run inside ROOT with their interpreter
 * from the root; --nochroot scripts run on the host.  Output always goes to
 * the log, and is appended to --log FILE (inside ROOT for chroot scripts).
 * A failing --erroronfail script fails the build (its output in the
 * message); any other failing script is a warning.  env: extra NAME=value
 * entries (INSTALL_ROOT, LIVE_ROOT), NULL-terminated.  The interpreter
 * (--interpreter, default /bin/sh) must exist in ROOT for chroot scripts,
 * on the host for the others; a missing one fails with the script's line.
 */
#ifndef KSC_SCRIPTS_H
#define KSC_SCRIPTS_H

#include "kickstart/ks.h"

int scripts_run(const struct kickstart *ks, enum ks_script_type type, const char *root,
                const char *const *env);

/* %pre: parse KSFILE without following %include, run its %pre scripts on
 * the host (they may write files that a later %include reads), then the
 * caller parses the kickstart for real.  0, or -1 when an --erroronfail
 * %pre failed.  A kickstart that does not parse runs no %pre (the real
 * parse reports its errors). */
int scripts_run_pre(const char *ksfile, const char *const *env);

#endif
