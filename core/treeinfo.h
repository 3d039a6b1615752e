/* treeinfo.h - the .treeinfo and .discinfo files of installation media, as
 * lorax (productmd treeinfo 1.2 with the [general] compatibility section)
 * writes them, and the runtime's /.buildstamp.
 *
 * Contract: text functions return a malloc'd string (treeinfo_text: NULL +
 * log_fail() when a checksummed file cannot be read or a value has a newline
 * or control character); write functions return 0 or -1 after log_fail().
 */
#ifndef KSC_TREEINFO_H
#define KSC_TREEINFO_H

#include <stdbool.h>

struct treeinfo {
    const char *root;        /* the media tree: checksums are taken of files under it */
    const char *product;     /* release name ("Fedora"), [release] name / [general] family */
    const char *version;     /* "39" */
    const char *arch;        /* "x86_64" */
    const char *variant;     /* "Everything", or NULL: no variant */
    bool packages;           /* the tree carries Packages/ + repodata/ (DVD) */
    long long timestamp;     /* build_timestamp */
    /* files relative to root; NULL = absent */
    const char *kernel, *initrd, *efiboot, *stage2;
};

/* "FixtureLinux" from "Fixture Linux": the [release] short name. malloc'd. */
char *treeinfo_short_name(const char *product);
/* Lowercase hex SHA-256 of a file into out[65]; 0 or -1 (errno). */
int  treeinfo_sha256(const char *path, char out[65]);
char *treeinfo_text(const struct treeinfo *t);
int  treeinfo_write(const struct treeinfo *t, const char *path);
/* lorax's .discinfo: "<timestamp>.<frac>\n<product> <version>\n<arch>\n". */
char *discinfo_text(double timestamp, const char *product, const char *version, const char *arch);
/* lorax's /.buildstamp ([Main] Product Version BugURL IsFinal UUID Variant, [Compose] Lorax). */
char *buildstamp_text(const char *product, const char *version, const char *arch,
                      const char *variant, const char *bugurl, long long timestamp);

#endif
