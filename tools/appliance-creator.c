/* appliance-creator - partitioned disk images for virtual machines from a
 * kickstart (appliance-tools compatible options), on kscreate's raw backend.
 *
 * Exit status: 0 success, 1 failure, 2 usage error (including a kickstart
 * whose partitioning cannot work: checked before anything is written).
 */
#define _GNU_SOURCE
#include "core/base/cleanup.h"
#include "core/creator.h"
#include "core/base/log.h"
#include "core/partition.h"
#include "core/base/util.h"
#include "core/vmformat.h"
#include "imgtypes/raw.h"
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
    OPT_OVERLAY, OPT_DISKLABEL, OPT_DISKSIZE, OPT_NOBIOS, OPT_NOUEFI, OPT_EXTLINUX, OPT_TITLE, OPT_RELEASEVER,
    OPT_CACHE, OPT_CACHEONLY, OPT_NOCLEANUP, OPT_LOGFILE, OPT_TOOLVERSION,
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
    { "title", required_argument, NULL, OPT_TITLE },
    { "releasever", required_argument, NULL, OPT_RELEASEVER },
    { "tmpdir", required_argument, NULL, 't' },
    { "outdir", required_argument, NULL, 'o' },
    { "output", required_argument, NULL, 'o' },
    { "cache", required_argument, NULL, OPT_CACHE },
    { "cacheonly", no_argument, NULL, OPT_CACHEONLY },
    { "nocleanup", no_argument, NULL, OPT_NOCLEANUP },
    { "debug", no_argument, NULL, 'd' },
    { "verbose", no_argument, NULL, 'v' },
    { "quiet", no_argument, NULL, 'q' },
    { "logfile", required_argument, NULL, OPT_LOGFILE },
    { "help", no_argument, NULL, 'h' },
    { "tool-version", no_argument, NULL, OPT_TOOLVERSION },
    { NULL, 0, NULL, 0 },
};

static int parse_long(const char *prog, const char *opt, const char *s, long min, long *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < min) {
        fprintf(stderr, "%s: %s: expected a number >= %ld, got '%s'\n", prog, opt, min, s);
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
    struct disk_image_opts *o = &disk_image_opts;
    enum log_level level = LOG_INFO;
    const char *logfile = NULL;
    long num;
    int c;

    while ((c = getopt_long(argc, argv, "c:n:f:t:o:dvqh", long_opts, NULL)) != -1) {
        switch (c) {
        case 'c': cr.ksfile = optarg; break;
        case 'n': cr.name = xstrdup(optarg); break;
        case OPT_VERSION: o->version = optarg; break;
        case OPT_RELEASE: o->release = optarg; break;
        case 'f':
            if (!vm_format_valid(optarg)) {
                fprintf(stderr, "%s: unknown format '%s' (raw, raw.xz, qcow2, vmdk, vdi, vhdx)\n", prog, optarg);
                return 2;
            }
            o->format = optarg;
            break;
        case OPT_COMPRESS: o->compress = true; break;
        case OPT_CHECKSUM: o->checksum = optarg ? optarg : "sha256"; break;
        case OPT_BMAP: o->bmap = true; break;
        case OPT_VMEM:
            if (parse_long(prog, "--vmem", optarg, 16, &num) < 0)
                return 2;
            o->vmem_mib = num;
            break;
        case OPT_VCPU:
            if (parse_long(prog, "--vcpu", optarg, 1, &num) < 0)
                return 2;
            o->vcpu = (int)num;
            break;
        case OPT_NOXML: o->libvirt_xml = false; break;
        case OPT_OVERLAY: o->overlay = optarg; break;
        case OPT_DISKLABEL: {
            enum part_label lb;
            if (part_label_parse(optarg, &lb) < 0) {
                fprintf(stderr, "%s: --disklabel: expected gpt or msdos, got '%s'\n", prog, optarg);
                return 2;
            }
            o->disklabel = optarg;
            break;
        }
        case OPT_DISKSIZE:
            if (parse_long(prog, "--disk-size", optarg, 4, &num) < 0)
                return 2;
            o->disk_mib = num;
            break;
        case OPT_NOBIOS: o->no_bios = true; break;
        case OPT_NOUEFI: o->no_uefi = true; break;
        case OPT_EXTLINUX: o->extlinux = true; break;
        case OPT_TITLE: cr.title = xstrdup(optarg); break;
        case OPT_RELEASEVER: cr.releasever = xstrdup(optarg); break;
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
        case OPT_TOOLVERSION: printf("%s (kscreate) %s\n", prog, KSC_VERSION); return 0;
        default: usage(stderr, prog); return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "%s: unexpected argument: %s\n", prog, argv[optind]);
        return 2;
    }
    if (!cr.ksfile) {
        fprintf(stderr, "%s: a kickstart file must be given with -c\n", prog);
        usage(stderr, prog);
        return 2;
    }
    if (o->overlay && strcmp(o->format, "qcow2")) {
        fprintf(stderr, "%s: --overlay needs --format qcow2\n", prog);
        return 2;
    }
    if (cr.name && (strchr(cr.name, '/') || strlen(cr.name) > 32)) {
        fprintf(stderr, "%s: --name must be a file name of at most 32 characters\n", prog);
        return 2;
    }
    if (geteuid() != 0) {
        fprintf(stderr, "%s: you must run %s as root\n", prog, prog);
        return 1;
    }
    if (log_open(level, logfile) < 0)
        return 1;
    cleanup_handle_signals();

    /* the partitioning is checked before anything (work tree, disks) exists */
    struct kickstart *ks = NULL;
    if (creator_parse_ks(cr.ksfile, NULL, &ks) < 0) {
        log_close();
        return 1;
    }
    int prc = raw_plan_check(ks, NULL);
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
