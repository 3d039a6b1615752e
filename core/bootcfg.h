/* bootcfg.h - fill boot loader configuration templates.
 *
 * Templates (config/isolinux.cfg.in, config/grub.cfg.in) contain
 * placeholders @WORD@ where WORD is [A-Z][A-Z0-9_]*:
 *   @TITLE@ @LABEL@ @KERNEL@ @INITRD@ @KARGS@ @TIMEOUT@ (seconds)
 *   @TIMEOUT10@ (tenths of seconds, for isolinux)
 *   @ENTRIES@ the menu entries (bootcfg_isolinux_entries/bootcfg_grub_entries)
 * Every placeholder is replaced; an unknown one is an error.  Any other '@'
 * (e.g. "a@b", "@lowercase@") is copied unchanged.
 *
 * Contract: 0 on success, -1 after log_fail() on error.
 */
#ifndef KSC_BOOTCFG_H
#define KSC_BOOTCFG_H

#include <stdbool.h>
#include <stddef.h>

struct bootcfg_vars {
    const char *title;    /* menu title, e.g. "Fedora-Live" */
    const char *label;    /* ISO volume id */
    const char *kernel;   /* path on the ISO, e.g. /images/pxeboot/vmlinuz */
    const char *initrd;   /* path on the ISO, e.g. /images/pxeboot/initrd.img */
    const char *kargs;    /* full kernel command line */
    int timeout;          /* seconds; < 0 treated as 0 */
    const char *entries;  /* @ENTRIES@; NULL: one entry for kernel/initrd/kargs */
    const char *product;  /* entry names "Start PRODUCT"; NULL: the title */
};

/* One kernel on the ISO.  The first is the default entry. */
struct bootcfg_kernel {
    const char *version;  /* e.g. 6.1.0-13-amd64; shown for all but the first */
    const char *kernel;   /* path on the ISO */
    const char *initrd;
};

/* livecd-creator's menus: per kernel "Start PRODUCT", with CHECK a media
 * check entry (rd.live.check), and in a Troubleshooting submenu "Start
 * PRODUCT in basic graphics mode" (nomodeset); isolinux adds "Boot from
 * local drive", BIOS GRUB (BIOS true) "Boot first/second drive".  Kernel
 * lines are "root=live:CDLABEL=<label> rd.live.image <kargs> [extra]".
 * v->label, v->kargs and v->product/title are used.  Return malloc'd text. */
char *bootcfg_isolinux_entries(const struct bootcfg_vars *v, const struct bootcfg_kernel *k,
                               size_t n, bool check);
char *bootcfg_grub_entries(const struct bootcfg_vars *v, const struct bootcfg_kernel *k, size_t n,
                           bool check, bool bios);

/* Substitute placeholders in TEXT; *out receives a malloc'd result.
 * WHERE names the source in error messages (may be NULL). */
int bootcfg_subst(const char *text, const struct bootcfg_vars *v, const char *where, char **out);

/* Read template TMPL, substitute, write OUT (mode 0644). */
int bootcfg_write(const char *tmpl, const char *out, const struct bootcfg_vars *v);

/* The live kernel command line: "root=live:CDLABEL=<label> rd.live.image"
 * followed by EXTRA (may be NULL/empty).  Blanks in the label are encoded as
 * \x20 as udev does in /dev/disk/by-label.  Returns a malloc'd string. */
char *bootcfg_live_kargs(const char *label, const char *extra);

#endif
