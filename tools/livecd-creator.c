/* livecd-creator / image-creator - build images from a kickstart file.
 *
 * One program, two names as upstream: livecd-creator builds a live ISO,
 * image-creator a plain filesystem image; --image-type overrides.
 * Exit status: 0 success, 1 failure, 2 usage error.
 */
#define _GNU_SOURCE
#include "core/cleanup.h"
#include "core/creator.h"
#include "core/log.h"
#include "core/util.h"

#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define KSC_VERSION "0.1"

static void usage(FILE *f, const char *prog)
{
    fprintf(f,
            "Usage: %s -c KICKSTART [options]\n"
            "\n"
            "Build an image from a kickstart file.\n"
            "\n"
            "Image options:\n"
            "  -c, --config KS          kickstart file describing the image (required)\n"
            "  -f, --fslabel LABEL      volume/filesystem label, at most 32 characters\n"
            "  -n, --name NAME          image name (default: the label)\n"
            "      --title TITLE        title shown in the boot menu\n"
            "      --product PRODUCT    product name\n"
            "      --releasever VER     value of $releasever in repository URLs\n"
            "      --image-type TYPE    livecd (livecd-creator's default) or loop\n"
            "                           (image-creator's default)\n"
            "      --compression-type T squashfs compressor: xz (default), zstd, lz4,\n"
            "                           lzo, gzip\n"
            "      --skip-compression   store the squashfs uncompressed\n"
            "      --skip-minimize      do not shrink the root filesystem\n"
            "\n"
            "System directories:\n"
            "  -t, --tmpdir DIR         where the temporary work tree goes (/var/tmp)\n"
            "  -o, --output DIR         where the image is written (.)\n"
            "      --cache DIR          package and metadata cache (kept, reused)\n"
            "      --cacheonly          use only the cache, no downloads\n"
            "\n"
            "Debugging:\n"
            "  -l, --shell              open a shell in the image before packaging\n"
            "      --nocleanup          keep the temporary work tree\n"
            "  -d, --debug              debug output\n"
            "  -v, --verbose            verbose output\n"
            "  -q, --quiet              only errors\n"
            "      --logfile FILE       write the full log (commands, scriptlets) to FILE\n"
            "  -h, --help               this help\n"
            "      --version            print the version\n",
            prog);
}

enum {
    OPT_TITLE = 256, OPT_PRODUCT, OPT_RELEASEVER, OPT_IMAGE_TYPE, OPT_COMPRESSION,
    OPT_SKIP_COMPRESSION, OPT_SKIP_MINIMIZE, OPT_CACHE, OPT_CACHEONLY, OPT_NOCLEANUP,
    OPT_LOGFILE, OPT_VERSION,
};

static const struct option long_opts[] = {
    { "config", required_argument, NULL, 'c' },
    { "fslabel", required_argument, NULL, 'f' },
    { "name", required_argument, NULL, 'n' },
    { "title", required_argument, NULL, OPT_TITLE },
    { "product", required_argument, NULL, OPT_PRODUCT },
    { "releasever", required_argument, NULL, OPT_RELEASEVER },
    { "image-type", required_argument, NULL, OPT_IMAGE_TYPE },
    { "compression-type", required_argument, NULL, OPT_COMPRESSION },
    { "skip-compression", no_argument, NULL, OPT_SKIP_COMPRESSION },
    { "skip-minimize", no_argument, NULL, OPT_SKIP_MINIMIZE },
    { "tmpdir", required_argument, NULL, 't' },
    { "output", required_argument, NULL, 'o' },
    { "cache", required_argument, NULL, OPT_CACHE },
    { "cacheonly", no_argument, NULL, OPT_CACHEONLY },
    { "shell", no_argument, NULL, 'l' },
    { "nocleanup", no_argument, NULL, OPT_NOCLEANUP },
    { "debug", no_argument, NULL, 'd' },
    { "verbose", no_argument, NULL, 'v' },
    { "quiet", no_argument, NULL, 'q' },
    { "logfile", required_argument, NULL, OPT_LOGFILE },
    { "help", no_argument, NULL, 'h' },
    { "version", no_argument, NULL, OPT_VERSION },
    { NULL, 0, NULL, 0 },
};

static int launch_shell(const char *root)
{
    log_info("Launching a shell in %s; exit it to continue", root);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        if (chroot(root) < 0 || chdir("/") < 0)
            _exit(127);
        execl("/bin/sh", "sh", "-i", (char *)NULL);
        _exit(127);
    }
    int st;
    waitpid(pid, &st, 0);
    return 0;
}

int main(int argc, char **argv)
{
    char *prog = basename(argv[0]);
    struct creator cr;
    memset(&cr, 0, sizeof cr);
    cr.type = strcmp(prog, "image-creator") == 0 ? &imgtype_loop : &imgtype_livecd;
    enum log_level level = LOG_INFO;
    const char *logfile = NULL;
    bool shell = false;
    int c;

    while ((c = getopt_long(argc, argv, "c:f:n:t:o:ldvqh", long_opts, NULL)) != -1) {
        switch (c) {
        case 'c': cr.ksfile = optarg; break;
        case 'f': cr.fslabel = xstrdup(optarg); break;
        case 'n': cr.name = xstrdup(optarg); break;
        case OPT_TITLE: cr.title = xstrdup(optarg); break;
        case OPT_PRODUCT: cr.product = xstrdup(optarg); break;
        case OPT_RELEASEVER: cr.releasever = xstrdup(optarg); break;
        case OPT_IMAGE_TYPE:
            cr.type = imgtype_find(optarg);
            if (!cr.type) {
                fprintf(stderr, "%s: unknown image type: %s\n", prog, optarg);
                return 2;
            }
            break;
        case OPT_COMPRESSION: {
            /* "TYPE" or "TYPE ARGS..." as upstream */
            char *sp = strchr(optarg, ' ');
            if (sp) {
                *sp = 0;
                cr.compression_args = sp + 1;
            }
            cr.compression = optarg;
            break;
        }
        case OPT_SKIP_COMPRESSION: cr.skip_compression = true; break;
        case OPT_SKIP_MINIMIZE: cr.skip_minimize = true; break;
        case 't': cr.tmpdir_parent = optarg; break;
        case 'o': cr.outdir = optarg; break;
        case OPT_CACHE: cr.cachedir = optarg; break;
        case OPT_CACHEONLY: cr.cacheonly = true; break;
        case 'l': shell = true; break;
        case OPT_NOCLEANUP: cr.nocleanup = true; break;
        case 'd': level = LOG_DEBUG; break;
        case 'v': if (level > LOG_VERBOSE) level = LOG_VERBOSE; break;
        case 'q': level = LOG_QUIET; break;
        case OPT_LOGFILE: logfile = optarg; break;
        case 'h': usage(stdout, prog); return 0;
        case OPT_VERSION: printf("%s (kscreate) %s\n", prog, KSC_VERSION); return 0;
        default: usage(stderr, prog); return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "%s: unexpected argument: %s\n", prog, argv[optind]);
        usage(stderr, prog);
        return 2;
    }
    if (!cr.ksfile) {
        fprintf(stderr, "%s: a kickstart file must be given with -c\n", prog);
        usage(stderr, prog);
        return 2;
    }
    if (cr.fslabel && strlen(cr.fslabel) > 32) {
        fprintf(stderr, "%s: the label may have at most 32 characters: %s\n", prog, cr.fslabel);
        return 2;
    }
    if (geteuid() != 0) {
        fprintf(stderr, "%s: you must run %s as root\n", prog, prog);
        return 1;
    }
    if (log_open(level, logfile) < 0)
        return 1;
    cleanup_handle_signals();

    int rc = creator_init(&cr);
    if (rc == 0 && shell) {
        double t0 = now_seconds();
        rc = creator_mount(&cr);
        if (rc == 0)
            rc = creator_install(&cr);
        if (rc == 0)
            rc = creator_configure(&cr);
        if (rc == 0)
            launch_shell(cr.instroot);
        if (rc == 0)
            rc = creator_unmount(&cr);
        if (rc == 0)
            rc = creator_package(&cr);
        log_verbose("build took %.1f s", now_seconds() - t0);
    } else if (rc == 0) {
        rc = creator_create(&cr);
    }
    creator_cleanup(&cr);
    if (rc < 0 || cleanup_interrupted()) {
        const char *why = log_failure();
        if (!why || !log_failure_is_last())
            log_error("%s", why ? why : "the build failed");
        log_close();
        return 1;
    }
    log_close();
    return 0;
}
