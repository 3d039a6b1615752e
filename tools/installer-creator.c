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
#include "core/cli_common.h"
#include "core/creator.h"
#include "core/squashfs.h"
#include "core/base/util.h"
#include "imgtypes/installer.h"
#include "imgtypes/registry.h"

#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

enum { OPT_KS = 256, OPT_WITH_REPO, OPT_PXE, OPT_VARIANT, OPT_BUGURL, OPT_COMPRESSION };

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
    { "compression-type", required_argument, NULL, OPT_COMPRESSION },
    CLI_COMMON_OPTIONS,
    CLI_OPTION_VERSION("tool-version"),
    { NULL, 0, NULL, 0 },
};

int main(int argc, char **argv)
{
    char *prog = basename(argv[0]);
    struct creator cr;
    memset(&cr, 0, sizeof cr);
    cr.type = &imgtype_installer;
    struct installer_opts io;
    installer_opts_init(&io);
    cr.type_opts = &io;
    struct cli_common cc;
    cli_common_init(&cc, prog, usage);
    char err[256];
    int c, r;

    while ((c = getopt_long(argc, argv, "c:f:n:p:V:" CLI_COMMON_SHORT, long_opts, NULL)) != -1) {
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
        case OPT_COMPRESSION:
            if (squashfs_comp_parse(&io.comp, optarg, err, sizeof err) < 0)
                return cli_usage_error(&cc, "%s", err);
            break;
        default:
            if ((r = cli_common_option(&cr, &cc, c, optarg)) != CLI_CONTINUE)
                return r;
        }
    }
    if (optind < argc)
        return cli_usage_error(&cc, "unexpected argument: %s", argv[optind]);
    if (!cr.ksfile) {
        cli_usage_error(&cc, "the runtime kickstart must be given with -c");
        usage(stderr, prog);
        return 2;
    }
    if (installer_opts_check(&io, err, sizeof err) < 0)
        return cli_usage_error(&cc, "%s", err);
    if (!cr.fslabel && io.product && (io.version || cr.releasever))
        cr.fslabel = installer_default_volid(io.product, io.version ? io.version : cr.releasever, NULL);
    if (cr.fslabel && strlen(cr.fslabel) > 32)
        return cli_usage_error(&cc, "the volume id may have at most 32 characters: %s", cr.fslabel);
    if (geteuid() != 0) {
        fprintf(stderr, "%s: you must run %s as root\n", prog, prog);
        return 1;
    }
    if (cli_common_start(&cc) < 0)
        return 1;

    int rc = creator_init(&cr);
    if (rc == 0)
        rc = creator_create(&cr);
    return creator_finish(&cr, rc);
}
