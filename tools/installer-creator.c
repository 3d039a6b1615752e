/* installer-creator - build lorax-style installation media from kickstarts.
 *
 *   installer-creator -c RUNTIME.ks [--ks TARGET.ks] [--with-repo] [--pxe]
 *                     [-f VOLID] [-o OUTDIR] ...
 * RUNTIME.ks lists the installer environment (images/install.img); TARGET.ks
 * is embedded as /ks.cfg (inst.ks=hd:LABEL=<volid>:/ks.cfg); --with-repo puts
 * its resolved packages on the media with repository metadata (DVD).
 * Exit status: 0 success, 1 failure, 2 usage error.
 */
#define _GNU_SOURCE
#include "core/base/cleanup.h"
#include "core/creator.h"
#include "core/base/log.h"
#include "core/base/util.h"
#include "imgtypes/installer.h"
#include "imgtypes/registry.h"

#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define KSC_VERSION "0.1"

static void usage(FILE *f, const char *prog)
{
    fprintf(f,
            "Usage: %s -c RUNTIME_KICKSTART [options]\n"
            "\n"
            "Build installation media as lorax does (boot.iso; a DVD with --with-repo).\n"
            "\n"
            "Media options:\n"
            "  -c, --config KS          kickstart of the installer runtime (required)\n"
            "      --ks KS              target kickstart embedded as /ks.cfg (inst.ks=)\n"
            "      --with-repo          put the target's resolved packages on the media\n"
            "                           (Packages/ + repodata/ with comps), the embedded\n"
            "                           kickstart installs from them\n"
            "      --pxe                also write OUTDIR/NAME-pxeboot/ (kernel, initrd,\n"
            "                           install.img, example PXE configurations)\n"
            "  -f, --volid VOLID        ISO volume id, at most 32 characters\n"
            "                           (default PRODUCT-VERSION-x86_64)\n"
            "  -n, --name NAME          output name (default: the volume id)\n"
            "  -p, --product PRODUCT    product name (default: the runtime's os-release NAME)\n"
            "  -V, --version VERSION    product version (default: --releasever or VERSION_ID)\n"
            "      --variant VARIANT    variant for .treeinfo (default Everything with a repo)\n"
            "      --bugurl URL         bug reporting URL for .buildstamp\n"
            "      --title TITLE        boot menu title\n"
            "      --releasever VER     value of $releasever in repository URLs\n"
            "      --compression-type T squashfs compressor for install.img (xz)\n"
            "\n"
            "System directories:\n"
            "  -t, --tmpdir DIR         where the temporary work tree goes (/var/tmp)\n"
            "  -o, --output DIR         where the media are written (.)\n"
            "      --cache DIR          package and metadata cache (kept, reused)\n"
            "      --cacheonly          use only the cache, no downloads\n"
            "\n"
            "Debugging:\n"
            "      --nocleanup          keep the temporary work tree\n"
            "  -d, --debug / -v, --verbose / -q, --quiet\n"
            "      --logfile FILE       write the full log to FILE\n"
            "  -h, --help               this help\n",
            prog);
}

enum {
    OPT_KS = 256, OPT_WITH_REPO, OPT_PXE, OPT_VARIANT, OPT_BUGURL, OPT_TITLE, OPT_RELEASEVER,
    OPT_COMPRESSION, OPT_CACHE, OPT_CACHEONLY, OPT_NOCLEANUP, OPT_LOGFILE, OPT_VERSION_INFO,
};

static const struct option long_opts[] = {
    { "config", required_argument, NULL, 'c' },
    { "ks", required_argument, NULL, OPT_KS },
    { "with-repo", no_argument, NULL, OPT_WITH_REPO },
    { "pxe", no_argument, NULL, OPT_PXE },
    { "volid", required_argument, NULL, 'f' },
    { "fslabel", required_argument, NULL, 'f' },
    { "name", required_argument, NULL, 'n' },
    { "product", required_argument, NULL, 'p' },
    { "version", required_argument, NULL, 'V' },
    { "variant", required_argument, NULL, OPT_VARIANT },
    { "bugurl", required_argument, NULL, OPT_BUGURL },
    { "title", required_argument, NULL, OPT_TITLE },
    { "releasever", required_argument, NULL, OPT_RELEASEVER },
    { "compression-type", required_argument, NULL, OPT_COMPRESSION },
    { "tmpdir", required_argument, NULL, 't' },
    { "output", required_argument, NULL, 'o' },
    { "cache", required_argument, NULL, OPT_CACHE },
    { "cacheonly", no_argument, NULL, OPT_CACHEONLY },
    { "nocleanup", no_argument, NULL, OPT_NOCLEANUP },
    { "debug", no_argument, NULL, 'd' },
    { "verbose", no_argument, NULL, 'v' },
    { "quiet", no_argument, NULL, 'q' },
    { "logfile", required_argument, NULL, OPT_LOGFILE },
    { "help", no_argument, NULL, 'h' },
    { "tool-version", no_argument, NULL, OPT_VERSION_INFO },
    { NULL, 0, NULL, 0 },
};

int main(int argc, char **argv)
{
    char *prog = basename(argv[0]);
    struct creator cr;
    memset(&cr, 0, sizeof cr);
    cr.type = &imgtype_installer;
    struct installer_opts io = { 0 };
    enum log_level level = LOG_INFO;
    const char *logfile = NULL;
    int c;

    while ((c = getopt_long(argc, argv, "c:f:n:p:V:t:o:dvqh", long_opts, NULL)) != -1) {
        switch (c) {
        case 'c': cr.ksfile = optarg; break;
        case OPT_KS: io.target_ks = optarg; break;
        case OPT_WITH_REPO: io.with_repo = true; break;
        case OPT_PXE: io.pxe = true; break;
        case 'f': cr.fslabel = xstrdup(optarg); break;
        case 'n': cr.name = xstrdup(optarg); break;
        case 'p': io.product = optarg; break;
        case 'V': io.version = optarg; break;
        case OPT_VARIANT: io.variant = optarg; break;
        case OPT_BUGURL: io.bugurl = optarg; break;
        case OPT_TITLE: cr.title = xstrdup(optarg); break;
        case OPT_RELEASEVER: cr.releasever = xstrdup(optarg); break;
        case OPT_COMPRESSION: {
            char *sp = strchr(optarg, ' ');
            if (sp) {
                *sp = 0;
                cr.compression_args = sp + 1;
            }
            cr.compression = optarg;
            break;
        }
        case 't': cr.tmpdir_parent = optarg; break;
        case 'o': cr.outdir = optarg; break;
        case OPT_CACHE: cr.cachedir = optarg; break;
        case OPT_CACHEONLY: cr.cacheonly = true; break;
        case OPT_NOCLEANUP: cr.nocleanup = true; break;
        case 'd': level = LOG_DEBUG; break;
        case 'v': if (level > LOG_VERBOSE) level = LOG_VERBOSE; break;
        case 'q': level = LOG_QUIET; break;
        case OPT_LOGFILE: logfile = optarg; break;
        case 'h': usage(stdout, prog); return 0;
        case OPT_VERSION_INFO: printf("%s (kscreate) %s\n", prog, KSC_VERSION); return 0;
        default: usage(stderr, prog); return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "%s: unexpected argument: %s\n", prog, argv[optind]);
        return 2;
    }
    if (!cr.ksfile) {
        fprintf(stderr, "%s: the runtime kickstart must be given with -c\n", prog);
        usage(stderr, prog);
        return 2;
    }
    if (io.target_ks && access(io.target_ks, R_OK) < 0) {
        fprintf(stderr, "%s: cannot read the target kickstart %s\n", prog, io.target_ks);
        return 2;
    }
    if (!cr.fslabel && io.product && (io.version || cr.releasever))
        cr.fslabel = installer_default_volid(io.product, io.version ? io.version : cr.releasever, NULL);
    if (cr.fslabel && strlen(cr.fslabel) > 32) {
        fprintf(stderr, "%s: the volume id may have at most 32 characters: %s\n", prog, cr.fslabel);
        return 2;
    }
    if (geteuid() != 0) {
        fprintf(stderr, "%s: you must run %s as root\n", prog, prog);
        return 1;
    }
    if (log_open(level, logfile) < 0)
        return 1;
    cleanup_handle_signals();
    installer_set_options(&io);

    int rc = creator_init(&cr);
    if (rc == 0)
        rc = creator_create(&cr);
    return creator_finish(&cr, rc);
}
