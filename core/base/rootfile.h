/* rootfile.h - small helpers to write configuration files into an image root.
 *
 * Contract: REL paths are relative to ROOT (a leading '/' is allowed).
 *  - root_write() creates missing parent directories (0755) and writes the
 *    file with MODE (owner root); 0 or -1 after log_fail().
 *  - root_set_var() sets KEY=VALUE in a shell-style KEY=VALUE file: the first
 *    uncommented KEY= line is replaced, others with that key are dropped, a
 *    missing key is appended; the file is created (MODE) when missing, its
 *    mode is kept otherwise.  VALUE is written as given (quoting it is the
 *    caller's business); one with a newline or another control character is
 *    refused.  0 or -1 after log_fail().
 *  - root_symlink() replaces REL with a symlink to TARGET; 0 or -1 after log_fail().
 *  - root_exists()/root_is_exec() test a path inside the root (symlinks
 *    resolved as if ROOT were '/' for absolute links, one level).
 */
#ifndef KSC_ROOTFILE_H
#define KSC_ROOTFILE_H

#include <stdbool.h>
#include <sys/types.h>

int  root_write(const char *root, const char *rel, const char *content, mode_t mode);
int  root_set_var(const char *root, const char *rel, const char *key, const char *value, mode_t mode);
int  root_symlink(const char *root, const char *rel, const char *target);
bool root_exists(const char *root, const char *rel);
bool root_is_exec(const char *root, const char *rel);
/* first of the NULL-terminated candidate paths that is executable in ROOT, or NULL */
const char *root_find_exec(const char *root, const char *const *candidates);

#endif
