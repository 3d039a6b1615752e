/* util.h - small helpers: allocation that aborts on OOM, strings, files.
 *
 * Contract: functions returning int give 0 on success and -1 with errno set
 * (and nothing logged) on failure, unless stated otherwise.
 */
#ifndef KSC_UTIL_H
#define KSC_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

void xalloc_die(void) __attribute__((noreturn));  /* "out of memory", abort */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t m);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

bool str_startswith(const char *s, const char *prefix);
bool str_endswith(const char *s, const char *suffix);

int  mkdir_p(const char *path, mode_t mode);
int  rm_rf(const char *path);                  /* does not cross mount points */
int  write_file(const char *path, const char *content, mode_t mode);
int  append_file(const char *path, const char *content);
int  read_file(const char *path, char **buf, size_t *len);  /* NUL-terminated */
int  copy_file(const char *src, const char *dst, mode_t mode); /* mode 0: keep */
bool path_exists(const char *path);
bool is_dir(const char *path);
char *path_join(const char *a, const char *b);  /* a + "/" + b, no doubled '/' */
double now_seconds(void);

#endif
