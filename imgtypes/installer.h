/* installer.h - options of the installer image type (imgtypes/installer.c):
 * lorax-style installation media (boot.iso, or DVD with --with-repo).
 *
 * The creator's kickstart (-c) is the RUNTIME kickstart: the packages of the
 * installer environment that becomes images/install.img.  The options below
 * come from the tool (tools/installer-creator.c) through creator.type_opts
 * (installer_opts_init: the defaults, installer_opts_check: validation).
 */
#ifndef KSC_INSTALLER_H
#define KSC_INSTALLER_H

#include <stdbool.h>
#include <stddef.h>

#include "core/imgtype.h"
#include "core/squashfs.h"

extern const struct imgtype imgtype_installer;

struct installer_opts {
    const char *target_ks;   /* kickstart embedded as /ks.cfg (inst.ks=), NULL: none */
    bool with_repo;          /* DVD: the target's packages in Packages/ + repodata/ */
    bool pxe;                /* also <outdir>/<name>-pxeboot/ (kernel, initrd, install.img, configs) */
    const char *product;     /* .treeinfo/.discinfo/.buildstamp; default --product or os-release NAME */
    const char *version;     /* default --releasever or os-release VERSION_ID */
    const char *variant;     /* default "Everything" with a repository, else none */
    const char *bugurl;
    struct squashfs_comp comp; /* --compression-type of images/install.img (xz) */
    bool skip_compression;     /* install.img uncompressed */
};

/* The defaults: no target kickstart, no repository, no PXE tree, xz. */
void installer_opts_init(struct installer_opts *o);

/* 0, or -1 with the reason in ERR (ERRLEN bytes): the target kickstart must
 * be readable. */
int installer_opts_check(const struct installer_opts *o, char *err, size_t errlen);

/* The kernel arguments of the media: inst.stage2=hd:LABEL=<volid> (udev-escaped),
 * inst.ks=hd:LABEL=<volid>:/ks.cfg when WITH_KS, then EXTRA.  malloc'd. */
char *installer_kargs(const char *volid, bool with_ks, const char *extra);

/* The embedded kickstart for media with a repository: every install source
 * command (url, repo, cdrom, harddrive, nfs, liveimg) outside sections is
 * commented out and "harddrive --partition=LABEL=<volid> --dir=/" (the media,
 * which Anaconda mounts at /run/install/repo) added.  malloc'd. */
char *installer_media_ks(const char *kstext, const char *volid);

/* Default volume id as lorax makes it: "<product>-<version>-<arch>", blanks
 * as '-', cut to 32 characters.  malloc'd. */
char *installer_default_volid(const char *product, const char *version, const char *arch);

#endif
