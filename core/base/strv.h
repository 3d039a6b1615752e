/* strv.h - growable, NULL-terminated vectors of strings (argv, lists).
 *
 * A zeroed strv_t is empty and valid.  Every string in it is owned by it
 * (strv_push copies, strv_push_take takes a malloc'd one); sv.v is always
 * NULL-terminated once anything was pushed, so it serves as an execv argv
 * (strv_argv gives the const view run_argv() takes, also for an empty one).
 * Allocation failures abort (xmalloc).
 */
#ifndef KSC_BASE_STRV_H
#define KSC_BASE_STRV_H

#include <stdbool.h>
#include <stddef.h>

typedef struct { char **v; size_t n, cap; } strv_t;

void strv_push(strv_t *sv, const char *s);           /* copies s */
void strv_push_take(strv_t *sv, char *s);            /* takes ownership */
void strv_pushf(strv_t *sv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Push every argument up to a NULL. */
void strv_pushv(strv_t *sv, ...) __attribute__((sentinel));
void strv_free(strv_t *sv);
bool strv_contains(const strv_t *sv, const char *s);
const char *const *strv_argv(strv_t *sv);
/* The strings with SEP between them, malloc'd ("" for an empty vector). */
char *strv_join(const strv_t *sv, const char *sep);

#endif
