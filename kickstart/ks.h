/* ks.h - the kickstart data model and the parser's entry points.
 *
 * Contract:
 *  - ks_parse_file() reads a kickstart (following %include), fills a
 *    struct kickstart and returns 0, or returns -1 after reporting every
 *    error as "FILE:LINE: message" through the diagnostics callback (default:
 *    the project log).  Warnings never fail the parse.
 *  - The model is typed: consumers never re-parse option strings.  Unset
 *    strings are NULL, unset integers are -1, "seen" flags tell whether a
 *    single-instance command appeared at all.
 *  - ks_free() releases everything.
 *  - The parser follows pykickstart 3.74 (docs/kickstart-conformance.md):
 *    syntax versions F30..F45 (= DEVEL, the default), RHEL8, RHEL9, RHEL10;
 *    removed commands and options are errors, deprecated ones warnings
 *    (KS_WARNING; ksvalidator counts them as errors), KS_NOTICE is extra
 *    information that never fails anything.  Every command is also kept as a
 *    typed record (struct ks_cmdrec: its options' values by pykickstart's
 *    attribute names, defaults filled in) in ks->cmds.
 *  - ks_flatten() prints the model as pykickstart's ksflatten does.
 */
#ifndef KSC_KS_H
#define KSC_KS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/base/util.h"
#include "core/base/strv.h"

struct ks_loc {
    char *file;   /* file the command came from */
    int line;     /* 1-based line number */
};

struct ks_repo {
    struct ks_loc loc;
    char *name, *baseurl, *mirrorlist, *metalink, *proxy;
    char *sslcacert, *sslclientcert, *sslclientkey;
    int cost;                     /* -1 unset */
    strv_t excludepkgs, includepkgs;
    bool noverifyssl, install, ignoregroups;
};

struct ks_url {
    bool seen;
    struct ks_loc loc;
    char *url, *mirrorlist, *metalink, *proxy, *sslcacert, *sslclientcert, *sslclientkey;
    bool noverifyssl;
};

struct ks_part {
    struct ks_loc loc;
    char *mntpoint;               /* "/", "/boot", "swap", "biosboot", ... */
    long size;                    /* MiB, -1 unset */
    long maxsize;                 /* MiB, -1 unset */
    bool grow, asprimary;
    char *fstype, *label, *ondisk, *fsoptions;
};

enum ks_group_include { KS_GROUP_DEFAULT, KS_GROUP_ALL /* --optional */, KS_GROUP_REQUIRED /* --nodefaults */ };

struct ks_group {
    char *name;                   /* without '@'; environments without '^' */
    enum ks_group_include include;
    bool environment;             /* @^name */
};

struct ks_packages {
    bool seen;
    struct ks_loc loc;
    strv_t names;                 /* package names and globs, in order */
    strv_t excludes;              /* "-name" entries, without '-' */
    struct ks_group *groups;
    size_t n_groups;
    struct ks_group *excluded_groups;  /* "-@group" */
    size_t n_excluded_groups;
    bool nocore, excludedocs, ignoremissing, exclude_weakdeps, default_, nobase;
    bool ignorebroken;
    char *inst_langs;             /* NULL unset */
    char *multilib;               /* NULL unset, else "all"/"best" */
    int retries, timeout;         /* -1 unset */
};

enum ks_script_type { KS_SCRIPT_PRE, KS_SCRIPT_PRE_INSTALL, KS_SCRIPT_POST, KS_SCRIPT_ONERROR, KS_SCRIPT_TRACEBACK };

struct ks_script {
    struct ks_loc loc;            /* line of the %post header */
    enum ks_script_type type;
    char *interpreter;            /* default "/bin/sh" */
    char *body;                   /* text between header and %end */
    char *log;                    /* --log, NULL unset */
    bool nochroot, erroronfail;
};

struct ks_lang { bool seen; struct ks_loc loc; char *lang; strv_t addsupport; };
struct ks_timezone { bool seen; struct ks_loc loc; char *timezone; bool utc, nontp; strv_t ntpservers; };
struct ks_rootpw { bool seen; struct ks_loc loc; char *password; bool iscrypted, plaintext, lock, allow_ssh; };
struct ks_bootloader {
    bool seen;
    struct ks_loc loc;
    char *append, *location, *password, *boot_drive;
    int timeout;                  /* seconds, -1 unset */
    bool iscrypted;
    bool extlinux;                /* --extlinux (disk images, issue 7) */
};

/* Generic typed value of one option destination ("dest"). */
enum ks_vkind { KS_V_NONE, KS_V_BOOL, KS_V_INT, KS_V_FLOAT, KS_V_STR, KS_V_LIST };
struct ks_value {
    enum ks_vkind kind;
    long long i;                  /* BOOL (0/1), INT */
    double f;                     /* FLOAT */
    char *s;                      /* STR */
    strv_t l;                     /* LIST */
};

/* One command as parsed: every option destination of its syntax class with
 * its typed value (defaults filled in), in the class's option order.  Single
 * commands hold their last use; data commands (part, repo, network, ...)
 * have one record per use. */
struct ks_cmdrec {
    struct ks_loc loc;
    char *name;                   /* the command as written ("part", "partition") */
    const char *family;           /* implementation family ("Partition") */
    int cls;                      /* index into the syntax tables */
    bool seen;
    size_t n;
    const char **dests;           /* n destination names */
    struct ks_value *vals;        /* n values */
    char *text;                   /* the line after the command name (authselect etc.) */
};

/* The value of dest in r, or NULL if the class has no such dest. */
const struct ks_value *ks_rec_get(const struct ks_cmdrec *r, const char *dest);
const char *ks_rec_str(const struct ks_cmdrec *r, const char *dest);   /* NULL unless STR */
long long ks_rec_int(const struct ks_cmdrec *r, const char *dest, long long dflt);
bool ks_rec_bool(const struct ks_cmdrec *r, const char *dest);         /* Python truthiness */

struct ks_cert { struct ks_loc loc; char *filename, *dir, *type, *cert; };

struct kickstart {
    char *filename;
    const char *version;          /* syntax version name ("DEVEL", "RHEL9", ...) */
    int version_num;
    char *platform;               /* "#platform=" comment, NULL unset */
    /* every command that was used: single commands (their last use) and data
     * records (every use, in order), grouped by command class */
    struct ks_cmdrec **cmds;  size_t n_cmds;
    struct ks_cert *certs;    size_t n_certs;
    strv_t null_sections;         /* %addon/%anaconda and unknown sections, as text */
    struct ks_lang lang;
    struct ks_timezone timezone;
    struct ks_rootpw rootpw;
    struct ks_bootloader bootloader;
    struct ks_url url;
    struct ks_repo *repos;   size_t n_repos;
    struct ks_part *parts;   size_t n_parts;
    struct ks_script *scripts; size_t n_scripts;
    struct ks_packages packages;
    strv_t ignored;               /* names of commands accepted but not applied */
    /* disk images (issue 7): reqpart, clearpart, zerombr */
    struct { bool seen; struct ks_loc loc; bool add_boot; } reqpart;
    struct { bool seen; struct ks_loc loc; char *disklabel; bool all, none, linux_, initlabel;
             strv_t drives, list; } clearpart;
    struct { bool seen; struct ks_loc loc; } zerombr;
};

enum ks_severity {
    KS_WARNING,                   /* pykickstart warns (ksvalidator: an error) */
    KS_ERROR,
    KS_NOTICE,                    /* information pykickstart does not give: never an error */
};
typedef void (*ks_report_fn)(void *ctx, enum ks_severity sev, const char *file, int line,
                             const char *msg);

struct ks_parse_opts {
    ks_report_fn report;          /* NULL: log as "FILE:LINE: msg" */
    void *report_ctx;
    const char *version;          /* syntax version, NULL = current Fedora (DEVEL) */
    bool version_from_file;       /* version NULL: take it from a "#version=" line of the
                                     main file (pykickstart's versionFromFile), else DEVEL */
    /* All flags false (a zeroed struct) is the usual behaviour: %include
     * followed, relative paths tried against the cwd first, then against the
     * including file (as pykickstart does). */
    bool skip_includes;           /* ksvalidator without -i */
    bool errors_fatal;            /* stop at the first error (ksflatten); default false */
    bool warnings_are_errors;     /* ksvalidator: a warning counts as an error */
    bool ksappend;                /* expand %ksappend first (like the installer) */
    bool include_relative_only;   /* relative %include only against the including file */
    bool includes_regular_only;   /* %include of devices and FIFOs refused (fuzzing) */
    int *n_errors;                /* if set: receives the number of errors */
};

void ks_parse_opts_init(struct ks_parse_opts *o);
/* Known syntax versions: name -> number (0 if unknown).  "DEVEL" and F45 are
 * the current Fedora; RHEL8/9/10 and F30..F45 are supported. */
int  ks_version_lookup(const char *name, const char **canonical);
/* Names of the supported versions, NULL terminated, sorted. */
const char *const *ks_version_names(void);

int  ks_parse_file(const char *path, const struct ks_parse_opts *opts, struct kickstart **out);
int  ks_parse_string(const char *text, const char *name, const struct ks_parse_opts *opts,
                     struct kickstart **out);
void ks_free(struct kickstart *ks);

/* The part for a mount point, or NULL. */
const struct ks_part *ks_find_part(const struct kickstart *ks, const char *mntpoint);

/* Print the model back as kickstart text (commands held by the model,
 * %packages, scripts with their bodies verbatim).  0, or -1 on write error. */
int  ks_write(const struct kickstart *ks, FILE *out);
/* The same as pykickstart's ksflatten prints it (version header, commands in
 * pykickstart's write order, scripts, other sections, %packages, certificates). */
char *ks_flatten(const struct kickstart *ks);


#endif
