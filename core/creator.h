/* creator.h - the image creator life cycle (livecd-tools' ImageCreator in C).
 *
 *   creator_init()      parse options already in cr, read the kickstart
 *   creator_create()    = mount, install, configure, unmount, package
 * Each phase is also callable alone (e.g. stop after configure for a shell).
 * creator_cleanup() releases everything (also done by cleanup_release_all()).
 * All functions return 0 or -1 after log_fail() with the reason.
 */
#ifndef KSC_CREATOR_H
#define KSC_CREATOR_H

#include <stdbool.h>

#include "core/imgtype.h"
#include "kickstart/ks.h"

enum creator_phase { PH_MOUNT, PH_INSTALL, PH_CONFIGURE, PH_UNMOUNT, PH_PACKAGE, PH_COUNT };

struct creator {
    /* set by the caller (options) */
    const struct imgtype *type;
    void *type_opts;            /* the type's options: struct <type>_opts of
                                   imgtypes/<type>.h, defaults from its init
                                   function; required (the backends read it) */
    const char *ksfile;
    char *name;                 /* image name: basename of output files */
    char *fslabel;              /* volume/filesystem label (<= 32 chars) */
    char *title, *product, *releasever;
    const char *tmpdir_parent;  /* --tmpdir, default /var/tmp */
    const char *outdir;         /* -o, default "." */
    const char *cachedir;       /* --cache; creator_init sets it (pkg_cachedir) */
    const char *datadir;        /* templates; default KSC_DATADIR or ./config */
    bool nocleanup, cacheonly;
    const char *repo_path;      /* --repo: .repo file or directory (replaces ks repos) */
    const char *pkgverify_level;/* --pkgverify-level: all, signature, digest, none */
    const char *resultdir;      /* --resultdir: compose outputs (JSON, manifests, SBOM) */

    /* filled by the creator */
    struct kickstart *ks;
    char *workdir;              /* private temporary directory */
    char *cachedir_owned;       /* what cachedir points to after creator_init */
    char *instroot;             /* workdir/install_root, the mounted target */
    char *stagedir;             /* workdir/iso (LIVE_ROOT): staged artifacts */
    char *kernel_args;          /* kickstart bootloader --append */
    int  bootloader_timeout;    /* seconds */
    int  api_mounts[8];         /* cleanup ids of /proc, /sys, /dev, ... */
    int  n_api_mounts;
    bool mounted;
    double phase_seconds[PH_COUNT];
    void *priv;                 /* backend state */
    char **artifacts;           /* paths written to outdir, NULL-terminated */
};

int  creator_init(struct creator *cr);
/* Parse a kickstart; warnings and errors go to the log with file:line, and on
 * failure the first error (prefixed with WHAT: when given) is the reason. */
int  creator_parse_ks(const char *path, const char *what, struct kickstart **out);
int  creator_mount(struct creator *cr);
int  creator_install(struct creator *cr);
int  creator_configure(struct creator *cr);
int  creator_unmount(struct creator *cr);
int  creator_package(struct creator *cr);
int  creator_create(struct creator *cr);
void creator_cleanup(struct creator *cr);
/* Tools end with this: cleanup, the failure reason as the last line, close
 * the log; returns the exit status (0 or 1). */
int  creator_finish(struct creator *cr, int rc);
void creator_add_artifact(struct creator *cr, const char *path);

/* Mount /proc, /sys, /dev, /dev/pts, /run in the root for scriptlets. */
int  creator_mount_api(struct creator *cr);
void creator_umount_api(struct creator *cr);

#endif
