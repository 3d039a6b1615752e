/* iso_write.c - see iso_write.h */
#define _GNU_SOURCE
#include "iso_write.h"
#include "cleanup.h"
#include "log.h"
#include "run.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libgen.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libisoburn/xorriso.h>

int iso_check_volid(const char *volid)
{
    if (!volid || !*volid)
        return log_fail("the ISO volume id (file system label) is empty");
    size_t n = strlen(volid);
    if (n > ISO_VOLID_MAX)
        return log_fail("the ISO volume id '%s' is %zu characters long; at most %d are allowed",
                        volid, n, ISO_VOLID_MAX);
    for (const unsigned char *p = (const unsigned char *)volid; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return log_fail("the ISO volume id contains a control character");
    return 0;
}

/* ---- messages from the xorriso watcher thread ---- */

struct msgstate {
    pthread_mutex_t lock;
    char *failure;     /* last FAILURE/FATAL/SORRY message */
};
/* The watcher thread's state.  File-scope (one ISO is written at a time):
 * the handle libisoburn hands back to the handlers is not relied upon. */
static struct msgstate ms = { .lock = PTHREAD_MUTEX_INITIALIZER, .failure = NULL };

static void chomp(char *s)
{
    size_t l = strlen(s);
    while (l && (s[l - 1] == '\n' || s[l - 1] == '\r'))
        s[--l] = 0;
}

static int on_info(void *handle, char *text)
{
    (void)handle;
    char *t = xstrdup(text);
    chomp(t);
    bool bad = strstr(t, " : FAILURE : ") || strstr(t, " : FATAL : ") || strstr(t, " : SORRY : ") ||
               strstr(t, " : ABORT : ");
    pthread_mutex_lock(&ms.lock);
    if (bad) {
        log_verbose("xorriso: %s", t);
        free(ms.failure);
        ms.failure = xstrdup(t);
    } else if (*t) {
        log_debug("xorriso: %s", t);
    }
    pthread_mutex_unlock(&ms.lock);
    free(t);
    return 1;
}

static int on_result(void *handle, char *text)
{
    (void)handle;
    char *t = xstrdup(text);
    chomp(t);
    pthread_mutex_lock(&ms.lock);
    if (*t)
        log_debug("xorriso: %s", t);
    pthread_mutex_unlock(&ms.lock);
    free(t);
    return 1;
}

/* ---- largest file, to decide on -iso-level 3 ---- */

static off_t max_file;
static int max_cb(const char *p, const struct stat *st, int type, struct FTW *f)
{
    (void)p, (void)f;
    if (type == FTW_F && st->st_size > max_file)
        max_file = st->st_size;
    return 0;
}

/* ---- temporary output ---- */

static void unlink_tmp(void *data)
{
    char *p = data;
    if (unlink(p) == 0)
        log_debug("removed partial ISO %s", p);
    free(p);
}

static int need_file(const char *srcdir, const char *rel, const char *what)
{
    if (!rel)
        return 0;
    if (rel[0] == '/')
        return log_fail("%s path %s must be relative to the ISO root", what, rel);
    char *p = path_join(srcdir, rel);
    struct stat st;
    int rc = 0;
    if (stat(p, &st) < 0 || !S_ISREG(st.st_mode))
        rc = log_fail("%s %s is missing", what, p);
    free(p);
    return rc;
}

static int run_xorriso(int argc, char **argv, char **failure)
{
    struct XorrisO *x = NULL;
    int rc = -1;
    pthread_mutex_lock(&ms.lock);
    free(ms.failure);
    ms.failure = NULL;
    pthread_mutex_unlock(&ms.lock);

    if (Xorriso_new(&x, "xorriso", 0) <= 0) {
        *failure = xstrdup("cannot create the xorriso object");
        return -1;
    }
    /* our own signal handling (cleanup.c) stays in charge */
    char *pre[] = { "xorriso", "-signal_handling", "off", "-abort_on", "FAILURE",
                    "-report_about", "UPDATE", NULL };
    if (Xorriso_prescan_args(x, 7, pre, 0) <= 0) {
        *failure = xstrdup("xorriso rejected its start options");
        goto out_destroy;
    }
    if (Xorriso_startup_libraries(x, 0) <= 0) {
        *failure = xstrdup("cannot initialize libisoburn/libisofs/libburn");
        goto out_destroy;
    }
    bool watching = Xorriso_start_msg_watcher(x, on_result, NULL, on_info, NULL, 0) > 0;
    if (!watching)
        log_warn("xorriso messages are not captured");

    int idx = 1;
    int ret = Xorriso_interpreter(x, argc, argv, &idx, 0);
    int exitval = Xorriso_make_return_value(x, 0);

    if (watching)
        Xorriso_stop_msg_watcher(x, 0);
    log_debug("xorriso interpreter returned %d, exit value %d", ret, exitval);
    if (ret > 0 && ret != 3 && exitval == 0) {
        rc = 0;
    } else if (ret == 3 && exitval == 0) {
        rc = 0;
    } else {
        pthread_mutex_lock(&ms.lock);
        *failure = ms.failure ? xstrdup(ms.failure) : xasprintf("xorriso failed (exit value %d)", exitval);
        pthread_mutex_unlock(&ms.lock);
    }

out_destroy:
    Xorriso_destroy(&x, 1);
    pthread_mutex_lock(&ms.lock);
    free(ms.failure);
    ms.failure = NULL;
    pthread_mutex_unlock(&ms.lock);
    return rc;
}

int iso_write(const struct iso_opts *o)
{
    if (iso_check_volid(o->volid) < 0)
        return -1;
    if (!o->output || !*o->output)
        return log_fail("no ISO output path");
    if (!is_dir(o->srcdir))
        return log_fail("ISO source directory %s does not exist", o->srcdir);
    if (need_file(o->srcdir, o->bios_boot, "BIOS boot image") < 0 ||
        need_file(o->srcdir, o->efi_image, "EFI boot image") < 0)
        return -1;
    if (o->mbr && !path_exists(o->mbr))
        return log_fail("isohybrid MBR template %s is missing", o->mbr);
    if (o->mbr && !o->bios_boot)
        return log_fail("an isohybrid MBR needs a BIOS boot image (isolinux.bin)");

    max_file = 0;
    nftw(o->srcdir, max_cb, 16, FTW_PHYS);

    /* temporary output next to the final one */
    char *outcopy = xstrdup(o->output);
    char *dir = xstrdup(dirname(outcopy));
    free(outcopy);
    outcopy = xstrdup(o->output);
    char *base = xstrdup(basename(outcopy));
    free(outcopy);
    char *tmp = xasprintf("%s/.%s.partial-XXXXXX", dir, base);
    int fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        log_fail("cannot create the ISO in %s: %s", dir, strerror(e));
        free(tmp), free(dir), free(base);
        return -1;
    }
    close(fd);
    fchmodat(AT_FDCWD, tmp, 0644, 0);
    char *tmp_data = xstrdup(tmp);
    int tmp_id = cleanup_push(tmp, unlink_tmp, tmp_data);

    strv_t av = { 0 };
    strv_push(&av, "xorriso");
    strv_push(&av, "-as");
    strv_push(&av, "mkisofs");
    strv_push(&av, "-o");
    strv_push(&av, tmp);
    strv_push(&av, "-V");
    strv_push(&av, o->volid);
    if (o->application_id) {
        strv_push(&av, "-A");
        strv_push(&av, o->application_id);
    }
    strv_push(&av, "-R");
    strv_push(&av, "-J");
    strv_push(&av, "-joliet-long");
    /* level 3: files of 4 GiB and more (a big squashfs.img) as multi-extent */
    strv_push(&av, "-iso-level");
    strv_push(&av, "3");
    if (max_file >= (off_t)4 * 1024 * 1024 * 1024 - 1)
        log_verbose("largest file %lld bytes: stored in several extents", (long long)max_file);
    if (o->mbr) {
        strv_push(&av, "-isohybrid-mbr");
        strv_push(&av, o->mbr);
    }
    if (o->bios_boot) {
        strv_push(&av, "-b");
        strv_push(&av, o->bios_boot);
        strv_push(&av, "-c");
        strv_push(&av, o->boot_catalog ? o->boot_catalog : "isolinux/boot.cat");
        strv_push(&av, "-no-emul-boot");
        strv_push(&av, "-boot-load-size");
        strv_push(&av, "4");
        strv_push(&av, "-boot-info-table");
    } else if (o->efi_image) {
        strv_push(&av, "-c");
        strv_push(&av, o->boot_catalog ? o->boot_catalog : "boot.cat");
    }
    if (o->efi_image) {
        if (o->bios_boot)
            strv_push(&av, "-eltorito-alt-boot");
        strv_push(&av, "-e");
        strv_push(&av, o->efi_image);
        strv_push(&av, "-no-emul-boot");
        if (o->mbr)
            strv_push(&av, "-isohybrid-gpt-basdat");
    }
    strv_push(&av, o->srcdir);
    strv_push(&av, "--");
    strv_push(&av, "-commit");

    char *cmd = argv_to_string((const char *const *)av.v);
    log_verbose("writing ISO: %s", cmd);
    double t0 = now_seconds();
    char *failure = NULL;
    int rc = run_xorriso((int)av.n, av.v, &failure);
    strv_free(&av);

    if (rc == 0) {
        struct stat st;
        if (stat(tmp, &st) < 0 || st.st_size < 32768) {
            failure = xasprintf("xorriso wrote no image to %s", tmp);
            rc = -1;
        }
    }
    if (rc == 0 && o->implant_md5) {
        const char *im[] = { "implantisomd5", tmp, NULL };
        char *found = NULL;
        if (run_capture(&found, "sh", "-c", "command -v implantisomd5", NULL) == 0) {
            if (run_argv(im, NULL) != 0) {
                failure = xasprintf("implantisomd5 failed: %s", run_last_output());
                rc = -1;
            }
        } else {
            log_warn("isomd5sum is not installed: no media check checksum in the ISO");
        }
        free(found);
    }
    if (rc == 0) {
        int sfd = open(tmp, O_RDONLY | O_CLOEXEC);
        if (sfd >= 0) {
            fsync(sfd);
            close(sfd);
        }
        if (rename(tmp, o->output) < 0) {
            failure = xasprintf("cannot rename %s to %s: %s", tmp, o->output, strerror(errno));
            rc = -1;
        }
    }
    if (rc == 0) {
        cleanup_forget(tmp_id);
        free(tmp_data);
        struct stat st;
        stat(o->output, &st);
        log_info("ISO %s written in %.1f s: %.1f MiB", o->output, now_seconds() - t0,
                 (double)st.st_size / (1024.0 * 1024.0));
    } else {
        cleanup_release(tmp_id);
        log_fail("cannot write ISO %s: %s [%s]", o->output, failure ? failure : "unknown error", cmd);
    }
    free(failure);
    free(cmd);
    free(tmp), free(dir), free(base);
    return rc;
}
