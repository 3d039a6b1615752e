/* cli_common.h - the options the image tools share (livecd-creator and
 * image-creator, appliance-creator, installer-creator): their struct option
 * entries, one handler for them, the logging set-up and usage errors.
 *
 *   static const struct option long_opts[] = {
 *       { "config", required_argument, NULL, 'c' },  ... the tool's own ...
 *       CLI_COMMON_OPTIONS, CLI_OPTION_VERSION("version"), { NULL, 0, NULL, 0 },
 *   };
 *   while ((c = getopt_long(argc, argv, "c:..." CLI_COMMON_SHORT, long_opts, NULL)) != -1)
 *       switch (c) {
 *       case 'c': ...
 *       default:
 *           if ((r = cli_common_option(&cr, &cc, c, optarg)) != CLI_CONTINUE)
 *               return r;
 *       }
 *
 * The common options: -t/--tmpdir, -o/--output, --cache, --cacheonly,
 * --nocleanup, --title, --releasever, -d/--debug, -v/--verbose, -q/--quiet
 * (only errors, whatever -d/-v say), --logfile, -h/--help (the tool's usage
 * on stdout, exit 0), --repo and the version option where the tool has them;
 * an unknown option prints the usage on stderr: exit 2.
 */
#ifndef KSC_CLI_COMMON_H
#define KSC_CLI_COMMON_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include "core/base/log.h"

#define KSC_VERSION "0.1"

struct creator;

struct cli_common {
    const char *prog;
    void (*usage)(FILE *f, const char *prog);   /* the tool's --help text */
    enum log_level level;   /* -d / -v; LOG_INFO by default */
    bool quiet;             /* -q */
    const char *logfile;    /* --logfile */
};

enum {
    CLI_OPT_CACHE = 0x1000, CLI_OPT_CACHEONLY, CLI_OPT_NOCLEANUP, CLI_OPT_LOGFILE, CLI_OPT_TITLE,
    CLI_OPT_RELEASEVER, CLI_OPT_REPO, CLI_OPT_VERSION,
};

#define CLI_COMMON_SHORT "t:o:dvqh"
#define CLI_COMMON_OPTIONS                                          \
    { "title", required_argument, NULL, CLI_OPT_TITLE },            \
    { "releasever", required_argument, NULL, CLI_OPT_RELEASEVER },  \
    { "tmpdir", required_argument, NULL, 't' },                     \
    { "output", required_argument, NULL, 'o' },                     \
    { "cache", required_argument, NULL, CLI_OPT_CACHE },            \
    { "cacheonly", no_argument, NULL, CLI_OPT_CACHEONLY },          \
    { "nocleanup", no_argument, NULL, CLI_OPT_NOCLEANUP },          \
    { "debug", no_argument, NULL, 'd' },                            \
    { "verbose", no_argument, NULL, 'v' },                          \
    { "quiet", no_argument, NULL, 'q' },                            \
    { "logfile", required_argument, NULL, CLI_OPT_LOGFILE },        \
    { "help", no_argument, NULL, 'h' }
/* --repo FILE|DIR: .repo files instead of the kickstart's repositories */
#define CLI_OPTION_REPO { "repo", required_argument, NULL, CLI_OPT_REPO }
/* the option that prints "PROG (kscreate) VERSION" (--version, or
 * --tool-version where --version is the product's) */
#define CLI_OPTION_VERSION(name) { name, no_argument, NULL, CLI_OPT_VERSION }

#define CLI_CONTINUE (-1)

void cli_common_init(struct cli_common *cc, const char *prog, void (*usage)(FILE *, const char *));

/* Handle getopt's result OPT (argument ARG) into CR and CC: CLI_CONTINUE, or
 * the exit status the tool returns now (0 after --help/--version, 2 for an
 * option that is not one). */
int cli_common_option(struct creator *cr, struct cli_common *cc, int opt, const char *arg);

/* After the options: the log (console level, --logfile) and the signal
 * handlers of the cleanup registry.  0, or -1 (the reason printed). */
int cli_common_start(const struct cli_common *cc);

/* "PROG: MESSAGE" on stderr (optparse's usage error); returns 2. */
int cli_usage_error(const struct cli_common *cc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
