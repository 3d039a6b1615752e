/* run.h - running external commands and forked workers.
 *
 * Contract:
 *  - run_argv() forks, execs argv[0] (PATH lookup) optionally chrooted, with
 *    stdin from /dev/null and stdout+stderr captured: every line goes to the
 *    log file, and the last few KiB are kept for error messages
 *    (run_last_output()).  The child is registered with cleanup while it
 *    runs.  Returns the exit status (0..255), 128+signal when killed, or -1
 *    when it could not be started (logged).
 *  - run_fork() runs a C function in a forked child with the same output
 *    handling; its return value becomes the exit status.
 *  - capture: when non-NULL, stdout is returned there instead of logged.
 */
#ifndef KSC_RUN_H
#define KSC_RUN_H

#include <stddef.h>

struct run_opts {
    const char *chroot;        /* chroot into this directory first */
    const char *cwd;           /* working directory (inside chroot) */
    const char *const *env;    /* extra "NAME=value" entries, NULL-terminated */
    char **capture;            /* receives stdout (malloc'd) if non-NULL */
    int out_fd;                /* if > 0, stdout+stderr also copied here */
};

int run_argv(const char *const argv[], const struct run_opts *opts);
int run_cmd(const char *prog, ...) __attribute__((sentinel));             /* no opts */
int run_capture(char **out, const char *prog, ...) __attribute__((sentinel));
int run_fork(const char *what, int (*fn)(void *), void *arg);
const char *run_last_output(void);
char *argv_to_string(const char *const argv[]);

#endif
