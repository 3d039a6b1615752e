/* livename.h - livecd-creator's default image name, label and title rules.
 *
 *   name    = build(ks, "<type>-", NULL, 0)        e.g. livecd-fedora-202401011200
 *   label   = build(ks, "<type>-", "<arch>-<stamp>", 32)
 *   title   = product = the first two '-' fields of the name, title-cased
 * build(): the kickstart base name without its extension (and without PREFIX
 * when it already starts with it), then PREFIX + base + "-" + SUFFIX; SUFFIX
 * defaults to the YYYYMMDDHHMM stamp.  When MAXLEN > 0 and the result is
 * longer, the prefix is dropped and the base shortened so the suffix fits.
 * The stamp is the local time of SOURCE_DATE_EPOCH when set, else now.
 * All results are malloc'd.
 */
#ifndef KSC_LIVENAME_H
#define KSC_LIVENAME_H

#include <stddef.h>

char *livename_stamp(void);
char *livename_build(const char *ksfile, const char *prefix, const char *suffix, size_t maxlen);
char *livename_title(const char *name);

#endif
