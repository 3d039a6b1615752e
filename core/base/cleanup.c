/* cleanup.c - see cleanup.h */
#define _GNU_SOURCE
#include "core/base/cleanup.h"
#include "core/base/log.h"
#include "core/base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/loop.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

enum kind { K_FN, K_MOUNT, K_LOOP, K_TMPDIR, K_TMPFILE, K_PID };

struct entry {
    int id;
    enum kind kind;
    char *what;
    cleanup_fn fn;
    void *data;
    pid_t pid;
};

static struct entry *entries;
static int n_entries, cap_entries, next_id = 1;
static volatile sig_atomic_t interrupted;

static int push(enum kind k, const char *what, cleanup_fn fn, void *data, pid_t pid)
{
    if (n_entries == cap_entries) {
        cap_entries = cap_entries ? cap_entries * 2 : 32;
        entries = xrealloc(entries, sizeof *entries * (size_t)cap_entries);
    }
    struct entry *e = &entries[n_entries++];
    e->id = next_id++;
    e->kind = k;
    e->what = xstrdup(what);
    e->fn = fn;
    e->data = data;
    e->pid = pid;
    log_debug("registered %s", e->what);
    return e->id;
}

int cleanup_push(const char *what, cleanup_fn fn, void *data) { return push(K_FN, what, fn, data, 0); }
int cleanup_push_mount(const char *mp) { return push(K_MOUNT, mp, NULL, NULL, 0); }
int cleanup_push_loop(const char *dev) { return push(K_LOOP, dev, NULL, NULL, 0); }
int cleanup_push_tmpdir(const char *dir) { return push(K_TMPDIR, dir, NULL, NULL, 0); }
int cleanup_push_tmpfile(const char *path) { return push(K_TMPFILE, path, NULL, NULL, 0); }

char *make_tmpdir(const char *parent, const char *prefix)
{
    char *t = xasprintf("%s/%s-XXXXXX", parent ? parent : "/var/tmp", prefix);
    if (!mkdtemp(t)) {
        free(t);
        return NULL;
    }
    cleanup_push_tmpdir(t);
    return t;
}

char *make_tmpfile(const char *parent, const char *prefix, int *fd, int *id)
{
    char *t = xasprintf("%s/%s-XXXXXX", parent ? parent : "/var/tmp", prefix);
    int f = mkostemp(t, O_CLOEXEC);
    if (f < 0) {
        free(t);
        return NULL;
    }
    int i = cleanup_push_tmpfile(t);
    if (id)
        *id = i;
    if (fd)
        *fd = f;
    else
        close(f);
    return t;
}

int cleanup_push_pid(pid_t pid)
{
    char buf[32];
    snprintf(buf, sizeof buf, "process %d", (int)pid);
    return push(K_PID, buf, NULL, NULL, pid);
}

int umount_retry(const char *mp)
{
    for (int i = 0; i < 10; i++) {
        if (umount2(mp, 0) == 0)
            return 0;
        if (errno == EINVAL || errno == ENOENT)
            return 0; /* not mounted any more */
        if (errno != EBUSY)
            break;
        sync();
        usleep(200000);
    }
    log_warn("unmounting %s: %s; detaching lazily", mp, strerror(errno));
    if (umount2(mp, MNT_DETACH) == 0)
        return 0;
    log_warn("cannot unmount %s: %s", mp, strerror(errno));
    return -1;
}

int loop_detach(const char *dev)
{
    int fd = open(dev, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        log_warn("cannot open %s: %s", dev, strerror(errno));
        return -1;
    }
    int rc = -1;
    for (int i = 0; i < 20; i++) {
        if (ioctl(fd, LOOP_CLR_FD, 0) == 0 || errno == ENXIO) {
            rc = 0;
            break;
        }
        if (errno != EBUSY)
            break;
        usleep(100000);
    }
    if (rc)
        log_warn("cannot detach %s: %s", dev, strerror(errno));
    close(fd);
    return rc;
}

static int kill_wait(pid_t pid)
{
    int st;
    if (waitpid(pid, &st, WNOHANG) == pid)
        return 0;
    /* children run in their own process group: end the whole group */
    kill(-pid, SIGTERM);
    kill(pid, SIGTERM);
    for (int i = 0; i < 50; i++) {
        pid_t r = waitpid(pid, &st, WNOHANG);
        if (r == pid || (r < 0 && errno == ECHILD)) {
            kill(-pid, SIGKILL); /* stragglers left in the group */
            return 0;
        }
        usleep(100000);
    }
    kill(-pid, SIGKILL);
    kill(pid, SIGKILL);
    waitpid(pid, &st, 0);
    return 0;
}

static int release(struct entry *e)
{
    int rc = 0;
    log_debug("releasing %s", e->what);
    switch (e->kind) {
    case K_FN: e->fn(e->data); break;
    case K_MOUNT: rc = umount_retry(e->what); break;
    case K_LOOP: rc = loop_detach(e->what); break;
    case K_TMPDIR: rc = rm_rf(e->what); break;
    case K_TMPFILE:
        if (unlink(e->what) < 0 && errno != ENOENT) {
            log_warn("cannot remove %s: %s", e->what, strerror(errno));
            rc = -1;
        }
        break;
    case K_PID: rc = kill_wait(e->pid); break;
    }
    free(e->what);
    return rc;
}

static int find(int id)
{
    for (int i = n_entries - 1; i >= 0; i--)
        if (entries[i].id == id)
            return i;
    return -1;
}

static void remove_at(int i)
{
    memmove(&entries[i], &entries[i + 1], sizeof *entries * (size_t)(n_entries - i - 1));
    n_entries--;
}

int cleanup_release(int id)
{
    int i = find(id);
    if (i < 0)
        return 0;
    struct entry e = entries[i];
    remove_at(i);
    return release(&e);
}

void cleanup_forget(int id)
{
    int i = find(id);
    if (i < 0)
        return;
    free(entries[i].what);
    remove_at(i);
}

void cleanup_release_all(void)
{
    while (n_entries > 0) {
        struct entry e = entries[--n_entries];
        release(&e);
    }
}

int cleanup_count(void) { return n_entries; }

void cleanup_keep_tmpdirs(void)
{
    for (int i = n_entries - 1; i >= 0; i--)
        if (entries[i].kind == K_TMPDIR) {
            log_info("keeping %s", entries[i].what);
            free(entries[i].what);
            remove_at(i);
        }
}
int cleanup_interrupted(void) { return interrupted; }

static void on_signal(int sig)
{
    if (interrupted) {
        /* second signal: give up waiting for the main flow */
        cleanup_release_all();
        _exit(130);
    }
    interrupted = sig;
    for (int i = 0; i < n_entries; i++)
        if (entries[i].kind == K_PID) {
            kill(-entries[i].pid, SIGTERM);
            kill(entries[i].pid, SIGTERM);
        }
}

void cleanup_handle_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}
