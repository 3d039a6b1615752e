/* bootcfg.h - fill boot loader configuration templates.
 *
 * Templates (config/isolinux.cfg.in, config/grub.cfg.in) contain
 * placeholders @WORD@ where WORD is [A-Z][A-Z0-9_]*:
 *   @TITLE@ @LABEL@ @KERNEL@ @INITRD@ @KARGS@ @TIMEOUT@ (seconds)
 *   @TIMEOUT10@ (tenths of seconds, for isolinux)
 * Every placeholder is replaced; an unknown one is an error.  Any other '@'
 * (e.g. "a@b", "@lowercase@") is copied unchanged.
 *
 * Contract: 0 on success, -1 after log_fail() on error.
 */
#ifndef KSC_BOOTCFG_H
#define KSC_BOOTCFG_H

struct bootcfg_vars {
    const char *title;    /* menu title, e.g. "Fedora-Live" */
    const char *label;    /* ISO volume id */
    const char *kernel;   /* path on the ISO, e.g. /images/pxeboot/vmlinuz */
    const char *initrd;   /* path on the ISO, e.g. /images/pxeboot/initrd.img */
    const char *kargs;    /* full kernel command line */
    int timeout;          /* seconds; < 0 treated as 0 */
};

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
