/* download.c - see download.h */
#define _GNU_SOURCE
#include "download.h"
#include "cleanup.h"
#include "log.h"
#include "util.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

int dl_verify(const char *path, int chk_type, const unsigned char *chk)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    if (!chk_type || !chk) {
        fclose(f);
        return 1;
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
};

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
    x->f = fopen(x->part, "wb");
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
    curl_easy_setopt(h, CURLOPT_WRITEDATA, x->f);
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
    int werr = fclose(x->f) != 0;
    x->f = NULL;
    int retries = it->opts && it->opts->retries >= 0 ? it->opts->retries : 2;
    if (rc != CURLE_OK || werr) {
        if (rc != CURLE_OK)
            snprintf(it->err, sizeof it->err, "%s", x->curlerr[0] ? x->curlerr : curl_easy_strerror(rc));
        else
            snprintf(it->err, sizeof it->err, "write error on %s", x->part);
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

int dl_many(struct dl_item *items, size_t n, int parallel, const char *progress_what)
{
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
        while (active < (size_t)parallel && next < n) {
            struct xfer *x = &xs[next++];
            if (xfer_start(m, x) < 0) {
                failed = 1;
                done++;
                continue;
            }
            active++;
        }
        if (active == 0)
            continue;
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
            int r = xfer_finish(m, x, rc);
            if (r == 1) {
                log_debug("Retrying %s: %s", x->it->url, x->it->err);
                if (xfer_start(m, x) == 0) {
                    active++;
                    continue;
                }
                r = -1;
            }
            x->it->result = r;
            if (r < 0)
                failed = 1;
            done++;
            if (progress_what)
                log_progress(progress_what, done, n);
        }
        if (active > 0 && done < n)
            curl_multi_poll(m, NULL, 0, 200, NULL);
    }
    for (size_t i = 0; i < n; i++) {
        struct xfer *x = &xs[i];
        if (x->h) {
            curl_multi_remove_handle(m, x->h);
            curl_easy_cleanup(x->h);
        }
        if (x->f) {
            fclose(x->f);
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
