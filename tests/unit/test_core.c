/* test_core.c - cleanup registry, command runner, file helpers, sysconfig. */
#define _GNU_SOURCE
#include "core/base/cleanup.h"
#include "core/base/fs.h"
#include "core/base/log.h"
#include "core/base/mount.h"
#include "core/base/run.h"
#include "core/sysconfig.h"
#include "core/base/util.h"
#include "core/passwd_hash.h"
#include "tap.h"

#include <crypt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int order[8], n_order;
static void rec(void *d) { order[n_order++] = (int)(long)d; }

static int worker(void *arg)
{
    return *(int *)arg;
}

static void case_cleanup_releases_newest_first(void)
{
    cleanup_push("a", rec, (void *)1L);
    int b = cleanup_push("b", rec, (void *)2L);
    cleanup_push("c", rec, (void *)3L);
    cleanup_forget(b);
    cleanup_release_all();
    is_int(n_order, 2, "forgotten entry is not released");
    ok(order[0] == 3 && order[1] == 1, "released newest first");
    is_int(cleanup_count(), 0, "registry empty after release_all");
}

static void case_tmpdir_files_removed_by_cleanup(void)
{
    char *t = make_tmpdir("/tmp", "ksc-test");
    ok(t && is_dir(t), "make_tmpdir creates a directory");
    char *f = path_join(t, "a/b/c");
    ok(mkdir_p(f, 0755) == 0 && is_dir(f), "mkdir_p nested");
    char *g = path_join(f, "file");
    ok(write_file(g, "hello\n", 0600) == 0, "write_file");
    char *buf;
    size_t len;
    ok(read_file(g, &buf, &len) == 0 && len == 6 && !strcmp(buf, "hello\n"), "read_file back");
    free(buf);
    struct stat st;
    ok(stat(g, &st) == 0 && (st.st_mode & 0777) == 0600, "write_file mode");
    cleanup_release_all();
    ok(!path_exists(t), "tmpdir removed by cleanup");
    free(f);
    free(g);
    free(t);
}

static void case_path_join_strips_slashes(void)
{
    char *pj = path_join("/", "etc");
    is_str(pj, "/etc", "path_join root");
    free(pj);
    pj = path_join("/a/", "/b");
    is_str(pj, "/a/b", "path_join strips slashes");
    free(pj);
}

static void case_run_status_and_output(void)
{
    is_int(run_cmd("true", NULL), 0, "run true");
    is_int(run_cmd("false", NULL), 1, "run false status");
    is_int(run_cmd("sh", "-c", "echo out; echo err >&2; exit 3", NULL), 3, "run status 3");
    ok(strstr(run_last_output(), "err") != NULL, "stderr kept for errors");
    char *out = NULL;
    is_int(run_capture(&out, "echo", "captured", NULL), 0, "run_capture");
    is_str(out, "captured\n", "captured stdout");
    free(out);
    is_int(run_cmd("/nonexistent/program", NULL), 127, "missing program gives 127");
    is_int(cleanup_count(), 0, "no child left registered");
}

static void case_run_fork_status_and_signal(void)
{
    int v = 7;
    is_int(run_fork("worker", worker, &v), 7, "run_fork returns the function's status");
    const char *argv[] = { "sh", "-c", "kill -TERM $$", NULL };
    is_int(run_argv(argv, NULL), 128 + SIGTERM, "killed child reports 128+signal");
}

static void case_argv_to_string_quotes(void)
{
    const char *q[] = { "a b", "it's", "plain", NULL };
    char *s = argv_to_string(q);
    is_str(s, "'a b' 'it'\\''s' plain", "argv_to_string quotes");
    free(s);
}

static void case_sha512_crypt_hash_verifies(void)
{
    char *h = passwd_sha512_crypt("secret");
    ok(h && str_startswith(h, "$6$"), "SHA-512 crypt hash");
    struct crypt_data cd;
    memset(&cd, 0, sizeof cd);
    ok(h && !strcmp(crypt_r("secret", h, &cd), h), "hash verifies");
    free(h);
}

static void case_set_shadow_keeps_other_fields_and_mode(void)
{
    char *h = passwd_sha512_crypt("secret");
    char *root = make_tmpdir("/tmp", "ksc-root");
    char *etc = path_join(root, "etc"), *shadow = path_join(root, "etc/shadow");
    mkdir_p(etc, 0755);
    write_file(shadow, "root:*:19000:0:99999:7:::\nbin:*:19000:0:99999:7:::\n", 0400);
    ok(sysconfig_set_shadow(root, "root", h) == 0, "set root password");
    char *buf = NULL;
    read_file(shadow, &buf, NULL);
    char *expect = xasprintf("root:%s:19000:0:99999:7:::\nbin:*:19000:0:99999:7:::\n", h);
    is_str(buf, expect, "shadow rewritten, other fields kept");
    struct stat st;
    ok(stat(shadow, &st) == 0 && (st.st_mode & 0777) == 0400, "shadow mode kept");
    free(buf);
    free(expect);
    free(h);
    free(etc);
    free(shadow);
    free(root);
}

/* filesystem image + loop + mount (needs root) */
static void case_image_loop_mount_released_by_cleanup(void)
{
    if (geteuid() != 0)
        return;
    char *dir = make_tmpdir("/tmp", "ksc-fs");
    char *img = path_join(dir, "fs.img"), *mp = path_join(dir, "mnt");
    struct stat st;
    ok(fs_make_sparse(img, 64 << 20) == 0, "sparse image");
    ok(stat(img, &st) == 0 && st.st_blocks == 0, "image is sparse");
    ok(fs_mkfs(img, "ext4", "TESTLABEL", NULL) == 0, "mkfs.ext4");
    char dev[64];
    int lid = loop_attach(img, 0, 0, false, dev, sizeof dev);
    ok(lid > 0 && str_startswith(dev, "/dev/loop"), "loop attach %s", dev);
    int mid = mount_fs(dev, mp, "ext4", 0, NULL);
    ok(mid > 0 && is_mountpoint(mp), "mounted");
    char *file = path_join(mp, "x");
    ok(write_file(file, "data", 0644) == 0, "write into the mounted image");
    free(file);
    cleanup_release_all();
    ok(!is_mountpoint(mp) && !path_exists(dir), "cleanup unmounted, detached, removed");
    free(img);
    free(mp);
    free(dir);
}

static const struct tap_case cases[] = {
    TAP_CASE(case_cleanup_releases_newest_first),
    TAP_CASE(case_tmpdir_files_removed_by_cleanup),
    TAP_CASE(case_path_join_strips_slashes),
    TAP_CASE(case_run_status_and_output),
    TAP_CASE(case_run_fork_status_and_signal),
    TAP_CASE(case_argv_to_string_quotes),
    TAP_CASE(case_sha512_crypt_hash_verifies),
    TAP_CASE(case_set_shadow_keeps_other_fields_and_mode),
    TAP_CASE(case_image_loop_mount_released_by_cleanup),
    { 0 },
};

int main(int argc, char **argv)
{
    log_open(LOG_QUIET, NULL);
    return tap_run(cases, argc, argv);
}
