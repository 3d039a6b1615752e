/* log.h - leveled logging to stderr and an optional log file.
 *
 * Contract:
 *  - log_open(level, logfile) once at start; logfile may be NULL.
 *  - Console shows messages at or above the console level; the log file
 *    always receives everything at DEBUG and above with timestamps.
 *  - log_write_raw() appends captured child/scriptlet output to the log
 *    file (and to the console when --debug).
 *  - log_fail() records the reason of a failure; log_close() prints it as
 *    the last line ("Error: ...") when the run fails.
 */
#ifndef KSC_LOG_H
#define KSC_LOG_H

#include <stdarg.h>
#include <stddef.h>

enum log_level { LOG_DEBUG = 0, LOG_VERBOSE = 1, LOG_INFO = 2, LOG_WARN = 3, LOG_ERROR = 4, LOG_QUIET = 5 };

int  log_open(enum log_level console_level, const char *logfile);
void log_close(void);
enum log_level log_get_level(void);
int  log_file_fd(void);           /* -1 when no log file */

void log_msg(enum log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_vmsg(enum log_level lvl, const char *fmt, va_list ap);
void log_write_raw(const char *buf, size_t len);

#define log_debug(...)   log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_verbose(...) log_msg(LOG_VERBOSE, __VA_ARGS__)
#define log_info(...)    log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...)    log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...)   log_msg(LOG_ERROR, __VA_ARGS__)

/* Log an error and remember it as the failure reason; returns -1. */
int  log_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *log_failure(void);
int  log_failure_is_last(void);   /* nothing was printed after it */

/* Progress line on a terminal (overwritten in place); plain log line otherwise. */
void log_progress(const char *what, unsigned long long done, unsigned long long total);
void log_progress_end(void);

#endif
