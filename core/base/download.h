/* download.h - file downloads with libcurl (http, https, ftp, file).
 *
 * Contract:
 *  - Data is written to DEST.part and renamed to DEST only when complete and,
 *    if a checksum is given, verified.  With a checksum (packages, metadata
 *    listed in repomd.xml), a transfer cut short (interrupt, partial file,
 *    timeout) keeps DEST.part and the next attempt resumes it
 *    with a Range request (a server answering 200 restarts it, 416 means
 *    it is complete: checked like a finished file); any other failure,
 *    a checksum mismatch included, removes it.  The caller serializes
 *    users of the same DEST (pkg_lock.c).
 *  - dl_many() runs up to `parallel` transfers at once (curl multi), shows
 *    progress with log_progress(what, done, total) and stops promptly when
 *    cleanup_interrupted() becomes true.  Each item gets its own result and
 *    error text; dl_many returns 0 when all succeeded, -1 otherwise (nothing
 *    is logged as failure: the caller words the error).
 *  - Checksum types are libsolv's REPOKEY_TYPE_SHA256 etc.; 0 = none.
 *  - A plain absolute path is accepted as a URL (treated as file://).
 */
#ifndef KSC_DOWNLOAD_H
#define KSC_DOWNLOAD_H

#include <stdbool.h>
#include <stddef.h>

struct dl_opts {
    const char *proxy;
    const char *sslcacert, *sslclientcert, *sslclientkey;
    const char *userpwd;          /* "user:password" for the server (.repo username=/password=) */
    const char *proxyuserpwd;     /* "user:password" for the proxy */
    bool noverifyssl;
    int timeout;      /* seconds without progress before giving up; <= 0: 120 */
    int retries;      /* extra attempts on failure; < 0: 2 */
};

struct dl_item {
    const char *url;
    const char *dest;
    int chk_type;                    /* libsolv REPOKEY_TYPE_*, 0 none */
    const unsigned char *chk;        /* binary checksum */
    const struct dl_opts *opts;      /* may be NULL */
    /* results */
    int result;                      /* 0 ok, -1 failed */
    char err[512];
};

/* One file; returns 0, or -1 with a reason in err. */
int dl_file(const char *url, const char *dest, int chk_type, const unsigned char *chk,
            const struct dl_opts *o, char *err, size_t errlen);
int dl_many(struct dl_item *items, size_t n, int parallel, const char *progress_what);

/* 1 when the file exists and has the checksum, 0 otherwise. */
int dl_verify(const char *path, int chk_type, const unsigned char *chk);

/* Hex of a libsolv checksum type name ("sha256") for messages; static buffer. */
const char *dl_chk_hex(int chk_type, const unsigned char *chk);

/* "file:///x" for "/x"; other URLs duplicated.  malloc'd. */
char *dl_normalize_url(const char *url);

#endif
