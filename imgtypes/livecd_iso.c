/* livecd_iso.c - the live medium (see livecd_internal.h): the staged tree
 * (LIVE_ROOT) as <outdir>/<name>.iso with media check data, its SHA-256
 * <name>-CHECKSUM and, with --resultdir, the compose outputs
 * (core/compose_result.h).
 */
#define _GNU_SOURCE
#include "imgtypes/livecd_internal.h"
#include "core/base/checksum.h"
#include "core/base/log.h"
#include "core/base/reproducible.h"
#include "core/base/util.h"
#include "core/compose_result.h"
#include "core/creator.h"
#include "core/iso_write.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/utsname.h>

/* The boot layout chosen by the boot staging (livecd_boot.c). */
static void iso_boot_layout(const struct live_state *st, struct iso_opts *io)
{
    if (st->grub_bios) {
        io->grub2_mbr = st->grub_mbr;
        io->bios_boot = "images/eltorito.img";
        io->boot_catalog = "boot.cat";
        io->efi_append = st->have_efi ? st->efiboot : NULL;
        if (!st->grub_mbr) {
            /* no hybrid MBR: plain El Torito */
            io->grub2_mbr = NULL;
            io->efi_image = NULL;
        }
    } else {
        io->mbr = st->mbr;
        io->bios_boot = "isolinux/isolinux.bin";
        io->boot_catalog = "isolinux/boot.cat";
        io->efi_image = st->have_efi ? "images/efiboot.img" : NULL;
    }
}

/* SHA-256 CHECKSUM next to the ISO, as Pungi writes it; the sum in *SUM */
static int write_checksum(struct creator *cr, struct live_state *st, const char *iso, char **sum)
{
    double t0 = now_seconds();
    if (checksum_file(iso, "sha256", sum) < 0)
        return -1;
    char *csum = xasprintf("%s/%s-CHECKSUM", cr->outdir, cr->name);
    const char *files[] = { iso, NULL }, *sums[] = { *sum, NULL };
    int rc = checksum_write_file(csum, files, sums);
    if (rc == 0) {
        st->t_checksum = now_seconds() - t0;
        creator_add_artifact(cr, csum);
    }
    free(csum);
    return rc;
}

/* --resultdir: result JSON, manifests, SBOM, the phase and step timings */
static int write_compose_result(struct creator *cr, const struct live_state *st, const char *iso,
                                const char *sum, const char *md5)
{
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
    return compose_result_write(&res);
}

int live_iso_write(struct creator *cr, struct live_state *st)
{
    if (st->sde >= 0) {
        long n = reproducible_clamp_tree(cr->stagedir, st->sde);
        log_debug("SOURCE_DATE_EPOCH: %ld ISO tree times clamped", n);
    }
    double t0 = now_seconds();
    char *iso = xasprintf("%s/%s.iso", cr->outdir, cr->name), *sum = NULL;
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
    iso_boot_layout(st, &io);
    int rc = iso_write(&io);
    if (rc == 0) {
        st->t_iso = now_seconds() - t0;
        creator_add_artifact(cr, iso);
        rc = write_checksum(cr, st, iso, &sum);
    }
    if (rc == 0 && cr->resultdir)
        rc = write_compose_result(cr, st, iso, sum, md5);
    free(sum);
    free(iso);
    return rc;
}
