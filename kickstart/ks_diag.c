/* ks_diag.c - the parser's diagnostics: counted in the parse state, handed
 * to the caller's report function (or the log) with file and line. */
#define _GNU_SOURCE
#include "kickstart/ks_internal.h"
#include "core/base/log.h"

#include <stdio.h>
#include <stdlib.h>

static void default_report(void *ctx, enum ks_severity sev, const char *file, int line,
                           const char *msg)
{
    (void)ctx;
    if (line > 0) {
        if (sev == KS_ERROR)
            log_error("%s:%d: %s", file, line, msg);
        else if (sev == KS_WARNING)
            log_warn("%s:%d: %s", file, line, msg);
        else
            log_info("%s:%d: %s", file, line, msg);
    } else {
        if (sev == KS_ERROR)
            log_error("%s: %s", file, msg);
        else if (sev == KS_WARNING)
            log_warn("%s: %s", file, msg);
        else
            log_info("%s: %s", file, msg);
    }
}

void ks_diag(struct ks_state *st, enum ks_severity sev, const char *file, int line,
             const char *fmt, ...)
{
    va_list ap;
    char *msg;
    va_start(ap, fmt);
    if (vasprintf(&msg, fmt, ap) < 0)
        msg = NULL;
    va_end(ap);
    if (sev == KS_ERROR) {
        st->errors++;
        if (st->opts && st->opts->errors_fatal)
            st->stop = true;
    } else if (sev == KS_WARNING) {
        st->warnings++;
    }
    ks_report_fn fn = st->opts && st->opts->report ? st->opts->report : default_report;
    fn(st->opts ? st->opts->report_ctx : NULL, sev, file ? file : "<kickstart>", line,
       msg ? msg : "(out of memory)");
    free(msg);
}
