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
    const char *ksfile;
    char *name;                 /* image name: basename of output files */
    char *fslabel;              /* volume/filesystem label (<= 32 chars) */
    char *title, *product, *releasever;
    const char *tmpdir_parent;  /* --tmpdir, default /var/tmp */
    const char *outdir;         /* -o, default "." */
    const char *cachedir;       /* --cache, default <workdir>/cache */
    const char *compression;    /* squashfs compressor, default "xz" */
    const char *compression_args;
    bool compression_from_base; /* --compression-type None: as the -b image's squashfs */
    const char *datadir;        /* templates; default KSC_DATADIR or ./config */
    bool skip_compression, skip_minimize, nocleanup, cacheonly;
    /* ---- live ISO / livecd-creator options (issue 6) ---- */
    const char *base_on;        /* -b: existing live ISO whose root is the start */
    const char *repo_path;      /* --repo: .repo file or directory (replaces ks repos) */
    const char *pkgverify_level;/* --pkgverify-level: all, signature, digest, none */
    const char *dracut_conf_args; /* --dracut-conf-args "[+]ARG ..." */
    const char *resultdir;      /* --resultdir: compose outputs (JSON, manifests, SBOM) */
    bool syslinux;              /* --syslinux: BIOS via ISOLINUX (default GRUB2) */
    bool nomacboot;             /* --nomacboot (no HFS+ image is ever made) */
    bool flat_squashfs;         /* --flat-squashfs: squash the root tree directly */
    bool plugins;               /* -p: accepted, DNF plugins have no meaning here */
    /* ---- end issue 6 ---- */

    /* filled by the creator */
    struct kickstart *ks;
    char *workdir;              /* private temporary directory */
    char *cachedir_owned;       /* default cache in workdir (freed by cleanup) */
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
