/* run.c - see run.h */
#define _GNU_SOURCE
#include "core/base/run.h"
#include "core/base/cleanup.h"
#include "core/base/escape.h"
#include "core/base/log.h"
#include "core/base/strbuf.h"
#include "core/base/strv.h"
#include "core/base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define TAIL_MAX 8192
static char tail_buf[TAIL_MAX + 1];
static size_t tail_len;

const char *run_last_output(void)
{
    tail_buf[tail_len] = 0;
    return tail_buf;
}

static void tail_add(const char *b, size_t n)
{
    if (n >= TAIL_MAX) {
        memcpy(tail_buf, b + n - TAIL_MAX, TAIL_MAX);
        tail_len = TAIL_MAX;
        return;
    }
    if (tail_len + n > TAIL_MAX) {
        size_t drop = tail_len + n - TAIL_MAX;
        memmove(tail_buf, tail_buf + drop, tail_len - drop);
        tail_len -= drop;
    }
    memcpy(tail_buf + tail_len, b, n);
    tail_len += n;
}

char *argv_to_string(const char *const argv[])
{
    struct strbuf b = { 0 };
    for (int i = 0; argv[i]; i++) {
        if (i)
            strbuf_addc(&b, ' ');
        esc_sh_word(&b, argv[i]);
    }
    return strbuf_take(&b);
}

/* Collect output of child until EOF; returns exit status. */
static int collect(pid_t pid, int outfd, int errfd, const struct run_opts *o, int passthrough)
{
    struct pollfd p[2] = { { outfd, POLLIN, 0 }, { errfd, POLLIN, 0 } };
    struct strbuf cap = { 0 };
    int open_fds = (outfd >= 0) + (errfd >= 0);
    char buf[16384];
    double killed_at = 0;
    tail_len = 0;
    while (open_fds > 0) {
        int r = poll(p, 2, 500);
        if (cleanup_interrupted()) {
            /* the signal handler sent SIGTERM; insist after 5 s */
            if (killed_at == 0)
                killed_at = now_seconds();
            else if (now_seconds() - killed_at > 5)
                kill(-pid, SIGKILL);
        }
        if (r < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        for (int i = 0; i < 2; i++) {
            if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            ssize_t n = read(p[i].fd, buf, sizeof buf);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0) {
                close(p[i].fd);
                p[i].fd = -1;
                open_fds--;
                continue;
            }
            if (i == 0 && o && o->capture) {
                strbuf_addn(&cap, buf, (size_t)n);
            } else if (passthrough) {
                /* a forked worker logs for itself; show its console output */
                ssize_t w = write(STDERR_FILENO, buf, (size_t)n);
                (void)w;
                tail_add(buf, (size_t)n);
            } else {
                log_write_raw(buf, (size_t)n);
                tail_add(buf, (size_t)n);
                if (o && o->out_fd > 0) {
                    ssize_t w = write(o->out_fd, buf, (size_t)n);
                    (void)w;
                }
            }
        }
    }
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    if (o && o->capture)
        *o->capture = strbuf_take(&cap);
    if (WIFEXITED(st))
        return WEXITSTATUS(st);
    if (WIFSIGNALED(st))
        return 128 + WTERMSIG(st);
    return 1;
}

static pid_t spawn(int *outfd, int *errfd, const struct run_opts *o,
                   int (*child)(const void *), const void *carg)
{
    int po[2], pe[2];
    if (pipe2(po, O_CLOEXEC) < 0)
        return -1;
    if (pipe2(pe, O_CLOEXEC) < 0) {
        close(po[0]);
        close(po[1]);
        return -1;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(po[0]); close(po[1]); close(pe[0]); close(pe[1]);
        return -1;
    }
    if (pid == 0) {
        setpgid(0, 0); /* own group: cleanup can end the child's whole tree */
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        signal(SIGHUP, SIG_DFL);
        signal(SIGPIPE, SIG_DFL);
        int devnull = open("/dev/null", O_RDONLY);
        if (devnull >= 0) {
            dup2(devnull, 0);
            close(devnull);
        }
        dup2(po[1], 1);
        dup2(pe[1], 2);
        if (o && o->chroot) {
            if (chroot(o->chroot) < 0 || chdir("/") < 0) {
                fprintf(stderr, "chroot %s: %s\n", o->chroot, strerror(errno));
                _exit(127);
            }
        }
        if (o && o->cwd && chdir(o->cwd) < 0) {
            fprintf(stderr, "chdir %s: %s\n", o->cwd, strerror(errno));
            _exit(127);
        }
        if (o && o->env)
            for (int i = 0; o->env[i]; i++)
                putenv((char *)o->env[i]);
        _exit(child(carg));
    }
    setpgid(pid, pid);
    close(po[1]);
    close(pe[1]);
    *outfd = po[0];
    *errfd = pe[0];
    return pid;
}

static int exec_child(const void *a)
{
    const char *const *argv = a;
    execvp(argv[0], (char *const *)argv);
    fprintf(stderr, "cannot execute %s: %s\n", argv[0], strerror(errno));
    return 127;
}

int run_argv(const char *const argv[], const struct run_opts *o)
{
    char *cmd = argv_to_string(argv);
    log_debug("running: %s%s%s", o && o->chroot ? "(chroot " : "",
              o && o->chroot ? o->chroot : "", cmd);
    int of, ef;
    pid_t pid = spawn(&of, &ef, o, exec_child, argv);
    if (pid < 0) {
        log_error("cannot start %s: %s", cmd, strerror(errno));
        free(cmd);
        return -1;
    }
    int id = cleanup_push_pid(pid);
    int rc = collect(pid, of, ef, o, 0);
    cleanup_forget(id);
    if (rc == 127 && strstr(run_last_output(), "cannot execute"))
        log_error("%s: command not found", argv[0]);
    log_debug("exit status %d: %s", rc, cmd);
    free(cmd);
    return rc;
}

static int vrun(char **capture, const char *prog, va_list ap)
{
    strv_t argv = { 0 };
    strv_push(&argv, prog);
    for (const char *a; (a = va_arg(ap, const char *));)
        strv_push(&argv, a);
    struct run_opts o = { 0 };
    o.capture = capture;
    int r = run_argv(strv_argv(&argv), &o);
    strv_free(&argv);
    return r;
}

int run_cmd(const char *prog, ...)
{
    va_list ap;
    va_start(ap, prog);
    int r = vrun(NULL, prog, ap);
    va_end(ap);
    return r;
}

int run_capture(char **out, const char *prog, ...)
{
    va_list ap;
    va_start(ap, prog);
    int r = vrun(out, prog, ap);
    va_end(ap);
    return r;
}

struct fork_arg { int (*fn)(void *); void *arg; };

static int fork_child(const void *a)
{
    const struct fork_arg *fa = a;
    int r = fa->fn(fa->arg);
    fflush(NULL);
    return r < 0 ? 1 : r;
}

int run_fork(const char *what, int (*fn)(void *), void *arg)
{
    struct fork_arg fa = { fn, arg };
    int of, ef;
    log_debug("forking worker: %s", what);
    pid_t pid = spawn(&of, &ef, NULL, fork_child, &fa);
    if (pid < 0) {
        log_error("cannot fork for %s: %s", what, strerror(errno));
        return -1;
    }
    int id = cleanup_push_pid(pid);
    int rc = collect(pid, of, ef, NULL, 1);
    cleanup_forget(id);
    return rc;
}
