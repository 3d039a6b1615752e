/* ksflatten - parse a kickstart (following %include) and print it as one
 * file, in the format of pykickstart's ksflatten.
 *
 *   ksflatten -c FILE [-o OUTPUT] [-v VERSION]
 * Exit status: 0 success, 1 failure (message on stderr), 2 usage error.
 */
#define _GNU_SOURCE
#include "kickstart/ks.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void report(void *ctx, enum ks_severity sev, const char *file, int line, const char *msg)
{
    char **first = ctx;
    if (sev == KS_ERROR) {
        if (!*first) {
            if (line > 0)
                *first = xasprintf("The following problem occurred on line %d of the kickstart file:\n\n%s\n", line, msg);
            else
                *first = xasprintf("%s", msg);
        }
        (void)file;
        return;
    }
    if (sev == KS_NOTICE)
        return;
    if (line > 0)
        fprintf(stderr, "%s:%d: KickstartParseWarning: %s\n", file, line, msg);
    else
        fprintf(stderr, "%s: KickstartParseWarning: %s\n", file, msg);
}

static void usage(FILE *f)
{
    fprintf(f, "usage: ksflatten [-h] -c KSCFG [-v VERSION] [-o OUTPUT]\n");
}

int main(int argc, char **argv)
{
    const char *cfg = NULL, *version = "DEVEL", *output = NULL;
    static const struct option lo[] = {
        { "config", required_argument, NULL, 'c' },
        { "version", required_argument, NULL, 'v' },
        { "output", required_argument, NULL, 'o' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int c;
    while ((c = getopt_long(argc, argv, "c:v:o:h", lo, NULL)) != -1) {
        switch (c) {
        case 'c': cfg = optarg; break;
        case 'v': version = optarg; break;
        case 'o': output = optarg; break;
        case 'h':
            usage(stdout);
            printf("\noptions:\n  -h, --help            show this help message and exit\n"
                   "  -c KSCFG, --config KSCFG\n                        Path to kickstart config file\n"
                   "  -v VERSION, --version VERSION\n                        Kickstart version to use for interpreting config\n"
                   "  -o OUTPUT, --output OUTPUT\n                        Write flattened config to OUTPUT\n");
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (optind < argc) {
        usage(stderr);
        fprintf(stderr, "ksflatten: error: unrecognized arguments: %s\n", argv[optind]);
        return 2;
    }
    if (!cfg) {
        usage(stderr);
        fprintf(stderr, "ksflatten: error: the following arguments are required: -c/--config\n");
        return 2;
    }
    if (!ks_version_lookup(version, NULL)) {
        fprintf(stderr, "The version %s is not supported (kscreate knows F30-F45, DEVEL, RHEL8-RHEL10)\n", version);
        return 1;
    }
    char *first = NULL;
    struct ks_parse_opts o;
    ks_parse_opts_init(&o);
    o.version = version;
    o.errors_fatal = true;
    o.report = report;
    o.report_ctx = &first;
    struct kickstart *ks = NULL;
    if (ks_parse_file(cfg, &o, &ks) < 0) {
        fprintf(stderr, "Failed to parse kickstart file '%s' : %s\n", cfg, first ? first : "error");
        free(first);
        return 1;
    }
    free(first);
    FILE *out = stdout;
    if (output) {
        out = fopen(output, "w");
        if (!out) {
            fprintf(stderr, "Failed to open output file '%s' : %m\n", output);
            ks_free(ks);
            return 1;
        }
    }
    char *text = ks_flatten(ks);
    fputs(text, out);
    free(text);
    ks_free(ks);
    if (fflush(out) != 0 || (output && fclose(out) != 0)) {
        fprintf(stderr, "Failed to write '%s': %m\n", output ? output : "stdout");
        return 1;
    }
    return 0;
}
