/* sysconfig.h - apply the kickstart's system configuration to an image root.
 *
 * Contract: sysconfig_apply() writes the files for lang, timezone, rootpw
 * (and the commands that later issues add) directly into ROOT without
 * running anything from the image; 0 or -1 after log_fail() naming the
 * kickstart line.  Commands the image cannot use are logged once as ignored.
 */
#ifndef KSC_SYSCONFIG_H
#define KSC_SYSCONFIG_H

#include "../kickstart/ks.h"

int sysconfig_apply(const struct kickstart *ks, const char *root);
/* SHA-512 crypt of a plain password with a random salt (malloc'd). */
char *sysconfig_hash_password(const char *plain);
/* Set the password field of USER in ROOT/etc/shadow. */
int sysconfig_set_shadow(const char *root, const char *user, const char *hash);

#endif
