/* stage.c - see stage.h */
#include "core/stage.h"
#include "core/base/log.h"
#include "core/base/util.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int stage_copy(const char *src, const char *stagedir, const char *rel, mode_t mode)
{
    char *dst = path_join(stagedir, rel);
    char *dir = xstrdup(dst);
    *strrchr(dir, '/') = 0;
    int rc = 0;
    if (mkdir_p(dir, 0755) < 0 || copy_file(src, dst, mode) < 0)
        rc = log_fail("cannot copy %s to %s: %s", src, dst, strerror(errno));
    free(dir);
    free(dst);
    return rc;
}

char *stage_syslinux_file(const char *root, const char *file)
{
    static const char *const dirs[] = { "usr/share/syslinux", "usr/lib/syslinux/modules/bios",
                                        "usr/lib/ISOLINUX", "usr/lib/syslinux/mbr", "usr/lib/syslinux" };
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        char *p = xasprintf("%s/%s/%s", root, dirs[i], file);
        if (path_exists(p))
            return p;
        free(p);
    }
    return NULL;
}

int stage_isolinux_files(const char *root, const char *stagedir, const struct stage_file *files, size_t n,
                         const char *where, const char *packages)
{
    int optional = 0;
    for (size_t i = 0; i < n; i++) {
        char *src = stage_syslinux_file(root, files[i].name);
        if (!src) {
            if (files[i].required)
                return log_fail("%s is not in %s (/usr/share/syslinux): add 'syslinux' to %s", files[i].name,
                                where, packages);
            continue;
        }
        char *rel = xasprintf("isolinux/%s", files[i].name);
        int rc = stage_copy(src, stagedir, rel, 0644);
        free(rel);
        free(src);
        if (rc < 0)
            return -1;
        if (!files[i].required)
            optional++;
    }
    return optional;
}

char *stage_efi_vendor(const char *root)
{
    char *efiroot = path_join(root, "boot/efi/EFI");
    char *vendor = NULL;
    DIR *d = opendir(efiroot);
    if (d) {
        struct dirent *de;
        while ((de = readdir(d))) {
            if (de->d_name[0] == '.' || !strcasecmp(de->d_name, "BOOT"))
                continue;
            char *g = xasprintf("%s/%s/grubx64.efi", efiroot, de->d_name);
            if (path_exists(g) && (!vendor || strcmp(de->d_name, vendor) < 0)) {
                free(vendor);
                vendor = xstrdup(de->d_name);
            }
            free(g);
        }
        closedir(d);
    }
    free(efiroot);
    return vendor;
}
