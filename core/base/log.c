/* log.c - see log.h */
#include "core/base/log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static enum log_level console_level = LOG_INFO;
static FILE *logfp;
static char failure[1024];
static int progress_active;
static time_t progress_last;
static int failure_last; /* the failure reason is the last console line */

int log_open(enum log_level level, const char *logfile)
{
    console_level = level;
    if (logfile) {
        logfp = fopen(logfile, "ae");
        if (!logfp) {
            fprintf(stderr, "Error: cannot open log file %s: %s\n", logfile, strerror(errno));
            return -1;
        }
        setvbuf(logfp, NULL, _IOLBF, 0);
    }
    return 0;
}

void log_close(void)
{
    if (logfp) {
        fclose(logfp);
        logfp = NULL;
    }
}

enum log_level log_get_level(void) { return console_level; }
int log_file_fd(void) { return logfp ? fileno(logfp) : -1; }

static const char *prefix(enum log_level lvl)
{
    switch (lvl) {
    case LOG_DEBUG: return "DEBUG";
    case LOG_VERBOSE: return "INFO";
    case LOG_INFO: return "INFO";
    case LOG_WARN: return "WARNING";
    default: return "ERROR";
    }
}

void log_vmsg(enum log_level lvl, const char *fmt, va_list ap)
{
    char buf[4096];
    vsnprintf(buf, sizeof buf, fmt, ap);
    if (progress_active && lvl >= console_level)
        log_progress_end();
    if (logfp) {
        char ts[32];
        time_t t = time(NULL);
        struct tm tm;
        strftime(ts, sizeof ts, "%Y-%m-%d %H:%M:%S", localtime_r(&t, &tm));
        fprintf(logfp, "%s %s: %s\n", ts, prefix(lvl), buf);
    }
    failure_last = 0;
    if (lvl >= console_level && console_level != LOG_QUIET) {
        if (lvl >= LOG_WARN)
            fprintf(stderr, "%s: %s\n", lvl == LOG_WARN ? "Warning" : "Error", buf);
        else
            fprintf(stderr, "%s\n", buf);
    } else if (lvl >= LOG_ERROR) {
        fprintf(stderr, "Error: %s\n", buf); /* errors always shown */
    }
}

void log_msg(enum log_level lvl, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_vmsg(lvl, fmt, ap);
    va_end(ap);
}

void log_write_raw(const char *buf, size_t len)
{
    if (logfp)
        fwrite(buf, 1, len, logfp);
    if (console_level == LOG_DEBUG)
        fwrite(buf, 1, len, stderr);
}

int log_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(failure, sizeof failure, fmt, ap);
    va_end(ap);
    log_msg(LOG_ERROR, "%s", failure);
    failure_last = 1;
    return -1;
}

const char *log_failure(void) { return failure[0] ? failure : NULL; }
int log_failure_is_last(void) { return failure_last; }

void log_progress(const char *what, unsigned long long done, unsigned long long total)
{
    time_t now = time(NULL);
    int tty = isatty(STDERR_FILENO);
    if (console_level > LOG_INFO)
        return;
    if (tty) {
        if (total)
            fprintf(stderr, "\r%s: %llu/%llu (%llu%%)\033[K", what, done, total,
                    total ? done * 100 / total : 0);
        else
            fprintf(stderr, "\r%s: %llu\033[K", what, done);
        progress_active = 1;
        if (done == total && total)
            log_progress_end();
    } else if (now - progress_last >= 5 || (total && done == total)) {
        progress_last = now;
        if (total)
            fprintf(stderr, "%s: %llu/%llu\n", what, done, total);
        else
            fprintf(stderr, "%s: %llu\n", what, done);
    }
}

void log_progress_end(void)
{
    if (progress_active) {
        fputc('\n', stderr);
        progress_active = 0;
    }
}
