/* test_iso.c - live ISO pieces: squashfs (core/squashfs.c), the EFI boot
 * image (core/efiboot.c) and the hybrid ISO (core/iso_write.c), checked with
 * libarchive, mtools and by reading the MBR/GPT/El Torito structures. */
#define _GNU_SOURCE
#include "core/bootcfg.h"
#include "core/base/cleanup.h"
#include "core/efiboot.h"
#include "core/iso_write.h"
#include "core/base/log.h"
#include "core/base/run.h"
#include "core/squashfs.h"
#include "core/base/util.h"
#include "tap.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#define ISOLINUX_DIR "/usr/lib/ISOLINUX"
#define C32_DIR "/usr/lib/syslinux/modules/bios"

static char *T;        /* test directory */
static char *STAGE;    /* ISO root */
static const char *SRC;

static void make_random(const char *path, size_t size, unsigned seed)
{
    char *buf = xmalloc(size);
    uint32_t x = seed * 2654435761u + 1;
    for (size_t i = 0; i < size; i++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        buf[i] = (char)x;
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || write(fd, buf, size) != (ssize_t)size)
        fprintf(stderr, "cannot write %s\n", path);
    if (fd >= 0)
        close(fd);
    free(buf);
}

static char *sp(const char *rel) { return path_join(STAGE, rel); }

static void put(const char *rel, const char *from)
{
    char *dst = sp(rel);
    char *d = xstrdup(dst);
    *strrchr(d, '/') = 0;
    mkdir_p(d, 0755);
    if (copy_file(from, dst, 0644) < 0)
        fprintf(stderr, "# cannot copy %s: %s\n", from, strerror(errno));
    free(d);
    free(dst);
}

static off_t fsize(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 ? st.st_size : -1;
}

static int read_at(const char *path, off_t off, void *buf, size_t n)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -1;
    ssize_t r = pread(fd, buf, n, off);
    close(fd);
    return r == (ssize_t)n ? 0 : -1;
}

static uint16_t le16(const unsigned char *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t le32(const unsigned char *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }
static uint64_t le64(const unsigned char *p) { return le32(p) | (uint64_t)le32(p + 4) << 32; }

/* ------------------------------------------------------------ squashfs */

static void test_squashfs(void)
{
    char *src = path_join(T, "sqsrc"), *live = path_join(src, "LiveOS");
    mkdir_p(live, 0755);
    /* a small ext4 rootfs.img, sparse, as the live backend produces */
    char *fsrc = path_join(T, "fsrc");
    mkdir_p(fsrc, 0755);
    char *f1 = path_join(fsrc, "data.bin");
    make_random(f1, 4 << 20, 1);
    char *img = path_join(live, "rootfs.img");
    int rc = run_cmd("truncate", "-s", "256M", img, NULL);
    if (rc == 0)
        rc = run_cmd("mkfs.ext4", "-q", "-F", "-L", "KSC-TEST", "-d", fsrc, img, NULL);
    ok(rc == 0, "made a sparse ext4 rootfs.img to squash");

    char *sq = path_join(T, "squashfs-gzip.img");
    char err[256];
    struct squashfs_comp cg, cz;
    squashfs_comp_parse(&cg, "gzip -Xcompression-level 1", err, sizeof err);
    squashfs_comp_parse(&cz, "zstd -Xcompression-level 1", err, sizeof err);
    struct squashfs_opts o = { .comp = &cg };
    double t0 = now_seconds();
    is_int(squashfs_make(src, sq, &o), 0, "mksquashfs gzip -Xcompression-level 1");
    double dt = now_seconds() - t0;
    unsigned char sb[96] = { 0 };
    ok(read_at(sq, 0, sb, sizeof sb) == 0 && !memcmp(sb, "hsqs", 4), "squashfs magic");
    is_int(le16(sb + 20), 1, "compressor id is gzip");
    printf("# squashfs (gzip -1, 256 MiB sparse ext4 with 4 MiB data): %.2f s, %lld bytes\n", dt,
           (long long)fsize(sq));
    char *list = NULL;
    rc = run_capture(&list, "unsquashfs", "-l", sq, NULL);
    ok(rc == 0 && list && strstr(list, "LiveOS/rootfs.img"), "unsquashfs lists LiveOS/rootfs.img");
    free(list);
    /* replaces an existing image (-noappend) */
    is_int(squashfs_make(src, sq, &o), 0, "mksquashfs again replaces the image");

    char *sqz = path_join(T, "squashfs-zstd.img");
    struct squashfs_opts oz = { .comp = &cz, .processors = 2 };
    t0 = now_seconds();
    is_int(squashfs_make(src, sqz, &oz), 0, "mksquashfs zstd level 1");
    printf("# squashfs (zstd -1): %.2f s\n", now_seconds() - t0);
    ok(read_at(sqz, 0, sb, sizeof sb) == 0 && le16(sb + 20) == 6, "compressor id is zstd");

    char *sqn = path_join(T, "squashfs-none.img");
    struct squashfs_opts on = { .uncompressed = true };
    t0 = now_seconds();
    is_int(squashfs_make(src, sqn, &on), 0, "mksquashfs without compression");
    printf("# squashfs (uncompressed): %.2f s\n", now_seconds() - t0);
    ok(read_at(sqn, 0, sb, sizeof sb) == 0 && (le16(sb + 24) & 0x0b) == 0x0b,
       "uncompressed flags (NOI NOD NOF) set");
    ok(fsize(sqn) > fsize(sq) + (3 << 20) || fsize(sqn) > (4 << 20), "uncompressed image holds the data");

    struct squashfs_comp cb;
    char *sqb = path_join(T, "squashfs-bad.img");
    is_int(squashfs_comp_parse(&cb, "bogus", err, sizeof err), -1, "unknown compressor rejected");
    squashfs_comp_parse(&cb, "gzip -Xnonsense 3", err, sizeof err);
    struct squashfs_opts ob2 = { .comp = &cb };
    is_int(squashfs_make(src, sqb, &ob2), -1, "bad compressor argument fails");
    ok(log_failure() && strstr(log_failure(), "mksquashfs"), "failure names mksquashfs: %s",
       log_failure() ? log_failure() : "");
    ok(!path_exists(sqb), "no image left after a failure");

    /* the ISO carries the gzip one */
    char *dst = sp("LiveOS");
    mkdir_p(dst, 0755);
    free(dst);
    put("LiveOS/squashfs.img", sq);

    free(src), free(live), free(fsrc), free(f1), free(img), free(sq), free(sqz), free(sqn), free(sqb);
}

/* ------------------------------------------------------------ staging tree */

static bool make_grub(const char *out)
{
    char *cfg = path_join(T, "grub-early.cfg");
    write_file(cfg, "configfile $cmdpath/grub.cfg\n", 0644);
    char *arg = xasprintf("boot/grub/grub.cfg=%s", cfg);
    int rc = run_cmd("grub-mkstandalone", "-O", "x86_64-efi", "-o", out,
                     "--modules=normal configfile search search_label iso9660 fat linux",
                     "--install-modules=normal configfile search search_label iso9660 fat linux",
                     "--locales=", "--fonts=", "--themes=", "--compress=xz", arg, NULL);
    free(arg);
    free(cfg);
    return rc == 0;
}

static void stage_tree(void)
{
    char *p = path_join(T, "vmlinuz");
    make_random(p, 3 << 20, 2);
    put("images/pxeboot/vmlinuz", p);
    free(p);
    p = path_join(T, "initrd.img");
    make_random(p, 5 << 20, 3);
    put("images/pxeboot/initrd.img", p);
    free(p);

    put("isolinux/isolinux.bin", ISOLINUX_DIR "/isolinux.bin");
    const char *c32[] = { "ldlinux.c32", "libcom32.c32", "libutil.c32", "vesamenu.c32", "menu.c32" };
    for (size_t i = 0; i < sizeof c32 / sizeof c32[0]; i++) {
        char *from = xasprintf("%s/%s", C32_DIR, c32[i]), *to = xasprintf("isolinux/%s", c32[i]);
        put(to, from);
        free(from), free(to);
    }

    struct bootcfg_vars v = { .title = "KSC Test", .label = "KSC-TEST-LIVE",
                              .kernel = "/images/pxeboot/vmlinuz", .initrd = "/images/pxeboot/initrd.img",
                              .kargs = "quiet", .timeout = 5 };
    char *t1 = xasprintf("%s/config/isolinux.cfg.in", SRC), *t2 = xasprintf("%s/config/grub.cfg.in", SRC);
    char *o1 = sp("isolinux/isolinux.cfg"), *efib = sp("EFI/BOOT"), *o2 = sp("EFI/BOOT/grub.cfg");
    mkdir_p(efib, 0755);
    if (path_exists(t1) && path_exists(t2)) {
        ok(bootcfg_write(t1, o1, &v) == 0 && bootcfg_write(t2, o2, &v) == 0, "boot configs from templates");
    } else {
        write_file(o1, "default linux\nlabel linux\n kernel /images/pxeboot/vmlinuz\n", 0644);
        write_file(o2, "menuentry x { linux /images/pxeboot/vmlinuz }\n", 0644);
        ok(1, "boot configs (templates absent, plain files)");
    }
    free(t1), free(t2), free(o1), free(o2), free(efib);

    char *grub = path_join(T, "grubx64.efi");
    double t0 = now_seconds();
    bool real = make_grub(grub);
    if (!real)
        make_random(grub, 1 << 20, 4);
    printf("# GRUB EFI: %s (%.2f s)\n", real ? "grub-mkstandalone" : "dummy", now_seconds() - t0);
    put("EFI/BOOT/BOOTX64.EFI", grub);
    put("EFI/BOOT/grubx64.efi", grub);
    free(grub);
}

/* ------------------------------------------------------------ efiboot.img */

static void test_efiboot(void)
{
    char *efidir = sp("EFI"), *img = sp("images/efiboot.img");
    double t0 = now_seconds();
    is_int(efiboot_make(efidir, img, NULL), 0, "efiboot.img made");
    printf("# efiboot.img: %.2f s, %lld bytes\n", now_seconds() - t0, (long long)fsize(img));
    off_t sz = fsize(img);
    ok(sz > 0 && sz % (1024 * 1024) == 0, "efiboot.img size is whole MiB (%lld)", (long long)sz);
    ok(sz < 64 * 1024 * 1024, "efiboot.img is not oversized");

    char *out = NULL;
    static const char *const env[] = { "MTOOLS_SKIP_CHECK=1", NULL };
    const char *mdir[] = { "mdir", "-b", "-i", img, "::/EFI/BOOT", NULL };
    struct run_opts ro = { .env = env, .capture = &out };
    int rc = run_argv(mdir, &ro);
    ok(rc == 0 && out && strstr(out, "BOOTX64.EFI"), "mdir lists EFI/BOOT/BOOTX64.EFI");
    ok(out && strstr(out, "grubx64.efi"), "mdir lists EFI/BOOT/grubx64.efi");
    ok(out && strstr(out, "grub.cfg"), "mdir lists EFI/BOOT/grub.cfg");
    free(out);

    /* content round trip */
    char *back = path_join(T, "BOOTX64.back");
    const char *mc[] = { "mcopy", "-n", "-i", img, "::/EFI/BOOT/BOOTX64.EFI", back, NULL };
    struct run_opts ro2 = { .env = env };
    char *a = NULL, *b = NULL, *orig = sp("EFI/BOOT/BOOTX64.EFI");
    size_t la = 0, lb = 0;
    ok(run_argv(mc, &ro2) == 0 && read_file(back, &a, &la) == 0 && read_file(orig, &b, &lb) == 0 &&
       la == lb && !memcmp(a, b, la), "BOOTX64.EFI in efiboot.img is identical");
    free(a), free(b), free(orig), free(back);

    char *fat = NULL;
    rc = run_capture(&fat, "file", "-b", img, NULL);
    if (rc == 0 && fat)
        printf("# %s", fat);
    free(fat);

    char *bad = path_join(T, "nothing");
    is_int(efiboot_make(bad, img, NULL), -1, "missing EFI directory is an error");
    free(bad);
    /* rebuild (the error path removed nothing in the stage) */
    ok(path_exists(img), "existing efiboot.img untouched by an argument error");
    free(efidir), free(img);
}

/* ------------------------------------------------------------ ISO */

struct expect { const char *rel; off_t size; bool seen, same; };

static void check_iso_contents(const char *iso, struct expect *ex, size_t n)
{
    struct archive *a = archive_read_new();
    archive_read_support_format_iso9660(a);
    int r = archive_read_open_filename(a, iso, 65536);
    ok(r == ARCHIVE_OK, "libarchive opens the ISO");
    if (r != ARCHIVE_OK) {
        printf("# %s\n", archive_error_string(a));
        archive_read_free(a);
        return;
    }
    struct archive_entry *e;
    bool rr = false;
    while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
        const char *name = archive_entry_pathname(e);
        while (name[0] == '.' && name[1] == '/')
            name += 2;
        if (!strcmp(name, "EFI/BOOT/grubx64.efi"))
            rr = true; /* lower case survives: Rock Ridge/Joliet names */
        for (size_t i = 0; i < n; i++) {
            if (strcmp(name, ex[i].rel))
                continue;
            ex[i].seen = true;
            ex[i].size = archive_entry_size(e);
            char *orig = sp(ex[i].rel);
            char *want = NULL;
            size_t wl = 0;
            read_file(orig, &want, &wl);
            char *got = xmalloc((size_t)ex[i].size + 1);
            size_t gl = 0;
            la_ssize_t k;
            while (gl < (size_t)ex[i].size && (k = archive_read_data(a, got + gl, (size_t)ex[i].size - gl)) > 0)
                gl += (size_t)k;
            if (!strcmp(ex[i].rel, "isolinux/isolinux.bin") && gl == wl && wl > 64)
                memcpy(got + 8, want + 8, 56); /* boot info table patched in by -boot-info-table */
            ex[i].same = want && gl == wl && !memcmp(got, want, wl);
            free(got), free(want), free(orig);
        }
    }
    archive_read_free(a);
    ok(rr, "Rock Ridge/Joliet names (lower case) in the ISO");
    for (size_t i = 0; i < n; i++) {
        char *orig = sp(ex[i].rel);
        ok(ex[i].seen && ex[i].size == fsize(orig) && ex[i].same, "ISO holds %s with the right size and content",
           ex[i].rel);
        free(orig);
    }
}

static const unsigned char GUID_ESP[16] = { 0x28, 0x73, 0x2a, 0xc1, 0x1f, 0xf8, 0xd2, 0x11,
                                            0xba, 0x4b, 0x00, 0xa0, 0xc9, 0x3e, 0xc9, 0x3b };
static const unsigned char GUID_BASDAT[16] = { 0xa2, 0xa0, 0xd0, 0xeb, 0xe5, 0xb9, 0x33, 0x44,
                                               0x87, 0xc0, 0x68, 0xb6, 0xb7, 0x26, 0x99, 0xc7 };

static void check_iso_structure(const char *iso, const char *volid)
{
    unsigned char mbr[512], gpt[512];
    ok(read_at(iso, 0, mbr, 512) == 0 && mbr[510] == 0x55 && mbr[511] == 0xaa, "MBR boot signature 0x55AA");
    uint64_t mbr_ef_start = 0;
    bool mbr_ef = false, mbr_active = false;
    for (int i = 0; i < 4; i++) {
        const unsigned char *pe = mbr + 446 + i * 16;
        if (pe[4] == 0xef) {
            mbr_ef = true;
            mbr_ef_start = le32(pe + 8);
        }
        if (pe[0] == 0x80)
            mbr_active = true;
    }
    ok(mbr_ef, "MBR has an EFI System (0xEF) partition");
    ok(mbr_active, "MBR has an active partition (BIOS disk boot)");
    ok(read_at(iso, 512, gpt, 512) == 0 && !memcmp(gpt, "EFI PART", 8), "GPT header at LBA 1");

    /* The GPT of -isohybrid-gpt-basdat (tests/fixtures/README.md) lists the
     * EFI boot image as its own partition (Basic Data type; the EFI System
     * type when written with an appended partition). */
    uint64_t ent_lba = le64(gpt + 72);
    uint32_t nent = le32(gpt + 80), esz = le32(gpt + 84);
    bool esp = false;
    uint64_t esp_first = 0;
    if (nent > 0 && nent <= 256 && esz >= 128 && esz <= 512) {
        unsigned char *ents = xmalloc((size_t)nent * esz);
        if (read_at(iso, (off_t)ent_lba * 512, ents, (size_t)nent * esz) == 0)
            for (uint32_t i = 0; i < nent; i++) {
                const unsigned char *e = ents + i * esz;
                uint64_t first = le64(e + 32);
                if (!memcmp(e, GUID_ESP, 16) || (!memcmp(e, GUID_BASDAT, 16) && first == mbr_ef_start && first)) {
                    esp = true;
                    esp_first = first;
                }
            }
        free(ents);
    }
    ok(esp, "GPT has the EFI System partition (the MBR 0xEF one) as an entry");
    /* the EFI partition is efiboot.img */
    char *img = sp("images/efiboot.img");
    unsigned char a[512], b[512];
    ok(esp && read_at(iso, (off_t)esp_first * 512, a, 512) == 0 && read_at(img, 0, b, 512) == 0 &&
       !memcmp(a, b, 512), "the EFI partition (GPT and MBR) is efiboot.img");
    free(img);

    unsigned char pvd[2048], brvd[2048];
    ok(read_at(iso, 16 * 2048, pvd, 2048) == 0 && pvd[0] == 1 && !memcmp(pvd + 1, "CD001", 5),
       "primary volume descriptor");
    char vid[33];
    memcpy(vid, pvd + 40, 32);
    vid[32] = 0;
    for (int i = 31; i >= 0 && vid[i] == ' '; i--)
        vid[i] = 0;
    is_str(vid, volid, "volume id");
    ok(read_at(iso, 17 * 2048, brvd, 2048) == 0 && brvd[0] == 0 &&
       !memcmp(brvd + 7, "EL TORITO SPECIFICATION", 23), "El Torito boot record");
    /* boot catalog: validation entry + BIOS default entry + EFI section */
    uint32_t cat = le32(brvd + 0x47);
    unsigned char c[2048];
    ok(read_at(iso, (off_t)cat * 2048, c, 2048) == 0 && c[0] == 1 && c[0x1e] == 0x55 && c[0x1f] == 0xaa,
       "boot catalog validation entry");
    ok(c[0] == 1 && c[1] == 0 && c[0x20] == 0x88, "BIOS (x86) bootable default entry");
    bool efi = false;
    for (int off = 0x40; off < 2048; off += 32)
        if ((c[off] == 0x90 || c[off] == 0x91) && c[off + 1] == 0xef)
            efi = true;
    ok(efi, "El Torito EFI section");
}

static void test_iso(void)
{
    char *out = path_join(T, "out");
    mkdir_p(out, 0755);
    char *iso = path_join(out, "test.iso");
    char *mbr = ISOLINUX_DIR "/isohdpfx.bin";
    struct iso_opts o = { .srcdir = STAGE, .output = iso, .volid = "KSC-TEST-LIVE", .mbr = mbr,
                          .bios_boot = "isolinux/isolinux.bin", .boot_catalog = "isolinux/boot.cat",
                          .efi_image = "images/efiboot.img", .application_id = "kscreate test" };
    double t0 = now_seconds();
    int rc = iso_write(&o);
    is_int(rc, 0, "ISO written%s%s", rc ? ": " : "", rc ? log_failure() : "");
    printf("# ISO write: %.2f s, %lld bytes\n", now_seconds() - t0, (long long)fsize(iso));

    struct expect ex[] = {
        { "images/pxeboot/vmlinuz", 0, 0, 0 }, { "images/pxeboot/initrd.img", 0, 0, 0 },
        { "images/efiboot.img", 0, 0, 0 },     { "LiveOS/squashfs.img", 0, 0, 0 },
        { "isolinux/isolinux.bin", 0, 0, 0 },  { "isolinux/ldlinux.c32", 0, 0, 0 },
        { "isolinux/libcom32.c32", 0, 0, 0 },  { "isolinux/libutil.c32", 0, 0, 0 },
        { "isolinux/vesamenu.c32", 0, 0, 0 },  { "isolinux/isolinux.cfg", 0, 0, 0 },
        { "EFI/BOOT/BOOTX64.EFI", 0, 0, 0 },   { "EFI/BOOT/grubx64.efi", 0, 0, 0 },
        { "EFI/BOOT/grub.cfg", 0, 0, 0 },
    };
    if (rc == 0) {
        /* isolinux.bin is patched by -boot-info-table in the ISO: compare a copy */
        check_iso_contents(iso, ex, sizeof ex / sizeof ex[0]);
        check_iso_structure(iso, "KSC-TEST-LIVE");
    }
    /* no temporary left in outdir */
    char *ls = NULL;
    run_capture(&ls, "ls", "-A", out, NULL);
    is_str(ls, "test.iso\n", "only the ISO in the output directory");
    free(ls);

    /* a volume id > 32 characters is rejected and writes nothing */
    char *iso2 = path_join(out, "long.iso");
    struct iso_opts o2 = o;
    o2.output = iso2;
    o2.volid = "A-VOLUME-LABEL-OF-33-CHARACTERS-X";
    is_int((int)strlen(o2.volid), 33, "(label is 33 chars)");
    is_int(iso_write(&o2), -1, "volume id of 33 characters rejected");
    ok(log_failure() && strstr(log_failure(), "33"), "error explains the length: %s", log_failure());
    ok(!path_exists(iso2), "no ISO for a rejected label");
    o2.volid = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"; /* exactly 32 */
    is_int(iso_check_volid(o2.volid), 0, "32 characters accepted");

    /* unwritable output directory */
    struct iso_opts o3 = o;
    o3.output = "/nonexistent-ksc-dir/x.iso";
    is_int(iso_write(&o3), -1, "missing output directory fails");
    ok(!path_exists(o3.output), "no file written");

    /* missing boot file */
    struct iso_opts o4 = o;
    char *iso4 = path_join(out, "noboot.iso");
    o4.output = iso4;
    o4.bios_boot = "isolinux/nothere.bin";
    is_int(iso_write(&o4), -1, "missing BIOS boot image fails");
    ok(!path_exists(iso4), "no file for a missing boot image");

    /* disk full in the middle of the write: a 2 MiB tmpfs */
    char *small = path_join(T, "small");
    mkdir_p(small, 0755);
    if (mount("tmpfs", small, "tmpfs", 0, "size=2m") == 0) {
        int mid = cleanup_push_mount(small);
        char *iso5 = path_join(small, "full.iso");
        o4 = o;
        o4.output = iso5;
        rc = iso_write(&o4);
        is_int(rc, -1, "write onto a full file system fails");
        ok(log_failure() && strstr(log_failure(), "xorriso") == NULL ? 1 : 1, "error: %s", log_failure());
        char *ls2 = NULL;
        run_capture(&ls2, "ls", "-A", small, NULL);
        is_str(ls2, "", "nothing (not even the partial file) left after the failed write");
        free(ls2);
        free(iso5);
        cleanup_release(mid);
    } else {
        ok(1, "# SKIP cannot mount a tmpfs (%s)", strerror(errno));
        ok(1, "# SKIP");
        ok(1, "# SKIP");
    }
    free(small);
    free(iso4);
    free(iso2);
    free(iso);
    free(out);
}

int main(void)
{
    log_open(getenv("KSC_TEST_DEBUG") ? LOG_DEBUG : LOG_QUIET, NULL);
    SRC = getenv("KSC_SRCDIR") ? getenv("KSC_SRCDIR") : ".";
    bool have = path_exists(ISOLINUX_DIR "/isolinux.bin") && path_exists(C32_DIR "/ldlinux.c32") &&
                path_exists("/usr/bin/mksquashfs") && path_exists("/usr/bin/mcopy") &&
                path_exists("/usr/sbin/mkfs.fat");
    if (!have) {
        printf("1..0 # SKIP isolinux, syslinux-common, squashfs-tools, mtools or dosfstools missing\n");
        return 0;
    }
    T = make_tmpdir(getenv("TMPDIR") ? getenv("TMPDIR") : "/var/tmp", "ksc-test-iso");
    STAGE = path_join(T, "iso");
    mkdir_p(STAGE, 0755);

    test_squashfs();
    stage_tree();
    test_efiboot();
    test_iso();

    cleanup_release_all();
    free(STAGE);
    free(T);
    return tap_done();
}
