/* partition.h - partition layout of disk images from `part`/`reqpart` lines.
 *
 * Contract:
 *  - part_plan() turns the kickstart's partitions into a validated layout:
 *    which disk (--ondisk, default "sda"), which partition number, what kind
 *    (filesystem, swap, BIOS boot, EFI System), its size in bytes (--size,
 *    --grow up to --maxsize) and the size of every disk.  It writes nothing:
 *    every error (sizes that do not fit, two roots, unknown fstype, no root,
 *    --maxsize below --size, ...) is reported with the kickstart file and line
 *    through log_fail() and -1 is returned.
 *  - part_write_table() writes one disk's label (GPT or MBR) to a file with
 *    libfdisk (never hand-packed bytes) and reads back each partition's
 *    start and size (the offsets loop devices use).
 *  - part_layout_free() releases a layout.
 */
#ifndef KSC_PARTITION_H
#define KSC_PARTITION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kickstart;
struct ks_part;

#define PART_MIB (UINT64_C(1) << 20)

enum part_label { PART_LABEL_GPT, PART_LABEL_MBR };
enum part_kind { PART_FS, PART_SWAP, PART_BIOSBOOT, PART_ESP, PART_PREPBOOT };

struct part_plan_opts {
    enum part_label label;      /* GPT default; MBR from clearpart --disklabel=msdos */
    bool bios;                  /* add a BIOS boot partition on GPT when missing */
    bool uefi;                  /* add an EFI System Partition when missing */
    bool reqpart, reqpart_add_boot;
    uint64_t disk_bytes;        /* fixed size of every disk, 0 = sum of the partitions */
    uint64_t esp_mib, boot_mib; /* sizes of added partitions (0 = 200 / 512) */
    const char *boot_drive;     /* bootloader --boot-drive: disk for the boot loader */
};

struct part_spec {
    const struct ks_part *ks;   /* NULL when added (reqpart, biosboot, ESP) */
    char *file; int line;       /* kickstart location for messages ("" / 0 if added) */
    char *mntpoint;             /* "/", "/boot", "/boot/efi", "swap", "biosboot" */
    char *fstype;               /* ext4, xfs, btrfs, vfat, swap, biosboot, prepboot */
    char *label, *fsoptions;
    enum part_kind kind;
    uint64_t min_bytes, max_bytes;  /* max 0 = unlimited */
    bool grow, asprimary;
    /* layout result */
    size_t disk;                /* index in layout->disks */
    int partno;                 /* 1-based number in the table */
    bool logical;               /* MBR logical partition */
    uint64_t bytes;             /* planned size */
    uint64_t start, size;       /* bytes, read back from the written table */
    char uuid[64];              /* filesystem UUID after mkfs (filled by the backend) */
    char partuuid[64];          /* GPT partition UUID / MBR id-nn, read back */
};

struct part_disk {
    char *name;                 /* "sda" */
    uint64_t bytes;
    size_t nparts;              /* partitions on this disk */
    char *label_id;             /* disk identifier read back */
};

struct part_layout {
    enum part_label label;
    struct part_disk *disks; size_t ndisks;
    struct part_spec *parts; size_t nparts;    /* in table order per disk */
    int root;                   /* index of "/" */
    size_t bootdisk;            /* disk that gets the boot loader (index in disks) */
};

int  part_plan(const struct kickstart *ks, const struct part_plan_opts *o, struct part_layout **out);
void part_layout_free(struct part_layout *l);

/* Create (truncate to size) and partition the file for disk index D. */
int  part_write_table(struct part_layout *l, size_t d, const char *path);

/* Find a partition by mount point, NULL if absent. */
struct part_spec *part_find(struct part_layout *l, const char *mntpoint);

/* Human-readable summary (one line per partition) into a malloc'd string. */
char *part_describe(const struct part_layout *l);

const char *part_label_name(enum part_label l);   /* "gpt" / "dos" */
int part_label_parse(const char *s, enum part_label *out); /* gpt, msdos, mbr, dos */

#endif
