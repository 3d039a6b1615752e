/* iso_write.c - see iso_write.h */
#define _GNU_SOURCE
#include "core/iso_write.h"
#include "core/base/strv.h"
#include "core/base/cleanup.h"
#include "core/isomd5.h"
#include "core/base/log.h"
#include "core/base/reproducible.h"
#include "core/base/run.h"
#include "core/base/util.h"

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

/* ---- media check data in the same pass: xorriso writes into a pipe, a
 * thread copies it to the file and feeds the MD5 (isomd5.h) on the way ---- */

/* Two threads: the reader drains the FIFO at once into a queue of 1 MiB
 * blocks (libburn slows down a lot when its output does not keep up), the
 * writer writes them to the file and feeds the MD5. */
struct tee_block {
    struct tee_block *next;
    size_t n;
    char data[];
};

struct tee {
    int in, out;
    struct isomd5_stream *md5;
    int err;              /* errno of a failed read/write, 0 = fine */
    unsigned long long bytes;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    struct tee_block *head, *tail;
    size_t queued;        /* bytes in the queue */
    bool eof;
};

#define TEE_BLOCK (1u << 20)
#define TEE_MAX_QUEUE ((size_t)512 << 20)

static void *tee_reader(void *arg)
{
    struct tee *t = arg;
    for (;;) {
        struct tee_block *b = xmalloc(sizeof *b + TEE_BLOCK);
        size_t got = 0;
        ssize_t n = 0;
        /* fill a block, but hand over what there is when the pipe is empty */
        do {
            n = read(t->in, b->data + got, TEE_BLOCK - got);
            if (n > 0)
                got += (size_t)n;
        } while ((n > 0 && got < 64 * 1024) || (n < 0 && errno == EINTR));
        int rerr = n < 0 ? errno : 0;
        pthread_mutex_lock(&t->lock);
        if (got) {
            b->n = got;
            b->next = NULL;
            if (t->tail)
                t->tail->next = b;
            else
                t->head = b;
            t->tail = b;
            t->queued += got;
        } else {
            free(b);
        }
        if (rerr && !t->err)
            t->err = rerr;
        if (n <= 0)
            t->eof = true;
        pthread_cond_broadcast(&t->cond);
        while (!t->eof && t->queued > TEE_MAX_QUEUE)
            pthread_cond_wait(&t->cond, &t->lock);
        bool done = t->eof;
        pthread_mutex_unlock(&t->lock);
        if (done)
            break;
    }
    return NULL;
}

static void *tee_thread(void *arg)
{
    struct tee *t = arg;
    pthread_t rd;
    if (pthread_create(&rd, NULL, tee_reader, t) != 0) {
        t->err = EAGAIN;
        return NULL;
    }
    for (;;) {
        pthread_mutex_lock(&t->lock);
        while (!t->head && !t->eof)
            pthread_cond_wait(&t->cond, &t->lock);
        struct tee_block *b = t->head;
        if (b) {
            t->head = b->next;
            if (!t->head)
                t->tail = NULL;
            t->queued -= b->n;
            pthread_cond_broadcast(&t->cond);
        }
        int err = t->err;
        pthread_mutex_unlock(&t->lock);
        if (!b)
            break;
        if (!err) {
            for (size_t w = 0; w < b->n;) {
                ssize_t k = write(t->out, b->data + w, b->n - w);
                if (k < 0) {
                    if (errno == EINTR)
                        continue;
                    pthread_mutex_lock(&t->lock);
                    t->err = errno;   /* the reader keeps draining so xorriso does not block */
                    pthread_mutex_unlock(&t->lock);
                    break;
                }
                w += (size_t)k;
            }
            isomd5_stream_feed(t->md5, b->data, b->n);
            t->bytes += b->n;
        }
        free(b);
    }
    pthread_join(rd, NULL);
    return NULL;
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
    if (o->grub2_mbr && (!path_exists(o->grub2_mbr) || !o->bios_boot))
        return log_fail("GRUB2 BIOS boot needs %s and a BIOS boot image", o->grub2_mbr);
    if (o->efi_append && !path_exists(o->efi_append))
        return log_fail("EFI boot image %s is missing", o->efi_append);
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
    if (o->source_date_epoch > 0) {
        /* what xorriso does for SOURCE_DATE_EPOCH, explicitly */
        char date[17], now[32];
        reproducible_iso_date(o->source_date_epoch, date);
        snprintf(now, sizeof now, "=%lld", o->source_date_epoch);
        const char *rep[] = { "-volume_date", "uuid", date, "-volume_date", "c", now, "-volume_date", "m", now,
                              "-volume_date", "f", now, "-volume_date", "all_file_dates", "set_to_mtime",
                              "-iso_nowtime", now, "-boot_image", "any", "gpt_disk_guid=volume_date_uuid",
                              NULL };
        for (int i = 0; rep[i]; i++)
            strv_push(&av, rep[i]);
    }
    strv_push(&av, "-as");
    strv_push(&av, "mkisofs");
    /* with media check data: xorriso writes into a FIFO next to the output
     * (it takes no /proc/self/fd links), tee_thread copies it to TMP */
    int pfd[2] = { -1, -1 };
    char *pipe_path = NULL;
    if (o->implant_md5) {
        pipe_path = xasprintf("%s.fifo", tmp);
        if (mkfifo(pipe_path, 0600) == 0 &&
            (pfd[0] = open(pipe_path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) >= 0 &&
            fcntl(pfd[0], F_SETFL, 0) == 0 &&
            (pfd[1] = open(pipe_path, O_WRONLY | O_CLOEXEC)) >= 0) {
            /* we hold a writer open until xorriso is done: no early EOF;
             * a bigger pipe buffer means fewer context switches */
            fcntl(pfd[0], F_SETPIPE_SZ, 1 << 20);
        } else {
            log_warn("no FIFO for the media check pass (%s): checksumming afterwards", strerror(errno));
            if (pfd[0] >= 0)
                close(pfd[0]);
            pfd[0] = -1;
            unlink(pipe_path);
            free(pipe_path);
            pipe_path = NULL;
        }
    }
    strv_push(&av, "-o");
    strv_push(&av, pipe_path ? pipe_path : tmp);
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
    if (o->grub2_mbr) {
        /* livecd-creator's GRUB2 BIOS layout */
        const char *g[] = { "--grub2-mbr", o->grub2_mbr, "-partition_offset", "16", NULL };
        for (int i = 0; g[i]; i++)
            strv_push(&av, g[i]);
        if (o->efi_append) {
            const char *e[] = { "-appended_part_as_gpt", "-append_partition", "2",
                                "C12A7328-F81F-11D2-BA4B-00A0C93EC93B", o->efi_append,
                                "-iso_mbr_part_type", "EBD0A0A2-B9E5-4433-87C0-68B6B72699C7", NULL };
            for (int i = 0; e[i]; i++)
                strv_push(&av, e[i]);
        }
        const char *b[] = { "-c", o->boot_catalog ? o->boot_catalog : "boot.cat", "--boot-catalog-hide",
                            "-b", o->bios_boot, "-no-emul-boot", "-boot-load-size", "4", "-boot-info-table",
                            "--grub2-boot-info", NULL };
        for (int i = 0; b[i]; i++)
            strv_push(&av, b[i]);
        if (o->efi_append) {
            const char *e[] = { "-eltorito-alt-boot", "-e", "--interval:appended_partition_2:all::",
                                "-no-emul-boot", NULL };
            for (int i = 0; e[i]; i++)
                strv_push(&av, e[i]);
        }
    } else {
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
    }
    strv_push(&av, o->srcdir);
    strv_push(&av, "--");
    strv_push(&av, "-commit");

    char *cmd = argv_to_string((const char *const *)av.v);
    log_verbose("writing ISO: %s", cmd);
    double t0 = now_seconds();
    char *failure = NULL;
    struct tee tee = { .in = pfd[0], .out = -1, .lock = PTHREAD_MUTEX_INITIALIZER,
                       .cond = PTHREAD_COND_INITIALIZER };
    pthread_t tid;
    bool teeing = false;
    if (pipe_path) {
        tee.out = open(tmp, O_WRONLY | O_TRUNC | O_CLOEXEC);
        tee.md5 = isomd5_stream_new();
        if (tee.out >= 0 && pthread_create(&tid, NULL, tee_thread, &tee) == 0)
            teeing = true;
    }
    if (pipe_path && !teeing) {
        /* fall back to writing the file directly */
        for (size_t i = 0; i < av.n; i++)
            if (av.v[i] && !strcmp(av.v[i], pipe_path)) {
                free(av.v[i]);
                av.v[i] = xstrdup(tmp);
            }
    }
    double x0 = now_seconds();
    int rc = run_xorriso((int)av.n, av.v, &failure);
    log_verbose("xorriso ran %.2f s", now_seconds() - x0);
    strv_free(&av);
    bool md5_done = false;
    if (pfd[1] >= 0)
        close(pfd[1]);   /* xorriso has closed its own descriptor: EOF for the thread */
    if (teeing) {
        pthread_join(tid, NULL);
        if (rc == 0 && tee.err) {
            failure = xasprintf("cannot write %s: %s", tmp, strerror(tee.err));
            rc = -1;
        }
        char field[512], md5[33];
        long long at = 0;
        if (rc == 0 && isomd5_stream_finish(tee.md5, false, field, &at, md5) == 0) {
            if (pwrite(tee.out, field, sizeof field, (off_t)at) != (ssize_t)sizeof field) {
                failure = xasprintf("cannot write the media check data into %s: %s", tmp, strerror(errno));
                rc = -1;
            } else {
                md5_done = true;
                log_verbose("media check MD5 %s computed while writing (%llu bytes)", md5, tee.bytes);
                if (o->md5_out)
                    memcpy(o->md5_out, md5, 33);
            }
        }
    }
    if (tee.out >= 0)
        close(tee.out);
    if (pfd[0] >= 0)
        close(pfd[0]);
    isomd5_stream_free(tee.md5);
    if (pipe_path)
        unlink(pipe_path);
    free(pipe_path);

    if (rc == 0) {
        struct stat st;
        if (stat(tmp, &st) < 0 || st.st_size < 32768) {
            failure = xasprintf("xorriso wrote no image to %s", tmp);
            rc = -1;
        }
    }
    if (rc == 0 && o->implant_md5 && !md5_done) {
        double m0 = now_seconds();
        char md5[33];
        if (isomd5_implant(tmp, false, md5) < 0) {
            failure = xasprintf("%s", log_failure() ? log_failure() : "media check data");
            rc = -1;
        } else {
            log_verbose("media check MD5 %s implanted in %.1f s", md5, now_seconds() - m0);
            if (o->md5_out)
                memcpy(o->md5_out, md5, 33);
        }
    }
    if (rc == 0) {
        /* no fsync: as xorriso and livecd-creator, the page cache writes it
         * back (an fsync of a multi-GiB ISO costs seconds on a busy disk);
         * the rename keeps an interrupted build from leaving OUTPUT behind */
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
