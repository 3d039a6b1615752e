/* appliance-creator - partitioned disk images for virtual machines from a
 * kickstart (appliance-tools compatible options), on kscreate's raw backend.
 *
 * Exit status: 0 success, 1 failure, 2 usage error (including a kickstart
 * whose partitioning cannot work: checked before anything is written).
 */
#define _GNU_SOURCE
#include "core/cli_common.h"
#include "core/creator.h"
#include "core/base/log.h"
#include "core/base/util.h"
#include "imgtypes/raw.h"
#include "imgtypes/registry.h"

#include <getopt.h>
#include <limits.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(FILE *f, const char *prog)
{
    fprintf(f,
            "Usage: %s -c KICKSTART [options]\n"
            "\n"
            "Build a partitioned, bootable disk image (GRUB2 BIOS and UEFI) from a kickstart.\n"
            "\n"
            "Image options:\n"
            "  -c, --config KS          kickstart file (part, reqpart, bootloader, clearpart, ...)\n"
            "  -n, --name NAME          image name: NAME-sda.FORMAT, NAME.xml\n"
            "      --version VER        appliance version (metadata)\n"
            "      --release REL        appliance release (metadata)\n"
            "  -f, --format FMT         raw (default), raw.xz, qcow2, vmdk, vdi, vhdx\n"
            "      --compress           compress: qcow2 clusters, raw -> raw.xz (xz -T0)\n"
            "      --checksum[=ALGO]    write IMAGE.sha256 (or =sha512, =sha1, =md5) files\n"
            "      --bmap               write IMAGE.bmap for raw images (bmaptool)\n"
            "      --vmem MIB           memory of the VM in the libvirt XML (512)\n"
            "      --vcpu N             virtual CPUs in the libvirt XML (1)\n"
            "      --no-xml             do not write the libvirt domain XML\n"
            "      --overlay FILE       qcow2: also create FILE, a copy-on-write overlay\n"
            "                           backed by the image (backing file, relative)\n"
            "      --disklabel gpt|msdos  partition table type (default: clearpart\n"
            "                           --disklabel, else gpt)\n"
            "      --disk-size MIB      fixed disk size; --grow partitions fill it\n"
            "      --no-bios, --no-uefi skip one boot loader flavour\n"
            "      --extlinux           use extlinux for BIOS when the image has it\n"
            "      --title TITLE        boot menu title\n"
            "      --releasever VER     value of $releasever in repository URLs\n"
            "\n"
            "System directories:\n"
            "  -t, --tmpdir DIR         temporary work tree (/var/tmp)\n"
            "  -o, --outdir DIR         where the images go (.)\n"
            "      --cache DIR          package and metadata cache\n"
            "      --cacheonly          use only the cache\n"
            "\n"
            "Debugging:\n"
            "      --nocleanup          keep the temporary work tree\n"
            "  -d, --debug / -v, --verbose / -q, --quiet\n"
            "      --logfile FILE       full log\n"
            "  -h, --help               this help\n"
            "      --tool-version       print the program version\n",
            prog);
}

enum {
    OPT_VERSION = 256, OPT_RELEASE, OPT_COMPRESS, OPT_CHECKSUM, OPT_BMAP, OPT_VMEM, OPT_VCPU, OPT_NOXML,
    OPT_OVERLAY, OPT_DISKLABEL, OPT_DISKSIZE, OPT_NOBIOS, OPT_NOUEFI, OPT_EXTLINUX,
};

static const struct option long_opts[] = {
    { "config", required_argument, NULL, 'c' },
    { "name", required_argument, NULL, 'n' },
    { "version", required_argument, NULL, OPT_VERSION },
    { "release", required_argument, NULL, OPT_RELEASE },
    { "format", required_argument, NULL, 'f' },
    { "compress", no_argument, NULL, OPT_COMPRESS },
    { "checksum", optional_argument, NULL, OPT_CHECKSUM },
    { "bmap", no_argument, NULL, OPT_BMAP },
    { "vmem", required_argument, NULL, OPT_VMEM },
    { "vcpu", required_argument, NULL, OPT_VCPU },
    { "no-xml", no_argument, NULL, OPT_NOXML },
    { "overlay", required_argument, NULL, OPT_OVERLAY },
    { "backing-file", required_argument, NULL, OPT_OVERLAY },
    { "disklabel", required_argument, NULL, OPT_DISKLABEL },
    { "disk-size", required_argument, NULL, OPT_DISKSIZE },
    { "no-bios", no_argument, NULL, OPT_NOBIOS },
    { "no-uefi", no_argument, NULL, OPT_NOUEFI },
    { "extlinux", no_argument, NULL, OPT_EXTLINUX },
    { "outdir", required_argument, NULL, 'o' },
    CLI_COMMON_OPTIONS,
    CLI_OPTION_VERSION("tool-version"),
    { NULL, 0, NULL, 0 },
};

/* a number for OPT; its range is raw_opts_check's */
static int parse_long(const struct cli_common *cc, const char *opt, const char *s, long *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end) {
        cli_usage_error(cc, "%s: expected a number, got '%s'", opt, s);
        return -1;
    }
    *out = v;
    return 0;
}

int main(int argc, char **argv)
{
    char *prog = basename(argv[0]);
    struct creator cr;
    memset(&cr, 0, sizeof cr);
    cr.type = &imgtype_raw;
    struct raw_opts ro;
    raw_opts_init(&ro);
    struct raw_opts *o = &ro;
    cr.type_opts = o;
    struct cli_common cc;
    cli_common_init(&cc, prog, usage);
    long num;
    char err[256];
    int c, r;

    while ((c = getopt_long(argc, argv, "c:n:f:" CLI_COMMON_SHORT, long_opts, NULL)) != -1) {
        switch (c) {
        case 'c': cr.ksfile = optarg; break;
        case 'n': cr.name = xstrdup(optarg); break;
        case OPT_VERSION: o->version = optarg; break;
        case OPT_RELEASE: o->release = optarg; break;
        case 'f': o->format = optarg; break;
        case OPT_COMPRESS: o->compress = true; break;
        case OPT_CHECKSUM: o->checksum = optarg ? optarg : "sha256"; break;
        case OPT_BMAP: o->bmap = true; break;
        case OPT_VMEM:
            if (parse_long(&cc, "--vmem", optarg, &num) < 0)
                return 2;
            o->vmem_mib = num;
            break;
        case OPT_VCPU:
            if (parse_long(&cc, "--vcpu", optarg, &num) < 0)
                return 2;
            o->vcpu = num > INT_MAX ? INT_MAX : num < INT_MIN ? INT_MIN : (int)num;
            break;
        case OPT_NOXML: o->libvirt_xml = false; break;
        case OPT_OVERLAY: o->overlay = optarg; break;
        case OPT_DISKLABEL: o->disklabel = optarg; break;
        case OPT_DISKSIZE:
            if (parse_long(&cc, "--disk-size", optarg, &num) < 0)
                return 2;
            o->disk_mib = num;
            break;
        case OPT_NOBIOS: o->no_bios = true; break;
        case OPT_NOUEFI: o->no_uefi = true; break;
        case OPT_EXTLINUX: o->extlinux = true; break;
        default:
            if ((r = cli_common_option(&cr, &cc, c, optarg)) != CLI_CONTINUE)
                return r;
        }
    }
    if (optind < argc)
        return cli_usage_error(&cc, "unexpected argument: %s", argv[optind]);
    if (!cr.ksfile) {
        cli_usage_error(&cc, "a kickstart file must be given with -c");
        usage(stderr, prog);
        return 2;
    }
    if (raw_opts_check(o, err, sizeof err) < 0)
        return cli_usage_error(&cc, "%s", err);
    if (cr.name && (strchr(cr.name, '/') || strlen(cr.name) > 32))
        return cli_usage_error(&cc, "--name must be a file name of at most 32 characters");
    if (geteuid() != 0) {
        fprintf(stderr, "%s: you must run %s as root\n", prog, prog);
        return 1;
    }
    if (cli_common_start(&cc) < 0)
        return 1;

    /* the partitioning is checked before anything (work tree, disks) exists */
    struct kickstart *ks = NULL;
    if (creator_parse_ks(cr.ksfile, NULL, &ks) < 0) {
        log_close();
        return 1;
    }
    int prc = raw_plan_check(ks, o, NULL);
    ks_free(ks);
    if (prc < 0) {
        log_close();
        return 1;
    }

    int rc = creator_init(&cr);
    if (rc == 0)
        rc = creator_create(&cr);
    return creator_finish(&cr, rc);
}
