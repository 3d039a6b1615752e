/* livecd.c - the live ISO backend (livecd-creator's LiveImageCreator),
 * without device-mapper.
 *
 *   mount_instroot     sparse ext4 rootfs.img (size of `part /`, default
 *                      4096 MiB) in the work directory, loop mounted at instroot
 *   pre_install        /etc/dracut.conf.d/99-liveos.conf (live initramfs) and
 *                      an /etc/fstab, before the first package
 *   create_bootconfig  stagedir (LIVE_ROOT): images/pxeboot/{vmlinuz,initrd.img},
 *                      isolinux/ (from the image's syslinux), EFI/BOOT/ (the
 *                      image's shim/GRUB), boot loader configs from templates,
 *                      images/efiboot.img; isohdpfx.bin kept for the ISO
 *   unmount_instroot   drop the dracut snippet, unmount, detach
 *   stage_final_image  check + minimize + resparse rootfs.img, squash it into
 *                      LiveOS/squashfs.img (or the root tree itself with
 *                      --flat-squashfs; LiveOS/rootfs.img unsquashed with
 *                      --skip-compression), write <outdir>/<name>.iso with media
 *                      check data, <name>-CHECKSUM, and with --resultdir the
 *                      compose outputs (core/compose_result.h)
 *
 * BIOS boot: GRUB2 (images/eltorito.img, boot/grub2/, boot_hybrid.img MBR,
 * efiboot.img appended as GPT partition 2) as livecd-creator's default when
 * the image has /usr/lib/grub/i386-pc; ISOLINUX with --syslinux (or as the
 * fallback when the image has no GRUB for BIOS).  Every kernel in /boot gets
 * menu entries (the newest is the default: images/pxeboot/vmlinuz and
 * initrd.img, the others vmlinuz1, initrd1.img, ...), each with a media check
 * and a basic graphics (nomodeset) entry.  Kernel options of the kickstart's
 * bootloader --append are passed through unchanged: the rd.live.overlay*
 * persistence options (rd.live.overlay=, rd.live.overlay.size=,
 * rd.live.overlay.overlayfs, rd.live.overlay.readonly) go to dracut's
 * dmsquash-live; --flat-squashfs adds rd.live.overlay.overlayfs.
 */
#define _GNU_SOURCE
#include "core/imgtype.h"
#include "core/base/strv.h"
#include "imgtypes/livecd.h"
#include "core/stage.h"
#include "core/bootcfg.h"
#include "core/base/checksum.h"
#include "core/compose_result.h"
#include "core/base/cleanup.h"
#include "core/creator.h"
#include "core/efiboot.h"
#include "core/base/fs.h"
#include "core/iso_write.h"
#include "core/base/log.h"
#include "core/manifest.h"
#include "core/base/mount.h"
#include "core/base/reproducible.h"
#include "core/base/run.h"
#include "core/base/rootfile.h"
#include "core/squashfs.h"
#include "core/base/util.h"

#include <dirent.h>
#include <glob.h>
#include <sys/utsname.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#define DRACUT_CONF "etc/dracut.conf.d/99-liveos.conf"

struct live_state {
    char *image;          /* <workdir>/rootfs.img */
    const char *fstype;
    uint64_t size;        /* bytes */
    int loop_id, mount_id;
    char *mbr;            /* copy of the image's isohdpfx.bin, or NULL */
    bool have_efi;
    bool grub_bios;       /* BIOS boot through GRUB2 (else ISOLINUX) */
    char *grub_mbr;       /* <stagedir>/boot/grub2/i386-pc/boot_hybrid.img */
    char *efiboot;        /* host path of efiboot.img */
    char *rpm_manifest;   /* <workdir>/rpm-manifest.tsv, written before unmount */
    long long sde;        /* SOURCE_DATE_EPOCH or -1 */
    double t_minimize, t_squashfs, t_iso, t_checksum;
};

/* ------------------------------------------------------------------ mount */

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
static char *live_kernel_args(const struct creator *cr)
{
    char *kargs = xstrdup(cr->kernel_args ? cr->kernel_args : "");
    if (cr->flat_squashfs)
        add_karg(&kargs, "rd.live.overlay.overlayfs");
    add_karg(&kargs, "quiet");
    if (image_has_program(cr->instroot, "plymouth") || image_has_program(cr->instroot, "rhgb"))
        add_karg(&kargs, "rhgb");
    static const char *const dracut_off[] = { "rd.luks=0", "rd.md=0", "rd.dm=0" };
    for (size_t i = 0; i < 3; i++)
        add_karg(&kargs, dracut_off[i]);
    return kargs;
}

/* The label of rootfs.img: '_' and the ISO label, cut to ext4's 16 bytes, as
 * livecd-tools: never the medium's own label, so LABEL=<volid> lookups (udev's
 * by-label link, root=live:CDLABEL=) cannot land on the root file system. */
static void rootfs_label(const struct creator *cr, char label[17])
{
    snprintf(label, 17, "_%s", cr->fslabel);
}

/* mkfs for the live root; with SOURCE_DATE_EPOCH the UUID, directory hash
 * seed and superblock times are derived from it. */
static int live_mkfs(struct creator *cr, struct live_state *st)
{
    char label[17];
    rootfs_label(cr, label);
    if (st->sde < 0)
        return fs_mkfs(st->image, st->fstype, label, NULL);
    char uuid[37], seed[37], fake[32];
    reproducible_uuid(st->sde, "rootfs-uuid", uuid);
    reproducible_uuid(st->sde, "rootfs-hash-seed", seed);
    snprintf(fake, sizeof fake, "E2FSPROGS_FAKE_TIME=%lld", st->sde);
    char *mkfs = xasprintf("mkfs.%s", st->fstype);
    char *ext = xasprintf("hash_seed=%s", seed);
    const char *argv[] = { mkfs, "-F", "-q", "-L", label, "-U", uuid, "-E", ext, st->image, NULL };
    const char *env[] = { fake, NULL };
    struct run_opts o = { .env = env };
    int rc = run_argv(argv, &o);
    if (rc != 0)
        log_fail("%s failed: %s", mkfs, run_last_output());
    free(mkfs);
    free(ext);
    return rc == 0 ? 0 : -1;
}

/* -b/--base-on: the root file system of an existing live ISO becomes the
 * start: LiveOS/squashfs.img (rootfs.img/ext3fs.img inside, or flat) or
 * LiveOS/rootfs.img on the medium. */
static int base_on_extract(struct creator *cr, struct live_state *st, char **flat_tree)
{
    char *dir = path_join(cr->workdir, "base-on");
    int rc = -1;
    mkdir_p(dir, 0755);
    const char *x[] = { "bsdtar", "-xf", cr->base_on, "-C", dir, "LiveOS", NULL };
    if (run_argv(x, NULL) != 0) {
        log_fail("cannot read LiveOS/ from %s: %s", cr->base_on, run_last_output());
        goto out;
    }
    char *sq = path_join(dir, "LiveOS/squashfs.img"), *direct = path_join(dir, "LiveOS/rootfs.img");
    if (cr->compression_from_base) {
        /* --compression-type None; upstream falls back to gzip when it cannot tell */
        const char *comp = path_exists(sq) ? squashfs_image_compressor(sq) : NULL;
        cr->compression = comp ? comp : "gzip";
        log_info("compression type from %s: %s%s", cr->base_on, cr->compression,
                 comp ? "" : " (undetermined there)");
    }
    if (path_exists(sq)) {
        char *tree = path_join(dir, "tree");
        const char *u[] = { "unsquashfs", "-n", "-d", tree, sq, NULL };
        if (run_argv(u, NULL) != 0) {
            log_fail("unsquashfs of %s's squashfs.img failed: %s", cr->base_on, run_last_output());
            free(tree);
        } else {
            char *img = path_join(tree, "LiveOS/rootfs.img"), *img3 = path_join(tree, "LiveOS/ext3fs.img");
            const char *found = path_exists(img) ? img : path_exists(img3) ? img3 : NULL;
            if (found) {
                rc = rename(found, st->image) == 0 ? 0 : log_fail("cannot move %s: %s", found, strerror(errno));
                rm_rf(tree);
                free(tree);
            } else {
                *flat_tree = tree;   /* a flat squashfs: copy the tree after mkfs */
                rc = 0;
            }
            free(img);
            free(img3);
        }
    } else if (path_exists(direct)) {
        rc = rename(direct, st->image) == 0 ? 0 : log_fail("cannot move %s: %s", direct, strerror(errno));
    } else {
        log_fail("%s has no LiveOS/squashfs.img or LiveOS/rootfs.img", cr->base_on);
    }
    free(sq);
    free(direct);
out:
    free(dir);
    return rc;
}

static int live_mount(struct creator *cr)
{
    struct live_state *st = xcalloc(1, sizeof *st);
    cr->priv = st;
    st->sde = reproducible_epoch();
    if (st->sde >= 0) {
        /* every e2fsprogs run (mkfs, e2fsck, resize2fs) then stamps this time */
        char t[32];
        snprintf(t, sizeof t, "%lld", st->sde);
        setenv("E2FSPROGS_FAKE_TIME", t, 1);
        setenv("E2FSCK_TIME", t, 1);
    }
    const struct ks_part *root = ks_find_part(cr->ks, "/");
    long mib = root && root->size > 0 ? root->size : 4096;
    st->fstype = root && root->fstype ? root->fstype : "ext4";
    if (strcmp(st->fstype, "ext4") && strcmp(st->fstype, "ext3") && strcmp(st->fstype, "ext2")) {
        if (root)
            return log_fail("%s:%d: a live image needs an ext2/3/4 root file system, not %s",
                            root->loc.file, root->loc.line, st->fstype);
        return log_fail("a live image needs an ext2/3/4 root file system, not %s", st->fstype);
    }
    st->size = (uint64_t)mib << 20;
    st->image = path_join(cr->workdir, "rootfs.img");
    char label[17];
    rootfs_label(cr, label);
    log_verbose("live root: %s, %ld MiB %s, label %s", st->image, mib, st->fstype, label);
    char *flat_tree = NULL;
    bool have_image = false;
    if (cr->compression_from_base && !cr->base_on)
        log_warn("--compression-type None reads the type from a --base-on image; none given: %s",
                 cr->compression);
    if (cr->base_on) {
        log_info("Starting from the root file system of %s", cr->base_on);
        if (base_on_extract(cr, st, &flat_tree) < 0)
            return -1;
        have_image = !flat_tree;
    }
    if (have_image) {
        struct stat sb;
        if (stat(st->image, &sb) == 0 && (uint64_t)sb.st_size > st->size)
            st->size = (uint64_t)sb.st_size;
        if (fs_check(st->image, st->fstype) < 0 || fs_resize(st->image, st->size) < 0)
            return -1;
    } else if (fs_make_sparse(st->image, st->size) < 0 || live_mkfs(cr, st) < 0) {
        free(flat_tree);
        return -1;
    }
    char dev[64];
    st->loop_id = loop_attach(st->image, 0, 0, false, dev, sizeof dev);
    if (st->loop_id < 0)
        return -1;
    st->mount_id = mount_fs(dev, cr->instroot, st->fstype, 0, NULL);
    if (st->mount_id < 0)
        return -1;
    if (flat_tree) {
        char *src = xasprintf("%s/.", flat_tree);
        const char *cp[] = { "cp", "-a", src, cr->instroot, NULL };
        int r = run_argv(cp, NULL);
        free(src);
        rm_rf(flat_tree);
        free(flat_tree);
        if (r != 0)
            return log_fail("cannot copy the base image's tree: %s", run_last_output());
    }
    return 0;
}

/* ------------------------------------------------------------ pre_install */

/* File systems and drivers the live initramfs must carry to find its medium
 * (CD, USB, SD, virtual disks), as livecd-creator configures dracut. */
static const char live_filesystems[] = "vfat msdos isofs ext4 xfs btrfs f2fs squashfs";
static const char live_drivers[] =
    "sr_mod sd_mod ide-cd cdrom =ata sym53c8xx aic7xxx ehci_hcd uhci_hcd ohci_hcd "
    "usb_storage usbhid uas firewire-sbp2 firewire-ohci sbp2 ohci1394 ieee1394 "
    "mmc_block sdhci sdhci-pci pata_pcmcia mptsas virtio_blk virtio_pci virtio_scsi "
    "virtio_net virtio_mmio virtio_balloon virtio-rng";

/* livecd-creator's 99-liveos.conf: its defaults unless --dracut-conf-args
 * replaces them (a leading '+' appends to them); filesystems and drivers
 * always follow. */
char *live_dracut_conf(const char *args, const char *compressor, bool reproducible)
{
    char *body;
    if (!args || !*args || args[0] == '+')
        body = xasprintf("mdadmconf=no\nlvmconf=no\ncompress=%s\n"
                         "add_dracutmodules+=\" livenet dmsquash-live dmsquash-live-autooverlay "
                         "dmsquash-live-ntfs overlayfs convertfs pollcdrom qemu qemu-net \"\n"
                         "hostonly=no\nearly_microcode=no\ndracut_rescue_image=no\n%s%s",
                         compressor && *compressor ? compressor : "xz", args && *args ? args + 1 : "",
                         args && *args && args[strlen(args) - 1] != '\n' ? "\n" : "");
    else
        body = xasprintf("%s\n", args);
    /* one setting per line: "a=b c=d" on one line becomes two lines, keeping
     * quoted values ("...") together */
    char *norm = xmalloc(strlen(body) * 2 + 1), *o = norm;
    bool inq = false;
    for (const char *p = body; *p; p++) {
        if (*p == '"')
            inq = !inq;
        if (*p == ' ' && !inq) {
            const char *q = p;
            while (*q == ' ')
                q++;
            /* a new NAME= or NAME+= starts here */
            const char *e = q;
            while ((*e >= 'a' && *e <= 'z') || (*e >= 'A' && *e <= 'Z') || (*e >= '0' && *e <= '9') || *e == '_')
                e++;
            if (e > q && (*e == '=' || (e[0] == '+' && e[1] == '='))) {
                *o++ = '\n';
                p = q - 1;
                continue;
            }
        }
        *o++ = *p;
    }
    *o = 0;
    free(body);
    char *text = xasprintf("# configuration from /etc/dracut.conf.d/99-liveos.conf (kscreate; removed after the build)\n"
                           "%s\nfilesystems+=\" %s \"\nadd_drivers+=\" %s \"\n%s",
                           norm, live_filesystems, live_drivers, reproducible ? "reproducible=yes\n" : "");
    free(norm);
    return text;
}

static int live_pre_install(struct creator *cr)
{
    struct live_state *st = cr->priv;
    char *dir = path_join(cr->instroot, "etc/dracut.conf.d");
    char *conf = path_join(cr->instroot, DRACUT_CONF);
    char *text = live_dracut_conf(cr->dracut_conf_args, cr->compression,
                                  reproducible_epoch() >= 0);
    int rc = 0;
    if (mkdir_p(dir, 0755) < 0 || write_file(conf, text, 0644) < 0)
        rc = log_fail("cannot write %s: %s", conf, strerror(errno));
    free(text);
    free(conf);
    free(dir);
    if (rc < 0)
        return -1;

    /* the live root is /dev/root (set up by dmsquash-live), as livecd-creator writes */
    char *fstab = path_join(cr->instroot, "etc/fstab");
    if (!path_exists(fstab)) {
        char *tab = xasprintf("/dev/root  /         %-7s defaults,noatime 0 0\n"
                              "devpts     /dev/pts  devpts  gid=5,mode=620   0 0\n"
                              "tmpfs      /dev/shm  tmpfs   defaults         0 0\n"
                              "proc       /proc     proc    defaults         0 0\n"
                              "sysfs      /sys      sysfs   defaults         0 0\n",
                              st ? st->fstype : "ext4");
        if (write_file(fstab, tab, 0644) < 0)
            rc = log_fail("cannot write %s: %s", fstab, strerror(errno));
        free(tab);
    }
    free(fstab);
    return rc;
}

/* ------------------------------------------------------ create_bootconfig */

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
    static const struct { const char *name; bool required; } files[] = {
        { "isolinux.bin", true }, { "ldlinux.c32", true }, { "libcom32.c32", true },
        { "libutil.c32", true },  { "vesamenu.c32", false }, { "menu.c32", false },
    };
    int menus = 0;
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char *src = stage_syslinux_file(cr->instroot, files[i].name);
        if (!src) {
            if (files[i].required)
                return log_fail("%s is not in the image (/usr/share/syslinux): add 'syslinux' to %%packages",
                                files[i].name);
            continue;
        }
        char *rel = xasprintf("isolinux/%s", files[i].name);
        int rc = stage_copy(src, cr->stagedir, rel, 0644);
        free(rel);
        free(src);
        if (rc < 0)
            return -1;
        if (!files[i].required)
            menus++;
    }
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

static int write_configs(struct creator *cr, struct live_state *st, const struct staged_kernels *sk)
{
    char *kargs = live_kernel_args(cr);
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
        char *t = path_join(datadir, "grub.cfg.in"), *o = path_join(cr->stagedir, "boot/grub2/grub.cfg");
        char *ent = bootcfg_grub_entries(&v, ks, sk->vers.n, check, true);
        v.entries = ent;
        rc = bootcfg_write(t, o, &v);
        v.entries = NULL;
        free(ent);
        free(t);
        free(o);
    }
    if (rc == 0 && st->have_efi) {
        char *t2 = path_join(datadir, "grub.cfg.in"), *o2 = path_join(cr->stagedir, "EFI/BOOT/grub.cfg");
        char *ent = bootcfg_grub_entries(&v, ks, sk->vers.n, check, false);
        v.entries = ent;
        rc = bootcfg_write(t2, o2, &v);
        v.entries = NULL;
        free(ent);
        free(t2);
        free(o2);
    }
    free(ks);
    free(kargs);
    return rc;
}

static int live_bootconfig(struct creator *cr)
{
    struct live_state *st = cr->priv;
    if (!st) { /* a root not mounted by us (tests, tools that stage only) */
        cr->priv = st = xcalloc(1, sizeof *st);
        st->sde = reproducible_epoch();
    }
    struct staged_kernels sk = { 0 };
    int rc = stage_kernels(cr, &sk);
    if (rc == 0) {
        char *mods = path_join(cr->instroot, "usr/lib/grub/i386-pc/kernel.img");
        st->grub_bios = !cr->syslinux && path_exists(mods);
        if (!cr->syslinux && !st->grub_bios)
            log_warn("the image has no GRUB for BIOS (/usr/lib/grub/i386-pc: add grub2-pc to %%packages): "
                     "booting BIOS machines with ISOLINUX instead");
        free(mods);
        rc = st->grub_bios ? stage_grub_bios(cr, st) : stage_isolinux(cr, st);
    }
    if (rc == 0)
        rc = stage_efi(cr, st);
    if (rc == 0)
        rc = write_configs(cr, st, &sk);
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

/* ---------------------------------------------------------------- unmount */

static int live_unmount(struct creator *cr)
{
    struct live_state *st = cr->priv;
    if (!st)
        return 0;
    int rc = 0;
    if (st->mount_id > 0 && cr->resultdir) {
        /* the rpm database is read while the root is still mounted */
        free(st->rpm_manifest);
        st->rpm_manifest = path_join(cr->workdir, "rpm-manifest.tsv");
        if (manifest_rpm_query(cr->instroot, st->rpm_manifest) < 0)
            return -1;
    }
    if (st->mount_id > 0) {
        /* as livecd-creator: the release's license files at the ISO root and
         * livecd-iso-to-disk (persistent overlays on USB) in LiveOS/ */
        glob_t g;
        char *pat = path_join(cr->instroot, "usr/share/licenses/*-release-common/*");
        if (glob(pat, 0, NULL, &g) == 0) {
            for (size_t i = 0; i < g.gl_pathc; i++) {
                const char *b = strrchr(g.gl_pathv[i], '/') + 1;
                if (stage_copy(g.gl_pathv[i], cr->stagedir, b, 0644) < 0)
                    rc = -1;
            }
            globfree(&g);
        }
        free(pat);
        char *litd = path_join(cr->instroot, "usr/bin/livecd-iso-to-disk");
        if (path_exists(litd) && stage_copy(litd, cr->stagedir, "LiveOS/livecd-iso-to-disk", 0755) < 0)
            rc = -1;
        free(litd);
        /* the dracut snippet is for the build only (as livecd-creator) */
        char *conf = path_join(cr->instroot, DRACUT_CONF);
        char *rpmnew = xasprintf("%s.rpmnew", conf);
        unlink(conf);
        if (path_exists(rpmnew))
            rename(rpmnew, conf);
        free(rpmnew);
        free(conf);
        /* sqlite's shared-memory index of the rpm database is runtime state
         * (rebuilt on open); it is not shipped, as in Fedora's images */
        static const char *const shm[] = { "usr/lib/sysimage/rpm/rpmdb.sqlite-shm", "var/lib/rpm/rpmdb.sqlite-shm" };
        for (size_t i = 0; i < 2; i++) {
            char *p = path_join(cr->instroot, shm[i]);
            char *wal = xstrndup(p, strlen(p) - 4);
            char *walp = xasprintf("%s-wal", wal);
            struct stat ws;
            if (stat(walp, &ws) < 0 || ws.st_size == 0)
                unlink(p);
            free(p), free(wal), free(walp);
        }
        if (st->sde >= 0) {
            long n = reproducible_clamp_tree(cr->instroot, st->sde);
            log_verbose("SOURCE_DATE_EPOCH: %ld file times clamped to %lld", n, st->sde);
        }
        if (mount_release(st->mount_id) < 0)
            rc = -1;
        st->mount_id = 0;
    }
    if (st->loop_id > 0 && cleanup_release(st->loop_id) < 0)
        rc = -1;
    st->loop_id = 0;
    return rc;
}

/* ------------------------------------------------------------------ stage */

static void free_state(struct creator *cr)
{
    struct live_state *st = cr->priv;
    if (!st)
        return;
    free(st->image);
    free(st->mbr);
    free(st->grub_mbr);
    free(st->efiboot);
    free(st->rpm_manifest);
    free(st);
    cr->priv = NULL;
}

/* SOURCE_DATE_EPOCH: a kernel-written ext4 is not reproducible (inode
 * change times, journal, allocation); rebuild rootfs.img with mke2fs -d from
 * the tree as an uncompressed squashfs (whose inodes report ctime = mtime),
 * with the derived UUID and hash seed and E2FSPROGS_FAKE_TIME. */
static int rebuild_reproducible(struct creator *cr, struct live_state *st)
{
    double t0 = now_seconds();
    char *tree = path_join(cr->workdir, "tree.sqfs");
    char *fresh = path_join(cr->workdir, "rootfs.img.new");
    char dev[64];
    int rc = -1;
    struct squashfs_opts so = { .uncompressed = true };
    int loop = loop_attach(st->image, 0, 0, true, dev, sizeof dev);
    if (loop < 0)
        goto out;
    int m = mount_fs(dev, cr->instroot, st->fstype, MS_RDONLY, NULL);
    int r = m >= 0 ? squashfs_make(cr->instroot, tree, &so) : -1;
    if (m >= 0 && mount_release(m) < 0)
        r = -1;
    if (cleanup_release(loop) < 0 || r < 0)
        goto out;
    loop = loop_attach(tree, 0, 0, true, dev, sizeof dev);
    if (loop < 0)
        goto out;
    m = mount_fs(dev, cr->instroot, "squashfs", MS_RDONLY, NULL);
    if (m >= 0) {
        char uuid[37], seed[37], label[17];
        reproducible_uuid(st->sde, "rootfs-uuid", uuid);
        reproducible_uuid(st->sde, "rootfs-hash-seed", seed);
        rootfs_label(cr, label);
        char *mkfs = xasprintf("mkfs.%s", st->fstype), *ext = xasprintf("hash_seed=%s", seed);
        r = fs_make_sparse(fresh, st->size);
        const char *argv[] = { mkfs, "-F", "-q", "-L", label, "-U", uuid, "-E", ext, "-d", cr->instroot, fresh, NULL };
        if (r == 0 && run_argv(argv, NULL) != 0)
            r = log_fail("%s -d failed: %s", mkfs, run_last_output());
        free(mkfs);
        free(ext);
        if (mount_release(m) < 0)
            r = -1;
    } else {
        r = -1;
    }
    if (cleanup_release(loop) < 0 || r < 0)
        goto out;
    if (rename(fresh, st->image) < 0) {
        log_fail("cannot replace %s: %s", st->image, strerror(errno));
        goto out;
    }
    log_info("root file system rebuilt reproducibly (SOURCE_DATE_EPOCH=%lld) in %.1f s", st->sde,
             now_seconds() - t0);
    rc = 0;
out:
    unlink(tree);
    unlink(fresh);
    free(tree);
    free(fresh);
    return rc;
}

/* --flat-squashfs: the root tree itself, read-only mounted again */
static int squash_flat(struct creator *cr, struct live_state *st, const char *sq,
                       const struct squashfs_opts *so)
{
    char dev[64];
    int loop = loop_attach(st->image, 0, 0, true, dev, sizeof dev);
    if (loop < 0)
        return -1;
    int m = mount_fs(dev, cr->instroot, st->fstype, MS_RDONLY, NULL);
    int rc = -1;
    if (m >= 0) {
        rc = squashfs_make(cr->instroot, sq, so);
        if (mount_release(m) < 0)
            rc = -1;
    }
    if (cleanup_release(loop) < 0)
        rc = -1;
    return rc;
}

static int live_stage(struct creator *cr)
{
    struct live_state *st = cr->priv;
    if (!st)
        return log_fail("the live image was never mounted");
    int rc = -1;
    char *livedir = path_join(cr->stagedir, "LiveOS");
    char *sqroot = path_join(cr->workdir, "squashfs-root");
    char *sqlive = path_join(sqroot, "LiveOS");
    char *sqimg = path_join(sqlive, "rootfs.img");
    char *iso = NULL, *sum = NULL, *csum = NULL;
    if (mkdir_p(livedir, 0755) < 0) {
        log_fail("cannot create %s: %s", livedir, strerror(errno));
        goto out;
    }

    double t0 = now_seconds();
    bool flat = cr->flat_squashfs && !cr->skip_compression;
    if (fs_check(st->image, st->fstype) < 0)
        goto out;
    if (st->sde >= 0 && !flat && rebuild_reproducible(cr, st) < 0)
        goto out;
    if (!cr->skip_minimize && !flat) {
        /* compact the data at the start, then give the live system its free
         * space back as a sparse tail (livecd-creator's resparse) */
        uint64_t min = 0;
        if (fs_minimize(st->image, &min) < 0 || fs_resize(st->image, st->size) < 0)
            goto out;
        log_info("root file system minimized to %llu MiB (%.1f s)", (unsigned long long)(min >> 20),
                 now_seconds() - t0);
    }
    st->t_minimize = now_seconds() - t0;

    t0 = now_seconds();
    char *sq = path_join(livedir, "squashfs.img");
    struct squashfs_opts so = { .compression = cr->compression, .comp_args = cr->compression_args };
    int r;
    if (cr->skip_compression) {
        /* as livecd-creator: LiveOS/rootfs.img itself on the medium */
        char *direct = path_join(livedir, "rootfs.img");
        r = rename(st->image, direct) == 0 ? 0 : log_fail("cannot move %s: %s", st->image, strerror(errno));
        free(direct);
    } else if (flat) {
        r = squash_flat(cr, st, sq, &so);
    } else {
        if (mkdir_p(sqlive, 0755) < 0 || rename(st->image, sqimg) < 0) {
            log_fail("cannot move %s to %s: %s", st->image, sqimg, strerror(errno));
            free(sq);
            goto out;
        }
        r = squashfs_make(sqroot, sq, &so);
        if (!cr->nocleanup)
            unlink(sqimg);
    }
    free(sq);
    st->t_squashfs = now_seconds() - t0;
    if (r < 0)
        goto out;

    if (st->sde >= 0) {
        long n = reproducible_clamp_tree(cr->stagedir, st->sde);
        log_debug("SOURCE_DATE_EPOCH: %ld ISO tree times clamped", n);
    }
    t0 = now_seconds();
    iso = xasprintf("%s/%s.iso", cr->outdir, cr->name);
    char md5[33] = "";
    struct iso_opts io = {
        .srcdir = cr->stagedir,
        .output = iso,
        .volid = cr->fslabel,
        .application_id = cr->product,
        .implant_md5 = true,
        .md5_out = md5,
        .source_date_epoch = st->sde > 0 ? st->sde : 0,
    };
    if (st->grub_bios) {
        io.grub2_mbr = st->grub_mbr;
        io.bios_boot = "images/eltorito.img";
        io.boot_catalog = "boot.cat";
        io.efi_append = st->have_efi ? st->efiboot : NULL;
        if (!st->grub_mbr) {
            /* no hybrid MBR: plain El Torito */
            io.grub2_mbr = NULL;
            io.efi_image = NULL;
        }
    } else {
        io.mbr = st->mbr;
        io.bios_boot = "isolinux/isolinux.bin";
        io.boot_catalog = "isolinux/boot.cat";
        io.efi_image = st->have_efi ? "images/efiboot.img" : NULL;
    }
    if (iso_write(&io) < 0)
        goto out;
    st->t_iso = now_seconds() - t0;
    creator_add_artifact(cr, iso);

    /* SHA-256 CHECKSUM next to the ISO, as Pungi writes it */
    t0 = now_seconds();
    if (checksum_file(iso, "sha256", &sum) < 0)
        goto out;
    csum = xasprintf("%s/%s-CHECKSUM", cr->outdir, cr->name);
    const char *files[] = { iso, NULL }, *sums[] = { sum, NULL };
    if (checksum_write_file(csum, files, sums) < 0)
        goto out;
    st->t_checksum = now_seconds() - t0;
    creator_add_artifact(cr, csum);

    if (cr->resultdir) {
        struct utsname un;
        uname(&un);
        struct compose_result res = {
            .resultdir = cr->resultdir,
            .name = cr->name,
            .iso = iso,
            .volid = cr->fslabel,
            .arch = un.machine,
            .sha256 = sum,
            .implant_md5 = md5,
            .rpm_manifest = st->rpm_manifest,
            .product = cr->product,
            .source_date_epoch = st->sde,
            .bootable = true,
        };
        static const char *const names[] = { "mount", "install", "configure", "unmount" };
        for (int i = 0; i < 4; i++) {
            res.phases[i].name = names[i];
            res.phases[i].seconds = cr->phase_seconds[i];
        }
        const struct { const char *n; double s; } sub[] = {
            { "minimize", st->t_minimize }, { "squashfs", st->t_squashfs }, { "iso", st->t_iso },
            { "checksum", st->t_checksum },
        };
        for (int i = 0; i < 4; i++) {
            res.phases[4 + i].name = sub[i].n;
            res.phases[4 + i].seconds = sub[i].s;
        }
        res.nphases = 8;
        if (compose_result_write(&res) < 0)
            goto out;
    }
    rc = 0;
out:
    free(sum);
    free(csum);
    free(iso);
    free(sqimg);
    free(sqlive);
    free(sqroot);
    free(livedir);
    free_state(cr);
    return rc;
}

/* --syslinux boots BIOS through ISOLINUX from the image's own syslinux */
static const char *const *live_required_packages(const struct creator *cr)
{
    static const char *const syslinux[] = { "syslinux", NULL };
    return cr->syslinux ? syslinux : NULL;
}

const struct imgtype imgtype_livecd = {
    .name = "livecd",
    .description = "a bootable hybrid live ISO (livecd-creator)",
    .required_packages = live_required_packages,
    .mount_instroot = live_mount,
    .pre_install = live_pre_install,
    .create_bootconfig = live_bootconfig,
    .unmount_instroot = live_unmount,
    .stage_final_image = live_stage,
    .free_state = free_state,
};
