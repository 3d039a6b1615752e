/* users.c - see users.h */
#define _GNU_SOURCE
#include "core/users.h"
#include "core/base/strbuf.h"
#include "core/base/strv.h"
#include "core/base/log.h"
#include "core/base/util.h"
#include "core/passwd_hash.h"

#include <crypt.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define LOCFMT "%s:%d: "
#define LOCARG(l) ((l).file ? (l).file : "kickstart"), (l).line

/* ---- colon files ---------------------------------------------------------- */

static int file_load(struct acct_file *f, const char *root, const char *rel)
{
    f->path = path_join(root, rel);
    char *buf;
    if (read_file(f->path, &buf, NULL) < 0) {
        if (errno == ENOENT)
            return 0;
        return log_fail("cannot read %s: %s", f->path, strerror(errno));
    }
    f->present = true;
    for (char *line = buf, *nl; *line; line = nl + 1) {
        nl = strchr(line, '\n');
        if (!nl) {
            strv_push(&f->lines, line);
            break;
        }
        strv_push_take(&f->lines, xstrndup(line, (size_t)(nl - line)));
    }
    free(buf);
    return 0;
}

static int file_save(struct acct_file *f, mode_t new_mode)
{
    if (!f->dirty)
        return 0;
    char *body = strv_join(&f->lines, "\n"), *out = xasprintf("%s%s", body, f->lines.n ? "\n" : "");
    free(body);
    char *tmp = xasprintf("%s+", f->path);
    struct stat st;
    bool had = stat(f->path, &st) == 0;
    int r = write_file(tmp, out, 0600);
    if (r == 0) {
        if (had) {
            r = chmod(tmp, st.st_mode & 07777);
            if (r == 0)
                r = chown(tmp, st.st_uid, st.st_gid);
        } else {
            r = chmod(tmp, new_mode);
        }
    }
    if (r == 0)
        r = rename(tmp, f->path);
    if (r < 0) {
        log_fail("cannot write %s: %s", f->path, strerror(errno));
        unlink(tmp);
    } else {
        f->dirty = false;
        f->present = true;
    }
    free(tmp);
    free(out);
    return r;
}

static void file_free(struct acct_file *f)
{
    free(f->path);
    strv_free(&f->lines);
    memset(f, 0, sizeof *f);
}

/* index of the line whose first field is NAME, or -1 */
static long file_find(const struct acct_file *f, const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < f->lines.n; i++)
        if (!strncmp(f->lines.v[i], name, n) && f->lines.v[i][n] == ':')
            return (long)i;
    return -1;
}

/* field K (0-based) of LINE, malloc'd; "" when missing */
static char *field(const char *line, int k)
{
    const char *p = line;
    for (int i = 0; i < k; i++) {
        p = strchr(p, ':');
        if (!p)
            return xstrdup("");
        p++;
    }
    const char *e = strchrnul(p, ':');
    return xstrndup(p, (size_t)(e - p));
}

static long field_long(const char *line, int k)
{
    char *s = field(line, k), *end;
    long v = *s ? strtol(s, &end, 10) : -1;
    if (*s && *end)
        v = -1;
    free(s);
    return v;
}

/* replace field K of line I */
static void file_set_field(struct acct_file *f, size_t i, int k, const char *value)
{
    const char *line = f->lines.v[i];
    const char *p = line;
    int have = 0;
    for (; have < k; have++) {
        const char *c = strchr(p, ':');
        if (!c)
            break;
        p = c + 1;
    }
    char *nl;
    if (have < k) {       /* pad missing fields */
        struct strbuf b = { 0 };
        strbuf_add(&b, line);
        for (int j = have; j < k; j++)
            strbuf_addc(&b, ':');
        strbuf_add(&b, value);
        nl = strbuf_take(&b);
    } else {
        const char *e = strchrnul(p, ':');
        nl = xasprintf("%.*s%s%s", (int)(p - line), line, value, e);
    }
    free(f->lines.v[i]);
    f->lines.v[i] = nl;
    f->dirty = true;
}

static void file_append(struct acct_file *f, char *line)
{
    strv_push_take(&f->lines, line);
    f->dirty = true;
}

/* ---- accounts --------------------------------------------------------------- */

static void read_login_defs(struct accounts *a)
{
    a->uid_min = a->gid_min = 1000;
    a->uid_max = a->gid_max = 60000;
    char *p = path_join(a->root, "etc/login.defs"), *buf;
    if (read_file(p, &buf, NULL) == 0) {
        for (char *l = strtok(buf, "\n"); l; l = strtok(NULL, "\n")) {
            char key[32];
            long v;
            if (sscanf(l, " %31s %ld", key, &v) != 2 || key[0] == '#')
                continue;
            if (!strcmp(key, "UID_MIN")) a->uid_min = v;
            else if (!strcmp(key, "UID_MAX")) a->uid_max = v;
            else if (!strcmp(key, "GID_MIN")) a->gid_min = v;
            else if (!strcmp(key, "GID_MAX")) a->gid_max = v;
        }
        free(buf);
    }
    free(p);
}

int accounts_load(struct accounts *a, const char *root)
{
    memset(a, 0, sizeof *a);
    a->root = xstrdup(root);
    if (file_load(&a->passwd, root, "etc/passwd") < 0 || file_load(&a->shadow, root, "etc/shadow") < 0 ||
        file_load(&a->group, root, "etc/group") < 0 || file_load(&a->gshadow, root, "etc/gshadow") < 0) {
        accounts_free(a);
        return -1;
    }
    read_login_defs(a);
    return 0;
}

int accounts_save(struct accounts *a)
{
    if (file_save(&a->passwd, 0644) < 0 || file_save(&a->group, 0644) < 0 ||
        file_save(&a->shadow, 0) < 0 || file_save(&a->gshadow, 0) < 0)
        return -1;
    return 0;
}

void accounts_free(struct accounts *a)
{
    free(a->root);
    file_free(&a->passwd);
    file_free(&a->shadow);
    file_free(&a->group);
    file_free(&a->gshadow);
    memset(a, 0, sizeof *a);
}

int accounts_user(const struct accounts *a, const char *name, long *uid, long *gid, char **home)
{
    long i = file_find(&a->passwd, name);
    if (i < 0)
        return -1;
    const char *l = a->passwd.lines.v[i];
    if (uid) *uid = field_long(l, 2);
    if (gid) *gid = field_long(l, 3);
    if (home) *home = field(l, 5);
    return 0;
}

int accounts_group_gid(const struct accounts *a, const char *name, long *gid)
{
    long i = file_find(&a->group, name);
    if (i < 0)
        return -1;
    if (gid)
        *gid = field_long(a->group.lines.v[i], 2);
    return 0;
}

/* the line whose id (field 2) is ID, or NULL */
static const char *line_by_id(const struct acct_file *f, long id)
{
    for (size_t i = 0; i < f->lines.n; i++)
        if (field_long(f->lines.v[i], 2) == id)
            return f->lines.v[i];
    return NULL;
}

/* the name of that line, malloc'd, or NULL */
static char *name_by_id(const struct acct_file *f, long id)
{
    const char *l = line_by_id(f, id);
    return l ? xstrndup(l, strcspn(l, ":")) : NULL;
}

bool accounts_uid_taken(const struct accounts *a, long uid) { return line_by_id(&a->passwd, uid) != NULL; }

bool accounts_gid_taken(const struct accounts *a, long gid) { return line_by_id(&a->group, gid) != NULL; }

static long shadow_days(void)
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    time_t t = sde ? (time_t)strtoll(sde, NULL, 10) : time(NULL);
    return (long)(t / 86400);
}

/* names as useradd accepts them (shadow-utils' is_valid_user_name, relaxed) */
static bool valid_name(const char *n)
{
    if (!*n || strlen(n) > 32 || *n == '-' || (isdigit((unsigned char)*n) && strspn(n, "0123456789") == strlen(n)))
        return false;
    for (const char *p = n; *p; p++)
        if (!(isalnum((unsigned char)*p) || *p == '_' || *p == '-' || *p == '.' || (*p == '$' && !p[1])))
            return false;
    return true;
}

static bool bad_field(const char *s) { return s && strpbrk(s, ":\n"); }

static void insert_group(struct accounts *a, const char *name, long gid)
{
    file_append(&a->group, xasprintf("%s:x:%ld:", name, gid));
    if (a->gshadow.present)
        file_append(&a->gshadow, xasprintf("%s:!::", name));
}

static int need_files(const struct accounts *a, const struct ks_loc *loc)
{
    if (a->passwd.present && a->group.present)
        return 0;
    return log_fail(LOCFMT "the image has no %s: is the 'setup' package (or an equivalent) installed?",
                    LOCARG(*loc), a->passwd.present ? "/etc/group" : "/etc/passwd");
}

int accounts_add_group(struct accounts *a, const struct ks_usergroup *g)
{
    if (need_files(a, &g->loc) < 0)
        return -1;
    if (!g->name || !valid_name(g->name))
        return log_fail(LOCFMT "group: invalid group name '%s'", LOCARG(g->loc), g->name ? g->name : "");
    long have;
    if (accounts_group_gid(a, g->name, &have) == 0) {
        if (g->gid >= 0 && have != g->gid)
            return log_fail(LOCFMT "group %s already exists with gid %ld (not %ld)", LOCARG(g->loc),
                            g->name, have, g->gid);
        log_warn(LOCFMT "group %s already exists: left as it is", LOCARG(g->loc), g->name);
        return 0;
    }
    long gid = g->gid;
    if (gid >= 0) {
        char *other = name_by_id(&a->group, gid);
        if (other) {
            int r = log_fail(LOCFMT "group %s: gid %ld is already used by group %s", LOCARG(g->loc), g->name, gid,
                             other);
            free(other);
            return r;
        }
    } else {
        for (gid = a->gid_min; gid <= a->gid_max && accounts_gid_taken(a, gid); gid++)
            ;
        if (gid > a->gid_max)
            return log_fail(LOCFMT "group %s: no free gid", LOCARG(g->loc), g->name);
    }
    insert_group(a, g->name, gid);
    log_verbose("added group %s (gid %ld)", g->name, gid);
    return 0;
}

/* add USER to the member list (field 3) of group line I in F */
static void add_member(struct acct_file *f, long i, int k, const char *user)
{
    char *members = field(f->lines.v[i], k);
    bool found = false;
    for (char *save, *m = strtok_r(members, ",", &save); m; m = strtok_r(NULL, ",", &save))
        if (!strcmp(m, user))
            found = true;
    free(members);
    if (found)
        return;
    members = field(f->lines.v[i], k);
    char *nm = *members ? xasprintf("%s,%s", members, user) : xstrdup(user);
    file_set_field(f, (size_t)i, k, nm);
    free(nm);
    free(members);
}

/* the shadow password for a kickstart password spec; NULL after log_fail */
static char *make_hash(const struct ks_loc *loc, const char *what, const char *password, bool iscrypted,
                       bool lock)
{
    char *hash;
    if (!password) {
        hash = xstrdup("!!");
    } else if (iscrypted) {
        const char *why;
        int c = passwd_crypt_check(password, &why);
        if (c < 0) {
            log_fail(LOCFMT "%s --iscrypted: '%s' is not a valid crypt(3) hash: %s", LOCARG(*loc), what,
                     password, why);
            return NULL;
        }
        if (c > 0)
            log_warn(LOCFMT "%s --iscrypted: the hash looks damaged (%s): logging in with it will fail",
                     LOCARG(*loc), what, why);
        hash = xstrdup(password);
    } else {
        hash = passwd_sha512_crypt(password);
        if (!hash) {
            log_fail(LOCFMT "%s: cannot hash the password with SHA-512 crypt", LOCARG(*loc), what);
            return NULL;
        }
    }
    if (lock && hash[0] != '!') {
        char *l = xasprintf("!%s", hash);
        free(hash);
        hash = l;
    }
    return hash;
}

int accounts_set_password(struct accounts *a, const char *user, const char *hash)
{
    if (!a->shadow.present && !a->shadow.dirty) {
        /* no shadow file: the password goes to passwd, as without shadow-utils */
        long i = file_find(&a->passwd, user);
        if (i < 0)
            return log_fail("no user %s in %s", user, a->passwd.path);
        file_set_field(&a->passwd, (size_t)i, 1, hash);
        return 0;
    }
    long i = file_find(&a->shadow, user);
    if (i < 0) {
        file_append(&a->shadow, xasprintf("%s:%s:%ld:0:99999:7:::", user, hash, shadow_days()));
        return 0;
    }
    file_set_field(&a->shadow, (size_t)i, 1, hash);
    return 0;
}

/* ---- home directories ------------------------------------------------------- */

static int copy_tree(const char *src, const char *dst, uid_t uid, gid_t gid)
{
    DIR *d = opendir(src);
    if (!d)
        return errno == ENOENT ? 0 : -1;
    int rc = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char *s = path_join(src, e->d_name), *t = path_join(dst, e->d_name);
        struct stat st;
        if (lstat(s, &st) < 0) {
            rc = -1;
        } else if (S_ISDIR(st.st_mode)) {
            if ((mkdir(t, st.st_mode & 07777) < 0 && errno != EEXIST) || copy_tree(s, t, uid, gid) < 0 ||
                chmod(t, st.st_mode & 07777) < 0 || lchown(t, uid, gid) < 0)
                rc = -1;
        } else if (S_ISLNK(st.st_mode)) {
            char target[PATH_MAX];
            ssize_t n = readlink(s, target, sizeof target - 1);
            if (n < 0)
                rc = -1;
            else {
                target[n] = 0;
                if (symlink(target, t) < 0 || lchown(t, uid, gid) < 0)
                    rc = -1;
            }
        } else if (S_ISREG(st.st_mode)) {
            if (copy_file(s, t, st.st_mode & 07777) < 0 || chmod(t, st.st_mode & 07777) < 0 ||
                lchown(t, uid, gid) < 0)
                rc = -1;
        }
        free(s);
        free(t);
    }
    closedir(d);
    return rc;
}

static int make_home(struct accounts *a, const struct ks_user *u, const char *home, long uid, long gid)
{
    char *h = path_join(a->root, home);
    if (path_exists(h)) {
        log_warn(LOCFMT "user %s: home directory %s already exists: not populated from /etc/skel",
                 LOCARG(u->loc), u->name, home);
        free(h);
        return 0;
    }
    char *parent = xstrdup(h);
    *strrchr(parent, '/') = 0;
    int r = mkdir_p(parent, 0755);
    if (r == 0)
        r = mkdir(h, 0700);
    char *skel = path_join(a->root, "etc/skel");
    if (r == 0)
        r = copy_tree(skel, h, (uid_t)uid, (gid_t)gid);
    if (r == 0)
        r = chown(h, (uid_t)uid, (gid_t)gid);
    if (r == 0)
        r = chmod(h, 0700);
    if (r < 0)
        log_fail(LOCFMT "user %s: cannot create home directory %s: %s", LOCARG(u->loc), u->name, home,
                 strerror(errno));
    free(skel);
    free(parent);
    free(h);
    return r;
}

/* "name" or "name(gid)" */
static void parse_group_spec(const char *spec, char **name, long *gid)
{
    const char *p = strchr(spec, '(');
    *gid = -1;
    if (p && str_endswith(spec, ")")) {
        *name = xstrndup(spec, (size_t)(p - spec));
        *gid = strtol(p + 1, NULL, 10);
    } else {
        *name = xstrdup(spec);
    }
}

int accounts_add_user(struct accounts *a, const struct ks_user *u)
{
    if (need_files(a, &u->loc) < 0)
        return -1;
    if (!u->name || !valid_name(u->name))
        return log_fail(LOCFMT "user: invalid user name '%s'", LOCARG(u->loc), u->name ? u->name : "");
    if (bad_field(u->gecos) || bad_field(u->homedir) || bad_field(u->shell))
        return log_fail(LOCFMT "user %s: --gecos, --homedir and --shell cannot contain ':'", LOCARG(u->loc),
                        u->name);
    if (u->homedir && (u->homedir[0] != '/' || strstr(u->homedir, "/..")))
        return log_fail(LOCFMT "user %s: --homedir must be an absolute path without '..'", LOCARG(u->loc),
                        u->name);
    if (file_find(&a->passwd, u->name) >= 0)
        return log_fail(LOCFMT "user %s already exists in the image", LOCARG(u->loc), u->name);
    char *who = u->uid >= 0 ? name_by_id(&a->passwd, u->uid) : NULL;
    if (who) {
        int r = log_fail(LOCFMT "user %s: uid %ld is already used by %s", LOCARG(u->loc), u->name, u->uid, who);
        free(who);
        return r;
    }
    if (u->uid == 0)
        log_warn(LOCFMT "user %s gets uid 0", LOCARG(u->loc), u->name);
    /* check supplementary groups first, so that nothing changes on error */
    for (size_t i = 0; i < u->groups.n; i++) {
        char *gname;
        long ggid, have;
        parse_group_spec(u->groups.v[i], &gname, &ggid);
        bool bad = !valid_name(gname);
        bool clash = !bad && ggid >= 0 && accounts_group_gid(a, gname, &have) < 0 && accounts_gid_taken(a, ggid);
        if (bad || clash) {
            int r = bad ? log_fail(LOCFMT "user %s: invalid group '%s' in --groups", LOCARG(u->loc), u->name,
                                   u->groups.v[i])
                        : log_fail(LOCFMT "user %s: gid %ld for new group %s is already taken", LOCARG(u->loc),
                                   u->name, ggid, gname);
            free(gname);
            return r;
        }
        free(gname);
    }
    char *hash = make_hash(&u->loc, "user", u->password, u->iscrypted, u->lock);
    if (!hash)
        return -1;

    long uid = u->uid;
    if (uid < 0) {
        /* the first uid free both as uid and as gid of the private group */
        for (uid = a->uid_min; uid <= a->uid_max; uid++)
            if (!accounts_uid_taken(a, uid) && (u->gid >= 0 || !accounts_gid_taken(a, uid)))
                break;
        if (uid > a->uid_max)
            for (uid = a->uid_min; uid <= a->uid_max && accounts_uid_taken(a, uid); uid++)
                ;
        if (uid > a->uid_max) {
            free(hash);
            return log_fail(LOCFMT "user %s: no free uid", LOCARG(u->loc), u->name);
        }
    }
    long gid = u->gid;
    if (gid >= 0) {
        if (!accounts_gid_taken(a, gid)) {
            if (accounts_group_gid(a, u->name, NULL) == 0) {
                free(hash);
                return log_fail(LOCFMT "user %s: group %s exists with another gid than --gid=%ld",
                                LOCARG(u->loc), u->name, u->name, gid);
            }
            insert_group(a, u->name, gid);
        }
    } else if (accounts_group_gid(a, u->name, &gid) == 0) {
        /* a group of the user's name exists (e.g. made by 'group'): use it */
    } else {
        gid = uid;
        if (accounts_gid_taken(a, gid))
            for (gid = a->gid_min; gid <= a->gid_max && accounts_gid_taken(a, gid); gid++)
                ;
        insert_group(a, u->name, gid);
    }
    for (size_t i = 0; i < u->groups.n; i++) {
        char *gname;
        long ggid;
        parse_group_spec(u->groups.v[i], &gname, &ggid);
        if (accounts_group_gid(a, gname, NULL) < 0) {
            if (ggid < 0)
                for (ggid = a->gid_min; ggid <= a->gid_max && accounts_gid_taken(a, ggid); ggid++)
                    ;
            insert_group(a, gname, ggid);
            log_verbose("added group %s (gid %ld) for user %s", gname, ggid, u->name);
        }
        add_member(&a->group, file_find(&a->group, gname), 3, u->name);
        long gi = a->gshadow.present ? file_find(&a->gshadow, gname) : -1;
        if (gi >= 0)
            add_member(&a->gshadow, gi, 3, u->name);
        free(gname);
    }
    char *home = u->homedir ? xstrdup(u->homedir) : xasprintf("/home/%s", u->name);
    const char *shell = u->shell ? u->shell : "/bin/bash";
    char *sh = path_join(a->root, shell);
    if (!path_exists(sh))
        log_warn(LOCFMT "user %s: shell %s is not in the image", LOCARG(u->loc), u->name, shell);
    free(sh);
    file_append(&a->passwd, xasprintf("%s:x:%ld:%ld:%s:%s:%s", u->name, uid, gid, u->gecos ? u->gecos : "",
                                      home, shell));
    if (!a->shadow.present)
        a->shadow.dirty = true;   /* created */
    int r = accounts_set_password(a, u->name, hash);
    free(hash);
    if (r == 0)
        r = make_home(a, u, home, uid, gid);
    if (r == 0)
        log_info("user %s: uid %ld, gid %ld, home %s", u->name, uid, gid, home);
    free(home);
    return r;
}

/* ---- ssh keys ----------------------------------------------------------------- */

int accounts_add_sshkey(struct accounts *a, const struct ks_sshkey *k)
{
    long uid, gid;
    char *home = NULL;
    if (!k->username || accounts_user(a, k->username, &uid, &gid, &home) < 0)
        return log_fail(LOCFMT "sshkey: no user '%s' in the image", LOCARG(k->loc),
                        k->username ? k->username : "");
    if (!k->key || !*k->key || strchr(k->key, '\n')) {
        free(home);
        return log_fail(LOCFMT "sshkey --username=%s: the key must be one non-empty line", LOCARG(k->loc),
                        k->username);
    }
    char *dir = xasprintf("%s%s/.ssh", a->root, home);
    char *file = path_join(dir, "authorized_keys");
    int r = mkdir_p(dir, 0700);
    if (r == 0)
        r = chmod(dir, 0700);
    if (r == 0)
        r = chown(dir, (uid_t)uid, (gid_t)gid);
    if (r == 0) {
        char *line = xasprintf("%s\n", k->key);
        int fd = open(file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
        r = fd < 0 ? -1 : 0;
        if (r == 0) {
            r = write(fd, line, strlen(line)) == (ssize_t)strlen(line) ? 0 : -1;
            if (close(fd) < 0)
                r = -1;
        }
        free(line);
    }
    if (r == 0)
        r = chmod(file, 0600);
    if (r == 0)
        r = chown(file, (uid_t)uid, (gid_t)gid);
    if (r < 0)
        log_fail(LOCFMT "sshkey: cannot write %s: %s", LOCARG(k->loc), file, strerror(errno));
    else
        log_verbose("ssh key added to %s", file);
    free(dir);
    free(file);
    free(home);
    return r;
}
