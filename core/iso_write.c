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

/* ---- iso_write, step by step ---- */

/* One ISO being written. */
struct iso_job {
    const struct iso_opts *o;
    char *tmp;            /* the partial output next to o->output */
    char *tmp_data;       /* the registry's copy of tmp (unlinked on release) */
    int tmp_id;           /* its cleanup registry id */
    char *pipe_path;      /* FIFO for the media check pass, or NULL */
    int pfd[2];           /* its read and write ends (ours) */
    strv_t av;            /* xorriso's arguments */
    char *failure;        /* what went wrong (for the final log_fail) */
    bool md5_done;        /* media check data implanted on the way */
};

static int check_opts(const struct iso_opts *o)
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
    return 0;
}

/* The temporary output next to the final one, registered for removal. */
static int open_partial(struct iso_job *j)
{
    char *outcopy = xstrdup(j->o->output);
    char *dir = xstrdup(dirname(outcopy));
    free(outcopy);
    outcopy = xstrdup(j->o->output);
    char *base = xstrdup(basename(outcopy));
    free(outcopy);
    j->tmp = xasprintf("%s/.%s.partial-XXXXXX", dir, base);
    int fd = mkostemp(j->tmp, O_CLOEXEC);
    int rc = 0;
    if (fd < 0) {
        int e = errno;
        rc = log_fail("cannot create the ISO in %s: %s", dir, strerror(e));
        free(j->tmp);
        j->tmp = NULL;
    } else {
        close(fd);
        fchmodat(AT_FDCWD, j->tmp, 0644, 0);
        j->tmp_data = xstrdup(j->tmp);
        j->tmp_id = cleanup_push(j->tmp, unlink_tmp, j->tmp_data);
    }
    free(dir);
    free(base);
    return rc;
}

/* With media check data: xorriso writes into a FIFO next to the output (it
 * takes no /proc/self/fd links), tee_thread copies it to the partial file.
 * Without a FIFO the data is checksummed afterwards. */
static void open_md5_fifo(struct iso_job *j)
{
    j->pipe_path = xasprintf("%s.fifo", j->tmp);
    if (mkfifo(j->pipe_path, 0600) == 0 &&
        (j->pfd[0] = open(j->pipe_path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) >= 0 &&
        fcntl(j->pfd[0], F_SETFL, 0) == 0 &&
        (j->pfd[1] = open(j->pipe_path, O_WRONLY | O_CLOEXEC)) >= 0) {
        /* we hold a writer open until xorriso is done: no early EOF;
         * a bigger pipe buffer means fewer context switches */
        fcntl(j->pfd[0], F_SETPIPE_SZ, 1 << 20);
        return;
    }
    log_warn("no FIFO for the media check pass (%s): checksumming afterwards", strerror(errno));
    if (j->pfd[0] >= 0)
        close(j->pfd[0]);
    j->pfd[0] = -1;
    unlink(j->pipe_path);
    free(j->pipe_path);
    j->pipe_path = NULL;
}

static void push_all(strv_t *av, const char *const *args)
{
    for (int i = 0; args[i]; i++)
        strv_push(av, args[i]);
}

/* SOURCE_DATE_EPOCH: what xorriso does for it, explicitly */
static void push_reproducible_args(strv_t *av, long long sde)
{
    char date[17], now[32];
    reproducible_iso_date(sde, date);
    snprintf(now, sizeof now, "=%lld", sde);
    const char *rep[] = { "-volume_date", "uuid", date, "-volume_date", "c", now, "-volume_date", "m", now,
                          "-volume_date", "f", now, "-volume_date", "all_file_dates", "set_to_mtime",
                          "-iso_nowtime", now, "-boot_image", "any", "gpt_disk_guid=volume_date_uuid",
                          NULL };
    push_all(av, rep);
}

/* livecd-creator's GRUB2 BIOS layout */
static void push_grub2_boot_args(strv_t *av, const struct iso_opts *o)
{
    const char *g[] = { "--grub2-mbr", o->grub2_mbr, "-partition_offset", "16", NULL };
    push_all(av, g);
    if (o->efi_append) {
        const char *e[] = { "-appended_part_as_gpt", "-append_partition", "2",
                            "C12A7328-F81F-11D2-BA4B-00A0C93EC93B", o->efi_append,
                            "-iso_mbr_part_type", "EBD0A0A2-B9E5-4433-87C0-68B6B72699C7", NULL };
        push_all(av, e);
    }
    const char *b[] = { "-c", o->boot_catalog ? o->boot_catalog : "boot.cat", "--boot-catalog-hide",
                        "-b", o->bios_boot, "-no-emul-boot", "-boot-load-size", "4", "-boot-info-table",
                        "--grub2-boot-info", NULL };
    push_all(av, b);
    if (o->efi_append) {
        const char *e[] = { "-eltorito-alt-boot", "-e", "--interval:appended_partition_2:all::",
                            "-no-emul-boot", NULL };
        push_all(av, e);
    }
}

/* isohybrid MBR, El Torito BIOS (ISOLINUX) and EFI images inside the tree */
static void push_isohybrid_boot_args(strv_t *av, const struct iso_opts *o)
{
    if (o->mbr) {
        strv_push(av, "-isohybrid-mbr");
        strv_push(av, o->mbr);
    }
    if (o->bios_boot) {
        const char *b[] = { "-b", o->bios_boot, "-c", o->boot_catalog ? o->boot_catalog : "isolinux/boot.cat",
                            "-no-emul-boot", "-boot-load-size", "4", "-boot-info-table", NULL };
        push_all(av, b);
    } else if (o->efi_image) {
        strv_push(av, "-c");
        strv_push(av, o->boot_catalog ? o->boot_catalog : "boot.cat");
    }
    if (o->efi_image) {
        if (o->bios_boot)
            strv_push(av, "-eltorito-alt-boot");
        strv_push(av, "-e");
        strv_push(av, o->efi_image);
        strv_push(av, "-no-emul-boot");
        if (o->mbr)
            strv_push(av, "-isohybrid-gpt-basdat");
    }
}

/* xorriso -as mkisofs ... SRCDIR -- -commit, into the FIFO or the file */
static void build_args(struct iso_job *j)
{
    const struct iso_opts *o = j->o;
    strv_t *av = &j->av;
    strv_push(av, "xorriso");
    if (o->source_date_epoch > 0)
        push_reproducible_args(av, o->source_date_epoch);
    const char *head[] = { "-as", "mkisofs", "-o", j->pipe_path ? j->pipe_path : j->tmp, "-V", o->volid, NULL };
    push_all(av, head);
    if (o->application_id) {
        strv_push(av, "-A");
        strv_push(av, o->application_id);
    }
    /* level 3: files of 4 GiB and more (a big squashfs.img) as multi-extent */
    const char *fs[] = { "-R", "-J", "-joliet-long", "-iso-level", "3", NULL };
    push_all(av, fs);
    max_file = 0;
    nftw(o->srcdir, max_cb, 16, FTW_PHYS);
    if (max_file >= (off_t)4 * 1024 * 1024 * 1024 - 1)
        log_verbose("largest file %lld bytes: stored in several extents", (long long)max_file);
    if (o->grub2_mbr)
        push_grub2_boot_args(av, o);
    else
        push_isohybrid_boot_args(av, o);
    const char *tail[] = { o->srcdir, "--", "-commit", NULL };
    push_all(av, tail);
}

/* The media check field into the partial file (computed by the tee) */
static int write_md5_field(struct iso_job *j, struct tee *tee)
{
    char field[512], md5[33];
    long long at = 0;
    if (isomd5_stream_finish(tee->md5, false, field, &at, md5) != 0)
        return 0;
    if (pwrite(tee->out, field, sizeof field, (off_t)at) != (ssize_t)sizeof field) {
        j->failure = xasprintf("cannot write the media check data into %s: %s", j->tmp, strerror(errno));
        return -1;
    }
    j->md5_done = true;
    log_verbose("media check MD5 %s computed while writing (%llu bytes)", md5, tee->bytes);
    if (j->o->md5_out)
        memcpy(j->o->md5_out, md5, 33);
    return 0;
}

/* Run xorriso; with the FIFO, the tee threads copy its output to the
 * partial file and compute the media check MD5 on the way. */
static int run_with_tee(struct iso_job *j)
{
    struct tee tee = { .in = j->pfd[0], .out = -1, .lock = PTHREAD_MUTEX_INITIALIZER,
                       .cond = PTHREAD_COND_INITIALIZER };
    pthread_t tid;
    bool teeing = false;
    if (j->pipe_path) {
        tee.out = open(j->tmp, O_WRONLY | O_TRUNC | O_CLOEXEC);
        tee.md5 = isomd5_stream_new();
        if (tee.out >= 0 && pthread_create(&tid, NULL, tee_thread, &tee) == 0)
            teeing = true;
    }
    if (j->pipe_path && !teeing) {
        /* fall back to writing the file directly */
        for (size_t i = 0; i < j->av.n; i++)
            if (j->av.v[i] && !strcmp(j->av.v[i], j->pipe_path)) {
                free(j->av.v[i]);
                j->av.v[i] = xstrdup(j->tmp);
            }
    }
    double x0 = now_seconds();
    int rc = run_xorriso((int)j->av.n, j->av.v, &j->failure);
    log_verbose("xorriso ran %.2f s", now_seconds() - x0);
    if (j->pfd[1] >= 0)
        close(j->pfd[1]);   /* xorriso has closed its own descriptor: EOF for the thread */
    j->pfd[1] = -1;
    if (teeing) {
        pthread_join(tid, NULL);
        if (rc == 0 && tee.err) {
            j->failure = xasprintf("cannot write %s: %s", j->tmp, strerror(tee.err));
            rc = -1;
        }
        if (rc == 0)
            rc = write_md5_field(j, &tee);
    }
    if (tee.out >= 0)
        close(tee.out);
    if (j->pfd[0] >= 0)
        close(j->pfd[0]);
    j->pfd[0] = -1;
    isomd5_stream_free(tee.md5);
    if (j->pipe_path)
        unlink(j->pipe_path);
    return rc;
}

/* An image was written; media check data implanted when not done on the way. */
static int check_written(struct iso_job *j)
{
    struct stat st;
    if (stat(j->tmp, &st) < 0 || st.st_size < 32768) {
        j->failure = xasprintf("xorriso wrote no image to %s", j->tmp);
        return -1;
    }
    if (!j->o->implant_md5 || j->md5_done)
        return 0;
    double m0 = now_seconds();
    char md5[33];
    if (isomd5_implant(j->tmp, false, md5) < 0) {
        j->failure = xasprintf("%s", log_failure() ? log_failure() : "media check data");
        return -1;
    }
    log_verbose("media check MD5 %s implanted in %.1f s", md5, now_seconds() - m0);
    if (j->o->md5_out)
        memcpy(j->o->md5_out, md5, 33);
    return 0;
}

/* No fsync: as xorriso and livecd-creator, the page cache writes it back
 * (an fsync of a multi-GiB ISO costs seconds on a busy disk); the rename
 * keeps an interrupted build from leaving OUTPUT behind. */
static int rename_final(struct iso_job *j)
{
    if (rename(j->tmp, j->o->output) < 0) {
        j->failure = xasprintf("cannot rename %s to %s: %s", j->tmp, j->o->output, strerror(errno));
        return -1;
    }
    cleanup_forget(j->tmp_id);
    free(j->tmp_data);
    return 0;
}

int iso_write(const struct iso_opts *o)
{
    if (check_opts(o) < 0)
        return -1;
    struct iso_job j = { .o = o, .pfd = { -1, -1 } };
    if (open_partial(&j) < 0)
        return -1;
    if (o->implant_md5)
        open_md5_fifo(&j);
    build_args(&j);
    char *cmd = argv_to_string((const char *const *)j.av.v);
    log_verbose("writing ISO: %s", cmd);
    double t0 = now_seconds();
    int rc = run_with_tee(&j);
    if (rc == 0)
        rc = check_written(&j);
    if (rc == 0)
        rc = rename_final(&j);
    if (rc == 0) {
        struct stat st;
        stat(o->output, &st);
        log_info("ISO %s written in %.1f s: %.1f MiB", o->output, now_seconds() - t0,
                 (double)st.st_size / (1024.0 * 1024.0));
    } else {
        cleanup_release(j.tmp_id);
        log_fail("cannot write ISO %s: %s [%s]", o->output, j.failure ? j.failure : "unknown error", cmd);
    }
    strv_free(&j.av);
    free(j.pipe_path);
    free(j.failure);
    free(cmd);
    free(j.tmp);
    return rc;
}
