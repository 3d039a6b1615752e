/* test_partition.c - partition layout planning, libfdisk tables, grub.cfg
 * and libvirt XML text (no root needed: tables are written to plain files). */
#define _GNU_SOURCE
#include "tap.h"
#include "core/bootloader_disk.h"
#include "core/libvirt_xml.h"
#include "core/base/log.h"
#include "core/partition.h"
#include "core/base/util.h"
#include "kickstart/ks.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A kickstart model with the given part lines, built by hand so that these
 * tests do not depend on the parser.  Each spec: "mnt size maxsize fstype
 * flags ondisk" with "-" for unset; flags: g = grow, p = asprimary. */
static struct kickstart *mk(const char *const *specs)
{
    struct kickstart *ks = xcalloc(1, sizeof *ks);
    ks->filename = xstrdup("t.ks");
    size_t n = 0;
    while (specs[n])
        n++;
    ks->parts = xcalloc(n ? n : 1, sizeof *ks->parts);
    ks->n_parts = n;
    for (size_t i = 0; i < n; i++) {
        char mnt[64], size[32], max[32], fst[32], flags[16], disk[32];
        int got = sscanf(specs[i], "%63s %31s %31s %31s %15s %31s", mnt, size, max, fst, flags, disk);
        struct ks_part *p = &ks->parts[i];
        p->loc.file = xstrdup("t.ks");
        p->loc.line = (int)i + 1;
        p->mntpoint = xstrdup(mnt);
        p->size = got > 1 && strcmp(size, "-") ? atol(size) : -1;
        p->maxsize = got > 2 && strcmp(max, "-") ? atol(max) : -1;
        p->fstype = got > 3 && strcmp(fst, "-") ? xstrdup(fst) : NULL;
        p->grow = got > 4 && strchr(flags, 'g');
        p->asprimary = got > 4 && strchr(flags, 'p');
        p->ondisk = got > 5 && strcmp(disk, "-") ? xstrdup(disk) : NULL;
    }
    return ks;
}

static void ks_done(struct kickstart *ks)
{
    for (size_t i = 0; i < ks->n_parts; i++) {
        free(ks->parts[i].loc.file);
        free(ks->parts[i].mntpoint);
        free(ks->parts[i].fstype);
        free(ks->parts[i].ondisk);
    }
    free(ks->parts);
    free(ks->filename);
    free(ks);
}

static struct part_layout *plan(const char *const *specs, enum part_label label, uint64_t disk_mib)
{
    struct kickstart *ks = mk(specs);
    struct part_plan_opts o = { 0 };
    o.label = label;
    o.bios = true;
    o.uefi = label == PART_LABEL_GPT;
    o.disk_bytes = disk_mib * PART_MIB;
    struct part_layout *l = NULL;
    if (part_plan(ks, &o, &l) < 0)
        l = NULL;
    ks_done(ks);
    return l;
}

/* 0 if planning fails with a message containing want */
static int plan_fails(const char *const *specs, enum part_label label, uint64_t disk_mib, const char *want)
{
    struct part_layout *l = plan(specs, label, disk_mib);
    if (l) {
        part_layout_free(l);
        printf("#   planning succeeded, expected '%s'\n", want);
        return -1;
    }
    const char *why = log_failure();
    if (!why || !strstr(why, want)) {
        printf("#   got: '%s'\n#   expected to contain: '%s'\n", why ? why : "(none)", want);
        return -1;
    }
    return 0;
}

static int mib(uint64_t b) { return (int)(b >> 20); }

/* part_write_table into a scratch file, removed again */
static int write_table(struct part_layout *l)
{
    char tmpl[] = "/tmp/ksc-part-XXXXXX";
    int fd = mkstemp(tmpl);
    if (fd < 0)
        return -1;
    close(fd);
    int rc = part_write_table(l, 0, tmpl);
    unlink(tmpl);
    return rc;
}

/* GPT: biosboot and the ESP first, then the kickstart order */
static const char *const gpt[] = { "/boot 64 - ext4", "/boot/efi 32 - efi", "/ 200 - ext4", "swap 16", NULL };

static void case_gpt_biosboot_and_esp_first(void)
{
    struct part_layout *l = plan(gpt, PART_LABEL_GPT, 0);
    ok(l != NULL, "GPT layout plans");
    if (!l)
        return;
    is_int(l->nparts, 5, "biosboot added: 5 partitions");
    is_str(l->parts[0].mntpoint, "biosboot", "1: biosboot");
    is_int(l->parts[0].kind, PART_BIOSBOOT, "biosboot kind");
    is_str(l->parts[1].mntpoint, "/boot/efi", "2: ESP");
    is_str(l->parts[1].fstype, "vfat", "--fstype=efi is vfat");
    is_str(l->parts[2].mntpoint, "/boot", "3: /boot");
    is_str(l->parts[3].mntpoint, "/", "4: /");
    is_int(l->parts[4].kind, PART_SWAP, "5: swap");
    is_int(l->parts[4].partno, 5, "swap is partition 5");
    is_int(mib(l->disks[0].bytes), 1 + 32 + 64 + 200 + 16 + 2, "disk = partitions + 2 MiB");
    is_str(l->parts[l->root].mntpoint, "/", "root index");
    part_layout_free(l);
}

static void case_gpt_table_written_with_libfdisk(void)
{
    struct part_layout *l = plan(gpt, PART_LABEL_GPT, 0);
    ok(l && write_table(l) == 0, "GPT table written with libfdisk");
    if (!l)
        return;
    is_int(mib(l->parts[0].start), 1, "biosboot at 1 MiB");
    int contiguous = 1, sizes = 1;
    for (size_t i = 1; i < l->nparts; i++)
        contiguous &= l->parts[i].start == l->parts[i - 1].start + l->parts[i - 1].size;
    for (size_t i = 0; i < l->nparts; i++)
        sizes &= l->parts[i].size == l->parts[i].bytes;
    ok(contiguous, "partitions follow each other (1 MiB aligned)");
    ok(sizes, "sizes read back as planned");
    ok(l->parts[3].start + l->parts[3].size <= l->disks[0].bytes - 33 * 512, "room for the backup GPT");
    ok(strlen(l->parts[3].partuuid) == 36, "GPT partition UUID read back (%s)", l->parts[3].partuuid);
    part_layout_free(l);
}

/* MBR: no BIOS boot partition (GRUB uses the gap), no automatic ESP */
static void case_mbr_no_biosboot_no_esp(void)
{
    const char *const mbr[] = { "biosboot 1", "/ 100 - ext4", "swap 8", NULL };
    struct part_layout *l = plan(mbr, PART_LABEL_MBR, 0);
    ok(l && l->nparts == 2, "MBR: biosboot dropped, no ESP added");
    if (!l)
        return;
    ok(write_table(l) == 0, "MBR table written");
    is_int(mib(l->parts[0].start), 1, "first partition at 1 MiB");
    ok(l->disks[0].label_id && !strncmp(l->disks[0].label_id, "0x", 2), "disk id %s", l->disks[0].label_id);
    ok(strlen(l->parts[0].partuuid) == 11, "MBR PARTUUID %s", l->parts[0].partuuid);
    part_layout_free(l);
}

/* MBR with more than four partitions: extended + logical; --asprimary honoured */
static void case_mbr_logical_partitions_asprimary_honoured(void)
{
    const char *const many[] = { "/ 20 - ext4", "/var 8", "/home 8", "/srv 8", "/opt 8", "/tmp 8 - - p", NULL };
    struct part_layout *l = plan(many, PART_LABEL_MBR, 0);
    ok(l != NULL, "6 partitions on MBR plan");
    if (!l)
        return;
    struct part_spec *tmp = part_find(l, "/tmp"), *opt = part_find(l, "/opt"), *srv = part_find(l, "/srv");
    ok(tmp && !tmp->logical && tmp->partno <= 3, "--asprimary partition is primary (%d)", tmp ? tmp->partno : -1);
    ok(opt && opt->logical && opt->partno >= 5, "later partition is logical (%d)", opt ? opt->partno : -1);
    ok(srv && srv->logical, "/srv logical");
    ok(write_table(l) == 0, "MBR with logical partitions written");
    int fits = 1, noover = 1;
    for (size_t i = 0; i < l->nparts; i++) {
        fits &= l->parts[i].start + l->parts[i].size <= l->disks[0].bytes && l->parts[i].size == l->parts[i].bytes;
        for (size_t j = 0; j < l->nparts; j++)
            if (i != j && l->parts[i].start < l->parts[j].start + l->parts[j].size &&
                l->parts[j].start < l->parts[i].start + l->parts[i].size)
                noover = 0;
    }
    ok(fits, "all partitions inside the disk with their sizes");
    ok(noover, "no overlaps");
    part_layout_free(l);
}

/* --grow and --maxsize */
static const char *const grow[] = { "/ 100 - ext4 g", "/home 50 120 ext4 g", NULL };

static void case_grow_to_maxsize_on_fixed_disk(void)
{
    struct part_layout *l = plan(grow, PART_LABEL_MBR, 1024);
    ok(l != NULL, "grow layout plans");
    if (!l)
        return;
    is_int(mib(part_find(l, "/home")->bytes), 120, "/home grows to --maxsize");
    is_int(mib(part_find(l, "/")->bytes), 1024 - 2 - 120, "/ takes the rest");
    part_layout_free(l);
}

static void case_grow_without_disk_size(void)
{
    struct part_layout *l = plan(grow, PART_LABEL_MBR, 0);
    if (!l)
        return;
    is_int(mib(part_find(l, "/home")->bytes), 120, "no disk size: --grow --maxsize takes the maximum");
    is_int(mib(part_find(l, "/")->bytes), 100, "no disk size: --grow without max keeps --size");
    part_layout_free(l);
}

static const char *const disks[] = { "/ 100 - ext4 - sda", "/data 50 - xfs - /dev/sdb", NULL };

static void case_ondisk_gives_two_disks(void)
{
    struct part_layout *l = plan(disks, PART_LABEL_GPT, 0);
    ok(l && l->ndisks == 2, "--ondisk gives two disks");
    if (!l)
        return;
    is_str(l->disks[1].name, "sdb", "/dev/ prefix stripped");
    is_int(part_find(l, "/data")->partno, 1, "/data is sdb1");
    ok(part_find(l, "biosboot")->disk == 0, "biosboot on the root's disk");
    part_layout_free(l);
}

static void case_boot_drive_moves_added_boot_partitions(void)
{
    struct kickstart *ks = mk(disks);
    struct part_plan_opts o = { 0 };
    o.label = PART_LABEL_GPT;
    o.bios = o.uefi = true;
    o.boot_drive = "sdb";
    struct part_layout *lb = NULL;
    ok(part_plan(ks, &o, &lb) == 0, "--boot-drive sdb plans");
    if (lb) {
        is_int(lb->bootdisk, 1, "boot disk is sdb");
        ok(part_find(lb, "biosboot")->disk == 1 && part_find(lb, "/boot/efi")->disk == 1,
           "biosboot and ESP on the boot drive");
        is_int(part_find(lb, "/data")->partno, 3, "/data after them on sdb");
        part_layout_free(lb);
    }
    ks_done(ks);
}

static void case_reqpart_add_boot_adds_boot_partitions(void)
{
    const char *const only_root[] = { "/ 100 - ext4", NULL };
    struct kickstart *ks = mk(only_root);
    struct part_plan_opts o = { 0 };
    o.label = PART_LABEL_GPT;
    o.reqpart = o.reqpart_add_boot = true;
    struct part_layout *lr = NULL;
    ok(part_plan(ks, &o, &lr) == 0, "reqpart --add-boot plans");
    if (lr) {
        ok(part_find(lr, "biosboot") && part_find(lr, "/boot/efi") && part_find(lr, "/boot"),
           "reqpart adds biosboot, /boot/efi and /boot");
        is_int(mib(part_find(lr, "/boot/efi")->bytes), 200, "ESP 200 MiB");
        part_layout_free(lr);
    }
    ks_done(ks);
}

/* errors, all before anything is written */
struct bad_plan {
    const char *specs[3];
    enum part_label label;
    uint64_t disk_mib;
    const char *want, *name;
};

static void check_bad_plans(const struct bad_plan *b)
{
    for (; b->name; b++)
        ok(plan_fails(b->specs, b->label, b->disk_mib, b->want) == 0, "%s", b->name);
}

static void case_plan_rejects_bad_partitions(void)
{
    static const struct bad_plan bad[] = {
        { { "/ 100", "/ 200" }, PART_LABEL_GPT, 0, "two root partitions", "two roots rejected" },
        { { "/ 100 - ext5" }, PART_LABEL_GPT, 0, "unknown filesystem type 'ext5'", "unknown fstype rejected" },
        { { "/ 100 - ext5" }, PART_LABEL_GPT, 0, "t.ks:1:", "error carries file:line" },
        { { "/boot 100" }, PART_LABEL_GPT, 0, "no root partition", "missing / rejected" },
        { { "/ 100", "swap 10 - ext4" }, PART_LABEL_GPT, 0, "swap cannot have --fstype=ext4",
          "swap with another fstype rejected" },
        { { "/ 100", "/boot/efi 100 - xfs" }, PART_LABEL_GPT, 0, "must be vfat", "xfs ESP rejected" },
        { { "/ 100", "home 10" }, PART_LABEL_GPT, 0, "unsupported mount point 'home'",
          "relative mount point rejected" },
        { { 0 }, 0, 0, NULL, NULL },
    };
    check_bad_plans(bad);
}

static void case_plan_rejects_bad_sizes(void)
{
    static const struct bad_plan bad[] = {
        { { "/ 100 50" }, PART_LABEL_GPT, 0, "--maxsize=50 is smaller than --size=100", "maxsize < size rejected" },
        { { "/ 900", "/home 200" }, PART_LABEL_GPT, 1024, "t.ks:1: the partitions on disk sda need 1301 MiB",
          "sizes that do not fit rejected" },
        { { "/ 3000000" }, PART_LABEL_MBR, 0, "cannot address more than 2 TiB", "MBR over 2 TiB rejected" },
        { { "/ -" }, PART_LABEL_GPT, 0, "no --size", "missing --size rejected" },
        { { "/ 0" }, PART_LABEL_GPT, 0, "at least 1", "--size 0 rejected" },
        { { 0 }, 0, 0, NULL, NULL },
    };
    check_bad_plans(bad);
}

/* --- grub.cfg ------------------------------------------------------------- */

static const char *const kv[] = { "6.1.0-1", "5.10.0-9", NULL };

static void case_grub_cfg_boot_partition_entries(void)
{
    char *cfg = bootdisk_grub_cfg("Fixture", kv, "", "BOOT-UUID", "ROOT-UUID", "ext4", "console=ttyS0", 3, true);
    ok(strstr(cfg, "set timeout=3\n") != NULL, "grub.cfg timeout");
    ok(strstr(cfg, "search --no-floppy --fs-uuid --set=root BOOT-UUID") != NULL, "grub.cfg finds /boot by UUID");
    ok(strstr(cfg, "linux /vmlinuz-6.1.0-1 root=UUID=ROOT-UUID ro console=ttyS0\n") != NULL, "kernel line");
    ok(strstr(cfg, "initrd /initramfs-6.1.0-1.img") != NULL, "initrd line");
    ok(strstr(cfg, "serial --unit=0") != NULL, "serial terminal with console=ttyS0");
    ok(strstr(cfg, "'Fixture (6.1.0-1)'") < strstr(cfg, "'Fixture (5.10.0-9)'"), "entries in the given order");
    free(cfg);
}

static void case_grub_cfg_without_boot_partition(void)
{
    char *cfg = bootdisk_grub_cfg("F", kv, "/boot", "R", "R", "xfs", "", 0, false);
    ok(strstr(cfg, "linux /boot/vmlinuz-6.1.0-1 root=UUID=R ro rootfstype=xfs\n") != NULL, "no /boot partition: /boot prefix");
    ok(strstr(cfg, "insmod xfs") != NULL && !strstr(cfg, "initrd"), "xfs module, no initrd");
    free(cfg);
}

/* --- libvirt XML ---------------------------------------------------------- */

static struct vm_disk vm_disks[2] = { { "/img/a<b>.qcow2", "qcow2" }, { "/img/b.raw", "raw" } };

static void case_libvirt_xml_uefi_escaped_disks(void)
{
    char *x = libvirt_domain_xml("vm&1", "v 1 <r>", 1024, 2, true, vm_disks, 2);
    ok(strstr(x, "<name>vm&amp;1</name>") != NULL, "name escaped");
    ok(strstr(x, "<description>v 1 &lt;r&gt;</description>") != NULL, "description escaped");
    ok(strstr(x, "<memory unit='MiB'>1024</memory>") && strstr(x, "<vcpu placement='static'>2</vcpu>"), "memory and vcpus");
    ok(strstr(x, "firmware='efi'") != NULL, "UEFI firmware");
    ok(strstr(x, "type='qcow2'") && strstr(x, "a&lt;b&gt;.qcow2") && strstr(x, "dev='vdb'"), "disks with formats");
    ok(strstr(x, "<console type='pty'>") != NULL, "serial console");
    free(x);
}

static void case_libvirt_xml_bios_without_description(void)
{
    char *x = libvirt_domain_xml("vm", NULL, 512, 1, false, vm_disks, 1);
    ok(!strstr(x, "firmware=") && !strstr(x, "<description>"), "BIOS: no firmware attribute, no description");
    free(x);
}

static const struct tap_case cases[] = {
    TAP_CASE(case_gpt_biosboot_and_esp_first),
    TAP_CASE(case_gpt_table_written_with_libfdisk),
    TAP_CASE(case_mbr_no_biosboot_no_esp),
    TAP_CASE(case_mbr_logical_partitions_asprimary_honoured),
    TAP_CASE(case_grow_to_maxsize_on_fixed_disk),
    TAP_CASE(case_grow_without_disk_size),
    TAP_CASE(case_ondisk_gives_two_disks),
    TAP_CASE(case_boot_drive_moves_added_boot_partitions),
    TAP_CASE(case_reqpart_add_boot_adds_boot_partitions),
    TAP_CASE(case_plan_rejects_bad_partitions),
    TAP_CASE(case_plan_rejects_bad_sizes),
    TAP_CASE(case_grub_cfg_boot_partition_entries),
    TAP_CASE(case_grub_cfg_without_boot_partition),
    TAP_CASE(case_libvirt_xml_uefi_escaped_disks),
    TAP_CASE(case_libvirt_xml_bios_without_description),
    { 0 },
};

int main(int argc, char **argv)
{
    log_open(LOG_QUIET, NULL);
    int rc = tap_run(cases, argc, argv);
    log_close();
    return rc;
}
