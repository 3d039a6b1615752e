/* livecd-creator / image-creator - build images from a kickstart file.
 *
 * One program, two names as upstream: livecd-creator builds a live ISO,
 * image-creator a plain filesystem image; --image-type overrides.
 * Exit status: 0 success, 1 failure, 2 usage error.
 */
#define _GNU_SOURCE
#include "core/base/cleanup.h"
#include "core/cli_common.h"
#include "core/creator.h"
#include "core/livename.h"
#include "core/base/log.h"
#include "core/base/mount.h"
#include "core/squashfs.h"
#include "core/base/util.h"
#include "imgtypes/registry.h"

#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

static void usage(FILE *f, const char *prog)
{
    fprintf(f,
            "Usage: %s -c KICKSTART [options]\n"
            "\n"
            "Build an image from a kickstart file.\n"
            "\n"
            "Image options:\n"
            "  -c, --config KS          kickstart file (path or URL) describing the image\n"
            "                           (required; image-creator also takes it as the last\n"
            "                           argument)\n"
            "  -b, --base-on ISO        start from the root file system of an existing live ISO\n"
            "  -f, --fslabel LABEL      file system label and image name, at most 32\n"
            "                           characters, no spaces (default: from the kickstart\n"
            "                           name, the architecture and the date)\n"
            "      --title TITLE        title in the boot menu (default from the name)\n"
            "      --product PRODUCT    product name in boot menu entries (default from the name)\n"
            "      --releasever VER     value of $releasever in repository URLs\n"
            "      --syslinux           boot BIOS machines with ISOLINUX (default: GRUB2)\n"
            "      --nomacboot          do not make an HFS+ Mac boot image (never made here)\n"
            "      --flat-squashfs      squash the root tree directly, no LiveOS/rootfs.img\n"
            "                           inside (adds rd.live.overlay.overlayfs)\n"
            "      --compression-type \"TYPE [ARGS]\"\n"
            "                           squashfs compressor: xz (default), zstd (fast), lz4,\n"
            "                           lzo, gzip, with mksquashfs arguments; xz1m means\n"
            "                           \"xz -b 1M -Xdict-size 1M\"; None keeps the type of\n"
            "                           the --base-on image\n"
            "      --dracut-conf-args \"[+]ARG ...\"\n"
            "                           dracut.conf settings for the live initramfs; a\n"
            "                           leading + appends to the defaults\n"
            "  -p, --plugins            accepted for compatibility (no DNF plugins here)\n"
            "      --repo PATH          .repo file or directory used instead of the\n"
            "                           kickstart's repositories\n"
            "      --pkgverify-level L  all, signature, digest or none\n"
            "      --image-type TYPE    livecd (livecd-creator's default) or image\n"
            "                           (image-creator's default)\n"
            "  -s, --skip-compression   store the root file system uncompressed\n"
            "      --skip-minimize      do not shrink the root file system\n"
            "      --resultdir DIR      write compose outputs there: result JSON, rpm and\n"
            "                           ISO manifests, SPDX SBOM, timings\n"
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
            "      --version            print the version\n"
            "\n"
            "Live image kernel options (kickstart: bootloader --append=\"...\"), passed to\n"
            "dracut's dmsquash-live unchanged:\n"
            "  rd.live.overlay=<dev>:<path>  persistent overlay (made by livecd-iso-to-disk\n"
            "                           --overlay-size-mb N on a USB stick)\n"
            "  rd.live.overlay.size=MiB temporary overlay size (default 32768 in dracut)\n"
            "  rd.live.overlay.overlayfs OverlayFS instead of a device-mapper snapshot\n"
            "                           (required for --flat-squashfs, added automatically)\n"
            "  rd.live.overlay.readonly the persistent overlay read-only under a fresh one\n"
            "  rd.live.check            verify the medium first (the 'Test this media' entry;\n"
            "                           uses the implanted checkisomd5 data)\n"
            "\n"
            "Environment: SOURCE_DATE_EPOCH makes the ISO reproducible (file times, UUIDs,\n"
            "volume dates, the default name's time stamp); --compression-type zstd is the fast choice.\n"
            "Exit status: 0 success, 1 build failure, 2 usage error.\n",
            prog);
}

enum {
    OPT_PRODUCT = 256, OPT_IMAGE_TYPE, OPT_COMPRESSION, OPT_SKIP_MINIMIZE, OPT_SYSLINUX, OPT_NOMACBOOT,
    OPT_FLAT, OPT_DRACUT_ARGS, OPT_PKGVERIFY, OPT_RESULTDIR,
};

static const struct option long_opts[] = {
    { "config", required_argument, NULL, 'c' },
    { "base-on", required_argument, NULL, 'b' },
    { "syslinux", no_argument, NULL, OPT_SYSLINUX },
    { "nomacboot", no_argument, NULL, OPT_NOMACBOOT },
    { "flat-squashfs", no_argument, NULL, OPT_FLAT },
    { "dracut-conf-args", required_argument, NULL, OPT_DRACUT_ARGS },
    { "plugins", no_argument, NULL, 'p' },
    { "pkgverify-level", required_argument, NULL, OPT_PKGVERIFY },
    { "resultdir", required_argument, NULL, OPT_RESULTDIR },
    { "fslabel", required_argument, NULL, 'f' },
    { "name", required_argument, NULL, 'n' },
    { "product", required_argument, NULL, OPT_PRODUCT },
    { "image-type", required_argument, NULL, OPT_IMAGE_TYPE },
    { "compression-type", required_argument, NULL, OPT_COMPRESSION },
    { "skip-compression", no_argument, NULL, 's' },
    { "skip-minimize", no_argument, NULL, OPT_SKIP_MINIMIZE },
    { "shell", no_argument, NULL, 'l' },
    CLI_COMMON_OPTIONS,
    CLI_OPTION_REPO,
    CLI_OPTION_VERSION("version"),
    { NULL, 0, NULL, 0 },
};

/* The options of every type this tool makes; the chosen one is the build's. */
struct type_options {
    struct livecd_opts live;      /* what the command line sets */
    struct loop_opts loop;
    struct raw_opts raw;
    struct installer_opts inst;
};

/* The options of type T from the parsed ones (those that apply to T). */
static void *options_for(const struct imgtype *t, struct type_options *a)
{
    if (t == &imgtype_livecd)
        return &a->live;
    if (t == &imgtype_loop) {
        loop_opts_init(&a->loop);
        a->loop.skip_minimize = a->live.skip_minimize;
        return &a->loop;
    }
    if (t == &imgtype_installer) {
        installer_opts_init(&a->inst);
        a->inst.comp = a->live.comp;
        a->inst.skip_compression = a->live.skip_compression;
        return &a->inst;
    }
    if (t == &imgtype_raw) {
        raw_opts_init(&a->raw);
        return &a->raw;
    }
    return NULL;
}

/* -l: an interactive shell in the image root, as livecd-creator gives it: the
 * host's root at /run/hostroot (not recursive), the ISO tree being staged at
 * /run/iso and the host's resolv.conf; all unmounted again when it exits. */
static int launch_shell(struct creator *cr)
{
    const char *root = cr->instroot;
    int ids[3], n = 0;
    char *hostroot = path_join(root, "run/hostroot"), *iso = path_join(root, "run/iso");
    char *resolv = path_join(root, "etc/resolv.conf");
    int id = mount_fs("/", hostroot, NULL, MS_BIND, NULL);
    if (id > 0)
        ids[n++] = id;
    if (cr->stagedir && is_dir(cr->stagedir) && (id = mount_bind(cr->stagedir, iso, false)) > 0)
        ids[n++] = id;
    struct stat st;
    if (lstat(resolv, &st) == 0 && S_ISREG(st.st_mode) && path_exists("/etc/resolv.conf") &&
        (id = mount_bind("/etc/resolv.conf", resolv, true)) > 0)
        ids[n++] = id;
    log_info("Launching a shell in %s (host root at /run/hostroot); exit it to continue", root);
    /* as system(3): Ctrl-C belongs to the shell while it runs, not to the build */
    struct sigaction ign = { .sa_handler = SIG_IGN }, old_int, old_quit;
    sigaction(SIGINT, &ign, &old_int);
    sigaction(SIGQUIT, &ign, &old_quit);
    pid_t pid = fork();
    if (pid == 0) {
        signal(SIGINT, SIG_DFL);
        signal(SIGQUIT, SIG_DFL);
        if (chroot(root) < 0 || chdir("/") < 0)
            _exit(127);
        setenv("PS1", "[\\u@\\H:install_root\\w:]\\n\\$ ", 1);
        if (access("/bin/bash", X_OK) == 0)
            execl("/bin/bash", "bash", "-i", (char *)NULL);
        execl("/bin/sh", "sh", "-i", (char *)NULL);
        _exit(127);
    }
    int fork_errno = errno;
    if (pid > 0) {
        /* registered: a SIGTERM/SIGHUP to the build, or a failure on the way
         * out, ends the shell through the cleanup registry */
        int pid_id = cleanup_push_pid(pid);
        int wst;
        while (waitpid(pid, &wst, 0) < 0 && errno == EINTR)
            ;
        cleanup_forget(pid_id);
    }
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGQUIT, &old_quit, NULL);
    int rc = pid < 0 ? log_fail("cannot start the shell: %s", strerror(fork_errno)) : 0;
    while (n > 0)
        if (mount_release(ids[--n]) < 0)
            rc = -1;
    int sig = cleanup_interrupted();
    if (rc == 0 && sig)
        rc = log_fail("interrupted by signal %d", sig);
    rmdir(hostroot);
    rmdir(iso);
    free(hostroot);
    free(iso);
    free(resolv);
    return rc;
}

static void free_names(struct creator *cr)
{
    free(cr->fslabel), free(cr->name), free(cr->title), free(cr->product), free(cr->releasever);
    cr->fslabel = cr->name = cr->title = cr->product = cr->releasever = NULL;
}

int main(int argc, char **argv)
{
    char *prog = basename(argv[0]);
    struct creator cr;
    memset(&cr, 0, sizeof cr);
    struct cli_common cc;
    cli_common_init(&cc, prog, usage);
    struct type_options to;
    livecd_opts_init(&to.live);
    struct livecd_opts *lo = &to.live;
    bool as_image_creator = strcmp(prog, "image-creator") == 0;
    const char *image_type = NULL;
    bool shell = false, plugins = false;
    char err[256];
    int c, r;

    while ((c = getopt_long(argc, argv, "c:b:f:n:pls" CLI_COMMON_SHORT, long_opts, NULL)) != -1) {
        switch (c) {
        case 'c': cr.ksfile = optarg; break;
        case 'b': lo->base_on = optarg; break;
        case 'f': free(cr.fslabel); cr.fslabel = xstrdup(optarg); break;
        case 'n': free(cr.fslabel); cr.fslabel = xstrdup(optarg); break;  /* upstream: same as -f */
        case OPT_PRODUCT: cr.product = xstrdup(optarg); break;
        case OPT_SYSLINUX: lo->syslinux = true; break;
        case OPT_NOMACBOOT: lo->nomacboot = true; break;
        case OPT_FLAT: lo->flat_squashfs = true; break;
        case OPT_DRACUT_ARGS: lo->dracut_conf_args = optarg; break;
        case 'p': plugins = true; break;
        case OPT_PKGVERIFY:
            if (strcmp(optarg, "all") && strcmp(optarg, "signature") && strcmp(optarg, "digest") &&
                strcmp(optarg, "none"))
                return cli_usage_error(&cc, "option --pkgverify-level: invalid choice: '%s' (choose "
                                            "from 'all', 'signature', 'digest', 'none')", optarg);
            cr.pkgverify_level = optarg;
            break;
        case OPT_RESULTDIR: cr.resultdir = optarg; break;
        case OPT_IMAGE_TYPE: image_type = optarg; break;
        case OPT_COMPRESSION:
            /* "TYPE [ARGS...]" as upstream (squashfs.h) */
            if (squashfs_comp_parse(&lo->comp, optarg, err, sizeof err) < 0)
                return cli_usage_error(&cc, "%s", err);
            break;
        case 's': lo->skip_compression = true; break;
        case OPT_SKIP_MINIMIZE: lo->skip_minimize = true; break;
        case 'l': shell = true; break;
        default:
            if ((r = cli_common_option(&cr, &cc, c, optarg)) != CLI_CONTINUE)
                return r;
        }
    }
    /* image-creator compatibility: the last argument is the kickstart */
    if (optind == argc - 1 && !cr.ksfile)
        cr.ksfile = argv[optind++];
    else if (optind == argc - 1)
        cr.ksfile = argv[optind++];
    if (optind < argc)
        return cli_usage_error(&cc, "Extra arguments given");
    if (!image_type)
        image_type = as_image_creator ? "image" : "livecd";
    if (!strcmp(image_type, "livecd"))
        cr.type = &imgtype_livecd;
    else if (!strcmp(image_type, "image") || !strcmp(image_type, "loop"))
        cr.type = &imgtype_loop;
    else if (!(cr.type = imgtype_find(image_type)))
        return cli_usage_error(&cc, "'%s' is not a recognized image type", image_type);
    cr.type_opts = options_for(cr.type, &to);
    if (!cr.ksfile)
        return cli_usage_error(&cc, "Kickstart file must be provided");
    if (!strstr(cr.ksfile, "://") && !path_exists(cr.ksfile))
        return cli_usage_error(&cc, "Kickstart file '%s' does not exist", cr.ksfile);
    if (livecd_opts_check(lo, err, sizeof err) < 0)
        return cli_usage_error(&cc, "%s", err);
    if (cr.type == &imgtype_livecd && cr.fslabel) {
        if (strlen(cr.fslabel) > 32)
            return cli_usage_error(&cc, "CD labels are limited to 32 characters");
        if (strchr(cr.fslabel, ' '))
            return cli_usage_error(&cc, "CD labels cannot contain spaces.");
    }
    if (geteuid() != 0) {
        fprintf(stderr, "You must run %s as root\n", prog);
        return 1;
    }
    if (cli_common_start(&cc) < 0)
        return 1;

    /* default name, label, title and product as livecd-creator */
    const char *tname = cr.type == &imgtype_livecd ? "livecd" : "image";
    char *prefix = xasprintf("%s-", tname);
    if (cr.fslabel) {
        cr.name = xstrdup(cr.fslabel);
    } else {
        struct utsname un;
        uname(&un);
        char *stamp = livename_stamp();
        char *suffix = xasprintf("%s-%s", un.machine, stamp);
        cr.name = livename_build(cr.ksfile, prefix, stamp, 0);
        cr.fslabel = livename_build(cr.ksfile, prefix, suffix, 32);
        log_verbose("Using label '%s' and name '%s'", cr.fslabel, cr.name);
        free(suffix);
        free(stamp);
    }
    free(prefix);
    if (!cr.title)
        cr.title = livename_title(cr.name);
    if (!cr.product)
        cr.product = livename_title(cr.name);
    log_verbose("Using title '%s' and product '%s'", cr.title, cr.product);
    if (plugins)
        log_verbose("--plugins: accepted; kscreate's package engine has no DNF plugins");
    if (lo->nomacboot)
        log_verbose("--nomacboot: no HFS+ Mac boot image is ever made");

    int rc = creator_init(&cr);
    if (rc == 0) {
        /* livecd-creator's checks after reading the kickstart (exit 1) */
        if (cr.ks->n_repos == 0 && !cr.ks->url.seen && !cr.repo_path) {
            fprintf(stderr, "Kickstart (%s) must have at least one repository.\n", cr.ksfile);
            rc = -1;
        } else if (cr.pkgverify_level && (!strcmp(cr.pkgverify_level, "all") ||
                                          !strcmp(cr.pkgverify_level, "signature")) &&
                   !cr.repo_path) {
            fprintf(stderr, "Option --pkgverify-level=%s requires the use of --repo=PATH for repo "
                            "configuration\n", cr.pkgverify_level);
            rc = -1;
        } else if (cr.ks->n_repos > 0 && cr.repo_path) {
            fprintf(stderr, "Ignoring kickstart (%s) repo definitions in favor of \"%s\"\n",
                    cr.ksfile, cr.repo_path);
        }
        if (rc < 0) {
            creator_cleanup(&cr);
            free_names(&cr);
            log_close();
            return 1;
        }
    }
    if (rc == 0 && shell) {
        double t0 = now_seconds();
        rc = creator_mount(&cr);
        /* as livecd-creator: -l with -b skips the package install */
        if (rc == 0 && !lo->base_on)
            rc = creator_install(&cr);
        if (rc == 0)
            rc = creator_configure(&cr);
        if (rc == 0)
            rc = launch_shell(&cr);
        if (rc == 0)
            rc = creator_unmount(&cr);
        if (rc == 0)
            rc = creator_package(&cr);
        log_verbose("build took %.1f s", now_seconds() - t0);
    } else if (rc == 0) {
        rc = creator_create(&cr);
    }
    int status = creator_finish(&cr, rc);
    free_names(&cr);
    return status;
}
