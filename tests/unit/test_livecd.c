/* test_livecd.c - the livecd backend's staging (imgtypes/livecd.c) on a fake
 * image root: pre_install (dracut config, fstab) and create_bootconfig
 * (kernel, isolinux, EFI, boot configs, efiboot.img) and its errors. */
#define _GNU_SOURCE
#include "core/base/cleanup.h"
#include "core/creator.h"
#include "core/base/log.h"
#include "core/base/run.h"
#include "core/base/util.h"
#include "core/imgtype.h"
#include "imgtypes/livecd.h"
#include "imgtypes/registry.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void put(const char *root, const char *rel, const char *content)
{
    char *p = path_join(root, rel), *d = xstrdup(p);
    *strrchr(d, '/') = 0;
    mkdir_p(d, 0755);
    write_file(p, content, 0644);
    free(d), free(p);
}

static void put_copy(const char *root, const char *rel, const char *from)
{
    char *p = path_join(root, rel), *d = xstrdup(p);
    *strrchr(d, '/') = 0;
    mkdir_p(d, 0755);
    copy_file(from, p, 0644);
    free(d), free(p);
}

static bool staged(const struct creator *cr, const char *rel)
{
    char *p = path_join(cr->stagedir, rel);
    bool r = path_exists(p);
    free(p);
    return r;
}

static char *slurp(const char *dir, const char *rel)
{
    char *p = path_join(dir, rel), *t = NULL;
    size_t l;
    if (read_file(p, &t, &l) < 0)
        t = NULL;
    free(p);
    return t;
}

static void fresh(struct creator *cr, const char *T, const char *tag)
{
    free(cr->instroot), free(cr->stagedir), free(cr->workdir);
    cr->workdir = xasprintf("%s/%s", T, tag);
    cr->instroot = xasprintf("%s/root", cr->workdir);
    cr->stagedir = xasprintf("%s/iso", cr->workdir);
    mkdir_p(cr->instroot, 0755);
    mkdir_p(cr->stagedir, 0755);
    imgtype_livecd.free_state(cr);
}

static const char *const *cp_for(const char *dst)
{
    static const char *cp[5];
    cp[0] = "cp", cp[1] = "-r", cp[2] = "/usr/lib/grub/i386-pc", cp[3] = dst, cp[4] = NULL;
    return cp;
}

int main(void)
{
    log_open(getenv("KSC_TEST_DEBUG") ? LOG_DEBUG : LOG_QUIET, NULL);
    const char *src = getenv("KSC_SRCDIR") ? getenv("KSC_SRCDIR") : ".";
    char *datadir = xasprintf("%s/config", src);
    char *t1 = path_join(datadir, "isolinux.cfg.in");
    if (!path_exists("/usr/lib/ISOLINUX/isolinux.bin") || !path_exists(t1) || !path_exists("/usr/bin/mcopy")) {
        printf("1..0 # SKIP isolinux, mtools or config/*.cfg.in missing\n");
        return 0;
    }
    free(t1);
    char *T = make_tmpdir("/var/tmp", "ksc-test-livecd");
    const struct imgtype *lt = &imgtype_livecd;
    is_str(lt->name, "livecd", "backend name");
    ok(lt->mount_instroot && lt->pre_install && lt->create_bootconfig && lt->unmount_instroot &&
       lt->stage_final_image, "all hooks set");

    struct creator cr = { 0 };
    struct livecd_opts lo;
    livecd_opts_init(&lo);
    cr.type_opts = &lo;
    cr.fslabel = "Fixture-Live-1";
    cr.title = "Fixture Linux";
    cr.kernel_args = "console=ttyS0";
    cr.bootloader_timeout = 3;
    cr.datadir = datadir;

    /* pre_install */
    fresh(&cr, T, "pre");
    is_int(lt->pre_install(&cr), 0, "pre_install");
    char *conf = slurp(cr.instroot, "etc/dracut.conf.d/99-liveos.conf");
    ok(conf && strstr(conf, "add_dracutmodules+=") && strstr(conf, "dmsquash-live"), "dracut conf adds dmsquash-live");
    ok(conf && strstr(conf, "\nhostonly=no\n"), "dracut conf: hostonly=no");
    ok(conf && strstr(conf, "filesystems+=") && strstr(conf, "squashfs"), "dracut conf: squashfs filesystem");
    ok(conf && strstr(conf, "add_drivers+=") && strstr(conf, "sr_mod"), "dracut conf: CD drivers");
    ok(conf && strstr(conf, "\ncompress=xz\n"), "dracut conf: compress= the squashfs compressor (default xz)");
    ok(conf && !strstr(conf, "reproducible"), "dracut conf: not reproducible without SOURCE_DATE_EPOCH");
    free(conf);
    /* --dracut-conf-args */
    char *dc = live_dracut_conf("+omit_dracutmodules+=\" plymouth \" kernel_cmdline=\"a=1 b=2\"", "zstd", true);
    ok(strstr(dc, "dmsquash-live") && strstr(dc, "\ncompress=zstd\n"), "'+' keeps the defaults");
    ok(strstr(dc, "\nomit_dracutmodules+=\" plymouth \"\n") && strstr(dc, "\nkernel_cmdline=\"a=1 b=2\"\n"),
       "'+' appends, one setting per line, quoted blanks kept");
    ok(strstr(dc, "\nreproducible=yes\n") != NULL, "SOURCE_DATE_EPOCH: reproducible=yes");
    free(dc);
    dc = live_dracut_conf("hostonly=yes add_dracutmodules+=\" dmsquash-live \"", "xz", false);
    ok(!strstr(dc, "mdadmconf") && strstr(dc, "\nhostonly=yes\nadd_dracutmodules+=\" dmsquash-live \"\n"),
       "without '+' the arguments replace the defaults");
    ok(strstr(dc, "filesystems+=") && strstr(dc, "add_drivers+="), "filesystems and drivers always follow");
    free(dc);
    char *fstab = slurp(cr.instroot, "etc/fstab");
    ok(fstab && str_startswith(fstab, "/dev/root "), "fstab mounts /dev/root on /");
    free(fstab);

    /* a fake root: kernel, initramfs, syslinux, GRUB */
    fresh(&cr, T, "ok");
    const char *r = cr.instroot;
    put(r, "boot/vmlinuz-6.1.0-1-cloud", "old kernel");
    put(r, "boot/initramfs-6.1.0-1-cloud.img", "old initrd");
    put(r, "boot/vmlinuz-6.1.0-10-cloud", "new kernel");
    put(r, "boot/initramfs-6.1.0-10-cloud.img", "new initrd");
    put(r, "boot/vmlinuz-0-rescue-abc", "rescue");
    put_copy(r, "usr/share/syslinux/isolinux.bin", "/usr/lib/ISOLINUX/isolinux.bin");
    put_copy(r, "usr/share/syslinux/isohdpfx.bin", "/usr/lib/ISOLINUX/isohdpfx.bin");
    const char *c32[] = { "ldlinux.c32", "libcom32.c32", "libutil.c32", "vesamenu.c32", "menu.c32" };
    for (size_t i = 0; i < 5; i++) {
        char *from = xasprintf("/usr/lib/syslinux/modules/bios/%s", c32[i]);
        char *to = xasprintf("usr/share/syslinux/%s", c32[i]);
        put_copy(r, to, from);
        free(from), free(to);
    }
    put(r, "boot/efi/EFI/fedora/grubx64.efi", "GRUB-EFI-BINARY");
    put(r, "boot/efi/EFI/BOOT/BOOTX64.EFI", "FALLBACK");
    put(r, "usr/bin/checkisomd5", "#!/bin/sh\n");   /* media check entries need it */
    char *cmd5 = path_join(r, "usr/bin/checkisomd5");
    chmod(cmd5, 0755);
    free(cmd5);

    int rc = lt->create_bootconfig(&cr);
    is_int(rc, 0, "create_bootconfig%s%s", rc ? ": " : "", rc ? log_failure() : "");
    char *k = slurp(cr.stagedir, "images/pxeboot/vmlinuz"), *i = slurp(cr.stagedir, "images/pxeboot/initrd.img");
    is_str(k, "new kernel", "newest kernel staged (strverscmp, rescue ignored)");
    is_str(i, "new initrd", "its initramfs staged");
    free(k), free(i);
    k = slurp(cr.stagedir, "images/pxeboot/vmlinuz1"), i = slurp(cr.stagedir, "images/pxeboot/initrd1.img");
    is_str(k, "old kernel", "every kernel staged: the older one as vmlinuz1");
    is_str(i, "old initrd", "its initramfs as initrd1.img");
    free(k), free(i);
    ok(!staged(&cr, "images/pxeboot/vmlinuz2"), "the rescue kernel gets no entry");
    const char *want[] = { "isolinux/isolinux.bin", "isolinux/ldlinux.c32", "isolinux/libcom32.c32",
                           "isolinux/libutil.c32", "isolinux/vesamenu.c32", "isolinux/isolinux.cfg",
                           "EFI/BOOT/BOOTX64.EFI", "EFI/BOOT/grubx64.efi", "EFI/BOOT/grub.cfg",
                           "images/efiboot.img" };
    for (size_t n = 0; n < sizeof want / sizeof want[0]; n++)
        ok(staged(&cr, want[n]), "staged %s", want[n]);
    char *b = slurp(cr.stagedir, "EFI/BOOT/BOOTX64.EFI");
    is_str(b, "GRUB-EFI-BINARY", "BOOTX64.EFI is GRUB when there is no shim");
    free(b);
    char *cfg = slurp(cr.stagedir, "isolinux/isolinux.cfg");
    ok(cfg && strstr(cfg, "root=live:CDLABEL=Fixture-Live-1 ro rd.live.image console=ttyS0 quiet rd.luks=0 rd.md=0 rd.dm=0"), "isolinux kernel line");
    ok(cfg && strstr(cfg, "timeout 30"), "isolinux timeout in tenths");
    ok(cfg && strstr(cfg, "/images/pxeboot/vmlinuz"), "isolinux kernel path");
    ok(cfg && strstr(cfg, "kernel /images/pxeboot/vmlinuz1\n  append initrd=/images/pxeboot/initrd1.img"),
       "isolinux: an entry for the second kernel");
    ok(cfg && strstr(cfg, "(6.1.0-1-cloud)"), "isolinux: the older kernel's entry names its version");
    ok(cfg && strstr(cfg, "basic graphics mode") && strstr(cfg, "nomodeset"), "isolinux: basic graphics entry");
    ok(cfg && strstr(cfg, "Test this media") && strstr(cfg, "rd.live.check"), "isolinux: media check entry");
    ok(cfg && strstr(cfg, "menu begin ^Troubleshooting"), "isolinux: troubleshooting submenu");
    free(cfg);
    cfg = slurp(cr.stagedir, "EFI/BOOT/grub.cfg");
    ok(cfg && strstr(cfg, "set timeout=3") && strstr(cfg, "Fixture-Live-1"), "grub.cfg timeout and label");
    ok(cfg && strstr(cfg, "linux /images/pxeboot/vmlinuz1 ") && strstr(cfg, "rd.live.check") &&
       strstr(cfg, "nomodeset") && strstr(cfg, "submenu 'Troubleshooting -->'"),
       "grub.cfg: both kernels, media check, basic graphics");
    ok(cfg && !strstr(cfg, "chainloader"), "EFI grub.cfg has no BIOS chainloader entries");
    free(cfg);
    char *out = NULL;
    char *img = path_join(cr.stagedir, "images/efiboot.img");
    static const char *const env[] = { "MTOOLS_SKIP_CHECK=1", NULL };
    const char *md[] = { "mdir", "-b", "-i", img, "::/EFI/BOOT", NULL };
    struct run_opts ro = { .env = env, .capture = &out };
    ok(run_argv(md, &ro) == 0 && out && strstr(out, "BOOTX64.EFI") && strstr(out, "grub.cfg"),
       "efiboot.img holds EFI/BOOT/BOOTX64.EFI and grub.cfg");
    free(out), free(img);
    char *mbr = path_join(cr.workdir, "isohdpfx.bin");
    ok(path_exists(mbr), "isohdpfx.bin kept out of the root for the ISO");
    free(mbr);

    /* with a shim */
    fresh(&cr, T, "shim");
    r = cr.instroot;
    put(r, "boot/vmlinuz-5", "k");
    put(r, "boot/initramfs-5.img", "i");
    for (size_t n = 0; n < 5; n++) {
        char *from = xasprintf("/usr/lib/syslinux/modules/bios/%s", c32[n]);
        char *to = xasprintf("usr/share/syslinux/%s", c32[n]);
        put_copy(r, to, from);
        free(from), free(to);
    }
    put_copy(r, "usr/share/syslinux/isolinux.bin", "/usr/lib/ISOLINUX/isolinux.bin");
    put(r, "boot/efi/EFI/fedora/grubx64.efi", "GRUB");
    put(r, "boot/efi/EFI/fedora/shimx64.efi", "SHIM");
    is_int(lt->create_bootconfig(&cr), 0, "create_bootconfig with shim");
    b = slurp(cr.stagedir, "EFI/BOOT/BOOTX64.EFI");
    char *g = slurp(cr.stagedir, "EFI/BOOT/grubx64.efi");
    is_str(b, "SHIM", "BOOTX64.EFI is the shim");
    is_str(g, "GRUB", "grubx64.efi next to it");
    free(b), free(g);

    /* GRUB2 for BIOS (default when the image has /usr/lib/grub/i386-pc) */
    if (path_exists("/usr/lib/grub/i386-pc/kernel.img") && (path_exists("/usr/bin/grub-mkimage") ||
                                                           path_exists("/usr/bin/grub2-mkimage"))) {
        fresh(&cr, T, "grub");
        r = cr.instroot;
        put(r, "boot/vmlinuz-5", "k");
        put(r, "boot/initramfs-5.img", "i");
        char *gdir = path_join(r, "usr/lib/grub");
        mkdir_p(gdir, 0755);
        const char *cp[] = { "cp", "-r", "/usr/lib/grub/i386-pc", gdir, NULL };
        run_argv(cp, NULL);
        free(gdir);
        put(r, "boot/efi/EFI/fedora/grubx64.efi", "GRUB");
        put(r, "boot/efi/EFI/fedora/gcdx64.efi", "GRUB-CD");
        rc = lt->create_bootconfig(&cr);
        is_int(rc, 0, "create_bootconfig, GRUB2 BIOS%s%s", rc ? ": " : "", rc ? log_failure() : "");
        ok(staged(&cr, "images/eltorito.img") && staged(&cr, "boot/grub2/grub.cfg") &&
           staged(&cr, "boot/grub2/i386-pc/boot_hybrid.img"), "GRUB2 BIOS: eltorito.img, grub.cfg, modules");
        ok(!staged(&cr, "isolinux/isolinux.cfg"), "GRUB2 BIOS: no isolinux");
        ok(!staged(&cr, "images/efiboot.img"), "GRUB2 layout: efiboot.img outside the tree (appended partition)");
        char *eb = path_join(cr.workdir, "efiboot.img");
        ok(path_exists(eb), "efiboot.img made in the work directory");
        free(eb);
        g = slurp(cr.stagedir, "EFI/BOOT/grubx64.efi");
        is_str(g, "GRUB-CD", "the CD flavour gcdx64.efi is preferred");
        free(g);
        cfg = slurp(cr.stagedir, "boot/grub2/grub.cfg");
        ok(cfg && strstr(cfg, "chainloader (hd0)+1") && strstr(cfg, "search --no-floppy --set=root -l 'Fixture-Live-1'"),
           "BIOS grub.cfg: label search and drive entries");
        free(cfg);
        lo.syslinux = true;
        fresh(&cr, T, "grub-syslinux");
        r = cr.instroot;
        put(r, "boot/vmlinuz-5", "k");
        put(r, "boot/initramfs-5.img", "i");
        gdir = path_join(r, "usr/lib/grub");
        mkdir_p(gdir, 0755);
        run_argv(cp_for(gdir), NULL);
        free(gdir);
        put_copy(r, "usr/share/syslinux/isolinux.bin", "/usr/lib/ISOLINUX/isolinux.bin");
        for (size_t n = 0; n < 5; n++) {
            char *from = xasprintf("/usr/lib/syslinux/modules/bios/%s", c32[n]);
            char *to = xasprintf("usr/share/syslinux/%s", c32[n]);
            put_copy(r, to, from);
            free(from), free(to);
        }
        is_int(lt->create_bootconfig(&cr), 0, "--syslinux with GRUB in the image");
        ok(staged(&cr, "isolinux/isolinux.cfg") && !staged(&cr, "images/eltorito.img"), "--syslinux: ISOLINUX, not GRUB");
        lo.syslinux = false;
    } else {
        ok(1, "# SKIP no GRUB i386-pc modules or grub-mkimage on the host");
    }

    /* errors */
    fresh(&cr, T, "nokernel");
    is_int(lt->create_bootconfig(&cr), -1, "no kernel is an error");
    ok(log_failure() && strstr(log_failure(), "no kernel"), "clear message: %s", log_failure());

    fresh(&cr, T, "noinitrd");
    put(cr.instroot, "boot/vmlinuz-6.1", "k");
    is_int(lt->create_bootconfig(&cr), -1, "kernel without initramfs is an error");
    ok(log_failure() && strstr(log_failure(), "initramfs-6.1.img"), "clear message: %s", log_failure());

    fresh(&cr, T, "nosyslinux");
    put(cr.instroot, "boot/vmlinuz-6.1", "k");
    put(cr.instroot, "boot/initramfs-6.1.img", "i");
    is_int(lt->create_bootconfig(&cr), -1, "missing syslinux is an error");
    ok(log_failure() && strstr(log_failure(), "syslinux"), "clear message: %s", log_failure());

    imgtype_livecd.free_state(&cr);
    free(cr.instroot), free(cr.stagedir), free(cr.workdir);
    cleanup_release_all();
    free(T);
    free(datadir);
    return tap_done();
}
