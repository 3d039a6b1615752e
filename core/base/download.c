/* download.c - see download.h */
#define _GNU_SOURCE
#include "core/base/download.h"
#include "core/base/cleanup.h"
#include "core/base/log.h"
#include "core/base/util.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rpm/rpmcrypto.h>
#include <rpm/rpmpgp.h>
#include <solv/chksum.h>
#include <solv/knownid.h>

static void dl_global_init(void)
{
    static int done;
    if (!done) {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        done = 1;
    }
}

char *dl_normalize_url(const char *url)
{
    if (url[0] == '/')
        return xasprintf("file://%s", url);
    return xstrdup(url);
}

const char *dl_chk_hex(int chk_type, const unsigned char *chk)
{
    static char buf[2 * 64 + 1];
    int len = chk ? solv_chksum_len(chk_type) : 0;
    if (len <= 0 || len > 64)
        return "";
    for (int i = 0; i < len; i++)
        snprintf(buf + 2 * i, 3, "%02x", chk[i]);
    return buf;
}

/* rpm's digests (libgcrypt: SHA-NI/AVX2, about 4x libsolv's portable
 * code: 500 MB of packages hash in 0.25 s instead of 1 s) */
static int rpm_hashalgo(int chk_type)
{
    switch (chk_type) {
    case REPOKEY_TYPE_MD5: return PGPHASHALGO_MD5;
    case REPOKEY_TYPE_SHA1: return PGPHASHALGO_SHA1;
    case REPOKEY_TYPE_SHA224: return PGPHASHALGO_SHA224;
    case REPOKEY_TYPE_SHA256: return PGPHASHALGO_SHA256;
    case REPOKEY_TYPE_SHA384: return PGPHASHALGO_SHA384;
    case REPOKEY_TYPE_SHA512: return PGPHASHALGO_SHA512;
    default: return -1;
    }
}

int dl_verify(const char *path, int chk_type, const unsigned char *chk)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    if (!chk_type || !chk) {
        fclose(f);
        return 1;
    }
    int algo = rpm_hashalgo(chk_type);
    if (algo >= 0) {
        static bool crypto_ready;
        if (!crypto_ready) {
            rpmInitCrypto();
            crypto_ready = true;
        }
        DIGEST_CTX d = rpmDigestInit(algo, RPMDIGEST_NONE);
        if (d) {
            static unsigned char buf[1 << 17];
            size_t n;
            while ((n = fread(buf, 1, sizeof buf, f)) > 0)
                rpmDigestUpdate(d, buf, n);
            int err = ferror(f);
            fclose(f);
            void *out = NULL;
            size_t len = 0;
            rpmDigestFinal(d, &out, &len, 0);
            int ok = !err && out && (int)len == solv_chksum_len(chk_type) && !memcmp(out, chk, len);
            free(out);
            return ok;
        }
    }
    Chksum *c = solv_chksum_create(chk_type);
    if (!c) {
        fclose(f);
        return 0;
    }
    unsigned char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        solv_chksum_add(c, buf, (int)n);
    int err = ferror(f);
    fclose(f);
    int len = 0;
    const unsigned char *got = solv_chksum_get(c, &len);
    int ok = !err && got && len == solv_chksum_len(chk_type) && memcmp(got, chk, (size_t)len) == 0;
    solv_chksum_free(c, NULL);
    return ok;
}

struct xfer {
    struct dl_item *it;
    CURL *h;
    FILE *f;
    char *part;
    char *url;
    char curlerr[CURL_ERROR_SIZE];
    int attempts;
    curl_off_t resume_from;       /* bytes of DEST.part kept from an earlier try */
    bool checked_code;            /* first body write: resume honoured? */
    bool write_failed;
    bool waiting;                 /* retry scheduled at not_before (back-off) */
    double not_before;
};

/* Body data.  On the first write of a resumed transfer, a server that
 * ignored the Range header (200, not 206) sends the whole file again: start
 * the .part over. */
static size_t write_cb(char *ptr, size_t size, size_t nmemb, void *data)
{
    struct xfer *x = data;
    if (!x->checked_code) {
        x->checked_code = true;
        long code = 0;
        curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &code);
        if (x->resume_from > 0 && code == 200) {
            if (fflush(x->f) != 0 || ftruncate(fileno(x->f), 0) != 0 || fseeko(x->f, 0, SEEK_SET) != 0) {
                x->write_failed = true;
                return 0;
            }
            x->resume_from = 0;
        }
    }
    size_t n = fwrite(ptr, size, nmemb, x->f);
    if (n != nmemb)
        x->write_failed = true;
    return n * size;
}

static int xfer_start(CURLM *m, struct xfer *x)
{
    const struct dl_opts *o = x->it->opts;
    free(x->part);
    x->part = xasprintf("%s.part", x->it->dest);
    char *dir = xstrdup(x->it->dest);
    char *slash = strrchr(dir, '/');
    if (slash && slash != dir) {
        *slash = 0;
        mkdir_p(dir, 0755);
    }
    free(dir);
    /* resume a .part left by an interrupted transfer (not for file://,
     * where a copy is as cheap as a seek) */
    struct stat st;
    x->resume_from = 0;
    x->checked_code = false;
    x->write_failed = false;
    bool remote = !str_startswith(x->it->url, "file:") && x->it->url[0] != '/';
    /* only with a checksum: without one (repomd.xml, mirror lists, keys)
     * a file changed on the server since would be spliced unnoticed */
    bool can_resume = remote && x->it->chk_type && x->it->chk;
    if (!can_resume)
        unlink(x->part);
    else if (stat(x->part, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
        x->resume_from = (curl_off_t)st.st_size;
    x->f = fopen(x->part, x->resume_from ? "ab" : "wb");
    if (!x->f) {
        snprintf(x->it->err, sizeof x->it->err, "cannot create %s: %s", x->part, strerror(errno));
        return -1;
    }
    if (!x->url)
        x->url = dl_normalize_url(x->it->url);
    x->curlerr[0] = 0;
    x->h = curl_easy_init();
    if (!x->h) {
        snprintf(x->it->err, sizeof x->it->err, "curl_easy_init failed");
        fclose(x->f);
        x->f = NULL;
        unlink(x->part);
        return -1;
    }
    CURL *h = x->h;
    curl_easy_setopt(h, CURLOPT_URL, x->url);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, write_cb);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, x);
    if (x->resume_from)
        curl_easy_setopt(h, CURLOPT_RESUME_FROM_LARGE, x->resume_from);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, x->curlerr);
    curl_easy_setopt(h, CURLOPT_FAILONERROR, 1L);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(h, CURLOPT_MAXREDIRS, 10L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "kscreate");
    curl_easy_setopt(h, CURLOPT_PRIVATE, x);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 30L);
    long timeout = o && o->timeout > 0 ? o->timeout : 120;
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, timeout);
    if (o) {
        if (o->proxy)
            curl_easy_setopt(h, CURLOPT_PROXY, o->proxy);
        if (o->userpwd)
            curl_easy_setopt(h, CURLOPT_USERPWD, o->userpwd);
        if (o->proxyuserpwd)
            curl_easy_setopt(h, CURLOPT_PROXYUSERPWD, o->proxyuserpwd);
        if (o->sslcacert)
            curl_easy_setopt(h, CURLOPT_CAINFO, o->sslcacert);
        if (o->sslclientcert)
            curl_easy_setopt(h, CURLOPT_SSLCERT, o->sslclientcert);
        if (o->sslclientkey)
            curl_easy_setopt(h, CURLOPT_SSLKEY, o->sslclientkey);
        if (o->noverifyssl) {
            curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
            curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
        }
    }
    x->attempts++;
    if (curl_multi_add_handle(m, h) != CURLM_OK) {
        snprintf(x->it->err, sizeof x->it->err, "curl_multi_add_handle failed");
        curl_easy_cleanup(h);
        x->h = NULL;
        fclose(x->f);
        x->f = NULL;
        unlink(x->part);
        return -1;
    }
    return 0;
}

/* Finish a transfer: 0 done, 1 retry wanted, -1 failed for good. */
static int xfer_finish(CURLM *m, struct xfer *x, CURLcode rc)
{
    struct dl_item *it = x->it;
    long code = 0;
    curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &code);
    curl_multi_remove_handle(m, x->h);
    curl_easy_cleanup(x->h);
    x->h = NULL;
    int werr = (fclose(x->f) != 0) || x->write_failed;
    x->f = NULL;
    int retries = it->opts && it->opts->retries >= 0 ? it->opts->retries : 2;
    if (x->resume_from && rc == CURLE_HTTP_RETURNED_ERROR && code == 416) {
        /* range not satisfiable: the .part is complete or bigger than the
         * file; check it below like a finished download */
        rc = CURLE_OK;
    }
    if (rc != CURLE_OK || werr) {
        if (rc != CURLE_OK)
            snprintf(it->err, sizeof it->err, "%s", x->curlerr[0] ? x->curlerr : curl_easy_strerror(rc));
        else
            snprintf(it->err, sizeof it->err, "write error on %s", x->part);
        /* keep what arrived of an interrupted transfer, to resume it */
        bool keep = !werr && it->chk_type && it->chk &&
                    (rc == CURLE_PARTIAL_FILE || rc == CURLE_OPERATION_TIMEDOUT ||
                     rc == CURLE_RECV_ERROR || rc == CURLE_GOT_NOTHING ||
                     rc == CURLE_ABORTED_BY_CALLBACK);
        if (!keep)
            unlink(x->part);
        /* a missing local file or a 404 will not appear by retrying */
        int permanent = rc == CURLE_FILE_COULDNT_READ_FILE || rc == CURLE_UNSUPPORTED_PROTOCOL ||
                        rc == CURLE_URL_MALFORMAT || werr;
        if (rc == CURLE_HTTP_RETURNED_ERROR)
            permanent = code == 404 || code == 403 || code == 410;
        if (!permanent && x->attempts <= retries)
            return 1;
        return -1;
    }
    if (it->chk_type && it->chk && !dl_verify(x->part, it->chk_type, it->chk)) {
        snprintf(it->err, sizeof it->err, "checksum mismatch (expected %s %s)",
                 solv_chksum_type2str(it->chk_type), dl_chk_hex(it->chk_type, it->chk));
        unlink(x->part);
        if (x->attempts <= retries)
            return 1;
        return -1;
    }
    if (rename(x->part, it->dest) < 0) {
        snprintf(it->err, sizeof it->err, "cannot rename %s: %s", x->part, strerror(errno));
        unlink(x->part);
        return -1;
    }
    it->err[0] = 0;
    return 0;
}

/* "Downloading: 12/401 (3%)" with the bytes so far and the rate; at
 * most twice a second unless an item just finished */
static void show_progress(const char *what, struct xfer *xs, size_t n, size_t done,
                          double done_bytes, double t_start, double *t_shown, bool force)
{
    double now = now_seconds();
    if (!force && now - *t_shown < 0.5)
        return;
    *t_shown = now;
    double bytes = done_bytes;
    for (size_t i = 0; i < n; i++) {
        curl_off_t b = 0;
        if (xs[i].h && curl_easy_getinfo(xs[i].h, CURLINFO_SIZE_DOWNLOAD_T, &b) == CURLE_OK)
            bytes += (double)b;
    }
    double el = now - t_start;
    char buf[160];
    snprintf(buf, sizeof buf, "%s %.1f MB, %.1f MB/s", what, bytes / 1e6,
             el > 0.05 ? bytes / 1e6 / el : 0.0);
    log_progress(buf, done, n);
}

int dl_many(struct dl_item *items, size_t n, int parallel, const char *progress_what)
{
    double done_bytes = 0, t_start = now_seconds(), t_shown = 0;
    dl_global_init();
    if (parallel <= 0)
        parallel = 4;
    CURLM *m = curl_multi_init();
    if (!m) {
        for (size_t i = 0; i < n; i++) {
            items[i].result = -1;
            snprintf(items[i].err, sizeof items[i].err, "curl_multi_init failed");
        }
        return -1;
    }
    struct xfer *xs = xcalloc(n ? n : 1, sizeof *xs);
    size_t next = 0, done = 0, active = 0;
    int failed = 0, interrupted = 0;
    for (size_t i = 0; i < n; i++) {
        xs[i].it = &items[i];
        items[i].result = -1;
        items[i].err[0] = 0;
    }
    if (progress_what && n)
        log_progress(progress_what, 0, n);
    while (done < n) {
        if (cleanup_interrupted()) {
            interrupted = 1;
            break;
        }
        /* retries whose back-off has passed */
        bool any_waiting = false;
        double now = now_seconds();
        for (size_t i = 0; i < next; i++) {
            struct xfer *x = &xs[i];
            if (!x->waiting)
                continue;
            if (now < x->not_before) {
                any_waiting = true;
                continue;
            }
            x->waiting = false;
            if (xfer_start(m, x) == 0) {
                active++;
            } else {
                x->it->result = -1;
                failed = 1;
                done++;
            }
        }
        while (active < (size_t)parallel && next < n) {
            struct xfer *x = &xs[next++];
            if (xfer_start(m, x) < 0) {
                failed = 1;
                done++;
                continue;
            }
            active++;
        }
        if (active == 0) {
            if (any_waiting)
                usleep(50000);
            continue;
        }
        int running = 0;
        curl_multi_perform(m, &running);
        CURLMsg *msg;
        int left;
        while ((msg = curl_multi_info_read(m, &left))) {
            if (msg->msg != CURLMSG_DONE)
                continue;
            struct xfer *x = NULL;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&x);
            CURLcode rc = msg->data.result;
            active--;
            curl_off_t got = 0;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_SIZE_DOWNLOAD_T, &got);
            int r = xfer_finish(m, x, rc);
            if (r == 0)
                done_bytes += (double)got;
            if (r == 1) {
                /* back-off: 0.5 s, 1 s, 2 s, ... at most 8 s */
                double delay = 0.5 * (double)(1 << (x->attempts - 1 < 4 ? x->attempts - 1 : 4));
                log_debug("Retrying %s in %.1fs: %s", x->it->url, delay, x->it->err);
                x->waiting = true;
                x->not_before = now_seconds() + delay;
                continue;
            }
            x->it->result = r;
            if (r < 0)
                failed = 1;
            done++;
            if (progress_what)
                show_progress(progress_what, xs, n, done, done_bytes, t_start, &t_shown, true);
        }
        if (active > 0 && done < n)
            curl_multi_poll(m, NULL, 0, 200, NULL);
        if (progress_what)
            show_progress(progress_what, xs, n, done, done_bytes, t_start, &t_shown, false);
    }
    for (size_t i = 0; i < n; i++) {
        struct xfer *x = &xs[i];
        if (x->h) {
            curl_multi_remove_handle(m, x->h);
            curl_easy_cleanup(x->h);
        }
        if (x->f) {
            fclose(x->f); /* with a checksum the .part stays: the next run resumes it */
            if (!x->it->chk_type || !x->it->chk)
                unlink(x->part);
            snprintf(x->it->err, sizeof x->it->err, "interrupted");
        }
        if (interrupted && x->it->result != 0 && !x->it->err[0])
            snprintf(x->it->err, sizeof x->it->err, "interrupted");
        free(x->part);
        free(x->url);
    }
    free(xs);
    curl_multi_cleanup(m);
    if (progress_what && n && (failed || interrupted))
        log_progress_end();
    return failed || interrupted ? -1 : 0;
}

int dl_file(const char *url, const char *dest, int chk_type, const unsigned char *chk,
            const struct dl_opts *o, char *err, size_t errlen)
{
    struct dl_item it = { .url = url, .dest = dest, .chk_type = chk_type, .chk = chk, .opts = o };
    int r = dl_many(&it, 1, 1, NULL);
    if (r < 0 && err && errlen)
        snprintf(err, errlen, "%s", it.err[0] ? it.err : "failed");
    return r;
}
