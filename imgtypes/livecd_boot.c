/* livecd_boot.c - the boot staging of the live ISO (see livecd_internal.h),
 * after %post with the root still mounted: every kernel of /boot as
 * images/pxeboot/vmlinuz[N] and initrd[N].img (newest first, the default),
 * BIOS boot through GRUB2 (images/eltorito.img, boot/grub2/, boot_hybrid.img)
 * or ISOLINUX (isolinux/, isohdpfx.bin), EFI/BOOT/ from the image's shim and
 * GRUB, the boot loader configs from templates and efiboot.img.
 */
#define _GNU_SOURCE
#include "imgtypes/livecd_internal.h"
#include "core/base/log.h"
#include "core/base/rootfile.h"
#include "core/base/run.h"
#include "core/base/strv.h"
#include "core/base/util.h"
#include "core/bootcfg.h"
#include "core/creator.h"
#include "core/efiboot.h"
#include "core/stage.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* PROG in one of the image's program directories (rootfile.h: symlinks are
 * resolved inside the image, never on the host) */
static bool image_has_program(const char *root, const char *prog)
{
    static const char *const dirs[] = { "/usr/bin", "/usr/sbin", "/bin", "/sbin" };
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        char *p = xasprintf("%s/%s", dirs[i], prog);
        bool ok = root_is_exec(root, p);
        free(p);
        if (ok)
            return true;
    }
    return false;
}

/* WORD appended to *ARGS unless it is there already */
static void add_karg(char **args, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = *args; (p = strstr(p, word)); p += n)
        if ((p == *args || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
            return;
    char *r = xasprintf("%s%s%s", *args, **args ? " " : "", word);
    free(*args);
    *args = r;
}

/* The live kernel options after "root=live:CDLABEL=<label> ro rd.live.image",
 * as livecd-tools: bootloader --append, rd.live.overlay.overlayfs with
 * --flat-squashfs, quiet, rhgb when the image has plymouth, and no LUKS,
 * MD or DM assembly by dracut (nothing to assemble on a live medium). */
static char *live_kernel_args(const struct creator *cr, bool flat_squashfs)
{
    char *kargs = xstrdup(cr->kernel_args ? cr->kernel_args : "");
    if (flat_squashfs)
        add_karg(&kargs, "rd.live.overlay.overlayfs");
    add_karg(&kargs, "quiet");
    if (image_has_program(cr->instroot, "plymouth") || image_has_program(cr->instroot, "rhgb"))
        add_karg(&kargs, "rhgb");
    static const char *const dracut_off[] = { "rd.luks=0", "rd.md=0", "rd.dm=0" };
    for (size_t i = 0; i < 3; i++)
        add_karg(&kargs, dracut_off[i]);
    return kargs;
}

static int vercmp_desc(const void *a, const void *b)
{
    return strverscmp(*(char *const *)b, *(char *const *)a);
}

/* Every kernel version with /boot/vmlinuz-<ver> (else /usr/lib/modules/<ver>/vmlinuz),
 * newest first. */
static void find_kernels(const char *root, strv_t *vers, bool *in_boot)
{
    char *boot = path_join(root, "boot");
    DIR *d = opendir(boot);
    if (d) {
        struct dirent *de;
        while ((de = readdir(d)))
            if (str_startswith(de->d_name, "vmlinuz-") && !strstr(de->d_name, "-rescue-") &&
                !str_endswith(de->d_name, ".hmac"))
                strv_push(vers, de->d_name + 8);
        closedir(d);
    }
    free(boot);
    *in_boot = vers->n > 0;
    if (!vers->n) {
        char *mods = path_join(root, "usr/lib/modules");
        d = opendir(mods);
        if (d) {
            struct dirent *de;
            while ((de = readdir(d))) {
                if (de->d_name[0] == '.')
                    continue;
                char *v = xasprintf("%s/%s/vmlinuz", mods, de->d_name);
                if (path_exists(v))
                    strv_push(vers, de->d_name);
                free(v);
            }
            closedir(d);
        }
        free(mods);
    }
    if (vers->n > 1)
        qsort(vers->v, vers->n, sizeof(char *), vercmp_desc);
}

struct staged_kernels {
    strv_t vers, kernel, initrd;   /* paths on the ISO */
};

static void staged_free(struct staged_kernels *k)
{
    strv_free(&k->vers);
    strv_free(&k->kernel);
    strv_free(&k->initrd);
}

static int stage_kernels(struct creator *cr, struct staged_kernels *sk)
{
    bool in_boot = false;
    find_kernels(cr->instroot, &sk->vers, &in_boot);
    if (!sk->vers.n)
        return log_fail("no kernel in the image (no /boot/vmlinuz-*): add 'kernel' to %%packages");
    for (size_t i = 0; i < sk->vers.n; i++) {
        const char *ver = sk->vers.v[i];
        char *vmlinuz = in_boot ? xasprintf("%s/boot/vmlinuz-%s", cr->instroot, ver)
                                : xasprintf("%s/usr/lib/modules/%s/vmlinuz", cr->instroot, ver);
        char *initrd = xasprintf("%s/boot/initramfs-%s.img", cr->instroot, ver);
        if (!path_exists(initrd)) {
            free(initrd);
            initrd = xasprintf("%s/boot/initrd-%s.img", cr->instroot, ver);
        }
        char idx[16] = "";
        if (i > 0)
            snprintf(idx, sizeof idx, "%u", (unsigned)(i % 100000));
        char *kon = xasprintf("/images/pxeboot/vmlinuz%s", idx);
        char *ion = xasprintf("/images/pxeboot/initrd%s.img", idx);
        int rc = 0;
        if (!path_exists(initrd))
            rc = log_fail("no initramfs for kernel %s in the image (/boot/initramfs-%s.img): is dracut "
                          "in %%packages?", ver, ver);
        else if (stage_copy(vmlinuz, cr->stagedir, kon + 1, 0644) < 0 ||
                 stage_copy(initrd, cr->stagedir, ion + 1, 0644) < 0)
            rc = -1;
        else
            log_info("live kernel %s%s", ver, i == 0 ? " (default)" : "");
        strv_push_take(&sk->kernel, kon);
        strv_push_take(&sk->initrd, ion);
        free(initrd);
        free(vmlinuz);
        if (rc < 0)
            return -1;
    }
    return 0;
}

static int stage_isolinux(struct creator *cr, struct live_state *st)
{
    static const struct stage_file files[] = {
        { "isolinux.bin", true }, { "ldlinux.c32", true }, { "libcom32.c32", true },
        { "libutil.c32", true },  { "vesamenu.c32", false }, { "menu.c32", false },
    };
    int menus = stage_isolinux_files(cr->instroot, cr->stagedir, files, sizeof files / sizeof files[0],
                                     "the image", "%packages");
    if (menus < 0)
        return -1;
    if (!menus)
        return log_fail("syslinux in the image has no vesamenu.c32 or menu.c32");

    char *mbr = stage_syslinux_file(cr->instroot, "isohdpfx.bin");
    if (mbr) {
        free(st->mbr);
        st->mbr = path_join(cr->workdir, "isohdpfx.bin");
        if (copy_file(mbr, st->mbr, 0644) < 0) {
            int e = errno;
            free(mbr);
            return log_fail("cannot copy isohdpfx.bin: %s", strerror(e));
        }
        free(mbr);
    } else {
        log_warn("no isohdpfx.bin in the image's syslinux: the ISO will boot as a CD only, not as a disk");
    }
    return 0;
}

/* The image's GRUB (and shim) from /boot/efi/EFI/<vendor>/. */
static int stage_efi(struct creator *cr, struct live_state *st)
{
    char *efiroot = path_join(cr->instroot, "boot/efi/EFI");
    char *grub = NULL, *shim = NULL, *mm = NULL;
    char *vendor = stage_efi_vendor(cr->instroot);
    if (vendor) {
        /* livecd-creator uses the CD flavour (gcdx64.efi) when it is there */
        grub = xasprintf("%s/%s/gcdx64.efi", efiroot, vendor);
        if (!path_exists(grub)) {
            free(grub);
            grub = xasprintf("%s/%s/grubx64.efi", efiroot, vendor);
        }
        char *s = xasprintf("%s/%s/shimx64.efi", efiroot, vendor);
        char *m = xasprintf("%s/%s/mmx64.efi", efiroot, vendor);
        if (path_exists(s))
            shim = s;
        else
            free(s);
        if (path_exists(m))
            mm = m;
        else
            free(m);
        log_verbose("UEFI boot loader from EFI/%s: %s%s", vendor, shim ? "shim + " : "", "GRUB");
        free(vendor);
    }
    free(efiroot);
    if (!grub) {
        log_warn("no GRUB for UEFI in the image (/boot/efi/EFI/*/grubx64.efi): "
                 "the ISO will not boot with UEFI (add grub2-efi-x64 and shim-x64 to %%packages)");
        return 0;
    }
    int rc = 0;
    if (stage_copy(shim ? shim : grub, cr->stagedir, "EFI/BOOT/BOOTX64.EFI", 0644) < 0 ||
        stage_copy(grub, cr->stagedir, "EFI/BOOT/grubx64.efi", 0644) < 0 ||
        (mm && stage_copy(mm, cr->stagedir, "EFI/BOOT/mmx64.efi", 0644) < 0))
        rc = -1;
    free(grub);
    free(shim);
    free(mm);
    char *font = path_join(cr->instroot, "usr/share/grub/unicode.pf2");
    if (rc == 0 && path_exists(font) && stage_copy(font, cr->stagedir, "EFI/BOOT/fonts/unicode.pf2", 0644) < 0)
        rc = -1;
    free(font);
    if (rc == 0)
        st->have_efi = true;
    return rc;
}

/* GRUB2 for BIOS as livecd-creator: the image's i386-pc modules under
 * boot/grub2/i386-pc, an El Torito core image made by the host's
 * grub2-mkimage/grub-mkimage from them, boot_hybrid.img as the MBR. */
static int stage_grub_bios(struct creator *cr, struct live_state *st)
{
    char *mods = path_join(cr->instroot, "usr/lib/grub/i386-pc");
    char *dst = path_join(cr->stagedir, "boot/grub2/i386-pc");
    char *eltorito = path_join(cr->stagedir, "images/eltorito.img");
    char *imgdir = path_join(cr->stagedir, "images");
    int rc = -1;
    const char *mkimage = NULL;
    char *found = NULL;
    if (run_capture(&found, "sh", "-c", "command -v grub2-mkimage || command -v grub-mkimage", NULL) == 0 &&
        found && *found) {
        found[strcspn(found, "\n")] = 0;
        mkimage = found;
    }
    if (!mkimage) {
        log_fail("GRUB2 BIOS boot needs grub2-mkimage or grub-mkimage on the host (grub-common); "
                 "or use --syslinux");
        goto out;
    }
    mkdir_p(dst, 0755);
    mkdir_p(imgdir, 0755);
    char *src = xasprintf("%s/.", mods);
    const char *cp[] = { "cp", "-r", src, dst, NULL };
    int r = run_argv(cp, NULL);
    free(src);
    if (r != 0) {
        log_fail("cannot copy %s: %s", mods, run_last_output());
        goto out;
    }
    const char *mk[] = { mkimage, "-O", "i386-pc-eltorito", "-d", mods, "-o", eltorito, "-p", "/boot/grub2",
                         "iso9660", "biosdisk", NULL };
    if (run_argv(mk, NULL) != 0) {
        log_fail("%s failed: %s", mkimage, run_last_output());
        goto out;
    }
    st->grub_mbr = path_join(dst, "boot_hybrid.img");
    if (!path_exists(st->grub_mbr)) {
        log_warn("no boot_hybrid.img in the image's GRUB: the ISO will boot as a CD only, not as a disk");
        free(st->grub_mbr);
        st->grub_mbr = NULL;
    }
    rc = 0;
out:
    free(found);
    free(mods);
    free(dst);
    free(eltorito);
    free(imgdir);
    return rc;
}

/* grub.cfg.in as REL in the staging tree, menu entries for BIOS or UEFI */
static int write_grub_cfg(struct creator *cr, const char *datadir, const char *rel, struct bootcfg_vars *v,
                          const struct bootcfg_kernel *ks, size_t nks, bool check, bool bios)
{
    char *t = path_join(datadir, "grub.cfg.in"), *o = path_join(cr->stagedir, rel);
    char *ent = bootcfg_grub_entries(v, ks, nks, check, bios);
    v->entries = ent;
    int rc = bootcfg_write(t, o, v);
    v->entries = NULL;
    free(ent);
    free(t);
    free(o);
    return rc;
}

static int write_configs(struct creator *cr, struct live_state *st, const struct staged_kernels *sk,
                         bool flat_squashfs)
{
    char *kargs = live_kernel_args(cr, flat_squashfs);
    struct bootcfg_vars v = {
        .title = cr->title ? cr->title : cr->fslabel,
        .product = cr->product,
        .label = cr->fslabel,
        .kernel = sk->kernel.v[0],
        .initrd = sk->initrd.v[0],
        .kargs = kargs,
        .timeout = cr->bootloader_timeout,
    };
    struct bootcfg_kernel *ks = xcalloc(sk->vers.n, sizeof *ks);
    for (size_t i = 0; i < sk->vers.n; i++)
        ks[i] = (struct bootcfg_kernel){ sk->vers.v[i], sk->kernel.v[i], sk->initrd.v[i] };
    /* media check entries as livecd-tools: only when the image has
     * checkisomd5 (dracut's rd.live.check runs it); the data is always there */
    const bool check = image_has_program(cr->instroot, "checkisomd5");
    if (!check)
        log_verbose("no checkisomd5 in the image (isomd5sum): no media check entries");
    const char *datadir = cr->datadir ? cr->datadir : "config";
    int rc = 0;
    if (!st->grub_bios) {
        char *t1 = path_join(datadir, "isolinux.cfg.in"), *o1 = path_join(cr->stagedir, "isolinux/isolinux.cfg");
        char *ent = bootcfg_isolinux_entries(&v, ks, sk->vers.n, check);
        v.entries = ent;
        rc = bootcfg_write(t1, o1, &v);
        v.entries = NULL;
        free(ent);
        if (rc == 0) {
            /* the menu module the config asks for must be on the ISO */
            char *text = NULL;
            size_t len;
            if (read_file(o1, &text, &len) == 0) {
                for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
                    while (*line == ' ' || *line == '\t')
                        line++;
                    if (strncasecmp(line, "ui ", 3))
                        continue;
                    char mod[64];
                    if (sscanf(line + 3, "%63s", mod) == 1) {
                        char *p = xasprintf("%s/isolinux/%s", cr->stagedir, mod);
                        if (!path_exists(p))
                            rc = log_fail("%s asks for %s but the image's syslinux has no such module", t1, mod);
                        free(p);
                    }
                }
                free(text);
            }
        }
        free(t1);
        free(o1);
    } else {
        rc = write_grub_cfg(cr, datadir, "boot/grub2/grub.cfg", &v, ks, sk->vers.n, check, true);
    }
    if (rc == 0 && st->have_efi)
        rc = write_grub_cfg(cr, datadir, "EFI/BOOT/grub.cfg", &v, ks, sk->vers.n, check, false);
    free(ks);
    free(kargs);
    return rc;
}

int live_boot_stage(struct creator *cr, struct live_state *st, bool syslinux, bool flat_squashfs)
{
    struct staged_kernels sk = { 0 };
    int rc = stage_kernels(cr, &sk);
    if (rc == 0) {
        char *mods = path_join(cr->instroot, "usr/lib/grub/i386-pc/kernel.img");
        st->grub_bios = !syslinux && path_exists(mods);
        if (!syslinux && !st->grub_bios)
            log_warn("the image has no GRUB for BIOS (/usr/lib/grub/i386-pc: add grub2-pc to %%packages): "
                     "booting BIOS machines with ISOLINUX instead");
        free(mods);
        rc = st->grub_bios ? stage_grub_bios(cr, st) : stage_isolinux(cr, st);
    }
    if (rc == 0)
        rc = stage_efi(cr, st);
    if (rc == 0)
        rc = write_configs(cr, st, &sk, flat_squashfs);
    staged_free(&sk);
    if (rc < 0 || !st->have_efi)
        return rc;
    /* GRUB layout: efiboot.img is appended as a partition (outside the ISO
     * tree), ISOLINUX layout: images/efiboot.img inside it */
    free(st->efiboot);
    st->efiboot = st->grub_bios ? path_join(cr->workdir, "efiboot.img")
                                : path_join(cr->stagedir, "images/efiboot.img");
    char *efi = path_join(cr->stagedir, "EFI");
    rc = efiboot_make(efi, st->efiboot, NULL);
    free(efi);
    return rc;
}
