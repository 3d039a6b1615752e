/* installer.c - installation media as lorax makes them (boot.iso; with
 * --with-repo a DVD carrying the target's packages).
 *
 *   mount_instroot     resolve the target kickstart first (and download its
 *                      packages for --with-repo), so that a kickstart that
 *                      cannot be satisfied fails before anything is built;
 *                      the runtime root is a plain directory (workdir/install_root)
 *   pre_install        /etc/dracut.conf.d/99-kscreate-installer.conf (lorax's
 *                      dracut arguments as configuration: the anaconda module,
 *                      no host-only) and /.buildstamp, before the first package
 *   create_bootconfig  final /.buildstamp, the runtime's dracut run again (as
 *                      lorax does), images/pxeboot/{vmlinuz,initrd.img},
 *                      isolinux/ (+ vmlinuz, initrd.img), EFI/BOOT/, boot loader
 *                      configs from config/installer-*.cfg.in, images/efiboot.img,
 *                      /ks.cfg
 *   unmount_instroot   nothing (the creator releases /proc, /sys, /dev, /run)
 *   stage_final_image  images/install.img (squashfs of the runtime root),
 *                      Packages/ + repodata/ (libcreaterepo_c), .treeinfo,
 *                      .discinfo, <outdir>/<name>.iso (hybrid, implanted MD5),
 *                      with --pxe <outdir>/<name>-pxeboot/
 */
#define _GNU_SOURCE
#include "imgtypes/installer.h"
#include "core/base/strv.h"
#include "core/imgtype.h"
#include "core/stage.h"
#include "core/bootcfg.h"
#include "core/creator.h"
#include "core/efiboot.h"
#include "core/iso_write.h"
#include "core/base/log.h"
#include "core/base/strbuf.h"
#include "core/media_repo.h"
#include "core/pkg.h"
#include "core/base/run.h"
#include "core/squashfs.h"
#include "core/treeinfo.h"
#include "core/base/util.h"
#include "kickstart/ks.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define ARCH "x86_64"
#define KERNEL_ON_ISO "images/pxeboot/vmlinuz"
#define INITRD_ON_ISO "images/pxeboot/initrd.img"
#define EFIBOOT_ON_ISO "images/efiboot.img"
#define STAGE2_ON_ISO "images/install.img"
#define DRACUT_CONF "etc/dracut.conf.d/99-kscreate-installer.conf"

void installer_opts_init(struct installer_opts *o)
{
    *o = (struct installer_opts){ 0 };
    squashfs_comp_init(&o->comp);
}

int installer_opts_check(const struct installer_opts *o, char *err, size_t errlen)
{
    if (o->target_ks && access(o->target_ks, R_OK) < 0) {
        snprintf(err, errlen, "cannot read the target kickstart %s", o->target_ks);
        return -1;
    }
    return 0;
}

struct inst_state {
    struct installer_opts o;
    char *ks_text;          /* the kickstart to embed, NULL: none */
    strv_t rpms;            /* --with-repo: local files of the target's set */
    strv_t comps_urls;      /* source repositories of the target */
    size_t n_target;        /* packages resolved for the target */
    char *product, *version, *variant;
    char *mbr;
    bool have_efi;
    long long timestamp;
};

/* ------------------------------------------------------------ helpers */

/* udev's escaping of /dev/disk/by-label names (what hd:LABEL= matches) */
static char *label_escape(const char *s)
{
    struct strbuf o = { 0 };
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (isalnum(c) || strchr("#+-.:=@_", c))
            strbuf_addc(&o, (char)c);
        else
            strbuf_printf(&o, "\\x%02x", c);
    }
    return strbuf_take(&o);
}

char *installer_kargs(const char *volid, bool with_ks, const char *extra)
{
    char *l = label_escape(volid);
    char *ks = with_ks ? xasprintf(" inst.ks=hd:LABEL=%s:/ks.cfg", l) : xstrdup("");
    char *r = xasprintf("inst.stage2=hd:LABEL=%s%s%s%s", l, ks, extra && *extra ? " " : "",
                        extra ? extra : "");
    free(ks);
    free(l);
    return r;
}

char *installer_default_volid(const char *product, const char *version, const char *arch)
{
    char *v = xasprintf("%s-%s-%s", product, version, arch ? arch : ARCH);
    for (char *p = v; *p; p++)
        if (isspace((unsigned char)*p))
            *p = '-';
    if (strlen(v) > ISO_VOLID_MAX)
        v[ISO_VOLID_MAX] = 0;
    return v;
}

static bool is_source_cmd(const char *line)
{
    static const char *const cmds[] = { "url", "repo", "cdrom", "harddrive", "nfs", "liveimg", NULL };
    while (*line == ' ' || *line == '\t')
        line++;
    for (size_t i = 0; cmds[i]; i++) {
        size_t n = strlen(cmds[i]);
        if (!strncmp(line, cmds[i], n) && (!line[n] || isspace((unsigned char)line[n])))
            return true;
    }
    return false;
}

char *installer_media_ks(const char *kstext, const char *volid)
{
    char *l = label_escape(volid);
    char *src = xasprintf("# install source: the packages on this medium (written by kscreate)\n"
                          "harddrive --partition=LABEL=%s --dir=/\n", l);
    free(l);
    size_t cap = strlen(kstext) * 2 + strlen(src) + 256, len = 0;
    char *out = xmalloc(cap);
    out[0] = 0;
    bool in_section = false, added = false;
    const char *p = kstext;
    while (*p) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        char *line = xstrndup(p, n);
        const char *t = line;
        while (*t == ' ' || *t == '\t')
            t++;
        char *piece;
        if (in_section) {
            if (!strncmp(t, "%end", 4) && (!t[4] || isspace((unsigned char)t[4])))
                in_section = false;
            piece = xasprintf("%s\n", line);
        } else if (*t == '%' && strncmp(t, "%include", 8) && strncmp(t, "%ksappend", 9)) {
            in_section = true;
            piece = xasprintf("%s%s\n", added ? "" : src, line);
            added = true;
        } else if (is_source_cmd(t)) {
            piece = xasprintf("# %s  (replaced by the media repository)\n", line);
        } else if (!added && *t && *t != '#') {
            piece = xasprintf("%s%s\n", src, line);
            added = true;
        } else {
            piece = xasprintf("%s\n", line);
        }
        size_t pn = strlen(piece);
        if (len + pn + strlen(src) + 1 > cap)
            out = xrealloc(out, cap = (len + pn + strlen(src)) * 2 + 1);
        memcpy(out + len, piece, pn + 1);
        len += pn;
        free(piece);
        free(line);
        p = e ? e + 1 : p + n;
    }
    if (!added) {
        memcpy(out + len, src, strlen(src) + 1);
        len += strlen(src);
    }
    free(src);
    return out;
}

static char *subst_vars(const char *s, const char *releasever)
{
    char *cur = xstrdup(s);
    static const char *const names[] = { "$releasever", "${releasever}", "$basearch", "${basearch}" };
    for (size_t i = 0; i < 4; i++) {
        const char *val = i < 2 ? releasever : ARCH;
        if (!val)
            continue;
        char *at;
        while ((at = strstr(cur, names[i]))) {
            *at = 0;
            char *n = xasprintf("%s%s%s", cur, val, at + strlen(names[i]));
            free(cur);
            cur = n;
        }
    }
    return cur;
}

/* Parse and resolve the target kickstart (download for --with-repo). */
static int prepare_target(struct creator *cr, struct inst_state *st)
{
    const char *path = st->o.target_ks;
    log_info("Resolving the target kickstart %s", path);
    struct kickstart *ks = NULL;
    if (creator_parse_ks(path, "target kickstart", &ks) < 0)
        return -1;
    int rc = -1;
    struct pkg_engine *eng = NULL;
    if (ks->n_repos == 0 && !ks->url.seen) {
        log_fail("%s: the target kickstart has no repositories: add a 'repo' or 'url' command", path);
        goto out;
    }
    struct pkg_engine_opts eo = { 0 };
    eo.cachedir = cr->cachedir;
    eo.releasever = cr->releasever;
    eo.cacheonly = cr->cacheonly;
    eng = pkg_engine_new(&eo);
    if (!eng)
        goto out;
    for (size_t i = 0; i < ks->n_repos; i++) {
        if (pkg_add_repo(eng, &ks->repos[i]) < 0)
            goto out;
        if (ks->repos[i].baseurl)
            strv_push_take(&st->comps_urls, subst_vars(ks->repos[i].baseurl, cr->releasever));
    }
    if (ks->url.seen) {
        if (pkg_add_url(eng, &ks->url) < 0)
            goto out;
        if (ks->url.url)
            strv_push_take(&st->comps_urls, subst_vars(ks->url.url, cr->releasever));
    }
    if (pkg_load(eng) < 0)
        goto out;
    if (pkg_resolve(eng, &ks->packages) < 0) {
        char *why = xstrdup(log_failure() ? log_failure() : "cannot resolve its packages");
        log_fail("target kickstart %s: %s", path, why);
        free(why);
        goto out;
    }
    st->n_target = pkg_count(eng);
    log_info("target kickstart: %zu packages", st->n_target);
    if (st->o.with_repo) {
        if (pkg_download(eng) < 0)
            goto out;
        for (size_t i = 0; i < pkg_count(eng); i++)
            strv_push(&st->rpms, pkg_path(eng, i));
    }

    /* the text to embed: the file itself, flattened when it includes others */
    char *text = NULL;
    size_t len;
    if (read_file(path, &text, &len) < 0) {
        log_fail("cannot read %s: %s", path, strerror(errno));
        goto out;
    }
    if (strstr(text, "%include") || strstr(text, "%ksappend")) {
        free(text);
        text = ks_flatten(ks);
        log_verbose("the target kickstart uses %%include: embedding it flattened");
    }
    if (st->o.with_repo) {
        st->ks_text = installer_media_ks(text, cr->fslabel);
        free(text);
    } else {
        st->ks_text = text;
    }
    rc = 0;
out:
    if (eng)
        pkg_engine_free(eng);
    ks_free(ks);
    return rc;
}

/* ------------------------------------------------------------ mount */

static void free_state(struct creator *cr);

static int inst_mount(struct creator *cr)
{
    struct inst_state *st = xcalloc(1, sizeof *st);
    cr->priv = st;
    st->o = *(const struct installer_opts *)cr->type_opts;
    st->timestamp = (long long)time(NULL);
    if (iso_check_volid(cr->fslabel) < 0)
        return -1;
    if (st->o.with_repo && !st->o.target_ks)
        log_warn("--with-repo without a target kickstart: the media carry no packages");
    if (st->o.with_repo && !media_repo_available())
        return media_repo_create(&(struct media_repo_opts){ 0 });
    /* templates first: a missing one fails before any work */
    const char *datadir = cr->datadir ? cr->datadir : "config";
    static const char *const tmpls[] = { "installer-isolinux.cfg.in", "installer-grub.cfg.in" };
    for (size_t i = 0; i < 2; i++) {
        char *t = path_join(datadir, tmpls[i]);
        bool ok = path_exists(t);
        if (!ok)
            log_fail("boot loader template %s does not exist", t);
        free(t);
        if (!ok)
            return -1;
    }
    if (st->o.target_ks && prepare_target(cr, st) < 0)
        return -1;
    /* the runtime root is the plain directory instroot (made by creator_init) */
    log_verbose("installer runtime root: %s", cr->instroot);
    return 0;
}

/* ------------------------------------------------------------ pre_install */

static const char inst_filesystems[] = "vfat msdos isofs ext4 xfs btrfs squashfs overlay";
static const char inst_drivers[] =
    "sr_mod sd_mod ide-cd cdrom =ata usb_storage usbhid uas mmc_block sdhci sdhci-pci "
    "virtio_blk virtio_pci virtio_scsi virtio_net";

static char *buildstamp(struct creator *cr, struct inst_state *st)
{
    const char *product = st->product ? st->product : st->o.product ? st->o.product : cr->product;
    const char *version = st->version ? st->version : st->o.version ? st->o.version : cr->releasever;
    return buildstamp_text(product ? product : "Linux", version ? version : "rawhide", ARCH,
                           st->variant ? st->variant : st->o.variant, st->o.bugurl, st->timestamp);
}

static int inst_pre_install(struct creator *cr)
{
    struct inst_state *st = cr->priv;
    char *dir = path_join(cr->instroot, "etc/dracut.conf.d");
    char *conf = path_join(cr->instroot, DRACUT_CONF);
    /* lorax: dracut --nomdadmconf --nolvmconf --xz --install /.buildstamp
     * --no-early-microcode --add "anaconda pollcdrom qemu qemu-net" (no host-only) */
    char *text = xasprintf("# written by kscreate: the installer initramfs (lorax's dracut options)\n"
                           "add_dracutmodules+=\" anaconda pollcdrom qemu qemu-net \"\n"
                           "filesystems+=\" %s \"\n"
                           "add_drivers+=\" %s \"\n"
                           "install_items+=\" /.buildstamp \"\n"
                           "hostonly=\"no\"\n"
                           "mdadmconf=\"no\"\n"
                           "lvmconf=\"no\"\n"
                           "early_microcode=\"no\"\n"
                           "compress=\"xz\"\n"
                           "dracut_rescue_image=\"no\"\n",
                           inst_filesystems, inst_drivers);
    char *bs_path = path_join(cr->instroot, ".buildstamp");
    char *bs = buildstamp(cr, st);
    int rc = 0;
    if (mkdir_p(dir, 0755) < 0 || write_file(conf, text, 0644) < 0)
        rc = log_fail("cannot write %s: %s", conf, strerror(errno));
    else if (write_file(bs_path, bs, 0644) < 0)
        rc = log_fail("cannot write %s: %s", bs_path, strerror(errno));
    free(bs);
    free(bs_path);
    free(text);
    free(conf);
    free(dir);
    return rc;
}

/* ------------------------------------------------------ create_bootconfig */

static char *find_kernel(const char *root)
{
    char *best = NULL;
    char *boot = path_join(root, "boot");
    DIR *d = opendir(boot);
    if (d) {
        struct dirent *de;
        while ((de = readdir(d))) {
            if (!str_startswith(de->d_name, "vmlinuz-") || strstr(de->d_name, "-rescue-") ||
                str_endswith(de->d_name, ".hmac"))
                continue;
            const char *ver = de->d_name + 8;
            if (!best || strverscmp(ver, best) > 0) {
                free(best);
                best = xstrdup(ver);
            }
        }
        closedir(d);
    }
    free(boot);
    return best;
}

/* VAR=value from the runtime's os-release, malloc'd or NULL. */
static char *os_release(const char *root, const char *var)
{
    char *path = path_join(root, "etc/os-release"), *text = NULL, *res = NULL;
    size_t len;
    if (read_file(path, &text, &len) < 0) {
        free(path);
        path = path_join(root, "usr/lib/os-release");
        if (read_file(path, &text, &len) < 0)
            text = NULL;
    }
    free(path);
    size_t vl = strlen(var);
    for (char *line = text ? strtok(text, "\n") : NULL; line; line = strtok(NULL, "\n")) {
        if (strncmp(line, var, vl) || line[vl] != '=')
            continue;
        char *v = line + vl + 1;
        size_t n = strlen(v);
        if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) {
            v[n - 1] = 0;
            v++;
        }
        res = xstrdup(v);
        break;
    }
    free(text);
    return res;
}

static int stage_isolinux(struct creator *cr, struct inst_state *st)
{
    static const struct stage_file files[] = {
        { "isolinux.bin", true }, { "ldlinux.c32", true }, { "libcom32.c32", true },
        { "libutil.c32", true },  { "vesamenu.c32", true }, { "memdisk", false },
    };
    if (stage_isolinux_files(cr->instroot, cr->stagedir, files, sizeof files / sizeof files[0],
                             "the installer runtime", "the runtime %packages") < 0)
        return -1;
    char *mbr = stage_syslinux_file(cr->instroot, "isohdpfx.bin");
    if (mbr) {
        free(st->mbr);
        st->mbr = path_join(cr->workdir, "isohdpfx.bin");
        int rc = copy_file(mbr, st->mbr, 0644);
        int e = errno;
        free(mbr);
        if (rc < 0)
            return log_fail("cannot copy isohdpfx.bin: %s", strerror(e));
    } else {
        log_warn("no isohdpfx.bin in the runtime's syslinux: the ISO will not be hybrid (no USB boot)");
    }
    return 0;
}

static int stage_efi(struct creator *cr, struct inst_state *st)
{
    char *vendor = stage_efi_vendor(cr->instroot);
    if (!vendor) {
        log_warn("no GRUB for UEFI in the runtime (/boot/efi/EFI/*/grubx64.efi): the media will not "
                 "boot with UEFI (add grub2-efi-x64 and shim-x64 to the runtime %%packages)");
        return 0;
    }
    /* lorax: BOOTX64.EFI = shim, grubx64.efi, mmx64.efi */
    char *efiroot = path_join(cr->instroot, "boot/efi/EFI");
    char *grub = xasprintf("%s/%s/grubx64.efi", efiroot, vendor);
    char *shim = xasprintf("%s/%s/shimx64.efi", efiroot, vendor);
    char *mm = xasprintf("%s/%s/mmx64.efi", efiroot, vendor);
    int rc = 0;
    if (stage_copy(path_exists(shim) ? shim : grub, cr->stagedir, "EFI/BOOT/BOOTX64.EFI", 0644) < 0 ||
        stage_copy(grub, cr->stagedir, "EFI/BOOT/grubx64.efi", 0644) < 0 ||
        (path_exists(mm) && stage_copy(mm, cr->stagedir, "EFI/BOOT/mmx64.efi", 0644) < 0))
        rc = -1;
    free(grub), free(shim), free(mm), free(vendor), free(efiroot);
    if (rc == 0)
        st->have_efi = true;
    return rc;
}

static int write_configs(struct creator *cr, struct inst_state *st)
{
    char *kargs = installer_kargs(cr->fslabel, st->ks_text != NULL, cr->kernel_args);
    char *title = xasprintf("%s %s", st->product, st->version);
    struct bootcfg_vars v = {
        .title = cr->title && strcmp(cr->title, cr->fslabel) ? cr->title : title,
        .label = cr->fslabel,
        .kernel = "vmlinuz",
        .initrd = "initrd.img",
        .kargs = kargs,
        .timeout = cr->bootloader_timeout,
    };
    const char *datadir = cr->datadir ? cr->datadir : "config";
    char *t1 = path_join(datadir, "installer-isolinux.cfg.in");
    char *o1 = path_join(cr->stagedir, "isolinux/isolinux.cfg");
    int rc = bootcfg_write(t1, o1, &v);
    free(t1);
    free(o1);
    if (rc == 0 && st->have_efi) {
        v.kernel = "/" KERNEL_ON_ISO;
        v.initrd = "/" INITRD_ON_ISO;
        char *t2 = path_join(datadir, "installer-grub.cfg.in");
        char *o2 = path_join(cr->stagedir, "EFI/BOOT/grub.cfg");
        rc = bootcfg_write(t2, o2, &v);
        free(t2);
        free(o2);
    }
    free(title);
    free(kargs);
    return rc;
}

static int inst_bootconfig(struct creator *cr)
{
    struct inst_state *st = cr->priv;
    if (!st)
        cr->priv = st = xcalloc(1, sizeof *st);
    /* product and version: options, else the runtime's os-release */
    free(st->product);
    free(st->version);
    free(st->variant);
    st->product = xstrdup(st->o.product ? st->o.product : cr->product ? cr->product : "");
    if (!*st->product) {
        free(st->product);
        st->product = os_release(cr->instroot, "NAME");
        if (!st->product)
            st->product = xstrdup("Linux");
    }
    st->version = st->o.version ? xstrdup(st->o.version) : cr->releasever ? xstrdup(cr->releasever)
                                                                          : os_release(cr->instroot, "VERSION_ID");
    if (!st->version)
        st->version = xstrdup("rawhide");
    st->variant = st->o.variant ? xstrdup(st->o.variant) : st->o.with_repo ? xstrdup("Everything") : NULL;

    char *kver = find_kernel(cr->instroot);
    if (!kver)
        return log_fail("no kernel in the installer runtime (no /boot/vmlinuz-*): add 'kernel' to the "
                        "runtime %%packages");
    int rc = -1;
    char *bs_path = path_join(cr->instroot, ".buildstamp");
    char *bs = buildstamp(cr, st);
    char *initrd_rel = xasprintf("/boot/initramfs-%s.img", kver);
    char *initrd = path_join(cr->instroot, initrd_rel);
    char *vmlinuz = xasprintf("%s/boot/vmlinuz-%s", cr->instroot, kver);
    char *dracut = path_join(cr->instroot, "usr/bin/dracut");
    if (write_file(bs_path, bs, 0644) < 0) {
        log_fail("cannot write %s: %s", bs_path, strerror(errno));
        goto out;
    }
    if (!path_exists(dracut)) {
        log_fail("the installer runtime has no dracut (/usr/bin/dracut): add 'dracut' to the runtime %%packages");
        goto out;
    }
    /* the installer initramfs, by the runtime's dracut with our configuration */
    log_info("Building the installer initramfs for %s with the runtime's dracut", kver);
    const char *argv[] = { "/usr/bin/dracut", "--force", initrd_rel, kver, NULL };
    struct run_opts ro = { .chroot = cr->instroot };
    int s = run_argv(argv, &ro);
    if (s != 0) {
        log_fail("dracut in the installer runtime failed (status %d): %s", s, run_last_output());
        goto out;
    }
    if (!path_exists(initrd)) {
        log_fail("dracut did not write %s", initrd_rel);
        goto out;
    }
    if (stage_copy(vmlinuz, cr->stagedir, KERNEL_ON_ISO, 0644) < 0 ||
        stage_copy(initrd, cr->stagedir, INITRD_ON_ISO, 0644) < 0 ||
        stage_copy(vmlinuz, cr->stagedir, "isolinux/vmlinuz", 0644) < 0 ||
        stage_copy(initrd, cr->stagedir, "isolinux/initrd.img", 0644) < 0)
        goto out;
    if (stage_isolinux(cr, st) < 0 || stage_efi(cr, st) < 0 || write_configs(cr, st) < 0)
        goto out;
    if (st->have_efi) {
        char *efi = path_join(cr->stagedir, "EFI"), *img = path_join(cr->stagedir, EFIBOOT_ON_ISO);
        int r = efiboot_make(efi, img, NULL);
        free(efi);
        free(img);
        if (r < 0)
            goto out;
    }
    if (st->ks_text) {
        char *ks = path_join(cr->stagedir, "ks.cfg");
        int r = write_file(ks, st->ks_text, 0644);
        if (r < 0)
            log_fail("cannot write %s: %s", ks, strerror(errno));
        free(ks);
        if (r < 0)
            goto out;
    }
    log_info("installer kernel %s, %s %s", kver, st->product, st->version);
    rc = 0;
out:
    free(dracut), free(vmlinuz), free(initrd), free(initrd_rel), free(bs), free(bs_path), free(kver);
    return rc;
}

/* ---------------------------------------------------------------- unmount */

static int inst_unmount(struct creator *cr)
{
    (void)cr;
    return 0;
}

/* ------------------------------------------------------------------ stage */

static void free_state(struct creator *cr)
{
    struct inst_state *st = cr->priv;
    if (!st)
        return;
    free(st->ks_text);
    strv_free(&st->rpms);
    strv_free(&st->comps_urls);
    free(st->product), free(st->version), free(st->variant), free(st->mbr);
    free(st);
    cr->priv = NULL;
}

static int write_pxe(struct creator *cr, struct inst_state *st, char **outdir)
{
    char *dir = xasprintf("%s/%s-pxeboot", cr->outdir, cr->name);
    *outdir = dir;
    if (path_exists(dir) && rm_rf(dir) < 0)
        return log_fail("cannot remove the old %s: %s", dir, strerror(errno));
    char *src;
    int rc = 0;
    static const char *const files[][2] = { { KERNEL_ON_ISO, "vmlinuz" },
                                            { INITRD_ON_ISO, "initrd.img" },
                                            { STAGE2_ON_ISO, STAGE2_ON_ISO },
                                            { ".treeinfo", ".treeinfo" } };
    for (size_t i = 0; i < 4 && rc == 0; i++) {
        src = path_join(cr->stagedir, files[i][0]);
        rc = stage_copy(src, dir, files[i][1], 0644);
        free(src);
    }
    if (rc == 0 && st->ks_text) {
        src = path_join(cr->stagedir, "ks.cfg");
        rc = stage_copy(src, dir, "ks.cfg", 0644);
        free(src);
    }
    if (rc < 0)
        return -1;
    const char *url = "http://SERVER/PATH";
    char *ksurl = st->ks_text ? xasprintf("inst.ks=%s/ks.cfg", url) : xstrdup("");
    const char *extra = cr->kernel_args && *cr->kernel_args ? cr->kernel_args : "";
    char *pxelinux = xasprintf(
        "# Example PXELINUX configuration (pxelinux.cfg/default) written by kscreate.\n"
        "# Serve this directory over HTTP as %s (it holds images/install.img\n"
        "# and .treeinfo) and copy vmlinuz and initrd.img to the TFTP root.\n"
        "default install\n"
        "prompt 1\n"
        "timeout 600\n"
        "label install\n"
        "  menu label ^Install %s %s\n"
        "  kernel vmlinuz\n"
        "  append initrd=initrd.img inst.stage2=%s ip=dhcp %s%s%s\n",
        url, st->product, st->version, url, ksurl, *ksurl && *extra ? " " : "", extra);
    char *grub = xasprintf(
        "# Example GRUB configuration for UEFI network boot (grub.cfg) written by kscreate.\n"
        "set timeout=60\n"
        "menuentry 'Install %s %s' {\n"
        "\tlinux vmlinuz inst.stage2=%s ip=dhcp %s%s%s\n"
        "\tinitrd initrd.img\n"
        "}\n",
        st->product, st->version, url, ksurl, *ksurl && *extra ? " " : "", extra);
    char *p1 = path_join(dir, "pxelinux.cfg");
    char *p2 = path_join(p1, "default");
    char *p3 = path_join(dir, "grub.cfg");
    if (mkdir_p(p1, 0755) < 0 || write_file(p2, pxelinux, 0644) < 0 || write_file(p3, grub, 0644) < 0)
        rc = log_fail("cannot write the PXE configuration in %s: %s", dir, strerror(errno));
    free(p1), free(p2), free(p3), free(pxelinux), free(grub), free(ksurl);
    return rc;
}

static int inst_stage(struct creator *cr)
{
    struct inst_state *st = cr->priv;
    if (!st || !st->product)
        return log_fail("the installer runtime was never configured");
    int rc = -1;
    char *img = path_join(cr->stagedir, STAGE2_ON_ISO);
    char *iso = NULL, *pxedir = NULL;
    double t0 = now_seconds();

    /* install.img: squashfs of the runtime root (/proc, /sys, /dev, /run are
     * empty mount points again) */
    struct squashfs_comp comp = st->o.comp;
    squashfs_comp_resolve(&comp, NULL);   /* None: nothing to keep, the default */
    struct squashfs_opts so = { .comp = &comp, .uncompressed = st->o.skip_compression };
    if (squashfs_make(cr->instroot, img, &so) < 0)
        goto out;
    log_info("images/install.img written (%.1f s)", now_seconds() - t0);

    if (st->o.with_repo && st->rpms.n) {
        struct media_repo_opts mo = {
            .root = cr->stagedir,
            .rpms = (const char *const *)st->rpms.v,
            .n_rpms = st->rpms.n,
            .comps_urls = (const char *const *)st->comps_urls.v,
            .n_comps_urls = st->comps_urls.n,
        };
        if (media_repo_create(&mo) < 0)
            goto out;
    }

    bool efi = st->have_efi;
    struct treeinfo ti = {
        .root = cr->stagedir,
        .product = st->product,
        .version = st->version,
        .arch = ARCH,
        .variant = st->variant,
        .packages = st->o.with_repo && st->rpms.n,
        .timestamp = st->timestamp,
        .kernel = KERNEL_ON_ISO,
        .initrd = INITRD_ON_ISO,
        .efiboot = efi ? EFIBOOT_ON_ISO : NULL,
        .stage2 = STAGE2_ON_ISO,
    };
    char *tpath = path_join(cr->stagedir, ".treeinfo");
    char *dpath = path_join(cr->stagedir, ".discinfo");
    char *disc = discinfo_text((double)st->timestamp, st->product, st->version, ARCH);
    int r = treeinfo_write(&ti, tpath);
    if (r == 0 && write_file(dpath, disc, 0644) < 0)
        r = log_fail("cannot write %s: %s", dpath, strerror(errno));
    free(tpath), free(dpath), free(disc);
    if (r < 0)
        goto out;

    iso = xasprintf("%s/%s.iso", cr->outdir, cr->name);
    struct iso_opts io = {
        .srcdir = cr->stagedir,
        .output = iso,
        .volid = cr->fslabel,
        .mbr = st->mbr,
        .bios_boot = "isolinux/isolinux.bin",
        .boot_catalog = "isolinux/boot.cat",
        .efi_image = efi ? EFIBOOT_ON_ISO : NULL,
        .application_id = st->product,
        .implant_md5 = true,
    };
    if (iso_write(&io) < 0)
        goto out;
    creator_add_artifact(cr, iso);
    if (st->o.pxe) {
        if (write_pxe(cr, st, &pxedir) < 0)
            goto out;
        creator_add_artifact(cr, pxedir);
    }
    rc = 0;
out:
    free(pxedir);
    free(iso);
    free(img);
    free_state(cr);
    return rc;
}

const struct imgtype imgtype_installer = {
    .name = "installer",
    .description = "installation media as lorax makes them (boot.iso; DVD with a package repository)",
    .mount_instroot = inst_mount,
    .pre_install = inst_pre_install,
    .create_bootconfig = inst_bootconfig,
    .unmount_instroot = inst_unmount,
    .stage_final_image = inst_stage,
    .free_state = free_state,
};
