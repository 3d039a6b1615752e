/* imgtype.h - the interface every image type backend fills.
 *
 * Declared here, below the backends, so that the creator calls them without
 * knowing them; imgtypes/registry.h lists the backends.  One backend per file in imgtypes/, modelled on livecd-tools' hooks.  The
 * creator (core/creator.c) calls, in order:
 *   required_packages  (optional) names added to %packages, as livecd-tools'
 *                      _get_required_packages (unless the kickstart excludes them)
 *   mount_instroot     create the target filesystem(s), mount at cr->instroot
 *   pre_install        (optional) before any package: e.g. dracut config
 *   create_bootconfig  (optional) after %post (chroot), root still mounted:
 *                      copy kernels/boot loaders into cr->stagedir, write configs
 *   unmount_instroot   unmount everything mount_instroot mounted
 *   stage_final_image  turn the unmounted filesystem(s) into artifacts in cr->outdir
 *   free_state         release cr->priv; the creator calls it on every path
 * Each returns 0 or -1 (after log_fail()).  Backend state lives in cr->priv;
 * every resource is registered with cleanup.  A backend's options are its
 * own struct <type>_opts, declared in imgtypes/<type>.h with the function
 * that gives the defaults and the one that validates them; the tool points
 * cr->type_opts at it (the creator only carries it: it never includes
 * imgtypes/).
 */
#ifndef KSC_IMGTYPE_H
#define KSC_IMGTYPE_H

struct creator;

struct imgtype {
    const char *name;
    const char *description;
    const char *const *(*required_packages)(const struct creator *cr);  /* NULL-terminated */
    int (*mount_instroot)(struct creator *cr);
    int (*pre_install)(struct creator *cr);
    int (*create_bootconfig)(struct creator *cr);
    int (*unmount_instroot)(struct creator *cr);
    int (*stage_final_image)(struct creator *cr);
    void (*free_state)(struct creator *cr);   /* release cr->priv (any time, idempotent) */
};

#endif
