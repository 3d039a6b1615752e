/* ksvalidator - check kickstart files against a syntax version, like
 * pykickstart's ksvalidator: warnings count as errors, the exit status is
 * the number of problems found.
 *
 *   ksvalidator [-e] [-i] [-v VERSION] FILE...     ksvalidator -l
 */
#define _GNU_SOURCE
#include "kickstart/ks.h"
#include "core/base/strv.h"

#include <getopt.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void report(void *ctx, enum ks_severity sev, const char *file, int line, const char *msg)
{
    (void)ctx;
    if (sev == KS_NOTICE)
        return;
    if (line > 0)
        fprintf(stderr, "%s:%d: %s\n", file, line, msg);
    else
        fprintf(stderr, "%s: %s\n", file, msg);
}

static void usage(FILE *f)
{
    fprintf(f, "usage: ksvalidator [options] ksfile [ksfile...]\n");
}

int main(int argc, char **argv)
{
    bool firsterror = false, follow = false, list = false;
    const char *version = "DEVEL";
    static const struct option lo[] = {
        { "firsterror", no_argument, NULL, 'e' },
        { "followincludes", no_argument, NULL, 'i' },
        { "listversions", no_argument, NULL, 'l' },
        { "version", required_argument, NULL, 'v' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int c;
    while ((c = getopt_long(argc, argv, "eilv:h", lo, NULL)) != -1) {
        switch (c) {
        case 'e': firsterror = true; break;
        case 'i': follow = true; break;
        case 'l': list = true; break;
        case 'v': version = optarg; break;
        case 'h':
            usage(stdout);
            printf("\npositional arguments:\n  ksfile                filename or URL to read from\n\n"
                   "options:\n  -e, --firsterror      halt after the first error or warning\n"
                   "  -i, --followincludes  parse include files when %%include is seen\n"
                   "  -l, --listversions    list the available versions of kickstart syntax\n"
                   "  -v VERSION, --version VERSION\n                        version of kickstart syntax to validate against\n"
                   "  -h, --help            show this help message and exit\n");
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (list) {
        for (const char *const *v = ks_version_names(); *v; v++)
            printf("%s\n", *v);
        return 0;
    }
    if (optind >= argc) {
        usage(stdout);
        return 1;
    }
    strv_t files = { 0 };
    for (int i = optind; i < argc; i++) {
        if (strstr(argv[i], "://")) {
            strv_push(&files, argv[i]);
            continue;
        }
        glob_t g;
        if (glob(argv[i], 0, NULL, &g) == 0)
            for (size_t k = 0; k < g.gl_pathc; k++)
                strv_push(&files, g.gl_pathv[k]);
        globfree(&g);
    }
    if (!files.n) {
        printf("No files match the patterns.\n");
        return 1;
    }
    if (!ks_version_lookup(version, NULL)) {
        printf("The version %s is not supported (kscreate knows F30-F45, DEVEL, RHEL8-RHEL10)\n", version);
        strv_free(&files);
        return 1;
    }
    int rc = 0;
    for (size_t i = 0; i < files.n; i++) {
        printf("\nChecking kickstart file %s\n\n", files.v[i]);
        fflush(stdout);
        /* an empty file is an error, as for pykickstart */
        char *buf = NULL;
        size_t len = 0;
        if (!strstr(files.v[i], "://") && read_file(files.v[i], &buf, &len) == 0) {
            bool blank = true;
            for (size_t k = 0; k < len && blank; k++)
                blank = strchr(" \t\r\n\v\f", buf[k]) != NULL;
            free(buf);
            if (blank) {
                printf("General error in input file:  Empty file\n");
                rc++;
                continue;
            }
        }
        struct ks_parse_opts o;
        ks_parse_opts_init(&o);
        o.version = version;
        o.skip_includes = !follow;
        o.errors_fatal = firsterror;
        o.warnings_are_errors = true;
        o.ksappend = true;
        o.report = report;
        int nerr = 0;
        o.n_errors = &nerr;
        struct kickstart *ks = NULL;
        if (ks_parse_file(files.v[i], &o, &ks) < 0 && nerr == 0)
            nerr = 1;
        ks_free(ks);
        rc += nerr;
    }
    strv_free(&files);
    fflush(stdout);
    return rc > 255 ? 255 : rc;
}
