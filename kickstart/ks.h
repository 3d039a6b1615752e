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
 */
#ifndef KSC_KS_H
#define KSC_KS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "../core/util.h"

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
};

struct kickstart {
    char *filename;
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
};

enum ks_severity { KS_WARNING, KS_ERROR };
typedef void (*ks_report_fn)(void *ctx, enum ks_severity sev, const char *file, int line,
                             const char *msg);

struct ks_parse_opts {
    ks_report_fn report;          /* NULL: log as "FILE:LINE: msg" */
    void *report_ctx;
    const char *version;          /* syntax version, NULL = current Fedora */
};

int  ks_parse_file(const char *path, const struct ks_parse_opts *opts, struct kickstart **out);
int  ks_parse_string(const char *text, const char *name, const struct ks_parse_opts *opts,
                     struct kickstart **out);
void ks_free(struct kickstart *ks);

/* The part for a mount point, or NULL. */
const struct ks_part *ks_find_part(const struct kickstart *ks, const char *mntpoint);

/* Print the model back as kickstart text (commands held by the model,
 * %packages, scripts with their bodies verbatim).  0, or -1 on write error. */
int  ks_write(const struct kickstart *ks, FILE *out);

#endif
