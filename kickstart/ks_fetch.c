/* ks_fetch.c - %include and %ksappend of URLs through the project's libcurl
 * download code (core/download.c).  Built with -DKS_NO_FETCH (the fuzzer)
 * every URL fails. */
#define _GNU_SOURCE
#include "kickstart/ks_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef KS_NO_FETCH
#include "core/base/download.h"
#endif

bool ks_is_url(const char *s) { return strstr(s, "://") != NULL; }

int ks_fetch_url(const char *url, char **buf, size_t *len, char **err)
{
    *buf = NULL;
    *len = 0;
#ifdef KS_NO_FETCH
    (void)url;
    *err = xstrdup("URL access is not available in this build");
    return -1;
#else
    char tmpl[] = "/tmp/ks-include-XXXXXX";
    int fd = mkstemp(tmpl);
    if (fd < 0) {
        *err = xasprintf("cannot create a temporary file: %s", strerror(errno));
        return -1;
    }
    close(fd);
    char e[512] = "";
    struct dl_opts o = { 0 };
    o.timeout = 120;
    o.retries = 0;
    int r = dl_file(url, tmpl, 0, NULL, &o, e, sizeof e);
    if (r == 0 && read_file(tmpl, buf, len) < 0) {
        snprintf(e, sizeof e, "%s", strerror(errno));
        r = -1;
    }
    unlink(tmpl);
    if (r < 0) {
        *err = xstrdup(*e ? e : "download failed");
        free(*buf);
        *buf = NULL;
        return -1;
    }
    return 0;
#endif
}
