/* users.h - accounts in an image root: /etc/passwd, shadow, group and
 * gshadow edited directly and consistently (the image may have no useradd),
 * home directories from /etc/skel, authorized_keys.
 *
 * Contract:
 *  - accounts_load() reads the four files of ROOT (any may be missing;
 *    adding users or groups then fails naming the missing file; a missing
 *    shadow is created for a new user, mode 0000 as in Fedora's setup
 *    package, a missing gshadow stays missing); accounts_save() writes every changed file
 *    atomically (temporary file + rename) keeping its mode and owner.
 *  - accounts_add_group/add_user/set_password/add_sshkey fail with a message
 *    naming the kickstart file:line (log_fail) and change nothing on error.
 *  - UIDs/GIDs are allocated as useradd does: UID_MIN/GID_MIN from the
 *    root's /etc/login.defs (default 1000), the user's private group gets the
 *    uid as gid when that is free.
 */
#ifndef KSC_USERS_H
#define KSC_USERS_H

#include <stdbool.h>
#include <sys/types.h>

#include "core/sysconf_model.h"
#include "core/base/strv.h"

struct acct_file {
    char *path;
    strv_t lines;
    bool present, dirty;
};

struct accounts {
    char *root;
    struct acct_file passwd, shadow, group, gshadow;
    long uid_min, uid_max, gid_min, gid_max;
};

int  accounts_load(struct accounts *a, const char *root);
int  accounts_save(struct accounts *a);
void accounts_free(struct accounts *a);

/* Lookups: 0 and the values, or -1 when not found. */
int  accounts_user(const struct accounts *a, const char *name, long *uid, long *gid, char **home);
int  accounts_group_gid(const struct accounts *a, const char *name, long *gid);
bool accounts_uid_taken(const struct accounts *a, long uid);
bool accounts_gid_taken(const struct accounts *a, long gid);

int  accounts_add_group(struct accounts *a, const struct ks_usergroup *g);
int  accounts_add_user(struct accounts *a, const struct ks_user *u);
/* shadow password field of USER (creates the shadow entry when missing). */
int  accounts_set_password(struct accounts *a, const char *user, const char *hash);
/* accounts_add_user also creates the home directory at once (before
 * accounts_save): copied from /etc/skel, owned by the user, mode 0700. */
int  accounts_add_sshkey(struct accounts *a, const struct ks_sshkey *k);


#endif
